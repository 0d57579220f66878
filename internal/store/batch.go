package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/armstrace/armstrace"
)

// Batch writes many records in one transaction: an import is all or
// nothing. After an error from Put the batch can only be rolled back.
type Batch struct {
	s     *Store
	t     *tx
	ctx   context.Context
	stats *armstrace.ImportStats
	err   error // the first Put error: after it the batch can only roll back
}

// BeginBatch starts a batch. The caller must Commit or Rollback it.
func (s *Store) BeginBatch(ctx context.Context) (*Batch, error) {
	t, err := s.begin(ctx)
	if err != nil {
		return nil, wrap("store.BeginBatch", err)
	}
	return &Batch{s: s, t: t, ctx: ctx, stats: armstrace.NewImportStats()}, nil
}

// Put creates, updates or leaves alone r, as Store.Put does.
func (b *Batch) Put(r armstrace.Record) (armstrace.PutResult, error) {
	if b.err != nil {
		return "", wrap("store.Batch.Put", armstrace.Errorf(armstrace.ECONFLICT, "the batch failed earlier and can only be rolled back"))
	}
	res, err := b.s.put(b.ctx, b.t, r, putAny)
	if err != nil {
		// A record may have been written in part; SQLite would let a
		// Commit keep that part, without its audit entry.
		b.err = err
		return "", wrap("store.Batch.Put", err)
	}
	b.stats.Add(r.RecordType(), res)
	return res, nil
}

// Stats returns what the batch has done so far.
func (b *Batch) Stats() *armstrace.ImportStats { return b.stats }

// Commit makes the batch's writes permanent. After a failed Put it rolls
// back instead and returns ECONFLICT.
func (b *Batch) Commit() error {
	if b.err != nil {
		b.t.Rollback()
		return wrap("store.Batch.Commit", armstrace.Errorf(armstrace.ECONFLICT, "the batch failed and was rolled back: %s", armstrace.ErrorMessage(b.err)))
	}
	return wrap("store.Batch.Commit", b.t.commit(b.ctx))
}

// Rollback discards the batch; after Commit it does nothing.
func (b *Batch) Rollback() error {
	if err := b.t.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}
