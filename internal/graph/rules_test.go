package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// fixture builds a small graph in the land of Ruritania (RT): a state and
// its army, an armed group, four suppliers, weapons seen at three events
// identified in three ways, and the claims that link them.
type fixture struct {
	t *testing.T
	s *store.Store
}

func (f fixture) put(r armstrace.Record) {
	f.t.Helper()
	if _, err := f.s.Put(ctx, r); err != nil {
		f.t.Fatalf("%s: %v", r.RecordID(), err)
	}
}

func cite() []armstrace.Citation {
	return []armstrace.Citation{{Source: "src:t", Locator: "p. 1"}}
}

func (f fixture) entity(id, name string, kind armstrace.EntityKind, country string) {
	f.put(&armstrace.Entity{ID: id, Name: name, Kind: kind, Country: country, Citations: cite()})
}

func (f fixture) event(id, day, perpetrator string) {
	f.put(&armstrace.Event{ID: id, Title: "Shelling " + id, Type: "violence against civilians", Start: armstrace.Date(day), End: armstrace.Date(day),
		Precision: armstrace.PrecisionDay, Place: armstrace.Place{Name: "Streslau", Country: "RT", Precision: armstrace.GeoNear},
		Actors: []armstrace.EventActor{{Entity: perpetrator, Role: armstrace.RolePerpetrator}}, Citations: cite()})
}

func (f fixture) observed(id, weapon, event string, how armstrace.Identification, conf float64) {
	f.put(&armstrace.Claim{ID: id, Kind: armstrace.ClaimObservedAt, Subject: weapon, Object: event, ObjectType: armstrace.ObjectEvent,
		Status: armstrace.StatusVerified, Confidence: conf, Attrs: armstrace.ClaimAttrs{Observation: &armstrace.Observation{Identification: how}}, Citations: cite()})
}

func (f fixture) supplied(id, supplier, recipient, weapon string, orderYear int, status armstrace.Status) {
	f.put(&armstrace.Claim{ID: id, Kind: armstrace.ClaimSupplied, Subject: supplier, Object: recipient, Status: status, Confidence: 0.9,
		Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{Weapon: weapon, OrderYear: orderYear, DeliveryYears: []int{orderYear + 1}}}, Citations: cite()})
}

func newFixture(t *testing.T, s *store.Store) fixture {
	f := fixture{t, s}
	f.put(&armstrace.Source{ID: "src:t", Kind: armstrace.SourceDocument, Title: "Field report"})
	f.entity("ent:rt", "Ruritania", armstrace.EntityState, "RT")
	f.entity("ent:rt-army", "Ruritanian Army", armstrace.EntityArmedForce, "RT")
	f.entity("ent:front", "Black Front", armstrace.EntityArmedGroup, "RT")
	f.entity("ent:ka", "Kazakia", armstrace.EntityState, "KA")
	f.entity("ent:ka-export", "Kazakexport", armstrace.EntityCompany, "KA")
	f.entity("ent:ob", "Obania", armstrace.EntityState, "OB")
	f.entity("ent:late", "Late Arms Ltd", armstrace.EntityCompany, "OB")
	f.entity("ent:w:mi-24", "Mi-24", armstrace.EntityWeaponModel, "KA")
	f.entity("ent:w:mi-24p", "Mi-24P", armstrace.EntityWeaponModel, "KA")
	f.entity("ent:w:t-72", "T-72", armstrace.EntityWeaponModel, "KA")
	f.entity("ent:w:ka-any", "Kazakian weapons (type not specified)", armstrace.EntityWeaponModel, "KA")
	f.entity("ent:w:rpg", "RPG-7", armstrace.EntityWeaponModel, "OB")
	f.event("evt:1", "2015-03-01", "ent:rt-army")
	f.event("evt:2", "2015-04-01", "ent:rt-army")
	f.event("evt:3", "2015-05-01", "ent:front")
	// A Mi-24 traced by its serial; a T-72 identified from imagery; some
	// Kazakian weapons by origin only; an RPG-7 with the armed group.
	f.observed("obs:serial", "ent:w:mi-24", "evt:1", armstrace.IdentifiedSerial, 1)
	f.observed("obs:type", "ent:w:t-72", "evt:2", armstrace.IdentifiedType, 1)
	f.observed("obs:origin", "ent:w:ka-any", "evt:2", armstrace.IdentifiedCategory, 1)
	f.observed("obs:group", "ent:w:rpg", "evt:3", armstrace.IdentifiedType, 1)
	f.supplied("sup:mi24p", "ent:ka", "ent:rt", "ent:w:mi-24p", 1985, armstrace.StatusVerified) // same family, decades earlier
	f.supplied("sup:t72", "ent:ka-export", "ent:rt-army", "ent:w:t-72", 2010, armstrace.StatusVerified)
	f.supplied("sup:after", "ent:late", "ent:rt", "ent:w:mi-24", 2016, armstrace.StatusVerified) // ordered after the events
	f.supplied("sup:rpg", "ent:ob", "ent:front", "ent:w:rpg", 2014, armstrace.StatusVerified)
	return f
}

func chainsOf(e *graph.Enabler, path string) []graph.Chain {
	var out []graph.Chain
	for _, c := range e.Chains {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

func TestStrengthRules(t *testing.T) {
	s := storetest.OpenSQLite(t)
	newFixture(t, s)
	rep, err := graph.Enablers(ctx, s, graph.Scope{Country: "RT", Since: "2015", Until: "2015"})
	if err != nil {
		t.Fatal(err)
	}
	ka := find(rep, "ent:ka")
	if ka == nil {
		t.Fatalf("Kazakia is not ranked: %+v", rep.Enablers)
	}
	// The Mi-24P of 1985 is of the Mi-24 family seen at evt:1: capped at
	// 0.8 however sure the serial; Kazakia's country matches the origin
	// seen at evt:2, capped at 0.5.
	var family, origin bool
	for _, c := range chainsOf(ka, "weapon") {
		sup := c.Links[1]
		switch c.Links[0].Claim {
		case "obs:serial":
			family = sup.Strength == 0.8 && strings.Contains(sup.Basis, "family") && c.Strength == 0.8
		case "obs:origin":
			origin = sup.Strength == 0.5 && c.Links[0].Strength == 0.5 && c.Strength == 0.5
		}
	}
	if !family || !origin {
		t.Errorf("family %v, origin %v: %+v", family, origin, ka.Chains)
	}
	// The T-72 identified from imagery caps the observation at 0.8; the
	// exporter's supply to the army is the same model.
	kx := find(rep, "ent:ka-export")
	if kx == nil || kx.Chains[0].Links[0].Claim != "obs:type" || kx.Chains[0].Links[0].Strength != 0.8 || kx.Chains[0].Links[1].Strength != 0.9 || kx.Score != 0.8 {
		t.Errorf("imagery-identified chain: %+v", kx)
	}
	// A supply ordered after the events cannot have armed them; it is on
	// the direct path neither, being outside the period.
	if e := find(rep, "ent:late"); e != nil {
		t.Errorf("a supply ordered after the events is on a chain: %+v", e.Chains)
	}
	// The armed group's own supplier is traced through the group, not
	// through the state.
	ob := find(rep, "ent:ob")
	if ob == nil || ob.Chains[0].Links[1].To.ID != "ent:front" {
		t.Errorf("the armed group's supplier: %+v", ob)
	}
	// Ranking: the strongest chains first.
	if rep.Enablers[0].Score < rep.Enablers[len(rep.Enablers)-1].Score {
		t.Errorf("not ranked: %+v", rep.Enablers)
	}
	// Outside the period nothing is found.
	rep, err = graph.Enablers(ctx, s, graph.Scope{Country: "RT", Since: "2016"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Observations != 0 || find(rep, "ent:ka-export") != nil {
		t.Errorf("events of 2015 counted for 2016: %+v", rep)
	}
	if e := find(rep, "ent:late"); e == nil || chainsOf(e, "direct") == nil || e.Chains[0].Links[0].Strength != 0.36 {
		t.Errorf("the 2016 supply is not on the direct path with 0.9 × 0.4: %+v", e)
	}
}

func TestUnknownRole(t *testing.T) {
	s := storetest.OpenSQLite(t)
	newFixture(t, s)
	_, err := graph.Enablers(ctx, s, graph.Scope{Country: "RT", Roles: []graph.Role{"arms dealer"}})
	if armstrace.ErrorCode(err) != armstrace.EINVALID || !strings.Contains(armstrace.ErrorMessage(err), "supplier") {
		t.Errorf("got %v", err)
	}
}

// A supplier that also shipped for another supplier is both in the group
// and a shipper: its insurer's claims are weighed once. A shipper insured
// by another shipper gains a stronger chain while partners are added; its
// own insurer's chain extends the chain it had before, whatever the order.
func TestBusinessWeighedOnce(t *testing.T) {
	s := storetest.OpenSQLite(t)
	f := newFixture(t, s)
	for _, id := range []string{"ent:zz-mutual", "ent:ship1", "ent:ship2", "ent:aa-cover", "ent:zz-cover"} {
		f.entity(id, id, armstrace.EntityCompany, "OB")
	}
	partner := func(id string, kind armstrace.ClaimKind, subject, object string, conf float64) {
		f.put(&armstrace.Claim{ID: id, Kind: kind, Subject: subject, Object: object, Status: armstrace.StatusVerified, Confidence: conf,
			ValidFrom: "2015", ValidTo: "2015", Citations: cite()})
	}
	partner("shp:kx", armstrace.ClaimShipped, "ent:ka-export", "ent:ka", 0.9) // a supplier shipping for another
	const policies = 8                                                        // more than are read whole
	for i := range policies {
		partner(fmt.Sprintf("ins:kx%d", i), armstrace.ClaimInsured, "ent:zz-mutual", "ent:ka-export", 0.9)
	}
	partner("shp:1", armstrace.ClaimShipped, "ent:ship1", "ent:ka-export", 0.5)
	partner("shp:2", armstrace.ClaimShipped, "ent:ship2", "ent:ka-export", 0.9)
	partner("ins:12", armstrace.ClaimInsured, "ent:ship1", "ent:ship2", 0.9)
	partner("ins:aa1", armstrace.ClaimInsured, "ent:aa-cover", "ent:ship1", 0.9)
	partner("ins:zz1", armstrace.ClaimInsured, "ent:zz-cover", "ent:ship1", 0.9)
	rep, err := graph.Enablers(ctx, s, graph.Scope{Country: "RT", Since: "2015", Until: "2015"})
	if err != nil {
		t.Fatal(err)
	}
	mutual, kx := find(rep, "ent:zz-mutual"), find(rep, "ent:ka-export")
	if mutual == nil || kx == nil {
		t.Fatalf("the insurer of a supplier is not ranked: %+v", rep.Enablers)
	}
	// Its claims: the exporter's strongest chain and the policies.
	want := len(kx.Chains[0].Links) + policies
	if mutual.Evidence.Claims != want {
		t.Errorf("the insurer's evidence counts %d claims, want %d: %+v", mutual.Evidence.Claims, want, mutual.Evidence)
	}
	// Two insurers of ship1, one added before ship1 gains its chain as
	// ship2's insurer and one after, score the same, through ship1's
	// chain as a shipper.
	aa, zz := find(rep, "ent:aa-cover"), find(rep, "ent:zz-cover")
	if aa == nil || zz == nil {
		t.Fatalf("the shipper's insurers are not ranked: %+v", rep.Enablers)
	}
	if aa.Score != zz.Score || aa.Chains[0].Strength != 0.5 || len(aa.Chains[0].Links) != len(zz.Chains[0].Links) {
		t.Errorf("insurers of the same shipper scored by the order they were added in: %v %+v, %v %+v", aa.Score, aa.Chains[0].Links, zz.Score, zz.Chains[0].Links)
	}
}

// TestAccessLeavesOutWhatRestsOnHiddenSources: a supply known only from
// a confidential source is no chain for a reader who may not see it, and
// a hidden source cited beside a public one is dropped, not withheld.
func TestAccessLeavesOutWhatRestsOnHiddenSources(t *testing.T) {
	s := storetest.OpenSQLite(t)
	f := newFixture(t, s)
	f.put(&armstrace.Source{ID: "src:secret", Kind: armstrace.SourceDocument, Title: "Informant's account", Access: armstrace.AccessConfidential})
	f.entity("ent:broker", "Streslau Brokers", armstrace.EntityCompany, "OB")
	f.put(&armstrace.Claim{ID: "sup:secret", Kind: armstrace.ClaimSupplied, Subject: "ent:broker", Object: "ent:rt-army", Status: armstrace.StatusVerified, Confidence: 0.9,
		Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{Weapon: "ent:w:t-72", OrderYear: 2012}}, Citations: []armstrace.Citation{{Source: "src:secret"}}})
	f.put(&armstrace.Claim{ID: "sup:both", Kind: armstrace.ClaimSupplied, Subject: "ent:ka", Object: "ent:rt-army", Status: armstrace.StatusVerified, Confidence: 0.9,
		Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{Weapon: "ent:w:t-72", OrderYear: 2012}}, Citations: []armstrace.Citation{{Source: "src:secret"}, {Source: "src:t"}}})
	all, err := graph.Enablers(ctx, s, graph.Scope{Country: "RT", Since: "2015", Until: "2015"})
	if err != nil {
		t.Fatal(err)
	}
	if find(all, "ent:broker") == nil {
		t.Fatalf("the broker is not ranked for a reader who sees everything: %+v", all.Enablers)
	}
	rep, err := graph.Enablers(ctx, s, graph.Scope{Country: "RT", Since: "2015", Until: "2015", Access: []armstrace.Access{armstrace.AccessPublic}})
	if err != nil {
		t.Fatal(err)
	}
	if e := find(rep, "ent:broker"); e != nil {
		t.Errorf("a supply known only from a confidential source is ranked for a public reader: %+v", e)
	}
	for _, e := range rep.Enablers {
		for _, c := range e.Chains {
			for _, l := range c.Links {
				for _, ci := range l.Citations {
					if ci.Source == "src:secret" || ci.Withheld {
						t.Errorf("%s cites the hidden source: %+v", l.Claim, ci)
					}
				}
			}
		}
	}
	if ka := find(rep, "ent:ka"); ka == nil || ka.Evidence.Sources != 1 {
		t.Errorf("Kazakia's evidence for a public reader: %+v", ka)
	}
}
