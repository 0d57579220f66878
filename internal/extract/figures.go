package extract

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
)

// qualifiers are the words reports put before a figure, longest first.
const qualifiers = `more than|less than|fewer than|at least|up to|as many as|as much as|close to|in excess of|upwards of|an estimated|nearly|almost|about|around|approximately|roughly|some|over|under|estimated|almost|at most`

const numberWords = `a dozen|dozens|scores|hundreds|thousands|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty`

var (
	reMoneySymbol = regexp.MustCompile(`(?i)(?:\b(` + qualifiers + `)\s+)?(US\$|\$|€|£|\bUSD\s?|\bEUR\s?|\bGBP\s?|\bRUB\s?)(\d[\d,]*(?:\.\d+)?)(?:\s*(billion|bn|million|mn|m|thousand|trillion)\b)?(\s+worth(?:\s+of)?\b)?`)
	reMoneyWord   = regexp.MustCompile(`(?i)(?:\b(` + qualifiers + `)\s+)?\b(\d[\d,]*(?:\.\d+)?)\s*(billion|million|thousand|bn|mn)?\s+(US dollars|dollars|euros|pounds sterling|pounds|roubles|rubles)\b(\s+worth(?:\s+of)?\b)?`)
	// "over 9,000 Syrians have reportedly been killed": a figure, up to
	// six words of who and how, then the verb.
	reKilledAfter = regexp.MustCompile(`(?i)(?:\b(` + qualifiers + `|between)\s+)?\b(\d[\d,]*|` + numberWords + `)(?:\s+(?:and|to|-|–)\s+(\d[\d,]*))?((?:\s+[\p{L}’']+){0,6}?)\s+(killed|dead|died|deaths|murdered|massacred|slain|executed|lost their lives)\b`)
	// "killing at least 40 civilians", "the death toll rose to 120".
	reKilledBefore = regexp.MustCompile(`(?i)\b(killing|killed|death toll(?:\s+(?:of|rose to|reached|stands at|stood at|climbed to|has risen to|is|was))?)\s+(?:(` + qualifiers + `)\s+)?(\d[\d,]*|` + numberWords + `)\b(?:\s+(people|persons|civilians|children|soldiers|fighters|protesters|protestors|demonstrators|villagers|residents|others))?`)
)

// middleWords may stand between a figure and "killed".
var middleWords = map[string]bool{
	"people": true, "persons": true, "civilians": true, "civilian": true, "children": true, "women": true, "men": true, "soldiers": true,
	"fighters": true, "protesters": true, "protestors": true, "demonstrators": true, "villagers": true, "residents": true, "refugees": true,
	"others": true, "other": true, "innocent": true, "unarmed": true, "more": true, "have": true, "has": true, "had": true, "were": true,
	"was": true, "are": true, "is": true, "been": true, "reportedly": true, "allegedly": true, "reported": true, "believed": true,
	"thought": true, "said": true, "to": true, "be": true, "being": true, "now": true, "already": true, "since": true, "who": true,
	"of": true, "them": true, "whom": true, "people’s": true,
}

// hedges are words that mark a figure or a sentence as reported rather
// than established; they are kept with the qualifier.
var hedges = map[string]bool{"reportedly": true, "allegedly": true, "reported": true, "believed": true, "said": true, "thought": true}

func parseNumber(s string) (v float64, qual string, ok bool) {
	w := strings.ToLower(s)
	switch w {
	case "a dozen":
		return 12, "", true
	case "dozens":
		return 24, "dozens", true
	case "scores":
		return 40, "scores", true
	case "hundreds":
		return 200, "hundreds", true
	case "thousands":
		return 2000, "thousands", true
	}
	words := map[string]float64{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
		"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
		"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
	if n, ok := words[w]; ok {
		return n, "", true
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", ""), 64)
	return f, "", err == nil
}

// rangeFor turns a figure and the qualifier the text gives it into a
// range: "over" and "at least" give a floor, "up to" and "under" a
// ceiling, "nearly" and "about" an approximate best figure.
func rangeFor(qual string, v float64, unit string) armstrace.Range {
	r := armstrace.Range{Unit: unit, Qualifier: qual}
	first := strings.TrimSpace(strings.Split(qual, ",")[0])
	switch first {
	case "over", "more than", "at least", "in excess of", "upwards of", "dozens", "scores", "hundreds", "thousands":
		r.Low, r.Approximate = armstrace.Num(v), true
	case "up to", "as many as", "as much as", "under", "less than", "fewer than", "at most":
		r.High, r.Approximate = armstrace.Num(v), true
	case "nearly", "almost", "about", "around", "approximately", "roughly", "some", "close to", "an estimated", "estimated":
		r.Best, r.Approximate = armstrace.Num(v), true
	default:
		r.Best = armstrace.Num(v)
	}
	return r
}

func joinQual(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

var currencies = map[string]string{"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "rub": "RUB",
	"dollars": "USD", "us dollars": "USD", "euros": "EUR", "pounds": "GBP", "pounds sterling": "GBP", "roubles": "RUB", "rubles": "RUB"}

var scales = map[string]float64{"billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "trillion": 1e12}

// money is an amount found in a sentence.
type money struct {
	fig        *Figure
	start, end int
}

// findMoney returns the amounts of money in text[start:end].
func findMoney(text string, start, end int) []money {
	seg := text[start:end]
	var out []money
	var taken []span
	group := func(m []int, i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return seg[m[2*i]:m[2*i+1]]
	}
	for _, m := range reMoneySymbol.FindAllStringSubmatchIndex(seg, -1) {
		v, _, ok := parseNumber(group(m, 3))
		if !ok {
			continue
		}
		if s := scales[strings.ToLower(group(m, 4))]; s > 0 {
			v *= s
		}
		cur := currencies[strings.ToLower(strings.TrimSpace(group(m, 2)))]
		worth := ""
		if group(m, 5) != "" {
			worth = "worth"
		}
		r := rangeFor(joinQual(group(m, 1), worth), v, cur)
		if group(m, 1) == "" && worth != "" {
			r.Approximate = false
		}
		out = append(out, money{&Figure{Text: strings.Join(strings.Fields(seg[m[0]:m[1]]), " "), Range: r}, start + m[0], start + m[1]})
		taken = append(taken, span{m[0], m[1]})
	}
	for _, m := range reMoneyWord.FindAllStringSubmatchIndex(seg, -1) {
		if overlapsAny(taken, span{m[0], m[1]}) {
			continue
		}
		v, _, ok := parseNumber(group(m, 2))
		if !ok {
			continue
		}
		if s := scales[strings.ToLower(group(m, 3))]; s > 0 {
			v *= s
		}
		worth := ""
		if group(m, 5) != "" {
			worth = "worth"
		}
		r := rangeFor(joinQual(group(m, 1), worth), v, currencies[strings.ToLower(group(m, 4))])
		out = append(out, money{&Figure{Text: strings.Join(strings.Fields(seg[m[0]:m[1]]), " "), Range: r}, start + m[0], start + m[1]})
	}
	return out
}

func overlapsAny(ss []span, s span) bool {
	for _, t := range ss {
		if t.overlaps(s) {
			return true
		}
	}
	return false
}

// casualty is a count of people killed found in a sentence.
type casualty struct {
	fig        *Figure
	start, end int
	trigger    int    // document offset just after the verb ("killed")
	active     bool   // "X killed 40": the killer stands before the verb
	victims    string // the words between the figure and the verb, for demonyms
}

// findCasualties returns the counts of people killed in text[start:end].
// A figure negated ("no one", "none") is no figure, and a figure that is
// money, a date or a weapon count is not taken.
func findCasualties(text string, start, end int, avoid []span) []casualty {
	seg := text[start:end]
	var out []casualty
	group := func(m []int, i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return seg[m[2*i]:m[2*i+1]]
	}
	for _, m := range reKilledAfter.FindAllStringSubmatchIndex(seg, -1) {
		numStart := m[4]
		if overlapsAny(avoid, span{start + numStart, start + m[5]}) {
			continue
		}
		middle := strings.Fields(group(m, 4))
		ok := true
		var hedge []string
		for _, w := range middle {
			lw := strings.ToLower(w)
			switch {
			case hedges[lw]:
				hedge = append(hedge, lw)
			case middleWords[lw]:
			case isCapitalised(w): // "Syrians", "Yemenis": the victims' nationality
			default:
				ok = false
			}
			if lw == "not" || lw == "never" {
				ok = false
			}
		}
		if !ok {
			continue
		}
		v, wq, ok := parseNumber(group(m, 2))
		if !ok {
			continue
		}
		qual := strings.ToLower(group(m, 1))
		var r armstrace.Range
		if qual == "between" || group(m, 3) != "" {
			hi, _, _ := parseNumber(group(m, 3))
			r = armstrace.Range{Low: armstrace.Num(v), High: armstrace.Num(hi), Unit: "people", Qualifier: joinQual(qual, strings.Join(hedge, ", ")), Approximate: true}
			if hi < v {
				continue
			}
		} else {
			r = rangeFor(joinQual(qual, wq, strings.Join(hedge, ", ")), v, "people")
			if qual == "" && wq != "" {
				r = rangeFor(joinQual(wq, strings.Join(hedge, ", ")), v, "people")
			}
		}
		figStart := m[0]
		out = append(out, casualty{fig: &Figure{Text: strings.Join(strings.Fields(seg[figStart:m[1]]), " "), Range: r}, start: start + figStart, end: start + m[1],
			trigger: start + m[11], victims: group(m, 4)})
	}
	for _, m := range reKilledBefore.FindAllStringSubmatchIndex(seg, -1) {
		if overlapsAny(avoid, span{start + m[6], start + m[7]}) {
			continue
		}
		dup := false
		for _, c := range out {
			if c.start <= start+m[6] && start+m[6] < c.end {
				dup = true
			}
		}
		if dup {
			continue
		}
		v, wq, ok := parseNumber(group(m, 3))
		if !ok {
			continue
		}
		// "killed 40 years ago" is no count of people.
		rest := strings.Fields(seg[m[7]:])
		if group(m, 4) == "" && len(rest) > 0 && !middleWords[strings.ToLower(strings.Trim(rest[0], ".,;"))] && !isCapitalised(rest[0]) && !strings.ContainsAny(rest[0], ".,;") {
			continue
		}
		r := rangeFor(joinQual(group(m, 2), wq), v, "people")
		verb := strings.ToLower(group(m, 1))
		out = append(out, casualty{fig: &Figure{Text: strings.Join(strings.Fields(seg[m[0]:m[1]]), " "), Range: r}, start: start + m[0], end: start + m[1],
			trigger: start + m[3], active: verb == "killing" || verb == "killed", victims: group(m, 4)})
	}
	return out
}

func isCapitalised(w string) bool {
	return w != "" && w[0] >= 'A' && w[0] <= 'Z'
}
