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
