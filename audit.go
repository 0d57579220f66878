package armstrace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
)

// Audit actions. Create, update and delete change data; the others are
// events the log keeps without a change to any record: a confidential
// item read, an export, a login, and the custody events of a source's
// files (collected, viewed as a read, derived, transferred, disposed).
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionRead   = "read"
	ActionExport = "export"
	ActionLogin  = "login"
	// ActionCollect records a file taken into custody: its SHA-256, size,
	// name, URL and capture time.
	ActionCollect = "collect"
	// ActionTransfer records custody passing between stores: a source
	// received from a bundle, with the bundle's manifest digest.
	ActionTransfer = "transfer"
	// ActionExtract and ActionRedact record a working copy derived from
	// a source's file: its text, or a copy with parts blacked out.
	ActionExtract = "extract"
	ActionRedact  = "redact"
	// ActionDispose records a stored file removed, with the reason; its
	// record and hash stay.
	ActionDispose = "dispose"
)

// WritesData reports whether an audit action changes a record.
func WritesData(action string) bool {
	return action == ActionCreate || action == ActionUpdate || action == ActionDelete
}

// AuditEntry is one link of the append-only audit log. Each entry's Hash
// covers its own fields and the previous entry's hash, so that changing,
// removing or reordering any entry breaks every link after it.
type AuditEntry struct {
	Seq        int64  `json:"seq"`
	Time       string `json:"time"` // RFC 3339, UTC, nanoseconds
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	Change     string `json:"change"` // the record after the write (before it, for a delete), as canonical JSON
	Digest     string `json:"digest"` // SHA-256 of Change
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	Before     int64  // entries before this sequence number; 0 for the newest
	After      int64  // entries after this sequence number; 0 for the oldest
	Since      string // entries at or after this time (RFC 3339, or a date); "" for all
	Limit      int
}

// Digest returns the hex SHA-256 of a change.
func Digest(change string) string {
	sum := sha256.Sum256([]byte(change))
	return hex.EncodeToString(sum[:])
}

// ComputeHash returns the hash that e should carry: SHA-256 over its
// fields, each prefixed with its length, so that no choice of field
// contents can make two different entries encode alike.
func (e *AuditEntry) ComputeHash() string {
	h := sha256.New()
	for _, p := range []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), e.Time, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Digest} {
		fmt.Fprintf(h, "%d:%s", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditBreak describes the first entry at which a chain fails to verify.
type AuditBreak struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// DataBreak describes a record whose stored form is not the one its last
// audit entry recorded: changed, added or removed behind armstrace's back.
type DataBreak struct {
	Type   RecordType `json:"type"`
	ID     string     `json:"id"`
	Reason string     `json:"reason"`
}

// AuditReport is the outcome of walking the audit chain and checking the
// records against it.
type AuditReport struct {
	Entries    int64       `json:"entries"`
	HeadSeq    int64       `json:"head_seq"`
	HeadHash   string      `json:"head_hash"` // record it elsewhere to detect a truncated tail later
	Break      *AuditBreak `json:"break,omitempty"`
	Records    int64       `json:"records"`     // records checked against the log
	DataBreaks int64       `json:"data_breaks"` // records that do not match it
	DataBreak  *DataBreak  `json:"first_data_break,omitempty"`
}

// OK reports whether the chain verified and every record matched it.
func (r *AuditReport) OK() bool { return r.Break == nil && r.DataBreak == nil }

// VerifyChain checks entries, which must be in sequence order, starting
// after a chain head of (prevSeq, prevHash). It returns the first break.
func VerifyChain(entries []AuditEntry, prevSeq int64, prevHash string) *AuditBreak {
	for i := range entries {
		e := &entries[i]
		switch {
		case e.Seq != prevSeq+1:
			return &AuditBreak{Seq: e.Seq, Reason: "sequence jumps from " + strconv.FormatInt(prevSeq, 10) + " to " + strconv.FormatInt(e.Seq, 10) + ": entries are missing"}
		case e.PrevHash != prevHash:
			return &AuditBreak{Seq: e.Seq, Reason: "prev_hash does not match the hash of entry " + strconv.FormatInt(prevSeq, 10)}
		case Digest(e.Change) != e.Digest:
			return &AuditBreak{Seq: e.Seq, Reason: "the recorded change does not match its digest: the change was altered"}
		case e.ComputeHash() != e.Hash:
			return &AuditBreak{Seq: e.Seq, Reason: "hash does not match the entry's fields: the entry was altered"}
		}
		prevSeq, prevHash = e.Seq, e.Hash
	}
	return nil
}

// AuditService reads and verifies the audit log.
type AuditService interface {
	AuditLog(ctx context.Context, objectType, objectID string) ([]AuditEntry, error)
	VerifyAudit(ctx context.Context) (*AuditReport, error)
}
