//go:build !unix

package browsertest

import "os/exec"

// ownGroup leaves cmd as it is: without Unix process groups, cancelling
// stops Chromium's main process only.
func ownGroup(cmd *exec.Cmd) {}
