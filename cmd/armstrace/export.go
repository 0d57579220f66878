package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/jsonl"
)

func (a *App) runExport(ctx context.Context, args []string) error {
	fs := a.newFlagSet("export", "export --format jsonl [-o FILE] [--max-access LEVEL] | export --bundle OUT.zip|OUT.tar [--max-access LEVEL] [--files DIR]", `
Export every record as JSON Lines: sources, then entities, events,
ceasefires and claims, each type in id order. The same data always exports
to the same bytes, and importing an export into an empty database and
exporting again gives an identical file.

--bundle writes a zip or tar archive for a third party: the records, the
records of the source files, each source's chain of custody, the files
themselves, and a SHA256SUMS manifest, so that "cd FOLDER && sha256sum -c
SHA256SUMS" checks it with standard tools. "armstrace import --bundle"
reads it back, hash for hash.

--max-access leaves out sources above a level, the records that cite only
such sources, and the records that refer to records left out; kept
records lose their citations of withheld sources. A plain export keeps
everything unless told; a bundle keeps only public sources unless told.

Every export is in the audit log, with the SHA-256 of what was written,
and on each source it carried.`,
		"armstrace export --format jsonl > backup.jsonl",
		"armstrace --db team.db export -o team.jsonl",
		"armstrace export --bundle evidence.zip --max-access restricted")
	format := fs.String("format", "jsonl", "output format: jsonl")
	out := fs.String("o", "-", "write to FILE instead of standard output")
	bundle := fs.String("bundle", "", "write a bundle of records, files and manifest to OUT.zip or OUT.tar")
	maxAccess := fs.String("max-access", "", "the highest access level of sources exported: public, restricted or confidential (default confidential for JSON Lines, public for a bundle)")
	files := filesFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "jsonl" {
		return a.usageError(fs, "unknown format %q (known: jsonl)", *format)
	}
	if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	if *bundle != "" && *out != "-" {
		return a.usageError(fs, "--bundle names its own output: leave out -o")
	}
	if *bundle != "" && !isBundle(*bundle) {
		return a.usageError(fs, "--bundle %s: the name must end in .zip or .tar", *bundle)
	}
	level := armstrace.AccessConfidential
	if *bundle != "" {
		level = armstrace.AccessPublic
	}
	if *maxAccess != "" {
		if level, err = parseAccess(*maxAccess); err != nil {
			return a.usageError(fs, "--max-access: %s", armstrace.ErrorMessage(err))
		}
	}
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if *bundle != "" {
		fstore, err := a.openFiles(*files, false)
		if err != nil {
			return err
		}
		sum, err := a.writeBundle(ctx, s, fstore, *bundle, level)
		if err != nil {
			return err
		}
		if a.JSON {
			return writeJSON(a.Stdout, sum)
		}
		fmt.Fprintf(a.Stdout, "%s: %d records, %d files (%d bytes), sources up to %s\n  manifest sha256 %s\n  archive sha256 %s\n", sum.Bundle, sum.Records, sum.Files, sum.Bytes, sum.MaxAccess, sum.ManifestSHA256, sum.ArchiveSHA256)
		for _, t := range armstrace.RecordTypes {
			if n := sum.Withheld[t]; n > 0 {
				fmt.Fprintf(a.Stdout, "  withheld: %d %s records\n", n, t)
			}
		}
		return nil
	}
	// Write to a temporary file beside the target (or anywhere, for
	// standard output) and rename, so that a failed export never leaves a
	// half-written file where a good one was, and so that the audit entry,
	// written before the export is handed over, carries its digest.
	dir := os.TempDir()
	if *out != "-" {
		dir = dirOf(*out)
	}
	tmp, err := os.CreateTemp(dir, ".armstrace-export-*")
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: *out, Message: "cannot write", Err: err}
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	// CreateTemp makes the file private; an export is meant to be shared,
	// so give it the mode of the file it replaces, or the usual one.
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(*out); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	h := sha256.New()
	var sources []string
	filter := armstrace.NewAccessFilter(level)
	n, err := exportFiltered(ctx, s, io.MultiWriter(tmp, h), filter, &sources)
	if err != nil {
		return err
	}
	digest := hex.EncodeToString(h.Sum(nil))
	to := *out
	if to == "-" {
		to = "standard output"
	}
	if err := auditExport(ctx, s, sources, map[string]any{"to": to, "format": "jsonl", "sha256": digest, "max_access": string(level), "records": n, "withheld": filter.Withheld}, digest); err != nil {
		return err
	}
	if *out != "-" {
		if err := tmp.Close(); err != nil {
			return err
		}
		return os.Rename(tmp.Name(), *out)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err = io.Copy(a.Stdout, tmp)
	return err
}

// exportFiltered writes the records a filter keeps as JSON Lines and
// returns how many; the ids of the sources written are appended to
// sources. A filter at confidential keeps every record unchanged.
func exportFiltered(ctx context.Context, s exporter, w io.Writer, f *armstrace.AccessFilter, sources *[]string) (int, error) {
	bw := bufio.NewWriter(w)
	n := 0
	err := s.Export(ctx, func(t armstrace.RecordType, doc string) error {
		r := armstrace.NewRecord(t)
		if err := json.Unmarshal([]byte(doc), r); err != nil {
			return err
		}
		kept := f.Keep(r)
		if kept == nil {
			return nil
		}
		line, err := armstrace.CanonicalJSON(kept)
		if err != nil {
			return err
		}
		if t == armstrace.TypeSource {
			*sources = append(*sources, r.RecordID())
		}
		n++
		_, err = bw.WriteString(jsonl.Line(t, line) + "\n")
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, bw.Flush()
}

type exporter interface {
	Export(ctx context.Context, fn func(armstrace.RecordType, string) error) error
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i+1]
		}
	}
	return "."
}
