package extract

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
)

// weaponNouns follow a demonym in a weapon category: "Russian weapons",
// "Russian-made rifles".
var weaponNouns = map[string]bool{
	"weapons": true, "weapon": true, "arms": true, "munitions": true, "ammunition": true, "rifles": true, "guns": true,
	"missiles": true, "rockets": true, "bombs": true, "helicopters": true, "tanks": true, "aircraft": true, "jets": true,
	"artillery": true, "shells": true, "mines": true, "drones": true, "armour": true, "armor": true,
}

// modelPattern is the shape of common weapon designations not in the
// store: a family prefix, a hyphen or none, a number ("T-72", "Su-24",
// "BM-21", "S-300", "AK-47", "F-16", "M16").
var modelPattern = regexp.MustCompile(`^(?:Mi|Su|MiG|Tu|Il|Ka|Yak|T|BMP|BTR|BM|BMD|S|SA|Kh|AK|AKM|PKM|RPG|RPK|ZU|ZSU|D|2S|9K|F|AH|UH|CH|MQ|M|L|G|GBU|AGM|AIM|MK|Mk)-?\d{1,4}[A-Za-z0-9-]*$`)

// namedWeapons are weapon names reports use without a designation.
var namedWeapons = map[string]bool{"kalashnikov": true, "grad": true, "kornet": true, "konkurs": true, "igla": true, "strela": true,
	"smerch": true, "uragan": true, "tochka": true, "iskander": true, "pantsir": true, "shilka": true, "hellfire": true, "javelin": true, "stinger": true}

// companyWords are the nouns a reference back to a company uses: "the
// company", "this same Russian company", "the exporter".
var companyWords = map[string]bool{"company": true, "firm": true, "exporter": true, "manufacturer": true, "supplier": true,
	"contractor": true, "corporation": true, "conglomerate": true, "producer": true, "maker": true, "dealer": true, "broker": true}

// siteWords make "the site of the atrocities", "the scene of the massacre"
// a reference back to the last place of an atrocity.
var siteWords = map[string]bool{"atrocities": true, "atrocity": true, "attack": true, "attacks": true, "massacre": true, "massacres": true,
	"killings": true, "shelling": true, "crimes": true, "executions": true}

// notNames are capitalised words that begin sentences or titles more
// often than names: a span of only these is no name.
var notNames = map[string]bool{"the": true, "a": true, "an": true, "in": true, "on": true, "at": true, "as": true, "by": true, "for": true,
	"from": true, "with": true, "its": true, "it": true, "this": true, "that": true, "these": true, "those": true, "he": true, "she": true,
	"they": true, "we": true, "i": true, "but": true, "and": true, "or": true, "if": true, "when": true, "while": true, "after": true, "before": true,
	"since": true, "until": true, "despite": true, "according": true, "meanwhile": true, "however": true, "also": true, "last": true, "next": true,
	"earlier": true, "later": true, "today": true, "yesterday": true, "tomorrow": true, "just": true, "over": true, "more": true, "some": true,
	"president": true, "minister": true, "general": true, "prime": true, "secretary": true, "spokesman": true, "spokeswoman": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "no": true, "our": true, "their": true, "his": true, "her": true, "there": true,
	"disturbingly": true, "separately": true, "still": true, "until it": true, "not": true, "nearly": true, "about": true, "between": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true, "august": true,
	"september": true, "october": true, "november": true, "december": true, "related": true, "posts": true, "published": true,
	"for more information": true, "please": true, "visit": true, "read": true, "see": true, "photo": true, "reuters": true, "ap": true,
}

// placePreps are the prepositions after which a proper name found
// nowhere else reads as a place: "in Daraa", "over Taftanaz".
var placePreps = map[string]bool{"in": true, "near": true, "outside": true, "at": true, "around": true, "over": true,
	"across": true, "inside": true, "throughout": true}

// placeHeads are the nouns whose "of" leads to a place: "the village of
// Houla", "the outskirts of Hama", "the shelling of Taftanaz".
var placeHeads = map[string]bool{"village": true, "town": true, "city": true, "district": true, "province": true, "governorate": true,
	"region": true, "outskirts": true, "suburb": true, "suburbs": true, "neighbourhood": true, "neighborhood": true, "camp": true,
	"countryside": true, "centre": true, "center": true, "siege": true, "shelling": true, "bombing": true, "bombardment": true,
	"massacre": true, "residents": true, "people": true}

// docState is what extraction remembers across the sentences of a
// document, for references back.
type docState struct {
	lastCompany       *Mention
	lastAtrocityPlace *Mention
	lastCeasefirePlc  *Mention
	countries         map[string]int // country-level mentions counted, by code
	countryMention    map[string]*Mention
}

// findMentions finds the mentions of one sentence, in text order.
// Longer and surer readings win: references back and weapon categories,
// then the gazetteer's names (longest first), then weapon designations,
// then other proper names through screening.
func (g *Gazetteer) findMentions(text string, toks []token, st *docState, sentN int) []*Mention {
	covered := make([]bool, len(toks))
	var out []*Mention
	take := func(i, j int, m *Mention) {
		for k := i; k < j; k++ {
			covered[k] = true
		}
		out = append(out, m)
	}
	free := func(i, j int) bool {
		for k := i; k < j; k++ {
			if covered[k] {
				return false
			}
		}
		return true
	}
	spanText := func(i, j int) string { return text[toks[i].start:toks[j-1].end] }
	type pending struct {
		i, j int
		kind string // "company" or "site"
	}
	var refs []pending
	// References back: "this same Russian company", "the site of atrocities".
	for i := 0; i < len(toks); i++ {
		k := toks[i].key
		if k != "this" && k != "that" && k != "the" {
			continue
		}
		j := i + 1
		if j < len(toks) && toks[j].key == "same" {
			j++
		}
		// One qualifying word: "Russian", "state", "arms".
		if j+1 < len(toks) && (g.isDemonym(toks[j].key) || !toks[j].upper && isWord(toks[j])) && companyWords[toks[j+1].key] {
			j++
		}
		if j < len(toks) && companyWords[toks[j].key] {
			refs = append(refs, pending{i, j + 1, "company"})
			for x := i; x <= j; x++ {
				covered[x] = true
			}
			continue
		}
		j = i + 1
		if j+1 < len(toks) && (toks[j].key == "site" || toks[j].key == "sites" || toks[j].key == "scene") && toks[j+1].key == "of" {
			j += 2
			if j < len(toks) && toks[j].key == "the" {
				j++
			}
			if j < len(toks) && siteWords[toks[j].key] {
				refs = append(refs, pending{i, j + 1, "site"})
				for x := i; x <= j; x++ {
					covered[x] = true
				}
				continue
			}
			// "the scene of the strike near Saada": a site of something
			// else stands for the place named right after it, if any.
			for k := j; k < len(toks) && k <= j+4 && isWord(toks[k]) && !toks[k].upper; k++ {
				if placePreps[toks[k].key] && k > j {
					refs = append(refs, pending{i, k, "site ahead"})
					for x := i; x < k; x++ {
						covered[x] = true
					}
					break
				}
			}
		}
	}
	// Weapon categories: a demonym (or "Russian-made") and a weapon noun.
	for i := 0; i+1 < len(toks); i++ {
		if !free(i, i+2) || !toks[i].upper || !weaponNouns[toks[i+1].key] {
			continue
		}
		k := toks[i].key
		for _, suf := range []string{"made", "built", "supplied", "origin", "manufactured"} {
			k = strings.TrimSuffix(k, suf)
		}
		e := g.phrases[k]
		if e == nil || e.country == "" || !(e.demonym || e.entity != nil && e.entity.Kind == armstrace.EntityState) {
			continue
		}
		c := g.countries[e.country]
		m := &Mention{Text: spanText(i, i+2), Start: toks[i].start, End: toks[i+1].end, Type: MentionWeapon, Country: e.country, Name: c.name + " " + toks[i+1].key, Score: 1}
		m.How = "a category: " + toks[i+1].key + " of " + c.name + " origin, type not given"
		if cat := g.categories[e.country]; cat != nil {
			m.Entity, m.EntityKind, m.Name = cat.ID, cat.Kind, cat.Name
			m.How += "; the store's category " + cat.ID
		}
		take(i, i+2, m)
	}
	// The gazetteer, longest phrase first.
	for i := 0; i < len(toks); i++ {
		if covered[i] || !(toks[i].upper || hasDigit(toks[i].text)) || !isWord(toks[i]) {
			continue
		}
		for n := min(g.maxWords+2, len(toks)-i); n >= 1; n-- {
			if !free(i, i+n) || !isWord(toks[i+n-1]) {
				continue
			}
			e := g.phrases[keyOf(spanText(i, i+n))]
			if e == nil {
				continue
			}
			take(i, i+n, g.mention(e, spanText(i, i+n), toks[i].start, toks[i+n-1].end))
			i += n - 1
			break
		}
	}
	// Weapon designations not in the store.
	for i, t := range toks {
		if covered[i] {
			continue
		}
		if modelPattern.MatchString(t.text) && hasDigit(t.text) || t.upper && namedWeapons[t.key] {
			take(i, i+1, &Mention{Text: t.text, Start: t.start, End: t.end, Type: MentionWeapon, Name: t.text, Score: 0.7, How: "a weapon designation by its shape, not in the store"})
		}
	}
	// Other proper names: runs of capitalised words, through screening.
	for i := 0; i < len(toks); i++ {
		if covered[i] || !toks[i].upper || !isWord(toks[i]) {
			continue
		}
		j := i + 1
		for j < len(toks) && !covered[j] {
			if toks[j].upper && isWord(toks[j]) {
				j++
				continue
			}
			// Connectors inside a name: "Ministry of Defence", "Bank for Foreign Trade".
			if (toks[j].key == "of" || toks[j].key == "for" || toks[j].key == "and" || toks[j].key == "de" || toks[j].key == "al" || toks[j].text == "&") &&
				j+1 < len(toks) && toks[j+1].upper && !covered[j+1] {
				j += 2
				continue
			}
			break
		}
		a := i
		for a < j && (notNames[toks[a].key] || hasDigit(toks[a].text)) {
			a++
		}
		b := j
		for b > a && (notNames[toks[b-1].key] || toks[b-1].key == "of" || toks[b-1].key == "and") {
			b--
		}
		i = j - 1
		if a >= b {
			continue
		}
		name := spanText(a, b)
		if hit, ok := g.screen(name); ok {
			m := &Mention{Text: name, Start: toks[a].start, End: toks[b-1].end, Type: MentionEntity, Entity: hit.Entity.ID, EntityKind: hit.Entity.Kind, Name: hit.Entity.Name,
				Country: hit.Entity.Country, Score: hit.Score, How: "screening: " + hit.Explanation.Summary}
			if hit.Entity.Kind == armstrace.EntityWeaponModel {
				m.Type = MentionWeapon
			}
			take(a, b, m)
			continue
		}
		// A single capitalised word opening the sentence may be any word.
		if a == 0 && b == 1 {
			continue
		}
		m := &Mention{Text: name, Start: toks[a].start, End: toks[b-1].end, Type: MentionName, Score: 0.6, How: "a proper name found nowhere in the store"}
		if a > 0 && (placePreps[toks[a-1].key] || toks[a-1].key == "of" && a > 1 && placeHeads[toks[a-2].key]) {
			// "killed in Daraa", "over Taftanaz", "the village of
			// Houla": a name after such words reads as a place.
			m.Type, m.Name, m.place = MentionPlace, name, true
			m.How = "a proper name after “" + toks[a-1].text + "”, taken as a place; not in the gazetteer"
		}
		take(a, b, m)
	}
	for _, r := range refs {
		m := &Mention{Text: spanText(r.i, r.j), Start: toks[r.i].start, End: toks[r.j-1].end, ref: r.kind}
		out = append(out, m)
		if r.kind == "site" || r.kind == "site ahead" {
			m.Type, m.place = MentionPlace, true
			m.How = "refers back to the last place of atrocities, but none was named before"
		} else {
			m.Type = MentionEntity
			m.How = "refers back to the last company named, but none was named before"
		}
	}
	slices.SortFunc(out, func(a, b *Mention) int { return a.Start - b.Start })
	// Resolve references in text order, remembering companies. A site
	// the text places itself ("the site of the attack in Homs") stands
	// for that place; else "the site of the atrocities" refers back.
	kept := out[:0]
	for n, m := range out {
		var ahead *Mention
		if m.ref == "site" || m.ref == "site ahead" {
			ahead = placeRightAfter(text, m, out[n+1:])
		}
		switch {
		case ahead != nil:
			resolveRef(m, ahead, "")
			m.Score = ahead.Score
			m.How = "the site of something at the place named right after it, “" + ahead.Text + "”"
		case m.ref == "site ahead":
			continue // a site of something, at no place the text names
		case m.ref == "company":
			if c := st.lastCompany; c != nil {
				resolveRef(m, c, "the company")
			}
		case m.ref == "site":
			if p := st.lastAtrocityPlace; p != nil {
				resolveRef(m, p, "the place of atrocities")
			}
		}
		kept = append(kept, m)
		if m.Entity != "" && m.EntityKind == armstrace.EntityCompany || m.Type == MentionName && looksLikeCompany(m.Text) {
			st.lastCompany = m
		}
		if m.countryLevel() && m.ref == "" {
			st.countries[m.Country]++
			if st.countryMention[m.Country] == nil {
				st.countryMention[m.Country] = m
			}
		}
	}
	return kept
}

// placeRightAfter returns the place that the next mention names when
// only a preposition of place stands between it and m ("… in Homs").
func placeRightAfter(text string, m *Mention, next []*Mention) *Mention {
	if len(next) == 0 || !next[0].place || next[0].ref != "" {
		return nil
	}
	between := strings.Fields(keyOf(text[m.End:next[0].Start]))
	if len(between) != 1 || !placePreps[between[0]] {
		return nil
	}
	return next[0]
}

// resolveRef makes a reference back stand for what it refers to.
func resolveRef(m, to *Mention, what string) {
	m.Entity, m.EntityKind, m.Name, m.Country, m.Event = to.Entity, to.EntityKind, to.Name, to.Country, to.Event
	if to.Type == MentionName {
		m.Type = MentionName
	}
	m.place, m.demonym = to.place, to.demonym
	m.Score = 0.8 * to.Score
	m.How = "refers back to " + what + " “" + to.Text + "”"
	if to.Entity != "" {
		m.How += " [" + to.Entity + "]"
	}
}

func looksLikeCompany(name string) bool {
	for _, w := range strings.Fields(keyOf(name)) {
		switch w {
		case "arms", "industries", "industry", "corporation", "corp", "company", "co", "ltd", "inc", "group", "holding", "holdings", "plc", "jsc", "llc", "gmbh", "sa", "ag", "systems", "defence", "defense", "aerospace", "export":
			return true
		}
	}
	return false
}

func (g *Gazetteer) isDemonym(k string) bool {
	e := g.phrases[k]
	return e != nil && e.demonym
}

// countryLevel reports whether a mention names a country: a state, a
// country's name or its demonym.
func (m *Mention) countryLevel() bool {
	return m.Country != "" && (m.demonym || m.EntityKind == armstrace.EntityState || m.Type == MentionPlace && m.How == "a country name (built-in)")
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func isWord(t token) bool {
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
