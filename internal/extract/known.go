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
