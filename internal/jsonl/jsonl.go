// Package jsonl reads and writes armstrace's native format: JSON Lines,
// one record per line, each an object whose first field "type" says what
// it is (source, entity, event, ceasefire or claim) and whose other fields
// are the record's own.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/armstrace/armstrace"
)

// MaxLine is the longest line the reader accepts.
const MaxLine = 16 << 20

// Reader reads records one line at a time.
type Reader struct {
	name string
	br   *bufio.Reader
	line int
}

// NewReader returns a reader of r; name is used in error messages.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{name: name, br: bufio.NewReaderSize(r, 64<<10)}
}

// Line returns the number of the line last read, from 1.
func (r *Reader) Line() int { return r.line }

// Next returns the next record, or io.EOF after the last. Blank lines are
// skipped. Errors are EINVALID and name the file, line and field.
func (r *Reader) Next() (armstrace.Record, error) {
	for {
		line, err := r.readLine()
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rec, err := Decode(line)
		if err != nil {
			return nil, armstrace.AtLine(r.name, r.line, err)
		}
		return rec, nil
	}
}

func (r *Reader) readLine() ([]byte, error) {
	var buf []byte
	for {
		chunk, isPrefix, err := r.br.ReadLine()
		if err == io.EOF && len(buf) == 0 {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, File: r.name, Line: r.line + 1, Message: "cannot read", Err: err}
		}
		buf = append(buf, chunk...)
		if len(buf) > MaxLine {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, File: r.name, Line: r.line + 1, Message: fmt.Sprintf("line is longer than %d bytes", MaxLine)}
		}
		if !isPrefix {
			r.line++
			if r.line == 1 {
				buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf")) // a BOM some editors add
			}
			return buf, nil
		}
	}
}

// Decode parses one line into a record. Unknown fields are errors, so that
// a misspelt field name is reported instead of silently dropped.
func Decode(line []byte) (armstrace.Record, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil {
		return nil, jsonError(err)
	}
	rawType, ok := fields["type"]
	if !ok {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "type", Message: "required; one of source, entity, event, ceasefire, claim"}
	}
	var typ armstrace.RecordType
	if err := json.Unmarshal(rawType, &typ); err != nil {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "type", Message: "must be a string"}
	}
	rec := armstrace.NewRecord(typ)
	if rec == nil {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "type", Message: fmt.Sprintf("%q is not one of source, entity, event, ceasefire, claim", typ)}
	}
	delete(fields, "type")
	// encoding/json matches field names regardless of case; the format
	// does not, so that "Kind" beside "kind" is reported, not dropped.
	known := fieldNames(reflect.TypeOf(rec).Elem())
	for _, k := range sortedKeys(fields) {
		if !known[k] {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Field: k, Message: "unknown field (check its spelling and case)"}
		}
	}
	rest, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(rest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		return nil, jsonError(err)
	}
	rec.Normalize()
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return rec, nil
}

// fieldNames returns the JSON names of a struct type's fields.
func fieldNames(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// jsonError turns an encoding/json error into an EINVALID error that names
// the field where it can.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &armstrace.Error{Code: armstrace.EINVALID, Message: fmt.Sprintf("not valid JSON at byte %d: %v", syn.Offset, syn)}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return &armstrace.Error{Code: armstrace.EINVALID, Message: fmt.Sprintf("a line must be a JSON object, not %s", typ.Value)}
		}
		return &armstrace.Error{Code: armstrace.EINVALID, Field: field, Message: fmt.Sprintf("must be %s, not %s", kindOf(typ.Type), typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &armstrace.Error{Code: armstrace.EINVALID, Message: "not valid JSON: the object is cut short"}
	}
	// encoding/json reports an unknown field only in its message text.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: strings.Trim(name, `"`), Message: "unknown field (check its spelling)"}
	}
	return &armstrace.Error{Code: armstrace.EINVALID, Message: "not valid JSON: " + err.Error()}
}

func kindOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a number"
	}
	return t.String()
}

// Line renders one record line from its type and canonical JSON object:
// the "type" field first, then the record's fields as stored.
func Line(typ armstrace.RecordType, doc string) string {
	if doc == "{}" {
		return `{"type":"` + string(typ) + `"}`
	}
	return `{"type":"` + string(typ) + `",` + doc[1:]
}

// Encode renders a record as one line, without the newline.
func Encode(r armstrace.Record) (string, error) {
	doc, err := armstrace.CanonicalJSON(r)
	if err != nil {
		return "", err
	}
	return Line(r.RecordType(), doc), nil
}
