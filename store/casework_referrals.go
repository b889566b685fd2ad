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
		// The next number of the case's counter (migration 00021), never
		// one given before, also by a replica of the release before it.
		var n int
		if err := tx.QueryRow(ctx, `UPDATE cases SET last_referral_n = greatest(last_referral_n,
			(SELECT coalesce(max(n), 0) FROM referrals WHERE case_id = $1)) + 1 WHERE id = $1 RETURNING last_referral_n`, c.ID).Scan(&n); err != nil {
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

// ReferralChange is a correction of a referral: nil fields stay.
type ReferralChange struct {
	Partner, Reason *string
}

// referralFor returns referral n of case c, locked, with the number of its
// recorded outcomes; ENOTFOUND when there is none.
func (s *Store) referralFor(ctx context.Context, tx pgx.Tx, c kim.Case, n int) (kim.Referral, int, error) {
	var f kim.Referral
	var on, followup pgtypeDate
	var reason []byte
	var outcomes int
	err := tx.QueryRow(ctx, `SELECT r.id, r.n, p.id, p.key, p.name, coalesce(p.legal_domain, ''), r.reason_enc, r.referred_on, r.followup_on,
			r.outcome, (SELECT count(*) FROM referral_outcomes o WHERE o.referral_id = r.id)
		FROM referrals r JOIN partners p ON p.id = r.partner_id WHERE r.case_id = $1 AND r.n = $2 FOR UPDATE OF r`, c.ID, n).
		Scan(&f.ID, &f.N, &f.Partner.ID, &f.Partner.Key, &f.Partner.Name, &f.Partner.Domain, &reason, &on, &followup, &f.Outcome, &outcomes)
	if err == pgx.ErrNoRows {
		return f, 0, kim.Errorf(kim.ENOTFOUND, "referral.not_found", map[string]any{"Ref": c.Ref, "N": n, "Field": "n"})
	}
	if err != nil {
		return f, 0, err
	}
	f.Reason, f.On, f.Followup = s.open(reason, ReferralReason), kim.DateOf(on.Time), dateOf(&followup)
	return f, outcomes, nil
}

// EditReferral corrects the reason of referral n of the case, or its
// partner: only one the case has consent for, and only while no outcome is
// recorded (an outcome is the partner's answer); it returns the reason it
// replaced ("": it stays).
func (s *Store) EditReferral(ctx context.Context, a kim.Actor, ref string, n int, ch ReferralChange) (kim.Case, kim.Referral, string, error) {
	var f kim.Referral
	var was string
	c, err := s.caseWrite(ctx, a, ref, "referral.edit", "unable to change referral", func(tx pgx.Tx, c kim.Case) error {
		var outcomes int
		var err error
		if f, outcomes, err = s.referralFor(ctx, tx, c, n); err != nil {
			return err
		}
		if ch.Partner == nil && ch.Reason == nil {
			return kim.Errorf(kim.EINVALID, "referral.nothing", map[string]any{"Ref": c.Ref, "N": n})
		}
		if ch.Partner != nil {
			p, err := partnerByKey(ctx, tx, a.TeamID, *ch.Partner)
			if err != nil {
				return err
			}
			if p.ID != f.Partner.ID && outcomes > 0 {
				return kim.Errorf(kim.ECONFLICT, "referral.partner_has_outcome", map[string]any{"Ref": c.Ref, "N": n, "Partner": f.Partner.Name, "Field": "partner"})
			}
			consents, err := activeConsents(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			if !kim.HasConsent(consents, p.Key) {
				return kim.Errorf(kim.EFORBIDDEN, "refer.no_consent", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Key": p.Key, "Field": "partner"})
			}
			f.Partner = p
		}
		if ch.Reason != nil {
			was = replaced(f.Reason, *ch.Reason)
			f.Reason = *ch.Reason
		}
		_, err = tx.Exec(ctx, `UPDATE referrals SET partner_id = $2, reason_enc = $3 WHERE id = $1`, f.ID, f.Partner.ID, s.seal(f.Reason, ReferralReason))
		return err
	})
	return c, f, was, err
}

// DeleteReferral deletes referral n of the case with its outcomes (one
// recorded by mistake) and returns it with the number of outcomes that
// went. The numbers of the other referrals stay, and n is never given
// again.
func (s *Store) DeleteReferral(ctx context.Context, a kim.Actor, ref string, n int) (kim.Case, kim.Referral, int, error) {
	var f kim.Referral
	var outcomes int
	c, err := s.caseWrite(ctx, a, ref, "referral.delete", "unable to delete referral", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if f, outcomes, err = s.referralFor(ctx, tx, c, n); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM referral_outcomes WHERE referral_id = $1`, f.ID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM referrals WHERE id = $1`, f.ID)
		return err
	})
	return c, f, outcomes, err
}
