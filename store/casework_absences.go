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
		// FOR SHARE: a role change of the deputy (store/staff.go) waits, or is waited for and seen.
		err := tx.QueryRow(ctx, `SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.team_id = $1 AND m.user_id = $2 AND m.role = 'coach' FOR SHARE OF m`, a.TeamID, deputyID).Scan(&ab.DeputyName)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.EINVALID, "away.deputy_not_coach", map[string]any{"Field": "deputy"})
		}
		if err != nil {
			return err
		}
		// Serialise the actor's absence changes.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('absence:' || $1 || ':' || $2))`, a.TeamID, a.UserID); err != nil {
			return err
		}
		var s1, e1 pgtypeDate
		err = tx.QueryRow(ctx, `SELECT starts_on, ends_on FROM absences WHERE team_id = $1 AND user_id = $2
			AND starts_on <= $4 AND ends_on >= $3 ORDER BY starts_on LIMIT 1`, a.TeamID, a.UserID, from.UTC(), to.UTC()).Scan(&s1, &e1)
		if err == nil {
			return kim.Errorf(kim.ECONFLICT, "away.overlap", map[string]any{"From": kim.DateOf(s1.Time), "To": kim.DateOf(e1.Time)})
		}
		if err != pgx.ErrNoRows {
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

// EndAbsences ends the actor's current absence (as of yesterday) and drops
// planned ones; it returns how many were changed.
func (s *Store) EndAbsences(ctx context.Context, a kim.Actor) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx pgx.Tx) error {
		del, err := tx.Exec(ctx, `DELETE FROM absences WHERE team_id = $1 AND user_id = $2 AND ends_on >= $3 AND starts_on >= $3`,
			a.TeamID, a.UserID, a.Today.UTC())
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
