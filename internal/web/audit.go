package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/graph"
)

// readLog gathers the confidential sources a response shows, so that
// their reading is in the audit log before the response is sent: nothing
// confidential leaves the server without an entry naming who read it.
type readLog struct {
	s      *Server
	r      *http.Request
	ids    []string
	access map[string]armstrace.Access // by source id, looked up once
}

func (s *Server) readLog(r *http.Request) *readLog {
	return &readLog{s: s, r: r, access: map[string]armstrace.Access{}}
}

// citations notes the confidential sources among shown citations.
func (l *readLog) citations(cs []graph.Citation) {
	for _, c := range cs {
		if c.Access == string(armstrace.AccessConfidential) && !c.Withheld {
			l.ids = append(l.ids, c.Source)
		}
	}
}

// links notes those of links.
func (l *readLog) links(ls []graph.Link) {
	for _, k := range ls {
		l.citations(k.Citations)
	}
}

// entity notes the confidential sources an entity shown cites.
func (l *readLog) entity(e *armstrace.Entity) error { return l.cites(e.Citations) }

// event notes those an event shown cites.
func (l *readLog) event(e *armstrace.Event) error { return l.cites(e.Citations) }

// source notes a source shown, if confidential.
func (l *readLog) source(src *armstrace.Source) {
	l.access[src.ID] = src.Access
	if src.Access == armstrace.AccessConfidential {
		l.ids = append(l.ids, src.ID)
	}
}

// cites notes the confidential sources among citations.
func (l *readLog) cites(cs []armstrace.Citation) error {
	for _, c := range cs {
		a, ok := l.access[c.Source]
		if !ok {
			src, err := l.s.readerOf(l.r.Context()).FindSourceByID(l.r.Context(), c.Source)
			if err != nil {
				return err
			}
			a = src.Access
			l.access[c.Source] = a
		}
		if a == armstrace.AccessConfidential {
			l.ids = append(l.ids, c.Source)
		}
	}
	return nil
}

// write appends a read entry per confidential source noted.
func (l *readLog) write() error {
	if len(l.ids) == 0 {
		return nil
	}
	slices.Sort(l.ids)
	ids := slices.Compact(l.ids)
	detail, err := json.Marshal(map[string]string{"via": l.r.Method + " " + l.r.URL.RequestURI()})
	if err != nil {
		return err
	}
	return l.s.Store.AuditEvents(l.r.Context(), armstrace.ActionRead, string(armstrace.TypeSource), ids, string(detail))
}

// auditExport records that the reader took away a document made from
// the graph (a dossier, a ceasefire report): what, in which form, and
// whether it was redacted for the reader's role. Reads of confidential
// sources in it are logged apart, by readLog.
func (s *Server) auditExport(r *http.Request, objectType, id, format string) error {
	detail, err := json.Marshal(map[string]string{
		"via":    r.Method + " " + r.URL.RequestURI(),
		"format": format,
		"access": strings.Join(accessNames(levelsOf(r.Context())), ","),
	})
	if err != nil {
		return err
	}
	return s.Store.AuditEvents(r.Context(), armstrace.ActionExport, objectType, []string{id}, string(detail))
}

func accessNames(levels []armstrace.Access) []string {
	if levels == nil { // every level
		levels = []armstrace.Access{armstrace.AccessPublic, armstrace.AccessRestricted, armstrace.AccessConfidential}
	}
	out := make([]string, len(levels))
	for i, l := range levels {
		out[i] = string(l)
	}
	return out
}
