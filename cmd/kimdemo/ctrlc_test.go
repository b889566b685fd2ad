//go:build linux

package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/devstack"
)

// TestCtrlCStopsEverything runs scripts/demo as `scripts/demo 2>&1 | tee log` would, until the demo
// is up, and then does what Ctrl-C in a terminal does: SIGINT to the whole process group, which ends
// the reader of the pipe at once. Afterwards no process the demo started may be left: not
// Postgres, Redis, Mattermost, kimbot or kimdemo.
func TestCtrlCStopsEverything(t *testing.T) {
	root, err := devstack.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	requirePrerequisites(t)
	// The postgres user must be able to enter the state directory (scripts/demo runs Postgres as it).
	stack, err := os.MkdirTemp("", "kimdemo-ctrlc-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(stack, 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(stack)

	cmd := exec.Command(filepath.Join(root, "scripts", "demo"), "-no-shell", "-port", "0", "-kimbot-port", "0")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "KIMDEMO_STACK="+stack)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a terminal's foreground process group
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		// Whatever happened, leave nothing behind.
		for _, pid := range processesUnder(stack) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		if pid, ok := pidFrom(filepath.Join(stack, "redis", "redis.pid")); ok {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}()

	// Read the output like tee until the demo is running.
	var log lockedBuffer
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		once := sync.Once{}
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "kimbot demo is running") {
				once.Do(func() { close(ready) })
			}
		}
	}()
	select {
	case <-ready:
	case err := <-exited:
		t.Fatalf("scripts/demo ended before the demo was running (%v):\n%s", err, log.String())
	case <-time.After(8 * time.Minute):
		t.Fatalf("the demo was not running after 8 minutes:\n%s", log.String())
	}

	started := processesUnder(stack)
	redisPid, ok := pidFrom(filepath.Join(stack, "redis", "redis.pid"))
	if !ok || !alive(redisPid) {
		t.Fatalf("no Redis running from %s/redis:\n%s", stack, log.String())
	}
	var names []string
	for _, pid := range started {
		names = append(names, cmdline(pid))
	}
	for _, want := range []string{"postgres -D " + stack, "mattermost server", stack + "/bin/kimbot serve", "kimdemo -stack " + stack} {
		if !strings.Contains(strings.Join(names, "\n"), want) {
			t.Fatalf("no process %q among those of the demo:\n%s", want, strings.Join(names, "\n"))
		}
	}

	// Ctrl-C: the terminal sends SIGINT to every process of the pipeline, and tee is gone at once.
	pr.Close()
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) || exitErr.ExitCode() != 130 {
			t.Errorf("scripts/demo ended with %v, want exit status 130 after SIGINT", err)
		}
	case <-time.After(3 * time.Minute):
		t.Fatalf("scripts/demo still running 3 minutes after SIGINT:\n%s", log.String())
	}
	for _, pid := range append(started, redisPid) {
		if alive(pid) {
			t.Errorf("still running after Ctrl-C: %d %s", pid, cmdline(pid))
		}
	}
	if left := processesUnder(stack); len(left) > 0 {
		t.Errorf("processes of the demo left: %v", left)
	}
}

// requirePrerequisites skips the test when what scripts/demo needs is missing, except in CI
// (where scripts/test installs it), and fails there.
func requirePrerequisites(t *testing.T) {
	t.Helper()
	missing := func(what string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (scripts/test installs it)", what)
		}
		t.Skipf("%s is missing: run the tests with scripts/test", what)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		missing("bash")
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		missing("redis-server")
	}
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(m) == 0 {
		missing("Postgres (/usr/lib/postgresql/*/bin/initdb)")
	}
	if bin := os.Getenv("KIMBOT_TEST_MATTERMOST_BIN"); bin == "" {
		missing("the Mattermost build (KIMBOT_TEST_MATTERMOST_BIN)")
	} else if _, err := os.Stat(bin); err != nil {
		missing("the Mattermost build (" + bin + ")")
	}
}

// processesUnder returns the processes whose command line or working directory mentions dir.
func processesUnder(dir string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cwd, _ := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if strings.Contains(cmdline(pid), dir) || strings.HasPrefix(cwd, dir) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func cmdline(pid int) string {
	b, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	return strings.TrimSpace(string(bytes.ReplaceAll(b, []byte{0}, []byte{' '})))
}

// alive reports whether pid is a process that has not exited (zombies count as gone).
func alive(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses, which may contain spaces.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

func pidFrom(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	return pid, err == nil
}

// lockedBuffer is a strings.Builder safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
