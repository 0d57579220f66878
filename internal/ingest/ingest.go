// Package ingest holds what the importers of the real datasets share: the
// contract a reader keeps, CSV handling for the quirks those files have
// (BOMs, preambles, Latin-1, blank-named columns, "NA" cells), the curated
// table that resolves states across datasets, and the snapshot source that
// every imported record cites. Each dataset has its own package below this
// one, a reader and a mapper, as one file format per package.
//
// Readers never touch the store: they turn rows into records, and the
// command that runs them writes those records in one batch.
package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/armstrace/armstrace"
)

// Mode says how a record of a row is to be written.
type Mode = armstrace.WriteMode

const (
	// Put creates the record, or replaces it when the dataset's version
	// differs: for records the dataset owns, such as its events or deals.
	Put = armstrace.WritePut
	// Ensure creates the record only if no record has its id, and never
	// changes an existing one.
	Ensure = armstrace.WriteEnsure
	// Merge adds the names, identifiers and citations of an entity to the
	// stored one, creating it if missing, and changes nothing else: for
	// entities shared with other datasets and analysts, such as states.
	Merge = armstrace.WriteMerge
)

// Op is one record of a row and how to write it.
type Op struct {
	Mode   Mode
	Record armstrace.Record
}

// Row is what one input row (or one group of rows, for formats that
// spread a record over several) maps to, records in dependency order.
type Row struct {
	Line int // the line where the row starts, from 1
	Ops  []Op
}

// RowCounter is implemented by readers whose rows are not one per input
// row (a reader that groups rows into one record, or emits records at the
// end): RowsRead returns the input rows read, which import runs report.
type RowCounter interface {
	RowsRead() int
}

// Reader reads rows. Next returns io.EOF after the last row. A bad row
// gives an *armstrace.Error with code EINVALID, Line and Field set; the
// reader stays usable, so that an import that skips bad rows can go on.
// Any other error is fatal.
type Reader interface {
	Next() (Row, error)
}

// Dataset is what a reader learns of its file's identity when it opens
// it: the dataset's name and publisher, and its version where the file
// says it ("Data generated: 13 Oct 2024").
type Dataset struct {
	Name      string
	Publisher string
	Version   string
	URL       string
	License   string
}

// Env is what a reader needs from outside: the id of the snapshot source
// that every record must cite, the file name for locators, and the
// resolver of states.
type Env struct {
	Source string
	File   string
	States *States
}

// Cite returns a citation of the snapshot at a locator ("line 12",
// "id 214797").
func (e *Env) Cite(locator string) armstrace.Citation {
	return armstrace.Citation{Source: e.Source, Locator: locator}
}

// Format is one importable format.
type Format struct {
	Name    string
	Summary string
	// Open starts reading r. It may read a preamble first, so that
	// Dataset is known before the first row.
	Open func(r io.Reader, env *Env) (Reader, Dataset, error)
}

// HashFile returns the hex SHA-256 of a file's bytes.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SnapshotSource returns the source record of one file of a dataset. Its
// id comes from the format and the file's hash, so the same bytes always
// make the same source, and a new release makes a new one that the
// records it updates then cite. It holds no import time, for the same
// reason: re-importing the same file must change nothing.
func SnapshotSource(format string, ds Dataset, sha string) *armstrace.Source {
	title := ds.Name
	if title == "" {
		title = format + " file"
	}
	return &armstrace.Source{
		ID:          SnapshotID(format, sha),
		Kind:        armstrace.SourceDataset,
		Title:       title,
		Publisher:   ds.Publisher,
		URL:         ds.URL,
		Version:     ds.Version,
		SHA256:      sha,
		Reliability: "",
		License:     ds.License,
	}
}

// SnapshotID is the id of the snapshot source of a file.
func SnapshotID(format, sha string) string {
	return "src:" + format + ":" + sha[:16]
}

// Slug turns a name into an id fragment: lower case, letters and digits,
// other runs of characters as one "-".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r > 127 && unicode.IsLetter(r):
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Sorted returns the keys of a set, sorted: what readers' Unresolved
// methods return.
func Sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// HeaderHas returns a TableOptions.IsHeader that takes the first line
// holding a column of that name as the header.
func HeaderHas(column string) func([]string) bool {
	return func(fields []string) bool {
		for _, f := range fields {
			if strings.TrimSpace(f) == column {
				return true
			}
		}
		return false
	}
}

// Group describes a record that a reader builds from several rows (a
// SIPRI deal from its delivery years, an award from its transactions), so
// that when some of its rows are bad the whole record is left out and
// every one of its rows is reported.
type Group struct {
	What  string // "deal", "award"
	ID    string
	Field string // the column that keys the group
	Whole string // the rule, as said to the user: "a deal is imported with all of its delivery years or not at all"
	Lines []int  // the group's good lines
	Bad   []int  // its lines already reported as bad
}

// LeaveOut returns an EINVALID error for each line of a group left out
// whole, except its bad lines and the line skip, already reported. why
// says why, by default its bad lines.
func (g Group) LeaveOut(why string, skip int) []*armstrace.Error {
	bad := map[int]bool{skip: true}
	for _, l := range g.Bad {
		bad[l] = true
	}
	lines := append(append([]int(nil), g.Lines...), g.Bad...)
	sort.Ints(lines)
	if why == "" {
		why = ", whose " + lineList(g.Bad)
	}
	var errs []*armstrace.Error
	for _, l := range lines {
		if bad[l] {
			continue
		}
		errs = append(errs, &armstrace.Error{Code: armstrace.EINVALID, Line: l, Field: g.Field,
			Message: fmt.Sprintf("left out with its %s %s%s: %s (its lines: %s)", g.What, g.ID, why, g.Whole, joinInts(lines, ", "))})
	}
	return errs
}

// lineList says "line 4 is bad" or "lines 4, 6 and 9 are bad".
func lineList(ls []int) string {
	if len(ls) == 1 {
		return "line " + strconv.Itoa(ls[0]) + " is bad"
	}
	return "lines " + joinInts(ls[:len(ls)-1], ", ") + " and " + strconv.Itoa(ls[len(ls)-1]) + " are bad"
}

func joinInts(xs []int, sep string) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, sep)
}
