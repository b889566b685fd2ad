package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// ReportQuery selects the figures of one report.
type ReportQuery struct {
	Actor  kim.Actor
	Period kim.Period
	// Owner limits the report to the cases the user owns (a coach's own
	// figures); "" means the whole team (coordinators, admins).
	Owner string
	By    string // kim.ByOrg, … or kim.ByNone
}

// dimensions are the SQL expressions of the case dimensions (alias c, o).
var dimensions = map[string]string{
	kim.ByNone:    `''`,
	kim.ByField:   `''`,
	kim.ByPartner: `''`,
	kim.ByOrg:     `coalesce(o.name, '')`,
	kim.ByGroup:   `c.target_group`,
	kim.ByDomain:  `c.legal_domain`,
}

// Report computes the figures of a report in one consistent snapshot: every
// figure is grouped in Postgres (one set-based query per section), carries
// its number of distinct cases for suppression, and holds no case content.
// The read is written to the audit log without a case.
func (s *Store) Report(ctx context.Context, q ReportQuery) (kim.ReportData, error) {
	dim, ok := dimensions[q.By]
	if !ok {
		return kim.ReportData{}, fmt.Errorf("store: unknown report dimension %q", q.By)
	}
	asOf := q.Period.To
	if q.Actor.Today.Before(asOf) {
		asOf = q.Actor.Today
	}
	d := kim.ReportData{Period: q.Period, AsOf: asOf, Team: q.Owner == "", By: q.By}
	// sel is the report's cases with their dimension value; $1 team,
	// $2 owner or '', $3 from, $4 to, $5 as-of day.
	with := `WITH sel AS (
		SELECT c.id, c.opened_on, c.closed_on, c.close_reason, ` + dim + ` AS dim, $5::date AS as_of
		FROM cases c LEFT JOIN organisations o ON o.id = c.organisation_id
		WHERE c.team_id = $1 AND ($2 = '' OR c.owner_id = $2)) `
	args := []any{q.Actor.TeamID, q.Owner, q.Period.From.UTC(), q.Period.To.UTC(), asOf.UTC()}
	rows := map[string]*kim.CaseRow{}
	row := func(dim string) *kim.CaseRow {
		if rows[dim] == nil {
			rows[dim] = &kim.CaseRow{Dim: dim, ClosedBy: map[string]kim.Count{}}
		}
		return rows[dim]
	}
	fields := map[kim.LifeField]*kim.FieldRow{}
	for _, f := range kim.LifeFields {
		fields[f] = &kim.FieldRow{Field: f}
	}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		// The sections group a year's contacts of a large team in memory,
		// and are planned for their parameters (a team or one coach's cases),
		// never with a generic plan.
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '64MB'; SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return err
		}
		each := func(sql string, scan func(pgx.Rows) error) error {
			rs, err := tx.Query(ctx, with+sql, args...)
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
				if err := scan(rs); err != nil {
					return err
				}
			}
			return rs.Err()
		}
		// Cases: new in the period, open on the as-of day, closed by reason.
		err := each(`SELECT dim, close_reason,
				count(*) FILTER (WHERE opened_on BETWEEN $3 AND $4),
				count(*) FILTER (WHERE opened_on <= as_of AND (closed_on IS NULL OR closed_on > as_of)),
				count(*) FILTER (WHERE closed_on BETWEEN $3 AND $4)
			FROM sel GROUP BY dim, close_reason`, func(r pgx.Rows) error {
			var dim string
			var reason *string
			var nw, open, closed int64
			if err := r.Scan(&dim, &reason, &nw, &open, &closed); err != nil {
				return err
			}
			x := row(dim)
			x.New, x.Open = x.New.Add(kim.Count{N: nw, Cases: nw}), x.Open.Add(kim.Count{N: open, Cases: open})
			if reason != nil && closed > 0 {
				x.ClosedBy[*reason] = kim.Count{N: closed, Cases: closed}
				x.Closed = x.Closed.Add(kim.Count{N: closed, Cases: closed})
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Contacts and their minutes: summed per case first (a hash
		// aggregate), so the distinct cases need no sort.
		err = each(`SELECT s.dim, sum(k.n)::int8, sum(k.minutes)::int8, count(*)
			FROM (SELECT k.case_id, count(*) AS n, coalesce(sum(k.minutes), 0) AS minutes
				FROM contacts k JOIN cases c ON c.id = k.case_id
				WHERE c.team_id = $1 AND ($2 = '' OR c.owner_id = $2) AND k.contact_on BETWEEN $3 AND $4
				GROUP BY k.case_id) k
			JOIN sel s ON s.id = k.case_id GROUP BY s.dim`, func(r pgx.Rows) error {
			var dim string
			var n, minutes, cases int64
			if err := r.Scan(&dim, &n, &minutes, &cases); err != nil {
				return err
			}
			x := row(dim)
			x.Contacts, x.Minutes = kim.Count{N: n, Cases: cases}, kim.Count{N: minutes, Cases: cases}
			return nil
		})
		if err != nil {
			return err
		}
		// Assessments (seq 1) and re-assessments.
		err = each(`SELECT s.dim,
				count(*) FILTER (WHERE a.seq = 1), count(DISTINCT a.case_id) FILTER (WHERE a.seq = 1),
				count(*) FILTER (WHERE a.seq > 1), count(DISTINCT a.case_id) FILTER (WHERE a.seq > 1)
			FROM assessments a JOIN sel s ON s.id = a.case_id
			WHERE a.assessed_on BETWEEN $3 AND $4 GROUP BY s.dim`, func(r pgx.Rows) error {
			var dim string
			var n1, c1, n2, c2 int64
			if err := r.Scan(&dim, &n1, &c1, &n2, &c2); err != nil {
				return err
			}
			x := row(dim)
			x.Assessments, x.Reassessments = kim.Count{N: n1, Cases: c1}, kim.Count{N: n2, Cases: c2}
			return nil
		})
		if err != nil {
			return err
		}
		// Goals set and achieved, per dimension and per life field.
		err = each(`SELECT GROUPING(s.dim), coalesce(s.dim, ''), coalesce(g.field, ''),
				count(*) FILTER (WHERE g.created_on BETWEEN $3 AND $4),
				count(DISTINCT g.case_id) FILTER (WHERE g.created_on BETWEEN $3 AND $4),
				count(*) FILTER (WHERE g.status = 'done' AND g.closed_on BETWEEN $3 AND $4),
				count(DISTINCT g.case_id) FILTER (WHERE g.status = 'done' AND g.closed_on BETWEEN $3 AND $4)
			FROM goals g JOIN sel s ON s.id = g.case_id
			WHERE g.created_on BETWEEN $3 AND $4 OR g.closed_on BETWEEN $3 AND $4
			GROUP BY GROUPING SETS ((s.dim), (g.field))`, func(r pgx.Rows) error {
			var byField int
			var dim, field string
			var ns, cs, nd, cd int64
			if err := r.Scan(&byField, &dim, &field, &ns, &cs, &nd, &cd); err != nil {
				return err
			}
			set, done := kim.Count{N: ns, Cases: cs}, kim.Count{N: nd, Cases: cd}
			if byField == 1 {
				if f := fields[kim.LifeField(field)]; f != nil {
					f.GoalsSet, f.GoalsDone = set, done
				}
				return nil
			}
			x := row(dim)
			x.GoalsSet, x.GoalsDone = set, done
			return nil
		})
		if err != nil {
			return err
		}
		// Mean change per life field at re-assessments against the assessment before.
		err = each(`SELECT sc.field, avg(sc.score - pv.score)::float8, count(DISTINCT a.case_id)
			FROM assessments a JOIN sel s ON s.id = a.case_id
			JOIN assessment_scores sc ON sc.assessment_id = a.id
			JOIN assessments ap ON ap.case_id = a.case_id AND ap.seq = a.seq - 1
			JOIN assessment_scores pv ON pv.assessment_id = ap.id AND pv.field = sc.field
			WHERE a.seq > 1 AND a.assessed_on BETWEEN $3 AND $4
			GROUP BY sc.field`, func(r pgx.Rows) error {
			var field string
			var st kim.Stat
			if err := r.Scan(&field, &st.Value, &st.Cases); err != nil {
				return err
			}
			if f := fields[kim.LifeField(field)]; f != nil {
				f.Change = st
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Referrals made in the period: per dimension, and per partner with
		// outcomes (counted per case first) and the median days to an outcome.
		err = each(`SELECT r.dim, sum(r.n)::int8, count(*)
			FROM (SELECT s.dim, r.case_id, count(*) AS n FROM referrals r JOIN sel s ON s.id = r.case_id
				WHERE r.referred_on BETWEEN $3 AND $4 GROUP BY s.dim, r.case_id) r
			GROUP BY r.dim`, func(r pgx.Rows) error {
			var dim string
			var c kim.Count
			if err := r.Scan(&dim, &c.N, &c.Cases); err != nil {
				return err
			}
			row(dim).Referrals = c
			return nil
		})
		if err != nil {
			return err
		}
		perCase, sums := "", ""
		for i, o := range kim.ReferralOutcomes {
			perCase += fmt.Sprintf(`, count(*) FILTER (WHERE r.outcome = '%s') AS o%d`, o, i)
			sums += fmt.Sprintf(`, sum(x.o%[1]d)::int8, count(*) FILTER (WHERE x.o%[1]d > 0)`, i)
		}
		referrals := map[string]*kim.ReferralRow{}
		var partnerOrder []string
		err = each(`SELECT p.key, p.name, sum(x.n)::int8, count(*)`+sums+`
			FROM (SELECT r.partner_id, r.case_id, count(*) AS n`+perCase+`
				FROM referrals r JOIN sel s ON s.id = r.case_id
				WHERE r.referred_on BETWEEN $3 AND $4 GROUP BY r.partner_id, r.case_id) x
			JOIN partners p ON p.id = x.partner_id
			GROUP BY p.key, p.name ORDER BY p.name, p.key`, func(r pgx.Rows) error {
			x := &kim.ReferralRow{ByOutcome: map[string]kim.Count{}}
			counts := make([]int64, 2*len(kim.ReferralOutcomes))
			dest := []any{&x.Partner, &x.Name, &x.Total.N, &x.Total.Cases}
			for i := range counts {
				dest = append(dest, &counts[i])
			}
			if err := r.Scan(dest...); err != nil {
				return err
			}
			for i, o := range kim.ReferralOutcomes {
				x.ByOutcome[o] = kim.Count{N: counts[2*i], Cases: counts[2*i+1]}
			}
			referrals[x.Partner] = x
			partnerOrder = append(partnerOrder, x.Partner)
			return nil
		})
		if err != nil {
			return err
		}
		err = each(`SELECT p.key, percentile_cont(0.5) WITHIN GROUP (ORDER BY (r.outcome_on - r.referred_on)::float8),
				count(DISTINCT r.case_id)
			FROM referrals r JOIN sel s ON s.id = r.case_id JOIN partners p ON p.id = r.partner_id
			WHERE r.referred_on BETWEEN $3 AND $4 AND r.outcome <> 'pending' AND r.outcome_on IS NOT NULL
			GROUP BY p.key`, func(r pgx.Rows) error {
			var key string
			var st kim.Stat
			if err := r.Scan(&key, &st.Value, &st.Cases); err != nil {
				return err
			}
			if x := referrals[key]; x != nil {
				x.MedianDays = st
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range partnerOrder {
			d.Referrals = append(d.Referrals, *referrals[k])
		}
		// Rechtskreiswechsel.
		err = each(`SELECT GROUPING(s.dim), coalesce(s.dim, ''), coalesce(x.from_domain, ''), coalesce(x.to_domain, ''),
				count(*), count(DISTINCT x.case_id)
			FROM domain_changes x JOIN sel s ON s.id = x.case_id
			WHERE x.since BETWEEN $3 AND $4
			GROUP BY GROUPING SETS ((s.dim), (x.from_domain, x.to_domain))
			ORDER BY 1, 5 DESC, 3, 4`, func(r pgx.Rows) error {
			var byChange int
			var dim, from, to string
			var c kim.Count
			if err := r.Scan(&byChange, &dim, &from, &to, &c.N, &c.Cases); err != nil {
				return err
			}
			if byChange == 0 {
				row(dim).DomainChanges = c
			} else {
				d.DomainChanges = append(d.DomainChanges, kim.DomainChangeRow{From: from, To: to, Count: c})
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Barriers per partner or topic (a coach's own: of their cases).
		err = each(`SELECT GROUPING(dim), coalesce(dim, ''), coalesce(label, ''), coalesce(topic, false),
				count(*), count(DISTINCT case_key)
			FROM (SELECT coalesce(s.dim, '') AS dim, coalesce(p.name, b.topic) AS label, p.id IS NULL AS topic,
					coalesce(b.case_id, -b.id) AS case_key
				FROM barriers b LEFT JOIN sel s ON s.id = b.case_id LEFT JOIN partners p ON p.id = b.partner_id
				WHERE b.team_id = $1 AND b.recorded_on BETWEEN $3 AND $4 AND ($2 = '' OR s.id IS NOT NULL)) x
			GROUP BY GROUPING SETS ((dim), (label, topic))
			ORDER BY 1, 5 DESC, 3`, func(r pgx.Rows) error {
			var byLabel int
			var dim, label string
			var topic bool
			var c kim.Count
			if err := r.Scan(&byLabel, &dim, &label, &topic, &c.N, &c.Cases); err != nil {
				return err
			}
			if byLabel == 0 {
				row(dim).Barriers = c
			} else {
				d.Barriers = append(d.Barriers, kim.BarrierRow{Label: label, Topic: topic, Count: c})
			}
			return nil
		})
		if err != nil {
			return err
		}
		return audit(ctx, tx, q.Actor, "report.read", 0, "")
	})
	if err != nil {
		return d, wrap("unable to compute report", err)
	}
	for _, x := range rows {
		d.Rows = append(d.Rows, *x)
	}
	if len(d.Rows) == 0 {
		d.Rows = []kim.CaseRow{{ClosedBy: map[string]kim.Count{}}}
	}
	sortRows(d.Rows)
	for _, f := range kim.LifeFields {
		d.Fields = append(d.Fields, *fields[f])
	}
	return d, nil
}

// sortRows orders case rows by dimension value, the empty one last.
func sortRows(rs []kim.CaseRow) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && less(rs[j].Dim, rs[j-1].Dim); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

func less(a, b string) bool {
	if (a == "") != (b == "") {
		return b == ""
	}
	return a < b
}
