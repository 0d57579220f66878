package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/armstrace/armstrace"
)

// auditDecision is the object type of screening decisions in the audit log.
const auditDecision = "screening_decision"

// PutScreeningDecision records a reviewer's decision on a screening hit,
// replacing an earlier one on the same name and entity. The reviewer is
// the context's actor and the time is now, unless set. It is audited.
func (s *Store) PutScreeningDecision(ctx context.Context, d *armstrace.ScreeningDecision) error {
	if d.Reviewer == "" {
		d.Reviewer = armstrace.ActorFrom(ctx)
	}
	if d.At == "" {
		d.At = time.Now().UTC().Format(time.RFC3339)
	}
	d.ID = armstrace.DecisionID(d.QueryKey, d.Entity)
	if err := d.Validate(); err != nil {
		return wrap("store.PutScreeningDecision", err)
	}
	doc, err := json.Marshal(d)
	if err != nil {
		return wrap("store.PutScreeningDecision", err)
	}
	return wrap("store.PutScreeningDecision", s.inTx(ctx, func(t *tx) error {
		if err := mustExist(ctx, t, "entities", "entity", "entity", d.Entity); err != nil {
			return err
		}
		var old string
		err := t.queryRow(ctx, `SELECT doc FROM screening_decisions WHERE id = ?`, d.ID).Scan(&old)
		action := armstrace.ActionCreate
		switch {
		case err == nil:
			action = armstrace.ActionUpdate
			if _, err := t.exec(ctx, `UPDATE screening_decisions SET decision = ?, doc = ? WHERE id = ?`, string(d.Decision), string(doc), d.ID); err != nil {
				return err
			}
		case errors.Is(err, sql.ErrNoRows):
			if _, err := t.exec(ctx, `INSERT INTO screening_decisions (id, query_key, entity_id, decision, doc) VALUES (?, ?, ?, ?, ?)`,
				d.ID, d.QueryKey, d.Entity, string(d.Decision), string(doc)); err != nil {
				return err
			}
		default:
			return err
		}
		return s.appendAudit(ctx, t, action, auditDecision, d.ID, string(doc))
	}))
}

// ScreeningDecisions lists every decision, by query key and entity.
func (s *Store) ScreeningDecisions(ctx context.Context) ([]*armstrace.ScreeningDecision, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT doc FROM screening_decisions ORDER BY query_key, entity_id`)
	if err != nil {
		return nil, wrap("store.ScreeningDecisions", err)
	}
	defer rows.Close()
	var out []*armstrace.ScreeningDecision
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, wrap("store.ScreeningDecisions", err)
		}
		d := &armstrace.ScreeningDecision{}
		if err := json.Unmarshal([]byte(doc), d); err != nil {
			return nil, wrap("store.ScreeningDecisions", err)
		}
		out = append(out, d)
	}
	return out, wrap("store.ScreeningDecisions", rows.Err())
}

// DeleteScreeningDecision removes the decision on a query key and an
// entity, so that the hit shows again. It is audited.
func (s *Store) DeleteScreeningDecision(ctx context.Context, queryKey, entity string) error {
	id := armstrace.DecisionID(queryKey, entity)
	return wrap("store.DeleteScreeningDecision", s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM screening_decisions WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return armstrace.Errorf(armstrace.ENOTFOUND, "no decision on %q and %s", queryKey, entity)
		}
		return s.appendAudit(ctx, t, armstrace.ActionDelete, auditDecision, id, fmt.Sprintf(`{"id":%q}`, id))
	}))
}
