package store_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// xmin returns the transaction ids that last wrote (xmin) and locked (xmax)
// the users row of id.
func xmin(t *testing.T, s *store.Store, id string) string {
	t.Helper()
	var x string
	if err := s.Pool().QueryRow(context.Background(), `SELECT xmin::text || '/' || xmax::text FROM users WHERE id = $1`, id).Scan(&x); err != nil {
		t.Fatal(err)
	}
	return x
}

// Resolving a caller writes the users row only when Mattermost's profile
// differs from it, and returns kimbot's settings and the role either way.
func TestCallerWritesUsersRowOnlyWhenChanged(t *testing.T) {
	s, _ := setup(t)
	ctx := context.Background()
	if err := s.SetLanguage(ctx, "u1", "en"); err != nil {
		t.Fatal(err)
	}
	profile := kim.User{ID: "u1", Username: "anna", Locale: "de", TimeZone: "Europe/Berlin"}
	resolve := func(p kim.User) *kim.Caller {
		t.Helper()
		c := &kim.Caller{Profile: p}
		if err := s.ResolveCaller(ctx, "t1", c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	first := resolve(profile) // the row had no locale and time zone yet
	if !first.Changed || first.User.Lang != "en" || first.User.DigestTime != "08:00" || first.Member.Role != kim.RoleCoach ||
		first.Member.Organisation != "Caritas" || first.User.TimeZone != "Europe/Berlin" {
		t.Fatalf("first resolution = %+v", first)
	}
	before := xmin(t, s, "u1")
	for i := 0; i < 3; i++ {
		if c := resolve(profile); c.Changed || c.User.Lang != "en" || c.Member.Role != kim.RoleCoach {
			t.Fatalf("unchanged profile: %+v", c)
		}
	}
	if after := xmin(t, s, "u1"); after != before {
		t.Fatalf("an unchanged profile wrote or locked the users row (xmin/xmax %s → %s)", before, after)
	}
	admin := profile
	admin.SysAdmin, admin.Locale = true, "en"
	if c := resolve(admin); !c.Changed || !c.User.SysAdmin || c.User.Locale != "en" {
		t.Fatalf("changed profile: %+v", c)
	}
	if xmin(t, s, "u1") == before {
		t.Fatal("a changed profile did not write the users row")
	}
	if u, err := s.User(ctx, "u1"); err != nil || !u.SysAdmin || u.Locale != "en" || u.Lang != "en" {
		t.Fatalf("stored user = %+v, %v", u, err)
	}
	// A new user gets the defaults and no role.
	if c := resolve(kim.User{ID: "u9", Username: "neu"}); !c.Changed || c.User.DigestTime != "08:00" || c.Member.Role != kim.RoleNone {
		t.Fatalf("new user: %+v", c)
	}
}

// A command reads the case card (with its audit row), lists cases, or logs a
// contact in the round trips the issue allows: one for a read (the card's
// audit row goes beside it), one plus the commit for a write — with the
// caller resolved and checked in the first.
func TestOneRoundTripPerCommand(t *testing.T) {
	var trips testenv.RoundTrips
	s, a := setup(t, trips.Option())
	ctx := context.Background()
	today := a.Today
	c, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddGoal(ctx, a, c.Ref, kim.Goal{Field: "work", Text: "Praktikum"}); err != nil {
		t.Fatal(err)
	}
	profile := kim.User{ID: "u1", Username: "anna", Locale: "de"}
	caller := func() kim.Actor {
		a := a
		a.Caller = &kim.Caller{Profile: profile, Check: func(u kim.User, m kim.Member) error {
			if m.Role != kim.RoleCoach {
				return errors.New("not a coach")
			}
			return nil
		}}
		return a
	}
	contact := kim.Contact{Kind: "phone", Minutes: 10, On: today, Note: "Anruf"}
	ops := []struct {
		name string
		max  int
		run  func(kim.Actor) error
	}{
		// show: the reads, and beside them the audit row (TestCardAuditsBesideItsReads;
		// this pool of one connection takes the two in turn).
		{"show", 2, func(a kim.Actor) error { _, err := s.Card(ctx, a, c.Ref); return err }},
		{"cases", 1, func(a kim.Actor) error { _, err := s.Cases(ctx, a, store.FilterOpen, 0, 50); return err }},
		{"contact", 2, func(a kim.Actor) error { _, _, err := s.AddContact(ctx, a, c.Ref, contact); return err }},
	}
	for _, op := range ops {
		if err := op.run(caller()); err != nil { // prepares the statements on the connection
			t.Fatalf("%s: %v", op.name, err)
		}
		for _, with := range []bool{true, false} {
			a := a
			if with {
				a = caller()
			}
			var err error
			n := trips.During(func() { err = op.run(a) })
			t.Logf("%s (pending caller %v): %d round trips", op.name, with, n)
			if err != nil || n > op.max {
				t.Errorf("%s (pending caller %v): %d round trips, want at most %d (err %v)", op.name, with, n, op.max, err)
			}
			if with && !a.Caller.Resolved {
				t.Errorf("%s: caller not resolved", op.name)
			}
		}
	}
}

// A caller whose check fails gets its error and nothing of the command is
// written (no audit row, no contact); the users row is brought up to date
// all the same. For reads the store relies on caseAccess, which agrees with
// kimbot's role check (a coach of the team): a coordinator's refused reads
// leave no audit row. A write rolls back whatever the check refused.
func TestCallerCheckRefusesBeforeWriting(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncUser(ctx, kim.User{ID: "u2", Username: "kora"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, "t1", "u2", kim.RoleCoordinator, "", "admin"); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	actor := func(id, name string) kim.Actor {
		a := kim.Actor{TeamID: "t1", UserID: id, Today: a.Today}
		a.Caller = &kim.Caller{Profile: kim.User{ID: id, Username: name, Locale: "en"},
			Check: func(_ kim.User, m kim.Member) error {
				if m.Role != kim.RoleCoach || name == "anna-neu" {
					return refused
				}
				return nil
			}}
		return a
	}
	count := func(sql string) (n int) {
		t.Helper()
		if err := s.Pool().QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	audits := count(`SELECT count(*) FROM audit_log`)
	if _, err := s.Card(ctx, actor("u2", "kora"), c.Ref); !errors.Is(err, refused) {
		t.Fatalf("card: err = %v", err)
	}
	if _, err := s.Cases(ctx, actor("u2", "kora"), store.FilterAll, 0, 10); !errors.Is(err, refused) {
		t.Fatalf("cases: err = %v", err)
	}
	for _, who := range [][2]string{{"u2", "kora"}, {"u1", "anna-neu"}} {
		if _, _, err := s.AddContact(ctx, actor(who[0], who[1]), c.Ref, kim.Contact{Kind: "phone", On: a.Today}); !errors.Is(err, refused) {
			t.Fatalf("contact as %s: err = %v", who[1], err)
		}
	}
	if n := count(`SELECT count(*) FROM contacts`); n != 0 {
		t.Errorf("%d contacts written", n)
	}
	if n := count(`SELECT count(*) FROM audit_log`); n != audits {
		t.Errorf("refused commands wrote %d audit rows", n-audits)
	}
	for id, name := range map[string]string{"u1": "anna-neu", "u2": "kora"} {
		if u, err := s.User(ctx, id); err != nil || u.Username != name || u.Locale != "en" {
			t.Errorf("users row after refusals = %+v, %v", u, err)
		}
	}
}

// A command after a pause of a few seconds — the usual gap between a
// team's commands — takes its one round trip too: the pool does not ping a
// connection idle for less than half a minute first (pgxpool's own rule
// pings after a second).
func TestOneRoundTripAfterAPause(t *testing.T) {
	if testing.Short() {
		t.Skip("waits")
	}
	var trips testenv.RoundTrips
	s, a := setup(t, trips.Option())
	ctx := context.Background()
	list := func() error { _, err := s.Cases(ctx, a, store.FilterOpen, 0, 50); return err }
	if err := list(); err != nil { // prepares the statements
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	var err error
	if n := trips.During(func() { err = list() }); err != nil || n != 1 {
		t.Errorf("after 1.5 s idle: %d round trips, want 1 (err %v)", n, err)
	}
}

// When Postgres restarts (or a standby is promoted and the old primary
// stops), every pooled connection is told "terminating connection" and
// closed. The next commands take fresh connections instead of failing on
// the dead ones, and a healthy idle connection is still used without a
// ping (TestOneRoundTripAfterAPause).
func TestCommandsAfterPostgresRestart(t *testing.T) {
	s, a := setup(t, func(c *pgxpool.Config) { c.MaxConns, c.MinConns = 3, 0 })
	ctx := context.Background()
	c, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "refugee", Domain: "AsylbLG"})
	if err != nil {
		t.Fatal(err)
	}
	var held []*pgxpool.Conn // every connection of the pool open and idle
	for range 3 {
		conn, err := s.Pool().Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, conn)
	}
	var db string
	if err := held[0].QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil {
		t.Fatal(err)
	}
	for _, conn := range held {
		conn.Release()
	}
	admin, err := pgx.Connect(ctx, testenv.Env(t, "KIMBOT_TEST_DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var killed int
	if err := admin.QueryRow(ctx, `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()`, db).Scan(&killed); err != nil || killed != 3 {
		t.Fatalf("terminated %d backends, want 3 (err %v)", killed, err)
	}
	time.Sleep(100 * time.Millisecond) // the FATAL message and the end of the stream arrive
	for i := range 3 {
		if _, err := s.Cases(ctx, a, store.FilterOpen, 0, 50); err != nil {
			t.Errorf("list %d after the restart: %v", i+1, err)
		}
		if _, err := s.Card(ctx, a, c.Ref); err != nil {
			t.Errorf("card %d after the restart: %v", i+1, err)
		}
		if _, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "CD", Group: "eu", Domain: "none"}); err != nil {
			t.Errorf("open %d after the restart: %v", i+1, err)
		}
	}
}

// slowConn sends what it writes at once and returns only after a pause, as
// a loaded machine may: the server's answer then arrives while pgconn still
// waits for its write, pgconn's background reader reads it, and that reader
// stays blocked in a read of the idle socket after the command.
type slowConn struct{ net.Conn }

func (c slowConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	time.Sleep(30 * time.Millisecond)
	return n, err
}

func (c slowConn) NetConn() net.Conn { return c.Conn }

// A connection whose last write was slow is taken again without waiting:
// the peek at its socket takes no read lock, which that background read
// still holds.
func TestConnectionAfterASlowWrite(t *testing.T) {
	s, err := store.Open(context.Background(), testenv.NewDatabase(t), nil, func(c *pgxpool.Config) {
		c.MaxConns, c.MinConns = 1, 0
		dial := c.ConnConfig.DialFunc
		c.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dial(ctx, network, addr)
			return slowConn{conn}, err
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // a hung connection would keep Close waiting
		closed := make(chan struct{})
		go func() { s.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(5 * time.Second):
		}
	})
	ctx := context.Background()
	for i := range 3 { // each command's own write is slow; the next one takes the connection after it
		done := make(chan error, 1)
		go func() {
			var n int
			done <- s.Pool().QueryRow(ctx, `SELECT 1`).Scan(&n)
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("command %d: taking the connection after a slow write hangs", i+1)
		}
	}
}
