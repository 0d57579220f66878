package web

import (
	"context"
	"sync"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/auth"
	"github.com/armstrace/armstrace/internal/store"
)

// snapshot is what the server keeps of the data between requests, as of
// one data version: every source, and the users of the API tokens seen.
// Sources, users and tokens change only by audited writes, which move
// the data version, so a snapshot is never stale for its version; a
// request reads the version once and the rest from memory.
type snapshot struct {
	at      int64
	sources map[string]*armstrace.Source

	mu     sync.Mutex
	tokens map[string]*armstrace.User // by token secret's SHA-256
}

// snapshot returns the snapshot of the current data version.
func (s *Server) snapshot(ctx context.Context) (*snapshot, error) {
	v, err := s.Store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	if s.snap != nil && s.snap.at == v {
		return s.snap, nil
	}
	srcs, err := s.Store.FindSources(ctx)
	if err != nil {
		return nil, err
	}
	sn := &snapshot{at: v, sources: make(map[string]*armstrace.Source, len(srcs)), tokens: map[string]*armstrace.User{}}
	for _, src := range srcs {
		sn.sources[src.ID] = src
	}
	s.snap = sn
	return sn, nil
}

// user returns the user of an API token, from memory after the first
// time.
func (sn *snapshot) user(ctx context.Context, st *store.Store, secret string) (*armstrace.User, error) {
	id := auth.TokenID(secret)
	sn.mu.Lock()
	u, ok := sn.tokens[id]
	sn.mu.Unlock()
	if ok {
		return u, nil
	}
	u, err := auth.Token(ctx, st, secret)
	if err != nil {
		return nil, err
	}
	sn.mu.Lock()
	sn.tokens[id] = u
	sn.mu.Unlock()
	return u, nil
}

// reader reads the store, and sources from the snapshot.
type reader struct {
	*store.Store
	sn *snapshot
}

func (r reader) FindSourceByID(ctx context.Context, id string) (*armstrace.Source, error) {
	if src, ok := r.sn.sources[id]; ok {
		return src, nil
	}
	return r.Store.FindSourceByID(ctx, id) // written since the snapshot
}

type snapKey struct{}

// readerOf returns the request's reader.
func (s *Server) readerOf(ctx context.Context) reader {
	sn, _ := ctx.Value(snapKey{}).(*snapshot)
	if sn == nil {
		sn = &snapshot{sources: map[string]*armstrace.Source{}}
	}
	return reader{Store: s.Store, sn: sn}
}
