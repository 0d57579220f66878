package web

import (
	"bytes"
	"net/http"
	"slices"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ceasefire"
	"github.com/armstrace/armstrace/internal/graph"
)

// The records of the graph by id, each as its native JSON, read through
// the user's access: a record resting only on sources the user may not
// read is not found, and its citations of such sources are left out.

func (s *Server) eventAPI(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := graph.Visible(s.readerOf(ctx), levelsOf(ctx)).FindEventByID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	cp := *e
	if cp.Citations, err = s.visibleCitations(r, e.Citations); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, &cp)
}

func (s *Server) claimAPI(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cs, err := graph.Visible(s.readerOf(ctx), levelsOf(ctx)).FindClaims(ctx, armstrace.ClaimFilter{IDs: []string{r.PathValue("id")}})
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return armstrace.Errorf(armstrace.ENOTFOUND, "claim %q not found", r.PathValue("id"))
	}
	c := *cs[0]
	if c.Citations, err = s.visibleCitations(r, c.Citations); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, &c)
}

// sourceAPI returns a source the user may read; reading a confidential
// one is audited.
func (s *Server) sourceAPI(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	src, err := graph.Visible(s.readerOf(ctx), levelsOf(ctx)).FindSourceByID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if src.Access == armstrace.AccessConfidential {
		log := s.readLog(r)
		log.ids = append(log.ids, src.ID)
		if err := log.write(); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, src)
}

// ceasefiresAPI lists the ceasefires the user may see.
func (s *Server) ceasefiresAPI(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cs, err := s.visibleCeasefires(ctx).FindCeasefires(ctx)
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*armstrace.Ceasefire{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"ceasefires": cs})
}

// ceasefireReportAPI answers GET /api/v1/ceasefires/{id}/report?format=
// json|html|md, as armstrace ceasefire report, counted from what the user
// may see.
func (s *Server) ceasefireReportAPI(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "json"
	}
	ctype := map[string]string{"json": "application/json; charset=utf-8", "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}[format]
	if ctype == "" {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "format", Message: "use json, html or md"}
	}
	rep, err := ceasefire.Build(ctx, s.ceasefireReader(ctx), r.PathValue("id"), ceasefire.Options{Series: q.Get("series"), Dataset: q.Get("dataset"),
		Aggregates: ceasefire.AggregateMode(q.Get("aggregates")), IncludeConfidential: seesConfidential(ctx), Access: levelsOf(ctx)})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if format == "json" {
		if err := writeJSON(&bufWriter{&buf}, http.StatusOK, rep); err != nil {
			return err
		}
	} else if err := ceasefire.Render(&buf, rep, format); err != nil {
		return err
	}
	if err := s.auditExport(r, string(armstrace.TypeCeasefire), r.PathValue("id"), "ceasefire-report/"+format); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	if format == "html" {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	}
	_, err = buf.WriteTo(w)
	return err
}

// visibleCitations keeps the citations of sources the user may read.
func (s *Server) visibleCitations(r *http.Request, cs []armstrace.Citation) ([]armstrace.Citation, error) {
	ctx := r.Context()
	levels := levelsOf(ctx)
	out := make([]armstrace.Citation, 0, len(cs))
	log := s.readLog(r)
	for _, c := range cs {
		src, err := s.readerOf(ctx).FindSourceByID(ctx, c.Source)
		if err != nil {
			return nil, err
		}
		if levels != nil && !slices.Contains(levels, src.Access) {
			continue
		}
		if src.Access == armstrace.AccessConfidential {
			log.ids = append(log.ids, src.ID)
		}
		out = append(out, c)
	}
	return out, log.write()
}

// bufWriter lets writeJSON write into a buffer: headers are ignored.
type bufWriter struct{ b *bytes.Buffer }

func (w *bufWriter) Header() http.Header         { return http.Header{} }
func (w *bufWriter) Write(p []byte) (int, error) { return w.b.Write(p) }
func (w *bufWriter) WriteHeader(int)             {}
