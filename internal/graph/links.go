package graph

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
)

// entityNode is the node of an entity.
func (f *finder) entityNode(e *armstrace.Entity) Node {
	return Node{ID: e.ID, Type: "entity", Name: e.Name, Kind: string(e.Kind), Country: e.Country}
}

// node is the node of a claim's end; a record that cannot be read is shown
// by its id.
func (f *finder) node(id string, t armstrace.ObjectType) Node {
	switch t {
	case armstrace.ObjectEvent:
		if ev, err := f.event(id); err == nil {
			return Node{ID: id, Type: "event", Name: ev.Title, Kind: ev.Type, Country: ev.Place.Country}
		}
		return Node{ID: id, Type: "event", Name: id}
	case armstrace.ObjectCeasefire:
		return Node{ID: id, Type: "ceasefire", Name: id}
	}
	if e, err := f.entity(id); err == nil {
		return f.entityNode(e)
	}
	return Node{ID: id, Type: "entity", Name: id}
}

// link turns a claim into a link of strength capped at limit.
func (f *finder) link(c *armstrace.Claim, limit float64, limitWhy string) Link {
	l := *f.baseLinkOf(c)
	if !counts(c) || limitWhy == "" {
		return l
	}
	if limit < l.Strength {
		l.Strength, l.Basis = capped(l.Strength, l.Basis, limit, limitWhy)
	} else {
		l.Basis += "; " + limitWhy
	}
	l.Strength = round2(l.Strength)
	return l
}

// baseLinkOf is the link of a claim before any cap, built once and shared:
// the caller must not change it.
func (f *finder) baseLinkOf(c *armstrace.Claim) *Link {
	if l, ok := f.links[c.ID]; ok {
		return l
	}
	l := f.baseLink(c)
	f.links[c.ID] = &l
	return &l
}

// baseLink is the link of a claim before any cap.
func (f *finder) baseLink(c *armstrace.Claim) Link {
	l := Link{Claim: c.ID, Kind: c.Kind, Status: c.Status, Confidence: c.Confidence, claim: c,
		From: f.node(c.Subject, armstrace.ObjectEntity), To: f.node(c.Object, c.ObjectTypeOrDefault()),
		Period: period(c), Detail: f.describe(c), Citations: f.cite(c.Citations)}
	if !counts(c) {
		l.Basis = string(c.Status) + ": not counted as support"
		return l
	}
	l.Strength, l.Basis = claimStrength(c)
	l.Strength = round2(l.Strength)
	return l
}

func round2(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	return v
}

// cite resolves citations to their sources. Confidential sources are
// withheld unless the finder may show them.
func (f *finder) cite(cs []armstrace.Citation) []Citation {
	out := make([]Citation, 0, len(cs))
	for _, c := range cs {
		s, err := f.source(c.Source)
		if armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
			continue // a source the reader may not see: not even its id
		}
		if err != nil {
			out = append(out, Citation{Source: c.Source, Title: c.Source, Access: "unknown", Locator: c.Locator, Quote: c.Quote})
			continue
		}
		if s.Access == armstrace.AccessConfidential && !f.IncludeConfidential {
			out = append(out, Citation{Source: "withheld", Title: "a confidential source (withheld)", Access: string(s.Access), Withheld: true})
			continue
		}
		out = append(out, Citation{Source: s.ID, Title: s.Title, Publisher: s.Publisher, Published: string(s.Published), Version: s.Version,
			URL: s.URL, SHA256: s.SHA256, Reliability: string(s.Reliability), Access: string(s.Access), Locator: c.Locator, Quote: c.Quote})
	}
	return out
}

// period says when a claim holds, as precisely as it is dated.
func period(c *armstrace.Claim) string {
	from, to := c.ValidFrom, c.ValidTo
	if t := c.Attrs.Transfer; t != nil && len(t.DeliveryYears) > 0 && from == "" {
		from = armstrace.Date(strconv.Itoa(slices.Min(t.DeliveryYears)))
		to = armstrace.Date(strconv.Itoa(slices.Max(t.DeliveryYears)))
	}
	switch {
	case from == "" && to == "":
		return ""
	case to == "" || to == from:
		if to == "" && from != "" {
			return "from " + string(from)
		}
		return string(from)
	case from == "":
		return "until " + string(to)
	}
	return string(from) + " to " + string(to)
}

// describe says what a claim records, in a line.
func (f *finder) describe(c *armstrace.Claim) string {
	var parts []string
	switch {
	case c.Attrs.Transfer != nil:
		t := c.Attrs.Transfer
		what := t.Designation
		if what == "" && t.Weapon != "" {
			if w, err := f.entity(t.Weapon); err == nil {
				what = w.Name
			}
		}
		if t.Description != "" && what != "" {
			what += " (" + t.Description + ")"
		}
		if n := t.NumberDelivered; n != nil && !n.IsZero() {
			what = n.String() + " × " + what
		} else if n := t.NumberOrdered; n != nil && !n.IsZero() {
			what = n.String() + " ordered × " + what
		}
		if what != "" {
			parts = append(parts, what)
		}
		if t.OrderYear > 0 {
			parts = append(parts, fmt.Sprintf("ordered %d", t.OrderYear))
		}
		if len(t.DeliveryYears) > 0 {
			parts = append(parts, "delivered "+years(t.DeliveryYears))
		}
		if t.TIVDelivered != nil && !t.TIVDelivered.IsZero() {
			parts = append(parts, "SIPRI TIV delivered "+t.TIVDelivered.String())
		}
		if t.Value != nil && !t.Value.IsZero() {
			parts = append(parts, "value "+t.Value.String())
		}
		if len(t.Uncertain) > 0 {
			parts = append(parts, "uncertain: "+strings.Join(t.Uncertain, ", "))
		}
	case c.Attrs.Contract != nil:
		k := c.Attrs.Contract
		if k.AwardID != "" {
			parts = append(parts, "award "+k.AwardID)
		}
		if k.Value != nil && !k.Value.IsZero() {
			parts = append(parts, "value "+k.Value.String())
		}
		if k.Signed != "" {
			parts = append(parts, "signed "+string(k.Signed))
		}
		if k.Description != "" {
			parts = append(parts, k.Description)
		}
	case c.Attrs.Observation != nil:
		_, why := identificationCap(c.Attrs.Observation)
		parts = append(parts, why)
		if m := c.Attrs.Observation.Markings; m != "" {
			parts = append(parts, "markings: "+m)
		}
	case c.Attrs.Sanction != nil:
		s := c.Attrs.Sanction
		if len(s.Programs) > 0 {
			parts = append(parts, "programmes "+strings.Join(s.Programs, ", "))
		}
		if s.ListEntryID != "" {
			parts = append(parts, "list entry "+s.ListEntryID)
		}
	case c.Attrs.Ownership != nil && c.Attrs.Ownership.Share != nil:
		parts = append(parts, "share "+c.Attrs.Ownership.Share.String())
	}
	return strings.Join(parts, "; ")
}

// years writes delivery years compactly: 2010–2013, or 1983, 1985.
func years(ys []int) string {
	ys = slices.Sorted(slices.Values(ys))
	if len(ys) > 1 && ys[len(ys)-1]-ys[0] == len(ys)-1 {
		return fmt.Sprintf("%d–%d", ys[0], ys[len(ys)-1])
	}
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, ", ")
}

// Linker turns claims into links for reports other than the ranking (a
// dossier), with the same sources, strengths and withholding rules.
type Linker struct{ f *finder }

// NewLinker returns a linker reading r. Confidential sources are withheld
// unless includeConfidential is set.
func NewLinker(ctx context.Context, r Reader, includeConfidential bool) *Linker {
	f := newFinder(ctx, r)
	f.IncludeConfidential = includeConfidential
	return &Linker{f: f}
}

// Link returns the link of a claim, uncapped; a claim that is contested
// or retracted gets strength 0 and says so.
func (l *Linker) Link(c *armstrace.Claim) Link { return l.f.link(c, 1, "") }

// Cite resolves citations to their sources.
func (l *Linker) Cite(cs []armstrace.Citation) []Citation { return l.f.cite(cs) }

// Node returns the node of a record.
func (l *Linker) Node(id string, t armstrace.ObjectType) Node { return l.f.node(id, t) }

// Counts reports whether a claim may support a chain: it is verified or
// alleged, not contested or retracted.
func Counts(c *armstrace.Claim) bool { return counts(c) }
