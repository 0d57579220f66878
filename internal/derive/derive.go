// Package derive makes working copies of evidence: the text of a text or
// HTML file, and a text copy with lines or matches blacked out. Each
// function returns the new bytes and a description of what was done, to
// be recorded with the copy; the input is never changed. It is pure: the
// caller reads and stores the files.
package derive

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
)

// Mark replaces what a redaction removes.
const Mark = "[REDACTED]"

// MediaType guesses a file's media type from its name, then its bytes.
func MediaType(name string, b []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return "text/html"
	case ".txt", ".text", ".md":
		return "text/plain"
	}
	t, _, _ := strings.Cut(http.DetectContentType(b), ";")
	return t
}

// Text returns the text of a text or HTML file, as UTF-8 with "\n" line
// ends, and a description of the extraction. Other media types are
// EINVALID: the text of a PDF or an image needs tools this package does
// not have.
func Text(name string, b []byte) ([]byte, string, error) {
	switch mt := MediaType(name, b); mt {
	case "text/plain":
		t, err := plain(name, b)
		return t, "text of a text file: UTF-8, byte order mark removed, line ends made \\n", err
	case "text/html":
		t, err := plain(name, b)
		if err != nil {
			return nil, "", err
		}
		return htmlText(t), "text of an HTML file: tags, scripts, styles and comments removed, entities decoded, one line per block", nil
	default:
		return nil, "", &armstrace.Error{Code: armstrace.EINVALID, File: name, Message: fmt.Sprintf("cannot extract text from a file of type %s: only text and HTML files are supported", mt)}
	}
}

// plain checks that b is UTF-8 text and normalises its line ends.
func plain(name string, b []byte) ([]byte, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, File: name, Message: "is not UTF-8 text"}
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n")), nil
}

// blocks are the elements that start a new line of text.
var blocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true, "dd": true, "div": true,
	"dl": true, "dt": true, "figcaption": true, "footer": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "header": true, "hr": true, "li": true, "main": true, "nav": true, "ol": true,
	"p": true, "pre": true, "section": true, "table": true, "td": true, "th": true, "title": true, "tr": true, "ul": true,
}

// hidden are the elements whose content is not text.
var hidden = map[string]bool{"script": true, "style": true, "noscript": true, "template": true}

// indexEndTag finds "</name", in any case, in s.
func indexEndTag(s, name string) int {
	for i := 0; i+2+len(name) <= len(s); i++ {
		if s[i] == '<' && s[i+1] == '/' && strings.EqualFold(s[i+2:i+2+len(name)], name) {
			return i
		}
	}
	return -1
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// htmlText turns HTML into lines of text. It reads tags loosely, as
// browsers do, and never fails: what it cannot read as a tag is text.
func htmlText(b []byte) []byte {
	s := string(b)
	var out strings.Builder
	// In HTML a line end in the text is a space; lines come from blocks.
	text := func(t string) { out.WriteString(strings.ReplaceAll(html.UnescapeString(t), "\n", " ")) }
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			text(s)
			break
		}
		text(s[:i])
		s = s[i:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		if len(s) < 2 || !(isLetter(s[1]) || s[1] == '/' || s[1] == '!') {
			out.WriteByte('<') // "a < b" is text, as browsers read it
			s = s[1:]
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			text(s)
			break
		}
		tag := s[1:end]
		s = s[end+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.TrimPrefix(tag, "/")
		if i := strings.IndexAny(name, " \t\r\n/"); i >= 0 {
			name = name[:i]
		}
		name = strings.ToLower(name)
		if blocks[name] {
			out.WriteByte('\n')
		}
		if hidden[name] && !closing {
			close := indexEndTag(s, name)
			if close < 0 {
				break
			}
			s = s[close:]
		}
	}
	// One line per block, spaces within a line collapsed, no blank runs.
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return []byte{}
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// LineRange is an inclusive range of line numbers, from 1.
type LineRange struct{ From, To int }

// ParseLines reads "3-5,9" into ranges.
func ParseLines(spec string) ([]LineRange, error) {
	var out []LineRange
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		a, b, isRange := strings.Cut(part, "-")
		from, err1 := strconv.Atoi(strings.TrimSpace(a))
		to := from
		var err2 error
		if isRange {
			to, err2 = strconv.Atoi(strings.TrimSpace(b))
		}
		if err1 != nil || err2 != nil || from < 1 || to < from {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "lines", Message: fmt.Sprintf("%q is not a line or a range of lines such as 3 or 3-5 (lines count from 1)", part)}
		}
		out = append(out, LineRange{from, to})
	}
	return out, nil
}

// Redaction says what to black out: whole lines, and every match of
// regular expressions (Go syntax).
type Redaction struct {
	Lines    []LineRange
	Patterns []string
}

// Redact returns text with the lines and matches of r replaced by Mark,
// and a description of the redaction. The description names the lines
// and counts the matches of each pattern, but gives each pattern only as
// its SHA-256: a pattern is often the very name being withheld, and the
// description travels with the copy. Whoever holds the pattern can check
// it against the digest. A redaction that changes nothing is EINVALID.
func Redact(name string, text []byte, r Redaction) ([]byte, string, error) {
	t, err := plain(name, text)
	if err != nil {
		return nil, "", err
	}
	if len(r.Lines) == 0 && len(r.Patterns) == 0 {
		return nil, "", &armstrace.Error{Code: armstrace.EINVALID, Field: "redact", Message: "say what to redact: lines, patterns or both"}
	}
	res := make([]*regexp.Regexp, len(r.Patterns))
	for i, p := range r.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, "", &armstrace.Error{Code: armstrace.EINVALID, Field: fmt.Sprintf("pattern[%d]", i+1), Message: fmt.Sprintf("not a regular expression: %v", err)}
		}
		res[i] = re
	}
	lines := strings.SplitAfter(string(t), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var parts []string
	for _, lr := range r.Lines {
		if lr.To > len(lines) {
			return nil, "", &armstrace.Error{Code: armstrace.EINVALID, Field: "lines", Message: fmt.Sprintf("line %d is past the end: %s has %d lines", lr.To, name, len(lines))}
		}
		for n := lr.From; n <= lr.To; n++ {
			end := ""
			if strings.HasSuffix(lines[n-1], "\n") {
				end = "\n"
			}
			lines[n-1] = Mark + end
		}
		if lr.From == lr.To {
			parts = append(parts, fmt.Sprintf("line %d", lr.From))
		} else {
			parts = append(parts, fmt.Sprintf("lines %d-%d", lr.From, lr.To))
		}
	}
	out := strings.Join(lines, "")
	for i, re := range res {
		n := len(re.FindAllStringIndex(out, -1))
		if n == 0 {
			return nil, "", &armstrace.Error{Code: armstrace.EINVALID, Field: fmt.Sprintf("pattern[%d]", i+1), Message: "matches nothing in " + name}
		}
		out = re.ReplaceAllLiteralString(out, Mark)
		sum := sha256.Sum256([]byte(r.Patterns[i]))
		parts = append(parts, fmt.Sprintf("pattern %d (sha256 %s): %d matches", i+1, hex.EncodeToString(sum[:]), n))
	}
	if out == string(t) {
		return nil, "", &armstrace.Error{Code: armstrace.EINVALID, Field: "redact", Message: "the redaction changes nothing"}
	}
	return []byte(out), "redacted with " + Mark + ": " + strings.Join(parts, "; "), nil
}
