package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

// BenchmarkImportGED imports the UCDP GED Syria release (16,566 events)
// into a new SQLite database per iteration, through the command itself:
// reading, mapping, writing and auditing. For the million-row figures and
// peak memory, see bench/ged.sh.
func BenchmarkImportGED(b *testing.B) {
	file := ingesttest.Shared(b, "ucdp_ged_syria/ged_syria_652.1601.1911_2016-01-01_2019-11-30.csv")
	rows := 16566
	for b.Loop() {
		db := filepath.Join(b.TempDir(), "b.db")
		a := &App{Stdout: io.Discard, Stderr: io.Discard}
		if code := a.Main(context.Background(), []string{"--db", db, "import", "--format", "ucdp-ged", file}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
