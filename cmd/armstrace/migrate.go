package main

import (
	"context"
	"fmt"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
)

func (a *App) runMigrate(ctx context.Context, args []string) error {
	fs := a.newFlagSet("migrate", "migrate", `
Apply pending schema migrations and list every migration with the time it
was applied. Other commands migrate on their own; run this one to upgrade a
shared PostgreSQL database at a time of your choosing.`,
		"armstrace migrate",
		"armstrace --db postgres://armstrace@db.example/armstrace migrate")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	s, err := store.Open(ctx, a.DB)
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	all, err := s.Migrations(ctx)
	if err != nil {
		return err
	}
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"database": s.Dialect(), "applied_now": len(applied), "migrations": all})
	}
	fmt.Fprintf(a.Stdout, "%s: %d migration(s) applied now\n", s.Dialect(), len(applied))
	for _, m := range all {
		fmt.Fprintf(a.Stdout, "  %04d %-24s applied %s\n", m.Version, m.Name, m.AppliedAt)
	}
	return nil
}

func (a *App) runVersion(ctx context.Context, args []string) error {
	fs := a.newFlagSet("version", "version", "Print the version of armstrace.", "armstrace version")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	if a.JSON {
		return writeJSON(a.Stdout, map[string]string{"version": armstrace.Version})
	}
	fmt.Fprintf(a.Stdout, "armstrace %s\n", armstrace.Version)
	return nil
}
