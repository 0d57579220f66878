package ingest

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/armstrace/armstrace"
)

//go:embed states.csv
var statesCSV string

// State is a row of the curated states table.
type State struct {
	ID      string
	Name    string
	ISO2    string
	ISO3    string
	GW      int // Gleditsch-Ward code; 0 when it has none
	Aliases []string
}

// Entity returns the state as an entity, with its codes as identifiers,
// for writing with Merge: it adds the codes and names to an existing
// record of the state and changes nothing else.
func (s *State) Entity() *armstrace.Entity {
	e := &armstrace.Entity{ID: s.ID, Kind: armstrace.EntityState, Name: s.Name, Country: s.ISO2}
	for _, a := range s.Aliases {
		e.Aliases = append(e.Aliases, armstrace.Name{Value: a, Kind: armstrace.NameAlias})
	}
	if s.ISO3 != "" {
		e.Identifiers = append(e.Identifiers, armstrace.Identifier{Scheme: "iso3166-alpha3", Value: s.ISO3})
	}
	if s.GW != 0 {
		e.Identifiers = append(e.Identifiers, armstrace.Identifier{Scheme: "gw", Value: strconv.Itoa(s.GW)})
	}
	return e
}

// States resolves the names and codes that datasets use for states to
// one entity each, so that SIPRI's "Russia", UCDP's "Government of Russia
// (Soviet Union)" and the demo's Russia are the same node. What it cannot
// resolve it says so, and the importer reports it.
type States struct {
	byKey map[string]*State
	byGW  map[int]*State
	all   []*State
}

// LoadStates parses the curated table bundled with armstrace.
func LoadStates() (*States, error) {
	var lines []string
	for _, l := range strings.Split(statesCSV, "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("states table: %w", err)
	}
	st := &States{byKey: map[string]*State{}, byGW: map[int]*State{}}
	for i, r := range rows[1:] {
		s := &State{ID: r[0], Name: r[1], ISO2: r[2], ISO3: r[3]}
		if r[4] != "" {
			if s.GW, err = strconv.Atoi(r[4]); err != nil {
				return nil, fmt.Errorf("states table row %d: gw %q: %w", i+2, r[4], err)
			}
			if prev, dup := st.byGW[s.GW]; dup {
				return nil, fmt.Errorf("states table: gw %d for both %s and %s", s.GW, prev.ID, s.ID)
			}
			st.byGW[s.GW] = s
		}
		if r[5] != "" {
			s.Aliases = strings.Split(r[5], ";")
		}
		keys := append([]string{s.Name, s.ISO3}, s.Aliases...)
		if s.ISO2 != "" {
			keys = append(keys, s.ISO2)
		}
		for _, k := range keys {
			k = nameKey(k)
			if k == "" {
				continue
			}
			if prev, dup := st.byKey[k]; dup && prev != s {
				return nil, fmt.Errorf("states table: %q names both %s and %s", k, prev.ID, s.ID)
			}
			st.byKey[k] = s
		}
		st.all = append(st.all, s)
	}
	return st, nil
}

// MustLoadStates is LoadStates for a table that tests keep valid.
func MustLoadStates() *States {
	s, err := LoadStates()
	if err != nil {
		panic(err)
	}
	return s
}

// All returns every state in the table.
func (st *States) All() []*State { return st.all }

// ByGW returns the state with a Gleditsch-Ward code.
func (st *States) ByGW(code int) (*State, bool) {
	s, ok := st.byGW[code]
	return s, ok
}

// ByName resolves a state's name as datasets write it: "Syria", "Syrian
// Arab Republic", "Government of Syria", "Government of Russia (Soviet
// Union)". For "X (Y)" it tries the whole, then X, then Y.
func (st *States) ByName(name string) (*State, bool) {
	n := strings.TrimSpace(name)
	if rest, ok := cutPrefixFold(n, "Government of "); ok {
		n = rest
	}
	if rest, ok := cutPrefixFold(n, "the "); ok {
		n = rest
	}
	if s, ok := st.byKey[nameKey(n)]; ok {
		return s, true
	}
	if i := strings.Index(n, "("); i > 0 && strings.HasSuffix(n, ")") {
		if s, ok := st.byKey[nameKey(n[:i])]; ok {
			return s, true
		}
		if s, ok := st.byKey[nameKey(n[i+1:len(n)-1])]; ok {
			return s, true
		}
	}
	return nil, false
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// nameKey folds a name for lookup: lower case, letters and digits only,
// single spaces.
func nameKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else if r != '\'' && r != '’' {
			space = true
		}
	}
	return b.String()
}
