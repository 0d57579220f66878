package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDecisionsSuppressReviewedHits records that a name is not the
// entity it meets, and sees screening (by name and by file) suppress the
// hit, say so with the reason, and bring it back when the decision is
// undone.
func TestDecisionsSuppressReviewedHits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		if r := run(t, t.TempDir(), "--db", db, "demo", "--no-serve"); r.code != 0 {
			t.Fatal(r.stderr)
		}
		type result struct {
			Results []struct {
				Entity struct{ ID string }
				Review *struct{ Decision, Reason string }
			}
			Suppressed []struct {
				Entity struct{ ID string }
				Review struct{ Decision, Reason, Reviewer string }
			}
		}
		screen := func(name string) result {
			t.Helper()
			var out struct{ Responses []result }
			if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "--json", "screen", name)), &out); err != nil {
				t.Fatal(err)
			}
			return out.Responses[0]
		}
		if r := screen("Rosobornexport"); len(r.Results) == 0 || r.Results[0].Entity.ID != "ent:rosoboronexport" {
			t.Fatalf("precondition: %+v", r)
		}
		if r := run(t, "", "--db", db, "decide", "Rosobornexport", "ent:rosoboronexport", "not-a-match"); r.code != 2 || !strings.Contains(r.stderr, "--reason is required") {
			t.Errorf("a decision without a reason: exit %d %s", r.code, r.stderr)
		}
		mustRun(t, "--db", db, "decide", "Rosobornexport", "ent:rosoboronexport", "not-a-match", "--reason", "a trading house of that name, checked by phone")
		// Another spelling that normalises alike meets the decision.
		r := screen("ROSOBORNEXPORT")
		for _, h := range r.Results {
			if h.Entity.ID == "ent:rosoboronexport" {
				t.Errorf("a suppressed hit is still a result: %+v", r)
			}
		}
		if len(r.Suppressed) != 1 || r.Suppressed[0].Entity.ID != "ent:rosoboronexport" || r.Suppressed[0].Review.Decision != "not_a_match" || !strings.Contains(r.Suppressed[0].Review.Reason, "trading house") {
			t.Errorf("suppressed: %+v", r.Suppressed)
		}
		text := mustRun(t, "--db", db, "screen", "Rosobornexport")
		if !strings.Contains(text, "suppressed:") || !strings.Contains(text, "trading house") {
			t.Errorf("screen text does not show the suppressed hit:\n%s", text)
		}
		// A file: the row's best match skips the suppressed entity and names it.
		in := filepath.Join(t.TempDir(), "vendors.csv")
		if err := os.WriteFile(in, []byte("vendor_name\nRosobornexport\nRosoboronexport\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(mustRun(t, "--db", db, "screen", "--csv", in, "--name-column", "vendor_name"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := func(name string) int {
			for i, h := range rows[0] {
				if h == name {
					return i
				}
			}
			t.Fatalf("no column %s in %v", name, rows[0])
			return -1
		}
		id, sup := col("match_entity_id"), col("match_suppressed")
		if rows[1][id] == "ent:rosoboronexport" || rows[1][sup] != "ent:rosoboronexport" {
			t.Errorf("suppressed row: %v", rows[1])
		}
		if rows[2][id] != "ent:rosoboronexport" || rows[2][sup] != "" {
			t.Errorf("a name without a decision: %v", rows[2])
		}
		// Listed, then undone.
		if list := mustRun(t, "--db", db, "decide", "--list"); !strings.Contains(list, "not_a_match") || !strings.Contains(list, "Rosobornexport") {
			t.Errorf("decide --list:\n%s", list)
		}
		mustRun(t, "--db", db, "decide", "--undo", "rosobornexport", "ent:rosoboronexport")
		if r := screen("Rosobornexport"); len(r.Suppressed) != 0 || r.Results[0].Entity.ID != "ent:rosoboronexport" {
			t.Errorf("after undo: %+v", r)
		}
		// A confirmed match is shown with its review.
		mustRun(t, "--db", db, "decide", "Rosobornexport", "ent:rosoboronexport", "match", "--reason", "the release's misspelling")
		if r := screen("Rosobornexport"); r.Results[0].Review == nil || r.Results[0].Review.Decision != "match" {
			t.Errorf("confirmed: %+v", r.Results[0])
		}
		if out := mustRun(t, "--db", db, "audit", "verify"); !strings.Contains(out, "OK") && !strings.Contains(out, "ok") {
			t.Errorf("audit verify after decisions:\n%s", out)
		}
	})
}
