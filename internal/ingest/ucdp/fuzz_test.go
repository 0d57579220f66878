package ucdp

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

// fuzzRead opens data with f and reads every row: the reader must never
// panic, every error must be io.EOF or an *armstrace.Error, and every
// record of every good row must be valid.
func fuzzRead(t *testing.T, f ingest.Format, env *ingest.Env, data []byte) {
	r, _, err := f.Open(bytes.NewReader(data), env)
	if err != nil {
		var e *armstrace.Error
		if !errors.As(err, &e) {
			t.Fatalf("open: %T %v is no *armstrace.Error", err, err)
		}
		return
	}
	for n := 0; ; n++ {
		if n > len(data)+1 {
			t.Fatalf("more rows (%d) than bytes: the reader does not advance", n)
		}
		row, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			var e *armstrace.Error
			if !errors.As(err, &e) || e.Code != armstrace.EINVALID || e.Line == 0 {
				t.Fatalf("row %d: %T %v is no EINVALID *armstrace.Error with a line", n, err, err)
			}
			continue
		}
		if len(row.Ops) == 0 {
			t.Fatalf("line %d: a good row without records", row.Line)
		}
		for _, op := range row.Ops {
			op.Record.Normalize()
			if err := op.Record.Validate(); err != nil {
				t.Fatalf("line %d: %s %s: %v", row.Line, op.Record.RecordType(), op.Record.RecordID(), err)
			}
		}
	}
}

func seed(f *testing.F, path string, extra ...string) {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

func FuzzGED(f *testing.F) {
	seed(f, gedExcerpt,
		gedHeader+gedGood,
		gedHeader+gedWith("date_prec", "1")+gedWith("latitude", "NA"),
		"\xef\xbb\xbf\"\","+gedHeader+"1,"+gedWith("where_coordinates", "\"Alep\xe9\""),
		gedHeader+gedWith("date_end", "2016-01-09"),
	)
	env := ingesttest.Env("ged_syria_652.1601.1911_x.csv") // the states table is read-only: share it
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, GEDFormat, env, data)
	})
}

func FuzzActors(f *testing.F) {
	seed(f, actorsExcerpt,
		actorsHeader+actorsGood,
		actorsHeader+`234,IS,A,B,C,1,"X, Y, IS","P, Q, R","S, T, U",1,,,,,,,,,,,,,,,,,,,,,,,,,22.1`+"\n",
		actorsHeader+`5,Government of Cuba,Government of Rumania,Луганская / Lugansk,n/a,0,,,,4,,,,,,,,,,,,,,,,,,,,,,,40,,22.1`+"\n",
	)
	env := ingesttest.Env("ucdp-actor-221.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, ActorsFormat, env, data)
	})
}
