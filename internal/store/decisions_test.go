package store_test

import (
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

func TestScreeningDecisions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("reviewer:ana")
		seed(t, s)
		d := &armstrace.ScreeningDecision{Query: "Rosneft Oil Company", QueryKey: "rosneft oil company", Entity: "ent:roe", Decision: armstrace.DecisionNotAMatch, Reason: "a different company: oil, not arms"}
		if err := s.PutScreeningDecision(ctx, d); err != nil {
			t.Fatal(err)
		}
		ds, err := s.ScreeningDecisions(ctx)
		if err != nil || len(ds) != 1 || ds[0].Reviewer != "reviewer:ana" || ds[0].At == "" || ds[0].ID != armstrace.DecisionID("rosneft oil company", "ent:roe") {
			t.Fatalf("decisions: %+v %v", ds, err)
		}
		// A second decision on the same name and entity replaces the first.
		d2 := *d
		d2.Decision, d2.Reason, d2.At = armstrace.DecisionMatch, "on second thought", ""
		if err := s.PutScreeningDecision(ctx, &d2); err != nil {
			t.Fatal(err)
		}
		if ds, _ := s.ScreeningDecisions(ctx); len(ds) != 1 || ds[0].Decision != armstrace.DecisionMatch {
			t.Fatalf("after replacing: %+v", ds)
		}
		for name, bad := range map[string]*armstrace.ScreeningDecision{
			"reason":   {Query: "x", QueryKey: "x", Entity: "ent:roe", Decision: armstrace.DecisionMatch},
			"decision": {Query: "x", QueryKey: "x", Entity: "ent:roe", Decision: "maybe", Reason: "r"},
			"entity":   {Query: "x", QueryKey: "x", Entity: "ent:nobody", Decision: armstrace.DecisionMatch, Reason: "r"},
		} {
			err := s.PutScreeningDecision(ctx, bad)
			if err == nil || armstrace.ErrorCode(err) == armstrace.EINTERNAL {
				t.Errorf("%s: %v", name, err)
			}
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("audit after decisions: %+v %v", rep, err)
		}
		log, err := s.AuditLog(ctx, "screening_decision", d.ID)
		if err != nil || len(log) != 2 || log[1].Action != armstrace.ActionUpdate {
			t.Fatalf("audit log of the decision: %+v %v", log, err)
		}
		if err := s.DeleteScreeningDecision(ctx, "rosneft oil company", "ent:roe"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteScreeningDecision(ctx, "rosneft oil company", "ent:roe"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			t.Errorf("second delete: %v", err)
		}
		if ds, _ := s.ScreeningDecisions(ctx); len(ds) != 0 {
			t.Fatalf("after delete: %+v", ds)
		}
		// Changing a decision outside armstrace is caught.
		if err := s.PutScreeningDecision(ctx, d); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().ExecContext(ctx, s.Rebind(`UPDATE screening_decisions SET doc = REPLACE(doc, 'oil, not arms', 'arms') WHERE id = ?`), d.ID); err != nil {
			t.Fatal(err)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || rep.OK() || rep.DataBreak == nil || rep.DataBreak.ID != d.ID {
			t.Errorf("a decision changed by hand was not caught: %+v %v", rep, err)
		}
	})
}
