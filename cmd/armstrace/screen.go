package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/match"
	"github.com/armstrace/armstrace/internal/screening"
	"github.com/armstrace/armstrace/internal/store"
)

// screenHit is a hit with what the evidence graph holds on the entity:
// screening is the door into the chain.
type screenHit struct {
	screening.Hit
	Graph store.GraphCounts `json:"graph"`
}

type screenResult struct {
	Query   string      `json:"query"`
	Results []screenHit `json:"results"`
	// Suppressed are hits a reviewer decided are not a match: not
	// results, but shown so that nothing disappears unexplained.
	Suppressed []screening.Hit `json:"suppressed,omitempty"`
}

// identifierFlags collects --identifier SCHEME=VALUE flags.
type identifierFlags []armstrace.Identifier

func (f *identifierFlags) String() string { return fmt.Sprint(*f) }
func (f *identifierFlags) Set(v string) error {
	scheme, value, ok := strings.Cut(v, "=")
	if !ok || scheme == "" || value == "" {
		return fmt.Errorf("want SCHEME=VALUE, such as ru-inn=7718852163")
	}
	*f = append(*f, armstrace.Identifier{Scheme: scheme, Value: value})
	return nil
}

func (a *App) runScreen(ctx context.Context, args []string) error {
	fs := a.newFlagSet("screen", "screen [--threshold T] [--limit N] [--kind K] [--identifier SCHEME=VALUE] NAME… | screen --csv FILE --name-column C [--id-column C] [--kind K | --kind-column C] [-o OUT]", `
Screen names against every entity in the database (sanctions lists,
exporters, vendors, armed groups…), across scripts and misspellings. Each
result has a score (0–1), match (score ≥ threshold), the band (≥0.95 sure,
0.70–0.95 review), the entity with its identifiers, which of its names was
met and how, and what the evidence graph holds on it: sanctions, transfers
it supplied, contracts. An identifier (an INN, an OFAC entry number)
matching an entity always brings it in, whatever the name.

With --csv, a vendor file is screened row by row: each output row is the
input row with the best match's columns added, in input order. Names that
repeat are screened once.

Say what the names are when you know it (--kind person, or a column of
kinds): a person's name met by a vessel's or a company's one-word name is
then told apart, and false positives fall by half.`,
		"armstrace screen Rosobornexport",
		"armstrace screen --identifier ru-inn=7718852163 \"Unknown Arms Trader\"",
		"armstrace --json screen --limit 3 Рособоронэкспорт",
		"armstrace screen --csv vendors.csv --name-column vendor_name -o screened.csv",
		"armstrace screen --csv people.csv --name-column name --kind person")
	threshold := fs.Float64("threshold", match.DefaultThreshold, "the score at or above which a hit is a match")
	limit := fs.Int("limit", 5, "hits per name")
	var ids identifierFlags
	fs.Var(&ids, "identifier", "an identifier of the name screened, SCHEME=VALUE (repeatable)")
	csvFile := fs.String("csv", "", "screen the rows of this CSV file")
	nameCol := fs.String("name-column", "name", "with --csv: the column of names")
	idCol := fs.String("id-column", "", "with --csv: a column to carry through as the row's id")
	out := fs.String("o", "-", "with --csv: write the screened rows to FILE")
	kindFlag := fs.String("kind", "", "what the names are: person, company, vessel… (or a FollowTheMoney schema: Person, Company…)")
	kindCol := fs.String("kind-column", "", "with --csv: a column giving each row's kind (as --kind)")
	names, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *csvFile == "" && len(names) == 0 {
		return a.usageError(fs, "name at least one name to screen, or give --csv FILE")
	}
	if *csvFile != "" && len(names) > 0 {
		return a.usageError(fs, "give names or --csv, not both")
	}
	kind, err := armstrace.ParseKind(*kindFlag)
	if err != nil {
		var e *armstrace.Error
		errors.As(err, &e)
		return a.usageError(fs, "--kind: %s", e.Message)
	}
	if *kindCol != "" && (*csvFile == "" || *kindFlag != "") {
		return a.usageError(fs, "--kind-column goes with --csv, and not with --kind")
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	ents, err := s.FindEntities(ctx, armstrace.EntityFilter{})
	if err != nil {
		return err
	}
	ix := match.NewIndex(ents, match.IndexOptions{})
	opts := match.DefaultOptions()
	opts.Threshold = *threshold
	decided, err := s.ScreeningDecisions(ctx)
	if err != nil {
		return err
	}
	decisions := screening.NewDecisions(decided)
	if *csvFile != "" {
		return a.screenCSV(ix, opts, decisions, *csvFile, csvColumns{name: *nameCol, id: *idCol, kind: *kindCol}, kind, *out)
	}
	var results []screenResult
	for _, n := range names {
		all := ix.Search(match.Subject{Name: n, Kind: kind, Identifiers: ids}, *limit+decisions.Suppressed(n), 0, opts)
		hits, suppressed := decisions.Apply(n, all, *limit)
		res := screenResult{Query: n, Results: []screenHit{}, Suppressed: suppressed}
		for _, h := range hits {
			g, err := s.CountGraph(ctx, h.Entity.ID, nil)
			if err != nil {
				return err
			}
			res.Results = append(res.Results, screenHit{Hit: h, Graph: g})
		}
		results = append(results, res)
	}
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"algorithm": "armstrace-match", "version": armstrace.Version, "threshold": *threshold, "responses": results})
	}
	for _, r := range results {
		fmt.Fprintf(a.Stdout, "%s\n", r.Query)
		if len(r.Results) == 0 {
			fmt.Fprintf(a.Stdout, "  no candidates among %d entities\n", ix.Len())
		}
		for i, h := range r.Results {
			mark := " "
			if h.Match {
				mark = "!"
			}
			fmt.Fprintf(a.Stdout, "%s %d. %.2f %-8s %s [%s]%s\n", mark, i+1, h.Score, h.Band, h.Entity.Name, h.Entity.ID, identifiersOf(h.Entity))
			fmt.Fprintf(a.Stdout, "       %s\n", h.Explanation.Summary)
			if h.Review != nil {
				fmt.Fprintf(a.Stdout, "       reviewed: a match (%s, %s): %s\n", h.Review.Reviewer, h.Review.At, h.Review.Reason)
			}
			if h.Graph != (store.GraphCounts{}) {
				fmt.Fprintf(a.Stdout, "       graph: %d sanction(s), %d transfer(s) supplied, %d contract(s)\n", h.Graph.Sanctions, h.Graph.Supplied, h.Graph.Contracts)
			}
		}
		for _, h := range r.Suppressed {
			fmt.Fprintf(a.Stdout, "  suppressed: %.2f %s [%s]: reviewed as not a match (%s, %s): %s\n", h.Score, h.Entity.Name, h.Entity.ID, h.Review.Reviewer, h.Review.At, h.Review.Reason)
		}
		fmt.Fprintln(a.Stdout)
	}
	return nil
}

func identifiersOf(e *armstrace.Entity) string {
	var parts []string
	for _, id := range e.Identifiers {
		if id.Strong() {
			parts = append(parts, id.Scheme+" "+id.Value)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) > 4 {
		parts = append(parts[:4], "…")
	}
	return " " + strings.Join(parts, ", ")
}

// screenCSV screens a CSV file row by row with a pool of workers, writing
// rows in input order; a name seen before is not screened again.
// csvColumns are the columns of a vendor file screen reads.
type csvColumns struct{ name, id, kind string }

func (a *App) screenCSV(ix *match.Index, opts match.Options, decisions screening.Decisions, path string, cols csvColumns, kind armstrace.EntityKind, outPath string) error {
	nameCol, idCol := cols.name, cols.id
	f, err := os.Open(path)
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: path, Message: "cannot open: " + errors.Unwrap(err).Error()}
	}
	defer f.Close()
	var size int64 = -1
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	p := newProgress(a, "screening "+path, size)
	defer p.done()
	t, err := ingest.NewTable(p.reader(f), ingest.TableOptions{IsHeader: ingest.HeaderHas(nameCol), MaxPreamble: 1})
	if err != nil {
		return armstrace.AtLine(path, lineOf(err), err)
	}
	for _, col := range []string{idCol, cols.kind} {
		if col == "" {
			continue
		}
		if err := t.Require(col); err != nil {
			return armstrace.AtLine(path, lineOf(err), err)
		}
	}
	w := io.Writer(a.Stdout)
	var outFile *os.File
	if outPath != "-" {
		if outFile, err = os.Create(outPath); err != nil {
			return &armstrace.Error{Code: armstrace.EINVALID, File: outPath, Message: "cannot write", Err: err}
		}
		defer outFile.Close()
		w = outFile
	}
	cw := csv.NewWriter(w)
	header := append(append([]string(nil), t.Header()...), "match_score", "match", "match_band", "match_entity_id", "match_entity_name", "match_name_met", "match_summary", "match_suppressed")
	if err := cw.Write(header); err != nil {
		return err
	}
	type job struct {
		row  []string
		name string
		kind armstrace.EntityKind
		line int
	}
	// A name is screened once for each kind it is given with.
	keyOf := func(j job) string { return string(j.kind) + "\x00" + match.Normalize(j.name) }
	// answer is a name's best hit; nil when nothing came near.
	type answer struct {
		hit        *screening.Hit
		suppressed []string // entity ids of hits reviewed as not a match
	}
	// Rows go to workers in chunks; answers are memoised by normalised
	// name and written in input order.
	memo := map[string]*answer{}
	var mu sync.Mutex
	workers := runtime.GOMAXPROCS(0)
	var bad int
	flush := func(chunk []job) error {
		todo := map[string]job{} // by keyOf: a name to screen
		for _, j := range chunk {
			k := keyOf(j)
			mu.Lock()
			_, done := memo[k]
			mu.Unlock()
			if !done {
				todo[k] = j
			}
		}
		keys := make([]string, 0, len(todo))
		for k := range todo {
			keys = append(keys, k)
		}
		var wg sync.WaitGroup
		next := make(chan string)
		for i := 0; i < workers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range next {
					j := todo[k]
					all := ix.Search(match.Subject{Name: j.name, Kind: j.kind}, 1+decisions.Suppressed(j.name), 0, opts)
					hits, suppressed := decisions.Apply(j.name, all, 1)
					ans := &answer{}
					if len(hits) > 0 {
						ans.hit = &hits[0]
					}
					for _, h := range suppressed {
						ans.suppressed = append(ans.suppressed, h.Entity.ID)
					}
					mu.Lock()
					memo[k] = ans
					mu.Unlock()
				}
			}()
		}
		for _, k := range keys {
			next <- k
		}
		close(next)
		wg.Wait()
		for _, j := range chunk {
			rec := append(append([]string(nil), j.row...), "", "false", "", "", "", "", "", "")
			n := len(j.row)
			if j.name == "" {
				rec[n+6] = "no name in this row"
			} else if ans := memo[keyOf(j)]; ans.hit != nil || ans.suppressed != nil {
				if h := ans.hit; h != nil {
					rec[n], rec[n+1], rec[n+2] = fmt.Sprintf("%.3f", h.Score), fmt.Sprint(h.Match), string(h.Band)
					rec[n+3], rec[n+4], rec[n+5], rec[n+6] = h.Entity.ID, h.Entity.Name, h.Explanation.Candidate, h.Explanation.Summary
				}
				rec[n+7] = strings.Join(ans.suppressed, " ")
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		return nil
	}
	var chunk []job
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
		name := c.Str(nameCol)
		if name == "" || c.Err() != nil {
			bad++
			fmt.Fprintf(a.Stderr, "armstrace: %s:%d: field %s: no name to screen\n", path, c.Line, nameCol)
			name = ""
		}
		rowKind := kind
		if cols.kind != "" {
			if rowKind, err = armstrace.ParseKind(c.Str(cols.kind)); err != nil {
				var e *armstrace.Error
				errors.As(err, &e)
				return &armstrace.Error{Code: armstrace.EINVALID, File: path, Line: c.Line, Field: cols.kind, Message: e.Message}
			}
		}
		chunk = append(chunk, job{row: row, name: name, kind: rowKind, line: c.Line})
		p.count()
		if len(chunk) == 2000 {
			if err := flush(chunk); err != nil {
				return err
			}
			chunk = chunk[:0]
		}
	}
	if err := flush(chunk); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if bad > 0 {
		fmt.Fprintf(a.Stderr, "armstrace: %d row(s) had no name; they are written with an empty match\n", bad)
	}
	return nil
}
