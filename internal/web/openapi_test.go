package web

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesTheRoutes keeps the OpenAPI document true to the
// route table: every route is described, and nothing else is.
func TestOpenAPIMatchesTheRoutes(t *testing.T) {
	var doc struct {
		OpenAPI  string                    `json:"openapi"`
		Security []map[string][]string     `json:"security"`
		Paths    map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}
	var described []string
	for path, ops := range doc.Paths {
		for method := range ops {
			described = append(described, strings.ToUpper(method)+" "+path)
		}
	}
	var routed []string
	for _, r := range (&Server{}).routes() {
		routed = append(routed, r.pattern)
	}
	slices.Sort(described)
	slices.Sort(routed)
	if !slices.Equal(described, routed) {
		t.Errorf("the document describes %v\nbut the routes are %v", described, routed)
	}
	// The routes open to anyone say so; the others need the token the
	// document requires by default.
	if len(doc.Security) != 1 || doc.Security[0]["token"] == nil {
		t.Errorf("the document does not require a token by default: %v", doc.Security)
	}
	for _, r := range (&Server{}).routes() {
		method, path, _ := strings.Cut(r.pattern, " ")
		op, _ := doc.Paths[path][strings.ToLower(method)].(map[string]any)
		sec, set := op["security"].([]any)
		if open := set && len(sec) == 0; open != (r.role == "") {
			t.Errorf("%s: open to anyone in the document %v, in the routes %v", r.pattern, open, r.role == "")
		}
	}
	// Path parameters are declared where the route has them.
	for _, r := range routed {
		method, path, _ := strings.Cut(r, " ")
		op, _ := doc.Paths[path][strings.ToLower(method)].(map[string]any)
		params, _ := op["parameters"].([]any)
		for _, seg := range strings.Split(path, "/") {
			if !strings.HasPrefix(seg, "{") {
				continue
			}
			name := strings.Trim(seg, "{}")
			found := false
			for _, p := range params {
				if m, ok := p.(map[string]any); ok && m["name"] == name && m["in"] == "path" {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: path parameter %s is not declared", r, name)
			}
		}
	}
	// And the server serves it.
	srv := httptest.NewServer((&Server{}).Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != string(openAPIDoc) {
		t.Errorf("GET /api/v1/openapi.json: %d, %d bytes", resp.StatusCode, len(body))
	}
}
