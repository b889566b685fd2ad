package main

import (
	"fmt"
	"io"

	"github.com/kimbot-nrw/kimbot"
)

// printVersion writes `kimbot version`: the release version, the commit and
// the Go version, one per line.
func printVersion(w io.Writer) error {
	b := kimbot.BuildInfo()
	_, err := fmt.Fprintf(w, "kimbot %s\ncommit: %s\ngo: %s\n", b.Version, b.Commit, b.Go)
	return err
}
