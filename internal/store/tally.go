package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/armstrace/armstrace"
)

// TallyEvents counts the events of a query by day range, aggregate flag
// and party group, in SQL from the projected columns: a count over a
// million events reads no documents.
func (s *Store) TallyEvents(ctx context.Context, q armstrace.TallyQuery) ([]armstrace.TallyRow, error) {
	w := eventWhere(armstrace.EventFilter{Country: q.Country, Since: q.Since, Until: q.Until})
	if q.Access != nil {
		w.visible("e", armstrace.TypeEvent, q.Access)
	}
	var args []any
	group := `''`
	if len(q.Groups) > 0 {
		var b strings.Builder
		b.WriteString(`CASE`)
		for _, g := range q.Groups {
			if len(g.Entities) == 0 {
				continue
			}
			// "|| ''" keeps the planner on the event's own actors (by the
			// primary key): through the entity index, a party in a million
			// events would be scanned once per event.
			b.WriteString(` WHEN EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND (a.entity_id || '') IN (?` + strings.Repeat(`, ?`, len(g.Entities)-1) + `)) THEN ?`)
			for _, id := range g.Entities {
				args = append(args, id)
			}
			args = append(args, g.Name)
		}
		b.WriteString(` ELSE '' END`)
		if b.Len() > len(`CASE ELSE '' END`) {
			group = b.String()
		}
	}
	// The dataset is the prefix of the event's id ("ucdp-ged" of
	// "ucdp-ged:123"), so that a count can keep to one dataset and never
	// count an incident once per dataset that reported it.
	// Ids without a prefix form the dataset armstrace.NoDataset.
	dataset := `CASE WHEN instr(e.id, ':') > 0 THEN substr(e.id, 1, instr(e.id, ':') - 1) ELSE '` + armstrace.NoDataset + `' END`
	if s.dialect == dialectPostgres {
		dataset = `CASE WHEN strpos(e.id, ':') > 0 THEN split_part(e.id, ':', 1) ELSE '` + armstrace.NoDataset + `' END`
	}
	switch {
	case q.Dataset == armstrace.NoDataset && s.dialect == dialectPostgres:
		w.add(`strpos(e.id, ':') = 0`)
	case q.Dataset == armstrace.NoDataset:
		w.add(`instr(e.id, ':') = 0`)
	case q.Dataset != "" && s.dialect == dialectPostgres:
		// starts_with, not a range: a range of ids depends on the
		// database's collation, and ':' sorts after ';' in some.
		w.add(`starts_with(e.id, ?)`, q.Dataset+":")
	case q.Dataset != "":
		// SQLite compares text byte by byte: a range of ids, not a
		// function of each (":" + 1 is ";").
		w.add(`e.id >= ? AND e.id < ?`, q.Dataset+":", q.Dataset+";")
	}
	if q.Dataset != "" {
		dataset = `CAST(? AS TEXT)`
		args = append(args, q.Dataset)
	}
	key := `''`
	if q.By != "" {
		var parts []string
		for _, col := range strings.Split(q.By, ",") {
			switch col {
			case "type", "admin1":
				parts = append(parts, `e.`+col)
			case "actors":
				// The event's actors, sorted and joined: its dyad, or more.
				if s.dialect == dialectPostgres {
					parts = append(parts, `COALESCE((SELECT string_agg(entity_id, ',' ORDER BY entity_id) FROM event_actors a WHERE a.event_id = e.id), '')`)
				} else {
					parts = append(parts, `COALESCE((SELECT group_concat(entity_id, ',') FROM (SELECT entity_id FROM event_actors a WHERE a.event_id = e.id ORDER BY entity_id)), '')`)
				}
			default:
				return nil, wrap("store.TallyEvents", &armstrace.Error{Code: armstrace.EINVALID, Field: "by", Message: fmt.Sprintf("%q: counts split by type, admin1 or actors, or several of them joined by commas", q.By)})
			}
		}
		key = strings.Join(parts, ` || ? || `)
		for range parts[1:] {
			args = append(args, armstrace.TallyKeySep)
		}
	}
	// Group only by what varies: grouping by the index's own columns alone
	// lets the database read the covering index in order instead of
	// sorting a million rows. A column constant over the rows is selected
	// as MIN(column), which every database accepts outside GROUP BY.
	by := []string{"date_start", "date_end", "aggregate"}
	sel := func(col string, varies bool) string {
		if varies {
			by = append(by, col)
			return col
		}
		return `MIN(` + col + `)`
	}
	cols := fmt.Sprintf(`%s, %s, %s`, sel("grp", group != `''`), sel("dataset", q.Dataset == ""), sel("k", key != `''`))
	query := fmt.Sprintf(`SELECT date_start, date_end, aggregate, %s, COUNT(*),
		SUM(COALESCE(fatalities_low, fatalities_best, fatalities_high, 0)), SUM(COALESCE(fatalities_best, fatalities_low, fatalities_high, 0)), SUM(COALESCE(fatalities_high, fatalities_best, fatalities_low, 0))
		FROM (SELECT e.date_start, e.date_end, e.aggregate, e.fatalities_low, e.fatalities_best, e.fatalities_high, %s AS grp, %s AS dataset, %s AS k FROM events e`, cols, group, dataset, key)
	if len(w.conds) > 0 {
		query += ` WHERE ` + w.String()
	}
	query += `) t GROUP BY ` + strings.Join(by, ", ") + ` ORDER BY ` + strings.Join(by, ", ")
	rows, err := s.read.QueryContext(ctx, s.Rebind(query), append(args, w.args...)...)
	if err != nil {
		return nil, wrap("store.TallyEvents", err)
	}
	defer rows.Close()
	var out []armstrace.TallyRow
	for rows.Next() {
		var r armstrace.TallyRow
		var start, end string
		var agg int
		if err := rows.Scan(&start, &end, &agg, &r.Group, &r.Dataset, &r.Key, &r.Events, &r.Low, &r.Best, &r.High); err != nil {
			return nil, wrap("store.TallyEvents", err)
		}
		r.Start, r.End, r.Aggregate = armstrace.Date(start), armstrace.Date(end), agg != 0
		out = append(out, r)
	}
	return out, wrap("store.TallyEvents", rows.Err())
}

// EventDatasets lists the datasets a country's events come from (the
// prefixes of their ids; armstrace.NoDataset for ids without one). On
// SQLite, which compares text byte by byte, it seeks from prefix to prefix
// along the primary key and asks of each only whether the country has one
// of its events, instead of reading every id; on PostgreSQL, whose order
// of ids depends on the collation, it asks for the distinct prefixes.
func (s *Store) EventDatasets(ctx context.Context, country string) ([]string, error) {
	if s.dialect == dialectPostgres {
		rows, err := s.read.QueryContext(ctx, s.Rebind(`SELECT DISTINCT CASE WHEN strpos(id, ':') > 0 THEN split_part(id, ':', 1) ELSE '`+armstrace.NoDataset+`' END FROM events WHERE country = ?`), country)
		if err != nil {
			return nil, wrap("store.EventDatasets", err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				return nil, wrap("store.EventDatasets", err)
			}
			out = append(out, d)
		}
		sort.Strings(out)
		return out, wrap("store.EventDatasets", rows.Err())
	}
	var out []string
	var one int
	switch err := s.read.QueryRowContext(ctx, `SELECT 1 FROM events WHERE country = ? AND instr(id, ':') = 0 LIMIT 1`, country).Scan(&one); {
	case err == nil:
		out = append(out, armstrace.NoDataset)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, wrap("store.EventDatasets", err)
	}
	after, strictly := "", false
	for {
		q := `SELECT id FROM events WHERE id >= ? ORDER BY id LIMIT 1`
		if strictly {
			q = `SELECT id FROM events WHERE id > ? ORDER BY id LIMIT 1`
		}
		var id string
		err := s.read.QueryRowContext(ctx, q, after).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return nil, wrap("store.EventDatasets", err)
		}
		prefix, _, ok := strings.Cut(id, ":")
		if !ok {
			after, strictly = id, true // counted above; go on after it
			continue
		}
		err = s.read.QueryRowContext(ctx, `SELECT 1 FROM events WHERE country = ? AND id >= ? AND id < ? LIMIT 1`, country, prefix+":", prefix+";").Scan(&one)
		switch {
		case err == nil:
			out = append(out, prefix)
		case !errors.Is(err, sql.ErrNoRows):
			return nil, wrap("store.EventDatasets", err)
		}
		after, strictly = prefix+";", false
	}
	sort.Strings(out)
	return out, nil
}
