package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Partners returns the team's partner directory by key, without the
// partners taken out of it.
func (s *Store) Partners(ctx context.Context, teamID string) ([]kim.Partner, error) {
	list, err := teamPartners(ctx, s.pool, teamID, false)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read partners: %w", err)
	}
	return list, nil
}

// teamPartners returns the partners of the team's directory by key, and
// with removed those taken out of it as well, after them.
func teamPartners(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, teamID string, removed bool) ([]kim.Partner, error) {
	rows, err := q.Query(ctx, `SELECT id, key, name, coalesce(legal_domain, '') FROM partners WHERE team_id = $1 AND ($2 OR removed_at IS NULL)
		ORDER BY removed_at IS NOT NULL, key`, teamID, removed)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanPartner)
}

func scanPartner(r pgx.CollectableRow) (kim.Partner, error) {
	var p kim.Partner
	return p, r.Scan(&p.ID, &p.Key, &p.Name, &p.Domain)
}

// AddPartner adds a partner to the team's directory, or brings back one
// taken out of it under its key (with the new name and domain); ECONFLICT
// when the key is in the directory. A name the masking would change (a
// pseudonym, a reference, a person's name) is refused: the network sees
// partner names in the agenda's barrier summary.
func (s *Store) AddPartner(ctx context.Context, a kim.Actor, p kim.Partner) (kim.Partner, error) {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := s.neutralName(ctx, tx, a.TeamID, p.Name, "partner.not_neutral"); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO partners (team_id, key, name, legal_domain) VALUES ($1, $2, $3, nullif($4, ''))
			ON CONFLICT (team_id, key) DO UPDATE SET name = excluded.name, legal_domain = excluded.legal_domain, removed_at = NULL
			WHERE partners.removed_at IS NOT NULL
			RETURNING id`,
			a.TeamID, p.Key, p.Name, p.Domain).Scan(&p.ID)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ECONFLICT, "partner.exists", map[string]any{"Key": p.Key})
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, a, "admin.partner", 0, "")
	})
	return p, wrap("unable to add partner", err)
}

// PartnerChange is a correction of a partner in the directory; nil fields
// stay. Domain "none" is a partner of no legal domain.
type PartnerChange struct {
	Name, Domain *string
}

// EditPartner corrects the name or the legal domain of a partner in the
// directory, found by key or name as partnerByKey finds it; what names the
// partner (consents, referrals, barriers) shows the new name.
func (s *Store) EditPartner(ctx context.Context, a kim.Actor, key string, ch PartnerChange) (kim.Partner, error) {
	var p kim.Partner
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if p, err = partnerByKey(ctx, tx, a.TeamID, key); err != nil {
			return err
		}
		if ch.Name != nil {
			if err := s.neutralName(ctx, tx, a.TeamID, *ch.Name, "partner.not_neutral"); err != nil {
				return err
			}
			p.Name = *ch.Name
		}
		if ch.Domain != nil {
			p.Domain = *ch.Domain
		}
		if _, err := tx.Exec(ctx, `UPDATE partners SET name = $2, legal_domain = nullif($3, '') WHERE id = $1`, p.ID, p.Name, p.Domain); err != nil {
			return err
		}
		return audit(ctx, tx, a, "admin.partner", 0, "")
	})
	return p, wrap("unable to change partner", err)
}

// RemovePartner takes a partner out of the team's directory: no new
// consent, referral, barrier or template step names it; those that do keep
// it, and a consent given to it can still be revoked. It returns how many
// steps of the team's transition templates still name it (a new
// Rechtskreiswechsel copies them without it).
func (s *Store) RemovePartner(ctx context.Context, a kim.Actor, key string) (kim.Partner, int, error) {
	var p kim.Partner
	var steps int
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if p, err = partnerByKey(ctx, tx, a.TeamID, key); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE partners SET removed_at = now() WHERE id = $1`, p.ID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM transition_templates WHERE team_id = $1 AND partner_id = $2`, a.TeamID, p.ID).Scan(&steps); err != nil {
			return err
		}
		return audit(ctx, tx, a, "admin.partner", 0, "")
	})
	return p, steps, wrap("unable to remove partner", err)
}

// partnerByKey returns the team's partner in the directory with the key, or
// with the name, compared folded (Ausländerbehörde, auslaenderbehoerde,
// JOBCENTER), or the one partner whose name has the word (of seven letters
// or more); an EINVALID error naming the known keys when there is none.
func partnerByKey(ctx context.Context, tx pgx.Tx, teamID, key string) (kim.Partner, error) {
	return findPartner(ctx, tx, teamID, key, false)
}

// findPartner is partnerByKey; removed: also among the partners taken out
// of the directory (a consent given to one is still revoked).
func findPartner(ctx context.Context, tx pgx.Tx, teamID, key string, removed bool) (kim.Partner, error) {
	all, err := teamPartners(ctx, tx, teamID, removed)
	if err != nil {
		return kim.Partner{}, err
	}
	w := kim.Fold(key)
	keys := make([]string, len(all))
	var byName, byWord []kim.Partner
	for i, p := range all {
		if kim.Fold(p.Key) == w {
			return p, nil
		}
		if kim.Fold(p.Name) == w {
			byName = append(byName, p)
		} else if nameHasWord(p.Name, w, 7) { // a long word of one partner's name alone (Jugendmigrationsdienst, Agentur)
			byWord = append(byWord, p)
		}
		keys[i] = p.Key
	}
	if len(byName) > 0 {
		return byName[0], nil
	}
	if len(byWord) == 1 {
		return byWord[0], nil
	}
	return kim.Partner{}, kim.Errorf(kim.EINVALID, "partner.unknown", map[string]any{"Key": clipKey(key), "Keys": strings.Join(keys, ", "), "Field": "partner"})
}

// clipKey shortens a user-given key that is echoed back.
func clipKey(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
