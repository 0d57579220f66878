package graph

import (
	"fmt"

	"github.com/armstrace/armstrace"
)

// The strength rules. A link's strength starts from the analyst's
// confidence in its claim; an unreviewed (alleged) claim lends less than a
// verified one; contested and retracted claims lend nothing and are never
// on a chain. Some links are capped by what they can show at best: a
// weapon identified only by its origin cannot prove more than that weapons
// of that origin were there, whatever the confidence in the report.
const (
	// alleged claims lend this share of their confidence until reviewed.
	allegedFactor = 0.8

	// How a weapon seen at an event was identified.
	capSerial   = 1.0 // serial number or markings traced to a transfer
	capType     = 0.8 // model identified from imagery or remnants
	capCategory = 0.5 // only a category or origin ("Russian weapons")

	// How a transfer's weapon matches the weapon seen.
	capSameModel  = 1.0 // the same weapon model
	capSameFamily = 0.8 // a variant of the same family (Mi-24D and Mi-24)
	capOrigin     = 0.5 // only the supplier's country matches the origin seen

	// directFactor scales a link on the direct path: the supplier armed
	// the perpetrator's state in the period, but no weapon it supplied was
	// identified at an event, so the chain lacks its link to the scene.
	directFactor = 0.4
)

// direct turns a link into one on the direct path.
func direct(l Link, why string) Link {
	if l.Strength > 0 {
		l.Strength = round2(l.Strength * directFactor)
		l.Basis += fmt.Sprintf("; × %.1f on the direct path: %s", directFactor, why)
	}
	return l
}

// roleWeight says how directly a role puts weapons in a perpetrator's
// hands; an enabler's score is its strongest chain times this weight.
var roleWeight = map[Role]float64{
	RoleSupplier:     1.0,
	RoleShipper:      0.9,
	RoleManufacturer: 0.9,
	RoleOwner:        0.8,
	RoleController:   0.8,
	RoleInsurer:      0.75,
	RoleFinancier:    0.75,
	RoleBuyer:        0.7,
}

// counts reports whether a claim may support a chain.
func counts(c *armstrace.Claim) bool {
	return c.Status == armstrace.StatusVerified || c.Status == armstrace.StatusAlleged
}

// claimStrength is what a counting claim lends before any cap, and why.
func claimStrength(c *armstrace.Claim) (float64, string) {
	if c.Status == armstrace.StatusAlleged {
		return c.Confidence * allegedFactor, fmt.Sprintf("alleged, not yet reviewed: confidence %.2f × %.1f", c.Confidence, allegedFactor)
	}
	return c.Confidence, fmt.Sprintf("verified: confidence %.2f", c.Confidence)
}

// identificationCap is the cap of an observation, and its words.
func identificationCap(o *armstrace.Observation) (float64, string) {
	id := armstrace.IdentifiedCategory
	if o != nil && o.Identification != "" {
		id = o.Identification
	}
	switch id {
	case armstrace.IdentifiedSerial:
		return capSerial, "serial number or markings traced"
	case armstrace.IdentifiedType:
		return capType, "model identified from imagery or remnants"
	default:
		return capCategory, "identified by category or origin only"
	}
}

// capped applies a cap to a strength and says which bound it.
func capped(s float64, why string, limit float64, limitWhy string) (float64, string) {
	return min(s, limit), fmt.Sprintf("%s; capped at %.2f: %s", why, limit, limitWhy)
}

// chainStrength is the strength of the weakest link, and its index.
func chainStrength(links []Link) (float64, int) {
	best, at := 2.0, 0
	for i, l := range links {
		if l.Strength < best {
			best, at = l.Strength, i
		}
	}
	if len(links) == 0 {
		return 0, 0
	}
	return best, at
}
