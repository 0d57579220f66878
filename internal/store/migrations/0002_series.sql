-- Series: counts or volumes over time from one dataset (daily deaths,
-- yearly TIV). The points are kept in doc and projected one row each, so
-- that sums over periods and keys run in SQL.
CREATE TABLE series (
	id             TEXT PRIMARY KEY,
	measure        TEXT NOT NULL,
	frequency      TEXT NOT NULL,
	subject_id     TEXT REFERENCES entities (id),
	counterpart_id TEXT REFERENCES entities (id),
	doc            TEXT NOT NULL
);
CREATE INDEX series_subject ON series (subject_id);

CREATE TABLE series_points (
	series_id TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
	period    TEXT NOT NULL,
	pkey      TEXT NOT NULL,
	value     DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (series_id, period, pkey)
);

-- One row per import run: what file, which snapshot source, when, by
-- whom, and what it did. Runs are audited like every other write.
CREATE TABLE import_runs (
	id         TEXT PRIMARY KEY,
	format     TEXT NOT NULL,
	file       TEXT NOT NULL,
	source_id  TEXT REFERENCES sources (id), -- none for the native format, whose records cite their own
	sha256     TEXT NOT NULL,
	started    TEXT NOT NULL,
	finished   TEXT NOT NULL,
	actor      TEXT NOT NULL,
	doc        TEXT NOT NULL
);
CREATE INDEX import_runs_source ON import_runs (source_id);

-- Entity resolution: when an incoming entity shares a strong identifier
-- (an INN, an IMO number, an OFAC entry number) with one already stored,
-- it is merged into that one, and its id is kept here so that the
-- dataset's claims and events that name it land on the same node.
CREATE TABLE entity_redirects (
	id    TEXT PRIMARY KEY, -- the incoming id
	to_id TEXT NOT NULL REFERENCES entities (id),
	doc   TEXT NOT NULL     -- {"id","to","reason"}, as audited
);
CREATE INDEX entity_redirects_to ON entity_redirects (to_id);
