package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/armstrace/armstrace"
)

// Normalize returns a name as matching reads it, its words joined by one
// space: Unicode NFKC (so that full-width and compatibility forms are
// their plain letters), case-folded, Latin and Greek letters without
// diacritics (é→e, ß→ss, ø→o, ά→α), Arabic and Hebrew vowel marks and the
// Arabic tatweel dropped, apostrophes dropped inside words (O'Brien →
// obrien, Qur'an → quran), and every other punctuation mark or separator
// (spaces, hyphens, dots, commas, quotes "" «» „“, slashes, brackets, &)
// a word break. Digits of any script become ASCII digits. A word that
// mixes Latin and Cyrillic letters that look alike ("POCOБOPOHЭKCПOPT"
// typed with Latin O, C, P, H, K) is read in the script most of its
// letters are in. Cyrillic й and ё keep their marks: they are letters of
// their own.
func Normalize(s string) string {
	return strings.Join(splitWords(s), " ")
}

// splitWords normalises s and cuts it into words.
func splitWords(s string) []string {
	if !isASCII(s) {
		s = norm.NFKC.String(s)
	}
	buf := make([]byte, 0, len(s)+8)
	var bounds []int // end offsets of words in buf
	inWord := false
	end := func() {
		if inWord {
			bounds = append(bounds, len(buf))
			inWord = false
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				buf = append(buf, c)
				inWord = true
			case c >= 'A' && c <= 'Z':
				buf = append(buf, c+'a'-'A')
				inWord = true
			case c == '\'' || c == '`':
				// An apostrophe joins the parts of a word.
			default:
				end()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case isApostrophe(r) || isJoinerOrFiller(r):
			// The tatweel is a letter to Unicode (Lm): tested first.
		case unicode.IsLetter(r):
			r = unicode.ToLower(r)
			if mayFold(r) {
				if f, ok := foldTable[r]; ok {
					buf = append(buf, f...)
					inWord = true
					continue
				}
			}
			buf = utf8.AppendRune(buf, r)
			inWord = true
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			// Marks left after NFKC (Arabic harakat, Hebrew points,
			// stacked Latin diacritics) are dropped.
		case unicode.IsDigit(r):
			buf = append(buf, byte('0'+digitValue(r)))
			inWord = true
		default:
			end()
		}
	}
	end()
	if len(bounds) == 0 {
		return nil
	}
	all := string(buf)
	words := make([]string, len(bounds))
	start := 0
	for k, e := range bounds {
		words[k] = fixHomoglyphs(all[start:e])
		start = e
	}
	return words
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isApostrophe(r rune) bool {
	switch r {
	case '\u2019', '\u2018', '\u02BC', '\u02BB', '\u02B9', '\u00B4', '\u2032', '\u055A', '\u05F3':
		return true
	}
	return false
}

// isJoinerOrFiller reports characters that sit inside words without being
// letters: the Arabic tatweel, zero-width (non-)joiners used in Persian,
// the soft hyphen and the byte-order mark.
func isJoinerOrFiller(r rune) bool {
	switch r {
	case '\u0640', '\u200B', '\u200C', '\u200D', '\u00AD', '\uFEFF', '\u2060':
		return true
	}
	return false
}

// digitValue returns the value of a decimal digit of any script: decimal
// digits come in runs of ten from zero.
func digitValue(r rune) int {
	for k := 0; k < 10; k++ {
		if !unicode.IsDigit(r - rune(k) - 1) {
			return k
		}
	}
	return 0
}

// mayFold reports whether r lies in the blocks foldTable covers.
func mayFold(r rune) bool {
	return r < 0x250 || (r >= 0x370 && r < 0x400) || (r >= 0x1E00 && r < 0x2000)
}

// foldTable maps lower-case Latin and Greek letters with diacritics to
// their base letters, and the Latin letters that do not decompose (ß, æ,
// ø, ł, đ, þ) to their usual ASCII spellings. Built once from the Unicode
// decompositions; read-only afterwards.
var foldTable = buildFoldTable()

func buildFoldTable() map[rune]string {
	t := map[rune]string{
		'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'þ': "th",
		'ł': "l", 'ı': "i", 'ŀ': "l", 'ħ': "h", 'ŧ': "t", 'ŋ': "ng", 'ĸ': "k", 'ſ': "s",
		'ƒ': "f", 'ə': "e", 'ɨ': "i", 'ʉ': "u", 'ɛ': "e", 'ɔ': "o",
		'ς': "σ", // final sigma is sigma
	}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if !unicode.IsLetter(r) || !unicode.IsLower(r) {
				continue
			}
			if _, ok := t[r]; ok {
				continue
			}
			d := []rune(norm.NFD.String(string(r)))
			if len(d) < 2 {
				continue
			}
			base := unicode.ToLower(d[0])
			if base == r || !(unicode.Is(unicode.Latin, base) || unicode.Is(unicode.Greek, base)) {
				continue
			}
			keep := true
			for _, m := range d[1:] {
				if !unicode.Is(unicode.Mn, m) {
					keep = false
				}
			}
			if keep {
				if f, ok := t[base]; ok {
					t[r] = f
				} else {
					t[r] = string(base)
				}
			}
		}
	}
	add(0x00C0, 0x024F) // Latin-1 Supplement, Latin Extended-A and -B
	add(0x1E00, 0x1EFF) // Latin Extended Additional (Vietnamese and more)
	add(0x0370, 0x03FF) // Greek with tonos and dialytika
	add(0x1F00, 0x1FFF) // Greek Extended (polytonic)
	return t
}

// homoglyphs: Latin and Cyrillic lower-case letters that look alike.
var (
	latinToCyrillic = map[rune]rune{'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к', 'm': 'м', 'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у', 'i': 'і'}
	cyrillicToLatin = map[rune]rune{'а': 'a', 'в': 'b', 'с': 'c', 'е': 'e', 'н': 'h', 'к': 'k', 'м': 'm', 'о': 'o', 'р': 'p', 'т': 't', 'х': 'x', 'у': 'y', 'і': 'i', 'ј': 'j', 'ѕ': 's'}
)

// fixHomoglyphs rewrites a word that mixes Latin and Cyrillic letters into
// one script: the one whose look-alikes can stand for every letter of the
// other ("POCOБOPOHЭKCПOPT": Б, Э and П have no Latin look-alike, so the
// word is Cyrillic), or, when both can, the script most letters are in.
func fixHomoglyphs(w string) string {
	if isASCII(w) {
		return w
	}
	lat, cyr := 0, 0
	toCyr, toLat := true, true
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf && r >= 'a' && r <= 'z':
			lat++
			if _, ok := latinToCyrillic[r]; !ok {
				toCyr = false
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
			if _, ok := cyrillicToLatin[r]; !ok {
				toLat = false
			}
		}
	}
	if lat == 0 || cyr == 0 || (!toCyr && !toLat) {
		return w
	}
	table := cyrillicToLatin
	if toCyr && (!toLat || cyr >= lat) {
		table = latinToCyrillic
	}
	var b strings.Builder
	for _, r := range w {
		if m, ok := table[r]; ok {
			r = m
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Class is what a token is to matching.
type Class uint8

const (
	ClassName        Class = iota // a word of the name proper
	ClassNumber                   // digits only: must match exactly
	ClassInitial                  // one letter
	ClassParticle                 // al, bin, de, van
	ClassLegalForm                // OAO, LLC, GmbH, Federal State Unitary Enterprise
	ClassCompanyWord              // Concern, NPO, Plant, Company
	ClassStopword                 // of, the, and
)

var classNames = [...]string{"name", "number", "initial", "particle", "legal-form", "company-word", "stopword"}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// MarshalText writes the class by name, for JSON.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// symbolic reports whether tokens of the class say what kind of body a
// name belongs to rather than which one. Symbolic tokens match only as a
// class and never make a match alone.
func (c Class) symbolic() bool {
	return c == ClassLegalForm || c == ClassCompanyWord || c == ClassStopword
}

// Token weights: how much a token counts in the name score. A legal form
// is often dropped or changed by re-registration; a company word is part
// of the name but says little; a number names one thing among many alike.
var classWeight = [...]float64{
	ClassName:        1.0,
	ClassNumber:      1.0,
	ClassInitial:     0.5,
	ClassParticle:    0.3,
	ClassLegalForm:   0.05,
	ClassCompanyWord: 0.3,
	ClassStopword:    0.05,
}

// Token is one unit of a name: a word, or a phrase of the symbol tables
// ("federal state unitary enterprise" is one legal-form token).
type Token struct {
	Text   string `json:"text"`             // normalised text
	Class  Class  `json:"class"`            // what the token is
	Symbol string `json:"symbol,omitempty"` // the shared class of a legal form or company word, such as legal:jsc
	Script string `json:"script"`           // ISO 15924 code of the token's letters: Latn, Cyrl, Arab, … Zyyy for digits
	// Latin holds the token's Latin readings: the token itself when it is
	// Latin, else one romanisation per scheme (BGN/PCGN, ICAO, GOST, …).
	Latin []string `json:"latin,omitempty"`
}

// phrase is an entry of the symbol tables, as normalised words.
type phrase struct {
	words  []string
	class  Class
	symbol string
}

// phraseTable holds every legal form, company word and stop word by its
// first word, longest phrases first. Built once; read-only afterwards.
var phraseTable = buildPhraseTable()

func buildPhraseTable() map[string][]phrase {
	t := map[string][]phrase{}
	add := func(text string, class Class, symbol string) {
		w := splitWords(text)
		if len(w) == 0 {
			return
		}
		t[w[0]] = append(t[w[0]], phrase{words: w, class: class, symbol: symbol})
	}
	for sym, forms := range legalForms {
		for _, f := range forms {
			add(f, ClassLegalForm, sym)
		}
	}
	for sym, words := range companyWords {
		for _, f := range words {
			add(f, ClassCompanyWord, sym)
		}
	}
	for _, w := range stopWords {
		add(w, ClassStopword, symStop)
	}
	for k, ps := range t {
		// Longest first; ties in a fixed order so that maps do not make
		// results vary from run to run.
		sortPhrases(ps)
		t[k] = ps
	}
	return t
}

func sortPhrases(ps []phrase) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && phraseLess(ps[j], ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func phraseLess(a, b phrase) bool {
	if len(a.words) != len(b.words) {
		return len(a.words) > len(b.words)
	}
	if a.symbol != b.symbol {
		return a.symbol < b.symbol
	}
	return strings.Join(a.words, " ") < strings.Join(b.words, " ")
}

var particleSet = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range particles {
		m[p] = true
	}
	return m
}()

// rawToken is a token before its comparison forms are built.
type rawToken struct {
	text   string
	class  Class
	symbol string
	script Script
}

// tokenize normalises a name and classifies its words. For persons the
// legal-form and company-word tables are not used: "Ao" or "Sa" in a
// person's name is a name.
func tokenize(name string, kind armstrace.EntityKind) []rawToken {
	words := splitWords(name)
	out := make([]rawToken, 0, len(words))
	person := kind == armstrace.EntityPerson
	for i := 0; i < len(words); {
		if ps, ok := phraseTable[words[i]]; ok {
			matched := false
			for _, p := range ps {
				if person && p.class != ClassStopword {
					continue
				}
				if p.class == ClassStopword && len(words) == 1 {
					continue // a name that is only "No" is a name
				}
				if i+len(p.words) > len(words) || !equalWords(words[i:i+len(p.words)], p.words) {
					continue
				}
				out = append(out, rawToken{text: strings.Join(p.words, " "), class: p.class, symbol: p.symbol, script: scriptOf(words[i])})
				i += len(p.words)
				matched = true
				break
			}
			if matched {
				continue
			}
		}
		w := words[i]
		i++
		t := rawToken{text: w, class: ClassName, script: scriptOf(w)}
		switch {
		case allDigits(w):
			t.class, t.script = ClassNumber, ScriptCommon
		case utf8.RuneCountInString(w) == 1 && t.script != ScriptHan && t.script != ScriptHangul && t.script != ScriptOther:
			// A Han character or a Hangul syllable is a word (김 is
			// Kim), not an initial.
			t.class = ClassInitial
		case particleSet[w]:
			t.class = ClassParticle
		}
		out = append(out, t)
	}
	return out
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Tokenize returns the tokens of a name as matching sees them, with their
// classes and Latin readings. kind may be empty; for persons the
// legal-form and company-word tables are not used.
func Tokenize(name string, kind armstrace.EntityKind) []Token {
	raw := tokenize(name, kind)
	out := make([]Token, len(raw))
	for i, r := range raw {
		out[i] = Token{Text: r.text, Class: r.class, Symbol: r.symbol, Script: r.script.String(), Latin: latinReadings(r)}
	}
	return out
}

// latinReadings returns a token's Latin forms: itself when Latin, else its
// romanisation under each scheme of its script, without repeats.
func latinReadings(r rawToken) []string {
	if r.class.symbolic() || r.script == ScriptLatin || r.script == ScriptCommon {
		return []string{r.text}
	}
	rs := rulesFor(r.script)
	if rs == nil {
		return nil
	}
	return rs.variants([]rune(r.text))
}

// Keys returns the keys an index can file a name under and look it up by:
// for each word its Latin readings ("rosoboroneksport", "rosoboronexport"
// for Рособоронэкспорт) and, prefixed with "~", the spelling-variant key
// that makes ks and x, kh and h, doubled and single letters alike
// ("~rosoboroneksport"); numbers as "#11420"; legal forms and company
// words by their class ("legal:jsc"), since any spelling of the class
// matches any other. Initials, particles and stop words give no key. Two
// names that share no key can still match by a typo; an index needs a
// fuzzy look-up (n-grams of these keys) for those.
func Keys(name string, kind armstrace.EntityKind) []string {
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, r := range tokenize(name, kind) {
		switch {
		case r.class == ClassNumber:
			add("#" + r.text)
		case r.class.symbolic():
			if r.class != ClassStopword {
				add(r.symbol)
			}
		case r.class == ClassName:
			for _, l := range latinReadings(r) {
				add(l)
				add("~" + string(variantKey([]rune(l))))
			}
			if r.script != ScriptLatin {
				add(r.text)
			}
		}
	}
	return out
}

// Script is the writing system of a token.
type Script uint8

const (
	ScriptCommon Script = iota // digits
	ScriptLatin
	ScriptCyrillic
	ScriptGreek
	ScriptArmenian
	ScriptGeorgian
	ScriptArabic
	ScriptHebrew
	ScriptHangul
	ScriptHan // Han, Hiragana, Katakana: compared as written only
	ScriptOther
)

var scriptCodes = [...]string{"Zyyy", "Latn", "Cyrl", "Grek", "Armn", "Geor", "Arab", "Hebr", "Hang", "Hani", "Zzzz"}

// String returns the ISO 15924 code.
func (s Script) String() string { return scriptCodes[s] }

// scriptOf returns the script of a word's first letter.
func scriptOf(w string) Script {
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			continue
		case r < 0x250 || (r >= 0x1E00 && r <= 0x1EFF):
			return ScriptLatin
		case unicode.Is(unicode.Cyrillic, r):
			return ScriptCyrillic
		case unicode.Is(unicode.Greek, r):
			return ScriptGreek
		case unicode.Is(unicode.Armenian, r):
			return ScriptArmenian
		case unicode.Is(unicode.Georgian, r):
			return ScriptGeorgian
		case unicode.Is(unicode.Arabic, r):
			return ScriptArabic
		case unicode.Is(unicode.Hebrew, r):
			return ScriptHebrew
		case unicode.Is(unicode.Hangul, r):
			return ScriptHangul
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			return ScriptHan
		case unicode.Is(unicode.Latin, r):
			return ScriptLatin
		default:
			return ScriptOther
		}
	}
	return ScriptCommon
}

// variantKey rewrites a Latin spelling so that the usual spelling variants
// of romanised names meet: x→ks, kh→h, ck→k, ph→f, q→k, w→v, y→i,
// ts/tz/cz→c, shch/sch→sh, tch→ch, dzh→j, ou/oo→u, ee/ie→i, and a doubled
// letter is written once (Hassan/Hasan, Dmitrii/Dmitriy/Dmitry →
// dmitri). Two different spellings with one key are read as one name in
// two romanisations, with a little less than full similarity.
func variantKey(w []rune) []rune {
	out := make([]rune, 0, len(w)+2)
	at := func(i int, s string) bool {
		if i+len(s) > len(w) {
			return false
		}
		for k := 0; k < len(s); k++ {
			if w[i+k] != rune(s[k]) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(w); {
		var rep string
		n := 1
		switch {
		case at(i, "shch"):
			rep, n = "sh", 4
		case at(i, "dzh"):
			rep, n = "j", 3
		case at(i, "sch"):
			rep, n = "sh", 3
		case at(i, "tch"):
			rep, n = "ch", 3
		case at(i, "kh"):
			rep, n = "h", 2
		case at(i, "ck"):
			rep, n = "k", 2
		case at(i, "ph"):
			rep, n = "f", 2
		case at(i, "ts"), at(i, "tz"), at(i, "cz"):
			rep, n = "c", 2
		case at(i, "ou"), at(i, "oo"):
			rep, n = "u", 2
		case at(i, "ee"), at(i, "ie"):
			rep, n = "i", 2
		case w[i] == 'x':
			rep = "ks"
		case w[i] == 'q':
			rep = "k"
		case w[i] == 'w':
			rep = "v"
		case w[i] == 'y':
			rep = "i"
		default:
			rep = string(w[i])
		}
		for _, r := range rep {
			if len(out) > 0 && out[len(out)-1] == r {
				continue // doubled letters are written once
			}
			out = append(out, r)
		}
		i += n
	}
	return out
}
