package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// callerQuery brings the users row up to date with a Mattermost profile —
// writing it only when something differs, so the common case is a read —
// and returns kimbot's own settings of the user, their role and
// organisation in the team, and whether the row was written. The outer
// SELECT sees the row as it was before the statement; a new row comes from
// the RETURNING of the insert. A row that already matches is not even
// tried for an insert: INSERT … ON CONFLICT DO UPDATE … WHERE locks the
// conflicting row (a write to its page and the WAL) also when the WHERE
// leaves it as it is.
const callerQuery = `
	WITH p AS (SELECT @id::text AS id, @username::text AS username, @locale::text AS locale,
			@timezone::text AS timezone, @sysadmin::boolean AS sysadmin),
	up AS (
		INSERT INTO users (id, username, locale, timezone, sysadmin)
		SELECT id, username, locale, timezone, sysadmin FROM p
		WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.id
			AND (u.username, u.locale, u.timezone, u.sysadmin) IS NOT DISTINCT FROM (p.username, p.locale, p.timezone, p.sysadmin))
		ON CONFLICT (id) DO UPDATE SET username = excluded.username, locale = excluded.locale,
			timezone = excluded.timezone, sysadmin = excluded.sysadmin, updated_at = now()
		WHERE (users.username, users.locale, users.timezone, users.sysadmin)
			IS DISTINCT FROM (excluded.username, excluded.locale, excluded.timezone, excluded.sysadmin)
		RETURNING lang, to_char(digest_time, 'HH24:MI') AS digest
	)
	SELECT CASE WHEN u.id IS NULL THEN (SELECT lang FROM up) ELSE u.lang END,
		CASE WHEN u.id IS NULL THEN (SELECT digest FROM up) ELSE to_char(u.digest_time, 'HH24:MI') END,
		m.role, o.name, EXISTS (SELECT 1 FROM up)
	FROM p LEFT JOIN users u ON u.id = p.id
	LEFT JOIN memberships m ON m.team_id = @team AND m.user_id = p.id
	LEFT JOIN organisations o ON o.id = m.organisation_id`

func callerArgs(teamID string, u kim.User) pgx.StrictNamedArgs {
	return pgx.StrictNamedArgs{"id": u.ID, "username": u.Username, "locale": u.Locale, "timezone": u.TimeZone,
		"sysadmin": u.SysAdmin, "team": teamID}
}

// scanCaller fills c from a row of callerQuery (without calling Check).
func scanCaller(row pgx.Row, teamID string, c *kim.Caller) error {
	var lang, digest, role, org *string
	if err := row.Scan(&lang, &digest, &role, &org, &c.Changed); err != nil {
		return fmt.Errorf("store: unable to resolve caller: %w", err)
	}
	c.User = c.Profile
	c.User.Lang, c.User.DigestTime = deref(lang), deref(digest)
	c.Member = kim.Member{TeamID: teamID, UserID: c.Profile.ID, Username: c.Profile.Username,
		Role: kim.Role(deref(role)), Organisation: deref(org)}
	c.Resolved = true
	return nil
}

// check runs the caller's Check once it is resolved.
func check(c *kim.Caller) error {
	if c.Check == nil {
		return nil
	}
	return c.Check(c.User, c.Member)
}

// ResolveCaller resolves a pending caller on its own, in one statement, and
// runs its Check (see kim.Caller). A resolved caller is left as it is.
func (s *Store) ResolveCaller(ctx context.Context, teamID string, c *kim.Caller) error {
	if !c.Pending() {
		return nil
	}
	q, args, err := positional(callerQuery, callerArgs(teamID, c.Profile))
	if err != nil {
		return err
	}
	if err := scanCaller(s.pool.QueryRow(ctx, q, args...), teamID, c); err != nil {
		return err
	}
	return check(c)
}

// pendingCaller is the resolution of an actor's pending caller queued as a
// query of a batch: the store call that sends the batch reads it with the
// rest and calls done once the batch is closed.
type pendingCaller struct {
	c      *kim.Caller
	teamID string
	err    error
}

// queueCaller queues the resolution of a's caller into b if it is pending;
// it returns nil otherwise. It must be the first query of b (after a begin).
func queueCaller(b *pgx.Batch, a kim.Actor) *pendingCaller {
	if !a.Caller.Pending() {
		return nil
	}
	p := &pendingCaller{c: a.Caller, teamID: a.TeamID}
	queue(b, callerQuery, callerArgs(a.TeamID, a.Caller.Profile)).QueryRow(func(row pgx.Row) error {
		p.err = scanCaller(row, a.TeamID, a.Caller)
		return nil // an error returned here would drop the batch's prepared statements
	})
	return p
}

// done returns the error of resolving, or of the caller's Check; nil for a
// caller that was not pending.
func (p *pendingCaller) done() error {
	if p == nil {
		return nil
	}
	if p.err != nil {
		return p.err
	}
	return check(p.c)
}
