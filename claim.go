package armstrace

import (
	"context"
	"fmt"
	"strings"
)

// ClaimKind is the relation a claim asserts. The subject acts on the
// object: a supplier supplied a recipient, a buyer contracted a vendor, a
// manufacturer manufactured a weapon model, an owner owns a company, a
// weapon model was observed at an event, an authority sanctioned a target.
type ClaimKind string

const (
	ClaimSupplied     ClaimKind = "supplied"     // supplier → recipient; attrs.transfer
	ClaimContracted   ClaimKind = "contracted"   // buyer → vendor; attrs.contract
	ClaimObservedAt   ClaimKind = "observed_at"  // weapon model → event; attrs.observation
	ClaimManufactured ClaimKind = "manufactured" // manufacturer → weapon model
	ClaimOwns         ClaimKind = "owns"         // owner → owned; attrs.ownership
	ClaimControls     ClaimKind = "controls"     // controller → controlled, without (or beyond) ownership
	ClaimShipped      ClaimKind = "shipped"      // shipper or vessel → recipient
	ClaimInsured      ClaimKind = "insured"      // insurer → insured
	ClaimFinanced     ClaimKind = "financed"     // financier → financed party
	ClaimSanctioned   ClaimKind = "sanctioned"   // authority → target; attrs.sanction
	ClaimPartyTo      ClaimKind = "party_to"     // entity → event or ceasefire
)

// ClaimKinds lists every kind.
var ClaimKinds = []ClaimKind{ClaimSupplied, ClaimContracted, ClaimObservedAt, ClaimManufactured, ClaimOwns, ClaimControls, ClaimShipped, ClaimInsured, ClaimFinanced, ClaimSanctioned, ClaimPartyTo}

// Status is where a claim stands in review. Contested and retracted
// claims are kept, shown as such, and never counted as support.
type Status string

const (
	StatusAlleged   Status = "alleged"
	StatusVerified  Status = "verified"
	StatusContested Status = "contested"
	StatusRetracted Status = "retracted"
)

// ObjectType says what a claim's object is.
type ObjectType string

const (
	ObjectEntity    ObjectType = "entity"
	ObjectEvent     ObjectType = "event"
	ObjectCeasefire ObjectType = "ceasefire"
)

// Identification says how a weapon seen at an event was identified, from
// the strongest link to the weakest.
type Identification string

const (
	IdentifiedSerial   Identification = "serial"   // serial number or markings traced to a transfer
	IdentifiedType     Identification = "type"     // type identified from imagery or remnants
	IdentifiedCategory Identification = "category" // only a category or origin ("Russian weapons")
)

// Transfer holds the attributes of a supplied claim, as SIPRI records a deal.
type Transfer struct {
	Weapon          string   `json:"weapon,omitempty"` // weapon model entity id
	Designation     string   `json:"designation,omitempty"`
	Description     string   `json:"description,omitempty"`
	NumberOrdered   *Range   `json:"number_ordered,omitempty"`
	NumberDelivered *Range   `json:"number_delivered,omitempty"`
	OrderYear       int      `json:"order_year,omitempty"`
	DeliveryYears   []int    `json:"delivery_years,omitempty"`
	Condition       string   `json:"condition,omitempty"` // new, second hand, …
	TIVPerUnit      *Range   `json:"tiv_per_unit,omitempty"`
	TIVTotal        *Range   `json:"tiv_total,omitempty"`
	TIVDelivered    *Range   `json:"tiv_delivered,omitempty"`
	Value           *Range   `json:"value,omitempty"` // money, with its currency as unit
	Uncertain       []string `json:"uncertain,omitempty"`
	Comments        string   `json:"comments,omitempty"`
	// Deliveries splits the deal by delivery year where the source does
	// (SIPRI's per-delivery-year layout), so that yearly sums need no
	// guessing; a deal's totals are never copied onto each year.
	Deliveries []Delivery `json:"deliveries,omitempty"`
}

// Delivery is the part of a transfer delivered in one year.
type Delivery struct {
	Year         int    `json:"year"`
	Number       *Range `json:"number,omitempty"`
	TIVDelivered *Range `json:"tiv_delivered,omitempty"`
}

// Contract holds the attributes of a contracted claim.
type Contract struct {
	AwardID     string `json:"award_id,omitempty"`
	Office      string `json:"office,omitempty"` // the contracting office, as the award names it
	Signed      Date   `json:"signed,omitempty"`
	Value       *Range `json:"value,omitempty"`
	Description string `json:"description,omitempty"`
	// Actions are the award's transactions (the base award and its
	// modifications), each once; Value is their sum, never a sum of
	// per-modification running totals.
	Actions []ContractAction `json:"actions,omitempty"`
}

// ContractAction is one transaction of an award.
type ContractAction struct {
	Modification string  `json:"modification"` // "0" for the base award
	Date         Date    `json:"date,omitempty"`
	Obligation   float64 `json:"obligation"` // federal action obligation, in the award's currency
	Description  string  `json:"description,omitempty"`
}

// Ownership holds the attributes of an owns claim.
type Ownership struct {
	Share *Range `json:"share,omitempty"` // percent
}

// Sanction holds the attributes of a sanctioned claim.
type Sanction struct {
	Programs    []string `json:"programs,omitempty"`
	LegalBasis  string   `json:"legal_basis,omitempty"`
	Listed      Date     `json:"listed,omitempty"`
	Delisted    Date     `json:"delisted,omitempty"`
	ListEntryID string   `json:"list_entry_id,omitempty"`
}

// Observation holds the attributes of an observed_at claim.
type Observation struct {
	Identification Identification `json:"identification"`
	Markings       string         `json:"markings,omitempty"`
}

// ClaimAttrs holds the typed attributes of a claim; at most the one that
// belongs to its kind is set.
type ClaimAttrs struct {
	Transfer    *Transfer    `json:"transfer,omitempty"`
	Contract    *Contract    `json:"contract,omitempty"`
	Ownership   *Ownership   `json:"ownership,omitempty"`
	Sanction    *Sanction    `json:"sanction,omitempty"`
	Observation *Observation `json:"observation,omitempty"`
}

// Claim is an edge of the evidence graph: a sourced assertion that a
// subject stands in a relation to an object.
type Claim struct {
	ID         string     `json:"id"`
	Kind       ClaimKind  `json:"kind"`
	Subject    string     `json:"subject"` // entity id
	Object     string     `json:"object"`
	ObjectType ObjectType `json:"object_type,omitempty"` // entity when empty
	ValidFrom  Date       `json:"valid_from,omitempty"`
	ValidTo    Date       `json:"valid_to,omitempty"`
	Status     Status     `json:"status"`
	Confidence float64    `json:"confidence"` // 0 < c ≤ 1: how sure the analyst is that the claim holds
	Attrs      ClaimAttrs `json:"attrs,omitzero"`
	Notes      string     `json:"notes,omitempty"`
	Citations  []Citation `json:"citations"`
	// Reviews are the reviewers' decisions on the claim's status, oldest
	// first: the status's history, each change with who, when and why.
	Reviews []Review `json:"reviews,omitempty"`
}

// Review is a reviewer's decision on a claim: its status moved from one
// value to another, for a reason.
type Review struct {
	From     Status `json:"from"`
	To       Status `json:"to"`
	Reason   string `json:"reason"`
	Reviewer string `json:"reviewer"`
	At       string `json:"at"` // RFC 3339
}

func (c *Claim) RecordType() RecordType { return TypeClaim }
func (c *Claim) RecordID() string       { return c.ID }

// Normalize fills the object type, which defaults to entity.
func (c *Claim) Normalize() {
	if c.ObjectType == "" {
		c.ObjectType = ObjectEntity
	}
}

// ObjectTypeOrDefault returns the object type, entity when empty.
func (c *Claim) ObjectTypeOrDefault() ObjectType {
	if c.ObjectType == "" {
		return ObjectEntity
	}
	return c.ObjectType
}

// Validate returns an EINVALID error naming the first field at fault.
func (c *Claim) Validate() error {
	if err := validateText(c); err != nil {
		return err
	}
	if err := validateID("id", c.ID); err != nil {
		return err
	}
	if err := oneOf("kind", c.Kind, ClaimKinds...); err != nil {
		return err
	}
	if err := validateID("subject", c.Subject); err != nil {
		return err
	}
	if err := validateID("object", c.Object); err != nil {
		return err
	}
	ot := c.ObjectTypeOrDefault()
	if err := oneOf("object_type", ot, ObjectEntity, ObjectEvent, ObjectCeasefire); err != nil {
		return err
	}
	switch {
	case c.Kind == ClaimObservedAt && ot != ObjectEvent:
		return invalid("object_type", "an observed_at claim points at an event")
	case c.Kind == ClaimPartyTo && ot == ObjectEntity:
		return invalid("object_type", "a party_to claim points at an event or a ceasefire")
	case c.Kind != ClaimObservedAt && c.Kind != ClaimPartyTo && ot != ObjectEntity:
		return invalid("object_type", "a %s claim points at an entity", c.Kind)
	}
	if ot == ObjectEntity && c.Subject == c.Object {
		return invalid("object", "is the same as the subject")
	}
	if err := c.ValidFrom.Validate(); err != nil {
		return invalid("valid_from", "%v", err)
	}
	if err := c.ValidTo.Validate(); err != nil {
		return invalid("valid_to", "%v", err)
	}
	if c.ValidFrom != "" && c.ValidTo != "" && c.ValidTo.Last() < c.ValidFrom.First() {
		return invalid("valid_to", "%s is before valid_from %s", c.ValidTo, c.ValidFrom)
	}
	if err := oneOf("status", c.Status, StatusAlleged, StatusVerified, StatusContested, StatusRetracted); err != nil {
		return err
	}
	if !(c.Confidence > 0 && c.Confidence <= 1) {
		return invalid("confidence", "%v is not in (0, 1]", c.Confidence)
	}
	for i, r := range c.Reviews {
		field := fmt.Sprintf("reviews[%d]", i)
		if err := oneOf(field+".to", r.To, StatusAlleged, StatusVerified, StatusContested, StatusRetracted); err != nil {
			return err
		}
		if strings.TrimSpace(r.Reason) == "" {
			return invalid(field+".reason", "a review says why")
		}
		if r.Reviewer == "" {
			return invalid(field+".reviewer", "a review names its reviewer")
		}
	}
	if err := c.validateAttrs(); err != nil {
		return prefixField("attrs", err)
	}
	return validateCitations(c.Citations, true)
}

func (c *Claim) validateAttrs() error {
	a := c.Attrs
	blocks := []struct {
		name string
		set  bool
		kind ClaimKind
	}{
		{"transfer", a.Transfer != nil, ClaimSupplied},
		{"contract", a.Contract != nil, ClaimContracted},
		{"ownership", a.Ownership != nil, ClaimOwns},
		{"sanction", a.Sanction != nil, ClaimSanctioned},
		{"observation", a.Observation != nil, ClaimObservedAt},
	}
	for _, b := range blocks {
		if b.set && b.kind != c.Kind {
			return invalid(b.name, "belongs to a %s claim, not a %s claim", b.kind, c.Kind)
		}
	}
	type namedRange struct {
		name string
		r    *Range
	}
	ranges := func(prefix string, rs ...namedRange) error {
		for _, x := range rs {
			if x.r == nil {
				continue
			}
			if err := x.r.Validate(); err != nil {
				return prefixField(prefix+"."+x.name, err)
			}
		}
		return nil
	}
	if t := a.Transfer; t != nil {
		if t.Weapon != "" {
			if err := validateID("transfer.weapon", t.Weapon); err != nil {
				return err
			}
		}
		if t.OrderYear != 0 && (t.OrderYear < 1900 || t.OrderYear > 2200) {
			return invalid("transfer.order_year", "%d is not a plausible year", t.OrderYear)
		}
		for i, y := range t.DeliveryYears {
			if y < 1900 || y > 2200 {
				return invalid(fmt.Sprintf("transfer.delivery_years[%d]", i), "%d is not a plausible year", y)
			}
		}
		seenYear := map[int]bool{}
		for i, d := range t.Deliveries {
			f := fmt.Sprintf("transfer.deliveries[%d]", i)
			if d.Year < 1900 || d.Year > 2200 {
				return invalid(f+".year", "%d is not a plausible year", d.Year)
			}
			if seenYear[d.Year] {
				return invalid(f+".year", "%d appears twice", d.Year)
			}
			seenYear[d.Year] = true
			if err := ranges(f, namedRange{"number", d.Number}, namedRange{"tiv_delivered", d.TIVDelivered}); err != nil {
				return err
			}
		}
		if err := ranges("transfer", namedRange{"number_ordered", t.NumberOrdered}, namedRange{"number_delivered", t.NumberDelivered}, namedRange{"tiv_per_unit", t.TIVPerUnit}, namedRange{"tiv_total", t.TIVTotal}, namedRange{"tiv_delivered", t.TIVDelivered}, namedRange{"value", t.Value}); err != nil {
			return err
		}
	}
	if k := a.Contract; k != nil {
		if err := k.Signed.Validate(); err != nil {
			return invalid("contract.signed", "%v", err)
		}
		if err := ranges("contract", namedRange{"value", k.Value}); err != nil {
			return err
		}
		seenMod := map[string]bool{}
		for i, a := range k.Actions {
			f := fmt.Sprintf("contract.actions[%d]", i)
			if seenMod[a.Modification] {
				return invalid(f+".modification", "%q appears twice: each transaction is counted once", a.Modification)
			}
			seenMod[a.Modification] = true
			if err := a.Date.Validate(); err != nil {
				return invalid(f+".date", "%v", err)
			}
		}
	}
	if o := a.Ownership; o != nil {
		if err := ranges("ownership", namedRange{"share", o.Share}); err != nil {
			return err
		}
	}
	if s := a.Sanction; s != nil {
		if err := s.Listed.Validate(); err != nil {
			return invalid("sanction.listed", "%v", err)
		}
		if err := s.Delisted.Validate(); err != nil {
			return invalid("sanction.delisted", "%v", err)
		}
	}
	if o := a.Observation; o != nil {
		if err := oneOf("observation.identification", o.Identification, IdentifiedSerial, IdentifiedType, IdentifiedCategory); err != nil {
			return err
		}
	}
	return nil
}

// ClaimFilter selects claims. Zero fields match everything.
type ClaimFilter struct {
	IDs      []string // any of these ids
	Kind     ClaimKind
	Kinds    []ClaimKind // any of these kinds
	Subject  string
	Subjects []string // any of these subjects
	Object   string
	Objects  []string // any of these objects
	// ObjectType keeps the claims whose object is of this type; with
	// Objects it lets the lookup use one index.
	ObjectType ObjectType
	Entity     string // subject or object
	Weapon     string // the weapon model a transfer names
	Status     Status
	Statuses   []Status // any of these statuses
	Source     string   // cited source
	// ObjectEvents keeps the claims whose object is an event that this
	// filter selects: what was observed at the events of a country and
	// period, in one query.
	ObjectEvents *EventFilter
	// Access keeps what a reader who may see sources of these access
	// levels may see: records that cite at least one such source, or cite
	// none. Nil keeps everything.
	Access []Access
	Offset int
	Limit  int
}

// ClaimEdge is a claim without its document: enough to weigh it (kind,
// ends, status, confidence, period) before deciding to read it whole.
type ClaimEdge struct {
	ID         string
	Kind       ClaimKind
	Subject    string
	Object     string
	Status     Status
	Confidence float64
	ValidFrom  Date
	ValidTo    Date
}

// RankedEdge is a claim edge ranked among the claims of its subject and
// kind (see the store's RankClaimEdges).
type RankedEdge struct {
	ClaimEdge
	Rank   float64 // the score it was ranked by
	Total  int     // how many claims its subject and kind have
	Latest Date    // the latest valid date among them
}

// ClaimService reads and writes claims.
type ClaimService interface {
	FindClaimByID(ctx context.Context, id string) (*Claim, error)
	FindClaims(ctx context.Context, f ClaimFilter) ([]*Claim, error)
	CreateClaim(ctx context.Context, c *Claim) error
	UpdateClaim(ctx context.Context, c *Claim) error
	DeleteClaim(ctx context.Context, id string) error
}
