package ceasefire

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
)

// days builds 35 days ending on 2016-03-31: the four baseline weeks with
// base deaths a day (all, of which covered are cov) and the current week
// with the deaths listed.
func watchDays(base, cov float64, week [7]float64, weekCov [7]float64) []Day {
	end, _ := time.Parse(dayLayout, "2016-03-31")
	var out []Day
	for i := 34; i >= 0; i-- {
		t := end.AddDate(0, 0, -i)
		d := Day{Day: t.Format(dayLayout), Offset: 35 - i}
		if i < 7 {
			d.All.Best, d.Covered.Best = week[6-i], weekCov[6-i]
		} else {
			d.All.Best, d.Covered.Best = base, cov
		}
		out = append(out, d)
	}
	return out
}

var watchOpts = WatchOptions{Ceasefire: "cf:syria-2016-02-27", Name: "Cessation of hostilities", Counted: "events in SY",
	Groups: []string{armstrace.AlertGroupAll, armstrace.AlertGroupCovered}, Now: time.Date(2016, 4, 1, 6, 0, 0, 0, time.UTC)}

func change(t *testing.T, cs []Change, group string) Change {
	t.Helper()
	for _, c := range cs {
		if c.Group == group {
			return c
		}
	}
	t.Fatalf("no %s group in %+v", group, cs)
	return Change{}
}

func TestCheckSurge(t *testing.T) {
	// Baseline 4 a day (28 a week); the week has 60, covered 35 against 7.
	daily := watchDays(4, 1, [7]float64{5, 6, 8, 10, 9, 12, 10}, [7]float64{3, 4, 5, 6, 5, 7, 5})
	cs, err := Check(daily, "2016-03-31", watchOpts)
	if err != nil {
		t.Fatal(err)
	}
	all := change(t, cs, "all")
	if all.Week != 60 || all.Baseline != 28 || all.WeekFrom != "2016-03-25" || all.Ratio == nil || *all.Ratio != 2.143 || all.Increase != 32 || all.LowBaseline {
		t.Fatalf("all: %+v", all)
	}
	if all.Rule != RuleSurge || all.Alert == nil {
		t.Fatalf("a week at 2.1 times its baseline raised no surge alert: %+v", all)
	}
	a := all.Alert
	if a.ID != armstrace.AlertID("cf:syria-2016-02-27", "2016-03-31", "all") || a.Ceasefire != "cf:syria-2016-02-27" || a.CeasefireName != "Cessation of hostilities" ||
		a.Day != "2016-03-31" || a.Week != 60 || a.Baseline != 28 || a.Rule != RuleSurge || a.At != "2016-04-01T06:00:00Z" || a.Counted != "events in SY" {
		t.Errorf("alert: %+v", a)
	}
	if err := a.Validate(); err != nil {
		t.Errorf("the alert does not validate: %v", err)
	}
	// The covered parties: 7 a week before, 35 now: a low baseline, and
	// the week passed its floor.
	cov := change(t, cs, "covered")
	if !cov.LowBaseline || cov.Week != 35 || cov.Baseline != 7 || cov.Rule != RuleLowBaselineSurge || cov.Alert == nil || cov.Alert.Group != "covered" {
		t.Errorf("covered: %+v", cov)
	}
}

func TestCheckLowBaseline(t *testing.T) {
	for _, tc := range []struct {
		name  string
		base  float64 // a day
		week  [7]float64
		rule  string
		words string
	}{
		// 4 a week before, 9 now: more than twice, but under the floor of 10.
		{"under the floor", 4.0 / 7, [7]float64{1, 1, 1, 2, 2, 1, 1}, "", "fewer than 10 deaths"},
		// 0 before, 12 now: no ratio, but the floor is passed.
		{"from nothing", 0, [7]float64{0, 0, 2, 0, 4, 6, 0}, RuleLowBaselineSurge, "the baseline is low"},
		// 7 before, 11 now: over the floor and 1.5 times, but only 4 more.
		{"too small a rise", 1, [7]float64{1, 1, 1, 2, 2, 2, 2}, "", "fewer than 5 more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := watchOpts
			o.Groups = nil
			cs, err := Check(watchDays(tc.base, 0, tc.week, [7]float64{}), "2016-03-31", o)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 1 || cs[0].Group != "all" {
				t.Fatalf("groups: %+v", cs)
			}
			c := cs[0]
			if !c.LowBaseline || c.Rule != tc.rule || (c.Alert != nil) != (tc.rule != "") || !strings.Contains(c.Reason, tc.words) {
				t.Errorf("%+v", c)
			}
			if tc.base == 0 && c.Ratio != nil {
				t.Errorf("a ratio over a zero baseline: %v", *c.Ratio)
			}
		})
	}
}

func TestCheckNoAlert(t *testing.T) {
	for _, tc := range []struct {
		name string
		base float64
		week [7]float64
		why  string
	}{
		{"steady", 20, [7]float64{18, 22, 20, 19, 21, 20, 20}, "under 1.5 times"},
		{"a fall", 20, [7]float64{2, 3, 1, 0, 4, 2, 1}, "under 1.5 times"},
		{"just under the ratio", 10, [7]float64{15, 15, 15, 15, 15, 15, 14.9}, "under 1.5 times"},
		{"one bad day in a quiet week", 20, [7]float64{0, 0, 0, 150, 0, 0, 59}, "under 1.5 times"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := Check(watchDays(tc.base, 0, tc.week, [7]float64{}), "2016-03-31", watchOpts)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				if c.Rule != "" || c.Alert != nil {
					t.Errorf("%s: an alert: %+v", c.Group, c)
				}
			}
			if all := change(t, cs, "all"); !strings.Contains(all.Reason, tc.why) {
				t.Errorf("reason: %q", all.Reason)
			}
		})
	}
	// Exactly at the threshold fires: 1.5 times a 70-death week is 105.
	cs, _ := Check(watchDays(10, 0, [7]float64{15, 15, 15, 15, 15, 15, 15}, [7]float64{}), "2016-03-31", watchOpts)
	if all := change(t, cs, "all"); all.Rule != RuleSurge {
		t.Errorf("at exactly 1.5 times: %+v", all)
	}
}

func TestCheckNeedsTheWholeBaseline(t *testing.T) {
	daily := watchDays(4, 0, [7]float64{50, 50, 50, 50, 50, 50, 50}, [7]float64{})
	if _, err := Check(daily[1:], "2016-03-31", watchOpts); armstrace.ErrorCode(err) != armstrace.EINVALID || !strings.Contains(err.Error(), "2016-02-26") {
		t.Errorf("a baseline a day short: %v", err)
	}
	if _, err := Check(daily, "2016-04-01", watchOpts); armstrace.ErrorCode(err) != armstrace.EINVALID {
		t.Errorf("a day past the data: %v", err)
	}
	if _, err := Check(daily, "31 March", watchOpts); armstrace.ErrorCode(err) != armstrace.EINVALID {
		t.Errorf("not a day: %v", err)
	}
}

// tallyReader serves TallyEvents and FindSeriesByID from memory.
type tallyReader struct {
	Reader
	rows   []armstrace.TallyRow
	series *armstrace.Series
}

func (r tallyReader) TallyEvents(ctx context.Context, q armstrace.TallyQuery) ([]armstrace.TallyRow, error) {
	return r.rows, nil
}

func (r tallyReader) EventDatasets(ctx context.Context, country string) ([]string, error) {
	var out []string
	for _, row := range r.rows {
		if !slices.Contains(out, row.Dataset) {
			out = append(out, row.Dataset)
		}
	}
	return out, nil
}

func (r tallyReader) FindSeriesByID(ctx context.Context, id string) (*armstrace.Series, error) {
	if r.series == nil || r.series.ID != id {
		return nil, armstrace.Errorf(armstrace.ENOTFOUND, "no series %s", id)
	}
	return r.series, nil
}

func TestWatchCounts(t *testing.T) {
	cf := &armstrace.Ceasefire{ID: "cf:x", Name: "X", Start: "2016-02-27", Country: "SY", Covered: []string{"ent:syria"}, Excluded: []string{"ent:is"}}
	r := tallyReader{rows: []armstrace.TallyRow{
		{Start: "2016-02-25", End: "2016-02-25", Group: GroupCovered, Dataset: "ucdp-ged", Events: 2, Best: 10, Low: 8, High: 12},
		{Start: "2016-02-25", End: "2016-02-25", Group: GroupExcluded, Dataset: "ucdp-ged", Events: 1, Best: 4, Low: 4, High: 4},
		{Start: "2016-02-28", End: "2016-02-28", Group: "", Dataset: "ucdp-ged", Events: 1, Best: 3, Low: 3, High: 3},
		// A total over a month is left out, and does not stretch the days.
		{Start: "2016-02-01", End: "2016-03-31", Group: GroupCovered, Dataset: "ucdp-ged", Aggregate: true, Events: 1, Best: 900},
		// Another dataset, with fewer events since the start, is not added.
		{Start: "2016-02-28", End: "2016-02-28", Group: GroupCovered, Dataset: "acled", Events: 1, Best: 50, Low: 50, High: 50},
		{Start: "2016-03-02", End: "2016-03-02", Group: GroupCovered, Dataset: "acled", Events: 1, Best: 50, Low: 50, High: 50},
	}}
	w, err := WatchCounts(context.Background(), r, cf, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if w.Dataset != "ucdp-ged" || len(w.Datasets) != 2 || !strings.Contains(w.Counted, "events of ucdp-ged in SY") {
		t.Errorf("dataset: %s of %+v, %q", w.Dataset, w.Datasets, w.Counted)
	}
	if w.Counting != "events" || w.DataFrom != "2016-02-25" || w.DataTo != "2016-02-28" || len(w.Daily) != 4 || strings.Join(w.Groups, ",") != "all,covered" {
		t.Fatalf("%+v", w)
	}
	d0, d3 := w.Daily[0], w.Daily[3]
	if d0.Offset != -2 || d0.All.Best != 14 || d0.Covered.Best != 10 || d0.Excluded.Best != 4 || w.Daily[1].All.Best != 0 || d3.Other.Best != 3 || d3.Offset != 1 {
		t.Errorf("days: %+v", w.Daily)
	}
	o := w.Options(time.Time{})
	if o.Ceasefire != "cf:x" || o.Name != "X" || len(o.Groups) != 2 {
		t.Errorf("options: %+v", o)
	}

	// The dataset asked for is the one counted; an unknown one is an error.
	if a, err := WatchCounts(context.Background(), r, cf, "", "acled"); err != nil || a.Dataset != "acled" || a.DataFrom != "2016-02-28" || a.Daily[0].Covered.Best != 50 {
		t.Errorf("acled: %+v %v", a, err)
	}
	if _, err := WatchCounts(context.Background(), r, cf, "", "gdelt"); armstrace.ErrorCode(err) != armstrace.EINVALID {
		t.Errorf("an unknown dataset: %v", err)
	}

	r.series = &armstrace.Series{ID: "vdc:daily", Name: "VDC daily deaths", Frequency: "day", Points: []armstrace.SeriesPoint{{Period: "2016-02-26", Value: 30}, {Period: "2016-02-28", Value: 20}}}
	w, err = WatchCounts(context.Background(), r, cf, "vdc:daily", "")
	if err != nil {
		t.Fatal(err)
	}
	if w.Counting != "series" || len(w.Daily) != 3 || w.Daily[0].All.Best != 30 || w.Daily[1].All.Best != 0 || strings.Join(w.Groups, ",") != "all" {
		t.Errorf("series: %+v", w)
	}
	if _, err := WatchCounts(context.Background(), tallyReader{}, cf, "", ""); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
		t.Errorf("no data: %v", err)
	}
	if _, err := WatchCounts(context.Background(), r, &armstrace.Ceasefire{ID: "cf:y", Start: "2016-02-27"}, "", ""); armstrace.ErrorCode(err) != armstrace.EINVALID {
		t.Errorf("no country: %v", err)
	}
}
