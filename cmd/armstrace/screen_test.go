package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
	"github.com/armstrace/armstrace/internal/store"
)

// TestScreenFindsRosoboronexport is the screening acceptance test: after
// importing the 2019 SDN list, every spelling ranks entry 18782 first as a
// match and says which alias it met; neighbours in name do not match.
func TestScreenFindsRosoboronexport(t *testing.T) {
	sdn := ingesttest.Shared(t, "matching/ofac/sdn_2019_sdn.csv")
	db := filepath.Join(t.TempDir(), "s.db")
	importRuns(t, db, "ofac", sdn)
	for _, tc := range []struct {
		args  []string
		match bool
	}{
		{[]string{"Rosobornexport"}, true},
		{[]string{"ROSOBORONEXPORT OAO"}, true},
		{[]string{"FSUE Rosoboronexport"}, true},
		{[]string{"Federal State Unitary Enterprise Rosoboronexport"}, true},
		{[]string{"Рособоронэкспорт"}, true},
		{[]string{"Rosoboron Export"}, true},
		{[]string{"--identifier", "ru-inn=7718852163", "Unknown Arms Trader"}, true},
		{[]string{"Rosatom"}, false},
		{[]string{"Rosneft Oil Company"}, false},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out := mustRun(t, append([]string{"--db", db, "--json", "screen", "--limit", "3"}, tc.args...)...)
			var res struct {
				Responses []screenResultJSON `json:"responses"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			hits := res.Responses[0].Results
			if !tc.match {
				for _, h := range hits {
					if h.Match {
						t.Fatalf("%s matched %s at %.2f", tc.args, h.Entity.ID, h.Score)
					}
				}
				return
			}
			if len(hits) == 0 || hits[0].Entity.ID != "ofac:18782" || !hits[0].Match {
				t.Fatalf("first hit: %+v", hits)
			}
			if hits[0].Explanation.Candidate == "" || hits[0].Graph.Sanctions == 0 {
				t.Fatalf("the hit does not say which alias it met, or what the graph holds: %+v", hits[0])
			}
		})
	}
}

// screenResultJSON reads back the fields of a screening result.
type screenResultJSON struct {
	Query   string `json:"query"`
	Results []struct {
		Score  float64 `json:"score"`
		Match  bool    `json:"match"`
		Entity struct {
			ID string `json:"id"`
		} `json:"entity"`
		Explanation struct {
			Candidate string `json:"candidate"`
			Summary   string `json:"summary"`
		} `json:"explanation"`
		Graph store.GraphCounts `json:"graph"`
	} `json:"results"`
}

// TestScreenCSV screens a vendor file: output rows keep input order and
// columns, repeated names give the same answer, the output is the same on
// every run, and a row without a name is reported.
func TestScreenCSV(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if r := run(t, dir, "--db", db, "demo", "--no-serve"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	var b strings.Builder
	b.WriteString("vendor_id,vendor_name\n")
	names := []string{"Rosobornexport", "Acme Widgets Ltd", "Рособоронэкспорт", "Kazan Helicopters", ""}
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "%d,%s\n", i, names[i%len(names)])
	}
	in := filepath.Join(dir, "vendors.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out1, out2 := filepath.Join(dir, "o1.csv"), filepath.Join(dir, "o2.csv")
	r := run(t, dir, "--db", db, "screen", "--csv", in, "--name-column", "vendor_name", "-o", out1)
	if r.code != 0 || !strings.Contains(r.stderr, "vendors.csv:6: field vendor_name: no name to screen") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr[:min(500, len(r.stderr))])
	}
	mustRun(t, "--db", db, "screen", "--csv", in, "--name-column", "vendor_name", "-o", out2)
	a, _ := os.ReadFile(out1)
	c, _ := os.ReadFile(out2)
	if string(a) != string(c) {
		t.Fatal("two runs gave different output")
	}
	lines := strings.Split(strings.TrimSpace(string(a)), "\n")
	if len(lines) != 5001 || !strings.HasPrefix(lines[0], "vendor_id,vendor_name,match_score,match,") {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	for i, want := range []string{"0,Rosobornexport,", "1,Acme Widgets Ltd,", "2,Рособоронэкспорт,"} {
		if !strings.HasPrefix(lines[i+1], want) {
			t.Fatalf("line %d out of order: %s", i+2, lines[i+1])
		}
	}
	if !strings.Contains(lines[1], ",true,") || !strings.Contains(lines[1], "ent:rosoboronexport") || !strings.Contains(lines[3], "ent:rosoboronexport") {
		t.Fatalf("Rosoboronexport not matched:\n%s\n%s", lines[1], lines[3])
	}
	if strings.Contains(lines[2], ",true,") {
		t.Fatalf("a made-up vendor matched: %s", lines[2])
	}
}

// TestScreenKinds screens names said to be persons: a person's name that
// meets a vessel's one-word name is a hit for review when the kind is not
// given, and none once it is, by flag or by a column of kinds; a kind the
// file gets wrong is refused with its line and column.
func TestScreenKinds(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustRun(t, "--db", db, "import", writeFile(t, "v.jsonl", `{"type":"source","id":"src:reg","kind":"dataset","title":"A ship register"}
{"type":"entity","id":"ent:crystal","kind":"vessel","name":"CRYSTAL","citations":[{"source":"src:reg"}]}
`))
	if out := mustRun(t, "--db", db, "screen", "Crystal Myers"); !strings.Contains(out, "! 1.") || !strings.Contains(out, "ent:crystal") {
		t.Fatalf("without a kind the vessel is a match for review:\n%s", out)
	}
	if out := mustRun(t, "--db", db, "screen", "--kind", "person", "Crystal Myers"); strings.Contains(out, "! 1.") {
		t.Errorf("said to be a person, the name still matches the vessel:\n%s", out)
	}
	in := writeFile(t, "people.csv", "id,name,kind\n1,Crystal Myers,Person\n2,Crystal Myers,\n")
	out := mustRun(t, "--db", db, "screen", "--csv", in, "--kind-column", "kind")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], ",false,") || !strings.Contains(lines[2], ",true,review,ent:crystal,") {
		t.Errorf("by a column of kinds:\n%s", out)
	}
	bad := writeFile(t, "bad.csv", "id,name,kind\n1,Crystal Myers,boat\n")
	if r := run(t, "", "--db", db, "screen", "--csv", bad, "--kind-column", "kind"); r.code == 0 || !strings.Contains(r.stderr, bad+":2: field kind") {
		t.Errorf("a bad kind: exit %d %s", r.code, r.stderr)
	}
}
