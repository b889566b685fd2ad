package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/kimbot-nrw/kimbot/bot"
)

// startScheduler starts the reminder schedule of serve and returns its stop.
func startScheduler(ctx context.Context, a *app, srv *bot.Server, log *slog.Logger) (func(), error) {
	return func() {}, nil
}

// remind runs one reminder pass.
func remind(ctx context.Context, args []string, log *slog.Logger) error {
	if _, err := remindFlags(args); err != nil {
		return err
	}
	return errors.New("reminders are not built yet")
}
