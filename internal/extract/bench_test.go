package extract_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/demo"
	"github.com/armstrace/armstrace/internal/extract"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// BenchmarkGazetteer builds a gazetteer from the demo's entities and a
// generated 100,000 events at 2,000 places, then reads the demo's report
// against it: the cost of extraction on a store of a large dataset's
// size. It reports the build's time, the heap it keeps, and the read.
//
//	go test -run XXX -bench Gazetteer -benchtime 3x ./internal/extract
func BenchmarkGazetteer(b *testing.B) {
	s := storetest.OpenSQLite(b)
	storetest.Import(b, s, "demo.jsonl", demo.Data)
	ents, err := s.FindEntities(context.Background(), armstrace.EntityFilter{})
	if err != nil {
		b.Fatal(err)
	}
	const n = 100_000
	events := make([]*armstrace.Event, n)
	for i := range events {
		day := armstrace.Date(fmt.Sprintf("2016-%02d-%02d", 1+i%12, 1+i%28))
		events[i] = &armstrace.Event{ID: fmt.Sprintf("gen:%d", i), Title: "Shelling", Type: "battle", Start: day, End: day,
			Place: armstrace.Place{Name: fmt.Sprintf("Village %d", i%2000), Admin1: fmt.Sprintf("Province %d", i%14), Admin2: fmt.Sprintf("District %d", i%60), Country: "SY"}}
	}
	var gz *extract.Gazetteer
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		gz = extract.NewGazetteer(ents, events, nil, nil)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-kept")
	res := gz.Extract(string(demo.Report), extract.Options{})
	if len(res.Proposals) == 0 {
		b.Fatal("no proposals from the demo's report")
	}
	b.ReportMetric(float64(len(res.Proposals)), "proposals")
}
