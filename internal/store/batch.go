package store

import (
	"context"
	"database/sql"
	"encoding/json"
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
	mark  batchMark
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
	return b.Write(armstrace.WritePut, r)
}

// Write writes r in a mode: put, ensure or merge.
func (b *Batch) Write(mode armstrace.WriteMode, r armstrace.Record) (armstrace.PutResult, error) {
	if b.err != nil {
		return "", wrap("store.Batch.Put", armstrace.Errorf(armstrace.ECONFLICT, "the batch failed earlier and can only be rolled back"))
	}
	res, err := b.s.put(b.ctx, b.t, r, modeOf(mode))
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

// AddImportRun records an import run in the batch's transaction, so that
// the run and what it wrote land together. It is audited.
func (b *Batch) AddImportRun(run *armstrace.ImportRun) error {
	if b.err != nil {
		return wrap("store.Batch.AddImportRun", armstrace.Errorf(armstrace.ECONFLICT, "the batch failed earlier and can only be rolled back"))
	}
	doc, err := json.Marshal(run)
	if err != nil {
		return wrap("store.Batch.AddImportRun", err)
	}
	if _, err := b.t.exec(b.ctx, `INSERT INTO import_runs (id, format, file, source_id, sha256, started, finished, actor, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		run.ID, run.Format, run.File, nullable(run.Source), run.SHA256, run.Started, run.Finished, run.Actor, string(doc)); err != nil {
		b.err = err
		if classify(err) == uniqueViolation {
			return wrap("store.Batch.AddImportRun", armstrace.Errorf(armstrace.ECONFLICT, "import run %q already exists", run.ID))
		}
		return wrap("store.Batch.AddImportRun", err)
	}
	if err := b.s.appendAudit(b.ctx, b.t, armstrace.ActionCreate, auditImportRun, run.ID, string(doc)); err != nil {
		b.err = err
		return wrap("store.Batch.AddImportRun", err)
	}
	return nil
}

// auditImportRun is the object type of import runs in the audit log.
const auditImportRun = "import_run"

// ImportRuns lists the import runs, oldest first.
func (s *Store) ImportRuns(ctx context.Context) ([]*armstrace.ImportRun, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT doc FROM import_runs ORDER BY started, id`)
	if err != nil {
		return nil, wrap("store.ImportRuns", err)
	}
	defer rows.Close()
	var out []*armstrace.ImportRun
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, wrap("store.ImportRuns", err)
		}
		run := &armstrace.ImportRun{}
		if err := json.Unmarshal([]byte(doc), run); err != nil {
			return nil, wrap("store.ImportRuns", err)
		}
		out = append(out, run)
	}
	return out, wrap("store.ImportRuns", rows.Err())
}

// Savepoint marks the batch's state, so that RollbackTo can undo the
// writes of one row that turned out bad while keeping the rows before it:
// what an import that skips invalid rows needs.
func (b *Batch) Savepoint() error {
	if _, err := b.t.exec(b.ctx, `SAVEPOINT row`); err != nil {
		return wrap("store.Batch.Savepoint", err)
	}
	b.mark = batchMark{stats: b.stats.Clone()}
	if b.t.head != nil {
		h := *b.t.head
		b.mark.head = &h
	}
	return nil
}

// RollbackTo undoes everything since the last Savepoint and clears a
// failed Put, so the batch can go on.
func (b *Batch) RollbackTo() error {
	if _, err := b.t.exec(b.ctx, `ROLLBACK TO SAVEPOINT row`); err != nil {
		return wrap("store.Batch.RollbackTo", err)
	}
	b.err = nil
	b.stats = b.mark.stats
	if b.mark.head != nil {
		h := *b.mark.head
		b.t.head = &h
	} else {
		b.t.head = nil
	}
	// The caches may hold what was written after the savepoint.
	clear(b.t.known)
	clear(b.t.redirects)
	return nil
}

// Release forgets the last Savepoint, keeping its writes.
func (b *Batch) Release() error {
	_, err := b.t.exec(b.ctx, `RELEASE SAVEPOINT row`)
	return wrap("store.Batch.Release", err)
}

type batchMark struct {
	stats *armstrace.ImportStats
	head  *auditHead
}
