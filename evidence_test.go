package armstrace_test

import (
	"errors"
	"testing"

	"github.com/armstrace/armstrace"
)

func TestAccessFilter(t *testing.T) {
	cite := func(ids ...string) []armstrace.Citation {
		var out []armstrace.Citation
		for _, id := range ids {
			out = append(out, armstrace.Citation{Source: id})
		}
		return out
	}
	pub := &armstrace.Source{ID: "src:pub", Access: armstrace.AccessPublic}
	conf := &armstrace.Source{ID: "src:conf", Access: armstrace.AccessConfidential}
	hidden := &armstrace.Entity{ID: "ent:hidden", Citations: cite("src:conf")}
	mixed := &armstrace.Entity{ID: "ent:mixed", Citations: cite("src:conf", "src:pub")}
	bare := &armstrace.Entity{ID: "ent:bare"}
	aboutHidden := &armstrace.Claim{ID: "clm:h", Subject: "ent:hidden", Object: "ent:bare", Citations: cite("src:pub")}
	kept := &armstrace.Claim{ID: "clm:k", Subject: "ent:mixed", Object: "ent:bare", Citations: cite("src:pub", "src:conf")}

	f := armstrace.NewAccessFilter(armstrace.AccessRestricted)
	for _, c := range []struct {
		r    armstrace.Record
		keep bool
	}{{pub, true}, {conf, false}, {hidden, false}, {mixed, true}, {bare, true}, {aboutHidden, false}, {kept, true}} {
		got := f.Keep(c.r)
		if (got != nil) != c.keep {
			t.Errorf("%s %s: kept %v, want %v", c.r.RecordType(), c.r.RecordID(), got != nil, c.keep)
		}
	}
	if f.Withheld[armstrace.TypeSource] != 1 || f.Withheld[armstrace.TypeEntity] != 1 || f.Withheld[armstrace.TypeClaim] != 1 {
		t.Errorf("withheld %v", f.Withheld)
	}
	// Kept records lose their citations of withheld sources; the records
	// passed in are not changed.
	again := armstrace.NewAccessFilter(armstrace.AccessPublic)
	again.Keep(pub)
	again.Keep(mixed)
	again.Keep(bare)
	k := again.Keep(kept).(*armstrace.Claim)
	if len(k.Citations) != 1 || k.Citations[0].Source != "src:pub" || len(kept.Citations) != 2 {
		t.Errorf("citations: kept %v, original %v", k.Citations, kept.Citations)
	}
	// At confidential, everything is kept as it is.
	all := armstrace.NewAccessFilter(armstrace.AccessConfidential)
	for _, r := range []armstrace.Record{pub, conf, hidden, mixed, bare, aboutHidden, kept} {
		if all.Keep(r) == nil {
			t.Errorf("confidential export withheld %s", r.RecordID())
		}
	}
}

func TestSourceFileValidate(t *testing.T) {
	sha := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	good := func() *armstrace.SourceFile {
		return &armstrace.SourceFile{ID: "src:a@" + sha, Source: "src:a", SHA256: sha, Size: 3, Role: armstrace.FileOriginal, Created: "2026-01-01T00:00:00Z"}
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		edit  func(f *armstrace.SourceFile)
	}{
		{"id", func(f *armstrace.SourceFile) { f.ID = "src:a" }},
		{"size", func(f *armstrace.SourceFile) { f.Size = -1 }},
		{"role", func(f *armstrace.SourceFile) { f.Role = "copy" }},
		{"from", func(f *armstrace.SourceFile) { f.Role = armstrace.FileDerived }},
		{"created", func(f *armstrace.SourceFile) { f.Created = "2026-01-01T00:00:00+02:00" }},
		{"dispose_reason", func(f *armstrace.SourceFile) { f.Disposed = "2026-01-02T00:00:00Z" }},
	} {
		f := good()
		c.edit(f)
		err := f.Validate()
		var e *armstrace.Error
		if !errors.As(err, &e) || e.Field != c.field {
			t.Errorf("%s: got %v", c.field, err)
		}
	}
}
