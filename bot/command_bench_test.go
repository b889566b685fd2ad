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
		u := kim.User{ID: fmt.Sprintf("u%d", i), Username: fmt.Sprintf("coach%d", i), Locale: "de"}
		mm.users[u.ID] = u
		if _, err := st.SyncUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		if err := st.SetRole(ctx, "t1", u.ID, kim.RoleCoach, "Caritas", "admin"); err != nil {
			b.Fatal(err)
		}
		c, err := st.OpenCase(ctx, kim.Actor{TeamID: "t1", UserID: u.ID, Today: today}, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
		if err != nil {
			b.Fatal(err)
		}
		refs[i] = c.Ref
		bodies[i] = url.Values{"team_id": {"t1"}, "user_id": {u.ID}, "channel_id": {"ch"}, "text": {"show " + c.Ref}, "token": {"tok"}}.Encode()
	}
	svc := &commands.Service{Store: st, Clock: time.Now, Log: quiet}
	s := &Server{Store: st, Redis: testenv.Redis(b), Commands: svc, Log: quiet,
		Profiles: NewProfiles(mm, testenv.Redis(b), quiet)}
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

// BenchmarkShowParts measures the parts of a steady-state `/kim show` on
// their own, so that the handler's figure can be split: the rate limit in
// Redis, the card's batch with its audit row, and as floors an empty round
// trip to Postgres and a commit of one audit row.
func BenchmarkShowParts(b *testing.B) {
	ctx := context.Background()
	st := testenv.Store(b)
	rd := testenv.Redis(b)
	if _, err := st.UpsertTeam(ctx, "t1", "team-one", "c1", "tok"); err != nil {
		b.Fatal(err)
	}
	today := kim.DateOf(time.Now().In(kim.Berlin))
	u := kim.User{ID: "u1", Username: "coach1", Locale: "de"}
	if _, err := st.SyncUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	if err := st.SetRole(ctx, "t1", u.ID, kim.RoleCoach, "Caritas", "admin"); err != nil {
		b.Fatal(err)
	}
	a := kim.Actor{TeamID: "t1", UserID: u.ID, Today: today}
	c, err := st.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("redis-allow", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n++
			if _, err := rd.Allow(ctx, fmt.Sprintf("bench:%d", n%1000), 1<<30, time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("postgres-select-1", func(b *testing.B) {
		for b.Loop() {
			var one int
			if err := st.Pool().QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("postgres-audit-commit", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Pool().Exec(ctx, `INSERT INTO audit_log (team_id, actor_id, action) VALUES ('t1', 'u1', 'bench')`); err != nil {
				b.Fatal(err)
			}
		}
	})
	batch := func(audit bool) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				q := &pgx.Batch{}
				for range 11 {
					q.Queue("SELECT 1")
				}
				if audit {
					q.Queue(`INSERT INTO audit_log (team_id, actor_id, action) VALUES ('t1', 'u1', 'bench')`)
				}
				if err := st.Pool().SendBatch(ctx, q).Close(); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("batch-11-selects", batch(false))
	b.Run("batch-11-selects-and-audit", batch(true))
	b.Run("card-without-audit", func(b *testing.B) { // a dry run reads the card and writes nothing
		dry := st.DryRun()
		for b.Loop() {
			ca := a
			ca.Caller = &kim.Caller{Profile: u}
			if _, err := dry.Card(ctx, ca, c.Ref); err != nil {
				b.Fatal(err)
			}
		}
	})
	card := func() {
		ca := a
		ca.Caller = &kim.Caller{Profile: u}
		if _, err := st.Card(ctx, ca, c.Ref); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("card", func(b *testing.B) {
		for b.Loop() {
			card()
		}
	})
	// The same after 30 ms with nothing to do, as commands come in through
	// Mattermost one at a time: the sleep is not timed, the waking up is.
	afterIdle := func(fn func()) func(b *testing.B) {
		return func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				time.Sleep(30 * time.Millisecond)
				b.StartTimer()
				fn()
			}
		}
	}
	b.Run("redis-allow-after-idle", afterIdle(func() {
		if _, err := rd.Allow(ctx, "bench:idle", 1<<30, time.Minute); err != nil {
			b.Fatal(err)
		}
	}))
	b.Run("postgres-select-1-after-idle", afterIdle(func() {
		var one int
		if err := st.Pool().QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
			b.Fatal(err)
		}
	}))
	b.Run("postgres-audit-commit-after-idle", afterIdle(func() {
		if _, err := st.Pool().Exec(ctx, `INSERT INTO audit_log (team_id, actor_id, action) VALUES ('t1', 'u1', 'bench')`); err != nil {
			b.Fatal(err)
		}
	}))
	b.Run("card-after-idle", afterIdle(card))
}
