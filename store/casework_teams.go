package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// DefaultsChange are the per-team intervals to change; nil keeps a value.
type DefaultsChange struct {
	MonitoringDays      *int
	FirstAssessmentDays *int
	ReassessmentMonths  *int
	FollowupDays        *int
}

// SetTeamDefaults changes the team's intervals of SPEC §3 and returns them.
// They apply to every later write; dates already set stay.
func (s *Store) SetTeamDefaults(ctx context.Context, a kim.Actor, ch DefaultsChange) (kim.TeamSettings, error) {
	var t kim.TeamSettings
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE teams SET monitoring_days = coalesce($2, monitoring_days),
			first_assessment_days = coalesce($3, first_assessment_days), reassessment_months = coalesce($4, reassessment_months),
			followup_days = coalesce($5, followup_days), updated_at = now() WHERE id = $1`,
			a.TeamID, ch.MonitoringDays, ch.FirstAssessmentDays, ch.ReassessmentMonths, ch.FollowupDays)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return kim.Errorf(kim.ENOTFOUND, "err.team_not_provisioned", nil)
		}
		if t, err = teamSettings(ctx, tx, a.TeamID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "admin.defaults", 0, "")
	})
	return t, wrap("unable to save team defaults", err)
}
