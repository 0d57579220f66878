package main

import (
	"encoding/json"
	"github.com/armstrace/armstrace"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	evidenceDB(t, db, db+".files")
	mustRun(t, "--db", db, "source", "dispose", "src:witness", "--reason", "consent withdrawn")
	out := filepath.Join(t.TempDir(), "backup.db")
	mustRun(t, "--db", db, "backup", out)
	restored := filepath.Join(t.TempDir(), "restored.db")
	mustRun(t, "--db", restored, "backup", "--restore", out)
	if v := mustRun(t, "--db", restored, "audit", "verify"); !strings.Contains(v, "audit log OK") {
		t.Fatalf("audit verify on the restored database:\n%s", v)
	}
	mustRun(t, "--db", restored, "source", "verify")
	// The audit log and the records are identical, but for the entry the
	// original made of the backup leaving, after the copy was taken: an
	// export named by the copy's digest. Exports are audited, so the logs
	// are compared before either database exports.
	logA := mustRun(t, "--db", db, "--json", "audit", "log")
	logB := mustRun(t, "--db", restored, "--json", "audit", "log")
	var entriesA, entriesB []armstrace.AuditEntry
	if err := json.Unmarshal([]byte(logA), &entriesA); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(logB), &entriesB); err != nil {
		t.Fatal(err)
	}
	if len(entriesA) != len(entriesB)+1 || !reflect.DeepEqual(entriesA[:len(entriesB)], entriesB) {
		t.Fatalf("the restored audit log differs: %d entries, %d in the original", len(entriesB), len(entriesA))
	}
	sum, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if last := entriesA[len(entriesA)-1]; last.Action != armstrace.ActionExport || last.ObjectType != "backup" || last.ObjectID != digest(string(sum)) {
		t.Errorf("the backup's entry in the original's log: %+v", last)
	}
	if a, b := mustRun(t, "--db", db, "export"), mustRun(t, "--db", restored, "export"); a != b {
		t.Error("the restored records differ")
	}
	// Files are identical, byte for byte and by name; the disposed
	// statement stays out.
	a, b := readTree(t, db+".files"), readTree(t, restored+".files")
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("files: %v and %v", keys(a), keys(b))
	}
	for name, body := range a {
		if b[name] != body {
			t.Errorf("%s differs after the restore", name)
		}
	}
	if _, ok := a["sha256/"+digest(statement)[:2]+"/"+digest(statement)]; ok {
		t.Error("the disposed statement is still in the store")
	}
	// Nothing is overwritten.
	if r := run(t, "", "--db", db, "backup", out); r.code != 1 || !strings.Contains(r.stderr, "exists already") {
		t.Errorf("backup over a backup: %d %s", r.code, r.stderr)
	}
	if r := run(t, "", "--db", restored, "backup", "--restore", out); r.code != 1 || !strings.Contains(r.stderr, "exists already") {
		t.Errorf("restore over a database: %d %s", r.code, r.stderr)
	}
}

func TestBackupRefusesADamagedFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	_, sha := addSource(t, db, "one.txt", "first file\n")
	p := filepath.Join(db+".files", "sha256", sha[:2], sha)
	os.Chmod(p, 0o644)
	os.WriteFile(p, []byte("First file\n"), 0o444)
	out := filepath.Join(t.TempDir(), "backup.db")
	r := run(t, "", "--db", db, "backup", out)
	if r.code != 1 || !strings.Contains(r.stderr, sha) {
		t.Fatalf("backup with a damaged file: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a failed backup left its database behind")
	}
}

func TestBackupOfPostgresPointsAtPgDump(t *testing.T) {
	r := run(t, "", "--db", "postgres://nobody@127.0.0.1:1/x", "backup", filepath.Join(t.TempDir(), "x.db"))
	if r.code != 1 || !strings.Contains(r.stderr, "pg_dump") {
		t.Fatalf("got %d %s", r.code, r.stderr)
	}
}
