package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
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
