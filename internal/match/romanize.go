package match

import "strings"

// Romanize returns a name's reading in Latin letters, word by word, by
// the first spelling of each script's rules (BGN/PCGN for Cyrillic,
// ELOT 743 for Greek, …): "Рособоронэкспорт" reads "rosoboroneksport".
// Latin words are normalised; words of scripts without rules (Han) are
// kept as written. It returns "" for a name that is all Latin already, so
// that callers show readings only where they add something.
func Romanize(name string) string {
	words := splitWords(name)
	out := make([]string, len(words))
	changed := false
	for i, w := range words {
		out[i] = w
		if rs := rulesFor(scriptOf(w)); rs != nil {
			out[i] = rs.primary([]rune(w))
			changed = true
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(out, " ")
}
