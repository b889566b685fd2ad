package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// DefaultsChange are the per-team settings to change; nil keeps a value.
type DefaultsChange struct {
	MonitoringDays      *int
	FirstAssessmentDays *int
	ReassessmentMonths  *int
	FollowupDays        *int
	RetentionMonths     *int
	AgendaLeadWorkdays  *int
}

// SetTeamDefaults changes the team's intervals of SPEC §3 and returns them.
// They apply to every later write; dates already set stay.
func (s *Store) SetTeamDefaults(ctx context.Context, a kim.Actor, ch DefaultsChange) (kim.TeamSettings, error) {
	var t kim.TeamSettings
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE teams SET monitoring_days = coalesce($2, monitoring_days),
			first_assessment_days = coalesce($3, first_assessment_days), reassessment_months = coalesce($4, reassessment_months),
			followup_days = coalesce($5, followup_days), retention_months = coalesce($6, retention_months),
			agenda_lead_workdays = coalesce($7, agenda_lead_workdays), updated_at = now() WHERE id = $1`,
			a.TeamID, ch.MonitoringDays, ch.FirstAssessmentDays, ch.ReassessmentMonths, ch.FollowupDays,
			ch.RetentionMonths, ch.AgendaLeadWorkdays)
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

// RetentionErases returns how many closed cases of the team a retention of
// months would erase at the next pass that the team's current retention
// keeps (EraseExpired erases them).
func (s *Store) RetentionErases(ctx context.Context, teamID string, months int, today kim.Date) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `
		SELECT count(*) FROM cases c JOIN teams t ON t.id = c.team_id
		WHERE c.team_id = $1 AND c.closed_on IS NOT NULL AND c.erased_at IS NULL
			AND c.closed_on + make_interval(months => $2) < $3::date
			AND NOT c.closed_on + make_interval(months => t.retention_months) < $3::date`, teamID, months, today.UTC()).Scan(&n)
	return n, wrap("unable to count cases to erase", err)
}
