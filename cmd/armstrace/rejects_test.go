package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
)

// importSkipping imports files with --skip-invalid and returns the runs
// and the reject file's rows.
func importSkipping(t *testing.T, db, format string, files ...string) ([]armstrace.ImportRun, []rejected) {
	t.Helper()
	rejects := filepath.Join(t.TempDir(), "rejects.jsonl")
	out := mustRun(t, append([]string{"--db", db, "--json", "import", "--format", format, "--skip-invalid", "--reject", rejects}, files...)...)
	var res struct {
		Runs []armstrace.ImportRun `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(rejects)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rs []rejected
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r rejected
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return res.Runs, rs
}

// gedRows returns the header and the first rows of the GED excerpt.
func gedRows(t *testing.T, n int) []string {
	t.Helper()
	data, err := os.ReadFile(testdataFile(t, "ucdp", "ged_syria_652.1601.1911_excerpt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) < n+1 {
		t.Fatalf("the excerpt has %d lines", len(lines))
	}
	return lines[:n+1]
}

// setCells returns a CSV row with cells of the header's columns replaced,
// written back as encoding/csv writes (quoting what needs it).
func setCells(t *testing.T, header, row string, cells map[string]string) string {
	t.Helper()
	h, err := csv.NewReader(strings.NewReader(header)).Read()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := csv.NewReader(strings.NewReader(row)).Read()
	if err != nil {
		t.Fatal(err)
	}
	for col, v := range cells {
		i := slices.Index(h, col)
		if i < 0 {
			t.Fatalf("no column %s", col)
		}
		rec[i] = v
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

// TestRejectKeepsMultiLineRecord rejects a GED row whose quoted headline
// holds line breaks: the reject file has the whole record, all its lines,
// and the rows after it keep their own lines and texts.
func TestRejectKeepsMultiLineRecord(t *testing.T) {
	rows := gedRows(t, 4)
	// Lines 3–5: a headline of three lines, and a date that is no date.
	multi := setCells(t, rows[0], rows[2], map[string]string{"source_headline": "Bombardment targets\nIdlib\r\nand Hama", "date_start": "2016-13-01"})
	// Line 7: a bad row after it, whose line must be right.
	bad := setCells(t, rows[0], rows[4], map[string]string{"date_end": "2016-01-3x"})
	file := writeFile(t, "ged.csv", strings.Join([]string{rows[0], rows[1], multi, rows[3], bad}, "\n")+"\n")
	db := filepath.Join(t.TempDir(), "a.db")
	runs, rs := importSkipping(t, db, "ucdp-ged", file)
	if runs[0].Rejected != 2 || runs[0].RowsRead != 4 {
		t.Errorf("run %+v", runs[0])
	}
	if len(rs) != 2 {
		t.Fatalf("rejects %+v", rs)
	}
	if rs[0].Line != 3 || rs[0].Field != "date_start" || rs[0].Row != strings.Replace(multi, "\r\n", "\n", 1) {
		t.Errorf("multi-line reject: line %d field %s row\n%q\nwant\n%q", rs[0].Line, rs[0].Field, rs[0].Row, multi)
	}
	if rs[1].Line != 7 || rs[1].Field != "date_end" || rs[1].Row != bad {
		t.Errorf("reject after it: line %d field %s row %q", rs[1].Line, rs[1].Field, rs[1].Row)
	}
	exp := mustRun(t, "--db", db, "export")
	for _, id := range strings.Fields("214797 214808") {
		if !strings.Contains(exp, `"ucdp-ged:`+id+`"`) {
			t.Errorf("good row %s not imported", id)
		}
	}
}

// TestRejectOfHugeCell: a 20 MB cell makes a row longer than the 16 MB a
// row may hold, which is rejected with a short reason and a text cut to
// 64 KB; a 1 MB cell that is no number gives a reason that quotes 200
// characters of it. The rows around them are imported.
func TestRejectOfHugeCell(t *testing.T) {
	rows := gedRows(t, 4)
	huge := setCells(t, rows[0], rows[2], map[string]string{"source_headline": strings.Repeat("Bombardment ", 20<<20/12)})
	long := setCells(t, rows[0], rows[3], map[string]string{"deaths_a": strings.Repeat("9", 1<<20) + "x"})
	file := writeFile(t, "ged.csv", strings.Join([]string{rows[0], rows[1], huge, long, rows[4]}, "\n")+"\n")
	db := filepath.Join(t.TempDir(), "a.db")
	runs, rs := importSkipping(t, db, "ucdp-ged", file)
	if runs[0].Rejected != 2 || runs[0].RowsRead != 4 {
		t.Errorf("run %+v", runs[0])
	}
	if len(rs) != 2 {
		t.Fatalf("%d rejects", len(rs))
	}
	if r := rs[0]; r.Line != 3 || len(r.Reason) > 200 || !strings.Contains(r.Reason, "row longer than 16 MB") ||
		len(r.Row) > 64<<10+40 || !strings.HasPrefix(r.Row, huge[:1000]) || !strings.HasSuffix(r.Row, " bytes cut)") {
		t.Errorf("huge row: line %d, reason %q, row of %d bytes ending %q", r.Line, r.Reason, len(r.Row), r.Row[max(0, len(r.Row)-40):])
	}
	if r := rs[1]; r.Line != 4 || len(r.Reason) > 400 || !strings.Contains(r.Reason, "bytes cut)\" is not") || r.Field != "deaths_a" {
		t.Errorf("long cell: line %d field %s reason (%d bytes) %.500q", r.Line, r.Field, len(r.Reason), r.Reason)
	}
	exp := mustRun(t, "--db", db, "export")
	for _, id := range strings.Fields("214797 214814") {
		if !strings.Contains(exp, `"ucdp-ged:`+id+`"`) {
			t.Errorf("good row %s not imported", id)
		}
	}
}

// TestRejectsOfAnAwardLeftOut writes every line of a USAspending award
// with one bad transaction to the reject file, with its text, and
// imports the other award whole.
func TestRejectsOfAnAwardLeftOut(t *testing.T) {
	good := testdataFile(t, "usaspending", "usaspending_contracts_mi17_fixture.csv")
	// Line 4 is a modification of the Mi-17 award (lines 2, 4 and 6).
	bad := corrupt(t, good, 4, func(s string) string { return strings.Replace(s, ",171380000.00,", ",17l380000.00,", 1) })
	db := filepath.Join(t.TempDir(), "a.db")
	runs, rs := importSkipping(t, db, "usaspending", bad)
	if runs[0].Rejected != 3 || runs[0].RowsRead != 5 {
		t.Errorf("run %+v", runs[0])
	}
	data, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var got []int
	for _, r := range rs {
		got = append(got, r.Line)
		if r.Row != strings.TrimSuffix(lines[r.Line-1], "\r") {
			t.Errorf("line %d: row %.80q", r.Line, r.Row)
		}
		if r.Line != 4 && (r.Field != "contract_award_unique_key" || !strings.HasPrefix(r.Reason, "left out with its award CONT_AWD_W58RGZ11C0072_9700_-NONE-_-NONE-, whose line 4 is bad")) {
			t.Errorf("line %d: field %s reason %q", r.Line, r.Field, r.Reason)
		}
	}
	if len(got) != 3 || got[0] != 2 || got[1] != 4 || got[2] != 6 {
		t.Errorf("rejected lines %v, want 2, 4, 6", got)
	}
	exp := mustRun(t, "--db", db, "export")
	if strings.Contains(exp, `"usaspending:cont-awd-w58rgz11c0072-9700-none-none"`) || !strings.Contains(exp, `"usaspending:cont-awd-w58rgz12p0099-9700-none-none"`) {
		t.Errorf("claims after the import:\n%s", exp)
	}
}
