package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
	"github.com/kimbot-nrw/kimbot/store"
)

// fakeMattermost stands in for the bot's REST client in these tests of the
// delivery records (the real one is tested end to end in e2e/): it keeps
// posts in memory and can be "down".
type fakeMattermost struct {
	mu    sync.Mutex
	clock kim.Clock // the time of posts; nil: kim.SystemClock
	posts []fakePost
	down  bool
	finds int
	// failing makes posts into these channels fail with the error.
	failing map[string]error
}

type fakePost struct {
	ID     string
	Target kim.Target
	Key    string
	Msg    kim.Message
	At     time.Time
}

var errDown = errors.New("dial tcp 127.0.0.1:8065: connect: connection refused")

func (f *fakeMattermost) Post(ctx context.Context, to kim.Target, key string, msg kim.Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return "", errDown
	}
	if err := f.failing[to.ChannelID]; err != nil && to.ChannelID != "" {
		return "", err
	}
	p := fakePost{ID: fmt.Sprintf("post%d", len(f.posts)+1), Target: to, Key: key, Msg: msg, At: kim.ClockOr(f.clock).Now()}
	f.posts = append(f.posts, p)
	return p.ID, nil
}

func (f *fakeMattermost) FindPost(ctx context.Context, to kim.Target, key string, since time.Time) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finds++
	if f.down {
		return "", errDown
	}
	for _, p := range f.posts {
		if p.Target == to && p.Key == key && !p.At.Before(since) {
			return p.ID, nil
		}
	}
	return "", nil
}

func (f *fakeMattermost) setDown(down bool) { f.mu.Lock(); f.down = down; f.mu.Unlock() }

// postsTo returns the posts to a user, in order.
func (f *fakeMattermost) postsTo(userID string) []fakePost {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakePost
	for _, p := range f.posts {
		if p.Target.UserID == userID {
			out = append(out, p)
		}
	}
	return out
}

func (f *fakeMattermost) count() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.posts) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// deadRedis is a Redis client of a port where nothing listens.
func deadRedis(t *testing.T) *store.Redis {
	t.Helper()
	r, err := store.OpenRedis("redis://127.0.0.1:1/0", "dead:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// deliverer returns a replica's Deliverer with a lease of 500 ms and a
// backoff of 300 ms by the clock (locks nil: no Redis).
func deliverer(s *store.Store, locks reminders.Locks, mm reminders.Sender, replica string, clock kim.Clock) *reminders.Deliverer {
	return &reminders.Deliverer{Deliveries: s, Locks: locks, Sender: mm, Log: quiet, Replica: replica, Clock: clock,
		Lease: 500 * time.Millisecond, Backoff: 300 * time.Millisecond}
}

// newClock returns a test clock at passNow.
func newClock() *testenv.Clock { return testenv.NewClock(passNow) }

func userStore(t *testing.T) *store.Store {
	t.Helper()
	s := testenv.Store(t)
	if _, err := s.SyncUser(context.Background(), kim.User{ID: "u1", Username: "anna"}); err != nil {
		t.Fatal(err)
	}
	return s
}

var passNow = time.Date(2026, 12, 7, 8, 0, 0, 0, kim.Berlin)

func delivery(key string) reminders.Delivery {
	return reminders.Delivery{Key: key, Kind: "digest", Target: kim.Target{UserID: "u1"}, Day: kim.Date{Y: 2026, M: 12, D: 7},
		Expires: time.Date(2026, 12, 8, 0, 0, 0, 0, kim.Berlin), Message: kim.Message{Text: "hello"}}
}

// Two replicas, each delivering the same key from ten goroutines at once,
// with Redis up and with Redis unreachable: one post.
func TestDeliverOnceAcrossReplicas(t *testing.T) {
	for _, redisUp := range []bool{true, false} {
		t.Run(fmt.Sprintf("redis=%v", redisUp), func(t *testing.T) {
			s := userStore(t)
			r := testenv.Redis(t)
			if !redisUp {
				r = deadRedis(t)
			}
			clock := newClock()
			mm := &fakeMattermost{clock: clock}
			replicas := []*reminders.Deliverer{deliverer(s, r, mm, "a", clock), deliverer(s, r, mm, "b", clock)}
			var wg sync.WaitGroup
			var mu sync.Mutex
			outcomes := map[reminders.Outcome]int{}
			for i := 0; i < 20; i++ {
				wg.Add(1)
				go func(d *reminders.Deliverer) {
					defer wg.Done()
					o, err := d.Deliver(context.Background(), passNow, delivery("digest:u1:2026-12-07"))
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					outcomes[o]++
					mu.Unlock()
				}(replicas[i%2])
			}
			wg.Wait()
			if mm.count() != 1 || outcomes[reminders.Sent] != 1 || outcomes[reminders.Busy]+outcomes[reminders.Settled] != 19 {
				t.Fatalf("%d posts, outcomes %v", mm.count(), outcomes)
			}
			rec, err := s.Delivery(context.Background(), "digest:u1:2026-12-07", nil)
			if err != nil || rec.Status != store.DeliverySent || rec.PostID != "post1" || rec.Attempts != 1 {
				t.Fatalf("record %+v %v", rec, err)
			}
		})
	}
}

// crashAt returns a Crash hook that ends the delivering goroutine at stage,
// as if the process had died there (its lease stays in Postgres).
func crashAt(stage string) func(string, string) {
	return func(at, key string) {
		if at == stage {
			runtime.Goexit()
		}
	}
}

func runUntilCrash(d *reminders.Deliverer, x reminders.Delivery) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = d.Deliver(context.Background(), passNow, x)
	}()
	<-done
}

// A replica dies after posting and before recording: the other replica
// waits for the lease, finds the post by its key and records it; no second
// post. A replica that dies before posting is simply replaced.
func TestDeliverCrash(t *testing.T) {
	for _, stage := range []string{"posted", "claimed"} {
		t.Run(stage, func(t *testing.T) {
			s := userStore(t)
			r := testenv.Redis(t)
			clock := newClock()
			mm := &fakeMattermost{clock: clock}
			a := deliverer(s, r, mm, "a", clock)
			a.Crash = crashAt(stage)
			x := delivery("digest:u1:" + stage)
			runUntilCrash(a, x)

			b := deliverer(s, r, mm, "b", clock)
			clock.Advance(500 * time.Millisecond) // the last moment of the lease
			if o, err := b.Deliver(context.Background(), passNow, x); o != reminders.Busy || err != nil {
				t.Fatalf("while the dead replica's lease holds: %s %v", o, err)
			}
			clock.Advance(time.Millisecond)
			o, err := b.Deliver(context.Background(), passNow, x)
			want := map[string]reminders.Outcome{"posted": reminders.Recovered, "claimed": reminders.Sent}[stage]
			if o != want || err != nil {
				t.Fatalf("after the lease: %s %v, want %s", o, err, want)
			}
			if mm.count() != 1 {
				t.Fatalf("%d posts", mm.count())
			}
			rec, _ := s.Delivery(context.Background(), x.Key, nil)
			if rec.Status != store.DeliverySent || rec.PostID != "post1" || rec.Attempts != 2 {
				t.Fatalf("record %+v", rec)
			}
			if o, _ := b.Deliver(context.Background(), passNow, x); o != reminders.Settled || mm.count() != 1 {
				t.Fatalf("later pass: %s, %d posts", o, mm.count())
			}
		})
	}
}

// Mattermost down: the delivery fails, backs off, and is sent once after
// recovery; looking for an earlier post first.
func TestDeliverRetryAfterOutage(t *testing.T) {
	s := userStore(t)
	clock := newClock()
	mm := &fakeMattermost{clock: clock, down: true}
	d := deliverer(s, testenv.Redis(t), mm, "a", clock)
	x := delivery("digest:u1:outage")
	sent := ""
	x.OnSent = func(ctx context.Context, postID string) error { sent = postID; return nil }
	if o, err := d.Deliver(context.Background(), passNow, x); o != reminders.Failed || err == nil {
		t.Fatalf("while down: %s %v", o, err)
	}
	rec, _ := s.Delivery(context.Background(), x.Key, nil)
	if rec.Status != store.DeliveryClaimed || rec.NextAttempt == nil || !rec.NextAttempt.Equal(passNow.Add(300*time.Millisecond)) ||
		rec.LastError == "" {
		t.Fatalf("record after failure: %+v", rec)
	}
	mm.setDown(false)
	clock.Advance(299 * time.Millisecond)
	if o, _ := d.Deliver(context.Background(), passNow, x); o != reminders.Busy {
		t.Fatalf("before the backoff ran out: %s", o)
	}
	mm.setDown(true)
	t2 := clock.Advance(time.Millisecond)
	if o, _ := d.Deliver(context.Background(), passNow, x); o != reminders.Failed {
		t.Fatalf("second failure: %s", o)
	}
	rec2, _ := s.Delivery(context.Background(), x.Key, nil)
	if wait := rec2.NextAttempt.Sub(t2); rec2.Attempts != 2 || wait != 600*time.Millisecond {
		t.Fatalf("the backoff must double: attempts %d, next attempt in %s", rec2.Attempts, wait)
	}
	mm.setDown(false)
	clock.Advance(599 * time.Millisecond)
	if o, _ := d.Deliver(context.Background(), passNow, x); o != reminders.Busy {
		t.Fatalf("before the doubled backoff ran out: %s", o)
	}
	clock.Advance(time.Millisecond)
	o, err := d.Deliver(context.Background(), passNow, x)
	if o != reminders.Sent || err != nil || mm.count() != 1 || sent != "post1" {
		t.Fatalf("after recovery: %s %v, %d posts, OnSent %q", o, err, mm.count(), sent)
	}
	if mm.finds == 0 {
		t.Error("a retry must look for an earlier post before posting")
	}
}

// A delivery whose time has passed is given up, not sent late; an empty
// message is recorded without a post.
func TestDeliverExpiryAndEmpty(t *testing.T) {
	s := userStore(t)
	mm := &fakeMattermost{}
	d := deliverer(s, testenv.Redis(t), mm, "a", nil) // the database's clock
	x := delivery("digest:u1:late")
	late := x.Expires.Add(time.Minute)
	if o, err := d.Deliver(context.Background(), late, x); o != reminders.Expired || err != nil {
		t.Fatalf("late: %s %v", o, err)
	}
	if o, _ := d.Deliver(context.Background(), passNow, x); o != reminders.Settled || mm.count() != 0 {
		t.Fatalf("an expired delivery was sent: %s %d", o, mm.count())
	}
	e := delivery("digest:u1:empty")
	e.Message = kim.Message{}
	if o, _ := d.Deliver(context.Background(), passNow, e); o != reminders.Empty {
		t.Fatalf("empty: %s", o)
	}
	e.Message = kim.Message{Text: "something came up"}
	if o, _ := d.Deliver(context.Background(), passNow, e); o != reminders.Settled || mm.count() != 0 {
		t.Fatalf("an empty digest was sent later: %s", o)
	}
	if o, err := d.Deliver(context.Background(), passNow, reminders.Delivery{Key: "x", Kind: "digest"}); o != reminders.Failed || err == nil {
		t.Fatalf("a delivery without target: %s %v", o, err)
	}
}

// The sweep settles stale claims past their expiry: found posts become
// sent, the rest expired.
func TestSweep(t *testing.T) {
	s := userStore(t)
	clock := newClock()
	mm := &fakeMattermost{clock: clock}
	r := testenv.Redis(t)
	crashed := deliverer(s, r, mm, "a", clock)
	crashed.Crash = crashAt("posted")
	runUntilCrash(crashed, delivery("digest:u1:posted"))
	crashed.Crash = crashAt("claimed")
	runUntilCrash(crashed, delivery("digest:u1:claimed"))
	d := deliverer(s, r, mm, "b", clock)
	if got, err := d.Sweep(context.Background(), passNow.Add(24*time.Hour)); err != nil || len(got) != 0 {
		t.Fatalf("sweep while the dead replica's leases hold: %v %v", got, err)
	}
	clock.Advance(501 * time.Millisecond)
	got, err := d.Sweep(context.Background(), passNow.Add(24*time.Hour))
	if err != nil || got[reminders.Recovered] != 1 || got[reminders.Expired] != 1 {
		t.Fatalf("sweep: %v %v", got, err)
	}
	st, _ := s.DeliveryStatuses(context.Background(), []string{"digest:u1:posted", "digest:u1:claimed"})
	if st["digest:u1:posted"] != "sent" || st["digest:u1:claimed"] != "expired" || mm.count() != 1 {
		t.Fatalf("statuses %v, %d posts", st, mm.count())
	}
}
