package extract

import (
	"context"

	"github.com/armstrace/armstrace"
)

// ClaimFinder is what Known reads; *store.Store satisfies it.
type ClaimFinder interface {
	FindClaims(ctx context.Context, f armstrace.ClaimFilter) ([]*armstrace.Claim, error)
}

// Known returns the ids of the records of the graph that already hold
// what a proposal says: claims of its kind between its ends, or the
// event or ceasefire it resolved to. An empty list means the proposal
// is new to the graph.
func Known(ctx context.Context, f ClaimFinder, p *Proposal) ([]string, error) {
	switch p.Kind {
	case KindKilledIn, KindAtrocityAt:
		if p.Object != nil && p.Object.Event != "" {
			return []string{p.Object.Event}, nil
		}
		return nil, nil
	case KindCeasefire:
		if p.Object != nil && p.Object.Ceasefire != "" {
			return []string{p.Object.Ceasefire}, nil
		}
		return nil, nil
	}
	subj, obj := endID(p.Subject), endID(p.Object)
	if subj == "" || obj == "" || p.Subject.Entity == "" {
		return nil, nil
	}
	cs, err := f.FindClaims(ctx, armstrace.ClaimFilter{Kind: p.Kind.ClaimKind(), Subject: subj, Object: obj})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// Row is a proposal with what would become of it: the claim it would be
// written as, or why it is none, and the records of the graph that
// already hold what it says.
type Row struct {
	*Proposal
	Claim    string   `json:"claim,omitempty"`
	NotClaim string   `json:"not_a_claim,omitempty"`
	InGraph  []string `json:"in_graph,omitempty"` // records that already hold it
}

// Rows pairs each proposal with the claim it would be, citing source
// ("src:unsaved" when none is chosen yet), or why it is none, and with
// the records of f that already hold it (none when f is nil). The claims
// come back in proposal order, as records ready to be written together.
func Rows(ctx context.Context, f ClaimFinder, source string, ps []*Proposal) ([]Row, []armstrace.Record, error) {
	if source == "" {
		source = "src:unsaved"
	}
	rows := make([]Row, 0, len(ps))
	var claims []armstrace.Record
	for _, p := range ps {
		row := Row{Proposal: p}
		if c, why := Claim(source, p); c != nil {
			row.Claim = c.ID
			claims = append(claims, c)
		} else {
			row.NotClaim = why
		}
		if f != nil {
			known, err := Known(ctx, f, p)
			if err != nil {
				return nil, nil, err
			}
			for _, id := range known {
				if id != row.Claim {
					row.InGraph = append(row.InGraph, id)
				}
			}
		}
		rows = append(rows, row)
	}
	return rows, claims, nil
}
