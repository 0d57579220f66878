// Command armstrace traces who enables atrocities: from a documented
// atrocity to the weapons seen there, to who supplied them, to who still
// does business with those suppliers, every link with its evidence.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"slices"
	"strings"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
)

// DefaultDB is the database used when neither --db nor ARMSTRACE_DB is given.
const DefaultDB = "armstrace.db"

// errUsage marks a usage error, already explained on stderr; it exits 2.
var errUsage = errors.New("usage")

// App holds what every command shares: global options and the output
// streams. Commands are methods on it.
type App struct {
	DB   string
	JSON bool
	// dbSet is true when --db was given; the demo writes its own file
	// unless told otherwise, whatever $ARMSTRACE_DB says.
	dbSet  bool
	Stdin  io.Reader // passwords with --password-stdin; nil reads nothing
	Stdout io.Writer
	Stderr io.Writer
	// Interactive is true when stderr is a terminal: progress bars go there.
	Interactive bool
}

type command struct {
	name    string
	summary string
	run     func(a *App, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "load the bundled dataset and tell the story of the 2012 press release, link by sourced link", (*App).runDemo},
		{"import", "import records from files (--format jsonl)", (*App).runImport},
		{"export", "export every record (--format jsonl)", (*App).runExport},
		{"source", "keep a source's files with their chain of custody (add, show, cat, derive, history, verify, dispose)", (*App).runSource},
		{"transfers", "arms delivered to a recipient by year, with the deals behind each figure", (*App).runTransfers},
		{"enablers", "rank who enables the atrocities of a country, with their chains and sources", (*App).runEnablers},
		{"incidents", "list a country's incidents once each, clustering reports of one incident from different datasets", (*App).runIncidents},
		{"dossier", "write the ten-part screening dossier of one entity (html, md or json)", (*App).runDossier},
		{"ceasefire", "record ceasefires, report whether they held, and watch them (add, list, report, watch)", (*App).runCeasefire},
		{"watch", "list what changed about entities since a point of the audit log (new claims, reviews, events), and post it to a webhook", (*App).runWatch},
		{"screen", "screen names or a vendor file against every entity, with explanations", (*App).runScreen},
		{"decide", "record a reviewer's decision on a screening hit: not a match (suppressed from then on) or a match", (*App).runDecide},
		{"extract", "propose claims from a report's text (txt or html), each citing its sentence; --source writes them as alleged, for review", (*App).runExtract},
		{"compare", "score two names, with the explanation of the score", (*App).runCompare},
		{"user", "manage the users of armstrace serve and their API tokens (add, passwd, token, list)", (*App).runUser},
		{"serve", "serve the web UI and the JSON API, signed in as a user", (*App).runServe},
		{"audit", "check the tamper-evident audit log (audit verify, audit log)", (*App).runAudit},
		{"backup", "back up the SQLite database and its stored files, or restore a backup (--restore)", (*App).runBackup},
		{"migrate", "apply pending schema migrations and list them", (*App).runMigrate},
		{"version", "print the version", (*App).runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	a := &App{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Interactive: isTerminal(os.Stderr)}
	os.Exit(a.Main(ctx, os.Args[1:]))
}

// Main runs the command line args and returns the exit status: 0 on
// success, 2 on a usage error, 1 on any other error.
func (a *App) Main(ctx context.Context, args []string) int {
	if u, err := user.Current(); err == nil {
		ctx = armstrace.WithActor(ctx, "cli:"+u.Username)
	} else {
		ctx = armstrace.WithActor(ctx, "cli")
	}
	err := a.run(ctx, args)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	a.printError(err)
	return 1
}

func (a *App) printError(err error) {
	if armstrace.ErrorCode(err) == armstrace.EINTERNAL {
		// Internal detail is for the one reading the terminal; the API
		// never shows it.
		fmt.Fprintf(a.Stderr, "armstrace: internal error: %v\n", err)
		return
	}
	fmt.Fprintf(a.Stderr, "armstrace: %s\n", armstrace.ErrorMessage(err))
}

func (a *App) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("armstrace", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	a.globalFlags(fs)
	fs.Usage = func() { a.usage(fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() == 0 {
		a.usage(fs)
		return errUsage
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	if name == "help" {
		if len(rest) > 0 {
			return a.run(ctx, []string{rest[0], "-h"})
		}
		a.usage(fs)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(a, ctx, rest)
		}
	}
	fmt.Fprintf(a.Stderr, "armstrace: unknown command %q\n\n", name)
	a.usage(fs)
	return errUsage
}

// globalFlags registers --db and --json on fs. Every command's flag set
// has them too, so they may come before or after the command name.
func (a *App) globalFlags(fs *flag.FlagSet) {
	if a.DB == "" {
		a.DB = os.Getenv("ARMSTRACE_DB")
	}
	if a.DB == "" {
		a.DB = DefaultDB
	}
	fs.Func("db", "database: a SQLite file path or a postgres:// URL (default ./"+DefaultDB+", or $ARMSTRACE_DB)", func(v string) error {
		a.DB, a.dbSet = v, true
		return nil
	})
	fs.BoolVar(&a.JSON, "json", a.JSON, "print machine-readable JSON")
}

func (a *App) usage(fs *flag.FlagSet) {
	w := a.Stderr
	fmt.Fprintf(w, `armstrace traces who enables atrocities: from an atrocity to the weapons seen
there, to who supplied them, to who still does business with them. Every
link carries its evidence.

Usage:
  armstrace [--db PATH|URL] [--json] COMMAND [ARGS]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
Global flags:
`)
	fs.PrintDefaults()
	fmt.Fprintf(w, `
Start with:
  armstrace demo --no-serve
Run "armstrace help COMMAND" for a command's flags and examples.
`)
}

// newFlagSet returns a flag set for a command with the global flags and a
// usage text built from the command's synopsis and examples.
func (a *App) newFlagSet(name, synopsis, about string, examples ...string) *flag.FlagSet {
	fs := flag.NewFlagSet("armstrace "+name, flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	a.globalFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(a.Stderr, "Usage:\n  armstrace %s\n\n%s\n\nFlags:\n", synopsis, strings.TrimSpace(about))
		fs.PrintDefaults()
		if len(examples) > 0 {
			fmt.Fprintf(a.Stderr, "\nExamples:\n")
			for _, e := range examples {
				fmt.Fprintf(a.Stderr, "  %s\n", e)
			}
		}
	}
	return fs
}

// parse parses args into fs and returns the positional arguments. Flags
// may come before, between or after them, as in "audit verify --db x.db";
// everything after "--" is positional. Usage errors become errUsage.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos, rest []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, rest = args[:i], args[i+1:]
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// usageError prints a message and the command's usage, and returns errUsage.
func (a *App) usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(a.Stderr, "armstrace: "+format+"\n\n", args...)
	fs.Usage()
	return errUsage
}

// openStore opens the database named by --db. Commands that write pass
// write=true and migrate it, creating it if need be. Commands that only
// read change nothing: a missing SQLite file is an error rather than a new
// empty database, and a schema that needs migrating is reported, so that
// a role that may only read can still export and verify.
func (a *App) openStore(ctx context.Context, write bool) (*store.Store, error) {
	if !write && !store.IsPostgres(a.DB) {
		if _, err := os.Stat(a.DB); errors.Is(err, os.ErrNotExist) {
			return nil, armstrace.Errorf(armstrace.ENOTFOUND, "database %s does not exist; create it with armstrace import or armstrace demo, or name another with --db", a.DB)
		}
	}
	s, err := store.Open(ctx, a.DB)
	if err != nil {
		return nil, err
	}
	if write {
		_, err = s.Migrate(ctx)
	} else {
		err = s.CheckSchema(ctx)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
