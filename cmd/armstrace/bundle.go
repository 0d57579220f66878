package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
	"github.com/armstrace/armstrace/internal/jsonl"
	"github.com/armstrace/armstrace/internal/store"
)

// A bundle is a zip or tar archive that a third party can check with
// standard tools. Everything sits in one folder named after the archive:
//
//	records.jsonl   the records, in the native format, as export writes them
//	files.jsonl     the records of the source files: originals and derived copies
//	custody.jsonl   the audit entries about each source: its chain of custody
//	files/sha256/ab/abcdef…  the bytes of each file held, named by digest
//	SHA256SUMS      "DIGEST  PATH" for every other file, as sha256sum writes
//
// so that "cd FOLDER && sha256sum -c SHA256SUMS" checks it all.
const (
	bundleRecords  = "records.jsonl"
	bundleFiles    = "files.jsonl"
	bundleCustody  = "custody.jsonl"
	bundleManifest = "SHA256SUMS"
	bundleBlobDir  = "files/"
)

// isBundle reports whether a file name is a bundle's, by its extension.
func isBundle(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".zip" || ext == ".tar"
}

// bundleFolder is the folder inside the archive: its name without the
// extension.
func bundleFolder(out string) string {
	base := filepath.Base(out)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// parseAccess reads an access level from a flag.
func parseAccess(v string) (armstrace.Access, error) {
	switch a := armstrace.Access(v); a {
	case armstrace.AccessPublic, armstrace.AccessRestricted, armstrace.AccessConfidential:
		return a, nil
	}
	return "", &armstrace.Error{Code: armstrace.EINVALID, Field: "max-access", Message: fmt.Sprintf("%q is not public, restricted or confidential", v)}
}

// archiveWriter adds files to a zip or tar archive.
type archiveWriter interface {
	add(name string, size int64, r io.Reader) error
	Close() error
}

type zipWriter struct {
	w   *zip.Writer
	now time.Time
}

func (z *zipWriter) add(name string, size int64, r io.Reader) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.now}
	h.SetMode(0o444)
	w, err := z.w.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

func (z *zipWriter) Close() error { return z.w.Close() }

type tarWriter struct {
	w   *tar.Writer
	now time.Time
}

func (t *tarWriter) add(name string, size int64, r io.Reader) error {
	if err := t.w.WriteHeader(&tar.Header{Name: name, Mode: 0o444, Size: size, ModTime: t.now, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	n, err := io.Copy(t.w, r)
	if err == nil && n != size {
		err = fmt.Errorf("%s: %d bytes written, %d announced", name, n, size)
	}
	return err
}

func (t *tarWriter) Close() error { return t.w.Close() }

// bundleSummary is what an export of a bundle wrote.
type bundleSummary struct {
	Bundle         string                       `json:"bundle"`
	ManifestSHA256 string                       `json:"manifest_sha256"` // sha256sum SHA256SUMS gives it
	ArchiveSHA256  string                       `json:"archive_sha256"`
	MaxAccess      armstrace.Access             `json:"max_access"`
	Records        int                          `json:"records"`
	Files          int                          `json:"files"`
	Bytes          int64                        `json:"bytes"`
	Withheld       map[armstrace.RecordType]int `json:"withheld"`
	Sources        []string                     `json:"-"`
}

// writeBundle writes a bundle of what readers of sources up to max may
// see to out, through a temporary file; the export is audited before the
// bundle takes its name, so that no bundle leaves without its entry.
func (a *App) writeBundle(ctx context.Context, s *store.Store, files *blob.Store, out string, max armstrace.Access) (*bundleSummary, error) {
	stage, err := os.MkdirTemp("", "armstrace-bundle-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	sum := &bundleSummary{Bundle: out, MaxAccess: max}
	filter := armstrace.NewAccessFilter(max)
	recs, err := os.Create(filepath.Join(stage, bundleRecords))
	if err != nil {
		return nil, err
	}
	defer recs.Close()
	fileRecs, err := os.Create(filepath.Join(stage, bundleFiles))
	if err != nil {
		return nil, err
	}
	defer fileRecs.Close()
	rw, fw := bufio.NewWriter(recs), bufio.NewWriter(fileRecs)
	var held []*armstrace.SourceFile
	err = s.ExportWithFiles(ctx, func(typ armstrace.RecordType, doc string) error {
		r := armstrace.NewRecord(typ)
		if err := json.Unmarshal([]byte(doc), r); err != nil {
			return err
		}
		kept := filter.Keep(r)
		if kept == nil {
			return nil
		}
		line, err := armstrace.CanonicalJSON(kept)
		if err != nil {
			return err
		}
		if typ == armstrace.TypeSource {
			sum.Sources = append(sum.Sources, r.RecordID())
		}
		sum.Records++
		_, err = rw.WriteString(jsonl.Line(typ, line) + "\n")
		return err
	}, func(doc string) error {
		f := &armstrace.SourceFile{}
		if err := json.Unmarshal([]byte(doc), f); err != nil {
			return err
		}
		if !filter.Kept(armstrace.TypeSource, f.Source) {
			return nil
		}
		if f.Held() {
			held = append(held, f)
		}
		_, err := fw.WriteString(doc + "\n")
		return err
	})
	if err != nil {
		return nil, err
	}
	sum.Withheld = filter.Withheld
	if err := rw.Flush(); err != nil {
		return nil, err
	}
	if err := fw.Flush(); err != nil {
		return nil, err
	}
	if err := writeCustody(ctx, s, filepath.Join(stage, bundleCustody), sum.Sources); err != nil {
		return nil, err
	}

	tmp, err := os.CreateTemp(dirOf(out), ".armstrace-bundle-*")
	if err != nil {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, File: out, Message: "cannot write", Err: err}
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	now := time.Now().UTC()
	var aw archiveWriter
	if strings.ToLower(filepath.Ext(out)) == ".tar" {
		aw = &tarWriter{tar.NewWriter(tmp), now}
	} else {
		aw = &zipWriter{zip.NewWriter(tmp), now}
	}
	folder := bundleFolder(out)
	var manifest []string
	// add puts one file in the archive and its digest in the manifest.
	add := func(name string, size int64, r io.Reader) error {
		h := sha256.New()
		if err := aw.add(folder+"/"+name, size, io.TeeReader(r, h)); err != nil {
			return err
		}
		manifest = append(manifest, hex.EncodeToString(h.Sum(nil))+"  "+name)
		return nil
	}
	for _, name := range []string{bundleRecords, bundleFiles, bundleCustody} {
		if err := addFile(add, filepath.Join(stage, name), name); err != nil {
			return nil, err
		}
	}
	var total int64
	for _, f := range held {
		total += f.Size
	}
	p := newProgress(a, "writing "+out, total)
	seen := map[string]bool{}
	for _, f := range held {
		if seen[f.SHA256] {
			continue
		}
		seen[f.SHA256] = true
		// Each file is checked as it is copied: a damaged copy stops
		// the export rather than travel as evidence.
		pr, pw := io.Pipe()
		go func() {
			_, err := files.VerifyTo(f.SHA256, pw)
			pw.CloseWithError(err)
		}()
		if err := add(bundleBlobDir+blob.Rel(f.SHA256), f.Size, pr); err != nil {
			pr.Close()
			var e *armstrace.Error
			if errors.As(err, &e) {
				return nil, err
			}
			return nil, &armstrace.Error{Code: armstrace.ECONFLICT, File: files.Path(f.SHA256), Message: fmt.Sprintf("cannot copy the file of %s into the bundle (run armstrace source verify)", f.ID), Err: err}
		}
		sum.Files++
		sum.Bytes += f.Size
		p.read += f.Size
		p.count()
	}
	p.done()
	sort.Slice(manifest, func(i, j int) bool { return manifest[i][66:] < manifest[j][66:] })
	body := strings.Join(manifest, "\n") + "\n"
	ms := sha256.Sum256([]byte(body))
	sum.ManifestSHA256 = hex.EncodeToString(ms[:])
	if err := aw.add(folder+"/"+bundleManifest, int64(len(body)), strings.NewReader(body)); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, tmp); err != nil {
		return nil, err
	}
	sum.ArchiveSHA256 = hex.EncodeToString(h.Sum(nil))
	if err := tmp.Chmod(0o644); err != nil {
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := auditExport(ctx, s, sum.Sources, map[string]any{
		"to": out, "format": "bundle", "manifest_sha256": sum.ManifestSHA256, "archive_sha256": sum.ArchiveSHA256,
		"max_access": string(max), "records": sum.Records, "files": sum.Files, "withheld": sum.Withheld,
	}, sum.ArchiveSHA256); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return nil, err
	}
	return sum, nil
}

func addFile(add func(string, int64, io.Reader) error, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return add(name, fi.Size(), f)
}

// writeCustody writes the audit entries about the sources, source by
// source, oldest first: the chain of custody that travels with them.
func writeCustody(ctx context.Context, s *store.Store, path string, sources []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, id := range sources {
		log, err := s.AuditLog(ctx, string(armstrace.TypeSource), id)
		if err != nil {
			return err
		}
		for _, e := range log {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// auditExport logs an export: one entry about the export itself (object
// type "export", its digest as id) and one custody entry on each source
// it carried, in one transaction.
func auditExport(ctx context.Context, s *store.Store, sources []string, detail map[string]any, digest string) error {
	b, err := s.BeginBatch(ctx)
	if err != nil {
		return err
	}
	defer b.Rollback()
	if err := b.Audit(armstrace.ActionExport, "export", digest, custodyDetail(detail)); err != nil {
		return err
	}
	per := custodyDetail(map[string]any{"to": detail["to"], "format": detail["format"], "export": digest})
	for _, id := range sources {
		if err := b.Audit(armstrace.ActionExport, string(armstrace.TypeSource), id, per); err != nil {
			return err
		}
	}
	return b.Commit()
}

// A bundle being read: its files are extracted to a temporary folder and
// checked against the manifest before anything is imported.
type openBundle struct {
	name     string // the archive, for messages
	dir      string // the extracted folder
	manifest string // SHA-256 of SHA256SUMS
	entries  map[string]string
}

var (
	manifestLine = regexp.MustCompile(`^([0-9a-f]{64}) [ *](.+)$`)
	blobEntry    = regexp.MustCompile(`^files/sha256/([0-9a-f]{2})/([0-9a-f]{64})$`)
)

// bundleError is EINVALID about the bundle, naming the file inside it.
func bundleError(bundle, inside, format string, args ...any) error {
	file := bundle
	if inside != "" {
		file += ": " + inside
	}
	return &armstrace.Error{Code: armstrace.EINVALID, File: file, Message: fmt.Sprintf(format, args...)}
}

// readBundle extracts a bundle and checks it: every file named in the
// manifest is present with its digest, every file present is named in the
// manifest, and every stored file is named by its own digest. Any failure
// refuses the whole bundle, naming the file.
func (a *App) readBundle(name string) (b *openBundle, err error) {
	dir, err := os.MkdirTemp("", "armstrace-import-*")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	b = &openBundle{name: name, dir: dir, entries: map[string]string{}}
	fi, err := os.Stat(name)
	if err != nil {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, File: name, Message: "cannot open: " + errors.Unwrap(err).Error()}
	}
	p := newProgress(a, "reading "+name, fi.Size())
	defer p.done()
	folder := ""
	extract := func(entry string, isDir bool, r io.Reader) error {
		if isDir {
			return nil
		}
		top, rel, ok := strings.Cut(entry, "/")
		if !ok || top == "" || rel == "" {
			return bundleError(name, entry, "is not inside the bundle's folder")
		}
		if folder == "" {
			folder = top
		} else if top != folder {
			return bundleError(name, entry, "is outside the bundle's folder %s", folder)
		}
		if rel != bundleRecords && rel != bundleFiles && rel != bundleCustody && rel != bundleManifest && !blobEntry.MatchString(rel) {
			return bundleError(name, entry, "is not a file a bundle holds")
		}
		if _, dup := b.entries[rel]; dup {
			return bundleError(name, entry, "appears twice")
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		f, err := os.Create(dst)
		if err != nil {
			return err
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, h), r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return bundleError(name, entry, "cannot be read: %v", err)
		}
		p.read += n
		p.count()
		b.entries[rel] = hex.EncodeToString(h.Sum(nil))
		return nil
	}
	if err := walkArchive(name, extract); err != nil {
		return nil, err
	}
	return b, b.check()
}

// walkArchive calls fn with each entry of a zip or tar archive.
func walkArchive(name string, fn func(entry string, isDir bool, r io.Reader) error) error {
	if strings.ToLower(filepath.Ext(name)) == ".zip" {
		zr, err := zip.OpenReader(name)
		if err != nil {
			return bundleError(name, "", "is not a readable zip archive: %v", err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			r, err := f.Open()
			if err != nil {
				return bundleError(name, f.Name, "cannot be read: %v", err)
			}
			err = fn(f.Name, f.FileInfo().IsDir(), r)
			r.Close()
			if err != nil {
				return err
			}
		}
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		return bundleError(name, "", "cannot be opened: %v", err)
	}
	defer f.Close()
	tr := tar.NewReader(bufio.NewReader(f))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bundleError(name, "", "is not a readable tar archive: %v", err)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			return bundleError(name, h.Name, "is not a regular file")
		}
		if err := fn(h.Name, false, tr); err != nil {
			return err
		}
	}
}

// check compares the extracted files with the manifest.
func (b *openBundle) check() error {
	body, err := os.ReadFile(filepath.Join(b.dir, bundleManifest))
	if err != nil {
		return bundleError(b.name, bundleManifest, "is missing: a bundle lists the SHA-256 of every file in it")
	}
	ms := sha256.Sum256(body)
	b.manifest = hex.EncodeToString(ms[:])
	listed := map[string]bool{bundleManifest: true}
	for i, line := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
		m := manifestLine.FindStringSubmatch(line)
		if m == nil {
			return bundleError(b.name, fmt.Sprintf("%s line %d", bundleManifest, i+1), "is not a line of the form DIGEST  PATH")
		}
		want, rel := m[1], path.Clean(m[2])
		if listed[rel] {
			return bundleError(b.name, fmt.Sprintf("%s line %d", bundleManifest, i+1), "lists %s twice", rel)
		}
		listed[rel] = true
		got, ok := b.entries[rel]
		switch {
		case !ok:
			return bundleError(b.name, rel, "is listed in %s but missing from the bundle", bundleManifest)
		case got != want:
			return &armstrace.Error{Code: armstrace.ECONFLICT, File: b.name + ": " + rel, Message: fmt.Sprintf("does not match its SHA-256 in %s (listed %s, found %s): the bundle was damaged or altered, and nothing was imported", bundleManifest, want, got)}
		}
		if bm := blobEntry.FindStringSubmatch(rel); bm != nil && (bm[2] != got || bm[1] != got[:2]) {
			return &armstrace.Error{Code: armstrace.ECONFLICT, File: b.name + ": " + rel, Message: fmt.Sprintf("is named for a digest its bytes do not have (found %s)", got)}
		}
	}
	for rel := range b.entries {
		if !listed[rel] {
			return bundleError(b.name, rel, "is not listed in %s", bundleManifest)
		}
	}
	for _, need := range []string{bundleRecords, bundleFiles} {
		if _, ok := b.entries[need]; !ok {
			return bundleError(b.name, need, "is missing")
		}
	}
	return nil
}

// importBundle imports a checked bundle: its files into the file store,
// then its records and source files in one transaction, with a transfer
// event on each source. All or nothing: files stored by a failed import
// are removed again.
func (a *App) importBundle(ctx context.Context, s *store.Store, files *blob.Store, bun *openBundle) (*armstrace.ImportStats, int, error) {
	var fileRecs []*armstrace.SourceFile
	body, err := os.ReadFile(filepath.Join(bun.dir, bundleFiles))
	if err != nil {
		return nil, 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		f := &armstrace.SourceFile{}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(f); err != nil {
			return nil, 0, bundleError(bun.name, fmt.Sprintf("%s line %d", bundleFiles, n), "is not a source file record: %v", err)
		}
		if err := f.Validate(); err != nil {
			return nil, 0, armstrace.AtLine(bun.name+": "+bundleFiles, n, err)
		}
		if f.Held() {
			got, ok := bun.entries[bundleBlobDir+blob.Rel(f.SHA256)]
			if !ok || got != f.SHA256 {
				return nil, 0, bundleError(bun.name, fmt.Sprintf("%s line %d", bundleFiles, n), "names file %s, which the bundle does not hold", f.SHA256)
			}
			fi, err := os.Stat(filepath.Join(bun.dir, filepath.FromSlash(bundleBlobDir+blob.Rel(f.SHA256))))
			if err != nil {
				return nil, 0, err
			}
			if fi.Size() != f.Size {
				return nil, 0, bundleError(bun.name, fmt.Sprintf("%s line %d", bundleFiles, n), "gives file %s a size of %d bytes; it has %d", f.SHA256, f.Size, fi.Size())
			}
		}
		fileRecs = append(fileRecs, f)
	}
	if err := sc.Err(); err != nil {
		return nil, 0, err
	}
	// A copy needs the file it was made from: originals first, then the
	// copies in the order they were made.
	sort.SliceStable(fileRecs, func(i, j int) bool {
		oi, oj := fileRecs[i].Role == armstrace.FileOriginal, fileRecs[j].Role == armstrace.FileOriginal
		if oi != oj {
			return oi
		}
		return fileRecs[i].Created < fileRecs[j].Created
	})
	var created []string
	committed := false
	defer func() {
		if !committed {
			for _, d := range created {
				files.Remove(d)
			}
		}
	}()
	stored := map[string]bool{}
	for _, f := range fileRecs {
		if !f.Held() || stored[f.SHA256] {
			continue
		}
		stored[f.SHA256] = true
		in, err := os.Open(filepath.Join(bun.dir, filepath.FromSlash(bundleBlobDir+blob.Rel(f.SHA256))))
		if err != nil {
			return nil, 0, err
		}
		d, _, isNew, err := files.Put(in)
		in.Close()
		if err != nil {
			return nil, 0, err
		}
		if d != f.SHA256 {
			return nil, 0, &armstrace.Error{Code: armstrace.ECONFLICT, File: bun.name + ": " + bundleBlobDir + blob.Rel(f.SHA256), Message: "changed while it was imported"}
		}
		if isNew {
			created = append(created, d)
		}
	}
	b, err := s.BeginBatch(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer b.Rollback()
	recName := bun.name + ": " + bundleRecords
	in, err := os.Open(filepath.Join(bun.dir, bundleRecords))
	if err != nil {
		return nil, 0, err
	}
	defer in.Close()
	r := jsonl.NewReader(in, recName)
	var sources []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		if _, err := b.Put(rec); err != nil {
			return nil, 0, armstrace.AtLine(recName, r.Line(), err)
		}
		if rec.RecordType() == armstrace.TypeSource {
			sources = append(sources, rec.RecordID())
		}
	}
	for _, f := range fileRecs {
		if _, err := b.AddSourceFile(f, "", ""); err != nil {
			return nil, 0, &armstrace.Error{Code: armstrace.ErrorCode(err), File: bun.name + ": " + bundleFiles, Message: fmt.Sprintf("file %s: %s", f.ID, armstrace.ErrorMessage(err)), Err: err}
		}
	}
	detail := custodyDetail(map[string]any{"from": bun.name, "manifest_sha256": bun.manifest})
	for _, id := range sources {
		if err := b.Audit(armstrace.ActionTransfer, string(armstrace.TypeSource), id, detail); err != nil {
			return nil, 0, err
		}
	}
	if err := b.Commit(); err != nil {
		return nil, 0, err
	}
	committed = true
	return b.Stats(), len(stored), nil
}
