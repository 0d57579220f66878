package armstrace

import (
	"context"
	"strings"
	"unicode"
)

// UserRole is what a user may do. The roles are ranked: each may do what
// the ones below it may.
type UserRole string

const (
	// UserViewer reads the public record.
	UserViewer UserRole = "viewer"
	// UserAnalyst also reads restricted sources, and writes: imports,
	// screening, claims proposed as alleged.
	UserAnalyst UserRole = "analyst"
	// UserReviewer also reads confidential sources and decides claims:
	// verified, contested, retracted.
	UserReviewer UserRole = "reviewer"
	// UserAdmin also manages users and reads the audit log.
	UserAdmin UserRole = "admin"
)

// UserRoles are the roles, lowest first.
var UserRoles = []UserRole{UserViewer, UserAnalyst, UserReviewer, UserAdmin}

func (r UserRole) rank() int {
	for i, x := range UserRoles {
		if x == r {
			return i
		}
	}
	return -1
}

// AtLeast reports whether r may do what o may.
func (r UserRole) AtLeast(o UserRole) bool { return r.rank() >= 0 && r.rank() >= o.rank() }

// CanSee reports whether a user in role r may read a source of access
// level a: viewers the public ones, analysts the restricted ones too,
// reviewers and admins all. Documentation groups hold material that can
// endanger a witness; the people who decide claims on it must read it,
// the people who only explore must not.
func (r UserRole) CanSee(a Access) bool {
	switch a {
	case AccessPublic, "":
		return r.rank() >= 0
	case AccessRestricted:
		return r.AtLeast(UserAnalyst)
	case AccessConfidential:
		return r.AtLeast(UserReviewer)
	}
	return false
}

// AccessLevels returns the access levels of the sources a user in role r
// may read, or nil when r reads them all: what a reader's queries are
// limited to (armstrace.ClaimFilter.Access and the like).
func (r UserRole) AccessLevels() []Access {
	if r.CanSee(AccessConfidential) {
		return nil
	}
	var out []Access
	for _, a := range []Access{AccessPublic, AccessRestricted} {
		if r.CanSee(a) {
			out = append(out, a)
		}
	}
	if out == nil {
		out = []Access{}
	}
	return out
}

// User is a person who logs in, or a script that holds one of their API
// tokens. Passwords are never part of it: the store keeps a hash apart.
type User struct {
	Name     string   `json:"name"` // the login: letters, digits, '.', '-', '_', '@'
	Role     UserRole `json:"role"`
	Created  string   `json:"created,omitempty"` // RFC 3339, set by the store
	Disabled bool     `json:"disabled,omitempty"`
}

// Validate checks a user.
func (u *User) Validate() error {
	if u.Name == "" {
		return invalid("name", "a user needs a name")
	}
	if len(u.Name) > 64 {
		return invalid("name", "a user name is at most 64 characters")
	}
	for _, r := range u.Name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(".-_@", r) {
			return invalid("name", "a user name holds letters, digits, '.', '-', '_' and '@', not %q", r)
		}
	}
	if u.Role.rank() < 0 {
		return invalid("role", "role %q is not one of viewer, analyst, reviewer, admin", u.Role)
	}
	return nil
}

// APIToken is a token a script presents instead of a password. Only the
// SHA-256 of its secret is stored; the secret is shown once, when made.
type APIToken struct {
	ID      string `json:"id"` // the SHA-256 of the secret, hex
	User    string `json:"user"`
	Label   string `json:"label,omitempty"`
	Created string `json:"created,omitempty"`
}

// Validate checks a token.
func (t *APIToken) Validate() error {
	if len(t.ID) != 64 || strings.Trim(t.ID, "0123456789abcdef") != "" {
		return invalid("id", "a token id is the SHA-256 of its secret, in lower-case hex")
	}
	if t.User == "" {
		return invalid("user", "a token belongs to a user")
	}
	if len(t.Label) > 200 {
		return invalid("label", "a label is at most 200 characters")
	}
	return checkText("label", t.Label)
}

// UserService keeps users, their password hashes and their API tokens.
type UserService interface {
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	SetPassword(ctx context.Context, name, passwordHash string) error
	FindUser(ctx context.Context, name string) (*User, string, error) // the user and their password hash
	FindUsers(ctx context.Context) ([]*User, error)
	CreateAPIToken(ctx context.Context, t *APIToken) error
	FindAPIToken(ctx context.Context, id string) (*APIToken, error)
}
