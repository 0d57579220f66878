package extract

import (
	"math"
	"slices"
	"strings"

	"github.com/armstrace/armstrace"
)

// Options tune an extraction.
type Options struct {
	// Published resolves relative dates ("last year", "tomorrow"); when
	// empty, a publication line in the text is used if there is one.
	Published armstrace.Date
	// PublishedFrom says where Published came from, for the result.
	PublishedFrom string
}

// Extract reads a document's text and proposes claims, each from one
// sentence.
func (g *Gazetteer) Extract(text string, opts Options) *Result {
	res := &Result{Published: opts.Published, PublishedFrom: opts.PublishedFrom, Mentions: []*Mention{}, Proposals: []*Proposal{}}
	if res.Published == "" {
		if d := PublishedIn(text); d != "" {
			res.Published, res.PublishedFrom = d, "the report's own publication line"
		}
	}
	sents := splitSentences(text)
	res.Sentences = len(sents)
	st := &docState{countries: map[string]int{}, countryMention: map[string]*Mention{}}
	for _, s := range sents {
		toks := tokenize(text, s.Start, s.End)
		ms := g.findMentions(text, toks, st, s.N)
		res.Mentions = append(res.Mentions, ms...)
		sc := &sentence{g: g, text: text, s: s, toks: toks, ms: ms, st: st, res: res, pub: res.Published}
		sc.dates = findDates(text, s.Start, s.End, res.Published)
		for _, m := range findMoney(text, s.Start, s.End) {
			sc.money = append(sc.money, m)
		}
		var avoid []span
		for _, d := range sc.dates {
			avoid = append(avoid, span{d.start, d.end})
		}
		for _, m := range sc.money {
			avoid = append(avoid, span{m.start, m.end})
		}
		sc.casualties = findCasualties(text, s.Start, s.End, avoid)
		sc.hedged = sc.hedgedSentence()
		sc.supplied()
		sc.contracted()
		sc.killed()
		sc.atrocities()
		sc.observed()
		sc.ceasefire()
	}
	return res
}

// sentence is the working state of the rules on one sentence.
type sentence struct {
	g          *Gazetteer
	text       string
	s          Sentence
	toks       []token
	ms         []*Mention
	dates      []*DateRef
	money      []money
	casualties []casualty
	st         *docState
	res        *Result
	pub        armstrace.Date
	hedged     bool
}

var hedgeKeys = map[string]bool{"reportedly": true, "allegedly": true, "alleged": true, "reported": true, "according": true, "unconfirmed": true, "claimed": true, "claims": true}

var (
	negations = map[string]bool{"not": true, "never": true, "no": true, "denied": true, "denies": true, "deny": true, "denying": true, "didnt": true,
		"doesnt": true, "dont": true, "hasnt": true, "havent": true, "wasnt": true, "werent": true, "refused": true, "refuses": true, "nor": true,
		"neither": true, "rejected": true, "rejects": true, "cannot": true, "cant": true, "wont": true, "false": true}
	modals = map[string]bool{"should": true, "must": true, "would": true, "could": true, "may": true, "might": true, "will": true, "shall": true,
		"plans": true, "plan": true, "planned": true, "planning": true, "intends": true, "intend": true, "intended": true, "expected": true,
		"urge": true, "urged": true, "urging": true, "urges": true, "calls": true, "called": true, "calling": true, "asked": true, "wants": true,
		"want": true, "threatened": true, "threatens": true, "considering": true, "consider": true, "proposed": true, "proposes": true,
		"offered": true, "offers": true, "agreed": true, "prevent": true, "preventing": true, "avoid": true, "risk": true, "if": true, "whether": true}
	presupposers = map[string]bool{"stop": true, "stopped": true, "stopping": true, "stops": true, "halt": true, "halted": true, "halting": true,
		"end": true, "ended": true, "ending": true, "cease": true, "ceased": true, "ceasing": true, "suspend": true, "suspended": true,
		"suspending": true, "continue": true, "continued": true, "continues": true, "continuing": true, "resume": true, "resumed": true,
		"resumes": true, "keep": true, "kept": true, "keeps": true}
	// skippable words may stand between a cue and its trigger: "stop its
	// sale", "had also sold", "to immediately stop".
	skippable = map[string]bool{"its": true, "their": true, "the": true, "and": true, "to": true, "immediately": true, "also": true, "has": true,
		"have": true, "had": true, "been": true, "be": true, "being": true, "was": true, "were": true, "is": true, "are": true, "a": true, "an": true,
		"any": true, "all": true, "further": true, "still": true, "quietly": true, "openly": true, "secretly": true, "even": true, "ever": true, "his": true, "her": true}
)

// mood is what the words before a trigger say of it.
type mood int

const (
	asserted    mood = iota
	presupposed      // "stop selling": the selling is taken as fact
	negated          // "did not sell", "denied selling"
	irrealis         // "should sell", "plans to sell": a call or a plan
)

// moodBefore reads back from token i over at most five words, stopping at
// punctuation or a mention, for a cue that changes what the trigger says.
func (sc *sentence) moodBefore(i int) (mood, string) {
	for j, n := i-1, 0; j >= 0 && n < 5; j-- {
		t := sc.toks[j]
		if !isWord(t) || sc.mentionAt(j) != nil {
			break
		}
		if sc.inDate(j) {
			continue // "on 25 May": a month, not the modal "may"
		}
		switch {
		case presupposers[t.key]:
			return presupposed, t.text
		case negations[t.key]:
			return negated, t.text
		case modals[t.key]:
			return irrealis, t.text
		}
		if !skippable[t.key] {
			n++
		}
	}
	return asserted, ""
}

// inDate reports whether token i is part of a date the sentence gives.
func (sc *sentence) inDate(i int) bool {
	t := sc.toks[i]
	for _, d := range sc.dates {
		if d.start <= t.start && t.end <= d.end {
			return true
		}
	}
	return false
}

// mentionAt returns the mention that covers token i, or nil.
func (sc *sentence) mentionAt(i int) *Mention {
	t := sc.toks[i]
	for _, m := range sc.ms {
		if m.Start <= t.start && t.end <= m.End {
			return m
		}
	}
	return nil
}

// hedgedSentence reports whether the sentence reports at second hand:
// "reportedly", "according to", "claimed" (but not "claimed 25 lives",
// which is a count).
func (sc *sentence) hedgedSentence() bool {
	for _, t := range sc.toks {
		if !hedgeKeys[t.key] {
			continue
		}
		inCount := false
		for _, c := range sc.casualties {
			if (t.key == "claimed" || t.key == "claims") && c.start <= t.start && t.end <= c.end {
				inCount = true
			}
		}
		if !inCount {
			return true
		}
	}
	return false
}

func (sc *sentence) hasAny(keys map[string]bool) bool {
	for _, t := range sc.toks {
		if keys[t.key] {
			return true
		}
	}
	return false
}

// isActor reports whether a mention can be a party to a supply or a
// contract: an organisation, a state or force, a name, or a country.
func isActor(m *Mention) bool {
	switch m.Type {
	case MentionEntity, MentionName:
		return m.Entity != "" || m.Type == MentionName
	case MentionPlace:
		return m.countryLevel()
	}
	return false
}

// actorBefore returns the nearest actor that ends before offset pos,
// not across a semicolon.
func (sc *sentence) actorBefore(pos int) *Mention {
	var best *Mention
	for _, m := range sc.ms {
		if m.End <= pos && isActor(m) && !strings.Contains(sc.text[m.End:pos], ";") {
			best = m
		}
	}
	return best
}

// actorAfterWord returns the first actor after offset pos that follows
// one of the words (such as "to", "from", "by") within three tokens.
func (sc *sentence) actorAfterWord(pos int, words ...string) *Mention {
	for i, t := range sc.toks {
		if t.start < pos || !slices.Contains(words, t.key) {
			continue
		}
		for k := i + 1; k < len(sc.toks) && k <= i+3; k++ {
			if m := sc.mentionAt(k); m != nil {
				if isActor(m) && m.Start == sc.toks[k].start {
					return m
				}
				break
			}
		}
	}
	return nil
}

// actorRightAfter returns an actor that begins within two tokens after
// token i ("sold Syria", "supplied the rebels").
func (sc *sentence) actorRightAfter(i int) *Mention {
	for k := i + 1; k < len(sc.toks) && k <= i+2; k++ {
		if m := sc.mentionAt(k); m != nil {
			if isActor(m) && m.Start == sc.toks[k].start {
				return m
			}
			return nil
		}
		if sc.toks[k].key != "the" {
			return nil
		}
	}
	return nil
}

// placeAfter returns the first place after offset pos, within limit
// tokens, that a location word ("in", "at", "from", "out of") leads to.
func (sc *sentence) placeAfter(pos, limit int) *Mention {
	n := 0
	sawPrep := false
	for i, t := range sc.toks {
		if t.start < pos {
			continue
		}
		if n++; n > limit || t.text == ";" {
			return nil
		}
		if locationWords[t.key] {
			sawPrep = true
			continue
		}
		if m := sc.mentionAt(i); m != nil && m.place && sawPrep && m.Start == t.start {
			return m
		}
	}
	return nil
}

var locationWords = map[string]bool{"in": true, "at": true, "near": true, "on": true, "around": true, "across": true, "throughout": true,
	"outside": true, "inside": true, "from": true, "of": true, "out": true, "into": true, "within": true, "over": true}

// nearestDate returns the date nearest to offset pos, within maxTokens
// tokens of it (0: anywhere in the sentence).
func (sc *sentence) nearestDate(pos, maxTokens int) *DateRef {
	var best *DateRef
	bestD := math.MaxInt
	at := sc.tokenAt(pos)
	for _, d := range sc.dates {
		dist := abs(sc.tokenAt(d.start) - at)
		if d.start < pos {
			dist = at - sc.tokenAt(d.end-1)
		}
		if maxTokens > 0 && dist > maxTokens {
			continue
		}
		if dist < bestD {
			best, bestD = d, dist
		}
	}
	return best
}

// moneyNear returns the amount nearest after offset pos, else before.
func (sc *sentence) moneyNear(pos int) *Figure {
	var before *Figure
	for _, m := range sc.money {
		if m.start >= pos {
			return m.fig
		}
		before = m.fig
	}
	return before
}

// weaponNear returns the weapon mentioned nearest after offset pos,
// else before.
func (sc *sentence) weaponNear(pos int) *Mention {
	var before *Mention
	for _, m := range sc.ms {
		if m.Type != MentionWeapon {
			continue
		}
		if m.Start >= pos {
			return m
		}
		before = m
	}
	return before
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// propose adds a proposal, with its confidence: the rule's base, times
// the weakest resolution of its ends, less for a hedged sentence or a
// presupposition.
func (sc *sentence) propose(p *Proposal, base float64, md mood) {
	p.Sentence = sc.s
	c := base
	for _, m := range []*Mention{p.Subject, p.Object} {
		if m != nil && m.Score > 0 {
			c *= m.Score
		}
	}
	if sc.hedged {
		c *= 0.8
		p.Why += "; the sentence reports it at second hand"
	}
	if md == presupposed {
		c *= 0.7
	}
	p.Confidence = math.Round(max(c, 0.05)*100) / 100
	for _, q := range sc.res.Proposals {
		if q.Sentence.N == p.Sentence.N && q.Key() == p.Key() {
			return // one proposal per sentence, kind and ends
		}
	}
	sc.res.Proposals = append(sc.res.Proposals, p)
}

func (sc *sentence) setAside(trigger, reason string) {
	sc.res.SetAside = append(sc.res.SetAside, SetAside{Sentence: sc.s.N, Trigger: trigger, Reason: reason})
}

// moodWhy turns a mood into a reason to set a trigger aside, or "".
func moodWhy(md mood, cue string) string {
	switch md {
	case negated:
		return "negated or denied (“" + cue + "”)"
	case irrealis:
		return "a call, plan or possibility rather than a report (“" + cue + "”)"
	}
	return ""
}

var armsWords = map[string]bool{"arms": true, "weapons": true, "weapon": true, "munitions": true, "ammunition": true, "rifles": true,
	"guns": true, "missiles": true, "missile": true, "rockets": true, "helicopters": true, "helicopter": true, "tanks": true,
	"aircraft": true, "jets": true, "fighters": true, "artillery": true, "drones": true, "military": true, "armoured": true, "armored": true,
	"bombs": true, "grenades": true, "mortars": true, "shells": true, "warships": true, "submarines": true, "radars": true}

// supplyVerbs take the supplier before and the recipient after "to" (or
// as their object: "sold Syria …"); nouns only with "to".
var (
	supplyVerbs = map[string]bool{"supplied": true, "supplies": true, "supply": true, "supplying": true, "sold": true, "sells": true,
		"sell": true, "selling": true, "delivered": true, "delivers": true, "deliver": true, "delivering": true, "shipped": true,
		"ships": true, "shipping": true, "transferred": true, "transfers": true, "exported": true, "exports": true, "exporting": true,
		"provided": true, "provides": true, "providing": true, "armed": true, "arming": true, "arms": false}
	supplyNouns   = map[string]bool{"sale": true, "sales": true, "delivery": true, "deliveries": true, "transfer": true, "shipment": true, "shipments": true, "supplies": true, "exports": true}
	receiveVerbs  = map[string]bool{"received": true, "receives": true, "receiving": true, "bought": true, "buys": true, "buying": true, "purchased": true, "purchases": true, "purchasing": true, "acquired": true, "acquires": true, "imported": true, "imports": true, "importing": true, "obtained": true, "ordered": true, "orders": true}
	doubleObjects = map[string]bool{"sold": true, "sells": true, "sell": true, "selling": true, "supplied": true, "supplies": true, "supply": true, "supplying": true, "provided": true, "provides": true, "armed": true, "arming": true, "delivered": true}
)

// supplied proposes supplier → recipient from "X sold arms to Y", "X
// sold Y $1 billion worth of arms", "Y bought tanks from X", "arms
// supplied by X to Y", "X's sales of weapons to Y", in a sentence about
// arms.
func (sc *sentence) supplied() {
	arms := sc.hasAny(armsWords)
	for _, m := range sc.ms {
		if m.Type == MentionWeapon {
			arms = true
		}
	}
	if !arms {
		return
	}
	for i, t := range sc.toks {
		verb, noun, recv := supplyVerbs[t.key], supplyNouns[t.key], receiveVerbs[t.key]
		if !verb && !noun && !recv || sc.mentionAt(i) != nil {
			continue
		}
		md, cue := sc.moodBefore(i)
		var subj, obj *Mention
		var how string
		switch {
		case recv:
			subj = sc.actorAfterWord(t.end, "from")
			obj = sc.actorBefore(t.start)
			how = "“" + t.text + "” with the recipient before it and the supplier after “from”"
		case i+1 < len(sc.toks) && sc.toks[i+1].key == "by":
			subj = sc.actorAfterWord(t.end, "by")
			obj = sc.actorAfterWord(t.end, "to")
			if obj == nil {
				obj = sc.actorBefore(t.start)
			}
			how = "“" + t.text + " by” with the supplier after it"
		default:
			subj = sc.actorBefore(t.start)
			how = "“" + t.text + "” with the supplier before it and the recipient after “to”"
			// "Russian arms sales to Syria": the arms' origin sells.
			if m := sc.mentionAt(max(i-1, 0)); i > 0 && m != nil && m.Type == MentionWeapon && m.Country != "" {
				subj = sc.g.originActor(m)
				how = "“" + m.Text + " " + t.text + "” with the arms' country of origin as the supplier and the recipient after “to”"
			}
			obj = sc.actorAfterWord(t.end, "to")
			if obj == nil && verb && doubleObjects[t.key] {
				obj = sc.actorRightAfter(i)
				how = "“" + t.text + "” with the supplier before it and the recipient as its object"
			}
		}
		// "denied that X sold …": a denial before the supplier.
		if subj != nil && md == asserted && subj.Start < t.start {
			if m2, c2 := sc.moodBefore(sc.tokenAt(subj.Start)); m2 == negated {
				md, cue = m2, c2
			}
		}
		if r := moodWhy(md, cue); r != "" && (subj != nil || obj != nil) {
			sc.setAside(t.text, r)
			continue
		}
		if subj == nil || obj == nil || subj.Key() == obj.Key() {
			if subj != nil || obj != nil {
				sc.setAside(t.text, "a supply with only one party found")
			}
			continue
		}
		if md == presupposed {
			how += "; presupposed by “" + cue + "”"
		}
		p := &Proposal{Kind: KindSupplied, Subject: subj, Object: obj, Rule: "supply", Why: how}
		p.Amount = sc.moneyNear(t.start)
		p.Date = sc.nearestDate(t.start, 0)
		p.Weapon = sc.weaponNear(t.start)
		sc.propose(p, 0.6, md)
	}
}

// originActor is the country a weapon category comes from, as a party.
func (g *Gazetteer) originActor(w *Mention) *Mention {
	c := g.countries[w.Country]
	m := &Mention{Text: w.Text, Start: w.Start, End: w.End, Type: MentionPlace, Country: w.Country, Name: c.name, Score: 0.9,
		How: "the country of origin of “" + w.Text + "”", place: true, demonym: true}
	if st := g.states[w.Country]; st != nil {
		m.Entity, m.EntityKind = st.ID, st.Kind
		m.How += ", the store's state " + st.ID
	}
	return m
}

// governmental reports whether a party is a buyer by its nature: a
// state, an agency or an armed force.
func governmental(m *Mention) bool {
	switch m.EntityKind {
	case armstrace.EntityState, armstrace.EntityAgency, armstrace.EntityArmedForce:
		return true
	}
	return m.countryLevel()
}

var (
	awardVerbs = map[string]bool{"awarded": true, "awards": true, "award": true, "gave": true, "granted": true, "placed": true, "issued": true}
	winVerbs   = map[string]bool{"won": true, "wins": true, "received": true, "receives": true, "secured": true, "secures": true, "obtained": true, "got": true, "landed": true}
)

// contracted proposes buyer → vendor from "X entered into a contract
// with Y", "Y awarded X a contract", "X won a contract from Y". The
// buyer is the government party where one of the two is one; else the
// verb decides ("awarded": the subject buys; "won": the other party).
func (sc *sentence) contracted() {
	for i, t := range sc.toks {
		if t.key != "contract" && t.key != "contracts" && t.key != "contracted" {
			continue
		}
		md, cue := sc.moodBefore(i)
		a := sc.actorBefore(t.start)
		b := sc.actorAfterWord(t.end, "with", "from", "by", "to")
		// "A awarded B a contract": B stands between the verb and the
		// noun, and A before the verb.
		for j := i - 1; j >= 0 && j >= i-5; j-- {
			if awardVerbs[sc.toks[j].key] || winVerbs[sc.toks[j].key] {
				if a != nil && a.Start > sc.toks[j].end {
					if before := sc.actorBefore(sc.toks[j].start); before != nil {
						a, b = before, a
					}
				}
				break
			}
		}
		if b == nil {
			for _, m := range sc.ms {
				if m.Start >= t.end && isActor(m) {
					b = m
					break
				}
			}
		}
		// "a contract … was awarded to B by A", "… was signed with B by
		// A": a passive verb after the noun, the vendor after "to" or
		// "with" and the buyer after "by".
		if v, pmd, pcue := sc.passiveAfter(i); v != "" {
			by := sc.actorAfterWord(t.end, "by")
			to := sc.actorAfterWord(t.end, "to", "with")
			if pmd != asserted {
				md, cue = pmd, pcue
			}
			if by != nil && to != nil && by.Key() != to.Key() {
				if r := moodWhy(md, cue); r != "" {
					sc.setAside(t.text, r)
					continue
				}
				p := &Proposal{Kind: KindContracted, Subject: by, Object: to, Rule: "contract",
					Why: "“" + t.text + " … " + v + "” in the passive: the vendor after “to” or “with”, the buyer after “by”"}
				p.Amount = sc.moneyNear(t.start)
				p.Date = sc.nearestDate(t.start, 0)
				p.Weapon = sc.weaponNear(t.start)
				sc.propose(p, 0.6, md)
				continue
			}
		}
		if a == nil || b == nil || a.Key() == b.Key() {
			if a != nil || b != nil {
				sc.setAside(t.text, "a contract with only one party found")
			}
			continue
		}
		if r := moodWhy(md, cue); r != "" {
			sc.setAside(t.text, r)
			continue
		}
		buyer, vendor := a, b
		how := ""
		base := 0.6
		switch {
		case governmental(a) && !governmental(b):
			how = "“" + t.text + "” between a government party (the buyer) and another (the vendor)"
		case governmental(b) && !governmental(a):
			buyer, vendor = b, a
			how = "“" + t.text + "” between a government party (the buyer) and another (the vendor)"
		default:
			verb := ""
			passive := false
			for j := i - 1; j >= 0 && j >= i-4; j-- {
				if awardVerbs[sc.toks[j].key] || winVerbs[sc.toks[j].key] {
					verb = sc.toks[j].key
					passive = j > 0 && (sc.toks[j-1].key == "was" || sc.toks[j-1].key == "were" || sc.toks[j-1].key == "been")
					break
				}
			}
			switch {
			case awardVerbs[verb] && !passive:
				how = "“" + verb + " … " + t.text + "”: the one who awards buys"
			case winVerbs[verb] || awardVerbs[verb] && passive:
				buyer, vendor = b, a
				how = "“" + verb + " … " + t.text + "”: the one who wins sells"
			default:
				how = "“" + t.text + "” between two parties of one kind: the buyer is taken to be the first named, which a reviewer should check"
				base = 0.4
			}
		}
		p := &Proposal{Kind: KindContracted, Subject: buyer, Object: vendor, Rule: "contract", Why: how}
		p.Amount = sc.moneyNear(t.start)
		p.Date = sc.nearestDate(t.start, 0)
		p.Weapon = sc.weaponNear(t.start)
		sc.propose(p, base, md)
	}
}

// passiveVerbs make a contract the subject of a passive: "a contract
// was awarded to", "was signed with".
var passiveVerbs = map[string]bool{"awarded": true, "signed": true, "granted": true, "given": true, "placed": true, "issued": true,
	"concluded": true, "let": true, "agreed": true}

// passiveAfter returns the verb of a passive that follows the contract
// noun at token i within fourteen tokens, not across a semicolon ("a contract
// worth $40 million was awarded", "the contract, worth $5 million, was
// signed"), or "". An adverb may stand in it ("was later signed"); a
// negation makes it negated ("was never awarded").
func (sc *sentence) passiveAfter(i int) (verb string, md mood, cue string) {
	for j := i + 1; j < len(sc.toks) && j <= i+14; j++ {
		t := sc.toks[j]
		if t.text == ";" || sc.mentionAt(j) != nil {
			return "", asserted, ""
		}
		if t.key != "was" && t.key != "were" && t.key != "been" && t.key != "be" {
			continue
		}
		for k := j + 1; k < len(sc.toks) && k <= j+2; k++ {
			switch u := sc.toks[k]; {
			case passiveVerbs[u.key]:
				return t.text + " " + u.text, md, cue
			case negations[u.key]:
				md, cue = negated, u.text
			case !strings.HasSuffix(u.key, "ly") && !skippable[u.key] && u.key != "then" && u.key != "later":
				return "", asserted, ""
			}
		}
		return "", asserted, ""
	}
	return "", asserted, ""
}

// killed proposes a count of people killed in a place, and by whom when
// the sentence says ("killed … by X", "X killed 40").
func (sc *sentence) killed() {
	for _, c := range sc.casualties {
		i := sc.tokenAt(c.start)
		if i > 0 && (sc.toks[i-1].key == "no" || sc.toks[i-1].key == "not") {
			continue
		}
		md, cue := sc.moodBefore(i)
		if md == negated || md == irrealis {
			sc.setAside(c.fig.Text, moodWhy(md, cue))
			continue
		}
		if w := sc.nonViolentCause(c); w != "" {
			sc.setAside(c.fig.Text, "deaths from a disease, a disaster or an accident, not from violence (“"+w+"”)")
			continue
		}
		p := &Proposal{Kind: KindKilledIn, Casualties: c.fig, Rule: "casualties"}
		why := []string{"a count of people killed: “" + c.fig.Text + "”"}
		// The place follows the verb, or stands between "death toll"
		// and its figure.
		reach := 9
		if c.trigger < c.end {
			reach += sc.tokenAt(c.end) - sc.tokenAt(c.trigger)
		}
		if pl := sc.placeAfter(c.trigger, reach); pl != nil {
			p.Object, why = pl, append(why, "the place after it: “"+pl.Text+"”")
		}
		if p.Object == nil {
			for _, m := range sc.ms {
				if m.demonym && m.Start >= c.start && m.End <= c.trigger {
					p.Object, why = m, append(why, "the victims' country, from “"+m.Text+"”")
					break
				}
			}
		}
		if p.Object == nil {
			for _, m := range sc.ms {
				if m.place && m.End <= c.start && m.Type != MentionWeapon {
					if j := sc.tokenAt(m.Start); j > 0 && locationWords[sc.toks[j-1].key] {
						p.Object = m
					}
				}
			}
			if p.Object != nil {
				why = append(why, "the place before it: “"+p.Object.Text+"”")
			}
		}
		if c.active {
			// "The war in Yemen has killed …": a place a location word
			// leads to is where, not who.
			if a := sc.actorBefore(c.start); a != nil && !a.demonym && !sc.ledByLocationWord(a) {
				p.Subject, why = a, append(why, "the killer before the verb: “"+a.Text+"”")
			}
		} else if a := sc.actorAfterWord(c.trigger, "by"); a != nil && sc.tokenAt(a.Start)-sc.tokenAt(c.trigger) <= 8 {
			p.Subject, why = a, append(why, "the perpetrator after “by”: “"+a.Text+"”")
		}
		if p.Object == nil {
			why = append(why, "no place found")
		}
		p.Why = strings.Join(why, "; ")
		p.Date = sc.nearestDate(c.trigger, 8)
		if p.Object != nil {
			p.Place = p.Object
			p.Object = sc.withEvent(p.Object, KindKilledIn, p.Date, c.fig)
		}
		sc.propose(p, 0.6, asserted)
	}
}

// nonViolentCauses name deaths that no one inflicted: a disease, a
// disaster, an accident.
var nonViolentCauses = map[string]bool{"cholera": true, "outbreak": true, "epidemic": true, "pandemic": true, "disease": true,
	"diseases": true, "virus": true, "covid": true, "coronavirus": true, "ebola": true, "measles": true, "malaria": true, "dengue": true,
	"influenza": true, "flu": true, "earthquake": true, "quake": true, "earthquakes": true, "flood": true, "floods": true, "flooding": true,
	"landslide": true, "landslides": true, "storm": true, "cyclone": true, "hurricane": true, "typhoon": true, "tsunami": true,
	"heatwave": true, "avalanche": true, "accident": true, "accidents": true, "crash": true, "crashed": true, "collision": true, "derailment": true,
	"stampede": true, "drowned": true, "drowning": true}

// nonViolentCause returns a word near a count of the dead that puts
// the deaths down to a disease, a disaster or an accident ("died of
// cholera", "the death toll from the earthquake", "Cholera has killed"),
// or "": from four words before the count to eight after its verb.
func (sc *sentence) nonViolentCause(c casualty) string {
	from := sc.tokenAt(c.start) - 4
	to := sc.tokenAt(max(c.end, c.trigger)) + 8
	for j := max(from, 0); j < len(sc.toks) && j <= to; j++ {
		if t := sc.toks[j]; nonViolentCauses[t.key] {
			return t.text
		}
	}
	return ""
}

// ledByLocationWord reports whether a mention follows a location word
// ("in Yemen", "across Syria").
func (sc *sentence) ledByLocationWord(m *Mention) bool {
	j := sc.tokenAt(m.Start)
	return j > 0 && locationWords[sc.toks[j-1].key]
}

// tokenAt returns the index of the token that starts at or covers
// offset pos.
func (sc *sentence) tokenAt(pos int) int {
	for i, t := range sc.toks {
		if t.end > pos {
			return i
		}
	}
	return len(sc.toks)
}

var atrocityWords = map[string]bool{"atrocities": true, "atrocity": true, "massacre": true, "massacres": true, "executions": true,
	"torture": true, "shelling": true, "bombardment": true, "bombardments": true, "bombing": true, "bombings": true, "airstrikes": true,
	"crimes": true, "killings": true, "disappearances": true}

// atrocities proposes atrocities reported at a place: a word for them,
// then a place that a location word leads to ("atrocities … out of
// Homs"), or a place before ("In Homs, mass executions …").
func (sc *sentence) atrocities() {
	done := map[string]bool{}
	for i, t := range sc.toks {
		if !atrocityWords[t.key] || sc.mentionAt(i) != nil {
			continue
		}
		if t.key == "crimes" && (i == 0 || sc.toks[i-1].key != "war") {
			continue
		}
		md, cue := sc.moodBefore(i)
		if i > 0 && sc.toks[i-1].key == "no" {
			md, cue = negated, "no"
		}
		if md == negated || md == irrealis {
			sc.setAside(t.text, moodWhy(md, cue))
			continue
		}
		place := sc.placeAfter(t.end, 20)
		why := "“" + t.text + "” and the place after it"
		if place == nil {
			for _, m := range sc.ms {
				if m.place && m.End <= t.start && !m.demonym && i-sc.tokenAt(m.End-1) <= 6 {
					if j := sc.tokenAt(m.Start); j > 0 && locationWords[sc.toks[j-1].key] {
						place = m
					}
				}
			}
			why = "“" + t.text + "” and the place before it"
		}
		if place == nil {
			continue
		}
		if done[place.Key()] {
			continue
		}
		// "Government shelling killed 150 people in Tremseh": an attack
		// that killed is a count of the dead at the place, not by
		// itself an atrocity, unless the text says it was aimed at
		// civilians ("indiscriminate shelling", "the bombing of homes").
		if attackNouns[t.key] && sc.killedAt(place) && sc.aimedAtCivilians(i) == "" {
			sc.setAside(t.text, "an attack reported with its dead at “"+place.Text+"”: a count of the killed, no atrocity named")
			continue
		}
		done[place.Key()] = true
		p := &Proposal{Kind: KindAtrocityAt, Place: place, Rule: "atrocity", Why: why + ": “" + place.Text + "”"}
		// "by X" between the word and the place, or "committed by X" after it.
		if by := sc.actorAfterWord(t.end, "by"); by != nil && by.Start < place.Start {
			p.Subject, p.Why = by, p.Why+"; the perpetrator after “by”"
		} else if j := sc.tokenAt(place.End); j+1 < len(sc.toks) && (sc.toks[j].key == "committed" || sc.toks[j].key == "perpetrated" || sc.toks[j].key == "carried") {
			if by := sc.actorAfterWord(place.End, "by"); by != nil && sc.tokenAt(by.Start)-j <= 4 {
				p.Subject, p.Why = by, p.Why+"; the perpetrator after “"+sc.toks[j].text+" by”"
			}
		}
		p.Date = sc.nearestDate(t.start, 8)
		p.Object = sc.withEvent(place, KindAtrocityAt, p.Date, nil)
		sc.st.lastAtrocityPlace = place
		sc.propose(p, 0.5, asserted)
	}
}

// attackNouns name an attack, which is an atrocity only as the text
// describes it; the other atrocity words name one by themselves.
var attackNouns = map[string]bool{"shelling": true, "bombardment": true, "bombardments": true, "bombing": true, "bombings": true, "airstrikes": true}

// civilianAim are the words that make an attack one on civilians:
// before it ("indiscriminate shelling") or after it ("the shelling of
// residential districts", "airstrikes on hospitals").
var (
	civilianAimBefore = map[string]bool{"indiscriminate": true, "indiscriminately": true, "deliberate": true, "deliberately": true,
		"systematic": true, "targeted": true, "unlawful": true, "disproportionate": true, "reckless": true}
	civilianAimAfter = map[string]bool{"civilians": true, "civilian": true, "residential": true, "homes": true, "houses": true,
		"hospital": true, "hospitals": true, "school": true, "schools": true, "market": true, "markets": true, "mosque": true,
		"mosques": true, "church": true, "churches": true, "bakery": true, "bakeries": true, "shelter": true, "shelters": true,
		"refugees": true, "clinic": true, "clinics": true, "neighbourhoods": true, "neighborhoods": true}
)

// killedAt reports whether the sentence has proposed people killed at
// the place.
func (sc *sentence) killedAt(place *Mention) bool {
	for _, q := range sc.res.Proposals {
		if q.Sentence.N == sc.s.N && q.Kind == KindKilledIn && q.Place != nil && q.Place.Key() == place.Key() {
			return true
		}
	}
	return false
}

// aimedAtCivilians returns the word that says the attack at token i was
// aimed at civilians: within two words before it, or within four after
// it ("of", "on", "against" and determiners between), or "".
func (sc *sentence) aimedAtCivilians(i int) string {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		if civilianAimBefore[sc.toks[j].key] {
			return sc.toks[j].text
		}
	}
	for j := i + 1; j < len(sc.toks) && j <= i+4; j++ {
		if !isWord(sc.toks[j]) {
			break
		}
		if civilianAimAfter[sc.toks[j].key] {
			return sc.toks[j].text
		}
	}
	return ""
}

var observeVerbs = map[string]bool{"documented": true, "found": true, "seen": true, "observed": true, "identified": true, "recovered": true,
	"photographed": true, "filmed": true, "spotted": true, "used": true, "deployed": true, "fired": true, "saw": true, "recorded": true,
	"geolocated": true, "verified": true, "sighted": true}

// observed proposes a weapon documented at a place: a weapon, a verb of
// seeing or using, and a place or a reference back to one ("at the site
// of the atrocities"). The weapon stands before the verb ("Mi-24
// helicopters were filmed over Homs") or, in the active voice, just
// after it ("investigators documented Mi-24 helicopters over Homs"),
// and the place follows.
func (sc *sentence) observed() {
	for i, t := range sc.toks {
		if attackVerbs[t.key] {
			sc.weaponAttacked(i)
			continue
		}
		if !observeVerbs[t.key] {
			continue
		}
		var weapon *Mention
		for _, m := range sc.ms {
			if m.Type == MentionWeapon && m.End <= t.start && sc.tokenAt(t.start)-sc.tokenAt(m.End) <= 6 {
				weapon = m
			}
		}
		from := t.end
		if weapon == nil && !(t.key == "used" && i+1 < len(sc.toks) && sc.toks[i+1].key == "to") {
			weapon = sc.weaponObject(i)
			if weapon != nil {
				from = weapon.End
			}
		}
		if weapon == nil {
			continue
		}
		if j := sc.tokenAt(weapon.Start); j > 0 && (sc.toks[j-1].key == "no" || sc.toks[j-1].key == "not") {
			sc.setAside(t.text, "negated (“"+sc.toks[j-1].text+"”)")
			continue
		}
		md, cue := sc.moodBefore(i)
		if md == negated || md == irrealis {
			sc.setAside(t.text, moodWhy(md, cue))
			continue
		}
		place := sc.placeAfter(from, 8)
		if place == nil {
			sc.setAside(t.text, "a weapon seen, but no place found")
			continue
		}
		p := &Proposal{Kind: KindObservedAt, Subject: weapon, Place: place, Rule: "observation",
			Why: "“" + weapon.Text + "” " + t.text + " at “" + place.Text + "”"}
		if place.ref != "" && place.Name != "" {
			p.Why += ", that is " + place.Name
		}
		p.Date = sc.nearestDate(t.start, 12)
		p.Object = sc.withEvent(place, KindObservedAt, p.Date, nil)
		if place.Country == "" && weapon.Country != "" && p.Object.Event == "" {
			p.Why += "; no event of the store at this place"
		}
		sc.propose(p, 0.5, md)
	}
}

// attackVerbs have a weapon as their agent: "T-72 tanks shelled",
// "Su-24 jets bombed", "Grad rockets hit".
var attackVerbs = map[string]bool{"shelled": true, "shell": true, "bombed": true, "bombarded": true, "bombard": true, "bombards": true,
	"pounded": true, "pound": true, "pounding": true, "hit": true, "hits": true, "struck": true, "strike": true, "strafed": true,
	"rocketed": true, "attacked": true, "attack": true, "attacks": true, "targeted": true, "raided": true, "levelled": true,
	"leveled": true, "razed": true, "blasted": true, "fired": false}

// weaponAttacked proposes a weapon at the place it attacked, when the
// weapon is the agent of the verb at token i: it stands just before the
// verb, in the active voice ("T-72 tanks shelled residential districts
// of Homs", "Su-24 jets bombed Idlib", "Grad rockets hit the market in
// Douma"), or after "by" in the passive ("Douma was hit by Grad
// rockets"). The place is the verb's object, the passive's subject, or
// one a location word leads to. A weapon that was hit ("tanks were
// struck") is not an agent.
func (sc *sentence) weaponAttacked(i int) {
	t := sc.toks[i]
	var weapon, place *Mention
	passive := -1 // the auxiliary of a passive ("was shelled")
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		u := sc.toks[k]
		if m := sc.mentionAt(k); m != nil {
			if m.Type == MentionWeapon && passive < 0 {
				weapon = m
			}
			break
		}
		if !isWord(u) || sc.inDate(k) {
			break
		}
		if auxiliaries[u.key] {
			passive = k
		}
	}
	md, cue := sc.moodBefore(i)
	switch {
	case passive >= 0:
		// "Douma was hit by Grad rockets": the weapon after "by", the
		// place the subject or after the weapon.
		if i+1 >= len(sc.toks) || sc.toks[i+1].key != "by" {
			return
		}
		weapon = sc.weaponObject(i + 1)
		if weapon == nil {
			return
		}
		if m := sc.mentionAt(max(passive-1, 0)); passive > 0 && m != nil && m.place && m.Type != MentionWeapon {
			place = m
		} else {
			place = sc.placeAfter(weapon.End, 8)
		}
		if m2, c2 := sc.moodBefore(passive); m2 != asserted {
			md, cue = m2, c2
		}
	case weapon != nil:
		place = sc.objectPlace(i)
		if place == nil {
			place = sc.placeAfter(t.end, 8)
		}
		// "denied that Su-24 jets bombed …": a denial before the weapon.
		if m2, c2 := sc.moodBefore(sc.tokenAt(weapon.Start)); md == asserted && m2 == negated {
			md, cue = m2, c2
		}
	default:
		return
	}
	if md == negated || md == irrealis {
		sc.setAside(t.text, moodWhy(md, cue))
		return
	}
	if place == nil {
		sc.setAside(t.text, "a weapon attacking, but no place found")
		return
	}
	p := &Proposal{Kind: KindObservedAt, Subject: weapon, Place: place, Rule: "observation",
		Why: "“" + weapon.Text + "” " + t.text + " “" + place.Text + "”: the weapon the agent of the attack"}
	p.Date = sc.nearestDate(t.start, 12)
	p.Object = sc.withEvent(place, KindObservedAt, p.Date, nil)
	sc.propose(p, 0.5, md)
}

var auxiliaries = map[string]bool{"was": true, "were": true, "been": true, "being": true, "be": true, "is": true, "are": true}

// objectPlace returns a place that is the object of the verb at token i,
// right after it or after "the" ("bombed Idlib", "shelled the Khalidiya
// district"). A proper name found nowhere, attacked by a weapon, is
// taken as a place, as one after "in" is.
func (sc *sentence) objectPlace(i int) *Mention {
	for k := i + 1; k < len(sc.toks) && k <= i+2; k++ {
		if m := sc.mentionAt(k); m != nil {
			if m.Start != sc.toks[k].start {
				return nil
			}
			if m.place && m.Type != MentionWeapon {
				return m
			}
			if m.Type == MentionName && !looksLikeCompany(m.Text) {
				cp := *m
				cp.Type, cp.Name, cp.place = MentionPlace, m.Text, true
				cp.How = "a proper name attacked by a weapon (“" + sc.toks[i].text + "”), taken as a place; not in the gazetteer"
				return &cp
			}
			return nil
		}
		if sc.toks[k].key != "the" {
			return nil
		}
	}
	return nil
}

// weaponObject returns the weapon that is the object of the verb at
// token i: within four tokens after it, with only determiners, counts
// and words such as "remnants of" between ("documented two Mi-24
// helicopters", "found the remains of Grad rockets").
func (sc *sentence) weaponObject(i int) *Mention {
	for k := i + 1; k < len(sc.toks) && k <= i+4; k++ {
		if m := sc.mentionAt(k); m != nil {
			if m.Type == MentionWeapon && m.Start == sc.toks[k].start {
				return m
			}
			return nil
		}
		if t := sc.toks[k]; !isWord(t) || sc.inDate(k) {
			return nil
		}
	}
	return nil
}

var ceasefireWords = map[string]bool{"ceasefire": true, "truce": true, "armistice": true, "ceasefires": true, "truces": true}

// ceasefire proposes a ceasefire with its deadline or start: a word for
// one and a date in the sentence. Its place is the country it is "in" or
// that owns it ("Syria's ceasefire"), else the last ceasefire's place,
// else the country the document names most.
func (sc *sentence) ceasefire() {
	for i, t := range sc.toks {
		isCF := ceasefireWords[t.key] || t.key == "cessation" && i+2 < len(sc.toks) && sc.toks[i+2].key == "hostilities"
		if !isCF {
			continue
		}
		var place *Mention
		for _, m := range sc.ms {
			if !m.countryLevel() {
				continue
			}
			j, k := sc.tokenAt(m.Start), sc.tokenAt(m.End-1)
			if k < i && i-k <= 3 || j > i && j-i <= 3 && ceasefirePreps[sc.toks[j-1].key] {
				place = m
				break
			}
		}
		if place != nil {
			sc.st.lastCeasefirePlc = place
		}
		md, cue := sc.moodBefore(i)
		if i > 0 && sc.toks[i-1].key == "no" {
			md, cue = negated, "no"
		}
		if md == negated {
			sc.setAside(t.text, moodWhy(md, cue))
			continue
		}
		if talk := sc.talkBefore(i); talk != "" {
			sc.setAside(t.text, "talk of a ceasefire, not one agreed (“"+talk+"”)")
			continue
		}
		d, dateWhy := sc.ceasefireDate(t.start, place)
		if d == nil {
			continue
		}
		why := "“" + t.text + "” with the date “" + d.Text + "”" + dateWhy
		switch {
		case place != nil:
			why += "; the place it names: “" + place.Text + "”"
		case sc.st.lastCeasefirePlc != nil:
			place = sc.st.lastCeasefirePlc
			why += "; the place of the ceasefire named before: “" + place.Text + "”"
		default:
			best := ""
			for c, n := range sc.st.countries {
				if n > sc.st.countries[best] || n == sc.st.countries[best] && c < best {
					best = c
				}
			}
			if best != "" {
				place = sc.st.countryMention[best]
				why += "; the country the report names most: “" + place.Text + "”"
			}
		}
		obj := &Mention{Text: t.text, Start: t.start, End: t.end, Type: MentionCeasefire, Score: 1}
		if place != nil {
			obj.Country = place.Country
		}
		if cf := sc.g.ceasefireFor(d, place); cf != nil {
			obj.Ceasefire, obj.Name = cf.ID, cf.Name
			obj.How = "the store's ceasefire starting " + string(cf.Start)
		} else {
			obj.How = "no ceasefire of the store starts then"
		}
		p := &Proposal{Kind: KindCeasefire, Object: obj, Place: place, Date: d, Rule: "ceasefire", Why: why}
		sc.propose(p, 0.6, md)
	}
}

// ceasefirePreps lead from a ceasefire to its place: "a truce in
// Yemen", "a ceasefire across Syria".
var ceasefirePreps = map[string]bool{"in": true, "for": true, "across": true, "throughout": true, "covering": true, "over": true}

// talkWords before a ceasefire make it one talked of, not one agreed:
// "talks on a ceasefire", "efforts towards a truce".
var talkWords = map[string]bool{"talks": true, "negotiations": true, "negotiate": true, "negotiating": true, "discuss": true,
	"discussed": true, "discussing": true, "possible": true, "potential": true, "efforts": true, "bid": true, "push": true,
	"hopes": true, "prospects": true, "prospect": true, "towards": true, "toward": true}

// talkBefore returns a word of talk within the four words before token
// i, or "".
func (sc *sentence) talkBefore(i int) string {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		t := sc.toks[j]
		if !isWord(t) || sc.mentionAt(j) != nil {
			break
		}
		if talkWords[t.key] {
			return t.text
		}
	}
	return ""
}

// startWords before a date make it the day a ceasefire starts: "take
// effect on", "begin at midnight on", "come into force on".
var startWords = map[string]bool{"effect": true, "begin": true, "begins": true, "began": true, "start": true, "starts": true,
	"started": true, "force": true, "deadline": true, "from": true, "effective": true, "hold": true, "commence": true, "commences": true}

// ceasefireDate chooses the date of a ceasefire among the sentence's:
// one on which the store has a ceasefire at its place, else one that a
// word of starting leads to ("take effect at midnight on 12 April"),
// else the nearest. Dates that resolve to no time are passed over.
func (sc *sentence) ceasefireDate(pos int, place *Mention) (*DateRef, string) {
	var usable []*DateRef
	for _, d := range sc.dates {
		if d.Value != "" || d.From != "" {
			usable = append(usable, d)
		}
	}
	if len(usable) == 0 {
		return nil, ""
	}
	if len(usable) == 1 {
		return usable[0], ""
	}
	for _, d := range usable {
		if sc.g.ceasefireFor(d, place) != nil {
			return d, " (the one of the sentence's dates on which the store has a ceasefire starting)"
		}
	}
	for _, d := range usable {
		for j, n := sc.tokenAt(d.start)-1, 0; j >= 0 && n < 5; j, n = j-1, n+1 {
			if startWords[sc.toks[j].key] {
				return d, " (the date “" + sc.toks[j].text + "” leads to)"
			}
		}
	}
	return sc.nearestDate(pos, 0), ""
}

// withEvent returns a copy of a place mention with the store's event
// that fits the proposal, if one does.
func (sc *sentence) withEvent(place *Mention, kind Kind, d *DateRef, fig *Figure) *Mention {
	ev := sc.g.eventAt(place, kind, d, sc.pub, fig)
	if ev == nil {
		return place
	}
	cp := *place
	cp.Event = ev.ID
	return &cp
}

// eventAt returns the store's event at a place that fits a proposal: one
// that covers the date (or the publication day), preferring, for killed
// counts, an event with fatalities, and for atrocities and weapons seen,
// violence against civilians.
func (g *Gazetteer) eventAt(place *Mention, kind Kind, d *DateRef, pub armstrace.Date, fig *Figure) *armstrace.Event {
	name := keyOf(place.Name)
	if name == "" {
		return nil
	}
	if d != nil && d.Value != "" {
		if ev := g.eventOn(name, kind, d.Value, fig); ev != nil {
			return ev
		}
	}
	return g.eventOn(name, kind, pub, fig)
}

func (g *Gazetteer) eventOn(name string, kind Kind, ref armstrace.Date, fig *Figure) *armstrace.Event {
	var best *armstrace.Event
	bestScore := 0
	for _, ev := range g.events {
		at := false
		for _, p := range []string{ev.Place.Name, ev.Place.Admin1, ev.Place.Admin2} {
			if k := keyOf(p); k == name || strings.HasPrefix(k, name+" ") && slices.Contains(placeSuffixes, strings.TrimPrefix(k, name+" ")) {
				at = true
			}
		}
		if !at {
			continue
		}
		if ref != "" && (ref.Last() < ev.Start || ref.First() > ev.End) {
			continue
		}
		score := 1
		title := strings.ToLower(ev.Title + " " + ev.Type)
		switch kind {
		case KindKilledIn:
			if !ev.Fatalities.IsZero() {
				score += 2
			}
			if fig != nil && fig.Low != nil && ev.Fatalities.Low != nil && *fig.Low == *ev.Fatalities.Low {
				score += 2
			}
		default:
			if strings.Contains(title, "atrocit") || strings.Contains(title, "civilians") || strings.Contains(title, "massacre") {
				score += 2
			}
		}
		if score > bestScore || score == bestScore && best != nil && ev.ID < best.ID {
			best, bestScore = ev, score
		}
	}
	return best
}

// ceasefireFor returns the store's ceasefire that starts within the date
// (a deadline is the day a ceasefire is due to begin) at the place, when
// the text names one: the ceasefire's country, its area by name, or a
// state it covers.
func (g *Gazetteer) ceasefireFor(d *DateRef, place *Mention) *armstrace.Ceasefire {
	from, to := d.Value.First(), d.Value.Last()
	if d.Value == "" {
		from, to = d.From, d.To
	}
	for _, cf := range g.ceasefires {
		if cf.Start.First() < from || cf.Start.First() > to {
			continue
		}
		if place != nil && !ceasefireAt(cf, place) {
			continue
		}
		return cf
	}
	return nil
}

// ceasefireAt reports whether a ceasefire may be the one at a place the
// text names: one that says nothing of its place, or whose country, area
// or covered states the place matches.
func ceasefireAt(cf *armstrace.Ceasefire, place *Mention) bool {
	if cf.Country == "" && cf.Area == "" {
		return true
	}
	switch {
	case place.Country != "" && cf.Country == place.Country:
		return true
	case cf.Area != "" && (keyOf(cf.Area) == keyOf(place.Name) || keyOf(cf.Area) == keyOf(place.Text)):
		return true
	case place.Entity != "" && slices.Contains(cf.Covered, place.Entity):
		return true
	}
	return place.Country == "" // a place of no known country contradicts none
}
