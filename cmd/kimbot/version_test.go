package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot"
)

// A release build stamps version and commit with -ldflags -X (the names the
// image script uses); `kimbot version` prints them with the Go version.
func TestVersionStamped(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "kimbot")
	ld := "-X github.com/kimbot-nrw/kimbot.Version=9.8.7 -X github.com/kimbot-nrw/kimbot.Commit=0123456789abcdef"
	if out, err := exec.Command("go", "build", "-ldflags", ld, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	want := "kimbot 9.8.7\ncommit: 0123456789abcdef\ngo: " + runtime.Version() + "\n"
	if err != nil || string(out) != want {
		t.Fatalf("kimbot version = %q, %v; want %q", out, err, want)
	}
}

// Unstamped, the version is the manifest's.
func TestVersionUnstamped(t *testing.T) {
	var b strings.Builder
	if err := printVersion(&b); err != nil {
		t.Fatal(err)
	}
	m, _ := kimbot.LoadManifest()
	lines := strings.Split(b.String(), "\n")
	if len(lines) != 4 || lines[0] != "kimbot "+m.Version || !strings.HasPrefix(lines[1], "commit: ") || lines[2] != "go: "+runtime.Version() {
		t.Fatalf("kimbot version = %q", b.String())
	}
}
