package testenv

import (
	"context"
	"net"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kimbot-nrw/kimbot/store"
)

// RoundTrips counts the round trips of a store's connections to Postgres:
// each time a connection starts writing after it has read (or for the first
// time) is one round trip. Pass Option to Store (it also makes the pool one
// connection; the store's own rule of when to ping a connection stays).
type RoundTrips struct{ n atomic.Int64 }

// Option is the store option that counts through r.
func (r *RoundTrips) Option() store.Option {
	return func(c *pgxpool.Config) {
		c.MaxConns, c.MinConns = 1, 0
		dial := c.ConnConfig.DialFunc
		c.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countingConn{Conn: conn, trips: &r.n}, nil
		}
	}
}

// Count returns the round trips so far.
func (r *RoundTrips) Count() int { return int(r.n.Load()) }

// During returns the round trips fn makes.
func (r *RoundTrips) During(fn func()) int {
	before := r.Count()
	fn()
	return r.Count() - before
}

type countingConn struct {
	net.Conn
	trips   *atomic.Int64
	mu      sync.Mutex
	writing bool
}

func (c *countingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	if !c.writing {
		c.writing = true
		c.trips.Add(1)
	}
	c.mu.Unlock()
	return c.Conn.Write(b)
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.mu.Lock()
	c.writing = false
	c.mu.Unlock()
	return n, err
}

// NetConn returns the connection being counted (the store peeks at its
// socket).
func (c *countingConn) NetConn() net.Conn { return c.Conn }
