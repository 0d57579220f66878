package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace/internal/dossier"
	"github.com/armstrace/armstrace/internal/graph"
)

// checkSyriaEnablers holds the answers armstrace exists to give, on
// whatever graph db holds: Rosoboronexport ranks as a supplier with its
// supplies to Syria as evidence, the US Army's contract is a buyer link
// with its award id and value, and every link cites a source.
func checkSyriaEnablers(t *testing.T, db string) *graph.Report {
	t.Helper()
	out := mustRun(t, "--db", db, "--json", "enablers", "--country", "Syria", "--since", "2011", "--until", "2013", "--limit", "0")
	var rep graph.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("enablers --json: %v\n%s", err, out[:min(500, len(out))])
	}
	var roe, army *graph.Enabler
	for i, e := range rep.Enablers {
		switch e.Entity.ID {
		case "ent:rosoboronexport":
			roe = &rep.Enablers[i]
		case "ent:us-army-acc":
			army = &rep.Enablers[i]
		}
		for _, c := range e.Chains {
			for _, l := range c.Links {
				if len(l.Citations) == 0 {
					t.Errorf("%s: link %s cites no source", e.Entity.ID, l.Claim)
				}
			}
		}
	}
	if roe == nil || !slices.Contains(roe.Roles, graph.RoleSupplier) {
		t.Fatalf("Rosoboronexport is not ranked as a supplier")
	}
	supplies := 0
	for _, c := range roe.Chains {
		for _, l := range c.Links {
			if l.Kind == "supplied" && l.From.ID == "ent:rosoboronexport" && l.To.ID == "ent:syria" {
				supplies++
			}
		}
	}
	if supplies == 0 {
		t.Errorf("Rosoboronexport's chains show no supply to Syria")
	}
	if army == nil || !slices.Contains(army.Roles, graph.RoleBuyer) {
		t.Fatalf("the US Army Contracting Command is not a buyer")
	}
	var award bool
	for _, c := range army.Chains {
		l := c.Links[len(c.Links)-1]
		award = award || (l.Kind == "contracted" && strings.Contains(l.Detail, "award W58RGZ-11-C-0072") && strings.Contains(l.Detail, "375.05 million"))
	}
	if !award {
		t.Errorf("the buyer link lacks the award id or its value: %+v", army.Chains)
	}
	return &rep
}

func TestEnablersAndDossier(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		dir := t.TempDir()
		if r := run(t, dir, "--db", db, "demo", "--no-serve"); r.code != 0 {
			t.Fatalf("demo: %s", r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "rosoboronexport-dossier.html")); err != nil && strings.Contains(db, "://") {
			t.Errorf("the demo on a server wrote no dossier in the working folder: %v", err)
		}
		checkSyriaEnablers(t, db)
		text := mustRun(t, "--db", db, "enablers", "--country", "SY", "--since", "2011", "--until", "2012", "--chains")
		for _, want := range []string{"Rosoboronexport", "weakest", "W58RGZ-11-C-0072", "SIPRI's register covers major conventional weapons only"} {
			if !strings.Contains(text, want) {
				t.Errorf("enablers output lacks %q", want)
			}
		}
		// The dossier, from the press release's misspelling, in each format.
		for _, format := range []string{"html", "md", "json"} {
			out := filepath.Join(dir, "d."+format)
			mustRun(t, "--db", db, "dossier", "Rosobornexport", "--format", format, "-o", out)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, title := range dossier.DefaultTitles {
				if !strings.Contains(string(b), title) {
					t.Errorf("%s dossier lacks part %q", format, title)
				}
			}
			if format == "json" {
				var d dossier.Dossier
				if err := json.Unmarshal(b, &d); err != nil {
					t.Fatal(err)
				}
				if d.Subject.ID != "ent:rosoboronexport" || d.Identity.Match == nil || d.Identity.Match.AliasMet != "Rosobornexport" {
					t.Errorf("dossier subject %s, match %+v", d.Subject.ID, d.Identity.Match)
				}
				if len(d.Sanctions) == 0 || len(d.Transfers.Rows) == 0 || len(d.Misuse.Chains) == 0 || len(d.Partners) == 0 || len(d.Provenance.Appendix) == 0 {
					t.Errorf("dossier parts empty: %d sanctions, %d transfers, %d misuse chains, %d partners, %d sources", len(d.Sanctions), len(d.Transfers.Rows), len(d.Misuse.Chains), len(d.Partners), len(d.Provenance.Appendix))
				}
			}
		}
		// A name that matches nothing says so, with the nearest.
		r := run(t, "", "--db", db, "dossier", "Zzyzx Trading")
		if r.code != 1 || !strings.Contains(r.stderr, "no entity matches") {
			t.Errorf("unknown name: exit %d, %s", r.code, r.stderr)
		}
		r = run(t, "", "--db", db, "enablers", "--country", "Atlantis")
		if r.code != 1 || !strings.Contains(r.stderr, "no state named") {
			t.Errorf("unknown country: exit %d, %s", r.code, r.stderr)
		}
	})
}
