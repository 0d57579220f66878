// Command genged writes a synthetic file in the layout of the UCDP GED
// CSV, with as many rows as asked, for the import benchmarks: the values
// vary like real ones (dates, places, dyads, fatality ranges, aggregates)
// but describe nothing that happened.
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

var header = []string{"id", "year", "active_year", "type_of_violence", "conflict_new_id", "conflict_name", "dyad_new_id", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id", "gwnob", "side_b", "number_of_sources", "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "low", "best", "high"}

type dyad struct {
	id, conflict, aID, bID int
	conflictName, a, b     string
	violence               int
}

var dyads = []dyad{
	{11973, 299, 118, 4456, "Syria: Government", "Government of Syria", "Syrian insurgents", 1},
	{12094, 299, 118, 234, "Syria: Government", "Government of Syria", "IS", 1},
	{13821, 13604, 57, 234, "Syria: Government", "Government of Russia (Soviet Union)", "IS", 1},
	{15171, 0, 118, 1, "", "Government of Syria", "Civilians", 3},
	{15172, 0, 234, 1, "", "IS", "Civilians", 3},
}

var places = []struct {
	name, adm1, adm2 string
	lat, lon         float64
}{
	{"Homs city", "Homs Governorate", "Homs district", 34.7324, 36.7137},
	{"Aleppo city", "Aleppo Governorate", "Jebel Saman district", 36.2021, 37.1343},
	{"Idlib city", "Idlib Governorate", "Idlib district", 35.9306, 36.6339},
	{"Deir ez-Zor city", "Deir ez-Zor Governorate", "Deir ez-Zor district", 35.3359, 40.1408},
	{"Ar Raqqa city", "Ar Raqqa Governorate", "Ar Raqqa district", 35.9528, 39.0079},
}

func main() {
	n := flag.Int("n", 1000000, "rows to write")
	out := flag.String("o", "-", "output file")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	f := os.Stdout
	if *out != "-" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write(header)
	r := rand.New(rand.NewPCG(*seed, 2))
	start := time.Date(2011, 3, 15, 0, 0, 0, 0, time.UTC)
	for i := 0; i < *n; i++ {
		d := dyads[r.IntN(len(dyads))]
		p := places[r.IntN(len(places))]
		day := start.AddDate(0, 0, r.IntN(3000))
		end, clarity, prec := day, 1, 1
		switch x := r.IntN(100); {
		case x < 4: // an aggregate over a month
			end, clarity, prec = day.AddDate(0, 1, -1), 2, 4
		case x < 8: // an incident dated within a few days
			end, prec = day.AddDate(0, 0, 3), 2
		}
		da, db, dc := r.IntN(5), r.IntN(5), 0
		if d.violence == 3 {
			da, db, dc = 0, 0, r.IntN(12)
		}
		best := da + db + dc
		low, high := best-r.IntN(best+1)/3, best+r.IntN(best+1)
		lat, lon := p.lat+r.Float64()*0.1-0.05, p.lon+r.Float64()*0.1-0.05
		id := strconv.Itoa(1000000 + i)
		w.Write([]string{
			id, strconv.Itoa(day.Year()), "1", strconv.Itoa(d.violence), strconv.Itoa(d.conflict), d.conflictName,
			strconv.Itoa(d.id), d.a + " - " + d.b, strconv.Itoa(d.aID), d.a, strconv.Itoa(d.bID), "", d.b, "1",
			`"Synthetic Wire,` + day.Format("2006-01-02") + `,Synthetic report ` + id + `"`, "Synthetic Wire", day.Format("2006-01-02"), "Synthetic report " + id, "Synthetic Wire",
			strconv.Itoa(1 + r.IntN(4)), p.name, p.adm1, p.adm2, strconv.FormatFloat(lat, 'f', 6, 64), strconv.FormatFloat(lon, 'f', 6, 64),
			fmt.Sprintf("POINT (%.6f %.6f)", lon, lat), "179714", "Syria", "652", "Middle East",
			strconv.Itoa(clarity), strconv.Itoa(prec), day.Format("2006-01-02"), end.Format("2006-01-02"),
			strconv.Itoa(da), strconv.Itoa(db), strconv.Itoa(dc), "0", strconv.Itoa(low), strconv.Itoa(best), strconv.Itoa(high),
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
