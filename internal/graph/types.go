// Package graph finds the chains that link an atrocity to those who
// enable it: from an event, to a weapon model observed there, to the
// transfers of that model to the perpetrator's state, to the supplier, its
// owners and manufacturers, and to those who do business with them.
//
// Every link is a claim of the evidence graph, with its sources, its
// status and a strength. A chain is as strong as its weakest link. Claims
// that are contested or retracted never support a chain; they are listed
// as not counted. The rules that turn claims into strengths, and chains
// into a score, are in strength.go and are written for a reader to check.
package graph

import (
	"context"
	"time"

	"github.com/armstrace/armstrace"
)

// Reader is what chain search reads. The store implements it.
type Reader interface {
	FindEntityByID(ctx context.Context, id string) (*armstrace.Entity, error)
	FindEntities(ctx context.Context, f armstrace.EntityFilter) ([]*armstrace.Entity, error)
	FindEventByID(ctx context.Context, id string) (*armstrace.Event, error)
	FindEvents(ctx context.Context, f armstrace.EventFilter) ([]*armstrace.Event, error)
	FindClaims(ctx context.Context, f armstrace.ClaimFilter) ([]*armstrace.Claim, error)
	FindClaimEdges(ctx context.Context, f armstrace.ClaimFilter) ([]armstrace.ClaimEdge, error)
	RankClaimEdges(ctx context.Context, f armstrace.ClaimFilter, caps map[string]float64, allegedFactor float64, per int) ([]armstrace.RankedEdge, error)
	CountClaims(ctx context.Context, f armstrace.ClaimFilter) (int, error)
	FindSourceByID(ctx context.Context, id string) (*armstrace.Source, error)
}

// Role is the part an enabler plays.
type Role string

const (
	RoleSupplier     Role = "supplier"     // supplied the perpetrator or its state
	RoleManufacturer Role = "manufacturer" // made a weapon model that was supplied
	RoleOwner        Role = "owner"        // owns a supplier
	RoleController   Role = "controller"   // controls a supplier, without or beyond ownership
	RoleBuyer        Role = "buyer"        // buys from a supplier or its group
	RoleShipper      Role = "shipper"      // carried arms to the perpetrator's state, or for a supplier
	RoleInsurer      Role = "insurer"      // insured a supplier or a shipper
	RoleFinancier    Role = "financier"    // financed a supplier, a shipper or the recipient
)

// Roles lists every role, in the order of the help text.
var Roles = []Role{RoleSupplier, RoleManufacturer, RoleOwner, RoleController, RoleBuyer, RoleShipper, RoleInsurer, RoleFinancier}

// Scope selects the atrocities to start from.
type Scope struct {
	Country     string         // the state where the events happened: an entity id, a name or an ISO code
	Since       armstrace.Date // events ending on or after
	Until       armstrace.Date // events starting on or before
	Roles       []Role         // only enablers with one of these roles; all when empty
	EventTypes  []string       // only events of these types; all when empty
	Perpetrator string         // only events with this actor (entity id)
	Limit       int            // at most this many enablers; all when 0
	// IncludeConfidential shows confidential sources in citations; by
	// default they are withheld and only their existence is shown.
	IncludeConfidential bool
	// Access, when set, is what the reader may see: records resting only
	// on sources of other access levels are left out altogether, and
	// citations of such sources dropped (see Visible). Nil sees all.
	Access []armstrace.Access
}

// Node is an entity or an event at one end of a link.
type Node struct {
	ID      string `json:"id"`
	Type    string `json:"type"` // entity or event
	Name    string `json:"name"`
	Kind    string `json:"kind,omitempty"` // entity kind or event type
	Country string `json:"country,omitempty"`
}

// Citation is a claim's citation with what a reader needs of its source.
type Citation struct {
	Source      string `json:"source"`
	Title       string `json:"title"`
	Publisher   string `json:"publisher,omitempty"`
	Published   string `json:"published,omitempty"`
	Version     string `json:"version,omitempty"`
	URL         string `json:"url,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	Reliability string `json:"reliability,omitempty"`
	Access      string `json:"access"`
	Locator     string `json:"locator,omitempty"`
	Quote       string `json:"quote,omitempty"`
	Withheld    bool   `json:"withheld,omitempty"` // a confidential source left out: only its existence is shown
}

// Link is one claim on a chain, with the strength it lends.
type Link struct {
	Claim      string              `json:"claim"`
	Kind       armstrace.ClaimKind `json:"kind"`
	From       Node                `json:"from"`
	To         Node                `json:"to"`
	Status     armstrace.Status    `json:"status"`
	Confidence float64             `json:"confidence"`
	Strength   float64             `json:"strength"`
	Basis      string              `json:"basis"`            // why this strength, in words
	Period     string              `json:"period,omitempty"` // when the claim holds, as the source dates it
	Detail     string              `json:"detail,omitempty"` // what was supplied, bought, observed
	Citations  []Citation          `json:"citations"`
	claim      *armstrace.Claim
	// pending marks a link weighed from the claim's columns and not yet
	// read whole: only the links of listed enablers are read.
	pending *pendingLink
}

type pendingLink struct {
	edge   armstrace.ClaimEdge
	direct bool
}

// ClaimRecord returns the claim behind the link.
func (l *Link) ClaimRecord() *armstrace.Claim { return l.claim }

// Chain is a path from an event (or, on the direct path, from a supply to
// the perpetrator's state) to an enabler.
type Chain struct {
	Path     string  `json:"path"` // "weapon": through a weapon seen at an event; "direct": supply in the period, no weapon identified
	Strength float64 `json:"strength"`
	Weakest  int     `json:"weakest"` // index of the weakest link
	Links    []Link  `json:"links"`
}

// Evidence sums up what supports an enabler, for ranking ties and for
// the reader.
type Evidence struct {
	Claims       int      `json:"claims"`  // distinct claims on its chains, including business claims weighed but not read whole
	Sources      int      `json:"sources"` // distinct sources cited by them
	Events       int      `json:"events"`  // distinct events its chains start from
	First        string   `json:"first,omitempty"`
	Latest       string   `json:"latest,omitempty"`
	TIVDelivered float64  `json:"tiv_delivered,omitempty"` // SIPRI TIV (millions) of its supplies on the chains
	ValueUSD     float64  `json:"value_usd,omitempty"`     // best money values in USD on its own links read whole (a partner's strongest five per role)
	AwardIDs     []string `json:"award_ids,omitempty"`
}

// Enabler is one ranked entity with its chains.
type Enabler struct {
	Rank       int      `json:"rank"`
	Entity     Node     `json:"entity"`
	Roles      []Role   `json:"roles"`
	Score      float64  `json:"score"`
	Reason     string   `json:"reason"`
	Evidence   Evidence `json:"evidence"`
	Chains     []Chain  `json:"chains"`
	MoreChains int      `json:"more_chains,omitempty"` // chains found but not listed
	NotCounted []Link   `json:"not_counted,omitempty"` // its contested or retracted claims
	topRole    Role     // the role of its strongest chain
}

// Report is the answer to one scope.
type Report struct {
	Scope struct {
		Country     Node     `json:"country"`
		Since       string   `json:"since,omitempty"`
		Until       string   `json:"until,omitempty"`
		Roles       []Role   `json:"roles,omitempty"`
		EventTypes  []string `json:"event_types,omitempty"`
		Perpetrator string   `json:"perpetrator,omitempty"`
	} `json:"scope"`
	Generated    time.Time `json:"generated"`
	Observations int       `json:"observations"` // weapon observations at events in scope
	Events       int       `json:"events"`       // events they were made at
	Recipients   []Node    `json:"recipients"`   // the perpetrators' states and forces that transfers were traced to
	Enablers     []Enabler `json:"enablers"`
	NotCounted   []Link    `json:"not_counted,omitempty"` // contested or retracted claims met on the way (manufacturing and business claims: of enablers listed only)
	// Pruned counts the suppliers and group members whose business
	// partners were not weighed, because none of them could rank within
	// the limit (their chains cannot be stronger than the member's).
	Pruned int      `json:"pruned,omitempty"`
	Notes  []string `json:"notes"`
}
