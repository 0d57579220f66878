package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/armstrace/armstrace"
)

// TallyEvents counts the events of a query by day range, aggregate flag
// and party group, in SQL from the projected columns: a count over a
// million events reads no documents.
func (s *Store) TallyEvents(ctx context.Context, q armstrace.TallyQuery) ([]armstrace.TallyRow, error) {
	w := eventWhere(armstrace.EventFilter{Country: q.Country, Since: q.Since, Until: q.Until})
	var args []any
	group := `''`
	if len(q.Groups) > 0 {
		var b strings.Builder
		b.WriteString(`CASE`)
		for _, g := range q.Groups {
			if len(g.Entities) == 0 {
				continue
			}
			b.WriteString(` WHEN EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.entity_id IN (?` + strings.Repeat(`, ?`, len(g.Entities)-1) + `)) THEN ?`)
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
	dataset := `CASE WHEN instr(e.id, ':') > 0 THEN substr(e.id, 1, instr(e.id, ':') - 1) ELSE '' END`
	if s.dialect == dialectPostgres {
		dataset = `split_part(e.id, ':', 1)`
	}
	key := `''`
	switch q.By {
	case "":
	case "type", "admin1":
		key = `e.` + q.By
	default:
		return nil, wrap("store.TallyEvents", &armstrace.Error{Code: armstrace.EINVALID, Field: "by", Message: fmt.Sprintf("%q: counts split by type or admin1", q.By)})
	}
	query := fmt.Sprintf(`SELECT date_start, date_end, aggregate, grp, dataset, k, COUNT(*),
		SUM(COALESCE(fatalities_low, fatalities_best, fatalities_high, 0)), SUM(COALESCE(fatalities_best, fatalities_low, fatalities_high, 0)), SUM(COALESCE(fatalities_high, fatalities_best, fatalities_low, 0))
		FROM (SELECT e.date_start, e.date_end, e.aggregate, e.fatalities_low, e.fatalities_best, e.fatalities_high, %s AS grp, %s AS dataset, %s AS k FROM events e`, group, dataset, key)
	if len(w.conds) > 0 {
		query += ` WHERE ` + w.String()
	}
	query += `) t GROUP BY date_start, date_end, aggregate, grp, dataset, k ORDER BY date_start, date_end, aggregate, grp, dataset, k`
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
