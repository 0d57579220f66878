package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
	"github.com/armstrace/armstrace/internal/ingest"
	"github.com/armstrace/armstrace/internal/store"
)

func (a *App) runBackup(ctx context.Context, args []string) error {
	fs := a.newFlagSet("backup", "backup OUT.db [--files DIR] | backup --restore BACKUP.db [--files DIR]", `
Back up the whole store: a consistent copy of the SQLite database, taken
while others keep working (VACUUM INTO), and beside it, in OUT.db.files,
every stored file the copy refers to, each checked against its digest as
it is copied. A backup never overwrites anything.

--restore copies a backup to the database named by --db (which must not
exist) and its files to the file store, checking every file; then
"armstrace audit verify" and "armstrace source verify" hold on it as they
did on the original.

For PostgreSQL, use pg_dump (and pg_restore), and copy the folder of
stored files (--files or $`+EnvFiles+`) with it; "armstrace source verify"
checks that folder against the database.`,
		"armstrace backup /backups/armstrace-2026-01-31.db",
		"armstrace --db restored.db backup --restore /backups/armstrace-2026-01-31.db")
	files := filesFlag(fs)
	restore := fs.Bool("restore", false, "restore the backup named into --db instead")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return a.usageError(fs, "backup takes one file: the backup to write, or with --restore to read")
	}
	if store.IsPostgres(a.DB) {
		return armstrace.Errorf(armstrace.EINVALID, "backup copies SQLite databases; for PostgreSQL use pg_dump and copy the folder of stored files with it")
	}
	if *restore {
		return a.restore(ctx, pos[0], *files)
	}
	return a.backup(ctx, pos[0], *files)
}

// mustNotExist refuses to write over path.
func mustNotExist(path, what string) error {
	if _, err := os.Stat(path); err == nil {
		return &armstrace.Error{Code: armstrace.ECONFLICT, File: path, Message: what + " exists already: nothing is overwritten"}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return &armstrace.Error{Code: armstrace.EINVALID, File: path, Message: "cannot check", Err: err}
	}
	return nil
}

func (a *App) backup(ctx context.Context, out, filesFlag string) error {
	if err := mustNotExist(out, "the backup"); err != nil {
		return err
	}
	if err := mustNotExist(out+".files", "the backup's file store"); err != nil {
		return err
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	src, err := a.openFiles(filesFlag, false)
	if err != nil {
		return err
	}
	if err := s.Backup(ctx, out); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.Remove(out)
			os.RemoveAll(out + ".files")
		}
	}()
	// The files to copy are those the copy refers to, read from the copy
	// itself: what was disposed of before it was taken stays out, and
	// what is added after it does not matter to it.
	n, size, err := a.copyFiles(ctx, out, src, out+".files")
	if err != nil {
		return err
	}
	// A backup is the whole store leaving, confidential sources and all:
	// the database it was taken from says so, with the copy's digest.
	sha, err := ingest.HashFile(out)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(out)
	if err := s.AuditEvents(ctx, armstrace.ActionExport, "backup", []string{sha}, custodyDetail(map[string]any{"to": abs, "files": n, "bytes": size})); err != nil {
		return err
	}
	ok = true
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"backup": out, "files": n, "bytes": size, "file_store": out + ".files"})
	}
	fmt.Fprintf(a.Stdout, "backed up %s to %s, and %d stored files (%d bytes) to %s\n", a.DB, out, n, size, out+".files")
	return nil
}

// copyFiles copies the held files that the database at db refers to from
// src to a new file store in dst, checking each against its digest.
func (a *App) copyFiles(ctx context.Context, db string, src *blob.Store, dst string) (int, int64, error) {
	s, err := store.Open(ctx, db)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	if err := s.CheckSchema(ctx); err != nil {
		return 0, 0, err
	}
	all, err := s.FindSourceFiles(ctx, "")
	if err != nil {
		return 0, 0, err
	}
	to, err := blob.Open(dst, true)
	if err != nil {
		return 0, 0, err
	}
	var total int64
	for _, f := range all {
		total += f.Size
	}
	p := newProgress(a, "copying files", total)
	defer p.done()
	seen := map[string]bool{}
	var size int64
	for _, f := range all {
		if !f.Held() || seen[f.SHA256] {
			continue
		}
		seen[f.SHA256] = true
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		pr, pw := io.Pipe()
		go func() {
			_, err := src.VerifyTo(f.SHA256, pw)
			pw.CloseWithError(err)
		}()
		d, n, _, err := to.Put(pr)
		pr.Close()
		if err != nil {
			var e *armstrace.Error
			if errors.As(err, &e) {
				return 0, 0, err
			}
			return 0, 0, &armstrace.Error{Code: armstrace.ECONFLICT, File: src.Path(f.SHA256), Message: fmt.Sprintf("cannot copy the file of %s (run armstrace source verify)", f.ID), Err: err}
		}
		if d != f.SHA256 {
			return 0, 0, &armstrace.Error{Code: armstrace.ECONFLICT, File: src.Path(f.SHA256), Message: "changed while it was copied"}
		}
		size += n
		p.read += n
		p.count()
	}
	return len(seen), size, nil
}

func (a *App) restore(ctx context.Context, from, filesFlag string) error {
	if _, err := os.Stat(from); err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: from, Message: "cannot open the backup", Err: err}
	}
	if err := mustNotExist(a.DB, "the database to restore into"); err != nil {
		return err
	}
	dir, err := a.filesDir(filesFlag)
	if err != nil {
		return err
	}
	if entries, err := os.ReadDir(filepath.Join(dir, "sha256")); err == nil && len(entries) > 0 {
		return &armstrace.Error{Code: armstrace.ECONFLICT, File: dir, Message: "the file store to restore into holds files already: nothing is overwritten"}
	}
	src, err := blob.Open(from+".files", false)
	if err != nil {
		return err
	}
	// Copy the database through a temporary name, so that a failed
	// restore leaves no database that looks whole.
	tmp := a.DB + ".restoring"
	if err := mustNotExist(tmp, "a restore in progress"); err != nil {
		return err
	}
	if err := copyFile(from, tmp); err != nil {
		return err
	}
	defer os.Remove(tmp)
	n, size, err := a.copyFiles(ctx, tmp, src, dir)
	if err != nil {
		return err
	}
	// copyFiles has opened and closed the copy; closing checkpoints its
	// WAL, so the one file is the whole database.
	if err := os.Rename(tmp, a.DB); err != nil {
		return err
	}
	if a.JSON {
		return writeJSON(a.Stdout, map[string]any{"restored": a.DB, "from": from, "files": n, "bytes": size, "file_store": dir})
	}
	fmt.Fprintf(a.Stdout, "restored %s from %s, and %d stored files (%d bytes) to %s\n", a.DB, from, n, size, dir)
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: from, Message: "cannot read", Err: err}
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: to, Message: "cannot write", Err: err}
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
