package store

// Data-subject rights and retention (SPEC §5): the Art. 15 export, the
// Art. 17 erasure, and the erasure of closed cases after the team's
// retention period. Erasure removes the personal data; the anonymous
// structure (dates, fields, partners, outcomes) stays for the statistics.

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// SystemActor is the actor id of kimbot's own acts in the audit log.
const SystemActor = "kimbot"

// withdrawAndErase revokes every consent of the case from day on, closes it
// as withdrawn if it is open, erases its personal data and audits the
// erasure; it returns the case as it is now.
func (s *Store) withdrawAndErase(ctx context.Context, tx pgx.Tx, a kim.Actor, c kim.Case, on kim.Date) (kim.Case, error) {
	// The revocation is effective from the day it is recorded for consents
	// granted later than the given day.
	if _, err := tx.Exec(ctx, `UPDATE consents SET revoked_on = greatest($2::date, granted_on) WHERE case_id = $1 AND revoked_on IS NULL`,
		c.ID, on.UTC()); err != nil {
		return c, err
	}
	if c.Open() {
		closed, err := kim.Close(c, "withdrawn", "", a.Today)
		if err != nil {
			return c, err
		}
		if err := s.writeClosure(ctx, tx, closed); err != nil {
			return c, err
		}
	}
	if err := eraseCases(ctx, tx, []int64{c.ID}); err != nil {
		return c, err
	}
	if err := audit(ctx, tx, a, "case.erase", c.ID, c.Ref); err != nil {
		return c, err
	}
	return s.settle(ctx, tx, a, c.ID)
}

// eraseCases removes the personal data of the cases (every sealed column of
// case data, their barrier texts included), marks them erased, makes their
// export links fail and notes the export posts to delete in Mattermost.
func eraseCases(ctx context.Context, tx pgx.Tx, ids []int64) error {
	// A free topic that a replica of the previous release wrote (issue 10).
	if _, err := tx.Exec(ctx, `UPDATE barriers SET topic = NULL WHERE case_id = ANY($1) AND topic IS NOT NULL`, ids); err != nil {
		return err
	}
	// Transition steps hold a team template's text, no coach's; it goes
	// with the case all the same (dates, partners and states stay).
	if _, err := tx.Exec(ctx, `UPDATE transition_steps SET text = '' WHERE case_id = ANY($1) AND text <> ''`, ids); err != nil {
		return err
	}
	for _, q := range erasure {
		if _, err := tx.Exec(ctx, q, ids); err != nil {
			return err
		}
	}
	return queueExportCleanups(ctx, tx, ids) // store/exports.go
}

// erasure holds the statements that erase the cases whose ids are $1: one
// per table of Sealed with case data, clearing its sealed columns; the one of
// cases also marks them erased.
var erasure = func() []string {
	var tables []string
	set, key := map[string][]string{}, map[string]string{}
	for _, c := range Sealed {
		if c.CaseKey == "" {
			continue
		}
		if _, seen := set[c.Table]; !seen {
			tables = append(tables, c.Table)
			key[c.Table] = c.CaseKey
		}
		set[c.Table] = append(set[c.Table], c.Column+" = NULL")
	}
	out := make([]string, len(tables))
	for i, t := range tables {
		if t == "cases" {
			set[t] = append(set[t], "erased_at = coalesce(erased_at, now())", "updated_at = now()")
		}
		out[i] = "UPDATE " + t + " SET " + strings.Join(set[t], ", ") + " WHERE " + key[t] + " = ANY($1)"
	}
	return out
}()

// EraseCase erases the personal data of a case of the actor at the data
// subject's request (Art. 17): consents are revoked, an open case is closed
// as withdrawn.
func (s *Store) EraseCase(ctx context.Context, a kim.Actor, ref string) (kim.Case, error) {
	var out kim.Case
	err := s.tx(ctx, func(tx pgx.Tx) error {
		c, err := s.unerased(ctx, tx, a, ref)
		if err != nil {
			return err
		}
		out, err = s.withdrawAndErase(ctx, tx, a, c, a.Today)
		return err
	})
	return out, wrap("unable to erase case", err)
}

// EraseExpired erases every closed case whose team's retention period
// (months after closure) ended before today, and returns how many it erased.
func (s *Store) EraseExpired(ctx context.Context, today kim.Date) (int, error) {
	var n int
	err := s.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT c.id, c.team_id, c.ref FROM cases c JOIN teams t ON t.id = c.team_id
			WHERE c.closed_on IS NOT NULL AND c.erased_at IS NULL
				AND c.closed_on + make_interval(months => t.retention_months) < $1::date
			FOR UPDATE OF c`, today.UTC())
		if err != nil {
			return err
		}
		type row struct {
			id        int64
			team, ref string
		}
		expired, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.team, &x.ref)
		})
		if err != nil || len(expired) == 0 {
			return err
		}
		ids := make([]int64, len(expired))
		for i, x := range expired {
			ids[i] = x.id
			if err := audit(ctx, tx, kim.Actor{TeamID: x.team, UserID: SystemActor}, "case.erase.retention", x.id, x.ref); err != nil {
				return err
			}
		}
		n = len(ids)
		return eraseCases(ctx, tx, ids)
	})
	if err != nil {
		return 0, fmt.Errorf("store: unable to erase expired cases: %w", err)
	}
	return n, nil
}

// ExportCase returns everything kimbot holds about a case of the actor and
// audits the export.
func (s *Store) ExportCase(ctx context.Context, a kim.Actor, ref string) (kim.Export, error) {
	var x kim.Export
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		x, err = s.exportCase(ctx, tx, a, ref)
		return err
	})
	return x, wrap("unable to export case", err)
}

// exportCase returns the export of a case of the actor and audits it.
func (s *Store) exportCase(ctx context.Context, tx pgx.Tx, a kim.Actor, ref string) (kim.Export, error) {
	var x kim.Export
	c, err := s.caseFor(ctx, tx, a, ref, false)
	if err != nil {
		return x, err
	}
	x = kim.Export{Ref: c.Ref, Pseudonym: c.Pseudonym, Group: c.Group, Domain: c.Domain, Phase: c.Phase,
		Owner: c.OwnerName, Organisation: c.Organisation, OpenedOn: c.OpenedOn.String(), ClosedOn: isoDate(c.ClosedOn),
		CloseReason: c.CloseReason, CloseNote: c.CloseNote}
	if err := tx.QueryRow(ctx, `SELECT name FROM teams WHERE id = $1`, c.TeamID).Scan(&x.Team); err != nil {
		return x, err
	}
	if err := s.exportRows(ctx, tx, c.ID, &x); err != nil {
		return x, err
	}
	return x, audit(ctx, tx, a, "case.export", c.ID, c.Ref)
}

// exportRows fills the lists of an export, each in the order things happened.
func (s *Store) exportRows(ctx context.Context, tx pgx.Tx, id int64, x *kim.Export) error {
	type query struct {
		sql  string
		scan func(pgx.Rows) error
	}
	var d1, d2, d3 pgtypeDate
	var b1, b2 []byte
	for _, q := range []query{
		{`SELECT k.scope, coalesce(p.key, ''), k.form, k.granted_on, k.revoked_on FROM consents k
			LEFT JOIN partners p ON p.id = k.partner_id WHERE k.case_id = $1 ORDER BY k.id`, func(r pgx.Rows) error {
			var k kim.ExportConsent
			err := r.Scan(&k.Scope, &k.Partner, &k.Form, &d1, &d2)
			k.GrantedOn, k.RevokedOn = isoDate(dateOf(&d1)), isoDate(dateOf(&d2))
			x.Consents = append(x.Consents, k)
			return err
		}},
		{`SELECT n, kind, coalesce(minutes, 0), contact_on, note_enc FROM contacts WHERE case_id = $1 ORDER BY contact_on, n`, func(r pgx.Rows) error {
			var k kim.ExportContact
			err := r.Scan(&k.N, &k.Kind, &k.Minutes, &d1, &b1)
			k.On, k.Note = isoDate(dateOf(&d1)), s.open(b1, ContactNote)
			x.Contacts = append(x.Contacts, k)
			return err
		}},
		{`SELECT a.seq, a.assessed_on, a.note_enc, coalesce(json_object_agg(sc.field, sc.score) FILTER (WHERE sc.field IS NOT NULL), '{}')
			FROM assessments a LEFT JOIN assessment_scores sc ON sc.assessment_id = a.id
			WHERE a.case_id = $1 GROUP BY a.id ORDER BY a.seq`, func(r pgx.Rows) error {
			var k kim.ExportAssess
			err := r.Scan(&k.Seq, &d1, &b1, &k.Scores)
			k.On, k.Note = isoDate(dateOf(&d1)), s.open(b1, AssessmentNote)
			x.Assessments = append(x.Assessments, k)
			return err
		}},
		{`SELECT n, field, text_enc, due_on, status FROM goals WHERE case_id = $1 ORDER BY n`, func(r pgx.Rows) error {
			var k kim.ExportGoal
			err := r.Scan(&k.N, &k.Field, &b1, &d1, &k.Status)
			k.Text, k.Due = s.open(b1, GoalText), isoDate(dateOf(&d1))
			x.Goals = append(x.Goals, k)
			return err
		}},
		{`SELECT r.n, p.name, r.reason_enc, r.referred_on, r.followup_on, r.outcome, r.outcome_on, r.outcome_note_enc
			FROM referrals r JOIN partners p ON p.id = r.partner_id WHERE r.case_id = $1 ORDER BY r.n`, func(r pgx.Rows) error {
			var k kim.ExportReferral
			err := r.Scan(&k.N, &k.Partner, &b1, &d1, &d2, &k.Outcome, &d3, &b2)
			k.Reason, k.Note = s.open(b1, ReferralReason), s.open(b2, ReferralNote)
			k.On, k.Followup, k.OutcomeOn = isoDate(dateOf(&d1)), isoDate(dateOf(&d2)), isoDate(dateOf(&d3))
			k.Outcomes = []kim.ExportOutcome{}
			x.Referrals = append(x.Referrals, k)
			return err
		}},
		{`SELECT r.n, o.outcome, o.outcome_on, o.note_enc FROM referral_outcomes o JOIN referrals r ON r.id = o.referral_id
			WHERE o.case_id = $1 ORDER BY o.id`, func(r pgx.Rows) error {
			var k kim.ExportOutcome
			var n int
			err := r.Scan(&n, &k.Outcome, &d1, &b1)
			k.On, k.Note = isoDate(dateOf(&d1)), s.open(b1, ReferralOutcomeNote)
			for i := range x.Referrals {
				if x.Referrals[i].N == n {
					x.Referrals[i].Outcomes = append(x.Referrals[i].Outcomes, k)
				}
			}
			return err
		}},
		{`SELECT id, from_domain, to_domain, since FROM domain_changes WHERE case_id = $1 ORDER BY since, id`, func(r pgx.Rows) error {
			var k kim.ExportDomain
			err := r.Scan(&k.ChangeID, &k.From, &k.To, &d1)
			k.Since = isoDate(dateOf(&d1))
			x.Domains = append(x.Domains, k)
			return err
		}},
		{`SELECT s.change_id, s.n, s.text, coalesce(p.name, ''), s.due_on, s.status, s.closed_on
			FROM transition_steps s LEFT JOIN partners p ON p.id = s.partner_id WHERE s.case_id = $1 ORDER BY s.change_id, s.pos`, func(r pgx.Rows) error {
			var k kim.ExportStep
			var change int64
			err := r.Scan(&change, &k.N, &k.Text, &k.Partner, &d1, &k.Status, &d2)
			k.Due, k.ClosedOn = isoDate(dateOf(&d1)), isoDate(dateOf(&d2))
			for i := range x.Domains {
				if x.Domains[i].ChangeID == change {
					x.Domains[i].Steps = append(x.Domains[i].Steps, k)
				}
			}
			return err
		}},
		{`SELECT b.recorded_on, coalesce(p.name, ''), coalesce(t.name, CASE WHEN p.id IS NULL THEN '` + otherTopic + `' END, ''), b.text_enc
			FROM barriers b LEFT JOIN partners p ON p.id = b.partner_id LEFT JOIN barrier_topics t ON t.id = b.topic_id
			WHERE b.case_id = $1 ORDER BY b.id`, func(r pgx.Rows) error {
			var k kim.ExportBarrier
			err := r.Scan(&d1, &k.Partner, &k.Topic, &b1)
			k.On, k.Text = isoDate(dateOf(&d1)), s.open(b1, BarrierText)
			x.Barriers = append(x.Barriers, k)
			return err
		}},
	} {
		rows, err := tx.Query(ctx, q.sql, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := q.scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// isoDate formats an optional date as YYYY-MM-DD ("" when unset).
func isoDate(d *kim.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// PurgeDeliveries deletes settled reminder delivery records of days before
// the given day and returns how many; they are only needed while a day's
// deliveries can still be retried.
func (s *Store) PurgeDeliveries(ctx context.Context, before kim.Date) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM reminder_deliveries WHERE day < $1 AND status <> 'claimed'`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: unable to purge deliveries: %w", err)
	}
	return tag.RowsAffected(), nil
}
