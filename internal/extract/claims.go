package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/armstrace/armstrace"
)

// ClaimID is the id of the claim a proposal becomes: a digest of the
// source, the kind, both ends and the sentence, so that extracting the
// same report again proposes the same ids and adds nothing.
func ClaimID(source string, p *Proposal) string {
	h := sha256.New()
	for _, s := range []string{source, string(p.Kind), endID(p.Subject), endID(p.Object), p.Sentence.Text} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "clm:extract-" + hex.EncodeToString(h.Sum(nil)[:10])
}

// endID is the record a claim's end points at: an entity, or for a
// weapon observed, the event.
func endID(m *Mention) string {
	switch {
	case m == nil:
		return ""
	case m.Entity != "" && m.Type != MentionPlace:
		return m.Entity
	case m.Event != "":
		return m.Event
	}
	return m.Entity
}

// Claim returns the claim a proposal becomes, citing the sentence it
// came from in source, with status alleged: it is for a reviewer to
// verify. It returns "" and the reason when the proposal cannot be a
// claim: not a claim kind, or an end not resolved to a record.
func Claim(source string, p *Proposal) (*armstrace.Claim, string) {
	kind := p.Kind.ClaimKind()
	if kind == "" {
		return nil, "“" + string(p.Kind) + "” is no claim kind: a reviewer records events and ceasefires by hand"
	}
	c := &armstrace.Claim{Kind: kind, Status: armstrace.StatusAlleged, Confidence: p.Confidence,
		Citations: []armstrace.Citation{{Source: source, Locator: p.Sentence.Locator(), Quote: p.Sentence.Text}}}
	switch kind {
	case armstrace.ClaimObservedAt:
		if p.Subject == nil || p.Subject.Entity == "" {
			return nil, "the weapon is not an entity of the store"
		}
		if p.Object == nil || p.Object.Event == "" {
			return nil, "no event of the store at the place"
		}
		c.Subject, c.Object, c.ObjectType = p.Subject.Entity, p.Object.Event, armstrace.ObjectEvent
		ident := armstrace.IdentifiedType
		if strings.HasPrefix(p.Subject.How, "a category") {
			ident = armstrace.IdentifiedCategory
		}
		c.Attrs.Observation = &armstrace.Observation{Identification: ident}
	default:
		for _, m := range []*Mention{p.Subject, p.Object} {
			if m == nil || m.Entity == "" {
				return nil, "an end is not an entity of the store"
			}
			if m.Type == MentionWeapon {
				return nil, "an end is a weapon, not a party"
			}
		}
		c.Subject, c.Object, c.ObjectType = p.Subject.Entity, p.Object.Entity, armstrace.ObjectEntity
		if c.Subject == c.Object {
			return nil, "both ends are the same entity"
		}
	}
	if d := p.Date; d != nil && d.Value != "" {
		c.ValidFrom, c.ValidTo = d.Value, d.Value
	} else if d != nil && d.From != "" {
		c.ValidFrom, c.ValidTo = d.From, d.To
	}
	var value *armstrace.Range
	if p.Amount != nil {
		r := p.Amount.Range
		value = &r
	}
	switch kind {
	case armstrace.ClaimSupplied:
		t := &armstrace.Transfer{Value: value}
		if p.Weapon != nil {
			if p.Weapon.Entity != "" {
				t.Weapon = p.Weapon.Entity
			}
			t.Description = p.Weapon.Text
		}
		if value != nil || t.Weapon != "" || t.Description != "" {
			c.Attrs.Transfer = t
		}
	case armstrace.ClaimContracted:
		if value != nil {
			c.Attrs.Contract = &armstrace.Contract{Value: value}
		}
	}
	c.Notes = "Proposed by rule-based extraction (" + p.Rule + "): " + p.Why + ". Subject: " + howOf(p.Subject) + ". Object: " + howOf(p.Object) + "."
	c.ID = ClaimID(source, p)
	c.Normalize()
	if err := c.Validate(); err != nil {
		return nil, "the claim would not be valid: " + armstrace.ErrorMessage(err)
	}
	return c, ""
}

func howOf(m *Mention) string {
	if m == nil {
		return "none"
	}
	return "“" + m.Text + "”, " + m.How
}
