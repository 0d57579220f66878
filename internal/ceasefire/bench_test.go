package ceasefire_test

import (
	"os"
	"testing"

	"github.com/armstrace/armstrace/internal/ceasefire"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// BenchmarkReport reports on the ceasefire of the database named by
// ARMSTRACE_BENCH_DB (bench/ceasefire.sh builds one of a million events,
// with cf:conflictia-2010), or on the hand-built country without it.
func BenchmarkReport(b *testing.B) {
	var s *store.Store
	id := "cf:rt"
	if path := os.Getenv("ARMSTRACE_BENCH_DB"); path != "" {
		var err error
		if s, err = store.Open(ctx, path); err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		id = "cf:conflictia-2010"
	} else {
		s = storetest.OpenSQLite(b)
		land(b, s)
	}
	for b.Loop() {
		if _, err := ceasefire.Build(ctx, s, id, ceasefire.Options{Aggregates: ceasefire.AggregatesSpread}); err != nil {
			b.Fatal(err)
		}
	}
}
