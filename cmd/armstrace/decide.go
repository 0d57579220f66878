package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/screening"
)

func (a *App) runDecide(ctx context.Context, args []string) error {
	fs := a.newFlagSet("decide", "decide NAME ENTITY_ID not-a-match|match --reason TEXT | decide --list | decide --undo NAME ENTITY_ID", `
Record a reviewer's decision on a screening hit. "not-a-match" suppresses
the hit: screening the name again (or any spelling that normalises alike)
no longer shows that entity, and lists it as suppressed with the reason.
"match" confirms the hit, and screening shows the review with it. Every
decision, and its undoing, is audited.`,
		`armstrace decide "Rosneft Oil Company" ent:rosoboronexport not-a-match --reason "oil company, not the arms exporter"`,
		"armstrace decide --list",
		`armstrace decide --undo "Rosneft Oil Company" ent:rosoboronexport`)
	reason := fs.String("reason", "", "why: required, for the next reviewer")
	list := fs.Bool("list", false, "list every decision")
	undo := fs.Bool("undo", false, "remove the decision on NAME and ENTITY_ID")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *list:
		if len(pos) > 0 {
			return a.usageError(fs, "--list takes no arguments")
		}
		s, err := a.openStore(ctx, false)
		if err != nil {
			return err
		}
		defer s.Close()
		ds, err := s.ScreeningDecisions(ctx)
		if err != nil {
			return err
		}
		if a.JSON {
			if ds == nil {
				ds = []*armstrace.ScreeningDecision{}
			}
			return writeJSON(a.Stdout, ds)
		}
		if len(ds) == 0 {
			fmt.Fprintln(a.Stdout, "No screening decisions recorded.")
		}
		for _, d := range ds {
			fmt.Fprintf(a.Stdout, "%-12s %q → %s  (%s, %s)\n  %s\n", d.Decision, d.Query, d.Entity, d.Reviewer, d.At, d.Reason)
		}
		return nil
	case *undo:
		if len(pos) != 2 {
			return a.usageError(fs, "--undo needs NAME and ENTITY_ID")
		}
		s, err := a.openStore(ctx, true)
		if err != nil {
			return err
		}
		defer s.Close()
		if err := s.DeleteScreeningDecision(ctx, screening.Key(pos[0]), pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "decision on %q and %s removed\n", pos[0], pos[1])
		return nil
	}
	if len(pos) != 3 {
		return a.usageError(fs, "give NAME, ENTITY_ID and not-a-match or match")
	}
	decision := map[string]armstrace.Decision{"not-a-match": armstrace.DecisionNotAMatch, "match": armstrace.DecisionMatch}[strings.ToLower(pos[2])]
	if decision == "" {
		return a.usageError(fs, "decision %q: use not-a-match or match", pos[2])
	}
	if strings.TrimSpace(*reason) == "" {
		return a.usageError(fs, "--reason is required: say why, for the next reviewer")
	}
	s, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	d := &armstrace.ScreeningDecision{Query: pos[0], QueryKey: screening.Key(pos[0]), Entity: pos[1], Decision: decision, Reason: *reason}
	if err := s.PutScreeningDecision(ctx, d); err != nil {
		return err
	}
	if a.JSON {
		return writeJSON(a.Stdout, d)
	}
	fmt.Fprintf(a.Stdout, "recorded: %s is %s for %q (and spellings that normalise to %q)\n", d.Entity, strings.ReplaceAll(string(d.Decision), "_", " "), d.Query, d.QueryKey)
	return nil
}
