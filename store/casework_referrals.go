package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

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
		consents, err := activeConsents(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(n), 0) + 1 FROM referrals WHERE case_id = $1`, c.ID).Scan(&n); err != nil {
			return err
		}
		if f, err = kim.NewReferral(c, p, consents, reason, followup, n, set, a.Today); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO referrals (case_id, n, partner_id, reason_enc, referred_on, followup_on, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, f.N, p.ID, s.seal(f.Reason, ReferralReason), f.On.UTC(), dateArg(f.Followup), a.UserID)
		return err
	})
	return c, f, err
}

// SetOutcome records the result of referral n of the case, kept in the
// referral's outcome history. "pending" again clears the result day and sets
// a new follow-up after the team's interval.
func (s *Store) SetOutcome(ctx context.Context, a kim.Actor, ref string, n int, outcome, note string) (kim.Case, kim.Referral, error) {
	var f kim.Referral
	c, err := s.caseWrite(ctx, a, ref, "referral.outcome", "unable to record outcome", func(tx pgx.Tx, c kim.Case) error {
		var on, followup pgtypeDate
		err := tx.QueryRow(ctx, `SELECT r.id, r.n, p.id, p.key, p.name, coalesce(p.legal_domain, ''), r.referred_on, r.followup_on
			FROM referrals r JOIN partners p ON p.id = r.partner_id WHERE r.case_id = $1 AND r.n = $2 FOR UPDATE OF r`, c.ID, n).
			Scan(&f.ID, &f.N, &f.Partner.ID, &f.Partner.Key, &f.Partner.Name, &f.Partner.Domain, &on, &followup)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ENOTFOUND, "outcome.not_found", map[string]any{"Ref": c.Ref, "N": n, "Field": "n"})
		}
		if err != nil {
			return err
		}
		f.On, f.Followup = kim.DateOf(on.Time), dateOf(&followup)
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		f = kim.SetOutcome(f, outcome, note, set, a.Today)
		_, err = tx.Exec(ctx, `UPDATE referrals SET outcome = $3, outcome_on = $4, outcome_note_enc = $5, followup_on = $6
			WHERE case_id = $1 AND n = $2`, c.ID, n, f.Outcome, dateArg(f.OutcomeOn), s.seal(f.Note, ReferralNote), dateArg(f.Followup))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO referral_outcomes (case_id, referral_id, outcome, outcome_on, note_enc, created_by)
			VALUES ($1, $2, $3, $4, $5, $6)`, c.ID, f.ID, f.Outcome, a.Today.UTC(), s.seal(f.Note, ReferralOutcomeNote), a.UserID)
		return err
	})
	return c, f, err
}
