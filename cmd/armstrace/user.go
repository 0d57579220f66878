package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/auth"
	"golang.org/x/term"
)

func (a *App) runUser(ctx context.Context, args []string) error {
	fs := a.newFlagSet("user", "user add NAME --role ROLE | user passwd NAME | user token NAME [--label L] | user list", `
Manage the users of armstrace serve. Roles, lowest first: viewer (reads
public sources), analyst (also restricted sources; imports and screens),
reviewer (also confidential sources; decides claims), admin (also users
and the audit log). Passwords have at least 12 characters and are kept as
argon2id hashes; they are asked on the terminal, or read from the first
line of standard input with --password-stdin. "user token" prints an API
token for scripts once: only its SHA-256 is kept. Every change is audited.`,
		"armstrace user add ana --role admin",
		"printf '%s\\n' \"$PASSWORD\" | armstrace user add ci --role viewer --password-stdin",
		`armstrace user token ana --label "nightly screen"`,
		"armstrace user list")
	role := fs.String("role", "", "viewer, analyst, reviewer or admin (user add)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	label := fs.String("label", "", "what the token is for (user token)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return a.usageError(fs, "user needs add, passwd, token or list")
	}
	verb, pos := pos[0], pos[1:]
	switch verb {
	case "list":
		if len(pos) != 0 {
			return a.usageError(fs, "user list takes no arguments")
		}
		s, err := a.openStore(ctx, false)
		if err != nil {
			return err
		}
		defer s.Close()
		us, err := s.FindUsers(ctx)
		if err != nil {
			return err
		}
		if a.JSON {
			if us == nil {
				us = []*armstrace.User{}
			}
			return writeJSON(a.Stdout, us)
		}
		if len(us) == 0 {
			fmt.Fprintln(a.Stdout, "No users. Add the first admin with: armstrace user add NAME --role admin")
		}
		for _, u := range us {
			state := ""
			if u.Disabled {
				state = "  (disabled)"
			}
			fmt.Fprintf(a.Stdout, "%-24s %-8s created %s%s\n", u.Name, u.Role, u.Created, state)
		}
		return nil
	case "add", "passwd":
		if len(pos) != 1 {
			return a.usageError(fs, "user %s needs one NAME", verb)
		}
		if verb == "add" && *role == "" {
			return a.usageError(fs, "user add needs --role (viewer, analyst, reviewer or admin)")
		}
		u := &armstrace.User{Name: pos[0], Role: armstrace.UserRole(*role)}
		if verb == "add" {
			if err := u.Validate(); err != nil {
				return err // before asking for a password
			}
		}
		pw, err := a.readPassword(*fromStdin)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(pw, auth.Default)
		if err != nil {
			return err
		}
		s, err := a.openStore(ctx, true)
		if err != nil {
			return err
		}
		defer s.Close()
		if verb == "passwd" {
			if err := s.SetPassword(ctx, u.Name, hash); err != nil {
				return err
			}
			fmt.Fprintf(a.Stdout, "Password of %s changed.\n", u.Name)
			return nil
		}
		if err := s.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "User %s added as %s.\n", u.Name, u.Role)
		return nil
	case "token":
		if len(pos) != 1 {
			return a.usageError(fs, "user token needs one NAME")
		}
		s, err := a.openStore(ctx, true)
		if err != nil {
			return err
		}
		defer s.Close()
		secret, id, err := auth.NewToken()
		if err != nil {
			return err
		}
		if err := s.CreateAPIToken(ctx, &armstrace.APIToken{ID: id, User: pos[0], Label: *label}); err != nil {
			return err
		}
		fmt.Fprintf(a.Stderr, "API token for %s; it is shown once, keep it secret (send it as \"Authorization: Bearer TOKEN\"):\n", pos[0])
		fmt.Fprintln(a.Stdout, secret)
		return nil
	}
	return a.usageError(fs, "unknown user command %q: add, passwd, token or list", verb)
}

// readPassword reads a password from the first line of standard input,
// or asks for it twice on the terminal without echo.
func (a *App) readPassword(fromStdin bool) (string, error) {
	in := a.Stdin
	if in == nil {
		in = strings.NewReader("")
	}
	if fromStdin {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", armstrace.Errorf(armstrace.EINVALID, "no password on standard input")
		}
		return line, nil
	}
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", armstrace.Errorf(armstrace.EINVALID, "no terminal to ask for the password on: give it on standard input with --password-stdin")
	}
	fmt.Fprint(a.Stderr, "Password: ")
	p1, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.Stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(a.Stderr, "Again: ")
	p2, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.Stderr)
	if err != nil {
		return "", err
	}
	if string(p1) != string(p2) {
		return "", armstrace.Errorf(armstrace.EINVALID, "the two passwords differ")
	}
	return string(p1), nil
}
