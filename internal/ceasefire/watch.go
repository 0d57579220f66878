package ceasefire

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"time"

	"github.com/armstrace/armstrace"
)

// The watch rule, in the manner of ACLED's conflict-change alerts: the
// deaths of the current week (the seven days ending on the day checked)
// are compared with the mean weekly deaths of the four weeks before it.
//
//   - surge: with a baseline of at least LowBaseline deaths a week, the
//     week must reach SurgeRatio times the baseline and exceed it by at
//     least SurgeMinIncrease deaths.
//   - low-baseline surge: with a baseline under LowBaseline deaths a week,
//     where a ratio says little (three deaths after one is "three
//     times"), the week must also reach LowBaselineFloor deaths.
//
// Deaths are best estimates. Events a source totalled over several days,
// or dated only to a range, are left out, never put on their first day.
const (
	WatchWeekDays     = 7
	WatchBaselineDays = 28 // four weeks
	SurgeRatio        = 1.5
	SurgeMinIncrease  = 5.0
	LowBaseline       = 10.0 // deaths a week under which the baseline is low
	LowBaselineFloor  = 10.0 // deaths the week needs when the baseline is low

	RuleSurge            = "surge"
	RuleLowBaselineSurge = "low-baseline surge"
)

// WatchOptions say what a check is about; they are carried into its
// alerts.
type WatchOptions struct {
	Ceasefire string // id
	Name      string
	Counted   string // what was counted, in words
	// Groups to check: armstrace.AlertGroupAll and, when counting events
	// of a ceasefire that names covered parties, AlertGroupCovered. All
	// when empty.
	Groups []string
	Now    time.Time // the time stamped on alerts; now when zero
}

// Change is the comparison of one group's week with its baseline.
type Change struct {
	Group       string   `json:"group"`
	Day         string   `json:"day"`
	WeekFrom    string   `json:"week_from"`
	Week        float64  `json:"week"`     // deaths in the week
	Baseline    float64  `json:"baseline"` // mean deaths a week in the four weeks before
	Ratio       *float64 `json:"ratio,omitempty"`
	Increase    float64  `json:"increase"`
	LowBaseline bool     `json:"low_baseline"`
	// Rule is the rule that fired, empty when none did; Reason says why,
	// either way.
	Rule   string           `json:"rule,omitempty"`
	Reason string           `json:"reason"`
	Alert  *armstrace.Alert `json:"alert,omitempty"`
}

// Check compares the week ending on day with the four weeks before it,
// for each group, and returns the comparisons; those whose rule fired
// carry their alert. daily must hold every one of the 35 days, as
// WatchCounts gives them; a day it does not cover is an EINVALID error.
func Check(daily []Day, day string, o WatchOptions) ([]Change, error) {
	end, err := time.Parse(dayLayout, day)
	if err != nil {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "day", Message: fmt.Sprintf("%q is not a day (want YYYY-MM-DD)", day)}
	}
	byDay := make(map[string]*Day, len(daily))
	for i := range daily {
		byDay[daily[i].Day] = &daily[i]
	}
	first := end.AddDate(0, 0, -(WatchWeekDays + WatchBaselineDays - 1))
	weekFrom := end.AddDate(0, 0, -(WatchWeekDays - 1))
	var missing []string
	for t := first; !t.After(end); t = t.AddDate(0, 0, 1) {
		if byDay[t.Format(dayLayout)] == nil {
			missing = append(missing, t.Format(dayLayout))
		}
	}
	if len(missing) > 0 {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "day", Message: fmt.Sprintf(
			"the data do not cover the %d days from %s to %s that a check of %s needs (the week and the four weeks before it): %d day(s) missing, the first %s",
			WatchWeekDays+WatchBaselineDays, first.Format(dayLayout), day, day, len(missing), missing[0])}
	}
	groups := o.Groups
	if len(groups) == 0 {
		groups = []string{armstrace.AlertGroupAll}
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	var out []Change
	for _, g := range groups {
		value := func(d *Day) float64 {
			if g == armstrace.AlertGroupCovered {
				return d.Covered.Best
			}
			return d.All.Best
		}
		var week, base float64
		for t := first; !t.After(end); t = t.AddDate(0, 0, 1) {
			v := value(byDay[t.Format(dayLayout)])
			if t.Before(weekFrom) {
				base += v
			} else {
				week += v
			}
		}
		base /= float64(WatchBaselineDays) / float64(WatchWeekDays)
		c := Change{Group: g, Day: day, WeekFrom: weekFrom.Format(dayLayout), Week: round1(week), Baseline: round1(base), Increase: round1(week - base), LowBaseline: base < LowBaseline}
		if base > 0 {
			r := math.Round(week/base*1000) / 1000
			c.Ratio = &r
		}
		c.Rule, c.Reason = rule(week, base)
		if c.Rule != "" {
			c.Alert = &armstrace.Alert{
				ID: armstrace.AlertID(o.Ceasefire, day, g), Ceasefire: o.Ceasefire, CeasefireName: o.Name, Day: day, WeekFrom: c.WeekFrom, Group: g,
				Counted: o.Counted, Measure: "deaths", Week: c.Week, Baseline: c.Baseline, Ratio: c.Ratio, Increase: c.Increase,
				Rule: c.Rule, Reason: c.Reason, At: now.UTC().Format(time.RFC3339),
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// rule applies the watch rule to a week's deaths and the baseline's mean
// week, and says which rule fired, if any, and why.
func rule(week, base float64) (fired, reason string) {
	figures := fmt.Sprintf("%s deaths in the week against a baseline of %s a week", num(week), num(base))
	ratioOK := week >= SurgeRatio*base
	incOK := week-base >= SurgeMinIncrease
	if base < LowBaseline {
		switch {
		case week >= LowBaselineFloor && ratioOK && incOK:
			return RuleLowBaselineSurge, fmt.Sprintf("%s: the baseline is low (under %s a week), and the week reached %s deaths, %s times the baseline and %s more",
				figures, num(LowBaseline), num(LowBaselineFloor), num(SurgeRatio), num(SurgeMinIncrease))
		case week < LowBaselineFloor:
			return "", fmt.Sprintf("%s: the baseline is low (under %s a week), and the week has fewer than %s deaths", figures, num(LowBaseline), num(LowBaselineFloor))
		}
	} else if ratioOK && incOK {
		return RuleSurge, fmt.Sprintf("%s: at least %s times the baseline and %s more", figures, num(SurgeRatio), num(SurgeMinIncrease))
	}
	if !ratioOK {
		return "", fmt.Sprintf("%s: under %s times the baseline", figures, num(SurgeRatio))
	}
	return "", fmt.Sprintf("%s: fewer than %s more than the baseline", figures, num(SurgeMinIncrease))
}

// WatchData are the daily counts a watch checks: every day from the
// first to the last with data, in order.
type WatchData struct {
	Ceasefire *armstrace.Ceasefire
	Counting  string // "events" or "series"
	Counted   string // what was counted, in words
	// Dataset is the dataset whose events are counted, and Datasets all
	// those the country has, the one counted marked; empty for a series.
	Dataset  string
	Datasets []DatasetCount
	Groups   []string
	DataFrom string
	DataTo   string
	Daily    []Day
}

// Options returns the WatchOptions of a check on these data.
func (w *WatchData) Options(now time.Time) WatchOptions {
	return WatchOptions{Ceasefire: w.Ceasefire.ID, Name: w.Ceasefire.Name, Counted: w.Counted, Groups: w.Groups, Now: now}
}

// WatchCounts reads the daily counts of a ceasefire's watch: the events
// of its country, by party group (covered, excluded, other), or the
// daily casualty series named. As in a report, the events of one dataset
// are counted, never several added together: the one named, or the one
// with the most events from the ceasefire's start. Events a source
// totalled over several days, or dated only to a range, are left out, as
// the watch rule says.
func WatchCounts(ctx context.Context, r Reader, cf *armstrace.Ceasefire, series, dataset string) (*WatchData, error) {
	w := &WatchData{Ceasefire: cf, Groups: []string{armstrace.AlertGroupAll}}
	days := map[string]map[string]Counts{}
	add := func(day, group string, c Counts) {
		if days[day] == nil {
			days[day] = map[string]Counts{}
		}
		x := days[day][group]
		x.add(c)
		days[day][group] = x
		if w.DataFrom == "" || day < w.DataFrom {
			w.DataFrom = day
		}
		w.DataTo = max(w.DataTo, day)
	}
	if series == "" {
		if cf.Country == "" {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "series", Message: fmt.Sprintf("ceasefire %s names no country, so its events cannot be counted: give --series", cf.ID)}
		}
		w.Counting = "events"
		if len(cf.Covered) > 0 {
			w.Groups = append(w.Groups, armstrace.AlertGroupCovered)
		}
		groups := []armstrace.TallyGroup{{Name: GroupExcluded, Entities: cf.Excluded}, {Name: GroupCovered, Entities: cf.Covered}}
		// The baseline of the first day checked reaches 35 days before the
		// start; nothing earlier is needed.
		since := armstrace.Date(string(cf.Start.First()))
		if t, err := time.Parse(dayLayout, string(since)); err == nil {
			since = armstrace.Date(t.AddDate(0, 0, -35).Format(dayLayout))
		}
		rows, err := r.TallyEvents(ctx, armstrace.TallyQuery{Country: cf.Country, Since: since, Groups: groups})
		if err != nil {
			return nil, err
		}
		names, err := r.EventDatasets(ctx, cf.Country)
		if err != nil {
			return nil, err
		}
		w.Dataset, w.Datasets, err = chooseDataset(rows, names, dataset)
		if err != nil {
			return nil, err
		}
		w.Counted = fmt.Sprintf("events of %s in %s recorded in the evidence graph", w.Dataset, cf.Country)
		for _, row := range rows {
			if row.Dataset != w.Dataset || row.Aggregate || row.Start != row.End || !row.Start.IsDay() {
				continue
			}
			add(string(row.Start), cmp.Or(row.Group, GroupOther), Counts{Events: float64(row.Events), Low: row.Low, Best: row.Best, High: row.High})
		}
	} else {
		s, err := r.FindSeriesByID(ctx, series)
		if err != nil {
			return nil, err
		}
		if s.Frequency != "day" {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "series", Message: fmt.Sprintf("series %s counts by %s; a watch needs a daily series", s.ID, s.Frequency)}
		}
		w.Counting, w.Counted = "series", "series "+s.ID+": "+s.Name
		for _, p := range s.Points {
			if !p.Period.IsDay() {
				continue
			}
			add(string(p.Period), GroupOther, Counts{Low: p.Value, Best: p.Value, High: p.Value})
		}
	}
	if w.DataFrom == "" {
		return nil, &armstrace.Error{Code: armstrace.ENOTFOUND, Message: fmt.Sprintf("no daily data to watch for ceasefire %s: import the events of %s or a daily casualty series (--series)", cf.ID, cmp.Or(cf.Country, "its country"))}
	}
	start, _ := time.Parse(dayLayout, string(cf.Start.First()))
	from, _ := time.Parse(dayLayout, w.DataFrom)
	to, _ := time.Parse(dayLayout, w.DataTo)
	for t := from; !t.After(to); t = t.AddDate(0, 0, 1) {
		day := t.Format(dayLayout)
		dc := days[day]
		d := Day{Day: day, Offset: int(math.Round(t.Sub(start).Hours() / 24)), Covered: round(dc[GroupCovered]), Excluded: round(dc[GroupExcluded]), Other: round(dc[GroupOther])}
		var all Counts
		for _, c := range dc {
			all.add(c)
		}
		d.All = round(all)
		w.Daily = append(w.Daily, d)
	}
	return w, nil
}
