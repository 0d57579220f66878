package geo

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCountriesDecode(t *testing.T) {
	cs, err := Countries()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 200 {
		t.Fatalf("%d countries", len(cs))
	}
	var syria *Country
	for i := range cs {
		if cs[i].Name == "Syria" {
			syria = &cs[i]
		}
	}
	// Syria lies between about 35.7°E and 42.4°E, 32.3°N and 37.3°N.
	if syria == nil || syria.Box.West < 35 || syria.Box.West > 36.5 || syria.Box.East < 42 || syria.Box.East > 43 || syria.Box.South < 32 || syria.Box.South > 33 || syria.Box.North < 37 || syria.Box.North > 37.6 {
		t.Fatalf("Syria: %+v", syria)
	}
	// Homs (34.73°N, 36.71°E) is inside Syria's box, and drawn inside a
	// view of it.
	v := NewView(Around([]Point{{36.71, 34.73}}, 1, 4), 600)
	x, y := v.XY(Point{36.71, 34.73})
	if x <= 0 || x >= v.Width || y <= 0 || y >= v.Height {
		t.Errorf("Homs at %.0f,%.0f in a %.0f×%.0f view", x, y, v.Width, v.Height)
	}
	out, err := v.Outlines()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range out {
		names = append(names, o.Name)
	}
	if got := strings.Join(names, ","); !strings.Contains(got, "Syria") || !strings.Contains(got, "Lebanon") || strings.Contains(got, "Brazil") {
		t.Errorf("countries around Homs: %s", got)
	}
}

func TestWiden(t *testing.T) {
	b := Around([]Point{{36.71, 34.73}}, 1, 3).Widen(1.5)
	v := NewView(b, 600)
	if r := v.Width / v.Height; r < 1.49 || r > 1.51 {
		t.Errorf("aspect %.2f after widening to 1.5", r)
	}
	wide := Box{West: 0, South: 0, East: 40, North: 10}
	if wide.Widen(1.5) != wide {
		t.Error("a box wide enough was changed")
	}
}

// TestGeoJSON checks the outlines served to the browser: valid GeoJSON,
// every ring closed, Syria's outline around Homs, and a size a page can
// fetch.
func TestGeoJSON(t *testing.T) {
	data, err := GeoJSON()
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string
		Features []struct {
			Type       string
			Properties struct{ Name string }
			Geometry   struct {
				Type        string
				Coordinates [][][][2]float64
			}
		}
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) < 200 {
		t.Fatalf("%s of %d features", fc.Type, len(fc.Features))
	}
	found := false
	for _, f := range fc.Features {
		if f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) == 0 {
			t.Fatalf("%s: %s of %d polygons", f.Properties.Name, f.Geometry.Type, len(f.Geometry.Coordinates))
		}
		for _, poly := range f.Geometry.Coordinates {
			r := poly[0]
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Fatalf("%s: a ring of %d points, open or too short", f.Properties.Name, len(r))
			}
		}
		if f.Properties.Name == "Syria" {
			found = true
			var west, east = 180.0, -180.0
			for _, p := range f.Geometry.Coordinates[0][0] {
				west, east = min(west, p[0]), max(east, p[0])
			}
			if west > 36.71 || east < 36.71 {
				t.Errorf("Syria's outline spans %.2f–%.2f°E, not Homs at 36.71", west, east)
			}
		}
	}
	if !found {
		t.Error("no Syria")
	}
	if len(data) > 3<<20 {
		t.Errorf("%d bytes of GeoJSON", len(data))
	}
	t.Logf("%d countries, %d bytes", len(fc.Features), len(data))
}
