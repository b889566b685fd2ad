package kimbot

import (
	"runtime"
	"runtime/debug"
)

// Version and Commit are stamped into a release binary by the linker:
//
//	go build -ldflags "-X github.com/kimbot-nrw/kimbot.Version=1.2.0 -X github.com/kimbot-nrw/kimbot.Commit=$(git rev-parse HEAD)" ./cmd/kimbot
//
// Unstamped, the version is the manifest's and the commit the one Go records
// from the checkout it built (vcs.revision), if any.
var (
	Version string
	Commit  string
)

// Build describes the running binary.
type Build struct {
	Version string // release version (ldflags, else manifest.json)
	Commit  string // source revision (ldflags, else vcs.revision; "unknown" without either)
	Go      string // Go toolchain that built it
}

// BuildInfo returns the version, commit and Go version of the running binary.
func BuildInfo() Build {
	info, _ := debug.ReadBuildInfo()
	m, _ := LoadManifest()
	return buildOf(Version, Commit, m.Version, info)
}

// buildOf resolves the build description from the linker-stamped values, the
// manifest's version and Go's build information (nil when unavailable).
func buildOf(version, commit, manifestVersion string, info *debug.BuildInfo) Build {
	b := Build{Version: version, Commit: commit, Go: runtime.Version()}
	if b.Version == "" {
		b.Version = manifestVersion
	}
	if info != nil {
		if info.GoVersion != "" {
			b.Go = info.GoVersion
		}
		if b.Commit == "" {
			var modified bool
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					b.Commit = s.Value
				case "vcs.modified":
					modified = s.Value == "true"
				}
			}
			if b.Commit != "" && modified {
				b.Commit += "-modified"
			}
		}
	}
	if b.Version == "" {
		b.Version = "unknown"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	return b
}
