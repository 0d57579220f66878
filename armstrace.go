// Package armstrace holds the domain of armstrace: the evidence graph of
// entities, events, ceasefires and sources joined by claims, each claim
// with its citations, status and confidence. It imports only the standard
// library; storage, importers, matching and the web live under internal/.
package armstrace

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Version is set at build time with -ldflags "-X github.com/armstrace/armstrace.Version=…".
var Version = "dev"

// ID rules: short, printable, no spaces, so that ids survive shells, URLs
// and CSV cells: a letter or digit, then letters, digits and ._:/@+-, at
// most 128 characters. A prefix such as "ent:" or "ucdp-ged:" is customary.
// ValidID reports whether id follows the id rule, so that importers can
// blame a bad native id on its column.
func ValidID(id string) bool {
	n := 0
	for i, r := range id {
		n++
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
		case unicode.IsLetter(r) || unicode.IsNumber(r):
		case i > 0 && strings.ContainsRune("._:/@+-", r):
		default:
			return false
		}
	}
	return n > 0 && n <= 128
}

func validateID(field, id string) error {
	if id == "" {
		return invalid(field, "required")
	}
	if !ValidID(id) {
		return invalid(field, "%q is not a valid id (letters, digits and ._:/@+- only, at most 128 characters, no spaces)", id)
	}
	return nil
}

// Date is a calendar date in ISO 8601 form, at the precision the source
// gives: "2011", "2011-05" or "2011-05-26". A source that says "in 2011"
// must not become 1 January 2011.
type Date string

var datePattern = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// Validate reports whether d is empty or a valid partial ISO date.
func (d Date) Validate() error {
	if d == "" {
		return nil
	}
	if !datePattern.MatchString(string(d)) {
		return fmt.Errorf("%q is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)", string(d))
	}
	var layout string
	switch len(d) {
	case 4:
		layout = "2006"
	case 7:
		layout = "2006-01"
	default:
		layout = "2006-01-02"
	}
	if _, err := time.Parse(layout, string(d)); err != nil {
		return fmt.Errorf("%q is not a real date", string(d))
	}
	return nil
}

// IsDay reports whether d is precise to the day.
func (d Date) IsDay() bool { return len(d) == 10 }

// First returns the first day that d covers: 2011 → 2011-01-01.
func (d Date) First() Date {
	switch len(d) {
	case 4:
		return d + "-01-01"
	case 7:
		return d + "-01"
	}
	return d
}

// Last returns the last day that d covers: 2011-02 → 2011-02-28.
func (d Date) Last() Date {
	switch len(d) {
	case 4:
		return d + "-12-31"
	case 7:
		t, err := time.Parse("2006-01", string(d))
		if err != nil {
			return d
		}
		return Date(t.AddDate(0, 1, -1).Format("2006-01-02"))
	}
	return d
}

// Range is a number that sources may disagree on or give only roughly:
// casualties, values, quantities. Low ≤ Best ≤ High where given.
// Approximate marks a figure the source itself gives loosely, and
// Qualifier keeps the source's own word for it ("about", "over", "nearly").
type Range struct {
	Low         *float64 `json:"low,omitempty"`
	Best        *float64 `json:"best,omitempty"`
	High        *float64 `json:"high,omitempty"`
	Unit        string   `json:"unit,omitempty"`
	Approximate bool     `json:"approximate,omitempty"`
	Qualifier   string   `json:"qualifier,omitempty"`
}

// Num returns a pointer to v, for filling Range fields.
func Num(v float64) *float64 { return &v }

// IsZero reports whether r holds no figure at all.
func (r Range) IsZero() bool { return r.Low == nil && r.Best == nil && r.High == nil }

// Validate checks that the bounds are finite and ordered.
func (r Range) Validate() error {
	vals := []struct {
		name string
		v    *float64
	}{{"low", r.Low}, {"best", r.Best}, {"high", r.High}}
	for _, x := range vals {
		if x.v != nil && (math.IsNaN(*x.v) || math.IsInf(*x.v, 0)) {
			return invalid(x.name, "must be a finite number")
		}
	}
	if r.IsZero() && (r.Unit != "" || r.Approximate || r.Qualifier != "") {
		return invalid("", "has a unit or qualifier but no low, best or high figure")
	}
	if r.Low != nil && r.Best != nil && *r.Low > *r.Best {
		return invalid("low", "%v is above best %v", *r.Low, *r.Best)
	}
	if r.Best != nil && r.High != nil && *r.Best > *r.High {
		return invalid("high", "%v is below best %v", *r.High, *r.Best)
	}
	if r.Low != nil && r.High != nil && *r.Low > *r.High {
		return invalid("high", "%v is below low %v", *r.High, *r.Low)
	}
	return nil
}

// NonNegative returns an EINVALID error when a bound is below zero, as no
// count of people or weapons can be.
func (r Range) NonNegative() error {
	for _, x := range []struct {
		name string
		v    *float64
	}{{"low", r.Low}, {"best", r.Best}, {"high", r.High}} {
		if x.v != nil && *x.v < 0 {
			return invalid(x.name, "%v is below zero", *x.v)
		}
	}
	return nil
}

// String renders the range for people: "1 billion USD (approximate)",
// "9000–? people (as the source puts it: “over”)".
func (r Range) String() string {
	f := func(p *float64) string {
		if p == nil {
			return "?"
		}
		return formatNumber(*p)
	}
	var s string
	switch {
	case r.IsZero():
		return "unknown"
	case r.Low != nil && r.High != nil && r.Best != nil:
		s = fmt.Sprintf("%s (%s–%s)", f(r.Best), f(r.Low), f(r.High))
	case r.Best != nil && r.Low == nil && r.High == nil:
		s = f(r.Best)
	case r.Best != nil:
		s = fmt.Sprintf("%s (%s–%s)", f(r.Best), f(r.Low), f(r.High))
	default:
		s = fmt.Sprintf("%s–%s", f(r.Low), f(r.High))
	}
	if r.Unit != "" {
		s += " " + r.Unit
	}
	switch {
	case r.Qualifier != "":
		s += " (as the source puts it: “" + r.Qualifier + "”)"
	case r.Approximate:
		s += " (approximate)"
	}
	return s
}

// formatNumber writes large figures the way reports do: 1e9 → "1 billion",
// 375.05e6 → "375.05 million"; others in plain decimals, never exponents.
func formatNumber(v float64) string {
	abs := math.Abs(v)
	scaled := func(unit float64, word string) string {
		return strconv.FormatFloat(math.Round(v/unit*1000)/1000, 'f', -1, 64) + " " + word
	}
	switch {
	case abs >= 1e9 && math.Mod(abs, 1e6) == 0:
		return scaled(1e9, "billion")
	case abs >= 1e6 && math.Mod(abs, 1e3) == 0:
		return scaled(1e6, "million")
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Citation points at the evidence for a record: a source, and where in it.
// Locator is a dataset row key, page, paragraph or URL fragment; Quote is
// the source's own words, kept short.
type Citation struct {
	Source  string `json:"source"`
	Locator string `json:"locator,omitempty"`
	Quote   string `json:"quote,omitempty"`
}

func validateCitations(cs []Citation, required bool) error {
	if required && len(cs) == 0 {
		return invalid("citations", "at least one citation is required: every claim must say where it comes from")
	}
	for i, c := range cs {
		if err := validateID("source", c.Source); err != nil {
			return prefixField(fmt.Sprintf("citations[%d]", i), err)
		}
	}
	return nil
}

// ScriptOf returns the ISO 15924 code of the main script of s (Latn, Cyrl,
// Arab, Grek, Armn, Geor, Hebr, Hani, Hang, Kana, Hira, Thai), or "" when s has no letters.
func ScriptOf(s string) string {
	tables := []struct {
		code string
		tab  *unicode.RangeTable
	}{
		{"Latn", unicode.Latin}, {"Cyrl", unicode.Cyrillic}, {"Arab", unicode.Arabic},
		{"Grek", unicode.Greek}, {"Armn", unicode.Armenian}, {"Geor", unicode.Georgian},
		{"Hebr", unicode.Hebrew}, {"Hani", unicode.Han}, {"Hang", unicode.Hangul},
		{"Kana", unicode.Katakana}, {"Hira", unicode.Hiragana}, {"Thai", unicode.Thai},
	}
	counts := map[string]int{}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		for _, t := range tables {
			if unicode.Is(t.tab, r) {
				counts[t.code]++
				break
			}
		}
	}
	best, n := "", 0
	for _, t := range tables {
		if counts[t.code] > n {
			best, n = t.code, counts[t.code]
		}
	}
	return best
}

type actorKey struct{}

// WithActor returns a context that attributes writes to actor in the
// audit log ("cli:alice", "user:7", "import:ucdp-ged").
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor set with WithActor, or "system".
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

func oneOf[T ~string](field string, v T, allowed ...T) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	if v == "" {
		return invalid(field, "required; one of %s", strings.Join(names, ", "))
	}
	return invalid(field, "%q is not one of %s", string(v), strings.Join(names, ", "))
}

var countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)

func validateCountry(field, c string) error {
	if c != "" && !countryPattern.MatchString(c) {
		return invalid(field, "%q is not an ISO 3166-1 alpha-2 code such as RU or SY", c)
	}
	return nil
}
