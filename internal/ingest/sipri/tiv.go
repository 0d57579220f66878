package sipri

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// TIVFormat reads SIPRI's tables of the volume of arms imports or exports:
// one row per recipient (imports) or supplier (exports), one column per
// year, then the total over the years and shares. Each row becomes one
// yearly series.
//
// Imports and exports are told apart by the header's first cell, which
// names the row's party: "Recipient" (or "Imports by"/"Importer") in an
// imports table, "Supplier" (or "Exports by"/"Exporter") in an exports
// table. SIPRI's preamble reads the same for both ("Volume of transfers of
// major arms"), so it cannot tell them apart.
var TIVFormat = ingest.Format{
	Name:    "sipri-tiv",
	Summary: "SIPRI TIV table of arms imports or exports by year (CSV): one yearly series per country",
	Open:    openTIV,
}

var (
	yearHeader  = regexp.MustCompile(`^\d{4}$`)
	totalHeader = regexp.MustCompile(`^(\d{4})-(\d{4})$`)
)

func isTIVHeader(fields []string) bool {
	if len(fields) < 3 {
		return false
	}
	first := strings.TrimSpace(fields[0])
	if first == "" || yearHeader.MatchString(first) {
		return false
	}
	return yearHeader.MatchString(strings.TrimSpace(fields[1]))
}

// direction tells imports from exports by the header's first cell.
func direction(first string) (string, bool) {
	f := strings.ToLower(first)
	imp := strings.Contains(f, "recipient") || strings.Contains(f, "import")
	exp := strings.Contains(f, "supplier") || strings.Contains(f, "export")
	switch {
	case imp && !exp:
		return "imports", true
	case exp && !imp:
		return "exports", true
	}
	return "", false
}

type tivColumn struct {
	index int
	year  int
}

// tivReader reads a TIV table, streaming.
type tivReader struct {
	t        *ingest.Table
	env      *ingest.Env
	pre      preambleInfo
	dir      string // imports or exports
	nameCol  string
	years    []tivColumn
	total    int // index of the total column
	totalCol string
	parties  *parties
	seen     map[string]int    // series id → line
	subjects map[string]string // subject entity → "line N (name)" of its first row
	warn     []string
}

func openTIV(r io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	t, err := ingest.NewTable(r, ingest.TableOptions{IsHeader: isTIVHeader})
	if err != nil {
		return nil, ingest.Dataset{}, err
	}
	h := t.Header()
	dir, ok := direction(h[0])
	if !ok {
		return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINVALID, Line: t.HeaderLine(), Field: h[0],
			Message: "the header's first cell should be Recipient (an imports table) or Supplier (an exports table): cannot tell imports from exports"}
	}
	rd := &tivReader{t: t, env: env, pre: readPreamble(t.Preamble()), dir: dir, nameCol: h[0], total: -1,
		parties: newParties(env), seen: map[string]int{}, subjects: map[string]string{}}
	seenYear := map[int]bool{}
	for i, name := range h[1:] {
		i++
		if yearHeader.MatchString(name) {
			y, _ := strconv.Atoi(name)
			if !yearOK(y) || seenYear[y] {
				return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINVALID, Line: t.HeaderLine(), Field: name, Message: "not a year column of its own: the header repeats it or it is out of range"}
			}
			seenYear[y] = true
			rd.years = append(rd.years, tivColumn{index: i, year: y})
			continue
		}
		if rd.total < 0 && totalHeader.MatchString(name) {
			rd.total, rd.totalCol = i, name
		}
	}
	if rd.total < 0 {
		return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINVALID, Line: t.HeaderLine(), Field: "1950-2024",
			Message: "the header lacks the total column (named by its years, such as 1950-2024) that each row is checked against"}
	}
	ds := ingest.Dataset{
		Name:      "SIPRI Arms Transfers Database: TIV of arms " + dir,
		Publisher: publisher,
		Version:   rd.pre.version,
		URL:       url,
		License:   license,
	}
	if dir == "imports" {
		ds.Name += " by recipient"
	} else {
		ds.Name += " by supplier"
	}
	return rd, ds, nil
}

// Unresolved returns the country names that are not states of the
// curated table, sorted.
func (r *tivReader) Unresolved() []string { return r.parties.names() }

// Warnings returns what the import should tell about the file.
func (r *tivReader) Warnings() []string { return r.warn }

func (r *tivReader) Next() (ingest.Row, error) {
	for {
		c, err := r.t.Next()
		if err != nil {
			return ingest.Row{}, err
		}
		row := ingest.Row{Line: c.Line}
		if err := c.Err(); err != nil {
			return row, err
		}
		checkText(c, r.t.Header())
		name := c.Need(r.nameCol)
		if err := c.Err(); err != nil {
			return row, err
		}
		if strings.EqualFold(name, "total") {
			// SIPRI's sum over all countries, not a country's row.
			r.warn = append(r.warn, fmt.Sprintf("line %d: the Total row is not imported", c.Line))
			continue
		}
		return r.row(c, name)
	}
}

func (r *tivReader) row(c *ingest.Cells, name string) (ingest.Row, error) {
	row := ingest.Row{Line: c.Line}
	var points []armstrace.SeriesPoint
	var zeros []string
	var sum float64
	for _, col := range r.years {
		s := c.At(col.index)
		if s == "" {
			continue // no deliveries identified
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			c.Fail(strconv.Itoa(col.year), "%q is not a volume (a number of millions of TIV, 0 or more)", s)
			continue
		}
		if v == 0 {
			zeros = append(zeros, strconv.Itoa(col.year))
		}
		sum += v
		points = append(points, armstrace.SeriesPoint{Period: yearDate(col.year), Value: v})
	}
	totalS := c.At(r.total)
	var total float64
	switch {
	case totalS == "" && len(points) > 0:
		c.Fail(r.totalCol, "empty, but the row has yearly values to check against it")
	case totalS != "":
		v, err := strconv.ParseFloat(strings.ReplaceAll(totalS, ",", ""), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			c.Fail(r.totalCol, "%q is not a number", totalS)
		}
		total = v
	}
	if err := c.Err(); err != nil {
		return row, err
	}
	// Each printed figure is rounded to the unit, so the years may differ
	// from the total by half a unit each, and the total by half a unit.
	if tol := 0.5*float64(len(points)+1) + 1e-6; math.Abs(sum-total) > tol {
		c.Fail(r.totalCol, "the years add up to %s but the total is %s: more than rounding (±%s) can explain", fmtNum(sum), fmtNum(total), fmtNum(tol))
		return row, c.Err()
	}

	cite := r.env.Cite(fmt.Sprintf("line %d: %s", c.Line, name))
	var ops []ingest.Op
	p, ok := r.parties.resolve(name, cite, &ops)
	if !ok {
		c.Fail(r.nameCol, "%q has no letters or digits to make an id from", name)
		return row, c.Err()
	}
	id := slugID("sipri-tiv:"+r.dir+":", strings.TrimRight(name, "* "))
	if prev, dup := r.seen[id]; dup {
		r.parties.discard()
		c.Fail(r.nameCol, "%q makes the series id %s, as line %d did", name, id, prev)
		return row, c.Err()
	}
	measure := "arms " + r.dir
	notes := "Volume of deliveries of major arms in millions of SIPRI trend-indicator values (TIV), by year"
	if r.pre.version != "" {
		notes += " (" + r.pre.version + ")"
	}
	notes += ". A year without a point had no deliveries identified."
	if len(zeros) > 0 {
		notes += " A value of 0 means between 0 and 0.5 million TIV (SIPRI's rule): " + strings.Join(zeros, ", ") + "."
	}
	s := &armstrace.Series{
		ID:        id,
		Name:      fmt.Sprintf("Arms %s of %s (SIPRI TIV)", r.dir, strings.TrimSpace(name)),
		Measure:   measure,
		Unit:      unitTIV,
		Frequency: "year",
		Subject:   p.id,
		Notes:     notes,
		Points:    points,
		Citations: []armstrace.Citation{cite},
	}
	if s.Points == nil {
		s.Points = []armstrace.SeriesPoint{}
	}
	ops = append(ops, ingest.Op{Mode: ingest.Put, Record: s})
	if err := checkOps(c.Line, ops); err != nil {
		r.parties.discard()
		return row, err
	}
	r.parties.commit()
	r.seen[id] = c.Line
	if prev, dup := r.subjects[p.id]; dup {
		r.warn = append(r.warn, fmt.Sprintf("%s and line %d (%s) are both %s: their series are kept apart; do not add them", prev, c.Line, name, p.id))
	} else {
		r.subjects[p.id] = fmt.Sprintf("line %d (%s)", c.Line, name)
	}
	row.Ops = ops
	return row, nil
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
