package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
)

func TestClaimYears(t *testing.T) {
	for _, c := range []struct {
		claim    armstrace.Claim
		from, to int
		ok       bool
	}{
		{armstrace.Claim{ValidFrom: "2011-05-26"}, 2011, 2011, true},
		{armstrace.Claim{ValidFrom: "2011", ValidTo: "2013-06"}, 2011, 2013, true},
		{armstrace.Claim{ValidTo: "2012"}, 2012, 2012, true},
		{armstrace.Claim{Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{OrderYear: 1985, DeliveryYears: []int{1987, 1986}}}}, 1985, 1987, true},
		{armstrace.Claim{}, 0, 0, false},
	} {
		from, to, ok := claimYears(&c.claim)
		if from != c.from || to != c.to || ok != c.ok {
			t.Errorf("%+v: %d %d %v, want %d %d %v", c.claim, from, to, ok, c.from, c.to, c.ok)
		}
	}
}

func TestNeighbourhoodSides(t *testing.T) {
	n := func(id string) graph.Node { return graph.Node{ID: id, Name: id, Type: "entity"} }
	links := []graph.Link{
		{Kind: armstrace.ClaimContracted, From: n("buyer"), To: n("me")},
		{Kind: armstrace.ClaimSanctioned, From: n("buyer"), To: n("me")},
		{Kind: armstrace.ClaimSupplied, From: n("me"), To: n("state")},
	}
	h := neighbourhood("me", "Me", "company", links)
	if h == nil || len(h.Nodes) != 2 || len(h.Edges) != 2 {
		t.Fatalf("%+v", h)
	}
	if h.Nodes[0].ID != "buyer" || h.Nodes[0].X >= h.Center.X || h.Nodes[1].ID != "state" || h.Nodes[1].X <= h.Center.X {
		t.Errorf("sides: %+v", h.Nodes)
	}
	if h.Edges[0].Label != "contracted, sanctioned" {
		t.Errorf("two kinds on one edge: %q", h.Edges[0].Label)
	}
	// The same drawing for the browser: edges keep the claims' direction.
	js, err := h.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var els []struct {
		Group string
		Data  struct{ ID, Source, Target, Href string }
	}
	if err := json.Unmarshal([]byte(js), &els); err != nil {
		t.Fatal(err)
	}
	var edges []string
	for _, e := range els {
		if e.Group == "edges" {
			edges = append(edges, e.Data.Source+">"+e.Data.Target)
		} else if e.Data.ID == "buyer" && e.Data.Href != "/entities/buyer" {
			t.Errorf("buyer's link: %q", e.Data.Href)
		}
	}
	if len(els) != 5 || strings.Join(edges, " ") != "buyer>me me>state" {
		t.Errorf("%d elements, edges %v", len(els), edges)
	}
	if neighbourhood("me", "Me", "company", nil) != nil {
		t.Error("a drawing without claims")
	}
}
