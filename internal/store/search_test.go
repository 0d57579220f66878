package store_test

import (
	"slices"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// TestTextSearch finds events and sources by the words of their text,
// ignoring case and in any script, never by the names of the stored
// document's fields, and within the reader's access.
func TestTextSearch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s) // evt:homs "Shelling of Homs"; src:a, src:b "Report …" by Human Rights First
		secret := source("src:secret")
		secret.Title, secret.Access = "Informant's account of the Tartus deliveries", armstrace.AccessConfidential
		cyr := source("src:cyr")
		cyr.Title, cyr.Publisher = "Контракт на вертолёты", "АРМС-ТАСС"
		for _, src := range []*armstrace.Source{secret, cyr} {
			if err := s.CreateSource(ctx, src); err != nil {
				t.Fatal(err)
			}
		}
		for i, title := range []string{"Airstrike on a market in Douma", "Shelling of Douma", "Бомбардировка Хомса"} {
			e := &armstrace.Event{ID: "evt:" + string(rune('a'+i)), Title: title, Type: "battle", Start: "2013-01-01", End: "2013-01-01",
				Precision: armstrace.PrecisionDay, Citations: []armstrace.Citation{{Source: "src:a"}}}
			if i == 1 {
				e.Citations = []armstrace.Citation{{Source: "src:secret"}}
			}
			if err := s.CreateEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		events := func(f armstrace.EventFilter) []string {
			t.Helper()
			evs, err := s.FindEvents(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range evs {
				ids = append(ids, e.ID)
			}
			return ids
		}
		public := []armstrace.Access{armstrace.AccessPublic}
		for _, c := range []struct {
			f    armstrace.EventFilter
			want []string
		}{
			{armstrace.EventFilter{Text: "SHELLING"}, []string{"evt:b", "evt:homs"}},
			{armstrace.EventFilter{Text: "shelling douma"}, []string{"evt:b"}},
			{armstrace.EventFilter{Text: "shelling", Access: public}, []string{"evt:homs"}},
			{armstrace.EventFilter{Text: "хомса"}, []string{"evt:c"}},
			{armstrace.EventFilter{Text: "sy"}, []string{"evt:homs"}}, // its place's country; "Syria…" is in no event's own text
			{armstrace.EventFilter{Text: "title"}, nil},               // a field's name, not text
			{armstrace.EventFilter{Text: "douma", Limit: 1}, []string{"evt:a"}},
			{armstrace.EventFilter{Text: "douma", Limit: 1, Offset: 1}, []string{"evt:b"}},
		} {
			if got := events(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
		sources := func(q string, access []armstrace.Access) []string {
			t.Helper()
			srcs, err := s.SearchSources(ctx, q, access, 0)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, src := range srcs {
				ids = append(ids, src.ID)
			}
			return ids
		}
		if got := sources("human rights", nil); !slices.Equal(got, []string{"src:a", "src:b", "src:secret"}) {
			t.Errorf("by publisher: %v", got)
		}
		if got := sources("tartus", public); got != nil {
			t.Errorf("a confidential source found by a public reader: %v", got)
		}
		if got := sources("tartus", nil); !slices.Equal(got, []string{"src:secret"}) {
			t.Errorf("tartus: %v", got)
		}
		if got := sources("ВЕРТОЛЁТЫ", nil); !slices.Equal(got, []string{"src:cyr"}) {
			t.Errorf("Cyrillic: %v", got)
		}
		if got := sources("kind", nil); got != nil {
			t.Errorf("a field's name: %v", got)
		}
	})
}
