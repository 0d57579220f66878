package usaspending

import (
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

const fixture = "usaspending_contracts_mi17_fixture.csv"

func openReader(t testing.TB, in io.Reader) *reader {
	t.Helper()
	r, ds, err := Format.Open(in, ingesttest.Env("usaspending.csv"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if ds.Name == "" || ds.Publisher == "" || ds.License == "" {
		t.Errorf("dataset %+v", ds)
	}
	return r.(*reader)
}

func readString(t *testing.T, s string) (*reader, []ingest.Row, []*armstrace.Error) {
	t.Helper()
	r := openReader(t, strings.NewReader(s))
	rows, bad := ingesttest.ReadAll(t, r)
	return r, rows, bad
}

func TestMi17Fixture(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := openReader(t, f)
	rows, bad := ingesttest.ReadAll(t, r)
	if len(bad) != 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2 awards", len(rows))
	}
	mi17 := rows[0]
	if mi17.Line != 2 {
		t.Errorf("Mi-17 award at line %d, want 2", mi17.Line)
	}
	if len(mi17.Ops) != 3 || mi17.Ops[0].Mode != ingest.Merge || mi17.Ops[1].Mode != ingest.Merge || mi17.Ops[2].Mode != ingest.Put {
		t.Fatalf("ops %+v", mi17.Ops)
	}
	cite := armstrace.Citation{Source: "src:test", Locator: "award CONT_AWD_W58RGZ11C0072_9700_-NONE-_-NONE-, lines 2–6; base award and 1 modification; 1 duplicate row(s) counted once"}
	if diff := cmp.Diff(&armstrace.Entity{
		ID: "usaspending-agency:department-of-the-army", Kind: armstrace.EntityAgency, Name: "Department of the Army", Country: "US",
		Description: "U.S. federal awarding sub-agency of the Department of Defense", Citations: []armstrace.Citation{cite},
	}, mi17.Ops[0].Record); diff != "" {
		t.Errorf("agency (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&armstrace.Entity{
		ID: "usaspending-vendor:TESTUEI00001", Kind: armstrace.EntityCompany, Name: "ROSOBORONEXPORT JSC", Country: "RU",
		Identifiers: []armstrace.Identifier{{Scheme: "us-uei", Value: "TESTUEI00001"}, {Scheme: "duns", Value: "999000001"}, {Scheme: "us-cage", Value: "TEST1"}},
		Citations:   []armstrace.Citation{cite},
	}, mi17.Ops[1].Record); diff != "" {
		t.Errorf("vendor (-want +got):\n%s", diff)
	}
	cl := mi17.Ops[2].Record.(*armstrace.Claim)
	want := &armstrace.Claim{
		ID: "usaspending:cont-awd-w58rgz11c0072-9700-none-none", Kind: armstrace.ClaimContracted,
		Subject: "usaspending-agency:department-of-the-army", Object: "usaspending-vendor:TESTUEI00001", ObjectType: armstrace.ObjectEntity,
		ValidFrom: "2011-05-26", ValidTo: "2016-12-31", Status: armstrace.StatusVerified, Confidence: 0.9,
		Attrs: armstrace.ClaimAttrs{Contract: &armstrace.Contract{
			AwardID: "W58RGZ11C0072", Office: "W58RGZ ARMY CONTRACTING COMMAND REDSTONE", Signed: "2011-05-26",
			Value:       &armstrace.Range{Best: armstrace.Num(546_430_000), Unit: "USD"},
			Description: "MI-17 HELICOPTERS, SPARES AND SUPPORT (PLACEHOLDER WORDING)",
			Actions: []armstrace.ContractAction{
				{Modification: "0", Date: "2011-05-26", Obligation: 375_050_000, Description: "MI-17 HELICOPTERS, SPARES AND SUPPORT (PLACEHOLDER WORDING)"},
				{Modification: "P00004", Date: "2012-06-15", Obligation: 171_380_000, Description: "ADDITIONAL MI-17 HELICOPTERS (PLACEHOLDER WORDING)"},
			},
		}},
		Notes: "Value is the sum of federal_action_obligation over the award's transactions in this file. " +
			"1 duplicate transaction row(s) (line 6) repeated a transaction already read and were counted once.",
		Citations: []armstrace.Citation{cite},
	}
	if diff := cmp.Diff(want, cl); diff != "" {
		t.Errorf("Mi-17 claim (-want +got):\n%s", diff)
	}
	if got := *cl.Attrs.Contract.Value.Best; got != 546.43e6 {
		t.Errorf("value %v, want exactly 546.43 million (375.05 + 171.38)", got)
	}

	// The second award: the Army is not written again; its value nets a
	// deobligation; its base is listed after its modification.
	small := rows[1]
	if small.Line != 3 || len(small.Ops) != 2 || small.Ops[0].Record.RecordID() != "usaspending-vendor:TESTUEI00002" {
		t.Fatalf("second award: line %d ops %+v", small.Line, small.Ops)
	}
	v := small.Ops[0].Record.(*armstrace.Entity)
	if v.Country != "US" || v.Description != "Parent as USAspending records it: INVENTED HOLDINGS INC" {
		t.Errorf("second vendor %+v", v)
	}
	c2 := small.Ops[1].Record.(*armstrace.Claim)
	k := c2.Attrs.Contract
	if *k.Value.Best != 10_000 || len(k.Actions) != 2 || k.Actions[0].Modification != "0" || k.Actions[1].Obligation != -2500 || k.Signed != "2012-02-01" || c2.ValidTo != "2012-12-31" {
		t.Errorf("second claim %+v %+v", c2, k)
	}
	if c2.Citations[0].Locator != "award CONT_AWD_W58RGZ12P0099_9700_-NONE-_-NONE-, lines 3–5; base award and 1 modification" {
		t.Errorf("locator %q", c2.Citations[0].Locator)
	}
	if u := r.Unresolved(); len(u) != 0 {
		t.Errorf("unresolved %v", u)
	}
}

const miniHeader = "contract_transaction_unique_key,contract_award_unique_key,award_id_piid,modification_number,transaction_number,federal_action_obligation,total_dollars_obligated,action_date,period_of_performance_current_end_date,awarding_agency_name,awarding_sub_agency_name,awarding_office_name,recipient_uei,recipient_duns,recipient_name,recipient_country_code,transaction_description\n"

func TestBadRows(t *testing.T) {
	in := miniHeader +
		"T1,A1,P1,0,0,100,100,2015-01-02,,DoD,Army,Office,,,VENDOR A,USA,base\n" + // 2 good
		"T2,A1,P1,P01,0,lots,100,2015-02-02,,DoD,Army,Office,,,VENDOR A,USA,mod\n" + // 3 bad number
		"T3,A1,P1,P02,0,5,100,2015/02/02,,DoD,Army,Office,,,VENDOR A,USA,mod\n" + // 4 bad date
		"T4,,P1,P03,0,5,100,2015-02-02,,DoD,Army,Office,,,VENDOR A,USA,mod\n" + // 5 no award key
		"T5,A1,P1,P04,0,,100,2015-02-02,,DoD,Army,Office,,,VENDOR A,USA,mod\n" + // 6 no obligation
		"T6,A1,P1,P05,0,5,100,,,DoD,Army,Office,,,VENDOR A,USA,mod\n" + // 7 no date
		"T7,A1,P1,P06,0,5,100,2015-02-02,,,,Office,,,VENDOR A,USA,mod\n" + // 8 no agency
		"T8,A1,P1,P07,0,5,100,2015-02-02,,DoD,Army,Office,,,,USA,mod\n" + // 9 no vendor
		"T1,A1,P1,0,0,999,100,2015-01-02,,DoD,Army,Office,,,VENDOR A,USA,base\n" + // 10 conflicting duplicate
		"T9,A1,P1\n" + // 11 short
		"T10,A1,P1,P08,0,-40,100,2015-03-02,2014-01-01,DoD,Army,Office,,,VENDOR A,USA,mod\n" + // 12 good, but its award is left out
		"T11,A2,P2,0,0,100,100,2015-01-02,,DoD,Army,Office,,,VENDOR A,USA,base\n" + // 13 good
		"T12,A2,P2,P08,0,-40,100,2015-03-02,2014-01-01,DoD,Army,Office,,,VENDOR A,USA,mod\n" // 14 good; period ends before start
	_, rows, bad := readString(t, in)
	want := []struct {
		line  int
		field string
	}{{3, "federal_action_obligation"}, {4, "action_date"}, {5, "contract_award_unique_key"}, {6, "federal_action_obligation"},
		{7, "action_date"}, {8, "awarding_sub_agency_name"}, {9, "recipient_name"}, {10, "federal_action_obligation"}, {11, ""},
		// At the end, the good lines of A1, left out with it.
		{2, "contract_award_unique_key"}, {12, "contract_award_unique_key"}}
	if len(bad) != len(want) {
		t.Fatalf("%d bad rows, want %d: %v", len(bad), len(want), bad)
	}
	for i, w := range want {
		if bad[i].Code != armstrace.EINVALID || bad[i].Line != w.line || bad[i].Field != w.field {
			t.Errorf("bad[%d]: line %d field %q (%v), want line %d field %q", i, bad[i].Line, bad[i].Field, bad[i], w.line, w.field)
		}
	}
	if m := bad[9].Message; m != "left out with its award A1, whose lines 3, 4, 6, 7, 8, 9, 10 and 11 are bad: an award is imported with all of its transactions or not at all (its lines: 2, 3, 4, 6, 7, 8, 9, 10, 11, 12)" {
		t.Errorf("message %q", m)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	cl := ingesttest.Records[*armstrace.Claim](rows)[0]
	if cl.ID != "usaspending:a2" || *cl.Attrs.Contract.Value.Best != 60 || len(cl.Attrs.Contract.Actions) != 2 || cl.ValidTo != "" || !strings.Contains(cl.Notes, "valid_to is left open") {
		t.Errorf("claim %+v", cl)
	}
	ven := ingesttest.Records[*armstrace.Entity](rows)[1]
	if ven.ID != "usaspending-vendor:vendor-a" || ven.Country != "US" || len(ven.Identifiers) != 0 {
		t.Errorf("vendor without ids %+v", ven)
	}
}

// TestBadRowLeavesItsAwardOut never imports part of an award: one bad
// transaction of three leaves the award out whole, its three lines
// rejected (the bad one as read, the other two at the end), and the
// awards around it intact.
func TestBadRowLeavesItsAwardOut(t *testing.T) {
	in := miniHeader +
		"T1,A1,P1,0,0,100,0,2015-01-02,,DoD,Army,Office,U1,,VENDOR A,USA,a1 base\n" + // 2
		"T2,B1,P2,0,0,1000,0,2015-01-02,,DoD,Navy,Office,U2,,VENDOR B,USA,b1 base\n" + // 3
		"T3,B1,P2,P01,0,lots,0,2015-02-02,,DoD,Navy,Office,U2,,VENDOR B,USA,b1 mod 1\n" + // 4 bad
		"T4,A1,P1,P01,0,50,0,2015-02-02,,DoD,Army,Office,U1,,VENDOR A,USA,a1 mod\n" + // 5
		"T5,B1,P2,P02,0,500,0,2015-03-02,,DoD,Navy,Office,U2,,VENDOR B,USA,b1 mod 2\n" + // 6
		"T6,C1,P3,0,0,7,0,2015-01-02,,DoD,Navy,Office,U2,,VENDOR B,USA,c1 base\n" // 7
	r, rows, bad := readString(t, in)
	var got []string
	for _, e := range bad {
		if e.Code != armstrace.EINVALID {
			t.Errorf("%v is not EINVALID", e)
		}
		got = append(got, fmt.Sprintf("%d %s", e.Line, e.Field))
	}
	if d := cmp.Diff([]string{"4 federal_action_obligation", "3 contract_award_unique_key", "6 contract_award_unique_key"}, got); d != "" {
		t.Errorf("bad rows (-want +got):\n%s\n%v", d, bad)
	}
	if len(bad) == 3 && bad[1].Message != "left out with its award B1, whose line 4 is bad: an award is imported with all of its transactions or not at all (its lines: 3, 4, 6)" {
		t.Errorf("message %q", bad[1].Message)
	}
	var claims []string
	for _, c := range ingesttest.Records[*armstrace.Claim](rows) {
		claims = append(claims, fmt.Sprintf("%s %v", c.ID, *c.Attrs.Contract.Value.Best))
	}
	if d := cmp.Diff([]string{"usaspending:a1 150", "usaspending:c1 7"}, claims); d != "" {
		t.Errorf("claims (-want +got):\n%s", d)
	}
	// The Navy and vendor B, first named by the award left out, come with
	// the next award that names them.
	if ents := ingesttest.Records[*armstrace.Entity](rows); len(ents) != 4 || ents[2].ID != "usaspending-agency:navy" || ents[3].ID != "usaspending-vendor:U2" {
		t.Errorf("entities %v", ents)
	}
	if r.RowsRead() != 6 {
		t.Errorf("%d rows read, want 6", r.RowsRead())
	}
}

func TestQuirks(t *testing.T) {
	t.Run("BOM, Latin-1 name, DUNS only, ISO2 country outside the table, no base in the file", func(t *testing.T) {
		in := "\ufeff" + miniHeader +
			"T2,A9,P9,P00002,0,10.10,0,2019-05-01 00:00:00,,DoD,Navy,,,123456789,SOCI\xc9T\xc9 X,FR,second\n" +
			"T1,A9,P9,P00001,0,20.20,0,2019-04-01,,DoD,Navy,,,123456789,SOCI\xc9T\xc9 X,FR,first\n"
		r, rows, bad := readString(t, in)
		if len(bad) != 0 {
			t.Fatal(bad)
		}
		ents := ingesttest.Records[*armstrace.Entity](rows)
		ven := ents[1]
		if ven.ID != "usaspending-vendor:123456789" || ven.Name != "SOCIÉTÉ X" || ven.Country != "FR" {
			t.Errorf("vendor %+v", ven)
		}
		cl := ingesttest.Records[*armstrace.Claim](rows)[0]
		k := cl.Attrs.Contract
		if *k.Value.Best != 30.3 || k.Actions[0].Modification != "P00001" || k.Signed != "2019-04-01" || k.Description != "" ||
			!strings.Contains(cl.Notes, "base award (modification 0) is not in this file") {
			t.Errorf("claim %+v / %+v", cl, k)
		}
		if !strings.Contains(cl.Citations[0].Locator, "2 modifications (no base award in the file)") {
			t.Errorf("locator %q", cl.Citations[0].Locator)
		}
		if len(r.Unresolved()) != 0 {
			t.Errorf("unresolved %v", r.Unresolved())
		}
	})
	t.Run("unresolved ISO3 country", func(t *testing.T) {
		r, rows, _ := readString(t, miniHeader+"T1,A1,P1,0,0,1,0,2019-04-01,,DoD,Navy,,,,X LTD,ZZZ,d\n")
		if ven := ingesttest.Records[*armstrace.Entity](rows)[1]; ven.Country != "" {
			t.Errorf("%+v", ven)
		}
		if diff := cmp.Diff([]string{"ZZZ"}, r.Unresolved()); diff != "" {
			t.Error(diff)
		}
	})
	t.Run("two transactions of one modification, no transaction key column", func(t *testing.T) {
		h := strings.Replace(miniHeader, "contract_transaction_unique_key,", "", 1)
		in := h +
			"A1,P1,0,0,100,0,2019-04-01,,DoD,Navy,,,,X LTD,USA,base\n" +
			"A1,P1,P1,1,5,0,2019-05-01,,DoD,Navy,,,,X LTD,USA,t1\n" +
			"A1,P1,P1,2,7,0,2019-05-01,,DoD,Navy,,,,X LTD,USA,t2\n" +
			"A1,P1,P1,2,7,0,2019-05-01,,DoD,Navy,,,,X LTD,USA,t2 again\n"
		_, rows, bad := readString(t, in)
		if len(bad) != 0 {
			t.Fatal(bad)
		}
		k := ingesttest.Records[*armstrace.Claim](rows)[0].Attrs.Contract
		var mods []string
		for _, a := range k.Actions {
			mods = append(mods, a.Modification)
		}
		if diff := cmp.Diff([]string{"0", "P1", "P1 (transaction 2)"}, mods); diff != "" || *k.Value.Best != 112 {
			t.Errorf("mods (-want +got):\n%s value %v", diff, *k.Value.Best)
		}
	})
	t.Run("a vendor shared by two awards is written once; awards in key order", func(t *testing.T) {
		in := miniHeader +
			"T2,B2,P2,0,0,1,0,2019-04-01,,DoD,Navy,,U1,,X LTD,USA,b\n" +
			"T1,A1,P1,0,0,1,0,2019-04-01,,DoD,Air Force,,U1,,X LTD,USA,a\n"
		_, rows, _ := readString(t, in)
		if len(rows) != 2 || rows[0].Line != 3 || len(rows[0].Ops) != 3 || len(rows[1].Ops) != 2 ||
			rows[1].Ops[0].Record.RecordID() != "usaspending-agency:navy" {
			t.Errorf("%+v", rows)
		}
	})
	t.Run("headers without the needed columns", func(t *testing.T) {
		for _, h := range []string{
			"contract_award_unique_key,action_date,recipient_name,awarding_agency_name\n",
			"contract_award_unique_key,federal_action_obligation,action_date,recipient_name\n",
			"award,amount\n",
		} {
			_, _, err := Format.Open(strings.NewReader(h), ingesttest.Env("x"))
			var ae *armstrace.Error
			if !errors.As(err, &ae) || ae.Code != armstrace.EINVALID {
				t.Errorf("%q: %v", h, err)
			}
		}
	})
}

func FuzzRead(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b, false)
	f.Add([]byte(miniHeader+"T1,A1,P1,0,0,100,100,2015-01-02,2014-01-01,DoD,Army,Office,,,VENDOR A,USA,base\nT1,A1,P1,0,0,100,100,2015-01-02,,DoD,Army,Office,,,VENDOR A,USA,base\nT2,A1,P1,0,1,-5,0,2015-01-03,,,Navy,,U\x01,,!!,FR,x\n"), false)
	f.Add([]byte("T1,A1,P1,0,0,100,100,2015-01-02,2016-01-01,DoD,Army,Office,U1,D1,VENDOR A,RUS,base\nT2,A1,P1,P1,0,1.5,100,2015-01-03,,DoD,Army,Office,U2,,VENDOR B,,mod\n"), true)
	env := ingesttest.Env("fuzz.csv")
	f.Fuzz(func(t *testing.T, b []byte, withHeader bool) {
		// withHeader puts a good header first, so that the fuzzer spends
		// its time on rows rather than on headers the reader refuses.
		if withHeader {
			b = append([]byte(miniHeader), b...)
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
			if i > 2*len(b)+10 {
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
