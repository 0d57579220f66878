-- Web sessions: the SHA-256 of the cookie's secret, the user, when it
-- ends, and its CSRF token. Kept in the database so that every server of
-- a team sees them. Logins are audited as events; the rows themselves are
-- not records and are not in the audit log.
CREATE TABLE sessions (
	id      TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id),
	csrf    TEXT NOT NULL,
	expires TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
