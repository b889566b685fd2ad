package reminders_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
	"github.com/kimbot-nrw/kimbot/store"
)

// batchWorld is a store with n users and a digest delivery for each, whose
// audit names one case.
func batchWorld(t *testing.T, n int) (*store.Store, []reminders.Delivery) {
	t.Helper()
	s := testenv.Store(t)
	var xs []reminders.Delivery
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("u%d", i)
		if _, err := s.SyncUser(context.Background(), kim.User{ID: id, Username: "coach" + id}); err != nil {
			t.Fatal(err)
		}
		x := delivery("digest:" + id + ":2026-12-07")
		x.Target = kim.Target{UserID: id}
		x.Audit = []kim.DueItem{{Kind: kim.ItemMonitoring, TeamID: "t1", CaseID: int64(i), RecipientID: id}}
		xs = append(xs, x)
	}
	return s, xs
}

// outcomes collects the outcomes of DeliverAll by key.
type outcomes struct {
	mu sync.Mutex
	by map[string][]reminders.Outcome
}

func (o *outcomes) done(x reminders.Delivery, out reminders.Outcome, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.by == nil {
		o.by = map[string][]reminders.Outcome{}
	}
	o.by[x.Key] = append(o.by[x.Key], out)
}

func (o *outcomes) count(out reminders.Outcome) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, os := range o.by {
		for _, x := range os {
			if x == out {
				n++
			}
		}
	}
	return n
}

// auditRows returns how many digest audit rows name each case.
func auditRows(t *testing.T, s *store.Store) map[int64]int {
	t.Helper()
	rows, err := s.Pool().Query(context.Background(), `SELECT unnest(case_ids) FROM audit_log WHERE action = 'reminder.digest'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id]++
	}
	return out
}

// Two replicas deliver the same 40 digests at once, in batches (more than one
// claim batch each), one of them held by a third replica and one sent
// before, one given twice: every other digest is posted once and audited
// once; the held one is busy, the sent one settled.
func TestDeliverAllOnceAcrossReplicas(t *testing.T) {
	s, xs := batchWorld(t, 40)
	ctx := context.Background()
	clock := newClock()
	mm := &fakeMattermost{clock: clock}
	if _, err := s.ClaimDelivery(ctx, store.NewDelivery{Key: xs[0].Key, Kind: "digest", Target: xs[0].Target, Day: xs[0].Day},
		"other", time.Hour, clock.NowOrNil()); err != nil {
		t.Fatal(err)
	}
	if o, err := deliverer(s, nil, mm, "c", clock).Deliver(ctx, passNow, xs[1]); o != reminders.Sent || err != nil {
		t.Fatalf("the digest sent before: %s %v", o, err)
	}
	all := append(append([]reminders.Delivery(nil), xs...), xs[5])
	var got outcomes
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			deliverer(s, testenv.Redis(t), mm, name, clock).DeliverAll(ctx, passNow, all, 4, got.done)
		}()
	}
	wg.Wait()
	if mm.count() != 39 { // 38 now, the one sent before
		t.Fatalf("%d posts, want 39", mm.count())
	}
	for i, x := range xs {
		posts := mm.postsTo(x.Target.UserID)
		want := 1
		if i == 0 {
			want = 0
		}
		if len(posts) != want {
			t.Errorf("%s: %d posts, want %d", x.Target.UserID, len(posts), want)
		}
		if n := len(got.by[x.Key]); n != 2 && i != 5 || i == 5 && n != 4 {
			t.Errorf("%s: %d outcomes %v", x.Key, n, got.by[x.Key])
		}
	}
	if got.count(reminders.Sent) != 38 || got.count(reminders.Failed) != 0 {
		t.Errorf("outcomes %v", got.by)
	}
	if o := got.by[xs[0].Key]; o[0] != reminders.Busy || o[1] != reminders.Busy {
		t.Errorf("the digest another replica holds: %v", o)
	}
	if o := got.by[xs[1].Key]; o[0] != reminders.Settled || o[1] != reminders.Settled {
		t.Errorf("the digest sent before: %v", o)
	}
	audit := auditRows(t, s)
	for i := range xs {
		want := 1
		if i == 0 {
			want = 0
		}
		if audit[int64(i+1)] != want {
			t.Errorf("case %d in %d digest audit rows, want %d", i+1, audit[int64(i+1)], want)
		}
	}
	for _, x := range xs[2:] {
		rec, err := s.Delivery(ctx, x.Key, nil)
		if err != nil || rec.Status != store.DeliverySent || rec.PostID == "" || rec.Attempts != 1 {
			t.Fatalf("record of %s: %+v %v", x.Key, rec, err)
		}
	}
}

// A replica dies after posting one digest of a batch and before recording
// it: the others of the pass are recorded; after the lease the next pass
// finds the post by its key (no second post) and audits it once.
func TestDeliverAllCrash(t *testing.T) {
	s, xs := batchWorld(t, 6)
	ctx := context.Background()
	clock := newClock()
	mm := &fakeMattermost{clock: clock}
	a := deliverer(s, nil, mm, "a", clock)
	a.Crash = func(stage, key string) {
		if stage == "posted" && key == xs[2].Key {
			runtime.Goexit() // that worker dies; the others go on
		}
	}
	var first outcomes
	a.DeliverAll(ctx, passNow, xs, 2, first.done)
	if mm.count() != 6 || first.count(reminders.Sent) != 5 {
		t.Fatalf("%d posts, outcomes %v", mm.count(), first.by)
	}
	if audit := auditRows(t, s); audit[3] != 0 || audit[1] != 1 {
		t.Fatalf("audit before recovery: %v", audit)
	}
	b := deliverer(s, nil, mm, "b", clock)
	var during outcomes
	b.DeliverAll(ctx, passNow, xs, 2, during.done)
	if during.count(reminders.Busy) != 1 || during.count(reminders.Settled) != 5 || mm.count() != 6 {
		t.Fatalf("while the dead replica's lease holds: %v, %d posts", during.by, mm.count())
	}
	clock.Advance(501 * time.Millisecond)
	var after outcomes
	b.DeliverAll(ctx, passNow, xs, 2, after.done)
	if o := after.by[xs[2].Key]; len(o) != 1 || o[0] != reminders.Recovered || mm.count() != 6 {
		t.Fatalf("after the lease: %v, %d posts", after.by, mm.count())
	}
	rec, err := s.Delivery(ctx, xs[2].Key, nil)
	if err != nil || rec.Status != store.DeliverySent || rec.PostID != mm.postsTo("u3")[0].ID || rec.Attempts != 2 {
		t.Fatalf("record %+v %v", rec, err)
	}
	audit := auditRows(t, s)
	for i := range xs {
		if audit[int64(i+1)] != 1 {
			t.Errorf("case %d in %d digest audit rows, want 1", i+1, audit[int64(i+1)])
		}
	}
}

// Mattermost down: every digest of the batch fails and is given back with a
// backoff; after the backoff, with Mattermost up, each is sent once (looking
// for an earlier post first).
func TestDeliverAllOutage(t *testing.T) {
	s, xs := batchWorld(t, 20)
	ctx := context.Background()
	clock := newClock()
	mm := &fakeMattermost{clock: clock, down: true}
	d := deliverer(s, nil, mm, "a", clock)
	var down outcomes
	d.DeliverAll(ctx, passNow, xs, 4, down.done)
	if down.count(reminders.Failed) != 20 || mm.count() != 0 {
		t.Fatalf("with Mattermost down: %v", down.by)
	}
	mm.setDown(false)
	var early outcomes
	d.DeliverAll(ctx, passNow, xs, 4, early.done)
	if early.count(reminders.Busy) != 20 || mm.count() != 0 {
		t.Fatalf("before the backoff: %v", early.by)
	}
	clock.Advance(301 * time.Millisecond)
	var up outcomes
	d.DeliverAll(ctx, passNow, xs, 4, up.done)
	if up.count(reminders.Sent) != 20 || mm.count() != 20 || mm.finds != 20 {
		t.Fatalf("after the backoff: %v, %d posts, %d looked for", up.by, mm.count(), mm.finds)
	}
	if audit := auditRows(t, s); len(audit) != 20 {
		t.Fatalf("audit: %v", audit)
	}
}
