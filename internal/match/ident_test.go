package match

import (
	"testing"

	"github.com/armstrace/armstrace"
)

// oneDigitChanges returns s with each digit in turn replaced by the next
// digit (9 by 0): every such change must fail the check.
func oneDigitChanges(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		b := []byte(s)
		b[i] = '0' + (b[i]-'0'+1)%10
		out = append(out, string(b))
	}
	return out
}

func TestChecksums(t *testing.T) {
	cases := []struct {
		name  string
		valid func(string) bool
		good  []string
	}{
		// Rosoboronexport's INN and OGRN (OFAC SDN entry 18782).
		{"INN", ValidINN, []string{"7718852163", "7704252261"}},
		{"OGRN", ValidOGRN, []string{"1117746521452", "1027700070518"}},
		// IMO 9187629 appears in the OFAC list's remarks as a vessel's
		// registration; 9074729 is the check-digit example IMO gives.
		{"IMO", ValidIMO, []string{"9187629", "9074729"}},
		// GLEIF's own LEI.
		{"LEI", ValidLEI, []string{"506700GE1G29325QX363"}},
	}
	for _, c := range cases {
		for _, g := range c.good {
			if !c.valid(g) {
				t.Errorf("%s %s should be valid", c.name, g)
			}
			for _, bad := range oneDigitChanges(g) {
				if c.name == "LEI" && bad == g {
					continue
				}
				if c.valid(bad) {
					t.Errorf("%s %s (one digit changed from %s) should be invalid", c.name, bad, g)
				}
			}
		}
	}
	for _, bad := range []string{"", "771885216", "77188521630", "771885216X", "12345678901"} {
		if ValidINN(bad) {
			t.Errorf("INN %q should be invalid", bad)
		}
	}
	// A 12-digit INN of an individual, computed from its two check digits.
	if !ValidINN("500100732259") || ValidINN("500100732258") {
		t.Error("12-digit INN")
	}
}

func TestNormalizeIdentifier(t *testing.T) {
	cases := []struct {
		id    armstrace.Identifier
		value string
		ok    bool
	}{
		{armstrace.Identifier{Scheme: "ru-inn", Value: " 7718-852-163 "}, "7718852163", true},
		{armstrace.Identifier{Scheme: "imo", Value: "IMO 9187629"}, "9187629", true},
		{armstrace.Identifier{Scheme: "lei", Value: "506700ge1g29325qx363"}, "506700GE1G29325QX363", true},
		{armstrace.Identifier{Scheme: "us-uei", Value: "J7M9HPTGJ1S9"}, "J7M9HPTGJ1S9", true},
		{armstrace.Identifier{Scheme: "us-uei", Value: "0ABCDEFGHJK1"}, "0ABCDEFGHJK1", false},
		{armstrace.Identifier{Scheme: "us-cage", Value: "1ab23"}, "1AB23", true},
		{armstrace.Identifier{Scheme: "duns", Value: "56-519-6564"}, "565196564", true},
		{armstrace.Identifier{Scheme: "ofac-ent", Value: "18782"}, "18782", true},
		{armstrace.Identifier{Scheme: "wikidata", Value: "Q1140925"}, "Q1140925", true},
	}
	for _, c := range cases {
		v, ok, _ := NormalizeIdentifier(c.id)
		if v != c.value || ok != c.ok {
			t.Errorf("%v: got %q %v, want %q %v", c.id, v, ok, c.value, c.ok)
		}
	}
}
