package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/armstrace/armstrace"
)

// The history page: every version of a record, from the audit log, each
// with what changed from the one before, field by field. Older versions
// may cite sources the reader could no longer be shown, so the history is
// for reviewers and admins, who may read every source.

// change is one field that differs between two versions.
type change struct {
	Path       string // a JSON path: "aliases[2].value"
	Old, New   string // the values as JSON; "" when absent
	Added, Cut bool
}

// version is one entry of a record's history.
type version struct {
	Seq                 int64
	Time, Actor, Action string
	Changes             []change
	Other               bool // an event without a change to the record (a read, an export)
	Detail              string
}

func (s *Server) historyPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	if !u.Role.AtLeast(armstrace.UserReviewer) {
		return armstrace.Errorf(armstrace.EFORBIDDEN, "a record's history is for reviewers and admins; %s is a %s", u.Name, u.Role)
	}
	typ, id := r.PathValue("type"), r.PathValue("id")
	if !slices.Contains(armstrace.RecordTypes, armstrace.RecordType(typ)) {
		return &armstrace.Error{Code: armstrace.EINVALID, Field: "type", Message: fmt.Sprintf("%q is no type of record", typ)}
	}
	entries, err := s.Store.AuditLog(ctx, typ, id)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return armstrace.Errorf(armstrace.ENOTFOUND, "no %s %q in the audit log", typ, id)
	}
	var versions []version
	prev := map[string]string{}
	// The sources any version cites, and whether a version of a source
	// was confidential: reading them here is reading them, and logged.
	var cited []armstrace.Citation
	seen := map[string]bool{}
	confidential := false
	for _, e := range entries {
		v := version{Seq: e.Seq, Time: e.Time, Actor: e.Actor, Action: e.Action}
		if !armstrace.WritesData(e.Action) {
			v.Other, v.Detail = true, e.Change
			versions = append(versions, v)
			continue
		}
		cur := map[string]string{}
		if e.Action != armstrace.ActionDelete {
			var doc any
			if err := json.Unmarshal([]byte(e.Change), &doc); err != nil {
				return fmt.Errorf("audit entry %d: %w", e.Seq, err)
			}
			flatten("", doc, cur)
		}
		for p, v := range cur {
			var id string
			if citedSource.MatchString(p) && json.Unmarshal([]byte(v), &id) == nil && !seen[id] {
				seen[id] = true
				cited = append(cited, armstrace.Citation{Source: id})
			}
		}
		confidential = confidential || typ == string(armstrace.TypeSource) && cur["access"] == `"confidential"`
		v.Changes = diff(prev, cur)
		prev = cur
		versions = append(versions, v)
	}
	log := s.readLog(r)
	for _, c := range cited {
		// A source deleted since is no longer read.
		if err := log.cites([]armstrace.Citation{c}); err != nil && armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			return err
		}
	}
	if confidential {
		log.ids = append(log.ids, id)
	}
	if err := log.write(); err != nil {
		return err
	}
	slices.Reverse(versions) // newest first
	return s.render(w, r, http.StatusOK, "history.html", "History of "+id, map[string]any{"Type": typ, "ID": id, "Versions": versions})
}

// citedSource matches the path of a citation's source in a record.
var citedSource = regexp.MustCompile(`(^|\.)citations\[\d+\]\.source$`)

// flatten writes every leaf of a JSON document under its path.
func flatten(path string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			flatten(p, y, out)
		}
	case []any:
		for i, y := range x {
			flatten(fmt.Sprintf("%s[%d]", path, i), y, out)
		}
	default:
		b, _ := json.Marshal(x)
		out[path] = string(b)
	}
}

// diff lists the fields that differ between two flattened versions, in
// path order.
func diff(old, cur map[string]string) []change {
	var out []change
	for p, n := range cur {
		if o, ok := old[p]; !ok {
			out = append(out, change{Path: p, New: n, Added: true})
		} else if o != n {
			out = append(out, change{Path: p, Old: o, New: n})
		}
	}
	for p, o := range old {
		if _, ok := cur[p]; !ok {
			out = append(out, change{Path: p, Old: o, Cut: true})
		}
	}
	slices.SortFunc(out, func(a, b change) int { return strings.Compare(a.Path, b.Path) })
	return out
}
