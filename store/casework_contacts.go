package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// AddContact logs a contact of the case (minutes < 0: not given) and moves
// the next monitoring date to the team's interval after the latest contact.
func (s *Store) AddContact(ctx context.Context, a kim.Actor, ref string, k kim.Contact) (kim.Case, error) {
	return s.caseWrite(ctx, a, ref, "contact.add", "unable to log contact", func(tx pgx.Tx, c kim.Case) error {
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		var latest pgtypeDate
		if err := tx.QueryRow(ctx, `SELECT max(contact_on) FROM contacts WHERE case_id = $1`, c.ID).Scan(&latest); err != nil {
			return err
		}
		next, err := kim.LogContact(c, k, dateOf(&latest), set, a.Today)
		if err != nil {
			return err
		}
		var minutes *int
		if k.Minutes >= 0 {
			minutes = &k.Minutes
		}
		if _, err := tx.Exec(ctx, `INSERT INTO contacts (case_id, kind, minutes, contact_on, note_enc, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.ID, k.Kind, minutes, k.On.UTC(), s.seal(k.Note, ContactNote), a.UserID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE cases SET next_monitoring = $2 WHERE id = $1`, c.ID, next.UTC())
		return err
	})
}
