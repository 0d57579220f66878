package ceasefire_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ceasefire"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

var ctx = armstrace.WithActor(context.Background(), "test")

// land builds a country (RT) where a ceasefire starts on 2020-03-01
// between the army and the rebels, excluding the Black Front. Every day
// of February the army and the rebels fight (10 deaths a day in dataset
// "ged", the same incidents again in "acled"); from 1 March they kill 2 a
// day, with a flare of 30 on 10 March; the Black Front kills 5 a day all
// along; a monthly total of 300 over March is an aggregate.
func land(t testing.TB, s *store.Store) {
	t.Helper()
	put := func(r armstrace.Record) {
		t.Helper()
		if _, err := s.Put(ctx, r); err != nil {
			t.Fatalf("%s: %v", r.RecordID(), err)
		}
	}
	put(&armstrace.Source{ID: "src:t", Kind: armstrace.SourceDataset, Title: "Field counts"})
	cite := []armstrace.Citation{{Source: "src:t", Locator: "row"}}
	for _, e := range []struct{ id, name string }{{"ent:army", "Army"}, {"ent:rebels", "Rebels"}, {"ent:front", "Black Front"}} {
		put(&armstrace.Entity{ID: e.id, Name: e.name, Kind: armstrace.EntityArmedGroup, Country: "RT", Citations: cite})
	}
	put(&armstrace.Ceasefire{ID: "cf:rt", Name: "Ruritanian truce", Start: "2020-03-01", Country: "RT",
		Covered: []string{"ent:army", "ent:rebels"}, Excluded: []string{"ent:front"}, Citations: cite})
	ev := func(id, start, end string, agg bool, deaths float64, actors ...string) {
		t.Helper()
		e := &armstrace.Event{ID: id, Title: "Clash " + id, Type: "battle", Start: armstrace.Date(start), End: armstrace.Date(end), Precision: armstrace.PrecisionDay,
			Aggregate: agg, Place: armstrace.Place{Name: "Streslau", Country: "RT", Precision: armstrace.GeoNear},
			Fatalities: armstrace.Range{Best: armstrace.Num(deaths)}, Citations: cite}
		for _, a := range actors {
			e.Actors = append(e.Actors, armstrace.EventActor{Entity: a, Role: armstrace.RoleParty})
		}
		put(e)
	}
	for d := 1; d <= 29; d++ {
		day := fmt.Sprintf("2020-02-%02d", d)
		ev(fmt.Sprintf("ged:f%d", d), day, day, false, 10, "ent:army", "ent:rebels")
		ev(fmt.Sprintf("acled:f%d", d), day, day, false, 10, "ent:army", "ent:rebels")
		ev(fmt.Sprintf("ged:b%d", d), day, day, false, 5, "ent:front", "ent:army")
	}
	for d := 1; d <= 31; d++ {
		day := fmt.Sprintf("2020-03-%02d", d)
		n := 2.0
		if d == 10 {
			n = 30
		}
		ev(fmt.Sprintf("ged:m%d", d), day, day, false, n, "ent:army", "ent:rebels")
		ev(fmt.Sprintf("ged:c%d", d), day, day, false, 5, "ent:front")
	}
	ev("ged:month", "2020-03-01", "2020-03-31", true, 310, "ent:army", "ent:rebels")
}

func TestReportFromEvents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		land(t, s)
		rep, err := ceasefire.Build(ctx, s, "Ruritanian truce", ceasefire.Options{Windows: []int{7, 14}, Around: 21})
		if err != nil {
			t.Fatal(err)
		}
		// One dataset, the bigger: the ACLED copy of February is not added.
		if !strings.Contains(rep.Source, "ged") || len(rep.Datasets) != 2 || !rep.Datasets[0].Counted || rep.Datasets[0].Name != "ged" {
			t.Fatalf("datasets: %s %+v", rep.Source, rep.Datasets)
		}
		w7 := rep.Windows[0]
		// Before: 10 (covered) + 5 (front) a day; after: 2 + 5, but 30 + 5 on
		// 10 March, which is day 9 and outside the 7-day window.
		if w7.BeforeMean != 15 || w7.AfterMean != 7 || *w7.CoveredBefore != 10 || *w7.CoveredAfter != 2 || !w7.Complete {
			t.Errorf("7-day window: %+v", w7)
		}
		if want := 7.0 / 15; math.Abs(w7.RateRatio-want) > 0.001 || w7.CILow >= w7.RateRatio || w7.CIHigh <= w7.RateRatio {
			t.Errorf("rate ratio %.3f (%.3f–%.3f), want %.3f inside its interval", w7.RateRatio, w7.CILow, w7.CIHigh, want)
		}
		// The flare on 10 March breaks the covered parties' pattern.
		if rep.FirstBreak == nil || rep.FirstBreak.Day != "2020-03-10" || rep.FirstBreak.Value != 30 {
			t.Errorf("first break: %+v", rep.FirstBreak)
		}
		// Up to the start: February's 29 days of 15; since: 21 days shown.
		if rep.Cumulative.UpToStart.Best != 29*15 {
			t.Errorf("up to the start: %+v", rep.Cumulative.UpToStart)
		}
		if rep.Cumulative.Through != "2020-03-21" || rep.Cumulative.SinceStart.Best != 21*7+28 {
			t.Errorf("since the start: %s %+v", rep.Cumulative.Through, rep.Cumulative.SinceStart)
		}
		// Covered and excluded apart: the Black Front's killing is never a
		// violation, and an event with both is the excluded parties'.
		if rep.ExcludedSince.Best != 21*5 || rep.CoveredSince.Best != 21*2+28 {
			t.Errorf("covered %+v, excluded %+v", rep.CoveredSince, rep.ExcludedSince)
		}
		// By type and area: one type, no area given; the same totals.
		if len(rep.SinceByType) != 1 || rep.SinceByType[0].Key != "battle" || rep.SinceByType[0].All.Best != rep.Cumulative.SinceStart.Best ||
			rep.SinceByType[0].Covered.Best != rep.CoveredSince.Best || rep.SinceByType[0].Excluded.Best != rep.ExcludedSince.Best {
			t.Errorf("since by type: %+v", rep.SinceByType)
		}
		if len(rep.SinceByArea) != 1 || rep.SinceByArea[0].Key != "(not given)" {
			t.Errorf("since by area: %+v", rep.SinceByArea)
		}
		for _, v := range rep.Violations {
			if strings.Contains(strings.Join(v.Actors, ","), "Black Front") || v.Aggregate {
				t.Errorf("not a violation: %+v", v)
			}
		}
		if len(rep.Violations) != 21 || len(rep.ExcludedTop) == 0 || rep.Violations[0].Date != "2020-03-01" {
			t.Errorf("%d violations (first %+v), %d excluded events", len(rep.Violations), rep.Violations[0], len(rep.ExcludedTop))
		}
		// The monthly total is left out and said to be; spread, it adds 10 a
		// day to March.
		if rep.Aggregates == nil || rep.Aggregates.Mode != ceasefire.AggregatesExclude || rep.Aggregates.Events != 1 {
			t.Fatalf("aggregates: %+v", rep.Aggregates)
		}
		spread, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Aggregates: ceasefire.AggregatesSpread})
		if err != nil {
			t.Fatal(err)
		}
		if spread.Windows[0].AfterMean != 17 || spread.Cumulative.SinceStart.Best != rep.Cumulative.SinceStart.Best+21*10 {
			t.Errorf("spread: after %.1f, since %.1f", spread.Windows[0].AfterMean, spread.Cumulative.SinceStart.Best)
		}
		// Violations are single-day events: the spread monthly total adds
		// none, listed or counted as more.
		if len(spread.Violations) != 21 || spread.MoreViolation != 0 {
			t.Errorf("spread: %d violations, %d more", len(spread.Violations), spread.MoreViolation)
		}
		five, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Aggregates: ceasefire.AggregatesSpread, MaxViolations: 5})
		if err != nil || len(five.Violations) != 5 || five.MoreViolation != 16 {
			t.Errorf("five listed: %d, %d more (%v)", len(five.Violations), five.MoreViolation, err)
		}
		if spread.Aggregates.Total != rep.Aggregates.TotalIf || spread.Aggregates.TotalIf != rep.Aggregates.Total {
			t.Errorf("the modes do not mirror: %+v %+v", rep.Aggregates, spread.Aggregates)
		}
		// The excluded parties' largest event is found however many days
		// hold smaller ones: a day's total bounds its events.
		if _, err := s.Put(ctx, &armstrace.Event{ID: "ged:big", Title: "Massacre", Type: "one-sided", Start: "2020-03-15", End: "2020-03-15", Precision: armstrace.PrecisionDay,
			Place: armstrace.Place{Country: "RT", Precision: armstrace.GeoCountry}, Actors: []armstrace.EventActor{{Entity: "ent:front", Role: armstrace.RolePerpetrator}},
			Fatalities: armstrace.Range{Best: armstrace.Num(40)}, Citations: []armstrace.Citation{{Source: "src:t"}}}); err != nil {
			t.Fatal(err)
		}
		withBig, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21})
		if err != nil {
			t.Fatal(err)
		}
		if len(withBig.ExcludedTop) != 10 || withBig.ExcludedTop[0].Event != "ged:big" || withBig.MoreViolation != 0 || len(withBig.Violations) != 21 {
			t.Errorf("excluded activity %d, first %+v; violations %d, %d more", len(withBig.ExcludedTop), withBig.ExcludedTop[0], len(withBig.Violations), withBig.MoreViolation)
		}
		// Ties with the smallest listed are read, and ordered by id: the
		// ten largest are the massacre and the first nine ids of 5 deaths.
		var top []string
		for _, v := range withBig.ExcludedTop {
			top = append(top, strings.TrimPrefix(v.Event, "ged:"))
		}
		if got := strings.Join(top, " "); got != "big c1 c10 c11 c12 c13 c14 c15 c16 c17" {
			t.Errorf("excluded activity: %s", got)
		}
		// Another dataset, by choice.
		acled, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Dataset: "acled"})
		if err != nil || acled.Windows[0].BeforeMean != 10 || acled.Windows[0].AfterMean != 0 {
			t.Errorf("acled only: %+v %v", acled.Windows, err)
		}
		if _, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Dataset: "nope"}); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("unknown dataset: %v", err)
		}
		// A second monthly total, spread: its shares and the first's add
		// more than one event to the covered count, and still no violation.
		if _, err := s.Put(ctx, &armstrace.Event{ID: "ged:month2", Title: "Monthly total", Type: "battle", Start: "2020-03-01", End: "2020-03-31", Precision: armstrace.PrecisionDay,
			Aggregate: true, Place: armstrace.Place{Country: "RT", Precision: armstrace.GeoCountry}, Actors: []armstrace.EventActor{{Entity: "ent:army", Role: armstrace.RoleParty}},
			Fatalities: armstrace.Range{Best: armstrace.Num(31)}, Citations: []armstrace.Citation{{Source: "src:t"}}}); err != nil {
			t.Fatal(err)
		}
		two, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Aggregates: ceasefire.AggregatesSpread})
		if err != nil || two.CoveredSince.Events < 22 || len(two.Violations) != 21 || two.MoreViolation != 0 {
			t.Errorf("two spread totals: covered %+v, %d violations, %d more (%v)", two.CoveredSince, len(two.Violations), two.MoreViolation, err)
		}
	})
}

func TestBuildErrors(t *testing.T) {
	s := storetest.OpenSQLite(t)
	land(t, s)
	for name, tc := range map[string]struct {
		q    string
		o    ceasefire.Options
		code string
	}{
		"unknown":      {"cf:none", ceasefire.Options{}, armstrace.ENOTFOUND},
		"window":       {"cf:rt", ceasefire.Options{Windows: []int{0}}, armstrace.EINVALID},
		"aggregates":   {"cf:rt", ceasefire.Options{Aggregates: "guess"}, armstrace.EINVALID},
		"series":       {"cf:rt", ceasefire.Options{Series: "vdc:none"}, armstrace.ENOTFOUND},
		"name is case": {"ruritanian TRUCE", ceasefire.Options{}, ""},
	} {
		_, err := ceasefire.Build(ctx, s, tc.q, tc.o)
		if armstrace.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
}

// TestReportForALowerRole: events known only from a restricted source are
// neither counted nor listed for a reader of public sources, and the
// dataset they alone come from is not named.
func TestReportForALowerRole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		land(t, s)
		if _, err := s.Put(ctx, &armstrace.Source{ID: "src:monitor", Kind: armstrace.SourceDocument, Title: "Monitor's notes", Access: armstrace.AccessRestricted}); err != nil {
			t.Fatal(err)
		}
		for d := 1; d <= 5; d++ {
			day := fmt.Sprintf("2020-03-%02d", d)
			if _, err := s.Put(ctx, &armstrace.Event{ID: fmt.Sprintf("mon:%d", d), Title: "Monitored clash", Type: "battle", Start: armstrace.Date(day), End: armstrace.Date(day), Precision: armstrace.PrecisionDay,
				Place: armstrace.Place{Country: "RT", Precision: armstrace.GeoCountry}, Actors: []armstrace.EventActor{{Entity: "ent:army", Role: armstrace.RoleParty}},
				Fatalities: armstrace.Range{Best: armstrace.Num(100)}, Citations: []armstrace.Citation{{Source: "src:monitor"}}}); err != nil {
				t.Fatal(err)
			}
		}
		all, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Dataset: "mon"})
		if err != nil || all.Cumulative.SinceStart.Best != 500 {
			t.Fatalf("the monitor's events, for a reader of all: %+v %v", all.Cumulative.SinceStart, err)
		}
		pub := []armstrace.Access{armstrace.AccessPublic}
		if _, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Dataset: "mon", Access: pub}); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("the monitor's dataset for a public reader: %v", err)
		}
		rep, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Access: pub})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range rep.Datasets {
			if d.Name == "mon" {
				t.Errorf("the public report names the monitor's dataset: %+v", rep.Datasets)
			}
		}
		base, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Dataset: "ged"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Cumulative.SinceStart.Best != base.Cumulative.SinceStart.Best {
			t.Errorf("public report since the start: %v, the public dataset alone %v", rep.Cumulative.SinceStart.Best, base.Cumulative.SinceStart.Best)
		}
	})
}

// TestProtectedPlaceInViolations blurs a protected place among the
// violations of a report made without confidential sources, and keeps it
// whole in one made with them.
func TestProtectedPlaceInViolations(t *testing.T) {
	s := storetest.OpenSQLite(t)
	land(t, s)
	if _, err := s.Put(ctx, &armstrace.Event{ID: "ged:shelter", Title: "Strike near a shelter", Type: "battle", Start: "2020-03-03", End: "2020-03-03", Precision: armstrace.PrecisionDay,
		Place:  armstrace.Place{Name: "Al-Amal shelter", Admin2: "Capital district", Admin1: "Capital", Country: "RT", Lat: armstrace.Num(10.1234), Lon: armstrace.Num(20.5678), Precision: armstrace.GeoExact, Protected: true},
		Actors: []armstrace.EventActor{{Entity: "ent:army", Role: armstrace.RoleParty}}, Fatalities: armstrace.Range{Best: armstrace.Num(3)},
		Citations: []armstrace.Citation{{Source: "src:t"}}}); err != nil {
		t.Fatal(err)
	}
	place := func(conf bool) string {
		t.Helper()
		rep, err := ceasefire.Build(ctx, s, "cf:rt", ceasefire.Options{Windows: []int{7}, Around: 21, Dataset: "ged", IncludeConfidential: conf})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range rep.Violations {
			if v.Event == "ged:shelter" {
				return v.Place
			}
		}
		t.Fatalf("the strike is not among the violations")
		return ""
	}
	if got := place(false); strings.Contains(got, "Amal") || !strings.Contains(got, "Capital district") {
		t.Errorf("without confidential sources: %q", got)
	}
	if got := place(true); !strings.Contains(got, "Al-Amal shelter") {
		t.Errorf("with confidential sources: %q", got)
	}
}
