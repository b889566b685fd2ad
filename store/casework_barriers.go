package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// AddBarrier records a Strukturhinweis found in the case: about a partner of
// the directory when about is one of its keys, else about a free topic. It
// keeps the case id for the owner and statistics only; the network sees it
// without case reference. It returns the partner (zero for a topic).
func (s *Store) AddBarrier(ctx context.Context, a kim.Actor, ref, about, text string) (kim.Case, kim.Partner, error) {
	var p kim.Partner
	c, err := s.caseWrite(ctx, a, ref, "barrier.add", "unable to record barrier", func(tx pgx.Tx, c kim.Case) error {
		var partnerID *int64
		var topic *string
		if found, err := partnerByKey(ctx, tx, a.TeamID, about); err == nil {
			p, partnerID = found, &found.ID
		} else if kim.ErrorCode(err) == kim.EINVALID {
			topic = &about
		} else {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO barriers (team_id, case_id, partner_id, topic, text_enc, recorded_on, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.TeamID, c.ID, partnerID, topic, s.seal(text, BarrierText), a.Today.UTC(), a.UserID)
		return err
	})
	return c, p, err
}
