package match

import (
	"cmp"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
)

// The candidate index.
//
// Comparing a query with every entity of a list costs a microsecond or
// two a pair: too much for a list of a million. An Index files every
// name of every entity under its keys (the keys Keys gives: the words'
// Latin readings, their spelling-variant keys, numbers, legal forms),
// and under the spelling-variant keys of two or three adjacent words
// written together ("Rosoboron Export" is filed under
// "~rosoboroneksport" too). A query's keys then collect the entities
// that share one; a key that the query's words reach only with typos
// is found in the vocabulary of variant keys, by the bigrams the two
// share and then the edits between them, within the edits Compare
// allows. Each candidate is ranked by what it shares: for each word of
// the query the rarest key met (its inverse document frequency, less
// for a key reached with edits), added up. The best MaxCandidates are
// scored with ScorePrepared; the hits shown are compared again with
// ComparePrepared for their explanations.
//
// Strong identifiers (INN, OGRN, LEI, IMO, UEI, CAGE, DUNS, OFAC entry
// numbers, …) that pass their checks are filed as well: an entity that
// shares one with the query is always scored, whatever its names.
//
// A key shared by very many entities (a legal form, or a first name on
// a list of a million) would make every query that has it walk a long
// list. A query therefore takes its keys rarest first, and once it has
// walked admitBudget entries of the lists, its commoner keys only add
// to the rank of the candidates it has already; legal forms and company
// words never bring candidates in, since they alone never make a match.

// DefaultMaxCandidates is IndexOptions.MaxCandidates unless set.
const DefaultMaxCandidates = 200

// eagerNames is how many names in all an index prepares when it is
// built (Prepare, kept with the entity; about 3 kB a name): beyond,
// the prepared forms would take gigabytes, and each query prepares the
// candidates it scores instead, about 5 µs more a candidate.
const eagerNames = 250_000

// admitBudget is how many posting-list entries a query walks to bring
// in candidates before its commoner keys only rank those it has.
const admitBudget = 100_000

// maxQueryGroups bounds the words (and words written together) of a
// query that take part in ranking candidates.
const maxQueryGroups = 64

// IndexOptions tune an index.
type IndexOptions struct {
	// MaxCandidates is how many candidates, ranked by the keys they
	// share with the query, each query scores: DefaultMaxCandidates
	// (200) when zero or less. Entities that share a strong identifier
	// with the query are scored as well.
	MaxCandidates int
}

// Index holds prepared entities for screening: name keys, and
// identifiers. It is built once by NewIndex and only read afterwards:
// Search is safe for concurrent use.
type Index struct {
	entities []*armstrace.Entity
	prepared []*Prepared // nil for a large index: prepared per query
	maxCand  int

	keys map[string]int32 // key → key id
	off  []uint32         // postings of key k: post[off[k]:off[k+1]], entity indexes ascending
	post []int32
	idf  []float32 // by key id

	fuzzy fuzzyVocab

	ids map[string][]int32 // scheme + "\x00" + normalised value → entity indexes

	mu     sync.Mutex
	states []*searchState // free working memory of queries, at most 2 × GOMAXPROCS
}

// Hit is one screening result.
type Hit struct {
	Entity *armstrace.Entity `json:"entity"`
	Result                   // embedded: score, match, band, explanation
}

// keyFlag says where a key comes from.
type keyFlag uint8

const (
	kfVariant  keyFlag = 1 << iota // a spelling-variant key ("~…"), looked up with typos too
	kfMerged                       // from two or three adjacent words written together
	kfSymbol                       // a legal form or company word: ranks, never brings a candidate in
	kfSkeleton                     // a consonant skeleton, between an abjad and Latin
	kfSyllable                     // a syllable of a Hangul word
)

// skeletonWeight is the share of its rarity a skeleton key counts for:
// a skeleton stands for several names ("hsn": Hassan, Hussein, Hosni).
const skeletonWeight = 0.8

// nameKeys calls emit with each key of a name: for each token the keys
// Keys gives; for two or three adjacent words (names, numbers,
// particles) the spelling-variant keys of the words written together,
// as Compare reads them (Latin and digits; two words of Arabic, Hebrew
// or Hangul); for the syllables of a Hangul word their readings
// ("경수" under "kyong" and "su", for "Kyong Su"); and consonant
// skeletons, which let a word in Arabic or Hebrew script, whose
// readings lack most vowels ("حسین": "hsyn"), meet its Latin spellings
// ("Hossein"): a Latin word gives the skeleton of its variant key
// ("!l" + "hsn"), an abjad word the skeletons of its readings, with and
// without the letters و/ו and final ه/ה that may be vowels ("!a" +
// "hsn"). The index files Latin words under "!l" and abjad words under
// "!a"; a query (query true) looks Latin words up under "!a" and abjad
// words under "!l", so that two Latin words never meet by their
// skeletons. group is the token's index, or for words written together
// and syllables len(tokens) + their number. It returns the number of
// groups.
func nameKeys(name string, kind armstrace.EntityKind, query bool, emit func(key string, group int, f keyFlag)) int {
	rts := tokenize(name, kind)
	if len(rts) > maxTokens {
		rts = rts[:maxTokens]
	}
	latinSkel, abjadSkel := "!l", "!a"
	if query {
		latinSkel, abjadSkel = abjadSkel, latinSkel
	}
	var skels []string
	for i, r := range rts {
		switch {
		case r.class == ClassNumber:
			emit("#"+r.text, i, 0)
		case r.class.symbolic():
			if r.class != ClassStopword {
				emit(r.symbol, i, kfSymbol)
			}
		case r.class == ClassName:
			readings := latinReadings(r)
			rs := rulesFor(r.script)
			abjad := rs != nil && rs.vowels
			skels = skels[:0]
			for _, l := range readings {
				vk := variantKey([]rune(l))
				emit(l, i, 0)
				emit("~"+string(vk), i, kfVariant)
				switch {
				case r.script == ScriptLatin:
					skels = appendSkeletons(skels, vk, false)
				case abjad:
					skels = appendSkeletons(skels, vk, true)
				}
			}
			if r.script != ScriptLatin {
				emit(r.text, i, 0)
			}
			for _, k := range skels {
				if r.script == ScriptLatin {
					emit(latinSkel+k, i, kfSkeleton)
				} else {
					emit(abjadSkel+k, i, kfSkeleton)
				}
			}
		}
	}
	group := len(rts)
	mergeable := func(r *rawToken) bool {
		return r.class == ClassName || r.class == ClassNumber || r.class == ClassParticle
	}
	latinish := func(r *rawToken) bool { return r.script == ScriptLatin || r.script == ScriptCommon }
	var b strings.Builder
	for i := range rts {
		for size := 2; size <= 3 && i+size <= len(rts); size++ {
			span := rts[i : i+size]
			ok, lat := true, true
			for k := range span {
				if !mergeable(&span[k]) {
					ok = false
				}
				if !latinish(&span[k]) {
					lat = false
				}
			}
			if !ok {
				break
			}
			b.Reset()
			for k := range span {
				b.WriteString(span[k].text)
			}
			joined := b.String()
			if lat {
				emit("~"+string(variantKey([]rune(joined))), group, kfVariant|kfMerged)
				group++
				continue
			}
			s := span[0].script
			if size > 2 || span[1].script != s || (s != ScriptArabic && s != ScriptHebrew && s != ScriptHangul) {
				break
			}
			if rs := rulesFor(s); rs != nil {
				for _, l := range rs.variants([]rune(joined)) {
					emit("~"+string(variantKey([]rune(l))), group, kfVariant|kfMerged)
				}
			}
			emit(joined, group, kfMerged)
			group++
		}
	}
	for _, r := range rts {
		if r.class != ClassName || r.script != ScriptHangul || utf8.RuneCountInString(r.text) < 2 {
			continue
		}
		for _, syl := range r.text {
			t := rawToken{text: string(syl), class: ClassName, script: ScriptHangul}
			for _, l := range latinReadings(t) {
				emit(l, group, kfSyllable)
				emit("~"+string(variantKey([]rune(l))), group, kfSyllable)
			}
			group++
		}
	}
	return group
}

// appendSkeletons appends the consonant skeletons of a variant key: its
// letters without a, e, i, o, u (y is i in a variant key). For an
// abjad's reading, also without any of its v (و, ו) and its final h
// (ه, ة, ה), which may stand for vowels: at most eight skeletons.
// Skeletons of fewer than two letters are left out.
func appendSkeletons(dst []string, vk []rune, abjad bool) []string {
	var sk []rune
	var optional []int // places in sk that may go
	for _, c := range vk {
		switch c {
		case 'a', 'e', 'i', 'o', 'u':
			continue
		case 'v':
			if abjad && len(optional) < 3 {
				optional = append(optional, len(sk))
			}
		}
		sk = append(sk, c)
	}
	if abjad && len(sk) > 0 && sk[len(sk)-1] == 'h' && len(optional) < 3 {
		optional = append(optional, len(sk)-1)
	}
	for m := 0; m < 1<<len(optional); m++ {
		w := make([]rune, 0, len(sk))
		for p, c := range sk {
			drop := false
			for k, o := range optional {
				if o == p && m&(1<<k) != 0 {
					drop = true
				}
			}
			if !drop {
				w = append(w, c)
			}
		}
		if len(w) >= 2 && !slices.Contains(dst, string(w)) {
			dst = append(dst, string(w))
		}
	}
	return dst
}

// NewIndex builds an index of entities; entities must not change
// afterwards. It uses every processor. Nil entities are kept in place
// with no names.
func NewIndex(entities []*armstrace.Entity, opts IndexOptions) *Index {
	ix := &Index{entities: entities, maxCand: opts.MaxCandidates, keys: map[string]int32{}, ids: map[string][]int32{}}
	if ix.maxCand <= 0 {
		ix.maxCand = DefaultMaxCandidates
	}
	names := 0
	for _, e := range entities {
		if e != nil {
			names += 1 + len(e.Aliases)
		}
	}
	eager := names <= eagerNames
	if eager {
		ix.prepared = make([]*Prepared, len(entities))
	}

	// Workers take blocks of entities and list each entity's keys (and
	// prepare it); the caller takes the blocks in order, so that each
	// posting list is in entity order, and files the keys.
	const blockSize = 2048
	nblocks := (len(entities) + blockSize - 1) / blockSize
	type block struct {
		keys  []string
		flags []keyFlag
		ends  []int32 // per entity, the end of its keys
		ready chan struct{}
	}
	blocks := make([]block, nblocks)
	for b := range blocks {
		blocks[b].ready = make(chan struct{})
	}
	var next atomic.Int64
	workers := max(1, min(runtime.GOMAXPROCS(0), nblocks))
	for range workers {
		go func() {
			type kf struct {
				key string
				f   keyFlag
			}
			var buf []kf
			emit := func(key string, _ int, f keyFlag) { buf = append(buf, kf{key, f}) }
			for {
				b := int(next.Add(1)) - 1
				if b >= nblocks {
					return
				}
				bl := &blocks[b]
				lo, hi := b*blockSize, min(len(entities), (b+1)*blockSize)
				bl.ends = make([]int32, 0, hi-lo)
				for i := lo; i < hi; i++ {
					e := entities[i]
					if e != nil {
						buf = buf[:0]
						nameKeys(e.Name, e.Kind, false, emit)
						for _, a := range e.Aliases {
							nameKeys(a.Value, e.Kind, false, emit)
						}
						slices.SortFunc(buf, func(x, y kf) int { return strings.Compare(x.key, y.key) })
						for j := 0; j < len(buf); {
							// A key some name gives for one word is a
							// word of the vocabulary of variant keys.
							var f keyFlag
							k := j
							for ; k < len(buf) && buf[k].key == buf[j].key; k++ {
								if buf[k].f&kfVariant != 0 && buf[k].f&(kfMerged|kfSyllable) == 0 {
									f = kfVariant
								}
							}
							bl.keys = append(bl.keys, buf[j].key)
							bl.flags = append(bl.flags, f)
							j = k
						}
						if eager {
							ix.prepared[i] = PrepareEntity(e)
						}
					}
					bl.ends = append(bl.ends, int32(len(bl.keys)))
				}
				close(bl.ready)
			}
		}()
	}

	var pairKey, pairEnt []int32
	var vocabFlag []keyFlag // per key: kfVariant set when some name gives it for one word
	for b := range blocks {
		bl := &blocks[b]
		<-bl.ready
		start := int32(0)
		for j, end := range bl.ends {
			ent := int32(b*blockSize + j)
			for k := start; k < end; k++ {
				key := bl.keys[k]
				id, ok := ix.keys[key]
				if !ok {
					id = int32(len(ix.keys))
					ix.keys[key] = id
					vocabFlag = append(vocabFlag, 0)
				}
				vocabFlag[id] |= bl.flags[k]
				pairKey = append(pairKey, id)
				pairEnt = append(pairEnt, ent)
			}
			start = end
		}
		blocks[b] = block{}
	}

	// Postings, by counting sort: each list keeps entity order.
	nk := len(ix.keys)
	ix.off = make([]uint32, nk+1)
	for _, k := range pairKey {
		ix.off[k+1]++
	}
	for k := 1; k <= nk; k++ {
		ix.off[k] += ix.off[k-1]
	}
	ix.post = make([]int32, len(pairKey))
	fill := slices.Clone(ix.off[:nk])
	for i, k := range pairKey {
		ix.post[fill[k]] = pairEnt[i]
		fill[k]++
	}
	pairKey, pairEnt, fill = nil, nil, nil
	n := float64(max(1, len(entities)))
	ix.idf = make([]float32, nk)
	for k := range nk {
		ix.idf[k] = float32(math.Log(1 + n/float64(ix.off[k+1]-ix.off[k])))
	}

	// The vocabulary of one-word variant keys, for look-ups with typos.
	var vocab []int32
	var words []string
	for key, id := range ix.keys {
		if vocabFlag[id] == kfVariant {
			vocab = append(vocab, id)
			words = append(words, key[1:])
		}
	}
	ix.fuzzy.build(vocab, words)

	for i, e := range entities {
		if e == nil {
			continue
		}
		for _, id := range e.Identifiers {
			if k, ok := identifierKey(id); ok {
				if l := ix.ids[k]; len(l) == 0 || l[len(l)-1] != int32(i) {
					ix.ids[k] = append(l, int32(i))
				}
			}
		}
	}
	return ix
}

// getState returns working memory for a query: a free one, or new.
// The free ones are kept (unlike a sync.Pool's, which each collection
// empties): for a list of a million, one is 13 MB.
func (ix *Index) getState() *searchState {
	ix.mu.Lock()
	if n := len(ix.states); n > 0 {
		st := ix.states[n-1]
		ix.states = ix.states[:n-1]
		ix.mu.Unlock()
		return st
	}
	ix.mu.Unlock()
	return &searchState{score: make([]float32, len(ix.entities)), groups: make([]uint64, len(ix.entities)), fcount: make([]uint8, len(ix.fuzzy.key))}
}

// putState gives working memory back, clean.
func (ix *Index) putState(st *searchState) {
	ix.mu.Lock()
	if len(ix.states) < max(4, 2*runtime.GOMAXPROCS(0)) {
		ix.states = append(ix.states, st)
	}
	ix.mu.Unlock()
}

// identifierKey is the key an identifier is filed under: strong, and
// valid for its scheme (with its check digit where it has one).
func identifierKey(id armstrace.Identifier) (string, bool) {
	if !id.Strong() {
		return "", false
	}
	v, ok, _ := NormalizeIdentifier(id)
	if !ok {
		return "", false
	}
	return id.Scheme + "\x00" + v, true
}

// Len returns the number of entities indexed.
func (ix *Index) Len() int { return len(ix.entities) }

// searchState is one query's working memory, pooled: per entity its
// rank and the query groups that credited it, the entities touched.
type searchState struct {
	score    []float32
	groups   []uint64
	touched  []int32
	fcount   []uint8
	ftouched []int32
	entries  []qentry
	looked   []string // variant keys looked up with typos, for the current group
	sc       scratch  // for scoring the candidates
}

type qentry struct {
	key   int32
	group uint8
	sym   bool
	w     float32
}

// Search returns up to limit hits with a score of at least minScore,
// best first, ties by entity id, each with its full explanation (from
// ComparePrepared). With limit zero or less it returns every candidate
// scored that reaches minScore. Hit.Match says whether the score
// reaches opts.Threshold; minScore only decides what is returned.
func (ix *Index) Search(q Subject, limit int, minScore float64, opts Options) []Hit {
	qp := Prepare(q)
	st := ix.getState()
	cands := ix.candidates(q, st)
	type scored struct {
		i int32
		r Result
	}
	var hits []scored
	for _, c := range cands {
		if r := compare(qp, ix.prep(c), opts, false, &st.sc); r.Score >= minScore {
			hits = append(hits, scored{c, r})
		}
	}
	ix.putState(st)
	slices.SortFunc(hits, func(a, b scored) int {
		if c := cmp.Compare(b.r.Score, a.r.Score); c != 0 {
			return c
		}
		return strings.Compare(ix.entities[a.i].ID, ix.entities[b.i].ID)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Hit, len(hits))
	for k, h := range hits {
		out[k] = Hit{Entity: ix.entities[h.i], Result: ComparePrepared(qp, ix.prep(h.i), opts)}
	}
	return out
}

// prep returns entity i prepared.
func (ix *Index) prep(i int32) *Prepared {
	if ix.prepared != nil {
		return ix.prepared[i]
	}
	return PrepareEntity(ix.entities[i])
}

// candidates returns the entities a query scores: those that share a
// strong identifier with it, then up to MaxCandidates ranked by the
// keys they share, best first.
func (ix *Index) candidates(q Subject, st *searchState) []int32 {
	var forced []int32
	for _, id := range q.Identifiers {
		if k, ok := identifierKey(id); ok {
			for _, e := range ix.ids[k] {
				if !slices.Contains(forced, e) {
					forced = append(forced, e)
				}
			}
		}
	}

	// The query's keys, by group; keys met with typos weigh less.
	st.entries = st.entries[:0]
	groups := 0
	var qrunes []rune
	lastGroup := -1
	addNames := func(name string) {
		base := groups
		n := nameKeys(name, q.Kind, true, func(key string, g int, f keyFlag) {
			g += base
			if g >= maxQueryGroups {
				return
			}
			if id, ok := ix.keys[key]; ok {
				w := ix.idf[id]
				if f&kfSkeleton != 0 {
					w *= skeletonWeight
				}
				st.entries = append(st.entries, qentry{key: id, group: uint8(g), sym: f&kfSymbol != 0, w: w})
			}
			if f&kfVariant != 0 {
				if g != lastGroup {
					st.looked, lastGroup = st.looked[:0], g
				}
				if slices.Contains(st.looked, key) {
					return
				}
				st.looked = append(st.looked, key)
				qrunes = append(qrunes[:0], []rune(key[1:])...)
				ix.fuzzy.lookup(qrunes, st, func(id int32, sim float64) {
					st.entries = append(st.entries, qentry{key: id, group: uint8(g), w: ix.idf[id] * float32(sim)})
				})
			}
		})
		groups = min(maxQueryGroups, base+n)
	}
	addNames(q.Name)
	for _, a := range q.Aliases {
		addNames(a.Value)
	}
	entries := st.entries
	slices.SortFunc(entries, func(a, b qentry) int {
		if c := cmp.Compare(b.w, a.w); c != 0 {
			return c
		}
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.group, b.group)
	})
	entries = slices.CompactFunc(entries, func(a, b qentry) bool { return a.key == b.key && a.group == b.group })

	// Rarest keys first: each brings in the entities on its list until
	// the budget is spent; then keys only rank the entities in.
	visited := 0
	credit := func(e int32, bit uint64, w float32) {
		if st.groups[e]&bit == 0 {
			st.groups[e] |= bit
			st.score[e] += w
		}
	}
	for _, x := range entries {
		list := ix.post[ix.off[x.key]:ix.off[x.key+1]]
		bit := uint64(1) << x.group
		if !x.sym && (visited+len(list) <= admitBudget || len(st.touched) == 0) {
			visited += len(list)
			for _, e := range list {
				if st.groups[e] == 0 {
					st.touched = append(st.touched, e)
				}
				credit(e, bit, x.w)
			}
			continue
		}
		if len(st.touched)*8 < len(list) {
			for _, e := range st.touched {
				if st.groups[e]&bit == 0 {
					if _, found := slices.BinarySearch(list, e); found {
						credit(e, bit, x.w)
					}
				}
			}
		} else {
			for _, e := range list {
				if st.groups[e] != 0 {
					credit(e, bit, x.w)
				}
			}
		}
	}

	// The best MaxCandidates, ties by entity order.
	better := func(a, b int32) bool {
		sa, sb := st.score[a], st.score[b]
		return sa > sb || sa == sb && a < b
	}
	top := topK(st.touched, ix.maxCand, better)
	slices.SortFunc(top, func(a, b int32) int {
		if better(a, b) {
			return -1
		}
		return 1
	})
	for _, e := range st.touched {
		st.score[e], st.groups[e] = 0, 0
	}
	st.touched = st.touched[:0]

	out := forced
	for _, e := range top {
		if !slices.Contains(forced, e) {
			out = append(out, e)
		}
	}
	return out
}

// topK returns the k best of xs (in no order) by a strict "better";
// xs is reordered.
func topK(xs []int32, k int, better func(a, b int32) bool) []int32 {
	if len(xs) <= k {
		return slices.Clone(xs)
	}
	// A heap of the k best, worst at the root.
	h := slices.Clone(xs[:k])
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			w := l
			if r := l + 1; r < len(h) && better(h[l], h[r]) {
				w = r
			}
			if !better(h[i], h[w]) {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, x := range xs[k:] {
		if better(x, h[0]) {
			h[0] = x
			down(0)
		}
	}
	return h
}

// fuzzyVocab finds the one-word variant keys within the edits Compare
// allows of a query's: the words of a length within reach that share
// enough of its bigrams, then their edits counted. An insertion,
// deletion or substitution breaks at most two bigrams, a transposition
// three ("afiz", "faiz"): a word within k edits keeps all but 3k of
// the query's distinct bigrams. Entries are filed by bigram (hashed to
// 4,096 buckets) and length.
type fuzzyVocab struct {
	key   []int32  // vocabulary entry → key id
	off   []uint32 // runes of entry i: runes[off[i]:off[i+1]]
	runes []rune
	masks []uint64 // the letters of entry i, each as bit r mod 64
	boff  []uint32 // entries of slot s = bucket × lenSlots + length: bent[boff[s]:boff[s+1]]
	bent  []int32
}

const (
	bigramBits = 12
	lenSlots   = 48 // words of 47 letters and more share the last
)

// bigramBuckets appends the distinct buckets of a word's bigrams, the
// word padded at both ends.
func bigramBuckets(w []rune, dst []uint32) []uint32 {
	prev := rune(1)
	for i := 0; i <= len(w); i++ {
		cur := rune(2)
		if i < len(w) {
			cur = w[i]
		}
		h := (uint32(prev)*0x9E3779B1 + uint32(cur)) * 0x85EBCA6B
		b := h >> (32 - bigramBits)
		if !slices.Contains(dst, b) {
			dst = append(dst, b)
		}
		prev = cur
	}
	return dst
}

// letterMask is the set of a word's letters, r mod 64. An edit takes
// at most one letter out of the set and puts at most one in, so two
// words are at least as many edits apart as either has letters the
// other lacks.
func letterMask(w []rune) uint64 {
	var m uint64
	for _, r := range w {
		m |= 1 << (uint(r) & 63)
	}
	return m
}

func lenSlot(n int) uint32 { return uint32(min(n, lenSlots-1)) }

func (v *fuzzyVocab) build(keys []int32, words []string) {
	// In key order, so that the vocabulary does not depend on map order.
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	v.key = make([]int32, len(keys))
	v.off = make([]uint32, len(keys)+1)
	v.masks = make([]uint64, len(keys))
	for n, i := range order {
		v.key[n] = keys[i]
		v.runes = append(v.runes, []rune(words[i])...)
		v.off[n+1] = uint32(len(v.runes))
		v.masks[n] = letterMask(v.runes[v.off[n]:v.off[n+1]])
	}
	ns := (1 << bigramBits) * lenSlots
	v.boff = make([]uint32, ns+1)
	var bs []uint32
	for i := range v.key {
		w := v.runes[v.off[i]:v.off[i+1]]
		bs = bigramBuckets(w, bs[:0])
		for _, b := range bs {
			v.boff[b*lenSlots+lenSlot(len(w))+1]++
		}
	}
	for s := 1; s <= ns; s++ {
		v.boff[s] += v.boff[s-1]
	}
	v.bent = make([]int32, v.boff[ns])
	fill := slices.Clone(v.boff[:ns])
	for i := range v.key {
		w := v.runes[v.off[i]:v.off[i+1]]
		bs = bigramBuckets(w, bs[:0])
		for _, b := range bs {
			s := b*lenSlots + lenSlot(len(w))
			v.bent[fill[s]] = int32(i)
			fill[s]++
		}
	}
}

// lookup calls found with each vocabulary key within the edits Compare
// allows of w (maxEdits of the longer word) but not equal to it, and
// its similarity as Compare gives two variant keys with edits: 0.95 −
// 1.25 × edits / length. For each length within reach, the words that
// share enough of w's bigram buckets are checked by their edits.
func (v *fuzzyVocab) lookup(w []rune, st *searchState, found func(key int32, sim float64)) {
	L := len(w)
	if len(v.key) == 0 || maxEdits(L+3) == 0 {
		return
	}
	var bbuf [32]uint32
	bs := bigramBuckets(w, bbuf[:0])
	mw := letterMask(w)
	if len(bs) > 255 {
		bs = bs[:255] // counts are bytes; fewer lists only weaken the filter
	}
	for lc := max(1, L-3); lc <= L+3 && lc < lenSlots; lc++ {
		kv := maxEdits(max(L, lc))
		if lc-L > kv || L-lc > kv {
			continue
		}
		need := max(1, len(bs)-3*kv)
		for _, b := range bs {
			s := b*lenSlots + uint32(lc)
			for _, e := range v.bent[v.boff[s]:v.boff[s+1]] {
				if st.fcount[e] == 0 {
					st.ftouched = append(st.ftouched, e)
				}
				st.fcount[e]++
			}
		}
		for _, e := range st.ftouched {
			if int(st.fcount[e]) >= need && bits.OnesCount64(mw&^v.masks[e]) <= kv && bits.OnesCount64(v.masks[e]&^mw) <= kv {
				c := v.runes[v.off[e]:v.off[e+1]]
				if d := damerau(w, c, kv); d > 0 && d <= kv {
					if sim := 0.95 - fuzzyFactor*float64(d)/float64(max(L, len(c))); sim > 0 {
						found(v.key[e], sim)
					}
				}
			}
			st.fcount[e] = 0
		}
		st.ftouched = st.ftouched[:0]
	}
}
