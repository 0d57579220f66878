package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/match"
)

// kindsBySchema maps FollowTheMoney schema names, which screening clients
// use, to entity kinds.
var kindsBySchema = map[string]armstrace.EntityKind{
	"company": armstrace.EntityCompany, "organization": armstrace.EntityCompany, "legalentity": armstrace.EntityCompany,
	"person": armstrace.EntityPerson, "vessel": armstrace.EntityVessel, "publicbody": armstrace.EntityAgency,
}

func (a *App) runCompare(ctx context.Context, args []string) error {
	fs := a.newFlagSet("compare", "compare [--schema Company|Person|…] [--threshold T] NAME1 NAME2", `
Score two names with the full explanation: which tokens met and how
(literally, as the same legal form, through a transliteration, or with
typos), what each feature added, and the band: ≥0.95 sure, 0.70–0.95 for
review, below 0.70 not a match. Reviewers use it to settle a pair. It needs
no database.`,
		"armstrace compare Rosobornexport \"ROSOBORONEKSPORT OAO\"",
		"armstrace --json compare --schema Company Рособоронэкспорт ROSOBORONEXPORT")
	schema := fs.String("schema", "", "the kind of both names: Company, Organization, Person, Vessel, PublicBody")
	threshold := fs.Float64("threshold", match.DefaultThreshold, "the score at or above which the pair is a match")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return a.usageError(fs, "compare takes two names (quote names with spaces)")
	}
	var kind armstrace.EntityKind
	if *schema != "" {
		k, ok := kindsBySchema[strings.ToLower(*schema)]
		if !ok {
			return a.usageError(fs, "unknown schema %q", *schema)
		}
		kind = k
	}
	opts := match.DefaultOptions()
	opts.Threshold = *threshold
	res := match.Compare(match.Subject{Name: pos[0], Kind: kind}, match.Subject{Name: pos[1], Kind: kind}, opts)
	if a.JSON {
		return writeJSON(a.Stdout, res)
	}
	fmt.Fprintf(a.Stdout, "%.2f  %s  %s\n\n", res.Score, res.Band, res.Explanation.Summary)
	for _, l := range res.Explanation.Alignment {
		how := string(l.Kind)
		switch l.Kind {
		case match.AlignTransliteration:
			how += " (" + l.Scheme
			if l.Romanized != "" {
				how += ": " + l.Romanized
			}
			how += ")"
		case match.AlignFuzzy:
			how += fmt.Sprintf(" (%d edit(s))", l.Cost)
		case match.AlignSymbol:
			how += " (" + l.Symbol + ")"
		}
		fmt.Fprintf(a.Stdout, "  %-24s %-24s %-34s %+.3f\n", l.Query, l.Candidate, how, l.Contribution)
	}
	fmt.Fprintln(a.Stdout)
	for _, f := range res.Explanation.Features {
		fmt.Fprintf(a.Stdout, "  %-14s %+.3f  %s\n", f.Name, f.Contribution, f.Detail)
	}
	return nil
}
