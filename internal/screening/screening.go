// Package screening applies reviewers' decisions to screening hits: a hit
// a reviewer marked "not a match" is suppressed for every later query
// whose name normalises alike, and listed as suppressed with the reason;
// a hit marked "a match" carries the review. It is pure: the decisions
// come from the store, the hits from internal/match.
package screening

import (
	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/match"
)

// Key is the form of a name that decisions are keyed by.
func Key(name string) string { return match.Normalize(name) }

// Decisions indexes decisions by query key, then entity.
type Decisions map[string]map[string]*armstrace.ScreeningDecision

// NewDecisions indexes a list of decisions.
func NewDecisions(ds []*armstrace.ScreeningDecision) Decisions {
	out := Decisions{}
	for _, d := range ds {
		if out[d.QueryKey] == nil {
			out[d.QueryKey] = map[string]*armstrace.ScreeningDecision{}
		}
		out[d.QueryKey][d.Entity] = d
	}
	return out
}

// Suppressed is how many hits on name a reviewer has suppressed: a search
// asks for that many more, so that suppression never shortens a result
// list below its limit.
func (d Decisions) Suppressed(name string) int {
	n := 0
	for _, x := range d[Key(name)] {
		if x.Decision == armstrace.DecisionNotAMatch {
			n++
		}
	}
	return n
}

// Hit is a screening hit with the review it has had, if any.
type Hit struct {
	match.Hit
	Review *armstrace.ScreeningDecision `json:"review,omitempty"`
}

// Apply splits the hits on name into those shown, at most limit (all when
// limit is 0), and those suppressed by a reviewer's decision.
func (d Decisions) Apply(name string, hits []match.Hit, limit int) (shown, suppressed []Hit) {
	byEntity := d[Key(name)]
	for _, h := range hits {
		r := byEntity[h.Entity.ID]
		switch {
		case r != nil && r.Decision == armstrace.DecisionNotAMatch:
			suppressed = append(suppressed, Hit{h, r})
		case limit == 0 || len(shown) < limit:
			shown = append(shown, Hit{h, r})
		}
	}
	return shown, suppressed
}
