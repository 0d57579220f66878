package store_test

import (
	"slices"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// TestAccessFilters checks that entities, events and claims resting only
// on sources above a reader's access are left out of lists, counts and
// ranked edges, and that those citing one source the reader may see, or
// none, are kept.
func TestAccessFilters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s) // src:a and src:b public; everything cites them
		for id, acc := range map[string]armstrace.Access{"src:r": armstrace.AccessRestricted, "src:c": armstrace.AccessConfidential} {
			src := source(id)
			src.Access = acc
			if err := s.CreateSource(ctx, src); err != nil {
				t.Fatal(err)
			}
		}
		cite := func(ids ...string) []armstrace.Citation {
			var cs []armstrace.Citation
			for _, id := range ids {
				cs = append(cs, armstrace.Citation{Source: id})
			}
			return cs
		}
		witness := entity("ent:witness", "A witness", armstrace.EntityPerson)
		witness.Citations = cite("src:c")
		if err := s.CreateEntity(ctx, witness); err != nil {
			t.Fatal(err)
		}
		uncited := entity("ent:uncited", "Uncited", armstrace.EntityCompany)
		uncited.Citations = nil
		if err := s.CreateEntity(ctx, uncited); err != nil {
			t.Fatal(err)
		}
		ev := &armstrace.Event{ID: "evt:secret", Title: "Reported in confidence", Type: "battle", Start: "2012-03-01", End: "2012-03-01", Precision: armstrace.PrecisionDay,
			Place: armstrace.Place{Country: "SY", Precision: armstrace.GeoCountry}, Citations: cite("src:r")}
		if err := s.CreateEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
		for id, srcs := range map[string][]string{"clm:conf": {"src:c"}, "clm:restr": {"src:r"}, "clm:mixed": {"src:c", "src:b"}} {
			c := claim(id, armstrace.ClaimSupplied, "ent:roe", "ent:syria")
			c.Citations = cite(srcs...)
			if err := s.CreateClaim(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		public := []armstrace.Access{armstrace.AccessPublic}
		analyst := []armstrace.Access{armstrace.AccessPublic, armstrace.AccessRestricted}
		ids := func(rs []string) string { slices.Sort(rs); return join(rs) }
		for _, c := range []struct {
			name   string
			access []armstrace.Access
			claims string
			events string
		}{
			{"viewer", public, "clm:mixed clm:sup", "evt:homs"},
			{"analyst", analyst, "clm:mixed clm:restr clm:sup", "evt:homs evt:secret"},
			{"all", nil, "clm:conf clm:mixed clm:restr clm:sup", "evt:homs evt:secret"},
		} {
			f := armstrace.ClaimFilter{Kind: armstrace.ClaimSupplied, Access: c.access}
			cs, err := s.FindClaims(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range cs {
				got = append(got, x.ID)
			}
			if ids(got) != c.claims {
				t.Errorf("%s: claims %s, want %s", c.name, ids(got), c.claims)
			}
			if n, err := s.CountClaims(ctx, f); err != nil || n != len(cs) {
				t.Errorf("%s: count %d, want %d (%v)", c.name, n, len(cs), err)
			}
			edges, err := s.FindClaimEdges(ctx, f)
			if err != nil || len(edges) != len(cs) {
				t.Errorf("%s: %d edges, want %d (%v)", c.name, len(edges), len(cs), err)
			}
			ranked, err := s.RankClaimEdges(ctx, f, nil, 0.8, 10)
			if err != nil || len(ranked) != len(cs) || ranked[0].Total != len(cs) {
				t.Errorf("%s: ranked %+v, want %d with that total (%v)", c.name, ranked, len(cs), err)
			}
			evs, err := s.FindEvents(ctx, armstrace.EventFilter{Country: "SY", Access: c.access})
			if err != nil {
				t.Fatal(err)
			}
			got = got[:0]
			for _, e := range evs {
				got = append(got, e.ID)
			}
			if ids(got) != c.events {
				t.Errorf("%s: events %s, want %s", c.name, ids(got), c.events)
			}
		}
		// Entities: the witness known only from a confidential source is
		// invisible below reviewer; an entity citing nothing is visible.
		es, err := s.FindEntities(ctx, armstrace.EntityFilter{IDs: []string{"ent:witness", "ent:uncited", "ent:roe"}, Access: []armstrace.Access{armstrace.AccessPublic, armstrace.AccessRestricted}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range es {
			got = append(got, e.ID)
		}
		if ids(got) != "ent:roe ent:uncited" {
			t.Errorf("entities an analyst sees: %v", got)
		}
		if es, err := s.FindEntities(ctx, armstrace.EntityFilter{IDs: []string{"ent:witness"}, Access: []armstrace.Access{}}); err != nil || len(es) != 0 {
			t.Errorf("no level at all still sees %v (%v)", es, err)
		}
	})
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}
