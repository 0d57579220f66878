package extract_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/extract"
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
// project (../shared/seed from the module root), or skips the test.
func seedPath(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "seed", "press-release-2012-04-12.txt")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("the seed press release is not beside the project (it exists only in CI and for developers): %v", err)
	}
	return p
}
