package match

import (
	"slices"
	"testing"

	"github.com/armstrace/armstrace"
)

func TestNormalize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"ROSOBORONEKSPORT OAO", "rosoboroneksport oao"},
		{"Ｒｏｓｏｂｏｒｏｎｅｘｐｏｒｔ", "rosoboronexport"},            // full-width (NFKC)
		{"АО «Рособоронэкспорт»", "ао рособоронэкспорт"},  // guillemets
		{"„Rosoboronexport“ S.A.", "rosoboronexport s a"}, // German quotes, dotted initials
		{"O'Brien & Sons", "obrien sons"},                 // apostrophe joins, & separates
		{"Qur’an", "quran"},                               // typographic apostrophe
		{"‘ABD AL-RAHMAN BIN ‘UMAYR AL-NU’AYMI", "abd al rahman bin umayr al nuaymi"},
		{"Jean-Marie  Lugerero", "jean marie lugerero"}, // hyphen, double space
		{"V.V. Putin", "v v putin"},                     // initials
		{"A/S Maersk", "a s maersk"},                    // slash
		{"Müller Straße", "muller strasse"},             // diacritics, ß
		{"Ærø Łódź Đorđe", "aero lodz dorde"},           // letters that do not decompose
		{"Αλέξανδρος", "αλεξανδροσ"},                    // tonos dropped, final sigma
		{"Ёлкин Йошкар", "ёлкин йошкар"},                // ё and й kept
		{"مُحَمَّد", "محمد"},                            // harakat dropped
		{"محـــمد", "محمد"},                             // tatweel dropped
		{"Завод №9", "завод no9"},                       // № is No by NFKC
		{"٢٠١٩", "2019"},                                // Arabic-Indic digits
		{"POCOБOPOHЭKCПOPT", "рособоронэкспорт"},        // Latin look-alikes in a Cyrillic word
		{"Rоsoboronexport", "rosoboronexport"},          // one Cyrillic о in a Latin word
		{"", ""},
		{" -- ", ""},
	}
	for _, c := range cases {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	type tk struct {
		text   string
		class  Class
		symbol string
	}
	cases := []struct {
		in   string
		kind armstrace.EntityKind
		want []tk
	}{
		{"Federal State Unitary Enterprise Rosoboronexport", "", []tk{{"federal state unitary enterprise", ClassLegalForm, symFSUE}, {"rosoboronexport", ClassName, ""}}},
		{"ФГУП «Рособоронэкспорт»", "", []tk{{"фгуп", ClassLegalForm, symFSUE}, {"рособоронэкспорт", ClassName, ""}}},
		{"Федеральное государственное унитарное предприятие Рособоронэкспорт", "", []tk{{"федеральное государственное унитарное предприятие", ClassLegalForm, symFSUE}, {"рособоронэкспорт", ClassName, ""}}},
		{"OTKRYTOE AKTSIONERNOE OBSHCHESTVO RT-STANKOINSTRUMENT", "", []tk{{"otkrytoe aktsionernoe obshchestvo", ClassLegalForm, symJSC}, {"rt", ClassName, ""}, {"stankoinstrument", ClassName, ""}}},
		{"Общество с ограниченной ответственностью Ромашка", "", []tk{{"общество с ограниченной ответственностью", ClassLegalForm, symLLC}, {"ромашка", ClassName, ""}}},
		{"Госкорпорация Ростех", "", []tk{{"госкорпорация", ClassLegalForm, symStateCorp}, {"ростех", ClassName, ""}}},
		{"STATE CORPORATION ROSTEC", "", []tk{{"state corporation", ClassLegalForm, symStateCorp}, {"rostec", ClassName, ""}}},
		{"11420 CORP.", "", []tk{{"11420", ClassNumber, ""}, {"corp", ClassLegalForm, symCORP}}},
		{"ROSNEFT TRADING S.A.", "", []tk{{"rosneft", ClassName, ""}, {"trading", ClassName, ""}, {"s a", ClassLegalForm, symSA}}},
		{"NPO Mashinostroyeniya", "", []tk{{"npo", ClassCompanyWord, symNPO}, {"mashinostroyeniya", ClassName, ""}}},
		{"Концерн Калашников", "", []tk{{"концерн", ClassCompanyWord, symConcern}, {"калашников", ClassName, ""}}},
		{"شركة الاتصالات", "", []tk{{"شركة", ClassCompanyWord, symCompany}, {"الاتصالات", ClassName, ""}}},
		{"Abu Bakr al-Baghdadi", armstrace.EntityPerson, []tk{{"abu", ClassParticle, ""}, {"bakr", ClassName, ""}, {"al", ClassParticle, ""}, {"baghdadi", ClassName, ""}}},
		// For persons the legal-form table is not used.
		{"Ao Sa", armstrace.EntityPerson, []tk{{"ao", ClassName, ""}, {"sa", ClassName, ""}}},
		{"V.V. Putin", armstrace.EntityPerson, []tk{{"v", ClassInitial, ""}, {"v", ClassInitial, ""}, {"putin", ClassName, ""}}},
		{"Bank of Moscow", "", []tk{{"bank", ClassName, ""}, {"of", ClassStopword, symStop}, {"moscow", ClassName, ""}}},
	}
	for _, c := range cases {
		got := Tokenize(c.in, c.kind)
		var g []tk
		for _, x := range got {
			g = append(g, tk{x.Text, x.Class, x.Symbol})
		}
		if !slices.Equal(g, c.want) {
			t.Errorf("Tokenize(%q) = %v, want %v", c.in, g, c.want)
		}
	}
}

func TestKeys(t *testing.T) {
	k := Keys("ОАО «Рособоронэкспорт»", "")
	for _, want := range []string{"legal:jsc", "rosoboroneksport", "rosoboronexport", "~rosoboroneksport", "рособоронэкспорт"} {
		if !slices.Contains(k, want) {
			t.Errorf("keys %v lack %q", k, want)
		}
	}
	// The keys of two spellings of one name meet.
	a, b := Keys("ROSOBORONEXPORT JSC", ""), Keys("Rosoboroneksport OAO", "")
	if !slices.Contains(a, "~rosoboroneksport") || !slices.Contains(b, "~rosoboroneksport") {
		t.Errorf("variant keys: %v / %v", a, b)
	}
	if k := Keys("11420 CORP", ""); !slices.Equal(k, []string{"#11420", "legal:corp"}) {
		t.Errorf("keys %v", k)
	}
}

func TestVariantKey(t *testing.T) {
	cases := [][2]string{
		{"rosoboronexport", "rosoboroneksport"},
		{"rosoboroneksport", "rosoboroneksport"},
		{"dmitrii", "dmitri"},
		{"dmitriy", "dmitri"},
		{"dmitry", "dmitri"},
		{"hassan", "hasan"},
		{"khrushchev", "hrushev"},
		{"chruschtschow", "chrushchov"},
		{"tsoi", "coi"},
	}
	for _, c := range cases {
		if got := string(variantKey([]rune(c[0]))); got != c[1] {
			t.Errorf("variantKey(%s) = %s, want %s", c[0], got, c[1])
		}
	}
}
