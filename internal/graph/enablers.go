package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/armstrace/armstrace"
)

// maxChains is how many chains an enabler lists; the rest are counted.
const maxChains = 5

// maxDepth bounds the walk up owners and controllers.
const maxDepth = 3

// Enablers finds the chains from the events of a scope to those who
// enable them, and ranks the enablers.
//
// The walk: weapons observed at the scope's events; transfers of those
// weapons (the same model, the same family, or for a weapon seen only by
// its origin, any supply from that origin) to the perpetrators' states
// and forces, at any time before the event; their suppliers; the
// manufacturers of the weapons; the owners and controllers of the
// suppliers; and those who buy from, ship for, insure or finance them.
// Where no weapon was identified, supplies to the scope's state in the
// period form the weaker direct path.
func Enablers(ctx context.Context, r Reader, sc Scope) (*Report, error) {
	r = Visible(r, sc.Access)
	f := newFinder(ctx, r)
	f.IncludeConfidential = sc.IncludeConfidential
	state, err := ResolveCountry(ctx, r, sc.Country)
	if err != nil {
		return nil, err
	}
	for _, role := range sc.Roles {
		if !slices.Contains(Roles, role) {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "role", Message: fmt.Sprintf("unknown role %q; roles are %s", role, joinRoles(Roles))}
		}
	}
	rep := &Report{Generated: time.Now().UTC()}
	rep.Scope.Country = f.entityNode(state)
	rep.Scope.Since, rep.Scope.Until = string(sc.Since), string(sc.Until)
	rep.Scope.Roles, rep.Scope.EventTypes, rep.Scope.Perpetrator = sc.Roles, sc.EventTypes, sc.Perpetrator
	s := &search{f: f, sc: sc, rep: rep, acc: newAccumulator(), notCounted: map[string]Link{},
		weapons: map[string]Chain{}, recipients: map[string]bool{}, omitted: &omittedClaims{}}
	if s.scopeRecipients, err = f.recipientsOf(state); err != nil {
		return nil, err
	}
	for _, id := range s.scopeRecipients {
		s.recipients[id] = true
	}
	for _, step := range []func(*armstrace.Entity) error{s.weaponPath, s.directPath, s.upstream, s.business, s.rank} {
		if err := step(state); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// search is one run of Enablers: what its steps share.
type search struct {
	f               *finder
	sc              Scope
	rep             *Report
	acc             *accumulator
	notCounted      map[string]Link  // contested or retracted claims met
	weapons         map[string]Chain // the strongest chain through each weapon model supplied
	recipients      map[string]bool  // whose supplies were traced
	scopeRecipients []string         // the scope's state, its forces and agencies
	omitted         *omittedClaims   // where contested or retracted claims may be, read only for enablers listed
}

// skip reports whether a claim does not count, and lists it if so.
func (s *search) skip(c *armstrace.Claim) bool {
	if counts(c) {
		return false
	}
	s.notCounted[c.ID] = s.f.link(c, 1, "")
	return true
}

// weaponPath finds the weapons seen at the scope's events and the
// supplies behind them: step 1.
func (s *search) weaponPath(state *armstrace.Entity) error {
	// The supplies to the scope's state are read while the observations
	// and their events are: they fill a cache of their own (transfers),
	// which nothing else touches meanwhile.
	var wg sync.WaitGroup
	var supErr error
	wg.Go(func() { _, supErr = s.f.transfersTo(s.scopeRecipients) })
	defer wg.Wait()
	obs, err := s.f.r.FindClaims(s.f.ctx, armstrace.ClaimFilter{Kind: armstrace.ClaimObservedAt,
		ObjectEvents: &armstrace.EventFilter{Country: state.Country, Since: s.sc.Since, Until: s.sc.Until, Actor: s.sc.Perpetrator}})
	if err != nil {
		return err
	}
	events := map[string]bool{}
	var cands []*armstrace.Claim // reused for each observation
	var evIDs, weaponIDs []string
	for _, o := range obs {
		evIDs, weaponIDs = append(evIDs, o.Object), append(weaponIDs, o.Subject)
	}
	err = s.f.prefetchEvents(evIDs)
	wg.Wait()
	if err != nil {
		return err
	}
	if supErr != nil {
		return supErr
	}
	if err := s.f.prefetch(weaponIDs); err != nil {
		return err
	}
	var actorIDs []string
	for _, id := range evIDs {
		if ev := s.f.events[id]; ev != nil {
			for _, a := range ev.Actors {
				actorIDs = append(actorIDs, a.Entity)
			}
		}
	}
	if err := s.f.prefetch(actorIDs); err != nil {
		return err
	}
	for _, o := range obs {
		ev, err := s.f.event(o.Object)
		if err != nil {
			return err
		}
		if len(s.sc.EventTypes) > 0 && !slices.Contains(s.sc.EventTypes, ev.Type) {
			continue
		}
		if s.skip(o) {
			continue
		}
		s.rep.Observations++
		events[ev.ID] = true
		weapon, err := s.f.entity(o.Subject)
		if err != nil {
			return err
		}
		idCap, idWhy := identificationCap(o.Attrs.Observation)
		obsLink := s.f.link(o, idCap, idWhy)
		recips, err := s.f.perpetratorRecipients(ev)
		if err != nil {
			return err
		}
		for _, id := range recips {
			s.recipients[id] = true
		}
		ix, err := s.f.transferIndex(recips)
		if err != nil {
			return err
		}
		evEnd := ev.End.Last()
		s.f.gen++
		cands = ix.candidates(weapon, s.f.family(weapon), byCategory(o), s.f.mark, s.f.gen, cands)
		for _, t := range cands {
			if start := s.f.startOf(t); start != "" && ev.End != "" && start > evEnd {
				continue // began after the event: it cannot have armed it
			}
			supplier, err := s.f.entity(t.Subject)
			if err != nil {
				return err
			}
			mCap, mWhy := s.f.weaponMatch(o, weapon, t, supplier)
			if mCap == 0 || s.skip(t) {
				continue
			}
			// Weighed first; the chain's links are built only if kept.
			base := s.f.baseLinkOf(t)
			strength := min(obsLink.Strength, round2(min(base.Strength, mCap)))
			build := func() Chain { return newChain("weapon", obsLink, s.f.link(t, mCap, mWhy)) }
			c, built := s.acc.addPair(t.Subject, RoleSupplier, o, t, &obsLink, base, strength, build)
			if w := weaponOf(t); w != "" {
				if best, ok := s.weapons[w]; !ok || compareRank(strength, "weapon", 2, best) > 0 {
					if !built {
						c = build()
					}
					s.weapons[w] = c
				}
			}
		}
	}
	s.rep.Events = len(events)
	return nil
}

// directPath adds the supplies to the scope's state in the period, where
// no weapon was identified: step 2.
func (s *search) directPath(state *armstrace.Entity) error {
	// 2. The direct path: supplies to the scope's state in the period.
	supplies, err := s.f.transfersTo(s.scopeRecipients)
	if err != nil {
		return err
	}
	for _, t := range supplies {
		if !overlaps(transferStart(t), transferEnd(t), s.sc.Since, s.sc.Until) || s.skip(t) {
			continue
		}
		c := newChain("direct", direct(s.f.link(t, 1, ""), "no weapon of this supply was identified at an event in scope"))
		s.acc.add(t.Subject, RoleSupplier, c)
		noteWeapon(s.weapons, t, c)
	}
	return nil
}

// upstream adds the manufacturers of the weapons on the chains, and the
// owners and controllers of the suppliers: step 3.
func (s *search) upstream(state *armstrace.Entity) error {
	// 3. Upstream: the manufacturers of the s.weapons on the chains, and the
	// owners and controllers of the suppliers, up to maxDepth levels.
	// Manufacturers are ranked in SQL, each claim capped by the strength
	// of its weapon's strongest chain, and read whole only if listed.
	ws := keys(s.weapons)
	for i := 0; i < len(ws); i += chunk {
		part := ws[i:min(i+chunk, len(ws))]
		caps := map[string]float64{}
		for _, w := range part {
			caps[w] = s.weapons[w].Strength
		}
		q := armstrace.ClaimFilter{Kind: armstrace.ClaimManufactured, Objects: part, ObjectType: armstrace.ObjectEntity}
		counting := q
		counting.Statuses = []armstrace.Status{armstrace.StatusVerified, armstrace.StatusAlleged}
		ranked, err := s.f.r.RankClaimEdges(s.f.ctx, counting, caps, allegedFactor, maxChains)
		if err != nil {
			return err
		}
		read, total, latest := map[string]int{}, map[string]int{}, map[string]string{}
		for _, e := range ranked {
			s.acc.add(e.Subject, RoleManufacturer, extend(s.weapons[e.Object], s.f.pendingLink(e.ClaimEdge, false)))
			read[e.Subject]++
			total[e.Subject] = e.Total
			latest[e.Subject] = string(e.Latest.Last())
		}
		for id, n := range read {
			s.acc.addUnread(id, RoleManufacturer, total[id]-n, latest[id])
		}
		s.omitted.queries = append(s.omitted.queries, q)
	}
	frontier := s.acc.idsWith(RoleSupplier)
	for depth := 0; depth < maxDepth && len(frontier) > 0; depth++ {
		parents, err := s.f.claims(armstrace.ClaimFilter{Kinds: []armstrace.ClaimKind{armstrace.ClaimOwns, armstrace.ClaimControls}}, nil, frontier, nil)
		if err != nil {
			return err
		}
		// The frontier's chains as they stand before this level is added,
		// so that an owner who is also owned at the same level does not
		// make the scores depend on the order the claims are read in.
		base := make(map[string]Chain, len(frontier))
		for _, id := range frontier {
			base[id] = s.acc.best(id)
		}
		var next []string
		for _, p := range parents {
			if s.skip(p) {
				continue
			}
			role := RoleOwner
			if p.Kind == armstrace.ClaimControls {
				role = RoleController
			}
			if s.acc.add(p.Subject, role, extend(base[p.Object], s.f.link(p, 1, ""))) {
				next = append(next, p.Subject)
			}
		}
		frontier = next
	}
	return nil
}

// business adds those who do business with the suppliers and their
// groups: step 4.
func (s *search) business(state *armstrace.Entity) error {
	// 4. Those who do business with the suppliers and their groups, and who
	// ship, insure or finance arms to the scope's state. A big supplier
	// has tens of thousands of contracts: they are weighed from the
	// claims' columns, and only the strongest per partner read whole.
	group := s.acc.idsWith(RoleSupplier, RoleOwner, RoleController)
	inGroup := map[string]bool{}
	for _, id := range group {
		inGroup[id] = true
	}
	// Branch and bound: a partner's chain through a group member is at most
	// as strong as the member's own, so when Limit enablers already score
	// above what any partner of a member could, that member's partners
	// cannot be listed and are not weighed, except those already listed.
	floor := s.acc.floor(s.sc.Limit, s.sc.Roles)
	ceiling := maxWeight(s.sc.Roles, RoleBuyer, RoleShipper, RoleInsurer, RoleFinancier)
	var weigh, pruned []string
	for _, id := range group {
		if s.acc.best(id).Strength*ceiling < floor {
			pruned = append(pruned, id)
		} else {
			weigh = append(weigh, id)
		}
	}
	partnerKinds := []armstrace.ClaimKind{armstrace.ClaimContracted, armstrace.ClaimShipped, armstrace.ClaimInsured, armstrace.ClaimFinanced}
	shippers, err := s.f.partners(s.acc, partnerKinds, append(weigh, s.scopeRecipients...), inGroup, nil, s.sc, s.omitted)
	if err != nil {
		return err
	}
	if len(pruned) > 0 {
		// The candidates' own business with the pruned members, so that
		// their roles and evidence are whole.
		if cands := s.acc.atLeast(floor, s.sc.Roles); len(cands) > 0 {
			more, err := s.f.partners(s.acc, partnerKinds, pruned, inGroup, cands, s.sc, s.omitted)
			if err != nil {
				return err
			}
			shippers = append(shippers, more...)
		}
		s.rep.Pruned = len(pruned)
	}
	// The insurers and financiers of the shippers; a shipper in the group
	// had its insurers and financiers weighed above, and is not weighed
	// twice.
	isShipper := map[string]bool{}
	var outside []string
	for _, id := range shippers {
		if !inGroup[id] && !isShipper[id] {
			isShipper[id] = true
			outside = append(outside, id)
		}
	}
	if len(outside) > 0 {
		if _, err := s.f.partners(s.acc, []armstrace.ClaimKind{armstrace.ClaimInsured, armstrace.ClaimFinanced}, outside, isShipper, nil, s.sc, s.omitted); err != nil {
			return err
		}
	}
	return nil
}

// rank orders the enablers and finishes those listed: step 5.
func (s *search) rank(state *armstrace.Entity) error {
	// 5. Rank: by score and evidence first, then read and finish only the
	// enablers listed, and order them again with their names.
	for _, id := range s.acc.ids() {
		e, err := s.f.enabler(s.acc.byID[id], s.sc.Roles)
		if err != nil {
			return err
		}
		if e != nil {
			s.rep.Enablers = append(s.rep.Enablers, *e)
		}
	}
	slices.SortFunc(s.rep.Enablers, compareEnablers)
	if s.sc.Limit > 0 && len(s.rep.Enablers) > s.sc.Limit {
		s.rep.Enablers = s.rep.Enablers[:s.sc.Limit]
	}
	if err := s.f.finish(s.acc, s.rep.Enablers); err != nil {
		return err
	}
	slices.SortFunc(s.rep.Enablers, compareEnablers)
	// Contested and retracted partner claims are read whole only for the
	// enablers listed; the others are counted.
	listed := map[string]int{}
	for i := range s.rep.Enablers {
		s.rep.Enablers[i].Rank = i + 1
		listed[s.rep.Enablers[i].Entity.ID] = i
	}
	read, err := s.f.readOmitted(s.omitted, listed)
	if err != nil {
		return err
	}
	for _, c := range read {
		s.skip(c)
	}
	for cid, l := range s.notCounted {
		i, ok := listed[l.From.ID]
		if !ok {
			i, ok = listed[l.To.ID]
		}
		if ok {
			s.rep.Enablers[i].NotCounted = append(s.rep.Enablers[i].NotCounted, l)
			delete(s.notCounted, cid)
		}
	}
	for i := range s.rep.Enablers {
		slices.SortFunc(s.rep.Enablers[i].NotCounted, func(a, b Link) int { return strings.Compare(a.Claim, b.Claim) })
	}
	for _, l := range s.notCounted {
		s.rep.NotCounted = append(s.rep.NotCounted, l)
	}
	slices.SortFunc(s.rep.NotCounted, func(a, b Link) int { return strings.Compare(a.Claim, b.Claim) })
	for _, id := range slices.Sorted(mapKeys(s.recipients)) {
		e, err := s.f.entity(id)
		if err != nil {
			return err
		}
		s.rep.Recipients = append(s.rep.Recipients, s.f.entityNode(e))
	}
	s.rep.Notes = notes(s.rep)
	return nil
}

// compareEnablers orders by score, then by the amount of evidence, then
// by its recency, then by name: ties are broken by evidence, never by
// chance.
func compareEnablers(a, b Enabler) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Evidence.Claims, a.Evidence.Claims); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Evidence.Sources, a.Evidence.Sources); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Evidence.Latest, a.Evidence.Latest); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Entity.Name, b.Entity.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Entity.ID, b.Entity.ID)
}

func notes(rep *Report) []string {
	out := []string{
		"A chain is as strong as its weakest link; an enabler's score is its strongest chain times the weight of its role (supplier 1.0; shipper and manufacturer 0.9; owner and controller 0.8; insurer and financier 0.75; buyer 0.7). Alleged claims lend 0.8 of their confidence until reviewed; contested and retracted claims lend nothing and are listed as not counted. A weapon seen at an event caps its link by how it was identified (serial 1.0, model 0.8, category or origin 0.5), and a supply by how its weapon matches the one seen (same model 1.0, same family 0.8, origin only 0.5). A chain on the direct path, with no weapon identified at an event, counts for 0.4 of its supply's strength.",
		"SIPRI's register covers major conventional weapons only: no small arms and light weapons, ammunition, or mortars below 100 mm. Supplies of those appear only where other sources record them.",
	}
	if rep.Observations == 0 {
		out = append(out, "No weapon was recorded as observed at an event in scope: every chain is on the direct path (who armed the perpetrator's state in the period), the weakest kind.")
	}
	return out
}

func partnerRole(k armstrace.ClaimKind) Role {
	switch k {
	case armstrace.ClaimShipped:
		return RoleShipper
	case armstrace.ClaimInsured:
		return RoleInsurer
	case armstrace.ClaimFinanced:
		return RoleFinancier
	}
	return RoleBuyer
}

// newChain makes a chain of links, with its strength.
func newChain(path string, links ...Link) Chain {
	c := Chain{Path: path, Links: links}
	c.Strength, c.Weakest = chainStrength(links)
	return c
}

// extend returns a chain with one more link, its strength recomputed.
func extend(c Chain, l Link) Chain {
	return newChain(c.Path, append(slices.Clone(c.Links), l)...)
}

// weaponOf is the weapon model a supply names, or "".
func weaponOf(t *armstrace.Claim) string {
	if t.Attrs.Transfer == nil {
		return ""
	}
	return t.Attrs.Transfer.Weapon
}

// noteWeapon remembers the strongest chain through the weapon model of a
// transfer, for its manufacturers to extend.
func noteWeapon(weapons map[string]Chain, t *armstrace.Claim, c Chain) {
	if t.Attrs.Transfer == nil || t.Attrs.Transfer.Weapon == "" {
		return
	}
	w := t.Attrs.Transfer.Weapon
	if best, ok := weapons[w]; !ok || compareChains(c, best) < 0 {
		weapons[w] = c
	}
}

// transferStart is when a supply began, as precisely as the claim says.
func transferStart(c *armstrace.Claim) armstrace.Date {
	if t := c.Attrs.Transfer; t != nil && t.OrderYear > 0 {
		return yearDate(t.OrderYear)
	}
	if c.ValidFrom != "" {
		return c.ValidFrom
	}
	if t := c.Attrs.Transfer; t != nil && len(t.DeliveryYears) > 0 {
		return yearDate(slices.Min(t.DeliveryYears))
	}
	return ""
}

// transferEnd is when a supply ended: its last delivery or validity.
func transferEnd(c *armstrace.Claim) armstrace.Date {
	if t := c.Attrs.Transfer; t != nil && len(t.DeliveryYears) > 0 {
		return yearDate(slices.Max(t.DeliveryYears))
	}
	return c.ValidTo
}

// overlaps reports whether [from, to] meets [since, until]; an open end
// meets everything on its side.
func overlaps(from, to, since, until armstrace.Date) bool {
	if to == "" {
		to = from
	}
	if since != "" && to != "" && to.Last() < since.First() {
		return false
	}
	if until != "" && from != "" && from.First() > until.Last() {
		return false
	}
	return true
}

func keys[V any](m map[string]V) []string { return slices.Sorted(mapKeys(m)) }

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func joinRoles(rs []Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// partners adds the chains of those who contract with, ship for, insure or
// finance the objects: an object in group extends its own strongest
// chain; another object (the scope's state) puts the claim on the direct
// path, within the period, for all kinds but contracted. Claims are
// weighed from their columns; the strongest maxChains per partner and
// role go on chains as pending links, read whole only if their enabler
// is listed (resolve); the rest are counted. It returns the shippers
// found, and adds contested and retracted claims to omitted.
func (f *finder) partners(acc *accumulator, kinds []armstrace.ClaimKind, objects []string, group map[string]bool, subjects []string, sc Scope, omitted *omittedClaims) ([]string, error) {
	type pick struct {
		e      armstrace.ClaimEdge
		s      float64 // the chain's strength, from the columns
		direct bool
	}
	type key struct {
		partner string
		role    Role
	}
	top := map[key][]pick{}
	total := map[key]int{}
	latest := map[key]string{}
	var shippers []string
	keep := func(k key, p pick) {
		ps := top[k]
		i, _ := slices.BinarySearchFunc(ps, p, func(a, b pick) int {
			if c := cmp.Compare(b.s, a.s); c != 0 {
				return c
			}
			return cmp.Compare(a.e.ID, b.e.ID)
		})
		if i < maxChains {
			ps = slices.Insert(ps, i, p)
			if len(ps) > maxChains {
				ps = ps[:maxChains]
			}
			top[k] = ps
		}
		if k.role == RoleShipper && !slices.Contains(shippers, k.partner) {
			shippers = append(shippers, k.partner)
		}
	}
	var inGroup, others []string
	// The objects' chains as they stand before any partner is added: a
	// partner that is also an object must not make the scores depend on
	// the order partners are added in.
	base := map[string]Chain{}
	for _, id := range objects {
		if group[id] {
			inGroup = append(inGroup, id)
			base[id] = acc.best(id)
		} else {
			others = append(others, id)
		}
	}
	counting := []armstrace.Status{armstrace.StatusVerified, armstrace.StatusAlleged}
	// Claims on the group extend the object's strongest chain: ranked in
	// SQL, the strongest maxChains per partner and kind, each capped by the
	// strength of its object's chain.
	for i := 0; i < len(inGroup); i += chunk {
		part := inGroup[i:min(i+chunk, len(inGroup))]
		caps := map[string]float64{}
		for _, id := range part {
			caps[id] = base[id].Strength
		}
		ranked, err := f.r.RankClaimEdges(f.ctx, armstrace.ClaimFilter{Kinds: kinds, Subjects: subjects, Objects: part, ObjectType: armstrace.ObjectEntity, Statuses: counting}, caps, allegedFactor, maxChains)
		if err != nil {
			return nil, err
		}
		seen := map[key]bool{}
		for _, e := range ranked {
			if e.Subject == e.Object {
				continue
			}
			k := key{e.Subject, partnerRole(e.Kind)}
			if !seen[k] {
				seen[k] = true
				total[k] += e.Total
				if l := string(e.Latest.Last()); e.Latest != "" && l > latest[k] {
					latest[k] = l
				}
			}
			keep(k, pick{e: e.ClaimEdge, s: e.Rank})
		}
		omitted.queries = append(omitted.queries, armstrace.ClaimFilter{Kinds: kinds, Subjects: subjects, Objects: part, ObjectType: armstrace.ObjectEntity})
	}
	// Shipping, insuring or financing for the scope's state itself: the
	// direct path, within the period. These are few; weighed here.
	if len(others) > 0 && subjects == nil {
		edges, err := f.edges(armstrace.ClaimFilter{Kinds: kinds}, nil, others)
		if err != nil {
			return nil, err
		}
		for _, e := range edges {
			if e.Kind == armstrace.ClaimContracted || e.Subject == e.Object || !overlaps(e.ValidFrom, e.ValidTo, sc.Since, sc.Until) {
				continue
			}
			if e.Status != armstrace.StatusVerified && e.Status != armstrace.StatusAlleged {
				omitted.edges = append(omitted.edges, e)
				continue
			}
			s := e.Confidence
			if e.Status == armstrace.StatusAlleged {
				s *= allegedFactor
			}
			k := key{e.Subject, partnerRole(e.Kind)}
			total[k]++
			if _, l := claimDates(&armstrace.Claim{ValidFrom: e.ValidFrom, ValidTo: e.ValidTo}); l > latest[k] {
				latest[k] = l
			}
			keep(k, pick{e: e, s: s * directFactor, direct: true})
		}
	}
	for _, k := range slices.SortedFunc(mapKeysOf(top), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.partner, b.partner), cmp.Compare(a.role, b.role))
	}) {
		for _, p := range top[k] {
			l := f.pendingLink(p.e, p.direct)
			if p.direct {
				acc.add(k.partner, k.role, newChain("direct", l))
			} else {
				acc.add(k.partner, k.role, extend(base[p.e.Object], l))
			}
		}
		acc.addUnread(k.partner, k.role, total[k]-len(top[k]), latest[k])
	}
	slices.Sort(shippers)
	return slices.Compact(shippers), nil
}

func mapKeysOf[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// pendingLink is the link of a claim weighed from its columns: its
// strength is final, its document is read if its enabler is listed.
func (f *finder) pendingLink(e armstrace.ClaimEdge, isDirect bool) Link {
	c := &armstrace.Claim{Status: e.Status, Confidence: e.Confidence}
	l := Link{Claim: e.ID, Kind: e.Kind, Status: e.Status, Confidence: e.Confidence,
		From: Node{ID: e.Subject, Type: "entity", Name: e.Subject}, To: Node{ID: e.Object, Type: "entity", Name: e.Object},
		pending: &pendingLink{edge: e, direct: isDirect}}
	l.Strength, l.Basis = claimStrength(c)
	l.Strength = round2(l.Strength)
	if isDirect {
		l = direct(l, "")
	}
	return l
}

// finish reads the entities of the enablers listed and the pending links
// on their chains, and completes their evidence and reasons.
func (f *finder) finish(acc *accumulator, ens []Enabler) error {
	var ids, ends []string
	for _, e := range ens {
		ends = append(ends, e.Entity.ID)
		for _, c := range e.Chains {
			for _, l := range c.Links {
				if l.pending != nil {
					ids = append(ids, l.Claim)
					ends = append(ends, l.From.ID, l.To.ID)
				}
			}
		}
	}
	if err := f.prefetch(ends); err != nil {
		return err
	}
	slices.Sort(ids)
	read, err := f.claims(armstrace.ClaimFilter{}, nil, nil, slices.Compact(ids))
	if err != nil {
		return err
	}
	byID := map[string]*armstrace.Claim{}
	for _, c := range read {
		byID[c.ID] = c
	}
	for i := range ens {
		e := &ens[i]
		en := acc.byID[e.Entity.ID]
		ent, err := f.entity(e.Entity.ID)
		if err != nil {
			return err
		}
		e.Entity = f.entityNode(ent)
		for j := range e.Chains {
			c := &e.Chains[j]
			links := slices.Clone(c.Links)
			for k, l := range links {
				if l.pending == nil || byID[l.Claim] == nil {
					continue
				}
				full := f.link(byID[l.Claim], 1, "")
				if l.pending.direct {
					full = direct(full, "it served the perpetrator's state in the period, but nothing it carried or paid for was identified at an event in scope")
				}
				links[k] = full
			}
			c.Links = links
			en.ev.add(e.Entity.ID, *c)
		}
		e.Evidence = en.ev.result()
		e.Reason = reason(e, roleChain{role: e.topRole, chain: e.Chains[0]})
	}
	return nil
}

// omittedClaims are where contested and retracted business claims may be:
// they are read only for the enablers listed.
type omittedClaims struct {
	queries []armstrace.ClaimFilter // claims on the group, by filter
	edges   []armstrace.ClaimEdge   // claims on the scope's state, weighed already
}

// readOmitted reads the contested and retracted business claims that a
// listed enabler made (it is their subject) on the group: its own claims
// that do not count, shown as such. It reads by subject, so a supplier
// with a hundred thousand contracts costs nothing here.
func (f *finder) readOmitted(o *omittedClaims, listed map[string]int) ([]*armstrace.Claim, error) {
	var listedIDs []string
	for id := range listed {
		listedIDs = append(listedIDs, id)
	}
	slices.Sort(listedIDs)
	ids := map[string]bool{}
	if len(listedIDs) > 0 && len(o.queries) > 0 {
		objects := map[string]bool{}
		var kinds []armstrace.ClaimKind
		for _, q := range o.queries {
			for _, id := range q.Objects {
				objects[id] = true
			}
			for _, k := range append(slices.Clone(q.Kinds), q.Kind) {
				if k != "" && !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
		}
		es, err := f.edges(armstrace.ClaimFilter{Kinds: kinds, Statuses: []armstrace.Status{armstrace.StatusContested, armstrace.StatusRetracted}}, listedIDs, nil)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if objects[e.Object] {
				ids[e.ID] = true
			}
		}
	}
	for _, e := range o.edges {
		_, s := listed[e.Subject]
		_, ob := listed[e.Object]
		if s || ob {
			ids[e.ID] = true
		}
	}
	return f.claims(armstrace.ClaimFilter{}, nil, nil, slices.Sorted(mapKeys(ids)))
}

// maxWeight is the highest weight among roles that are asked for (all
// when none is).
func maxWeight(only []Role, roles ...Role) float64 {
	w := 0.0
	for _, r := range roles {
		if len(only) == 0 || slices.Contains(only, r) {
			w = max(w, roleWeight[r])
		}
	}
	return w
}

// startOf is the first day a supply may have begun, computed once per
// claim: it is asked for every observation the supply may match.
func (f *finder) startOf(t *armstrace.Claim) armstrace.Date {
	if d, ok := f.starts[t.ID]; ok {
		return d
	}
	d := transferStart(t)
	if d != "" {
		d = d.First()
	}
	f.starts[t.ID] = d
	return d
}

// yearDate is a year as a partial date.
func yearDate(y int) armstrace.Date {
	if y >= 1000 && y <= 9999 {
		return armstrace.Date(strconv.Itoa(y))
	}
	return armstrace.Date(fmt.Sprintf("%04d", y))
}
