package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
)

// accumulator gathers chains by the entity at their end. It keeps the
// strongest chains of each role and sums up the evidence of all of them
// as they come, so that memory stays bounded on a large graph.
type accumulator struct {
	byID map[string]*entry
}

type entry struct {
	id     string
	byRole map[Role]*roleChains
	best   Chain // the strongest chain in any role: what others extend
	seen   map[string]bool
	ev     evidenceAcc
}

// roleChains are the strongest chains of one role, and how many there are.
type roleChains struct {
	top   []Chain // strongest first, at most maxChains
	total int
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
		e = &entry{id: id, byRole: map[Role]*roleChains{}, seen: map[string]bool{}, ev: newEvidenceAcc()}
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
	rc := e.byRole[role]
	isNew := rc == nil
	if isNew {
		rc = &roleChains{}
		e.byRole[role] = rc
	}
	rc.total++
	if len(e.best.Links) == 0 || c.Strength > e.best.Strength {
		e.best = c
	}
	e.ev.add(id, c)
	i, _ := slices.BinarySearchFunc(rc.top, c, compareChains)
	if i < maxChains {
		rc.top = slices.Insert(rc.top, i, c)
		if len(rc.top) > maxChains {
			rc.top = rc.top[:maxChains]
		}
	}
	return isNew
}

// addPair records the chain from observation o through supply t, of
// strength s, ending at id in a role, as add does, but builds the chain's
// links (build) only if it is kept: among the strongest of its role, or
// the entity's strongest. Its evidence counts either way. It returns the
// chain when it was built.
func (a *accumulator) addPair(id string, role Role, o, t *armstrace.Claim, oLink, tLink *Link, s float64, build func() Chain) (Chain, bool) {
	e := a.byID[id]
	if e == nil {
		e = &entry{id: id, byRole: map[Role]*roleChains{}, seen: map[string]bool{}, ev: newEvidenceAcc()}
		a.byID[id] = e
	}
	// Each observation is weighed once against each of its candidates,
	// each once: a pair never comes twice, so it needs no record.
	rc := e.byRole[role]
	if rc == nil {
		rc = &roleChains{}
		e.byRole[role] = rc
	}
	rc.total++
	e.ev.addClaim(id, o, oLink.Citations)
	e.ev.addClaim(id, t, tLink.Citations)
	i, _ := slices.BinarySearchFunc(rc.top, Chain{}, func(x, _ Chain) int { return compareRank(s, "weapon", 2, x) })
	best := len(e.best.Links) == 0 || compareRank(s, "weapon", 2, e.best) > 0
	if i >= maxChains && !best {
		return Chain{}, false
	}
	c := build()
	if i < maxChains {
		rc.top = slices.Insert(rc.top, i, c)
		if len(rc.top) > maxChains {
			rc.top = rc.top[:maxChains]
		}
	}
	if best {
		e.best = c
	}
	return c, true
}

// compareRank compares an existing chain x with a chain of strength s,
// path and n links, as compareChains(x, that chain) would.
func compareRank(s float64, path string, n int, x Chain) int {
	if c := cmp.Compare(s, x.Strength); c != 0 {
		return c
	}
	if x.Path != path {
		if x.Path == "weapon" {
			return -1
		}
		return 1
	}
	return cmp.Compare(len(x.Links), n)
}

// compareChains orders chains strongest first; at equal strength a chain
// through a weapon seen at the scene says more than supply alone, and a
// shorter chain comes first.
func compareChains(a, b Chain) int {
	if c := cmp.Compare(b.Strength, a.Strength); c != 0 {
		return c
	}
	if a.Path != b.Path {
		if a.Path == "weapon" {
			return -1
		}
		return 1
	}
	return cmp.Compare(len(a.Links), len(b.Links))
}

// addUnread counts n more chains of id in a role whose claims were
// weighed but not read whole: they count in the evidence, not the list.
func (a *accumulator) addUnread(id string, role Role, n int, latest string) {
	e := a.byID[id]
	if n <= 0 || e == nil || e.byRole[role] == nil {
		return
	}
	e.byRole[role].total += n
	e.ev.unread += n
	if latest > e.ev.ev.Latest {
		e.ev.ev.Latest = latest
	}
}

// score is an entity's score so far over the roles asked for.
func (e *entry) score(only []Role) float64 {
	s := 0.0
	for r, rc := range e.byRole {
		if len(rc.top) > 0 && (len(only) == 0 || slices.Contains(only, r)) {
			s = max(s, rc.top[0].Strength*roleWeight[r])
		}
	}
	return s
}

// floor is the limit-th best score so far: an entity that cannot beat it
// cannot be listed. It is 0 when fewer are found or there is no limit.
func (a *accumulator) floor(limit int, only []Role) float64 {
	if limit <= 0 {
		return 0
	}
	var scores []float64
	for _, e := range a.byID {
		if s := e.score(only); s > 0 {
			scores = append(scores, s)
		}
	}
	if len(scores) < limit {
		return 0
	}
	slices.SortFunc(scores, func(a, b float64) int { return cmp.Compare(b, a) })
	return scores[limit-1]
}

// atLeast lists the entities scoring at least floor so far.
func (a *accumulator) atLeast(floor float64, only []Role) []string {
	var out []string
	for _, id := range a.ids() {
		if a.byID[id].score(only) >= floor {
			out = append(out, id)
		}
	}
	return out
}

// best returns the strongest chain ending at id.
func (a *accumulator) best(id string) Chain {
	if e := a.byID[id]; e != nil {
		return e.best
	}
	return Chain{}
}

func (a *accumulator) ids() []string { return keys(a.byID) }

// idsWith returns the entities that have a chain in one of the roles.
func (a *accumulator) idsWith(roles ...Role) []string {
	var out []string
	for _, id := range a.ids() {
		for _, r := range roles {
			if a.byID[id].byRole[r] != nil {
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
	total := 0
	var roles []Role
	for _, r := range Roles {
		rc := en.byRole[r]
		if rc == nil || len(only) > 0 && !slices.Contains(only, r) {
			continue
		}
		roles = append(roles, r)
		total += rc.total
		for _, c := range rc.top {
			rcs = append(rcs, roleChain{r, c})
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
		return compareChains(a.chain, b.chain)
	})
	// The entity, the pending links and the reason are filled in only if
	// the enabler is listed (finish).
	e := &Enabler{Entity: Node{ID: en.id, Type: "entity"}, Score: round2(score(rcs[0])), Roles: roles, topRole: rcs[0].role}
	for i, rc := range rcs {
		if i == maxChains {
			break
		}
		e.Chains = append(e.Chains, rc.chain)
	}
	e.MoreChains = total - len(e.Chains)
	e.Evidence = en.ev.result()
	return e, nil
}

// evidenceAcc sums up the claims on an enabler's chains as they come.
type evidenceAcc struct {
	ev                           Evidence
	claims, sources, events, own map[string]bool
	deals                        map[string]float64 // TIV delivered by deal, counted once
	unread                       int                // claims weighed but not read whole
	seenLink                     map[string]bool    // claims read whole and summed
}

func newEvidenceAcc() evidenceAcc {
	return evidenceAcc{claims: map[string]bool{}, sources: map[string]bool{}, events: map[string]bool{}, own: map[string]bool{}, deals: map[string]float64{}, seenLink: map[string]bool{}}
}

func (a *evidenceAcc) add(id string, c Chain) {
	ev := &a.ev
	for _, l := range c.Links {
		if l.claim == nil {
			// Weighed, not read: its id and dates count now; its sources and
			// figures when it is read.
			if p := l.pending; p != nil && !a.claims[l.Claim] {
				a.claims[l.Claim] = true
				_, last := claimDates(&armstrace.Claim{ValidFrom: p.edge.ValidFrom, ValidTo: p.edge.ValidTo})
				if last > ev.Latest {
					ev.Latest = last
				}
			}
			continue
		}
		a.addClaim(id, l.claim, l.Citations)
	}
}

// addClaim counts a claim read whole on a chain of the entity id, citing
// the sources of its link. Each claim counts once, whatever the chains it
// is on; its figures count for the entity only when it is the subject.
func (a *evidenceAcc) addClaim(id string, c *armstrace.Claim, cites []Citation) {
	ev := &a.ev
	if c.Kind == armstrace.ClaimObservedAt {
		a.events[c.Object] = true
	}
	if !a.seenLink[c.ID] {
		a.seenLink[c.ID] = true
		a.claims[c.ID] = true
		for _, s := range cites {
			a.sources[s.Source] = true
		}
		first, last := claimDates(c)
		if first != "" && (ev.First == "" || first < ev.First) {
			ev.First = first
		}
		if last != "" && last > ev.Latest {
			ev.Latest = last
		}
	}
	if c.Subject != id || a.own[c.ID] {
		return
	}
	a.own[c.ID] = true
	if t := c.Attrs.Transfer; t != nil {
		// SIPRI's two layouts record one deal as two claims: count a deal
		// once, by its parties, order year and weapon.
		k := dealKey(c)
		tiv := 0.0
		if t.TIVDelivered != nil && t.TIVDelivered.Best != nil {
			tiv = *t.TIVDelivered.Best
		}
		if prev, ok := a.deals[k]; ok {
			ev.TIVDelivered += max(tiv, prev) - prev
			a.deals[k] = max(tiv, prev)
		} else {
			ev.TIVDelivered += tiv
			a.deals[k] = tiv
			ev.ValueUSD += usd(t.Value)
		}
	}
	if k := c.Attrs.Contract; k != nil {
		ev.ValueUSD += usd(k.Value)
		if k.AwardID != "" && !slices.Contains(ev.AwardIDs, k.AwardID) {
			ev.AwardIDs = append(ev.AwardIDs, k.AwardID)
		}
	}
}

func (a *evidenceAcc) result() Evidence {
	ev := a.ev
	ev.Claims, ev.Sources, ev.Events = len(a.claims)+a.unread, len(a.sources), len(a.events)
	ev.TIVDelivered = round2(ev.TIVDelivered)
	ev.AwardIDs = slices.Sorted(slices.Values(ev.AwardIDs))
	return ev
}

// dealKey identifies a deal across the layouts of a register: supplier,
// recipient, order year and weapon. A claim without an order year or a
// weapon is its own deal.
func dealKey(c *armstrace.Claim) string {
	t := c.Attrs.Transfer
	w := strings.ToLower(strings.TrimSpace(t.Designation))
	if w == "" {
		w = t.Weapon
	}
	if t.OrderYear == 0 || w == "" {
		return c.ID
	}
	return fmt.Sprintf("%s\x00%s\x00%d\x00%s", c.Subject, c.Object, t.OrderYear, w)
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
	return fmt.Sprintf("%s %s, %s. Strongest chain %.2f × %s weight %.2f = %.2f; its weakest link is the %s claim %s (%.2f: %s). Evidence: %d claims, %d sources.",
		e.Entity.Name, what, path, c.Strength, top.role, roleWeight[top.role], e.Score,
		strings.ReplaceAll(string(w.Kind), "_", " "), w.Claim, w.Strength, w.Basis, e.Evidence.Claims, e.Evidence.Sources)
}
