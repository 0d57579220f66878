package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/armstrace/armstrace"
)

var _ armstrace.SourceFileService = (*Store)(nil)

// auditSourceFile is the object type of source files in the audit log.
// Their creation and disposal are also logged as custody events on the
// source itself, which is what a source's history lists.
const auditSourceFile = "source_file"

func fileDoc(f *armstrace.SourceFile) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// AddSourceFile records a file held for a source, as Batch.AddSourceFile
// does, in a transaction of its own.
func (s *Store) AddSourceFile(ctx context.Context, f *armstrace.SourceFile, custody, detail string) (armstrace.PutResult, error) {
	var res armstrace.PutResult
	err := s.inTx(ctx, func(t *tx) (err error) {
		res, err = s.addSourceFile(ctx, t, f, custody, detail)
		return err
	})
	return res, wrap("store.AddSourceFile", err)
}

// AddSourceFile records a file held for a source in the batch. A file the
// source holds already is left as it is (PutUnchanged): the same bytes
// are the same file. An original must carry the SHA-256 its source
// records; a derived copy must come from a file of the same source. The
// record is audited, and custody, when not empty, is logged on the source
// with detail.
func (b *Batch) AddSourceFile(f *armstrace.SourceFile, custody, detail string) (armstrace.PutResult, error) {
	if b.err != nil {
		return "", wrap("store.Batch.AddSourceFile", armstrace.Errorf(armstrace.ECONFLICT, "the batch failed earlier and can only be rolled back"))
	}
	res, err := b.s.addSourceFile(b.ctx, b.t, f, custody, detail)
	if err != nil {
		b.err = err
		return "", wrap("store.Batch.AddSourceFile", err)
	}
	return res, nil
}

// Audit logs an event that changes no record (a read, an export, a
// transfer) in the batch's transaction, so that it lands with the writes.
func (b *Batch) Audit(action, objectType, objectID, detail string) error {
	if armstrace.WritesData(action) {
		return wrap("store.Batch.Audit", armstrace.Errorf(armstrace.EINVALID, "%s changes data: it is audited by the write itself", action))
	}
	if b.err != nil {
		return wrap("store.Batch.Audit", armstrace.Errorf(armstrace.ECONFLICT, "the batch failed earlier and can only be rolled back"))
	}
	if err := b.s.appendAudit(b.ctx, b.t, action, objectType, objectID, detail); err != nil {
		b.err = err
		return wrap("store.Batch.Audit", err)
	}
	return nil
}

func (s *Store) addSourceFile(ctx context.Context, t *tx, f *armstrace.SourceFile, custody, detail string) (armstrace.PutResult, error) {
	f.SHA256, f.From = strings.ToLower(f.SHA256), strings.ToLower(f.From)
	if f.ID == "" {
		f.ID = armstrace.SourceFileID(f.Source, f.SHA256)
	}
	if err := f.Validate(); err != nil {
		return "", err
	}
	if custody != "" && armstrace.WritesData(custody) {
		return "", armstrace.Errorf(armstrace.EINVALID, "%s is not a custody event", custody)
	}
	var srcSHA string
	err := t.queryRow(ctx, `SELECT sha256 FROM sources WHERE id = ?`, f.Source).Scan(&srcSHA)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &armstrace.Error{Code: armstrace.EINVALID, Field: "source", Message: fmt.Sprintf("source %q does not exist (add it first)", f.Source)}
	}
	if err != nil {
		return "", err
	}
	var one int
	switch err := t.queryRow(ctx, `SELECT 1 FROM source_files WHERE id = ?`, f.ID).Scan(&one); {
	case err == nil:
		return armstrace.PutUnchanged, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", err
	}
	switch f.Role {
	case armstrace.FileOriginal:
		if srcSHA != f.SHA256 {
			return "", &armstrace.Error{Code: armstrace.ECONFLICT, Field: "sha256", Message: fmt.Sprintf("source %q records sha256 %q, not the file's %s: the file is not the one the source describes", f.Source, srcSHA, f.SHA256)}
		}
	case armstrace.FileDerived:
		switch err := t.queryRow(ctx, `SELECT 1 FROM source_files WHERE id = ?`, armstrace.SourceFileID(f.Source, f.From)).Scan(&one); {
		case errors.Is(err, sql.ErrNoRows):
			return "", &armstrace.Error{Code: armstrace.EINVALID, Field: "from", Message: fmt.Sprintf("source %q holds no file with sha256 %s to derive from", f.Source, f.From)}
		case err != nil:
			return "", err
		}
	}
	doc, err := fileDoc(f)
	if err != nil {
		return "", err
	}
	if _, err := t.exec(ctx, `INSERT INTO source_files (id, source_id, sha256, role, disposed, doc) VALUES (?, ?, ?, ?, ?, ?)`,
		f.ID, f.Source, f.SHA256, string(f.Role), f.Disposed, doc); err != nil {
		if classify(err) == uniqueViolation {
			return "", &armstrace.Error{Code: armstrace.ECONFLICT, Field: "role", Message: fmt.Sprintf("source %q has an original already: a new capture is a new source", f.Source), Err: err}
		}
		return "", err
	}
	if err := s.appendAudit(ctx, t, armstrace.ActionCreate, auditSourceFile, f.ID, doc); err != nil {
		return "", err
	}
	if custody != "" {
		if err := s.appendAudit(ctx, t, custody, string(armstrace.TypeSource), f.Source, detail); err != nil {
			return "", err
		}
	}
	return armstrace.PutCreated, nil
}

// FindSourceFiles lists the files of a source, the original first, then
// the copies in the order they were made; with source "" it lists every
// file of every source, by source.
func (s *Store) FindSourceFiles(ctx context.Context, source string) ([]*armstrace.SourceFile, error) {
	q, args := `SELECT doc FROM source_files`, []any{}
	if source != "" {
		q += ` WHERE source_id = ?`
		args = append(args, source)
	}
	q += ` ORDER BY ` + s.collate("source_id") + `, role DESC, ` + s.collate("id")
	rows, err := s.read.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, wrap("store.FindSourceFiles", err)
	}
	defer rows.Close()
	var out []*armstrace.SourceFile
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, wrap("store.FindSourceFiles", err)
		}
		f, err := decodeFile(doc)
		if err != nil {
			return nil, wrap("store.FindSourceFiles", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("store.FindSourceFiles", err)
	}
	// Derived copies by creation time: ids sort by digest, not by age.
	sortFiles(out)
	return out, nil
}

func decodeFile(doc string) (*armstrace.SourceFile, error) {
	f := &armstrace.SourceFile{}
	if err := json.Unmarshal([]byte(doc), f); err != nil {
		return nil, fmt.Errorf("stored source file is not valid JSON: %w", err)
	}
	return f, nil
}

// sortFiles orders the files of each source: the original, then the
// copies oldest first; the order of sources is kept.
func sortFiles(fs []*armstrace.SourceFile) {
	rank := func(f *armstrace.SourceFile) string {
		r := "1"
		if f.Role == armstrace.FileOriginal {
			r = "0"
		}
		return r + f.Created + f.ID
	}
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Source == fs[j-1].Source && rank(fs[j]) < rank(fs[j-1]); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// collate sorts col in byte order on both databases.
func (s *Store) collate(col string) string {
	if s.dialect == dialectPostgres {
		return col + ` COLLATE "C"`
	}
	return col
}

// DisposeSourceFile marks a held file disposed, now, for a reason, and
// logs ActionDispose on its source. The caller removes the bytes, once
// no held file needs them (HeldSHA256). ENOTFOUND for an unknown file,
// ECONFLICT for one disposed already.
func (s *Store) DisposeSourceFile(ctx context.Context, id, reason string) (*armstrace.SourceFile, error) {
	const op = "store.DisposeSourceFile"
	if strings.TrimSpace(reason) == "" {
		return nil, wrap(op, &armstrace.Error{Code: armstrace.EINVALID, Field: "reason", Message: "say why the file is disposed of"})
	}
	var f *armstrace.SourceFile
	err := s.inTx(ctx, func(t *tx) error {
		var doc string
		err := t.queryRow(ctx, `SELECT doc FROM source_files WHERE id = ?`, id).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return armstrace.Errorf(armstrace.ENOTFOUND, "no source file %q", id)
		}
		if err != nil {
			return err
		}
		if f, err = decodeFile(doc); err != nil {
			return err
		}
		if !f.Held() {
			return armstrace.Errorf(armstrace.ECONFLICT, "source file %q was disposed of on %s", id, f.Disposed)
		}
		f.Disposed, f.DisposeReason = s.Now().UTC().Format("2006-01-02T15:04:05Z"), strings.TrimSpace(reason)
		if err := f.Validate(); err != nil {
			return err
		}
		if doc, err = fileDoc(f); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE source_files SET disposed = ?, doc = ? WHERE id = ?`, f.Disposed, doc, id); err != nil {
			return err
		}
		if err := s.appendAudit(ctx, t, armstrace.ActionUpdate, auditSourceFile, id, doc); err != nil {
			return err
		}
		detail, err := json.Marshal(map[string]string{"file": f.ID, "sha256": f.SHA256, "role": string(f.Role), "reason": f.DisposeReason})
		if err != nil {
			return err
		}
		return s.appendAudit(ctx, t, armstrace.ActionDispose, string(armstrace.TypeSource), f.Source, string(detail))
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return f, nil
}

// HeldSHA256 reports whether any file still held has the digest: the
// bytes of a disposed file stay while another source holds them.
func (s *Store) HeldSHA256(ctx context.Context, sha string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM source_files WHERE sha256 = ? AND disposed = ''`), sha).Scan(&n)
	return n > 0, wrap("store.HeldSHA256", err)
}

// ExportWithFiles calls records with every record, as Export does, then
// files with the canonical JSON of every source file, in id order, all
// from one snapshot: a bundle's records and files agree.
func (s *Store) ExportWithFiles(ctx context.Context, records func(armstrace.RecordType, string) error, files func(doc string) error) error {
	const op = "store.ExportWithFiles"
	t, err := s.beginRead(ctx)
	if err != nil {
		return wrap(op, err)
	}
	defer t.Rollback()
	for _, typ := range armstrace.RecordTypes {
		if err := exportType(ctx, t, typ, records); err != nil {
			return wrap(op, err)
		}
	}
	rows, err := t.query(ctx, `SELECT doc FROM source_files ORDER BY `+s.idOrder())
	if err != nil {
		return wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return wrap(op, err)
		}
		if err := files(doc); err != nil {
			return wrap(op, err)
		}
	}
	return wrap(op, rows.Err())
}

// Backup writes a consistent copy of a SQLite database to path, which
// must not exist, while others keep reading and writing (VACUUM INTO: the
// copy is compacted and needs no WAL beside it). PostgreSQL is EINVALID:
// pg_dump is its tool.
func (s *Store) Backup(ctx context.Context, path string) error {
	const op = "store.Backup"
	if s.dialect == dialectPostgres {
		return wrap(op, armstrace.Errorf(armstrace.EINVALID, "backup copies SQLite databases; for PostgreSQL use pg_dump (and copy the file store)"))
	}
	if _, err := s.write.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return wrap(op, &armstrace.Error{Code: armstrace.EINVALID, File: path, Message: "cannot write the backup", Err: err})
	}
	return nil
}
