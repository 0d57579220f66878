package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version   int
	Name      string
	SHA256    string // of the file's text
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
		body, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		out = append(out, Migration{Version: v, Name: base, SHA256: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share a number", out[i-1].Name, out[i].Name)
		}
	}
	return out, nil
}

// Migrations lists every migration with the time each was applied. It
// changes nothing, so a role that may only read can call it.
func (s *Store) Migrations(ctx context.Context) ([]Migration, error) {
	all, err := migrations()
	if err != nil {
		return nil, wrap("store.Migrations", err)
	}
	applied, err := s.applied(ctx)
	if err != nil {
		return nil, wrap("store.Migrations", err)
	}
	for i := range all {
		a, ok := applied[all[i].Version]
		if ok && a.sha != "" && a.sha != all[i].SHA256 {
			// Migrations are never edited once applied: a database built
			// from another text of one would not be the schema this code
			// expects.
			return nil, armstrace.Errorf(armstrace.ECONFLICT, "migration %s differs from the one applied to this database on %s: the database was built by another version of armstrace", all[i].Name, a.at)
		}
		all[i].AppliedAt = a.at
		delete(applied, all[i].Version)
	}
	for v := range applied {
		return nil, armstrace.Errorf(armstrace.ECONFLICT, "the database has migration %d, which this armstrace does not know: it was upgraded by a newer version", v)
	}
	return all, nil
}

// applied returns the applied migrations by version, none when the
// database is empty.
type appliedMigration struct{ at, sha string }

func (s *Store) applied(ctx context.Context) (map[int]appliedMigration, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if s.dialect == dialectPostgres {
		q = `SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`
	}
	var n int
	if err := s.read.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return nil, err
	}
	out := map[int]appliedMigration{}
	if n == 0 {
		return out, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT version, applied_at, sha256 FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		var a appliedMigration
		if err := rows.Scan(&v, &a.at, &a.sha); err != nil {
			return nil, err
		}
		out[v] = a
	}
	return out, rows.Err()
}

// CheckSchema returns ECONFLICT when migrations are pending, for commands
// that only read and so must not change the schema themselves.
func (s *Store) CheckSchema(ctx context.Context) error {
	all, err := s.Migrations(ctx)
	if err != nil {
		return err
	}
	for _, m := range all {
		if m.AppliedAt == "" {
			return armstrace.Errorf(armstrace.ECONFLICT, "the database needs migration %s: run armstrace migrate", m.Name)
		}
	}
	return nil
}

// Migrate applies pending migrations in order, each in its own
// transaction, and returns those it applied. It works on one connection;
// on PostgreSQL that connection holds an advisory lock throughout, so that
// processes starting together on a new database take turns.
func (s *Store) Migrate(ctx context.Context) (done []Migration, err error) {
	defer func() { err = wrap("store.Migrate", err) }()
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if s.dialect == dialectPostgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7236591)`); err != nil {
			return nil, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7236591)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, sha256 TEXT NOT NULL)`); err != nil {
		return nil, err
	}
	// Refuse a database whose applied migrations differ from ours.
	if _, err := s.Migrations(ctx); err != nil {
		return nil, err
	}
	for _, m := range all {
		ok, err := s.apply(ctx, conn, m)
		if err != nil {
			return done, fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if ok {
			done = append(done, m)
		}
	}
	if len(done) > 0 && s.dialect != dialectPostgres {
		// A migration that builds an index over a large table leaves a WAL
		// as large: copy it back now, so that the next command does not
		// pay for it, nor readers wade through it.
		if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return done, err
		}
	}
	return done, nil
}

// apply runs one migration unless it is applied already; the check is in
// the migration's own transaction, which on SQLite holds the write lock,
// so two processes cannot both apply it.
func (s *Store) apply(ctx context.Context, conn *sql.Conn, m Migration) (bool, error) {
	body, err := migrationFS.ReadFile("migrations/" + m.Name)
	if err != nil {
		return false, err
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	t := &tx{Tx: sqlTx, s: s}
	defer t.Rollback()
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	// Both drivers run a multi-statement script in one Exec when it has
	// no arguments.
	if _, err := t.ExecContext(ctx, string(body)); err != nil {
		return false, err
	}
	if _, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at, sha256) VALUES (?, ?, ?, ?)`, m.Version, m.Name, s.Now().UTC().Format(time.RFC3339), m.SHA256); err != nil {
		return false, err
	}
	return true, t.Commit()
}
