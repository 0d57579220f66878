package match

import (
	"math"
	"testing"
)

// FuzzCompare checks, for any two names: no panic; scores in [0, 1];
// the band and the match flag agree with the score; a name against
// itself scores 1; and with equal unmatched weights the score does not
// depend on the direction. The symmetry check is limited to names of
// at most eight tokens: beyond that the alignment search may stop at
// its step limit, and the best set it found can depend on the order in
// which pairs were tried.
func FuzzCompare(f *testing.F) {
	for _, a := range propertyNames {
		f.Add(a, "ROSOBORONEXPORT")
	}
	f.Add("Рособоронэкспорт", "ROSOBORONEKSPORT OAO")
	f.Add("11420 CORP", "BELLETECH CORP")
	f.Add("a a a a a a", "a a a a a b")
	f.Add("\u0301\u0301", "ъь")
	f.Add("ال ال", "al al")
	sym := DefaultOptions()
	sym.UnmatchedCandidate = sym.UnmatchedQuery
	f.Fuzz(func(t *testing.T, a, b string) {
		r := Compare(Subject{Name: a}, Subject{Name: b}, Options{})
		if r.Score < 0 || r.Score > 1 || math.IsNaN(r.Score) {
			t.Fatalf("%q ~ %q: score %v", a, b, r.Score)
		}
		if r.Band != BandOf(r.Score) || r.Match != (r.Score >= DefaultThreshold) {
			t.Fatalf("%q ~ %q: band %s match %v for %v", a, b, r.Band, r.Match, r.Score)
		}
		if r.Explanation.Summary == "" {
			t.Fatalf("%q ~ %q: no summary", a, b)
		}
		if Normalize(a) != "" {
			if s := Compare(Subject{Name: a}, Subject{Name: a}, Options{}).Score; s != 1 {
				t.Fatalf("%q against itself: %v", a, s)
			}
		}
		if len(splitWords(a)) <= 8 && len(splitWords(b)) <= 8 {
			x := Compare(Subject{Name: a}, Subject{Name: b}, sym).Score
			y := Compare(Subject{Name: b}, Subject{Name: a}, sym).Score
			if math.Abs(x-y) > 2e-4 {
				t.Fatalf("not symmetric: %q ~ %q %v, reverse %v", a, b, x, y)
			}
		}
	})
}
