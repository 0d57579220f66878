package sipri

import (
	"fmt"
	"math"
	"sort"

	"github.com/armstrace/armstrace"
)

// Skipped is a claim that DeliveredByYear left out of its sums, and why.
type Skipped struct {
	Claim  string
	Reason string
}

// DeliveredByYear sums the TIV delivered (millions, "TIV-m") per delivery
// year over supplied claims, from each claim's per-year deliveries
// (Transfer.Deliveries, which the per-delivery-year register layout
// gives). It never spreads a deal's total over its years: a claim with a
// delivered TIV but no per-year split (the classic layout) is skipped, and
// so is a claim whose per-year values do not add up to its delivered
// total, the mark of a total copied onto each year. A claim listed twice
// is counted once; contested and retracted claims are never counted. A
// delivery SIPRI gives as between 0 and 0.5 counts as its best figure, 0,
// as in SIPRI's own tables.
//
// The skipped claims come back sorted by id, so that a caller can say what
// the sums leave out.
func DeliveredByYear(claims []*armstrace.Claim) (map[int]float64, []Skipped) {
	sums := map[int]float64{}
	var skipped []Skipped
	seen := map[string]bool{}
	for _, c := range claims {
		if c == nil {
			continue
		}
		if seen[c.ID] {
			skipped = append(skipped, Skipped{c.ID, "listed more than once; counted once"})
			continue
		}
		seen[c.ID] = true
		add, reason := claimDeliveries(c)
		if reason != "" {
			skipped = append(skipped, Skipped{c.ID, reason})
			continue
		}
		for y, v := range add {
			sums[y] += v
		}
	}
	for y, v := range sums {
		sums[y] = round6(v)
	}
	sort.SliceStable(skipped, func(i, j int) bool { return skipped[i].Claim < skipped[j].Claim })
	return sums, skipped
}

// claimDeliveries returns a claim's delivered TIV by year, or why it
// cannot be counted.
func claimDeliveries(c *armstrace.Claim) (map[int]float64, string) {
	if c.Kind != armstrace.ClaimSupplied || c.Attrs.Transfer == nil {
		return nil, "not a supplied claim with transfer attributes"
	}
	if c.Status == armstrace.StatusContested || c.Status == armstrace.StatusRetracted {
		return nil, fmt.Sprintf("status %s: never counted as support", c.Status)
	}
	t := c.Attrs.Transfer
	if len(t.Deliveries) == 0 {
		if t.TIVDelivered != nil && !t.TIVDelivered.IsZero() {
			return nil, "delivered TIV without a split by year (classic register layout): a deal's total is never spread over its years"
		}
		return nil, "no delivered TIV: nothing delivered yet, or not a record of SIPRI's register (such as a reported money value), which TIV sums cannot include"
	}
	out := map[int]float64{}
	years := map[int]bool{}
	var sum float64
	for _, d := range t.Deliveries {
		if years[d.Year] {
			return nil, fmt.Sprintf("two deliveries in %d: one per year is expected", d.Year)
		}
		years[d.Year] = true
		r := d.TIVDelivered
		if r == nil || r.IsZero() {
			continue // no deliveries identified that year
		}
		if r.Unit != unitTIV {
			return nil, fmt.Sprintf("delivery in %d is in %q, not %s", d.Year, r.Unit, unitTIV)
		}
		if r.Best == nil {
			return nil, fmt.Sprintf("delivery in %d has bounds but no best figure", d.Year)
		}
		out[d.Year] = *r.Best
		sum += *r.Best
	}
	if tot := t.TIVDelivered; tot != nil && tot.Best != nil && math.Abs(*tot.Best-sum) > 0.5 {
		return nil, fmt.Sprintf("its deliveries add up to %s TIV-m but its delivered total is %s: a deal total may have been copied onto each year", fmtNum(round6(sum)), fmtNum(*tot.Best))
	}
	return out, ""
}
