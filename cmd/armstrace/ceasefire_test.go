package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace/internal/ceasefire"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

func ceasefireReport(t *testing.T, db string, args ...string) *ceasefire.Report {
	t.Helper()
	out := mustRun(t, append([]string{"--db", db, "--json", "ceasefire", "report"}, args...)...)
	var rep ceasefire.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("ceasefire report --json: %v\n%s", err, out[:min(400, len(out))])
	}
	return &rep
}

func window(t *testing.T, rep *ceasefire.Report, days int) ceasefire.Window {
	t.Helper()
	for _, w := range rep.Windows {
		if w.Days == days {
			return w
		}
	}
	t.Fatalf("no %d-day window in %+v", days, rep.Windows)
	return ceasefire.Window{}
}

// TestCeasefire2012FromVDC checks the report on the 12 April 2012
// ceasefire, counted from the VDC daily series, against the press
// release's own figures: over 9,000 killed before it, and attacks that
// ebbed on the day.
func TestCeasefire2012FromVDC(t *testing.T) {
	total := ingesttest.Shared(t, "vdc_syria_casualties/vdc_daily_deaths_total_2011-2016.csv")
	db := filepath.Join(t.TempDir(), "vdc.db")
	if r := run(t, filepath.Dir(db), "--db", db, "demo", "--no-serve"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	importRuns(t, db, "casualty-series", total)
	rep := ceasefireReport(t, db, "cf:syria-2012-04-12", "--series", "vdc:daily-total", "--window", "7,14")
	// "Over 9,000 Syrians have reportedly been killed": VDC's count of the
	// days before 12 April is over 9,000 too.
	if up := rep.Cumulative.UpToStart.Best; up <= 9000 || up > 9500 {
		t.Errorf("deaths up to the start: %.0f, want just over 9,000", up)
	}
	// "Offensive attacks by the Syrian forces have ebbed": the day itself
	// and both windows fall well below the days before.
	var day0 ceasefire.Day
	var before []float64
	for _, d := range rep.Daily {
		switch {
		case d.Offset == 0:
			day0 = d
		case d.Offset >= -7 && d.Offset < 0:
			before = append(before, d.All.Best)
		}
	}
	for _, b := range before {
		if day0.All.Best >= b {
			t.Errorf("the start day (%.0f deaths) is not below every one of the 7 days before (%v)", day0.All.Best, before)
		}
	}
	for _, days := range []int{7, 14} {
		w := window(t, rep, days)
		if !w.Complete || w.AfterMean >= w.BeforeMean || w.CIHigh >= 1 {
			t.Errorf("%d-day window: before %.1f, after %.1f, ratio %.3f (%.3f–%.3f): want a significant fall", days, w.BeforeMean, w.AfterMean, w.RateRatio, w.CILow, w.CIHigh)
		}
	}
	// The release expected "the biggest test" on 13 April; the first day to
	// break the pattern of the ceasefire's first days came after it.
	if rep.FirstBreak == nil || rep.FirstBreak.Day <= "2012-04-13" {
		t.Errorf("first break: %+v", rep.FirstBreak)
	}
	t.Logf("up to start %.0f; 7 days %.1f → %.1f (ratio %.3f, %.3f–%.3f); first break %+v",
		rep.Cumulative.UpToStart.Best, window(t, rep, 7).BeforeMean, window(t, rep, 7).AfterMean, window(t, rep, 7).RateRatio, window(t, rep, 7).CILow, window(t, rep, 7).CIHigh, rep.FirstBreak)
}

// TestCeasefire2016FromGED checks the report on the February 2016
// cessation of hostilities, counted from UCDP GED: the fighting it covered
// and the fighting it excluded (IS, Jabhat Fateh al-Sham) are apart, and
// aggregates are handled by an explicit option.
func TestCeasefire2016FromGED(t *testing.T) {
	ged := ingesttest.Shared(t, "ucdp_ged_syria/ged_syria_652.1601.1911_2016-01-01_2019-11-30.csv")
	actors := ingesttest.Shared(t, "ucdp_actors/ucdp-actor-221.csv")
	db := filepath.Join(t.TempDir(), "ged.db")
	importRuns(t, db, "ucdp-actors", actors)
	importRuns(t, db, "ucdp-ged", ged)
	importRuns(t, db, "jsonl", filepath.Join("..", "..", "internal", "demo", "ceasefire-2016.jsonl"))
	rep := ceasefireReport(t, db, "cf:syria-2016-02-27", "--window", "7,14")
	if len(rep.Ceasefire.Covered) != 3 || len(rep.Ceasefire.Excluded) != 2 {
		t.Fatalf("parties: %+v", rep.Ceasefire)
	}
	if rep.CoveredSince.Events == 0 || rep.ExcludedSince.Events == 0 {
		t.Fatalf("covered %+v and excluded %+v since the start", rep.CoveredSince, rep.ExcludedSince)
	}
	// The covered parties' fighting fell after the start; the excluded
	// parties' went on, and is never counted as a violation.
	for _, days := range []int{7, 14} {
		w := window(t, rep, days)
		if w.CoveredBefore == nil || *w.CoveredAfter >= *w.CoveredBefore {
			t.Errorf("%d days: covered parties %v → %v, want a fall", days, w.CoveredBefore, w.CoveredAfter)
		}
	}
	var excludedDays float64
	for _, d := range rep.Daily {
		if d.Offset >= 0 && d.Offset < 14 {
			excludedDays += d.Excluded.Best
		}
	}
	if excludedDays == 0 || len(rep.ExcludedTop) == 0 {
		t.Errorf("no excluded activity shown after the start: %.0f deaths, %d events listed", excludedDays, len(rep.ExcludedTop))
	}
	for _, v := range rep.Violations {
		for _, a := range v.Actors {
			if a == "IS" || a == "Jabhat Fateh al-Sham" {
				t.Errorf("an excluded party's event is listed as a violation: %+v", v)
			}
		}
		if v.Date < "2016-02-27" || len(v.Sources) == 0 {
			t.Errorf("violation %+v: before the start or without sources", v)
		}
	}
	if len(rep.Violations) == 0 {
		t.Error("no violations listed")
	}
	// Who fought, since the start: the government's dyad with IS counts as
	// excluded activity, with the insurgents as covered.
	dyads := map[string]ceasefire.Breakdown{}
	for _, b := range rep.SinceByDyad {
		dyads[b.Key] = b
	}
	if b := dyads["Syria – IS"]; b.Excluded.Best == 0 || b.Covered.Best != 0 {
		t.Errorf("Syria – IS since the start: %+v", b)
	}
	if b := dyads["Syria – Syrian insurgents"]; b.Covered.Best == 0 || b.Excluded.Best != 0 {
		t.Errorf("Syria – Syrian insurgents since the start: %+v", b)
	}
	html := mustRun(t, "--db", db, "ceasefire", "report", "cf:syria-2016-02-27", "--format", "html")
	if !strings.Contains(html, "by who fought") || !strings.Contains(html, "Syria – Syrian insurgents") {
		t.Error("the HTML report lacks the table of who fought")
	}
	// Aggregates: an explicit mode, and both totals.
	if rep.Aggregates == nil || rep.Aggregates.Mode != ceasefire.AggregatesExclude || rep.Aggregates.Events == 0 {
		t.Fatalf("aggregates: %+v", rep.Aggregates)
	}
	spread := ceasefireReport(t, db, "cf:syria-2016-02-27", "--window", "7,14", "--aggregates", "spread")
	if spread.Aggregates.Mode != ceasefire.AggregatesSpread || spread.Aggregates.Total != rep.Aggregates.TotalIf || spread.Aggregates.TotalIf != rep.Aggregates.Total {
		t.Errorf("the two modes do not mirror each other: exclude %+v, spread %+v", rep.Aggregates, spread.Aggregates)
	}
	if spread.Cumulative.UpToStart.Best+spread.Cumulative.SinceStart.Best <= rep.Cumulative.UpToStart.Best+rep.Cumulative.SinceStart.Best {
		t.Errorf("spreading aggregates added nothing to the totals")
	}
	text := mustRun(t, "--db", db, "ceasefire", "report", "Cessation of hostilities in Syria, 27 February 2016")
	for _, want := range []string{"covered parties", "excluded parties' largest events", "first day that broke the pattern"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	t.Logf("covered since %+v, excluded since %+v, aggregates %+v", rep.CoveredSince, rep.ExcludedSince, rep.Aggregates)
}
