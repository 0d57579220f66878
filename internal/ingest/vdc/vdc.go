// Package vdc reads the daily casualty counts of the Violations
// Documentation Center in Syria (VDC), as scraped from its site into four
// layouts of one CSV each: the daily total, the daily count split by
// civilian status, and daily deaths by cause and by governorate. Each file
// becomes one armstrace.Series holding every day of it.
//
// What the reader decides, and why:
//
//   - The layout is told from the header: a date column ("Date of death"
//     or "day") and then either "# killed" (daily-total), Civilian and
//     Non-Civilian (civilian-status), VDC's causes of death (by-cause) or
//     Syria's governorates (by-province). A column the layout does not
//     know is kept as a breakdown of its own, so a later scrape with a new
//     cause still reads.
//   - Breakdown files give one point per day per column, keyed
//     "<dimension>=<column>", and one total point per day (key "") equal to
//     the row's sum, so that the total is never made by adding the
//     breakdown twice.
//   - An empty cell is 0 only in the civilian-status file, where the
//     source's documentation says so (it left the cells of days with no
//     death of that status empty). In the other files an empty cell is a
//     missing value: that point is left out, and so is the day's total,
//     which would otherwise be a floor passed off as a count. None of the
//     shared files has such a cell.
//   - The files list only days with at least one recorded death; a day
//     without a row gets no point, rather than an invented zero.
//   - A day before the uprising began (15 March 2011), such as the stray
//     2011-01-05 of the 2018 scrape, is kept as the source has it and
//     named in the series notes.
//   - A row with a malformed date, a repeated date or a count that is not
//     a whole number of people is an EINVALID error naming its line and
//     column; the reader goes on with the next row.
package vdc

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// Format reads one of VDC's daily casualty CSVs into a series.
var Format = ingest.Format{
	Name:    "casualty-series",
	Summary: "VDC Syria daily deaths (total, civilian status, by cause or by governorate) as one series per file",
	Open:    open,
}

// Layout names the shape of a file; the series id is "vdc:<layout>".
type Layout string

const (
	DailyTotal     Layout = "daily-total"
	CivilianStatus Layout = "civilian-status"
	ByCause        Layout = "by-cause"
	ByProvince     Layout = "by-province"
)

// uprising is the first day of the 2011 protests; a count dated earlier is
// noted as suspect.
const uprising armstrace.Date = "2011-03-15"

// maxCount bounds a plausible count of deaths on one day in one cell; a
// larger figure is a broken cell, not a count.
const maxCount = 1e6

var dateHeadings = map[string]bool{"date of death": true, "day": true, "date": true}

var totalHeadings = map[string]bool{"# killed": true, "killed": true, "deaths": true, "total": true}

var statuses = map[string]bool{"civilian": true, "non-civilian": true}

var causes = map[string]bool{
	"chemical weapon": true, "detention": true, "execution": true, "explosion": true,
	"lack of medical access": true, "shelling": true, "shooting": true, "siege": true,
	"unknown": true, "kidnapping": true, "field execution": true, "torture": true,
	"warplane shelling": true,
}

var provinces = map[string]bool{
	"aleppo": true, "damascus": true, "damascus suburbs": true, "daraa": true,
	"deir ezzor": true, "hama": true, "hasakeh": true, "homs": true, "idlib": true,
	"lattakia": true, "quneitra": true, "raqqa": true, "sweida": true, "tartous": true,
}

type column struct {
	index int
	name  string
	key   string // point key: "cause=Shelling"
}

type reader struct {
	env      *ingest.Env
	t        *ingest.Table
	layout   Layout
	dateCol  string
	cols     []column
	state    *ingest.State
	points   []armstrace.SeriesPoint
	seen     map[armstrace.Date]int // day → line
	first    int                    // first and last line of a good row
	last     int
	days     int
	early    []armstrace.Date
	empties  int // empty cells read as 0 (civilian-status) or left out (others)
	partial  int // days whose total was left out for a missing cell
	unnamed  []int
	done     bool
	emitted  bool
	headLine int
}

// Unresolved returns the state names that did not resolve: none, as the
// subject is always Syria; it is here for the importer's interface.
func (r *reader) Unresolved() []string { return nil }

// Layout returns the layout the header showed.
func (r *reader) Layout() Layout { return r.layout }

func open(in io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	t, err := ingest.NewTable(in, ingest.TableOptions{IsHeader: func(f []string) bool {
		return len(f) >= 2 && dateHeadings[strings.ToLower(strings.TrimSpace(f[0]))]
	}, MaxPreamble: 5})
	if err != nil {
		return nil, ingest.Dataset{}, err
	}
	r := &reader{env: env, t: t, seen: map[armstrace.Date]int{}, headLine: t.HeaderLine()}
	if err := r.detect(); err != nil {
		return nil, ingest.Dataset{}, err
	}
	if env == nil || env.States == nil {
		return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINTERNAL, Message: "vdc: no states table in the environment"}
	}
	st, ok := env.States.ByName("Syria")
	if !ok {
		return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINTERNAL, Message: "vdc: the states table has no Syria"}
	}
	r.state = st
	ds := ingest.Dataset{
		Name:      "Violations Documentation Center in Syria (VDC): daily deaths",
		Publisher: "Violations Documentation Center in Syria",
		License:   "no stated reuse terms; internal research use, cite VDC",
		URL:       "http://www.vdc-sy.info/",
	}
	if r.layout == ByCause || r.layout == ByProvince {
		ds.URL = "https://vdc-sy.net/"
	}
	return r, ds, nil
}

func headerErr(line int, field, format string, args ...any) error {
	return &armstrace.Error{Code: armstrace.EINVALID, Line: line, Field: field, Message: fmt.Sprintf(format, args...)}
}

// detect tells the layout from the header and lists the value columns.
func (r *reader) detect() error {
	h := r.t.Header()
	line := r.t.HeaderLine()
	r.dateCol = h[0]
	names := map[string]bool{}
	var nStatus, nCause, nProv, nTotal, nOther int
	for i, name := range h[1:] {
		i++
		if name == "" {
			r.unnamed = append(r.unnamed, i)
			continue
		}
		if !cleanText(name) {
			return headerErr(line, fmt.Sprintf("column %d", i+1), "the column name %q holds a control character", name)
		}
		if names[name] {
			return headerErr(line, name, "the header names this column twice")
		}
		names[name] = true
		r.cols = append(r.cols, column{index: i, name: name})
		k := strings.ToLower(name)
		switch {
		case totalHeadings[k]:
			nTotal++
		case statuses[k]:
			nStatus++
		case causes[k]:
			nCause++
		case provinces[k]:
			nProv++
		default:
			nOther++
		}
	}
	var dim string
	switch {
	case nTotal == 1 && len(r.cols) == 1:
		r.layout = DailyTotal
	case nStatus > 0 && nStatus+nOther == len(r.cols) && nStatus > nOther:
		r.layout, dim = CivilianStatus, "status"
	case nCause > 0 && nProv == 0 && nStatus == 0 && nTotal == 0 && nCause > nOther:
		r.layout, dim = ByCause, "cause"
	case nProv > 0 && nCause == 0 && nStatus == 0 && nTotal == 0 && nProv > nOther:
		r.layout, dim = ByProvince, "province"
	default:
		return headerErr(line, "", "cannot tell which VDC layout this is from the header %q: want a date column and then \"# killed\", Civilian/Non-Civilian, VDC's causes of death or Syria's governorates", strings.Join(h, ","))
	}
	for i := range r.cols {
		if dim != "" {
			r.cols[i].key = dim + "=" + r.cols[i].name
		}
	}
	return nil
}

// cleanText reports whether s holds no control character other than tab
// and line breaks, as armstrace's text rule requires.
func cleanText(s string) bool {
	for _, c := range s {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return false
		}
	}
	return true
}

// Next returns the error of a bad row as it meets it, and the one series
// of the file after its last row.
func (r *reader) Next() (ingest.Row, error) {
	for !r.done {
		c, err := r.t.Next()
		if err == io.EOF {
			r.done = true
			break
		}
		if err != nil {
			return ingest.Row{}, err
		}
		if err := r.row(c); err != nil {
			return ingest.Row{}, err
		}
	}
	if r.emitted || r.days == 0 {
		return ingest.Row{}, io.EOF
	}
	r.emitted = true
	s := r.series()
	r.points, r.seen = nil, nil
	return ingest.Row{Line: r.headLine, Ops: []ingest.Op{
		{Mode: ingest.Merge, Record: r.state.Entity()},
		{Mode: ingest.Put, Record: s},
	}}, nil
}

func (r *reader) row(c *ingest.Cells) error {
	if err := c.Err(); err != nil {
		return err
	}
	raw := c.Str(r.dateCol)
	day := c.Date(r.dateCol)
	if err := c.Err(); err != nil {
		return err
	}
	if day == "" {
		c.Fail(r.dateCol, "required, but empty")
		return c.Err()
	}
	if day < "1900-01-01" || day > "2200-12-31" {
		c.Fail(r.dateCol, "%q is not a plausible day", raw)
		return c.Err()
	}
	if prev, dup := r.seen[day]; dup {
		c.Fail(r.dateCol, "the day %s appears twice (first on line %d); this row is left out", day, prev)
		return c.Err()
	}
	for _, i := range r.unnamed {
		if v := c.At(i); v != "" {
			c.Fail(fmt.Sprintf("column %d", i+1), "the value %q sits under a column with no name", v)
			return c.Err()
		}
	}
	start := len(r.points)
	var sum float64
	missing := 0
	if r.layout != DailyTotal {
		r.points = append(r.points, armstrace.SeriesPoint{Period: day})
	}
	for _, col := range r.cols {
		s := c.Str(col.name)
		if s == "" {
			r.empties++
			if r.layout == CivilianStatus {
				r.points = append(r.points, armstrace.SeriesPoint{Period: day, Key: col.key, Value: 0})
				continue
			}
			missing++
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
			c.Fail(col.name, "%q is not a number", s)
		case v < 0:
			c.Fail(col.name, "%q is below zero; a count of deaths cannot be", s)
		case v != math.Trunc(v):
			c.Fail(col.name, "%q is not a whole number of people", s)
		case v > maxCount:
			c.Fail(col.name, "%q is not a plausible count of deaths on one day", s)
		}
		if c.Err() != nil {
			r.points = r.points[:start]
			return c.Err()
		}
		sum += v
		r.points = append(r.points, armstrace.SeriesPoint{Period: day, Key: col.key, Value: v})
	}
	if r.layout != DailyTotal {
		if missing > 0 {
			// The total of a day with a missing cell is unknown: drop it.
			copy(r.points[start:], r.points[start+1:])
			r.points = r.points[:len(r.points)-1]
			r.partial++
		} else {
			r.points[start].Value = sum
		}
	}
	r.seen[day] = c.Line
	if r.first == 0 {
		r.first = c.Line
	}
	r.last = c.Line
	r.days++
	if day < uprising {
		r.early = append(r.early, day)
	}
	return nil
}

func (r *reader) series() *armstrace.Series {
	s := &armstrace.Series{
		ID:        "vdc:" + string(r.layout),
		Measure:   "deaths",
		Unit:      "people",
		Frequency: "day",
		Subject:   r.state.ID,
		Points:    r.points,
		Citations: []armstrace.Citation{r.env.Cite(fmt.Sprintf("header line %d; rows on lines %d–%d (%d days)", r.headLine, r.first, r.last, r.days))},
	}
	var notes []string
	switch r.layout {
	case DailyTotal:
		s.Name = "VDC: deaths in Syria per day"
		notes = append(notes, "Daily count of the VDC \"martyrs\" list scraped from vdc-sy.info; that list counts the victims VDC attributes to government forces, not all deaths in the war.")
	case CivilianStatus:
		s.Name = "VDC: deaths in Syria per day, by civilian status"
		notes = append(notes, "Daily count of the VDC \"martyrs\" list scraped from vdc-sy.info, split by VDC's Status (Civilian, Non-Civilian); that list counts the victims VDC attributes to government forces, not all deaths in the war.")
	case ByCause:
		s.Name = "VDC: deaths in Syria per day, by cause of death"
		notes = append(notes, "Daily deaths by VDC's cause of death, aggregated from a 2018–19 scrape of vdc-sy.net. The source notes do not say which VDC list was scraped; the 2011–2016 files count the \"martyrs\" list, the victims VDC attributes to government forces.")
	case ByProvince:
		s.Name = "VDC: deaths in Syria per day, by governorate"
		notes = append(notes, "Daily deaths by governorate (VDC's spelling; \"Damascus Suburbs\" is Rif Dimashq), aggregated from a 2018–19 scrape of vdc-sy.net. The source notes do not say which VDC list was scraped; the 2011–2016 files count the \"martyrs\" list, the victims VDC attributes to government forces.")
	}
	if r.layout != DailyTotal {
		notes = append(notes, "Key \"\" is the day's total, the sum of its breakdown; never add the breakdown to it.")
	}
	notes = append(notes, "Only days with at least one recorded death have a row; a day without a point is a day with none recorded, not an unknown.")
	if r.empties > 0 {
		if r.layout == CivilianStatus {
			notes = append(notes, fmt.Sprintf("%d empty cells read as 0, as the source's documentation states for this file.", r.empties))
		} else if r.layout == DailyTotal {
			notes = append(notes, fmt.Sprintf("%d empty cells are missing values and have no point.", r.empties))
		} else {
			notes = append(notes, fmt.Sprintf("%d empty cells are missing values and have no point; the total of the %d days with one is left out.", r.empties, r.partial))
		}
	}
	if len(r.early) > 0 {
		sort.Slice(r.early, func(i, j int) bool { return r.early[i] < r.early[j] })
		ds := make([]string, len(r.early))
		for i, d := range r.early {
			ds[i] = string(d)
		}
		notes = append(notes, fmt.Sprintf("Kept as the source has it, though dated before the uprising began on 15 March 2011 (probably a stray record): %s.", strings.Join(ds, ", ")))
	}
	s.Notes = strings.Join(notes, " ")
	return s
}

// RowsRead returns the days read; the whole file is one series.
func (r *reader) RowsRead() int { return r.t.Rows() }
