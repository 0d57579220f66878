package ofac

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

// result is what a whole read gave.
type result struct {
	rows     []ingest.Row
	bad      []*armstrace.Error
	ds       ingest.Dataset
	rd       *reader
	entities map[string]*armstrace.Entity
	claims   map[string]*armstrace.Claim
}

func readFile(t testing.TB, path string) *result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readFrom(t, f, ingesttest.Env(path), nil)
}

// readFrom reads r; files, when not nil, stands in for the sibling files.
func readFrom(t testing.TB, r io.Reader, env *ingest.Env, files map[string]string) *result {
	t.Helper()
	var (
		rdr ingest.Reader
		ds  ingest.Dataset
		err error
	)
	if files == nil {
		rdr, ds, err = Format.Open(r, env)
	} else {
		rdr, ds, err = openWith(r, env, memFiles(files))
	}
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
	return res
}

func memFiles(files map[string]string) func(string) (io.ReadCloser, error) {
	return func(p string) (io.ReadCloser, error) {
		s, ok := files[filepath.Base(p)]
		if !ok {
			return nil, fmt.Errorf("open %s: %w", p, os.ErrNotExist)
		}
		return io.NopCloser(strings.NewReader(s)), nil
	}
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
		t.Fatalf("no claim %s", id)
	}
	return c
}

func (r *result) warned(substr string) bool {
	for _, w := range r.rd.Warnings() {
		if strings.Contains(w, substr) {
			return true
		}
	}
	return false
}

func has(ids []armstrace.Identifier, scheme, value string) bool {
	return slices.Contains(ids, armstrace.Identifier{Scheme: scheme, Value: value})
}

func names(ns []armstrace.Name) []string {
	var out []string
	for _, n := range ns {
		out = append(out, string(n.Kind)+":"+n.Value)
	}
	return out
}

func TestSDN2019Excerpt(t *testing.T) {
	res := readFile(t, "testdata/sdn2019/sdn_2019_sdn.csv")
	if len(res.bad) != 0 {
		t.Fatalf("bad rows: %v", res.bad)
	}
	if res.ds.Name != "OFAC Specially Designated Nationals and Blocked Persons List (SDN)" || res.ds.Publisher != "U.S. Department of the Treasury, Office of Foreign Assets Control" || res.ds.License != "US Government work, public domain" || res.ds.Version != "" {
		t.Errorf("dataset: %+v", res.ds)
	}
	if len(res.rows) != 9+1 { // nine entries, one Linked To claim
		t.Errorf("%d rows, want 10", len(res.rows))
	}

	// The sanctioning state is merged once, in the first row, before
	// the claims that cite it.
	if op := res.rows[0].Ops[0]; op.Mode != ingest.Merge || op.Record.RecordID() != "ent:united-states" {
		t.Errorf("first op: %v %s", op.Mode, op.Record.RecordID())
	}
	n := 0
	for _, row := range res.rows {
		for _, op := range row.Ops {
			if op.Record.RecordID() == "ent:united-states" {
				n++
			}
		}
	}
	if n != 1 {
		t.Errorf("the United States emitted %d times", n)
	}

	// ROSOBORONEKSPORT OAO, field by field.
	e := res.entity(t, "ofac:18782")
	want := &armstrace.Entity{
		ID:   "ofac:18782",
		Kind: armstrace.EntityCompany,
		Name: "ROSOBORONEKSPORT OAO",
		Aliases: []armstrace.Name{
			{Value: "RUSSIAN DEFENSE EXPORT ROSOBORONEXPORT", Kind: armstrace.NameAlias, Script: "Latn"},
			{Value: "ROSOBORONEXPORT JSC", Kind: armstrace.NameAlias, Script: "Latn"},
			{Value: "ROSOBORONEKSPORT OJSC", Kind: armstrace.NameAlias, Script: "Latn"},
			{Value: "OJSC ROSOBORONEXPORT", Kind: armstrace.NameAlias, Script: "Latn"},
			{Value: "ROSOBORONEXPORT", Kind: armstrace.NameAlias, Script: "Latn"},
		},
		Identifiers: []armstrace.Identifier{
			{Scheme: "ofac-ent", Value: "18782"},
			{Scheme: "website", Value: "www.roe.ru"},
			{Scheme: "ru-ogrn", Value: "1117746521452"},
			{Scheme: "ru-inn", Value: "7718852163"},
		},
		Country: "RU",
		Description: "OFAC SDN List entry 18782 (programs SYRIA, UKRAINE-EO13662).\n" +
			"Address: 27 Stromynka ul., Moscow 107076, Russia\n" +
			"Remarks: Website www.roe.ru; Executive Order 13662 Directive Determination - Subject to Directive 3; Registration ID 1117746521452; Tax ID No. 7718852163; Government Gazette Number 56467052; For more information on directives, please visit the following link: http://www.treasury.gov/resource-center/sanctions/Programs/Pages/ukraine.aspx#directives; Linked To: ROSTEC.",
		Citations: []armstrace.Citation{{Source: "src:test", Locator: "ent_num 18782, line 8"}},
	}
	if d := cmp.Diff(want, e); d != "" {
		t.Errorf("entity 18782 (-want +got):\n%s", d)
	}
	c := res.claim(t, "ofac:18782:sanction")
	wantClaim := &armstrace.Claim{
		ID:         "ofac:18782:sanction",
		Kind:       armstrace.ClaimSanctioned,
		Subject:    "ent:united-states",
		Object:     "ofac:18782",
		ObjectType: armstrace.ObjectEntity,
		Status:     armstrace.StatusVerified,
		Confidence: 0.95,
		Attrs: armstrace.ClaimAttrs{Sanction: &armstrace.Sanction{
			Programs:    []string{"SYRIA", "UKRAINE-EO13662"},
			LegalBasis:  "Executive Order 13662 Directive Determination - Subject to Directive 3",
			ListEntryID: "18782",
		}},
		Notes:     "Listed on the OFAC SDN List.",
		Citations: []armstrace.Citation{{Source: "src:test", Locator: "ent_num 18782, line 8"}},
	}
	if d := cmp.Diff(wantClaim, c); d != "" {
		t.Errorf("sanction of 18782 (-want +got):\n%s", d)
	}
	// ROSTEC is not on the 2019 SDN list: the link stays in the remarks
	// and is reported, and no claim points at a missing entity.
	for id := range res.claims {
		if strings.HasPrefix(id, "ofac:18782:linked") {
			t.Errorf("unexpected claim %s", id)
		}
	}
	if !res.warned(`entry 18782 (line 8): "Linked To: ROSTEC." names no entry of this list`) {
		t.Errorf("no warning about ROSTEC: %q", res.rd.Warnings())
	}

	// A tanker: flag, IMO number, former names, and a resolved link.
	v := res.entity(t, "ofac:15036")
	if v.Kind != armstrace.EntityVessel || v.Country != "IR" || !has(v.Identifiers, "imo", "9187629") {
		t.Errorf("vessel 15036: %+v", v)
	}
	if got := names(v.Aliases); !slices.Equal(got, []string{"former:ABADAN", "former:ALPHA", "former:SHONA"}) {
		t.Errorf("vessel aliases: %q", got)
	}
	if !strings.Contains(v.Description, "Vessel: call sign T2EU4; type Crude/Oil Products Tanker; tonnage 99,144; GRT 56,068; flag Iran") {
		t.Errorf("vessel description: %q", v.Description)
	}
	l := res.claim(t, "ofac:15036:linked:15117")
	if l.Kind != armstrace.ClaimControls || l.Subject != "ofac:15117" || l.Object != "ofac:15036" || l.Status != armstrace.StatusAlleged || l.Confidence != 0.5 || !strings.HasPrefix(l.Notes, "OFAC: 'Linked To'") || l.Citations[0].Locator != "ent_num 15036, line 5" {
		t.Errorf("link claim: %+v", l)
	}
	// The link claim comes after both entities.
	if last := res.rows[len(res.rows)-1]; last.Line != 5 || last.Ops[0].Record.RecordID() != "ofac:15036:linked:15117" {
		t.Errorf("last row: line %d %s", last.Line, last.Ops[0].Record.RecordID())
	}

	// A vessel without IMO number, its owner and flag kept.
	s := res.entity(t, "ofac:4243")
	if s.Country != "CY" || !strings.Contains(s.Description, "owner Sand & Swan Navigation Co. Ltd.") || !slices.Equal(names(s.Aliases), []string{"former:ANA I"}) {
		t.Errorf("vessel 4243: %+v", s)
	}

	// An aircraft is a craft, kept as a vessel and said to be an aircraft.
	a := res.entity(t, "ofac:15431")
	if a.Kind != armstrace.EntityVessel || !strings.HasPrefix(a.Description, "OFAC SDN List entry 15431, an aircraft (programs SDGT).") {
		t.Errorf("aircraft: %+v", a)
	}

	// A person, with remarks continued in the comments file mid-word
	// ("PROMO RAI" + "Z S.A.S.").
	p := res.entity(t, "ofac:12300")
	if p.Kind != armstrace.EntityPerson || p.Country != "CO" || len(p.Aliases) != 2 {
		t.Errorf("person 12300: %+v", p)
	}
	if !strings.Contains(p.Description, "Linked To: PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL INMOBILIARIA") {
		t.Errorf("remarks not continued: %q", p.Description)
	}
	if !strings.Contains(p.Description, "Address: Calle 6 No. 33-29 Apto. 801, Medellin, Colombia") {
		t.Errorf("addresses: %q", p.Description)
	}

	// Sibling rows for entries the excerpt lacks are reported.
	if !res.warned("alias rows (alt) name 1 ent_num(s) that the main file lacks, not imported: 26232") {
		t.Errorf("orphan aliases not reported: %q", res.rd.Warnings())
	}
	if !res.warned("remarks continuation rows (comments) name 1 ent_num(s) that the main file lacks, not imported: 45430") {
		t.Errorf("orphan comments not reported: %q", res.rd.Warnings())
	}
	if u := res.rd.Unresolved(); len(u) != 0 {
		t.Errorf("unresolved: %q", u)
	}
	// Every entry has its sanction.
	for id, e := range res.entities {
		if strings.HasPrefix(id, "ofac:") {
			if _, ok := res.claims[id+":sanction"]; !ok {
				t.Errorf("%s (%s) has no sanction claim", id, e.Name)
			}
		}
	}
}

func TestConsolidated2025Excerpt(t *testing.T) {
	res := readFile(t, "testdata/cons2025/nonsdn_2025_cons_prim.csv")
	if len(res.bad) != 0 {
		t.Fatalf("bad rows: %v", res.bad)
	}
	if res.ds.Name != "OFAC Consolidated Sanctions List (non-SDN)" {
		t.Errorf("dataset: %+v", res.ds)
	}
	e := res.entity(t, "ofac:18782")
	if !has(e.Identifiers, "ru-inn", "7718852163") || !has(e.Identifiers, "ru-ogrn", "1117746521452") || len(e.Aliases) != 3 {
		t.Errorf("18782: %+v", e)
	}
	c := res.claim(t, "ofac:18782:sanction-cons")
	if d := cmp.Diff([]string{"UKRAINE-EO13662", "IRAN-CON-ARMS-EO", "RUSSIA-EO14024"}, c.Attrs.Sanction.Programs); d != "" {
		t.Errorf("programs: %s", d)
	}
	if c.Notes != "Listed on the OFAC Consolidated (non-SDN) List." {
		t.Errorf("notes: %q", c.Notes)
	}
	// "Linked To: STATE CORPORATION ROSTEC." names entry 17260.
	l := res.claim(t, "ofac:18782:linked:17260")
	if l.Kind != armstrace.ClaimControls || l.Subject != "ofac:17260" || l.Object != "ofac:18782" || l.Status != armstrace.StatusAlleged || l.Confidence != 0.5 {
		t.Errorf("ROSTEC link: %+v", l)
	}
	if !strings.Contains(l.Notes, `"Linked To: STATE CORPORATION ROSTEC."`) {
		t.Errorf("link notes: %q", l.Notes)
	}
	// Entry 18291 repeats the tax id of 17015: the first keeps it, the
	// second says so, and a warning reports it.
	if !has(res.entity(t, "ofac:17015").Identifiers, "ru-inn", "7750004150") {
		t.Errorf("17015 lost its INN")
	}
	b := res.entity(t, "ofac:18291")
	for _, x := range b.Identifiers {
		if x.Value == "7750004150" {
			t.Errorf("18291 kept %v", x)
		}
	}
	if !strings.Contains(b.Description, "Identifier not attached: ru-inn 7750004150 (also listed for entry 17015, line 4, which keeps it).") {
		t.Errorf("18291 description: %q", b.Description)
	}
	if !res.warned("entry 18291 (line 6): identifier ru-inn 7750004150") {
		t.Errorf("no collision warning: %q", res.rd.Warnings())
	}
	// Remarks continued in cons_comments.csv; a listing date in them.
	r := res.entity(t, "ofac:17014")
	if !strings.HasSuffix(r.Description, "a.k.a. 'RUSAG'.") || !has(r.Identifiers, "ru-ogrn", "1027700342890") {
		t.Errorf("17014: %q %v", r.Description, r.Identifiers)
	}
	if !res.warned(`entry 9647 (line 2): "Linked To: HAMAS." names no entry of this list`) {
		t.Errorf("HAMAS link not reported: %q", res.rd.Warnings())
	}
	if u := res.rd.Unresolved(); !slices.Equal(u, []string{"Region: Gaza"}) {
		t.Errorf("unresolved: %q", u)
	}
	listed := 0
	for _, c := range res.claims {
		if s := c.Attrs.Sanction; s != nil && s.Listed != "" {
			listed++
			if s.Listed != "2022-02-24" {
				t.Errorf("%s listed %s", c.ID, s.Listed)
			}
		}
	}
	if listed != 1 {
		t.Errorf("%d claims with a listing date, want 1", listed)
	}
}

func TestSharedSDN2019(t *testing.T) {
	res := readFile(t, ingesttest.Shared(t, "matching/ofac/sdn_2019_sdn.csv"))
	checkWhole(t, res, 7379, 9682)
	e := res.entity(t, "ofac:18782")
	if len(e.Aliases) != 5 || !has(e.Identifiers, "ru-inn", "7718852163") || !has(e.Identifiers, "ru-ogrn", "1117746521452") {
		t.Errorf("18782: %+v", e)
	}
	if d := cmp.Diff([]string{"SYRIA", "UKRAINE-EO13662"}, res.claim(t, "ofac:18782:sanction").Attrs.Sanction.Programs); d != "" {
		t.Errorf("programs: %s", d)
	}
	if !res.warned(`"Linked To: ROSTEC."`) {
		t.Error("ROSTEC link not reported")
	}
}

func TestSharedConsolidated2025(t *testing.T) {
	res := readFile(t, ingesttest.Shared(t, "matching/ofac/nonsdn_2025_cons_prim.csv"))
	checkWhole(t, res, 442, 1073)
	res.claim(t, "ofac:18782:linked:17260")
}

// checkWhole checks that every entry of a shared file is read and every
// alias attached. SOURCES.md gives 7,378 entries and 9,681 aliases for the
// 2019 files: those are `wc -l` counts, and the 2019 files lack a final
// newline, so each holds one row more (the 2025 files end in CR LF and the
// end-of-file mark 0x1A, and wc counts them right).
func checkWhole(t *testing.T, res *result, entries, aliases int) {
	t.Helper()
	if len(res.bad) != 0 {
		t.Errorf("%d bad rows, first %v", len(res.bad), res.bad[0])
	}
	n, a := 0, 0
	for id, e := range res.entities {
		if !strings.HasPrefix(id, "ofac:") {
			continue
		}
		n++
		a += len(e.Aliases)
		if _, ok := res.claims[id+":sanction"]; !ok {
			if _, ok := res.claims[id+":sanction-cons"]; !ok {
				t.Errorf("%s has no sanction claim", id)
			}
		}
	}
	if n != entries || a != aliases {
		t.Errorf("%d entries with %d aliases, want %d and %d", n, a, entries, aliases)
	}
	for _, w := range res.rd.Warnings() {
		if strings.Contains(w, "alias rows") || strings.Contains(w, "address rows") || strings.Contains(w, "not found") {
			t.Errorf("warning: %s", w)
		}
	}
	t.Logf("%d entries, %d aliases, %d claims, %d warnings, unresolved countries %q", n, a, len(res.claims), len(res.rd.Warnings()), res.rd.Unresolved())
}

const goodRow = `1,"GOOD CO",-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\n"

func TestBadRows(t *testing.T) {
	in := goodRow +
		`x2,"BAD NUMBER",-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\n" +
		`3,-0- ,-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\n" +
		`4,"ODD TYPE","spaceship","SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\n" +
		`5,"SHORT ROW",-0- ,"SYRIA"` + "\n" +
		`1,"GOOD CO AGAIN",-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\n" +
		"7,\"CONTROL\x01CHAR\",-0- ,\"SYRIA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n" +
		`8,"LAST GOOD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\n"
	res := readFrom(t, strings.NewReader(in), ingesttest.Env("-"), nil)
	type want struct {
		line  int
		field string
	}
	var got []want
	for _, e := range res.bad {
		got = append(got, want{e.Line, e.Field})
	}
	if d := cmp.Diff([]want{{2, "ent_num"}, {3, "SDN_Name"}, {4, "SDN_Type"}, {5, ""}, {6, "ent_num"}, {7, "name"}}, got, cmp.AllowUnexported(want{})); d != "" {
		t.Errorf("bad rows (-want +got):\n%s", d)
	}
	for _, e := range res.bad {
		if e.Code != armstrace.EINVALID || e.Message == "" {
			t.Errorf("%+v", e)
		}
	}
	if _, ok := res.entities["ofac:8"]; !ok || len(res.rows) != 2 {
		t.Errorf("the reader did not go on after bad rows: %d rows", len(res.rows))
	}
	if !res.warned("standard input") {
		t.Errorf("warnings: %q", res.rd.Warnings())
	}
}

// TestRowsReadCountsBadRows counts every entry row read, the rejected
// ones too: a run reports rows read, of which some were rejected.
func TestRowsReadCountsBadRows(t *testing.T) {
	in := goodRow +
		`x2,"BAD NUMBER",-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\n" +
		"\n" +
		`3,"GOOD TOO",-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\n\x1a"
	res := readFrom(t, strings.NewReader(in), ingesttest.Env("-"), nil)
	if len(res.bad) != 1 || res.entities["ofac:1"] == nil || res.entities["ofac:3"] == nil {
		t.Fatalf("bad %v, entities %v", res.bad, res.entities)
	}
	if n := res.rd.RowsRead(); n != 3 {
		t.Errorf("%d rows read, want 3 (2 good, 1 rejected)", n)
	}
}

// TestTruncatedFile reports a main file cut inside a quoted remark as a
// bad row at its line, instead of importing the cut remark as whole.
func TestTruncatedFile(t *testing.T) {
	in := goodRow +
		`2,"CUT SHORT",-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1960; Passport 12` // cut here
	res := readFrom(t, strings.NewReader(in), ingesttest.Env("-"), nil)
	if len(res.bad) != 1 || res.bad[0].Line != 2 || res.bad[0].Code != armstrace.EINVALID || !strings.Contains(res.bad[0].Message, "cut short") {
		t.Fatalf("bad rows %v", res.bad)
	}
	if _, ok := res.entities["ofac:2"]; ok || res.entities["ofac:1"] == nil {
		t.Errorf("the cut entry was imported: %v", res.entities)
	}
	if n := res.rd.RowsRead(); n != 2 {
		t.Errorf("%d rows read, want 2", n)
	}
	// A remark of several lines, cut.
	in = goodRow + `2,"CUT SHORT",-0- ,"SYRIA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1960;` + "\nPassport 12\n"
	res = readFrom(t, strings.NewReader(in), ingesttest.Env("-"), nil)
	if len(res.bad) != 1 || res.bad[0].Line != 2 || !strings.Contains(res.bad[0].Message, "(lines 2–3)") {
		t.Fatalf("bad rows %v", res.bad)
	}
	// A cut sibling file is warned about, its other rows kept.
	res = readFrom(t, strings.NewReader(goodRow), ingesttest.Env("/data/sdn.csv"), map[string]string{
		"alt.csv":          "1,1,\"aka\",\"KEPT\",-0- \n1,2,\"aka\",\"CUT",
		"add.csv":          "",
		"sdn_comments.csv": "",
	})
	if e := res.entity(t, "ofac:1"); len(e.Aliases) != 1 || !res.warned("alt.csv line 2: the row ends inside a quoted cell") {
		t.Errorf("aliases %v, warnings %q", e.Aliases, res.rd.Warnings())
	}
}

func TestQuirks(t *testing.T) {
	// A byte-order mark, a Windows-1252 byte (0xC9, É), CR LF line ends,
	// blank lines, OFAC's "-0-" with and without its space and cut to
	// "-0", and the end-of-file mark 0x1A.
	main := "\ufeff10,\"CAF\xc9 NOIR\",\"individual\",\"SDGT\",\"Minister\",-0- ,-0-,-0- ,-0- ,-0- ,-0- ,\"Tax ID No. 123 (Cyprus); Website HTTP://WWW.Example.COM/.\"\r\n" +
		"\r\n" +
		"11,\"SHIP\",\"vessel\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,\"Korea, North\",-0- ,\"Vessel Registration Identification IMO 1234567.\"\r\n" +
		"12,\"PLANE\",\"aircraft\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,\"Atlantis\",-0- ,\"IMO 7654321; Linked To: CAFÉ NOIR\"\r\n" +
		"\x1a"
	files := map[string]string{
		"alt.csv":          "10,1,\"aka\",\"KAFE\",-0- \r\n10,2,\"nka\",\"CAFE NEW\",\"weak\"\r\n11,3,\"spelling\",\"BAD\",-0- \r\n\x1a",
		"add.csv":          "10,1,-0- ,\"Nicosia\",\"Cyprus\",-0-\r\n10,2,\"1 Main St\",-0- ,\"Russia\",-0\r\n",
		"sdn_comments.csv": "",
	}
	res := readFrom(t, strings.NewReader(main), ingesttest.Env("/data/sdn.csv"), files)
	if len(res.bad) != 0 {
		t.Fatalf("bad: %v", res.bad)
	}
	p := res.entity(t, "ofac:10")
	if p.Name != "CAFÉ NOIR" || p.Kind != armstrace.EntityPerson || p.Country != "CY" {
		t.Errorf("person: %+v", p)
	}
	if !has(p.Identifiers, "tax-id", "123") || !has(p.Identifiers, "website", "www.example.com") {
		t.Errorf("identifiers: %v", p.Identifiers)
	}
	if d := cmp.Diff([]string{"alias:KAFE", "alias:CAFE NEW"}, names(p.Aliases)); d != "" {
		t.Errorf("aliases: %s", d)
	}
	if !strings.Contains(p.Description, "Title: Minister\n") || !strings.Contains(p.Description, "Alias CAFE NEW (nka): weak") || !strings.Contains(p.Description, "Address: Nicosia, Cyprus\nAddress: 1 Main St, Russia") {
		t.Errorf("description: %q", p.Description)
	}
	if strings.Contains(p.Description, "-0") {
		t.Errorf("an empty mark leaked: %q", p.Description)
	}
	s := res.entity(t, "ofac:11")
	if s.Country != "KP" || !has(s.Identifiers, "imo", "1234567") {
		t.Errorf("ship: %+v", s)
	}
	a := res.entity(t, "ofac:12")
	if a.Country != "" || len(a.Identifiers) != 1 {
		t.Errorf("plane (no IMO ship number, unknown flag): %+v", a)
	}
	res.claim(t, "ofac:12:linked:10")
	if u := res.rd.Unresolved(); !slices.Equal(u, []string{"Atlantis"}) {
		t.Errorf("unresolved: %q", u)
	}
	if !res.warned("alt.csv line 3: alt_type \"spelling\" is not aka, fka or nka; skipped") {
		t.Errorf("warnings: %q", res.rd.Warnings())
	}
	for _, row := range res.rows {
		if row.Line < 1 || row.Line > 4 {
			t.Errorf("row line %d", row.Line)
		}
	}
}

func TestMissingSiblings(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sdn.csv")
	if err := os.WriteFile(p, []byte(goodRow), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alt.csv"), []byte(`1,1,"aka","GOOD COMPANY",-0- `), 0o644); err != nil {
		t.Fatal(err)
	}
	res := readFile(t, p)
	if len(res.entity(t, "ofac:1").Aliases) != 1 {
		t.Error("alt.csv was not read")
	}
	if !res.warned("add.csv not found beside sdn.csv: entries have no addresses") || !res.warned("sdn_comments.csv not found beside sdn.csv") || res.warned("alt.csv not found") {
		t.Errorf("warnings: %q", res.rd.Warnings())
	}
	// A name that says nothing of its siblings.
	res = readFrom(t, strings.NewReader(goodRow), ingesttest.Env("/tmp/list.csv"), nil)
	if !res.warned("list.csv is not named like OFAC's sdn.csv or cons_prim.csv") {
		t.Errorf("warnings: %q", res.rd.Warnings())
	}
}

func TestSiblingNames(t *testing.T) {
	for _, tc := range []struct{ in, alt, add, comments string }{
		{"/d/sdn.csv", "/d/alt.csv", "/d/add.csv", "/d/sdn_comments.csv"},
		{"/d/SDN.CSV", "/d/ALT.CSV", "/d/ADD.CSV", "/d/SDN_COMMENTS.CSV"},
		{"/d/sdn_2019_sdn.csv", "/d/sdn_2019_alt.csv", "/d/sdn_2019_add.csv", "/d/sdn_2019_sdn_comments.csv"},
		{"/d/cons_prim.csv", "/d/cons_alt.csv", "/d/cons_add.csv", "/d/cons_comments.csv"},
		{"/d/nonsdn_2025_cons_prim.csv", "/d/nonsdn_2025_cons_alt.csv", "/d/nonsdn_2025_cons_add.csv", "/d/nonsdn_2025_cons_comments.csv"},
		{"/d/Jan_CONS_PRIM.CSV", "/d/Jan_CONS_ALT.CSV", "/d/Jan_CONS_ADD.CSV", "/d/Jan_CONS_COMMENTS.CSV"},
	} {
		got, ok := siblings(filepath.FromSlash(tc.in))
		want := siblingPaths{filepath.FromSlash(tc.alt), filepath.FromSlash(tc.add), filepath.FromSlash(tc.comments)}
		if !ok || got != want {
			t.Errorf("siblings(%s) = %+v, %v", tc.in, got, ok)
		}
	}
	for _, in := range []string{"/d/alt.csv", "/d/list.csv", "/d/sdnx.csv", ""} {
		if _, ok := siblings(in); ok {
			t.Errorf("siblings(%q) found some", in)
		}
	}
}

func TestRefusesSiblingAsMain(t *testing.T) {
	for _, in := range []string{`18782,29576,"aka","RUSSIAN DEFENSE EXPORT ROSOBORONEXPORT",-0- `, "", "\x1a"} {
		_, _, err := Format.Open(strings.NewReader(in), ingesttest.Env("-"))
		var e *armstrace.Error
		if !errors.As(err, &e) || e.Code != armstrace.EINVALID {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestParseRemarks(t *testing.T) {
	resolve := func(s string) string {
		return map[string]string{"Russia": "RU", "Malta": "MT"}[s]
	}
	id := func(s, v string) armstrace.Identifier { return armstrace.Identifier{Scheme: s, Value: v} }
	for _, tc := range []struct {
		in, home string
		ids      []armstrace.Identifier
		legal    []string
		listed   armstrace.Date
		links    []string
	}{
		{in: "Tax ID No. 7718852163 (Russia).", ids: []armstrace.Identifier{id("ru-inn", "7718852163")}},
		{in: "Tax ID No. 7718852163", home: "RU", ids: []armstrace.Identifier{id("ru-inn", "7718852163")}},
		{in: "Tax ID No. 7718852163", ids: []armstrace.Identifier{id("tax-id", "7718852163")}},
		{in: "Tax ID No. 771885 (Russia)", ids: []armstrace.Identifier{id("tax-id", "771885")}},
		{in: "Tax ID No. 7718852163 (Malta)", home: "RU", ids: []armstrace.Identifier{id("tax-id", "7718852163")}},
		{in: "Registration ID 1117746521452; alt. Registration Number 1027700132195 (Russia)", home: "RU", ids: []armstrace.Identifier{id("ru-ogrn", "1117746521452"), id("ru-ogrn", "1027700132195")}},
		{in: "Registration ID HRB 12345 (Germany).", ids: []armstrace.Identifier{id("registration-id", "HRB 12345")}},
		{in: "Legal Entity Number 253400WSS48YWMBUA688; D-U-N-S Number 56-519-6564", ids: []armstrace.Identifier{id("lei", "253400WSS48YWMBUA688"), id("duns", "565196564")}},
		{in: "Website www.roe.ru; alt. Website http://www.RSHB.ru/.", ids: []armstrace.Identifier{id("website", "www.roe.ru"), id("website", "www.rshb.ru")}},
		{in: "Vessel Registration Identification IMO 9187629; Company Number IMO 5186387.", ids: []armstrace.Identifier{id("imo", "9187629"), id("imo-company", "5186387")}},
		{in: "Executive Order 13662 Directive Determination - Subject to Directive 3; alt. Executive Order 13662 Directive Determination - Subject to Directive 3", legal: []string{"Executive Order 13662 Directive Determination - Subject to Directive 3"}},
		{in: "Listing Date (EO 14024 Directive 3): 24 Feb 2022; Listing Date (CMIC) 03 Jun 2021; Listing Date (EO 14024 Direct", listed: "2021-06-03"},
		{in: "DOB 1962; Linked To: ROSTEC.; Linked To: GRUPO MUNDO MARINO, S.A.", links: []string{"ROSTEC.", "GRUPO MUNDO MARINO, S.A."}},
		{in: "Passport AF368431 (Colombia); Tax ID No. ; Website"},
	} {
		got := parseRemarks(tc.in, tc.home, resolve)
		want := remarks{ids: tc.ids, legal: tc.legal, listed: tc.listed, links: tc.links}
		if d := cmp.Diff(want, got, cmp.AllowUnexported(remarks{})); d != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, d)
		}
	}
}

func TestSplitPrograms(t *testing.T) {
	for in, want := range map[string][]string{
		"SYRIA] [UKRAINE-EO13662":   {"SYRIA", "UKRAINE-EO13662"},
		"[SYRIA] [UKRAINE-EO13662]": {"SYRIA", "UKRAINE-EO13662"},
		"SDGT":                      {"SDGT"},
		"SDGT] [SDGT":               {"SDGT"},
		"":                          nil,
	} {
		if got := splitPrograms(in); !slices.Equal(got, want) {
			t.Errorf("%q: %q", in, got)
		}
	}
}
