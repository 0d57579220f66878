package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/screening"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

func TestEnablersAndDossierAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv := demoServer(t, s)
		code, body := call(t, "GET", srv.URL+"/api/v1/enablers?country=Syria&since=2011&until=2013&role=buyer", "")
		if code != 200 {
			t.Fatalf("enablers: %d %v", code, body)
		}
		ens, _ := body["enablers"].([]any)
		found := false
		for _, e := range ens {
			ent := e.(map[string]any)["entity"].(map[string]any)
			found = found || ent["id"] == "ent:us-army-acc"
			if roles := e.(map[string]any)["roles"].([]any); len(roles) != 1 || roles[0] != "buyer" {
				t.Errorf("role filter: %v", roles)
			}
		}
		if !found {
			t.Errorf("the US Army is not among the buyers: %v", ens)
		}
		for _, bad := range []struct{ query, field string }{
			{"country=Atlantis", "country"}, {"country=Syria&since=2011-13", "since"}, {"country=Syria&role=dealer", "role"}, {"country=Syria&limit=x", "limit"}, {"", "country"},
		} {
			code, body := call(t, "GET", srv.URL+"/api/v1/enablers?"+bad.query, "")
			if code != 400 && code != 404 {
				t.Errorf("%s: %d %v", bad.query, code, body)
			}
		}
		// The dossier from the press release's misspelling, in each format.
		code, body = call(t, "GET", srv.URL+"/api/v1/dossiers/Rosobornexport", "")
		if code != 200 || body["subject"].(map[string]any)["id"] != "ent:rosoboronexport" || body["schema"] != "armstrace.dossier/1" {
			t.Fatalf("dossier json: %d %v", code, body["subject"])
		}
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/dossiers/"+url.PathEscape("Рособоронэкспорт")+"?format=html", nil)
		req.Header.Set("Authorization", "Bearer "+srv.tokens[armstrace.UserViewer])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		html, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(html), `id="part-10"`) {
			t.Errorf("dossier html: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if code, _ := call(t, "GET", srv.URL+"/api/v1/dossiers/ent:rosoboronexport?format=pdf", ""); code != 400 {
			t.Errorf("format pdf: %d", code)
		}
		if code, body := call(t, "GET", srv.URL+"/api/v1/dossiers/Zzyzx%20Trading", ""); code != 404 {
			t.Errorf("unknown name: %d %v", code, body)
		}
	})
}

func TestMatchAppliesDecisions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv := demoServer(t, s)
		body := `{"queries":{"q1":{"schema":"Company","properties":{"name":["Rosobornexport"]}}}}`
		first := func() (results, suppressed []any) {
			t.Helper()
			code, out := call(t, "POST", srv.URL+"/api/v1/match", body)
			if code != 200 {
				t.Fatalf("match: %d %v", code, out)
			}
			resp := out["responses"].(map[string]any)["q1"].(map[string]any)
			results, _ = resp["results"].([]any)
			suppressed, _ = resp["suppressed"].([]any)
			return
		}
		if res, _ := first(); len(res) == 0 || res[0].(map[string]any)["id"] != "ent:rosoboronexport" {
			t.Fatalf("precondition: %v", res)
		}
		d := &armstrace.ScreeningDecision{Query: "Rosobornexport", QueryKey: screening.Key("Rosobornexport"), Entity: "ent:rosoboronexport", Decision: armstrace.DecisionNotAMatch, Reason: "another firm"}
		if err := s.PutScreeningDecision(armstrace.WithActor(context.Background(), "reviewer"), d); err != nil {
			t.Fatal(err)
		}
		res, sup := first()
		for _, r := range res {
			if r.(map[string]any)["id"] == "ent:rosoboronexport" {
				t.Errorf("suppressed hit returned as a result: %v", r)
			}
		}
		if len(sup) != 1 || sup[0].(map[string]any)["review"].(map[string]any)["reason"] != "another firm" {
			t.Errorf("suppressed: %v", sup)
		}
	})
}
