package extract

import "strings"

// countryTable lists the countries extraction knows without a store:
// code | names | demonyms (adjective and plural). It is a gazetteer of
// the states that arms-transfer and conflict reporting names most, not
// a full list; the store's states add to it.
const countryTable = `
AF|Afghanistan|Afghan,Afghans
DZ|Algeria|Algerian,Algerians
AM|Armenia|Armenian,Armenians
AZ|Azerbaijan|Azerbaijani,Azerbaijanis
BH|Bahrain|Bahraini,Bahrainis
BY|Belarus|Belarusian,Belarusians
BG|Bulgaria|Bulgarian,Bulgarians
BF|Burkina Faso|Burkinabe
BI|Burundi|Burundian,Burundians
MM|Myanmar,Burma|Burmese
CF|Central African Republic|Central African,Central Africans
TD|Chad|Chadian,Chadians
CN|China,People's Republic of China|Chinese
CO|Colombia|Colombian,Colombians
CD|Democratic Republic of the Congo,DR Congo,DRC|Congolese
CZ|Czech Republic,Czechia|Czech,Czechs
EG|Egypt|Egyptian,Egyptians
ER|Eritrea|Eritrean,Eritreans
ET|Ethiopia|Ethiopian,Ethiopians
FR|France|French
GE|Georgia|Georgian,Georgians
DE|Germany|German,Germans
IN|India|Indian,Indians
IR|Iran|Iranian,Iranians
IQ|Iraq|Iraqi,Iraqis
IL|Israel|Israeli,Israelis
IT|Italy|Italian,Italians
JO|Jordan|Jordanian,Jordanians
KZ|Kazakhstan|Kazakh,Kazakhs
KP|North Korea|North Korean,North Koreans
KR|South Korea|South Korean,South Koreans
LB|Lebanon|Lebanese
LY|Libya|Libyan,Libyans
ML|Mali|Malian,Malians
NE|Niger|Nigerien,Nigeriens
NG|Nigeria|Nigerian,Nigerians
PK|Pakistan|Pakistani,Pakistanis
PS|Palestine,Gaza,West Bank|Palestinian,Palestinians
QA|Qatar|Qatari,Qataris
RU|Russia,Russian Federation|Russian,Russians
RW|Rwanda|Rwandan,Rwandans
SA|Saudi Arabia|Saudi,Saudis
RS|Serbia|Serbian,Serbians
SO|Somalia|Somali,Somalis
SS|South Sudan|South Sudanese
ES|Spain|Spanish
SD|Sudan|Sudanese
SE|Sweden|Swedish
SY|Syria,Syrian Arab Republic|Syrian,Syrians
TR|Turkey,Türkiye|Turkish
UG|Uganda|Ugandan,Ugandans
UA|Ukraine|Ukrainian,Ukrainians
AE|United Arab Emirates,UAE|Emirati,Emiratis
GB|United Kingdom,UK,Britain,Great Britain|British
US|United States,United States of America,U.S.,USA,America|American,Americans
VE|Venezuela|Venezuelan,Venezuelans
YE|Yemen|Yemeni,Yemenis
`

type country struct {
	code     string
	name     string
	names    []string
	demonyms []string
}

func builtinCountries() []country {
	var out []country
	for _, line := range strings.Split(strings.TrimSpace(countryTable), "\n") {
		f := strings.Split(line, "|")
		names := strings.Split(f[1], ",")
		out = append(out, country{code: f[0], name: names[0], names: names, demonyms: strings.Split(f[2], ",")})
	}
	return out
}
