package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/auth"
	"github.com/armstrace/armstrace/internal/blob"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/evidence"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
	"github.com/armstrace/armstrace/internal/web"
)

// uiUser adds a user with a real password hash (cheap parameters).
func uiUser(t *testing.T, s *store.Store, name string, role armstrace.UserRole, password string) {
	t.Helper()
	h, err := auth.HashPassword(password, auth.Params{Time: 1, Memory: 8 * 1024, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(armstrace.WithActor(context.Background(), "test"), &armstrace.User{Name: name, Role: role}, h); err != nil {
		t.Fatal(err)
	}
}

// browser is an HTTP client with cookies that does not follow redirects.
func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// postFiles posts a multipart form: its fields, in order, then its files
// (name and body each) under field; it does not follow a redirect.
func postFiles(t *testing.T, c *http.Client, u string, fields [][2]string, field string, files [][2]string) (int, string, http.Header) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile(field, f[0])
		io.WriteString(fw, f[1])
	}
	mw.Close()
	resp, err := c.Post(u, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// formFields turns a map of form fields into postFiles' ordered list.
func formFields(csrf string, m map[string]string) [][2]string {
	out := [][2]string{{"csrf", csrf}}
	for k, v := range m {
		out = append(out, [2]string{k, v})
	}
	return out
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs in through the form and returns the page CSRF token.
func signIn(t *testing.T, c *http.Client, base, name, password string) {
	t.Helper()
	_, page, _ := get(t, c, base+"/login")
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the login page:\n%s", page)
	}
	code, body, h := post(t, c, base+"/login", url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}, "next": {"/search"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/search" {
		t.Fatalf("sign in: %d %s\n%s", code, h.Get("Location"), body)
	}
}

func TestUIPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv := demoServer(t, s)
		uiUser(t, s, "ana", armstrace.UserViewer, "a long enough password")
		c := browser(t)
		// Not signed in: sent to the login page, which comes with the
		// security headers.
		code, _, h := get(t, c, srv.URL+"/search?q=x")
		if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
			t.Errorf("not signed in: %d %s", code, h.Get("Location"))
		}
		_, _, h = get(t, c, srv.URL+"/login")
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("security headers: %v", h)
		}
		// A wrong password, a missing CSRF token.
		_, page, _ := get(t, c, srv.URL+"/login")
		token := csrfRe.FindStringSubmatch(page)[1]
		if code, body, _ := post(t, c, srv.URL+"/login", url.Values{"csrf": {token}, "name": {"ana"}, "password": {"wrong password!"}}); code != http.StatusUnauthorized || !strings.Contains(body, "Wrong user name or password") {
			t.Errorf("wrong password: %d", code)
		}
		if code, _, _ := post(t, c, srv.URL+"/login", url.Values{"name": {"ana"}, "password": {"a long enough password"}}); code != http.StatusForbidden {
			t.Errorf("no CSRF token: %d", code)
		}
		signIn(t, c, srv.URL, "ana", "a long enough password")
		code, body, _ := get(t, c, srv.URL+"/search?q=Rosobornexport")
		if code != 200 || !strings.Contains(body, `href="/entities/ent:rosoboronexport"`) {
			t.Fatalf("search: %d\n%s", code, body)
		}
		code, body, _ = get(t, c, srv.URL+"/entities/ent:rosoboronexport")
		if code != 200 || !strings.Contains(body, "Rosoboronexport") || !strings.Contains(body, "supplied") || !strings.Contains(body, "Human Rights First") {
			t.Errorf("entity page: %d\n%s", code, body)
		}
		// The connections drawing links Syria and the U.S. buyers; the
		// timeline starts in 2011.
		if !strings.Contains(body, `id="network"`) || !strings.Contains(body, `<a href="/entities/ent:syria">`) || !strings.Contains(body, `id="timeline"`) || !strings.Contains(body, ">2011</text>") {
			t.Error("the entity page lacks its connections or its timeline")
		}
		code, body, h = get(t, c, srv.URL+"/dossiers/Rosobornexport")
		if code != 200 || !strings.Contains(body, `id="part-10"`) || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("dossier page: %d %s", code, h.Get("Content-Security-Policy"))
		}
		// The screening form needs its token.
		_, page, _ = get(t, c, srv.URL+"/screen")
		token = csrfRe.FindStringSubmatch(page)[1]
		code, body, _ = post(t, c, srv.URL+"/screen", url.Values{"csrf": {token}, "names": {"Rosobornexport\nRosatom\nРособоронэкспорт"}})
		if code != 200 || strings.Count(body, `href="/entities/ent:rosoboronexport"`) != 2 || !strings.Contains(body, "no match") {
			t.Errorf("screen: %d\n%s", code, body)
		}
		if code, _, _ := post(t, c, srv.URL+"/screen", url.Values{"names": {"x"}}); code != http.StatusForbidden {
			t.Errorf("screen without a token: %d", code)
		}
		if code, body, _ := get(t, c, srv.URL+"/entities/ent:nope"); code != 404 || !strings.Contains(body, "not found") {
			t.Errorf("an unknown entity: %d", code)
		}
		// Signing out ends the session.
		code, _, _ = post(t, c, srv.URL+"/logout", url.Values{"csrf": {token}})
		if code != http.StatusSeeOther {
			t.Errorf("sign out: %d", code)
		}
		if code, _, _ := get(t, c, srv.URL+"/search"); code != http.StatusSeeOther {
			t.Errorf("after signing out: %d", code)
		}
		// The login is in the audit log.
		log, err := s.AuditLog(context.Background(), "user", "ana")
		if err != nil || len(log) != 2 || log[1].Action != armstrace.ActionLogin {
			t.Errorf("audit of the login: %+v %v", log, err)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	uiUser(t, s, "ana", armstrace.UserViewer, "a long enough password")
	c := browser(t)
	_, page, _ := get(t, c, srv.URL+"/login")
	token := csrfRe.FindStringSubmatch(page)[1]
	for i := range 5 {
		if code, _, _ := post(t, c, srv.URL+"/login", url.Values{"csrf": {token}, "name": {"ana"}, "password": {"guess number " + string(rune('a'+i))}}); code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	// The sixth try waits, even with the right password.
	code, body, h := post(t, c, srv.URL+"/login", url.Values{"csrf": {token}, "name": {"ana"}, "password": {"a long enough password"}})
	if code != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !strings.Contains(body, "Too many failed sign-ins") {
		t.Errorf("after five failures: %d %q", code, h.Get("Retry-After"))
	}
}

// TestReviewQueue: a reviewer moves an alleged claim to verified with a
// reason; the queue no longer lists it, the entity page shows the
// history, and a viewer can neither see the queue nor post a decision.
func TestReviewQueue(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv := demoServer(t, s)
		uiUser(t, s, "rita", armstrace.UserReviewer, "a long enough password")
		uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
		ctx := context.Background()
		before, err := s.CountClaims(ctx, armstrace.ClaimFilter{Status: armstrace.StatusAlleged})
		if err != nil || before == 0 {
			t.Fatalf("alleged claims in the demo: %d %v", before, err)
		}
		c := browser(t)
		signIn(t, c, srv.URL, "rita", "a long enough password")
		code, page, _ := get(t, c, srv.URL+"/review")
		if code != 200 || !strings.Contains(page, `id="claim-clm:roe-syria-supply"`) {
			t.Fatalf("queue: %d\n%s", code, page)
		}
		token := csrfRe.FindStringSubmatch(page)[1]
		code, _, h := post(t, c, srv.URL+"/claims/clm:roe-syria-supply/review", url.Values{"csrf": {token}, "status": {"verified"}, "reason": {"SIPRI and the release agree on the 2011 deliveries"}})
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=") {
			t.Fatalf("review: %d %s", code, h.Get("Location"))
		}
		cl, err := s.FindClaimByID(ctx, "clm:roe-syria-supply")
		if err != nil || cl.Status != armstrace.StatusVerified || len(cl.Reviews) != 1 || cl.Reviews[0].Reviewer != "user:rita" {
			t.Errorf("the claim after review: %+v %v", cl, err)
		}
		_, page, _ = get(t, c, srv.URL+"/review")
		if strings.Contains(page, `id="claim-clm:roe-syria-supply"`) {
			t.Error("the reviewed claim is still in the queue")
		}
		_, page, _ = get(t, c, srv.URL+"/entities/ent:rosoboronexport")
		if !strings.Contains(page, "SIPRI and the release agree on the 2011 deliveries") || !strings.Contains(page, "user:rita") {
			t.Error("the entity page does not show the status history")
		}
		// No reason: refused, nothing changed.
		if code, _, _ := post(t, c, srv.URL+"/claims/clm:roe-syria-supply/review", url.Values{"csrf": {token}, "status": {"retracted"}, "reason": {" "}}); code != http.StatusBadRequest {
			t.Errorf("a decision without a reason: %d", code)
		}
		// A viewer: no queue, no decisions.
		v := browser(t)
		signIn(t, v, srv.URL, "vic", "a long enough password")
		if code, _, _ := get(t, v, srv.URL+"/review"); code != http.StatusForbidden {
			t.Errorf("a viewer's queue: %d", code)
		}
		_, page, _ = get(t, v, srv.URL+"/screen")
		vt := csrfRe.FindStringSubmatch(page)[1]
		if code, _, _ := post(t, v, srv.URL+"/claims/clm:roe-syria-supply/review", url.Values{"csrf": {vt}, "status": {"retracted"}, "reason": {"I say so"}}); code != http.StatusForbidden {
			t.Errorf("a viewer's decision: %d", code)
		}
		if cl, _ := s.FindClaimByID(ctx, "clm:roe-syria-supply"); cl.Status != armstrace.StatusVerified {
			t.Errorf("status after the refused decisions: %s", cl.Status)
		}
	})
}

// TestAuditPage: admins read and filter the audit log; nobody else does.
func TestAuditPage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	uiUser(t, s, "ada", armstrace.UserAdmin, "a long enough password")
	uiUser(t, s, "rita", armstrace.UserReviewer, "a long enough password")
	c := browser(t)
	signIn(t, c, srv.URL, "ada", "a long enough password")
	code, page, _ := get(t, c, srv.URL+"/audit?action=login")
	if code != 200 || !strings.Contains(page, "user:ada") || strings.Contains(page, "<td>create</td>") {
		t.Errorf("logins: %d\n%s", code, page)
	}
	code, page, _ = get(t, c, srv.URL+"/audit?type=claim&id=clm:roe-syria-supply")
	if code != 200 || strings.Count(page, "<code>clm:roe-syria-supply</code>") != 1 {
		t.Errorf("one claim's entries: %d", code)
	}
	ids := make([]string, 150)
	for i := range ids {
		ids[i] = fmt.Sprintf("src:read-%d", i)
	}
	if err := s.AuditEvents(armstrace.WithActor(context.Background(), "user:rita"), armstrace.ActionRead, "source", ids, `{}`); err != nil {
		t.Fatal(err)
	}
	_, page, _ = get(t, c, srv.URL+"/audit")
	older := regexp.MustCompile(`href="(/audit\?before=[0-9]+)"`).FindStringSubmatch(page)
	if strings.Count(page, "<tr>") != 101 || older == nil {
		t.Fatalf("the first page of a long log: %d rows, link %v", strings.Count(page, "<tr>"), older)
	}
	_, page, _ = get(t, c, srv.URL+older[1])
	if !strings.Contains(page, "src:read-49") || strings.Contains(page, "src:read-50<") {
		t.Error("the older page does not continue where the first stopped")
	}
	if code, _, _ := get(t, c, srv.URL+"/audit?before=x"); code != http.StatusBadRequest {
		t.Errorf("a bad cursor: %d", code)
	}
	r := browser(t)
	signIn(t, r, srv.URL, "rita", "a long enough password")
	if code, _, _ := get(t, r, srv.URL+"/audit"); code != http.StatusForbidden {
		t.Errorf("a reviewer reads the audit log: %d", code)
	}
}

func TestCeasefirePages(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	c := browser(t)
	signIn(t, c, srv.URL, "vic", "a long enough password")
	code, page, _ := get(t, c, srv.URL+"/ceasefires")
	if code != 200 || !strings.Contains(page, `href="/ceasefires/cf:syria-2012-04-12"`) {
		t.Fatalf("ceasefires: %d\n%s", code, page)
	}
	code, page, h := get(t, c, srv.URL+"/ceasefires/cf:syria-2012-04-12")
	if code != 200 || !strings.Contains(page, "<svg") || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("report: %d %s", code, h.Get("Content-Security-Policy"))
	}
	if log, err := s.AuditLog(context.Background(), "ceasefire", "cf:syria-2012-04-12"); err != nil || len(log) == 0 || log[len(log)-1].Action != armstrace.ActionExport || log[len(log)-1].Actor != "user:vic" {
		t.Errorf("the report taken from the page is not an export in the log: %v", err)
	}
	if code, _, _ := get(t, c, srv.URL+"/ceasefires/cf:none"); code != http.StatusNotFound {
		t.Errorf("an unknown ceasefire: %d", code)
	}
}

// upload posts a file to the import page and follows the job to its
// end, returning the status and page of the report.
func upload(t *testing.T, c *http.Client, base, csrf, name, body string) (int, string) {
	t.Helper()
	return uploadFiles(t, c, base, csrf, "", [][2]string{{name, body}})
}

// uploadFiles sends files (name and body each) to the import page in a
// format ("" leaves it to the page) and follows the job to its report.
func uploadFiles(t *testing.T, c *http.Client, base, csrf, format string, files [][2]string) (int, string) {
	t.Helper()
	fields := [][2]string{{"csrf", csrf}}
	if format != "" {
		fields = append(fields, [2]string{"format", format})
	}
	code, b, h := postFiles(t, c, base+"/import", fields, "file", files)
	if code != http.StatusSeeOther {
		return code, b
	}
	job := h.Get("Location")
	if !strings.HasPrefix(job, "/imports/") {
		t.Fatalf("sent to %q", job)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, page, h := get(t, c, base+job)
		if h.Get("Refresh") == "" {
			return code, page
		}
		if !strings.Contains(page, "<progress") {
			t.Fatalf("a running import without its progress:\n%s", page)
		}
		if time.Now().After(deadline) {
			t.Fatal("the import did not end")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestImportPage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	uiUser(t, s, "ana", armstrace.UserAnalyst, "a long enough password")
	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	c := browser(t)
	signIn(t, c, srv.URL, "ana", "a long enough password")
	_, page, _ := get(t, c, srv.URL+"/import")
	token := csrfRe.FindStringSubmatch(page)[1]
	// Three bad lines: all listed, nothing written.
	body := importBody(6, 2) + "{not json}\n" + `{"type":"entity","id":"ent:x","kind":"nation","name":"X"}` + "\n"
	code, page := upload(t, c, srv.URL, token, "field.jsonl", body)
	if code != http.StatusBadRequest || !strings.Contains(page, "field.jsonl:3") || !strings.Contains(page, "field.jsonl:8") || !strings.Contains(page, "field.jsonl:9") || !strings.Contains(page, "Nothing was imported") {
		t.Errorf("bad lines: %d\n%s", code, page)
	}
	if _, err := s.FindEntityByID(context.Background(), "ent:upload-1"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
		t.Errorf("a good line of a refused file was written: %v", err)
	}
	code, page = upload(t, c, srv.URL, token, "field.jsonl", importBody(6, 0))
	if code != 200 || !strings.Contains(page, "7 record(s) created") {
		t.Errorf("good file: %d\n%s", code, page)
	}
	if code, _ = upload(t, c, srv.URL, "", "field.jsonl", importBody(1, 0)); code != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", code)
	}
	v := browser(t)
	signIn(t, v, srv.URL, "vic", "a long enough password")
	if code, _, _ := get(t, v, srv.URL+"/import"); code != http.StatusForbidden {
		t.Errorf("a viewer's import page: %d", code)
	}
	// Another user does not see an analyst's job.
	_, page, _ = get(t, c, srv.URL+"/import")
	_, _, h := postFiles(t, c, srv.URL+"/import", [][2]string{{"csrf", csrfRe.FindStringSubmatch(page)[1]}}, "file", [][2]string{{"x.jsonl", importBody(1, 0)}})
	if code, _, _ := get(t, v, srv.URL+h.Get("Location")); code != http.StatusNotFound {
		t.Errorf("another user's import job: %d", code)
	}
}

func TestEventPagesAndMap(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	c := browser(t)
	signIn(t, c, srv.URL, "vic", "a long enough password")
	code, page, _ := get(t, c, srv.URL+"/events?country=SY&since=2012&until=2012")
	if code != 200 || !strings.Contains(page, `id="map"`) || !strings.Contains(page, `class="country"`) || !strings.Contains(page, "<title>Syria</title>") {
		t.Fatalf("events map: %d", code)
	}
	marks := strings.Count(page, `<g class="mark`)
	if marks == 0 {
		t.Fatal("no events drawn")
	}
	// An event's page: its place, its location precision and its map.
	m := regexp.MustCompile(`href="/events/([^"]+)"`).FindStringSubmatch(page)
	code, page, _ = get(t, c, srv.URL+"/events/"+m[1])
	if code != 200 || !strings.Contains(page, `id="precision"`) || !strings.Contains(page, `<g class="mark precision-`) {
		t.Errorf("event page %s: %d", m[1], code)
	}
	// The marks for the browser's map ride in a data attribute.
	dm := regexp.MustCompile(`data-events="([^"]*)"`).FindStringSubmatch(page)
	var pts []struct {
		ID        string
		Lat, Lon  float64
		KM        float64
		Precision string
	}
	if dm == nil || json.Unmarshal([]byte(html.UnescapeString(dm[1])), &pts) != nil || len(pts) != 1 || pts[0].ID != m[1] || pts[0].KM <= 0 {
		t.Errorf("the event's marks for the browser: %v %+v", dm, pts)
	}
	// The outlines for it, compressed; and the vendored libraries with
	// their licences.
	req, _ := http.NewRequest("GET", srv.URL+"/geo/countries.json", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // as sent: no transparent decompression
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct{ Features []json.RawMessage }
	if err := json.NewDecoder(zr).Decode(&fc); err != nil || resp.Header.Get("Content-Type") != "application/geo+json" || len(fc.Features) < 200 {
		t.Errorf("outlines: %v %s %d", err, resp.Header.Get("Content-Type"), len(fc.Features))
	}
	resp.Body.Close()
	for _, f := range []string{"/static/app.js", "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/LICENSE", "/static/vendor/cytoscape/cytoscape.min.js", "/static/vendor/cytoscape/LICENSE"} {
		if code, body, _ := get(t, c, srv.URL+f); code != 200 || len(body) < 500 {
			t.Errorf("%s: %d, %d bytes", f, code, len(body))
		}
	}
	if code, _, _ := get(t, c, srv.URL+"/events?country=SY&since=March"); code != http.StatusBadRequest {
		t.Errorf("a bad date: %d", code)
	}
	if code, _, _ := get(t, c, srv.URL+"/events/evt:none"); code != http.StatusNotFound {
		t.Errorf("an unknown event: %d", code)
	}
}

// TestScreenCSV screens a vendor file uploaded on the screening page:
// the column named, each row's best match with its explanation, and a
// file without that column refused with its name, line and field.
func TestScreenCSV(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	uiUser(t, s, "pat", armstrace.UserViewer, "a long enough password")
	c := browser(t)
	signIn(t, c, srv.URL, "pat", "a long enough password")
	_, screen, _ := get(t, c, srv.URL+"/screen")
	csrf := csrfRe.FindStringSubmatch(screen)[1]
	send := func(name, column, body string) (int, string) {
		code, page, _ := postFiles(t, c, srv.URL+"/screen", [][2]string{{"csrf", csrf}, {"column", column}}, "csv", [][2]string{{name, body}})
		return code, page
	}
	code, page := send("vendors.csv", "vendor_name", "vendor_id,vendor_name\nV1,Rosobornexport\nV2,\"Rosneft Oil Company\"\nV3,Рособоронэкспорт\n")
	if code != 200 || !strings.Contains(page, "Screened: vendors.csv") {
		t.Fatalf("%d\n%s", code, page)
	}
	rows := regexp.MustCompile(`(?s)<tr class="(hit[^"]*|miss)"><td dir="auto">([^<]*)</td>`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, r := range rows {
		got = append(got, r[2]+"="+strings.Fields(r[1])[0])
	}
	if strings.Join(got, " ") != "Rosobornexport=hit Rosneft Oil Company=miss Рособоронэкспорт=hit" {
		t.Errorf("rows: %v", got)
	}
	if strings.Count(page, `href="/entities/ent:rosoboronexport"`) != 2 {
		t.Error("the hits do not link to Rosoboronexport")
	}
	// A malformed row: refused with its line, not a dropped connection.
	if code, page := send("broken.csv", "", "name\nRosatom\n\"a\"b\n"); code != http.StatusBadRequest || !strings.Contains(page, "broken.csv:3") {
		t.Errorf("a malformed CSV row: %d\n%s", code, page)
	}
	code, page = send("suppliers.csv", "vendor", "id,name,country\n1,Rosatom,RU\n")
	if code != http.StatusBadRequest || !strings.Contains(page, "suppliers.csv") || !strings.Contains(page, "vendor") {
		t.Errorf("a missing column: %d\n%s", code, page)
	}
	// With no column named, the one headed "name" is read.
	if code, page = send("suppliers.csv", "", "id,name,country\n1,Rosobornexport,RU\n"); code != 200 || !strings.Contains(page, "ent:rosoboronexport") {
		t.Errorf("the name column by default: %d", code)
	}
}

// TestSearchEventsAndSources searches events and sources by the words of
// their text, in the API and the UI, within the reader's access; a
// source's page shows its digest and the claims citing it, and a reviewer
// reading a confidential one is in the audit log.
func TestSearchEventsAndSources(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	ctx := addInformant(t, s)
	ids := func(body map[string]any, key string) []string {
		var out []string
		for _, x := range body[key].([]any) {
			out = append(out, x.(map[string]any)["id"].(string))
		}
		return out
	}
	_, body := callAs(t, srv.tokens[armstrace.UserViewer], "GET", srv.URL+"/api/v1/search?q=homs+atrocities", "")
	if got := ids(body, "events"); !slices.Contains(got, "evt:homs-atrocities-2012") {
		t.Errorf("events for a viewer: %v", got)
	}
	_, body = callAs(t, srv.tokens[armstrace.UserViewer], "GET", srv.URL+"/api/v1/search?q=human+rights+first", "")
	if got := ids(body, "sources"); !slices.Contains(got, "src:hrf-2012-04-12") {
		t.Errorf("sources by publisher: %v", got)
	}
	_, body = callAs(t, srv.tokens[armstrace.UserViewer], "GET", srv.URL+"/api/v1/search?q=tartus", "")
	if got := ids(body, "sources"); len(got) != 0 {
		t.Errorf("a viewer finds the confidential source: %v", got)
	}
	_, body = callAs(t, srv.tokens[armstrace.UserReviewer], "GET", srv.URL+"/api/v1/search?q=tartus", "")
	if got := ids(body, "sources"); !slices.Equal(got, []string{"src:informant"}) {
		t.Errorf("a reviewer's search: %v", got)
	}

	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	uiUser(t, s, "rex", armstrace.UserReviewer, "a long enough password")
	viewer, reviewer := browser(t), browser(t)
	signIn(t, viewer, srv.URL, "vic", "a long enough password")
	signIn(t, reviewer, srv.URL, "rex", "a long enough password")
	_, page, _ := get(t, viewer, srv.URL+"/search?q=homs")
	if !strings.Contains(page, `id="event-results"`) || !strings.Contains(page, `href="/events/evt:homs-atrocities-2012"`) {
		t.Errorf("the search page lists no Homs event")
	}
	const sha = "650d9283f6c1b078f779a30102b9c17658afa2d574759608af32df2b4ff42034"
	if _, err := s.AddSourceFile(ctx, &armstrace.SourceFile{ID: armstrace.SourceFileID("src:hrf-2012-04-12", sha), Source: "src:hrf-2012-04-12", SHA256: sha, Size: 2934,
		Role: armstrace.FileOriginal, Name: "release.txt", MediaType: "text/plain", Created: "2026-11-27T00:00:00Z"}, armstrace.ActionCollect, `{}`); err != nil {
		t.Fatal(err)
	}
	code, page, _ := get(t, viewer, srv.URL+"/sources/src:hrf-2012-04-12")
	if code != 200 || !strings.Contains(page, sha) || !strings.Contains(page, `href="/entities/ent:rosoboronexport"`) || !strings.Contains(page, `id="files"`) || !strings.Contains(page, "release.txt") {
		t.Errorf("the release's page: %d", code)
	}
	if strings.Contains(page, `id="custody"`) {
		t.Error("a viewer sees who handled the evidence")
	}
	if _, page, _ := get(t, reviewer, srv.URL+"/sources/src:hrf-2012-04-12"); !regexp.MustCompile(`<strong>collect</strong> by test`).MatchString(page) {
		t.Error("a reviewer does not see the chain of custody")
	}
	if code, _, _ := get(t, viewer, srv.URL+"/sources/src:informant"); code != http.StatusNotFound {
		t.Errorf("a viewer on the confidential source's page: %d", code)
	}
	code, page, _ = get(t, reviewer, srv.URL+"/sources/src:informant")
	if code != 200 || !strings.Contains(page, "Tartus") || !strings.Contains(page, "p. 2") {
		t.Errorf("a reviewer on the confidential source's page: %d", code)
	}
	readers := readsOf(t, s, "source", "src:informant")
	if readers["user:rex"] == 0 || readers["user:vic"] != 0 {
		t.Errorf("reads of the confidential source: %v", readers)
	}
}

// TestExtractPage reads a report on the extraction page: proposals with
// their sentences and what the graph already holds; a viewer may read but
// not send claims for review; an analyst's claims go to the queue once,
// however often sent; and a name the reader may not see resolves to
// nothing.
func TestExtractPage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	ctx := armstrace.WithActor(context.Background(), "test")
	for _, r := range []armstrace.Record{
		&armstrace.Source{ID: "src:informant", Kind: armstrace.SourceDocument, Title: "Informant's account", Access: armstrace.AccessConfidential},
		&armstrace.Entity{ID: "ent:tartus-shipping", Kind: armstrace.EntityCompany, Name: "Tartus Maritime Logistics", Citations: []armstrace.Citation{{Source: "src:informant"}}},
	} {
		if _, err := s.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	uiUser(t, s, "ana", armstrace.UserAnalyst, "a long enough password")
	uiUser(t, s, "rex", armstrace.UserReviewer, "a long enough password")
	send := func(c *http.Client, form url.Values) (int, string) {
		t.Helper()
		_, page, _ := get(t, c, srv.URL+"/extract")
		form.Set("csrf", csrfRe.FindStringSubmatch(page)[1])
		code, body, _ := post(t, c, srv.URL+"/extract", form)
		return code, body
	}
	report := string(demo.Report) + "\n\nTartus Maritime Logistics shipped Mi-24 helicopters to Syria in 2012.\n"
	viewer := browser(t)
	signIn(t, viewer, srv.URL, "vic", "a long enough password")
	code, page := send(viewer, url.Values{"text": {report}, "action": {"propose"}})
	if code != 200 || !strings.Contains(page, `id="proposals"`) || !strings.Contains(page, "<code>clm:roe-syria-supply</code>") || !strings.Contains(page, "paragraph 2, sentence 1") {
		t.Fatalf("proposals for a viewer: %d\n%s", code, page)
	}
	if strings.Contains(page, "ent:tartus-shipping") || strings.Contains(page, `id="write"`) {
		t.Error("a viewer's page resolves a hidden name, or offers to write")
	}
	if code, _ := send(viewer, url.Values{"text": {report}, "action": {"write"}, "source": {"src:hrf-2012-04-12"}}); code != http.StatusForbidden {
		t.Errorf("a viewer sending claims for review: %d", code)
	}
	reviewer := browser(t)
	signIn(t, reviewer, srv.URL, "rex", "a long enough password")
	if _, page := send(reviewer, url.Values{"text": {report}, "action": {"propose"}}); !strings.Contains(page, `href="/entities/ent:tartus-shipping"`) {
		t.Error("a reviewer's proposals do not resolve the name the reviewer may see")
	}

	analyst := browser(t)
	signIn(t, analyst, srv.URL, "ana", "a long enough password")
	if code, page := send(analyst, url.Values{"text": {report}, "action": {"write"}}); code != http.StatusBadRequest || !strings.Contains(page, "source") {
		t.Errorf("writing without a source: %d", code)
	}
	written := regexp.MustCompile(`id="written">(\d+) claim\(s\) sent to the review queue as alleged, (\d+) already there`)
	code, page = send(analyst, url.Values{"text": {report}, "action": {"write"}, "source": {"src:hrf-2012-04-12"}})
	m := written.FindStringSubmatch(page)
	if code != 200 || m == nil || m[1] == "0" || m[2] != "0" {
		t.Fatalf("the first write: %d %v", code, m)
	}
	claims, err := s.FindClaims(ctx, armstrace.ClaimFilter{Source: "src:hrf-2012-04-12"})
	if err != nil {
		t.Fatal(err)
	}
	extracted := 0
	for _, c := range claims {
		if strings.HasPrefix(c.ID, "clm:extract-") {
			extracted++
			if c.Status != armstrace.StatusAlleged || len(c.Citations) != 1 || c.Citations[0].Quote == "" {
				t.Errorf("%s: %s, %+v", c.ID, c.Status, c.Citations)
			}
		}
	}
	if fmt.Sprint(extracted) != m[1] {
		t.Errorf("%d extracted claims stored, the page says %s", extracted, m[1])
	}
	_, page = send(analyst, url.Values{"text": {report}, "action": {"write"}, "source": {"src:hrf-2012-04-12"}})
	if again := written.FindStringSubmatch(page); again == nil || again[1] != "0" || again[2] != m[1] {
		t.Errorf("the second write: %v", again)
	}
}

// TestImportDatasetPage imports real dataset files through the import
// page: OFAC's SDN list with its companion files (the aliases come from
// alt.csv), the run and its snapshot shown, nothing added the second
// time; and a GED file with a bad row refused whole, naming its line.
func TestImportDatasetPage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	uiUser(t, s, "ana", armstrace.UserAnalyst, "a long enough password")
	c := browser(t)
	signIn(t, c, srv.URL, "ana", "a long enough password")
	_, page, _ := get(t, c, srv.URL+"/import")
	token := csrfRe.FindStringSubmatch(page)[1]
	if !strings.Contains(page, `<option value="ofac">`) || !strings.Contains(page, `<option value="ucdp-ged">`) {
		t.Fatal("the import page offers no dataset formats")
	}
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	dir := "../ingest/ofac/testdata/sdn2019/"
	ofac := [][2]string{{"sdn_2019_sdn.csv", read(dir + "sdn_2019_sdn.csv")}, {"sdn_2019_alt.csv", read(dir + "sdn_2019_alt.csv")},
		{"sdn_2019_add.csv", read(dir + "sdn_2019_add.csv")}, {"sdn_2019_sdn_comments.csv", read(dir + "sdn_2019_sdn_comments.csv")}}
	code, page := uploadFiles(t, c, srv.URL, token, "ofac", ofac)
	if code != 200 || !strings.Contains(page, `id="run"`) || !strings.Contains(page, `href="/sources/src:ofac:`) {
		t.Fatalf("the OFAC import: %d\n%s", code, page)
	}
	created := regexp.MustCompile(`(\d+) record\(s\) created`).FindStringSubmatch(page)
	if created == nil || created[1] == "0" {
		t.Errorf("created: %v", created)
	}
	ents, err := s.FindEntities(context.Background(), armstrace.EntityFilter{Identifier: &armstrace.Identifier{Scheme: "ofac-ent", Value: "18782"}})
	if err != nil || len(ents) == 0 {
		t.Fatalf("no entity for OFAC entry 18782 after the import: %v", err)
	}
	if len(ents[0].Aliases) < 3 {
		t.Errorf("entry 18782 has %d aliases: the companion alt.csv was not read", len(ents[0].Aliases))
	}
	if _, page := uploadFiles(t, c, srv.URL, token, "ofac", ofac); !strings.Contains(page, ">0 record(s) created, 0 updated") {
		t.Errorf("a second import of the same files wrote again:\n%s", page)
	}

	ged := strings.Split(read("../ingest/ucdp/testdata/ged_syria_652.1601.1911_excerpt.csv"), "\n")
	before, err := s.FindEvents(context.Background(), armstrace.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// The second line's latitude is not a number.
	if !strings.Contains(ged[1], ",34.8024") {
		t.Fatal("the GED excerpt changed: no latitude 34.8024 on its second line")
	}
	ged[1] = strings.Replace(ged[1], ",34.8024", ",north", 1)
	code, page = uploadFiles(t, c, srv.URL, token, "ucdp-ged", [][2]string{{"ged_excerpt.csv", strings.Join(ged, "\n")}})
	if code != http.StatusBadRequest || !strings.Contains(page, "Nothing was imported") || !strings.Contains(page, "ged_excerpt.csv:2") || strings.Contains(page, os.TempDir()) {
		t.Errorf("a bad GED row: %d\n%s", code, page)
	}
	after, err := s.FindEvents(context.Background(), armstrace.EventFilter{})
	if err != nil || len(after) != len(before) {
		t.Errorf("a refused import wrote events: %d before, %d after (%v)", len(before), len(after), err)
	}
}

// addInformant stores a confidential source, an informant's account of
// deliveries through Tartus, and an alleged supply resting on it alone;
// it returns the context it wrote with.
func addInformant(t *testing.T, s *store.Store) context.Context {
	t.Helper()
	ctx := armstrace.WithActor(context.Background(), "test")
	for _, r := range []armstrace.Record{
		&armstrace.Source{ID: "src:informant", Kind: armstrace.SourceDocument, Title: "Informant's account of the Tartus deliveries", Access: armstrace.AccessConfidential},
		&armstrace.Claim{ID: "clm:informant", Kind: armstrace.ClaimSupplied, Subject: "ent:rosoboronexport", Object: "ent:syria", Status: armstrace.StatusAlleged, Confidence: 0.5,
			Citations: []armstrace.Citation{{Source: "src:informant", Locator: "p. 2"}}},
	} {
		if _, err := s.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return ctx
}

// TestSourceFileDownload downloads a source's stored file from its page:
// the exact bytes, as an attachment, the reading in its chain of custody;
// a confidential source's file is not there for a viewer; a damaged copy
// never leaves, and the reader is not told where it lies.
func TestSourceFileDownload(t *testing.T) {
	s := storetest.OpenSQLite(t)
	files, err := blob.Open(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	srv := demoServer(t, s, func(ws *web.Server) { ws.Files = files })
	ctx := armstrace.WithActor(context.Background(), "test")
	// A source of each access level, its original captured.
	add := func(source string, access armstrace.Access, name, body string) string {
		t.Helper()
		sha, _, err := files.PutBytes([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Put(ctx, &armstrace.Source{ID: source, Kind: armstrace.SourceDocument, Title: "Capture " + name, SHA256: sha, Access: access}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSourceFile(ctx, &armstrace.SourceFile{ID: armstrace.SourceFileID(source, sha), Source: source, SHA256: sha, Size: int64(len(body)),
			Role: armstrace.FileOriginal, Name: name, MediaType: "text/html", Created: "2026-11-27T00:00:00Z"}, armstrace.ActionCollect, `{}`); err != nil {
			t.Fatal(err)
		}
		return sha
	}
	release := "<p>Release text, kept as captured.</p><script>alert(1)</script>"
	sha := add("src:capture", armstrace.AccessPublic, "release.html", release)
	secret := add("src:secret-capture", armstrace.AccessConfidential, "account.html", "<p>The informant's account.</p>")
	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	viewer := browser(t)
	signIn(t, viewer, srv.URL, "vic", "a long enough password")
	_, page, _ := get(t, viewer, srv.URL+"/sources/src:capture")
	link := "/sources/src:capture/files/" + sha
	if !strings.Contains(page, `href="`+link+`"`) {
		t.Fatalf("the source page has no download link for its file")
	}
	code, body, h := get(t, viewer, srv.URL+link)
	if code != 200 || body != release || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("Content-Type") != "application/octet-stream" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("the download: %d %q %v", code, body, h)
	}
	log, err := s.AuditLog(ctx, "source", "src:capture")
	if err != nil {
		t.Fatal(err)
	}
	if last := log[len(log)-1]; last.Action != armstrace.ActionRead || last.Actor != "user:vic" || !strings.Contains(last.Change, sha) {
		t.Errorf("the download's custody entry: %+v", last)
	}
	if code, _, _ := get(t, viewer, srv.URL+"/sources/src:secret-capture/files/"+secret); code != http.StatusNotFound {
		t.Errorf("a viewer downloads the confidential account: %d", code)
	}
	// A damaged copy: refused, and the answer names no path.
	path := files.Path(sha)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(release, "Release", "Relaese", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := get(t, viewer, srv.URL+link); code != http.StatusInternalServerError || strings.Contains(body, "Relaese") || strings.Contains(body, files.Dir()) {
		t.Errorf("a damaged copy: %d\n%s", code, body)
	}
}

// TestAddSourcePage takes a file into custody from the UI: kept read-only
// under its digest, its record written with what the form says, then its
// page; an analyst may not make a source more secret than an analyst may
// read, nor a viewer add one; the same file again changes nothing.
func TestAddSourcePage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	files, err := blob.Open(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	srv := demoServer(t, s, func(ws *web.Server) { ws.Files = files })
	uiUser(t, s, "ana", armstrace.UserAnalyst, "a long enough password")
	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	send := func(c *http.Client, fields map[string]string, name, body string) (int, http.Header, string) {
		t.Helper()
		_, page, _ := get(t, c, srv.URL+"/sources/new")
		m := csrfRe.FindStringSubmatch(page)
		if m == nil {
			return http.StatusForbidden, nil, page
		}
		code, b, h := postFiles(t, c, srv.URL+"/sources/new", formFields(m[1], fields), "file", [][2]string{{name, body}})
		return code, h, b
	}
	analyst := browser(t)
	signIn(t, analyst, srv.URL, "ana", "a long enough password")
	const body = "Statement of a witness to the shelling of Homs, 4 February 2012."
	sum := sha256.Sum256([]byte(body))
	sha := hex.EncodeToString(sum[:])
	code, h, _ := send(analyst, map[string]string{"title": "Witness statement", "access": "public", "published": "2012-02-05"}, "statement.txt", body)
	if code != http.StatusSeeOther || h.Get("Location") != "/sources/src:"+sha[:12] {
		t.Fatalf("adding a source: %d %s", code, h.Get("Location"))
	}
	src, err := s.FindSourceByID(context.Background(), "src:"+sha[:12])
	if err != nil || src.Title != "Witness statement" || src.SHA256 != sha || src.Access != armstrace.AccessPublic || src.Published != "2012-02-05" || src.Captured == "" {
		t.Fatalf("the source record: %+v %v", src, err)
	}
	fi, err := os.Stat(files.Path(sha))
	if err != nil || fi.Mode().Perm()&0o222 != 0 {
		t.Errorf("the stored copy: %v %v", fi, err)
	}
	if code, _, _ := send(analyst, map[string]string{"title": "Witness statement", "access": "public"}, "statement.txt", body); code != http.StatusSeeOther {
		t.Errorf("the same file again: %d", code)
	}
	if fs, _ := s.FindSourceFiles(context.Background(), src.ID); len(fs) != 1 {
		t.Errorf("%d files after adding the same one twice", len(fs))
	}
	if code, _, page := send(analyst, map[string]string{"access": "confidential"}, "informant.txt", "An informant's words."); code != http.StatusForbidden || !strings.Contains(page, "confidential") {
		t.Errorf("an analyst adding a confidential source: %d", code)
	}
	if code, _, page := send(analyst, map[string]string{"published": "the fifth"}, "x.txt", "Other words."); code != http.StatusBadRequest || !strings.Contains(page, "published") {
		t.Errorf("a bad date: %d", code)
	}
	viewer := browser(t)
	signIn(t, viewer, srv.URL, "vic", "a long enough password")
	if code, _, _ := send(viewer, nil, "v.txt", "A viewer's file."); code != http.StatusForbidden {
		t.Errorf("a viewer adding a source: %d", code)
	}

	// A report kept as a source, then read by rule from its stored copy.
	code, h, _ = send(analyst, map[string]string{"id": "src:monitors", "title": "Monitors' report", "access": "public"}, "report.txt", string(demo.Report))
	if code != http.StatusSeeOther {
		t.Fatalf("adding the report: %d", code)
	}
	_, page, _ := get(t, analyst, srv.URL+h.Get("Location"))
	if !strings.Contains(page, `href="/extract?source=src%3amonitors"`) {
		t.Fatal("the source page offers no extraction from its text")
	}
	_, page, _ = get(t, analyst, srv.URL+"/extract?source=src:monitors")
	form := url.Values{"csrf": {csrfRe.FindStringSubmatch(page)[1]}, "source": {"src:monitors"}, "text": {""}, "action": {"propose"}}
	code, page, _ = post(t, analyst, srv.URL+"/extract", form)
	if code != 200 || !strings.Contains(page, "src:monitors (report.txt): ") || !strings.Contains(page, "<code>clm:roe-syria-supply</code>") {
		t.Errorf("extraction from the stored copy: %d\n%s", code, page)
	}
	log, err := s.AuditLog(context.Background(), "source", "src:monitors")
	if err != nil || !strings.Contains(log[len(log)-1].Change, "extract page") {
		t.Errorf("the reading is not in the chain of custody: %v", err)
	}
}

// TestProtectedPlacePages shows a protected place blurred to a viewer, on
// the event's page, its map and in the API, and whole to a reviewer.
func TestProtectedPlacePages(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	ctx := armstrace.WithActor(context.Background(), "test")
	if _, err := s.Put(ctx, &armstrace.Event{ID: "evt:shelter", Title: "Strike near a shelter", Type: "violence against civilians", Start: "2012-02-06", End: "2012-02-06",
		Precision: armstrace.PrecisionDay, Citations: []armstrace.Citation{{Source: "src:hrf-2012-04-12"}},
		Place: armstrace.Place{Name: "Al-Amal shelter", Admin2: "Homs district", Admin1: "Homs", Country: "SY",
			Lat: armstrace.Num(34.7213), Lon: armstrace.Num(36.6862), Precision: armstrace.GeoExact, Protected: true}}); err != nil {
		t.Fatal(err)
	}
	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	uiUser(t, s, "rex", armstrace.UserReviewer, "a long enough password")
	viewer, reviewer := browser(t), browser(t)
	signIn(t, viewer, srv.URL, "vic", "a long enough password")
	signIn(t, reviewer, srv.URL, "rex", "a long enough password")
	_, page, _ := get(t, viewer, srv.URL+"/events/evt:shelter")
	if strings.Contains(page, "Amal") || strings.Contains(page, "34.7213") || !strings.Contains(page, "Homs district") || !strings.Contains(page, "34.7000") || !strings.Contains(page, "shown only to its district") {
		t.Errorf("a viewer's event page shows the protected place")
	}
	_, page, _ = get(t, viewer, srv.URL+"/events?country=SY&since=2012-02-06&until=2012-02-06")
	if strings.Contains(page, "Amal") || strings.Contains(page, "34.7213") || !strings.Contains(page, "/events/evt:shelter") {
		t.Errorf("a viewer's map shows the protected place")
	}
	_, body := callAs(t, srv.tokens[armstrace.UserViewer], "GET", srv.URL+"/api/v1/events/evt:shelter", "")
	if place := body["place"].(map[string]any); place["name"] != "Homs district" || place["lat"] != 34.7 {
		t.Errorf("a viewer's API answer: %v", place)
	}
	_, page, _ = get(t, reviewer, srv.URL+"/events/evt:shelter")
	if !strings.Contains(page, "Al-Amal shelter") || !strings.Contains(page, "34.7213") {
		t.Errorf("a reviewer does not see the place as recorded")
	}
}

// TestHistoryPage shows a record's versions from the audit log, each
// with the fields that changed, to reviewers; not to viewers.
func TestHistoryPage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	ctx := armstrace.WithActor(context.Background(), "user:rex")
	e, err := s.FindEntityByID(ctx, "ent:rostec")
	if err != nil {
		t.Fatal(err)
	}
	e.Aliases = append(e.Aliases, armstrace.Name{Value: "Ростех"})
	e.Country = "RU"
	if err := s.UpdateEntity(ctx, e); err != nil {
		t.Fatal(err)
	}
	uiUser(t, s, "rex", armstrace.UserReviewer, "a long enough password")
	uiUser(t, s, "vic", armstrace.UserViewer, "a long enough password")
	reviewer, viewer := browser(t), browser(t)
	signIn(t, reviewer, srv.URL, "rex", "a long enough password")
	signIn(t, viewer, srv.URL, "vic", "a long enough password")
	code, page, _ := get(t, reviewer, srv.URL+"/history/entity/ent:rostec")
	if code != 200 {
		t.Fatalf("history: %d", code)
	}
	// The newest version comes first: the alias added by rex.
	first := page[strings.Index(page, `<li class="version">`):]
	first = first[:strings.Index(first, "</li>")]
	if !strings.Contains(first, "<strong>update</strong> by user:rex") || !regexp.MustCompile(`<tr class="added"><td><code>aliases\[\d+\]\.value</code></td>`).MatchString(first) || !strings.Contains(first, "Ростех") {
		t.Errorf("the newest version:\n%s", first)
	}
	if !strings.Contains(page, "<strong>create</strong>") {
		t.Error("the first version is missing")
	}
	if _, entity, _ := get(t, reviewer, srv.URL+"/entities/ent:rostec"); !strings.Contains(entity, `href="/history/entity/ent:rostec"`) {
		t.Error("the entity page does not link its history for a reviewer")
	}
	// A claim whose earlier version cited a confidential source: reading
	// its history is reading that source, and logged.
	addInformant(t, s)
	cl, err := s.FindClaimByID(ctx, "clm:informant")
	if err != nil {
		t.Fatal(err)
	}
	cl.Citations = []armstrace.Citation{{Source: "src:hrf-2012-04-12", Locator: "sentence 2"}}
	if err := s.UpdateClaim(ctx, cl); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := get(t, reviewer, srv.URL+"/history/claim/clm:informant"); code != 200 {
		t.Fatalf("a claim's history: %d", code)
	}
	informant, err := s.AuditLog(ctx, "source", "src:informant")
	if err != nil || informant[len(informant)-1].Action != armstrace.ActionRead || informant[len(informant)-1].Actor != "user:rex" {
		t.Errorf("reading the history is not logged as a read of the confidential source: %v", err)
	}
	if code, _, _ := get(t, viewer, srv.URL+"/history/entity/ent:rostec"); code != http.StatusForbidden {
		t.Errorf("a viewer reads the history: %d", code)
	}
	if code, _, _ := get(t, reviewer, srv.URL+"/history/nonsense/x"); code != http.StatusBadRequest {
		t.Errorf("an unknown type: %d", code)
	}
	if code, _, _ := get(t, reviewer, srv.URL+"/history/entity/ent:none"); code != http.StatusNotFound {
		t.Errorf("an unknown record: %d", code)
	}
}

// TestAddSourceCannotOpenUpASource uploads, as an analyst, the bytes of a
// source already held as confidential (so the id derived from them is
// taken) and then tries to open up a restricted one: both refused, both
// records unchanged.
func TestAddSourceCannotOpenUpASource(t *testing.T) {
	s := storetest.OpenSQLite(t)
	files, err := blob.Open(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	srv := demoServer(t, s, func(ws *web.Server) { ws.Files = files })
	ctx := armstrace.WithActor(context.Background(), "test")
	collect := func(id, body string, access armstrace.Access) {
		t.Helper()
		if _, err := evidence.Collect(ctx, s, files, strings.NewReader(body), "f.txt", evidence.Fields{ID: id, Title: "Held " + id, Access: string(access),
			Set: map[string]bool{"title": true, "access": true}}); err != nil {
			t.Fatal(err)
		}
	}
	const secret, restricted = "A witness's account, kept confidential.", "A field report, restricted."
	sum := sha256.Sum256([]byte(secret))
	secretID := "src:" + hex.EncodeToString(sum[:])[:12]
	collect("", secret, armstrace.AccessConfidential)
	collect("src:field", restricted, armstrace.AccessRestricted)
	uiUser(t, s, "ana", armstrace.UserAnalyst, "a long enough password")
	c := browser(t)
	signIn(t, c, srv.URL, "ana", "a long enough password")
	send := func(fields map[string]string, body string) (int, string) {
		t.Helper()
		_, page, _ := get(t, c, srv.URL+"/sources/new")
		code, b, _ := postFiles(t, c, srv.URL+"/sources/new", formFields(csrfRe.FindStringSubmatch(page)[1], fields), "file", [][2]string{{"mine.txt", body}})
		return code, b
	}
	if code, page := send(map[string]string{"title": "mine", "access": "public"}, secret); code != http.StatusConflict || strings.Contains(page, "Held") {
		t.Errorf("the bytes of a confidential source: %d", code)
	}
	if code, _ := send(map[string]string{"id": "src:field", "access": "public"}, restricted); code != http.StatusConflict {
		t.Errorf("opening up a restricted source: %d", code)
	}
	for id, want := range map[string]armstrace.Access{secretID: armstrace.AccessConfidential, "src:field": armstrace.AccessRestricted} {
		if src, err := s.FindSourceByID(ctx, id); err != nil || src.Access != want || src.Title != "Held "+id && id == "src:field" {
			t.Errorf("%s after the attempts: %+v %v", id, src, err)
		}
	}
	if src, _ := s.FindSourceByID(ctx, secretID); src == nil || src.Title == "mine" {
		t.Errorf("the confidential source was rewritten: %+v", src)
	}
}

// TestRemoveStaleUploads removes upload folders older than the age given
// and keeps younger ones.
func TestRemoveStaleUploads(t *testing.T) {
	old, err := os.MkdirTemp("", "armstrace-upload-*")
	if err != nil {
		t.Fatal(err)
	}
	young, err := os.MkdirTemp("", "armstrace-upload-*")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(young)
	if err := os.WriteFile(filepath.Join(old, "sdn.csv"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	if n := web.RemoveStaleUploads(24 * time.Hour); n < 1 {
		t.Errorf("removed %d", n)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the stale folder is still there: %v", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("the young folder was removed: %v", err)
	}
}

// TestScreenDownloadAndKind screens pasted names into a CSV download,
// logged as an export, and tells a person's name from a vessel's when
// the names are said to be persons.
func TestScreenDownloadAndKind(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	ctx := armstrace.WithActor(context.Background(), "test")
	if _, err := s.Put(ctx, &armstrace.Entity{ID: "ent:crystal", Kind: armstrace.EntityVessel, Name: "CRYSTAL", Citations: []armstrace.Citation{{Source: "src:hrf-2012-04-12"}}}); err != nil {
		t.Fatal(err)
	}
	uiUser(t, s, "pat", armstrace.UserViewer, "a long enough password")
	c := browser(t)
	signIn(t, c, srv.URL, "pat", "a long enough password")
	screen := func(form url.Values) (int, string, http.Header) {
		t.Helper()
		_, page, _ := get(t, c, srv.URL+"/screen")
		form.Set("csrf", csrfRe.FindStringSubmatch(page)[1])
		return post(t, c, srv.URL+"/screen", form)
	}
	code, body, h := screen(url.Values{"names": {"Rosobornexport\nCrystal Myers\nRosatom"}, "format": {"csv"}})
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if code != 200 || err != nil || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || len(rows) != 4 {
		t.Fatalf("the download: %d %v %v\n%s", code, err, h, body)
	}
	if rows[1][0] != "Rosobornexport" || rows[1][2] != "true" || rows[1][4] != "ent:rosoboronexport" || rows[2][4] != "ent:crystal" || rows[3][2] != "false" {
		t.Errorf("rows: %v", rows)
	}
	exports, err := s.FindAudit(ctx, armstrace.AuditFilter{Action: armstrace.ActionExport, ObjectType: "screening"})
	if err != nil || len(exports) != 1 || exports[0].Actor != "user:pat" || exports[0].ObjectID != armstrace.Digest(body) {
		t.Errorf("the download's export entry: %+v %v", exports, err)
	}
	_, body, _ = screen(url.Values{"names": {"Crystal Myers"}, "kind": {"person"}, "format": {"csv"}})
	if rows, _ := csv.NewReader(strings.NewReader(body)).ReadAll(); len(rows) != 2 || rows[1][4] != "" {
		t.Errorf("said to be a person, the name still meets the vessel: %v", rows)
	}
}

// TestFileStorePathsStayHidden reads a source whose stored copy has gone
// missing, through the extraction page, from a file store named by a
// relative path: the reader gets an internal error that names no path.
func TestFileStorePathsStayHidden(t *testing.T) {
	s := storetest.OpenSQLite(t)
	t.Chdir(t.TempDir())
	files, err := blob.Open("./evidence//", true)
	if err != nil {
		t.Fatal(err)
	}
	srv := demoServer(t, s, func(ws *web.Server) { ws.Files = files })
	ctx := armstrace.WithActor(context.Background(), "test")
	c, err := evidence.Collect(ctx, s, files, strings.NewReader(string(demo.Report)), "report.txt", evidence.Fields{ID: "src:gone", Access: "public", Set: map[string]bool{"access": true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(files.Path(c.File.SHA256)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(files.Path(c.File.SHA256)); err != nil {
		t.Fatal(err)
	}
	uiUser(t, s, "ana", armstrace.UserAnalyst, "a long enough password")
	b := browser(t)
	signIn(t, b, srv.URL, "ana", "a long enough password")
	_, page, _ := get(t, b, srv.URL+"/extract")
	code, page, _ := post(t, b, srv.URL+"/extract", url.Values{"csrf": {csrfRe.FindStringSubmatch(page)[1]}, "source": {"src:gone"}, "text": {""}, "action": {"propose"}})
	if code != http.StatusInternalServerError || strings.Contains(page, "evidence") || strings.Contains(page, "sha256/") {
		t.Errorf("a missing stored copy: %d\n%s", code, page)
	}
}

// readsOf counts the reads of a record in the audit log, by reader.
func readsOf(t *testing.T, s *store.Store, typ, id string) map[string]int {
	t.Helper()
	log, err := s.AuditLog(context.Background(), typ, id)
	if err != nil {
		t.Fatal(err)
	}
	readers := map[string]int{}
	for _, e := range log {
		if e.Action == armstrace.ActionRead {
			readers[e.Actor]++
		}
	}
	return readers
}
