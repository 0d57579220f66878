package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

func TestUsers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("admin")
		if err := s.CreateUser(ctx, &armstrace.User{Name: "rev", Role: armstrace.UserReviewer}, "$argon2id$hash-1"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, &armstrace.User{Name: "rev", Role: armstrace.UserViewer}, "$argon2id$hash-2"); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Errorf("a name taken twice: %v", err)
		}
		if err := s.CreateUser(ctx, &armstrace.User{Name: "x y", Role: armstrace.UserViewer}, "h"); armstrace.ErrorCode(err) != armstrace.EINVALID || fieldOf(err) != "name" {
			t.Errorf("a name with a space: %v", err)
		}
		if err := s.CreateUser(ctx, &armstrace.User{Name: "boss", Role: "owner"}, "h"); armstrace.ErrorCode(err) != armstrace.EINVALID || fieldOf(err) != "role" {
			t.Errorf("an unknown role: %v", err)
		}
		u, hash, err := s.FindUser(ctx, "rev")
		if err != nil || u.Role != armstrace.UserReviewer || hash != "$argon2id$hash-1" || u.Created == "" {
			t.Fatalf("find: %+v %q %v", u, hash, err)
		}
		if err := s.SetPassword(ctx, "rev", "$argon2id$hash-3"); err != nil {
			t.Fatal(err)
		}
		if _, hash, _ := s.FindUser(ctx, "rev"); hash != "$argon2id$hash-3" {
			t.Errorf("password not set: %q", hash)
		}
		if err := s.SetPassword(ctx, "nobody", "h"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			t.Errorf("set the password of nobody: %v", err)
		}
		tok := &armstrace.APIToken{ID: strings.Repeat("ab", 32), User: "rev", Label: "script"}
		if err := s.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAPIToken(ctx, &armstrace.APIToken{ID: strings.Repeat("cd", 32), User: "nobody"}); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("a token of nobody: %v", err)
		}
		if got, err := s.FindAPIToken(ctx, tok.ID); err != nil || got.User != "rev" {
			t.Errorf("token: %+v %v", got, err)
		}
		us, err := s.FindUsers(ctx)
		if err != nil || len(us) != 1 {
			t.Errorf("users: %v %v", us, err)
		}
		// The audit log holds no password hash, and audit verify checks
		// the users, their tokens and their hashes.
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE change LIKE '%argon2id%'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d audit entries hold a password hash (%v)", n, err)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("verify: %+v %v", rep, err)
		}
		if _, err := s.DB().ExecContext(ctx, s.Rebind(`UPDATE users SET pass_hash = ? WHERE id = ?`), "$argon2id$attacker", "rev"); err != nil {
			t.Fatal(err)
		}
		rep, err := s.VerifyAudit(ctx)
		if err != nil || rep.OK() || rep.DataBreak == nil || rep.DataBreak.ID != "rev" || !strings.Contains(rep.DataBreak.Reason, "password") {
			t.Errorf("a password hash replaced by hand was not caught: %+v %v", rep.DataBreak, err)
		}
	})
}

func TestRolesSeeAccessLevels(t *testing.T) {
	for _, c := range []struct {
		r                     armstrace.UserRole
		pub, restr, confident bool
	}{
		{armstrace.UserViewer, true, false, false},
		{armstrace.UserAnalyst, true, true, false},
		{armstrace.UserReviewer, true, true, true},
		{armstrace.UserAdmin, true, true, true},
		{"owner", false, false, false},
	} {
		if c.r.CanSee(armstrace.AccessPublic) != c.pub || c.r.CanSee(armstrace.AccessRestricted) != c.restr || c.r.CanSee(armstrace.AccessConfidential) != c.confident {
			t.Errorf("%s sees the wrong levels", c.r)
		}
	}
	if !armstrace.UserAdmin.AtLeast(armstrace.UserReviewer) || armstrace.UserAnalyst.AtLeast(armstrace.UserReviewer) || armstrace.UserRole("owner").AtLeast(armstrace.UserViewer) {
		t.Error("role order")
	}
}

// TestAuditEvents: reads and exports are in the log, verify passes, and
// they do not move the data version that caches follow.
func TestAuditEvents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("user:rev")
		seed(t, s)
		v0, err := s.DataVersion(ctx)
		if err != nil || v0 == 0 {
			t.Fatalf("data version %d %v", v0, err)
		}
		if err := s.AuditEvents(ctx, armstrace.ActionRead, "source", []string{"src:a", "src:b"}, `{"via":"GET /api/v1/dossiers/x"}`); err != nil {
			t.Fatal(err)
		}
		if err := s.AuditEvents(ctx, armstrace.ActionCreate, "source", []string{"src:a"}, `{}`); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("a create as an event: %v", err)
		}
		head, _ := s.AuditHead(ctx)
		v1, _ := s.DataVersion(ctx)
		if v1 != v0 || head != v0+2 {
			t.Errorf("after two reads: data version %d (was %d), head %d", v1, v0, head)
		}
		log, err := s.AuditLog(ctx, "source", "src:a")
		if err != nil || len(log) != 2 || log[1].Action != armstrace.ActionRead || log[1].Actor != "user:rev" {
			t.Errorf("the source's log: %+v %v", log, err)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Errorf("verify after reads: %+v %v", rep, err)
		}
		if err := s.CreateSource(ctx, source("src:c")); err != nil {
			t.Fatal(err)
		}
		if v2, _ := s.DataVersion(ctx); v2 != head+1 {
			t.Errorf("a write moved the data version to %d, want %d", v2, head+1)
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		if err := s.CreateUser(ctx, &armstrace.User{Name: "ana", Role: armstrace.UserViewer}, "h"); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		s.Now = func() time.Time { return now }
		if err := s.CreateSession(ctx, store.Session{ID: "s1", User: "ana", CSRF: "c1", Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		se, err := s.FindSession(ctx, "s1")
		if err != nil || se.User != "ana" || se.CSRF != "c1" {
			t.Fatalf("session: %+v %v", se, err)
		}
		if _, err := s.FindSession(ctx, "s2"); armstrace.ErrorCode(err) != armstrace.EUNAUTHORIZED {
			t.Errorf("an unknown session: %v", err)
		}
		s.Now = func() time.Time { return now.Add(2 * time.Hour) }
		if _, err := s.FindSession(ctx, "s1"); armstrace.ErrorCode(err) != armstrace.EUNAUTHORIZED {
			t.Errorf("an expired session: %v", err)
		}
		s.Now = func() time.Time { return now }
		if err := s.DeleteSession(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindSession(ctx, "s1"); armstrace.ErrorCode(err) != armstrace.EUNAUTHORIZED {
			t.Errorf("a deleted session: %v", err)
		}
		if err := s.CreateSession(ctx, store.Session{ID: "s3", User: "nobody", CSRF: "c", Expires: now.Add(time.Hour)}); err == nil {
			t.Error("a session of nobody")
		}
	})
}
