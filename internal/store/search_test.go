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

// TestProtectedPlaces checks that events read for a reader below
// confidential come with their protected places blurred, in lists and in
// text search (whose words are looked for in what the reader sees), and
// as exported below confidential; readers of every level see them whole.
func TestProtectedPlaces(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s)
		e := &armstrace.Event{ID: "evt:shelter", Title: "Strike near a shelter", Type: "violence against civilians", Start: "2012-02-06", End: "2012-02-06",
			Precision: armstrace.PrecisionDay, Citations: []armstrace.Citation{{Source: "src:a"}},
			Place: armstrace.Place{Name: "Al-Amal shelter", Admin2: "Homs district", Admin1: "Homs", Country: "SY",
				Lat: armstrace.Num(34.7213), Lon: armstrace.Num(36.6862), Precision: armstrace.GeoExact, Protected: true}}
		if err := s.CreateEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		public := []armstrace.Access{armstrace.AccessPublic}
		evs, err := s.FindEvents(ctx, armstrace.EventFilter{IDs: []string{"evt:shelter"}, Access: public})
		if err != nil || len(evs) != 1 || evs[0].Place.Name != "Homs district" || *evs[0].Place.Lat != 34.7 {
			t.Fatalf("a public reader's list: %v %+v", err, evs)
		}
		if evs, _ := s.FindEvents(ctx, armstrace.EventFilter{IDs: []string{"evt:shelter"}}); len(evs) != 1 || evs[0].Place.Name != "Al-Amal shelter" {
			t.Errorf("every level: %+v", evs)
		}
		if evs, _ := s.FindEvents(ctx, armstrace.EventFilter{Text: "amal", Access: public}); len(evs) != 0 {
			t.Errorf("a public reader finds the protected place by its name: %+v", evs)
		}
		if evs, _ := s.FindEvents(ctx, armstrace.EventFilter{Text: "amal"}); len(evs) != 1 {
			t.Errorf("every level does not find it by its name: %d", len(evs))
		}
		// Exported for public readers, blurred; for confidential, whole.
		for _, c := range []struct {
			max  armstrace.Access
			name string
		}{{armstrace.AccessPublic, "Homs district"}, {armstrace.AccessRestricted, "Homs district"}, {armstrace.AccessConfidential, "Al-Amal shelter"}} {
			f := armstrace.NewAccessFilter(c.max)
			f.Keep(source("src:a"))
			got, _ := f.Keep(e).(*armstrace.Event)
			if got == nil || got.Place.Name != c.name {
				t.Errorf("exported up to %s: %+v", c.max, got)
			}
		}
	})
}

// TestFindAuditAfterAndSince reads the audit log after a sequence number
// and since a time, on both databases.
func TestFindAuditAfterAndSince(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s)
		head, err := s.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.FindAudit(ctx, armstrace.AuditFilter{})
		if err != nil || int64(len(all)) != head {
			t.Fatalf("%d entries, head %d: %v", len(all), head, err)
		}
		after, err := s.FindAudit(ctx, armstrace.AuditFilter{After: head - 3})
		if err != nil || len(after) != 3 || after[0].Seq != head || after[2].Seq != head-2 {
			t.Errorf("after %d: %+v %v", head-3, after, err)
		}
		if got, _ := s.FindAudit(ctx, armstrace.AuditFilter{Since: "2000-01-01"}); len(got) != len(all) {
			t.Errorf("since 2000: %d of %d", len(got), len(all))
		}
		if got, _ := s.FindAudit(ctx, armstrace.AuditFilter{Since: "2999-01-01"}); len(got) != 0 {
			t.Errorf("since 2999: %d", len(got))
		}
	})
}
