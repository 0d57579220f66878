// Package importer runs the dataset importers of internal/ingest into a
// store batch: one file at a time, each recorded as a snapshot source and
// an import run. The command line and the web UI both import through it,
// so that a file gives the same records, the same run and the same
// row-level errors whichever way it came in.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/acled"
	"github.com/armstrace/armstrace/internal/ingest/ftm"
	"github.com/armstrace/armstrace/internal/ingest/ofac"
	"github.com/armstrace/armstrace/internal/ingest/sipri"
	"github.com/armstrace/armstrace/internal/ingest/ucdp"
	"github.com/armstrace/armstrace/internal/ingest/usaspending"
	"github.com/armstrace/armstrace/internal/ingest/vdc"
	"github.com/armstrace/armstrace/internal/store"
)

// Formats lists the importers of the real datasets.
var Formats = []ingest.Format{
	ucdp.GEDFormat,
	ucdp.ActorsFormat,
	acled.Format,
	sipri.RegisterFormat,
	sipri.TIVFormat,
	usaspending.Format,
	ofac.Format,
	ftm.Format,
	vdc.Format,
}

// Find returns the dataset format of a name.
func Find(name string) (ingest.Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return ingest.Format{}, false
}

// LineFormats are the dataset formats whose records are lines, not CSV
// records.
var LineFormats = map[string]bool{ftm.Format.Name: true}

// File says what to import and how.
type File struct {
	Format ingest.Format
	Name   string    // the file's path: named in errors and the run, and where siblings are looked for
	Body   io.Reader // its bytes
	SHA256 string    // of the whole file: the snapshot source's id comes from it
	States *ingest.States
	// SkipInvalid writes the good rows and reports the bad ones as
	// rejected; without it, a bad row stops the writing, every bad row
	// is reported, and the caller must not commit.
	SkipInvalid bool
	// RejectFile is named in the run when rows are rejected.
	RejectFile string
	// Row, when set, is called after each row written.
	Row func()
}

// Result is what one file's import came to. Bad holds the bad rows of an
// all-or-nothing import (the batch must then be rolled back); Rejected
// those skipped with SkipInvalid. Each error names the file and line.
type Result struct {
	Run      *armstrace.ImportRun
	Bad      []error
	Rejected []error
}

// Dataset imports one file of a dataset format in the batch b.
func Dataset(ctx context.Context, b *store.Batch, in File) (*Result, error) {
	name, f := in.Name, in.Format
	started := time.Now().UTC()
	env := &ingest.Env{Source: ingest.SnapshotID(f.Name, in.SHA256), File: name, States: in.States}
	r, ds, err := f.Open(in.Body, env)
	if err != nil {
		return nil, armstrace.AtLine(name, LineOf(err), err)
	}
	before := b.Stats().Clone()
	// Ensure, not put: the id comes from the bytes, and the first import of
	// those bytes describes them; the same bytes under another file name
	// must not rewrite the source.
	if _, err := b.Write(armstrace.WriteEnsure, ingest.SnapshotSource(f.Name, ds, in.SHA256)); err != nil {
		return nil, armstrace.AtLine(name, 0, err)
	}
	run := &armstrace.ImportRun{Format: f.Name, File: filepath.Base(name), Source: env.Source, Dataset: ds.Name, Version: ds.Version, SHA256: in.SHA256, Actor: armstrace.ActorFrom(ctx)}
	res := &Result{}
	writing := true // all or nothing: stop writing at the first bad row, but read on to report them all
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		var e *armstrace.Error
		if err != nil && !(errors.As(err, &e) && e.Code == armstrace.EINVALID) {
			return nil, armstrace.AtLine(name, LineOf(err), err)
		}
		run.RowsRead++
		if err == nil && writing {
			err = WriteRow(b, row, in.SkipInvalid)
		}
		if err != nil && !in.SkipInvalid {
			writing = false
		}
		if err != nil {
			err = armstrace.AtLine(name, lineOrRow(err, row), err)
			run.Rejected++
			if in.SkipInvalid {
				res.Rejected = append(res.Rejected, err)
			} else {
				res.Bad = append(res.Bad, err)
			}
			continue
		}
		if in.Row != nil {
			in.Row()
		}
	}
	if len(res.Bad) > 0 {
		return res, nil
	}
	if rc, ok := r.(ingest.RowCounter); ok {
		run.RowsRead = rc.RowsRead()
	}
	if u, ok := r.(interface{ Unresolved() []string }); ok {
		run.Unresolved = u.Unresolved()
	}
	if w, ok := r.(interface{ Warnings() []string }); ok {
		run.Warnings = w.Warnings()
	}
	if sk, ok := r.(interface{ Skipped() map[string]int }); ok {
		kinds := make([]string, 0)
		for k := range sk.Skipped() {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			run.Warnings = append(run.Warnings, fmt.Sprintf("%d %s record(s) skipped: armstrace does not map that schema yet", sk.Skipped()[k], k))
		}
	}
	if len(res.Rejected) > 0 {
		run.RejectFile = in.RejectFile
	}
	after := b.Stats()
	for _, t := range armstrace.RecordTypes {
		run.Created += after.Created[t] - before.Created[t]
		run.Updated += after.Updated[t] - before.Updated[t]
		run.Unchanged += after.Unchanged[t] - before.Unchanged[t]
	}
	run.Started, run.Finished = started.Format(time.RFC3339Nano), time.Now().UTC().Format(time.RFC3339Nano)
	run.ID = "run:" + started.Format("20060102T150405.000000000Z") + ":" + in.SHA256[:8]
	if err := b.AddImportRun(run); err != nil {
		return nil, err
	}
	res.Run = run
	return res, nil
}

// WriteRow writes the records of one row. When bad rows are skipped, a
// row is written inside a savepoint, so that a row whose second record
// fails leaves nothing of its first.
func WriteRow(b *store.Batch, row ingest.Row, savepoint bool) error {
	if savepoint {
		if err := b.Savepoint(); err != nil {
			return err
		}
	}
	for _, op := range row.Ops {
		if _, err := b.Write(op.Mode, op.Record); err != nil {
			if !savepoint {
				return err
			}
			if rerr := b.RollbackTo(); rerr != nil {
				return rerr
			}
			// ROLLBACK TO keeps the savepoint open; release it, or every
			// rejected row nests another and the import slows down.
			if rerr := b.Release(); rerr != nil {
				return rerr
			}
			// Readers write a shared entity (a state, an actor) once, with
			// the first row that names it; rows after it only refer to it.
			// So the row is rejected, but its shared entities are kept.
			if rerr := writeShared(b, row); rerr != nil {
				return rerr
			}
			return err
		}
	}
	if savepoint {
		return b.Release()
	}
	return nil
}

// writeShared writes the Merge and Ensure records of a rejected row on
// their own; if one of them is bad too, none is kept.
func writeShared(b *store.Batch, row ingest.Row) error {
	if err := b.Savepoint(); err != nil {
		return err
	}
	for _, op := range row.Ops {
		if op.Mode == ingest.Put {
			continue
		}
		if _, err := b.Write(op.Mode, op.Record); err != nil {
			if err := b.RollbackTo(); err != nil {
				return err
			}
			return b.Release()
		}
	}
	return b.Release()
}

// LineOf returns the line an error names, or 0.
func LineOf(err error) int {
	var e *armstrace.Error
	if errors.As(err, &e) {
		return e.Line
	}
	return 0
}

func lineOrRow(err error, row ingest.Row) int {
	if l := LineOf(err); l > 0 {
		return l
	}
	return row.Line
}
