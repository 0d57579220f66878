package armstrace

import (
	"bytes"
	"encoding/json"
	"strings"
)

// RecordType names the kinds of record in the evidence graph; it is the
// "type" field of the JSON Lines format.
type RecordType string

const (
	TypeSource    RecordType = "source"
	TypeEntity    RecordType = "entity"
	TypeEvent     RecordType = "event"
	TypeCeasefire RecordType = "ceasefire"
	TypeClaim     RecordType = "claim"
	TypeSeries    RecordType = "series"
)

// RecordTypes lists the types in dependency order: each may refer only to
// those before it, which is the order exports are written in.
var RecordTypes = []RecordType{TypeSource, TypeEntity, TypeEvent, TypeCeasefire, TypeClaim, TypeSeries}

// Record is implemented by *Source, *Entity, *Event, *Ceasefire, *Claim
// and *Series.
type Record interface {
	RecordType() RecordType
	RecordID() string
	// Normalize fills defaults and tidies text, so that equal input
	// stores equally and a second import finds nothing to change.
	Normalize()
	Validate() error
}

var (
	_ Record = (*Source)(nil)
	_ Record = (*Entity)(nil)
	_ Record = (*Event)(nil)
	_ Record = (*Ceasefire)(nil)
	_ Record = (*Claim)(nil)
	_ Record = (*Series)(nil)
)

// NewRecord returns an empty record of type t, or nil for an unknown type.
func NewRecord(t RecordType) Record {
	switch t {
	case TypeSource:
		return &Source{}
	case TypeEntity:
		return &Entity{}
	case TypeEvent:
		return &Event{}
	case TypeCeasefire:
		return &Ceasefire{}
	case TypeClaim:
		return &Claim{}
	case TypeSeries:
		return &Series{}
	}
	return nil
}

// PutResult says what a write did with a record.
type PutResult string

const (
	PutCreated   PutResult = "created"
	PutUpdated   PutResult = "updated"
	PutUnchanged PutResult = "unchanged"
)

// ImportStats counts what an import did, per record type.
type ImportStats struct {
	Created   map[RecordType]int `json:"created"`
	Updated   map[RecordType]int `json:"updated"`
	Unchanged map[RecordType]int `json:"unchanged"`
}

// NewImportStats returns zeroed stats.
func NewImportStats() *ImportStats {
	return &ImportStats{Created: map[RecordType]int{}, Updated: map[RecordType]int{}, Unchanged: map[RecordType]int{}}
}

// Clone returns a copy of the stats.
func (s *ImportStats) Clone() *ImportStats {
	c := NewImportStats()
	for k, v := range s.Created {
		c.Created[k] = v
	}
	for k, v := range s.Updated {
		c.Updated[k] = v
	}
	for k, v := range s.Unchanged {
		c.Unchanged[k] = v
	}
	return c
}

// Add counts one result.
func (s *ImportStats) Add(t RecordType, r PutResult) {
	switch r {
	case PutCreated:
		s.Created[t]++
	case PutUpdated:
		s.Updated[t]++
	case PutUnchanged:
		s.Unchanged[t]++
	}
}

// Total returns the number of records created, updated and unchanged.
func (s *ImportStats) Total() (created, updated, unchanged int) {
	for _, n := range s.Created {
		created += n
	}
	for _, n := range s.Updated {
		updated += n
	}
	for _, n := range s.Unchanged {
		unchanged += n
	}
	return
}

// CanonicalJSON returns the canonical JSON of r: what the store keeps, what
// export writes and what the audit log digests. Field order follows the Go
// types and HTML characters are not escaped, so equal records give equal
// bytes and text stays readable.
func CanonicalJSON(r Record) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// WriteMode says how a write treats a record that already exists.
type WriteMode int

const (
	// WritePut creates the record, or replaces a stored one that differs.
	WritePut WriteMode = iota
	// WriteEnsure creates the record only if its id is free, and never
	// changes a stored one.
	WriteEnsure
	// WriteMerge, for entities, adds the names, identifiers and citations
	// of the record to the stored one (creating it if missing) and changes
	// nothing else; for other records it is WriteEnsure.
	WriteMerge
)
