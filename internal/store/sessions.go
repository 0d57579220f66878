package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/armstrace/armstrace"
)

// Session is a web session as stored: its id is the SHA-256 of the
// cookie's secret.
type Session struct {
	ID      string
	User    string
	CSRF    string
	Expires time.Time
}

// CreateSession stores a session and removes the user's expired ones.
func (s *Store) CreateSession(ctx context.Context, se Session) error {
	return wrap("store.CreateSession", s.inTxPlain(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND expires < ?`, se.User, s.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO sessions (id, user_id, csrf, expires) VALUES (?, ?, ?, ?)`, se.ID, se.User, se.CSRF, se.Expires.UTC().Format(time.RFC3339))
		return err
	}))
}

// FindSession returns a session that has not expired; EUNAUTHORIZED for
// an unknown or expired one.
func (s *Store) FindSession(ctx context.Context, id string) (*Session, error) {
	se := &Session{ID: id}
	var exp string
	err := s.read.QueryRowContext(ctx, s.Rebind(`SELECT user_id, csrf, expires FROM sessions WHERE id = ?`), id).Scan(&se.User, &se.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "not signed in, or the session has ended")
	}
	if err != nil {
		return nil, wrap("store.FindSession", err)
	}
	if se.Expires, err = time.Parse(time.RFC3339, exp); err != nil {
		return nil, wrap("store.FindSession", err)
	}
	if !s.Now().Before(se.Expires) {
		return nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "the session has ended: sign in again")
	}
	return se, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return wrap("store.DeleteSession", s.inTxPlain(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		return err
	}))
}
