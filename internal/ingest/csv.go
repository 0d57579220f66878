package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
)

// Table reads a CSV file row by row, with cells found by column name.
// It copes with what real dataset files do: a byte-order mark, a preamble
// before the header, Latin-1 or Windows-1252 text mixed into UTF-8,
// columns with blank names, and "NA" for missing values.
type Table struct {
	r        *csv.Reader
	header   []string
	index    map[string]int
	blank    []int // positions of blank-named columns, in order
	preamble []string
	rec      []string
	line     int
	rows     int
}

// TableOptions configure a Table.
type TableOptions struct {
	// IsHeader reports whether a line is the header. Lines before it are
	// the preamble. Nil takes the first line.
	IsHeader func(fields []string) bool
	// MaxPreamble bounds the lines searched for the header (default 50).
	MaxPreamble int
}

// NewTable reads up to the header of r.
func NewTable(r io.Reader, opt TableOptions) (*Table, error) {
	cr := csv.NewReader(NewTextReader(r))
	cr.FieldsPerRecord = -1 // preambles are ragged; rows are checked against the header
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	t := &Table{r: cr}
	max := opt.MaxPreamble
	if max == 0 {
		max = 50
	}
	for i := 0; ; i++ {
		fields, err := cr.Read()
		if err == io.EOF {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Message: "no header line found: is this the right format?"}
		}
		if err != nil {
			return nil, csvError(err)
		}
		if opt.IsHeader == nil || opt.IsHeader(fields) {
			line, _ := cr.FieldPos(0)
			t.line = line
			t.header = make([]string, len(fields))
			t.index = map[string]int{}
			for j, f := range fields {
				f = strings.TrimSpace(f)
				t.header[j] = f
				if f == "" {
					t.blank = append(t.blank, j)
					continue
				}
				if _, dup := t.index[f]; !dup {
					t.index[f] = j
				}
			}
			return t, nil
		}
		if i >= max {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Line: i + 1, Message: fmt.Sprintf("no header line in the first %d lines: is this the right format?", max)}
		}
		t.preamble = append(t.preamble, strings.TrimSpace(strings.Join(fields, ",")))
	}
}

// Rows returns the number of data rows read so far, blank lines aside.
func (t *Table) Rows() int { return t.rows }

// Preamble returns the lines before the header, each joined back with commas.
func (t *Table) Preamble() []string { return t.preamble }

// Header returns the column names.
func (t *Table) Header() []string { return t.header }

// HeaderLine returns the line number of the header.
func (t *Table) HeaderLine() int { return t.line }

// Has reports whether the table has a column.
func (t *Table) Has(name string) bool {
	_, ok := t.index[name]
	return ok
}

// Require returns an EINVALID error naming the first missing column.
func (t *Table) Require(names ...string) error {
	for _, n := range names {
		if !t.Has(n) {
			return &armstrace.Error{Code: armstrace.EINVALID, Line: t.line, Field: n, Message: "the header lacks this column: is this the right format?"}
		}
	}
	return nil
}

// Next reads the next row, skipping blank lines, and returns a Cells for
// it, or io.EOF. A malformed row is an EINVALID error with its line.
func (t *Table) Next() (*Cells, error) {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := t.r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		t.rec = rec
		t.line = line
		t.rows++
		c := &Cells{t: t, Line: line}
		if len(rec) != len(t.header) {
			c.err = &armstrace.Error{Code: armstrace.EINVALID, Line: line, Message: fmt.Sprintf("the row has %d cells but the header has %d columns", len(rec), len(t.header))}
		}
		return c, nil
	}
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &armstrace.Error{Code: armstrace.EINVALID, Line: pe.StartLine, Message: "malformed CSV: " + pe.Err.Error()}
	}
	return err
}

// Cells gives typed access to the cells of one row. Each accessor records
// the first problem it meets; Err returns it, with the row's line and the
// column's name, so that a mapper can read every field and check once.
type Cells struct {
	t    *Table
	Line int
	err  error
}

// Err returns the first problem met in this row, or nil.
func (c *Cells) Err() error { return c.err }

// Fail records a problem with a field of this row, unless one is recorded.
func (c *Cells) Fail(field, format string, args ...any) {
	if c.err == nil {
		c.err = &armstrace.Error{Code: armstrace.EINVALID, Line: c.Line, Field: field, Message: fmt.Sprintf(format, args...)}
	}
}

// Raw returns the cell of a column as written, "" when the column is absent.
func (c *Cells) Raw(name string) string {
	i, ok := c.t.index[name]
	if !ok || i >= len(c.t.rec) {
		return ""
	}
	return c.t.rec[i]
}

// Blank returns the n-th blank-named column's cell (SIPRI's "?" flags).
func (c *Cells) Blank(n int) string {
	if n >= len(c.t.blank) || c.t.blank[n] >= len(c.t.rec) {
		return ""
	}
	return strings.TrimSpace(c.t.rec[c.t.blank[n]])
}

// Index returns the position of a column, or -1.
func (c *Cells) Index(name string) int {
	if i, ok := c.t.index[name]; ok {
		return i
	}
	return -1
}

// At returns the cell at a position, trimmed.
func (c *Cells) At(i int) string {
	if i < 0 || i >= len(c.t.rec) {
		return ""
	}
	return strings.TrimSpace(c.t.rec[i])
}

// missing reports whether a cell stands for no value.
func missing(s string) bool {
	switch s {
	case "", "NA", "N/A", "n/a", "NULL", "null", "-", "..":
		return true
	}
	return false
}

// Str returns a cell trimmed, "" for a missing value.
func (c *Cells) Str(name string) string {
	s := strings.TrimSpace(c.Raw(name))
	if missing(s) {
		return ""
	}
	return s
}

// Need returns a cell that must have a value.
func (c *Cells) Need(name string) string {
	s := c.Str(name)
	if s == "" {
		c.Fail(name, "required, but empty")
	}
	return s
}

// Int returns an integer cell; ok is false for a missing value.
func (c *Cells) Int(name string) (v int, ok bool) {
	s := c.Str(name)
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		// Some exports write integers as 2016.0.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			c.Fail(name, "%q is not a whole number", s)
			return 0, false
		}
		n = int(f)
	}
	return n, true
}

// NeedInt returns an integer cell that must have a value.
func (c *Cells) NeedInt(name string) int {
	v, ok := c.Int(name)
	if !ok && c.err == nil {
		c.Fail(name, "required, but empty")
	}
	return v
}

// Float returns a number cell, nil for a missing value.
func (c *Cells) Float(name string) *float64 {
	s := c.Str(name)
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		c.Fail(name, "%q is not a number", s)
		return nil
	}
	return &f
}

// Date returns a YYYY-MM-DD cell (also accepting a time after it, or
// D/M/Y-free ISO forms only), "" for a missing value.
func (c *Cells) Date(name string) armstrace.Date {
	s := c.Str(name)
	if s == "" {
		return ""
	}
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		s = s[:10]
	}
	d := armstrace.Date(s)
	if !d.IsDay() || d.Validate() != nil {
		c.Fail(name, "%q is not a date (want YYYY-MM-DD)", c.Str(name))
		return ""
	}
	return d
}

// NewTextReader returns a reader of r's text as UTF-8, without a leading
// byte-order mark. Bytes that are not UTF-8 are read as Windows-1252 (a
// superset of ISO-8859-1), which is what SIPRI and many spreadsheet
// exports use; valid UTF-8 passes through unchanged, and a chunk that is
// all valid UTF-8 is copied without decoding.
func NewTextReader(r io.Reader) io.Reader {
	return &textReader{r: r, first: true, tmp: make([]byte, 64<<10)}
}

type textReader struct {
	r     io.Reader
	tmp   []byte
	buf   []byte // raw bytes read but not converted: the start of a rune
	conv  []byte // the converted chunk's storage, reused
	out   []byte // converted bytes not yet returned, a tail of conv
	first bool
	eof   bool
}

func (t *textReader) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.eof && len(t.buf) == 0 {
			return 0, io.EOF
		}
		if !t.eof {
			n, err := t.r.Read(t.tmp)
			t.buf = append(t.buf, t.tmp[:n]...)
			if err == io.EOF {
				t.eof = true
			} else if err != nil {
				return 0, err
			}
		}
		if t.first {
			if len(t.buf) < 3 && !t.eof {
				continue
			}
			t.first = false
			if len(t.buf) >= 3 && string(t.buf[:3]) == "\xef\xbb\xbf" {
				t.buf = t.buf[3:]
			}
		}
		cut := len(t.buf)
		if !t.eof {
			cut = completeRunes(t.buf)
		}
		t.conv = toUTF8(t.conv[:0], t.buf[:cut])
		t.out = t.conv
		t.buf = append(t.buf[:0], t.buf[cut:]...)
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

// completeRunes returns the length of b without a rune cut off at its end.
func completeRunes(b []byte) int {
	for k := 1; k <= utf8.UTFMax && k <= len(b); k++ {
		if utf8.RuneStart(b[len(b)-k]) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return len(b) - k
			}
			break
		}
	}
	return len(b)
}

func toUTF8(dst, b []byte) []byte {
	if utf8.Valid(b) {
		return append(dst, b...)
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			dst = utf8.AppendRune(dst, cp1252(b[i]))
			i++
			continue
		}
		dst = append(dst, b[i:i+size]...)
		i += size
	}
	return dst
}

// cp1252 maps a byte of Windows-1252 to its rune.
func cp1252(b byte) rune {
	if b < 0x80 || b >= 0xa0 {
		return rune(b)
	}
	return cp1252High[b-0x80]
}

var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}
