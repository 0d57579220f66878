package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/importer"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// TestDataset imports a GED excerpt into a batch: its run counts every
// row and names its snapshot; with a bad row, the row is reported by
// file, line and field, no run is made, and the batch (rolled back by
// its caller) writes nothing.
func TestDataset(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := armstrace.WithActor(context.Background(), "test")
		body, err := os.ReadFile("../ingest/ucdp/testdata/ged_syria_652.1601.1911_excerpt.csv")
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		f, ok := importer.Find("ucdp-ged")
		if !ok {
			t.Fatal("no ucdp-ged format")
		}
		states, err := ingest.LoadStates()
		if err != nil {
			t.Fatal(err)
		}
		run := func(name string, data []byte) (*importer.Result, int) {
			t.Helper()
			b, err := s.BeginBatch(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Rollback()
			res, err := importer.Dataset(ctx, b, importer.File{Format: f, Name: name, Body: bytes.NewReader(data), SHA256: armstrace.Digest(string(data)), States: states})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Bad) == 0 {
				if err := b.Commit(); err != nil {
					t.Fatal(err)
				}
			}
			evs, err := s.FindEvents(ctx, armstrace.EventFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return res, len(evs)
		}
		bad := strings.Replace(string(body), ",34.8024", ",north", 1)
		res, n := run("bad.csv", []byte(bad))
		if len(res.Bad) != 1 || res.Run != nil || !strings.Contains(armstrace.ErrorMessage(res.Bad[0]), "bad.csv:2: field latitude") || n != 0 {
			t.Errorf("a bad row: %v, run %v, %d events", res.Bad, res.Run, n)
		}
		res, n = run("ged.csv", body)
		if res.Run == nil || res.Run.RowsRead != len(recs)-1 || res.Run.Created == 0 || n == 0 || !strings.HasPrefix(res.Run.Source, "src:ucdp-ged:") {
			t.Errorf("the excerpt: %+v, %d events", res.Run, n)
		}
	})
}
