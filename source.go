package armstrace

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// SourceKind says what a source is.
type SourceKind string

const (
	SourceDataset  SourceKind = "dataset"  // a release of a dataset: SIPRI, UCDP GED, OFAC SDN
	SourceDocument SourceKind = "document" // a report, press release, letter or filing
	SourceArticle  SourceKind = "article"  // news reporting
	SourceMedia    SourceKind = "media"    // a photo, video or audio recording
	// SourceCorrespondence is a letter to or from the subject of a report,
	// or a note of a call: the right-of-reply and outreach log of a
	// dossier is made of these.
	SourceCorrespondence SourceKind = "correspondence"
)

// Access levels. Restricted and confidential sources are shown only to
// users whose role allows it; the level travels with every export.
type Access string

const (
	AccessPublic       Access = "public"
	AccessRestricted   Access = "restricted"
	AccessConfidential Access = "confidential"
)

// Reliability is the standing of a source, graded on the Admiralty scale
// and kept apart from the credibility of each claim that cites it:
// A completely reliable, B usually reliable, C fairly reliable,
// D not usually reliable, E unreliable, F cannot be judged.
type Reliability string

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Source is a dataset release or a document that claims cite.
type Source struct {
	ID          string      `json:"id"`
	Kind        SourceKind  `json:"kind"`
	Title       string      `json:"title"`
	Publisher   string      `json:"publisher,omitempty"`
	URL         string      `json:"url,omitempty"`
	Published   Date        `json:"published,omitempty"`
	Captured    string      `json:"captured,omitempty"` // RFC 3339 time in UTC when the copy was taken
	Version     string      `json:"version,omitempty"`  // a dataset's release, such as "GED 25.1"
	SHA256      string      `json:"sha256,omitempty"`   // of the exact bytes kept
	Reliability Reliability `json:"reliability,omitempty"`
	Access      Access      `json:"access,omitempty"`
	License     string      `json:"license,omitempty"`
	Notes       string      `json:"notes,omitempty"`
}

func (s *Source) RecordType() RecordType { return TypeSource }
func (s *Source) RecordID() string       { return s.ID }

// Normalize fills the access level, which defaults to public.
func (s *Source) Normalize() {
	s.Title = strings.TrimSpace(s.Title)
	if s.Access == "" {
		s.Access = AccessPublic
	}
	s.SHA256 = strings.ToLower(s.SHA256)
}

// Validate returns an EINVALID error naming the first field at fault.
func (s *Source) Validate() error {
	if err := validateText(s); err != nil {
		return err
	}
	if err := validateID("id", s.ID); err != nil {
		return err
	}
	if err := oneOf("kind", s.Kind, SourceDataset, SourceDocument, SourceArticle, SourceMedia, SourceCorrespondence); err != nil {
		return err
	}
	if strings.TrimSpace(s.Title) == "" {
		return invalid("title", "required")
	}
	if err := s.Published.Validate(); err != nil {
		return invalid("published", "%v", err)
	}
	if s.Captured != "" {
		t, err := time.Parse(time.RFC3339, s.Captured)
		if err != nil {
			return invalid("captured", "%q is not an RFC 3339 time such as 2012-04-12T15:04:05Z", s.Captured)
		}
		if _, off := t.Zone(); off != 0 {
			return invalid("captured", "%q must be in UTC, ending in Z", s.Captured)
		}
	}
	if s.SHA256 != "" && !sha256Pattern.MatchString(strings.ToLower(s.SHA256)) {
		return invalid("sha256", "must be 64 hexadecimal digits")
	}
	if s.Reliability != "" {
		if err := oneOf("reliability", s.Reliability, "A", "B", "C", "D", "E", "F"); err != nil {
			return err
		}
	}
	if s.Access != "" {
		if err := oneOf("access", s.Access, AccessPublic, AccessRestricted, AccessConfidential); err != nil {
			return err
		}
	}
	return nil
}

// SourceService reads and writes sources.
type SourceService interface {
	FindSourceByID(ctx context.Context, id string) (*Source, error)
	FindSources(ctx context.Context) ([]*Source, error)
	CreateSource(ctx context.Context, s *Source) error
	UpdateSource(ctx context.Context, s *Source) error
	DeleteSource(ctx context.Context, id string) error
}
