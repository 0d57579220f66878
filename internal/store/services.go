package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/armstrace/armstrace"
)

var (
	_ armstrace.EntityService    = (*Store)(nil)
	_ armstrace.EventService     = (*Store)(nil)
	_ armstrace.ClaimService     = (*Store)(nil)
	_ armstrace.SourceService    = (*Store)(nil)
	_ armstrace.CeasefireService = (*Store)(nil)
)

func getAs[T armstrace.Record](ctx context.Context, s *Store, typ armstrace.RecordType, op, id string) (T, error) {
	var zero T
	r, err := s.get(ctx, typ, id)
	if err != nil {
		return zero, wrap(op, err)
	}
	return r.(T), nil
}

func listAs[T armstrace.Record](ctx context.Context, s *Store, typ armstrace.RecordType, op, where string, args []any, offset, limit int) ([]T, error) {
	rs, err := s.list(ctx, typ, where, args, offset, limit)
	if err != nil {
		return nil, wrap(op, err)
	}
	out := make([]T, len(rs))
	for i, r := range rs {
		out[i] = r.(T)
	}
	return out, nil
}

func (s *Store) write1(ctx context.Context, op string, r armstrace.Record, mode putMode) error {
	return wrap(op, s.inTx(ctx, func(t *tx) error {
		_, err := s.put(ctx, t, r, mode)
		return err
	}))
}

// visible keeps the records of a table that cite no source, or at least
// one source of the given access levels: what a reader who may see those
// levels may see. Each record's citations are found by its key.
func (w *where) visible(table string, typ armstrace.RecordType, levels []armstrace.Access) {
	args := []any{string(typ), string(typ)}
	for _, l := range levels {
		args = append(args, string(l))
	}
	in := `1 = 0`
	if len(levels) > 0 {
		in = `s.access IN (?` + strings.Repeat(`, ?`, len(levels)-1) + `)`
	}
	w.add(`(NOT EXISTS (SELECT 1 FROM citations c WHERE c.owner_type = ? AND c.owner_id = `+table+`.id)
		OR EXISTS (SELECT 1 FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.owner_type = ? AND c.owner_id = `+table+`.id AND `+in+`))`, args...)
}

// where builds a conjunction of conditions with their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN (…)"; an empty list matches nothing.
func (w *where) in(col string, vals []string) {
	if len(vals) == 0 {
		w.add(`1 = 0`)
		return
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	w.add(col+` IN (?`+strings.Repeat(`, ?`, len(vals)-1)+`)`, args...)
}

func (w *where) String() string { return strings.Join(w.conds, " AND ") }

// likeEscape escapes the LIKE wildcards of a user's search text.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Entities.

func (s *Store) FindEntityByID(ctx context.Context, id string) (*armstrace.Entity, error) {
	return getAs[*armstrace.Entity](ctx, s, armstrace.TypeEntity, "store.FindEntityByID", id)
}

func (s *Store) FindEntities(ctx context.Context, f armstrace.EntityFilter) ([]*armstrace.Entity, error) {
	var w where
	if f.IDs != nil {
		w.in(`id`, f.IDs)
	}
	if f.Kind != "" {
		w.add(`kind = ?`, string(f.Kind))
	}
	if f.Country != "" {
		w.add(`country = ?`, f.Country)
	}
	if f.NameLike != "" {
		w.add(`id IN (SELECT entity_id FROM entity_names WHERE folded LIKE ? ESCAPE '\')`, "%"+likeEscape(strings.ToLower(f.NameLike))+"%")
	}
	if f.Identifier != nil {
		w.add(`id IN (SELECT entity_id FROM entity_identifiers WHERE scheme = ? AND value = ?)`, f.Identifier.Scheme, f.Identifier.Value)
	}
	if f.Access != nil {
		w.visible("entities", armstrace.TypeEntity, f.Access)
	}
	return listAs[*armstrace.Entity](ctx, s, armstrace.TypeEntity, "store.FindEntities", w.String(), w.args, f.Offset, f.Limit)
}

func (s *Store) CreateEntity(ctx context.Context, e *armstrace.Entity) error {
	return s.write1(ctx, "store.CreateEntity", e, putCreate)
}

func (s *Store) UpdateEntity(ctx context.Context, e *armstrace.Entity) error {
	return s.write1(ctx, "store.UpdateEntity", e, putUpdate)
}

func (s *Store) DeleteEntity(ctx context.Context, id string) error {
	return wrap("store.DeleteEntity", s.delete(ctx, armstrace.TypeEntity, id))
}

// Events.

func (s *Store) FindEventByID(ctx context.Context, id string) (*armstrace.Event, error) {
	return getAs[*armstrace.Event](ctx, s, armstrace.TypeEvent, "store.FindEventByID", id)
}

func (s *Store) FindEvents(ctx context.Context, f armstrace.EventFilter) ([]*armstrace.Event, error) {
	w := eventWhere(f)
	if f.Text == "" {
		evs, err := listAs[*armstrace.Event](ctx, s, armstrace.TypeEvent, "store.FindEvents", w.String(), w.args, f.Offset, f.Limit)
		return shownTo(evs, f.Access), err
	}
	// SQL narrows by the words in the stored document (eventWhere); each
	// event read is then checked on its own text, since a word may also
	// stand in a field name or another field of the document. Pages are
	// read until the limit is met.
	words := armstrace.SearchWords(f.Text)
	const page = 500
	var out []*armstrace.Event
	skip := f.Offset
	for at := 0; ; at += page {
		evs, err := listAs[*armstrace.Event](ctx, s, armstrace.TypeEvent, "store.FindEvents", w.String(), w.args, at, page)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			// Checked on the event as the reader sees it: a protected
			// place's name must not be found by those who see it blurred.
			if f.Access != nil {
				e = e.ShownTo(f.Access)
			}
			if !armstrace.ContainsWords(e.SearchText(), words) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, e)
			if f.Limit > 0 && len(out) == f.Limit {
				return shownTo(out, f.Access), nil
			}
		}
		if len(evs) < page {
			return shownTo(out, f.Access), nil
		}
	}
}

// shownTo blurs the protected places of events read for a reader of
// these access levels (Event.ShownTo).
func shownTo(evs []*armstrace.Event, levels []armstrace.Access) []*armstrace.Event {
	if levels == nil {
		return evs
	}
	for i, e := range evs {
		evs[i] = e.ShownTo(levels)
	}
	return evs
}

func eventWhere(f armstrace.EventFilter) where {
	var w where
	if f.IDs != nil {
		w.in(`id`, f.IDs)
	}
	if f.Country != "" && (f.Since == "" || f.Until == "") {
		w.add(`country = ?`, f.Country)
	}
	switch {
	case f.Since != "" && f.Until != "":
		// An event overlaps [since, until] when it starts inside it, or
		// spans days and starts before it and ends on or after since:
		// two index ranges (events_tally or events_dates, and the
		// partial events_spans), instead of every event that started
		// before until.
		since, until := string(f.Since.First()), string(f.Until.Last())
		// The country is tested inside each branch, and in the spans
		// branch through "|| ''" so that the planner keeps to the spans
		// index; the outer query then reads events by their key.
		country, spanCountry, cargs := ``, ``, []any{}
		if f.Country != "" {
			country, spanCountry, cargs = ` AND country = ?`, ` AND (country || '') = ?`, []any{f.Country}
		}
		args := append(append([]any{since, until}, cargs...), since, since)
		args = append(args, cargs...)
		w.add(`id IN (SELECT id FROM events WHERE date_start >= ? AND date_start <= ?`+country+
			` UNION ALL SELECT id FROM events WHERE (date_start <> date_end OR aggregate = 1) AND date_start < ? AND date_end >= ?`+spanCountry+`)`, args...)
	case f.Since != "":
		w.add(`date_end >= ?`, string(f.Since.First()))
	case f.Until != "":
		w.add(`date_start <= ?`, string(f.Until.Last()))
	}
	switch {
	case f.Actor != "" && len(f.ActorRoles) > 0:
		args := []any{f.Actor}
		for _, r := range f.ActorRoles {
			args = append(args, string(r))
		}
		w.add(`id IN (SELECT event_id FROM event_actors WHERE entity_id = ? AND role IN (?`+strings.Repeat(`, ?`, len(f.ActorRoles)-1)+`))`, args...)
	case f.Actor != "":
		w.add(`id IN (SELECT event_id FROM event_actors WHERE entity_id = ?)`, f.Actor)
	case len(f.ActorRoles) > 0:
		args := []any{}
		for _, r := range f.ActorRoles {
			args = append(args, string(r))
		}
		w.add(`id IN (SELECT event_id FROM event_actors WHERE role IN (?`+strings.Repeat(`, ?`, len(f.ActorRoles)-1)+`))`, args...)
	}
	if f.Actors != nil {
		if len(f.Actors) == 0 {
			w.add(`1 = 0`)
		} else {
			// "|| ''" keeps the check on the event's own actors (see
			// TallyEvents).
			args := make([]any, len(f.Actors))
			for i, a := range f.Actors {
				args[i] = a
			}
			w.add(`EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = events.id AND (a.entity_id || '') IN (?`+strings.Repeat(`, ?`, len(f.Actors)-1)+`))`, args...)
		}
	}
	if f.Access != nil {
		w.visible("events", armstrace.TypeEvent, f.Access)
	}
	for _, word := range armstrace.SearchWords(f.Text) {
		// Only plain ASCII words narrow in SQL: LOWER folds no other
		// letters on SQLite, and JSON may escape other characters. Every
		// word is checked again on the event itself (FindEvents).
		if plainWord(word) {
			w.add(`LOWER(doc) LIKE ?`, "%"+word+"%")
		}
	}
	return w
}

func plainWord(w string) bool {
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return w != ""
}

func (s *Store) CreateEvent(ctx context.Context, e *armstrace.Event) error {
	return s.write1(ctx, "store.CreateEvent", e, putCreate)
}

func (s *Store) UpdateEvent(ctx context.Context, e *armstrace.Event) error {
	return s.write1(ctx, "store.UpdateEvent", e, putUpdate)
}

func (s *Store) DeleteEvent(ctx context.Context, id string) error {
	return wrap("store.DeleteEvent", s.delete(ctx, armstrace.TypeEvent, id))
}

// Claims.

func (s *Store) FindClaimByID(ctx context.Context, id string) (*armstrace.Claim, error) {
	return getAs[*armstrace.Claim](ctx, s, armstrace.TypeClaim, "store.FindClaimByID", id)
}

func (s *Store) FindClaims(ctx context.Context, f armstrace.ClaimFilter) ([]*armstrace.Claim, error) {
	w := claimWhere(f)
	return listAs[*armstrace.Claim](ctx, s, armstrace.TypeClaim, "store.FindClaims", w.String(), w.args, f.Offset, f.Limit)
}

// FindClaimEdges lists the claims of a filter without their documents,
// from the projected columns: for weighing thousands of claims and then
// reading only those that matter.
func (s *Store) FindClaimEdges(ctx context.Context, f armstrace.ClaimFilter) ([]armstrace.ClaimEdge, error) {
	w := claimWhere(f)
	q := `SELECT id, kind, subject_id, COALESCE(object_entity_id, object_event_id, object_ceasefire_id), status, confidence, valid_from, valid_to FROM claims`
	if len(w.conds) > 0 {
		q += ` WHERE ` + w.String()
	}
	q += ` ORDER BY ` + s.idOrder()
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, f.Offset)
	}
	rows, err := s.read.QueryContext(ctx, s.Rebind(q), w.args...)
	if err != nil {
		return nil, wrap("store.FindClaimEdges", err)
	}
	defer rows.Close()
	var out []armstrace.ClaimEdge
	for rows.Next() {
		var e armstrace.ClaimEdge
		var kind, status, from, to string
		if err := rows.Scan(&e.ID, &kind, &e.Subject, &e.Object, &status, &e.Confidence, &from, &to); err != nil {
			return nil, wrap("store.FindClaimEdges", err)
		}
		e.Kind, e.Status, e.ValidFrom, e.ValidTo = armstrace.ClaimKind(kind), armstrace.Status(status), armstrace.Date(from), armstrace.Date(to)
		out = append(out, e)
	}
	return out, wrap("store.FindClaimEdges", rows.Err())
}

// CountClaims counts the claims of a filter.
func (s *Store) CountClaims(ctx context.Context, f armstrace.ClaimFilter) (int, error) {
	w := claimWhere(f)
	q := `SELECT COUNT(*) FROM claims`
	if len(w.conds) > 0 {
		q += ` WHERE ` + w.String()
	}
	var n int
	err := s.read.QueryRowContext(ctx, s.Rebind(q), w.args...).Scan(&n)
	return n, wrap("store.CountClaims", err)
}

// RankClaimEdges returns, for each subject and kind among the claims of a
// filter, the per claims of highest rank, with how many claims the
// subject and kind have and their latest valid date. A claim's rank is
// its confidence, times allegedFactor if alleged, capped by the cap of
// its object (objects without a cap are capped at 1). The ranking runs in
// SQL: a supplier with a hundred thousand contracts returns per rows for
// each buyer, not a hundred thousand.
func (s *Store) RankClaimEdges(ctx context.Context, f armstrace.ClaimFilter, caps map[string]float64, allegedFactor float64, per int) ([]armstrace.RankedEdge, error) {
	w := claimWhere(f)
	var args []any
	capExpr := `1.0`
	if len(caps) > 0 {
		// One IN list per distinct cap, not one WHEN per object: caps take
		// few values, and an IN list is a lookup, where a long CASE is a
		// comparison per object per row.
		byCap := map[float64][]string{}
		for _, id := range sortedKeys(caps) {
			byCap[caps[id]] = append(byCap[caps[id]], id)
		}
		values := make([]float64, 0, len(byCap))
		for v := range byCap {
			values = append(values, v)
		}
		sort.Float64s(values)
		var b strings.Builder
		b.WriteString(`CASE`)
		for _, v := range values {
			ids := byCap[v]
			b.WriteString(` WHEN object_entity_id IN (?` + strings.Repeat(`, ?`, len(ids)-1) + `) THEN ?`)
			for _, id := range ids {
				args = append(args, id)
			}
			args = append(args, v)
		}
		b.WriteString(` ELSE 1.0 END`)
		capExpr = b.String()
	}
	least := `min`
	if s.dialect == dialectPostgres {
		least = `LEAST`
	}
	rank := fmt.Sprintf(`%s(confidence * CASE WHEN status = 'alleged' THEN ? ELSE 1.0 END, %s)`, least, capExpr)
	args = append([]any{allegedFactor}, args...)
	inner := `SELECT id, kind, subject_id, COALESCE(object_entity_id, object_event_id, object_ceasefire_id) AS object_id, status, confidence, valid_from, valid_to, ` + rank + ` AS rnk FROM claims`
	if len(w.conds) > 0 {
		inner += ` WHERE ` + w.String()
	}
	args = append(args, w.args...)
	q := `SELECT id, kind, subject_id, object_id, status, confidence, valid_from, valid_to, rnk, n, latest FROM (
		SELECT x.*, ROW_NUMBER() OVER (PARTITION BY subject_id, kind ORDER BY rnk DESC, id) AS r,
			COUNT(*) OVER (PARTITION BY subject_id, kind) AS n,
			MAX(CASE WHEN valid_to <> '' THEN valid_to ELSE valid_from END) OVER (PARTITION BY subject_id, kind) AS latest
		FROM (` + inner + `) x) y WHERE r <= ? ORDER BY subject_id, kind, r`
	args = append(args, per)
	rows, err := s.read.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, wrap("store.RankClaimEdges", err)
	}
	defer rows.Close()
	var out []armstrace.RankedEdge
	for rows.Next() {
		var e armstrace.RankedEdge
		var kind, status, from, to, latest string
		if err := rows.Scan(&e.ID, &kind, &e.Subject, &e.Object, &status, &e.Confidence, &from, &to, &e.Rank, &e.Total, &latest); err != nil {
			return nil, wrap("store.RankClaimEdges", err)
		}
		e.Kind, e.Status, e.ValidFrom, e.ValidTo, e.Latest = armstrace.ClaimKind(kind), armstrace.Status(status), armstrace.Date(from), armstrace.Date(to), armstrace.Date(latest)
		out = append(out, e)
	}
	return out, wrap("store.RankClaimEdges", rows.Err())
}

func sortedKeys(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func claimWhere(f armstrace.ClaimFilter) where {
	var w where
	if f.IDs != nil {
		w.in(`id`, f.IDs)
	}
	if f.Kind != "" {
		w.add(`kind = ?`, string(f.Kind))
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		w.in(`kind`, kinds)
	}
	if f.Subject != "" {
		w.add(`subject_id = ?`, f.Subject)
	}
	if f.Subjects != nil {
		w.in(`subject_id`, f.Subjects)
	}
	if f.Object != "" {
		w.add(`(object_entity_id = ? OR object_event_id = ? OR object_ceasefire_id = ?)`, f.Object, f.Object, f.Object)
	}
	if f.ObjectType != "" {
		col := map[armstrace.ObjectType]string{armstrace.ObjectEntity: "object_entity_id", armstrace.ObjectEvent: "object_event_id", armstrace.ObjectCeasefire: "object_ceasefire_id"}[f.ObjectType]
		if col == "" {
			w.add(`1 = 0`)
		} else if f.Objects != nil {
			w.in(col, f.Objects)
		} else {
			w.add(col + ` IS NOT NULL`)
		}
	} else if f.Objects != nil {
		// Each object column has its own index; three IN lists joined by
		// OR let the planner use all three.
		var ors where
		ors.in(`object_entity_id`, f.Objects)
		ors.in(`object_event_id`, f.Objects)
		ors.in(`object_ceasefire_id`, f.Objects)
		w.add(`(`+strings.Join(ors.conds, ` OR `)+`)`, ors.args...)
	}
	if f.Entity != "" {
		w.add(`(subject_id = ? OR object_entity_id = ?)`, f.Entity, f.Entity)
	}
	if f.Weapon != "" {
		w.add(`weapon_id = ?`, f.Weapon)
	}
	if f.Status != "" {
		w.add(`status = ?`, string(f.Status))
	}
	if f.Statuses != nil {
		ss := make([]string, len(f.Statuses))
		for i, x := range f.Statuses {
			ss[i] = string(x)
		}
		w.in(`status`, ss)
	}
	if f.Source != "" {
		w.add(`id IN (SELECT owner_id FROM citations WHERE owner_type = 'claim' AND source_id = ?)`, f.Source)
	}
	if f.Access != nil {
		w.visible("claims", armstrace.TypeClaim, f.Access)
	}
	if f.ObjectEvents != nil {
		ev := eventWhere(*f.ObjectEvents)
		q := `SELECT id FROM events`
		if len(ev.conds) > 0 {
			q += ` WHERE ` + ev.String()
		}
		w.add(`object_event_id IN (`+q+`)`, ev.args...)
	}
	return w
}

func (s *Store) CreateClaim(ctx context.Context, c *armstrace.Claim) error {
	return s.write1(ctx, "store.CreateClaim", c, putCreate)
}

func (s *Store) UpdateClaim(ctx context.Context, c *armstrace.Claim) error {
	return s.write1(ctx, "store.UpdateClaim", c, putUpdate)
}

func (s *Store) DeleteClaim(ctx context.Context, id string) error {
	return wrap("store.DeleteClaim", s.delete(ctx, armstrace.TypeClaim, id))
}

// Sources.

func (s *Store) FindSourceByID(ctx context.Context, id string) (*armstrace.Source, error) {
	return getAs[*armstrace.Source](ctx, s, armstrace.TypeSource, "store.FindSourceByID", id)
}

func (s *Store) FindSources(ctx context.Context) ([]*armstrace.Source, error) {
	return listAs[*armstrace.Source](ctx, s, armstrace.TypeSource, "store.FindSources", "", nil, 0, 0)
}

// SearchSources returns the sources whose title, publisher, address,
// version or notes contain every word of q, ignoring case, among those of
// the given access levels (nil: all), in id order, up to limit (0: all).
func (s *Store) SearchSources(ctx context.Context, q string, access []armstrace.Access, limit int) ([]*armstrace.Source, error) {
	var w where
	if access != nil {
		args := make([]any, len(access))
		for i, a := range access {
			args[i] = string(a)
		}
		if len(args) == 0 {
			return nil, nil
		}
		w.add(`access IN (?`+strings.Repeat(`, ?`, len(args)-1)+`)`, args...)
	}
	words := armstrace.SearchWords(q)
	for _, word := range words {
		if plainWord(word) {
			w.add(`LOWER(doc) LIKE ?`, "%"+word+"%")
		}
	}
	srcs, err := listAs[*armstrace.Source](ctx, s, armstrace.TypeSource, "store.SearchSources", w.String(), w.args, 0, 0)
	if err != nil {
		return nil, err
	}
	out := srcs[:0]
	for _, src := range srcs {
		if armstrace.ContainsWords(src.SearchText(), words) {
			out = append(out, src)
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

func (s *Store) CreateSource(ctx context.Context, src *armstrace.Source) error {
	return s.write1(ctx, "store.CreateSource", src, putCreate)
}

func (s *Store) UpdateSource(ctx context.Context, src *armstrace.Source) error {
	return s.write1(ctx, "store.UpdateSource", src, putUpdate)
}

func (s *Store) DeleteSource(ctx context.Context, id string) error {
	return wrap("store.DeleteSource", s.delete(ctx, armstrace.TypeSource, id))
}

// Ceasefires.

func (s *Store) FindCeasefireByID(ctx context.Context, id string) (*armstrace.Ceasefire, error) {
	return getAs[*armstrace.Ceasefire](ctx, s, armstrace.TypeCeasefire, "store.FindCeasefireByID", id)
}

func (s *Store) FindCeasefires(ctx context.Context) ([]*armstrace.Ceasefire, error) {
	return listAs[*armstrace.Ceasefire](ctx, s, armstrace.TypeCeasefire, "store.FindCeasefires", "", nil, 0, 0)
}

func (s *Store) CreateCeasefire(ctx context.Context, c *armstrace.Ceasefire) error {
	return s.write1(ctx, "store.CreateCeasefire", c, putCreate)
}

func (s *Store) UpdateCeasefire(ctx context.Context, c *armstrace.Ceasefire) error {
	return s.write1(ctx, "store.UpdateCeasefire", c, putUpdate)
}

func (s *Store) DeleteCeasefire(ctx context.Context, id string) error {
	return wrap("store.DeleteCeasefire", s.delete(ctx, armstrace.TypeCeasefire, id))
}

// Series.

var _ armstrace.SeriesService = (*Store)(nil)

func (s *Store) FindSeriesByID(ctx context.Context, id string) (*armstrace.Series, error) {
	return getAs[*armstrace.Series](ctx, s, armstrace.TypeSeries, "store.FindSeriesByID", id)
}

func (s *Store) FindSeries(ctx context.Context) ([]*armstrace.Series, error) {
	return listAs[*armstrace.Series](ctx, s, armstrace.TypeSeries, "store.FindSeries", "", nil, 0, 0)
}

// GraphCounts says what the evidence graph holds on an entity, as claim
// counts: screening results show it, as the door into the chain.
type GraphCounts struct {
	Sanctions int `json:"sanctions"` // sanctioned claims naming the entity
	Supplied  int `json:"supplied"`  // supplied claims by the entity
	Contracts int `json:"contracts"` // contracted claims naming it
}

// CountGraph counts the claims about an entity that screening shows.
func (s *Store) CountGraph(ctx context.Context, id string, access []armstrace.Access) (GraphCounts, error) {
	var g GraphCounts
	w := where{conds: []string{`(subject_id = ? OR object_entity_id = ?)`}, args: []any{id, id}}
	if access != nil {
		w.visible("claims", armstrace.TypeClaim, access)
	}
	err := s.read.QueryRowContext(ctx, s.Rebind(`SELECT
		COALESCE(SUM(CASE WHEN kind = 'sanctioned' AND object_entity_id = ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'supplied' AND subject_id = ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'contracted' THEN 1 ELSE 0 END), 0)
		FROM claims WHERE `+w.String()), append([]any{id, id}, w.args...)...).Scan(&g.Sanctions, &g.Supplied, &g.Contracts)
	return g, wrap("store.CountGraph", err)
}
