package store_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/store"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// never keeps a limiter's own loop from syncing during a test: the tests
// call Sync themselves.
var never = store.SyncEvery(time.Hour)

// limiter is a Limiter of limit a minute on r at the clock's time, closed at
// the end of the test.
func limiter(t *testing.T, r *store.Redis, limit int, clock *testenv.Clock, opts ...store.LimiterOption) *store.Limiter {
	t.Helper()
	l := store.NewLimiter(r, limit, time.Minute, quiet, append([]store.LimiterOption{never, store.LimiterClock(clock.Now)}, opts...)...)
	t.Cleanup(func() { l.Close() })
	return l
}

// allowN runs n events and returns how many were allowed.
func allowN(l *store.Limiter, key string, n int) int {
	allowed := 0
	for range n {
		if l.Allow(context.Background(), key) {
			allowed++
		}
	}
	return allowed
}

func rateCount(t *testing.T, r *store.Redis, key string, at time.Time) int64 {
	t.Helper()
	n, err := r.RateCount(context.Background(), key, time.Minute, at)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var limiterStart = time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC)

// One replica: exactly the limit is allowed in a window; no event waits for
// Redis, the counts reach it with a sync.
func TestLimiterOneReplica(t *testing.T) {
	r := testenv.Redis(t)
	clock := testenv.NewClock(limiterStart)
	l := limiter(t, r, 5, clock)
	if !l.Allow(context.Background(), "u1") {
		t.Fatal("first event refused")
	}
	if got := allowN(l, "u1", 5); got != 4 {
		t.Fatalf("%d of the events 2 to 6 allowed, want 4 (limit 5)", got)
	}
	if n := rateCount(t, r, "u1", clock.Now()); n != 0 {
		t.Fatalf("Redis counts %d before a sync, want 0: events went to Redis one by one", n)
	}
	if err := l.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := rateCount(t, r, "u1", clock.Now()); n != 6 {
		t.Fatalf("Redis counts %d after a sync, want 6 (refused events count, as with Redis.Allow)", n)
	}
	if l.Allow(context.Background(), "u1") {
		t.Fatal("an event over the limit allowed after a sync")
	}
	if !l.Allow(context.Background(), "u2") {
		t.Fatal("another key refused")
	}
}

// Two replicas share one count per key and window: B learns A's events with
// their syncs and refuses once A and B together reach the limit.
func TestLimiterTwoReplicas(t *testing.T) {
	r := testenv.Redis(t)
	clock := testenv.NewClock(limiterStart)
	a, b := limiter(t, r, 10, clock), limiter(t, r, 10, clock)
	ctx := context.Background()
	if got := allowN(a, "u1", 5); got != 5 { // A 5
		t.Fatalf("A: %d of 5 allowed", got)
	}
	if !b.Allow(ctx, "u1") { // B 1: B knows nothing of A yet
		t.Fatal("B: first event refused")
	}
	if err := a.Sync(ctx); err != nil { // Redis 5
		t.Fatal(err)
	}
	if !b.Allow(ctx, "u1") { // B 2: B learns only with its own sync
		t.Fatal("B: second event refused")
	}
	if err := b.Sync(ctx); err != nil { // Redis 7, B learns 7
		t.Fatal(err)
	}
	if got := allowN(b, "u1", 6); got != 3 {
		t.Fatalf("B: %d of 6 allowed, want 3 (A 5 + B 2 + 3 = the limit 10)", got)
	}
	if err := b.Sync(ctx); err != nil { // Redis 13
		t.Fatal(err)
	}
	if err := a.Sync(ctx); err != nil { // A at half the limit reads the shared count
		t.Fatal(err)
	}
	if a.Allow(ctx, "u1") {
		t.Fatal("A allowed an event after B's sync showed the limit reached")
	}
	if n := rateCount(t, r, "u1", clock.Now()); n != 13 {
		t.Fatalf("Redis counts %d, want 13 (A 5 + B 8)", n)
	}
}

// The local counts reach Redis when the limiter closes, in the keys of
// Redis.Allow: a replica that still calls Redis.Allow counts on from them.
func TestLimiterCloseFlushesForRedisAllow(t *testing.T) {
	r := testenv.Redis(t)
	const day = 24 * time.Hour // one window for the whole test
	l := store.NewLimiter(r, 5, day, quiet, never)
	if got := allowN(l, "u1", 4); got != 4 {
		t.Fatalf("%d of 4 allowed", got)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil { // closing again does nothing
		t.Fatal(err)
	}
	n, err := r.RateCount(context.Background(), "u1", day, time.Now())
	if err != nil || n != 4 {
		t.Fatalf("Redis counts %d (%v) after Close, want 4", n, err)
	}
	if ok, err := r.Allow(context.Background(), "u1", 5, day); err != nil || !ok {
		t.Fatalf("Redis.Allow: the 5th event allowed=%v err=%v, want allowed", ok, err)
	}
	if ok, err := r.Allow(context.Background(), "u1", 5, day); err != nil || ok {
		t.Fatalf("Redis.Allow: the 6th event allowed=%v err=%v, want refused", ok, err)
	}
}

// A new window counts afresh, and a sync drops the counts of past windows.
func TestLimiterDropsPastWindows(t *testing.T) {
	r := testenv.Redis(t)
	clock := testenv.NewClock(limiterStart)
	l := limiter(t, r, 2, clock)
	if got := allowN(l, "u1", 3) + allowN(l, "u2", 1); got != 3 {
		t.Fatalf("%d allowed, want 3", got)
	}
	clock.Advance(time.Minute)
	if !l.Allow(context.Background(), "u1") {
		t.Fatal("refused in the next window")
	}
	if n := l.Windows(); n != 3 {
		t.Fatalf("%d counts before the sync, want 3", n)
	}
	if err := l.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := l.Windows(); n != 1 {
		t.Fatalf("%d counts after the sync, want 1 (the current window's)", n)
	}
}

// Concurrent events and syncs lose no event and allow exactly the limit.
func TestLimiterConcurrent(t *testing.T) {
	r := testenv.Redis(t)
	clock := testenv.NewClock(limiterStart)
	l := limiter(t, r, 50, clock, store.SyncEvery(time.Millisecond))
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				if l.Allow(context.Background(), "u1") {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if n := allowed.Load(); n != 50 {
		t.Fatalf("%d of 200 allowed, want 50", n)
	}
	if n := rateCount(t, r, "u1", clock.Now()); n != 200 {
		t.Fatalf("Redis counts %d, want 200", n)
	}
}

// With Redis down the limiter enforces the limit on its own events, answers
// at once and logs the outage once, not for every event or sync.
func TestLimiterRedisDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r, err := store.OpenRedis("redis://"+addr+"/0", "down:")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var log bytes.Buffer
	var logMu sync.Mutex
	l := store.NewLimiter(r, 3, time.Minute, slog.New(slog.NewTextHandler(&lockedWriter{w: &log, mu: &logMu}, nil)),
		never, store.LimiterClock(testenv.NewClock(limiterStart).Now))
	defer l.Close()
	done := make(chan int)
	go func() {
		got := allowN(l, "u1", 5)
		l.Sync(context.Background())
		got += allowN(l, "u1", 1)
		l.Sync(context.Background())
		done <- got
	}()
	select {
	case got := <-done:
		if got != 3 {
			t.Fatalf("%d of 6 allowed with Redis down, want 3 (the local limit)", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Allow hangs with Redis down")
	}
	logMu.Lock()
	defer logMu.Unlock()
	if n := strings.Count(log.String(), "rate limit unavailable"); n != 1 {
		t.Fatalf("the outage logged %d times, want once:\n%s", n, log.String())
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}
