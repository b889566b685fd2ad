package reminders

import (
	"context"
	"sync"
	"time"

	"github.com/kimbot-nrw/kimbot/store"
)

// batchSize is how many deliveries DeliverAll claims in one statement, and
// at most how many posts it records in one.
const batchSize = 16

// recordWait is how long DeliverAll's recorder waits for more posts to
// record with the first one it has (the posts are out already; only their
// records wait).
const recordWait = 20 * time.Millisecond

// DeliverAll delivers each of xs exactly once, as Deliver does, with workers
// posts at a time, and reports each one's outcome to done (called from
// several goroutines). It does the Postgres work of many deliveries at once:
// claims in batches of batchSize in one statement each, just before they are
// posted (so a lease runs out only for a replica that died), and the records
// of the posts, with their audit rows, in one statement for those posted
// meanwhile. Replicas are kept apart by the Postgres claims alone (no Redis
// lock per key). A delivery whose claim is uncertain (an earlier attempt may
// have posted) is looked for first, as Deliver does.
func (d *Deliverer) DeliverAll(ctx context.Context, now time.Time, xs []Delivery, workers int, done func(Delivery, Outcome, error)) {
	type job struct {
		x       Delivery
		c       store.Claim
		claimed time.Time
	}
	jobs := make(chan job, batchSize)
	posts := make(chan posted, batchSize)
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if !j.c.Uncertain && d.clock().Now().Sub(j.claimed) > d.lease()/2 {
					// Its lease is half gone before the post starts (a very slow
					// Mattermost): give the claim back rather than risk posting
					// after another replica has taken it over.
					if err := d.Deliveries.ReleaseDelivery(context.WithoutCancel(ctx), j.c, 0, "claim held too long before posting", d.clock().NowOrNil()); err != nil {
						d.Log.Error("reminders: unable to release delivery", "key", j.x.Key, "err", err)
					}
					done(j.x, Busy, nil)
					continue
				}
				o, postID, err := d.attempt(ctx, j.x, j.c)
				if postID != "" {
					posts <- posted{x: j.x, c: j.c, postID: postID}
					continue
				}
				done(j.x, o, err)
			}
		}()
	}
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		d.recorder(ctx, posts, done)
	}()

	seen := make(map[string]bool, len(xs))
	var batch []Delivery
	claim := func() {
		if len(batch) == 0 {
			return
		}
		nds := make([]store.NewDelivery, len(batch))
		for i, x := range batch {
			nds[i] = record(x)
		}
		claims, err := d.Deliveries.ClaimDeliveries(ctx, nds, d.replica()+"/"+token(), d.lease(), d.clock().NowOrNil())
		at := d.clock().Now()
		if err != nil {
			d.Log.Warn("reminders: unable to claim deliveries, will retry", "deliveries", len(batch), "err", err)
		}
		var missing []Delivery
		for _, x := range batch {
			c, ok := claims[x.Key]
			switch {
			case err != nil:
				done(x, Failed, err)
			case !ok:
				missing = append(missing, x)
			default:
				d.crash("claimed", x.Key)
				jobs <- job{x: x, c: c, claimed: at}
			}
		}
		if len(missing) > 0 { // settled, or held by someone else
			keys := make([]string, len(missing))
			for i, x := range missing {
				keys[i] = x.Key
			}
			st, err := d.Deliveries.DeliveryStatuses(ctx, keys)
			for _, x := range missing {
				o := Settled
				if err != nil || st[x.Key] == store.DeliveryClaimed {
					o = Busy
				}
				done(x, o, nil)
			}
		}
		batch = batch[:0]
	}
	for _, x := range xs {
		switch {
		case ctx.Err() != nil:
			done(x, Failed, ctx.Err())
		case !x.valid():
			done(x, Failed, x.invalid())
		case seen[x.Key]:
			done(x, Settled, nil)
		case !x.Expires.IsZero() && !now.Before(x.Expires):
			seen[x.Key] = true
			o, err := d.expire(ctx, record(x), x.OnSent, x.Audit)
			done(x, o, err)
		default:
			seen[x.Key] = true
			batch = append(batch, x)
			if len(batch) == batchSize {
				claim()
			}
		}
	}
	claim()
	close(jobs)
	wg.Wait()
	close(posts)
	<-recorded
}

// recorder records the posts it receives, those that arrive within
// recordWait of the first (up to batchSize) in one statement, until posts is
// closed.
func (d *Deliverer) recorder(ctx context.Context, posts <-chan posted, done func(Delivery, Outcome, error)) {
	var batch []posted
	for p := range posts {
		batch = append(batch[:0], p)
		timeout := time.NewTimer(recordWait)
	more:
		for len(batch) < batchSize {
			select {
			case p, ok := <-posts:
				if !ok {
					break more
				}
				batch = append(batch, p)
			case <-timeout.C:
				break more
			}
		}
		timeout.Stop()
		for i, o := range d.recordSent(ctx, batch) {
			done(batch[i].x, o, nil)
		}
	}
}
