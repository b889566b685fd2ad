package bot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// BenchmarkCommandShow is one `/kim show` through kimbot's HTTP handler in
// the steady state (profile cached, statements prepared): Redis, one batch to
// Postgres with its commit, and kimbot's own Go. Run it with -cpuprofile to
// see where kimbot's time goes.
func BenchmarkCommandShow(b *testing.B) {
	ctx := context.Background()
	st := testenv.Store(b)
	if _, err := st.UpsertTeam(ctx, "t1", "team-one", "c1", "tok"); err != nil {
		b.Fatal(err)
	}
	// Many coaches, so that the rate limit (60 a minute each) never answers.
	const coaches = 200
	mm := &mattermostUsers{users: map[string]kim.User{}}
	today := kim.DateOf(time.Now().In(kim.Berlin))
	bodies := make([]string, coaches)
	refs := make([]string, coaches)
	for i := range coaches {
		a, c := seedCoach(b, st, i, today)
		u := a.Caller.Profile
		mm.users[u.ID] = u
		refs[i] = c.Ref
		bodies[i] = url.Values{"team_id": {"t1"}, "user_id": {u.ID}, "channel_id": {"ch"}, "text": {"show " + c.Ref}, "token": {"tok"}}.Encode()
	}
	svc := &commands.Service{Store: st, Clock: time.Now, Log: quiet}
	r := testenv.Redis(b)
	s := &Server{Store: st, Redis: r, RateLimit: rateLimit(b, r), Commands: svc, Log: quiet,
		Profiles: NewProfiles(mm, r, quiet)}
	h := s.Handler()
	show := func(i int) {
		req := httptest.NewRequest(http.MethodPost, CommandPath, strings.NewReader(bodies[i]))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Token tok")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), refs[i]+" · ") {
			b.Fatalf("show: %d %s", rec.Code, rec.Body)
		}
	}
	for i := range coaches {
		show(i)
	}
	n := 0
	for b.Loop() {
		show(n % coaches)
		n++
	}
}

// seedCoach makes coach number i of team t1 (a kimbot user with the coach
// role) with one open case, and returns the coach as an actor with a
// pending caller, and the case.
func seedCoach(b *testing.B, st *store.Store, i int, today kim.Date) (kim.Actor, kim.Case) {
	ctx := context.Background()
	u := kim.User{ID: fmt.Sprintf("u%d", i), Username: fmt.Sprintf("coach%d", i), Locale: "de"}
	if _, err := st.SyncUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	if err := st.SetRole(ctx, "t1", u.ID, kim.RoleCoach, "Caritas", "admin"); err != nil {
		b.Fatal(err)
	}
	a := kim.Actor{TeamID: "t1", UserID: u.ID, Today: today, Caller: &kim.Caller{Profile: u}}
	c, err := st.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		b.Fatal(err)
	}
	return a, c
}

// BenchmarkShowParts measures the parts of a steady-state `/kim show` on
// their own, so that the handler's figure can be split: the rate limit in
// Redis (Redis.Allow, what every command paid before store.Limiter) and as
// the Limiter counts it, the card's batch with and without its audit row, and as floors an
// empty round trip to Postgres, a batch of empty statements and a commit of
// one audit row, durable and (only here, for comparison) without waiting for
// the flush of the write-ahead log. Each part runs back to back and, as "…-after-idle", after
// 30 ms with nothing to do, as commands come in through Mattermost one at
// a time: the sleep is not timed, the waking up is.
func BenchmarkShowParts(b *testing.B) {
	ctx := context.Background()
	st := testenv.Store(b)
	rd := testenv.Redis(b)
	if _, err := st.UpsertTeam(ctx, "t1", "team-one", "c1", "tok"); err != nil {
		b.Fatal(err)
	}
	coach, c := seedCoach(b, st, 1, kim.DateOf(time.Now().In(kim.Berlin)))
	check := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	const auditRow = `INSERT INTO audit_log (team_id, actor_id, action) VALUES ('t1', 'u1', 'bench')`
	batch := func(audit bool) func() {
		return func() {
			q := &pgx.Batch{}
			for range 11 {
				q.Queue("SELECT 1")
			}
			if audit {
				q.Queue(auditRow)
			}
			check(st.Pool().SendBatch(ctx, q).Close())
		}
	}
	card := func(st *store.Store) func() {
		return func() {
			a := coach
			a.Caller = &kim.Caller{Profile: coach.Caller.Profile}
			_, err := st.Card(ctx, a, c.Ref)
			check(err)
		}
	}
	lim := store.NewLimiter(rd, 1<<30, time.Hour, quiet)
	defer lim.Close()
	n := 0
	parts := []struct {
		name string
		run  func()
		idle bool // also measured after idle
	}{
		{"redis-allow", func() {
			n++
			_, err := rd.Allow(ctx, fmt.Sprintf("bench:%d", n%1000), 1<<30, time.Minute)
			check(err)
		}, true},
		{"limiter-allow", func() { lim.Allow(ctx, "bench") }, true}, // counted locally
		{"postgres-select-1", func() {
			var one int
			check(st.Pool().QueryRow(ctx, "SELECT 1").Scan(&one))
		}, true},
		{"postgres-audit-commit", func() {
			_, err := st.Pool().Exec(ctx, auditRow)
			check(err)
		}, true},
		{"postgres-audit-no-flush-wait", func() { // the same row committed with synchronous_commit off
			q := &pgx.Batch{}
			q.Queue(`SELECT set_config('synchronous_commit', 'off', true)`)
			q.Queue(auditRow)
			check(st.Pool().SendBatch(ctx, q).Close())
		}, true},
		{"batch-11-selects", batch(false), true},
		{"batch-11-selects-and-audit", batch(true), false},
		{"card-without-audit", card(st.DryRun()), true}, // a dry run reads the card and writes nothing
		{"card", card(st), true},
	}
	for _, p := range parts {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				p.run()
			}
		})
	}
	for _, p := range parts {
		if !p.idle {
			continue
		}
		b.Run(p.name+"-after-idle", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				time.Sleep(30 * time.Millisecond)
				b.StartTimer()
				p.run()
			}
		})
	}
}
