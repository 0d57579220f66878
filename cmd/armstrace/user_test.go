package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/armstrace/armstrace/internal/auth"
	"github.com/armstrace/armstrace/internal/store"
)

// runIn runs armstrace with stdin.
func runIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &App{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	code := a.Main(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

func TestUserCommands(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		if r := runIn(t, "correct horse battery\n", "--db", db, "user", "add", "ana", "--role", "admin", "--password-stdin"); r.code != 0 || !strings.Contains(r.stdout, "ana added as admin") {
			t.Fatalf("add: %+v", r)
		}
		for name, c := range map[string]struct {
			stdin string
			args  []string
			code  int
			want  string
		}{
			"taken":      {"correct horse battery\n", []string{"user", "add", "ana", "--role", "viewer", "--password-stdin"}, 1, `user "ana" already exists`},
			"short":      {"short\n", []string{"user", "add", "bo", "--role", "viewer", "--password-stdin"}, 1, "at least 12 characters"},
			"no role":    {"correct horse battery\n", []string{"user", "add", "bo", "--password-stdin"}, 2, "needs --role"},
			"bad role":   {"correct horse battery\n", []string{"user", "add", "bo", "--role", "owner", "--password-stdin"}, 1, "not one of viewer"},
			"no stdin":   {"", []string{"user", "add", "bo", "--role", "viewer", "--password-stdin"}, 1, "no password on standard input"},
			"no term":    {"", []string{"user", "add", "bo", "--role", "viewer"}, 1, "--password-stdin"},
			"unknown":    {"", []string{"user", "remove", "ana"}, 2, "unknown user command"},
			"no user":    {"", []string{"user", "token", "nobody"}, 1, `user "nobody" does not exist`},
			"passwd who": {"correct horse battery\n", []string{"user", "passwd", "nobody", "--password-stdin"}, 1, `no user "nobody"`},
		} {
			r := runIn(t, c.stdin, append([]string{"--db", db}, c.args...)...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Errorf("%s: exit %d, want %d with %q\n%s", name, r.code, c.code, c.want, r.stderr)
			}
		}
		tok := runIn(t, "", "--db", db, "user", "token", "ana", "--label", "nightly")
		secret := strings.TrimSpace(tok.stdout)
		if tok.code != 0 || !strings.HasPrefix(secret, auth.TokenPrefix) || !strings.Contains(tok.stderr, "shown once") {
			t.Fatalf("token: %+v", tok)
		}
		if r := runIn(t, "a new long passphrase\n", "--db", db, "user", "passwd", "ana", "--password-stdin"); r.code != 0 {
			t.Fatalf("passwd: %+v", r)
		}
		// The new password logs in, the old does not; the token finds ana.
		s, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := auth.Login(context.Background(), s, "ana", "a new long passphrase"); err != nil {
			t.Errorf("the new password: %v", err)
		}
		if _, err := auth.Login(context.Background(), s, "ana", "correct horse battery"); err == nil {
			t.Error("the old password still logs in")
		}
		if u, err := auth.Token(context.Background(), s, secret); err != nil || u.Name != "ana" {
			t.Errorf("token: %+v %v", u, err)
		}
		list := mustRun(t, "--db", db, "user", "list")
		if !strings.Contains(list, "ana") || !strings.Contains(list, "admin") || strings.Contains(list, "argon2") {
			t.Errorf("list:\n%s", list)
		}
		if out := mustRun(t, "--db", db, "audit", "verify"); !strings.Contains(out, "OK") {
			t.Errorf("audit verify:\n%s", out)
		}
	})
}
