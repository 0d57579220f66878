package armstrace

import (
	"context"
	"fmt"
	"strings"
)

// Series is a count or volume over time from one dataset: deaths per day
// (VDC), TIV of arms imports per year (SIPRI). Points carry a period and a
// key: "" for the total, "cause=Shelling" or "province=Homs" for a
// breakdown, so that a breakdown is never added into the total twice.
type Series struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Measure     string        `json:"measure"`               // what is counted: "deaths", "arms imports", "arms exports"
	Unit        string        `json:"unit"`                  // "people", "TIV-m"
	Frequency   string        `json:"frequency"`             // "day" or "year"
	Subject     string        `json:"subject,omitempty"`     // entity the series is about, such as a state
	Counterpart string        `json:"counterpart,omitempty"` // the other party of a pair series
	Notes       string        `json:"notes,omitempty"`
	Points      []SeriesPoint `json:"points"`
	Citations   []Citation    `json:"citations"`
}

// SeriesPoint is one value of a series.
type SeriesPoint struct {
	Period Date    `json:"period"` // YYYY-MM-DD for a daily series, YYYY for a yearly one
	Key    string  `json:"key,omitempty"`
	Value  float64 `json:"value"`
}

func (s *Series) RecordType() RecordType { return TypeSeries }
func (s *Series) RecordID() string       { return s.ID }

// Normalize trims the name.
func (s *Series) Normalize() { s.Name = strings.TrimSpace(s.Name) }

// Validate returns an EINVALID error naming the first field at fault.
func (s *Series) Validate() error {
	if err := validateText(s); err != nil {
		return err
	}
	if err := validateID("id", s.ID); err != nil {
		return err
	}
	if s.Name == "" {
		return invalid("name", "required")
	}
	if s.Measure == "" {
		return invalid("measure", "required")
	}
	if err := oneOf("frequency", s.Frequency, "day", "year"); err != nil {
		return err
	}
	for _, ref := range []struct{ name, id string }{{"subject", s.Subject}, {"counterpart", s.Counterpart}} {
		if ref.id != "" {
			if err := validateID(ref.name, ref.id); err != nil {
				return err
			}
		}
	}
	seen := make(map[string]bool, len(s.Points))
	for i, p := range s.Points {
		f := fmt.Sprintf("points[%d]", i)
		if err := p.Period.Validate(); err != nil || p.Period == "" {
			return invalid(f+".period", "%q is not a date", p.Period)
		}
		if (s.Frequency == "day") != p.Period.IsDay() || (s.Frequency == "year" && len(p.Period) != 4) {
			return invalid(f+".period", "%q does not fit a %s series", p.Period, s.Frequency)
		}
		k := string(p.Period) + "\x00" + p.Key
		if seen[k] {
			return invalid(f, "period %s key %q appears twice", p.Period, p.Key)
		}
		seen[k] = true
	}
	return validateCitations(s.Citations, true)
}

// SeriesService reads series.
type SeriesService interface {
	FindSeriesByID(ctx context.Context, id string) (*Series, error)
	FindSeries(ctx context.Context) ([]*Series, error)
}
