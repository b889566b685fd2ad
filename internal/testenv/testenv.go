// Package testenv gives tests a real, freshly migrated Postgres database and
// a real Redis, from KIMBOT_TEST_DATABASE_URL and KIMBOT_TEST_REDIS_URL that
// scripts/test sets (it starts throwaway servers when none are given).
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

// Env reads a required test variable and fails the test without it.
func Env(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run the tests with scripts/test, which starts throwaway Postgres and Redis servers", name)
	}
	return v
}

// NewDatabase creates a fresh database on the test server, dropped when the
// test ends, and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := Env(t, "KIMBOT_TEST_DATABASE_URL")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("testenv: connect to %s: %v", admin, err)
	}
	defer conn.Close(ctx)
	name := "kimbot_test_" + RandomHex(6)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("testenv: create database: %v", err)
	}
	// Cleanups run last-registered first: the store using the database is
	// closed before it is dropped.
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Store returns a store on a fresh, migrated database, with a fresh key and
// the options of store.Open.
func Store(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	s := OpenStore(t, NewDatabase(t), secret.NewKey(), "", opts...)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// OpenStore opens a store on the database at url that seals with the master
// key current and opens values of the old keys too (secret.ParseKeys), with
// the options of store.Open; it is closed when the test ends.
func OpenStore(t testing.TB, url, current, old string, opts ...store.Option) *store.Store {
	t.Helper()
	keys, err := secret.ParseKeys(current, old)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), url, keys, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Redis returns a client of the test Redis whose keys have a fresh prefix.
func Redis(t testing.TB) *store.Redis {
	t.Helper()
	r, err := store.OpenRedis(Env(t, "KIMBOT_TEST_REDIS_URL"), "kimbot-test:"+RandomHex(4)+":")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.Ping(context.Background()); err != nil {
		t.Fatalf("testenv: Redis: %v", err)
	}
	return r
}

// RandomHex returns 2n random hex characters.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
