package bot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// rateLimit is the rate limit of a test's Server, closed at its end.
func rateLimit(t testing.TB, r *store.Redis) *store.Limiter {
	t.Helper()
	l := NewRateLimit(r, quiet)
	t.Cleanup(func() { l.Close() })
	return l
}

// annaAndBen is team t1 (token tok) in a test store, a Mattermost with the
// users anna (u1) and ben (u2), and the command service on that store.
func annaAndBen(t *testing.T) (*store.Store, *mattermostUsers, *commands.Service) {
	t.Helper()
	st := testenv.Store(t)
	if _, err := st.UpsertTeam(context.Background(), "t1", "team-one", "c1", "tok"); err != nil {
		t.Fatal(err)
	}
	mm := &mattermostUsers{users: map[string]kim.User{
		"u1": {ID: "u1", Username: "anna", Locale: "de"}, "u2": {ID: "u2", Username: "ben", Locale: "de"}}}
	return st, mm, &commands.Service{Store: st, Clock: time.Now, Log: quiet}
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// /readyz follows Postgres; without Redis kimbot is ready but says it runs degraded.
func TestReadyFollowsPostgresNotRedis(t *testing.T) {
	st := testenv.Store(t)
	s := &Server{Store: st, Redis: testenv.Redis(t)}
	if code, body := get(t, s.Handler(), "/readyz"); code != 200 || body != "ready\n" {
		t.Fatalf("all up: %d %q", code, body)
	}

	down, err := store.OpenRedis("redis://"+closedPort(t)+"/0", "x:")
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	s = &Server{Store: st, Redis: down}
	if code, body := get(t, s.Handler(), "/readyz"); code != 200 || !strings.Contains(body, "degraded: redis") {
		t.Fatalf("Redis down: %d %q, want 200 and the degradation named", code, body)
	}

	st.Close()
	if code, body := get(t, s.Handler(), "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "postgres") {
		t.Fatalf("Postgres closed: %d %q, want 503 naming postgres", code, body)
	}
}

// A slash request too large to read gets kimbot's own answer as a command
// response (Mattermost shows any other status only as a generic error); a
// request without a team's token is refused before its body is read.
func TestCommandTooLarge(t *testing.T) {
	st := testenv.Store(t)
	if _, err := st.UpsertTeam(context.Background(), "team-big", "big", "cmd-big", "tok-big"); err != nil {
		t.Fatal(err)
	}
	s := &Server{Store: st, Redis: testenv.Redis(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := s.Handler()
	body := "team_id=team-big&text=" + strings.Repeat("%C3%A4", maxCommandBody/6+1) + "&token=tok-big&user_id=u1"
	post := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, CommandPath, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Token "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := post("tok-big")
	var resp model.CommandResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("too large: %d %q, want 200 with a command response", rec.Code, rec.Body.String())
	}
	if !strings.Contains(resp.Text, "Der Befehl ist zu lang für kimbot") || resp.ResponseType != model.CommandResponseTypeEphemeral {
		t.Fatalf("too large: %+v", resp)
	}
	if rec := post("tok-other"); rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "zu lang") {
		t.Fatalf("foreign token: %d %q, want 401", rec.Code, rec.Body.String())
	}
}

// A command token regenerated in Mattermost and saved by provision is taken
// by a replica that cached the old one once its cache is older than
// TokenMaxAge; from then on the old token is refused.
func TestRegeneratedCommandToken(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	if _, err := st.UpsertTeam(ctx, "t1", "team", "c1", "old-token"); err != nil {
		t.Fatal(err)
	}
	s := &Server{Store: st, Redis: testenv.Redis(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if !s.validToken(ctx, "t1", "old-token") {
		t.Fatal("the provisioned token is refused")
	}
	if _, err := st.UpsertTeam(ctx, "t1", "team", "c1", "new-token"); err != nil { // kimbot provision after "regenerate"
		t.Fatal(err)
	}
	if !s.validToken(ctx, "t1", "old-token") {
		t.Error("within TokenMaxAge the cached token still works")
	}
	s.mu.Lock()
	s.reloadedAt = s.reloadedAt.Add(-TokenMaxAge) // the cache has aged
	s.mu.Unlock()
	if s.validToken(ctx, "t1", "old-token") {
		t.Error("the old token still works after the cache aged")
	}
	if !s.validToken(ctx, "t1", "new-token") {
		t.Error("the new token is refused after the reload")
	}
}

// serve reads the command tokens again in the background (KeepTokens): a
// new token is taken without a command waiting for the read, and the tokens
// do not age while the database answers.
func TestTokensKeptInTheBackground(t *testing.T) {
	st := testenv.Store(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := st.UpsertTeam(ctx, "t1", "team", "c1", "old-token"); err != nil {
		t.Fatal(err)
	}
	s := &Server{Store: st, Redis: testenv.Redis(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), TokenRefresh: 20 * time.Millisecond}
	if !s.validToken(ctx, "t1", "old-token") {
		t.Fatal("the provisioned token is refused")
	}
	go s.KeepTokens(ctx)
	if _, err := st.UpsertTeam(ctx, "t1", "team", "c1", "new-token"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		s.mu.RLock()
		got, age := s.tokens["t1"], time.Since(s.reloadedAt)
		s.mu.RUnlock()
		if got == "new-token" && age < time.Second {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s the kept token is %q, read %s ago", got, age)
		}
	}
}

// A replica that could never read the command tokens, because the database
// is down, answers a slash command with a command response naming the
// database (Mattermost shows any other status only as a generic error);
// once it has read them, an unknown token is refused as before.
func TestCommandDatabaseDownBeforeTokens(t *testing.T) {
	st := testenv.Store(t)
	if _, err := st.UpsertTeam(context.Background(), "team-db", "db", "cmd-db", "tok-db"); err != nil {
		t.Fatal(err)
	}
	post := func(s *Server, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, CommandPath, strings.NewReader("team_id=team-db&text=hilfe&user_id=u1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Token "+token)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	warm := &Server{Store: st, Redis: testenv.Redis(t), Log: log}
	if rec := post(warm, "tok-other"); rec.Code != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d, want 401", rec.Code)
	}
	st.Close()
	if rec := post(warm, "tok-other"); rec.Code != http.StatusUnauthorized {
		t.Fatalf("unknown token, database down after the tokens were read: %d, want 401", rec.Code)
	}
	cold := &Server{Store: st, Redis: testenv.Redis(t), Log: log}
	rec := post(cold, "tok-db")
	var resp model.CommandResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); rec.Code != http.StatusOK || err != nil ||
		!strings.Contains(resp.Text, "Die Datenbank von kimbot antwortet gerade nicht") {
		t.Fatalf("database down before any token was read: %d %q", rec.Code, rec.Body.String())
	}
}

// While MaxInFlight commands are executing, a further command waits at most
// BusyWait for a place and is then answered at once that kimbot is busy
// (nothing ran); once a place is free, commands run again.
func TestCommandBusyWhenAllPlacesTaken(t *testing.T) {
	st, mm, svc := annaAndBen(t)
	r := testenv.Redis(t)
	s := &Server{Store: st, Redis: r, RateLimit: rateLimit(t, r), Commands: svc, Log: quiet, MaxInFlight: 1,
		Profiles: NewProfiles(mm, nil, quiet)}
	h := s.Handler()
	command := func(user string) string {
		body := url.Values{"team_id": {"t1"}, "user_id": {user}, "channel_id": {"ch"}, "text": {"hilfe"}, "token": {"tok"}}.Encode()
		req := httptest.NewRequest(http.MethodPost, CommandPath, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Token tok")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var resp model.CommandResponse
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &resp) != nil {
			t.Errorf("%s: HTTP %d %s", user, rec.Code, rec.Body)
		}
		return resp.Text
	}
	mm.gate = make(chan struct{}) // anna's command waits for her profile from Mattermost
	first := make(chan string)
	go func() { first <- command("u1") }()
	waitFor(t, func() bool { return mm.count() == 1 })
	start := time.Now()
	busy := command("u2")
	if !strings.Contains(busy, "ausgelastet") || !strings.Contains(busy, "busy") {
		t.Fatalf("a command while the only place is taken: %q, want the busy answer", busy)
	}
	if d := time.Since(start); d < BusyWait || d > BusyWait+2*time.Second {
		t.Fatalf("the busy answer came after %s, want after about %s", d, BusyWait)
	}
	if n := mm.count(); n != 1 {
		t.Fatalf("the refused command asked Mattermost (%d requests)", n)
	}
	close(mm.gate)
	if text := <-first; !strings.Contains(text, "/kim") {
		t.Fatalf("the command that held the place: %q", text)
	}
	if text := command("u2"); strings.Contains(text, "ausgelastet") || !strings.Contains(text, "/kim") {
		t.Fatalf("a command once the place is free: %q", text)
	}
}

// TestCommandPhasesTimed: kimbot_command_phase_seconds takes each phase of
// a slash command once, and a slow phase shows where it is — here the
// caller's profile, which Mattermost answers only after 80 ms.
func TestCommandPhasesTimed(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	if _, err := st.UpsertTeam(ctx, "t1", "team-one", "c1", "tok"); err != nil {
		t.Fatal(err)
	}
	mm := &mattermostUsers{users: map[string]kim.User{"u1": {ID: "u1", Username: "anna", Locale: "de"}}}
	svc := &commands.Service{Store: st, Clock: time.Now, Log: quiet}
	r := testenv.Redis(t)
	s := &Server{Store: st, Redis: r, RateLimit: rateLimit(t, r), Commands: svc, Log: quiet, Profiles: NewProfiles(mm, nil, quiet)}
	phases := CommandPhases
	read := func() map[string][2]float64 { // phase → count, sum
		out := map[string][2]float64{}
		families, err := prometheus.DefaultGatherer.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			if f.GetName() != "kimbot_command_phase_seconds" {
				continue
			}
			for _, m := range f.GetMetric() {
				h := m.GetHistogram()
				out[m.GetLabel()[0].GetValue()] = [2]float64{float64(h.GetSampleCount()), h.GetSampleSum()}
			}
		}
		return out
	}
	before := read()
	mm.gate = make(chan struct{})
	time.AfterFunc(80*time.Millisecond, func() { close(mm.gate) })
	body := url.Values{"team_id": {"t1"}, "user_id": {"u1"}, "channel_id": {"ch"}, "text": {"hilfe"}, "token": {"tok"}}.Encode()
	req := httptest.NewRequest(http.MethodPost, CommandPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Token tok")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "/kim") {
		t.Fatalf("hilfe: HTTP %d %s", rec.Code, rec.Body)
	}
	after := read()
	for _, p := range phases {
		n, sum := after[p][0]-before[p][0], after[p][1]-before[p][1]
		if n != 1 {
			t.Errorf("phase %s observed %v times, want once", p, n)
		}
		if p == "caller" && sum < 0.07 {
			t.Errorf("the caller phase took %.3f s; the profile alone took about 80 ms", sum)
		}
		if p != "caller" && sum >= 0.07 {
			t.Errorf("phase %s took %.3f s: the profile's 80 ms counted there", p, sum)
		}
	}
}

// A user's commands over the rate limit are refused with the catalogue's
// text, also while Redis is down (the replica counts on its own), and
// another user's are not.
func TestCommandRateLimit(t *testing.T) {
	ctx := context.Background()
	st, mm, svc := annaAndBen(t)
	at := time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC) // one window for the whole test
	for _, redis := range []struct {
		name string
		r    *store.Redis
	}{{"with Redis", testenv.Redis(t)}, {"Redis down", downRedis(t)}} {
		limit := store.NewLimiter(redis.r, 3, time.Minute, quiet, store.LimiterClock(func() time.Time { return at }))
		t.Cleanup(func() { limit.Close() })
		s := &Server{Store: st, Redis: redis.r, RateLimit: limit, Commands: svc, Log: quiet, Profiles: NewProfiles(mm, nil, quiet)}
		for i := 1; i <= 4; i++ {
			rep := s.run(ctx, nil, "u1", commands.Request{TeamID: "t1", Text: "hilfe"})
			if limited := rep.Outcome == kim.ERATELIMITED; limited != (i == 4) {
				t.Fatalf("%s: command %d: %+v", redis.name, i, rep)
			}
			if i == 4 && !strings.Contains(rep.Text, "Zu viele Befehle") {
				t.Errorf("%s: refusal %q", redis.name, rep.Text)
			}
		}
		if rep := s.run(ctx, nil, "u2", commands.Request{TeamID: "t1", Text: "hilfe"}); rep.Outcome == kim.ERATELIMITED {
			t.Errorf("%s: another user refused", redis.name)
		}
		limit.Close()
	}
}
