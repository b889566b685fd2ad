package store

// Staff changes: an admin hands a case, or every open case of a coach, to
// another coach; a role change that takes the coach role away is refused
// while the coach owns open cases, or hands them over in the same
// transaction, and ends the deputyships the coach held. The rules are
// kim.CheckRoleChange, kim.CheckHandover and kim.EndDeputyship.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// StaffChange is what a role change or a handover did.
type StaffChange struct {
	// Moved are the references of the cases handed over, sorted.
	Moved []string
	// Ended are the deputyships the user held that ended with the change.
	Ended []EndedDeputyship
	// TeamName is the team's name (for the DMs about the change).
	TeamName string
}

// EndedDeputyship is an absence whose deputy lost the coach role: Absence is
// as it was before (Dropped: it had not begun and is gone; otherwise it
// ended yesterday).
type EndedDeputyship struct {
	OwnerID string
	Absence kim.Absence
	Dropped bool
}

// RoleChange is an admin's change of a user's role.
type RoleChange struct {
	UserID string
	Role   kim.Role
	Org    string
	// HandoverTo is the coach of the team who takes over the user's open
	// cases when the change takes the coach role away; "" refuses such a
	// change while the user owns open cases.
	HandoverTo string
}

// KnownUser returns the user with that username (case-insensitive) whom
// kimbot knows in the team — with a role there or owning a case there —
// also after they have left the Mattermost team; an err.user_not_found
// application error otherwise.
func (s *Store) KnownUser(ctx context.Context, teamID, username string) (kim.User, error) {
	name := strings.TrimPrefix(username, "@")
	var u kim.User
	var lang, digest *string
	err := s.pool.QueryRow(ctx, `
		SELECT u.id, u.username, u.locale, u.lang, u.timezone, to_char(u.digest_time, 'HH24:MI'), u.sysadmin FROM users u
		WHERE lower(u.username) = lower($2) AND (EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = $1 AND m.user_id = u.id)
			OR EXISTS (SELECT 1 FROM cases c WHERE c.team_id = $1 AND c.owner_id = u.id))`, teamID, name).
		Scan(&u.ID, &u.Username, &u.Locale, &lang, &u.TimeZone, &digest, &u.SysAdmin)
	if err == pgx.ErrNoRows {
		return u, kim.Errorf(kim.ENOTFOUND, "err.user_not_found", map[string]any{"User": name})
	}
	u.Lang, u.DigestTime = deref(lang), deref(digest)
	return u, wrap("unable to read user", err)
}

// ChangeRole changes the user's role in the actor's team, audited. A change
// that takes the coach role away is refused (staff.role_open_cases, with N)
// while the user owns open cases, unless ch.HandoverTo takes them over in
// the same transaction (each handed-over case audited); it also ends the
// deputyships the user holds.
func (s *Store) ChangeRole(ctx context.Context, a kim.Actor, ch RoleChange) (StaffChange, error) {
	var out StaffChange
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var cur string
		err := tx.QueryRow(ctx, `SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2 FOR UPDATE`, a.TeamID, ch.UserID).Scan(&cur)
		if err != nil && err != pgx.ErrNoRows {
			return err
		}
		if kim.LeavesCoaching(kim.Role(cur), ch.Role) {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM cases WHERE team_id = $1 AND owner_id = $2
				AND closed_on IS NULL AND erased_at IS NULL`, a.TeamID, ch.UserID).Scan(&n); err != nil {
				return err
			}
			if err := kim.CheckRoleChange(kim.Role(cur), ch.Role, n, ch.HandoverTo != ""); err != nil {
				return err
			}
			if n > 0 {
				if out.Moved, err = handOver(ctx, tx, a, ch.UserID, ch.HandoverTo); err != nil {
					return err
				}
			}
			if out.Ended, err = endDeputyships(ctx, tx, a, ch.UserID); err != nil {
				return err
			}
		}
		if err := setRole(ctx, tx, a.TeamID, ch.UserID, ch.Role, ch.Org, a.UserID); err != nil {
			return err
		}
		if err := audit(ctx, tx, a, "admin.role", 0, ""); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT name FROM teams WHERE id = $1`, a.TeamID).Scan(&out.TeamName)
	})
	return out, wrap("unable to change role", err)
}

// HandOver hands every open case the user fromID owns in the actor's team to
// the coach toID, each case audited as case.handover, and returns what moved.
func (s *Store) HandOver(ctx context.Context, a kim.Actor, fromID, toID string) (StaffChange, error) {
	var out StaffChange
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if out.Moved, err = handOver(ctx, tx, a, fromID, toID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT name FROM teams WHERE id = $1`, a.TeamID).Scan(&out.TeamName)
	})
	return out, wrap("unable to hand over cases", err)
}

// AdminTransfer hands case ref of the actor's team — open or closed, not
// erased — to the coach toID, audited as case.handover. It returns what
// moved and the previous owner's username.
func (s *Store) AdminTransfer(ctx context.Context, a kim.Actor, ref, toID string) (StaffChange, string, error) {
	var out StaffChange
	var prev string
	ref = NormalizeRef(ref)
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var id int64
		var owner string
		var erased bool
		err := tx.QueryRow(ctx, `SELECT c.id, c.owner_id, u.username, c.erased_at IS NOT NULL
			FROM cases c JOIN users u ON u.id = c.owner_id WHERE c.team_id = $1 AND c.ref = $2 FOR UPDATE OF c`, a.TeamID, ref).
			Scan(&id, &owner, &prev, &erased)
		switch {
		case err == pgx.ErrNoRows:
			return kim.Errorf(kim.ENOTFOUND, "staff.case_not_found", map[string]any{"Ref": ref})
		case err != nil:
			return err
		case erased:
			return kim.Errorf(kim.ECONFLICT, "casework.erased", map[string]any{"Ref": ref})
		case owner == toID:
			return kim.Errorf(kim.ECONFLICT, "transfer.same", map[string]any{"Ref": ref})
		}
		org, err := coachOf(ctx, tx, a.TeamID, toID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET owner_id = $2, organisation_id = $3, updated_at = now() WHERE id = $1`, id, toID, org); err != nil {
			return err
		}
		if err := audit(ctx, tx, a, "case.handover", id, ref); err != nil {
			return err
		}
		out.Moved = []string{ref}
		return tx.QueryRow(ctx, `SELECT name FROM teams WHERE id = $1`, a.TeamID).Scan(&out.TeamName)
	})
	return out, prev, wrap("unable to transfer case", err)
}

// coachOf locks the membership of a coach of the team (so the role cannot
// go meanwhile) and returns their organisation; staff.not_coach (with the
// username) when they are not a coach of the team.
func coachOf(ctx context.Context, tx pgx.Tx, teamID, userID string) (*int64, error) {
	var org *int64
	var role string
	err := tx.QueryRow(ctx, `SELECT role, organisation_id FROM memberships WHERE team_id = $1 AND user_id = $2 FOR SHARE`,
		teamID, userID).Scan(&role, &org)
	if err != nil && err != pgx.ErrNoRows {
		return nil, err
	}
	if role != string(kim.RoleCoach) {
		var name string
		if err := tx.QueryRow(ctx, `SELECT username FROM users WHERE id = $1`, userID).Scan(&name); err != nil && err != pgx.ErrNoRows {
			return nil, err
		}
		return nil, kim.Errorf(kim.EINVALID, "staff.not_coach", map[string]any{"User": name, "Field": "user"})
	}
	return org, nil
}

// handOver moves the open cases of fromID in the actor's team to the coach
// toID inside tx, auditing each, and returns their references.
func handOver(ctx context.Context, tx pgx.Tx, a kim.Actor, fromID, toID string) ([]string, error) {
	if err := kim.CheckHandover(fromID, toID); err != nil {
		return nil, err
	}
	org, err := coachOf(ctx, tx, a.TeamID, toID)
	if err != nil {
		return nil, err
	}
	// One statement moves the cases and writes an audit row for each.
	rows, err := tx.Query(ctx, `WITH moved AS (
			UPDATE cases SET owner_id = $3, organisation_id = $4, updated_at = now()
			WHERE team_id = $1 AND owner_id = $2 AND closed_on IS NULL AND erased_at IS NULL RETURNING id, ref),
		logged AS (
			INSERT INTO audit_log (team_id, actor_id, action, case_id, case_ref)
			SELECT $1, $5, 'case.handover', id, ref FROM moved)
		SELECT ref FROM moved`, a.TeamID, fromID, toID, org, a.UserID)
	if err != nil {
		return nil, err
	}
	refs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: unable to hand over cases: %w", err)
	}
	slices.Sort(refs)
	return refs, nil
}

// endDeputyships ends, with kim.EndDeputyship, the current and planned
// absences of the team in which userID is the deputy, auditing each.
func endDeputyships(ctx context.Context, tx pgx.Tx, a kim.Actor, userID string) ([]EndedDeputyship, error) {
	rows, err := tx.Query(ctx, `SELECT id, user_id, starts_on, ends_on FROM absences
		WHERE team_id = $1 AND deputy_id = $2 AND ends_on >= $3 ORDER BY starts_on, id FOR UPDATE`, a.TeamID, userID, a.Today.UTC())
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EndedDeputyship, error) {
		var e EndedDeputyship
		var f, t pgtypeDate
		err := r.Scan(&e.Absence.ID, &e.OwnerID, &f, &t)
		e.Absence.From, e.Absence.To, e.Absence.DeputyID = kim.DateOf(f.Time), kim.DateOf(t.Time), userID
		return e, err
	})
	if err != nil {
		return nil, err
	}
	var out []EndedDeputyship
	for _, e := range list {
		ended, drop, changed := kim.EndDeputyship(e.Absence, a.Today)
		if !changed {
			continue
		}
		if drop {
			_, err = tx.Exec(ctx, `DELETE FROM absences WHERE id = $1`, e.Absence.ID)
		} else {
			_, err = tx.Exec(ctx, `UPDATE absences SET ends_on = $2 WHERE id = $1`, e.Absence.ID, ended.To.UTC())
		}
		if err != nil {
			return nil, err
		}
		if err := audit(ctx, tx, a, "absence.deputy_end", 0, ""); err != nil {
			return nil, err
		}
		e.Dropped = drop
		out = append(out, e)
	}
	return out, nil
}

// TeamRole is one person with a role in a team, as the admins' list shows
// it: no case data, the number of open cases a coach owns.
type TeamRole struct {
	Username     string
	Role         kim.Role
	Organisation string
	OpenCases    int
}

// TeamRoles returns everyone with a role in the team: admins, then the
// coordination, then coaches, each by name.
func (s *Store) TeamRoles(ctx context.Context, teamID string) ([]TeamRole, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.username, m.role, coalesce(o.name, ''), coalesce(n.open, 0)
		FROM memberships m JOIN users u ON u.id = m.user_id
		LEFT JOIN organisations o ON o.id = m.organisation_id
		LEFT JOIN (SELECT owner_id, count(*) AS open FROM cases WHERE team_id = $1 AND closed_on IS NULL GROUP BY owner_id) n
			ON n.owner_id = m.user_id
		WHERE m.team_id = $1
		ORDER BY array_position(ARRAY['admin', 'coordinator', 'coach'], m.role), u.username`, teamID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read roles: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TeamRole, error) {
		var t TeamRole
		var role string
		err := r.Scan(&t.Username, &role, &t.Organisation, &t.OpenCases)
		t.Role = kim.Role(role)
		return t, err
	})
}
