package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
)

const statement = "Witness: Ahmad K.\nSaw two Mi-17s over Homs.\nPhone +963 11 555 0101\n"

// addSource collects body as a file and returns the source's id and the
// file's digest.
func addSource(t *testing.T, db, name, body string, args ...string) (string, string) {
	t.Helper()
	p := writeFile(t, name, body)
	out := mustRun(t, append([]string{"--db", db, "--json", "source", "add", p}, args...)...)
	var r struct {
		Source armstrace.Source `json:"source"`
		SHA256 string           `json:"sha256"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("source add output %q: %v", out, err)
	}
	return r.Source.ID, r.SHA256
}

func TestSourceAddStoresTheExactBytesReadOnly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	id, sha := addSource(t, db, "statement.txt", statement, "--id", "src:witness-7", "--url", "https://example.org/s", "--access", "confidential")
	if id != "src:witness-7" || sha != digest(statement) {
		t.Fatalf("id %s sha %s", id, sha)
	}
	path := filepath.Join(db+".files", "sha256", sha[:2], sha)
	b, err := os.ReadFile(path)
	if err != nil || string(b) != statement {
		t.Fatalf("stored copy %q %v", b, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o444 {
		t.Errorf("stored copy mode %v, want 0444", fi.Mode().Perm())
	}
	var shown struct {
		Source armstrace.Source        `json:"source"`
		Files  []*armstrace.SourceFile `json:"files"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "--json", "source", "show", id)), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.Source.SHA256 != sha || shown.Source.Captured == "" || shown.Source.Access != armstrace.AccessConfidential || len(shown.Files) != 1 || shown.Files[0].Size != int64(len(statement)) {
		t.Fatalf("shown %+v", shown)
	}
	// The same bytes again: nothing new in the log.
	head := len(mustRun(t, "--db", db, "audit", "log"))
	addSource(t, db, "statement.txt", statement, "--id", "src:witness-7")
	if len(mustRun(t, "--db", db, "audit", "log")) != head {
		t.Error("adding the same file again wrote to the audit log")
	}
	// Other bytes under the same id are refused: a new capture is a new source.
	other := writeFile(t, "statement.txt", statement+"more\n")
	r := run(t, "", "--db", db, "source", "add", other, "--id", "src:witness-7")
	if r.code != 1 || !strings.Contains(r.stderr, "a new capture is a new source") || !strings.Contains(r.stderr, other) {
		t.Fatalf("other bytes: exit %d %s", r.code, r.stderr)
	}
	// Bad input names the flag.
	r = run(t, "", "--db", db, "source", "add", other, "--published", "12 April 2012")
	if r.code != 1 || !strings.Contains(r.stderr, "--published") {
		t.Fatalf("bad date: exit %d %s", r.code, r.stderr)
	}
	if got := mustRun(t, "--db", db, "source", "cat", id); got != statement {
		t.Fatalf("cat: %q", got)
	}
}

func TestSourceDeriveAndHistory(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	page := "<html><body><p>Witness: Ahmad K.</p><p>Saw two Mi-17s.</p><p>Phone +963 11 555 0101</p></body></html>"
	id, orig := addSource(t, db, "page.html", page, "--id", "src:page")
	mustRun(t, "--db", db, "source", "derive", id, "--text")
	// The redaction works on the text copy, since the original is HTML.
	mustRun(t, "--db", db, "source", "derive", id, "--redact-lines", "1", "--redact-pattern", `\+963[0-9 ]+`)
	var shown struct {
		Files []*armstrace.SourceFile `json:"files"`
	}
	json.Unmarshal([]byte(mustRun(t, "--db", db, "--json", "source", "show", id)), &shown)
	if len(shown.Files) != 3 {
		t.Fatalf("files %+v", shown.Files)
	}
	text, red := shown.Files[1], shown.Files[2]
	if text.Transform != armstrace.TransformText || text.From != orig || red.Transform != armstrace.TransformRedact || red.From != text.SHA256 {
		t.Fatalf("lineage: text %+v, redacted %+v", text, red)
	}
	got := mustRun(t, "--db", db, "source", "cat", id, "--file", red.SHA256)
	if got != "[REDACTED]\nSaw two Mi-17s.\nPhone [REDACTED]\n" {
		t.Fatalf("redacted copy %q", got)
	}
	// The original is untouched.
	if got := mustRun(t, "--db", db, "source", "cat", id); got != page {
		t.Fatalf("original changed: %q", got)
	}
	hist := mustRun(t, "--db", db, "source", "history", id)
	for _, want := range []string{"record created", "collected", "text extracted", "redacted", "viewed", "to=standard output"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q:\n%s", want, hist)
		}
	}
	// Neither the pattern nor what it hid ("963" alone may stand in a
	// time or a digest).
	if strings.Contains(hist, `\+963`) || strings.Contains(hist, "+963") || strings.Contains(hist, "555 0101") || strings.Contains(hist, "Ahmad") {
		t.Errorf("history gives away the redacted pattern:\n%s", hist)
	}
	mustRun(t, "--db", db, "source", "dispose", id, "--file", red.SHA256, "--reason", "superseded")
	if _, err := os.Stat(filepath.Join(db+".files", "sha256", red.SHA256[:2], red.SHA256)); !os.IsNotExist(err) {
		t.Errorf("disposed copy still on disk: %v", err)
	}
	if !strings.Contains(mustRun(t, "--db", db, "source", "history", id), "reason=superseded") {
		t.Error("disposal not in the history")
	}
	if r := run(t, "", "--db", db, "source", "cat", id, "--file", red.SHA256); r.code != 1 || !strings.Contains(r.stderr, "disposed") {
		t.Errorf("cat of a disposed copy: %d %s", r.code, r.stderr)
	}
	mustRun(t, "--db", db, "source", "verify")
	mustRun(t, "--db", db, "audit", "verify")
}

func TestSourceVerifyCatchesAFlippedByteAndAMissingFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	_, sha1 := addSource(t, db, "one.txt", "first file\n")
	_, sha2 := addSource(t, db, "two.txt", "second file\n")
	if out := mustRun(t, "--db", db, "source", "verify"); !strings.Contains(out, "2 stored files checked") || !strings.Contains(out, "0 problems") {
		t.Fatalf("fresh store: %s", out)
	}
	files, _ := blob.Open(db+".files", false)
	p := files.Path(sha1)
	os.Chmod(p, 0o644)
	b, _ := os.ReadFile(p)
	b[3] ^= 0x20
	os.WriteFile(p, b, 0o444)
	r := run(t, "", "--db", db, "source", "verify")
	if r.code != 1 || !strings.Contains(r.stdout, "FAILED") || !strings.Contains(r.stdout, sha1) || !strings.Contains(r.stdout, "changed") || strings.Contains(r.stdout, sha2) {
		t.Fatalf("flipped byte: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	os.Remove(files.Path(sha2))
	r = run(t, "", "--db", db, "source", "verify")
	if r.code != 1 || !strings.Contains(r.stdout, sha2) || !strings.Contains(r.stdout, "missing") || !strings.Contains(r.stdout, "2 problems") {
		t.Fatalf("deleted file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Reading a damaged copy is refused rather than passed on.
	if r := run(t, "", "--db", db, "source", "cat", "src:"+sha1[:12]); r.code != 1 || !strings.Contains(r.stderr, "changed or damaged") {
		t.Fatalf("cat of a damaged file: %d %s", r.code, r.stderr)
	}
}

func TestSourceFilesNeedAFolderOnPostgres(t *testing.T) {
	a := &App{DB: "postgres://x@y/z"}
	t.Setenv(EnvFiles, "")
	if _, err := a.filesDir(""); armstrace.ErrorCode(err) != armstrace.EINVALID || !strings.Contains(err.Error(), "--files") {
		t.Fatalf("no folder for PostgreSQL: %v", err)
	}
	if d, err := a.filesDir("/srv/files"); err != nil || d != "/srv/files" {
		t.Fatalf("--files: %s %v", d, err)
	}
	t.Setenv(EnvFiles, "/srv/env")
	if d, _ := a.filesDir(""); d != "/srv/env" {
		t.Fatalf("$%s: %s", EnvFiles, d)
	}
	a.DB = "x.db"
	if d, _ := a.filesDir("/srv/flag"); d != "/srv/flag" {
		t.Fatalf("the flag comes first: %s", d)
	}
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
