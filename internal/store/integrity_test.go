package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// failCitationsWithLocator installs a trigger that makes inserting a
// citation with the given locator fail, to break a write after its main
// row and child rows are in.
func failCitationsWithLocator(t *testing.T, s *store.Store, locator string) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER boom BEFORE INSERT ON citations WHEN NEW.locator = '` + locator + `' BEGIN SELECT RAISE(ABORT, 'boom'); END`}
	if s.Dialect() == "postgres" {
		stmts = []string{
			`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.locator = '` + locator + `' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`,
			`CREATE TRIGGER boom BEFORE INSERT ON citations FOR EACH ROW EXECUTE FUNCTION boom()`,
		}
	}
	for _, q := range stmts {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriteFailingLateLeavesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		must(t, s.CreateSource(ctx, source("src:a")))
		failCitationsWithLocator(t, s, "boom")
		e := entity("ent:late", "Late", armstrace.EntityCompany)
		e.Aliases = []armstrace.Name{{Value: "Поздно"}}
		e.Identifiers = []armstrace.Identifier{{Scheme: "imo", Value: "9000002"}}
		e.Citations = []armstrace.Citation{{Source: "src:a", Locator: "boom"}}
		if err := s.CreateEntity(ctx, e); err == nil {
			t.Fatal("the trigger did not fire")
		}
		if _, err := s.FindEntityByID(ctx, "ent:late"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			t.Fatalf("half-written entity survived: %v", err)
		}
		if es, _ := s.FindEntities(ctx, armstrace.EntityFilter{NameLike: "поздно"}); len(es) != 0 {
			t.Fatalf("its name survived: %v", es)
		}
		// Its identifier is free, so nothing of it is left in the child tables.
		e.Citations = nil
		must(t, s.CreateEntity(ctx, e))
		rep, err := s.VerifyAudit(ctx)
		if err != nil || !rep.OK() || rep.Entries != 2 {
			t.Fatalf("audit: %+v %v", rep, err)
		}
	})
}

func TestBatchRefusesToCommitAfterAFailedPut(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		must(t, s.CreateSource(ctx, source("src:a")))
		failCitationsWithLocator(t, s, "boom")
		b, err := s.BeginBatch(ctx)
		must(t, err)
		defer b.Rollback()
		if _, err := b.Put(entity("ent:ok", "OK", armstrace.EntityState)); err != nil {
			t.Fatal(err)
		}
		bad := entity("ent:bad", "Bad", armstrace.EntityState)
		bad.Citations[0].Locator = "boom"
		if _, err := b.Put(bad); err == nil {
			t.Fatal("the trigger did not fire")
		}
		if err := b.Commit(); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Fatalf("commit after a failed put: %v", err)
		}
		counts, err := s.Counts(ctx)
		must(t, err)
		if counts[armstrace.TypeEntity] != 0 {
			t.Fatalf("%d entities survived a failed batch", counts[armstrace.TypeEntity])
		}
	})
}

func TestVerifyCatchesDataChangedOutsideArmstrace(t *testing.T) {
	for _, tc := range []struct {
		name, sql, id, reason string
	}{
		{"changed", `UPDATE claims SET doc = REPLACE(doc, '"status":"alleged"', '"status":"verified"'), status = 'verified' WHERE id = 'clm:sup'`, "clm:sup", "changed outside"},
		{"deleted", `DELETE FROM claims WHERE id = 'clm:party'`, "clm:party", "deleted outside"},
		{"added", `INSERT INTO sources (id, kind, title, doc) VALUES ('src:forged', 'document', 'Forged', '{"id":"src:forged","kind":"document","title":"Forged"}')`, "src:forged", "added outside"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, s *store.Store) {
				ctx := context.Background()
				seed(t, s)
				if _, err := s.DB().Exec(tc.sql); err != nil {
					t.Fatal(err)
				}
				rep, err := s.VerifyAudit(ctx)
				must(t, err)
				if rep.Break != nil {
					t.Fatalf("the chain itself is intact, but: %+v", rep.Break)
				}
				if rep.OK() || rep.DataBreaks != 1 || rep.DataBreak.ID != tc.id || !strings.Contains(rep.DataBreak.Reason, tc.reason) {
					t.Fatalf("want one data break on %s (%s), got %d: %+v", tc.id, tc.reason, rep.DataBreaks, rep.DataBreak)
				}
			})
		})
	}
}

// TestExportIsInByteOrder checks the order of ids that sort differently
// under a linguistic collation than byte by byte; on PostgreSQL the id
// column is switched to such a collation first, where the server has one.
func TestExportIsInByteOrder(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		if s.Dialect() == "postgres" {
			var n int
			must(t, s.DB().QueryRow(`SELECT COUNT(*) FROM pg_collation WHERE collname = 'en-US-x-icu'`).Scan(&n))
			if n == 0 {
				t.Skip("this PostgreSQL has no ICU collation to test against")
			}
			if _, err := s.DB().Exec(`ALTER TABLE sources ALTER COLUMN id TYPE TEXT COLLATE "en-US-x-icu"`); err != nil {
				t.Fatal(err)
			}
		}
		ids := []string{"src:a", "src:B", "src:a-b", "src:ab", "src:Ä", "src:a_b"}
		for _, id := range ids {
			must(t, s.CreateSource(ctx, source(id)))
		}
		var got []string
		must(t, s.Export(ctx, func(typ armstrace.RecordType, doc string) error {
			r, err := s.FindSourceByID(ctx, doc[len(`{"id":"`):strings.Index(doc, `","kind"`)])
			if err != nil {
				return err
			}
			got = append(got, r.ID)
			return nil
		}))
		want := slices.Clone(ids)
		slices.Sort(want) // Go compares strings byte by byte
		if !slices.Equal(got, want) {
			t.Fatalf("export order %v, want byte order %v", got, want)
		}
	})
}
