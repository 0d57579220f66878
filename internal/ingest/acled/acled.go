// Package acled reads ACLED (Armed Conflict Location & Event Data) event
// exports: the CSV that the ACLED API and data export tool write, one
// event per row, with the codebook's columns (event_id_cnty, event_date,
// time_precision, event_type, actor1, inter1, …, fatalities). Older
// exports with event_id_no_cnty, data_id or iso3, and the 2024 exports
// that write actor types as words ("State forces") instead of inter codes,
// read too: only the columns used are required.
//
// What the reader decides, and why:
//
//   - Dates. time_precision 1 is the actual day. For 2 the source gave only
//     the week (or weekend) and 3 only the month, and ACLED records a day
//     inside that period. Start and End bound the days the event may have
//     happened on, so a week-precise event spans the seven days centred on
//     ACLED's date (date−3 … date+3), and a month-precise one its calendar
//     month; event_date itself stays in the description. Keeping
//     Start=End=event_date with a coarser precision would also validate,
//     but would tell every window query that the event happened on a day
//     the source never gave.
//   - Places. geo_precision 1 is the named place (exact), 2 near it (a
//     part of a region or a nearby town: near), 3 a larger region for
//     which ACLED takes the provincial capital (admin1: the coarsest
//     reading, so that no finer place is claimed than the source gave).
//   - Actors are entities of their own, "acled-actor:<slug of name>",
//     written with Merge once per import. Their kind follows the inter
//     code: state forces (1) are armed_force, rebels and political and
//     identity militias (2, 3, 4) armed_group, external/other forces (8)
//     armed_force when named "Military Forces of X" or "Police Forces of
//     X" and armed_group otherwise. Rioters, protesters and civilians (5,
//     6, 7) are crowds or victims, not organised actors: they are not made
//     entities, and their names stay in the event's description. A state
//     force is not folded into its state: ACLED's "Military Forces of
//     Syria (2000-)" is one actor across time, and the link to the state
//     is its country.
//   - Roles. In violence against civilians (event_type, or any event with
//     civilian_targeting set) actor1 is the perpetrator and actor2 the
//     target; otherwise ACLED implies no direction and both are parties.
//   - Fatalities. ACLED gives one conservative figure: it is both the best
//     and the low bound, with no high bound. An empty cell stays missing.
//   - Countries resolve by name through the curated states table (ACLED's
//     iso column is ISO 3166 numeric, which the table does not hold). A
//     country name that does not resolve leaves place.country empty, is
//     named in the description and is reported by Unresolved.
package acled

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// Format reads an ACLED event export.
var Format = ingest.Format{
	Name:    "acled",
	Summary: "ACLED event export (CSV, codebook columns): one event per row, actors as entities",
	Open:    open,
}

// required are the columns without which a row means nothing.
var required = []string{"event_id_cnty", "event_date", "time_precision", "event_type", "actor1", "country"}

// quoteLen bounds the part of notes quoted in the citation, in runes.
const quoteLen = 200

type reader struct {
	env        *ingest.Env
	t          *ingest.Table
	emitted    map[string]bool // actor entity ids written in this import
	unresolved map[string]bool
}

// Unresolved returns the country names (of events, or of "Military Forces
// of X" actors) that the states table did not resolve, sorted.
func (r *reader) Unresolved() []string {
	return ingest.Sorted(r.unresolved)
}

func open(in io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	t, err := ingest.NewTable(in, ingest.TableOptions{IsHeader: ingest.HeaderHas("event_id_cnty"), MaxPreamble: 5})
	if err != nil {
		return nil, ingest.Dataset{}, err
	}
	if err := t.Require(required...); err != nil {
		return nil, ingest.Dataset{}, err
	}
	if env == nil || env.States == nil {
		return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINTERNAL, Message: "acled: no states table in the environment"}
	}
	r := &reader{env: env, t: t, emitted: map[string]bool{}, unresolved: map[string]bool{}}
	return r, ingest.Dataset{
		Name:      "ACLED: Armed Conflict Location & Event Data",
		Publisher: "Armed Conflict Location & Event Data (ACLED)",
		URL:       "https://acleddata.com/",
		License:   "ACLED Terms of Use: attribution required; ACLED's raw data may not be redistributed",
	}, nil
}

// Next maps the next row: the actor entities it names for the first time
// (Merge), then its event (Put).
func (r *reader) Next() (ingest.Row, error) {
	c, err := r.t.Next()
	if err != nil {
		return ingest.Row{}, err
	}
	return r.row(c)
}

func (r *reader) row(c *ingest.Cells) (ingest.Row, error) {
	if err := c.Err(); err != nil {
		return ingest.Row{}, err
	}
	id := c.Need("event_id_cnty")
	if id != "" && !armstrace.ValidID("acled:"+id) {
		c.Fail("event_id_cnty", "%q cannot be part of an id (letters, digits and ._:/@+- only)", id)
	}
	day := r.date(c)
	if y, ok := c.Int("year"); ok && day != "" && strconv.Itoa(y) != string(day[:4]) {
		c.Fail("year", "%d does not match event_date %s", y, day)
	}
	ev := &armstrace.Event{
		ID:          "acled:" + id,
		Type:        clean(c.Need("event_type")),
		Subtype:     str(c, "sub_event_type"),
		ExternalIDs: []string{"acled:" + id},
	}
	r.dates(c, ev, day)
	r.place(c, ev)
	if f := c.Float("fatalities"); f != nil {
		switch {
		case *f < 0:
			c.Fail("fatalities", "%v is below zero", *f)
		case *f != math.Trunc(*f):
			c.Fail("fatalities", "%v is not a whole number of people", *f)
		default:
			ev.Fatalities = armstrace.Range{Low: armstrace.Num(*f), Best: armstrace.Num(*f), Unit: "people"}
		}
	}
	targeting := c.Str("civilian_targeting") != "" || strings.EqualFold(ev.Type, "Violence against civilians")
	a1 := r.actor(c, "actor1", "inter1")
	a2 := r.actor(c, "actor2", "inter2")
	if err := c.Err(); err != nil {
		return ingest.Row{}, err
	}

	locator := fmt.Sprintf("event_id_cnty %s, line %d", id, c.Line)
	if src := str(c, "source"); src != "" {
		locator += "; sources: " + src
	}
	cite := r.env.Cite(locator)
	cite.Quote = clip(clean(c.Str("notes")), quoteLen)
	ev.Citations = []armstrace.Citation{cite}
	ev.Title = title(c, ev)
	ev.Description = r.describe(c, day)

	var ops []ingest.Op
	for i, a := range []*actor{a1, a2} {
		if a == nil || a.entity == nil {
			continue
		}
		role := armstrace.RoleParty
		if targeting {
			role = armstrace.RolePerpetrator
			if i == 1 {
				role = armstrace.RoleTarget
			}
		}
		ev.Actors = append(ev.Actors, armstrace.EventActor{Entity: a.entity.ID, Role: role})
		if !r.emitted[a.entity.ID] {
			a.entity.Citations = []armstrace.Citation{r.env.Cite(locator)}
			ops = append(ops, ingest.Op{Mode: ingest.Merge, Record: a.entity})
		}
	}
	ops = append(ops, ingest.Op{Mode: ingest.Put, Record: ev})
	// A last check, so that a row either maps wholly to valid records or
	// is one row error: nothing invalid reaches the importer.
	for _, op := range ops {
		op.Record.Normalize()
		if err := op.Record.Validate(); err != nil {
			field := ""
			var ae *armstrace.Error
			if errors.As(err, &ae) && ae.Field != "" {
				field = string(op.Record.RecordType()) + "." + ae.Field
			}
			c.Fail(field, "the row maps to an invalid %s: %s", op.Record.RecordType(), armstrace.ErrorMessage(err))
			return ingest.Row{}, c.Err()
		}
	}
	for _, op := range ops {
		if e, ok := op.Record.(*armstrace.Entity); ok {
			r.emitted[e.ID] = true
		}
	}
	return ingest.Row{Line: c.Line, Ops: ops}, nil
}

// date reads event_date as "2012-04-12" (API exports, also with a time
// after it), "12 April 2012" or "12-April-2012" (older downloads).
func (r *reader) date(c *ingest.Cells) armstrace.Date {
	s := c.Str("event_date")
	if s == "" {
		c.Fail("event_date", "required, but empty")
		return ""
	}
	var t time.Time
	var err error
	switch {
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		d := s[:10]
		if len(s) > 10 && s[10] != ' ' && s[10] != 'T' {
			err = fmt.Errorf("trailing text")
			break
		}
		t, err = time.Parse("2006-01-02", d)
	case strings.Contains(s, " "):
		t, err = time.Parse("2 January 2006", s)
	default:
		t, err = time.Parse("2-January-2006", s)
	}
	if err != nil {
		c.Fail("event_date", "%q is not a date: want 2012-04-12, 12 April 2012 or 12-April-2012", s)
		return ""
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		c.Fail("event_date", "%q is not a plausible date", s)
		return ""
	}
	return armstrace.Date(t.Format("2006-01-02"))
}

// dates sets Start, End and Precision from time_precision.
func (r *reader) dates(c *ingest.Cells, ev *armstrace.Event, day armstrace.Date) {
	p, ok := c.Int("time_precision")
	if !ok {
		if c.Err() == nil {
			c.Fail("time_precision", "required, but empty")
		}
		return
	}
	if day == "" {
		return
	}
	t, _ := time.Parse("2006-01-02", string(day))
	f := func(t time.Time) armstrace.Date { return armstrace.Date(t.Format("2006-01-02")) }
	switch p {
	case 1:
		ev.Start, ev.End, ev.Precision = day, day, armstrace.PrecisionDay
	case 2:
		ev.Start, ev.End, ev.Precision = f(t.AddDate(0, 0, -3)), f(t.AddDate(0, 0, 3)), armstrace.PrecisionWeek
	case 3:
		m := armstrace.Date(day[:7])
		ev.Start, ev.End, ev.Precision = m.First(), m.Last(), armstrace.PrecisionMonth
	default:
		c.Fail("time_precision", "%d is not an ACLED time precision (1 day, 2 week, 3 month)", p)
	}
}

func (r *reader) place(c *ingest.Cells, ev *armstrace.Event) {
	pl := armstrace.Place{
		Name:   str(c, "location"),
		Admin1: str(c, "admin1"),
		Admin2: str(c, "admin2"),
		Admin3: str(c, "admin3"),
	}
	if name := c.Need("country"); name != "" {
		if st, ok := r.env.States.ByName(name); ok {
			pl.Country = st.ISO2
		} else {
			r.unresolved[name] = true
		}
	}
	lat, lon := c.Float("latitude"), c.Float("longitude")
	switch {
	case (lat == nil) != (lon == nil):
		field := "latitude"
		if lat != nil {
			field = "longitude"
		}
		c.Fail(field, "required when the other coordinate is given")
	case lat != nil && !(*lat >= -90 && *lat <= 90):
		c.Fail("latitude", "%v is outside -90..90", *lat)
	case lon != nil && !(*lon >= -180 && *lon <= 180):
		c.Fail("longitude", "%v is outside -180..180", *lon)
	default:
		pl.Lat, pl.Lon = lat, lon
	}
	if g, ok := c.Int("geo_precision"); ok {
		switch g {
		case 1:
			pl.Precision = armstrace.GeoExact
		case 2:
			pl.Precision = armstrace.GeoNear
		case 3:
			pl.Precision = armstrace.GeoAdmin1
		default:
			c.Fail("geo_precision", "%d is not an ACLED geo precision (1, 2 or 3)", g)
		}
	}
	ev.Place = pl
}

// actor is an event's actor: its entity, or nil for crowds and civilians.
type actor struct {
	entity *armstrace.Entity
}

// ACLED's actor types, by inter code; since 2024 exports write the words.
var interNames = map[string]int{
	"state forces": 1, "rebel group": 2, "rebel groups": 2, "political militia": 3, "political militias": 3,
	"identity militia": 4, "identity militias": 4, "rioters": 5, "protesters": 6, "civilians": 7,
	"external/other forces": 8, "external/other force": 8,
}

var interLabels = map[int]string{1: "state forces", 2: "rebel group", 3: "political militia", 4: "identity militia", 5: "rioters", 6: "protesters", 7: "civilians", 8: "external/other forces"}

func (r *reader) actor(c *ingest.Cells, nameCol, interCol string) *actor {
	name := clean(c.Str(nameCol))
	inter := 0
	if s := c.Str(interCol); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			inter = n
		} else if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 100 {
			inter = int(f)
		} else if n, ok := interNames[strings.ToLower(s)]; ok {
			inter = n
		} else {
			c.Fail(interCol, "%q is not an ACLED actor type (1–8, or its name such as \"State forces\")", s)
			return nil
		}
		if inter < 0 || inter > 8 {
			c.Fail(interCol, "%d is not an ACLED inter code (0–8)", inter)
			return nil
		}
	}
	if name == "" {
		if nameCol == "actor1" {
			c.Fail(nameCol, "required, but empty")
		}
		return nil
	}
	lower := strings.ToLower(name)
	if inter == 0 { // not given: judge by ACLED's naming conventions
		switch {
		case forcesOf(name) != "":
			inter = 1
		case strings.HasPrefix(lower, "civilians"):
			inter = 7
		case strings.HasPrefix(lower, "protesters"):
			inter = 6
		case strings.HasPrefix(lower, "rioters"):
			inter = 5
		}
	}
	var kind armstrace.EntityKind
	switch inter {
	case 5, 6, 7:
		return &actor{}
	case 1:
		kind = armstrace.EntityArmedForce
	case 8:
		kind = armstrace.EntityArmedGroup
		if forcesOf(name) != "" {
			kind = armstrace.EntityArmedForce
		}
	default:
		kind = armstrace.EntityArmedGroup
	}
	slug := ingest.Slug(name)
	if slug == "" {
		slug = "x-" + digest(name)
	}
	e := &armstrace.Entity{ID: clipID("acled-actor:", slug, name), Kind: kind, Name: name}
	if x := forcesOf(name); x != "" {
		if st, ok := r.env.States.ByName(x); ok {
			e.Country = st.ISO2
		} else {
			r.unresolved[x] = true
		}
	} else if i := strings.LastIndex(name, "("); i > 0 && strings.HasSuffix(name, ")") {
		// "Islamic State (Syria)": the country it operates in.
		if st, ok := r.env.States.ByName(name[i+1 : len(name)-1]); ok {
			e.Country = st.ISO2
		}
	}
	if inter == 1 && e.Country == "" {
		if st, ok := r.env.States.ByName(c.Str("country")); ok {
			e.Country = st.ISO2
		}
	}
	if inter != 0 {
		e.Description = fmt.Sprintf("ACLED actor (inter code %d: %s)", inter, interLabels[inter])
	} else {
		e.Description = "ACLED actor"
	}
	return &actor{entity: e}
}

// forcesOf returns X of "Military Forces of X (2000-)" or "Police Forces
// of X", or "".
func forcesOf(name string) string {
	for _, p := range []string{"Military Forces of ", "Police Forces of "} {
		if rest, ok := cutPrefixFold(name, p); ok {
			if i := strings.Index(rest, " ("); i > 0 {
				rest = rest[:i]
			}
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func title(c *ingest.Cells, ev *armstrace.Event) string {
	what := ev.Subtype
	if what == "" {
		what = ev.Type
	}
	where := ev.Place.Name
	if country := c.Str("country"); country != "" {
		if where != "" {
			where += ", "
		}
		where += country
	}
	if where == "" {
		return clean(what)
	}
	return clean(what + " in " + where)
}

// describe keeps ACLED's notes and what the records do not hold: the
// actors as ACLED names them (crowds and civilians are no entities), the
// event date as coded, and an unresolved country.
func (r *reader) describe(c *ingest.Cells, day armstrace.Date) string {
	var parts []string
	if n := c.Str("notes"); n != "" {
		parts = append(parts, n)
	}
	var facts []string
	add := func(label, col string) {
		if v := str(c, col); v != "" {
			facts = append(facts, label+": "+v)
		}
	}
	add("Actor 1", "actor1")
	add("associated with actor 1", "assoc_actor_1")
	add("actor 2", "actor2")
	add("associated with actor 2", "assoc_actor_2")
	add("interaction", "interaction")
	add("disorder type", "disorder_type")
	add("civilian targeting", "civilian_targeting")
	if p := c.Str("time_precision"); p != "" {
		facts = append(facts, fmt.Sprintf("event_date %s (time_precision %s)", day, p))
	}
	if country := c.Str("country"); country != "" {
		if _, ok := r.env.States.ByName(country); !ok {
			facts = append(facts, "country (not in the states table): "+country)
		}
	}
	add("source scale", "source_scale")
	add("tags", "tags")
	add("ACLED timestamp", "timestamp")
	if len(facts) > 0 {
		parts = append(parts, "ACLED coding. "+strings.Join(facts, "; ")+".")
	}
	return clean(strings.Join(parts, "\n\n"))
}

// str returns a cell as clean text.
func str(c *ingest.Cells, col string) string { return clean(c.Str(col)) }

// clean replaces the control characters armstrace's text rule refuses
// with spaces, so that a stray one in free text does not lose the event.
func clean(s string) string {
	if !strings.ContainsFunc(s, bad) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return ' '
		}
		return r
	}, s)
}

func bad(r rune) bool { return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f }

// clip cuts s to at most n runes, at a word boundary where one is near,
// marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for j := range s {
		if k == n {
			i = j
			break
		}
		k++
	}
	cut := s[:i]
	if sp := strings.LastIndexAny(cut, " \t\n"); sp > len(cut)/2 {
		cut = cut[:sp]
	}
	return strings.TrimSpace(cut) + "…"
}

// clipID returns prefix+slug within armstrace's 128-character id limit,
// replacing the tail of a long slug with a digest of the full name so that
// two long names that share a beginning stay apart.
func clipID(prefix, slug, name string) string {
	const max = 128
	if utf8.RuneCountInString(prefix+slug) <= max {
		return prefix + slug
	}
	d := digest(name)
	keep := max - utf8.RuneCountInString(prefix) - len(d) - 1
	rs := []rune(slug)[:keep]
	return prefix + strings.TrimRight(string(rs), "-") + "-" + d
}

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}
