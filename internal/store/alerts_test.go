package store_test

import (
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

func testAlert(day, group string) *armstrace.Alert {
	return &armstrace.Alert{Ceasefire: "cf:2012", CeasefireName: "Syria ceasefire", Day: day, WeekFrom: "2012-05-04", Group: group,
		Counted: "events in SY", Measure: "deaths", Week: 40, Baseline: 12, Ratio: armstrace.Num(3.333), Increase: 28,
		Rule: "surge", Reason: "40 deaths in the week against 12 a week before it"}
}

func TestAlerts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("watch")
		seed(t, s)
		a := testAlert("2012-05-10", armstrace.AlertGroupAll)
		created, err := s.RecordAlert(ctx, a)
		if err != nil || !created {
			t.Fatalf("first record: created %v, %v", created, err)
		}
		if a.ID != armstrace.AlertID("cf:2012", "2012-05-10", "all") || a.At == "" {
			t.Fatalf("id and time not set: %+v", a)
		}
		// The same alert again, even with other figures, changes nothing.
		again := testAlert("2012-05-10", armstrace.AlertGroupAll)
		again.Week = 41
		created, err = s.RecordAlert(ctx, again)
		if err != nil || created {
			t.Fatalf("second record: created %v, %v", created, err)
		}
		// Another group on the same day is another alert.
		if created, err := s.RecordAlert(ctx, testAlert("2012-05-10", armstrace.AlertGroupCovered)); err != nil || !created {
			t.Fatalf("covered group: created %v, %v", created, err)
		}
		if created, err := s.RecordAlert(ctx, testAlert("2012-05-09", armstrace.AlertGroupAll)); err != nil || !created {
			t.Fatalf("earlier day: created %v, %v", created, err)
		}
		as, err := s.Alerts(ctx, "cf:2012")
		if err != nil || len(as) != 3 {
			t.Fatalf("alerts: %+v %v", as, err)
		}
		if as[0].Day != "2012-05-09" || as[1].Group != "all" || as[2].Group != "covered" || as[1].Week != 40 || *as[1].Ratio != 3.333 {
			t.Errorf("alerts out of order or changed: %+v %+v %+v", as[0], as[1], as[2])
		}
		if none, err := s.Alerts(ctx, "cf:other"); err != nil || len(none) != 0 {
			t.Errorf("alerts of an unknown ceasefire: %+v %v", none, err)
		}
		log, err := s.AuditLog(ctx, "alert", a.ID)
		if err != nil || len(log) != 1 || log[0].Action != armstrace.ActionCreate || log[0].Actor != "watch" {
			t.Fatalf("audit log of the alert: %+v %v", log, err)
		}
		for name, bad := range map[string]*armstrace.Alert{
			"ceasefire": func() *armstrace.Alert { x := testAlert("2012-05-11", "all"); x.Ceasefire = "cf:nowhere"; return x }(),
			"day":       testAlert("2012-05", "all"),
			"group":     testAlert("2012-05-11", "excluded"),
			"rule":      func() *armstrace.Alert { x := testAlert("2012-05-11", "all"); x.Rule = ""; return x }(),
		} {
			created, err := s.RecordAlert(ctx, bad)
			if created || armstrace.ErrorCode(err) != armstrace.EINVALID || fieldOf(err) != name {
				t.Errorf("%s: created %v, %v", name, created, err)
			}
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("audit after alerts: %+v %v", rep, err)
		}
		// An alert changed outside armstrace is caught.
		if _, err := s.DB().ExecContext(ctx, s.Rebind(`UPDATE alerts SET doc = REPLACE(doc, '"week":40', '"week":4') WHERE id = ?`), a.ID); err != nil {
			t.Fatal(err)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || rep.OK() || rep.DataBreak == nil || rep.DataBreak.ID != a.ID {
			t.Errorf("an alert changed by hand was not caught: %+v %v", rep, err)
		}
	})
}
