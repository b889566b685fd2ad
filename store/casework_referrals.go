package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// MaxReferrals is how many referrals one case may have.
const MaxReferrals = 100

// AddReferral refers the case to a partner of the team's directory. It is
// refused, saying why, unless consent for that partner is recorded.
// followup nil means the team's follow-up interval from today.
func (s *Store) AddReferral(ctx context.Context, a kim.Actor, ref, partnerKey, reason string, followup *kim.Date) (kim.Case, kim.Referral, error) {
	var f kim.Referral
	c, err := s.caseWrite(ctx, a, ref, "referral.add", "unable to refer", func(tx pgx.Tx, c kim.Case) error {
		p, err := partnerByKey(ctx, tx, a.TeamID, partnerKey)
		if err != nil {
			return err
		}
		ok, err := hasConsent(ctx, tx, c.ID, p.ID)
		if err != nil {
			return err
		}
		if !ok {
			return kim.Errorf(kim.EFORBIDDEN, "refer.no_consent", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Key": p.Key, "Field": "partner"})
		}
		if followup == nil {
			set, err := teamSettings(ctx, tx, a.TeamID)
			if err != nil {
				return err
			}
			followup = a.Today.AddDays(set.FollowupDays).Ptr()
		} else if err := checkFutureDay("followup", *followup, a.Today); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(n), 0) + 1 FROM referrals WHERE case_id = $1`, c.ID).Scan(&f.N); err != nil {
			return err
		}
		if f.N > MaxReferrals {
			return kim.Errorf(kim.ECONFLICT, "refer.too_many", map[string]any{"Max": MaxReferrals})
		}
		f.Partner, f.Reason, f.On, f.Followup, f.Outcome = p, reason, a.Today, followup, "pending"
		_, err = tx.Exec(ctx, `INSERT INTO referrals (case_id, n, partner_id, reason_enc, referred_on, followup_on, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, f.N, p.ID, s.seal(reason, "referral.reason"), a.Today.UTC(), followup.UTC(), a.UserID)
		return err
	})
	return c, f, err
}

// SetOutcome records the result of referral n of the case. "pending" again
// clears the result day and sets a new follow-up after the team's interval.
func (s *Store) SetOutcome(ctx context.Context, a kim.Actor, ref string, n int, outcome, note string) (kim.Case, kim.Referral, error) {
	var f kim.Referral
	c, err := s.caseWrite(ctx, a, ref, "referral.outcome", "unable to record outcome", func(tx pgx.Tx, c kim.Case) error {
		var on pgtypeDate
		err := tx.QueryRow(ctx, `SELECT r.n, p.id, p.key, p.name, coalesce(p.legal_domain, ''), r.referred_on
			FROM referrals r JOIN partners p ON p.id = r.partner_id WHERE r.case_id = $1 AND r.n = $2 FOR UPDATE OF r`, c.ID, n).
			Scan(&f.N, &f.Partner.ID, &f.Partner.Key, &f.Partner.Name, &f.Partner.Domain, &on)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ENOTFOUND, "outcome.not_found", map[string]any{"Ref": c.Ref, "N": n, "Field": "n"})
		}
		if err != nil {
			return err
		}
		f.On, f.Outcome, f.Note = kim.DateOf(on.Time), outcome, note
		if outcome == "pending" {
			set, err := teamSettings(ctx, tx, a.TeamID)
			if err != nil {
				return err
			}
			f.Followup = a.Today.AddDays(set.FollowupDays).Ptr()
			_, err = tx.Exec(ctx, `UPDATE referrals SET outcome = 'pending', outcome_on = NULL, outcome_note_enc = $3, followup_on = $4
				WHERE case_id = $1 AND n = $2`, c.ID, n, s.seal(note, "referral.outcome_note"), f.Followup.UTC())
			return err
		}
		f.OutcomeOn = a.Today.Ptr()
		_, err = tx.Exec(ctx, `UPDATE referrals SET outcome = $3, outcome_on = $4, outcome_note_enc = $5 WHERE case_id = $1 AND n = $2`,
			c.ID, n, outcome, a.Today.UTC(), s.seal(note, "referral.outcome_note"))
		return err
	})
	return c, f, err
}
