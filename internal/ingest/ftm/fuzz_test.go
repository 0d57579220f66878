package ftm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

// FuzzRead feeds arbitrary bytes to the reader: it must never panic,
// every error must be io.EOF or an EINVALID *armstrace.Error, every
// record of every good row must validate, and every claim must refer only
// to records written before it.
func FuzzRead(f *testing.F) {
	b, err := os.ReadFile("testdata/entities.ftm.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"id":"a","schema":"Company","properties":{"name":["A"],"innCode":["1"]}}
{"id":"b","schema":"Company","properties":{"name":["B"],"innCode":["1"]}}
{"id":"o","schema":"Ownership","properties":{"owner":["a"],"asset":["b"],"percentage":["25-50%"],"startDate":["2011"]}}
{"id":"s","schema":"Sanction","properties":{"entity":["a","b"],"authority":["Ministry of Foreign Affairs of Ukraine"]}}
{"id":"d","schema":"Directorship","properties":{"director":["b"],"organization":["a"]}}`))
	f.Add([]byte("\ufeff{\"id\":\"x\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"\\u0001\"]}}\r\nnot json\n{}"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rd, _, err := Format.Open(bytes.NewReader(in), ingesttest.Env("-"))
		if err != nil {
			// Only a file with nothing in it is refused whole.
			var e *armstrace.Error
			if !errors.As(err, &e) || e.Code != armstrace.EINVALID || len(bytes.TrimSpace(bytes.TrimPrefix(in, []byte("\ufeff")))) != 0 {
				t.Fatal(err)
			}
			return
		}
		seen := map[string]bool{}
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
				if !errors.As(err, &e) || e.Code != armstrace.EINVALID || e.Line < 1 {
					t.Fatalf("not an EINVALID *armstrace.Error with a line: %v", err)
				}
				continue
			}
			for _, op := range row.Ops {
				op.Record.Normalize()
				if err := op.Record.Validate(); err != nil {
					t.Fatalf("line %d: %s %s does not validate: %v", row.Line, op.Record.RecordType(), op.Record.RecordID(), err)
				}
				if c, ok := op.Record.(*armstrace.Claim); ok && (!seen[c.Subject] || !seen[c.Object]) {
					t.Fatalf("line %d: claim %s refers to a record not yet written", row.Line, c.ID)
				}
				seen[op.Record.RecordID()] = true
			}
		}
	})
}

// BenchmarkRead reads generated lines in the FollowTheMoney layout (there
// is no shared FtM file): companies with identifiers, and for every two
// companies one ownership.
func BenchmarkRead(b *testing.B) {
	var buf strings.Builder
	const n = 20000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&buf, `{"id":"c%d","schema":"Company","properties":{"name":["Company %d","Компания %d"],"alias":["C%d"],"innCode":["77%08d"],"country":["ru"],"website":["www.c%d.ru"]},"datasets":["bench"],"first_seen":"2020-01-01T00:00:00"}`+"\n", i, i, i, i, i, i)
		if i%2 == 1 {
			fmt.Fprintf(&buf, `{"id":"o%d","schema":"Ownership","properties":{"owner":["c%d"],"asset":["c%d"],"percentage":["51"],"startDate":["2011"]}}`+"\n", i, i-1, i)
		}
	}
	in := buf.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	rows := 0
	for b.Loop() {
		rd, _, err := Format.Open(strings.NewReader(in), ingesttest.Env("-"))
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
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
