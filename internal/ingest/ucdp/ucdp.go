// Package ucdp reads the datasets of the Uppsala Conflict Data Program:
// the Georeferenced Event Dataset (GED, format "ucdp-ged"), one event per
// row, and the Actor Dataset (format "ucdp-actors"), one armed actor per
// row.
//
// Both formats name actors by UCDP's actor id (GED's side_a_new_id and
// side_b_new_id are the Actor Dataset's ActorId), and both resolve them the
// same way, so that the two imports meet on the same entities whatever
// their order:
//
//   - a government ("Government of Syria") that the curated states table
//     resolves is that state (ent:syria), merged with the identifier
//     ucdp-actor:<id>;
//   - a government the table does not resolve becomes the entity
//     ucdp-actor:<id> of kind state, and its name is reported as
//     unresolved;
//   - every other actor is the entity ucdp-actor:<id> of kind armed_group.
//
// Both readers write actors with ingest.Merge, so that the Actor Dataset's
// names and the GED's spellings of them add up on one entity.
package ucdp

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

const (
	publisher = "Uppsala Conflict Data Program (UCDP)"
	license   = "CC BY 4.0"
	url       = "https://ucdp.uu.se/downloads/"

	// idScheme is the identifier scheme of UCDP actor ids, and actorPrefix
	// the prefix of the ids of the entities made for actors that are not
	// curated states.
	idScheme    = "ucdp-actor"
	actorPrefix = "ucdp-actor:"

	// maxCited bounds the source text kept in a locator or quote.
	maxCited = 300
)

// actorID returns the entity id of a UCDP actor that is not a curated state.
func actorID(id int) string { return actorPrefix + strconv.Itoa(id) }

// isGovernment reports whether a UCDP actor name names a government, as
// UCDP writes them: "Government of Syria".
func isGovernment(name string) bool {
	const p = "government of "
	return len(name) > len(p) && strings.EqualFold(name[:len(p)], p)
}

// resolution is how one UCDP actor maps to an entity.
type resolution struct {
	entity string        // the entity id
	state  *ingest.State // the curated state, for a resolved government
	kind   armstrace.EntityKind
	gov    bool // a government, resolved or not
}

// resolve maps a UCDP actor to its entity. A government is one by its
// organisation code (4, in the Actor Dataset) or by its name; only
// governments are looked up in the states table, so that an armed group
// named like a country ("Republic of Azerbaijan", the 1945-46 movement in
// Iran) is never taken for the state.
func resolve(states *ingest.States, id int, name string, org int) resolution {
	if org == orgGovernment || isGovernment(name) {
		if s, ok := states.ByName(name); ok {
			return resolution{entity: s.ID, state: s, kind: armstrace.EntityState, gov: true}
		}
		return resolution{entity: actorID(id), kind: armstrace.EntityState, gov: true}
	}
	return resolution{entity: actorID(id), kind: armstrace.EntityArmedGroup}
}

// nameSet collects the unresolved names of a reader.
type nameSet map[string]bool

func (s nameSet) sorted() []string {
	out := make([]string, 0, len(s))
	for n := range s {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// clip shortens s to at most max bytes, at a rune boundary, marking the
// cut with "…".
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " ") + "…"
}
