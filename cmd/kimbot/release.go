//go:build !kimbottest

package main

import "log/slog"

// loadTestHooks returns no hooks: the release build reads no test hooks
// from the environment (testhooks.go has them, built with -tags kimbottest).
func loadTestHooks(*slog.Logger) (testHooks, error) { return testHooks{}, nil }
