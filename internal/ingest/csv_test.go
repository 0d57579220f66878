package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/armstrace/armstrace"
)

// plainRecord is a record as encoding/csv alone reads it, with what
// CSVReader must find out about it.
type plainRecord struct {
	fields        []string
	line, endLine int
	bytes         int64
	content       int64 // bytes without the line feed that ends it
}

// readPlain reads text with encoding/csv and the options CSVReader uses,
// and works out each record's lines and length from the offsets.
func readPlain(t testing.TB, in []byte) []plainRecord {
	t.Helper()
	text, err := io.ReadAll(NewTextReader(bytes.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	lineStart := []int{0}
	for i, c := range text {
		if c == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var out []plainRecord
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("encoding/csv: %v", err)
		}
		line, _ := cr.FieldPos(0)
		end := int(cr.InputOffset())
		nl := bytes.Count(text[:end], []byte{'\n'})
		endLine := nl
		if end == 0 || text[end-1] != '\n' {
			endLine++
		}
		pr := plainRecord{fields: rec, line: line, endLine: endLine, bytes: int64(end - lineStart[line-1])}
		pr.content = pr.bytes
		if end > 0 && text[end-1] == '\n' {
			pr.content--
		}
		out = append(out, pr)
	}
}

// checkAgainstPlain reads in with a CSVReader of the given limit and
// checks it against encoding/csv: the same records, lines and lengths;
// those longer than the limit marked and cut, and the others whole.
func checkAgainstPlain(t *testing.T, in []byte, limit int64, chunked bool) {
	t.Helper()
	want := readPlain(t, in)
	var src io.Reader = bytes.NewReader(in)
	if chunked {
		src = iotest.HalfReader(src)
	}
	r := NewCSVReader(src, limit)
	for i := 0; ; i++ {
		rec, info, err := r.Read()
		if err == io.EOF {
			if i != len(want) {
				t.Fatalf("%d records, want %d", i, len(want))
			}
			break
		}
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if i >= len(want) {
			t.Fatalf("record %d %q: encoding/csv has only %d", i, rec, len(want))
		}
		w := want[i]
		if info.Line != w.line || info.EndLine != w.endLine || info.Bytes != w.bytes {
			t.Fatalf("record %d %q: lines %d–%d, %d bytes; want %d–%d, %d bytes", i, rec, info.Line, info.EndLine, info.Bytes, w.line, w.endLine, w.bytes)
		}
		content := w.content
		if info.Unclosed && w.content < w.bytes {
			content = w.bytes // the last line feed is in the open quoted cell
		}
		if info.TooLong != (content > limit) {
			t.Fatalf("record %d: too long %v, %d bytes, limit %d", i, info.TooLong, w.bytes, limit)
		}
		if !info.TooLong && !slices.Equal(rec, w.fields) {
			t.Fatalf("record %d: %q, want %q", i, rec, w.fields)
		}
	}
	if r.lost != 0 {
		t.Fatalf("%d records not matched to their ends", r.lost)
	}
}

var csvCases = []string{
	"",
	"a,b,c\n1,2,3\n",
	"a,b\r\n1,2\r\n",
	"a,b\n\n\n1,2\n\r\n3,4",
	"id,text\n1,\"two\nlines\"\n2,\"three\r\nlines\r\nhere\"\n3,x\n",
	"x,\"a \"\"quoted\"\" word\",y\n",
	"x,\"lazy \"quote\" inside\",y\nz\n",
	"x,bare\"quote,y\n\"q\"\"\n",
	"x,\"\"\n\"\",\"\"\"\"\n",
	"x,\"open to the end\nof the file\n",
	"x,\"quote then cr\"\r\ny\n",
	"x,\"quote cr cr\"\r\r\ny\"\nz\n",
	"x,\"ends with cr\"\r",
	"x,\"ends with quote\"",
	"a,\"b\"c,\"d\ne\",f\ng\n",
	"\ufeffid,name\n1,\"Café\"\n",
	"Caf\xe9,\"\xe9\n\xe9\"\n",
	"\"\n\"\n\"",
	",,,\n,\"\",\n",
	"a\rb,c\r\n",
}

// TestCSVReaderAgreesWithEncodingCSV reads odd CSV both ways, with no
// limit to speak of and with limits that cut records.
func TestCSVReaderAgreesWithEncodingCSV(t *testing.T) {
	for _, in := range csvCases {
		for _, limit := range []int64{1 << 20, 1, 2, 3, 5, 8, 13} {
			for _, chunked := range []bool{false, true} {
				t.Run("", func(t *testing.T) {
					defer func() {
						if t.Failed() {
							t.Logf("input %q, limit %d, chunked %v", in, limit, chunked)
						}
					}()
					checkAgainstPlain(t, []byte(in), limit, chunked)
				})
			}
		}
	}
}

func FuzzCSVReader(f *testing.F) {
	for _, in := range csvCases {
		f.Add([]byte(in), uint8(0))
		f.Add([]byte(in), uint8(4))
	}
	f.Fuzz(func(t *testing.T, in []byte, limit uint8) {
		l := int64(limit)
		if l == 0 {
			l = 1 << 20
		}
		checkAgainstPlain(t, in, l, false)
		checkAgainstPlain(t, in, l, true)
	})
}

// TestCSVReaderUnclosed marks a record whose quoted cell the file leaves
// open, and only that one.
func TestCSVReaderUnclosed(t *testing.T) {
	for _, tc := range []struct {
		in       string
		unclosed []bool
	}{
		{"a,b\n1,\"two\n", []bool{false, true}},
		{"a,b\n1,\"two", []bool{false, true}},
		{"a,b\n1,\"two\"", []bool{false, false}},
		{"a,b\n1,\"two\"\r", []bool{false, false}},
		{"a,b\n1,x\"y\n", []bool{false, false}},
		{"a,\"b\n1,2\n3,4\n", []bool{true}},
	} {
		r := NewCSVReader(strings.NewReader(tc.in), 0)
		var got []bool
		for {
			_, info, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, info.Unclosed)
		}
		if !slices.Equal(got, tc.unclosed) {
			t.Errorf("%q: unclosed %v, want %v", tc.in, got, tc.unclosed)
		}
	}
}

// TestTableRowLimit reads a row far longer than the limit: it is a bad
// row of its line, its first cells are there to say whose row it was,
// reading goes on with the next row at the right line, and memory holds
// no more than the limit of it.
func TestTableRowLimit(t *testing.T) {
	const limit = 4 << 10
	long := strings.Repeat("x", 1<<20)
	in := "id,name,note\n" +
		"1,one,fine\n" +
		"2,two," + long + "\n" + // line 3: one long line
		"3,three,\"" + strings.Repeat("y\n", 1<<16) + "\"\n" + // lines 4–65540: a long quoted cell of many lines
		"4,four,fine\n"
	tb, err := NewTable(strings.NewReader(in), TableOptions{MaxRecordBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		line int
		id   string
		err  string
	}
	var got []row
	for {
		c, err := tb.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		r := row{line: c.Line, id: c.Str("id")}
		if c.Err() != nil {
			r.err = armstrace.ErrorMessage(c.Err())
			if armstrace.ErrorCode(c.Err()) != armstrace.EINVALID {
				t.Errorf("line %d: %v is not EINVALID", c.Line, c.Err())
			}
			if len(c.Raw("note")) > limit {
				t.Errorf("line %d: the cut row holds %d bytes of its last cell", c.Line, len(c.Raw("note")))
			}
		}
		got = append(got, r)
	}
	want := []row{
		{2, "1", ""},
		{3, "2", "line 3: row longer than 4 KB (1.0 MB), the most one row may hold: left out"},
		{4, "3", "line 4: row longer than 4 KB (128.0 KB), the most one row may hold: left out (lines 4–65540)"},
		{65541, "4", ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n%+v\nwant\n%+v", got, want)
	}
	if tb.Rows() != 4 {
		t.Errorf("%d rows read, want 4", tb.Rows())
	}
}

// TestTableRowLimitDefault checks the default limit, and that a long
// line before the header is refused as a wrong format.
func TestTableRowLimitDefault(t *testing.T) {
	tb, err := NewTable(strings.NewReader("a,b\n1,2\n"), TableOptions{})
	if err != nil || tb.limit != DefaultMaxRecordBytes || DefaultMaxRecordBytes != 16<<20 {
		t.Fatalf("limit %d, %v", tb.limit, err)
	}
	_, err = NewTable(strings.NewReader(strings.Repeat("z", 300)+"\na,b\n"), TableOptions{MaxRecordBytes: 100, IsHeader: func(f []string) bool { return f[0] == "a" }})
	var ae *armstrace.Error
	if !errors.As(err, &ae) || ae.Code != armstrace.EINVALID || ae.Line != 1 || !strings.Contains(ae.Message, "longer than 100 bytes") {
		t.Errorf("long preamble line: %v", err)
	}
}

// TestTableUnclosedQuote makes a row cut short inside a quoted cell (a
// truncated file) a bad row, where encoding/csv would take it as whole.
func TestTableUnclosedQuote(t *testing.T) {
	tb, err := NewTable(strings.NewReader("id,note\n1,\"fine\"\n2,\"cut sho"), TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := tb.Next()
	if c.Err() != nil {
		t.Fatal(c.Err())
	}
	c, _ = tb.Next()
	if err := c.Err(); err == nil || c.Line != 3 || !strings.Contains(err.Error(), "still open at the end of the file") {
		t.Errorf("line %d: %v", c.Line, err)
	}
	if _, err := tb.Next(); err != io.EOF {
		t.Errorf("after the cut row: %v", err)
	}
}

// TestFailClipsLongCells quotes no more than 200 characters of a cell in
// an error message, however long the cell (here 20 MB, under a limit
// raised to hold it).
func TestFailClipsLongCells(t *testing.T) {
	huge := strings.Repeat("9", 20<<20) + "x"
	in := "n,d,i\n" + huge + ",1,1\n1," + huge + ",1\n1,1," + huge + "\n"
	tb, err := NewTable(strings.NewReader(in), TableOptions{MaxRecordBytes: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, read := range []func(c *Cells){
		func(c *Cells) { c.Float("n") },
		func(c *Cells) { c.Date("d") },
		func(c *Cells) { c.Int("i") },
	} {
		c, err := tb.Next()
		if err != nil {
			t.Fatal(err)
		}
		read(c)
		msg := armstrace.ErrorMessage(c.Err())
		if len(msg) > 300 || !strings.Contains(msg, `…(20971321 bytes cut)"`) || !strings.HasPrefix(msg, "line ") {
			t.Errorf("message of %d bytes: %.400s", len(msg), msg)
		}
	}
	// Short values are quoted whole.
	c := &Cells{Line: 1}
	c.Fail("f", "%q is not %s", "abc", strings.Repeat("long words ", 30))
	if msg := c.Err().(*armstrace.Error).Message; !strings.HasPrefix(msg, `"abc" is not long words`) || !strings.Contains(msg, "bytes cut") {
		t.Errorf("%s", msg)
	}
}
