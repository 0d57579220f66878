package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
)

// accumulator gathers chains by the entity at their end.
type accumulator struct {
	byID map[string]*entry
}

type entry struct {
	id     string
	chains []roleChain
	seen   map[string]bool
}

type roleChain struct {
	role  Role
	chain Chain
}

func newAccumulator() *accumulator { return &accumulator{byID: map[string]*entry{}} }

// add records a chain ending at id in a role. It reports whether id is new
// in that role.
func (a *accumulator) add(id string, role Role, c Chain) bool {
	if len(c.Links) == 0 {
		return false
	}
	c.Strength, c.Weakest = chainStrength(c.Links)
	e := a.byID[id]
	if e == nil {
		e = &entry{id: id, seen: map[string]bool{}}
		a.byID[id] = e
	}
	sig := string(role)
	for _, l := range c.Links {
		sig += "\x00" + l.Claim
	}
	if e.seen[sig] {
		return false
	}
	e.seen[sig] = true
	isNew := true
	for _, rc := range e.chains {
		if rc.role == role {
			isNew = false
			break
		}
	}
	e.chains = append(e.chains, roleChain{role, c})
	return isNew
}

// best returns the strongest chain ending at id.
func (a *accumulator) best(id string) Chain {
	var best Chain
	if e := a.byID[id]; e != nil {
		for _, rc := range e.chains {
			if len(best.Links) == 0 || rc.chain.Strength > best.Strength {
				best = rc.chain
			}
		}
	}
	return best
}

func (a *accumulator) ids() []string { return keys(a.byID) }

// idsWith returns the entities that have a chain in one of the roles.
func (a *accumulator) idsWith(roles ...Role) []string {
	var out []string
	for _, id := range a.ids() {
		for _, rc := range a.byID[id].chains {
			if slices.Contains(roles, rc.role) {
				out = append(out, id)
				break
			}
		}
	}
	return out
}

// enabler ranks one entity's chains and explains its score; nil when none
// of its chains is in one of the roles asked for.
func (f *finder) enabler(en *entry, only []Role) (*Enabler, error) {
	var rcs []roleChain
	for _, rc := range en.chains {
		if len(only) == 0 || slices.Contains(only, rc.role) {
			rcs = append(rcs, rc)
		}
	}
	if len(rcs) == 0 {
		return nil, nil
	}
	score := func(rc roleChain) float64 { return rc.chain.Strength * roleWeight[rc.role] }
	slices.SortStableFunc(rcs, func(a, b roleChain) int {
		if c := cmp.Compare(score(b), score(a)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.chain.Strength, a.chain.Strength); c != 0 {
			return c
		}
		if a.chain.Path != b.chain.Path {
			// At equal strength, a chain through a weapon seen at the scene
			// says more than supply alone.
			if a.chain.Path == "weapon" {
				return -1
			}
			return 1
		}
		return cmp.Compare(len(a.chain.Links), len(b.chain.Links))
	})
	ent, err := f.entity(en.id)
	if err != nil {
		return nil, err
	}
	e := &Enabler{Entity: f.entityNode(ent), Score: round2(score(rcs[0]))}
	for _, r := range Roles {
		for _, rc := range rcs {
			if rc.role == r {
				e.Roles = append(e.Roles, r)
				break
			}
		}
	}
	for i, rc := range rcs {
		if i == maxChains {
			e.MoreChains = len(rcs) - maxChains
			break
		}
		e.Chains = append(e.Chains, rc.chain)
	}
	e.Evidence = evidenceOf(en.id, rcs)
	e.Reason = reason(e, rcs[0])
	return e, nil
}

// evidenceOf sums up the claims on an enabler's chains.
func evidenceOf(id string, rcs []roleChain) Evidence {
	var ev Evidence
	claims, sources, events, own := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, rc := range rcs {
		for _, l := range rc.chain.Links {
			if l.Kind == armstrace.ClaimObservedAt {
				events[l.To.ID] = true
			}
			if !claims[l.Claim] {
				claims[l.Claim] = true
				for _, c := range l.Citations {
					sources[c.Source] = true
				}
				first, last := claimDates(l.claim)
				if first != "" && (ev.First == "" || first < ev.First) {
					ev.First = first
				}
				if last != "" && last > ev.Latest {
					ev.Latest = last
				}
			}
			if l.From.ID != id || own[l.Claim] {
				continue
			}
			own[l.Claim] = true
			c := l.claim
			if t := c.Attrs.Transfer; t != nil {
				if t.TIVDelivered != nil && t.TIVDelivered.Best != nil {
					ev.TIVDelivered += *t.TIVDelivered.Best
				}
				ev.ValueUSD += usd(t.Value)
			}
			if k := c.Attrs.Contract; k != nil {
				ev.ValueUSD += usd(k.Value)
				if k.AwardID != "" && !slices.Contains(ev.AwardIDs, k.AwardID) {
					ev.AwardIDs = append(ev.AwardIDs, k.AwardID)
				}
			}
		}
	}
	ev.Claims, ev.Sources, ev.Events = len(claims), len(sources), len(events)
	ev.TIVDelivered = round2(ev.TIVDelivered)
	slices.Sort(ev.AwardIDs)
	return ev
}

// usd is the best figure of a money range in US dollars, or its low end.
func usd(r *armstrace.Range) float64 {
	if r == nil || !strings.EqualFold(r.Unit, "USD") {
		return 0
	}
	if r.Best != nil {
		return *r.Best
	}
	if r.Low != nil {
		return *r.Low
	}
	return 0
}

// claimDates returns the first and last day a claim speaks of.
func claimDates(c *armstrace.Claim) (string, string) {
	from, to := transferStart(c), transferEnd(c)
	if k := c.Attrs.Contract; k != nil && k.Signed != "" && from == "" {
		from = k.Signed
	}
	if from == "" {
		from = c.ValidFrom
	}
	if to == "" {
		to = c.ValidTo
	}
	if to == "" {
		to = from
	}
	var a, b string
	if from != "" {
		a = string(from.First())
	}
	if to != "" {
		b = string(to.Last())
	}
	return a, b
}

// reason explains an enabler's score in a sentence or two.
func reason(e *Enabler, top roleChain) string {
	c := top.chain
	var what string
	last := c.Links[len(c.Links)-1]
	switch top.role {
	case RoleSupplier:
		what = "supplied " + last.To.Name
		if e.Evidence.TIVDelivered > 0 {
			what += fmt.Sprintf(" (SIPRI TIV delivered on its chains: %s)", strconv.FormatFloat(e.Evidence.TIVDelivered, 'f', -1, 64))
		}
	case RoleManufacturer:
		what = "manufactured " + last.To.Name + ", a weapon on a supply chain"
	case RoleOwner:
		what = "owns " + last.To.Name + ", an enabler on the chain"
	case RoleController:
		what = "controls " + last.To.Name + ", an enabler on the chain"
	case RoleBuyer:
		what = "buys from " + last.To.Name
		if len(e.Evidence.AwardIDs) > 0 {
			what += " (award " + strings.Join(e.Evidence.AwardIDs, ", ") + ")"
		}
	case RoleShipper:
		what = "shipped for or to " + last.To.Name
	case RoleInsurer:
		what = "insured " + last.To.Name
	case RoleFinancier:
		what = "financed " + last.To.Name
	}
	var path string
	if c.Path == "weapon" {
		ev := c.Links[0].To.Name
		path = fmt.Sprintf("linked to weapons seen at %d event(s) in scope, such as %q", max(e.Evidence.Events, 1), ev)
	} else {
		path = "on the direct path only: no weapon on its chains was identified at an event in scope"
	}
	w := c.Links[c.Weakest]
	return fmt.Sprintf("%s %s, %s. Strongest chain %.2f × %s weight %.2f = %.2f; its weakest link is %s %s → %s (%s, %.2f: %s). Evidence: %d claims, %d sources.",
		e.Entity.Name, what, path, c.Strength, top.role, roleWeight[top.role], e.Score,
		w.Claim, w.From.Name, w.To.Name, w.Kind, w.Strength, w.Basis, e.Evidence.Claims, e.Evidence.Sources)
}
