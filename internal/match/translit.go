package match

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// Transliteration.
//
// A word in another script is not turned into one Latin string: it is
// turned into a small automaton (a lattice) of all the Latin spellings its
// rules allow, letter by letter: Рособоронэкспорт reaches ROSOBORONEKSPORT
// (BGN/PCGN, ICAO) and ROSOBORONEXPORT (the popular кс→x) and any mix of
// the schemes' choices, without listing every combination. Comparing a
// Latin word with the lattice is an edit distance to the nearest spelling
// the lattice holds (Levenshtein, over a directed acyclic graph), and the
// path found says which rule gave each letter, so the explanation can name
// the scheme.
//
// Alphabets (Cyrillic, Greek, Armenian, Georgian) are written down by
// their schemes. Abjads (Arabic, Hebrew) write few vowels, so their rules
// add an optional vowel (a, e, i, o or u) between letters and a final e,
// and most consonants may be doubled (the shadda is seldom written): they
// generate many spellings, and a match
// through them is weaker evidence (see the measured rates in the tests and
// in doc.go). Hangul syllables are split into their letters (jamo) first.

// scheme is a bit set of romanisation schemes.
type scheme uint32

// The schemes, in order of preference when several explain a spelling.
var schemeNames = []string{
	"bgn-pcgn",       // Cyrillic: BGN/PCGN 1947 (Russian), ASCII
	"icao-9303",      // Cyrillic: ICAO Doc 9303 machine-readable passports (Russia since 2013)
	"gost-7.79-b",    // Cyrillic: GOST 7.79-2000 system B (ISO 9 in ASCII)
	"popular",        // Cyrillic: common English spellings (кс→x, х→h, ий→y, щ→sch, ж→j)
	"ukrainian-2010", // Cyrillic: Ukrainian national romanisation (г→h)
	"serbian",        // Cyrillic: Serbian and Macedonian Latin alphabets
	"foreign-names",  // Cyrillic: foreign names read back (Polivanov си→shi, ти→chi, дз→z; к→c, дж→j, ш→sch, ц→z, ф→v)
	"elot-743",       // Greek: ELOT 743 / ISO 843 type 2, with common variants
	"bgn-pcgn-hy",    // Armenian: BGN/PCGN 1981
	"georgian-2002",  // Georgian: national system 2002 (BGN/PCGN 2009)
	"arabic-rules",   // Arabic: this package's measured rule set
	"hebrew-rules",   // Hebrew: this package's rule set
	"revised-romanization",
	"mccune-reischauer",
	"korean-surnames", // conventional spellings of common Korean surnames (Kim, Lee, Park)
}

func schemeBit(name string) scheme {
	i := slices.Index(schemeNames, name)
	if i < 0 {
		panic("match: unknown scheme " + name)
	}
	return 1 << i
}

// names lists the schemes in s, in order of preference.
func (s scheme) names() []string {
	var out []string
	for i, n := range schemeNames {
		if s&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// alt is one Latin output of a rule.
type alt struct {
	out  string
	mask scheme
}

// where a rule applies in a word.
type where uint8

const (
	anywhere   where = iota
	atStart          // first letter of the word
	notStart         // any letter but the first
	atEnd            // last letter
	startOrVow       // first letter, or after a vowel or a hard or soft sign (Cyrillic е→ye)
)

type rule struct {
	src       []rune
	at        where
	alts      []alt
	exclusive bool // when it applies, shorter rules at the same place do not
}

// ruleset is the transliteration of one script.
type ruleset struct {
	script Script
	all    scheme  // every scheme of the script
	base   float64 // similarity of a word that equals one of its spellings
	vowels bool    // abjad: optional vowel between letters
	// maxEdits is how many edits a match through this script may need,
	// by the Latin word's length.
	maxEdits func(n int) int
	vowelOf  func(r rune) bool // for startOrVow
	byFirst  map[rune][]rule   // longest first, specific places before anywhere
	prep     func([]rune) []rune
	// dense holds byFirst as a slice from lowest, for speed.
	dense  [][]rule
	lowest rune
}

// rulesFrom returns the rules whose source begins with r.
func (rs *ruleset) rulesFrom(r rune) []rule {
	if i := int(r - rs.lowest); i >= 0 && i < len(rs.dense) {
		return rs.dense[i]
	}
	return nil
}

// parseRules reads a rule table. Each line is
//
//	src[@where][!] out[:SCHEMES] out[:SCHEMES] …
//
// where out "-" is the empty spelling, SCHEMES are letters of the letter
// map (no letters: every scheme of the script), @where is start, notstart,
// end or ye (start or after a vowel), and ! makes the rule exclusive.
func parseRules(rs *ruleset, letters map[byte]string, table string) {
	rs.byFirst = map[rune][]rule{}
	for _, name := range letters {
		rs.all |= schemeBit(name)
	}
	for ln, line := range strings.Split(table, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			panic(fmt.Sprintf("match: rule line %d %q", ln, line))
		}
		var r rule
		head := f[0]
		if strings.HasSuffix(head, "!") {
			r.exclusive = true
			head = strings.TrimSuffix(head, "!")
		}
		if src, w, ok := strings.Cut(head, "@"); ok {
			head = src
			switch w {
			case "start":
				r.at = atStart
			case "notstart":
				r.at = notStart
			case "end":
				r.at = atEnd
			case "ye":
				r.at = startOrVow
			default:
				panic("match: bad place " + w)
			}
		}
		r.src = []rune(head)
		for _, a := range f[1:] {
			out, ms, hasMask := strings.Cut(a, ":")
			if out == "-" {
				out = ""
			}
			m := rs.all
			if hasMask {
				m = 0
				for i := 0; i < len(ms); i++ {
					name, ok := letters[ms[i]]
					if !ok {
						panic(fmt.Sprintf("match: unknown scheme letter %q in %q", ms[i], line))
					}
					m |= schemeBit(name)
				}
			}
			r.alts = append(r.alts, alt{out: out, mask: m})
		}
		rs.byFirst[r.src[0]] = append(rs.byFirst[r.src[0]], r)
	}
	for k, rules := range rs.byFirst {
		slices.SortStableFunc(rules, func(a, b rule) int {
			if len(a.src) != len(b.src) {
				return len(b.src) - len(a.src)
			}
			// A rule for a place comes before the rule for anywhere.
			if (a.at == anywhere) != (b.at == anywhere) {
				if a.at == anywhere {
					return 1
				}
				return -1
			}
			return 0
		})
		rs.byFirst[k] = rules
	}
	lo, hi := rune(-1), rune(-1)
	for k := range rs.byFirst {
		if lo < 0 || k < lo {
			lo = k
		}
		hi = max(hi, k)
	}
	rs.lowest = lo
	rs.dense = make([][]rule, hi-lo+1)
	for k, rules := range rs.byFirst {
		rs.dense[k-lo] = rules
	}
}

// applies reports whether r applies at position i of w.
func (rs *ruleset) applies(r *rule, w []rune, i int) bool {
	if i+len(r.src) > len(w) {
		return false
	}
	for k, c := range r.src {
		if w[i+k] != c {
			return false
		}
	}
	switch r.at {
	case atStart:
		return i == 0
	case notStart:
		return i > 0
	case atEnd:
		return i+len(r.src) == len(w)
	case startOrVow:
		return i == 0 || (rs.vowelOf != nil && rs.vowelOf(w[i-1]))
	}
	return true
}

// rulesAt returns the rules that apply at position i: for each source
// length the first that applies, and none shorter than an exclusive one.
func (rs *ruleset) rulesAt(w []rune, i int, dst []*rule) []*rule {
	dst = dst[:0]
	rules := rs.rulesFrom(w[i])
	lastLen := 0
	for k := range rules {
		r := &rules[k]
		if len(r.src) == lastLen || !rs.applies(r, w, i) {
			continue
		}
		dst = append(dst, r)
		lastLen = len(r.src)
		if r.exclusive {
			break
		}
	}
	return dst
}

// foreignNames reads foreign names back from Russian; its spellings
// (э→a, к→c) serve the lattice but make poor index keys for Russian
// words, so variants leaves it out.
var foreignNames = schemeBit("foreign-names")

// variants returns the word's spelling under each scheme of its script,
// without repeats, in scheme order: at each place the longest rule that
// has an output for the scheme (the output most particular to it), else
// the first output of the single letter's rule.
func (rs *ruleset) variants(w []rune) []string {
	w = rs.prepare(w)
	var out []string
	var buf []*rule
	for bit := 0; bit < len(schemeNames); bit++ {
		s := scheme(1) << bit
		if rs.all&s == 0 || s == foreignNames {
			continue
		}
		var b strings.Builder
		for i := 0; i < len(w); {
			buf = rs.rulesAt(w, i, buf)
			done := false
			for _, r := range buf {
				// The output most particular to the scheme: "x" (popular
				// only) before "ks" (every scheme).
				pick := -1
				for k, a := range r.alts {
					if a.mask&s != 0 && (pick < 0 || bits.OnesCount32(uint32(a.mask)) < bits.OnesCount32(uint32(r.alts[pick].mask))) {
						pick = k
					}
				}
				if pick >= 0 {
					b.WriteString(r.alts[pick].out)
					i += len(r.src)
					done = true
					break
				}
			}
			if !done {
				if len(buf) > 0 {
					last := buf[len(buf)-1]
					b.WriteString(last.alts[0].out)
					i += len(last.src)
				} else {
					b.WriteString(passThrough(w[i]))
					i++
				}
			}
		}
		v := b.String()
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// primary returns the word's first spelling: at each place the longest
// rule's first output. It is the spelling shown for the word and compared
// when the other side is in a third script.
func (rs *ruleset) primary(w []rune) string {
	w = rs.prepare(w)
	b := make([]byte, 0, len(w)*2)
	var buf [4]*rule
	for i := 0; i < len(w); {
		rules := rs.rulesAt(w, i, buf[:0])
		if len(rules) == 0 {
			b = append(b, passThrough(w[i])...)
			i++
			continue
		}
		b = append(b, rules[0].alts[0].out...)
		i += len(rules[0].src)
	}
	return string(b)
}

func (rs *ruleset) prepare(w []rune) []rune {
	if rs.prep != nil {
		return rs.prep(w)
	}
	return w
}

// passThrough spells a character no rule knows: ASCII letters and digits
// as themselves, anything else not at all.
func passThrough(r rune) string {
	if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
		return string(r)
	}
	return ""
}

// A lattice holds every Latin spelling of one word as a directed acyclic
// graph whose edges carry one Latin letter or nothing. Nodes are numbered
// in topological order: node 0 starts, the last node ends.
type lattice struct {
	rs      *ruleset
	src     []rune
	nodes   int
	edges   []ledge // sorted by target node
	inStart []int32 // edges into node v are edges[inStart[v]:inStart[v+1]]
	choices []choice
	minLen  int // shortest and longest spelling
	maxLen  int
	letters uint64 // every letter some spelling has, as bit r mod 64
}

type ledge struct {
	from, to int32
	ch       rune  // 0: no letter
	choice   int32 // which choice the edge belongs to
}

// choice is one output of one rule at one place of the word.
type choice struct {
	at      int16 // where in the word the rule's source begins
	srcLen  int16 // how many letters it covers
	out     string
	mask    scheme
	primary bool // the first output of its rule
	vowel   bool // an inserted vowel (abjads)
}

var insertedVowels = []string{"a", "e", "i", "o", "u"}

// newLattice builds the lattice of a word (already normalised).
func newLattice(rs *ruleset, word []rune) *lattice {
	w := rs.prepare(word)
	l := &lattice{rs: rs, src: w}
	n := len(w)
	arrive := make([]int32, n+1)
	// Edges are made before the nodes of later positions exist: an edge
	// to position p is written with to = -(p+1) and resolved at the end.
	toPos := func(p int) int32 { return -int32(p) - 1 }
	pend := make([]ledge, 0, 8*n+8)
	l.choices = make([]choice, 0, 4*n+8)
	alloc := func() int32 { l.nodes++; return int32(l.nodes - 1) }
	addChoice := func(c choice) int32 {
		l.choices = append(l.choices, c)
		return int32(len(l.choices) - 1)
	}
	var rbuf [4]*rule
	buf := rbuf[:0]
	for i := 0; i <= n; i++ {
		arrive[i] = alloc()
		dep := arrive[i]
		if rs.vowels && i > 0 && i < n {
			d := alloc()
			c := addChoice(choice{at: int16(i), mask: rs.all, primary: true, vowel: true})
			pend = append(pend, ledge{from: dep, to: d, choice: c})
			for _, v := range insertedVowels {
				c := addChoice(choice{at: int16(i), out: v, mask: rs.all, vowel: true})
				pend = append(pend, ledge{from: dep, to: d, ch: rune(v[0]), choice: c})
			}
			dep = d
		}
		if i == n {
			if rs.vowels && n > 1 {
				// A final written e that Arabic or Hebrew does not
				// write (Emile, Pauline, Susanne).
				end := alloc()
				c := addChoice(choice{at: int16(i), mask: rs.all, primary: true, vowel: true})
				pend = append(pend, ledge{from: dep, to: end, choice: c})
				c = addChoice(choice{at: int16(i), out: "e", mask: rs.all, vowel: true})
				pend = append(pend, ledge{from: dep, to: end, ch: 'e', choice: c})
			}
			break
		}
		buf = rs.rulesAt(w, i, buf)
		if len(buf) == 0 {
			p := passThrough(w[i])
			c := addChoice(choice{at: int16(i), srcLen: 1, out: p, mask: rs.all, primary: true})
			if p == "" {
				pend = append(pend, ledge{from: dep, to: toPos(i + 1), choice: c})
			} else {
				pend = append(pend, ledge{from: dep, to: toPos(i + 1), ch: rune(p[0]), choice: c})
			}
			continue
		}
		// Shorter rules first, so that where a letter-by-letter reading
		// and a longer rule give the same spelling, the explanation
		// names the letter-by-letter one.
		for ri := len(buf) - 1; ri >= 0; ri-- {
			r := buf[ri]
			for k, a := range r.alts {
				c := addChoice(choice{at: int16(i), srcLen: int16(len(r.src)), out: a.out, mask: a.mask, primary: k == 0})
				if a.out == "" {
					pend = append(pend, ledge{from: dep, to: toPos(i + len(r.src)), choice: c})
					continue
				}
				prev := dep
				for j := 0; j < len(a.out)-1; j++ {
					x := alloc()
					pend = append(pend, ledge{from: prev, to: x, ch: rune(a.out[j]), choice: c})
					prev = x
				}
				pend = append(pend, ledge{from: prev, to: toPos(i + len(r.src)), ch: rune(a.out[len(a.out)-1]), choice: c})
			}
		}
	}
	// Edges by target node, in the order they were made (a counting
	// sort: stable).
	l.inStart = make([]int32, l.nodes+1)
	for k := range pend {
		p := &pend[k]
		if p.to < 0 {
			p.to = arrive[-p.to-1]
		}
		l.inStart[p.to+1]++
	}
	for v := 1; v <= l.nodes; v++ {
		l.inStart[v] += l.inStart[v-1]
	}
	l.edges = make([]ledge, len(pend))
	next := make([]int32, l.nodes)
	copy(next, l.inStart[:l.nodes])
	for _, p := range pend {
		l.edges[next[p.to]] = p
		next[p.to]++
	}
	// Shortest and longest spelling.
	lohi := make([]int, 2*l.nodes)
	lo, hi := lohi[:l.nodes], lohi[l.nodes:]
	for v := 1; v < l.nodes; v++ {
		lo[v], hi[v] = 1<<30, -1
		for _, e := range l.edges[l.inStart[v]:l.inStart[v+1]] {
			d := 0
			if e.ch != 0 {
				d = 1
			}
			if hi[e.from] < 0 {
				continue
			}
			lo[v] = min(lo[v], lo[e.from]+d)
			hi[v] = max(hi[v], hi[e.from]+d)
		}
	}
	for _, e := range l.edges {
		if e.ch != 0 {
			l.letters |= 1 << (uint(e.ch) & 63)
		}
	}
	l.minLen, l.maxLen = lo[l.nodes-1], hi[l.nodes-1]
	if l.maxLen < 0 {
		l.minLen, l.maxLen = 0, 0
	}
	return l
}

const inf = 1 << 28

// foreign counts the letters of t that no spelling of the lattice has
// (by their bit r mod 64, so that two letters may share one and the
// count is never too high): each costs an edit, so the count is a lower
// bound of distance, and far cheaper.
func (l *lattice) foreign(t []rune) int {
	n := 0
	for _, r := range t {
		if l.letters&(1<<(uint(r)&63)) == 0 {
			n++
		}
	}
	return n
}

// distance returns the least number of edits (insertions, deletions,
// substitutions of one letter) between t and any spelling of the lattice.
// buf is scratch space, grown when too small, and returned.
func (l *lattice) distance(t []rune, buf []int32) (int, []int32) {
	m := len(t) + 1
	size := l.nodes * m
	if cap(buf) < size {
		buf = make([]int32, size)
	}
	D := buf[:size]
	for j := 0; j < m; j++ {
		D[j] = int32(j)
	}
	for v := 1; v < l.nodes; v++ {
		row := D[v*m : v*m+m]
		for j := range row {
			row[j] = inf
		}
		for _, e := range l.edges[l.inStart[v]:l.inStart[v+1]] {
			prev := D[int(e.from)*m : int(e.from)*m+m]
			if e.ch == 0 {
				for j := 0; j < m; j++ {
					if prev[j] < row[j] {
						row[j] = prev[j]
					}
				}
				continue
			}
			if c := prev[0] + 1; c < row[0] {
				row[0] = c
			}
			for j := 1; j < m; j++ {
				c := prev[j-1]
				if e.ch != t[j-1] {
					c++
				}
				if d := prev[j] + 1; d < c {
					c = d
				}
				if c < row[j] {
					row[j] = c
				}
			}
		}
		for j := 1; j < m; j++ {
			if c := row[j-1] + 1; c < row[j] {
				row[j] = c
			}
		}
	}
	return int(D[(l.nodes-1)*m+m-1]), buf
}

// reading is how a lattice met a Latin word: the spelling it chose, the
// schemes that explain it, and the rules off the first choice.
type reading struct {
	spelling string
	schemes  string
	rules    []string
	cost     int
}

// read finds the spelling of the lattice nearest to t and explains it.
// sc, if not nil, lends its scratch space.
func (l *lattice) read(t []rune, sc *scratch) reading {
	var buf []int32
	if sc != nil {
		buf = sc.dp
	}
	d, D := l.distance(t, buf)
	if sc != nil {
		sc.dp = D
	}
	m := len(t) + 1
	var used []int32
	var spelled []rune
	v, j := l.nodes-1, len(t)
	for v != 0 || j != 0 {
		cur := D[v*m+j]
		if v == 0 {
			j-- // letters of t before the first spelled letter: insertions
			continue
		}
		// A step that costs nothing: of those, the one from the shortest
		// rule, so that a letter-by-letter reading is named before a
		// longer rule that spells the same.
		var pick *ledge
		for k := range l.edges[l.inStart[v]:l.inStart[v+1]] {
			e := &l.edges[int(l.inStart[v])+k]
			prev := int(e.from) * m
			ok := (e.ch == 0 && D[prev+j] == cur) || (e.ch != 0 && j > 0 && e.ch == t[j-1] && D[prev+j-1] == cur)
			if ok && (pick == nil || l.choices[e.choice].srcLen < l.choices[pick.choice].srcLen) {
				pick = e
			}
		}
		if pick != nil {
			if pick.ch != 0 {
				spelled = append(spelled, pick.ch)
				j--
			}
			v = int(pick.from)
			used = append(used, pick.choice)
			continue
		}
		moved := false
		if j > 0 && D[v*m+j-1]+1 == cur {
			j--
			continue
		}
		for _, e := range l.edges[l.inStart[v]:l.inStart[v+1]] {
			prev := int(e.from) * m
			switch {
			case e.ch != 0 && j > 0 && D[prev+j-1]+1 == cur:
				spelled = append(spelled, e.ch)
				v, j = int(e.from), j-1
			case e.ch != 0 && D[prev+j]+1 == cur:
				spelled = append(spelled, e.ch)
				v = int(e.from)
			default:
				continue
			}
			used = append(used, e.choice)
			moved = true
			break
		}
		if !moved {
			break // cannot happen: every finite cell has a predecessor
		}
	}
	slices.Reverse(spelled)
	slices.Reverse(used)
	r := reading{spelling: string(spelled), cost: d}
	// Each choice once, in word order.
	var choices []int32
	for _, c := range used {
		if len(choices) == 0 || choices[len(choices)-1] != c {
			choices = append(choices, c)
		}
	}
	// Schemes: those that explain every choice; else cover the choices
	// with as few schemes as possible, in order of preference.
	all := l.rs.all
	for _, c := range choices {
		all &= l.choices[c].mask
	}
	if all != 0 {
		r.schemes = all.names()[0]
	} else {
		left := slices.Clone(choices)
		var picked []string
		for len(left) > 0 {
			best, bestN := 0, -1
			for bit := range schemeNames {
				s := scheme(1) << bit
				if l.rs.all&s == 0 {
					continue
				}
				n := 0
				for _, c := range left {
					if l.choices[c].mask&s != 0 {
						n++
					}
				}
				if n > bestN {
					best, bestN = bit, n
				}
			}
			if bestN <= 0 {
				break
			}
			picked = append(picked, schemeNames[best])
			s := scheme(1) << best
			left = slices.DeleteFunc(left, func(c int32) bool { return l.choices[c].mask&s != 0 })
		}
		r.schemes = strings.Join(picked, "+")
	}
	for _, c := range choices {
		ch := l.choices[c]
		switch {
		case ch.vowel && ch.out != "":
			r.rules = append(r.rules, "+"+ch.out)
		case !ch.primary && !ch.vowel:
			out := ch.out
			if out == "" {
				out = "∅"
			}
			r.rules = append(r.rules, string(l.src[ch.at:ch.at+ch.srcLen])+"→"+out)
		}
	}
	return r
}

// rulesFor returns the transliteration of a script, or nil.
func rulesFor(s Script) *ruleset {
	switch s {
	case ScriptCyrillic:
		return cyrillic
	case ScriptGreek:
		return greek
	case ScriptArmenian:
		return armenian
	case ScriptGeorgian:
		return georgian
	case ScriptArabic:
		return arabic
	case ScriptHebrew:
		return hebrew
	case ScriptHangul:
		return hangul
	}
	return nil
}

// Edit allowances: an alphabet's transliteration may carry typos like a
// Latin word; an abjad's, whose rules already generate many spellings,
// one edit from six letters on.
func alphabetEdits(n int) int { return maxEdits(n) }

func abjadEdits(n int) int {
	if n >= 6 {
		return 1
	}
	return 0
}

// syllableEdits: Hangul's rules spell each syllable every usual way
// (Revised, McCune–Reischauer, and the popular spellings of the vowels:
// Young, Myung, Moo), mixed at will, so a spelling of the name is within
// reach without edits; and an edit changes a syllable: 정식, jongsik, is
// not Yong Sik, one letter away. No edits.
func syllableEdits(int) int { return 0 }

// Cyrillic: Russian, with the letters of Ukrainian, Belarusian, Serbian
// and Macedonian. B = BGN/PCGN, I = ICAO 9303, G = GOST 7.79 B, P =
// popular, U = Ukrainian national, S = Serbian/Macedonian, F = foreign
// names written in Russian, read back (Japanese names by the Polivanov
// system, Western names by their usual spellings).
var cyrillic = func() *ruleset {
	rs := &ruleset{script: ScriptCyrillic, base: 0.98, maxEdits: alphabetEdits}
	rs.vowelOf = func(r rune) bool { return strings.ContainsRune("аеёиоуыэюяіїєъь", r) }
	parseRules(rs, map[byte]string{'B': "bgn-pcgn", 'I': "icao-9303", 'G': "gost-7.79-b", 'P': "popular", 'U': "ukrainian-2010", 'S': "serbian", 'F': "foreign-names"}, `
а a
б b
в v
г g h:U
ґ g
д d
дж! dzh:BIGPUS j:F g:F dj:F
дз dz:BIGPUS z:F
е@ye e:IGUS ye:BP
е e
ё yo:GP e:BIP
є ye:BUP ie:IU je:G
ж zh j:PS
з z s:F
и@end i y:F
и i
і i
ї yi:U i:BIP ji:G
й y:BP i:IUP j:GS
к k c:F
кс ks x:P
л l
м m
н n
о o
п p
р r
с s
си shi:F
сё sho:F
сю shu:F
ся sha:F
т t
ти chi:F
тё cho:F
тю chu:F
тя cha:F
у@start u w:F
у u
ў w u
ф f v:F
х kh:BIUP h:P x:G
ц ts:BIUP c:GS tz:P z:F
ч ch c:S
ш sh s:S sch:F
щ shch:BIUP sch:P shh:G
ъ -:BGPUS ie:I
ы y i:P
ь -
э e a:F
ю yu:BGP iu:IU ju:P
я ya:BGP ia:IU ja:P
ий y:P i:P yi:U
ый y:P
ђ dj:S
ј j:S
љ lj:S
њ nj:S
ћ c:S ch:S
џ dz:S dzh:S
ѓ gj:S
ќ kj:S
ѕ dz:S
`)
	return rs
}()

// Greek: ELOT 743 (ISO 843 transcription) with its usual variants.
var greek = func() *ruleset {
	rs := &ruleset{script: ScriptGreek, base: 0.98, maxEdits: alphabetEdits}
	parseRules(rs, map[byte]string{'E': "elot-743"}, `
α a
αι! ai e
αυ! av af
β v
γ g
γγ! ng gg
γκ@start! g gk
γκ! gk ng
γξ! nx
γχ! nch
δ d
ε e
ει! ei i
ευ! ev ef
ζ z
η i
ηυ! iv if
θ th
ι i
κ k
λ l
μ m
μπ@start! b mp
μπ! mp b
ν n
ντ@start! d nt
ντ! nt d
ξ x ks
ο o
οι! oi i
ου! ou u
π p
ρ r
σ s
τ t
υ y i
φ f
χ ch h kh
ψ ps
ω o
`)
	return rs
}()

// Armenian: BGN/PCGN 1981, ASCII.
var armenian = func() *ruleset {
	rs := &ruleset{script: ScriptArmenian, base: 0.98, maxEdits: alphabetEdits}
	parseRules(rs, map[byte]string{'A': "bgn-pcgn-hy"}, `
ա a
բ b
գ g
դ d
ե@start ye e
ե e
զ z
է e
ը y e
թ t
ժ zh
ի i
լ l
խ kh
ծ ts
կ k
հ h
ձ dz
ղ gh
ճ ch
մ m
յ y
ն n
շ sh
ո@start vo o
ո o
ու! u
չ ch
պ p
ջ j
ռ r
ս s
վ v
տ t
ր r
ց ts
ւ v
փ p
ք k
և yev ev
օ o
ֆ f
`)
	return rs
}()

// Georgian: national system of 2002, without apostrophes.
var georgian = func() *ruleset {
	rs := &ruleset{script: ScriptGeorgian, base: 0.98, maxEdits: alphabetEdits}
	parseRules(rs, map[byte]string{'K': "georgian-2002"}, `
ა a
ბ b
გ g
დ d
ე e
ვ v
ზ z
თ t
ი i
კ k
ლ l
მ m
ნ n
ო o
პ p
ჟ zh
რ r
ს s
ტ t
უ u
ფ p
ქ k
ღ gh
ყ q
შ sh
ჩ ch
ც ts
ძ dz
წ ts
ჭ ch
ხ kh
ჯ j
ჰ h
`)
	return rs
}()

// Arabic (and the Persian letters): each letter's usual Latin spellings,
// the article, the long vowels' several spellings, doubled consonants for
// the unwritten shadda, and an optional short vowel between letters.
var arabic = func() *ruleset {
	rs := &ruleset{script: ScriptArabic, base: 0.92, vowels: true, maxEdits: abjadEdits}
	parseRules(rs, map[byte]string{'R': "arabic-rules"}, `
ال@start al el - a ul l
ال@notstart ul al el il
ا@start a e i o u
ا a aa e o -
أ@start a e o u i
أو@start o u ou au
إي@start i e ei ee
أ a e o u -
إ i e
آ a aa
ٱ a -
ء - a e
ؤ u o -
ئ i e y -
ب b p bb
ت t tt
تش ch tch
ث th s t
ج j g dj zh jj
ح h hh
خ kh h ch x
د d dd
ذ dh z th d
ر r rr
ز z s zz
س s ss
ش sh ch sch
ص s ss
ض d dh z
ط t tt
ظ z dh d
ع - a e i o u
غ gh g
ف f v ph ff
ق q k g c
ك k c ck kk
ل l ll
م m mm
ن n nn
ه@end h a e ah eh -
ه h
ة a ah at e eh -
و@start w v ou o u
و w u o ou oo v aw ow
ي@start y i j
ي y i ee ie e
ى a i y e
پ p
چ ch tch
ژ zh j
گ g
ک k c
ی y i e ee
`)
	return rs
}()

// Hebrew: letters with their usual spellings, final forms alike, and an
// optional vowel between letters.
var hebrew = func() *ruleset {
	rs := &ruleset{script: ScriptHebrew, base: 0.92, vowels: true, maxEdits: abjadEdits}
	parseRules(rs, map[byte]string{'H': "hebrew-rules"}, `
א - a e o i
ב b v
ג g
ד d
ה@end - a e h ah
ה h
ו v o u w
וו! v w
ז z
ח ch h kh
ט t
י y i e ei
כ k kh ch
ך kh ch k
ל l
מ m
ם m
נ n
ן n
ס s
ע - a e
פ p f ph
ף f ph
צ ts tz z
ץ ts tz z
ק k q
ר r
ש sh s
ת t th s
`)
	return rs
}()

// Hangul: syllables are split into conjoining jamo, which the rules spell
// in the Revised Romanization (R) and McCune–Reischauer without
// diacritics (M); the commonest surnames also have their conventional
// spellings (N: Kim, Lee, Park) when they begin a word.
var hangul = func() *ruleset {
	rs := &ruleset{script: ScriptHangul, base: 0.95, maxEdits: syllableEdits}
	var b strings.Builder
	lead := []string{"g:R k:M", "kk:RM gg", "n", "d:R t:M", "tt:RM dd", "r:R l:RM", "m", "b:R p:M", "pp:RM bb", "s:RM sh:M", "ss:RM", "-", "j:R ch:M", "jj:RM", "ch:RM", "k:RM", "t:RM", "p:RM", "h:RM"}
	vowel := []string{"a", "ae", "ya", "yae", "eo:R o:M u", "e", "yeo:R yo:M yu you", "ye", "o", "wa", "wae", "oe", "yo", "u oo", "wo", "we", "wi", "yu", "eu:R u:M", "ui:R i:M", "i ee"}
	tail := []string{"k g", "k kk", "k", "n", "n", "n", "t d", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p b", "p", "t s", "t ss", "ng", "t", "t", "k", "t", "p", "t h"}
	for i, s := range lead {
		fmt.Fprintf(&b, "%c %s\n", rune(0x1100+i), s)
	}
	for i, s := range vowel {
		fmt.Fprintf(&b, "%c %s\n", rune(0x1161+i), s)
	}
	for i, s := range tail {
		fmt.Fprintf(&b, "%c %s\n", rune(0x11A8+i), s)
	}
	surnames := map[string]string{
		"김": "kim", "이": "lee yi rhee", "박": "park pak", "최": "choi", "정": "jung chung jeong",
		"강": "kang", "조": "cho jo", "윤": "yoon yun", "장": "jang chang", "임": "lim im",
		"한": "han", "오": "oh", "서": "seo suh", "신": "shin", "권": "kwon", "황": "hwang",
		"안": "ahn", "송": "song", "류": "ryu yoo", "전": "jeon chun", "홍": "hong", "고": "ko",
		"문": "moon", "양": "yang", "손": "son sohn", "배": "bae", "백": "baek paik", "허": "heo hur",
		"유": "yoo yu", "남": "nam", "노": "noh roh", "곽": "kwak", "우": "woo", "구": "koo",
	}
	keys := make([]string, 0, len(surnames))
	for k := range surnames {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var spell []string
		for _, s := range strings.Fields(surnames[k]) {
			spell = append(spell, s+":N")
		}
		fmt.Fprintf(&b, "%s@start %s\n", string(jamo([]rune(k))), strings.Join(spell, " "))
	}
	parseRules(rs, map[byte]string{'R': "revised-romanization", 'M': "mccune-reischauer", 'N': "korean-surnames"}, b.String())
	rs.prep = jamo
	return rs
}()

// jamo splits precomposed Hangul syllables into conjoining jamo.
func jamo(w []rune) []rune {
	out := make([]rune, 0, len(w)*3)
	for _, r := range w {
		if r < 0xAC00 || r > 0xD7A3 {
			out = append(out, r)
			continue
		}
		s := r - 0xAC00
		out = append(out, 0x1100+s/588, 0x1161+(s%588)/28)
		if t := s % 28; t > 0 {
			out = append(out, 0x11A7+t)
		}
	}
	return out
}
