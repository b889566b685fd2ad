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
	Attempts     int
	NextAttempt  *time.Time
	PostID       string
	LastError    string
	CreatedAt    time.Time
	ExpiresAt    *time.Time
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

const deliveryColumns = `key, kind, coalesce(user_id, ''), coalesce(channel_id, ''), coalesce(meeting_id, 0), day, status, claimed_by,
	claimed_until, attempts, next_attempt, coalesce(post_id, ''), coalesce(last_error, ''), created_at, expires_at`

func scanDelivery(r pgx.Row) (DeliveryRecord, error) {
	var d DeliveryRecord
	var day pgtypeDate
	err := r.Scan(&d.Key, &d.Kind, &d.Target.UserID, &d.Target.ChannelID, &d.MeetingID, &day, &d.Status, &d.ClaimedBy,
		&d.ClaimedUntil, &d.Attempts, &d.NextAttempt, &d.PostID, &d.LastError, &d.CreatedAt, &d.ExpiresAt)
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

// ClaimDelivery claims the delivery for token for lease: it records the row on
// first use, or takes over a claimed row whose lease has run out and whose
// next attempt is due. It returns ErrNotClaimed when the delivery is settled
// (sent, empty, expired) or someone else holds it. The lease and backoff use
// the database's clock, so replicas agree on them.
func (s *Store) ClaimDelivery(ctx context.Context, d NewDelivery, token string, lease time.Duration) (Claim, error) {
	c := Claim{Key: d.Key, Token: token}
	var expires any
	if !d.ExpiresAt.IsZero() {
		expires = d.ExpiresAt
	}
	err := s.pool.QueryRow(ctx, `
		INSERT INTO reminder_deliveries AS r (key, kind, user_id, channel_id, meeting_id, day, status, claimed_by, claimed_until, attempts, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'claimed', $7, now() + $8 * interval '1 millisecond', 1, $9)
		ON CONFLICT (key) DO UPDATE SET claimed_by = $7, claimed_until = now() + $8 * interval '1 millisecond', attempts = r.attempts + 1
		WHERE r.status = 'claimed' AND (r.claimed_until IS NULL OR r.claimed_until < now())
			AND (r.next_attempt IS NULL OR r.next_attempt <= now())
		RETURNING r.attempts, r.created_at`,
		d.Key, d.Kind, nullIf(d.Target.UserID), nullIf(d.Target.ChannelID), nullIf(d.MeetingID), d.Day.UTC(), token,
		lease.Milliseconds(), expires).Scan(&c.Attempts, &c.CreatedAt)
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

// MarkDelivered records the post of a claimed delivery (status sent); it
// reports false when the claim was lost and someone else settled it.
func (s *Store) MarkDelivered(ctx context.Context, c Claim, postID string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `
		UPDATE reminder_deliveries SET status = 'sent', post_id = $3, sent_at = now(), claimed_until = NULL, next_attempt = NULL, last_error = NULL
		WHERE key = $1 AND status = 'claimed' AND claimed_by = $2`, c.Key, c.Token, postID)
	if err != nil {
		return false, fmt.Errorf("store: unable to mark delivery sent: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// MarkFound records a post found for a delivery whose claim may be stale
// (crash recovery): status sent, whatever the claim.
func (s *Store) MarkFound(ctx context.Context, key, postID string) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE reminder_deliveries SET status = 'sent', post_id = $2, sent_at = now(), claimed_until = NULL, next_attempt = NULL
		WHERE key = $1 AND status IN ('claimed', 'expired')`, key, postID)
	if err != nil {
		return fmt.Errorf("store: unable to mark delivery found: %w", err)
	}
	return nil
}

// MarkEmpty settles a claimed delivery with nothing to send.
func (s *Store) MarkEmpty(ctx context.Context, c Claim) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE reminder_deliveries SET status = 'empty', claimed_until = NULL, next_attempt = NULL
		WHERE key = $1 AND status = 'claimed' AND claimed_by = $2`, c.Key, c.Token)
	if err != nil {
		return fmt.Errorf("store: unable to mark delivery empty: %w", err)
	}
	return nil
}

// ReleaseDelivery gives a failed claim back for a retry after backoff and
// records the error (no content, only what failed).
func (s *Store) ReleaseDelivery(ctx context.Context, c Claim, backoff time.Duration, reason string) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	_, err := s.pool.Exec(ctx, `
		UPDATE reminder_deliveries SET claimed_until = NULL, next_attempt = now() + $3 * interval '1 millisecond', last_error = $4
		WHERE key = $1 AND status = 'claimed' AND claimed_by = $2`, c.Key, c.Token, backoff.Milliseconds(), reason)
	if err != nil {
		return fmt.Errorf("store: unable to release delivery: %w", err)
	}
	return nil
}

// ExpireDelivery records that a delivery was given up: a new row, or a
// claimed one that nobody holds now. It reports whether it changed anything.
func (s *Store) ExpireDelivery(ctx context.Context, d NewDelivery) (bool, error) {
	var expires any
	if !d.ExpiresAt.IsZero() {
		expires = d.ExpiresAt
	}
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO reminder_deliveries AS r (key, kind, user_id, channel_id, meeting_id, day, status, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'expired', $7)
		ON CONFLICT (key) DO UPDATE SET status = 'expired', claimed_until = NULL
		WHERE r.status = 'claimed' AND (r.claimed_until IS NULL OR r.claimed_until < now())`,
		d.Key, d.Kind, nullIf(d.Target.UserID), nullIf(d.Target.ChannelID), nullIf(d.MeetingID), d.Day.UTC(), expires)
	if err != nil {
		return false, fmt.Errorf("store: unable to expire delivery: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Delivery returns the record of a delivery key; kim.ErrNotFound if there is none.
func (s *Store) Delivery(ctx context.Context, key string) (DeliveryRecord, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, `SELECT `+deliveryColumns+` FROM reminder_deliveries WHERE key = $1`, key))
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
// now and that nobody holds, oldest first, at most limit.
func (s *Store) ExpiredClaims(ctx context.Context, now time.Time, limit int) ([]DeliveryRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+deliveryColumns+` FROM reminder_deliveries
		WHERE status = 'claimed' AND expires_at <= $1 AND (claimed_until IS NULL OR claimed_until < now())
		ORDER BY expires_at LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read expired deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeliveryRecord, error) { return scanDelivery(r) })
}
