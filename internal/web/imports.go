package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/importer"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/jsonl"
)

// maxImport bounds an import's body.
const maxImport = 256 << 20

// importRecords answers POST /api/v1/imports?format=jsonl: the body's
// records written in one transaction, all or nothing, acknowledged (201)
// only once committed. A bad line is a 400 naming the line and the field;
// nothing of the body is then written. Each record is audited as written
// by the user.
func (s *Server) importRecords(w http.ResponseWriter, r *http.Request) error {
	if f := r.URL.Query().Get("format"); f != "" && f != "jsonl" {
		return s.importDatasetAPI(w, r, f)
	}
	b, err := s.Store.BeginBatch(r.Context())
	if err != nil {
		return err
	}
	defer b.Rollback()
	const name = "upload"
	rd := jsonl.NewReader(http.MaxBytesReader(w, r.Body, maxImport), name)
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := s.mayWrite(r.Context(), rec); err != nil {
			return armstrace.AtLine(name, rd.Line(), err)
		}
		if _, err := b.Write(armstrace.WritePut, rec); err != nil {
			return armstrace.AtLine(name, rd.Line(), err)
		}
	}
	if err := b.Commit(); err != nil {
		return err
	}
	st := b.Stats()
	c, u, n := st.Total()
	return writeJSON(w, http.StatusCreated, map[string]any{"created": c, "updated": u, "unchanged": n, "by_type": st})
}

// importDatasetAPI answers POST /api/v1/imports?format=F&name=FILE for a
// dataset format: the body is the file (named by name, which some formats
// read their version from), imported in one transaction as by armstrace
// import, answered 201 with its import run once committed, or 400 with
// every bad row (up to a hundred) and nothing written. A format that
// reads companion files (OFAC's alt.csv) gets none here: the import page
// and the command line take them.
func (s *Server) importDatasetAPI(w http.ResponseWriter, r *http.Request, format string) error {
	f, ok := importer.Find(format)
	if !ok {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "format", Message: fmt.Sprintf("unknown format %q", format)}
	}
	name := uploadName(r.URL.Query().Get("name"))
	if name == "/" || name == "." {
		name = "upload"
	}
	dir, err := os.MkdirTemp("", "armstrace-upload-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, http.MaxBytesReader(w, r.Body, maxImport))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, Message: "the body could not be read whole", Err: err}
	}
	rep, err := s.importDataset(r.Context(), f, path, new(atomic.Int64))
	if err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		return writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": armstrace.EINVALID,
			"message": fmt.Sprintf("%d bad row(s) in %s; nothing was imported", len(rep.Errors), name), "rows": rep.Errors, "more": rep.More}})
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged, "run": rep.Run})
}

// reviewAPI answers POST /api/v1/claims/{id}/review with {"status",
// "reason"}: the claim moved to the status, its reviews recording who,
// when and why.
func (s *Server) reviewAPI(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Status armstrace.Status `json:"status"`
		Reason string           `json:"reason"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := s.review(r.Context(), r.PathValue("id"), req.Status, req.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// maxReported bounds the bad lines an import page lists.
const maxReported = 100

// importReport is what the import page shows: the counts written, or the
// bad lines when nothing was.
type importReport struct {
	File                        string
	Format                      string
	Created, Updated, Unchanged int
	Errors                      []string
	More                        bool // more bad lines than listed
	// Run is a dataset file's import run: rows read, the snapshot
	// source, warnings and names left unresolved.
	Run *armstrace.ImportRun
}

// importUpload writes a JSON Lines upload in one transaction. At the first
// bad line it stops writing, reads on to report up to maxReported bad
// lines (each checked on its own; references are checked only on the
// lines written), and writes nothing.
func (s *Server) importUpload(ctx context.Context, body io.Reader, name string, progress *atomic.Int64) (*importReport, error) {
	rep := &importReport{File: name}
	b, err := s.Store.BeginBatch(ctx)
	if err != nil {
		return nil, err
	}
	defer b.Rollback()
	if progress != nil {
		body = &countingReader{r: body, n: progress}
	}
	rd := jsonl.NewReader(http.MaxBytesReader(nil, io.NopCloser(body), maxImport), name)
	bad := func(err error) bool {
		if len(rep.Errors) == maxReported {
			rep.More = true
			return false
		}
		rep.Errors = append(rep.Errors, armstrace.ErrorMessage(err))
		return true
	}
	lastBad := -1
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if armstrace.ErrorCode(err) != armstrace.EINVALID {
				return nil, err
			}
			if rd.Line() == lastBad || !bad(err) {
				break // no progress past an unreadable line, or enough listed
			}
			lastBad = rd.Line()
			continue
		}
		if len(rep.Errors) > 0 {
			rec.Normalize()
			if err := rec.Validate(); err != nil && !bad(armstrace.AtLine(name, rd.Line(), err)) {
				break
			}
			continue
		}
		if err := s.mayWrite(ctx, rec); err != nil {
			if armstrace.ErrorCode(err) == armstrace.EINTERNAL {
				return nil, err
			}
			bad(armstrace.AtLine(name, rd.Line(), err))
			continue
		}
		if _, err := b.Write(armstrace.WritePut, rec); err != nil {
			if armstrace.ErrorCode(err) == armstrace.EINTERNAL {
				return nil, err
			}
			bad(armstrace.AtLine(name, rd.Line(), err))
		}
	}
	if len(rep.Errors) > 0 {
		return rep, nil
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	rep.Created, rep.Updated, rep.Unchanged = b.Stats().Total()
	return rep, nil
}

// countingReader counts the bytes read, for a progress bar.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// importDataset imports an uploaded file of a dataset format, with its
// companion files (OFAC's alt.csv, add.csv and comments) in the same
// folder, in one transaction: every bad row listed and nothing written,
// or the file's import run.
func (s *Server) importDataset(ctx context.Context, f ingest.Format, path string, progress *atomic.Int64) (*importReport, error) {
	rep := &importReport{File: filepath.Base(path), Format: f.Name}
	sha, err := ingest.HashFile(path)
	if err != nil {
		return nil, err
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	states, err := ingest.LoadStates()
	if err != nil {
		return nil, err
	}
	b, err := s.Store.BeginBatch(ctx)
	if err != nil {
		return nil, err
	}
	defer b.Rollback()
	res, err := importer.Dataset(ctx, b, importer.File{Format: f, Name: path, Body: &countingReader{r: file, n: progress}, SHA256: sha, States: states})
	if err != nil {
		// A file the reader cannot take at all (its header, say) is the
		// user's to fix: shown, with the temporary folder left out.
		if armstrace.ErrorCode(err) == armstrace.EINVALID {
			rep.Errors = []string{strings.ReplaceAll(armstrace.ErrorMessage(err), filepath.Dir(path)+string(filepath.Separator), "")}
			return rep, nil
		}
		// Anything else names the temporary copy: for the log only.
		return nil, &armstrace.Error{Code: armstrace.EINTERNAL, Op: "import " + filepath.Base(path), Err: err}
	}
	for i, e := range res.Bad {
		if i == maxReported {
			rep.More = true
			break
		}
		rep.Errors = append(rep.Errors, strings.ReplaceAll(armstrace.ErrorMessage(e), filepath.Dir(path)+string(filepath.Separator), ""))
	}
	if len(rep.Errors) > 0 {
		return rep, nil
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	rep.Run = res.Run
	rep.Created, rep.Updated, rep.Unchanged = b.Stats().Total()
	return rep, nil
}

// mayWrite says whether the request's user may write a record: reviewers
// and admins, who may read everything, may write anything; below them, a
// record may not replace one its writer may not read (nor say whether
// there is one), a source may not be made more secret than its writer may
// read nor have its access changed, and a protected place may not be
// written over by someone who sees it blurred (they would write the
// blurred copy back as the record).
func (s *Server) mayWrite(ctx context.Context, rec armstrace.Record) error {
	u := userFrom(ctx)
	if u == nil || u.Role.AtLeast(armstrace.UserReviewer) {
		return nil
	}
	refused := func(format string, args ...any) error {
		return armstrace.Errorf(armstrace.EFORBIDDEN, format, args...)
	}
	taken := func() error {
		return refused("%s %s may not be written by a %s: the id is taken or reserved; choose another", rec.RecordType(), rec.RecordID(), u.Role)
	}
	rd := graph.Visible(s.readerOf(ctx), levelsOf(ctx))
	switch v := rec.(type) {
	case *armstrace.Source:
		if v.Access != "" && !u.Role.CanSee(v.Access) {
			return refused("a %s may not write %s sources", u.Role, v.Access)
		}
		old, err := s.Store.FindSourceByID(ctx, v.ID)
		switch {
		case armstrace.ErrorCode(err) == armstrace.ENOTFOUND:
			return nil
		case err != nil:
			return err
		case !u.Role.CanSee(old.Access):
			return taken()
		case v.Access != "" && v.Access != old.Access || v.Access == "" && old.Access != armstrace.AccessPublic:
			return refused("source %s is %s; its access is changed by reviewers", v.ID, old.Access)
		}
	case *armstrace.Entity:
		if _, err := s.Store.FindEntityByID(ctx, v.ID); err == nil {
			if _, err := rd.FindEntityByID(ctx, v.ID); armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
				return taken()
			} else if err != nil {
				return err
			}
		}
	case *armstrace.Event:
		old, err := s.Store.FindEventByID(ctx, v.ID)
		if err != nil {
			if armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
				return nil
			}
			return err
		}
		if _, err := rd.FindEventByID(ctx, v.ID); armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
			return taken()
		} else if err != nil {
			return err
		}
		if old.Place.Protected && !seesConfidential(ctx) && !reflect.DeepEqual(old.Place, v.Place) {
			return refused("event %s has a protected place; it is changed by reviewers", v.ID)
		}
	case *armstrace.Claim:
		if _, err := s.Store.FindClaimByID(ctx, v.ID); err == nil {
			seen, err := s.Store.FindClaims(ctx, armstrace.ClaimFilter{IDs: []string{v.ID}, Access: levelsOf(ctx)})
			if err != nil {
				return err
			}
			if len(seen) == 0 {
				return taken()
			}
		}
	}
	return nil
}
