package ucdp

import (
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// GEDFormat reads the UCDP Georeferenced Event Dataset as CSV: the global
// releases (GEDEvent_v22_1.csv and the like) and country releases such as
// the Syria file (ged_syria_652.1601.1911_….csv). One row is one event.
var GEDFormat = ingest.Format{
	Name:    "ucdp-ged",
	Summary: "UCDP Georeferenced Event Dataset (GED) CSV, global or country release: one event per row",
	Open:    openGED,
}

const gedName = "UCDP Georeferenced Event Dataset (GED)"

// gedRequired are the columns a GED file must have. The others (places,
// sources, per-side deaths) are read when present.
var gedRequired = []string{
	"id", "type_of_violence", "side_a_new_id", "side_a", "side_b_new_id", "side_b",
	"date_start", "date_end", "date_prec", "event_clarity", "best",
}

func openGED(r io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	if env == nil || env.States == nil {
		return nil, ingest.Dataset{}, errors.New("ucdp-ged: no environment with a states table")
	}
	t, err := ingest.NewTable(r, ingest.TableOptions{IsHeader: isGEDHeader})
	if err != nil {
		return nil, ingest.Dataset{}, err
	}
	if err := t.Require(gedRequired...); err != nil {
		return nil, ingest.Dataset{}, err
	}
	ds := ingest.Dataset{Name: gedName, Publisher: publisher, Version: gedVersion(env.File), URL: url, License: license}
	return &GEDReader{
		t:          t,
		env:        env,
		actors:     map[actorKey]resolution{},
		countries:  map[int]string{},
		unresolved: nameSet{},
		cols:       newColumns(t, gedColumns),
	}, ds, nil
}

func isGEDHeader(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) == "type_of_violence" {
			return true
		}
	}
	return false
}

// GED file names that carry the release: "ged_syria_652.1601.1911_…"
// (a country release), "GEDEvent_v22_1.csv", "ged191.csv".
var (
	gedCountryFile = regexp.MustCompile(`^ged_[a-z]+_(\d+(?:\.\d+)+)`)
	gedEventFile   = regexp.MustCompile(`^gedevent_v(\d+)_(\d+)`)
	gedShortFile   = regexp.MustCompile(`^ged(\d\d)(\d)(?:[^0-9]|$)`)
)

// gedVersion reads the release from a GED file's name, "" when it does not
// say: the CSV itself carries no version.
func gedVersion(file string) string {
	base := strings.ToLower(filepath.Base(strings.ReplaceAll(file, `\`, "/")))
	if m := gedCountryFile.FindStringSubmatch(base); m != nil {
		return m[1]
	}
	if m := gedEventFile.FindStringSubmatch(base); m != nil {
		return m[1] + "." + m[2]
	}
	if m := gedShortFile.FindStringSubmatch(base); m != nil {
		return m[1] + "." + m[2]
	}
	return ""
}

// GEDReader reads the rows of a GED file. Each row gives the event, after
// the entities of its sides the first time this import meets them.
type GEDReader struct {
	t          *ingest.Table
	env        *ingest.Env
	actors     map[actorKey]resolution // actors met, by id and name as written
	countries  map[int]string          // GW code → ISO 3166 alpha-2, "" when unknown
	unresolved nameSet
	cols       columns
	buf        []byte

	// Counts of what the rows held, for Warnings and for tests.
	Rows            int     // good rows read
	Aggregates      int     // rows UCDP marks as aggregates (event_clarity 2)
	AggregateDeaths float64 // best deaths in those rows
	Deaths          float64 // best deaths in all rows
	Reordered       int     // rows whose low, best and high were out of order
	Coarsened       int     // rows dated to the day over several days
}

type actorKey struct {
	id   int
	name string
}

// Unresolved returns the governments and countries that the states table
// did not resolve, sorted.
func (r *GEDReader) Unresolved() []string { return r.unresolved.sorted() }

// Warnings says what the reader changed to keep the records valid.
func (r *GEDReader) Warnings() []string {
	var w []string
	if r.Reordered > 0 {
		w = append(w, strconv.Itoa(r.Reordered)+" row(s) give low, best and high deaths out of order; their ranges keep best and drop the bound that contradicts it, and their descriptions give UCDP's three figures")
	}
	if r.Coarsened > 0 {
		w = append(w, strconv.Itoa(r.Coarsened)+" row(s) say date_prec 1 (exact day) but span several days; their precision follows the span")
	}
	return w
}

// The event types, by type_of_violence, in UCDP's words.
var violenceTypes = [...]string{1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}

// Date precision by date_prec, as the GED codebook defines it: 1 the
// exact day, 2 within 2 to 6 days, 3 within a week, 4 within a month,
// 5 within a year.
var datePrecisions = [...]armstrace.DatePrecision{
	1: armstrace.PrecisionDay, 2: armstrace.PrecisionDays, 3: armstrace.PrecisionWeek,
	4: armstrace.PrecisionMonth, 5: armstrace.PrecisionYear,
}

// geoPrecision maps where_prec, as the GED codebook defines it, to a
// place's precision:
//
//	1 the exact location                      → exact
//	2 within about 25 km of a known point     → near
//	3 the second-order admin division (adm_2) → admin2
//	4 the first-order admin division (adm_1)  → admin1
//	5 a part of the country larger than adm_2 or not an admin unit
//	  ("Northern Aleppo Governorate", a road, a border area)
//	                                          → admin1 when adm_1 names one, else country
//	6 only the country                        → country
//	7 international waters or airspace        → country (the country UCDP assigns the
//	                                            event to is the finest place there is)
func geoPrecision(wherePrec int, adm1 string) (armstrace.GeoPrecision, bool) {
	switch wherePrec {
	case 1:
		return armstrace.GeoExact, true
	case 2:
		return armstrace.GeoNear, true
	case 3:
		return armstrace.GeoAdmin2, true
	case 4:
		return armstrace.GeoAdmin1, true
	case 5:
		if adm1 != "" {
			return armstrace.GeoAdmin1, true
		}
		return armstrace.GeoCountry, true
	case 6, 7:
		return armstrace.GeoCountry, true
	}
	return "", false
}

// gedRow holds the records of one row in one allocation.
type gedRow struct {
	ev     armstrace.Event
	nums   [5]float64
	actors [2]armstrace.EventActor
	cites  [1]armstrace.Citation
	ops    [3]ingest.Op
}

// Next reads the next row.
func (r *GEDReader) Next() (ingest.Row, error) {
	c, err := r.t.Next()
	if err != nil {
		return ingest.Row{}, err
	}
	return r.row(c)
}

// The columns the GED reader reads, by position in gedColumns.
const (
	gID = iota
	gTypeOfViolence
	gSideAID
	gSideA
	gSideBID
	gSideB
	gDateStart
	gDateEnd
	gDatePrec
	gEventClarity
	gBest
	gLow
	gHigh
	gDeathsA
	gDeathsB
	gDeathsCivilians
	gDeathsUnknown
	gDyadName
	gConflictName
	gWhereCoordinates
	gWhereDescription
	gWherePrec
	gAdm1
	gAdm2
	gLatitude
	gLongitude
	gCountry
	gCountryID
	gNumberOfSources
	gSourceOffice
	gSourceArticle
	gSourceHeadline
)

var gedColumns = []string{
	gID: "id", gTypeOfViolence: "type_of_violence",
	gSideAID: "side_a_new_id", gSideA: "side_a", gSideBID: "side_b_new_id", gSideB: "side_b",
	gDateStart: "date_start", gDateEnd: "date_end", gDatePrec: "date_prec", gEventClarity: "event_clarity",
	gBest: "best", gLow: "low", gHigh: "high",
	gDeathsA: "deaths_a", gDeathsB: "deaths_b", gDeathsCivilians: "deaths_civilians", gDeathsUnknown: "deaths_unknown",
	gDyadName: "dyad_name", gConflictName: "conflict_name",
	gWhereCoordinates: "where_coordinates", gWhereDescription: "where_description", gWherePrec: "where_prec",
	gAdm1: "adm_1", gAdm2: "adm_2", gLatitude: "latitude", gLongitude: "longitude",
	gCountry: "country", gCountryID: "country_id",
	gNumberOfSources: "number_of_sources", gSourceOffice: "source_office",
	gSourceArticle: "source_article", gSourceHeadline: "source_headline",
}

func (r *GEDReader) row(c *ingest.Cells) (ingest.Row, error) {
	fail := func() (ingest.Row, error) { return ingest.Row{Line: c.Line}, c.Err() }
	if c.Err() != nil {
		return fail()
	}
	k := r.cols
	id := k.needCount(c, gID)
	tov := k.needInt(c, gTypeOfViolence)
	if c.Err() == nil && (tov < 1 || tov > 3) {
		c.Fail("type_of_violence", "%d is not 1 (state-based), 2 (non-state) or 3 (one-sided violence)", tov)
	}
	start, end := k.day(c, gDateStart), k.day(c, gDateEnd)
	if start == "" && c.Err() == nil {
		c.Fail("date_start", "required, but empty")
	}
	if end == "" && c.Err() == nil {
		c.Fail("date_end", "required, but empty")
	}
	if c.Err() == nil && end < start {
		c.Fail("date_end", "%s is before date_start %s", end, start)
	}
	dprec := k.needInt(c, gDatePrec)
	if c.Err() == nil && (dprec < 1 || dprec >= len(datePrecisions)) {
		c.Fail("date_prec", "%d is not a GED date precision (1 to 5)", dprec)
	}
	clarity := k.needInt(c, gEventClarity)
	if c.Err() == nil && clarity != 1 && clarity != 2 {
		c.Fail("event_clarity", "%d is not 1 (an event) or 2 (an aggregate)", clarity)
	}
	aID, aName := k.needCount(c, gSideAID), k.needText(c, gSideA)
	bID, bName := k.needCount(c, gSideBID), k.needText(c, gSideB)
	dyad, conflict := k.text(c, gDyadName), k.text(c, gConflictName)
	where, whereDesc := k.text(c, gWhereCoordinates), k.text(c, gWhereDescription)
	adm1, adm2 := k.text(c, gAdm1), k.text(c, gAdm2)
	country := k.text(c, gCountry)
	var gprec armstrace.GeoPrecision
	if wp, ok := k.int(c, gWherePrec); ok {
		var known bool
		if gprec, known = geoPrecision(wp, adm1); !known && c.Err() == nil {
			c.Fail("where_prec", "%d is not a GED place precision (1 to 7)", wp)
		}
	}
	lat, hasLat := k.float(c, gLatitude)
	lon, hasLon := k.float(c, gLongitude)
	switch {
	case c.Err() != nil:
	case hasLat != hasLon:
		if !hasLat {
			c.Fail("latitude", "missing, but longitude is given")
		} else {
			c.Fail("longitude", "missing, but latitude is given")
		}
	case hasLat && !(lat >= -90 && lat <= 90):
		c.Fail("latitude", "%v is outside -90..90", lat)
	case hasLon && !(lon >= -180 && lon <= 180):
		c.Fail("longitude", "%v is outside -180..180", lon)
	}
	gw, hasGW := k.int(c, gCountryID)
	low, hasLow := k.count(c, gLow)
	best, hasBest := k.count(c, gBest)
	high, hasHigh := k.count(c, gHigh)
	var deaths [4]int
	var hasDeaths [4]bool
	for i := range deaths {
		deaths[i], hasDeaths[i] = k.count(c, gDeathsA+i)
	}
	nsrc, hasNsrc := k.int(c, gNumberOfSources)
	office := k.text(c, gSourceOffice)
	// Only the start of the sources is kept: a cell may hold a dozen
	// articles.
	article := k.textMax(c, gSourceArticle, maxCited)
	headline := k.textMax(c, gSourceHeadline, maxCited)
	if c.Err() != nil {
		return fail()
	}

	// The row is good: from here on, nothing fails.
	g := &gedRow{}
	e := &g.ev
	e.Type = violenceTypes[tov]
	e.Subtype = conflict
	e.Start, e.End = start, end
	// Aggregate is UCDP's own mark, event_clarity 2: deaths totalled over
	// start..end ("during the week 16 people died in Homs"). A row with
	// event_clarity 1 and a span (date_prec 2 to 5) is one incident that
	// UCDP can date only within start..end: it keeps that window and a
	// coarser precision, and is not an aggregate. The codebook draws the
	// line there, and it matters to counts: the 622 aggregates of the
	// Syria release hold 38,778 of its 112,337 deaths (a third); the 601
	// single incidents dated within a span hold another 6,534.
	e.Aggregate = clarity == 2
	e.Precision = datePrecisions[dprec]
	coarsened := false
	if e.Precision == armstrace.PrecisionDay && start != end && !e.Aggregate {
		e.Precision = spanPrecision(start, end)
		coarsened = true
		r.Coarsened++
	}

	e.Place = armstrace.Place{Name: where, Admin1: adm1, Admin2: adm2, Precision: gprec}
	if hasLat {
		g.nums[3], g.nums[4] = lat, lon
		e.Place.Lat, e.Place.Lon = &g.nums[3], &g.nums[4]
	}
	if hasGW {
		e.Place.Country = r.country(gw, country)
	}

	// Fatalities: best is UCDP's estimate and equals the sum of the
	// per-side deaths; a low or high on the wrong side of it is dropped
	// (and kept in the description), so that the range stays ordered.
	keepLow, keepHigh := hasLow, hasHigh
	if hasBest {
		keepLow = hasLow && low <= best
		keepHigh = hasHigh && high >= best
	} else if hasLow && hasHigh && low > high {
		keepLow, keepHigh = false, false
	}
	reordered := keepLow != hasLow || keepHigh != hasHigh
	if reordered {
		r.Reordered++
	}
	if keepLow {
		g.nums[0] = float64(low)
		e.Fatalities.Low = &g.nums[0]
	}
	if hasBest {
		g.nums[1] = float64(best)
		e.Fatalities.Best = &g.nums[1]
	}
	if keepHigh {
		g.nums[2] = float64(high)
		e.Fatalities.High = &g.nums[2]
	}
	if !e.Fatalities.IsZero() {
		e.Fatalities.Unit = "people"
	}

	// The record's own strings are built in one buffer and cut from one
	// string: an allocation per row instead of five.
	b := r.buf[:0]
	b = append(b, "ucdp-ged:"...)
	b = strconv.AppendInt(b, int64(id), 10)
	idEnd := len(b)

	titleStart := len(b)
	if dyad != "" {
		b = append(b, dyad...)
	} else {
		b = append(b, aName...)
		b = append(b, " - "...)
		b = append(b, bName...)
	}
	switch {
	case where != "":
		b = append(b, ", "...)
		b = append(b, where...)
	case adm1 != "":
		b = append(b, ", "...)
		b = append(b, adm1...)
	case country != "":
		b = append(b, ", "...)
		b = append(b, country...)
	}
	titleEnd := len(b)

	locStart := len(b)
	b = append(b, "id "...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, ", line "...)
	b = strconv.AppendInt(b, int64(c.Line), 10)
	locEnd := len(b)
	if article != "" {
		b = append(b, ": "...)
		b = append(b, article...)
	}
	locatorEnd := len(b)

	// The description keeps what the Event type has no field for.
	descStart := len(b)
	b = append(b, "Deaths by side (UCDP): "...)
	b = appendDeath(b, aName, deaths[0], hasDeaths[0])
	b = append(b, "; "...)
	if !civilians(bID, bName) || deaths[1] != 0 {
		// Side B's own count; for civilians it is deaths_civilians.
		b = appendDeath(b, bName, deaths[1], hasDeaths[1])
		b = append(b, "; "...)
	}
	b = appendDeath(b, "civilians", deaths[2], hasDeaths[2])
	b = append(b, "; "...)
	b = appendDeath(b, "unknown", deaths[3], hasDeaths[3])
	b = append(b, '.')
	if e.Aggregate {
		b = append(b, " UCDP gives these deaths as a total over "...)
		b = append(b, start...)
		if start != end {
			b = append(b, " to "...)
			b = append(b, end...)
		}
		b = append(b, " (event_clarity 2), not as one incident."...)
	}
	if reordered {
		b = append(b, " UCDP's estimates are out of order: low "...)
		b = appendOpt(b, low, hasLow)
		b = append(b, ", best "...)
		b = appendOpt(b, best, hasBest)
		b = append(b, ", high "...)
		b = appendOpt(b, high, hasHigh)
		b = append(b, "; the range keeps best and drops the bound that contradicts it."...)
	}
	if coarsened {
		b = append(b, " UCDP gives date_prec 1 (the exact day) for dates that span several days."...)
	}
	if whereDesc != "" {
		b = append(b, " Place: "...)
		b = append(b, whereDesc...)
		if !strings.HasSuffix(whereDesc, ".") {
			b = append(b, '.')
		}
	}
	if hasNsrc || office != "" {
		b = append(b, " Sources"...)
		if hasNsrc {
			b = append(b, ": "...)
			b = strconv.AppendInt(b, int64(nsrc), 10)
		}
		if office != "" {
			b = append(b, " ("...)
			b = append(b, office...)
			b = append(b, ')')
		}
		b = append(b, '.')
	}
	all := string(b)
	r.buf = b

	// The GED id is the event's own id, so it is not repeated as an
	// external id: the primary key already keeps it unique.
	e.ID = all[:idEnd]
	e.Title = all[titleStart:titleEnd]
	e.Description = all[descStart:]
	loc := all[locStart:locEnd]
	g.cites[0] = armstrace.Citation{Source: r.env.Source, Locator: all[locStart:locatorEnd]}
	if headline != "" {
		g.cites[0].Quote = headline
	}
	e.Citations = g.cites[:]

	// Sides. In one-sided violence side A is the perpetrator and side B
	// its target, civilians, who are no entity; in the other types both
	// are parties, and the GED does not say who attacked whom.
	ops := g.ops[:0]
	roleA, roleB := armstrace.RoleParty, armstrace.RoleParty
	if tov == 3 {
		roleA, roleB = armstrace.RolePerpetrator, armstrace.RoleTarget
	}
	cite := armstrace.Citation{Source: r.env.Source, Locator: loc}
	entA, op := r.actor(aID, aName, cite)
	if op != nil {
		ops = append(ops, *op)
	}
	g.actors[0] = armstrace.EventActor{Entity: entA, Role: roleA}
	e.Actors = g.actors[:1]
	if !civilians(bID, bName) {
		entB, op := r.actor(bID, bName, cite)
		if op != nil {
			ops = append(ops, *op)
		}
		if entB != entA {
			g.actors[1] = armstrace.EventActor{Entity: entB, Role: roleB}
			e.Actors = g.actors[:2]
		}
	}

	r.Rows++
	if hasBest {
		r.Deaths += float64(best)
		if e.Aggregate {
			r.AggregateDeaths += float64(best)
		}
	}
	if e.Aggregate {
		r.Aggregates++
	}
	ops = append(ops, ingest.Op{Mode: ingest.Put, Record: e})
	return ingest.Row{Line: c.Line, Ops: ops}, nil
}

func appendDeath(b []byte, who string, n int, ok bool) []byte {
	b = append(b, who...)
	b = append(b, ' ')
	return appendOpt(b, n, ok)
}

func appendOpt(b []byte, n int, ok bool) []byte {
	if !ok {
		return append(b, "not given"...)
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// civilians reports whether a side is UCDP's "Civilians" (actor 1), the
// target of one-sided violence, which is no entity.
func civilians(id int, name string) bool {
	return id == 1 || strings.EqualFold(name, "Civilians")
}

// spanPrecision returns the date precision that a span of days needs.
func spanPrecision(start, end armstrace.Date) armstrace.DatePrecision {
	s, err1 := time.Parse("2006-01-02", string(start))
	e, err2 := time.Parse("2006-01-02", string(end))
	if err1 != nil || err2 != nil {
		return armstrace.PrecisionYear
	}
	switch days := int(e.Sub(s).Hours()/24) + 1; {
	case days <= 6:
		return armstrace.PrecisionDays
	case days <= 7:
		return armstrace.PrecisionWeek
	case days <= 31:
		return armstrace.PrecisionMonth
	}
	return armstrace.PrecisionYear
}

// country returns the ISO code of a GED country_id (a Gleditsch-Ward
// code), trying the country's name when the code is not in the table.
func (r *GEDReader) country(gw int, name string) string {
	if iso, ok := r.countries[gw]; ok {
		return iso
	}
	s, ok := r.env.States.ByGW(gw)
	if !ok && name != "" {
		s, ok = r.env.States.ByName(name)
	}
	iso := ""
	if ok {
		iso = s.ISO2
	} else {
		n := name
		if n == "" {
			n = "country_id " + strconv.Itoa(gw)
		}
		r.unresolved[n+" (GW "+strconv.Itoa(gw)+")"] = true
	}
	r.countries[gw] = iso
	return iso
}

// actor returns the entity of a side, and the op that writes it the first
// time this import meets the side (by id and name, so that a new spelling
// of a known actor is merged into it as an alias).
func (r *GEDReader) actor(id int, name string, cite armstrace.Citation) (string, *ingest.Op) {
	k := actorKey{id, name}
	if res, ok := r.actors[k]; ok {
		return res.entity, nil
	}
	res := resolve(r.env.States, id, name, 0)
	r.actors[k] = res
	ident := armstrace.Identifier{Scheme: idScheme, Value: strconv.Itoa(id)}
	var e *armstrace.Entity
	if res.state != nil {
		e = res.state.Entity()
		if !hasName(e, name) {
			e.Aliases = append(e.Aliases, armstrace.Name{Value: name})
		}
	} else {
		e = &armstrace.Entity{ID: res.entity, Kind: res.kind, Name: name}
		if res.gov {
			r.unresolved[name] = true
		}
	}
	e.Identifiers = append(e.Identifiers, ident)
	e.Citations = []armstrace.Citation{cite}
	return res.entity, &ingest.Op{Mode: ingest.Merge, Record: e}
}

// hasName reports whether an entity has a name, in any case.
func hasName(e *armstrace.Entity, name string) bool {
	if strings.EqualFold(e.Name, name) {
		return true
	}
	for _, a := range e.Aliases {
		if strings.EqualFold(a.Value, name) {
			return true
		}
	}
	return false
}
