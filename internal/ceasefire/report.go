package ceasefire

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/armstrace/armstrace"
)

const (
	dayLayout = "2006-01-02"
	// minBaseline is how many days since the start a break needs before
	// it: a pattern needs a few days to be one.
	minBaseline = 3
	// breakSD is how many standard deviations above the baseline a day
	// must be to break the pattern.
	breakSD = 2.0
	z95     = 1.959964
)

// Find returns a ceasefire by id, or by a name that is unique among them.
func Find(ctx context.Context, r Reader, q string) (*armstrace.Ceasefire, error) {
	cf, err := r.FindCeasefireByID(ctx, q)
	if err == nil || armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
		return cf, err
	}
	all, err := r.FindCeasefires(ctx)
	if err != nil {
		return nil, err
	}
	var found []*armstrace.Ceasefire
	for _, c := range all {
		if strings.EqualFold(c.Name, q) || strings.EqualFold(strings.TrimPrefix(c.ID, "cf:"), q) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		var ids []string
		for _, c := range all {
			ids = append(ids, c.ID)
		}
		return nil, &armstrace.Error{Code: armstrace.ENOTFOUND, Field: "ceasefire", Message: fmt.Sprintf("no ceasefire %q; the graph holds: %s", q, orNone(ids))}
	}
	return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "ceasefire", Message: fmt.Sprintf("%d ceasefires are named %q: give an id", len(found), q)}
}

func orNone(ss []string) string {
	if len(ss) == 0 {
		return "none (add one with armstrace ceasefire add)"
	}
	return strings.Join(ss, ", ")
}

// daily holds counts by day and group, and the spans (aggregates and
// events dated only to a range) apart.
type daily struct {
	days     map[string]map[string]Counts // day → group → counts
	spans    []armstrace.TallyRow
	first    string // the first and last day with any data
	last     string
	dayFirst string // the first and last day with single-day data
	dayLast  string
}

func (d *daily) addDay(day, group string, c Counts) {
	if d.days[day] == nil {
		d.days[day] = map[string]Counts{}
	}
	x := d.days[day][group]
	x.add(c)
	d.days[day][group] = x
	if d.first == "" || day < d.first {
		d.first = day
	}
	if day > d.last {
		d.last = day
	}
	if d.dayFirst == "" || day < d.dayFirst {
		d.dayFirst = day
	}
	if day > d.dayLast {
		d.dayLast = day
	}
}

// Build computes the report of a ceasefire.
func Build(ctx context.Context, r Reader, q string, o Options) (*Report, error) {
	r = Visible(r, o.Access)
	cf, err := Find(ctx, r, q)
	if err != nil {
		return nil, err
	}
	if len(o.Windows) == 0 {
		o.Windows = []int{7, 14, 28}
	}
	for _, w := range o.Windows {
		if w < 1 || w > 366 {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "window", Message: fmt.Sprintf("%d days: a window is 1 to 366 days", w)}
		}
	}
	if o.Aggregates == "" {
		o.Aggregates = AggregatesExclude
	}
	if o.Aggregates != AggregatesExclude && o.Aggregates != AggregatesSpread {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "aggregates", Message: fmt.Sprintf("%q: use exclude or spread", o.Aggregates)}
	}
	if o.Around == 0 {
		o.Around = 2 * slices.Max(o.Windows)
	}
	if o.MaxViolations == 0 {
		o.MaxViolations = 50
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	start, err := time.Parse(dayLayout, string(cf.Start.First()))
	if err != nil {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "start", Message: fmt.Sprintf("ceasefire %s starts %q, not a day", cf.ID, cf.Start)}
	}
	rep := &Report{Generated: now, Measure: "deaths", Unit: "people"}
	c := &rep.Ceasefire
	c.ID, c.Name, c.Start, c.StartTime, c.End, c.Country, c.Area, c.Terms = cf.ID, cf.Name, string(cf.Start), cf.StartTime, string(cf.End), cf.Country, cf.Area, cf.Terms
	names := map[string]string{}
	for _, l := range []struct {
		ids []string
		out *[]Party
	}{{cf.Covered, &c.Covered}, {cf.Excluded, &c.Excluded}} {
		*l.out = []Party{}
		for _, id := range l.ids {
			name := id
			if e, err := r.FindEntityByID(ctx, id); err == nil {
				name = e.Name
			}
			names[id] = name
			*l.out = append(*l.out, Party{ID: id, Name: name})
		}
	}

	d := &daily{days: map[string]map[string]Counts{}}
	fromEvents := o.Series == ""
	var windowRows []armstrace.TallyRow // the days shown, by group, type and area
	if fromEvents {
		if cf.Country == "" {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "series", Message: fmt.Sprintf("ceasefire %s names no country, so its events cannot be counted: give --series", cf.ID)}
		}
		rep.Counting = "events"
		// The days shown are split by party group; the rest of the record
		// (for the totals) needs no split, and is counted from an index
		// alone, for the dataset counted only. A row overlapping the days
		// shown is taken from the first tally only.
		winFrom, winTo := start.AddDate(0, 0, -o.Around).Format(dayLayout), start.AddDate(0, 0, o.Around-1).Format(dayLayout)
		groups := []armstrace.TallyGroup{{Name: GroupExcluded, Entities: cf.Excluded}, {Name: GroupCovered, Entities: cf.Covered}}
		names, err := r.EventDatasets(ctx, cf.Country)
		if err != nil {
			return nil, err
		}
		// When the dataset is known before the days shown are counted (asked
		// for, or the only one), the whole record is tallied at the same
		// time, on the other core.
		var all []armstrace.TallyRow
		var allErr error
		var wg sync.WaitGroup
		known := o.Dataset
		if known == "" && len(names) == 1 {
			known = names[0]
		}
		if known != "" {
			wg.Go(func() { all, allErr = r.TallyEvents(ctx, armstrace.TallyQuery{Country: cf.Country, Dataset: known}) })
		}
		win, err := r.TallyEvents(ctx, armstrace.TallyQuery{Country: cf.Country, Since: armstrace.Date(winFrom), Until: armstrace.Date(winTo), Groups: groups, By: "type,admin1,actors"})
		wg.Wait()
		if err != nil {
			return nil, err
		}
		if allErr != nil {
			return nil, allErr
		}
		dataset, counts, err := chooseDataset(win, names, o.Dataset)
		if err != nil {
			return nil, err
		}
		rep.Datasets = counts
		if len(counts) > 1 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("The country's events come from %d datasets; only %s is counted, so that no incident is counted once per dataset that reported it (armstrace incidents clusters them across datasets; --dataset chooses another).", len(counts), dataset))
		}
		var rows []armstrace.TallyRow
		for _, row := range win {
			if row.Dataset == dataset {
				rows = append(rows, row)
			}
		}
		windowRows = win
		if dataset != "" {
			if dataset != known {
				if all, err = r.TallyEvents(ctx, armstrace.TallyQuery{Country: cf.Country, Dataset: dataset}); err != nil {
					return nil, err
				}
			}
			n := 0
			for _, row := range all {
				n += row.Events
				if string(row.End.Last()) < winFrom || string(row.Start.First()) > winTo {
					rows = append(rows, row)
				}
			}
			for i := range rep.Datasets {
				if rep.Datasets[i].Counted {
					rep.Datasets[i].Events = n
				}
			}
		}
		rep.Source = fmt.Sprintf("the events in %s recorded in the evidence graph from %s (ids %s:…)", cf.Country, datasetName(dataset), dataset)
		for _, row := range rows {
			g := cmp.Or(row.Group, GroupOther)
			if row.Aggregate || row.Start != row.End {
				row.Group = g
				d.spans = append(d.spans, row)
				if row.Start.First() < armstrace.Date(d.first) || d.first == "" {
					d.first = string(row.Start.First())
				}
				if string(row.End.Last()) > d.last {
					d.last = string(row.End.Last())
				}
				continue
			}
			d.addDay(string(row.Start), g, Counts{Events: float64(row.Events), Low: row.Low, Best: row.Best, High: row.High})
		}
	} else {
		s, err := r.FindSeriesByID(ctx, o.Series)
		if err != nil {
			return nil, err
		}
		if s.Frequency != "day" {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "series", Message: fmt.Sprintf("series %s counts by %s; a ceasefire report needs a daily series", s.ID, s.Frequency)}
		}
		rep.Counting, rep.Source = "series", "series "+s.ID+": "+s.Name
		rep.Measure, rep.Unit = s.Measure, s.Unit
		for _, p := range s.Points {
			d.addDay(string(p.Period), GroupOther, Counts{Low: p.Value, Best: p.Value, High: p.Value})
		}
		rep.Notes = append(rep.Notes, "A casualty series names no parties: every death is counted under all and other, none under covered or excluded. "+s.Notes)
	}
	if d.first == "" {
		return nil, &armstrace.Error{Code: armstrace.ENOTFOUND, Message: fmt.Sprintf("no data to count for ceasefire %s: import the events of %s or a daily casualty series (--series)", cf.ID, cf.Country)}
	}
	rep.DataFrom, rep.DataTo = d.first, d.last

	// Spans: spread over their days, or left out, as asked; both totals
	// are reported.
	spreadDay := map[string]map[string]Counts{}
	var aggEvents int
	for _, s := range d.spans {
		from, _ := time.Parse(dayLayout, string(s.Start.First()))
		to, _ := time.Parse(dayLayout, string(s.End.Last()))
		n := int(to.Sub(from).Hours()/24) + 1
		aggEvents += s.Events
		share := Counts{Events: float64(s.Events) / float64(n), Low: s.Low / float64(n), Best: s.Best / float64(n), High: s.High / float64(n)}
		for t := from; !t.After(to); t = t.AddDate(0, 0, 1) {
			day := t.Format(dayLayout)
			if spreadDay[day] == nil {
				spreadDay[day] = map[string]Counts{}
			}
			x := spreadDay[day][s.Group]
			x.add(share)
			spreadDay[day][s.Group] = x
		}
	}
	dayCounts := func(day string, spread bool) map[string]Counts {
		out := map[string]Counts{}
		for g, c := range d.days[day] {
			out[g] = c
		}
		if spread {
			for g, c := range spreadDay[day] {
				x := out[g]
				x.add(c)
				out[g] = x
			}
		}
		return out
	}
	spread := o.Aggregates == AggregatesSpread

	// The last day counted since the start: the end, the last day with
	// data, or the last day shown, whichever comes first: a ceasefire
	// without a recorded end is not credited with years of later war.
	through := d.last
	if cf.End != "" && string(cf.End.Last()) < through {
		through = string(cf.End.Last())
	}
	if shown := start.AddDate(0, 0, o.Around-1).Format(dayLayout); shown < through {
		through = shown
	}
	rep.Cumulative.Through = through
	startDay := start.Format(dayLayout)
	total := func(spread bool) (before, since Counts, byGroup map[string]Counts) {
		byGroup = map[string]Counts{}
		keys := map[string]bool{}
		for day := range d.days {
			keys[day] = true
		}
		if spread {
			for day := range spreadDay {
				keys[day] = true
			}
		}
		for day := range keys {
			for g, c := range dayCounts(day, spread) {
				switch {
				case day < startDay:
					before.add(c)
				case day <= through:
					since.add(c)
					x := byGroup[g]
					x.add(c)
					byGroup[g] = x
				}
			}
		}
		return before, since, byGroup
	}
	before, since, byGroup := total(spread)
	rep.Cumulative.UpToStart, rep.Cumulative.SinceStart = round(before), round(since)
	var inTotals Counts
	for _, sp := range d.spans {
		if string(sp.End.Last()) <= startDay {
			inTotals.add(Counts{Events: float64(sp.Events), Low: sp.Low, Best: sp.Best, High: sp.High})
		}
	}
	rep.Cumulative.InTotals = round(inTotals)
	rep.CoveredSince, rep.ExcludedSince, rep.OtherSince = round(byGroup[GroupCovered]), round(byGroup[GroupExcluded]), round(byGroup[GroupOther])
	if len(d.spans) > 0 {
		b2, s2, _ := total(!spread)
		other := AggregatesSpread
		if spread {
			other = AggregatesExclude
		}
		used, alt := before.Best+since.Best, b2.Best+s2.Best
		note := &AggregateNote{Mode: o.Aggregates, Events: aggEvents, Total: round1(used), TotalIf: round1(alt)}
		// Spreading adds exactly the aggregates' deaths on the days
		// counted; leaving them out adds none.
		note.Deaths = round1(math.Abs(used - alt))
		if m := math.Max(used, alt); m > 0 {
			note.ShareMove = math.Round(math.Abs(used-alt)/m*10000) / 10000
		}
		rep.Aggregates = note
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d event(s) are totals a source gave over several days, or dated only to a range; they are %s (%s). Totals are %.0f deaths as counted and would be %.0f if they were %s: a move of %.1f%%.",
			aggEvents, map[AggregateMode]string{AggregatesExclude: "left out", AggregatesSpread: "spread evenly over their days"}[o.Aggregates], o.Aggregates, used, alt,
			map[AggregateMode]string{AggregatesExclude: "left out", AggregatesSpread: "spread evenly over their days"}[other], 100*note.ShareMove))
	}

	// The daily series around the start.
	value := func(day string) map[string]Counts { return dayCounts(day, spread) }
	for i := -o.Around; i < o.Around; i++ {
		day := start.AddDate(0, 0, i).Format(dayLayout)
		dc := value(day)
		dd := Day{Day: day, Offset: i, Covered: round(dc[GroupCovered]), Excluded: round(dc[GroupExcluded]), Other: round(dc[GroupOther])}
		var all Counts
		for _, c := range dc {
			all.add(c)
		}
		dd.All = round(all)
		rep.Daily = append(rep.Daily, dd)
	}

	// Windows.
	best := func(day, group string) float64 {
		dc := value(day)
		if group == "" {
			s := 0.0
			for _, c := range dc {
				s += c.Best
			}
			return s
		}
		return dc[group].Best
	}
	for _, w := range o.Windows {
		var b, a []float64
		var cb, ca float64
		for i := -w; i < w; i++ {
			day := start.AddDate(0, 0, i).Format(dayLayout)
			if i < 0 {
				b = append(b, best(day, ""))
				cb += best(day, GroupCovered)
			} else {
				a = append(a, best(day, ""))
				ca += best(day, GroupCovered)
			}
		}
		win := rateRatio(b, a)
		win.Days = w
		// Complete when counts cover every day of the window: days with
		// single-day data, or spans when they are spread.
		first, last := d.dayFirst, d.dayLast
		if spread {
			first, last = d.first, d.last
		}
		win.Complete = first != "" && start.AddDate(0, 0, -w).Format(dayLayout) >= first && start.AddDate(0, 0, w-1).Format(dayLayout) <= last
		if fromEvents && len(cf.Covered) > 0 {
			x, y := round1(cb/float64(w)), round1(ca/float64(w))
			win.CoveredBefore, win.CoveredAfter = &x, &y
		}
		rep.Windows = append(rep.Windows, win)
	}

	// Breaks: on the covered parties' deaths when counting events (their
	// fighting is what breaks a ceasefire), on all deaths for a series.
	group := ""
	if fromEvents && len(cf.Covered) > 0 {
		group = GroupCovered
	}
	var since3 []float64
	rep.Breaks = []Break{}
	for i := 0; i < o.Around; i++ {
		t := start.AddDate(0, 0, i)
		day := t.Format(dayLayout)
		if day > through {
			break
		}
		v := best(day, group)
		if len(since3) >= minBaseline {
			m, sd := meanSD(since3)
			sd = math.Max(sd, math.Sqrt(m)) // never tighter than Poisson
			if th := m + breakSD*sd; v > th {
				b := Break{Day: day, Offset: i, Value: round1(v), Baseline: round1(m), Threshold: round1(th)}
				rep.Breaks = append(rep.Breaks, b)
				if rep.FirstBreak == nil {
					fb := b
					rep.FirstBreak = &fb
				}
			}
		}
		since3 = append(since3, v)
	}

	// Since the start, by type and by area, from the days shown.
	if fromEvents {
		rep.SinceByType = breakdown(windowRows, rep.datasetCounted(), startDay, through, 0)
		rep.SinceByArea = breakdown(windowRows, rep.datasetCounted(), startDay, through, 1)
		rep.SinceByDyad = breakdown(windowRows, rep.datasetCounted(), startDay, through, 2)
		for i := range rep.SinceByDyad {
			b := &rep.SinceByDyad[i]
			if b.Key == "(not given)" {
				continue
			}
			var names []string
			for _, id := range strings.Split(b.Key, ",") {
				name := id
				if e, err := r.FindEntityByID(ctx, id); err == nil {
					name = e.Name
				}
				names = append(names, name)
			}
			b.Key = strings.Join(names, " – ")
		}
	}

	// Violations and the excluded parties' activity, read whole.
	if fromEvents {
		if err := violations(ctx, r, cf, rep, start, through, rep.datasetCounted(), windowRows, o); err != nil {
			return nil, err
		}
	}
	if rep.Violations == nil {
		rep.Violations = []Violation{}
	}
	if rep.ExcludedTop == nil {
		rep.ExcludedTop = []Violation{}
	}
	rep.Method = method(o, fromEvents)
	return rep, nil
}

// rateRatio compares daily counts after the start with those before,
// with a quasi-Poisson 95% interval: daily deaths vary more than a
// Poisson count, so the Poisson interval is widened by the dispersion
// the days themselves show.
func rateRatio(before, after []float64) Window {
	var w Window
	sb, sa := sum(before), sum(after)
	mb, ma := sb/float64(len(before)), sa/float64(len(after))
	w.BeforeMean, w.AfterMean = round1(mb), round1(ma)
	// Pearson dispersion over both periods, each about its own mean.
	var chi float64
	for _, x := range before {
		if mb > 0 {
			chi += (x - mb) * (x - mb) / mb
		}
	}
	for _, x := range after {
		if ma > 0 {
			chi += (x - ma) * (x - ma) / ma
		}
	}
	phi := 1.0
	if df := len(before) + len(after) - 2; df > 0 {
		phi = math.Max(1, chi/float64(df))
	}
	w.Dispersion = math.Round(phi*100) / 100
	// Half a death added to an empty period keeps the ratio finite.
	if sb == 0 || sa == 0 {
		sb, sa = sb+0.5, sa+0.5
	}
	rr := (sa / float64(len(after))) / (sb / float64(len(before)))
	se := math.Sqrt(phi * (1/sa + 1/sb))
	w.RateRatio = math.Round(rr*1000) / 1000
	w.CILow = math.Round(math.Exp(math.Log(rr)-z95*se)*1000) / 1000
	w.CIHigh = math.Round(math.Exp(math.Log(rr)+z95*se)*1000) / 1000
	return w
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func meanSD(xs []float64) (float64, float64) {
	m := sum(xs) / float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	if len(xs) > 1 {
		v /= float64(len(xs) - 1)
	}
	return m, math.Sqrt(v)
}

func round(c Counts) Counts {
	return Counts{Events: round1(c.Events), Low: round1(c.Low), Best: round1(c.Best), High: round1(c.High)}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func method(o Options, fromEvents bool) []string {
	m := []string{
		fmt.Sprintf("Windows of %v days compare the mean deaths a day (best estimates) over the days before the start with the days from the start on; the first day covered counts as after.", o.Windows),
		"The rate ratio is after over before. Its 95% interval is quasi-Poisson: the Poisson interval on the log ratio, widened by the square root of the dispersion (Pearson χ² over both periods divided by its degrees of freedom, at least 1). Half a death is added to an empty period.",
		fmt.Sprintf("A day breaks the pattern when it has more than the mean of the days since the start before it plus %.0f standard deviations (never less than the Poisson √mean), once %d days have passed.", breakSD, minBaseline),
	}
	switch o.Aggregates {
	case AggregatesSpread:
		m = append(m, "Events a source totalled over several days, or dated only to a range, are spread evenly over their days.")
	default:
		m = append(m, "Events a source totalled over several days, or dated only to a range, are left out of daily counts and totals; they are never put on their first day.")
	}
	if fromEvents {
		m = append(m, "Events with an excluded party among their actors count as the excluded parties' activity, never as violations; events with a covered party (and no excluded one) are the covered parties'; the rest are other. Violations are the covered parties' events in the country from the start.")
	}
	return m
}

// violations lists the covered parties' single-day events from the start
// in date order, and the excluded parties' largest, with their sources,
// from the dataset counted. It reads the events of as few days as it can:
// violations day by day from the start until enough are listed, skipping
// days the tally shows without one; the excluded parties' days in order of
// their deaths, until no unread day can hold an event larger than the
// smallest listed (a day's total bounds each of its events).
func violations(ctx context.Context, r Reader, cf *armstrace.Ceasefire, rep *Report, start time.Time, through, dataset string, win []armstrace.TallyRow, o Options) error {
	if len(cf.Covered) == 0 && len(cf.Excluded) == 0 {
		return nil
	}
	startDay := start.Format(dayLayout)
	covDays, exDays := map[string]bool{}, map[string]float64{}
	uncertain, covEvents := 0, 0
	for _, row := range win {
		if row.Dataset != dataset || string(row.End.Last()) < startDay || string(row.Start.First()) > through {
			continue
		}
		if row.Aggregate || row.Start != row.End {
			uncertain += row.Events
			continue
		}
		switch row.Group {
		case GroupCovered:
			covDays[string(row.Start)] = true
			covEvents += row.Events
		case GroupExcluded:
			exDays[string(row.Start)] += row.Best
		}
	}
	if uncertain > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d event(s) overlapping the days from the start are totals over several days or dated only to a range; they are not listed as violations or excluded activity.", uncertain))
	}
	covered, excluded := set(cf.Covered), set(cf.Excluded)
	names := map[string]string{}
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := id
		if e, err := r.FindEntityByID(ctx, id); err == nil {
			n = e.Name
		}
		names[id] = n
		return n
	}
	sources := map[string]*armstrace.Source{}
	// day reads one day's single-day events of the dataset with one of
	// the parties, as covered or excluded.
	day := func(d string, parties []string) (cov, ex []*armstrace.Event, err error) {
		evs, err := r.FindEvents(ctx, armstrace.EventFilter{Country: cf.Country, Since: armstrace.Date(d), Until: armstrace.Date(d), Actors: parties})
		if err != nil {
			return nil, nil, err
		}
		for _, e := range evs {
			if e.Aggregate || e.Start != e.End || string(e.Start) != d || !strings.HasPrefix(e.ID, dataset+":") {
				continue
			}
			var isCov, isExc bool
			for _, a := range e.Actors {
				isCov = isCov || covered[a.Entity]
				isExc = isExc || excluded[a.Entity]
			}
			switch {
			case isExc:
				ex = append(ex, e)
			case isCov:
				cov = append(cov, e)
			}
		}
		return cov, ex, nil
	}
	byDate := func(a, b *armstrace.Event) int {
		return cmp.Or(cmp.Compare(best(b), best(a)), cmp.Compare(a.ID, b.ID))
	}
	listed := 0
	for d := startDay; d <= through && listed < o.MaxViolations; d = nextDay(d) {
		if !covDays[d] {
			continue
		}
		cov, _, err := day(d, cf.Covered)
		if err != nil {
			return err
		}
		slices.SortFunc(cov, byDate) // the deadliest first within a day
		for _, e := range cov {
			if listed == o.MaxViolations {
				break
			}
			rep.Violations = append(rep.Violations, violation(ctx, r, e, name, sources, o.IncludeConfidential))
			listed++
		}
	}
	// The covered parties' single-day events, as the tally counts them:
	// not CoveredSince, which holds spread shares of aggregates.
	rep.MoreViolation = max(0, covEvents-listed)
	const maxExcluded = 10
	days := slices.Collect(maps.Keys(exDays))
	slices.SortFunc(days, func(a, b string) int { return cmp.Or(cmp.Compare(exDays[b], exDays[a]), cmp.Compare(a, b)) })
	var top []*armstrace.Event
	for _, d := range days {
		// A day whose total equals the smallest listed can still hold an
		// event that ties with it and comes first by id: read it.
		if len(top) == maxExcluded && best(top[maxExcluded-1]) > exDays[d] {
			break
		}
		_, ex, err := day(d, cf.Excluded)
		if err != nil {
			return err
		}
		top = append(top, ex...)
		slices.SortFunc(top, byDate)
		if len(top) > maxExcluded {
			top = top[:maxExcluded]
		}
	}
	for _, e := range top {
		rep.ExcludedTop = append(rep.ExcludedTop, violation(ctx, r, e, name, sources, o.IncludeConfidential))
	}
	return nil
}

func nextDay(d string) string {
	t, err := time.Parse(dayLayout, d)
	if err != nil {
		return "9999-12-31"
	}
	return t.AddDate(0, 0, 1).Format(dayLayout)
}

func best(e *armstrace.Event) float64 {
	if e.Fatalities.Best != nil {
		return *e.Fatalities.Best
	}
	return 0
}

func violation(ctx context.Context, r Reader, e *armstrace.Event, name func(string) string, sources map[string]*armstrace.Source, conf bool) Violation {
	v := Violation{Event: e.ID, Title: e.Title, Date: string(e.Start), Aggregate: e.Aggregate, Actors: []string{}, Sources: []Cite{}}
	if e.End != e.Start {
		v.Date += " to " + string(e.End)
	}
	place := e.Place
	if !conf {
		place = place.Blurred() // a protected place, for a reader below confidential
	}
	v.Place = strings.Trim(strings.Join([]string{place.Name, place.Admin1, place.Country}, ", "), ", ")
	for _, a := range e.Actors {
		v.Actors = append(v.Actors, name(a.Entity))
	}
	if !e.Fatalities.IsZero() {
		v.Fatalities = e.Fatalities.String()
	}
	for _, c := range e.Citations {
		s, ok := sources[c.Source]
		if !ok {
			s, _ = r.FindSourceByID(ctx, c.Source)
			sources[c.Source] = s
		}
		switch {
		case s == nil:
			v.Sources = append(v.Sources, Cite{Source: c.Source, Title: c.Source, Locator: c.Locator})
		case s.Access == armstrace.AccessConfidential && !conf:
			v.Sources = append(v.Sources, Cite{Source: "withheld", Title: "a confidential source (withheld)", Withheld: true})
		default:
			v.Sources = append(v.Sources, Cite{Source: s.ID, Title: s.Title, Locator: c.Locator})
		}
	}
	return v
}

func set(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// chooseDataset picks the dataset to count: the one asked for, or the one
// with the most events in the days shown, then by name. names are the
// datasets the country has events of.
func chooseDataset(win []armstrace.TallyRow, names []string, want string) (string, []DatasetCount, error) {
	by := map[string]*DatasetCount{}
	for _, name := range names {
		by[name] = &DatasetCount{Name: name}
	}
	for _, r := range win {
		c := by[r.Dataset]
		if c == nil {
			c = &DatasetCount{Name: r.Dataset}
			by[r.Dataset] = c
		}
		c.Shown += r.Events
	}
	var out []DatasetCount
	for _, c := range by {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b DatasetCount) int {
		return cmp.Or(cmp.Compare(b.Shown, a.Shown), cmp.Compare(a.Name, b.Name))
	})
	if len(out) == 0 {
		return "", nil, nil
	}
	chosen := out[0].Name
	if want != "" {
		if by[want] == nil {
			var names []string
			for _, c := range out {
				names = append(names, c.Name)
			}
			return "", nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "dataset", Message: fmt.Sprintf("no events of dataset %q in the country; it has %s", want, strings.Join(names, ", "))}
		}
		chosen = want
	}
	for i := range out {
		out[i].Counted = out[i].Name == chosen
	}
	return chosen, out, nil
}

// breakdown sums single-day rows of one dataset within [from, to] by the
// part of their key at index part (0 type, 1 area) and group, largest
// first.
func breakdown(rows []armstrace.TallyRow, dataset, from, to string, part int) []Breakdown {
	by := map[string]*Breakdown{}
	for _, r := range rows {
		if r.Dataset != dataset || r.Aggregate || r.Start != r.End || string(r.Start) < from || string(r.Start) > to {
			continue
		}
		key := ""
		if parts := strings.Split(r.Key, armstrace.TallyKeySep); part < len(parts) {
			key = parts[part]
		}
		key = cmp.Or(key, "(not given)")
		b := by[key]
		if b == nil {
			b = &Breakdown{Key: key}
			by[key] = b
		}
		c := Counts{Events: float64(r.Events), Low: r.Low, Best: r.Best, High: r.High}
		b.All.add(c)
		switch cmp.Or(r.Group, GroupOther) {
		case GroupCovered:
			b.Covered.add(c)
		case GroupExcluded:
			b.Excluded.add(c)
		default:
			b.Other.add(c)
		}
	}
	out := make([]Breakdown, 0, len(by))
	for _, b := range by {
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b Breakdown) int {
		return cmp.Or(cmp.Compare(b.All.Best, a.All.Best), cmp.Compare(b.All.Events, a.All.Events), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// datasetCounted is the dataset the report counts.
func (r *Report) datasetCounted() string {
	for _, d := range r.Datasets {
		if d.Counted {
			return d.Name
		}
	}
	return ""
}

// datasetName says what a dataset prefix stands for, where it is known.
func datasetName(prefix string) string {
	switch prefix {
	case "ucdp-ged":
		return "UCDP GED"
	case "acled":
		return "ACLED"
	case "evt":
		return "records written by hand or imported in the native format"
	}
	return "dataset " + prefix
}
