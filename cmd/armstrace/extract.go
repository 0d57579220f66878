package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/evidence"
	"github.com/armstrace/armstrace/internal/extract"
	"github.com/armstrace/armstrace/internal/store"
)

func (a *App) runExtract(ctx context.Context, args []string) error {
	fs := a.newFlagSet("extract", "extract FILE.txt|FILE.html [--source ID] [--published DATE]", `
Propose candidate claims from a report's text: who supplied whom, who
contracted whom, weapons documented at a place, people killed, atrocities
reported from a place, a ceasefire's deadline. Each proposal cites the
sentence it came from, says which rule fired and how each end was
resolved (a name or alias of the store, a screening hit with its score,
a built-in country, or a reference back such as "the company"), with the
amount, casualties and date it gives; relative dates ("last year",
"tomorrow") are resolved against the publication date: --published, else
the source's, else a publication line in the text.

Without FILE, --source reads the source's stored copy (armstrace source
add): its extracted text if one was made (source derive --text), else
the original, if it is text or HTML; the reading is in its chain of
custody.

Without --source it only prints. With --source (a source already in the
database) the proposals whose ends are records of the store are written
as claims citing that source, status alleged, for reviewers to verify,
all in one transaction; their ids are derived from the source, kind, ends
and sentence, so running it again adds nothing.`,
		"armstrace extract report.txt",
		"armstrace extract --published 2012-04-12 report.html",
		"armstrace extract --source src:hrf-2012-04-12 press-release.txt",
		"armstrace extract --source src:650d9283f6c1",
		"armstrace --json extract report.txt > proposals.json")
	sourceID := fs.String("source", "", "write the claimable proposals as alleged claims citing this source (its id)")
	published := fs.String("published", "", "the report's publication date (YYYY, YYYY-MM or YYYY-MM-DD), for relative dates")
	filesDir := fs.String("files", "", "with --source and no FILE: the folder of stored files (default: beside the database, or $"+EnvFiles+")")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 || len(pos) == 0 && *sourceID == "" {
		return a.usageError(fs, "give one file to read, or --source ID to read the source's stored copy")
	}
	if err := armstrace.Date(*published).Validate(); err != nil {
		return a.usageError(fs, "--published: %v", err)
	}
	var path, text string
	if len(pos) == 1 {
		path = pos[0]
		if text, err = readReport(path); err != nil {
			return err
		}
	} else if path, text, err = a.storedReport(ctx, *filesDir, *sourceID); err != nil {
		return err
	}

	write := *sourceID != ""
	var s *store.Store
	var gz *extract.Gazetteer
	s, err = a.openStore(ctx, write)
	switch {
	case err == nil:
		defer s.Close()
		if gz, err = extract.Load(ctx, s); err != nil {
			return err
		}
	case !write && armstrace.ErrorCode(err) == armstrace.ENOTFOUND:
		// No database: extraction still reads countries, dates, amounts
		// and casualties, and names nothing it cannot resolve.
		fmt.Fprintf(a.Stderr, "armstrace: %s; names are resolved against the built-in countries only\n", armstrace.ErrorMessage(err))
		gz = extract.NewGazetteer(nil, nil, nil, nil)
	default:
		return err
	}

	opts := extract.Options{Published: armstrace.Date(*published), PublishedFrom: "--published"}
	var src *armstrace.Source
	if write {
		src, err = s.FindSourceByID(ctx, *sourceID)
		if armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
			return armstrace.Errorf(armstrace.ENOTFOUND, "source %q is not in %s: add it first (armstrace import), then extract citing it", *sourceID, a.DB)
		}
		if err != nil {
			return err
		}
		if opts.Published == "" && src.Published != "" {
			opts.Published, opts.PublishedFrom = src.Published, "the source "+src.ID
		}
	}
	if opts.Published == "" {
		opts.PublishedFrom = ""
	}
	res := gz.Extract(text, opts)

	out := extractOutput{File: path, Source: *sourceID, Result: res}
	var finder extract.ClaimFinder
	if s != nil {
		finder = s
	}
	rows, claims, err := extract.Rows(ctx, finder, *sourceID, res.Proposals)
	if err != nil {
		return err
	}
	out.Rows, out.Claimable = rows, len(claims)
	if write && len(claims) > 0 {
		stats, err := s.EnsureAll(ctx, claims...)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		out.Written, out.Unchanged = stats.Created[armstrace.TypeClaim], stats.Unchanged[armstrace.TypeClaim]
	}
	if a.JSON {
		return writeJSON(a.Stdout, out)
	}
	printExtract(a.Stdout, out, write)
	return nil
}

// sourceOr is the source a preview's claim ids are made with: the one
// given, or a placeholder, so that a preview shows the shape of the ids.

type extractOutput struct {
	File   string `json:"file"`
	Source string `json:"source,omitempty"`
	*extract.Result
	Rows      []extract.Row `json:"proposals"`
	Claimable int           `json:"claimable"`
	Written   int           `json:"written"`
	Unchanged int           `json:"unchanged"`
}

// readReport reads a report's text, the readable text of an HTML file.
func readReport(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", armstrace.Errorf(armstrace.ENOTFOUND, "%s: no such file", path)
		}
		return "", armstrace.Errorf(armstrace.EINVALID, "%s: cannot read it: %v", path, err)
	}
	text := string(b)
	if !utf8Valid(text) {
		return "", armstrace.Errorf(armstrace.EINVALID, "%s: not UTF-8 text; convert it first (for example with iconv)", path)
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".html" || ext == ".htm" || ext != ".txt" && extract.LooksLikeHTML(text) {
		text = extract.HTMLText(text)
	}
	if strings.TrimSpace(text) == "" {
		return "", armstrace.Errorf(armstrace.EINVALID, "%s: no text to read", path)
	}
	return text, nil
}

// storedReport reads the text of a source's stored copy: its newest text
// copy, else its original when that is text or HTML, checked against its
// digest, the reading audited as a view of the source.
func (a *App) storedReport(ctx context.Context, filesFlag, id string) (string, string, error) {
	s, files, _, err := a.openSource(ctx, filesFlag, id, false, false)
	if err != nil {
		return "", "", err
	}
	defer s.Close()
	return evidence.Text(ctx, s, files, id, "extract")
}

func utf8Valid(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func printExtract(w io.Writer, out extractOutput, wrote bool) {
	res := out.Result
	fmt.Fprintf(w, "%s: %d sentences", out.File, res.Sentences)
	if res.Published != "" {
		fmt.Fprintf(w, ", published %s (from %s)", res.Published, res.PublishedFrom)
	} else {
		fmt.Fprintf(w, ", no publication date: relative dates are left unresolved (give --published)")
	}
	fmt.Fprintf(w, "\n%d proposals, %d of them claims with both ends in the store\n", len(out.Rows), out.Claimable)
	for i, r := range out.Rows {
		fmt.Fprintf(w, "\n%s", proposalText(i+1, r.Proposal))
		switch {
		case r.NotClaim != "":
			fmt.Fprintf(w, "   not a claim: %s\n", r.NotClaim)
		case wrote:
			fmt.Fprintf(w, "   claim %s (alleged, for review)\n", r.Claim)
		default:
			fmt.Fprintf(w, "   can be written as a claim with --source\n")
		}
		if len(r.InGraph) > 0 {
			fmt.Fprintf(w, "   already in the graph: %s\n", strings.Join(r.InGraph, ", "))
		} else {
			fmt.Fprintf(w, "   new to the graph\n")
		}
	}
	seen := map[string]bool{}
	var resolved []string
	for _, m := range res.Mentions {
		if m.Entity == "" || m.Score == 1 && !strings.Contains(m.How, "alias") || seen[m.Text+m.Entity] {
			continue
		}
		seen[m.Text+m.Entity] = true
		resolved = append(resolved, fmt.Sprintf("  “%s” → %s: %s", m.Text, m.Entity, m.How))
	}
	if len(resolved) > 0 {
		fmt.Fprintf(w, "\nNames resolved other than by their own name:\n%s\n", strings.Join(resolved, "\n"))
	}
	if len(res.SetAside) > 0 {
		fmt.Fprintf(w, "\nSet aside:\n")
		for _, s := range res.SetAside {
			fmt.Fprintf(w, "  sentence %d, “%s”: %s\n", s.Sentence, s.Trigger, s.Reason)
		}
	}
	if wrote {
		fmt.Fprintf(w, "\n%d claims written (status alleged, in the review queue), %d already there\n", out.Written, out.Unchanged)
	} else if out.Claimable > 0 {
		fmt.Fprintf(w, "\nNothing written: give --source ID to write the %d claims as alleged, for review.\n", out.Claimable)
	}
}

// proposalText renders one proposal for people: kind and ends, figures,
// confidence and rule, how each end was resolved, and the sentence.
func proposalText(n int, p *extract.Proposal) string {
	var b strings.Builder
	end := func(m *extract.Mention) string {
		if m == nil {
			return "(not named)"
		}
		s := "“" + m.Text + "”"
		switch {
		case m.Entity != "":
			s += " [" + m.Entity + "]"
		case m.Ceasefire != "":
			s += " [" + m.Ceasefire + "]"
		case m.Name != "" && m.Name != m.Text:
			s += " (" + m.Name + ")"
		}
		if m.Event != "" {
			s += " at event " + m.Event
		}
		return s
	}
	fmt.Fprintf(&b, "%d. %s: %s → %s\n", n, p.Kind, end(p.Subject), end(p.Object))
	var details []string
	if p.Amount != nil {
		details = append(details, "amount "+p.Amount.Range.String())
	}
	if p.Casualties != nil {
		details = append(details, "killed "+p.Casualties.Range.String())
	}
	if p.Weapon != nil {
		details = append(details, "weapon "+end(p.Weapon))
	}
	if p.Place != nil && p.Kind == extract.KindCeasefire {
		details = append(details, "place "+end(p.Place))
	}
	if d := p.Date; d != nil {
		v := string(d.Value)
		if v == "" && d.From != "" {
			v = string(d.From) + "…" + string(d.To)
		}
		if v == "" {
			v = "unresolved"
		}
		s := "date " + v + " (“" + d.Text + "”"
		if d.Basis != "" {
			s += ", from " + d.Basis
		}
		details = append(details, s+")")
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, "   %s\n", strings.Join(details, "; "))
	}
	fmt.Fprintf(&b, "   confidence %.2f; rule %s: %s\n", p.Confidence, p.Rule, p.Why)
	for _, x := range []struct {
		name string
		m    *extract.Mention
	}{{"subject", p.Subject}, {"object", p.Object}} {
		if x.m != nil {
			fmt.Fprintf(&b, "   %s “%s”: %s (score %.2f)\n", x.name, x.m.Text, x.m.How, x.m.Score)
		}
	}
	fmt.Fprintf(&b, "   at %s:\n     “%s”\n", p.Sentence.Locator(), p.Sentence.Text)
	return b.String()
}
