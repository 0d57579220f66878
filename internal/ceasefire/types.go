// Package ceasefire measures whether a ceasefire holds: daily counts of
// deaths and events around its start, from a casualty series or from the
// events of the evidence graph, split into the parties it covers, the
// parties it excludes and the rest; before/after means over windows with
// a rate ratio and its interval; the totals up to and since the start;
// the violations, listed with their sources; and the days that broke the
// pattern. Events a source totalled over several days are never put on
// their first day: they are spread over their days or left out, by an
// explicit option, and the report says how much each choice moves.
package ceasefire

import (
	"context"
	"time"

	"github.com/armstrace/armstrace"
)

// Reader is what a report reads; the store implements it.
type Reader interface {
	FindCeasefireByID(ctx context.Context, id string) (*armstrace.Ceasefire, error)
	FindCeasefires(ctx context.Context) ([]*armstrace.Ceasefire, error)
	FindEntityByID(ctx context.Context, id string) (*armstrace.Entity, error)
	FindEvents(ctx context.Context, f armstrace.EventFilter) ([]*armstrace.Event, error)
	FindSeriesByID(ctx context.Context, id string) (*armstrace.Series, error)
	FindSourceByID(ctx context.Context, id string) (*armstrace.Source, error)
	TallyEvents(ctx context.Context, q armstrace.TallyQuery) ([]armstrace.TallyRow, error)
	EventDatasets(ctx context.Context, country string) ([]string, error)
}

// AggregateMode says what to do with events a source totalled over
// several days.
type AggregateMode string

const (
	AggregatesExclude AggregateMode = "exclude" // leave them out of daily counts and totals
	AggregatesSpread  AggregateMode = "spread"  // spread each evenly over its days
)

// Options shape a report.
type Options struct {
	Windows    []int         // window lengths in days; 7, 14 and 28 when empty
	Aggregates AggregateMode // exclude when empty
	// Series counts from a daily casualty series (its id) instead of the
	// events of the ceasefire's country.
	Series string
	// Dataset keeps the count to the events of one dataset (the prefix
	// of their ids, such as ucdp-ged); by default, the dataset with the
	// most events in the days shown. Datasets are never added together:
	// an incident two datasets report would be counted twice.
	Dataset string
	// Days of the daily series shown on each side of the start; twice the
	// longest window when 0.
	Around int
	// MaxViolations bounds the violations listed; the rest are counted.
	MaxViolations int
	// IncludeConfidential shows confidential sources of violations.
	IncludeConfidential bool
	// Access, when set, counts and lists only what a reader who may see
	// sources of these levels may see: events, series and ceasefires
	// resting only on other sources are left out, counts included.
	Access []armstrace.Access
	Now    time.Time
}

// Group names of the party split.
const (
	GroupCovered  = "covered"
	GroupExcluded = "excluded"
	GroupOther    = "other" // no party of the ceasefire named, or a series without parties
)

// Counts are a day's (or a period's) events and deaths.
type Counts struct {
	Events float64 `json:"events"` // fractional where aggregates are spread
	Low    float64 `json:"low"`
	Best   float64 `json:"best"`
	High   float64 `json:"high"`
}

func (c *Counts) add(o Counts) {
	c.Events += o.Events
	c.Low += o.Low
	c.Best += o.Best
	c.High += o.High
}

// Day is one day of the daily series.
type Day struct {
	Day      string `json:"day"`
	Offset   int    `json:"offset"` // days from the start: 0 is the first day covered
	All      Counts `json:"all"`
	Covered  Counts `json:"covered"`
	Excluded Counts `json:"excluded"`
	Other    Counts `json:"other"`
}

// Window compares the days before the start with the days from it.
type Window struct {
	Days       int     `json:"days"`
	BeforeMean float64 `json:"before_mean"` // deaths a day (best), days start-Days .. start-1
	AfterMean  float64 `json:"after_mean"`  // days start .. start+Days-1
	RateRatio  float64 `json:"rate_ratio"`  // after / before
	CILow      float64 `json:"ci_low"`      // 95% interval of the rate ratio
	CIHigh     float64 `json:"ci_high"`
	Dispersion float64 `json:"dispersion"` // the quasi-Poisson scale used, ≥ 1
	Complete   bool    `json:"complete"`   // false when the data do not cover the whole window
	// CoveredBefore and CoveredAfter are the same means for the covered
	// parties alone, when the counts come from events.
	CoveredBefore *float64 `json:"covered_before,omitempty"`
	CoveredAfter  *float64 `json:"covered_after,omitempty"`
}

// Break is a day after the start that broke the pattern.
type Break struct {
	Day       string  `json:"day"`
	Offset    int     `json:"offset"`
	Value     float64 `json:"value"`     // deaths that day (best)
	Baseline  float64 `json:"baseline"`  // mean of the days since the start, before it
	Threshold float64 `json:"threshold"` // baseline + 2 standard deviations
}

// Violation is a single-day event by a covered party (and no excluded
// one), in the country, from the start.
type Violation struct {
	Event      string   `json:"event"`
	Title      string   `json:"title"`
	Date       string   `json:"date"`
	Place      string   `json:"place,omitempty"`
	Actors     []string `json:"actors"` // names
	Fatalities string   `json:"fatalities,omitempty"`
	Aggregate  bool     `json:"aggregate,omitempty"`
	Sources    []Cite   `json:"sources"`
}

// Cite is a source of a violation.
type Cite struct {
	Source   string `json:"source"`
	Title    string `json:"title"`
	Locator  string `json:"locator,omitempty"`
	Withheld bool   `json:"withheld,omitempty"`
}

// Party is a covered or excluded party, with its counts after the start.
type Party struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Breakdown is one type's or area's counts, by party group.
type Breakdown struct {
	Key      string `json:"key"`
	All      Counts `json:"all"`
	Covered  Counts `json:"covered"`
	Excluded Counts `json:"excluded"`
	Other    Counts `json:"other"`
}

// DatasetCount is one dataset's events in the country.
type DatasetCount struct {
	Name    string `json:"name"`
	Events  int    `json:"events,omitempty"` // all its events in the country: counted for the dataset counted only
	Shown   int    `json:"events_shown"`     // those in the days shown
	Counted bool   `json:"counted"`
}

// AggregateNote says how aggregates were handled and how much it moves.
type AggregateNote struct {
	Mode      AggregateMode `json:"mode"`
	Events    int           `json:"events"`     // aggregates overlapping the period counted
	Deaths    float64       `json:"deaths"`     // their deaths (best) within the period
	Total     float64       `json:"total"`      // deaths (best) in the period under the mode used
	TotalIf   float64       `json:"total_if"`   // under the other mode
	ShareMove float64       `json:"share_move"` // |total - total_if| / max(total, total_if)
}

// Report is the answer.
type Report struct {
	Ceasefire struct {
		ID        string  `json:"id"`
		Name      string  `json:"name"`
		Start     string  `json:"start"`
		StartTime string  `json:"start_time,omitempty"`
		End       string  `json:"end,omitempty"`
		Country   string  `json:"country,omitempty"`
		Area      string  `json:"area,omitempty"`
		Terms     string  `json:"terms,omitempty"`
		Covered   []Party `json:"covered"`
		Excluded  []Party `json:"excluded"`
	} `json:"ceasefire"`
	Generated time.Time `json:"generated"`
	Counting  string    `json:"counting"` // "events" or "series"
	Source    string    `json:"source"`   // what was counted: a series, or the events of a country
	Measure   string    `json:"measure"`  // "deaths"
	Unit      string    `json:"unit"`
	// Datasets are the datasets whose events the country has, with the
	// one counted marked; empty for a series.
	Datasets   []DatasetCount `json:"datasets,omitempty"`
	DataFrom   string         `json:"data_from,omitempty"` // the first and last day with data
	DataTo     string         `json:"data_to,omitempty"`
	Daily      []Day          `json:"daily"`
	Windows    []Window       `json:"windows"`
	Cumulative struct {
		UpToStart  Counts `json:"up_to_start"` // every day before the start
		SinceStart Counts `json:"since_start"` // from the start through the end, the last day with data or the last day shown, whichever is first
		Through    string `json:"through"`     // the last day counted since the start
		// InTotals are the totals sources gave over periods that end by
		// the start ("over 9,000 killed" to the day): reported apart, as
		// they are never put on days in exclude mode.
		InTotals Counts `json:"in_totals_up_to_start"`
	} `json:"cumulative"`
	// Covered parties' and excluded parties' deaths and events from the
	// start, kept apart.
	CoveredSince  Counts `json:"covered_since"`
	ExcludedSince Counts `json:"excluded_since"`
	OtherSince    Counts `json:"other_since"`
	// SinceByType and SinceByArea split the single-day events from the
	// start through the last day counted by event type and by first-level
	// area, each by party group, largest first.
	SinceByType []Breakdown `json:"since_by_type,omitempty"`
	SinceByArea []Breakdown `json:"since_by_area,omitempty"`
	// SinceByDyad splits them by who fought: the names of each event's
	// actors. An excluded party's dyads count under excluded, whoever
	// else fought in them.
	SinceByDyad   []Breakdown    `json:"since_by_dyad,omitempty"`
	Violations    []Violation    `json:"violations"`
	MoreViolation int            `json:"more_violations,omitempty"`
	ExcludedTop   []Violation    `json:"excluded_activity"` // the excluded parties' ten largest single-day events from the start
	Breaks        []Break        `json:"breaks"`
	FirstBreak    *Break         `json:"first_break,omitempty"`
	Aggregates    *AggregateNote `json:"aggregates,omitempty"`
	Method        []string       `json:"method"`
	Notes         []string       `json:"notes,omitempty"`
}
