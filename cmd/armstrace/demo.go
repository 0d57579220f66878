package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/dossier"
	"github.com/armstrace/armstrace/internal/graph"
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
idempotent.`,
		"armstrace demo --no-serve",
		"armstrace --json demo --no-serve > story.json")
	noServe := fs.Bool("no-serve", false, "exit after printing the story (the web UI is not built yet, so the demo always exits)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	_ = noServe
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
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"database": a.DB, "import": b.Stats(), "story": steps, "enablers": rep, "dossier": dossierPath})
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
	fmt.Fprintf(a.Stdout, "\nThe screening dossier of Rosoboronexport (found from the release's spelling, \"Rosobornexport\") is written to:\n  %s\n", dossierPath)
	fmt.Fprintf(a.Stdout, `
Explore further:
  armstrace --db %[1]s enablers --country Syria --since 2011 --until 2012 --chains
  armstrace --db %[1]s dossier Rosobornexport --format md
  armstrace --db %[1]s export --format jsonl       every record, as JSON Lines
  armstrace --db %[1]s audit verify                check the tamper-evident audit log
  armstrace --db %[1]s audit log claim clm:roe-dod-mi17-contract
`, a.DB)
	return nil
}
