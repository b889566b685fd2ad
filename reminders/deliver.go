package reminders

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// Sender posts messages as the bot (bot.Messenger implements it).
type Sender interface {
	// Post posts msg to the target with the delivery key in the post's
	// props and returns the new post's id.
	Post(ctx context.Context, to kim.Target, key string, msg kim.Message) (postID string, err error)
	// FindPost returns the id of the bot's post to the target that carries
	// the delivery key and was created at or after since; "" if there is none.
	FindPost(ctx context.Context, to kim.Target, key string, since time.Time) (postID string, err error)
}

// DeliveryLog is the record of deliveries in Postgres (*store.Store
// implements it). Times passed as now are the Deliverer's clock
// (kim.Clock.NowOrNil): nil lets the database's now() decide.
type DeliveryLog interface {
	// ClaimDelivery claims a delivery for token for lease, or returns
	// store.ErrNotClaimed when it is settled or someone else holds it.
	ClaimDelivery(ctx context.Context, d store.NewDelivery, token string, lease time.Duration, now *time.Time) (store.Claim, error)
	// ClaimDeliveries claims several deliveries in one statement and returns
	// the claims it got by key (settled or held ones are missing).
	ClaimDeliveries(ctx context.Context, ds []store.NewDelivery, token string, lease time.Duration, now *time.Time) (map[string]store.Claim, error)
	// RecordSent records the posts of held claims, with the audit rows of
	// their items, in one statement; by key, false if the claim was lost.
	RecordSent(ctx context.Context, sent []store.Sent, now *time.Time) (map[string]bool, error)
	// MarkFound records a post found for a delivery whose claim may be
	// stale, with the audit rows of the items it showed.
	MarkFound(ctx context.Context, key, postID string, audit []kim.DueItem, now *time.Time) error
	// MarkEmpty settles a held claim with nothing to send.
	MarkEmpty(ctx context.Context, c store.Claim) error
	// ReleaseDelivery gives a failed claim back for a retry after backoff.
	ReleaseDelivery(ctx context.Context, c store.Claim, backoff time.Duration, reason string, now *time.Time) error
	// ExpireDelivery records a delivery as given up unless someone holds it.
	ExpireDelivery(ctx context.Context, d store.NewDelivery, now *time.Time) (bool, error)
	// Delivery returns the record of a key (kim.ENOTFOUND if none).
	Delivery(ctx context.Context, key string, now *time.Time) (store.DeliveryRecord, error)
	// DeliveryStatuses returns the status of each key that has a record.
	DeliveryStatuses(ctx context.Context, keys []string) (map[string]string, error)
	// ExpiredClaims lists claims whose expiry lies at or before at and that
	// nobody holds.
	ExpiredClaims(ctx context.Context, at time.Time, limit int, now *time.Time) ([]store.DeliveryRecord, error)
}

// Locks are the short-lived locks and idempotency keys the reminders keep in
// Redis (*store.Redis implements them).
type Locks interface {
	// TryLock takes a lock for ttl; ok is false when someone else holds it.
	TryLock(ctx context.Context, name string, ttl time.Duration) (l *store.Lock, ok bool, err error)
	// Once records key for ttl and reports whether it was new.
	Once(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Forget removes a key recorded by Once.
	Forget(ctx context.Context, key string) error
}

// Delivery is one message that must reach its target exactly once.
type Delivery struct {
	// Key identifies the delivery forever, e.g. "digest:<user>:<day>" or
	// "agenda-post:<meeting id>"; at most 200 characters. Two deliveries
	// with the same key are the same delivery.
	Key string
	// Kind names the job for the record and metrics, e.g. "agenda-post"
	// (lower case letters, digits and "-").
	Kind string
	// Target is the user (a DM from the bot) or the channel.
	Target kim.Target
	// Day is the calendar day the delivery belongs to.
	Day kim.Date
	// MeetingID optionally links the delivery to a meeting.
	MeetingID int64
	// Expires is when the delivery is given up if it has not been sent by
	// then (recorded as expired); zero means never.
	Expires time.Time
	// Message is what is posted; Build, if set, makes it instead, once the
	// delivery is claimed. An empty message settles the delivery as "empty"
	// without posting anything.
	Message kim.Message
	Build   func(ctx context.Context) (kim.Message, error)
	// OnSent, if set, runs once the post exists (also when an earlier,
	// crashed attempt is found to have posted it); its error is logged.
	OnSent func(ctx context.Context, postID string) error
	// Audit are the due items a digest shows: their cases are audited
	// (store.Sent) in the same statement that records the delivery as sent.
	Audit []kim.DueItem
}

// Outcome is what one Deliver call did.
type Outcome string

// Outcomes of Deliver.
const (
	Sent      Outcome = "sent"      // posted now
	Recovered Outcome = "recovered" // an earlier attempt had posted it; recorded as sent
	Empty     Outcome = "empty"     // nothing to post; recorded
	Settled   Outcome = "settled"   // already sent, empty or expired: nothing done
	Busy      Outcome = "busy"      // another replica holds it, or its retry is not due yet
	Failed    Outcome = "failed"    // not delivered now; retried after a backoff
	Expired   Outcome = "expired"   // its time has passed unsent; given up
)

// Deliverer delivers messages exactly once, across replicas, crashes and
// outages of Mattermost or Redis:
//
//   - Postgres is the record: a reminder_deliveries row per key, claimed
//     with a lease (claimed_until) in one conditional upsert, so only one
//     replica at a time may send it, and a crashed replica's claim runs out.
//   - Redis holds a lock per key for the length of the lease, so replicas
//     rarely even race for the row (Deliver; DeliverAll, which claims many
//     keys in one statement, relies on the Postgres claims alone). When Redis is unreachable the Deliverer
//     goes on with the Postgres claims alone (and retries Redis later).
//   - The post carries the key in its props. Before a delivery that was
//     attempted before is sent again, the target is searched for a post with
//     the key: a crash between posting and recording, or a request that
//     timed out after Mattermost had posted, is recorded as sent instead of
//     posting twice.
//   - A failed attempt releases the claim with a backoff (next_attempt) that
//     doubles from Backoff up to MaxBackoff; a later pass retries it until
//     Expires.
type Deliverer struct {
	Deliveries DeliveryLog
	Locks      Locks // nil: Postgres claims only
	Sender     Sender
	Log        *slog.Logger
	// Clock measures leases, backoffs and Redis outages (nil: kim.SystemClock,
	// whose leases follow the database's clock). The pass's time, which
	// decides expiry, is passed to Deliver and Sweep.
	Clock kim.Clock
	// Lease is how long a claim holds before another replica may take over
	// (default 2 minutes). Sends time out well within it.
	Lease time.Duration
	// Backoff is the wait before the first retry (default 30 s); it doubles
	// per attempt up to MaxBackoff (default 15 minutes).
	Backoff, MaxBackoff time.Duration
	// Replica names this process in claims (default host/pid).
	Replica string
	// Crash, if set, is called at the stages "claimed" and "posted" of every
	// delivery (tests use it to kill the process between posting and
	// recording).
	Crash func(stage, key string)

	redisDownUntil atomic.Int64 // unix nanoseconds; Redis is skipped until then
}

var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)

func (d *Deliverer) lease() time.Duration {
	if d.Lease <= 0 {
		return 2 * time.Minute
	}
	return d.Lease
}

// backoff returns the wait after the given number of failed attempts.
func (d *Deliverer) backoff(attempts int) time.Duration {
	base, max := d.Backoff, d.MaxBackoff
	if base <= 0 {
		base = 30 * time.Second
	}
	if max <= 0 {
		max = 15 * time.Minute
	}
	b := base
	for i := 1; i < attempts && b < max; i++ {
		b *= 2
	}
	if b > max {
		b = max
	}
	return b
}

// sendTimeout bounds one request to Mattermost: half the lease, at most 20 s,
// so that a claim never runs out while its post is on the way.
func (d *Deliverer) sendTimeout() time.Duration {
	t := d.lease() / 2
	if t > 20*time.Second {
		t = 20 * time.Second
	}
	return t
}

func (d *Deliverer) replica() string {
	if d.Replica != "" {
		return d.Replica
	}
	h, _ := os.Hostname()
	return fmt.Sprintf("%s/%d", h, os.Getpid())
}

func token() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (d *Deliverer) clock() kim.Clock { return kim.ClockOr(d.Clock) }

// redisUp reports whether Redis should be tried now.
func (d *Deliverer) redisUp() bool {
	return d.Locks != nil && d.clock().Now().UnixNano() >= d.redisDownUntil.Load()
}

// redisFailed skips Redis for a while after an error.
func (d *Deliverer) redisFailed(err error) {
	now := d.clock().Now()
	if d.redisDownUntil.Swap(now.Add(30*time.Second).UnixNano()) < now.UnixNano() {
		d.Log.Warn("reminders: Redis unreachable, using Postgres claims only", "err", err)
	}
}

// lock takes the Redis lock of a key; busy means another replica holds it.
// Without Redis it always succeeds (Postgres claims still decide).
func (d *Deliverer) lock(ctx context.Context, key string) (unlock func(), busy bool) {
	if !d.redisUp() {
		return func() {}, false
	}
	l, ok, err := d.Locks.TryLock(ctx, "delivery:"+key, d.lease())
	if err != nil {
		d.redisFailed(err)
		return func() {}, false
	}
	if !ok {
		return nil, true
	}
	return func() {
		if err := l.Unlock(context.WithoutCancel(ctx)); err != nil {
			d.redisFailed(err)
		}
	}, false
}

func (d *Deliverer) crash(stage, key string) {
	if d.Crash != nil {
		d.Crash(stage, key)
	}
}

func record(x Delivery) store.NewDelivery {
	return store.NewDelivery{Key: x.Key, Kind: x.Kind, Target: x.Target, MeetingID: x.MeetingID, Day: x.Day, ExpiresAt: x.Expires}
}

// valid reports whether the delivery has a key, a kind and one target.
func (x Delivery) valid() bool {
	return x.Key != "" && len(x.Key) <= 200 && kindPattern.MatchString(x.Kind) && (x.Target.UserID == "") != (x.Target.ChannelID == "")
}

// invalid is the error of a delivery that is not valid.
func (x Delivery) invalid() error {
	return fmt.Errorf("reminders: invalid delivery %q (kind %q, target %s)", x.Key, x.Kind, x.Target)
}

// Deliver sends x once as of now (the pass's time, which decides expiry;
// leases and backoff follow the Deliverer's clock). It returns what it did;
// an error accompanies Failed (and is already recorded for the retry).
func (d *Deliverer) Deliver(ctx context.Context, now time.Time, x Delivery) (Outcome, error) {
	if !x.valid() {
		return Failed, x.invalid()
	}
	if !x.Expires.IsZero() && !now.Before(x.Expires) {
		return d.expire(ctx, record(x), x.OnSent, x.Audit)
	}
	unlock, busy := d.lock(ctx, x.Key)
	if busy {
		return Busy, nil
	}
	defer unlock()
	dl, clock := d.Deliveries, d.clock()
	c, err := dl.ClaimDelivery(ctx, record(x), d.replica()+"/"+token(), d.lease(), clock.NowOrNil())
	if errors.Is(err, store.ErrNotClaimed) {
		rec, err := dl.Delivery(ctx, x.Key, clock.NowOrNil())
		if err == nil && rec.Status == store.DeliveryClaimed {
			return Busy, nil
		}
		return Settled, nil
	}
	if err != nil {
		return Failed, err
	}
	d.crash("claimed", x.Key)
	o, post, err := d.attempt(ctx, x, c)
	if post != "" {
		o = d.recordSent(ctx, []posted{{x: x, c: c, postID: post}})[0]
	}
	return o, err
}

// posted is a delivery posted under a claim and not yet recorded.
type posted struct {
	x      Delivery
	c      store.Claim
	postID string
}

// attempt makes the delivery x under its held claim c: it looks for the post
// of an earlier attempt if the claim is uncertain (recording what it finds),
// builds the message, settles an empty one, or posts it. A new post is
// returned unrecorded (postID set, outcome Sent): the caller records it.
func (d *Deliverer) attempt(ctx context.Context, x Delivery, c store.Claim) (o Outcome, postID string, err error) {
	dl, clock := d.Deliveries, d.clock()
	fail := func(what string, err error) (Outcome, string, error) {
		wait := d.backoff(c.Attempts)
		if rerr := dl.ReleaseDelivery(context.WithoutCancel(ctx), c, wait, what+": "+err.Error(), clock.NowOrNil()); rerr != nil {
			d.Log.Error("reminders: unable to release delivery", "key", x.Key, "err", rerr)
		}
		d.Log.Warn("reminders: delivery failed, will retry", "key", x.Key, "attempt", c.Attempts, "retry_in", wait.String(), "stage", what, "err", err)
		return Failed, "", err
	}
	if c.Uncertain {
		fctx, cancel := context.WithTimeout(ctx, d.sendTimeout())
		postID, err := d.Sender.FindPost(fctx, x.Target, x.Key, c.CreatedAt.Add(-time.Minute))
		cancel()
		if err != nil {
			return fail("look for an earlier post", err)
		}
		if postID != "" {
			d.recordSent(ctx, []posted{{x: x, c: c, postID: postID}})
			d.Log.Info("reminders: earlier attempt had posted; recorded as sent", "key", x.Key, "post", postID)
			return Recovered, "", nil
		}
	}
	msg := x.Message
	if x.Build != nil {
		if msg, err = x.Build(ctx); err != nil {
			return fail("build message", err)
		}
	}
	if msg.Empty() {
		if err := dl.MarkEmpty(ctx, c); err != nil {
			return Failed, "", err
		}
		return Empty, "", nil
	}
	sctx, cancel := context.WithTimeout(ctx, d.sendTimeout())
	postID, err = d.Sender.Post(sctx, x.Target, x.Key, msg)
	cancel()
	if err != nil {
		return fail("post", err)
	}
	d.crash("posted", x.Key)
	return Sent, postID, nil
}

// recordSent records posted deliveries as sent, with their audit rows, in one
// statement, then runs their OnSent; it returns Sent for each. The messages
// are out: from here on nothing may lead to a second post. If recording
// fails, the claims run out and the next attempt finds the posts by their
// keys.
func (d *Deliverer) recordSent(ctx context.Context, ps []posted) []Outcome {
	sent := make([]store.Sent, len(ps))
	for i, p := range ps {
		sent[i] = store.Sent{Claim: p.c, PostID: p.postID, Audit: p.x.Audit}
	}
	held, err := d.Deliveries.RecordSent(context.WithoutCancel(ctx), sent, d.clock().NowOrNil())
	out := make([]Outcome, len(ps))
	for i, p := range ps {
		switch {
		case err != nil:
			d.Log.Error("reminders: posted but unable to record; the next pass will find the post", "key", p.x.Key, "err", err)
		case !held[p.x.Key]:
			d.Log.Warn("reminders: claim was taken over while posting", "key", p.x.Key)
		}
		d.onSent(ctx, p.x.Key, p.x.OnSent, p.postID)
		out[i] = Sent
	}
	return out
}

func (d *Deliverer) onSent(ctx context.Context, key string, f func(context.Context, string) error, postID string) {
	if f == nil {
		return
	}
	if err := f(context.WithoutCancel(ctx), postID); err != nil {
		d.Log.Error("reminders: after-send step failed", "key", key, "err", err)
	}
}

// expire gives a delivery up whose time has passed, unless an earlier
// attempt had posted it after all.
func (d *Deliverer) expire(ctx context.Context, nd store.NewDelivery, onSent func(context.Context, string) error, audit []kim.DueItem) (Outcome, error) {
	dl, now := d.Deliveries, d.clock().NowOrNil()
	rec, err := dl.Delivery(ctx, nd.Key, now)
	switch {
	case kim.ErrorCode(err) == kim.ENOTFOUND:
	case err != nil:
		return Failed, err
	case rec.Status != store.DeliveryClaimed:
		return Settled, nil
	case rec.Held:
		return Busy, nil
	case rec.Attempts > 0:
		fctx, cancel := context.WithTimeout(ctx, d.sendTimeout())
		postID, err := d.Sender.FindPost(fctx, rec.Target, rec.Key, rec.CreatedAt.Add(-time.Minute))
		cancel()
		if err != nil {
			return Failed, err
		}
		if postID != "" {
			if err := dl.MarkFound(ctx, rec.Key, postID, audit, now); err != nil {
				return Failed, err
			}
			d.onSent(ctx, rec.Key, onSent, postID)
			return Recovered, nil
		}
	}
	changed, err := dl.ExpireDelivery(ctx, nd, now)
	if err != nil {
		return Failed, err
	}
	if !changed {
		return Settled, nil
	}
	d.Log.Info("reminders: delivery expired unsent", "key", nd.Key, "kind", nd.Kind)
	return Expired, nil
}

// Sweep gives up claimed deliveries whose expiry has passed at now (after
// looking for a post of an earlier attempt) and returns how many it settled.
func (d *Deliverer) Sweep(ctx context.Context, now time.Time) (map[Outcome]int, error) {
	recs, err := d.Deliveries.ExpiredClaims(ctx, now, 500, d.clock().NowOrNil())
	if err != nil {
		return nil, err
	}
	out := map[Outcome]int{}
	for _, rec := range recs {
		nd := store.NewDelivery{Key: rec.Key, Kind: rec.Kind, Target: rec.Target, MeetingID: rec.MeetingID, Day: rec.Day}
		if rec.ExpiresAt != nil {
			nd.ExpiresAt = *rec.ExpiresAt
		}
		o, err := d.expire(ctx, nd, nil, nil)
		if err != nil {
			d.Log.Warn("reminders: unable to settle expired delivery", "key", rec.Key, "err", err)
		}
		out[o]++
	}
	return out, nil
}
