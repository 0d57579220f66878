// Package ofac reads OFAC's sanctions lists in the legacy CSV layout: the
// Specially Designated Nationals list (sdn.csv, alt.csv, add.csv,
// sdn_comments.csv) and the consolidated non-SDN list (cons_prim.csv,
// cons_alt.csv, cons_add.csv, cons_comments.csv). The files have no
// header row.
//
// The main file (sdn.csv or cons_prim.csv) is the input; its three
// siblings are opened by name from the same folder and read first, into
// memory (they are small), then the main file is streamed. Each entry
// becomes an entity "ofac:<ent_num>" and a sanctioned claim from the
// United States; "Linked To:" remarks become controls claims at the end,
// once every primary name of the list is known.
package ofac

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// Format reads an OFAC SDN or consolidated list.
var Format = ingest.Format{
	Name:    "ofac",
	Summary: "OFAC SDN or consolidated (non-SDN) list, legacy CSV: give sdn.csv or cons_prim.csv; alt, add and comments files beside it are read too",
	Open:    open,
}

// Column positions of the main file (sdn.csv, cons_prim.csv), as OFAC
// documents them, and the names used in errors.
const (
	colEntNum = iota
	colName
	colType
	colProgram
	colTitle
	colCallSign
	colVessType
	colTonnage
	colGRT
	colVessFlag
	colVessOwner
	colRemarks
	mainColumns
)

var mainNames = [mainColumns]string{"ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"}

// list says which list a file belongs to.
type list int

const (
	listSDN list = iota
	listCons
)

// usState is the curated id of the sanctioning state.
const usStateName = "United States"

// reader reads the main file row by row.
type reader struct {
	env   *ingest.Env
	list  list
	cr    *ingest.CSVReader
	rows  int      // entry rows read, bad ones too
	first []string // the first record, read by open to check the layout
	line0 int

	alts     map[string][]alt
	adds     map[string][]address
	comments map[string]string

	us        *ingest.State
	usEmitted bool

	seen    map[string]int                    // ent_num → line, to refuse a second row of one entry
	names   map[string]string                 // folded primary name → ent_num; "" when two entries share it
	idOwner map[armstrace.Identifier]idHolder // identifier → the entry that holds it
	links   []link

	warnings   []string
	unresolved map[string]bool

	pending []ingest.Row // rows emitted at EOF: the Linked To claims
	done    bool
}

type idHolder struct {
	ent  string
	line int
}

type alt struct {
	typ, name, remarks string
}

type address struct {
	address, city, country, remarks string
}

// link is a "Linked To:" remark waiting for every primary name.
type link struct {
	ent  string
	line int
	text string
}

func open(r io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	return openWith(r, env, func(path string) (io.ReadCloser, error) { return os.Open(path) })
}

// openWith is open with the sibling files read through openFile, so that
// tests can hand them over from memory.
func openWith(r io.Reader, env *ingest.Env, openFile func(path string) (io.ReadCloser, error)) (ingest.Reader, ingest.Dataset, error) {
	if env == nil || env.States == nil {
		return nil, ingest.Dataset{}, errors.New("ofac: the environment has no states table")
	}
	us, ok := env.States.ByName(usStateName)
	if !ok {
		return nil, ingest.Dataset{}, errors.New("ofac: the states table lacks the United States")
	}
	rd := &reader{
		env:        env,
		us:         us,
		seen:       map[string]int{},
		names:      map[string]string{},
		idOwner:    map[armstrace.Identifier]idHolder{},
		unresolved: map[string]bool{},
		alts:       map[string][]alt{},
		adds:       map[string][]address{},
		comments:   map[string]string{},
	}
	rd.cr = newCSV(r)
	base := filepath.Base(env.File)
	if strings.Contains(strings.ToLower(base), "cons") {
		rd.list = listCons
	}
	// Read the first record now, so that a file in another layout (one
	// of the sibling files, say) is refused before anything is written.
	for {
		rec, line, err := readRecord(rd.cr)
		if err == io.EOF {
			return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINVALID, Message: "the file holds no entries: is this OFAC's sdn.csv or cons_prim.csv?"}
		}
		if err != nil {
			return nil, ingest.Dataset{}, err
		}
		if rec == nil {
			continue
		}
		if len(rec) != mainColumns {
			return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINVALID, Line: line, Message: fmt.Sprintf("the first row has %d cells, but OFAC's sdn.csv and cons_prim.csv have %d (alt.csv has 5, add.csv 6, comments 2): give the main file", len(rec), mainColumns)}
		}
		rd.first, rd.line0 = append([]string(nil), rec...), line
		break
	}
	if err := rd.loadSiblings(env.File, openFile); err != nil {
		return nil, ingest.Dataset{}, err
	}
	ds := ingest.Dataset{
		Name:      "OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
		Publisher: "U.S. Department of the Treasury, Office of Foreign Assets Control",
		URL:       "https://www.treasury.gov/ofac/downloads/sdn.csv",
		License:   "US Government work, public domain",
	}
	if rd.list == listCons {
		ds.Name = "OFAC Consolidated Sanctions List (non-SDN)"
		ds.URL = "https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv"
	}
	return rd, ds, nil
}

// newCSV returns a reader of OFAC's CSV: UTF-8 or Windows-1252 text,
// ragged rows allowed (they are checked one by one), quotes read leniently,
// at most ingest.DefaultMaxRecordBytes a row.
func newCSV(r io.Reader) *ingest.CSVReader {
	return ingest.NewCSVReader(r, 0)
}

// readRecord reads one record. It returns a nil record for a blank line or
// the DOS end-of-file mark (0x1A) OFAC's files end with, and an EINVALID
// error for a row too long to read, and for a row that ends inside a
// quoted cell at the end of the file: a file cut short, whose last remark
// would otherwise be taken as whole.
func readRecord(cr *ingest.CSVReader) ([]string, int, error) {
	rec, info, err := cr.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		var ae *armstrace.Error
		if errors.As(err, &ae) && ae.Code == armstrace.EINVALID {
			return nil, ae.Line, err
		}
		return nil, 0, err
	}
	lines := ""
	if info.EndLine > info.Line {
		lines = fmt.Sprintf(" (lines %d–%d)", info.Line, info.EndLine)
	}
	switch {
	case info.TooLong:
		return nil, info.Line, &armstrace.Error{Code: armstrace.EINVALID, Line: info.Line, Message: fmt.Sprintf("the row is longer than %d MB%s, more than any OFAC row: left out", ingest.DefaultMaxRecordBytes>>20, lines)}
	case info.Unclosed:
		return nil, info.Line, &armstrace.Error{Code: armstrace.EINVALID, Line: info.Line, Message: fmt.Sprintf("the row ends inside a quoted cell at the end of the file%s: the file looks cut short (or a closing quote is missing)", lines)}
	}
	if len(rec) == 1 && strings.Trim(rec[0], " \t\r\n\x1a") == "" {
		return nil, info.Line, nil
	}
	return rec, info.Line, nil
}

// cell returns a cell trimmed, "" for OFAC's empty mark "-0-" (written
// "-0- " in the files, and cut to "-0" at the end of a truncated one).
func cell(s string) string {
	s = strings.TrimSpace(s)
	if s == "-0-" || s == "-0" {
		return ""
	}
	return s
}

// Warnings returns what the reader noticed but did not refuse: sibling
// files not found, rows of them that name no entry, identifiers shared by
// two entries, Linked To names that name no entry. In the order met.
func (rd *reader) Warnings() []string { return rd.warnings }

// Unresolved returns the country names of addresses and vessel flags that
// the states table does not resolve, sorted.
func (rd *reader) Unresolved() []string {
	return ingest.Sorted(rd.unresolved)
}

func (rd *reader) warnf(format string, args ...any) {
	rd.warnings = append(rd.warnings, fmt.Sprintf(format, args...))
}

// Next returns the next entry, then the Linked To claims, then io.EOF.
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
		var rec []string
		var line int
		if rd.first != nil {
			rec, line = rd.first, rd.line0
			rd.first = nil
		} else {
			var err error
			rec, line, err = readRecord(rd.cr)
			if err == io.EOF {
				rd.finish()
				continue
			}
			if err != nil {
				if armstrace.ErrorCode(err) == armstrace.EINVALID {
					rd.rows++
				}
				return ingest.Row{}, err
			}
			if rec == nil {
				continue
			}
		}
		rd.rows++
		return rd.entry(rec, line)
	}
}

// finish resolves the Linked To remarks into claims and reports what the
// sibling files held for entries the main file lacks.
func (rd *reader) finish() {
	rd.done = true
	for _, l := range rd.links {
		target, ok, ambiguous := rd.lookup(l.text)
		switch {
		case ambiguous:
			rd.warnf("entry %s (line %d): \"Linked To: %s\" names more than one entry of this list; kept in its remarks only", l.ent, l.line, l.text)
			continue
		case !ok:
			rd.warnf("entry %s (line %d): \"Linked To: %s\" names no entry of this list by primary name; kept in its remarks only", l.ent, l.line, l.text)
			continue
		case target == l.ent:
			continue
		}
		c := &armstrace.Claim{
			ID:         "ofac:" + l.ent + ":linked:" + target,
			Kind:       armstrace.ClaimControls,
			Subject:    "ofac:" + target,
			Object:     "ofac:" + l.ent,
			Status:     armstrace.StatusAlleged,
			Confidence: 0.5,
			Notes:      fmt.Sprintf("OFAC: 'Linked To': entry %s is listed as \"Linked To: %s\". OFAC does not say how (owned, controlled, acting for or on behalf of, or supporting); read here as the linked party controlling the entry.", l.ent, l.text),
			Citations:  []armstrace.Citation{rd.env.Cite(fmt.Sprintf("ent_num %s, line %d", l.ent, l.line))},
		}
		rd.pending = append(rd.pending, ingest.Row{Line: l.line, Ops: []ingest.Op{{Mode: ingest.Put, Record: c}}})
	}
	rd.links = nil
	orphans := func(what string, keys []string) {
		if len(keys) == 0 {
			return
		}
		sort.Slice(keys, func(i, j int) bool { return entLess(keys[i], keys[j]) })
		shown := keys
		if len(shown) > 20 {
			shown = shown[:20]
		}
		more := ""
		if len(keys) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(keys)-len(shown))
		}
		rd.warnf("%s name %d ent_num(s) that the main file lacks, not imported: %s%s", what, len(keys), strings.Join(shown, ", "), more)
	}
	var ks []string
	for k := range rd.alts {
		ks = append(ks, k)
	}
	orphans("alias rows (alt)", ks)
	ks = nil
	for k := range rd.adds {
		ks = append(ks, k)
	}
	orphans("address rows (add)", ks)
	ks = nil
	for k := range rd.comments {
		ks = append(ks, k)
	}
	orphans("remarks continuation rows (comments)", ks)
}

// entLess orders ent_nums as numbers.
func entLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// nameKey folds a primary name for Linked To lookups: upper case, single
// spaces, no final full stop.
func nameKey(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), " "))
}

func (rd *reader) lookup(text string) (ent string, ok, ambiguous bool) {
	for _, k := range []string{nameKey(text), nameKey(strings.TrimSuffix(strings.TrimSpace(text), "."))} {
		if e, found := rd.names[k]; found {
			if e == "" {
				return "", false, true
			}
			return e, true, false
		}
	}
	return "", false, false
}

// resolveCountry returns the ISO code of a country as OFAC writes it
// ("Russia", "Korea, North", "Bahamas, The"), or "" and records the name
// as unresolved.
func (rd *reader) resolveCountry(name string) string {
	if name == "" {
		return ""
	}
	c := rd.countryCode(name)
	if c == "" {
		rd.unresolved[name] = true
	}
	return c
}

// countryCode is resolveCountry without the record of failures.
func (rd *reader) countryCode(name string) string {
	if s, ok := rd.env.States.ByName(name); ok && s.ISO2 != "" {
		return s.ISO2
	}
	// OFAC inverts some names: "Korea, North", "Congo, Republic of the".
	if head, tail, ok := strings.Cut(name, ", "); ok {
		if s, ok := rd.env.States.ByName(tail + " " + head); ok && s.ISO2 != "" {
			return s.ISO2
		}
	}
	return ""
}

// entryError is an EINVALID error about a cell of a row.
func entryError(line, col int, format string, args ...any) *armstrace.Error {
	return &armstrace.Error{Code: armstrace.EINVALID, Line: line, Field: mainNames[col], Message: fmt.Sprintf(format, args...)}
}

func (rd *reader) entry(rec []string, line int) (ingest.Row, error) {
	if len(rec) != mainColumns {
		return ingest.Row{}, &armstrace.Error{Code: armstrace.EINVALID, Line: line, Message: fmt.Sprintf("the row has %d cells, but OFAC's layout has %d", len(rec), mainColumns)}
	}
	ent := cell(rec[colEntNum])
	if n, err := strconv.Atoi(ent); err != nil || n <= 0 || strconv.Itoa(n) != ent {
		return ingest.Row{}, entryError(line, colEntNum, "%q is not an entry number", ent)
	}
	if prev, dup := rd.seen[ent]; dup {
		return ingest.Row{}, entryError(line, colEntNum, "entry %s is listed twice (first on line %d)", ent, prev)
	}
	name := cell(rec[colName])
	if name == "" {
		return ingest.Row{}, entryError(line, colName, "required, but empty")
	}
	typ := strings.ToLower(cell(rec[colType]))
	kind := armstrace.EntityCompany
	switch typ {
	case "", "entity":
	case "individual":
		kind = armstrace.EntityPerson
	case "vessel", "aircraft":
		// armstrace has no aircraft kind; an aircraft is a craft that
		// carries cargo under a flag and an operator, as a vessel does.
		kind = armstrace.EntityVessel
	default:
		return ingest.Row{}, entryError(line, colType, "%q is not an OFAC entry type (individual, vessel, aircraft, or empty for an entity)", cell(rec[colType]))
	}
	remarks := rec[colRemarks]
	if cont, ok := rd.comments[ent]; ok {
		// OFAC cuts long remarks and continues them in the comments
		// file, mid-word: join the two as they are.
		if strings.TrimSpace(remarks) == "-0-" {
			remarks = ""
		}
		remarks += cont
	}
	remarks = cell(remarks)
	programs := splitPrograms(cell(rec[colProgram]))
	id := "ofac:" + ent
	cite := rd.env.Cite(fmt.Sprintf("ent_num %s, line %d", ent, line))

	e := &armstrace.Entity{ID: id, Kind: kind, Name: name, Citations: []armstrace.Citation{cite}}
	var desc []string
	listName := "OFAC SDN List"
	if rd.list == listCons {
		listName = "OFAC Consolidated (non-SDN) List"
	}
	head := fmt.Sprintf("%s entry %s", listName, ent)
	if typ == "aircraft" {
		head += ", an aircraft"
	}
	if len(programs) > 0 {
		head += " (programs " + strings.Join(programs, ", ") + ")"
	}
	desc = append(desc, head+".")
	if t := cell(rec[colTitle]); t != "" {
		desc = append(desc, "Title: "+t)
	}
	var vessel []string
	for _, c := range []struct {
		col   int
		label string
	}{{colCallSign, "call sign"}, {colVessType, "type"}, {colTonnage, "tonnage"}, {colGRT, "GRT"}, {colVessFlag, "flag"}, {colVessOwner, "owner"}} {
		if v := cell(rec[c.col]); v != "" {
			vessel = append(vessel, c.label+" "+v)
		}
	}
	if len(vessel) > 0 {
		desc = append(desc, "Vessel: "+strings.Join(vessel, "; "))
	}

	// Country: a vessel's flag, else the first address that resolves.
	if kind == armstrace.EntityVessel {
		e.Country = rd.resolveCountry(cell(rec[colVessFlag]))
	}
	for _, a := range rd.adds[ent] {
		c := rd.resolveCountry(a.country)
		if e.Country == "" {
			e.Country = c
		}
		var parts []string
		for _, p := range []string{a.address, a.city, a.country} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) == 0 {
			continue
		}
		s := "Address: " + strings.Join(parts, ", ")
		if a.remarks != "" {
			s += " (" + a.remarks + ")"
		}
		desc = append(desc, s)
	}
	for _, a := range rd.alts[ent] {
		n := armstrace.Name{Value: a.name, Kind: armstrace.NameAlias}
		if a.typ == "fka" {
			n.Kind = armstrace.NameFormer
		}
		e.Aliases = append(e.Aliases, n)
		if a.remarks != "" {
			desc = append(desc, fmt.Sprintf("Alias %s (%s): %s", a.name, a.typ, a.remarks))
		}
	}
	if remarks != "" {
		desc = append(desc, "Remarks: "+remarks)
	}

	// Identifiers, from the remarks. A value another entry of this file
	// already holds stays with that entry: the store keeps one entity per
	// identifier.
	rm := parseRemarks(remarks, e.Country, rd.countryCode)
	ids := append([]armstrace.Identifier{{Scheme: "ofac-ent", Value: ent}}, rm.ids...)
	if kind != armstrace.EntityVessel || typ == "aircraft" {
		// Only ships have IMO ship numbers.
		ids = dropScheme(ids, "imo")
	}
	have := map[armstrace.Identifier]bool{}
	var dropped []string
	for _, x := range ids {
		if have[x] {
			continue
		}
		if h, taken := rd.idOwner[x]; taken && h.ent != ent {
			dropped = append(dropped, fmt.Sprintf("%s %s (also listed for entry %s, line %d, which keeps it)", x.Scheme, x.Value, h.ent, h.line))
			continue
		}
		have[x] = true
		e.Identifiers = append(e.Identifiers, x)
	}
	for _, d := range dropped {
		desc = append(desc, "Identifier not attached: "+d+".")
	}
	e.Description = strings.Join(desc, "\n")

	c := &armstrace.Claim{
		ID:         "ofac:" + ent + ":sanction",
		Kind:       armstrace.ClaimSanctioned,
		Subject:    rd.us.ID,
		Object:     id,
		Status:     armstrace.StatusVerified,
		Confidence: 0.95,
		Attrs: armstrace.ClaimAttrs{Sanction: &armstrace.Sanction{
			Programs:    programs,
			LegalBasis:  strings.Join(rm.legal, "; "),
			Listed:      rm.listed,
			ListEntryID: ent,
		}},
		Notes:     "Listed on the " + listName + ".",
		Citations: []armstrace.Citation{cite},
	}
	if rd.list == listCons {
		// An entry may stand on both lists at once: each list's listing
		// is its own claim.
		c.ID += "-cons"
	}

	var ops []ingest.Op
	if !rd.usEmitted {
		ops = append(ops, ingest.Op{Mode: ingest.Merge, Record: rd.us.Entity()})
	}
	// The entry's entity is merged, not put: an entry on both the SDN and
	// the consolidated list is one entity, and each list adds its names,
	// identifiers and citation without undoing the other's. Each list's
	// sanction claim is its own, and put.
	ops = append(ops, ingest.Op{Mode: ingest.Merge, Record: e}, ingest.Op{Mode: ingest.Put, Record: c})
	for _, op := range ops {
		if err := op.Record.Validate(); err != nil {
			var ae *armstrace.Error
			field := ""
			if errors.As(err, &ae) {
				field = ae.Field
			}
			return ingest.Row{}, &armstrace.Error{Code: armstrace.EINVALID, Line: line, Field: field, Message: fmt.Sprintf("entry %s makes an invalid %s: %s", ent, op.Record.RecordType(), armstrace.ErrorMessage(err))}
		}
	}

	// The row is good: remember what later rows and the end need.
	rd.usEmitted = true
	rd.seen[ent] = line
	delete(rd.alts, ent)
	delete(rd.adds, ent)
	delete(rd.comments, ent)
	k := nameKey(name)
	if prev, dup := rd.names[k]; dup && prev != ent {
		rd.names[k] = ""
	} else {
		rd.names[k] = ent
	}
	for _, x := range e.Identifiers {
		if _, taken := rd.idOwner[x]; !taken {
			rd.idOwner[x] = idHolder{ent: ent, line: line}
		}
	}
	for _, d := range dropped {
		rd.warnf("entry %s (line %d): identifier %s", ent, line, d)
	}
	seenLink := map[string]bool{}
	for _, l := range rm.links {
		if !seenLink[l] {
			seenLink[l] = true
			rd.links = append(rd.links, link{ent: ent, line: line, text: l})
		}
	}
	return ingest.Row{Line: line, Ops: ops}, nil
}

func dropScheme(ids []armstrace.Identifier, scheme string) []armstrace.Identifier {
	out := ids[:0]
	for _, x := range ids {
		if x.Scheme != scheme {
			out = append(out, x)
		}
	}
	return out
}

// splitPrograms splits "SYRIA] [UKRAINE-EO13662" (the CSV keeps the
// brackets between programs, not around them) into its programs.
func splitPrograms(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.Split(s, "]") {
		p = strings.TrimSpace(strings.Trim(strings.TrimSpace(p), "[]"))
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// loadSiblings reads alt, add and comments files beside the main file.
func (rd *reader) loadSiblings(path string, openFile func(string) (io.ReadCloser, error)) error {
	if path == "" || path == "-" {
		rd.warnf("the list was read from standard input, so its alt, add and comments files cannot be found: entries have no aliases, addresses or remark continuations")
		return nil
	}
	sib, ok := siblings(path)
	if !ok {
		rd.warnf("%s is not named like OFAC's sdn.csv or cons_prim.csv, so its alt, add and comments files cannot be found: entries have no aliases, addresses or remark continuations", filepath.Base(path))
		return nil
	}
	load := func(p, what string, cols int, fn func(rec []string, line int) error) error {
		f, err := openFile(p)
		if errors.Is(err, os.ErrNotExist) {
			rd.warnf("%s not found beside %s: entries have no %s", filepath.Base(p), filepath.Base(path), what)
			return nil
		}
		if err != nil {
			return fmt.Errorf("ofac: %w", err)
		}
		defer f.Close()
		cr := newCSV(f)
		bad := 0
		for {
			rec, line, err := readRecord(cr)
			if err == io.EOF {
				break
			}
			var ae *armstrace.Error
			if errors.As(err, &ae) {
				rd.warnf("%s line %d: %s; skipped", filepath.Base(p), line, ae.Message)
				bad++
				continue
			}
			if err != nil {
				return fmt.Errorf("ofac: reading %s: %w", filepath.Base(p), err)
			}
			if rec == nil {
				continue
			}
			if len(rec) != cols {
				rd.warnf("%s line %d: %d cells, want %d; skipped", filepath.Base(p), line, len(rec), cols)
				continue
			}
			if err := fn(rec, line); err != nil {
				rd.warnf("%s line %d: %v; skipped", filepath.Base(p), line, err)
			}
		}
		return nil
	}
	entOf := func(s string) (string, error) {
		ent := cell(s)
		if n, err := strconv.Atoi(ent); err != nil || n <= 0 || strconv.Itoa(n) != ent {
			return "", fmt.Errorf("ent_num %q is not an entry number", ent)
		}
		return ent, nil
	}
	if err := load(sib.alt, "aliases", 5, func(rec []string, line int) error {
		ent, err := entOf(rec[0])
		if err != nil {
			return err
		}
		a := alt{typ: strings.ToLower(cell(rec[2])), name: cell(rec[3]), remarks: cell(rec[4])}
		if a.name == "" {
			return errors.New("alt_name is empty")
		}
		switch a.typ {
		case "aka", "fka", "nka":
		default:
			return fmt.Errorf("alt_type %q is not aka, fka or nka", cell(rec[2]))
		}
		rd.alts[ent] = append(rd.alts[ent], a)
		return nil
	}); err != nil {
		return err
	}
	if err := load(sib.add, "addresses", 6, func(rec []string, line int) error {
		ent, err := entOf(rec[0])
		if err != nil {
			return err
		}
		rd.adds[ent] = append(rd.adds[ent], address{address: cell(rec[2]), city: cell(rec[3]), country: cell(rec[4]), remarks: cell(rec[5])})
		return nil
	}); err != nil {
		return err
	}
	return load(sib.comments, "remark continuations", 2, func(rec []string, line int) error {
		ent, err := entOf(rec[0])
		if err != nil {
			return err
		}
		if strings.TrimSpace(rec[1]) == "-0-" {
			return nil
		}
		rd.comments[ent] += rec[1]
		return nil
	})
}

type siblingPaths struct{ alt, add, comments string }

// siblings derives the names of the alt, add and comments files from the
// main file's: sdn.csv → alt.csv, add.csv, sdn_comments.csv;
// sdn_2019_sdn.csv → sdn_2019_alt.csv, …; cons_prim.csv → cons_alt.csv,
// cons_add.csv, cons_comments.csv. An upper-case name (SDN.CSV) gives
// upper-case siblings.
func siblings(path string) (siblingPaths, bool) {
	dir, base := filepath.Split(path)
	lower := strings.ToLower(base)
	var suffix string
	var alt, add, comments string
	switch {
	case strings.HasSuffix(lower, "cons_prim.csv"):
		suffix, alt, add, comments = "prim.csv", "alt.csv", "add.csv", "comments.csv"
	case lower == "sdn.csv", strings.HasSuffix(lower, "_sdn.csv"):
		suffix, alt, add, comments = "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"
	default:
		return siblingPaths{}, false
	}
	prefix, tail := base[:len(base)-len(suffix)], base[len(base)-len(suffix):]
	name := func(s string) string {
		if tail == strings.ToUpper(tail) {
			s = strings.ToUpper(s)
		}
		return filepath.Join(dir, prefix+s)
	}
	return siblingPaths{alt: name(alt), add: name(add), comments: name(comments)}, true
}

// RowsRead returns the entry rows of the main file read, bad ones
// included, as the rows read that an import run reports, of which the
// rejected ones are a part; the rows after them are the "Linked To"
// claims, which come from entries already counted.
func (rd *reader) RowsRead() int { return rd.rows }
