//go:build unix

package ceasefire

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The browser tests open the rendered report in headless Chromium, as a
// reader would, and check what it draws and what its DOM holds. They are
// skipped when no Chromium is installed (apt-get install chromium), except
// under CI, and in -short mode.

const (
	shotWidth  = 1280
	shotHeight = 3600
)

// chromium returns the path of a headless-capable Chromium or skips.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if os.Getenv("CI") != "" {
		// CI installs Chromium: a missing browser there is a failure, not a skip.
		t.Fatal("no Chromium found, but CI must run the browser tests (apt-get install chromium)")
	}
	t.Skip("no Chromium found (looked for chromium, chromium-browser and google-chrome on PATH, and /usr/bin/chromium); install it with `apt-get install chromium` to run the browser tests")
	return ""
}

// writeReportHTML renders the fixture into a temporary directory and
// returns the directory and the file's URL.
func writeReportHTML(t *testing.T) (dir, url string) {
	t.Helper()
	dir = t.TempDir()
	path := filepath.Join(dir, "ceasefire.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Render(f, fixture(), "html"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, "file://" + path
}

// runChromium runs headless Chromium with args, time-boxed, in its own
// process group so that its helper processes go when it is stopped. It
// returns standard output.
func runChromium(t *testing.T, bin, dir string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir=" + filepath.Join(dir, "profile"), "--no-first-run", "--disable-extensions"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("chromium %v did not finish within the time box; stderr:\n%s", args, tail(stderr.String()))
	}
	if err != nil {
		t.Fatalf("chromium %v: %v; stderr:\n%s", args, err, tail(stderr.String()))
	}
	return stdout.Bytes()
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

func TestBrowserScreenshot(t *testing.T) {
	bin := chromium(t)
	dir, url := writeReportHTML(t)
	shot := filepath.Join(dir, "ceasefire.png")
	runChromium(t, bin, dir, "--screenshot="+shot, fmt.Sprintf("--window-size=%d,%d", shotWidth, shotHeight), url)

	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != shotWidth || b.Dy() != shotHeight {
		t.Fatalf("the screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), shotWidth, shotHeight)
	}
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
			case near(c, color.RGBA{0x1f, 0x4e, 0x79, 0xff}):
				line++
			case near(c, color.RGBA{0xb0, 0x3a, 0x2e, 0xff}):
				covered++
			case near(c, color.RGBA{0x7d, 0x8c, 0x99, 0xff}):
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

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) <= 3 && d(a.G, b.G) <= 3 && d(a.B, b.B) <= 3
}

func TestBrowserDOM(t *testing.T) {
	bin := chromium(t)
	dir, url := writeReportHTML(t)
	dom := string(runChromium(t, bin, dir, "--dump-dom", url))
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("--dump-dom gave no document:\n%s", tail(dom))
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
