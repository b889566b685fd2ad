package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Partners returns the team's partner directory by key.
func (s *Store) Partners(ctx context.Context, teamID string) ([]kim.Partner, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, key, name, coalesce(legal_domain, '') FROM partners WHERE team_id = $1 ORDER BY key`, teamID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read partners: %w", err)
	}
	return pgx.CollectRows(rows, scanPartner)
}

func scanPartner(r pgx.CollectableRow) (kim.Partner, error) {
	var p kim.Partner
	return p, r.Scan(&p.ID, &p.Key, &p.Name, &p.Domain)
}

// AddPartner adds a partner to the team's directory; ECONFLICT when the key
// is taken.
func (s *Store) AddPartner(ctx context.Context, a kim.Actor, p kim.Partner) (kim.Partner, error) {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO partners (team_id, key, name, legal_domain) VALUES ($1, $2, $3, nullif($4, '')) RETURNING id`,
			a.TeamID, p.Key, p.Name, p.Domain).Scan(&p.ID)
		if isUnique(err, "") {
			return kim.Errorf(kim.ECONFLICT, "partner.exists", map[string]any{"Key": p.Key})
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, a, "admin.partner", 0, "")
	})
	return p, wrap("unable to add partner", err)
}

// partnerByKey returns the team's partner with the key, or with the name,
// compared folded (Ausländerbehörde, auslaenderbehoerde, JOBCENTER), or the
// one partner whose name has the word (of seven letters or more); an
// EINVALID error naming the known keys when there is none.
func partnerByKey(ctx context.Context, tx pgx.Tx, teamID, key string) (kim.Partner, error) {
	rows, err := tx.Query(ctx, `SELECT id, key, name, coalesce(legal_domain, '') FROM partners WHERE team_id = $1 ORDER BY key`, teamID)
	if err != nil {
		return kim.Partner{}, err
	}
	all, err := pgx.CollectRows(rows, scanPartner)
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
