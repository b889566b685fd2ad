package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// DefaultPartners are the partner keys every team starts with (SPEC §3).
var DefaultPartners = []kim.Partner{
	{Key: "jobcenter", Name: "Jobcenter", Domain: "SGB2"},
	{Key: "arbeitsagentur", Name: "Agentur für Arbeit", Domain: "SGB3"},
	{Key: "jugendamt", Name: "Jugendamt", Domain: "SGB8"},
	{Key: "sozialamt", Name: "Sozialamt", Domain: "SGB12"},
	{Key: "auslaenderbehoerde", Name: "Ausländerbehörde"},
	{Key: "jmd", Name: "Jugendmigrationsdienst (JMD)"},
	{Key: "mbe", Name: "Migrationsberatung für Erwachsene (MBE)"},
	{Key: "gesundheitsamt", Name: "Gesundheitsamt"},
	{Key: "integrationskurs", Name: "Integrationskursträger"},
}

// SetInstallation stores an installation-wide value and, sealed, a secret.
func (s *Store) SetInstallation(ctx context.Context, key, value, secretValue string) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO installation (key, value, secret_enc) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = $2, secret_enc = $3, updated_at = now()`,
		key, value, s.keys.Seal(secretValue, InstallationSecret.LabelOf(key)))
	if err != nil {
		return fmt.Errorf("store: unable to save installation %s: %w", key, err)
	}
	return nil
}

// Installation returns an installation-wide value and its opened secret;
// kim.ErrNotFound if it was never set.
func (s *Store) Installation(ctx context.Context, key string) (value, secretValue string, err error) {
	var enc []byte
	err = s.pool.QueryRow(ctx, `SELECT value, secret_enc FROM installation WHERE key = $1`, key).Scan(&value, &enc)
	if err != nil {
		return "", "", notFound(err)
	}
	secretValue, err = s.keys.Open(enc, InstallationSecret.LabelOf(key))
	return value, secretValue, err
}

// UpsertTeam records a provisioned team with its slash command and seeds the
// default partners, barrier topics and transition templates; returns whether anything changed.
func (s *Store) UpsertTeam(ctx context.Context, id, name, commandID, commandToken string) (changed bool, err error) {
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var oldName, oldCmd string
		var oldEnc []byte
		e := tx.QueryRow(ctx, `SELECT name, coalesce(command_id, ''), command_token_enc FROM teams WHERE id = $1 FOR UPDATE`, id).
			Scan(&oldName, &oldCmd, &oldEnc)
		switch {
		case e == pgx.ErrNoRows:
			changed = true
			if _, e = tx.Exec(ctx, `INSERT INTO teams (id, name, command_id, command_token_enc) VALUES ($1, $2, $3, $4)`,
				id, name, commandID, s.seal(commandToken, TeamCommandToken)); e != nil {
				return e
			}
		case e != nil:
			return e
		default:
			oldToken, _ := s.keys.Open(oldEnc, TeamCommandToken.Label)
			if oldName != name || oldCmd != commandID || oldToken != commandToken {
				changed = true
				if _, e = tx.Exec(ctx, `UPDATE teams SET name = $2, command_id = $3, command_token_enc = $4, updated_at = now() WHERE id = $1`,
					id, name, commandID, s.seal(commandToken, TeamCommandToken)); e != nil {
					return e
				}
			}
		}
		for _, p := range DefaultPartners {
			tag, e := tx.Exec(ctx, `INSERT INTO partners (team_id, key, name, legal_domain) VALUES ($1, $2, $3, nullif($4, ''))
				ON CONFLICT (team_id, key) DO NOTHING`, id, p.Key, p.Name, p.Domain)
			if e != nil {
				return e
			}
			changed = changed || tag.RowsAffected() > 0
		}
		seeded, e := seedTopics(ctx, tx, id)
		changed = changed || seeded
		if e != nil {
			return e
		}
		seeded, e = seedTransitions(ctx, tx, id)
		changed = changed || seeded
		return e
	})
	if err != nil {
		return false, fmt.Errorf("store: unable to save team: %w", err)
	}
	return changed, nil
}

// CommandTokens returns the slash-command verification token of each team.
func (s *Store) CommandTokens(ctx context.Context) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, command_token_enc FROM teams WHERE command_token_enc IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read command tokens: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id string
		var enc []byte
		if err := rows.Scan(&id, &enc); err != nil {
			return nil, err
		}
		tok, err := s.keys.Open(enc, TeamCommandToken.Label)
		if err != nil {
			return nil, fmt.Errorf("store: command token of team %s: %w", id, err)
		}
		out[id] = tok
	}
	return out, rows.Err()
}

// TeamSettings returns the per-team defaults; an application error for a
// team kimbot was not provisioned into.
func (s *Store) TeamSettings(ctx context.Context, teamID string) (kim.TeamSettings, error) {
	return teamSettings(ctx, s.pool, teamID)
}
