package devstack

import (
	"os/exec"
	"syscall"
)

// setProcAttr makes the child die with the process that started it (a test binary that panics
// or times out must not leave servers behind).
func setProcAttr(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
