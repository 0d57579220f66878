package sipri

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

// BenchmarkReadRegister reads the shared register files (the largest
// files of both formats), open to EOF, and reports input rows per second.
func BenchmarkReadRegister(b *testing.B) {
	for _, bc := range []struct{ name, file string }{
		{"classic", sharedClassic},
		{"per-delivery-year", sharedPerYear},
	} {
		b.Run(bc.name, func(b *testing.B) {
			data, err := os.ReadFile(ingesttest.Shared(b, bc.file))
			if err != nil {
				b.Fatal(err)
			}
			lines := strings.Count(string(data), "\n") - 12 // the data rows, after preamble and header
			env := &ingest.Env{Source: "src:bench", File: bc.file, States: ingest.MustLoadStates()}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, _, err := RegisterFormat.Open(strings.NewReader(string(data)), env)
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
				}
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
