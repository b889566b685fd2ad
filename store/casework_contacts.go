package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// AddContact logs a contact of the case (minutes < 0: not given), moves the
// next monitoring date to the team's interval after the latest contact, and
// returns the case and the contact's number within it.
// It takes two round trips (store/batch.go): the case locked, with the
// team's defaults, the latest contact and the facts of its phase; then the
// contact, the case's new date and phase and the audit row, with the commit.
func (s *Store) AddContact(ctx context.Context, a kim.Actor, ref string, k kim.Contact) (kim.Case, int, error) {
	ref = NormalizeRef(ref)
	args := accessArgs(a, pgx.StrictNamedArgs{"ref": ref})
	visible := `(SELECT c.id FROM cases c WHERE ` + caseAccess + ` AND c.ref = @ref)`
	var c, out kim.Case
	var found bool
	var n int
	var set kim.TeamSettings
	var setErr error
	var latest pgtypeDate
	var facts kim.PhaseFacts
	err := s.twoTrips(ctx, a, func(b *pgx.Batch, scan *scanErr) {
		queue(b, `SELECT `+caseColumns+` FROM `+caseFrom+` WHERE `+caseAccess+` AND c.ref = @ref FOR UPDATE OF c`, args).
			QueryRow(func(row pgx.Row) (err error) {
				if c, err = s.scanCase(row); err == pgx.ErrNoRows {
					return nil
				}
				found = err == nil
				return scan.keep(err)
			})
		queue(b, teamSettingsQuery, pgx.StrictNamedArgs{"team": a.TeamID}).QueryRow(func(row pgx.Row) error {
			set, setErr = scanTeamSettings(row)
			return nil
		})
		queue(b, `SELECT max(contact_on) FROM contacts WHERE case_id = `+visible, args).QueryRow(func(row pgx.Row) error {
			return scan.keep(row.Scan(&latest))
		})
		queue(b, phaseFactsQuery(visible), args).QueryRow(func(row pgx.Row) (err error) {
			if facts, err = scanPhaseFacts(row, a.Today); err == pgx.ErrNoRows {
				return nil
			}
			return scan.keep(err)
		})
	}, func(w *pgx.Batch) error {
		if err := writableCase(c, found, ref); err != nil {
			return err
		}
		if setErr != nil {
			return setErr
		}
		next, err := kim.LogContact(c, k, dateOf(&latest), set, a.Today)
		if err != nil {
			return err
		}
		var minutes *int
		if k.Minutes >= 0 {
			minutes = &k.Minutes
		}
		facts.LastContact = kim.Later(facts.LastContact, k.On)
		out = c
		out.NextMonitoring, out.Phase = &next, kim.PhaseOf(facts)
		// One update of the case row: its next date and phase, and the
		// contact's number from its counter (as the trigger of migration
		// 00016 would give it; a number given here leaves the trigger idle).
		w.Queue(`WITH k AS (UPDATE cases SET last_contact_n = greatest(last_contact_n,
				(SELECT coalesce(max(n), 0) FROM contacts WHERE case_id = $1)) + 1,
				next_monitoring = $7, monitoring_by_hand = NULL, phase = $8, updated_at = now()
				WHERE id = $1 RETURNING last_contact_n)
			INSERT INTO contacts (case_id, n, kind, minutes, contact_on, note_enc, created_by)
			SELECT $1, k.last_contact_n, $2, $3, $4, $5, $6 FROM k RETURNING n`,
			c.ID, k.Kind, minutes, k.On.UTC(), s.seal(k.Note, ContactNote), a.UserID, next.UTC(), out.Phase).
			QueryRow(func(row pgx.Row) error { return row.Scan(&n) })
		queueAudit(w, a, "contact.add", c.ID, c.Ref)
		return nil
	})
	return out, n, wrap("unable to log contact", err)
}
