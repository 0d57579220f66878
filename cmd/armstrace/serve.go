package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/blob"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/web"
)

func (a *App) runServe(ctx context.Context, args []string) error {
	fs := a.newFlagSet("serve", "serve [--addr 127.0.0.1:8080] [--files DIR]", `
Serve the web UI at / (sign in with a user made by "armstrace user add")
and the JSON API under /api/v1:
  GET  /api/v1/health
  GET  /api/v1/search?q=NAME[&limit=N]
  POST /api/v1/match[?limit=N&threshold=T&exclude_entity_ids=ID]
       a batch of queries in the shape of OpenSanctions' yente /match:
       {"queries": {"q1": {"schema": "Company", "properties": {"name": ["Rosobornexport"], "innCode": ["7718852163"]}}}}
  GET  /api/v1/entities/{id}, /api/v1/events/{id}, /api/v1/claims/{id}, /api/v1/sources/{id}
  GET  /api/v1/ceasefires, /api/v1/ceasefires/{id}/report?format=json|html|md
  POST /api/v1/claims/{id}/review   (reviewers: {"status", "reason"})
  GET  /api/v1/enablers?country=&since=&until=&role=&limit=
  GET  /api/v1/dossiers/{name}?format=json|html|md
  POST /api/v1/imports?format=jsonl|FORMAT[&name=FILE]   (analysts and above; all or nothing)
  GET  /api/v1/openapi.json
Every route but health and openapi.json needs an API token, sent as
"Authorization: Bearer TOKEN": make a user with "armstrace user add" and a
token with "armstrace user token". Each user reads what their role may:
records resting only on sources above it are left out of every answer,
in the UI as in the API. It stops on Ctrl-C.`,
		"armstrace serve",
		"armstrace --db postgres://armstrace@db.example/armstrace serve --addr :8080")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	filesFlag := fs.String("files", "", "the folder of sources' stored files, downloadable from their pages (default: beside a SQLite database, or $"+EnvFiles+", when there)")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return a.usageError(fs, "unexpected argument %q", pos[0])
	}
	s, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	files, err := a.servedFiles(*filesFlag)
	if err != nil {
		return err
	}
	if n := web.RemoveStaleUploads(24 * time.Hour); n > 0 {
		fmt.Fprintf(a.Stderr, "armstrace: removed %d upload folder(s) left by a server stopped during an import\n", n)
	}
	return a.serveHTTP(ctx, s, files, *addr, func(url string) {
		fmt.Fprintf(a.Stdout, "armstrace serving %s on %s (the web UI; the API under %sapi/v1/)\n", a.DB, url, url)
	})
}

// servedFiles opens the file store a server offers downloads from: the
// folder named, which must exist, or else the default folder when it
// exists; none otherwise.
func (a *App) servedFiles(flagValue string) (*blob.Store, error) {
	dir, err := a.filesDir(flagValue)
	if err != nil {
		return nil, nil // PostgreSQL without a folder named: no downloads
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		if flagValue != "" || os.Getenv(EnvFiles) != "" {
			return nil, &armstrace.Error{Code: armstrace.EINVALID, File: dir, Message: "no such folder of stored files"}
		}
		return nil, nil
	}
	return blob.Open(dir, false)
}

// serveHTTP serves the web UI and the API on addr until ctx ends,
// calling announce with the base URL once it listens.
func (a *App) serveHTTP(ctx context.Context, s *store.Store, files *blob.Store, addr string, announce func(url string)) error {
	srv := &http.Server{
		Handler:           (&web.Server{Store: s, Files: files, Logger: slog.New(slog.NewTextHandler(a.Stderr, nil))}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return armstrace.Errorf(armstrace.EINVALID, "cannot listen on %s: %v", addr, err)
	}
	announce("http://" + ln.Addr().String() + "/")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
