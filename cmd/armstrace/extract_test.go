package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/store"
)

// TestExtractWritesAllegedClaimsOnce extracts the demo's bundled report
// citing a source of the demo data: the claimable proposals become
// alleged claims citing their sentences, and a second run adds nothing.
func TestExtractWritesAllegedClaimsOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	mustRun(t, "--db", db, "import", "--format", "jsonl", writeFile(t, "demo.jsonl", string(demo.Data)))
	report := writeFile(t, "report.txt", string(demo.Report))

	var out struct {
		Proposals []struct {
			Kind    string   `json:"kind"`
			Claim   string   `json:"claim"`
			InGraph []string `json:"in_graph"`
		} `json:"proposals"`
		Claimable, Written, Unchanged int
	}
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "--json", "extract", "--source", "src:hrf-2012-04-12", report)), &out); err != nil {
		t.Fatal(err)
	}
	if out.Claimable < 3 || out.Written != out.Claimable || out.Unchanged != 0 {
		t.Fatalf("claimable %d, written %d, unchanged %d: want at least 3 written, all new", out.Claimable, out.Written, out.Unchanged)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range out.Proposals {
		if p.Claim == "" {
			continue
		}
		c, err := s.FindClaimByID(context.Background(), p.Claim)
		if err != nil {
			t.Fatalf("proposal %s: claim %s: %v", p.Kind, p.Claim, err)
		}
		if c.Status != armstrace.StatusAlleged {
			t.Errorf("%s is %s, want alleged: nothing is verified without a reviewer", c.ID, c.Status)
		}
		cit := c.Citations[0]
		if cit.Source != "src:hrf-2012-04-12" || !strings.HasPrefix(cit.Locator, "paragraph ") || !strings.Contains(string(demo.Report), strings.Fields(cit.Quote)[0]) {
			t.Errorf("%s cites %+v, want the source and the sentence", c.ID, cit)
		}
	}
	again := mustRun(t, "--db", db, "extract", "--source", "src:hrf-2012-04-12", report)
	if !strings.Contains(again, "0 claims written") {
		t.Fatalf("second run wrote claims:\n%s", again)
	}
}

func TestExtractPrintsWithoutSource(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	mustRun(t, "--db", db, "import", "--format", "jsonl", writeFile(t, "demo.jsonl", string(demo.Data)))
	page := writeFile(t, "report.html", `<html><head><style>p{color:red}</style><script>var x = "Russia sold Syria tanks";</script></head>
<body><h1>Deliveries</h1><p>Rosoboronexport sold 12 helicopters to Syria in 2011, the group said &amp; others agreed.</p></body></html>`)
	out := mustRun(t, "--db", db, "extract", "--published", "2012-06-20", page)
	for _, want := range []string{"supplied: “Rosoboronexport” [ent:rosoboronexport] → “Syria” [ent:syria]", "date 2011", "already in the graph: clm:roe-syria-supply", "Nothing written"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "tanks") {
		t.Errorf("the script's text was read:\n%s", out)
	}
	n, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	cs, err := n.FindClaims(context.Background(), armstrace.ClaimFilter{Source: "src:hrf-2012-04-12"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if strings.HasPrefix(c.ID, "clm:extract-") {
			t.Fatalf("without --source, %s was written", c.ID)
		}
	}
}

func TestExtractErrorsNameTheFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	mustRun(t, "--db", db, "import", "--format", "jsonl", writeFile(t, "demo.jsonl", string(demo.Data)))
	missing := filepath.Join(t.TempDir(), "missing.txt")
	bad := writeFile(t, "binary.txt", "\xff\xfe\x00bad")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"extract", missing}, 1, "missing.txt: no such file"},
		{[]string{"extract", bad}, 1, "binary.txt: not UTF-8 text"},
		{[]string{"extract", "--source", "src:nope", writeFile(t, "r.txt", "Russia sold arms to Syria.")}, 1, `source "src:nope" is not in`},
		{[]string{"extract", "--published", "12/04/2012", missing}, 2, "--published"},
		{[]string{"extract"}, 2, "give one file"},
	} {
		r := run(t, "", append([]string{"--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("armstrace %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), r.code, r.stderr, c.code, c.want)
		}
	}
}

// TestDemoProposesFromItsReport checks the demo's extraction section:
// the bundled report's proposals are set beside the graph's records.
func TestDemoProposesFromItsReport(t *testing.T) {
	dir := t.TempDir()
	r := run(t, dir, "demo", "--no-serve")
	if r.code != 0 {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	_, section, ok := strings.Cut(r.stdout, "9. A NEW REPORT READ BY RULE")
	if !ok {
		t.Fatalf("no extraction section:\n%s", r.stdout)
	}
	for _, want := range []string{"supplied: Rosoboronexport → Syria", "already in the graph: clm:roe-syria-supply",
		"observed_at: Mi-24 → Homs", "new: would enter the review queue", "already in the graph: cf:syria-2012-04-12"} {
		if !strings.Contains(section, want) {
			t.Errorf("extraction section lacks %q:\n%s", want, section)
		}
	}
	// The report was kept as evidence first, and read back from the store.
	if !strings.Contains(section, "kept as evidence first: source src:demo-report-2012-06") {
		t.Errorf("the report was not kept as a source:\n%s", section)
	}
	if out := mustRun(t, "--db", filepath.Join(dir, "armstrace-demo.db"), "source", "verify"); !strings.Contains(out, "1 stored files checked") || !strings.Contains(out, "0 problems") {
		t.Errorf("source verify after the demo:\n%s", out)
	}
	for _, kept := range []string{"W58RGZ-11-C-0072", "TOP ENABLERS FOR SYRIA"} {
		if !strings.Contains(r.stdout, kept) {
			t.Errorf("demo output lost %q", kept)
		}
	}
}

// TestExtractFromAStoredSource reads a source's stored copy when no file
// is given: the report collected with source add is read from the file
// store (HTML turned to text), its claims cite the source, and the
// reading is in the source's chain of custody; a source with no text to
// read is refused with what to do.
func TestExtractFromAStoredSource(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	mustRun(t, "--db", db, "import", "--format", "jsonl", writeFile(t, "demo.jsonl", string(demo.Data)))
	page := "<html><head><title>x</title><style>p{}</style></head><body><p>" + strings.ReplaceAll(string(demo.Report), "\n\n", "</p>\n<p>") + "</p></body></html>"
	mustRun(t, "--db", db, "source", "add", writeFile(t, "report.html", page), "--id", "src:report", "--title", "Monitors' report", "--access", "public", "--published", "2012-06-20")
	out := mustRun(t, "--db", db, "extract", "--source", "src:report")
	if !strings.Contains(out, "src:report (report.html)") || !strings.Contains(out, "claims written") || !strings.Contains(out, "clm:roe-syria-supply") {
		t.Fatalf("extract from the stored copy:\n%s", out)
	}
	if strings.Contains(out, "p{}") {
		t.Error("the page's style was read as text")
	}
	history := mustRun(t, "--db", db, "source", "history", "src:report")
	if !strings.Contains(history, "extract") {
		t.Errorf("the reading is not in the chain of custody:\n%s", history)
	}
	mustRun(t, "--db", db, "source", "add", writeFile(t, "photo.png", "\x89PNG\r\n\x1a\nnot really"), "--id", "src:photo", "--title", "A photo", "--kind", "media")
	if r := run(t, "", "--db", db, "extract", "--source", "src:photo"); r.code == 0 || !strings.Contains(r.stderr, "no text to read") {
		t.Errorf("a source without text: exit %d\n%s", r.code, r.stderr)
	}
}
