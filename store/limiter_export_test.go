package store

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// RateCount returns the count of key in Redis in the window (of length
// window) that holds t; 0 when there is none.
func (r *Redis) RateCount(ctx context.Context, key string, window time.Duration, t time.Time) (int64, error) {
	n, err := r.c.Get(ctx, r.rateKey(key, t.UnixNano()/int64(window))).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}

// Windows returns how many key and window counts l holds.
func (l *Limiter) Windows() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.counts)
}
