package sipri

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

const (
	sharedClassic = "sipri_arms_transfers/sipri_trade_register_2024-10-13_syria_afghanistan-from-russia_russia-orders-2009-2013.csv"
	sharedPerYear = "sipri_arms_transfers/sipri_trade_register_v2025-01-03_per-delivery-year_syria_afghanistan-from-russia_russia-orders-2009-2013.csv"
	sharedImports = "sipri_arms_transfers/sipri_tiv_imports_1950-2024_syria_afghanistan.csv"
	sharedExports = "sipri_arms_transfers/sipri_tiv_exports_1950-2024_russia_sovietunion_usa.csv"
)

// result is everything a reader gave for one input.
type result struct {
	ds         ingest.Dataset
	rows       []ingest.Row
	bad        []*armstrace.Error
	unresolved []string
	warnings   []string
}

func readBytes(t testing.TB, f ingest.Format, name string, data []byte) result {
	t.Helper()
	r, ds, err := f.Open(strings.NewReader(string(data)), ingesttest.Env(name))
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	rows, bad := ingesttest.ReadAll(t, r)
	res := result{ds: ds, rows: rows, bad: bad}
	if u, ok := r.(interface{ Unresolved() []string }); ok {
		res.unresolved = u.Unresolved()
	}
	if w, ok := r.(interface{ Warnings() []string }); ok {
		res.warnings = w.Warnings()
	}
	return res
}

func readPath(t testing.TB, f ingest.Format, path string) result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readBytes(t, f, path, data)
}

func readString(t testing.TB, f ingest.Format, data string) result {
	t.Helper()
	return readBytes(t, f, "test.csv", []byte(data))
}

func testdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (r result) claims() []*armstrace.Claim { return ingesttest.Records[*armstrace.Claim](r.rows) }

func (r result) series() []*armstrace.Series { return ingesttest.Records[*armstrace.Series](r.rows) }

func (r result) entities() []*armstrace.Entity { return ingesttest.Records[*armstrace.Entity](r.rows) }

func (r result) claim(t testing.TB, id string) *armstrace.Claim {
	t.Helper()
	for _, c := range r.claims() {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no claim %s", id)
	return nil
}

func (r result) entity(t testing.TB, id string) *armstrace.Entity {
	t.Helper()
	for _, e := range r.entities() {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no entity %s", id)
	return nil
}

// checkOps checks the contract on the ops of every row: entities come
// before the claims and series that refer to them, shared entities are
// merged, and no entity is emitted twice in one import.
func checkRows(t testing.TB, rows []ingest.Row) {
	t.Helper()
	emitted := map[string]int{}
	for _, row := range rows {
		for _, op := range row.Ops {
			switch rec := op.Record.(type) {
			case *armstrace.Entity:
				if op.Mode != ingest.Merge {
					t.Errorf("line %d: entity %s written with mode %v, want Merge", row.Line, rec.ID, op.Mode)
				}
				if prev, dup := emitted[rec.ID]; dup {
					t.Errorf("line %d: entity %s emitted again (first on line %d)", row.Line, rec.ID, prev)
				}
				emitted[rec.ID] = row.Line
			case *armstrace.Claim:
				if op.Mode != ingest.Put {
					t.Errorf("line %d: claim written with mode %v", row.Line, op.Mode)
				}
				for _, ref := range []string{rec.Subject, rec.Object, rec.Attrs.Transfer.Weapon} {
					if _, ok := emitted[ref]; !ok && ref != "" {
						t.Errorf("line %d: claim %s refers to %s before it is emitted", row.Line, rec.ID, ref)
					}
				}
			case *armstrace.Series:
				if _, ok := emitted[rec.Subject]; !ok {
					t.Errorf("line %d: series %s refers to %s before it is emitted", row.Line, rec.ID, rec.Subject)
				}
			}
		}
	}
}

// drain reads r to the end, returning rows and errors without failing on
// them; for tests of bad input.
func drain(t testing.TB, r ingest.Reader) (rows []ingest.Row, errs []*armstrace.Error) {
	t.Helper()
	for i := 0; i < 100000; i++ {
		row, err := r.Next()
		if err == io.EOF {
			return rows, errs
		}
		var e *armstrace.Error
		if !errors.As(err, &e) && err != nil {
			t.Fatalf("error that is not an *armstrace.Error: %v", err)
		}
		if err != nil {
			errs = append(errs, e)
			continue
		}
		rows = append(rows, row)
	}
	t.Fatal("reader does not reach EOF")
	return
}
