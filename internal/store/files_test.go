package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

const (
	shaA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	shaB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	shaC = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
)

func original(src, sha string) *armstrace.SourceFile {
	return &armstrace.SourceFile{Source: src, SHA256: sha, Size: 10, Role: armstrace.FileOriginal, Name: "release.html", Created: "2026-01-02T03:04:05Z"}
}

func derived(src, sha, from string) *armstrace.SourceFile {
	return &armstrace.SourceFile{Source: src, SHA256: sha, Size: 5, Role: armstrace.FileDerived, From: from, Transform: armstrace.TransformText, Detail: "text", Created: "2026-01-02T03:05:00Z"}
}

// collected creates src:a recording shaA and its original file.
func collected(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := ctxAs("test")
	src := source("src:a")
	src.SHA256 = shaA
	if err := s.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if res, err := s.AddSourceFile(ctx, original("src:a", shaA), armstrace.ActionCollect, `{"sha256":"`+shaA+`"}`); err != nil || res != armstrace.PutCreated {
		t.Fatalf("add original: %v %v", res, err)
	}
}

func TestSourceFilesAndCustody(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		collected(t, s)
		head, _ := s.AuditHead(ctx)
		// The same file again changes nothing and logs nothing.
		if res, err := s.AddSourceFile(ctx, original("src:a", shaA), armstrace.ActionCollect, `{}`); err != nil || res != armstrace.PutUnchanged {
			t.Fatalf("again: %v %v", res, err)
		}
		if h, _ := s.AuditHead(ctx); h != head {
			t.Errorf("adding the same file again logged %d entries", h-head)
		}
		if _, err := s.AddSourceFile(ctx, derived("src:a", shaB, shaA), armstrace.ActionExtract, `{"sha256":"`+shaB+`"}`); err != nil {
			t.Fatal(err)
		}
		files, err := s.FindSourceFiles(ctx, "src:a")
		if err != nil || len(files) != 2 || files[0].Role != armstrace.FileOriginal || files[1].SHA256 != shaB || files[1].ID != "src:a@"+shaB {
			t.Fatalf("files: %+v %v", files, err)
		}
		log, err := s.AuditLog(ctx, "source", "src:a")
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); got != "create,collect,extract" {
			t.Errorf("custody of src:a: %s, want create,collect,extract", got)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("verify: %+v %v", rep, err)
		}
		// Disposal keeps the record, drops the bytes' claim, and is logged.
		f, err := s.DisposeSourceFile(ctx, "src:a@"+shaB, "working copy no longer needed")
		if err != nil || f.Held() || f.DisposeReason != "working copy no longer needed" {
			t.Fatalf("dispose: %+v %v", f, err)
		}
		if held, err := s.HeldSHA256(ctx, shaB); err != nil || held {
			t.Errorf("held after disposal: %v %v", held, err)
		}
		if held, err := s.HeldSHA256(ctx, shaA); err != nil || !held {
			t.Errorf("original not held: %v %v", held, err)
		}
		if _, err := s.DisposeSourceFile(ctx, "src:a@"+shaB, "again"); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Errorf("dispose twice: %v", err)
		}
		if _, err := s.DisposeSourceFile(ctx, "src:a@"+shaC, "x"); armstrace.ErrorCode(err) != armstrace.ENOTFOUND {
			t.Errorf("dispose unknown: %v", err)
		}
		if _, err := s.DisposeSourceFile(ctx, "src:a@"+shaA, " "); fieldOf(err) != "reason" {
			t.Errorf("dispose without a reason: %v", err)
		}
		log, _ = s.AuditLog(ctx, "source", "src:a")
		if last := log[len(log)-1]; last.Action != armstrace.ActionDispose || !strings.Contains(last.Change, shaB) {
			t.Errorf("last custody event: %+v", last)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("verify after disposal: %+v %v", rep, err)
		}
		// A source with files cannot be deleted from under them.
		if err := s.DeleteSource(ctx, "src:a"); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Errorf("delete a source with files: %v", err)
		}
	})
}

func TestSourceFileRefusals(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		collected(t, s)
		for _, c := range []struct {
			name  string
			f     *armstrace.SourceFile
			code  string
			field string
		}{
			{"unknown source", original("src:zz", shaA), armstrace.EINVALID, "source"},
			{"original not the source's", original("src:a", shaC), armstrace.ECONFLICT, "sha256"},
			{"derived from nothing held", derived("src:a", shaB, shaC), armstrace.EINVALID, "from"},
			{"bad digest", original("src:a", "abc"), armstrace.EINVALID, "sha256"},
			{"original with a transform", func() *armstrace.SourceFile {
				f := original("src:a", shaC)
				f.Transform = armstrace.TransformText
				return f
			}(), armstrace.EINVALID, "from"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.AddSourceFile(ctx, c.f, armstrace.ActionCollect, `{}`)
				if armstrace.ErrorCode(err) != c.code || fieldOf(err) != c.field {
					t.Fatalf("got %v (field %q), want %s on %s", err, fieldOf(err), c.code, c.field)
				}
			})
		}
		// A second original for one source: a new capture is a new source.
		src, _ := s.FindSourceByID(ctx, "src:a")
		src.SHA256 = shaC
		if err := s.UpdateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSourceFile(ctx, original("src:a", shaC), armstrace.ActionCollect, `{}`); armstrace.ErrorCode(err) != armstrace.ECONFLICT {
			t.Fatalf("second original: %v, want ECONFLICT", err)
		}
	})
}

func TestSourceFileTamperingIsCaught(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		collected(t, s)
		// Someone marks the original disposed behind armstrace's back, to
		// hide that its bytes are gone.
		if _, err := s.DB().ExecContext(ctx, s.Rebind(`UPDATE source_files SET doc = REPLACE(doc, '"created"', '"disposed":"2026-02-01T00:00:00Z","created"')`)); err != nil {
			t.Fatal(err)
		}
		rep, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.DataBreak == nil || rep.DataBreak.Type != "source_file" || rep.DataBreak.ID != "src:a@"+shaA {
			t.Fatalf("verify: %+v, want a data break on the source file", rep)
		}
	})
}

func TestExportWithFiles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		collected(t, s)
		var types []armstrace.RecordType
		var files []string
		err := s.ExportWithFiles(ctx, func(typ armstrace.RecordType, doc string) error {
			types = append(types, typ)
			return nil
		}, func(doc string) error {
			files = append(files, doc)
			return nil
		})
		if err != nil || len(types) != 1 || len(files) != 1 || !strings.Contains(files[0], `"id":"src:a@`+shaA+`"`) {
			t.Fatalf("export: %v %v %v", types, files, err)
		}
	})
}

func TestBackup(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxAs("test")
		seed(t, s)
		out := filepath.Join(t.TempDir(), "backup.db")
		err := s.Backup(ctx, out)
		if s.Dialect() == "postgres" {
			if armstrace.ErrorCode(err) != armstrace.EINVALID || !strings.Contains(err.Error(), "pg_dump") {
				t.Fatalf("backup of PostgreSQL: %v, want EINVALID pointing at pg_dump", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := store.Open(context.Background(), out)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if err := b.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		want, _ := s.Counts(ctx)
		got, err := b.Counts(ctx)
		if err != nil || !equalCounts(got, want) {
			t.Fatalf("counts %v, want %v (%v)", got, want, err)
		}
		if rep, err := b.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("verify the backup: %+v %v", rep, err)
		}
		head, _ := s.AuditHead(ctx)
		if h, _ := b.AuditHead(ctx); h != head {
			t.Errorf("backup head %d, want %d", h, head)
		}
		// A backup never overwrites a file.
		if err := s.Backup(ctx, out); armstrace.ErrorCode(err) != armstrace.EINVALID {
			t.Errorf("backup over an existing file: %v", err)
		}
	})
}

func equalCounts(a, b map[armstrace.RecordType]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
