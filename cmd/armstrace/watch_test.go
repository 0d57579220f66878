package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestWatch lists what changed about an entity: everything since a date
// on the demo, then only the new sanction after the head the first run
// printed, posted to a webhook; claims about others are not listed.
func TestWatch(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "armstrace-demo.db")
	if r := run(t, dir, "demo", "--no-serve"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	var first watchReport
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "--json", "watch", "ent:rosoboronexport", "--since", "2000-01-01")), &first); err != nil {
		t.Fatal(err)
	}
	var sanction bool
	for _, c := range first.Changes {
		if c.Entity != "ent:rosoboronexport" {
			t.Errorf("a change about another entity: %+v", c)
		}
		sanction = sanction || c.ID == "clm:ofac-sanctions-roe"
	}
	if len(first.Changes) < 7 || !sanction || first.Head == 0 {
		t.Fatalf("since 2000: %d changes, the sanction %v, head %d", len(first.Changes), sanction, first.Head)
	}
	// Since the very second of the first change, given as a time in
	// another zone: that change is still listed.
	at, err := time.Parse(time.RFC3339Nano, first.Changes[0].Time)
	if err != nil {
		t.Fatal(err)
	}
	zoned := at.Truncate(time.Second).In(time.FixedZone("", 2*3600)).Format(time.RFC3339)
	var fromSecond watchReport
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "--json", "watch", "ent:rosoboronexport", "--since", zoned)), &fromSecond); err != nil {
		t.Fatal(err)
	}
	if len(fromSecond.Changes) == 0 || fromSecond.Changes[0].Seq != first.Changes[0].Seq {
		t.Errorf("since %s: %+v, want from entry %d", zoned, fromSecond.Changes, first.Changes[0].Seq)
	}
	mustRun(t, "--db", db, "import", writeFile(t, "new.jsonl", `{"type":"source","id":"src:eu-list","kind":"dataset","title":"EU consolidated list"}
{"type":"entity","id":"ent:eu","kind":"agency","name":"European Union","citations":[{"source":"src:eu-list"}]}
{"type":"claim","id":"clm:eu-sanctions-roe","kind":"sanctioned","subject":"ent:eu","object":"ent:rosoboronexport","status":"verified","confidence":0.95,"citations":[{"source":"src:eu-list"}]}
{"type":"claim","id":"clm:eu-sanctions-rostec","kind":"sanctioned","subject":"ent:eu","object":"ent:rostec","status":"verified","confidence":0.95,"citations":[{"source":"src:eu-list"}]}
`))
	var mu sync.Mutex
	var posted []byte
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posted = b
		mu.Unlock()
	}))
	defer hook.Close()
	out := mustRun(t, "--db", db, "watch", "ent:rosoboronexport", "--after", seqArg(first.Head), "--webhook", hook.URL)
	if !strings.HasPrefix(out, "1 change(s) about ent:rosoboronexport") || !strings.Contains(out, "clm:eu-sanctions-roe created: European Union sanctioned Rosoboronexport (verified") {
		t.Errorf("after the head:\n%s", out)
	}
	mu.Lock()
	var got watchReport
	err = json.Unmarshal(posted, &got)
	mu.Unlock()
	if err != nil || len(got.Changes) != 1 || got.Changes[0].ID != "clm:eu-sanctions-roe" {
		t.Errorf("the webhook received %s (%v)", posted, err)
	}
	for _, bad := range [][]string{{"watch", "ent:rosoboronexport"}, {"watch", "--since", "2020-01-01"}, {"watch", "ent:rosoboronexport", "--since", "yesterday"}, {"watch", "ent:nobody", "--after", "1"}} {
		if r := run(t, "", append([]string{"--db", db}, bad...)...); r.code == 0 {
			t.Errorf("%v: exit 0", bad)
		}
	}
}

func seqArg(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
