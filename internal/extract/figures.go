package extract

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
)

// qualifiers are the words reports put before a figure, longest first.
const qualifiers = `more than|less than|fewer than|at least|up to|as many as|as much as|close to|in excess of|upwards of|an estimated|nearly|almost|about|around|approximately|roughly|some|over|under|estimated|almost|at most`

// numberWords are the counts reports spell out; a ten may take a unit
// ("twenty-five").
const numberWords = `a dozen|dozens|scores|hundreds|thousands|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-‐–](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen`

// discoveryVerbs say that bodies were found: "18 bodies were recovered".
const discoveryVerbs = `found|recovered|discovered|exhumed|retrieved|unearthed|pulled|dug up`

// tollPast are the verbs by which a death toll goes beyond its figure:
// "the death toll in Syria had passed 100,000" gives a floor.
const tollPast = `passed|exceeded|topped|surpassed|crossed|rose above|risen above|climbed past|climbed above|went past|gone past|went over|gone over`

// tollTail leads from a toll to its figure: up to eight words (its
// place, its cause), then a verb ("in Homs rose to", "has passed").
const tollTail = `(?:\s+[\p{L}’'-]+){0,8}?\s+(?:of|rose to|risen to|has risen to|had risen to|reached|has reached|stands at|stood at|climbed to|has climbed to|jumped to|increased to|` + tollPast + `|is|was)`

var (
	reTollPast = regexp.MustCompile(`(?i)\b(?:` + tollPast + `)$`)
	// reTollHead is the toll itself, after which its place may stand:
	// "death toll", "number of people killed".
	reTollHead = regexp.MustCompile(`(?i)^(?:death toll|number of(?:\s+[\p{L}’'-]+){0,2}?\s+(?:dead|deaths|killed|fatalities))`)
)

var (
	reMoneySymbol = regexp.MustCompile(`(?i)(?:\b(` + qualifiers + `)\s+)?(US\$|\$|€|£|\bUSD\s?|\bEUR\s?|\bGBP\s?|\bRUB\s?)(\d[\d,]*(?:\.\d+)?)(?:\s*(billion|bn|million|mn|m|thousand|trillion)\b)?(\s+worth(?:\s+of)?\b)?`)
	reMoneyWord   = regexp.MustCompile(`(?i)(?:\b(` + qualifiers + `)\s+)?\b(\d[\d,]*(?:\.\d+)?)\s*(billion|million|thousand|bn|mn)?\s+(US dollars|dollars|euros|pounds sterling|pounds|roubles|rubles)\b(\s+worth(?:\s+of)?\b)?`)
	// "over 9,000 Syrians have reportedly been killed": a figure, up to
	// six words of who and how, then the verb. One aside set off by
	// commas may stand between them ("14 people, including six
	// children, were killed"); the rules check what it says.
	reKilledAfter = regexp.MustCompile(`(?i)(?:\b(` + qualifiers + `|between)\s+)?\b(\d[\d,]*|` + numberWords + `)(?:\s+(?:and|to|-|–)\s+(\d[\d,]*))?((?:\s+[\p{L}’']+){0,6}?)(,\s+[^,;:.()]{1,80}?,)?((?:\s+[\p{L}’']+){0,4}?)\s+(killed|dead|died|deaths|murdered|massacred|slain|executed|perished|lost their lives)\b`)
	// "killing at least 40 civilians", "the death toll in Homs rose to
	// 120", "the number of people killed in Syria has passed 300,000",
	// "claimed 25 lives", "the bodies of 18 men".
	reKilledBefore = regexp.MustCompile(`(?i)\b(killing|killed|(?:claimed|claiming|cost|costing|took|taking)(?:\s+the\s+lives\s+of)?|bodies\s+of|death toll(?:` + tollTail + `)?|number of(?:\s+[\p{L}’'-]+){0,2}?\s+(?:dead|deaths|killed|fatalities)` + tollTail + `)\s+(?:(` + qualifiers + `)\s+)?(\d[\d,]*|` + numberWords + `)\b(?:\s+(people|persons|civilians|children|soldiers|fighters|protesters|protestors|demonstrators|villagers|residents|others|men|women|lives))?`)
	// "18 bodies were found", "the bodies were discovered" is no count.
	reBodies    = regexp.MustCompile(`(?i)(?:\b(` + qualifiers + `)\s+)?\b(\d[\d,]*|` + numberWords + `)((?:\s+[\p{L}’'-]+){0,2}?)\s+(?:bodies|corpses)\s+(?:(?:were|was|have been|had been|have|had|are|being)\s+)?(?:[\p{L}]+ly\s+)?(` + discoveryVerbs + `)\b`)
	reDiscovery = regexp.MustCompile(`(?i)^(?:\s+[\p{L}’']+){0,4}?\s+(` + discoveryVerbs + `)\b`)
)

// asideCues open an aside that says who was among the dead ("including
// six children", "most of them women"); a reporting verb ("the monitors
// said") may also close one.
var (
	asideCues     = map[string]bool{"including": true, "among": true, "mostly": true, "most": true, "many": true, "all": true, "some": true, "half": true, "both": true, "mainly": true, "according": true}
	asideClosures = map[string]bool{"said": true, "says": true, "say": true, "reported": true, "reports": true, "claimed": true, "added": true, "estimated": true, "believes": true}
)

// goodAside reports whether an aside between a figure and its verb is
// one the count reads through.
func goodAside(a string) bool {
	w := strings.Fields(strings.Trim(strings.ToLower(a), ", "))
	if len(w) == 0 {
		return false
	}
	for _, x := range w {
		if x == "not" || x == "no" || x == "never" {
			return false
		}
	}
	return asideCues[w[0]] || asideClosures[w[len(w)-1]]
}

// middleWords may stand between a figure and "killed".
var middleWords = map[string]bool{
	"people": true, "persons": true, "civilians": true, "civilian": true, "children": true, "women": true, "men": true, "soldiers": true,
	"fighters": true, "protesters": true, "protestors": true, "demonstrators": true, "villagers": true, "residents": true, "refugees": true,
	"others": true, "other": true, "innocent": true, "unarmed": true, "more": true, "have": true, "has": true, "had": true, "were": true,
	"was": true, "are": true, "is": true, "been": true, "reportedly": true, "allegedly": true, "reported": true, "believed": true,
	"thought": true, "said": true, "to": true, "be": true, "being": true, "now": true, "already": true, "since": true, "who": true,
	"of": true, "them": true, "whom": true, "people’s": true, "feared": true, "confirmed": true, "presumed": true, "later": true,
	"also": true, "found": true, "subsequently": true, "apparently": true, "all": true, "both": true, "shot": true,
	// People as reports count them: "27 worshippers", "12 aid workers".
	"boys": true, "girls": true, "babies": true, "infants": true, "students": true, "pupils": true, "schoolchildren": true,
	"patients": true, "workers": true, "aid": true, "health": true, "medical": true, "farmers": true, "fishermen": true,
	"worshippers": true, "passengers": true, "pilgrims": true, "journalists": true, "doctors": true, "nurses": true, "policemen": true,
	"police": true, "officers": true, "troops": true, "militants": true, "rebels": true, "insurgents": true, "members": true,
	"relatives": true, "detainees": true, "prisoners": true, "migrants": true, "displaced": true, "guests": true, "mourners": true,
	"shoppers": true, "bystanders": true, "victims": true, "individuals": true, "inhabitants": true, "citizens": true, "staff": true,
	"volunteers": true, "peacekeepers": true, "personnel": true, "servicemen": true, "combatants": true, "gunmen": true, "family": true,
	"young": true, "elderly": true, "local": true, "wedding": true, "family’s": true, "teenagers": true, "youths": true, "adults": true,
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
		"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
		"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
	if n, ok := words[w]; ok {
		return n, "", true
	}
	// "twenty-five": a ten and a unit.
	if tens, unit, ok := strings.Cut(strings.NewReplacer("‐", "-", "–", "-").Replace(w), "-"); ok && words[tens] >= 20 && words[unit] > 0 && words[unit] < 10 {
		return words[tens] + words[unit], "", true
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
	taken := func(pos int) bool {
		for _, c := range out {
			if c.start <= pos && pos < c.end {
				return true
			}
		}
		return false
	}
	// A figure the rules reject does not hide a later one: the search
	// goes on after the figure, not after its whole match.
	for _, m := range allMatches(reKilledAfter, seg, 2) {
		numStart := m[4]
		if overlapsAny(avoid, span{start + numStart, start + m[5]}) || taken(start+numStart) {
			continue
		}
		if a := group(m, 5); a != "" && !goodAside(a) {
			continue
		}
		middle := strings.Fields(group(m, 4) + " " + group(m, 6))
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
			trigger: start + m[15], victims: group(m, 4)})
	}
	// "18 bodies were found in Homs": bodies found are people killed.
	for _, m := range allMatches(reBodies, seg, 2) {
		if overlapsAny(avoid, span{start + m[4], start + m[5]}) || taken(start+m[4]) {
			continue
		}
		if strings.Contains(" "+strings.ToLower(group(m, 3))+" ", " not ") {
			continue
		}
		v, wq, ok := parseNumber(group(m, 2))
		if !ok {
			continue
		}
		qual := strings.ToLower(group(m, 1))
		r := rangeFor(joinQual(qual, wq), v, "people")
		if qual == "" && wq != "" {
			r = rangeFor(wq, v, "people")
		}
		out = append(out, casualty{fig: &Figure{Text: strings.Join(strings.Fields(seg[m[0]:m[1]]), " "), Range: r}, start: start + m[0], end: start + m[1],
			trigger: start + m[9]})
	}
	for _, m := range allMatches(reKilledBefore, seg, 3) {
		if overlapsAny(avoid, span{start + m[6], start + m[7]}) || taken(start+m[6]) {
			continue
		}
		v, wq, ok := parseNumber(group(m, 3))
		if !ok {
			continue
		}
		verb := strings.ToLower(strings.Join(strings.Fields(group(m, 1)), " "))
		trigger := start + m[3]
		rest := strings.Fields(seg[m[7]:])
		switch {
		case reTollHead.MatchString(verb):
			// The place may stand between the toll and its figure.
			trigger = start + m[2] + len(reTollHead.FindString(group(m, 1)))
		case strings.HasPrefix(verb, "bodies"):
			// "the bodies of 18 men were found": a count only when found.
			d := reDiscovery.FindStringSubmatchIndex(seg[m[1]:])
			if d == nil {
				continue
			}
			trigger = start + m[1] + d[3]
		case verb != "killing" && verb != "killed":
			// "claimed 25 lives", "cost the lives of 12": not "claimed
			// 25 attacks".
			if !strings.HasSuffix(verb, "lives of") && strings.ToLower(group(m, 4)) != "lives" {
				continue
			}
		default:
			// "killed 40 years ago" is no count of people.
			if group(m, 4) == "" && len(rest) > 0 && !middleWords[strings.ToLower(strings.Trim(rest[0], ".,;"))] && !isCapitalised(rest[0]) && !strings.ContainsAny(rest[0], ".,;") {
				continue
			}
		}
		qual := group(m, 2)
		if qual == "" && reTollPast.MatchString(verb) {
			qual = "more than" // a toll that has passed its figure
		}
		r := rangeFor(joinQual(qual, wq), v, "people")
		out = append(out, casualty{fig: &Figure{Text: strings.Join(strings.Fields(seg[m[0]:m[1]]), " "), Range: r}, start: start + m[0], end: start + m[1],
			trigger: trigger, active: verb == "killing" || verb == "killed", victims: group(m, 4)})
	}
	slices.SortFunc(out, func(a, b casualty) int { return a.start - b.start })
	return out
}

// allMatches returns the submatches of re in seg. After each match it
// looks again just past the given group (the figure), so that a match
// the rules then reject does not hide one that starts inside it.
func allMatches(re *regexp.Regexp, seg string, g int) [][]int {
	var out [][]int
	for pos := 0; pos < len(seg); {
		m := re.FindStringSubmatchIndex(seg[pos:])
		if m == nil {
			break
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += pos
			}
		}
		out = append(out, m)
		next := m[2*g+1]
		if next <= pos {
			next = m[1]
		}
		pos = next
	}
	return out
}

func isCapitalised(w string) bool {
	return w != "" && w[0] >= 'A' && w[0] <= 'Z'
}
