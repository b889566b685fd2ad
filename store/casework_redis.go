package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// PutShort keeps a short-lived value for ttl under key.
func (r *Redis) PutShort(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := r.c.Set(ctx, r.prefix+"short:"+key, value, ttl).Err(); err != nil {
		return fmt.Errorf("store: keep short-lived value: %w", err)
	}
	return nil
}

// GetShort returns a value kept by PutShort; nil when there is none (any more).
func (r *Redis) GetShort(ctx context.Context, key string) ([]byte, error) {
	b, err := r.c.Get(ctx, r.prefix+"short:"+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: read short-lived value: %w", err)
	}
	return b, nil
}
