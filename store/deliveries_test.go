package store_test

import (
	"context"
	"errors"
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

// One claim at a time; a lease that runs out can be taken over and is then
// uncertain (the crashed holder may have posted); a lost claim cannot record.
func TestClaimLeaseTakeover(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	d := newDelivery("digest:u1:2026-12-07")
	c1, err := s.ClaimDelivery(ctx, d, "replica-a", 300*time.Millisecond)
	if err != nil || c1.Attempts != 1 || c1.Uncertain {
		t.Fatalf("first claim: %+v %v", c1, err)
	}
	if _, err := s.ClaimDelivery(ctx, d, "replica-b", time.Minute); !errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("second claim while the lease holds: %v", err)
	}
	time.Sleep(400 * time.Millisecond) // replica-a "crashed"
	c2, err := s.ClaimDelivery(ctx, d, "replica-b", time.Minute)
	if err != nil || c2.Attempts != 2 || !c2.Uncertain {
		t.Fatalf("takeover: %+v %v", c2, err)
	}
	if ok, err := s.MarkDelivered(ctx, c1, "post-a"); ok || err != nil {
		t.Fatalf("the lost claim recorded a post: %v %v", ok, err)
	}
	if ok, err := s.MarkDelivered(ctx, c2, "post-b"); !ok || err != nil {
		t.Fatalf("the holder could not record: %v %v", ok, err)
	}
	rec, err := s.Delivery(ctx, d.Key)
	if err != nil || rec.Status != store.DeliverySent || rec.PostID != "post-b" || rec.Attempts != 2 || rec.ClaimedUntil != nil {
		t.Fatalf("record: %+v %v", rec, err)
	}
	if _, err := s.ClaimDelivery(ctx, d, "replica-c", time.Minute); !errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("a sent delivery was claimed again: %v", err)
	}
	if _, err := s.ExpireDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.Delivery(ctx, d.Key); rec.Status != store.DeliverySent {
		t.Fatalf("a sent delivery was expired: %s", rec.Status)
	}
}

// A released claim waits for its backoff; the error is recorded.
func TestReleaseBackoff(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	d := newDelivery("digest:u1:backoff")
	c, err := s.ClaimDelivery(ctx, d, "a", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseDelivery(ctx, c, 400*time.Millisecond, "post: connection refused"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimDelivery(ctx, d, "b", time.Minute); !errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("claimed before the backoff ran out: %v", err)
	}
	rec, _ := s.Delivery(ctx, d.Key)
	if rec.Status != store.DeliveryClaimed || rec.LastError != "post: connection refused" || rec.NextAttempt == nil || rec.ClaimedUntil != nil {
		t.Fatalf("record: %+v", rec)
	}
	time.Sleep(500 * time.Millisecond)
	c2, err := s.ClaimDelivery(ctx, d, "b", time.Minute)
	if err != nil || c2.Attempts != 2 || !c2.Uncertain {
		t.Fatalf("retry: %+v %v", c2, err)
	}
	if err := s.MarkEmpty(ctx, c2); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.Delivery(ctx, d.Key); rec.Status != store.DeliveryEmpty {
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
			_, err := s.ClaimDelivery(ctx, d, "r"+string(rune('a'+i)), time.Minute)
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
	if ok, err := s.ExpireDelivery(ctx, newDelivery("digest:u1:never")); !ok || err != nil {
		t.Fatalf("expire new: %v %v", ok, err)
	}
	held := newDelivery("digest:u1:held")
	if _, err := s.ClaimDelivery(ctx, held, "a", time.Minute); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ExpireDelivery(ctx, held); ok {
		t.Fatal("a held claim was expired")
	}
	stale := newDelivery("digest:u1:stale")
	if _, err := s.ClaimDelivery(ctx, stale, "a", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	after := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	list, err := s.ExpiredClaims(ctx, after, 10)
	if err != nil || len(list) != 1 || list[0].Key != stale.Key || list[0].Target.UserID != "u1" || list[0].Attempts != 1 {
		t.Fatalf("expired claims: %+v %v", list, err)
	}
	if list, _ := s.ExpiredClaims(ctx, time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), 10); len(list) != 0 {
		t.Fatalf("listed before expiry: %+v", list)
	}
	if ok, _ := s.ExpireDelivery(ctx, stale); !ok {
		t.Fatal("stale claim not expired")
	}
	st, err := s.DeliveryStatuses(ctx, []string{"digest:u1:never", held.Key, stale.Key, "digest:u1:unknown"})
	want := map[string]string{"digest:u1:never": "expired", held.Key: "claimed", stale.Key: "expired"}
	if err != nil || len(st) != 3 || st["digest:u1:never"] != want["digest:u1:never"] || st[held.Key] != "claimed" || st[stale.Key] != "expired" {
		t.Fatalf("statuses %v %v", st, err)
	}
	if err := s.MarkFound(ctx, stale.Key, "post-x"); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.Delivery(ctx, stale.Key); rec.Status != store.DeliverySent || rec.PostID != "post-x" {
		t.Fatalf("found post not recorded: %+v", rec)
	}
}

// The database refuses what a delivery must not be.
func TestDeliveryConstraints(t *testing.T) {
	s := deliveryStore(t)
	ctx := context.Background()
	bad := newDelivery("digest:u1:bad")
	bad.Target = kim.Target{}
	if _, err := s.ClaimDelivery(ctx, bad, "a", time.Minute); err == nil || errors.Is(err, store.ErrNotClaimed) {
		t.Fatalf("a delivery without target was accepted: %v", err)
	}
	bad = newDelivery("digest:u1:kind")
	bad.Kind = "Agenda Post"
	if _, err := s.ClaimDelivery(ctx, bad, "a", time.Minute); err == nil {
		t.Fatal("a malformed kind was accepted")
	}
	ch := newDelivery("agenda-post:1")
	ch.Kind, ch.Target = "agenda-post", kim.Target{ChannelID: "chan-1"}
	if _, err := s.ClaimDelivery(ctx, ch, "a", time.Minute); err != nil {
		t.Fatalf("channel delivery: %v", err)
	}
	if rec, _ := s.Delivery(ctx, ch.Key); rec.Target.ChannelID != "chan-1" || rec.Kind != "agenda-post" {
		t.Fatalf("record %+v", rec)
	}
}
