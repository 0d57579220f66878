package armstrace_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
)

// wantInvalid fails unless err is an EINVALID *armstrace.Error whose Field
// is field.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want EINVALID at field %q", field)
	}
	if code := armstrace.ErrorCode(err); code != armstrace.EINVALID {
		t.Fatalf("ErrorCode = %q, want %q (err: %v)", code, armstrace.EINVALID, err)
	}
	var e *armstrace.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *armstrace.Error", err, err)
	}
	if e.Field != field {
		t.Fatalf("Field = %q, want %q (err: %v)", e.Field, field, err)
	}
	if e.Message == "" {
		t.Errorf("EINVALID error at %q has an empty message", field)
	}
}

// wantValid fails unless err is nil.
func wantValid(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
}

// check asserts a Validate result: valid when field is "-", otherwise
// invalid at field.
func check(t *testing.T, err error, field string) {
	t.Helper()
	if field == "-" {
		wantValid(t, err)
		return
	}
	wantInvalid(t, err, field)
}

const valid = "-"

// ---------------------------------------------------------------------------
// Date

func TestDateValidate(t *testing.T) {
	tests := []struct {
		date armstrace.Date
		ok   bool
	}{
		{"", true},
		{"2011", true},
		{"2011-05", true},
		{"2011-05-26", true},
		{"2012-02-29", true},
		{"2011-12-31", true},
		{"2011-13", false},
		{"2011-00", false},
		{"2011-02-30", false},
		{"2011-02-29", false},
		{"2011-04-31", false},
		{"2011-05-00", false},
		{"11-05-2011", false},
		{"2011-5", false},
		{"2011-05-6", false},
		{"201", false},
		{"20110", false},
		{"2011/05/26", false},
		{"2011-05-26T00:00:00Z", false},
		{" 2011", false},
		{"2011-05-26\n", false},
		{"٢٠١١", false}, // Arabic-Indic digits are not ISO
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.date), func(t *testing.T) {
			err := tt.date.Validate()
			if tt.ok && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if !tt.ok && err == nil {
				t.Fatalf("Validate() = nil, want an error")
			}
		})
	}
}

func TestDateFirstLastIsDay(t *testing.T) {
	tests := []struct {
		date        armstrace.Date
		first, last armstrace.Date
		isDay       bool
	}{
		{"2011", "2011-01-01", "2011-12-31", false},
		{"2012", "2012-01-01", "2012-12-31", false},
		{"2011-02", "2011-02-01", "2011-02-28", false},
		{"2012-02", "2012-02-01", "2012-02-29", false},
		{"2000-02", "2000-02-01", "2000-02-29", false},
		{"1900-02", "1900-02-01", "1900-02-28", false},
		{"2011-04", "2011-04-01", "2011-04-30", false},
		{"2011-12", "2011-12-01", "2011-12-31", false},
		{"2011-05-26", "2011-05-26", "2011-05-26", true},
		{"2012-02-29", "2012-02-29", "2012-02-29", true},
		{"", "", "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.date), func(t *testing.T) {
			if got := tt.date.First(); got != tt.first {
				t.Errorf("First() = %q, want %q", got, tt.first)
			}
			if got := tt.date.Last(); got != tt.last {
				t.Errorf("Last() = %q, want %q", got, tt.last)
			}
			if got := tt.date.IsDay(); got != tt.isDay {
				t.Errorf("IsDay() = %v, want %v", got, tt.isDay)
			}
			if tt.date != "" {
				if err := tt.date.First().Validate(); err != nil || !tt.date.First().IsDay() {
					t.Errorf("First() = %q is not a valid day: %v", tt.date.First(), err)
				}
				if err := tt.date.Last().Validate(); err != nil || !tt.date.Last().IsDay() {
					t.Errorf("Last() = %q is not a valid day: %v", tt.date.Last(), err)
				}
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Range

func TestRangeValidate(t *testing.T) {
	n := armstrace.Num
	tests := []struct {
		name    string
		r       armstrace.Range
		wantErr bool
		field   string
	}{
		{"zero", armstrace.Range{}, false, ""},
		{"best only", armstrace.Range{Best: n(5)}, false, ""},
		{"low only with qualifier", armstrace.Range{Low: n(9000), Qualifier: "over"}, false, ""},
		{"high only", armstrace.Range{High: n(10)}, false, ""},
		{"low=best=high", armstrace.Range{Low: n(5), Best: n(5), High: n(5)}, false, ""},
		{"ordered", armstrace.Range{Low: n(3), Best: n(5), High: n(8), Unit: "people"}, false, ""},
		{"low and high only", armstrace.Range{Low: n(3), High: n(8)}, false, ""},
		{"zero figures", armstrace.Range{Low: n(0), Best: n(0), High: n(0)}, false, ""},
		{"best 1e9 USD approximate", armstrace.Range{Best: n(1e9), Unit: "USD", Approximate: true}, false, ""},

		{"low above best", armstrace.Range{Low: n(6), Best: n(5)}, true, "low"},
		{"low above best with high", armstrace.Range{Low: n(6), Best: n(5), High: n(9)}, true, "low"},
		{"best above high", armstrace.Range{Best: n(10), High: n(8)}, true, "high"},
		{"best above high with low", armstrace.Range{Low: n(1), Best: n(10), High: n(8)}, true, "high"},
		{"low above high without best", armstrace.Range{Low: n(9), High: n(8)}, true, "high"},
		{"NaN low", armstrace.Range{Low: n(math.NaN())}, true, "low"},
		{"NaN best", armstrace.Range{Best: n(math.NaN())}, true, "best"},
		{"NaN high", armstrace.Range{High: n(math.NaN())}, true, "high"},
		{"+Inf best", armstrace.Range{Best: n(math.Inf(1))}, true, "best"},
		{"-Inf low", armstrace.Range{Low: n(math.Inf(-1)), Best: n(3)}, true, "low"},
		{"+Inf high", armstrace.Range{Low: n(1), High: n(math.Inf(1))}, true, "high"},
		{"unit without figures", armstrace.Range{Unit: "USD"}, true, ""},
		{"approximate without figures", armstrace.Range{Approximate: true}, true, ""},
		{"qualifier without figures", armstrace.Range{Qualifier: "about"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Validate()
			if !tt.wantErr {
				wantValid(t, err)
				return
			}
			wantInvalid(t, err, tt.field)
		})
	}
}

func TestRangeString(t *testing.T) {
	n := armstrace.Num
	tests := []struct {
		name       string
		r          armstrace.Range
		want       string // exact, when set
		contains   []string
		notContain []string
	}{
		{
			name:     "best 1e9 USD approximate",
			r:        armstrace.Range{Best: n(1e9), Unit: "USD", Approximate: true},
			want:     "1 billion USD (approximate)",
			contains: []string{"1 billion USD", "approximate"},
		},
		{
			name:       "low 9000 over",
			r:          armstrace.Range{Low: n(9000), Unit: "people", Qualifier: "over"},
			want:       "9000–? people (as the source puts it: “over”)",
			contains:   []string{"9000–?", "over"},
			notContain: []string{"approximate"},
		},
		{name: "zero", r: armstrace.Range{}, want: "unknown"},
		{name: "best only", r: armstrace.Range{Best: n(42)}, want: "42"},
		{name: "full range", r: armstrace.Range{Low: n(3), Best: n(5), High: n(8), Unit: "people"}, want: "5 (3–8) people"},
		{name: "best and low", r: armstrace.Range{Low: n(3), Best: n(5)}, want: "5 (3–?)"},
		{name: "best and high", r: armstrace.Range{Best: n(5), High: n(8)}, want: "5 (?–8)"},
		{name: "low and high", r: armstrace.Range{Low: n(3), High: n(8)}, want: "3–8"},
		{name: "high only", r: armstrace.Range{High: n(8)}, want: "?–8"},
		{name: "1.5 billion", r: armstrace.Range{Best: n(1.5e9)}, want: "1.5 billion"},
		{name: "1.25 billion", r: armstrace.Range{Best: n(1.25e9)}, want: "1.25 billion"},
		{name: "10 billion keeps its zero", r: armstrace.Range{Best: n(1e10)}, want: "10 billion"},
		{name: "20 million", r: armstrace.Range{Best: n(2e7)}, want: "20 million"},
		{name: "2.5 million", r: armstrace.Range{Best: n(2.5e6)}, want: "2.5 million"},
		{name: "unround large number", r: armstrace.Range{Best: n(1234567)}, want: "1234567"},
		{name: "fraction", r: armstrace.Range{Best: n(0.5), Unit: "%"}, want: "0.5 %"},
		{name: "negative billion", r: armstrace.Range{Best: n(-2e9)}, want: "-2 billion"},
		{
			name:       "qualifier wins over approximate",
			r:          armstrace.Range{Best: n(100), Approximate: true, Qualifier: "about"},
			contains:   []string{"100", "“about”"},
			notContain: []string{"(approximate)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.r.String()
			if tt.want != "" && got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			for _, s := range tt.contains {
				if !strings.Contains(got, s) {
					t.Errorf("String() = %q, want it to contain %q", got, s)
				}
			}
			for _, s := range tt.notContain {
				if strings.Contains(got, s) {
					t.Errorf("String() = %q, want it not to contain %q", got, s)
				}
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Fixtures: each returns a fresh valid record.

func validSource() *armstrace.Source {
	return &armstrace.Source{
		ID:          "src:sipri",
		Kind:        armstrace.SourceDataset,
		Title:       "SIPRI Arms Transfers Database: trade register",
		Publisher:   "SIPRI",
		URL:         "https://www.sipri.org/databases/armstransfers",
		Published:   "2024-10",
		Captured:    "2024-10-13T09:30:00Z",
		Version:     "Data generated: 13 Oct 2024",
		SHA256:      strings.Repeat("0123456789abcdef", 4),
		Reliability: "A",
		Access:      armstrace.AccessPublic,
	}
}

func validEntity() *armstrace.Entity {
	return &armstrace.Entity{
		ID:   "ent:rosoboronexport",
		Kind: armstrace.EntityCompany,
		Name: "Rosoboronexport",
		Aliases: []armstrace.Name{
			{Value: "Рособоронэкспорт", Script: "Cyrl", Lang: "ru"},
			{Value: "Rosoboron Export", Kind: armstrace.NameMisspelling},
		},
		Identifiers: []armstrace.Identifier{
			{Scheme: "ru-inn", Value: "7718852163"},
			{Scheme: "ru-ogrn", Value: "1077758081664"},
		},
		Country:   "RU",
		Citations: []armstrace.Citation{{Source: "src:sipri", Locator: "row 12"}},
	}
}

func validEvent() *armstrace.Event {
	return &armstrace.Event{
		ID:        "ev:homs-1",
		Title:     "Shelling of Baba Amr",
		Type:      "shelling",
		Start:     "2012-02-04",
		End:       "2012-02-04",
		Precision: armstrace.PrecisionDay,
		Place: armstrace.Place{
			Name: "Baba Amr", Country: "SY", Admin1: "Homs",
			Lat: armstrace.Num(34.72), Lon: armstrace.Num(36.69), Precision: armstrace.GeoNear,
		},
		Actors: []armstrace.EventActor{
			{Entity: "ent:syrian-army", Role: armstrace.RolePerpetrator},
			{Entity: "ent:civilians", Role: armstrace.RoleTarget},
		},
		Fatalities:  armstrace.Range{Low: armstrace.Num(20), Best: armstrace.Num(25), High: armstrace.Num(40), Unit: "people"},
		Grade:       armstrace.GradeFair,
		ExternalIDs: []string{"ucdp-ged:123456"},
		Citations:   []armstrace.Citation{{Source: "src:ucdp-ged", Locator: "id 123456"}},
	}
}

func validCeasefire() *armstrace.Ceasefire {
	return &armstrace.Ceasefire{
		ID:        "cf:annan-2012",
		Name:      "Annan plan ceasefire",
		Start:     "2012-04-12",
		StartTime: "06:00",
		Timezone:  "Asia/Damascus",
		End:       "2012-06",
		Terms:     "cessation of armed violence in all its forms",
		Covered:   []string{"ent:syrian-army", "ent:fsa"},
		Excluded:  []string{"ent:nusra"},
		Area:      "Syria",
		Country:   "SY",
		Citations: []armstrace.Citation{{Source: "src:un-s-2012-250"}},
	}
}

func validClaim() *armstrace.Claim {
	return &armstrace.Claim{
		ID:         "clm:ru-sy-1",
		Kind:       armstrace.ClaimSupplied,
		Subject:    "ent:russia",
		Object:     "ent:syria",
		ValidFrom:  "2011",
		ValidTo:    "2012-04",
		Status:     armstrace.StatusAlleged,
		Confidence: 0.6,
		Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{
			Weapon:          "ent:mig-29",
			NumberOrdered:   &armstrace.Range{Best: armstrace.Num(12)},
			NumberDelivered: &armstrace.Range{Low: armstrace.Num(0), High: armstrace.Num(12)},
			OrderYear:       2007,
			DeliveryYears:   []int{2011, 2012},
			Value:           &armstrace.Range{Best: armstrace.Num(1e9), Unit: "USD", Approximate: true},
		}},
		Citations: []armstrace.Citation{{Source: "src:hrf", Locator: "sentence 9", Quote: "…"}},
	}
}

// ---------------------------------------------------------------------------
// Validate, type by type

func TestSourceValidate(t *testing.T) {
	tests := []struct {
		name  string
		mut   func(*armstrace.Source)
		field string
	}{
		{"valid", func(*armstrace.Source) {}, valid},
		{"minimal", func(s *armstrace.Source) {
			*s = armstrace.Source{ID: "src:x", Kind: armstrace.SourceArticle, Title: "t"}
		}, valid},
		{"upper-case sha256", func(s *armstrace.Source) { s.SHA256 = strings.ToUpper(s.SHA256) }, valid},
		{"reliability F", func(s *armstrace.Source) { s.Reliability = "F" }, valid},
		{"access confidential", func(s *armstrace.Source) { s.Access = armstrace.AccessConfidential }, valid},
		{"captured in UTC with fraction", func(s *armstrace.Source) { s.Captured = "2024-10-13T09:30:00.123Z" }, valid},
		{"captured with an offset", func(s *armstrace.Source) { s.Captured = "2024-10-13T09:30:00.123+02:00" }, "captured"},

		{"missing id", func(s *armstrace.Source) { s.ID = "" }, "id"},
		{"id with a space", func(s *armstrace.Source) { s.ID = "src:sipri 2024" }, "id"},
		{"missing kind", func(s *armstrace.Source) { s.Kind = "" }, "kind"},
		{"unknown kind", func(s *armstrace.Source) { s.Kind = "book" }, "kind"},
		{"blank title", func(s *armstrace.Source) { s.Title = "  " }, "title"},
		{"published not a date", func(s *armstrace.Source) { s.Published = "Oct 2024" }, "published"},
		{"published 2011-02-30", func(s *armstrace.Source) { s.Published = "2011-02-30" }, "published"},
		{"captured not RFC 3339", func(s *armstrace.Source) { s.Captured = "2024-10-13 09:30" }, "captured"},
		{"sha256 of wrong length", func(s *armstrace.Source) { s.SHA256 = strings.Repeat("a", 63) }, "sha256"},
		{"sha256 too long", func(s *armstrace.Source) { s.SHA256 = strings.Repeat("a", 65) }, "sha256"},
		{"sha256 not hex", func(s *armstrace.Source) { s.SHA256 = strings.Repeat("g", 64) }, "sha256"},
		{"reliability G", func(s *armstrace.Source) { s.Reliability = "G" }, "reliability"},
		{"reliability lower-case", func(s *armstrace.Source) { s.Reliability = "a" }, "reliability"},
		{"access secret", func(s *armstrace.Source) { s.Access = "secret" }, "access"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSource()
			tt.mut(s)
			check(t, s.Validate(), tt.field)
		})
	}
}

func TestEntityValidate(t *testing.T) {
	tests := []struct {
		name  string
		mut   func(*armstrace.Entity)
		field string
	}{
		{"valid", func(*armstrace.Entity) {}, valid},
		{"minimal", func(e *armstrace.Entity) {
			*e = armstrace.Entity{ID: "ent:x", Kind: armstrace.EntityState, Name: "X"}
		}, valid},
		{"every kind", func(e *armstrace.Entity) { e.Kind = armstrace.EntityWeaponModel }, valid},
		{"Soviet Union", func(e *armstrace.Entity) { e.Country = "SU" }, valid},
		{"same value under two schemes", func(e *armstrace.Entity) {
			e.Identifiers = []armstrace.Identifier{{Scheme: "ru-inn", Value: "1"}, {Scheme: "ru-ogrn", Value: "1"}}
		}, valid},
		{"unicode id", func(e *armstrace.Entity) { e.ID = "ent:рособоронэкспорт" }, valid},
		{"id of 128 characters", func(e *armstrace.Entity) { e.ID = strings.Repeat("e", 128) }, valid},

		{"missing id", func(e *armstrace.Entity) { e.ID = "" }, "id"},
		{"id with a space", func(e *armstrace.Entity) { e.ID = "ent:rosoboron export" }, "id"},
		{"id starting with punctuation", func(e *armstrace.Entity) { e.ID = ":ent" }, "id"},
		{"id with a newline", func(e *armstrace.Entity) { e.ID = "ent:x\n" }, "id"},
		{"id of 129 characters", func(e *armstrace.Entity) { e.ID = strings.Repeat("e", 129) }, "id"},
		{"id with a quote", func(e *armstrace.Entity) { e.ID = `ent:"x"` }, "id"},
		{"missing kind", func(e *armstrace.Entity) { e.Kind = "" }, "kind"},
		{"unknown kind", func(e *armstrace.Entity) { e.Kind = "weapon" }, "kind"},
		{"blank name", func(e *armstrace.Entity) { e.Name = " \t" }, "name"},
		{"blank alias value", func(e *armstrace.Entity) { e.Aliases[1].Value = " " }, "aliases[1].value"},
		{"unknown alias kind", func(e *armstrace.Entity) { e.Aliases[0].Kind = "nickname" }, "aliases[0].kind"},
		{"empty scheme", func(e *armstrace.Entity) { e.Identifiers[0].Scheme = "" }, "identifiers[0].scheme"},
		{"upper-case scheme", func(e *armstrace.Entity) { e.Identifiers[0].Scheme = "RU-INN" }, "identifiers[0].scheme"},
		{"scheme with underscore", func(e *armstrace.Entity) { e.Identifiers[1].Scheme = "ru_ogrn" }, "identifiers[1].scheme"},
		{"blank identifier value", func(e *armstrace.Entity) { e.Identifiers[1].Value = " " }, "identifiers[1].value"},
		{"duplicate identifier", func(e *armstrace.Entity) { e.Identifiers[1] = e.Identifiers[0] }, "identifiers[1]"},
		{"country Russia", func(e *armstrace.Entity) { e.Country = "Russia" }, "country"},
		{"country lower-case", func(e *armstrace.Entity) { e.Country = "ru" }, "country"},
		{"country alpha-3", func(e *armstrace.Entity) { e.Country = "RUS" }, "country"},
		{"citation without source", func(e *armstrace.Entity) { e.Citations[0].Source = "" }, "citations[0].source"},
		{"second citation with bad source", func(e *armstrace.Entity) {
			e.Citations = append(e.Citations, armstrace.Citation{Source: "src: hrf"})
		}, "citations[1].source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntity()
			tt.mut(e)
			check(t, e.Validate(), tt.field)
		})
	}
}

func TestEventValidate(t *testing.T) {
	tests := []struct {
		name  string
		mut   func(*armstrace.Event)
		field string
	}{
		{"valid", func(*armstrace.Event) {}, valid},
		{"no place, actors or fatalities", func(e *armstrace.Event) {
			e.Place, e.Actors, e.Fatalities, e.Grade, e.ExternalIDs = armstrace.Place{}, nil, armstrace.Range{}, "", nil
		}, valid},
		{"day precision spanning two days, aggregate", func(e *armstrace.Event) {
			e.End, e.Aggregate = "2012-02-05", true
		}, valid},
		{"days precision spanning two days", func(e *armstrace.Event) {
			e.End, e.Precision = "2012-02-05", armstrace.PrecisionDays
		}, valid},
		{"month precision over a month", func(e *armstrace.Event) {
			e.Start, e.End, e.Precision = "2012-02-01", "2012-02-29", armstrace.PrecisionMonth
		}, valid},
		{"lat and lon at the bounds", func(e *armstrace.Event) {
			e.Place.Lat, e.Place.Lon = armstrace.Num(-90), armstrace.Num(180)
		}, valid},

		{"missing id", func(e *armstrace.Event) { e.ID = "" }, "id"},
		{"id with a space", func(e *armstrace.Event) { e.ID = "ev:homs 1" }, "id"},
		{"missing title", func(e *armstrace.Event) { e.Title = "" }, "title"},
		{"missing event_type", func(e *armstrace.Event) { e.Type = "" }, "event_type"},
		{"missing start", func(e *armstrace.Event) { e.Start = "" }, "start"},
		{"start only a month", func(e *armstrace.Event) { e.Start = "2012-02" }, "start"},
		{"start 2011-02-30", func(e *armstrace.Event) { e.Start, e.End = "2011-02-30", "2011-03-01" }, "start"},
		{"missing end", func(e *armstrace.Event) { e.End = "" }, "end"},
		{"end only a year", func(e *armstrace.Event) { e.End = "2012" }, "end"},
		{"end 2012-02-30", func(e *armstrace.Event) { e.End = "2012-02-30" }, "end"},
		{"end before start", func(e *armstrace.Event) {
			e.End, e.Precision = "2012-02-03", armstrace.PrecisionDays
		}, "end"},
		{"end before start, aggregate", func(e *armstrace.Event) {
			e.End, e.Aggregate = "2011-12-31", true
		}, "end"},
		{"missing precision", func(e *armstrace.Event) { e.Precision = "" }, "precision"},
		{"unknown precision", func(e *armstrace.Event) { e.Precision = "hour" }, "precision"},
		{"day precision spanning two days, not aggregate", func(e *armstrace.Event) {
			e.End = "2012-02-05"
		}, "precision"},
		{"place country Syria", func(e *armstrace.Event) { e.Place.Country = "Syria" }, "place.country"},
		{"lat without lon", func(e *armstrace.Event) { e.Place.Lon = nil }, "place.lat"},
		{"lon without lat", func(e *armstrace.Event) { e.Place.Lat = nil }, "place.lat"},
		{"lat above 90", func(e *armstrace.Event) { e.Place.Lat = armstrace.Num(90.5) }, "place.lat"},
		{"lat below -90", func(e *armstrace.Event) { e.Place.Lat = armstrace.Num(-91) }, "place.lat"},
		{"lat +Inf", func(e *armstrace.Event) { e.Place.Lat = armstrace.Num(math.Inf(1)) }, "place.lat"},
		{"lon above 180", func(e *armstrace.Event) { e.Place.Lon = armstrace.Num(180.01) }, "place.lon"},
		{"lon below -180", func(e *armstrace.Event) { e.Place.Lon = armstrace.Num(-200) }, "place.lon"},
		{"unknown place precision", func(e *armstrace.Event) { e.Place.Precision = "street" }, "place.precision"},
		{"actor without entity", func(e *armstrace.Event) { e.Actors[1].Entity = "" }, "actors[1].entity"},
		{"actor without role", func(e *armstrace.Event) { e.Actors[0].Role = "" }, "actors[0].role"},
		{"actor with unknown role", func(e *armstrace.Event) { e.Actors[0].Role = "victim" }, "actors[0].role"},
		{"fatalities low above best", func(e *armstrace.Event) { e.Fatalities.Low = armstrace.Num(30) }, "fatalities.low"},
		{"fatalities NaN best", func(e *armstrace.Event) { e.Fatalities.Best = armstrace.Num(math.NaN()) }, "fatalities.best"},
		{"fatalities unit only", func(e *armstrace.Event) {
			e.Fatalities = armstrace.Range{Unit: "people"}
		}, "fatalities"},
		{"unknown grade", func(e *armstrace.Event) { e.Grade = "probable" }, "grade"},
		{"bad external id", func(e *armstrace.Event) {
			e.ExternalIDs = append(e.ExternalIDs, "acled SYR4567")
		}, "external_ids[1]"},
		{"no citations", func(e *armstrace.Event) { e.Citations = nil }, "citations"},
		{"citation without source", func(e *armstrace.Event) { e.Citations[0].Source = "" }, "citations[0].source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEvent()
			tt.mut(e)
			check(t, e.Validate(), tt.field)
		})
	}
}

func TestCeasefireValidate(t *testing.T) {
	tests := []struct {
		name  string
		mut   func(*armstrace.Ceasefire)
		field string
	}{
		{"valid", func(*armstrace.Ceasefire) {}, valid},
		{"minimal", func(c *armstrace.Ceasefire) {
			*c = armstrace.Ceasefire{ID: "cf:x", Name: "x", Start: "2016", Citations: []armstrace.Citation{{Source: "src:x"}}}
		}, valid},
		{"end in the month of start", func(c *armstrace.Ceasefire) { c.End = "2012-04" }, valid},
		{"end in the year of start", func(c *armstrace.Ceasefire) { c.End = "2012" }, valid},
		{"end on the start day", func(c *armstrace.Ceasefire) { c.End = c.Start }, valid},
		{"timezone UTC", func(c *armstrace.Ceasefire) { c.Timezone = "UTC" }, valid},
		{"start time 23:59", func(c *armstrace.Ceasefire) { c.StartTime = "23:59" }, valid},

		{"missing id", func(c *armstrace.Ceasefire) { c.ID = "" }, "id"},
		{"id with a space", func(c *armstrace.Ceasefire) { c.ID = "cf:annan 2012" }, "id"},
		{"blank name", func(c *armstrace.Ceasefire) { c.Name = " " }, "name"},
		{"missing start", func(c *armstrace.Ceasefire) { c.Start = "" }, "start"},
		{"start 2012-13", func(c *armstrace.Ceasefire) { c.Start = "2012-13" }, "start"},
		{"end 2012-02-30", func(c *armstrace.Ceasefire) { c.End = "2012-02-30" }, "end"},
		{"end before start", func(c *armstrace.Ceasefire) { c.End = "2012-04-11" }, "end"},
		{"end month before start", func(c *armstrace.Ceasefire) { c.End = "2012-03" }, "end"},
		{"end year before start", func(c *armstrace.Ceasefire) { c.End = "2011" }, "end"},
		{"start time 24:00", func(c *armstrace.Ceasefire) { c.StartTime = "24:00" }, "start_time"},
		{"start time 6:00", func(c *armstrace.Ceasefire) { c.StartTime = "6:00" }, "start_time"},
		{"start time with seconds", func(c *armstrace.Ceasefire) { c.StartTime = "06:00:00" }, "start_time"},
		{"timezone Mars/Base", func(c *armstrace.Ceasefire) { c.Timezone = "Mars/Base" }, "timezone"},
		{"timezone path traversal", func(c *armstrace.Ceasefire) { c.Timezone = "../../etc/passwd" }, "timezone"},
		{"covered id with a space", func(c *armstrace.Ceasefire) { c.Covered[0] = "ent:syrian army" }, "covered[0]"},
		{"covered twice", func(c *armstrace.Ceasefire) { c.Covered[1] = c.Covered[0] }, "covered[1]"},
		{"covered and excluded", func(c *armstrace.Ceasefire) { c.Excluded[0] = c.Covered[1] }, "excluded[0]"},
		{"excluded empty id", func(c *armstrace.Ceasefire) { c.Excluded[0] = "" }, "excluded[0]"},
		{"country Syria", func(c *armstrace.Ceasefire) { c.Country = "Syria" }, "country"},
		{"no citations", func(c *armstrace.Ceasefire) { c.Citations = nil }, "citations"},
		{"citation with bad source", func(c *armstrace.Ceasefire) { c.Citations[0].Source = "src:un s" }, "citations[0].source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCeasefire()
			tt.mut(c)
			check(t, c.Validate(), tt.field)
		})
	}
}

func TestClaimValidate(t *testing.T) {
	tests := []struct {
		name  string
		mut   func(*armstrace.Claim)
		field string
	}{
		{"valid", func(*armstrace.Claim) {}, valid},
		{"no attrs", func(c *armstrace.Claim) { c.Attrs = armstrace.ClaimAttrs{} }, valid},
		{"confidence 1", func(c *armstrace.Claim) { c.Confidence = 1 }, valid},
		{"confidence tiny", func(c *armstrace.Claim) { c.Confidence = 1e-9 }, valid},
		{"object_type entity explicit", func(c *armstrace.Claim) { c.ObjectType = armstrace.ObjectEntity }, valid},
		{"observed_at an event", func(c *armstrace.Claim) {
			c.Kind, c.Subject, c.Object, c.ObjectType = armstrace.ClaimObservedAt, "ent:mig-29", "ev:homs-1", armstrace.ObjectEvent
			c.Attrs = armstrace.ClaimAttrs{Observation: &armstrace.Observation{Identification: armstrace.IdentifiedType}}
		}, valid},
		{"party_to a ceasefire", func(c *armstrace.Claim) {
			c.Kind, c.Object, c.ObjectType, c.Attrs = armstrace.ClaimPartyTo, "cf:annan-2012", armstrace.ObjectCeasefire, armstrace.ClaimAttrs{}
		}, valid},
		{"party_to an event whose id equals the subject", func(c *armstrace.Claim) {
			c.Kind, c.Object, c.ObjectType, c.Attrs = armstrace.ClaimPartyTo, c.Subject, armstrace.ObjectEvent, armstrace.ClaimAttrs{}
		}, valid},
		{"contracted with contract", func(c *armstrace.Claim) {
			c.Kind = armstrace.ClaimContracted
			c.Attrs = armstrace.ClaimAttrs{Contract: &armstrace.Contract{AwardID: "W58RGZ-11-C-0107", Signed: "2011-05-26", Value: &armstrace.Range{Best: armstrace.Num(3.7e8), Unit: "USD"}}}
		}, valid},
		{"owns with share", func(c *armstrace.Claim) {
			c.Kind = armstrace.ClaimOwns
			c.Attrs = armstrace.ClaimAttrs{Ownership: &armstrace.Ownership{Share: &armstrace.Range{Best: armstrace.Num(100), Unit: "%"}}}
		}, valid},
		{"sanctioned with sanction", func(c *armstrace.Claim) {
			c.Kind = armstrace.ClaimSanctioned
			c.Attrs = armstrace.ClaimAttrs{Sanction: &armstrace.Sanction{Programs: []string{"UKRAINE-EO13662"}, Listed: "2014-07-16"}}
		}, valid},
		{"valid_to in the year of valid_from", func(c *armstrace.Claim) { c.ValidFrom, c.ValidTo = "2011-06", "2011" }, valid},

		{"missing id", func(c *armstrace.Claim) { c.ID = "" }, "id"},
		{"id with a space", func(c *armstrace.Claim) { c.ID = "clm:ru sy" }, "id"},
		{"missing kind", func(c *armstrace.Claim) { c.Kind = "" }, "kind"},
		{"unknown kind", func(c *armstrace.Claim) { c.Kind = "sold" }, "kind"},
		{"missing subject", func(c *armstrace.Claim) { c.Subject = "" }, "subject"},
		{"bad object", func(c *armstrace.Claim) { c.Object = "ent: syria" }, "object"},
		{"unknown object_type", func(c *armstrace.Claim) { c.ObjectType = "vessel" }, "object_type"},
		{"observed_at whose object_type is entity", func(c *armstrace.Claim) {
			c.Kind, c.ObjectType, c.Attrs = armstrace.ClaimObservedAt, armstrace.ObjectEntity, armstrace.ClaimAttrs{}
		}, "object_type"},
		{"observed_at with default object_type", func(c *armstrace.Claim) {
			c.Kind, c.ObjectType, c.Attrs = armstrace.ClaimObservedAt, "", armstrace.ClaimAttrs{}
		}, "object_type"},
		{"observed_at a ceasefire", func(c *armstrace.Claim) {
			c.Kind, c.ObjectType, c.Attrs = armstrace.ClaimObservedAt, armstrace.ObjectCeasefire, armstrace.ClaimAttrs{}
		}, "object_type"},
		{"party_to an entity", func(c *armstrace.Claim) {
			c.Kind, c.Attrs = armstrace.ClaimPartyTo, armstrace.ClaimAttrs{}
		}, "object_type"},
		{"supplied to an event", func(c *armstrace.Claim) { c.ObjectType = armstrace.ObjectEvent }, "object_type"},
		{"subject equals object", func(c *armstrace.Claim) { c.Object = c.Subject }, "object"},
		{"valid_from not a date", func(c *armstrace.Claim) { c.ValidFrom = "2011-5" }, "valid_from"},
		{"valid_to 2012-02-30", func(c *armstrace.Claim) { c.ValidTo = "2012-02-30" }, "valid_to"},
		{"valid_to before valid_from", func(c *armstrace.Claim) { c.ValidFrom, c.ValidTo = "2012-05", "2012-04-30" }, "valid_to"},
		{"missing status", func(c *armstrace.Claim) { c.Status = "" }, "status"},
		{"unknown status", func(c *armstrace.Claim) { c.Status = "rumoured" }, "status"},
		{"confidence 0", func(c *armstrace.Claim) { c.Confidence = 0 }, "confidence"},
		{"confidence 1.5", func(c *armstrace.Claim) { c.Confidence = 1.5 }, "confidence"},
		{"confidence negative", func(c *armstrace.Claim) { c.Confidence = -0.5 }, "confidence"},
		{"confidence NaN", func(c *armstrace.Claim) { c.Confidence = math.NaN() }, "confidence"},
		{"supplied with attrs.contract", func(c *armstrace.Claim) {
			c.Attrs = armstrace.ClaimAttrs{Contract: &armstrace.Contract{AwardID: "x"}}
		}, "attrs.contract"},
		{"owns with attrs.sanction", func(c *armstrace.Claim) {
			c.Kind, c.Attrs = armstrace.ClaimOwns, armstrace.ClaimAttrs{Sanction: &armstrace.Sanction{}}
		}, "attrs.sanction"},
		{"manufactured with attrs.transfer", func(c *armstrace.Claim) { c.Kind = armstrace.ClaimManufactured }, "attrs.transfer"},
		{"transfer value low above best", func(c *armstrace.Claim) {
			c.Attrs.Transfer.Value = &armstrace.Range{Low: armstrace.Num(2e9), Best: armstrace.Num(1e9), Unit: "USD"}
		}, "attrs.transfer.value.low"},
		{"transfer value unit only", func(c *armstrace.Claim) {
			c.Attrs.Transfer.Value = &armstrace.Range{Unit: "USD"}
		}, "attrs.transfer.value"},
		{"transfer number_delivered NaN high", func(c *armstrace.Claim) {
			c.Attrs.Transfer.NumberDelivered = &armstrace.Range{High: armstrace.Num(math.NaN())}
		}, "attrs.transfer.number_delivered.high"},
		{"transfer weapon id with a space", func(c *armstrace.Claim) { c.Attrs.Transfer.Weapon = "MiG 29" }, "attrs.transfer.weapon"},
		{"transfer order year 1850", func(c *armstrace.Claim) { c.Attrs.Transfer.OrderYear = 1850 }, "attrs.transfer.order_year"},
		{"transfer delivery year 12", func(c *armstrace.Claim) { c.Attrs.Transfer.DeliveryYears[1] = 12 }, "attrs.transfer.delivery_years[1]"},
		{"contract signed not a date", func(c *armstrace.Claim) {
			c.Kind = armstrace.ClaimContracted
			c.Attrs = armstrace.ClaimAttrs{Contract: &armstrace.Contract{Signed: "26 May 2011"}}
		}, "attrs.contract.signed"},
		{"contract value best above high", func(c *armstrace.Claim) {
			c.Kind = armstrace.ClaimContracted
			c.Attrs = armstrace.ClaimAttrs{Contract: &armstrace.Contract{Value: &armstrace.Range{Best: armstrace.Num(2), High: armstrace.Num(1)}}}
		}, "attrs.contract.value.high"},
		{"ownership share Inf", func(c *armstrace.Claim) {
			c.Kind = armstrace.ClaimOwns
			c.Attrs = armstrace.ClaimAttrs{Ownership: &armstrace.Ownership{Share: &armstrace.Range{Best: armstrace.Num(math.Inf(1))}}}
		}, "attrs.ownership.share.best"},
		{"sanction delisted not a date", func(c *armstrace.Claim) {
			c.Kind = armstrace.ClaimSanctioned
			c.Attrs = armstrace.ClaimAttrs{Sanction: &armstrace.Sanction{Delisted: "2016-13"}}
		}, "attrs.sanction.delisted"},
		{"observation without identification", func(c *armstrace.Claim) {
			c.Kind, c.Object, c.ObjectType = armstrace.ClaimObservedAt, "ev:homs-1", armstrace.ObjectEvent
			c.Attrs = armstrace.ClaimAttrs{Observation: &armstrace.Observation{}}
		}, "attrs.observation.identification"},
		{"without citations", func(c *armstrace.Claim) { c.Citations = nil }, "citations"},
		{"with empty citations", func(c *armstrace.Claim) { c.Citations = []armstrace.Citation{} }, "citations"},
		{"citation without source", func(c *armstrace.Claim) { c.Citations[0].Source = "" }, "citations[0].source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validClaim()
			tt.mut(c)
			check(t, c.Validate(), tt.field)
		})
	}
}

// Every valid fixture stays valid through Normalize, via the Record
// interface, and Normalize is idempotent on it.
func TestRecordsNormalizeThenValidate(t *testing.T) {
	tests := []struct {
		name string
		rec  func() armstrace.Record
		typ  armstrace.RecordType
		id   string
	}{
		{"source", func() armstrace.Record { return validSource() }, armstrace.TypeSource, "src:sipri"},
		{"entity", func() armstrace.Record { return validEntity() }, armstrace.TypeEntity, "ent:rosoboronexport"},
		{"event", func() armstrace.Record { return validEvent() }, armstrace.TypeEvent, "ev:homs-1"},
		{"ceasefire", func() armstrace.Record { return validCeasefire() }, armstrace.TypeCeasefire, "cf:annan-2012"},
		{"claim", func() armstrace.Record { return validClaim() }, armstrace.TypeClaim, "clm:ru-sy-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rec()
			if got := r.RecordType(); got != tt.typ {
				t.Errorf("RecordType() = %q, want %q", got, tt.typ)
			}
			if got := r.RecordID(); got != tt.id {
				t.Errorf("RecordID() = %q, want %q", got, tt.id)
			}
			r.Normalize()
			wantValid(t, r.Validate())
			once := fmt.Sprintf("%+v", r)
			r.Normalize()
			if twice := fmt.Sprintf("%+v", r); twice != once {
				t.Errorf("Normalize is not idempotent:\n once: %s\ntwice: %s", once, twice)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Normalize

func TestEntityNormalize(t *testing.T) {
	e := &armstrace.Entity{
		ID:   "ent:rosoboronexport",
		Kind: armstrace.EntityCompany,
		Name: "  Rosoboronexport \n",
		Aliases: []armstrace.Name{
			{Value: " Рособоронэкспорт "},
			{Value: "روسوبورون إكسبورت"},
			{Value: "Rosoboronexport OAO"},
			{Value: "Rosoboron Export", Kind: armstrace.NameMisspelling},
			{Value: "Rosoboronexport", Script: "Latn", Kind: armstrace.NameTransliteration},
			{Value: "Рособоронэкспорт", Script: "Latn"}, // an explicit script is kept
			{Value: "2007"},
		},
		Identifiers: []armstrace.Identifier{{Scheme: "ru-inn", Value: " 7718852163\t"}},
	}
	e.Normalize()
	if e.Name != "Rosoboronexport" {
		t.Errorf("Name = %q, want trimmed", e.Name)
	}
	if got := e.Identifiers[0].Value; got != "7718852163" {
		t.Errorf("Identifiers[0].Value = %q, want trimmed", got)
	}
	want := []armstrace.Name{
		{Value: "Рособоронэкспорт", Script: "Cyrl", Kind: armstrace.NameAlias},
		{Value: "روسوبورون إكسبورت", Script: "Arab", Kind: armstrace.NameAlias},
		{Value: "Rosoboronexport OAO", Script: "Latn", Kind: armstrace.NameAlias},
		{Value: "Rosoboron Export", Script: "Latn", Kind: armstrace.NameMisspelling},
		{Value: "Rosoboronexport", Script: "Latn", Kind: armstrace.NameTransliteration},
		{Value: "Рособоронэкспорт", Script: "Latn", Kind: armstrace.NameAlias},
		{Value: "2007", Script: "", Kind: armstrace.NameAlias},
	}
	if len(e.Aliases) != len(want) {
		t.Fatalf("got %d aliases, want %d", len(e.Aliases), len(want))
	}
	for i := range want {
		t.Run(fmt.Sprintf("aliases[%d]", i), func(t *testing.T) {
			if e.Aliases[i] != want[i] {
				t.Errorf("got %+v, want %+v", e.Aliases[i], want[i])
			}
		})
	}
	wantValid(t, e.Validate())
	if got := e.Names(); !slices.Equal(got, []string{"Rosoboronexport", "Рособоронэкспорт", "روسوبورون إكسبورت", "Rosoboronexport OAO", "Rosoboron Export", "Rosoboronexport", "Рособоронэкспорт", "2007"}) {
		t.Errorf("Names() = %q", got)
	}
}

func TestSourceNormalize(t *testing.T) {
	tests := []struct {
		name       string
		in         armstrace.Source
		wantAccess armstrace.Access
	}{
		{"empty access becomes public", armstrace.Source{ID: "src:x", Kind: armstrace.SourceDocument, Title: " HRF "}, armstrace.AccessPublic},
		{"restricted is kept", armstrace.Source{ID: "src:x", Kind: armstrace.SourceDocument, Title: "HRF", Access: armstrace.AccessRestricted}, armstrace.AccessRestricted},
		{"confidential is kept", armstrace.Source{ID: "src:x", Kind: armstrace.SourceDocument, Title: "HRF", Access: armstrace.AccessConfidential}, armstrace.AccessConfidential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.in
			s.SHA256 = strings.Repeat("ABCDEF0123456789", 4)
			s.Normalize()
			if s.Access != tt.wantAccess {
				t.Errorf("Access = %q, want %q", s.Access, tt.wantAccess)
			}
			if s.Title != "HRF" {
				t.Errorf("Title = %q, want trimmed", s.Title)
			}
			if s.SHA256 != strings.Repeat("abcdef0123456789", 4) {
				t.Errorf("SHA256 = %q, want lower case", s.SHA256)
			}
			wantValid(t, s.Validate())
		})
	}
}

func TestClaimNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   armstrace.ObjectType
		want armstrace.ObjectType
	}{
		{"empty becomes entity", "", armstrace.ObjectEntity},
		{"event is kept", armstrace.ObjectEvent, armstrace.ObjectEvent},
		{"ceasefire is kept", armstrace.ObjectCeasefire, armstrace.ObjectCeasefire},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &armstrace.Claim{ObjectType: tt.in}
			if got := c.ObjectTypeOrDefault(); got != tt.want {
				t.Errorf("ObjectTypeOrDefault() before Normalize = %q, want %q", got, tt.want)
			}
			c.Normalize()
			if c.ObjectType != tt.want {
				t.Errorf("ObjectType = %q, want %q", c.ObjectType, tt.want)
			}
		})
	}
}

func TestEventAndCeasefireNormalizeTrim(t *testing.T) {
	ev := validEvent()
	ev.Title = "  Shelling of Baba Amr\n"
	ev.Normalize()
	if ev.Title != "Shelling of Baba Amr" {
		t.Errorf("Event.Title = %q, want trimmed", ev.Title)
	}
	cf := validCeasefire()
	cf.Name = "\tAnnan plan ceasefire "
	cf.Normalize()
	if cf.Name != "Annan plan ceasefire" {
		t.Errorf("Ceasefire.Name = %q, want trimmed", cf.Name)
	}
	// A title of only spaces is caught once normalized.
	ev.Title = "   "
	ev.Normalize()
	wantInvalid(t, ev.Validate(), "title")
}

// ---------------------------------------------------------------------------
// ScriptOf

func TestScriptOf(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Latin", "Rosoboronexport", "Latn"},
		{"Latin with diacritics", "Société Générale", "Latn"},
		{"Cyrillic", "Рособоронэкспорт", "Cyrl"},
		{"Arabic", "الجيش العربي السوري", "Arab"},
		{"Greek", "Ελληνικός Στρατός", "Grek"},
		{"Armenian", "Հայաստան", "Armn"},
		{"Georgian", "საქართველო", "Geor"},
		{"Hebrew", "ישראל", "Hebr"},
		{"Han", "中国北方工业公司", "Hani"},
		{"Hangul", "대한민국", "Hang"},
		{"Katakana", "カラシニコフ", "Kana"},
		{"Thai", "ประเทศไทย", "Thai"},
		{"digits only", "7718852163", ""},
		{"punctuation and spaces", " -–/., ", ""},
		{"empty", "", ""},
		{"Latin with digits", "MiG-29SMT", "Latn"},
		{"mixed, Latin majority", "ОАО Rosoboronexport", "Latn"},
		{"mixed, Cyrillic majority", "Рособоронэкспорт Ltd", "Cyrl"},
		{"mixed, Arabic majority", "شركة ABC", "Arab"},
		{"mixed, Han majority", "Norinco 中国北方工业公司", "Hani"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := armstrace.ScriptOf(tt.in); got != tt.want {
				t.Errorf("ScriptOf(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Errors

// invalidFromValidate returns a real EINVALID error at field "kind".
func invalidFromValidate(t *testing.T) error {
	t.Helper()
	e := validEntity()
	e.Kind = "weapon"
	err := e.Validate()
	wantInvalid(t, err, "kind")
	return err
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"plain error", errors.New("disk full"), armstrace.EINTERNAL},
		{"io.EOF", io.EOF, armstrace.EINTERNAL},
		{"Errorf not found", armstrace.Errorf(armstrace.ENOTFOUND, "entity %q not found", "ent:x"), armstrace.ENOTFOUND},
		{"wrapped conflict", fmt.Errorf("store: %w", armstrace.Errorf(armstrace.ECONFLICT, "exists")), armstrace.ECONFLICT},
		{"doubly wrapped forbidden", fmt.Errorf("a: %w", fmt.Errorf("b: %w", armstrace.Errorf(armstrace.EFORBIDDEN, "no"))), armstrace.EFORBIDDEN},
		{"Error without code", &armstrace.Error{Message: "m"}, armstrace.EINTERNAL},
		{"unauthorized", &armstrace.Error{Code: armstrace.EUNAUTHORIZED}, armstrace.EUNAUTHORIZED},
		{"from Validate", func() error { e := validEntity(); e.ID = ""; return e.Validate() }(), armstrace.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := armstrace.ErrorCode(tt.err); got != tt.want {
				t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	const secret = "password=hunter2"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"plain error", errors.New("dial tcp: " + secret), "internal error"},
		{"internal with message and cause", &armstrace.Error{Code: armstrace.EINTERNAL, Message: "query failed: " + secret, Err: errors.New(secret), Op: "store.Put"}, "internal error"},
		{"wrapped internal", fmt.Errorf("op: %w", &armstrace.Error{Code: armstrace.EINTERNAL, Err: errors.New(secret)}), "internal error"},
		{"Error without code", &armstrace.Error{Message: secret}, "internal error"},
		{"invalid with file, line and field", &armstrace.Error{Code: armstrace.EINVALID, File: "f.jsonl", Line: 3, Field: "kind", Message: "msg"}, "f.jsonl:3: field kind: msg"},
		{"invalid with file only", &armstrace.Error{Code: armstrace.EINVALID, File: "f.jsonl", Message: "msg"}, "f.jsonl: msg"},
		{"invalid with line only", &armstrace.Error{Code: armstrace.EINVALID, Line: 7, Message: "msg"}, "line 7: msg"},
		{"invalid with field only", &armstrace.Error{Code: armstrace.EINVALID, Field: "aliases[1].value", Message: "required"}, "field aliases[1].value: required"},
		{"wrapped invalid drops the wrapper and the op", fmt.Errorf("import %s: %w", secret, &armstrace.Error{Code: armstrace.EINVALID, Op: "jsonl.Read", Field: "id", Message: "required"}), "field id: required"},
		{"not found with code only", &armstrace.Error{Code: armstrace.ENOTFOUND}, "not_found"},
		{"invalid wrapping a plain cause does not leak it", &armstrace.Error{Code: armstrace.EINVALID, Field: "x", Err: errors.New(secret)}, "field x: internal error"},
		{"conflict wrapping another user error", &armstrace.Error{Code: armstrace.ECONFLICT, Err: armstrace.Errorf(armstrace.ECONFLICT, "id taken")}, "id taken"},
		{"message keeps its text, cause is hidden", &armstrace.Error{Code: armstrace.ECONFLICT, Message: "id taken", Err: errors.New(secret)}, "id taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := armstrace.ErrorMessage(tt.err)
			if got != tt.want {
				t.Errorf("ErrorMessage() = %q, want %q", got, tt.want)
			}
			if strings.Contains(got, secret) {
				t.Errorf("ErrorMessage() = %q leaks %q", got, secret)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	cause := errors.New("connection reset")
	tests := []struct {
		name string
		err  *armstrace.Error
		want string
	}{
		{"op, field and message", &armstrace.Error{Op: "store.CreateEntity", Code: armstrace.EINVALID, Field: "id", Message: "required"}, "store.CreateEntity: field id: required"},
		{"message and cause", &armstrace.Error{Code: armstrace.EINTERNAL, Message: "query", Err: cause}, "query: connection reset"},
		{"cause only", &armstrace.Error{Code: armstrace.EINTERNAL, File: "a.jsonl", Line: 2, Err: cause}, "a.jsonl:2: connection reset"},
		{"code only", &armstrace.Error{Code: armstrace.ENOTFOUND}, "not_found"},
		{"Errorf", armstrace.Errorf(armstrace.ECONFLICT, "%s exists", "ent:x"), "ent:x exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAtLine(t *testing.T) {
	t.Run("nil stays nil", func(t *testing.T) {
		if err := armstrace.AtLine("f.jsonl", 3, nil); err != nil {
			t.Fatalf("AtLine(nil) = %v, want nil", err)
		}
	})

	t.Run("invalid keeps code and field, adds file and line", func(t *testing.T) {
		orig := invalidFromValidate(t)
		err := armstrace.AtLine("f.jsonl", 3, orig)
		wantInvalid(t, err, "kind")
		var e *armstrace.Error
		errors.As(err, &e)
		if e.File != "f.jsonl" || e.Line != 3 {
			t.Errorf("File, Line = %q, %d; want f.jsonl, 3", e.File, e.Line)
		}
		if msg := armstrace.ErrorMessage(err); !strings.HasPrefix(msg, "f.jsonl:3: field kind: ") {
			t.Errorf("ErrorMessage() = %q, want prefix %q", msg, "f.jsonl:3: field kind: ")
		}
		// The original error is not modified.
		var o *armstrace.Error
		errors.As(orig, &o)
		if o.File != "" || o.Line != 0 {
			t.Errorf("AtLine modified its argument: File=%q Line=%d", o.File, o.Line)
		}
	})

	t.Run("wrapped invalid is unwrapped and placed", func(t *testing.T) {
		err := armstrace.AtLine("g.jsonl", 12, fmt.Errorf("decode: %w", invalidFromValidate(t)))
		wantInvalid(t, err, "kind")
		if msg := armstrace.ErrorMessage(err); !strings.HasPrefix(msg, "g.jsonl:12: field kind: ") {
			t.Errorf("ErrorMessage() = %q", msg)
		}
	})

	t.Run("not found keeps its code", func(t *testing.T) {
		err := armstrace.AtLine("f.jsonl", 5, armstrace.Errorf(armstrace.ENOTFOUND, "source %q not found", "src:x"))
		if code := armstrace.ErrorCode(err); code != armstrace.ENOTFOUND {
			t.Errorf("ErrorCode = %q, want %q", code, armstrace.ENOTFOUND)
		}
		if msg := armstrace.ErrorMessage(err); msg != `f.jsonl:5: source "src:x" not found` {
			t.Errorf("ErrorMessage() = %q", msg)
		}
	})

	t.Run("invalid without message takes its cause's user message", func(t *testing.T) {
		inner := armstrace.Errorf(armstrace.EINVALID, "bad json")
		err := armstrace.AtLine("f.jsonl", 2, &armstrace.Error{Code: armstrace.EINVALID, Err: inner})
		if msg := armstrace.ErrorMessage(err); msg != "f.jsonl:2: bad json" {
			t.Errorf("ErrorMessage() = %q", msg)
		}
		if !errors.Is(err, inner) {
			t.Errorf("errors.Is(err, inner) = false after AtLine")
		}
	})

	t.Run("plain error becomes internal", func(t *testing.T) {
		plain := errors.New("disk on fire")
		err := armstrace.AtLine("f.jsonl", 9, plain)
		if code := armstrace.ErrorCode(err); code != armstrace.EINTERNAL {
			t.Errorf("ErrorCode = %q, want %q", code, armstrace.EINTERNAL)
		}
		var e *armstrace.Error
		if !errors.As(err, &e) {
			t.Fatalf("AtLine returned %T, want *armstrace.Error", err)
		}
		if e.File != "f.jsonl" || e.Line != 9 {
			t.Errorf("File, Line = %q, %d", e.File, e.Line)
		}
		if !errors.Is(err, plain) {
			t.Errorf("errors.Is(err, plain) = false")
		}
		if msg := armstrace.ErrorMessage(err); msg != "internal error" {
			t.Errorf("ErrorMessage() = %q, want %q", msg, "internal error")
		}
	})

	t.Run("internal stays internal and keeps its cause", func(t *testing.T) {
		cause := errors.New("secret cause")
		err := armstrace.AtLine("f.jsonl", 1, &armstrace.Error{Code: armstrace.EINTERNAL, Err: cause})
		if code := armstrace.ErrorCode(err); code != armstrace.EINTERNAL {
			t.Errorf("ErrorCode = %q", code)
		}
		if !errors.Is(err, cause) {
			t.Errorf("errors.Is(err, cause) = false")
		}
		if msg := armstrace.ErrorMessage(err); msg != "internal error" {
			t.Errorf("ErrorMessage() = %q", msg)
		}
	})
}

func TestErrorUnwrap(t *testing.T) {
	inner := &armstrace.Error{Code: armstrace.EINTERNAL, Op: "db.Exec", Err: io.ErrUnexpectedEOF}
	wrapped := fmt.Errorf("store.CreateEntity: %w", inner)

	tests := []struct {
		name string
		ok   bool
	}{
		{"Is reaches the cause", errors.Is(wrapped, io.ErrUnexpectedEOF)},
		{"Is does not match another sentinel", !errors.Is(wrapped, io.EOF)},
		{"Unwrap returns the cause", inner.Unwrap() == io.ErrUnexpectedEOF},
		{"Unwrap of nil cause is nil", (&armstrace.Error{Code: armstrace.EINVALID}).Unwrap() == nil},
		{"As finds the *Error", func() bool {
			var e *armstrace.Error
			return errors.As(wrapped, &e) && e == inner
		}()},
		{"Is through a prefixed Validate error", func() bool {
			c := validClaim()
			c.Citations[0].Source = ""
			var e *armstrace.Error
			return errors.As(c.Validate(), &e) && e.Field == "citations[0].source" && e.Code == armstrace.EINVALID
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Fail()
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Audit

func makeChain(t *testing.T, n int) []armstrace.AuditEntry {
	t.Helper()
	var out []armstrace.AuditEntry
	prev := ""
	for i := 1; i <= n; i++ {
		change := fmt.Sprintf(`{"id":"ent:%d","kind":"company","name":"Company %d"}`, i, i)
		e := armstrace.AuditEntry{
			Seq:        int64(i),
			Time:       fmt.Sprintf("2024-01-01T00:00:%02d.000000000Z", i),
			Actor:      "cli:alice",
			Action:     armstrace.ActionCreate,
			ObjectType: string(armstrace.TypeEntity),
			ObjectID:   fmt.Sprintf("ent:%d", i),
			Change:     change,
			Digest:     armstrace.Digest(change),
			PrevHash:   prev,
		}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestDigest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			if got := armstrace.Digest(tt.in); got != tt.want {
				t.Errorf("Digest(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestComputeHashCoversEveryField(t *testing.T) {
	base := makeChain(t, 1)[0]
	h := base.ComputeHash()
	if len(h) != 64 {
		t.Fatalf("hash %q is not 64 hex digits", h)
	}
	tests := []struct {
		name string
		mut  func(*armstrace.AuditEntry)
	}{
		{"seq", func(e *armstrace.AuditEntry) { e.Seq++ }},
		{"time", func(e *armstrace.AuditEntry) { e.Time = "2024-01-01T00:00:00Z" }},
		{"actor", func(e *armstrace.AuditEntry) { e.Actor = "cli:mallory" }},
		{"action", func(e *armstrace.AuditEntry) { e.Action = armstrace.ActionDelete }},
		{"object_type", func(e *armstrace.AuditEntry) { e.ObjectType = "claim" }},
		{"object_id", func(e *armstrace.AuditEntry) { e.ObjectID = "ent:2" }},
		{"digest", func(e *armstrace.AuditEntry) { e.Digest = armstrace.Digest("x") }},
		{"prev_hash", func(e *armstrace.AuditEntry) { e.PrevHash = strings.Repeat("0", 64) }},
		{"field boundary shift", func(e *armstrace.AuditEntry) { e.Actor, e.Action = "cli:alicecreate", "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.mut(&e)
			if e.ComputeHash() == h {
				t.Errorf("changing %s does not change the hash", tt.name)
			}
		})
	}
	t.Run("deterministic, and Hash itself is not covered", func(t *testing.T) {
		e := base
		e.Hash = "anything"
		if e.ComputeHash() != h {
			t.Errorf("ComputeHash depends on Hash or is not deterministic")
		}
	})
}

func TestVerifyChain(t *testing.T) {
	chain := makeChain(t, 3)
	for i, e := range chain {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has Seq %d", i, e.Seq)
		}
		if i > 0 && e.PrevHash != chain[i-1].Hash {
			t.Fatalf("entry %d is not linked to entry %d", i+1, i)
		}
	}
	if b := armstrace.VerifyChain(chain, 0, ""); b != nil {
		t.Fatalf("VerifyChain(intact) = %+v, want nil", b)
	}

	t.Run("resume from a head", func(t *testing.T) {
		if b := armstrace.VerifyChain(chain[1:], 1, chain[0].Hash); b != nil {
			t.Errorf("VerifyChain(chain[1:], 1, head) = %+v, want nil", b)
		}
	})
	t.Run("empty", func(t *testing.T) {
		if b := armstrace.VerifyChain(nil, 5, "x"); b != nil {
			t.Errorf("VerifyChain(nil) = %+v, want nil", b)
		}
	})

	tests := []struct {
		name    string
		mut     func([]armstrace.AuditEntry) []armstrace.AuditEntry
		seq     int64
		keyword string
	}{
		{"altered change", func(es []armstrace.AuditEntry) []armstrace.AuditEntry {
			es[1].Change = `{"id":"ent:2","kind":"company","name":"Someone else"}`
			return es
		}, 2, "digest"},
		{"altered actor", func(es []armstrace.AuditEntry) []armstrace.AuditEntry {
			es[1].Actor = "cli:mallory"
			return es
		}, 2, "hash does not match"},
		{"altered prev_hash", func(es []armstrace.AuditEntry) []armstrace.AuditEntry {
			es[2].PrevHash = strings.Repeat("0", 64)
			return es
		}, 3, "prev_hash"},
		{"dropped middle entry", func(es []armstrace.AuditEntry) []armstrace.AuditEntry {
			return append(es[:1:1], es[2])
		}, 3, "missing"},
	}
	reasons := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := tt.mut(slices.Clone(chain))
			b := armstrace.VerifyChain(es, 0, "")
			if b == nil {
				t.Fatalf("VerifyChain = nil, want a break at seq %d", tt.seq)
			}
			if b.Seq != tt.seq {
				t.Errorf("break at seq %d, want %d (reason %q)", b.Seq, tt.seq, b.Reason)
			}
			if !strings.Contains(b.Reason, tt.keyword) {
				t.Errorf("reason %q does not mention %q", b.Reason, tt.keyword)
			}
			if other, dup := reasons[b.Reason]; dup {
				t.Errorf("reason %q is the same as for %q", b.Reason, other)
			}
			reasons[b.Reason] = tt.name
		})
	}

	more := []struct {
		name string
		mut  func([]armstrace.AuditEntry) []armstrace.AuditEntry
		seq  int64
	}{
		{"altered actor with the hash recomputed breaks the next link", func(es []armstrace.AuditEntry) []armstrace.AuditEntry {
			es[1].Actor = "cli:mallory"
			es[1].Hash = es[1].ComputeHash()
			return es
		}, 3},
		{"altered change with digest and hash recomputed breaks the next link", func(es []armstrace.AuditEntry) []armstrace.AuditEntry {
			es[1].Change = "{}"
			es[1].Digest = armstrace.Digest(es[1].Change)
			es[1].Hash = es[1].ComputeHash()
			return es
		}, 3},
		{"swapped entries", func(es []armstrace.AuditEntry) []armstrace.AuditEntry {
			es[1], es[2] = es[2], es[1]
			return es
		}, 3},
		{"dropped first entry", func(es []armstrace.AuditEntry) []armstrace.AuditEntry { return es[1:] }, 2},
		{"wrong head hash", nil, 1},
	}
	for _, tt := range more {
		t.Run(tt.name, func(t *testing.T) {
			es := slices.Clone(chain)
			prevHash := ""
			if tt.mut != nil {
				es = tt.mut(es)
			} else {
				prevHash = strings.Repeat("f", 64)
			}
			b := armstrace.VerifyChain(es, 0, prevHash)
			if b == nil {
				t.Fatalf("VerifyChain = nil, want a break at seq %d", tt.seq)
			}
			if b.Seq != tt.seq {
				t.Errorf("break at seq %d, want %d (reason %q)", b.Seq, tt.seq, b.Reason)
			}
		})
	}

	// The mutations above worked on copies.
	if b := armstrace.VerifyChain(chain, 0, ""); b != nil {
		t.Errorf("original chain no longer verifies: %+v", b)
	}
}

func TestAuditReportOK(t *testing.T) {
	if !(&armstrace.AuditReport{}).OK() {
		t.Error("report without break is not OK")
	}
	if (&armstrace.AuditReport{Break: &armstrace.AuditBreak{Seq: 1}}).OK() {
		t.Error("report with a break is OK")
	}
}

// ---------------------------------------------------------------------------
// Records and import stats

func TestImportStats(t *testing.T) {
	s := armstrace.NewImportStats()
	if c, u, n := s.Total(); c != 0 || u != 0 || n != 0 {
		t.Fatalf("new stats Total() = %d, %d, %d", c, u, n)
	}
	adds := []struct {
		t armstrace.RecordType
		r armstrace.PutResult
	}{
		{armstrace.TypeEntity, armstrace.PutCreated},
		{armstrace.TypeEntity, armstrace.PutCreated},
		{armstrace.TypeClaim, armstrace.PutCreated},
		{armstrace.TypeSource, armstrace.PutUpdated},
		{armstrace.TypeEntity, armstrace.PutUnchanged},
		{armstrace.TypeEvent, armstrace.PutUnchanged},
		{armstrace.TypeEvent, armstrace.PutUnchanged},
		{armstrace.TypeEvent, "ignored"},
	}
	for _, a := range adds {
		s.Add(a.t, a.r)
	}
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"created entity", s.Created[armstrace.TypeEntity], 2},
		{"created claim", s.Created[armstrace.TypeClaim], 1},
		{"created source", s.Created[armstrace.TypeSource], 0},
		{"updated source", s.Updated[armstrace.TypeSource], 1},
		{"unchanged entity", s.Unchanged[armstrace.TypeEntity], 1},
		{"unchanged event", s.Unchanged[armstrace.TypeEvent], 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
	c, u, n := s.Total()
	if c != 3 || u != 1 || n != 3 {
		t.Errorf("Total() = %d, %d, %d; want 3, 1, 3", c, u, n)
	}
}

func TestNewRecord(t *testing.T) {
	tests := []struct {
		typ      armstrace.RecordType
		wantType string
	}{
		{armstrace.TypeSource, "*armstrace.Source"},
		{armstrace.TypeEntity, "*armstrace.Entity"},
		{armstrace.TypeEvent, "*armstrace.Event"},
		{armstrace.TypeCeasefire, "*armstrace.Ceasefire"},
		{armstrace.TypeClaim, "*armstrace.Claim"},
		{"weapon", ""},
		{"", ""},
		{"Entity", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.typ), func(t *testing.T) {
			r := armstrace.NewRecord(tt.typ)
			if tt.wantType == "" {
				if r != nil {
					t.Fatalf("NewRecord(%q) = %T, want nil", tt.typ, r)
				}
				return
			}
			if r == nil {
				t.Fatalf("NewRecord(%q) = nil", tt.typ)
			}
			if got := fmt.Sprintf("%T", r); got != tt.wantType {
				t.Errorf("NewRecord(%q) is %s, want %s", tt.typ, got, tt.wantType)
			}
			if r.RecordType() != tt.typ {
				t.Errorf("RecordType() = %q, want %q", r.RecordType(), tt.typ)
			}
			if r.RecordID() != "" {
				t.Errorf("RecordID() of an empty record = %q", r.RecordID())
			}
			// An empty record is not valid: it has no id.
			wantInvalid(t, r.Validate(), "id")
		})
	}
	t.Run("RecordTypes in dependency order", func(t *testing.T) {
		want := []armstrace.RecordType{armstrace.TypeSource, armstrace.TypeEntity, armstrace.TypeEvent, armstrace.TypeCeasefire, armstrace.TypeClaim, armstrace.TypeSeries}
		if !slices.Equal(armstrace.RecordTypes, want) {
			t.Errorf("RecordTypes = %q, want %q", armstrace.RecordTypes, want)
		}
		for _, typ := range armstrace.RecordTypes {
			if armstrace.NewRecord(typ) == nil {
				t.Errorf("NewRecord(%q) = nil", typ)
			}
		}
	})
}

// ---------------------------------------------------------------------------
// Context actor

type otherKey struct{}

func TestActor(t *testing.T) {
	bg := context.Background()
	tests := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"background", bg, "system"},
		{"set", armstrace.WithActor(bg, "cli:alice"), "cli:alice"},
		{"empty falls back", armstrace.WithActor(bg, ""), "system"},
		{"inner wins", armstrace.WithActor(armstrace.WithActor(bg, "cli:alice"), "import:ucdp-ged"), "import:ucdp-ged"},
		{"survives other values", context.WithValue(armstrace.WithActor(bg, "user:7"), otherKey{}, "x"), "user:7"},
		{"a string under another key is not an actor", context.WithValue(bg, otherKey{}, "cli:mallory"), "system"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := armstrace.ActorFrom(tt.ctx); got != tt.want {
				t.Errorf("ActorFrom() = %q, want %q", got, tt.want)
			}
		})
	}
}

// Regressions: NaN coordinates, the "Local" zone, and attribute checks
// that once reported a different field on each call.
func TestValidationRegressions(t *testing.T) {
	t.Run("event place.lat NaN", func(t *testing.T) {
		e := validEvent()
		e.Place.Lat = armstrace.Num(math.NaN())
		wantInvalid(t, e.Validate(), "place.lat")
	})
	t.Run("event place.lon NaN", func(t *testing.T) {
		e := validEvent()
		e.Place.Lon = armstrace.Num(math.NaN())
		wantInvalid(t, e.Validate(), "place.lon")
	})
	t.Run("ceasefire timezone Local", func(t *testing.T) {
		// time.LoadLocation("Local") returns the server's zone: not an IANA name.
		c := validCeasefire()
		c.Timezone = "Local"
		wantInvalid(t, c.Validate(), "timezone")
	})
	t.Run("claim attrs: first field at fault is deterministic", func(t *testing.T) {
		cases := []struct {
			name string
			mut  func(*armstrace.Claim)
		}{
			{"two wrong blocks", func(c *armstrace.Claim) {
				c.Kind = armstrace.ClaimManufactured
				c.Attrs.Contract = &armstrace.Contract{}
			}},
			{"two bad ranges", func(c *armstrace.Claim) {
				c.Attrs.Transfer.NumberOrdered = &armstrace.Range{Unit: "units"}
				c.Attrs.Transfer.Value = &armstrace.Range{Unit: "USD"}
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				seen := map[string]bool{}
				for range 100 {
					c := validClaim()
					tc.mut(c)
					var e *armstrace.Error
					if !errors.As(c.Validate(), &e) {
						t.Fatal("no *armstrace.Error")
					}
					seen[e.Field] = true
				}
				if len(seen) != 1 {
					t.Errorf("the same input gives different fields at fault across calls: %v", slices.Sorted(maps.Keys(seen)))
				}
			})
		}
	})
}

func TestMoreRegressions(t *testing.T) {
	t.Run("negative fatalities", func(t *testing.T) {
		e := validEvent()
		e.Fatalities = armstrace.Range{Best: armstrace.Num(-3)}
		wantInvalid(t, e.Validate(), "fatalities.best")
	})
	t.Run("numbers never print in exponent form", func(t *testing.T) {
		for _, tc := range []struct {
			v    float64
			want string
		}{{999999999.5, "999999999.5"}, {1.005e9, "1.005 billion"}, {375.05e6, "375.05 million"}, {152.25, "152.25"}} {
			if got := (armstrace.Range{Best: armstrace.Num(tc.v)}).String(); got != tc.want {
				t.Errorf("%v: %q, want %q", tc.v, got, tc.want)
			}
		}
	})
	t.Run("hiragana is Hira", func(t *testing.T) {
		if got := armstrace.ScriptOf("ひらがな"); got != "Hira" {
			t.Errorf("ScriptOf(hiragana) = %q", got)
		}
	})
	t.Run("audit fields cannot be shifted across the separator", func(t *testing.T) {
		a := armstrace.AuditEntry{Seq: 1, Actor: "a\x1fb", Action: "c"}
		b := armstrace.AuditEntry{Seq: 1, Actor: "a", Action: "b\x1fc"}
		if a.ComputeHash() == b.ComputeHash() {
			t.Error("two different entries hash alike")
		}
	})
}

func TestTextIsChecked(t *testing.T) {
	e := validEvent()
	e.Actors[0].Entity = "ent:x"
	e.Citations[0].Quote = "a\x00b"
	wantInvalid(t, e.Validate(), "citations[0].quote")
	s := validSource()
	s.Title = "bad \xff byte"
	wantInvalid(t, s.Validate(), "title")
	c := validClaim()
	c.Notes = "line one\nline two\ttabbed"
	if err := c.Validate(); err != nil {
		t.Fatalf("tabs and line breaks are text: %v", err)
	}
	ev := validEvent()
	ev.ExternalIDs = []string{"ucdp-ged:1", "ucdp-ged:1"}
	wantInvalid(t, ev.Validate(), "external_ids[1]")
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]armstrace.EntityKind{
		"person": armstrace.EntityPerson, "Person": armstrace.EntityPerson, "Company": armstrace.EntityCompany,
		"Organization": armstrace.EntityCompany, "PublicBody": armstrace.EntityAgency, "armed force": armstrace.EntityArmedForce,
		"weapon-model": armstrace.EntityWeaponModel, "": "", "LegalEntity": "",
	} {
		if got, err := armstrace.ParseKind(in); err != nil || got != want {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	if _, err := armstrace.ParseKind("boat"); armstrace.ErrorCode(err) != armstrace.EINVALID || !strings.Contains(armstrace.ErrorMessage(err), "boat") {
		t.Errorf("boat: %v", err)
	}
}

// TestProtectedPlace checks what a reader below confidential sees of a
// protected place: the point rounded to 0.1°, the precision no finer than
// the district, the name of its district; and that an unprotected place,
// or a reader who may see confidential sources, sees it as recorded.
func TestProtectedPlace(t *testing.T) {
	e := &armstrace.Event{ID: "evt:x", Place: armstrace.Place{Name: "Al-Amal shelter", Admin3: "Bab Amr", Admin2: "Homs district", Admin1: "Homs",
		Country: "SY", Lat: armstrace.Num(34.7213), Lon: armstrace.Num(36.6862), Precision: armstrace.GeoExact, Protected: true}}
	public := []armstrace.Access{armstrace.AccessPublic}
	got := e.ShownTo(public).Place
	if *got.Lat != 34.7 || *got.Lon != 36.7 || got.Precision != armstrace.GeoAdmin2 || got.Name != "Homs district" || got.Admin3 != "" {
		t.Errorf("blurred: %+v (%v, %v)", got, *got.Lat, *got.Lon)
	}
	if e.Place.Name != "Al-Amal shelter" || *e.Place.Lat != 34.7213 {
		t.Error("blurring changed the event itself")
	}
	if e.ShownTo([]armstrace.Access{armstrace.AccessPublic, armstrace.AccessRestricted, armstrace.AccessConfidential}) != e || e.ShownTo(nil) != e {
		t.Error("a reader of confidential sources sees a changed event")
	}
	e.Place.Protected = false
	if e.ShownTo(public) != e {
		t.Error("an unprotected place was blurred")
	}
	province := armstrace.Place{Name: "Homs", Admin1: "Homs", Precision: armstrace.GeoAdmin1, Protected: true}
	if b := province.Blurred(); b.Precision != armstrace.GeoAdmin1 || b.Name != "Homs" {
		t.Errorf("a province is already coarse: %+v", b)
	}
}
