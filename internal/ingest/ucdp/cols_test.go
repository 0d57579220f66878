package ucdp

import (
	"strings"
	"testing"
)

// scanText, which tests words, must agree with a byte-by-byte reading.
func TestScanText(t *testing.T) {
	slow := func(s string) (ctrl, fold bool) {
		for i := 0; i < len(s); i++ {
			b := s[i]
			switch {
			case b == '\t' || b == '\n' || b == '\r':
				fold = true
			case b < 0x20 || b == 0x7f:
				ctrl = true
			}
		}
		return ctrl, fold || strings.Contains(s, "  ")
	}
	base := "Teir Maaleh village, Homs — Ma’la \ufeffx"
	var cases []string
	for i := 0; i <= len(base); i++ {
		for _, c := range []string{"\x00", "\x01", "\x1f", "\x7f", "\t", "\n", "\r", "  ", "\x80", "\xff", "\x20", "\x7e", "\x9f"} {
			cases = append(cases, base[:i]+c+base[i:])
		}
	}
	cases = append(cases, "", " ", "ab", strings.Repeat("x", 64), strings.Repeat("é", 40)+"\x7f")
	for _, s := range cases {
		c1, f1 := scanText(s)
		c2, f2 := slow(s)
		if c1 != c2 || f1 != f2 {
			t.Errorf("scanText(%q) = %v, %v; want %v, %v", s, c1, f1, c2, f2)
		}
	}
}

func TestIsDay(t *testing.T) {
	for s, want := range map[string]bool{
		"2016-01-01": true, "2016-02-29": true, "2015-02-29": false, "1900-02-29": false, "2000-02-29": true,
		"2016-12-31": true, "2016-13-01": false, "2016-00-10": false, "2016-04-31": false, "2016-01-00": false,
		"2016-1-01": false, "2016/01/01": false, "2016-01-0a": false, "+016-01-01": false, "": false,
	} {
		if got := isDay(s); got != want {
			t.Errorf("isDay(%q) = %v", s, got)
		}
	}
}
