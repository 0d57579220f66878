// Command sqlitefloor measures how fast the SQLite driver armstrace uses
// can insert rows shaped like an imported event, with nothing of
// armstrace's own around it: no parsing, validation, audit, citations or
// actors. It bounds what any importer built on this driver can reach.
//
//	go run ./bench/sqlitefloor [-n ROWS]
//
// Three tables, each filled with ROWS rows of a 1 KB document in one
// transaction through one prepared statement, ids in a scattered order
// as a real release has them:
//
//	bare    (id TEXT, doc TEXT): no index at all
//	pk      (id TEXT PRIMARY KEY, doc TEXT): the key every record has
//	events  the key plus the two indexes of the events table
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	n := flag.Int("n", 200000, "rows per table")
	flag.Parse()
	dir, err := os.MkdirTemp("", "sqlitefloor")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	fmt.Printf("%-8s %10s %12s %10s\n", "table", "rows", "rows/s", "µs/row")
	for _, c := range []struct{ name, schema, insert string }{
		{"bare", `CREATE TABLE t (id TEXT, doc TEXT)`, `INSERT INTO t (id, doc) VALUES (?, ?)`},
		{"pk", `CREATE TABLE t (id TEXT PRIMARY KEY, doc TEXT)`, `INSERT INTO t (id, doc) VALUES (?, ?)`},
		{"events", `CREATE TABLE t (id TEXT PRIMARY KEY, date_start TEXT, date_end TEXT, country TEXT, doc TEXT);
			CREATE INDEX t_dates ON t (date_start, date_end);
			CREATE INDEX t_country ON t (country, date_start)`,
			`INSERT INTO t (id, date_start, date_end, country, doc) VALUES (?, ?, ?, ?, ?)`},
	} {
		secs, err := run(filepath.Join(dir, c.name+".db"), c.schema, c.insert, *n)
		if err != nil {
			fail(fmt.Errorf("%s: %w", c.name, err))
		}
		fmt.Printf("%-8s %10d %12.0f %10.1f\n", c.name, *n, float64(*n)/secs, secs*1e6/float64(*n))
	}
}

func run(file, schema, insert string, n int) (float64, error) {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		return 0, err
	}
	doc := strings.Repeat("x", 1000)
	start := time.Now()
	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	st, err := tx.Prepare(insert)
	if err != nil {
		return 0, err
	}
	for i := range n {
		id := fmt.Sprintf("ev:ucdp-ged:%d", (i*7919)%n) // a permutation when n is not a multiple of 7919
		args := []any{id, doc}
		if strings.Contains(insert, "date_start") {
			day := fmt.Sprintf("2016-%02d-%02d", i%12+1, i%28+1)
			args = []any{id, day, day, "Syria", doc}
		}
		if _, err := st.Exec(args...); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return time.Since(start).Seconds(), nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sqlitefloor:", err)
	os.Exit(1)
}
