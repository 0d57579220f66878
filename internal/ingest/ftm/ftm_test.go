package ftm

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

type result struct {
	rows     []ingest.Row
	bad      []*armstrace.Error
	ds       ingest.Dataset
	rd       *reader
	entities map[string]*armstrace.Entity
	claims   map[string]*armstrace.Claim
}

func read(t testing.TB, in, file string) *result {
	t.Helper()
	rdr, ds, err := Format.Open(strings.NewReader(in), ingesttest.Env(file))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	res := &result{ds: ds, rd: rdr.(*reader), entities: map[string]*armstrace.Entity{}, claims: map[string]*armstrace.Claim{}}
	res.rows, res.bad = ingesttest.ReadAll(t, rdr)
	for _, e := range ingesttest.Records[*armstrace.Entity](res.rows) {
		res.entities[e.ID] = e
	}
	for _, c := range ingesttest.Records[*armstrace.Claim](res.rows) {
		if _, dup := res.claims[c.ID]; dup {
			t.Errorf("claim %s emitted twice", c.ID)
		}
		res.claims[c.ID] = c
	}
	// Every reference points at a record written before it.
	seen := map[string]bool{}
	for _, row := range res.rows {
		for _, op := range row.Ops {
			if c, ok := op.Record.(*armstrace.Claim); ok {
				if !seen[c.Subject] || !seen[c.Object] {
					t.Errorf("line %d: claim %s refers to %s → %s before they are written", row.Line, c.ID, c.Subject, c.Object)
				}
			}
			seen[op.Record.RecordID()] = true
		}
	}
	return res
}

func readFixture(t testing.TB) *result {
	b, err := os.ReadFile("testdata/entities.ftm.json")
	if err != nil {
		t.Fatal(err)
	}
	return read(t, string(b), "testdata/entities.ftm.json")
}

func (r *result) entity(t *testing.T, id string) *armstrace.Entity {
	t.Helper()
	e, ok := r.entities[id]
	if !ok {
		t.Fatalf("no entity %s", id)
	}
	return e
}

func (r *result) claim(t *testing.T, id string) *armstrace.Claim {
	t.Helper()
	c, ok := r.claims[id]
	if !ok {
		t.Fatalf("no claim %s among %v", id, keys(r.claims))
	}
	return c
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (r *result) warned(substr string) bool {
	for _, w := range r.rd.Warnings() {
		if strings.Contains(w, substr) {
			return true
		}
	}
	return false
}

func TestFixture(t *testing.T) {
	res := readFixture(t)
	if len(res.bad) != 0 {
		t.Fatalf("bad lines: %v", res.bad)
	}
	if res.ds.Name != "FollowTheMoney entities (entities.ftm.json)" {
		t.Errorf("dataset: %+v", res.ds)
	}
	if got := keys(res.entities); !slices.Equal(got, []string{"ent:united-states", "ftm:imo-9187629", "ftm:ir-nitc", "ftm:ru-mikheev-alexander", "ftm:ru-rosoboronexport", "ftm:ru-rostec"}) {
		t.Errorf("entities: %q", got)
	}

	e := res.entity(t, "ftm:ru-rosoboronexport")
	want := &armstrace.Entity{
		ID:   "ftm:ru-rosoboronexport",
		Kind: armstrace.EntityCompany,
		Name: "Rosoboronexport",
		Aliases: []armstrace.Name{
			{Value: "ROSOBORONEKSPORT OAO", Kind: armstrace.NameAlias, Script: "Latn"},
			{Value: "Рособоронэкспорт", Kind: armstrace.NameAlias, Script: "Cyrl"},
			{Value: "ROSOBORONEXPORT JSC", Kind: armstrace.NameAlias, Script: "Latn"},
			{Value: "FGUP Rosoboronexport", Kind: armstrace.NameFormer, Script: "Latn"},
		},
		Identifiers: []armstrace.Identifier{
			{Scheme: "ftm-id", Value: "ru-rosoboronexport"},
			{Scheme: "ru-inn", Value: "7718852163"},
			{Scheme: "ru-ogrn", Value: "1117746521452"},
			{Scheme: "website", Value: "www.roe.ru"},
		},
		Country: "RU",
		Description: "FollowTheMoney Company ru-rosoboronexport, datasets armstrace_fixture.\n" +
			"Marked as a target (a sanctioned or otherwise listed party).\n" +
			"topics: sanction\n" +
			"address: 27 Stromynka ul., Moscow 107076\n" +
			"first seen 2019-01-15T00:00:00, last seen 2025-12-19T00:00:00",
		Citations: []armstrace.Citation{{Source: "src:test", Locator: "id ru-rosoboronexport, line 2"}},
	}
	if d := cmp.Diff(want, e); d != "" {
		t.Errorf("Rosoboronexport (-want +got):\n%s", d)
	}

	// The ownership line comes first in the file; its claim is written
	// after both companies.
	own := res.claim(t, "ftm:own-rostec-rosoboronexport")
	wantOwn := &armstrace.Claim{
		ID:         "ftm:own-rostec-rosoboronexport",
		Kind:       armstrace.ClaimOwns,
		Subject:    "ftm:ru-rostec",
		Object:     "ftm:ru-rosoboronexport",
		ObjectType: armstrace.ObjectEntity,
		Status:     armstrace.StatusAlleged,
		Confidence: 0.7,
		Attrs:      armstrace.ClaimAttrs{Ownership: &armstrace.Ownership{Share: &armstrace.Range{Best: armstrace.Num(100), Unit: "%"}}},
		Notes:      "FollowTheMoney Ownership.\nrole: shareholder",
		Citations:  []armstrace.Citation{{Source: "src:test", Locator: "id own-rostec-rosoboronexport, line 1"}},
	}
	if d := cmp.Diff(wantOwn, own); d != "" {
		t.Errorf("ownership (-want +got):\n%s", d)
	}

	// A directorship is control, not ownership.
	dir := res.claim(t, "ftm:dir-mikheev-rosoboronexport")
	if dir.Kind != armstrace.ClaimControls || dir.Subject != "ftm:ru-mikheev-alexander" || dir.Object != "ftm:ru-rosoboronexport" || dir.ValidFrom != "2017" || dir.Attrs.Ownership != nil || dir.Notes != "FollowTheMoney Directorship.\nrole: Director General" {
		t.Errorf("directorship: %+v", dir)
	}

	// The OFAC sanction comes from the United States, merged once.
	s := res.claim(t, "ftm:sanction-ofac-18782")
	wantS := &armstrace.Claim{
		ID:         "ftm:sanction-ofac-18782",
		Kind:       armstrace.ClaimSanctioned,
		Subject:    "ent:united-states",
		Object:     "ftm:ru-rosoboronexport",
		ObjectType: armstrace.ObjectEntity,
		Status:     armstrace.StatusVerified,
		Confidence: 0.9,
		Attrs:      armstrace.ClaimAttrs{Sanction: &armstrace.Sanction{Programs: []string{"SYRIA", "UKRAINE-EO13662"}, ListEntryID: "18782"}},
		Notes:      "FollowTheMoney Sanction.\nauthority: Office of Foreign Assets Control",
		Citations:  []armstrace.Citation{{Source: "src:test", Locator: "id sanction-ofac-18782, line 3"}},
	}
	if d := cmp.Diff(wantS, s); d != "" {
		t.Errorf("sanction (-want +got):\n%s", d)
	}
	merges := 0
	for _, row := range res.rows {
		for _, op := range row.Ops {
			if op.Record.RecordID() == "ent:united-states" {
				merges++
				if op.Mode != ingest.Merge {
					t.Errorf("the United States written with mode %v", op.Mode)
				}
			}
		}
	}
	if merges != 1 {
		t.Errorf("the United States written %d times", merges)
	}

	v := res.entity(t, "ftm:imo-9187629")
	if v.Kind != armstrace.EntityVessel || v.Country != "IR" || !slices.Contains(v.Identifiers, armstrace.Identifier{Scheme: "imo", Value: "9187629"}) || len(v.Aliases) != 3 || v.Aliases[0].Kind != armstrace.NameFormer {
		t.Errorf("vessel: %+v", v)
	}
	res.claim(t, "ftm:sanction-ofac-15036")

	p := res.entity(t, "ftm:ru-mikheev-alexander")
	if p.Kind != armstrace.EntityPerson || p.Country != "RU" || p.Aliases[0].Script != "Cyrl" {
		t.Errorf("person: %+v", p)
	}

	if d := cmp.Diff(map[string]int{"Address": 1, "UnknownLink": 1}, res.rd.Skipped()); d != "" {
		t.Errorf("skipped: %s", d)
	}
	if !res.warned("skipped schemas armstrace does not import: 1 Address, 1 UnknownLink") {
		t.Errorf("warnings: %q", res.rd.Warnings())
	}
	if len(res.rd.Unresolved()) != 0 {
		t.Errorf("unresolved: %q", res.rd.Unresolved())
	}
	// Relations give rows at the end, at their own lines.
	var lines []int
	for _, row := range res.rows {
		lines = append(lines, row.Line)
	}
	if !slices.Equal(lines, []int{2, 4, 6, 7, 8, 1, 3, 5, 10}) {
		t.Errorf("row lines: %v", lines)
	}
}

func TestRelations(t *testing.T) {
	in := `{"id":"a","schema":"Company","properties":{"name":["A Co"],"taxNumber":["123"],"registrationNumber":["R-1"],"leiCode":["253400wss48ywmbua688"],"imoNumber":["5186387"]}}
{"id":"b","schema":"Organization","properties":{"name":["B Org"],"weakAlias":["BEE"],"taxNumber":["123"],"country":["suhh"]}}
{"id":"pb","schema":"PublicBody","properties":{"name":["Ministry"],"country":["eu"]}}
{"id":"s1","schema":"Sanction","properties":{"entity":["a","b"],"authority":["Council of the European Union"],"program":["RUS"],"programId":["EU-RUS"],"startDate":["2022-02-28"],"endDate":["2024-03"],"reason":["Supplies arms"],"provisions":["Asset freeze"]}}
{"id":"s2","schema":"Sanction","properties":{"entity":["a"],"authority":["Ministry of Foreign Affairs of Ukraine"],"listingDate":["2022-06-01T00:00:00"]}}
{"id":"s3","schema":"Sanction","properties":{"entity":["b"],"country":["gb"]}}
{"id":"s4","schema":"Sanction","properties":{"entity":["b"]}}
{"id":"s5","schema":"Sanction","properties":{"entity":["a"],"authority":["HM Treasury"]}}
{"id":"o1","schema":"Ownership","properties":{"owner":["a"],"asset":["b"],"percentage":["25-50%"]}}
{"id":"o2","schema":"Ownership","properties":{"owner":["a"],"asset":["pb"],"percentage":["more than 50%"]}}
{"id":"o3","schema":"Ownership","properties":{"owner":["a"],"asset":["pb"],"percentage":["a majority"]}}
{"id":"o4","schema":"Ownership","properties":{"owner":["missing"],"asset":["a"]}}
{"id":"f1","schema":"Family","properties":{"person":["x"],"relative":["y"]}}
`
	res := read(t, in, "-")
	if len(res.bad) != 0 {
		t.Fatalf("bad: %v", res.bad)
	}
	if res.ds.Name != "FollowTheMoney entities" {
		t.Errorf("dataset: %+v", res.ds)
	}
	a := res.entity(t, "ftm:a")
	if d := cmp.Diff([]armstrace.Identifier{{Scheme: "ftm-id", Value: "a"}, {Scheme: "lei", Value: "253400WSS48YWMBUA688"}, {Scheme: "imo-company", Value: "5186387"}, {Scheme: "tax-id", Value: "123"}, {Scheme: "registration-id", Value: "R-1"}}, a.Identifiers); d != "" {
		t.Errorf("identifiers: %s", d)
	}
	b := res.entity(t, "ftm:b")
	if b.Country != "SU" || len(b.Aliases) != 1 || b.Aliases[0].Value != "BEE" {
		t.Errorf("b: %+v", b)
	}
	// b repeats a's tax number: a keeps it.
	for _, x := range b.Identifiers {
		if x.Scheme == "tax-id" {
			t.Errorf("b kept %v", x)
		}
	}
	if !strings.Contains(b.Description, "Identifier not attached: tax-id 123 (also given for the entity on line 1, which keeps it).") || !res.warned("line 2 (b): identifier tax-id 123") {
		t.Errorf("collision not reported: %q %q", b.Description, res.rd.Warnings())
	}
	if pb := res.entity(t, "ftm:pb"); pb.Kind != armstrace.EntityAgency || pb.Country != "" {
		t.Errorf("public body: %+v", pb)
	}

	// An authority that names no state becomes an agency, once, and is
	// reported; the two targets give two claims.
	s1a, s1b := res.claim(t, "ftm:s1:1"), res.claim(t, "ftm:s1:2")
	if s1a.Subject != "ftm-authority:council-of-the-european-union" || s1a.Object != "ftm:a" || s1b.Object != "ftm:b" {
		t.Errorf("s1: %+v %+v", s1a, s1b)
	}
	wantSanction := &armstrace.Sanction{Programs: []string{"RUS", "EU-RUS"}, Listed: "2022-02-28", Delisted: "2024-03"}
	if d := cmp.Diff(wantSanction, s1a.Attrs.Sanction); d != "" || s1a.ValidFrom != "2022-02-28" || s1a.ValidTo != "2024-03" {
		t.Errorf("s1 attributes: %s %s–%s", d, s1a.ValidFrom, s1a.ValidTo)
	}
	if s1a.Notes != "FollowTheMoney Sanction.\nauthority: Council of the European Union\nreason: Supplies arms\nprovisions: Asset freeze" {
		t.Errorf("s1 notes: %q", s1a.Notes)
	}
	ag := res.entity(t, "ftm-authority:council-of-the-european-union")
	if ag.Kind != armstrace.EntityAgency || ag.Name != "Council of the European Union" {
		t.Errorf("agency: %+v", ag)
	}
	if !slices.Equal(res.rd.Unresolved(), []string{"Council of the European Union"}) {
		t.Errorf("unresolved: %q", res.rd.Unresolved())
	}
	// A long authority name in Cyrillic makes an id cut on a letter boundary.
	long := read(t, `{"id":"a","schema":"Company","properties":{"name":["A"]}}
{"id":"s","schema":"Sanction","properties":{"entity":["a"],"authority":["`+strings.Repeat("Міністерство ", 20)+`"]}}`, "-")
	if c := long.claim(t, "ftm:s"); len(c.Subject) > 128 || !strings.HasPrefix(c.Subject, "ftm-authority:міністерство-") {
		t.Errorf("long authority: %q", c.Subject)
	}
	if s2 := res.claim(t, "ftm:s2"); s2.Subject != "ent:ukraine" || s2.Attrs.Sanction.Listed != "2022-06-01" {
		t.Errorf("s2: %+v", s2)
	}
	if s3 := res.claim(t, "ftm:s3"); s3.Subject != "ent:united-kingdom" {
		t.Errorf("s3: %+v", s3)
	}
	if s5 := res.claim(t, "ftm:s5"); s5.Subject != "ent:united-kingdom" {
		t.Errorf("s5: %+v", s5)
	}
	if _, ok := res.claims["ftm:s4"]; ok || !res.warned("1 claim(s) not written: a sanction names no authority") {
		t.Errorf("s4 written or not reported: %q", res.rd.Warnings())
	}

	o1 := res.claim(t, "ftm:o1").Attrs.Ownership.Share
	if *o1.Low != 25 || *o1.High != 50 || o1.Best != nil || o1.Unit != "%" {
		t.Errorf("o1 share: %+v", o1)
	}
	o2 := res.claim(t, "ftm:o2")
	if s := o2.Attrs.Ownership.Share; *s.Low != 50 || s.High != nil || !s.Approximate || s.Qualifier != "more than" {
		t.Errorf("o2 share: %+v", s)
	}
	if !strings.Contains(o2.Notes, "percentage as given: more than 50%") {
		t.Errorf("o2 notes: %q", o2.Notes)
	}
	if o3 := res.claim(t, "ftm:o3"); o3.Attrs.Ownership != nil || !strings.Contains(o3.Notes, "percentage as given: a majority") {
		t.Errorf("o3: %+v", o3)
	}
	if _, ok := res.claims["ftm:o4"]; ok || !res.warned("1 claim(s) not written: a relation names an entity the file does not hold") || !res.warned("(first: o4 → missing, line 12)") {
		t.Errorf("o4 written or not reported: %q", res.rd.Warnings())
	}
	if res.rd.Skipped()["Family"] != 1 {
		t.Errorf("skipped: %v", res.rd.Skipped())
	}
}

func TestBadLines(t *testing.T) {
	good := `{"id":"ok%d","schema":"Company","properties":{"name":["OK"]}}`
	bad := []struct {
		line, field string
	}{
		{`not json`, ""},
		{`{"id":"x","schema":"Company","properties":{"name":["X"]}} trailing`, ""},
		{`["id","x"]`, ""},
		{`{"schema":"Company","properties":{"name":["X"]}}`, "id"},
		{`{"id":"x","properties":{"name":["X"]}}`, "schema"},
		{`{"id":5,"schema":"Company"}`, "id"},
		{`{"id":"x y","schema":"Company","properties":{"name":["X"]}}`, "id"},
		{`{"id":"x","schema":"Company","properties":{"name":["X"],"innCode":"7718852163"}}`, "properties.innCode"},
		{`{"id":"x","schema":"Company","properties":{"name":["X"],"innCode":[7718852163]}}`, "properties.innCode"},
		{`{"id":"x","schema":"Company","properties":{"name":["X"],"innCode":[null]}}`, "properties.innCode"},
		{`{"id":"x","schema":"Company","properties":{"name":["X"],"innCode":null}}`, "properties.innCode"},
		{`{"id":"x","schema":"Sanction","properties":{"entity":[{"id":"y"}]}}`, "properties.entity"},
		{`{"id":"x","schema":"Address","properties":{"full":{"a":"b"}}}`, "properties.full"},
		{`{"id":"x","schema":"Company","properties":[]}`, "properties"},
		{`{"id":"x","schema":"Company","properties":{"name":["A\u0000B"]}}`, "properties.name"},
		{`{"id":"x","schema":"Company","properties":{"alias":["X"]}}`, "properties.name"},
		{`{"id":"x","schema":"Company","properties":{"name":["X"]},"datasets":"d"}`, "datasets"},
		{`{"id":"x","schema":"Company","properties":{"name":["X"]},"target":"yes"}`, "target"},
		{`{"id":"x","schema":"Ownership","properties":{"owner":["a"],"asset":["a"]}}`, "properties.asset"},
		{`{"id":"x","schema":"Ownership","properties":{"asset":["a"]}}`, "properties.owner"},
		{`{"id":"x","schema":"Ownership","properties":{"owner":["a b"],"asset":["c"]}}`, "properties.owner"},
		{`{"id":"x","schema":"Directorship","properties":{"director":["a"],"organization":["b"],"startDate":["2017-13-01"]}}`, "properties.startDate"},
		{`{"id":"x","schema":"Directorship","properties":{"director":["a"],"organization":["b"],"startDate":["2017"],"endDate":["2016"]}}`, "properties.endDate"},
		{`{"id":"x","schema":"Sanction","properties":{"entity":["a"],"listingDate":["soon"]}}`, "properties.listingDate"},
	}
	var in strings.Builder
	for i, b := range bad {
		in.WriteString(b.line + "\n")
		in.WriteString(strings.Replace(good, "%d", string(rune('a'+i)), 1) + "\n")
	}
	res := read(t, in.String(), "-")
	if len(res.bad) != len(bad) {
		t.Fatalf("%d bad lines, want %d: %v", len(res.bad), len(bad), res.bad)
	}
	for i, e := range res.bad {
		if e.Line != 2*i+1 || e.Field != bad[i].field || e.Code != armstrace.EINVALID || e.Message == "" {
			t.Errorf("%s: got line %d field %q (%v), want line %d field %q", bad[i].line, e.Line, e.Field, e, 2*i+1, bad[i].field)
		}
	}
	if len(res.entities) != len(bad) {
		t.Errorf("%d good entities, want %d: the reader must go on after a bad line", len(res.entities), len(bad))
	}
}

func TestQuirks(t *testing.T) {
	// A byte-order mark, CR LF, blank lines, a very long line, a last
	// line without a line break.
	long := strings.Repeat("x", 200<<10)
	in := "\ufeff{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\" Иван Петров \",\"Ivan Petrov\"],\"citizenship\":[\"ru\"]}}\r\n" +
		"\r\n\n" +
		`{"id":"b","schema":"Airplane","properties":{"name":["EP-GOM"],"imoNumber":["1234567"],"notes":["` + long + `"]}}` + "\n" +
		`{"id":"c","schema":"LegalEntity","properties":{"name":["C"],"website":["HTTPS://Example.org/"],"dunsCode":["56-519-6564"],"country":["xx-yy","de"]}}`
	res := read(t, in, "-")
	if len(res.bad) != 0 {
		t.Fatalf("bad: %v", res.bad)
	}
	a := res.entity(t, "ftm:a")
	if a.Name != "Иван Петров" || a.Country != "RU" || a.Kind != armstrace.EntityPerson || a.Aliases[0].Script != "Latn" {
		t.Errorf("a: %+v", a)
	}
	b := res.entity(t, "ftm:b")
	if b.Kind != armstrace.EntityVessel || len(b.Identifiers) != 2 || b.Identifiers[1].Scheme != "imo-company" || len(b.Description) < 200<<10 {
		t.Errorf("b: kind %s ids %v", b.Kind, b.Identifiers)
	}
	c := res.entity(t, "ftm:c")
	if c.Country != "DE" || !slices.Contains(c.Identifiers, armstrace.Identifier{Scheme: "website", Value: "example.org"}) || !slices.Contains(c.Identifiers, armstrace.Identifier{Scheme: "duns", Value: "565196564"}) {
		t.Errorf("c: %+v", c)
	}
	if res.rows[2].Line != 5 {
		t.Errorf("line of c: %d", res.rows[2].Line)
	}
}

// TestEmptyFile refuses a file with no records, as the other readers
// refuse a file with no header or no entries: an import of it is an
// error, not a run that read nothing.
func TestEmptyFile(t *testing.T) {
	for _, in := range []string{"", "\ufeff", "\ufeff\r\n", "\n\n  \n"} {
		_, _, err := Format.Open(strings.NewReader(in), ingesttest.Env("x.json"))
		var e *armstrace.Error
		if !errors.As(err, &e) || e.Code != armstrace.EINVALID || !strings.HasPrefix(e.Message, "the file has no records") {
			t.Errorf("%q: %v", in, err)
		}
	}
	// Blank lines before the first record keep its line number.
	res := read(t, "\ufeff\n\n"+`{"id":"a","schema":"Company","properties":{"name":["A"]}}`+"\n", "-")
	if len(res.rows) != 1 || res.rows[0].Line != 3 || res.rd.RowsRead() != 3 {
		t.Errorf("rows %+v, %d read", res.rows, res.rd.RowsRead())
	}
	// A first line that is bad is a bad line, not a refused file.
	res = read(t, "not json\n"+`{"id":"a","schema":"Company","properties":{"name":["A"]}}`, "-")
	if len(res.bad) != 1 || res.bad[0].Line != 1 || len(res.rows) != 1 {
		t.Errorf("bad %v rows %d", res.bad, len(res.rows))
	}
}

func TestPercentage(t *testing.T) {
	f := armstrace.Num
	for _, tc := range []struct {
		in   []string
		want *armstrace.Range
		text string
	}{
		{nil, nil, ""},
		{[]string{"51"}, &armstrace.Range{Best: f(51), Unit: "%"}, ""},
		{[]string{"50.5 %"}, &armstrace.Range{Best: f(50.5), Unit: "%"}, ""},
		{[]string{"33,3"}, &armstrace.Range{Best: f(33.3), Unit: "%"}, ""},
		{[]string{"25-50%"}, &armstrace.Range{Low: f(25), High: f(50), Unit: "%"}, "25-50%"},
		{[]string{"under 10%"}, &armstrace.Range{High: f(10), Unit: "%", Approximate: true, Qualifier: "under"}, "under 10%"},
		{[]string{"about 20"}, &armstrace.Range{Best: f(20), Unit: "%", Approximate: true, Qualifier: "about"}, "about 20"},
		{[]string{"150"}, nil, "150"},
		{[]string{"50-25"}, nil, "50-25"},
		{[]string{"51", "49"}, &armstrace.Range{Best: f(51), Unit: "%"}, "51; 49"},
	} {
		got, text := percentage(tc.in)
		if d := cmp.Diff(tc.want, got); d != "" || text != tc.text {
			t.Errorf("%q: %s text %q", tc.in, d, text)
		}
	}
}

func TestAuthorities(t *testing.T) {
	rd := &reader{env: ingesttest.Env("-"), unresolved: map[string]bool{}}
	for _, tc := range []struct{ auth, want string }{
		{"Office of Foreign Assets Control", "ent:united-states"},
		{"US Department of the Treasury", "ent:united-states"},
		{"U.S. Department of State", "ent:united-states"},
		{"OFAC", "ent:united-states"},
		{"HM Treasury", "ent:united-kingdom"},
		{"Ministry of Foreign Affairs of Ukraine", "ent:ukraine"},
		{"Government of Canada", "ent:canada"},
		{"Japan", "ent:japan"},
		{"UK Foreign Office", "ent:united-kingdom"},
		{"Council of the European Union", ""},
		{"United Nations Security Council", ""},
		{"us and them", ""}, // short codes count only in capitals
		{"Russia and Ukraine joint body", ""},
	} {
		got := ""
		if s := rd.stateOf(tc.auth); s != nil {
			got = s.ID
		}
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.auth, got, tc.want)
		}
	}
}
