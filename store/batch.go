package store

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kimbot-nrw/kimbot/kim"
)

// A command that writes takes two round trips on one connection: the first
// batch begins the transaction, resolves a pending caller (kim.Caller) and
// locks and reads what the write needs; Go decides (a rule of package kim);
// the second batch sends the writes together with the commit.

// scanErr keeps the first error of a batch's row callbacks; the callbacks
// themselves return nil, because an error returned to the batch would drop
// the connection's prepared statements of the whole batch.
type scanErr struct{ err error }

func (e *scanErr) keep(err error) error {
	if e.err == nil {
		e.err = err
	}
	return nil
}

// twoTrips runs a write of actor a as described above: read queues the
// reads of the first batch (after the begin and the caller); decide runs
// once they are in and queues the writes into the second batch, or returns
// an error, which rolls the transaction back. A caller's Check that fails
// rolls back too.
func (s *Store) twoTrips(ctx context.Context, a kim.Actor, read func(*pgx.Batch, *scanErr), decide func(*pgx.Batch) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	b := &pgx.Batch{}
	b.Queue("begin")
	who := queueCaller(b, a)
	scan := &scanErr{}
	read(b, scan)
	err = conn.SendBatch(ctx, b).Close()
	if err == nil {
		err = who.done()
	}
	if err == nil {
		err = scan.err
	}
	w := &pgx.Batch{}
	if err == nil {
		err = decide(w)
	}
	if err == nil && s.dry { // a dry run writes, then rolls back (Store.DryRun)
		if err = conn.SendBatch(ctx, w).Close(); err == nil {
			rollback(ctx, conn)
			return nil
		}
	} else if err == nil {
		w.Queue("commit")
		if err = conn.SendBatch(ctx, w).Close(); err == nil {
			return nil
		}
	}
	rollback(ctx, conn)
	if who != nil && a.Caller.Resolved && a.Caller.Changed {
		// The users row was brought up to date in the transaction just
		// rolled back: write it on its own.
		if _, e := s.pool.Exec(ctx, callerQuery, callerArgs(a.TeamID, a.Caller.Profile)); e != nil {
			slog.Warn("store: unable to save user after a rollback", "err", e)
		}
	}
	return err
}

// rollback ends the transaction of conn if one is still open; a
// connection whose rollback fails is closed (the pool then drops it).
func rollback(ctx context.Context, conn *pgxpool.Conn) {
	if conn.Conn().PgConn().TxStatus() == 'I' {
		return
	}
	if _, err := conn.Exec(ctx, "rollback"); err != nil {
		conn.Conn().Close(context.Background())
	}
}
