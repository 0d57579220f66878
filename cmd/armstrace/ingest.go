package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ftm"
	"github.com/armstrace/armstrace/internal/store"
)

// maxReported bounds the bad rows printed for one import; all are counted,
// and with --skip-invalid all are written to the reject file.
const maxReported = 50

// importOptions are the choices of one import run.
type importOptions struct {
	skipInvalid bool
	rejectPath  string // with skipInvalid; "" means FILE.rejects.jsonl beside each input
}

// rejected is one bad row, as written to a reject file.
type rejected struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
	// Row is the row's text as read back from the file: its whole record,
	// from its line to the record's end (the lines of a quoted cell with
	// line breaks too), at most maxRowText bytes of it.
	Row string `json:"row,omitempty"`
	// lines is set when the file's records are single lines (JSON
	// Lines), not CSV records.
	lines bool
}

// lineFormats are the dataset formats whose records are lines, not CSV.
var lineFormats = map[string]bool{ftm.Format.Name: true}

// maxRowText bounds the text of a rejected row kept in a reject file.
const maxRowText = 64 << 10

// importDataset imports files of one dataset format in the batch b. Each
// file gets a snapshot source and an import run.
// The rejected rows come back by reject file, to be written once the
// batch has committed: a reject file is a report of what an import that
// happened left out.
func (a *App) importDataset(ctx context.Context, b *store.Batch, f ingest.Format, names []string, opt importOptions) ([]*armstrace.ImportRun, map[string][]rejected, error) {
	states, err := ingest.LoadStates()
	if err != nil {
		return nil, nil, err
	}
	var runs []*armstrace.ImportRun
	var bad []error
	rejects := map[string][]rejected{}
	for _, name := range names {
		run, fileBad, fileRejects, err := a.importDatasetFile(ctx, b, f, name, states, opt)
		if err != nil {
			return nil, nil, err
		}
		bad = append(bad, fileBad...)
		if run != nil {
			runs = append(runs, run)
			if len(fileRejects) > 0 {
				rejects[run.RejectFile] = append(rejects[run.RejectFile], fileRejects...)
			}
		}
	}
	if len(bad) > 0 {
		return nil, nil, (&badRows{errs: bad}).asError()
	}
	return runs, rejects, nil
}

// writeRejectFiles writes each reject file, its rows in input order with
// the text of each row read back from its file.
func writeRejectFiles(rejects map[string][]rejected) error {
	for path, rs := range rejects {
		if err := writeRejects(path, rs); err != nil {
			return err
		}
	}
	return nil
}

// badRows is the error of an all-or-nothing import with bad rows: it
// lists them all (up to maxReported) and nothing was written.
type badRows struct{ errs []error }

// asError makes it the user-facing EINVALID error it is.
func (e *badRows) asError() error {
	return &armstrace.Error{Code: armstrace.EINVALID, Message: e.Error()}
}

func (e *badRows) Error() string {
	s := fmt.Sprintf("%d bad row(s); nothing was imported (use --skip-invalid to import the good rows and write the bad ones to a reject file):", len(e.errs))
	for i, err := range e.errs {
		if i == maxReported {
			s += fmt.Sprintf("\n  … and %d more", len(e.errs)-maxReported)
			break
		}
		s += "\n  " + armstrace.ErrorMessage(err)
	}
	return s
}

func (a *App) importDatasetFile(ctx context.Context, b *store.Batch, f ingest.Format, name string, states *ingest.States, opt importOptions) (*armstrace.ImportRun, []error, []rejected, error) {
	if name == "-" {
		return nil, nil, nil, armstrace.Errorf(armstrace.EINVALID, "format %s needs a file, not standard input: its snapshot records the file's SHA-256", f.Name)
	}
	started := time.Now().UTC()
	sha, err := ingest.HashFile(name)
	if err != nil {
		return nil, nil, nil, &armstrace.Error{Code: armstrace.EINVALID, File: name, Message: "cannot read: " + errors.Unwrap(err).Error()}
	}
	file, err := os.Open(name)
	if err != nil {
		return nil, nil, nil, &armstrace.Error{Code: armstrace.EINVALID, File: name, Message: "cannot open: " + errors.Unwrap(err).Error()}
	}
	defer file.Close()
	var size int64 = -1
	if fi, err := file.Stat(); err == nil {
		size = fi.Size()
	}
	p := newProgress(a, "importing "+name, size)
	defer p.done()
	env := &ingest.Env{Source: ingest.SnapshotID(f.Name, sha), File: name, States: states}
	r, ds, err := f.Open(p.reader(file), env)
	if err != nil {
		return nil, nil, nil, armstrace.AtLine(name, lineOf(err), err)
	}
	before := b.Stats().Clone()
	// Ensure, not put: the id comes from the bytes, and the first import of
	// those bytes describes them; the same bytes under another file name
	// must not rewrite the source.
	if _, err := b.Write(armstrace.WriteEnsure, ingest.SnapshotSource(f.Name, ds, sha)); err != nil {
		return nil, nil, nil, armstrace.AtLine(name, 0, err)
	}
	run := &armstrace.ImportRun{Format: f.Name, File: filepath.Base(name), Source: env.Source, Dataset: ds.Name, Version: ds.Version, SHA256: sha, Actor: armstrace.ActorFrom(ctx)}
	var bad []error
	var rejects []rejected
	writing := true // in an all-or-nothing import, stop writing at the first bad row but keep reading to report them all
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		var e *armstrace.Error
		if err != nil && !(errors.As(err, &e) && e.Code == armstrace.EINVALID) {
			return nil, nil, nil, armstrace.AtLine(name, lineOf(err), err)
		}
		run.RowsRead++
		if err == nil && writing {
			err = a.writeRow(b, row, opt.skipInvalid)
		}
		if err != nil && !opt.skipInvalid {
			writing = false
		}
		if err != nil {
			err = armstrace.AtLine(name, lineOrRow(err, row), err)
			run.Rejected++
			if opt.skipInvalid {
				rj := rejectOf(err)
				rj.lines = lineFormats[f.Name]
				rejects = append(rejects, rj)
			} else {
				bad = append(bad, err)
			}
			continue
		}
		p.count()
	}
	if len(bad) > 0 {
		return nil, bad, nil, nil
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
	if len(rejects) > 0 {
		run.RejectFile = opt.rejectPath
		if run.RejectFile == "" {
			run.RejectFile = name + ".rejects.jsonl"
		}
	}
	after := b.Stats()
	for _, t := range armstrace.RecordTypes {
		run.Created += after.Created[t] - before.Created[t]
		run.Updated += after.Updated[t] - before.Updated[t]
		run.Unchanged += after.Unchanged[t] - before.Unchanged[t]
	}
	run.Started, run.Finished = started.Format(time.RFC3339Nano), time.Now().UTC().Format(time.RFC3339Nano)
	run.ID = "run:" + started.Format("20060102T150405.000000000Z") + ":" + sha[:8]
	if err := b.AddImportRun(run); err != nil {
		return nil, nil, nil, err
	}
	return run, nil, rejects, nil
}

// writeRow writes the records of one row. When bad rows are skipped, a
// row is written inside a savepoint, so that a row whose second record
// fails leaves nothing of its first.
func (a *App) writeRow(b *store.Batch, row ingest.Row, savepoint bool) error {
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
			if rerr := a.writeShared(b, row); rerr != nil {
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
func (a *App) writeShared(b *store.Batch, row ingest.Row) error {
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

func lineOf(err error) int {
	var e *armstrace.Error
	if errors.As(err, &e) {
		return e.Line
	}
	return 0
}

func lineOrRow(err error, row ingest.Row) int {
	if l := lineOf(err); l > 0 {
		return l
	}
	return row.Line
}

func rejectOf(err error) rejected {
	var e *armstrace.Error
	errors.As(err, &e)
	r := rejected{Reason: armstrace.ErrorMessage(err)}
	if e != nil {
		r.File, r.Line, r.Field, r.Reason = e.File, e.Line, e.Field, e.Message
		if r.Reason == "" {
			r.Reason = armstrace.ErrorMessage(err)
		}
	}
	return r
}

// writeRejects writes the rejected rows as JSON Lines, each with its text
// read back from its input file (see rowTexts).
func writeRejects(path string, rs []rejected) error {
	want := map[string]map[int]bool{}
	lines := map[string]bool{}
	for _, r := range rs {
		if want[r.File] == nil {
			want[r.File] = map[int]bool{}
		}
		want[r.File][r.Line] = true
		lines[r.File] = lines[r.File] || r.lines
	}
	texts := map[string]map[int]string{}
	for input, ws := range want {
		starts := make([]int, 0, len(ws))
		for l := range ws {
			if l > 0 {
				starts = append(starts, l)
			}
		}
		sort.Ints(starts)
		// A file that cannot be read back leaves its rows without text:
		// the reject file still says what was rejected, and why.
		texts[input], _ = rowTexts(input, starts, lines[input])
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].File != rs[j].File {
			return rs[i].File < rs[j].File
		}
		return rs[i].Line < rs[j].Line
	})
	out, err := os.Create(path)
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: path, Message: "cannot write the reject file", Err: err}
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range rs {
		r.Row = texts[r.File][r.Line]
		if err := enc.Encode(r); err != nil {
			out.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// rowTexts reads back the text of the rows of a file that start at the
// lines starts (sorted): for a CSV file, each row's whole record, from its
// line to the end of the record, which is later when quoted cells hold
// line breaks; for a file of lines (JSON Lines), the line. Lines are
// joined with "\n", without their line breaks; a text longer than
// maxRowText bytes is cut there, with a note of the bytes cut. The file is
// read only as far as the last of those records, and no more of a record
// is held than maxRowText (and, to find where records end, what
// ingest.CSVReader holds, at most ingest.DefaultMaxRecordBytes).
func rowTexts(path string, starts []int, lines bool) (map[int]string, error) {
	if len(starts) == 0 {
		return nil, nil
	}
	// First where each record ends, read as the importers read the file.
	ends := make([]int, len(starts))
	copy(ends, starts)
	if !lines {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		cr := ingest.NewCSVReader(f, 0)
		k := 0
		for k < len(starts) {
			_, info, err := cr.Read()
			if err != nil {
				break // io.EOF, or an input error: the rest stay one line each
			}
			for k < len(starts) && starts[k] < info.Line {
				k++ // a blank line, which is no record
			}
			for k < len(starts) && starts[k] <= info.EndLine {
				ends[k] = info.EndLine
				k++
			}
		}
		f.Close()
	}
	last := 0
	for _, e := range ends {
		last = max(last, e)
	}

	// Then the text of those lines.
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	texts := make([]rowText, len(starts))
	br := bufio.NewReaderSize(ingest.NewTextReader(f), 64<<10)
	next := 0        // the first record not yet begun
	var active []int // the records the current line belongs to
	for n := 1; n <= last; n++ {
		for next < len(starts) && starts[next] == n {
			active = append(active, next)
			next++
		}
		add := func(p []byte) {
			for _, i := range active {
				texts[i].add(p)
			}
		}
		first := true // no piece of the line read yet
		cr := false   // a carriage return held back from the end of a piece
		eof := false
		for {
			piece, err := br.ReadSlice('\n')
			if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
				return nil, err
			}
			eof = err == io.EOF
			if first {
				if eof && len(piece) == 0 {
					break // the file ends before this line
				}
				for _, i := range active {
					if n > starts[i] {
						texts[i].add([]byte{'\n'})
					}
				}
				first = false
			}
			if err == bufio.ErrBufferFull {
				if cr {
					add([]byte{'\r'})
				}
				piece, cr = bytes.CutSuffix(piece, []byte{'\r'})
				add(piece)
				continue
			}
			// The line's last piece: its line break is not part of it.
			piece = bytes.TrimSuffix(piece, []byte{'\n'})
			if cr && len(piece) > 0 {
				add([]byte{'\r'})
			}
			add(bytes.TrimSuffix(piece, []byte{'\r'}))
			break
		}
		if eof {
			break
		}
		kept := active[:0]
		for _, i := range active {
			if n < ends[i] {
				kept = append(kept, i)
			}
		}
		active = kept
	}
	out := make(map[int]string, len(starts))
	for i, l := range starts {
		out[l] = texts[i].String()
	}
	return out, nil
}

// rowText is the text of a rejected row, kept up to maxRowText bytes.
type rowText struct {
	b   []byte
	cut int64
}

func (t *rowText) add(p []byte) {
	take := min(len(p), maxRowText-len(t.b))
	t.b = append(t.b, p[:take]...)
	t.cut += int64(len(p) - take)
}

// String returns the text, with "…(N bytes cut)" when it was cut.
func (t *rowText) String() string {
	if t.cut == 0 {
		return string(t.b)
	}
	b := t.b
	// Cut at the start of a character, not in it.
	for k := 0; k < utf8.UTFMax && len(b) > 0; k++ {
		if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size > 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return fmt.Sprintf("%s…(%d bytes cut)", b, t.cut+int64(len(t.b)-len(b)))
}
