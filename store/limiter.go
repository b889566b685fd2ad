package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultLimiterSync is how often a Limiter pushes its local counts to Redis
// and learns the shared ones.
const DefaultLimiterSync = 50 * time.Millisecond

// Limiter is the rate limit of Redis.Allow counted on this replica first: the
// same fixed windows and the same keys in Redis, so that all replicas (and
// replicas that still call Redis.Allow) share one count per key and window.
//
// Every event is counted and decided here, from the count last learnt from
// Redis and the local events not yet pushed, so no event waits for Redis;
// every sync interval a background loop pushes the local counts of all keys
// in one pipeline (INCRBY) and learns the new shared counts from the
// replies; a key without new local events is read (GET) only once it is at
// half the limit.
//
// With one replica the limit is exact. With several, a replica learns the
// others' events only at its next sync, so a key can get up to the events
// of one sync interval on the other replicas over the limit (a key's first
// events in a window on a replica are decided before it has learnt the
// others' count at all).
//
// While Redis is unavailable each replica goes on counting its own events
// and enforces the limit on them alone; its counts reach Redis once Redis
// answers again. The outage is logged once.
type Limiter struct {
	r      *Redis
	limit  int64
	window time.Duration
	every  time.Duration
	now    func() time.Time
	log    *slog.Logger

	mu     sync.Mutex
	counts map[string]*rateCount // by Redis key (one window each)
	down   bool                  // the last call to Redis failed

	syncMu sync.Mutex // one sync at a time

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// rateCount is a key's count in one window; the count is shared + inflight
// + pending.
type rateCount struct {
	win      int64 // window number
	shared   int64 // the count in Redis when last learnt
	inflight int64 // local events a sync is pushing
	pending  int64 // local events not yet pushed
}

func (c *rateCount) total() int64 { return c.shared + c.inflight + c.pending }

// LimiterOption configures a Limiter.
type LimiterOption func(*Limiter)

// SyncEvery sets the sync interval (DefaultLimiterSync otherwise).
func SyncEvery(d time.Duration) LimiterOption { return func(l *Limiter) { l.every = d } }

// LimiterClock sets the clock that decides the window (time.Now otherwise).
func LimiterClock(now func() time.Time) LimiterOption { return func(l *Limiter) { l.now = now } }

// NewLimiter returns a Limiter of limit events per key in each window,
// shared through r, with its sync loop running; Close stops it.
func NewLimiter(r *Redis, limit int, window time.Duration, log *slog.Logger, opts ...LimiterOption) *Limiter {
	l := &Limiter{r: r, limit: int64(limit), window: window, every: DefaultLimiterSync, now: time.Now, log: log,
		counts: map[string]*rateCount{}, stop: make(chan struct{}), done: make(chan struct{})}
	for _, o := range opts {
		o(l)
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	go l.loop()
	return l
}

// Allow counts one event for key in the current window and reports whether
// it is within the limit, without waiting for Redis; it never fails.
func (l *Limiter) Allow(ctx context.Context, key string) bool {
	win := l.now().UnixNano() / int64(l.window)
	k := l.r.rateKey(key, win)
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.counts[k]
	if !ok {
		c = &rateCount{win: win}
		l.counts[k] = c
	}
	c.pending++
	return c.total() <= l.limit
}

// Sync pushes the local counts of the current window to Redis and learns the
// shared counts of its keys, in one pipeline, and drops the counts of past
// windows. The loop calls it every sync interval.
func (l *Limiter) Sync(ctx context.Context) error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	type item struct {
		key string
		c   *rateCount
		n   int64
	}
	win := l.now().UnixNano() / int64(l.window)
	var batch []item
	l.mu.Lock()
	for k, c := range l.counts {
		switch {
		case c.win < win:
			delete(l.counts, k)
		case c.pending > 0 || 2*c.total() >= l.limit:
			// A key without new events is only read again near the limit,
			// where the other replicas' events decide; each push learns it too.
			c.inflight, c.pending = c.pending, 0
			batch = append(batch, item{k, c, c.inflight})
		}
	}
	l.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	replies := make([]interface{ Int64() (int64, error) }, len(batch))
	_, _ = l.r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, b := range batch {
			if b.n > 0 {
				replies[i] = countScript.Eval(ctx, p, []string{b.key}, l.window.Milliseconds(), b.n)
			} else {
				replies[i] = p.Get(ctx, b.key)
			}
		}
		return nil
	}) // each reply has its own error
	l.mu.Lock()
	defer l.mu.Unlock()
	var failed error
	for i, b := range batch {
		n, err := replies[i].Int64()
		switch {
		case err == nil:
			b.c.shared = n
		case errors.Is(err, redis.Nil): // expired or lost: nothing counted
			b.c.shared = 0
		default:
			// Pushed again next time (an increment that reached Redis
			// without its reply is counted twice: stricter, never looser).
			b.c.pending += b.c.inflight
			failed = err
		}
		b.c.inflight = 0
	}
	l.report(failed)
	if failed != nil {
		return fmt.Errorf("store: rate limit sync: %w", failed)
	}
	return nil
}

// report logs the start and the end of a Redis outage, once each; l.mu is
// held.
func (l *Limiter) report(err error) {
	switch {
	case err != nil && !l.down:
		l.down = true
		l.log.Warn("store: rate limit unavailable in Redis, counting on this replica only", "err", err)
	case err == nil && l.down:
		l.down = false
		l.log.Info("store: rate limit shared through Redis again")
	}
}

func (l *Limiter) loop() {
	defer close(l.done)
	t := time.NewTicker(l.every)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			_ = l.Sync(context.Background()) // logged by report; bounded by the client's timeouts
		}
	}
}

// Close stops the sync loop and pushes the counts not yet pushed. Close it
// before the Redis client.
func (l *Limiter) Close() error {
	l.closeOnce.Do(func() {
		close(l.stop)
		<-l.done
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		l.closeErr = l.Sync(ctx)
	})
	return l.closeErr
}
