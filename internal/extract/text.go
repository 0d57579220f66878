package extract

import (
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

func itoa(n int) string { return strconv.Itoa(n) }

// HTMLText returns the readable text of an HTML page: tags removed,
// scripts, styles and comments dropped, entities decoded, and block
// elements (paragraphs, headings, list items, table rows, line breaks)
// turned into paragraph breaks, so that sentences do not run across them.
// It is a small tokenizer, not a parser: it needs no well-formed input.
func HTMLText(src string) string {
	var b strings.Builder
	text := func(s string) { b.WriteString(html.UnescapeString(s)) }
	i := 0
	for i < len(src) {
		lt := strings.IndexByte(src[i:], '<')
		if lt < 0 {
			text(src[i:])
			break
		}
		text(src[i : i+lt])
		i += lt
		if strings.HasPrefix(src[i:], "<!--") {
			end := strings.Index(src[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		gt := strings.IndexByte(src[i:], '>')
		if gt < 0 {
			break // a tag cut off at the end of the file
		}
		tag := src[i+1 : i+gt]
		i += gt + 1
		name, closing := tagName(tag)
		switch name {
		case "script", "style", "noscript", "template", "svg", "head":
			if closing {
				continue
			}
			// Skip to the matching end tag: their content is no text.
			end := strings.Index(strings.ToLower(src[i:]), "</"+name)
			if end < 0 {
				i = len(src)
				continue
			}
			i += end
			if gt := strings.IndexByte(src[i:], '>'); gt >= 0 {
				i += gt + 1
			} else {
				i = len(src)
			}
		case "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
			"section", "article", "header", "footer", "blockquote", "pre", "hr", "title", "dd", "dt", "figcaption":
			b.WriteString("\n\n")
		case "td", "th":
			b.WriteString(" ")
		}
	}
	return b.String()
}

// tagName returns the lower-case name of a tag's inside ("p class=x",
// "/p", "br/") and whether it closes.
func tagName(tag string) (string, bool) {
	closing := strings.HasPrefix(tag, "/")
	tag = strings.TrimPrefix(tag, "/")
	end := 0
	for end < len(tag) && (tag[end] >= 'a' && tag[end] <= 'z' || tag[end] >= 'A' && tag[end] <= 'Z' || tag[end] >= '0' && tag[end] <= '9') {
		end++
	}
	return strings.ToLower(tag[:end]), closing
}

// LooksLikeHTML reports whether a file's text is HTML rather than plain
// text, for files whose name does not say.
func LooksLikeHTML(s string) bool {
	head := strings.ToLower(strings.TrimSpace(s[:min(len(s), 1024)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<body") || strings.Contains(head, "<p>")
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true, "inc": true, "ltd": true,
	"co": true, "corp": true, "gen": true, "col": true, "lt": true, "sgt": true, "capt": true, "gov": true, "sen": true,
	"rep": true, "no": true, "vs": true, "etc": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true,
	"jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "ala": true, "calif": true,
	"approx": true, "est": true, "fig": true, "maj": true, "adm": true, "prof": true, "e.g": true, "i.e": true,
}

// splitSentences splits text into paragraphs (at blank lines) and
// sentences (at a full stop, question or exclamation mark followed,
// after any closing quote or bracket, by white space and a capital, a
// digit or an opening quote), not at the stops of abbreviations and
// initials ("U.S.", "D.C.", "Gen.").
func splitSentences(text string) []Sentence {
	var out []Sentence
	para, inPara := 1, 0
	add := func(start, end int) {
		for start < end && isSpaceByte(text[start]) {
			start++
		}
		for end > start && isSpaceByte(text[end-1]) {
			end--
		}
		if start >= end {
			return
		}
		inPara++
		out = append(out, Sentence{N: len(out) + 1, Paragraph: para, InPara: inPara, Start: start, End: end, Text: strings.Join(strings.Fields(text[start:end]), " ")})
	}
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '\n' {
			// A blank line ends the paragraph and the sentence.
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j < len(text) && text[j] == '\n' {
				add(start, i)
				if inPara > 0 {
					para++
					inPara = 0
				}
				for j < len(text) && isSpaceByte(text[j]) {
					j++
				}
				start, i = j, j
				continue
			}
		}
		if r == '.' || r == '!' || r == '?' {
			j := i + size
			for j < len(text) {
				c, n := utf8.DecodeRuneInString(text[j:])
				if c == '"' || c == '\'' || c == '’' || c == '”' || c == ')' || c == ']' {
					j += n
					continue
				}
				break
			}
			if j == len(text) || isSpaceByte(text[j]) {
				k := j
				for k < len(text) && isSpaceByte(text[k]) && text[k] != '\n' {
					k++
				}
				next, _ := utf8.DecodeRuneInString(text[k:])
				if k == len(text) || next == '\n' || unicode.IsUpper(next) || unicode.IsDigit(next) || next == '“' || next == '"' || next == '‘' || next == '(' {
					if r != '.' || !abbreviationBefore(text, i) {
						add(start, j)
						start = j
					}
				}
			}
		}
		i += size
	}
	add(start, len(text))
	return out
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// abbreviationBefore reports whether the full stop at i ends an
// abbreviation or an initial.
func abbreviationBefore(text string, i int) bool {
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		j -= n
	}
	word := strings.ToLower(text[j:i])
	if abbreviations[word] {
		return true
	}
	// "U.S", "D.C", a single capital: initials.
	letters := strings.ReplaceAll(word, ".", "")
	return utf8.RuneCountInString(letters) == 1 || strings.Contains(word, ".") && utf8.RuneCountInString(letters) <= 3
}

// token is a word, a number or a punctuation mark of a sentence.
type token struct {
	text       string
	key        string // lower case, without stops, apostrophes, hyphens or a possessive 's
	start, end int    // byte offsets in the document
	upper      bool   // begins with a capital letter
	number     bool   // digits, with thousands separators or decimals
}

// tokenize splits the document's text from start to end into tokens. A
// word runs over letters and digits, and over a stop, apostrophe, hyphen
// or ampersand between two of them ("U.S", "Assad’s", "Mi-17V-5"); a
// number over commas and stops between digits ("9,000", "1.5").
func tokenize(text string, start, end int) []token {
	var out []token
	i := start
	for i < end {
		r, n := utf8.DecodeRuneInString(text[i:end])
		switch {
		case unicode.IsSpace(r):
			i += n
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i + n
			for j < end {
				c, m := utf8.DecodeRuneInString(text[j:end])
				if unicode.IsLetter(c) || unicode.IsDigit(c) {
					j += m
					continue
				}
				if c == '.' || c == '\'' || c == '’' || c == '-' || c == ',' || c == '&' {
					next, _ := utf8.DecodeRuneInString(text[j+m : end])
					prev, _ := utf8.DecodeLastRuneInString(text[i:j])
					switch {
					case c == ',' && unicode.IsDigit(prev) && unicode.IsDigit(next) && j+m+3 <= end && allDigits(text[j+m:j+m+3]):
						j += m
						continue
					case c == '.' && unicode.IsDigit(prev) && unicode.IsDigit(next):
						j += m
						continue
					case c != ',' && j+m < end && (unicode.IsLetter(next) || unicode.IsDigit(next)) && !(c == '.' && unicode.IsDigit(next)):
						j += m
						continue
					}
				}
				break
			}
			w := text[i:j]
			// "U.S." keeps its last stop when it is an initial's.
			if j < end && text[j] == '.' && strings.Contains(w, ".") && len(strings.ReplaceAll(w, ".", "")) <= 3 {
				j++
				w = text[i:j]
			}
			first, _ := utf8.DecodeRuneInString(w)
			out = append(out, token{text: w, key: keyOf(w), start: i, end: j, upper: unicode.IsUpper(first), number: unicode.IsDigit(first) && isNumber(w)})
			i = j
		default:
			out = append(out, token{text: text[i : i+n], key: text[i : i+n], start: i, end: i + n})
			i += n
		}
	}
	return out
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != ',' && r != '.' {
			return false
		}
	}
	return true
}

// keyOf returns the form names are compared in: lower case, a
// possessive 's dropped, stops, apostrophes and hyphens removed, so that
// "U.S." and "US", "Assad’s" and "Assad's", "Mi-17" and "Mi17" meet.
// A phrase's words are joined by single spaces.
func keyOf(s string) string {
	var words []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '(' || r == ')' || r == '/' || r == '"' || r == '“' || r == '”' || r == ';' || r == ':'
	}) {
		w = strings.ToLower(w)
		for _, p := range []string{"'s", "’s"} {
			if strings.HasSuffix(w, p) && len(w) > len(p)+1 {
				w = strings.TrimSuffix(w, p)
			}
		}
		w = strings.Map(func(r rune) rune {
			switch r {
			case '.', '\'', '’', '-', '‐', '–':
				return -1
			}
			return r
		}, w)
		if w != "" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}
