// Package proctree counts the CPU time of a benchmark's own processes: this
// process and its children (a Mattermost or kimbot it started), and the
// Postgres and Redis servers of bench/run, each with its children; other
// processes on the machine do not count.
package proctree

import (
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Tree is the set of root processes whose trees count.
type Tree struct{ roots map[int]bool }

// Find returns the tree of this process and of the Postgres and Redis
// servers listening on the ports of the URLs (found by their command lines).
func Find(pgURL, redisURL string) *Tree {
	t := &Tree{roots: map[int]bool{os.Getpid(): true}}
	port := func(u string) string {
		if x, err := url.Parse(u); err == nil {
			return x.Port()
		}
		return "?"
	}
	pg, rd := "-p "+port(pgURL)+" ", "127.0.0.1:"+port(redisURL)
	for pid, p := range Snapshot() {
		switch {
		case p.Comm == "postgres" && strings.Contains(p.cmdline, pg), p.Comm == "redis-server" && strings.Contains(p.cmdline, rd):
			t.roots[pid] = true
		}
	}
	return t
}

// Since returns the CPU seconds that the tree's processes used since
// before, by command name (a process that started since counts in full).
func (t *Tree) Since(before map[int]Proc) map[string]float64 {
	cpu := map[string]float64{}
	after := Snapshot()
	for pid, p := range after {
		if t.ours(after, pid) {
			cpu[p.Comm] += p.CPU - before[pid].CPU
		}
	}
	return cpu
}

// ours reports whether pid descends from one of the roots.
func (t *Tree) ours(all map[int]Proc, pid int) bool {
	for range 64 {
		if t.roots[pid] {
			return true
		}
		p, ok := all[pid]
		if !ok || p.ppid <= 1 {
			return false
		}
		pid = p.ppid
	}
	return false
}

// Proc is a process as /proc/<pid>/stat has it.
type Proc struct {
	Comm    string
	CPU     float64 // seconds of user and system time
	cmdline string
	ppid    int
}

// Snapshot returns every process by pid.
func Snapshot() map[int]Proc {
	out := map[int]Proc{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		open, end := strings.IndexByte(string(b), '('), strings.LastIndexByte(string(b), ')')
		if open < 0 || end < open {
			continue
		}
		f := strings.Fields(string(b)[end+1:])
		if len(f) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		u, _ := strconv.ParseFloat(f[11], 64)
		sy, _ := strconv.ParseFloat(f[12], 64)
		cmd, _ := os.ReadFile("/proc/" + d.Name() + "/cmdline")
		out[pid] = Proc{Comm: string(b)[open+1 : end], cmdline: strings.ReplaceAll(string(cmd), "\x00", " ") + " ", ppid: ppid,
			CPU: (u + sy) / 100} // USER_HZ
	}
	return out
}

// Self is this process's command name as /proc shows it (at most 15 bytes).
func Self() string {
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}
