package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/match"
)

// kindsBySchema maps FollowTheMoney schema names, which screening clients
// use, to entity kinds.
var kindsBySchema = map[string]armstrace.EntityKind{
	"company": armstrace.EntityCompany, "organization": armstrace.EntityCompany, "legalentity": armstrace.EntityCompany,
	"person": armstrace.EntityPerson, "vessel": armstrace.EntityVessel, "publicbody": armstrace.EntityAgency,
}

func (a *App) runCompare(ctx context.Context, args []string) error {
	fs := a.newFlagSet("compare", "compare [--schema Company|Person|…] [--threshold T] NAME1 NAME2 | compare --csv FILE [-o OUT]", `
Score two names with the full explanation: which tokens met and how
(literally, as the same legal form, through a transliteration, or with
typos), what each feature added, and the band: ≥0.95 sure, 0.70–0.95 for
review, below 0.70 not a match. Reviewers use it to settle a pair. It needs
no database.

With --csv, every row of a CSV file with the columns name1 and name2 (and
optionally schema; other columns are passed through) is scored, and written
back with the columns score, match and explanation added, in input order.`,
		"armstrace compare Rosobornexport \"ROSOBORONEKSPORT OAO\"",
		"armstrace --json compare --schema Company Рособоронэкспорт ROSOBORONEXPORT",
		"armstrace compare --csv pairs.csv -o scored.csv")
	csvFile := fs.String("csv", "", "score the pairs of this CSV file (columns name1, name2, optional schema)")
	out := fs.String("o", "-", "with --csv: write the scored rows to FILE")
	schema := fs.String("schema", "", "the kind of both names: Company, Organization, Person, Vessel, PublicBody")
	threshold := fs.Float64("threshold", match.DefaultThreshold, "the score at or above which the pair is a match")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	opts := match.DefaultOptions()
	opts.Threshold = *threshold
	if *csvFile != "" {
		if len(pos) > 0 {
			return a.usageError(fs, "give two names or --csv, not both")
		}
		return a.compareCSV(opts, *csvFile, *out)
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

// compareCSV scores the pairs of a CSV file in input order, passing its
// other columns through.
func (a *App) compareCSV(opts match.Options, path, outPath string) error {
	f, err := os.Open(path)
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: path, Message: "cannot open: " + errors.Unwrap(err).Error()}
	}
	defer f.Close()
	t, err := ingest.NewTable(f, ingest.TableOptions{IsHeader: ingest.HeaderHas("name1"), MaxPreamble: 1})
	if err != nil {
		return armstrace.AtLine(path, lineOf(err), err)
	}
	if err := t.Require("name1", "name2"); err != nil {
		return armstrace.AtLine(path, lineOf(err), err)
	}
	w := io.Writer(a.Stdout)
	if outPath != "-" {
		of, err := os.Create(outPath)
		if err != nil {
			return &armstrace.Error{Code: armstrace.EINVALID, File: outPath, Message: "cannot write", Err: err}
		}
		defer of.Close()
		w = of
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string(nil), t.Header()...), "score", "match", "explanation")); err != nil {
		return err
	}
	for {
		c, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return armstrace.AtLine(path, lineOf(err), err)
		}
		row := make([]string, len(t.Header()))
		for i := range row {
			row[i] = c.At(i)
		}
		var kind armstrace.EntityKind
		if sc := c.Str("schema"); sc != "" {
			k, ok := kindsBySchema[strings.ToLower(sc)]
			if !ok {
				return &armstrace.Error{Code: armstrace.EINVALID, File: path, Line: c.Line, Field: "schema", Message: fmt.Sprintf("unknown schema %q", sc)}
			}
			kind = k
		}
		n1, n2 := c.Need("name1"), c.Need("name2")
		if err := c.Err(); err != nil {
			return armstrace.AtLine(path, c.Line, err)
		}
		res := match.Compare(match.Subject{Name: n1, Kind: kind}, match.Subject{Name: n2, Kind: kind}, opts)
		if err := cw.Write(append(row, strconv.FormatFloat(res.Score, 'f', 4, 64), strconv.FormatBool(res.Match), res.Explanation.Summary)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
