package sipri

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// RegisterFormat reads the SIPRI trade register in either layout, told
// apart by the header: the classic one (one row per deal, "Weapon
// designation", '?' flag columns, Comments) and the 2024+ one (one row per
// deal and delivery year, keyed by "SIPRI AT Database ID").
var RegisterFormat = ingest.Format{
	Name:    "sipri-register",
	Summary: "SIPRI Arms Transfers Database trade register CSV (classic or per-delivery-year layout): one supplied claim per deal",
	Open:    openRegister,
}

// Columns of the classic layout.
const (
	colRecipient   = "Recipient"
	colSupplier    = "Supplier"
	colOrderYear   = "Year of order"
	colOrdered     = "Number ordered"
	colDesignation = "Weapon designation"
	colDescription = "Weapon description"
	colDelivered   = "Number delivered"
	colYears       = "Year(s) of delivery"
	colStatus      = "status"
	colComments    = "Comments"
	colPerUnit     = "SIPRI TIV per unit"
	colTotal       = "SIPRI TIV for total order"
	colTIVDel      = "SIPRI TIV of delivered weapons"
)

// Column of the 2024+ layout that names it.
const colDealID = "SIPRI AT Database ID"

func isRegisterHeader(fields []string) bool {
	var sup, rec, key bool
	for _, f := range fields {
		switch strings.TrimSpace(f) {
		case colSupplier:
			sup = true
		case colRecipient:
			rec = true
		case colDesignation, colDealID:
			key = true
		}
	}
	return sup && rec && key
}

func openRegister(r io.Reader, env *ingest.Env) (ingest.Reader, ingest.Dataset, error) {
	t, err := ingest.NewTable(r, ingest.TableOptions{IsHeader: isRegisterHeader})
	if err != nil {
		return nil, ingest.Dataset{}, err
	}
	pre := readPreamble(t.Preamble())
	ds := ingest.Dataset{
		Name:      "SIPRI Arms Transfers Database: trade register",
		Publisher: publisher,
		Version:   pre.version,
		URL:       url,
		License:   license,
	}
	if t.Has(colDealID) {
		ds.Name += " (one row per deal and delivery year)"
		rd, err := newPerYearReader(t, env, pre)
		if err != nil {
			return nil, ingest.Dataset{}, err
		}
		return rd, ds, nil
	}
	rd, err := newClassicReader(t, env, pre)
	if err != nil {
		return nil, ingest.Dataset{}, err
	}
	return rd, ds, nil
}

// classicFlags are the fields that a '?' in the blank-named column after
// them marks uncertain, in header order, with their names in Transfer.
var classicFlags = []struct{ column, field string }{
	{colOrderYear, "order_year"},
	{colOrdered, "number_ordered"},
	{colDelivered, "number_delivered"},
}

// classicReader reads the classic layout, one deal per row, streaming.
type classicReader struct {
	t       *ingest.Table
	env     *ingest.Env
	pre     preambleInfo
	parties *parties
	seen    map[string]int // deal id → rows that made it, to keep ids unique
	warn    []string
}

func newClassicReader(t *ingest.Table, env *ingest.Env, pre preambleInfo) (*classicReader, error) {
	if err := t.Require(colRecipient, colSupplier, colOrderYear, colOrdered, colDesignation, colDescription,
		colDelivered, colYears, colStatus, colComments, colPerUnit, colTotal, colTIVDel); err != nil {
		return nil, err
	}
	// The flags are read by position (Cells.Blank): check that the n-th
	// blank-named column is the one right after its field.
	h := t.Header()
	var blanks []int
	for i, name := range h {
		if name == "" {
			blanks = append(blanks, i)
		}
	}
	for n, f := range classicFlags {
		at := -1
		for i, name := range h {
			if name == f.column {
				at = i
				break
			}
		}
		if n >= len(blanks) || blanks[n] != at+1 {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, Line: t.HeaderLine(), Field: f.column,
				Message: "the header lacks the blank-named '?' column right after this column: is this SIPRI's classic trade register?"}
		}
	}
	return &classicReader{t: t, env: env, pre: pre, parties: newParties(env), seen: map[string]int{}}, nil
}

// Unresolved returns the supplier and recipient names that are not states
// of the curated table, sorted.
func (r *classicReader) Unresolved() []string { return r.parties.names() }

// Warnings returns what the import should tell about the file.
func (r *classicReader) Warnings() []string { return r.warn }

func flagName(column string) string { return "? after " + column }

// flag reads the n-th '?' column.
func flag(c *ingest.Cells, n int) bool {
	switch v := c.Blank(n); v {
	case "":
		return false
	case "?":
		return true
	default:
		c.Fail(flagName(classicFlags[n].column), "%q is neither '?' nor empty", v)
		return false
	}
}

// parseYears reads "2010; 2011; 2012", sorted and without repeats.
func parseYears(c *ingest.Cells, column string) []int {
	s := c.Str(column)
	if s == "" {
		return nil
	}
	var out []int
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		y, err := strconv.Atoi(part)
		if err != nil || !yearOK(y) {
			c.Fail(column, "%q is not a list of years such as \"2010; 2011\"", s)
			return nil
		}
		out = append(out, y)
	}
	sort.Ints(out)
	uniq := out[:1]
	for _, y := range out[1:] {
		if y != uniq[len(uniq)-1] {
			uniq = append(uniq, y)
		}
	}
	return uniq
}

// year reads a year cell, 0 when empty.
func year(c *ingest.Cells, column string) int {
	y, ok := c.Int(column)
	if !ok {
		return 0
	}
	if !yearOK(y) {
		c.Fail(column, "%d is not a year between %d and %d", y, minYear, maxYear)
		return 0
	}
	return y
}

func numStr(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func (r *classicReader) Next() (ingest.Row, error) {
	c, err := r.t.Next()
	if err != nil {
		return ingest.Row{}, err
	}
	row := ingest.Row{Line: c.Line}
	if err := c.Err(); err != nil {
		return row, err
	}
	checkText(c, r.t.Header())
	recipient := c.Need(colRecipient)
	supplier := c.Need(colSupplier)
	orderYear := year(c, colOrderYear)
	oyFlag := flag(c, 0)
	ordered := nonNegative(c, colOrdered, c.Float(colOrdered))
	orderedFlag := flag(c, 1)
	designation := c.Need(colDesignation)
	description := c.Str(colDescription)
	delivered := nonNegative(c, colDelivered, c.Float(colDelivered))
	deliveredFlag := flag(c, 2)
	years := parseYears(c, colYears)
	status := c.Str(colStatus)
	comments := c.Str(colComments)
	perUnit := nonNegative(c, colPerUnit, c.Float(colPerUnit))
	total := nonNegative(c, colTotal, c.Float(colTotal))
	tivDel := nonNegative(c, colTIVDel, c.Float(colTIVDel))
	if err := c.Err(); err != nil {
		return row, err
	}

	// The classic layout has no deal id: the id is a digest of the fields
	// that tell deals apart. Comments are among them because SIPRI
	// distinguishes some deals only there (the same weapon, year and
	// number, for different platforms).
	base := "sipri-deal:c-" + digest(recipient, supplier, strconv.Itoa(orderYear), designation, numStr(ordered), description, comments)[:16]
	id, repeats := base, r.seen[base]
	if repeats > 0 {
		id = fmt.Sprintf("%s-%d", base, repeats+1)
	}

	cite := r.env.Cite(fmt.Sprintf("line %d: %s; %s; %s; %s", c.Line, recipient, supplier, c.Str(colOrderYear), designation))
	if comments != "" {
		cite.Quote = quote(comments)
	}
	var ops []ingest.Op
	sup, ok := r.parties.resolve(supplier, cite, &ops)
	if !ok {
		c.Fail(colSupplier, "%q has no letters or digits to make an id from", supplier)
	}
	rec, ok := r.parties.resolve(recipient, cite, &ops)
	if !ok {
		c.Fail(colRecipient, "%q has no letters or digits to make an id from", recipient)
	}
	weapon, ok := r.parties.weapon(designation, description, sup, cite, &ops)
	if !ok {
		c.Fail(colDesignation, "%q has no letters or digits to make an id from", designation)
	}
	if err := c.Err(); err != nil {
		r.parties.discard()
		return row, err
	}

	t := &armstrace.Transfer{
		Weapon:          weapon,
		Designation:     designation,
		Description:     description,
		NumberOrdered:   count(ordered, orderedFlag),
		NumberDelivered: count(delivered, deliveredFlag),
		OrderYear:       orderYear,
		DeliveryYears:   years,
		Condition:       condition(status),
		TIVPerUnit:      tiv(perUnit),
		TIVTotal:        tiv(total),
		TIVDelivered:    tivDelivered(tivDel),
		Comments:        comments,
	}
	for _, f := range []struct {
		set, present bool
		name         string
	}{{oyFlag, orderYear != 0, "order_year"}, {orderedFlag, ordered != nil, "number_ordered"}, {deliveredFlag, delivered != nil, "number_delivered"}} {
		if f.set && f.present {
			t.Uncertain = append(t.Uncertain, f.name)
		}
	}
	cl := dealClaim(id, sup, rec, t, cite)
	cl.Notes = claimNotes + r.pre.rangeNote(orderYear)
	ops = append(ops, ingest.Op{Mode: ingest.Put, Record: cl})
	if err := checkOps(c.Line, ops); err != nil {
		r.parties.discard()
		return row, err
	}
	r.parties.commit()
	r.seen[base] = repeats + 1
	if repeats > 0 {
		r.warn = append(r.warn, fmt.Sprintf("line %d repeats the identifying fields of an earlier deal (recipient, supplier, year of order, designation, number ordered, description, comments); imported as %s", c.Line, id))
	}
	row.Ops = ops
	return row, nil
}

// dealClaim makes the supplied claim of a deal, valid from its first
// delivery year to its last, or in its order year when nothing was
// delivered.
func dealClaim(id string, sup, rec party, t *armstrace.Transfer, cite armstrace.Citation) *armstrace.Claim {
	cl := &armstrace.Claim{
		ID:         id,
		Kind:       armstrace.ClaimSupplied,
		Subject:    sup.id,
		Object:     rec.id,
		Status:     armstrace.StatusVerified,
		Confidence: 0.8,
		Attrs:      armstrace.ClaimAttrs{Transfer: t},
		Citations:  []armstrace.Citation{cite},
	}
	if n := len(t.DeliveryYears); n > 0 {
		cl.ValidFrom, cl.ValidTo = yearDate(t.DeliveryYears[0]), yearDate(t.DeliveryYears[n-1])
	} else {
		cl.ValidFrom, cl.ValidTo = yearDate(t.OrderYear), yearDate(t.OrderYear)
	}
	return cl
}

// rangeNote warns that an export limited to a range of years holds only
// the deliveries in it, for a deal ordered before the range began.
func (p preambleInfo) rangeNote(orderYear int) string {
	if p.from == 0 || orderYear == 0 || orderYear >= p.from {
		return ""
	}
	return fmt.Sprintf(" The export covers the years %d to %d: its numbers and years of delivery count deliveries in those years only, so deliveries of this deal before %d are not in it.", p.from, p.to, p.from)
}
