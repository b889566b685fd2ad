package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// SetAbsence records that the actor is away from..to with a deputy, who must
// be another coach of the team; it refuses an overlap with a recorded absence.
func (s *Store) SetAbsence(ctx context.Context, a kim.Actor, from, to kim.Date, deputyID string) (kim.Absence, error) {
	ab := kim.Absence{From: from, To: to, DeputyID: deputyID}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if deputyID == a.UserID {
			return kim.Errorf(kim.EINVALID, "away.self", map[string]any{"Field": "deputy"})
		}
		var err error
		if ab.DeputyName, err = deputyName(ctx, tx, a.TeamID, deputyID); err != nil {
			return err
		}
		if err := lockAbsences(ctx, tx, a); err != nil {
			return err
		}
		if err := overlap(ctx, tx, a, ab, "away.overlap"); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO absences (team_id, user_id, deputy_id, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			a.TeamID, a.UserID, deputyID, from.UTC(), to.UTC()).Scan(&ab.ID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "absence.set", 0, "")
	})
	return ab, wrap("unable to record absence", err)
}

// deputyName returns the username of the deputy, who must be a coach of the
// team (EINVALID otherwise). FOR SHARE: a role change of the deputy
// (store/staff.go) waits, or is waited for and seen.
func deputyName(ctx context.Context, tx pgx.Tx, teamID, deputyID string) (string, error) {
	var name string
	err := tx.QueryRow(ctx, `SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.team_id = $1 AND m.user_id = $2 AND m.role = 'coach' FOR SHARE OF m`, teamID, deputyID).Scan(&name)
	if err == pgx.ErrNoRows {
		return "", kim.Errorf(kim.EINVALID, "away.deputy_not_coach", map[string]any{"Field": "deputy"})
	}
	return name, err
}

// lockAbsences serialises the actor's absence changes.
func lockAbsences(ctx context.Context, tx pgx.Tx, a kim.Actor) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('absence:' || $1 || ':' || $2))`, a.TeamID, a.UserID)
	return err
}

// overlap refuses ab (key) when another absence of the actor overlaps it
// (ab.ID 0: a new one, overlapping any).
func overlap(ctx context.Context, tx pgx.Tx, a kim.Actor, ab kim.Absence, key string) error {
	var s1, e1 pgtypeDate
	err := tx.QueryRow(ctx, `SELECT starts_on, ends_on FROM absences WHERE team_id = $1 AND user_id = $2 AND id <> $5
		AND starts_on <= $4 AND ends_on >= $3 ORDER BY starts_on LIMIT 1`, a.TeamID, a.UserID, ab.From.UTC(), ab.To.UTC(), ab.ID).Scan(&s1, &e1)
	if err == nil {
		return kim.Errorf(kim.ECONFLICT, key, map[string]any{"From": kim.DateOf(s1.Time), "To": kim.DateOf(e1.Time)})
	}
	if err != pgx.ErrNoRows {
		return err
	}
	return nil
}

// AbsenceChange is a correction of an absence; nil fields and "" stay.
type AbsenceChange struct {
	From, To *kim.Date
	DeputyID string
}

// EditAbsence changes the actor's current absence, or the next planned one
// when none is current: its end (from today on), its start (while it has
// not begun, from today on) or its deputy (another coach of the team), and
// returns it as it is then. An end before the start, an overlap with
// another absence or more than maxDays days are refused; no absence is
// ENOTFOUND.
func (s *Store) EditAbsence(ctx context.Context, a kim.Actor, ch AbsenceChange, maxDays int) (kim.Absence, error) {
	var ab kim.Absence
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockAbsences(ctx, tx, a); err != nil {
			return err
		}
		var f, t pgtypeDate
		err := tx.QueryRow(ctx, `SELECT id, starts_on, ends_on, deputy_id FROM absences WHERE team_id = $1 AND user_id = $2 AND ends_on >= $3
			ORDER BY starts_on LIMIT 1 FOR UPDATE`, a.TeamID, a.UserID, a.Today.UTC()).Scan(&ab.ID, &f, &t, &ab.DeputyID)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ENOTFOUND, "away.none_to_edit", nil)
		}
		if err != nil {
			return err
		}
		ab.From, ab.To = kim.DateOf(f.Time), kim.DateOf(t.Time)
		if ch.From != nil && *ch.From != ab.From {
			if !ab.From.After(a.Today) {
				return kim.Errorf(kim.ECONFLICT, "away.begun", map[string]any{"From": ab.From, "Field": "from"})
			}
			if ch.From.Before(a.Today) {
				return kim.Errorf(kim.EINVALID, "away.from_past", map[string]any{"Field": "from"})
			}
			ab.From = *ch.From
		}
		if ch.To != nil {
			if ch.To.Before(a.Today) {
				return kim.Errorf(kim.EINVALID, "away.to_past", map[string]any{"Field": "to"})
			}
			ab.To = *ch.To
		}
		switch {
		case ab.To.Before(ab.From):
			return kim.Errorf(kim.EINVALID, "away.to_before_from", map[string]any{"Field": "to"})
		case ab.From.DaysUntil(ab.To) >= maxDays:
			return kim.Errorf(kim.EINVALID, "away.too_long", map[string]any{"Max": maxDays, "Field": "to"})
		}
		if ch.DeputyID != "" {
			if ch.DeputyID == a.UserID {
				return kim.Errorf(kim.EINVALID, "away.self", map[string]any{"Field": "deputy"})
			}
			ab.DeputyID = ch.DeputyID
		}
		if ab.DeputyName, err = deputyName(ctx, tx, a.TeamID, ab.DeputyID); err != nil {
			return err
		}
		if err := overlap(ctx, tx, a, ab, "away.overlap_other"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE absences SET starts_on = $2, ends_on = $3, deputy_id = $4 WHERE id = $1`,
			ab.ID, ab.From.UTC(), ab.To.UTC(), ab.DeputyID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "absence.edit", 0, "")
	})
	return ab, wrap("unable to change absence", err)
}

// EndAbsences ends the actor's current absence (as of yesterday) and, with
// planned, drops the planned ones; it returns how many were changed.
func (s *Store) EndAbsences(ctx context.Context, a kim.Actor, planned bool) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx pgx.Tx) error {
		del, err := tx.Exec(ctx, `DELETE FROM absences WHERE team_id = $1 AND user_id = $2 AND ends_on >= $3 AND starts_on >= $3
			AND ($4 OR starts_on = $3)`, // one begun today would end before it began
			a.TeamID, a.UserID, a.Today.UTC(), planned)
		if err != nil {
			return err
		}
		upd, err := tx.Exec(ctx, `UPDATE absences SET ends_on = $3::date - 1 WHERE team_id = $1 AND user_id = $2 AND ends_on >= $3 AND starts_on < $3`,
			a.TeamID, a.UserID, a.Today.UTC())
		if err != nil {
			return err
		}
		n = int(del.RowsAffected() + upd.RowsAffected())
		if n == 0 {
			return nil
		}
		return audit(ctx, tx, a, "absence.end", 0, "")
	})
	return n, wrap("unable to end absence", err)
}

// CoachAbsences returns the actor's current and planned absences.
func (s *Store) CoachAbsences(ctx context.Context, a kim.Actor) ([]kim.Absence, error) {
	rows, err := s.pool.Query(ctx, `SELECT a.id, a.starts_on, a.ends_on, a.deputy_id, coalesce(u.username, '')
		FROM absences a LEFT JOIN users u ON u.id = a.deputy_id
		WHERE a.team_id = $1 AND a.user_id = $2 AND a.ends_on >= $3 ORDER BY a.starts_on`, a.TeamID, a.UserID, a.Today.UTC())
	if err != nil {
		return nil, wrap("unable to read absences", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.Absence, error) {
		var ab kim.Absence
		var f, t pgtypeDate
		err := r.Scan(&ab.ID, &f, &t, &ab.DeputyID, &ab.DeputyName)
		ab.From, ab.To = kim.DateOf(f.Time), kim.DateOf(t.Time)
		return ab, err
	})
}
