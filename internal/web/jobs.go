package web

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/armstrace/armstrace"
)

// importJobs are the imports from the web UI running or done on this
// server, kept for an hour after they end.
type importJobs struct {
	mu   sync.Mutex
	byID map[string]*importJob
}

// importJob is one upload being imported.
type importJob struct {
	ID, User, File string
	Size           int64
	read           atomic.Int64 // bytes read so far

	mu     sync.Mutex
	ended  time.Time
	report *importReport
	err    error
}

// jobView is what the job's page shows.
type jobView struct {
	ID, File   string
	Size, Read int64
	Percent    int
	Done       bool
	Report     *importReport
	Error      string
}

const keepJobs = time.Hour

func (s *Server) jobs() *importJobs {
	s.jobsOnce.Do(func() { s.importJobs = &importJobs{byID: map[string]*importJob{}} })
	return s.importJobs
}

func (js *importJobs) start(user, file string, size int64) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	for id, j := range js.byID {
		j.mu.Lock()
		old := !j.ended.IsZero() && time.Since(j.ended) > keepJobs
		j.mu.Unlock()
		if old {
			delete(js.byID, id)
		}
	}
	j := &importJob{ID: randomToken()[:16], User: user, File: file, Size: size}
	js.byID[j.ID] = j
	return j
}

func (js *importJobs) get(id string) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	return js.byID[id]
}

func (j *importJob) finish(rep *importReport, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ended, j.report, j.err = time.Now(), rep, err
}

func (j *importJob) view() *jobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := &jobView{ID: j.ID, File: j.File, Size: j.Size, Read: j.read.Load(), Done: !j.ended.IsZero(), Report: j.report}
	if j.Size > 0 {
		v.Percent = int(min(100, v.Read*100/j.Size))
	}
	if j.err != nil {
		// The message of an internal error is not shown.
		v.Error = armstrace.ErrorMessage(j.err)
	}
	return v
}

// RemoveStaleUploads removes the temporary folders of uploads that a
// server stopped in the middle of an import left behind, those older
// than age, and returns how many it removed. Folders of imports still
// running (on this server or another) are younger.
func RemoveStaleUploads(age time.Duration) int {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "armstrace-upload-*"))
	n := 0
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && time.Since(fi.ModTime()) > age {
			if os.RemoveAll(d) == nil {
				n++
			}
		}
	}
	return n
}
