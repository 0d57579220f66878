package screening

import (
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/match"
)

func TestApply(t *testing.T) {
	hit := func(id string, score float64) match.Hit {
		return match.Hit{Entity: &armstrace.Entity{ID: id}, Result: match.Result{Score: score}}
	}
	ds := NewDecisions([]*armstrace.ScreeningDecision{
		{QueryKey: Key("ROSNEFT Oil Co."), Entity: "ent:roe", Decision: armstrace.DecisionNotAMatch, Reason: "oil"},
		{QueryKey: Key("ROSNEFT Oil Co."), Entity: "ent:rosneft", Decision: armstrace.DecisionMatch, Reason: "same INN"},
	})
	hits := []match.Hit{hit("ent:roe", 0.8), hit("ent:rosneft", 0.75), hit("ent:other", 0.7)}
	// Another spelling that normalises alike meets the same decisions.
	if Key("Rosneft oil co") != Key("ROSNEFT Oil Co.") {
		t.Skipf("the two spellings normalise apart (%q, %q); pick others", Key("Rosneft oil co"), Key("ROSNEFT Oil Co."))
	}
	shown, suppressed := ds.Apply("Rosneft oil co", hits, 2)
	if len(suppressed) != 1 || suppressed[0].Entity.ID != "ent:roe" || suppressed[0].Review.Reason != "oil" {
		t.Errorf("suppressed: %+v", suppressed)
	}
	if len(shown) != 2 || shown[0].Entity.ID != "ent:rosneft" || shown[0].Review == nil || shown[1].Review != nil {
		t.Errorf("shown: %+v", shown)
	}
	if n := ds.Suppressed("rosneft  OIL co"); n != 1 {
		t.Errorf("suppressed count %d", n)
	}
	// A name without decisions is left alone.
	shown, suppressed = ds.Apply("Rosatom", hits, 0)
	if len(shown) != 3 || suppressed != nil {
		t.Errorf("no decisions: %+v %+v", shown, suppressed)
	}
}
