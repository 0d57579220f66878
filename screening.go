package armstrace

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Decision is a reviewer's verdict on a screening hit.
type Decision string

const (
	// DecisionNotAMatch suppresses the hit: the name screened is not the
	// entity it met. It is no longer shown as a result, only listed as
	// suppressed, with the reason.
	DecisionNotAMatch Decision = "not_a_match"
	// DecisionMatch confirms the hit: the name is the entity.
	DecisionMatch Decision = "match"
)

// ScreeningDecision records a reviewer's verdict on one hit: a name, as
// screened, against one entity. Screening applies it to every later
// query whose name normalises alike.
type ScreeningDecision struct {
	ID       string   `json:"id"`
	Query    string   `json:"query"`     // the name as first decided on
	QueryKey string   `json:"query_key"` // its normalised form, which decisions are keyed by
	Entity   string   `json:"entity"`
	Decision Decision `json:"decision"`
	Reason   string   `json:"reason"`
	Reviewer string   `json:"reviewer"`
	At       string   `json:"at"` // RFC 3339, UTC
}

// DecisionID is the id of the decision on a query key and an entity.
func DecisionID(queryKey, entity string) string {
	h := sha256.Sum256([]byte(queryKey + "\x00" + entity))
	return "sd:" + hex.EncodeToString(h[:8])
}

// Validate returns an EINVALID error naming the first field at fault.
func (d *ScreeningDecision) Validate() error {
	if err := validateText(d); err != nil {
		return err
	}
	if strings.TrimSpace(d.Query) == "" {
		return invalid("query", "required")
	}
	if strings.TrimSpace(d.QueryKey) == "" {
		return invalid("query_key", "required")
	}
	if err := validateID("entity", d.Entity); err != nil {
		return err
	}
	if err := oneOf("decision", d.Decision, DecisionNotAMatch, DecisionMatch); err != nil {
		return err
	}
	if strings.TrimSpace(d.Reason) == "" {
		return invalid("reason", "required: say why, for the next reviewer")
	}
	if d.ID != DecisionID(d.QueryKey, d.Entity) {
		return invalid("id", "must be DecisionID(query_key, entity)")
	}
	return nil
}
