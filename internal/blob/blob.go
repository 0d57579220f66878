// Package blob keeps files by the SHA-256 of their bytes, in a folder:
// DIR/sha256/ab/abcdef… for a digest starting "ab". A stored file is
// written once, atomically (a temporary file renamed into place), and left
// read-only; storing the same bytes again finds it there and does nothing.
// Nothing here knows about sources or records: the store of records says
// which files belong to what.
package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/armstrace/armstrace"
)

// Mode is the permission of every stored file: an evidentiary copy is
// never written to once it is in place.
const Mode fs.FileMode = 0o444

var digestPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Store is a folder of content-addressed files. It is safe for concurrent
// use, also by several processes: files appear whole or not at all.
type Store struct {
	dir string
}

// Open returns the store in dir, creating the folder when create is set.
// Without it, a missing folder is no error: reading any file from it is
// ENOTFOUND, naming the file, which is what a reader needs to hear.
func Open(dir string, create bool) (*Store, error) {
	if dir == "" {
		return nil, armstrace.Errorf(armstrace.EINVALID, "no folder given for the file store")
	}
	if create {
		if err := os.MkdirAll(filepath.Join(dir, "sha256"), 0o755); err != nil {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, File: dir, Message: "cannot create the file store", Err: err}
		}
	}
	return &Store{dir: dir}, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// Rel returns the path of a digest's file relative to the store's folder,
// with forward slashes: "sha256/ab/abcdef…". Bundles use the same layout.
func Rel(digest string) string { return "sha256/" + digest[:2] + "/" + digest }

// Path returns where the file with digest is kept.
func (s *Store) Path(digest string) string {
	return filepath.Join(s.dir, filepath.FromSlash(Rel(digest)))
}

func checkDigest(digest string) error {
	if !digestPattern.MatchString(digest) {
		return armstrace.Errorf(armstrace.EINVALID, "%q is not a SHA-256 digest (64 lower-case hexadecimal digits)", digest)
	}
	return nil
}

// Put stores the bytes of r and returns their digest and size. created is
// false when the store held them already, in which case the stored copy
// is checked rather than touched: a damaged copy is ECONFLICT, never
// silently replaced.
func (s *Store) Put(r io.Reader) (digest string, size int64, created bool, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "sha256"), ".incoming-*")
	if err != nil {
		return "", 0, false, &armstrace.Error{Code: armstrace.EINTERNAL, File: s.dir, Message: "cannot write to the file store", Err: err}
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if size, err = io.Copy(io.MultiWriter(tmp, h), r); err != nil {
		return "", 0, false, err
	}
	digest = hex.EncodeToString(h.Sum(nil))
	dst := s.Path(digest)
	if _, err := os.Stat(dst); err == nil {
		if err := s.Verify(digest); err != nil {
			return "", 0, false, err
		}
		return digest, size, false, nil
	}
	// Flush to disk before the rename, so that a crash cannot leave a
	// stored name over bytes that never reached it.
	if err := tmp.Sync(); err != nil {
		return "", 0, false, err
	}
	if err := tmp.Chmod(Mode); err != nil {
		return "", 0, false, err
	}
	if err := tmp.Close(); err != nil {
		return "", 0, false, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", 0, false, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, false, err
	}
	tmp = nil
	return digest, size, true, nil
}

// PutBytes stores b, as Put does.
func (s *Store) PutBytes(b []byte) (digest string, created bool, err error) {
	digest, _, created, err = s.Put(bytes.NewReader(b))
	return digest, created, err
}

// Open opens the file with digest for reading; ENOTFOUND when the store
// does not hold it.
func (s *Store) Open(digest string) (*os.File, error) {
	if err := checkDigest(digest); err != nil {
		return nil, err
	}
	f, err := os.Open(s.Path(digest))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &armstrace.Error{Code: armstrace.ENOTFOUND, File: s.Path(digest), Message: "the file is missing from the file store", Err: err}
	}
	return f, err
}

// ReadAll returns the bytes of the file with digest, checked against it.
func (s *Store) ReadAll(digest string) ([]byte, error) {
	f, err := s.Open(digest)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if got := sum(b); got != digest {
		return nil, mismatch(s.Path(digest), got)
	}
	return b, nil
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func mismatch(path, got string) error {
	return &armstrace.Error{Code: armstrace.ECONFLICT, File: path, Message: fmt.Sprintf("the file's bytes hash to %s, not to its name: it was changed or damaged", got)}
}

// Verify re-reads the file with digest and checks its hash: ENOTFOUND
// when it is missing, ECONFLICT when its bytes no longer match.
func (s *Store) Verify(digest string) error {
	_, err := s.VerifyTo(digest, io.Discard)
	return err
}

// VerifyTo copies the file with digest to w while hashing it, and returns
// the bytes copied; the error says whether they matched. Backups use it
// to check each file as they copy it.
func (s *Store) VerifyTo(digest string, w io.Writer) (int64, error) {
	f, err := s.Open(digest)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), f)
	if err != nil {
		return n, &armstrace.Error{Code: armstrace.EINTERNAL, File: s.Path(digest), Message: "cannot read", Err: err}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != digest {
		return n, mismatch(s.Path(digest), got)
	}
	return n, nil
}

// Remove deletes the file with digest; removing a file the store does not
// hold is not an error.
func (s *Store) Remove(digest string) error {
	if err := checkDigest(digest); err != nil {
		return err
	}
	if err := os.Remove(s.Path(digest)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// List returns the digests of every file in the store, sorted.
func (s *Store) List() ([]string, error) {
	var out []string
	root := filepath.Join(s.dir, "sha256")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return fs.SkipDir
			}
			return err
		}
		if !d.IsDir() && digestPattern.MatchString(d.Name()) {
			out = append(out, d.Name())
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
