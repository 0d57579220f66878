package store_test

import (
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
	"github.com/google/go-cmp/cmp"
)

func TestTallyEvents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s) // evt:homs, 2012-02-04, ent:saa perpetrator, 200/217/260
		if err := s.CreateEntity(ctx, entity("ent:is", "IS", armstrace.EntityArmedGroup)); err != nil {
			t.Fatal(err)
		}
		ev := func(id, start, end string, agg bool, actor string, best float64) {
			t.Helper()
			e := &armstrace.Event{ID: id, Title: id, Type: "battle", Start: armstrace.Date(start), End: armstrace.Date(end), Precision: armstrace.PrecisionDay, Aggregate: agg,
				Place: armstrace.Place{Country: "SY", Precision: armstrace.GeoCountry}, Fatalities: armstrace.Range{Best: armstrace.Num(best)},
				Citations: []armstrace.Citation{{Source: "src:a"}}}
			if actor != "" {
				e.Actors = []armstrace.EventActor{{Entity: actor, Role: armstrace.RoleParty}}
			}
			if err := s.CreateEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		ev("evt:a", "2012-02-04", "2012-02-04", false, "ent:is", 5)
		ev("evt:b", "2012-02-04", "2012-02-04", false, "", 1)
		ev("evt:c", "2012-02-01", "2012-02-29", true, "ent:saa", 290)
		ev("evt:d", "2012-05-01", "2012-05-01", false, "ent:saa", 3) // outside the period
		ev("acled:SYR1", "2012-02-04", "2012-02-04", false, "ent:is", 7)
		rows, err := s.TallyEvents(ctx, armstrace.TallyQuery{Country: "SY", Since: "2012-02", Until: "2012-03",
			Groups: []armstrace.TallyGroup{{Name: "excluded", Entities: []string{"ent:is"}}, {Name: "covered", Entities: []string{"ent:saa", "ent:roe"}}}})
		if err != nil {
			t.Fatal(err)
		}
		want := []armstrace.TallyRow{
			{Start: "2012-02-01", End: "2012-02-29", Aggregate: true, Group: "covered", Dataset: "evt", Events: 1, Low: 290, Best: 290, High: 290},
			{Start: "2012-02-04", End: "2012-02-04", Group: "", Dataset: "evt", Events: 1, Low: 1, Best: 1, High: 1},
			{Start: "2012-02-04", End: "2012-02-04", Group: "covered", Dataset: "evt", Events: 1, Low: 200, Best: 217, High: 260},
			{Start: "2012-02-04", End: "2012-02-04", Group: "excluded", Dataset: "acled", Events: 1, Low: 7, Best: 7, High: 7},
			{Start: "2012-02-04", End: "2012-02-04", Group: "excluded", Dataset: "evt", Events: 1, Low: 5, Best: 5, High: 5},
		}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("tally (-want +got):\n%s", diff)
		}
		// Split by type.
		byType, err := s.TallyEvents(ctx, armstrace.TallyQuery{Country: "SY", Since: "2012-02-04", Until: "2012-02-04", By: "type"})
		if err != nil {
			t.Fatal(err)
		}
		types := map[string]int{}
		for _, r := range byType {
			types[r.Key] += r.Events
		}
		if types["battle"] != 4 || types["violence against civilians"] != 1 {
			t.Errorf("by type: %v", types)
		}
		both, err := s.TallyEvents(ctx, armstrace.TallyQuery{Country: "SY", Since: "2012-02-04", Until: "2012-02-04", By: "type,admin1"})
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, r := range both {
			keys[r.Key] = true
		}
		if !keys["violence against civilians"+armstrace.TallyKeySep] || !keys["battle"+armstrace.TallyKeySep] {
			t.Errorf("by type and area: %v", keys)
		}
		dyads, err := s.TallyEvents(ctx, armstrace.TallyQuery{Country: "SY", Since: "2012-02-04", Until: "2012-02-04", By: "type,actors"})
		if err != nil {
			t.Fatal(err)
		}
		byDyad := map[string]int{}
		for _, r := range dyads {
			byDyad[r.Key] += r.Events
		}
		if byDyad["battle"+armstrace.TallyKeySep+"ent:is"] != 2 || byDyad["battle"+armstrace.TallyKeySep] != 1 || byDyad["violence against civilians"+armstrace.TallyKeySep+"ent:saa"] != 1 {
			t.Errorf("by type and actors: %v", byDyad)
		}
		if _, err := s.TallyEvents(ctx, armstrace.TallyQuery{Country: "SY", By: "doc"}); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("by an unknown column: %v", err)
		}
		// Datasets, by seeking along the key, and a tally of one.
		ds, err := s.EventDatasets(ctx, "SY")
		if err != nil || strings.Join(ds, ",") != "acled,evt" {
			t.Errorf("datasets: %v %v", ds, err)
		}
		if ds, err := s.EventDatasets(ctx, "RU"); err != nil || len(ds) != 0 {
			t.Errorf("datasets of a country without events: %v %v", ds, err)
		}
		one, err := s.TallyEvents(ctx, armstrace.TallyQuery{Country: "SY", Dataset: "acled"})
		if err != nil || len(one) != 1 || one[0].Dataset != "acled" || one[0].Best != 7 {
			t.Errorf("one dataset: %+v %v", one, err)
		}
		// Ids without a prefix form their own dataset, in the list and in a
		// tally, on both databases; "zz" sorts after every prefixed id.
		ev("zz", "2012-02-04", "2012-02-04", false, "", 2)
		ev("a1", "2012-02-04", "2012-02-04", false, "", 4)
		if ds, err := s.EventDatasets(ctx, "SY"); err != nil || strings.Join(ds, ",") != armstrace.NoDataset+",acled,evt" {
			t.Errorf("datasets with prefix-less ids: %v %v", ds, err)
		}
		none, err := s.TallyEvents(ctx, armstrace.TallyQuery{Country: "SY", Dataset: armstrace.NoDataset})
		if err != nil || len(none) != 1 || none[0].Dataset != armstrace.NoDataset || none[0].Events != 2 || none[0].Best != 6 {
			t.Errorf("the prefix-less dataset: %+v %v", none, err)
		}
		// Without groups: one group, and the whole country.
		rows, err = s.TallyEvents(ctx, armstrace.TallyQuery{Country: "SY"})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rows {
			n += r.Events
			if r.Group != "" {
				t.Errorf("a group without groups asked: %+v", r)
			}
		}
		if n != 8 {
			t.Errorf("%d events tallied, want 8", n)
		}
	})
}
