package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis holds short-lived state: locks, rate limits and idempotency keys.
// Nothing in it is the only copy of anything; losing it loses no record.
type Redis struct {
	c      *redis.Client
	prefix string
}

// OpenRedis connects to Redis at a redis:// URL; keys get the prefix.
func OpenRedis(url, prefix string) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("store: invalid Redis URL: %w", err)
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 2*time.Second, 2*time.Second, 2*time.Second
	opt.DialerRetries = 1 // a Redis that is down fails at once, see failFast
	c := redis.NewClient(opt)
	c.AddHook(&failFast{})
	return &Redis{c: c, prefix: prefix}, nil
}

// redisDownFor is how long a failed dial keeps kimbot from dialing Redis
// again: meanwhile every call fails at once, so commands go on without
// Redis instead of each waiting for its own dial.
const redisDownFor = 5 * time.Second

var errRedisDown = errors.New("store: Redis is down (a dial failed less than 5 s ago)")

// failFast is the go-redis hook that implements redisDownFor.
type failFast struct{ until atomic.Int64 }

func (f *failFast) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if time.Now().UnixNano() < f.until.Load() {
			return nil, errRedisDown
		}
		conn, err := next(ctx, network, addr)
		if err != nil {
			f.until.Store(time.Now().Add(redisDownFor).UnixNano())
		}
		return conn, err
	}
}

func (f *failFast) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (f *failFast) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// Close closes the client.
func (r *Redis) Close() error { return r.c.Close() }

// Ping checks the connection.
func (r *Redis) Ping(ctx context.Context) error { return r.c.Ping(ctx).Err() }

// Lock is a held Redis lock.
type Lock struct {
	r     *Redis
	key   string
	token string
}

// TryLock takes the lock name for ttl if nobody holds it; ok is false when
// somebody else does.
func (r *Redis) TryLock(ctx context.Context, name string, ttl time.Duration) (*Lock, bool, error) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	l := &Lock{r: r, key: r.prefix + "lock:" + name, token: hex.EncodeToString(b)}
	ok, err := r.c.SetNX(ctx, l.key, l.token, ttl).Result()
	if err != nil {
		return nil, false, fmt.Errorf("store: lock %s: %w", name, err)
	}
	if !ok {
		return nil, false, nil
	}
	return l, true, nil
}

var unlockScript = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`)

// Unlock releases the lock if it is still ours.
func (l *Lock) Unlock(ctx context.Context) error {
	return unlockScript.Run(ctx, l.r.c, []string{l.key}, l.token).Err()
}

// countScript adds ARGV[2] to a rate-limit count and starts its expiry when
// it creates it (Redis.Allow and Limiter).
var countScript = redis.NewScript(`local n = redis.call("incrby", KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call("pexpire", KEYS[1], ARGV[1]) end
return n`)

// rateKey is the key of the count of key in window number win.
func (r *Redis) rateKey(key string, win int64) string {
	return fmt.Sprintf("%srate:%s:%d", r.prefix, key, win)
}

// count adds n to the count at k, which expires a window after it began,
// and returns the new count.
func (r *Redis) count(ctx context.Context, k string, window time.Duration, n int64) (int64, error) {
	c, err := countScript.Run(ctx, r.c, []string{k}, window.Milliseconds(), n).Int64()
	if err != nil {
		return 0, fmt.Errorf("store: rate limit: %w", err)
	}
	return c, nil
}

// Allow counts one event for key in a fixed window and reports whether it is
// within limit (one round trip: the count and its expiry in one script).
// Limiter counts in the same windows and keys without a round trip for most
// events.
func (r *Redis) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	n, err := r.count(ctx, r.rateKey(key, time.Now().UnixNano()/int64(window)), window, 1)
	if err != nil {
		return true, err
	}
	return n <= int64(limit), nil
}

// RateWindowEnd is when the window of Allow (of length window) that holds t
// ends: an event Allow refused at t is counted afresh from then on.
func RateWindowEnd(t time.Time, window time.Duration) time.Time {
	return time.Unix(0, (t.UnixNano()/int64(window)+1)*int64(window))
}

// Once records key for ttl and reports whether this is its first use
// (an idempotency key).
func (r *Redis) Once(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ok, err := r.c.SetNX(ctx, r.prefix+"once:"+key, 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("store: idempotency key: %w", err)
	}
	return ok, nil
}
