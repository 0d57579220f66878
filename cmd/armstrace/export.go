package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/jsonl"
)

func (a *App) runExport(ctx context.Context, args []string) error {
	fs := a.newFlagSet("export", "export --format jsonl [-o FILE]", `
Export every record as JSON Lines: sources, then entities, events,
ceasefires and claims, each type in id order. The same data always exports
to the same bytes, and importing an export into an empty database and
exporting again gives an identical file.`,
		"armstrace export --format jsonl > backup.jsonl",
		"armstrace --db team.db export -o team.jsonl")
	format := fs.String("format", "jsonl", "output format: jsonl")
	out := fs.String("o", "-", "write to FILE instead of standard output")
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
	s, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if *out == "-" {
		return exportTo(ctx, s, a.Stdout)
	}
	// Write beside the target and rename, so that a failed export never
	// leaves a half-written file where a good one was.
	tmp, err := os.CreateTemp(dirOf(*out), ".armstrace-export-*")
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINVALID, File: *out, Message: "cannot write", Err: err}
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file private; an export is meant to be shared,
	// so give it the mode of the file it replaces, or the usual one.
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(*out); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := exportTo(ctx, s, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), *out)
}

type exporter interface {
	Export(ctx context.Context, fn func(armstrace.RecordType, string) error) error
}

func exportTo(ctx context.Context, s exporter, w io.Writer) error {
	bw := bufio.NewWriter(w)
	err := s.Export(ctx, func(t armstrace.RecordType, doc string) error {
		_, err := bw.WriteString(jsonl.Line(t, doc) + "\n")
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
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
