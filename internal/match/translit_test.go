package match

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sharedData is where the project's shared datasets sit beside it.
var sharedData = filepath.Join("..", "..", "..", "shared", "data", "matching")

func latticeOf(t *testing.T, word string) *lattice {
	t.Helper()
	w := splitWords(word)
	if len(w) != 1 {
		t.Fatalf("%q is %d words", word, len(w))
	}
	rs := rulesFor(scriptOf(w[0]))
	if rs == nil {
		t.Fatalf("no rules for %q", word)
	}
	return newLattice(rs, []rune(w[0]))
}

func TestRosoboronexportReachesBothRomanisations(t *testing.T) {
	v := cyrillic.variants([]rune("рособоронэкспорт"))
	for _, want := range []string{"rosoboroneksport", "rosoboronexport"} {
		if !slices.Contains(v, want) {
			t.Errorf("variants %v lack %s", v, want)
		}
	}
	l := latticeOf(t, "Рособоронэкспорт")
	for _, c := range []struct{ latin, scheme string }{
		{"rosoboroneksport", "bgn-pcgn"},
		{"rosoboronexport", "popular"},
	} {
		r := l.read([]rune(c.latin), nil)
		if r.cost != 0 || r.spelling != c.latin || r.schemes != c.scheme {
			t.Errorf("%s: got %+v, want cost 0 and scheme %s", c.latin, r, c.scheme)
		}
	}
	if r := l.read([]rune("rosobornexport"), nil); r.cost != 1 {
		t.Errorf("typo: %+v", r)
	}
}

func TestTransliterationExamples(t *testing.T) {
	cases := []struct {
		native, latin, scheme string
	}{
		// Cyrillic: the brief's alternatives, each reached.
		{"Хрущёв", "khrushchev", "bgn-pcgn"},
		{"Хрущёв", "khrushchyov", ""},
		{"Хрущёв", "hruschev", "popular"},
		{"Хрущёв", "xrushhyov", "gost-7.79-b"},
		{"Цой", "tsoy", "bgn-pcgn"},
		{"Цой", "tsoi", ""},
		{"Цой", "coj", "gost-7.79-b"},
		{"Жуков", "zhukov", "bgn-pcgn"},
		{"Жуков", "jukov", "popular"},
		{"Дмитрий", "dmitriy", "bgn-pcgn"},
		{"Дмитрий", "dmitrii", "icao-9303"},
		{"Дмитрий", "dmitry", "popular"},
		{"Александр", "alexandr", "popular"},
		{"Ельцин", "yeltsin", "bgn-pcgn"},
		{"Ельцин", "eltsin", "icao-9303"},
		{"Объединение", "obedinenie", "gost-7.79-b"},
		{"Объединение", "obyedineniye", "bgn-pcgn"},
		{"Шойгу", "shoigu", ""},
		{"Шойгу", "shoygu", "bgn-pcgn"},
		{"Олег", "oleh", "ukrainian-2010"},
		// Greek, ELOT 743.
		{"Νικόλαος", "nikolaos", "elot-743"},
		{"Αθήνα", "athina", "elot-743"},
		{"Παπαδόπουλος", "papadopoulos", "elot-743"},
		{"Ευάγγελος", "evangelos", "elot-743"},
		// Armenian, BGN/PCGN.
		{"Երևան", "yerevan", "bgn-pcgn-hy"},
		{"Հայաստան", "hayastan", "bgn-pcgn-hy"},
		{"Սարգսյան", "sargsyan", "bgn-pcgn-hy"},
		// Georgian, national 2002.
		{"თბილისი", "tbilisi", "georgian-2002"},
		{"შევარდნაძე", "shevardnadze", "georgian-2002"},
		// Arabic and Hebrew rules.
		{"محمد", "mohamed", "arabic-rules"},
		{"محمد", "muhammad", "arabic-rules"},
		{"حسن", "hassan", "arabic-rules"},
		{"خالد", "khaled", "arabic-rules"},
		{"משה", "moshe", "hebrew-rules"},
		{"דוד", "david", "hebrew-rules"},
		// Hangul.
		{"김정은", "kimjongun", ""},
		{"서울", "seoul", "revised-romanization"},
	}
	for _, c := range cases {
		r := latticeOf(t, c.native).read([]rune(c.latin), nil)
		if r.cost != 0 {
			t.Errorf("%s → %s: %d edits (nearest %s)", c.native, c.latin, r.cost, r.spelling)
			continue
		}
		if c.scheme != "" && r.schemes != c.scheme {
			t.Errorf("%s → %s: scheme %s, want %s", c.native, c.latin, r.schemes, c.scheme)
		}
		t.Logf("%s → %s (%s) %v", c.native, c.latin, r.schemes, r.rules)
	}
}

// translitRow is a row of the Wikidata transliteration test splits.
type translitRow struct {
	latin  []rune
	native []rune
	count  int
}

func readTranslit(t *testing.T, name string) []translitRow {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, "transliteration", name))
	if err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	defer f.Close()
	var rows []translitRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 2 {
			continue
		}
		lat := strings.Join(splitWords(p[0]), "")
		nat := strings.Join(splitWords(strings.ReplaceAll(p[1], " ", "")), "")
		if lat == "" || nat == "" {
			continue
		}
		n := 1
		if len(p) > 2 {
			fmt.Sscan(p[2], &n)
		}
		rows = append(rows, translitRow{latin: []rune(lat), native: []rune(nat), count: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// translitRates measures how often the Latin token of a row is reached by
// the rules of its script: exactly, within one edit, within two; by the
// lattice (any mix of the rules) and by the fixed per-scheme variants.
// The same is measured against the Latin token of another row of the same
// length (half the file away) to show how often the rules reach a wrong
// name.
type translitRates struct {
	rows, skipped                int
	lat                          [3]int // exact, ≤1, ≤2
	variants                     [3]int
	wrong                        [3]int
	accepted, wrongAccepted      int // what compareUnits would accept
	exactWeighted, totalWeighted int
}

func measure(rows []translitRow, script Script) translitRates {
	rs := rulesFor(script)
	var m translitRates
	var dp []int32
	for i, r := range rows {
		if scriptOf(string(r.native)) != script {
			m.skipped++
			continue
		}
		m.rows++
		m.totalWeighted += r.count
		l := newLattice(rs, r.native)
		var d int
		d, dp = l.distance(r.latin, dp)
		for k := 0; k < 3; k++ {
			if d <= k {
				m.lat[k]++
			}
		}
		if d == 0 {
			m.exactWeighted += r.count
		}
		if d <= rs.maxEdits(len(r.latin)) {
			m.accepted++
		}
		best := 3
		for _, v := range rs.variants(r.native) {
			best = min(best, damerau([]rune(v), r.latin, 2))
		}
		for k := 0; k < 3; k++ {
			if best <= k {
				m.variants[k]++
			}
		}
		// The wrong name: the next row, from half the file away, whose
		// Latin token has the same length (a harder test than any row).
		other := rows[(i+len(rows)/2)%len(rows)].latin
		for k := 0; k < 2000; k++ {
			o := rows[(i+len(rows)/2+k)%len(rows)].latin
			if len(o) == len(r.latin) && !slices.Equal(o, r.latin) {
				other = o
				break
			}
		}
		var dw int
		dw, dp = l.distance(other, dp)
		for k := 0; k < 3; k++ {
			if dw <= k {
				m.wrong[k]++
			}
		}
		if dw <= rs.maxEdits(len(other)) {
			m.wrongAccepted++
		}
	}
	return m
}

func pct(n, d int) string { return fmt.Sprintf("%5.1f%%", 100*float64(n)/float64(max(d, 1))) }

func TestTransliterationAccuracy(t *testing.T) {
	for _, c := range []struct {
		file   string
		script Script
		// Floors that keep the rules from getting worse unnoticed.
		minExact, minWithin2 float64
		maxWrongAccepted     float64
	}{
		{"wd_russian_20.tsv", ScriptCyrillic, 0.50, 0.85, 0.005},
		{"wd_arabic_20.tsv", ScriptArabic, 0.70, 0.90, 0.005},
	} {
		rows := readTranslit(t, c.file)
		m := measure(rows, c.script)
		t.Logf("%s: %d rows of %s (%d in other scripts skipped)", c.file, m.rows, c.script, m.skipped)
		t.Logf("  lattice (any mix of rules):   exact %s  ≤1 edit %s  ≤2 edits %s  (exact, weighted by count: %s)",
			pct(m.lat[0], m.rows), pct(m.lat[1], m.rows), pct(m.lat[2], m.rows), pct(m.exactWeighted, m.totalWeighted))
		t.Logf("  fixed scheme variants only:   exact %s  ≤1 edit %s  ≤2 edits %s  (for Arabic: the vowelless skeleton)",
			pct(m.variants[0], m.rows), pct(m.variants[1], m.rows), pct(m.variants[2], m.rows))
		t.Logf("  wrong name of the same length: exact %s (%d)  ≤1 edit %s  ≤2 edits %s",
			pct(m.wrong[0], m.rows), m.wrong[0], pct(m.wrong[1], m.rows), pct(m.wrong[2], m.rows))
		t.Logf("  accepted by Compare's edit allowance: right name %s (%d), wrong name %s (%d)",
			pct(m.accepted, m.rows), m.accepted, pct(m.wrongAccepted, m.rows), m.wrongAccepted)
		if r := float64(m.lat[0]) / float64(m.rows); r < c.minExact {
			t.Errorf("exact rate %.3f below %.2f", r, c.minExact)
		}
		if r := float64(m.lat[2]) / float64(m.rows); r < c.minWithin2 {
			t.Errorf("≤2 rate %.3f below %.2f", r, c.minWithin2)
		}
		if r := float64(m.wrongAccepted) / float64(m.rows); r > c.maxWrongAccepted {
			t.Errorf("wrong names accepted %.3f above %.2f", r, c.maxWrongAccepted)
		}
	}
}

func TestRomanize(t *testing.T) {
	for in, want := range map[string]string{
		"Рособоронэкспорт":     "rosoboroneksport",
		"ОАО Рособоронэкспорт": "oao rosoboroneksport",
		"Rosoboronexport":      "",
		"Калашников Concern":   "kalashnikov concern",
	} {
		if got := Romanize(in); got != want {
			t.Errorf("Romanize(%q) = %q, want %q", in, got, want)
		}
	}
}
