package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kimbot-nrw/kimbot/bot"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
)

// Reminder settings from the environment (all optional):
//
//	KIMBOT_REMINDER_SCHEDULE  cron spec of serve's passes (default "* * * * *": every minute)
//	KIMBOT_REMINDER_LEASE     how long a delivery claim holds before another replica takes over (default 2m)
//	KIMBOT_REMINDER_BACKOFF   wait before the first retry of a failed delivery; doubles up to 15m (default 30s)
//
// A binary built with the tag kimbottest (as the end-to-end tests build it) also reads the test
// hooks KIMBOT_TEST_NOW and KIMBOT_TEST_CRASH (testhooks.go); the release build has none.
func durationEnv(name string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q is not a positive duration like 30s or 2m", name, v)
	}
	return d, nil
}

// testHooks are what a kimbottest build may change (testhooks.go); the
// release build has none (release.go).
type testHooks struct {
	clock kim.Clock               // the process's clock; nil: kim.SystemClock
	crash func(stage, key string) // reminders.Deliverer.Crash
}

// newClock returns the one clock of the process: kim.SystemClock, or the
// test hook's.
func newClock(h testHooks) kim.Clock { return kim.ClockOr(h.clock) }

// newReminders wires the reminder service: the store as every source and
// the delivery log, Redis, and the bot as the sender of DMs with signed
// buttons, all on the one clock.
func newReminders(a *app, log *slog.Logger, clock kim.Clock, h testHooks) (*reminders.Service, error) {
	if strings.TrimSpace(a.cfg.PublicURL) == "" {
		return nil, errors.New("missing environment: KIMBOT_PUBLIC_URL (the digests' buttons point there; see README.md)")
	}
	lease, err := durationEnv("KIMBOT_REMINDER_LEASE", 2*time.Minute)
	if err != nil {
		return nil, err
	}
	backoff, err := durationEnv("KIMBOT_REMINDER_BACKOFF", 30*time.Second)
	if err != nil {
		return nil, err
	}
	d := &reminders.Deliverer{
		Deliveries: a.store, Locks: a.redis, Log: log, Lease: lease, Backoff: backoff, Clock: clock, Crash: h.crash,
		Sender: &bot.Messenger{Client: a.bot, Keys: a.cfg.Keys, PublicURL: strings.TrimRight(a.cfg.PublicURL, "/"), Clock: clock},
	}
	return &reminders.Service{
		Sources: reminders.Sources{Due: a.store, Meetings: a.store, Retention: a.store, Items: a.store,
			Exports: &bot.Exports{Client: a.bot, Store: a.store, PublicURL: strings.TrimRight(a.cfg.PublicURL, "/"), Log: log}},
		Locks: a.redis, Deliverer: d, Members: a.bot, Clock: clock, Log: log,
	}, nil
}

// startScheduler starts the reminder schedule of serve and returns its stop:
// a pass every minute (robfig/cron, Europe/Berlin), skipped while this
// replica's previous pass still runs; the Redis pass lock keeps replicas from
// doing the same pass twice, and delivery claims make every delivery happen
// once either way. It also answers the reminders' buttons.
func startScheduler(ctx context.Context, a *app, srv *bot.Server, clock kim.Clock, h testHooks, log *slog.Logger) (func(), error) {
	svc, err := newReminders(a, log, clock, h)
	if err != nil {
		return nil, err
	}
	srv.Buttons = svc
	spec := strings.TrimSpace(os.Getenv("KIMBOT_REMINDER_SCHEDULE"))
	if spec == "" {
		spec = "* * * * *"
	}
	c := cron.New(cron.WithLocation(kim.Berlin), cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	pass := func() {
		start := time.Now()
		rep, err := svc.RunScheduled(ctx)
		observePass(rep, time.Since(start), err) // cmd/kimbot/metrics.go
		switch {
		case err != nil:
			log.Error("reminder pass failed", "err", err, "report", rep.String())
		case len(rep.Counts) > 0:
			log.Info("reminder pass", "report", rep.String())
		}
	}
	if _, err := c.AddFunc(spec, pass); err != nil {
		return nil, fmt.Errorf("KIMBOT_REMINDER_SCHEDULE=%q: %w", spec, err)
	}
	c.Start()
	log.Info("reminder schedule started", "schedule", spec, "jobs", reminders.Jobs())
	return func() { <-c.Stop().Done() }, nil
}

// remind runs one reminder pass as if it were --now (default: now) and
// prints what it did; it fails when deliveries failed (a later pass retries
// them).
func remind(ctx context.Context, args []string, log *slog.Logger) error {
	now, err := remindFlags(args)
	if err != nil {
		return err
	}
	h, err := loadTestHooks(log)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, "KIMBOT_PUBLIC_URL")
	if err != nil {
		return err
	}
	defer a.close()
	svc, err := newReminders(a, log, newClock(h), h)
	if err != nil {
		return err
	}
	rep, err := svc.RunPass(ctx, now)
	fmt.Printf("kimbot remind: pass at %s: %s\n", now.Format(time.RFC3339), rep)
	if err != nil {
		return err
	}
	if n := rep.Failed(); n > 0 {
		return fmt.Errorf("%d deliveries failed; a later pass retries them", n)
	}
	return nil
}
