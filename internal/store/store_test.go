package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
	"github.com/google/go-cmp/cmp"
)

// The conformance suite: every test runs on SQLite, and on PostgreSQL when
// ARMSTRACE_TEST_POSTGRES is set.

func ctxAs(actor string) context.Context {
	return armstrace.WithActor(context.Background(), actor)
}

func source(id string) *armstrace.Source {
	return &armstrace.Source{ID: id, Kind: armstrace.SourceDocument, Title: "Report " + id, Publisher: "Human Rights First", Published: "2012-04-12"}
}

func entity(id, name string, kind armstrace.EntityKind) *armstrace.Entity {
	return &armstrace.Entity{ID: id, Kind: kind, Name: name, Citations: []armstrace.Citation{{Source: "src:a", Locator: "para 1"}}}
}

func claim(id string, kind armstrace.ClaimKind, subj, obj string) *armstrace.Claim {
	return &armstrace.Claim{ID: id, Kind: kind, Subject: subj, Object: obj, Status: armstrace.StatusAlleged, Confidence: 0.6,
		Citations: []armstrace.Citation{{Source: "src:a", Locator: "para 3", Quote: "sold Syria"}}}
}

// seed writes a small graph: two sources, four entities, an event, a
// ceasefire and two claims.
func seed(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := ctxAs("test")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateSource(ctx, source("src:a")))
	must(s.CreateSource(ctx, source("src:b")))
	roe := entity("ent:roe", "Rosoboronexport", armstrace.EntityCompany)
	roe.Aliases = []armstrace.Name{{Value: "Рособоронэкспорт"}, {Value: "روسوبورون إكسبورت", Lang: "ar"}, {Value: "Rosobornexport", Kind: armstrace.NameMisspelling}}
	roe.Identifiers = []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}, {Scheme: "ru-ogrn", Value: "1117746521452"}}
	roe.Country = "RU"
	must(s.CreateEntity(ctx, roe))
	must(s.CreateEntity(ctx, entity("ent:russia", "Russia", armstrace.EntityState)))
	must(s.CreateEntity(ctx, entity("ent:syria", "Syria", armstrace.EntityState)))
	must(s.CreateEntity(ctx, entity("ent:saa", "Syrian Arab Armed Forces", armstrace.EntityArmedForce)))
	must(s.CreateEvent(ctx, &armstrace.Event{ID: "evt:homs", Title: "Shelling of Homs", Type: "violence against civilians",
		Start: "2012-02-04", End: "2012-02-04", Precision: armstrace.PrecisionDay,
		Place:       armstrace.Place{Name: "Homs", Country: "SY", Lat: armstrace.Num(34.73), Lon: armstrace.Num(36.71), Precision: armstrace.GeoNear},
		Actors:      []armstrace.EventActor{{Entity: "ent:saa", Role: armstrace.RolePerpetrator}},
		Fatalities:  armstrace.Range{Low: armstrace.Num(200), Best: armstrace.Num(217), High: armstrace.Num(260), Unit: "people"},
		ExternalIDs: []string{"test:1"},
		Citations:   []armstrace.Citation{{Source: "src:b"}}}))
	must(s.CreateCeasefire(ctx, &armstrace.Ceasefire{ID: "cf:2012", Name: "Syria ceasefire", Start: "2012-04-12", Covered: []string{"ent:saa"}, Citations: []armstrace.Citation{{Source: "src:a"}}}))
	sup := claim("clm:sup", armstrace.ClaimSupplied, "ent:roe", "ent:syria")
	sup.Attrs.Transfer = &armstrace.Transfer{Value: &armstrace.Range{Best: armstrace.Num(1e9), Unit: "USD", Approximate: true, Qualifier: "worth"}, DeliveryYears: []int{2011}}
	must(s.CreateClaim(ctx, sup))
	party := claim("clm:party", armstrace.ClaimPartyTo, "ent:saa", "cf:2012")
	party.ObjectType = armstrace.ObjectCeasefire
	must(party.Validate())
	must(s.CreateClaim(ctx, party))
}

func TestCreateFindUpdateDelete(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s)

		got, err := s.FindEntityByID(ctx, "ent:roe")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Rosoboronexport" || len(got.Aliases) != 3 || len(got.Identifiers) != 2 {
			t.Fatalf("entity read back wrong: %+v", got)
		}
		// Normalize filled scripts and kinds on the way in.
		wantScripts := []string{"Cyrl", "Arab", "Latn"}
		for i, a := range got.Aliases {
			if a.Script != wantScripts[i] {
				t.Errorf("alias %d %q: script %q, want %q", i, a.Value, a.Script, wantScripts[i])
			}
		}
		if got.Aliases[0].Kind != armstrace.NameAlias || got.Aliases[2].Kind != armstrace.NameMisspelling {
			t.Errorf("alias kinds: %+v", got.Aliases)
		}

		c, err := s.FindClaimByID(ctx, "clm:sup")
		if err != nil {
			t.Fatal(err)
		}
		if c.Attrs.Transfer == nil || *c.Attrs.Transfer.Value.Best != 1e9 || !c.Attrs.Transfer.Value.Approximate {
			t.Fatalf("transfer attrs lost: %+v", c.Attrs)
		}
		if c.Citations[0].Quote != "sold Syria" {
			t.Fatalf("citation lost: %+v", c.Citations)
		}

		ev, err := s.FindEventByID(ctx, "evt:homs")
		if err != nil {
			t.Fatal(err)
		}
		if *ev.Fatalities.Low != 200 || *ev.Fatalities.High != 260 || *ev.Place.Lat != 34.73 {
			t.Fatalf("event read back wrong: %+v", ev)
		}

		// Update replaces the record, child rows included.
		got.Aliases = got.Aliases[:1]
		got.Identifiers = []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}}
		got.Description = "state arms exporter"
		if err := s.UpdateEntity(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, err := s.FindEntityByID(ctx, "ent:roe")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("after update (-want +got):\n%s", diff)
		}
		// The dropped identifier is free again.
		other := entity("ent:other", "Other", armstrace.EntityCompany)
		other.Identifiers = []armstrace.Identifier{{Scheme: "ru-ogrn", Value: "1117746521452"}}
		if err := s.CreateEntity(ctx, other); err != nil {
			t.Fatalf("identifier released by update should be free: %v", err)
		}

		// Delete in dependency order succeeds.
		for _, step := range []struct {
			name string
			fn   func() error
		}{
			{"claim", func() error { return s.DeleteClaim(ctx, "clm:sup") }},
			{"claim", func() error { return s.DeleteClaim(ctx, "clm:party") }},
			{"ceasefire", func() error { return s.DeleteCeasefire(ctx, "cf:2012") }},
			{"event", func() error { return s.DeleteEvent(ctx, "evt:homs") }},
			{"entity", func() error { return s.DeleteEntity(ctx, "ent:roe") }},
		} {
			if err := step.fn(); err != nil {
				t.Fatalf("delete %s: %v", step.name, err)
			}
		}
		if _, err := s.FindEntityByID(ctx, "ent:roe"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			t.Fatalf("deleted entity: got %v, want ENOTFOUND", err)
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[armstrace.RecordType]int{"source": 2, "entity": 4, "event": 0, "ceasefire": 0, "claim": 0, "series": 0}
		if diff := cmp.Diff(want, counts); diff != "" {
			t.Fatalf("counts (-want +got):\n%s", diff)
		}
	})
}

func TestFind(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seed(t, s)
		ids := func(es []*armstrace.Entity) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    armstrace.EntityFilter
			want []string
		}{
			{"kind", armstrace.EntityFilter{Kind: armstrace.EntityState}, []string{"ent:russia", "ent:syria"}},
			{"country", armstrace.EntityFilter{Country: "RU"}, []string{"ent:roe"}},
			{"cyrillic any case", armstrace.EntityFilter{NameLike: "РОСОБОРОН"}, []string{"ent:roe"}},
			{"arabic", armstrace.EntityFilter{NameLike: "روسوبورون"}, []string{"ent:roe"}},
			{"misspelling", armstrace.EntityFilter{NameLike: "rosobornexport"}, []string{"ent:roe"}},
			{"like wildcards are literal", armstrace.EntityFilter{NameLike: "%"}, nil},
			{"identifier", armstrace.EntityFilter{Identifier: &armstrace.Identifier{Scheme: "ru-ogrn", Value: "1117746521452"}}, []string{"ent:roe"}},
			{"page", armstrace.EntityFilter{Limit: 2, Offset: 1}, []string{"ent:russia", "ent:saa"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.FindEntities(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
			})
		}
		cs, err := s.FindClaims(ctx, armstrace.ClaimFilter{Entity: "ent:syria"})
		if err != nil || len(cs) != 1 || cs[0].ID != "clm:sup" {
			t.Fatalf("claims about Syria: %v %v", cs, err)
		}
		cs, err = s.FindClaims(ctx, armstrace.ClaimFilter{Object: "cf:2012"})
		if err != nil || len(cs) != 1 || cs[0].ID != "clm:party" {
			t.Fatalf("claims on the ceasefire: %v %v", cs, err)
		}
		cs, err = s.FindClaims(ctx, armstrace.ClaimFilter{Source: "src:a", Kind: armstrace.ClaimSupplied})
		if err != nil || len(cs) != 1 {
			t.Fatalf("claims citing src:a: %v %v", cs, err)
		}
		// The list filters and the event join that chain search uses.
		obs := claim("clm:obs", armstrace.ClaimObservedAt, "ent:roe", "evt:homs")
		obs.ObjectType = armstrace.ObjectEvent
		obs.Attrs.Observation = &armstrace.Observation{Identification: armstrace.IdentifiedCategory}
		if err := s.CreateClaim(ctx, obs); err != nil {
			t.Fatal(err)
		}
		claimIDs := func(f armstrace.ClaimFilter) []string {
			t.Helper()
			cs, err := s.FindClaims(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    armstrace.ClaimFilter
			want []string
		}{
			{"kinds", armstrace.ClaimFilter{Kinds: []armstrace.ClaimKind{armstrace.ClaimSupplied, armstrace.ClaimObservedAt}}, []string{"clm:obs", "clm:sup"}},
			{"subjects", armstrace.ClaimFilter{Subjects: []string{"ent:saa", "ent:nobody"}}, []string{"clm:party"}},
			{"no subjects matches nothing", armstrace.ClaimFilter{Subjects: []string{}}, nil},
			{"objects of every type", armstrace.ClaimFilter{Objects: []string{"ent:syria", "evt:homs", "cf:2012"}}, []string{"clm:obs", "clm:party", "clm:sup"}},
			{"objects and kind", armstrace.ClaimFilter{Objects: []string{"ent:syria", "evt:homs"}, Kind: armstrace.ClaimObservedAt}, []string{"clm:obs"}},
			{"events in scope", armstrace.ClaimFilter{ObjectEvents: &armstrace.EventFilter{Country: "SY", Since: "2012", Until: "2012"}}, []string{"clm:obs"}},
			{"events out of scope", armstrace.ClaimFilter{ObjectEvents: &armstrace.EventFilter{Country: "SY", Since: "2013"}}, nil},
			{"ids", armstrace.ClaimFilter{IDs: []string{"clm:sup", "clm:obs", "clm:none"}}, []string{"clm:obs", "clm:sup"}},
			{"objects of one type", armstrace.ClaimFilter{Objects: []string{"ent:syria", "evt:homs"}, ObjectType: armstrace.ObjectEntity}, []string{"clm:sup"}},
			{"object type alone", armstrace.ClaimFilter{ObjectType: armstrace.ObjectCeasefire}, []string{"clm:party"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, claimIDs(tc.f)); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
			})
		}
		edges, err := s.FindClaimEdges(ctx, armstrace.ClaimFilter{Kinds: []armstrace.ClaimKind{armstrace.ClaimSupplied, armstrace.ClaimObservedAt}})
		if err != nil {
			t.Fatal(err)
		}
		wantEdges := []armstrace.ClaimEdge{
			{ID: "clm:obs", Kind: armstrace.ClaimObservedAt, Subject: "ent:roe", Object: "evt:homs", Status: armstrace.StatusAlleged, Confidence: 0.6},
			{ID: "clm:sup", Kind: armstrace.ClaimSupplied, Subject: "ent:roe", Object: "ent:syria", Status: armstrace.StatusAlleged, Confidence: 0.6},
		}
		if diff := cmp.Diff(wantEdges, edges); diff != "" {
			t.Fatalf("claim edges (-want +got):\n%s", diff)
		}
		// Ranked edges: per subject and kind, the strongest, capped by
		// their object, with the count and latest date.
		for _, c := range []*armstrace.Claim{
			{ID: "clm:k1", Kind: armstrace.ClaimContracted, Subject: "ent:russia", Object: "ent:roe", Status: armstrace.StatusVerified, Confidence: 0.9, ValidFrom: "2011"},
			{ID: "clm:k2", Kind: armstrace.ClaimContracted, Subject: "ent:russia", Object: "ent:syria", Status: armstrace.StatusAlleged, Confidence: 0.9, ValidFrom: "2013-05"},
			{ID: "clm:k3", Kind: armstrace.ClaimContracted, Subject: "ent:russia", Object: "ent:saa", Status: armstrace.StatusVerified, Confidence: 0.5},
			{ID: "clm:k4", Kind: armstrace.ClaimContracted, Subject: "ent:saa", Object: "ent:roe", Status: armstrace.StatusRetracted, Confidence: 0.5},
		} {
			c.Citations = []armstrace.Citation{{Source: "src:a"}}
			if err := s.CreateClaim(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		ranked, err := s.RankClaimEdges(ctx, armstrace.ClaimFilter{Kind: armstrace.ClaimContracted, Statuses: []armstrace.Status{armstrace.StatusVerified, armstrace.StatusAlleged}},
			map[string]float64{"ent:roe": 0.4}, 0.8, 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range ranked {
			got = append(got, fmt.Sprintf("%s %.2f %d %s", e.ID, e.Rank, e.Total, e.Latest))
		}
		// k2: 0.9 × 0.8 = 0.72; k3: 0.5; k1: 0.9 capped at 0.4 by its object.
		if diff := cmp.Diff([]string{"clm:k2 0.72 3 2013-05", "clm:k3 0.50 3 2013-05"}, got); diff != "" {
			t.Errorf("ranked edges (-want +got):\n%s", diff)
		}
		if n, err := s.CountClaims(ctx, armstrace.ClaimFilter{Kind: armstrace.ClaimContracted, Statuses: []armstrace.Status{armstrace.StatusRetracted}}); err != nil || n != 1 {
			t.Errorf("count: %d %v", n, err)
		}
		if es, err := s.FindEntities(ctx, armstrace.EntityFilter{IDs: []string{"ent:syria", "ent:roe", "ent:none"}}); err != nil || len(es) != 2 {
			t.Fatalf("entities by id: %v %v", es, err)
		}
		evs, err := s.FindEvents(ctx, armstrace.EventFilter{Country: "SY", Since: "2012-02", Until: "2012"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("events in Syria in 2012: %v %v", evs, err)
		}
		evs, err = s.FindEvents(ctx, armstrace.EventFilter{Country: "SY", Since: "2012-02-04", Until: "2012-02-04", Actors: []string{"ent:roe", "ent:saa"}})
		if err != nil || len(evs) != 1 {
			t.Fatalf("events of either actor on a day: %v %v", evs, err)
		}
		evs, err = s.FindEvents(ctx, armstrace.EventFilter{Actors: []string{"ent:roe"}})
		if err != nil || len(evs) != 0 {
			t.Fatalf("events of an actor in none: %v %v", evs, err)
		}
		for _, c := range []struct {
			actor string
			roles []armstrace.ActorRole
			want  int
		}{
			{"ent:saa", []armstrace.ActorRole{armstrace.RolePerpetrator, armstrace.RoleParty}, 1},
			{"ent:saa", []armstrace.ActorRole{armstrace.RoleTarget}, 0},
			{"", []armstrace.ActorRole{armstrace.RolePerpetrator}, 1},
			{"", []armstrace.ActorRole{armstrace.RoleTarget}, 0},
		} {
			evs, err = s.FindEvents(ctx, armstrace.EventFilter{Actor: c.actor, ActorRoles: c.roles})
			if err != nil || len(evs) != c.want {
				t.Errorf("events of %q in roles %v: %d, want %d (%v)", c.actor, c.roles, len(evs), c.want, err)
			}
		}
		evs, err = s.FindEvents(ctx, armstrace.EventFilter{Since: "2012-03"})
		if err != nil || len(evs) != 0 {
			t.Fatalf("events since March 2012: %v %v", evs, err)
		}
	})
}

func TestErrorCodes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s)
		dupIdent := entity("ent:dup", "Duplicate", armstrace.EntityCompany)
		dupIdent.Identifiers = []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}}
		missingSubject := claim("clm:x", armstrace.ClaimSupplied, "ent:nobody", "ent:syria")
		missingSource := claim("clm:y", armstrace.ClaimSupplied, "ent:russia", "ent:syria")
		missingSource.Citations = []armstrace.Citation{{Source: "src:nowhere"}}
		dupExternal := &armstrace.Event{ID: "evt:other", Title: "t", Type: "x", Start: "2012-01-01", End: "2012-01-01", Precision: armstrace.PrecisionDay,
			ExternalIDs: []string{"test:1"}, Citations: []armstrace.Citation{{Source: "src:a"}}}

		for _, tc := range []struct {
			name      string
			err       error
			code      string
			field     string
			mentioned string
		}{
			{"find missing", second(s.FindEntityByID(ctx, "ent:nope")), armstrace.ENOTFOUND, "", "ent:nope"},
			{"update missing", s.UpdateClaim(ctx, claim("clm:nope", armstrace.ClaimSupplied, "ent:roe", "ent:syria")), armstrace.ENOTFOUND, "", "clm:nope"},
			{"delete missing", s.DeleteSource(ctx, "src:nope"), armstrace.ENOTFOUND, "", "src:nope"},
			{"duplicate id", s.CreateSource(ctx, source("src:a")), armstrace.ECONFLICT, "", "src:a"},
			{"duplicate identifier", s.CreateEntity(ctx, dupIdent), armstrace.ECONFLICT, "identifiers[0]", "ent:roe"},
			{"duplicate external id", s.CreateEvent(ctx, dupExternal), armstrace.ECONFLICT, "external_ids[0]", "test:1 already belongs to another event"},
			{"delete referenced entity", s.DeleteEntity(ctx, "ent:syria"), armstrace.ECONFLICT, "", "still referenced"},
			{"delete cited source", s.DeleteSource(ctx, "src:b"), armstrace.ECONFLICT, "", "still referenced"},
			{"unknown subject", s.CreateClaim(ctx, missingSubject), armstrace.EINVALID, "subject", "ent:nobody"},
			{"unknown source", s.CreateClaim(ctx, missingSource), armstrace.EINVALID, "citations[0].source", "src:nowhere"},
			{"invalid record", s.CreateClaim(ctx, &armstrace.Claim{ID: "clm:z", Kind: "sold", Subject: "ent:roe", Object: "ent:syria"}), armstrace.EINVALID, "kind", "sold"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := armstrace.ErrorCode(tc.err); got != tc.code {
					t.Fatalf("code %q, want %q (err %v)", got, tc.code, tc.err)
				}
				var e *armstrace.Error
				if !asError(tc.err, &e) || e.Field != tc.field {
					t.Fatalf("field %q, want %q (err %v)", fieldOf(tc.err), tc.field, tc.err)
				}
				if msg := armstrace.ErrorMessage(tc.err); !strings.Contains(msg, tc.mentioned) {
					t.Fatalf("message %q does not mention %q", msg, tc.mentioned)
				}
			})
		}
		// None of the failed writes left anything behind.
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[armstrace.RecordType]int{"source": 2, "entity": 4, "event": 1, "ceasefire": 1, "claim": 2, "series": 0}
		if diff := cmp.Diff(want, counts); diff != "" {
			t.Fatalf("counts after failed writes (-want +got):\n%s", diff)
		}
	})
}

func TestBatchRollsBackOnError(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("import")
		b, err := s.BeginBatch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Rollback()
		for _, r := range []armstrace.Record{source("src:a"), entity("ent:russia", "Russia", armstrace.EntityState), entity("ent:syria", "Syria", armstrace.EntityState)} {
			if _, err := b.Put(r); err != nil {
				t.Fatal(err)
			}
		}
		// The fourth record refers to an entity that does not exist.
		if _, err := b.Put(claim("clm:bad", armstrace.ClaimSupplied, "ent:russia", "ent:iran")); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Fatalf("bad claim: %v", err)
		}
		if err := b.Rollback(); err != nil {
			t.Fatal(err)
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for typ, n := range counts {
			if n != 0 {
				t.Errorf("%d %s records survived a rolled-back batch", n, typ)
			}
		}
		log, err := s.AuditLog(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 0 {
			t.Errorf("%d audit entries survived a rolled-back batch", len(log))
		}
		// A write that fails half-way (the entity row goes in, its
		// identifier clashes) leaves nothing either.
		must(t, s.CreateSource(ctx, source("src:a")))
		e1 := entity("ent:one", "One", armstrace.EntityCompany)
		e1.Identifiers = []armstrace.Identifier{{Scheme: "imo", Value: "9000001"}}
		must(t, s.CreateEntity(ctx, e1))
		e2 := entity("ent:two", "Two", armstrace.EntityCompany)
		e2.Identifiers = []armstrace.Identifier{{Scheme: "imo", Value: "9000001"}}
		if err := s.CreateEntity(ctx, e2); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Fatalf("clashing identifier: %v", err)
		}
		if _, err := s.FindEntityByID(ctx, "ent:two"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			t.Fatalf("half-written entity survived: %v", err)
		}
	})
}

func TestPutIsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s)
		before, err := s.AuditLog(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.FindEntityByID(ctx, "ent:roe")
		if err != nil {
			t.Fatal(err)
		}
		if res, err := s.Put(ctx, e); err != nil || res != armstrace.PutUnchanged {
			t.Fatalf("put of an unchanged record: %v %v", res, err)
		}
		e.Description = "changed"
		if res, err := s.Put(ctx, e); err != nil || res != armstrace.PutUpdated {
			t.Fatalf("put of a changed record: %v %v", res, err)
		}
		after, err := s.AuditLog(ctx, "entity", "ent:roe")
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != 2 || after[0].Action != "create" || after[1].Action != "update" {
			t.Fatalf("audit history of ent:roe: %+v", after)
		}
		all, _ := s.AuditLog(ctx, "", "")
		if len(all) != len(before)+1 {
			t.Fatalf("audit entries: %d before, %d after one real change", len(before), len(all))
		}
	})
}

func TestAuditChain(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("cli:alice")
		seed(t, s)
		rep, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Entries != 10 || rep.HeadSeq != 10 {
			t.Fatalf("clean chain: %+v", rep)
		}
		log, err := s.AuditLog(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if log[0].Actor != "test" || log[0].Action != "create" || log[0].ObjectID != "src:a" || log[0].PrevHash != "" || log[1].PrevHash != log[0].Hash {
			t.Fatalf("first entries: %+v", log[:2])
		}

		tamper := func(t *testing.T, q string, args ...any) {
			t.Helper()
			if _, err := s.DB().ExecContext(ctx, s.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		expectBreak := func(t *testing.T, seq int64, reason string) {
			t.Helper()
			rep, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.Break.Seq != seq || !strings.Contains(rep.Break.Reason, reason) {
				t.Fatalf("want a break at %d (%s), got %+v", seq, reason, rep.Break)
			}
		}
		restore := func(t *testing.T, e armstrace.AuditEntry) {
			t.Helper()
			tamper(t, `UPDATE audit_log SET actor = ?, change = ?, digest = ?, hash = ? WHERE seq = ?`, e.Actor, e.Change, e.Digest, e.Hash, e.Seq)
		}

		t.Run("changed record", func(t *testing.T) {
			tamper(t, `UPDATE audit_log SET change = REPLACE(change, 'Rosoboronexport', 'Someone else') WHERE seq = 3`)
			expectBreak(t, 3, "digest")
			restore(t, log[2])
		})
		t.Run("changed actor", func(t *testing.T) {
			tamper(t, `UPDATE audit_log SET actor = 'mallory' WHERE seq = 5`)
			expectBreak(t, 5, "hash does not match")
			restore(t, log[4])
		})
		t.Run("rehashed entry", func(t *testing.T) {
			// A forger who recomputes the entry's own digest and hash
			// still breaks the next link.
			e := log[3]
			e.Change = strings.Replace(e.Change, "Russia", "Ruritania", 1)
			e.Digest = armstrace.Digest(e.Change)
			e.Hash = e.ComputeHash()
			restore(t, e)
			expectBreak(t, 5, "prev_hash")
			restore(t, log[3])
		})
		t.Run("removed entry", func(t *testing.T) {
			tamper(t, `DELETE FROM audit_log WHERE seq = 7`)
			expectBreak(t, 8, "missing")
			e := log[6]
			tamper(t, `INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, change, digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				e.Seq, e.Time, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Change, e.Digest, e.PrevHash, e.Hash)
		})
		t.Run("truncated tail", func(t *testing.T) {
			tamper(t, `DELETE FROM audit_log WHERE seq = 10`)
			expectBreak(t, 10, "removed from the end")
		})
	})
}

// TestConcurrentWritersKeepOneChain checks that writers racing on the
// same database still produce one unbroken chain.
func TestConcurrentWritersKeepOneChain(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		must(t, s.CreateSource(ctx, source("src:a")))
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					errs <- s.CreateEntity(ctx, entity(fmt.Sprintf("ent:w%d-%d", w, i), "Writer", armstrace.EntityCompany))
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		rep, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Entries != 41 {
			t.Fatalf("chain after concurrent writes: %+v", rep)
		}
	})
}

func TestMigrateIsRepeatable(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		done, err := s.Migrate(ctx)
		if err != nil || len(done) != 0 {
			t.Fatalf("second migrate applied %v, err %v", done, err)
		}
		ms, err := s.Migrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.AppliedAt == "" {
				t.Errorf("migration %s not applied", m.Name)
			}
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func second[T any](_ T, err error) error { return err }
