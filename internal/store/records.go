package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/armstrace/armstrace"
)

// mapping describes how one record type is laid out in SQL: its table, the
// projected columns next to doc, its child rows and its references.
type mapping struct {
	table  string
	cols   []string
	values func(r armstrace.Record) []any
	// refs checks that what r refers to exists, naming the field if not.
	refs func(ctx context.Context, t *tx, r armstrace.Record) error
	// children inserts r's child rows; clear deletes them.
	children func(ctx context.Context, t *tx, r armstrace.Record) error
	clear    []string
	// referencedBy explains, for ECONFLICT on delete, what may still point
	// at a record of this type.
	referencedBy string
}

var mappings = map[armstrace.RecordType]*mapping{
	armstrace.TypeSource: {
		table: "sources",
		cols:  []string{"kind", "title", "publisher", "published", "sha256", "access"},
		values: func(r armstrace.Record) []any {
			s := r.(*armstrace.Source)
			return []any{string(s.Kind), s.Title, s.Publisher, string(s.Published), s.SHA256, string(s.Access)}
		},
		referencedBy: "citations or source files",
	},
	armstrace.TypeEntity: {
		table: "entities",
		cols:  []string{"kind", "name", "country"},
		values: func(r armstrace.Record) []any {
			e := r.(*armstrace.Entity)
			return []any{string(e.Kind), e.Name, e.Country}
		},
		refs:         checkEntityIdentifiers,
		children:     insertEntityChildren,
		clear:        []string{`DELETE FROM entity_names WHERE entity_id = ?`, `DELETE FROM entity_identifiers WHERE entity_id = ?`},
		referencedBy: "claims, events or ceasefires",
	},
	armstrace.TypeEvent: {
		table: "events",
		cols:  []string{"type", "date_start", "date_end", "aggregate", "country", "admin1", "lat", "lon", "fatalities_low", "fatalities_best", "fatalities_high"},
		values: func(r armstrace.Record) []any {
			e := r.(*armstrace.Event)
			agg := 0
			if e.Aggregate {
				agg = 1
			}
			return []any{e.Type, string(e.Start), string(e.End), agg, e.Place.Country, e.Place.Admin1, e.Place.Lat, e.Place.Lon, e.Fatalities.Low, e.Fatalities.Best, e.Fatalities.High}
		},
		refs:         checkEventRefs,
		children:     insertEventChildren,
		clear:        []string{`DELETE FROM event_actors WHERE event_id = ?`, `DELETE FROM event_external_ids WHERE event_id = ?`},
		referencedBy: "claims",
	},
	armstrace.TypeCeasefire: {
		table: "ceasefires",
		cols:  []string{"name", "date_start", "date_end"},
		values: func(r armstrace.Record) []any {
			c := r.(*armstrace.Ceasefire)
			return []any{c.Name, string(c.Start), string(c.End)}
		},
		refs:         checkCeasefireRefs,
		children:     insertCeasefireChildren,
		clear:        []string{`DELETE FROM ceasefire_parties WHERE ceasefire_id = ?`},
		referencedBy: "claims",
	},
	armstrace.TypeClaim: {
		table: "claims",
		cols:  []string{"kind", "subject_id", "object_entity_id", "object_event_id", "object_ceasefire_id", "weapon_id", "status", "confidence", "valid_from", "valid_to"},
		values: func(r armstrace.Record) []any {
			c := r.(*armstrace.Claim)
			var ent, evt, cf, weapon any
			switch c.ObjectTypeOrDefault() {
			case armstrace.ObjectEvent:
				evt = c.Object
			case armstrace.ObjectCeasefire:
				cf = c.Object
			default:
				ent = c.Object
			}
			if t := c.Attrs.Transfer; t != nil && t.Weapon != "" {
				weapon = t.Weapon
			}
			return []any{string(c.Kind), c.Subject, ent, evt, cf, weapon, string(c.Status), c.Confidence, string(c.ValidFrom), string(c.ValidTo)}
		},
		refs: checkClaimRefs,
	},
	armstrace.TypeSeries: {
		table: "series",
		cols:  []string{"measure", "frequency", "subject_id", "counterpart_id"},
		values: func(r armstrace.Record) []any {
			s := r.(*armstrace.Series)
			return []any{s.Measure, s.Frequency, nullable(s.Subject), nullable(s.Counterpart)}
		},
		refs:     checkSeriesRefs,
		children: insertSeriesPoints,
		clear:    []string{`DELETE FROM series_points WHERE series_id = ?`},
	},
}

// nullable returns nil for "", so that an optional reference is NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func checkSeriesRefs(ctx context.Context, t *tx, r armstrace.Record) error {
	s := r.(*armstrace.Series)
	for _, ref := range []struct{ field, id string }{{"subject", s.Subject}, {"counterpart", s.Counterpart}} {
		if ref.id == "" {
			continue
		}
		if err := mustExist(ctx, t, "entities", "entity", ref.field, ref.id); err != nil {
			return err
		}
	}
	return nil
}

func insertSeriesPoints(ctx context.Context, t *tx, r armstrace.Record) error {
	s := r.(*armstrace.Series)
	for _, p := range s.Points {
		if _, err := t.exec(ctx, `INSERT INTO series_points (series_id, period, pkey, value) VALUES (?, ?, ?, ?)`, s.ID, string(p.Period), p.Key, p.Value); err != nil {
			return err
		}
	}
	return nil
}

// Put creates r, or updates it when a record with its id differs, or does
// nothing when the stored record is the same. Each change is audited.
func (s *Store) Put(ctx context.Context, r armstrace.Record) (armstrace.PutResult, error) {
	var res armstrace.PutResult
	err := s.inTx(ctx, func(t *tx) (err error) {
		res, err = s.put(ctx, t, r, putAny)
		return err
	})
	return res, wrap("store.Put", err)
}

// EnsureAll writes records in one transaction, all or nothing, each only
// if its id is free: a record already stored is left as it is (a claim as
// reviewers made it). It returns what was written and left.
func (s *Store) EnsureAll(ctx context.Context, recs ...armstrace.Record) (*armstrace.ImportStats, error) {
	b, err := s.BeginBatch(ctx)
	if err != nil {
		return nil, err
	}
	defer b.Rollback()
	for _, r := range recs {
		if _, err := b.Write(armstrace.WriteEnsure, r); err != nil {
			return nil, err
		}
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	return b.Stats(), nil
}

type putMode int

const (
	putAny    putMode = iota // create or update
	putCreate                // only create; an existing id is ECONFLICT
	putUpdate                // only update; a missing id is ENOTFOUND
	putEnsure                // create if missing, else leave alone
	putMerge                 // entities: merge names and identifiers into the stored one
)

// modeOf maps a domain write mode to the store's.
func modeOf(m armstrace.WriteMode) putMode {
	switch m {
	case armstrace.WriteEnsure:
		return putEnsure
	case armstrace.WriteMerge:
		return putMerge
	}
	return putAny
}

func (s *Store) inTx(ctx context.Context, fn func(t *tx) error) error {
	t, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if err := fn(t); err != nil {
		return err
	}
	return t.commit(ctx)
}

// inTxPlain runs fn in a write transaction that does not take the audit
// head, for rows that are not records (sessions): they need not wait for
// the writers of the audit log.
func (s *Store) inTxPlain(ctx context.Context, fn func(t *tx) error) error {
	t, err := s.beginPlain(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if err := fn(t); err != nil {
		return err
	}
	return t.Commit()
}

func (s *Store) put(ctx context.Context, t *tx, r armstrace.Record, mode putMode) (armstrace.PutResult, error) {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return "", err
	}
	if mode == putAny || mode == putEnsure || mode == putMerge {
		var err error
		if r, mode, err = s.resolve(ctx, t, r, mode); err != nil {
			return "", err
		}
		// Resolution can bring a claim's two ends onto one entity.
		if err := r.Validate(); err != nil {
			return "", &armstrace.Error{Code: armstrace.ECONFLICT, Message: fmt.Sprintf("after entity resolution, %s %q is no longer valid: %s", r.RecordType(), r.RecordID(), armstrace.ErrorMessage(err)), Err: err}
		}
	}
	m := mappings[r.RecordType()]
	doc, err := armstrace.CanonicalJSON(r)
	if err != nil {
		return "", err
	}
	id := r.RecordID()
	var old string
	err = t.queryRow(ctx, `SELECT doc FROM `+m.table+` WHERE id = ?`, id).Scan(&old)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	if exists && mode == putMerge {
		if e, ok := r.(*armstrace.Entity); ok {
			stored, err := decodeDoc(armstrace.TypeEntity, old)
			if err != nil {
				return "", err
			}
			merged := stored.(*armstrace.Entity)
			if !merged.MergeFrom(e) {
				return armstrace.PutUnchanged, nil
			}
			merged.Normalize()
			if err := merged.Validate(); err != nil {
				return "", err
			}
			if doc, err = armstrace.CanonicalJSON(merged); err != nil {
				return "", err
			}
			r = merged
		} else {
			mode = putEnsure
		}
	}
	switch {
	case exists && mode == putCreate:
		return "", armstrace.Errorf(armstrace.ECONFLICT, "%s %q already exists", r.RecordType(), id)
	case !exists && mode == putUpdate:
		return "", armstrace.Errorf(armstrace.ENOTFOUND, "%s %q not found", r.RecordType(), id)
	case exists && (old == doc || mode == putEnsure):
		return armstrace.PutUnchanged, nil
	}
	if m.refs != nil {
		if err := m.refs(ctx, t, r); err != nil {
			return "", err
		}
	}
	if err := checkCitations(ctx, t, citationsOf(r)); err != nil {
		return "", err
	}
	vals := m.values(r)
	action, result := armstrace.ActionCreate, armstrace.PutCreated
	if exists {
		action, result = armstrace.ActionUpdate, armstrace.PutUpdated
		for _, q := range m.clear {
			if _, err := t.exec(ctx, q, id); err != nil {
				return "", err
			}
		}
		if _, err := t.exec(ctx, `DELETE FROM citations WHERE owner_type = ? AND owner_id = ?`, string(r.RecordType()), id); err != nil {
			return "", err
		}
		set := make([]string, len(m.cols))
		for i, c := range m.cols {
			set[i] = c + " = ?"
		}
		args := append(append(vals, doc), id)
		if _, err := t.exec(ctx, `UPDATE `+m.table+` SET `+strings.Join(set, ", ")+`, doc = ? WHERE id = ?`, args...); err != nil {
			return "", classifyWrite(r, err)
		}
	} else {
		cols := append(append([]string{"id"}, m.cols...), "doc")
		args := append(append([]any{id}, vals...), doc)
		q := `INSERT INTO ` + m.table + ` (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)`
		if _, err := t.exec(ctx, q, args...); err != nil {
			return "", classifyWrite(r, err)
		}
	}
	if m.children != nil {
		if err := m.children(ctx, t, r); err != nil {
			return "", classifyWrite(r, err)
		}
	}
	for i, c := range citationsOf(r) {
		if _, err := t.exec(ctx, `INSERT INTO citations (owner_type, owner_id, position, source_id, locator) VALUES (?, ?, ?, ?, ?)`,
			string(r.RecordType()), id, i, c.Source, c.Locator); err != nil {
			return "", classifyWrite(r, err)
		}
	}
	if err := s.appendAudit(ctx, t, action, string(r.RecordType()), id, doc); err != nil {
		return "", err
	}
	if r.RecordType() != armstrace.TypeEvent && r.RecordType() != armstrace.TypeClaim && r.RecordType() != armstrace.TypeSeries {
		// Remember what others refer to; events and claims come by the
		// million and are rarely referred to, so they are looked up.
		if len(t.known) > maxKnown {
			clear(t.known)
		}
		t.known[m.table+"\x00"+id] = true
	}
	return result, nil
}

// classifyWrite turns a constraint violation that the checks before the
// write did not foresee into a user-facing code.
func classifyWrite(r armstrace.Record, err error) error {
	var e *armstrace.Error
	if errors.As(err, &e) {
		return err
	}
	switch classify(err) {
	case uniqueViolation:
		return &armstrace.Error{Code: armstrace.ECONFLICT, Message: fmt.Sprintf("%s %q clashes with an existing record (a duplicate id, identifier or external id)", r.RecordType(), r.RecordID()), Err: err}
	case foreignKeyViolation:
		return &armstrace.Error{Code: armstrace.EINVALID, Message: fmt.Sprintf("%s %q refers to a record that does not exist", r.RecordType(), r.RecordID()), Err: err}
	case checkViolation, notNullViolation:
		return &armstrace.Error{Code: armstrace.EINVALID, Message: fmt.Sprintf("%s %q breaks a rule of the schema", r.RecordType(), r.RecordID()), Err: err}
	}
	return err
}

func citationsOf(r armstrace.Record) []armstrace.Citation {
	switch v := r.(type) {
	case *armstrace.Entity:
		return v.Citations
	case *armstrace.Event:
		return v.Citations
	case *armstrace.Claim:
		return v.Citations
	case *armstrace.Ceasefire:
		return v.Citations
	case *armstrace.Series:
		return v.Citations
	}
	return nil
}

// maxKnown bounds the ids a transaction remembers as existing.
const maxKnown = 100000

func exists(ctx context.Context, t *tx, table, id string) (bool, error) {
	if t.known[table+"\x00"+id] {
		return true, nil
	}
	if len(t.known) > maxKnown {
		clear(t.known) // a cache, not a record: keep memory flat on huge imports
	}
	var one int
	err := t.queryRow(ctx, `SELECT 1 FROM `+table+` WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err == nil {
		t.known[table+"\x00"+id] = true
	}
	return err == nil, err
}

// mustExist returns EINVALID naming field when table has no row id.
func mustExist(ctx context.Context, t *tx, table, what, field, id string) error {
	ok, err := exists(ctx, t, table, id)
	if err != nil {
		return err
	}
	if !ok {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: field, Message: fmt.Sprintf("%s %q does not exist (add it first, or earlier in the file)", what, id)}
	}
	return nil
}

func checkCitations(ctx context.Context, t *tx, cs []armstrace.Citation) error {
	for i, c := range cs {
		if err := mustExist(ctx, t, "sources", "source", fmt.Sprintf("citations[%d].source", i), c.Source); err != nil {
			return err
		}
	}
	return nil
}

func checkEntityIdentifiers(ctx context.Context, t *tx, r armstrace.Record) error {
	e := r.(*armstrace.Entity)
	for i, id := range e.Identifiers {
		if !id.Strong() {
			continue
		}
		var holder string
		err := t.queryRow(ctx, `SELECT entity_id FROM entity_identifiers WHERE scheme = ? AND value = ? AND entity_id <> ?`, id.Scheme, id.Value, e.ID).Scan(&holder)
		if err == nil {
			return &armstrace.Error{Code: armstrace.ECONFLICT, Field: fmt.Sprintf("identifiers[%d]", i), Message: fmt.Sprintf("%s %s already belongs to entity %q", id.Scheme, id.Value, holder)}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

func insertEntityChildren(ctx context.Context, t *tx, r armstrace.Record) error {
	e := r.(*armstrace.Entity)
	names := append([]armstrace.Name{{Value: e.Name, Script: armstrace.ScriptOf(e.Name), Kind: "primary"}}, e.Aliases...)
	for i, n := range names {
		if _, err := t.exec(ctx, `INSERT INTO entity_names (entity_id, position, value, folded, script, kind) VALUES (?, ?, ?, ?, ?, ?)`,
			e.ID, i, n.Value, strings.ToLower(n.Value), n.Script, string(n.Kind)); err != nil {
			return err
		}
	}
	for i, id := range e.Identifiers {
		if _, err := t.exec(ctx, `INSERT INTO entity_identifiers (entity_id, position, scheme, value) VALUES (?, ?, ?, ?)`, e.ID, i, id.Scheme, id.Value); err != nil {
			return err
		}
	}
	return nil
}

func checkEventRefs(ctx context.Context, t *tx, r armstrace.Record) error {
	e := r.(*armstrace.Event)
	for i, a := range e.Actors {
		if err := mustExist(ctx, t, "entities", "entity", fmt.Sprintf("actors[%d].entity", i), a.Entity); err != nil {
			return err
		}
	}
	// External ids are left to their UNIQUE constraint (see
	// insertEventChildren): events come by the million, and a query per
	// id before each insert would double the cost of an import.
	return nil
}

func insertEventChildren(ctx context.Context, t *tx, r armstrace.Record) error {
	e := r.(*armstrace.Event)
	for i, a := range e.Actors {
		if _, err := t.exec(ctx, `INSERT INTO event_actors (event_id, position, entity_id, role) VALUES (?, ?, ?, ?)`, e.ID, i, a.Entity, string(a.Role)); err != nil {
			return err
		}
	}
	for i, x := range e.ExternalIDs {
		if _, err := t.exec(ctx, `INSERT INTO event_external_ids (event_id, external_id) VALUES (?, ?)`, e.ID, x); err != nil {
			if classify(err) == uniqueViolation {
				return &armstrace.Error{Code: armstrace.ECONFLICT, Field: fmt.Sprintf("external_ids[%d]", i), Message: fmt.Sprintf("%s already belongs to another event", x), Err: err}
			}
			return err
		}
	}
	return nil
}

func checkCeasefireRefs(ctx context.Context, t *tx, r armstrace.Record) error {
	c := r.(*armstrace.Ceasefire)
	for i, id := range c.Covered {
		if err := mustExist(ctx, t, "entities", "entity", fmt.Sprintf("covered[%d]", i), id); err != nil {
			return err
		}
	}
	for i, id := range c.Excluded {
		if err := mustExist(ctx, t, "entities", "entity", fmt.Sprintf("excluded[%d]", i), id); err != nil {
			return err
		}
	}
	return nil
}

func insertCeasefireChildren(ctx context.Context, t *tx, r armstrace.Record) error {
	c := r.(*armstrace.Ceasefire)
	for _, l := range []struct {
		role string
		ids  []string
	}{{"covered", c.Covered}, {"excluded", c.Excluded}} {
		for _, id := range l.ids {
			if _, err := t.exec(ctx, `INSERT INTO ceasefire_parties (ceasefire_id, entity_id, role) VALUES (?, ?, ?)`, c.ID, id, l.role); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkClaimRefs(ctx context.Context, t *tx, r armstrace.Record) error {
	c := r.(*armstrace.Claim)
	if err := mustExist(ctx, t, "entities", "entity", "subject", c.Subject); err != nil {
		return err
	}
	table, what := "entities", "entity"
	switch c.ObjectTypeOrDefault() {
	case armstrace.ObjectEvent:
		table, what = "events", "event"
	case armstrace.ObjectCeasefire:
		table, what = "ceasefires", "ceasefire"
	}
	if err := mustExist(ctx, t, table, what, "object", c.Object); err != nil {
		return err
	}
	if tr := c.Attrs.Transfer; tr != nil && tr.Weapon != "" {
		if err := mustExist(ctx, t, "entities", "weapon model", "attrs.transfer.weapon", tr.Weapon); err != nil {
			return err
		}
	}
	return nil
}

// get reads one record by type and id.
func (s *Store) get(ctx context.Context, typ armstrace.RecordType, id string) (armstrace.Record, error) {
	m := mappings[typ]
	var doc string
	err := s.read.QueryRowContext(ctx, s.Rebind(`SELECT doc FROM `+m.table+` WHERE id = ?`), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, armstrace.Errorf(armstrace.ENOTFOUND, "%s %q not found", typ, id)
	}
	if err != nil {
		return nil, err
	}
	return decodeDoc(typ, doc)
}

func decodeDoc(typ armstrace.RecordType, doc string) (armstrace.Record, error) {
	r := armstrace.NewRecord(typ)
	if err := json.Unmarshal([]byte(doc), r); err != nil {
		return nil, fmt.Errorf("stored %s is not valid JSON: %w", typ, err)
	}
	return r, nil
}

// list reads the records of one type that a WHERE clause selects, in id order.
func (s *Store) list(ctx context.Context, typ armstrace.RecordType, where string, args []any, offset, limit int) ([]armstrace.Record, error) {
	m := mappings[typ]
	q := `SELECT doc FROM ` + m.table
	if where != "" {
		q += ` WHERE ` + where
	}
	q += ` ORDER BY ` + s.idOrder()
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
		if offset > 0 {
			q += fmt.Sprintf(` OFFSET %d`, offset)
		}
	} else if offset > 0 {
		return nil, armstrace.Errorf(armstrace.EINVALID, "offset needs a limit")
	}
	rows, err := s.read.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []armstrace.Record
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		r, err := decodeDoc(typ, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// delete removes one record and its child rows, refusing with ECONFLICT
// while other records still point at it.
func (s *Store) delete(ctx context.Context, typ armstrace.RecordType, id string) error {
	m := mappings[typ]
	return s.inTx(ctx, func(t *tx) error {
		var doc string
		err := t.queryRow(ctx, `SELECT doc FROM `+m.table+` WHERE id = ?`, id).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return armstrace.Errorf(armstrace.ENOTFOUND, "%s %q not found", typ, id)
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM citations WHERE owner_type = ? AND owner_id = ?`, string(typ), id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM `+m.table+` WHERE id = ?`, id); err != nil {
			if classify(err) == foreignKeyViolation {
				return &armstrace.Error{Code: armstrace.ECONFLICT, Message: fmt.Sprintf("%s %q is still referenced by %s; delete or change those first", typ, id, m.referencedBy), Err: err}
			}
			return err
		}
		return s.appendAudit(ctx, t, armstrace.ActionDelete, string(typ), id, doc)
	})
}

// Export calls fn with the type and canonical JSON of every record, types
// in dependency order (sources, entities, events, ceasefires, claims) and
// ids in byte order within each, so that an export of the same data is
// always the same bytes. It reads one snapshot.
func (s *Store) Export(ctx context.Context, fn func(typ armstrace.RecordType, doc string) error) error {
	t, err := s.beginRead(ctx)
	if err != nil {
		return wrap("store.Export", err)
	}
	defer t.Rollback()
	for _, typ := range armstrace.RecordTypes {
		if err := exportType(ctx, t, typ, fn); err != nil {
			return wrap("store.Export", err)
		}
	}
	return nil
}

func exportType(ctx context.Context, t *tx, typ armstrace.RecordType, fn func(armstrace.RecordType, string) error) error {
	rows, err := t.query(ctx, `SELECT doc FROM `+mappings[typ].table+` ORDER BY `+t.s.idOrder())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return err
		}
		if err := fn(typ, doc); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Counts returns the number of records of each type.
func (s *Store) Counts(ctx context.Context) (map[armstrace.RecordType]int, error) {
	out := map[armstrace.RecordType]int{}
	for _, typ := range armstrace.RecordTypes {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+mappings[typ].table).Scan(&n); err != nil {
			return nil, wrap("store.Counts", err)
		}
		out[typ] = n
	}
	return out, nil
}

// idOrder sorts by id in byte order on both databases: SQLite's default,
// and COLLATE "C" on PostgreSQL, whose default follows the locale.
func (s *Store) idOrder() string {
	if s.dialect == dialectPostgres {
		return `id COLLATE "C"`
	}
	return `id`
}

// resolve applies entity resolution to a record about to be written. An
// entity whose id was redirected, or that is new but shares a strong
// identifier with exactly one stored entity, is merged into that entity
// (and a new redirect is recorded); a record that refers to a redirected
// entity is rewritten to refer to its target. So a dataset's own ids
// ("ofac:18782") land on the node the graph already has for them.
func (s *Store) resolve(ctx context.Context, t *tx, r armstrace.Record, mode putMode) (armstrace.Record, putMode, error) {
	switch v := r.(type) {
	case *armstrace.Entity:
		to, err := redirectOf(ctx, t, v.ID)
		if err != nil {
			return nil, mode, err
		}
		if to != "" && mode == putAny {
			// A put replaces a record; on an id merged into another
			// entity it would silently become a merge and lose the edit.
			return nil, mode, armstrace.Errorf(armstrace.ECONFLICT, "entity %q was merged into %q (they share a strong identifier): edit %q instead", v.ID, to, to)
		}
		if to == "" {
			ok, err := exists(ctx, t, "entities", v.ID)
			if err != nil || ok {
				return r, mode, err
			}
			var reason string
			if to, reason, err = holderOf(ctx, t, v); err != nil || to == "" {
				return r, mode, err
			}
			if err := s.addRedirect(ctx, t, v.ID, to, reason); err != nil {
				return nil, mode, err
			}
		}
		merged := *v
		merged.ID = to
		return &merged, putMerge, nil
	case *armstrace.Claim:
		c := *v
		if err := redirect(ctx, t, &c.Subject); err != nil {
			return nil, mode, err
		}
		if c.ObjectTypeOrDefault() == armstrace.ObjectEntity {
			if err := redirect(ctx, t, &c.Object); err != nil {
				return nil, mode, err
			}
		}
		if v.Attrs.Transfer != nil && v.Attrs.Transfer.Weapon != "" {
			tr := *v.Attrs.Transfer
			if err := redirect(ctx, t, &tr.Weapon); err != nil {
				return nil, mode, err
			}
			c.Attrs.Transfer = &tr
		}
		return &c, mode, nil
	case *armstrace.Event:
		e := *v
		e.Actors = append([]armstrace.EventActor(nil), v.Actors...)
		for i := range e.Actors {
			if err := redirect(ctx, t, &e.Actors[i].Entity); err != nil {
				return nil, mode, err
			}
		}
		return &e, mode, nil
	case *armstrace.Ceasefire:
		c := *v
		c.Covered = append([]string(nil), v.Covered...)
		c.Excluded = append([]string(nil), v.Excluded...)
		for _, ids := range [][]string{c.Covered, c.Excluded} {
			for i := range ids {
				if err := redirect(ctx, t, &ids[i]); err != nil {
					return nil, mode, err
				}
			}
		}
		return &c, mode, nil
	case *armstrace.Series:
		x := *v
		for _, ref := range []*string{&x.Subject, &x.Counterpart} {
			if *ref != "" {
				if err := redirect(ctx, t, ref); err != nil {
					return nil, mode, err
				}
			}
		}
		return &x, mode, nil
	}
	return r, mode, nil
}

// redirectOf returns where an entity id was redirected, or "".
func redirectOf(ctx context.Context, t *tx, id string) (string, error) {
	if to, ok := t.redirects[id]; ok {
		return to, nil
	}
	var to string
	err := t.queryRow(ctx, `SELECT to_id FROM entity_redirects WHERE id = ?`, id).Scan(&to)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	if t.redirects != nil {
		t.redirects[id] = to
	}
	return to, nil
}

func redirect(ctx context.Context, t *tx, id *string) error {
	to, err := redirectOf(ctx, t, *id)
	if err == nil && to != "" {
		*id = to
	}
	return err
}

// holderOf returns the one stored entity that holds a strong identifier
// of e, with the identifier as the reason. Identifiers held by two
// different entities are a conflict for a person to resolve.
func holderOf(ctx context.Context, t *tx, e *armstrace.Entity) (string, string, error) {
	var holder, reason string
	for i, id := range e.Identifiers {
		if !id.Strong() {
			continue
		}
		var h string
		err := t.queryRow(ctx, `SELECT entity_id FROM entity_identifiers WHERE scheme = ? AND value = ?`, id.Scheme, id.Value).Scan(&h)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return "", "", err
		}
		if holder != "" && h != holder {
			return "", "", &armstrace.Error{Code: armstrace.ECONFLICT, Field: fmt.Sprintf("identifiers[%d]", i),
				Message: fmt.Sprintf("entity %q shares %s with %q but %s with %q: which is it? Resolve this by hand", e.ID, reason, holder, id.Scheme+" "+id.Value, h)}
		}
		holder, reason = h, id.Scheme+" "+id.Value
	}
	return holder, reason, nil
}

// addRedirect records that entity id from is to, and audits it.
func (s *Store) addRedirect(ctx context.Context, t *tx, from, to, reason string) error {
	doc, err := json.Marshal(struct {
		ID     string `json:"id"`
		To     string `json:"to"`
		Reason string `json:"reason"`
	}{from, to, "shares " + reason})
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO entity_redirects (id, to_id, doc) VALUES (?, ?, ?)`, from, to, string(doc)); err != nil {
		return err
	}
	if t.redirects != nil {
		t.redirects[from] = to
	}
	return s.appendAudit(ctx, t, armstrace.ActionCreate, auditRedirect, from, string(doc))
}

// auditRedirect is the object type of entity redirects in the audit log.
const auditRedirect = "entity_redirect"

// Redirect returns the entity an id was merged into, or "" when it was not.
func (s *Store) Redirect(ctx context.Context, id string) (string, error) {
	var to string
	err := s.read.QueryRowContext(ctx, s.Rebind(`SELECT to_id FROM entity_redirects WHERE id = ?`), id).Scan(&to)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return to, wrap("store.Redirect", err)
}
