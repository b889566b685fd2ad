package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Delivery statuses of reminder_deliveries.
const (
	DeliveryClaimed = "claimed" // being delivered, or waiting for a retry
	DeliverySent    = "sent"    // posted; post_id holds the post
	DeliveryEmpty   = "empty"   // decided: nothing to send
	DeliveryExpired = "expired" // given up: its time has passed unsent
)

// DeliveryRecord is a row of reminder_deliveries.
type DeliveryRecord struct {
	Key          string
	Kind         string
	Target       kim.Target
	MeetingID    int64
	Day          kim.Date
	Status       string
	ClaimedBy    string
	ClaimedUntil *time.Time
	// Held reports that the row is claimed and its lease has not run out.
	Held        bool
	Attempts    int
	NextAttempt *time.Time
	PostID      string
	LastError   string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
}

// NewDelivery is what a claim records about a delivery.
type NewDelivery struct {
	Key       string
	Kind      string
	Target    kim.Target
	MeetingID int64
	Day       kim.Date
	ExpiresAt time.Time // zero: never
}

// Claim is a held claim on a delivery.
type Claim struct {
	Key      string
	Token    string
	Attempts int // including this one
	// Uncertain is set when an earlier attempt may have posted (it crashed or
	// failed without knowing the outcome): look for the post before sending.
	Uncertain bool
	CreatedAt time.Time
}

// ErrNotClaimed is returned by ClaimDelivery when the delivery is settled,
// claimed by someone else, or waiting for its next attempt.
var ErrNotClaimed = errors.New("store: delivery not claimable")

// Leases, backoffs and the recorded times of deliveries are measured by the
// clock of the @now parameter (kim.Clock.NowOrNil): nil in production, so
// the database's now() decides and replicas agree; a set time in tests, so
// that a lease runs out when the test says so.
const dbNow = `coalesce(@now::timestamptz, now())`

const deliveryColumns = `key, kind, coalesce(user_id, ''), coalesce(channel_id, ''), coalesce(meeting_id, 0), day, status, claimed_by,
	claimed_until, coalesce(status = 'claimed' AND claimed_until >= ` + dbNow + `, false), attempts, next_attempt,
	coalesce(post_id, ''), coalesce(last_error, ''), created_at, expires_at`

func scanDelivery(r pgx.Row) (DeliveryRecord, error) {
	var d DeliveryRecord
	var day pgtypeDate
	err := r.Scan(&d.Key, &d.Kind, &d.Target.UserID, &d.Target.ChannelID, &d.MeetingID, &day, &d.Status, &d.ClaimedBy,
		&d.ClaimedUntil, &d.Held, &d.Attempts, &d.NextAttempt, &d.PostID, &d.LastError, &d.CreatedAt, &d.ExpiresAt)
	d.Day = kim.DateOf(day.Time)
	return d, err
}

func nullIf[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// deliveryArgs are the named parameters of a new delivery row.
func deliveryArgs(d NewDelivery, now *time.Time) pgx.NamedArgs {
	return pgx.NamedArgs{"key": d.Key, "kind": d.Kind, "user": nullIf(d.Target.UserID), "channel": nullIf(d.Target.ChannelID),
		"meeting": nullIf(d.MeetingID), "day": d.Day.UTC(), "expires": nullIf(d.ExpiresAt), "now": now}
}

// ClaimDelivery claims the delivery for token for lease: it records the row on
// first use, or takes over a claimed row whose lease has run out and whose
// next attempt is due. It returns ErrNotClaimed when the delivery is settled
// (sent, empty, expired) or someone else holds it. now is the clock of the
// lease and backoff (nil: the database's now()).
func (s *Store) ClaimDelivery(ctx context.Context, d NewDelivery, token string, lease time.Duration, now *time.Time) (Claim, error) {
	c := Claim{Key: d.Key, Token: token}
	args := deliveryArgs(d, now)
	args["token"], args["lease"] = token, lease.Milliseconds()
	err := s.pool.QueryRow(ctx, `
		INSERT INTO reminder_deliveries AS r (key, kind, user_id, channel_id, meeting_id, day, status, claimed_by, claimed_until, attempts,
			expires_at, created_at)
		VALUES (@key, @kind, @user, @channel, @meeting, @day, 'claimed', @token, `+dbNow+` + @lease * interval '1 millisecond', 1,
			@expires, `+dbNow+`)
		ON CONFLICT (key) DO UPDATE SET claimed_by = @token, claimed_until = `+dbNow+` + @lease * interval '1 millisecond',
			attempts = r.attempts + 1
		WHERE r.status = 'claimed' AND (r.claimed_until IS NULL OR r.claimed_until < `+dbNow+`)
			AND (r.next_attempt IS NULL OR r.next_attempt <= `+dbNow+`)
		RETURNING r.attempts, r.created_at`, args).Scan(&c.Attempts, &c.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, ErrNotClaimed
	}
	if err != nil {
		return c, fmt.Errorf("store: unable to claim delivery: %w", err)
	}
	// Every attempt before this one may have reached Mattermost: a crash
	// leaves the lease set, and a timed-out request may still have posted.
	c.Uncertain = c.Attempts > 1
	return c, nil
}

// MarkDelivered records the post of a claimed delivery (status sent, at now;
// nil: the database's now()); it reports false when the claim was lost and
// someone else settled it.
func (s *Store) MarkDelivered(ctx context.Context, c Claim, postID string, now *time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `
		UPDATE reminder_deliveries SET status = 'sent', post_id = @post, sent_at = `+dbNow+`, claimed_until = NULL, next_attempt = NULL,
			last_error = NULL
		WHERE key = @key AND status = 'claimed' AND claimed_by = @token`,
		pgx.NamedArgs{"key": c.Key, "token": c.Token, "post": postID, "now": now})
	if err != nil {
		return false, fmt.Errorf("store: unable to mark delivery sent: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// MarkFound records a post found for a delivery whose claim may be stale
// (crash recovery): status sent, whatever the claim.
func (s *Store) MarkFound(ctx context.Context, key, postID string, now *time.Time) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE reminder_deliveries SET status = 'sent', post_id = @post, sent_at = `+dbNow+`, claimed_until = NULL, next_attempt = NULL
		WHERE key = @key AND status IN ('claimed', 'expired')`, pgx.NamedArgs{"key": key, "post": postID, "now": now})
	if err != nil {
		return fmt.Errorf("store: unable to mark delivery found: %w", err)
	}
	return nil
}

// MarkEmpty settles a claimed delivery with nothing to send.
func (s *Store) MarkEmpty(ctx context.Context, c Claim) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE reminder_deliveries SET status = 'empty', claimed_until = NULL, next_attempt = NULL
		WHERE key = @key AND status = 'claimed' AND claimed_by = @token`, pgx.NamedArgs{"key": c.Key, "token": c.Token})
	if err != nil {
		return fmt.Errorf("store: unable to mark delivery empty: %w", err)
	}
	return nil
}

// ReleaseDelivery gives a failed claim back for a retry after backoff from
// now (nil: the database's now()) and records the error (no content, only
// what failed).
func (s *Store) ReleaseDelivery(ctx context.Context, c Claim, backoff time.Duration, reason string, now *time.Time) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	_, err := s.pool.Exec(ctx, `
		UPDATE reminder_deliveries SET claimed_until = NULL, next_attempt = `+dbNow+` + @backoff * interval '1 millisecond', last_error = @reason
		WHERE key = @key AND status = 'claimed' AND claimed_by = @token`,
		pgx.NamedArgs{"key": c.Key, "token": c.Token, "backoff": backoff.Milliseconds(), "reason": reason, "now": now})
	if err != nil {
		return fmt.Errorf("store: unable to release delivery: %w", err)
	}
	return nil
}

// ExpireDelivery records that a delivery was given up: a new row, or a
// claimed one that nobody holds at now (nil: the database's now()). It
// reports whether it changed anything.
func (s *Store) ExpireDelivery(ctx context.Context, d NewDelivery, now *time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO reminder_deliveries AS r (key, kind, user_id, channel_id, meeting_id, day, status, expires_at, created_at)
		VALUES (@key, @kind, @user, @channel, @meeting, @day, 'expired', @expires, `+dbNow+`)
		ON CONFLICT (key) DO UPDATE SET status = 'expired', claimed_until = NULL
		WHERE r.status = 'claimed' AND (r.claimed_until IS NULL OR r.claimed_until < `+dbNow+`)`, deliveryArgs(d, now))
	if err != nil {
		return false, fmt.Errorf("store: unable to expire delivery: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Delivery returns the record of a delivery key, Held as of now (nil: the
// database's now()); kim.ErrNotFound if there is none.
func (s *Store) Delivery(ctx context.Context, key string, now *time.Time) (DeliveryRecord, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, `SELECT `+deliveryColumns+` FROM reminder_deliveries WHERE key = @key`,
		pgx.NamedArgs{"key": key, "now": now}))
	return d, notFound(err)
}

// DeliveryStatuses returns the status of each of the keys that has a record.
func (s *Store) DeliveryStatuses(ctx context.Context, keys []string) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, status FROM reminder_deliveries WHERE key = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read deliveries: %w", err)
	}
	defer rows.Close()
	out := make(map[string]string, len(keys))
	for rows.Next() {
		var k, st string
		if err := rows.Scan(&k, &st); err != nil {
			return nil, err
		}
		out[k] = st
	}
	return out, rows.Err()
}

// ExpiredClaims returns claimed deliveries whose expiry lies at or before
// the pass time at and that nobody holds at now (nil: the database's now()),
// oldest first, at most limit.
func (s *Store) ExpiredClaims(ctx context.Context, at time.Time, limit int, now *time.Time) ([]DeliveryRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+deliveryColumns+` FROM reminder_deliveries
		WHERE status = 'claimed' AND expires_at <= @at AND (claimed_until IS NULL OR claimed_until < `+dbNow+`)
		ORDER BY expires_at LIMIT @limit`, pgx.NamedArgs{"at": at, "limit": limit, "now": now})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read expired deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeliveryRecord, error) { return scanDelivery(r) })
}
