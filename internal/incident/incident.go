// Package incident clusters reports of the same incident from different
// datasets (UCDP GED, ACLED, native records) into one incident, so that a
// killing reported by two datasets is listed once with both reports and
// counted once. It is pure: it reads events and returns incidents, with
// no I/O, and every join carries the reasons for it.
//
// # When two reports are the same incident
//
// Two reports are compatible when all of these hold:
//
//   - Datasets. They come from different datasets: the part before ":" of
//     their external ids (of their id when they have none) differs.
//     A dataset has already de-duplicated its own rows, so two rows of
//     one dataset are two incidents. Options.MergeWithinDataset lifts
//     this rule.
//   - Days. Both are dated to a single day and the days are the same or
//     adjacent (MaxDayGap, 1): sources date a night attack, or a death
//     reported the next morning, a day apart. Aggregates (a total over a
//     period) and reports dated only to a few days, a week, a month or a
//     year are never clustered: each passes through as its own incident,
//     flagged with the reason (Incident.Unclustered).
//   - Place. The same country, and either both points are within
//     Options.DistanceKM (DefaultDistanceKM, 10 km, by haversine) when
//     both have coordinates of precision exact or near, or both name the
//     same admin-2 area (compared without case, punctuation and words
//     such as "district", so that GED's "Ar Rastan district" is ACLED's
//     "Ar Rastan"). Either suffices, except that two reports placed
//     exactly and further apart than the distance are two places, in the
//     same district or not: a district is tens of kilometres across, and
//     in a busy month holds several incidents a day. A report with
//     neither an admin-2 area nor an exact or near point passes through
//     unclustered.
//   - Type. The types are equal (ignoring case) or form a pair of the
//     compatibility table (typePairs): ACLED "Battles" with GED
//     "state-based conflict" and "non-state conflict", ACLED "Violence
//     against civilians" with GED "one-sided violence", ACLED
//     "Explosions/Remote violence" with all three GED types (GED files
//     shelling under whoever was targeted), and a few native words
//     (massacre, shelling, airstrike, battle, ceasefire violation). A type
//     outside the table is compatible only with itself.
//   - Actors. They share an actor entity, or one of them names no actor.
//     Datasets name actors differently (GED's "Government of Syria"
//     resolves to the state, ACLED's "Military Forces of Syria (2000-)" is
//     an ACLED actor), so Options.ActorAliases maps an actor to the
//     entity it stands for before comparing; the command fills it with
//     the state of each state armed force.
//
// # No chaining
//
// Compatibility is not transitive: A on Monday and C on Wednesday can
// each be compatible with B on Tuesday. Single-linkage (union-find) would
// chain them into one incident; here clustering is complete-linkage: a
// report joins an incident only when it is compatible with every report
// already in it. Reports are taken in a fixed order (day, then id), so
// the result does not depend on the order of the input, and a report
// joins the best of the incidents it fits (the smallest day gap, then the
// smallest distance, then the earliest incident).
//
// # An incident's figures
//
// Dates span the reports' dates. The place is the most precise report's
// (exact, near, admin-2, admin-1, country; coordinates first; then the
// smallest report id). Actors are the union. Fatalities: low is the
// smallest of the reports' lows (a report's best where it has no low),
// high the largest of their highs (or bests), and best the median of the
// reports' bests, the lower middle one when their number is even, so
// that best is always a figure a source gave and never overstates.
//
// Candidates are found through an index by day and admin-2 area and by
// day and grid cell (cells at least DistanceKM wide), so that clustering
// compares each report with the few reports near it in time and space.
package incident

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/armstrace/armstrace"
)

// MaxDayGap is the largest difference in days between two reports of one
// incident: the same day or the next.
const MaxDayGap = 1

// DefaultDistanceKM is how far apart two precisely placed reports of one
// incident may be.
const DefaultDistanceKM = 10.0

// earthRadiusKM is the mean radius used by haversine.
const earthRadiusKM = 6371.0088

// Options tune clustering. The zero value applies the documented rules.
type Options struct {
	// DistanceKM is the largest distance between two reports placed
	// exactly or near a point; 0 means DefaultDistanceKM, below 0 turns
	// the distance rule off (only admin-2 areas then join places).
	DistanceKM float64
	// MergeWithinDataset allows two reports of the same dataset to be one
	// incident. Off by default: datasets de-duplicate their own rows.
	MergeWithinDataset bool
	// ActorAliases maps an actor entity id to the entity it stands for
	// when actors are compared (a state's armed force to the state).
	ActorAliases map[string]string
}

func (o Options) distance() float64 {
	switch {
	case o.DistanceKM == 0:
		return DefaultDistanceKM
	case o.DistanceKM < 0:
		return 0
	}
	return o.DistanceKM
}

// Report is one source's report of an incident.
type Report struct {
	Event      string          `json:"event"`
	Dataset    string          `json:"dataset"`
	Title      string          `json:"title,omitempty"`
	Type       string          `json:"event_type"`
	Start      armstrace.Date  `json:"start"`
	End        armstrace.Date  `json:"end"`
	Place      string          `json:"place,omitempty"`
	Fatalities armstrace.Range `json:"fatalities"`
}

// Link says why two reports of an incident were taken for the same one.
type Link struct {
	A          string   `json:"a"` // event ids, A < B
	B          string   `json:"b"`
	DayGap     int      `json:"day_gap"`
	DistanceKM *float64 `json:"distance_km,omitempty"` // when both are placed precisely
	Admin2     string   `json:"admin2,omitempty"`      // the admin-2 area both name, as each names it
	Types      string   `json:"types"`                 // "Battles ~ state-based conflict"
	Actor      string   `json:"actor,omitempty"`       // a shared actor (after aliases)
	NoActors   string   `json:"no_actors,omitempty"`   // the report that names no actor
	Reason     string   `json:"reason"`                // all of the above in words
}

// Incident is one incident and the reports of it.
type Incident struct {
	ID         string                 `json:"id"`
	Reports    []Report               `json:"reports"`
	Datasets   []string               `json:"datasets"`
	Start      armstrace.Date         `json:"start"`
	End        armstrace.Date         `json:"end"`
	Place      armstrace.Place        `json:"place"`
	Actors     []armstrace.EventActor `json:"actors,omitempty"`
	Fatalities armstrace.Range        `json:"fatalities"`
	// Links explain the join of every pair of reports.
	Links []Link `json:"links,omitempty"`
	// Unclustered says why the report was never compared with others (an
	// aggregate, a date coarser than a day, no usable place); such an
	// incident may overlap incidents of other datasets.
	Unclustered string `json:"unclustered,omitempty"`
}

// MultiSource reports whether the incident has reports from more than one
// dataset.
func (in *Incident) MultiSource() bool { return len(in.Datasets) > 1 }

// report is an event prepared for comparison.
type report struct {
	ev       *armstrace.Event
	datasets []string
	day      int // days since 1970-01-01 of Start
	endDay   int
	country  string
	area     string // admin-2 key
	lat, lon float64
	precise  bool
	typ      string // lower-cased type
	actors   []string
	alone    string // why it is never clustered
}

// Dataset returns the dataset of an id: the part before its first ":".
func Dataset(id string) string {
	if i := strings.IndexByte(id, ':'); i > 0 {
		return id[:i]
	}
	return id
}

func prepare(e *armstrace.Event, o Options) *report {
	r := &report{ev: e, country: e.Place.Country, typ: strings.ToLower(strings.TrimSpace(e.Type))}
	for _, x := range e.ExternalIDs {
		r.datasets = append(r.datasets, Dataset(x))
	}
	if len(r.datasets) == 0 {
		r.datasets = []string{Dataset(e.ID)}
	}
	slices.Sort(r.datasets)
	r.datasets = slices.Compact(r.datasets)
	var okS, okE bool
	r.day, okS = dayNumber(e.Start)
	r.endDay, okE = dayNumber(e.End)
	r.area = areaKey(e.Place.Admin2)
	if e.Place.Lat != nil && e.Place.Lon != nil && (e.Place.Precision == armstrace.GeoExact || e.Place.Precision == armstrace.GeoNear) {
		r.lat, r.lon, r.precise = *e.Place.Lat, *e.Place.Lon, true
	}
	for _, a := range e.Actors {
		id := a.Entity
		if to, ok := o.ActorAliases[id]; ok && to != "" {
			id = to
		}
		r.actors = append(r.actors, id)
	}
	slices.Sort(r.actors)
	r.actors = slices.Compact(r.actors)
	switch {
	case e.Aggregate:
		r.alone = fmt.Sprintf("an aggregate: a total over %s..%s, never dated to one day", e.Start, e.End)
	case !okS || !okE:
		r.alone = "no day date"
	case e.Precision != armstrace.PrecisionDay || r.day != r.endDay:
		p := string(e.Precision)
		if p == "" {
			p = "unknown"
		}
		r.alone = fmt.Sprintf("dated only within %s..%s (precision %s), not to one day", e.Start, e.End, p)
	case r.area == "" && !(r.precise && o.distance() > 0):
		r.alone = "no admin-2 area and no exact or near coordinates to compare places by"
	}
	return r
}

func dayNumber(d armstrace.Date) (int, bool) {
	if !d.IsDay() {
		return 0, false
	}
	t, err := time.Parse("2006-01-02", string(d))
	if err != nil {
		return 0, false
	}
	return int(t.Unix() / 86400), true
}

// areaNoise are words that datasets add to admin-area names.
var areaNoise = map[string]bool{
	"district": true, "governorate": true, "province": true, "subdistrict": true,
	"nahiya": true, "mantiqa": true, "mantiqat": true, "muhafazat": true, "region": true,
}

// areaKey folds an admin-area name: lower case, letters and digits only,
// words such as "district" dropped. "Ar Rastan district" and "Ar-Rastan"
// are both "arrastan".
func areaKey(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '_' || r == '/' || r == ','
	}) {
		var wb strings.Builder
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				wb.WriteRune(r)
			}
		}
		if ww := wb.String(); !areaNoise[ww] && ww != "sub" {
			b.WriteString(ww)
		}
	}
	return b.String()
}

// haversine returns the great-circle distance in km.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(a)))
}

// compatible reports whether a and b may be reports of one incident, and
// why.
func compatible(a, b *report, o Options) (Link, bool) {
	var l Link
	if !o.MergeWithinDataset && intersects(a.datasets, b.datasets) {
		return l, false
	}
	gap := a.day - b.day
	if gap < 0 {
		gap = -gap
	}
	if gap > MaxDayGap || a.country != b.country {
		return l, false
	}
	l.DayGap = gap
	placed := false
	if d := o.distance(); d > 0 && a.precise && b.precise {
		km := haversine(a.lat, a.lon, b.lat, b.lon)
		if km <= d {
			l.DistanceKM = &km
			placed = true
		}
	}
	// Two exact points are better evidence than a district's name: when
	// both are exact and too far apart, the same district does not join
	// them.
	bothExact := a.precise && b.precise && a.ev.Place.Precision == armstrace.GeoExact && b.ev.Place.Precision == armstrace.GeoExact
	if a.area != "" && a.area == b.area && !(bothExact && o.distance() > 0 && !placed) {
		l.Admin2 = a.ev.Place.Admin2
		if b.ev.Place.Admin2 != l.Admin2 {
			l.Admin2 += " / " + b.ev.Place.Admin2
		}
		placed = true
	}
	if !placed {
		return l, false
	}
	types, ok := typesCompatible(a.typ, b.typ)
	if !ok {
		return l, false
	}
	l.Types = a.ev.Type + " ~ " + b.ev.Type
	if types == "same" {
		l.Types = "both " + a.ev.Type
	}
	switch {
	case len(a.actors) == 0:
		l.NoActors = a.ev.ID
	case len(b.actors) == 0:
		l.NoActors = b.ev.ID
	default:
		l.Actor = shared(a.actors, b.actors)
		if l.Actor == "" {
			return l, false
		}
	}
	l.A, l.B = a.ev.ID, b.ev.ID
	if l.B < l.A {
		l.A, l.B = l.B, l.A
	}
	l.Reason = reason(l)
	return l, true
}

func reason(l Link) string {
	var parts []string
	switch l.DayGap {
	case 0:
		parts = append(parts, "same day")
	default:
		parts = append(parts, fmt.Sprintf("%d day apart", l.DayGap))
	}
	if l.DistanceKM != nil {
		parts = append(parts, fmt.Sprintf("%.1f km apart", *l.DistanceKM))
	}
	if l.Admin2 != "" {
		parts = append(parts, "same admin-2 area ("+l.Admin2+")")
	}
	parts = append(parts, "types "+l.Types)
	if l.Actor != "" {
		parts = append(parts, "shared actor "+l.Actor)
	} else {
		parts = append(parts, l.NoActors+" names no actor")
	}
	return l.A + " and " + l.B + ": " + strings.Join(parts, "; ")
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// shared returns the first id in both sorted lists, or "".
func shared(a, b []string) string {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			return a[i]
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return ""
}

// Cluster groups events into incidents. Every event is in exactly one
// incident. Incidents come in date order (start, end, id).
func Cluster(events []*armstrace.Event, opts Options) []Incident {
	rs := make([]*report, 0, len(events))
	for _, e := range events {
		if e != nil {
			rs = append(rs, prepare(e, opts))
		}
	}
	// A fixed order, whatever the input's: the result is deterministic.
	slices.SortFunc(rs, func(a, b *report) int {
		if c := cmp.Compare(a.day, b.day); c != 0 {
			return c
		}
		return strings.Compare(a.ev.ID, b.ev.ID)
	})
	ix := newIndex(opts.distance())
	var groups [][]*report
	seen := []int{} // seen[g] == stamp when group g was already tried for this report
	for n, r := range rs {
		if r.alone != "" {
			groups = append(groups, []*report{r})
			seen = append(seen, -1)
			continue
		}
		best, bestGap, bestKM := -1, 0, 0.0
		ix.candidates(r, func(g int) {
			if seen[g] == n {
				return
			}
			seen[g] = n
			maxGap, maxKM := 0, 0.0
			for _, m := range groups[g] {
				l, ok := compatible(r, m, opts)
				if !ok {
					return
				}
				maxGap = max(maxGap, l.DayGap)
				km := opts.distance()
				if l.DistanceKM != nil {
					km = *l.DistanceKM
				}
				maxKM = max(maxKM, km)
			}
			if best < 0 || maxGap < bestGap || maxGap == bestGap && (maxKM < bestKM || maxKM == bestKM && g < best) {
				best, bestGap, bestKM = g, maxGap, maxKM
			}
		})
		if best < 0 {
			best = len(groups)
			groups = append(groups, nil)
			seen = append(seen, n)
		}
		groups[best] = append(groups[best], r)
		ix.add(r, best)
	}
	out := make([]Incident, 0, len(groups))
	for _, g := range groups {
		out = append(out, build(g, opts))
	}
	slices.SortFunc(out, func(a, b Incident) int {
		return cmp.Or(strings.Compare(string(a.Start), string(b.Start)), strings.Compare(string(a.End), string(b.End)), strings.Compare(a.ID, b.ID))
	})
	return out
}

// build makes an incident of a group of pairwise compatible reports.
func build(g []*report, o Options) Incident {
	slices.SortFunc(g, func(a, b *report) int { return strings.Compare(a.ev.ID, b.ev.ID) })
	in := Incident{Unclustered: g[0].alone}
	h := sha256.New()
	var dsets []string
	for i, r := range g {
		e := r.ev
		h.Write([]byte(e.ID))
		h.Write([]byte{'\n'})
		in.Reports = append(in.Reports, Report{
			Event: e.ID, Dataset: strings.Join(r.datasets, "+"), Title: e.Title, Type: e.Type,
			Start: e.Start, End: e.End, Place: placeName(e.Place), Fatalities: e.Fatalities,
		})
		dsets = append(dsets, r.datasets...)
		if in.Start == "" || e.Start < in.Start {
			in.Start = e.Start
		}
		if e.End > in.End {
			in.End = e.End
		}
		for _, a := range e.Actors {
			if !slices.Contains(in.Actors, a) {
				in.Actors = append(in.Actors, a)
			}
		}
		for _, m := range g[:i] {
			if l, ok := compatible(m, r, o); ok {
				in.Links = append(in.Links, l)
			}
		}
	}
	in.ID = "inc:" + hex.EncodeToString(h.Sum(nil))[:16]
	slices.Sort(dsets)
	in.Datasets = slices.Compact(dsets)
	slices.SortFunc(in.Actors, func(a, b armstrace.EventActor) int {
		return cmp.Or(strings.Compare(a.Entity, b.Entity), strings.Compare(string(a.Role), string(b.Role)))
	})
	in.Place = mostPrecise(g).Place
	in.Fatalities = Merge(reportRanges(g))
	return in
}

func reportRanges(g []*report) []armstrace.Range {
	rs := make([]armstrace.Range, len(g))
	for i, r := range g {
		rs[i] = r.ev.Fatalities
	}
	return rs
}

var geoRank = map[armstrace.GeoPrecision]int{
	armstrace.GeoExact: 5, armstrace.GeoNear: 4, armstrace.GeoAdmin2: 3, armstrace.GeoAdmin1: 2, armstrace.GeoCountry: 1,
}

// mostPrecise returns the event placed most precisely; g is sorted by id.
func mostPrecise(g []*report) *armstrace.Event {
	best := g[0].ev
	score := func(e *armstrace.Event) int {
		s := geoRank[e.Place.Precision] * 2
		if e.Place.Lat != nil {
			s++
		}
		return s
	}
	for _, r := range g[1:] {
		if score(r.ev) > score(best) {
			best = r.ev
		}
	}
	return best
}

// Blur blurs the protected places of incidents clustered from events,
// for readers who may not see them exactly (armstrace.Place.Blurred): the
// clustering itself used the exact points. events are those clustered.
func Blur(ins []Incident, events []*armstrace.Event) {
	protected := map[string]armstrace.Place{}
	for _, e := range events {
		if e.Place.Protected {
			protected[e.ID] = e.Place.Blurred()
		}
	}
	if len(protected) == 0 {
		return
	}
	for i := range ins {
		in := &ins[i]
		in.Place = in.Place.Blurred()
		for j := range in.Reports {
			if p, ok := protected[in.Reports[j].Event]; ok {
				in.Reports[j].Place = placeName(p)
			}
		}
	}
}

func placeName(p armstrace.Place) string {
	var parts []string
	for _, s := range []string{p.Name, p.Admin2, p.Admin1, p.Country} {
		if s != "" && !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Merge combines several sources' figures for one incident: low is the
// smallest low (or best), high the largest high (or best), best the
// median of the bests, the lower middle one for an even number. Ranges
// without any figure are left out; none at all gives the zero Range.
func Merge(rs []armstrace.Range) armstrace.Range {
	var out armstrace.Range
	var bests []float64
	unit := ""
	for _, r := range rs {
		if r.IsZero() {
			continue
		}
		if unit == "" {
			unit = r.Unit
		}
		lo := cmp.Or(r.Low, r.Best, r.High)
		hi := cmp.Or(r.High, r.Best, r.Low)
		if out.Low == nil || *lo < *out.Low {
			out.Low = armstrace.Num(*lo)
		}
		if out.High == nil || *hi > *out.High {
			out.High = armstrace.Num(*hi)
		}
		if r.Best != nil {
			bests = append(bests, *r.Best)
		}
	}
	if len(bests) > 0 {
		slices.Sort(bests)
		out.Best = armstrace.Num(bests[(len(bests)-1)/2])
	}
	out.Unit = unit
	return out
}

// Total sums the fatalities of incidents, each incident once however many
// reports it has: low sums the lows, best the bests (an incident's low
// where it has no best), high the highs. Incidents without figures add
// nothing.
func Total(incidents []Incident) armstrace.Range {
	var lo, best, hi float64
	some := false
	unit := ""
	for i := range incidents {
		f := incidents[i].Fatalities
		if f.IsZero() {
			continue
		}
		some = true
		if unit == "" {
			unit = f.Unit
		}
		lo += *cmp.Or(f.Low, f.Best, f.High)
		best += *cmp.Or(f.Best, f.Low, f.High)
		hi += *cmp.Or(f.High, f.Best, f.Low)
	}
	if !some {
		return armstrace.Range{}
	}
	return armstrace.Range{Low: armstrace.Num(lo), Best: armstrace.Num(best), High: armstrace.Num(hi), Unit: unit}
}
