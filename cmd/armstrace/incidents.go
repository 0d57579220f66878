package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/incident"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/store"
)

// incidentTotals are the counts of an incidents listing; fatalities count
// each incident once.
type incidentTotals struct {
	Reports     int             `json:"reports"`
	Incidents   int             `json:"incidents"`
	MultiSource int             `json:"multi_source"`
	Fatalities  armstrace.Range `json:"fatalities"`
	// Unclustered incidents (aggregates, reports dated to the week or
	// month, reports without a usable place) were never compared with
	// others and may overlap them; their share of the total is given
	// apart so that a reader can leave it out.
	Unclustered           int             `json:"unclustered"`
	UnclusteredFatalities armstrace.Range `json:"unclustered_fatalities"`
}

type incidentsReport struct {
	Country    string              `json:"country"`
	Name       string              `json:"country_name"`
	From       armstrace.Date      `json:"from,omitempty"`
	To         armstrace.Date      `json:"to,omitempty"`
	DistanceKM float64             `json:"distance_km"`
	Incidents  []incident.Incident `json:"incidents"`
	Totals     incidentTotals      `json:"totals"`
}

func (a *App) runIncidents(ctx context.Context, args []string) error {
	fs := a.newFlagSet("incidents", "incidents --country NAME|ISO [--from DATE] [--to DATE] [--distance-km 10] [--json]", `
List the incidents of a country, each once, with the reports that
different datasets (UCDP GED, ACLED, native records) give of it. Two
reports are one incident when they come from different datasets, are
dated to the same or the next day, lie in the same country and admin-2
area or within --distance-km of each other, and have compatible types
(ACLED "Battles" with GED state-based or non-state conflict, "Violence
against civilians" with one-sided violence, …) and a common actor (a
state's armed forces count as the state). An incident joins only reports
that are all compatible with each other, so incidents never chain.

An incident's fatalities are the smallest low to the largest high of its
reports, with the median best. Totals count each incident once.
Aggregates and reports dated only to the week or month are listed as
their own incidents, marked "not clustered": they may overlap others.
Incidents are listed in date order; those from several datasets are
marked with "*".`,
		"armstrace incidents --country Syria --from 2012-04-01 --to 2012-04-30",
		"armstrace --json incidents --country SY --from 2016 --to 2016 --distance-km 5")
	country := fs.String("country", "", "the country: a name or an ISO 3166 alpha-2 code (required)")
	from := fs.String("from", "", "incidents ending on or after this date (2012, 2012-04 or 2012-04-12)")
	to := fs.String("to", "", "incidents starting on or before this date")
	distance := fs.Float64("distance-km", incident.DefaultDistanceKM, "largest distance between two precisely placed reports of one incident (0: only admin-2 areas join places)")
	conf := fs.Bool("include-confidential", false, "show protected places as recorded (they are blurred to their district otherwise)")
	within := fs.Bool("merge-within-dataset", false, "also join reports of the same dataset (off: a dataset has de-duplicated its own rows)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	if *country == "" {
		return a.usageError(fs, "--country is required")
	}
	if *distance < 0 {
		return a.usageError(fs, "--distance-km %v: must not be negative", *distance)
	}
	rep := incidentsReport{From: armstrace.Date(*from), To: armstrace.Date(*to), DistanceKM: *distance}
	for _, d := range []struct {
		flag string
		d    armstrace.Date
	}{{"from", rep.From}, {"to", rep.To}} {
		if err := d.d.Validate(); err != nil {
			return a.usageError(fs, "--%s %q: %s", d.flag, d.d, armstrace.ErrorMessage(err))
		}
	}
	states, err := ingest.LoadStates()
	if err != nil {
		return err
	}
	rep.Country, rep.Name, err = incidentCountry(states, *country)
	if err != nil {
		return err
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	events, err := s.FindEvents(ctx, armstrace.EventFilter{Country: rep.Country, Since: rep.From, Until: rep.To})
	if err != nil {
		return err
	}
	aliases, err := incidentStateForces(ctx, s, states, events)
	if err != nil {
		return err
	}
	opts := incident.Options{DistanceKM: *distance, MergeWithinDataset: *within, ActorAliases: aliases}
	if *distance == 0 {
		opts.DistanceKM = -1 // the flag's 0 turns the rule off; the package's 0 means the default
	}
	rep.Incidents = incident.Cluster(events, opts)
	if !*conf {
		incident.Blur(rep.Incidents, events)
	}
	rep.Totals = totalIncidents(len(events), rep.Incidents)
	if a.JSON {
		return writeJSON(a.Stdout, rep)
	}
	printIncidents(a.Stdout, &rep)
	return nil
}

// incidentCountry returns the ISO alpha-2 code and the name of a country
// given by name or code. A two-letter code outside the states table is
// taken as it is: events may carry it all the same.
func incidentCountry(states *ingest.States, name string) (code, display string, err error) {
	if st, ok := states.ByName(name); ok && st.ISO2 != "" {
		return st.ISO2, st.Name, nil
	}
	if len(name) == 2 && incidentIsLetters(name) {
		return strings.ToUpper(name), strings.ToUpper(name), nil
	}
	return "", "", armstrace.Errorf(armstrace.ENOTFOUND, "no country is named %q; give its name or ISO 3166 alpha-2 code", name)
}

func incidentIsLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// incidentStateForces maps each actor of the events that is a state's armed force
// (ACLED's "Military Forces of Syria (2000-)") to the state (UCDP's
// "Government of Syria"), so that two datasets' reports of one battle
// share an actor.
func incidentStateForces(ctx context.Context, s *store.Store, states *ingest.States, events []*armstrace.Event) (map[string]string, error) {
	var ids []string
	for _, e := range events {
		for _, a := range e.Actors {
			ids = append(ids, a.Entity)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	aliases := map[string]string{}
	for len(ids) > 0 {
		batch := ids[:min(500, len(ids))]
		ids = ids[len(batch):]
		es, err := s.FindEntities(ctx, armstrace.EntityFilter{IDs: batch})
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e.Kind != armstrace.EntityArmedForce || e.Country == "" {
				continue
			}
			if st, ok := states.ByName(e.Country); ok && st.ID != e.ID {
				aliases[e.ID] = st.ID
			}
		}
	}
	return aliases, nil
}

func totalIncidents(reports int, incs []incident.Incident) incidentTotals {
	t := incidentTotals{Reports: reports, Incidents: len(incs), Fatalities: incident.Total(incs)}
	var alone []incident.Incident
	for _, in := range incs {
		if in.MultiSource() {
			t.MultiSource++
		}
		if in.Unclustered != "" {
			alone = append(alone, in)
		}
	}
	t.Unclustered = len(alone)
	t.UnclusteredFatalities = incident.Total(alone)
	return t
}

func printIncidents(w io.Writer, rep *incidentsReport) {
	scope := rep.Name
	if rep.From != "" || rep.To != "" {
		scope += fmt.Sprintf(", %s to %s", orOpen(string(rep.From)), orOpen(string(rep.To)))
	}
	t := rep.Totals
	fmt.Fprintf(w, "Incidents in %s: %d report(s), %d incident(s), %d from several datasets (*)\n", scope, t.Reports, t.Incidents, t.MultiSource)
	for _, in := range rep.Incidents {
		mark := " "
		if in.MultiSource() {
			mark = "*"
		}
		dates := string(in.Start)
		if in.End != in.Start {
			dates += ".." + string(in.End)
		}
		fmt.Fprintf(w, "\n%s %s  %s  %s  fatalities %s  [%s]\n", mark, in.ID, dates, incidentPlaceText(in.Place), in.Fatalities, strings.Join(in.Datasets, " + "))
		for _, r := range in.Reports {
			fmt.Fprintf(w, "    %-24s %-28s %s  %s\n", r.Event, r.Type, r.Start, r.Fatalities)
		}
		for _, l := range in.Links {
			fmt.Fprintf(w, "    why: %s\n", l.Reason)
		}
		if in.Unclustered != "" {
			fmt.Fprintf(w, "    not clustered: %s\n", in.Unclustered)
		}
	}
	if len(rep.Incidents) == 0 {
		fmt.Fprintf(w, "\nNo events recorded. Import UCDP GED or ACLED with: armstrace import --format ucdp-ged FILE\n")
	}
	fmt.Fprintf(w, "\nTotals, each incident counted once:\n")
	fmt.Fprintf(w, "  reports                  %d\n", t.Reports)
	fmt.Fprintf(w, "  incidents                %d\n", t.Incidents)
	fmt.Fprintf(w, "  from several datasets    %d\n", t.MultiSource)
	fmt.Fprintf(w, "  fatalities               %s\n", incidentFatalities(t.Fatalities))
	if t.Unclustered > 0 {
		fmt.Fprintf(w, "  of which not clustered   %d incident(s), fatalities %s: aggregates and reports not dated to a day or not placed, which may overlap other incidents\n", t.Unclustered, incidentFatalities(t.UnclusteredFatalities))
	}
}

// incidentFatalities writes a range for a reader.
func incidentFatalities(r armstrace.Range) string {
	if r.IsZero() {
		return "none recorded"
	}
	return fmt.Sprintf("best %s, low %s, high %s", incidentFigure(r.Best), incidentFigure(r.Low), incidentFigure(r.High))
}

func incidentFigure(p *float64) string {
	if p == nil {
		return "?"
	}
	return fmt.Sprintf("%.0f", *p)
}

func incidentPlaceText(p armstrace.Place) string {
	var parts []string
	for _, s := range []string{p.Name, p.Admin3, p.Admin2, p.Admin1} {
		if s != "" && !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, p.Country)
	}
	s := strings.Join(parts, ", ")
	if p.Precision != "" {
		s += " (" + string(p.Precision) + ")"
	}
	return s
}
