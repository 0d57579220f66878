package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/alert"
	"github.com/armstrace/armstrace/internal/store"
)

// watchJSONL is a ceasefire from 2016-02-27 and the daily events of its
// country from 2016-02-10 to 2016-03-31: every day one death in an event
// of the covered government and one in an event of no named party; in the
// last week (from 2016-03-25) also six a day in events of the excluded
// group. All deaths rise from 14 a week to 56; the covered party's stay
// at 7.
func watchJSONL() string {
	var b strings.Builder
	b.WriteString(`{"type":"source","id":"src:monitor","kind":"document","title":"Daily monitoring report","publisher":"A monitor","published":"2016-04-01"}
{"type":"entity","id":"ent:gov","kind":"armed_force","name":"Government forces","citations":[{"source":"src:monitor"}]}
{"type":"entity","id":"ent:isg","kind":"armed_group","name":"Excluded group","citations":[{"source":"src:monitor"}]}
{"type":"ceasefire","id":"cf:watch-2016","name":"Cessation of hostilities","start":"2016-02-27","country":"SY","covered":["ent:gov"],"excluded":["ent:isg"],"citations":[{"source":"src:monitor"}]}
`)
	ev := func(id, day string, deaths int, actor string) {
		actors := "[]"
		if actor != "" {
			actors = fmt.Sprintf(`[{"entity":%q,"role":"perpetrator"}]`, actor)
		}
		fmt.Fprintf(&b, `{"type":"event","id":%q,"title":"Shelling","event_type":"battle","start":%q,"end":%q,"precision":"day","place":{"name":"Aleppo","country":"SY","precision":"admin1"},"actors":%s,"fatalities":{"best":%d,"unit":"people"},"citations":[{"source":"src:monitor","locator":%q}]}`+"\n",
			id, day, day, actors, deaths, "entry "+day)
	}
	t, _ := time.Parse("2006-01-02", "2016-02-10")
	for ; !t.After(time.Date(2016, 3, 31, 0, 0, 0, 0, time.UTC)); t = t.AddDate(0, 0, 1) {
		day := t.Format("2006-01-02")
		ev("evt:gov-"+day, day, 1, "ent:gov")
		ev("evt:other-"+day, day, 1, "")
		if day >= "2016-03-25" {
			ev("evt:isg-"+day, day, 6, "ent:isg")
		}
	}
	return b.String()
}

// hookServer is a loopback webhook that keeps what it is sent.
type hookServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	keys   []string
	status int
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{status: http.StatusOK}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("content type %q", r.Header.Get("Content-Type"))
		}
		h.bodies = append(h.bodies, body)
		h.keys = append(h.keys, r.Header.Get(alert.HeaderID))
		w.WriteHeader(h.status)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) received() ([][]byte, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][]byte(nil), h.bodies...), append([]string(nil), h.keys...)
}

// watch runs ceasefire watch in-process, as the ceasefire command will.
func watch(t *testing.T, ctx context.Context, db string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &App{Stdout: &out, Stderr: &errb}
	ctx = armstrace.WithActor(ctx, "cli:watch-test")
	err = a.ceasefireWatch(ctx, append([]string{"--db", db}, args...))
	return out.String(), errb.String(), err
}

func TestCeasefireWatchPostsOnceAndRecords(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		in := writeFile(t, "watch.jsonl", watchJSONL())
		mustRun(t, "--db", db, "import", "--format", "jsonl", in)
		hook := newHookServer(t)

		out, stderr, err := watch(t, context.Background(), db, "cf:watch-2016", "--once", "--webhook", hook.URL+"/alerts")
		if err != nil {
			t.Fatalf("watch: %v\n%s%s", err, out, stderr)
		}
		bodies, keys := hook.received()
		if len(bodies) != 1 {
			t.Fatalf("the webhook received %d posts, want 1\n%s", len(bodies), out)
		}
		var got armstrace.Alert
		dec := json.NewDecoder(bytes.NewReader(bodies[0]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("the post is not an alert: %v\n%s", err, bodies[0])
		}
		want := armstrace.AlertID("cf:watch-2016", "2016-03-31", "all")
		if got.ID != want || keys[0] != want || got.Ceasefire != "cf:watch-2016" || got.CeasefireName != "Cessation of hostilities" ||
			got.Day != "2016-03-31" || got.WeekFrom != "2016-03-25" || got.Group != "all" || got.Week != 56 || got.Baseline != 14 ||
			got.Ratio == nil || *got.Ratio != 4 || got.Increase != 42 || got.Rule != "surge" || got.At == "" ||
			got.Counted != "events of evt in SY recorded in the evidence graph" {
			t.Errorf("alert posted: %s", bodies[0])
		}
		if !strings.Contains(out, "ALERT (surge)") || !strings.Contains(out, "covered parties' events: no alert") {
			t.Errorf("output:\n%s", out)
		}

		// A second run posts nothing: the day is recorded.
		out, stderr, err = watch(t, context.Background(), db, "cf:watch-2016", "--once", "--webhook", hook.URL+"/alerts", "--json")
		if err != nil {
			t.Fatalf("second watch: %v\n%s", err, stderr)
		}
		if bodies, _ := hook.received(); len(bodies) != 1 {
			t.Errorf("the second run posted again: %d posts", len(bodies))
		}
		var res []watchOutcome
		if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != 1 || res[0].New || res[0].Alert.ID != want || res[0].Alert.At != got.At {
			t.Errorf("second run --json: %v\n%s", err, out)
		}
		if !strings.Contains(stderr, "already recorded") {
			t.Errorf("second run does not say the alert was recorded: %s", stderr)
		}

		// An earlier day, asked for, whose week did not rise: no alert.
		out, _, err = watch(t, context.Background(), db, "cf:watch-2016", "--once", "--day", "2016-03-24", "--webhook", hook.URL)
		if err != nil || strings.Contains(out, "ALERT") {
			t.Errorf("2016-03-24: %v\n%s", err, out)
		}
		// A day before the start, or before the data cover a baseline, is refused.
		if _, _, err := watch(t, context.Background(), db, "cf:watch-2016", "--once", "--day", "2016-02-26"); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("a day before the start: %v", err)
		}
		if _, _, err := watch(t, context.Background(), db, "cf:watch-2016", "--once", "--day", "2016-03-10"); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("a day without a whole baseline: %v", err)
		}

		if out := mustRun(t, "--db", db, "audit", "verify"); !strings.Contains(out, "audit log OK") || !strings.Contains(out, "records OK") {
			t.Errorf("audit verify after the watch:\n%s", out)
		}
		if r := run(t, "", "--db", db, "audit", "log", "alert", want); r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("audit log of the alert: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		// An alert changed by hand is caught.
		s, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.DB().ExecContext(context.Background(), s.Rebind(`UPDATE alerts SET doc = REPLACE(doc, '"week":56', '"week":5') WHERE id = ?`), want)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if r := run(t, "", "--db", db, "audit", "verify"); r.code != 1 || !strings.Contains(r.stdout, "records BROKEN") || !strings.Contains(r.stdout, want) {
			t.Errorf("an alert changed by hand: exit %d\n%s", r.code, r.stdout)
		}
	})
}

func TestCeasefireWatchDoesNotRecordAnAlertNotTaken(t *testing.T) {
	db := t.TempDir() + "/w.db"
	mustRun(t, "--db", db, "import", "--format", "jsonl", writeFile(t, "watch.jsonl", watchJSONL()))
	hook := newHookServer(t)
	hook.status = http.StatusBadRequest
	_, _, err := watch(t, context.Background(), db, "cf:watch-2016", "--once", "--webhook", hook.URL, "--retries", "0")
	if err == nil {
		t.Fatal("a refused alert was not an error")
	}
	// Taken the next time: posted again, and now recorded.
	hook.mu.Lock()
	hook.status = http.StatusOK
	hook.mu.Unlock()
	if _, stderr, err := watch(t, context.Background(), db, "cf:watch-2016", "--once", "--webhook", hook.URL); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	bodies, keys := hook.received()
	if len(bodies) != 2 || keys[0] != keys[1] {
		t.Errorf("posts %d, keys %v: want the same alert twice", len(bodies), keys)
	}
	out, _, _ := watch(t, context.Background(), db, "cf:watch-2016", "--once", "--webhook", hook.URL)
	if b, _ := hook.received(); len(b) != 2 || !strings.Contains(out, "already recorded") {
		t.Errorf("after it was taken: %d posts\n%s", len(b), out)
	}
}

func TestCeasefireWatchLoopStopsWhenInterrupted(t *testing.T) {
	db := t.TempDir() + "/w.db"
	mustRun(t, "--db", db, "import", "--format", "jsonl", writeFile(t, "watch.jsonl", watchJSONL()))
	hook := newHookServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// Interrupted once the first round has printed its outcome: the post
	// reaches the webhook before the alert is recorded and printed.
	var stdout, stderr syncBuffer
	go func() {
		a := &App{Stdout: &stdout, Stderr: &stderr}
		done <- a.ceasefireWatch(armstrace.WithActor(ctx, "cli:watch-test"), []string{"--db", db, "cf:watch-2016", "--every", "1s", "--webhook", hook.URL, "--json"})
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stdout.String(), "\n") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the watch did not stop when interrupted")
	}
	if b, _ := hook.received(); len(b) != 1 {
		t.Fatalf("%d posts, want 1", len(b))
	}
	var o watchOutcome
	out := stdout.String()
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &o); err != nil || !o.New || o.Posted != 1 || o.Alert.Day != "2016-03-31" {
		t.Errorf("--json line: %v\n%s", err, out)
	}
}

func TestCeasefireWatchUsage(t *testing.T) {
	db := t.TempDir() + "/w.db"
	for _, args := range [][]string{
		{},
		{"cf:x", "--webhook", "ftp://example.org/x"},
		{"cf:x", "--day", "March"},
		{"cf:x", "--every", "0s"},
		{"cf:x", "--retries", "-1"},
		{"cf:x", "--series", "vdc:x", "--dataset", "acled"},
	} {
		if _, _, err := watch(t, context.Background(), db, args...); err != errUsage {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
