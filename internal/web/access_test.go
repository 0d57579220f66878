package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// TestAccessControl checks each route without a token, with a wrong one,
// and as each role; and that confidential sources reach reviewers and
// admins only.
func TestAccessControl(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv := demoServer(t, s)
		ctx := armstrace.WithActor(context.Background(), "test")
		for _, r := range []armstrace.Record{
			&armstrace.Source{ID: "src:letter", Kind: armstrace.SourceCorrespondence, Title: "Reply from the company's counsel", Access: armstrace.AccessConfidential},
			&armstrace.Claim{ID: "clm:reply", Kind: armstrace.ClaimSupplied, Subject: "ent:rosoboronexport", Object: "ent:syria", Status: armstrace.StatusAlleged, Confidence: 0.5,
				Citations: []armstrace.Citation{{Source: "src:letter", Locator: "para 2"}}},
		} {
			if _, err := s.Put(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		routes := []struct{ method, path, body string }{
			{"GET", "/api/v1/search?q=Rosobornexport", ""},
			{"POST", "/api/v1/match", `{"queries": {"q": {"schema": "Company", "properties": {"name": ["Rosobornexport"]}}}}`},
			{"GET", "/api/v1/entities/ent:rosoboronexport", ""},
			{"GET", "/api/v1/enablers?country=Syria&since=2011&until=2013", ""},
			{"GET", "/api/v1/dossiers/Rosobornexport", ""},
			{"GET", "/api/v1/events/evt:homs-atrocities-2012", ""},
			{"GET", "/api/v1/claims/clm:roe-syria-supply", ""},
			{"GET", "/api/v1/sources/src:hrf-2012-04-12", ""},
			{"GET", "/api/v1/ceasefires", ""},
			{"GET", "/api/v1/ceasefires/cf:syria-2012-04-12/report", ""},
		}
		for _, rt := range routes {
			url := srv.URL + rt.path
			if code, body := callAs(t, "", rt.method, url, rt.body); code != http.StatusUnauthorized || !strings.Contains(errMessage(body), "Authorization: Bearer") {
				t.Errorf("%s %s without a token: %d %v", rt.method, rt.path, code, body)
			}
			if code, _ := callAs(t, "armstrace_not-a-token", rt.method, url, rt.body); code != http.StatusUnauthorized {
				t.Errorf("%s %s with a wrong token: %d", rt.method, rt.path, code)
			}
			for _, role := range armstrace.UserRoles {
				if code, body := callAs(t, srv.tokens[role], rt.method, url, rt.body); code != http.StatusOK {
					t.Errorf("%s %s as %s: %d %v", rt.method, rt.path, role, code, body)
				}
			}
		}
		for _, open := range []string{"/api/v1/health", "/api/v1/openapi.json"} {
			if code, _ := callAs(t, "", "GET", srv.URL+open, ""); code != http.StatusOK {
				t.Errorf("%s without a token: %d", open, code)
			}
		}
		// The letter's title reaches reviewers and admins, and is withheld
		// from viewers and analysts, in the dossier and the enablers.
		for _, path := range []string{"/api/v1/dossiers/Rosobornexport", "/api/v1/enablers?country=Syria&since=2011&until=2013"} {
			for _, role := range armstrace.UserRoles {
				req, _ := http.NewRequest("GET", srv.URL+path, nil)
				req.Header.Set("Authorization", "Bearer "+srv.tokens[role])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var b strings.Builder
				_, _ = io.Copy(&b, resp.Body)
				resp.Body.Close()
				shown := strings.Contains(b.String(), "Reply from the company")
				if want := role.CanSee(armstrace.AccessConfidential); shown != want {
					t.Errorf("%s as %s: the confidential letter shown %v, want %v", path, role, shown, want)
				}
			}
		}
		// The confidential letter and the claim resting on it: found by
		// reviewers and admins only.
		for _, role := range armstrace.UserRoles {
			want := http.StatusNotFound
			if role.CanSee(armstrace.AccessConfidential) {
				want = http.StatusOK
			}
			for _, p := range []string{"/api/v1/sources/src:letter", "/api/v1/claims/clm:reply"} {
				if code, _ := callAs(t, srv.tokens[role], "GET", srv.URL+p, ""); code != want {
					t.Errorf("%s as %s: %d, want %d", p, role, code, want)
				}
			}
		}
		// An entity known only from a restricted source: found, opened
		// and counted by analysts and above, by nobody else; the graph
		// counts leave out the supply that rests on the confidential
		// letter; a dossier below reviewer says it is redacted.
		for _, r := range []armstrace.Record{
			&armstrace.Source{ID: "src:fieldnotes", Kind: armstrace.SourceDocument, Title: "Field notes", Access: armstrace.AccessRestricted},
			&armstrace.Entity{ID: "ent:courier", Name: "Bahram Kourosh Transport", Kind: armstrace.EntityCompany, Citations: []armstrace.Citation{{Source: "src:fieldnotes"}}},
		} {
			if _, err := s.Put(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		for _, role := range armstrace.UserRoles {
			tok := srv.tokens[role]
			sees := role.CanSee(armstrace.AccessRestricted)
			_, body := callAs(t, tok, "GET", srv.URL+"/api/v1/search?q=Bahram+Kourosh+Transport", "")
			found := strings.Contains(fmtJSON(body), "ent:courier")
			if total := body["total"].(map[string]any)["value"].(float64); found != sees || (total > 0) != sees {
				t.Errorf("search as %s: found %v, total %v; want %v", role, found, total, sees)
			}
			if code, _ := callAs(t, tok, "GET", srv.URL+"/api/v1/entities/ent:courier", ""); (code == http.StatusOK) != sees || (!sees && code != http.StatusNotFound) {
				t.Errorf("entity as %s: %d", role, code)
			}
			_, body = callAs(t, tok, "POST", srv.URL+"/api/v1/match", `{"queries": {"q": {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}}}}`)
			res := body["responses"].(map[string]any)["q"].(map[string]any)["results"].([]any)[0].(map[string]any)
			supplied := res["graph"].(map[string]any)["supplied"].(float64)
			_, all := callAs(t, srv.tokens[armstrace.UserAdmin], "POST", srv.URL+"/api/v1/match", `{"queries": {"q": {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}}}}`)
			allSupplied := all["responses"].(map[string]any)["q"].(map[string]any)["results"].([]any)[0].(map[string]any)["graph"].(map[string]any)["supplied"].(float64)
			if want := role.CanSee(armstrace.AccessConfidential); (supplied == allSupplied) != want || (!want && supplied != allSupplied-1) {
				t.Errorf("graph counts as %s: %v supplied, %v for an admin", role, supplied, allSupplied)
			}
			_, d := callAs(t, tok, "GET", srv.URL+"/api/v1/dossiers/Rosobornexport", "")
			if _, redacted := d["redacted"]; redacted == role.CanSee(armstrace.AccessConfidential) {
				t.Errorf("dossier as %s: redacted %v", role, redacted)
			}
		}
		// Reads of the confidential letter are in the audit log, by the
		// reviewer and the admin who read it, and by nobody else; an
		// entity citing it beside a public source shows a viewer only the
		// public one.
		readers := readsOf(t, s, "source", "src:letter")
		if readers["user:reviewer"] == 0 || readers["user:admin"] == 0 || readers["user:viewer"]+readers["user:analyst"] != 0 {
			t.Errorf("reads of the confidential letter: %v", readers)
		}
		// Each dossier taken away is an export in the log, by its reader,
		// with the access it was made for.
		exports, err := s.AuditLog(ctx, "entity", "ent:rosoboronexport")
		if err != nil {
			t.Fatal(err)
		}
		exporters := map[string]string{}
		for _, e := range exports {
			if e.Action == armstrace.ActionExport {
				exporters[e.Actor] = e.Change
			}
		}
		for _, role := range []string{"viewer", "analyst", "reviewer", "admin"} {
			if d := exporters["user:"+role]; !strings.Contains(d, "dossier/json") || strings.Contains(d, "confidential") != (role == "reviewer" || role == "admin") {
				t.Errorf("the dossier export by the %s: %q", role, d)
			}
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Errorf("audit verify after the reads: %+v %v", rep, err)
		}
		roe, err := s.FindEntityByID(ctx, "ent:rosoboronexport")
		if err != nil {
			t.Fatal(err)
		}
		roe.Citations = append(roe.Citations, armstrace.Citation{Source: "src:letter", Locator: "para 9"})
		if err := s.UpdateEntity(ctx, roe); err != nil {
			t.Fatal(err)
		}
		_, viewed := callAs(t, srv.tokens[armstrace.UserViewer], "GET", srv.URL+"/api/v1/entities/ent:rosoboronexport", "")
		_, reviewed := callAs(t, srv.tokens[armstrace.UserReviewer], "GET", srv.URL+"/api/v1/entities/ent:rosoboronexport", "")
		if strings.Contains(fmtJSON(viewed), "src:letter") || !strings.Contains(fmtJSON(reviewed), "src:letter") {
			t.Errorf("the letter among the entity's citations: viewer %v, reviewer %v", strings.Contains(fmtJSON(viewed), "src:letter"), strings.Contains(fmtJSON(reviewed), "src:letter"))
		}
		_, found := callAs(t, srv.tokens[armstrace.UserViewer], "GET", srv.URL+"/api/v1/search?q=Rosoboronexport", "")
		if strings.Contains(fmtJSON(found), "src:letter") {
			t.Error("the viewer's search shows the letter's id among the entity's citations")
		}
	})
}

func fmtJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func errMessage(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}
