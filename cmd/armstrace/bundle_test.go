package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// evidenceDB returns a database holding the demo records, a public
// source with an HTML original, its text and a redacted copy, and a
// confidential witness statement with a claim resting on it alone.
func evidenceDB(t *testing.T, db string, files string) {
	t.Helper()
	in := writeFile(t, "demo.jsonl", string(demo.Data))
	mustRun(t, "--db", db, "import", "--format", "jsonl", in)
	page := writeFile(t, "release.html", "<html><body><p>Russia keeps arming Syria.</p><p>Contact: press@example.org</p></body></html>")
	mustRun(t, "--db", db, "source", "add", page, "--id", "src:release", "--access", "public", "--files", files)
	mustRun(t, "--db", db, "source", "derive", "src:release", "--text", "--files", files)
	mustRun(t, "--db", db, "source", "derive", "src:release", "--redact-pattern", `\S+@\S+`, "--files", files)
	st := writeFile(t, "statement.txt", statement)
	mustRun(t, "--db", db, "source", "add", st, "--id", "src:witness", "--access", "confidential", "--files", files)
	claims := writeFile(t, "c.jsonl", `{"type":"claim","id":"clm:witness-saw","kind":"supplied","subject":"ent:russia","object":"ent:syria","status":"alleged","confidence":0.5,"citations":[{"source":"src:witness","locator":"line 2"}]}
`)
	mustRun(t, "--db", db, "import", "--format", "jsonl", claims)
}

// unzip extracts a bundle and returns the folder inside it.
func unzip(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	zr, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	top := ""
	for _, f := range zr.File {
		top, _, _ = strings.Cut(f.Name, "/")
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, top)
}

// readTree returns every file under dir by its slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

func TestBundleRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		files := filepath.Join(t.TempDir(), "files")
		evidenceDB(t, db, files)
		out := filepath.Join(t.TempDir(), "evidence.zip")
		mustRun(t, "--db", db, "export", "--bundle", out, "--max-access", "confidential", "--files", files)
		first := unzip(t, out)
		// A third party checks it with standard tools.
		if sum, err := exec.LookPath("sha256sum"); err != nil {
			t.Logf("sha256sum not found: the manifest is checked by the import below only")
		} else {
			cmd := exec.Command(sum, "-c", "SHA256SUMS")
			cmd.Dir = first
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("sha256sum -c: %v\n%s", err, b)
			}
		}
		a := readTree(t, first)
		if len(a) != 3+1+3+1 { // records, files, custody; three derived-or-original files of the release, the statement; manifest
			t.Errorf("bundle holds %d files: %v", len(a), keys(a))
		}
		// A full bundle's records are the plain export, byte for byte.
		if plain := mustRun(t, "--db", db, "export"); a["records.jsonl"] != plain {
			t.Error("the bundle's records differ from the plain export")
		}
		other := filepath.Join(t.TempDir(), "b.db")
		if strings.HasPrefix(db, "postgres") {
			other = storetest.NewPostgresSchema(t)
		}
		otherFiles := filepath.Join(t.TempDir(), "files")
		mustRun(t, "--db", other, "import", "--bundle", out, "--files", otherFiles)
		mustRun(t, "--db", other, "source", "verify", "--files", otherFiles)
		mustRun(t, "--db", other, "audit", "verify")
		if h := mustRun(t, "--db", other, "source", "history", "src:witness"); !strings.Contains(h, "transferred") || !strings.Contains(h, "evidence.zip") {
			t.Errorf("the import is not in the custody:\n%s", h)
		}
		again := filepath.Join(t.TempDir(), "again.zip")
		mustRun(t, "--db", other, "export", "--bundle", again, "--max-access", "confidential", "--files", otherFiles)
		b := readTree(t, unzip(t, again))
		for name, body := range a {
			if name == "custody.jsonl" || name == "SHA256SUMS" {
				continue // each database keeps its own log
			}
			if b[name] != body {
				t.Errorf("%s differs after the round trip", name)
			}
		}
		if len(b) != len(a) {
			t.Errorf("the second bundle holds %v, the first %v", keys(b), keys(a))
		}
		ma, mb := manifestWithout(a["SHA256SUMS"], "custody.jsonl"), manifestWithout(b["SHA256SUMS"], "custody.jsonl")
		if ma != mb {
			t.Errorf("manifests differ:\n%s\n%s", ma, mb)
		}
	})
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func manifestWithout(m, name string) string {
	var out []string
	for _, l := range strings.Split(m, "\n") {
		if !strings.HasSuffix(l, "  "+name) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestBundleRespectsAccessAndIsAudited(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	files := db + ".files"
	evidenceDB(t, db, files)
	out := filepath.Join(t.TempDir(), "public.tar")
	mustRun(t, "--db", db, "export", "--bundle", out)
	// Its content, read with Go's own tar reader: what the access level
	// withholds is nowhere in it.
	tree := readTar(t, out, "public/")
	recs := tree["records.jsonl"]
	if strings.Contains(recs, "src:witness") || strings.Contains(recs, "clm:witness-saw") || !strings.Contains(recs, "src:release") {
		t.Errorf("public bundle records hold withheld material or lack public material")
	}
	if strings.Contains(tree["files.jsonl"], "src:witness") || strings.Contains(tree["custody.jsonl"], "src:witness") {
		t.Error("the witness's files or custody travel in a public bundle")
	}
	for name, body := range tree {
		if body == statement {
			t.Errorf("the confidential statement is in the public bundle as %s", name)
		}
	}
	// And a third party's tools check it.
	dir := t.TempDir()
	if tarBin, err := exec.LookPath("tar"); err == nil {
		if b, err := exec.Command(tarBin, "-xf", out, "-C", dir).CombinedOutput(); err != nil {
			t.Fatalf("tar: %v %s", err, b)
		}
		if sum, err := exec.LookPath("sha256sum"); err == nil {
			cmd := exec.Command(sum, "-c", "SHA256SUMS")
			cmd.Dir = filepath.Join(dir, "public")
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("sha256sum -c: %v\n%s", err, b)
			}
		} else {
			t.Log("sha256sum not found: skipping the standard-tool check of the tar bundle")
		}
	} else {
		t.Log("tar not found: skipping the standard-tool check of the tar bundle")
	}
	// It still imports, whole.
	other := filepath.Join(t.TempDir(), "b.db")
	mustRun(t, "--db", other, "import", out)
	mustRun(t, "--db", other, "source", "verify")
	mustRun(t, "--db", other, "audit", "verify")
	// The exports are in the log, on the export and on each source carried.
	log := mustRun(t, "--db", db, "audit", "log", "source", "src:release")
	if strings.Count(log, "export") != 1 {
		t.Errorf("src:release's log:\n%s", log)
	}
	if strings.Contains(mustRun(t, "--db", db, "audit", "log", "source", "src:witness"), "export") {
		t.Error("an export that withheld src:witness is on its log")
	}
	before := strings.Count(mustRun(t, "--db", db, "audit", "log"), "\n")
	mustRun(t, "--db", db, "export", "-o", filepath.Join(t.TempDir(), "all.jsonl"))
	if after := strings.Count(mustRun(t, "--db", db, "audit", "log"), "\n"); after <= before {
		t.Error("a plain export is not audited")
	}
}

func TestCorruptedBundleIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	evidenceDB(t, db, db+".files")
	out := filepath.Join(t.TempDir(), "e.zip")
	mustRun(t, "--db", db, "export", "--bundle", out, "--max-access", "confidential")
	// Rewrite the archive with one byte of the statement flipped.
	sha := digest(statement)
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hit := false
	for _, f := range zr.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if strings.HasSuffix(f.Name, sha) {
			b[0] ^= 1
			hit = true
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zr.Close()
	zw.Close()
	if !hit {
		t.Fatal("the statement is not in the bundle")
	}
	bad := filepath.Join(t.TempDir(), "bad.zip")
	os.WriteFile(bad, buf.Bytes(), 0o644)
	other := filepath.Join(t.TempDir(), "b.db")
	r := run(t, "", "--db", other, "import", "--bundle", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "files/sha256/"+sha[:2]+"/"+sha) || !strings.Contains(r.stderr, "does not match its SHA-256") {
		t.Fatalf("corrupted bundle: exit %d\n%s", r.code, r.stderr)
	}
	// Nothing was written: no records, no files.
	if _, err := os.Stat(other); err == nil {
		if out := mustRun(t, "--db", other, "export"); out != "" {
			t.Errorf("a refused bundle left records:\n%s", out)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(other+".files", "sha256")); len(entries) > 0 {
		t.Errorf("a refused bundle left files: %v", entries)
	}
	// A bad record is refused too, and its files are taken back.
	zr, _ = zip.OpenReader(out)
	buf.Reset()
	zw = zip.NewWriter(&buf)
	var manifest string
	for _, f := range zr.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if strings.HasSuffix(f.Name, "/records.jsonl") {
			b = append(b, []byte(`{"type":"claim","id":"clm:bad","kind":"supplied","subject":"ent:nobody","object":"ent:syria","status":"alleged","confidence":0.5,"citations":[{"source":"src:release"}]}`+"\n")...)
		}
		if strings.HasSuffix(f.Name, "/SHA256SUMS") {
			manifest = f.Name
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zr.Close()
	// Rebuild the manifest, as someone altering a bundle would.
	tree := map[string][]byte{}
	zw.Close()
	zr2, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	var lines []string
	for _, f := range zr2.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		tree[f.Name] = b
		_, rel, _ := strings.Cut(f.Name, "/")
		lines = append(lines, digest(string(b))+"  "+rel)
	}
	var buf2 bytes.Buffer
	zw2 := zip.NewWriter(&buf2)
	for name, b := range tree {
		w, _ := zw2.Create(name)
		w.Write(b)
	}
	w, _ := zw2.Create(manifest)
	w.Write([]byte(strings.Join(lines, "\n") + "\n"))
	zw2.Close()
	bad2 := filepath.Join(t.TempDir(), "bad2.zip")
	os.WriteFile(bad2, buf2.Bytes(), 0o644)
	other2 := filepath.Join(t.TempDir(), "c.db")
	r = run(t, "", "--db", other2, "import", bad2)
	if r.code != 1 || !strings.Contains(r.stderr, "records.jsonl") || !strings.Contains(r.stderr, "ent:nobody") {
		t.Fatalf("bad record: exit %d\n%s", r.code, r.stderr)
	}
	if out := mustRun(t, "--db", other2, "export"); out != "" {
		t.Errorf("a refused bundle left records")
	}
	if entries, _ := os.ReadDir(filepath.Join(other2+".files", "sha256")); len(entries) > 0 {
		for _, e := range entries {
			sub, _ := os.ReadDir(filepath.Join(other2+".files", "sha256", e.Name()))
			if len(sub) > 0 {
				t.Errorf("a refused bundle left files in %s", e.Name())
			}
		}
	}
}

// readTar reads the regular files of a tar archive under prefix, by their
// names below it.
func readTar(t *testing.T, path, prefix string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(h.Name, prefix)] = string(b)
	}
}
