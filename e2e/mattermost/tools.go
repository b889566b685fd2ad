//go:build tools

// Package mattermost pins the Mattermost server that the end-to-end tests and
// the local stack build from the Go module proxy.
package mattermost

import _ "github.com/mattermost/mattermost/server/v8/cmd/mattermost"
