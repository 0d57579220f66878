package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/evidence"
	"github.com/armstrace/armstrace/internal/extract"
)

// The extraction page: a report pasted or uploaded, read by rule
// (internal/extract) against what the reader may see, its proposals shown
// beside the records that already hold them; analysts and above may send
// the claimable ones to the review queue as alleged claims citing a
// source.

// maxReport is the largest report the page reads.
const maxReport = 2 << 20

// visibleGraph is the store as a reader of some access levels sees it, for
// the gazetteer and for finding what the graph already holds: a name the
// reader may not see must neither resolve nor be reported as known.
type visibleGraph struct {
	s      *Server
	levels []armstrace.Access
}

func (g visibleGraph) FindEntities(ctx context.Context, f armstrace.EntityFilter) ([]*armstrace.Entity, error) {
	f.Access = g.levels
	return g.s.Store.FindEntities(ctx, f)
}

func (g visibleGraph) FindEvents(ctx context.Context, f armstrace.EventFilter) ([]*armstrace.Event, error) {
	f.Access = g.levels
	return g.s.Store.FindEvents(ctx, f)
}

func (g visibleGraph) FindCeasefires(ctx context.Context) ([]*armstrace.Ceasefire, error) {
	return g.s.visibleCeasefires(ctx).FindCeasefires(ctx)
}

func (g visibleGraph) ScreeningDecisions(ctx context.Context) ([]*armstrace.ScreeningDecision, error) {
	return g.s.Store.ScreeningDecisions(ctx)
}

func (g visibleGraph) FindClaims(ctx context.Context, f armstrace.ClaimFilter) ([]*armstrace.Claim, error) {
	f.Access = g.levels
	return g.s.Store.FindClaims(ctx, f)
}

// gazetteer returns the gazetteer of what the reader may see, built once
// per set of access levels and data version.
func (s *Server) gazetteer(ctx context.Context) (*extract.Gazetteer, error) {
	return cached(s, ctx, &s.gazetteers, func(levels []armstrace.Access) (*extract.Gazetteer, error) {
		return extract.Load(ctx, visibleGraph{s, levels})
	})
}

// extractView is the page's data.
type extractView struct {
	Text, Published, Source, File string
	Result                        *extract.Result
	Rows                          []extract.Row
	Claimable                     int
	Written, Unchanged            int
	Wrote                         bool
	CanWrite                      bool
}

func (s *Server) extractPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	v := &extractView{CanWrite: u.Role.AtLeast(armstrace.UserAnalyst)}
	if r.Method != http.MethodPost {
		v.Source = r.URL.Query().Get("source")
		return s.render(w, r, http.StatusOK, "extract.html", "Extract claims", v)
	}
	v.Text = r.PostFormValue("text")
	v.Published = strings.TrimSpace(r.PostFormValue("published"))
	v.Source = strings.TrimSpace(r.PostFormValue("source"))
	if f, hdr, err := r.FormFile("file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(f, maxReport+1))
		f.Close()
		if err != nil {
			return err
		}
		if len(b) > maxReport {
			return &armstrace.Error{Code: armstrace.EINVALID, File: hdr.Filename, Field: "file", Message: fmt.Sprintf("larger than %d MB: armstrace extract reads any size", maxReport>>20)}
		}
		v.Text, v.File = string(b), hdr.Filename
	}
	if !utf8.ValidString(v.Text) || strings.ContainsRune(v.Text, 0) {
		return &armstrace.Error{Code: armstrace.EINVALID, File: v.File, Field: "text", Message: "not UTF-8 text"}
	}
	text := v.Text
	ext := strings.ToLower(filepath.Ext(v.File))
	if ext == ".html" || ext == ".htm" || ext != ".txt" && extract.LooksLikeHTML(text) {
		text = extract.HTMLText(text)
	}
	stored := strings.TrimSpace(text) == "" && v.Source != "" && s.Files != nil
	if strings.TrimSpace(text) == "" && !stored {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "text", Message: "paste a report's text, choose a file, or name a source whose stored copy is text"}
	}
	if err := armstrace.Date(v.Published).Validate(); err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "published", Message: armstrace.ErrorMessage(err)}
	}
	write := r.PostFormValue("action") == "write"
	if write && !v.CanWrite {
		return armstrace.Errorf(armstrace.EFORBIDDEN, "sending claims for review is for analysts and above; %s is a %s", u.Name, u.Role)
	}
	if write && v.Source == "" {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "source", Message: "name the source the claims cite (its id): the report itself, added first"}
	}
	opts := extract.Options{Published: armstrace.Date(v.Published), PublishedFrom: "the form"}
	log := s.readLog(r)
	if v.Source != "" {
		// One answer for a source that does not exist and one the reader
		// may not see.
		src, err := s.readerOf(ctx).FindSourceByID(ctx, v.Source)
		if err == nil && !u.Role.CanSee(src.Access) || armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
			return &armstrace.Error{Code: armstrace.ENOTFOUND, Field: "source", Message: fmt.Sprintf("no source %q you may cite", v.Source)}
		}
		if err != nil {
			return err
		}
		log.source(src)
		if stored {
			// The source's own stored copy, read as source add kept it.
			if v.File, text, err = evidence.Text(ctx, s.Store, s.Files, src.ID, "extract page"); err != nil {
				return s.hidePaths(err)
			}
		}
		if opts.Published == "" && src.Published != "" {
			opts.Published, opts.PublishedFrom = src.Published, "the source "+src.ID
		}
	}
	if opts.Published == "" {
		opts.PublishedFrom = ""
	}
	gz, err := s.gazetteer(ctx)
	if err != nil {
		return err
	}
	v.Result = gz.Extract(text, opts)
	rows, claims, err := extract.Rows(ctx, visibleGraph{s, levelsOf(ctx)}, v.Source, v.Result.Proposals)
	if err != nil {
		return err
	}
	v.Rows, v.Claimable = rows, len(claims)
	if err := log.write(); err != nil {
		return err
	}
	if write && len(claims) > 0 {
		// A claim already stored is left as reviewers made it.
		st, err := s.Store.EnsureAll(ctx, claims...)
		if err != nil {
			return err
		}
		v.Written, v.Unchanged, v.Wrote = st.Created[armstrace.TypeClaim], st.Unchanged[armstrace.TypeClaim], true
	}
	return s.render(w, r, http.StatusOK, "extract.html", "Extract claims", v)
}
