package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
)

// importRuns imports files of a format and returns the runs it printed.
func importRuns(t *testing.T, db, format string, files ...string) []armstrace.ImportRun {
	t.Helper()
	out := mustRun(t, append([]string{"--db", db, "--json", "import", "--format", format}, files...)...)
	var res struct {
		Runs []armstrace.ImportRun `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("import --json output: %v\n%s", err, out)
	}
	return res.Runs
}

func testdataFile(t *testing.T, pkg, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "internal", "ingest", pkg, "testdata", name)
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestDatasetImportIsRepeatable imports the importers' own fixtures twice
// on each database: the second run creates and updates nothing, and the
// audit log and the records still verify.
func TestDatasetImportIsRepeatable(t *testing.T) {
	cases := []struct {
		format string
		file   string
	}{
		{"acled", testdataFile(t, "acled", "acled_api_export_invented.csv")},
		{"acled", testdataFile(t, "acled", "acled_old_layout_invented.csv")},
		{"usaspending", testdataFile(t, "usaspending", "usaspending_contracts_mi17_fixture.csv")},
		{"casualty-series", testdataFile(t, "vdc", "vdc_deaths_by_province_by_day_2011-2018.csv")},
	}
	forEachDB(t, func(t *testing.T, db string) {
		for _, tc := range cases {
			first := importRuns(t, db, tc.format, tc.file)
			if len(first) != 1 || first[0].RowsRead == 0 || first[0].Created == 0 || first[0].SHA256 == "" || first[0].Source == "" {
				t.Fatalf("%s %s: first run %+v", tc.format, filepath.Base(tc.file), first)
			}
			again := importRuns(t, db, tc.format, tc.file)
			if again[0].Created != 0 || again[0].Updated != 0 || again[0].Unchanged == 0 {
				t.Fatalf("%s %s: second run created %d, updated %d", tc.format, filepath.Base(tc.file), again[0].Created, again[0].Updated)
			}
		}
		out := mustRun(t, "--db", db, "audit", "verify")
		if !strings.Contains(out, "audit log OK") || !strings.Contains(out, "records OK") {
			t.Fatalf("verify after dataset imports: %s", out)
		}
	})
}

// corrupt writes a copy of file with one line replaced.
func corrupt(t *testing.T, file string, line int, fn func(string) string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	lines[line-1] = fn(lines[line-1])
	p := filepath.Join(t.TempDir(), filepath.Base(file))
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCorruptedRowFailsTheWholeImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		good := testdataFile(t, "acled", "acled_api_export_invented.csv")
		importRuns(t, db, "casualty-series", testdataFile(t, "vdc", "vdc_daily_deaths_total_2011-2016.csv"))
		before := mustRun(t, "--db", db, "export")
		bad := corrupt(t, good, 3, func(s string) string { return strings.Replace(s, "2017-03-15", "2017-15-03", 1) })
		bad = corrupt(t, bad, 4, func(s string) string { return strings.Replace(s, ",2017,", ",20x7,", 1) })
		r := run(t, "", "--db", db, "import", "--format", "acled", bad)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "internal error") {
			t.Errorf("bad rows reported as an internal error:\n%s", r.stderr)
		}
		for _, want := range []string{"2 bad row(s); nothing was imported", filepath.Base(bad) + ":3: field event_date:", ":4: field year:"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		if after := mustRun(t, "--db", db, "export"); after != before {
			t.Fatal("a failed import changed the database")
		}
	})
}

func TestSkipInvalidImportsTheRestAndWritesRejects(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	good := testdataFile(t, "acled", "acled_api_export_invented.csv")
	bad := corrupt(t, good, 3, func(s string) string { return strings.Replace(s, "2017-03-15", "2017-15-03", 1) })
	rejects := filepath.Join(t.TempDir(), "rejects.jsonl")
	out := mustRun(t, "--db", db, "--json", "import", "--format", "acled", "--skip-invalid", "--reject", rejects, bad)
	var res struct {
		Runs []armstrace.ImportRun `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	run := res.Runs[0]
	if run.Rejected != 1 || run.RejectFile != rejects || run.RowsRead < 3 {
		t.Fatalf("run: %+v", run)
	}
	f, err := os.Open(rejects)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rs []rejected
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r rejected
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if len(rs) != 1 || rs[0].Line != 3 || rs[0].Field != "event_date" || !strings.Contains(rs[0].Row, "2017-15-03") || rs[0].Reason == "" {
		t.Fatalf("rejects: %+v", rs)
	}
	// The good rows are in; the bad one is not.
	exp := mustRun(t, "--db", db, "export")
	if !strings.Contains(exp, `"acled:SYRX0001"`) || strings.Contains(exp, `"acled:SYRX0002"`) {
		t.Fatalf("export after a skipping import:\n%s", exp)
	}
}

// TestRejectsOfSeveralFiles writes the bad rows of every input to the one
// reject file named, each with its file, and only once the import has
// committed.
func TestRejectsOfSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	good := testdataFile(t, "acled", "acled_api_export_invented.csv")
	bad1 := corrupt(t, good, 3, func(s string) string { return strings.Replace(s, "2017-03-15", "2017-15-03", 1) })
	old := testdataFile(t, "acled", "acled_old_layout_invented.csv")
	bad2 := corrupt(t, old, 2, func(s string) string { return strings.Replace(s, "12 April 2012", "12 Aprill 2012", 1) })
	rejects := filepath.Join(dir, "rejects.jsonl")
	mustRun(t, "--db", db, "import", "--format", "acled", "--skip-invalid", "--reject", rejects, bad1, bad2)
	data, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], filepath.Base(bad1)) || !strings.Contains(lines[1], "12 Aprill 2012") {
		t.Fatalf("reject file:\n%s", data)
	}
	// A run that fails as a whole writes no reject file.
	rejects2 := filepath.Join(dir, "rejects2.jsonl")
	empty := filepath.Join(dir, "empty.csv")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "--db", db, "import", "--format", "acled", "--skip-invalid", "--reject", rejects2, bad1, empty); r.code == 0 {
		t.Fatal("an import of an empty file succeeded")
	}
	if _, err := os.Stat(rejects2); err == nil {
		t.Fatal("a failed import wrote a reject file")
	}
}
