package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
)

// appendAudit adds an entry to the hash chain inside t, the transaction of
// the write it records, so that a write and its entry land or fail
// together. The head is read once per transaction (on PostgreSQL by begin,
// FOR UPDATE) and written back once, at commit.
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
	if t.head == nil { // SQLite: the write lock is already ours
		h := &auditHead{}
		if err := t.queryRow(ctx, `SELECT seq, hash, data_seq FROM audit_head WHERE id = 1`).Scan(&h.seq, &h.hash, &h.dataSeq); err != nil {
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
	if armstrace.WritesData(action) {
		t.head.dataSeq = e.Seq
	}
	return nil
}

// AuditEvents appends entries that change no record (armstrace.ActionRead,
// ActionExport, ActionLogin) in one transaction: one per object, with
// the same detail, a JSON object.
func (s *Store) AuditEvents(ctx context.Context, action, objectType string, objectIDs []string, detail string) error {
	if armstrace.WritesData(action) {
		return wrap("store.AuditEvents", armstrace.Errorf(armstrace.EINVALID, "%s changes data: it is audited by the write itself", action))
	}
	if len(objectIDs) == 0 {
		return nil
	}
	return wrap("store.AuditEvents", s.inTx(ctx, func(t *tx) error {
		for _, id := range objectIDs {
			if err := s.appendAudit(ctx, t, action, objectType, id, detail); err != nil {
				return err
			}
		}
		return nil
	}))
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
// reports the first broken link. It checks the chain's end against the
// head row, which catches entries cut off the tail unless the head was
// rewritten too; compare HeadHash with a copy kept elsewhere for that.
// Then it checks every record against the last entry that wrote it, which
// catches data changed, added or removed without going through armstrace.
func (s *Store) VerifyAudit(ctx context.Context) (*armstrace.AuditReport, error) {
	t, err := s.beginRead(ctx)
	if err != nil {
		return nil, wrap("store.VerifyAudit", err)
	}
	defer t.Rollback()
	rep := &armstrace.AuditReport{}
	if err := t.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&rep.HeadSeq, &rep.HeadHash); err != nil {
		return nil, wrap("store.VerifyAudit", err)
	}
	// last holds, per record, the digest of its last create or update.
	last := map[string]string{}
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
			rep.Break = armstrace.VerifyChain([]armstrace.AuditEntry{e}, prevSeq, prevHash)
		}
		prevSeq, prevHash = e.Seq, e.Hash
		key := e.ObjectType + "\x00" + e.ObjectID
		if !armstrace.WritesData(e.Action) {
			continue // a read, an export, a login: no record changed
		}
		if e.Action == armstrace.ActionDelete {
			delete(last, key)
		} else {
			last[key] = e.Digest
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("store.VerifyAudit", err)
	}
	switch {
	case rep.Break != nil:
	case prevSeq < rep.HeadSeq:
		rep.Break = &armstrace.AuditBreak{Seq: prevSeq + 1, Reason: fmt.Sprintf("the log ends at entry %d but its recorded head is %d: entries were removed from the end", prevSeq, rep.HeadSeq)}
	case prevSeq > rep.HeadSeq:
		rep.Break = &armstrace.AuditBreak{Seq: rep.HeadSeq + 1, Reason: fmt.Sprintf("the log runs past its recorded head %d to entry %d: entries were added outside armstrace", rep.HeadSeq, prevSeq)}
	case prevHash != rep.HeadHash:
		rep.Break = &armstrace.AuditBreak{Seq: prevSeq, Reason: "the last entry's hash differs from the recorded head"}
	}
	for _, typ := range armstrace.RecordTypes {
		if err := checkRecords(ctx, t, string(typ), mappings[typ].table, last, rep); err != nil {
			return nil, wrap("store.VerifyAudit", err)
		}
	}
	for _, x := range []struct{ typ, table string }{{auditImportRun, "import_runs"}, {auditRedirect, "entity_redirects"}, {auditDecision, "screening_decisions"}, {auditAlert, "alerts"}, {auditUser, "users"}, {auditToken, "api_tokens"}, {auditSourceFile, "source_files"}} {
		if err := checkRecords(ctx, t, x.typ, x.table, last, rep); err != nil {
			return nil, wrap("store.VerifyAudit", err)
		}
	}
	if err := checkPasswords(ctx, t, rep); err != nil {
		return nil, wrap("store.VerifyAudit", err)
	}
	for key := range last {
		typ, id, _ := strings.Cut(key, "\x00")
		rep.DataBreaks++
		if rep.DataBreak == nil {
			rep.DataBreak = &armstrace.DataBreak{Type: armstrace.RecordType(typ), ID: id, Reason: "the audit log says it exists, but it is missing: it was deleted outside armstrace"}
		}
	}
	return rep, nil
}

// checkRecords compares each record of one type with the digest of its
// last audit entry, removing the records it finds from last.
func checkRecords(ctx context.Context, t *tx, typ, table string, last map[string]string, rep *armstrace.AuditReport) error {
	rows, err := t.query(ctx, `SELECT id, doc FROM `+table+` ORDER BY `+t.s.idOrder())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return err
		}
		rep.Records++
		key := typ + "\x00" + id
		want, ok := last[key]
		delete(last, key)
		var reason string
		switch {
		case !ok:
			reason = "it has no audit entry: it was added outside armstrace"
		case armstrace.Digest(doc) != want:
			reason = "it differs from the version its last audit entry recorded: it was changed outside armstrace"
		default:
			continue
		}
		rep.DataBreaks++
		if rep.DataBreak == nil {
			rep.DataBreak = &armstrace.DataBreak{Type: armstrace.RecordType(typ), ID: id, Reason: reason}
		}
	}
	return rows.Err()
}

var _ armstrace.AuditService = (*Store)(nil)

// DataVersion returns the sequence number of the last audit entry that
// changed data: caches of the data (the screening index) are stale when
// it has moved. Audited reads and exports do not move it.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var seq int64
	err := s.read.QueryRowContext(ctx, `SELECT data_seq FROM audit_head WHERE id = 1`).Scan(&seq)
	return seq, wrap("store.DataVersion", err)
}

// AuditHead returns the sequence number of the last audit entry, whatever
// it recorded.
func (s *Store) AuditHead(ctx context.Context) (int64, error) {
	var seq int64
	err := s.read.QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq)
	return seq, wrap("store.AuditHead", err)
}

// FindAudit lists audit entries matching a filter, newest first.
func (s *Store) FindAudit(ctx context.Context, f armstrace.AuditFilter) ([]armstrace.AuditEntry, error) {
	var w where
	for _, c := range []struct{ col, v string }{{"actor", f.Actor}, {"action", f.Action}, {"object_type", f.ObjectType}, {"object_id", f.ObjectID}} {
		if c.v != "" {
			w.add(c.col+` = ?`, c.v)
		}
	}
	if f.Before > 0 {
		w.add(`seq < ?`, f.Before)
	}
	if f.After > 0 {
		w.add(`seq > ?`, f.After)
	}
	if f.Since != "" {
		w.add(`at >= ?`, f.Since)
	}
	q := `SELECT ` + auditCols + ` FROM audit_log`
	if len(w.conds) > 0 {
		q += ` WHERE ` + w.String()
	}
	q += ` ORDER BY seq DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.read.QueryContext(ctx, s.Rebind(q), w.args...)
	if err != nil {
		return nil, wrap("store.FindAudit", err)
	}
	defer rows.Close()
	var out []armstrace.AuditEntry
	for rows.Next() {
		var e armstrace.AuditEntry
		if err := rows.Scan(&e.Seq, &e.Time, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.Change, &e.Digest, &e.PrevHash, &e.Hash); err != nil {
			return nil, wrap("store.FindAudit", err)
		}
		out = append(out, e)
	}
	return out, wrap("store.FindAudit", rows.Err())
}
