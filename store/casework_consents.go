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
		if p, err = findPartner(ctx, tx, a.TeamID, partnerKey, true); err != nil {
			return err
		}
		k := kim.Consent{Scope: "partner", Partner: p.Key}
		var id int64
		var granted pgtypeDate
		err = tx.QueryRow(ctx, `SELECT id, form, granted_on FROM consents
			WHERE case_id = $1 AND scope = 'partner' AND partner_id = $2 AND revoked_on IS NULL FOR UPDATE`,
			c.ID, p.ID).Scan(&id, &k.Form, &granted)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ECONFLICT, "consent.none", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Field": "partner"})
		}
		if err != nil {
			return err
		}
		k.GrantedOn = kim.DateOf(granted.Time)
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
