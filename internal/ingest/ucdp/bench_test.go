package ucdp

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

// BenchmarkReadGED reads the whole GED Syria file (16,566 rows) from
// memory and reports rows per second, of wall time and of CPU time (the
// process's, garbage collection included). The reader alone must be far
// faster than the 50,000 rows/s the whole import aims at.
func BenchmarkReadGED(b *testing.B) {
	benchRead(b, GEDFormat, gedSyria)
}

// BenchmarkReadActors reads the whole Actor Dataset file (1,725 rows).
func BenchmarkReadActors(b *testing.B) {
	benchRead(b, ActorsFormat, actorsFile)
}

func benchRead(b *testing.B, f ingest.Format, rel string) {
	p := ingesttest.Shared(b, rel)
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	env := ingesttest.Env(p)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	cpu := cpuTime()
	for b.Loop() {
		r, _, err := f.Open(bytes.NewReader(data), env)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	if used := cpuTime() - cpu; used > 0 {
		b.ReportMetric(float64(rows)/used.Seconds(), "rows/cpu-s")
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkTableGED only reads the cells of the GED Syria file with
// ingest.Table: the floor under BenchmarkReadGED, to compare with it.
func BenchmarkTableGED(b *testing.B) {
	p := ingesttest.Shared(b, gedSyria)
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	cpu := cpuTime()
	for b.Loop() {
		t, err := ingest.NewTable(bytes.NewReader(data), ingest.TableOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := t.Next(); err == io.EOF {
				break
			}
			rows++
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	if used := cpuTime() - cpu; used > 0 {
		b.ReportMetric(float64(rows)/used.Seconds(), "rows/cpu-s")
	}
	b.ReportMetric(0, "ns/op")
}
