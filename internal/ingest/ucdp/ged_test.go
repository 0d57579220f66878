package ucdp

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

const gedExcerpt = "testdata/ged_syria_652.1601.1911_excerpt.csv"

func openFile(t testing.TB, f ingest.Format, path string) (ingest.Reader, ingest.Dataset) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { file.Close() })
	r, ds, err := f.Open(file, ingesttest.Env(path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return r, ds
}

func openString(t testing.TB, f ingest.Format, name, data string) ingest.Reader {
	t.Helper()
	r, _, err := f.Open(strings.NewReader(data), ingesttest.Env(name))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return r
}

func eventsByID(rows []ingest.Row) map[string]*armstrace.Event {
	m := map[string]*armstrace.Event{}
	for _, e := range ingesttest.Records[*armstrace.Event](rows) {
		m[e.ID] = e
	}
	return m
}

func TestGEDExcerpt(t *testing.T) {
	r, ds := openFile(t, GEDFormat, gedExcerpt)
	want := ingest.Dataset{
		Name:      "UCDP Georeferenced Event Dataset (GED)",
		Publisher: "Uppsala Conflict Data Program (UCDP)",
		Version:   "652.1601.1911",
		URL:       "https://ucdp.uu.se/downloads/",
		License:   "CC BY 4.0",
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("dataset (-want +got):\n%s", diff)
	}
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) > 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	if len(rows) != 16 {
		t.Fatalf("%d rows, want 16", len(rows))
	}
	ev := eventsByID(rows)
	if len(ev) != 16 {
		t.Fatalf("%d events, want 16", len(ev))
	}

	// The first row, field by field.
	first := rows[0]
	if first.Line != 2 {
		t.Errorf("first row at line %d, want 2", first.Line)
	}
	wantOps := []ingest.Op{
		{Mode: ingest.Merge, Record: &armstrace.Entity{
			ID: "ent:syria", Kind: armstrace.EntityState, Name: "Syria",
			Aliases: []armstrace.Name{
				{Value: "Syrian Arab Republic", Script: "Latn", Kind: armstrace.NameAlias},
				{Value: "Government of Syria", Script: "Latn", Kind: armstrace.NameAlias},
			},
			Identifiers: []armstrace.Identifier{{Scheme: "iso3166-alpha3", Value: "SYR"}, {Scheme: "gw", Value: "652"}, {Scheme: "ucdp-actor", Value: "118"}},
			Country:     "SY",
			Citations:   []armstrace.Citation{{Source: "src:test", Locator: "id 214797, line 2"}},
		}},
		{Mode: ingest.Merge, Record: &armstrace.Entity{
			ID: "ucdp-actor:4456", Kind: armstrace.EntityArmedGroup, Name: "Syrian insurgents",
			Identifiers: []armstrace.Identifier{{Scheme: "ucdp-actor", Value: "4456"}},
			Citations:   []armstrace.Citation{{Source: "src:test", Locator: "id 214797, line 2"}},
		}},
		{Mode: ingest.Put, Record: &armstrace.Event{
			ID:        "ucdp-ged:214797",
			Title:     "Government of Syria - Syrian insurgents, Teir Maaleh village",
			Type:      "state-based conflict",
			Subtype:   "Syria: Government",
			Start:     "2016-01-01",
			End:       "2016-01-01",
			Precision: armstrace.PrecisionDay,
			Place: armstrace.Place{
				Name: "Teir Maaleh village", Country: "SY", Admin1: "Homs Governorate", Admin2: "Ar Rastan district",
				Lat: armstrace.Num(34.802462), Lon: armstrace.Num(36.707602), Precision: armstrace.GeoExact,
			},
			Actors: []armstrace.EventActor{
				{Entity: "ent:syria", Role: armstrace.RoleParty},
				{Entity: "ucdp-actor:4456", Role: armstrace.RoleParty},
			},
			Fatalities:  armstrace.Range{Low: armstrace.Num(4), Best: armstrace.Num(4), High: armstrace.Num(4), Unit: "people"},
			Description: "Deaths by side (UCDP): Government of Syria 2; Syrian insurgents 2; civilians 0; unknown 0. Sources: 1 (SOHR).",
			Citations: []armstrace.Citation{{
				Source:  "src:test",
				Locator: `id 214797, line 2: "SOHR,2015-01-01,14 shells hit Dahya al-Assad an clashes continue around Ter Ma’la"`,
				Quote:   "14 shells hit Dahya al-Assad an clashes continue around Ter Ma’la",
			}},
		}},
	}
	if diff := cmp.Diff(wantOps, first.Ops); diff != "" {
		t.Errorf("first row (-want +got):\n%s", diff)
	}
	// Entities come once per import: the second row refers to them only.
	if n := len(rows[1].Ops); n != 1 {
		t.Errorf("second row has %d ops, want only its event", n)
	}

	// The yearly aggregate of 8,179 deaths.
	agg := ev["ucdp-ged:233200"]
	wantAgg := &armstrace.Event{
		ID:        "ucdp-ged:233200",
		Title:     "Government of Syria - Syrian insurgents, Syria",
		Type:      "state-based conflict",
		Subtype:   "Syria: Government",
		Start:     "2016-01-01",
		End:       "2016-12-31",
		Precision: armstrace.PrecisionYear,
		Aggregate: true,
		Place: armstrace.Place{
			Name: "Syria", Country: "SY", Lat: armstrace.Num(35), Lon: armstrace.Num(38), Precision: armstrace.GeoCountry,
		},
		Actors: []armstrace.EventActor{
			{Entity: "ent:syria", Role: armstrace.RoleParty},
			{Entity: "ucdp-actor:4456", Role: armstrace.RoleParty},
		},
		Fatalities: armstrace.Range{Low: armstrace.Num(8179), Best: armstrace.Num(8179), High: armstrace.Num(8179), Unit: "people"},
		Description: "Deaths by side (UCDP): Government of Syria 5325; Syrian insurgents 2854; civilians 0; unknown 0." +
			" UCDP gives these deaths as a total over 2016-01-01 to 2016-12-31 (event_clarity 2), not as one incident. Sources: 1 (SOHR).",
		Citations: []armstrace.Citation{{
			Source:  "src:test",
			Locator: `id 233200, line 7: "SOHR,2016-12-31,About 60 thousand were killed in 2016 and we still wait for an international trial for the criminals"`,
			Quote:   "About 60 thousand were killed in 2016 and we still wait for an international trial for the criminals",
		}},
	}
	if diff := cmp.Diff(wantAgg, agg); diff != "" {
		t.Errorf("aggregate (-want +got):\n%s", diff)
	}

	// One-sided violence: IS the perpetrator; civilians are no entity.
	os := ev["ucdp-ged:215936"]
	if diff := cmp.Diff([]armstrace.EventActor{{Entity: "ucdp-actor:234", Role: armstrace.RolePerpetrator}}, os.Actors); diff != "" {
		t.Errorf("one-sided actors (-want +got):\n%s", diff)
	}
	if os.Type != "one-sided violence" || !strings.HasPrefix(os.Description, "Deaths by side (UCDP): IS 0; civilians 2; unknown 0.") {
		t.Errorf("one-sided: type %q, description %q", os.Type, os.Description)
	}

	// Low, best and high out of order: best stays, the bound against it goes.
	if f := ev["ucdp-ged:219459"].Fatalities; f.Low != nil || *f.Best != 142 || *f.High != 177 {
		t.Errorf("219459 fatalities %v, want best 142, high 177, no low", f)
	}
	if f := ev["ucdp-ged:236249"].Fatalities; *f.Low != 8 || *f.Best != 15 || f.High != nil {
		t.Errorf("236249 fatalities %v, want low 8, best 15, no high", f)
	}
	if d := ev["ucdp-ged:236249"].Description; !strings.Contains(d, "out of order: low 8, best 15, high 7") {
		t.Errorf("236249 description %q does not keep UCDP's figures", d)
	}

	// Dated within 2 days and within a month: spans, not aggregates.
	for id, want := range map[string]armstrace.DatePrecision{"ucdp-ged:219459": armstrace.PrecisionDays, "ucdp-ged:223952": armstrace.PrecisionMonth} {
		if e := ev[id]; e.Precision != want || e.Aggregate || e.Start == e.End {
			t.Errorf("%s: precision %s, aggregate %v, %s..%s", id, e.Precision, e.Aggregate, e.Start, e.End)
		}
	}
	// An aggregate of one day.
	if e := ev["ucdp-ged:216535"]; !e.Aggregate || e.Precision != armstrace.PrecisionDay || e.Start != e.End {
		t.Errorf("216535: aggregate %v, precision %s, %s..%s", e.Aggregate, e.Precision, e.Start, e.End)
	}

	// Place precisions.
	for id, want := range map[string]armstrace.GeoPrecision{
		"ucdp-ged:214804": armstrace.GeoNear, "ucdp-ged:214831": armstrace.GeoAdmin2,
		"ucdp-ged:217720": armstrace.GeoCountry, // where_prec 5 without adm_1
	} {
		if got := ev[id].Place.Precision; got != want {
			t.Errorf("%s: place precision %s, want %s", id, got, want)
		}
	}

	// Two governments: both resolve, each entity carries its UCDP id.
	iran := ev["ucdp-ged:256454"]
	if diff := cmp.Diff([]armstrace.EventActor{{Entity: "ent:iran", Role: armstrace.RoleParty}, {Entity: "ent:israel", Role: armstrace.RoleParty}}, iran.Actors); diff != "" {
		t.Errorf("Iran - Israel actors (-want +got):\n%s", diff)
	}
	ents := map[string]*armstrace.Entity{}
	for _, e := range ingesttest.Records[*armstrace.Entity](rows) {
		if _, dup := ents[e.ID]; dup {
			t.Errorf("entity %s written twice in one import", e.ID)
		}
		ents[e.ID] = e
	}
	for id, ucdp := range map[string]string{"ent:iran": "114", "ent:israel": "121", "ent:turkey": "115", "ucdp-actor:234": "234", "ucdp-actor:6389": "6389"} {
		e := ents[id]
		if e == nil {
			t.Errorf("no entity %s", id)
			continue
		}
		if !hasIdent(e, armstrace.Identifier{Scheme: "ucdp-actor", Value: ucdp}) {
			t.Errorf("%s lacks ucdp-actor:%s: %v", id, ucdp, e.Identifiers)
		}
	}
	// A cell with a line break ("Waha Report\n" in source_original) is
	// no problem; a folded one would be in the title.
	if e := ev["ucdp-ged:217846"]; e == nil || strings.ContainsAny(e.Title, "\n\r") {
		t.Errorf("217846: %+v", e)
	}
	if u := r.(*GEDReader).Unresolved(); len(u) != 0 {
		t.Errorf("unresolved %v, want none", u)
	}
}

func hasIdent(e *armstrace.Entity, id armstrace.Identifier) bool {
	for _, x := range e.Identifiers {
		if x == id {
			return true
		}
	}
	return false
}

// gedHeader is the Syria release's header; gedRow a good row of it.
const (
	gedHeader = `"id","year","active_year","type_of_violence","conflict_new_id","conflict_name","dyad_new_id","dyad_name","side_a_new_id","side_a","side_b_new_id","gwnob","side_b","number_of_sources","source_article","source_office","source_date","source_headline","source_original","where_prec","where_coordinates","adm_1","adm_2","latitude","longitude","geom_wkt","priogrid_gid","country","country_id","region","event_clarity","date_prec","date_start","date_end","deaths_a","deaths_b","deaths_civilians","deaths_unknown","low","best","high"` + "\n"
	gedGood   = `214808,2016,1,1,299,"Syria: Government",11973,"Government of Syria - Syrian insurgents",118,"Government of Syria",4456,,"Syrian insurgents",1,"""SOHR,2016-01-01,Clashes on many fronts of Aleppo""","SOHR","2016-01-01","Clashes on many fronts of Aleppo","SOHR",1,"Aleppo town","Aleppo Governorate","Jabal Saman district",36.201241,37.161173,"POINT (37.161173 36.201241)",181875,"Syria",652,"Middle East",1,1,2016-01-01,2016-01-01,2,0,0,0,2,2,2` + "\n"
)

// gedWith returns the good row with one column's cell replaced.
func gedWith(col, cell string) string {
	cols := strings.Split(strings.TrimSpace(gedHeader), ",")
	r := csvSplit(strings.TrimSpace(gedGood))
	for i, c := range cols {
		if strings.Trim(c, `"`) == col {
			r[i] = cell
			return strings.Join(r, ",") + "\n"
		}
	}
	panic("no column " + col)
}

// csvSplit splits a CSV line into its cells as written (quotes kept).
func csvSplit(line string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == '"':
			quoted = !quoted
			cur.WriteByte(ch)
		case ch == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(ch)
		}
	}
	return append(out, cur.String())
}

func TestGEDBadRows(t *testing.T) {
	tests := []struct {
		name, row, field string
	}{
		{"empty id", gedWith("id", ""), "id"},
		{"id not a number", gedWith("id", "x12"), "id"},
		{"negative id", gedWith("id", "-3"), "id"},
		{"type of violence 4", gedWith("type_of_violence", "4"), "type_of_violence"},
		{"no type of violence", gedWith("type_of_violence", "NA"), "type_of_violence"},
		{"bad start", gedWith("date_start", "2016-02-30"), "date_start"},
		{"no end", gedWith("date_end", ""), "date_end"},
		{"end before start", gedWith("date_end", "2015-12-31"), "date_end"},
		{"date_prec 9", gedWith("date_prec", "9"), "date_prec"},
		{"event_clarity 3", gedWith("event_clarity", "3"), "event_clarity"},
		{"no side a", gedWith("side_a", ""), "side_a"},
		{"no side b id", gedWith("side_b_new_id", ""), "side_b_new_id"},
		{"where_prec 8", gedWith("where_prec", "8"), "where_prec"},
		{"latitude not a number", gedWith("latitude", "north"), "latitude"},
		{"latitude without longitude", gedWith("longitude", "NA"), "longitude"},
		{"latitude out of range", gedWith("latitude", "95.5"), "latitude"},
		{"negative best", gedWith("best", "-2"), "best"},
		{"deaths not whole", gedWith("deaths_a", "1.5"), "deaths_a"},
		{"control character", gedWith("where_coordinates", "\"Aleppo\x01town\""), "where_coordinates"},
		{"too few cells", "214808,2016,1\n", ""},
	}
	var in strings.Builder
	in.WriteString(gedHeader)
	for _, tt := range tests {
		in.WriteString(tt.row)
		in.WriteString(gedGood)
	}
	r := openString(t, GEDFormat, "ged.csv", in.String())
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
			// The reader goes on with the next row.
			row, err := r.Next()
			if err != nil {
				t.Fatalf("the good row after it: %v", err)
			}
			if row.Line != 3+2*i || len(row.Ops) == 0 {
				t.Errorf("good row: line %d, %d ops", row.Line, len(row.Ops))
			}
		})
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("after the last row: %v, want io.EOF", err)
	}
}

func TestGEDQuirks(t *testing.T) {
	// A BOM, a preamble line, R's blank-named row-number column, a
	// Latin-1 byte, "NA" cells, a time after the dates, and integers
	// written as floats.
	header := "\xef\xbb\xbfUCDP GED export\n\"\"," + gedHeader
	row := strings.Replace(gedWith("where_coordinates", "\"Alep\xe9 town\""), ",\"Jabal Saman district\",", ",NA,", 1)
	row = strings.Replace(row, "36.201241,37.161173,", "NA,NA,", 1)
	row = strings.Replace(row, "2016-01-01,2016-01-01,", "2016-01-01 00:00:00,2016-01-01 00:00:00,", 1)
	row = strings.Replace(row, ",2,0,0,0,2,2,2", ",2.0,0,0,0,2.0,2.0,2.0", 1)
	r := openString(t, GEDFormat, "GEDEvent_v22_1.csv", header+"\"1\","+row)
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) > 0 || len(rows) != 1 {
		t.Fatalf("rows %d, bad %v", len(rows), bad)
	}
	e := ingesttest.Records[*armstrace.Event](rows)[0]
	if e.Place.Name != "Alepé town" || e.Title != "Government of Syria - Syrian insurgents, Alepé town" {
		t.Errorf("Latin-1 place: %q, title %q", e.Place.Name, e.Title)
	}
	if e.Place.Admin2 != "" || e.Place.Lat != nil || e.Place.Lon != nil {
		t.Errorf("NA cells not missing: %+v", e.Place)
	}
	if e.Start != "2016-01-01" || e.End != "2016-01-01" || *e.Fatalities.Best != 2 {
		t.Errorf("dates %s..%s, best %v", e.Start, e.End, e.Fatalities)
	}
	if rows[0].Line != 3 {
		t.Errorf("row at line %d, want 3", rows[0].Line)
	}
}

func TestGEDMissingColumn(t *testing.T) {
	h := strings.Replace(gedHeader, `"event_clarity",`, "", 1)
	_, _, err := GEDFormat.Open(strings.NewReader(h), ingesttest.Env("x.csv"))
	var e *armstrace.Error
	if !errors.As(err, &e) || e.Field != "event_clarity" {
		t.Errorf("got %v, want an error naming event_clarity", err)
	}
	_, _, err = GEDFormat.Open(strings.NewReader("a,b\n1,2\n"), ingesttest.Env("x.csv"))
	if !errors.As(err, &e) || e.Code != armstrace.EINVALID {
		t.Errorf("a file that is no GED: %v", err)
	}
}

// A government the states table does not know becomes an entity of its
// own, named as unresolved; an unknown country code too. The names and the
// code (Atlantis, 999) are made up: no curated state has them.
func TestGEDUnresolved(t *testing.T) {
	row := strings.Replace(gedGood, `118,"Government of Syria"`, `9001,"Government of Atlantis"`, 1)
	row = strings.Replace(row, `"Syria",652,`, `"Atlantis",999,`, 1)
	r := openString(t, GEDFormat, "x.csv", gedHeader+row)
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) > 0 {
		t.Fatal(bad)
	}
	ents := ingesttest.Records[*armstrace.Entity](rows)
	if ents[0].ID != "ucdp-actor:9001" || ents[0].Kind != armstrace.EntityState || ents[0].Name != "Government of Atlantis" {
		t.Errorf("unresolved government: %+v", ents[0])
	}
	want := []string{"Atlantis (GW 999)", "Government of Atlantis"}
	if diff := cmp.Diff(want, r.(*GEDReader).Unresolved()); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
	if c := ingesttest.Records[*armstrace.Event](rows)[0].Place.Country; c != "" {
		t.Errorf("country %q, want none", c)
	}
}

// Hyderabad, a historical state with a Gleditsch-Ward code and no ISO
// code, resolves by both, and has no country code to give.
func TestGEDHistoricalState(t *testing.T) {
	row := strings.Replace(gedGood, `118,"Government of Syria"`, `2,"Government of Hyderabad"`, 1)
	row = strings.Replace(row, `"Syria",652,`, `"Hyderabad",751,`, 1)
	r := openString(t, GEDFormat, "x.csv", gedHeader+row)
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) > 0 {
		t.Fatal(bad)
	}
	ents := ingesttest.Records[*armstrace.Entity](rows)
	hy := ents[0]
	_, named := names(hy)["Government of Hyderabad"]
	wantIDs := []armstrace.Identifier{{Scheme: "gw", Value: "751"}, {Scheme: "ucdp-actor", Value: "2"}}
	if hy.ID != "ent:hyderabad" || hy.Kind != armstrace.EntityState || hy.Name != "Hyderabad" || !named || !cmp.Equal(wantIDs, hy.Identifiers) {
		t.Errorf("Hyderabad: %+v", hy)
	}
	if u := r.(*GEDReader).Unresolved(); len(u) != 0 {
		t.Errorf("unresolved %q, want none", u)
	}
	if c := ingesttest.Records[*armstrace.Event](rows)[0].Place.Country; c != "" {
		t.Errorf("country %q, want none", c)
	}
}

func TestGEDVersion(t *testing.T) {
	for file, want := range map[string]string{
		"/data/ged_syria_652.1601.1911_2016-01-01_2019-11-30.csv": "652.1601.1911",
		"GEDEvent_v22_1.csv": "22.1",
		"ged191.csv":         "19.1",
		"ged201-csv.csv":     "20.1",
		`C:\data\ged201.csv`: "20.1",
		"events.csv":         "",
		"":                   "",
	} {
		if got := gedVersion(file); got != want {
			t.Errorf("gedVersion(%q) = %q, want %q", file, got, want)
		}
	}
}

// The whole Syria release: every row an event, every record valid.
func TestGEDSyriaFile(t *testing.T) {
	p := ingesttest.Shared(t, gedSyria)
	r, ds := openFile(t, GEDFormat, p)
	if ds.Version != "652.1601.1911" {
		t.Errorf("version %q", ds.Version)
	}
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) > 0 {
		t.Fatalf("%d bad rows, first %v", len(bad), bad[0])
	}
	g := r.(*GEDReader)
	ev := eventsByID(rows)
	if len(rows) != 16566 || len(ev) != 16566 || g.Rows != 16566 {
		t.Fatalf("%d rows, %d events, want 16,566", len(rows), len(ev))
	}
	// About a third of the deaths are in UCDP's aggregates.
	if g.Aggregates != 622 || g.AggregateDeaths != 38778 || g.Deaths != 112337 {
		t.Errorf("aggregates %d rows, %v of %v deaths; want 622 rows, 38,778 of 112,337", g.Aggregates, g.AggregateDeaths, g.Deaths)
	}
	if g.Reordered != 101 || g.Coarsened != 0 {
		t.Errorf("reordered %d (want 101), coarsened %d (want 0)", g.Reordered, g.Coarsened)
	}
	agg := ev["ucdp-ged:233200"]
	if !agg.Aggregate || agg.Start != "2016-01-01" || agg.End != "2016-12-31" || *agg.Fatalities.Best != 8179 || agg.Precision != armstrace.PrecisionYear {
		t.Errorf("the 8,179-death aggregate: %+v", agg)
	}
	var aggregates, oneDay, spans int
	var spanDeaths float64
	for _, e := range ev {
		switch {
		case e.Aggregate:
			aggregates++
		case e.Start == e.End:
			oneDay++
		default:
			spans++
			spanDeaths += *e.Fatalities.Best
			if e.Precision == armstrace.PrecisionDay {
				t.Errorf("%s spans %s..%s at precision day", e.ID, e.Start, e.End)
			}
		}
		// Source text is cut to 300 bytes in locators and quotes.
		c := e.Citations[0]
		if len(c.Quote) > maxCited || len(c.Locator) > maxCited+len("id 123456, line 12345: ") {
			t.Errorf("%s: citation of %d+%d bytes", e.ID, len(c.Locator), len(c.Quote))
		}
	}
	if aggregates != 622 || oneDay != 15343 || spans != 601 || spanDeaths != 6534 {
		t.Errorf("%d aggregates, %d one-day events, %d incidents dated within a span (%v deaths)", aggregates, oneDay, spans, spanDeaths)
	}
	// Each entity once, each UCDP id on one entity only.
	owner := map[string]string{}
	for _, e := range ingesttest.Records[*armstrace.Entity](rows) {
		for _, id := range e.Identifiers {
			if id.Scheme != "ucdp-actor" {
				continue
			}
			if o, ok := owner[id.Value]; ok && o != e.ID {
				t.Errorf("ucdp-actor:%s on both %s and %s", id.Value, o, e.ID)
			}
			owner[id.Value] = e.ID
		}
	}
	if len(owner) != 93 {
		t.Errorf("%d UCDP actors, want 93", len(owner))
	}
	if u := g.Unresolved(); len(u) != 0 {
		t.Errorf("unresolved: %v", u)
	}
	if w := g.Warnings(); len(w) != 1 {
		t.Errorf("warnings: %v", w)
	}
}
