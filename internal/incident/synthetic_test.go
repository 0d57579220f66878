package incident

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/armstrace/armstrace"
)

// Synthetic generates n reports from two datasets, GED-like and
// ACLED-like, of incidents spread over days and over 300 towns of a
// country the size of Syria in districts about 50 km across: 40% of incidents reported by both (a day
// apart one time in five, a few km apart), the rest by one; a few
// aggregates, reports dated to the week and reports placed only in a
// province, as in the real data.
func Synthetic(n, days int, seed uint64) []*armstrace.Event {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	type town struct {
		lat, lon float64
		admin2   string
	}
	towns := make([]town, 300)
	for i := range towns {
		lat, lon := 32.5+rng.Float64()*4.5, 35.8+rng.Float64()*6.2
		// Districts about 50 km across.
		towns[i] = town{lat, lon, fmt.Sprintf("District %d-%d", int(lat*2), int(lon*2))}
	}
	gedTypes := []string{"state-based conflict", "non-state conflict", "one-sided violence"}
	acledTypes := []string{"Battles", "Battles", "Violence against civilians"}
	rebels := []string{"fsa", "isis", "hts", "sdf"}
	base := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]*armstrace.Event, 0, n)
	for inc := 0; len(out) < n; inc++ {
		tw := towns[rng.IntN(len(towns))]
		day := rng.IntN(days)
		kind := rng.IntN(3)
		deaths := float64(1 + rng.IntN(12))
		rebel := rebels[rng.IntN(len(rebels))]
		lat, lon := tw.lat+(rng.Float64()-0.5)*0.1, tw.lon+(rng.Float64()-0.5)*0.1
		var sources []string
		switch p := rng.Float64(); {
		case p < 0.4:
			sources = []string{"ucdp-ged", "acled"}
		case p < 0.65:
			sources = []string{"ucdp-ged"}
		default:
			sources = []string{"acled"}
		}
		for _, ds := range sources {
			if len(out) == n {
				break
			}
			d := day
			if ds == "acled" && rng.IntN(5) == 0 {
				d++
			}
			date := armstrace.Date(base.AddDate(0, 0, d).Format("2006-01-02"))
			e := &armstrace.Event{
				Start: date, End: date, Precision: armstrace.PrecisionDay,
				Place: armstrace.Place{Country: "SY", Admin1: "Province", Admin2: tw.admin2,
					Lat: armstrace.Num(lat + (rng.Float64()-0.5)*0.04), Lon: armstrace.Num(lon + (rng.Float64()-0.5)*0.04), Precision: armstrace.GeoExact},
				Fatalities: armstrace.Range{Best: armstrace.Num(deaths + float64(rng.IntN(3))), Unit: "people"},
			}
			if ds == "ucdp-ged" {
				e.ID = fmt.Sprintf("ucdp-ged:%d", inc)
				e.Type = gedTypes[kind]
				e.Fatalities.Low, e.Fatalities.High = armstrace.Num(*e.Fatalities.Best), armstrace.Num(*e.Fatalities.Best+2)
				e.Actors = []armstrace.EventActor{{Entity: "ent:syria", Role: armstrace.RoleParty}, {Entity: "ucdp-actor:" + rebel, Role: armstrace.RoleParty}}
				if kind == 1 {
					e.Actors[0].Entity = "ucdp-actor:ypg"
				}
			} else {
				e.ID = fmt.Sprintf("acled:SYR%d", inc)
				e.Type = acledTypes[kind]
				e.Actors = []armstrace.EventActor{{Entity: "ent:syria", Role: armstrace.RoleParty}, {Entity: "acled-actor:" + rebel, Role: armstrace.RoleParty}}
				if kind == 1 {
					e.Actors[0].Entity = "acled-actor:ypg"
				}
			}
			e.Title, e.ExternalIDs = e.ID, []string{e.ID}
			switch r := rng.IntN(100); {
			case r < 1:
				e.Aggregate, e.Precision = true, armstrace.PrecisionMonth
				e.End = armstrace.Date(base.AddDate(0, 0, d+29).Format("2006-01-02"))
			case r < 4:
				e.Precision = armstrace.PrecisionWeek
				e.End = armstrace.Date(base.AddDate(0, 0, d+6).Format("2006-01-02"))
			case r < 10:
				e.Place.Precision = armstrace.GeoAdmin1
			case r < 14:
				e.Place.Precision = armstrace.GeoNear
			}
			out = append(out, e)
		}
	}
	return out
}
