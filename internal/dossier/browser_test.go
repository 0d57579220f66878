package dossier

import (
	"fmt"
	"github.com/armstrace/armstrace/internal/report/browsertest"
	"image/color"
	"io"
	"regexp"
	"strings"
	"testing"
)

// The browser tests open the rendered HTML in headless Chromium, as a
// reader would, and check what it draws and what its DOM holds. They are
// skipped when no Chromium is installed (apt-get install chromium) and
// in -short mode.

const (
	shotWidth  = 1280
	shotHeight = 4000
)

// writeFixtureHTML renders the fixture into a temporary folder and returns the
// folder and the file's URL.
func writeFixtureHTML(t *testing.T) (dir, url string) {
	return browsertest.WriteHTML(t, "dossier.html", func(w io.Writer) error { return Render(w, fixture(), "html") })
}

func TestBrowserScreenshot(t *testing.T) {
	bin := browsertest.Chromium(t)
	dir, url := writeFixtureHTML(t)
	img := browsertest.Screenshot(t, bin, dir, url, shotWidth, shotHeight)
	b := img.Bounds()

	// Not blank: many colours, a fair share of ink, and the bars of the
	// TIV chart drawn in their own colour.
	colours := map[color.RGBA]int{}
	ink, bars := 0, 0
	barColour := color.RGBA{0x34, 0x49, 0x5e, 0xff}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colours[c]++
			if int(c.R)+int(c.G)+int(c.B) < 3*200 {
				ink++
			}
			if browsertest.Near(c, barColour) {
				bars++
			}
		}
	}
	total := b.Dx() * b.Dy()
	if len(colours) < 16 {
		t.Errorf("screenshot has %d colours: blank or nearly so", len(colours))
	}
	if share := float64(ink) / float64(total); share < 0.01 {
		t.Errorf("only %.3f%% of the screenshot is ink: the page did not render", 100*share)
	}
	if bars < 2000 {
		t.Errorf("only %d pixels in the bar colour: the TIV chart was not drawn", bars)
	}
}

func TestBrowserDOMHasTheTenPartsInOrder(t *testing.T) {
	bin := browsertest.Chromium(t)
	dir, url := writeFixtureHTML(t)
	dom := string(browsertest.Run(t, bin, dir, "--dump-dom", url))
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("--dump-dom gave no document:\n%s", browsertest.Tail(dom))
	}

	tags := regexp.MustCompile(`<[^>]*>`)
	var headings []string
	for _, m := range regexp.MustCompile(`(?s)<h2[^>]*>(.*?)</h2>`).FindAllStringSubmatch(dom, -1) {
		headings = append(headings, strings.TrimSpace(tags.ReplaceAllString(m[1], "")))
	}
	if len(headings) < 10 {
		t.Fatalf("the DOM has %d h2 headings, want at least 10: %q", len(headings), headings)
	}
	for i, title := range DefaultTitles {
		if want := fmt.Sprintf("%d.%s", i+1, title); headings[i] != want {
			t.Errorf("heading %d in the DOM is %q, want %q", i+1, headings[i], want)
		}
	}

	var ids []string
	for _, m := range regexp.MustCompile(`<section id="([^"]+)"`).FindAllStringSubmatch(dom, -1) {
		ids = append(ids, m[1])
	}
	want := []string{"part-1", "part-2", "part-3", "part-4", "part-5", "part-6", "part-7", "part-8", "part-9", "part-10", "not-counted"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("sections in the DOM: %v, want %v", ids, want)
	}

	// The browser parsed the inline SVG as SVG: the bars and the nodes
	// of the network are elements of the DOM.
	if n := strings.Count(dom, `<rect class="bar"`); n != 5 {
		t.Errorf("the DOM has %d chart bars, want 5", n)
	}
	if !strings.Contains(dom, `data-id="ent-us-army-acc"`) || !strings.Contains(dom, "W58RGZ-11-C-0072") {
		t.Error("the DOM lacks the buyer and its award")
	}
}
