package extract_test

import (
	"context"
	"sync"
	"testing"

	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/extract"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

var (
	demoOnce sync.Once
	demoGaz  *extract.Gazetteer
	demoErr  error
)

// demoGazetteer returns a gazetteer built from the demo dataset, loaded
// into a real SQLite store once for the package's tests.
func demoGazetteer(t *testing.T) *extract.Gazetteer {
	t.Helper()
	demoOnce.Do(func() {
		s := storetest.OpenSQLite(t)
		storetest.Import(t, s, "demo.jsonl", demo.Data)
		demoGaz, demoErr = extract.Load(context.Background(), s)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoGaz
}

// seedPath returns the path of the seed press release beside the
// project, or skips the test.
func seedPath(t *testing.T) string { return ingesttest.Seed(t) }
