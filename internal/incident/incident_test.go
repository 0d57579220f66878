package incident

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
)

// ev builds a one-day report placed exactly, of the dataset its id names.
func ev(id, day, typ string, lat, lon float64, admin2 string, best float64, actors ...string) *armstrace.Event {
	e := &armstrace.Event{
		ID: id, Title: id, Type: typ, Start: armstrace.Date(day), End: armstrace.Date(day),
		Precision: armstrace.PrecisionDay,
		Place: armstrace.Place{Country: "SY", Admin1: "Homs", Admin2: admin2, Lat: armstrace.Num(lat), Lon: armstrace.Num(lon),
			Precision: armstrace.GeoExact},
		Fatalities:  armstrace.Range{Low: armstrace.Num(best), Best: armstrace.Num(best), High: armstrace.Num(best), Unit: "people"},
		ExternalIDs: []string{id},
	}
	for _, a := range actors {
		e.Actors = append(e.Actors, armstrace.EventActor{Entity: a, Role: armstrace.RoleParty})
	}
	return e
}

// Homs and a point about 4.8 km from it, one 30 km away.
const (
	homsLat, homsLon = 34.7324, 36.7137
	nearLat, nearLon = 34.7700, 36.7400
	farLat, farLon   = 34.9800, 36.8500
)

// groups renders the clustering as "a+b|c" with report ids sorted inside
// each incident and incidents in output order.
func groups(incs []Incident) string {
	var parts []string
	for _, in := range incs {
		var ids []string
		for _, r := range in.Reports {
			ids = append(ids, r.Event)
		}
		parts = append(parts, strings.Join(ids, "+"))
	}
	return strings.Join(parts, "|")
}

func TestClusterRules(t *testing.T) {
	ged := func(mod func(e *armstrace.Event)) *armstrace.Event {
		e := ev("ucdp-ged:1", "2012-04-12", "state-based conflict", homsLat, homsLon, "Homs district", 4, "ent:syria", "ucdp-actor:4456")
		if mod != nil {
			mod(e)
		}
		return e
	}
	acled := func(mod func(e *armstrace.Event)) *armstrace.Event {
		e := ev("acled:SYR1", "2012-04-12", "Battles", nearLat, nearLon, "Homs", 6, "ent:syria", "acled-actor:fsa")
		if mod != nil {
			mod(e)
		}
		return e
	}
	for _, tc := range []struct {
		name       string
		a, b       *armstrace.Event
		opts       Options
		joined     bool
		wantReason string
	}{
		{"same day, 4.8 km, battles ~ state-based, shared state", ged(nil), acled(nil), Options{}, true, "same day; 4.8 km apart; same admin-2 area (Homs / Homs district); types Battles ~ state-based conflict; shared actor ent:syria"},
		{"adjacent day", ged(nil), acled(func(e *armstrace.Event) { e.Start, e.End = "2012-04-13", "2012-04-13" }), Options{}, true, "1 day apart"},
		{"two days apart", ged(nil), acled(func(e *armstrace.Event) { e.Start, e.End = "2012-04-14", "2012-04-14" }), Options{}, false, ""},
		{"same dataset never joined", ged(nil), acled(func(e *armstrace.Event) { e.ID, e.ExternalIDs = "ucdp-ged:2", []string{"ucdp-ged:2"} }), Options{}, false, ""},
		{"same dataset joined when allowed", ged(nil), acled(func(e *armstrace.Event) { e.ID, e.ExternalIDs = "ucdp-ged:2", []string{"ucdp-ged:2"} }), Options{MergeWithinDataset: true}, true, "same day"},
		{"dataset from the id without external ids", ged(func(e *armstrace.Event) { e.ExternalIDs = nil }), acled(func(e *armstrace.Event) { e.ID, e.ExternalIDs = "ucdp-ged:2", nil }), Options{}, false, ""},
		{"30 km apart in other districts", ged(nil), acled(func(e *armstrace.Event) {
			e.Place.Lat, e.Place.Lon, e.Place.Admin2 = armstrace.Num(farLat), armstrace.Num(farLon), "Ar Rastan"
		}), Options{}, false, ""},
		{"30 km apart, same district, one only near", ged(func(e *armstrace.Event) { e.Place.Precision = armstrace.GeoNear }), acled(func(e *armstrace.Event) { e.Place.Lat, e.Place.Lon = armstrace.Num(farLat), armstrace.Num(farLon) }), Options{}, true, "same admin-2 area (Homs / Homs district)"},
		{"30 km apart, same district, both exact", ged(nil), acled(func(e *armstrace.Event) { e.Place.Lat, e.Place.Lon = armstrace.Num(farLat), armstrace.Num(farLon) }), Options{}, false, ""},
		{"same district, one without a point", ged(nil), acled(func(e *armstrace.Event) { e.Place.Lat, e.Place.Lon, e.Place.Precision = nil, nil, armstrace.GeoAdmin2 }), Options{}, true, "same day; same admin-2 area"},
		{"within a wider distance", ged(nil), acled(func(e *armstrace.Event) {
			e.Place.Lat, e.Place.Lon, e.Place.Admin2 = armstrace.Num(farLat), armstrace.Num(farLon), "Ar Rastan"
		}), Options{DistanceKM: 40}, true, "km apart"},
		{"near but other district, no precise point", ged(nil), acled(func(e *armstrace.Event) { e.Place.Admin2, e.Place.Precision = "Ar Rastan", armstrace.GeoAdmin1 }), Options{}, false, ""},
		{"4.8 km, other district names", ged(nil), acled(func(e *armstrace.Event) { e.Place.Admin2 = "Talkalakh" }), Options{}, true, "4.8 km apart; types"},
		{"distance rule off", ged(nil), acled(func(e *armstrace.Event) { e.Place.Admin2 = "Talkalakh" }), Options{DistanceKM: -1}, false, ""},
		{"other country", ged(nil), acled(func(e *armstrace.Event) { e.Place.Country = "LB" }), Options{}, false, ""},
		{"violence against civilians ~ one-sided", ged(func(e *armstrace.Event) { e.Type = "one-sided violence" }), acled(func(e *armstrace.Event) { e.Type = "Violence against civilians" }), Options{}, true, "types Violence against civilians ~ one-sided violence"},
		{"battles is not one-sided", ged(func(e *armstrace.Event) { e.Type = "one-sided violence" }), acled(nil), Options{}, false, ""},
		{"protests have no GED type", ged(nil), acled(func(e *armstrace.Event) { e.Type = "Protests" }), Options{}, false, ""},
		{"unknown types only with themselves", ged(func(e *armstrace.Event) { e.Type = "abduction" }), acled(func(e *armstrace.Event) { e.Type = "Abduction" }), Options{}, true, "both Abduction"},
		{"no shared actor", ged(nil), acled(func(e *armstrace.Event) {
			e.Actors = []armstrace.EventActor{{Entity: "acled-actor:isis", Role: armstrace.RoleParty}}
		}), Options{}, false, ""},
		{"shared actor through an alias", ged(nil), acled(func(e *armstrace.Event) {
			e.Actors = []armstrace.EventActor{{Entity: "acled-actor:military-forces-of-syria", Role: armstrace.RoleParty}}
		}), Options{ActorAliases: map[string]string{"acled-actor:military-forces-of-syria": "ent:syria"}}, true, "shared actor ent:syria"},
		{"one side names no actor", ged(nil), acled(func(e *armstrace.Event) { e.Actors = nil }), Options{}, true, "acled:SYR1 names no actor"},
		{"aggregate passes through", ged(nil), acled(func(e *armstrace.Event) { e.Aggregate = true }), Options{}, false, ""},
		{"week precision passes through", ged(nil), acled(func(e *armstrace.Event) {
			e.Precision, e.Start, e.End = armstrace.PrecisionWeek, "2012-04-09", "2012-04-15"
		}), Options{}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			incs := Cluster([]*armstrace.Event{tc.a, tc.b}, tc.opts)
			if tc.joined != (len(incs) == 1) {
				t.Fatalf("joined = %v, want %v: %s", len(incs) == 1, tc.joined, groups(incs))
			}
			if !tc.joined {
				return
			}
			in := incs[0]
			if len(in.Links) != 1 || !strings.Contains(in.Links[0].Reason, tc.wantReason) {
				t.Fatalf("links %+v; want a reason with %q", in.Links, tc.wantReason)
			}
			if in.Unclustered != "" {
				t.Errorf("a joined incident is flagged unclustered: %s", in.Unclustered)
			}
		})
	}
}

func TestIncidentFigures(t *testing.T) {
	a := ev("ucdp-ged:1", "2012-04-12", "state-based conflict", homsLat, homsLon, "Homs district", 4, "ent:syria")
	a.Fatalities = armstrace.Range{Low: armstrace.Num(3), Best: armstrace.Num(4), High: armstrace.Num(9), Unit: "people"}
	a.Place.Precision = armstrace.GeoNear
	b := ev("acled:SYR1", "2012-04-13", "Battles", nearLat, nearLon, "Homs", 6, "ent:syria", "acled-actor:fsa")
	b.Fatalities = armstrace.Range{Best: armstrace.Num(6), Unit: "people"}
	c := ev("vdc:77", "2012-04-12", "battle", homsLat, homsLon, "Homs", 0)
	c.Fatalities = armstrace.Range{Low: armstrace.Num(2), Best: armstrace.Num(5), Unit: "people"}
	incs := Cluster([]*armstrace.Event{a, b, c}, Options{})
	if len(incs) != 1 {
		t.Fatalf("want one incident, got %s", groups(incs))
	}
	in := incs[0]
	if got := groups(incs); got != "acled:SYR1+ucdp-ged:1+vdc:77" {
		t.Errorf("reports %s", got)
	}
	if !reflect.DeepEqual(in.Datasets, []string{"acled", "ucdp-ged", "vdc"}) {
		t.Errorf("datasets %v", in.Datasets)
	}
	if in.Start != "2012-04-12" || in.End != "2012-04-13" {
		t.Errorf("dates %s..%s", in.Start, in.End)
	}
	// Low 2 (vdc), high 9 (GED), best the median of 4, 5, 6.
	f := in.Fatalities
	if *f.Low != 2 || *f.Best != 5 || *f.High != 9 || f.Unit != "people" {
		t.Errorf("fatalities %s", f)
	}
	// The exact place of the ACLED report beats GED's "near".
	if in.Place.Admin2 != "Homs" || *in.Place.Lat != nearLat || in.Place.Precision != armstrace.GeoExact {
		t.Errorf("place %+v", in.Place)
	}
	if len(in.Actors) != 2 || in.Actors[0].Entity != "acled-actor:fsa" || in.Actors[1].Entity != "ent:syria" {
		t.Errorf("actors %+v", in.Actors)
	}
	if len(in.Links) != 3 {
		t.Errorf("every pair explained: %d links", len(in.Links))
	}
	if !strings.HasPrefix(in.ID, "inc:") || len(in.ID) != 20 {
		t.Errorf("id %q", in.ID)
	}
	// The id depends on the reports only.
	if again := Cluster([]*armstrace.Event{c, b, a}, Options{DistanceKM: 12}); again[0].ID != in.ID {
		t.Errorf("id changed: %s, %s", again[0].ID, in.ID)
	}
}

func TestMergeBestIsTheLowerMedian(t *testing.T) {
	r := Merge([]armstrace.Range{{Best: armstrace.Num(4)}, {Best: armstrace.Num(10)}, {}})
	if *r.Low != 4 || *r.Best != 4 || *r.High != 10 {
		t.Fatalf("%s", r)
	}
	if z := Merge([]armstrace.Range{{}, {}}); !z.IsZero() {
		t.Fatalf("no figures must give none: %s", z)
	}
}

// TestNoChaining: A on the 12th, B on the 13th, C on the 14th, each pair
// of neighbours compatible. Single-linkage would make one incident of
// all three; A and C are two days apart and must not share one.
func TestNoChaining(t *testing.T) {
	a := ev("ucdp-ged:1", "2012-04-12", "state-based conflict", homsLat, homsLon, "Homs", 4, "ent:syria")
	b := ev("acled:SYR1", "2012-04-13", "Battles", homsLat, homsLon, "Homs", 5, "ent:syria")
	c := ev("vdc:1", "2012-04-14", "battle", homsLat, homsLon, "Homs", 6, "ent:syria")
	for _, order := range [][]*armstrace.Event{{a, b, c}, {c, b, a}, {b, c, a}} {
		incs := Cluster(order, Options{})
		if len(incs) != 2 {
			t.Fatalf("want two incidents, got %s", groups(incs))
		}
		for _, in := range incs {
			ids := groups([]Incident{in})
			if strings.Contains(ids, "ucdp-ged:1") && strings.Contains(ids, "vdc:1") {
				t.Fatalf("chained: %s", ids)
			}
		}
	}
	// In space too: three points 7 km apart in a line, no admin-2 area.
	p := func(id string, lon float64) *armstrace.Event {
		return ev(id, "2012-04-12", "Battles", homsLat, lon, "", 1, "ent:syria")
	}
	incs := Cluster([]*armstrace.Event{p("ucdp-ged:1", 36.70), p("acled:A", 36.777), p("vdc:1", 36.854)}, Options{})
	if len(incs) != 2 {
		t.Fatalf("want two incidents, got %s", groups(incs))
	}
}

// TestNearestCandidateWins: two ACLED reports, 7 km and 1 km away, fit one
// GED report; the nearer one joins it and the other stays alone.
func TestNearestCandidateWins(t *testing.T) {
	g := ev("ucdp-ged:1", "2012-04-12", "state-based conflict", homsLat, homsLon, "", 4, "ent:syria")
	near := ev("acled:B", "2012-04-12", "Battles", homsLat, homsLon+0.01, "", 4, "ent:syria")
	far := ev("acled:A", "2012-04-12", "Battles", homsLat, homsLon+0.08, "", 4, "ent:syria")
	// The ACLED ids sort first, so each starts an incident and the GED
	// report chooses between them.
	incs := Cluster([]*armstrace.Event{g, near, far}, Options{})
	got := groups(incs)
	if !strings.Contains(got, "acled:B+ucdp-ged:1") {
		t.Fatalf("the nearer report must join: %s", got)
	}
}

func TestUnclusteredPassThrough(t *testing.T) {
	agg := ev("ucdp-ged:9", "2012-04-01", "state-based conflict", homsLat, homsLon, "Homs", 16, "ent:syria")
	agg.Aggregate, agg.End, agg.Precision = true, "2012-04-30", armstrace.PrecisionMonth
	week := ev("acled:W", "2012-04-09", "Battles", homsLat, homsLon, "Homs", 2, "ent:syria")
	week.Precision, week.End = armstrace.PrecisionWeek, "2012-04-15"
	nowhere := ev("acled:N", "2012-04-12", "Battles", 0, 0, "", 1, "ent:syria")
	nowhere.Place = armstrace.Place{Country: "SY", Admin1: "Homs", Precision: armstrace.GeoAdmin1}
	day := ev("acled:D", "2012-04-12", "Battles", homsLat, homsLon, "Homs", 3, "ent:syria")
	incs := Cluster([]*armstrace.Event{agg, week, nowhere, day}, Options{})
	if len(incs) != 4 {
		t.Fatalf("want four incidents, got %s", groups(incs))
	}
	flags := map[string]string{}
	for _, in := range incs {
		flags[in.Reports[0].Event] = in.Unclustered
	}
	for id, want := range map[string]string{"ucdp-ged:9": "aggregate", "acled:W": "precision week", "acled:N": "no admin-2 area", "acled:D": ""} {
		if got := flags[id]; want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("%s: unclustered %q, want %q", id, got, want)
		}
	}
	// Date order.
	if incs[0].Reports[0].Event != "ucdp-ged:9" || incs[3].Start != "2012-04-12" {
		t.Errorf("order: %s", groups(incs))
	}
}

// TestTotalCountsAClusteredIncidentOnce: GED says 4 (3–9), ACLED 6, about
// one attack, and an unrelated attack has 10. The total is 3–19 with best
// 14: the attack once, its best the lower median 4, never 4 + 6.
func TestTotalCountsAClusteredIncidentOnce(t *testing.T) {
	a := ev("ucdp-ged:1", "2012-04-12", "state-based conflict", homsLat, homsLon, "Homs", 4, "ent:syria")
	a.Fatalities.Low, a.Fatalities.High = armstrace.Num(3), armstrace.Num(9)
	b := ev("acled:SYR1", "2012-04-12", "Battles", nearLat, nearLon, "Homs", 6, "ent:syria")
	other := ev("acled:SYR2", "2012-04-20", "Battles", farLat, farLon, "Ar Rastan", 10, "ent:syria")
	events := []*armstrace.Event{a, b, other}
	incs := Cluster(events, Options{})
	if len(incs) != 2 {
		t.Fatalf("want two incidents, got %s", groups(incs))
	}
	tot := Total(incs)
	if *tot.Low != 13 || *tot.Best != 14 || *tot.High != 19 {
		t.Fatalf("total %s, want 14 (13–19)", tot)
	}
	// The sum of the reports would count the attack twice.
	var naive float64
	for _, e := range events {
		naive += *e.Fatalities.Best
	}
	if naive == *tot.Best {
		t.Fatalf("the total equals the naive sum %v", naive)
	}
	if tot.Unit != "people" {
		t.Errorf("unit %q", tot.Unit)
	}
	if z := Total(nil); !z.IsZero() {
		t.Errorf("no incidents: %s", z)
	}
}

// TestDeterministicUnderShuffles clusters a generated day of reports in
// many orders and wants the same incidents each time.
func TestDeterministicUnderShuffles(t *testing.T) {
	events := Synthetic(2000, 20, 7)
	want := Cluster(events, Options{})
	multi := 0
	for _, in := range want {
		if in.MultiSource() {
			multi++
		}
	}
	if multi == 0 || multi == len(want) {
		t.Fatalf("the generated reports should give some multi-source incidents and some not: %d of %d", multi, len(want))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		shuffled := append([]*armstrace.Event(nil), events...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := Cluster(shuffled, Options{}); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffle %d gave other incidents:\n%s\nwant\n%s", i, groups(got)[:200], groups(want)[:200])
		}
	}
}

// TestCompleteLinkage checks, on generated data, that every pair of
// reports in an incident is compatible and that every report is in one
// incident.
func TestCompleteLinkage(t *testing.T) {
	events := Synthetic(5000, 30, 3)
	incs := Cluster(events, Options{})
	byID := map[string]*armstrace.Event{}
	for _, e := range events {
		byID[e.ID] = e
	}
	seen := map[string]bool{}
	for _, in := range incs {
		for i, r := range in.Reports {
			if seen[r.Event] {
				t.Fatalf("%s is in two incidents", r.Event)
			}
			seen[r.Event] = true
			for _, o := range in.Reports[:i] {
				if _, ok := compatible(prepare(byID[r.Event], Options{}), prepare(byID[o.Event], Options{}), Options{}); !ok {
					t.Fatalf("%s: %s and %s are not compatible", in.ID, r.Event, o.Event)
				}
			}
		}
		if n := len(in.Reports); n > 1 && len(in.Links) != n*(n-1)/2 {
			t.Fatalf("%s: %d links for %d reports", in.ID, len(in.Links), n)
		}
	}
	if len(seen) != len(events) {
		t.Fatalf("%d of %d reports in incidents", len(seen), len(events))
	}
}

func TestAreaKey(t *testing.T) {
	for in, want := range map[string]string{
		"Ar Rastan district": "arrastan", "Ar-Rastan": "arrastan", "Homs Governorate": "homs", "Deir ez-Zor": "deirezzor", "": "",
	} {
		if got := areaKey(in); got != want {
			t.Errorf("areaKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBlurProtectedPlaces blurs the protected places of clustered
// incidents and of their reports, and leaves the others as they are.
func TestBlurProtectedPlaces(t *testing.T) {
	ev := func(id, name string, protected bool) *armstrace.Event {
		return &armstrace.Event{ID: id, Title: "Strike", Type: "battle", Start: "2012-02-06", End: "2012-02-06", Precision: armstrace.PrecisionDay,
			Place: armstrace.Place{Name: name, Admin2: "Homs district", Admin1: "Homs", Country: "SY", Lat: armstrace.Num(34.7213), Lon: armstrace.Num(36.6862), Precision: armstrace.GeoExact, Protected: protected}}
	}
	events := []*armstrace.Event{ev("a:1", "Al-Amal shelter", true), ev("b:1", "Bab Amr", false)}
	ins := Cluster(events, Options{})
	Blur(ins, events)
	for _, in := range ins {
		for _, r := range in.Reports {
			if strings.Contains(r.Place, "Al-Amal") {
				t.Errorf("a report shows the protected place: %+v", r)
			}
		}
		if strings.Contains(in.Place.Name, "Al-Amal") || in.Place.Protected && *in.Place.Lat != 34.7 {
			t.Errorf("an incident shows the protected place: %+v", in.Place)
		}
	}
	var bab bool
	for _, in := range ins {
		for _, r := range in.Reports {
			bab = bab || strings.Contains(r.Place, "Bab Amr")
		}
	}
	if !bab {
		t.Error("the unprotected place was blurred too")
	}
}
