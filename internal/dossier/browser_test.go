//go:build unix

package dossier

import (
	"bytes"
	"context"
	"fmt"
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

// The browser tests open the rendered HTML in headless Chromium, as a
// reader would, and check what it draws and what its DOM holds. They are
// skipped when no Chromium is installed (apt-get install chromium) and
// in -short mode.

const (
	shotWidth  = 1280
	shotHeight = 4000
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

// writeFixtureHTML renders the fixture into a temporary directory and
// returns its file URL.
func writeFixtureHTML(t *testing.T) (dir, url string) {
	t.Helper()
	dir = t.TempDir()
	path := filepath.Join(dir, "dossier.html")
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
	dir, url := writeFixtureHTML(t)
	shot := filepath.Join(dir, "dossier.png")
	runChromium(t, bin, dir, "--screenshot="+shot, fmt.Sprintf("--window-size=%d,%d", shotWidth, shotHeight), url)

	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != shotWidth || b.Dy() != shotHeight {
		t.Fatalf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), shotWidth, shotHeight)
	}

	// Not blank: many colours, a fair share of ink, and the bars of the
	// TIV chart drawn in their own colour.
	colours := map[color.RGBA]int{}
	ink, bars := 0, 0
	barColour := color.RGBA{0x34, 0x49, 0x5e, 0xff}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colours[c]++
			if int(c.R)+int(c.G)+int(c.B) < 3*200 {
				ink++
			}
			if near(c, barColour) {
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

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) <= 3 && d(a.G, b.G) <= 3 && d(a.B, b.B) <= 3
}

func TestBrowserDOMHasTheTenPartsInOrder(t *testing.T) {
	bin := chromium(t)
	dir, url := writeFixtureHTML(t)
	dom := string(runChromium(t, bin, dir, "--dump-dom", url))
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("--dump-dom gave no document:\n%s", tail(dom))
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
