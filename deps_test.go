package armstrace_test

import (
	"bufio"
	"go/build"
	"os"
	"strings"
	"testing"
)

// allowedModules is the dependency policy: each direct dependency was
// chosen on purpose, and adding one means adding it here with a reason.
var allowedModules = map[string]string{
	"modernc.org/sqlite":                       "embedded SQLite in pure Go, so the binary needs no C toolchain",
	"github.com/jackc/pgx/v5":                  "PostgreSQL driver for teams sharing a server",
	"github.com/google/go-cmp":                 "readable diffs in tests",
	"golang.org/x/text":                        "Unicode normalisation and transliteration support",
	"golang.org/x/crypto":                      "password hashing (argon2id)",
	"golang.org/x/term":                        "asking for a password without echoing it",
	"github.com/chromedp/chromedp":             "drives headless Chromium through the web UI in the browser tests, in tests only",
	"github.com/santhosh-tekuri/jsonschema/v6": "validates the dossier's JSON form against its documented schema, in tests only",
}

func TestDirectDependenciesAreAllowed(t *testing.T) {
	f, err := os.Open("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	inRequire := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "require (":
			inRequire = true
			continue
		case line == ")":
			inRequire = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inRequire:
			continue
		}
		if line == "" || strings.HasSuffix(line, "// indirect") {
			continue
		}
		mod := strings.Fields(line)[0]
		if _, ok := allowedModules[mod]; !ok {
			t.Errorf("go.mod requires %s directly, which the dependency policy does not list", mod)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestRootImportsOnlyTheStandardLibrary keeps the domain free of adapters.
func TestRootImportsOnlyTheStandardLibrary(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		first, _, _ := strings.Cut(imp, "/")
		if strings.Contains(first, ".") {
			t.Errorf("the root package imports %s; the domain may use only the standard library", imp)
		}
	}
}
