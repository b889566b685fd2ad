package devstack

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a running subprocess whose stdout and stderr are collected in memory.
type Process struct {
	// Name is a short label for error messages, such as "mattermost" or "kimbot serve".
	Name string

	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{}
	err  error // the result of Wait, valid after done is closed
}

// StartProcess starts cmd, collecting its combined output (and copying it to tee if not nil).
func StartProcess(name string, cmd *exec.Cmd, tee io.Writer) (*Process, error) {
	p := &Process{Name: name, cmd: cmd, out: newTailBuffer(8 << 20), done: make(chan struct{})}
	var w io.Writer = p.out
	if tee != nil {
		w = io.MultiWriter(p.out, tee)
	}
	cmd.Stdout = w
	cmd.Stderr = w
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("devstack: start %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid returns the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Output returns what the process wrote to stdout and stderr so far (the last 8 MiB).
func (p *Process) Output() string { return p.out.String() }

// Done returns a channel that is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited reports whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err returns the process's exit error (nil for exit status 0); only meaningful once it exited.
func (p *Process) Err() error {
	if !p.Exited() {
		return nil
	}
	return p.err
}

// Wait waits for the process to exit and returns its exit error (nil for exit status 0).
func (p *Process) Wait() error {
	<-p.done
	return p.err
}

// Stop sends SIGTERM and waits up to timeout for a clean exit, then kills the process.
// It returns nil only if the process exited with status 0 within the timeout.
func (p *Process) Stop(timeout time.Duration) error {
	if p.Exited() {
		return p.exitError()
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.exitError()
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("devstack: %s did not stop within %s after SIGTERM; killed", p.Name, timeout)
	}
}

// Kill kills the process with SIGKILL (as a crash would) and waits for it to go away.
func (p *Process) Kill() {
	if !p.Exited() {
		_ = p.cmd.Process.Kill()
	}
	<-p.done
}

func (p *Process) exitError() error {
	if p.err == nil {
		return nil
	}
	return fmt.Errorf("devstack: %s: %w\n%s", p.Name, p.err, Tail(p.Output(), 40))
}

// Tail returns the last n lines of s.
func Tail(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// tailBuffer is a concurrency-safe writer that keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

// Write appends p; the buffer drops what is older than the last max bytes
// only once it holds twice that, so that a chatty process (a log line per
// request under a load driver) does not cost a copy of max bytes per line.
func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 2*b.max {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-b.max:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf[max(0, len(b.buf)-b.max):])
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("devstack: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// PortFree reports whether nothing listens on 127.0.0.1:port and it can be bound.
func PortFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// environ returns os.Environ() without the variables whose names start with one of the prefixes,
// followed by the given variables, so a developer's shell cannot leak settings into a subprocess.
func environ(dropPrefixes []string, set map[string]string) []string {
	var env []string
outer:
	for _, kv := range os.Environ() {
		for _, p := range dropPrefixes {
			if strings.HasPrefix(kv, p) {
				continue outer
			}
		}
		env = append(env, kv)
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// errExited reports that a process ended while we were waiting for it to become ready.
func errExited(p *Process) error {
	err := p.Err()
	if err == nil {
		err = errors.New("exit status 0")
	}
	return fmt.Errorf("devstack: %s exited while starting (%v):\n%s", p.Name, err, Tail(p.Output(), 60))
}
