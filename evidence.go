package armstrace

import (
	"context"
	"time"
)

// FileRole says whether a stored file is a source's evidentiary copy or a
// working copy made from it.
type FileRole string

const (
	// FileOriginal is the exact bytes collected: never changed, kept
	// read-only, the copy every hash in the record refers to.
	FileOriginal FileRole = "original"
	// FileDerived is a working copy made from another stored file of the
	// same source by a recorded transformation.
	FileDerived FileRole = "derived"
)

// Transform names how a derived copy was made.
type Transform string

const (
	TransformText   Transform = "text"   // the text extracted from a text or HTML file
	TransformRedact Transform = "redact" // a text copy with lines or matches blacked out
)

// SourceFile is one file held for a source: the original, or a copy
// derived from a file of the same source. The bytes live in a
// content-addressed store under their SHA-256; this record says whose
// they are, where they came from and whether they are still held.
type SourceFile struct {
	ID        string   `json:"id"` // SourceFileID(Source, SHA256)
	Source    string   `json:"source"`
	SHA256    string   `json:"sha256"`
	Size      int64    `json:"size"`
	Role      FileRole `json:"role"`
	Name      string   `json:"name,omitempty"` // the file's base name when collected or made
	MediaType string   `json:"media_type,omitempty"`
	// From, Transform and Detail describe a derived copy: the SHA-256 of
	// the file it was made from, how, and with what parameters.
	From      string    `json:"from,omitempty"`
	Transform Transform `json:"transform,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	Created   string    `json:"created"` // RFC 3339, UTC: when it entered the store
	// Disposed is set when the bytes were removed (a retention rule, a
	// court order): the record and its hash stay, the file goes.
	Disposed      string `json:"disposed,omitempty"`
	DisposeReason string `json:"dispose_reason,omitempty"`
}

// SourceFileID returns the id of the file with digest sha256 held for a
// source. The same bytes held for two sources are two records of one
// stored file.
func SourceFileID(source, sha256 string) string { return source + "@" + sha256 }

// Held reports whether the file's bytes should be in the file store.
func (f *SourceFile) Held() bool { return f.Disposed == "" }

// Validate returns an EINVALID error naming the first field at fault.
func (f *SourceFile) Validate() error {
	if err := validateText(f); err != nil {
		return err
	}
	if err := validateID("source", f.Source); err != nil {
		return err
	}
	if !sha256Pattern.MatchString(f.SHA256) {
		return invalid("sha256", "must be 64 lower-case hexadecimal digits")
	}
	if f.ID != SourceFileID(f.Source, f.SHA256) {
		return invalid("id", "%q must be the source id, '@' and the SHA-256: %q", f.ID, SourceFileID(f.Source, f.SHA256))
	}
	if f.Size < 0 {
		return invalid("size", "must not be negative")
	}
	if err := oneOf("role", f.Role, FileOriginal, FileDerived); err != nil {
		return err
	}
	if f.Role == FileDerived {
		if !sha256Pattern.MatchString(f.From) {
			return invalid("from", "a derived copy needs the SHA-256 of the file it was made from")
		}
		if err := oneOf("transform", f.Transform, TransformText, TransformRedact); err != nil {
			return err
		}
	} else if f.From != "" || f.Transform != "" || f.Detail != "" {
		return invalid("from", "an original is not made from another file: from, transform and detail must be empty")
	}
	if err := utcTime("created", f.Created, true); err != nil {
		return err
	}
	if err := utcTime("disposed", f.Disposed, false); err != nil {
		return err
	}
	if (f.Disposed == "") != (f.DisposeReason == "") {
		return invalid("dispose_reason", "a disposed file needs a reason, and only a disposed file has one")
	}
	return nil
}

func utcTime(field, v string, required bool) error {
	if v == "" {
		if required {
			return invalid(field, "required")
		}
		return nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return invalid(field, "%q is not an RFC 3339 time such as 2012-04-12T15:04:05Z", v)
	}
	if _, off := t.Zone(); off != 0 {
		return invalid(field, "%q must be in UTC, ending in Z", v)
	}
	return nil
}

// SourceFileService keeps the records of the files held for sources.
// Every change is audited, with a custody event on the source.
type SourceFileService interface {
	// AddSourceFile records a file; the same file again changes nothing.
	// custody is the event to log on the source (ActionCollect,
	// ActionExtract, ActionRedact) and detail its JSON object.
	AddSourceFile(ctx context.Context, f *SourceFile, custody, detail string) (PutResult, error)
	FindSourceFiles(ctx context.Context, source string) ([]*SourceFile, error)
	// DisposeSourceFile marks a held file disposed, for a reason.
	DisposeSourceFile(ctx context.Context, id, reason string) (*SourceFile, error)
}

// accessRank orders access levels from the most open.
func accessRank(a Access) int {
	switch a {
	case AccessPublic, "":
		return 0
	case AccessRestricted:
		return 1
	}
	return 2
}

// AccessFilter decides what an export for readers of sources up to some
// access level may hold. Records must be passed to Keep in dependency
// order (sources first, as exports are written), because a record that
// refers to a withheld record is withheld too.
type AccessFilter struct {
	max  Access
	kept map[string]bool // "type\x00id" of every record kept
	// Withheld counts the records left out, by type.
	Withheld map[RecordType]int
}

// NewAccessFilter returns a filter that keeps sources up to max.
func NewAccessFilter(max Access) *AccessFilter {
	return &AccessFilter{max: max, kept: map[string]bool{}, Withheld: map[RecordType]int{}}
}

// Kept reports whether the record of type t and id was kept.
func (f *AccessFilter) Kept(t RecordType, id string) bool { return f.kept[string(t)+"\x00"+id] }

// Keep returns r as the export may carry it, or nil when it is withheld:
// a source above the level; a record whose citations are all of withheld
// sources (one that cites none is kept); or a record that refers to a
// withheld record, since naming it would reveal it. A kept record loses
// its citations of withheld sources, which would otherwise point at
// nothing. r itself is never changed.
func (f *AccessFilter) Keep(r Record) Record {
	out := f.keep(r)
	if out == nil {
		f.Withheld[r.RecordType()]++
		return nil
	}
	f.kept[string(r.RecordType())+"\x00"+r.RecordID()] = true
	return out
}

func (f *AccessFilter) keep(r Record) Record {
	ent := func(id string) bool { return id == "" || f.Kept(TypeEntity, id) }
	switch v := r.(type) {
	case *Source:
		if accessRank(v.Access) > accessRank(f.max) {
			return nil
		}
		return v
	case *Entity:
		c := *v
		if !f.cites(&c.Citations) {
			return nil
		}
		return &c
	case *Event:
		for _, a := range v.Actors {
			if !ent(a.Entity) {
				return nil
			}
		}
		c := *v
		if accessRank(f.max) < accessRank(AccessConfidential) {
			c.Place = c.Place.Blurred() // a protected place leaves blurred
		}
		if !f.cites(&c.Citations) {
			return nil
		}
		return &c
	case *Ceasefire:
		for _, ids := range [][]string{v.Covered, v.Excluded} {
			for _, id := range ids {
				if !ent(id) {
					return nil
				}
			}
		}
		c := *v
		if !f.cites(&c.Citations) {
			return nil
		}
		return &c
	case *Claim:
		obj := TypeEntity
		switch v.ObjectTypeOrDefault() {
		case ObjectEvent:
			obj = TypeEvent
		case ObjectCeasefire:
			obj = TypeCeasefire
		}
		if !ent(v.Subject) || !f.Kept(obj, v.Object) {
			return nil
		}
		if t := v.Attrs.Transfer; t != nil && !ent(t.Weapon) {
			return nil
		}
		c := *v
		if !f.cites(&c.Citations) {
			return nil
		}
		return &c
	case *Series:
		if !ent(v.Subject) || !ent(v.Counterpart) {
			return nil
		}
		c := *v
		if !f.cites(&c.Citations) {
			return nil
		}
		return &c
	}
	return nil
}

// cites keeps the citations of kept sources in *cs, replacing the slice
// rather than changing the one shared with the caller's record. It
// reports false when there were citations and none is left.
func (f *AccessFilter) cites(cs *[]Citation) bool {
	if len(*cs) == 0 {
		return true
	}
	var out []Citation
	for _, c := range *cs {
		if f.Kept(TypeSource, c.Source) {
			out = append(out, c)
		}
	}
	if len(out) == len(*cs) {
		return true
	}
	*cs = out
	return len(out) > 0
}
