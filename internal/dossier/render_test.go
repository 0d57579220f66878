package dossier

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"github.com/armstrace/armstrace/internal/report"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
)

const awardID = "W58RGZ-11-C-0072"

// fixture is a hand-built dossier on a Rosoboronexport-like subject. It
// has something in every part but procurement restrictions (part 4), so
// that an empty part is tested too.
func fixture() *Dossier {
	subject := graph.Node{ID: "ent-rosoboronexport", Type: "entity", Name: "Rosoboronexport", Kind: "company", Country: "RU"}
	syria := graph.Node{ID: "ent-syria", Type: "entity", Name: "Syria", Kind: "state", Country: "SY"}
	india := graph.Node{ID: "ent-india", Type: "entity", Name: "India", Kind: "state", Country: "IN"}
	homs := graph.Node{ID: "evt-homs-baba-amr-2012", Type: "event", Name: "Shelling of Baba Amr, Homs", Kind: "shelling", Country: "SY"}
	russianWeapons := graph.Node{ID: "ent-weapons-russian", Type: "entity", Name: "Russian-made weapons (category)", Kind: "weapon_model", Country: "RU"}
	rostec := graph.Node{ID: "ent-rostec", Type: "entity", Name: "Rostec", Kind: "company", Country: "RU"}
	acc := graph.Node{ID: "ent-us-army-acc", Type: "entity", Name: "US Army Contracting Command", Kind: "agency", Country: "US"}
	veb := graph.Node{ID: "ent-veb", Type: "entity", Name: "VEB.RF", Kind: "company", Country: "RU"}
	ofac := graph.Node{ID: "ent-ofac", Type: "entity", Name: "US Treasury, Office of Foreign Assets Control", Kind: "agency", Country: "US"}

	sipri := graph.Citation{Source: "src-sipri-2024", Title: "SIPRI Arms Transfers Database", Publisher: "Stockholm International Peace Research Institute",
		Published: "2024-03-11", Version: "2024-03-11", URL: "https://www.sipri.org/databases/armstransfers",
		SHA256: strings.Repeat("a1", 32), Reliability: "A", Access: "public"}
	sdn := graph.Citation{Source: "src-ofac-sdn-2024-04", Title: "Specially Designated Nationals and Blocked Persons List", Publisher: "US Department of the Treasury",
		Published: "2024-04-12", URL: "https://sanctionslist.ofac.treas.gov/", SHA256: strings.Repeat("b2", 32), Reliability: "A", Access: "public",
		Locator: "entry 18714", Quote: "ROSOBORONEKSPORT OAO (a.k.a. ROSOBORONEXPORT) ... [SYRIA] [UKRAINE-EO13662]"}
	coi := graph.Citation{Source: "src-un-coi-2012-a-hrc-21-50", Title: "Report of the independent international commission of inquiry on the Syrian Arab Republic",
		Publisher: "UN Human Rights Council", Published: "2012-08-16", URL: "https://undocs.org/A/HRC/21/50",
		SHA256: strings.Repeat("c3", 32), Reliability: "B", Access: "public",
		Locator: "annex IV, para. 12", Quote: "Government forces shelled Baba Amr with heavy weapons of Russian manufacture."}
	usaspending := graph.Citation{Source: "src-usaspending-w58rgz11c0072", Title: "Contract award " + awardID, Publisher: "USAspending.gov",
		Published: "2011-05-26", URL: "https://www.usaspending.gov/award/CONT_AWD_W58RGZ11C0072_9700_-NONE-_-NONE-",
		SHA256: strings.Repeat("d4", 32), Reliability: "A", Access: "public", Locator: "award summary"}
	registry := graph.Citation{Source: "src-egrul-7718852163", Title: "Unified State Register of Legal Entities: extract for INN 7718852163",
		Publisher: "Federal Tax Service of Russia", Published: "2024-01-10", SHA256: strings.Repeat("e5", 32), Reliability: "A", Access: "public",
		Locator: "sections 1–3"}
	withheld := graph.Citation{Source: "withheld", Title: "a confidential source (withheld)", Access: "confidential", Withheld: true}
	retractedNews := graph.Citation{Source: "src-news-2013-s300", Title: "Russia said to deliver S-300 batteries to Damascus", Publisher: "Example Wire",
		Published: "2013-05-30", SHA256: strings.Repeat("f6", 32), Reliability: "D", Access: "public"}
	letter := graph.Citation{Source: "src-outreach-2024-03-01", Title: "Letter to Rosoboronexport inviting comment", Published: "2024-03-01",
		SHA256: strings.Repeat("07", 32), Access: "restricted"}

	observed := graph.Link{Claim: "clm-obs-homs-1", Kind: armstrace.ClaimObservedAt, From: russianWeapons, To: homs,
		Status: armstrace.StatusVerified, Confidence: 0.8, Strength: 0.5,
		Basis:  "verified: confidence 0.80; capped at 0.50: identified by category or origin only",
		Period: "2012-02", Detail: "artillery and rocket remnants identified as Russian-made", Citations: []graph.Citation{coi}}
	suppliedSyria := graph.Link{Claim: "clm-sipri-syr-pantsyr", Kind: armstrace.ClaimSupplied, From: subject, To: syria,
		Status: armstrace.StatusVerified, Confidence: 0.9, Strength: 0.45,
		Basis:  "verified: confidence 0.90; capped at 0.50: only the supplier's country matches the origin seen",
		Period: "2008 to 2013", Detail: "36 ordered × Pantsyr-S1 (mobile air defence system)", Citations: []graph.Citation{sipri}}
	suppliedKornet := graph.Link{Claim: "clm-sipri-syr-kornet", Kind: armstrace.ClaimSupplied, From: subject, To: syria,
		Status: armstrace.StatusVerified, Confidence: 0.9, Strength: 0.9, Basis: "verified: confidence 0.90",
		Period: "2009 to 2011", Detail: "9M133 Kornet (anti-tank missile)", Citations: []graph.Citation{sipri}}
	suppliedIndia := graph.Link{Claim: "clm-sipri-ind-su30", Kind: armstrace.ClaimSupplied, From: subject, To: india,
		Status: armstrace.StatusVerified, Confidence: 0.95, Strength: 0.95, Basis: "verified: confidence 0.95",
		Period: "2013", Detail: "Su-30MKI (FGA aircraft)", Citations: []graph.Citation{sipri}}

	return &Dossier{
		Schema:    SchemaVersion,
		Generated: time.Date(2024, 4, 15, 10, 0, 0, 0, time.UTC),
		Subject:   subject,
		Query:     "Рособоронэкспорт",
		Identity: Identity{
			ID: subject.ID, Name: "Rosoboronexport", Kind: "company", Country: "RU",
			Description: "Russian state intermediary for exports and imports of military products.",
			Names: []Name{
				{Value: "Rosoboronexport", Kind: "primary", Script: "Latn"},
				{Value: "Рособоронэкспорт", Kind: "alias", Script: "Cyrl"},
				{Value: "Rosoboroneksport OAO", Kind: "alias", Script: "Latn"},
				{Value: "FGUP Rosoboronexport", Kind: "former", Script: "Latn"},
			},
			Transliteration: []string{"Rosoboroneksport"},
			Identifiers:     []Identifier{{Scheme: "ru-inn", Value: "7718852163"}, {Scheme: "ru-ogrn", Value: "1117746521452"}},
			Match:           &Match{Score: 0.97, Band: "sure", AliasMet: "Рособоронэкспорт", Explanation: "exact match on a Cyrillic alias after normalisation"},
			Citations:       []graph.Citation{registry},
		},
		Ownership: Ownership{
			Owners: []graph.Link{{Claim: "clm-own-rostec", Kind: armstrace.ClaimOwns, From: rostec, To: subject,
				Status: armstrace.StatusVerified, Confidence: 0.95, Strength: 0.95, Basis: "verified: confidence 0.95",
				Period: "from 2011", Detail: "100% of shares", Citations: []graph.Citation{registry}}},
		},
		Sanctions: []Sanction{{
			Body: "United States (OFAC)", Programs: []string{"SYRIA", "UKRAINE-EO13662"},
			LegalBasis: "Executive Order 13582; Executive Order 13662", Listed: "2015-12-22", EntryID: "18714", State: "in force",
			Link: graph.Link{Claim: "clm-sdn-18714", Kind: armstrace.ClaimSanctioned, From: ofac, To: subject,
				Status: armstrace.StatusVerified, Confidence: 1, Strength: 1, Basis: "verified: confidence 1.00",
				Period: "from 2015-12-22", Citations: []graph.Citation{sdn}},
		}},
		Transfers: Transfers{
			Rows: []TransferRow{
				{Recipient: syria, HighRisk: true, HighRiskReason: "its forces are documented committing atrocities (UN COI)",
					Weapon: "Pantsyr-S1", Description: "mobile air defence system", NumberOrdered: "36", NumberDelivered: "36",
					OrderYear: 2007, DeliveryYears: []int{2008, 2009, 2010, 2011, 2013}, TIVDelivered: 190.4,
					Uncertain: []string{"number_ordered", "order_year"}, Link: suppliedSyria},
				{Recipient: syria, HighRisk: true, HighRiskReason: "its forces are documented committing atrocities (UN COI)",
					Weapon: "9M133 Kornet", Description: "anti-tank missile", NumberOrdered: "1000", NumberDelivered: "1000",
					OrderYear: 2008, DeliveryYears: []int{2009, 2010, 2011}, TIVDelivered: 30,
					Uncertain: []string{"number_delivered"}, Link: suppliedKornet},
				{Recipient: india, Weapon: "Su-30MKI", Description: "FGA aircraft", NumberOrdered: "42", NumberDelivered: "42",
					OrderYear: 2012, DeliveryYears: []int{2013}, TIVDelivered: 45, Link: suppliedIndia},
			},
			ByYear: []YearTIV{{2008, 12.5}, {2009, 45}, {2010, 60}, {2011, 80.4}, {2012, 0}, {2013, 67.5}},
			Note:   "SIPRI covers major conventional weapons; small arms, light weapons and ammunition are not in its data.",
		},
		Misuse: Misuse{
			Chains: []graph.Chain{{Path: "weapon", Strength: 0.45, Weakest: 1, Links: []graph.Link{observed, suppliedSyria}}},
			Events: []MisuseEvent{{Event: homs, Date: "2012-02-04 to 2012-03-01", Place: "Baba Amr, Homs, Syria", Grade: "B",
				Fatalities: "700", Strength: 0.45}},
		},
		Partners: []Partner{
			{Entity: acc, Role: graph.RoleBuyer, Link: graph.Link{Claim: "clm-award-w58rgz-11-c-0072", Kind: armstrace.ClaimContracted,
				From: acc, To: subject, Status: armstrace.StatusVerified, Confidence: 1, Strength: 0.7,
				Basis: "verified: confidence 1.00", Period: "2011-05-26",
				Detail:    "award " + awardID + "; 21 Mi-17V-5 helicopters for the Afghan Air Force; USD 367,500,000",
				Citations: []graph.Citation{usaspending}}},
			{Entity: veb, Role: graph.RoleFinancier, Link: graph.Link{Claim: "clm-fin-veb", Kind: armstrace.ClaimFinanced,
				From: veb, To: subject, Status: armstrace.StatusAlleged, Confidence: 0.6, Strength: 0.48,
				Basis: "alleged, not yet reviewed: confidence 0.60 × 0.8", Period: "2012",
				Citations: []graph.Citation{withheld}}},
		},
		Criteria: []Criterion{
			{ID: "att-6-3", Title: "ATT article 6(3): knowledge of use in atrocity crimes",
				Test:    "Did the subject supply arms to a state whose forces it knew, or had reason to know, would use them in genocide, crimes against humanity or war crimes?",
				Finding: "evidence present",
				Evidence: []string{"Part 5: 2 deals with Syria delivered 2008–2013, 220.4 million TIV",
					"Part 6: Shelling of Baba Amr, Homs, linked at strength 0.45"}},
			{ID: "att-7", Title: "ATT article 7: overriding risk", Test: "Was there an overriding risk of serious violations of international humanitarian law?",
				Finding: "evidence present", Evidence: []string{"Part 6: 1 event, verified"}},
			{ID: "gpfg-4b", Title: "GPFG guidelines §4(b): violations in war or conflict", Test: "Does the company contribute to serious violations of the rights of individuals in war or conflict?",
				Finding: "no evidence in the graph"},
		},
		Outreach: Outreach{
			Entries: []OutreachEntry{{Date: "2024-03-01", Title: "Letter to Rosoboronexport inviting comment on the findings", Source: letter}},
			Note:    "No reply had been received by the as-of date.",
		},
		Provenance: Provenance{
			AsOf: time.Date(2024, 4, 15, 10, 0, 0, 0, time.UTC),
			Datasets: []Dataset{
				{Source: "src-sipri-2024", Title: "SIPRI Arms Transfers Database", Version: "2024-03-11", SHA256: strings.Repeat("a1", 32), Imported: "2024-03-20"},
				{Source: "src-ofac-sdn-2024-04", Title: "OFAC SDN list", Version: "2024-04-12", SHA256: strings.Repeat("b2", 32), Imported: "2024-04-13"},
			},
			Methodology: []string{
				"A chain is as strong as its weakest link; contested and retracted claims are never counted.",
				"A weapon identified only by its origin caps a link at 0.50.",
			},
			Appendix: []graph.Citation{registry, sdn, sipri, coi, usaspending, letter, withheld},
		},
		NotCounted: []graph.Link{{Claim: "clm-news-s300", Kind: armstrace.ClaimSupplied, From: subject, To: syria,
			Status: armstrace.StatusRetracted, Confidence: 0.4, Strength: 0, Basis: "retracted: not counted as support",
			Period: "2013", Detail: "S-300PMU-2 air defence systems", Citations: []graph.Citation{retractedNews}}},
		Withheld:     1,
		SectionTitle: DefaultTitles[:],
	}
}

func render(t *testing.T, d *Dossier, format string) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, d, format); err != nil {
		t.Fatalf("Render %s: %v", format, err)
	}
	return b.String()
}

// section returns the HTML of <section id="id">, up to its end.
func section(t *testing.T, html, id string) string {
	t.Helper()
	start := strings.Index(html, `<section id="`+id+`">`)
	if start < 0 {
		t.Fatalf("no section %s", id)
	}
	end := strings.Index(html[start:], "</section>")
	if end < 0 {
		t.Fatalf("section %s is not closed", id)
	}
	return html[start : start+end]
}

func TestRenderUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	err := Render(&b, fixture(), "pdf")
	var e *armstrace.Error
	if !errors.As(err, &e) || e.Code != armstrace.EINVALID || e.Field != "format" {
		t.Fatalf("Render pdf = %v, want an EINVALID error on format", err)
	}
	if !strings.Contains(armstrace.ErrorMessage(err), "pdf") {
		t.Errorf("message %q does not name the format asked for", armstrace.ErrorMessage(err))
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes for an unknown format", b.Len())
	}
}

func TestRenderHTMLHasTenPartsInOrder(t *testing.T) {
	html := render(t, fixture(), "html")
	last := -1
	for i, title := range DefaultTitles {
		id := "part-" + strconv.Itoa(i+1)
		want := `<section id="` + id + `">`
		at := strings.Index(html, want)
		if at < 0 {
			t.Fatalf("no %s", want)
		}
		if at < last {
			t.Errorf("%s is out of order", id)
		}
		last = at
		sec := section(t, html, id)
		h2 := regexp.MustCompile(`<h2><span class="n">(\d+)\.</span>([^<]*)</h2>`).FindStringSubmatch(sec)
		if h2 == nil || h2[1] != strings.TrimPrefix(id, "part-") || h2[2] != title {
			t.Errorf("%s heading = %q, want %d. %s", id, h2, i+1, title)
		}
	}
	for _, want := range []string{"<h1 id=\"subject\">Rosoboronexport</h1>", "15 April 2024, 10:00 UTC", `datetime="2024-04-15T10:00:00Z"`,
		`class="summary"`, "Рособоронэкспорт", "7718852163", "UKRAINE-EO13662", "SYRIA", "@media print"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestRenderHTMLIsSelfContained(t *testing.T) {
	html := render(t, fixture(), "html")
	for _, bad := range []string{"<script", "<link ", `src="http`, "@import", "url(http"} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML contains %q: the page must need nothing from the network", bad)
		}
	}
}

func TestRenderSectionTitlesFallBack(t *testing.T) {
	d := fixture()
	d.SectionTitle = []string{"Who they are", "", "Listings"}
	html := render(t, d, "html")
	for id, want := range map[string]string{"part-1": "Who they are", "part-2": DefaultTitles[1], "part-3": "Listings", "part-10": DefaultTitles[9]} {
		if !strings.Contains(section(t, html, id), "</span>"+want+"</h2>") {
			t.Errorf("%s is not titled %q", id, want)
		}
	}
	if len(d.SectionTitle) != 3 {
		t.Errorf("Render changed the dossier's titles to %v", d.SectionTitle)
	}
}

func TestRenderAwardIDInEveryFormat(t *testing.T) {
	for _, f := range Formats {
		if out := render(t, fixture(), f); !strings.Contains(out, awardID) {
			t.Errorf("%s lacks the award id %s", f, awardID)
		}
	}
	part7 := section(t, render(t, fixture(), "html"), "part-7")
	for _, want := range []string{"US Army Contracting Command", "buyer", awardID, "USAspending.gov", "award summary"} {
		if !strings.Contains(part7, want) {
			t.Errorf("part 7 lacks %q", want)
		}
	}
}

func TestRenderHTMLMarksUncertainFigures(t *testing.T) {
	part5 := section(t, render(t, fixture(), "html"), "part-5")
	rows := regexp.MustCompile(`(?s)<tr class="[^"]*">(.*?)</tr>`).FindAllStringSubmatch(part5, -1)
	if len(rows) != 3 {
		t.Fatalf("transfer table has %d rows, want 3", len(rows))
	}
	cells := func(row string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(row, -1) {
			out = append(out, m[1])
		}
		return out
	}
	const (
		colOrdered   = 4
		colOrderYear = 5
		colDelivered = 7
	)
	mark := `<sup class="unc" title="uncertain in the source">?</sup>`
	pantsyr := cells(rows[0][1])
	if pantsyr[colOrdered] != "36"+mark || pantsyr[colOrderYear] != "2007"+mark {
		t.Errorf("Pantsyr ordered %q, order year %q: want both marked uncertain", pantsyr[colOrdered], pantsyr[colOrderYear])
	}
	if strings.Contains(pantsyr[colDelivered], mark) {
		t.Errorf("Pantsyr delivered %q is marked, but the source does not call it uncertain", pantsyr[colDelivered])
	}
	kornet := cells(rows[1][1])
	if kornet[colDelivered] != "1000"+mark || strings.Contains(kornet[colOrdered], mark) {
		t.Errorf("Kornet ordered %q, delivered %q: want only delivered marked", kornet[colOrdered], kornet[colDelivered])
	}
	if su30 := rows[2][1]; strings.Contains(su30, mark) {
		t.Errorf("Su-30MKI row has an uncertainty mark: %s", su30)
	}
	if !strings.Contains(part5, `id="uncertainty-legend"`) {
		t.Error("part 5 has uncertain figures but no legend for the mark")
	}
	if !strings.Contains(pantsyr[1], "high risk") || strings.Contains(rows[2][1], "high risk") {
		t.Error("high-risk recipients are not flagged, or a low-risk one is")
	}

	d := fixture()
	for i := range d.Transfers.Rows {
		d.Transfers.Rows[i].Uncertain = nil
	}
	if strings.Contains(render(t, d, "html"), "uncertainty-legend") {
		t.Error("legend shown with no uncertain figure")
	}
}

func TestRenderHTMLChartHasOneBarPerYearWithData(t *testing.T) {
	part5 := section(t, render(t, fixture(), "html"), "part-5")
	bars := regexp.MustCompile(`<rect class="bar" data-year="(\d+)" data-tiv="([^"]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"`).FindAllStringSubmatch(part5, -1)
	var got []string
	for _, b := range bars {
		got = append(got, b[1]+":"+b[2])
	}
	want := []string{"2008:12.5", "2009:45", "2010:60", "2011:80.4", "2013:67.5"} // 2012 delivered nothing
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bars (-want +got):\n%s", diff)
	}
	// Taller for more TIV, and left to right by year.
	heights := map[string]string{}
	prevX := -1.0
	for _, b := range bars {
		heights[b[1]] = b[6]
		var x float64
		if err := json.Unmarshal([]byte(b[3]), &x); err != nil || x <= prevX {
			t.Errorf("bar %s at x=%s is not right of the one before", b[1], b[3])
		}
		prevX = x
	}
	if !(len(heights["2011"]) > 0 && atof(t, heights["2011"]) > atof(t, heights["2010"]) && atof(t, heights["2010"]) > atof(t, heights["2008"])) {
		t.Errorf("bar heights %v do not follow TIV", heights)
	}
	for _, want := range []string{"Year of delivery", "TIV delivered (millions)", ">2008</text>", ">2013</text>", "<title id=\"tiv-title\">"} {
		if !strings.Contains(part5, want) {
			t.Errorf("chart lacks %q", want)
		}
	}

	d := fixture()
	d.Transfers.ByYear = nil
	if p := section(t, render(t, d, "html"), "part-5"); strings.Contains(p, `class="bar"`) || !strings.Contains(p, "No year has TIV delivered") {
		t.Error("with no TIV by year, part 5 should say so and draw no bars")
	}
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return f
}

func TestRenderEscapesNames(t *testing.T) {
	const evil = `Evil <script>alert("x")</script> & Sons`
	d := fixture()
	d.Subject.Name = evil
	d.Identity.Name = evil
	d.Partners[0].Entity.Name = evil
	d.Partners[0].Link.From.Name = evil
	d.Misuse.Chains[0].Links[1].From.Name = evil
	d.Transfers.Rows[0].Link.Citations[0].Quote = `<img src=x onerror=alert(1)>`
	d.Transfers.Rows[0].Link.Citations[0].URL = `javascript:alert(1)`

	html := render(t, d, "html")
	for _, bad := range []string{"<script>", "<img", `href="javascript:`} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML contains %q unescaped", bad)
		}
	}
	if !strings.Contains(html, "Evil &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons") {
		t.Error("the name is not shown escaped")
	}

	md := render(t, d, "md")
	if tag := htmlInMarkdown.FindString(md); tag != "" || strings.Contains(md, "](javascript:") {
		t.Errorf("Markdown lets HTML (%q) or a script link through", tag)
	}
	if !strings.Contains(md, `Evil \<script\>alert("x")\</script\> & Sons`) {
		t.Error("the name is not shown escaped in Markdown")
	}
}

func TestRenderEmptyPartsSayNoneRecorded(t *testing.T) {
	html := render(t, fixture(), "html")
	if p := section(t, html, "part-4"); !strings.Contains(p, NoneRecorded) {
		t.Errorf("part 4 is empty in the fixture but does not say %q:\n%s", NoneRecorded, p)
	}
	if p := section(t, html, "part-2"); !strings.Contains(p, "Controllers</h3><p class=\"none\">"+NoneRecorded) {
		t.Error("part 2 has no controllers but does not say so")
	}
	if p := section(t, html, "part-8"); !strings.Contains(p, "No evidence bearing on this test") {
		t.Error("a criterion with no evidence does not say so")
	}

	// An empty dossier: every part says it, in HTML and in Markdown.
	empty := &Dossier{Subject: graph.Node{ID: "ent-x", Type: "entity", Name: "Nobody Ltd"}}
	html = render(t, empty, "html")
	for n := 1; n <= 10; n++ {
		id := "part-" + strconv.Itoa(n)
		if !strings.Contains(section(t, html, id), NoneRecorded) {
			t.Errorf("empty %s does not say %q", id, NoneRecorded)
		}
	}
	if !strings.Contains(section(t, html, "not-counted"), NoneRecorded) {
		t.Error("empty not-counted list does not say so")
	}
	md := render(t, empty, "md")
	parts := regexp.MustCompile(`(?m)^## `).Split(md, -1)[1:]
	if len(parts) != 11 {
		t.Fatalf("Markdown has %d second-level sections, want 10 parts and the not-counted list", len(parts))
	}
	for i, p := range parts {
		if !strings.Contains(p, NoneRecorded) {
			t.Errorf("empty Markdown section %d does not say %q:\n%s", i+1, NoneRecorded, p)
		}
	}
}

func TestRenderNotCountedHasItsOwnList(t *testing.T) {
	html := render(t, fixture(), "html")
	nc := section(t, html, "not-counted")
	for _, want := range []string{"not counted", "retracted", "S-300PMU-2", "Russia said to deliver S-300 batteries to Damascus"} {
		if !strings.Contains(nc, want) {
			t.Errorf("not-counted list lacks %q", want)
		}
	}
	if strings.Contains(section(t, html, "part-5"), "S-300PMU-2") || strings.Contains(section(t, html, "part-6"), "S-300PMU-2") {
		t.Error("a retracted claim is shown among the supplies or chains")
	}
}

func TestRenderHTMLCitesEveryLink(t *testing.T) {
	html := render(t, fixture(), "html")
	links := regexp.MustCompile(`(?s)<div class="link[^"]*">(.*?)</div>`).FindAllStringSubmatch(html, -1)
	if len(links) < 10 {
		t.Fatalf("only %d links shown", len(links))
	}
	for _, l := range links {
		body := l[1]
		for _, want := range []string{"Status <span", "confidence ", "strength "} {
			if !strings.Contains(body, want) {
				t.Errorf("link lacks %q: %s", want, body)
			}
		}
		if !strings.Contains(body, `<ol class="cites">`) && !strings.Contains(body, "withheld (confidential)") {
			t.Errorf("link cites nothing: %s", body)
		}
	}
	part6 := section(t, html, "part-6")
	for _, want := range []string{"annex IV, para. 12", "Government forces shelled Baba Amr with heavy weapons of Russian manufacture.",
		"Report of the independent international commission of inquiry", "Weakest link", "capped at 0.50"} {
		if !strings.Contains(part6, want) {
			t.Errorf("part 6 lacks %q", want)
		}
	}
}

func TestRenderWithheldSourcesShowOnlyACount(t *testing.T) {
	html := render(t, fixture(), "html")
	if !strings.Contains(section(t, html, "part-7"), "1 source withheld (confidential)") {
		t.Error("the partner link's withheld source is not counted")
	}
	if p := section(t, html, "part-10"); !strings.Contains(p, "1 confidential source withheld") || !strings.Contains(p, "withheld confidential source") {
		t.Error("part 10 does not give the withheld count")
	}
	if strings.Contains(html, "a confidential source (withheld)") {
		t.Error("a withheld citation is shown as if it were a source")
	}
	if !strings.Contains(render(t, fixture(), "md"), "1 confidential source withheld") {
		t.Error("Markdown does not give the withheld count")
	}
}

func TestRenderHTMLNetworkIsLayered(t *testing.T) {
	part6 := section(t, render(t, fixture(), "html"), "part-6")
	x := map[string]float64{}
	for _, m := range regexp.MustCompile(`data-id="([^"]+)"><title>[^<]*</title><rect x="([\d.]+)"`).FindAllStringSubmatch(part6, -1) {
		x[m[1]] = atof(t, m[2])
	}
	order := []string{"evt-homs-baba-amr-2012", "ent-weapons-russian", "ent-syria", "ent-rosoboronexport", "ent-us-army-acc"}
	for i, id := range order {
		if _, ok := x[id]; !ok {
			t.Fatalf("network lacks node %s; has %v", id, x)
		}
		if i > 0 && !(x[order[i-1]] < x[id]) {
			t.Errorf("%s (x=%v) is not right of %s (x=%v)", id, x[id], order[i-1], x[order[i-1]])
		}
	}
	if x["ent-rostec"] != x["ent-us-army-acc"] || x["ent-veb"] != x["ent-us-army-acc"] {
		t.Errorf("owners and partners are not in one column: %v", x)
	}
	for _, want := range []string{">observed at</text>", ">supplied</text>", ">contracted</text>", ">owns</text>", `class="edge implied"`} {
		if !strings.Contains(part6, want) {
			t.Errorf("network lacks %q", want)
		}
	}
	// Deterministic: the same dossier draws the same picture.
	if again := section(t, render(t, fixture(), "html"), "part-6"); again != part6 {
		t.Error("two renderings of the same dossier differ")
	}
}

// htmlInMarkdown finds the start of a tag that a Markdown reader would
// pass through as HTML: a < not escaped by a backslash.
var htmlInMarkdown = regexp.MustCompile(`(^|[^\\])<[A-Za-z/!?]`)

func TestRenderMarkdown(t *testing.T) {
	md := render(t, fixture(), "md")
	heads := regexp.MustCompile(`(?m)^## (\d+)\. (.+)$`).FindAllStringSubmatch(md, -1)
	if len(heads) != 10 {
		t.Fatalf("Markdown has %d numbered parts, want 10", len(heads))
	}
	for i, h := range heads {
		if h[1] != strconv.Itoa(i+1) || h[2] != report.MarkdownEscape(DefaultTitles[i]) {
			t.Errorf("part %d heading is %q", i+1, h[0])
		}
	}
	if tag := htmlInMarkdown.FindString(md); tag != "" {
		t.Errorf("Markdown contains HTML: %q", tag)
	}
	for _, want := range []string{
		"# Dossier: Rosoboronexport",
		"| # | Recipient | High risk | Weapon |",
		"| 1 | Syria | yes: its forces are documented committing atrocities (UN COI) | Pantsyr-S1 | mobile air defence system | 36? | 2007? | 2008–2011, 2013 | 36 | 190.4 |",
		"? marks a figure the source gives as uncertain",
		"| 2011 | 80.4 |",
		"  - Source: [SIPRI Arms Transfers Database](https://www.sipri.org/databases/armstransfers)",
		"annex IV, para. 12 (reliability B): “Government forces shelled Baba Amr with heavy weapons of Russian manufacture.”",
		"| ru-inn | 7718852163 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if p := strings.Split(strings.Split(md, "## 4. ")[1], "## 5. ")[0]; !strings.Contains(p, NoneRecorded) {
		t.Errorf("part 4 in Markdown does not say %q", NoneRecorded)
	}
	if strings.Contains(md, "\n\n\n") {
		t.Error("Markdown has runs of blank lines")
	}
	if !strings.Contains(strings.Split(md, "## Claims not counted")[1], "**not counted** (retracted)") {
		t.Error("Markdown does not list the retracted claim as not counted")
	}
}

func TestRenderJSON(t *testing.T) {
	d := fixture()
	out := render(t, d, "json")
	if !strings.HasPrefix(out, "{\n  \"schema\": \"armstrace.dossier/1\",\n  \"generated\": \"2024-04-15T10:00:00Z\",") {
		t.Errorf("JSON does not start with the schema and the time, indented:\n%.200s", out)
	}
	var back Dossier
	if err := json.Unmarshal([]byte(out), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, &back, cmpopts.IgnoreUnexported(graph.Link{}), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("JSON does not round-trip (-want +got):\n%s", diff)
	}
	if again := render(t, d, "json"); again != out {
		t.Error("JSON is not stable")
	}
}

func TestRenderJSONListsAreNeverNull(t *testing.T) {
	d := &Dossier{Subject: graph.Node{ID: "ent-x", Type: "entity", Name: "Nobody Ltd"}, Partners: []Partner{{Entity: graph.Node{ID: "ent-y"}}}}
	out := render(t, d, "json")
	if strings.Contains(out, "null") {
		t.Errorf("JSON has null where a list belongs:\n%s", out)
	}
	for _, want := range []string{`"sanctions": []`, `"names": []`, `"citations": []`, `"schema": "armstrace.dossier/1"`, `"Transfers to high-risk recipients"`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	if d.Sanctions != nil || d.Partners[0].Link.Citations != nil || d.Schema != "" || d.SectionTitle != nil {
		t.Error("Render changed the dossier it was given")
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the fixture")

// TestRenderGolden keeps a rendering of the fixture in JSON and Markdown
// in testdata, as samples of the two forms and as a guard against
// unnoticed changes. Run go test -update to rewrite them after a change
// made on purpose.
func TestRenderGolden(t *testing.T) {
	for _, f := range []string{"json", "md"} {
		path := filepath.Join("testdata", "rosoboronexport."+f)
		got := render(t, fixture(), f)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to write it)", err)
		}
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Errorf("%s differs from the rendering (-want +got); run go test -update if the change is meant:\n%s", path, diff)
		}
	}
}
