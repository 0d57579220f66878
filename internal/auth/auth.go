// Package auth hashes passwords and makes API tokens. It holds no state:
// the store keeps the hashes, the web layer the sessions.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/armstrace/armstrace"
	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. Default follows RFC 9106's second
// recommended option (64 MiB, 3 passes), with 2 lanes for 2 cores.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// Default is used for new hashes; a hash keeps the parameters it was
// made with, so that raising them later leaves old hashes valid.
var Default = Params{Time: 3, Memory: 64 * 1024, Threads: 2}

const (
	saltLen = 16
	keyLen  = 32
)

// MinPassword is the shortest password accepted. Length is what makes
// a password hard to guess; no rules on its letters.
const MinPassword = 12

// HashPassword returns the argon2id hash of a password in the PHC string
// format: $argon2id$v=19$m=65536,t=3,p=2$salt$hash.
func HashPassword(password string, p Params) (string, error) {
	if len([]rune(password)) < MinPassword {
		return "", armstrace.Errorf(armstrace.EINVALID, "a password has at least %d characters", MinPassword)
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether a password matches a hash made by
// HashPassword, comparing in constant time. A malformed hash is an
// error, never a match.
func CheckPassword(password, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("auth: not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, fmt.Errorf("auth: argon2 version %q", parts[2])
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 {
		return false, fmt.Errorf("auth: argon2 parameters %q", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("auth: salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("auth: hash: %v", err)
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// TokenPrefix begins every API token, so that one pasted where it should
// not be is easy to find and revoke.
const TokenPrefix = "armstrace_"

// NewToken returns a new API token's secret and its id (the SHA-256 of
// the secret, which is all the store keeps).
func NewToken() (secret, id string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, TokenID(secret), nil
}

// TokenID is the id under which a token's secret is stored.
func TokenID(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Users is what Login and Token read.
type Users interface {
	FindUser(ctx context.Context, name string) (*armstrace.User, string, error)
	FindAPIToken(ctx context.Context, id string) (*armstrace.APIToken, error)
}

// Login returns the user whose name and password these are. Any failure
// (no such user, wrong password, disabled) is the same EUNAUTHORIZED, so
// that a caller learns nothing of which names exist; the password is
// checked against a hash even when the user does not exist, so that the
// time taken does not tell either.
func Login(ctx context.Context, us Users, name, password string) (*armstrace.User, error) {
	u, hash, err := us.FindUser(ctx, name)
	switch armstrace.ErrorCode(err) {
	case "":
	case armstrace.ENOTFOUND:
		u, hash = nil, decoy()
	default:
		return nil, err
	}
	ok, err := CheckPassword(password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil || u.Disabled {
		return nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "wrong user name or password")
	}
	return u, nil
}

// decoy is a hash of nothing anyone knows, checked when a user does not
// exist; made on first use, not when a command starts.
var decoy = sync.OnceValue(func() string {
	h, err := HashPassword("decoy: no user has this password", Default)
	if err != nil {
		panic(err)
	}
	return h
})

// Token returns the user a token belongs to; EUNAUTHORIZED for an
// unknown token or a disabled user.
func Token(ctx context.Context, us Users, secret string) (*armstrace.User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "not an armstrace API token")
	}
	tok, err := us.FindAPIToken(ctx, TokenID(secret))
	if armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
		return nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "unknown API token")
	}
	if err != nil {
		return nil, err
	}
	u, _, err := us.FindUser(ctx, tok.User)
	if armstrace.ErrorCode(err) == armstrace.ENOTFOUND || (err == nil && u.Disabled) {
		return nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "the token's user is disabled or gone")
	}
	return u, err
}
