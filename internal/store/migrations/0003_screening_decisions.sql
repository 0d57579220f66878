-- Reviewers' decisions on screening hits: that a name as screened is not
-- the entity it met (the hit is suppressed from then on), or that it is.
-- Keyed by the name's normalised form, so that "ROSOBORONEXPORT OAO" and
-- "Rosoboronexport OAO" share a decision. Audited like every other write.
CREATE TABLE screening_decisions (
	id        TEXT PRIMARY KEY,
	query_key TEXT NOT NULL,
	entity_id TEXT NOT NULL REFERENCES entities (id),
	decision  TEXT NOT NULL,
	doc       TEXT NOT NULL,
	UNIQUE (query_key, entity_id)
);
CREATE INDEX screening_decisions_entity ON screening_decisions (entity_id);
