package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/geo"
	"github.com/armstrace/armstrace/internal/graph"
)

// mapView is a map drawn on the server: country outlines and marks.
type mapView struct {
	Width, Height int
	Countries     []geo.Outline
	Marks         []mark
	Unplaced      int // events with no point to draw
}

// mark is an event on a map: a point, and a circle as wide as the
// source's uncertainty about where it happened.
type mark struct {
	ID, Title, Precision string
	X, Y, R              float64
	Lat, Lon, KM         float64 // for the map drawn in the browser
}

// JSON is the marks for the browser's map (app.js), in a data attribute:
// the page stays script-free and the drawing on the server stays the
// fallback.
func (m *mapView) JSON() (string, error) {
	type point struct {
		ID        string  `json:"id"`
		Title     string  `json:"title"`
		Precision string  `json:"precision"`
		Lat       float64 `json:"lat"`
		Lon       float64 `json:"lon"`
		KM        float64 `json:"km"`
	}
	pts := make([]point, len(m.Marks))
	for i, k := range m.Marks {
		pts[i] = point{k.ID, k.Title, k.Precision, k.Lat, k.Lon, k.KM}
	}
	b, err := json.Marshal(pts)
	return string(b), err
}

// uncertaintyKM is how far from its point an event may have happened,
// by the precision its source gives; a country-wide event has no point.
var uncertaintyKM = map[armstrace.GeoPrecision]float64{
	armstrace.GeoExact: 1, armstrace.GeoNear: 25, armstrace.GeoAdmin2: 50, armstrace.GeoAdmin1: 150,
}

// eventMap draws events on the countries around them.
func eventMap(evs []*armstrace.Event, width float64) (*mapView, error) {
	var pts []geo.Point
	m := &mapView{}
	for _, e := range evs {
		if e.Place.Lat == nil || e.Place.Lon == nil || e.Place.Precision == armstrace.GeoCountry {
			m.Unplaced++
			continue
		}
		pts = append(pts, geo.Point{Lon: *e.Place.Lon, Lat: *e.Place.Lat})
	}
	if len(pts) == 0 {
		return m, nil
	}
	v := geo.NewView(geo.Around(pts, 1, 3).Widen(1.5), width)
	m.Width, m.Height = int(v.Width), int(v.Height)
	var err error
	if m.Countries, err = v.Outlines(); err != nil {
		return nil, err
	}
	for _, e := range evs {
		if e.Place.Lat == nil || e.Place.Lon == nil || e.Place.Precision == armstrace.GeoCountry {
			continue
		}
		x, y := v.XY(geo.Point{Lon: *e.Place.Lon, Lat: *e.Place.Lat})
		km, ok := uncertaintyKM[e.Place.Precision]
		if !ok {
			km = 25
		}
		m.Marks = append(m.Marks, mark{ID: e.ID, Title: e.Title, Precision: string(e.Place.Precision), X: x, Y: y, R: max(v.KM(km), 3),
			Lat: *e.Place.Lat, Lon: *e.Place.Lon, KM: km})
	}
	return m, nil
}

// countriesGeoJSON serves the bundled country outlines for the maps
// drawn in the browser, compressed once when the client takes gzip.
func countriesGeoJSON() http.Handler {
	var (
		once      sync.Once
		raw, gz   []byte
		loadError error
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() {
			if raw, loadError = geo.GeoJSON(); loadError != nil {
				return
			}
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Write(raw)
			if loadError = zw.Close(); loadError == nil {
				gz = b.Bytes()
			}
		})
		if loadError != nil {
			http.Error(w, "the country outlines could not be read", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/geo+json")
		h.Set("Cache-Control", "public, max-age=86400")
		h.Set("Vary", "Accept-Encoding")
		body := raw
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			body = gz
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}

// eventPage shows an event: when and where, how precisely, who, how many
// died, the weapons seen there, its sources, and a map.
func (s *Server) eventPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	rd := graph.Visible(s.readerOf(ctx), levelsOf(ctx))
	e, err := rd.FindEventByID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	lk := graph.NewLinker(ctx, rd, seesConfidential(ctx))
	obs, err := rd.FindClaims(ctx, armstrace.ClaimFilter{Object: e.ID, ObjectType: armstrace.ObjectEvent, Limit: 200})
	if err != nil {
		return err
	}
	log := s.readLog(r)
	var seen []graph.Link
	for _, c := range obs {
		l := lk.Link(c)
		log.citations(l.Citations)
		seen = append(seen, l)
	}
	cites := lk.Cite(e.Citations)
	log.citations(cites)
	if err := log.write(); err != nil {
		return err
	}
	actors := make([]graph.Node, len(e.Actors))
	for i, a := range e.Actors {
		actors[i] = lk.Node(a.Entity, armstrace.ObjectEntity)
	}
	m, err := eventMap([]*armstrace.Event{e}, 640)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "event.html", e.Title, map[string]any{"Event": e, "Actors": actors, "Seen": seen, "Sources": cites, "Map": m,
		"Uncertainty": uncertaintyKM[e.Place.Precision], "Whole": seesConfidential(ctx)})
}

// maxMapped bounds the events listed and drawn on the events page.
const maxMapped = 500

// eventsPage lists a country's events in a period, on a map.
func (s *Server) eventsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := armstrace.EventFilter{Country: q.Get("country"), Since: armstrace.Date(q.Get("since")), Until: armstrace.Date(q.Get("until")), Limit: maxMapped, Access: levelsOf(ctx)}
	for _, d := range []struct {
		name string
		v    armstrace.Date
	}{{"since", f.Since}, {"until", f.Until}} {
		if d.v != "" {
			if err := d.v.Validate(); err != nil {
				return &armstrace.Error{Code: armstrace.EINVALID, Field: d.name, Message: armstrace.ErrorMessage(err)}
			}
		}
	}
	data := map[string]any{"F": f}
	if f.Country != "" {
		evs, err := s.Store.FindEvents(ctx, f)
		if err != nil {
			return err
		}
		m, err := eventMap(evs, 860)
		if err != nil {
			return err
		}
		data["Events"], data["Map"], data["Full"] = evs, m, len(evs) == maxMapped
		data["Limit"] = strconv.Itoa(maxMapped)
	}
	return s.render(w, r, http.StatusOK, "events.html", "Events", data)
}
