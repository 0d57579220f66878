package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// TestVerifyWhileWriting checks that a verify running beside writers sees
// one consistent snapshot and never reports a break that is not there.
func TestVerifyWhileWriting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		must(t, s.CreateSource(ctx, source("src:a")))
		var stop atomic.Bool
		var wg sync.WaitGroup
		var writes atomic.Int64
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; !stop.Load(); i++ {
					if err := s.CreateEntity(ctx, entity(fmt.Sprintf("ent:w%d-%d", w, i), "W", armstrace.EntityCompany)); err != nil {
						t.Error(err)
						return
					}
					writes.Add(1)
				}
			}(w)
		}
		deadline := time.Now().Add(time.Second)
		runs := 0
		for time.Now().Before(deadline) || runs < 5 {
			rep, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			runs++
			if !rep.OK() {
				t.Errorf("verify %d reported a break on an untampered log: %+v %+v %+v", runs, rep, rep.Break, rep.DataBreak)
				break
			}
		}
		stop.Store(true)
		wg.Wait()
		t.Logf("%d verifies beside %d writes", runs, writes.Load())
	})
}

// TestConcurrentBatchesTakeTurns runs two imports of the same records in
// opposite orders at once: neither deadlocks, and the second finds the
// first's records unchanged instead of clashing with them.
func TestConcurrentBatchesTakeTurns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		must(t, s.CreateSource(ctx, source("src:a")))
		orders := [][]string{{"ent:x", "ent:y"}, {"ent:y", "ent:x"}}
		stats := make([]*armstrace.ImportStats, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range orders {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				b, err := s.BeginBatch(ctx)
				if err != nil {
					errs[i] = err
					return
				}
				defer b.Rollback()
				for j, id := range orders[i] {
					if _, err := b.Put(entity(id, "E", armstrace.EntityCompany)); err != nil {
						errs[i] = err
						return
					}
					if j == 0 {
						time.Sleep(100 * time.Millisecond)
					}
				}
				errs[i] = b.Commit()
				stats[i] = b.Stats()
			}(i)
		}
		wg.Wait()
		created, unchanged := 0, 0
		for i, err := range errs {
			if err != nil {
				t.Fatalf("batch %d: %v", i, err)
			}
			c, _, u := stats[i].Total()
			created += c
			unchanged += u
		}
		if created != 2 || unchanged != 2 {
			t.Fatalf("%d created and %d unchanged over both batches, want 2 and 2", created, unchanged)
		}
		rep, err := s.VerifyAudit(ctx)
		if err != nil || !rep.OK() || rep.Entries != 3 {
			t.Fatalf("audit after both batches: %+v %v", rep, err)
		}
	})
}

// TestConcurrentMigrate starts four processes' worth of stores on one new
// database at once.
func TestConcurrentMigrate(t *testing.T) {
	for _, db := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return t.TempDir() + "/m.db" }},
		{"postgres", func(t *testing.T) string { return storetest.NewPostgresSchema(t) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			dsn := db.dsn(t)
			var wg sync.WaitGroup
			applied := make([]int, 4)
			errs := make([]error, 4)
			for i := range errs {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					s, err := store.Open(context.Background(), dsn)
					if err != nil {
						errs[i] = err
						return
					}
					defer s.Close()
					done, err := s.Migrate(context.Background())
					applied[i], errs[i] = len(done), err
				}(i)
			}
			wg.Wait()
			total := 0
			for i, err := range errs {
				if err != nil {
					t.Fatalf("migrator %d: %v", i, err)
				}
				total += applied[i]
			}
			ms, err := storetest.OpenSQLite(t).Migrations(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if want := len(ms); total != want {
				t.Fatalf("%d migrations applied in all, want each of the %d once", total, want)
			}
		})
	}
}

// TestChangedMigrationIsRefused: a database whose applied migration text
// differs from the embedded one is not silently used.
func TestChangedMigrationIsRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.DB().ExecContext(ctx, `UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Fatalf("migrate over an edited migration: %v", err)
		}
		if err := s.CheckSchema(ctx); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Fatalf("check over an edited migration: %v", err)
		}
	})
}
