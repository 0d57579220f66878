// Package ftm reads FollowTheMoney entities as JSON lines, the format
// OpenSanctions and Aleph export: one object per line,
//
//	{"id": "…", "schema": "Company", "properties": {"name": ["…"], …}, …}
//
// with every property an array of strings. Companies, organisations,
// legal entities, public bodies, people, vessels and aircraft become
// entities "ftm:<id>"; Sanction, Ownership and Directorship entities
// become sanctioned, owns and controls claims "ftm:<id>". Other schemas
// (Family, Associate, Address, …) are counted and skipped.
//
// A relation may come before the entities it names, and the store checks
// references when it writes, so relations are held until the end of the
// file and written then, each only if both its ends were written. Memory
// grows with the relations held, plus eight bytes per entity written (a
// hash of its id, to check the ends).
package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// Format reads FollowTheMoney entities.
var Format = ingest.Format{
	Name:    "ftm",
	Summary: "FollowTheMoney / OpenSanctions entities, JSON lines: companies, people, vessels; sanctions, ownership and directorships as claims",
	Open:    open,
}

// entityKinds maps the schemas that become entities.
var entityKinds = map[string]armstrace.EntityKind{
	"Person":       armstrace.EntityPerson,
	"Company":      armstrace.EntityCompany,
	"Organization": armstrace.EntityCompany,
	"LegalEntity":  armstrace.EntityCompany,
	"PublicBody":   armstrace.EntityAgency,
	"Vessel":       armstrace.EntityVessel,
	// armstrace has no aircraft kind; an aircraft carries cargo under a
	// flag and an operator, as a vessel does.
	"Airplane": armstrace.EntityVessel,
}

// maxLine bounds one line, so that a file without line breaks cannot
// exhaust memory.
const maxLine = 64 << 20

// Confidence and status of each kind of claim. A sanction read from an
// aggregated list is a matter of public record; ownership and
// directorships come from registries and reporting of varying quality.
const (
	sanctionConfidence = 0.9
	relationConfidence = 0.7
)

type reader struct {
	env  *ingest.Env
	br   *bufio.Reader
	line int
	seed maphash.Seed

	written map[uint64]struct{} // hashes of the ids of entities written
	idOwner map[uint64]holder   // hash of scheme and value → its holder
	held    []heldClaim         // relations, written at the end
	merged  map[string]bool     // states and authorities written

	skipped    map[string]int
	dropped    map[string]int // relations not written, by reason
	examples   map[string]string
	warnings   []string
	unresolved map[string]bool

	pending []ingest.Row
	done    bool

	// The first line that holds something, read by open.
	first     []byte
	firstLine int
	firstErr  error
	hasFirst  bool
}

type holder struct {
	owner uint64
	line  int
}

// heldClaim is a relation waiting for the end of the file.
type heldClaim struct {
	line  int
	pre   *armstrace.Entity // a state or authority to merge first, or nil
	claim *armstrace.Claim
	ends  []string // ftm entity ids that must have been written
}

func open(r io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	if env == nil || env.States == nil {
		return nil, ingest.Dataset{}, errors.New("ftm: the environment has no states table")
	}
	rd := &reader{
		env:        env,
		br:         bufio.NewReaderSize(r, 1<<16),
		seed:       maphash.MakeSeed(),
		written:    map[uint64]struct{}{},
		idOwner:    map[uint64]holder{},
		merged:     map[string]bool{},
		skipped:    map[string]int{},
		dropped:    map[string]int{},
		examples:   map[string]string{},
		unresolved: map[string]bool{},
	}
	// Read up to the first line that holds something, so that an empty
	// file (or one of only a byte-order mark and blank lines) is refused
	// before anything is written, as the CSV readers refuse a file with no
	// header and OFAC's a file with no entries.
	for {
		b, err := rd.readLine()
		if err == io.EOF {
			return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINVALID, Message: "the file has no records: is this a FollowTheMoney JSON lines file?"}
		}
		if err != nil && armstrace.ErrorCode(err) != armstrace.EINVALID {
			return nil, ingest.Dataset{}, err
		}
		if err != nil || len(bytes.TrimSpace(b)) > 0 {
			// The first line, or the error of a first line too long to
			// read, is what Next returns first.
			rd.first, rd.firstLine, rd.firstErr, rd.hasFirst = append([]byte(nil), b...), rd.line, err, true
			break
		}
	}
	ds := ingest.Dataset{Name: "FollowTheMoney entities"}
	if b := filepath.Base(env.File); env.File != "" && env.File != "-" {
		ds.Name += " (" + b + ")"
	}
	return rd, ds, nil
}

// Warnings returns what the reader noticed but did not refuse: schemas
// skipped, relations not written because an end is missing, identifiers
// that two entities claim.
func (rd *reader) Warnings() []string { return rd.warnings }

// Skipped returns how many entities of each skipped schema were read.
func (rd *reader) Skipped() map[string]int { return rd.skipped }

// Unresolved returns the sanction authorities that name no state of the
// curated table, each kept as an agency "ftm-authority:<slug>", sorted.
func (rd *reader) Unresolved() []string {
	return ingest.Sorted(rd.unresolved)
}

func (rd *reader) warnf(format string, args ...any) {
	rd.warnings = append(rd.warnings, fmt.Sprintf(format, args...))
}

func (rd *reader) hash(s string) uint64 { return maphash.String(rd.seed, s) }

// readLine returns the next line without its line break, or io.EOF.
func (rd *reader) readLine() ([]byte, error) {
	var long []byte
	for {
		b, err := rd.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(b) > maxLine {
				// Skip the rest of the line, then refuse it.
				for err == bufio.ErrBufferFull {
					_, err = rd.br.ReadSlice('\n')
				}
				rd.line++
				return nil, &armstrace.Error{Code: armstrace.EINVALID, Line: rd.line, Message: fmt.Sprintf("the line is longer than %d bytes", maxLine)}
			}
			long = append(long, b...)
			continue
		}
		if err == io.EOF && len(b) == 0 && long == nil {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		rd.line++
		if long != nil {
			b = append(long, b...)
		}
		b = bytes.TrimRight(b, "\r\n")
		if rd.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		return b, nil
	}
}

// Next returns the entity of the next line, then the held relations, then
// io.EOF. Lines of skipped schemas and relations give no row of their own.
func (rd *reader) Next() (ingest.Row, error) {
	for {
		if rd.done {
			if len(rd.pending) == 0 {
				return ingest.Row{}, io.EOF
			}
			row := rd.pending[0]
			rd.pending = rd.pending[1:]
			return row, nil
		}
		var b []byte
		var err error
		line := 0
		if rd.hasFirst {
			b, line, err = rd.first, rd.firstLine, rd.firstErr
			rd.first, rd.firstErr, rd.hasFirst = nil, nil, false
		} else {
			b, err = rd.readLine()
			line = rd.line
		}
		if err == io.EOF {
			rd.finish()
			continue
		}
		if err != nil {
			return ingest.Row{}, err
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		row, err := rd.parse(b, line)
		if err != nil {
			return ingest.Row{}, err
		}
		if len(row.Ops) > 0 {
			return row, nil
		}
	}
}

// raw is one line as FollowTheMoney writes it. Properties are checked one
// by one, so that an error can name the property.
type raw struct {
	ID         string                     `json:"id"`
	Schema     string                     `json:"schema"`
	Properties map[string]json.RawMessage `json:"properties"`
	Datasets   []string                   `json:"datasets"`
	FirstSeen  string                     `json:"first_seen"`
	LastSeen   string                     `json:"last_seen"`
	Target     bool                       `json:"target"`
}

// props holds the properties of one entity.
type props map[string][]string

// first returns the first non-empty value of a property.
func (p props) first(name string) string {
	for _, v := range p[name] {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// all returns the non-empty values of a property, trimmed and unique.
func (p props) all(name string) []string {
	var out []string
	for _, v := range p[name] {
		if v = strings.TrimSpace(v); v != "" && !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func lineError(line int, field, format string, args ...any) *armstrace.Error {
	return &armstrace.Error{Code: armstrace.EINVALID, Line: line, Field: field, Message: fmt.Sprintf(format, args...)}
}

// idPattern is armstrace's rule for ids.
var idPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._:/@+-]{0,127}$`)

func (rd *reader) parse(b []byte, line int) (ingest.Row, error) {
	var r raw
	if err := json.Unmarshal(b, &r); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if te.Field == "" {
				return ingest.Row{}, lineError(line, "", "the line is not a JSON object")
			}
			return ingest.Row{}, lineError(line, te.Field, "is a JSON %s, not %s", te.Value, jsonKind(te.Type.String()))
		}
		return ingest.Row{}, lineError(line, "", "the line is not JSON: %v", err)
	}
	if r.ID = strings.TrimSpace(r.ID); r.ID == "" {
		return ingest.Row{}, lineError(line, "id", "required")
	}
	if !idPattern.MatchString("ftm:" + r.ID) {
		return ingest.Row{}, lineError(line, "id", "%q cannot make an armstrace id (letters, digits and ._:/@+- only, at most 124 characters)", r.ID)
	}
	if r.Schema = strings.TrimSpace(r.Schema); r.Schema == "" {
		return ingest.Row{}, lineError(line, "schema", "required")
	}
	for i, d := range r.Datasets {
		if err := checkText(d); err != "" {
			return ingest.Row{}, lineError(line, fmt.Sprintf("datasets[%d]", i), "%s", err)
		}
	}
	p, err := decodeProps(r.Properties, line)
	if err != nil {
		return ingest.Row{}, err
	}
	if kind, ok := entityKinds[r.Schema]; ok {
		return rd.entity(&r, p, kind, line)
	}
	switch r.Schema {
	case "Sanction", "Ownership", "Directorship":
		return ingest.Row{}, rd.relation(&r, p, line)
	}
	rd.skipped[r.Schema]++
	return ingest.Row{}, nil
}

func jsonKind(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "[]string":
		return "an array of strings"
	}
	if strings.HasPrefix(goType, "map[") {
		return "an object"
	}
	return "of the expected type"
}

// decodeProps checks that every property is an array of strings, in the
// order of the names so that the first error is the same every time.
func decodeProps(m map[string]json.RawMessage, line int) (props, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	p := make(props, len(m))
	for _, k := range keys {
		field := "properties." + k
		var vs []*string
		if err := json.Unmarshal(m[k], &vs); err != nil || vs == nil && string(bytes.TrimSpace(m[k])) == "null" {
			return nil, lineError(line, field, "is not an array of strings")
		}
		out := make([]string, len(vs))
		for i, v := range vs {
			if v == nil {
				return nil, lineError(line, field, "is not an array of strings: item %d is null", i)
			}
			if e := checkText(*v); e != "" {
				return nil, lineError(line, field, "item %d %s", i, e)
			}
			out[i] = *v
		}
		p[k] = out
	}
	return p, nil
}

// checkText reports text armstrace cannot keep: control characters other
// than tab and line breaks, and bytes that are not UTF-8.
func checkText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return fmt.Sprintf("contains the control character U+%04X", r)
		}
	}
	return ""
}

// identifierProps maps properties to identifier schemes, in the order
// identifiers are listed.
var identifierProps = []struct{ prop, scheme string }{
	{"innCode", "ru-inn"},
	{"ogrnCode", "ru-ogrn"},
	{"leiCode", "lei"},
	{"imoNumber", "imo"},
	{"taxNumber", "tax-id"},
	{"registrationNumber", "registration-id"},
	{"dunsCode", "duns"},
	{"website", "website"},
}

var imoDigits = regexp.MustCompile(`^(?i:IMO)?\s*(\d{7})$`)

func (rd *reader) entity(r *raw, p props, kind armstrace.EntityKind, line int) (ingest.Row, error) {
	id := "ftm:" + r.ID
	names := p.all("name")
	if len(names) == 0 {
		return ingest.Row{}, lineError(line, "properties.name", "required: an entity needs a name")
	}
	e := &armstrace.Entity{ID: id, Kind: kind, Name: names[0]}
	seenName := map[string]bool{names[0]: true}
	addName := func(v string, k armstrace.NameKind) {
		if !seenName[v] {
			seenName[v] = true
			e.Aliases = append(e.Aliases, armstrace.Name{Value: v, Kind: k})
		}
	}
	for _, n := range names[1:] {
		addName(n, armstrace.NameAlias)
	}
	for _, n := range p.all("alias") {
		addName(n, armstrace.NameAlias)
	}
	for _, n := range p.all("weakAlias") {
		addName(n, armstrace.NameAlias)
	}
	for _, n := range p.all("previousName") {
		addName(n, armstrace.NameFormer)
	}

	// Country: a vessel's flag first, then where the entity is.
	order := []string{"country", "jurisdiction", "mainCountry", "nationality", "citizenship"}
	if r.Schema == "Vessel" || r.Schema == "Airplane" {
		order = append([]string{"flag"}, order...)
	}
	for _, prop := range order {
		for _, v := range p.all(prop) {
			if c := countryCode(v); c != "" {
				e.Country = c
				break
			}
		}
		if e.Country != "" {
			break
		}
	}

	// Identifiers. A value an earlier entity of the file holds stays
	// with it: the store keeps one entity per identifier.
	ids := []armstrace.Identifier{{Scheme: "ftm-id", Value: r.ID}}
	for _, ip := range identifierProps {
		for _, v := range p.all(ip.prop) {
			scheme := ip.scheme
			switch ip.prop {
			case "imoNumber":
				m := imoDigits.FindStringSubmatch(v)
				if m == nil {
					continue
				}
				v = m[1]
				if kind != armstrace.EntityVessel || r.Schema == "Airplane" {
					// Companies have IMO company numbers, not ship numbers.
					scheme = "imo-company"
				}
			case "website":
				v = website(v)
			case "leiCode":
				v = strings.ToUpper(v)
			case "dunsCode":
				v = strings.ReplaceAll(v, "-", "")
			}
			if v != "" {
				ids = append(ids, armstrace.Identifier{Scheme: scheme, Value: v})
			}
		}
	}
	owner := rd.hash(r.ID)
	have := map[armstrace.Identifier]bool{}
	var dropped []string
	type claimKey struct {
		key uint64
		id  armstrace.Identifier
	}
	var claims []claimKey
	for _, x := range ids {
		if have[x] {
			continue
		}
		k := rd.hash(x.Scheme + "\x00" + x.Value)
		if h, taken := rd.idOwner[k]; taken && h.owner != owner {
			dropped = append(dropped, fmt.Sprintf("%s %s (also given for the entity on line %d, which keeps it)", x.Scheme, x.Value, h.line))
			continue
		}
		have[x] = true
		e.Identifiers = append(e.Identifiers, x)
		claims = append(claims, claimKey{k, x})
	}

	var desc []string
	head := "FollowTheMoney " + r.Schema + " " + r.ID
	if len(r.Datasets) > 0 {
		head += ", datasets " + strings.Join(r.Datasets, ", ")
	}
	desc = append(desc, head+".")
	if r.Target {
		desc = append(desc, "Marked as a target (a sanctioned or otherwise listed party).")
	}
	for _, prop := range []string{"topics", "position", "legalForm", "status", "address", "summary", "description", "notes"} {
		if vs := p.all(prop); len(vs) > 0 {
			desc = append(desc, prop+": "+strings.Join(vs, "; "))
		}
	}
	if r.FirstSeen != "" || r.LastSeen != "" {
		desc = append(desc, fmt.Sprintf("first seen %s, last seen %s", orQ(r.FirstSeen), orQ(r.LastSeen)))
	}
	for _, d := range dropped {
		desc = append(desc, "Identifier not attached: "+d+".")
	}
	e.Description = strings.Join(desc, "\n")
	e.Citations = []armstrace.Citation{rd.env.Cite(fmt.Sprintf("id %s, line %d", r.ID, line))}

	if err := e.Validate(); err != nil {
		return ingest.Row{}, recordError(line, err)
	}
	rd.written[owner] = struct{}{}
	for _, c := range claims {
		if _, taken := rd.idOwner[c.key]; !taken {
			rd.idOwner[c.key] = holder{owner: owner, line: line}
		}
	}
	for _, d := range dropped {
		rd.warnf("line %d (%s): identifier %s", line, r.ID, d)
	}
	// Merged, not put: other lists and analysts enrich the same entity,
	// and a put would undo what they add on every import.
	return ingest.Row{Line: line, Ops: []ingest.Op{{Mode: ingest.Merge, Record: e}}}, nil
}

func orQ(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

// recordError turns a record that does not validate into an error of its line.
func recordError(line int, err error) error {
	var ae *armstrace.Error
	field := ""
	if errors.As(err, &ae) {
		field = ae.Field
	}
	return &armstrace.Error{Code: armstrace.EINVALID, Line: line, Field: field, Message: "makes an invalid record: " + armstrace.ErrorMessage(err)}
}

// countryCode returns the ISO code of a FollowTheMoney country code: "ru"
// → "RU", "suhh" (the Soviet Union) → "SU"; "" for codes that are not
// countries ("eu", "zz") or not two letters.
func countryCode(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	switch v {
	case "suhh":
		return "SU"
	case "eu", "zz", "":
		return ""
	}
	if len(v) != 2 || v[0] < 'a' || v[0] > 'z' || v[1] < 'a' || v[1] > 'z' {
		return ""
	}
	return strings.ToUpper(v)
}

// website tidies a web address into the form identifiers keep: lower
// case, without scheme or final slash.
func website(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"https://", "http://"} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimRight(s, "/.")
}

// date reads a FollowTheMoney date ("2014", "2014-07", "2014-07-16",
// "2014-07-16T00:00:00") at its precision.
func date(v string) (armstrace.Date, bool) {
	v = strings.TrimSpace(v)
	if len(v) > 10 && (v[10] == 'T' || v[10] == ' ') {
		v = v[:10]
	}
	d := armstrace.Date(v)
	return d, d.Validate() == nil
}

// dates returns the earliest (or latest) date of a property.
func dates(p props, prop string, line int, latest bool) (armstrace.Date, error) {
	var out armstrace.Date
	for _, v := range p.all(prop) {
		d, ok := date(v)
		if !ok {
			return "", lineError(line, "properties."+prop, "%q is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)", v)
		}
		if out == "" || (!latest && d.First() < out.First()) || (latest && d.Last() > out.Last()) {
			out = d
		}
	}
	return out, nil
}

// ends returns the entity ids of a relation's property, checked.
func ends(p props, prop string, line int) ([]string, error) {
	vs := p.all(prop)
	if len(vs) == 0 {
		return nil, lineError(line, "properties."+prop, "required: the relation names no entity")
	}
	for _, v := range vs {
		if !idPattern.MatchString("ftm:" + v) {
			return nil, lineError(line, "properties."+prop, "%q is not an entity id", v)
		}
	}
	return vs, nil
}

// relation builds the claims of a Sanction, Ownership or Directorship and
// holds them for the end of the file.
func (rd *reader) relation(r *raw, p props, line int) error {
	from, err := dates(p, "startDate", line, false)
	if err != nil {
		return err
	}
	to, err := dates(p, "endDate", line, true)
	if err != nil {
		return err
	}
	if from != "" && to != "" && to.Last() < from.First() {
		return lineError(line, "properties.endDate", "%s is before startDate %s", to, from)
	}
	cite := []armstrace.Citation{rd.env.Cite(fmt.Sprintf("id %s, line %d", r.ID, line))}
	var held []heldClaim
	pair := func(subj, obj string, pre *armstrace.Entity, c armstrace.Claim, endIDs ...string) {
		c.Subject, c.Object = subj, obj
		c.ValidFrom, c.ValidTo = from, to
		c.Citations = cite
		held = append(held, heldClaim{line: line, pre: pre, claim: &c, ends: endIDs})
	}
	switch r.Schema {
	case "Sanction":
		targets, err := ends(p, "entity", line)
		if err != nil {
			return err
		}
		listed, err := dates(p, "listingDate", line, false)
		if err != nil {
			return err
		}
		if listed == "" {
			listed = from
		}
		subject, ok := rd.authority(p)
		if !ok {
			rd.drop("a sanction names no authority and no country that resolves", r.ID, line)
			return nil
		}
		s := &armstrace.Sanction{Listed: listed, Delisted: to}
		for _, prop := range []string{"program", "programId"} {
			for _, v := range p.all(prop) {
				if !contains(s.Programs, v) {
					s.Programs = append(s.Programs, v)
				}
			}
		}
		s.ListEntryID = p.first("authorityId")
		if s.ListEntryID == "" {
			s.ListEntryID = p.first("unscId")
		}
		var notes []string
		for _, prop := range []string{"authority", "reason", "provisions", "status", "summary"} {
			if vs := p.all(prop); len(vs) > 0 {
				notes = append(notes, prop+": "+strings.Join(vs, "; "))
			}
		}
		for _, t := range targets {
			// Each claim gets its own copy of the attributes.
			sc := *s
			pair(subject.ID, "ftm:"+t, subject, armstrace.Claim{
				Kind: armstrace.ClaimSanctioned, Status: armstrace.StatusVerified, Confidence: sanctionConfidence,
				Attrs: armstrace.ClaimAttrs{Sanction: &sc},
				Notes: strings.Join(append([]string{"FollowTheMoney Sanction."}, notes...), "\n"),
			}, t)
		}
	case "Ownership":
		owners, err := ends(p, "owner", line)
		if err != nil {
			return err
		}
		assets, err := ends(p, "asset", line)
		if err != nil {
			return err
		}
		notes := []string{"FollowTheMoney Ownership."}
		share, text := percentage(p.all("percentage"))
		if text != "" {
			notes = append(notes, "percentage as given: "+text)
		}
		for _, prop := range []string{"role", "ownershipType", "sharesCount", "summary"} {
			if vs := p.all(prop); len(vs) > 0 {
				notes = append(notes, prop+": "+strings.Join(vs, "; "))
			}
		}
		for _, o := range owners {
			for _, a := range assets {
				if o == a {
					return lineError(line, "properties.asset", "%q owns itself", o)
				}
				c := armstrace.Claim{Kind: armstrace.ClaimOwns, Status: armstrace.StatusAlleged, Confidence: relationConfidence, Notes: strings.Join(notes, "\n")}
				if share != nil {
					sh := *share
					c.Attrs.Ownership = &armstrace.Ownership{Share: &sh}
				}
				pair("ftm:"+o, "ftm:"+a, nil, c, o, a)
			}
		}
	case "Directorship":
		directors, err := ends(p, "director", line)
		if err != nil {
			return err
		}
		orgs, err := ends(p, "organization", line)
		if err != nil {
			return err
		}
		// A directorship is control, never ownership.
		notes := []string{"FollowTheMoney Directorship."}
		for _, prop := range []string{"role", "status", "summary"} {
			if vs := p.all(prop); len(vs) > 0 {
				notes = append(notes, prop+": "+strings.Join(vs, "; "))
			}
		}
		for _, d := range directors {
			for _, o := range orgs {
				if d == o {
					return lineError(line, "properties.organization", "%q directs itself", d)
				}
				pair("ftm:"+d, "ftm:"+o, nil, armstrace.Claim{Kind: armstrace.ClaimControls, Status: armstrace.StatusAlleged, Confidence: relationConfidence, Notes: strings.Join(notes, "\n")}, d, o)
			}
		}
	}
	for i := range held {
		c := held[i].claim
		c.ID = "ftm:" + r.ID
		if len(held) > 1 {
			c.ID += ":" + strconv.Itoa(i+1)
			if !idPattern.MatchString(c.ID) {
				return lineError(line, "id", "%q is too long to number its %d claims", r.ID, len(held))
			}
		}
		if err := c.Validate(); err != nil {
			return recordError(line, err)
		}
		if pre := held[i].pre; pre != nil {
			if err := pre.Validate(); err != nil {
				return recordError(line, err)
			}
		}
	}
	rd.held = append(rd.held, held...)
	return nil
}

// percentage reads an ownership share: "51", "51%", "50.5 %", "25-50%"
// (a range), "more than 50%" (kept as the source's words). It returns
// the share, and the text as given when it is not a plain number.
func percentage(vs []string) (*armstrace.Range, string) {
	if len(vs) == 0 {
		return nil, ""
	}
	text := strings.Join(vs, "; ")
	v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(vs[0]), "%"))
	num := func(s string) (float64, bool) {
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
		return f, err == nil && f >= 0 && f <= 100
	}
	if f, ok := num(v); ok {
		r := &armstrace.Range{Best: &f, Unit: "%"}
		if len(vs) == 1 {
			return r, ""
		}
		return r, text
	}
	if lo, hi, ok := strings.Cut(v, "-"); ok {
		l, ok1 := num(strings.TrimSuffix(strings.TrimSpace(lo), "%"))
		h, ok2 := num(hi)
		if ok1 && ok2 && l <= h {
			return &armstrace.Range{Low: &l, High: &h, Unit: "%"}, text
		}
	}
	for _, q := range []string{"more than", "over", "at least", "less than", "under", "about", "approximately"} {
		if rest, ok := strings.CutPrefix(strings.ToLower(v), q); ok {
			if f, ok := num(strings.TrimSuffix(strings.TrimSpace(rest), "%")); ok {
				r := &armstrace.Range{Unit: "%", Approximate: true, Qualifier: q}
				switch q {
				case "more than", "over", "at least":
					r.Low = &f
				case "less than", "under":
					r.High = &f
				default:
					r.Best = &f
				}
				return r, text
			}
		}
	}
	return nil, text
}

// knownAuthorities names the state behind authorities whose names do not
// say it.
var knownAuthorities = []struct{ substr, state string }{
	{"office of foreign assets control", "United States"},
	{"ofac", "United States"},
	{"bureau of industry and security", "United States"},
	{"u.s. department", "United States"},
	{"us department", "United States"},
	{"hm treasury", "United Kingdom"},
	{"office of financial sanctions implementation", "United Kingdom"},
	{"foreign, commonwealth", "United Kingdom"},
	{"state secretariat for economic affairs", "Switzerland"},
	{"seco", "Switzerland"},
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}.]+`)

// authority returns the subject of a sanction: the state its authority
// names, else an agency for the authority, else the state of its country.
func (rd *reader) authority(p props) (*armstrace.Entity, bool) {
	auth := strings.Join(p.all("authority"), "; ")
	if auth != "" {
		if s := rd.stateOf(auth); s != nil {
			return s.Entity(), true
		}
		slug := ingest.Slug(auth)
		for len(slug) > 100 {
			_, size := utf8.DecodeLastRuneInString(slug)
			slug = strings.TrimRight(slug[:len(slug)-size], "-")
		}
		if slug != "" {
			rd.unresolved[auth] = true
			return &armstrace.Entity{ID: "ftm-authority:" + slug, Kind: armstrace.EntityAgency, Name: auth}, true
		}
	}
	for _, c := range p.all("country") {
		if code := countryCode(c); code != "" {
			if s, ok := rd.env.States.ByName(code); ok {
				return s.Entity(), true
			}
		}
	}
	return nil, false
}

// stateOf returns the one state an authority's name names, or nil.
func (rd *reader) stateOf(auth string) *ingest.State {
	lower := strings.ToLower(auth)
	words := map[string]bool{}
	for _, w := range wordRe.FindAllString(lower, -1) {
		words[strings.Trim(w, ".")] = true
	}
	for _, k := range knownAuthorities {
		hit := false
		if strings.Contains(k.substr, " ") {
			hit = strings.Contains(lower, k.substr)
		} else {
			hit = words[k.substr]
		}
		if hit {
			if s, ok := rd.env.States.ByName(k.state); ok {
				return s
			}
		}
	}
	if s, ok := rd.env.States.ByName(auth); ok {
		return s
	}
	// A state named in the authority's name: "Ministry of Foreign Affairs
	// of Ukraine". Short codes (US, UK) count only in capitals.
	padded := " " + strings.Join(wordRe.FindAllString(lower, -1), " ") + " "
	var found *ingest.State
	for _, s := range rd.env.States.All() {
		hit := false
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			if len(n) <= 3 {
				if containsWord(auth, n) {
					hit = true
				}
				continue
			}
			if strings.Contains(padded, " "+strings.Join(wordRe.FindAllString(strings.ToLower(n), -1), " ")+" ") {
				hit = true
			}
		}
		if hit {
			if found != nil && found != s {
				return nil
			}
			found = s
		}
	}
	return found
}

// containsWord reports whether s holds w as a whole word, case and all.
func containsWord(s, w string) bool {
	for _, x := range wordRe.FindAllString(s, -1) {
		if strings.Trim(x, ".") == w {
			return true
		}
	}
	return false
}

func (rd *reader) drop(reason, id string, line int) {
	rd.dropped[reason]++
	if _, ok := rd.examples[reason]; !ok {
		rd.examples[reason] = fmt.Sprintf("%s, line %d", id, line)
	}
}

// finish writes the held relations whose ends were written, and reports
// the rest.
func (rd *reader) finish() {
	rd.done = true
	for _, h := range rd.held {
		missing := ""
		for _, e := range h.ends {
			if _, ok := rd.written[rd.hash(e)]; !ok {
				missing = e
				break
			}
		}
		if missing != "" {
			rd.drop("a relation names an entity the file does not hold (or holds in a schema that is skipped, or on a bad line)", strings.TrimPrefix(h.claim.ID, "ftm:")+" → "+missing, h.line)
			continue
		}
		var ops []ingest.Op
		if h.pre != nil && !rd.merged[h.pre.ID] {
			rd.merged[h.pre.ID] = true
			ops = append(ops, ingest.Op{Mode: ingest.Merge, Record: h.pre})
		}
		ops = append(ops, ingest.Op{Mode: ingest.Put, Record: h.claim})
		rd.pending = append(rd.pending, ingest.Row{Line: h.line, Ops: ops})
	}
	rd.held = nil
	reasons := make([]string, 0, len(rd.dropped))
	for r := range rd.dropped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		rd.warnf("%d claim(s) not written: %s (first: %s)", rd.dropped[r], r, rd.examples[r])
	}
	schemas := make([]string, 0, len(rd.skipped))
	for s := range rd.skipped {
		schemas = append(schemas, s)
	}
	sort.Strings(schemas)
	if len(schemas) > 0 {
		var parts []string
		for _, s := range schemas {
			parts = append(parts, fmt.Sprintf("%d %s", rd.skipped[s], s))
		}
		rd.warnf("skipped schemas armstrace does not import: %s", strings.Join(parts, ", "))
	}
}

// RowsRead returns the lines read; relations are written at the end.
func (rd *reader) RowsRead() int { return rd.line }
