package armstrace

// ImportRun records one import of one file: which format and snapshot
// source, when, by whom, and what it did with the rows. Runs are kept and
// audited, so that every record's provenance can be traced to the run
// that wrote it and the bytes it came from.
type ImportRun struct {
	ID         string   `json:"id"`
	Format     string   `json:"format"`
	File       string   `json:"file"`
	Source     string   `json:"source"` // the snapshot source every record of the run cites
	Dataset    string   `json:"dataset,omitempty"`
	Version    string   `json:"version,omitempty"`
	SHA256     string   `json:"sha256"`
	Started    string   `json:"started"`  // RFC 3339, UTC
	Finished   string   `json:"finished"` // RFC 3339, UTC
	Actor      string   `json:"actor"`
	RowsRead   int      `json:"rows_read"`
	Rejected   int      `json:"rows_rejected"`
	RejectFile string   `json:"reject_file,omitempty"`
	Created    int      `json:"records_created"`
	Updated    int      `json:"records_updated"`
	Unchanged  int      `json:"records_unchanged"`
	Unresolved []string `json:"unresolved,omitempty"` // names no curated entity matched
	Warnings   []string `json:"warnings,omitempty"`
}
