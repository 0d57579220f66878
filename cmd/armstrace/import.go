package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/importer"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/jsonl"
	"github.com/armstrace/armstrace/internal/store"
)

func formatNames() []string {
	names := []string{"jsonl"}
	for _, f := range importer.Formats {
		names = append(names, f.Name)
	}
	return names
}

func findFormat(name string) (ingest.Format, bool) { return importer.Find(name) }

func (a *App) runImport(ctx context.Context, args []string) error {
	fs := a.newFlagSet("import", "import --format FORMAT [--skip-invalid [--reject FILE]] FILE…", `
Import records into the database. All the files of one run are imported in
one transaction: if any row is bad, nothing is written, and every bad row is
reported as file:line: field: problem. With --skip-invalid the good rows are
imported and the bad ones written, with their reasons, to a reject file.

Importing the same data again adds nothing; a record whose id exists with
different content is updated, and every change is recorded in the audit log.
Each file of a dataset format is recorded as a snapshot source (its name,
version and SHA-256), which every record from it cites with the row it came
from, and as an import run with its counts.

A bundle (export --bundle) is checked against its SHA256SUMS manifest
before anything is written: a file that does not match its digest
refuses the whole bundle, naming the file. Its files go to the file store
(--files), its records and file records in one transaction, and each of
its sources gets a transfer event in the audit log.

Formats: `+strings.Join(formatNames(), ", ")+`.`,
		"armstrace import --format jsonl evidence.jsonl",
		"armstrace import --format ucdp-ged ged_syria.csv",
		"armstrace import --format sipri-register --skip-invalid trade-register.csv",
		"armstrace --db postgres://armstrace@db.example/armstrace import --format jsonl a.jsonl b.jsonl",
		"cat records.jsonl | armstrace import --format jsonl -",
		"armstrace --db copy.db import --bundle evidence.zip")
	format := fs.String("format", "jsonl", "input format: "+strings.Join(formatNames(), ", "))
	skip := fs.Bool("skip-invalid", false, "import the good rows and write the bad ones to a reject file")
	reject := fs.String("reject", "", "with --skip-invalid: the reject file (default FILE.rejects.jsonl beside each input)")
	bundle := fs.String("bundle", "", "import a bundle written by export --bundle (a .zip or .tar named as the file is read as one too)")
	filesDir := filesFlag(fs)
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *bundle == "" && *format == "jsonl" && len(files) == 1 && isBundle(files[0]) {
		*bundle, files = files[0], nil
	}
	if *bundle != "" {
		if len(files) > 0 || *skip {
			return a.usageError(fs, "--bundle imports one bundle, all or nothing: no other files, no --skip-invalid")
		}
		return a.runImportBundle(ctx, *bundle, *filesDir)
	}
	df, isDataset := findFormat(*format)
	if *format != "jsonl" && !isDataset {
		return a.usageError(fs, "unknown format %q (known: %s)", *format, strings.Join(formatNames(), ", "))
	}
	if *reject != "" && !*skip {
		return a.usageError(fs, "--reject needs --skip-invalid")
	}
	if len(files) == 0 {
		return a.usageError(fs, "name at least one file to import (or - for standard input)")
	}
	for _, f := range files {
		if f == "-" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return &armstrace.Error{Code: armstrace.EINVALID, File: f, Message: "cannot open: " + errors.Unwrap(err).Error()}
		}
	}
	s, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if !isDataset {
		if *skip {
			return a.usageError(fs, "--skip-invalid is for the dataset formats; a JSON Lines import is all or nothing")
		}
		stats, err := a.importFiles(ctx, s, files)
		if err != nil {
			return err
		}
		return a.printStats(stats)
	}
	b, err := s.BeginBatch(ctx)
	if err != nil {
		return err
	}
	defer b.Rollback()
	runs, rejects, err := a.importDataset(ctx, b, df, files, importOptions{skipInvalid: *skip, rejectPath: *reject})
	if err != nil {
		return err
	}
	if err := b.Commit(); err != nil {
		return err
	}
	if err := writeRejectFiles(rejects); err != nil {
		return err
	}
	return a.printRuns(runs, b.Stats())
}

func (a *App) printRuns(runs []*armstrace.ImportRun, st *armstrace.ImportStats) error {
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"runs": runs, "records": st})
	}
	for _, r := range runs {
		v := r.Version
		if v != "" {
			v = ", " + v
		}
		fmt.Fprintf(a.Stdout, "%s: %s%s, sha256 %.16s…: %d rows read, %d rejected; records %d created, %d updated, %d unchanged\n",
			r.File, r.Dataset, v, r.SHA256, r.RowsRead, r.Rejected, r.Created, r.Updated, r.Unchanged)
		if r.RejectFile != "" {
			fmt.Fprintf(a.Stdout, "  rejected rows written to %s\n", r.RejectFile)
		}
		if len(r.Unresolved) > 0 {
			fmt.Fprintf(a.Stdout, "  %d name(s) matched no curated state and are kept as entities of their own: %s\n", len(r.Unresolved), strings.Join(r.Unresolved, "; "))
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(a.Stdout, "  warning: %s\n", w)
		}
	}
	return nil
}

// importFiles imports files in one batch: all or nothing.
func (a *App) importFiles(ctx context.Context, s *store.Store, names []string) (*armstrace.ImportStats, error) {
	b, err := s.BeginBatch(ctx)
	if err != nil {
		return nil, err
	}
	defer b.Rollback()
	for _, name := range names {
		if err := a.importFile(b, name); err != nil {
			return nil, err
		}
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	return b.Stats(), nil
}

func (a *App) importFile(b *store.Batch, name string) error {
	var in io.Reader
	var size int64 = -1
	if name == "-" {
		in, name = os.Stdin, "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return &armstrace.Error{Code: armstrace.EINVALID, File: name, Message: "cannot open: " + errors.Unwrap(err).Error()}
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		in = f
	}
	return a.importReader(b, in, name, size, armstrace.WritePut)
}

// importReader imports the JSON Lines of in into the batch b.
func (a *App) importReader(b *store.Batch, in io.Reader, name string, size int64, mode armstrace.WriteMode) error {
	p := newProgress(a, "importing "+name, size)
	defer p.done()
	r := jsonl.NewReader(p.reader(in), name)
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := b.Write(mode, rec); err != nil {
			return armstrace.AtLine(name, r.Line(), err)
		}
		p.count()
	}
}

func (a *App) printStats(st *armstrace.ImportStats) error {
	if a.JSON {
		return writeJSON(a.Stdout, st)
	}
	c, u, n := st.Total()
	fmt.Fprintf(a.Stdout, "imported: %d created, %d updated, %d unchanged\n", c, u, n)
	for _, t := range armstrace.RecordTypes {
		if st.Created[t]+st.Updated[t]+st.Unchanged[t] == 0 {
			continue
		}
		fmt.Fprintf(a.Stdout, "  %-10s %6d created %6d updated %6d unchanged\n", t, st.Created[t], st.Updated[t], st.Unchanged[t])
	}
	return nil
}

func (a *App) runImportBundle(ctx context.Context, name, filesDir string) error {
	bun, err := a.readBundle(name)
	if bun != nil {
		defer os.RemoveAll(bun.dir)
	}
	if err != nil {
		return err
	}
	s, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	files, err := a.openFiles(filesDir, true)
	if err != nil {
		return err
	}
	stats, n, err := a.importBundle(ctx, s, files, bun)
	if err != nil {
		return err
	}
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"bundle": name, "manifest_sha256": bun.manifest, "files": n, "records": stats})
	}
	fmt.Fprintf(a.Stdout, "%s: manifest sha256 %s checked; %d files stored in %s\n", name, bun.manifest, n, files.Dir())
	return a.printStats(stats)
}
