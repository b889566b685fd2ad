package store

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestPositional(t *testing.T) {
	for i := 0; i < 2; i++ { // the second time from the cache
		sql, args, err := positional(`SELECT @b, @a, @b::text, 'x@y'`, pgx.StrictNamedArgs{"a": 1, "b": "two"})
		if err != nil || sql != `SELECT $1, $2, $1::text, 'x@y'` || fmt.Sprint(args) != "[two 1]" {
			t.Fatalf("positional: %q %v %v", sql, args, err)
		}
	}
	for _, args := range []pgx.StrictNamedArgs{{"a": 1}, {"a": 1, "b": 2, "c": 3}, {"a": 1, "c": 3}} {
		if _, _, err := positional(`SELECT @b, @a`, args); err == nil {
			t.Errorf("arguments %v accepted for @a and @b", args)
		}
	}
}
