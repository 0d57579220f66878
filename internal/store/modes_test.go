package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

func TestEnsureAndMerge(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		must(t, s.CreateSource(ctx, source("src:a")))
		must(t, s.CreateSource(ctx, source("src:b")))
		analyst := entity("ent:russia", "Russia", armstrace.EntityState)
		analyst.Description = "as an analyst wrote it"
		must(t, s.CreateEntity(ctx, analyst))

		b, err := s.BeginBatch(ctx)
		must(t, err)
		defer b.Rollback()
		// Ensure leaves the stored record alone.
		other := entity("ent:russia", "Russian Federation", armstrace.EntityState)
		other.Description = "overwritten?"
		if res, err := b.Write(armstrace.WriteEnsure, other); err != nil || res != armstrace.PutUnchanged {
			t.Fatalf("ensure of an existing entity: %v %v", res, err)
		}
		// Merge adds names, identifiers and citations, and nothing else.
		merge := &armstrace.Entity{ID: "ent:russia", Kind: armstrace.EntityState, Name: "Government of Russia (Soviet Union)",
			Aliases:     []armstrace.Name{{Value: "Russia"}, {Value: "Российская Федерация"}},
			Identifiers: []armstrace.Identifier{{Scheme: "ucdp-actor", Value: "57"}, {Scheme: "gw", Value: "365"}},
			Country:     "RU", Description: "from UCDP",
			Citations: []armstrace.Citation{{Source: "src:b", Locator: "ActorId 57"}}}
		if res, err := b.Write(armstrace.WriteMerge, merge); err != nil || res != armstrace.PutUpdated {
			t.Fatalf("merge: %v %v", res, err)
		}
		if res, err := b.Write(armstrace.WriteMerge, merge); err != nil || res != armstrace.PutUnchanged {
			t.Fatalf("second merge: %v %v", res, err)
		}
		// Merge of a new entity creates it.
		if res, err := b.Write(armstrace.WriteMerge, entity("ent:syria", "Syria", armstrace.EntityState)); err != nil || res != armstrace.PutCreated {
			t.Fatalf("merge of a new entity: %v %v", res, err)
		}
		must(t, b.Commit())

		got, err := s.FindEntityByID(ctx, "ent:russia")
		must(t, err)
		if got.Name != "Russia" || got.Description != "as an analyst wrote it" || got.Country != "RU" {
			t.Fatalf("merge changed what it must keep: %+v", got)
		}
		var names []string
		for _, a := range got.Aliases {
			names = append(names, a.Value)
		}
		if !slices.Equal(names, []string{"Government of Russia (Soviet Union)", "Российская Федерация"}) {
			t.Fatalf("aliases after merge: %v", names)
		}
		if len(got.Identifiers) != 2 || len(got.Citations) != 2 {
			t.Fatalf("identifiers or citations after merge: %+v %+v", got.Identifiers, got.Citations)
		}
		if es, _ := s.FindEntities(ctx, armstrace.EntityFilter{Identifier: &armstrace.Identifier{Scheme: "ucdp-actor", Value: "57"}}); len(es) != 1 {
			t.Fatalf("merged identifier not indexed: %v", es)
		}
	})
}

func TestEntitiesResolveByStrongIdentifiers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s) // ent:roe holds ru-inn 7718852163 and ru-ogrn 1117746521452
		listed := &armstrace.Entity{ID: "ofac:18782", Kind: armstrace.EntityCompany, Name: "ROSOBORONEKSPORT OAO",
			Aliases:     []armstrace.Name{{Value: "ROSOBORONEXPORT JSC"}},
			Identifiers: []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}, {Scheme: "ofac-ent", Value: "18782"}, {Scheme: "website", Value: "www.roe.ru"}},
			Citations:   []armstrace.Citation{{Source: "src:b", Locator: "ent_num 18782"}}}
		sanction := claim("ofac:18782:sanction", armstrace.ClaimSanctioned, "ent:russia", "ofac:18782")
		for round := 1; round <= 2; round++ {
			b, err := s.BeginBatch(ctx)
			must(t, err)
			// Importers merge the entities they share with others.
			res, err := b.Write(armstrace.WriteMerge, listed)
			must(t, err)
			if want := map[int]armstrace.PutResult{1: armstrace.PutUpdated, 2: armstrace.PutUnchanged}[round]; res != want {
				t.Fatalf("round %d: %s, want %s", round, res, want)
			}
			_, err = b.Put(sanction)
			must(t, err)
			must(t, b.Commit())
		}
		if _, err := s.FindEntityByID(ctx, "ofac:18782"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			t.Fatalf("a duplicate entity was created: %v", err)
		}
		if to, err := s.Redirect(ctx, "ofac:18782"); err != nil || to != "ent:roe" {
			t.Fatalf("redirect: %q %v", to, err)
		}
		// A put on a merged-away id would lose the edit in a merge: refused.
		if _, err := s.Put(ctx, listed); armstrace.ErrorCode(err) != armstrace.ECONFLICT || !strings.Contains(armstrace.ErrorMessage(err), `edit "ent:roe" instead`) {
			t.Fatalf("put on a redirected id: %v", err)
		}
		roe, err := s.FindEntityByID(ctx, "ent:roe")
		must(t, err)
		if !slices.Contains(roe.Names(), "ROSOBORONEKSPORT OAO") || !slices.Contains(roe.Identifiers, armstrace.Identifier{Scheme: "ofac-ent", Value: "18782"}) {
			t.Fatalf("not merged: %+v", roe)
		}
		c, err := s.FindClaimByID(ctx, "ofac:18782:sanction")
		must(t, err)
		if c.Object != "ent:roe" {
			t.Fatalf("the claim names %s, not the resolved entity", c.Object)
		}
		rep, err := s.VerifyAudit(ctx)
		must(t, err)
		if !rep.OK() {
			t.Fatalf("audit: %+v %+v", rep.Break, rep.DataBreak)
		}

		// Identifiers held by two different entities are for a person.
		e1 := entity("ent:ship-a", "A", armstrace.EntityVessel)
		e1.Identifiers = []armstrace.Identifier{{Scheme: "imo", Value: "9000001"}}
		e2 := entity("ent:ship-b", "B", armstrace.EntityVessel)
		e2.Identifiers = []armstrace.Identifier{{Scheme: "imo", Value: "9000002"}}
		must(t, s.CreateEntity(ctx, e1))
		must(t, s.CreateEntity(ctx, e2))
		both := entity("ent:ship-c", "C", armstrace.EntityVessel)
		both.Identifiers = []armstrace.Identifier{{Scheme: "imo", Value: "9000001"}, {Scheme: "imo", Value: "9000002"}}
		if _, err := s.Put(ctx, both); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Fatalf("an entity matching two others: %v", err)
		}
		// A weak identifier (a website) neither merges nor clashes.
		web := entity("ent:other-roe", "Other", armstrace.EntityCompany)
		web.Identifiers = []armstrace.Identifier{{Scheme: "website", Value: "www.example.org"}}
		must(t, s.CreateEntity(ctx, web))
		web2 := entity("ent:third", "Third", armstrace.EntityCompany)
		web2.Identifiers = []armstrace.Identifier{{Scheme: "website", Value: "www.example.org"}}
		if res, err := s.Put(ctx, web2); err != nil || res != armstrace.PutCreated {
			t.Fatalf("a shared website: %v %v", res, err)
		}
	})
}

// TestStrongIdentifiersAreUnique holds the schema's unique index and the
// domain's list of strong schemes together: a scheme in one and not the
// other fails here.
func TestStrongIdentifiersAreUnique(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		must(t, s.CreateSource(ctx, source("src:a")))
		for _, scheme := range append(armstrace.StrongSchemes(), "website", "tax-id", "registration-id") {
			a := entity("ent:a-"+scheme, "A", armstrace.EntityCompany)
			a.Identifiers = []armstrace.Identifier{{Scheme: scheme, Value: "42"}}
			must(t, s.CreateEntity(ctx, a))
			b := entity("ent:b-"+scheme, "B", armstrace.EntityCompany)
			b.Identifiers = a.Identifiers
			// Create bypasses resolution and meets the index itself.
			_, err := s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO entities (id, kind, name, country, doc) VALUES (?, 'company', 'B', '', '{}')`), b.ID)
			must(t, err)
			_, err = s.DB().ExecContext(ctx, s.Rebind(`INSERT INTO entity_identifiers (entity_id, position, scheme, value) VALUES (?, 0, ?, '42')`), b.ID, scheme)
			if strong := (armstrace.Identifier{Scheme: scheme}).Strong(); strong != (err != nil) {
				t.Errorf("scheme %s: strong %v, but a second holder was refused: %v", scheme, strong, err)
			}
		}
	})
}
