package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/alert"
	"github.com/armstrace/armstrace/internal/store"
)

// watchChange is one change the audit log records about a watched
// entity: the entity itself, a claim naming it, or an event it acted in.
type watchChange struct {
	Seq     int64  `json:"seq"`
	Time    string `json:"time"`
	Actor   string `json:"actor"`
	Action  string `json:"action"`
	Type    string `json:"type"`
	ID      string `json:"id"`
	Entity  string `json:"entity"`  // the watched entity it concerns
	Summary string `json:"summary"` // what it says, in a line
}

// watchReport is what watch found: the changes after a point of the log,
// and the log's head, to start from next time.
type watchReport struct {
	Entities []string      `json:"entities"`
	After    int64         `json:"after,omitempty"`
	Since    string        `json:"since,omitempty"`
	Head     int64         `json:"head"`
	Changes  []watchChange `json:"changes"`
}

// IdempotencyKey makes a repeated post of the same report recognisable.
func (r *watchReport) IdempotencyKey() string {
	return fmt.Sprintf("watch:%s:%d:%s:%d", strings.Join(r.Entities, ","), r.After, r.Since, r.Head)
}

func (a *App) runWatch(ctx context.Context, args []string) error {
	fs := a.newFlagSet("watch", "watch ENTITY_ID… (--after SEQ | --since DATE) [--webhook URL]", `
List what changed about entities since a point of the audit log: the
entities themselves, claims naming them (a new sanction, contract,
supply, a weapon of theirs seen at an event, a review moving a claim to
verified or retracted), and events they took part in. Each change has its
audit entry's number, time and author. The report ends with the log's
head: run again with --after HEAD to see only what is new since, from
cron for instance. With --webhook, a report with changes is posted there
as JSON (retried, with an idempotency key), for a compliance team's
channel or tracker.`,
		"armstrace watch ent:rosoboronexport --since 2026-11-01",
		"armstrace watch ent:rosoboronexport ent:rostec --after 1018 --webhook https://hooks.example.org/armstrace")
	after := fs.Int64("after", -1, "changes after this audit entry (the head a previous run printed)")
	since := fs.String("since", "", "changes at or after this date or time (YYYY-MM-DD or RFC 3339, UTC)")
	webhook := fs.String("webhook", "", "post a report with changes to this URL as JSON")
	ids, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return a.usageError(fs, "name at least one entity id to watch")
	}
	if (*after < 0) == (*since == "") {
		return a.usageError(fs, "give one of --after SEQ or --since DATE")
	}
	// The log's times are UTC text of varying length: compared as text,
	// a time is given to the second, in UTC, without a zone, so that every
	// entry from that second on sorts after it.
	sinceAt := ""
	if *since != "" {
		t, err := time.Parse("2006-01-02", *since)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, *since); err != nil {
				return a.usageError(fs, "--since: %q is not YYYY-MM-DD or an RFC 3339 time", *since)
			}
		}
		sinceAt = t.UTC().Format("2006-01-02T15:04:05")
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, id := range ids {
		if _, err := s.FindEntityByID(ctx, id); err != nil {
			return err
		}
	}
	rep, err := watchChanges(ctx, s, ids, max(*after, 0), sinceAt)
	if err != nil {
		return err
	}
	if *webhook != "" && len(rep.Changes) > 0 {
		if err := alert.Post(ctx, &http.Client{Timeout: 30 * time.Second}, *webhook, rep, 3); err != nil {
			return err
		}
	}
	if a.JSON {
		return writeJSON(a.Stdout, rep)
	}
	fmt.Fprintf(a.Stdout, "%d change(s) about %s", len(rep.Changes), strings.Join(ids, ", "))
	if *since != "" {
		fmt.Fprintf(a.Stdout, " since %s\n", *since)
	} else {
		fmt.Fprintf(a.Stdout, " after audit entry %d\n", rep.After)
	}
	for _, c := range rep.Changes {
		fmt.Fprintf(a.Stdout, "  %6d  %s  %-6s %s  %s\n", c.Seq, c.Time, c.Action, c.Actor, c.Summary)
	}
	if *webhook != "" && len(rep.Changes) > 0 {
		fmt.Fprintf(a.Stdout, "posted to %s\n", alert.Redact(*webhook))
	}
	fmt.Fprintf(a.Stdout, "next: armstrace watch %s --after %d\n", strings.Join(ids, " "), rep.Head)
	return nil
}

// watchChanges reads the audit log after a sequence number (or since a
// time) for the changes that concern the entities, oldest first.
func watchChanges(ctx context.Context, s *store.Store, ids []string, after int64, since string) (*watchReport, error) {
	head, err := s.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	rep := &watchReport{Entities: ids, After: after, Since: since, Head: head, Changes: []watchChange{}}
	watched := func(id string) bool { return slices.Contains(ids, id) }
	names := map[string]string{}
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := id
		if e, err := s.FindEntityByID(ctx, id); err == nil {
			n = e.Name
		}
		names[id] = n
		return n
	}
	for _, typ := range []armstrace.RecordType{armstrace.TypeEntity, armstrace.TypeClaim, armstrace.TypeEvent} {
		// Up to the head read above: what is written meanwhile is for the
		// next run, which starts after it.
		before := head + 1
		for {
			page, err := s.FindAudit(ctx, armstrace.AuditFilter{ObjectType: string(typ), After: after, Since: since, Before: before, Limit: 1000})
			if err != nil {
				return nil, err
			}
			for _, e := range page {
				if c, ok := watchEntry(e, typ, watched, name); ok {
					rep.Changes = append(rep.Changes, c)
				}
			}
			if len(page) < 1000 {
				break
			}
			before = page[len(page)-1].Seq
		}
	}
	slices.SortFunc(rep.Changes, func(x, y watchChange) int { return int(x.Seq - y.Seq) })
	return rep, nil
}

// watchEntry says whether an audit entry concerns a watched entity, and
// what it says.
func watchEntry(e armstrace.AuditEntry, typ armstrace.RecordType, watched func(string) bool, name func(string) string) (watchChange, bool) {
	c := watchChange{Seq: e.Seq, Time: e.Time, Actor: e.Actor, Action: e.Action, Type: e.ObjectType, ID: e.ObjectID}
	switch typ {
	case armstrace.TypeEntity:
		if !watched(e.ObjectID) {
			return c, false
		}
		c.Entity, c.Summary = e.ObjectID, fmt.Sprintf("entity %s (%s) %sd", name(e.ObjectID), e.ObjectID, e.Action)
		return c, armstrace.WritesData(e.Action)
	case armstrace.TypeClaim:
		if !armstrace.WritesData(e.Action) {
			return c, false
		}
		var cl armstrace.Claim
		if json.Unmarshal([]byte(e.Change), &cl) != nil {
			return c, false
		}
		switch {
		case watched(cl.Subject):
			c.Entity = cl.Subject
		case watched(cl.Object):
			c.Entity = cl.Object
		default:
			return c, false
		}
		obj := cl.Object
		if cl.ObjectType == "" || cl.ObjectType == armstrace.ObjectEntity {
			obj = name(cl.Object)
		}
		c.Summary = fmt.Sprintf("claim %s %sd: %s %s %s (%s, confidence %.2f)", cl.ID, e.Action, name(cl.Subject), strings.ReplaceAll(string(cl.Kind), "_", " "), obj, cl.Status, cl.Confidence)
		return c, true
	case armstrace.TypeEvent:
		if !armstrace.WritesData(e.Action) {
			return c, false
		}
		var ev armstrace.Event
		if json.Unmarshal([]byte(e.Change), &ev) != nil {
			return c, false
		}
		for _, a := range ev.Actors {
			if watched(a.Entity) {
				c.Entity = a.Entity
				c.Summary = fmt.Sprintf("event %s %sd: %s, %s (%s as %s)", ev.ID, e.Action, ev.Title, ev.Start, name(a.Entity), a.Role)
				return c, true
			}
		}
	}
	return c, false
}
