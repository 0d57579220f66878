//go:build !unix

package ucdp

import "time"

func cpuTime() time.Duration { return 0 }
