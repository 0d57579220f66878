package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/auth"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
	"github.com/armstrace/armstrace/internal/web"
)

// apiServer is a test server with a token per role.
type apiServer struct {
	*httptest.Server
	tokens map[armstrace.UserRole]string
}

// servers maps a test server's URL to it, so that call can send the
// viewer's token to the server a URL names.
var servers sync.Map

// demoServer serves the demo data, with a user and an API token for each
// role.
func demoServer(t *testing.T, s *store.Store, with ...func(*web.Server)) *apiServer {
	t.Helper()
	storetest.Import(t, s, "demo.jsonl", demo.Data)
	ws := &web.Server{Store: s}
	for _, f := range with {
		f(ws)
	}
	srv := &apiServer{Server: httptest.NewServer(ws.Handler()), tokens: map[armstrace.UserRole]string{}}
	t.Cleanup(srv.Close)
	ctx := armstrace.WithActor(context.Background(), "test")
	for _, role := range armstrace.UserRoles {
		if err := s.CreateUser(ctx, &armstrace.User{Name: string(role), Role: role}, "$argon2id$not-used-by-tokens"); err != nil {
			t.Fatal(err)
		}
		secret, id, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAPIToken(ctx, &armstrace.APIToken{ID: id, User: string(role)}); err != nil {
			t.Fatal(err)
		}
		srv.tokens[role] = secret
	}
	servers.Store(srv.URL, srv)
	t.Cleanup(func() { servers.Delete(srv.URL) })
	return srv
}

// call calls the API as the viewer of the server the URL names.
func call(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	token := ""
	servers.Range(func(k, v any) bool {
		if strings.HasPrefix(url, k.(string)+"/") {
			token = v.(*apiServer).tokens[armstrace.UserViewer]
		}
		return token == ""
	})
	return callAs(t, token, method, url, body)
}

// callAs calls the API with a token ("" for none).
func callAs(t *testing.T, token, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", method, url, err)
	}
	return resp.StatusCode, v
}

func TestMatch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv := demoServer(t, s)
		body := `{"queries": {
			"typo": {"schema": "Company", "properties": {"name": ["Rosobornexport"]}},
			"cyrillic": {"schema": "Company", "properties": {"name": ["Рособоронэкспорт"]}},
			"inn": {"schema": "Company", "properties": {"name": ["Unknown Arms Trader"], "innCode": ["7718852163"]}},
			"other": {"schema": "Company", "properties": {"name": ["Rosatom"]}}}}`
		status, v := call(t, "POST", srv.URL+"/api/v1/match?limit=3", body)
		if status != 200 {
			t.Fatalf("status %d: %v", status, v)
		}
		responses := v["responses"].(map[string]any)
		for _, q := range []string{"typo", "cyrillic", "inn"} {
			results := responses[q].(map[string]any)["results"].([]any)
			if len(results) == 0 {
				t.Fatalf("%s: no results", q)
			}
			first := results[0].(map[string]any)
			if first["id"] != "ent:rosoboronexport" || first["match"] != true {
				t.Errorf("%s: first result %v %v", q, first["id"], first["match"])
			}
			if ex := first["explanations"].(map[string]any); ex["summary"] == "" {
				t.Errorf("%s: no explanation", q)
			}
			if g := first["graph"].(map[string]any); g["sanctions"].(float64) < 1 || g["contracts"].(float64) < 1 {
				t.Errorf("%s: graph counts %v", q, g)
			}
		}
		for _, r := range responses["other"].(map[string]any)["results"].([]any) {
			if r.(map[string]any)["match"] == true {
				t.Errorf("Rosatom matched %v", r.(map[string]any)["id"])
			}
		}
		if m := v["matcher"].(map[string]any); m["name"] != "armstrace-match" || m["version"] == "" {
			t.Errorf("matcher: %v", m)
		}
		// Excluding a reviewed hit.
		_, v = call(t, "POST", srv.URL+"/api/v1/match?exclude_entity_ids=ent:rosoboronexport", `{"queries": {"q": {"schema": "Company", "properties": {"name": ["Rosobornexport"]}}}}`)
		for _, r := range v["responses"].(map[string]any)["q"].(map[string]any)["results"].([]any) {
			if r.(map[string]any)["id"] == "ent:rosoboronexport" {
				t.Error("an excluded entity came back")
			}
		}
	})
}

func TestErrorsMapToStatuses(t *testing.T) {
	srv := demoServer(t, storetest.OpenSQLite(t))
	for _, tc := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"POST", "/api/v1/match", `{"queries": `, 400, armstrace.EINVALID},
		{"POST", "/api/v1/match", `{"queries": {"q": {"schema": "Spaceship", "properties": {"name": ["x"]}}}}`, 400, armstrace.EINVALID},
		{"POST", "/api/v1/match", `{"queries": {}}`, 400, armstrace.EINVALID},
		{"POST", "/api/v1/match?limit=0", `{"queries": {"q": {"properties": {"name": ["x"]}}}}`, 400, armstrace.EINVALID},
		{"POST", "/api/v1/match", `{"querys": {}}`, 400, armstrace.EINVALID},
		{"GET", "/api/v1/entities/ent:nobody", "", 404, armstrace.ENOTFOUND},
		{"GET", "/api/v1/search", "", 400, armstrace.EINVALID},
	} {
		status, v := call(t, tc.method, srv.URL+tc.path, tc.body)
		if status != tc.status {
			t.Errorf("%s %s: status %d, want %d (%v)", tc.method, tc.path, status, tc.status, v)
			continue
		}
		if e := v["error"].(map[string]any); e["code"] != tc.code || e["message"] == "" {
			t.Errorf("%s %s: error %v", tc.method, tc.path, e)
		}
	}
	if status, v := call(t, "GET", srv.URL+"/api/v1/entities/ent:syria", ""); status != 200 || v["name"] != "Syria" {
		t.Errorf("entity: %d %v", status, v)
	}
	status, v := call(t, "GET", srv.URL+"/api/v1/search?q=Rosoboronexport", "")
	if status != 200 || len(v["results"].([]any)) == 0 || v["results"].([]any)[0].(map[string]any)["id"] != "ent:rosoboronexport" {
		t.Errorf("search: %d %v", status, v)
	}
}

// TestIndexFollowsWrites: an entity written after the first query is
// found by the next one.
func TestIndexFollowsWrites(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	q := `{"queries": {"q": {"schema": "Company", "properties": {"name": ["Uralvagonzavod"]}}}}`
	_, v := call(t, "POST", srv.URL+"/api/v1/match", q)
	if n := len(v["responses"].(map[string]any)["q"].(map[string]any)["results"].([]any)); n != 0 {
		for _, r := range v["responses"].(map[string]any)["q"].(map[string]any)["results"].([]any) {
			if r.(map[string]any)["match"] == true {
				t.Fatalf("matched before it existed: %v", r)
			}
		}
	}
	if err := s.CreateEntity(context.Background(), &armstrace.Entity{ID: "ent:uvz", Kind: armstrace.EntityCompany, Name: "Uralvagonzavod"}); err != nil {
		t.Fatal(err)
	}
	_, v = call(t, "POST", srv.URL+"/api/v1/match", q)
	results := v["responses"].(map[string]any)["q"].(map[string]any)["results"].([]any)
	if len(results) == 0 || results[0].(map[string]any)["id"] != "ent:uvz" {
		t.Fatalf("the new entity was not found: %v", results)
	}
}
