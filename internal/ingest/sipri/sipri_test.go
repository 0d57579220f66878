package sipri

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuote(t *testing.T) {
	short := "$375m deal (bought via and financed by USA); Mi-17V-5 version"
	if quote(short) != short {
		t.Errorf("short comment changed: %q", quote(short))
	}
	long := strings.Repeat("Produced under licence in India; ", 20) // 660 characters
	q := quote(long)
	if utf8.RuneCountInString(q) > 302 || !strings.HasSuffix(q, " …") || !strings.HasPrefix(long, strings.TrimSuffix(q, " …")) {
		t.Errorf("quote %q", q)
	}
	multi := strings.Repeat("Ми-17В-5 ", 60)
	if q := quote(multi); !utf8.ValidString(q) || utf8.RuneCountInString(q) > 302 {
		t.Errorf("quote of Cyrillic text %q", q)
	}
}

func TestSlugID(t *testing.T) {
	for _, tc := range []struct{ prefix, name, want string }{
		{"ent:weapon:", "Mi-24D/Mi-25", "ent:weapon:mi-24d-mi-25"},
		{"ent:weapon:", "9M119 ", "ent:weapon:9m119"},
		{"ent:sipri:", "Syria rebels", "ent:sipri:syria-rebels"},
		{"ent:weapon:", "???", ""},
	} {
		if got := slugID(tc.prefix, tc.name); got != tc.want {
			t.Errorf("slugID(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	long := slugID("ent:weapon:", strings.Repeat("Ѕ-300 ", 40))
	if len(long) > 128 || !utf8.ValidString(long) {
		t.Errorf("long slug %q (%d bytes)", long, len(long))
	}
	if other := slugID("ent:weapon:", strings.Repeat("Ѕ-300 ", 41)); other == long {
		t.Error("two long names cut to the same id")
	}
}
