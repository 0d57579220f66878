package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/ceasefire"
	"github.com/armstrace/armstrace/internal/ingest"
)

func (a *App) runCeasefire(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(a.Stderr, "usage: armstrace ceasefire add|list|report|watch …  (armstrace help ceasefire)")
		return errUsage
	}
	switch args[0] {
	case "add":
		return a.ceasefireAdd(ctx, args[1:])
	case "list":
		return a.ceasefireList(ctx, args[1:])
	case "report":
		return a.ceasefireReport(ctx, args[1:])
	case "watch":
		return a.ceasefireWatch(ctx, args[1:])
	case "-h", "--help", "-help":
		fmt.Fprintln(a.Stdout, `armstrace ceasefire add|list|report|watch

  add     record a ceasefire: start, covered and excluded parties, area, terms, source
  list    list the ceasefires recorded
  report  whether a ceasefire held: daily series, before/after windows with a rate
          ratio, totals up to and since the start, violations, breaks
  watch   compare each new day with a trailing baseline and post alerts to webhooks

armstrace ceasefire SUBCOMMAND -h shows its flags.`)
		return nil
	}
	fmt.Fprintf(a.Stderr, "armstrace ceasefire: unknown subcommand %q: use add, list, report or watch\n", args[0])
	return errUsage
}

func (a *App) ceasefireAdd(ctx context.Context, args []string) error {
	fs := a.newFlagSet("ceasefire add", "ceasefire add --id ID --name NAME --start DATE --source SOURCE_ID [--covered ID]… [--excluded ID]… [--country CC] [--area TEXT] [--terms TEXT] [--end DATE] [--start-time HH:MM --timezone ZONE]", `
Record a ceasefire, with the parties it covers and those it excludes (their
fighting is shown apart and never counted as a violation), its area and
terms, and the source it comes from. Ceasefires can also be imported as
JSON Lines.`,
		`armstrace ceasefire add --id cf:syria-2016-02-27 --name "Cessation of hostilities, 27 February 2016" --start 2016-02-27 --country SY --covered ent:syria --excluded ucdp-actor:234 --source src:issg-2016`)
	id := fs.String("id", "", "the ceasefire's id, such as cf:syria-2016-02-27 (required)")
	name := fs.String("name", "", "its name (required)")
	start := fs.String("start", "", "the first day it covers (required)")
	startTime := fs.String("start-time", "", "the time of day it took effect, HH:MM")
	zone := fs.String("timezone", "", "the IANA time zone of start-time, such as Asia/Damascus")
	end := fs.String("end", "", "the last day it covered, if it ended")
	country := fs.String("country", "", "the country: a name or an ISO code")
	area := fs.String("area", "", "the area it covers, in words")
	terms := fs.String("terms", "", "its terms, in words")
	var covered, excluded stringList
	fs.Var(&covered, "covered", "an entity id of a party it covers (repeatable)")
	fs.Var(&excluded, "excluded", "an entity id of a party it excludes (repeatable)")
	source := fs.String("source", "", "the id of the source it comes from (required)")
	locator := fs.String("locator", "", "where in the source")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	if *source == "" {
		return a.usageError(fs, "--source is required: every record says where it comes from")
	}
	cc := strings.ToUpper(*country)
	if len(*country) > 2 {
		st, ok := ingest.MustLoadStates().ByName(*country)
		if !ok {
			return a.usageError(fs, "--country %q: not a state name or ISO code", *country)
		}
		cc = st.ISO2
	}
	cf := &armstrace.Ceasefire{ID: *id, Name: *name, Start: armstrace.Date(*start), StartTime: *startTime, Timezone: *zone, End: armstrace.Date(*end),
		Country: cc, Area: *area, Terms: *terms, Covered: covered, Excluded: excluded,
		Citations: []armstrace.Citation{{Source: *source, Locator: *locator}}}
	s, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.CreateCeasefire(ctx, cf); err != nil {
		return err
	}
	if a.JSON {
		return writeJSON(a.Stdout, cf)
	}
	fmt.Fprintf(a.Stdout, "ceasefire %s recorded: %s, from %s; %d covered, %d excluded\n", cf.ID, cf.Name, cf.Start, len(cf.Covered), len(cf.Excluded))
	return nil
}

func (a *App) ceasefireList(ctx context.Context, args []string) error {
	fs := a.newFlagSet("ceasefire list", "ceasefire list", "List the ceasefires recorded.")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	cfs, err := s.FindCeasefires(ctx)
	if err != nil {
		return err
	}
	if a.JSON {
		if cfs == nil {
			cfs = []*armstrace.Ceasefire{}
		}
		return writeJSON(a.Stdout, cfs)
	}
	if len(cfs) == 0 {
		fmt.Fprintln(a.Stdout, "No ceasefires recorded. Add one with: armstrace ceasefire add")
	}
	for _, c := range cfs {
		fmt.Fprintf(a.Stdout, "%-28s %s  from %s  %s  covered %d, excluded %d\n", c.ID, c.Name, c.Start, c.Country, len(c.Covered), len(c.Excluded))
	}
	return nil
}

func (a *App) ceasefireReport(ctx context.Context, args []string) error {
	fs := a.newFlagSet("ceasefire report", "ceasefire report ID|NAME [--window 7,14,28] [--series ID | --dataset D] [--aggregates exclude|spread] [--format text|json|html|md] [-o FILE]", `
Report whether a ceasefire held: the daily series around its start (all,
covered parties, excluded parties, other), before/after means for each
window with the rate ratio and its 95% interval, the totals up to and
since the start, the covered parties' violations with their sources, the
excluded parties' activity apart, and the days that broke the pattern.
Counts come from the events of the ceasefire's country, or from a daily
casualty series (--series). Events a source totalled over several days
are left out or spread (--aggregates), never put on their first day; the
report says how much the choice moves the totals.`,
		"armstrace ceasefire report cf:syria-2012-04-12 --series vdc:daily-total --window 7,14",
		"armstrace --json ceasefire report cf:syria-2016-02-27 --aggregates spread")
	var windows intList
	fs.Var(&windows, "window", "window lengths in days, comma-separated (default 7,14,28)")
	series := fs.String("series", "", "count from this daily casualty series instead of the events")
	dataset := fs.String("dataset", "", "count the events of this dataset only (the prefix of their ids, such as ucdp-ged); default: the one with the most events around the start")
	aggs := fs.String("aggregates", "exclude", "multi-day totals: exclude or spread")
	format := fs.String("format", "text", "text, json, html or md")
	out := fs.String("o", "-", "write to FILE")
	conf := fs.Bool("include-confidential", false, "show confidential sources of violations")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return a.usageError(fs, "name one ceasefire, by id or name")
	}
	if a.JSON {
		*format = "json"
	}
	if *format != "text" && *format != "json" && *format != "html" && *format != "md" {
		return a.usageError(fs, "--format %q: use text, json, html or md", *format)
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := ceasefire.Build(ctx, s, pos[0], ceasefire.Options{Windows: windows, Series: *series, Dataset: *dataset, Aggregates: ceasefire.AggregateMode(*aggs), IncludeConfidential: *conf})
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		switch *format {
		case "json":
			return writeJSON(w, rep)
		case "text":
			printCeasefireReport(w, rep)
			return nil
		}
		return ceasefire.Render(w, rep, *format)
	}
	if *out == "-" {
		return write(a.Stdout)
	}
	if err := writeFileAtomic(*out, write); err != nil {
		return err
	}
	fmt.Fprintf(a.Stderr, "report on %s written to %s\n", rep.Ceasefire.Name, *out)
	return nil
}

// printCeasefireReport writes the headline figures for people.
func printCeasefireReport(w io.Writer, rep *ceasefire.Report) {
	c := rep.Ceasefire
	fmt.Fprintf(w, "%s [%s], from %s\n", c.Name, c.ID, c.Start)
	fmt.Fprintf(w, "counted from: %s (%s to %s)\n", rep.Source, rep.DataFrom, rep.DataTo)
	if len(c.Covered) > 0 || len(c.Excluded) > 0 {
		fmt.Fprintf(w, "covered: %s; excluded: %s\n", partyNames(c.Covered), partyNames(c.Excluded))
	}
	fmt.Fprintf(w, "\n%s up to the start: %.0f; since the start (to %s): %.0f\n", rep.Measure, rep.Cumulative.UpToStart.Best, rep.Cumulative.Through, rep.Cumulative.SinceStart.Best)
	if rep.Counting == "events" && (len(c.Covered) > 0 || len(c.Excluded) > 0) {
		fmt.Fprintf(w, "since the start: covered parties %.0f deaths in %.0f events; excluded parties %.0f in %.0f; other %.0f in %.0f\n",
			rep.CoveredSince.Best, rep.CoveredSince.Events, rep.ExcludedSince.Best, rep.ExcludedSince.Events, rep.OtherSince.Best, rep.OtherSince.Events)
	}
	fmt.Fprintf(w, "\n%-8s %12s %12s %10s %20s %s\n", "window", "before/day", "after/day", "ratio", "95% interval", "")
	for _, win := range rep.Windows {
		note := ""
		if !win.Complete {
			note = "(data do not cover the whole window)"
		}
		if win.CoveredBefore != nil {
			note += fmt.Sprintf(" covered parties: %.1f → %.1f", *win.CoveredBefore, *win.CoveredAfter)
		}
		fmt.Fprintf(w, "%-8s %12.1f %12.1f %10.3f %9.3f – %-8.3f %s\n", strconv.Itoa(win.Days)+" days", win.BeforeMean, win.AfterMean, win.RateRatio, win.CILow, win.CIHigh, note)
	}
	if rep.FirstBreak != nil {
		b := rep.FirstBreak
		fmt.Fprintf(w, "\nfirst day that broke the pattern: %s (day %d): %.0f, above %.1f (mean %.1f since the start + 2 SD); %d break day(s) in all\n", b.Day, b.Offset, b.Value, b.Threshold, b.Baseline, len(rep.Breaks))
	} else {
		fmt.Fprintf(w, "\nno day broke the pattern in the days shown\n")
	}
	fmt.Fprintf(w, "\ndaily %s around the start (best):\n", rep.Measure)
	for _, d := range rep.Daily {
		if d.Offset < -7 || d.Offset > 13 {
			continue
		}
		mark := ""
		if d.Offset == 0 {
			mark = "  ← start"
		}
		fmt.Fprintf(w, "  %s %+4d %8.1f%s\n", d.Day, d.Offset, d.All.Best, mark)
	}
	if len(rep.SinceByDyad) > 0 {
		fmt.Fprintf(w, "\nsince the start, by who fought (%s, best):\n", rep.Measure)
		for i, b := range rep.SinceByDyad {
			if i == 6 {
				fmt.Fprintf(w, "  … %d more (--json lists them all)\n", len(rep.SinceByDyad)-6)
				break
			}
			fmt.Fprintf(w, "  %7.0f  %-50s covered %.0f, excluded %.0f, other %.0f\n", b.All.Best, b.Key, b.Covered.Best, b.Excluded.Best, b.Other.Best)
		}
	}
	if len(rep.Violations) > 0 {
		fmt.Fprintf(w, "\nviolations by covered parties (%d listed", len(rep.Violations))
		if rep.MoreViolation > 0 {
			fmt.Fprintf(w, ", %d more in --json", rep.MoreViolation)
		}
		fmt.Fprintln(w, "):")
		for i, v := range rep.Violations {
			if i == 10 {
				fmt.Fprintf(w, "  … (--json or --format html lists them all)\n")
				break
			}
			fmt.Fprintf(w, "  %s %s: %s; %s; %s\n", v.Date, v.Title, v.Place, strings.Join(v.Actors, ", "), v.Fatalities)
		}
	}
	if len(rep.ExcludedTop) > 0 {
		fmt.Fprintf(w, "\nexcluded parties' largest events since the start (not violations):\n")
		for i, v := range rep.ExcludedTop {
			if i == 5 {
				break
			}
			fmt.Fprintf(w, "  %s %s: %s; %s\n", v.Date, v.Title, strings.Join(v.Actors, ", "), v.Fatalities)
		}
	}
	fmt.Fprintln(w)
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
}

func partyNames(ps []ceasefire.Party) string {
	if len(ps) == 0 {
		return "none named"
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name
	}
	return strings.Join(s, ", ")
}

// intList is a flag of comma-separated whole numbers.
type intList []int

func (l *intList) String() string { return fmt.Sprint(*l) }

func (l *intList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a number of days", p)
		}
		*l = append(*l, n)
	}
	return nil
}
