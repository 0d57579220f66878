package sipri

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ingest"
)

// Columns of the 2024+ layout, one row per deal and delivery year.
//
// Per deal (the same on every row of a deal): the id, supplier, recipient,
// designation, description, armament category, order date and its
// estimate flag, status, "SIPRI estimate" (the TIV per unit of a new item
// of the type), "TIV deal unit" (the TIV per unit in this deal, lower for
// second-hand items) and local production.
//
// Per delivery year: "Delivery year" and its estimate flag, "Numbers
// delivered" in that year and its estimate flag, and "TIV delivery values",
// the TIV delivered in that year, which is numbers delivered × TIV deal
// unit. The deal's delivered TIV is the sum of its rows; the layout has no
// column that repeats a deal total on each row.
const (
	pyID          = colDealID
	pySupplier    = "Supplier"
	pyRecipient   = "Recipient"
	pyDesignation = "Designation"
	pyDescription = "Description"
	pyCategory    = "Armament category"
	pyOrder       = "Order date"
	pyOrderEst    = "Order date is estimate"
	pyNumber      = "Numbers delivered"
	pyNumberEst   = "Numbers delivered is estimate"
	pyYear        = "Delivery year"
	pyYearEst     = "Delivery year is estimate"
	pyStatus      = "Status"
	pyEstimate    = "SIPRI estimate"
	pyUnit        = "TIV deal unit"
	pyTIV         = "TIV delivery values"
	pyLocal       = "Local production"
)

// perDealColumns must hold the same value on every row of a deal.
var perDealColumns = []string{pySupplier, pyRecipient, pyDesignation, pyDescription, pyCategory, pyOrder, pyOrderEst, pyStatus, pyEstimate, pyUnit, pyLocal}

// perYearReader reads the 2024+ layout. It holds every deal until the end
// of the file, then returns them in order of their id.
//
// A deal is imported with all of its delivery years or not at all: a bad
// row is an EINVALID error at its line, as it is read, and marks the deal
// its id names (when the id is one). At the end such a deal gives no
// claim; instead, in its place in id order, each of its other lines is an
// EINVALID error of its own, field "SIPRI AT Database ID", "left out with
// its deal X, whose line N is bad", so that an import that skips bad rows
// rejects every line of the deal and its reject file holds them all. A
// deal whose records do not validate is left out the same way.
type perYearReader struct {
	t       *ingest.Table
	env     *ingest.Env
	pre     preambleInfo
	parties *parties
	deals   map[string]*deal
	order   []*deal // after EOF: the deals, sorted
	next    int
	done    bool
	warn    []string
	leftOut []*armstrace.Error // errors of the lines of a deal left out, to return
}

// deal is a deal's rows, gathered.
type deal struct {
	id         string
	lines      []int
	fixed      []string // the per-deal columns of its first row
	orderYear  int
	orderEst   bool
	unit       *float64
	estimate   *float64
	deliveries []delivery
	bad        []int // the lines of its bad rows: the deal is then left out
}

type delivery struct {
	year    int
	yearEst bool
	number  *float64
	numEst  bool
	tiv     *float64
	line    int
}

func newPerYearReader(t *ingest.Table, env *ingest.Env, pre preambleInfo) (*perYearReader, error) {
	if err := t.Require(pyID, pySupplier, pyRecipient, pyDesignation, pyOrder, pyNumber, pyYear, pyTIV); err != nil {
		return nil, err
	}
	return &perYearReader{t: t, env: env, pre: pre, parties: newParties(env), deals: map[string]*deal{}}, nil
}

// Unresolved returns the supplier and recipient names that are not states
// of the curated table, sorted.
func (r *perYearReader) Unresolved() []string { return r.parties.names() }

// Warnings returns what the import should tell about the file: rows that
// could not be read as CSV, whose deal may lack them. (Deals left out
// because one of their rows is bad are told by an error for each line.)
func (r *perYearReader) Warnings() []string { return r.warn }

func validDealID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// yesNo reads an "is estimate" cell.
func yesNo(c *ingest.Cells, column string) bool {
	switch v := c.Str(column); strings.ToLower(v) {
	case "", "no":
		return false
	case "yes":
		return true
	default:
		c.Fail(column, "%q is neither Yes nor No", v)
		return false
	}
}

func (r *perYearReader) Next() (ingest.Row, error) {
	for !r.done {
		if err := r.read(); err != nil {
			return ingest.Row{Line: lineOf(err)}, err
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
		d := r.order[r.next]
		r.next++
		if len(d.bad) > 0 {
			r.leftOut = d.leaveOut("", 0)
			continue
		}
		row, err := r.emit(d)
		if err != nil {
			// Nothing of the deal is written: its other lines are left
			// out with it.
			r.leftOut = d.leaveOut(fmt.Sprintf(", whose records do not validate (see line %d)", d.lines[0]), d.lines[0])
			return ingest.Row{Line: d.lines[0]}, err
		}
		return row, nil
	}
}

// leaveOut reports each line of a deal left out whole (see ingest.Group).
func (d *deal) leaveOut(why string, skip int) []*armstrace.Error {
	return ingest.Group{What: "deal", ID: d.id, Field: pyID, Whole: "a deal is imported with all of its delivery years or not at all", Lines: d.lines, Bad: d.bad}.LeaveOut(why, skip)
}

func lineOf(err error) int {
	if e, ok := err.(*armstrace.Error); ok {
		return e.Line
	}
	return 0
}

// read takes in rows until a bad one (whose error it returns) or the end.
func (r *perYearReader) read() error {
	for {
		c, err := r.t.Next()
		if err == io.EOF {
			r.finish()
			return nil
		}
		if err != nil {
			if _, ok := err.(*armstrace.Error); ok {
				r.warn = append(r.warn, fmt.Sprintf("line %d could not be read as CSV: the deal it belongs to may lack that row", lineOf(err)))
			}
			return err
		}
		if err := r.add(c); err != nil {
			return err
		}
	}
}

// add takes in one row; a bad row marks its deal bad, so that no deal is
// imported with only part of its deliveries.
func (r *perYearReader) add(c *ingest.Cells) error {
	id := strings.TrimSpace(c.Raw(pyID))
	d := r.deals[id]
	fail := func() error {
		if d == nil && validDealID(id) {
			d = &deal{id: id}
			r.deals[id] = d
		}
		if d != nil {
			d.bad = append(d.bad, c.Line)
		}
		return c.Err()
	}
	if c.Err() != nil {
		return fail()
	}
	checkText(c, r.t.Header())
	if c.Err() != nil {
		return fail()
	}
	if !validDealID(id) {
		c.Fail(pyID, "%q is not a SIPRI deal id (digits)", id)
		return fail()
	}
	fixed := make([]string, len(perDealColumns))
	for i, col := range perDealColumns {
		fixed[i] = strings.TrimSpace(c.Raw(col))
	}
	c.Need(pySupplier)
	c.Need(pyRecipient)
	c.Need(pyDesignation)
	orderYear := year(c, pyOrder)
	orderEst := yesNo(c, pyOrderEst)
	unit := nonNegative(c, pyUnit, c.Float(pyUnit))
	estimate := nonNegative(c, pyEstimate, c.Float(pyEstimate))
	dv := delivery{line: c.Line}
	dv.year = year(c, pyYear)
	dv.yearEst = yesNo(c, pyYearEst)
	dv.number = nonNegative(c, pyNumber, c.Float(pyNumber))
	dv.numEst = yesNo(c, pyNumberEst)
	dv.tiv = nonNegative(c, pyTIV, c.Float(pyTIV))
	if c.Err() != nil {
		return fail()
	}
	if dv.year == 0 && (dv.number != nil || dv.tiv != nil) {
		c.Fail(pyYear, "required when the row gives numbers or TIV delivered: they are per delivery year")
		return fail()
	}
	// TIV delivery values is the year's TIV: numbers delivered that year
	// times the deal's TIV per unit, which SIPRI prints rounded to two
	// decimals, hence the tolerance.
	if dv.number != nil && unit != nil && dv.tiv != nil {
		want := *dv.number * *unit
		if math.Abs(want-*dv.tiv) > 0.5+0.005**dv.number+1e-9 {
			c.Fail(pyTIV, "%v is not numbers delivered (%v) × TIV deal unit (%v) = %v: this column must hold the TIV delivered in the row's year", *dv.tiv, *dv.number, *unit, want)
			return fail()
		}
	}
	if d == nil {
		d = &deal{id: id, fixed: fixed, orderYear: orderYear, orderEst: orderEst, unit: unit, estimate: estimate}
		r.deals[id] = d
	} else if d.fixed == nil {
		// The deal's first rows were bad: it stays out, but its later
		// rows are still checked.
		d.fixed = fixed
	} else {
		for i, col := range perDealColumns {
			if fixed[i] != d.fixed[i] {
				c.Fail(col, "%q differs from %q on line %d of deal %s: this column is per deal and must be the same on each of its rows", fixed[i], d.fixed[i], d.lines[0], id)
				return fail()
			}
		}
	}
	if dv.year != 0 {
		for _, o := range d.deliveries {
			if o.year == dv.year {
				c.Fail(pyYear, "deal %s already has a row for %d, on line %d: one row per deal and delivery year", id, dv.year, o.line)
				return fail()
			}
		}
	}
	d.lines = append(d.lines, c.Line)
	d.deliveries = append(d.deliveries, dv)
	return nil
}

// finish orders the deals, good and left out, for emitting.
func (r *perYearReader) finish() {
	r.done = true
	for _, d := range r.deals {
		r.order = append(r.order, d)
	}
	sort.Slice(r.order, func(i, j int) bool { return idLess(r.order[i].id, r.order[j].id) })
	sort.Strings(r.warn)
	r.deals = nil
}

// idLess orders numeric ids by value.
func idLess(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func (r *perYearReader) emit(d *deal) (ingest.Row, error) {
	row := ingest.Row{Line: d.lines[0]}
	supplier, recipient, designation, description := d.fixed[0], d.fixed[1], d.fixed[2], d.fixed[3]
	category, status, local := d.fixed[4], d.fixed[7], d.fixed[10]
	sort.Slice(d.deliveries, func(i, j int) bool { return d.deliveries[i].year < d.deliveries[j].year })

	lines := make([]string, len(d.lines))
	for i, l := range d.lines {
		lines[i] = strconv.Itoa(l)
	}
	loc := "id " + d.id + ", line " + lines[0]
	if len(lines) > 1 {
		loc = "id " + d.id + ", lines " + strings.Join(lines, ", ")
	}
	loc += ": " + strings.Join([]string{recipient, supplier, d.fixed[5], designation}, "; ")
	cite := r.env.Cite(loc)

	var ops []ingest.Op
	fail := func(field, msg string, args ...any) (ingest.Row, error) {
		r.parties.discard()
		return row, &armstrace.Error{Code: armstrace.EINVALID, Line: d.lines[0], Field: field, Message: fmt.Sprintf(msg, args...)}
	}
	sup, ok := r.parties.resolve(supplier, cite, &ops)
	if !ok {
		return fail(pySupplier, "%q has no letters or digits to make an id from", supplier)
	}
	rec, ok := r.parties.resolve(recipient, cite, &ops)
	if !ok {
		return fail(pyRecipient, "%q has no letters or digits to make an id from", recipient)
	}
	weapon, ok := r.parties.weapon(designation, description, sup, cite, &ops)
	if !ok {
		return fail(pyDesignation, "%q has no letters or digits to make an id from", designation)
	}

	t := &armstrace.Transfer{
		Weapon:      weapon,
		Designation: designation,
		Description: description,
		OrderYear:   d.orderYear,
		Condition:   condition(status),
		TIVPerUnit:  tiv(d.unit),
	}
	var (
		numSum, tivSum, tivLow, tivHigh float64
		numAll                          = true
		numEst, yearEst, bounded, anyT  bool
	)
	for _, dv := range d.deliveries {
		if dv.year == 0 {
			continue // a row of a deal with nothing delivered yet
		}
		t.DeliveryYears = append(t.DeliveryYears, dv.year)
		del := armstrace.Delivery{Year: dv.year, Number: count(dv.number, dv.numEst), TIVDelivered: tivDelivered(dv.tiv)}
		t.Deliveries = append(t.Deliveries, del)
		yearEst = yearEst || dv.yearEst
		if dv.number == nil {
			numAll = false
		} else {
			numSum += *dv.number
			numEst = numEst || dv.numEst
		}
		if tr := del.TIVDelivered; tr != nil {
			anyT = true
			tivSum += *tr.Best
			tivLow += orBest(tr.Low, tr.Best)
			tivHigh += orBest(tr.High, tr.Best)
			bounded = bounded || tr.High != nil
		}
	}
	if len(t.Deliveries) > 0 && numAll {
		t.NumberDelivered = count(&numSum, numEst)
	}
	if anyT {
		t.TIVDelivered = &armstrace.Range{Best: armstrace.Num(round6(tivSum)), Unit: unitTIV}
		if bounded {
			t.TIVDelivered.Low, t.TIVDelivered.High = armstrace.Num(round6(tivLow)), armstrace.Num(round6(tivHigh))
			t.TIVDelivered.Approximate = true
			t.TIVDelivered.Qualifier = "includes years SIPRI gives as between 0 and 0.5"
		}
	}
	for _, f := range []struct {
		set  bool
		name string
	}{{d.orderEst && d.orderYear != 0, "order_year"}, {numEst && t.NumberDelivered != nil, "number_delivered"}, {yearEst, "delivery_years"}} {
		if f.set {
			t.Uncertain = append(t.Uncertain, f.name)
		}
	}

	notes := claimNotes
	if category != "" {
		notes += " Armament category: " + category + "."
	}
	if strings.EqualFold(local, "yes") {
		notes += " SIPRI marks the deal as local production (made under licence in the recipient)."
	}
	if d.estimate != nil && d.unit != nil && *d.estimate != *d.unit {
		notes += fmt.Sprintf(" SIPRI's TIV per unit for a new item of this type is %s; this deal's is %s.", numStr(d.estimate), numStr(d.unit))
	}
	notes += r.pre.rangeNote(d.orderYear)

	cl := dealClaim("sipri-deal:"+d.id, sup, rec, t, cite)
	cl.Notes = notes
	ops = append(ops, ingest.Op{Mode: ingest.Put, Record: cl})
	if err := checkOps(d.lines[0], ops); err != nil {
		r.parties.discard()
		return row, err
	}
	r.parties.commit()
	row.Ops = ops
	return row, nil
}

func orBest(v, best *float64) float64 {
	if v != nil {
		return *v
	}
	return *best
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// RowsRead returns the file's rows: one per deal and delivery year,
// though one record is written per deal.
func (r *perYearReader) RowsRead() int { return r.t.Rows() }
