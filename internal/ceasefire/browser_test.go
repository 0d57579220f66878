package ceasefire

import (
	"fmt"
	"github.com/armstrace/armstrace/internal/report/browsertest"
	"html"
	"image/color"
	"io"
	"regexp"
	"strings"
	"testing"
)

// The browser tests open the rendered report in headless Chromium, as a
// reader would, and check what it draws and what its DOM holds. They are
// skipped when no Chromium is installed (apt-get install chromium), except
// under CI, and in -short mode.

const (
	shotWidth  = 1280
	shotHeight = 3600
)

// writeReportHTML renders the fixture into a temporary folder and returns the
// folder and the file's URL.
func writeReportHTML(t *testing.T) (dir, url string) {
	return browsertest.WriteHTML(t, "ceasefire.html", func(w io.Writer) error { return Render(w, fixture(), "html") })
}

func TestBrowserScreenshot(t *testing.T) {
	bin := browsertest.Chromium(t)
	dir, url := writeReportHTML(t)
	img := browsertest.Screenshot(t, bin, dir, url, shotWidth, shotHeight)
	b := img.Bounds()
	// Not blank: many colours, a fair share of ink, and the line and the
	// bars of the covered parties drawn in their own colours.
	colours := map[color.RGBA]int{}
	ink, line, covered, excluded := 0, 0, 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colours[c]++
			if int(c.R)+int(c.G)+int(c.B) < 3*200 {
				ink++
			}
			switch {
			case browsertest.Near(c, color.RGBA{0x1f, 0x4e, 0x79, 0xff}):
				line++
			case browsertest.Near(c, color.RGBA{0xb0, 0x3a, 0x2e, 0xff}):
				covered++
			case browsertest.Near(c, color.RGBA{0x7d, 0x8c, 0x99, 0xff}):
				excluded++
			}
		}
	}
	if len(colours) < 16 {
		t.Errorf("the screenshot has %d colours: blank or nearly so", len(colours))
	}
	if share := float64(ink) / float64(b.Dx()*b.Dy()); share < 0.01 {
		t.Errorf("only %.3f%% of the screenshot is ink: the page did not render", 100*share)
	}
	if line < 500 {
		t.Errorf("only %d pixels in the colour of the daily line: it was not drawn", line)
	}
	if covered < 2000 || excluded < 2000 {
		t.Errorf("%d pixels in the covered parties' colour, %d in the excluded parties': the party bars were not drawn", covered, excluded)
	}
}

func TestBrowserDOM(t *testing.T) {
	bin := browsertest.Chromium(t)
	dir, url := writeReportHTML(t)
	dom := string(browsertest.Run(t, bin, dir, "--dump-dom", url))
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("--dump-dom gave no document:\n%s", browsertest.Tail(dom))
	}
	tags := regexp.MustCompile(`<[^>]*>`)
	var headings []string
	for _, m := range regexp.MustCompile(`(?s)<h2[^>]*>(.*?)</h2>`).FindAllStringSubmatch(dom, -1) {
		headings = append(headings, html.UnescapeString(strings.TrimSpace(tags.ReplaceAllString(m[1], ""))))
	}
	if len(headings) != len(SectionTitles) {
		t.Fatalf("the DOM has %d h2 headings, want %d: %q", len(headings), len(SectionTitles), headings)
	}
	for i, title := range SectionTitles {
		if want := fmt.Sprintf("%d.%s", i+1, title); headings[i] != want {
			t.Errorf("heading %d in the DOM is %q, want %q", i+1, headings[i], want)
		}
	}
	// The browser parsed the inline SVG as SVG: the line, the start, the
	// break markers and the bars are elements of the DOM.
	rep := fixture()
	for what, n := range map[string]int{
		`<svg `:                             3,
		`<polyline class="series"`:          1,
		`<line class="start"`:               2,
		`<circle class="break"`:             len(rep.Breaks),
		`<rect class="bar covered"`:         len(rep.Daily),
		`<rect class="bar excluded"`:        len(rep.Daily),
		`<rect class="total excluded"`:      1,
		`<table class="violations">`:        1,
		`<table class="excluded-activity">`: 1,
	} {
		if got := strings.Count(dom, what); got != n {
			t.Errorf("the DOM has %d of %s, want %d", got, what, n)
		}
	}
	if strings.Contains(dom, "<script") {
		t.Error("the DOM holds a script: a title's markup got through")
	}
}
