-- The audit log also records reads of confidential items and exports,
-- which change no data. data_seq is the sequence number of the last entry
-- that did (a create, update or delete), so that caches of the data (the
-- screening index) are rebuilt after writes, not after every audited read.
ALTER TABLE audit_head ADD COLUMN data_seq BIGINT NOT NULL DEFAULT 0;
UPDATE audit_head SET data_seq = seq;
