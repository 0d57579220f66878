package armstrace

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Ceasefire is an agreement to stop fighting: who it covers, who it
// leaves out, where and from when.
//
// Start is the first day covered; StartTime and Timezone say when on that
// day it took effect, so that monitors count violations from the right
// hour. Excluded parties (such as groups a truce names as outside it) are
// kept apart from covered ones, so that their attacks are not counted as
// violations.
type Ceasefire struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Start     Date       `json:"start"`
	StartTime string     `json:"start_time,omitempty"` // HH:MM local time
	Timezone  string     `json:"timezone,omitempty"`   // IANA name, such as Asia/Damascus
	End       Date       `json:"end,omitempty"`
	Terms     string     `json:"terms,omitempty"`
	Covered   []string   `json:"covered,omitempty"`  // entity ids
	Excluded  []string   `json:"excluded,omitempty"` // entity ids
	Area      string     `json:"area,omitempty"`
	Country   string     `json:"country,omitempty"`
	Citations []Citation `json:"citations"`
}

func (c *Ceasefire) RecordType() RecordType { return TypeCeasefire }
func (c *Ceasefire) RecordID() string       { return c.ID }

// Normalize trims the name.
func (c *Ceasefire) Normalize() { c.Name = strings.TrimSpace(c.Name) }

var clockPattern = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// Validate returns an EINVALID error naming the first field at fault.
func (c *Ceasefire) Validate() error {
	if err := validateText(c); err != nil {
		return err
	}
	if err := validateID("id", c.ID); err != nil {
		return err
	}
	if strings.TrimSpace(c.Name) == "" {
		return invalid("name", "required")
	}
	if c.Start == "" {
		return invalid("start", "required")
	}
	if err := c.Start.Validate(); err != nil {
		return invalid("start", "%v", err)
	}
	if err := c.End.Validate(); err != nil {
		return invalid("end", "%v", err)
	}
	if c.End != "" && c.End.Last() < c.Start.First() {
		return invalid("end", "%s is before start %s", c.End, c.Start)
	}
	if c.StartTime != "" && !clockPattern.MatchString(c.StartTime) {
		return invalid("start_time", "%q is not a time of day such as 06:00", c.StartTime)
	}
	if c.Timezone != "" {
		// "Local" would mean the server's own zone, which is no fact about
		// the ceasefire.
		if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "Local" {
			return invalid("timezone", "%q is not an IANA time zone such as Asia/Damascus", c.Timezone)
		}
	}
	seen := map[string]string{}
	for _, l := range []struct {
		name string
		ids  []string
	}{{"covered", c.Covered}, {"excluded", c.Excluded}} {
		for i, id := range l.ids {
			f := fmt.Sprintf("%s[%d]", l.name, i)
			if err := validateID(f, id); err != nil {
				return err
			}
			if prev, ok := seen[id]; ok {
				return invalid(f, "%s is already listed in %s", id, prev)
			}
			seen[id] = l.name
		}
	}
	if err := validateCountry("country", c.Country); err != nil {
		return err
	}
	return validateCitations(c.Citations, true)
}

// CeasefireService reads and writes ceasefires.
type CeasefireService interface {
	FindCeasefireByID(ctx context.Context, id string) (*Ceasefire, error)
	FindCeasefires(ctx context.Context) ([]*Ceasefire, error)
	CreateCeasefire(ctx context.Context, c *Ceasefire) error
	UpdateCeasefire(ctx context.Context, c *Ceasefire) error
	DeleteCeasefire(ctx context.Context, id string) error
}
