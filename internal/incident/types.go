package incident

// typePairs is the compatibility table of event types (lower case): a
// pair may be two reports of one incident. Equal types always may; a type
// that appears nowhere here is compatible only with itself.
//
// GED files an incident under its type of violence: "state-based
// conflict" (a government is a side), "non-state conflict" (two organised
// armed groups), "one-sided violence" (an organised group against
// civilians). ACLED files it under what happened: "Battles", "Violence
// against civilians", "Explosions/Remote violence" (shelling, air strikes,
// bombs, whoever the target). Protests, riots and strategic developments
// have no GED counterpart.
var typePairs = [][2]string{
	// ACLED ~ GED
	{"battles", "state-based conflict"},
	{"battles", "non-state conflict"},
	{"violence against civilians", "one-sided violence"},
	{"explosions/remote violence", "state-based conflict"},
	{"explosions/remote violence", "non-state conflict"},
	{"explosions/remote violence", "one-sided violence"},
	// native words ~ GED and ACLED
	{"massacre", "one-sided violence"},
	{"massacre", "violence against civilians"},
	{"shelling", "explosions/remote violence"},
	{"shelling", "state-based conflict"},
	{"shelling", "non-state conflict"},
	{"shelling", "one-sided violence"},
	{"airstrike", "explosions/remote violence"},
	{"airstrike", "state-based conflict"},
	{"airstrike", "non-state conflict"},
	{"airstrike", "one-sided violence"},
	{"airstrike", "shelling"},
	{"battle", "battles"},
	{"battle", "state-based conflict"},
	{"battle", "non-state conflict"},
	{"ceasefire violation", "battles"},
	{"ceasefire violation", "explosions/remote violence"},
	{"ceasefire violation", "state-based conflict"},
	{"ceasefire violation", "non-state conflict"},
	{"ceasefire violation", "shelling"},
	{"ceasefire violation", "airstrike"},
	{"ceasefire violation", "battle"},
}

// typeSynonyms are spellings of a native word in the table.
var typeSynonyms = map[string]string{
	"air strike": "airstrike", "air raid": "airstrike", "clash": "battle", "armed clash": "battle",
}

var compatibleTypes = func() map[[2]string]bool {
	m := map[[2]string]bool{}
	for _, p := range typePairs {
		m[p] = true
		m[[2]string{p[1], p[0]}] = true
	}
	return m
}()

// typesCompatible reports whether two lower-cased types may describe one
// incident: "same", "table" or "" with false.
func typesCompatible(a, b string) (string, bool) {
	if a == b {
		return "same", true
	}
	if s, ok := typeSynonyms[a]; ok {
		a = s
	}
	if s, ok := typeSynonyms[b]; ok {
		b = s
	}
	if a == b {
		return "same", true
	}
	if compatibleTypes[[2]string{a, b}] {
		return "table", true
	}
	return "", false
}
