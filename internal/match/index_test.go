package match

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
	"github.com/armstrace/armstrace/internal/ingest/ofac"
)

// The OFAC SDN list of January 2019, read once through the project's
// importer, and its index.
var (
	ofacOnce     sync.Once
	ofacEntities []*armstrace.Entity
	ofacErr      error
)

// loadOFAC returns the entities of the 2019 SDN list, or skips the test
// when the shared data is absent.
func loadOFAC(t testing.TB) []*armstrace.Entity {
	t.Helper()
	path := ingesttest.Shared(t, "matching/ofac/sdn_2019_sdn.csv")
	ofacOnce.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			ofacErr = err
			return
		}
		defer f.Close()
		rdr, _, err := ofac.Format.Open(f, &ingest.Env{Source: "src:test", File: path, States: ingest.MustLoadStates()})
		if err != nil {
			ofacErr = err
			return
		}
		rows, bad := ingesttest.ReadAll(t, rdr)
		if len(bad) > 0 {
			ofacErr = fmt.Errorf("%d bad rows, first %v", len(bad), bad[0])
			return
		}
		ofacEntities = ingesttest.Records[*armstrace.Entity](rows)
	})
	if ofacErr != nil {
		t.Fatal(ofacErr)
	}
	return ofacEntities
}

var (
	ofacIndexOnce sync.Once
	ofacIndex     *Index
)

func loadOFACIndex(t testing.TB) *Index {
	t.Helper()
	es := loadOFAC(t)
	ofacIndexOnce.Do(func() { ofacIndex = NewIndex(es, IndexOptions{}) })
	return ofacIndex
}

func names(e *armstrace.Entity) []string {
	out := []string{e.Name}
	for _, a := range e.Aliases {
		out = append(out, a.Value)
	}
	return out
}

// TestIndexOFACRosoboronexport screens the OFAC 2019 list for spellings
// of Rosoboronexport, and for the INN under another name: each must
// rank entity 18782 first, as a match, explaining which of its names
// was met; Rosatom and Rosneft must match nothing.
func TestIndexOFACRosoboronexport(t *testing.T) {
	ix := loadOFACIndex(t)
	inn := []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}}
	cases := []struct {
		q     Subject
		alias string // the name to be met, when one is certain
	}{
		{q: Subject{Name: "Rosobornexport"}, alias: "ROSOBORONEXPORT"},
		{q: Subject{Name: "ROSOBORONEXPORT OAO"}, alias: "ROSOBORONEXPORT JSC"},
		{q: Subject{Name: "FSUE Rosoboronexport"}},
		{q: Subject{Name: "Federal State Unitary Enterprise Rosoboronexport"}},
		{q: Subject{Name: "Рособоронэкспорт"}, alias: "ROSOBORONEXPORT"},
		{q: Subject{Name: "Rosoboron Export"}, alias: "ROSOBORONEXPORT"},
		{q: Subject{Name: "Unknown Arms Trader", Identifiers: inn}},
	}
	for _, c := range cases {
		t.Run(c.q.Name, func(t *testing.T) {
			hits := ix.Search(c.q, 5, 0.5, Options{})
			if len(hits) == 0 {
				t.Fatal("no hits")
			}
			h := hits[0]
			ex := h.Explanation
			t.Logf("%s: %s", h.Entity.ID, ex.Summary)
			if h.Entity.ID != "ofac:18782" || !h.Match {
				t.Fatalf("first hit %s (match %v)", h.Entity.ID, h.Match)
			}
			ns := names(h.Entity)
			if ex.CandidateName < 0 || ex.CandidateName >= len(ns) || ns[ex.CandidateName] != ex.Candidate {
				t.Errorf("explanation names %q (name %d), not a name of the entity %v", ex.Candidate, ex.CandidateName, ns)
			}
			if !strings.Contains(ex.Summary, `"`+ex.Candidate+`"`) {
				t.Errorf("summary does not name the alias met %q: %s", ex.Candidate, ex.Summary)
			}
			if c.alias != "" && ex.Candidate != c.alias {
				t.Errorf("met %q, want %q", ex.Candidate, c.alias)
			}
			if len(c.q.Identifiers) > 0 {
				ok := false
				for _, e := range ex.Identifiers {
					ok = ok || e.Scheme == "ru-inn" && e.Outcome == "match"
				}
				if !ok || h.Band != BandSure {
					t.Errorf("the INN should make it sure: %+v", ex.Identifiers)
				}
			}
			for _, o := range hits[1:] {
				if o.Score > h.Score {
					t.Errorf("hits out of order: %v after %v", o.Score, h.Score)
				}
			}
		})
	}
	for _, q := range []string{"Rosatom", "Rosneft Oil Company"} {
		t.Run(q, func(t *testing.T) {
			for _, h := range ix.Search(Subject{Name: q}, 10, 0, Options{}) {
				if h.Match {
					t.Errorf("%s matches %s: %s", q, h.Entity.ID, h.Explanation.Summary)
				}
			}
		})
	}
}

func ent(id, name string, kind armstrace.EntityKind, aliases ...string) *armstrace.Entity {
	e := &armstrace.Entity{ID: id, Name: name, Kind: kind}
	for _, a := range aliases {
		e.Aliases = append(e.Aliases, armstrace.Name{Value: a, Kind: armstrace.NameAlias})
	}
	return e
}

func smallIndex() (*Index, []*armstrace.Entity) {
	es := []*armstrace.Entity{
		rosoboronexport(),
		ent("x:rostec", "Rostec", armstrace.EntityCompany, "Ростех", "State Corporation Rostekh"),
		ent("x:split", "Almaz Antey", armstrace.EntityCompany),
		ent("x:kbp", "KBP Instrument Design Bureau", armstrace.EntityCompany),
		ent("x:b", "Acme Trading LLC", armstrace.EntityCompany),
		ent("x:a", "Acme Trading LLC", armstrace.EntityCompany),
		nil,
		ent("x:assad", "Bashar al-Assad", armstrace.EntityPerson, "بشار الأسد"),
		ent("x:ogrn-only", "Zzyzx Holdings", armstrace.EntityCompany),
		ent("x:musavi", "MUSAVI, Hossein", armstrace.EntityPerson),
		ent("x:ra", "RA, Kyong-Su", armstrace.EntityPerson),
	}
	es[8].Identifiers = []armstrace.Identifier{{Scheme: "ru-ogrn", Value: "1027700132195"}}
	return NewIndex(es, IndexOptions{MaxCandidates: 3}), es
}

func TestIndexSmall(t *testing.T) {
	ix, es := smallIndex()
	if ix.Len() != len(es) {
		t.Fatalf("Len %d, want %d", ix.Len(), len(es))
	}
	first := func(q Subject) Hit {
		t.Helper()
		hits := ix.Search(q, 1, 0, Options{})
		if len(hits) == 0 {
			t.Fatalf("%q: no hits", q.Name)
		}
		return hits[0]
	}
	// Words written together meet words written apart, both ways.
	if h := first(Subject{Name: "Almazantey"}); h.Entity.ID != "x:split" || !h.Match {
		t.Errorf("Almazantey: %s %v", h.Entity.ID, h.Score)
	}
	if h := first(Subject{Name: "Rosoboron Export"}); h.Entity.ID != "ofac:18782" || !h.Match {
		t.Errorf("Rosoboron Export: %s %v", h.Entity.ID, h.Score)
	}
	// Typos, and Cyrillic.
	if h := first(Subject{Name: "Rostex"}); h.Entity.ID != "x:rostec" {
		t.Errorf("Rostex: %s %v", h.Entity.ID, h.Score)
	}
	if h := first(Subject{Name: "Ростек"}); h.Entity.ID != "x:rostec" {
		t.Errorf("Ростек: %s %v", h.Entity.ID, h.Score)
	}
	if h := first(Subject{Name: "Bashar Assad", Kind: armstrace.EntityPerson}); h.Entity.ID != "x:assad" || !h.Match {
		t.Errorf("Bashar Assad: %s %v", h.Entity.ID, h.Score)
	}
	// Persian against Latin: the readings of حسین lack vowels ("hsyn"),
	// the skeletons meet. Hangul against Latin written apart: by
	// syllables.
	if h := first(Subject{Name: "حسین موسوی", Kind: armstrace.EntityPerson}); h.Entity.ID != "x:musavi" || !h.Match {
		t.Errorf("حسین موسوی: %s %v", h.Entity.ID, h.Score)
	}
	if h := first(Subject{Name: "라경수", Kind: armstrace.EntityPerson}); h.Entity.ID != "x:ra" {
		t.Errorf("라경수: %s %v", h.Entity.ID, h.Score)
	}
	if h := first(Subject{Name: "경수", Kind: armstrace.EntityPerson}); h.Entity.ID != "x:ra" {
		t.Errorf("경수: %s %v", h.Entity.ID, h.Score)
	}
	// An identifier brings its entity in whatever the name.
	h := first(Subject{Name: "Nothing Alike", Identifiers: []armstrace.Identifier{{Scheme: "ru-ogrn", Value: "1027700132195"}}})
	if h.Entity.ID != "x:ogrn-only" || h.Band != BandSure {
		t.Errorf("OGRN: %s %v", h.Entity.ID, h.Score)
	}
	// An invalid identifier does not.
	if hits := ix.Search(Subject{Name: "Nothing Alike", Identifiers: []armstrace.Identifier{{Scheme: "ru-ogrn", Value: "1027700132196"}}}, 0, 0, Options{}); len(hits) != 0 {
		t.Errorf("invalid OGRN: %v", hits[0].Entity.ID)
	}
	// Ties by id; limit; minScore.
	hits := ix.Search(Subject{Name: "Acme Trading"}, 0, 0.7, Options{})
	if len(hits) != 2 || hits[0].Entity.ID != "x:a" || hits[1].Entity.ID != "x:b" || hits[0].Score != hits[1].Score {
		t.Errorf("ties: %v", hitIDs(hits))
	}
	if hits := ix.Search(Subject{Name: "Acme Trading"}, 1, 0.7, Options{}); len(hits) != 1 {
		t.Errorf("limit 1: %d hits", len(hits))
	}
	if hits := ix.Search(Subject{Name: "Acme Trading"}, 0, 1.01, Options{}); len(hits) != 0 {
		t.Errorf("minScore above 1: %d hits", len(hits))
	}
	for _, h := range ix.Search(Subject{Name: "Acme Trading"}, 0, 0, Options{}) {
		if h.Explanation.Summary == "" {
			t.Errorf("%s: no explanation", h.Entity.ID)
		}
	}
	// Legal forms alone bring nothing in.
	if hits := ix.Search(Subject{Name: "LLC"}, 0, 0, Options{}); len(hits) != 0 {
		t.Errorf("LLC: %v", hitIDs(hits))
	}
	if hits := ix.Search(Subject{}, 0, 0, Options{}); len(hits) != 0 {
		t.Errorf("empty query: %v", hitIDs(hits))
	}
	if hits := NewIndex(nil, IndexOptions{}).Search(Subject{Name: "Rostec"}, 0, 0, Options{}); len(hits) != 0 {
		t.Errorf("empty index: %v", hitIDs(hits))
	}
}

func hitIDs(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s %.4f", h.Entity.ID, h.Score))
	}
	return out
}

// TestIndexKeysAreKeys checks that the index files each name under the
// keys Keys gives (and more: words written together).
func TestIndexKeysAreKeys(t *testing.T) {
	for _, n := range []string{"ROSOBORONEKSPORT OAO", "Рособоронэкспорт", "Bashar al-Assad", "بشار الأسد", "11420 CORP", "Kim Jong Un", "김정은", "Mi-17 Plant No. 9"} {
		var got []string
		nameKeys(n, "", false, func(k string, _ int, f keyFlag) {
			if f&(kfMerged|kfSkeleton|kfSyllable) == 0 {
				got = append(got, k)
			}
		})
		want := Keys(n, "")
		slices.Sort(got)
		got = slices.Compact(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: index keys %v, Keys %v", n, got, want)
		}
	}
}

// TestIndexConcurrent searches one index from many goroutines at once
// (run with -race): every result must equal the one-at-a-time result.
func TestIndexConcurrent(t *testing.T) {
	ix, _ := smallIndex()
	queries := []Subject{
		{Name: "Rosobornexport"}, {Name: "Рособоронэкспорт"}, {Name: "Almaz-Antey"}, {Name: "Rostex"},
		{Name: "Acme Trading"}, {Name: "بشار الأسد"}, {Name: "x", Identifiers: []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}}},
	}
	if !testing.Short() {
		if es := loadOFACOrNil(t); es != nil {
			ix = loadOFACIndex(t)
		}
	}
	want := make([][]string, len(queries))
	for i, q := range queries {
		want[i] = hitIDs(ix.Search(q, 5, 0.3, Options{}))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 50 {
				i := (g + k) % len(queries)
				if got := hitIDs(ix.Search(queries[i], 5, 0.3, Options{})); !slices.Equal(got, want[i]) {
					t.Errorf("%q: %v, alone %v", queries[i].Name, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

// loadOFACOrNil returns the OFAC entities when the shared data is there.
func loadOFACOrNil(t *testing.T) []*armstrace.Entity {
	if _, err := os.Stat(sharedData + "/ofac/sdn_2019_sdn.csv"); err != nil {
		return nil
	}
	return loadOFAC(t)
}

func BenchmarkIndexBuildOFAC(b *testing.B) {
	es := loadOFAC(b)
	for b.Loop() {
		NewIndex(es, IndexOptions{})
	}
}

func BenchmarkIndexSearchOFAC(b *testing.B) {
	ix := loadOFACIndex(b)
	qs := []string{"Rosobornexport", "Рособоронэкспорт", "Bashar al-Assad", "Mohammed Ali", "Kalashnikov Concern", "Acme Trading LLC"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ix.Search(Subject{Name: qs[i%len(qs)]}, 10, 0.7, Options{})
	}
}
