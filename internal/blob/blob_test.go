package blob_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
)

func open(t *testing.T) *blob.Store {
	t.Helper()
	s, err := blob.Open(filepath.Join(t.TempDir(), "files"), true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func digestOf(b string) string {
	h := sha256.Sum256([]byte(b))
	return hex.EncodeToString(h[:])
}

func TestPutIsContentAddressedReadOnlyAndIdempotent(t *testing.T) {
	s := open(t)
	body := "Syria's shaky ceasefire\n"
	d, created, err := s.PutBytes([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if d != digestOf(body) || !created {
		t.Fatalf("digest %s created %v, want %s true", d, created, digestOf(body))
	}
	want := filepath.Join(s.Dir(), "sha256", d[:2], d)
	if s.Path(d) != want {
		t.Fatalf("path %s, want %s", s.Path(d), want)
	}
	fi, err := os.Stat(want)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o444 {
		t.Fatalf("mode %v, want 0444", fi.Mode().Perm())
	}
	again, created, err := s.PutBytes([]byte(body))
	if err != nil || again != d || created {
		t.Fatalf("second put: %s %v %v, want the same digest, not created", again, created, err)
	}
	// No temporary file is left behind.
	list, err := s.List()
	if err != nil || len(list) != 1 || list[0] != d {
		t.Fatalf("list %v %v, want [%s]", list, err, d)
	}
	entries, _ := os.ReadDir(filepath.Join(s.Dir(), "sha256"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".incoming") {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
	got, err := s.ReadAll(d)
	if err != nil || string(got) != body {
		t.Fatalf("read %q %v", got, err)
	}
}

func TestVerifyCatchesAFlippedByteAndAMissingFile(t *testing.T) {
	s := open(t)
	d, _, err := s.PutBytes([]byte("evidence"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(d); err != nil {
		t.Fatalf("fresh file: %v", err)
	}
	p := s.Path(d)
	os.Chmod(p, 0o644)
	b, _ := os.ReadFile(p)
	b[0] ^= 1
	if err := os.WriteFile(p, b, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(d); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
		t.Fatalf("flipped byte: %v, want ECONFLICT", err)
	}
	// Storing the good bytes again does not paper over the damage.
	if _, _, err := s.PutBytes([]byte("evidence")); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
		t.Fatalf("put over a damaged copy: %v, want ECONFLICT", err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	err = s.Verify(d)
	if armstrace.ErrorCode(err) != armstrace.ENOTFOUND || !strings.Contains(err.Error(), d) {
		t.Fatalf("missing file: %v, want ENOTFOUND naming the file", err)
	}
}

func TestOpenRefusesABadDigest(t *testing.T) {
	s := open(t)
	if _, err := s.Open("../../etc/passwd"); armstrace.ErrorCode(err) != armstrace.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
}
