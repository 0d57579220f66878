package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/armstrace/armstrace/internal/incident"
)

// incidentsJSONL holds April 2012 in Syria as two datasets report it:
// GED and ACLED each report the battle of 12/13 April in Homs (ACLED a
// day later, 4.8 km away, naming the armed forces where GED names the
// state); ACLED alone reports one on 20 April; GED totals the month in an
// aggregate. A GED event in Lebanon and an ACLED event in May are outside
// the question.
const incidentsJSONL = `{"type":"source","id":"src:test","kind":"dataset","title":"Test extracts"}
{"type":"entity","id":"ent:syria","kind":"state","name":"Syria","country":"SY"}
{"type":"entity","id":"ucdp-actor:4456","kind":"armed_group","name":"Syrian insurgents"}
{"type":"entity","id":"acled-actor:military-forces-of-syria-2000","kind":"armed_force","name":"Military Forces of Syria (2000-)","country":"SY"}
{"type":"event","id":"ucdp-ged:1","title":"Government of Syria - Syrian insurgents, Homs","event_type":"state-based conflict","start":"2012-04-12","end":"2012-04-12","precision":"day","place":{"name":"Homs","country":"SY","admin1":"Homs governorate","admin2":"Homs district","lat":34.7324,"lon":36.7137,"precision":"exact"},"actors":[{"entity":"ent:syria","role":"party"},{"entity":"ucdp-actor:4456","role":"party"}],"fatalities":{"low":3,"best":4,"high":9,"unit":"people"},"external_ids":["ucdp-ged:1"],"citations":[{"source":"src:test","locator":"row 1"}]}
{"type":"event","id":"acled:SYR1","title":"Battles in Homs","event_type":"Battles","start":"2012-04-13","end":"2012-04-13","precision":"day","place":{"name":"Homs - Al Waer","country":"SY","admin1":"Homs","admin2":"Homs","lat":34.77,"lon":36.74,"precision":"exact"},"actors":[{"entity":"acled-actor:military-forces-of-syria-2000","role":"party"}],"fatalities":{"low":6,"best":6,"unit":"people"},"external_ids":["acled:SYR1"],"citations":[{"source":"src:test","locator":"row 2"}]}
{"type":"event","id":"acled:SYR2","title":"Battles in Ar Rastan","event_type":"Battles","start":"2012-04-20","end":"2012-04-20","precision":"day","place":{"name":"Ar Rastan","country":"SY","admin1":"Homs","admin2":"Ar Rastan","lat":34.98,"lon":36.85,"precision":"exact"},"actors":[{"entity":"acled-actor:military-forces-of-syria-2000","role":"party"}],"fatalities":{"low":10,"best":10,"unit":"people"},"external_ids":["acled:SYR2"],"citations":[{"source":"src:test","locator":"row 3"}]}
{"type":"event","id":"ucdp-ged:2","title":"Deaths in Homs in April","event_type":"state-based conflict","start":"2012-04-01","end":"2012-04-30","precision":"month","aggregate":true,"place":{"name":"Homs","country":"SY","admin1":"Homs governorate","admin2":"Homs district","precision":"admin2"},"actors":[{"entity":"ent:syria","role":"party"}],"fatalities":{"best":16,"unit":"people"},"external_ids":["ucdp-ged:2"],"citations":[{"source":"src:test","locator":"row 4"}]}
{"type":"event","id":"ucdp-ged:3","title":"Shelling near the border","event_type":"state-based conflict","start":"2012-04-12","end":"2012-04-12","precision":"day","place":{"country":"LB","admin2":"Hermel","lat":34.39,"lon":36.38,"precision":"exact"},"actors":[{"entity":"ent:syria","role":"party"}],"fatalities":{"best":2,"unit":"people"},"external_ids":["ucdp-ged:3"],"citations":[{"source":"src:test","locator":"row 5"}]}
{"type":"event","id":"acled:SYR3","title":"Battles in Homs in May","event_type":"Battles","start":"2012-05-10","end":"2012-05-10","precision":"day","place":{"country":"SY","admin2":"Homs","lat":34.73,"lon":36.71,"precision":"exact"},"actors":[{"entity":"acled-actor:military-forces-of-syria-2000","role":"party"}],"fatalities":{"best":7,"unit":"people"},"external_ids":["acled:SYR3"],"citations":[{"source":"src:test","locator":"row 6"}]}
`

func TestIncidentsCommand(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		in := writeFile(t, "events.jsonl", incidentsJSONL)
		mustRun(t, "--db", db, "import", "--format", "jsonl", in)

		var rep struct {
			Country   string              `json:"country"`
			Incidents []incident.Incident `json:"incidents"`
			Totals    incidentTotals      `json:"totals"`
		}
		out := mustRun(t, "--db", db, "--json", "incidents", "--country", "Syria", "--from", "2012-04-01", "--to", "2012-04-30")
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if rep.Country != "SY" || len(rep.Incidents) != 3 {
			t.Fatalf("country %q, %d incidents, want SY and 3:\n%s", rep.Country, len(rep.Incidents), out)
		}
		// Date order: the aggregate starts on the 1st.
		agg, battle, alone := rep.Incidents[0], rep.Incidents[1], rep.Incidents[2]
		if len(agg.Reports) != 1 || agg.Reports[0].Event != "ucdp-ged:2" || !strings.Contains(agg.Unclustered, "aggregate") {
			t.Errorf("first incident: %+v", agg)
		}
		if len(battle.Reports) != 2 || battle.Reports[0].Event != "acled:SYR1" || battle.Reports[1].Event != "ucdp-ged:1" {
			t.Fatalf("the battle of 12/13 April must be one incident of both reports: %+v", battle)
		}
		f := battle.Fatalities
		if *f.Low != 3 || *f.Best != 4 || *f.High != 9 {
			t.Errorf("the battle's fatalities: %s, want 4 (3–9)", f)
		}
		if len(battle.Links) != 1 || !strings.Contains(battle.Links[0].Reason, "shared actor ent:syria") || !strings.Contains(battle.Links[0].Reason, "1 day apart") {
			t.Errorf("the explanation: %+v", battle.Links)
		}
		if len(alone.Reports) != 1 || alone.Reports[0].Event != "acled:SYR2" {
			t.Errorf("third incident: %+v", alone)
		}
		// Each incident once: 3–9 + 10 + 16, not 4 + 6 + 10 + 16.
		tot := rep.Totals
		if tot.Reports != 4 || tot.Incidents != 3 || tot.MultiSource != 1 || tot.Unclustered != 1 {
			t.Errorf("totals %+v", tot)
		}
		if *tot.Fatalities.Low != 29 || *tot.Fatalities.Best != 30 || *tot.Fatalities.High != 35 {
			t.Errorf("total fatalities %s, want 30 (29–35)", tot.Fatalities)
		}
		if *tot.UnclusteredFatalities.Best != 16 {
			t.Errorf("unclustered fatalities %s, want 16", tot.UnclusteredFatalities)
		}

		text := mustRun(t, "--db", db, "incidents", "--country", "sy", "--from", "2012-04", "--to", "2012-04")
		for _, want := range []string{
			"Incidents in Syria, 2012-04 to 2012-04: 4 report(s), 3 incident(s), 1 from several datasets (*)",
			"* " + battle.ID + "  2012-04-12..2012-04-13  Homs - Al Waer, Homs (exact)  fatalities 4 (3–9) people  [acled + ucdp-ged]",
			"why: acled:SYR1 and ucdp-ged:1: 1 day apart; 4.8 km apart; same admin-2 area (Homs / Homs district); types Battles ~ state-based conflict; shared actor ent:syria",
			"not clustered: an aggregate",
			"fatalities               best 30, low 29, high 35",
			"of which not clustered   1 incident(s), fatalities best 16, low 16, high 16",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the listing lacks %q:\n%s", want, text)
			}
		}

		// With the distance rule off, the admin-2 area alone joins the
		// battle's reports.
		out = mustRun(t, "--db", db, "--json", "incidents", "--country", "SY", "--from", "2012-04-01", "--to", "2012-04-30", "--distance-km", "0")
		rep.Incidents = nil
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Totals.MultiSource != 1 || rep.Incidents[1].Links[0].DistanceKM != nil {
			t.Errorf("with --distance-km 0 the areas alone join: %+v", rep.Incidents[1])
		}
	})
}

func TestIncidentsUsage(t *testing.T) {
	db := writeFile(t, "x.db", "")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"incidents"}, 2, "--country is required"},
		{[]string{"incidents", "--country", "Syria", "--from", "April"}, 2, `--from "April"`},
		{[]string{"incidents", "--country", "Syria", "--distance-km", "-3"}, 2, "must not be negative"},
		{[]string{"--db", db, "incidents", "--country", "Atlantis"}, 1, `no country is named "Atlantis"`},
		{[]string{"incidents", "-h"}, 0, "Examples:"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := run(t, t.TempDir(), tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d (want %d), stderr:\n%s\nwant %q", r.code, tc.code, r.stderr, tc.want)
			}
		})
	}
}
