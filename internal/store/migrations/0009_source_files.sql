-- Files held for sources: the original bytes collected and the working
-- copies derived from them (extracted text, redacted copies). The bytes
-- live outside the database, in a folder addressed by SHA-256; a row says
-- whose they are and how a copy was made. A disposed file keeps its row,
-- with the time and reason, and loses its bytes. A source has at most one
-- original: a new capture is a new source.
CREATE TABLE source_files (
	id        TEXT PRIMARY KEY,
	source_id TEXT NOT NULL REFERENCES sources (id),
	sha256    TEXT NOT NULL,
	role      TEXT NOT NULL CHECK (role IN ('original', 'derived')),
	disposed  TEXT NOT NULL DEFAULT '',
	doc       TEXT NOT NULL
);
CREATE INDEX source_files_source ON source_files (source_id);
CREATE INDEX source_files_sha256 ON source_files (sha256);
CREATE UNIQUE INDEX source_files_original ON source_files (source_id) WHERE role = 'original';
