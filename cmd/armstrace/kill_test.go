package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
)

// TestServerKilledDuringAnImport kills a real server process with SIGKILL
// while an import through the API is half read: nothing of it is in the
// database afterwards, and the audit log verifies. An import the server
// acknowledged (201) before being killed is all there.
func TestServerKilledDuringAnImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server process")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "armstrace")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "k.db")
	add := exec.Command(bin, "--db", db, "user", "add", "ana", "--role", "analyst", "--password-stdin")
	add.Stdin = strings.NewReader("a long enough password\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--db", db, "user", "token", "ana").Output()
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(out))
	serve := func() (*exec.Cmd, string) {
		t.Helper()
		cmd := exec.Command(bin, "--db", db, "serve", "--addr", "127.0.0.1:0")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			t.Fatalf("no start line: %v", err)
		}
		i := strings.Index(line, "http://")
		base := strings.TrimSuffix(strings.Fields(line[i:])[0], "/")
		return cmd, base
	}
	record := func(i int) string {
		return fmt.Sprintf(`{"type":"entity","id":"ent:k-%d","kind":"company","name":"Killed Import Company %d","citations":[{"source":"src:k"}]}`+"\n", i, i)
	}
	const source = `{"type":"source","id":"src:k","kind":"document","title":"Bulk upload"}` + "\n"

	// 1. Killed while the body is half sent: the server has read and
	// written thousands of rows inside its transaction.
	cmd, base := serve()
	pr, pw := io.Pipe()
	sent := make(chan error, 1)
	go func() {
		// A pipe has no buffer: each write returns once the server has
		// read it, so when these are written the server has read them.
		_, err := io.WriteString(pw, source)
		for i := 0; i < 5000 && err == nil; i++ {
			_, err = io.WriteString(pw, record(i))
		}
		sent <- err
		// The rest never comes: the server is killed first.
	}()
	req, _ := http.NewRequest("POST", base+"/api/v1/imports?format=jsonl", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("the import was answered %s", resp.Status)
		}
		errc <- err
	}()
	select {
	case err := <-sent:
		if err != nil {
			t.Fatalf("sending the first rows: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the server did not read the first rows")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	pw.CloseWithError(io.ErrClosedPipe)
	if err := <-errc; err == nil || strings.Contains(err.Error(), "answered") {
		t.Fatalf("the half-sent import: %v", err)
	}
	ctx := armstrace.WithActor(context.Background(), "test")
	check := func(want int) {
		t.Helper()
		s, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		es, err := s.FindEntities(ctx, armstrace.EntityFilter{NameLike: "Killed Import Company"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != want {
			t.Errorf("%d records of the import in the database, want %d", len(es), want)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Errorf("audit verify: %+v %v", rep, err)
		}
	}
	check(0)

	// 2. Acknowledged, then killed at once: all of it is there.
	cmd, base = serve()
	var body strings.Builder
	body.WriteString(source)
	for i := range 1000 {
		body.WriteString(record(i))
	}
	req, _ = http.NewRequest("POST", base+"/api/v1/imports?format=jsonl", strings.NewReader(body.String()))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cmd.Process.Kill()
	cmd.Wait()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("the import: %s", resp.Status)
	}
	check(1000)
}
