package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/sipri"
	"github.com/armstrace/armstrace/internal/store"
)

// sipriCoverage is said wherever SIPRI figures are shown.
const sipriCoverage = "SIPRI's data cover major conventional weapons only: no small arms, light weapons, ammunition or mortars under 100 mm. Figures are SIPRI trend-indicator values (TIV, millions), a measure of military capability transferred, not of money paid."

// yearDeal is one deal's share of a year's figure.
type yearDeal struct {
	Claim       string  `json:"claim"`
	Supplier    string  `json:"supplier"`
	Designation string  `json:"designation,omitempty"`
	Number      float64 `json:"number,omitempty"`
	TIV         float64 `json:"tiv"`
}

type transferYear struct {
	Year  int        `json:"year"`
	TIV   float64    `json:"tiv"`
	Deals []yearDeal `json:"deals"`
}

func (a *App) runTransfers(ctx context.Context, args []string) error {
	fs := a.newFlagSet("transfers", "transfers --recipient NAME [--supplier NAME] [--by year] [--since YEAR] [--until YEAR]", `
Sum the arms transfers recorded for a recipient, by delivery year, from the
per-year deliveries of the SIPRI register (its 2024+ layout), and list the
deals behind each figure. Deals known only from the classic layout, which
gives a deal's total without a split by year, are listed as left out: a
total is never spread over years. `+sipriCoverage,
		"armstrace transfers --recipient Syria --by year",
		"armstrace --json transfers --recipient Syria --supplier Russia --since 2011 --until 2013")
	recipient := fs.String("recipient", "", "recipient: a state's name or an entity id (required)")
	supplier := fs.String("supplier", "", "supplier: a state's name or an entity id")
	by := fs.String("by", "year", "grouping: year")
	since := fs.Int("since", 0, "first delivery year")
	until := fs.Int("until", 0, "last delivery year")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	if *recipient == "" {
		return a.usageError(fs, "--recipient is required")
	}
	if *by != "year" {
		return a.usageError(fs, "--by %q: only year is supported", *by)
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	rid, err := resolveEntity(ctx, s, *recipient)
	if err != nil {
		return err
	}
	var sid string
	if *supplier != "" {
		if sid, err = resolveEntity(ctx, s, *supplier); err != nil {
			return err
		}
	}
	claims, err := s.FindClaims(ctx, armstrace.ClaimFilter{Kind: armstrace.ClaimSupplied, Object: rid, Subject: sid})
	if err != nil {
		return err
	}
	sums, skipped := sipri.DeliveredByYear(claims)
	byYear := map[int]*transferYear{}
	names := map[string]string{}
	for _, c := range claims {
		t := c.Attrs.Transfer
		if t == nil || len(t.Deliveries) == 0 || leftOut(c.ID, skipped) {
			continue
		}
		if _, ok := names[c.Subject]; !ok {
			if e, err := s.FindEntityByID(ctx, c.Subject); err == nil {
				names[c.Subject] = e.Name
			} else {
				names[c.Subject] = c.Subject
			}
		}
		for _, d := range t.Deliveries {
			if (*since != 0 && d.Year < *since) || (*until != 0 && d.Year > *until) {
				continue
			}
			y := byYear[d.Year]
			if y == nil {
				y = &transferYear{Year: d.Year, TIV: sums[d.Year]}
				byYear[d.Year] = y
			}
			yd := yearDeal{Claim: c.ID, Supplier: names[c.Subject], Designation: t.Designation}
			if d.Number != nil && d.Number.Best != nil {
				yd.Number = *d.Number.Best
			}
			if d.TIVDelivered != nil && d.TIVDelivered.Best != nil {
				yd.TIV = *d.TIVDelivered.Best
			}
			y.Deals = append(y.Deals, yd)
		}
	}
	var years []transferYear
	for _, y := range byYear {
		sort.Slice(y.Deals, func(i, j int) bool {
			if y.Deals[i].TIV != y.Deals[j].TIV {
				return y.Deals[i].TIV > y.Deals[j].TIV
			}
			return y.Deals[i].Claim < y.Deals[j].Claim
		})
		years = append(years, *y)
	}
	sort.Slice(years, func(i, j int) bool { return years[i].Year < years[j].Year })
	if a.JSON {
		if years == nil {
			years = []transferYear{}
		}
		return writeJSON(a.Stdout, map[string]any{"recipient": rid, "supplier": sid, "unit": "TIV-m", "coverage": sipriCoverage, "years": years, "left_out": skipped})
	}
	title := "Arms delivered to " + *recipient
	if *supplier != "" {
		title += " by " + *supplier
	}
	fmt.Fprintf(a.Stdout, "%s, by delivery year (SIPRI TIV, millions)\n\n", title)
	for _, y := range years {
		fmt.Fprintf(a.Stdout, "%d  %10.2f\n", y.Year, y.TIV)
		for _, d := range y.Deals {
			fmt.Fprintf(a.Stdout, "        %8.2f  %-28s %5.0f × %-24s %s\n", d.TIV, d.Supplier, d.Number, d.Designation, d.Claim)
		}
	}
	if len(years) == 0 {
		fmt.Fprintf(a.Stdout, "No per-year deliveries recorded. Import SIPRI's trade register (2024+ layout) with: armstrace import --format sipri-register FILE\n")
	}
	if len(skipped) > 0 {
		// Group by reason: the classic layout alone can leave hundreds out.
		byReason := map[string][]string{}
		var reasons []string
		for _, sk := range skipped {
			if byReason[sk.Reason] == nil {
				reasons = append(reasons, sk.Reason)
			}
			byReason[sk.Reason] = append(byReason[sk.Reason], sk.Claim)
		}
		fmt.Fprintf(a.Stdout, "\nLeft out of the sums: %d claim(s) (--json lists them all)\n", len(skipped))
		for _, r := range reasons {
			ids := byReason[r]
			more := ""
			if len(ids) > 5 {
				ids, more = ids[:5], fmt.Sprintf(" and %d more", len(byReason[r])-5)
			}
			fmt.Fprintf(a.Stdout, "  %d: %s\n    e.g. %s%s\n", len(byReason[r]), r, strings.Join(ids, ", "), more)
		}
	}
	fmt.Fprintf(a.Stdout, "\n%s\n", sipriCoverage)
	return nil
}

func leftOut(id string, skipped []sipri.Skipped) bool {
	for _, s := range skipped {
		if s.Claim == id {
			return true
		}
	}
	return false
}

// resolveEntity turns a name or id into an entity id: an existing id (or
// one merged into another), then an entity whose name or alias is exactly
// the name, then a state of the curated table. More than one entity of
// that exact name is an error that lists them.
func resolveEntity(ctx context.Context, s *store.Store, name string) (string, error) {
	if e, err := s.FindEntityByID(ctx, name); err == nil {
		return e.ID, nil
	}
	if to, err := s.Redirect(ctx, name); err == nil && to != "" {
		return to, nil
	}
	es, err := s.FindEntities(ctx, armstrace.EntityFilter{NameLike: name})
	if err != nil {
		return "", err
	}
	var exact []string
	for _, e := range es {
		for _, n := range e.Names() {
			if strings.EqualFold(n, name) {
				exact = append(exact, e.ID)
				break
			}
		}
	}
	switch len(exact) {
	case 1:
		return exact[0], nil
	case 0:
		if states, err := ingest.LoadStates(); err == nil {
			if st, ok := states.ByName(name); ok {
				return st.ID, nil
			}
		}
		return "", armstrace.Errorf(armstrace.ENOTFOUND, "no entity is named %q", name)
	}
	return "", armstrace.Errorf(armstrace.EINVALID, "%q names %d entities (%s): give an id", name, len(exact), strings.Join(exact, ", "))
}
