package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

func deliveryStore(t *testing.T) *store.Store {
	t.Helper()
	s := testenv.Store(t)
	if _, err := s.SyncUser(context.Background(), kim.User{ID: "u1", Username: "anna"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func newDelivery(key string) store.NewDelivery {
	return store.NewDelivery{Key: key, Kind: "digest", Target: kim.Target{UserID: "u1"}, Day: kim.Date{Y: 2026, M: 12, D: 7},
		ExpiresAt: time.Date(2026, 12, 7, 23, 0, 0, 0, time.UTC)}
}

// at returns t0 plus d, as the time parameter of the delivery queries.
func at(d time.Duration) *time.Time {
	t := t0.Add(d)
	return &t
}

// t0 is the wall-clock time the delivery tests start at.
var t0 = time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)

// One claim at a time; a lease that runs out can be taken over and is then
// uncertain (the crashed holder may have posted); a lost claim cannot record.
func TestClaimLeaseTakeover(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	d := newDelivery("digest:u1:2026-12-07")
	c1, err := s.ClaimDelivery(ctx, d, "replica-a", 300*time.Millisecond, at(0))
	if err != nil || c1.Attempts != 1 || c1.Uncertain || !c1.CreatedAt.Equal(t0) {
		t.Fatalf("first claim: %+v %v", c1, err)
	}
	if rec, _ := s.Delivery(ctx, d.Key, at(300*time.Millisecond)); !rec.Held || !rec.ClaimedUntil.Equal(*at(300 * time.Millisecond)) {
		t.Fatalf("the claim is not held to the end of its lease: %+v", rec)
	}
	if _, err := s.ClaimDelivery(ctx, d, "replica-b", time.Minute, at(300*time.Millisecond)); !errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("second claim while the lease holds: %v", err)
	}
	// replica-a "crashed"; its lease runs out.
	if rec, _ := s.Delivery(ctx, d.Key, at(301*time.Millisecond)); rec.Held {
		t.Fatalf("held after the lease: %+v", rec)
	}
	c2, err := s.ClaimDelivery(ctx, d, "replica-b", time.Minute, at(301*time.Millisecond))
	if err != nil || c2.Attempts != 2 || !c2.Uncertain {
		t.Fatalf("takeover: %+v %v", c2, err)
	}
	if ok, err := s.MarkDelivered(ctx, c1, "post-a", at(time.Second)); ok || err != nil {
		t.Fatalf("the lost claim recorded a post: %v %v", ok, err)
	}
	if ok, err := s.MarkDelivered(ctx, c2, "post-b", at(time.Second)); !ok || err != nil {
		t.Fatalf("the holder could not record: %v %v", ok, err)
	}
	rec, err := s.Delivery(ctx, d.Key, at(time.Second))
	if err != nil || rec.Status != store.DeliverySent || rec.PostID != "post-b" || rec.Attempts != 2 || rec.ClaimedUntil != nil || rec.Held {
		t.Fatalf("record: %+v %v", rec, err)
	}
	if _, err := s.ClaimDelivery(ctx, d, "replica-c", time.Minute, at(time.Hour)); !errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("a sent delivery was claimed again: %v", err)
	}
	if _, err := s.ExpireDelivery(ctx, d, at(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.Delivery(ctx, d.Key, nil); rec.Status != store.DeliverySent {
		t.Fatalf("a sent delivery was expired: %s", rec.Status)
	}
}

// Without a time the database's clock decides: a fresh lease holds, an old
// one has run out.
func TestClaimDatabaseClock(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	d := newDelivery("digest:u1:dbclock")
	before := time.Now()
	c, err := s.ClaimDelivery(ctx, d, "a", time.Hour, nil)
	if err != nil || c.CreatedAt.Before(before.Add(-time.Minute)) || c.CreatedAt.After(time.Now().Add(time.Minute)) {
		t.Fatalf("claim at the database's now: %+v %v", c, err)
	}
	if _, err := s.ClaimDelivery(ctx, d, "b", time.Hour, nil); !errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("claimed while the lease holds: %v", err)
	}
	if rec, _ := s.Delivery(ctx, d.Key, nil); !rec.Held {
		t.Fatalf("a fresh lease is not held: %+v", rec)
	}
	// Two hours on, by the parameter: the same lease has run out.
	later := time.Now().Add(2 * time.Hour)
	if c2, err := s.ClaimDelivery(ctx, d, "b", time.Hour, &later); err != nil || c2.Attempts != 2 {
		t.Fatalf("takeover two hours on: %+v %v", c2, err)
	}
}

// A released claim waits for its backoff; the error is recorded.
func TestReleaseBackoff(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	d := newDelivery("digest:u1:backoff")
	c, err := s.ClaimDelivery(ctx, d, "a", time.Minute, at(0))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseDelivery(ctx, c, 400*time.Millisecond, "post: connection refused", at(time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimDelivery(ctx, d, "b", time.Minute, at(1399*time.Millisecond)); !errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("claimed before the backoff ran out: %v", err)
	}
	rec, _ := s.Delivery(ctx, d.Key, at(time.Second))
	if rec.Status != store.DeliveryClaimed || rec.LastError != "post: connection refused" || rec.NextAttempt == nil ||
		!rec.NextAttempt.Equal(*at(1400 * time.Millisecond)) || rec.ClaimedUntil != nil || rec.Held {
		t.Fatalf("record: %+v", rec)
	}
	c2, err := s.ClaimDelivery(ctx, d, "b", time.Minute, at(1400*time.Millisecond))
	if err != nil || c2.Attempts != 2 || !c2.Uncertain {
		t.Fatalf("retry: %+v %v", c2, err)
	}
	if err := s.MarkEmpty(ctx, c2); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.Delivery(ctx, d.Key, nil); rec.Status != store.DeliveryEmpty {
		t.Fatalf("status %s", rec.Status)
	}
}

// Twenty replicas racing for one delivery: exactly one wins.
func TestClaimRace(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	d := newDelivery("digest:u1:race")
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := s.ClaimDelivery(ctx, d, "r"+string(rune('a'+i)), time.Minute, nil)
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, store.ErrNotClaimed) {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d claims won", wins)
	}
}

// Expiry: a fresh key is recorded expired; a held claim is left alone; a
// stale one is listed for the sweep and then expired.
func TestExpireDelivery(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	if ok, err := s.ExpireDelivery(ctx, newDelivery("digest:u1:never"), at(0)); !ok || err != nil {
		t.Fatalf("expire new: %v %v", ok, err)
	}
	held := newDelivery("digest:u1:held")
	if _, err := s.ClaimDelivery(ctx, held, "a", time.Minute, at(0)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ExpireDelivery(ctx, held, at(time.Second)); ok {
		t.Fatal("a held claim was expired")
	}
	stale := newDelivery("digest:u1:stale")
	if _, err := s.ClaimDelivery(ctx, stale, "a", time.Millisecond, at(0)); err != nil {
		t.Fatal(err)
	}
	after := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	list, err := s.ExpiredClaims(ctx, after, 10, at(20*time.Millisecond))
	if err != nil || len(list) != 1 || list[0].Key != stale.Key || list[0].Target.UserID != "u1" || list[0].Attempts != 1 {
		t.Fatalf("expired claims: %+v %v", list, err)
	}
	if list, _ := s.ExpiredClaims(ctx, after, 10, at(0)); len(list) != 0 {
		t.Fatalf("listed while its lease holds: %+v", list)
	}
	if list, _ := s.ExpiredClaims(ctx, time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), 10, at(20*time.Millisecond)); len(list) != 0 {
		t.Fatalf("listed before expiry: %+v", list)
	}
	if ok, _ := s.ExpireDelivery(ctx, stale, at(20*time.Millisecond)); !ok {
		t.Fatal("stale claim not expired")
	}
	st, err := s.DeliveryStatuses(ctx, []string{"digest:u1:never", held.Key, stale.Key, "digest:u1:unknown"})
	want := map[string]string{"digest:u1:never": "expired", held.Key: "claimed", stale.Key: "expired"}
	if err != nil || len(st) != 3 || st["digest:u1:never"] != want["digest:u1:never"] || st[held.Key] != "claimed" || st[stale.Key] != "expired" {
		t.Fatalf("statuses %v %v", st, err)
	}
	if err := s.MarkFound(ctx, stale.Key, "post-x", nil, at(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.Delivery(ctx, stale.Key, nil); rec.Status != store.DeliverySent || rec.PostID != "post-x" {
		t.Fatalf("found post not recorded: %+v", rec)
	}
}

// The database refuses what a delivery must not be.
func TestDeliveryConstraints(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	bad := newDelivery("digest:u1:bad")
	bad.Target = kim.Target{}
	if _, err := s.ClaimDelivery(ctx, bad, "a", time.Minute, nil); err == nil || errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("a delivery without target was accepted: %v", err)
	}
	bad = newDelivery("digest:u1:kind")
	bad.Kind = "Agenda Post"
	if _, err := s.ClaimDelivery(ctx, bad, "a", time.Minute, nil); err == nil {
		t.Fatal("a malformed kind was accepted")
	}
	ch := newDelivery("agenda-post:1")
	ch.Kind, ch.Target = "agenda-post", kim.Target{ChannelID: "chan-1"}
	if _, err := s.ClaimDelivery(ctx, ch, "a", time.Minute, nil); err != nil {
		t.Fatalf("channel delivery: %v", err)
	}
	if rec, _ := s.Delivery(ctx, ch.Key, nil); rec.Target.ChannelID != "chan-1" || rec.Kind != "agenda-post" {
		t.Fatalf("record %+v", rec)
	}
}

// Claims in one statement: new keys and run-out leases are claimed (a key
// given twice once), held and settled ones are not; records of posts are
// written, with one audit row per digest and team, only where the claim is
// still held.
func TestClaimAndRecordBatch(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	d := func(day int) store.NewDelivery {
		x := newDelivery(fmt.Sprintf("digest:u1:2026-12-%02d", day))
		x.Day = kim.Date{Y: 2026, M: 12, D: day}
		return x
	}
	held, err := s.ClaimDelivery(ctx, d(1), "other", time.Hour, at(0))
	if err != nil {
		t.Fatal(err)
	}
	stale, err := s.ClaimDelivery(ctx, d(2), "dead", time.Second, at(0))
	if err != nil {
		t.Fatal(err)
	}
	settled, err := s.ClaimDelivery(ctx, d(3), "done", time.Second, at(0))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.MarkDelivered(ctx, settled, "post-3", at(0)); !ok || err != nil {
		t.Fatalf("mark sent: %v %v", ok, err)
	}
	claims, err := s.ClaimDeliveries(ctx, []store.NewDelivery{d(1), d(2), d(3), d(4), d(5), d(4)}, "batch", time.Minute, at(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != 3 || claims[d(2).Key].Attempts != 2 || !claims[d(2).Key].Uncertain || claims[d(4).Key].Attempts != 1 ||
		claims[d(4).Key].Uncertain || claims[d(5).Key].Token != "batch" {
		t.Fatalf("claims %+v", claims)
	}
	item := func(team string, c int64) kim.DueItem {
		return kim.DueItem{Kind: kim.ItemMonitoring, TeamID: team, CaseID: c, RecipientID: "u1"}
	}
	lost := stale // the dead replica's claim, taken over by the batch
	recorded, err := s.RecordSent(ctx, []store.Sent{
		{Claim: claims[d(4).Key], PostID: "post-4", Audit: []kim.DueItem{item("t1", 41), item("t1", 42), item("t2", 43), {Kind: kim.ItemAction}}},
		{Claim: claims[d(5).Key], PostID: "post-5", Audit: []kim.DueItem{item("t1", 51)}},
		{Claim: lost, PostID: "post-2", Audit: []kim.DueItem{item("t1", 21)}},
		{Claim: held, PostID: "post-1"},
	}, at(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if len(recorded) != 3 || !recorded[d(4).Key] || !recorded[d(5).Key] || recorded[d(2).Key] || !recorded[d(1).Key] {
		t.Fatalf("recorded %v", recorded)
	}
	if rec, _ := s.Delivery(ctx, d(2).Key, nil); rec.Status != store.DeliveryClaimed || rec.PostID != "" {
		t.Fatalf("the lost claim was recorded: %+v", rec)
	}
	if rec, _ := s.Delivery(ctx, d(4).Key, nil); rec.Status != store.DeliverySent || rec.PostID != "post-4" || rec.ClaimedUntil != nil {
		t.Fatalf("record %+v", rec)
	}
	rows, err := s.Pool().Query(ctx, `SELECT team_id, array_to_string(case_ids, ',') FROM audit_log WHERE action = 'reminder.digest' ORDER BY 2`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var team, cases string
		if err := rows.Scan(&team, &cases); err != nil {
			t.Fatal(err)
		}
		got = append(got, team+":"+cases)
	}
	if fmt.Sprint(got) != "[t1:41,42 t2:43 t1:51]" {
		t.Fatalf("audit rows %v", got)
	}
}
