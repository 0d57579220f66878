package dossier

import (
	"bytes"
	"context"
	"fmt"
	"github.com/armstrace/armstrace/internal/report/browsertest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var bctx = armstrace.WithActor(context.Background(), "test")

func demoStore(t *testing.T, s *store.Store) {
	t.Helper()
	storetest.Import(t, s, "demo.jsonl", demo.Data)
}

func buildROE(t *testing.T, s *store.Store, o Options) *Dossier {
	t.Helper()
	if o.Now.IsZero() {
		o.Now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	}
	d, err := Build(bctx, s, "ent:rosoboronexport", o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBuildFromTheDemo builds the Rosoboronexport dossier from the demo
// data, on both databases, and checks each part against what the data
// holds, and the JSON form against the schema.
func TestBuildFromTheDemo(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		demoStore(t, s)
		d := buildROE(t, s, Options{Query: "Rosobornexport"})
		if d.Identity.Name != "Rosoboronexport" || !slices.ContainsFunc(d.Identity.Identifiers, func(x Identifier) bool { return x.Scheme == "ru-inn" && x.Value == "7718852163" }) {
			t.Errorf("identity: %+v", d.Identity)
		}
		if !slices.Contains(d.Identity.Transliteration, "rosoboroneksport (Рособоронэкспорт)") {
			t.Errorf("transliterations: %v", d.Identity.Transliteration)
		}
		if len(d.Ownership.Controllers) != 1 || d.Ownership.Controllers[0].From.ID != "ent:rostec" || len(d.Ownership.Owners) != 0 {
			t.Errorf("ownership: owners %d, controllers %+v", len(d.Ownership.Owners), d.Ownership.Controllers)
		}
		if len(d.Sanctions) != 1 || d.Sanctions[0].Body != "United States" || !slices.Contains(d.Sanctions[0].Programs, "SYRIA") || d.Sanctions[0].State != "in force" {
			t.Errorf("sanctions: %+v", d.Sanctions)
		}
		if len(d.Transfers.Rows) != 1 || !d.Transfers.Rows[0].HighRisk || d.Transfers.Rows[0].Recipient.ID != "ent:syria" {
			t.Errorf("transfers: %+v", d.Transfers.Rows)
		}
		if len(d.Misuse.Events) != 1 || d.Misuse.Events[0].Event.ID != "evt:homs-atrocities-2012" || len(d.Misuse.Chains) == 0 {
			t.Errorf("misuse: %+v", d.Misuse.Events)
		}
		var buyers []string
		for _, p := range d.Partners {
			if p.Role == graph.RoleBuyer {
				buyers = append(buyers, p.Entity.ID)
			}
		}
		if !slices.Contains(buyers, "ent:us-army-acc") || !slices.Contains(buyers, "ent:us-dod") {
			t.Errorf("buyers: %v", buyers)
		}
		for _, c := range d.Criteria {
			if c.Finding != "evidence present" || len(c.Evidence) == 0 {
				t.Errorf("criterion %s: %s %v", c.ID, c.Finding, c.Evidence)
			}
		}
		var hrf bool
		for _, c := range d.Provenance.Appendix {
			hrf = hrf || c.Source == "src:hrf-2012-04-12" && c.SHA256 == "650d9283f6c1b078f779a30102b9c17658afa2d574759608af32df2b4ff42034"
		}
		if !hrf || len(d.Provenance.Datasets) < 2 {
			t.Errorf("provenance: %d datasets, appendix %+v", len(d.Provenance.Datasets), d.Provenance.Appendix)
		}
		if !strings.Contains(d.Outreach.Note, "No letter") || len(d.Outreach.Entries) != 0 {
			t.Errorf("outreach: %+v", d.Outreach)
		}
		// The JSON form meets the schema.
		var buf bytes.Buffer
		if err := Render(&buf, d, "json"); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := compileSchema(t).Validate(doc); err != nil {
			t.Errorf("the demo dossier does not meet schema.json:\n%v", err)
		}
	})
}

// TestBuildWithholdsConfidentialSources adds a letter from the subject
// held in confidence, and a retracted claim: the letter is withheld and
// counted unless asked for, and the claim is listed as not counted.
func TestBuildWithholdsConfidentialSources(t *testing.T) {
	s := storetest.OpenSQLite(t)
	demoStore(t, s)
	put := func(r armstrace.Record) {
		t.Helper()
		if _, err := s.Put(bctx, r); err != nil {
			t.Fatal(err)
		}
	}
	put(&armstrace.Source{ID: "src:letter", Kind: armstrace.SourceCorrespondence, Title: "Reply from the company's counsel", Published: "2012-05-02", Access: armstrace.AccessConfidential})
	put(&armstrace.Source{ID: "src:our-letter", Kind: armstrace.SourceCorrespondence, Title: "Letter asking for comment", Published: "2012-04-20"})
	put(&armstrace.Claim{ID: "clm:reply", Kind: armstrace.ClaimSupplied, Subject: "ent:rosoboronexport", Object: "ent:syria", Status: armstrace.StatusRetracted, Confidence: 0.5,
		Citations: []armstrace.Citation{{Source: "src:letter", Locator: "para 2"}, {Source: "src:our-letter"}}})
	d := buildROE(t, s, Options{})
	if d.Withheld == 0 {
		t.Error("the confidential letter was not counted as withheld")
	}
	var buf bytes.Buffer
	if err := Render(&buf, d, "html"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Reply from the company") {
		t.Error("the confidential letter's title is in the dossier")
	}
	if len(d.Outreach.Entries) != 1 || d.Outreach.Entries[0].Title != "Letter asking for comment" {
		t.Errorf("outreach without confidential sources: %+v", d.Outreach.Entries)
	}
	if len(d.NotCounted) != 1 || d.NotCounted[0].Claim != "clm:reply" || d.NotCounted[0].Strength != 0 {
		t.Errorf("not counted: %+v", d.NotCounted)
	}
	for _, r := range d.Transfers.Rows {
		if r.Link.Claim == "clm:reply" {
			t.Error("a retracted supply is in the transfers table")
		}
	}
	full := buildROE(t, s, Options{IncludeConfidential: true})
	if full.Withheld != 0 || len(full.Outreach.Entries) != 2 {
		t.Errorf("with confidential sources: withheld %d, outreach %+v", full.Withheld, full.Outreach.Entries)
	}
}

// TestHighRiskRecipients checks why a recipient is, or is not, high-risk:
// a target of violence is not; a state's army is when the state is a
// perpetrator; a retracted sanction is not counted, a verified one is.
func TestHighRiskRecipients(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		demoStore(t, s)
		put := func(r armstrace.Record) {
			t.Helper()
			if _, err := s.Put(bctx, r); err != nil {
				t.Fatal(err)
			}
		}
		cite := []armstrace.Citation{{Source: "src:hr"}}
		put(&armstrace.Source{ID: "src:hr", Kind: armstrace.SourceDocument, Title: "Test register"})
		for _, e := range []struct {
			id   string
			kind armstrace.EntityKind
			cc   string
		}{{"ent:tl", armstrace.EntityState, "TL"}, {"ent:tl-army", armstrace.EntityArmedForce, "TL"}, {"ent:ar", armstrace.EntityState, "AR"},
			{"ent:ar-army", armstrace.EntityArmedForce, "AR"}, {"ent:co-once", armstrace.EntityCompany, "OB"}, {"ent:co-now", armstrace.EntityCompany, "OB"}} {
			put(&armstrace.Entity{ID: e.id, Name: e.id, Kind: e.kind, Country: e.cc, Citations: cite})
		}
		event := func(id, cc, actor string, role armstrace.ActorRole) {
			put(&armstrace.Event{ID: id, Title: id, Type: "battle", Start: "2015-01-01", End: "2015-01-01", Precision: armstrace.PrecisionDay,
				Place: armstrace.Place{Country: cc, Precision: armstrace.GeoCountry}, Actors: []armstrace.EventActor{{Entity: actor, Role: role}}, Citations: cite})
		}
		event("evt:tl-shelled", "TL", "ent:tl-army", armstrace.RoleTarget)
		event("evt:ar-shells", "AR", "ent:ar", armstrace.RolePerpetrator)
		claim := func(id string, kind armstrace.ClaimKind, subject, object string, st armstrace.Status) {
			put(&armstrace.Claim{ID: id, Kind: kind, Subject: subject, Object: object, Status: st, Confidence: 0.9, Citations: cite})
		}
		for _, to := range []string{"ent:tl-army", "ent:ar-army", "ent:co-once", "ent:co-now"} {
			claim("clm:sup-"+to, armstrace.ClaimSupplied, "ent:rosoboronexport", to, armstrace.StatusVerified)
		}
		claim("clm:a-lifted", armstrace.ClaimSanctioned, "ent:united-states", "ent:co-once", armstrace.StatusRetracted)
		claim("clm:a-lifted2", armstrace.ClaimSanctioned, "ent:united-states", "ent:co-now", armstrace.StatusRetracted)
		claim("clm:b-listed", armstrace.ClaimSanctioned, "ent:united-states", "ent:co-now", armstrace.StatusVerified)
		d := buildROE(t, s, Options{})
		got := map[string]string{}
		for _, r := range d.Transfers.Rows {
			got[r.Recipient.ID] = r.HighRiskReason
		}
		for id, want := range map[string]string{"ent:tl-army": "", "ent:co-once": "", "ent:ar-army": "evt:ar-shells", "ent:co-now": "under sanctions"} {
			reason, ok := got[id]
			switch {
			case !ok:
				t.Errorf("%s is not in the transfers: %v", id, got)
			case want == "" && reason != "":
				t.Errorf("%s is high-risk: %s", id, reason)
			case want != "" && !strings.Contains(reason, want):
				t.Errorf("%s: reason %q, want one naming %q", id, reason, want)
			}
		}
	})
}

// TestBrowserRendersTheDemoDossier renders the dossier built from the
// demo data, not a fixture, in headless Chromium.
func TestBrowserRendersTheDemoDossier(t *testing.T) {
	bin := browsertest.Chromium(t)
	s := storetest.OpenSQLite(t)
	demoStore(t, s)
	d := buildROE(t, s, Options{Query: "Rosobornexport"})
	dir := t.TempDir()
	path := filepath.Join(dir, "roe.html")
	var buf bytes.Buffer
	if err := Render(&buf, d, "html"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(browsertest.Run(t, bin, dir, "--dump-dom", "file://"+path))
	for i := 1; i <= 10; i++ {
		if !strings.Contains(dom, fmt.Sprintf(`<section id="part-%d"`, i)) {
			t.Errorf("the rendered DOM lacks part %d", i)
		}
	}
	for _, want := range []string{"W58RGZ-11-C-0072", "Atrocities reported from Homs", "Рособоронэкспорт", "<svg"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered DOM lacks %q", want)
		}
	}
}

// TestBuildRedactedForALowerRole builds the dossier for a reader of
// public sources: a supply known only from a confidential letter is not
// in it at all (not even withheld or counted), and the dossier says it
// was redacted.
func TestBuildRedactedForALowerRole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		demoStore(t, s)
		put := func(r armstrace.Record) {
			t.Helper()
			if _, err := s.Put(bctx, r); err != nil {
				t.Fatal(err)
			}
		}
		put(&armstrace.Source{ID: "src:informant", Kind: armstrace.SourceDocument, Title: "Informant's account", Access: armstrace.AccessConfidential})
		put(&armstrace.Entity{ID: "ent:secret-buyer", Name: "Zenda Militia", Kind: armstrace.EntityArmedGroup, Country: "RT", Citations: []armstrace.Citation{{Source: "src:informant"}}})
		put(&armstrace.Claim{ID: "clm:secret", Kind: armstrace.ClaimSupplied, Subject: "ent:rosoboronexport", Object: "ent:syria", Status: armstrace.StatusAlleged, Confidence: 0.6,
			Citations: []armstrace.Citation{{Source: "src:informant", Locator: "p. 3"}}})
		full := buildROE(t, s, Options{IncludeConfidential: true})
		red := buildROE(t, s, Options{Access: []armstrace.Access{armstrace.AccessPublic}})
		if full.Redacted != "" || !strings.Contains(red.Redacted, "public") {
			t.Errorf("redaction notes: full %q, redacted %q", full.Redacted, red.Redacted)
		}
		in := func(d *Dossier) bool {
			for _, r := range d.Transfers.Rows {
				if r.Link.Claim == "clm:secret" {
					return true
				}
			}
			return false
		}
		if !in(full) || in(red) {
			t.Errorf("the secret supply: in the full dossier %v, in the redacted one %v", in(full), in(red))
		}
		if red.Withheld != 0 {
			t.Errorf("the redacted dossier counts %d withheld sources", red.Withheld)
		}
		var buf bytes.Buffer
		if err := Render(&buf, red, "html"); err != nil {
			t.Fatal(err)
		}
		if html := buf.String(); strings.Contains(html, "Informant") || strings.Contains(html, "Zenda") || !strings.Contains(html, "Redacted.") {
			t.Error("the redacted HTML names the hidden source or entity, or does not say it is redacted")
		}
		buf.Reset()
		if err := Render(&buf, red, "json"); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := compileSchema(t).Validate(doc); err != nil {
			t.Errorf("the redacted dossier does not meet schema.json:\n%v", err)
		}
	})
}

// TestProtectedPlaceInTheDossier blurs a protected place in the misuse
// part of a dossier made without confidential sources, for a lower role,
// and keeps it whole in one made with them.
func TestProtectedPlaceInTheDossier(t *testing.T) {
	s := storetest.OpenSQLite(t)
	demoStore(t, s)
	e, err := s.FindEventByID(bctx, "evt:homs-atrocities-2012")
	if err != nil {
		t.Fatal(err)
	}
	e.Place.Name, e.Place.Admin2, e.Place.Protected = "Bab Amr clinic", "Homs district", true
	if err := s.UpdateEvent(bctx, e); err != nil {
		t.Fatal(err)
	}
	place := func(d *Dossier) string {
		for _, me := range d.Misuse.Events {
			if me.Event.ID == "evt:homs-atrocities-2012" {
				return me.Place
			}
		}
		t.Fatalf("the Homs event is not in the misuse part")
		return ""
	}
	if got := place(buildROE(t, s, Options{})); got != "Homs district, SY" {
		t.Errorf("without confidential sources: %q", got)
	}
	if got := place(buildROE(t, s, Options{Access: []armstrace.Access{armstrace.AccessPublic}})); got != "Homs district, SY" {
		t.Errorf("for a public reader: %q", got)
	}
	if got := place(buildROE(t, s, Options{IncludeConfidential: true})); got != "Bab Amr clinic, SY" {
		t.Errorf("with confidential sources: %q", got)
	}
}
