package dossier

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/match"
)

// Reader is what a dossier reads; the store implements it.
type Reader interface {
	graph.Reader
	FindSources(ctx context.Context) ([]*armstrace.Source, error)
	FindEvents(ctx context.Context, f armstrace.EventFilter) ([]*armstrace.Event, error)
}

// Options shape a dossier.
type Options struct {
	Query string // what the user asked for, shown with the match
	Match *Match // how the query resolved to the subject, when by name
	// IncludeConfidential shows confidential sources; by default they are
	// withheld and counted.
	IncludeConfidential bool
	// Access, when set, redacts the dossier for a reader who may see
	// sources of these levels only: what rests only on other sources is
	// left out altogether (graph.Visible), and the dossier says it was
	// redacted, never what or how much.
	Access []armstrace.Access
	Now    time.Time // the "as of" time; now when zero
}

// redacted is a Reader that shows only what a reader may see.
type redacted struct {
	graph.Reader
	all    Reader
	levels []armstrace.Access
}

func (r *redacted) FindSources(ctx context.Context) ([]*armstrace.Source, error) {
	ss, err := r.all.FindSources(ctx)
	if err != nil {
		return nil, err
	}
	out := ss[:0]
	for _, s := range ss {
		if slices.Contains(r.levels, s.Access) || (s.Access == "" && slices.Contains(r.levels, armstrace.AccessPublic)) {
			out = append(out, s)
		}
	}
	return out, nil
}

// SIPRICoverage is said wherever SIPRI figures are shown.
const SIPRICoverage = "SIPRI's register covers major conventional weapons only: no small arms and light weapons, ammunition, or mortars below 100 mm. Its figures are trend-indicator values (TIV, millions): a measure of military capability transferred, not of money paid."

// Build gathers the dossier of the entity id from the graph.
func Build(ctx context.Context, r Reader, id string, o Options) (*Dossier, error) {
	if o.Access != nil {
		r = &redacted{Reader: graph.Visible(r, o.Access), all: r, levels: o.Access}
	}
	e, err := r.FindEntityByID(ctx, id)
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	lk := graph.NewLinker(ctx, r, o.IncludeConfidential)
	b := &builder{ctx: ctx, r: r, lk: lk, e: e, seenNC: map[string]bool{}, conf: o.IncludeConfidential}
	d := &Dossier{Schema: SchemaVersion, Generated: now, Query: o.Query, SectionTitle: slices.Clone(DefaultTitles[:]),
		Subject: lk.Node(e.ID, armstrace.ObjectEntity)}
	if d.Query == "" {
		d.Query = id
	}
	if o.Access != nil {
		levels := make([]string, len(o.Access))
		for i, l := range o.Access {
			levels[i] = string(l)
		}
		d.Redacted = "Redacted for a reader who may see " + strings.Join(levels, " and ") + " sources: whatever rests only on other sources is left out, without saying whether there is any."
	}
	d.Identity = b.identity(o.Match)
	steps := []func(*Dossier) error{b.ownership, b.sanctions, b.transfers, b.misuse, b.partners, b.outreach}
	for _, step := range steps {
		if err := step(d); err != nil {
			return nil, err
		}
	}
	d.Criteria = criteria(d)
	d.NotCounted = b.notCounted
	if err := b.provenance(d, now); err != nil {
		return nil, err
	}
	emptySlices(d)
	return d, nil
}

type builder struct {
	ctx        context.Context
	r          Reader
	lk         *graph.Linker
	e          *armstrace.Entity
	notCounted []graph.Link
	seenNC     map[string]bool
	conf       bool // show confidential sources
}

// keep reports whether a claim counts; one that does not is listed once
// as not counted.
func (b *builder) keep(c *armstrace.Claim) bool {
	if graph.Counts(c) {
		return true
	}
	if !b.seenNC[c.ID] {
		b.seenNC[c.ID] = true
		b.notCounted = append(b.notCounted, b.lk.Link(c))
	}
	return false
}

func (b *builder) identity(m *Match) Identity {
	e := b.e
	id := Identity{ID: e.ID, Name: e.Name, Kind: string(e.Kind), Country: e.Country, Description: e.Description, Match: m,
		Citations: b.lk.Cite(e.Citations)}
	id.Names = append(id.Names, Name{Value: e.Name, Kind: "primary", Script: armstrace.ScriptOf(e.Name)})
	for _, a := range e.Aliases {
		kind := string(a.Kind)
		if kind == "" {
			kind = string(armstrace.NameAlias)
		}
		script := a.Script
		if script == "" {
			script = armstrace.ScriptOf(a.Value)
		}
		id.Names = append(id.Names, Name{Value: a.Value, Kind: kind, Script: script})
	}
	id.Transliteration = transliterations(id.Names)
	for _, x := range e.Identifiers {
		id.Identifiers = append(id.Identifiers, Identifier{Scheme: x.Scheme, Value: x.Value})
	}
	return id
}

func (b *builder) claims(f armstrace.ClaimFilter) ([]*armstrace.Claim, error) {
	cs, err := b.r.FindClaims(b.ctx, f)
	if err != nil {
		return nil, err
	}
	out := cs[:0]
	for _, c := range cs {
		if b.keep(c) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (b *builder) ownership(d *Dossier) error {
	kinds := []armstrace.ClaimKind{armstrace.ClaimOwns, armstrace.ClaimControls}
	up, err := b.claims(armstrace.ClaimFilter{Kinds: kinds, Object: b.e.ID})
	if err != nil {
		return err
	}
	for _, c := range up {
		if c.Kind == armstrace.ClaimOwns {
			d.Ownership.Owners = append(d.Ownership.Owners, b.lk.Link(c))
		} else {
			d.Ownership.Controllers = append(d.Ownership.Controllers, b.lk.Link(c))
		}
	}
	down, err := b.claims(armstrace.ClaimFilter{Kinds: kinds, Subject: b.e.ID})
	if err != nil {
		return err
	}
	for _, c := range down {
		d.Ownership.Subsidiaries = append(d.Ownership.Subsidiaries, b.lk.Link(c))
	}
	return nil
}

// procurementWords mark a listing that bars buying from the subject.
var procurementWords = []string{"procure", "contract", "debar", "exclusion", "ndaa", "purchas", "acquisition"}

func (b *builder) sanctions(d *Dossier) error {
	cs, err := b.claims(armstrace.ClaimFilter{Kind: armstrace.ClaimSanctioned, Object: b.e.ID})
	if err != nil {
		return err
	}
	for _, c := range cs {
		l := b.lk.Link(c)
		s := Sanction{Body: l.From.Name, Link: l, State: "in force"} // as of the source: no delisting recorded
		if a := c.Attrs.Sanction; a != nil {
			s.Programs, s.LegalBasis, s.Listed, s.Delisted, s.EntryID = a.Programs, a.LegalBasis, string(a.Listed), string(a.Delisted), a.ListEntryID
			if a.Delisted != "" {
				s.State = "delisted"
			}
		}
		if s.Listed == "" && c.ValidFrom != "" {
			s.Listed = string(c.ValidFrom)
		}
		if c.ValidTo != "" && s.Delisted == "" {
			s.State = "ended"
		}
		d.Sanctions = append(d.Sanctions, s)
		text := strings.ToLower(s.LegalBasis + " " + strings.Join(s.Programs, " ") + " " + c.Notes)
		for _, w := range procurementWords {
			if strings.Contains(text, w) {
				d.Procurement = append(d.Procurement, Restriction{Body: l.From.Name, Basis: orElse(s.LegalBasis, strings.Join(s.Programs, ", ")), Period: l.Period, Link: l})
				break
			}
		}
	}
	return nil
}

func (b *builder) transfers(d *Dossier) error {
	cs, err := b.claims(armstrace.ClaimFilter{Kind: armstrace.ClaimSupplied, Subject: b.e.ID})
	if err != nil {
		return err
	}
	risk := map[string]string{}
	byYear := map[int]float64{}
	unsplit := 0
	for _, c := range cs {
		l := b.lk.Link(c)
		reason, ok := risk[c.Object]
		if !ok {
			if reason, err = b.highRisk(c.Object); err != nil {
				return err
			}
			risk[c.Object] = reason
		}
		row := TransferRow{Recipient: l.To, HighRisk: reason != "", HighRiskReason: reason, Link: l}
		if t := c.Attrs.Transfer; t != nil {
			row.Weapon, row.Description, row.OrderYear, row.DeliveryYears, row.Uncertain = t.Designation, t.Description, t.OrderYear, t.DeliveryYears, t.Uncertain
			if row.Weapon == "" && t.Weapon != "" {
				row.Weapon = b.lk.Node(t.Weapon, armstrace.ObjectEntity).Name
			}
			row.NumberOrdered, row.NumberDelivered, row.Value = rangeText(t.NumberOrdered), rangeText(t.NumberDelivered), rangeText(t.Value)
			if t.TIVDelivered != nil && t.TIVDelivered.Best != nil {
				row.TIVDelivered = *t.TIVDelivered.Best
			}
			// Yearly figures only where the source splits the deal by year,
			// or delivered it all in one year: a total is never spread.
			switch {
			case len(t.Deliveries) > 0:
				for _, dl := range t.Deliveries {
					if dl.TIVDelivered != nil && dl.TIVDelivered.Best != nil {
						byYear[dl.Year] += *dl.TIVDelivered.Best
					}
				}
			case len(t.DeliveryYears) == 1 && row.TIVDelivered > 0:
				byYear[t.DeliveryYears[0]] += row.TIVDelivered
			case row.TIVDelivered > 0:
				unsplit++
			}
		}
		d.Transfers.Rows = append(d.Transfers.Rows, row)
	}
	slices.SortStableFunc(d.Transfers.Rows, func(a, b TransferRow) int {
		if a.HighRisk != b.HighRisk {
			if a.HighRisk {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.Recipient.Name, b.Recipient.Name); c != 0 {
			return c
		}
		return cmp.Compare(b.OrderYear, a.OrderYear)
	})
	for _, y := range slices.Sorted(mapKeys(byYear)) {
		d.Transfers.ByYear = append(d.Transfers.ByYear, YearTIV{Year: y, TIV: round2(byYear[y])})
	}
	d.Transfers.Note = SIPRICoverage
	if unsplit > 0 {
		d.Transfers.Note += fmt.Sprintf(" %d deal(s) delivered over several years without a split by year (SIPRI's classic layout) are in the table but not in the chart: a deal's total is never spread over its years.", unsplit)
	}
	return nil
}

// highRisk says why a recipient is high-risk, or "" when the graph holds
// nothing that makes it so: it, or its state and that state's forces and
// agencies, are perpetrators or parties in recorded events (being a
// target does not count), or it is under sanctions that count (verified
// or alleged).
func (b *builder) highRisk(id string) (string, error) {
	e, err := b.r.FindEntityByID(b.ctx, id)
	if err != nil {
		return "", err
	}
	actors := []string{e.ID}
	switch e.Kind {
	case armstrace.EntityState, armstrace.EntityArmedForce, armstrace.EntityAgency:
		// Arms for a state's army or procurement agency are arms for the
		// state: its organs' records are its own.
		if e.Country == "" {
			break
		}
		for _, k := range []armstrace.EntityKind{armstrace.EntityState, armstrace.EntityArmedForce, armstrace.EntityAgency} {
			fs, err := b.r.FindEntities(b.ctx, armstrace.EntityFilter{Kind: k, Country: e.Country})
			if err != nil {
				return "", err
			}
			for _, f := range fs {
				if f.ID != e.ID {
					actors = append(actors, f.ID)
				}
			}
		}
	}
	for _, a := range actors {
		ev, err := b.actedIn(a)
		if err != nil {
			return "", err
		}
		if ev != nil {
			name := e.Name
			if a != e.ID {
				if f, err := b.r.FindEntityByID(b.ctx, a); err == nil {
					name = f.Name
				}
			}
			return fmt.Sprintf("%s is an actor in recorded atrocity or conflict events, such as %q", name, ev.Title), nil
		}
	}
	sanc, err := b.r.FindClaims(b.ctx, armstrace.ClaimFilter{Kind: armstrace.ClaimSanctioned, Object: e.ID,
		Statuses: []armstrace.Status{armstrace.StatusVerified, armstrace.StatusAlleged}, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(sanc) > 0 && graph.Counts(sanc[0]) {
		return e.Name + " is under sanctions recorded in the graph", nil
	}
	return "", nil
}

// actedIn returns an event in which the entity is a perpetrator or a
// party, or nil: being a target does not make a recipient high-risk.
func (b *builder) actedIn(id string) (*armstrace.Event, error) {
	evs, err := b.r.FindEvents(b.ctx, armstrace.EventFilter{Actor: id, ActorRoles: []armstrace.ActorRole{armstrace.RolePerpetrator, armstrace.RoleParty}, Limit: 1})
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	return evs[0], nil
}

// misuse runs the chain search for each high-risk recipient's country
// and keeps the chains that reach the subject.
func (b *builder) misuse(d *Dossier) error {
	countries := map[string]bool{}
	for _, row := range d.Transfers.Rows {
		if row.HighRisk && row.Recipient.Country != "" {
			countries[row.Recipient.Country] = true
		}
	}
	events := map[string]*MisuseEvent{}
	for _, c := range slices.Sorted(mapKeys(countries)) {
		rep, err := graph.Enablers(b.ctx, b.r, graph.Scope{Country: c, IncludeConfidential: b.conf})
		if err != nil {
			if armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
				continue // no state entity for the code: nothing to search
			}
			return err
		}
		for _, en := range rep.Enablers {
			if en.Entity.ID != b.e.ID {
				continue
			}
			for _, ch := range en.Chains {
				if ch.Path != "weapon" {
					continue
				}
				d.Misuse.Chains = append(d.Misuse.Chains, ch)
				ev := ch.Links[0].To
				if me := events[ev.ID]; me != nil {
					me.Strength = max(me.Strength, ch.Strength)
					continue
				}
				me := &MisuseEvent{Event: ev, Strength: ch.Strength}
				if rec, err := b.r.FindEventByID(b.ctx, ev.ID); err == nil {
					me.Date = string(rec.Start)
					if rec.End != "" && rec.End != rec.Start {
						me.Date += " to " + string(rec.End)
					}
					place := rec.Place
					if !b.conf {
						place = place.Blurred() // a protected place, for a reader below confidential
					}
					me.Place = strings.Trim(place.Name+", "+place.Country, ", ")
					me.Grade = string(rec.Grade)
					me.Fatalities = rangeText(&rec.Fatalities)
				}
				events[ev.ID] = me
			}
		}
	}
	for _, id := range slices.Sorted(mapKeys(events)) {
		d.Misuse.Events = append(d.Misuse.Events, *events[id])
	}
	slices.SortStableFunc(d.Misuse.Events, func(a, b MisuseEvent) int { return cmp.Compare(b.Strength, a.Strength) })
	return nil
}

func (b *builder) partners(d *Dossier) error {
	in, err := b.claims(armstrace.ClaimFilter{Kinds: []armstrace.ClaimKind{armstrace.ClaimContracted, armstrace.ClaimShipped, armstrace.ClaimInsured, armstrace.ClaimFinanced}, Object: b.e.ID})
	if err != nil {
		return err
	}
	for _, c := range in {
		l := b.lk.Link(c)
		d.Partners = append(d.Partners, Partner{Entity: l.From, Role: partnerRole(c.Kind, true), Link: l})
	}
	out, err := b.claims(armstrace.ClaimFilter{Kinds: []armstrace.ClaimKind{armstrace.ClaimContracted, armstrace.ClaimShipped, armstrace.ClaimInsured, armstrace.ClaimFinanced}, Subject: b.e.ID})
	if err != nil {
		return err
	}
	for _, c := range out {
		l := b.lk.Link(c)
		d.Partners = append(d.Partners, Partner{Entity: l.To, Role: partnerRole(c.Kind, false), Link: l})
	}
	return nil
}

// partnerRole names the partner's role: the subject of a contracted claim
// buys; its object (when the subject of the dossier buys) is a vendor.
func partnerRole(k armstrace.ClaimKind, partnerIsSubject bool) graph.Role {
	switch k {
	case armstrace.ClaimContracted:
		if partnerIsSubject {
			return graph.RoleBuyer
		}
		return "vendor"
	case armstrace.ClaimShipped:
		if partnerIsSubject {
			return graph.RoleShipper
		}
		return "shipped to"
	case armstrace.ClaimInsured:
		if partnerIsSubject {
			return graph.RoleInsurer
		}
		return "insured party"
	}
	if partnerIsSubject {
		return graph.RoleFinancier
	}
	return "financed party"
}

func (b *builder) outreach(d *Dossier) error {
	cited := slices.Clone(b.e.Citations)
	cs, err := b.r.FindClaims(b.ctx, armstrace.ClaimFilter{Entity: b.e.ID})
	if err != nil {
		return err
	}
	for _, c := range cs {
		cited = append(cited, c.Citations...)
	}
	seen := map[string]bool{}
	for _, c := range cited {
		if seen[c.Source] {
			continue
		}
		seen[c.Source] = true
		s, err := b.r.FindSourceByID(b.ctx, c.Source)
		if err != nil || s.Kind != armstrace.SourceCorrespondence {
			continue
		}
		cite := b.lk.Cite([]armstrace.Citation{c})[0]
		if cite.Withheld {
			continue // counted with the other withheld citations; not even its date is shown
		}
		d.Outreach.Entries = append(d.Outreach.Entries, OutreachEntry{Date: string(s.Published), Title: cite.Title, Source: cite})
	}
	slices.SortStableFunc(d.Outreach.Entries, func(a, b OutreachEntry) int { return cmp.Compare(a.Date, b.Date) })
	if len(d.Outreach.Entries) == 0 {
		d.Outreach.Note = "No letter to or reply from the subject is recorded. Before publication or a decision, offer the subject a right of reply; record each letter and reply as a source of kind correspondence cited by the entity, and it will appear here."
	} else {
		d.Outreach.Note = "Letters to and replies from the subject, as recorded sources of kind correspondence."
	}
	return nil
}

func (b *builder) provenance(d *Dossier, now time.Time) error {
	d.Provenance.AsOf = now
	d.Provenance.Methodology = []string{
		"Facts are claims of the evidence graph, each with its sources, a review status (alleged, verified, contested, retracted) and the analyst's confidence. Contested and retracted claims are listed as not counted and support nothing.",
		"A link's strength is its claim's confidence, times 0.8 while alleged; a weapon seen at an event is capped by how it was identified (serial or markings 1.0, model 0.8, category or origin 0.5), and a supply by how its weapon matches the one seen (same model 1.0, same family 0.8, origin only 0.5). A chain is as strong as its weakest link.",
		"A recipient is high-risk when its state or forces are actors in recorded atrocity or conflict events, or it is under recorded sanctions.",
		SIPRICoverage,
		"The exclusion criteria part maps evidence to the tests; it does not decide them. The decision, and the legal judgement, are the reader's.",
		"Names are resolved by armstrace's explainable matcher; the score and the alias met are shown in part 1.",
	}
	sources, err := b.r.FindSources(b.ctx)
	if err != nil {
		return err
	}
	for _, s := range sources {
		if s.Kind == armstrace.SourceDataset && (s.Access != armstrace.AccessConfidential || b.conf) {
			d.Provenance.Datasets = append(d.Provenance.Datasets, Dataset{Source: s.ID, Title: s.Title, Version: s.Version, SHA256: s.SHA256})
		}
	}
	// The appendix: every source cited anywhere in the dossier.
	cites := map[string]graph.Citation{}
	add := func(cs []graph.Citation) {
		for _, c := range cs {
			if c.Withheld {
				continue
			}
			c.Locator, c.Quote = "", ""
			cites[c.Source] = c
		}
	}
	add(d.Identity.Citations)
	for _, l := range d.links() {
		add(l.Citations)
	}
	for _, e := range d.Outreach.Entries {
		add([]graph.Citation{e.Source})
	}
	for _, id := range slices.Sorted(mapKeys(cites)) {
		d.Provenance.Appendix = append(d.Provenance.Appendix, cites[id])
	}
	d.Withheld = d.countWithheld()
	return nil
}

// links returns every link the dossier shows.
func (d *Dossier) links() []graph.Link {
	var out []graph.Link
	out = append(out, d.Ownership.Owners...)
	out = append(out, d.Ownership.Controllers...)
	out = append(out, d.Ownership.Subsidiaries...)
	for _, s := range d.Sanctions {
		out = append(out, s.Link)
	}
	for _, r := range d.Procurement {
		out = append(out, r.Link)
	}
	for _, r := range d.Transfers.Rows {
		out = append(out, r.Link)
	}
	for _, c := range d.Misuse.Chains {
		out = append(out, c.Links...)
	}
	for _, p := range d.Partners {
		out = append(out, p.Link)
	}
	out = append(out, d.NotCounted...)
	return out
}

// countWithheld counts the citations of confidential sources left out.
func (d *Dossier) countWithheld() int {
	n := 0
	for _, c := range d.Identity.Citations {
		if c.Withheld {
			n++
		}
	}
	for _, l := range d.links() {
		for _, c := range l.Citations {
			if c.Withheld {
				n++
			}
		}
	}
	return n
}

// criteria maps the evidence to the exclusion tests. Findings are about
// evidence, never verdicts.
func criteria(d *Dossier) []Criterion {
	var risky []string
	for _, r := range d.Transfers.Rows {
		if r.HighRisk {
			risky = append(risky, fmt.Sprintf("supply to %s (%s): %s", r.Recipient.Name, r.Link.Claim, r.HighRiskReason))
		}
	}
	var misuse []string
	for _, e := range d.Misuse.Events {
		misuse = append(misuse, fmt.Sprintf("weapons on a chain to the subject seen at %q (%s; chain strength %.2f)", e.Event.Name, e.Date, e.Strength))
	}
	var sanctions []string
	for _, s := range d.Sanctions {
		sanctions = append(sanctions, fmt.Sprintf("listed by %s (%s)", s.Body, strings.Join(s.Programs, ", ")))
	}
	finding := func(ev []string) string {
		if len(ev) > 0 {
			return "evidence present"
		}
		return "no evidence in the graph"
	}
	both := append(slices.Clone(risky), misuse...)
	return []Criterion{
		{ID: "att-6-3", Title: "Arms Trade Treaty, Article 6(3)",
			Test:    "A state party may not authorise a transfer it knows would be used for genocide, crimes against humanity, grave breaches of the 1949 Geneva Conventions, attacks on civilians or civilian objects, or other war crimes.",
			Finding: finding(misuse), Evidence: misuse},
		{ID: "att-7", Title: "Arms Trade Treaty, Article 7",
			Test:    "An exporting state must assess whether the arms could be used to commit or facilitate serious violations of international humanitarian or human rights law, and must not authorise the export where that risk is overriding.",
			Finding: finding(both), Evidence: both},
		{ID: "gpfg-4b", Title: "Norway GPFG guidelines, §4(b)",
			Test:    "Companies may be excluded where there is an unacceptable risk that they contribute to serious violations of the rights of individuals in war or conflict.",
			Finding: finding(misuse), Evidence: misuse},
		{ID: "gpfg-4c", Title: "Norway GPFG guidelines, §4(c)",
			Test:    "Companies may be excluded where there is an unacceptable risk that they sell weapons to states in armed conflict that use them in serious and systematic violations of the rules on the conduct of hostilities.",
			Finding: finding(both), Evidence: append(both, sanctions...)},
	}
}

// transliterations gives the Latin readings of the names in other
// scripts (by each script's first romanisation, BGN/PCGN for Cyrillic),
// each with the name it reads: what a reader searching in Latin letters
// would find the entity under.
func transliterations(names []Name) []string {
	var out []string
	for _, n := range names {
		if r := match.Romanize(n.Value); r != "" {
			if s := r + " (" + n.Value + ")"; !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func rangeText(r *armstrace.Range) string {
	if r == nil || r.IsZero() {
		return ""
	}
	return r.String()
}

func orElse(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

func mapKeys[K cmp.Ordered, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// emptySlices makes empty parts empty lists in JSON, not null: an empty
// part is a finding.
func emptySlices(d *Dossier) {
	nz := func(p *[]graph.Link) {
		if *p == nil {
			*p = []graph.Link{}
		}
	}
	nz(&d.Ownership.Owners)
	nz(&d.Ownership.Controllers)
	nz(&d.Ownership.Subsidiaries)
	nz(&d.NotCounted)
	if d.Sanctions == nil {
		d.Sanctions = []Sanction{}
	}
	if d.Procurement == nil {
		d.Procurement = []Restriction{}
	}
	if d.Transfers.Rows == nil {
		d.Transfers.Rows = []TransferRow{}
	}
	if d.Transfers.ByYear == nil {
		d.Transfers.ByYear = []YearTIV{}
	}
	if d.Misuse.Chains == nil {
		d.Misuse.Chains = []graph.Chain{}
	}
	if d.Misuse.Events == nil {
		d.Misuse.Events = []MisuseEvent{}
	}
	if d.Partners == nil {
		d.Partners = []Partner{}
	}
	if d.Outreach.Entries == nil {
		d.Outreach.Entries = []OutreachEntry{}
	}
	if d.Provenance.Datasets == nil {
		d.Provenance.Datasets = []Dataset{}
	}
	if d.Provenance.Appendix == nil {
		d.Provenance.Appendix = []graph.Citation{}
	}
	if d.Identity.Names == nil {
		d.Identity.Names = []Name{}
	}
	if d.Identity.Identifiers == nil {
		d.Identity.Identifiers = []Identifier{}
	}
	if d.Identity.Transliteration == nil {
		d.Identity.Transliteration = []string{}
	}
	for i := range d.Criteria {
		if d.Criteria[i].Evidence == nil {
			d.Criteria[i].Evidence = []string{}
		}
	}
}
