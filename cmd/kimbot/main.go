// Command kimbot runs the KIM case-management bot for Mattermost:
//
//	kimbot serve              HTTP endpoint for Mattermost and the reminder schedule
//	kimbot migrate            apply the database schema
//	kimbot provision          create the bot and register /kim in KIMBOT_TEAMS
//	kimbot remind --now TIME  run one reminder pass as if it were TIME (RFC 3339)
//	kimbot rekey [--check]    re-seal stored secrets with a new KIMBOT_ENCRYPTION_KEY
//	kimbot version            print version, commit and Go version
//	kimbot healthcheck [PATH] exit 0 when this host's serve answers PATH (default /readyz) with 200
//
// Configuration comes from the environment (see README.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kimbot-nrw/kimbot"
	"github.com/kimbot-nrw/kimbot/bot"
	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/reminders"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()}))
	slog.SetDefault(log)
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kimbot serve|migrate|provision|remind --now <RFC3339>|rekey [--check]|version")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1], os.Args[2:], log); err != nil {
		log.Error("kimbot "+os.Args[1]+" failed", "err", err)
		fmt.Fprintln(os.Stderr, "kimbot:", err)
		os.Exit(1)
	}
}

func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("KIMBOT_LOG_LEVEL"))); err != nil {
		return slog.LevelInfo
	}
	return l
}

// config is the environment of SPEC §6.
type config struct {
	MattermostURL, AdminToken, DatabaseURL, RedisURL, ListenAddr, PublicURL string
	Teams                                                                   []string
	Keys                                                                    *secret.Keys
	// MaxConns is KIMBOT_DATABASE_MAX_CONNS (0: pool_max_conns of the URL,
	// else store.DefaultMaxConns).
	MaxConns int
	// MaxInFlight is KIMBOT_MAX_INFLIGHT (0: bot.DefaultMaxInFlight).
	MaxInFlight int
}

// loadConfig reads the environment; need names the variables the command requires.
func loadConfig(need ...string) (config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(os.Getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := config{
		MattermostURL: get("KIMBOT_MATTERMOST_URL", ""),
		AdminToken:    get("KIMBOT_ADMIN_TOKEN", ""),
		DatabaseURL:   get("KIMBOT_DATABASE_URL", ""),
		RedisURL:      get("KIMBOT_REDIS_URL", "redis://127.0.0.1:6379/0"),
		ListenAddr:    get("KIMBOT_LISTEN_ADDR", "127.0.0.1:8080"),
		PublicURL:     get("KIMBOT_PUBLIC_URL", ""),
	}
	for _, t := range strings.Split(os.Getenv("KIMBOT_TEAMS"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.Teams = append(c.Teams, t)
		}
	}
	var missing []string
	for _, n := range need {
		if strings.TrimSpace(os.Getenv(n)) == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("missing environment: %s (see README.md)", strings.Join(missing, ", "))
	}
	if v := get("KIMBOT_DATABASE_MAX_CONNS", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return c, fmt.Errorf("KIMBOT_DATABASE_MAX_CONNS=%q is not a number of connections from 1 to 1000", v)
		}
		c.MaxConns = n
	}
	if v := get("KIMBOT_MAX_INFLIGHT", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			return c, fmt.Errorf("KIMBOT_MAX_INFLIGHT=%q is not a number of commands from 1 to 100000", v)
		}
		c.MaxInFlight = n
	}
	keys, err := secret.ParseKeys(os.Getenv("KIMBOT_ENCRYPTION_KEY"), os.Getenv("KIMBOT_OLD_ENCRYPTION_KEY"))
	if err != nil {
		return c, err
	}
	c.Keys = keys
	return c, nil
}

func run(ctx context.Context, cmd string, args []string, log *slog.Logger) error {
	switch cmd {
	case "version", "--version", "-v":
		return printVersion(os.Stdout)
	case "migrate":
		cfg, err := loadConfig("KIMBOT_DATABASE_URL", "KIMBOT_ENCRYPTION_KEY")
		if err != nil {
			return err
		}
		s, err := store.Open(ctx, cfg.DatabaseURL, cfg.Keys, store.MaxConns(cfg.MaxConns))
		if err != nil {
			return err
		}
		defer s.Close()
		applied, err := s.Migrate(ctx)
		if err != nil {
			return err
		}
		log.Info("migrated", "applied", applied)
		return nil
	case "provision":
		return provision(ctx, log)
	case "serve":
		return serve(ctx, log)
	case "remind":
		return remind(ctx, args, log)
	case "healthcheck":
		return healthcheck(ctx, args) // cmd/kimbot/healthcheck.go
	case "rekey":
		return rekey(ctx, args, os.Stdout, log) // cmd/kimbot/rekey.go
	}
	return fmt.Errorf("unknown command %q: use serve, migrate, provision, remind, rekey, healthcheck or version", cmd)
}

func provision(ctx context.Context, log *slog.Logger) error {
	cfg, err := loadConfig("KIMBOT_MATTERMOST_URL", "KIMBOT_ADMIN_TOKEN", "KIMBOT_TEAMS", "KIMBOT_DATABASE_URL", "KIMBOT_PUBLIC_URL", "KIMBOT_ENCRYPTION_KEY")
	if err != nil {
		return err
	}
	m, err := kimbot.LoadManifest()
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, cfg.DatabaseURL, cfg.Keys, store.MaxConns(cfg.MaxConns))
	if err != nil {
		return err
	}
	defer s.Close()
	changes, err := bot.NewProvisioner(cfg.MattermostURL, cfg.AdminToken, cfg.PublicURL, s, log).Run(ctx, m, cfg.Teams)
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		fmt.Println("kimbot provision: nothing to change")
	}
	for _, c := range changes {
		fmt.Println("kimbot provision:", c)
	}
	return nil
}

// app is what serve and remind share.
type app struct {
	cfg   config
	store *store.Store
	redis *store.Redis
	bot   *bot.Client
}

// openApp opens the store, Redis and the bot of the configuration; the
// environment must name need besides what every command needs.
func openApp(ctx context.Context, need ...string) (*app, error) {
	cfg, err := loadConfig(append([]string{"KIMBOT_MATTERMOST_URL", "KIMBOT_DATABASE_URL", "KIMBOT_ENCRYPTION_KEY"}, need...)...)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, cfg.DatabaseURL, cfg.Keys, store.MaxConns(cfg.MaxConns))
	if err != nil {
		return nil, err
	}
	r, err := store.OpenRedis(cfg.RedisURL, "kimbot:")
	if err != nil {
		s.Close()
		return nil, err
	}
	b, err := bot.LoadBot(ctx, s, cfg.MattermostURL)
	if err != nil {
		s.Close()
		r.Close()
		return nil, err
	}
	return &app{cfg: cfg, store: s, redis: r, bot: b}, nil
}

func (a *app) close() { a.store.Close(); a.redis.Close() }

func serve(ctx context.Context, log *slog.Logger) error {
	h, err := loadTestHooks(log)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, "KIMBOT_PUBLIC_URL")
	if err != nil {
		return err
	}
	defer a.close()
	stopPprof, err := startPprof(strings.TrimSpace(os.Getenv("KIMBOT_PPROF_ADDR")), log)
	if err != nil {
		return err
	}
	defer stopPprof()
	clock := newClock(h) // the one clock of commands, buttons, dialogs and reminders
	exports := &bot.Exports{Client: a.bot, Store: a.store, PublicURL: strings.TrimRight(a.cfg.PublicURL, "/"), Log: log}
	svc := &commands.Service{Store: a.store, Dir: a.bot, Clock: clock.Now, Log: log,
		Channels: a.bot, Files: a.bot, Notify: a.bot, Exports: exports, AgendaPostTime: reminders.AgendaPostTime}
	rateLimit := bot.NewRateLimit(a.redis, log)
	defer rateLimit.Close() // after the HTTP server's shutdown, before a.close closes Redis
	srv := &bot.Server{Store: a.store, Redis: a.redis, RateLimit: rateLimit, Bot: a.bot, Commands: svc,
		PublicURL: strings.TrimRight(a.cfg.PublicURL, "/"), Clock: clock, Log: log, Profiles: bot.NewProfiles(a.bot, a.redis, log),
		MaxInFlight: a.cfg.MaxInFlight}
	go srv.KeepTokens(ctx)
	stopScheduler, err := startScheduler(ctx, a, srv, clock, h, log)
	if err != nil {
		return err
	}
	defer stopScheduler()
	hs := &http.Server{Addr: a.cfg.ListenAddr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 40 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("serving", "addr", a.cfg.ListenAddr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

// remindFlags parses `remind --now <RFC3339>`.
func remindFlags(args []string) (time.Time, error) {
	fs := flag.NewFlagSet("remind", flag.ContinueOnError)
	now := fs.String("now", "", "run the pass as if it were this time (RFC 3339)")
	if err := fs.Parse(args); err != nil {
		return time.Time{}, err
	}
	if *now == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		return t, fmt.Errorf("--now %q is not an RFC 3339 time like 2026-11-24T08:00:00+01:00", *now)
	}
	return t, nil
}
