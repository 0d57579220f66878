package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/auth"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
	"github.com/armstrace/armstrace/internal/web"
)

// TestTwoServersOnPostgres runs two servers, each with its own store and
// connections, on one PostgreSQL database: an entity written through one
// store is found by the other server's search and match within 5 s, and
// a token made through one authenticates on the other.
func TestTwoServersOnPostgres(t *testing.T) {
	dsn := storetest.NewPostgresSchema(t)
	ctx := armstrace.WithActor(context.Background(), "test")
	open := func() *store.Store {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := open(), open()
	storetest.Import(t, a, "demo.jsonl", demo.Data)
	if err := a.CreateUser(ctx, &armstrace.User{Name: "ana", Role: armstrace.UserAnalyst}, "$argon2id$unused"); err != nil {
		t.Fatal(err)
	}
	secret, id, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.CreateAPIToken(ctx, &armstrace.APIToken{ID: id, User: "ana"}); err != nil {
		t.Fatal(err)
	}
	srvA := httptest.NewServer((&web.Server{Store: a}).Handler())
	srvB := httptest.NewServer((&web.Server{Store: b}).Handler())
	t.Cleanup(srvA.Close)
	t.Cleanup(srvB.Close)
	search := func(srv *httptest.Server) string {
		code, body := callAs(t, secret, "GET", srv.URL+"/api/v1/search?q=Bahram+Kourosh+Transport", "")
		if code != 200 {
			t.Fatalf("search: %d %v", code, body)
		}
		return fmtJSON(body)
	}
	// Both have built their indexes before the write.
	if strings.Contains(search(srvA), "ent:courier") || strings.Contains(search(srvB), "ent:courier") {
		t.Fatal("found before it was written")
	}
	if err := a.CreateEntity(ctx, &armstrace.Entity{ID: "ent:courier", Name: "Bahram Kourosh Transport", Kind: armstrace.EntityCompany,
		Citations: []armstrace.Citation{{Source: "src:hrf-2012-04-12"}}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for !strings.Contains(search(srvB), "ent:courier") {
		if time.Since(start) > 5*time.Second {
			t.Fatal("the other server's search did not find the new entity within 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the other server found the new entity after %v", time.Since(start).Round(time.Millisecond))
	_, body := callAs(t, secret, "POST", srvB.URL+"/api/v1/match", `{"queries": {"q": {"schema": "Company", "properties": {"name": ["Bahram Kourosh Transport"]}}}}`)
	if !strings.Contains(fmtJSON(body), "ent:courier") {
		t.Errorf("the other server's match does not find it: %v", body)
	}
}
