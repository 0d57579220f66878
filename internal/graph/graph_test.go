package graph_test

import (
	"context"
	"slices"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

var ctx = armstrace.WithActor(context.Background(), "test")

// loadDemo writes the bundled demo dataset into s.
func loadDemo(t testing.TB, s *store.Store) {
	t.Helper()
	storetest.Import(t, s, "demo.jsonl", demo.Data)
}

func find(rep *graph.Report, id string) *graph.Enabler {
	for i := range rep.Enablers {
		if rep.Enablers[i].Entity.ID == id {
			return &rep.Enablers[i]
		}
	}
	return nil
}

func syria(t *testing.T, s *store.Store, roles ...graph.Role) *graph.Report {
	t.Helper()
	rep, err := graph.Enablers(ctx, s, graph.Scope{Country: "Syria", Since: "2011", Until: "2013", Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestDemoEnablers is the question the demo data was gathered to answer:
// Rosoboronexport supplied Syria, where Russian weapons were seen at
// atrocities, and the US Army bought from it.
func TestDemoEnablers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		loadDemo(t, s)
		rep := syria(t, s)
		roe := find(rep, "ent:rosoboronexport")
		if roe == nil || !slices.Contains(roe.Roles, graph.RoleSupplier) {
			t.Fatalf("Rosoboronexport is not ranked as a supplier: %+v", rep.Enablers)
		}
		syriaSupply := false
		for _, c := range roe.Chains {
			for _, l := range c.Links {
				if l.Kind == armstrace.ClaimSupplied && l.From.ID == "ent:rosoboronexport" && l.To.ID == "ent:syria" {
					syriaSupply = true
				}
			}
		}
		if !syriaSupply {
			t.Errorf("Rosoboronexport's chains hold no supply to Syria: %+v", roe.Chains)
		}
		acc := find(rep, "ent:us-army-acc")
		if acc == nil || !slices.Equal(acc.Roles, []graph.Role{graph.RoleBuyer}) {
			t.Fatalf("the US Army Contracting Command is not a buyer: %+v", acc)
		}
		if !slices.Contains(acc.Evidence.AwardIDs, "W58RGZ-11-C-0072") || acc.Evidence.ValueUSD < 375e6 {
			t.Errorf("buyer evidence lacks the award or its value: %+v", acc.Evidence)
		}
		if acc.Score >= roe.Score {
			t.Errorf("a buyer (%.2f) outranks the supplier it buys from (%.2f)", acc.Score, roe.Score)
		}
		// The observation at Homs starts the strongest chains.
		if rep.Observations != 1 || rep.Events != 1 || roe.Chains[0].Path != "weapon" || roe.Chains[0].Links[0].To.ID != "evt:homs-atrocities-2012" {
			t.Errorf("the Homs observation does not start Rosoboronexport's strongest chain: %d obs, chain %+v", rep.Observations, roe.Chains[0])
		}
		for i, e := range rep.Enablers {
			if e.Rank != i+1 || e.Reason == "" || e.Score <= 0 || e.Score > 1 {
				t.Errorf("enabler %d: rank %d, score %.2f, reason %q", i, e.Rank, e.Score, e.Reason)
			}
			if i > 0 && rep.Enablers[i-1].Score < e.Score {
				t.Errorf("not ranked by score: %s %.2f before %s %.2f", rep.Enablers[i-1].Entity.ID, rep.Enablers[i-1].Score, e.Entity.ID, e.Score)
			}
			for _, c := range e.Chains {
				min := 2.0
				for _, l := range c.Links {
					if len(l.Citations) == 0 {
						t.Errorf("%s: link %s cites no source", e.Entity.ID, l.Claim)
					}
					if l.Status != armstrace.StatusVerified && l.Status != armstrace.StatusAlleged {
						t.Errorf("%s: link %s is %s but supports a chain", e.Entity.ID, l.Claim, l.Status)
					}
					min = mathMin(min, l.Strength)
				}
				if c.Strength != min || c.Links[c.Weakest].Strength != min {
					t.Errorf("%s: chain strength %.2f, weakest %d, links' minimum %.2f", e.Entity.ID, c.Strength, c.Weakest, min)
				}
			}
		}
		// Roles filter.
		buyers := syria(t, s, graph.RoleBuyer)
		for _, e := range buyers.Enablers {
			if !slices.Contains(e.Roles, graph.RoleBuyer) || len(e.Roles) != 1 {
				t.Errorf("--role buyer lists %s as %v", e.Entity.ID, e.Roles)
			}
		}
		if find(buyers, "ent:us-army-acc") == nil || find(buyers, "ent:rosoboronexport") != nil {
			t.Errorf("buyers: %+v", buyers.Enablers)
		}
	})
}

func mathMin(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

// TestRetractedClaimLeavesTheChain proves that a claim marked retracted
// no longer supports any chain: Rosoboronexport's supply to Syria is the
// only link from the company to Syria, so retracting it drops the company
// as a supplier and its buyers with it, and lists the claim as not counted.
func TestRetractedClaimLeavesTheChain(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		loadDemo(t, s)
		if find(syria(t, s), "ent:us-army-acc") == nil {
			t.Fatal("precondition: the buyer is ranked before the retraction")
		}
		c, err := s.FindClaimByID(ctx, "clm:roe-syria-supply")
		if err != nil {
			t.Fatal(err)
		}
		c.Status = armstrace.StatusRetracted
		if err := s.UpdateClaim(ctx, c); err != nil {
			t.Fatal(err)
		}
		rep := syria(t, s)
		for _, id := range []string{"ent:rosoboronexport", "ent:us-army-acc", "ent:us-dod", "ent:rostec"} {
			if e := find(rep, id); e != nil {
				t.Errorf("%s is still ranked after the retraction: %+v", id, e)
			}
		}
		for _, e := range rep.Enablers {
			for _, ch := range e.Chains {
				for _, l := range ch.Links {
					if l.Claim == "clm:roe-syria-supply" {
						t.Errorf("%s: a chain still rests on the retracted claim", e.Entity.ID)
					}
				}
			}
		}
		listed := false
		for _, l := range rep.NotCounted {
			if l.Claim == "clm:roe-syria-supply" && l.Status == armstrace.StatusRetracted && l.Strength == 0 {
				listed = true
			}
		}
		if !listed {
			t.Errorf("the retracted claim is not listed as not counted: %+v", rep.NotCounted)
		}
		if find(rep, "ent:russia") == nil {
			t.Error("Russia's own supplies should still rank")
		}
	})
}

func TestResolveCountry(t *testing.T) {
	s := storetest.OpenSQLite(t)
	loadDemo(t, s)
	for _, q := range []string{"Syria", "syria", "SY", "ent:syria", "Syrian Arab Republic", "Government of Syria"} {
		e, err := graph.ResolveCountry(ctx, s, q)
		if err != nil || e.ID != "ent:syria" {
			t.Errorf("%q: %v %v", q, e, err)
		}
	}
	for q, code := range map[string]string{"Atlantis": armstrace.ENOTFOUND, "Yemen": armstrace.ENOTFOUND, "ent:rosoboronexport": armstrace.EINVALID, "": armstrace.EINVALID} {
		if _, err := graph.ResolveCountry(ctx, s, q); armstrace.ErrorCode(err) != code {
			t.Errorf("%q: got %v, want %s", q, err, code)
		}
	}
}
