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
	claims, err := s.ClaimDeliveries(ctx, []NewDelivery{d}, token, lease, now)
	if err != nil {
		return Claim{Key: d.Key, Token: token}, err
	}
	c, ok := claims[d.Key]
	if !ok {
		return Claim{Key: d.Key, Token: token}, ErrNotClaimed
	}
	return c, nil
}

// ClaimDeliveries claims each of the deliveries as ClaimDelivery does, all in
// one statement (rows locked in the order of their keys, so that replicas
// claiming the same keys at once wait for each other rather than deadlock),
// and returns the claims it got by key; a delivery that is settled or held by
// someone else is missing. A key given twice is claimed once.
func (s *Store) ClaimDeliveries(ctx context.Context, ds []NewDelivery, token string, lease time.Duration, now *time.Time) (map[string]Claim, error) {
	n := len(ds)
	keys, kinds, users, channels := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	meetings, days, expires := make([]int64, 0, n), make([]time.Time, 0, n), make([]*time.Time, 0, n)
	seen := make(map[string]bool, n)
	for _, d := range ds {
		if seen[d.Key] {
			continue
		}
		seen[d.Key] = true
		keys, kinds, users, channels = append(keys, d.Key), append(kinds, d.Kind), append(users, d.Target.UserID), append(channels, d.Target.ChannelID)
		meetings, days = append(meetings, d.MeetingID), append(days, d.Day.UTC())
		var exp *time.Time
		if !d.ExpiresAt.IsZero() {
			exp = &d.ExpiresAt
		}
		expires = append(expires, exp)
	}
	out := make(map[string]Claim, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `
		INSERT INTO reminder_deliveries AS r (key, kind, user_id, channel_id, meeting_id, day, status, claimed_by, claimed_until, attempts,
			expires_at, created_at)
		SELECT key, kind, nullif(u, ''), nullif(ch, ''), nullif(m, 0), day, 'claimed', @token,
			`+dbNow+` + @lease * interval '1 millisecond', 1, exp, `+dbNow+`
		FROM unnest(@keys::text[], @kinds::text[], @users::text[], @channels::text[], @meetings::bigint[], @days::date[],
			@expires::timestamptz[]) AS x(key, kind, u, ch, m, day, exp)
		ORDER BY key
		ON CONFLICT (key) DO UPDATE SET claimed_by = @token, claimed_until = `+dbNow+` + @lease * interval '1 millisecond',
			attempts = r.attempts + 1
		WHERE r.status = 'claimed' AND (r.claimed_until IS NULL OR r.claimed_until < `+dbNow+`)
			AND (r.next_attempt IS NULL OR r.next_attempt <= `+dbNow+`)
		RETURNING r.key, r.attempts, r.created_at`,
		pgx.NamedArgs{"keys": keys, "kinds": kinds, "users": users, "channels": channels, "meetings": meetings, "days": days,
			"expires": expires, "token": token, "lease": lease.Milliseconds(), "now": now})
	if err != nil {
		return nil, fmt.Errorf("store: unable to claim deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c := Claim{Token: token}
		if err := rows.Scan(&c.Key, &c.Attempts, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: unable to claim deliveries: %w", err)
		}
		// Every attempt before this one may have reached Mattermost: a crash
		// leaves the lease set, and a timed-out request may still have posted.
		c.Uncertain = c.Attempts > 1
		out[c.Key] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to claim deliveries: %w", err)
	}
	return out, nil
}

// Sent is a posted delivery to record: its claim, the post, and the due
// items the post showed (a digest), whose cases are audited with it.
type Sent struct {
	Claim  Claim
	PostID string
	// Audit are the due items of a digest: one audit row reminder.digest
	// per team and recipient naming their cases (as AuditDigest writes it),
	// written in the same statement as the record, and only if the claim
	// was still held.
	Audit []kim.DueItem
}

// MarkDelivered records the post of a claimed delivery (status sent, at now;
// nil: the database's now()); it reports false when the claim was lost and
// someone else settled it.
func (s *Store) MarkDelivered(ctx context.Context, c Claim, postID string, now *time.Time) (bool, error) {
	held, err := s.RecordSent(ctx, []Sent{{Claim: c, PostID: postID}}, now)
	return held[c.Key], err
}

// RecordSent records posted deliveries as MarkDelivered does, with the audit
// rows of their items, all in one statement (one commit). It returns, by key,
// whether the claim was still held (and so recorded); a delivery whose claim
// was lost writes neither record nor audit row. The rows are locked in key
// order, the order ClaimDeliveries takes them in: another replica's claim of
// an overlapping batch waits instead of deadlocking with the record.
func (s *Store) RecordSent(ctx context.Context, sent []Sent, now *time.Time) (map[string]bool, error) {
	keys, tokens, posts := make([]string, len(sent)), make([]string, len(sent)), make([]string, len(sent))
	for i, x := range sent {
		keys[i], tokens[i], posts[i] = x.Claim.Key, x.Claim.Token, x.PostID
	}
	out := make(map[string]bool, len(sent))
	if len(sent) == 0 {
		return out, nil
	}
	args := auditArrays(sent)
	args["keys"], args["tokens"], args["posts"], args["now"] = keys, tokens, posts, now
	rows, err := s.pool.Query(ctx, `
		WITH held AS (
			SELECT r.key, x.post
			FROM reminder_deliveries r JOIN unnest(@keys::text[], @tokens::text[], @posts::text[]) AS x(key, token, post)
				ON r.key = x.key
			WHERE r.status = 'claimed' AND r.claimed_by = x.token
			ORDER BY r.key
			FOR UPDATE OF r
		), done AS (
			UPDATE reminder_deliveries r SET status = 'sent', post_id = h.post, sent_at = `+dbNow+`, claimed_until = NULL,
				next_attempt = NULL, last_error = NULL
			FROM held h
			WHERE r.key = h.key
			RETURNING r.key
		), audit AS (`+auditSent+`
		)
		SELECT key FROM done`, args)
	if err != nil {
		return nil, fmt.Errorf("store: unable to mark deliveries sent: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("store: unable to mark deliveries sent: %w", err)
		}
		out[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to mark deliveries sent: %w", err)
	}
	return out, nil
}

// MarkFound records a post found for a delivery whose claim may be stale
// (crash recovery): status sent, whatever the claim, with the audit rows of
// the due items the post showed (see Sent.Audit) if it changed the record.
func (s *Store) MarkFound(ctx context.Context, key, postID string, audit []kim.DueItem, now *time.Time) error {
	a := auditArrays([]Sent{{Claim: Claim{Key: key}, Audit: audit}})
	a["key"], a["post"], a["now"] = key, postID, now
	_, err := s.pool.Exec(ctx, `
		WITH done AS (
			UPDATE reminder_deliveries SET status = 'sent', post_id = @post, sent_at = `+dbNow+`, claimed_until = NULL, next_attempt = NULL
			WHERE key = @key AND status IN ('claimed', 'expired')
			RETURNING key
		)`+auditSent, a)
	if err != nil {
		return fmt.Errorf("store: unable to mark delivery found: %w", err)
	}
	return nil
}

// auditSent is the statement part that writes the audit rows of the
// deliveries the CTE done returned (their keys), from auditArrays.
const auditSent = `
	INSERT INTO audit_log (team_id, actor_id, action, case_ids)
	SELECT t, a, 'reminder.digest', array_agg(DISTINCT c ORDER BY c)
	FROM unnest(@akeys::text[], @ateams::text[], @aactors::text[], @acases::bigint[]) AS y(key, t, a, c)
	WHERE y.key IN (SELECT key FROM done)
	GROUP BY y.key, t, a ORDER BY y.key, t, a`

// auditArrays are the parameters of auditSent: one element per case of an
// item of a delivery.
func auditArrays(sent []Sent) pgx.NamedArgs {
	var keys, teams, actors []string
	var cases []int64
	for _, x := range sent {
		for _, it := range x.Audit {
			if it.CaseID != 0 {
				keys, teams, actors, cases = append(keys, x.Claim.Key), append(teams, it.TeamID), append(actors, it.RecipientID), append(cases, it.CaseID)
			}
		}
	}
	return pgx.NamedArgs{"akeys": keys, "ateams": teams, "aactors": actors, "acases": cases}
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
