package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/auth"
	"github.com/armstrace/armstrace/internal/ceasefire"
	"github.com/armstrace/armstrace/internal/dossier"
	"github.com/armstrace/armstrace/internal/evidence"
	"github.com/armstrace/armstrace/internal/graph"
	"github.com/armstrace/armstrace/internal/importer"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/match"
	"github.com/armstrace/armstrace/internal/store"
)

// The web UI: server-rendered pages (html/template, no script), signed in
// with a session cookie. Pages read through the same access rules as the
// API.

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"pct":   func(f float64) string { return strings.TrimRight(strings.TrimRight(strconvF(f*100), "0"), ".") + "%" },
	"score": func(f float64) string { return strconvF(f) },
	"join":  strings.Join,
	// importFormats are the formats the import page takes.
	"importFormats": func() []ingest.Format { return importer.Formats },
	"split":         strings.Fields,
	"deref": func(f *float64) float64 {
		if f == nil {
			return 0
		}
		return *f
	},
}).ParseFS(templateFS, "templates/*.html"))

func strconvF(f float64) string {
	b, _ := json.Marshal(float64(int(f*100+0.5)) / 100)
	return string(b)
}

const (
	sessionCookie = "armstrace_session"
	loginCookie   = "armstrace_login" // the login form's CSRF token, before there is a session
	sessionTTL    = 12 * time.Hour
)

// uiRoute is a page; signedIn pages need a session.
type uiRoute struct {
	pattern  string
	signedIn bool
	handle   func(w http.ResponseWriter, r *http.Request) error
}

func (s *Server) uiRoutes() []uiRoute {
	return []uiRoute{
		{"GET /login", false, s.loginPage},
		{"POST /login", false, s.login},
		{"POST /logout", true, s.logout},
		{"GET /{$}", true, s.home},
		{"GET /search", true, s.searchPage},
		{"GET /entities/{id}", true, s.entityPage},
		{"GET /screen", true, s.screenPage},
		{"POST /screen", true, s.screenPage},
		{"GET /dossiers/{name}", true, s.dossierPage},
		{"GET /review", true, s.reviewPage},
		{"POST /claims/{id}/review", true, s.reviewClaim},
		{"GET /audit", true, s.auditPage},
		{"GET /ceasefires", true, s.ceasefiresPage},
		{"GET /events", true, s.eventsPage},
		{"GET /events/{id}", true, s.eventPage},
		{"GET /import", true, s.importPage},
		{"POST /import", true, s.importPage},
		{"GET /imports/{id}", true, s.importJobPage},
		{"GET /ceasefires/{id}", true, s.ceasefirePage},
		{"GET /history/{type}/{id}", true, s.historyPage},
		{"GET /sources/new", true, s.newSourcePage},
		{"POST /sources/new", true, s.newSourcePage},
		{"GET /sources/{id}", true, s.sourcePage},
		{"GET /sources/{id}/files/{sha}", true, s.sourceFile},
		{"GET /extract", true, s.extractPage},
		{"POST /extract", true, s.extractPage},
	}
}

// uiAdapt checks the session of signed-in pages (sending the reader to
// the login page without one), the CSRF token of every form sent, and
// turns errors into error pages.
func (s *Server) uiAdapt(rt uiRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.signedIn {
			u, se, err := s.session(r)
			if armstrace.ErrorCode(err) == armstrace.EUNAUTHORIZED {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if err != nil {
				s.errorPage(w, r, err)
				return
			}
			if r.Method == http.MethodPost {
				r.Body = http.MaxBytesReader(w, r.Body, maxImport)
			}
			if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), se.CSRF) {
				s.errorPage(w, r, armstrace.Errorf(armstrace.EFORBIDDEN, "the form's security token is missing or stale: reload the page and send it again"))
				return
			}
			sn, err := s.snapshot(r.Context())
			if err != nil {
				s.errorPage(w, r, err)
				return
			}
			ctx := context.WithValue(r.Context(), userKey{}, u)
			ctx = context.WithValue(ctx, snapKey{}, sn)
			ctx = context.WithValue(ctx, csrfKey{}, se.CSRF)
			r = r.WithContext(armstrace.WithActor(ctx, "user:"+u.Name))
		}
		if err := rt.handle(w, r); err != nil {
			s.errorPage(w, r, err)
		}
	})
}

type csrfKey struct{}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// session returns the user and session of the request's cookie.
func (s *Server) session(r *http.Request) (*armstrace.User, *store.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "not signed in")
	}
	se, err := s.Store.FindSession(r.Context(), auth.TokenID(c.Value))
	if err != nil {
		return nil, nil, err
	}
	u, _, err := s.Store.FindUser(r.Context(), se.User)
	if armstrace.ErrorCode(err) == armstrace.ENOTFOUND || (err == nil && u.Disabled) {
		return nil, nil, armstrace.Errorf(armstrace.EUNAUTHORIZED, "the account is disabled or gone")
	}
	return u, se, err
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// view is what every page template gets.
type view struct {
	Title string
	User  *armstrace.User
	CSRF  string
	Data  any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	v := view{Title: title, User: userFrom(r.Context()), Data: data}
	v.CSRF, _ = r.Context().Value(csrfKey{}).(string)
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// errorPage shows an error's safe message, never internal detail.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	code := armstrace.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == armstrace.EINTERNAL && s.Logger != nil {
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == "" {
		code = armstrace.EINTERNAL
	}
	if rerr := s.render(w, r, status, "error.html", http.StatusText(status), armstrace.ErrorMessage(err)); rerr != nil && s.Logger != nil {
		s.Logger.Error("error page", "err", rerr)
	}
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: token, Path: "/login", HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	return s.render(w, r, http.StatusOK, "login.html", "Sign in", map[string]string{"Token": token, "Next": safeNext(r.URL.Query().Get("next")), "Error": ""})
}

// safeNext keeps a redirect after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

// login checks the form's token, the rate limit, and the password; on
// success it starts a session and records the login in the audit log.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		return armstrace.Errorf(armstrace.EFORBIDDEN, "the sign-in form's security token is missing or stale: reload the page")
	}
	name, next := strings.TrimSpace(r.PostFormValue("name")), safeNext(r.PostFormValue("next"))
	ip := clientIP(r)
	if wait := s.limiter().blocked(ip, name, time.Now()); wait > 0 {
		w.Header().Set("Retry-After", strconvF(wait.Seconds()))
		return s.render(w, r, http.StatusTooManyRequests, "login.html", "Sign in", map[string]string{"Token": c.Value, "Next": next, "Name": name,
			"Error": "Too many failed sign-ins from here or for this name: wait " + wait.Round(time.Minute).String() + " and try again."})
	}
	u, err := auth.Login(r.Context(), s.Store, name, r.PostFormValue("password"))
	if armstrace.ErrorCode(err) == armstrace.EUNAUTHORIZED {
		s.limiter().fail(ip, name, time.Now())
		return s.render(w, r, http.StatusUnauthorized, "login.html", "Sign in", map[string]string{"Token": c.Value, "Next": next, "Name": name, "Error": "Wrong user name or password."})
	}
	if err != nil {
		return err
	}
	secret, csrf := auth.TokenPrefix+randomToken(), randomToken()
	if err := s.Store.CreateSession(r.Context(), store.Session{ID: auth.TokenID(secret), User: u.Name, CSRF: csrf, Expires: time.Now().Add(sessionTTL)}); err != nil {
		return err
	}
	detail, _ := json.Marshal(map[string]string{"ip": ip, "via": "web"})
	if err := s.Store.AuditEvents(armstrace.WithActor(r.Context(), "user:"+u.Name), armstrace.ActionLogin, auditUserType, []string{u.Name}, string(detail)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL.Seconds())})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1})
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// auditUserType is the object type of users in the audit log.
const auditUserType = "user"

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Store.DeleteSession(r.Context(), auth.TokenID(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return host
}

// loginLimiter counts failed sign-ins per address and per name: after
// maxFailures within limitWindow, further tries wait for the window to
// pass. Guessing a password is slowed to a handful of tries an hour.
type loginLimiter struct {
	mu       sync.Mutex
	failures map[string][]time.Time
}

const (
	maxFailures = 5
	limitWindow = 15 * time.Minute
)

func (s *Server) limiter() *loginLimiter {
	s.limitOnce.Do(func() { s.limits = &loginLimiter{failures: map[string][]time.Time{}} })
	return s.limits
}

func (l *loginLimiter) recent(key string, now time.Time) []time.Time {
	ts := l.failures[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > limitWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.failures, key)
	} else {
		l.failures[key] = ts
	}
	return ts
}

// blocked returns how long the address or the name must wait, or 0.
func (l *loginLimiter) blocked(ip, name string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, key := range []string{"ip:" + ip, "name:" + strings.ToLower(name)} {
		if ts := l.recent(key, now); len(ts) >= maxFailures {
			wait = max(wait, limitWindow-now.Sub(ts[len(ts)-maxFailures]))
		}
	}
	return wait
}

func (l *loginLimiter) fail(ip, name string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, key := range []string{"ip:" + ip, "name:" + strings.ToLower(name)} {
		l.failures[key] = append(l.recent(key, now), now)
	}
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "home.html", "armstrace", nil)
}

// searchResult is a hit as the search page shows it.
type searchResult struct {
	ID, Name, Kind, Band, Summary string
	Score                         float64
	Match                         bool
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := struct {
		Q       string
		Results []searchResult
		Events  []*armstrace.Event
		Sources []*armstrace.Source
	}{Q: q}
	if q != "" {
		ctx := r.Context()
		ix, err := s.screeningIndex(ctx)
		if err != nil {
			return err
		}
		log := s.readLog(r)
		for _, h := range ix.Search(match.Subject{Name: q}, 20, 0, match.DefaultOptions()) {
			if err := log.entity(h.Entity); err != nil {
				return err
			}
			data.Results = append(data.Results, searchResult{ID: h.Entity.ID, Name: h.Entity.Name, Kind: string(h.Entity.Kind), Band: string(h.Band),
				Summary: h.Explanation.Summary, Score: h.Score, Match: h.Match})
		}
		if data.Events, data.Sources, err = s.searchText(ctx, log, q, 20); err != nil {
			return err
		}
		if err := log.write(); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "search.html", "Search", data)
}

// searchText finds the events and sources whose text holds every word of
// q, among those the reader may see, noting confidential reads.
func (s *Server) searchText(ctx context.Context, log *readLog, q string, limit int) ([]*armstrace.Event, []*armstrace.Source, error) {
	evs, err := s.Store.FindEvents(ctx, armstrace.EventFilter{Text: q, Access: levelsOf(ctx), Limit: limit})
	if err != nil {
		return nil, nil, err
	}
	for _, e := range evs {
		if err := log.event(e); err != nil {
			return nil, nil, err
		}
	}
	srcs, err := s.Store.SearchSources(ctx, q, levelsOf(ctx), limit)
	if err != nil {
		return nil, nil, err
	}
	for _, src := range srcs {
		log.source(src)
	}
	return evs, srcs, nil
}

// sourcePage shows a source the reader may see: what and whose it is,
// where it was captured and its digest, and the claims that cite it.
func (s *Server) sourcePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	rd := graph.Visible(s.readerOf(ctx), levelsOf(ctx))
	src, err := rd.FindSourceByID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	claims, err := rd.FindClaims(ctx, armstrace.ClaimFilter{Source: src.ID, Limit: 200})
	if err != nil {
		return err
	}
	lk := graph.NewLinker(ctx, rd, seesConfidential(ctx))
	log := s.readLog(r)
	log.source(src)
	var links []queued
	for _, c := range claims {
		l := lk.Link(c)
		log.citations(l.Citations)
		links = append(links, queued{Link: l, Reviews: c.Reviews})
	}
	if err := log.write(); err != nil {
		return err
	}
	files, err := s.Store.FindSourceFiles(ctx, src.ID)
	if err != nil {
		return err
	}
	// The chain of custody names who handled the evidence: for those who
	// decide on it (reviewers and admins).
	var custody []armstrace.AuditEntry
	if userFrom(ctx).Role.AtLeast(armstrace.UserReviewer) {
		if custody, err = s.Store.AuditLog(ctx, string(armstrace.TypeSource), src.ID); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "source.html", src.Title, struct {
		Source    *armstrace.Source
		Files     []*armstrace.SourceFile
		Served    bool // files can be downloaded from this server
		Custody   []armstrace.AuditEntry
		Claims    []queued
		Truncated bool
	}{src, files, s.Files != nil, custody, links, len(claims) == 200})
}

// newSourcePage takes a file into custody from analysts and above: its
// bytes kept read-only under their SHA-256, its source record written,
// the collection in its chain of custody (internal/evidence, as source
// add does); then the browser goes to the source's page.
func (s *Server) newSourcePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	if !u.Role.AtLeast(armstrace.UserAnalyst) {
		return armstrace.Errorf(armstrace.EFORBIDDEN, "adding sources is for analysts and above; %s is a %s", u.Name, u.Role)
	}
	if s.Files == nil {
		return armstrace.Errorf(armstrace.EINVALID, "this server keeps no stored files: start it with armstrace serve --files DIR")
	}
	if r.Method != http.MethodPost {
		return s.render(w, r, http.StatusOK, "newsource.html", "Add a source", nil)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "file", Message: "choose the file to keep"}
	}
	defer f.Close()
	fields := evidence.Fields{Set: map[string]bool{}}
	for name, dst := range map[string]*string{"id": &fields.ID, "url": &fields.URL, "title": &fields.Title, "publisher": &fields.Publisher,
		"published": &fields.Published, "captured": &fields.Captured, "access": &fields.Access, "kind": &fields.Kind} {
		if v := strings.TrimSpace(r.PostFormValue(name)); v != "" {
			*dst, fields.Set[name] = v, true
		}
	}
	// Who may read it is the collector's first choice: never more open
	// than the collector may see.
	if fields.Access != "" && !u.Role.CanSee(armstrace.Access(fields.Access)) {
		return &armstrace.Error{Code: armstrace.EFORBIDDEN, Field: "access", Message: fmt.Sprintf("a %s may not add %s sources", u.Role, fields.Access)}
	}
	// An existing source (its id given, or the same bytes collected
	// before) is written to only by those who may read it, and who may
	// read it is not changed here: that is a reviewer's decision, made
	// where the record is edited.
	fields.MayUpdate = func(old *armstrace.Source) error {
		if !u.Role.CanSee(old.Access) {
			return &armstrace.Error{Code: armstrace.ECONFLICT, Field: "id", Message: "this file or id is already held as a source you may not read: ask a reviewer"}
		}
		if fields.Set["access"] && armstrace.Access(fields.Access) != old.Access {
			return &armstrace.Error{Code: armstrace.ECONFLICT, Field: "access", Message: fmt.Sprintf("source %s is %s already; its access is not changed from here", old.ID, old.Access)}
		}
		return nil
	}
	c, err := evidence.Collect(ctx, s.Store, s.Files, f, uploadName(hdr.Filename), fields)
	if err != nil {
		return s.hidePaths(err)
	}
	http.Redirect(w, r, "/sources/"+url.PathEscape(c.Source.ID), http.StatusSeeOther)
	return nil
}

// hidePaths turns an error about a file of the file store (a stored copy
// missing or damaged) into an internal error: the operator sees it in
// the log, the reader is not told where the store lies.
func (s *Server) hidePaths(err error) error {
	var e *armstrace.Error
	if s.Files != nil && errors.As(err, &e) && e.File != "" && strings.HasPrefix(filepath.Clean(e.File), filepath.Clean(s.Files.Dir())) {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: "file store", Err: err}
	}
	return err
}

// sourceFile sends a stored file of a source the reader may see, checked
// against its digest before any byte leaves, as a download (never shown
// in the page: a captured web page is evidence, not something to run),
// and logs the reading in the source's chain of custody.
func (s *Server) sourceFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if s.Files == nil {
		return armstrace.Errorf(armstrace.ENOTFOUND, "this server keeps no stored files (armstrace serve --files DIR)")
	}
	src, err := graph.Visible(s.readerOf(ctx), levelsOf(ctx)).FindSourceByID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	files, err := s.Store.FindSourceFiles(ctx, src.ID)
	if err != nil {
		return err
	}
	var f *armstrace.SourceFile
	for _, x := range files {
		if x.SHA256 == r.PathValue("sha") && x.Held() {
			f = x
		}
	}
	if f == nil {
		return armstrace.Errorf(armstrace.ENOTFOUND, "source %s holds no file %s", src.ID, r.PathValue("sha"))
	}
	body, err := s.Files.ReadAll(f.SHA256)
	if err != nil {
		// A missing or damaged copy is the operator's to see, not the
		// reader's: logged, and answered as an internal error.
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: "source " + src.ID + ", file " + f.SHA256, Err: err}
	}
	detail, err := json.Marshal(map[string]string{"via": r.Method + " " + r.URL.RequestURI(), "file": f.ID, "sha256": f.SHA256, "to": "download"})
	if err != nil {
		return err
	}
	if err := s.Store.AuditEvents(ctx, armstrace.ActionRead, string(armstrace.TypeSource), []string{src.ID}, string(detail)); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": uploadName(f.Name)}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Digest", "sha-256="+base64.StdEncoding.EncodeToString(mustHex(f.SHA256)))
	_, err = w.Write(body)
	return err
}

// mustHex decodes a digest already checked to be hex.
func mustHex(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}

// claimGroup is the claims of one kind on an entity page.
type claimGroup struct {
	Kind   string
	Claims []queued
}

func (s *Server) entityPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	levels := levelsOf(ctx)
	rd := graph.Visible(s.readerOf(ctx), levels)
	e, err := rd.FindEntityByID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if e, err = s.shown(ctx, e); err != nil {
		return err
	}
	claims, err := rd.FindClaims(ctx, armstrace.ClaimFilter{Entity: e.ID, Limit: 500})
	if err != nil {
		return err
	}
	lk := graph.NewLinker(ctx, rd, seesConfidential(ctx))
	byKind := map[string][]queued{}
	log := s.readLog(r)
	var all []graph.Link
	byID := map[string]graph.Link{}
	for _, c := range claims {
		l := lk.Link(c)
		log.citations(l.Citations)
		byKind[string(c.Kind)] = append(byKind[string(c.Kind)], queued{Link: l, Reviews: c.Reviews})
		all = append(all, l)
		byID[c.ID] = l
	}
	if err := log.entity(e); err != nil {
		return err
	}
	if err := log.write(); err != nil {
		return err
	}
	var groups []claimGroup
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range byKind {
			if !yield(k) {
				return
			}
		}
	}) {
		groups = append(groups, claimGroup{Kind: strings.ReplaceAll(k, "_", " "), Claims: byKind[k]})
	}
	var sources []graph.Citation
	for _, c := range lk.Cite(e.Citations) {
		sources = append(sources, c)
	}
	return s.render(w, r, http.StatusOK, "entity.html", e.Name, map[string]any{"Entity": e, "Groups": groups, "Sources": sources, "Truncated": len(claims) == 500,
		"Hood": neighbourhood(e.ID, e.Name, string(e.Kind), all), "Timeline": newTimeline(claims, byID, e.ID)})
}

// screenRow is one name of a batch screen.
type screenRow struct {
	Name                  string
	ID, Match, Band, Note string
	Score                 float64
	Hit                   bool
}

// maxScreen bounds a batch screened from the page.
const maxScreen = 1000

func (s *Server) screenPage(w http.ResponseWriter, r *http.Request) error {
	data := struct {
		Names, File, Column, Kind string
		Rows                      []screenRow
	}{}
	if r.Method == http.MethodPost {
		var names []string
		if f, hdr, err := r.FormFile("csv"); err == nil {
			// A vendor file: the names of one column, a row each.
			data.Column = strings.TrimSpace(r.PostFormValue("column"))
			names, err = csvNames(f, hdr.Filename, data.Column)
			f.Close()
			if err != nil {
				return err
			}
			data.File = hdr.Filename
		} else {
			data.Names = r.PostFormValue("names")
			for _, line := range strings.Split(data.Names, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					names = append(names, line)
				}
			}
		}
		if len(names) == 0 {
			return &armstrace.Error{Code: armstrace.EINVALID, Field: "names", Message: "paste at least one name, or choose a CSV file"}
		}
		if len(names) > maxScreen {
			return armstrace.Errorf(armstrace.EINVALID, "%d names: at most %d at a time here (armstrace screen --csv takes any number)", len(names), maxScreen)
		}
		kind, err := armstrace.ParseKind(r.PostFormValue("kind"))
		if err != nil {
			return err
		}
		data.Kind = string(kind)
		ix, err := s.screeningIndex(r.Context())
		if err != nil {
			return err
		}
		log := s.readLog(r)
		for _, n := range names {
			row := screenRow{Name: n, Note: "no match"}
			if hits := ix.Search(match.Subject{Name: n, Kind: kind}, 1, match.DefaultThreshold, match.DefaultOptions()); len(hits) > 0 {
				h := hits[0]
				if err := log.entity(h.Entity); err != nil {
					return err
				}
				row = screenRow{Name: n, ID: h.Entity.ID, Match: h.Entity.Name, Band: string(h.Band), Note: h.Explanation.Summary, Score: h.Score, Hit: true}
			}
			data.Rows = append(data.Rows, row)
		}
		if err := log.write(); err != nil {
			return err
		}
		if r.PostFormValue("format") == "csv" {
			return s.screenCSVDownload(w, r, data.Rows)
		}
	}
	return s.render(w, r, http.StatusOK, "screen.html", "Screen names", data)
}

// screenCSVDownload sends the screened rows as a CSV file, in input
// order, and logs it as an export: a list of names and their matches that
// leaves the server.
func (s *Server) screenCSVDownload(w http.ResponseWriter, r *http.Request, rows []screenRow) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"name", "match_score", "match", "match_band", "match_entity_id", "match_entity_name", "match_summary"})
	for _, row := range rows {
		rec := []string{row.Name, "", "false", "", "", "", row.Note}
		if row.Hit {
			rec = []string{row.Name, strconv.FormatFloat(row.Score, 'f', 3, 64), strconv.FormatBool(row.Score >= match.DefaultThreshold), row.Band, row.ID, row.Match, row.Note}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := s.auditExport(r, "screening", armstrace.Digest(buf.String()), "csv"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="screened.csv"`)
	_, err := buf.WriteTo(w)
	return err
}

// csvNames reads the names in one column of a CSV file with a header
// row: the column named, or "name", or the only column there is. A bad
// row is refused with its file, line and column.
func csvNames(r io.Reader, file, column string) ([]string, error) {
	cr := csv.NewReader(io.LimitReader(r, maxImport))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, File: file, Line: 1, Message: "cannot read the header row", Err: err}
	}
	col := -1
	want := column
	if want == "" {
		want = "name"
	}
	for i, h := range head {
		if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), want) {
			col = i
		}
	}
	if col < 0 && column == "" && len(head) == 1 {
		col = 0
	}
	if col < 0 {
		return nil, &armstrace.Error{Code: armstrace.EINVALID, File: file, Line: 1, Field: "column",
			Message: fmt.Sprintf("no column %q in the header (%s); name the column of vendor names", want, strings.Join(head, ", "))}
	}
	var names []string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return names, nil
		}
		if err != nil {
			var pe *csv.ParseError
			line, msg := 0, "not valid CSV"
			if errors.As(err, &pe) {
				line, msg = pe.Line, fmt.Sprintf("not valid CSV at column %d: %v", pe.Column, pe.Err)
			}
			return nil, &armstrace.Error{Code: armstrace.EINVALID, File: file, Line: line, Message: msg, Err: err}
		}
		line, _ := cr.FieldPos(0)
		if col >= len(rec) {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, File: file, Line: line, Field: head[col], Message: fmt.Sprintf("the row has %d fields, and no %q", len(rec), head[col])}
		}
		if n := strings.TrimSpace(rec[col]); n != "" {
			names = append(names, n)
		}
		if len(names) > maxScreen {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, File: file, Line: line, Message: fmt.Sprintf("more than %d names: at most %d at a time here (armstrace screen --csv takes any number)", maxScreen, maxScreen)}
		}
	}
}

// dossierPage serves an entity's dossier as its self-contained HTML,
// redacted for the reader's role. Its styles are inline, and it has no
// script: its own Content-Security-Policy says so.
func (s *Server) dossierPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("name")
	id, m, err := dossier.Resolve(ctx, s.Store, name, func() (*match.Index, error) { return s.screeningIndex(ctx) })
	if err != nil {
		return err
	}
	d, err := dossier.Build(ctx, s.readerOf(ctx), id, dossier.Options{Query: name, Match: m, IncludeConfidential: seesConfidential(ctx), Access: levelsOf(ctx)})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := dossier.Render(&buf, d, "html"); err != nil {
		return err
	}
	log := s.readLog(r)
	log.citations(d.Provenance.Appendix)
	if err := log.write(); err != nil {
		return err
	}
	if err := s.auditExport(r, string(armstrace.TypeEntity), id, "dossier/html"); err != nil {
		return err
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = buf.WriteTo(w)
	return err
}

// staticFiles serves the embedded stylesheet.
func staticFiles() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	return http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
}

// secure sets the headers every answer carries: no script but our own
// files, no framing, no sniffing, no referrer outside the site.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

// queued is an alleged claim in the review queue, with its history.
type queued struct {
	Link    graph.Link
	Reviews []armstrace.Review
}

// maxQueue is how many alleged claims the queue shows at a time.
const maxQueue = 100

// reviewPage lists alleged claims for reviewers, each with a form that
// moves it to verified, contested or retracted with a reason.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if u := userFrom(ctx); !u.Role.AtLeast(armstrace.UserReviewer) {
		return armstrace.Errorf(armstrace.EFORBIDDEN, "the review queue is for reviewers and admins; %s is a %s", u.Name, u.Role)
	}
	rd := graph.Visible(s.readerOf(ctx), levelsOf(ctx))
	claims, err := rd.FindClaims(ctx, armstrace.ClaimFilter{Status: armstrace.StatusAlleged, Limit: maxQueue})
	if err != nil {
		return err
	}
	total, err := rd.CountClaims(ctx, armstrace.ClaimFilter{Status: armstrace.StatusAlleged})
	if err != nil {
		return err
	}
	lk := graph.NewLinker(ctx, rd, seesConfidential(ctx))
	log := s.readLog(r)
	var q []queued
	for _, c := range claims {
		l := lk.Link(c)
		log.citations(l.Citations)
		q = append(q, queued{Link: l, Reviews: c.Reviews})
	}
	if err := log.write(); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "review.html", "Review queue", map[string]any{"Queue": q, "Total": total, "Done": r.URL.Query().Get("done")})
}

// reviewClaim records a reviewer's decision from the queue's form.
func (s *Server) reviewClaim(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if u := userFrom(ctx); !u.Role.AtLeast(armstrace.UserReviewer) {
		return armstrace.Errorf(armstrace.EFORBIDDEN, "reviewing claims is for reviewers and admins; %s is a %s", u.Name, u.Role)
	}
	id := r.PathValue("id")
	if _, err := s.review(ctx, id, armstrace.Status(r.PostFormValue("status")), r.PostFormValue("reason")); err != nil {
		return err
	}
	http.Redirect(w, r, "/review?done="+url.QueryEscape(id), http.StatusSeeOther)
	return nil
}

// review records a decision on a claim the user may see.
func (s *Server) review(ctx context.Context, id string, to armstrace.Status, reason string) (*armstrace.Claim, error) {
	cs, err := graph.Visible(s.readerOf(ctx), levelsOf(ctx)).FindClaims(ctx, armstrace.ClaimFilter{IDs: []string{id}})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, armstrace.Errorf(armstrace.ENOTFOUND, "claim %q not found", id)
	}
	return s.Store.ReviewClaim(ctx, id, to, reason)
}

// auditPage shows admins the audit log, newest first, filtered by actor,
// action or object, a page at a time.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if u := userFrom(ctx); !u.Role.AtLeast(armstrace.UserAdmin) {
		return armstrace.Errorf(armstrace.EFORBIDDEN, "the audit log is for admins; %s is a %s", u.Name, u.Role)
	}
	q := r.URL.Query()
	f := armstrace.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), ObjectType: q.Get("type"), ObjectID: q.Get("id"), Limit: 100}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return &armstrace.Error{Code: armstrace.EINVALID, Field: "before", Message: "a sequence number"}
		}
		f.Before = n
	}
	es, err := s.Store.FindAudit(ctx, f)
	if err != nil {
		return err
	}
	next := ""
	if len(es) == f.Limit {
		v := url.Values{}
		for k, x := range map[string]string{"actor": f.Actor, "action": f.Action, "type": f.ObjectType, "id": f.ObjectID} {
			if x != "" {
				v.Set(k, x)
			}
		}
		v.Set("before", strconv.FormatInt(es[len(es)-1].Seq, 10))
		next = "/audit?" + v.Encode()
	}
	return s.render(w, r, http.StatusOK, "audit.html", "Audit log", map[string]any{"Entries": es, "F": f, "Next": next})
}

// ceasefireReader is what ceasefire reports read: the store, with sources
// from the request's snapshot.
func (s *Server) ceasefireReader(ctx context.Context) ceasefire.Reader { return s.readerOf(ctx) }

// ceasefiresPage lists the ceasefires the reader may see, each with its
// report.
func (s *Server) ceasefiresPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	all, err := s.Store.FindCeasefires(ctx)
	if err != nil {
		return err
	}
	var shown []*armstrace.Ceasefire
	for _, c := range all {
		if _, err := ceasefire.Find(ctx, s.visibleCeasefires(ctx), c.ID); err == nil {
			shown = append(shown, c)
		} else if armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "ceasefires.html", "Ceasefires", shown)
}

// visibleCeasefires is a reader limited to the request user's access.
func (s *Server) visibleCeasefires(ctx context.Context) ceasefire.Reader {
	return ceasefire.Visible(s.ceasefireReader(ctx), levelsOf(ctx))
}

// ceasefirePage serves a ceasefire's report (HTML with SVG charts),
// counted from what the reader may see.
func (s *Server) ceasefirePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	o := ceasefire.Options{Series: q.Get("series"), Dataset: q.Get("dataset"), Aggregates: ceasefire.AggregateMode(q.Get("aggregates")),
		IncludeConfidential: seesConfidential(ctx), Access: levelsOf(ctx)}
	rep, err := ceasefire.Build(ctx, s.ceasefireReader(ctx), r.PathValue("id"), o)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := ceasefire.Render(&buf, rep, "html"); err != nil {
		return err
	}
	log := s.readLog(r)
	for _, v := range append(rep.Violations, rep.ExcludedTop...) {
		for _, c := range v.Sources {
			if c.Withheld {
				continue
			}
			src, err := s.readerOf(ctx).FindSourceByID(ctx, c.Source)
			if err != nil {
				return err
			}
			if src.Access == armstrace.AccessConfidential {
				log.ids = append(log.ids, c.Source)
			}
		}
	}
	if err := log.write(); err != nil {
		return err
	}
	if err := s.auditExport(r, string(armstrace.TypeCeasefire), r.PathValue("id"), "ceasefire-report/html"); err != nil {
		return err
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = buf.WriteTo(w)
	return err
}

// importPage takes a JSON Lines file of native records from analysts and
// above and imports it in the background: the browser is sent to the
// job's page, which refreshes itself (no script) with the bytes read
// until the report is ready. All or nothing, with every bad line listed
// (up to a hundred).
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	if !u.Role.AtLeast(armstrace.UserAnalyst) {
		return armstrace.Errorf(armstrace.EFORBIDDEN, "imports are for analysts and above; %s is a %s", u.Name, u.Role)
	}
	if r.Method != http.MethodPost {
		return s.render(w, r, http.StatusOK, "import.html", "Import", nil)
	}
	if _, _, err := r.FormFile("file"); err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "file", Message: "choose a file to import"}
	}
	format := r.PostFormValue("format")
	if format == "" {
		format = "jsonl"
	}
	df, dataset := importer.Find(format)
	if !dataset && format != "jsonl" {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "format", Message: fmt.Sprintf("unknown format %q", format)}
	}
	uploads := r.MultipartForm.File["file"]
	if !dataset && len(uploads) > 1 {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "file", Message: "one JSON Lines file at a time"}
	}
	// The uploads are in memory or temporary files of the form's; copied,
	// under their own names (OFAC's companion files are found by name
	// beside the main one), so that they outlive the request.
	dir, err := os.MkdirTemp("", "armstrace-upload-*")
	if err != nil {
		return err
	}
	var size int64
	for i, hdr := range uploads {
		base := uploadName(hdr.Filename)
		if base == "/" || base == "." {
			os.RemoveAll(dir)
			return &armstrace.Error{Code: armstrace.EINVALID, Field: "file", Message: fmt.Sprintf("a file without a name (%q)", hdr.Filename)}
		}
		n, err := saveUpload(hdr, filepath.Join(dir, base))
		if err != nil {
			os.RemoveAll(dir)
			return err
		}
		if i == 0 {
			size = n
		}
	}
	main := filepath.Join(dir, uploadName(uploads[0].Filename))
	name := filepath.Base(main)
	job := s.jobs().start(u.Name, name, size)
	// The import runs on after the request, as its user.
	bg := armstrace.WithActor(context.WithoutCancel(ctx), "user:"+u.Name)
	go func() {
		defer os.RemoveAll(dir)
		var rep *importReport
		var err error
		if dataset {
			rep, err = s.importDataset(bg, df, main, &job.read)
		} else {
			var f *os.File
			if f, err = os.Open(main); err == nil {
				rep, err = s.importUpload(bg, f, name, &job.read)
				f.Close()
			}
		}
		job.finish(rep, err)
		if err != nil && s.Logger != nil {
			s.Logger.Error("import", "file", name, "format", format, "err", err)
		}
	}()
	http.Redirect(w, r, "/imports/"+job.ID, http.StatusSeeOther)
	return nil
}

// uploadName is the base name of an uploaded file, whatever path or
// separators the browser sent with it.
func uploadName(name string) string {
	return filepath.Base(filepath.Clean("/" + strings.ReplaceAll(name, "\\", "/")))
}

// saveUpload copies an uploaded file to path, returning its size.
func saveUpload(hdr *multipart.FileHeader, path string) (int64, error) {
	in, err := hdr.Open()
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if os.IsExist(err) {
			return 0, &armstrace.Error{Code: armstrace.EINVALID, Field: "file", Message: fmt.Sprintf("two files named %s", filepath.Base(path))}
		}
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// importJobPage shows a job's progress, refreshing itself each second,
// and its report when done; only its user sees it.
func (s *Server) importJobPage(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	job := s.jobs().get(r.PathValue("id"))
	if job == nil || job.User != u.Name {
		return armstrace.Errorf(armstrace.ENOTFOUND, "no import %q of yours on this server", r.PathValue("id"))
	}
	view := job.view()
	if !view.Done {
		w.Header().Set("Refresh", "1") // the page asks again in a second
	}
	status := http.StatusOK
	if view.Report != nil && len(view.Report.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return s.render(w, r, status, "import.html", "Import", view)
}
