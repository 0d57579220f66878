package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
)

// ReviewClaim moves a claim to a new status for a reason, recording the
// decision in the claim's reviews with the context's actor as reviewer:
// one audited update, read and written in one transaction so that two
// reviewers cannot each overwrite the other's decision.
func (s *Store) ReviewClaim(ctx context.Context, id string, to armstrace.Status, reason string) (*armstrace.Claim, error) {
	const op = "store.ReviewClaim"
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, wrap(op, &armstrace.Error{Code: armstrace.EINVALID, Field: "reason", Message: "say why: the next reviewer reads it"})
	}
	var out *armstrace.Claim
	err := s.inTx(ctx, func(t *tx) error {
		var doc string
		if err := t.queryRow(ctx, `SELECT doc FROM claims WHERE id = ?`, id).Scan(&doc); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return armstrace.Errorf(armstrace.ENOTFOUND, "claim %q not found", id)
			}
			return err
		}
		c := &armstrace.Claim{}
		if err := json.Unmarshal([]byte(doc), c); err != nil {
			return err
		}
		if c.Status == to {
			return &armstrace.Error{Code: armstrace.ECONFLICT, Field: "status", Message: "the claim is " + string(to) + " already"}
		}
		c.Reviews = append(c.Reviews, armstrace.Review{From: c.Status, To: to, Reason: reason, Reviewer: armstrace.ActorFrom(ctx), At: s.Now().UTC().Format(time.RFC3339)})
		c.Status = to
		if _, err := s.put(ctx, t, c, putUpdate); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, wrap(op, err)
}
