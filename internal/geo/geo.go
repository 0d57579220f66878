// Package geo draws maps without a tile server: country outlines from
// Natural Earth (1:50m, by way of the world-atlas package, bundled), in
// an equirectangular projection, as SVG paths made on the server.
package geo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
)

//go:embed countries-50m.json
var countriesJSON []byte

// topology is the part of a TopoJSON file read here.
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string          `json:"type"`
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

// Point is a longitude and latitude in degrees.
type Point struct{ Lon, Lat float64 }

// Country is a country's outline: rings of points.
type Country struct {
	Name  string
	Rings [][]Point
	Box   Box
}

// Box is a longitude and latitude range.
type Box struct{ West, South, East, North float64 }

// Intersects reports whether two boxes overlap.
func (b Box) Intersects(o Box) bool {
	return b.West <= o.East && o.West <= b.East && b.South <= o.North && o.South <= b.North
}

var (
	once      sync.Once
	countries []Country
	loadErr   error
)

// Countries returns the bundled outlines, decoded once.
func Countries() ([]Country, error) {
	once.Do(func() { countries, loadErr = decode(countriesJSON) })
	return countries, loadErr
}

func decode(data []byte) ([]Country, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("geo: %w", err)
	}
	// Arcs are delta-encoded in quantised units.
	arcs := make([][]Point, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		pts := make([]Point, len(a))
		for j, d := range a {
			x, y = x+d[0], y+d[1]
			pts[j] = Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		arcs[i] = pts
	}
	ring := func(idx []int) []Point {
		var out []Point
		for _, k := range idx {
			var a []Point
			if k >= 0 {
				a = arcs[k]
			} else {
				src := arcs[^k]
				a = make([]Point, len(src))
				for i := range src {
					a[i] = src[len(src)-1-i]
				}
			}
			if len(out) > 0 && len(a) > 0 {
				a = a[1:] // the shared point
			}
			out = append(out, a...)
		}
		return out
	}
	var out []Country
	for _, g := range t.Objects.Countries.Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, fmt.Errorf("geo: %s: %w", g.Properties.Name, err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("geo: %s: %w", g.Properties.Name, err)
			}
		default:
			continue
		}
		c := Country{Name: g.Properties.Name, Box: Box{180, 90, -180, -90}}
		for _, p := range polys {
			for _, r := range p {
				pts := ring(r)
				for _, q := range pts {
					c.Box.West, c.Box.East = math.Min(c.Box.West, q.Lon), math.Max(c.Box.East, q.Lon)
					c.Box.South, c.Box.North = math.Min(c.Box.South, q.Lat), math.Max(c.Box.North, q.Lat)
				}
				c.Rings = append(c.Rings, pts)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// View projects a box onto a drawing: equirectangular, with longitude
// shortened by the cosine of the middle latitude so that shapes keep
// their proportions near it.
type View struct {
	Box           Box
	Width, Height float64
	k             float64 // degrees of longitude to units, after the cosine
}

// NewView returns a view of box at a width, the height following.
func NewView(b Box, width float64) View {
	lat := (b.North + b.South) / 2 * math.Pi / 180
	spanX := (b.East - b.West) * math.Cos(lat)
	k := width / spanX
	return View{Box: b, Width: width, Height: (b.North - b.South) * k, k: k}
}

// XY returns a point's place in the drawing.
func (v View) XY(p Point) (x, y float64) {
	lat := (v.Box.North + v.Box.South) / 2 * math.Pi / 180
	return (p.Lon - v.Box.West) * math.Cos(lat) * v.k, (v.Box.North - p.Lat) * v.k
}

// KM returns the drawing units of a distance in kilometres.
func (v View) KM(km float64) float64 { return km / 111.32 * v.k }

// Outline is a country drawn in a view.
type Outline struct {
	Name, Path string
}

// Outlines returns the paths of the countries in the view's box.
func (v View) Outlines() ([]Outline, error) {
	cs, err := Countries()
	if err != nil {
		return nil, err
	}
	var out []Outline
	for _, c := range cs {
		if !c.Box.Intersects(v.Box) {
			continue
		}
		var b strings.Builder
		for _, r := range c.Rings {
			for i, p := range r {
				x, y := v.XY(p)
				if i == 0 {
					fmt.Fprintf(&b, "M%.1f %.1f", x, y)
				} else {
					fmt.Fprintf(&b, "L%.1f %.1f", x, y)
				}
			}
			b.WriteString("Z")
		}
		out = append(out, Outline{Name: c.Name, Path: b.String()})
	}
	return out, nil
}

// Widen widens a box's longitudes, about its middle, until its drawing
// is at least ratio times as wide as it is high.
func (b Box) Widen(ratio float64) Box {
	lat := (b.North + b.South) / 2 * math.Pi / 180
	w, h := (b.East-b.West)*math.Cos(lat), b.North-b.South
	if w >= ratio*h {
		return b
	}
	extra := (ratio*h/math.Cos(lat) - (b.East - b.West)) / 2
	b.West, b.East = math.Max(b.West-extra, -180), math.Min(b.East+extra, 180)
	return b
}

// Around returns a box around points with a margin of degrees, at least
// minSpan degrees wide and high.
func Around(pts []Point, margin, minSpan float64) Box {
	b := Box{180, 90, -180, -90}
	for _, p := range pts {
		b.West, b.East = math.Min(b.West, p.Lon), math.Max(b.East, p.Lon)
		b.South, b.North = math.Min(b.South, p.Lat), math.Max(b.North, p.Lat)
	}
	b.West, b.East, b.South, b.North = b.West-margin, b.East+margin, b.South-margin, b.North+margin
	if w := b.East - b.West; w < minSpan {
		b.West, b.East = b.West-(minSpan-w)/2, b.East+(minSpan-w)/2
	}
	if h := b.North - b.South; h < minSpan {
		b.South, b.North = b.South-(minSpan-h)/2, b.North+(minSpan-h)/2
	}
	b.South, b.North = math.Max(b.South, -85), math.Min(b.North, 85)
	b.West, b.East = math.Max(b.West, -180), math.Min(b.East, 180)
	return b
}

// GeoJSON returns the outlines as a GeoJSON FeatureCollection, for a map
// drawn in the browser: one MultiPolygon a country, each ring its own
// polygon (a renderer filling even-odd, as Leaflet does, still shows a
// lake or an enclave as a hole), coordinates rounded to 0.01° (about a
// kilometre, finer than the 1:50m outlines).
func GeoJSON() ([]byte, error) {
	geoOnce.Do(func() {
		var cs []Country
		if cs, geoErr = Countries(); geoErr != nil {
			return
		}
		type geometry struct {
			Type        string           `json:"type"`
			Coordinates [][][][2]float64 `json:"coordinates"`
		}
		type feature struct {
			Type       string            `json:"type"`
			Properties map[string]string `json:"properties"`
			Geometry   geometry          `json:"geometry"`
		}
		round := func(v float64) float64 { return math.Round(v*100) / 100 }
		fc := struct {
			Type     string    `json:"type"`
			Features []feature `json:"features"`
		}{Type: "FeatureCollection", Features: []feature{}}
		for _, c := range cs {
			g := geometry{Type: "MultiPolygon"}
			for _, r := range c.Rings {
				ring := make([][2]float64, 0, len(r))
				for _, p := range r {
					q := [2]float64{round(p.Lon), round(p.Lat)}
					if n := len(ring); n > 0 && ring[n-1] == q {
						continue
					}
					ring = append(ring, q)
				}
				if len(ring) < 4 { // too small to draw at this rounding
					continue
				}
				if ring[0] != ring[len(ring)-1] {
					ring = append(ring, ring[0])
				}
				g.Coordinates = append(g.Coordinates, [][][2]float64{ring})
			}
			if len(g.Coordinates) == 0 {
				continue
			}
			fc.Features = append(fc.Features, feature{Type: "Feature", Properties: map[string]string{"name": c.Name}, Geometry: g})
		}
		geoJSON, geoErr = json.Marshal(fc)
	})
	return geoJSON, geoErr
}

var (
	geoOnce sync.Once
	geoJSON []byte
	geoErr  error
)
