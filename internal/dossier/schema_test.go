package dossier

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
)

// compileSchema compiles schema.json with formats asserted, so that a
// "generated" that is not a date-time fails.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("schema.json is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatalf("schema.json does not compile: %v", err)
	}
	return sch
}

// schemaMap is schema.json as plain maps, for the tests that read it.
func schemaMap(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func renderedJSON(t *testing.T, d *Dossier) any {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(render(t, d, "json")))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestJSONValidatesAgainstSchema(t *testing.T) {
	sch := compileSchema(t)
	minimal := &Dossier{
		Generated: time.Date(2024, 4, 15, 10, 0, 0, 0, time.UTC),
		Subject:   graph.Node{ID: "ent-x", Type: "entity", Name: "Nobody Ltd", Kind: "company"},
		Identity:  Identity{ID: "ent-x", Name: "Nobody Ltd", Kind: "company"},
	}
	for name, d := range map[string]*Dossier{"fixture": fixture(), "minimal": minimal} {
		if err := sch.Validate(renderedJSON(t, d)); err != nil {
			t.Errorf("%s: the JSON form does not meet schema.json:\n%v", name, err)
		}
	}
}

// TestSchemaRejects proves the schema can fail: each mutation of a valid
// document must be refused, and the error must point at what is wrong.
func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	for _, tc := range []struct {
		name   string
		mutate func(m map[string]any)
		where  string // in the error
	}{
		{"missing part", func(m map[string]any) { delete(m, "misuse") }, "misuse"},
		{"missing provenance", func(m map[string]any) { delete(m, "provenance") }, "provenance"},
		{"withheld not a number", func(m map[string]any) { m["withheld"] = "one" }, "/withheld"},
		{"negative withheld", func(m map[string]any) { m["withheld"] = -1 }, "/withheld"},
		{"null list", func(m map[string]any) { m["sanctions"] = nil }, "/sanctions"},
		{"unknown property", func(m map[string]any) { m["verdict"] = "guilty" }, "verdict"},
		{"wrong schema version", func(m map[string]any) { m["schema"] = "armstrace.dossier/0" }, "/schema"},
		{"generated not a time", func(m map[string]any) { m["generated"] = "last Tuesday" }, "/generated"},
		{"nine titles", func(m map[string]any) {
			m["section_titles"] = m["section_titles"].([]any)[:9]
		}, "/section_titles"},
		{"unknown link status", func(m map[string]any) {
			m["not_counted"].([]any)[0].(map[string]any)["status"] = "rumoured"
		}, "/not_counted/0/status"},
		{"unknown link kind", func(m map[string]any) {
			sanction := m["sanctions"].([]any)[0].(map[string]any)
			sanction["link"].(map[string]any)["kind"] = "admired"
		}, "/sanctions/0/link/kind"},
		{"confidence above 1", func(m map[string]any) {
			partner := m["partners"].([]any)[0].(map[string]any)
			partner["link"].(map[string]any)["confidence"] = 1.5
		}, "/partners/0/link/confidence"},
		{"unknown sanction state", func(m map[string]any) {
			m["sanctions"].([]any)[0].(map[string]any)["state"] = "suspended"
		}, "/sanctions/0/state"},
		{"unknown role", func(m map[string]any) {
			m["partners"].([]any)[0].(map[string]any)["role"] = "friend"
		}, "/partners/0/role"},
		{"bad sha256", func(m map[string]any) {
			prov := m["provenance"].(map[string]any)
			prov["appendix"].([]any)[0].(map[string]any)["sha256"] = "not-a-hash"
		}, "/provenance/appendix/0/sha256"},
		{"year as text", func(m map[string]any) {
			tr := m["transfers"].(map[string]any)
			tr["by_year"].([]any)[0].(map[string]any)["year"] = "2008"
		}, "/transfers/by_year/0/year"},
		{"transfer row without its link", func(m map[string]any) {
			tr := m["transfers"].(map[string]any)
			delete(tr["rows"].([]any)[0].(map[string]any), "link")
		}, "/transfers/rows/0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := renderedJSON(t, fixture()).(map[string]any)
			if err := sch.Validate(doc); err != nil {
				t.Fatalf("the fixture fails before mutation: %v", err)
			}
			tc.mutate(doc)
			err := sch.Validate(doc)
			if err == nil {
				t.Fatal("the schema accepts the mutated document")
			}
			if !strings.Contains(err.Error(), tc.where) {
				t.Errorf("error does not point at %s:\n%v", tc.where, err)
			}
		})
	}
}

// TestSchemaMatchesTypes walks the Go types of the dossier beside the
// schema: every JSON property of every struct is declared, nothing else
// is, a property is required exactly when it is not omitempty, and the
// JSON types agree.
func TestSchemaMatchesTypes(t *testing.T) {
	root := schemaMap(t)
	if got := root["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", got)
	}
	if got := root["properties"].(map[string]any)["schema"].(map[string]any)["const"]; got != SchemaVersion {
		t.Errorf("schema const = %v, want %s", got, SchemaVersion)
	}
	w := &schemaWalker{t: t, root: root, seen: map[string]bool{}}
	w.walk("", reflect.TypeFor[Dossier](), root)
	for name := range root["$defs"].(map[string]any) {
		if !w.seen[name] {
			t.Errorf("$defs/%s is used by no field of the dossier", name)
		}
	}
}

// TestSchemaTopLevelMatchesDossier is the plain check of the ten parts
// and the rest: the top-level properties of the schema are the json tags
// of Dossier, and each has a description.
func TestSchemaTopLevelMatchesDossier(t *testing.T) {
	props := schemaMap(t)["properties"].(map[string]any)
	var tags []string
	typ := reflect.TypeFor[Dossier]()
	for i := range typ.NumField() {
		name, _ := jsonName(typ.Field(i))
		if name == "" {
			continue
		}
		tags = append(tags, name)
		p, ok := props[name].(map[string]any)
		if !ok {
			t.Errorf("Dossier.%s (json %q) is not declared in schema.json", typ.Field(i).Name, name)
			continue
		}
		if d, _ := p["description"].(string); d == "" {
			t.Errorf("property %s has no description", name)
		}
	}
	for name := range props {
		if !slices.Contains(tags, name) {
			t.Errorf("schema.json declares %q, which Dossier does not have", name)
		}
	}
}

// TestSchemaEnumsMatchTheDomain keeps the fixed lists of the schema equal
// to the Go lists they document.
func TestSchemaEnumsMatchTheDomain(t *testing.T) {
	defs := schemaMap(t)["$defs"].(map[string]any)
	enum := func(def, prop string) []string {
		p := defs[def].(map[string]any)["properties"].(map[string]any)[prop].(map[string]any)
		var out []string
		for _, v := range p["enum"].([]any) {
			out = append(out, v.(string))
		}
		sort.Strings(out)
		return out
	}
	sorted := func(vs ...string) []string { sort.Strings(vs); return vs }
	strs := func(vs any) []string {
		var out []string
		rv := reflect.ValueOf(vs)
		for i := range rv.Len() {
			out = append(out, rv.Index(i).String())
		}
		return sorted(out...)
	}
	for _, tc := range []struct {
		def, prop string
		want      []string
	}{
		{"link", "kind", strs(armstrace.ClaimKinds)},
		{"link", "status", sorted(string(armstrace.StatusAlleged), string(armstrace.StatusVerified), string(armstrace.StatusContested), string(armstrace.StatusRetracted))},
		{"partner", "role", strs(graph.Roles)},
		{"identity", "kind", strs(armstrace.EntityKinds)},
		{"node", "type", sorted(string(armstrace.ObjectEntity), string(armstrace.ObjectEvent), string(armstrace.ObjectCeasefire))},
		{"citation", "access", sorted(string(armstrace.AccessPublic), string(armstrace.AccessRestricted), string(armstrace.AccessConfidential), "unknown")},
	} {
		if got := enum(tc.def, tc.prop); !slices.Equal(got, tc.want) {
			t.Errorf("$defs/%s/%s enum = %v, want %v", tc.def, tc.prop, got, tc.want)
		}
	}
}

func TestSchemaIsIndentedJSON(t *testing.T) {
	b, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("schema.json: %v", err)
	}
}

// jsonName returns a field's JSON name and whether it is omitempty; ""
// for a field JSON leaves out.
func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, slices.Contains(strings.Split(opts, ","), "omitempty")
}

type schemaWalker struct {
	t    *testing.T
	root map[string]any
	seen map[string]bool // $defs used
}

// resolve follows a local $ref.
func (w *schemaWalker) resolve(node map[string]any) map[string]any {
	ref, ok := node["$ref"].(string)
	if !ok {
		return node
	}
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		w.t.Fatalf("$ref %s is not local", ref)
	}
	w.seen[name] = true
	def, ok := w.root["$defs"].(map[string]any)[name].(map[string]any)
	if !ok {
		w.t.Fatalf("$ref %s names no definition", ref)
	}
	return def
}

func (w *schemaWalker) walk(path string, typ reflect.Type, node map[string]any) {
	t := w.t
	if ref, ok := node["$ref"].(string); ok && w.seen[strings.TrimPrefix(ref, "#/$defs/")] {
		return // each definition is checked once, where it is first met
	}
	node = w.resolve(node)
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	jsonType, _ := node["type"].(string)
	typeIs := func(want string) {
		if jsonType == want {
			return
		}
		if jsonType == "" && want == "string" && (node["enum"] != nil || node["const"] != nil) {
			return
		}
		t.Errorf("%s: schema type %q, Go type %s wants %q", path, jsonType, typ, want)
	}
	switch {
	case typ == reflect.TypeFor[time.Time]():
		typeIs("string")
		if node["format"] != "date-time" {
			t.Errorf("%s: a time should have format date-time", path)
		}
	case typ.Kind() == reflect.Struct:
		typeIs("object")
		if node["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties should be false, so that an undocumented field fails", path)
		}
		props, _ := node["properties"].(map[string]any)
		required := map[string]bool{}
		for _, r := range node["required"].([]any) {
			required[r.(string)] = true
		}
		fields := map[string]bool{}
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, omit := jsonName(f)
			if name == "" {
				continue
			}
			fields[name] = true
			p, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s.%s (%s.%s) is not declared in schema.json", path, name, typ.Name(), f.Name)
				continue
			}
			switch {
			case !omit && !required[name]:
				t.Errorf("%s.%s is always written but not required", path, name)
			case omit && required[name]:
				t.Errorf("%s.%s is omitempty but required", path, name)
			}
			w.walk(path+"."+name, f.Type, p)
		}
		for name := range props {
			if !fields[name] {
				t.Errorf("%s.%s is declared in schema.json but %s has no such field", path, name, typ.Name())
			}
		}
	case typ.Kind() == reflect.Slice:
		typeIs("array")
		items, ok := node["items"].(map[string]any)
		if !ok {
			t.Errorf("%s: array without items", path)
			return
		}
		w.walk(path+"[]", typ.Elem(), items)
	case typ.Kind() == reflect.String:
		typeIs("string")
	case typ.Kind() == reflect.Bool:
		typeIs("boolean")
	case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Uint64:
		typeIs("integer")
	case typ.Kind() == reflect.Float32 || typ.Kind() == reflect.Float64:
		typeIs("number")
	default:
		t.Errorf("%s: no rule for Go type %s", path, typ)
	}
}
