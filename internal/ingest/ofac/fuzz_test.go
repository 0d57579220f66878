package ofac

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

// FuzzRead feeds arbitrary main, alt, add and comments files to the
// reader: it must never panic, every error must be io.EOF or an
// *armstrace.Error, and every record of every good row must validate.
// The seeds are the testdata excerpts, some kilobytes each: run it with
// -fuzzminimizetime 2s, or the fuzzer spends its time minimizing them.
func FuzzRead(f *testing.F) {
	for _, dir := range []string{"testdata/sdn2019/sdn_2019_", "testdata/cons2025/nonsdn_2025_cons_"} {
		names := []string{"sdn", "alt", "add", "sdn_comments"}
		if filepath.Base(dir) == "nonsdn_2025_cons_" {
			names = []string{"prim", "alt", "add", "comments"}
		}
		var seed [4][]byte
		for i, n := range names {
			b, err := os.ReadFile(dir + n + ".csv")
			if err != nil {
				f.Fatal(err)
			}
			seed[i] = b
		}
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Add([]byte(goodRow+`2,"B",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: GOOD CO; Tax ID No. 1 (Russia)"`), []byte(`1,1,"aka","X",-0- `), []byte(`1,1,-0- ,-0- ,"Russia",-0- `), []byte(`2,"; Tax ID No. 1"`))
	f.Fuzz(func(t *testing.T, main, alt, add, comments []byte) {
		files := map[string][]byte{"alt.csv": alt, "add.csv": add, "sdn_comments.csv": comments}
		open := func(p string) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(files[filepath.Base(p)])), nil
		}
		rd, _, err := openWith(bytes.NewReader(main), ingesttest.Env("/fuzz/sdn.csv"), open)
		if err != nil {
			var e *armstrace.Error
			if !errors.As(err, &e) {
				t.Fatalf("open: not an *armstrace.Error: %v", err)
			}
			return
		}
		for i := 0; ; i++ {
			if i > 1<<20 {
				t.Fatal("the reader does not end")
			}
			row, err := rd.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var e *armstrace.Error
				if !errors.As(err, &e) || e.Code != armstrace.EINVALID {
					t.Fatalf("not an EINVALID *armstrace.Error: %v", err)
				}
				continue
			}
			for _, op := range row.Ops {
				op.Record.Normalize()
				if err := op.Record.Validate(); err != nil {
					t.Fatalf("line %d: %s %s does not validate: %v", row.Line, op.Record.RecordType(), op.Record.RecordID(), err)
				}
			}
		}
	})
}

// BenchmarkReadSDN2019 reads the 2019 SDN list with its alt, add and
// comments files.
func BenchmarkReadSDN2019(b *testing.B) {
	p := ingesttest.Shared(b, "matching/ofac/sdn_2019_sdn.csv")
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		rd, _, err := Format.Open(f, ingesttest.Env(p))
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		f.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
