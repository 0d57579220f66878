package armstrace

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Alert groups: all deaths, or the deaths in events of the parties a
// ceasefire covers.
const (
	AlertGroupAll     = "all"
	AlertGroupCovered = "covered"
)

// Alert says that the deaths of the week ending on Day rose above their
// trailing baseline by the rule named in Rule. An alert is raised once
// for a ceasefire, a day and a group; raising it again changes nothing.
type Alert struct {
	ID            string `json:"id"` // AlertID(ceasefire, day, group)
	Ceasefire     string `json:"ceasefire"`
	CeasefireName string `json:"ceasefire_name"`
	Day           string `json:"day"`       // the last day of the week compared, YYYY-MM-DD
	WeekFrom      string `json:"week_from"` // its first day
	Group         string `json:"group"`     // all or covered
	Counted       string `json:"counted"`   // what was counted: the events of a country, or a series
	Measure       string `json:"measure"`   // deaths
	// Week is the deaths (best estimates) of the seven days ending on
	// Day; Baseline the mean weekly deaths of the 28 days before them.
	Week     float64 `json:"week"`
	Baseline float64 `json:"baseline"`
	// Ratio is Week over Baseline; absent when the baseline is zero.
	Ratio    *float64 `json:"ratio,omitempty"`
	Increase float64  `json:"increase"` // Week - Baseline
	Rule     string   `json:"rule"`     // the name of the rule that fired
	Reason   string   `json:"reason"`   // the rule and the figures, in words
	At       string   `json:"at"`       // when it was raised, RFC 3339 UTC
}

// AlertID is the id of the alert on a ceasefire, a day and a group.
func AlertID(ceasefire, day, group string) string {
	h := sha256.Sum256([]byte(ceasefire + "\x00" + day + "\x00" + group))
	return "alert:" + hex.EncodeToString(h[:8])
}

// IdempotencyKey is what receivers of the alert may drop duplicates by.
func (a *Alert) IdempotencyKey() string { return a.ID }

// Validate returns an EINVALID error naming the first field at fault.
func (a *Alert) Validate() error {
	if err := validateText(a); err != nil {
		return err
	}
	if err := validateID("ceasefire", a.Ceasefire); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"day", a.Day}, {"week_from", a.WeekFrom}} {
		if !Date(f.v).IsDay() || Date(f.v).Validate() != nil {
			return invalid(f.name, "%q is not a day (want YYYY-MM-DD)", f.v)
		}
	}
	if a.WeekFrom > a.Day {
		return invalid("week_from", "%s is after day %s", a.WeekFrom, a.Day)
	}
	if err := oneOf("group", a.Group, AlertGroupAll, AlertGroupCovered); err != nil {
		return err
	}
	if a.Week < 0 || a.Baseline < 0 {
		return invalid("week", "deaths cannot be negative")
	}
	if strings.TrimSpace(a.Rule) == "" {
		return invalid("rule", "required: say which rule fired")
	}
	if a.ID != AlertID(a.Ceasefire, a.Day, a.Group) {
		return invalid("id", "must be AlertID(ceasefire, day, group)")
	}
	return nil
}
