package extract

import (
	"context"
	"slices"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/match"
	"github.com/armstrace/armstrace/internal/screening"
)

// Graph is what Load reads; *store.Store satisfies it.
type Graph interface {
	FindEntities(ctx context.Context, f armstrace.EntityFilter) ([]*armstrace.Entity, error)
	FindEvents(ctx context.Context, f armstrace.EventFilter) ([]*armstrace.Event, error)
	FindCeasefires(ctx context.Context) ([]*armstrace.Ceasefire, error)
	ScreeningDecisions(ctx context.Context) ([]*armstrace.ScreeningDecision, error)
}

// Load builds a gazetteer from everything the store holds: every entity
// (for names and screening), every event (for places) and ceasefire, and
// the reviewers' screening decisions.
func Load(ctx context.Context, g Graph) (*Gazetteer, error) {
	ents, err := g.FindEntities(ctx, armstrace.EntityFilter{})
	if err != nil {
		return nil, err
	}
	evs, err := g.FindEvents(ctx, armstrace.EventFilter{})
	if err != nil {
		return nil, err
	}
	cfs, err := g.FindCeasefires(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := g.ScreeningDecisions(ctx)
	if err != nil {
		return nil, err
	}
	return NewGazetteer(ents, evs, cfs, ds), nil
}

// Gazetteer is what extraction resolves mentions against: the names and
// aliases of the store's entities, the places of its events, its
// ceasefires, the built-in countries, and a screening index for names
// met only with typos or in another form. It is read-only once built.
type Gazetteer struct {
	phrases  map[string]*entry
	maxWords int

	index     *match.Index
	opts      match.Options
	decisions screening.Decisions

	events     []*armstrace.Event
	ceasefires []*armstrace.Ceasefire
	states     map[string]*armstrace.Entity // by country code
	categories map[string]*armstrace.Entity // weapon categories ("… weapons"), by country code
	countries  map[string]country
}

// entry is what a phrase of the gazetteer stands for.
type entry struct {
	entity   *armstrace.Entity
	nameKind string // "name", or the alias kind met
	written  string // the name as the store writes it
	country  string // a country's code, for states, built-in names and demonyms
	place    string // a place's name
	demonym  bool
}

// placeSuffixes are words that place names in datasets carry and
// reports often leave out: "Aleppo Governorate" is read as "Aleppo" too.
var placeSuffixes = []string{"governorate", "province", "district", "subdistrict", "city", "town", "village", "region", "camp", "area", "neighbourhood", "neighborhood"}

// NewGazetteer builds a gazetteer. Entities are taken in id order, so
// that a name two entities share always resolves alike.
func NewGazetteer(ents []*armstrace.Entity, events []*armstrace.Event, cfs []*armstrace.Ceasefire, decisions []*armstrace.ScreeningDecision) *Gazetteer {
	ents = slices.Clone(ents)
	slices.SortFunc(ents, func(a, b *armstrace.Entity) int { return strings.Compare(a.ID, b.ID) })
	g := &Gazetteer{
		phrases:    map[string]*entry{},
		index:      match.NewIndex(ents, match.IndexOptions{}),
		opts:       match.DefaultOptions(),
		decisions:  screening.NewDecisions(decisions),
		events:     events,
		ceasefires: cfs,
		states:     map[string]*armstrace.Entity{},
		categories: map[string]*armstrace.Entity{},
		countries:  map[string]country{},
	}
	add := func(phrase string, fill func(e *entry)) {
		k := keyOf(phrase)
		if len(k) < 2 {
			return
		}
		e := g.phrases[k]
		if e == nil {
			e = &entry{}
			g.phrases[k] = e
		}
		fill(e)
		if n := len(strings.Fields(k)); n > g.maxWords {
			g.maxWords = n
		}
	}
	for _, ent := range ents {
		if ent.Kind == armstrace.EntityState && ent.Country != "" && g.states[ent.Country] == nil {
			g.states[ent.Country] = ent
		}
		if ent.Kind == armstrace.EntityWeaponModel && ent.Country != "" && isCategory(ent) && g.categories[ent.Country] == nil {
			g.categories[ent.Country] = ent
		}
		for i, name := range ent.Names() {
			kind := "name"
			if i > 0 {
				kind = string(ent.Aliases[i-1].Kind)
				if kind == "" {
					kind = string(armstrace.NameAlias)
				}
			}
			add(name, func(e *entry) {
				if e.entity == nil {
					e.entity, e.nameKind, e.written = ent, kind, name
				}
				if ent.Kind == armstrace.EntityState && e.country == "" {
					e.country = ent.Country
				}
			})
		}
	}
	for _, c := range builtinCountries() {
		g.countries[c.code] = c
		for _, n := range c.names {
			add(n, func(e *entry) {
				if e.country == "" {
					e.country = c.code
				}
				if e.entity == nil && g.states[c.code] != nil {
					e.entity, e.nameKind, e.written = g.states[c.code], "country", n
				}
			})
		}
		for _, d := range c.demonyms {
			add(d, func(e *entry) {
				if e.entity == nil && e.country == "" {
					e.country, e.demonym = c.code, true
				}
			})
		}
	}
	for _, ev := range events {
		for _, p := range []string{ev.Place.Name, ev.Place.Admin1, ev.Place.Admin2} {
			if p == "" {
				continue
			}
			names := []string{p}
			if w := strings.Fields(p); len(w) > 1 && slices.Contains(placeSuffixes, strings.ToLower(w[len(w)-1])) {
				names = append(names, strings.Join(w[:len(w)-1], " "))
			}
			for _, n := range names {
				add(n, func(e *entry) {
					if e.place == "" {
						e.place = names[len(names)-1] // "Aleppo", for "Aleppo Governorate"
					}
					if e.country == "" && e.entity == nil {
						e.country = ev.Place.Country
					}
				})
			}
		}
	}
	return g
}

// isCategory reports whether a weapon-model entity stands for a category
// ("Russian-made weapons (type not specified)") rather than a model.
func isCategory(e *armstrace.Entity) bool {
	k := " " + keyOf(e.Name) + " "
	return strings.Contains(k, " weapons ") || strings.Contains(k, " arms ") || strings.Contains(k, " not specified ")
}

// mention turns a gazetteer entry met at a span into a mention.
func (g *Gazetteer) mention(e *entry, text string, start, end int) *Mention {
	m := &Mention{Text: text, Start: start, End: end, Score: 1, Country: e.country}
	switch {
	case e.entity != nil:
		m.Entity, m.EntityKind, m.Name = e.entity.ID, e.entity.Kind, e.entity.Name
		m.Type = MentionEntity
		if e.entity.Kind == armstrace.EntityWeaponModel {
			m.Type = MentionWeapon
		}
		if e.entity.Kind == armstrace.EntityState {
			m.place = true
			m.Country = e.entity.Country
		}
		switch e.nameKind {
		case "name":
			m.How = "the name of " + e.entity.ID
		case "country":
			m.How = "the country " + e.written + ", the store's state " + e.entity.ID
		default:
			m.How = "“" + e.written + "”, an alias (" + e.nameKind + ") of " + e.entity.Name + " [" + e.entity.ID + "]"
		}
		if e.place != "" {
			m.place = true
		}
	case e.demonym:
		c := g.countries[e.country]
		m.Type, m.Name, m.place, m.demonym = MentionPlace, c.name, true, true
		m.How = "a demonym of " + c.name + " (built-in)"
		if st := g.states[e.country]; st != nil {
			m.Entity, m.EntityKind = st.ID, st.Kind
			m.How += ", the store's state " + st.ID
		}
	case e.place != "":
		m.Type, m.Name, m.place = MentionPlace, e.place, true
		m.How = "a place of the store's events"
	default:
		c := g.countries[e.country]
		m.Type, m.Name, m.place = MentionPlace, c.name, true
		m.How = "a country name (built-in)"
	}
	return m
}

// screenMinScore is the least screening score a proper name not in the
// gazetteer needs to resolve to an entity: higher than screening's
// review band, since a report's every capitalised word is tried.
const screenMinScore = 0.85

// screen resolves a proper name through the screening index, leaving out
// hits a reviewer marked as no match for this name.
func (g *Gazetteer) screen(name string) (*match.Hit, bool) {
	hits := g.index.Search(match.Subject{Name: name}, 3, screenMinScore, g.opts)
	shown, _ := g.decisions.Apply(name, hits, 1)
	if len(shown) == 0 {
		return nil, false
	}
	return &shown[0].Hit, true
}

// state returns the store's state of a country, or nil.
func (g *Gazetteer) state(code string) *armstrace.Entity { return g.states[code] }
