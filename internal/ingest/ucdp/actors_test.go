package ucdp

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

const actorsExcerpt = "testdata/ucdp-actor-221_excerpt.csv"

func entitiesOf(rows []ingest.Row) []*armstrace.Entity {
	return ingesttest.Records[*armstrace.Entity](rows)
}

// byUCDP returns the entity record written for each UCDP actor id.
func byUCDP(rows []ingest.Row) map[string]*armstrace.Entity {
	m := map[string]*armstrace.Entity{}
	for _, e := range entitiesOf(rows) {
		for _, id := range e.Identifiers {
			if id.Scheme == "ucdp-actor" {
				m[id.Value] = e
			}
		}
	}
	return m
}

func names(e *armstrace.Entity) map[string]armstrace.NameKind {
	m := map[string]armstrace.NameKind{}
	for _, a := range e.Aliases {
		m[a.Value] = a.Kind
	}
	return m
}

func TestActorsExcerpt(t *testing.T) {
	r, ds := openFile(t, ActorsFormat, actorsExcerpt)
	want := ingest.Dataset{
		Name: "UCDP Actor Dataset", Publisher: "Uppsala Conflict Data Program (UCDP)",
		Version: "22.1", URL: "https://ucdp.uu.se/downloads/", License: "CC BY 4.0",
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("dataset (-want +got):\n%s", diff)
	}
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) > 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	if len(rows) != 19 {
		t.Fatalf("%d rows, want 19", len(rows))
	}
	for _, row := range rows {
		if len(row.Ops) != 1 || row.Ops[0].Mode != ingest.Merge {
			t.Errorf("line %d: ops %+v, want one Merge", row.Line, row.Ops)
		}
	}
	if rows[0].Line != 2 {
		t.Errorf("first row at line %d (the BOM must not shift it)", rows[0].Line)
	}
	m := byUCDP(rows)

	// Syria, field by field: the curated state with UCDP's name and id.
	wantSyria := &armstrace.Entity{
		ID: "ent:syria", Kind: armstrace.EntityState, Name: "Syria",
		Aliases: []armstrace.Name{
			{Value: "Syrian Arab Republic", Script: "Latn", Kind: armstrace.NameAlias},
			{Value: "Government of Syria", Script: "Latn", Kind: armstrace.NameAlias},
		},
		Identifiers: []armstrace.Identifier{{Scheme: "iso3166-alpha3", Value: "SYR"}, {Scheme: "gw", Value: "652"}, {Scheme: "ucdp-actor", Value: "118"}},
		Country:     "SY",
		Citations:   []armstrace.Citation{{Source: "src:test", Locator: "id 118, line 5"}},
	}
	if diff := cmp.Diff(wantSyria, m["118"]); diff != "" {
		t.Errorf("Syria (-want +got):\n%s", diff)
	}

	// Syrian insurgents, field by field.
	wantIns := &armstrace.Entity{
		ID: "ucdp-actor:4456", Kind: armstrace.EntityArmedGroup, Name: "Syrian insurgents",
		Identifiers: []armstrace.Identifier{{Scheme: "ucdp-actor", Value: "4456"}},
		Country:     "SY",
		Description: "UCDP actor 4456: a formally organised group. Location (UCDP): Syria.",
		Citations:   []armstrace.Citation{{Source: "src:test", Locator: "id 4456, line 17"}},
	}
	if diff := cmp.Diff(wantIns, m["4456"]); diff != "" {
		t.Errorf("Syrian insurgents (-want +got):\n%s", diff)
	}

	// Russia takes UCDP's name, not the Soviet Union's: that is another state.
	ru := names(m["57"])
	if m["57"].ID != "ent:russia" || ru["Government of Russia (Soviet Union)"] != armstrace.NameAlias {
		t.Errorf("57: %s %v", m["57"].ID, ru)
	}
	if _, ok := ru["Government of Soviet Union"]; ok {
		t.Errorf("Russia took the Soviet Union's name: %v", ru)
	}
	// Romania's old spelling is a former name.
	if ro := names(m["56"]); m["56"].ID != "ent:romania" || ro["Government of Rumania"] != armstrace.NameFormer || ro["Government of Romania"] != armstrace.NameAlias {
		t.Errorf("56: %s %v", m["56"].ID, ro)
	}

	// Hyderabad, a historical state without ISO codes, field by field.
	wantHy := &armstrace.Entity{
		ID: "ent:hyderabad", Kind: armstrace.EntityState, Name: "Hyderabad",
		Aliases:     []armstrace.Name{{Value: "Government of Hyderabad", Script: "Latn", Kind: armstrace.NameAlias}},
		Identifiers: []armstrace.Identifier{{Scheme: "gw", Value: "751"}, {Scheme: "ucdp-actor", Value: "2"}},
		Citations:   []armstrace.Citation{{Source: "src:test", Locator: "id 2, line 2"}},
	}
	if diff := cmp.Diff(wantHy, m["2"]); diff != "" {
		t.Errorf("Hyderabad (-want +got):\n%s", diff)
	}
	// eSwatini: UCDP's names merge onto the curated state, the old one
	// (Swaziland) a former name.
	if e := m["1212"]; e.ID != "ent:eswatini" || e.Kind != armstrace.EntityState || e.Name != "Eswatini" || e.Country != "SZ" {
		t.Errorf("1212: %+v", e)
	}
	wantSzIDs := []armstrace.Identifier{{Scheme: "iso3166-alpha3", Value: "SWZ"}, {Scheme: "gw", Value: "572"}, {Scheme: "ucdp-actor", Value: "1212"}}
	if diff := cmp.Diff(wantSzIDs, m["1212"].Identifiers); diff != "" {
		t.Errorf("eSwatini identifiers (-want +got):\n%s", diff)
	}
	sz := names(m["1212"])
	wantSz := map[string]armstrace.NameKind{
		"Swaziland":                                     armstrace.NameAlias, // the curated table's
		"eSwatini":                                      armstrace.NameAlias,
		"eSwatini (Swaziland)":                          armstrace.NameAlias,
		"Government of eSwatini (Swaziland)":            armstrace.NameAlias, // UCDP's
		"Government Umbuso weSwatini (Swaziland)":       armstrace.NameAlias,
		"Government of Kingdom of eSwatini (Swaziland)": armstrace.NameAlias,
		"Government of Swaziland":                       armstrace.NameFormer,
	}
	if diff := cmp.Diff(wantSz, sz); diff != "" {
		t.Errorf("eSwatini names (-want +got):\n%s", diff)
	}
	// Every government here is in the table (TestActorsUnresolved has
	// one that is not).
	if u := r.(*ActorsReader).Unresolved(); len(u) != 0 {
		t.Errorf("unresolved %q, want none", u)
	}

	// IS: UCDP's list of successive names, the last the current one.
	wantIS := map[string]armstrace.NameKind{
		"TQJBR": armstrace.NameFormer, "ISI": armstrace.NameFormer, "ISIS": armstrace.NameFormer,
		"al-Dawla al-Islamiyya":                                            armstrace.NameAlias,
		"Tanzim Qa’idat al Jihad fi Bilad al Rafidayn":                     armstrace.NameFormer,
		"Dawlat al-’Iraq al-Islamiyya":                                     armstrace.NameFormer,
		"al-Dawla al-Islamiya fi al-Iraq wa al-Sham":                       armstrace.NameFormer,
		"Islamic State":                                                    armstrace.NameAlias,
		"Organization of of Jihad’s Base in the Country of the Two Rivers": armstrace.NameFormer,
		"Islamic State of Iraq":                                            armstrace.NameFormer,
		"Islamic State in Iraq and al-Sham":                                armstrace.NameFormer,
		"Jama’at Al-Tawhid wa Al-Jihad":                                    armstrace.NameFormer,
		"The Monotheism and Jihad Group":                                   armstrace.NameFormer,
	}
	if diff := cmp.Diff(wantIS, names(m["234"])); diff != "" {
		t.Errorf("IS names (-want +got):\n%s", diff)
	}
	// A name with a comma that is no list stays whole.
	if n := names(m["734"]); n["Movimiento 26, de Julio"] != armstrace.NameAlias || n["Cuban Revolution Movement (Fidelistas)"] != armstrace.NameFormer {
		t.Errorf("M-26-7 names: %v", n)
	}
	// A name and its transliteration; a name with a "/" in one script.
	lpr := m["5839"]
	lpr.Normalize()
	wantLPR := []armstrace.Name{
		{Value: "Луганская народная республика", Script: "Cyrl", Kind: armstrace.NameAlias},
		{Value: "Luganskaya narodnaya respublika", Script: "Latn", Kind: armstrace.NameTransliteration},
		{Value: "Lugansk People's Republic", Script: "Latn", Kind: armstrace.NameAlias},
	}
	if diff := cmp.Diff(wantLPR, lpr.Aliases); diff != "" {
		t.Errorf("LPR names (-want +got):\n%s", diff)
	}
	if lpr.Country != "UA" {
		t.Errorf("LPR country %q, want UA", lpr.Country)
	}
	if n := names(m["367"]); n["Имарат Кавказ / Имар Кавказ/ Кавказский Эмират"] != armstrace.NameAlias {
		t.Errorf("Caucasus Emirate names: %v", n)
	}
	// A line break inside a cell.
	if n := names(m["422"]); n["Alliance of Democratic Forces for the Liberation of Congo-Kinshasa"] == "" {
		t.Errorf("AFDL names: %v", n)
	}
	// Organisation levels 2 and 3.
	if d := m["893"].Description; m["893"].Kind != armstrace.EntityArmedGroup || !strings.Contains(d, "supporters of a political party") {
		t.Errorf("893: %s %q", m["893"].Kind, d)
	}
	if d := m["1172"].Description; !strings.Contains(d, "sharing an identity") {
		t.Errorf("1172: %q", d)
	}
	ar := r.(*ActorsReader)
	if ar.Rows != 19 || ar.ResolvedStates != 6 || ar.UnresolvedGovs != 0 || ar.Groups != 13 {
		t.Errorf("counts: %d rows, %d states, %d unresolved, %d groups", ar.Rows, ar.ResolvedStates, ar.UnresolvedGovs, ar.Groups)
	}
}

// A government the states table does not know becomes an entity of its
// own, a state under the UCDP id (not a second node for a curated state),
// and is reported. The names are made up (see testdata/README.md).
func TestActorsUnresolved(t *testing.T) {
	r, _ := openFile(t, ActorsFormat, "testdata/actors_made-up.csv")
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) > 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	for _, row := range rows {
		if len(row.Ops) != 1 || row.Ops[0].Mode != ingest.Merge {
			t.Errorf("line %d: ops %+v, want one Merge", row.Line, row.Ops)
		}
	}
	m := byUCDP(rows)
	wantAt := &armstrace.Entity{
		ID: "ucdp-actor:9001", Kind: armstrace.EntityState, Name: "Government of Atlantis",
		Identifiers: []armstrace.Identifier{{Scheme: "ucdp-actor", Value: "9001"}},
		Description: "UCDP actor 9001: a government. Location (UCDP): Atlantis.",
		Citations:   []armstrace.Citation{{Source: "src:test", Locator: "id 9001, line 2"}},
	}
	if diff := cmp.Diff(wantAt, m["9001"]); diff != "" {
		t.Errorf("Atlantis (-want +got):\n%s", diff)
	}
	// A renamed government keeps its names, the old one a former name.
	if e := m["9002"]; e.ID != "ucdp-actor:9002" || e.Kind != armstrace.EntityState || e.Name != "Government of Poseidonis (Atlantis)" || e.Country != "" {
		t.Errorf("9002: %+v", e)
	}
	wantPo := map[string]armstrace.NameKind{
		"Basileia Poseidonis (Atlantis)":                 armstrace.NameAlias,
		"Government of Kingdom of Poseidonis (Atlantis)": armstrace.NameAlias,
		"Government of Poseidonis":                       armstrace.NameFormer,
	}
	if diff := cmp.Diff(wantPo, names(m["9002"])); diff != "" {
		t.Errorf("Poseidonis names (-want +got):\n%s", diff)
	}
	ar := r.(*ActorsReader)
	if diff := cmp.Diff([]string{"Government of Atlantis", "Government of Poseidonis (Atlantis)"}, ar.Unresolved()); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
	if ar.Rows != 2 || ar.ResolvedStates != 0 || ar.UnresolvedGovs != 2 || ar.Groups != 0 {
		t.Errorf("counts: %d rows, %d states, %d unresolved, %d groups", ar.Rows, ar.ResolvedStates, ar.UnresolvedGovs, ar.Groups)
	}
}

const actorsHeader = "\xef\xbb\xbfActorId,NameData,NameOrig,NameOrigFull,NameOrigFullEng,NameChange,NewName,NewNameFullMotherTongue,NewNameFullEng,Org,ConflictId,DyadId,PrimaryParty,OSID,OSCoalition,OSCoalitionID,NSID,NSCoalition,NSCoalitionID,Splinter,NamePrev,ActorIdPrev,SplitTemp,NameSplitTemp,ActorIdSplitTemp,Alliance,NameAlliance,ActorIdAlliance,JoinGroup,GroupName,ActorIdGroup,Location,GWNOLoc,Region,Version\n"

const actorsGood = `6288,SDF,SDF,Syrian Democratic Forces,Syrian Democratic Forces,0,,,,1,"299, 13604","11973, 14620",1,,0,,,0,,0,,,0,,,0,,,0,,,Syria,652,3,22.1` + "\n"

func TestActorsBadRows(t *testing.T) {
	tests := []struct {
		name, row, field string
	}{
		{"no id", strings.Replace(actorsGood, "6288,", ",", 1), "ActorId"},
		{"id not a number", strings.Replace(actorsGood, "6288,", "SDF,", 1), "ActorId"},
		{"no name", strings.Replace(actorsGood, "6288,SDF,", "6288,NA,", 1), "NameData"},
		{"control character", strings.Replace(actorsGood, "Syrian Democratic Forces,0", "Syrian\x07Democratic Forces,0", 1), "NameOrigFullEng"},
		{"too many cells", strings.Replace(actorsGood, "22.1", "22.1,x", 1), ""},
	}
	var in strings.Builder
	in.WriteString(actorsHeader)
	for _, tt := range tests {
		in.WriteString(tt.row)
		in.WriteString(actorsGood)
	}
	r := openString(t, ActorsFormat, "a.csv", in.String())
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Next()
			var e *armstrace.Error
			if !errors.As(err, &e) || e.Code != armstrace.EINVALID {
				t.Fatalf("got %v, want an EINVALID error", err)
			}
			if e.Line != 2+2*i || e.Field != tt.field {
				t.Errorf("error at line %d, field %q, want line %d, field %q: %v", e.Line, e.Field, 2+2*i, tt.field, err)
			}
			if _, err := r.Next(); err != nil {
				t.Fatalf("the good row after it: %v", err)
			}
		})
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("after the last row: %v, want io.EOF", err)
	}
}

// The first row is read when the file is opened (for the version); a bad
// first row is still reported by Next, and an empty file is no error.
func TestActorsFirstRow(t *testing.T) {
	r, ds, err := ActorsFormat.Open(strings.NewReader(actorsHeader+strings.Replace(actorsGood, "6288,", "x,", 1)+actorsGood), ingesttest.Env("a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if ds.Version != "22.1" {
		t.Errorf("version %q", ds.Version)
	}
	if _, err := r.Next(); armstrace.ErrorCode(err) != armstrace.EINVALID {
		t.Errorf("bad first row: %v", err)
	}
	if _, err := r.Next(); err != nil {
		t.Errorf("second row: %v", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("end: %v", err)
	}
	r, ds, err = ActorsFormat.Open(strings.NewReader(actorsHeader), ingesttest.Env("a.csv"))
	if err != nil || ds.Version != "" {
		t.Fatalf("empty file: %v, version %q", err, ds.Version)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("empty file: %v", err)
	}
	_, _, err = ActorsFormat.Open(strings.NewReader("ActorId,Name\n1,x\n"), ingesttest.Env("a.csv"))
	var e *armstrace.Error
	if !errors.As(err, &e) || e.Field != "NameData" {
		t.Errorf("missing column: %v", err)
	}
}

// A state that two UCDP actors name is written in full once, then with
// only the second actor's id and names; no record lists an id twice.
func TestActorsTwoGovernmentsOneState(t *testing.T) {
	in := actorsHeader +
		strings.Replace(actorsGood, "6288,SDF,SDF,Syrian Democratic Forces,Syrian Democratic Forces,0,,,,1,", "118,Government of Syria,Government of Syria,n/a,Government of Syria,0,,,,4,", 1) +
		strings.Replace(actorsGood, "6288,SDF,SDF,Syrian Democratic Forces,Syrian Democratic Forces,0,,,,1,", "9118,Government of Syrian Arab Republic,Government of Syrian Arab Republic,n/a,n/a,0,,,,4,", 1)
	rows, bad := ingesttest.ReadAll(t, openString(t, ActorsFormat, "a.csv", in))
	if len(bad) > 0 || len(rows) != 2 {
		t.Fatalf("rows %d, bad %v", len(rows), bad)
	}
	ents := entitiesOf(rows)
	if ents[0].ID != "ent:syria" || ents[1].ID != "ent:syria" {
		t.Fatalf("ids %s, %s", ents[0].ID, ents[1].ID)
	}
	want := []armstrace.Identifier{{Scheme: "ucdp-actor", Value: "9118"}}
	if diff := cmp.Diff(want, ents[1].Identifiers); diff != "" {
		t.Errorf("second record's identifiers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]armstrace.Name{{Value: "Government of Syrian Arab Republic", Script: "Latn", Kind: armstrace.NameAlias}}, ents[1].Aliases); diff != "" {
		t.Errorf("second record's names (-want +got):\n%s", diff)
	}
}

func TestActorsFile(t *testing.T) {
	p := ingesttest.Shared(t, actorsFile)
	r, ds := openFile(t, ActorsFormat, p)
	if ds.Version != "22.1" {
		t.Errorf("version %q", ds.Version)
	}
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) > 0 {
		t.Fatalf("%d bad rows, first %v", len(bad), bad[0])
	}
	ar := r.(*ActorsReader)
	if len(rows) != 1725 || ar.Rows != 1725 {
		t.Fatalf("%d rows, want 1,725", len(rows))
	}
	// Every government (Org 4: 163 rows) resolves to a curated state.
	if ar.ResolvedStates != 163 || ar.UnresolvedGovs != 0 || ar.Groups != 1562 {
		t.Errorf("%d states, %d unresolved governments, %d others; want 163, 0, 1,562", ar.ResolvedStates, ar.UnresolvedGovs, ar.Groups)
	}
	if u := ar.Unresolved(); len(u) != 0 {
		t.Errorf("unresolved %q, want none", u)
	}
	// The 20 governments that once had no curated state, by UCDP id.
	wantStates := map[string]string{
		"2": "ent:hyderabad", "7": "ent:dominican-republic", "8": "ent:trinidad-and-tobago",
		"9": "ent:grenada", "15": "ent:costa-rica", "19": "ent:suriname", "32": "ent:luxembourg",
		"69": "ent:iceland", "70": "ent:guinea-bissau", "71": "ent:gambia", "76": "ent:cote-divoire",
		"104": "ent:lesotho", "106": "ent:madagascar", "107": "ent:comoros", "157": "ent:papua-new-guinea",
		"159": "ent:tonga", "1208": "ent:bhutan", "1209": "ent:benin", "1212": "ent:eswatini",
		"3912": "ent:malawi",
	}
	m := byUCDP(rows)
	for id, want := range wantStates {
		if e := m[id]; e == nil || e.ID != want || e.Kind != armstrace.EntityState {
			t.Errorf("UCDP actor %s: %+v, want %s", id, e, want)
		}
	}
	if n := names(m["76"]); n["Government of Ivory Coast"] != armstrace.NameAlias {
		t.Errorf("Ivory Coast names: %v", n)
	}
	if n := names(m["1212"]); n["Government of eSwatini (Swaziland)"] != armstrace.NameAlias || n["Government of Swaziland"] != armstrace.NameFormer {
		t.Errorf("eSwatini names: %v", n)
	}
	// Each UCDP id on one entity, each state written in full once.
	owner := map[string]string{}
	full := map[string]bool{}
	for _, e := range entitiesOf(rows) {
		for _, id := range e.Identifiers {
			if id.Scheme == "ucdp-actor" {
				if o, ok := owner[id.Value]; ok {
					t.Errorf("ucdp-actor:%s on %s and %s", id.Value, o, e.ID)
				}
				owner[id.Value] = e.ID
			}
			if id.Scheme == "iso3166-alpha3" {
				if full[e.ID] {
					t.Errorf("%s written in full twice", e.ID)
				}
				full[e.ID] = true
			}
		}
	}
	if len(owner) != 1725 {
		t.Errorf("%d UCDP ids, want 1,725", len(owner))
	}
}

// The two formats meet on the same entities: every side of the GED Syria
// release that the Actor Dataset lists maps to the same entity in both.
func TestGEDAndActorsAgree(t *testing.T) {
	gp := ingesttest.Shared(t, gedSyria)
	ap := ingesttest.Shared(t, actorsFile)
	gr, _ := openFile(t, GEDFormat, gp)
	grows, _ := ingesttest.ReadAll(t, gr)
	ar, _ := openFile(t, ActorsFormat, ap)
	arows, _ := ingesttest.ReadAll(t, ar)
	actors := byUCDP(arows)
	matched := 0
	for id, e := range byUCDP(grows) {
		a, ok := actors[id]
		if !ok {
			continue // a coalition or a group the 22.1 list lacks
		}
		matched++
		if a.ID != e.ID {
			t.Errorf("UCDP actor %s: %s in the GED, %s in the Actor Dataset", id, e.ID, a.ID)
		}
	}
	if matched != 43 {
		t.Errorf("%d GED actors found in the Actor Dataset, want 43", matched)
	}
}

func TestActorNames(t *testing.T) {
	// NewName says a list, but a column that does not split evenly is
	// kept whole.
	got := actorNames("RED-TABARA", true,
		[3]string{"FRONABU Tabara", "Front National pour la Révolution au Burundi", "Burundi National Front"},
		[3]string{"FPM/ADN, RED-TABARA", "Front du peuple murundi/alliance divine pur la nation, Résistance pour un Etat de Droit au Burundi", "Murundi People's Front, 'the Saviours' (FPM-Abatabazi) , Resistance for the Rule of Law in Burundi"})
	want := []armstrace.Name{
		{Value: "FPM/ADN", Kind: armstrace.NameFormer},
		{Value: "Résistance pour un Etat de Droit au Burundi", Kind: armstrace.NameAlias},
		{Value: "Front du peuple murundi/alliance divine pur la nation", Kind: armstrace.NameFormer},
		{Value: "Murundi People's Front, 'the Saviours' (FPM-Abatabazi) , Resistance for the Rule of Law in Burundi", Kind: armstrace.NameAlias},
		{Value: "FRONABU Tabara", Kind: armstrace.NameFormer},
		{Value: "Front National pour la Révolution au Burundi", Kind: armstrace.NameFormer},
		{Value: "Burundi National Front", Kind: armstrace.NameFormer},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
