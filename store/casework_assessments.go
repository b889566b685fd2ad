package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// AddAssessment records an assessment of the case (the first, or a
// re-assessment), moves the next re-assessment date to the team's interval
// after it, and returns the case with the previous and the new assessment.
func (s *Store) AddAssessment(ctx context.Context, a kim.Actor, ref string, x kim.Assessment) (kim.Case, *kim.Assessment, kim.Assessment, error) {
	var prev *kim.Assessment
	var cur kim.Assessment
	c, err := s.caseWrite(ctx, a, ref, "assessment.add", "unable to record assessment", func(tx pgx.Tx, c kim.Case) error {
		if len(x.Scores) == 0 {
			return kim.Errorf(kim.EINVALID, "assess.no_scores", map[string]any{"Field": "scores"})
		}
		if err := checkPastDay("date", x.On, c, a.Today); err != nil {
			return err
		}
		last, err := s.assessments(ctx, tx, c.ID, 1)
		if err != nil {
			return err
		}
		seq := 1
		if len(last) == 1 {
			prev = &last[0]
			seq = prev.Seq + 1
			if x.On.Before(prev.On) {
				return kim.Errorf(kim.EINVALID, "assess.before_last", dayArgs(dayArgs(map[string]any{"Field": "date"}, "Date", x.On), "Last", prev.On))
			}
		}
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO assessments (case_id, seq, assessed_on, note_enc, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			c.ID, seq, x.On.UTC(), s.seal(x.Note, "assessment.note"), a.UserID).Scan(&id); err != nil {
			return err
		}
		for f, n := range x.Scores {
			if _, err := tx.Exec(ctx, `INSERT INTO assessment_scores (assessment_id, field, score) VALUES ($1, $2, $3)`, id, string(f), n); err != nil {
				return err
			}
		}
		cur = kim.Assessment{ID: id, Seq: seq, On: x.On, Scores: x.Scores, Note: x.Note}
		_, err = tx.Exec(ctx, `UPDATE cases SET next_assessment = $2 WHERE id = $1`, c.ID, x.On.AddMonths(set.ReassessmentMonths).UTC())
		return err
	})
	return c, prev, cur, err
}
