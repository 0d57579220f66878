package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
)

// The entity page's two drawings, as SVG made on the server (no script):
// its neighbourhood (who claims point to it, and what its claims point
// to) and a timeline of its dated claims.

// hood is the neighbourhood diagram.
type hood struct {
	Width, Height int
	Center        hoodNode
	Nodes         []hoodNode
	Edges         []hoodEdge
	More          int // neighbours left out
}

type hoodNode struct {
	ID, Label, Kind string
	Entity          bool // a link to its page
	X, Y, W, H      int
}

type hoodEdge struct {
	From, To    string
	Path, Label string
	LX, LY      int
}

// JSON is the drawing's nodes and edges as Cytoscape.js elements, for
// the interactive diagram app.js draws in its place when scripts run.
func (h *hood) JSON() (string, error) {
	type data struct {
		ID     string `json:"id"`
		Label  string `json:"label"`
		Kind   string `json:"kind,omitempty"`
		Href   string `json:"href,omitempty"`
		Center bool   `json:"center,omitempty"`
		Source string `json:"source,omitempty"`
		Target string `json:"target,omitempty"`
	}
	type element struct {
		Group string `json:"group"`
		Data  data   `json:"data"`
	}
	els := []element{{"nodes", data{ID: h.Center.ID, Label: h.Center.Label, Kind: h.Center.Kind, Center: true}}}
	for _, n := range h.Nodes {
		d := data{ID: n.ID, Label: n.Label, Kind: n.Kind}
		if n.Entity {
			d.Href = "/entities/" + url.PathEscape(n.ID)
		}
		els = append(els, element{"nodes", d})
	}
	for i, e := range h.Edges {
		els = append(els, element{"edges", data{ID: "e" + strconv.Itoa(i), Label: e.Label, Source: e.From, Target: e.To}})
	}
	b, err := json.Marshal(els)
	return string(b), err
}

const (
	hoodPerSide = 12
	hoodNodeW   = 220
	hoodNodeH   = 30
	hoodGap     = 12
)

// neighbourhood lays out an entity and the other ends of its claims:
// those whose claims point at it on the left, those its claims point at
// on the right, each edge labelled by the kinds of claim between them.
func neighbourhood(id, name, kind string, links []graph.Link) *hood {
	type side struct {
		order []string
		nodes map[string]graph.Node
		kinds map[string][]string
	}
	in := side{nodes: map[string]graph.Node{}, kinds: map[string][]string{}}
	out := side{nodes: map[string]graph.Node{}, kinds: map[string][]string{}}
	for _, l := range links {
		s, other := &out, l.To
		if l.To.ID == id {
			s, other = &in, l.From
		}
		if other.ID == id {
			continue
		}
		if _, ok := s.nodes[other.ID]; !ok {
			s.order = append(s.order, other.ID)
			s.nodes[other.ID] = other
		}
		k := strings.ReplaceAll(string(l.Kind), "_", " ")
		if !slices.Contains(s.kinds[other.ID], k) {
			s.kinds[other.ID] = append(s.kinds[other.ID], k)
		}
	}
	if len(in.order)+len(out.order) == 0 {
		return nil
	}
	h := &hood{Width: 3*hoodNodeW + 2*140}
	rows := max(min(len(in.order), hoodPerSide), min(len(out.order), hoodPerSide), 1)
	h.Height = rows*(hoodNodeH+hoodGap) + 40
	h.Center = hoodNode{ID: id, Label: clip(name, 30), Kind: kind, X: hoodNodeW + 140, Y: h.Height/2 - hoodNodeH/2, W: hoodNodeW, H: hoodNodeH}
	place := func(s *side, x int, left bool) {
		for i, oid := range s.order {
			if i == hoodPerSide {
				h.More += len(s.order) - hoodPerSide
				break
			}
			n := s.nodes[oid]
			y := 20 + i*(hoodNodeH+hoodGap)
			h.Nodes = append(h.Nodes, hoodNode{ID: n.ID, Label: clip(n.Name, 30), Kind: n.Kind, Entity: n.Type == "entity", X: x, Y: y, W: hoodNodeW, H: hoodNodeH})
			cy := h.Center.Y + hoodNodeH/2
			ny := y + hoodNodeH/2
			var x1, x2, y1, y2 int
			from, to := id, n.ID
			if left { // the other end's claim points at the entity
				x1, y1, x2, y2 = x+hoodNodeW, ny, h.Center.X, cy
				from, to = n.ID, id
			} else {
				x1, y1, x2, y2 = h.Center.X+hoodNodeW, cy, x, ny
			}
			mx := (x1 + x2) / 2
			h.Edges = append(h.Edges, hoodEdge{From: from, To: to, Path: fmt.Sprintf("M %d %d C %d %d, %d %d, %d %d", x1, y1, mx, y1, mx, y2, x2-2, y2),
				Label: clip(strings.Join(s.kinds[oid], ", "), 24), LX: mx, LY: (y1+y2)/2 - 4})
		}
	}
	place(&in, 0, true)
	place(&out, 2*hoodNodeW+2*140, false)
	return h
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// timeline is the drawing of dated claims on a scale of years.
type timeline struct {
	Width, Height int
	Ticks         []tick
	Bars          []bar
	Undated       int
	More          int // dated claims beyond the rows drawn
}

type tick struct {
	X     int
	Label string
}

type bar struct {
	X, Y, W int
	Label   string
	Status  string
}

const (
	tlLeft  = 260
	tlRight = 20
	tlRow   = 20
	tlWidth = 900
	tlRows  = 40
)

// claimYears returns the years a claim spans: its validity, or for a
// transfer its order and delivery years; ok is false when undated.
func claimYears(c *armstrace.Claim) (from, to int, ok bool) {
	year := func(d armstrace.Date) int {
		if len(d) < 4 {
			return 0
		}
		y, _ := strconv.Atoi(string(d)[:4])
		return y
	}
	from, to = year(c.ValidFrom), year(c.ValidTo)
	if t := c.Attrs.Transfer; t != nil {
		ys := slices.Clone(t.DeliveryYears)
		if t.OrderYear > 0 {
			ys = append(ys, t.OrderYear)
		}
		if len(ys) > 0 {
			if from == 0 || slices.Min(ys) < from {
				from = slices.Min(ys)
			}
			if slices.Max(ys) > to {
				to = slices.Max(ys)
			}
		}
	}
	if from == 0 {
		from = to
	}
	if to == 0 {
		to = from
	}
	return from, to, from > 0
}

// newTimeline draws the dated claims, earliest first.
func newTimeline(claims []*armstrace.Claim, links map[string]graph.Link, self string) *timeline {
	type row struct {
		from, to int
		label    string
		status   string
	}
	var rows []row
	undated := 0
	for _, c := range claims {
		from, to, ok := claimYears(c)
		if !ok {
			undated++
			continue
		}
		l := links[c.ID]
		other := l.To.Name
		if l.To.ID == self {
			other = l.From.Name
		}
		rows = append(rows, row{from, to, clip(strings.ReplaceAll(string(c.Kind), "_", " ")+": "+other, 40), string(c.Status)})
	}
	if len(rows) == 0 {
		return nil
	}
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)) })
	t := &timeline{Width: tlWidth, Undated: undated}
	if len(rows) > tlRows {
		t.More = len(rows) - tlRows
		rows = rows[:tlRows]
	}
	lo, hi := rows[0].from, rows[0].to
	for _, r := range rows {
		lo, hi = min(lo, r.from), max(hi, r.to)
	}
	hi++ // a year is drawn to its end
	span := max(hi-lo, 1)
	x := func(y int) int { return tlLeft + (y-lo)*(tlWidth-tlLeft-tlRight)/span }
	step := max(1, span/10)
	for y := lo; y <= hi; y += step {
		t.Ticks = append(t.Ticks, tick{X: x(y), Label: strconv.Itoa(y)})
	}
	for i, r := range rows {
		t.Bars = append(t.Bars, bar{X: x(r.from), Y: 30 + i*tlRow, W: max(x(r.to+1)-x(r.from), 3), Label: r.label, Status: r.status})
	}
	t.Height = 30 + len(rows)*tlRow + 10
	return t
}
