package match

// This file holds the word tables of name matching: legal forms, company
// words, stop words and name particles. Every phrase is written as a
// person would type it; the tables are normalised once, with the same
// Normalize that names go through, when the package starts, so that
// "Joint-Stock Company", "S.A." and "ООО" are looked up exactly as names
// will spell them.
//
// Sources: the abbreviations and their expansions are common knowledge of
// company registers and sanctions lists, written down from these:
//   - Russian Civil Code, part one, chapter 4 (organisational forms of legal
//     entities: АО/ПАО/НАО, ООО, ГУП/ФГУП/МУП, госкорпорация), and the forms
//     older registers still carry (ОАО, ЗАО), in Cyrillic, in the English
//     renderings OFAC uses (OJSC, CJSC, PJSC, JSC, FSUE, LLC) and in the
//     romanised Russian OFAC also uses ("OTKRYTOE AKTSIONERNOE OBSHCHESTVO",
//     "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU", see the OFAC SDN and
//     consolidated lists under ../shared/data/matching/ofac);
//   - Ukrainian forms (ПАТ, ПрАТ, АТ, ТОВ) from the Civil Code of Ukraine;
//   - the usual English, German, French, Spanish, Italian, Dutch, Nordic and
//     Turkish company suffixes (Ltd, PLC, LLP, Inc, Corp, GmbH, AG, SA, SARL,
//     SpA, SRL, BV, NV, AB, AS, A.Ş.);
//   - the Arabic forms of Gulf company registers: شركة (company), مؤسسة
//     (establishment), ذ.م.م (limited liability), ش.م.ع / ش.م.ب (public and
//     private joint-stock company).
//
// Nothing here is copied from another program; the lists are short on
// purpose. A word belongs here only when it says what kind of body a name
// belongs to rather than which one: such words weigh little, match as a
// class, and can never make two different names equal.

// Symbol classes of legal forms. Forms that differ only in how a register
// spells them (OAO, OJSC, ПАО, AO, JSC) share one class, because a company
// keeps its name when it is re-registered from one to the other.
const (
	symJSC       = "legal:jsc"       // joint-stock company, open, closed, public or not
	symLLC       = "legal:llc"       // limited liability company
	symLTD       = "legal:ltd"       // private company limited by shares
	symPLC       = "legal:plc"       // public limited company
	symLLP       = "legal:llp"       // limited (liability) partnership
	symINC       = "legal:inc"       // incorporated
	symCORP      = "legal:corp"      // corporation
	symGMBH      = "legal:gmbh"      // Gesellschaft mit beschränkter Haftung
	symAG        = "legal:ag"        // Aktiengesellschaft
	symSA        = "legal:sa"        // société anonyme, sociedad anónima, SpA
	symSARL      = "legal:sarl"      // SARL, SRL, Ltda
	symBV        = "legal:bv"        // besloten vennootschap
	symNV        = "legal:nv"        // naamloze vennootschap
	symFSUE      = "legal:fsue"      // federal state unitary enterprise (ФГУП)
	symSUE       = "legal:sue"       // state or municipal unitary enterprise (ГУП, МУП)
	symStateCorp = "legal:statecorp" // Russian state corporation (госкорпорация)

	symCompany     = "word:company"
	symConcern     = "word:concern"
	symNPO         = "word:npo"         // scientific production association (НПО)
	symNPP         = "word:npp"         // scientific production enterprise (НПП)
	symNPK         = "word:npk"         // scientific production corporation (НПК)
	symBureau      = "word:bureau"      // design bureau (КБ, ОКБ)
	symPlant       = "word:plant"       // plant, factory, works (завод)
	symGroup       = "word:group"       // group, holding
	symEnterprise  = "word:enterprise"  // enterprise (предприятие), establishment (مؤسسة)
	symAssociation = "word:association" // association, union (объединение)

	symStop = "stop" // of, the, and, number signs
)

// legalForms maps each symbol to the ways registers and lists write it.
var legalForms = map[string][]string{
	symJSC: {
		"JSC", "OJSC", "CJSC", "PJSC", "OAO", "ZAO", "PAO", "AO", "NAO",
		"ОАО", "ЗАО", "ПАО", "АО", "НАО",
		"Joint Stock Company", "Joint-Stock Company", "Open Joint Stock Company",
		"Closed Joint Stock Company", "Public Joint Stock Company",
		"Non-Public Joint Stock Company",
		"Акционерное общество", "Открытое акционерное общество",
		"Закрытое акционерное общество", "Публичное акционерное общество",
		"Непубличное акционерное общество",
		"Aktsionernoe Obshchestvo", "Otkrytoe Aktsionernoe Obshchestvo",
		"Zakrytoe Aktsionernoe Obshchestvo", "Publichnoe Aktsionernoe Obshchestvo",
		"Aktsionernoye Obshchestvo", "Otkrytoye Aktsionernoye Obshchestvo",
		"Zakrytoye Aktsionernoye Obshchestvo",
		// Ukrainian: ПАТ (public), ПрАТ (private), АТ.
		"ПАТ", "ПрАТ", "АТ", "PrAT", "PAT",
		// Gulf registers: ش.م.ع (public), ش.م.خ (private), ش.م.ب.
		"ش م ع", "ش م خ", "ش م ب", "شركة مساهمة",
		// Turkish A.Ş. folds to "a s".
		"A S",
	},
	symLLC: {
		"LLC", "L L C", "OOO", "ООО", "TOV", "ТОВ", "Limited Liability Company",
		"Общество с ограниченной ответственностью",
		"Obshchestvo s Ogranichennoi Otvetstvennostyu",
		"Obshchestvo s Ogranichennoy Otvetstvennostyu",
		"Obschestvo s Ogranichennoi Otvetstvennostyu",
		"Товариство з обмеженою відповідальністю",
		"ذ م م", "Sp z o o",
	},
	symLTD:       {"Ltd", "Limited", "Pte Ltd", "Pvt Ltd", "Private Limited", "Co Ltd", "Company Limited"},
	symPLC:       {"PLC", "Public Limited Company"},
	symLLP:       {"LLP", "LP", "Limited Liability Partnership", "Limited Partnership"},
	symINC:       {"Inc", "Incorporated"},
	symCORP:      {"Corp", "Corporation", "Корпорация", "Korporatsiya", "Korporatsia"},
	symGMBH:      {"GmbH", "G m b H", "Gesellschaft mit beschränkter Haftung"},
	symAG:        {"AG", "Aktiengesellschaft"},
	symSA:        {"SA", "S A", "SpA", "S p A", "SAS", "Société Anonyme", "Sociedad Anónima", "Società per Azioni"},
	symSARL:      {"SARL", "S a r l", "SRL", "S r l", "Ltda"},
	symBV:        {"BV", "B V"},
	symNV:        {"NV", "N V"},
	symFSUE:      {"FSUE", "FGUP", "ФГУП", "Federal State Unitary Enterprise", "Федеральное государственное унитарное предприятие", "Federalnoe Gosudarstvennoe Unitarnoe Predpriyatie"},
	symSUE:       {"SUE", "GUP", "ГУП", "MUP", "МУП", "State Unitary Enterprise", "Municipal Unitary Enterprise", "Государственное унитарное предприятие", "Муниципальное унитарное предприятие"},
	symStateCorp: {"State Corporation", "Госкорпорация", "Государственная корпорация", "Goskorporatsiya", "Gosudarstvennaya Korporatsiya"},
}

// companyWords maps each symbol to words that say "a body of this kind"
// without naming which. Words that tell sister companies apart (Trading,
// Finance, International, Industries) are not among them: "Rosneft
// Trading S.A." and "Rosneft Finance S.A." are two companies.
var companyWords = map[string][]string{
	symCompany:     {"Company", "Co", "Компания", "Kompaniya", "Kompania", "Firm", "Firma", "Фирма", "شركة", "Société", "Compañía", "Gesellschaft"},
	symConcern:     {"Concern", "Концерн", "Kontsern", "Konzern", "Koncern"},
	symNPO:         {"NPO", "НПО", "Научно-производственное объединение", "Nauchno-Proizvodstvennoe Obedinenie", "Nauchno-Proizvodstvennoye Obyedineniye", "Scientific Production Association", "Research and Production Association", "Scientific and Production Association"},
	symNPP:         {"NPP", "НПП", "Научно-производственное предприятие", "Nauchno-Proizvodstvennoe Predpriyatie", "Scientific Production Enterprise", "Research and Production Enterprise"},
	symNPK:         {"NPK", "НПК", "Научно-производственная корпорация", "Scientific Production Corporation", "Research and Production Corporation"},
	symBureau:      {"KB", "КБ", "OKB", "ОКБ", "Design Bureau", "Конструкторское бюро", "Konstruktorskoe Byuro", "Opytno-Konstruktorskoe Byuro"},
	symPlant:       {"Plant", "Factory", "Works", "Zavod", "Завод", "Fabrika", "Фабрика", "Kombinat", "Комбинат"},
	symGroup:       {"Group", "Holding", "Holdings", "Группа", "Gruppa", "Холдинг", "Kholding", "Group of Companies", "Группа компаний"},
	symEnterprise:  {"Enterprise", "Enterprises", "Предприятие", "Predpriyatie", "Predpriyatiye", "Establishment", "مؤسسة"},
	symAssociation: {"Association", "Объединение", "Obedinenie", "Obyedineniye", "Union"},
}

// stopWords join the words of a name and say nothing about it.
var stopWords = []string{"of", "the", "and", "for", "in", "on", "at", "no", "nr", "и", "в", "по", "имени", "imeni"}

// particles are the small words of personal and place names (al, bin, de,
// van): they tell something, much less than the words they join.
var particles = []string{
	"al", "el", "bin", "ibn", "bint", "abu", "abd", "ul", "ud",
	"de", "da", "di", "do", "dos", "das", "del", "della", "la", "le", "les", "du", "des",
	"van", "von", "der", "den", "ter", "ten",
}
