package derive_test

import (
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/derive"
)

func TestTextOfHTML(t *testing.T) {
	page := "<!doctype html><html><head><title>Syria&#39;s Shaky Ceasefire</title><style>p{color:red}</style>" +
		"<script>var x = '<p>not text</p>';</script></head><body><!-- a comment -->" +
		"<h1>Press release</h1><p>Rosoboronexport   keeps\nselling &amp; shipping.</p><p>a &lt; b and 3 < 4</p><br>Last</body></html>"
	got, detail, err := derive.Text("release.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	want := "Syria's Shaky Ceasefire\nPress release\nRosoboronexport keeps selling & shipping.\na < b and 3 < 4\nLast\n"
	if string(got) != want {
		t.Fatalf("text:\n%q\nwant\n%q", got, want)
	}
	if !strings.Contains(detail, "HTML") {
		t.Fatalf("detail %q does not say what was done", detail)
	}
}

func TestTextOfPlainText(t *testing.T) {
	got, _, err := derive.Text("note.txt", []byte("\xef\xbb\xbfone\r\ntwo\r\n"))
	if err != nil || string(got) != "one\ntwo\n" {
		t.Fatalf("got %q %v", got, err)
	}
	_, _, err = derive.Text("photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"))
	if armstrace.ErrorCode(err) != armstrace.EINVALID || !strings.Contains(err.Error(), "photo.jpg") {
		t.Fatalf("image: %v, want EINVALID naming the file", err)
	}
}

func TestRedact(t *testing.T) {
	text := "Witness: Ahmad K.\nSaw two Mi-17s.\nPhone +963 11 555 0101\nSaw them again.\n"
	lines, err := derive.ParseLines("1")
	if err != nil {
		t.Fatal(err)
	}
	got, detail, err := derive.Redact("statement.txt", []byte(text), derive.Redaction{Lines: lines, Patterns: []string{`\+963[0-9 ]+`}})
	if err != nil {
		t.Fatal(err)
	}
	want := "[REDACTED]\nSaw two Mi-17s.\nPhone [REDACTED]\nSaw them again.\n"
	if string(got) != want {
		t.Fatalf("redacted:\n%q\nwant\n%q", got, want)
	}
	if !strings.Contains(detail, "line 1") || !strings.Contains(detail, "1 matches") {
		t.Fatalf("detail %q", detail)
	}
	if strings.Contains(detail, "963") {
		t.Fatalf("the description %q gives away the pattern", detail)
	}
}

func TestRedactRefusals(t *testing.T) {
	text := []byte("one\ntwo\n")
	for _, c := range []struct {
		name  string
		r     derive.Redaction
		field string
	}{
		{"nothing asked", derive.Redaction{}, "redact"},
		{"past the end", derive.Redaction{Lines: []derive.LineRange{{2, 3}}}, "lines"},
		{"no match", derive.Redaction{Patterns: []string{"three"}}, "pattern[1]"},
		{"bad pattern", derive.Redaction{Patterns: []string{"("}}, "pattern[1]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := derive.Redact("a.txt", text, c.r)
			var e *armstrace.Error
			if armstrace.ErrorCode(err) != armstrace.EINVALID || !asError(err, &e) || e.Field != c.field {
				t.Fatalf("got %v, want EINVALID on %s", err, c.field)
			}
		})
	}
	for _, bad := range []string{"0", "5-3", "x", "1-"} {
		if _, err := derive.ParseLines(bad); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("ParseLines(%q): %v, want EINVALID", bad, err)
		}
	}
}
