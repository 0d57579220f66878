package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/armstrace/armstrace"
)

// auditAlert is the object type of ceasefire alerts in the audit log.
const auditAlert = "alert"

// RecordAlert records an alert once: created is false, and nothing is
// written, when an alert on the same ceasefire, day and group is already
// recorded (the first one stands). The time is now, unless set. It is
// audited.
func (s *Store) RecordAlert(ctx context.Context, a *armstrace.Alert) (created bool, err error) {
	const op = "store.RecordAlert"
	if a.At == "" {
		a.At = s.Now().UTC().Format(time.RFC3339)
	}
	a.ID = armstrace.AlertID(a.Ceasefire, a.Day, a.Group)
	if err := a.Validate(); err != nil {
		return false, wrap(op, err)
	}
	doc, err := json.Marshal(a)
	if err != nil {
		return false, wrap(op, err)
	}
	err = s.inTx(ctx, func(t *tx) error {
		if err := mustExist(ctx, t, "ceasefires", "ceasefire", "ceasefire", a.Ceasefire); err != nil {
			return err
		}
		res, err := t.exec(ctx, `INSERT INTO alerts (id, ceasefire_id, day, grp, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			a.ID, a.Ceasefire, a.Day, a.Group, string(doc))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		created = true
		return s.appendAudit(ctx, t, armstrace.ActionCreate, auditAlert, a.ID, string(doc))
	})
	if err != nil {
		return false, wrap(op, err)
	}
	return created, nil
}

// Alerts lists the alerts recorded on a ceasefire, by day and group.
func (s *Store) Alerts(ctx context.Context, ceasefireID string) ([]*armstrace.Alert, error) {
	const op = "store.Alerts"
	rows, err := s.read.QueryContext(ctx, s.Rebind(`SELECT doc FROM alerts WHERE ceasefire_id = ? ORDER BY day, grp`), ceasefireID)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []*armstrace.Alert
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, wrap(op, err)
		}
		a := &armstrace.Alert{}
		if err := json.Unmarshal([]byte(doc), a); err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, a)
	}
	return out, wrap(op, rows.Err())
}
