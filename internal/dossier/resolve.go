package dossier

import (
	"context"
	"fmt"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/match"
)

// Resolve finds the entity a user names: by id, or through screening,
// taking the best hit only when it is a match, so that the press
// release's "Rosobornexport" finds Rosoboronexport. index returns the
// screening index; it is called only when the query is not an id.
func Resolve(ctx context.Context, r Reader, query string, index func() (*match.Index, error)) (string, *Match, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return "", nil, &armstrace.Error{Code: armstrace.EINVALID, Field: "name", Message: "name the entity: a name, an alias or an id"}
	}
	if e, err := r.FindEntityByID(ctx, query); err == nil {
		return e.ID, nil, nil
	} else if armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
		return "", nil, err
	}
	ix, err := index()
	if err != nil {
		return "", nil, err
	}
	hits := ix.Search(match.Subject{Name: query}, 3, 0, match.DefaultOptions())
	if len(hits) == 0 || !hits[0].Match {
		var cands []string
		for _, h := range hits {
			cands = append(cands, fmt.Sprintf("%s [%s] %.2f", h.Entity.Name, h.Entity.ID, h.Score))
		}
		msg := fmt.Sprintf("no entity matches %q", query)
		if len(cands) > 0 {
			msg += "; nearest, below the match threshold: " + strings.Join(cands, ", ") + " (give an id to choose one)"
		}
		return "", nil, armstrace.Errorf(armstrace.ENOTFOUND, "%s", msg)
	}
	h := hits[0]
	return h.Entity.ID, &Match{Score: h.Score, Band: string(h.Band), AliasMet: h.Explanation.Candidate, Explanation: h.Explanation.Summary}, nil
}
