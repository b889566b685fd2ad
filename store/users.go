package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// SyncUser records what Mattermost says of a user (name, locale, time zone,
// system admin) — writing the row only when something changed — and returns
// the user with kimbot's own settings.
func (s *Store) SyncUser(ctx context.Context, u kim.User) (kim.User, error) {
	c := &kim.Caller{Profile: u}
	if err := s.ResolveCaller(ctx, "", c); err != nil {
		return u, fmt.Errorf("store: unable to save user: %w", err)
	}
	return c.User, nil
}

// User returns a known user; kim.ErrNotFound otherwise.
func (s *Store) User(ctx context.Context, id string) (kim.User, error) {
	u := kim.User{ID: id}
	var lang, digest *string
	err := s.pool.QueryRow(ctx, `SELECT username, locale, lang, timezone, to_char(digest_time, 'HH24:MI'), sysadmin FROM users WHERE id = $1`, id).
		Scan(&u.Username, &u.Locale, &lang, &u.TimeZone, &digest, &u.SysAdmin)
	u.Lang, u.DigestTime = deref(lang), deref(digest)
	return u, notFound(err)
}

// SetLanguage stores the user's language choice ("" follows the locale).
func (s *Store) SetLanguage(ctx context.Context, userID, lang string) error {
	_, err := s.pool.Exec(ctx, `UPDATE users SET lang = nullif($2, '') WHERE id = $1`, userID, lang)
	if err != nil {
		return fmt.Errorf("store: unable to save language: %w", err)
	}
	return nil
}

// SetDigestTime stores the daily digest time "HH:MM"; "" turns it off.
func (s *Store) SetDigestTime(ctx context.Context, userID, hhmm string) error {
	_, err := s.pool.Exec(ctx, `UPDATE users SET digest_time = nullif($2, '')::time WHERE id = $1`, userID, hhmm)
	if err != nil {
		return fmt.Errorf("store: unable to save digest time: %w", err)
	}
	return nil
}

// Member returns the user's role in a team (RoleNone when they have none).
func (s *Store) Member(ctx context.Context, teamID, userID string) (kim.Member, error) {
	m := kim.Member{TeamID: teamID, UserID: userID}
	var role, org *string
	err := s.pool.QueryRow(ctx, `
		SELECT u.username, m.role, o.name FROM users u
		LEFT JOIN memberships m ON m.user_id = u.id AND m.team_id = $1
		LEFT JOIN organisations o ON o.id = m.organisation_id
		WHERE u.id = $2`, teamID, userID).Scan(&m.Username, &role, &org)
	if err == pgx.ErrNoRows {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("store: unable to read role: %w", err)
	}
	m.Role, m.Organisation = kim.Role(deref(role)), deref(org)
	return m, nil
}

// SetRole grants a role in a team (with an optional organisation, created on
// first use) or, for kim.RoleNone, removes the user's role. It applies no
// rule: /kim admin role goes through ChangeRole (store/staff.go).
func (s *Store) SetRole(ctx context.Context, teamID, userID string, role kim.Role, org, grantedBy string) error {
	err := s.tx(ctx, func(tx pgx.Tx) error { return setRole(ctx, tx, teamID, userID, role, org, grantedBy) })
	if err != nil {
		return fmt.Errorf("store: unable to save role: %w", err)
	}
	return nil
}

// setRole is SetRole inside tx.
func setRole(ctx context.Context, tx pgx.Tx, teamID, userID string, role kim.Role, org, grantedBy string) error {
	if role == kim.RoleNone {
		_, err := tx.Exec(ctx, `DELETE FROM memberships WHERE team_id = $1 AND user_id = $2`, teamID, userID)
		return err
	}
	var orgID *int64
	if org != "" {
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO organisations (team_id, name) VALUES ($1, $2)
			ON CONFLICT (team_id, name) DO UPDATE SET name = excluded.name RETURNING id`, teamID, org).Scan(&id); err != nil {
			return err
		}
		orgID = &id
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO memberships (team_id, user_id, role, organisation_id, granted_by) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (team_id, user_id) DO UPDATE SET role = $3, organisation_id = coalesce($4, memberships.organisation_id),
			granted_by = $5, granted_at = now()`, teamID, userID, string(role), orgID, grantedBy)
	return err
}

// Admins returns the usernames of the team's kimbot admins (for "ask …").
func (s *Store) Admins(ctx context.Context, teamID string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.team_id = $1 AND m.role = 'admin' ORDER BY u.username LIMIT 5`, teamID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read admins: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
