package graph_test

import (
	"os"
	"testing"

	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// BenchmarkEnablers runs the chain search on the database named by
// ARMSTRACE_BENCH_DB for the country in ARMSTRACE_BENCH_COUNTRY (default
// Conflictia): bench/enablers.sh builds such a database from a generated
// graph of a million claims. Without the variable it runs on the demo.
func BenchmarkEnablers(b *testing.B) {
	var s *store.Store
	country := "Syria"
	if path := os.Getenv("ARMSTRACE_BENCH_DB"); path != "" {
		var err error
		if s, err = store.Open(ctx, path); err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		country = "Conflictia"
		if c := os.Getenv("ARMSTRACE_BENCH_COUNTRY"); c != "" {
			country = c
		}
	} else {
		s = storetest.OpenSQLite(b)
		loadDemo(b, s)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := graph.Enablers(ctx, s, graph.Scope{Country: country, Limit: 20})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Enablers) == 0 {
			b.Fatal("no enablers")
		}
	}
}
