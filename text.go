package armstrace

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// validateText checks every string of a record, however deeply nested:
// it must be valid UTF-8 and hold no control characters other than tab
// and line breaks. PostgreSQL refuses NUL in text, so a record SQLite
// would take could not move to a team's server; and control characters in
// names or quotes are never evidence, only damage. The error names the
// field by its JSON path.
func validateText(v any) error {
	// Most records are clean: check them without building field paths,
	// and walk again with paths only to name the field at fault.
	if textOK(reflect.ValueOf(v)) {
		return nil
	}
	return walkText(reflect.ValueOf(v), "")
}

func textOK(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil() || textOK(v.Elem())
	case reflect.String:
		return cleanText(v.String())
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if !textOK(v.Index(i)) {
				return false
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && !textOK(v.Field(i)) {
				return false
			}
		}
	}
	return true
}

// cleanText reports whether s is valid UTF-8 without control characters
// other than tab and line breaks.
func cleanText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f || c >= utf8.RuneSelf {
			if c >= utf8.RuneSelf {
				return utf8.ValidString(s[i:]) && !hasControl(s[i:])
			}
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return true
		}
	}
	return false
}

func walkText(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkText(v.Elem(), path)
	case reflect.String:
		return checkText(path, v.String())
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := walkText(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if path != "" {
				name = path + "." + name
			}
			if err := walkText(v.Field(i), name); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return invalid(field, "is not valid UTF-8")
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return invalid(field, "contains the control character U+%04X", r)
		}
	}
	return nil
}

// SearchWords splits a free-text search into the lower-case words every
// one of which a record's text must contain.
func SearchWords(q string) []string {
	return strings.Fields(strings.ToLower(q))
}

// ContainsWords reports whether text contains every word (from
// SearchWords), ignoring case.
func ContainsWords(text string, words []string) bool {
	text = strings.ToLower(text)
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// SearchText is the text of an event that a search looks in: its title,
// description and place names.
func (e *Event) SearchText() string {
	p := e.Place
	return strings.Join([]string{e.Title, e.Description, p.Name, p.Admin3, p.Admin2, p.Admin1, p.Country}, "\n")
}

// SearchText is the text of a source that a search looks in: its title,
// publisher, address, version and notes.
func (s *Source) SearchText() string {
	return strings.Join([]string{s.Title, s.Publisher, s.URL, s.Version, s.Notes}, "\n")
}
