package store

import (
	"context"
	"time"

	"github.com/armstrace/armstrace"
)

// appendAudit adds an entry to the hash chain inside t, the transaction of
// the write it records, so that a write and its entry land or fail
// together. The first entry of a transaction reads the head row FOR
// UPDATE, which orders concurrent writers on PostgreSQL (SQLite has one
// writer anyway); the head is written back once, at commit.
func (s *Store) appendAudit(ctx context.Context, t *tx, action, objectType, objectID, change string) error {
	e := armstrace.AuditEntry{
		Time:       s.Now().UTC().Format(time.RFC3339Nano),
		Actor:      armstrace.ActorFrom(ctx),
		Action:     action,
		ObjectType: objectType,
		ObjectID:   objectID,
		Change:     change,
		Digest:     armstrace.Digest(change),
	}
	if t.head == nil {
		q := `SELECT seq, hash FROM audit_head WHERE id = 1`
		if s.dialect == dialectPostgres {
			q += ` FOR UPDATE`
		}
		h := &auditHead{}
		if err := t.queryRow(ctx, q).Scan(&h.seq, &h.hash); err != nil {
			return err
		}
		t.head = h
	}
	e.Seq, e.PrevHash = t.head.seq+1, t.head.hash
	e.Hash = e.ComputeHash()
	if _, err := t.exec(ctx, `INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, change, digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.Time, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Change, e.Digest, e.PrevHash, e.Hash); err != nil {
		return err
	}
	t.head.seq, t.head.hash, t.head.dirty = e.Seq, e.Hash, true
	return nil
}

const auditCols = `seq, at, actor, action, object_type, object_id, change, digest, prev_hash, hash`

// AuditLog returns the entries about one object, oldest first; with an
// empty objectType it returns the whole log.
func (s *Store) AuditLog(ctx context.Context, objectType, objectID string) ([]armstrace.AuditEntry, error) {
	q, args := `SELECT `+auditCols+` FROM audit_log`, []any{}
	if objectType != "" {
		q += ` WHERE object_type = ? AND object_id = ?`
		args = append(args, objectType, objectID)
	}
	rows, err := s.read.QueryContext(ctx, s.Rebind(q+` ORDER BY seq`), args...)
	if err != nil {
		return nil, wrap("store.AuditLog", err)
	}
	defer rows.Close()
	var out []armstrace.AuditEntry
	for rows.Next() {
		var e armstrace.AuditEntry
		if err := rows.Scan(&e.Seq, &e.Time, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.Change, &e.Digest, &e.PrevHash, &e.Hash); err != nil {
			return nil, wrap("store.AuditLog", err)
		}
		out = append(out, e)
	}
	return out, wrap("store.AuditLog", rows.Err())
}

// VerifyAudit walks the whole chain in one snapshot, entry by entry, and
// reports the first broken link. It also checks the chain's end against
// the head row, which catches entries cut off the tail unless the head
// was rewritten too; compare HeadHash with a copy kept elsewhere for that.
func (s *Store) VerifyAudit(ctx context.Context) (*armstrace.AuditReport, error) {
	t, err := s.beginRead(ctx)
	if err != nil {
		return nil, wrap("store.VerifyAudit", err)
	}
	defer t.Rollback()
	rep := &armstrace.AuditReport{}
	var headSeq int64
	var headHash string
	if err := t.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, wrap("store.VerifyAudit", err)
	}
	rows, err := t.query(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return nil, wrap("store.VerifyAudit", err)
	}
	defer rows.Close()
	var prevSeq int64
	var prevHash string
	for rows.Next() {
		var e armstrace.AuditEntry
		if err := rows.Scan(&e.Seq, &e.Time, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.Change, &e.Digest, &e.PrevHash, &e.Hash); err != nil {
			return nil, wrap("store.VerifyAudit", err)
		}
		rep.Entries++
		if rep.Break == nil {
			if b := armstrace.VerifyChain([]armstrace.AuditEntry{e}, prevSeq, prevHash); b != nil {
				rep.Break = b
			}
		}
		prevSeq, prevHash = e.Seq, e.Hash
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("store.VerifyAudit", err)
	}
	rep.HeadSeq, rep.HeadHash = headSeq, headHash
	if rep.Break == nil && (prevSeq != headSeq || prevHash != headHash) {
		rep.Break = &armstrace.AuditBreak{Seq: prevSeq + 1, Reason: "the log ends before its recorded head: entries were removed from the end"}
		if prevSeq == headSeq {
			rep.Break = &armstrace.AuditBreak{Seq: prevSeq, Reason: "the last entry's hash differs from the recorded head"}
		}
	}
	return rep, nil
}

var _ armstrace.AuditService = (*Store)(nil)
