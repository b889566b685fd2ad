package store

// The case-management cycle (SPEC §2–§3): helpers every case write shares,
// and the writes on the case row itself (dates by hand,
// closure, reopening, transfer). Contacts, assessments, goals, referrals,
// consents, barriers, absences and partners have their own casework_*.go;
// the Rechtskreiswechsel and its steps are in transitions.go.
// Each write locks the case, lets a rule of package kim decide, and writes
// what the rule returns.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// unerased returns the case ref of the actor, locked, refusing an erased
// case.
func (s *Store) unerased(ctx context.Context, tx pgx.Tx, a kim.Actor, ref string) (kim.Case, error) {
	c, err := s.caseFor(ctx, tx, a, ref, true)
	if err == nil && c.Erased {
		err = kim.Errorf(kim.ECONFLICT, "casework.erased", map[string]any{"Ref": c.Ref})
	}
	return c, err
}

// writableCase refuses what writable refuses, for case c read (found) by
// reference ref.
func writableCase(c kim.Case, found bool, ref string) error {
	switch {
	case !found:
		return kim.Errorf(kim.ENOTFOUND, "err.case_not_found", map[string]any{"Ref": ref})
	case c.Erased:
		return kim.Errorf(kim.ECONFLICT, "casework.erased", map[string]any{"Ref": c.Ref})
	case !c.Open():
		return kim.Errorf(kim.ECONFLICT, "casework.closed", map[string]any{"Ref": c.Ref})
	}
	return nil
}

// writable returns the case ref of the actor, locked, refusing erased and
// closed cases.
func (s *Store) writable(ctx context.Context, tx pgx.Tx, a kim.Actor, ref string) (kim.Case, error) {
	c, err := s.caseFor(ctx, tx, a, ref, true)
	if err != nil {
		return c, err
	}
	return c, writableCase(c, true, ref)
}

// phaseFactsQuery selects what the phase of the case whose id is the SQL
// expression caseID depends on (scanPhaseFacts reads it).
func phaseFactsQuery(caseID string) string {
	return `SELECT c.closed_on IS NOT NULL, c.next_assessment,
			(SELECT count(*) FROM assessments WHERE case_id = c.id),
			(SELECT count(*) FROM goals WHERE case_id = c.id AND status = 'open'),
			(SELECT count(*) FROM referrals WHERE case_id = c.id AND outcome = 'pending'),
			(SELECT count(*) FROM referrals WHERE case_id = c.id AND outcome <> 'pending'),
			greatest((SELECT max(created_on) FROM goals WHERE case_id = c.id),
				(SELECT max(referred_on) FROM referrals WHERE case_id = c.id)),
			(SELECT max(contact_on) FROM contacts WHERE case_id = c.id)
		FROM cases c WHERE c.id = ` + caseID
}

// scanPhaseFacts reads a row of phaseFactsQuery as the facts on day today.
func scanPhaseFacts(row pgx.Row, today kim.Date) (kim.PhaseFacts, error) {
	var f kim.PhaseFacts
	var next, plan, contact pgtypeDate
	err := row.Scan(&f.Closed, &next, &f.Assessments, &f.OpenGoals, &f.PendingReferrals, &f.ResolvedReferrals, &plan, &contact)
	f.NextAssessment, f.Today = dateOf(&next), today
	if d := dateOf(&plan); d != nil {
		f.LastPlanChange = *d
	}
	if d := dateOf(&contact); d != nil {
		f.LastContact = *d
	}
	return f, err
}

// settle recomputes the phase of case id with kim.PhaseOf, stores it and
// returns the case as it is now.
func (s *Store) settle(ctx context.Context, tx pgx.Tx, a kim.Actor, id int64) (kim.Case, error) {
	f, err := scanPhaseFacts(tx.QueryRow(ctx, phaseFactsQuery("$1"), id), a.Today)
	if err != nil {
		return kim.Case{}, err
	}
	if _, err := tx.Exec(ctx, `UPDATE cases SET phase = $2, updated_at = now() WHERE id = $1`, id, kim.PhaseOf(f)); err != nil {
		return kim.Case{}, err
	}
	return s.scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM `+caseFrom+` WHERE c.id = $1`, id))
}

// caseWrite runs fn on the writable case ref of the actor in one
// transaction, audits action, settles the phase and returns the case.
func (s *Store) caseWrite(ctx context.Context, a kim.Actor, ref, action, what string, fn func(tx pgx.Tx, c kim.Case) error) (kim.Case, error) {
	var out kim.Case
	err := s.tx(ctx, func(tx pgx.Tx) error {
		c, err := s.writable(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		if err := fn(tx, c); err != nil {
			return err
		}
		if err := audit(ctx, tx, a, action, c.ID, c.Ref); err != nil {
			return err
		}
		out, err = s.settle(ctx, tx, a, c.ID)
		return err
	})
	return out, wrap(what, err)
}

// CheckCase confirms that the actor may work on the open case ref (before a
// form for it opens) and audits the access as action.
func (s *Store) CheckCase(ctx context.Context, a kim.Actor, ref, action string) (kim.Case, error) {
	var c kim.Case
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = s.writable(ctx, tx, a, ref); err != nil {
			return err
		}
		return audit(ctx, tx, a, action, c.ID, c.Ref)
	})
	return c, wrap("unable to read case", err)
}

// SetDue sets the next monitoring ("monitoring") or assessment
// ("assessment") date of the case by hand.
func (s *Store) SetDue(ctx context.Context, a kim.Actor, ref, which string, on kim.Date) (kim.Case, error) {
	return s.caseWrite(ctx, a, ref, "due.set", "unable to set date", func(tx pgx.Tx, c kim.Case) error {
		c, err := kim.SetDue(c, which, on, a.Today)
		if err != nil {
			return err
		}
		// The date by hand is kept also in its own column: a correction of
		// a contact or an assessment leaves it (store/casework_corrections.go).
		_, err = tx.Exec(ctx, `UPDATE cases SET next_monitoring = @monitoring, next_assessment = @assessment,
			monitoring_by_hand = CASE WHEN @which = 'monitoring' THEN @monitoring ELSE monitoring_by_hand END,
			assessment_by_hand = CASE WHEN @which = 'assessment' THEN @assessment ELSE assessment_by_hand END WHERE id = @id`,
			pgx.StrictNamedArgs{"id": c.ID, "which": which, "monitoring": dateArg(c.NextMonitoring), "assessment": dateArg(c.NextAssessment)})
		return err
	})
}

// writeClosure writes what kim.Close or kim.Reopen decided about case c:
// its closing day, reason and note, phase and next dates.
func (s *Store) writeClosure(ctx context.Context, tx pgx.Tx, c kim.Case) error {
	_, err := tx.Exec(ctx, `UPDATE cases SET closed_on = @closed, close_reason = NULLIF(@reason, ''), close_note_enc = @note,
		phase = @phase, next_monitoring = @monitoring, next_assessment = @assessment WHERE id = @id`,
		pgx.StrictNamedArgs{"id": c.ID, "closed": dateArg(c.ClosedOn), "reason": c.CloseReason, "note": s.seal(c.CloseNote, CaseCloseNote),
			"phase": c.Phase, "monitoring": dateArg(c.NextMonitoring), "assessment": dateArg(c.NextAssessment)})
	return err
}

// CloseCase closes the case with a reason and an optional note; its next
// dates are cleared.
func (s *Store) CloseCase(ctx context.Context, a kim.Actor, ref, reason, note string) (kim.Case, error) {
	return s.caseWrite(ctx, a, ref, "case.close", "unable to close case", func(tx pgx.Tx, c kim.Case) error {
		closed, err := kim.Close(c, reason, note, a.Today)
		if err != nil {
			return err
		}
		return s.writeClosure(ctx, tx, closed)
	})
}

// ReopenCase reopens a closed case: monitoring is due after the team's
// interval, the (re-)assessment when the last assessment says so.
func (s *Store) ReopenCase(ctx context.Context, a kim.Actor, ref string) (kim.Case, error) {
	var out kim.Case
	err := s.tx(ctx, func(tx pgx.Tx) error {
		c, err := s.unerased(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		var last pgtypeDate
		if err := tx.QueryRow(ctx, `SELECT max(assessed_on) FROM assessments WHERE case_id = $1`, c.ID).Scan(&last); err != nil {
			return err
		}
		reopened, err := kim.Reopen(c, dateOf(&last), set, a.Today)
		if err != nil {
			return err
		}
		if err := s.writeClosure(ctx, tx, reopened); err != nil {
			return err
		}
		if err := audit(ctx, tx, a, "case.reopen", c.ID, c.Ref); err != nil {
			return err
		}
		out, err = s.settle(ctx, tx, a, c.ID)
		return err
	})
	return out, wrap("unable to reopen case", err)
}

// TransferCase hands the case to another coach of the team, who becomes
// its owner together with their organisation. target names that coach; it
// is asked only once the case is known to be the actor's.
func (s *Store) TransferCase(ctx context.Context, a kim.Actor, ref string, target func() (string, error)) (kim.Case, error) {
	return s.caseWrite(ctx, a, ref, "case.transfer", "unable to transfer case", func(tx pgx.Tx, c kim.Case) error {
		toUserID, err := target()
		if err != nil {
			return err
		}
		if err := kim.CheckTransfer(c, a.UserID, toUserID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE cases SET owner_id = m.user_id, organisation_id = m.organisation_id
			FROM memberships m WHERE cases.id = $1 AND m.team_id = cases.team_id AND m.user_id = $2 AND m.role = 'coach'`, c.ID, toUserID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return kim.Errorf(kim.EINVALID, "transfer.not_coach", map[string]any{"Field": "user"})
		}
		return nil
	})
}
