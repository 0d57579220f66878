package match

import (
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/armstrace/armstrace"
)

// Score bands. A score is in [0, 1].
const (
	SureScore        = 0.95 // at or above: the same entity, no review needed
	ReviewScore      = 0.70 // at or above (and below SureScore): a person should look
	DefaultThreshold = 0.70 // Options.Threshold unless set
)

// Band names a score range.
type Band string

const (
	BandSure    Band = "sure"     // score ≥ 0.95
	BandReview  Band = "review"   // 0.70 ≤ score < 0.95
	BandNoMatch Band = "no-match" // score < 0.70
)

// BandOf returns the band of a score.
func BandOf(score float64) Band {
	switch {
	case score >= SureScore:
		return BandSure
	case score >= ReviewScore:
		return BandReview
	}
	return BandNoMatch
}

// Options tune a comparison. The zero Options is DefaultOptions; to change
// one field, start from DefaultOptions.
type Options struct {
	// Threshold: Result.Match is Score ≥ Threshold.
	Threshold float64
	// UnmatchedQuery and UnmatchedCandidate are how much a token left
	// unmatched counts against the name score, as a share of its weight,
	// on each side. A query word the candidate lacks is more telling
	// (0.8) than a candidate word the query lacks (0.4): lists spell
	// names out in full ("Russian Defense Export Rosoboronexport") where
	// a query gives the short name. With the two unequal, Compare(a, b)
	// and Compare(b, a) differ when some token is left unmatched.
	UnmatchedQuery     float64
	UnmatchedCandidate float64
	// CountryAgree is added when both sides give the same country,
	// CountryDisagree (negative) when both give different ones; neither
	// when the names do not match at all.
	CountryAgree    float64
	CountryDisagree float64
	// KindConflict (negative) is added when the kinds cannot be the same
	// entity: a person and a company, a vessel and a weapon model.
	KindConflict float64
	// NumberConflict (negative) is added when both names carry numbers
	// that the other lacks ("Plant No. 9" and "Plant No. 10").
	NumberConflict float64
	// NameConflict (negative) is added when both names carry name words
	// of four letters or more that the other lacks: "Jose David Rivera"
	// and "CABELLO RONDON, Jose David" share two words and disagree on
	// the rest, where "Jose Cabello" and "CABELLO RONDON, Jose David"
	// only leave words out.
	NameConflict float64
	// LooseAndExtra (negative) is added when a word was met only loosely
	// (with edits, or by its initial) and either name keeps a name word
	// of four letters or more that the other lacks: two weak signs at
	// once. A misspelt listing keeps its words; "Mario Gonzalez" against
	// "GONZALEZ MUNIZ, Maria" has a letter changed and a surname more.
	LooseAndExtra float64
	// NoTransliteration and NoFuzzy turn the two off, for tests and for
	// strict look-ups.
	NoTransliteration bool
	NoFuzzy           bool
}

// DefaultOptions returns the options described in doc.go.
func DefaultOptions() Options {
	return Options{
		Threshold:          DefaultThreshold,
		UnmatchedQuery:     0.8,
		UnmatchedCandidate: 0.4,
		CountryAgree:       0.02,
		CountryDisagree:    -0.10,
		KindConflict:       -0.15,
		NumberConflict:     -0.15,
		NameConflict:       -0.10,
		LooseAndExtra:      -0.10,
	}
}

// Subject is one side of a comparison: a name with, when known, its
// other names, the kind of entity, its country and its identifiers.
type Subject struct {
	Name        string                 `json:"name"`
	Aliases     []armstrace.Name       `json:"aliases,omitempty"`
	Kind        armstrace.EntityKind   `json:"kind,omitempty"`
	Country     string                 `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Identifiers []armstrace.Identifier `json:"identifiers,omitempty"`
}

// SubjectOf returns the subject of an entity: its name, aliases, kind,
// country and identifiers.
func SubjectOf(e *armstrace.Entity) Subject {
	return Subject{Name: e.Name, Aliases: e.Aliases, Kind: e.Kind, Country: e.Country, Identifiers: e.Identifiers}
}

// Result is the outcome of a comparison.
type Result struct {
	Score       float64     `json:"score"`
	Match       bool        `json:"match"`
	Band        Band        `json:"band"`
	Explanation Explanation `json:"explanation"`
}

// Explanation says how a score came about.
type Explanation struct {
	Query string `json:"query"` // the query name compared
	// QueryName is which of the query's names: 0 the name, i Aliases[i-1].
	QueryName int    `json:"query_name"`
	Candidate string `json:"candidate"` // the candidate's name or alias met
	// CandidateName is which of the candidate's names was met: 0 the
	// primary name, i Aliases[i-1]; CandidateNameKind says what it is
	// ("name", or the alias kind: alias, former, transliteration,
	// misspelling).
	CandidateName     int                  `json:"candidate_name"`
	CandidateNameKind string               `json:"candidate_name_kind"`
	Alignment         []Aligned            `json:"alignment"`
	Features          []Feature            `json:"features"` // their contributions add up to the score
	Identifiers       []IdentifierEvidence `json:"identifiers,omitempty"`
	Summary           string               `json:"summary"` // one line for people
}

// AlignKind says how a query token met a candidate token, or that it did not.
type AlignKind string

const (
	AlignLiteral            AlignKind = "literal"         // the same word (or words written together: "Rosoboron Export" and "Rosoboronexport")
	AlignSymbol             AlignKind = "symbol"          // the same class: OAO and JSC are both legal:jsc; an initial and a word it begins
	AlignTransliteration    AlignKind = "transliteration" // one is a romanisation of the other (Scheme says which), or both are romanisations of one name
	AlignFuzzy              AlignKind = "fuzzy"           // the same word with typos (Cost edits)
	AlignUnmatchedQuery     AlignKind = "unmatched-query"
	AlignUnmatchedCandidate AlignKind = "unmatched-candidate"
)

// Aligned is one line of a token alignment.
type Aligned struct {
	Kind AlignKind `json:"kind"`
	// Query and Candidate are the tokens met, several joined by a space
	// when read as one word.
	Query           string `json:"query,omitempty"`
	Candidate       string `json:"candidate,omitempty"`
	QueryTokens     []int  `json:"query_tokens,omitempty"`
	CandidateTokens []int  `json:"candidate_tokens,omitempty"`
	Symbol          string `json:"symbol,omitempty"` // the class met, for symbols
	// Scheme names the transliteration: bgn-pcgn, icao-9303, gost-7.79-b,
	// popular, elot-743, arabic-rules, …, several joined by "+" when the
	// spelling mixes them, or latin-spelling when two Latin spellings
	// meet through the spelling-variant key (ks/x, kh/h, doubled letters).
	Scheme string `json:"scheme,omitempty"`
	// Romanized is the spelling the transliteration produced and
	// compared, Rules its choices off each letter's first spelling
	// ("кс→x", "+a" for an inserted vowel).
	Romanized string   `json:"romanized,omitempty"`
	Rules     []string `json:"rules,omitempty"`
	Cost      int      `json:"cost,omitempty"` // edits (Damerau–Levenshtein; Levenshtein against a transliteration)
	// Similarity of the tokens, 0 to 1; Weight is what they count in the
	// name score (the two sides' token weights, or for an unmatched token
	// its weight times the unmatched share); Contribution is
	// Similarity × Weight / total weight, so that the contributions of
	// the lines add up to the name score.
	Similarity   float64 `json:"similarity"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
}

// Feature is one term of the score.
type Feature struct {
	Name         string  `json:"name"` // names, symbols-only, initials-only, numbers-differ, names-differ, country, kind, identifiers, clamp
	Contribution float64 `json:"contribution"`
	Detail       string  `json:"detail"`
}

// Prepared is a subject made ready for comparison: its names tokenised
// and their transliteration lattices built. An index keeps its candidates
// prepared, so that each comparison costs only the alignment. A Prepared
// is read-only and safe to share.
type Prepared struct {
	subject Subject
	names   []pname
	ids     []pid
}

// Subject returns the subject prepared.
func (p *Prepared) Subject() Subject { return p.subject }

type pname struct {
	raw    string
	index  int
	kind   string
	norm   string
	toks   []ptok
	units  []unit
	keys   []unitKey // keys[i] is what the alignment reads first of units[i]
	wTotal float64
	// What the alignment reads of every name it meets, made once here
	// rather than for each pair: the tokens' weights, the number tokens,
	// and the name words long enough to be met with a typo.
	weights  []float64
	numMask  uint64
	wordMask uint64
}

type ptok struct {
	rawToken
	latin  []rune // Latin spelling: the token, or its first romanisation
	native []rune
	vkey   []rune
	lat    *lattice
	weight float64
}

// unit is a token, or two or three adjacent tokens read as one word.
type unit struct {
	first, last int
	latin       []rune // for Latin units
	vkey        []rune
	native      []rune
	lat         *lattice
	script      Script
	weight      float64
	tmask       uint64 // the tokens it covers
	digits      bool   // holds a digit: compared exactly, never fuzzily
	names       bool   // holds a token that is more than a symbol
}

// unitKey is what the alignment reads of a unit for every pair of units
// it tries, apart from the unit and small: most pairs are ruled out
// from their keys alone (latinApart), in a few instructions.
type unitKey struct {
	lmask, vmask  uint64 // the letters of latin and vkey (letterMask)
	nlatin, nvkey int32  // the lengths of latin and vkey
	lk, vk        int32  // maxEdits of those lengths
	class         Class  // the token's, for a single token
	flags         keyFlags
}

type keyFlags uint8

const (
	keyMerged   keyFlags = 1 << iota // two or three tokens written together
	keyPair                          // two tokens written together
	keyLatinish                      // Latin letters and digits
	// Compared by its letters alone, with no rule of its class first
	// (words written together, a name word, a particle): latinApart
	// may rule out a pair of two such Latin units.
	keyPlain
	keySameVariant // the variant key is the spelling itself
)

// maxTokens bounds the tokens of a name that take part in matching.
const maxTokens = 64

// Prepare prepares a subject for comparison.
func Prepare(s Subject) *Prepared {
	p := &Prepared{subject: s, ids: prepareIDs(s.Identifiers), names: make([]pname, 0, 1+len(s.Aliases))}
	p.names = append(p.names, prepareName(s.Name, 0, "name", s.Kind))
	for i, a := range s.Aliases {
		k := string(a.Kind)
		if k == "" {
			k = string(armstrace.NameAlias)
		}
		p.names = append(p.names, prepareName(a.Value, i+1, k, s.Kind))
	}
	// The names side by side, and their units' keys in one block: a
	// comparison reads these first, for every name of a candidate, and
	// each place in memory reached anew is a wait.
	nk := 0
	for i := range p.names {
		nk += len(p.names[i].keys)
	}
	keys := make([]unitKey, 0, nk)
	for i := range p.names {
		n := &p.names[i]
		start := len(keys)
		keys = append(keys, n.keys...)
		n.keys = keys[start:len(keys):len(keys)]
	}
	return p
}

// PrepareEntity prepares an entity as a candidate.
func PrepareEntity(e *armstrace.Entity) *Prepared { return Prepare(SubjectOf(e)) }

func prepareName(raw string, index int, kind string, ek armstrace.EntityKind) pname {
	n := &pname{raw: raw, index: index, kind: kind}
	rts := tokenize(raw, ek)
	if len(rts) > maxTokens {
		rts = rts[:maxTokens]
	}
	words := make([]string, len(rts))
	n.toks = make([]ptok, len(rts))
	n.weights = make([]float64, 0, len(rts))
	for i, rt := range rts {
		words[i] = rt.text
		t := ptok{rawToken: rt, native: []rune(rt.text), weight: classWeight[rt.class]}
		switch {
		case rt.script == ScriptLatin || rt.script == ScriptCommon:
			t.latin = t.native
			t.vkey = variantKey(t.latin)
		case !rt.class.symbolic():
			if rs := rulesFor(rt.script); rs != nil {
				t.lat = newLattice(rs, t.native)
				t.latin = []rune(rs.primary(t.native))
			}
		}
		n.toks[i] = t
		n.wTotal += t.weight
		n.weights = append(n.weights, t.weight)
		switch t.class {
		case ClassNumber:
			n.numMask |= 1 << uint(i)
		case ClassName:
			if maxEdits(len(t.latin)) > 0 {
				n.wordMask |= 1 << uint(i)
			}
		}
	}
	n.norm = strings.Join(words, " ")
	n.units = make([]unit, 0, 3*len(n.toks))
	for i := range n.toks {
		t := &n.toks[i]
		n.units = append(n.units, unit{first: i, last: i, tmask: 1 << uint(i), names: !t.class.symbolic(), latin: t.latin, vkey: t.vkey, native: t.native, lat: t.lat, script: t.script, weight: t.weight, digits: hasDigit(t.native)})
	}
	// Adjacent words read as one: "Rosoboron Export", "Abu Bakr",
	// "Kim Jong Un", "عبد الله".
	mergeable := func(t *ptok) bool {
		return t.class == ClassName || t.class == ClassNumber || t.class == ClassParticle
	}
	for i := range n.toks {
		for size := 2; size <= 3 && i+size <= len(n.toks); size++ {
			span := n.toks[i : i+size]
			ok := true
			latinish := true
			for k := range span {
				t := &span[k]
				if !mergeable(t) {
					ok = false
				}
				if t.script != ScriptLatin && t.script != ScriptCommon {
					latinish = false
				}
			}
			for k := range span {
				// One script, or Latin letters and digits ("Mi 17").
				if !latinish && span[k].script != span[0].script {
					ok = false
				}
			}
			if !ok {
				break
			}
			u := unit{first: i, last: i + size - 1, tmask: mask(i, i+size-1), script: span[0].script}
			for k := range span {
				u.weight += span[k].weight
				u.native = append(u.native, span[k].native...)
				if !span[k].class.symbolic() {
					u.names = true
				}
			}
			u.digits = hasDigit(u.native)
			if latinish {
				u.latin = u.native
				u.vkey = variantKey(u.latin)
			} else {
				// Outside Latin, only names in the abjads and Hangul are
				// read as one word across a space ("عبد الله", "김 정은"),
				// two words at most: alphabets write spaces as Latin does.
				if size > 2 || (u.script != ScriptArabic && u.script != ScriptHebrew && u.script != ScriptHangul) {
					break
				}
				rs := rulesFor(u.script)
				if rs == nil {
					break
				}
				u.lat = newLattice(rs, u.native)
				u.latin = []rune(rs.primary(u.native))
			}
			n.units = append(n.units, u)
		}
	}
	n.keys = make([]unitKey, len(n.units))
	for i := range n.units {
		u := &n.units[i]
		k := unitKey{lmask: letterMask(u.latin), vmask: letterMask(u.vkey), nlatin: int32(len(u.latin)), nvkey: int32(len(u.vkey)), lk: int32(maxEdits(len(u.latin))), vk: int32(maxEdits(len(u.vkey))), flags: keyLatinish}
		for j := u.first; j <= u.last; j++ {
			if sc := n.toks[j].script; sc != ScriptLatin && sc != ScriptCommon {
				k.flags &^= keyLatinish
			}
		}
		if len(u.vkey) > 0 && slices.Equal(u.vkey, u.latin) {
			k.flags |= keySameVariant
		}
		switch {
		case u.last == u.first+1:
			k.flags |= keyMerged | keyPair | keyPlain
		case u.last > u.first:
			k.flags |= keyMerged | keyPlain
		default:
			k.class = n.toks[u.first].class
			if k.class == ClassName || k.class == ClassParticle {
				k.flags |= keyPlain
			}
		}
		n.keys[i] = k
	}
	return *n
}

// Compare compares a query with a candidate.
func Compare(query, candidate Subject, opts Options) Result {
	return ComparePrepared(Prepare(query), Prepare(candidate), opts)
}

// CompareEntity compares a query with every name of an entity (its name
// and each alias) and returns the best, saying which name was met.
func CompareEntity(query Subject, e *armstrace.Entity, opts Options) Result {
	return ComparePrepared(Prepare(query), PrepareEntity(e), opts)
}

// ComparePrepared compares prepared subjects: every name of the query
// with every name of the candidate, the best pair kept, then the
// identifiers, countries and kinds weighed.
func ComparePrepared(q, c *Prepared, opts Options) Result {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	return compare(q, c, opts, true, sc)
}

// ScorePrepared returns what ComparePrepared would, without the
// explanation (Result.Explanation is empty): for an index ranking many
// candidates, which then explains the few it shows.
func ScorePrepared(q, c *Prepared, opts Options) Result {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	return compare(q, c, opts, false, sc)
}

// scratchPool lends working memory to comparisons made one at a time:
// grown once, it is reused rather than made again for every pair. What
// a comparison returns never points into it.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// compare aligns every name of q with every name of c and keeps the
// best alignment; sc is working memory, reused from one call to the
// next by an index.
func compare(q, c *Prepared, opts Options, explain bool, sc *scratch) Result {
	if opts == (Options{}) {
		opts = DefaultOptions()
	}
	// Two alignments, the best so far and the one being made: the
	// better is kept, the other's memory used for the next pair.
	best, cur := &sc.al[0], &sc.al[1]
	found := false
	for i := range q.names {
		qn := &q.names[i]
		for j := range c.names {
			cn := &c.names[j]
			sc.align(qn, cn, &opts, cur)
			if !found || cur.score > best.score+1e-12 {
				best, cur = cur, best
				found = true
			}
			if best.score >= 1 {
				break
			}
		}
		if found && best.score >= 1 {
			break
		}
	}
	return finish(q, c, best, &opts, sc, explain)
}

// scratch is per-comparison working memory, reusable.
type scratch struct {
	dp    []int32
	cands []cand
	al    [2]alignment
	srch  searcher
}

// cand is a possible line of an alignment.
type cand struct {
	qu, cu       int // units
	qmask, cmask uint64
	sim          float64
	kind         AlignKind
	cost         int
	how          how
	a, b         float64 // weights of the two sides
	names        bool    // both sides are more than symbols
	words        bool    // more than symbols, and more than an initial
}

type how uint8

const (
	howLiteral how = iota
	howSymbol
	howInitial
	howVariant      // equal spelling-variant keys
	howFuzzy        // Damerau–Levenshtein on the spellings
	howFuzzyVariant // Damerau–Levenshtein on the variant keys
	howLatticeQ     // the query side's transliteration against the candidate's Latin
	howLatticeC     // the other way round
	howRomanized    // two non-Latin scripts, first romanisations compared
)

// alignment is the best alignment of two names.
type alignment struct {
	q, c        *pname
	chosen      []cand
	score       float64 // name score after caps
	raw         float64 // before caps
	den         float64
	symbolsCap  bool
	initialsCap bool
	// numbersDelta and wordsDelta are what was taken off because both
	// sides have numbers, or name words, left unmatched.
	numbersDelta float64
	wordsDelta   float64
	looseDelta   float64 // taken off for a loose match beside a word left over
	exact        bool
}

func hasDigit(r []rune) bool {
	for _, c := range r {
		if c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

func mask(first, last int) uint64 {
	var m uint64
	for i := first; i <= last; i++ {
		m |= 1 << uint(i)
	}
	return m
}

func (sc *scratch) align(q, c *pname, o *Options, al *alignment) {
	*al = alignment{q: q, c: c, chosen: al.chosen[:0]}
	if len(q.toks) == 0 || len(c.toks) == 0 {
		return
	}
	if q.norm == c.norm && len(q.toks) == len(c.toks) {
		al.exact = true
		al.score, al.raw = 1, 1
		al.den = q.wTotal + c.wTotal
		for i := range q.toks {
			named := !q.toks[i].class.symbolic()
			al.chosen = append(al.chosen, cand{qu: i, cu: i, qmask: 1 << uint(i), cmask: 1 << uint(i), sim: 1, kind: AlignLiteral, how: howLiteral, a: q.toks[i].weight, b: c.toks[i].weight, names: named, words: named})
		}
		return
	}
	sc.cands = sc.cands[:0]
	for qi := range q.keys {
		qk := &q.keys[qi]
		for ci := range c.keys {
			ck := &c.keys[ci]
			both := qk.flags & ck.flags
			if both&keyMerged != 0 {
				// Two words on each side with the space moved
				// ("Arefullaha Ref", "Arefullah Aref"): only when the
				// words written together are the same.
				if both&(keyPair|keyLatinish) != keyPair|keyLatinish || qk.nlatin != ck.nlatin || !slices.Equal(q.units[qi].latin, c.units[ci].latin) {
					continue
				}
			}
			// Most pairs of Latin words are far apart: ruled out by
			// their lengths and letters, before anything is compared.
			if both&(keyLatinish|keyPlain) == keyLatinish|keyPlain && latinApart(qk, ck) {
				continue
			}
			qu, cu := &q.units[qi], &c.units[ci]
			sim, kind, cost, h := sc.compareUnits(q, c, qu, cu, qk, ck, o)
			if sim <= 0 {
				continue
			}
			sc.cands = append(sc.cands, cand{qu: qi, cu: ci, qmask: qu.tmask, cmask: cu.tmask, sim: sim, kind: kind, cost: cost, how: h, a: qu.weight, b: cu.weight, names: qu.names, words: qu.names && h != howInitial})
		}
	}
	cands := sc.cands
	slices.SortStableFunc(cands, func(x, y cand) int {
		switch {
		case x.sim > y.sim:
			return -1
		case x.sim < y.sim:
			return 1
		}
		return 0
	})
	s := &sc.srch
	// The searcher's slices are kept from the last pair, emptied.
	*s = searcher{
		cands:        cands,
		uq:           o.UnmatchedQuery,
		uc:           o.UnmatchedCandidate,
		numPenalty:   o.NumberConflict,
		wordPenalty:  o.NameConflict,
		loosePenalty: o.LooseAndExtra,
		bound:        o.UnmatchedQuery <= 1 && o.UnmatchedCandidate <= 1,
		qNum:         q.numMask,
		cNum:         c.numMask,
		qWord:        q.wordMask,
		cWord:        c.wordMask,
		qw:           q.weights,
		cw:           c.weights,
		suffix:       s.suffix[:0],
		set:          s.set[:0],
		bestSet:      s.bestSet[:0],
		bq:           slices.Grow(s.bq[:0], len(q.toks))[:len(q.toks)],
		bc:           slices.Grow(s.bc[:0], len(c.toks))[:len(c.toks)],
	}
	s.suffix = slices.Grow(s.suffix, len(cands)+1)[:len(cands)+1]
	s.suffix[len(cands)] = 0
	for i := len(cands) - 1; i >= 0; i-- {
		s.suffix[i] = s.suffix[i+1] + cands[i].sim*(cands[i].a+cands[i].b)
	}
	den0 := o.UnmatchedQuery*q.wTotal + o.UnmatchedCandidate*c.wTotal
	s.best = -1
	if len(cands) <= maxSearchLines {
		s.dfs(0, 0, 0, 0, den0, 0)
	} else {
		s.greedy()
	}
	slices.Sort(s.bestSet)
	num, den := 0.0, den0
	var qm, cm uint64
	var met lineFlags
	for _, i := range s.bestSet {
		x := cands[i]
		al.chosen = append(al.chosen, x)
		num += x.sim * (x.a + x.b)
		den += x.a + x.b - o.UnmatchedQuery*x.a - o.UnmatchedCandidate*x.b
		qm |= x.qmask
		cm |= x.cmask
		met |= x.flags()
	}
	al.den = den
	ob := s.objective(num, den, met, qm, cm)
	al.score, al.raw, al.symbolsCap, al.initialsCap, al.numbersDelta, al.wordsDelta, al.looseDelta = ob.score, ob.raw, ob.symbolsCap, ob.initialsCap, ob.numbers, ob.words, ob.loose
}

// searcher finds the set of compatible candidate lines with the best
// name score: every line is tried in and out, best lines first, so the
// first set reached is the greedy one, and branches that cannot beat the
// best set found are cut. Names have few possible lines, and the search
// is exhaustive; for names with very many (long names of repeated
// words), it stops after a fixed number of steps with the best set found,
// or takes the greedy set outright.
type searcher struct {
	cands        []cand
	suffix       []float64
	uq, uc       float64
	numPenalty   float64
	wordPenalty  float64
	loosePenalty float64
	qNum, cNum   uint64 // the number tokens of each side
	// The name words of each side long enough to be met with a typo
	// (four letters or more): a shorter word left unmatched may be a
	// typo ("KIM SKO CHOL", "KIM SOK CHOL"), not a word of another name.
	qWord, cWord uint64
	qw, cw       []float64 // the weights of each side's tokens (read-only: the names')
	bound        bool
	best         float64
	bestSet      []int32 // indices into cands
	set          []int32
	// bq and bc are working memory of the bound in dfs, a slot per
	// token of each side: used by one call at a time, before it recurses.
	bq, bc []float64
	steps  int
}

// The search tries at most maxSearchSteps sets, and only when there are
// at most maxSearchLines possible lines; beyond, the greedy set is taken.
const (
	maxSearchSteps = 20000
	maxSearchLines = 48
)

// lineFlags say what the lines of a set hold, on the query side.
type lineFlags uint8

const (
	metNames lineFlags = 1 << iota // more than symbols
	metWords                       // more than symbols and initials
	metLoose                       // a word met only with edits, or by its initial
)

func (x *cand) flags() lineFlags {
	var f lineFlags
	if x.names {
		f |= metNames
	}
	if x.words {
		f |= metWords
	}
	if x.cost > 0 || x.how == howInitial {
		f |= metLoose
	}
	return f
}

// objectiveParts is a name score and how it came about.
type objectiveParts struct {
	score, raw  float64
	symbolsCap  bool    // only symbols met: capped at 0.5
	initialsCap bool    // only initials (and symbols) met: capped at 0.5
	numbers     float64 // taken off for numbers on both sides
	words       float64 // taken off for name words on both sides
	loose       float64 // taken off for a loose match beside a word left over
}

// objective is the name score of a set of lines: the weighted similarity,
// capped at 0.5 when no line holds more than symbols, or more than
// symbols and initials; less the number penalty when both sides keep
// numbers the other lacks, and the name penalty when both keep name
// words the other lacks.
func (s *searcher) objective(num, den float64, met lineFlags, qm, cm uint64) objectiveParts {
	var o objectiveParts
	if den > 0 {
		o.raw = num / den
	}
	o.score = o.raw
	switch {
	case met&metNames == 0 && o.score > 0.5:
		o.score, o.symbolsCap = 0.5, true
	case met&metWords == 0 && o.score > 0.5:
		o.score, o.initialsCap = 0.5, true
	}
	if o.score > 0 && s.qNum&^qm != 0 && s.cNum&^cm != 0 {
		n := math.Max(0, o.score+s.numPenalty)
		o.numbers = n - o.score
		o.score = n
	}
	if o.score > 0 && s.qWord&^qm != 0 && s.cWord&^cm != 0 {
		n := math.Max(0, o.score+s.wordPenalty)
		o.words = n - o.score
		o.score = n
	}
	if o.score > 0 && met&metLoose != 0 && (s.qWord&^qm != 0 || s.cWord&^cm != 0) {
		n := math.Max(0, o.score+s.loosePenalty)
		o.loose = n - o.score
		o.score = n
	}
	return o
}

func (s *searcher) dfs(i int, qm, cm uint64, num, den float64, met lineFlags) {
	s.steps++
	if sc := s.objective(num, den, met, qm, cm).score; sc > s.best+1e-12 {
		s.best = sc
		s.bestSet = append(s.bestSet[:0], s.set...)
	}
	if i >= len(s.cands) || s.steps > maxSearchSteps {
		return
	}
	// The objective never exceeds the weighted similarity, which adding
	// lines raises by at most their weight when the unmatched shares are
	// at most 1.
	if s.bound && den > 0 {
		if (num+s.suffix[i])/den <= s.best+1e-12 {
			return
		}
		// Tighter: each token free on either side can add at most its
		// weight times the best similarity of a line that could take it.
		bq, bc := s.bq, s.bc
		clear(bq)
		clear(bc)
		for j := i; j < len(s.cands); j++ {
			x := &s.cands[j]
			if qm&x.qmask != 0 || cm&x.cmask != 0 {
				continue
			}
			for m := x.qmask; m != 0; m &= m - 1 {
				t := bits.TrailingZeros64(m)
				bq[t] = max(bq[t], x.sim*s.qw[t])
			}
			for m := x.cmask; m != 0; m &= m - 1 {
				t := bits.TrailingZeros64(m)
				bc[t] = max(bc[t], x.sim*s.cw[t])
			}
		}
		add := 0.0
		for t := range s.qw {
			add += bq[t]
		}
		for t := range s.cw {
			add += bc[t]
		}
		if (num+add)/den <= s.best+1e-12 {
			return
		}
	}
	x := &s.cands[i]
	if qm&x.qmask == 0 && cm&x.cmask == 0 {
		s.set = append(s.set, int32(i))
		s.dfs(i+1, qm|x.qmask, cm|x.cmask, num+x.sim*(x.a+x.b), den+x.a+x.b-s.uq*x.a-s.uc*x.b, met|x.flags())
		s.set = s.set[:len(s.set)-1]
	}
	s.dfs(i+1, qm, cm, num, den, met)
}

// greedy takes the lines best first, each that fits: the search's
// answer when there are too many lines to search.
func (s *searcher) greedy() {
	var qm, cm uint64
	s.bestSet = s.bestSet[:0]
	for i := range s.cands {
		x := &s.cands[i]
		if qm&x.qmask == 0 && cm&x.cmask == 0 {
			qm, cm = qm|x.qmask, cm|x.cmask
			s.bestSet = append(s.bestSet, int32(i))
		}
	}
}

// maskEdits is a lower bound of the edits between two words with letter
// sets a and b (letterMask): an edit takes at most one letter out of a
// set and puts at most one in.
func maskEdits(a, b uint64) int {
	return max(bits.OnesCount64(a&^b), bits.OnesCount64(b&^a))
}

// latinApart reports that two Latin units cannot meet by any of the
// Latin comparisons of compareUnits, from their lengths and letter sets
// alone: equal spellings or equal variant keys have equal lengths and
// letters, and a word within k edits of another differs from it by at
// most k letters in length and k letters of its set (maskEdits).
// (maxEdits grows with the length, so that the edits allowed the longer
// word are the larger of the two words' allowances.)
func latinApart(qk, ck *unitKey) bool {
	if k := max(qk.lk, ck.lk); max(qk.nlatin-ck.nlatin, ck.nlatin-qk.nlatin) <= k && maskEdits(qk.lmask, ck.lmask) <= int(k) {
		return false
	}
	kv := max(qk.vk, ck.vk)
	return max(qk.nvkey, ck.nvkey) < 4 || max(qk.nvkey-ck.nvkey, ck.nvkey-qk.nvkey) > kv || maskEdits(qk.vmask, ck.vmask) > int(kv)
}

// compareUnits returns how alike two units are, or 0.
func (sc *scratch) compareUnits(q, c *pname, qu, cu *unit, qk, ck *unitKey, o *Options) (float64, AlignKind, int, how) {
	merged := (qk.flags|ck.flags)&keyMerged != 0
	if !merged {
		if qk.class.symbolic() != ck.class.symbolic() {
			return 0, "", 0, 0 // a symbol meets only a symbol
		}
		a, b := &q.toks[qu.first], &c.toks[cu.first]
		if a.class.symbolic() || b.class.symbolic() {
			if a.class.symbolic() && b.class.symbolic() && a.symbol == b.symbol {
				if a.text == b.text {
					return 1, AlignLiteral, 0, howLiteral
				}
				return 0.95, AlignSymbol, 0, howSymbol
			}
			return 0, "", 0, 0
		}
		if a.class == ClassNumber || b.class == ClassNumber {
			if a.text == b.text {
				return 1, AlignLiteral, 0, howLiteral
			}
			return 0, "", 0, 0
		}
		if a.text == b.text {
			return 1, AlignLiteral, 0, howLiteral
		}
		if a.class == ClassInitial || b.class == ClassInitial {
			if len(a.latin) == 0 || len(b.latin) == 0 || a.latin[0] != b.latin[0] {
				return 0, "", 0, 0
			}
			if a.class == ClassInitial && b.class == ClassInitial {
				return 0.9, AlignSymbol, 0, howInitial
			}
			return 0.8, AlignSymbol, 0, howInitial
		}
	}
	penalty := 0.0
	if merged {
		// Words written together meet words, never a legal form or a
		// company word ("BO RP" is not "CORP").
		if (qk.flags&keyMerged == 0 && qk.class.symbolic()) || (ck.flags&keyMerged == 0 && ck.class.symbolic()) {
			return 0, "", 0, 0
		}
		penalty = 0.02
	}
	switch {
	case qk.flags&ck.flags&keyLatinish != 0:
		if slices.Equal(qu.latin, cu.latin) {
			return 1 - penalty, AlignLiteral, 0, howLiteral
		}
		if len(qu.vkey) >= 4 && slices.Equal(qu.vkey, cu.vkey) {
			return 0.95 - penalty, AlignTransliteration, 0, howVariant
		}
		if o.NoFuzzy || qu.digits || cu.digits {
			return 0, "", 0, 0
		}
		L := max(len(qu.latin), len(cu.latin))
		k := maxEdits(L)
		best, bestD, bestH := 0.0, 0, howFuzzy
		if maskEdits(qk.lmask, ck.lmask) <= k {
			if d := damerau(qu.latin, cu.latin, k); d <= k {
				best, bestD = 1-fuzzyFactor*float64(d)/float64(L)-penalty, d
			}
		}
		// When both variant keys are the spellings themselves, their
		// edits are the spellings' and score less (0.95 − …): they are
		// not counted again.
		sameVariant := qk.flags&ck.flags&keySameVariant != 0
		if lv := max(len(qu.vkey), len(cu.vkey)); !sameVariant && lv >= 4 && maskEdits(qk.vmask, ck.vmask) <= maxEdits(lv) {
			kv := maxEdits(lv)
			if d := damerau(qu.vkey, cu.vkey, kv); d <= kv {
				if s := 0.95 - fuzzyFactor*float64(d)/float64(lv) - penalty; s > best {
					best, bestD, bestH = s, d, howFuzzyVariant
				}
			}
		}
		if best <= 0 {
			return 0, "", 0, 0
		}
		return best, AlignFuzzy, bestD, bestH
	case (qk.flags^ck.flags)&keyLatinish != 0:
		if o.NoTransliteration {
			return 0, "", 0, 0
		}
		lu, tu, h := qu, cu, howLatticeQ
		if qk.flags&keyLatinish != 0 {
			lu, tu, h = cu, qu, howLatticeC
		}
		if lu.lat == nil || len(tu.latin) == 0 {
			return 0, "", 0, 0
		}
		L := len(tu.latin)
		k := lu.lat.rs.maxEdits(L)
		if o.NoFuzzy {
			k = 0
		}
		if L < lu.lat.minLen-k || L > lu.lat.maxLen+k || lu.lat.foreign(tu.latin) > k {
			return 0, "", 0, 0
		}
		var d int
		d, sc.dp = lu.lat.distance(tu.latin, sc.dp)
		if d > k {
			return 0, "", 0, 0
		}
		s := lu.lat.rs.base - fuzzyFactor*float64(d)/float64(L) - penalty
		if s <= 0 {
			return 0, "", 0, 0
		}
		return s, AlignTransliteration, d, h
	case qu.script == cu.script:
		if slices.Equal(qu.native, cu.native) {
			return 1 - penalty, AlignLiteral, 0, howLiteral
		}
		if o.NoFuzzy {
			return 0, "", 0, 0
		}
		L := max(len(qu.native), len(cu.native))
		k := maxEdits(L)
		if qu.lat != nil && qu.lat.rs.vowels {
			k = abjadEdits(L)
		}
		if d := damerau(qu.native, cu.native, k); d <= k {
			return 1 - fuzzyFactor*float64(d)/float64(L) - penalty, AlignFuzzy, d, howFuzzy
		}
	default:
		if o.NoTransliteration || len(qu.latin) == 0 || len(cu.latin) == 0 {
			return 0, "", 0, 0
		}
		L := max(len(qu.latin), len(cu.latin))
		k := maxEdits(L)
		if d := damerau(qu.latin, cu.latin, k); d <= k {
			return 0.9 - fuzzyFactor*float64(d)/float64(L) - penalty, AlignTransliteration, d, howRomanized
		}
	}
	return 0, "", 0, 0
}

// postSoviet are the states that were part of the Soviet Union: a record
// that says SU agrees with any of them.
var postSoviet = map[string]bool{"RU": true, "UA": true, "BY": true, "MD": true, "GE": true, "AM": true, "AZ": true, "KZ": true, "KG": true, "TJ": true, "TM": true, "UZ": true, "EE": true, "LV": true, "LT": true}

func countriesAgree(a, b string) bool {
	a, b = strings.ToUpper(a), strings.ToUpper(b)
	if a == b {
		return true
	}
	return (a == "SU" && postSoviet[b]) || (b == "SU" && postSoviet[a])
}

// kindGroup puts kinds that may name the same entity together: the
// bodies (states, agencies, forces, groups, companies) are one group.
func kindGroup(k armstrace.EntityKind) string {
	switch k {
	case armstrace.EntityPerson, armstrace.EntityVessel, armstrace.EntityWeaponModel:
		return string(k)
	}
	return "body"
}

func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// finish turns the best name alignment into a result: caps, qualifiers,
// identifiers and, when explain is set, the explanation.
func finish(q, c *Prepared, al *alignment, o *Options, sc *scratch, explain bool) Result {
	var ex Explanation
	var feats []Feature
	feature := func(name string, contribution float64, detail func() string) {
		if explain {
			feats = append(feats, Feature{Name: name, Contribution: contribution, Detail: detail()})
		}
	}
	feature("names", al.raw, func() string { return namesDetail(al) })
	if al.symbolsCap {
		feature("symbols-only", 0.5-al.raw, func() string { return "only legal forms and company words matched: capped at 0.5" })
	}
	if al.initialsCap {
		feature("initials-only", 0.5-al.raw, func() string { return "only initials matched: capped at 0.5" })
	}
	if al.numbersDelta != 0 {
		feature("numbers-differ", al.numbersDelta, func() string { return "both names carry numbers the other lacks" })
	}
	if al.wordsDelta != 0 {
		feature("names-differ", al.wordsDelta, func() string { return "both names carry name words the other lacks" })
	}
	if al.looseDelta != 0 {
		feature("loose-and-extra-word", al.looseDelta, func() string {
			return "a word met only with edits or by its initial, and a name word of one side is not in the other"
		})
	}
	name := al.score
	score := name
	qs, cs := &q.subject, &c.subject
	if name > 0 && qs.Country != "" && cs.Country != "" {
		if countriesAgree(qs.Country, cs.Country) {
			feature("country", o.CountryAgree, func() string { return "same country (" + strings.ToUpper(cs.Country) + ")" })
			score += o.CountryAgree
		} else {
			feature("country", o.CountryDisagree, func() string {
				return "different countries (" + strings.ToUpper(qs.Country) + ", " + strings.ToUpper(cs.Country) + ")"
			})
			score += o.CountryDisagree
		}
	}
	if name > 0 && qs.Kind != "" && cs.Kind != "" && kindGroup(qs.Kind) != kindGroup(cs.Kind) {
		feature("kind", o.KindConflict, func() string { return "a " + string(qs.Kind) + " cannot be a " + string(cs.Kind) })
		score += o.KindConflict
	}
	clamped := math.Min(1, math.Max(0, score))
	if clamped != score {
		feature("clamp", clamped-score, func() string { return "score kept within [0, 1]" })
	}
	ev, matches, conflicts := compareIDs(q.ids, c.ids)
	final := clamped
	var idDetail string
	switch {
	case matches > 0 && conflicts == 0:
		final = SureScore + (1-SureScore)*clamped
		idDetail = "a strong identifier matches: sure whatever the names"
	case matches == 0 && conflicts > 0:
		final = clamped * 0.6
		idDetail = "a strong identifier conflicts: held below the review band"
	case matches > 0 && conflicts > 0:
		final = math.Min(SureScore-0.01, math.Max(ReviewScore, clamped))
		idDetail = "strong identifiers both match and conflict: a person must decide"
	}
	if final != clamped {
		feature("identifiers", final-clamped, func() string { return idDetail })
	}
	final = round(final)
	r := Result{Score: final, Match: final >= o.Threshold, Band: BandOf(final)}
	if !explain {
		return r
	}
	for i := range feats {
		feats[i].Contribution = round(feats[i].Contribution)
	}
	ex.Query, ex.QueryName = al.q.raw, al.q.index
	ex.Candidate, ex.CandidateName, ex.CandidateNameKind = al.c.raw, al.c.index, al.c.kind
	ex.Alignment = explainAlignment(al, o, sc)
	ex.Identifiers = ev
	ex.Features = feats
	ex.Summary = summary(final, r.Band, &ex)
	r.Explanation = ex
	return r
}

func tokenTexts(n *pname, first, last int) (string, []int) {
	var parts []string
	var idx []int
	for i := first; i <= last; i++ {
		parts = append(parts, n.toks[i].text)
		idx = append(idx, i)
	}
	return strings.Join(parts, " "), idx
}

// explainAlignment lists the lines of an alignment in query order, the
// candidate's unmatched tokens last.
func explainAlignment(al *alignment, o *Options, sc *scratch) []Aligned {
	var out []Aligned
	if len(al.q.toks) == 0 && len(al.c.toks) == 0 {
		return nil
	}
	var qm, cm uint64
	type line struct {
		at int
		a  Aligned
	}
	lines := make([]line, 0, len(al.chosen)+len(al.q.toks)+len(al.c.toks))
	for _, x := range al.chosen {
		qu, cu := &al.q.units[x.qu], &al.c.units[x.cu]
		qm |= x.qmask
		cm |= x.cmask
		a := Aligned{Kind: x.kind, Similarity: round(x.sim), Weight: round(x.a + x.b), Cost: x.cost}
		a.Query, a.QueryTokens = tokenTexts(al.q, qu.first, qu.last)
		a.Candidate, a.CandidateTokens = tokenTexts(al.c, cu.first, cu.last)
		if al.den > 0 {
			a.Contribution = round(x.sim * (x.a + x.b) / al.den)
		}
		switch x.how {
		case howSymbol:
			a.Symbol = al.q.toks[qu.first].symbol
		case howInitial:
			a.Symbol = "initial"
		case howVariant, howFuzzyVariant:
			a.Scheme = "latin-spelling"
			a.Romanized = string(cu.vkey)
		case howLatticeQ, howLatticeC:
			lu, tu := qu, cu
			if x.how == howLatticeC {
				lu, tu = cu, qu
			}
			rd := lu.lat.read(tu.latin, sc)
			a.Scheme, a.Romanized, a.Rules = rd.schemes, rd.spelling, rd.rules
		case howRomanized:
			a.Scheme = "first romanisations"
			a.Romanized = string(qu.latin) + " / " + string(cu.latin)
		}
		if x.kind == AlignLiteral || x.kind == AlignSymbol {
			if s := al.q.toks[qu.first].symbol; s != "" && x.how != howInitial {
				a.Symbol = s
			}
		}
		lines = append(lines, line{at: qu.first, a: a})
	}
	for i, t := range al.q.toks {
		if qm&(1<<uint(i)) == 0 {
			lines = append(lines, line{at: i, a: Aligned{Kind: AlignUnmatchedQuery, Query: t.text, QueryTokens: []int{i}, Symbol: t.symbol, Weight: round(t.weight * o.UnmatchedQuery)}})
		}
	}
	for i, t := range al.c.toks {
		if cm&(1<<uint(i)) == 0 {
			lines = append(lines, line{at: maxTokens + i, a: Aligned{Kind: AlignUnmatchedCandidate, Candidate: t.text, CandidateTokens: []int{i}, Symbol: t.symbol, Weight: round(t.weight * o.UnmatchedCandidate)}})
		}
	}
	slices.SortStableFunc(lines, func(x, y line) int { return x.at - y.at })
	out = make([]Aligned, 0, len(lines))
	for _, l := range lines {
		out = append(out, l.a)
	}
	return out
}

func namesDetail(al *alignment) string {
	if al.exact {
		return "the names are the same once normalised"
	}
	matched := 0
	var qm uint64
	for _, x := range al.chosen {
		qm |= x.qmask
	}
	for i := range al.q.toks {
		if qm&(1<<uint(i)) != 0 {
			matched++
		}
	}
	return strconv.Itoa(matched) + " of " + strconv.Itoa(len(al.q.toks)) + " query tokens matched; weighted similarity over the tokens of both names"
}

// summary writes the one-line explanation. It is built without fmt: it
// is written for every pair scored.
func summary(score float64, band Band, ex *Explanation) string {
	b := make([]byte, 0, 160)
	b = strconv.AppendFloat(b, score, 'f', 2, 64)
	b = append(b, ' ')
	b = append(b, band...)
	b = append(b, ": \""...)
	b = append(b, ex.Query...)
	b = append(b, "\" ~ "...)
	if ex.CandidateName > 0 {
		b = append(b, ex.CandidateNameKind...)
	} else {
		b = append(b, "name"...)
	}
	b = append(b, " \""...)
	b = append(b, ex.Candidate...)
	b = append(b, '"')
	for k, a := range ex.Alignment {
		if k == 0 {
			b = append(b, ": "...)
		} else {
			b = append(b, "; "...)
		}
		switch a.Kind {
		case AlignLiteral:
			b = append(b, a.Query...)
			b = append(b, " = "...)
			b = append(b, a.Candidate...)
			if len(a.QueryTokens) > 1 || len(a.CandidateTokens) > 1 {
				b = append(b, " (written apart)"...)
			}
		case AlignSymbol:
			b = append(b, a.Query...)
			b = append(b, " ~ "...)
			b = append(b, a.Candidate...)
			b = append(b, " ("...)
			b = append(b, a.Symbol...)
			b = append(b, ')')
		case AlignTransliteration:
			b = append(b, a.Query...)
			b = append(b, " ~ "...)
			b = append(b, a.Candidate...)
			b = append(b, " (transliteration "...)
			b = append(b, a.Scheme...)
			if a.Romanized != "" && a.Scheme != "latin-spelling" {
				b = append(b, ": "...)
				b = append(b, a.Romanized...)
			}
			if a.Cost > 0 {
				b = append(b, ", "...)
				b = appendEdits(b, a.Cost)
			}
			b = append(b, ')')
		case AlignFuzzy:
			b = append(b, a.Query...)
			b = append(b, " ~ "...)
			b = append(b, a.Candidate...)
			b = append(b, " (fuzzy, "...)
			b = appendEdits(b, a.Cost)
			b = append(b, ')')
		case AlignUnmatchedQuery:
			b = append(b, a.Query...)
			b = append(b, " (query only)"...)
		case AlignUnmatchedCandidate:
			b = append(b, a.Candidate...)
			b = append(b, " (candidate only)"...)
		}
	}
	for _, e := range ex.Identifiers {
		b = append(b, "; "...)
		b = append(b, e.Scheme...)
		switch e.Outcome {
		case "match":
			b = append(b, ' ')
			b = append(b, e.Query...)
			b = append(b, " matches"...)
		case "conflict":
			b = append(b, " differs ("...)
			b = append(b, e.Query...)
			b = append(b, " vs "...)
			b = append(b, e.Candidate...)
			b = append(b, ')')
		case "invalid":
			b = append(b, ' ')
			b = append(b, e.Query...)
			b = append(b, e.Candidate...)
			b = append(b, " set aside (invalid)"...)
		case "weak":
			b = append(b, " agrees (weak scheme, not used)"...)
		}
	}
	for _, f := range ex.Features {
		switch f.Name {
		case "country", "kind", "numbers-differ", "names-differ", "symbols-only", "initials-only":
			b = append(b, "; "...)
			b = append(b, f.Detail...)
			b = append(b, ' ')
			if f.Contribution >= 0 {
				b = append(b, '+')
			}
			b = strconv.AppendFloat(b, f.Contribution, 'f', 2, 64)
		}
	}
	return string(b)
}

func appendEdits(b []byte, n int) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	if n == 1 {
		return append(b, " edit"...)
	}
	return append(b, " edits"...)
}
