package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/dossier"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/match"
)

// enablers answers GET /api/v1/enablers?country=&since=&until=&role=&event_type=&limit=
// with the ranked enablers of a country, as `armstrace enablers --json`.
// Confidential sources are withheld from users whose role may not read
// them (below reviewer).
func (s *Server) enablers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	sc := graph.Scope{Country: q.Get("country"), Since: armstrace.Date(q.Get("since")), Until: armstrace.Date(q.Get("until")), Limit: 20,
		IncludeConfidential: seesConfidential(r.Context()), Access: levelsOf(r.Context())}
	for _, f := range []struct {
		name string
		d    armstrace.Date
	}{{"since", sc.Since}, {"until", sc.Until}} {
		if f.d != "" {
			if err := f.d.Validate(); err != nil {
				return &armstrace.Error{Code: armstrace.EINVALID, Field: f.name, Message: armstrace.ErrorMessage(err)}
			}
		}
	}
	for _, v := range q["role"] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				sc.Roles = append(sc.Roles, graph.Role(p))
			}
		}
	}
	sc.EventTypes = q["event_type"]
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return &armstrace.Error{Code: armstrace.EINVALID, Field: "limit", Message: "must be a whole number, 0 for all"}
		}
		sc.Limit = n
	}
	rep, err := graph.Enablers(r.Context(), s.readerOf(r.Context()), sc)
	if err != nil {
		return err
	}
	log := s.readLog(r)
	for _, e := range rep.Enablers {
		for _, c := range e.Chains {
			log.links(c.Links)
		}
		log.links(e.NotCounted)
	}
	if err := log.write(); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// dossier answers GET /api/v1/dossiers/{name}?format=json|html|md: the
// dossier of an entity named by id or by any name screening resolves.
func (s *Server) dossier(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	ctype := map[string]string{"json": "application/json; charset=utf-8", "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}[format]
	if ctype == "" {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "format", Message: "use json, html or md"}
	}
	name := r.PathValue("name")
	id, m, err := dossier.Resolve(r.Context(), s.Store, name, func() (*match.Index, error) { return s.screeningIndex(r.Context()) })
	if err != nil {
		return err
	}
	d, err := dossier.Build(r.Context(), s.readerOf(r.Context()), id, dossier.Options{Query: name, Match: m, IncludeConfidential: seesConfidential(r.Context()), Access: levelsOf(r.Context())})
	if err != nil {
		return err
	}
	// Rendered whole before the status is sent: a failure is an error
	// response, not half a page.
	var buf bytes.Buffer
	if err := dossier.Render(&buf, d, format); err != nil {
		return err
	}
	log := s.readLog(r)
	log.citations(d.Provenance.Appendix)
	if err := log.write(); err != nil {
		return err
	}
	if err := s.auditExport(r, string(armstrace.TypeEntity), id, "dossier/"+format); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	_, err = buf.WriteTo(w)
	return err
}
