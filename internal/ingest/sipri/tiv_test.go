package sipri

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

func point(s *armstrace.Series, year string) (float64, bool) {
	for _, p := range s.Points {
		if string(p.Period) == year {
			return p.Value, true
		}
	}
	return 0, false
}

func TestTIVImports(t *testing.T) {
	res := readString(t, TIVFormat, testdata(t, "tiv_imports.csv"))
	if len(res.bad) > 0 {
		t.Fatalf("bad rows: %v", res.bad)
	}
	if res.ds.Name != "SIPRI Arms Transfers Database: TIV of arms imports by recipient" || res.ds.Version != "Data generated: 13 Oct 2024 12:33:29 PM" {
		t.Errorf("dataset %+v", res.ds)
	}
	checkRows(t, res.rows)
	ss := res.series()
	if len(ss) != 3 {
		t.Fatalf("%d series", len(ss))
	}
	syria := ss[0]
	if syria.ID != "sipri-tiv:imports:syria" || syria.Subject != "ent:syria" || syria.Measure != "arms imports" ||
		syria.Unit != "TIV-m" || syria.Frequency != "year" || syria.Name != "Arms imports of Syria (SIPRI TIV)" {
		t.Errorf("syria: %+v", syria)
	}
	// Syria has a value for 1950–2021 and none for 2022–2024.
	if len(syria.Points) != 72 || syria.Points[0].Period != "1950" || syria.Points[71].Period != "2021" {
		t.Errorf("syria: %d points, %v … %v", len(syria.Points), syria.Points[0], syria.Points[len(syria.Points)-1])
	}
	for year, want := range map[string]float64{"1950": 109, "2011": 513, "2012": 526, "2021": 7} {
		if v, ok := point(syria, year); !ok || v != want {
			t.Errorf("syria %s = %v, %v; want %v", year, v, ok, want)
		}
	}
	if _, ok := point(syria, "2022"); ok {
		t.Error("an empty cell must give no point")
	}
	if diff := cmp.Diff([]armstrace.Citation{{Source: "src:test", Locator: "line 11: Syria"}}, syria.Citations); diff != "" {
		t.Errorf("citation: %s", diff)
	}
	afg := ss[1]
	if afg.ID != "sipri-tiv:imports:afghanistan" || len(afg.Points) != 53 {
		t.Errorf("afghanistan: %s, %d points", afg.ID, len(afg.Points))
	}
	// Syria rebels*: "0 " in 2014, SIPRI's "between 0 and 0.5".
	rebels := ss[2]
	if rebels.ID != "sipri-tiv:imports:syria-rebels" || rebels.Subject != "ent:sipri:syria-rebels" {
		t.Errorf("rebels: %+v", rebels)
	}
	if v, ok := point(rebels, "2014"); !ok || v != 0 || !strings.Contains(rebels.Notes, "0 means between 0 and 0.5 million TIV (SIPRI's rule): 2014.") {
		t.Errorf("rebels 2014: %v %v; notes %q", v, ok, rebels.Notes)
	}
	if strings.Contains(syria.Notes, "0 means") {
		t.Errorf("syria has no 0: %q", syria.Notes)
	}
	if diff := cmp.Diff([]string{"Syria rebels*"}, res.unresolved); diff != "" {
		t.Errorf("unresolved: %s", diff)
	}
}

func TestTIVExports(t *testing.T) {
	res := readString(t, TIVFormat, testdata(t, "tiv_exports.csv"))
	if len(res.bad) > 0 {
		t.Fatalf("bad rows: %v", res.bad)
	}
	if res.ds.Name != "SIPRI Arms Transfers Database: TIV of arms exports by supplier" {
		t.Errorf("dataset %+v", res.ds)
	}
	var ids []string
	for _, s := range res.series() {
		ids = append(ids, s.ID)
		if s.Measure != "arms exports" {
			t.Errorf("%s: measure %q", s.ID, s.Measure)
		}
	}
	if diff := cmp.Diff([]string{"sipri-tiv:exports:united-states", "sipri-tiv:exports:soviet-union", "sipri-tiv:exports:russia"}, ids); diff != "" {
		t.Errorf("series: %s", diff)
	}
	ru := res.series()[2]
	if ru.Subject != "ent:russia" || len(ru.Points) != 32 || ru.Points[0].Period != "1992" {
		t.Errorf("russia: %s, %d points from %v", ru.Subject, len(ru.Points), ru.Points[0])
	}
	if len(res.unresolved) != 0 {
		t.Errorf("unresolved: %v", res.unresolved)
	}
}

// tivFile builds a table from the real preamble and header and the given
// rows (altered rows for tests; not SIPRI data).
func tivFile(t *testing.T, rows ...string) string {
	lines := strings.SplitAfter(testdata(t, "tiv_imports.csv"), "\n")
	return strings.Join(lines[:10], "") + strings.Join(rows, "\n") + "\n"
}

// tivRow makes a row with values for the given years (1950–2024) and a total.
func tivRow(name string, values map[int]string, total string) string {
	cells := []string{name}
	for y := 1950; y <= 2024; y++ {
		cells = append(cells, values[y])
	}
	return strings.Join(append(cells, total, "0.1%", total, "0.1%"), ",")
}

func TestTIVQuirks(t *testing.T) {
	file := "\xef\xbb\xbf" + strings.ReplaceAll(tivFile(t,
		tivRow("C\xf4te d'Ivoire", map[int]string{2011: "3", 2012: "0 ", 2013: `"1,200"`}, `"1,203"`),
		tivRow("Total", map[int]string{2011: "3"}, "3"),
		tivRow("Unknown recipient(s)", nil, ""),
		// A made-up recipient (Atlantis, with a Latin-1 á) that no
		// curated state resolves.
		tivRow("Atl\xe1ntida", map[int]string{2013: "10"}, "10"),
	), "\n", "\r\n")
	res := readString(t, TIVFormat, file)
	if len(res.bad) > 0 {
		t.Fatalf("bad rows: %v", res.bad)
	}
	ss := res.series()
	if len(ss) != 3 {
		t.Fatalf("%d series; the Total row is not a country", len(ss))
	}
	// The Latin-1 name, decoded, is the curated state's.
	ci := ss[0]
	want := []armstrace.SeriesPoint{{Period: "2011", Value: 3}, {Period: "2012", Value: 0}, {Period: "2013", Value: 1200}}
	if diff := cmp.Diff(want, ci.Points); diff != "" || ci.ID != "sipri-tiv:imports:côte-d-ivoire" || ci.Subject != "ent:cote-divoire" {
		t.Errorf("%s %s: %s", ci.ID, ci.Subject, diff)
	}
	if e := res.entity(t, "ent:cote-divoire"); e.Name != "Côte d'Ivoire" || e.Kind != armstrace.EntityState || e.Country != "CI" {
		t.Errorf("Côte d'Ivoire: %+v", e)
	}
	if len(ss[1].Points) != 0 || ss[1].Subject != "ent:sipri:unknown-recipient-s" {
		t.Errorf("unknown: %+v", ss[1])
	}
	if e := res.entity(t, "ent:sipri:unknown-recipient-s"); e.Kind == armstrace.EntityState {
		t.Errorf("unknown recipient(s) is not a state: %+v", e)
	}
	// A name the table does not know: a state of its own under a
	// SIPRI-derived id, reported.
	at := ss[2]
	if diff := cmp.Diff([]armstrace.SeriesPoint{{Period: "2013", Value: 10}}, at.Points); diff != "" || at.ID != "sipri-tiv:imports:atlántida" || at.Subject != "ent:sipri:atlántida" {
		t.Errorf("%s %s: %s", at.ID, at.Subject, diff)
	}
	if e := res.entity(t, "ent:sipri:atlántida"); e.Name != "Atlántida" || e.Kind != armstrace.EntityState {
		t.Errorf("Atlántida: %+v", e)
	}
	if diff := cmp.Diff([]string{"Atlántida", "Unknown recipient(s)"}, res.unresolved); diff != "" {
		t.Errorf("unresolved: %s", diff)
	}
	if len(res.warnings) != 1 || !strings.Contains(res.warnings[0], "Total row") {
		t.Errorf("warnings: %v", res.warnings)
	}
}

func TestTIVBadRows(t *testing.T) {
	good := tivRow("Syria", map[int]string{2011: "513", 2012: "526"}, "1039")
	tests := []struct {
		name, row, field string
	}{
		// 10 years of 1 cannot make 20, however each was rounded.
		{"sum", tivRow("Syria", map[int]string{2001: "1", 2002: "1", 2003: "1", 2004: "1", 2005: "1", 2006: "1", 2007: "1", 2008: "1", 2009: "1", 2010: "1"}, "20"), "1950-2024"},
		{"value", tivRow("Syria", map[int]string{2011: "lots"}, "5"), "2011"},
		{"negative", tivRow("Syria", map[int]string{2011: "-5"}, "-5"), "2011"},
		{"no total", tivRow("Syria", map[int]string{2011: "5"}, ""), "1950-2024"},
		{"total", tivRow("Syria", map[int]string{2011: "5"}, "five"), "1950-2024"},
		{"no name", tivRow("", map[int]string{2011: "5"}, "5"), "Recipient"},
		{"cells", "Syria,1,2", ""},
		{"same series twice", good, "Recipient"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tivFile(t, tc.row, good)
			if tc.name == "same series twice" {
				file = tivFile(t, good, good, tivRow("Afghanistan", map[int]string{2011: "633"}, "633"))
			}
			r, _, err := TIVFormat.Open(strings.NewReader(file), ingesttest.Env("test.csv"))
			if err != nil {
				t.Fatal(err)
			}
			rows, errs := drain(t, r)
			wantRows := 1
			if tc.name == "same series twice" {
				wantRows = 2 // the first Syria and Afghanistan
			}
			if len(errs) != 1 || len(rows) != wantRows {
				t.Fatalf("rows %d, errors %v", len(rows), errs)
			}
			if e := errs[0]; e.Code != armstrace.EINVALID || e.Line < 11 || e.Field != tc.field {
				t.Errorf("error %#v, want field %q", e, tc.field)
			}
			checkRows(t, rows)
		})
	}
}

func TestTIVHeaderErrors(t *testing.T) {
	real := testdata(t, "tiv_imports.csv")
	for _, tc := range []struct{ name, file, field string }{
		{"neither imports nor exports", strings.Replace(real, "Recipient,1950", "Country,1950", 1), "Country"},
		{"no total column", strings.Replace(real, ",1950-2024,", ",Total,", 1), "1950-2024"},
		{"repeated year", strings.Replace(real, ",1951,", ",1950,", 1), "1950"},
		{"no header", "Volume of transfers of major arms\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := TIVFormat.Open(strings.NewReader(tc.file), ingesttest.Env("x.csv"))
			e, ok := err.(*armstrace.Error)
			if !ok || e.Code != armstrace.EINVALID || e.Field != tc.field {
				t.Errorf("error %#v, want EINVALID on %q", err, tc.field)
			}
		})
	}
}

func TestSharedTIV(t *testing.T) {
	for _, tc := range []struct {
		file string
		ids  []string
	}{
		{sharedImports, []string{"sipri-tiv:imports:syria", "sipri-tiv:imports:afghanistan", "sipri-tiv:imports:syria-rebels"}},
		{sharedExports, []string{"sipri-tiv:exports:united-states", "sipri-tiv:exports:soviet-union", "sipri-tiv:exports:russia"}},
	} {
		res := readPath(t, TIVFormat, ingesttest.Shared(t, tc.file))
		if len(res.bad) != 0 {
			t.Errorf("%s: bad rows %v", tc.file, res.bad)
		}
		var ids []string
		for _, s := range res.series() {
			ids = append(ids, s.ID)
		}
		if diff := cmp.Diff(tc.ids, ids); diff != "" {
			t.Errorf("%s: %s", tc.file, diff)
		}
		checkRows(t, res.rows)
	}
}
