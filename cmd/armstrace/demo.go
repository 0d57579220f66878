package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/auth"
	"github.com/armstrace/armstrace/internal/ceasefire"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/dossier"
	"github.com/armstrace/armstrace/internal/evidence"
	"github.com/armstrace/armstrace/internal/extract"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/store"
)

// DemoDB is the database the demo writes when --db is not given.
const DemoDB = "armstrace-demo.db"

func (a *App) runDemo(ctx context.Context, args []string) error {
	fs := a.newFlagSet("demo", "demo [--no-serve]", `
Load the bundled demo dataset into ./`+DemoDB+` (or --db) and tell the
story that started armstrace: Human Rights First's press release of
12 April 2012. Each link of the chain, from the atrocities in Homs to the
Russian weapons documented there, to Rosoboronexport, to its contract with
the U.S. Department of Defense, is printed with the sources it rests on.

It needs no network. Running it again adds nothing: the import is
idempotent. Then it serves the web UI on the demo database, with a
read-only login (user demo, password `+demoPassword+`), until Ctrl-C;
--no-serve exits instead.`,
		"armstrace demo",
		"armstrace demo --no-serve",
		"armstrace --json demo --no-serve > story.json")
	noServe := fs.Bool("no-serve", false, "exit after printing the story instead of serving the web UI")
	addr := fs.String("addr", "127.0.0.1:8080", "where the web UI listens")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	if !a.dbSet {
		a.DB = DemoDB
	}
	s, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()

	b, err := s.BeginBatch(armstrace.WithActor(ctx, "demo"))
	if err != nil {
		return err
	}
	defer b.Rollback()
	// Merge, not put: entities gain what the demo knows and keep what
	// imports added (a state's codes, a dataset's newer version of a
	// deal), and other records are created only if missing, so that
	// running the demo again never undoes an import.
	if err := a.importReader(b, bytes.NewReader(demo.Data), "demo.jsonl", int64(len(demo.Data)), armstrace.WriteMerge); err != nil {
		return err
	}
	if err := b.Commit(); err != nil {
		return err
	}
	if err := a.demoCeasefires(ctx, s); err != nil {
		return err
	}
	steps, err := demo.Story(ctx, s)
	if err != nil {
		return err
	}
	// The general answer, from the graph rather than from the story's
	// list: who enabled the atrocities in Syria in 2011–2012.
	rep, err := graph.Enablers(ctx, s, graph.Scope{Country: "Syria", Since: "2011", Until: "2012", Limit: 5})
	if err != nil {
		return err
	}
	// The dossier, resolved from the release's own misspelling.
	// Beside the database file, or in the working folder for a server.
	dossierPath := "rosoboronexport-dossier.html"
	if !strings.Contains(a.DB, "://") {
		dossierPath = filepath.Join(filepath.Dir(a.DB), dossierPath)
	}
	id, m, err := resolveSubject(ctx, s, "Rosobornexport")
	if err != nil {
		return err
	}
	d, err := dossier.Build(ctx, s, id, dossier.Options{Query: "Rosobornexport", Match: m})
	if err != nil {
		return err
	}
	if err := writeFileAtomic(dossierPath, func(w io.Writer) error { return dossier.Render(w, d, "html") }); err != nil {
		return err
	}
	cf2012, err := ceasefire.Build(ctx, s, "cf:syria-2012-04-12", ceasefire.Options{Windows: []int{7, 14}})
	if err != nil {
		return err
	}
	cf2016, err := ceasefire.Build(ctx, s, "cf:syria-2016-02-27", ceasefire.Options{Windows: []int{7, 14}})
	if err != nil {
		return err
	}
	proposed, err := a.demoExtract(ctx, s)
	if err != nil {
		return err
	}
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"database": a.DB, "import": b.Stats(), "story": steps, "enablers": rep, "dossier": dossierPath,
			"ceasefires": []*ceasefire.Report{cf2012, cf2016}, "extract": proposed})
	}
	c, u, n := b.Stats().Total()
	fmt.Fprintf(a.Stdout, `armstrace demo: the evidence behind Human Rights First's press release of 12 April 2012
database: %s (%d records created, %d updated, %d already there)

On 12 April 2012, the day a ceasefire in Syria was due to begin, Human Rights
First said that Russia's state arms exporter kept selling weapons to Syria
while Russian weapons were documented at the sites of atrocities, and that the
same company held a U.S. Department of Defense contract. Here is that chain,
link by link, each with the sources it rests on and how strong it is.
`, a.DB, c, u, n)
	if err := demo.Write(a.Stdout, steps); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "\n7. WHO ENABLED IT: THE TOP ENABLERS FOR SYRIA, 2011–2012, RANKED FROM THE GRAPH\n\n")
	printEnablers(a.Stdout, rep, false)
	fmt.Fprintf(a.Stdout, "\n8. DID THE CEASEFIRES HOLD?\n\n")
	printCeasefireHeadline(a.Stdout, cf2012)
	fmt.Fprintf(a.Stdout, "     The demo holds no daily counts for 2012: import the VDC daily series and run\n     armstrace ceasefire report cf:syria-2012-04-12 --series vdc:daily-total\n\n")
	printCeasefireHeadline(a.Stdout, cf2016)
	fmt.Fprintf(a.Stdout, "\n9. A NEW REPORT READ BY RULE: CLAIMS PROPOSED FROM ITS TEXT, BESIDE WHAT THE GRAPH HOLDS\n\n")
	printDemoExtract(a.Stdout, proposed)
	fmt.Fprintf(a.Stdout, "\nThe screening dossier of Rosoboronexport (found from the release's spelling, \"Rosobornexport\") is written to:\n  %s\n", dossierPath)
	fmt.Fprintf(a.Stdout, `
Explore further:
  armstrace --db %[1]s enablers --country Syria --since 2011 --until 2012 --chains
  armstrace --db %[1]s dossier Rosobornexport --format md
  armstrace --db %[1]s ceasefire report cf:syria-2016-02-27
  armstrace --db %[1]s export --format jsonl       every record, as JSON Lines
  armstrace --db %[1]s audit verify                check the tamper-evident audit log
  armstrace --db %[1]s audit log claim clm:roe-dod-mi17-contract
`, a.DB)
	if *noServe {
		return nil
	}
	if err := a.demoUser(ctx, s); err != nil {
		return err
	}
	files, err := a.servedFiles("")
	if err != nil {
		return err
	}
	return a.serveHTTP(ctx, s, files, *addr, func(url string) {
		fmt.Fprintf(a.Stdout, "\nThe web UI: %s\n  sign in as %s, password %s (a viewer: it reads public sources only)\n  Ctrl-C stops it; armstrace demo --no-serve only prints the story.\n", url, demoUser, demoPassword)
	})
}

// The demo's read-only login. It is printed, so it is no secret: the
// account is a viewer, on a database of public sources, served on the
// loopback address by default.
const (
	demoUser     = "demo"
	demoPassword = "read-only-demo"
)

// demoUser adds the demo's viewer, once.
func (a *App) demoUser(ctx context.Context, s *store.Store) error {
	_, _, err := s.FindUser(ctx, demoUser)
	if err == nil || armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
		return err
	}
	hash, err := auth.HashPassword(demoPassword, auth.Default)
	if err != nil {
		return err
	}
	return s.CreateUser(armstrace.WithActor(ctx, "demo"), &armstrace.User{Name: demoUser, Role: armstrace.UserViewer}, hash)
}

// demoCeasefires imports the bundled UCDP GED excerpt around the 2016
// cessation of hostilities, once, and the cessation itself.
func (a *App) demoCeasefires(ctx context.Context, s *store.Store) error {
	sum := sha256.Sum256(demo.GEDExcerpt)
	sha := hex.EncodeToString(sum[:])
	if _, err := s.FindSourceByID(ctx, ingest.SnapshotID("ucdp-ged", sha)); err == nil {
		return nil // imported by an earlier run
	} else if armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
		return err
	}
	dir, err := os.MkdirTemp("", "armstrace-demo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, demo.GEDExcerptName)
	if err := os.WriteFile(file, demo.GEDExcerpt, 0o600); err != nil {
		return err
	}
	f, _ := findFormat("ucdp-ged")
	b, err := s.BeginBatch(armstrace.WithActor(ctx, "demo"))
	if err != nil {
		return err
	}
	defer b.Rollback()
	if _, _, err := a.importDataset(ctx, b, f, []string{file}, importOptions{}); err != nil {
		return err
	}
	if err := a.importReader(b, bytes.NewReader(demo.Ceasefire2016), "ceasefire-2016.jsonl", int64(len(demo.Ceasefire2016)), armstrace.WriteMerge); err != nil {
		return err
	}
	return b.Commit()
}

// printCeasefireHeadline writes a ceasefire's headline figures.
func printCeasefireHeadline(w io.Writer, rep *ceasefire.Report) {
	c := rep.Ceasefire
	fmt.Fprintf(w, "   • %s (from %s), counted from %s\n", c.Name, c.Start, rep.Source)
	if t := rep.Cumulative.InTotals; t.Events > 0 {
		fmt.Fprintf(w, "     reported as totals over periods ending by the start: %s deaths, in %.0f record(s); not put on days\n", rangeOf(t), t.Events)
	}
	if rep.Cumulative.UpToStart.Best > 0 || rep.Cumulative.SinceStart.Best > 0 {
		fmt.Fprintf(w, "     deaths on the days recorded before the start: %.0f; from the start to %s: %.0f\n", rep.Cumulative.UpToStart.Best, rep.Cumulative.Through, rep.Cumulative.SinceStart.Best)
	}
	for _, win := range rep.Windows {
		if !win.Complete && win.BeforeMean == 0 && win.AfterMean == 0 {
			continue // no daily counts in the window at all
		}
		line := fmt.Sprintf("     %d days: %.1f deaths a day before, %.1f after (ratio %.2f, 95%% interval %.2f–%.2f)", win.Days, win.BeforeMean, win.AfterMean, win.RateRatio, win.CILow, win.CIHigh)
		if win.CoveredBefore != nil {
			line += fmt.Sprintf("; covered parties %.1f → %.1f", *win.CoveredBefore, *win.CoveredAfter)
		}
		if !win.Complete {
			line += " (data do not cover the whole window)"
		}
		fmt.Fprintln(w, line)
	}
	if rep.Counting == "events" && len(c.Excluded) > 0 {
		fmt.Fprintf(w, "     since the start: covered parties %.0f deaths, excluded parties (%s) %.0f, shown apart\n", rep.CoveredSince.Best, partyNames(c.Excluded), rep.ExcludedSince.Best)
	}
	if rep.FirstBreak != nil {
		fmt.Fprintf(w, "     first day that broke the pattern: %s (%.0f deaths, above %.1f)\n", rep.FirstBreak.Day, rep.FirstBreak.Value, rep.FirstBreak.Threshold)
	}
}

// rangeOf writes a total as best, or low–high where there is no best.
func rangeOf(c ceasefire.Counts) string {
	switch {
	case c.Best > 0 && c.Low == c.Best && c.High == c.Best:
		return fmt.Sprintf("%.0f", c.Best)
	case c.Best > 0:
		return fmt.Sprintf("%.0f (%.0f–%.0f)", c.Best, c.Low, c.High)
	case c.High > c.Low:
		return fmt.Sprintf("%.0f–%.0f", c.Low, c.High)
	}
	return fmt.Sprintf("at least %.0f", c.Low)
}

// demoProposals is what the demo's extraction found in the bundled
// report, each proposal with the records of the graph that hold it.
type demoProposals struct {
	File      string         `json:"file"`
	Published armstrace.Date `json:"published"`
	// Source and SHA256 name the report kept as evidence, when it was:
	// its exact bytes in the file store beside the database.
	Source string        `json:"source,omitempty"`
	SHA256 string        `json:"sha256,omitempty"`
	Files  string        `json:"files,omitempty"`
	Rows   []extract.Row `json:"proposals"`
}

// demoReportSource is the id the demo keeps its report under.
const demoReportSource = "src:demo-report-2012-06"

// demoExtract keeps the report bundled with the demo (written for it) as
// a source with its file, as armstrace source add would, reads it back
// from the file store, and proposes claims without writing any: it shows
// which the graph already holds and which would be new. On a database
// with no folder beside it, the bundled text is read as it is.
func (a *App) demoExtract(ctx context.Context, s *store.Store) (*demoProposals, error) {
	gz, err := extract.Load(ctx, s)
	if err != nil {
		return nil, err
	}
	out := &demoProposals{File: demo.ReportName}
	text := string(demo.Report)
	if files, err := a.openFiles("", true); err == nil {
		c, err := evidence.Collect(ctx, s, files, bytes.NewReader(demo.Report), demo.ReportName, evidence.Fields{
			ID: demoReportSource, Title: "Monitors question arms deliveries to Damascus (a report written for the demo)", Access: string(armstrace.AccessPublic),
			Kind: string(armstrace.SourceDocument), Published: "2012-06-20", Set: map[string]bool{"title": true, "access": true, "kind": true, "published": true}})
		if err != nil {
			return nil, err
		}
		if _, text, err = evidence.Text(ctx, s, files, c.Source.ID, "demo"); err != nil {
			return nil, err
		}
		out.Source, out.SHA256, out.Files = c.Source.ID, c.File.SHA256, files.Dir()
	}
	res := gz.Extract(text, extract.Options{})
	out.Published = res.Published
	if out.Rows, _, err = extract.Rows(ctx, s, "", res.Proposals); err != nil {
		return nil, err
	}
	return out, nil
}

func printDemoExtract(w io.Writer, d *demoProposals) {
	fmt.Fprintf(w, "   %s, a short report written for the demo, published %s: %d proposals\n", d.File, d.Published, len(d.Rows))
	if d.Source != "" {
		fmt.Fprintf(w, "   kept as evidence first: source %s, sha256 %s, read-only in %s,\n   read back from there (armstrace source history %s prints its chain of custody)\n", d.Source, d.SHA256, d.Files, d.Source)
	}
	name := func(m *extract.Mention) string {
		switch {
		case m == nil:
			return "(not named)"
		case m.Name != "":
			return m.Name
		}
		return m.Text
	}
	for _, r := range d.Rows {
		p := r.Proposal
		fmt.Fprintf(w, "\n   • %s: %s → %s (confidence %.2f)\n", p.Kind, name(p.Subject), name(p.Object), p.Confidence)
		var details []string
		if p.Amount != nil {
			details = append(details, "amount "+p.Amount.Range.String())
		}
		if p.Casualties != nil {
			details = append(details, "killed "+p.Casualties.Range.String())
		}
		if p.Date != nil && p.Date.Value != "" {
			details = append(details, "date "+string(p.Date.Value)+" (“"+p.Date.Text+"”)")
		}
		for _, m := range []*extract.Mention{p.Subject, p.Object} {
			if m != nil && (m.Score < 1 || strings.Contains(m.How, "alias")) {
				details = append(details, "“"+m.Text+"”: "+m.How)
			}
		}
		if len(details) > 0 {
			fmt.Fprintf(w, "     %s\n", strings.Join(details, "; "))
		}
		fmt.Fprintf(w, "     at %s\n", p.Sentence.Locator())
		switch {
		case len(r.InGraph) > 0:
			fmt.Fprintf(w, "     already in the graph: %s\n", strings.Join(r.InGraph, ", "))
		case r.Claim != "":
			fmt.Fprintf(w, "     new: would enter the review queue as an alleged claim\n")
		default:
			fmt.Fprintf(w, "     new, and not a claim: %s\n", r.NotClaim)
		}
	}
	fmt.Fprintf(w, "\n   armstrace extract --source SOURCE_ID FILE writes such proposals as alleged claims, for reviewers.\n")
}
