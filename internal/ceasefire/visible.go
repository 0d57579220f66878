package ceasefire

import (
	"context"
	"slices"

	"github.com/armstrace/armstrace"
)

// Visible returns a reader that reads through r only what a reader who
// may see sources of the given access levels may see; nil levels return
// r itself.
func Visible(r Reader, levels []armstrace.Access) Reader {
	if levels == nil {
		return r
	}
	return &visible{Reader: r, levels: levels, sources: map[string]bool{}}
}

// visible reads only what a reader who may see sources of the given
// levels may see: events, series and ceasefires resting only on other
// sources are left out of counts and lists, and not found by id.
type visible struct {
	Reader
	levels  []armstrace.Access
	sources map[string]bool
}

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
	if ok, known := v.sources[id]; known {
		return ok, nil
	}
	s, err := v.Reader.FindSourceByID(ctx, id)
	if armstrace.ErrorCode(err) == armstrace.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	ok := slices.Contains(v.levels, s.Access)
	v.sources[id] = ok
	return ok, nil
}

func hidden(what, id string) error {
	return armstrace.Errorf(armstrace.ENOTFOUND, "%s %q not found", what, id)
}

func (v *visible) FindCeasefireByID(ctx context.Context, id string) (*armstrace.Ceasefire, error) {
	c, err := v.Reader.FindCeasefireByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := v.seen(ctx, c.Citations); err != nil {
		return nil, err
	} else if !ok {
		return nil, hidden("ceasefire", id)
	}
	return c, nil
}

func (v *visible) FindCeasefires(ctx context.Context) ([]*armstrace.Ceasefire, error) {
	all, err := v.Reader.FindCeasefires(ctx)
	if err != nil {
		return nil, err
	}
	var out []*armstrace.Ceasefire
	for _, c := range all {
		ok, err := v.seen(ctx, c.Citations)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

func (v *visible) FindEntityByID(ctx context.Context, id string) (*armstrace.Entity, error) {
	e, err := v.Reader.FindEntityByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := v.seen(ctx, e.Citations); err != nil {
		return nil, err
	} else if !ok {
		return nil, hidden("entity", id)
	}
	return e, nil
}

func (v *visible) FindSeriesByID(ctx context.Context, id string) (*armstrace.Series, error) {
	s, err := v.Reader.FindSeriesByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := v.seen(ctx, s.Citations); err != nil {
		return nil, err
	} else if !ok {
		return nil, hidden("series", id)
	}
	return s, nil
}

func (v *visible) FindSourceByID(ctx context.Context, id string) (*armstrace.Source, error) {
	if ok, err := v.source(ctx, id); err != nil {
		return nil, err
	} else if !ok {
		return nil, hidden("source", id)
	}
	return v.Reader.FindSourceByID(ctx, id)
}

func (v *visible) FindEvents(ctx context.Context, f armstrace.EventFilter) ([]*armstrace.Event, error) {
	f.Access = v.levels
	return v.Reader.FindEvents(ctx, f)
}

func (v *visible) TallyEvents(ctx context.Context, q armstrace.TallyQuery) ([]armstrace.TallyRow, error) {
	q.Access = v.levels
	return v.Reader.TallyEvents(ctx, q)
}

// EventDatasets keeps the datasets of which the reader may see an
// event: a dataset known only from hidden events is not named.
func (v *visible) EventDatasets(ctx context.Context, country string) ([]string, error) {
	all, err := v.Reader.EventDatasets(ctx, country)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range all {
		rows, err := v.TallyEvents(ctx, armstrace.TallyQuery{Country: country, Dataset: d})
		if err != nil {
			return nil, err
		}
		if len(rows) > 0 {
			out = append(out, d)
		}
	}
	return out, nil
}
