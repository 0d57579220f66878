package ceasefire

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
)

// fixture is a report on the cessation of hostilities of 27 February
// 2016 as Build would give it from events: 28 days around the start,
// covered, excluded and other deaths, two windows, two breaks,
// violations with sources (one withheld, one with markup in its title),
// the excluded parties' activity and a note on aggregates.
func fixture() *Report {
	rep := &Report{Generated: time.Date(2016, 4, 2, 9, 30, 0, 0, time.UTC), Counting: "events",
		Source: "events in SY recorded in the evidence graph", Measure: "deaths", Unit: "people", DataFrom: "2016-01-01", DataTo: "2016-03-31"}
	c := &rep.Ceasefire
	c.ID, c.Name, c.Start, c.StartTime, c.Country, c.Area = "cf:syria-2016-02-27", "Cessation of hostilities, 27 February 2016", "2016-02-27", "00:00", "SY", "Syria, except areas held by excluded groups"
	c.Terms = "Parties cease attacks with any weapons; ISIL and Jabhat al-Nusra are excluded."
	c.Covered = []Party{{ID: "ent:syria", Name: "Government of Syria"}, {ID: "ucdp-actor:fsa", Name: "Free Syrian Army"}}
	c.Excluded = []Party{{ID: "ucdp-actor:234", Name: "IS"}}
	start, _ := time.Parse(dayLayout, "2016-02-27")
	for i := -14; i < 14; i++ {
		d := Day{Day: start.AddDate(0, 0, i).Format(dayLayout), Offset: i}
		if i < 0 {
			d.Covered = Counts{Events: 6, Best: 40 + float64(i%3), Low: 35, High: 50}
		} else {
			d.Covered = Counts{Events: 1, Best: 4, Low: 3, High: 5}
		}
		d.Excluded = Counts{Events: 2, Best: 12, Low: 10, High: 15}
		d.Other = Counts{Events: 1, Best: 3, Low: 3, High: 3}
		if i == 5 || i == 9 {
			d.Covered = Counts{Events: 4, Best: 30, Low: 25, High: 34}
		}
		d.All = Counts{Events: d.Covered.Events + d.Excluded.Events + d.Other.Events, Best: d.Covered.Best + d.Excluded.Best + d.Other.Best,
			Low: d.Covered.Low + d.Excluded.Low + d.Other.Low, High: d.Covered.High + d.Excluded.High + d.Other.High}
		rep.Daily = append(rep.Daily, d)
	}
	cb, ca := 40.1, 7.6
	rep.Windows = []Window{
		{Days: 7, BeforeMean: 55.0, AfterMean: 19.0, RateRatio: 0.345, CILow: 0.281, CIHigh: 0.424, Dispersion: 1.2, Complete: true, CoveredBefore: &cb, CoveredAfter: &ca},
		{Days: 14, BeforeMean: 54.9, AfterMean: 22.7, RateRatio: 0.413, CILow: 0.36, CIHigh: 0.474, Dispersion: 3.1, Complete: true, CoveredBefore: &cb, CoveredAfter: &ca},
	}
	rep.Cumulative.UpToStart = Counts{Events: 5400, Best: 38250, Low: 35000, High: 41000}
	rep.Cumulative.SinceStart = Counts{Events: 62, Best: 302, Low: 270, High: 340}
	rep.Cumulative.Through = "2016-03-31"
	rep.CoveredSince = Counts{Events: 20, Best: 108, Low: 90, High: 120}
	rep.ExcludedSince = Counts{Events: 28, Best: 168, Low: 140, High: 210}
	rep.OtherSince = Counts{Events: 14, Best: 42, Low: 40, High: 44}
	rep.Breaks = []Break{
		{Day: "2016-03-03", Offset: 5, Value: 30, Baseline: 4, Threshold: 8},
		{Day: "2016-03-07", Offset: 9, Value: 30, Baseline: 7.4, Threshold: 20.1},
	}
	fb := rep.Breaks[0]
	rep.FirstBreak = &fb
	rep.Violations = []Violation{
		{Event: "ucdp-ged:151234", Title: "Air strike on a market", Date: "2016-03-03", Place: "Maarat al-Numan, Idlib, SY", Actors: []string{"Government of Syria"}, Fatalities: "22 (18–30)",
			Sources: []Cite{{Source: "src:ucdp-ged-23.1", Title: "UCDP Georeferenced Event Dataset 23.1", Locator: "row 151234"}, {Source: "withheld", Title: "a confidential source (withheld)", Withheld: true}}},
		{Event: "evt:x", Title: `Shelling <script>alert("x")</script> of Daraya`, Date: "2016-03-07", Place: "Daraya, Rif Dimashq, SY", Actors: []string{"Government of Syria", "Free Syrian Army"}, Fatalities: "8",
			Sources: []Cite{{Source: "src:monitor", Title: "Monitor's daily report", Locator: "p. 2"}}},
		{Event: "evt:y", Title: "Clashes along the front", Date: "2016-03-01 to 2016-03-05", Aggregate: true, Actors: []string{"Free Syrian Army"}, Sources: []Cite{}},
	}
	rep.MoreViolation = 3
	rep.ExcludedTop = []Violation{
		{Event: "ucdp-ged:151999", Title: "Suicide bombing in Sayyida Zaynab", Date: "2016-02-21", Place: "Sayyida Zaynab, Rif Dimashq, SY", Actors: []string{"IS"}, Fatalities: "83",
			Sources: []Cite{{Source: "src:ucdp-ged-23.1", Title: "UCDP Georeferenced Event Dataset 23.1", Locator: "row 151999"}}},
	}
	rep.Aggregates = &AggregateNote{Mode: AggregatesExclude, Events: 2, Deaths: 45, Total: 38552, TotalIf: 38597, ShareMove: 0.0012}
	rep.Notes = []string{"2 event(s) are totals a source gave over several days; they are left out (exclude)."}
	rep.Method = method(Options{Windows: []int{7, 14}}, true)
	return rep
}

func render(t *testing.T, rep *Report, format string) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, rep, format); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// figure returns the text of the figure with the id.
func figure(t *testing.T, html, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<figure id="` + id + `">.*?</figure>`).FindString(html)
	if m == "" {
		t.Fatalf("no figure %s", id)
	}
	return m
}

func TestRenderHTMLSections(t *testing.T) {
	html := render(t, fixture(), "html")
	var ids []string
	for _, m := range regexp.MustCompile(`<section id="([^"]+)"`).FindAllStringSubmatch(html, -1) {
		ids = append(ids, m[1])
	}
	if got := strings.Join(ids, " "); got != "headline windows daily parties violations excluded aggregates method" {
		t.Errorf("sections: %s", got)
	}
	tags := regexp.MustCompile(`<[^>]*>`)
	var heads []string
	for _, m := range regexp.MustCompile(`(?s)<h2>(.*?)</h2>`).FindAllStringSubmatch(html, -1) {
		heads = append(heads, tags.ReplaceAllString(m[1], ""))
	}
	for i, title := range SectionTitles {
		if i >= len(heads) || heads[i] != fmt.Sprintf("%d.%s", i+1, strings.ReplaceAll(title, "'", "&#39;")) {
			t.Errorf("heading %d: %q, want %q", i+1, heads, title)
			break
		}
	}
	for _, want := range []string{
		// header
		"<h1>Cessation of hostilities, 27 February 2016</h1>", "2016-02-27 at 00:00", "Government of Syria, Free Syrian Army", "events in SY recorded in the evidence graph", "2 April 2016, 09:30 UTC",
		// headline figures and windows
		`<span class="big">38250</span>`, `<span class="big">302</span>`, "<td>7 days</td>", "<td>14 days</td>", "0.345", "0.281 – 0.424", "40.1 → 7.6",
		// violations, with sources and locators, the withheld source as such, and the rest counted
		"Air strike on a market", "UCDP Georeferenced Event Dataset 23.1, row 151234", `<span class="withheld">a confidential source (withheld)</span>`, "Monitor&#39;s daily report, p. 2",
		"total over several days", "3 more not listed here",
		// the excluded parties apart
		"Suicide bombing in Sayyida Zaynab", "they are not violations of the ceasefire",
		// aggregates, notes and method
		"They are <strong>left out</strong>", "a move of 0.1%", "are totals a source gave over several days; they are left out (exclude).", "quasi-Poisson",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	// The excluded parties' events are not among the violations.
	viol := regexp.MustCompile(`(?s)<section id="violations">.*?</section>`).FindString(html)
	if strings.Contains(viol, "Sayyida Zaynab") {
		t.Error("an excluded party's event is listed as a violation")
	}
	// Self-contained: no script, nothing fetched.
	for _, bad := range []string{"<script", "<link", "src=", "href=\"http", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("the page is not self-contained: it holds %q", bad)
		}
	}
}

var pointsRE = regexp.MustCompile(`<polyline class="series" points="([^"]*)"`)

func points(t *testing.T, svg string) [][2]float64 {
	t.Helper()
	m := pointsRE.FindStringSubmatch(svg)
	if m == nil {
		t.Fatal("no polyline")
	}
	var out [][2]float64
	for _, p := range strings.Fields(m[1]) {
		x, y, ok := strings.Cut(p, ",")
		fx, err1 := strconv.ParseFloat(x, 64)
		fy, err2 := strconv.ParseFloat(y, 64)
		if !ok || err1 != nil || err2 != nil {
			t.Fatalf("point %q", p)
		}
		out = append(out, [2]float64{fx, fy})
	}
	return out
}

func TestRenderDailyChart(t *testing.T) {
	rep := fixture()
	svg := figure(t, render(t, rep, "html"), "daily-chart")
	pts := points(t, svg)
	if len(pts) != len(rep.Daily) {
		t.Fatalf("%d points in the line, want one per day: %d", len(pts), len(rep.Daily))
	}
	// Days run left to right, evenly, from the left edge of the plot to the right.
	if pts[0][0] != plotLeft || pts[len(pts)-1][0] != plotRight {
		t.Errorf("the line runs from x %v to %v, want %v to %v", pts[0][0], pts[len(pts)-1][0], plotLeft, plotRight)
	}
	// The deadliest day is highest (smallest y), the quietest lowest.
	hi, lo := 0, 0
	for i, d := range rep.Daily {
		if d.All.Best > rep.Daily[hi].All.Best {
			hi = i
		}
		if d.All.Best < rep.Daily[lo].All.Best {
			lo = i
		}
	}
	for i := range pts {
		if pts[i][1] < pts[hi][1] || pts[i][1] > pts[lo][1] {
			t.Errorf("point %d at y %v is outside the deadliest (%v) and quietest (%v) days", i, pts[i][1], pts[hi][1], pts[lo][1])
		}
	}
	// The start (offset 0, the 15th of 28 days) is a vertical line at its
	// day: 56 + 648 × 14/27 = 392.
	m := regexp.MustCompile(`<line class="start" x1="([^"]+)" x2="([^"]+)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatal("no start line")
	}
	if m[1] != "392" || m[2] != "392" {
		t.Errorf("the start line is at x %s–%s, want 392", m[1], m[2])
	}
	if pts[14][0] != 392 || rep.Daily[14].Offset != 0 {
		t.Errorf("the start day's point is at x %v", pts[14][0])
	}
	if !strings.Contains(svg, ">ceasefire starts 27 Feb 2016 00:00</text>") {
		t.Error("the start line is not labelled")
	}
	// One marker per break, on its day's point.
	breaks := regexp.MustCompile(`<circle class="break" cx="([^"]+)" cy="([^"]+)"`).FindAllStringSubmatch(svg, -1)
	if len(breaks) != len(rep.Breaks) {
		t.Fatalf("%d break markers, want %d", len(breaks), len(rep.Breaks))
	}
	for i, b := range rep.Breaks {
		j := b.Offset + 14
		if breaks[i][1] != f1(pts[j][0]) || breaks[i][2] != f1(pts[j][1]) {
			t.Errorf("break %s marked at %s,%s, want its point %v", b.Day, breaks[i][1], breaks[i][2], pts[j])
		}
	}
	// Axis ticks and labels.
	if n := strings.Count(svg, `class="xtick"`); n < 4 {
		t.Errorf("%d x-axis labels", n)
	}
	if n := strings.Count(svg, `class="ytick"`); n < 3 {
		t.Errorf("%d y-axis labels", n)
	}
	if !regexp.MustCompile(`<text class="xtick" x="392"[^>]*>27 Feb 2016</text>`).MatchString(svg) || !strings.Contains(svg, ">0</text>") {
		t.Error("the axes do not label the start day and zero")
	}
}

func TestRenderPartyChart(t *testing.T) {
	rep := fixture()
	html := render(t, rep, "html")
	svg := figure(t, html, "party-chart")
	for _, g := range []string{"covered", "excluded", "other"} {
		if n := strings.Count(svg, `<rect class="bar `+g+`"`); n != len(rep.Daily) {
			t.Errorf("%d %s bars, want one a day: %d", n, g, len(rep.Daily))
		}
	}
	if !strings.Contains(svg, `<line class="start"`) {
		t.Error("the bars do not mark the start")
	}
	totals := figure(t, html, "totals-chart")
	for _, want := range []string{`<rect class="total covered"`, `<rect class="total excluded"`, `<rect class="total other"`, ">108</text>", ">168</text>", ">42</text>"} {
		if !strings.Contains(totals, want) {
			t.Errorf("the totals since the start lack %q", want)
		}
	}
	// Many days: a bar a week, the start opening one.
	long := fixture()
	start, _ := time.Parse(dayLayout, "2016-02-27")
	long.Daily = nil
	for i := -56; i < 56; i++ {
		long.Daily = append(long.Daily, Day{Day: start.AddDate(0, 0, i).Format(dayLayout), Offset: i, All: Counts{Best: 5}, Covered: Counts{Best: 5}})
	}
	long.Breaks = nil
	svg = figure(t, render(t, long, "html"), "party-chart")
	if n := strings.Count(svg, `<rect class="bar covered"`); n != 16 {
		t.Errorf("%d weekly bars for 112 days, want 16", n)
	}
	if !strings.Contains(svg, "a week") {
		t.Error("weekly bars are not said to be weekly")
	}
}

func TestRenderSeriesHasNoPartyChart(t *testing.T) {
	rep := fixture()
	rep.Counting, rep.Source = "series", "series vdc:daily-total: VDC daily deaths"
	rep.Violations, rep.ExcludedTop, rep.MoreViolation = []Violation{}, []Violation{}, 0
	html := render(t, rep, "html")
	if strings.Contains(html, `id="party-chart"`) || !strings.Contains(html, `id="daily-chart"`) {
		t.Error("a series report draws the party chart, or not the daily one")
	}
	if !strings.Contains(html, "counted from a casualty series, which names no parties") {
		t.Error("a series report does not say why it lists no violations")
	}
}

func TestRenderEscapes(t *testing.T) {
	html := render(t, fixture(), "html")
	if strings.Contains(html, "<script") {
		t.Fatal("a title's markup reached the HTML")
	}
	if !strings.Contains(html, "Shelling &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; of Daraya") {
		t.Error("the title with markup is not shown escaped")
	}
	md := render(t, fixture(), "md")
	if regexp.MustCompile(`(^|[^\\])<script`).MatchString(md) || !strings.Contains(md, `Shelling \<script\>alert("x")\</script\> of Daraya`) {
		t.Error("the Markdown does not escape the title")
	}
}

func TestRenderNoViolations(t *testing.T) {
	rep := fixture()
	rep.Violations, rep.MoreViolation = nil, 0
	html := render(t, rep, "html")
	want := "No violations recorded: the evidence graph holds no event of a covered party (Government of Syria, Free Syrian Army) in the country from the start to 2016-03-31."
	if !strings.Contains(html, `<p class="none">`+want+"</p>") {
		t.Errorf("an empty list of violations is not said:\n%s", regexp.MustCompile(`(?s)<section id="violations">.*?</section>`).FindString(html))
	}
	if strings.Contains(html, `<table class="violations">`) {
		t.Error("an empty violations table is drawn")
	}
	if md := render(t, rep, "md"); !strings.Contains(md, "*"+want+"*") {
		t.Error("the Markdown does not say there are no violations")
	}
}

func TestRenderMarkdown(t *testing.T) {
	rep := fixture()
	md := render(t, rep, "md")
	for i, title := range SectionTitles {
		if !strings.Contains(md, fmt.Sprintf("\n## %d. %s\n", i+1, title)) {
			t.Errorf("the Markdown lacks section %d, %s", i+1, title)
		}
	}
	if regexp.MustCompile(`(^|[^\\])<[a-zA-Z/]`).MatchString(md) {
		t.Error("the Markdown holds HTML")
	}
	for _, want := range []string{
		"# Ceasefire report: Cessation of hostilities, 27 February 2016",
		"| 7 days | 55 | 19 | 0.345 | 0.281 – 0.424 | 1.2 | yes | 40.1 → 7.6 |",
		"| 2016-02-27 | 0 | 19 | 4 | 12 | 3 | ceasefire starts |",
		"| 2016-03-03 | 5 | 45 | 30 | 12 | 3 | breaks the pattern |",
		"UCDP Georeferenced Event Dataset 23.1, row 151234 (src:ucdp-ged-23.1); *a confidential source (withheld)*",
		"3 more not listed here",
		"**they are not violations of the ceasefire**",
		"| deaths | 108 | 168 | 42 |",
		`1. Windows of \[7 14\] days`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}
	// One row a day in the daily table.
	if n := len(regexp.MustCompile(`(?m)^\| 2016-\d\d-\d\d \| -?\d+ \|`).FindAllString(md, -1)); n != len(rep.Daily)+len(rep.Breaks) {
		t.Errorf("%d day rows, want %d days and %d breaks", n, len(rep.Daily), len(rep.Breaks))
	}
	if strings.Contains(md, "\n\n\n") {
		t.Error("the Markdown has runs of blank lines")
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func TestRenderUnknownFormat(t *testing.T) {
	var w failWriter
	err := Render(&w, fixture(), "pdf")
	var e *armstrace.Error
	if !errors.As(err, &e) || e.Code != armstrace.EINVALID || e.Field != "format" {
		t.Fatalf("err %v", err)
	}
	if w.n != 0 {
		t.Errorf("%d bytes written on an error", w.n)
	}
	if err := Render(&w, nil, "html"); armstrace.ErrorCode(err) != armstrace.EINTERNAL || w.n != 0 {
		t.Errorf("a nil report: %v, %d bytes", err, w.n)
	}
}

func TestRenderEmptyReport(t *testing.T) {
	// The least a report may hold renders, saying what it lacks.
	rep := &Report{Counting: "events", Measure: "deaths", Unit: "people"}
	rep.Ceasefire.ID, rep.Ceasefire.Name, rep.Ceasefire.Start = "cf:x", "X", "2016-02-27"
	html := render(t, rep, "html")
	for _, want := range []string{"No daily data around the start.", "No windows.", "not stated", "No violations are listed: the ceasefire names no covered parties."} {
		if !strings.Contains(html, want) {
			t.Errorf("the empty report lacks %q", want)
		}
	}
	render(t, rep, "md")
}
