// Command gengraph writes a synthetic evidence graph in armstrace's JSON
// Lines format, for the chain-search benchmarks: states with their armed
// forces, armed groups, companies, weapon models, events, and claims of
// every kind in proportions like those of real imports (supplies and
// contracts by the hundred thousand). The names and facts describe
// nothing real.
//
//	go run ./bench/gengraph [-claims 1000000] [-events 100000] -o graph.jsonl
//
// The first state, "Conflictia" (CA), is the busiest: a fifth of the
// events happen there, and the benchmarks ask for its enablers.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

func main() {
	claims := flag.Int("claims", 1000000, "claims to write")
	events := flag.Int("events", 100000, "events to write")
	out := flag.String("o", "graph.jsonl", "output file")
	one := flag.Bool("one-country", false, "put every event in Conflictia (for the ceasefire benchmark)")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	g := &gen{w: w, r: rand.New(rand.NewPCG(1, 2)), oneCountry: *one}
	g.write(*claims, *events)
	if err := w.Flush(); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "gengraph: %d records (%d entities, %d events, %d claims) in %s\n", g.n, g.entities, *events, *claims, *out)
}

type gen struct {
	oneCountry bool
	w          *bufio.Writer
	r          *rand.Rand
	n          int
	entities   int
}

func (g *gen) rec(v map[string]any) {
	b, err := json.Marshal(v)
	if err != nil {
		fail(err)
	}
	g.w.Write(b)
	g.w.WriteByte('\n')
	g.n++
}

func cite(row int) []map[string]any {
	return []map[string]any{{"source": "src:synthetic", "locator": fmt.Sprintf("row %d", row)}}
}

const (
	nStates    = 200
	nGroups    = 500
	nCompanies = 5000
	nWeapons   = 2000
	nConflicts = 20 // states where the events happen
)

func code(i int) string { return string(rune('A'+i/26)) + string(rune('A'+i%26)) }

func (g *gen) entity(id, kind, name, country string, row int) {
	e := map[string]any{"type": "entity", "id": id, "kind": kind, "name": name, "citations": cite(row)}
	if country != "" {
		e["country"] = country
	}
	g.rec(e)
	g.entities++
}

func (g *gen) write(nClaims, nEvents int) {
	g.rec(map[string]any{"type": "source", "id": "src:synthetic", "kind": "dataset", "title": "Synthetic benchmark graph", "version": "1", "access": "public"})
	row := 0
	next := func() int { row++; return row }
	for i := range nStates {
		name := fmt.Sprintf("State %s", code(i))
		if i == 0 {
			name = "Conflictia"
		}
		g.entity(fmt.Sprintf("ent:state-%d", i), "state", name, code(i), next())
		g.entity(fmt.Sprintf("ent:army-%d", i), "armed_force", name+" Armed Forces", code(i), next())
		g.entity(fmt.Sprintf("ent:agency-%d", i), "agency", name+" Defence Procurement Agency", code(i), next())
	}
	for i := range nGroups {
		g.entity(fmt.Sprintf("ent:group-%d", i), "armed_group", fmt.Sprintf("Armed Group %d", i), code(i%nConflicts), next())
	}
	for i := range nCompanies {
		g.entity(fmt.Sprintf("ent:co-%d", i), "company", fmt.Sprintf("Company %d Defence Industries", i), code(g.r.IntN(nStates)), next())
	}
	for i := range nWeapons {
		name := fmt.Sprintf("%c%c-%d%c", 'A'+i%26, 'A'+(i/26)%26, 10+i%90, 'A'+(i/7)%5)
		if i%20 == 0 {
			name = fmt.Sprintf("Weapons of origin %s (type not specified)", code(i%nStates))
		}
		g.entity(fmt.Sprintf("ent:w-%d", i), "weapon_model", name, code(i%nStates), next())
	}
	// Events: a fifth in the first state, the rest over the conflicts.
	for i := range nEvents {
		c := g.r.IntN(nConflicts)
		if i%5 == 0 || g.oneCountry {
			c = 0
		}
		day := fmt.Sprintf("%04d-%02d-%02d", 2000+g.r.IntN(21), 1+g.r.IntN(12), 1+g.r.IntN(28))
		perp := fmt.Sprintf("ent:army-%d", c)
		if g.r.IntN(10) < 3 {
			perp = fmt.Sprintf("ent:group-%d", c+nConflicts*g.r.IntN(nGroups/nConflicts))
		}
		g.rec(map[string]any{"type": "event", "id": fmt.Sprintf("evt:%d", i), "title": fmt.Sprintf("Attack %d", i), "event_type": "violence against civilians",
			"start": day, "end": day, "precision": "day", "place": map[string]any{"name": "Town", "country": code(c), "precision": "admin2"},
			"actors": []map[string]any{{"entity": perp, "role": "perpetrator"}}, "fatalities": map[string]any{"best": g.r.IntN(50), "unit": "people"},
			"grade": "fair", "citations": cite(next())})
	}
	// A ceasefire in Conflictia from mid-2010, covering its army and two
	// of its armed groups and excluding a third: what the ceasefire
	// benchmark reports on.
	g.rec(map[string]any{"type": "ceasefire", "id": "cf:conflictia-2010", "name": "Conflictia truce of 1 June 2010", "start": "2010-06-01", "country": code(0),
		"covered": []string{"ent:army-0", "ent:group-0", "ent:group-20"}, "excluded": []string{"ent:group-40"}, "citations": cite(next())})
	status := func() string {
		switch g.r.IntN(20) {
		case 0:
			return "contested"
		case 1:
			return "retracted"
		}
		if g.r.IntN(2) == 0 {
			return "verified"
		}
		return "alleged"
	}
	conf := func() float64 { return float64(3+g.r.IntN(7)) / 10 }
	claim := func(id, kind, subj, obj string, attrs map[string]any) {
		c := map[string]any{"type": "claim", "id": id, "kind": kind, "subject": subj, "object": obj, "status": status(), "confidence": conf(), "citations": cite(next())}
		if attrs != nil {
			c["attrs"] = attrs
		}
		g.rec(c)
	}
	// Trade is sparse, as in SIPRI's register: each state buys from a
	// pool of suppliers (states, or companies drawn with a long tail, so
	// that big exporters recur), and each armed group from a few.
	zipf := rand.NewZipf(g.r, 1.2, 1, nCompanies-1)
	pool := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			if g.r.IntN(10) < 3 {
				out[i] = fmt.Sprintf("ent:state-%d", g.r.IntN(nStates))
			} else {
				out[i] = fmt.Sprintf("ent:co-%d", zipf.Uint64())
			}
		}
		return out
	}
	statePools := make([][]string, nStates)
	for i := range statePools {
		statePools[i] = pool(10 + g.r.IntN(21))
		if i < nConflicts {
			statePools[i] = pool(40)
		}
	}
	groupPools := make([][]string, nGroups)
	for i := range groupPools {
		groupPools[i] = pool(3)
	}
	// supply returns a supplier and a recipient: a state, its armed
	// forces, or an armed group.
	supply := func() (string, string) {
		if g.r.IntN(10) == 0 {
			gr := g.r.IntN(nGroups)
			return groupPools[gr][g.r.IntN(3)], fmt.Sprintf("ent:group-%d", gr)
		}
		c := g.r.IntN(nStates)
		if g.r.IntN(3) == 0 {
			c = g.r.IntN(nConflicts)
		}
		sup := statePools[c][g.r.IntN(len(statePools[c]))]
		if g.r.IntN(3) == 0 {
			return sup, fmt.Sprintf("ent:army-%d", c)
		}
		return sup, fmt.Sprintf("ent:state-%d", c)
	}
	recipient := func() string {
		_, r := supply()
		return r
	}
	// The mix: 6% observations, 30% supplies, 50% contracts, the rest
	// ownership, manufacture, sanctions and logistics.
	for i := range nClaims {
		id := fmt.Sprintf("clm:%d", i)
		switch p := i % 100; {
		case p < 6:
			how := []string{"serial", "type", "category"}[g.r.IntN(3)]
			g.rec(map[string]any{"type": "claim", "id": id, "kind": "observed_at", "subject": fmt.Sprintf("ent:w-%d", g.r.IntN(nWeapons)), "object": fmt.Sprintf("evt:%d", g.r.IntN(nEvents)),
				"object_type": "event", "status": status(), "confidence": conf(), "attrs": map[string]any{"observation": map[string]any{"identification": how}}, "citations": cite(next())})
		case p < 36:
			order := 1980 + g.r.IntN(40)
			n := 1 + g.r.IntN(50)
			tiv := float64(g.r.IntN(2000)) / 10
			s, r := supply()
			if s == r || s == strings.Replace(r, "army", "state", 1) {
				continue
			}
			claim(id, "supplied", s, r, map[string]any{"transfer": map[string]any{"weapon": fmt.Sprintf("ent:w-%d", g.r.IntN(nWeapons)), "order_year": order,
				"delivery_years": []int{order + 1, order + 2}, "number_delivered": map[string]any{"best": n, "unit": "units"}, "tiv_delivered": map[string]any{"best": tiv, "unit": "TIV-m"}}})
		case p < 86:
			buyer := fmt.Sprintf("ent:agency-%d", g.r.IntN(nStates))
			if g.r.IntN(4) == 0 {
				buyer = fmt.Sprintf("ent:co-%d", g.r.IntN(nCompanies))
			}
			vendor := fmt.Sprintf("ent:co-%d", zipf.Uint64())
			if buyer == vendor {
				continue
			}
			claim(id, "contracted", buyer, vendor, map[string]any{"contract": map[string]any{"award_id": fmt.Sprintf("AWD-%07d", i), "value": map[string]any{"best": 1000 * (1 + g.r.IntN(100000)), "unit": "USD"}}})
		case p < 88:
			// Ownership is a forest, as in company registers: a company
			// has one parent (a company of lower number, so no cycles, or
			// a state) and claims about it repeat from several sources.
			b := 1 + g.r.IntN(nCompanies-1)
			kind := "owns"
			if b%3 == 0 {
				kind = "controls"
			}
			owner := fmt.Sprintf("ent:co-%d", b/(2+b%3))
			if b%7 == 0 {
				owner = fmt.Sprintf("ent:state-%d", b%nStates)
			}
			claim(id, kind, owner, fmt.Sprintf("ent:co-%d", b), nil)
		case p < 89:
			claim(id, "manufactured", fmt.Sprintf("ent:co-%d", g.r.IntN(nCompanies)), fmt.Sprintf("ent:w-%d", g.r.IntN(nWeapons)), nil)
		case p < 90:
			claim(id, "sanctioned", fmt.Sprintf("ent:state-%d", g.r.IntN(10)), fmt.Sprintf("ent:co-%d", g.r.IntN(nCompanies)),
				map[string]any{"sanction": map[string]any{"programs": []string{"SYNTH"}}})
		default:
			kind := []string{"shipped", "insured", "financed"}[g.r.IntN(3)]
			obj := fmt.Sprintf("ent:co-%d", g.r.IntN(nCompanies))
			if g.r.IntN(3) == 0 {
				obj = recipient()
			}
			subj := fmt.Sprintf("ent:co-%d", g.r.IntN(nCompanies))
			if subj == obj {
				continue
			}
			c := map[string]any{"type": "claim", "id": id, "kind": kind, "subject": subj, "object": obj, "status": status(), "confidence": conf(), "citations": cite(next())}
			y := 2000 + g.r.IntN(21)
			c["valid_from"] = fmt.Sprint(y)
			g.rec(c)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gengraph:", err)
	os.Exit(1)
}
