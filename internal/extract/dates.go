package extract

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
)

const monthNames = `January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec`

var (
	reISODate   = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	reMonthDay  = regexp.MustCompile(`\b(` + monthNames + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)
	reDayMonth  = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(` + monthNames + `)\b\.?(?:,?\s+(\d{4})\b)?`)
	reMonthYear = regexp.MustCompile(`\b(` + monthNames + `)\.?,?\s+(\d{4})\b`)
	reYear      = regexp.MustCompile(`\b(?:(?:in|since|during|until|by|through|throughout|of|from|before|after|early|late|mid)[\s-]+)?((?:19[5-9]|20\d)\d)\b`)
	reMonthOnly = regexp.MustCompile(`\b(?:in|since|during|until|by|early|late|mid|last|this|next)[\s-]+(` + monthNames + `)\b`)
	reRelYMW    = regexp.MustCompile(`(?i)\b(last|this|next|past|earlier this|later this)\s+(year|month|week)\b`)
	reRelDay    = regexp.MustCompile(`(?i)\b(yesterday|today|tomorrow|tonight)\b`)
	reAgo       = regexp.MustCompile(`(?i)\b(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+(day|week|month|year)s?\s+(ago|earlier|before)\b`)
	reWeekday   = regexp.MustCompile(`\b(?:(last|next|this|on)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
	rePublished = regexp.MustCompile(`(?i)\b(?:published|posted|released|dated|updated)(?:\s+on)?:?\s+`)
)

func monthOf(s string) int {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	for i, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(s, m) {
			return i + 1
		}
	}
	return 0
}

var smallNumbers = map[string]int{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

// span is a match found in a sentence, in document offsets.
type span struct{ start, end int }

func (s span) overlaps(o span) bool { return s.start < o.end && o.start < s.end }

// findDates returns the dates of text[start:end], resolved against pub
// (a date at day, month or year precision, or "").
func findDates(text string, start, end int, pub armstrace.Date) []*DateRef {
	seg := text[start:end]
	var out []*DateRef
	var taken []span
	free := func(a, b int) bool {
		for _, t := range taken {
			if t.overlaps(span{a, b}) {
				return false
			}
		}
		return true
	}
	add := func(loc []int, d *DateRef) {
		d.Text = strings.Join(strings.Fields(seg[loc[0]:loc[1]]), " ")
		taken = append(taken, span{loc[0], loc[1]})
		out = append(out, d)
	}
	pubDay, pubOK := parseDay(pub)
	pubYear := 0
	if len(pub) >= 4 {
		pubYear, _ = strconv.Atoi(string(pub[:4]))
	}
	for _, loc := range reISODate.FindAllStringSubmatchIndex(seg, -1) {
		d := armstrace.Date(seg[loc[0]:loc[1]])
		if d.Validate() == nil {
			add(loc, &DateRef{Value: d, Precision: armstrace.PrecisionDay})
		}
	}
	dayDate := func(loc []int, mi, di, yi int) {
		if !free(loc[0], loc[1]) {
			return
		}
		mo := monthOf(seg[loc[mi]:loc[mi+1]])
		day, _ := strconv.Atoi(seg[loc[di]:loc[di+1]])
		d := &DateRef{Precision: armstrace.PrecisionDay}
		year := 0
		switch {
		case loc[yi] >= 0:
			year, _ = strconv.Atoi(seg[loc[yi]:loc[yi+1]])
		case pubOK:
			year, d.Basis = yearOfDay(pubDay, mo, day, tenseBefore(seg[:loc[0]]))
			d.Relative = true
		case pubYear > 0:
			year, d.Relative, d.Basis = pubYear, true, "the year of publication, "+strconv.Itoa(pubYear)
		}
		if year == 0 {
			d.Basis = "no year given and no publication date to take it from"
			add(loc, d)
			return
		}
		v := armstrace.Date(fmt.Sprintf("%04d-%02d-%02d", year, mo, day))
		if v.Validate() != nil {
			return
		}
		d.Value = v
		add(loc, d)
	}
	for _, loc := range reMonthDay.FindAllStringSubmatchIndex(seg, -1) {
		dayDate(loc, 2, 4, 6)
	}
	for _, loc := range reDayMonth.FindAllStringSubmatchIndex(seg, -1) {
		dayDate(loc, 4, 2, 6)
	}
	for _, loc := range reMonthYear.FindAllStringSubmatchIndex(seg, -1) {
		if !free(loc[0], loc[1]) {
			continue
		}
		mo := monthOf(seg[loc[2]:loc[3]])
		add(loc, &DateRef{Value: armstrace.Date(seg[loc[4]:loc[5]] + fmt.Sprintf("-%02d", mo)), Precision: armstrace.PrecisionMonth})
	}
	for _, loc := range reMonthOnly.FindAllStringSubmatchIndex(seg, -1) {
		if !free(loc[2], loc[3]) {
			continue
		}
		d := &DateRef{Precision: armstrace.PrecisionMonth, Relative: true}
		if mo := monthOf(seg[loc[2]:loc[3]]); len(pub) >= 7 {
			pm, _ := strconv.Atoi(string(pub[5:7]))
			y := pubYear
			if mo > pm {
				y-- // a month after publication's is last year's
			}
			d.Value, d.Basis = armstrace.Date(fmt.Sprintf("%04d-%02d", y, mo)), "the latest such month up to publication, "+string(pub)
		} else if pubYear > 0 {
			d.Value, d.Basis = armstrace.Date(fmt.Sprintf("%04d-%02d", pubYear, mo)), "the year of publication, "+strconv.Itoa(pubYear)
		} else {
			d.Basis = "no publication date to take the year from"
		}
		add(loc, d)
	}
	for _, loc := range reRelYMW.FindAllStringSubmatchIndex(seg, -1) {
		if !free(loc[0], loc[1]) {
			continue
		}
		which, unit := strings.ToLower(seg[loc[2]:loc[3]]), strings.ToLower(seg[loc[4]:loc[5]])
		d := &DateRef{Relative: true}
		off := map[string]int{"last": -1, "past": -1, "this": 0, "earlier this": 0, "later this": 0, "next": 1}[which]
		switch {
		case unit == "year" && pubYear > 0:
			d.Value, d.Precision = armstrace.Date(strconv.Itoa(pubYear+off)), armstrace.PrecisionYear
			d.Basis = "the year of publication, " + strconv.Itoa(pubYear)
		case unit == "month" && len(pub) >= 7:
			t, _ := time.Parse("2006-01", string(pub[:7]))
			d.Value, d.Precision = armstrace.Date(t.AddDate(0, off, 0).Format("2006-01")), armstrace.PrecisionMonth
			d.Basis = "the month of publication, " + string(pub[:7])
		case unit == "week" && pubOK:
			monday := pubDay.AddDate(0, 0, -((int(pubDay.Weekday())+6)%7)+7*off)
			d.From, d.To, d.Precision = day(monday), day(monday.AddDate(0, 0, 6)), armstrace.PrecisionWeek
			d.Basis = "the week of publication, " + string(pub)
		default:
			d.Basis = "no publication date precise enough to resolve it"
		}
		add(loc, d)
	}
	for _, loc := range reRelDay.FindAllStringSubmatchIndex(seg, -1) {
		if !free(loc[0], loc[1]) {
			continue
		}
		d := &DateRef{Relative: true, Precision: armstrace.PrecisionDay}
		off := map[string]int{"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[strings.ToLower(seg[loc[2]:loc[3]])]
		if pubOK {
			d.Value, d.Basis = day(pubDay.AddDate(0, 0, off)), "the day of publication, "+string(pub)
		} else {
			d.Basis = "no publication day to resolve it against"
		}
		add(loc, d)
	}
	for _, loc := range reAgo.FindAllStringSubmatchIndex(seg, -1) {
		if !free(loc[0], loc[1]) {
			continue
		}
		n, err := strconv.Atoi(seg[loc[2]:loc[3]])
		if err != nil {
			n = smallNumbers[strings.ToLower(seg[loc[2]:loc[3]])]
		}
		unit := strings.ToLower(seg[loc[4]:loc[5]])
		d := &DateRef{Relative: true}
		switch {
		case unit == "year" && pubYear > 0:
			d.Value, d.Precision, d.Basis = armstrace.Date(strconv.Itoa(pubYear-n)), armstrace.PrecisionYear, "the year of publication, "+strconv.Itoa(pubYear)
		case pubOK && unit == "month":
			d.Value, d.Precision, d.Basis = armstrace.Date(pubDay.AddDate(0, -n, 0).Format("2006-01")), armstrace.PrecisionMonth, "the day of publication, "+string(pub)
		case pubOK:
			days := n
			if unit == "week" {
				days = 7 * n
			}
			d.Value, d.Precision, d.Basis = day(pubDay.AddDate(0, 0, -days)), armstrace.PrecisionDay, "the day of publication, "+string(pub)
			if unit == "week" {
				d.Precision = armstrace.PrecisionWeek
			}
		default:
			d.Basis = "no publication date to resolve it against"
		}
		add(loc, d)
	}
	for _, loc := range reWeekday.FindAllStringSubmatchIndex(seg, -1) {
		if !free(loc[0], loc[1]) {
			continue
		}
		// "Thursday 12 April", "Thursday, April 12": the weekday is part
		// of the date that follows it.
		next := loc[1] + len(seg[loc[1]:]) - len(strings.TrimLeft(seg[loc[1]:], ", "))
		if !free(next, next+1) {
			continue
		}
		d := &DateRef{Relative: true, Precision: armstrace.PrecisionDay}
		want := map[string]time.Weekday{"Sunday": 0, "Monday": 1, "Tuesday": 2, "Wednesday": 3, "Thursday": 4, "Friday": 5, "Saturday": 6}[seg[loc[4]:loc[5]]]
		which := ""
		if loc[2] >= 0 {
			which = strings.ToLower(seg[loc[2]:loc[3]])
		}
		if !pubOK {
			d.Basis = "no publication day to resolve it against"
			add(loc, d)
			continue
		}
		back := (int(pubDay.Weekday()) - int(want) + 7) % 7
		switch which {
		case "next":
			fwd := (int(want) - int(pubDay.Weekday()) + 7) % 7
			if fwd == 0 {
				fwd = 7
			}
			d.Value, d.Basis = day(pubDay.AddDate(0, 0, fwd)), "the next "+seg[loc[4]:loc[5]]+" after publication, "+string(pub)
		case "last":
			if back == 0 {
				back = 7
			}
			fallthrough
		default:
			if which == "" || which == "on" {
				if tenseBefore(seg[:loc[0]]) == tenseAhead {
					// "the truce will begin on Thursday": the coming one.
					fwd := (int(want) - int(pubDay.Weekday()) + 7) % 7
					d.Value, d.Basis = day(pubDay.AddDate(0, 0, fwd)), "the first "+seg[loc[4]:loc[5]]+" from publication on, "+string(pub)
					break
				}
			}
			// News reports name the weekdays of the past week.
			d.Value, d.Basis = day(pubDay.AddDate(0, 0, -back)), "the last "+seg[loc[4]:loc[5]]+" up to publication, "+string(pub)
		}
		add(loc, d)
	}
	for _, loc := range reYear.FindAllStringSubmatchIndex(seg, -1) {
		if !free(loc[2], loc[3]) || isFigureYear(seg, loc[3]) {
			continue
		}
		add(loc, &DateRef{Value: armstrace.Date(seg[loc[2]:loc[3]]), Precision: armstrace.PrecisionYear})
	}
	// Keep the dates in the order of the text, with their positions.
	for i := range out {
		out[i].start, out[i].end = start+taken[i].start, start+taken[i].end
	}
	sortDates(out)
	return out
}

// tense is what the words before a date say of its time: ahead of the
// report ("is to take effect on"), behind it ("was agreed on"), or not.
type tense int

const (
	tenseNone tense = iota
	tenseAhead
	tenseBehind
)

// tenseBefore reads back over the last ten words before a date for the
// nearest auxiliary that places it in time: "will", "would", "shall",
// "is to", "is due to" look ahead; "was", "were", "had", "did", "was
// due to" look back.
func tenseBefore(before string) tense {
	w := strings.Fields(strings.ToLower(before))
	for i, n := len(w)-1, 0; i >= 0 && n < 10; i, n = i-1, n+1 {
		word := strings.Trim(w[i], ".,;:“”\"'’")
		prev := ""
		if i > 0 {
			prev = strings.Trim(w[i-1], ".,;:“”\"'’")
		}
		next := ""
		if i+1 < len(w) {
			next = strings.Trim(w[i+1], ".,;:“”\"'’")
		}
		switch word {
		case "will", "shall", "would", "tomorrow", "upcoming":
			return tenseAhead
		case "due", "set", "scheduled", "expected", "planned":
			if prev == "was" || prev == "were" || prev == "had" {
				return tenseBehind
			}
			if prev == "is" || prev == "are" || prev == "be" || prev == "been" {
				return tenseAhead
			}
		case "is", "are":
			if next == "to" {
				return tenseAhead
			}
		case "was", "were", "had", "did", "ago", "yesterday":
			return tenseBehind
		}
	}
	return tenseNone
}

// yearOfDay gives a day and month without a year the year that fits the
// day of publication: the first such day from publication on for a time
// ahead, the last up to publication for a time behind, else the nearest.
func yearOfDay(pub time.Time, mo, dd int, t tense) (int, string) {
	at := func(y int) time.Time { return time.Date(y, time.Month(mo), dd, 0, 0, 0, 0, time.UTC) }
	y := pub.Year()
	switch t {
	case tenseAhead:
		if at(y).Before(pub) {
			y++
		}
		return y, "the first such day from publication on, " + string(day(pub))
	case tenseBehind:
		if at(y).After(pub) {
			y--
		}
		return y, "the last such day up to publication, " + string(day(pub))
	}
	for _, c := range []int{y - 1, y + 1} {
		if absDur(at(c).Sub(pub)) < absDur(at(y).Sub(pub)) {
			y = c
		}
	}
	return y, "the nearest such day to publication, " + string(day(pub))
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func sortDates(ds []*DateRef) {
	slices.SortStableFunc(ds, func(a, b *DateRef) int { return a.start - b.start })
}

// isFigureYear reports whether a four-digit number is a count rather than
// a year: "2000 people", "1990 rounds".
func isFigureYear(seg string, end int) bool {
	rest := strings.Fields(seg[end:])
	if len(rest) == 0 {
		return false
	}
	switch strings.Trim(strings.ToLower(rest[0]), ".,;:") {
	case "people", "civilians", "soldiers", "fighters", "rounds", "units", "troops", "children", "rifles", "missiles", "tanks", "dead", "killed", "deaths":
		return true
	}
	return false
}

func parseDay(d armstrace.Date) (time.Time, bool) {
	if !d.IsDay() {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", string(d))
	return t, err == nil
}

func day(t time.Time) armstrace.Date { return armstrace.Date(t.Format("2006-01-02")) }

// PublishedIn looks for a publication line in a report's text
// ("Published on April 12, 2012", "Posted: 12 April 2012") and returns
// its date at day precision, or "".
func PublishedIn(text string) armstrace.Date {
	for _, loc := range rePublished.FindAllStringIndex(text, -1) {
		rest := text[loc[1]:min(len(text), loc[1]+40)]
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[:nl]
		}
		for _, d := range findDates(rest, 0, len(rest), "") {
			if d.Value.IsDay() && !d.Relative && d.start == 0 {
				return d.Value
			}
		}
	}
	return ""
}
