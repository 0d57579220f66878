package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/armstrace/armstrace"
)

// The object types of users and API tokens in the audit log.
const (
	auditUser  = "user"
	auditToken = "api_token"
)

// userDoc is a user as stored and audited: the user, and the SHA-256 of
// their password hash, so that a hash changed outside armstrace breaks
// the record's digest without the log holding the hash.
type userDoc struct {
	*armstrace.User
	PasswordSHA256 string `json:"password_sha256"`
}

func hashOfHash(h string) string {
	sum := sha256.Sum256([]byte(h))
	return hex.EncodeToString(sum[:])
}

// CreateUser adds a user with a password hash (internal/auth makes it).
// A name already taken is ECONFLICT. It is audited.
func (s *Store) CreateUser(ctx context.Context, u *armstrace.User, passwordHash string) error {
	const op = "store.CreateUser"
	if u.Created == "" {
		u.Created = s.Now().UTC().Format(time.RFC3339)
	}
	if err := u.Validate(); err != nil {
		return wrap(op, err)
	}
	if passwordHash == "" {
		return wrap(op, armstrace.Errorf(armstrace.EINVALID, "a user needs a password"))
	}
	doc, err := json.Marshal(userDoc{u, hashOfHash(passwordHash)})
	if err != nil {
		return wrap(op, err)
	}
	return wrap(op, s.inTx(ctx, func(t *tx) error {
		var one int
		switch err := t.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, u.Name).Scan(&one); {
		case err == nil:
			return armstrace.Errorf(armstrace.ECONFLICT, "user %q already exists", u.Name)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO users (id, role, pass_hash, doc) VALUES (?, ?, ?, ?)`, u.Name, string(u.Role), passwordHash, string(doc)); err != nil {
			return err
		}
		return s.appendAudit(ctx, t, armstrace.ActionCreate, auditUser, u.Name, string(doc))
	}))
}

// SetPassword replaces a user's password hash. It is audited (the
// hash's digest, not the hash).
func (s *Store) SetPassword(ctx context.Context, name, passwordHash string) error {
	const op = "store.SetPassword"
	if passwordHash == "" {
		return wrap(op, armstrace.Errorf(armstrace.EINVALID, "a user needs a password"))
	}
	return wrap(op, s.inTx(ctx, func(t *tx) error {
		var doc string
		err := t.queryRow(ctx, `SELECT doc FROM users WHERE id = ?`, name).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return armstrace.Errorf(armstrace.ENOTFOUND, "no user %q", name)
		}
		if err != nil {
			return err
		}
		d := userDoc{User: &armstrace.User{}}
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			return err
		}
		d.PasswordSHA256 = hashOfHash(passwordHash)
		b, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE users SET pass_hash = ?, doc = ? WHERE id = ?`, passwordHash, string(b), name); err != nil {
			return err
		}
		return s.appendAudit(ctx, t, armstrace.ActionUpdate, auditUser, name, string(b))
	}))
}

// FindUser returns a user and their password hash; ENOTFOUND when there
// is none.
func (s *Store) FindUser(ctx context.Context, name string) (*armstrace.User, string, error) {
	const op = "store.FindUser"
	var doc, hash string
	err := s.read.QueryRowContext(ctx, s.Rebind(`SELECT doc, pass_hash FROM users WHERE id = ?`), name).Scan(&doc, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", wrap(op, armstrace.Errorf(armstrace.ENOTFOUND, "no user %q", name))
	}
	if err != nil {
		return nil, "", wrap(op, err)
	}
	d := userDoc{User: &armstrace.User{}}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, "", wrap(op, err)
	}
	return d.User, hash, nil
}

// FindUsers lists the users by name.
func (s *Store) FindUsers(ctx context.Context) ([]*armstrace.User, error) {
	const op = "store.FindUsers"
	rows, err := s.read.QueryContext(ctx, `SELECT doc FROM users ORDER BY `+s.idOrder())
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []*armstrace.User
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, wrap(op, err)
		}
		d := userDoc{User: &armstrace.User{}}
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, d.User)
	}
	return out, wrap(op, rows.Err())
}

// CreateAPIToken records a token (its id is the SHA-256 of its secret)
// for an existing user. It is audited.
func (s *Store) CreateAPIToken(ctx context.Context, tok *armstrace.APIToken) error {
	const op = "store.CreateAPIToken"
	if tok.Created == "" {
		tok.Created = s.Now().UTC().Format(time.RFC3339)
	}
	if err := tok.Validate(); err != nil {
		return wrap(op, err)
	}
	doc, err := json.Marshal(tok)
	if err != nil {
		return wrap(op, err)
	}
	return wrap(op, s.inTx(ctx, func(t *tx) error {
		if err := mustExist(ctx, t, "users", "user", "user", tok.User); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO api_tokens (id, user_id, doc) VALUES (?, ?, ?)`, tok.ID, tok.User, string(doc)); err != nil {
			return err
		}
		return s.appendAudit(ctx, t, armstrace.ActionCreate, auditToken, tok.ID, string(doc))
	}))
}

// FindAPIToken returns the token with this id (the SHA-256 of its
// secret); ENOTFOUND when there is none.
func (s *Store) FindAPIToken(ctx context.Context, id string) (*armstrace.APIToken, error) {
	const op = "store.FindAPIToken"
	var doc string
	err := s.read.QueryRowContext(ctx, s.Rebind(`SELECT doc FROM api_tokens WHERE id = ?`), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wrap(op, armstrace.Errorf(armstrace.ENOTFOUND, "no such token"))
	}
	if err != nil {
		return nil, wrap(op, err)
	}
	tok := &armstrace.APIToken{}
	if err := json.Unmarshal([]byte(doc), tok); err != nil {
		return nil, wrap(op, err)
	}
	return tok, nil
}

// checkPasswords checks each user's password hash against the digest
// its audited document carries: a hash replaced outside armstrace (to
// take over an account) is a data break.
func checkPasswords(ctx context.Context, t *tx, rep *armstrace.AuditReport) error {
	rows, err := t.query(ctx, `SELECT id, pass_hash, doc FROM users ORDER BY `+t.s.idOrder())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, hash, doc string
		if err := rows.Scan(&id, &hash, &doc); err != nil {
			return err
		}
		var d userDoc
		if json.Unmarshal([]byte(doc), &d) == nil && d.PasswordSHA256 == hashOfHash(hash) {
			continue
		}
		rep.DataBreaks++
		if rep.DataBreak == nil {
			rep.DataBreak = &armstrace.DataBreak{Type: auditUser, ID: id, Reason: "its password hash differs from the one its audit entry recorded: it was changed outside armstrace"}
		}
	}
	return rows.Err()
}
