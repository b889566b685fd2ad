package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// GrantConsent records consent to processing (partnerKey "") or for one
// partner, with its form (written, oral) and day.
func (s *Store) GrantConsent(ctx context.Context, a kim.Actor, ref, partnerKey, form string, on kim.Date) (kim.Case, kim.Partner, error) {
	var p kim.Partner
	c, err := s.caseWrite(ctx, a, ref, "consent.grant", "unable to record consent", func(tx pgx.Tx, c kim.Case) error {
		if err := kim.CheckPastDay("date", on, c, a.Today); err != nil {
			return err
		}
		scope, partnerID := "processing", (*int64)(nil)
		if partnerKey != "" {
			var err error
			if p, err = partnerByKey(ctx, tx, a.TeamID, partnerKey); err != nil {
				return err
			}
			scope, partnerID = "partner", &p.ID
		}
		_, err := tx.Exec(ctx, `INSERT INTO consents (case_id, scope, partner_id, form, granted_on, granted_by) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.ID, scope, partnerID, form, on.UTC(), a.UserID)
		if isUnique(err, "consents_active") {
			return kim.Errorf(kim.ECONFLICT, "consent.already."+scope, map[string]any{"Ref": c.Ref, "Partner": p.Name})
		}
		return err
	})
	return c, p, err
}

// RevokeConsent records the revocation of consent for one partner on day
// on. Revoking consent to processing (partnerKey "") revokes every consent
// of the case, closes it (reason withdrawn) and erases its personal data.
func (s *Store) RevokeConsent(ctx context.Context, a kim.Actor, ref, partnerKey string, on kim.Date) (kim.Case, kim.Partner, error) {
	var p kim.Partner
	var out kim.Case
	err := s.tx(ctx, func(tx pgx.Tx) error {
		c, err := s.unerased(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		if err := kim.CheckRevoke(c, partnerKey != "", on, a.Today); err != nil {
			return err
		}
		if partnerKey == "" {
			if err := audit(ctx, tx, a, "consent.revoke", c.ID, c.Ref); err != nil {
				return err
			}
			out, err = s.withdrawAndErase(ctx, tx, a, c, on)
			return err
		}
		var id int64
		var k kim.Consent
		if id, k, p, err = activeConsent(ctx, tx, a, c, partnerKey); err != nil {
			return err
		}
		if k, err = kim.Revoke(k, on); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE consents SET revoked_on = $2 WHERE id = $1`, id, dateArg(k.RevokedOn)); err != nil {
			return err
		}
		if err := audit(ctx, tx, a, "consent.revoke", c.ID, c.Ref); err != nil {
			return err
		}
		out, err = s.settle(ctx, tx, a, c.ID)
		return err
	})
	return out, p, wrap("unable to revoke consent", err)
}

// ConsentChange is a correction of an active consent: nil fields stay.
type ConsentChange struct {
	Form *string
	On   *kim.Date
}

// activeConsent returns the id, form and day of the case's active consent
// to processing (partnerKey "") or for a partner, locked; ECONFLICT when
// there is none.
func activeConsent(ctx context.Context, tx pgx.Tx, a kim.Actor, c kim.Case, partnerKey string) (int64, kim.Consent, kim.Partner, error) {
	k := kim.Consent{Scope: "processing"}
	var p kim.Partner
	var partnerID *int64
	if partnerKey != "" {
		var err error
		if p, err = findPartner(ctx, tx, a.TeamID, partnerKey, true); err != nil {
			return 0, k, p, err
		}
		k.Scope, k.Partner, partnerID = "partner", p.Key, &p.ID
	}
	var id int64
	var granted pgtypeDate
	err := tx.QueryRow(ctx, `SELECT id, form, granted_on FROM consents
		WHERE case_id = $1 AND scope = $2 AND partner_id IS NOT DISTINCT FROM $3 AND revoked_on IS NULL FOR UPDATE`,
		c.ID, k.Scope, partnerID).Scan(&id, &k.Form, &granted)
	if err == pgx.ErrNoRows {
		return 0, k, p, kim.Errorf(kim.ECONFLICT, "consent.none", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Field": "partner"})
	}
	if err != nil {
		return 0, k, p, err
	}
	k.GrantedOn = kim.DateOf(granted.Time)
	return id, k, p, nil
}

// firstReferralUnder returns the number and day of the earliest referral
// of case c to partner p on or after day on (made under a consent given
// then); n 0 when there is none.
func firstReferralUnder(ctx context.Context, tx pgx.Tx, c kim.Case, p kim.Partner, on kim.Date) (int, kim.Date, error) {
	var n int
	var day pgtypeDate
	err := tx.QueryRow(ctx, `SELECT n, referred_on FROM referrals WHERE case_id = $1 AND partner_id = $2 AND referred_on >= $3
		ORDER BY referred_on, n LIMIT 1`, c.ID, p.ID, on.UTC()).Scan(&n, &day)
	if err == pgx.ErrNoRows {
		return 0, kim.Date{}, nil
	}
	return n, kim.DateOf(day.Time), err
}

// EditConsent corrects the form or the day of an active consent (one
// recorded with the wrong form or day). The day of a partner's consent
// follows the rules of recording and may not move after a referral to the
// partner made under it; the day of the consent to processing is the
// intake's (fall ändern datum= moves both), so only its form changes.
func (s *Store) EditConsent(ctx context.Context, a kim.Actor, ref, partnerKey string, ch ConsentChange) (kim.Case, kim.Consent, kim.Partner, error) {
	var k kim.Consent
	var p kim.Partner
	c, err := s.caseWrite(ctx, a, ref, "consent.edit", "unable to correct consent", func(tx pgx.Tx, c kim.Case) error {
		var id int64
		var err error
		if id, k, p, err = activeConsent(ctx, tx, a, c, partnerKey); err != nil {
			return err
		}
		if ch.Form == nil && ch.On == nil {
			return kim.Errorf(kim.EINVALID, "consent.nothing", map[string]any{"Ref": c.Ref})
		}
		if ch.On != nil && partnerKey == "" {
			return kim.Errorf(kim.EINVALID, "consent.processing_day", map[string]any{"Ref": c.Ref, "Field": "date"})
		}
		if ch.On != nil {
			if err := kim.CheckPastDay("date", *ch.On, c, a.Today); err != nil {
				return err
			}
			n, day, err := firstReferralUnder(ctx, tx, c, p, k.GrantedOn)
			if err != nil {
				return err
			}
			if n > 0 && ch.On.After(day) {
				return kim.Errorf(kim.EINVALID, "consent.after_referral", map[string]any{"Ref": c.Ref, "N": n, "Date": day,
					"Partner": p.Name, "Field": "date"})
			}
			k.GrantedOn = *ch.On
		}
		if ch.Form != nil {
			k.Form = *ch.Form
		}
		_, err = tx.Exec(ctx, `UPDATE consents SET form = $2, granted_on = $3 WHERE id = $1`, id, k.Form, k.GrantedOn.UTC())
		return err
	})
	return c, k, p, err
}

// DeleteConsent deletes a partner's active consent recorded by mistake (a
// grant that never was, unlike a revocation). It is refused while a
// referral to the partner was made under it, and for the consent to
// processing, without which there is no case.
func (s *Store) DeleteConsent(ctx context.Context, a kim.Actor, ref, partnerKey string) (kim.Case, kim.Consent, kim.Partner, error) {
	var k kim.Consent
	var p kim.Partner
	c, err := s.caseWrite(ctx, a, ref, "consent.delete", "unable to delete consent", func(tx pgx.Tx, c kim.Case) error {
		if partnerKey == "" {
			return kim.Errorf(kim.ECONFLICT, "consent.processing_delete", map[string]any{"Ref": c.Ref})
		}
		var id int64
		var err error
		if id, k, p, err = activeConsent(ctx, tx, a, c, partnerKey); err != nil {
			return err
		}
		n, day, err := firstReferralUnder(ctx, tx, c, p, k.GrantedOn)
		if err != nil {
			return err
		}
		if n > 0 {
			return kim.Errorf(kim.ECONFLICT, "consent.has_referral", map[string]any{"Ref": c.Ref, "N": n, "Date": day, "Partner": p.Name})
		}
		_, err = tx.Exec(ctx, `DELETE FROM consents WHERE id = $1`, id)
		return err
	})
	return c, k, p, err
}
