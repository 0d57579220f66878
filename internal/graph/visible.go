package graph

import (
	"context"
	"slices"
	"sync"

	"github.com/armstrace/armstrace"
)

// Visible returns a reader that reads through r only what a reader who
// may see sources of the given access levels may see: entities, events
// and claims that cite at least one such source, or none. Nil levels
// return r itself. Records looked up by id that rest only on sources
// above the levels are not found, as if they did not exist, so that
// neither lists nor counts nor errors tell of them.
func Visible(r Reader, levels []armstrace.Access) Reader {
	if levels == nil {
		return r
	}
	return &visible{Reader: r, levels: levels, sources: map[string]bool{}}
}

type visible struct {
	Reader
	levels []armstrace.Access

	mu      sync.Mutex
	sources map[string]bool // source id → may be seen
}

// seen reports whether a record with these citations may be seen.
func (v *visible) seen(ctx context.Context, cs []armstrace.Citation) (bool, error) {
	if len(cs) == 0 {
		return true, nil
	}
	for _, c := range cs {
		ok, err := v.source(ctx, c.Source)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (v *visible) source(ctx context.Context, id string) (bool, error) {
	v.mu.Lock()
	ok, known := v.sources[id]
	v.mu.Unlock()
	if known {
		return ok, nil
	}
	s, err := v.Reader.FindSourceByID(ctx, id)
	if armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	ok = slices.Contains(v.levels, s.Access) || (s.Access == "" && slices.Contains(v.levels, armstrace.AccessPublic))
	v.mu.Lock()
	v.sources[id] = ok
	v.mu.Unlock()
	return ok, nil
}

func notFound(what, id string) error {
	return armstrace.Errorf(armstrace.ENOTFOUND, "%s %q not found", what, id)
}

func (v *visible) FindEntityByID(ctx context.Context, id string) (*armstrace.Entity, error) {
	e, err := v.Reader.FindEntityByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := v.seen(ctx, e.Citations); err != nil || !ok {
		return nil, cmpErr(err, notFound("entity", id))
	}
	return e, nil
}

func (v *visible) FindEventByID(ctx context.Context, id string) (*armstrace.Event, error) {
	e, err := v.Reader.FindEventByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := v.seen(ctx, e.Citations); err != nil || !ok {
		return nil, cmpErr(err, notFound("event", id))
	}
	return e.ShownTo(v.levels), nil
}

func (v *visible) FindSourceByID(ctx context.Context, id string) (*armstrace.Source, error) {
	if ok, err := v.source(ctx, id); err != nil || !ok {
		return nil, cmpErr(err, notFound("source", id))
	}
	return v.Reader.FindSourceByID(ctx, id)
}

func (v *visible) FindEntities(ctx context.Context, f armstrace.EntityFilter) ([]*armstrace.Entity, error) {
	f.Access = v.levels
	return v.Reader.FindEntities(ctx, f)
}

func (v *visible) FindEvents(ctx context.Context, f armstrace.EventFilter) ([]*armstrace.Event, error) {
	f.Access = v.levels
	return v.Reader.FindEvents(ctx, f)
}

func (v *visible) FindClaims(ctx context.Context, f armstrace.ClaimFilter) ([]*armstrace.Claim, error) {
	f = v.claims(f)
	return v.Reader.FindClaims(ctx, f)
}

func (v *visible) FindClaimEdges(ctx context.Context, f armstrace.ClaimFilter) ([]armstrace.ClaimEdge, error) {
	f = v.claims(f)
	return v.Reader.FindClaimEdges(ctx, f)
}

func (v *visible) RankClaimEdges(ctx context.Context, f armstrace.ClaimFilter, caps map[string]float64, allegedFactor float64, per int) ([]armstrace.RankedEdge, error) {
	f = v.claims(f)
	return v.Reader.RankClaimEdges(ctx, f, caps, allegedFactor, per)
}

func (v *visible) CountClaims(ctx context.Context, f armstrace.ClaimFilter) (int, error) {
	f = v.claims(f)
	return v.Reader.CountClaims(ctx, f)
}

// claims limits a claim filter, and the events it selects claims on, to
// what may be seen.
func (v *visible) claims(f armstrace.ClaimFilter) armstrace.ClaimFilter {
	f.Access = v.levels
	if f.ObjectEvents != nil {
		ev := *f.ObjectEvents
		ev.Access = v.levels
		f.ObjectEvents = &ev
	}
	return f
}

// cmpErr returns err when there is one, else alt.
func cmpErr(err, alt error) error {
	if err != nil {
		return err
	}
	return alt
}
