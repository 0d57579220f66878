// Package report holds what armstrace's HTML and Markdown reports share
// (the dossier and the ceasefire report): escaping for Markdown, the
// "as of" time, and the scales of SVG charts. Each report keeps its own
// templates and layout.
package report

import (
	"math"
	"regexp"
	"strings"
	"time"
)

// AsOf writes a time for people and as ISO 8601 in UTC; a zero time is
// "not stated".
func AsOf(t time.Time) (human, iso string) {
	if t.IsZero() {
		return "not stated", ""
	}
	t = t.UTC()
	return t.Format("2 January 2006, 15:04 UTC"), t.Format(time.RFC3339)
}

var mdSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `#`, `\#`, `~`, `\~`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

var entityLike = regexp.MustCompile(`&(#?[A-Za-z0-9]+;)`)

// BlankLines matches runs of blank lines, which rendered Markdown closes up.
var BlankLines = regexp.MustCompile(`\n{3,}`)

// MarkdownEscape makes s safe as inline Markdown text: no markup, no HTML,
// no entity, one line.
func MarkdownEscape(s string) string {
	s = mdSpecial.Replace(s)
	return entityLike.ReplaceAllString(s, `\&$1`)
}

// MarkdownCell is MarkdownEscape for a table cell, which may not be empty.
func MarkdownCell(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return MarkdownEscape(s)
}

// MarkdownURL makes a URL safe as a Markdown link destination; only http
// and https URLs are linked, others give "".
func MarkdownURL(s string) string {
	l := strings.ToLower(strings.TrimSpace(s))
	if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
		return ""
	}
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(s)
}

// NiceStep turns a raw axis step into 1, 2 or 5 times a power of ten, the
// first at least two thirds of it, so that ticks fall on round numbers.
func NiceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw/1.5 {
			return m * p
		}
	}
	return 10 * p
}

// Round1 rounds to one decimal.
func Round1(f float64) float64 { return math.Round(f*10) / 10 }
