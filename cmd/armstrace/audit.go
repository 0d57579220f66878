package main

import (
	"context"
	"fmt"

	"github.com/armstrace/armstrace"
)

// errAuditBroken is returned when verification finds a broken link; the
// report has been printed already.
var errAuditBroken = &armstrace.Error{Code: armstrace.ECONFLICT, Message: "the audit log does not verify"}

func (a *App) runAudit(ctx context.Context, args []string) error {
	fs := a.newFlagSet("audit", "audit verify | audit log [TYPE ID]", `
Every write to the database appends an entry to an audit log: who, what,
when, the record as written, its digest, and the hash of the entry before.

  verify  re-walks the whole chain and names the first broken link, then
          checks that every record is the version its last audit entry
          recorded, naming records changed, added or deleted outside
          armstrace. It prints the head hash: keep a copy elsewhere, and a
          later verify that ends on a different hash shows that the tail
          was cut.
  log     prints the entries, or those about one record (audit log entity ent:x).`,
		"armstrace audit verify",
		"armstrace --json audit verify",
		"armstrace audit log claim clm:roe-dod-mi17-contract")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	arg := func(i int) string {
		if i < len(pos) {
			return pos[i]
		}
		return ""
	}
	switch arg(0) {
	case "verify":
		if len(pos) != 1 {
			return a.usageError(fs, "audit verify takes no arguments")
		}
		return a.auditVerify(ctx)
	case "log":
		if len(pos) != 1 && len(pos) != 3 {
			return a.usageError(fs, "audit log takes no arguments, or a record type and id")
		}
		return a.auditLog(ctx, arg(1), arg(2))
	case "":
		return a.usageError(fs, "audit needs a subcommand: verify or log")
	}
	return a.usageError(fs, "unknown audit subcommand %q", arg(0))
}

func (a *App) auditVerify(ctx context.Context) error {
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if a.JSON {
		if err := writeJSON(a.Stdout, rep); err != nil {
			return err
		}
	} else {
		if rep.Break == nil {
			fmt.Fprintf(a.Stdout, "audit log OK: %d entries, head %d %s\n", rep.Entries, rep.HeadSeq, rep.HeadHash)
		} else {
			fmt.Fprintf(a.Stdout, "audit log BROKEN at entry %d: %s\n(%d entries read; recorded head %d %s)\n", rep.Break.Seq, rep.Break.Reason, rep.Entries, rep.HeadSeq, rep.HeadHash)
		}
		if rep.DataBreak == nil {
			fmt.Fprintf(a.Stdout, "records OK: all %d match their last audit entry\n", rep.Records)
		} else {
			fmt.Fprintf(a.Stdout, "records BROKEN: %d of %d do not match the audit log; first: %s %s: %s\n", rep.DataBreaks, rep.Records, rep.DataBreak.Type, rep.DataBreak.ID, rep.DataBreak.Reason)
		}
	}
	if !rep.OK() {
		return errAuditBroken
	}
	return nil
}

func (a *App) auditLog(ctx context.Context, typ, id string) error {
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	entries, err := s.AuditLog(ctx, typ, id)
	if err != nil {
		return err
	}
	if a.JSON {
		if entries == nil {
			entries = []armstrace.AuditEntry{}
		}
		return writeJSON(a.Stdout, entries)
	}
	for _, e := range entries {
		fmt.Fprintf(a.Stdout, "%6d  %s  %-14s %-6s %-9s %s  %.12s\n", e.Seq, e.Time, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Hash)
	}
	return nil
}
