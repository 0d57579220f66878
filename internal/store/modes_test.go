package store_test

import (
	"slices"
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
