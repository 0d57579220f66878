package dossier

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"github.com/armstrace/armstrace/internal/report"
	htmltemplate "html/template"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	texttemplate "text/template"
	"unicode/utf8"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
)

// Formats lists the formats Render writes.
var Formats = []string{"html", "md", "json"}

// DefaultTitles are the titles of the ten parts, used where the dossier
// leaves one empty.
var DefaultTitles = [10]string{
	"Identity",
	"Ownership and control",
	"Sanctions",
	"Procurement restrictions",
	"Transfers to high-risk recipients",
	"Documented misuse",
	"Logistics and financial partners",
	"Exclusion criteria",
	"Right of reply and outreach log",
	"Provenance",
}

// NoneRecorded is what a part says when the evidence graph holds nothing
// for it. An empty part is a finding, so it is said, not left blank.
const NoneRecorded = "None recorded in the evidence graph."

//go:embed templates/*.tmpl
var templateFS embed.FS

var (
	htmlTemplate = htmltemplate.Must(htmltemplate.New("dossier.html.tmpl").Funcs(htmltemplate.FuncMap(funcs)).ParseFS(templateFS, "templates/dossier.html.tmpl"))
	mdTemplate   = texttemplate.Must(texttemplate.New("dossier.md.tmpl").Funcs(texttemplate.FuncMap(mdFuncs())).ParseFS(templateFS, "templates/dossier.md.tmpl"))
)

// Render writes d in format: "html" (one self-contained printable page),
// "md" (Markdown, no HTML) or "json" (the form schema.json documents).
// Nothing is written unless the whole dossier renders.
func Render(w io.Writer, d *Dossier, format string) error {
	const op = "dossier.Render"
	if d == nil {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Message: "no dossier to render"}
	}
	n := normalize(d)
	var buf bytes.Buffer
	var err error
	switch format {
	case "json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err = enc.Encode(n)
	case "html":
		err = htmlTemplate.Execute(&buf, newView(n))
	case "md":
		var md bytes.Buffer
		if err = mdTemplate.Execute(&md, newView(n)); err == nil {
			buf.Write(report.BlankLines.ReplaceAll(md.Bytes(), []byte("\n\n")))
		}
	default:
		return &armstrace.Error{Code: armstrace.EINVALID, Op: op, Field: "format",
			Message: fmt.Sprintf("unknown format %q; want one of %s", format, strings.Join(Formats, ", "))}
	}
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Err: err}
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Err: err}
	}
	return nil
}

// normalize returns a deep copy of d in which every list is present (empty
// rather than null in JSON), the schema version is set, and all ten
// section titles are filled. d itself is left as it is.
func normalize(d *Dossier) *Dossier {
	n := fillSlices(reflect.ValueOf(d)).Interface().(*Dossier)
	if n.Schema == "" {
		n.Schema = SchemaVersion
	}
	titles := make([]string, len(DefaultTitles))
	for i := range titles {
		if i < len(n.SectionTitle) && strings.TrimSpace(n.SectionTitle[i]) != "" {
			titles[i] = n.SectionTitle[i]
		} else {
			titles[i] = DefaultTitles[i]
		}
	}
	n.SectionTitle = titles
	return n
}

// fillSlices copies v, replacing nil slices by empty ones at every depth.
// Unexported fields are copied as they are.
func fillSlices(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out.Field(i).Set(fillSlices(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return reflect.MakeSlice(v.Type(), 0, 0)
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(fillSlices(v.Index(i)))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(fillSlices(v.Elem()))
		return out
	}
	return v
}

// view is what the HTML and Markdown templates read.
type view struct {
	D          *Dossier
	Titles     []string
	Name       string
	AsOf       string // for a reader
	AsOfISO    string // for a machine
	Summary    string
	None       string
	Rows       []rowView
	Uncertain  bool // some transfer figure is marked uncertain
	Chart      *chart
	Network    *network
	DatasetsAt string
}

func newView(d *Dossier) *view {
	v := &view{D: d, Titles: d.SectionTitle, None: NoneRecorded}
	v.Name = firstNonEmpty(d.Subject.Name, d.Identity.Name, d.Subject.ID, d.Identity.ID, "(unnamed subject)")
	v.AsOf, v.AsOfISO = report.AsOf(d.Generated)
	for i, r := range d.Transfers.Rows {
		rv := newRowView(i+1, r)
		if rv.anyUncertain() {
			v.Uncertain = true
		}
		v.Rows = append(v.Rows, rv)
	}
	v.Chart = newChart(d.Transfers.ByYear)
	v.Network = newNetwork(d)
	v.Summary = summary(d, v.Name, v.AsOf)
	return v
}

// summary is the one paragraph under the header.
func summary(d *Dossier, name, asOf string) string {
	var b strings.Builder
	b.WriteString(name)
	if k := firstNonEmpty(d.Identity.Kind, d.Subject.Kind); k != "" {
		c := firstNonEmpty(d.Identity.Country, d.Subject.Country)
		if c != "" {
			fmt.Fprintf(&b, " (%s, %s)", human(k), c)
		} else {
			fmt.Fprintf(&b, " (%s)", human(k))
		}
	}
	fmt.Fprintf(&b, ", as of %s. ", asOf)

	inForce := 0
	for _, s := range d.Sanctions {
		if strings.EqualFold(strings.ReplaceAll(s.State, "_", " "), "in force") {
			inForce++
		}
	}
	fmt.Fprintf(&b, "Sanctions: %s", count(len(d.Sanctions), "listing", "listings"))
	if len(d.Sanctions) > 0 {
		fmt.Fprintf(&b, " (%d in force)", inForce)
	}
	fmt.Fprintf(&b, ". Procurement restrictions: %d. ", len(d.Procurement))

	high, tiv := 0, 0.0
	for _, r := range d.Transfers.Rows {
		if r.HighRisk {
			high++
		}
	}
	for _, y := range d.Transfers.ByYear {
		tiv += y.TIV
	}
	fmt.Fprintf(&b, "Transfers: %s, %d to high-risk recipients", count(len(d.Transfers.Rows), "deal", "deals"), high)
	if tiv > 0 {
		fmt.Fprintf(&b, ", %s million TIV delivered", num(tiv))
	}
	b.WriteString(". ")
	fmt.Fprintf(&b, "Documented misuse: %s linked by %s. ", count(len(d.Misuse.Events), "event", "events"), count(len(d.Misuse.Chains), "chain", "chains"))
	fmt.Fprintf(&b, "Logistics and financial partners: %d. ", len(d.Partners))
	withEvidence := 0
	for _, c := range d.Criteria {
		if len(c.Evidence) > 0 {
			withEvidence++
		}
	}
	fmt.Fprintf(&b, "Exclusion criteria with evidence: %d of %d. ", withEvidence, len(d.Criteria))
	fmt.Fprintf(&b, "Outreach: %s. ", count(len(d.Outreach.Entries), "entry", "entries"))
	fmt.Fprintf(&b, "%s not counted (contested or retracted); %s withheld.",
		count(len(d.NotCounted), "claim", "claims"), count(d.Withheld, "confidential source", "confidential sources"))
	return b.String()
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// rowView is one transfer row with its uncertainty marks.
type rowView struct {
	N int
	TransferRow
	U     map[string]bool // column → marked uncertain
	Other []string        // uncertain fields without a column of their own
	Years string
}

// uncertainColumns maps the names a source may give an uncertain field to
// the column of the table that shows it.
var uncertainColumns = map[string]string{
	"recipient": "recipient", "weapon": "weapon", "designation": "weapon", "weapon_designation": "weapon",
	"description": "description", "weapon_description": "description",
	"number_ordered": "number_ordered", "ordered": "number_ordered", "no_ordered": "number_ordered",
	"order_year": "order_year", "year_of_order": "order_year", "order_date": "order_year",
	"delivery_years": "delivery_years", "delivery_year": "delivery_years", "years_of_delivery": "delivery_years", "delivery": "delivery_years",
	"number_delivered": "number_delivered", "delivered": "number_delivered", "no_delivered": "number_delivered",
	"tiv_delivered": "tiv_delivered", "tiv": "tiv_delivered",
	"value": "value",
}

func newRowView(n int, r TransferRow) rowView {
	rv := rowView{N: n, TransferRow: r, U: map[string]bool{}, Years: years(r.DeliveryYears)}
	for _, f := range r.Uncertain {
		key := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(strings.TrimSpace(f)))
		if col, ok := uncertainColumns[key]; ok {
			rv.U[col] = true
		} else if f != "" {
			rv.Other = append(rv.Other, f)
		}
	}
	return rv
}

func (r rowView) anyUncertain() bool { return len(r.U) > 0 || len(r.Other) > 0 }

// years writes delivery years as SIPRI does, runs joined: 2011–2013, 2015.
func years(ys []int) string {
	if len(ys) == 0 {
		return ""
	}
	s := append([]int(nil), ys...)
	sort.Ints(s)
	var parts []string
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] <= s[j]+1 {
			j++
		}
		if s[i] == s[j] {
			parts = append(parts, strconv.Itoa(s[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", s[i], s[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// num writes a number with at most two decimals and no trailing zeros.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// score writes a confidence or a strength.
func score(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// human turns an identifier such as observed_at into words.
func human(s any) string { return strings.ReplaceAll(fmt.Sprint(s), "_", " ") }

// shown returns the citations that may be shown; withheldCount those
// that may not.
func shown(cs []graph.Citation) []graph.Citation {
	var out []graph.Citation
	for _, c := range cs {
		if !c.Withheld {
			out = append(out, c)
		}
	}
	return out
}

func withheldCount(cs []graph.Citation) int {
	n := 0
	for _, c := range cs {
		if c.Withheld {
			n++
		}
	}
	return n
}

func counted(l graph.Link) bool {
	return l.Status == armstrace.StatusVerified || l.Status == armstrace.StatusAlleged
}

var funcs = map[string]any{
	"num":      num,
	"score":    score,
	"human":    human,
	"years":    years,
	"shown":    shown,
	"withheld": withheldCount,
	"counted":  counted,
	"plural":   count,
	"add":      func(a, b int) int { return a + b },
	"title": func(v *view, n int) string {
		return v.Titles[n-1]
	},
	"add0":  func(a, b float64) float64 { return report.Round1(a + b) },
	"mid":   func(a, b float64) float64 { return report.Round1((a + b) / 2) },
	"dict2": func(links []graph.Link, none string) linkList { return linkList{links, none} },
}

// linkList is a list of links with what to say when it is empty.
type linkList struct {
	Links []graph.Link
	None  string
}

func mdFuncs() map[string]any {
	m := map[string]any{}
	for k, v := range funcs {
		m[k] = v
	}
	m["md"] = report.MarkdownEscape
	m["cell"] = report.MarkdownCell
	m["url"] = report.MarkdownURL
	return m
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// chart is the SVG bar chart of TIV delivered by year.
type chart struct {
	Width, Height            int
	Left, Right, Top, Bottom float64 // the plot area
	Bars                     []bar
	YTicks                   []tick
	XTicks                   []tick
	Total                    string
	First, Last              int
}

type bar struct {
	Year           int
	TIV            string
	X, Y, W, H     float64
	LabelX, LabelY float64
	Label          bool
}

type tick struct {
	Pos   float64
	Label string
}

// newChart lays the bars out: one slot for every year from the first to
// the last, a bar for every year with TIV delivered. It returns nil when
// no year has any.
func newChart(ys []YearTIV) *chart {
	sum := map[int]float64{}
	first, last := math.MaxInt, math.MinInt
	for _, y := range ys {
		if y.TIV <= 0 || math.IsNaN(y.TIV) || math.IsInf(y.TIV, 0) {
			continue
		}
		sum[y.Year] += y.TIV
		first, last = min(first, y.Year), max(last, y.Year)
	}
	if len(sum) == 0 {
		return nil
	}
	c := &chart{Width: 720, Height: 280, Left: 64, Right: 704, Top: 24, Bottom: 236, First: first, Last: last}
	maxTIV, total := 0.0, 0.0
	for _, v := range sum {
		maxTIV = max(maxTIV, v)
		total += v
	}
	c.Total = num(total)
	step := report.NiceStep(maxTIV / 4)
	top := math.Ceil(maxTIV/step) * step
	plotH := c.Bottom - c.Top
	for v := 0.0; v <= top+step/2; v += step {
		c.YTicks = append(c.YTicks, tick{Pos: report.Round1(c.Bottom - v/top*plotH), Label: num(v)})
	}
	slots := last - first + 1
	slotW := (c.Right - c.Left) / float64(slots)
	barW := max(slotW*0.7, 1)
	every := int(math.Ceil(float64(slots) / 16))
	for y := first; y <= last; y++ {
		i := y - first
		mid := c.Left + slotW*(float64(i)+0.5)
		if i%every == 0 || y == last && slots <= 16 {
			c.XTicks = append(c.XTicks, tick{Pos: report.Round1(mid), Label: strconv.Itoa(y)})
		}
		v, ok := sum[y]
		if !ok {
			continue
		}
		h := v / top * plotH
		c.Bars = append(c.Bars, bar{Year: y, TIV: num(v),
			X: report.Round1(mid - barW/2), Y: report.Round1(c.Bottom - h), W: report.Round1(barW), H: report.Round1(h),
			LabelX: report.Round1(mid), LabelY: report.Round1(c.Bottom - h - 4), Label: slots <= 24})
	}
	return c
}

// network is the SVG diagram of the chains and of those around the
// subject, laid out in columns: events, weapons, recipients, the subject
// and other suppliers, then owners and partners.
type network struct {
	Width, Height int
	Columns       []column
	Nodes         []netNode
	Edges         []netEdge
}

type column struct {
	X     float64
	Title string
}

type netNode struct {
	graph.Node
	Label   string  // the name, cut to fit the box
	Sub     string  // kind and country, cut to fit
	X, Y    float64 // top left
	W, H    float64
	Subject bool
	col     int
}

type netEdge struct {
	Kind    string
	Status  string
	Path    string
	LX, LY  float64
	Implied bool // joins two links of a chain that share no node
}

const (
	colEvent = iota
	colWeapon
	colRecipient
	colSupplier
	colOther
)

var columnTitles = [...]string{"Events", "Weapons", "Recipients", "Subject and suppliers", "Owners and partners"}

func newNetwork(d *Dossier) *network {
	var links []graph.Link
	for _, c := range d.Misuse.Chains {
		links = append(links, c.Links...)
	}
	links = append(links, d.Ownership.Owners...)
	links = append(links, d.Ownership.Controllers...)
	subject := d.Subject
	if subject.ID == "" {
		subject = graph.Node{ID: d.Identity.ID, Type: "entity", Name: d.Identity.Name, Kind: d.Identity.Kind}
	}
	for _, p := range d.Partners {
		if p.Link.From.ID != "" && p.Link.To.ID != "" {
			links = append(links, p.Link)
		} else if p.Entity.ID != "" && subject.ID != "" {
			links = append(links, graph.Link{Kind: armstrace.ClaimKind(p.Role), From: p.Entity, To: subject, Status: p.Link.Status})
		}
	}
	if len(links) == 0 {
		return nil
	}

	nodes := map[string]*netNode{}
	add := func(n graph.Node) {
		if n.ID == "" {
			return
		}
		if _, ok := nodes[n.ID]; !ok {
			nodes[n.ID] = &netNode{Node: n, col: -1}
		}
	}
	type key struct{ from, to, kind string }
	seen := map[key]bool{}
	var edges []graph.Link
	for _, l := range links {
		if l.From.ID == "" || l.To.ID == "" {
			continue
		}
		add(l.From)
		add(l.To)
		k := key{l.From.ID, l.To.ID, string(l.Kind)}
		if !seen[k] {
			seen[k] = true
			edges = append(edges, l)
		}
	}
	if len(edges) == 0 {
		return nil
	}

	// The column of each node: the first rule that applies wins.
	is := func(id string, kinds map[armstrace.ClaimKind]bool, asFrom bool) bool {
		for _, l := range edges {
			if kinds[l.Kind] && (asFrom && l.From.ID == id || !asFrom && l.To.ID == id) {
				return true
			}
		}
		return false
	}
	for id, n := range nodes {
		switch {
		case n.Type == "event" || n.Type == "ceasefire":
			n.col = colEvent
		case id == subject.ID:
			n.col, n.Subject = colSupplier, true
		case n.Kind == string(armstrace.EntityWeaponModel) ||
			is(id, map[armstrace.ClaimKind]bool{armstrace.ClaimObservedAt: true}, true) ||
			is(id, map[armstrace.ClaimKind]bool{armstrace.ClaimManufactured: true}, false):
			n.col = colWeapon
		case is(id, map[armstrace.ClaimKind]bool{armstrace.ClaimSupplied: true, armstrace.ClaimShipped: true}, false):
			n.col = colRecipient
		case is(id, map[armstrace.ClaimKind]bool{armstrace.ClaimSupplied: true, armstrace.ClaimManufactured: true}, true):
			n.col = colSupplier
		default:
			n.col = colOther
		}
	}

	// Columns in use, left to right; nodes in each by name, then id.
	byCol := map[int][]*netNode{}
	for _, n := range nodes {
		byCol[n.col] = append(byCol[n.col], n)
	}
	var used []int
	for c := colEvent; c <= colOther; c++ {
		if len(byCol[c]) > 0 {
			used = append(used, c)
		}
	}
	const (
		width  = 960.0
		margin = 12.0
		nodeW  = 124.0
		nodeH  = 36.0
		rowGap = 58.0
		top    = 40.0
	)
	net := &network{Width: int(width)}
	gap := 0.0
	if len(used) > 1 {
		gap = (width - 2*margin - nodeW) / float64(len(used)-1)
	}
	rows := 0
	for i, c := range used {
		x := margin + gap*float64(i)
		if len(used) == 1 {
			x = (width - nodeW) / 2
		}
		net.Columns = append(net.Columns, column{X: report.Round1(x + nodeW/2), Title: columnTitles[c]})
		ns := byCol[c]
		sort.Slice(ns, func(a, b int) bool {
			if ns[a].Name != ns[b].Name {
				return ns[a].Name < ns[b].Name
			}
			return ns[a].ID < ns[b].ID
		})
		for j, n := range ns {
			n.X, n.Y, n.W, n.H = report.Round1(x), top+rowGap*float64(j), nodeW, nodeH
			n.Label = truncate(n.Name, 19)
			if n.Label == "" {
				n.Label = truncate(n.ID, 19)
			}
			sub := human(firstNonEmpty(n.Kind, n.Type))
			if n.Country != "" {
				sub += " · " + n.Country
			}
			n.Sub = truncate(sub, 21)
			net.Nodes = append(net.Nodes, *n)
		}
		rows = max(rows, len(ns))
	}
	net.Height = int(top + rowGap*float64(rows) + 8)

	// Two links of a chain that share no node (a weapon seen, and a
	// supply matched to it by weapon) are joined by an implied edge from
	// the right end of the one to the left end of the next.
	for _, c := range d.Misuse.Chains {
		for i := 0; i+1 < len(c.Links); i++ {
			a, b := c.Links[i], c.Links[i+1]
			if a.From.ID == "" || a.To.ID == "" || b.From.ID == "" || b.To.ID == "" ||
				a.From.ID == b.From.ID || a.From.ID == b.To.ID || a.To.ID == b.From.ID || a.To.ID == b.To.ID {
				continue
			}
			right := a.From
			if nodes[a.To.ID].col > nodes[a.From.ID].col {
				right = a.To
			}
			left := b.From
			if nodes[b.To.ID].col < nodes[b.From.ID].col {
				left = b.To
			}
			k := key{right.ID, left.ID, "matched"}
			if !seen[k] {
				seen[k] = true
				edges = append(edges, graph.Link{Kind: "matched", From: right, To: left, Claim: implied})
			}
		}
	}

	for _, l := range edges {
		a, b := nodes[l.From.ID], nodes[l.To.ID]
		var x1, x2, y1, y2 float64
		y1, y2 = a.Y+a.H/2, b.Y+b.H/2
		var path string
		switch {
		case a.col < b.col:
			x1, x2 = a.X+a.W, b.X
			path = curve(x1, y1, x2, y2)
		case a.col > b.col:
			x1, x2 = a.X, b.X+b.W
			path = curve(x1, y1, x2, y2)
		default: // the same column: a loop on the right
			x1, x2 = a.X+a.W, b.X+b.W
			bulge := 40.0
			path = fmt.Sprintf("M %s %s C %s %s, %s %s, %s %s", f1(x1), f1(y1), f1(x1+bulge), f1(y1), f1(x2+bulge), f1(y2), f1(x2), f1(y2))
			x1, x2 = x1+bulge*0.75, x2+bulge*0.75
		}
		net.Edges = append(net.Edges, netEdge{Kind: human(string(l.Kind)), Status: string(l.Status), Path: path,
			LX: report.Round1((x1 + x2) / 2), LY: report.Round1((y1+y2)/2 - 4), Implied: l.Claim == implied})
	}
	sort.SliceStable(net.Nodes, func(i, j int) bool { return net.Nodes[i].ID < net.Nodes[j].ID })
	return net
}

// implied marks the edges the diagram adds to join a chain's links.
const implied = "\x00implied"

func curve(x1, y1, x2, y2 float64) string {
	mx := (x1 + x2) / 2
	return fmt.Sprintf("M %s %s C %s %s, %s %s, %s %s", f1(x1), f1(y1), f1(mx), f1(y1), f1(mx), f1(y2), f1(x2), f1(y2))
}

func f1(f float64) string { return strconv.FormatFloat(report.Round1(f), 'f', -1, 64) }
