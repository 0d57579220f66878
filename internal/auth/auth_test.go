package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/auth"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// cheap keeps the tests fast; the format and the checks are the same.
var cheap = auth.Params{Time: 1, Memory: 8 * 1024, Threads: 1}

func TestHashAndCheck(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Errorf("hash %q is not in the PHC format", h)
	}
	h2, _ := auth.HashPassword("correct horse battery", cheap)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterz": false, "": false} {
		if ok, err := auth.CheckPassword(pw, h); err != nil || ok != want {
			t.Errorf("%q: %v %v, want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{"", "$2a$10$abc", strings.Replace(h, "argon2id", "argon2i", 1), strings.Replace(h, "m=8192", "m=x", 1), h[:len(h)-3] + "!!!"} {
		if ok, err := auth.CheckPassword("correct horse battery", bad); ok || err == nil {
			t.Errorf("malformed hash %q: %v %v", bad, ok, err)
		}
	}
	if _, err := auth.HashPassword("short", cheap); armstrace.ErrorCode(err) != armstrace.EINVALID {
		t.Errorf("a short password: %v", err)
	}
}

func TestLoginAndTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := armstrace.WithActor(context.Background(), "test")
		h, err := auth.HashPassword("correct horse battery", cheap)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, &armstrace.User{Name: "ana", Role: armstrace.UserAnalyst}, h); err != nil {
			t.Fatal(err)
		}
		u, err := auth.Login(ctx, s, "ana", "correct horse battery")
		if err != nil || u.Name != "ana" || u.Role != armstrace.UserAnalyst {
			t.Fatalf("login: %+v %v", u, err)
		}
		// A wrong password and an unknown user fail alike.
		_, e1 := auth.Login(ctx, s, "ana", "wrong horse battery")
		_, e2 := auth.Login(ctx, s, "nobody", "correct horse battery")
		if armstrace.ErrorCode(e1) != armstrace.EUNAUTHORIZED || e1.Error() != e2.Error() {
			t.Errorf("failures differ: %v / %v", e1, e2)
		}
		secret, id, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAPIToken(ctx, &armstrace.APIToken{ID: id, User: "ana", Label: "nightly screen"}); err != nil {
			t.Fatal(err)
		}
		if u, err := auth.Token(ctx, s, secret); err != nil || u.Name != "ana" {
			t.Errorf("token: %+v %v", u, err)
		}
		if _, err := auth.Token(ctx, s, secret+"x"); armstrace.ErrorCode(err) != armstrace.EUNAUTHORIZED {
			t.Errorf("a wrong token: %v", err)
		}
		if _, err := auth.Token(ctx, s, "Bearer "+secret); armstrace.ErrorCode(err) != armstrace.EUNAUTHORIZED {
			t.Errorf("a token with its scheme: %v", err)
		}
	})
}
