package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/dossier"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
	"github.com/armstrace/armstrace/internal/store"
)

// TestSharedDatasets imports every real dataset file the project is
// tested on into one fresh database, checks the counts the datasets are
// known to hold, imports them all again to see that nothing changes, and
// verifies the audit log. It skips when ../shared is absent.
func TestSharedDatasets(t *testing.T) {
	ged := ingesttest.Shared(t, "ucdp_ged_syria/ged_syria_652.1601.1911_2016-01-01_2019-11-30.csv")
	actors := ingesttest.Shared(t, "ucdp_actors/ucdp-actor-221.csv")
	classic := ingesttest.Shared(t, "sipri_arms_transfers/sipri_trade_register_2024-10-13_syria_afghanistan-from-russia_russia-orders-2009-2013.csv")
	perYear := ingesttest.Shared(t, "sipri_arms_transfers/sipri_trade_register_v2025-01-03_per-delivery-year_syria_afghanistan-from-russia_russia-orders-2009-2013.csv")
	tivIn := ingesttest.Shared(t, "sipri_arms_transfers/sipri_tiv_imports_1950-2024_syria_afghanistan.csv")
	tivOut := ingesttest.Shared(t, "sipri_arms_transfers/sipri_tiv_exports_1950-2024_russia_sovietunion_usa.csv")
	sdn := ingesttest.Shared(t, "matching/ofac/sdn_2019_sdn.csv")
	cons := ingesttest.Shared(t, "matching/ofac/nonsdn_2025_cons_prim.csv")
	vdcDir := filepath.Dir(ingesttest.Shared(t, "vdc_syria_casualties/vdc_daily_deaths_total_2011-2016.csv"))
	vdcFiles, _ := filepath.Glob(filepath.Join(vdcDir, "*.csv"))

	db := filepath.Join(t.TempDir(), "shared.db")
	// The demo first: the datasets must land on its entities, not beside them.
	if r := run(t, filepath.Dir(db), "--db", db, "demo", "--no-serve"); r.code != 0 {
		t.Fatalf("demo: %s", r.stderr)
	}
	steps := []struct {
		format string
		files  []string
		rows   []int // rows read per file
	}{
		{"ucdp-actors", []string{actors}, []int{1725}},
		{"ucdp-ged", []string{ged}, []int{16566}},
		{"sipri-register", []string{classic, perYear}, []int{520, 566}},
		{"sipri-tiv", []string{tivIn, tivOut}, []int{3, 3}},
		{"ofac", []string{sdn, cons}, []int{7379, 442}},
		{"casualty-series", vdcFiles, []int{1935, 1927, 2687, 2687}},
	}
	for _, st := range steps {
		runs := importRuns(t, db, st.format, st.files...)
		for i, r := range runs {
			if r.RowsRead != st.rows[i] || r.Rejected != 0 {
				t.Errorf("%s %s: %d rows read, %d rejected; want %d, 0", st.format, r.File, r.RowsRead, r.Rejected, st.rows[i])
			}
		}
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	count := func(typ armstrace.RecordType) int {
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c[typ]
	}
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.FindEvents(ctx, armstrace.EventFilter{Country: "SY", Since: "2016-01-01", Until: "2019-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	var gedEvents int
	for _, e := range evs {
		if strings.HasPrefix(e.ID, "ucdp-ged:") {
			gedEvents++
		}
	}
	if gedEvents != 16566 {
		t.Errorf("%d GED events in Syria 2016–2019, want 16,566", gedEvents)
	}
	// UCDP's "Government of Syria" and "Government of Russia (Soviet
	// Union)", SIPRI's "Syria" and "Russia", OFAC's addresses and the demo's
	// states are one entity each.
	for _, id := range []string{"ent:syria", "ent:russia"} {
		e, err := s.FindEntityByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var ucdp bool
		for _, x := range e.Identifiers {
			ucdp = ucdp || x.Scheme == "ucdp-actor"
		}
		if !ucdp {
			t.Errorf("%s did not gain its UCDP actor id: %+v", id, e.Identifiers)
		}
	}
	for _, name := range []string{"Government of Syria", "Syrian Arab Republic"} {
		if es, _ := s.FindEntities(ctx, armstrace.EntityFilter{NameLike: name, Kind: armstrace.EntityState}); len(es) > 1 {
			t.Errorf("%q names %d states", name, len(es))
		}
	}
	// OFAC's Rosoboronexport landed on the demo's, with every alias.
	roe, err := s.FindEntityByID(ctx, "ent:rosoboronexport")
	if err != nil {
		t.Fatal(err)
	}
	for _, alias := range []string{"ROSOBORONEKSPORT OAO", "RUSSIAN DEFENSE EXPORT ROSOBORONEXPORT", "ROSOBORONEXPORT JSC", "ROSOBORONEKSPORT OJSC", "OJSC ROSOBORONEXPORT", "ROSOBORONEXPORT"} {
		found := false
		for _, n := range roe.Names() {
			found = found || strings.EqualFold(n, alias)
		}
		if !found {
			t.Errorf("Rosoboronexport lacks OFAC's alias %q", alias)
		}
	}
	if cs, _ := s.FindClaims(ctx, armstrace.ClaimFilter{Kind: armstrace.ClaimSanctioned, Object: "ent:rosoboronexport"}); len(cs) < 2 {
		t.Errorf("OFAC's sanctions on Rosoboronexport: %d claims, want the demo's and the lists'", len(cs))
	}
	if n := count(armstrace.TypeSeries); n < 10 {
		t.Errorf("%d series, want the 6 SIPRI TIV and 4 VDC series", n)
	}

	// Everything again: nothing may change.
	for _, st := range steps {
		for _, r := range importRuns(t, db, st.format, st.files...) {
			if r.Created != 0 || r.Updated != 0 {
				t.Errorf("re-import of %s %s: %d created, %d updated", st.format, r.File, r.Created, r.Updated)
			}
		}
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for typ, n := range before {
		if after[typ] != n {
			t.Errorf("re-import changed the number of %s records from %d to %d", typ, n, after[typ])
		}
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("audit after all imports: %+v %v", rep, err)
	}
	t.Logf("records: %v; audit entries %d", after, rep.Entries)

	// The question armstrace exists to answer, on the demo plus every
	// shared dataset, and the dossier from the release's misspelling.
	enablers := checkSyriaEnablers(t, db)
	t.Logf("enablers for Syria 2011–2013: %d, %d observations", len(enablers.Enablers), enablers.Observations)
	html := filepath.Join(t.TempDir(), "d.html")
	mustRun(t, "--db", db, "dossier", "Rosobornexport", "--format", "html", "-o", html)
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	for i, title := range dossier.DefaultTitles {
		if !strings.Contains(string(b), fmt.Sprintf(`id="part-%d"`, i+1)) || !strings.Contains(string(b), title) {
			t.Errorf("the dossier lacks part %d, %q", i+1, title)
		}
	}
}
