// Package store keeps kimbot's data: Postgres (through pgx) is the source of
// truth, Redis holds locks, rate limits and idempotency keys. Every case query
// is scoped by team and by owner or deputy in its WHERE clause, and personal
// data is sealed before it reaches the database.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/secret"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is kimbot's Postgres storage.
type Store struct {
	pool *pgxpool.Pool
	keys *secret.Keys
	// dry: transactions are rolled back after they succeed (DryRun).
	dry bool
}

// DryRun returns the store as one whose transactions are rolled back once
// they succeed: a write run on it checks and refuses exactly as it would,
// returns what it would have written, and changes nothing — the preview of
// an irreversible step before the user confirms it. Audit rows are rolled
// back with the rest (a preview shows no case content).
func (s *Store) DryRun() *Store {
	d := *s
	d.dry = true
	return &d
}

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("store: dry run")

// Option adjusts the pool configuration of Open.
type Option func(*pgxpool.Config)

// MaxConns sets the size of the pool (n > 0; otherwise the default stays).
func MaxConns(n int) Option {
	return func(c *pgxpool.Config) {
		if n > 0 {
			c.MaxConns = int32(n)
		}
	}
}

// DefaultMaxConns is the pool size when neither KIMBOT_DATABASE_MAX_CONNS
// nor pool_max_conns in the URL says otherwise: four connections per CPU
// kimbot may use (GOMAXPROCS), at least 4 and at most 32, so that a few
// replicas stay well within Postgres's default max_connections of 100.
func DefaultMaxConns() int { return min(max(4, 4*runtime.GOMAXPROCS(0)), 32) }

// pingAfter is how long a pooled connection may have been idle before it
// is pinged when a command takes it. pgxpool's own default, a second, made
// most commands of a team that types a command every few seconds take two
// round trips instead of one. A connection the server has hung up on
// meanwhile (Postgres restarted, or a standby was promoted and the old
// primary stopped) is found sooner, by a peek at its socket (hangUp): it
// is pinged, fails, and the pool takes another, so the command does not
// fail. Only a server that vanished without a word (its host gone) is
// found by the command's own statement.
const pingAfter = 30 * time.Second

func shouldPing(_ context.Context, p pgxpool.ShouldPingParams) bool {
	return p.IdleDuration > pingAfter || hangUp(p.Conn.PgConn().Conn())
}

// Open connects to Postgres and returns a Store that seals with keys. The
// pool has DefaultMaxConns connections unless the URL sets pool_max_conns
// or an option says otherwise.
func Open(ctx context.Context, url string, keys *secret.Keys, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: invalid database URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = int32(DefaultMaxConns())
	}
	cfg.ShouldPing = shouldPing
	for _, o := range opts {
		o(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: unable to connect: %w", err)
	}
	return &Store{pool: pool, keys: keys}, nil
}

// Close closes the pool.
func (s *Store) Close() { s.pool.Close() }

// Ping checks the database connection.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Pool returns the underlying pool (for benchmarks and tests).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Keys returns the sealing keys.
func (s *Store) Keys() *secret.Keys { return s.keys }

// Migrate applies all embedded migrations; concurrent callers wait on a
// Postgres advisory lock, so several replicas may start at once.
func (s *Store) Migrate(ctx context.Context) (applied []string, err error) {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
		goose.WithSessionLocker(locker), goose.WithLogger(goose.NopLogger()))
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range res {
		applied = append(applied, r.Source.Path)
	}
	return applied, nil
}

// querier is what a pool and a transaction share.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	if !s.dry {
		return pgx.BeginFunc(ctx, s.pool, fn)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errDryRun
	})
	if err == errDryRun {
		return nil
	}
	return err
}

// isUnique reports whether err is a unique violation of the named constraint
// (any when name is empty).
func isUnique(err error, name string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && (name == "" || pe.ConstraintName == name)
}

// notFound maps pgx.ErrNoRows to kim.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return kim.ErrNotFound
	}
	return err
}

// dateArg converts a *kim.Date to a value pgx stores as date (nil stays NULL).
func dateArg(d *kim.Date) any {
	if d == nil {
		return nil
	}
	return d.UTC()
}

// dateOf converts a scanned nullable date.
func dateOf(t *pgtypeDate) *kim.Date {
	if t == nil || !t.Valid {
		return nil
	}
	d := kim.DateOf(t.Time)
	return &d
}
