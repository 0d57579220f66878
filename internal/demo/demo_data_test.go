package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
)

// eventTypeKey is where an event line keeps the event's own type. In the
// JSON Lines format "type" names the record type, and armstrace.Event tags
// its Type field "type" too, so an event line cannot hold both under one key.
const eventTypeKey = "event_type"

// maxQuoteRunes keeps quotes to a clause: the dataset cites, it does not
// republish its sources.
const maxQuoteRunes = 200

// decodeLine decodes one line of the dataset into the root type its "type"
// field names, refusing fields the type does not have.
func decodeLine(line []byte) (armstrace.Record, error) {
	if !bytes.HasPrefix(line, []byte(`{"type":"`)) {
		return nil, errors.New(`line does not start with {"type":"…`)
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return nil, err
	}
	rt := armstrace.RecordType(head.Type)
	rec := armstrace.NewRecord(rt)
	if rec == nil {
		return nil, fmt.Errorf("unknown record type %q", head.Type)
	}

	dec := json.NewDecoder(bytes.NewReader(line))
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value on the line")
	}
	delete(fields, "type")
	if v, ok := fields[eventTypeKey]; ok {
		if rt != armstrace.TypeEvent {
			return nil, fmt.Errorf("%s is only for event lines", eventTypeKey)
		}
		fields["type"] = v
		delete(fields, eventTypeKey)
	}
	body, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	dec = json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		return nil, err
	}
	return rec, nil
}

func TestDemoData(t *testing.T) {
	data, err := os.ReadFile("demo.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		t.Error("demo.jsonl does not end with a newline")
	}

	rank := map[armstrace.RecordType]int{}
	for i, rt := range armstrace.RecordTypes {
		rank[rt] = i
	}
	seen := map[armstrace.RecordType]map[string]armstrace.Record{}
	for _, rt := range armstrace.RecordTypes {
		seen[rt] = map[string]armstrace.Record{}
	}
	cited := map[string]bool{}
	lastRank := 0

	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		n := i + 1
		rec, err := decodeLine(line)
		if err != nil {
			t.Errorf("line %d: %v", n, err)
			continue
		}
		rec.Normalize()
		if err := rec.Validate(); err != nil {
			t.Errorf("line %d: %s %s: %v", n, rec.RecordType(), rec.RecordID(), err)
		}
		rt, id := rec.RecordType(), rec.RecordID()
		where := fmt.Sprintf("line %d (%s)", n, id)

		if rank[rt] < lastRank {
			t.Errorf("%s: a %s after a %s; the file must list sources, entities, events, ceasefires, then claims", where, rt, armstrace.RecordTypes[lastRank])
		}
		lastRank = max(lastRank, rank[rt])
		if _, dup := seen[rt][id]; dup {
			t.Errorf("%s: duplicate %s id", where, rt)
		}

		// ref checks that id names a record of type want earlier in the file.
		ref := func(field, id string, want armstrace.RecordType) armstrace.Record {
			r, ok := seen[want][id]
			if !ok {
				t.Errorf("%s: %s %q is not a %s listed earlier", where, field, id, want)
			}
			return r
		}
		cites := func(cs []armstrace.Citation, requireQuote bool) {
			for j, c := range cs {
				f := fmt.Sprintf("citations[%d]", j)
				ref(f+".source", c.Source, armstrace.TypeSource)
				cited[c.Source] = true
				if requireQuote && (c.Locator == "" || c.Quote == "") {
					t.Errorf("%s: %s needs a locator and a quote", where, f)
				}
				if utf8.RuneCountInString(c.Quote) > maxQuoteRunes {
					t.Errorf("%s: %s quote is longer than %d characters", where, f, maxQuoteRunes)
				}
			}
		}

		switch r := rec.(type) {
		case *armstrace.Source:
		case *armstrace.Entity:
			cites(r.Citations, false)
		case *armstrace.Event:
			if r.Type == string(armstrace.TypeEvent) {
				t.Errorf("%s: event type is %q, the record type; put the event's type in %s", where, r.Type, eventTypeKey)
			}
			for j, a := range r.Actors {
				ref(fmt.Sprintf("actors[%d].entity", j), a.Entity, armstrace.TypeEntity)
			}
			cites(r.Citations, true)
		case *armstrace.Ceasefire:
			for j, e := range r.Covered {
				ref(fmt.Sprintf("covered[%d]", j), e, armstrace.TypeEntity)
			}
			for j, e := range r.Excluded {
				ref(fmt.Sprintf("excluded[%d]", j), e, armstrace.TypeEntity)
			}
			cites(r.Citations, true)
		case *armstrace.Claim:
			ref("subject", r.Subject, armstrace.TypeEntity)
			objType := map[armstrace.ObjectType]armstrace.RecordType{
				armstrace.ObjectEntity:    armstrace.TypeEntity,
				armstrace.ObjectEvent:     armstrace.TypeEvent,
				armstrace.ObjectCeasefire: armstrace.TypeCeasefire,
			}[r.ObjectTypeOrDefault()]
			ref("object", r.Object, objType)
			if tr := r.Attrs.Transfer; tr != nil && tr.Weapon != "" {
				if w, ok := ref("attrs.transfer.weapon", tr.Weapon, armstrace.TypeEntity).(*armstrace.Entity); ok && w.Kind != armstrace.EntityWeaponModel {
					t.Errorf("%s: attrs.transfer.weapon %s is a %s, not a weapon_model", where, tr.Weapon, w.Kind)
				}
			}
			cites(r.Citations, true)
		}
		seen[rt][id] = rec
	}

	for _, rt := range armstrace.RecordTypes {
		if len(seen[rt]) == 0 {
			t.Errorf("no %s records", rt)
		}
	}
	for id := range seen[armstrace.TypeSource] {
		if !cited[id] {
			t.Errorf("source %s is never cited", id)
		}
	}
}
