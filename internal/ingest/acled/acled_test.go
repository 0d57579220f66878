package acled

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
)

const header = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"

func openReader(t testing.TB, in io.Reader) *reader {
	t.Helper()
	r, ds, err := Format.Open(in, ingesttest.Env("acled.csv"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if ds.Name == "" || ds.Publisher == "" || ds.License == "" {
		t.Errorf("dataset %+v", ds)
	}
	return r.(*reader)
}

func readFile(t *testing.T, name string) (*reader, []ingest.Row, []*armstrace.Error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := openReader(t, f)
	rows, bad := ingesttest.ReadAll(t, r)
	return r, rows, bad
}

func readString(t *testing.T, s string) (*reader, []ingest.Row, []*armstrace.Error) {
	t.Helper()
	r := openReader(t, strings.NewReader(s))
	rows, bad := ingesttest.ReadAll(t, r)
	return r, rows, bad
}

func events(rows []ingest.Row) map[string]*armstrace.Event {
	out := map[string]*armstrace.Event{}
	for _, e := range ingesttest.Records[*armstrace.Event](rows) {
		out[e.ID] = e
	}
	return out
}

func TestMapping(t *testing.T) {
	r, rows, bad := readFile(t, "acled_api_export_invented.csv")
	if len(bad) != 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5", len(rows))
	}
	wantLines := []int{2, 3, 4, 6, 7} // row 3's note spans two lines
	for i, row := range rows {
		if row.Line != wantLines[i] {
			t.Errorf("row %d at line %d, want %d", i, row.Line, wantLines[i])
		}
	}
	ev := events(rows)

	syriaArmy := &armstrace.Entity{ID: "acled-actor:military-forces-of-syria-2000", Kind: armstrace.EntityArmedForce,
		Name: "Military Forces of Syria (2000-)", Country: "SY", Description: "ACLED actor (inter code 1: state forces)",
		Citations: []armstrace.Citation{{Source: "src:test", Locator: "event_id_cnty SYRX0001, line 2; sources: Invented Source A; Invented Source B"}}}
	if diff := cmp.Diff([]ingest.Op{
		{Mode: ingest.Merge, Record: syriaArmy},
		{Mode: ingest.Put, Record: &armstrace.Event{
			ID: "acled:SYRX0001", Title: "Shelling/artillery/missile attack in Homs - Al Waer, Syria",
			Type: "Explosions/Remote violence", Subtype: "Shelling/artillery/missile attack",
			Start: "2017-03-08", End: "2017-03-08", Precision: armstrace.PrecisionDay,
			Place: armstrace.Place{Name: "Homs - Al Waer", Country: "SY", Admin1: "Homs", Admin2: "Homs", Admin3: "Homs",
				Lat: armstrace.Num(34.74), Lon: armstrace.Num(36.68), Precision: armstrace.GeoExact},
			Actors:      []armstrace.EventActor{{Entity: syriaArmy.ID, Role: armstrace.RolePerpetrator}},
			Fatalities:  armstrace.Range{Low: armstrace.Num(3), Best: armstrace.Num(3), Unit: "people"},
			ExternalIDs: []string{"acled:SYRX0001"},
			Description: "INVENTED ROW, not ACLED data: on 8 March 2017, regime forces shelled a residential quarter of the town (test fixture text written for armstrace).\n\n" +
				"ACLED coding. Actor 1: Military Forces of Syria (2000-); actor 2: Civilians (Syria); interaction: 17; disorder type: Political violence; " +
				"civilian targeting: Civilian targeting; event_date 2017-03-08 (time_precision 1); source scale: National-International; ACLED timestamp: 1700000001.",
			Citations: []armstrace.Citation{{Source: "src:test",
				Locator: "event_id_cnty SYRX0001, line 2; sources: Invented Source A; Invented Source B",
				Quote:   "INVENTED ROW, not ACLED data: on 8 March 2017, regime forces shelled a residential quarter of the town (test fixture text written for armstrace)."}},
		}},
	}, rows[0].Ops); diff != "" {
		t.Errorf("row 1 (-want +got):\n%s", diff)
	}

	// Row 2: a week-precise battle; the army is not written again.
	if len(rows[1].Ops) != 2 || rows[1].Ops[0].Record.RecordID() != "acled-actor:islamic-state-syria" {
		t.Fatalf("row 2 ops: %+v", rows[1].Ops)
	}
	is := rows[1].Ops[0].Record.(*armstrace.Entity)
	if is.Kind != armstrace.EntityArmedGroup || is.Country != "SY" {
		t.Errorf("Islamic State (Syria): %+v", is)
	}
	e2 := ev["acled:SYRX0002"]
	if e2.Start != "2017-03-12" || e2.End != "2017-03-18" || e2.Precision != armstrace.PrecisionWeek {
		t.Errorf("week precision: %s..%s %s", e2.Start, e2.End, e2.Precision)
	}
	if diff := cmp.Diff([]armstrace.EventActor{{Entity: "acled-actor:islamic-state-syria", Role: armstrace.RoleParty}, {Entity: syriaArmy.ID, Role: armstrace.RoleParty}}, e2.Actors); diff != "" {
		t.Errorf("battle actors (-want +got):\n%s", diff)
	}
	if e2.Place.Precision != armstrace.GeoNear || *e2.Fatalities.Best != 12 {
		t.Errorf("row 2 place %+v fatalities %v", e2.Place, e2.Fatalities)
	}
	if !strings.Contains(e2.Description, "associated with actor 2: Militia (Pro-Government)") {
		t.Errorf("row 2 description %q", e2.Description)
	}

	// Row 3: month precision, civilians are no entity, admin1 precision.
	e3 := ev["acled:SYRX0003"]
	if e3.Start != "2017-04-01" || e3.End != "2017-04-30" || e3.Precision != armstrace.PrecisionMonth {
		t.Errorf("month precision: %s..%s %s", e3.Start, e3.End, e3.Precision)
	}
	if diff := cmp.Diff([]armstrace.EventActor{{Entity: "acled-actor:unidentified-armed-group-syria", Role: armstrace.RolePerpetrator}}, e3.Actors); diff != "" {
		t.Errorf("row 3 actors (-want +got):\n%s", diff)
	}
	if e3.Place.Precision != armstrace.GeoAdmin1 || !strings.Contains(e3.Description, "family\non the road") {
		t.Errorf("row 3 place %+v description %q", e3.Place, e3.Description)
	}

	// Row 4: a foreign state force (inter 8) is an armed force of its own
	// state; fatalities left empty stay missing.
	ru := rows[3].Ops[0].Record.(*armstrace.Entity)
	if ru.ID != "acled-actor:military-forces-of-russia-2000" || ru.Kind != armstrace.EntityArmedForce || ru.Country != "RU" {
		t.Errorf("Russian forces: %+v", ru)
	}
	if hts := rows[3].Ops[1].Record.(*armstrace.Entity); hts.Kind != armstrace.EntityArmedGroup || hts.Country != "" {
		t.Errorf("HTS: %+v", hts)
	}
	if e4 := ev["acled:SYRX0004"]; !e4.Fatalities.IsZero() || e4.Fatalities.Unit != "" {
		t.Errorf("missing fatalities became %+v", e4.Fatalities)
	}

	// Row 5: protesters are no entity; zero fatalities are a real zero.
	if len(rows[4].Ops) != 1 {
		t.Errorf("row 5 ops %+v", rows[4].Ops)
	}
	e5 := ev["acled:SYRX0005"]
	if len(e5.Actors) != 0 || e5.Fatalities.Best == nil || *e5.Fatalities.Best != 0 || !strings.Contains(e5.Description, "tags: crowd size=no report") {
		t.Errorf("row 5 %+v", e5)
	}
	if u := r.Unresolved(); len(u) != 0 {
		t.Errorf("unresolved %v", u)
	}
}

func TestOldLayout(t *testing.T) {
	_, rows, bad := readFile(t, "acled_old_layout_invented.csv")
	if len(bad) != 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	ev := events(rows)
	if e := ev["acled:SYRX0101"]; e == nil || e.Start != "2012-04-12" || e.End != "2012-04-12" || e.Actors[0].Role != armstrace.RolePerpetrator {
		t.Errorf("SYRX0101: %+v", e)
	}
	if e := ev["acled:SYRX0102"]; e == nil || e.Start != "2012-04-13" || len(e.Actors) != 2 || e.Actors[1].Entity != "acled-actor:free-syrian-army" {
		t.Errorf("SYRX0102: %+v", e)
	}
	if n := len(ingesttest.Records[*armstrace.Entity](rows)); n != 2 {
		t.Errorf("%d entities, want 2 (the army once, the FSA)", n)
	}
}

// row builds a line of the current layout from a few overrides.
func row(over map[string]string) string {
	cols := strings.Split(strings.TrimSpace(header), ",")
	base := map[string]string{
		"event_id_cnty": "SYRX9", "event_date": "2017-03-08", "year": "2017", "time_precision": "1",
		"event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "Military Forces of Syria (2000-)", "inter1": "1",
		"actor2": "Islamic State (Syria)", "inter2": "2", "country": "Syria", "location": "Palmyra",
		"latitude": "34.55", "longitude": "38.28", "geo_precision": "1", "notes": "invented", "fatalities": "1",
	}
	for k, v := range over {
		base[k] = v
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		v := base[c]
		if strings.ContainsAny(v, ",\"\n") {
			v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		}
		out[i] = v
	}
	return strings.Join(out, ",") + "\n"
}

func TestBadRows(t *testing.T) {
	tests := []struct {
		over  map[string]string
		field string
	}{
		{map[string]string{"event_date": "08/03/2017"}, "event_date"},
		{map[string]string{"event_date": "8 Mar 2017"}, "event_date"},
		{map[string]string{"event_date": "2017-02-30"}, "event_date"},
		{map[string]string{"event_date": ""}, "event_date"},
		{map[string]string{"year": "2016"}, "year"},
		{map[string]string{"time_precision": "4"}, "time_precision"},
		{map[string]string{"time_precision": ""}, "time_precision"},
		{map[string]string{"event_id_cnty": ""}, "event_id_cnty"},
		{map[string]string{"event_id_cnty": "SYR 9"}, "event_id_cnty"},
		{map[string]string{"event_type": ""}, "event_type"},
		{map[string]string{"actor1": ""}, "actor1"},
		{map[string]string{"inter1": "Aliens"}, "inter1"},
		{map[string]string{"inter2": "9"}, "inter2"},
		{map[string]string{"latitude": "95"}, "latitude"},
		{map[string]string{"longitude": ""}, "longitude"},
		{map[string]string{"geo_precision": "7"}, "geo_precision"},
		{map[string]string{"fatalities": "-2"}, "fatalities"},
		{map[string]string{"fatalities": "2.5"}, "fatalities"},
		{map[string]string{"fatalities": "many"}, "fatalities"},
		{map[string]string{"country": ""}, "country"},
	}
	in := header
	for i, tc := range tests {
		in += row(map[string]string{"event_id_cnty": fmt.Sprintf("SYRX%d", i)}) // a good row between bad ones
		over := map[string]string{"event_id_cnty": fmt.Sprintf("SYRY%d", i)}
		for k, v := range tc.over {
			over[k] = v
		}
		in += row(over)
	}
	in += "SYRX99,2017-03-08\n" // too few cells
	_, rows, bad := readString(t, in)
	if len(rows) != len(tests) {
		t.Errorf("%d good rows, want %d", len(rows), len(tests))
	}
	if len(bad) != len(tests)+1 {
		t.Fatalf("%d bad rows, want %d: %v", len(bad), len(tests)+1, bad)
	}
	for i, tc := range tests {
		b := bad[i]
		if b.Code != armstrace.EINVALID || b.Line != 2*i+3 || b.Field != tc.field {
			t.Errorf("case %d %v: line %d field %q (%v), want line %d field %q", i, tc.over, b.Line, b.Field, b, 2*i+3, tc.field)
		}
	}
	if last := bad[len(bad)-1]; last.Line != 2*len(tests)+2 {
		t.Errorf("short row at line %d", last.Line)
	}
}

func TestQuirks(t *testing.T) {
	t.Run("BOM, CRLF, Latin-1 note, NA fatalities, inter words", func(t *testing.T) {
		in := "\ufeff" + strings.ReplaceAll(header, "\n", "\r\n") +
			strings.ReplaceAll(row(map[string]string{"notes": "caf\xe9 struck", "fatalities": "NA", "inter1": "State forces", "inter2": "Rebel group"}), "\n", "\r\n")
		_, rows, bad := readString(t, in)
		if len(bad) != 0 || len(rows) != 1 {
			t.Fatalf("rows %d bad %v", len(rows), bad)
		}
		e := events(rows)["acled:SYRX9"]
		if e.Citations[0].Quote != "café struck" || !e.Fatalities.IsZero() {
			t.Errorf("%+v", e)
		}
		ents := ingesttest.Records[*armstrace.Entity](rows)
		if len(ents) != 2 || ents[0].Kind != armstrace.EntityArmedForce || ents[1].Kind != armstrace.EntityArmedGroup {
			t.Errorf("entities %+v", ents)
		}
	})
	t.Run("dates in three forms, a time after the day", func(t *testing.T) {
		for in, want := range map[string]armstrace.Date{"12 April 2012": "2012-04-12", "2-April-2012": "2012-04-02", "2012-04-12 00:00:00": "2012-04-12", "12 april 2012": "2012-04-12"} {
			_, rows, bad := readString(t, header+row(map[string]string{"event_date": in, "year": ""}))
			if len(bad) != 0 {
				t.Errorf("%q: %v", in, bad)
				continue
			}
			if e := events(rows)["acled:SYRX9"]; e.Start != want {
				t.Errorf("%q → %s, want %s", in, e.Start, want)
			}
		}
	})
	t.Run("week precision crosses a year", func(t *testing.T) {
		_, rows, _ := readString(t, header+row(map[string]string{"event_date": "2017-01-01", "time_precision": "2"}))
		if e := events(rows)["acled:SYRX9"]; e.Start != "2016-12-29" || e.End != "2017-01-04" {
			t.Errorf("%s..%s", e.Start, e.End)
		}
	})
	t.Run("civilian targeting outside violence against civilians", func(t *testing.T) {
		_, rows, _ := readString(t, header+row(map[string]string{"civilian_targeting": "Civilian targeting", "event_type": "Explosions/Remote violence"}))
		e := events(rows)["acled:SYRX9"]
		if e.Actors[0].Role != armstrace.RolePerpetrator || e.Actors[1].Role != armstrace.RoleTarget {
			t.Errorf("%+v", e.Actors)
		}
	})
	t.Run("unresolved country and forces of an unknown state", func(t *testing.T) {
		r, rows, bad := readString(t, header+row(map[string]string{"country": "Atlantis", "actor1": "Military Forces of Atlantis (1990-)", "actor2": "Police Forces of Syria (2000-)", "inter2": "1"}))
		if len(bad) != 0 {
			t.Fatal(bad)
		}
		e := events(rows)["acled:SYRX9"]
		if e.Place.Country != "" || !strings.Contains(e.Description, "country (not in the states table): Atlantis") {
			t.Errorf("%+v", e)
		}
		ents := ingesttest.Records[*armstrace.Entity](rows)
		if ents[0].Country != "" || ents[1].Country != "SY" || ents[1].Kind != armstrace.EntityArmedForce {
			t.Errorf("%+v", ents)
		}
		if diff := cmp.Diff([]string{"Atlantis"}, r.Unresolved()); diff != "" {
			t.Errorf("unresolved (-want +got):\n%s", diff)
		}
	})
	t.Run("actor kinds without inter codes", func(t *testing.T) {
		_, rows, _ := readString(t, header+row(map[string]string{"inter1": "", "inter2": "", "actor2": "Civilians (Syria)"}))
		ents := ingesttest.Records[*armstrace.Entity](rows)
		if len(ents) != 1 || ents[0].Kind != armstrace.EntityArmedForce {
			t.Errorf("%+v", ents)
		}
	})
	t.Run("a long actor name keeps a valid id", func(t *testing.T) {
		long := strings.Repeat("Very Long Militia Name ", 10)
		_, rows, bad := readString(t, header+row(map[string]string{"actor2": long + "A"})+row(map[string]string{"event_id_cnty": "SYRX10", "actor2": long + "B"}))
		if len(bad) != 0 {
			t.Fatal(bad)
		}
		ents := ingesttest.Records[*armstrace.Entity](rows)
		if len(ents) != 3 || ents[1].ID == ents[2].ID || len(ents[1].ID) > 128 {
			t.Errorf("%d entities: %v / %v", len(ents), ents[1].ID, ents[2].ID)
		}
	})
	t.Run("control characters in notes become spaces", func(t *testing.T) {
		_, rows, bad := readString(t, header+row(map[string]string{"notes": "a\x01b"}))
		if len(bad) != 0 || events(rows)["acled:SYRX9"].Citations[0].Quote != "a b" {
			t.Errorf("%v %+v", bad, rows)
		}
	})
	t.Run("long notes are clipped in the quote", func(t *testing.T) {
		notes := strings.Repeat("word ", 100)
		_, rows, _ := readString(t, header+row(map[string]string{"notes": notes}))
		q := events(rows)["acled:SYRX9"].Citations[0].Quote
		if len([]rune(q)) > 201 || !strings.HasSuffix(q, "…") {
			t.Errorf("quote %q", q)
		}
	})
	t.Run("a header without the columns needed", func(t *testing.T) {
		_, _, err := Format.Open(strings.NewReader("event_id_cnty,event_date\nX,2017-01-01\n"), ingesttest.Env("x"))
		var ae *armstrace.Error
		if !errors.As(err, &ae) || ae.Code != armstrace.EINVALID || ae.Field != "time_precision" {
			t.Errorf("%v", err)
		}
	})
}

func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	f.Add([]byte(header+row(map[string]string{"inter1": "8", "actor1": "Military Forces of X", "event_date": "1-January-1999", "time_precision": "3"})), false)
	f.Add([]byte(row(map[string]string{"time_precision": "2", "event_date": "31-December-2199", "civilian_targeting": "Civilian targeting"})+
		row(map[string]string{"inter2": "State forces", "actor2": "Police Forces of Syria", "latitude": "", "longitude": ""})), true)
	env := ingesttest.Env("fuzz.csv")
	f.Fuzz(func(t *testing.T, b []byte, withHeader bool) {
		// withHeader puts a good header first, so that the fuzzer spends
		// its time on rows rather than on headers the reader refuses.
		if withHeader {
			b = append([]byte(header), b...)
		}
		r, _, err := Format.Open(bytes.NewReader(b), env)
		if err != nil {
			var ae *armstrace.Error
			if !errors.As(err, &ae) {
				t.Fatalf("open: not an *armstrace.Error: %v", err)
			}
			return
		}
		for i := 0; ; i++ {
			if i > len(b)+10 {
				t.Fatal("the reader does not end")
			}
			row, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var ae *armstrace.Error
				if !errors.As(err, &ae) {
					t.Fatalf("not an *armstrace.Error: %v", err)
				}
				continue
			}
			for _, op := range row.Ops {
				op.Record.Normalize()
				if err := op.Record.Validate(); err != nil {
					t.Fatalf("%s %s does not validate: %v", op.Record.RecordType(), op.Record.RecordID(), err)
				}
				if _, err := armstrace.CanonicalJSON(op.Record); err != nil {
					t.Fatalf("%s %s does not encode: %v", op.Record.RecordType(), op.Record.RecordID(), err)
				}
			}
		}
		_ = r.(*reader).Unresolved()
	})
}

// BenchmarkReadGenerated reads 100,000 synthetic rows in the current
// layout, written to a temporary file (no ACLED file is shared).
func BenchmarkReadGenerated(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), "acled_synthetic.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(header)
	actors := []string{"Military Forces of Syria (2000-)", "Islamic State (Syria)", "Hayat Tahrir al Sham", "Military Forces of Russia (2000-)", "Unidentified Armed Group (Syria)"}
	for i := range n {
		w.WriteString(row(map[string]string{
			"event_id_cnty":  fmt.Sprintf("SYRS%d", i),
			"event_date":     fmt.Sprintf("2017-%02d-%02d", i%12+1, i%28+1),
			"time_precision": fmt.Sprint(i%3 + 1),
			"actor1":         actors[i%len(actors)],
			"actor2":         actors[(i+1)%len(actors)],
			"inter1":         "2",
			"notes":          fmt.Sprintf("Synthetic event %d: shelling reported near the town, with several casualties among residents and fighters; sources differ on the toll.", i),
			"fatalities":     fmt.Sprint(i % 17),
		}))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	env := ingesttest.Env("acled_synthetic.csv")
	b.SetBytes(st.Size())
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, _, err := Format.Open(f, env)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		f.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
