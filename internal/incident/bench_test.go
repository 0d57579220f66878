package incident

import (
	"testing"
	"time"
)

// BenchmarkCluster100k clusters 100,000 generated reports from two
// datasets over two years and 300 towns, and reports reports/s.
func BenchmarkCluster100k(b *testing.B) {
	events := Synthetic(100_000, 730, 1)
	b.ResetTimer()
	var incs []Incident
	start := time.Now()
	for b.Loop() {
		incs = Cluster(events, Options{})
	}
	elapsed := time.Since(start)
	multi := 0
	for _, in := range incs {
		if in.MultiSource() {
			multi++
		}
	}
	b.ReportMetric(float64(len(events)*b.N)/elapsed.Seconds(), "reports/s")
	b.Logf("%d reports → %d incidents (%d multi-source) in %v per run", len(events), len(incs), multi, elapsed/time.Duration(b.N))
}
