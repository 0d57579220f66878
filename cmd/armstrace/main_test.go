package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// forEachDB runs fn with the --db value of a fresh SQLite file, and of a
// fresh PostgreSQL schema when one is configured.
func forEachDB(t *testing.T, fn func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "a.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.NewPostgresSchema(t)) })
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the CLI in-process, from dir, with args.
func run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errb bytes.Buffer
	a := &App{Stdout: &out, Stderr: &errb}
	code := a.Main(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	r := run(t, "", args...)
	if r.code != 0 {
		t.Fatalf("armstrace %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRoundTripIsByteIdentical exports the demo data, imports the export
// into an empty database, and exports again.
func TestRoundTripIsByteIdentical(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		in := writeFile(t, "demo.jsonl", string(demo.Data))
		mustRun(t, "--db", db, "import", "--format", "jsonl", in)
		first := mustRun(t, "--db", db, "export", "--format", "jsonl")
		if n := strings.Count(first, "\n"); n != bytes.Count(demo.Data, []byte("\n")) {
			t.Fatalf("export has %d lines, the input %d", n, bytes.Count(demo.Data, []byte("\n")))
		}
		exported := writeFile(t, "export.jsonl", first)
		other := filepath.Join(t.TempDir(), "b.db")
		if strings.HasPrefix(db, "postgres") {
			other = storetest.NewPostgresSchema(t)
		}
		mustRun(t, "--db", other, "import", "--format", "jsonl", exported)
		out := filepath.Join(t.TempDir(), "second.jsonl")
		mustRun(t, "--db", other, "export", "--format", "jsonl", "-o", out)
		second, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if first != string(second) {
			t.Fatalf("round trip changed the export:\nfirst:\n%s\nsecond:\n%s", first, second)
		}
	})
}

// TestExportMatchesAcrossDatabases checks that SQLite and PostgreSQL
// export the same data to the same bytes.
func TestExportMatchesAcrossDatabases(t *testing.T) {
	pg := storetest.NewPostgresSchema(t)
	lite := filepath.Join(t.TempDir(), "a.db")
	in := writeFile(t, "demo.jsonl", string(demo.Data))
	mustRun(t, "--db", lite, "import", in)
	mustRun(t, "--db", pg, "import", in)
	if a, b := mustRun(t, "--db", lite, "export"), mustRun(t, "--db", pg, "export"); a != b {
		t.Fatalf("SQLite and PostgreSQL exports differ:\n%s\n---\n%s", a, b)
	}
}

func TestSecondImportAddsNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		in := writeFile(t, "demo.jsonl", string(demo.Data))
		first := mustRun(t, "--db", db, "import", "--format", "jsonl", in)
		if !strings.Contains(first, "imported: 45 created, 0 updated, 0 unchanged") {
			t.Fatalf("first import: %s", first)
		}
		log1 := mustRun(t, "--db", db, "audit", "log")
		second := mustRun(t, "--db", db, "import", "--format", "jsonl", in)
		if !strings.Contains(second, "imported: 0 created, 0 updated, 45 unchanged") {
			t.Fatalf("second import: %s", second)
		}
		if log2 := mustRun(t, "--db", db, "audit", "log"); log1 != log2 {
			t.Fatalf("a second import wrote to the audit log")
		}
	})
}

func TestBadLineLeavesTheDatabaseUntouched(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		base := writeFile(t, "base.jsonl", `{"type":"source","id":"src:a","kind":"document","title":"A"}`+"\n")
		mustRun(t, "--db", db, "import", base)
		before := mustRun(t, "--db", db, "export")

		for _, tc := range []struct {
			name, body, want string
		}{
			{"bad field", `{"type":"entity","id":"ent:x","kind":"state","name":"X"}
{"type":"entity","id":"ent:y","kind":"empire","name":"Y"}
`, `bad.jsonl:2: field kind: "empire" is not one of`},
			{"unknown reference", `{"type":"entity","id":"ent:x","kind":"state","name":"X"}

{"type":"claim","id":"clm:1","kind":"supplied","subject":"ent:x","object":"ent:nobody","status":"alleged","confidence":0.5,"citations":[{"source":"src:a"}]}
`, `bad.jsonl:3: field object: entity "ent:nobody" does not exist`},
			{"broken json", `{"type":"entity","id":"ent:x","kind":"state","name":"X"}
{"type":"entity","id":"ent:y",
`, `bad.jsonl:2: not valid JSON`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "bad.jsonl")
				if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
					t.Fatal(err)
				}
				// A good file first in the same run: it must not land either.
				good := writeFile(t, "good.jsonl", `{"type":"source","id":"src:b","kind":"document","title":"B"}`+"\n")
				// Exports are audited: read the log right before the import.
				auditBefore := mustRun(t, "--db", db, "audit", "log")
				r := run(t, dir, "--db", db, "import", "--format", "jsonl", good, "bad.jsonl")
				if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
					t.Fatalf("exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, tc.want)
				}
				if a := mustRun(t, "--db", db, "audit", "log"); a != auditBefore {
					t.Fatalf("a failed import wrote to the audit log")
				}
				if after := mustRun(t, "--db", db, "export"); after != before {
					t.Fatalf("a failed import changed the data:\n%s", after)
				}
			})
		}
	})
}

func TestAuditVerifyNamesTheBrokenEntry(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		in := writeFile(t, "demo.jsonl", string(demo.Data))
		mustRun(t, "--db", db, "import", in)
		out := mustRun(t, "--db", db, "audit", "verify")
		if !strings.HasPrefix(out, "audit log OK: 45 entries") {
			t.Fatalf("verify on a clean db: %s", out)
		}
		s, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.DB().Exec(s.Rebind(`UPDATE audit_log SET change = REPLACE(change, '"status":"alleged"', '"status":"verified"') WHERE seq = ?`), 40)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		r := run(t, "", "--db", db, "audit", "verify")
		if r.code != 1 || !strings.Contains(r.stdout, "BROKEN at entry 40: the recorded change does not match its digest") || !strings.Contains(r.stderr, "does not verify") {
			t.Fatalf("verify after tampering: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	r := run(t, dir, "demo", "--no-serve")
	if r.code != 0 {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"45 records created", "Homs", "Rosoboronexport", "W58RGZ-11-C-0072", "Kazan Helicopter Plant", "SIPRI", "armstrace --db armstrace-demo.db audit verify"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "armstrace-demo.db")); err != nil {
		t.Fatalf("demo database not created in the working folder: %v", err)
	}
	for _, want := range []string{"TOP ENABLERS FOR SYRIA", "U.S. Army Contracting Command", "rosoboronexport-dossier.html"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "rosoboronexport-dossier.html")); err != nil || !strings.Contains(string(b), "Rosoboronexport") {
		t.Errorf("demo dossier: %v", err)
	}
	again := run(t, dir, "demo", "--no-serve")
	if again.code != 0 || !strings.Contains(again.stdout, "0 records created, 0 updated, 45 already there") {
		t.Fatalf("second demo: exit %d\n%s", again.code, again.stdout[:min(300, len(again.stdout))])
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"import"}, 2, "name at least one file"},
		{[]string{"import", "--format", "csv", "x"}, 2, `unknown format "csv"`},
		{[]string{"audit"}, 2, "verify or log"},
		{[]string{"import", "-h"}, 0, "Examples:"},
		{[]string{"--db", "/nonexistent/dir/x.db", "migrate"}, 1, "folder /nonexistent/dir does not exist"},
		{[]string{"--db", "missing.db", "export"}, 1, "database missing.db does not exist"},
		{[]string{"--db", "missing.db", "audit", "verify"}, 1, "database missing.db does not exist"},
		{[]string{"--db", filepath.Join(t.TempDir(), "x.db"), "import", "/nonexistent.jsonl"}, 1, "/nonexistent.jsonl: cannot open"},
		{[]string{"--db"}, 2, "flag needs an argument"},
		{[]string{"--jsn", "version"}, 2, "flag provided but not defined"},
		{[]string{"audit", "verify", "extra"}, 2, "audit verify takes no arguments"},
		{[]string{"--db", "notadb.txt", "migrate"}, 1, "cannot open database notadb.txt: "},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "notadb.txt"), []byte("this is not a database, but it is long enough to have a header page of its own, or so one hopes; SQLite reads the first hundred bytes for its header"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, dir, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d (want %d), stderr:\n%s\nwant %q", r.code, tc.code, r.stderr, tc.want)
			}
		})
	}
}

func TestVersionAndMigrate(t *testing.T) {
	if out := mustRun(t, "version"); !strings.HasPrefix(out, "armstrace ") {
		t.Fatalf("version: %q", out)
	}
	db := filepath.Join(t.TempDir(), "m.db")
	if out := mustRun(t, "--db", db, "migrate"); !strings.Contains(out, "sqlite: 9 migration(s) applied now") || !strings.Contains(out, "0001_init.sql") || !strings.Contains(out, "0002_series.sql") || !strings.Contains(out, "0003_screening_decisions.sql") || !strings.Contains(out, "0004_alerts.sql") || !strings.Contains(out, "0005_events_tally.sql") || !strings.Contains(out, "0006_users.sql") || !strings.Contains(out, "0007_audit_data_seq.sql") || !strings.Contains(out, "0008_sessions.sql") || !strings.Contains(out, "0009_source_files.sql") {
		t.Fatalf("migrate: %s", out)
	}
	if out := mustRun(t, "--db", db, "migrate"); !strings.Contains(out, "0 migration(s) applied now") {
		t.Fatalf("second migrate: %s", out)
	}
}

func TestFlagsMayFollowArguments(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, "demo.jsonl", string(demo.Data))
	r := run(t, dir, "import", in, "--db", "x.db", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"created"`) {
		t.Fatalf("import FILE --db x.db --json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, dir, "audit", "verify", "--db", "x.db"); r.code != 0 || !strings.Contains(r.stdout, "audit log OK: 45 entries") {
		t.Fatalf("audit verify --db x.db: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, dir, "--db", "x.db", "audit", "log", "--", "claim", "clm:kazan-makes-mi17"); r.code != 0 || !strings.Contains(r.stdout, "create claim") {
		t.Fatalf("audit log -- claim ID: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestDemoIgnoresTheDatabaseOfTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ARMSTRACE_DB", filepath.Join(dir, "team.db"))
	if r := run(t, dir, "demo", "--no-serve"); r.code != 0 {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "team.db")); err == nil {
		t.Fatal("the demo wrote into $ARMSTRACE_DB")
	}
	if _, err := os.Stat(filepath.Join(dir, "armstrace-demo.db")); err != nil {
		t.Fatalf("the demo did not write its own database: %v", err)
	}
}

func TestExportFileIsReadable(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, "demo.jsonl", string(demo.Data))
	mustRun(t, "--db", filepath.Join(dir, "a.db"), "import", in)
	out := filepath.Join(dir, "out.jsonl")
	mustRun(t, "--db", filepath.Join(dir, "a.db"), "export", "-o", out)
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Fatalf("export file mode %v, want 0644", fi.Mode().Perm())
	}
}

func TestCompare(t *testing.T) {
	out := mustRun(t, "compare", "Рособоронэкспорт", "ROSOBORONEKSPORT OAO")
	if !strings.HasPrefix(out, "0.9") || !strings.Contains(out, "transliteration") {
		t.Fatalf("compare across scripts:\n%s", out)
	}
	out = mustRun(t, "--json", "compare", "11420 CORP", "BELLETECH CORP")
	if !strings.Contains(out, `"match": false`) {
		t.Fatalf("a number and a name matched:\n%s", out)
	}
	if r := run(t, "", "compare", "one name only"); r.code != 2 {
		t.Fatalf("compare with one name: exit %d", r.code)
	}
}

func TestCompareCSV(t *testing.T) {
	in := writeFile(t, "pairs.csv", "id,name1,name2,schema\n1,Rosobornexport,ROSOBORONEKSPORT OAO,Company\n2,11420 CORP,BELLETECH CORP,\n3,Рособоронэкспорт,ROSOBORONEXPORT,company\n")
	out := mustRun(t, "compare", "--csv", in)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || lines[0] != "id,name1,name2,schema,score,match,explanation" {
		t.Fatalf("output:\n%s", out)
	}
	for i, want := range []string{"1,Rosobornexport,ROSOBORONEKSPORT OAO,Company,0.", "2,11420 CORP,BELLETECH CORP,,0.", "3,Рособоронэкспорт,ROSOBORONEXPORT,company,0.9"} {
		if !strings.HasPrefix(lines[i+1], want) {
			t.Errorf("row %d: %s", i+1, lines[i+1])
		}
	}
	if !strings.Contains(lines[1], ",true,") || !strings.Contains(lines[2], ",false,") {
		t.Errorf("matches: %s / %s", lines[1], lines[2])
	}
	bad := writeFile(t, "bad.csv", "name1,name2,schema\nA,B,Spaceship\n")
	if r := run(t, "", "compare", "--csv", bad); r.code != 1 || !strings.Contains(r.stderr, "bad.csv:2: field schema:") {
		t.Fatalf("a bad schema: exit %d %s", r.code, r.stderr)
	}
}
