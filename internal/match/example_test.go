package match_test

import (
	"fmt"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/match"
)

func ExampleCompareEntity() {
	ofac := &armstrace.Entity{
		ID: "ofac:18782", Kind: armstrace.EntityCompany, Name: "ROSOBORONEKSPORT OAO",
		Aliases:     []armstrace.Name{{Value: "ROSOBORONEXPORT JSC"}, {Value: "ROSOBORONEXPORT"}},
		Identifiers: []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}},
	}
	for _, q := range []match.Subject{
		{Name: "Рособоронэкспорт"},
		{Name: "FSUE Rosoboronexport"},
		{Name: "Rosobornexport"},
		{Name: "Unknown Arms Trader", Identifiers: []armstrace.Identifier{{Scheme: "ru-inn", Value: "7718852163"}}},
		{Name: "Rosoboronservis"},
	} {
		r := match.CompareEntity(q, ofac, match.Options{})
		fmt.Println(r.Explanation.Summary)
	}
	// Output:
	// 0.98 sure: "Рособоронэкспорт" ~ alias "ROSOBORONEXPORT": рособоронэкспорт ~ rosoboronexport (transliteration popular: rosoboronexport)
	// 0.98 sure: "FSUE Rosoboronexport" ~ alias "ROSOBORONEXPORT": fsue (query only); rosoboronexport = rosoboronexport
	// 0.92 review: "Rosobornexport" ~ alias "ROSOBORONEXPORT": rosobornexport ~ rosoboronexport (fuzzy, 1 edit)
	// 0.95 sure: "Unknown Arms Trader" ~ name "ROSOBORONEKSPORT OAO": unknown (query only); arms (query only); trader (query only); rosoboroneksport (candidate only); oao (candidate only); ru-inn 7718852163 matches
	// 0.00 no-match: "Rosoboronservis" ~ name "ROSOBORONEKSPORT OAO": rosoboronservis (query only); rosoboroneksport (candidate only); oao (candidate only)
}

func ExampleKeys() {
	fmt.Println(match.Keys("ОАО «Рособоронэкспорт»", ""))
	// Output:
	// [legal:jsc rosoboroneksport ~rosoboroneksport rosoboronexport рособоронэкспорт]
}
