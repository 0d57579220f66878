package store_test

// Benchmarks of the store on a synthetic evidence graph of realistic shape:
// one source, 200 entities (three aliases, one of them Cyrillic, and two
// identifiers each), 1,000 events (two actors, a fatalities range, a
// place, an external id and a citation each) and 1,000 supplied claims
// (transfer attributes and a citation each). They run on SQLite, and on
// PostgreSQL when ARMSTRACE_TEST_POSTGRES is set:
//
//	go test -run XXX -bench . -benchtime 3x -benchmem ./internal/store/
//
// Each benchmark reports a throughput (records/s, entries/s or MB/s) next
// to ns/op, where one op is a whole import, export or audit check of the
// graph; set-up is never timed.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

const (
	benchEntities = 200
	benchEvents   = 1000
	benchClaims   = 1000
	// benchSearchEntities is the size of the entity table searched by name.
	benchSearchEntities = 5200
)

// benchDBs lists the databases every benchmark runs on; opening PostgreSQL
// skips the sub-benchmark when ARMSTRACE_TEST_POSTGRES is unset.
var benchDBs = []struct {
	name string
	open func(testing.TB) *store.Store
}{
	{"sqlite", storetest.OpenSQLite},
	{"postgres", storetest.OpenPostgres},
}

// benchEachDB runs fn as a sub-benchmark on a fresh store of each database.
func benchEachDB(b *testing.B, fn func(b *testing.B, s *store.Store)) {
	for _, db := range benchDBs {
		b.Run(db.name, func(b *testing.B) { fn(b, db.open(b)) })
	}
}

func benchCtx() context.Context { return armstrace.WithActor(context.Background(), "bench") }

// benchImport writes recs in one batch and returns its statistics.
func benchImport(b *testing.B, s *store.Store, recs []armstrace.Record) *armstrace.ImportStats {
	b.Helper()
	batch, err := s.BeginBatch(benchCtx())
	if err != nil {
		b.Fatal(err)
	}
	defer batch.Rollback()
	for _, r := range recs {
		if _, err := batch.Put(r); err != nil {
			b.Fatalf("put %s %s: %v", r.RecordType(), r.RecordID(), err)
		}
	}
	if err := batch.Commit(); err != nil {
		b.Fatal(err)
	}
	return batch.Stats()
}

// reportPer reports the throughput of n things per op, as units/s, and
// the time each took, as ns/unit.
func reportPer(b *testing.B, n int, unit, units string) {
	total := float64(n) * float64(b.N)
	el := b.Elapsed()
	b.ReportMetric(total/el.Seconds(), units+"/s")
	b.ReportMetric(float64(el.Nanoseconds())/total, "ns/"+unit)
}

// BenchmarkImportBatch imports the graph under fresh ids in one batch per
// op, into a database that grows by one graph each time. It runs at two
// batch sizes, the graph and a graph four times as large, so that a cost
// per record that grows with the size of the batch shows up in ns/record.
func BenchmarkImportBatch(b *testing.B) {
	for _, db := range benchDBs {
		b.Run(db.name, func(b *testing.B) {
			for _, k := range []int{1, 4} {
				n := 1 + k*(benchEntities+benchEvents+benchClaims)
				b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
					s := db.open(b)
					iter := 0
					for b.Loop() {
						b.StopTimer()
						recs := benchGraph(fmt.Sprintf("i%d", iter), k*benchEntities, k*benchEvents, k*benchClaims)
						iter++
						b.StartTimer()
						st := benchImport(b, s, recs)
						if created, _, _ := st.Total(); created != n {
							b.Fatalf("created %d of %d records", created, n)
						}
					}
					reportPer(b, n, "record", "records")
				})
			}
		})
	}
}

// BenchmarkReimportUnchanged puts the records of an imported graph again,
// in one batch per op; every Put should find its record unchanged.
func BenchmarkReimportUnchanged(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *store.Store) {
		recs := benchGraph("g", benchEntities, benchEvents, benchClaims)
		benchImport(b, s, recs)
		for b.Loop() {
			st := benchImport(b, s, recs)
			if _, _, unchanged := st.Total(); unchanged != len(recs) {
				b.Fatalf("%d of %d records unchanged on re-import: %+v", unchanged, len(recs), st)
			}
		}
		reportPer(b, len(recs), "record", "records")
	})
}

// BenchmarkExport exports the whole graph per op.
func BenchmarkExport(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *store.Store) {
		recs := benchGraph("g", benchEntities, benchEvents, benchClaims)
		benchImport(b, s, recs)
		export := func() (records, bytes int) {
			err := s.Export(benchCtx(), func(typ armstrace.RecordType, doc string) error {
				records++
				bytes += len(typ) + len(doc) + 1
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			return records, bytes
		}
		_, size := export()
		b.SetBytes(int64(size))
		for b.Loop() {
			if n, _ := export(); n != len(recs) {
				b.Fatalf("exported %d of %d records", n, len(recs))
			}
		}
		reportPer(b, len(recs), "record", "records")
	})
}

// BenchmarkVerifyAudit checks the audit chain of the import of the graph,
// one entry per record, per op.
func BenchmarkVerifyAudit(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *store.Store) {
		recs := benchGraph("g", benchEntities, benchEvents, benchClaims)
		benchImport(b, s, recs)
		for b.Loop() {
			rep, err := s.VerifyAudit(benchCtx())
			if err != nil {
				b.Fatal(err)
			}
			if !rep.OK() || rep.Entries != int64(len(recs)) {
				b.Fatalf("audit report: %d entries, break %+v", rep.Entries, rep.Break)
			}
		}
		reportPer(b, len(recs), "entry", "entries")
	})
}

// BenchmarkFindEntitiesByName searches the names and aliases of 5,200
// entities (20,800 names) by substring, as a search box does.
func BenchmarkFindEntitiesByName(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *store.Store) {
		recs := benchGraph("g", benchSearchEntities, 0, 0)
		benchImport(b, s, recs)
		for _, q := range []struct {
			name  string
			like  string
			limit int
		}{
			{"one", strings.ToUpper(recs[1+4221].(*armstrace.Entity).Name), 0}, // one entity
			{"some", "kazanneva", 0},     // 13 entities
			{"page", "ural", 50},         // 507 entities, first page
			{"all", "ural", 0},           // the same, every one
			{"cyrillic", "казаннева", 0}, // the transliterated aliases of "some"
			{"none", "no such name", 0},  // nothing: the whole scan
			{"kind", "tula", 0},          // 26 weapon models, with the kind filter below
		} {
			f := armstrace.EntityFilter{NameLike: q.like, Limit: q.limit}
			if q.name == "kind" {
				f.Kind = armstrace.EntityWeaponModel
			}
			b.Run(q.name, func(b *testing.B) {
				var n int
				for b.Loop() {
					es, err := s.FindEntities(benchCtx(), f)
					if err != nil {
						b.Fatal(err)
					}
					n = len(es)
				}
				if n == 0 && q.name != "none" {
					b.Fatalf("%q found nothing", q.like)
				}
				b.ReportMetric(float64(n), "matches")
			})
		}
	})
}

// Synthetic data.

var (
	benchStems     = []string{"Ural", "Kalash", "Almaz", "Tula", "Izhev", "Novo", "Kazan", "Sever", "Zvezda", "Rubin", "Kurgan", "Omsk", "Volga", "Neva", "Tekh", "Pribor", "Start", "Vektor", "Signal", "Granit"}
	benchCountries = []string{"RU", "SY", "UA", "IR", "BY", "CN", "IN", "DZ", "EG", "VN", "MM", "SD"}
	benchPlaces    = []struct{ country, admin1, name string }{
		{"SY", "Homs", "Talbiseh"}, {"SY", "Idlib", "Maarrat al-Numan"}, {"SY", "Aleppo", "Anadan"},
		{"UA", "Donetsk", "Avdiivka"}, {"UA", "Kharkiv", "Kupiansk"}, {"YE", "Taizz", "Mawza"},
		{"SD", "North Darfur", "El Fasher"}, {"ML", "Mopti", "Moura"}, {"LY", "Tripoli", "Ain Zara"},
	}
	benchCyrillic = map[rune]string{
		'a': "а", 'b': "б", 'c': "к", 'd': "д", 'e': "е", 'f': "ф", 'g': "г", 'h': "х", 'i': "и",
		'j': "ж", 'k': "к", 'l': "л", 'm': "м", 'n': "н", 'o': "о", 'p': "п", 'q': "к", 'r': "р",
		's': "с", 't': "т", 'u': "у", 'v': "в", 'w': "в", 'x': "кс", 'y': "ы", 'z': "з",
	}
)

// benchTranslit spells a Latin name in Cyrillic, letter by letter.
func benchTranslit(s string) string {
	var sb strings.Builder
	for _, r := range s {
		lower := unicode.ToLower(r)
		c, ok := benchCyrillic[lower]
		if !ok {
			sb.WriteRune(r)
			continue
		}
		if lower != r {
			rs := []rune(c)
			rs[0] = unicode.ToUpper(rs[0])
			c = string(rs)
		}
		sb.WriteString(c)
	}
	return sb.String()
}

// benchGraph returns a graph whose ids, identifiers and external ids all
// start with prefix, in dependency order: the source, the entities, the
// events, the claims.
func benchGraph(prefix string, nEntities, nEvents, nClaims int) []armstrace.Record {
	src := &armstrace.Source{
		ID: prefix + ":src:sipri", Kind: armstrace.SourceDataset, Title: "SIPRI Arms Transfers Database",
		Publisher: "Stockholm International Peace Research Institute", URL: "https://www.sipri.org/databases/armstransfers",
		Published: "2025-03-10", Captured: "2025-03-11T09:30:00Z", Version: "2025-03", SHA256: armstrace.Digest(prefix),
		Reliability: "B", License: "CC BY-NC-ND 4.0",
	}
	cite := func(locator, quote string) []armstrace.Citation {
		return []armstrace.Citation{{Source: src.ID, Locator: locator, Quote: quote}}
	}
	recs := []armstrace.Record{src}
	byKind := map[armstrace.EntityKind][]string{}
	for i := 0; i < nEntities; i++ {
		var kind armstrace.EntityKind
		var suffix string
		switch i % 10 {
		case 0:
			kind, suffix = armstrace.EntityState, "Republic"
		case 1:
			kind, suffix = armstrace.EntityWeaponModel, "Rocket System"
		case 2, 3:
			kind, suffix = armstrace.EntityArmedForce, "Motor Rifle Brigade"
		case 4:
			kind, suffix = armstrace.EntityArmedGroup, "Liberation Front"
		case 5, 6:
			kind, suffix = armstrace.EntityCompany, "Arms Plant"
		default:
			kind, suffix = armstrace.EntityCompany, "Machine Works"
		}
		name := fmt.Sprintf("%s%s %s %d", benchStems[i%20], strings.ToLower(benchStems[(i/20)%20]), suffix, i)
		e := &armstrace.Entity{
			ID: fmt.Sprintf("%s:ent:%d", prefix, i), Kind: kind, Name: name,
			Aliases: []armstrace.Name{
				{Value: benchTranslit(name), Lang: "ru", Kind: armstrace.NameTransliteration},
				{Value: "OAO " + name, Kind: armstrace.NameFormer},
				{Value: strings.Replace(name, "a", "aa", 1), Kind: armstrace.NameMisspelling},
			},
			Identifiers: []armstrace.Identifier{
				{Scheme: "ru-inn", Value: fmt.Sprintf("%s-77%08d", prefix, i)},
				{Scheme: "sipri-actor", Value: fmt.Sprintf("%s-%d", prefix, 1000+i)},
			},
			Country:     benchCountries[i%len(benchCountries)],
			Description: "Synthetic entity for benchmarks.",
			Citations:   cite(fmt.Sprintf("actor %d", i), ""),
		}
		byKind[kind] = append(byKind[kind], e.ID)
		recs = append(recs, e)
	}
	forces, groups := byKind[armstrace.EntityArmedForce], byKind[armstrace.EntityArmedGroup]
	day0 := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < nEvents; i++ {
		p := benchPlaces[i%len(benchPlaces)]
		day := armstrace.Date(day0.AddDate(0, 0, i%4000).Format("2006-01-02"))
		low := float64(i % 7)
		recs = append(recs, &armstrace.Event{
			ID: fmt.Sprintf("%s:evt:%d", prefix, i), Title: "Shelling of " + p.name, Type: "state-based", Subtype: "shelling",
			Start: day, End: day, Precision: armstrace.PrecisionDay,
			Place: armstrace.Place{Name: p.name, Country: p.country, Admin1: p.admin1,
				Lat: armstrace.Num(30 + float64(i%500)/100), Lon: armstrace.Num(35 + float64(i%300)/100), Precision: armstrace.GeoNear},
			Actors: []armstrace.EventActor{
				{Entity: forces[i%len(forces)], Role: armstrace.RolePerpetrator},
				{Entity: groups[i%len(groups)], Role: armstrace.RoleTarget},
			},
			Fatalities:  armstrace.Range{Low: armstrace.Num(low), Best: armstrace.Num(low + 2), High: armstrace.Num(low + 9), Unit: "people"},
			Grade:       armstrace.GradeFair,
			ExternalIDs: []string{fmt.Sprintf("ucdp-ged:%s-%d", prefix, 400000+i)},
			Description: "Artillery fire on residential areas, as reported by local monitors.",
			Citations:   cite(fmt.Sprintf("row %d", i), ""),
		})
	}
	suppliers := append(append([]string{}, byKind[armstrace.EntityCompany]...), byKind[armstrace.EntityState]...)
	recipients := append(append([]string{}, byKind[armstrace.EntityState]...), forces...)
	weapons := byKind[armstrace.EntityWeaponModel]
	for i := 0; i < nClaims; i++ {
		subj, obj := suppliers[i%len(suppliers)], recipients[(i/len(suppliers)+i)%len(recipients)]
		if subj == obj {
			obj = recipients[(i+1)%len(recipients)]
		}
		ordered := float64(10 + i%90)
		year := 2000 + i%20
		status := armstrace.StatusAlleged
		if i%3 == 0 {
			status = armstrace.StatusVerified
		}
		recs = append(recs, &armstrace.Claim{
			ID: fmt.Sprintf("%s:clm:%d", prefix, i), Kind: armstrace.ClaimSupplied, Subject: subj, Object: obj,
			ValidFrom: armstrace.Date(fmt.Sprint(year)), Status: status, Confidence: 0.5 + float64(i%5)/10,
			Attrs: armstrace.ClaimAttrs{Transfer: &armstrace.Transfer{
				Weapon: weapons[i%len(weapons)], Designation: fmt.Sprintf("9K%d", 30+i%60), Description: "multiple rocket launcher",
				NumberOrdered:   &armstrace.Range{Best: armstrace.Num(ordered)},
				NumberDelivered: &armstrace.Range{Low: armstrace.Num(ordered / 2), Best: armstrace.Num(ordered * 3 / 4), High: armstrace.Num(ordered), Approximate: true},
				OrderYear:       year, DeliveryYears: []int{year + 1, year + 2}, Condition: "new",
				TIVPerUnit: &armstrace.Range{Best: armstrace.Num(2.5)},
				TIVTotal:   &armstrace.Range{Best: armstrace.Num(2.5 * ordered)},
				Comments:   "Deal number and delivery dates uncertain.",
			}},
			Citations: cite(fmt.Sprintf("deal %d", i), "delivered in two tranches"),
		})
	}
	return recs
}

// BenchmarkFindEventsText searches 100,000 events by the words of their
// text, as the search page does: a word in a few events, a word in a
// ninth of them (a first page), and a word in none (the whole scan).
func BenchmarkFindEventsText(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *store.Store) {
		const n = 100_000
		benchImport(b, s, benchGraph("t", 20, n, 0)) // the events need forces and groups among the entities
		for _, q := range []struct{ name, text string }{
			{"page", "talbiseh"},
			{"none", "no such place"},
		} {
			b.Run(q.name, func(b *testing.B) {
				var found int
				for b.Loop() {
					evs, err := s.FindEvents(benchCtx(), armstrace.EventFilter{Text: q.text, Limit: 20})
					if err != nil {
						b.Fatal(err)
					}
					found = len(evs)
				}
				b.ReportMetric(float64(found), "matches")
				b.ReportMetric(n, "events")
			})
		}
	})
}
