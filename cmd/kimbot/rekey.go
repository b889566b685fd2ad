package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/kimbot-nrw/kimbot/store"
)

// rekey runs `kimbot rekey [--check] [--batch N]`: with the new key in
// KIMBOT_ENCRYPTION_KEY and the one it replaces in KIMBOT_OLD_ENCRYPTION_KEY
// it re-seals every sealed column with the new key, in small transactions
// (safe while `serve` runs with the same two keys; start it again if it is
// interrupted). --check changes nothing and fails while any value is not
// sealed with KIMBOT_ENCRYPTION_KEY: run it with the new key alone before
// the old key is dropped.
func rekey(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("rekey", flag.ContinueOnError)
	check := fs.Bool("check", false, "count the values per key and change nothing")
	batch := fs.Int("batch", 500, "rows per transaction")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig("KIMBOT_DATABASE_URL", "KIMBOT_ENCRYPTION_KEY")
	if err != nil {
		return err
	}
	if !*check && !cfg.Keys.Rotating() {
		return errors.New("rekey needs the key being replaced in KIMBOT_OLD_ENCRYPTION_KEY and the new one in KIMBOT_ENCRYPTION_KEY (see README.md, Key rotation)")
	}
	s, err := store.Open(ctx, cfg.DatabaseURL, cfg.Keys)
	if err != nil {
		return err
	}
	defer s.Close()
	counts, err := s.Rekey(ctx, store.RekeyOptions{Batch: *batch, Check: *check, Progress: func(n store.SealedCount) {
		log.Debug("rekey progress", "column", n.Column.Table+"."+n.Column.Column, "current", n.Current, "resealed", n.Resealed, "unreadable", n.Unreadable)
	}})
	old, unreadable := 0, 0
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	moved := "re-sealed"
	if *check {
		moved = "old key"
	}
	fmt.Fprintf(w, "column\tcurrent key\t%s\tunreadable\n", moved)
	for _, n := range counts {
		fmt.Fprintf(w, "%s.%s\t%d\t%d\t%d\n", n.Column.Table, n.Column.Column, n.Current, n.Resealed, n.Unreadable)
		old += n.Resealed
		unreadable += n.Unreadable
	}
	w.Flush()
	log.Info("rekey", "check", *check, "old", old, "unreadable", unreadable, "ok", err == nil)
	switch {
	case err != nil:
		return err
	case unreadable > 0:
		return fmt.Errorf("%d values open with none of the configured keys: sealed with a key that is not given (with --check and the new key alone: values still under the old key, so run kimbot rekey with KIMBOT_OLD_ENCRYPTION_KEY set)", unreadable)
	case *check && old > 0:
		return fmt.Errorf("%d values are still sealed with an old key: run kimbot rekey with both keys", old)
	}
	return nil
}
