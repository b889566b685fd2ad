package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// AddAssessment records an assessment of the case (the first, or a
// re-assessment), moves the next re-assessment date to the team's interval
// after it (a date set by hand with it), and returns the case with the
// previous and the new assessment.
func (s *Store) AddAssessment(ctx context.Context, a kim.Actor, ref string, x kim.Assessment) (kim.Case, *kim.Assessment, kim.Assessment, error) {
	var prev *kim.Assessment
	var cur kim.Assessment
	c, err := s.caseWrite(ctx, a, ref, "assessment.add", "unable to record assessment", func(tx pgx.Tx, c kim.Case) error {
		last, err := s.assessments(ctx, tx, c.ID, 1)
		if err != nil {
			return err
		}
		if len(last) == 1 {
			prev = &last[0]
		}
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		var next kim.Date
		if cur, next, err = kim.NewAssessment(c, prev, x, set, a.Today); err != nil {
			return err
		}
		// The next number of the case's counter: a deleted assessment's
		// number is never given again (migration 00016).
		if err := tx.QueryRow(ctx, `WITH k AS (UPDATE cases SET last_assessment_n = greatest(last_assessment_n,
				(SELECT coalesce(max(seq), 0) FROM assessments WHERE case_id = $1)) + 1 WHERE id = $1 RETURNING last_assessment_n)
			INSERT INTO assessments (case_id, seq, assessed_on, note_enc, created_by)
			SELECT $1, k.last_assessment_n, $2, $3, $4 FROM k RETURNING id, seq`,
			c.ID, cur.On.UTC(), s.seal(cur.Note, AssessmentNote), a.UserID).Scan(&cur.ID, &cur.Seq); err != nil {
			return err
		}
		for f, n := range cur.Scores {
			if _, err := tx.Exec(ctx, `INSERT INTO assessment_scores (assessment_id, field, score) VALUES ($1, $2, $3)`, cur.ID, string(f), n); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE cases SET next_assessment = $2, assessment_by_hand = NULL WHERE id = $1`, c.ID, next.UTC())
		return err
	})
	return c, prev, cur, err
}

// AssessForm confirms, as CheckCase does, that the actor may work on the
// open case ref before its assessment form opens, and returns the case with
// its assessments (oldest first, the latest maxAssessments, as the card
// reads them), so that the form can show each field's latest score. It
// audits the form (case.form) and the read of the assessments
// (assessment.list).
func (s *Store) AssessForm(ctx context.Context, a kim.Actor, ref string) (kim.Case, []kim.Assessment, error) {
	var c kim.Case
	var xs []kim.Assessment
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = s.writable(ctx, tx, a, ref); err != nil {
			return err
		}
		if xs, err = s.assessments(ctx, tx, c.ID, maxAssessments); err != nil {
			return err
		}
		if err := audit(ctx, tx, a, "case.form", c.ID, c.Ref); err != nil {
			return err
		}
		return audit(ctx, tx, a, "assessment.list", c.ID, c.Ref)
	})
	return c, xs, wrap("unable to read assessments", err)
}
