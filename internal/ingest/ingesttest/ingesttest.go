// Package ingesttest helps the importers' tests: it finds the shared
// datasets next to the project, skipping a test when they are absent, and
// reads every row of a reader.
package ingesttest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// Shared returns the path of a file under the shared data folder (the
// folder "shared/data" beside the project's root), or skips the test with
// a message when it is not there, as on a user's machine.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	return beside(t, filepath.Join("data", rel), "shared dataset "+rel)
}

// Seed returns the path of the seed press release ("shared/seed" beside
// the project's root), or skips the test with a message.
func Seed(t testing.TB) string {
	t.Helper()
	return beside(t, filepath.Join("seed", "press-release-2012-04-12.txt"), "the seed press release")
}

// beside finds rel under the "shared" folder beside the module root.
func beside(t testing.TB, rel, what string) string {
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
	p := filepath.Join(dir, "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not found (it exists only beside the project in CI and for developers): %v", what, err)
	}
	return p
}

// Env returns an environment for tests, citing a fixed snapshot source.
func Env(file string) *ingest.Env {
	return &ingest.Env{Source: "src:test", File: file, States: ingest.MustLoadStates()}
}

// ReadAll reads every row. Bad rows are collected, not fatal; any other
// error fails the test. Every record of every good row must validate.
func ReadAll(t testing.TB, r ingest.Reader) (rows []ingest.Row, bad []*armstrace.Error) {
	t.Helper()
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows, bad
		}
		var e *armstrace.Error
		if errors.As(err, &e) && e.Code == armstrace.EINVALID {
			bad = append(bad, e)
			continue
		}
		if err != nil {
			t.Fatalf("fatal reader error after %d rows: %v", len(rows), err)
		}
		for _, op := range row.Ops {
			op.Record.Normalize()
			if err := op.Record.Validate(); err != nil {
				t.Fatalf("line %d: %s %s does not validate: %v", row.Line, op.Record.RecordType(), op.Record.RecordID(), err)
			}
		}
		rows = append(rows, row)
	}
}

// Records returns the records of rows of one type, in order.
func Records[T armstrace.Record](rows []ingest.Row) []T {
	var out []T
	for _, r := range rows {
		for _, op := range r.Ops {
			if v, ok := op.Record.(T); ok {
				out = append(out, v)
			}
		}
	}
	return out
}
