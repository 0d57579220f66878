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
	"sort"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/importer"
	"github.com/armstrace/armstrace/internal/ingest"
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
	rejectFile := opt.rejectPath
	if rejectFile == "" {
		rejectFile = name + ".rejects.jsonl"
	}
	res, err := importer.Dataset(ctx, b, importer.File{Format: f, Name: name, Body: p.reader(file), SHA256: sha, States: states,
		SkipInvalid: opt.skipInvalid, RejectFile: rejectFile, Row: p.count})
	if err != nil {
		return nil, nil, nil, err
	}
	var rejects []rejected
	for _, err := range res.Rejected {
		rj := rejectOf(err)
		rj.lines = importer.LineFormats[f.Name]
		rejects = append(rejects, rj)
	}
	return res.Run, res.Bad, rejects, nil
}

func lineOf(err error) int {
	var e *armstrace.Error
	if errors.As(err, &e) {
		return e.Line
	}
	return 0
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
