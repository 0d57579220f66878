package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/match"
	"github.com/armstrace/armstrace/internal/screening"
	"github.com/armstrace/armstrace/internal/store"
)

// The match endpoint follows the shape of OpenSanctions' yente /match, so
// that its clients feel at home: a batch of named queries, each a schema
// and multi-valued FollowTheMoney properties; results with score, match
// and explanations, and the matcher's name and version.

type matchRequest struct {
	Queries map[string]matchQuery `json:"queries"`
}

type matchQuery struct {
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

type matchResult struct {
	ID          string            `json:"id"`
	Caption     string            `json:"caption"`
	Schema      string            `json:"schema"`
	Score       float64           `json:"score"`
	Match       bool              `json:"match"`
	Band        match.Band        `json:"band"`
	Explanation match.Explanation `json:"explanations"`
	Entity      *armstrace.Entity `json:"entity"`
	Graph       store.GraphCounts `json:"graph"`
	// Review is a reviewer's decision on this hit: on a result, that it
	// is a match; on a suppressed hit, that it is not.
	Review *armstrace.ScreeningDecision `json:"review,omitempty"`
}

type matchResponse struct {
	Status  int           `json:"status"`
	Results []matchResult `json:"results"`
	Total   struct {
		Value    int    `json:"value"`
		Relation string `json:"relation"`
	} `json:"total"`
	Query matchQuery `json:"query"`
	// Suppressed are hits a reviewer decided are not a match.
	Suppressed []matchResult `json:"suppressed,omitempty"`
}

// identifierProps maps FollowTheMoney properties to identifier schemes.
var identifierProps = map[string]string{
	"innCode": "ru-inn", "ogrnCode": "ru-ogrn", "leiCode": "lei", "imoNumber": "imo",
	"dunsCode": "duns", "uniqueEntityId": "us-uei", "cageCode": "us-cage", "ofacId": "ofac-ent",
}

var schemaKinds = map[string]armstrace.EntityKind{
	"Company": armstrace.EntityCompany, "Organization": armstrace.EntityCompany, "LegalEntity": "",
	"Person": armstrace.EntityPerson, "Vessel": armstrace.EntityVessel, "PublicBody": armstrace.EntityAgency,
}

var kindSchemas = map[armstrace.EntityKind]string{
	armstrace.EntityCompany: "Company", armstrace.EntityPerson: "Person", armstrace.EntityVessel: "Vessel",
	armstrace.EntityAgency: "PublicBody", armstrace.EntityState: "Organization", armstrace.EntityArmedForce: "Organization",
	armstrace.EntityArmedGroup: "Organization", armstrace.EntityWeaponModel: "Thing",
}

func (s *Server) match(w http.ResponseWriter, r *http.Request) error {
	limit, threshold, err := matchParams(r)
	if err != nil {
		return err
	}
	exclude := map[string]bool{}
	for _, id := range r.URL.Query()["exclude_entity_ids"] {
		exclude[id] = true
	}
	var req matchRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if len(req.Queries) == 0 {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "queries", Message: "give at least one query"}
	}
	ix, err := s.screeningIndex(r.Context())
	if err != nil {
		return err
	}
	opts := match.DefaultOptions()
	opts.Threshold = threshold
	decided, err := s.Store.ScreeningDecisions(r.Context())
	if err != nil {
		return err
	}
	decisions := screening.NewDecisions(decided)
	names := make([]string, 0, len(req.Queries))
	for name := range req.Queries {
		names = append(names, name)
	}
	sort.Strings(names)
	out := map[string]matchResponse{}
	for _, name := range names {
		q := req.Queries[name]
		subj, err := subjectOf(name, q)
		if err != nil {
			return err
		}
		all := ix.Search(subj, limit+len(exclude)+decisions.Suppressed(subj.Name), 0, opts)
		hits, suppressed := decisions.Apply(subj.Name, all, 0)
		resp := matchResponse{Status: http.StatusOK, Results: []matchResult{}, Query: q}
		result := func(h screening.Hit) (matchResult, error) {
			g, err := s.Store.CountGraph(r.Context(), h.Entity.ID, levelsOf(r.Context()))
			if err != nil {
				return matchResult{}, err
			}
			e, err := s.shown(r.Context(), h.Entity)
			return matchResult{ID: h.Entity.ID, Caption: h.Entity.Name, Schema: kindSchemas[h.Entity.Kind],
				Score: h.Score, Match: h.Match, Band: h.Band, Explanation: h.Explanation, Entity: e, Graph: g, Review: h.Review}, err
		}
		for _, h := range hits {
			if exclude[h.Entity.ID] || len(resp.Results) == limit {
				continue
			}
			res, err := result(h)
			if err != nil {
				return err
			}
			resp.Results = append(resp.Results, res)
		}
		for _, h := range suppressed {
			res, err := result(h)
			if err != nil {
				return err
			}
			resp.Suppressed = append(resp.Suppressed, res)
		}
		resp.Total.Value, resp.Total.Relation = len(resp.Results), "eq"
		out[name] = resp
	}
	log := s.readLog(r)
	for _, resp := range out {
		for _, res := range append(resp.Results, resp.Suppressed...) {
			if err := log.entity(res.Entity); err != nil {
				return err
			}
		}
	}
	if err := log.write(); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"responses": out,
		"matcher":   map[string]any{"name": "armstrace-match", "version": armstrace.Version, "threshold": threshold},
		"limit":     limit,
	})
}

func matchParams(r *http.Request) (limit int, threshold float64, err error) {
	limit, threshold = 5, match.DefaultThreshold
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 500 {
			return 0, 0, &armstrace.Error{Code: armstrace.EINVALID, Field: "limit", Message: "must be a whole number from 1 to 500"}
		}
	}
	if v := q.Get("threshold"); v != "" {
		if threshold, err = strconv.ParseFloat(v, 64); err != nil || threshold < 0 || threshold > 1 {
			return 0, 0, &armstrace.Error{Code: armstrace.EINVALID, Field: "threshold", Message: "must be a number from 0 to 1"}
		}
	}
	return limit, threshold, nil
}

// subjectOf turns a yente-style query into a match subject.
func subjectOf(name string, q matchQuery) (match.Subject, error) {
	var subj match.Subject
	kind, ok := schemaKinds[q.Schema]
	if q.Schema != "" && !ok {
		return subj, &armstrace.Error{Code: armstrace.EINVALID, Field: "queries." + name + ".schema", Message: "unknown schema " + strconv.Quote(q.Schema)}
	}
	subj.Kind = kind
	ns := q.Properties["name"]
	if len(ns) == 0 {
		ns = q.Properties["alias"]
	}
	if len(ns) == 0 && len(identifiersOf(q)) == 0 {
		return subj, &armstrace.Error{Code: armstrace.EINVALID, Field: "queries." + name + ".properties.name", Message: "give a name or an identifier"}
	}
	if len(ns) > 0 {
		subj.Name = ns[0]
		for _, n := range append(ns[1:], q.Properties["alias"]...) {
			if n != subj.Name {
				subj.Aliases = append(subj.Aliases, armstrace.Name{Value: n})
			}
		}
	}
	if cs := q.Properties["country"]; len(cs) > 0 {
		subj.Country = strings.ToUpper(cs[0])
	}
	subj.Identifiers = identifiersOf(q)
	return subj, nil
}

func identifiersOf(q matchQuery) []armstrace.Identifier {
	var ids []armstrace.Identifier
	props := make([]string, 0, len(q.Properties))
	for p := range q.Properties {
		props = append(props, p)
	}
	sort.Strings(props)
	for _, p := range props {
		if scheme, ok := identifierProps[p]; ok {
			for _, v := range q.Properties[p] {
				ids = append(ids, armstrace.Identifier{Scheme: scheme, Value: v})
			}
		}
	}
	return ids
}

// search finds entities by name: GET /api/v1/search?q=NAME&limit=N.
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "q", Message: "required"}
	}
	limit, threshold, err := matchParams(r)
	if err != nil {
		return err
	}
	ix, err := s.screeningIndex(r.Context())
	if err != nil {
		return err
	}
	opts := match.DefaultOptions()
	opts.Threshold = threshold
	hits := ix.Search(match.Subject{Name: q}, limit, 0, opts)
	results := make([]matchResult, 0, len(hits))
	for _, h := range hits {
		e, err := s.shown(r.Context(), h.Entity)
		if err != nil {
			return err
		}
		results = append(results, matchResult{ID: h.Entity.ID, Caption: h.Entity.Name, Schema: kindSchemas[h.Entity.Kind],
			Score: h.Score, Match: h.Match, Band: h.Band, Explanation: h.Explanation, Entity: e})
	}
	log := s.readLog(r)
	for _, res := range results {
		if err := log.entity(res.Entity); err != nil {
			return err
		}
	}
	evs, srcs, err := s.searchText(r.Context(), log, q, limit)
	if err != nil {
		return err
	}
	if err := log.write(); err != nil {
		return err
	}
	type eventHit struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Type  string `json:"type"`
		Start string `json:"start"`
		End   string `json:"end"`
		Place string `json:"place,omitempty"`
	}
	type sourceHit struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		Kind      string `json:"kind"`
		Publisher string `json:"publisher,omitempty"`
		Published string `json:"published,omitempty"`
		Access    string `json:"access"`
	}
	events := make([]eventHit, len(evs))
	for i, e := range evs {
		place := strings.Trim(e.Place.Name+", "+e.Place.Country, ", ")
		events[i] = eventHit{e.ID, e.Title, e.Type, string(e.Start), string(e.End), place}
	}
	sources := make([]sourceHit, len(srcs))
	for i, src := range srcs {
		sources[i] = sourceHit{src.ID, src.Title, string(src.Kind), src.Publisher, string(src.Published), string(src.Access)}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"query": q, "results": results, "total": map[string]any{"value": len(results), "relation": "eq"},
		"events": events, "sources": sources})
}
