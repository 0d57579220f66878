package vdc

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
)

const (
	totalFile  = "vdc_daily_deaths_total_2011-2016.csv"
	civFile    = "vdc_daily_deaths_civilian_noncivilian_2011-2016.csv"
	causeFile  = "vdc_deaths_by_cause_by_day_2011-2018.csv"
	provFile   = "vdc_deaths_by_province_by_day_2011-2018.csv"
	sharedDir  = "vdc_syria_casualties/"
	testSource = "src:test"
)

func openString(t testing.TB, s string) (*reader, ingest.Dataset) {
	t.Helper()
	r, ds, err := Format.Open(strings.NewReader(s), ingesttest.Env("test.csv"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return r.(*reader), ds
}

func openFile(t testing.TB, path string) (*reader, ingest.Dataset) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, ds, err := Format.Open(f, ingesttest.Env(filepath.Base(path)))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return r.(*reader), ds
}

// oneSeries reads everything and returns the one series and the bad rows.
func oneSeries(t testing.TB, r ingest.Reader) (*armstrace.Series, []*armstrace.Error, ingest.Row) {
	t.Helper()
	rows, bad := ingesttest.ReadAll(t, r)
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1 (the series at the end)", len(rows))
	}
	ss := ingesttest.Records[*armstrace.Series](rows)
	if len(ss) != 1 {
		t.Fatalf("got %d series", len(ss))
	}
	return ss[0], bad, rows[0]
}

func point(s *armstrace.Series, day, key string) (float64, bool) {
	for _, p := range s.Points {
		if string(p.Period) == day && p.Key == key {
			return p.Value, true
		}
	}
	return 0, false
}

func days(s *armstrace.Series) int {
	n := 0
	for _, p := range s.Points {
		if p.Key == "" {
			n++
		}
	}
	return n
}

func TestLayoutsFromTestdata(t *testing.T) {
	tests := []struct {
		file   string
		layout Layout
		url    string
		points int // per day
		spots  map[[2]string]float64
	}{
		{totalFile, DailyTotal, "http://www.vdc-sy.info/", 1, map[[2]string]float64{
			{"2011-03-23", ""}: 55, {"2012-04-12", ""}: 15,
		}},
		{civFile, CivilianStatus, "http://www.vdc-sy.info/", 3, map[[2]string]float64{
			{"2011-03-23", ""}: 56, {"2011-03-23", "status=Civilian"}: 55, {"2011-03-23", "status=Non-Civilian"}: 1,
			{"2011-03-18", "status=Non-Civilian"}: 0, {"2012-04-12", ""}: 15,
		}},
		{causeFile, ByCause, "https://vdc-sy.net/", 10, map[[2]string]float64{
			{"2011-01-05", "cause=Shooting"}: 1, {"2011-03-23", ""}: 44, {"2011-03-23", "cause=Shooting"}: 44,
			{"2012-04-12", "cause=Shelling"}: 2, {"2012-04-12", "cause=Shooting"}: 6, {"2012-04-12", ""}: 8,
			{"2012-04-12", "cause=Chemical Weapon"}: 0,
		}},
		{provFile, ByProvince, "https://vdc-sy.net/", 15, map[[2]string]float64{
			{"2011-03-23", "province=Daraa"}: 41, {"2011-03-23", "province=Lattakia"}: 2, {"2011-03-23", ""}: 44,
			{"2012-04-12", "province=Homs"}: 6, {"2012-04-12", "province=Idlib"}: 1, {"2012-04-12", "province=Raqqa"}: 1,
			{"2012-04-12", ""}: 8, {"2011-01-05", "province=Hama"}: 1,
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.layout), func(t *testing.T) {
			r, ds := openFile(t, filepath.Join("testdata", tc.file))
			if r.Layout() != tc.layout {
				t.Fatalf("layout %q, want %q", r.Layout(), tc.layout)
			}
			if ds.Name != "Violations Documentation Center in Syria (VDC): daily deaths" || ds.Publisher != "Violations Documentation Center in Syria" ||
				ds.License != "no stated reuse terms; internal research use, cite VDC" || ds.Version != "" || ds.URL != tc.url {
				t.Errorf("dataset %+v", ds)
			}
			s, bad, row := oneSeries(t, r)
			if len(bad) != 0 {
				t.Fatalf("bad rows: %v", bad)
			}
			if row.Line != 1 {
				t.Errorf("row line %d, want the header line 1", row.Line)
			}
			if len(row.Ops) != 2 || row.Ops[0].Mode != ingest.Merge || row.Ops[0].Record.RecordID() != "ent:syria" || row.Ops[1].Mode != ingest.Put {
				t.Errorf("ops: want Merge ent:syria then Put series, got %+v", row.Ops)
			}
			if s.ID != "vdc:"+string(tc.layout) || s.Measure != "deaths" || s.Unit != "people" || s.Frequency != "day" || s.Subject != "ent:syria" || s.Name == "" {
				t.Errorf("series head %+v", s)
			}
			if len(s.Points) != 6*tc.points {
				t.Errorf("%d points, want %d", len(s.Points), 6*tc.points)
			}
			for k, want := range tc.spots {
				got, ok := point(s, k[0], k[1])
				if !ok || got != want {
					t.Errorf("%s %q = %v (present %v), want %v", k[0], k[1], got, ok, want)
				}
			}
			if len(s.Citations) != 1 || s.Citations[0].Source != testSource || s.Citations[0].Locator != "header line 1; rows on lines 2–7 (6 days)" {
				t.Errorf("citations %+v", s.Citations)
			}
			if !strings.Contains(s.Notes, "government forces") {
				t.Errorf("notes lack the martyrs-list caveat: %s", s.Notes)
			}
			early := strings.Contains(s.Notes, "2011-01-05")
			if early != (tc.layout == ByCause || tc.layout == ByProvince) {
				t.Errorf("notes on the stray 2011-01-05 row: %v; notes %s", early, s.Notes)
			}
			if tc.layout == CivilianStatus && !strings.Contains(s.Notes, "5 empty cells read as 0") {
				t.Errorf("notes do not count the empty cells: %s", s.Notes)
			}
		})
	}
}

// sumCells adds every count cell of a file, empty cells as 0, with
// encoding/csv alone, to check the reader's totals against.
func sumCells(t *testing.T, path string) (sum float64, rows int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for _, c := range rec[1:] {
			if c == "" {
				continue
			}
			v, err := strconv.ParseFloat(c, 64)
			if err != nil {
				t.Fatal(err)
			}
			sum += v
		}
	}
	return sum, len(recs) - 1
}

func TestSharedFiles(t *testing.T) {
	tests := []struct {
		file   string
		layout Layout
		days   int
		spots  map[[2]string]float64
	}{
		{totalFile, DailyTotal, 1927, map[[2]string]float64{{"2016-07-20", ""}: 36, {"2012-04-12", ""}: 15}},
		{civFile, CivilianStatus, 1935, map[[2]string]float64{{"2016-07-18", ""}: 80, {"2016-07-18", "status=Non-Civilian"}: 28}},
		{causeFile, ByCause, 2687, map[[2]string]float64{{"2018-08-12", "cause=Explosion"}: 22, {"2018-08-12", ""}: 25}},
		{provFile, ByProvince, 2687, map[[2]string]float64{{"2018-08-12", "province=Homs"}: 19, {"2018-08-12", ""}: 25, {"2018-08-13", "province=Damascus Suburbs"}: 3}},
	}
	for _, tc := range tests {
		t.Run(string(tc.layout), func(t *testing.T) {
			path := ingesttest.Shared(t, sharedDir+tc.file)
			r, _ := openFile(t, path)
			s, bad, _ := oneSeries(t, r)
			if len(bad) != 0 {
				t.Fatalf("bad rows: %v", bad)
			}
			if got := days(s); got != tc.days {
				t.Errorf("%d days, want %d", got, tc.days)
			}
			wantSum, rows := sumCells(t, path)
			if rows != tc.days {
				t.Errorf("file has %d rows, want %d", rows, tc.days)
			}
			var total, breakdown float64
			for _, p := range s.Points {
				if p.Key == "" {
					total += p.Value
				} else {
					breakdown += p.Value
				}
			}
			if total != wantSum {
				t.Errorf("total points add up to %v, the file's cells to %v", total, wantSum)
			}
			if tc.layout != DailyTotal && breakdown != total {
				t.Errorf("breakdown points add up to %v, totals to %v", breakdown, total)
			}
			for k, want := range tc.spots {
				if got, ok := point(s, k[0], k[1]); !ok || got != want {
					t.Errorf("%s %q = %v (present %v), want %v", k[0], k[1], got, ok, want)
				}
			}
			t.Logf("%s: %d days, %d points, total %v; notes: %s", tc.file, tc.days, len(s.Points), total, s.Notes)
		})
	}
}

func TestBadRows(t *testing.T) {
	in := "day,Aleppo,Homs\n" + // 1
		"2012-04-11,1.0,2.0\n" + // 2 good
		"2012-13-01,1.0,2.0\n" + // 3 bad month
		"12/04/2012,1.0,2.0\n" + // 4 not ISO
		",1.0,2.0\n" + // 5 no date
		"2012-04-12,1.0,many\n" + // 6 non-numeric
		"2012-04-13,-1,2\n" + // 7 negative
		"2012-04-14,1.5,2\n" + // 8 fraction
		"2012-04-11,1,2\n" + // 9 repeated day
		"2012-04-15,1\n" + // 10 short row
		"2012-04-16,1e9,0\n" + // 11 implausible
		"2012-04-17,3,4\n" // 12 good
	r, _ := openString(t, in)
	s, bad, _ := oneSeries(t, r)
	want := []struct {
		line  int
		field string
	}{{3, "day"}, {4, "day"}, {5, "day"}, {6, "Homs"}, {7, "Aleppo"}, {8, "Aleppo"}, {9, "day"}, {10, ""}, {11, "Aleppo"}}
	if len(bad) != len(want) {
		t.Fatalf("%d bad rows, want %d: %v", len(bad), len(want), bad)
	}
	for i, w := range want {
		if bad[i].Code != armstrace.EINVALID || bad[i].Line != w.line || bad[i].Field != w.field {
			t.Errorf("bad[%d] = line %d field %q (%v), want line %d field %q", i, bad[i].Line, bad[i].Field, bad[i], w.line, w.field)
		}
	}
	if days(s) != 2 || len(s.Points) != 6 {
		t.Errorf("%d days, %d points; want 2 and 6: %+v", days(s), len(s.Points), s.Points)
	}
	if v, _ := point(s, "2012-04-17", ""); v != 7 {
		t.Errorf("total of 2012-04-17 = %v, want 7", v)
	}
	if _, ok := point(s, "2012-04-12", "province=Aleppo"); ok {
		t.Error("a bad row left a point behind")
	}
	if s.Citations[0].Locator != "header line 1; rows on lines 2–12 (2 days)" {
		t.Errorf("locator %q", s.Citations[0].Locator)
	}
}

func TestQuirks(t *testing.T) {
	t.Run("BOM, NA and empty cells outside the civilian file are missing", func(t *testing.T) {
		r, _ := openString(t, "\ufeffday,Shelling,Shooting\r\n2013-01-01,NA,2.0\r\n2013-01-02,,\r\n2013-01-03,1,1\r\n")
		s, bad, _ := oneSeries(t, r)
		if len(bad) != 0 {
			t.Fatal(bad)
		}
		if r.Layout() != ByCause {
			t.Fatalf("layout %s", r.Layout())
		}
		if _, ok := point(s, "2013-01-01", ""); ok {
			t.Error("a day with a missing cell has a total")
		}
		if _, ok := point(s, "2013-01-01", "cause=Shelling"); ok {
			t.Error("a missing cell became a point")
		}
		if v, ok := point(s, "2013-01-01", "cause=Shooting"); !ok || v != 2 {
			t.Errorf("Shooting on 2013-01-01 = %v %v", v, ok)
		}
		if v, _ := point(s, "2013-01-03", ""); v != 2 {
			t.Errorf("total on 2013-01-03 = %v", v)
		}
		if !strings.Contains(s.Notes, "3 empty cells are missing values") || !strings.Contains(s.Notes, "2 days") {
			t.Errorf("notes: %s", s.Notes)
		}
	})
	t.Run("empty and NA cells in the civilian file are 0", func(t *testing.T) {
		r, _ := openString(t, "Date of death,Civilian,Non-Civilian\n2012-01-01,,NA\n")
		s, _, _ := oneSeries(t, r)
		if v, ok := point(s, "2012-01-01", "status=Non-Civilian"); !ok || v != 0 {
			t.Errorf("Non-Civilian = %v %v", v, ok)
		}
		if v, ok := point(s, "2012-01-01", ""); !ok || v != 0 {
			t.Errorf("total = %v %v", v, ok)
		}
	})
	t.Run("preamble line, Latin-1 column name, unknown cause kept", func(t *testing.T) {
		r, _ := openString(t, "VDC export\nday,Shelling,Shooting,D\xe9tention\n2013-01-01,1,2,3\n")
		s, bad, row := oneSeries(t, r)
		if len(bad) != 0 {
			t.Fatal(bad)
		}
		if row.Line != 2 {
			t.Errorf("header line %d, want 2", row.Line)
		}
		if v, ok := point(s, "2013-01-01", "cause=Détention"); !ok || v != 3 {
			t.Errorf("Détention = %v %v", v, ok)
		}
		if v, _ := point(s, "2013-01-01", ""); v != 6 {
			t.Errorf("total %v", v)
		}
	})
	t.Run("blank-named column: empty cells ignored, a value there is an error", func(t *testing.T) {
		r, _ := openString(t, "day,Homs,\n2013-01-01,1,\n2013-01-02,1,5\n")
		s, bad, _ := oneSeries(t, r)
		if len(bad) != 1 || bad[0].Line != 3 || bad[0].Field != "column 3" {
			t.Fatalf("bad %v", bad)
		}
		if days(s) != 1 {
			t.Errorf("%d days", days(s))
		}
	})
	t.Run("a date with a time", func(t *testing.T) {
		r, _ := openString(t, "day,# killed\n2013-01-01 00:00:00,4\n")
		s, _, _ := oneSeries(t, r)
		if v, ok := point(s, "2013-01-01", ""); !ok || v != 4 {
			t.Errorf("%v %v", v, ok)
		}
	})
	t.Run("header only: no series", func(t *testing.T) {
		r, _ := openString(t, "day,# killed\n")
		if _, err := r.Next(); err != io.EOF {
			t.Errorf("got %v, want io.EOF", err)
		}
	})
}

func TestHeaderErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"when,# killed\n2012-01-01,1\n",
		"day,Aleppo,Shelling\n",
		"day,Homs,Homs\n",
		"day,Widgets\n",
		"day,# killed,Homs\n",
		"day,Ho\x01ms\n",
	} {
		_, _, err := Format.Open(strings.NewReader(in), ingesttest.Env("x.csv"))
		var ae *armstrace.Error
		if !errors.As(err, &ae) || ae.Code != armstrace.EINVALID {
			t.Errorf("%q: got %v, want an EINVALID error", in, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("day,Homs,\n2013-01-01,1,\n2013-01-01,1,2\n2013-01-02,x,1\n"))
	f.Add([]byte("\ufeffDate of death,Civilian,Non-Civilian\r\n2012-01-01,,NA\r\n2012-01-02,\"1\n\",2\n"))
	env := ingesttest.Env("fuzz.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
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
				return
			}
			if err != nil {
				var ae *armstrace.Error
				if !errors.As(err, &ae) {
					t.Fatalf("not an *armstrace.Error: %v", err)
				}
				if ae.Code == armstrace.EINVALID && ae.Line == 0 {
					t.Fatalf("a row error without a line: %v", err)
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
	})
}

func BenchmarkReadByProvince(b *testing.B) {
	path := ingesttest.Shared(b, sharedDir+provFile)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	env := ingesttest.Env(provFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r, _, err := Format.Open(bytes.NewReader(data), env)
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
		}
		rows += 2687
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
