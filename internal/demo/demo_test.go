package demo_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/jsonl"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// load imports the bundled dataset through the real reader and store.
func load(t *testing.T, s *store.Store) []armstrace.Record {
	t.Helper()
	ctx := context.Background()
	b, err := s.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback()
	r := jsonl.NewReader(bytes.NewReader(demo.Data), "demo.jsonl")
	var recs []armstrace.Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Put(rec); err != nil {
			t.Fatalf("demo.jsonl:%d: %v", r.Line(), err)
		}
		recs = append(recs, rec)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestDatasetLoadsAndEveryLinkIsSourced(t *testing.T) {
	s := storetest.OpenSQLite(t)
	recs := load(t, s)
	cited := map[string]bool{}
	for _, r := range recs {
		var cs []armstrace.Citation
		switch v := r.(type) {
		case *armstrace.Claim:
			cs = v.Citations
		case *armstrace.Event:
			cs = v.Citations
		case *armstrace.Ceasefire:
			cs = v.Citations
		case *armstrace.Entity:
			cs = v.Citations
		}
		for i, c := range cs {
			cited[c.Source] = true
			if c.Locator == "" {
				t.Errorf("%s %s: citation %d has no locator", r.RecordType(), r.RecordID(), i)
			}
		}
	}
	srcs, err := s.FindSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range srcs {
		if !cited[src.ID] {
			t.Errorf("source %s is never cited", src.ID)
		}
	}
}

// The press release is not ours to redistribute: the dataset quotes it
// only in a few short clauses, where a figure or a name rests on its words.
func TestPressReleaseIsQuotedSparingly(t *testing.T) {
	s := storetest.OpenSQLite(t)
	recs := load(t, s)
	quotes := map[string]bool{}
	for _, r := range recs {
		c, ok := r.(*armstrace.Claim)
		if !ok {
			continue
		}
		for _, ci := range c.Citations {
			if ci.Source == "src:hrf-2012-04-12" && ci.Quote != "" {
				quotes[ci.Quote] = true
			}
		}
	}
	words := 0
	for q := range quotes {
		words += len(strings.Fields(q))
	}
	if words > 60 {
		t.Fatalf("the press release is quoted in %d words; keep it under 60", words)
	}
}

func TestDatasetHoldsTheFactsOfTheBrief(t *testing.T) {
	s := storetest.OpenSQLite(t)
	load(t, s)
	ctx := context.Background()

	roe, err := s.FindEntityByID(ctx, "ent:rosoboronexport")
	if err != nil {
		t.Fatal(err)
	}
	names := roe.Names()
	for _, want := range []string{"Рособоронэкспорт", "ROSOBORONEKSPORT OAO", "Rosobornexport"} {
		if !slices.Contains(names, want) {
			t.Errorf("Rosoboronexport lacks the name %q", want)
		}
	}
	for _, want := range []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}, {Scheme: "ru-ogrn", Value: "1117746521452"}} {
		if !slices.Contains(roe.Identifiers, want) {
			t.Errorf("Rosoboronexport lacks identifier %v", want)
		}
	}
	// Found by its Cyrillic name and by the misspelling of the release.
	for _, q := range []string{"рособоронэкспорт", "Rosobornexport"} {
		es, err := s.FindEntities(ctx, armstrace.EntityFilter{NameLike: q})
		if err != nil || len(es) != 1 || es[0].ID != roe.ID {
			t.Errorf("search %q: %v %v", q, es, err)
		}
	}

	k, err := s.FindClaimByID(ctx, "clm:roe-dod-mi17-contract")
	if err != nil {
		t.Fatal(err)
	}
	if c := k.Attrs.Contract; c == nil || c.AwardID != "W58RGZ-11-C-0072" || c.Signed != "2011-05-26" || c.Value == nil || !c.Value.Approximate {
		t.Errorf("the DoD contract is not recorded as the brief gives it: %+v", k.Attrs.Contract)
	}
	arms, err := s.FindClaimByID(ctx, "clm:russia-syria-arms-2011")
	if err != nil {
		t.Fatal(err)
	}
	if v := arms.Attrs.Transfer.Value; v == nil || *v.Best != 1e9 || !v.Approximate || arms.Status != armstrace.StatusAlleged {
		t.Errorf("the $1bn of 2011 must be an approximate, alleged figure: %+v", arms)
	}
	made, err := s.FindClaims(ctx, armstrace.ClaimFilter{Kind: armstrace.ClaimManufactured, Object: "ent:weapon:mi-17"})
	if err != nil || len(made) != 1 || made[0].Subject != "ent:kazan-helicopter-plant" {
		t.Errorf("Mi-17 manufacturer: %v %v", made, err)
	}
	if _, err := s.FindCeasefireByID(ctx, "cf:syria-2012-04-12"); err != nil {
		t.Error(err)
	}
	evs, err := s.FindEvents(ctx, armstrace.EventFilter{Country: "SY", Since: "2012", Until: "2012"})
	if err != nil || len(evs) == 0 {
		t.Errorf("no 2012 events in Syria: %v", err)
	}
}

func TestStoryWalksTheChain(t *testing.T) {
	s := storetest.OpenSQLite(t)
	load(t, s)
	steps, err := demo.Story(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != len(demo.Chain) {
		t.Fatalf("%d steps, want %d", len(steps), len(demo.Chain))
	}
	var buf bytes.Buffer
	if err := demo.Write(&buf, steps); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// The story's links appear in chain order, each with its sources.
	order := []string{"Homs", "Russian-made weapons", "Russia —supplied→ Syria", "Rosoboronexport —supplied→ Syria", "—contracted→ Rosoboronexport", "W58RGZ-11-C-0072", "Kazan Helicopter Plant —manufactures→ Mi-17", "—sanctioned→ Rosoboronexport", "Syria ceasefire of 12 April 2012"}
	at := 0
	for _, want := range order {
		i := strings.Index(out[at:], want)
		if i < 0 {
			t.Fatalf("story lacks %q after byte %d:\n%s", want, at, out)
		}
		at += i
	}
	// Deliveries in 2011 come from the SIPRI rows in the store.
	var deliveries int
	for _, l := range steps[2].Links {
		if l.Claim != nil && l.Claim.Attrs.Transfer != nil && slices.Contains(l.Claim.Attrs.Transfer.DeliveryYears, 2011) {
			deliveries++
		}
	}
	if deliveries < 3 {
		t.Errorf("only %d SIPRI deliveries of 2011 in the story", deliveries)
	}
	for _, st := range steps {
		for _, l := range st.Links {
			if len(l.Sources) == 0 {
				t.Errorf("%q: a link without sources: %s", st.Title, l.Text)
			}
		}
	}
	if strings.Count(out, "←") < 20 {
		t.Errorf("the story cites only %d sources", strings.Count(out, "←"))
	}
}

func TestStoryFailsWhenALinkIsMissing(t *testing.T) {
	s := storetest.OpenSQLite(t)
	load(t, s)
	if err := s.DeleteClaim(context.Background(), "clm:kazan-makes-mi17"); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Story(context.Background(), s); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
		t.Fatalf("story with a missing claim: %v", err)
	}
}
