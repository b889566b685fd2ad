package store

// Corrections (issue 9, point 4): the coach who may write a case corrects
// or deletes its contacts, assessments and goals, addressed by the number
// the card, the contact list and the goal list show. A change that moves a
// date recomputes it from what remains: the next monitoring from the latest
// contact (or the intake), the next re-assessment from the latest
// assessment (or the first assessment as for a new case); a date set by
// hand stays unless the latest record that remains lies on or after it
// (kim.KeepsByHand). Each change is audited like every case write (what
// kind, which case, who, when).

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// ContactChange is what a correction of a contact changes; nil keeps it.
type ContactChange struct {
	Kind    *string
	Minutes *int
	On      *kim.Date
	Note    *string
}

// Empty reports whether the change changes nothing.
func (ch ContactChange) Empty() bool {
	return ch.Kind == nil && ch.Minutes == nil && ch.On == nil && ch.Note == nil
}

// contactFor returns contact n of case c, locked; ENOTFOUND when there is none.
func (s *Store) contactFor(ctx context.Context, tx pgx.Tx, c kim.Case, n int) (kim.Contact, error) {
	var k kim.Contact
	var on pgtypeDate
	var enc []byte
	err := tx.QueryRow(ctx, `SELECT id, n, kind, coalesce(minutes, -1), contact_on, note_enc FROM contacts
		WHERE case_id = $1 AND n = $2 FOR UPDATE`, c.ID, n).Scan(&k.ID, &k.N, &k.Kind, &k.Minutes, &on, &enc)
	if err == pgx.ErrNoRows {
		return k, kim.Errorf(kim.ENOTFOUND, "contact.not_found", map[string]any{"Ref": c.Ref, "N": n, "Field": "n"})
	}
	k.On, k.Note = kim.DateOf(on.Time), s.open(enc, ContactNote)
	return k, err
}

// remonitor sets the next monitoring date of case c to the team's interval
// after its latest contact, or after the intake when it has none; a date
// set by hand stays while kim.KeepsByHand says so.
func remonitor(ctx context.Context, tx pgx.Tx, a kim.Actor, c kim.Case) error {
	set, err := teamSettings(ctx, tx, a.TeamID)
	if err != nil {
		return err
	}
	var latest, byHand pgtypeDate
	if err := tx.QueryRow(ctx, `SELECT (SELECT max(contact_on) FROM contacts WHERE case_id = $1), monitoring_by_hand FROM cases WHERE id = $1`,
		c.ID).Scan(&latest, &byHand); err != nil {
		return err
	}
	if kim.KeepsByHand(c.NextMonitoring, dateOf(&byHand), dateOf(&latest)) {
		return nil
	}
	from := c.OpenedOn
	if d := dateOf(&latest); d != nil {
		from = *d
	}
	_, err = tx.Exec(ctx, `UPDATE cases SET next_monitoring = $2, monitoring_by_hand = NULL WHERE id = $1`, c.ID, set.NextMonitoring(from).UTC())
	return err
}

// reassess sets the next re-assessment date of case c to the team's
// interval after its latest assessment, or the first assessment's date as
// for a case opened on its intake day when none remains; a date set by hand
// stays while kim.KeepsByHand says so.
func reassess(ctx context.Context, tx pgx.Tx, a kim.Actor, c kim.Case) error {
	set, err := teamSettings(ctx, tx, a.TeamID)
	if err != nil {
		return err
	}
	var latest, byHand pgtypeDate
	if err := tx.QueryRow(ctx, `SELECT (SELECT max(assessed_on) FROM assessments WHERE case_id = $1), assessment_by_hand FROM cases WHERE id = $1`,
		c.ID).Scan(&latest, &byHand); err != nil {
		return err
	}
	if kim.KeepsByHand(c.NextAssessment, dateOf(&byHand), dateOf(&latest)) {
		return nil
	}
	next := set.FirstAssessment(c.OpenedOn)
	if d := dateOf(&latest); d != nil {
		next = set.NextReassessment(*d)
	}
	_, err = tx.Exec(ctx, `UPDATE cases SET next_assessment = $2, assessment_by_hand = NULL WHERE id = $1`, c.ID, next.UTC())
	return err
}

// EditContact corrects contact n of the case and returns the case, the
// contact as it is now and the note it replaced ("" when the note stays). A
// new date is checked as a new contact's date is and recomputes the next
// monitoring date.
func (s *Store) EditContact(ctx context.Context, a kim.Actor, ref string, n int, ch ContactChange) (kim.Case, kim.Contact, string, error) {
	var k kim.Contact
	var was string
	c, err := s.caseWrite(ctx, a, ref, "contact.edit", "unable to change contact", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if k, err = s.contactFor(ctx, tx, c, n); err != nil {
			return err
		}
		if ch.Empty() {
			return kim.Errorf(kim.EINVALID, "correct.nothing", map[string]any{"Ref": c.Ref, "N": n})
		}
		if ch.Kind != nil {
			k.Kind = *ch.Kind
		}
		if ch.Minutes != nil {
			k.Minutes = *ch.Minutes
		}
		if ch.Note != nil {
			was = replaced(k.Note, *ch.Note)
			k.Note = *ch.Note
		}
		if ch.On != nil {
			if err := kim.CheckPastDay("date", *ch.On, c, a.Today); err != nil {
				return err
			}
			k.On = *ch.On
		}
		var minutes *int
		if k.Minutes >= 0 {
			minutes = &k.Minutes
		}
		if _, err := tx.Exec(ctx, `UPDATE contacts SET kind = $3, minutes = $4, contact_on = $5, note_enc = $6 WHERE case_id = $1 AND n = $2`,
			c.ID, n, k.Kind, minutes, k.On.UTC(), s.seal(k.Note, ContactNote)); err != nil {
			return err
		}
		if ch.On != nil {
			return remonitor(ctx, tx, a, c)
		}
		return nil
	})
	return c, k, was, err
}

// replaced returns the text a correction replaces, old, unless it stays
// the same: shown to the coach, so that a correction of the wrong record
// loses nothing.
func replaced(old, now string) string {
	if old == now {
		return ""
	}
	return old
}

// DeleteContact deletes contact n of the case and recomputes the next
// monitoring date from the contacts that remain.
func (s *Store) DeleteContact(ctx context.Context, a kim.Actor, ref string, n int) (kim.Case, kim.Contact, error) {
	var k kim.Contact
	c, err := s.caseWrite(ctx, a, ref, "contact.delete", "unable to delete contact", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if k, err = s.contactFor(ctx, tx, c, n); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM contacts WHERE id = $1`, k.ID); err != nil {
			return err
		}
		return remonitor(ctx, tx, a, c)
	})
	return c, k, err
}

// assessmentFor returns assessment number seq of case c (locked) with its
// scores, and the assessments before and after it (nil: none); ENOTFOUND
// when there is no such assessment.
func (s *Store) assessmentFor(ctx context.Context, tx pgx.Tx, c kim.Case, seq int) (x kim.Assessment, prev, next *kim.Assessment, err error) {
	var on pgtypeDate
	var enc []byte
	err = tx.QueryRow(ctx, `SELECT a.id, a.seq, a.assessed_on, a.note_enc,
			coalesce((SELECT json_object_agg(sc.field, sc.score) FROM assessment_scores sc WHERE sc.assessment_id = a.id), '{}')
		FROM assessments a WHERE a.case_id = $1 AND a.seq = $2 FOR UPDATE`, c.ID, seq).Scan(&x.ID, &x.Seq, &on, &enc, &x.Scores)
	if err == pgx.ErrNoRows {
		return x, nil, nil, kim.Errorf(kim.ENOTFOUND, "assessment.not_found", map[string]any{"Ref": c.Ref, "N": seq, "Field": "n"})
	}
	if err != nil {
		return x, nil, nil, err
	}
	x.On, x.Note = kim.DateOf(on.Time), s.open(enc, AssessmentNote)
	neighbour := func(sql string) (*kim.Assessment, error) {
		rows, err := tx.Query(ctx, `SELECT a.id, a.seq, a.assessed_on, a.note_enc,
				coalesce((SELECT json_object_agg(sc.field, sc.score) FROM assessment_scores sc WHERE sc.assessment_id = a.id), '{}')
			FROM assessments a WHERE a.case_id = $1 AND `+sql+` LIMIT 1`, c.ID, seq)
		if err != nil {
			return nil, err
		}
		found, err := pgx.CollectRows(rows, s.scanAssessment)
		if err != nil || len(found) == 0 {
			return nil, err
		}
		return &found[0], nil
	}
	if prev, err = neighbour(`a.seq < $2 ORDER BY a.seq DESC`); err != nil {
		return x, nil, nil, err
	}
	next, err = neighbour(`a.seq > $2 ORDER BY a.seq`)
	return x, prev, next, err
}

// AssessmentChange is what a correction of an assessment changes: scores
// per field (replaced or added), and the note and the day when not nil.
type AssessmentChange struct {
	Scores map[kim.LifeField]int
	Note   *string
	On     *kim.Date
}

// EditAssessment corrects assessment number seq of the case (kim.CorrectAssessment
// says what may change) and returns the case, the assessment as it is now,
// the one before it (nil: none) and the note it replaced ("": it stays). A new day of the latest assessment moves the
// next re-assessment; the card's latest score per field and the change per
// field are computed from the assessments as they are.
func (s *Store) EditAssessment(ctx context.Context, a kim.Actor, ref string, seq int, ch AssessmentChange) (kim.Case, kim.Assessment, *kim.Assessment, string, error) {
	var x kim.Assessment
	var prev *kim.Assessment
	var was string
	c, err := s.caseWrite(ctx, a, ref, "assessment.edit", "unable to change assessment", func(tx pgx.Tx, c kim.Case) error {
		var next *kim.Assessment
		var err error
		if x, prev, next, err = s.assessmentFor(ctx, tx, c, seq); err != nil {
			return err
		}
		old := x.Note
		if x, err = kim.CorrectAssessment(c, prev, next, x, ch.Scores, ch.Note, ch.On, a.Today); err != nil {
			return err
		}
		was = replaced(old, x.Note)
		if _, err := tx.Exec(ctx, `UPDATE assessments SET assessed_on = $2, note_enc = $3 WHERE id = $1`,
			x.ID, x.On.UTC(), s.seal(x.Note, AssessmentNote)); err != nil {
			return err
		}
		for f, n := range ch.Scores {
			if _, err := tx.Exec(ctx, `INSERT INTO assessment_scores (assessment_id, field, score) VALUES ($1, $2, $3)
				ON CONFLICT (assessment_id, field) DO UPDATE SET score = EXCLUDED.score`, x.ID, string(f), n); err != nil {
				return err
			}
		}
		if ch.On != nil && next == nil {
			return reassess(ctx, tx, a, c)
		}
		return nil
	})
	return c, x, prev, was, err
}

// DeleteAssessment deletes assessment number seq of the case (its scores
// with it) and recomputes the next re-assessment date from the latest
// assessment that remains, or the first assessment's date as for a case
// opened on its intake day when none remains (a date set by hand stays
// while kim.KeepsByHand says so). The card's latest score per field is
// computed from what remains.
func (s *Store) DeleteAssessment(ctx context.Context, a kim.Actor, ref string, seq int) (kim.Case, kim.Assessment, error) {
	var x kim.Assessment
	c, err := s.caseWrite(ctx, a, ref, "assessment.delete", "unable to delete assessment", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if x, _, _, err = s.assessmentFor(ctx, tx, c, seq); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM assessment_scores WHERE assessment_id = $1`, x.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM assessments WHERE id = $1`, x.ID); err != nil {
			return err
		}
		return reassess(ctx, tx, a, c)
	})
	return c, x, err
}

// goalFor returns goal n of case c, locked; ENOTFOUND when there is none.
func (s *Store) goalFor(ctx context.Context, tx pgx.Tx, c kim.Case, n int) (kim.Goal, error) {
	var g kim.Goal
	var enc []byte
	var due pgtypeDate
	err := tx.QueryRow(ctx, `SELECT n, field, text_enc, due_on, status FROM goals WHERE case_id = $1 AND n = $2 FOR UPDATE`, c.ID, n).
		Scan(&g.N, &g.Field, &enc, &due, &g.Status)
	if err == pgx.ErrNoRows {
		return g, kim.Errorf(kim.ENOTFOUND, "goal.not_found", map[string]any{"Ref": c.Ref, "N": n, "Field": "n"})
	}
	g.Text, g.Due = s.open(enc, GoalText), dateOf(&due)
	return g, err
}

// CaseChange is a correction of a case's own data: its pseudonym, target
// group, legal domain at the opening, or intake day; nil leaves a part as
// it is.
type CaseChange struct {
	Pseudonym *string
	Group     *string
	Domain    *string
	OpenedOn  *kim.Date
}

// firstRecordQuery selects the earliest day recorded in case $1 other than
// its opening and the consent to processing given with it ($2: the intake
// day that consent is dated on).
const firstRecordQuery = `SELECT least(
		(SELECT min(contact_on) FROM contacts WHERE case_id = $1),
		(SELECT min(assessed_on) FROM assessments WHERE case_id = $1),
		(SELECT min(created_on) FROM goals WHERE case_id = $1),
		(SELECT min(referred_on) FROM referrals WHERE case_id = $1),
		(SELECT min(outcome_on) FROM referral_outcomes WHERE case_id = $1),
		(SELECT min(since) FROM domain_changes WHERE case_id = $1),
		(SELECT min(recorded_on) FROM barriers WHERE case_id = $1),
		(SELECT min(granted_on) FROM consents WHERE case_id = $1 AND NOT (scope = 'processing' AND granted_on = $2)))`

// EditCase corrects the case's own data and returns the case as it is now.
// The legal domain at the opening changes only while no Rechtskreiswechsel
// is recorded (that one has its own date and steps). A new intake day moves
// the consent to processing recorded with the opening along, and the first
// dates that count from the intake (monitoring without a contact, the
// first assessment), unless they were set by hand.
func (s *Store) EditCase(ctx context.Context, a kim.Actor, ref string, ch CaseChange) (kim.Case, error) {
	return s.caseWrite(ctx, a, ref, "case.edit", "unable to correct case", func(tx pgx.Tx, c kim.Case) error {
		if ch.Pseudonym == nil && ch.Group == nil && ch.Domain == nil && ch.OpenedOn == nil {
			return kim.Errorf(kim.EINVALID, "case.nothing", map[string]any{"Ref": c.Ref})
		}
		if ch.Domain != nil && *ch.Domain != c.Domain {
			var changes int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM domain_changes WHERE case_id = $1`, c.ID).Scan(&changes); err != nil {
				return err
			}
			if changes > 0 {
				return kim.Errorf(kim.ECONFLICT, "case.domain_changed", map[string]any{"Ref": c.Ref})
			}
		}
		old := c.OpenedOn
		if ch.OpenedOn != nil && *ch.OpenedOn != old {
			var first pgtypeDate
			if err := tx.QueryRow(ctx, firstRecordQuery, c.ID, old.UTC()).Scan(&first); err != nil {
				return err
			}
			var err error
			if c, err = kim.MoveIntake(c, *ch.OpenedOn, dateOf(&first), a.Today); err != nil {
				return err
			}
		}
		var pseudonym []byte
		if ch.Pseudonym != nil {
			pseudonym = s.seal(*ch.Pseudonym, CasePseudonym)
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET pseudonym_enc = coalesce($2, pseudonym_enc), target_group = coalesce($3, target_group),
				legal_domain = coalesce($4, legal_domain), opened_on = $5, updated_at = now() WHERE id = $1`,
			c.ID, pseudonym, ch.Group, ch.Domain, c.OpenedOn.UTC()); err != nil {
			return err
		}
		if c.OpenedOn == old {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE consents SET granted_on = $3 WHERE case_id = $1 AND scope = 'processing' AND granted_on = $2`,
			c.ID, old.UTC(), c.OpenedOn.UTC()); err != nil {
			return err
		}
		if err := remonitor(ctx, tx, a, c); err != nil {
			return err
		}
		return reassess(ctx, tx, a, c)
	})
}

// GoalChange is a correction of a goal: a new text, a new due date (or
// none: NoDue), or both; nil leaves a part as it is.
type GoalChange struct {
	Text  *string
	Due   *kim.Date
	NoDue bool
	Field kim.LifeField // "": it stays
}

// EditGoal changes the text, the due date or the life field of goal n of
// the case, or removes its due date, and returns the text it replaced ("": it stays). A due date must not lie before today (a goal's
// date is a plan).
func (s *Store) EditGoal(ctx context.Context, a kim.Actor, ref string, n int, ch GoalChange) (kim.Case, kim.Goal, string, error) {
	var g kim.Goal
	var was string
	c, err := s.caseWrite(ctx, a, ref, "goal.edit", "unable to change goal", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if g, err = s.goalFor(ctx, tx, c, n); err != nil {
			return err
		}
		if ch.Text == nil && ch.Due == nil && !ch.NoDue && (ch.Field == "" || ch.Field == g.Field) {
			return kim.Errorf(kim.EINVALID, "goal.nothing", map[string]any{"Ref": c.Ref, "N": n})
		}
		var text []byte
		if ch.Text != nil {
			was = replaced(g.Text, *ch.Text)
			g.Text, text = *ch.Text, s.seal(*ch.Text, GoalText)
		}
		if ch.Due != nil {
			if err := kim.CheckFutureDay("due", *ch.Due, a.Today); err != nil {
				return err
			}
			g.Due = ch.Due
		}
		if ch.NoDue {
			g.Due = nil
		}
		if ch.Field != "" {
			g.Field = ch.Field
		}
		_, err = tx.Exec(ctx, `UPDATE goals SET text_enc = coalesce($3, text_enc),
				due_on = CASE WHEN $5 THEN NULL ELSE coalesce($4, due_on) END, field = $6 WHERE case_id = $1 AND n = $2`,
			c.ID, n, text, dateArg(ch.Due), ch.NoDue, string(g.Field))
		return err
	})
	return c, g, was, err
}

// DeleteGoal deletes goal n of the case. The numbers of the other goals
// stay as they are.
func (s *Store) DeleteGoal(ctx context.Context, a kim.Actor, ref string, n int) (kim.Case, kim.Goal, error) {
	var g kim.Goal
	c, err := s.caseWrite(ctx, a, ref, "goal.delete", "unable to delete goal", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if g, err = s.goalFor(ctx, tx, c, n); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM goals WHERE case_id = $1 AND n = $2`, c.ID, n)
		return err
	})
	return c, g, err
}

// latestOutcome returns referral n of case c (locked) and the id and day of
// its latest outcome entry; ENOTFOUND when there is no such referral or it
// has no recorded outcome.
func (s *Store) latestOutcome(ctx context.Context, tx pgx.Tx, c kim.Case, n int) (kim.Referral, int64, kim.Date, error) {
	var f kim.Referral
	var on pgtypeDate
	err := tx.QueryRow(ctx, `SELECT r.id, r.n, p.id, p.key, p.name, r.referred_on FROM referrals r JOIN partners p ON p.id = r.partner_id
		WHERE r.case_id = $1 AND r.n = $2 FOR UPDATE OF r`, c.ID, n).Scan(&f.ID, &f.N, &f.Partner.ID, &f.Partner.Key, &f.Partner.Name, &on)
	if err == pgx.ErrNoRows {
		return f, 0, kim.Date{}, kim.Errorf(kim.ENOTFOUND, "outcome.not_found", map[string]any{"Ref": c.Ref, "N": n, "Field": "n"})
	}
	if err != nil {
		return f, 0, kim.Date{}, err
	}
	f.On = kim.DateOf(on.Time)
	var id int64
	var day pgtypeDate
	err = tx.QueryRow(ctx, `SELECT id, outcome, outcome_on FROM referral_outcomes WHERE referral_id = $1 ORDER BY id DESC LIMIT 1`, f.ID).
		Scan(&id, &f.Outcome, &day)
	if err == pgx.ErrNoRows {
		return f, 0, kim.Date{}, kim.Errorf(kim.ENOTFOUND, "outcome.none", map[string]any{"Ref": c.Ref, "N": n})
	}
	return f, id, kim.DateOf(day.Time), err
}

// writeReferralState stores the current outcome of referral f.
func (s *Store) writeReferralState(ctx context.Context, tx pgx.Tx, f kim.Referral) error {
	_, err := tx.Exec(ctx, `UPDATE referrals SET outcome = $2, outcome_on = $3, outcome_note_enc = $4, followup_on = $5 WHERE id = $1`,
		f.ID, f.Outcome, dateArg(f.OutcomeOn), s.seal(f.Note, ReferralNote), dateArg(f.Followup))
	return err
}

// EditOutcome corrects the latest outcome of referral n of the case (its
// value and note; its day stays) without adding to the history. Corrected
// to pending, the follow-up falls due the team's interval after that day.
func (s *Store) EditOutcome(ctx context.Context, a kim.Actor, ref string, n int, outcome, note string) (kim.Case, kim.Referral, error) {
	var f kim.Referral
	c, err := s.caseWrite(ctx, a, ref, "referral.outcome-edit", "unable to change outcome", func(tx pgx.Tx, c kim.Case) error {
		var id int64
		var day kim.Date
		var err error
		if f, id, day, err = s.latestOutcome(ctx, tx, c, n); err != nil {
			return err
		}
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		f = kim.SetOutcome(f, outcome, note, set, day)
		if _, err := tx.Exec(ctx, `UPDATE referral_outcomes SET outcome = $2, note_enc = $3 WHERE id = $1`,
			id, f.Outcome, s.seal(note, ReferralOutcomeNote)); err != nil {
			return err
		}
		return s.writeReferralState(ctx, tx, f)
	})
	return c, f, err
}

// DeleteOutcome deletes the latest outcome of referral n of the case; the
// referral is then as the outcome before it left it, or pending with the
// follow-up the team's interval after the referral when none remains. It
// returns the referral as it is now and the deleted outcome.
func (s *Store) DeleteOutcome(ctx context.Context, a kim.Actor, ref string, n int) (kim.Case, kim.Referral, kim.OutcomeEntry, error) {
	var f kim.Referral
	var gone kim.OutcomeEntry
	c, err := s.caseWrite(ctx, a, ref, "referral.outcome-delete", "unable to delete outcome", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if f, gone.ID, gone.On, err = s.latestOutcome(ctx, tx, c, n); err != nil {
			return err
		}
		gone.Outcome = f.Outcome
		if _, err := tx.Exec(ctx, `DELETE FROM referral_outcomes WHERE id = $1`, gone.ID); err != nil {
			return err
		}
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		var enc []byte
		var day pgtypeDate
		err = tx.QueryRow(ctx, `SELECT outcome, outcome_on, note_enc FROM referral_outcomes WHERE referral_id = $1 ORDER BY id DESC LIMIT 1`, f.ID).
			Scan(&f.Outcome, &day, &enc)
		switch {
		case err == pgx.ErrNoRows:
			f = kim.SetOutcome(f, "pending", "", set, f.On)
		case err != nil:
			return err
		default:
			f = kim.SetOutcome(f, f.Outcome, s.open(enc, ReferralOutcomeNote), set, kim.DateOf(day.Time))
		}
		return s.writeReferralState(ctx, tx, f)
	})
	return c, f, gone, err
}
