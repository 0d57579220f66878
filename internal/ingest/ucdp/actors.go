package ucdp

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// ActorsFormat reads the UCDP Actor Dataset as CSV (ucdp-actor-221.csv):
// one actor per row, each written as an entity with ingest.Merge.
var ActorsFormat = ingest.Format{
	Name:    "ucdp-actors",
	Summary: "UCDP Actor Dataset CSV: one actor (government, rebel group, militia, identity group) per row",
	Open:    openActors,
}

const actorsName = "UCDP Actor Dataset"

// The Actor Dataset's organisation codes (column Org), as the UCDP
// codebooks define them. The data bear them out: every Org 4 actor is a
// "Government of …", Org 2 actors are "Supporters of …", Org 3 are clans,
// tribes and ethnic groups.
const (
	orgFormal     = 1 // a formally organised group: rebels, militias, de facto governments
	orgSupporters = 2 // informally organised: supporters of a political party or candidate
	orgIdentity   = 3 // informally organised: a group sharing an identity (ethnic, religious, clan)
	orgGovernment = 4 // the government of a state
)

var orgText = map[int]string{
	orgFormal:     "a formally organised group",
	orgSupporters: "an informally organised group of supporters of a political party or candidate",
	orgIdentity:   "an informally organised group sharing an identity (ethnic, religious, clan or tribal)",
	orgGovernment: "a government",
}

func openActors(r io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	if env == nil || env.States == nil {
		return nil, ingest.Dataset{}, errors.New("ucdp-actors: no environment with a states table")
	}
	t, err := ingest.NewTable(r, ingest.TableOptions{IsHeader: isActorsHeader})
	if err != nil {
		return nil, ingest.Dataset{}, err
	}
	if err := t.Require("ActorId", "NameData", "Org"); err != nil {
		return nil, ingest.Dataset{}, err
	}
	ar := &ActorsReader{t: t, env: env, emitted: map[string]bool{}, unresolved: nameSet{}, cols: newColumns(t, actorColumns)}
	ds := ingest.Dataset{Name: actorsName, Publisher: publisher, URL: url, License: license}
	// The release is in every row's Version column: read the first row
	// now, and give it back on the first call of Next.
	c, err := t.Next()
	switch {
	case err == io.EOF:
		ar.eof = true
	case err != nil:
		var e *armstrace.Error
		if !errors.As(err, &e) {
			return nil, ingest.Dataset{}, err
		}
		ar.pendingErr = err
	default:
		ar.pending = c
		if v := c.Str("Version"); v != "" {
			if ctrl, _ := scanText(v); !ctrl {
				ds.Version = v
			}
		}
	}
	return ar, ds, nil
}

func isActorsHeader(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) == "ActorId" {
			return true
		}
	}
	return false
}

// ActorsReader reads the rows of an Actor Dataset file.
type ActorsReader struct {
	t          *ingest.Table
	env        *ingest.Env
	pending    *ingest.Cells // the first row, read by open
	pendingErr error
	eof        bool
	emitted    map[string]bool // states written in full once
	unresolved nameSet
	cols       columns

	// Counts, for tests and reports.
	Rows           int // good rows read
	ResolvedStates int // governments resolved to a curated state
	UnresolvedGovs int // governments not resolved (named by Unresolved)
	Groups         int // other actors
}

// Unresolved returns the names of the governments that the states table
// did not resolve, sorted. Each became an entity ucdp-actor:<id>.
func (r *ActorsReader) Unresolved() []string { return r.unresolved.sorted() }

// Next reads the next row.
func (r *ActorsReader) Next() (ingest.Row, error) {
	if c := r.pending; c != nil {
		r.pending = nil
		return r.row(c)
	}
	if err := r.pendingErr; err != nil {
		r.pendingErr = nil
		return ingest.Row{}, err
	}
	if r.eof {
		return ingest.Row{}, io.EOF
	}
	c, err := r.t.Next()
	if err != nil {
		return ingest.Row{}, err
	}
	return r.row(c)
}

// The columns the actors reader reads, by position in actorColumns. The
// name columns hold the original names (NameOrig…) and the names the
// actor took later (New…, with NameChange 1), which UCDP lists in order,
// separated by commas, the last being the current one.
const (
	aActorID = iota
	aNameData
	aOrg
	aNameChange
	aNameOrig
	aNameOrigFull
	aNameOrigFullEng
	aNewName
	aNewNameFullMotherTongue
	aNewNameFullEng
	aLocation
	aGWNOLoc
)

var actorColumns = []string{
	aActorID: "ActorId", aNameData: "NameData", aOrg: "Org", aNameChange: "NameChange",
	aNameOrig: "NameOrig", aNameOrigFull: "NameOrigFull", aNameOrigFullEng: "NameOrigFullEng",
	aNewName: "NewName", aNewNameFullMotherTongue: "NewNameFullMotherTongue", aNewNameFullEng: "NewNameFullEng",
	aLocation: "Location", aGWNOLoc: "GWNOLoc",
}

func (r *ActorsReader) row(c *ingest.Cells) (ingest.Row, error) {
	if c.Err() != nil {
		return ingest.Row{Line: c.Line}, c.Err()
	}
	k := r.cols
	id := k.needCount(c, aActorID)
	name := k.needText(c, aNameData)
	org, _ := k.int(c, aOrg)
	changed, _ := k.int(c, aNameChange)
	var orig, neu [3]string
	for i := range orig {
		orig[i] = k.text(c, aNameOrig+i)
		neu[i] = k.text(c, aNewName+i)
	}
	location := k.text(c, aLocation)
	gwLoc := k.text(c, aGWNOLoc)
	if c.Err() != nil {
		return ingest.Row{Line: c.Line}, c.Err()
	}

	res := resolve(r.env.States, id, name, org)
	ident := armstrace.Identifier{Scheme: idScheme, Value: strconv.Itoa(id)}
	cite := r.env.Cite("id " + strconv.Itoa(id) + ", line " + strconv.Itoa(c.Line))
	names := actorNames(name, changed == 1, orig, neu)
	var e *armstrace.Entity
	if s := res.state; s != nil {
		if !r.emitted[s.ID] {
			r.emitted[s.ID] = true
			e = s.Entity()
		} else {
			// Another UCDP actor of a state already written: add only
			// what this row knows.
			e = &armstrace.Entity{ID: s.ID, Kind: armstrace.EntityState, Name: s.Name, Country: s.ISO2}
		}
		// UCDP's names of the government become the state's aliases,
		// except those that name another state: "Government of Soviet
		// Union", the former name of actor 57 (Russia), is the Soviet
		// Union's.
		for _, n := range append([]armstrace.Name{{Value: name, Kind: armstrace.NameAlias}}, names...) {
			if other, ok := r.env.States.ByName(n.Value); ok && other != s {
				continue
			}
			if !hasName(e, n.Value) {
				e.Aliases = append(e.Aliases, n)
			}
		}
		r.ResolvedStates++
	} else {
		e = &armstrace.Entity{ID: res.entity, Kind: res.kind, Name: name, Aliases: names}
		e.Country = r.homeCountry(gwLoc)
		d := "UCDP actor " + strconv.Itoa(id)
		if t, ok := orgText[org]; ok {
			d += ": " + t
		}
		d += "."
		if location != "" {
			d += " Location (UCDP): " + location + "."
		}
		e.Description = d
		if res.gov {
			r.unresolved[name] = true
			r.UnresolvedGovs++
		} else {
			r.Groups++
		}
	}
	e.Identifiers = append(e.Identifiers, ident)
	e.Citations = []armstrace.Citation{cite}
	r.Rows++
	return ingest.Row{Line: c.Line, Ops: []ingest.Op{{Mode: ingest.Merge, Record: e}}}, nil
}

// homeCountry returns the ISO code of an actor's one country of location
// (GWNOLoc, Gleditsch-Ward codes), "" when it has several or none known.
func (r *ActorsReader) homeCountry(gwLoc string) string {
	if gwLoc == "" || strings.Contains(gwLoc, ",") {
		return ""
	}
	gw, err := strconv.Atoi(strings.TrimSpace(gwLoc))
	if err != nil {
		return ""
	}
	if s, ok := r.env.States.ByGW(gw); ok {
		return s.ISO2
	}
	return ""
}

// actorNames returns an actor's other names, without its current name
// (NameData) and without repeats (ignoring case). Current names come
// first, so a name still in use is never marked former.
//
// With NameChange 1, the New* columns list the names the actor took, in
// order and separated by commas ("TQJBR, ISI, ISIS, IS" for IS): when
// NewName's last part is the current name, each New* column that has as
// many parts is split, its last part an alias and the others former
// names; a column that does not split evenly ("Movimiento 26, de Julio")
// is kept whole. The original names (NameOrig…) are then former names.
// Without a change they are aliases: NameOrigFull is the name in the
// actor's own language.
func actorNames(current string, changed bool, orig, neu [3]string) []armstrace.Name {
	seen := map[string]bool{strings.ToLower(current): true}
	var out []armstrace.Name
	add := func(v string, kind armstrace.NameKind) {
		v = strings.TrimSpace(v)
		if v == "" || seen[strings.ToLower(v)] {
			return
		}
		seen[strings.ToLower(v)] = true
		out = append(out, armstrace.Name{Value: v, Kind: kind})
	}
	addMixed := func(v string, kind armstrace.NameKind) {
		// "Луганская народная республика / Luganskaya narodnaya
		// respublika": a name and its transliteration.
		if a, b, ok := strings.Cut(v, " / "); ok && !strings.Contains(b, " / ") {
			sa, sb := armstrace.ScriptOf(a), armstrace.ScriptOf(b)
			if sa != "" && sb != "" && sa != sb {
				add(a, kind)
				if sb == "Latn" {
					add(b, armstrace.NameTransliteration)
				} else {
					add(b, kind)
				}
				return
			}
		}
		add(v, kind)
	}
	list := splitList(neu[0])
	sequence := changed && len(list) > 1 && strings.EqualFold(list[len(list)-1], current)
	for _, col := range neu {
		parts := splitList(col)
		if !sequence || len(parts) != len(list) {
			addMixed(col, armstrace.NameAlias)
			continue
		}
		last := len(parts) - 1
		addMixed(parts[last], armstrace.NameAlias)
		for _, p := range parts[:last] {
			addMixed(p, armstrace.NameFormer)
		}
	}
	kind := armstrace.NameAlias
	if changed {
		kind = armstrace.NameFormer
	}
	for _, v := range orig {
		addMixed(v, kind)
	}
	return out
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
