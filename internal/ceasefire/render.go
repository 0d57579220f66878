package ceasefire

import (
	"bytes"
	"embed"
	"fmt"
	"github.com/armstrace/armstrace/internal/report"
	htmltemplate "html/template"
	"io"
	"math"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/armstrace/armstrace"
)

// RenderFormats lists the formats Render writes.
var RenderFormats = []string{"html", "md"}

//go:embed templates/*.tmpl
var templateFS embed.FS

var (
	htmlTemplate = htmltemplate.Must(htmltemplate.New("report.html.tmpl").Funcs(htmltemplate.FuncMap(renderFuncs)).ParseFS(templateFS, "templates/report.html.tmpl"))
	mdTemplate   = texttemplate.Must(texttemplate.New("report.md.tmpl").Funcs(texttemplate.FuncMap(mdFuncs())).ParseFS(templateFS, "templates/report.md.tmpl"))
)

// Render writes rep in format: "html" (one self-contained printable page:
// inline CSS and SVG, no script, nothing fetched) or "md" (Markdown, no
// HTML). The report is rendered in memory and written only when the whole
// of it rendered.
func Render(w io.Writer, rep *Report, format string) error {
	const op = "ceasefire.Render"
	if rep == nil {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Message: "no report to render"}
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "html":
		err = htmlTemplate.Execute(&buf, newView(rep))
	case "md":
		var md bytes.Buffer
		if err = mdTemplate.Execute(&md, newView(rep)); err == nil {
			buf.Write(report.BlankLines.ReplaceAll(md.Bytes(), []byte("\n\n")))
		}
	default:
		return &armstrace.Error{Code: armstrace.EINVALID, Op: op, Field: "format",
			Message: fmt.Sprintf("unknown format %q; want one of %s", format, strings.Join(RenderFormats, ", "))}
	}
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Err: err}
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Err: err}
	}
	return nil
}

// Titles of the report's sections, in order.
var SectionTitles = []string{
	"Headline figures",
	"Before and after the start",
	"Daily deaths",
	"Deaths by party",
	"Violations by covered parties",
	"Excluded parties' activity (not violations)",
	"Totals over several days, and notes",
	"Method",
}

// view is what the templates read.
type view struct {
	R         *Report
	Titles    []string
	AsOf      string
	AsOfISO   string
	Covered   string
	Excluded  string
	Events    bool // counted from events, with parties
	Line      *lineChart
	Bars      *barChart
	Totals    *totalsChart
	Rows      []dayRow
	NoViolate string // what the violations section says when it lists none
	// Breakdowns are the tables since the start by dyad, type and area,
	// each cut to its largest rows.
	Breakdowns []breakdownTable
}

// breakdownTable is one table of counts since the start.
type breakdownTable struct {
	By, Head string
	Rows     []Breakdown
}

// maxBreakdownRows bounds each breakdown table; the JSON form has all.
const maxBreakdownRows = 12

// dayRow is a line of the Markdown daily table.
type dayRow struct {
	Day
	Mark string
}

func newView(rep *Report) *view {
	v := &view{R: rep, Titles: SectionTitles}
	v.AsOf, v.AsOfISO = report.AsOf(rep.Generated)
	v.Covered, v.Excluded = names(rep.Ceasefire.Covered), names(rep.Ceasefire.Excluded)
	v.Events = rep.Counting == "events"
	v.Line = newLineChart(rep)
	if v.Events {
		v.Bars = newBarChart(rep)
		v.Totals = newTotalsChart(rep)
		for _, t := range []breakdownTable{{"who fought", "Actors", rep.SinceByDyad}, {"event type", "Type", rep.SinceByType}, {"area", "Area", rep.SinceByArea}} {
			if len(t.Rows) > maxBreakdownRows {
				t.Rows = t.Rows[:maxBreakdownRows]
			}
			v.Breakdowns = append(v.Breakdowns, t)
		}
	}
	breaks := map[string]bool{}
	for _, b := range rep.Breaks {
		breaks[b.Day] = true
	}
	for _, d := range rep.Daily {
		r := dayRow{Day: d}
		var marks []string
		if d.Offset == 0 {
			marks = append(marks, "ceasefire starts")
		}
		if breaks[d.Day] {
			marks = append(marks, "breaks the pattern")
		}
		r.Mark = strings.Join(marks, "; ")
		v.Rows = append(v.Rows, r)
	}
	switch {
	case !v.Events:
		v.NoViolate = "No violations are listed: the deaths were counted from a casualty series, which names no parties, so a covered party's deaths cannot be told from the rest. Count from the events of the evidence graph to list them."
	case len(rep.Ceasefire.Covered) == 0:
		v.NoViolate = "No violations are listed: the ceasefire names no covered parties."
	default:
		v.NoViolate = fmt.Sprintf("No violations recorded: the evidence graph holds no event of a covered party (%s) in the country from the start to %s.", v.Covered, orDash(rep.Cumulative.Through))
	}
	return v
}

func names(ps []Party) string {
	if len(ps) == 0 {
		return "none named"
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name
	}
	return strings.Join(s, ", ")
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// Geometry of the charts, in SVG units.
const (
	chartWidth  = 720
	chartHeight = 300
	plotLeft    = 56.0
	plotRight   = 704.0
	plotTop     = 30.0
	plotBottom  = 250.0
)

type tick struct {
	Pos   float64
	Label string
}

// lineChart is the daily series of all deaths, with the start and the
// breaks marked.
type lineChart struct {
	Width, Height            int
	Left, Right, Top, Bottom float64
	Points                   string // the polyline, one x,y per day
	N                        int
	HasStart                 bool
	StartX, StartLabelX      float64
	StartAnchor              string
	StartLabel               string
	Breaks                   []marker
	YTicks, XTicks           []tick
	Measure                  string
	Desc                     string
}

type marker struct {
	X, Y  float64
	Label string
}

// dayX is the x of day i of n, from the left edge of the plot to its
// right edge.
func dayX(i, n int) float64 {
	if n <= 1 {
		return round1((plotLeft + plotRight) / 2)
	}
	return round1(plotLeft + (plotRight-plotLeft)*float64(i)/float64(n-1))
}

// yScale returns the top of the axis for a maximum, and its ticks.
func yScale(maxV float64) (top float64, ticks []tick) {
	if maxV <= 0 || math.IsNaN(maxV) || math.IsInf(maxV, 0) {
		maxV = 1
	}
	step := niceStep(maxV / 4)
	top = math.Ceil(maxV/step) * step
	for v := 0.0; v <= top+step/2; v += step {
		ticks = append(ticks, tick{Pos: round1(plotBottom - v/top*(plotBottom-plotTop)), Label: num(v)})
	}
	return top, ticks
}

// niceStep rounds a step to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw/1.5 {
			return math.Max(m*p, 0.5)
		}
	}
	return 10 * p
}

func newLineChart(rep *Report) *lineChart {
	n := len(rep.Daily)
	if n == 0 {
		return nil
	}
	c := &lineChart{Width: chartWidth, Height: chartHeight, Left: plotLeft, Right: plotRight, Top: plotTop, Bottom: plotBottom, N: n, Measure: rep.Measure}
	maxV := 0.0
	for _, d := range rep.Daily {
		maxV = math.Max(maxV, d.All.Best)
	}
	top, yt := yScale(maxV)
	c.YTicks = yt
	y := func(v float64) float64 { return round1(plotBottom - v/top*(plotBottom-plotTop)) }
	idx := map[string]int{}
	pts := make([]string, n)
	every := int(math.Ceil(float64(n) / 8))
	for i, d := range rep.Daily {
		idx[d.Day] = i
		pts[i] = f1(dayX(i, n)) + "," + f1(y(d.All.Best))
		if d.Offset%every == 0 {
			c.XTicks = append(c.XTicks, tick{Pos: dayX(i, n), Label: shortDay(d.Day)})
		}
		if d.Offset == 0 {
			c.HasStart, c.StartX = true, dayX(i, n)
		}
	}
	c.Points = strings.Join(pts, " ")
	if c.HasStart {
		c.StartLabel = "ceasefire starts " + shortDay(rep.Ceasefire.Start)
		if rep.Ceasefire.StartTime != "" {
			c.StartLabel += " " + rep.Ceasefire.StartTime
		}
		// The label reads rightwards from the line, or leftwards when the
		// line is near the right edge.
		c.StartLabelX, c.StartAnchor = c.StartX+4, "start"
		if c.StartX > plotRight-180 {
			c.StartLabelX, c.StartAnchor = c.StartX-4, "end"
		}
	}
	for _, b := range rep.Breaks {
		i, ok := idx[b.Day]
		if !ok {
			continue
		}
		c.Breaks = append(c.Breaks, marker{X: dayX(i, n), Y: y(rep.Daily[i].All.Best),
			Label: fmt.Sprintf("%s: %s, above the threshold of %s (mean since the start %s)", b.Day, num(b.Value), num(b.Threshold), num(b.Baseline))})
	}
	c.Desc = fmt.Sprintf("Line chart of %s a day (best estimates), %s to %s, %d days; the ceasefire starts %s; %d day(s) broke the pattern.",
		rep.Measure, rep.Daily[0].Day, rep.Daily[n-1].Day, n, rep.Ceasefire.Start, len(c.Breaks))
	return c
}

// shortDay writes 2016-02-27 as 27 Feb 2016, or the text as it is.
func shortDay(s string) string {
	t, err := time.Parse(dayLayout, s)
	if err != nil {
		return s
	}
	return t.Format("2 Jan 2006")
}

// barChart stacks the deaths of the covered parties' events, the
// excluded parties' and the rest, per day or per week.
type barChart struct {
	Width, Height            int
	Left, Right, Top, Bottom float64
	Per                      string // "day" or "week"
	Bars                     []stackBar
	HasStart                 bool
	StartX                   float64
	YTicks, XTicks           []tick
	Desc                     string
}

type stackBar struct {
	Label string // the day, or the week's first day
	Parts []barPart
}

type barPart struct {
	Group      string
	X, Y, W, H float64
	Value      string
}

// weekly is the number of days above which the bars are per week.
const weekly = 62

func newBarChart(rep *Report) *barChart {
	if len(rep.Daily) == 0 {
		return nil
	}
	c := &barChart{Width: chartWidth, Height: chartHeight, Left: plotLeft, Right: plotRight, Top: plotTop, Bottom: plotBottom, Per: "day"}
	type bucket struct {
		label                     string
		covered, excluded, other  float64
		first                     int
		hasStart                  bool
		firstOffset, bucketOffset int
	}
	var bs []*bucket
	key := func(off int) int { return off }
	if len(rep.Daily) > weekly {
		c.Per = "week"
		// Weeks aligned on the start, so that it opens a week.
		key = func(off int) int { return int(math.Floor(float64(off) / 7)) }
	}
	byKey := map[int]*bucket{}
	for _, d := range rep.Daily {
		k := key(d.Offset)
		b := byKey[k]
		if b == nil {
			b = &bucket{label: d.Day}
			byKey[k] = b
			bs = append(bs, b)
		}
		b.covered += d.Covered.Best
		b.excluded += d.Excluded.Best
		b.other += d.Other.Best
		if d.Offset == 0 {
			b.hasStart = true
		}
	}
	maxV := 0.0
	for _, b := range bs {
		maxV = math.Max(maxV, b.covered+b.excluded+b.other)
	}
	top, yt := yScale(maxV)
	c.YTicks = yt
	slot := (plotRight - plotLeft) / float64(len(bs))
	barW := math.Max(slot*0.75, 1)
	every := int(math.Ceil(float64(len(bs)) / 8))
	h := func(v float64) float64 { return v / top * (plotBottom - plotTop) }
	for i, b := range bs {
		left := plotLeft + slot*float64(i)
		x := left + (slot-barW)/2
		if b.hasStart {
			c.HasStart, c.StartX = true, round1(left)
		}
		if i%every == 0 {
			c.XTicks = append(c.XTicks, tick{Pos: round1(left + slot/2), Label: shortDay(b.label)})
		}
		sb := stackBar{Label: b.label}
		base := plotBottom
		for _, p := range []struct {
			g string
			v float64
		}{{GroupCovered, b.covered}, {GroupExcluded, b.excluded}, {GroupOther, b.other}} {
			if p.v <= 0 {
				continue
			}
			ph := h(p.v)
			sb.Parts = append(sb.Parts, barPart{Group: p.g, X: round1(x), Y: round1(base - ph), W: round1(barW), H: round1(ph), Value: num(p.v)})
			base -= ph
		}
		c.Bars = append(c.Bars, sb)
	}
	c.Desc = fmt.Sprintf("Stacked bar chart of %s a %s (best estimates) in events of the covered parties, of the excluded parties and of others, %s to %s.",
		rep.Measure, c.Per, rep.Daily[0].Day, rep.Daily[len(rep.Daily)-1].Day)
	return c
}

// totalsChart sets the covered, excluded and other totals since the
// start side by side.
type totalsChart struct {
	Width, Height int
	Bars          []totalBar
	Bottom        float64
}

type totalBar struct {
	Group, Label   string
	X, Y, W, H     float64
	LabelX, ValueY float64
	Deaths, Events string
}

func newTotalsChart(rep *Report) *totalsChart {
	c := &totalsChart{Width: 360, Height: 200, Bottom: 160}
	groups := []struct {
		g, label string
		c        Counts
	}{
		{GroupCovered, "Covered parties", rep.CoveredSince},
		{GroupExcluded, "Excluded parties", rep.ExcludedSince},
		{GroupOther, "Others", rep.OtherSince},
	}
	maxV := 0.0
	for _, g := range groups {
		maxV = math.Max(maxV, g.c.Best)
	}
	if maxV <= 0 {
		maxV = 1
	}
	for i, g := range groups {
		x := 30 + float64(i)*110
		hh := g.c.Best / maxV * 120
		c.Bars = append(c.Bars, totalBar{Group: g.g, Label: g.label, X: x, W: 80, Y: round1(c.Bottom - hh), H: round1(hh),
			LabelX: x + 40, ValueY: round1(c.Bottom - hh - 6), Deaths: num(g.c.Best), Events: num(g.c.Events)})
	}
	return c
}

func f1(f float64) string { return strconv.FormatFloat(round1(f), 'f', -1, 64) }

// num writes a count with at most one decimal, without trailing zeros.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// ratio writes a rate ratio or an interval bound.
func ratio(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

var renderFuncs = map[string]any{
	"num":   num,
	"ratio": ratio,
	"f1":    f1,
	"join":  strings.Join,
	"short": shortDay,
	"dash":  orDash,
	"pct":   func(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" },
	"title": func(v *view, n int) string { return v.Titles[n-1] },
	"add":   func(a, b float64) float64 { return round1(a + b) },
	"float": func(n int) float64 { return float64(n) },
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"sub": func(a, b float64) float64 { return round1(a - b) },
	"range3": func(c Counts) string {
		if c.Low == c.Best && c.High == c.Best {
			return num(c.Best)
		}
		return num(c.Best) + " (" + num(c.Low) + "–" + num(c.High) + ")"
	},
	"mode": func(m AggregateMode) string {
		if m == AggregatesSpread {
			return "spread evenly over their days"
		}
		return "left out"
	},
	"otherMode": func(m AggregateMode) string {
		if m == AggregatesSpread {
			return "left out"
		}
		return "spread evenly over their days"
	},
	"group": func(g string) string {
		return map[string]string{GroupCovered: "covered parties", GroupExcluded: "excluded parties", GroupOther: "others"}[g]
	},
}

func mdFuncs() map[string]any {
	m := map[string]any{}
	for k, v := range renderFuncs {
		m[k] = v
	}
	m["md"] = report.MarkdownEscape
	m["cell"] = report.MarkdownCell
	m["inc"] = func(i int) int { return i + 1 }
	return m
}
