package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/importer"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

func importBody(n int, bad int) string {
	var b strings.Builder
	b.WriteString(`{"type":"source","id":"src:upload","kind":"document","title":"Uploaded field report"}` + "\n")
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("Upload Company %d", i)
		if i == bad {
			name = "" // a company needs a name
		}
		fmt.Fprintf(&b, `{"type":"entity","id":"ent:upload-%d","kind":"company","name":%q,"citations":[{"source":"src:upload"}]}`+"\n", i, name)
	}
	return b.String()
}

func TestImportThroughTheAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv := demoServer(t, s)
		url := srv.URL + "/api/v1/imports?format=jsonl"
		if code, _ := callAs(t, srv.tokens[armstrace.UserViewer], "POST", url, importBody(3, 0)); code != http.StatusForbidden {
			t.Errorf("a viewer imports: %d", code)
		}
		code, body := callAs(t, srv.tokens[armstrace.UserAnalyst], "POST", url, importBody(3, 0))
		if code != http.StatusCreated || body["created"].(float64) != 4 {
			t.Fatalf("import: %d %v", code, body)
		}
		// Again: nothing new.
		code, body = callAs(t, srv.tokens[armstrace.UserAnalyst], "POST", url, importBody(3, 0))
		if code != http.StatusCreated || body["created"].(float64) != 0 || body["unchanged"].(float64) != 4 {
			t.Errorf("the same import again: %d %v", code, body)
		}
		// A bad line: 400 naming it and the field, and nothing written.
		code, body = callAs(t, srv.tokens[armstrace.UserAnalyst], "POST", url, importBody(6, 5))
		if msg := errMessage(body); code != http.StatusBadRequest || !strings.Contains(msg, "upload:6") || !strings.Contains(msg, "name") {
			t.Errorf("a bad line: %d %q", code, msg)
		}
		if _, err := s.FindEntityByID(context.Background(), "ent:upload-4"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			t.Errorf("a row before the bad line was written: %v", err)
		}
		// A dataset file: its run once committed; a bad row refused whole.
		ged, err := os.ReadFile("../ingest/ucdp/testdata/ged_syria_652.1601.1911_excerpt.csv")
		if err != nil {
			t.Fatal(err)
		}
		gedURL := srv.URL + "/api/v1/imports?format=ucdp-ged&name=ged_excerpt.csv"
		bad := strings.Replace(string(ged), ",34.8024", ",north", 1)
		code, body = callAs(t, srv.tokens[armstrace.UserAnalyst], "POST", gedURL, bad)
		if rows, _ := body["error"].(map[string]any)["rows"].([]any); code != http.StatusBadRequest || len(rows) != 1 || !strings.Contains(rows[0].(string), "ged_excerpt.csv:2: field latitude") {
			t.Errorf("a bad GED row: %d %v", code, body)
		}
		if evs, _ := s.FindEvents(context.Background(), armstrace.EventFilter{Text: "Teir Maaleh"}); len(evs) != 0 {
			t.Errorf("a refused GED file wrote %d events", len(evs))
		}
		recs, err := csv.NewReader(bytes.NewReader(ged)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		code, body = callAs(t, srv.tokens[armstrace.UserAnalyst], "POST", gedURL, string(ged))
		if run, _ := body["run"].(map[string]any); code != http.StatusCreated || body["created"].(float64) == 0 || run == nil || run["rows_read"].(float64) != float64(len(recs)-1) {
			t.Errorf("a GED file: %d %v", code, body)
		}
		if code, _ := callAs(t, srv.tokens[armstrace.UserAnalyst], "POST", srv.URL+"/api/v1/imports?format=pdf", ""); code != http.StatusBadRequest {
			t.Errorf("an unknown format: %d", code)
		}
		log, err := s.AuditLog(context.Background(), "entity", "ent:upload-1")
		if err != nil || len(log) != 1 || log[0].Actor != "user:analyst" {
			t.Errorf("the audit entry of an imported record: %+v %v", log, err)
		}
	})
}

func TestReviewThroughTheAPI(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	url := srv.URL + "/api/v1/claims/clm:roe-syria-supply/review"
	body := `{"status": "contested", "reason": "the delivery years disagree"}`
	if code, _ := callAs(t, srv.tokens[armstrace.UserAnalyst], "POST", url, body); code != http.StatusForbidden {
		t.Errorf("an analyst reviews: %d", code)
	}
	code, c := callAs(t, srv.tokens[armstrace.UserReviewer], "POST", url, body)
	reviews, _ := c["reviews"].([]any)
	if code != 200 || c["status"] != "contested" || len(reviews) != 1 || reviews[0].(map[string]any)["reviewer"] != "user:reviewer" {
		t.Errorf("review: %d %v", code, c)
	}
	if code, _ := callAs(t, srv.tokens[armstrace.UserReviewer], "POST", url, body); code != http.StatusConflict {
		t.Errorf("the same decision again: %d", code)
	}
	if code, _ := callAs(t, srv.tokens[armstrace.UserReviewer], "POST", srv.URL+"/api/v1/claims/clm:none/review", body); code != http.StatusNotFound {
		t.Errorf("no such claim: %d", code)
	}
}

// TestOpenAPIImportFormats keeps the formats the API document lists for
// imports the same as those the importer takes.
func TestOpenAPIImportFormats(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	_, doc := call(t, "GET", srv.URL+"/api/v1/openapi.json", "")
	post := doc["paths"].(map[string]any)["/api/v1/imports"].(map[string]any)["post"].(map[string]any)
	var listed []string
	for _, p := range post["parameters"].([]any) {
		if p := p.(map[string]any); p["name"] == "format" {
			for _, f := range p["schema"].(map[string]any)["enum"].([]any) {
				listed = append(listed, f.(string))
			}
		}
	}
	want := []string{"jsonl"}
	for _, f := range importer.Formats {
		want = append(want, f.Name)
	}
	if !slices.Equal(listed, want) {
		t.Errorf("the document lists %v, the importer takes %v", listed, want)
	}
}

// TestImportCannotOverwriteWhatItsWriterCannotSee imports, as an
// analyst, records over a confidential source, a hidden claim and a
// protected place read back blurred, and a source opened up: each is
// refused and the record left as it was; a new source goes in.
func TestImportCannotOverwriteWhatItsWriterCannotSee(t *testing.T) {
	s := storetest.OpenSQLite(t)
	srv := demoServer(t, s)
	ctx := armstrace.WithActor(context.Background(), "test")
	for _, r := range []armstrace.Record{
		&armstrace.Source{ID: "src:informant", Kind: armstrace.SourceDocument, Title: "Informant's account", Access: armstrace.AccessConfidential},
		&armstrace.Source{ID: "src:field", Kind: armstrace.SourceDocument, Title: "Field report", Access: armstrace.AccessRestricted},
		&armstrace.Claim{ID: "clm:informant", Kind: armstrace.ClaimSupplied, Subject: "ent:rosoboronexport", Object: "ent:syria", Status: armstrace.StatusAlleged, Confidence: 0.5,
			Citations: []armstrace.Citation{{Source: "src:informant"}}},
		&armstrace.Event{ID: "evt:shelter", Title: "Strike near a shelter", Type: "violence against civilians", Start: "2012-02-06", End: "2012-02-06",
			Precision: armstrace.PrecisionDay, Citations: []armstrace.Citation{{Source: "src:hrf-2012-04-12"}},
			Place: armstrace.Place{Name: "Al-Amal shelter", Admin2: "Homs district", Country: "SY", Lat: armstrace.Num(34.7213), Lon: armstrace.Num(36.6862), Precision: armstrace.GeoExact, Protected: true}},
	} {
		if _, err := s.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	analyst := srv.tokens[armstrace.UserAnalyst]
	url := srv.URL + "/api/v1/imports?format=jsonl"
	_, blurred := callAs(t, analyst, "GET", srv.URL+"/api/v1/events/evt:shelter", "")
	back, _ := json.Marshal(blurred)
	for name, line := range map[string]string{
		"a confidential source":   `{"type":"source","id":"src:informant","kind":"document","title":"mine","access":"public"}`,
		"a source opened up":      `{"type":"source","id":"src:field","kind":"document","title":"Field report","access":"public"}`,
		"a hidden claim":          `{"type":"claim","id":"clm:informant","kind":"supplied","subject":"ent:rosoboronexport","object":"ent:syria","status":"retracted","confidence":0.1,"citations":[{"source":"src:hrf-2012-04-12"}]}`,
		"a protected place, back": `{"type":"event",` + strings.TrimPrefix(string(back), "{"),
	} {
		if code, body := callAs(t, analyst, "POST", url, line+"\n"); code != http.StatusForbidden {
			t.Errorf("%s: %d %v", name, code, body)
		}
	}
	if src, _ := s.FindSourceByID(ctx, "src:informant"); src.Title != "Informant's account" || src.Access != armstrace.AccessConfidential {
		t.Errorf("the confidential source: %+v", src)
	}
	if src, _ := s.FindSourceByID(ctx, "src:field"); src.Access != armstrace.AccessRestricted {
		t.Errorf("the restricted source: %+v", src)
	}
	if c, _ := s.FindClaimByID(ctx, "clm:informant"); c.Status != armstrace.StatusAlleged {
		t.Errorf("the hidden claim: %+v", c)
	}
	if e, _ := s.FindEventByID(ctx, "evt:shelter"); e.Place.Name != "Al-Amal shelter" || *e.Place.Lat != 34.7213 {
		t.Errorf("the protected place: %+v", e.Place)
	}
	if code, body := callAs(t, analyst, "POST", url, `{"type":"source","id":"src:new-report","kind":"document","title":"A new report","access":"restricted"}`+"\n"); code != http.StatusCreated {
		t.Errorf("a new source: %d %v", code, body)
	}
	// A reviewer may change what it may read.
	if code, body := callAs(t, srv.tokens[armstrace.UserReviewer], "POST", url, `{"type":"source","id":"src:field","kind":"document","title":"Field report","access":"public"}`+"\n"); code != http.StatusCreated {
		t.Errorf("a reviewer opening a source up: %d %v", code, body)
	}
}
