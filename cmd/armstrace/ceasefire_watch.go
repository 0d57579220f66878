package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/alert"
	"github.com/armstrace/armstrace/internal/ceasefire"
	"github.com/armstrace/armstrace/internal/store"
)

// watchOutcome is one alert a check raised: new (posted to every webhook
// and recorded now) or recorded before (and not posted again).
type watchOutcome struct {
	Alert  *armstrace.Alert `json:"alert"`
	New    bool             `json:"new"`
	Posted int              `json:"posted"` // webhooks that took it
}

func (a *App) ceasefireWatch(ctx context.Context, args []string) error {
	fs := a.newFlagSet("ceasefire watch", "ceasefire watch ID|NAME [--webhook URL]… [--series ID | --dataset NAME] [--day DATE] [--once] [--every DURATION] [--retries N]", fmt.Sprintf(`
Watch a ceasefire: compare the deaths of the week ending on each new day
with the mean week of the four weeks before it, for all deaths and, when
counting events, for the parties the ceasefire covers. An alert is raised
when the week reaches %g times the baseline and %g deaths more; when the
baseline is under %g deaths a week, the week must also reach %g deaths.
Totals a source gave over several days are left out. As in the report,
one dataset's events are counted (--dataset, or the one with the most
events since the start), never several added together.

Each alert is posted as JSON to every --webhook (retried on network
errors and 5xx answers, with the header %s so that
receivers can drop duplicates), then recorded, audited, in the database.
A day already alerted is not posted again. An alert a webhook did not
take is not recorded, so the next check posts it again.

With --once, checks one day (--day, or the last day with data) and exits.
Otherwise checks that day, then every --every checks the days the data
have gained since, until interrupted. Only days from the ceasefire's start
(to its end, if it ended) are checked.`, ceasefire.SurgeRatio, ceasefire.SurgeMinIncrease, ceasefire.LowBaseline, ceasefire.LowBaselineFloor, alert.HeaderID),
		"armstrace ceasefire watch cf:syria-2016-02-27 --once --webhook https://hooks.example.org/ceasefire",
		"armstrace ceasefire watch cf:syria-2012-04-12 --series vdc:daily-total --day 2012-05-10 --once --json",
		"armstrace ceasefire watch cf:syria-2016-02-27 --every 6h --webhook https://hooks.example.org/a --webhook https://hooks.example.org/b")
	var hooks stringList
	fs.Var(&hooks, "webhook", "post alerts to this http(s) URL (repeatable)")
	series := fs.String("series", "", "count from this daily casualty series instead of the events")
	dataset := fs.String("dataset", "", "count the events of this dataset, such as ucdp-ged (default: the one with the most events since the start)")
	day := fs.String("day", "", "check the week ending on this day, YYYY-MM-DD (default: the last day with data)")
	once := fs.Bool("once", false, "check one day and exit")
	every := fs.Duration("every", time.Hour, "without --once, how often to look for new days")
	retries := fs.Int("retries", 3, "retries of a failed post to a webhook, after the first attempt")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return a.usageError(fs, "name one ceasefire, by id or name")
	}
	if *day != "" && !armstrace.Date(*day).IsDay() || armstrace.Date(*day).Validate() != nil {
		return a.usageError(fs, "--day %q: want YYYY-MM-DD", *day)
	}
	if *every < time.Second {
		return a.usageError(fs, "--every %v: at least 1s", *every)
	}
	if *retries < 0 || *retries > 20 {
		return a.usageError(fs, "--retries %d: 0 to 20", *retries)
	}
	if *series != "" && *dataset != "" {
		return a.usageError(fs, "--series and --dataset: count from one or the other")
	}
	for _, h := range hooks {
		if u, err := url.Parse(h); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return a.usageError(fs, "--webhook %s: not an http or https URL", alert.Redact(h))
		}
	}
	s, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	cf, err := ceasefire.Find(ctx, s, pos[0])
	if err != nil {
		return err
	}
	w := &watcher{App: a, s: s, cf: cf, series: *series, dataset: *dataset, hooks: hooks, retries: *retries, client: &http.Client{}}
	if *once {
		data, err := ceasefire.WatchCounts(ctx, s, cf, *series, *dataset)
		if err != nil {
			return err
		}
		d := *day
		if d == "" {
			d = data.DataTo
		}
		if err := w.inPeriod(d); err != nil {
			return err
		}
		out, err := w.check(ctx, data, d)
		if a.JSON {
			if out == nil {
				out = []watchOutcome{}
			}
			if jerr := writeJSON(a.Stdout, out); jerr != nil && err == nil {
				err = jerr
			}
		}
		return err
	}
	return w.loop(ctx, *day, *every)
}

type watcher struct {
	*App
	s       *store.Store
	cf      *armstrace.Ceasefire
	series  string
	dataset string
	hooks   []string
	retries int
	client  *http.Client
}

// inPeriod refuses a day before the ceasefire's start or after its end.
func (w *watcher) inPeriod(day string) error {
	if day < string(w.cf.Start.First()) {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "day", Message: fmt.Sprintf("%s is before ceasefire %s starts (%s)", day, w.cf.ID, w.cf.Start)}
	}
	if w.cf.End != "" && day > string(w.cf.End.Last()) {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "day", Message: fmt.Sprintf("%s is after ceasefire %s ended (%s)", day, w.cf.ID, w.cf.End)}
	}
	return nil
}

// check checks one day: each alert it raises that is not yet recorded is
// posted to every webhook and, once all took it, recorded.
func (w *watcher) check(ctx context.Context, data *ceasefire.WatchData, day string) ([]watchOutcome, error) {
	changes, err := ceasefire.Check(data.Daily, day, data.Options(time.Now()))
	if err != nil {
		return nil, err
	}
	recorded, err := w.s.Alerts(ctx, w.cf.ID)
	if err != nil {
		return nil, err
	}
	before := map[string]*armstrace.Alert{}
	for _, r := range recorded {
		before[r.ID] = r
	}
	var out []watchOutcome
	var failed []string
	for _, c := range changes {
		what := "all deaths"
		if c.Group == armstrace.AlertGroupCovered {
			what = "deaths in the covered parties' events"
		}
		if c.Alert == nil {
			w.say("%s %s, %s: no alert (%s)\n", w.cf.ID, day, what, c.Reason)
			continue
		}
		if old, ok := before[c.Alert.ID]; ok {
			w.say("%s %s, %s: alert (%s) already recorded at %s; not posted again\n", w.cf.ID, day, what, old.Rule, old.At)
			out = append(out, watchOutcome{Alert: old})
			continue
		}
		posted := 0
		var errs []string
		for _, h := range w.hooks {
			if err := alert.Post(ctx, w.client, h, c.Alert, w.retries); err != nil {
				errs = append(errs, err.Error())
				continue
			}
			posted++
		}
		if len(errs) > 0 {
			w.say("%s %s, %s: alert (%s): %s; posted to %d of %d webhook(s), not recorded, so the next check posts it again\n", w.cf.ID, day, what, c.Rule, c.Reason, posted, len(w.hooks))
			failed = append(failed, errs...)
			continue
		}
		created, err := w.s.RecordAlert(ctx, c.Alert)
		if err != nil {
			return out, err
		}
		w.say("%s %s, %s: ALERT (%s): %s; posted to %d webhook(s), recorded as %s\n", w.cf.ID, day, what, c.Rule, c.Reason, posted, c.Alert.ID)
		out = append(out, watchOutcome{Alert: c.Alert, New: created, Posted: posted})
	}
	if len(failed) > 0 {
		return out, &armstrace.Error{Code: armstrace.EINTERNAL, Message: strings.Join(failed, "; "), Err: errDelivery}
	}
	return out, nil
}

// errDelivery marks a check whose alert some webhook did not take.
var errDelivery = errors.New("webhooks did not take the alert")

// say prints to stdout, or to stderr when stdout carries JSON.
func (w *watcher) say(format string, args ...any) {
	out := w.Stdout
	if w.JSON {
		out = w.Stderr
	}
	fmt.Fprintf(out, format, args...)
}

// loop checks the first day, then the new days every interval, until ctx
// is done. A day whose alerts a webhook did not take is checked again.
func (w *watcher) loop(ctx context.Context, first string, every time.Duration) error {
	last := "" // the last day checked in full
	asked := first != ""
	enc := json.NewEncoder(w.Stdout)
	for {
		data, err := ceasefire.WatchCounts(ctx, w.s, w.cf, w.series, w.dataset)
		switch {
		case err == nil:
			var days []string
			if last == "" {
				if first == "" {
					first = data.DataTo // kept, should its alert need posting again
				}
				days = []string{first}
			} else {
				for _, d := range data.Daily {
					if d.Day > last {
						days = append(days, d.Day)
					}
				}
			}
		days:
			for _, d := range days {
				// The day asked for must be checkable; later days that
				// are not are said and passed.
				err := w.inPeriod(d)
				var out []watchOutcome
				if err == nil {
					out, err = w.check(ctx, data, d)
				}
				if w.JSON {
					for _, o := range out {
						if o.New {
							enc.Encode(o)
						}
					}
				}
				switch {
				case ctx.Err() != nil:
					return nil
				case err == nil:
				case errors.Is(err, errDelivery):
					// Not recorded: this day again at the next check.
					fmt.Fprintf(w.Stderr, "armstrace: %s %s: %v\n", w.cf.ID, d, err)
					break days
				case armstrace.ErrorCode(err) == armstrace.EINVALID && !(asked && last == ""):
					w.say("%s %s: not checked: %s\n", w.cf.ID, d, armstrace.ErrorMessage(err))
				default:
					return err
				}
				last = d
			}
		case armstrace.ErrorCode(err) == armstrace.ENOTFOUND:
			w.say("%s: %s; looking again in %v\n", w.cf.ID, armstrace.ErrorMessage(err), every)
		default:
			return err
		}
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}
