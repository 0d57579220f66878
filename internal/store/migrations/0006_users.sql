-- Users and their API tokens. The document is the user without the
-- password; the hash is kept in its own column, and the document carries
-- the hash's SHA-256 so that audit verify notices a hash changed outside
-- armstrace without the audit log holding the hash itself. Tokens are
-- kept as the SHA-256 of their secret, which is shown once.
CREATE TABLE users (
	id        TEXT PRIMARY KEY,
	role      TEXT NOT NULL,
	pass_hash TEXT NOT NULL,
	doc       TEXT NOT NULL
);
CREATE TABLE api_tokens (
	id      TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id),
	doc     TEXT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
