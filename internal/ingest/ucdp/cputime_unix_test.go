//go:build unix

package ucdp

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used (user and system,
// all threads), so that a benchmark can report throughput per CPU second,
// which other work on a busy machine skews far less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
