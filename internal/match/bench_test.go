package match

import (
	"testing"

	"github.com/armstrace/armstrace"
)

// benchPairs are typical screening pairs: Latin typos and legal forms,
// Cyrillic against Latin, Arabic against Latin, a person.
var benchPairs = [][2]string{
	{"Rosobornexport", "ROSOBORONEKSPORT OAO"},
	{"FSUE Rosoboronexport", "OJSC ROSOBORONEXPORT"},
	{"Рособоронэкспорт", "ROSOBORONEXPORT JSC"},
	{"محمد علي", "Mohamed Ali"},
	{"Vladimir Putin", "ПУТИН Владимир Владимирович"},
	{"11420 CORP", "BELLETECH CORP"},
	{"Rosneft Oil Company", "RUSSIAN DEFENSE EXPORT ROSOBORONEXPORT"},
	{"Kalashnikov Concern", "Концерн Калашников"},
}

// BenchmarkCompare measures one scored pair from raw names: normalising,
// tokenising and transliterating both sides, aligning, explaining.
func BenchmarkCompare(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := benchPairs[i%len(benchPairs)]
		Compare(Subject{Name: p[0]}, Subject{Name: p[1]}, Options{})
	}
}

// BenchmarkComparePrepared measures one scored pair when both sides are
// prepared already, as an index holds its candidates.
func BenchmarkComparePrepared(b *testing.B) {
	var qs, cs []*Prepared
	for _, p := range benchPairs {
		qs = append(qs, Prepare(Subject{Name: p[0]}))
		cs = append(cs, Prepare(Subject{Name: p[1]}))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ComparePrepared(qs[i%len(qs)], cs[i%len(cs)], Options{})
	}
}

// BenchmarkCompareEntity measures a query against the six names of the
// OFAC Rosoboronexport record, prepared.
func BenchmarkCompareEntity(b *testing.B) {
	c := PrepareEntity(rosoboronexport())
	q := Prepare(Subject{Name: "Rosobornexport", Identifiers: []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}}})
	b.ReportAllocs()
	for b.Loop() {
		ComparePrepared(q, c, Options{})
	}
}

func BenchmarkNormalize(b *testing.B) {
	names := []string{"ROSOBORONEKSPORT OAO", "Федеральное государственное унитарное предприятие «Рособоронэкспорт»", "محمد علي", "Müller GmbH & Co. KG"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Normalize(names[i%len(names)])
	}
}

func BenchmarkPrepare(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Prepare(Subject{Name: benchPairs[i%len(benchPairs)][1]})
	}
}

// BenchmarkScorePrepared is BenchmarkComparePrepared without the
// explanation.
func BenchmarkScorePrepared(b *testing.B) {
	var qs, cs []*Prepared
	for _, p := range benchPairs {
		qs = append(qs, Prepare(Subject{Name: p[0]}))
		cs = append(cs, Prepare(Subject{Name: p[1]}))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ScorePrepared(qs[i%len(qs)], cs[i%len(cs)], Options{})
	}
}

// BenchmarkCompareByPair breaks BenchmarkCompare down by pair.
func BenchmarkCompareByPair(b *testing.B) {
	for _, p := range benchPairs {
		b.Run(p[0]+"~"+p[1], func(b *testing.B) {
			for b.Loop() {
				Compare(Subject{Name: p[0]}, Subject{Name: p[1]}, Options{})
			}
		})
	}
}
