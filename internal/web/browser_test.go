package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/report/browsertest"
	"github.com/armstrace/armstrace/internal/store/storetest"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// screenshotDir is where the browser test leaves its screenshots: in
// $ARMSTRACE_ARTIFACTS when set (CI keeps them), else in a temporary
// folder; the test prints it.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("ARMSTRACE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, "web-ui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserWalkThrough signs in as a viewer in headless Chromium,
// searches for the press release's misspelling, opens the entity, sees
// its supply chain, opens the dossier, runs a batch screen, and checks
// that a confidential source is nowhere on the viewer's pages.
func TestBrowserWalkThrough(t *testing.T) {
	bin := browsertest.Chromium(t)
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	uiUser(t, s, "vera", armstrace.UserViewer, "a long enough password")
	addInformant(t, s)
	dir := screenshotDir(t)
	t.Logf("screenshots: %s", dir)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.WindowSize(1280, 1000),
		chromedp.UserDataDir(browsertest.ProfileDir(t)), chromedp.WSURLReadTimeout(60*time.Second))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	// Events of a newer browser than the protocol package knows are
	// skipped by chromedp and logged; they are noise here.
	quiet := func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "could not unmarshal event") {
			t.Log(msg)
		}
	}
	bctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(quiet))
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 90*time.Second)
	defer cancel()

	shot := func(name string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var png []byte
			if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		})
	}
	var heading, count, entity, chain, dossierPart, screened, viewerText, redacted, precision, netNodes, netEdges, proposals string
	var mapPaths int
	var circleWidth float64
	// Anything the pages' scripts report as an error, or a refusal by
	// the Content-Security-Policy, fails the test.
	var consoleMu sync.Mutex
	var consoleErrors []string
	chromedp.ListenTarget(bctx, func(ev any) {
		consoleMu.Lock()
		defer consoleMu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				consoleErrors = append(consoleErrors, strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			consoleErrors = append(consoleErrors, e.ExceptionDetails.Error())
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.LevelError && !strings.Contains(e.Entry.URL, "favicon") {
				consoleErrors = append(consoleErrors, e.Entry.Text+" "+e.Entry.URL)
			}
		}
	})
	err := chromedp.Run(bctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#name`, chromedp.ByQuery),
		shot("1-login"),
		chromedp.SendKeys(`#name`, "vera", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "a long enough password", chromedp.ByQuery),
		chromedp.Click(`#signin`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q`, chromedp.ByQuery),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.SendKeys(`#q`, "Rosobornexport\n", chromedp.ByQuery),
		chromedp.WaitVisible(`#count`, chromedp.ByQuery),
		chromedp.Text(`#count`, &count, chromedp.ByQuery),
		shot("2-search"),
		chromedp.Click(`ol.results li a`, chromedp.ByQuery),
		chromedp.WaitVisible(`#entity-name`, chromedp.ByQuery),
		chromedp.Text(`#entity-name`, &entity, chromedp.ByQuery),
		chromedp.Text(`main`, &chain, chromedp.ByQuery),
		// The connections drawn by Cytoscape.js in place of the SVG.
		chromedp.WaitVisible(`#network.enhanced .live-network canvas`, chromedp.ByQuery),
		chromedp.AttributeValue(`#network .live-network`, "data-nodes", &netNodes, nil, chromedp.ByQuery),
		chromedp.AttributeValue(`#network .live-network`, "data-edges", &netEdges, nil, chromedp.ByQuery),
		shot("3-entity"),
		chromedp.Click(`#dossier`, chromedp.ByQuery),
		chromedp.WaitVisible(`#part-10`, chromedp.ByQuery),
		chromedp.Text(`#part-6`, &dossierPart, chromedp.ByQuery),
		chromedp.Text(`p.redacted`, &redacted, chromedp.ByQuery),
		chromedp.Text(`body`, &viewerText, chromedp.ByQuery),
		shot("4-dossier"),
		chromedp.Navigate(srv.URL+"/screen"),
		chromedp.WaitVisible(`#names`, chromedp.ByQuery),
		chromedp.SendKeys(`#names`, "Rosobornexport\nРособоронэкспорт\nRosatom", chromedp.ByQuery),
		chromedp.Click(`#screen`, chromedp.ByQuery),
		chromedp.WaitVisible(`#screened`, chromedp.ByQuery),
		chromedp.Text(`#screened`, &screened, chromedp.ByQuery),
		shot("5-screen"),
		chromedp.Navigate(srv.URL+"/events/evt:homs-atrocities-2012"),
		chromedp.WaitVisible(`#map`, chromedp.ByQuery),
		chromedp.Text(`#precision`, &precision, chromedp.ByQuery),
		// Leaflet's map over the bundled outlines, with the event's
		// circle as wide as its location precision.
		chromedp.WaitVisible(`#map.enhanced .leaflet-overlay-pane path.event-area`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#map .leaflet-overlay-pane path").length`, &mapPaths),
		chromedp.Evaluate(`(function(){var p=document.querySelector("#map path.event-area").getBoundingClientRect();return p.width})()`, &circleWidth),
		shot("6-event"),
		// A report read by rule: its proposals beside the graph.
		chromedp.Navigate(srv.URL+"/extract"),
		chromedp.WaitVisible(`#text`, chromedp.ByQuery),
		chromedp.SetValue(`#text`, string(demo.Report), chromedp.ByQuery),
		chromedp.Click(`#propose`, chromedp.ByQuery),
		chromedp.WaitVisible(`#proposals`, chromedp.ByQuery),
		chromedp.Text(`#proposals`, &proposals, chromedp.ByQuery),
		shot("7-extract"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(heading, "Who enables") {
		t.Errorf("after signing in: %q", heading)
	}
	if !strings.HasPrefix(count, "1 result") && !strings.Contains(count, "result(s)") {
		t.Errorf("search: %q", count)
	}
	if entity != "Rosoboronexport" || !strings.Contains(chain, "Syria") || !strings.Contains(chain, "supplied") {
		t.Errorf("entity page: %q\n%s", entity, chain)
	}
	if !strings.Contains(dossierPart, "Homs") || !strings.Contains(redacted, "public") {
		t.Errorf("dossier: misuse %q, redaction note %q", dossierPart, redacted)
	}
	if strings.Count(screened, "Rosoboronexport") < 2 || !strings.Contains(screened, "no match") {
		t.Errorf("batch screen:\n%s", screened)
	}
	if strings.Contains(chain+viewerText+screened, "Informant") {
		t.Error("the viewer's pages show the confidential source")
	}
	if n, _ := strconv.Atoi(netNodes); n < 3 {
		t.Errorf("the interactive diagram has %q nodes", netNodes)
	}
	if n, _ := strconv.Atoi(netEdges); n < 2 {
		t.Errorf("the interactive diagram has %q edges", netEdges)
	}
	// The outlines of the countries around Homs and the event's circles.
	if mapPaths < 10 {
		t.Errorf("the interactive map drew %d paths", mapPaths)
	}
	if circleWidth < 4 {
		t.Errorf("the event's circle is %.1f px wide", circleWidth)
	}
	consoleMu.Lock()
	if len(consoleErrors) > 0 {
		t.Errorf("the pages reported errors:\n%s", strings.Join(consoleErrors, "\n"))
	}
	consoleMu.Unlock()
	if !strings.Contains(proposals, "already in the graph: clm:roe-syria-supply") || !strings.Contains(proposals, "new to the graph") {
		t.Errorf("the extraction page's proposals:\n%s", proposals)
	}
	if precision != "near" {
		t.Errorf("the event's location precision: %q", precision)
	}
	for _, name := range []string{"1-login", "2-search", "3-entity", "4-dossier", "5-screen", "6-event", "7-extract"} {
		if fi, err := os.Stat(filepath.Join(dir, name+".png")); err != nil || fi.Size() < 5000 {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
}
