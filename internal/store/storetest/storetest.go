// Package storetest opens real databases for tests: a SQLite file in a
// temporary folder always, and a fresh PostgreSQL schema when
// ARMSTRACE_TEST_POSTGRES holds a URL. Under CI the PostgreSQL half is
// required, so that it cannot be skipped without anyone noticing.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/jsonl"
	"github.com/armstrace/armstrace/internal/store"
)

// EnvPostgres names the variable that holds the PostgreSQL test URL.
const EnvPostgres = "ARMSTRACE_TEST_POSTGRES"

// ForEach runs fn as a subtest against each database: "sqlite" always,
// "postgres" when configured.
func ForEach(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}

// OpenSQLite returns a migrated store on a new SQLite file, closed at the
// end of the test.
func OpenSQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "test.db"))
}

// PostgresURL returns the base URL for PostgreSQL tests, skipping the test
// when none is configured, and failing it under CI, where the PostgreSQL
// half of the suite must run.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvPostgres)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set, but CI must run the PostgreSQL tests", EnvPostgres)
		}
		t.Skipf("PostgreSQL tests skipped: set %s=postgres://user@host:5432/db?sslmode=disable to run them", EnvPostgres)
	}
	return u
}

// OpenPostgres returns a migrated store in a new schema of the configured
// PostgreSQL database, dropped at the end of the test.
func OpenPostgres(t testing.TB) *store.Store {
	t.Helper()
	return open(t, NewPostgresSchema(t))
}

// NewPostgresSchema creates an empty schema and returns a URL whose
// search_path points at it; the schema is dropped when the test ends.
func NewPostgresSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvPostgres, err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	schema := "armstrace_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("PostgreSQL at %s: create schema: %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// Import writes the records of a native JSON Lines file into s in one
// batch, failing the test on any error: how tests load the demo data.
func Import(t testing.TB, s *store.Store, name string, data []byte) {
	t.Helper()
	b, err := s.BeginBatch(armstrace.WithActor(context.Background(), "test"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback()
	r := jsonl.NewReader(bytes.NewReader(data), name)
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Put(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
}
