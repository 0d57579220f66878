package sipri

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

func supplied(id string, total *armstrace.Range, ds ...armstrace.Delivery) *armstrace.Claim {
	return &armstrace.Claim{ID: id, Kind: armstrace.ClaimSupplied, Subject: "ent:russia", Object: "ent:syria", Status: armstrace.StatusVerified, Confidence: 0.8,
		Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{TIVDelivered: total, Deliveries: ds}}}
}

func del(year int, v float64) armstrace.Delivery {
	return armstrace.Delivery{Year: year, TIVDelivered: tivm(v)}
}

func TestDeliveredByYear(t *testing.T) {
	zero := &armstrace.Range{Low: num(0), Best: num(0), High: num(0.5), Unit: "TIV-m", Approximate: true, Qualifier: "between 0 and 0.5"}
	contested := supplied("c:contested", tivm(5), del(2011, 5))
	contested.Status = armstrace.StatusContested
	other := &armstrace.Claim{ID: "c:other", Kind: armstrace.ClaimFinanced}
	good := supplied("c:a", tivm(152.25), del(2011, 65.25), del(2012, 87))
	claims := []*armstrace.Claim{
		good,
		supplied("c:b", tivm(10), del(2012, 10), armstrace.Delivery{Year: 2013, TIVDelivered: zero}, armstrace.Delivery{Year: 2014}),
		good,                              // listed twice
		supplied("c:classic", tivm(72.5)), // no split by year
		supplied("c:copied", tivm(152.25), del(2011, 152.25), del(2012, 152.25)), // the total on each year
		supplied("c:twice", nil, del(2011, 1), del(2011, 2)),
		supplied("c:usd", nil, armstrace.Delivery{Year: 2011, TIVDelivered: &armstrace.Range{Best: num(1e6), Unit: "USD"}}),
		supplied("c:nothing", nil), // nothing delivered: listed, so that no claim goes unmentioned
		contested,
		other,
		nil,
	}
	sums, skipped := DeliveredByYear(claims)
	if diff := cmp.Diff(map[int]float64{2011: 65.25, 2012: 97, 2013: 0}, sums); diff != "" {
		t.Errorf("sums (-want +got):\n%s", diff)
	}
	var got []string
	for _, s := range skipped {
		got = append(got, s.Claim)
	}
	if diff := cmp.Diff([]string{"c:a", "c:classic", "c:contested", "c:copied", "c:nothing", "c:other", "c:twice", "c:usd"}, got); diff != "" {
		t.Errorf("skipped (-want +got):\n%s\n%v", diff, skipped)
	}
	for _, s := range skipped {
		if s.Claim == "c:copied" && !strings.Contains(s.Reason, "copied onto each year") {
			t.Errorf("copied: %s", s.Reason)
		}
	}
}

// TestSyriaDoubleCount is the independent check of the per-year sums: the
// TIV delivered to Syria each year, summed over every deal of the
// per-delivery-year register (all suppliers), must equal SIPRI's own table
// of Syria's arms imports, year by year, within rounding. The register is a
// later release (3 Jan 2025) than the table (13 Oct 2024).
func TestSyriaDoubleCount(t *testing.T) {
	register := readPath(t, RegisterFormat, ingesttest.Shared(t, sharedPerYear))
	table := readPath(t, TIVFormat, ingesttest.Shared(t, sharedImports))
	var syria *armstrace.Series
	for _, s := range table.series() {
		if s.ID == "sipri-tiv:imports:syria" {
			syria = s
		}
	}
	if syria == nil {
		t.Fatal("no Syria row in the imports table")
	}
	imports := map[int]float64{}
	for _, p := range syria.Points {
		imports[atoi(string(p.Period))] = p.Value
	}
	var toSyria []*armstrace.Claim
	for _, c := range register.claims() {
		if c.Object == "ent:syria" {
			toSyria = append(toSyria, c)
		}
	}
	sums, skipped := DeliveredByYear(toSyria)
	if len(skipped) != 0 {
		t.Errorf("skipped: %v", skipped)
	}
	worst, worstYear := 0.0, 0
	for y := 2000; y <= 2021; y++ {
		d := sums[y] - imports[y]
		if math.Abs(d) > math.Abs(worst) {
			worst, worstYear = d, y
		}
		if math.Abs(d) > 1 {
			t.Errorf("%d: the register's deals add up to %v, SIPRI's imports table says %v", y, sums[y], imports[y])
		}
	}
	t.Logf("%d deals to Syria; largest difference from the imports table, 2000–2021: %+.2f TIV-m in %d", len(toSyria), worst, worstYear)
	for y := range sums {
		if y < 2000 || y > 2021 {
			t.Errorf("deliveries in %d, outside the years checked", y)
		}
	}

	// What the pipeline bug did: each deal's delivered total counted in
	// every one of its delivery years. The check above would have caught it.
	var inflated, right float64
	for _, c := range toSyria {
		tr := c.Attrs.Transfer
		for range tr.DeliveryYears {
			inflated += *tr.TIVDelivered.Best
		}
		right += *tr.TIVDelivered.Best
	}
	if ratio := inflated / right; ratio < 2 {
		t.Errorf("copying totals onto years inflates Syria's imports %.2f×; expected far more", ratio)
	} else {
		t.Logf("copying each deal's total onto each delivery year would give %.2f TIV-m instead of %.2f (%.2f×)", inflated, right, ratio)
	}

	// The classic layout has only totals: its deals are never summed by year.
	classic := readPath(t, RegisterFormat, ingesttest.Shared(t, sharedClassic))
	var classicSyria []*armstrace.Claim
	for _, c := range classic.claims() {
		if c.Object == "ent:syria" {
			classicSyria = append(classicSyria, c)
		}
	}
	sums, skipped = DeliveredByYear(classicSyria)
	if len(sums) != 0 || len(skipped) != len(classicSyria) {
		t.Errorf("classic deals summed by year: %d years, %d of %d skipped", len(sums), len(skipped), len(classicSyria))
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
