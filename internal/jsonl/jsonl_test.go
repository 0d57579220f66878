package jsonl_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/jsonl"
)

func TestReaderErrorsNameFileLineAndField(t *testing.T) {
	good := `{"type":"source","id":"src:a","kind":"document","title":"A report"}`
	for _, tc := range []struct {
		name  string
		line  string
		field string
		says  string
	}{
		{"not json", `{"type":"source",`, "", "unexpected end of JSON input"},
		{"syntax", `{"type":"source" "id":"x"}`, "", "not valid JSON"},
		{"not an object", `[1,2]`, "", "JSON object"},
		{"no type", `{"id":"x"}`, "type", "required"},
		{"unknown type", `{"type":"weapon","id":"x"}`, "type", `"weapon" is not one of`},
		{"unknown field", `{"type":"source","id":"src:b","kind":"document","title":"t","titel":"t"}`, "titel", "unknown field"},
		{"field in the wrong case", `{"type":"source","id":"src:b","kind":"document","title":"t","Kind":"article"}`, "Kind", "unknown field"},
		{"control character", `{"type":"source","id":"src:b","kind":"document","title":"a\u0000b"}`, "title", "control character U+0000"},
		{"wrong json type", `{"type":"claim","id":"c","kind":"supplied","subject":"a","object":"b","status":"alleged","confidence":"high","citations":[]}`, "confidence", "must be a number"},
		{"nested wrong type", `{"type":"entity","id":"e","kind":"state","name":"Syria","aliases":[{"value":7}]}`, "aliases.value", "must be a string"},
		{"validation", `{"type":"claim","id":"c","kind":"supplied","subject":"a","object":"b","status":"alleged","confidence":0.5,"citations":[]}`, "citations", "at least one citation"},
		{"nested validation", `{"type":"claim","id":"c","kind":"supplied","subject":"a","object":"b","status":"alleged","confidence":0.5,"citations":[{"source":"s"}],"attrs":{"transfer":{"value":{"low":5,"best":2}}}}`, "attrs.transfer.value.low", "above best"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good + "\n\n" + tc.line + "\n"
			r := jsonl.NewReader(strings.NewReader(in), "data/x.jsonl")
			if _, err := r.Next(); err != nil {
				t.Fatalf("first line: %v", err)
			}
			_, err := r.Next()
			var e *armstrace.Error
			if !errors.As(err, &e) {
				t.Fatalf("want *armstrace.Error, got %v", err)
			}
			if e.Code != armstrace.EINVALID || e.File != "data/x.jsonl" || e.Line != 3 || e.Field != tc.field {
				t.Fatalf("got code %s file %s line %d field %q (%v); want line 3 field %q", e.Code, e.File, e.Line, e.Field, err, tc.field)
			}
			msg := armstrace.ErrorMessage(err)
			if !strings.HasPrefix(msg, "data/x.jsonl:3: ") || !strings.Contains(msg, tc.says) {
				t.Fatalf("message %q should start with the location and say %q", msg, tc.says)
			}
		})
	}
}

func TestRoundTripOfALine(t *testing.T) {
	in := `{"type":"entity","id":"ent:roe","kind":"company","name":"Rosoboronexport","aliases":[{"value":"Рособоронэкспорт","script":"Cyrl","kind":"alias"},{"value":"A & B <x>","script":"Latn","kind":"alias"}],"country":"RU"}`
	rec, err := jsonl.Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonl.Encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Fatalf("round trip changed the line:\n in  %s\n out %s", in, out)
	}
}

func TestReaderSkipsBlankLinesAndBOM(t *testing.T) {
	in := "\xef\xbb\xbf{\"type\":\"source\",\"id\":\"s1\",\"kind\":\"dataset\",\"title\":\"t\"}\n   \n{\"type\":\"source\",\"id\":\"s2\",\"kind\":\"dataset\",\"title\":\"t\"}"
	r := jsonl.NewReader(strings.NewReader(in), "x")
	var ids []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.RecordID())
	}
	if strings.Join(ids, ",") != "s1,s2" || r.Line() != 3 {
		t.Fatalf("ids %v, last line %d", ids, r.Line())
	}
}
