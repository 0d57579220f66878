// Package extract proposes candidate claims from the text of a report:
// who supplied whom, who contracted whom, where weapons were documented,
// how many were killed where, where atrocities were reported and when a
// ceasefire was due. It is rule-based and offline: every proposal says
// which rule fired, on which words of which sentence, and how each end was
// resolved (an exact name or alias from the store, a screening hit with
// its score and explanation, a built-in country, or a reference back to
// an earlier mention).
//
// Nothing it proposes is evidence until a reviewer says so: proposals
// that can be written as claims are written as alleged, and enter the
// review queue. The package is pure: the names, events and ceasefires it
// resolves against come in a Gazetteer, built from the store by Load.
package extract

import "github.com/armstrace/armstrace"

// Kind is what a proposal asserts. Three are claim kinds of the graph;
// the others describe events and ceasefires, which a reviewer records
// by hand.
type Kind string

const (
	KindSupplied   Kind = "supplied"    // supplier → recipient
	KindContracted Kind = "contracted"  // buyer → vendor
	KindObservedAt Kind = "observed_at" // weapon → place or event
	KindKilledIn   Kind = "killed_in"   // perpetrator (if named) → place, with casualties
	KindAtrocityAt Kind = "atrocity_at" // perpetrator (if named) → place
	KindCeasefire  Kind = "ceasefire"   // a ceasefire in a place, with its deadline or start
)

// ClaimKind returns the claim kind a proposal of kind k becomes, or ""
// when k describes no claim.
func (k Kind) ClaimKind() armstrace.ClaimKind {
	switch k {
	case KindSupplied:
		return armstrace.ClaimSupplied
	case KindContracted:
		return armstrace.ClaimContracted
	case KindObservedAt:
		return armstrace.ClaimObservedAt
	}
	return ""
}

// MentionType says what a mention names.
type MentionType string

const (
	MentionEntity MentionType = "entity" // an organisation, state, force or person
	MentionWeapon MentionType = "weapon" // a weapon model, or a category such as "Russian weapons"
	MentionPlace  MentionType = "place"  // a country, region or town
	MentionName   MentionType = "name"   // a proper name resolved to nothing in the store
	// MentionCeasefire is the ceasefire a proposal is about, resolved to
	// the store's ceasefire where one fits its place and date.
	MentionCeasefire MentionType = "ceasefire"
)

// Mention is a span of the text that names something, with how it was
// resolved. Start and End are byte offsets in the document's text.
type Mention struct {
	Text       string               `json:"text"`
	Start      int                  `json:"start"`
	End        int                  `json:"end"`
	Type       MentionType          `json:"type"`
	Entity     string               `json:"entity,omitempty"` // resolved entity id
	EntityKind armstrace.EntityKind `json:"entity_kind,omitempty"`
	Name       string               `json:"name,omitempty"`    // the resolved record's name, or a built-in country's
	Country    string               `json:"country,omitempty"` // ISO 3166-1 alpha-2, for countries, demonyms and categories
	Event      string               `json:"event,omitempty"`   // an event of the store at this place that fits the proposal
	Ceasefire  string               `json:"ceasefire,omitempty"`
	// Score is how sure the resolution is: 1 for an exact name or alias,
	// the screening score for a fuzzy hit, less for a reference back.
	Score float64 `json:"score"`
	How   string  `json:"how"`
	// place is true when the mention can stand for a place (a country,
	// a town of the gazetteer, a state entity).
	place bool
	// demonym is true for "Syrian", "Russians": a country named by its
	// people or as an adjective.
	demonym bool
	// ref is "company" or "site" for a reference back ("the company",
	// "the site of the atrocities").
	ref string
}

// Key is what evaluations compare a mention by: the entity or ceasefire
// it resolved to, else the place or name it reads as.
func (m *Mention) Key() string {
	switch {
	case m == nil:
		return ""
	case m.Entity != "":
		return m.Entity
	case m.Ceasefire != "":
		return m.Ceasefire
	case m.Type == MentionCeasefire:
		return "ceasefire:" + m.Country
	case m.Type == MentionPlace && m.Name != "":
		return "place:" + m.Name
	}
	return "name:" + keyOf(m.Text)
}

// Figure is an amount of money or a count of people as the text gives it:
// the range it stands for (with the text's own qualifier) and the words.
type Figure struct {
	Text string `json:"text"`
	armstrace.Range
}

// DateRef is a date the text gives, resolved against the publication
// date where it is relative ("last year", "tomorrow", "April 12").
// Value is at the precision the text gives ("2011", "2012-04-12"); a
// week is From..To.
type DateRef struct {
	Text      string                  `json:"text"`
	Value     armstrace.Date          `json:"value,omitempty"`
	From      armstrace.Date          `json:"from,omitempty"`
	To        armstrace.Date          `json:"to,omitempty"`
	Precision armstrace.DatePrecision `json:"precision,omitempty"`
	Relative  bool                    `json:"relative,omitempty"`
	// Basis says what a relative date was resolved against, or why it
	// could not be.
	Basis string `json:"basis,omitempty"`

	start, end int // byte offsets in the document
}

// Sentence is one sentence of the document, numbered from 1 in the
// document and within its paragraph.
type Sentence struct {
	N         int    `json:"n"`
	Paragraph int    `json:"paragraph"`
	InPara    int    `json:"in_paragraph"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"` // with runs of white space as one space
}

// Locator is how a citation finds the sentence in its source.
func (s Sentence) Locator() string {
	return "paragraph " + itoa(s.Paragraph) + ", sentence " + itoa(s.InPara) + " (sentence " + itoa(s.N) + " of the text, bytes " + itoa(s.Start) + "–" + itoa(s.End) + ")"
}

// Proposal is a candidate claim, event or ceasefire read from one
// sentence, with everything a reviewer needs to judge it.
type Proposal struct {
	Kind       Kind     `json:"kind"`
	Subject    *Mention `json:"subject,omitempty"`
	Object     *Mention `json:"object,omitempty"`
	Weapon     *Mention `json:"weapon,omitempty"` // the weapon a supply names, where it does
	Amount     *Figure  `json:"amount,omitempty"`
	Casualties *Figure  `json:"casualties,omitempty"`
	Date       *DateRef `json:"date,omitempty"`
	Place      *Mention `json:"place,omitempty"`
	Sentence   Sentence `json:"sentence"`
	Confidence float64  `json:"confidence"`
	// Rule names the rule that fired and Why says on which words.
	Rule string `json:"rule"`
	Why  string `json:"why"`
}

// Key is what evaluations compare proposals by: kind and both ends.
func (p *Proposal) Key() string {
	return string(p.Kind) + "|" + p.Subject.Key() + "|" + p.Object.Key()
}

// SetAside is a trigger that matched but was not proposed, and why: a
// denial, a call or plan rather than a report, or an end not found.
type SetAside struct {
	Sentence int    `json:"sentence"`
	Trigger  string `json:"trigger"`
	Reason   string `json:"reason"`
}

// Result is what extraction found in one document.
type Result struct {
	Published     armstrace.Date `json:"published,omitempty"`
	PublishedFrom string         `json:"published_from,omitempty"` // where the publication date came from
	Sentences     int            `json:"sentences"`
	Mentions      []*Mention     `json:"mentions"`
	Proposals     []*Proposal    `json:"proposals"`
	SetAside      []SetAside     `json:"set_aside,omitempty"`
}
