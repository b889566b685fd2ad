package store

import (
	"context"
	"fmt"
)

// Forget removes an idempotency key recorded by Once, so that an action that
// failed before changing anything may be tried again.
func (r *Redis) Forget(ctx context.Context, key string) error {
	if err := r.c.Del(ctx, r.prefix+"once:"+key).Err(); err != nil {
		return fmt.Errorf("store: forget idempotency key: %w", err)
	}
	return nil
}
