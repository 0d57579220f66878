package extract_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/extract"
)

type labelled struct {
	ID        string         `json:"id"`
	Published armstrace.Date `json:"published"`
	Text      string         `json:"text"`
	Expect    []struct {
		Kind    string `json:"kind"`
		Subject string `json:"subject"`
		Object  string `json:"object"`
	} `json:"expect"`
}

// Floors for the labelled set. They are below the figures the rules
// reach today, so that a change that loses ground fails here.
const (
	minPrecision        = 0.85
	minRecall           = 0.80
	minHeldOutPrecision = 0.5
	minHeldOutRecall    = 0.5
)

// TestEvaluation runs extraction over paragraphs written for the tests,
// each with the proposals a careful reader expects, and measures
// precision and recall of the proposals by kind and both ends: on the
// set the rules were built against, and on held-out sets written after
// them (their floors are lower: they say how the rules do on text they
// were not built on). Each held-out set's failure classes, described
// without its sentences, were then fixed as general rules, and a new set
// written before the fix measures the result: the newest set is the one
// nothing has been changed with in view.
func TestEvaluation(t *testing.T) {
	t.Run("development", func(t *testing.T) { evaluate(t, "testdata/eval.json", minPrecision, minRecall, 15) })
	t.Run("held-out", func(t *testing.T) { evaluate(t, "testdata/heldout.json", minHeldOutPrecision, minHeldOutRecall, 12) })
	t.Run("held-out-2", func(t *testing.T) { evaluate(t, "testdata/heldout2.json", minHeldOutPrecision, minHeldOutRecall, 12) })
	t.Run("held-out-3", func(t *testing.T) { evaluate(t, "testdata/heldout3.json", minHeldOutPrecision, minHeldOutRecall, 12) })
}

func evaluate(t *testing.T, file string, minPrecision, minRecall float64, minParagraphs int) {
	g := demoGazetteer(t)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Paragraphs []labelled `json:"paragraphs"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Paragraphs) < minParagraphs {
		t.Fatalf("%d paragraphs: the set needs at least %d", len(set.Paragraphs), minParagraphs)
	}
	var tp, fp, fn int
	perKind := map[string][3]int{}
	for _, p := range set.Paragraphs {
		res := g.Extract(p.Text, extract.Options{Published: p.Published})
		var want []string
		for _, e := range p.Expect {
			want = append(want, e.Kind+"|"+e.Subject+"|"+e.Object)
		}
		var got []string
		for _, x := range res.Proposals {
			if !slices.Contains(got, x.Key()) {
				got = append(got, x.Key())
			}
		}
		for _, k := range got {
			kind := strings.Split(k, "|")[0]
			c := perKind[kind]
			if i := slices.Index(want, k); i >= 0 {
				want = slices.Delete(want, i, i+1)
				tp++
				c[0]++
			} else {
				fp++
				c[1]++
				t.Logf("%s: proposed, not expected: %s", p.ID, k)
			}
			perKind[kind] = c
		}
		for _, k := range want {
			fn++
			kind := strings.Split(k, "|")[0]
			c := perKind[kind]
			c[2]++
			perKind[kind] = c
			t.Logf("%s: expected, not proposed: %s", p.ID, k)
		}
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(tp+fn, 1))
	fmt.Printf("extraction on %s, %d labelled paragraphs: precision %.2f (%d of %d proposed), recall %.2f (%d of %d expected)\n",
		file, len(set.Paragraphs), precision, tp, tp+fp, recall, tp, tp+fn)
	kinds := make([]string, 0, len(perKind))
	for k := range perKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		c := perKind[k]
		fmt.Printf("  %-12s right %d, wrong %d, missed %d\n", k, c[0], c[1], c[2])
	}
	if precision < minPrecision || recall < minRecall {
		t.Fatalf("precision %.2f, recall %.2f: below the floors %.2f and %.2f", precision, recall, minPrecision, minRecall)
	}
}

// TestSeedPressRelease runs extraction on the press release armstrace
// started from (read at run time, never copied) and checks the five
// facts it rests on, each citing its sentence.
func TestSeedPressRelease(t *testing.T) {
	g := demoGazetteer(t)
	b, err := os.ReadFile(seedPath(t))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	res := g.Extract(text, extract.Options{})
	if res.Published != "2012-04-12" {
		t.Errorf("publication date %q from the release's own line, want 2012-04-12", res.Published)
	}
	find := func(what string, ok func(p *extract.Proposal) bool) *extract.Proposal {
		t.Helper()
		for _, p := range res.Proposals {
			if ok(p) {
				s := p.Sentence
				if s.Text == "" || !strings.Contains(strings.Join(strings.Fields(text[s.Start:s.End]), " "), s.Text) || !strings.HasPrefix(s.Locator(), "paragraph ") {
					t.Errorf("%s: sentence %+v does not locate its words", what, s)
				}
				if c, _ := extract.Claim("src:hrf-2012-04-12", p); c != nil && (c.Citations[0].Quote != s.Text || c.Citations[0].Locator != s.Locator()) {
					t.Errorf("%s: claim cites %+v, want the sentence", what, c.Citations[0])
				}
				return p
			}
		}
		t.Errorf("no proposal: %s", what)
		return nil
	}
	usd := func(f *extract.Figure, v float64) bool {
		return f != nil && f.Unit == "USD" && (f.Best != nil && *f.Best == v || f.Low != nil && *f.Low == v)
	}
	find("Russia supplied Syria about $1 billion of arms in 2011", func(p *extract.Proposal) bool {
		return p.Key() == "supplied|ent:russia|ent:syria" && usd(p.Amount, 1e9) && p.Date != nil && p.Date.Value == "2011"
	})
	contract := find("the Department of Defense contracted Rosoboronexport for nearly $1 billion", func(p *extract.Proposal) bool {
		return p.Key() == "contracted|ent:us-dod|ent:rosoboronexport" && usd(p.Amount, 1e9) && p.Amount.Qualifier == "nearly" && p.Date != nil && p.Date.Value == "2011"
	})
	if contract != nil {
		if c, why := extract.Claim("src:hrf-2012-04-12", contract); c == nil || c.Status != armstrace.StatusAlleged || c.Attrs.Contract == nil {
			t.Errorf("the contract is no alleged claim with its value: %v %s", c, why)
		}
	}
	misspelt := false
	for _, m := range res.Mentions {
		if m.Text == "Rosobornexport" && m.Entity == "ent:rosoboronexport" {
			misspelt = true
		}
	}
	if !misspelt {
		t.Error("the misspelling Rosobornexport is not resolved to ent:rosoboronexport")
	}
	find("over 9,000 reported killed", func(p *extract.Proposal) bool {
		c := p.Casualties
		return p.Kind == extract.KindKilledIn && c != nil && c.Low != nil && *c.Low == 9000 && strings.Contains(c.Qualifier, "over") && strings.Contains(c.Qualifier, "reportedly")
	})
	find("atrocities reported from Homs", func(p *extract.Proposal) bool {
		return p.Kind == extract.KindAtrocityAt && p.Object.Name == "Homs" && p.Object.Event == "evt:homs-atrocities-2012"
	})
	find("the ceasefire deadline of 12 April 2012", func(p *extract.Proposal) bool {
		return p.Kind == extract.KindCeasefire && p.Date != nil && p.Date.Value == "2012-04-12" && p.Object.Ceasefire == "cf:syria-2012-04-12"
	})
	// The release calls for what it wants; a call is no report.
	for _, p := range res.Proposals {
		if p.Kind == extract.KindSupplied && p.Object.Entity == "ent:united-states" {
			t.Errorf("proposed %s from a call to stop buying", p.Key())
		}
	}
}

func TestRelativeDates(t *testing.T) {
	g := extract.NewGazetteer(nil, nil, nil, nil)
	for _, c := range []struct {
		text, pub string
		want      armstrace.Date
		prec      armstrace.DatePrecision
	}{
		{"A ceasefire in Syria takes effect tomorrow.", "2012-04-12", "2012-04-13", armstrace.PrecisionDay},
		{"A ceasefire in Syria began last year.", "2012-04-12", "2011", armstrace.PrecisionYear},
		{"A ceasefire in Syria was agreed on April 12.", "2012-06-01", "2012-04-12", armstrace.PrecisionDay},
		{"A ceasefire in Syria was agreed in December.", "2013-02-01", "2012-12", armstrace.PrecisionMonth},
		{"A ceasefire in Syria was agreed in 2011.", "", "2011", armstrace.PrecisionYear},
		{"A ceasefire in Syria was agreed three days ago.", "2012-04-12", "2012-04-09", armstrace.PrecisionDay},
		// A day without a year takes the year its tense gives, else the
		// nearest to publication.
		{"A ceasefire in Syria is to take effect on 3 January.", "2011-12-28", "2012-01-03", armstrace.PrecisionDay},
		{"A ceasefire in Syria was agreed on 28 December.", "2012-01-05", "2011-12-28", armstrace.PrecisionDay},
		{"A ceasefire in Syria began on 30 December.", "2012-01-02", "2011-12-30", armstrace.PrecisionDay},
		{"A ceasefire in Syria will begin on Thursday 12 April.", "2012-04-09", "2012-04-12", armstrace.PrecisionDay},
		{"A ceasefire in Syria will begin on Thursday.", "2012-04-09", "2012-04-12", armstrace.PrecisionDay},
	} {
		res := g.Extract(c.text, extract.Options{Published: armstrace.Date(c.pub)})
		if len(res.Proposals) != 1 || res.Proposals[0].Date == nil {
			t.Errorf("%q: %d proposals, want one ceasefire with a date", c.text, len(res.Proposals))
			continue
		}
		if d := res.Proposals[0].Date; d.Value != c.want || d.Precision != c.prec {
			t.Errorf("%q published %s: date %s (%s), want %s (%s)", c.text, c.pub, d.Value, d.Precision, c.want, c.prec)
		}
	}
	res := g.Extract("A ceasefire in Syria starts this week.", extract.Options{Published: "2012-04-12"})
	if d := res.Proposals[0].Date; d.From != "2012-04-09" || d.To != "2012-04-15" || d.Precision != armstrace.PrecisionWeek {
		t.Errorf("this week: %+v, want 2012-04-09…2012-04-15", d)
	}
}

func TestHTMLText(t *testing.T) {
	got := extract.HTMLText(`<html><head><title>T</title><style>p{}</style></head><body><script>var a="<p>no</p>";</script><p>Arms &amp; men&#8217;s <b>kit</b>.</p><!-- hidden --><p>Next</p></body></html>`)
	norm := strings.Join(strings.Fields(got), " ")
	if norm != "Arms & men’s kit. Next" {
		t.Fatalf("text %q", norm)
	}
	if !strings.Contains(got, "kit.\n\n") {
		t.Errorf("paragraphs not kept apart: %q", got)
	}
}

func TestClaimIDsAreStable(t *testing.T) {
	g := demoGazetteer(t)
	text := "Rosoboronexport sold 12 helicopters to Syria in 2011."
	a := g.Extract(text, extract.Options{})
	b := g.Extract(text, extract.Options{})
	if len(a.Proposals) != 1 {
		t.Fatalf("%d proposals, want 1", len(a.Proposals))
	}
	ca, _ := extract.Claim("src:x", a.Proposals[0])
	cb, _ := extract.Claim("src:x", b.Proposals[0])
	cc, _ := extract.Claim("src:y", b.Proposals[0])
	if ca == nil || ca.ID != cb.ID || ca.ID == cc.ID {
		t.Fatalf("ids %v %v %v: want equal for one source, different for another", ca, cb, cc)
	}
}
