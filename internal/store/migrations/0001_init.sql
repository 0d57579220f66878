-- The evidence graph. One schema for SQLite and PostgreSQL: only types
-- and syntax both accept (TEXT, INTEGER, BIGINT, DOUBLE PRECISION), dates
-- as ISO text so that partial dates ("2011") keep their precision.
--
-- Each record table keeps the whole record as canonical JSON in doc, which
-- is what is read back and exported; the other columns and the child
-- tables are projections of it that carry the constraints (uniqueness,
-- references) and serve queries. Both are written in one statement group
-- in one transaction, by one function per record type.

CREATE TABLE sources (
	id        TEXT PRIMARY KEY,
	kind      TEXT NOT NULL,
	title     TEXT NOT NULL,
	publisher TEXT NOT NULL DEFAULT '',
	published TEXT NOT NULL DEFAULT '',
	sha256    TEXT NOT NULL DEFAULT '',
	access    TEXT NOT NULL DEFAULT 'public',
	doc       TEXT NOT NULL
);

CREATE TABLE entities (
	id      TEXT PRIMARY KEY,
	kind    TEXT NOT NULL,
	name    TEXT NOT NULL,
	country TEXT NOT NULL DEFAULT '',
	doc     TEXT NOT NULL
);
CREATE INDEX entities_kind ON entities (kind);

-- Every name of an entity, the primary one at position 0.
CREATE TABLE entity_names (
	entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	value     TEXT NOT NULL,
	folded    TEXT NOT NULL, -- lower-cased for search
	script    TEXT NOT NULL DEFAULT '',
	kind      TEXT NOT NULL,
	PRIMARY KEY (entity_id, position)
);
CREATE INDEX entity_names_folded ON entity_names (folded);

-- A strong identifier names one entity at most: a second entity with the
-- same INN or IMO number is the same entity, or a conflict to resolve, not
-- a new entity. Weak ones (a website, a tax number without its country)
-- may be shared. The list matches armstrace.StrongSchemes; a test holds
-- them together.
CREATE TABLE entity_identifiers (
	entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	scheme    TEXT NOT NULL,
	value     TEXT NOT NULL,
	PRIMARY KEY (entity_id, position)
);
CREATE INDEX entity_identifiers_value ON entity_identifiers (scheme, value);
CREATE UNIQUE INDEX entity_identifiers_strong ON entity_identifiers (scheme, value)
	WHERE scheme IN ('duns', 'gw', 'imo', 'iso3166-alpha3', 'lei', 'ofac-ent', 'ru-inn', 'ru-ogrn', 'ucdp-actor', 'us-cage', 'us-uei', 'wikidata');

CREATE TABLE events (
	id              TEXT PRIMARY KEY,
	type            TEXT NOT NULL,
	date_start      TEXT NOT NULL,
	date_end        TEXT NOT NULL,
	aggregate       INTEGER NOT NULL DEFAULT 0,
	country         TEXT NOT NULL DEFAULT '',
	admin1          TEXT NOT NULL DEFAULT '',
	lat             DOUBLE PRECISION,
	lon             DOUBLE PRECISION,
	fatalities_low  DOUBLE PRECISION,
	fatalities_best DOUBLE PRECISION,
	fatalities_high DOUBLE PRECISION,
	doc             TEXT NOT NULL
);
CREATE INDEX events_dates ON events (date_start, date_end);
CREATE INDEX events_country ON events (country, date_start);

CREATE TABLE event_actors (
	event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	entity_id TEXT NOT NULL REFERENCES entities (id),
	role      TEXT NOT NULL,
	PRIMARY KEY (event_id, position)
);
CREATE INDEX event_actors_entity ON event_actors (entity_id);

-- An external id ("ucdp-ged:123") names one event at most, so that a
-- dataset row imported twice under different ids is caught.
CREATE TABLE event_external_ids (
	event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	external_id TEXT NOT NULL UNIQUE,
	PRIMARY KEY (event_id, external_id)
);

CREATE TABLE ceasefires (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	date_start TEXT NOT NULL,
	date_end   TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL
);

CREATE TABLE ceasefire_parties (
	ceasefire_id TEXT NOT NULL REFERENCES ceasefires (id) ON DELETE CASCADE,
	entity_id    TEXT NOT NULL REFERENCES entities (id),
	role         TEXT NOT NULL, -- covered or excluded
	PRIMARY KEY (ceasefire_id, entity_id)
);
CREATE INDEX ceasefire_parties_entity ON ceasefire_parties (entity_id);

-- Claims are the edges. The object is an entity, an event or a ceasefire;
-- exactly one of the object columns is set, each with its own reference.
CREATE TABLE claims (
	id                  TEXT PRIMARY KEY,
	kind                TEXT NOT NULL,
	subject_id          TEXT NOT NULL REFERENCES entities (id),
	object_entity_id    TEXT REFERENCES entities (id),
	object_event_id     TEXT REFERENCES events (id),
	object_ceasefire_id TEXT REFERENCES ceasefires (id),
	weapon_id           TEXT REFERENCES entities (id),
	status              TEXT NOT NULL,
	confidence          DOUBLE PRECISION NOT NULL,
	valid_from          TEXT NOT NULL DEFAULT '',
	valid_to            TEXT NOT NULL DEFAULT '',
	doc                 TEXT NOT NULL,
	CHECK ((CASE WHEN object_entity_id IS NULL THEN 0 ELSE 1 END)
	     + (CASE WHEN object_event_id IS NULL THEN 0 ELSE 1 END)
	     + (CASE WHEN object_ceasefire_id IS NULL THEN 0 ELSE 1 END) = 1),
	CHECK (confidence > 0 AND confidence <= 1)
);
CREATE INDEX claims_subject ON claims (subject_id, kind);
CREATE INDEX claims_object_entity ON claims (object_entity_id, kind);
CREATE INDEX claims_object_event ON claims (object_event_id);
CREATE INDEX claims_object_ceasefire ON claims (object_ceasefire_id);
CREATE INDEX claims_weapon ON claims (weapon_id);

-- Citations of every record type. A cited source cannot be deleted.
CREATE TABLE citations (
	owner_type TEXT NOT NULL,
	owner_id   TEXT NOT NULL,
	position   INTEGER NOT NULL,
	source_id  TEXT NOT NULL REFERENCES sources (id),
	locator    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (owner_type, owner_id, position)
);
CREATE INDEX citations_source ON citations (source_id);

-- The append-only, hash-chained audit log, and its head: one row that
-- every write updates first, which serialises writers on PostgreSQL.
CREATE TABLE audit_log (
	seq         BIGINT PRIMARY KEY,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id   TEXT NOT NULL,
	change      TEXT NOT NULL,
	digest      TEXT NOT NULL,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
