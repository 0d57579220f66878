package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
	"github.com/armstrace/armstrace/internal/derive"
	"github.com/armstrace/armstrace/internal/evidence"
	"github.com/armstrace/armstrace/internal/store"
)

// EnvFiles names the variable that holds the folder of stored files.
const EnvFiles = "ARMSTRACE_FILES"

// filesFlag registers --files, the folder of the stored files.
func filesFlag(fs *flag.FlagSet) *string {
	return fs.String("files", "", "folder of the stored source files (default: the SQLite database's path with .files added, or $"+EnvFiles+"; required for PostgreSQL)")
}

// filesDir returns the folder of the stored files: --files, then
// $ARMSTRACE_FILES, then DB.files beside a SQLite database. A PostgreSQL
// database has no folder beside it, so there it must be named.
func (a *App) filesDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if v := os.Getenv(EnvFiles); v != "" {
		return v, nil
	}
	if store.IsPostgres(a.DB) {
		return "", armstrace.Errorf(armstrace.EINVALID, "name the folder of stored files with --files DIR or $%s: a PostgreSQL database has no folder beside it", EnvFiles)
	}
	return a.DB + ".files", nil
}

// openFiles opens the file store; create makes its folder if missing.
func (a *App) openFiles(flagValue string, create bool) (*blob.Store, error) {
	dir, err := a.filesDir(flagValue)
	if err != nil {
		return nil, err
	}
	return blob.Open(dir, create)
}

func (a *App) runSource(ctx context.Context, args []string) error {
	fs := a.newFlagSet("source", "source add FILE [flags] | show ID | cat ID [--file SHA256] [-o FILE] | derive ID --text | derive ID --redact-lines L --redact-pattern RE | history ID | verify | dispose ID --reason R [--file SHA256]", `
Keep the evidence itself, with its chain of custody. "source add" stores
the exact bytes of a file under their SHA-256, read-only, and creates or
updates the source record with the digest and the capture time; adding
the same bytes again changes nothing. The files live in a folder beside a
SQLite database (DB.files), or where --files or $`+EnvFiles+` says.

  add      collect a file as a source's original (--id, default src: and
           the first 12 digits of its SHA-256). A new source is restricted
           unless --access says otherwise.
  show     print a source and its files.
  cat      write a file's bytes, checked against their digest: the
           original, or the copy --file names.
  derive   make a working copy: --text extracts the text of a text or
           HTML file; --redact-lines and --redact-pattern black out lines
           and matches of a text file (patterns are recorded only by
           their SHA-256). The original is never changed.
  history  print the source's chain of custody from the audit log.
  verify   re-hash every stored file; exits 1 if any is missing or changed.
  dispose  remove a source's files (or the one --file names) for a
           reason; the records and digests stay.

Every step is in the audit log: collected, viewed, derived, exported,
transferred, disposed.`,
		"armstrace source add release.html --url https://www.humanrightsfirst.org/... --title \"Syria's Shaky Ceasefire\" --access public --kind document",
		"armstrace source add statement.txt --id src:witness-7 --access confidential",
		"armstrace source derive src:witness-7 --redact-lines 1-2 --redact-pattern '\\+963[0-9 ]+'",
		"armstrace source history src:witness-7",
		"armstrace source cat src:witness-7 -o statement-copy.txt",
		"armstrace source verify")
	files := filesFlag(fs)
	id := fs.String("id", "", "add: the source's id (default src: and the first 12 digits of the file's SHA-256)")
	url := fs.String("url", "", "add: where the file was captured from")
	title := fs.String("title", "", "add: the source's title (default the file's name)")
	publisher := fs.String("publisher", "", "add: who published it")
	published := fs.String("published", "", "add: when it was published (YYYY, YYYY-MM or YYYY-MM-DD)")
	captured := fs.String("captured", "", "add: when the copy was taken, RFC 3339 in UTC (default now)")
	access := fs.String("access", "", "add: public, restricted or confidential (a new source defaults to restricted)")
	kind := fs.String("kind", "", "add: document, article, media, correspondence or dataset (default by the file's type)")
	file := fs.String("file", "", "cat, dispose: the SHA-256 of one file of the source (default: cat the original, dispose them all)")
	out := fs.String("o", "-", "cat: write to FILE instead of standard output")
	text := fs.Bool("text", false, "derive: extract the text")
	lines := fs.String("redact-lines", "", "derive: lines to black out, such as 1-3,7")
	var patterns patternList
	fs.Var(&patterns, "redact-pattern", "derive: a regular expression whose matches are blacked out (repeatable)")
	from := fs.String("from", "", "derive: the SHA-256 of the file to work from (default the original, or for a redaction of a non-text original its newest text copy)")
	reason := fs.String("reason", "", "dispose: why the files are removed")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return a.usageError(fs, "source needs add, show, cat, derive, history, verify or dispose")
	}
	verb, pos := pos[0], pos[1:]
	one := func() (string, error) {
		if len(pos) != 1 {
			return "", a.usageError(fs, "source %s takes one source id", verb)
		}
		return pos[0], nil
	}
	switch verb {
	case "add":
		if len(pos) != 1 {
			return a.usageError(fs, "source add takes one file")
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		return a.sourceAdd(ctx, *files, pos[0], addOptions{id: *id, url: *url, title: *title, publisher: *publisher, published: *published, captured: *captured, access: *access, kind: *kind, set: set})
	case "show":
		sid, err := one()
		if err != nil {
			return err
		}
		return a.sourceShow(ctx, sid)
	case "cat":
		sid, err := one()
		if err != nil {
			return err
		}
		return a.sourceCat(ctx, *files, sid, *file, *out)
	case "derive":
		sid, err := one()
		if err != nil {
			return err
		}
		redact := *lines != "" || len(patterns) > 0
		if *text == redact {
			return a.usageError(fs, "source derive needs either --text or a redaction (--redact-lines, --redact-pattern)")
		}
		var r *derive.Redaction
		if redact {
			r = &derive.Redaction{Patterns: patterns}
			if *lines != "" {
				if r.Lines, err = derive.ParseLines(*lines); err != nil {
					return err
				}
			}
		}
		return a.sourceDerive(ctx, *files, sid, *from, r)
	case "history":
		sid, err := one()
		if err != nil {
			return err
		}
		return a.sourceHistory(ctx, sid)
	case "verify":
		if len(pos) != 0 {
			return a.usageError(fs, "source verify takes no arguments")
		}
		return a.sourceVerify(ctx, *files)
	case "dispose":
		sid, err := one()
		if err != nil {
			return err
		}
		if strings.TrimSpace(*reason) == "" {
			return a.usageError(fs, "source dispose needs --reason")
		}
		return a.sourceDispose(ctx, *files, sid, *file, *reason)
	}
	return a.usageError(fs, "unknown source subcommand %q", verb)
}

// patternList is a repeatable flag whose values are kept whole: a
// regular expression may hold commas.
type patternList []string

func (l *patternList) String() string     { return strings.Join(*l, " ") }
func (l *patternList) Set(v string) error { *l = append(*l, v); return nil }

type addOptions struct {
	id, url, title, publisher, published, captured, access, kind string
	set                                                          map[string]bool // flags given
}

// custodyDetail encodes the detail of a custody event.
func custodyDetail(v any) string { return evidence.Detail(v) }

func (a *App) sourceAdd(ctx context.Context, filesFlag, path string, o addOptions) error {
	in, err := os.Open(path)
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: path, Message: "cannot open: " + errors.Unwrap(err).Error()}
	}
	defer in.Close()
	s, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	files, err := a.openFiles(filesFlag, true)
	if err != nil {
		return err
	}
	c, err := evidence.Collect(ctx, s, files, in, path, evidence.Fields{ID: o.id, URL: o.url, Title: o.title, Publisher: o.publisher,
		Published: o.published, Captured: o.captured, Access: o.access, Kind: o.kind, Set: o.set})
	if err != nil {
		// A field at fault is the flag of that name.
		var e *armstrace.Error
		if errors.As(err, &e) && e.Field != "" {
			return &armstrace.Error{Code: e.Code, File: path, Message: fmt.Sprintf("--%s: %s", e.Field, e.Message)}
		}
		return err
	}
	src, digest := c.Source, c.File.SHA256
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"source": src, "record": c.Record, "file": c.Stored, "sha256": digest, "size": c.Size, "path": files.Path(digest)})
	}
	if c.Stored == armstrace.PutUnchanged {
		fmt.Fprintf(a.Stdout, "%s already holds this file (sha256 %s); record %s\n", src.ID, digest, c.Record)
		return nil
	}
	fmt.Fprintf(a.Stdout, "%s: collected %s, %d bytes, sha256 %s, captured %s; record %s\nstored read-only at %s\n", src.ID, c.File.Name, c.Size, digest, src.Captured, c.Record, files.Path(digest))
	return nil
}

// sourceAndFiles reads a source and its files.
// openSource opens the store and the file store for a command on one
// source, and reads the source's file records. The caller closes the
// store.
func (a *App) openSource(ctx context.Context, filesFlag, id string, write, createFiles bool) (*store.Store, *blob.Store, []*armstrace.SourceFile, error) {
	s, err := a.openStore(ctx, write)
	if err != nil {
		return nil, nil, nil, err
	}
	files, err := a.openFiles(filesFlag, createFiles)
	var all []*armstrace.SourceFile
	if err == nil {
		_, all, err = sourceAndFiles(ctx, s, id)
	}
	if err != nil {
		s.Close()
		return nil, nil, nil, err
	}
	return s, files, all, nil
}

func sourceAndFiles(ctx context.Context, s *store.Store, id string) (*armstrace.Source, []*armstrace.SourceFile, error) {
	src, err := s.FindSourceByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	fs, err := s.FindSourceFiles(ctx, id)
	return src, fs, err
}

func (a *App) sourceShow(ctx context.Context, id string) error {
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	src, files, err := sourceAndFiles(ctx, s, id)
	if err != nil {
		return err
	}
	if err := s.AuditEvents(ctx, armstrace.ActionRead, string(armstrace.TypeSource), []string{id}, custodyDetail(map[string]string{"via": "source show"})); err != nil {
		return err
	}
	if files == nil {
		files = []*armstrace.SourceFile{}
	}
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"source": src, "files": files})
	}
	w := a.Stdout
	fmt.Fprintf(w, "%s  %s\n  kind %s, access %s\n", src.ID, src.Title, src.Kind, src.Access)
	for _, l := range [][2]string{{"publisher", src.Publisher}, {"published", string(src.Published)}, {"url", src.URL}, {"captured", src.Captured}, {"sha256", src.SHA256}} {
		if l[1] != "" {
			fmt.Fprintf(w, "  %s %s\n", l[0], l[1])
		}
	}
	if len(files) == 0 {
		fmt.Fprintln(w, "  no files held")
	}
	for _, f := range files {
		state := "held"
		if !f.Held() {
			state = "disposed " + f.Disposed + ": " + f.DisposeReason
		}
		fmt.Fprintf(w, "  %s %s %d bytes %s, %s", f.Role, f.SHA256, f.Size, f.Name, state)
		if f.Role == armstrace.FileDerived {
			fmt.Fprintf(w, "\n    from %s: %s", f.From, f.Detail)
		}
		fmt.Fprintln(w)
	}
	return nil
}

// pickFile returns the file of a source with digest sha, or its original
// when sha is empty.
func pickFile(id, sha string, files []*armstrace.SourceFile) (*armstrace.SourceFile, error) {
	for _, f := range files {
		if (sha == "" && f.Role == armstrace.FileOriginal) || (sha != "" && f.SHA256 == strings.ToLower(sha)) {
			if !f.Held() {
				return nil, armstrace.Errorf(armstrace.ENOTFOUND, "the file %s of %s was disposed of on %s (%s)", f.SHA256, id, f.Disposed, f.DisposeReason)
			}
			return f, nil
		}
	}
	if sha == "" {
		return nil, armstrace.Errorf(armstrace.ENOTFOUND, "source %s holds no original file; collect one with armstrace source add FILE --id %s", id, id)
	}
	return nil, armstrace.Errorf(armstrace.ENOTFOUND, "source %s holds no file with sha256 %s", id, sha)
}

func (a *App) sourceCat(ctx context.Context, filesFlag, id, sha, out string) error {
	s, files, all, err := a.openSource(ctx, filesFlag, id, false, false)
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := pickFile(id, sha, all)
	if err != nil {
		return err
	}
	// The bytes are checked before any leave, so a damaged copy is never
	// passed on as the evidence.
	body, err := files.ReadAll(f.SHA256)
	if err != nil {
		return err
	}
	to := "standard output"
	if out != "-" {
		to = out
	}
	if err := s.AuditEvents(ctx, armstrace.ActionRead, string(armstrace.TypeSource), []string{id}, custodyDetail(map[string]string{"via": "source cat", "file": f.ID, "sha256": f.SHA256, "to": to})); err != nil {
		return err
	}
	if out == "-" {
		_, err := a.Stdout.Write(body)
		return err
	}
	return writeFileAtomic(out, func(w io.Writer) error {
		_, err := w.Write(body)
		return err
	})
}

func (a *App) sourceDerive(ctx context.Context, filesFlag, id, from string, r *derive.Redaction) error {
	s, files, all, err := a.openSource(ctx, filesFlag, id, true, false)
	if err != nil {
		return err
	}
	defer s.Close()
	parent, err := pickFile(id, from, all)
	if err != nil {
		return err
	}
	if r != nil && from == "" && parent.MediaType != "text/plain" {
		// A redaction works on plain text: take the newest text copy.
		parent = nil
		for _, f := range all {
			if f.Held() && f.Transform == armstrace.TransformText {
				parent = f
			}
		}
		if parent == nil {
			return armstrace.Errorf(armstrace.EINVALID, "the original of %s is not plain text: extract its text first (source derive %s --text), or name a text copy with --from", id, id)
		}
	}
	in, err := files.ReadAll(parent.SHA256)
	if err != nil {
		return err
	}
	name := parent.Name
	if name == "" {
		name = parent.SHA256
	}
	var body []byte
	var detail, action, suffix string
	transform := armstrace.TransformText
	if r == nil {
		body, detail, err = derive.Text(name, in)
		action, suffix = armstrace.ActionExtract, ".txt"
	} else {
		body, detail, err = derive.Redact(name, in, *r)
		action, suffix, transform = armstrace.ActionRedact, ".redacted.txt", armstrace.TransformRedact
	}
	if err != nil {
		return err
	}
	digest, created, err := files.PutBytes(body)
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(name, filepath.Ext(name))
	f := &armstrace.SourceFile{Source: id, SHA256: digest, Size: int64(len(body)), Role: armstrace.FileDerived, Name: base + suffix, MediaType: "text/plain",
		From: parent.SHA256, Transform: transform, Detail: detail, Created: time.Now().UTC().Format(time.RFC3339Nano)}
	res, err := s.AddSourceFile(ctx, f, action, custodyDetail(map[string]any{"file": f.Name, "sha256": digest, "size": f.Size, "from": parent.SHA256, "transform": string(transform), "detail": detail}))
	if err != nil {
		if created {
			files.Remove(digest)
		}
		return err
	}
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"file": f, "result": res})
	}
	if res == armstrace.PutUnchanged {
		fmt.Fprintf(a.Stdout, "%s already holds this copy: sha256 %s\n", id, digest)
		return nil
	}
	fmt.Fprintf(a.Stdout, "%s: %s copy %s, %d bytes, sha256 %s, from %s\n  %s\n", id, transform, f.Name, f.Size, digest, parent.SHA256, detail)
	return nil
}

// custodyLabels names the audit actions as events in a source's life.
var custodyLabels = map[string]string{
	armstrace.ActionCreate:   "record created",
	armstrace.ActionUpdate:   "record updated",
	armstrace.ActionDelete:   "record deleted",
	armstrace.ActionCollect:  "collected",
	armstrace.ActionRead:     "viewed",
	armstrace.ActionExport:   "exported",
	armstrace.ActionTransfer: "transferred",
	armstrace.ActionExtract:  "text extracted",
	armstrace.ActionRedact:   "redacted",
	armstrace.ActionDispose:  "disposed",
}

func (a *App) sourceHistory(ctx context.Context, id string) error {
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	log, err := s.AuditLog(ctx, string(armstrace.TypeSource), id)
	if err != nil {
		return err
	}
	if len(log) == 0 {
		return armstrace.Errorf(armstrace.ENOTFOUND, "the audit log holds nothing about source %s", id)
	}
	if a.JSON {
		return writeJSON(a.Stdout, log)
	}
	fmt.Fprintf(a.Stdout, "chain of custody of %s (%d events; each entry's hash is in the audit log, checked by armstrace audit verify)\n", id, len(log))
	for _, e := range log {
		label := custodyLabels[e.Action]
		if label == "" {
			label = e.Action
		}
		fmt.Fprintf(a.Stdout, "%6d  %s  %-14s  %s\n", e.Seq, e.Time, label, e.Actor)
		if summary := summarize(e); summary != "" {
			fmt.Fprintf(a.Stdout, "        %s\n", summary)
		}
	}
	return nil
}

// summarize gives the detail of a custody event on one line: the fields
// of its JSON object, or for a record's write the digest of the version.
func summarize(e armstrace.AuditEntry) string {
	if armstrace.WritesData(e.Action) {
		return "version sha256 " + e.Digest
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(e.Change), &m); err != nil || len(m) == 0 {
		return e.Change
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if v := fmt.Sprint(m[k]); v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, " ")
}

// fileProblem is a stored file that failed verification.
type fileProblem struct {
	File    string `json:"file"` // the source file's id
	SHA256  string `json:"sha256"`
	Path    string `json:"path"`
	Problem string `json:"problem"`
}

// verifyFiles re-hashes every held file once per digest and checks each
// original against its source's digest. It draws a progress bar.
func (a *App) verifyFiles(ctx context.Context, s *store.Store, files *blob.Store) (checked int, problems []fileProblem, err error) {
	all, err := s.FindSourceFiles(ctx, "")
	if err != nil {
		return 0, nil, err
	}
	var size int64
	for _, f := range all {
		size += f.Size
	}
	p := newProgress(a, "verifying files", size)
	defer p.done()
	seen := map[string]error{}
	for _, f := range all {
		if !f.Held() {
			continue
		}
		if f.Role == armstrace.FileOriginal {
			src, err := s.FindSourceByID(ctx, f.Source)
			if err != nil {
				return 0, nil, err
			}
			if src.SHA256 != f.SHA256 {
				problems = append(problems, fileProblem{f.ID, f.SHA256, files.Path(f.SHA256), fmt.Sprintf("the source record now says sha256 %q: it no longer describes its original", src.SHA256)})
			}
		}
		verr, done := seen[f.SHA256]
		if !done {
			if err := ctx.Err(); err != nil {
				return 0, nil, err
			}
			verr = files.Verify(f.SHA256)
			seen[f.SHA256] = verr
			checked++
			p.read += f.Size
			p.count()
		}
		switch armstrace.ErrorCode(verr) {
		case "":
		case armstrace.ENOTFOUND:
			problems = append(problems, fileProblem{f.ID, f.SHA256, files.Path(f.SHA256), "missing"})
		case armstrace.ECONFLICT:
			problems = append(problems, fileProblem{f.ID, f.SHA256, files.Path(f.SHA256), "changed: its bytes no longer hash to its digest"})
		default:
			return 0, nil, verr
		}
	}
	return checked, problems, nil
}

// errFilesBroken is returned when verification finds a bad file; the
// report has been printed.
var errFilesBroken = &armstrace.Error{Code: armstrace.ECONFLICT, Message: "stored files failed verification"}

func (a *App) sourceVerify(ctx context.Context, filesFlag string) error {
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	dir, err := a.filesDir(filesFlag)
	if err != nil {
		return err
	}
	// A missing folder is no error here: every held file is reported
	// missing, by name.
	files, err := blob.Open(dir, false)
	if err != nil {
		return err
	}
	checked, problems, err := a.verifyFiles(ctx, s, files)
	if err != nil {
		return err
	}
	if problems == nil {
		problems = []fileProblem{}
	}
	if a.JSON {
		if err := writeJSON(a.Stdout, map[string]any{"files": checked, "problems": problems, "ok": len(problems) == 0}); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			fmt.Fprintf(a.Stdout, "FAILED %s: %s (%s)\n", p.File, p.Problem, p.Path)
		}
		fmt.Fprintf(a.Stdout, "%d stored files checked in %s: %d problems\n", checked, files.Dir(), len(problems))
	}
	if len(problems) > 0 {
		return errFilesBroken
	}
	return nil
}

func (a *App) sourceDispose(ctx context.Context, filesFlag, id, sha, reason string) error {
	s, files, all, err := a.openSource(ctx, filesFlag, id, true, true)
	if err != nil {
		return err
	}
	defer s.Close()
	var targets []*armstrace.SourceFile
	for _, f := range all {
		if f.Held() && (sha == "" || f.SHA256 == strings.ToLower(sha)) {
			targets = append(targets, f)
		}
	}
	if len(targets) == 0 {
		return armstrace.Errorf(armstrace.ENOTFOUND, "source %s holds no file to dispose of%s", id, map[bool]string{true: "", false: " with sha256 " + sha}[sha == ""])
	}
	for _, f := range targets {
		if _, err := s.DisposeSourceFile(ctx, f.ID, reason); err != nil {
			return err
		}
		held, err := s.HeldSHA256(ctx, f.SHA256)
		if err != nil {
			return err
		}
		kept := " (the bytes stay: another source holds them)"
		if !held {
			if err := files.Remove(f.SHA256); err != nil {
				return err
			}
			kept = ""
		}
		fmt.Fprintf(a.Stdout, "%s: disposed of %s %s%s\n", id, f.Role, f.SHA256, kept)
	}
	return nil
}
