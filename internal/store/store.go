// Package store keeps the evidence graph in SQL: embedded SQLite by
// default, PostgreSQL for a team. One implementation serves both; the few
// differences (placeholders, driver error codes, connection set-up) are
// handled here, and one conformance suite runs against both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

// Store is a handle on one database. It is safe for concurrent use.
type Store struct {
	dialect dialect
	// write takes every write. On SQLite it holds a single connection, so
	// that writers queue in Go instead of failing with SQLITE_BUSY; read
	// is a pool of readers that WAL lets run alongside the writer. On
	// PostgreSQL both are the same pool.
	write *sql.DB
	read  *sql.DB
	dsn   string

	// Now returns the time stamped on audit entries; tests replace it.
	Now func() time.Time
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL, or else the path
// of a SQLite file, created if missing. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{dsn: dsn, Now: time.Now}
	if IsPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, openError(dsn, err)
		}
		db.SetMaxOpenConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, openError(dsn, err)
		}
		s.dialect, s.write, s.read = dialectPostgres, db, db
		return s, nil
	}
	if dsn == "" {
		return nil, armstrace.Errorf(armstrace.EINVALID, "no database given: pass --db with a file path or a postgres:// URL")
	}
	if dir := filepath.Dir(dsn); dir != "." {
		if _, err := os.Stat(dir); err != nil {
			return nil, armstrace.Errorf(armstrace.EINVALID, "cannot open database %s: folder %s does not exist", dsn, dir)
		}
	}
	// busy_timeout comes first so that it covers the other pragmas.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	file := "file:" + (&url.URL{Path: dsn}).EscapedPath()
	// The writer gets a 64 MB page cache, so that a large import spills
	// pages to the WAL less often mid-transaction.
	w, err := sql.Open("sqlite", file+"?"+pragmas+"&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return nil, openError(dsn, err)
	}
	w.SetMaxOpenConns(1)
	if err := pingSQLite(ctx, w); err != nil {
		w.Close()
		return nil, openError(dsn, err)
	}
	r, err := sql.Open("sqlite", file+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, openError(dsn, err)
	}
	r.SetMaxOpenConns(4)
	s.dialect, s.write, s.read = dialectSQLite, w, r
	return s, nil
}

// openError says why a database cannot be opened. The driver's reason is
// part of the message: the one who named the database needs it, and
// neither driver puts a password in it.
// pingSQLite opens the first connection, which sets the pragmas. Turning
// on WAL needs a lock that SQLite does not wait for with busy_timeout, so
// processes opening a new file at the same moment can see "database is
// locked": that is retried for a while.
func pingSQLite(ctx context.Context, db *sql.DB) error {
	var err error
	for wait := 5 * time.Millisecond; wait < 5*time.Second; wait *= 2 {
		if err = db.PingContext(ctx); err == nil || !busy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
	return err
}

func busy(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	return false
}

func openError(dsn string, err error) error {
	return &armstrace.Error{Code: armstrace.EINVALID, Op: "store.Open", Message: fmt.Sprintf("cannot open database %s: %v", redact(dsn), err), Err: err}
}

// redact hides a password in a database URL.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		if e := s.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string {
	if s.dialect == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// DB returns the writer pool, for tests that must reach under the API
// (to tamper with the audit log, say).
func (s *Store) DB() *sql.DB { return s.write }

// Rebind rewrites the ? placeholders of query for the store's dialect.
// Queries in this package use ? and never put a ? inside a string literal.
func (s *Store) Rebind(query string) string {
	if s.dialect != dialectPostgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tx wraps *sql.Tx to rebind placeholders; helpers take it as their first
// argument so that the transaction is always explicit.
type tx struct {
	*sql.Tx
	s *Store
	// head is the audit chain's head as this transaction sees it, read
	// once (locking the row) and written back once at commit: updating the
	// one head row per record would leave PostgreSQL a dead row version
	// per write to step over, and a big import would slow quadratically.
	head *auditHead
	// known caches ids seen to exist in this transaction ("sources\x00src:a"),
	// so that a batch citing one source ten thousand times checks it once.
	known map[string]bool
	stmts map[string]*sql.Stmt
	// redirects caches entity redirects looked up in this transaction,
	// "" for an id that has none.
	redirects map[string]string
}

type auditHead struct {
	seq     int64
	hash    string
	dataSeq int64 // the last entry that changed data
	dirty   bool
}

// commit writes back the audit head, then commits.
func (t *tx) commit(ctx context.Context) error {
	if t.head != nil && t.head.dirty {
		if _, err := t.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ?, data_seq = ? WHERE id = 1`, t.head.seq, t.head.hash, t.head.dataSeq); err != nil {
			return err
		}
		t.head.dirty = false
	}
	return t.Commit()
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := t.prepared(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.ExecContext(ctx, t.s.Rebind(q), args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.QueryContext(ctx, t.s.Rebind(q), args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.QueryRowContext(ctx, t.s.Rebind(q), args...)
}

// prepared returns q prepared once per transaction on SQLite, whose driver
// would otherwise parse the same statement for every record of an import;
// the statements close with the transaction. pgx caches prepared
// statements per connection by itself, so PostgreSQL gets nil here.
func (t *tx) prepared(ctx context.Context, q string) *sql.Stmt {
	if t.s.dialect != dialectSQLite || t.stmts == nil {
		return nil
	}
	if st, ok := t.stmts[q]; ok {
		return st
	}
	st, err := t.PrepareContext(ctx, q)
	if err != nil {
		return nil // run it unprepared, which reports the error
	}
	t.stmts[q] = st
	return st
}

// begin starts a write transaction; on SQLite it is BEGIN IMMEDIATE (the
// _txlock option), which takes the database's write lock at once. On
// PostgreSQL it locks the audit head row before anything else: every write
// extends the one audit chain, so writers take turns, and taking the turn
// first means two imports can neither deadlock on each other's rows nor
// see each other's uncommitted keys.
func (s *Store) begin(ctx context.Context) (*tx, error) {
	t, err := s.beginPlain(ctx)
	if err != nil {
		return nil, err
	}
	if s.dialect == dialectPostgres {
		h := &auditHead{}
		if err := t.queryRow(ctx, `SELECT seq, hash, data_seq FROM audit_head WHERE id = 1 FOR UPDATE`).Scan(&h.seq, &h.hash, &h.dataSeq); err != nil {
			t.Rollback()
			return nil, err
		}
		t.head = h
	}
	return t, nil
}

// beginPlain starts a write transaction without touching the audit head,
// for migrations, which run before the head exists.
func (s *Store) beginPlain(ctx context.Context) (*tx, error) {
	t, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &tx{Tx: t, s: s, known: map[string]bool{}, stmts: map[string]*sql.Stmt{}, redirects: map[string]string{}}, nil
}

// beginRead starts a read-only transaction on the reader pool that sees one
// snapshot for all its queries: SQLite's read transactions do, and on
// PostgreSQL that takes REPEATABLE READ (its default, READ COMMITTED, gives
// each statement a new snapshot, so an export or an audit check could see
// half of a concurrent write).
func (s *Store) beginRead(ctx context.Context) (*tx, error) {
	opts := &sql.TxOptions{}
	if s.dialect == dialectPostgres {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	t, err := s.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &tx{Tx: t, s: s}, nil
}

// constraint classifies a driver error by its code, never by its text.
type constraint int

const (
	notConstraint constraint = iota
	uniqueViolation
	foreignKeyViolation
	checkViolation
	notNullViolation
)

func classify(err error) constraint {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueViolation
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKeyViolation
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return checkViolation
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return notNullViolation
		}
		return notConstraint
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		case "23514":
			return checkViolation
		case "23502":
			return notNullViolation
		}
	}
	return notConstraint
}

// wrap gives err the op name once, keeping an *armstrace.Error's code and
// turning anything else into EINTERNAL.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *armstrace.Error
	if errors.As(err, &e) {
		if e.Op == "" {
			c := *e
			c.Op = op
			return &c
		}
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Message: "interrupted", Err: err}
	}
	return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Err: err}
}
