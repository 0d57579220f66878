// Package evidence takes a file into custody as a source's original: its
// exact bytes kept read-only under their SHA-256 in the file store, the
// source record created or brought up to date with the digest and the
// capture time, and the collection in the source's chain of custody, all
// or nothing. The command line (source add) and the web UI collect
// through it.
package evidence

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
	"github.com/armstrace/armstrace/internal/derive"
	"github.com/armstrace/armstrace/internal/extract"
	"github.com/armstrace/armstrace/internal/store"
)

// Fields are what the collector says of the source. Set names the ones
// given: only those change an existing record.
type Fields struct {
	ID, URL, Title, Publisher, Published, Captured, Access, Kind string
	Set                                                          map[string]bool
	// MayUpdate, when set, is asked before an existing source is touched
	// (its id given, or derived from bytes collected before): an error
	// stops the collection. The web UI uses it so that nobody writes to a
	// source they may not read, nor opens one up.
	MayUpdate func(existing *armstrace.Source) error
}

// Collected is what a collection came to.
type Collected struct {
	Source *armstrace.Source
	File   *armstrace.SourceFile
	Record armstrace.PutResult // of the source record
	Stored armstrace.PutResult // of the file: unchanged when already held
	Size   int64
}

// Collect stores the bytes of r, a file named name, as the original of a
// source. Other bytes under an existing source's id are refused: a new
// capture is a new source. A new source is restricted unless Access says
// otherwise. Errors about a field name it as the flag or form field of
// the same name.
func Collect(ctx context.Context, s *store.Store, files *blob.Store, r io.ReadSeeker, name string, f Fields) (*Collected, error) {
	head := make([]byte, 512)
	n, _ := io.ReadFull(r, head)
	mediaType := derive.MediaType(name, head[:n])
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	digest, size, created, err := files.Put(r)
	if err != nil {
		return nil, err
	}
	// If the record cannot be written, take back a file stored just now,
	// unless a record of another collection of the same bytes, committed
	// meanwhile, refers to it.
	committed := false
	defer func() {
		if created && !committed {
			if held, err := s.HeldSHA256(context.WithoutCancel(ctx), digest); err == nil && !held {
				files.Remove(digest)
			}
		}
	}()
	if f.ID == "" {
		f.ID = "src:" + digest[:12]
	}
	src, err := s.FindSourceByID(ctx, f.ID)
	isNew := false
	switch {
	case armstrace.ErrorCode(err) == armstrace.ENOTFOUND:
		isNew = true
		src = &armstrace.Source{ID: f.ID, Kind: kindOf(mediaType), Title: filepath.Base(name), Access: armstrace.AccessRestricted}
	case err != nil:
		return nil, err
	default:
		if f.MayUpdate != nil {
			if err := f.MayUpdate(src); err != nil {
				return nil, err
			}
		}
		if src.SHA256 != "" && src.SHA256 != digest {
			return nil, &armstrace.Error{Code: armstrace.ECONFLICT, File: name, Message: fmt.Sprintf("source %s records sha256 %s, but this file's is %s: a new capture is a new source (give it another id)", f.ID, src.SHA256, digest)}
		}
	}
	for _, x := range []struct {
		field string
		dst   *string
		v     string
	}{{"url", &src.URL, f.URL}, {"title", &src.Title, f.Title}, {"publisher", &src.Publisher, f.Publisher}, {"published", (*string)(&src.Published), f.Published}, {"access", (*string)(&src.Access), f.Access}, {"kind", (*string)(&src.Kind), f.Kind}} {
		if f.Set[x.field] {
			*x.dst = x.v
		}
	}
	switch {
	case f.Set["captured"]:
		src.Captured = f.Captured
	case src.Captured == "":
		src.Captured = time.Now().UTC().Format(time.RFC3339)
	}
	src.SHA256 = digest
	src.Normalize()
	if err := src.Validate(); err != nil {
		var e *armstrace.Error
		if errors.As(err, &e) && e.Field != "" {
			return nil, &armstrace.Error{Code: e.Code, File: name, Field: e.Field, Message: e.Message}
		}
		return nil, err
	}
	file := &armstrace.SourceFile{Source: src.ID, SHA256: digest, Size: size, Role: armstrace.FileOriginal, Name: filepath.Base(name), MediaType: mediaType, Created: time.Now().UTC().Format(time.RFC3339Nano)}
	detail := Detail(map[string]any{"file": file.Name, "sha256": digest, "size": size, "media_type": mediaType, "url": src.URL, "captured": src.Captured})
	b, err := s.BeginBatch(ctx)
	if err != nil {
		return nil, err
	}
	defer b.Rollback()
	var recRes armstrace.PutResult
	if isNew {
		// Created only if its id is still free: a source made meanwhile
		// under it (by someone this collector may not write for) is left
		// alone, and the collection refused.
		if recRes, err = b.Write(armstrace.WriteEnsure, src); err == nil && recRes != armstrace.PutCreated {
			err = &armstrace.Error{Code: armstrace.ECONFLICT, Field: "id", Message: fmt.Sprintf("source %s was made by someone else meanwhile: collect again", src.ID)}
		}
	} else {
		recRes, err = b.Put(src)
	}
	if err != nil {
		return nil, err
	}
	fileRes, err := b.AddSourceFile(file, armstrace.ActionCollect, detail)
	if err != nil {
		return nil, err
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	committed = true
	return &Collected{Source: src, File: file, Record: recRes, Stored: fileRes, Size: size}, nil
}

// Detail encodes the detail of a custody event.
func Detail(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings and numbers always encode
	}
	return string(b)
}

// kindOf guesses a source's kind from its file's media type.
func kindOf(mediaType string) armstrace.SourceKind {
	for _, p := range []string{"image/", "video/", "audio/"} {
		if strings.HasPrefix(mediaType, p) {
			return armstrace.SourceMedia
		}
	}
	return armstrace.SourceDocument
}

// Text returns the text of a source's stored copy for reading: its newest
// text copy (source derive --text), else its original when that is text
// or HTML (HTML turned to text), checked against its digest; the reading
// goes to the source's chain of custody, via the caller named. name is
// how to refer to it: the source and its file.
func Text(ctx context.Context, s *store.Store, files *blob.Store, id, via string) (name, text string, err error) {
	all, err := s.FindSourceFiles(ctx, id)
	if err != nil {
		return "", "", err
	}
	var pick *armstrace.SourceFile
	for _, f := range all {
		if !f.Held() {
			continue
		}
		switch {
		case f.Transform == armstrace.TransformText:
			pick = f // the newest text copy wins
		case pick == nil && f.Role == armstrace.FileOriginal && (strings.HasPrefix(f.MediaType, "text/plain") || strings.HasPrefix(f.MediaType, "text/html")):
			pick = f
		}
	}
	if pick == nil {
		return "", "", armstrace.Errorf(armstrace.ENOTFOUND, "source %s holds no text to read: make a text copy of its file (armstrace source derive %s --text), or give the report's text", id, id)
	}
	body, err := files.ReadAll(pick.SHA256)
	if err != nil {
		return "", "", err
	}
	name = id + " (" + pick.Name + ")"
	text = string(body)
	if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
		return "", "", armstrace.Errorf(armstrace.EINVALID, "%s: not UTF-8 text", name)
	}
	if err := s.AuditEvents(ctx, armstrace.ActionRead, string(armstrace.TypeSource), []string{id}, Detail(map[string]string{"via": via, "file": pick.ID, "sha256": pick.SHA256})); err != nil {
		return "", "", err
	}
	if strings.HasPrefix(pick.MediaType, "text/html") || pick.MediaType == "" && extract.LooksLikeHTML(text) {
		text = extract.HTMLText(text)
	}
	return name, text, nil
}
