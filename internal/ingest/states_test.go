package ingest

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestStatesResolveAcrossDatasets(t *testing.T) {
	st, err := LoadStates()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"Russia", "ent:russia"},
		{"Government of Russia (Soviet Union)", "ent:russia"},
		{"Russian Federation", "ent:russia"},
		{"Soviet Union", "ent:soviet-union"},
		{"Syria", "ent:syria"},
		{"Government of Syria", "ent:syria"},
		{"Syrian Arab Republic", "ent:syria"},
		{"SYR", "ent:syria"},
		{"Government of United States of America", "ent:united-states"},
		{"United States", "ent:united-states"},
		{"UAE", "ent:united-arab-emirates"},
		{"Government of DR Congo (Zaire)", "ent:dr-congo"},
		{"Government of Yemen (North Yemen)", "ent:yemen"},
		{"Government of Serbia (Yugoslavia)", "ent:serbia"},
		{"Government of Cambodia (Kampuchea)", "ent:cambodia"},
		{"Cote d'Ivoire", "ent:cote-divoire"},
		{"Côte d'Ivoire", "ent:cote-divoire"},
		{"Ivory Coast", "ent:cote-divoire"},
		{"Government of Swaziland", "ent:eswatini"},
		{"The Dominican Republic", "ent:dominican-republic"}, // no alias: "The " dropped
		{"THE DOMINICAN REPUBLIC", "ent:dominican-republic"},
		{"Government of the Dominican Republic", "ent:dominican-republic"},
		{"Thegambia", ""}, // only "The " with its space is dropped
		// A made-up name: no state has it.
		{"Atlantis", ""},
		{"Government of Atlantis", ""},
		{"The Atlantis", ""},
		{"Syria rebels*", ""},
		{"Syrian insurgents", ""},
	} {
		s, ok := st.ByName(tc.name)
		got := ""
		if ok {
			got = s.ID
		}
		if got != tc.want {
			t.Errorf("ByName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if s, ok := st.ByGW(652); !ok || s.ID != "ent:syria" {
		t.Errorf("gw 652: %v", s)
	}
	for _, s := range st.All() {
		if err := s.Entity().Validate(); err != nil {
			t.Errorf("%s: %v", s.ID, err)
		}
	}
}

func TestMoreStates(t *testing.T) {
	st := MustLoadStates()
	for _, tc := range []struct{ name, want string }{
		{"The Gambia", "ent:gambia"},
		{"Government of Ivory Coast", "ent:cote-divoire"},
		{"Government of eSwatini (Swaziland)", "ent:eswatini"},
		{"Government of Hyderabad", "ent:hyderabad"},
	} {
		if s, ok := st.ByName(tc.name); !ok || s.ID != tc.want {
			t.Errorf("ByName(%q) = %v", tc.name, s)
		}
	}
}

func TestTextReader(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"utf-8 passes", "Рособоронэкспорт,é", "Рособоронэкспорт,é"},
		{"bom dropped", "\xef\xbb\xbfid", "id"},
		{"latin-1 read as windows-1252", "Caf\xe9 \x80", "Café €"},
		{"mixed", "Ä\xe4", "Ää"},
	} {
		var b strings.Builder
		if _, err := io.Copy(&b, NewTextReader(strings.NewReader(tc.in))); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, b.String(), tc.want)
		}
	}
	// A rune split across reads survives.
	long := strings.Repeat("я", 100000)
	var b strings.Builder
	if _, err := io.Copy(&b, NewTextReader(iotest.OneByteReader(strings.NewReader(long)))); err != nil {
		t.Fatal(err)
	}
	if b.String() != long {
		t.Error("a rune split across reads was damaged")
	}
}
