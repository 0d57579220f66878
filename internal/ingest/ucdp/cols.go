package ucdp

import (
	"math"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// columns reads cells by position rather than by name, which saves a map
// lookup per cell: the GED reader reads some 35 cells a row. Problems
// are still recorded through ingest.Cells, by column name, so that errors
// read as every importer's do; and an unusual cell ("2016.0", a value
// out of range) is left to the Cells accessors, which know those forms.
type columns struct {
	names []string
	idx   []int // position of each name, -1 when the file lacks it
}

func newColumns(t *ingest.Table, names []string) columns {
	cs := columns{names: names, idx: make([]int, len(names))}
	for k, n := range names {
		cs.idx[k] = -1
		for i, h := range t.Header() {
			if h == n {
				cs.idx[k] = i
				break
			}
		}
	}
	return cs
}

// missing reports whether a cell stands for no value, as ingest.Cells
// reads them.
func missing(s string) bool {
	switch s {
	case "", "NA", "N/A", "n/a", "NULL", "null", "-", "..":
		return true
	}
	return false
}

// str returns a cell trimmed, "" for a missing value.
func (cs columns) str(c *ingest.Cells, k int) string {
	s := c.At(cs.idx[k])
	if missing(s) {
		return ""
	}
	return s
}

// text returns a cell as str does, on one line ("Congo-\nKinshasa" and
// "Waha Report\n" are in the data, and names and titles are single
// lines), and records a problem with the row
// when the cell holds a control character.
func (cs columns) text(c *ingest.Cells, k int) string {
	return cs.textMax(c, k, 0)
}

// textMax is text for a cell of which only the first max bytes are kept
// (all of it when max is 0): only those are checked.
func (cs columns) textMax(c *ingest.Cells, k, max int) string {
	s := cs.str(c, k)
	if max > 0 {
		s = clip(s, max)
	}
	ctrl, fold := scanText(s)
	if ctrl {
		c.Fail(cs.names[k], "contains a control character")
		return ""
	}
	if fold {
		// A word broken at its hyphen across lines is one word again.
		s = strings.Join(strings.Fields(strings.ReplaceAll(s, "-\n", "-")), " ")
	}
	return s
}

// needText returns a text cell that must have a value.
func (cs columns) needText(c *ingest.Cells, k int) string {
	s := cs.text(c, k)
	if s == "" && c.Err() == nil {
		c.Fail(cs.names[k], "required, but empty")
	}
	return s
}

// int returns a whole-number cell; ok is false for a missing or bad value
// (a bad one is recorded).
func (cs columns) int(c *ingest.Cells, k int) (int, bool) {
	s := cs.str(c, k)
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	return c.Int(cs.names[k])
}

// count returns a whole number that must not be below zero.
func (cs columns) count(c *ingest.Cells, k int) (int, bool) {
	v, ok := cs.int(c, k)
	if ok && v < 0 {
		c.Fail(cs.names[k], "%d is below zero", v)
		return 0, false
	}
	return v, ok
}

// needCount returns a count that must have a value.
func (cs columns) needCount(c *ingest.Cells, k int) int {
	v, ok := cs.count(c, k)
	if !ok && c.Err() == nil {
		c.Fail(cs.names[k], "required, but empty")
	}
	return v
}

// needInt returns a whole number that must have a value.
func (cs columns) needInt(c *ingest.Cells, k int) int {
	v, ok := cs.int(c, k)
	if !ok && c.Err() == nil {
		c.Fail(cs.names[k], "required, but empty")
	}
	return v
}

// float returns a number cell, ok false for a missing or bad value.
func (cs columns) float(c *ingest.Cells, k int) (float64, bool) {
	s := cs.str(c, k)
	if s == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return f, true
	}
	if p := c.Float(cs.names[k]); p != nil {
		return *p, true
	}
	return 0, false
}

// day returns a YYYY-MM-DD cell (a time after it is ignored, as some
// exports write "2016-01-01 00:00:00"), "" for a missing value; a cell
// that is no real day is recorded.
func (cs columns) day(c *ingest.Cells, k int) armstrace.Date {
	s := cs.str(c, k)
	if s == "" {
		return ""
	}
	d := s
	if len(d) > 10 && (d[10] == ' ' || d[10] == 'T') {
		d = d[:10]
	}
	if !isDay(d) {
		c.Fail(cs.names[k], "%q is not a date (want YYYY-MM-DD)", s)
		return ""
	}
	return armstrace.Date(d)
}

// isDay reports whether s is a real day written YYYY-MM-DD, without the
// regular expression and time parsing that armstrace.Date.Validate uses:
// dates are two cells of every GED row.
func isDay(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	num := func(t string) int {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return -1
			}
			n = n*10 + int(t[i]-'0')
		}
		return n
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// scanText reports whether s holds a control character that records
// refuse (tab and line breaks aside; all are ASCII, so bytes suffice),
// and whether it needs folding onto one line: a line break, a tab or two
// spaces in a row. It tests eight bytes at a time, and single bytes only
// from the first word with a byte below 0x20 or equal to 0x7f on.
func scanText(s string) (ctrl, fold bool) {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
		lows  = 0x7f7f7f7f7f7f7f7f
	)
	i := 0
	var prevSpace uint64
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		low := (x - 0x20*ones) &^ x & highs // some byte < 0x20
		y := x ^ (0x7f * ones)
		del := (y - ones) &^ y & highs // some byte == 0x7f
		if low|del != 0 {
			break
		}
		// 0x80 in each byte that is a space, exactly (no borrows).
		z := x ^ (0x20 * ones)
		sp := ^((z&lows + lows) | z | lows)
		if sp&(sp>>8) != 0 || prevSpace&sp != 0 {
			fold = true
		}
		prevSpace = sp >> 56 // the last byte's flag, where the next word's first is
	}
	space := i > 0 && s[i-1] == ' '
	for ; i < len(s); i++ {
		switch b := s[i]; {
		case b == ' ':
			if space {
				fold = true
			}
			space = true
			continue
		case b == '\t' || b == '\n' || b == '\r':
			fold = true
		case b < 0x20 || b == 0x7f:
			return true, fold
		}
		space = false
	}
	return false, fold
}
