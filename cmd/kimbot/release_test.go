//go:build !kimbottest

package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The release build ignores the test hooks, whatever the environment says.
func TestReleaseIgnoresTestHooks(t *testing.T) {
	t.Setenv("KIMBOT_TEST_NOW", "2030-01-02T08:00:00+01:00")
	t.Setenv("KIMBOT_TEST_CRASH", "posted")
	h, err := loadTestHooks(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil || h.clock != nil || h.crash != nil || newClock(h) == nil {
		t.Fatalf("the release build read test hooks: %+v %v", h, err)
	}
}

// The release binary does not even contain the hooks: built without the tag
// it knows neither variable and starts as if they were unset; built with
// -tags kimbottest (as the end-to-end tests build it) it has both.
func TestReleaseBinaryHasNoTestHooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kimbot twice")
	}
	dir := t.TempDir()
	build := func(name string, args ...string) string {
		bin := filepath.Join(dir, name)
		cmd := exec.Command("go", append(append([]string{"build"}, args...), "-o", bin, ".")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", args, err, out)
		}
		return bin
	}
	// serve reads the hooks before anything else: an invalid KIMBOT_TEST_NOW
	// stops a test build at once and is ignored by the release build, which
	// goes on to complain about the missing configuration.
	serve := func(bin string) string {
		cmd := exec.Command(bin, "serve")
		cmd.Env = []string{"KIMBOT_TEST_NOW=not-a-time", "KIMBOT_TEST_CRASH=posted", "HOME=" + os.Getenv("HOME")}
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("%s serve without configuration succeeded:\n%s", bin, out)
		}
		return string(out)
	}
	for _, c := range []struct {
		name  string
		args  []string
		hooks bool
	}{{"kimbot", nil, false}, {"kimbot-test", []string{"-tags", "kimbottest"}, true}} {
		bin := build(c.name, c.args...)
		data, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"KIMBOT_TEST_NOW", "KIMBOT_TEST_CRASH"} {
			if bytes.Contains(data, []byte(v)) != c.hooks {
				t.Errorf("%s: contains %s: %v, want %v", c.name, v, !c.hooks, c.hooks)
			}
		}
		out := serve(bin)
		if strings.Contains(out, "KIMBOT_TEST_NOW") != c.hooks || strings.Contains(out, "KIMBOT_PUBLIC_URL") == c.hooks {
			t.Errorf("%s serve with KIMBOT_TEST_NOW=not-a-time:\n%s", c.name, out)
		}
	}
}
