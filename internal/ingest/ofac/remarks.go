package ofac

import (
	"regexp"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
)

// remarks is what the remarks of an entry say in a form armstrace keeps
// apart: identifiers, the legal basis, a listing date, linked entries.
type remarks struct {
	ids    []armstrace.Identifier
	legal  []string
	listed armstrace.Date
	links  []string
}

var (
	// "Tax ID No. 7718852163 (Russia)", "Registration ID 1117746521452",
	// "Registration Number 1027700132195 (Russia)": a value and, in newer
	// lists, the issuing country in brackets.
	taxRe = regexp.MustCompile(`^Tax ID No\.?\s+(.+?)(?:\s*\(([^()]+)\))?$`)
	regRe = regexp.MustCompile(`^Registration (?:ID|Number)\s+(.+?)(?:\s*\(([^()]+)\))?$`)
	leiRe = regexp.MustCompile(`^Legal Entity Number\s+([A-Z0-9]{20})(?:\s*\(([^()]+)\))?$`)
	// "D-U-N-S Number 56-519-6564".
	dunsRe = regexp.MustCompile(`^D-U-N-S Number\s+([0-9][0-9-]{7,12}[0-9])$`)
	webRe  = regexp.MustCompile(`^Website\s+(\S+)$`)
	// "Vessel Registration Identification IMO 9187629"; "Company Number
	// IMO 5186387" is the IMO number of a ship's owner or manager.
	imoRe        = regexp.MustCompile(`^(?:Vessel Registration Identification\s+)?IMO\s+(\d{7})$`)
	imoCompanyRe = regexp.MustCompile(`^Company Number IMO\s+(\d{7})$`)
	listingRe    = regexp.MustCompile(`^Listing Date(?: \([^)]*\))?:?\s+(\d{1,2} [A-Z][a-z]{2} \d{4})$`)
	digitsRe     = regexp.MustCompile(`^\d+$`)
)

// parseRemarks reads the "; "-separated statements of an entry's remarks.
// home is the entry's country (ISO code) for identifiers that name none:
// the 2019 list writes "Tax ID No. 7718852163" where later lists add
// "(Russia)". resolve turns a country name into its ISO code, or "".
func parseRemarks(s, home string, resolve func(string) string) remarks {
	var r remarks
	seenLegal := map[string]bool{}
	for _, seg := range strings.Split(s, ";") {
		seg = strings.TrimSpace(seg)
		if l, ok := strings.CutPrefix(seg, "Linked To:"); ok {
			if l = strings.TrimSpace(l); l != "" {
				r.links = append(r.links, l)
			}
			continue
		}
		seg = strings.TrimSpace(strings.TrimPrefix(seg, "alt."))
		// The last statement ends the remarks with a full stop.
		val := strings.TrimSpace(strings.TrimSuffix(seg, "."))
		if val == "" {
			continue
		}
		country := func(paren string) string {
			if paren != "" {
				return resolve(paren)
			}
			return home
		}
		add := func(scheme, value string) {
			r.ids = append(r.ids, armstrace.Identifier{Scheme: scheme, Value: value})
		}
		switch {
		case strings.HasPrefix(val, "Executive Order "):
			if !seenLegal[val] {
				seenLegal[val] = true
				r.legal = append(r.legal, val)
			}
		case taxRe.MatchString(val):
			m := taxRe.FindStringSubmatch(val)
			v := strings.TrimSpace(m[1])
			if country(m[2]) == "RU" && digitsRe.MatchString(v) && (len(v) == 10 || len(v) == 12) {
				add("ru-inn", v)
			} else {
				add("tax-id", v)
			}
		case regRe.MatchString(val):
			m := regRe.FindStringSubmatch(val)
			v := strings.TrimSpace(m[1])
			if country(m[2]) == "RU" && digitsRe.MatchString(v) && (len(v) == 13 || len(v) == 15) {
				add("ru-ogrn", v)
			} else {
				add("registration-id", v)
			}
		case leiRe.MatchString(val):
			add("lei", leiRe.FindStringSubmatch(val)[1])
		case dunsRe.MatchString(val):
			if d := strings.ReplaceAll(dunsRe.FindStringSubmatch(val)[1], "-", ""); len(d) == 9 {
				add("duns", d)
			}
		case webRe.MatchString(val):
			if w := website(webRe.FindStringSubmatch(val)[1]); w != "" {
				add("website", w)
			}
		case imoRe.MatchString(val):
			add("imo", imoRe.FindStringSubmatch(val)[1])
		case imoCompanyRe.MatchString(val):
			add("imo-company", imoCompanyRe.FindStringSubmatch(val)[1])
		case listingRe.MatchString(val):
			t, err := time.Parse("2 Jan 2006", listingRe.FindStringSubmatch(val)[1])
			if err == nil {
				d := armstrace.Date(t.Format("2006-01-02"))
				if r.listed == "" || d < r.listed {
					r.listed = d
				}
			}
		}
	}
	return r
}

// website tidies a web address into the form identifiers keep: lower
// case, without scheme or final slash ("http://www.RSHB.ru/" → "www.rshb.ru").
func website(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"https://", "http://"} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimRight(s, "/.")
}
