package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version   int
	Name      string
	AppliedAt string // empty when pending
}

func migrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", base)
		}
		out = append(out, Migration{Version: v, Name: base})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share a number", out[i-1].Name, out[i].Name)
		}
	}
	return out, nil
}

// Migrations lists every migration, with the time each was applied.
func (s *Store) Migrations(ctx context.Context) ([]Migration, error) {
	all, err := migrations()
	if err != nil {
		return nil, wrap("store.Migrations", err)
	}
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return nil, wrap("store.Migrations", err)
	}
	rows, err := s.write.QueryContext(ctx, `SELECT version, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, wrap("store.Migrations", err)
	}
	defer rows.Close()
	applied := map[int]string{}
	for rows.Next() {
		var v int
		var at string
		if err := rows.Scan(&v, &at); err != nil {
			return nil, wrap("store.Migrations", err)
		}
		applied[v] = at
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("store.Migrations", err)
	}
	for i := range all {
		all[i].AppliedAt = applied[all[i].Version]
	}
	return all, nil
}

// Migrate applies pending migrations in order, each in its own
// transaction, and returns those it applied. Concurrent callers on
// PostgreSQL are serialised by an advisory lock.
func (s *Store) Migrate(ctx context.Context) ([]Migration, error) {
	all, err := s.Migrations(ctx)
	if err != nil {
		return nil, err
	}
	var done []Migration
	for _, m := range all {
		if m.AppliedAt != "" {
			continue
		}
		ok, err := s.apply(ctx, m)
		if err != nil {
			return done, wrap("store.Migrate", fmt.Errorf("migration %s: %w", m.Name, err))
		}
		if ok {
			done = append(done, m)
		}
	}
	return done, nil
}

func (s *Store) apply(ctx context.Context, m Migration) (bool, error) {
	body, err := migrationFS.ReadFile("migrations/" + m.Name)
	if err != nil {
		return false, err
	}
	t, err := s.begin(ctx)
	if err != nil {
		return false, err
	}
	defer t.Rollback()
	if s.dialect == dialectPostgres {
		if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(7236591)`); err != nil {
			return false, err
		}
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil // another process applied it meanwhile
	}
	// Both drivers run a multi-statement script in one Exec when it has
	// no arguments.
	if _, err := t.ExecContext(ctx, string(body)); err != nil {
		return false, err
	}
	if _, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.Version, m.Name, s.Now().UTC().Format(time.RFC3339)); err != nil {
		return false, err
	}
	return true, t.Commit()
}
