package sipri

import (
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

var fuzzStates = ingest.MustLoadStates()

// fuzzRead runs a format over arbitrary bytes: it must never panic, every
// error must be io.EOF or an *armstrace.Error of code EINVALID, and every
// record of every good row must validate.
func fuzzRead(t *testing.T, f ingest.Format, data []byte) {
	env := &ingest.Env{Source: "src:fuzz", File: "fuzz.csv", States: fuzzStates}
	r, _, err := f.Open(strings.NewReader(string(data)), env)
	if err != nil {
		var e *armstrace.Error
		if !errors.As(err, &e) {
			t.Fatalf("open: error that is not an *armstrace.Error: %#v", err)
		}
		return
	}
	limit := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 10
	for i := 0; ; i++ {
		if i > limit {
			t.Fatalf("more than %d rows from %d lines: the reader does not reach EOF", i, limit)
		}
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var e *armstrace.Error
			if !errors.As(err, &e) || e.Code != armstrace.EINVALID {
				t.Fatalf("row error that is not an EINVALID *armstrace.Error: %#v", err)
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
	if u, ok := r.(interface{ Unresolved() []string }); ok {
		names := u.Unresolved()
		if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
			t.Fatalf("unresolved names not sorted and unique: %q", names)
		}
	}
}

func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		// The header and one row, and a BOM and CRLF variant.
		lines := strings.SplitAfter(string(b), "\n")
		f.Add([]byte(strings.Join(lines[len(lines)-4:], "")))
		f.Add([]byte("\xef\xbb\xbf" + strings.ReplaceAll(string(b), "\n", "\r\n")))
	}
}

func FuzzRegister(f *testing.F) {
	addSeeds(f, "register_classic.csv", "register_per_delivery_year.csv")
	f.Add([]byte("Recipient,Supplier,Weapon designation\nSyria,Russia,Mi-17\n"))
	f.Add([]byte("SIPRI AT Database ID,Supplier,Recipient,Designation,Order date,Numbers delivered,Delivery year,TIV delivery values\n1,Russia,Syria,Mi-17,2011,1,2011,7\n1,Russia,Syria,Mi-17,2011,1,2011,7\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, RegisterFormat, data) })
}

func FuzzTIV(f *testing.F) {
	addSeeds(f, "tiv_imports.csv", "tiv_exports.csv")
	f.Add([]byte("Supplier,2000,2001,2000-2001\nRussia,1,0,1\nRussia,1,,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, TIVFormat, data) })
}
