package store

// Download links of Art. 15 exports and what an erasure leaves to remove in
// Mattermost (issue 10 point 5; README "Data-subject rights").

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// linkKey is what export_links keeps of a link's random part.
func linkKey(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

// CreateExportLink records a download link (random part id) of the export of
// a case of the actor, valid until expires, audits it and returns the case.
func (s *Store) CreateExportLink(ctx context.Context, a kim.Actor, ref, id string, expires time.Time) (kim.Case, error) {
	var c kim.Case
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = s.caseFor(ctx, tx, a, ref, false); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO export_links (id, team_id, case_id, user_id, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			linkKey(id), c.TeamID, c.ID, a.UserID, expires); err != nil {
			return err
		}
		return audit(ctx, tx, a, "case.export.link", c.ID, c.Ref)
	})
	return c, wrap("unable to create export link", err)
}

// ExportLinkValid reports whether the link (random part id) of the user is
// unused, unexpired at now and its case not erased.
func (s *Store) ExportLinkValid(ctx context.Context, id, userID string, now time.Time) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM export_links l JOIN cases c ON c.id = l.case_id
		WHERE l.id = $1 AND l.user_id = $2 AND l.used_at IS NULL AND l.expires_at > $3 AND c.erased_at IS NULL)`,
		linkKey(id), userID, now).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: unable to check export link: %w", err)
	}
	return ok, nil
}

// FetchExport uses up the link (random part id) of the user and returns the
// export of its case as of today, generated now and audited. kim.ENOTFOUND
// when the link is unknown, used, expired or its case erased, when member
// says the user is no longer a member of the case's team in Mattermost, or
// when the user no longer may see the case (e.g. after a handover).
func (s *Store) FetchExport(ctx context.Context, id, userID string, now time.Time, today kim.Date,
	member func(ctx context.Context, teamID, userID string) (bool, error)) (kim.Export, error) {
	var x kim.Export
	invalid := kim.Errorf(kim.ENOTFOUND, "export.link_invalid", nil)
	err := s.tx(ctx, func(tx pgx.Tx) error {
		a := kim.Actor{UserID: userID, Today: today}
		var ref string
		err := tx.QueryRow(ctx, `SELECT l.team_id, c.ref FROM export_links l JOIN cases c ON c.id = l.case_id
			WHERE l.id = $1 AND l.user_id = $2 AND l.used_at IS NULL AND l.expires_at > $3 AND c.erased_at IS NULL
			FOR UPDATE OF l`, linkKey(id), userID, now).Scan(&a.TeamID, &ref)
		if err == pgx.ErrNoRows {
			return invalid
		}
		if err != nil {
			return err
		}
		if ok, err := member(ctx, a.TeamID, userID); err != nil {
			return err
		} else if !ok {
			return invalid
		}
		if _, err := tx.Exec(ctx, `UPDATE export_links SET used_at = $2 WHERE id = $1`, linkKey(id), now); err != nil {
			return err
		}
		x, err = s.exportCase(ctx, tx, a, ref)
		return err
	})
	return x, wrap("unable to fetch export", err)
}

// ExportCleanup is the bot's posts about a case's exports in the DM with one
// user, left to delete after the case was erased.
type ExportCleanup struct {
	TeamID, Ref, UserID string
	Attempts            int
}

// queueExportCleanups notes, for each case of ids, the DMs holding the bot's
// export posts (every user who exported it or asked for a link), and deletes
// the case's links; part of an erasure.
func queueExportCleanups(ctx context.Context, tx pgx.Tx, ids []int64) error {
	if _, err := tx.Exec(ctx, `
		INSERT INTO export_cleanups (team_id, case_ref, user_id)
		SELECT DISTINCT c.team_id, c.ref, l.actor_id FROM audit_log l JOIN cases c ON c.id = l.case_id
		WHERE l.case_id = ANY($1) AND l.action IN ('case.export', 'case.export.link')
		ON CONFLICT DO NOTHING`, ids); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM export_links WHERE case_id = ANY($1)`, ids)
	return err
}

// ExportCleanups returns up to limit cleanups left, the oldest first.
func (s *Store) ExportCleanups(ctx context.Context, limit int) ([]ExportCleanup, error) {
	rows, err := s.pool.Query(ctx, `SELECT team_id, case_ref, user_id, attempts FROM export_cleanups
		ORDER BY created_at, case_ref, user_id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read export cleanups: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ExportCleanup, error) {
		var x ExportCleanup
		return x, r.Scan(&x.TeamID, &x.Ref, &x.UserID, &x.Attempts)
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read export cleanups: %w", err)
	}
	return out, nil
}

// SettleExportCleanup removes a cleanup once done; when it failed (done
// false) it counts the attempt instead.
func (s *Store) SettleExportCleanup(ctx context.Context, x ExportCleanup, done bool) error {
	q := `UPDATE export_cleanups SET attempts = attempts + 1 WHERE team_id = $1 AND case_ref = $2 AND user_id = $3`
	if done {
		q = `DELETE FROM export_cleanups WHERE team_id = $1 AND case_ref = $2 AND user_id = $3`
	}
	if _, err := s.pool.Exec(ctx, q, x.TeamID, x.Ref, x.UserID); err != nil {
		return fmt.Errorf("store: unable to settle export cleanup: %w", err)
	}
	return nil
}
