package sipri

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

func num(v float64) *float64 { return &v }

func units(v float64) *armstrace.Range { return &armstrace.Range{Best: num(v), Unit: "units"} }

func unsure(v float64) *armstrace.Range {
	return &armstrace.Range{Best: num(v), Unit: "units", Approximate: true, Qualifier: "uncertain"}
}

func tivm(v float64) *armstrace.Range { return &armstrace.Range{Best: num(v), Unit: "TIV-m"} }

func TestClassicMapping(t *testing.T) {
	res := readString(t, RegisterFormat, testdata(t, "register_classic.csv"))
	if len(res.bad) > 0 {
		t.Fatalf("bad rows: %v", res.bad)
	}
	want := ingest.Dataset{
		Name:      "SIPRI Arms Transfers Database: trade register",
		Publisher: "Stockholm International Peace Research Institute (SIPRI)",
		Version:   "Data generated: 13 Oct 2024 2:20:11 PM",
		URL:       "https://www.sipri.org/databases/armstransfers",
		License:   license,
	}
	if diff := cmp.Diff(want, res.ds); diff != "" {
		t.Errorf("dataset (-want +got):\n%s", diff)
	}
	if len(res.rows) != 9 {
		t.Fatalf("%d rows, want 9", len(res.rows))
	}
	checkRows(t, res.rows)

	// Line 14: Afghanistan,Russia,2011,,21,,Mi-17,transport helicopter,21,,2011; 2012,New,$375m deal …,7.25,152.25,152.25
	mi17 := &armstrace.Claim{
		ID:         "sipri-deal:c-020249d7e40a3186",
		Kind:       armstrace.ClaimSupplied,
		Subject:    "ent:russia",
		Object:     "ent:afghanistan",
		ObjectType: armstrace.ObjectEntity,
		ValidFrom:  "2011",
		ValidTo:    "2012",
		Status:     armstrace.StatusVerified,
		Confidence: 0.8,
		Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{
			Weapon:          "ent:weapon:mi-17",
			Designation:     "Mi-17",
			Description:     "transport helicopter",
			NumberOrdered:   units(21),
			NumberDelivered: units(21),
			OrderYear:       2011,
			DeliveryYears:   []int{2011, 2012},
			Condition:       "new",
			TIVPerUnit:      tivm(7.25),
			TIVTotal:        tivm(152.25),
			TIVDelivered:    tivm(152.25),
			Comments:        "$375m deal (bought via and financed by USA); Mi-17V-5 version",
		}},
		Notes: claimNotes,
		Citations: []armstrace.Citation{{Source: "src:test", Locator: "line 14: Afghanistan; Russia; 2011; Mi-17",
			Quote: "$375m deal (bought via and financed by USA); Mi-17V-5 version"}},
	}
	// Line 17: Afghanistan,Russia,2002,?,5,?,Mi-24D/Mi-25,combat helicopter,5,?,2002,Second hand,…,3.3,16.5,16.5
	mi24 := &armstrace.Claim{
		ID:         "sipri-deal:c-bc80898676c73403",
		Kind:       armstrace.ClaimSupplied,
		Subject:    "ent:russia",
		Object:     "ent:afghanistan",
		ObjectType: armstrace.ObjectEntity,
		ValidFrom:  "2002",
		ValidTo:    "2002",
		Status:     armstrace.StatusVerified,
		Confidence: 0.8,
		Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{
			Weapon:          "ent:weapon:mi-24d-mi-25",
			Designation:     "Mi-24D/Mi-25",
			Description:     "combat helicopter",
			NumberOrdered:   unsure(5),
			NumberDelivered: unsure(5),
			OrderYear:       2002,
			DeliveryYears:   []int{2002},
			Condition:       "second hand",
			TIVPerUnit:      tivm(3.3),
			TIVTotal:        tivm(16.5),
			TIVDelivered:    tivm(16.5),
			Uncertain:       []string{"order_year", "number_ordered", "number_delivered"},
			Comments:        "Second-hand; aid; status uncertain",
		}},
		Notes:     claimNotes,
		Citations: []armstrace.Citation{{Source: "src:test", Locator: "line 17: Afghanistan; Russia; 2002; Mi-24D/Mi-25", Quote: "Second-hand; aid; status uncertain"}},
	}
	byLine := map[int]*armstrace.Claim{}
	for _, row := range res.rows {
		byLine[row.Line] = ingesttest.Records[*armstrace.Claim]([]ingest.Row{row})[0]
	}
	for line, want := range map[int]*armstrace.Claim{14: mi17, 17: mi24} {
		if diff := cmp.Diff(want, byLine[line]); diff != "" {
			t.Errorf("line %d (-want +got):\n%s", line, diff)
		}
	}

	// Line 16: the An-12, with '?' after the year of order and the number
	// delivered but not after the number ordered.
	an12 := byLine[16].Attrs.Transfer
	if !slices.Equal(an12.Uncertain, []string{"order_year", "number_delivered"}) {
		t.Errorf("An-12 uncertain = %v", an12.Uncertain)
	}
	if diff := cmp.Diff(units(1), an12.NumberOrdered); diff != "" {
		t.Errorf("An-12 number ordered: %s", diff)
	}
	if diff := cmp.Diff(unsure(1), an12.NumberDelivered); diff != "" {
		t.Errorf("An-12 number delivered: %s", diff)
	}
	// Line 18: Mongolia, second hand but modernized, delivered in 2012 and 2015.
	t72 := byLine[18]
	if t72.Attrs.Transfer.Condition != "second hand but modernized" || t72.ValidFrom != "2012" || t72.ValidTo != "2015" {
		t.Errorf("T-72: condition %q, valid %s–%s", t72.Attrs.Transfer.Condition, t72.ValidFrom, t72.ValidTo)
	}
	if len(t72.Attrs.Transfer.Deliveries) != 0 {
		t.Errorf("classic layout must not split deliveries by year: %+v", t72.Attrs.Transfer.Deliveries)
	}

	// Parties: states merged from the curated table; non-state names kept
	// apart and reported.
	if diff := cmp.Diff([]string{"Syria rebels*", "unknown supplier(s)"}, res.unresolved); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
	rebels := res.entity(t, "ent:sipri:syria-rebels")
	if rebels.Kind != armstrace.EntityArmedGroup || rebels.Name != "Syria rebels" || rebels.Aliases[0].Value != "Syria rebels*" {
		t.Errorf("rebels: %+v", rebels)
	}
	unknown := res.entity(t, "ent:sipri:unknown-supplier-s")
	if unknown.Kind == armstrace.EntityState {
		t.Errorf("unknown supplier(s) must not be a state: %+v", unknown)
	}
	if su := res.entity(t, "ent:soviet-union"); su.Country != "SU" {
		t.Errorf("Soviet Union: %+v", su)
	}
	if w := res.entity(t, "ent:weapon:mi-17"); w.Kind != armstrace.EntityWeaponModel || w.Country != "RU" || w.Description != "transport helicopter" {
		t.Errorf("weapon: %+v", w)
	}
	if w := res.entity(t, "ent:weapon:red-arrow-8"); w.Country != "" {
		t.Errorf("weapon of an unknown supplier has country %q", w.Country)
	}
	if len(res.warnings) != 0 {
		t.Errorf("warnings: %v", res.warnings)
	}
}

func TestPerYearMapping(t *testing.T) {
	res := readString(t, RegisterFormat, testdata(t, "register_per_delivery_year.csv"))
	if len(res.bad) > 0 {
		t.Fatalf("bad rows: %v", res.bad)
	}
	if res.ds.Version != "Data generated: 3 Jan 2025 9:16:02 PM" || !strings.Contains(res.ds.Name, "delivery year") {
		t.Errorf("dataset: %+v", res.ds)
	}
	checkRows(t, res.rows)
	var ids []string
	for _, c := range res.claims() {
		ids = append(ids, c.ID)
	}
	// Sorted by deal id, not by line.
	wantIDs := []string{"sipri-deal:20292", "sipri-deal:22321", "sipri-deal:33756", "sipri-deal:51940", "sipri-deal:57218", "sipri-deal:67148"}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Fatalf("claims (-want +got):\n%s", diff)
	}

	// Deal 51940, lines 13–14: 9 Mi-17 in 2011 (65.25 TIV), 12 in 2012 (87).
	want := &armstrace.Claim{
		ID:         "sipri-deal:51940",
		Kind:       armstrace.ClaimSupplied,
		Subject:    "ent:russia",
		Object:     "ent:afghanistan",
		ObjectType: armstrace.ObjectEntity,
		ValidFrom:  "2011",
		ValidTo:    "2012",
		Status:     armstrace.StatusVerified,
		Confidence: 0.8,
		Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{
			Weapon:          "ent:weapon:mi-17",
			Designation:     "Mi-17",
			Description:     "transport helicopter",
			NumberDelivered: units(21),
			OrderYear:       2011,
			DeliveryYears:   []int{2011, 2012},
			Condition:       "new",
			TIVPerUnit:      tivm(7.25),
			TIVDelivered:    tivm(152.25),
			Deliveries: []armstrace.Delivery{
				{Year: 2011, Number: units(9), TIVDelivered: tivm(65.25)},
				{Year: 2012, Number: units(12), TIVDelivered: tivm(87)},
			},
		}},
		Notes:     claimNotes + " Armament category: Aircraft.",
		Citations: []armstrace.Citation{{Source: "src:test", Locator: "id 51940, lines 13, 14: Afghanistan; Russia; 2011; Mi-17"}},
	}
	if diff := cmp.Diff(want, res.claim(t, "sipri-deal:51940")); diff != "" {
		t.Errorf("deal 51940 (-want +got):\n%s", diff)
	}

	// Deal 67148: rows out of year order, every figure an estimate.
	r27 := res.claim(t, "sipri-deal:67148").Attrs.Transfer
	if !slices.Equal(r27.DeliveryYears, []int{2010, 2011, 2012}) || r27.Deliveries[0].Year != 2010 {
		t.Errorf("deal 67148 years %v, deliveries %+v", r27.DeliveryYears, r27.Deliveries)
	}
	if diff := cmp.Diff(unsure(150), r27.NumberDelivered); diff != "" {
		t.Errorf("deal 67148 number delivered: %s", diff)
	}
	if diff := cmp.Diff(unsure(50), r27.Deliveries[1].Number); diff != "" {
		t.Errorf("deal 67148 2011 number: %s", diff)
	}
	if !slices.Equal(r27.Uncertain, []string{"order_year", "number_delivered", "delivery_years"}) {
		t.Errorf("deal 67148 uncertain %v", r27.Uncertain)
	}
	if *r27.TIVDelivered.Best != 28.5 {
		t.Errorf("deal 67148 delivered %v, want 28.5 (3 × 9.5)", r27.TIVDelivered)
	}

	// Deal 33756: second-hand An-12; the TIV per unit is the deal's (9.2),
	// and SIPRI's estimate for a new one (23) goes to the notes.
	an12 := res.claim(t, "sipri-deal:33756")
	if *an12.Attrs.Transfer.TIVPerUnit.Best != 9.2 || !strings.Contains(an12.Notes, "new item of this type is 23; this deal's is 9.2") {
		t.Errorf("deal 33756: %v / %s", an12.Attrs.Transfer.TIVPerUnit, an12.Notes)
	}
	// Deal 20292, ordered in 1990: the export covers 2000–2030 only.
	if n := res.claim(t, "sipri-deal:20292").Notes; !strings.Contains(n, "before 2000 are not in it") || !strings.Contains(n, "local production") {
		t.Errorf("deal 20292 notes: %s", n)
	}
	// Deal 57218: unknown supplier(s) to Syria rebels*, TIV deal unit 0.
	tow := res.claim(t, "sipri-deal:57218")
	if tow.Subject != "ent:sipri:unknown-supplier-s" || tow.Object != "ent:sipri:syria-rebels" || *tow.Attrs.Transfer.TIVDelivered.Best != 0.2 {
		t.Errorf("deal 57218: %+v", tow)
	}
	if diff := cmp.Diff([]string{"Syria rebels*", "unknown supplier(s)"}, res.unresolved); diff != "" {
		t.Errorf("unresolved: %s", diff)
	}
}

// The two layouts give the same deal the same totals: the per-year rows
// add up to the classic row's TIV of delivered weapons.
func TestLayoutsAgree(t *testing.T) {
	classic := readString(t, RegisterFormat, testdata(t, "register_classic.csv"))
	perYear := readString(t, RegisterFormat, testdata(t, "register_per_delivery_year.csv"))
	for _, pair := range []struct{ classic, perYear string }{
		{"sipri-deal:c-020249d7e40a3186", "sipri-deal:51940"}, // 21 Mi-17 for Afghanistan, 2011
		{"sipri-deal:c-eda57a99d4301bb4", "sipri-deal:33756"}, // An-12 for Afghanistan, 2002
	} {
		a := classic.claim(t, pair.classic).Attrs.Transfer
		b := perYear.claim(t, pair.perYear).Attrs.Transfer
		if *a.TIVDelivered.Best != *b.TIVDelivered.Best || *a.NumberDelivered.Best != *b.NumberDelivered.Best || !slices.Equal(a.DeliveryYears, b.DeliveryYears) {
			t.Errorf("%s and %s disagree: %v %v %v / %v %v %v", pair.classic, pair.perYear,
				a.TIVDelivered, a.NumberDelivered, a.DeliveryYears, b.TIVDelivered, b.NumberDelivered, b.DeliveryYears)
		}
	}
}

// classicRow builds a classic file from the real preamble and header and
// the given rows (altered rows for tests; not SIPRI data).
func classicFile(t *testing.T, rows ...string) string {
	lines := strings.SplitAfter(testdata(t, "register_classic.csv"), "\n")
	return strings.Join(lines[:12], "") + strings.Join(rows, "\n") + "\n"
}

func perYearFile(t *testing.T, rows ...string) string {
	lines := strings.SplitAfter(testdata(t, "register_per_delivery_year.csv"), "\n")
	return strings.Join(lines[:12], "") + strings.Join(rows, "\n") + "\n"
}

const goodClassic = "Afghanistan,Russia,2010,,10,,Mi-17,transport helicopter,10,,2010,New,Mi-17V-5 version; financed by UAE,7.25,72.5,72.5"

func TestClassicQuirks(t *testing.T) {
	file := classicFile(t,
		// A Latin-1 byte (ô), an empty number ordered, '?' flags, no deliveries yet.
		"C\xf4te d'Ivoire,Russia,2013,?,,,Mi-24V,combat helicopter,,,,New,,5,,",
		// "NA" cells, and SIPRI's '0' for a delivered TIV below 0.5.
		"Syria,Russia,2012,,NA,?,Igla-S,portable SAM,20,?,2012,New,,0.02,NA,0",
		// A non-state actor placed in a state: the group is not the state.
		"Hezbollah (Lebanon)*,Iran,2006,?,10,?,Kornet,anti-tank missile,10,?,2006,New,,0.02,0.2,0.2",
		"NATO**,United States,2010,,2,,C-17A Globemaster-3,transport aircraft,2,,2009,New,Strategic airlift capability,1,2,2",
		// A made-up recipient (Atlantis, with a Latin-1 á) that no
		// curated state resolves.
		"Atl\xe1ntida,Russia,2013,,2,,Mi-24V,combat helicopter,2,,2013,New,,5,10,10",
	)
	file = "\xef\xbb\xbf" + strings.ReplaceAll(file, "\n", "\r\n")
	res := readString(t, RegisterFormat, file)
	if len(res.bad) > 0 {
		t.Fatalf("bad rows: %v", res.bad)
	}
	if res.ds.Version != "Data generated: 13 Oct 2024 2:20:11 PM" {
		t.Errorf("version %q", res.ds.Version)
	}
	checkRows(t, res.rows)
	cs := res.claims()
	if len(cs) != 5 {
		t.Fatalf("%d claims", len(cs))
	}

	// The Latin-1 name, decoded, is the curated state's.
	ci := cs[0]
	if ci.Object != "ent:cote-divoire" {
		t.Errorf("object %q", ci.Object)
	}
	if e := res.entity(t, ci.Object); e.Name != "Côte d'Ivoire" || e.Kind != armstrace.EntityState || e.Country != "CI" {
		t.Errorf("Côte d'Ivoire: %+v", e)
	}
	tr := ci.Attrs.Transfer
	if tr.NumberOrdered != nil || tr.NumberDelivered != nil || tr.TIVTotal != nil || tr.TIVDelivered != nil || tr.DeliveryYears != nil {
		t.Errorf("missing values must stay missing: %+v", tr)
	}
	if !slices.Equal(tr.Uncertain, []string{"order_year"}) || ci.ValidFrom != "2013" || ci.ValidTo != "2013" {
		t.Errorf("uncertain %v, valid %s–%s", tr.Uncertain, ci.ValidFrom, ci.ValidTo)
	}
	if ci.Citations[0].Quote != "" {
		t.Errorf("quote without comments: %q", ci.Citations[0].Quote)
	}

	igla := cs[1].Attrs.Transfer
	wantZero := &armstrace.Range{Low: num(0), Best: num(0), High: num(0.5), Unit: "TIV-m", Approximate: true, Qualifier: "between 0 and 0.5"}
	if diff := cmp.Diff(wantZero, igla.TIVDelivered); diff != "" {
		t.Errorf("'0' TIV delivered (-want +got):\n%s", diff)
	}
	if igla.NumberOrdered != nil || igla.TIVTotal != nil || !slices.Equal(igla.Uncertain, []string{"number_delivered"}) {
		t.Errorf("NA cells: %+v", igla)
	}

	hz := res.entity(t, cs[2].Object)
	if hz.ID != "ent:sipri:hezbollah-lebanon" || hz.Kind != armstrace.EntityArmedGroup || hz.Country != "LB" {
		t.Errorf("Hezbollah: %+v", hz)
	}
	nato := res.entity(t, cs[3].Object)
	if nato.ID != "ent:sipri:nato" || nato.Kind != armstrace.EntityAgency {
		t.Errorf("NATO: %+v", nato)
	}
	// A name the table does not know: a state of its own under a
	// SIPRI-derived id, not a second node for a curated state; reported.
	at := cs[4]
	if at.Object != "ent:sipri:atlántida" {
		t.Errorf("object %q", at.Object)
	}
	if e := res.entity(t, at.Object); e.Name != "Atlántida" || e.Kind != armstrace.EntityState || e.Country != "" || len(e.Aliases) != 0 || !strings.Contains(e.Description, "not in armstrace's curated table of states") {
		t.Errorf("Atlántida: %+v", e)
	}
	if diff := cmp.Diff([]string{"Atlántida", "Hezbollah (Lebanon)*", "NATO**"}, res.unresolved); diff != "" {
		t.Errorf("unresolved: %s", diff)
	}
}

func TestClassicBadRows(t *testing.T) {
	tests := []struct {
		name, row, field string
	}{
		{"year of order", "Syria,Russia,20x1,,10,,Mi-17,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "Year of order"},
		{"year out of range", "Syria,Russia,211,,10,,Mi-17,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "Year of order"},
		{"number ordered", "Syria,Russia,2010,,many,,Mi-17,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "Number ordered"},
		{"negative number", "Syria,Russia,2010,,-3,,Mi-17,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "Number ordered"},
		{"flag", "Syria,Russia,2010,,10,x,Mi-17,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "? after Number ordered"},
		{"delivery years", "Syria,Russia,2010,,10,,Mi-17,transport helicopter,10,,2010; soon,New,,7.25,72.5,72.5", "Year(s) of delivery"},
		{"TIV", "Syria,Russia,2010,,10,,Mi-17,transport helicopter,10,,2010,New,,7.25,lots,72.5", "SIPRI TIV for total order"},
		{"negative TIV", "Syria,Russia,2010,,10,,Mi-17,transport helicopter,10,,2010,New,,-7.25,72.5,72.5", "SIPRI TIV per unit"},
		{"no recipient", ",Russia,2010,,10,,Mi-17,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "Recipient"},
		{"no designation", "Syria,Russia,2010,,10,,,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "Weapon designation"},
		{"designation without letters", "Syria,Russia,2010,,10,,???,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "Weapon designation"},
		{"supplier is recipient", "Russia,Russia,2010,,10,,Mi-17,transport helicopter,10,,2010,New,,7.25,72.5,72.5", "claim object"},
		{"control character", "Syria,Russia,2010,,10,,Mi-17,transport helicopter,10,,2010,New,bad \x01 text,7.25,72.5,72.5", "Comments"},
		{"cells", "Syria,Russia,2010,,10", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _, err := RegisterFormat.Open(strings.NewReader(classicFile(t, tc.row, goodClassic)), ingesttest.Env("test.csv"))
			if err != nil {
				t.Fatal(err)
			}
			rows, errs := drain(t, r)
			if len(errs) != 1 {
				t.Fatalf("errors %v, want one", errs)
			}
			e := errs[0]
			if e.Code != armstrace.EINVALID || e.Line != 13 || !strings.HasPrefix(e.Field, tc.field) {
				t.Errorf("error %#v, want line 13, field %q", e, tc.field)
			}
			if len(rows) != 1 || rows[0].Line != 14 {
				t.Fatalf("the reader must go on to the good row: %v", rows)
			}
			// The entities a bad row would have made come with the good row.
			checkRows(t, rows)
			for _, id := range []string{"ent:russia", "ent:afghanistan", "ent:weapon:mi-17"} {
				found := false
				for _, op := range rows[0].Ops {
					found = found || op.Record.RecordID() == id
				}
				if !found {
					t.Errorf("%s not emitted with the good row", id)
				}
			}
		})
	}
}

func TestRegisterHeaderErrors(t *testing.T) {
	real := testdata(t, "register_classic.csv")
	tests := []struct {
		name, file, field string
	}{
		{"no header", "Transfers of major conventional arms\nnothing here\n", ""},
		{"missing column", strings.Replace(real, ",SIPRI TIV of delivered weapons", ",TIV", 1), "SIPRI TIV of delivered weapons"},
		{"flag columns moved", strings.Replace(real, "Year of order, ,Number ordered, ,", "Year of order,Number ordered, , ,", 1), "Year of order"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := RegisterFormat.Open(strings.NewReader(tc.file), ingesttest.Env("x.csv"))
			e, ok := err.(*armstrace.Error)
			if !ok || e.Code != armstrace.EINVALID || e.Field != tc.field {
				t.Errorf("error %#v, want EINVALID on field %q", err, tc.field)
			}
		})
	}
}

const goodPerYear = "52626,Russia,Afghanistan,Mi-17,transport helicopter,Aircraft,2010,No,10,No,2010,No,New,7.25,7.25,72.5,No"

func TestPerYearBadRows(t *testing.T) {
	rowA := "51940,Russia,Afghanistan,Mi-17,transport helicopter,Aircraft,2011,No,9,No,2011,No,New,7.25,7.25,65.25,No"
	rowB := "51940,Russia,Afghanistan,Mi-17,transport helicopter,Aircraft,2011,No,12,No,2012,No,New,7.25,7.25,87,No"
	tests := []struct {
		name    string
		rows    []string
		line    int
		field   string
		errs    int   // bad rows, when not one
		leftOut []int // the deal's other lines, left out with it
	}{
		{"deal id", []string{"x51940" + rowA[5:]}, 13, "SIPRI AT Database ID", 1, nil},
		{"per-deal column differs", []string{rowA, strings.Replace(rowB, ",New,", ",Second hand,", 1)}, 14, "Status", 1, []int{13}},
		{"order date differs", []string{rowA, strings.Replace(rowB, ",2011,No,12", ",2010,No,12", 1)}, 14, "Order date", 1, []int{13}},
		{"two rows for one year", []string{rowA, strings.Replace(rowB, ",2012,", ",2011,", 1)}, 14, "Delivery year", 1, []int{13}},
		// The deal's total on each year row: the pipeline bug's input.
		{"deal total on each year", []string{strings.Replace(rowA, ",65.25,", ",152.25,", 1), strings.Replace(rowB, ",87,", ",152.25,", 1)}, 13, "TIV delivery values", 2, nil},
		{"estimate flag", []string{strings.Replace(rowA, ",2011,No,9", ",2011,Maybe,9", 1), rowB}, 13, "Order date is estimate", 1, []int{14}},
		{"numbers", []string{strings.Replace(rowA, ",9,", ",nine,", 1), rowB}, 13, "Numbers delivered", 1, []int{14}},
		{"values without a year", []string{strings.Replace(rowA, ",2011,No,New", ",,No,New", 1), rowB}, 13, "Delivery year", 1, []int{14}},
		{"cells", []string{rowA[:40], rowB}, 13, "", 1, []int{14}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := perYearFile(t, append(tc.rows, goodPerYear)...)
			r, _, err := RegisterFormat.Open(strings.NewReader(file), ingesttest.Env("test.csv"))
			if err != nil {
				t.Fatal(err)
			}
			rows, errs := drain(t, r)
			if want := tc.errs + len(tc.leftOut); len(errs) != want {
				t.Fatalf("errors %v, want %d", errs, want)
			}
			if e := errs[0]; e.Code != armstrace.EINVALID || e.Line != tc.line || e.Field != tc.field {
				t.Errorf("error %#v, want line %d field %q", e, tc.line, tc.field)
			}
			// The deal's other lines are rejected with it, at the end.
			for i, l := range tc.leftOut {
				e := errs[tc.errs+i]
				if e.Code != armstrace.EINVALID || e.Line != l || e.Field != pyID || !strings.HasPrefix(e.Message, "left out with its deal 51940, whose line ") {
					t.Errorf("left out: %#v, want line %d", e, l)
				}
			}
			// Only the good deal comes out: never a deal with part of its years.
			var ids []string
			for _, c := range ingesttest.Records[*armstrace.Claim](rows) {
				ids = append(ids, c.ID)
			}
			if !slices.Equal(ids, []string{"sipri-deal:52626"}) {
				t.Errorf("claims %v, want only sipri-deal:52626", ids)
			}
			if w := r.(interface{ Warnings() []string }).Warnings(); len(w) != 0 {
				t.Errorf("warnings %v", w)
			}
		})
	}
}

// TestPerYearBadRowLeavesItsDealOut never imports part of a deal: one bad
// row of three leaves the deal out whole, its three lines rejected (the
// bad one as read, the other two at the end), and the deals around it
// intact.
func TestPerYearBadRowLeavesItsDealOut(t *testing.T) {
	y2011 := "51940,Russia,Afghanistan,Mi-17,transport helicopter,Aircraft,2011,No,9,No,2011,No,New,7.25,7.25,65.25,No"
	y2012 := "51940,Russia,Afghanistan,Mi-17,transport helicopter,Aircraft,2011,No,12,No,2012,No,New,7.25,7.25,87,No"
	y2013 := "51940,Russia,Afghanistan,Mi-17,transport helicopter,Aircraft,2011,No,3,No,2013,No,New,7.25,7.25,21.75,No"
	other := "52627,Russia,Afghanistan,Mi-17,transport helicopter,Aircraft,2012,No,2,No,2013,No,New,7.25,7.25,14.5,No"
	file := perYearFile(t,
		y2011,       // 13
		goodPerYear, // 14
		strings.Replace(y2012, ",12,No,2012", ",twelve,No,2012", 1), // 15: bad
		other, // 16
		y2013, // 17
	)
	r, _, err := RegisterFormat.Open(strings.NewReader(file), ingesttest.Env("test.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := drain(t, r)
	var got []string
	for _, e := range errs {
		if e.Code != armstrace.EINVALID {
			t.Errorf("%v is not EINVALID", e)
		}
		got = append(got, fmt.Sprintf("%d %s", e.Line, e.Field))
	}
	if d := cmp.Diff([]string{"15 Numbers delivered", "13 " + pyID, "17 " + pyID}, got); d != "" {
		t.Fatalf("errors (-want +got):\n%s\n%v", d, errs)
	}
	if m := errs[1].Message; m != "left out with its deal 51940, whose line 15 is bad: a deal is imported with all of its delivery years or not at all (its lines: 13, 15, 17)" {
		t.Errorf("message %q", m)
	}
	var ids []string
	for _, c := range ingesttest.Records[*armstrace.Claim](rows) {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []string{"sipri-deal:52626", "sipri-deal:52627"}) {
		t.Errorf("claims %v", ids)
	}
	if n := r.(ingest.RowCounter).RowsRead(); n != 5 {
		t.Errorf("%d rows read, want 5", n)
	}
}

func TestPerYearNoDeliveries(t *testing.T) {
	// A deal ordered but not yet delivered (altered row, not SIPRI data).
	res := readString(t, RegisterFormat, perYearFile(t, "99999,Russia,India,Su-30MK,FGA aircraft,Aircraft,2021,Yes,,,,,New,50,50,,No"))
	c := res.claims()[0]
	tr := c.Attrs.Transfer
	if tr.Deliveries != nil || tr.DeliveryYears != nil || tr.NumberDelivered != nil || tr.TIVDelivered != nil || c.ValidFrom != "2021" {
		t.Errorf("undelivered deal: %+v, valid from %s", tr, c.ValidFrom)
	}
}

func TestPerYearZeroTIV(t *testing.T) {
	// SIPRI's '0' in one year (altered rows, not SIPRI data).
	res := readString(t, RegisterFormat, perYearFile(t,
		"57218,unknown supplier(s),Syria rebels*,TOW,anti-tank missile,Missiles,2014,Yes,50,Yes,2014,No,Second hand,0.01,0,0.2,No",
		"57218,unknown supplier(s),Syria rebels*,TOW,anti-tank missile,Missiles,2014,Yes,5,Yes,2015,No,Second hand,0.01,0,0,No"))
	tr := res.claims()[0].Attrs.Transfer
	want := &armstrace.Range{Low: num(0.2), Best: num(0.2), High: num(0.7), Unit: "TIV-m", Approximate: true, Qualifier: "includes years SIPRI gives as between 0 and 0.5"}
	if diff := cmp.Diff(want, tr.TIVDelivered); diff != "" {
		t.Errorf("total (-want +got):\n%s", diff)
	}
	if tr.Deliveries[1].TIVDelivered.Qualifier != "between 0 and 0.5" {
		t.Errorf("2015: %+v", tr.Deliveries[1].TIVDelivered)
	}
}

var classicID = regexp.MustCompile(`^sipri-deal:c-[0-9a-f]{16}$`)

func TestSharedClassic(t *testing.T) {
	p := ingesttest.Shared(t, sharedClassic)
	res := readPath(t, RegisterFormat, p)
	if len(res.bad) != 0 {
		t.Errorf("bad rows: %v", res.bad)
	}
	cs := res.claims()
	if len(res.rows) != 520 || len(cs) != 520 {
		t.Fatalf("%d rows, %d claims; want 520", len(res.rows), len(cs))
	}
	checkRows(t, res.rows)
	// The digest's fields make every deal's id unique…
	ids := map[string]int{}
	for i, c := range cs {
		if !classicID.MatchString(c.ID) {
			t.Errorf("id %q", c.ID)
		}
		if prev, dup := ids[c.ID]; dup {
			t.Errorf("rows %d and %d share the id %s", res.rows[prev].Line, res.rows[i].Line, c.ID)
		}
		ids[c.ID] = i
		if len(c.Attrs.Transfer.Deliveries) != 0 {
			t.Errorf("%s: classic deals have no per-year deliveries", c.ID)
		}
	}
	// … which fewer fields would not: recipient, supplier, year of order
	// and designation leave 7 pairs of deals alike in this file.
	short := map[string]bool{}
	for _, c := range cs {
		tr := c.Attrs.Transfer
		short[fmt.Sprint(c.Object, c.Subject, tr.OrderYear, tr.Designation)] = true
	}
	if len(short) != 513 {
		t.Errorf("%d deals by recipient, supplier, year and designation; the file has 513", len(short))
	}
	// … and stable: a second read gives the same ids, in the same order.
	again := readPath(t, RegisterFormat, p).claims()
	for i := range cs {
		if again[i].ID != cs[i].ID {
			t.Fatalf("row %d: id %s then %s", i, cs[i].ID, again[i].ID)
		}
	}
	if diff := cmp.Diff([]string{"Syria rebels*", "unknown supplier(s)"}, res.unresolved); diff != "" {
		t.Errorf("unresolved: %s", diff)
	}
	if len(res.warnings) != 0 {
		t.Errorf("warnings: %v", res.warnings)
	}
	t.Logf("%d deals, %d entities", len(cs), len(res.entities()))
}

func TestSharedPerYear(t *testing.T) {
	p := ingesttest.Shared(t, sharedPerYear)
	res := readPath(t, RegisterFormat, p)
	if len(res.bad) != 0 {
		t.Errorf("bad rows: %v", res.bad)
	}
	cs := res.claims()
	if len(cs) != 272 {
		t.Fatalf("%d deals, want 272", len(cs))
	}
	checkRows(t, res.rows)
	var deliveries, multi int
	var tiv, yearly float64
	for i, c := range cs {
		if i > 0 && !idLess(strings.TrimPrefix(cs[i-1].ID, "sipri-deal:"), strings.TrimPrefix(c.ID, "sipri-deal:")) {
			t.Errorf("%s after %s: not sorted by deal id", c.ID, cs[i-1].ID)
		}
		tr := c.Attrs.Transfer
		deliveries += len(tr.Deliveries)
		if len(tr.Deliveries) > 1 {
			multi++
		}
		var sum float64
		for _, d := range tr.Deliveries {
			sum += *d.TIVDelivered.Best
		}
		if math.Abs(sum-*tr.TIVDelivered.Best) > 1e-6 {
			t.Errorf("%s: deliveries add up to %v, total %v", c.ID, sum, *tr.TIVDelivered.Best)
		}
		tiv += *tr.TIVDelivered.Best
		yearly += sum
	}
	// One delivery per row: 566 rows, 272 deals, 137 of them over several
	// years; the delivered TIV over all deals is the column's sum, 30070.29,
	// not a multiple of it.
	if deliveries != 566 || multi != 137 {
		t.Errorf("%d deliveries in %d multi-year deals; want 566 in 137", deliveries, multi)
	}
	if math.Abs(tiv-30070.29) > 1e-6 {
		t.Errorf("delivered TIV over all deals %v, want 30070.29 (the sum of the TIV delivery values column)", tiv)
	}
	if diff := cmp.Diff([]string{"Syria rebels*", "unknown supplier(s)"}, res.unresolved); diff != "" {
		t.Errorf("unresolved: %s", diff)
	}
	if len(res.warnings) != 0 {
		t.Errorf("warnings: %v", res.warnings)
	}
}

func TestClassicRepeatedRow(t *testing.T) {
	// The same deal twice (an altered file, not SIPRI data): both are kept,
	// the second under a suffixed id, and the import is told.
	res := readString(t, RegisterFormat, classicFile(t, goodClassic, goodClassic))
	cs := res.claims()
	if len(cs) != 2 || cs[1].ID != cs[0].ID+"-2" {
		t.Fatalf("claims %v", cs)
	}
	if len(res.warnings) != 1 || !strings.Contains(res.warnings[0], "line 14 repeats") {
		t.Errorf("warnings %v", res.warnings)
	}
}

func TestWrongFormat(t *testing.T) {
	for _, tc := range []struct {
		f    ingest.Format
		file string
	}{
		{RegisterFormat, "tiv_imports.csv"},
		{TIVFormat, "register_classic.csv"},
		{TIVFormat, "register_per_delivery_year.csv"},
	} {
		_, _, err := tc.f.Open(strings.NewReader(testdata(t, tc.file)), ingesttest.Env(tc.file))
		if e, ok := err.(*armstrace.Error); !ok || e.Code != armstrace.EINVALID {
			t.Errorf("%s on %s: %v", tc.f.Name, tc.file, err)
		}
	}
}
