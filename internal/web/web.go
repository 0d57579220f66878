// Package web serves armstrace's JSON API under /api/v1. Routes are in
// one table (routes), handlers return errors, and one function (writeError)
// turns an error's code into an HTTP status and is the only place that
// logs internal errors: users never see internals.
package web

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
	"github.com/armstrace/armstrace/internal/extract"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/match"
	"github.com/armstrace/armstrace/internal/store"
)

// Server is the HTTP side of armstrace.
type Server struct {
	Store  *store.Store
	Logger *slog.Logger
	// Files is the store of sources' files, for their download from a
	// source's page; nil serves none.
	Files *blob.Store

	mu         sync.Mutex                            // guards the caches below
	indexes    map[string]*built[*match.Index]       // by levelsKey
	gazetteers map[string]*built[*extract.Gazetteer] // by levelsKey

	snapMu sync.Mutex
	snap   *snapshot

	limitOnce sync.Once
	limits    *loginLimiter

	jobsOnce   sync.Once
	importJobs *importJobs
}

// built is something made from what a reader may see (a screening
// index, a gazetteer), and the data version it was made at.
type built[T any] struct {
	v  T
	at int64
}

// cached returns the value in cache for the request's access levels,
// made again by build when the data has changed since it was made.
func cached[T any](s *Server, ctx context.Context, cache *map[string]*built[T], build func(levels []armstrace.Access) (T, error)) (T, error) {
	var zero T
	head, err := s.dataVersion(ctx)
	if err != nil {
		return zero, err
	}
	levels := levelsOf(ctx)
	key := levelsKey(levels)
	s.mu.Lock()
	defer s.mu.Unlock()
	if x := (*cache)[key]; x != nil && x.at == head {
		return x.v, nil
	}
	v, err := build(levels)
	if err != nil {
		return zero, err
	}
	if *cache == nil {
		*cache = map[string]*built[T]{}
	}
	(*cache)[key] = &built[T]{v: v, at: head}
	return v, nil
}

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		mux.Handle(r.pattern, s.adapt(r))
	}
	for _, r := range s.uiRoutes() {
		mux.Handle(r.pattern, s.uiAdapt(r))
	}
	mux.Handle("GET /static/", staticFiles())
	mux.Handle("GET /geo/countries.json", countriesGeoJSON())
	return secure(mux)
}

// route is one endpoint and the least role that may call it; "" lets
// anyone in.
type route struct {
	pattern string
	role    armstrace.UserRole
	handle  func(w http.ResponseWriter, r *http.Request) error
}

func (s *Server) routes() []route {
	return []route{
		{"GET /api/v1/health", "", s.health},
		{"GET /api/v1/openapi.json", "", s.openAPI},
		{"GET /api/v1/search", armstrace.UserViewer, s.search},
		{"POST /api/v1/match", armstrace.UserViewer, s.match},
		{"GET /api/v1/entities/{id}", armstrace.UserViewer, s.entity},
		{"GET /api/v1/events/{id}", armstrace.UserViewer, s.eventAPI},
		{"GET /api/v1/claims/{id}", armstrace.UserViewer, s.claimAPI},
		{"GET /api/v1/sources/{id}", armstrace.UserViewer, s.sourceAPI},
		{"GET /api/v1/ceasefires", armstrace.UserViewer, s.ceasefiresAPI},
		{"GET /api/v1/ceasefires/{id}/report", armstrace.UserViewer, s.ceasefireReportAPI},
		{"GET /api/v1/enablers", armstrace.UserViewer, s.enablers},
		{"GET /api/v1/dossiers/{name}", armstrace.UserViewer, s.dossier},
		{"POST /api/v1/imports", armstrace.UserAnalyst, s.importRecords},
		{"POST /api/v1/claims/{id}/review", armstrace.UserReviewer, s.reviewAPI},
	}
}

// adapt authenticates the request when the route needs a role, checks
// the role, puts the user in the context (and names them as the actor
// of anything they write), and turns a handler's error into a response.
func (s *Server) adapt(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.role != "" {
			sn, err := s.snapshot(r.Context())
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), snapKey{}, sn))
			u, err := s.authenticate(r, sn)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			if !u.Role.AtLeast(rt.role) {
				s.writeError(w, r, armstrace.Errorf(armstrace.EFORBIDDEN, "%s needs the role %s or above; %s is a %s", rt.pattern, rt.role, u.Name, u.Role))
				return
			}
			ctx := armstrace.WithActor(context.WithValue(r.Context(), userKey{}, u), "user:"+u.Name)
			r = r.WithContext(ctx)
		}
		if err := rt.handle(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

type userKey struct{}

// userFrom returns the user a request was authenticated as, or nil.
func userFrom(ctx context.Context) *armstrace.User {
	u, _ := ctx.Value(userKey{}).(*armstrace.User)
	return u
}

// levelsOf returns the access levels the request's user may read, nil
// for all.
func levelsOf(ctx context.Context) []armstrace.Access {
	if u := userFrom(ctx); u != nil {
		return u.Role.AccessLevels()
	}
	return nil
}

// seesConfidential reports whether the request's user may read
// confidential sources.
func seesConfidential(ctx context.Context) bool {
	u := userFrom(ctx)
	return u != nil && u.Role.CanSee(armstrace.AccessConfidential)
}

// authenticate returns the user of the request's API token
// ("Authorization: Bearer TOKEN").
func (s *Server) authenticate(r *http.Request, sn *snapshot) (*armstrace.User, error) {
	h := r.Header.Get("Authorization")
	scheme, secret, ok := strings.Cut(h, " ")
	if h == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "send an API token as \"Authorization: Bearer TOKEN\" (armstrace user token NAME makes one)")
	}
	return sn.user(r.Context(), s.Store, strings.TrimSpace(secret))
}

// statusOf maps error codes to HTTP statuses: the one table.
var statusOf = map[string]int{
	armstrace.EINVALID:      http.StatusBadRequest,
	armstrace.ENOTFOUND:     http.StatusNotFound,
	armstrace.ECONFLICT:     http.StatusConflict,
	armstrace.EUNAUTHORIZED: http.StatusUnauthorized,
	armstrace.EFORBIDDEN:    http.StatusForbidden,
	armstrace.EINTERNAL:     http.StatusInternalServerError,
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := armstrace.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == armstrace.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="armstrace"`)
	}
	if code == armstrace.EINTERNAL && s.Logger != nil {
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": armstrace.ErrorMessage(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// openAPIDoc describes the routes; a test keeps the two the same.
//
//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPIDoc)
	return err
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": armstrace.Version})
}

// entity answers GET /api/v1/entities/{id} with an entity the user may
// see, citing only sources the user may see; any other is not found.
func (s *Server) entity(w http.ResponseWriter, r *http.Request) error {
	e, err := graph.Visible(s.readerOf(r.Context()), levelsOf(r.Context())).FindEntityByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if e, err = s.shown(r.Context(), e); err != nil {
		return err
	}
	log := s.readLog(r)
	if err := log.entity(e); err != nil {
		return err
	}
	if err := log.write(); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

// shown returns the entity as the request's user may see it: without
// citations of sources the user may not read, not even their ids.
func (s *Server) shown(ctx context.Context, e *armstrace.Entity) (*armstrace.Entity, error) {
	levels := levelsOf(ctx)
	if levels == nil || e == nil {
		return e, nil
	}
	cs := make([]armstrace.Citation, 0, len(e.Citations))
	for _, c := range e.Citations {
		src, err := s.readerOf(ctx).FindSourceByID(ctx, c.Source)
		if err != nil {
			return nil, err
		}
		if slices.Contains(levels, src.Access) {
			cs = append(cs, c)
		}
	}
	cp := *e
	cp.Citations = cs
	return &cp, nil
}

// screeningIndex returns an index of the entities the request's user may
// see, rebuilt when the data has changed since it was built: one index
// per set of access levels, so that a search neither finds nor counts
// what rests only on sources the user may not read.
func (s *Server) screeningIndex(ctx context.Context) (*match.Index, error) {
	return cached(s, ctx, &s.indexes, func(levels []armstrace.Access) (*match.Index, error) {
		ents, err := s.Store.FindEntities(ctx, armstrace.EntityFilter{Access: levels})
		if err != nil {
			return nil, err
		}
		return match.NewIndex(ents, match.IndexOptions{}), nil
	})
}

// dataVersion is the version of the data a request reads, for caches
// built from it: read once per request.
func (s *Server) dataVersion(ctx context.Context) (int64, error) {
	if sn, _ := ctx.Value(snapKey{}).(*snapshot); sn != nil {
		return sn.at, nil
	}
	return s.Store.DataVersion(ctx)
}

// levelsKey names a set of access levels, for caches kept per reader.
func levelsKey(levels []armstrace.Access) string {
	if levels == nil {
		return "all"
	}
	return fmt.Sprint(levels)
}

// decode reads a JSON body into v, refusing unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 8<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return armstrace.Errorf(armstrace.EINVALID, "the body is not valid JSON (at byte %d)", syn.Offset)
		case errors.As(err, &typ):
			return &armstrace.Error{Code: armstrace.EINVALID, Field: typ.Field, Message: "has the wrong type"}
		}
		return armstrace.Errorf(armstrace.EINVALID, "cannot read the body: %v", err)
	}
	return nil
}
