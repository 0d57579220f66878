package alert

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
)

// fast retries quickly, so that the tests do not wait.
var fast = Options{Retries: 3, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Timeout: 2 * time.Second}

type received struct {
	mu       sync.Mutex
	bodies   []map[string]any
	keys     []string
	attempts []string
	types    []string
}

func (r *received) record(req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, _ := io.ReadAll(req.Body)
	var m map[string]any
	json.Unmarshal(b, &m)
	r.bodies = append(r.bodies, m)
	r.keys = append(r.keys, req.Header.Get(HeaderID))
	r.attempts = append(r.attempts, req.Header.Get(HeaderAttempt))
	r.types = append(r.types, req.Header.Get("Content-Type"))
}

func testAlert() *armstrace.Alert {
	return &armstrace.Alert{ID: armstrace.AlertID("cf:x", "2016-03-10", "all"), Ceasefire: "cf:x", Day: "2016-03-10", Group: "all", Week: 30, Baseline: 10, Rule: "surge"}
}

func TestPostSucceeds(t *testing.T) {
	var got received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			t.Errorf("method %s", r.Method)
		}
		got.record(r)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	a := testAlert()
	if err := PostWith(context.Background(), srv.Client(), srv.URL+"/hook", a, fast); err != nil {
		t.Fatal(err)
	}
	if len(got.bodies) != 1 {
		t.Fatalf("%d requests, want 1", len(got.bodies))
	}
	if got.types[0] != "application/json" || got.keys[0] != a.ID || got.attempts[0] != "1" {
		t.Errorf("headers: type %q, key %q, attempt %q", got.types[0], got.keys[0], got.attempts[0])
	}
	if got.bodies[0]["ceasefire"] != "cf:x" || got.bodies[0]["week"] != 30.0 || got.bodies[0]["rule"] != "surge" {
		t.Errorf("body: %v", got.bodies[0])
	}
}

func TestPostRetriesServerErrors(t *testing.T) {
	var got received
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.record(r)
		if n.Add(1) <= 2 {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	if err := PostWith(context.Background(), srv.Client(), srv.URL, testAlert(), fast); err != nil {
		t.Fatalf("a server failing twice then taking the alert: %v", err)
	}
	if len(got.keys) != 3 {
		t.Fatalf("%d attempts, want 3", len(got.keys))
	}
	// Every attempt carries the same key, so the receiver can drop duplicates.
	if got.keys[0] != got.keys[1] || got.keys[1] != got.keys[2] || strings.Join(got.attempts, ",") != "1,2,3" {
		t.Errorf("keys %v, attempts %v", got.keys, got.attempts)
	}
}

func TestPostGivesUpAfterTheRetries(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "broken", http.StatusBadGateway)
	}))
	defer srv.Close()
	o := fast
	o.Retries = 2
	err := PostWith(context.Background(), srv.Client(), srv.URL+"/secret-token", testAlert(), o)
	if err == nil || n.Load() != 3 {
		t.Fatalf("%d attempts, err %v; want 3 and an error", n.Load(), err)
	}
	if strings.Contains(err.Error(), "secret-token") {
		t.Errorf("the error shows the webhook's path: %v", err)
	}
}

func TestPostDoesNotRetryARefusal(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "unknown field", http.StatusBadRequest)
	}))
	defer srv.Close()
	err := PostWith(context.Background(), srv.Client(), srv.URL, testAlert(), fast)
	if n.Load() != 1 {
		t.Fatalf("a 400 was tried %d times, want once", n.Load())
	}
	if armstrace.ErrorCode(err) != armstrace.EINVALID || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "unknown field") {
		t.Errorf("error: %v", err)
	}
}

func TestPostRetriesNetworkErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := srv.URL
	srv.Close() // nothing listens there now
	o := fast
	o.Retries = 1
	err := PostWith(context.Background(), http.DefaultClient, url, testAlert(), o)
	if err == nil || !strings.Contains(err.Error(), "2 attempt(s)") {
		t.Errorf("a closed port: %v", err)
	}
}

func TestPostStopsWhenCancelled(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	o := fast
	o.Retries, o.Timeout = 5, time.Minute
	err := PostWith(ctx, srv.Client(), srv.URL, testAlert(), o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop", d)
	}
}

func TestPostTimesOutEachAttempt(t *testing.T) {
	var n atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select { // the first attempt hangs
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	defer close(release)
	o := fast
	o.Timeout = 100 * time.Millisecond
	if err := PostWith(context.Background(), srv.Client(), srv.URL, testAlert(), o); err != nil || n.Load() != 2 {
		t.Fatalf("a hung first attempt: %d attempts, %v", n.Load(), err)
	}
}

func TestPostKeyWithoutAnID(t *testing.T) {
	var got received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.record(r) }))
	defer srv.Close()
	p := map[string]int{"week": 3}
	for range 2 {
		if err := PostWith(context.Background(), srv.Client(), srv.URL, p, fast); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.HasPrefix(got.keys[0], "sha256:") || got.keys[0] != got.keys[1] {
		t.Errorf("keys of one payload: %v", got.keys)
	}
}

func TestPostRejectsABadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://example.org/x", "not a url", "http://"} {
		if err := Post(context.Background(), nil, u, testAlert(), 0); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("%q: %v", u, err)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://hooks.example.org/services/T0/B0/XXXX": "https://hooks.example.org/…",
		"http://user:pw@127.0.0.1:8080":                 "http://127.0.0.1:8080",
		"https://example.org/?token=abc":                "https://example.org/…",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
