// Package dossier assembles the vendor-screening report on one entity:
// who it is, who owns it, what it is sanctioned for, what it supplied to
// whom, where those weapons were seen, who does business with it, how the
// evidence maps to exclusion criteria, and where every fact comes from.
// Build gathers the facts from the evidence graph; Render writes them as
// self-contained HTML, Markdown or JSON.
package dossier

import (
	"time"

	"github.com/armstrace/armstrace/internal/graph"
)

// SchemaVersion names the version of the JSON form, documented by
// schema.json beside this file.
const SchemaVersion = "armstrace.dossier/1"

// Dossier is the report, in ten parts.
type Dossier struct {
	Schema    string     `json:"schema"`
	Generated time.Time  `json:"generated"` // the "as of" time
	Subject   graph.Node `json:"subject"`
	Query     string     `json:"query"` // what the user asked for

	Identity     Identity      `json:"identity"`           // 1
	Ownership    Ownership     `json:"ownership"`          // 2
	Sanctions    []Sanction    `json:"sanctions"`          // 3
	Procurement  []Restriction `json:"procurement"`        // 4
	Transfers    Transfers     `json:"transfers"`          // 5
	Misuse       Misuse        `json:"misuse"`             // 6
	Partners     []Partner     `json:"partners"`           // 7
	Criteria     []Criterion   `json:"criteria"`           // 8
	Outreach     Outreach      `json:"outreach"`           // 9
	Provenance   Provenance    `json:"provenance"`         // 10
	NotCounted   []graph.Link  `json:"not_counted"`        // contested or retracted claims about the subject
	Withheld     int           `json:"withheld"`           // confidential sources left out
	Redacted     string        `json:"redacted,omitempty"` // why and for whom it was redacted, when it was
	SectionTitle []string      `json:"section_titles"`     // the ten titles, in order
}

// Identity is part 1: who the subject is, and how the query met it.
type Identity struct {
	ID              string           `json:"id"`
	Name            string           `json:"name"`
	Kind            string           `json:"kind"`
	Country         string           `json:"country,omitempty"`
	Description     string           `json:"description,omitempty"`
	Names           []Name           `json:"names"`
	Transliteration []string         `json:"transliterations"` // Latin readings of non-Latin names
	Identifiers     []Identifier     `json:"identifiers"`
	Match           *Match           `json:"match,omitempty"` // how the query resolved to the subject
	Citations       []graph.Citation `json:"citations"`
}

type Name struct {
	Value  string `json:"value"`
	Kind   string `json:"kind"` // primary, alias, former, misspelling…
	Script string `json:"script,omitempty"`
}

type Identifier struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

// Match is the screening result that resolved the query.
type Match struct {
	Score       float64 `json:"score"`
	Band        string  `json:"band"` // sure, review
	AliasMet    string  `json:"alias_met"`
	Explanation string  `json:"explanation"`
}

// Ownership is part 2. Owned and controlled are kept apart.
type Ownership struct {
	Owners       []graph.Link `json:"owners"`       // owns claims with the subject as object
	Controllers  []graph.Link `json:"controllers"`  // controls claims with the subject as object
	Subsidiaries []graph.Link `json:"subsidiaries"` // owns or controls claims with the subject as subject
}

// Sanction is part 3: one listing.
type Sanction struct {
	Body       string     `json:"body"` // the authority that listed the subject
	Programs   []string   `json:"programs"`
	LegalBasis string     `json:"legal_basis,omitempty"`
	Listed     string     `json:"listed,omitempty"`
	Delisted   string     `json:"delisted,omitempty"`
	EntryID    string     `json:"entry_id,omitempty"`
	State      string     `json:"state"` // "in force" (no delisting or end recorded), "delisted" or "ended"
	Link       graph.Link `json:"link"`
}

// Restriction is part 4: a procurement ban, debarment or exclusion.
type Restriction struct {
	Body   string     `json:"body"`
	Basis  string     `json:"basis"`
	Period string     `json:"period,omitempty"`
	Link   graph.Link `json:"link"`
}

// Transfers is part 5: the subject's supplies, as SIPRI lays them out.
type Transfers struct {
	Rows   []TransferRow `json:"rows"`
	ByYear []YearTIV     `json:"by_year"` // TIV delivered per year, over all rows
	Note   string        `json:"note"`    // SIPRI's coverage
}

// TransferRow is one deal.
type TransferRow struct {
	Recipient       graph.Node `json:"recipient"`
	HighRisk        bool       `json:"high_risk"`
	HighRiskReason  string     `json:"high_risk_reason,omitempty"`
	Weapon          string     `json:"weapon,omitempty"`
	Description     string     `json:"description,omitempty"`
	NumberOrdered   string     `json:"number_ordered,omitempty"`
	NumberDelivered string     `json:"number_delivered,omitempty"`
	OrderYear       int        `json:"order_year,omitempty"`
	DeliveryYears   []int      `json:"delivery_years,omitempty"`
	TIVDelivered    float64    `json:"tiv_delivered,omitempty"`
	Value           string     `json:"value,omitempty"`
	Uncertain       []string   `json:"uncertain,omitempty"` // fields the source marks uncertain
	Link            graph.Link `json:"link"`
}

// YearTIV is one bar of the chart.
type YearTIV struct {
	Year int     `json:"year"`
	TIV  float64 `json:"tiv"`
}

// Misuse is part 6: events where what the subject supplied was seen.
type Misuse struct {
	Chains []graph.Chain `json:"chains"`
	Events []MisuseEvent `json:"events"`
}

// MisuseEvent is an event at the start of a chain.
type MisuseEvent struct {
	Event      graph.Node `json:"event"`
	Date       string     `json:"date"`
	Place      string     `json:"place,omitempty"`
	Grade      string     `json:"grade,omitempty"`
	Fatalities string     `json:"fatalities,omitempty"`
	Strength   float64    `json:"strength"` // of the strongest chain from it to the subject
}

// Partner is part 7: one who does business with the subject.
type Partner struct {
	Entity graph.Node `json:"entity"`
	Role   graph.Role `json:"role"` // buyer, shipper, insurer, financier
	Link   graph.Link `json:"link"`
}

// Criterion is part 8: how the evidence bears on one exclusion test.
type Criterion struct {
	ID       string   `json:"id"` // att-6-3, att-7, gpfg-4b, gpfg-4c
	Title    string   `json:"title"`
	Test     string   `json:"test"`     // the test, in armstrace's words
	Finding  string   `json:"finding"`  // evidence present, no evidence in the graph
	Evidence []string `json:"evidence"` // what in this dossier bears on it
}

// Outreach is part 9.
type Outreach struct {
	Entries []OutreachEntry `json:"entries"`
	Note    string          `json:"note"`
}

// OutreachEntry is a letter, a reply or a call, held as a source.
type OutreachEntry struct {
	Date   string         `json:"date,omitempty"`
	Title  string         `json:"title"`
	Source graph.Citation `json:"source"`
}

// Provenance is part 10.
type Provenance struct {
	AsOf        time.Time        `json:"as_of"`
	Datasets    []Dataset        `json:"datasets"`
	Methodology []string         `json:"methodology"`
	Appendix    []graph.Citation `json:"appendix"` // every source cited, with its SHA-256
}

// Dataset is a dataset release the graph holds.
type Dataset struct {
	Source   string `json:"source"`
	Title    string `json:"title"`
	Version  string `json:"version,omitempty"`
	SHA256   string `json:"sha256,omitempty"`
	Imported string `json:"imported,omitempty"`
}
