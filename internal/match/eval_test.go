package match

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/armstrace/armstrace"
)

// The evaluation harness of the index: candidate recall, false
// positives, speed and memory on the shared screening fixtures and the
// OFAC list, precision and recall on hand-labelled pairs, and the
// build of a generated list of a million entities. Figures are logged
// (go test -v -run 'Eval' ./internal/match); the project's targets are
// asserted where stated. The heavy parts skip under -short.

// screeningIndex is the OFAC 2019 list plus the 683 untreated UN
// positives as entities "pos:<row>" (row 1 is the first data row), and
// where each positive sits in it.
type screeningIndex struct {
	ix        *Index
	entities  []*armstrace.Entity
	posAt     []int32 // row-1 → entity index
	untreated []string
	treated   []string
	build     time.Duration
	heap      uint64 // HeapAlloc growth over the build
}

var (
	evalOnce sync.Once
	evalIx   *screeningIndex
)

func loadScreeningIndex(t *testing.T) *screeningIndex {
	t.Helper()
	es := loadOFAC(t)
	untreated := readNames(t, "positives_un_untreated.csv")
	treated := readNames(t, "positives_un_treated.csv")
	if len(untreated) != len(treated) {
		t.Fatalf("%d untreated, %d treated", len(untreated), len(treated))
	}
	evalOnce.Do(func() {
		s := &screeningIndex{untreated: untreated, treated: treated}
		s.entities = slices.Clone(es)
		for i, n := range untreated {
			s.posAt = append(s.posAt, int32(len(s.entities)))
			s.entities = append(s.entities, &armstrace.Entity{ID: "pos:" + strconv.Itoa(i+1), Kind: armstrace.EntityPerson, Name: n})
		}
		before := heapAlloc()
		start := time.Now()
		s.ix = NewIndex(s.entities, IndexOptions{})
		s.build = time.Since(start)
		s.heap = heapAlloc() - before
		runtime.KeepAlive(s.ix)
		evalIx = s
	})
	return evalIx
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestEvalCandidateRecall: is the right "pos:<row>" among the
// candidates scored, and among the hits at the default threshold, for
// each untreated and treated query? Target: candidate recall ≥ 0.99.
func TestEvalCandidateRecall(t *testing.T) {
	s := loadScreeningIndex(t)
	t.Logf("index: %d entities (OFAC 2019 SDN %d + %d UN positives), built in %v, heap %.1f MB",
		len(s.entities), len(s.entities)-len(s.posAt), len(s.posAt), s.build.Round(time.Millisecond), float64(s.heap)/1e6)
	for _, set := range []struct {
		name    string
		queries []string
	}{{"untreated", s.untreated}, {"treated", s.treated}} {
		st := s.ix.getState()
		inCands, inHits, firstHit := 0, 0, 0
		for row, q := range set.queries {
			want := s.posAt[row]
			subj := Subject{Name: q, Kind: armstrace.EntityPerson}
			if slices.Contains(s.ix.candidates(subj, st), want) {
				inCands++
			} else {
				t.Logf("%s row %d: %q not among the candidates of %q", set.name, row+1, s.untreated[row], q)
			}
			hits := s.ix.Search(subj, 0, DefaultThreshold, Options{})
			for k, h := range hits {
				if h.Entity == s.entities[want] {
					inHits++
					if k == 0 || hits[0].Score == h.Score {
						firstHit++
					}
				}
			}
		}
		s.ix.putState(st)
		n := len(set.queries)
		t.Logf("%s (%d queries): candidate recall %.4f (%d); recall at ≥%.2f %.4f (%d); ranked first (ties included) %d",
			set.name, n, float64(inCands)/float64(n), inCands, DefaultThreshold, float64(inHits)/float64(n), inHits, firstHit)
		if float64(inCands)/float64(n) < 0.99 {
			t.Errorf("%s: candidate recall %.4f below the 0.99 target", set.name, float64(inCands)/float64(n))
		}
	}
}

// TestEvalAgainstExhaustive compares the index with scoring every
// entity: for a sample of queries (treated UN positives and synthetic
// negatives), every entity the exhaustive scan finds at or above the
// default threshold should be among the index's hits. The index files
// no key for initials, so a match made of initials alone ("Amalie
// Schmidt" and "MUJEL, A.S.": a ~ amalie, s ~ schmidt) is reported
// apart; all the others must be found.
func TestEvalAgainstExhaustive(t *testing.T) {
	if testing.Short() {
		t.Skip("long: each query against every entity")
	}
	s := loadScreeningIndex(t)
	var queries []string
	queries = append(queries, s.treated[:200]...)
	queries = append(queries, readNames(t, "negatives_global.csv")[:300]...)
	queries = append(queries, readNames(t, "negatives_us.csv")[:300]...)
	prepared := make([]*Prepared, len(s.entities))
	for i, e := range s.entities {
		prepared[i] = PrepareEntity(e)
	}
	var exhaustive, found, initials atomic.Int64
	var mu sync.Mutex
	var missed []string
	parallel(len(queries), func(i int) {
		q := Subject{Name: queries[i], Kind: armstrace.EntityPerson}
		qp := Prepare(q)
		hits := s.ix.Search(q, 0, DefaultThreshold, Options{})
		for k, c := range prepared {
			if r := ScorePrepared(qp, c, Options{}); r.Score >= DefaultThreshold {
				exhaustive.Add(1)
				if slices.ContainsFunc(hits, func(h Hit) bool { return h.Entity == s.entities[k] }) {
					found.Add(1)
					continue
				}
				r = ComparePrepared(qp, c, Options{})
				onlyInitials := true
				for _, a := range r.Explanation.Alignment {
					if a.Kind != AlignUnmatchedQuery && a.Kind != AlignUnmatchedCandidate && a.Symbol != "initial" {
						onlyInitials = false
					}
				}
				if onlyInitials {
					initials.Add(1)
				}
				mu.Lock()
				missed = append(missed, fmt.Sprintf("(initials only: %v) %s: %s", onlyInitials, s.entities[k].ID, r.Explanation.Summary))
				mu.Unlock()
			}
		}
	})
	slices.Sort(missed)
	for _, m := range missed[:min(len(missed), 20)] {
		t.Logf("  not found by the index: %s", m)
	}
	n, f, in := exhaustive.Load(), found.Load(), initials.Load()
	t.Logf("%d queries × %d entities: the exhaustive scan finds %d (query, entity) pairs at ≥%.2f; the index finds %d (%.4f); of the %d it misses, %d match by initials alone; without those, it finds %.4f",
		len(queries), len(s.entities), n, DefaultThreshold, f, float64(f)/float64(max(1, n)), n-f, in, float64(f)/float64(max(1, n-in)))
	if f+in < n {
		t.Errorf("the index misses %d matches of the exhaustive scan that are not made of initials alone", n-f-in)
	}
}

// sweep are the thresholds the false-positive test reports at.
var sweep = []float64{0.70, 0.75, 0.80, 0.85, 0.90, 0.95}

// TestEvalFalsePositives screens the 100,000 synthetic persons of the
// negative fixtures (on no list) against the same index: the share with
// any hit over the default threshold. Target: below 0.5%, for queries
// that say they are persons; queries without a kind are reported too.
// It also reports both rates at higher thresholds, beside the share of
// the treated UN positives still found at each.
func TestEvalFalsePositives(t *testing.T) {
	if testing.Short() {
		t.Skip("long: 100,000 queries")
	}
	s := loadScreeningIndex(t)
	for _, kind := range []armstrace.EntityKind{armstrace.EntityPerson, ""} {
		// The treated positives: the score of the right listing.
		found := make([]int, len(sweep))
		for row, q := range s.treated {
			for _, h := range s.ix.Search(Subject{Name: q, Kind: kind}, 0, sweep[0], Options{}) {
				if h.Entity == s.entities[s.posAt[row]] {
					for k, th := range sweep {
						if h.Score >= th {
							found[k]++
						}
					}
				}
			}
		}
		var line strings.Builder
		for k, th := range sweep {
			fmt.Fprintf(&line, " ≥%.2f %.2f%%;", th, 100*float64(found[k])/float64(len(s.treated)))
		}
		t.Logf("query kind %q: treated UN positives found at:%s", kind, line.String())

		for _, file := range []string{"negatives_global.csv", "negatives_us.csv"} {
			t.Run(fmt.Sprintf("%s/kind=%s", file, kind), func(t *testing.T) {
				queries := readNames(t, file)
				top := make([]float64, len(queries))
				summaries := make([]string, len(queries))
				var pos atomic.Int64
				start := time.Now()
				parallel(len(queries), func(i int) {
					hits := s.ix.Search(Subject{Name: queries[i], Kind: kind}, 1, sweep[0], Options{})
					if len(hits) > 0 {
						top[i], summaries[i] = hits[0].Score, hits[0].Explanation.Summary
						if strings.HasPrefix(hits[0].Entity.ID, "pos:") {
							pos.Add(1)
						}
					}
				})
				wall := time.Since(start)
				// The highest-scoring of them, to show what they are.
				order := make([]int, 0, len(top))
				for i, sc := range top {
					if sc > 0 {
						order = append(order, i)
					}
				}
				slices.SortFunc(order, func(a, b int) int {
					if c := cmp.Compare(top[b], top[a]); c != 0 {
						return c
					}
					return strings.Compare(summaries[a], summaries[b])
				})
				for _, i := range order[:min(len(order), 12)] {
					t.Logf("  %s", summaries[i])
				}
				n := len(queries)
				line.Reset()
				matched := 0
				for k, th := range sweep {
					c := 0
					for _, sc := range top {
						if sc >= th {
							c++
						}
					}
					if k == 0 {
						matched = c
					}
					fmt.Fprintf(&line, " ≥%.2f %d (%.3f%%);", th, c, 100*float64(c)/float64(n))
				}
				rate := float64(matched) / float64(n)
				t.Logf("%s, query kind %q: %d queries in %v (%.0f/s); with a match (top hit) at%s %d of the matches at ≥%.2f against the UN positives",
					file, kind, n, wall.Round(time.Millisecond), float64(n)/wall.Seconds(), line.String(), pos.Load(), sweep[0])
				// The project's target: under 0.5% at the default
				// threshold, for queries that say they are persons.
				if kind != "" && rate >= 0.005 {
					t.Errorf("false-positive rate %.3f%% at the default threshold: the target is under 0.5%%", 100*rate)
				}
			})
		}
	}
}

// parallel calls f(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// TestEvalSpeed measures queries per second (single names, in
// parallel on GOMAXPROCS goroutines), their latency, the cost of one
// scored pair, the build and the memory of the screening index.
func TestEvalSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	s := loadScreeningIndex(t)
	queries := slices.Clone(s.treated)
	queries = append(queries, s.untreated...)
	neg := readNames(t, "negatives_global.csv")
	queries = append(queries, neg[:5000]...)
	neg = readNames(t, "negatives_us.csv")
	queries = append(queries, neg[:5000]...)
	queries = append(queries, "Rosobornexport", "Рособоронэкспорт", "Rosoboron Export", "Kalashnikov Concern", "Bashar al-Assad", "بشار الأسد")

	// Build, again, timed alone.
	var builds []time.Duration
	for range 3 {
		start := time.Now()
		NewIndex(s.entities, IndexOptions{})
		builds = append(builds, time.Since(start))
	}
	slices.Sort(builds)
	ofacOnly := loadOFAC(t)
	start := time.Now()
	NewIndex(ofacOnly, IndexOptions{})
	ofacBuild := time.Since(start)
	t.Logf("build: OFAC + positives (%d entities) %v (best of 3), OFAC alone (%d entities) %v, on %d processors; heap after build %.1f MB",
		len(s.entities), builds[0].Round(time.Millisecond), len(ofacOnly), ofacBuild.Round(time.Millisecond), runtime.GOMAXPROCS(0), float64(s.heap)/1e6)
	// Speed targets live in benchmarks (BenchmarkIndexBuild), not in a
	// test that would fail on a slow machine: this only reports.

	lat := make([]time.Duration, len(queries))
	start = time.Now()
	parallel(len(queries), func(i int) {
		t0 := time.Now()
		s.ix.Search(Subject{Name: queries[i]}, 10, DefaultThreshold, Options{})
		lat[i] = time.Since(t0)
	})
	wall := time.Since(start)
	slices.Sort(lat)
	t.Logf("search: %d single-name queries on %d goroutines: %.0f queries/s; latency p50 %v, p90 %v, p99 %v, max %v",
		len(queries), runtime.GOMAXPROCS(0), float64(len(queries))/wall.Seconds(),
		lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*9/10].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond))

	// One scored pair, and the share of a query spent on finding the
	// candidates.
	st := s.ix.getState()
	var pairs int
	var tCand, tScore time.Duration
	for _, q := range queries[:2000] {
		subj := Subject{Name: q}
		t0 := time.Now()
		qp := Prepare(subj)
		cands := slices.Clone(s.ix.candidates(subj, st))
		t1 := time.Now()
		for _, c := range cands {
			ScorePrepared(qp, s.ix.prep(c), Options{})
		}
		tScore += time.Since(t1)
		tCand += t1.Sub(t0)
		pairs += len(cands)
	}
	s.ix.putState(st)
	t.Logf("per query (one goroutine, 2,000 queries): %.1f candidates scored, %.0f µs preparing the query and finding them, %.0f µs scoring; %.2f µs per scored pair",
		float64(pairs)/2000, float64(tCand.Microseconds())/2000, float64(tScore.Microseconds())/2000, float64(tScore.Nanoseconds())/1e3/float64(pairs))
}

// TestEvalPairs computes precision, recall and F1 at the default
// threshold on the hand-labelled pairs of testdata/pairs.csv with
// Compare. Target: F1 ≥ 0.90.
func TestEvalPairs(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "pairs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := strings.Join(recs[0], ","); h != "name1,name2,schema,label" {
		t.Fatalf("header %q", h)
	}
	kinds := map[string]armstrace.EntityKind{"Person": armstrace.EntityPerson, "Company": armstrace.EntityCompany, "Organization": armstrace.EntityAgency}
	var tp, fp, fn, tn int
	var nl [4]int // the same counts for pairs with a name outside the Latin script
	nonLatin := func(s string) bool {
		for _, r := range s {
			if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
				return true
			}
		}
		return false
	}
	for line, rec := range recs[1:] {
		kind, ok := kinds[rec[2]]
		if !ok {
			t.Fatalf("line %d: schema %q", line+2, rec[2])
		}
		same := rec[3] == "1"
		if !same && rec[3] != "0" {
			t.Fatalf("line %d: label %q", line+2, rec[3])
		}
		res := Compare(Subject{Name: rec[0], Kind: kind}, Subject{Name: rec[1], Kind: kind}, Options{})
		cell := 3
		switch {
		case same && res.Match:
			tp++
			cell = 0
		case same:
			fn++
			cell = 2
			t.Logf("missed (line %d): %s", line+2, res.Explanation.Summary)
		case res.Match:
			fp++
			cell = 1
			t.Logf("false match (line %d): %s", line+2, res.Explanation.Summary)
		default:
			tn++
		}
		if nonLatin(rec[0]) || nonLatin(rec[1]) {
			nl[cell]++
		}
	}
	np := float64(nl[0]) / float64(max(1, nl[0]+nl[1]))
	nr := float64(nl[0]) / float64(max(1, nl[0]+nl[2]))
	nf1 := 2 * np * nr / max(1e-9, np+nr)
	t.Logf("pairs with a non-Latin name: %d (%d same, %d different): TP %d, FP %d, FN %d, TN %d; precision %.3f, recall %.3f, F1 %.3f",
		nl[0]+nl[1]+nl[2]+nl[3], nl[0]+nl[2], nl[1]+nl[3], nl[0], nl[1], nl[2], nl[3], np, nr, nf1)
	// The target for non-Latin pairs is F1 ≥ 0.90 too: 0.914 measured on
	// 79 pairs (16 of different entities, 12 of them hard negatives in
	// Cyrillic and Arabic: relatives, sister companies, shared words).
	if nf1 < 0.90 {
		t.Errorf("F1 %.3f on the pairs with a non-Latin name: the target is 0.90", nf1)
	}
	p := float64(tp) / float64(max(1, tp+fp))
	rc := float64(tp) / float64(max(1, tp+fn))
	f1 := 2 * p * rc / max(1e-9, p+rc)
	t.Logf("pairs: %d (%d same, %d different): TP %d, FP %d, FN %d, TN %d; precision %.3f, recall %.3f, F1 %.3f at threshold %.2f",
		tp+fp+fn+tn, tp+fn, fp+tn, tp, fp, fn, tn, p, rc, f1, DefaultThreshold)
	// The project's target is F1 ≥ 0.90: 0.908 measured (0.891 when
	// this file was labelled; the misses left are translations, acronyms
	// and former names the matcher cannot know). This floor catches
	// regressions.
	if f1 < 0.905 {
		t.Errorf("F1 %.3f: worse than the 0.905 regression floor (target 0.90)", f1)
	}
}

// TestEvalScale builds an index of a generated list of 1,000,000
// entities (generateEntities): the target is under 60 s and 3 GB. It
// then times queries (a generated name with a typo) on it.
func TestEvalScale(t *testing.T) {
	if testing.Short() {
		t.Skip("long: a million entities")
	}
	const n = 1_000_000
	before := heapAlloc()
	es := generateEntities(n, 1)
	input := heapAlloc() - before
	start := time.Now()
	ix := NewIndex(es, IndexOptions{})
	build := time.Since(start)
	after := heapAlloc()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	names := 0
	for _, e := range es {
		names += 1 + len(e.Aliases)
	}
	t.Logf("generated list: %d entities, %d names (%.0f MB as entities); build %v on %d processors; index heap %.0f MB (HeapAlloc after build %.0f MB, Sys %.0f MB); %d keys, %d postings, %d variant keys for typos",
		n, names, float64(input)/1e6, build.Round(time.Millisecond), runtime.GOMAXPROCS(0), float64(after-before-input)/1e6, float64(after)/1e6, float64(m.Sys)/1e6,
		len(ix.keys), len(ix.post), len(ix.fuzzy.key))
	// The targets (under 60 s and 3 GB) are reported, not asserted: a
	// timed test would fail on a slow machine.

	// Queries: generated entities' names with a typo, and names of no
	// entity.
	rng := rand.New(rand.NewPCG(7, 7))
	var queries []string
	for range 2000 {
		e := es[rng.IntN(n)]
		queries = append(queries, typo(rng, e.Name))
	}
	lat := make([]time.Duration, len(queries))
	found := atomic.Int64{}
	start = time.Now()
	parallel(len(queries), func(i int) {
		t0 := time.Now()
		hits := ix.Search(Subject{Name: queries[i]}, 10, DefaultThreshold, Options{})
		lat[i] = time.Since(t0)
		if len(hits) > 0 {
			found.Add(1)
		}
	})
	wall := time.Since(start)
	slices.Sort(lat)
	t.Logf("search on the million (candidates prepared per query): %d queries with a typo, %d with a hit ≥ %.2f; %.0f queries/s; p50 %v, p99 %v",
		len(queries), found.Load(), DefaultThreshold, float64(len(queries))/wall.Seconds(), lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond))
	runtime.KeepAlive(ix)
}

// typo changes one letter of the longest word of a name.
func typo(rng *rand.Rand, name string) string {
	w := strings.Fields(name)
	long := 0
	for i := range w {
		if len([]rune(w[i])) > len([]rune(w[long])) {
			long = i
		}
	}
	r := []rune(w[long])
	if len(r) >= 5 {
		p := 1 + rng.IntN(len(r)-2)
		switch rng.IntN(3) {
		case 0:
			r = slices.Delete(r, p, p+1)
		case 1:
			r[p], r[p+1] = r[p+1], r[p]
		default:
			r[p] = 'a' + rune(rng.IntN(26))
		}
	}
	w[long] = string(r)
	return strings.Join(w, " ")
}

// Syllables of the generated names, with their Cyrillic spelling.
var genSyllables = [][2]string{
	{"ka", "ка"}, {"ro", "ро"}, {"mi", "ми"}, {"sa", "са"}, {"to", "то"}, {"ne", "не"}, {"li", "ли"}, {"va", "ва"},
	{"do", "до"}, {"re", "ре"}, {"shi", "ши"}, {"ta", "та"}, {"no", "но"}, {"ra", "ра"}, {"ve", "ве"}, {"lo", "ло"},
	{"ma", "ма"}, {"ki", "ки"}, {"zu", "зу"}, {"bo", "бо"}, {"de", "де"}, {"ga", "га"}, {"ni", "ни"}, {"po", "по"},
	{"su", "су"}, {"te", "те"}, {"vo", "во"}, {"ya", "я"}, {"kha", "ха"}, {"fe", "фе"}, {"gu", "гу"}, {"la", "ла"},
	{"mo", "мо"}, {"nu", "ну"}, {"pe", "пе"}, {"ri", "ри"}, {"so", "со"}, {"tu", "ту"}, {"vi", "ви"}, {"za", "за"},
	{"bar", "бар"}, {"den", "ден"}, {"gor", "гор"}, {"kov", "ков"}, {"len", "лен"}, {"mar", "мар"}, {"nov", "нов"}, {"pol", "пол"},
	{"ran", "ран"}, {"sen", "сен"}, {"tor", "тор"}, {"vin", "вин"}, {"zan", "зан"}, {"chek", "чек"}, {"shen", "шен"}, {"dor", "дор"},
}

var genLegal = []string{"LLC", "Ltd", "JSC", "OOO", "GmbH", "Corp", "Inc", "SA", "Trading Co", "Holding", "Group", "Plant", "Industries"}

// genWord returns word i of a generated vocabulary: two to four
// syllables, in Latin and in Cyrillic.
func genWord(i uint64, salt uint64) (string, string) {
	r := rand.New(rand.NewPCG(i, salt))
	k := 2 + r.IntN(3)
	var lat, cyr strings.Builder
	for range k {
		s := genSyllables[r.IntN(len(genSyllables))]
		lat.WriteString(s[0])
		cyr.WriteString(s[1])
	}
	l, c := lat.String(), cyr.String()
	return strings.ToUpper(l[:1]) + l[1:], strings.ToUpper(c[:2]) + c[2:]
}

// generateEntities makes n entities, the same for the same seed: three
// in five persons (one or two given names out of 4,000, a surname out
// of 400,000, drawn with a Zipf law), the others companies (one to
// three words out of 100,000 and a legal form); words are two to four
// syllables of 56. One in eight has an alias in Cyrillic, one in eight
// of those with three words or more an alias with the first word
// dropped and the next two swapped; one in ten has an INN with its
// check digit.
func generateEntities(n int, seed uint64) []*armstrace.Entity {
	rng := rand.New(rand.NewPCG(seed, 1))
	given := rand.NewZipf(rng, 1.1, 4, 4000-1)
	surname := rand.NewZipf(rng, 1.05, 8, 400_000-1)
	word := rand.NewZipf(rng, 1.05, 8, 100_000-1)
	es := make([]*armstrace.Entity, n)
	for i := range es {
		e := &armstrace.Entity{ID: "gen:" + strconv.Itoa(i)}
		var lat, cyr []string
		if rng.IntN(5) < 3 {
			e.Kind = armstrace.EntityPerson
			for range 1 + rng.IntN(2) {
				l, c := genWord(given.Uint64(), 1)
				lat, cyr = append(lat, l), append(cyr, c)
			}
			l, c := genWord(surname.Uint64(), 2)
			lat, cyr = append(lat, l), append(cyr, c)
		} else {
			e.Kind = armstrace.EntityCompany
			for range 1 + rng.IntN(3) {
				l, c := genWord(word.Uint64(), 3)
				lat, cyr = append(lat, l), append(cyr, c)
			}
			legal := genLegal[rng.IntN(len(genLegal))]
			lat = append(lat, legal)
		}
		e.Name = strings.Join(lat, " ")
		switch rng.IntN(8) {
		case 0:
			e.Aliases = append(e.Aliases, armstrace.Name{Value: strings.Join(cyr, " "), Kind: armstrace.NameAlias})
		case 1:
			if len(lat) > 2 {
				alias := slices.Clone(lat)
				alias[0], alias[1] = alias[1], alias[0]
				e.Aliases = append(e.Aliases, armstrace.Name{Value: strings.Join(alias[1:], " "), Kind: armstrace.NameAlias})
			}
		}
		if rng.IntN(10) == 0 {
			e.Identifiers = append(e.Identifiers, armstrace.Identifier{Scheme: "ru-inn", Value: genINN(rng)})
		}
		es[i] = e
	}
	return es
}

// genINN returns a random ten-digit INN with its check digit.
func genINN(rng *rand.Rand) string {
	d := fmt.Sprintf("%09d", rng.IntN(1_000_000_000))
	return d + string(innCheck(d, []int{2, 4, 10, 3, 5, 9, 4, 6, 8}))
}

func BenchmarkIndexBuildGenerated100k(b *testing.B) {
	es := generateEntities(100_000, 1)
	for b.Loop() {
		NewIndex(es, IndexOptions{})
	}
}
