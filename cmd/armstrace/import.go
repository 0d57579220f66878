package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/jsonl"
	"github.com/armstrace/armstrace/internal/store"
)

// formats lists the import formats; later importers add theirs here.
var formats = []string{"jsonl"}

func (a *App) runImport(ctx context.Context, args []string) error {
	fs := a.newFlagSet("import", "import --format jsonl FILE…", `
Import records into the database. All the files of one run are imported in
one transaction: if any line is bad, nothing is written, and the error names
the file, the line and the field. Importing the same data again adds
nothing; a record whose id exists with different content is updated, and
every change is recorded in the audit log.`,
		"armstrace import --format jsonl evidence.jsonl",
		"armstrace --db postgres://armstrace@db.example/armstrace import --format jsonl a.jsonl b.jsonl",
		"cat records.jsonl | armstrace import --format jsonl -")
	format := fs.String("format", "jsonl", "input format: jsonl")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "jsonl" {
		return a.usageError(fs, "unknown format %q (known: %v)", *format, formats)
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
	stats, err := a.importFiles(ctx, s, files)
	if err != nil {
		return err
	}
	return a.printStats(stats)
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
	return a.importReader(b, in, name, size)
}

// importReader imports the JSON Lines of in into the batch b.
func (a *App) importReader(b *store.Batch, in io.Reader, name string, size int64) error {
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
		if _, err := b.Put(rec); err != nil {
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
