// Package usaspending reads USAspending.gov (FPDS) prime-award transaction
// downloads for contracts: one row per transaction (the base award and
// each modification), with the columns USAspending writes
// (contract_transaction_unique_key, contract_award_unique_key,
// award_id_piid, modification_number, federal_action_obligation,
// action_date, awarding_sub_agency_name, recipient_uei, recipient_name, …).
//
// One award is one contracted claim, from the awarding agency to the
// vendor, so the reader holds the file's transactions grouped by
// contract_award_unique_key and writes the awards at the end, sorted by
// that key. What it decides, and why:
//
//   - The award's value is the sum of federal_action_obligation over its
//     transactions. total_dollars_obligated, current_total_value_of_award
//     and potential_total_value_of_award are running or award-level totals
//     repeated on every transaction row: adding them up across
//     modifications counts the same money again, so they are never summed
//     (nor used).
//   - A transaction is counted once. The same contract_transaction_unique_key
//     (or, where a file lacks that column, the same award, modification and
//     transaction number) on a second row with the same obligation and date
//     is a duplicate row: it is left out and the claim's notes say so. With
//     a different obligation or date it is a conflict: the later row is a
//     bad row, and so the award is left out (below).
//   - An award is imported with all of its transactions or not at all: a
//     claim summing only the good ones would state a wrong value. A bad
//     row is an EINVALID error at its line, as it is read, and marks the
//     award its contract_award_unique_key names (when it names one). At
//     the end such an award gives no claim; instead, in its place in key
//     order, each of its other lines (duplicates too) is an EINVALID error
//     of its own, field contract_award_unique_key, "left out with its
//     award X, whose line N is bad", so that an import that skips bad
//     rows rejects every line of the award and its reject file holds them
//     all. An award whose records do not validate is left out the same
//     way: the error at its first line, the others left out with it.
//   - The agency is the awarding sub-agency (the Department of the Army,
//     not the Department of Defense), "usaspending-agency:<slug>", and the
//     vendor "usaspending-vendor:<UEI>" (or DUNS, or the slug of its name
//     when the row has neither), each written with Merge once per import.
//     Award-level facts (agency, office, vendor, description) come from the
//     base transaction (modification 0), or from the earliest one when the
//     file lacks the base.
//   - An official record of an obligation: status verified, confidence 0.9.
package usaspending

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// Format reads a USAspending contract transaction download.
var Format = ingest.Format{
	Name:    "usaspending",
	Summary: "USAspending/FPDS contract prime-award transactions (CSV): one contracted claim per award, obligations summed per transaction",
	Open:    open,
}

var required = []string{"contract_award_unique_key", "federal_action_obligation", "action_date", "recipient_name"}

// tx is one transaction row, as much of it as the claim needs.
type tx struct {
	line        int
	key         string // dedup key
	mod         string
	txNum       string
	date        armstrace.Date
	end         armstrace.Date
	obligation  float64
	description string
	agency      string
	agencyTop   string
	office      string
	funding     string
	piid        string
	parentPIID  string
	vendor      vendor
}

type vendor struct {
	uei, duns, cage, name, country, countryRaw, parent string
}

type award struct {
	key        string
	txs        []*tx
	byKey      map[string]*tx
	duplicates []int // lines of rows left out as duplicates
	bad        []int // lines of bad rows: the award is then left out
}

type reader struct {
	env        *ingest.Env
	t          *ingest.Table
	awards     map[string]*award
	order      []string // award keys, sorted at EOF
	next       int
	read       bool
	leftOut    []*armstrace.Error // errors of the lines of an award left out, to return
	emitted    map[string]bool
	unresolved map[string]bool
}

// Unresolved returns the recipient country codes and names that the
// states table did not resolve, sorted.
func (r *reader) Unresolved() []string {
	return ingest.Sorted(r.unresolved)
}

func open(in io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	t, err := ingest.NewTable(in, ingest.TableOptions{IsHeader: ingest.HeaderHas("contract_award_unique_key"), MaxPreamble: 5})
	if err != nil {
		return nil, ingest.Dataset{}, err
	}
	if err := t.Require(required...); err != nil {
		return nil, ingest.Dataset{}, err
	}
	if !t.Has("awarding_sub_agency_name") && !t.Has("awarding_agency_name") {
		return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINVALID, Line: t.HeaderLine(), Field: "awarding_sub_agency_name",
			Message: "the header lacks both awarding_sub_agency_name and awarding_agency_name: is this the right format?"}
	}
	if env == nil || env.States == nil {
		return nil, ingest.Dataset{}, &armstrace.Error{Code: armstrace.EINTERNAL, Message: "usaspending: no states table in the environment"}
	}
	r := &reader{env: env, t: t, awards: map[string]*award{}, emitted: map[string]bool{}, unresolved: map[string]bool{}}
	return r, ingest.Dataset{
		Name:      "USAspending.gov: contract prime award transactions (FPDS)",
		Publisher: "U.S. Department of the Treasury, Bureau of the Fiscal Service (USAspending.gov)",
		URL:       "https://www.usaspending.gov/",
		License:   "U.S. Government work: public domain",
	}, nil
}

// Next reports bad transaction rows as it reads them, then returns one row
// per award, in the order of their keys; for an award left out, an
// EINVALID error for each of its lines not reported yet.
func (r *reader) Next() (ingest.Row, error) {
	for !r.read {
		c, err := r.t.Next()
		if err == io.EOF {
			r.read = true
			for k := range r.awards {
				r.order = append(r.order, k)
			}
			sort.Strings(r.order)
			break
		}
		if err != nil {
			return ingest.Row{}, err
		}
		if err := r.add(c); err != nil {
			return ingest.Row{}, err
		}
	}
	for {
		if len(r.leftOut) > 0 {
			err := r.leftOut[0]
			r.leftOut = r.leftOut[1:]
			return ingest.Row{Line: err.Line}, err
		}
		if r.next >= len(r.order) {
			return ingest.Row{}, io.EOF
		}
		a := r.awards[r.order[r.next]]
		delete(r.awards, r.order[r.next])
		r.next++
		if len(a.bad) > 0 {
			r.leftOut = leaveOut(a, "", 0)
			continue
		}
		row, err := r.emit(a)
		if err != nil {
			// Nothing of the award is written: its other lines are left
			// out with it.
			line := a.txs[0].line
			var ae *armstrace.Error
			if errors.As(err, &ae) && ae.Line > 0 {
				line = ae.Line
			}
			r.leftOut = leaveOut(a, fmt.Sprintf(", whose records do not validate (see line %d)", line), line)
			return ingest.Row{Line: line}, err
		}
		return row, nil
	}
}

// leaveOut reports each line of an award left out whole (see ingest.Group).
func leaveOut(a *award, why string, skip int) []*armstrace.Error {
	var lines []int
	for _, x := range a.txs {
		lines = append(lines, x.line)
	}
	lines = append(lines, a.duplicates...)
	return ingest.Group{What: "award", ID: a.key, Field: "contract_award_unique_key", Whole: "an award is imported with all of its transactions or not at all", Lines: lines, Bad: a.bad}.LeaveOut(why, skip)
}

// add reads one transaction row into its award. A bad row marks the award
// its key names, if any, so that the award is left out whole.
func (r *reader) add(c *ingest.Cells) error {
	key := str(c, "contract_award_unique_key")
	err := r.addTx(c, key)
	if err != nil && key != "" {
		a := r.awards[key]
		if a == nil {
			a = &award{key: key, byKey: map[string]*tx{}}
			r.awards[key] = a
		}
		a.bad = append(a.bad, c.Line)
	}
	return err
}

func (r *reader) addTx(c *ingest.Cells, key string) error {
	if err := c.Err(); err != nil {
		return err
	}
	if key == "" {
		c.Fail("contract_award_unique_key", "required, but empty")
	}
	x := &tx{
		line:        c.Line,
		mod:         str(c, "modification_number"),
		txNum:       str(c, "transaction_number"),
		date:        c.Date("action_date"),
		end:         c.Date("period_of_performance_current_end_date"),
		description: str(c, "transaction_description"),
		agency:      str(c, "awarding_sub_agency_name"),
		agencyTop:   str(c, "awarding_agency_name"),
		office:      str(c, "awarding_office_name"),
		funding:     str(c, "funding_agency_name"),
		piid:        str(c, "award_id_piid"),
		parentPIID:  str(c, "parent_award_id_piid"),
		vendor: vendor{
			uei:        str(c, "recipient_uei"),
			duns:       str(c, "recipient_duns"),
			cage:       str(c, "cage_code"),
			name:       str(c, "recipient_name"),
			countryRaw: str(c, "recipient_country_code"),
			parent:     str(c, "recipient_parent_name"),
		},
	}
	if x.office == "" {
		x.office = str(c, "awarding_office_code")
	}
	if x.mod == "" {
		x.mod = "0"
	}
	if c.Str("action_date") == "" {
		c.Fail("action_date", "required, but empty")
	}
	ob := c.Float("federal_action_obligation")
	if ob == nil {
		c.Fail("federal_action_obligation", "required, but empty")
	} else if math.Abs(*ob) > 1e15 {
		c.Fail("federal_action_obligation", "%v is not a plausible obligation", *ob)
	} else {
		x.obligation = *ob
	}
	if x.agency == "" && x.agencyTop == "" {
		c.Fail("awarding_sub_agency_name", "required, but empty (and so is awarding_agency_name)")
	}
	if x.vendor.name == "" && c.Err() == nil {
		c.Fail("recipient_name", "required, but empty")
	}
	if err := c.Err(); err != nil {
		return err
	}
	x.vendor.country = r.country(x.vendor.countryRaw, str(c, "recipient_country_name"))
	x.key = str(c, "contract_transaction_unique_key")
	if x.key == "" {
		x.key = x.mod + "\x00" + x.txNum
	}
	a := r.awards[key]
	if a == nil {
		a = &award{key: key, byKey: map[string]*tx{}}
		r.awards[key] = a
	}
	if prev, dup := a.byKey[x.key]; dup {
		if prev.obligation == x.obligation && prev.date == x.date {
			a.duplicates = append(a.duplicates, x.line)
			return nil
		}
		c.Fail("federal_action_obligation", "the transaction of line %d (modification %s) appears again with obligation %v on %s instead of %v on %s: which is right cannot be told",
			prev.line, prev.mod, x.obligation, x.date, prev.obligation, prev.date)
		return c.Err()
	}
	a.byKey[x.key] = x
	a.txs = append(a.txs, x)
	return nil
}

// country resolves a recipient country code (ISO3 as USAspending writes
// it, or ISO2) or name to ISO 3166 alpha-2.
func (r *reader) country(code, name string) string {
	if code == "" && name == "" {
		return ""
	}
	for _, s := range []string{code, name} {
		if s == "" {
			continue
		}
		if st, ok := r.env.States.ByName(s); ok && st.ISO2 != "" {
			return st.ISO2
		}
	}
	if len(code) == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' {
		return code // a valid alpha-2 code the curated table lacks
	}
	if code != "" {
		r.unresolved[code] = true
	} else {
		r.unresolved[name] = true
	}
	return ""
}

func (r *reader) emit(a *award) (ingest.Row, error) {
	sort.SliceStable(a.txs, func(i, j int) bool {
		x, y := a.txs[i], a.txs[j]
		if x.date != y.date {
			return x.date < y.date
		}
		if (x.mod == "0") != (y.mod == "0") {
			return x.mod == "0"
		}
		if x.mod != y.mod {
			return x.mod < y.mod
		}
		return x.line < y.line
	})
	lead := a.txs[0]
	hasBase := false
	for _, x := range a.txs {
		if x.mod == "0" {
			lead, hasBase = x, true
			break
		}
	}
	first, last := a.txs[0].line, a.txs[0].line
	for _, x := range a.txs {
		first, last = min(first, x.line), max(last, x.line)
	}
	for _, l := range a.duplicates {
		last = max(last, l)
	}

	agencyName := lead.agency
	if agencyName == "" {
		agencyName = lead.agencyTop
	}
	ag := &armstrace.Entity{
		ID:      clipID("usaspending-agency:", ingest.Slug(agencyName), agencyName),
		Kind:    armstrace.EntityAgency,
		Name:    agencyName,
		Country: "US",
	}
	if lead.agency != "" && lead.agencyTop != "" && lead.agency != lead.agencyTop {
		ag.Description = "U.S. federal awarding sub-agency of the " + lead.agencyTop
	}
	vd := lead.vendor
	ven := &armstrace.Entity{Kind: armstrace.EntityCompany, Name: vd.name, Country: vd.country}
	switch {
	case vd.uei != "" && armstrace.ValidID("usaspending-vendor:"+vd.uei):
		ven.ID = "usaspending-vendor:" + vd.uei
	case vd.duns != "" && armstrace.ValidID("usaspending-vendor:"+vd.duns):
		ven.ID = "usaspending-vendor:" + vd.duns
	default:
		ven.ID = clipID("usaspending-vendor:", ingest.Slug(vd.name), vd.name)
	}
	for _, id := range []armstrace.Identifier{{Scheme: "us-uei", Value: vd.uei}, {Scheme: "duns", Value: vd.duns}, {Scheme: "us-cage", Value: vd.cage}} {
		if id.Value != "" {
			ven.Identifiers = append(ven.Identifiers, id)
		}
	}
	if vd.parent != "" && vd.parent != vd.name {
		ven.Description = "Parent as USAspending records it: " + vd.parent
	}

	locator := fmt.Sprintf("award %s, lines %d–%d", a.key, first, last)
	mods := 0
	for _, x := range a.txs {
		if x.mod != "0" {
			mods++
		}
	}
	switch {
	case hasBase && mods == 1:
		locator += "; base award and 1 modification"
	case hasBase:
		locator += fmt.Sprintf("; base award and %d modifications", mods)
	case mods == 1:
		locator += "; 1 modification (no base award in the file)"
	default:
		locator += fmt.Sprintf("; %d modifications (no base award in the file)", mods)
	}
	if n := len(a.duplicates); n > 0 {
		locator += fmt.Sprintf("; %d duplicate row(s) counted once", n)
	}
	cite := r.env.Cite(locator)
	ag.Citations = []armstrace.Citation{cite}
	ven.Citations = []armstrace.Citation{cite}

	k := &armstrace.Contract{AwardID: lead.piid, Office: lead.office, Signed: a.txs[0].date}
	if hasBase {
		k.Description = lead.description
	}
	var sum float64
	labels := map[string]bool{}
	var validTo armstrace.Date
	var notes []string
	for _, x := range a.txs {
		sum += x.obligation
		label := x.mod
		if labels[label] && x.txNum != "" {
			label = fmt.Sprintf("%s (transaction %s)", x.mod, x.txNum)
		}
		if labels[label] {
			label = fmt.Sprintf("%s (line %d)", x.mod, x.line)
		}
		labels[label] = true
		k.Actions = append(k.Actions, armstrace.ContractAction{Modification: label, Date: x.date, Obligation: x.obligation, Description: x.description})
		if x.end > validTo {
			validTo = x.end
		}
		if x.vendor.name != vd.name && x.vendor.uei != vd.uei {
			notes = append(notes, fmt.Sprintf("Modification %s (line %d) names another recipient: %s.", x.mod, x.line, x.vendor.name))
		}
	}
	k.Value = &armstrace.Range{Best: armstrace.Num(math.Round(sum*100) / 100), Unit: "USD"}
	cl := &armstrace.Claim{
		ID:         clipID("usaspending:", ingest.Slug(a.key), a.key),
		Kind:       armstrace.ClaimContracted,
		Subject:    ag.ID,
		Object:     ven.ID,
		ValidFrom:  a.txs[0].date,
		Status:     armstrace.StatusVerified,
		Confidence: 0.9,
		Attrs:      armstrace.ClaimAttrs{Contract: k},
		Citations:  []armstrace.Citation{cite},
	}
	if validTo != "" && validTo < cl.ValidFrom {
		notes = append(notes, fmt.Sprintf("The period of performance ends (%s) before the first action (%s); valid_to is left open.", validTo, cl.ValidFrom))
	} else {
		cl.ValidTo = validTo
	}
	notes = append(notes, "Value is the sum of federal_action_obligation over the award's transactions in this file.")
	if !hasBase {
		notes = append(notes, "The base award (modification 0) is not in this file: the value covers only the modifications listed.")
	}
	if n := len(a.duplicates); n > 0 {
		ls := make([]string, n)
		for i, l := range a.duplicates {
			ls[i] = fmt.Sprint(l)
		}
		notes = append(notes, fmt.Sprintf("%d duplicate transaction row(s) (line %s) repeated a transaction already read and were counted once.", n, strings.Join(ls, ", ")))
	}
	if lead.parentPIID != "" {
		notes = append(notes, "An order under the indefinite-delivery vehicle "+lead.parentPIID+".")
	}
	if lead.funding != "" && lead.funding != lead.agencyTop && lead.funding != lead.agency {
		notes = append(notes, "Funded by the "+lead.funding+".")
	}
	cl.Notes = strings.Join(notes, " ")

	var ops []ingest.Op
	for _, e := range []*armstrace.Entity{ag, ven} {
		if !r.emitted[e.ID] {
			ops = append(ops, ingest.Op{Mode: ingest.Merge, Record: e})
		}
	}
	ops = append(ops, ingest.Op{Mode: ingest.Put, Record: cl})
	for _, op := range ops {
		op.Record.Normalize()
		if err := op.Record.Validate(); err != nil {
			field := ""
			if ae, ok := err.(*armstrace.Error); ok && ae.Field != "" {
				field = string(op.Record.RecordType()) + "." + ae.Field
			}
			return ingest.Row{}, &armstrace.Error{Code: armstrace.EINVALID, Line: first, Field: field,
				Message: fmt.Sprintf("award %s maps to an invalid %s: %s", a.key, op.Record.RecordType(), armstrace.ErrorMessage(err))}
		}
	}
	for _, e := range []*armstrace.Entity{ag, ven} {
		r.emitted[e.ID] = true
	}
	return ingest.Row{Line: first, Ops: ops}, nil
}

// str returns a cell as clean text.
func str(c *ingest.Cells, col string) string { return clean(c.Str(col)) }

// clean replaces the control characters armstrace's text rule refuses
// with spaces.
func clean(s string) string {
	bad := func(r rune) bool { return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f }
	if !strings.ContainsFunc(s, bad) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return ' '
		}
		return r
	}, s)
}

// clipID returns prefix+slug within the 128-character id limit, the tail
// of a long slug replaced by a digest of the full text; an empty slug
// becomes a digest.
func clipID(prefix, slug, text string) string {
	const max = 128
	d := func() string { h := sha256.Sum256([]byte(text)); return hex.EncodeToString(h[:6]) }
	if slug == "" {
		return prefix + "x-" + d()
	}
	if utf8.RuneCountInString(prefix+slug) <= max {
		return prefix + slug
	}
	keep := max - utf8.RuneCountInString(prefix) - 13
	return prefix + strings.TrimRight(string([]rune(slug)[:keep]), "-") + "-" + d()
}

// RowsRead returns the transactions read; one claim is written per award.
func (r *reader) RowsRead() int { return r.t.Rows() }
