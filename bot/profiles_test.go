package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// mattermostUsers stands in for Mattermost's GET /users/{id}: it counts the
// requests and, while gate is set, holds them until gate is closed.
type mattermostUsers struct {
	mu    sync.Mutex
	users map[string]kim.User
	calls int
	gate  chan struct{}
}

func (m *mattermostUsers) User(ctx context.Context, id string) (kim.User, error) {
	m.mu.Lock()
	m.calls++
	u, ok := m.users[id]
	gate := m.gate
	m.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if !ok {
		return kim.User{}, kim.Errorf(kim.EUNAVAILABLE, "err.mattermost_unavailable", nil)
	}
	return u, nil
}

func (m *mattermostUsers) set(u kim.User) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.users[u.ID] = u
}

func (m *mattermostUsers) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newProfiles(mm *mattermostUsers, r *store.Redis, clock *testClock) *Profiles {
	p := NewProfiles(mm, r, quiet)
	p.Clock = clock.now
	return p
}

// downRedis is a client of a Redis that is not there (a closed port).
func downRedis(t *testing.T) *store.Redis {
	t.Helper()
	r, err := store.OpenRedis("redis://"+closedPort(t)+"/0", "down:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// anna is a Mattermost with one user, anna, and a clock.
func anna() (*mattermostUsers, *testClock) {
	return &mattermostUsers{users: map[string]kim.User{"u1": {ID: "u1", Username: "anna", Locale: "de"}}},
		&testClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
}

func TestProfilesHitAndSharedByReplicas(t *testing.T) {
	r := testenv.Redis(t)
	mm, clock := anna()
	ctx := context.Background()
	one, two := newProfiles(mm, r, clock), newProfiles(mm, r, clock)
	for i := 0; i < 3; i++ {
		if u, err := one.Get(ctx, "u1"); err != nil || u.Username != "anna" {
			t.Fatalf("get: %+v, %v", u, err)
		}
	}
	if n := mm.count(); n != 1 {
		t.Fatalf("%d requests to Mattermost for three commands, want 1", n)
	}
	clock.advance(time.Duration(float64(ProfileFresh)*(1-ProfileJitter)) - time.Second) // fresh whatever its jitter
	if u, err := two.Get(ctx, "u1"); err != nil || u.Username != "anna" {               // another replica: from Redis
		t.Fatalf("second replica: %+v, %v", u, err)
	}
	if n := mm.count(); n != 1 {
		t.Fatalf("the second replica asked Mattermost (%d requests)", n)
	}
	if _, err := one.Get(ctx, "u9"); err == nil {
		t.Fatal("an unknown user got a profile")
	}
}

// A profile past ProfileFresh is answered at once, from the cache, while a
// background request fetches the new one (the caller does not wait for
// Mattermost); the next command sees the change. Past ProfileMaxAge the
// caller waits for Mattermost rather than use it.
func TestProfilesStaleRefreshedInBackground(t *testing.T) {
	r := testenv.Redis(t)
	mm, clock := anna()
	ctx := context.Background()
	p, replica := newProfiles(mm, r, clock), newProfiles(mm, r, clock)
	if _, err := p.Get(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	mm.set(kim.User{ID: "u1", Username: "anna", Locale: "en", SysAdmin: true}) // made system admin in Mattermost
	clock.advance(ProfileFresh + time.Second)
	mm.mu.Lock()
	mm.gate = make(chan struct{}) // Mattermost answers only when the gate opens
	mm.mu.Unlock()
	u, err := p.Get(ctx, "u1") // returns although Mattermost has not answered
	if err != nil || u.SysAdmin || u.Locale != "de" {
		t.Fatalf("stale get: %+v, %v", u, err)
	}
	if u, _ := p.Get(ctx, "u1"); u.SysAdmin { // still stale, no second refresh
		t.Fatal("profile changed before Mattermost answered")
	}
	close(mm.gate)
	p.wait()
	if n := mm.count(); n != 2 {
		t.Fatalf("%d requests to Mattermost, want 2 (one refresh)", n)
	}
	if u, err := p.Get(ctx, "u1"); err != nil || !u.SysAdmin || u.Locale != "en" {
		t.Fatalf("after the refresh: %+v, %v", u, err)
	}
	if u, err := replica.Get(ctx, "u1"); err != nil || !u.SysAdmin { // the refresh reached Redis
		t.Fatalf("the other replica after the refresh: %+v, %v", u, err)
	}
	if n := mm.count(); n != 2 {
		t.Fatalf("%d requests to Mattermost after the refresh, want 2", n)
	}

	// Past the maximum age the caller waits for Mattermost's answer.
	mm.set(kim.User{ID: "u1", Username: "anna", Locale: "en"}) // no longer system admin
	clock.advance(ProfileMaxAge)
	if u, err := p.Get(ctx, "u1"); err != nil || u.SysAdmin {
		t.Fatalf("past the maximum age: %+v, %v", u, err)
	}
	// And never uses a profile that old when Mattermost does not answer.
	clock.advance(ProfileMaxAge)
	mm.set(kim.User{ID: "u2"})
	delete(mm.users, "u1")
	if _, err := p.Get(ctx, "u1"); err == nil {
		t.Fatal("a profile past the maximum age was used while Mattermost failed")
	}
}

// A profile stale on this replica is used at once, without a round trip to
// Redis on the command's path; its background refresh takes the fresh one
// another replica put into Redis meanwhile instead of asking Mattermost.
func TestProfilesStaleTakenFromAnotherReplica(t *testing.T) {
	r := testenv.Redis(t)
	mm, clock := anna()
	ctx := context.Background()
	one, two := newProfiles(mm, r, clock), newProfiles(mm, r, clock)
	for _, p := range []*Profiles{one, two} { // one asks Mattermost, two takes it from Redis
		if _, err := p.Get(ctx, "u1"); err != nil {
			t.Fatal(err)
		}
	}
	mm.set(kim.User{ID: "u1", Username: "anna", Locale: "en"})
	clock.advance(ProfileFresh + time.Second)
	one.Get(ctx, "u1") // stale: one refreshes it from Mattermost, into Redis
	one.wait()
	if u, err := two.Get(ctx, "u1"); err != nil || u.Locale != "de" {
		t.Fatalf("two's stale profile: %+v, %v (want it as two had it, at once)", u, err)
	}
	two.wait()
	if u, err := two.Get(ctx, "u1"); err != nil || u.Locale != "en" {
		t.Fatalf("two after its refresh: %+v, %v", u, err)
	}
	if n := mm.count(); n != 2 {
		t.Fatalf("%d requests to Mattermost, want 2 (two's refresh came from Redis)", n)
	}
}

// With Redis down the in-process layer and Mattermost still answer, and a
// command runs as usual (the rate limit allows it).
func TestProfilesAndCommandsWithRedisDown(t *testing.T) {
	r := downRedis(t)
	mm, clock := anna()
	ctx := context.Background()
	p := newProfiles(mm, r, clock)
	for i := 0; i < 2; i++ {
		if u, err := p.Get(ctx, "u1"); err != nil || u.Username != "anna" {
			t.Fatalf("get with Redis down: %+v, %v", u, err)
		}
	}
	if n := mm.count(); n != 1 {
		t.Fatalf("%d requests to Mattermost, want 1 (the in-process layer)", n)
	}

	st := testenv.Store(t)
	if _, err := st.UpsertTeam(ctx, "t1", "team-one", "c1", "tok"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SyncUser(ctx, kim.User{ID: "u1", Username: "anna"}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRole(ctx, "t1", "u1", kim.RoleCoach, "", "admin"); err != nil {
		t.Fatal(err)
	}
	svc := &commands.Service{Store: st, Clock: clock.now, Log: quiet}
	s := &Server{Store: st, Redis: r, RateLimit: rateLimit(t, r), Commands: svc, Profiles: p, Log: quiet}
	rep := s.run(ctx, nil, "u1", commands.Request{TeamID: "t1", Text: "cases"})
	if rep.Outcome != "ok" || !strings.Contains(rep.Text, "keine offenen Fälle") && !strings.Contains(rep.Text, "Fälle") {
		t.Fatalf("cases with Redis down: %+v", rep)
	}
	if u, err := st.User(ctx, "u1"); err != nil || u.Locale != "de" {
		t.Fatalf("the command did not bring the users row up to date: %+v, %v", u, err)
	}
}

// Profiles fetched at the same moment turn stale at different moments
// between ProfileFresh×(1−ProfileJitter) and ProfileFresh, so their
// refreshes do not reach Mattermost in one burst; every replica agrees on
// the moment of each.
func TestProfilesFreshnessJittered(t *testing.T) {
	r := testenv.Redis(t)
	mm, clock := anna()
	const n = 200
	for i := range n {
		mm.users[fmt.Sprintf("j%d", i)] = kim.User{ID: fmt.Sprintf("j%d", i), Username: fmt.Sprintf("user%d", i)}
	}
	ctx := context.Background()
	p, replica := newProfiles(mm, r, clock), newProfiles(mm, r, clock)
	for i := range n {
		if _, err := p.Get(ctx, fmt.Sprintf("j%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	minFresh := time.Duration(float64(ProfileFresh) * (1 - ProfileJitter))
	staleAt := map[int]int{} // second after the fetch → profiles that turned stale then
	refreshed := map[string]bool{}
	for s := 0; s <= int(ProfileFresh/time.Second); s++ {
		if s > 0 {
			clock.advance(time.Second)
		}
		for i := range n {
			id := fmt.Sprintf("j%d", i)
			if refreshed[id] {
				continue
			}
			e, _ := p.localEntry(id)
			if fresh, other := p.isFresh(e, clock.now()), replica.isFresh(e, clock.now()); fresh != other {
				t.Fatalf("the replicas disagree whether %s is fresh %d s after the fetch", id, s)
			} else if !fresh {
				staleAt[s]++
				refreshed[id] = true
			}
		}
	}
	if len(refreshed) != n {
		t.Fatalf("%d of %d profiles stale after ProfileFresh", len(refreshed), n)
	}
	most := 0
	for s, k := range staleAt {
		if time.Duration(s)*time.Second < minFresh {
			t.Fatalf("%d profiles stale %d s after the fetch, before %s", k, s, minFresh)
		}
		most = max(most, k)
	}
	if len(staleAt) < 10 || most > n/5 {
		t.Fatalf("profiles turned stale in %d distinct seconds, at most %d in one (%v): not spread", len(staleAt), most, staleAt)
	}
}

// While profileRefreshers background refreshes wait for Mattermost, a
// further stale profile is used as it is without a request of its own (no
// pile of goroutines and connections when Mattermost is slow); a later
// command refreshes it once a refresher is free.
func TestProfilesRefreshesBounded(t *testing.T) {
	r := testenv.Redis(t)
	mm, clock := anna()
	const n = 3 * profileRefreshers
	for i := range n {
		mm.users[fmt.Sprintf("b%d", i)] = kim.User{ID: fmt.Sprintf("b%d", i), Username: fmt.Sprintf("user%d", i), Locale: "de"}
	}
	ctx := context.Background()
	p := newProfiles(mm, r, clock)
	for i := range n {
		if _, err := p.Get(ctx, fmt.Sprintf("b%d", i)); err != nil {
			t.Fatal(err)
		}
		mm.set(kim.User{ID: fmt.Sprintf("b%d", i), Username: fmt.Sprintf("user%d", i), Locale: "en"})
	}
	clock.advance(ProfileFresh)
	mm.mu.Lock()
	mm.gate = make(chan struct{})
	mm.mu.Unlock()
	for i := range n {
		if u, err := p.Get(ctx, fmt.Sprintf("b%d", i)); err != nil || u.Locale != "de" {
			t.Fatalf("stale get while Mattermost is slow: %+v, %v", u, err)
		}
	}
	waitFor(t, func() bool { return mm.count() == n+profileRefreshers })
	time.Sleep(50 * time.Millisecond)
	if got := mm.count() - n; got != profileRefreshers {
		t.Fatalf("%d refreshes under way for %d stale profiles, want %d", got, n, profileRefreshers)
	}
	close(mm.gate)
	p.wait()
	mm.mu.Lock()
	mm.gate = nil
	mm.mu.Unlock()
	for i := range n {
		p.Get(ctx, fmt.Sprintf("b%d", i))
		p.wait()
	}
	if got := mm.count() - n; got != n {
		t.Fatalf("%d refreshes in all, want one per profile (%d)", got, n)
	}
	for i := range n {
		if u, _ := p.Get(ctx, fmt.Sprintf("b%d", i)); u.Locale != "en" {
			t.Fatalf("profile b%d not refreshed: %+v", i, u)
		}
	}
}

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5 s")
		}
	}
}
