package match

import (
	"path/filepath"
	"testing"

	"github.com/armstrace/armstrace"
)

// readNames reads the full_name column of a yente screening fixture.
func readNames(t *testing.T, file string) []string {
	t.Helper()
	recs := readCSV(t, filepath.Join(sharedData, "screening_fixtures", file))
	var out []string
	for _, r := range recs[1:] {
		out = append(out, r[0])
	}
	return out
}

// TestScreeningFixtures measures, on the yente fixtures, how often a UN
// listing is found from its treated copy (typos, reordering, dropped
// words), how often a treated name scores against another person's
// listing, and how often synthetic persons who are on no list score
// against the listings. The rates are logged; floors guard against
// regressions.
func TestScreeningFixtures(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	clean := readNames(t, "positives_un_untreated.csv")
	treated := readNames(t, "positives_un_treated.csv")
	if len(clean) != len(treated) {
		t.Fatalf("%d clean, %d treated", len(clean), len(treated))
	}
	listed := make([]*Prepared, len(clean))
	for i, n := range clean {
		listed[i] = Prepare(Subject{Name: n, Kind: armstrace.EntityPerson})
	}
	var found70, found95, wrong70, changed, changed70, changed95 int
	for i, n := range treated {
		q := Prepare(Subject{Name: n, Kind: armstrace.EntityPerson})
		r := ComparePrepared(q, listed[i], Options{})
		ch := Normalize(n) != Normalize(clean[i])
		if ch {
			changed++
		}
		if r.Score >= 0.70 {
			found70++
			if ch {
				changed70++
			}
		} else {
			t.Logf("missed: %s", r.Explanation.Summary)
		}
		if r.Score >= 0.95 {
			found95++
			if ch {
				changed95++
			}
		}
		if w := ComparePrepared(q, listed[(i+len(listed)/2)%len(listed)], Options{}); w.Score >= 0.70 {
			wrong70++
			t.Logf("wrong: %s", w.Explanation.Summary)
		}
	}
	n := len(treated)
	t.Logf("UN positives: %d pairs: found at ≥0.70 %s, at ≥0.95 %s; another person's listing ≥0.70 %s",
		n, pct(found70, n), pct(found95, n), pct(wrong70, n))
	t.Logf("  of which %d changed by the treatment (typos, reordering, cut words): found at ≥0.70 %s, at ≥0.95 %s",
		changed, pct(changed70, changed), pct(changed95, changed))
	if float64(found70)/float64(n) < 0.90 {
		t.Errorf("recall at 0.70 fell to %s", pct(found70, n))
	}

	negatives := readNames(t, "negatives_global.csv")
	if len(negatives) > 1000 {
		negatives = negatives[:1000]
	}
	hits, pairs := 0, 0
	for _, neg := range negatives {
		q := Prepare(Subject{Name: neg, Kind: armstrace.EntityPerson})
		for _, c := range listed {
			pairs++
			if r := ComparePrepared(q, c, Options{}); r.Score >= 0.70 {
				hits++
				if hits <= 20 {
					t.Logf("negative hit: %s", r.Explanation.Summary)
				}
			}
		}
	}
	t.Logf("negatives: %d synthetic persons × %d listings = %d pairs; %d at ≥0.70 (%.4f%% of pairs)",
		len(negatives), len(listed), pairs, hits, 100*float64(hits)/float64(pairs))
}
