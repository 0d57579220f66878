package evidence_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
	"github.com/armstrace/armstrace/internal/evidence"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

// TestCollectIsAllOrNothing collects a file, then refuses two more (a
// bad field, and an update its caller may not make): each refusal leaves
// no stored file and no record behind, and the file collected first stays.
func TestCollectIsAllOrNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := armstrace.WithActor(context.Background(), "test")
		files, err := blob.Open(t.TempDir(), true)
		if err != nil {
			t.Fatal(err)
		}
		c, err := evidence.Collect(ctx, s, files, strings.NewReader("The first statement."), "first.txt", evidence.Fields{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Source.Access != armstrace.AccessRestricted || c.Stored != armstrace.PutCreated {
			t.Errorf("a new source: %+v, %s", c.Source, c.Stored)
		}
		held := func() []string {
			t.Helper()
			l, err := files.List()
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		if len(held()) != 1 {
			t.Fatalf("%d files after one collection", len(held()))
		}
		_, err = evidence.Collect(ctx, s, files, strings.NewReader("A second statement."), "second.txt", evidence.Fields{Published: "the fifth", Set: map[string]bool{"published": true}})
		if armstrace.ErrorCode(err) != armstrace.EINVALID || !strings.Contains(armstrace.ErrorMessage(err), "published") {
			t.Errorf("a bad date: %v", err)
		}
		refused := errors.New("refused")
		_, err = evidence.Collect(ctx, s, files, strings.NewReader("The first statement."), "again.txt", evidence.Fields{MayUpdate: func(*armstrace.Source) error { return refused }})
		if !errors.Is(err, refused) {
			t.Errorf("an update refused by its caller: %v", err)
		}
		if l := held(); len(l) != 1 || l[0] != c.File.SHA256 {
			t.Errorf("files after the refusals: %v", l)
		}
		srcs, err := s.FindSources(ctx)
		if err != nil || len(srcs) != 1 {
			t.Errorf("sources after the refusals: %d %v", len(srcs), err)
		}
	})
}
