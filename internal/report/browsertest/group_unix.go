//go:build unix

package browsertest

import (
	"os/exec"
	"syscall"
)

// ownGroup runs cmd in its own process group, and stops the whole group
// when the command is cancelled: Chromium's helper processes go with it.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
