//go:build kimbottest

package main

// Test hooks, only in a binary built with -tags kimbottest (the end-to-end
// tests build it so, devstack.BuildKimbotTest); never in a release build:
//
//	KIMBOT_TEST_NOW    the process's clock starts at this RFC 3339 time and runs on from there (the
//	                   scheduled reminder passes, commands, buttons; leases stay on the database's clock)
//	KIMBOT_TEST_CRASH  "claimed" or "posted": the process kills itself (SIGKILL) at that stage of its
//	                   first delivery, e.g. after posting a digest and before recording it

import (
	"fmt"
	"log/slog"
	"os"
	"time"
)

// loadTestHooks reads the test hooks from the environment.
func loadTestHooks(log *slog.Logger) (testHooks, error) {
	var h testHooks
	if v := os.Getenv("KIMBOT_TEST_NOW"); v != "" {
		t0, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return h, fmt.Errorf("KIMBOT_TEST_NOW=%q is not an RFC 3339 time", v)
		}
		h.clock = shiftedClock{t0: t0, started: time.Now()}
		log.Warn("test hook: clock shifted", "now", t0)
	}
	if stage := os.Getenv("KIMBOT_TEST_CRASH"); stage != "" {
		h.crash = func(at, key string) {
			if at == stage {
				log.Warn("test hook: crashing", "stage", at, "key", key)
				if p, err := os.FindProcess(os.Getpid()); err == nil {
					_ = p.Kill()
				}
				select {} // wait for the signal
			}
		}
	}
	return h, nil
}

// shiftedClock runs on from t0 since started. The database keeps its own
// clock (NowOrNil is nil), so replicas with shifted clocks still agree on
// leases.
type shiftedClock struct{ t0, started time.Time }

func (c shiftedClock) Now() time.Time       { return c.t0.Add(time.Since(c.started)) }
func (c shiftedClock) NowOrNil() *time.Time { return nil }
