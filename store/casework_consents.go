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
		if err := checkPastDay("date", on, c, a.Today); err != nil {
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
		if partnerKey != "" && !c.Open() {
			return kim.Errorf(kim.ECONFLICT, "casework.closed", map[string]any{"Ref": c.Ref})
		}
		if on.After(a.Today) {
			return kim.Errorf(kim.EINVALID, "casework.date_future", dayArgs(map[string]any{"Field": "date"}, "Date", on))
		}
		if partnerKey == "" {
			if err := audit(ctx, tx, a, "consent.revoke", c.ID, c.Ref); err != nil {
				return err
			}
			out, err = s.withdrawAndErase(ctx, tx, a, c, on)
			return err
		}
		if p, err = partnerByKey(ctx, tx, a.TeamID, partnerKey); err != nil {
			return err
		}
		var granted pgtypeDate
		err = tx.QueryRow(ctx, `SELECT granted_on FROM consents WHERE case_id = $1 AND scope = 'partner' AND partner_id = $2 AND revoked_on IS NULL`,
			c.ID, p.ID).Scan(&granted)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ECONFLICT, "consent.none", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Field": "partner"})
		}
		if err != nil {
			return err
		}
		if g := dateOf(&granted); g != nil && on.Before(*g) {
			return kim.Errorf(kim.EINVALID, "consent.revoke_before_grant", dayArgs(dayArgs(map[string]any{"Field": "date"}, "Date", on), "Granted", *g))
		}
		if _, err := tx.Exec(ctx, `UPDATE consents SET revoked_on = $3 WHERE case_id = $1 AND scope = 'partner' AND partner_id = $2 AND revoked_on IS NULL`,
			c.ID, p.ID, on.UTC()); err != nil {
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

// hasConsent reports whether the case has an active consent for partner.
func hasConsent(ctx context.Context, tx pgx.Tx, caseID, partnerID int64) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM consents WHERE case_id = $1 AND scope = 'partner' AND partner_id = $2 AND revoked_on IS NULL)`,
		caseID, partnerID).Scan(&ok)
	return ok, err
}
