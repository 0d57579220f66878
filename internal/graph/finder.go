package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// chunk bounds the ids in one IN list: far below SQLite's and
// PostgreSQL's limits on bound parameters.
const chunk = 500

// finder reads the graph for one search, caching what it has read.
type finder struct {
	ctx       context.Context
	r         Reader
	entities  map[string]*armstrace.Entity
	events    map[string]*armstrace.Event
	sources   map[string]*armstrace.Source
	forces    map[string][]string // by country: the state's forces and agencies
	states    map[string]*armstrace.Entity
	transfers map[string][]*armstrace.Claim // supplied claims by recipient
	indexes   map[string]*transferIndex     // by the recipients' ids joined
	links     map[string]*Link              // uncapped links by claim id
	starts    map[string]armstrace.Date     // first day of supplies, by claim id
	families  map[string]string             // family keys, by entity id
	mark      map[*armstrace.Claim]uint32   // candidates already taken, stamped per observation
	gen       uint32
	// IncludeConfidential shows confidential sources; otherwise they are
	// withheld, and only their existence is shown.
	IncludeConfidential bool
}

func newFinder(ctx context.Context, r Reader) *finder {
	return &finder{ctx: ctx, r: r, entities: map[string]*armstrace.Entity{}, events: map[string]*armstrace.Event{},
		sources: map[string]*armstrace.Source{}, forces: map[string][]string{}, states: map[string]*armstrace.Entity{},
		transfers: map[string][]*armstrace.Claim{}, indexes: map[string]*transferIndex{}, links: map[string]*Link{}, starts: map[string]armstrace.Date{}, families: map[string]string{}, mark: map[*armstrace.Claim]uint32{}}
}

func (f *finder) entity(id string) (*armstrace.Entity, error) {
	if e, ok := f.entities[id]; ok {
		return e, nil
	}
	e, err := f.r.FindEntityByID(f.ctx, id)
	if err != nil {
		return nil, err
	}
	f.entities[id] = e
	return e, nil
}

func (f *finder) event(id string) (*armstrace.Event, error) {
	if e, ok := f.events[id]; ok {
		return e, nil
	}
	e, err := f.r.FindEventByID(f.ctx, id)
	if err != nil {
		return nil, err
	}
	f.events[id] = e
	return e, nil
}

func (f *finder) source(id string) (*armstrace.Source, error) {
	if s, ok := f.sources[id]; ok {
		return s, nil
	}
	s, err := f.r.FindSourceByID(f.ctx, id)
	if err != nil {
		return nil, err
	}
	f.sources[id] = s
	return s, nil
}

// claims finds the claims of a filter whose subject is one of subjects,
// whose object (an entity) is one of objects, or whose id is one of ids
// (one of the three lists is given), in chunks.
func (f *finder) claims(base armstrace.ClaimFilter, subjects, objects, ids []string) ([]*armstrace.Claim, error) {
	var out []*armstrace.Claim
	err := chunked(base, subjects, objects, ids, func(q armstrace.ClaimFilter) error {
		cs, err := f.r.FindClaims(f.ctx, q)
		out = append(out, cs...)
		return err
	})
	return out, err
}

// edges is claims for claim edges: the columns, not the documents.
func (f *finder) edges(base armstrace.ClaimFilter, subjects, objects []string) ([]armstrace.ClaimEdge, error) {
	var out []armstrace.ClaimEdge
	err := chunked(base, subjects, objects, nil, func(q armstrace.ClaimFilter) error {
		es, err := f.r.FindClaimEdges(f.ctx, q)
		out = append(out, es...)
		return err
	})
	return out, err
}

func chunked(base armstrace.ClaimFilter, subjects, objects, ids []string, fn func(armstrace.ClaimFilter) error) error {
	list, set := ids, func(q *armstrace.ClaimFilter, part []string) { q.IDs = part }
	switch {
	case subjects != nil:
		list, set = subjects, func(q *armstrace.ClaimFilter, part []string) { q.Subjects = part }
	case objects != nil:
		list, set = objects, func(q *armstrace.ClaimFilter, part []string) { q.Objects, q.ObjectType = part, armstrace.ObjectEntity }
	}
	for i := 0; i < len(list); i += chunk {
		q := base
		set(&q, list[i:min(i+chunk, len(list))])
		if err := fn(q); err != nil {
			return err
		}
	}
	return nil
}

// prefetchEvents reads the events of ids not read yet, in chunks.
func (f *finder) prefetchEvents(ids []string) error {
	var missing []string
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := f.events[id]; !ok && !seen[id] {
			seen[id] = true
			missing = append(missing, id)
		}
	}
	for i := 0; i < len(missing); i += chunk {
		es, err := f.r.FindEvents(f.ctx, armstrace.EventFilter{IDs: missing[i:min(i+chunk, len(missing))]})
		if err != nil {
			return err
		}
		for _, e := range es {
			f.events[e.ID] = e
		}
	}
	return nil
}

// prefetch reads the entities of ids not read yet, in chunks.
func (f *finder) prefetch(ids []string) error {
	var missing []string
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := f.entities[id]; !ok && !seen[id] {
			seen[id] = true
			missing = append(missing, id)
		}
	}
	for i := 0; i < len(missing); i += chunk {
		es, err := f.r.FindEntities(f.ctx, armstrace.EntityFilter{IDs: missing[i:min(i+chunk, len(missing))]})
		if err != nil {
			return err
		}
		for _, e := range es {
			f.entities[e.ID] = e
		}
	}
	return nil
}

// transfersTo returns the supplied claims to any of the recipients.
func (f *finder) transfersTo(recipients []string) ([]*armstrace.Claim, error) {
	var missing []string
	for _, id := range recipients {
		if _, ok := f.transfers[id]; !ok {
			missing = append(missing, id)
			f.transfers[id] = nil
		}
	}
	if len(missing) > 0 {
		cs, err := f.claims(armstrace.ClaimFilter{Kind: armstrace.ClaimSupplied}, nil, missing, nil)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			f.transfers[c.Object] = append(f.transfers[c.Object], c)
		}
	}
	seen := map[string]bool{}
	var out []*armstrace.Claim
	for _, id := range recipients {
		for _, c := range f.transfers[id] {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// transferIndex holds the supplies to a set of recipients by what can
// match a weapon seen: its model, its family, its supplier's country.
type transferIndex struct {
	byWeapon, byFamily, byOrigin map[string][]*armstrace.Claim
}

// transferIndex returns the index of the supplies to recipients.
func (f *finder) transferIndex(recipients []string) (*transferIndex, error) {
	key := strings.Join(recipients, "\x00")
	if ix, ok := f.indexes[key]; ok {
		return ix, nil
	}
	ts, err := f.transfersTo(recipients)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range ts {
		ids = append(ids, t.Subject)
		if t.Attrs.Transfer != nil && t.Attrs.Transfer.Weapon != "" {
			ids = append(ids, t.Attrs.Transfer.Weapon)
		}
	}
	if err := f.prefetch(ids); err != nil {
		return nil, err
	}
	ix := &transferIndex{byWeapon: map[string][]*armstrace.Claim{}, byFamily: map[string][]*armstrace.Claim{}, byOrigin: map[string][]*armstrace.Claim{}}
	for _, t := range ts {
		if t.Attrs.Transfer != nil && t.Attrs.Transfer.Weapon != "" {
			w := t.Attrs.Transfer.Weapon
			ix.byWeapon[w] = append(ix.byWeapon[w], t)
			if e, err := f.entity(w); err == nil {
				if k := f.family(e); k != "" {
					ix.byFamily[k] = append(ix.byFamily[k], t)
				}
			} else if armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
				return nil, err
			}
		}
		s, err := f.entity(t.Subject)
		if err != nil {
			return nil, err
		}
		if s.Country != "" {
			ix.byOrigin[s.Country] = append(ix.byOrigin[s.Country], t)
		}
	}
	f.indexes[key] = ix
	return ix, nil
}

// candidates returns the supplies that may match a weapon seen, each once
// and in a fixed order (same model, same family, and same origin when
// byOrigin: only a weapon identified by category can match by origin);
// weaponMatch decides. mark is the finder's reusable marker, stamped with
// gen.
func (ix *transferIndex) candidates(seen *armstrace.Entity, family string, byOrigin bool, mark map[*armstrace.Claim]uint32, gen uint32, out []*armstrace.Claim) []*armstrace.Claim {
	out = out[:0]
	add := func(l []*armstrace.Claim) {
		for _, t := range l {
			if mark[t] != gen {
				mark[t] = gen
				out = append(out, t)
			}
		}
	}
	add(ix.byWeapon[seen.ID])
	if family != "" {
		add(ix.byFamily[family])
	}
	if byOrigin && seen.Country != "" {
		add(ix.byOrigin[seen.Country])
	}
	return out
}

// family is an entity's family key, computed once.
func (f *finder) family(e *armstrace.Entity) string {
	if k, ok := f.families[e.ID]; ok {
		return k
	}
	k := familyKey(e.Name)
	f.families[e.ID] = k
	return k
}

// stateOf returns the state entity of a country code, or nil.
func (f *finder) stateOf(country string) (*armstrace.Entity, error) {
	if e, ok := f.states[country]; ok {
		return e, nil
	}
	es, err := f.r.FindEntities(f.ctx, armstrace.EntityFilter{Kind: armstrace.EntityState, Country: country})
	if err != nil {
		return nil, err
	}
	var e *armstrace.Entity
	if len(es) > 0 {
		e = es[0]
		f.entities[e.ID] = e
	}
	f.states[country] = e
	return e, nil
}

// recipientsOf returns who receives arms for a state: the state itself,
// its armed forces and its agencies.
func (f *finder) recipientsOf(state *armstrace.Entity) ([]string, error) {
	out := []string{state.ID}
	if state.Country == "" {
		return out, nil
	}
	if ids, ok := f.forces[state.Country]; ok {
		return append(out, ids...), nil
	}
	var ids []string
	for _, k := range []armstrace.EntityKind{armstrace.EntityArmedForce, armstrace.EntityAgency} {
		es, err := f.r.FindEntities(f.ctx, armstrace.EntityFilter{Kind: k, Country: state.Country})
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			f.entities[e.ID] = e
			ids = append(ids, e.ID)
		}
	}
	f.forces[state.Country] = ids
	return append(out, ids...), nil
}

// perpetratorRecipients returns whose arms an event's perpetrators used:
// for a state or its forces, the state's recipients; for an armed group,
// the group. Where the source names no perpetrator, every party counts.
func (f *finder) perpetratorRecipients(ev *armstrace.Event) ([]string, error) {
	var actors []string
	for _, a := range ev.Actors {
		if a.Role == armstrace.RolePerpetrator {
			actors = append(actors, a.Entity)
		}
	}
	if len(actors) == 0 {
		for _, a := range ev.Actors {
			if a.Role != armstrace.RoleTarget {
				actors = append(actors, a.Entity)
			}
		}
	}
	var out []string
	for _, id := range actors {
		e, err := f.entity(id)
		if err != nil {
			return nil, err
		}
		switch {
		case e.Kind == armstrace.EntityState:
			ids, err := f.recipientsOf(e)
			if err != nil {
				return nil, err
			}
			out = append(out, ids...)
		case e.Country != "" && (e.Kind == armstrace.EntityArmedForce || e.Kind == armstrace.EntityAgency):
			st, err := f.stateOf(e.Country)
			if err != nil {
				return nil, err
			}
			if st == nil {
				out = append(out, e.ID)
				continue
			}
			ids, err := f.recipientsOf(st)
			if err != nil {
				return nil, err
			}
			out = append(out, ids...)
		default:
			out = append(out, e.ID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// weaponMatch says whether a transfer can be the source of a weapon seen,
// with the cap the match puts on the transfer's link and its words.
func (f *finder) weaponMatch(o *armstrace.Claim, seen *armstrace.Entity, t *armstrace.Claim, supplier *armstrace.Entity) (float64, string) {
	tw := ""
	if t.Attrs.Transfer != nil {
		tw = t.Attrs.Transfer.Weapon
	}
	if tw == seen.ID {
		return capSameModel, "the weapon supplied is the one seen (" + seen.Name + ")"
	}
	if tw != "" {
		supplied, err := f.entity(tw)
		if err == nil {
			if a, b := f.family(seen), f.family(supplied); a != "" && a == b {
				return capSameFamily, fmt.Sprintf("the weapon supplied (%s) is of the family seen (%s)", supplied.Name, seen.Name)
			}
		}
	}
	if byCategory(o) && seen.Country != "" && supplier.Country == seen.Country {
		return capOrigin, fmt.Sprintf("only the origin matches: weapons seen are %s by origin, and the supplier is of %s", seen.Country, supplier.Country)
	}
	return 0, ""
}

// familyKey reduces a weapon designation to its family: the letters and
// the first group of digits ("Mi-24D/Mi-25" and "Mi-24" are "mi24";
// "T-72B3" is "t72"). Designations without digits have no family key.
func familyKey(name string) string {
	var b strings.Builder
	digits := false
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.IsDigit(r):
			digits = true
			b.WriteRune(r)
		case unicode.IsLetter(r):
			if digits {
				return b.String()
			}
			b.WriteRune(r)
		case r == '-' || r == ' ':
			if digits {
				return b.String()
			}
		default:
			if digits {
				return b.String()
			}
			return ""
		}
	}
	if !digits {
		return ""
	}
	return b.String()
}

// ResolveCountry finds the state a user names: by entity id, by ISO code,
// by a name or alias in the graph, or through the bundled table of states
// ("Syrian Arab Republic", "Government of Syria").
func ResolveCountry(ctx context.Context, r Reader, q string) (*armstrace.Entity, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "country", Message: "a country is needed, such as Syria or SY"}
	}
	if e, err := r.FindEntityByID(ctx, q); err == nil {
		if e.Kind != armstrace.EntityState {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "country", Message: fmt.Sprintf("%s is a %s, not a state", q, e.Kind)}
		}
		return e, nil
	} else if armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
		return nil, err
	}
	if len(q) == 2 {
		es, err := r.FindEntities(ctx, armstrace.EntityFilter{Kind: armstrace.EntityState, Country: strings.ToUpper(q)})
		if err != nil {
			return nil, err
		}
		if len(es) > 0 {
			return es[0], nil
		}
	}
	es, err := r.FindEntities(ctx, armstrace.EntityFilter{Kind: armstrace.EntityState, NameLike: q})
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if strings.EqualFold(e.Name, q) {
			return e, nil
		}
		for _, a := range e.Aliases {
			if strings.EqualFold(a.Value, q) {
				return e, nil
			}
		}
	}
	if st, ok := ingest.MustLoadStates().ByName(q); ok {
		e, err := r.FindEntityByID(ctx, st.ID)
		if err == nil {
			return e, nil
		}
		if armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			return nil, err
		}
		return nil, &armstrace.Error{Code: armstrace.ENOTFOUND, Field: "country", Message: fmt.Sprintf("%q is %s, which the evidence graph does not hold yet: import a dataset that names it", q, st.Name)}
	}
	return nil, &armstrace.Error{Code: armstrace.ENOTFOUND, Field: "country", Message: fmt.Sprintf("no state named %q: give an entity id, an ISO code such as SY, or a name such as Syria", q)}
}

// byCategory reports whether an observation identified the weapon by its
// category or origin only: only such an observation can match a supply by
// origin.
func byCategory(o *armstrace.Claim) bool {
	return o.Attrs.Observation == nil || o.Attrs.Observation.Identification == "" || o.Attrs.Observation.Identification == armstrace.IdentifiedCategory
}
