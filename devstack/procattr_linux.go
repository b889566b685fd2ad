package devstack

import (
	"os/exec"
	"syscall"
)

// setProcAttr makes the child die with the process that started it (a test binary that panics
// or times out must not leave servers behind) and puts it in its own process group, so that
// Ctrl-C in a terminal reaches only our process, which then stops its children in order.
func setProcAttr(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	cmd.SysProcAttr.Setpgid = true
}
