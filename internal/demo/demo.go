// Package demo holds the bundled demo dataset, the evidence behind Human
// Rights First's press release of 12 April 2012 as sourced records, and
// tells its story link by link from whatever store holds it.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/armstrace/armstrace"
)

// Data is the demo dataset in the native JSON Lines format.
//
//go:embed demo.jsonl
var Data []byte

// GEDExcerpt is four weeks of UCDP GED events on each side of the Syrian
// cessation of hostilities of 27 February 2016, unchanged from UCDP's
// release (CC BY 4.0; see SOURCES.md): the demo imports it with the
// ucdp-ged importer.
//
//go:embed ged_syria_2016-01-30_2016-03-26.csv
var GEDExcerpt []byte

// GEDExcerptName is the file name the excerpt is imported under.
const GEDExcerptName = "ged_syria_2016-01-30_2016-03-26.csv"

// Ceasefire2016 records the cessation of hostilities of 27 February 2016
// and its source, in the native format. It names UCDP actors, so it is
// imported after the GED excerpt.
//
//go:embed ceasefire-2016.jsonl
var Ceasefire2016 []byte

// Report is a short news report written for the demo (see SOURCES.md):
// the demo runs claim extraction on it and sets what it proposes beside
// what the graph already holds.
//
//go:embed report-2012-06.txt
var Report []byte

// ReportName is the file name the report is shown under.
const ReportName = "report-2012-06.txt"

// Graph is what the story reads; *store.Store satisfies it.
type Graph interface {
	FindEntityByID(ctx context.Context, id string) (*armstrace.Entity, error)
	FindEventByID(ctx context.Context, id string) (*armstrace.Event, error)
	FindClaimByID(ctx context.Context, id string) (*armstrace.Claim, error)
	FindClaims(ctx context.Context, f armstrace.ClaimFilter) ([]*armstrace.Claim, error)
	FindSourceByID(ctx context.Context, id string) (*armstrace.Source, error)
	FindCeasefireByID(ctx context.Context, id string) (*armstrace.Ceasefire, error)
}

// Step is one link of the chain the demo walks: a heading, and the
// records that evidence it.
type Step struct {
	Title      string
	Events     []string
	Claims     []string
	Ceasefires []string
	// Deliveries2011 adds every supplied claim to Syria whose deliveries
	// include 2011, as recorded in the store, not listed here by hand.
	Deliveries2011 bool
}

// Chain is the story of the press release, from the atrocity to those who
// still did business with the supplier.
var Chain = []Step{
	{Title: "An atrocity: accounts from Homs", Events: []string{"evt:homs-atrocities-2012", "evt:syria-deaths-to-2012-04-12"}},
	{Title: "Russian weapons documented at the site", Claims: []string{"clm:russian-weapons-at-homs"}},
	{Title: "Who armed the perpetrator's state", Claims: []string{"clm:russia-syria-arms-2011", "clm:roe-syria-supply"}, Deliveries2011: true},
	{Title: "Who still did business with the supplier", Claims: []string{"clm:roe-dod-mi17-contract", "clm:roe-dod-contract-hrf", "sipri-deal:c-020249d7e40a3186", "clm:us-financed-afg-mi17", "clm:kazan-makes-mi17", "clm:roe-acc-2013-contract"}},
	{Title: "Sanctions and control", Claims: []string{"clm:ofac-sanctions-roe", "clm:rostec-linked-roe"}},
	{Title: "The ceasefire of 12 April 2012", Ceasefires: []string{"cf:syria-2012-04-12"}, Claims: []string{"clm:syria-forces-party-to-ceasefire"}},
}

// Link is one record of the story with everything needed to show it.
type Link struct {
	Claim     *armstrace.Claim     `json:"claim,omitempty"`
	Event     *armstrace.Event     `json:"event,omitempty"`
	Ceasefire *armstrace.Ceasefire `json:"ceasefire,omitempty"`
	Text      string               `json:"text"`
	Sources   []*armstrace.Source  `json:"sources"`
}

// StoryStep is a step with its links resolved.
type StoryStep struct {
	Title string `json:"title"`
	Links []Link `json:"links"`
}

// Story resolves the chain against g. A record missing from g is an error:
// the story is told from the store, never from memory.
func Story(ctx context.Context, g Graph) ([]StoryStep, error) {
	r := &resolver{ctx: ctx, g: g, names: map[string]string{}}
	var out []StoryStep
	for _, st := range Chain {
		s := StoryStep{Title: st.Title}
		for _, id := range st.Events {
			ev, err := g.FindEventByID(ctx, id)
			if err != nil {
				return nil, err
			}
			l, err := r.eventLink(ev)
			if err != nil {
				return nil, err
			}
			s.Links = append(s.Links, l)
		}
		for _, id := range st.Ceasefires {
			cf, err := g.FindCeasefireByID(ctx, id)
			if err != nil {
				return nil, err
			}
			l, err := r.ceasefireLink(cf)
			if err != nil {
				return nil, err
			}
			s.Links = append(s.Links, l)
		}
		ids := slices.Clone(st.Claims)
		if st.Deliveries2011 {
			cs, err := g.FindClaims(ctx, armstrace.ClaimFilter{Kind: armstrace.ClaimSupplied, Object: "ent:syria"})
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				if t := c.Attrs.Transfer; t != nil && slices.Contains(t.DeliveryYears, 2011) && !slices.Contains(ids, c.ID) {
					ids = append(ids, c.ID)
				}
			}
		}
		for _, id := range ids {
			c, err := g.FindClaimByID(ctx, id)
			if err != nil {
				return nil, err
			}
			l, err := r.claimLink(c)
			if err != nil {
				return nil, err
			}
			s.Links = append(s.Links, l)
		}
		out = append(out, s)
	}
	return out, nil
}

type resolver struct {
	ctx   context.Context
	g     Graph
	names map[string]string
}

func (r *resolver) name(id string) (string, error) {
	if n, ok := r.names[id]; ok {
		return n, nil
	}
	e, err := r.g.FindEntityByID(r.ctx, id)
	if err != nil {
		return "", err
	}
	r.names[id] = e.Name
	return e.Name, nil
}

func (r *resolver) sources(cs []armstrace.Citation) ([]*armstrace.Source, error) {
	var out []*armstrace.Source
	for _, c := range cs {
		s, err := r.g.FindSourceByID(r.ctx, c.Source)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

var verbs = map[armstrace.ClaimKind]string{
	armstrace.ClaimSupplied: "supplied", armstrace.ClaimContracted: "contracted", armstrace.ClaimObservedAt: "observed at",
	armstrace.ClaimManufactured: "manufactures", armstrace.ClaimOwns: "owns", armstrace.ClaimControls: "controls or is linked to",
	armstrace.ClaimShipped: "shipped to", armstrace.ClaimInsured: "insured", armstrace.ClaimFinanced: "financed",
	armstrace.ClaimSanctioned: "sanctioned", armstrace.ClaimPartyTo: "is a party to",
}

func (r *resolver) claimLink(c *armstrace.Claim) (Link, error) {
	subj, err := r.name(c.Subject)
	if err != nil {
		return Link{}, err
	}
	var obj string
	switch c.ObjectTypeOrDefault() {
	case armstrace.ObjectEvent:
		ev, err := r.g.FindEventByID(r.ctx, c.Object)
		if err != nil {
			return Link{}, err
		}
		obj = ev.Title
	case armstrace.ObjectCeasefire:
		cf, err := r.g.FindCeasefireByID(r.ctx, c.Object)
		if err != nil {
			return Link{}, err
		}
		obj = cf.Name
	default:
		if obj, err = r.name(c.Object); err != nil {
			return Link{}, err
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s —%s→ %s", subj, verbs[c.Kind], obj)
	if p := period(c.ValidFrom, c.ValidTo); p != "" {
		fmt.Fprintf(&b, " (%s)", p)
	}
	var details []string
	if t := c.Attrs.Transfer; t != nil {
		if t.Weapon != "" {
			w, err := r.name(t.Weapon)
			if err != nil {
				return Link{}, err
			}
			if t.NumberOrdered != nil {
				w = t.NumberOrdered.String() + " × " + w
			}
			details = append(details, w)
		}
		if t.OrderYear != 0 {
			details = append(details, fmt.Sprintf("ordered %d", t.OrderYear))
		}
		if len(t.DeliveryYears) > 0 {
			details = append(details, "delivered "+years(t.DeliveryYears))
		}
		if t.Value != nil {
			details = append(details, "value "+t.Value.String())
		}
		if t.TIVDelivered != nil {
			details = append(details, "SIPRI TIV delivered "+t.TIVDelivered.String())
		}
	}
	if k := c.Attrs.Contract; k != nil {
		if k.AwardID != "" {
			details = append(details, "award "+k.AwardID)
		}
		if k.Signed != "" {
			details = append(details, "signed "+string(k.Signed))
		}
		if k.Value != nil {
			details = append(details, "value "+k.Value.String())
		}
		if k.Description != "" {
			details = append(details, k.Description)
		}
	}
	if s := c.Attrs.Sanction; s != nil && len(s.Programs) > 0 {
		details = append(details, "programs "+strings.Join(s.Programs, ", "))
	}
	if o := c.Attrs.Observation; o != nil {
		details = append(details, "identified by "+string(o.Identification)+" only")
		if o.Identification != armstrace.IdentifiedCategory {
			details[len(details)-1] = "identified by " + string(o.Identification)
		}
	}
	if len(details) > 0 {
		b.WriteString("\n" + strings.Join(details, "; "))
	}
	fmt.Fprintf(&b, "\nstatus %s, confidence %.2f", c.Status, c.Confidence)
	srcs, err := r.sources(c.Citations)
	if err != nil {
		return Link{}, err
	}
	return Link{Claim: c, Text: b.String(), Sources: srcs}, nil
}

func (r *resolver) eventLink(ev *armstrace.Event) (Link, error) {
	var b strings.Builder
	b.WriteString(ev.Title)
	when := string(ev.Start)
	if ev.End != ev.Start {
		when += " … " + string(ev.End)
	}
	if ev.Aggregate {
		when += " (a total over the period, not a one-day event)"
	}
	place := ev.Place.Name
	if place == "" {
		place = ev.Place.Country
	} else if ev.Place.Country != "" {
		place += ", " + ev.Place.Country
	}
	if ev.Place.Precision != "" {
		place += " (location precision: " + string(ev.Place.Precision) + ")"
	}
	fmt.Fprintf(&b, "\n%s; %s", when, place)
	for _, a := range ev.Actors {
		n, err := r.name(a.Entity)
		if err != nil {
			return Link{}, err
		}
		fmt.Fprintf(&b, "; %s: %s", a.Role, n)
	}
	if !ev.Fatalities.IsZero() {
		fmt.Fprintf(&b, "; killed: %s", ev.Fatalities.String())
	}
	if ev.Grade != "" {
		fmt.Fprintf(&b, "\ngrade %s", ev.Grade)
	}
	srcs, err := r.sources(ev.Citations)
	if err != nil {
		return Link{}, err
	}
	return Link{Event: ev, Text: b.String(), Sources: srcs}, nil
}

func (r *resolver) ceasefireLink(cf *armstrace.Ceasefire) (Link, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, from %s", cf.Name, cf.Start)
	if cf.StartTime != "" {
		fmt.Fprintf(&b, " %s %s", cf.StartTime, cf.Timezone)
	}
	var covered []string
	for _, id := range cf.Covered {
		n, err := r.name(id)
		if err != nil {
			return Link{}, err
		}
		covered = append(covered, n)
	}
	if len(covered) > 0 {
		fmt.Fprintf(&b, "\ncovers: %s", strings.Join(covered, ", "))
	}
	if cf.Terms != "" {
		fmt.Fprintf(&b, "\nterms: %s", cf.Terms)
	}
	srcs, err := r.sources(cf.Citations)
	if err != nil {
		return Link{}, err
	}
	return Link{Ceasefire: cf, Text: b.String(), Sources: srcs}, nil
}

func period(from, to armstrace.Date) string {
	switch {
	case from == "" && to == "":
		return ""
	case from == to:
		return string(from)
	case to == "":
		return "from " + string(from)
	case from == "":
		return "until " + string(to)
	}
	return string(from) + " … " + string(to)
}

func years(ys []int) string {
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = fmt.Sprint(y)
	}
	return strings.Join(s, ", ")
}

// citationsOf returns the citations of the record a link shows.
func (l Link) citations() []armstrace.Citation {
	switch {
	case l.Claim != nil:
		return l.Claim.Citations
	case l.Event != nil:
		return l.Event.Citations
	case l.Ceasefire != nil:
		return l.Ceasefire.Citations
	}
	return nil
}

// Write renders the story as text: each link with every source it cites,
// where in the source, and the source's own words.
func Write(w io.Writer, steps []StoryStep) error {
	var b strings.Builder
	for i, st := range steps {
		fmt.Fprintf(&b, "\n%d. %s\n", i+1, strings.ToUpper(st.Title))
		for _, l := range st.Links {
			lines := strings.Split(l.Text, "\n")
			fmt.Fprintf(&b, "\n   • %s\n", lines[0])
			for _, ln := range lines[1:] {
				fmt.Fprintf(&b, "     %s\n", ln)
			}
			for j, c := range l.citations() {
				src := l.Sources[j]
				fmt.Fprintf(&b, "     ← %s\n", describeSource(src))
				if c.Locator != "" {
					fmt.Fprintf(&b, "       at: %s\n", c.Locator)
				}
				if c.Quote != "" {
					fmt.Fprintf(&b, "       “%s”\n", c.Quote)
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func describeSource(s *armstrace.Source) string {
	parts := []string{}
	if s.Publisher != "" {
		parts = append(parts, s.Publisher)
	}
	parts = append(parts, "“"+s.Title+"”")
	if s.Version != "" {
		parts = append(parts, s.Version)
	}
	if s.Published != "" {
		parts = append(parts, string(s.Published))
	}
	out := strings.Join(parts, ", ") + " [" + s.ID + "]"
	if s.Reliability != "" {
		out += " reliability " + string(s.Reliability)
	}
	return out
}
