package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
)

func (a *App) runEnablers(ctx context.Context, args []string) error {
	fs := a.newFlagSet("enablers", "enablers --country NAME [--since DATE] [--until DATE] [--role ROLE] [--limit N] [--chains]", `
Rank those who enable the atrocities of a country: suppliers of the weapons
seen at its events (or, where none was identified, of its state in the
period), the manufacturers of those weapons, the suppliers' owners and
controllers, and those who buy from, ship for, insure or finance them.
Each enabler has a score, a reason and its chains; every link cites its
sources. Contested and retracted claims are listed, never counted.
Roles: `+joinRoles(graph.Roles)+`.`,
		"armstrace enablers --country Syria --since 2011 --until 2013",
		"armstrace --json enablers --country SY --role buyer")
	country := fs.String("country", "", "the state where the events happened: a name, an ISO code or an entity id (required)")
	since := fs.String("since", "", "events ending on or after this date (2011, 2011-03 or 2011-03-15)")
	until := fs.String("until", "", "events starting on or before this date")
	var roles, types stringList
	fs.Var(&roles, "role", "only enablers in this role (repeatable, or comma-separated)")
	fs.Var(&types, "event-type", "only events of this type (repeatable)")
	perp := fs.String("perpetrator", "", "only events with this actor (entity id)")
	limit := fs.Int("limit", 20, "at most this many enablers (0: all)")
	chains := fs.Bool("chains", false, "print every listed chain with its links and sources")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	if *country == "" {
		return a.usageError(fs, "--country is required")
	}
	sc := graph.Scope{Country: *country, Since: armstrace.Date(*since), Until: armstrace.Date(*until), EventTypes: types, Perpetrator: *perp, Limit: *limit}
	for _, name := range []struct {
		flag string
		d    armstrace.Date
	}{{"since", sc.Since}, {"until", sc.Until}} {
		if name.d != "" {
			if err := name.d.Validate(); err != nil {
				return a.usageError(fs, "--%s %q: %s", name.flag, name.d, armstrace.ErrorMessage(err))
			}
		}
	}
	for _, r := range roles {
		sc.Roles = append(sc.Roles, graph.Role(r))
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	// The search allocates many short-lived links and keeps few, and the
	// command exits after it: collect garbage only when the heap nears
	// 768 MB (a million-claim search peaks far below).
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(768 << 20))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	rep, err := graph.Enablers(ctx, s, sc)
	if err != nil {
		return err
	}
	if a.JSON {
		return writeJSON(a.Stdout, rep)
	}
	printEnablers(a.Stdout, rep, *chains)
	return nil
}

// printEnablers writes a report for people: the ranked list, each with
// its reason and, when asked, its chains link by link.
func printEnablers(w io.Writer, rep *graph.Report, chains bool) {
	scope := rep.Scope.Country.Name
	if rep.Scope.Since != "" || rep.Scope.Until != "" {
		scope += fmt.Sprintf(", %s to %s", orOpen(rep.Scope.Since), orOpen(rep.Scope.Until))
	}
	fmt.Fprintf(w, "Enablers of atrocities in %s\n", scope)
	fmt.Fprintf(w, "%d weapon observation(s) at %d event(s); transfers traced to: %s\n\n", rep.Observations, rep.Events, nodeNames(rep.Recipients))
	if len(rep.Enablers) == 0 {
		fmt.Fprintln(w, "No enabler found: the graph holds no supply, ownership or business claim linked to this scope.")
	}
	for _, e := range rep.Enablers {
		fmt.Fprintf(w, "%2d. %s [%s]  score %.2f  (%s)\n", e.Rank, e.Entity.Name, e.Entity.ID, e.Score, joinRoles(e.Roles))
		fmt.Fprintf(w, "    %s\n", e.Reason)
		if chains {
			for i, c := range e.Chains {
				fmt.Fprintf(w, "    chain %d (%s path, strength %.2f):\n", i+1, c.Path, c.Strength)
				for j, l := range c.Links {
					mark := ""
					if j == c.Weakest {
						mark = "  ← weakest"
					}
					fmt.Fprintf(w, "      %s —%s→ %s  [%s, %s, strength %.2f]%s\n", l.From.Name, l.Kind, l.To.Name, l.Claim, l.Status, l.Strength, mark)
					if l.Detail != "" {
						fmt.Fprintf(w, "        %s\n", l.Detail)
					}
					for _, c := range l.Citations {
						fmt.Fprintf(w, "        ← %s%s\n", c.Title, locatorText(c.Locator))
					}
				}
			}
			if e.MoreChains > 0 {
				fmt.Fprintf(w, "    … and %d more chain(s) (--json lists the strongest %d)\n", e.MoreChains, len(e.Chains))
			}
		}
		for i, l := range e.NotCounted {
			if i == 3 {
				fmt.Fprintf(w, "    … and %d more not counted (--json lists them)\n", len(e.NotCounted)-3)
				break
			}
			fmt.Fprintf(w, "    not counted: %s (%s) %s —%s→ %s\n", l.Claim, l.Status, l.From.Name, l.Kind, l.To.Name)
		}
	}
	if len(rep.NotCounted) > 0 {
		fmt.Fprintf(w, "\nNot counted (contested or retracted): %d claim(s)\n", len(rep.NotCounted))
		for i, l := range rep.NotCounted {
			if i == 10 {
				fmt.Fprintf(w, "  … and %d more (--json lists them all)\n", len(rep.NotCounted)-10)
				break
			}
			fmt.Fprintf(w, "  %s (%s) %s —%s→ %s\n", l.Claim, l.Status, l.From.Name, l.Kind, l.To.Name)
		}
	}
	fmt.Fprintln(w)
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
}

func locatorText(l string) string {
	if l == "" {
		return ""
	}
	return ", at " + l
}

func orOpen(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

func nodeNames(ns []graph.Node) string {
	if len(ns) == 0 {
		return "none"
	}
	var s []string
	for i, n := range ns {
		if i == 8 {
			s = append(s, fmt.Sprintf("and %d more", len(ns)-8))
			break
		}
		s = append(s, n.Name)
	}
	return strings.Join(s, ", ")
}

func joinRoles(rs []graph.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// stringList is a flag that may be repeated or comma-separated.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}
