// Package sipri reads the exports of the SIPRI Arms Transfers Database:
// the trade register (format sipri-register), in the classic layout of one
// row per deal and in the 2024+ layout of one row per deal and delivery
// year, and the tables of trend-indicator values (TIV) of arms imports and
// exports by year (format sipri-tiv).
//
// SIPRI's conventions that the readers keep:
//   - A '?' in the blank-named column after a field of the classic register
//     marks that field uncertain; the 2024+ layout has "… is estimate"
//     columns instead. Uncertain figures become approximate ranges with the
//     qualifier "uncertain" and are listed in Transfer.Uncertain.
//   - TIVs are in millions ("TIV-m"). A '0' TIV of delivered weapons means
//     between 0 and 0.5; an empty one means no deliveries identified.
//   - Names ending in '*' are non-state actors ("Syria rebels*"), names
//     ending in '**' international organisations ("NATO**"); "unknown
//     supplier(s)" and "unknown recipient(s)" stand for parties SIPRI could
//     not identify. None of them is resolved as a state.
package sipri

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

const (
	publisher = "Stockholm International Peace Research Institute (SIPRI)"
	url       = "https://www.sipri.org/databases/armstransfers"
	license   = "Information from the SIPRI Arms Transfers Database, © SIPRI: free to download and cite with that credit line; non-commercial research use with reference; no commercial use without SIPRI's agreement"

	unitTIV   = "TIV-m"
	unitItems = "units"

	// claimNotes says what the status of an imported deal means.
	claimNotes = "SIPRI trade register entry. Status verified records that SIPRI's data hold this entry; it is not an independent check of the deal."
)

var (
	generatedPattern = regexp.MustCompile(`(?i)^\s*Data generated:.*\S`)
	rangePattern     = regexp.MustCompile(`year range '(\d{4})' to '(\d{4})'`)
)

// preambleInfo is what a SIPRI preamble says about the export.
type preambleInfo struct {
	version  string // "Data generated: 13 Oct 2024 2:20:11 PM"
	from, to int    // the selected year range, 0 when not given
}

func readPreamble(lines []string) preambleInfo {
	var p preambleInfo
	for _, l := range lines {
		// Table joins a preamble line's cells back with commas; SIPRI's
		// preamble lines hold no commas of their own, so trailing empty
		// cells are all that can appear.
		l = strings.TrimRight(l, ", ")
		if p.version == "" {
			if m := generatedPattern.FindString(l); m != "" {
				p.version = strings.TrimSpace(m)
			}
		}
		if m := rangePattern.FindStringSubmatch(l); m != nil && p.from == 0 {
			p.from, _ = strconv.Atoi(m[1])
			p.to, _ = strconv.Atoi(m[2])
		}
	}
	return p
}

// maxSlug bounds the part of an id made from a name, so that ids stay
// within armstrace's 128 characters.
const maxSlug = 80

// slugID returns prefix plus the slug of name, shortened with a digest when
// too long; "" when name has no letters or digits.
func slugID(prefix, name string) string {
	s := ingest.Slug(name)
	if s == "" {
		return ""
	}
	if len(s) > maxSlug {
		cut := maxSlug - 9
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimSuffix(s[:cut], "-") + "-" + digest(name)[:8]
	}
	return prefix + s
}

// digest returns the hex SHA-256 of parts, each length-prefixed so that
// no two lists of parts digest alike.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// parties resolves SIPRI's supplier and recipient names to entities and
// remembers which entities this import has emitted, so that each shared
// entity is written once, and which names did not resolve to a state.
type parties struct {
	env        *ingest.Env
	emitted    map[string]bool
	unresolved map[string]bool
	// pending are entities emitted by the row being built; they count as
	// emitted only once the row is known to be good.
	pending []string
}

func newParties(env *ingest.Env) *parties {
	return &parties{env: env, emitted: map[string]bool{}, unresolved: map[string]bool{}}
}

// party is a resolved supplier or recipient.
type party struct {
	id    string
	iso2  string // the state's ISO code, "" for a non-state party
	state bool
}

// resolve returns the entity for a SIPRI name and appends its record to
// ops when this import has not emitted it yet. ok is false when the name
// cannot make an id.
func (p *parties) resolve(name string, cite armstrace.Citation, ops *[]ingest.Op) (party, bool) {
	name = strings.TrimSpace(name)
	nonState := strings.HasSuffix(name, "*") || isUnknown(name)
	if !nonState {
		if st, ok := p.env.States.ByName(name); ok {
			p.emit(ops, st.ID, func() *armstrace.Entity { return st.Entity() })
			return party{id: st.ID, iso2: st.ISO2, state: true}, true
		}
	}
	e := p.nonStateEntity(name, cite)
	if e == nil {
		return party{}, false
	}
	p.unresolved[name] = true
	p.emit(ops, e.ID, func() *armstrace.Entity { return e })
	return party{id: e.ID, iso2: ""}, true
}

func isUnknown(name string) bool {
	return strings.HasPrefix(strings.ToLower(name), "unknown")
}

// nonStateEntity makes the entity of a name that is not a known state:
// "ent:sipri:<slug>", of the kind SIPRI's marks suggest.
func (p *parties) nonStateEntity(name string, cite armstrace.Citation) *armstrace.Entity {
	bare := strings.TrimSpace(strings.TrimRight(name, "*"))
	id := slugID("ent:sipri:", bare)
	if id == "" {
		return nil
	}
	e := &armstrace.Entity{ID: id, Name: bare, Citations: []armstrace.Citation{cite}}
	if bare != name {
		e.Aliases = []armstrace.Name{{Value: name, Kind: armstrace.NameAlias}}
	}
	switch {
	case strings.HasSuffix(name, "**"):
		e.Kind = armstrace.EntityAgency
		e.Description = "International organisation, as SIPRI marks it ('**'); not a state."
	case strings.HasSuffix(name, "*"):
		e.Kind = armstrace.EntityArmedGroup
		e.Description = "Non-state actor, as SIPRI marks it ('*')."
	case isUnknown(name):
		// No kind fits a party SIPRI could not identify; agency is the
		// one least likely to be mistaken for a state, a company or an
		// armed group in a query.
		e.Kind = armstrace.EntityAgency
		e.Description = "SIPRI's placeholder for a party it could not identify; not a state, company or group."
	default:
		// A state missing from the curated table, most likely; it is
		// reported as unresolved so that the table can be extended
		// rather than this entity kept as a second node for the state.
		e.Kind = armstrace.EntityState
		e.Description = "Named by SIPRI; not in armstrace's curated table of states, so kept apart under a SIPRI-derived id until it is matched."
	}
	// "Hezbollah (Lebanon)*": the state in brackets is where the group is.
	if i := strings.LastIndex(bare, "("); i > 0 && strings.HasSuffix(bare, ")") && e.Kind != armstrace.EntityState {
		if st, ok := p.env.States.ByName(bare[i+1 : len(bare)-1]); ok {
			e.Country = st.ISO2
		}
	}
	return e
}

// weapon returns the weapon model entity of a designation, appending it
// to ops when not yet emitted.
func (p *parties) weapon(designation, description string, supplier party, cite armstrace.Citation, ops *[]ingest.Op) (string, bool) {
	id := slugID("ent:weapon:", designation)
	if id == "" {
		return "", false
	}
	p.emit(ops, id, func() *armstrace.Entity {
		e := &armstrace.Entity{ID: id, Kind: armstrace.EntityWeaponModel, Name: designation, Description: description, Citations: []armstrace.Citation{cite}}
		if supplier.state {
			e.Country = supplier.iso2
		}
		return e
	})
	return id, true
}

func (p *parties) emit(ops *[]ingest.Op, id string, make func() *armstrace.Entity) {
	if p.emitted[id] {
		return
	}
	for _, q := range p.pending {
		if q == id {
			return
		}
	}
	p.pending = append(p.pending, id)
	*ops = append(*ops, ingest.Op{Mode: ingest.Merge, Record: make()})
}

// commit marks the pending entities as emitted, after their row proved good.
func (p *parties) commit() {
	for _, id := range p.pending {
		p.emitted[id] = true
	}
	p.pending = p.pending[:0]
}

// discard forgets the pending entities of a bad row, so that a later row
// emits them.
func (p *parties) discard() { p.pending = p.pending[:0] }

// names returns the unresolved names, sorted.
func (p *parties) names() []string {
	out := make([]string, 0, len(p.unresolved))
	for n := range p.unresolved {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// checkOps normalizes and validates every record of a row, so that a row
// the reader returns as good always validates; a record that does not is
// reported as a bad row at line.
func checkOps(line int, ops []ingest.Op) error {
	for _, op := range ops {
		op.Record.Normalize()
		if err := op.Record.Validate(); err != nil {
			e := &armstrace.Error{Code: armstrace.EINVALID, Line: line, Message: err.Error()}
			var ae *armstrace.Error
			if errors.As(err, &ae) {
				e.Message = ae.Message
				e.Field = string(op.Record.RecordType()) + " " + ae.Field
			}
			e.Message = "the row makes an invalid " + string(op.Record.RecordType()) + ": " + e.Message
			return e
		}
	}
	return nil
}

// tivDelivered returns SIPRI's delivered TIV: a '0' means between 0 and
// 0.5 million, which is kept as such.
func tivDelivered(v *float64) *armstrace.Range {
	if v == nil {
		return nil
	}
	if *v == 0 {
		return &armstrace.Range{Low: armstrace.Num(0), Best: armstrace.Num(0), High: armstrace.Num(0.5), Unit: unitTIV, Approximate: true, Qualifier: "between 0 and 0.5"}
	}
	return &armstrace.Range{Best: armstrace.Num(*v), Unit: unitTIV}
}

func tiv(v *float64) *armstrace.Range {
	if v == nil {
		return nil
	}
	return &armstrace.Range{Best: armstrace.Num(*v), Unit: unitTIV}
}

func count(v *float64, uncertain bool) *armstrace.Range {
	if v == nil {
		return nil
	}
	r := &armstrace.Range{Best: armstrace.Num(*v), Unit: unitItems}
	if uncertain {
		r.Approximate, r.Qualifier = true, "uncertain"
	}
	return r
}

// nonNegative records a failure for a negative figure.
func nonNegative(c *ingest.Cells, field string, v *float64) *float64 {
	if v != nil && *v < 0 {
		c.Fail(field, "%v is below zero", *v)
		return nil
	}
	return v
}

// minYear and maxYear bound the years a SIPRI row may hold.
const (
	minYear = 1900
	maxYear = 2100
)

func yearOK(y int) bool { return y >= minYear && y <= maxYear }

func yearDate(y int) armstrace.Date {
	if y == 0 {
		return ""
	}
	return armstrace.Date(strconv.Itoa(y))
}

// condition turns SIPRI's status ("New", "Second hand", "Second hand but
// modernized") into Transfer.Condition.
func condition(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// quote shortens a comment for a citation's quote, at a word boundary.
func quote(s string) string {
	const max = 300
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == max {
			cut = i
			break
		}
		n++
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > max/2 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ;,") + " …"
}

// checkText fails a row whose cells hold control characters other than
// tab and line breaks, naming the column: armstrace refuses them in every
// record, and the column says more than the record field would.
func checkText(c *ingest.Cells, header []string) {
	for i, name := range header {
		if name == "" {
			continue // SIPRI's '?' columns, checked by their readers
		}
		for _, r := range c.At(i) {
			if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
				c.Fail(name, "contains the control character U+%04X", r)
				return
			}
		}
	}
}
