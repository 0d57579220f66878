package match

import (
	"strings"

	"github.com/armstrace/armstrace"
)

// Identifiers.
//
// A strong identifier (armstrace.Identifier.Strong: INN, OGRN, OFAC entry
// number, LEI, IMO, UEI, DUNS, CAGE, …) names one legal person or object
// wherever it appears. Matching uses it only when it is well formed and,
// where the scheme has one, its check digit is right: a mistyped INN is
// neither evidence for nor against a match, and the explanation says it
// was set aside.

// NormalizeIdentifier returns the value of an identifier as matching
// compares it (upper case, without spaces, hyphens, dots or slashes; IMO
// numbers without their "IMO" prefix), and whether it is valid for its
// scheme. reason says why not.
func NormalizeIdentifier(id armstrace.Identifier) (value string, ok bool, reason string) {
	v := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '/', '\t':
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, id.Value)
	switch id.Scheme {
	case "ru-inn":
		return v, ValidINN(v), "not a 10- or 12-digit INN with valid check digits"
	case "ru-ogrn":
		return v, ValidOGRN(v), "not a 13-digit OGRN or 15-digit OGRNIP with a valid check digit"
	case "imo", "imo-company":
		v = strings.TrimPrefix(v, "IMO")
		return v, ValidIMO(v), "not a 7-digit IMO number with a valid check digit"
	case "lei":
		return v, ValidLEI(v), "not a 20-character LEI passing the ISO 17442 (ISO 7064 MOD 97-10) check"
	case "us-uei":
		return v, validUEI(v), "not a 12-character UEI (letters and digits, no I or O, not starting with 0)"
	case "us-cage":
		return v, validCAGE(v), "not a 5-character CAGE code"
	case "duns":
		return v, len(v) == 9 && digits(v), "not a 9-digit D-U-N-S number"
	case "ofac-ent", "gw", "ucdp-actor":
		return v, v != "" && digits(v), "not a number"
	case "wikidata":
		return v, len(v) > 1 && v[0] == 'Q' && digits(v[1:]), "not a Wikidata item id (Q and digits)"
	case "iso3166-alpha3":
		return v, len(v) == 3 && letters(v), "not three letters"
	}
	return v, v != "", "empty"
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// innCheck is the INN check digit over d with weights w: the weighted
// sum modulo 11, then modulo 10.
func innCheck(d string, w []int) byte {
	s := 0
	for i, x := range w {
		s += int(d[i]-'0') * x
	}
	return byte(s%11%10) + '0'
}

// ValidINN reports whether s is a Russian taxpayer number (ИНН) with
// valid check digits: ten digits for organisations (one check digit),
// twelve for individuals (two), as the Federal Tax Service defines them.
func ValidINN(s string) bool {
	if !digits(s) {
		return false
	}
	switch len(s) {
	case 10:
		return innCheck(s, []int{2, 4, 10, 3, 5, 9, 4, 6, 8}) == s[9]
	case 12:
		return innCheck(s, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == s[10] &&
			innCheck(s, []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == s[11]
	}
	return false
}

// ValidOGRN reports whether s is a Russian primary state registration
// number with a valid check digit: an OGRN of 13 digits (the first 12
// modulo 11, then modulo 10) or an OGRNIP of 15 (the first 14 modulo 13,
// then modulo 10).
func ValidOGRN(s string) bool {
	if !digits(s) || (len(s) != 13 && len(s) != 15) {
		return false
	}
	mod := 11
	if len(s) == 15 {
		mod = 13
	}
	r := 0
	for i := 0; i < len(s)-1; i++ {
		r = (r*10 + int(s[i]-'0')) % mod
	}
	return byte(r%10)+'0' == s[len(s)-1]
}

// ValidIMO reports whether s is an IMO ship or company number: seven
// digits, the first six weighted 7 to 2, the sum's last digit being the
// seventh.
func ValidIMO(s string) bool {
	if len(s) != 7 || !digits(s) {
		return false
	}
	sum := 0
	for i := 0; i < 6; i++ {
		sum += int(s[i]-'0') * (7 - i)
	}
	return byte(sum%10)+'0' == s[6]
}

// ValidLEI reports whether s is a Legal Entity Identifier: 20 letters and
// digits whose number, letters read as 10 to 35, is 1 modulo 97 (ISO
// 17442, ISO 7064 MOD 97-10).
func ValidLEI(s string) bool {
	if len(s) != 20 {
		return false
	}
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return r == 1
}

// validUEI checks the form of a SAM Unique Entity ID: 12 letters and
// digits, no I or O, not starting with 0. Its check character's algorithm
// is not published, so it is not checked.
func validUEI(s string) bool {
	if len(s) != 12 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') || c == 'I' || c == 'O' {
			return false
		}
	}
	return true
}

// validCAGE checks the form of a CAGE or NCAGE code: five letters and
// digits. There is no check digit.
func validCAGE(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// pid is a prepared identifier.
type pid struct {
	scheme, raw, value string
	strong, valid      bool
	reason             string
}

func prepareIDs(ids []armstrace.Identifier) []pid {
	out := make([]pid, 0, len(ids))
	for _, id := range ids {
		v, ok, why := NormalizeIdentifier(id)
		p := pid{scheme: id.Scheme, raw: id.Value, value: v, strong: id.Strong(), valid: ok}
		if !ok {
			p.reason = why
		}
		out = append(out, p)
	}
	return out
}

// IdentifierEvidence is what one identifier scheme said about a pair.
type IdentifierEvidence struct {
	Scheme    string `json:"scheme"`
	Query     string `json:"query,omitempty"`
	Candidate string `json:"candidate,omitempty"`
	// Outcome is "match" (a value in common), "conflict" (both sides have
	// valid values of the scheme, none in common), "invalid" (a value
	// fails its scheme's check and was set aside) or "weak" (the scheme
	// is not strong and was not used).
	Outcome string `json:"outcome"`
	Detail  string `json:"detail,omitempty"`
}

// compareIDs weighs the identifiers of two subjects, scheme by scheme.
func compareIDs(q, c []pid) (ev []IdentifierEvidence, matches, conflicts int) {
	if len(q) == 0 || len(c) == 0 {
		return nil, 0, 0
	}
	var schemes []string
	for _, x := range q {
		if !containsString(schemes, x.scheme) {
			for _, y := range c {
				if y.scheme == x.scheme {
					schemes = append(schemes, x.scheme)
					break
				}
			}
		}
	}
	for _, s := range schemes {
		var qv, cv []pid
		for _, x := range q {
			if x.scheme == s {
				if x.valid {
					qv = append(qv, x)
				} else {
					ev = append(ev, IdentifierEvidence{Scheme: s, Query: x.raw, Outcome: "invalid", Detail: "query value " + x.reason})
				}
			}
		}
		for _, y := range c {
			if y.scheme == s {
				if y.valid {
					cv = append(cv, y)
				} else {
					ev = append(ev, IdentifierEvidence{Scheme: s, Candidate: y.raw, Outcome: "invalid", Detail: "candidate value " + y.reason})
				}
			}
		}
		if len(qv) == 0 || len(cv) == 0 {
			continue
		}
		strong := qv[0].strong
		found := false
		for _, x := range qv {
			for _, y := range cv {
				if x.value == y.value {
					found = true
					e := IdentifierEvidence{Scheme: s, Query: x.raw, Candidate: y.raw, Outcome: "match"}
					if !strong {
						e.Outcome, e.Detail = "weak", "same value, but the scheme is not strong"
					} else {
						matches++
					}
					ev = append(ev, e)
				}
			}
		}
		if !found && strong {
			conflicts++
			ev = append(ev, IdentifierEvidence{Scheme: s, Query: qv[0].raw, Candidate: cv[0].raw, Outcome: "conflict", Detail: "different values of a strong scheme"})
		}
	}
	return ev, matches, conflicts
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
