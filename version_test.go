package kimbot

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// The linker-stamped values win; without them the manifest's version and
// Go's vcs.revision are used, and a build from a modified checkout says so.
func TestBuildOf(t *testing.T) {
	vcs := &debug.BuildInfo{GoVersion: "go1.26.1", Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "false"}}}
	dirty := &debug.BuildInfo{GoVersion: "go1.26.1", Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}}
	for _, tc := range []struct {
		name                 string
		version, commit, man string
		info                 *debug.BuildInfo
		want                 Build
	}{
		{"stamped", "1.2.0", "def456", "0.1.0", vcs, Build{"1.2.0", "def456", "go1.26.1"}},
		{"vcs", "", "", "0.1.0", vcs, Build{"0.1.0", "abc123", "go1.26.1"}},
		{"modified checkout", "", "", "0.1.0", dirty, Build{"0.1.0", "abc123-modified", "go1.26.1"}},
		{"nothing known", "", "", "", nil, Build{"unknown", "unknown", runtime.Version()}},
	} {
		if got := buildOf(tc.version, tc.commit, tc.man, tc.info); got != tc.want {
			t.Errorf("%s: buildOf = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if b := BuildInfo(); b.Version != mustManifest(t).Version || b.Go != runtime.Version() {
		t.Errorf("BuildInfo of the test binary = %+v", b)
	}
}

func mustManifest(t *testing.T) Manifest {
	m, err := LoadManifest()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
