// Package browsertest runs headless Chromium for the tests of armstrace's
// HTML reports: they open a report as a reader would and check what it
// draws and what its DOM holds. Without Chromium the tests skip with a
// message (apt-get install chromium), except under CI, where a missing
// browser is a failure; in -short mode they skip.
package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Chromium returns the path of a headless-capable Chromium, or skips.
func Chromium(t testing.TB) string {
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
		t.Fatal("no Chromium found, but CI must run the browser tests (apt-get install chromium)")
	}
	t.Skip("no Chromium found (looked for chromium, chromium-browser and google-chrome on PATH, and /usr/bin/chromium); install it with `apt-get install chromium` to run the browser tests")
	return ""
}

// ProfileDir returns a fresh folder for a browser's profile, removed when
// the test ends. Chromium's helper processes may still be writing to it
// for a moment after the browser is closed, so the removal is retried
// for a few seconds and a profile it still cannot remove is left for
// the system's temporary folder cleaning, not failed on: the test is
// about the pages, not about how fast Chromium exits.
func ProfileDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "armstrace-browser-profile-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 50; i++ {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("browser profile %s left behind: Chromium was still writing to it", dir)
	})
	return dir
}

// Run runs headless Chromium with args from dir, time-boxed, in its own
// process group so that its helper processes go when it is stopped, and
// returns its standard output.
func Run(t testing.TB, bin, dir string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir=" + filepath.Join(dir, "profile"), "--no-first-run", "--disable-extensions"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	ownGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("chromium %v did not finish within the time box; stderr:\n%s", args, Tail(stderr.String()))
	}
	if err != nil {
		t.Fatalf("chromium %v: %v; stderr:\n%s", args, err, Tail(stderr.String()))
	}
	return stdout.Bytes()
}

// Tail is the end of a long output, for failure messages.
func Tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// Near reports whether two colours differ by at most 3 in each channel:
// anti-aliasing shifts a drawn colour a little.
func Near(a, b color.RGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) <= 3 && d(a.G, b.G) <= 3 && d(a.B, b.B) <= 3
}

// WriteHTML writes what render writes to name in a new temporary folder,
// and returns the folder and the file's URL.
func WriteHTML(t testing.TB, name string, render func(io.Writer) error) (dir, url string) {
	t.Helper()
	dir = t.TempDir()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := render(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, "file://" + path
}

// Screenshot takes a screenshot of url at width × height and checks that
// it is a PNG of that size.
func Screenshot(t testing.TB, bin, dir, url string, width, height int) image.Image {
	t.Helper()
	shot := filepath.Join(dir, "screenshot.png")
	Run(t, bin, dir, "--screenshot="+shot, fmt.Sprintf("--window-size=%d,%d", width, height), url)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		t.Fatalf("the screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}
	return img
}
