package ingest

import (
	"bufio"
	"bytes"
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
// columns with blank names, and "NA" for missing values. It never holds
// more of a row than TableOptions.MaxRecordBytes: a longer row is a bad
// row, and reading goes on after it (see CSVReader).
type Table struct {
	r        *CSVReader
	limit    int64
	header   []string
	index    map[string]int
	blank    []int // positions of blank-named columns, in order
	preamble []string
	rec      []string
	line     int
	rows     int
}

// DefaultMaxRecordBytes is the most one CSV record may hold unless told
// otherwise: 16 MB. The longest row of the datasets read here is a few
// kilobytes; a record this long is a file cut or quoted wrongly, and
// holding it whole (encoding/csv would) could take gigabytes.
const DefaultMaxRecordBytes = 16 << 20

// TableOptions configure a Table.
type TableOptions struct {
	// IsHeader reports whether a line is the header. Lines before it are
	// the preamble. Nil takes the first line.
	IsHeader func(fields []string) bool
	// MaxPreamble bounds the lines searched for the header (default 50).
	MaxPreamble int
	// MaxRecordBytes bounds one record, in bytes of UTF-8 text, the line
	// breaks inside its quoted cells included (the one that ends it is
	// not counted); zero means DefaultMaxRecordBytes. A longer row is an
	// EINVALID error of its line, and reading goes on with the next
	// record (see CSVReader).
	MaxRecordBytes int64
}

// NewTable reads up to the header of r.
func NewTable(r io.Reader, opt TableOptions) (*Table, error) {
	limit := opt.MaxRecordBytes
	if limit <= 0 {
		limit = DefaultMaxRecordBytes
	}
	t := &Table{r: NewCSVReader(r, limit), limit: limit}
	max := opt.MaxPreamble
	if max == 0 {
		max = 50
	}
	for i := 0; ; i++ {
		fields, info, err := t.r.Read()
		if err == io.EOF {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Message: "no header line found: is this the right format?"}
		}
		if err != nil {
			return nil, err
		}
		if info.TooLong {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Line: info.Line, Message: fmt.Sprintf("the line is longer than %s before a header was found: is this the right format?", sizeText(limit))}
		}
		if opt.IsHeader == nil || opt.IsHeader(fields) {
			if info.Unclosed {
				return nil, &armstrace.Error{Code: armstrace.EINVALID, Line: info.Line, Message: "a quoted cell of the header is still open at the end of the file: is this the right format?"}
			}
			t.line = info.Line
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
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Line: info.Line, Message: fmt.Sprintf("no header line in the first %d lines: is this the right format?", max)}
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
// it, or io.EOF. A malformed row is a Cells whose Err is an EINVALID error
// with its line: a row whose cells do not match the header, a row longer
// than the limit (its cells then hold only its start), and a row with a
// quoted cell still open at the end of the file (the file cut short, or a
// quote missing, which makes the cell swallow every line after it).
func (t *Table) Next() (*Cells, error) {
	for {
		rec, info, err := t.r.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		if !info.TooLong && !info.Unclosed && len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		t.rec = rec
		t.line = info.Line
		t.rows++
		c := &Cells{t: t, Line: info.Line}
		switch {
		case info.TooLong:
			c.err = &armstrace.Error{Code: armstrace.EINVALID, Line: info.Line, Message: fmt.Sprintf("row longer than %s (%s), the most one row may hold: left out%s", sizeText(t.limit), sizeText(info.Bytes), lineSpan(info))}
		case info.Unclosed:
			c.err = &armstrace.Error{Code: armstrace.EINVALID, Line: info.Line, Message: fmt.Sprintf("a quoted cell of the row is still open at the end of the file%s: the file may be cut short, or a closing quote is missing", lineSpan(info))}
		case len(rec) != len(t.header):
			c.err = &armstrace.Error{Code: armstrace.EINVALID, Line: info.Line, Message: fmt.Sprintf("the row has %d cells but the header has %d columns", len(rec), len(t.header))}
		}
		return c, nil
	}
}

// lineSpan says which lines a record spans, when more than one.
func lineSpan(info RecordInfo) string {
	if info.EndLine > info.Line {
		return fmt.Sprintf(" (lines %d–%d)", info.Line, info.EndLine)
	}
	return ""
}

// sizeText writes a byte count for people: "16 MB", "64 KB", "20.5 MB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
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
// String arguments longer than 200 characters are clipped (see clipCell):
// they are cell values quoted in the message, and a 20 MB cell must not
// make a 20 MB message.
func (c *Cells) Fail(field, format string, args ...any) {
	if c.err == nil {
		copied := false
		for i, a := range args {
			if s, ok := a.(string); ok && len(s) > maxQuoted {
				if !copied {
					args, copied = append([]any(nil), args...), true // the caller's slice is left alone
				}
				args[i] = clipCell(s)
			}
		}
		c.err = &armstrace.Error{Code: armstrace.EINVALID, Line: c.Line, Field: field, Message: fmt.Sprintf(format, args...)}
	}
}

// maxQuoted is the most characters of a cell that an error message quotes.
const maxQuoted = 200

// clipCell returns the first 200 characters of s followed by "…(N bytes
// cut)", or s when it is no longer.
func clipCell(s string) string {
	n := 0
	for i := range s {
		if n == maxQuoted {
			return s[:i] + fmt.Sprintf("…(%d bytes cut)", len(s)-i)
		}
		n++
	}
	return s
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

// RecordInfo is what CSVReader knows of a record besides its fields.
type RecordInfo struct {
	Line    int   // the line the record starts on, from 1
	EndLine int   // the line it ends on: later than Line when quoted cells hold line breaks
	Bytes   int64 // its length in bytes of UTF-8 text, line breaks included
	// TooLong is set when the record is longer than the limit: its fields
	// then hold only its first bytes (the last field cut off anywhere).
	TooLong bool
	// Unclosed is set when the record ends inside a quoted cell at the
	// end of the file: the file is cut short, or a quote is missing and
	// the cell swallowed every line after it. encoding/csv with LazyQuotes
	// says nothing of it.
	Unclosed bool
}

// CSVReader reads CSV records as every dataset reader here does: the text
// through NewTextReader, quotes read leniently (LazyQuotes), rows of any
// length (FieldsPerRecord -1), with encoding/csv. It adds what the
// importers need: the lines each record spans, a bound on the bytes of one
// record, and notice of a quoted cell the file leaves open.
//
// A record longer than the limit is never held whole. encoding/csv is
// given its first bytes, then what closes it as a record there (a line
// break, after a closing quote if a quoted cell is open); the rest of it is
// read and dropped up to its end, found by following the quoting as
// encoding/csv does, so reading goes on with the next record and the line
// numbers stay right. Resynchronising cannot fail: the end of a record is
// always known, at worst the end of the file, when a quoted cell is never
// closed (the record is then Unclosed as well, and the last).
type CSVReader struct {
	cr   *csv.Reader
	s    *splitter
	lost int // records whose end the splitter did not know: for the tests
}

// NewCSVReader returns a reader of r's CSV records, each at most
// maxRecordBytes long (DefaultMaxRecordBytes when 0 or less), counted as
// TableOptions.MaxRecordBytes says.
func NewCSVReader(r io.Reader, maxRecordBytes int64) *CSVReader {
	if maxRecordBytes <= 0 {
		maxRecordBytes = DefaultMaxRecordBytes
	}
	s := &splitter{src: NewTextReader(r), limit: maxRecordBytes, chunk: make([]byte, 64<<10)}
	cr := csv.NewReader(bufio.NewReaderSize(s, 64<<10))
	cr.FieldsPerRecord = -1 // preambles are ragged; rows are checked against the header
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &CSVReader{cr: cr, s: s}
}

// Read returns the next record, whose slice the next call reuses, and what
// is known of it; io.EOF after the last. Other errors are those of the
// input, and fatal.
func (r *CSVReader) Read() ([]string, RecordInfo, error) {
	rec, err := r.cr.Read()
	if err == io.EOF {
		return nil, RecordInfo{}, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// Not with LazyQuotes and FieldsPerRecord -1; kept in case.
			return nil, RecordInfo{}, &armstrace.Error{Code: armstrace.EINVALID, Line: pe.StartLine, Message: "malformed CSV: " + pe.Err.Error()}
		}
		return nil, RecordInfo{}, err
	}
	info, ok := r.s.pop(r.cr.InputOffset())
	if !ok {
		// The splitter and encoding/csv disagree on where the record
		// ends, which the tests say never happens; encoding/csv's line is
		// right unless a record before was cut.
		r.lost++
		line, _ := r.cr.FieldPos(0)
		info = RecordInfo{Line: line, EndLine: line}
	}
	return rec, info, nil
}

// States of the splitter, as encoding/csv parses with LazyQuotes.
const (
	sField   = iota // at the start of a field (or of a record)
	sBare           // in an unquoted field
	sQuoted         // in a quoted field
	sQuote          // after a quote in a quoted field: its end, an escaped quote, or (lazily) a quote of the text
	sQuoteCR        // after a quote and a carriage return: its end if a line feed follows
)

// splitter sits between the text and encoding/csv. It follows where each
// record ends, as encoding/csv will find it, and queues what it learns of
// each record until encoding/csv returns it; it cuts a record longer than
// the limit (see CSVReader).
type splitter struct {
	src   io.Reader
	chunk []byte
	buf   []byte // read from src, not yet handed on
	eof   bool
	err   error
	limit int64

	state    int
	lines    int   // line feeds scanned
	lastNL   bool  // the last byte scanned was a line feed
	recBytes int64 // bytes of the current record scanned
	recLine  int   // the line it starts on
	recFirst byte  // its first byte
	out      int64 // bytes handed on, those added to close a cut record too

	skipping bool   // dropping the rest of a record cut at the limit
	cutState int    // the state where it was cut
	tail     []byte // bytes to hand on that close a cut record
	done     bool

	queue []queued
	head  int
}

// queued is a record's end, as an offset in the bytes handed on, and what
// is known of it.
type queued struct {
	end  int64
	info RecordInfo
}

var newline = []byte{'\n'}

// scan follows b from the splitter's state. It stops after the line feed
// that ends a record (returning true), or at the end of b.
func (s *splitter) scan(b []byte) (int, bool) {
	i := 0
	eol := -2 // the index in b of the next line feed at or after i; -1 for none, -2 not looked for yet
	for i < len(b) {
		switch s.state {
		case sField, sBare:
			if eol == -2 || (eol >= 0 && eol < i) {
				eol = bytes.IndexByte(b[i:], '\n')
				if eol >= 0 {
					eol += i
				}
			}
			line := b[i:]
			if eol >= 0 {
				line = b[i:eol]
			}
			// No quote opens a field before the first quote at the
			// start of a field: the text up to it is unquoted, and its
			// commas separate fields.
			open := -1
			for off := 0; ; {
				q := bytes.IndexByte(line[off:], '"')
				if q < 0 {
					break
				}
				q += off
				if (q == 0 && s.state == sField) || (q > 0 && line[q-1] == ',') {
					open = q
					break
				}
				off = q + 1
			}
			switch {
			case open >= 0:
				i += open + 1
				s.state = sQuoted
			case eol >= 0:
				s.lines++
				s.state = sField
				return eol + 1, true
			default:
				if len(line) > 0 {
					if line[len(line)-1] == ',' {
						s.state = sField
					} else {
						s.state = sBare
					}
				}
				return len(b), false
			}
		case sQuoted:
			rest := b[i:]
			q := bytes.IndexByte(rest, '"')
			if q < 0 {
				if eol != -1 {
					s.lines += bytes.Count(rest, newline)
				}
				return len(b), false
			}
			// Line feeds in the quoted text count lines; there are none
			// when the next one is known to come after the quote.
			if eol != -1 && (eol < i || eol < i+q) {
				s.lines += bytes.Count(rest[:q], newline)
			}
			i += q + 1
			s.state = sQuote
		case sQuote:
			switch b[i] {
			case '"':
				s.state = sQuoted
				i++
			case ',':
				s.state = sField
				i++
			case '\n':
				s.lines++
				s.state = sField
				return i + 1, true
			case '\r':
				s.state = sQuoteCR
				i++
			default:
				s.state = sQuoted // a quote of the text; b[i] is text too
			}
		case sQuoteCR:
			if b[i] == '\n' {
				s.lines++
				s.state = sField
				return i + 1, true
			}
			s.state = sQuoted // the carriage return was text; b[i] is read as text of the quoted field
		}
	}
	return i, false
}

// consume scans b, which is then dropped or handed on, and keeps count.
func (s *splitter) consume(b []byte) (int, bool) {
	if s.recBytes == 0 && len(b) > 0 {
		s.recLine = s.lines + 1
		s.recFirst = b[0]
	}
	n, ended := s.scan(b)
	if n > 0 {
		s.lastNL = b[n-1] == '\n'
	}
	s.recBytes += int64(n)
	return n, ended
}

// push queues the end of the current record, at offset end of the bytes
// handed on, and starts the next.
func (s *splitter) push(end int64, info RecordInfo) {
	info.Line = s.recLine
	info.EndLine = s.lines
	if !s.lastNL {
		info.EndLine++ // a last line without a line feed
	}
	info.Bytes = s.recBytes
	s.queue = append(s.queue, queued{end: end, info: info})
	s.recBytes = 0
	s.state = sField
}

// pop returns what is known of the record that ends at offset end,
// dropping what was queued of blank lines before it (encoding/csv skips
// them).
func (s *splitter) pop(end int64) (RecordInfo, bool) {
	for s.head < len(s.queue) {
		q := s.queue[s.head]
		if q.end > end {
			break
		}
		s.head++
		if s.head == len(s.queue) {
			s.queue, s.head = s.queue[:0], 0
		} else if s.head >= 1024 && 2*s.head >= len(s.queue) {
			n := copy(s.queue, s.queue[s.head:])
			s.queue, s.head = s.queue[:n], 0
		}
		if q.end == end {
			return q.info, true
		}
	}
	return RecordInfo{}, false
}

// cutDone closes a record cut at the limit, once its end is found.
func (s *splitter) cutDone(atEOF bool) {
	s.skipping = false
	switch {
	case s.cutState == sQuoted:
		s.tail = append(s.tail[:0], '"', '\n')
	case s.limit == 1 && s.recFirst == '\r':
		// "\r\n" would be a blank line, which encoding/csv skips.
		s.tail = append(s.tail[:0], ',', '\n')
	default:
		s.tail = append(s.tail[:0], '\n')
	}
	s.push(s.out+int64(len(s.tail)), RecordInfo{TooLong: true, Unclosed: atEOF && s.state == sQuoted})
}

func (s *splitter) Read(p []byte) (int, error) {
	for {
		if len(s.tail) > 0 {
			n := copy(p, s.tail)
			s.tail = s.tail[n:]
			s.out += int64(n)
			return n, nil
		}
		if len(s.buf) == 0 {
			if s.err != nil {
				return 0, s.err
			}
			if s.eof {
				if !s.done {
					s.done = true
					switch {
					case s.skipping:
						s.cutDone(true)
						continue
					case s.recBytes > 0:
						s.push(s.out, RecordInfo{Unclosed: s.state == sQuoted})
					}
				}
				return 0, io.EOF
			}
			n, err := s.src.Read(s.chunk)
			s.buf = s.chunk[:n]
			if err == io.EOF {
				s.eof = true
			} else if err != nil {
				s.err = err
			}
			continue
		}
		if s.skipping {
			n, ended := s.consume(s.buf)
			s.buf = s.buf[n:]
			if ended {
				s.cutDone(false)
			}
			continue
		}
		out := 0
		for out < len(p) && len(s.buf) > 0 {
			room := s.limit - s.recBytes
			if room <= 0 {
				if s.buf[0] == '\n' && s.state != sQuoted {
					room = 1 // the line feed that ends the record is not counted
				} else {
					// The record reaches the limit and goes on: cut it here.
					s.skipping, s.cutState = true, s.state
					break
				}
			}
			w := s.buf
			if int64(len(w)) > room {
				w = w[:room]
			}
			if len(w) > len(p)-out {
				w = w[:len(p)-out]
			}
			n, ended := s.consume(w)
			copy(p[out:], w[:n])
			out += n
			s.buf = s.buf[n:]
			if ended {
				s.push(s.out+int64(out), RecordInfo{})
			}
		}
		if out > 0 {
			s.out += int64(out)
			return out, nil
		}
	}
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
