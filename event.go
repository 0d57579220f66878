package armstrace

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
)

// DatePrecision says how exactly a source dates an event (UCDP date_prec,
// ACLED time_precision).
type DatePrecision string

const (
	PrecisionDay   DatePrecision = "day"
	PrecisionDays  DatePrecision = "days" // within a few days
	PrecisionWeek  DatePrecision = "week"
	PrecisionMonth DatePrecision = "month"
	PrecisionYear  DatePrecision = "year"
)

// GeoPrecision says how exactly a source places an event.
type GeoPrecision string

const (
	GeoExact   GeoPrecision = "exact"   // the stated place itself
	GeoNear    GeoPrecision = "near"    // within about 25 km of the point
	GeoAdmin2  GeoPrecision = "admin2"  // somewhere in the district
	GeoAdmin1  GeoPrecision = "admin1"  // somewhere in the province or governorate
	GeoCountry GeoPrecision = "country" // somewhere in the country
)

// Grade is how well an event is established (the Airwars-style scale).
type Grade string

const (
	GradeConfirmed  Grade = "confirmed"
	GradeFair       Grade = "fair"
	GradeWeak       Grade = "weak"
	GradeContested  Grade = "contested"
	GradeDiscounted Grade = "discounted"
)

// ActorRole is an actor's part in an event.
type ActorRole string

const (
	RolePerpetrator ActorRole = "perpetrator"
	RoleTarget      ActorRole = "target"
	RoleParty       ActorRole = "party" // a side, where the source does not say who did what
)

// EventActor links an event to an entity in a role.
type EventActor struct {
	Entity string    `json:"entity"`
	Role   ActorRole `json:"role"`
}

// Place is where an event happened, with admin levels and precision.
type Place struct {
	Name      string       `json:"name,omitempty"`
	Country   string       `json:"country,omitempty"`
	Admin1    string       `json:"admin1,omitempty"`
	Admin2    string       `json:"admin2,omitempty"`
	Admin3    string       `json:"admin3,omitempty"`
	Lat       *float64     `json:"lat,omitempty"`
	Lon       *float64     `json:"lon,omitempty"`
	Precision GeoPrecision `json:"precision,omitempty"`
	// Protected marks a place whose exact point or name could endanger
	// someone (a witness's home, a shelter, a clinic that was hit): only
	// readers who may see confidential sources see it as recorded;
	// others, and exports below confidential, see it blurred (Blurred).
	Protected bool `json:"protected,omitempty"`
}

// Blurred returns the place as a reader not entitled to a protected
// place sees it: the point rounded to 0.1° (about 11 km), the precision
// no finer than the district, and the place named only by its district
// or province. An unprotected place is returned as it is.
func (p Place) Blurred() Place {
	if !p.Protected {
		return p
	}
	round := func(v *float64) *float64 {
		if v == nil {
			return nil
		}
		r := math.Round(*v*10) / 10
		return &r
	}
	p.Lat, p.Lon = round(p.Lat), round(p.Lon)
	if p.Precision == GeoExact || p.Precision == GeoNear || p.Precision == "" && p.Lat != nil {
		p.Precision = GeoAdmin2
	}
	p.Name, p.Admin3 = p.Admin2, ""
	if p.Name == "" {
		p.Name = p.Admin1
	}
	return p
}

// ShownTo returns the event as a reader of sources of these access levels
// (nil: every level) may see it: with its place blurred when the place is
// protected and the reader may not see confidential sources. The event
// itself is never changed.
func (e *Event) ShownTo(levels []Access) *Event {
	if !e.Place.Protected || levels == nil || slices.Contains(levels, AccessConfidential) {
		return e
	}
	c := *e
	c.Place = e.Place.Blurred()
	return &c
}

// Event is an incident: an attack, a massacre, a battle, a ceasefire
// violation, or a total that a source reports over a period.
//
// Start and End bound the days the event may have happened on. Aggregate
// marks a figure that the source totalled over Start..End (UCDP
// event_clarity 2, a monthly or yearly count): it must never be read as
// happening on its first day.
type Event struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	Type        string        `json:"event_type"` // "type" names the record in JSON Lines
	Subtype     string        `json:"subtype,omitempty"`
	Start       Date          `json:"start"`
	End         Date          `json:"end"`
	Precision   DatePrecision `json:"precision"`
	Aggregate   bool          `json:"aggregate,omitempty"`
	Place       Place         `json:"place"`
	Actors      []EventActor  `json:"actors,omitempty"`
	Fatalities  Range         `json:"fatalities"`
	Grade       Grade         `json:"grade,omitempty"`
	ExternalIDs []string      `json:"external_ids,omitempty"` // "ucdp-ged:123", "acled:SYR4567"
	Description string        `json:"description,omitempty"`
	Citations   []Citation    `json:"citations"`
}

func (e *Event) RecordType() RecordType { return TypeEvent }
func (e *Event) RecordID() string       { return e.ID }

// Normalize trims text fields.
func (e *Event) Normalize() {
	e.Title = strings.TrimSpace(e.Title)
}

// Validate returns an EINVALID error naming the first field at fault.
func (e *Event) Validate() error {
	if err := validateText(e); err != nil {
		return err
	}
	if err := validateID("id", e.ID); err != nil {
		return err
	}
	if e.Title == "" {
		return invalid("title", "required")
	}
	if e.Type == "" {
		return invalid("event_type", "required")
	}
	if e.Start == "" || !e.Start.IsDay() {
		return invalid("start", "required as YYYY-MM-DD; use precision and end for vaguer dates")
	}
	if err := e.Start.Validate(); err != nil {
		return invalid("start", "%v", err)
	}
	if e.End == "" || !e.End.IsDay() {
		return invalid("end", "required as YYYY-MM-DD (the same as start for a one-day event)")
	}
	if err := e.End.Validate(); err != nil {
		return invalid("end", "%v", err)
	}
	if e.End < e.Start {
		return invalid("end", "%s is before start %s", e.End, e.Start)
	}
	if err := oneOf("precision", e.Precision, PrecisionDay, PrecisionDays, PrecisionWeek, PrecisionMonth, PrecisionYear); err != nil {
		return err
	}
	if e.Precision == PrecisionDay && e.End != e.Start && !e.Aggregate {
		return invalid("precision", "is day but the event spans %s..%s; mark it aggregate or give a coarser precision", e.Start, e.End)
	}
	if err := validateCountry("place.country", e.Place.Country); err != nil {
		return err
	}
	if (e.Place.Lat == nil) != (e.Place.Lon == nil) {
		return invalid("place.lat", "lat and lon must be given together")
	}
	if e.Place.Lat != nil && !(*e.Place.Lat >= -90 && *e.Place.Lat <= 90) {
		return invalid("place.lat", "%v is outside -90..90", *e.Place.Lat)
	}
	if e.Place.Lon != nil && !(*e.Place.Lon >= -180 && *e.Place.Lon <= 180) {
		return invalid("place.lon", "%v is outside -180..180", *e.Place.Lon)
	}
	if e.Place.Precision != "" {
		if err := oneOf("place.precision", e.Place.Precision, GeoExact, GeoNear, GeoAdmin2, GeoAdmin1, GeoCountry); err != nil {
			return err
		}
	}
	for i, a := range e.Actors {
		f := fmt.Sprintf("actors[%d]", i)
		if err := validateID(f+".entity", a.Entity); err != nil {
			return err
		}
		if err := oneOf(f+".role", a.Role, RolePerpetrator, RoleTarget, RoleParty); err != nil {
			return err
		}
	}
	if err := e.Fatalities.Validate(); err != nil {
		return prefixField("fatalities", err)
	}
	if err := e.Fatalities.NonNegative(); err != nil {
		return prefixField("fatalities", err)
	}
	if e.Grade != "" {
		if err := oneOf("grade", e.Grade, GradeConfirmed, GradeFair, GradeWeak, GradeContested, GradeDiscounted); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, x := range e.ExternalIDs {
		f := fmt.Sprintf("external_ids[%d]", i)
		if err := validateID(f, x); err != nil {
			return err
		}
		if seen[x] {
			return invalid(f, "%s is listed twice", x)
		}
		seen[x] = true
	}
	return validateCitations(e.Citations, true)
}

// EventFilter selects events. Zero fields match everything.
type EventFilter struct {
	IDs     []string // any of these ids
	Country string
	Since   Date // events ending on or after this day
	Until   Date // events starting on or before this day
	Actor   string
	// ActorRoles keeps the events where Actor (or, without Actor, any
	// actor) has one of these roles.
	ActorRoles []ActorRole
	// Actors keeps the events with any of these actors; it is checked per
	// event, for narrow filters (a day) where the actors have many events.
	Actors []string
	// Access keeps what a reader who may see sources of these access
	// levels may see: records that cite at least one such source, or cite
	// none. Nil keeps everything.
	Access []Access
	// Text keeps the events whose title, description or place names
	// contain every word of it, ignoring case (Event.SearchText). FindEvents
	// holds to it exactly; where an event filter only narrows another
	// query (a claim's object events), it may keep more.
	Text   string
	Offset int
	Limit  int
}

// EventService reads and writes events.
type EventService interface {
	FindEventByID(ctx context.Context, id string) (*Event, error)
	FindEvents(ctx context.Context, f EventFilter) ([]*Event, error)
	CreateEvent(ctx context.Context, e *Event) error
	UpdateEvent(ctx context.Context, e *Event) error
	DeleteEvent(ctx context.Context, id string) error
}

// TallyQuery asks for the events of a country that overlap a period,
// counted by day and by party group.
type TallyQuery struct {
	Country string
	Since   Date // events ending on or after this day
	Until   Date // events starting on or before this day
	// Groups sort events by who took part, in order: an event goes to the
	// first group one of whose entities is among its actors, or to no
	// group ("").
	Groups []TallyGroup
	// By also splits the counts by event columns: "type", "admin1" (the
	// first-level area), "actors" (the actors' ids, sorted and joined by
	// commas: the dyad), or several joined by commas ("type,admin1");
	// the values are in TallyRow.Key, joined by TallyKeySep.
	By string
	// Dataset keeps the events of one dataset (the prefix of their ids, or
	// NoDataset).
	Dataset string
	// Access keeps the events a reader who may see sources of these levels
	// may see (see EventFilter.Access); nil counts all.
	Access []Access
}

// NoDataset is the dataset of events whose ids have no prefix ("x1"
// rather than "ucdp-ged:1"); no prefix can be "-".
const NoDataset = "-"

// TallyKeySep joins the values of several By columns in a TallyRow's Key.
const TallyKeySep = "\x1f"

// TallyGroup names a set of entities, such as the parties a ceasefire
// covers or excludes.
type TallyGroup struct {
	Name     string
	Entities []string
}

// TallyRow counts the events that share a day range, a kind and a group.
// A single-day event that is not an aggregate has Start == End; any other
// row is a span that a count must spread over its days or leave out,
// never put on its first day.
type TallyRow struct {
	Start, End Date
	Aggregate  bool
	Group      string
	Dataset    string // the prefix of the events' ids: "ucdp-ged", "acled", "evt"
	Key        string // the value of the By column
	Events     int
	// Fatalities summed over the events; an event without a figure adds
	// nothing. Where a source gives one bound only, the others fall back
	// to it (best, then low, then high), so that low ≤ best ≤ high holds in
	// every sum: "over 9,000" counts as 9,000.
	Low, Best, High float64
}
