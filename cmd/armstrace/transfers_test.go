package main

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"

	"github.com/armstrace/armstrace/internal/ingest/ingesttest"
	"github.com/armstrace/armstrace/internal/store"
)

// TestTransfersMatchSIPRIsOwnTable imports SIPRI's per-delivery-year
// register and, separately, SIPRI's TIV import table, then checks that the
// yearly sums for Syria agree for 2000–2021: an independent check that no
// deal was counted twice or lost.
func TestTransfersMatchSIPRIsOwnTable(t *testing.T) {
	register := ingesttest.Shared(t, "sipri_arms_transfers/sipri_trade_register_v2025-01-03_per-delivery-year_syria_afghanistan-from-russia_russia-orders-2009-2013.csv")
	classic := ingesttest.Shared(t, "sipri_arms_transfers/sipri_trade_register_2024-10-13_syria_afghanistan-from-russia_russia-orders-2009-2013.csv")
	table := ingesttest.Shared(t, "sipri_arms_transfers/sipri_tiv_imports_1950-2024_syria_afghanistan.csv")
	db := filepath.Join(t.TempDir(), "s.db")
	// The classic layout too: its deals have no split by year and must be
	// left out, not added on top.
	runs := importRuns(t, db, "sipri-register", classic, register)
	if runs[0].RowsRead != 520 || runs[1].RowsRead != 566 {
		t.Fatalf("rows read: %d and %d, want 520 and 566", runs[0].RowsRead, runs[1].RowsRead)
	}
	// 272 deals of the per-year layout, each a claim of its own.
	s0, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s0.FindClaims(context.Background(), armstrace.ClaimFilter{Kind: armstrace.ClaimSupplied})
	s0.Close()
	if err != nil {
		t.Fatal(err)
	}
	var perYearDeals int
	for _, c := range all {
		if !strings.HasPrefix(c.ID, "sipri-deal:c-") {
			perYearDeals++
		}
	}
	if perYearDeals != 272 {
		t.Fatalf("%d deals from the per-year layout, want 272", perYearDeals)
	}
	importRuns(t, db, "sipri-tiv", table)

	out := mustRun(t, "--db", db, "--json", "transfers", "--recipient", "Syria", "--by", "year")
	var res struct {
		Years []transferYear `json:"years"`
		Left  []struct {
			Claim string `json:"Claim"`
		} `json:"left_out"`
		Coverage string `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Coverage == "" || len(res.Left) == 0 {
		t.Fatalf("the output must state SIPRI's coverage and what it left out: %s", out[:min(400, len(out))])
	}
	got := map[int]float64{}
	for _, y := range res.Years {
		got[y.Year] = y.TIV
		var sum float64
		for _, d := range y.Deals {
			sum += d.TIV
		}
		if math.Abs(sum-y.TIV) > 1e-6 {
			t.Errorf("%d: the deals listed add up to %v, the figure is %v", y.Year, sum, y.TIV)
		}
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	series, err := s.FindSeriesByID(context.Background(), "sipri-tiv:imports:syria")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]float64{}
	for _, p := range series.Points {
		y, _ := strconv.Atoi(string(p.Period))
		want[y] = p.Value
	}
	worst := 0.0
	for y := 2000; y <= 2021; y++ {
		d := math.Abs(got[y] - want[y])
		worst = max(worst, d)
		if d > 1 {
			t.Errorf("%d: register sums to %.2f, SIPRI's table says %.0f", y, got[y], want[y])
		}
	}
	t.Logf("largest yearly difference 2000–2021: %.2f TIV-m", worst)
}
