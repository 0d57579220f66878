package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServe starts the server on a free port, asks it for its health,
// and stops it as Ctrl-C would.
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	a := &App{Stdout: pw, Stderr: io.Discard}
	done := make(chan int, 1)
	go func() { done <- a.Main(ctx, []string{"--db", db, "serve", "--addr", "127.0.0.1:0"}); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no start line: %v", err)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("start line %q", line)
	}
	url := strings.Fields(line[i:])[0] + "api/v1/health"
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) {
		t.Fatalf("health: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestDemoServesTheUI runs the demo without --no-serve: after the story
// it serves the web UI, where the printed read-only login signs in.
func TestDemoServesTheUI(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	a := &App{Stdout: pw, Stderr: io.Discard}
	done := make(chan int, 1)
	go func() {
		done <- a.Main(ctx, []string{"--db", filepath.Join(dir, "d.db"), "demo", "--addr", "127.0.0.1:0"})
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	var base string
	for base == "" {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("no web UI line: %v", err)
		}
		if i := strings.Index(line, "The web UI: "); i >= 0 {
			base = strings.TrimSpace(line[i+len("The web UI: "):])
		}
	}
	go io.Copy(io.Discard, br)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(base + "login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("login page:\n%s", page)
	}
	resp, err = c.PostForm(base+"login", url.Values{"csrf": {string(m[1])}, "name": {demoUser}, "password": {demoPassword}, "next": {"/search?q=Rosobornexport"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/entities/ent:rosoboronexport") {
		t.Errorf("signed in as the demo viewer and searched: %d\n%s", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("demo exited %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the demo did not stop")
	}
}

// TestServedFiles checks which file store a server offers downloads from:
// the folder beside a SQLite database when it exists, none when it does
// not, and a clear error for a folder named that is not there.
func TestServedFiles(t *testing.T) {
	dir := t.TempDir()
	a := &App{DB: filepath.Join(dir, "s.db")}
	t.Setenv(EnvFiles, "")
	if f, err := a.servedFiles(""); err != nil || f != nil {
		t.Errorf("no folder beside the database: %v, %v", f, err)
	}
	if err := os.Mkdir(a.DB+".files", 0o755); err != nil {
		t.Fatal(err)
	}
	if f, err := a.servedFiles(""); err != nil || f == nil || f.Dir() != a.DB+".files" {
		t.Errorf("the folder beside the database: %v, %v", f, err)
	}
	missing := filepath.Join(dir, "nowhere")
	if _, err := a.servedFiles(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a folder named that is not there: %v", err)
	}
	pg := &App{DB: "postgres://x@127.0.0.1/none"}
	if f, err := pg.servedFiles(""); err != nil || f != nil {
		t.Errorf("PostgreSQL without a folder named: %v, %v", f, err)
	}
}
