package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/dossier"
	"github.com/armstrace/armstrace/internal/match"
	"github.com/armstrace/armstrace/internal/store"
)

func (a *App) runDossier(ctx context.Context, args []string) error {
	fs := a.newFlagSet("dossier", "dossier NAME|ID [--format html|md|json] [-o FILE] [--include-confidential]", `
Write the vendor-screening dossier of one entity, in ten parts: identity,
ownership and control, sanctions, procurement restrictions, transfers to
high-risk recipients, documented misuse, logistics and financial
partners, exclusion criteria, right of reply, and provenance with an
evidence appendix. A name is resolved through screening, so misspellings
and other scripts work. Confidential sources are withheld, and counted,
unless --include-confidential is given.`,
		"armstrace dossier Rosobornexport --format html -o rosoboronexport.html",
		"armstrace dossier ent:rosoboronexport --format json")
	format := fs.String("format", "md", "html, md or json")
	out := fs.String("o", "-", "write to FILE")
	conf := fs.Bool("include-confidential", false, "show confidential sources instead of withholding them")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return a.usageError(fs, "name the entity: a name, an alias or an id")
	}
	if *format != "html" && *format != "md" && *format != "json" {
		return a.usageError(fs, "--format %q: use html, md or json", *format)
	}
	query := strings.Join(pos, " ")
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	id, m, err := resolveSubject(ctx, s, query)
	if err != nil {
		return err
	}
	d, err := dossier.Build(ctx, s, id, dossier.Options{Query: query, Match: m, IncludeConfidential: *conf})
	if err != nil {
		return err
	}
	if *out == "-" {
		return dossier.Render(a.Stdout, d, *format)
	}
	if err := writeFileAtomic(*out, func(w io.Writer) error { return dossier.Render(w, d, *format) }); err != nil {
		return err
	}
	fmt.Fprintf(a.Stderr, "dossier of %s written to %s\n", d.Subject.Name, *out)
	return nil
}

// resolveSubject finds the entity a user names, by id or by screening
// every entity.
func resolveSubject(ctx context.Context, s *store.Store, query string) (string, *dossier.Match, error) {
	return dossier.Resolve(ctx, s, query, func() (*match.Index, error) {
		ents, err := s.FindEntities(ctx, armstrace.EntityFilter{})
		if err != nil {
			return nil, err
		}
		return match.NewIndex(ents, match.IndexOptions{}), nil
	})
}

// writeFileAtomic writes a file through a temporary file in the same
// folder, so that a failed write leaves no half-written output.
func writeFileAtomic(path string, fn func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
