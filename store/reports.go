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

// reportBuild is a report while its sections fill it.
type reportBuild struct {
	d         kim.ReportData
	rows      map[string]*kim.CaseRow // by dimension value
	fields    map[kim.LifeField]*kim.FieldRow
	referrals map[string]*kim.ReferralRow // by partner key
	partners  []string                    // partner keys in the order of their section
}

// row returns the case row of a dimension value, adding it when new.
func (b *reportBuild) row(dim string) *kim.CaseRow {
	if b.rows[dim] == nil {
		b.rows[dim] = &kim.CaseRow{Dim: dim, ClosedBy: map[string]kim.Count{}}
	}
	return b.rows[dim]
}

// reportSection is one set-based query of a report and the scan of each of
// its rows. The query follows reportSel and may use its parameters: @team,
// @owner (the owner's id, empty for the whole team), @from and @to (the
// period) and @as_of. name labels its errors.
type reportSection struct {
	name string
	sql  string
	scan func(b *reportBuild, r pgx.Rows) error
}

// reportSel is the report's cases with their dimension value (dim, an
// expression of dimensions).
func reportSel(dim string) string {
	return `WITH sel AS (
		SELECT c.id, c.opened_on, c.closed_on, c.close_reason, ` + dim + ` AS dim, @as_of::date AS as_of
		FROM cases c LEFT JOIN organisations o ON o.id = c.organisation_id
		WHERE c.team_id = @team AND (@owner = '' OR c.owner_id = @owner)) `
}

// reportSections are the sections of every report, in the order they run.
var reportSections = []reportSection{
	// Cases: new in the period, open on the as-of day, closed by reason.
	{"cases", `SELECT dim, close_reason,
			count(*) FILTER (WHERE opened_on BETWEEN @from AND @to),
			count(*) FILTER (WHERE opened_on <= as_of AND (closed_on IS NULL OR closed_on > as_of)),
			count(*) FILTER (WHERE closed_on BETWEEN @from AND @to)
		FROM sel GROUP BY dim, close_reason`, func(b *reportBuild, r pgx.Rows) error {
		var dim string
		var reason *string
		var nw, open, closed int64
		if err := r.Scan(&dim, &reason, &nw, &open, &closed); err != nil {
			return err
		}
		x := b.row(dim)
		x.New, x.Open = x.New.Add(kim.Count{N: nw, Cases: nw}), x.Open.Add(kim.Count{N: open, Cases: open})
		if reason != nil && closed > 0 {
			x.ClosedBy[*reason] = kim.Count{N: closed, Cases: closed}
			x.Closed = x.Closed.Add(kim.Count{N: closed, Cases: closed})
		}
		return nil
	}},
	// Contacts and their minutes: summed per case first (a hash aggregate),
	// so the distinct cases need no sort.
	{"contacts", `SELECT s.dim, sum(k.n)::int8, sum(k.minutes)::int8, count(*)
		FROM (SELECT k.case_id, count(*) AS n, coalesce(sum(k.minutes), 0) AS minutes
			FROM contacts k JOIN cases c ON c.id = k.case_id
			WHERE c.team_id = @team AND (@owner = '' OR c.owner_id = @owner) AND k.contact_on BETWEEN @from AND @to
			GROUP BY k.case_id) k
		JOIN sel s ON s.id = k.case_id GROUP BY s.dim`, func(b *reportBuild, r pgx.Rows) error {
		var dim string
		var n, minutes, cases int64
		if err := r.Scan(&dim, &n, &minutes, &cases); err != nil {
			return err
		}
		x := b.row(dim)
		x.Contacts, x.Minutes = kim.Count{N: n, Cases: cases}, kim.Count{N: minutes, Cases: cases}
		return nil
	}},
	// Assessments (the first of a case: none with a lower number remains;
	// numbers are never given twice, so they may have gaps) and re-assessments.
	{"assessments", `SELECT s.dim,
			count(*) FILTER (WHERE a.first), count(DISTINCT a.case_id) FILTER (WHERE a.first),
			count(*) FILTER (WHERE NOT a.first), count(DISTINCT a.case_id) FILTER (WHERE NOT a.first)
		FROM (SELECT a.case_id, NOT EXISTS (SELECT FROM assessments e WHERE e.case_id = a.case_id AND e.seq < a.seq) AS first
			FROM assessments a WHERE a.assessed_on BETWEEN @from AND @to) a
		JOIN sel s ON s.id = a.case_id GROUP BY s.dim`, func(b *reportBuild, r pgx.Rows) error {
		var dim string
		var n1, c1, n2, c2 int64
		if err := r.Scan(&dim, &n1, &c1, &n2, &c2); err != nil {
			return err
		}
		x := b.row(dim)
		x.Assessments, x.Reassessments = kim.Count{N: n1, Cases: c1}, kim.Count{N: n2, Cases: c2}
		return nil
	}},
	// Goals set and achieved, per dimension and per life field.
	{"goals", `SELECT GROUPING(s.dim), coalesce(s.dim, ''), coalesce(g.field, ''),
			count(*) FILTER (WHERE g.created_on BETWEEN @from AND @to),
			count(DISTINCT g.case_id) FILTER (WHERE g.created_on BETWEEN @from AND @to),
			count(*) FILTER (WHERE g.status = 'done' AND g.closed_on BETWEEN @from AND @to),
			count(DISTINCT g.case_id) FILTER (WHERE g.status = 'done' AND g.closed_on BETWEEN @from AND @to)
		FROM goals g JOIN sel s ON s.id = g.case_id
		WHERE g.created_on BETWEEN @from AND @to OR g.closed_on BETWEEN @from AND @to
		GROUP BY GROUPING SETS ((s.dim), (g.field))`, func(b *reportBuild, r pgx.Rows) error {
		var byField int
		var dim, field string
		var ns, cs, nd, cd int64
		if err := r.Scan(&byField, &dim, &field, &ns, &cs, &nd, &cd); err != nil {
			return err
		}
		set, done := kim.Count{N: ns, Cases: cs}, kim.Count{N: nd, Cases: cd}
		if byField == 1 {
			if f := b.fields[kim.LifeField(field)]; f != nil {
				f.GoalsSet, f.GoalsDone = set, done
			}
			return nil
		}
		x := b.row(dim)
		x.GoalsSet, x.GoalsDone = set, done
		return nil
	}},
	// Mean change per life field at re-assessments against the assessment
	// before (the one with the next lower number that remains).
	{"score change", `SELECT sc.field, avg(sc.score - pv.score)::float8, count(DISTINCT a.case_id)
		FROM assessments a JOIN sel s ON s.id = a.case_id
		JOIN LATERAL (SELECT ap.id FROM assessments ap WHERE ap.case_id = a.case_id AND ap.seq < a.seq
			ORDER BY ap.seq DESC LIMIT 1) ap ON true
		JOIN assessment_scores sc ON sc.assessment_id = a.id
		JOIN assessment_scores pv ON pv.assessment_id = ap.id AND pv.field = sc.field
		WHERE a.assessed_on BETWEEN @from AND @to
		GROUP BY sc.field`, func(b *reportBuild, r pgx.Rows) error {
		var field string
		var st kim.Stat
		if err := r.Scan(&field, &st.Value, &st.Cases); err != nil {
			return err
		}
		if f := b.fields[kim.LifeField(field)]; f != nil {
			f.Change = st
		}
		return nil
	}},
	// Referrals made in the period, per dimension (counted per case first).
	{"referrals", `SELECT r.dim, sum(r.n)::int8, count(*)
		FROM (SELECT s.dim, r.case_id, count(*) AS n FROM referrals r JOIN sel s ON s.id = r.case_id
			WHERE r.referred_on BETWEEN @from AND @to GROUP BY s.dim, r.case_id) r
		GROUP BY r.dim`, func(b *reportBuild, r pgx.Rows) error {
		var dim string
		var c kim.Count
		if err := r.Scan(&dim, &c.N, &c.Cases); err != nil {
			return err
		}
		b.row(dim).Referrals = c
		return nil
	}},
	// Referrals made in the period per partner, with their outcomes (one
	// pair of columns per kim.ReferralOutcomes, counted per case first).
	{"referrals by partner", referralOutcomesSQL(), func(b *reportBuild, r pgx.Rows) error {
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
		b.referrals[x.Partner] = x
		b.partners = append(b.partners, x.Partner)
		return nil
	}},
	// The median days from referral to outcome per partner (after the
	// section above, whose partners it completes).
	{"referral median", `SELECT p.key, percentile_cont(0.5) WITHIN GROUP (ORDER BY (r.outcome_on - r.referred_on)::float8),
			count(DISTINCT r.case_id)
		FROM referrals r JOIN sel s ON s.id = r.case_id JOIN partners p ON p.id = r.partner_id
		WHERE r.referred_on BETWEEN @from AND @to AND r.outcome <> 'pending' AND r.outcome_on IS NOT NULL
		GROUP BY p.key`, func(b *reportBuild, r pgx.Rows) error {
		var key string
		var st kim.Stat
		if err := r.Scan(&key, &st.Value, &st.Cases); err != nil {
			return err
		}
		if x := b.referrals[key]; x != nil {
			x.MedianDays = st
		}
		return nil
	}},
	// Rechtskreiswechsel, per dimension and per change.
	{"domain changes", `SELECT GROUPING(s.dim), coalesce(s.dim, ''), coalesce(x.from_domain, ''), coalesce(x.to_domain, ''),
			count(*), count(DISTINCT x.case_id)
		FROM domain_changes x JOIN sel s ON s.id = x.case_id
		WHERE x.since BETWEEN @from AND @to
		GROUP BY GROUPING SETS ((s.dim), (x.from_domain, x.to_domain))
		ORDER BY 1, 5 DESC, 3, 4`, func(b *reportBuild, r pgx.Rows) error {
		var byChange int
		var dim, from, to string
		var c kim.Count
		if err := r.Scan(&byChange, &dim, &from, &to, &c.N, &c.Cases); err != nil {
			return err
		}
		if byChange == 0 {
			b.row(dim).DomainChanges = c
		} else {
			b.d.DomainChanges = append(b.d.DomainChanges, kim.DomainChangeRow{From: from, To: to, Count: c})
		}
		return nil
	}},
	// Transition steps per change: the median days until all steps of a
	// change of the period were done, and the steps overdue on the as-of
	// day (of changes up to then, in cases open then).
	{"transitions", `SELECT x.from_domain, x.to_domain,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY (t.last_closed - x.since)::float8)
				FILTER (WHERE t.complete AND x.since BETWEEN @from AND @to),
			count(DISTINCT x.case_id) FILTER (WHERE t.complete AND x.since BETWEEN @from AND @to),
			coalesce(sum(t.overdue) FILTER (WHERE s.closed_on IS NULL OR s.closed_on > s.as_of), 0)::int8,
			count(DISTINCT x.case_id) FILTER (WHERE t.overdue > 0 AND (s.closed_on IS NULL OR s.closed_on > s.as_of))
		FROM domain_changes x JOIN sel s ON s.id = x.case_id
		JOIN (SELECT st.change_id, bool_and(st.status = 'done' AND st.closed_on <= @as_of) AS complete, max(st.closed_on) AS last_closed,
				count(*) FILTER (WHERE st.due_on < @as_of AND (st.closed_on IS NULL OR st.closed_on > @as_of)) AS overdue
			FROM transition_steps st JOIN sel s2 ON s2.id = st.case_id GROUP BY st.change_id) t ON t.change_id = x.id
		WHERE x.since <= @as_of
		GROUP BY x.from_domain, x.to_domain`, func(b *reportBuild, r pgx.Rows) error {
		var from, to string
		var median *float64
		var st kim.Stat
		var over kim.Count
		if err := r.Scan(&from, &to, &median, &st.Cases, &over.N, &over.Cases); err != nil {
			return err
		}
		if median != nil {
			st.Value = *median
		}
		for i := range b.d.DomainChanges {
			if x := &b.d.DomainChanges[i]; x.From == from && x.To == to {
				x.MedianDays, x.Overdue = st, over
				return nil
			}
		}
		if st.Cases > 0 || over.N > 0 {
			b.d.DomainChanges = append(b.d.DomainChanges, kim.DomainChangeRow{From: from, To: to, MedianDays: st, Overdue: over})
		}
		return nil
	}},
	// Barriers per dimension and per partner or topic (a coach's own: of
	// their cases).
	{"barriers", `SELECT GROUPING(dim), coalesce(dim, ''), coalesce(label, ''), coalesce(topic, false),
			count(*), count(DISTINCT case_key)
		FROM (SELECT coalesce(s.dim, '') AS dim, coalesce(p.name, t.name, '` + otherTopic + `') AS label, p.id IS NULL AS topic,
				coalesce(b.case_id, -b.id) AS case_key
			FROM barriers b LEFT JOIN sel s ON s.id = b.case_id LEFT JOIN partners p ON p.id = b.partner_id
				LEFT JOIN barrier_topics t ON t.id = b.topic_id
			WHERE b.team_id = @team AND NOT b.draft AND b.recorded_on BETWEEN @from AND @to AND (@owner = '' OR s.id IS NOT NULL)) x
		GROUP BY GROUPING SETS ((dim), (label, topic))
		ORDER BY 1, 5 DESC, 3`, func(b *reportBuild, r pgx.Rows) error {
		var byLabel int
		var dim, label string
		var topic bool
		var c kim.Count
		if err := r.Scan(&byLabel, &dim, &label, &topic, &c.N, &c.Cases); err != nil {
			return err
		}
		if byLabel == 0 {
			b.row(dim).Barriers = c
		} else {
			b.d.Barriers = append(b.d.Barriers, kim.BarrierRow{Label: label, Topic: topic, Count: c})
		}
		return nil
	}},
}

// referralOutcomesSQL is the query of the per-partner referral section.
func referralOutcomesSQL() string {
	perCase, sums := "", ""
	for i, o := range kim.ReferralOutcomes {
		perCase += fmt.Sprintf(`, count(*) FILTER (WHERE r.outcome = '%s') AS o%d`, o, i)
		sums += fmt.Sprintf(`, sum(x.o%[1]d)::int8, count(*) FILTER (WHERE x.o%[1]d > 0)`, i)
	}
	return `SELECT p.key, p.name, sum(x.n)::int8, count(*)` + sums + `
		FROM (SELECT r.partner_id, r.case_id, count(*) AS n` + perCase + `
			FROM referrals r JOIN sel s ON s.id = r.case_id
			WHERE r.referred_on BETWEEN @from AND @to GROUP BY r.partner_id, r.case_id) x
		JOIN partners p ON p.id = x.partner_id
		GROUP BY p.key, p.name ORDER BY p.name, p.key`
}

// Report computes the figures of a report in one consistent snapshot: every
// figure is grouped in Postgres (one set-based query per section of
// reportSections), carries its number of distinct cases for suppression,
// and holds no case content. The read is written to the audit log without a
// case.
func (s *Store) Report(ctx context.Context, q ReportQuery) (kim.ReportData, error) {
	dim, ok := dimensions[q.By]
	if !ok {
		return kim.ReportData{}, fmt.Errorf("store: unknown report dimension %q", q.By)
	}
	asOf := q.Period.To
	if q.Actor.Today.Before(asOf) {
		asOf = q.Actor.Today
	}
	b := &reportBuild{
		d:         kim.ReportData{Period: q.Period, AsOf: asOf, Team: q.Owner == "", By: q.By},
		rows:      map[string]*kim.CaseRow{},
		fields:    map[kim.LifeField]*kim.FieldRow{},
		referrals: map[string]*kim.ReferralRow{},
	}
	for _, f := range kim.LifeFields {
		b.fields[f] = &kim.FieldRow{Field: f}
	}
	sel := reportSel(dim)
	args := pgx.StrictNamedArgs{"team": q.Actor.TeamID, "owner": q.Owner, "from": q.Period.From.UTC(), "to": q.Period.To.UTC(), "as_of": asOf.UTC()}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		// The sections group a year's contacts of a large team in memory,
		// and are planned for their parameters (a team or one coach's cases),
		// never with a generic plan.
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '64MB'; SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return err
		}
		for _, sec := range reportSections {
			if err := sec.run(ctx, tx, sel, args, b); err != nil {
				return err
			}
		}
		return audit(ctx, tx, q.Actor, "report.read", 0, "")
	})
	if err != nil {
		return b.d, wrap("unable to compute report", err)
	}
	d := b.d
	for _, k := range b.partners {
		d.Referrals = append(d.Referrals, *b.referrals[k])
	}
	for _, x := range b.rows {
		d.Rows = append(d.Rows, *x)
	}
	if len(d.Rows) == 0 {
		d.Rows = []kim.CaseRow{{ClosedBy: map[string]kim.Count{}}}
	}
	sortRows(d.Rows)
	for _, f := range kim.LifeFields {
		d.Fields = append(d.Fields, *b.fields[f])
	}
	return d, nil
}

// run queries the section after the report's cases sel and scans each row
// into b.
func (sec reportSection) run(ctx context.Context, tx pgx.Tx, sel string, args pgx.StrictNamedArgs, b *reportBuild) error {
	rs, err := tx.Query(ctx, sel+sec.sql, args)
	if err != nil {
		return fmt.Errorf("%s: %w", sec.name, err)
	}
	defer rs.Close()
	for rs.Next() {
		if err := sec.scan(b, rs); err != nil {
			return fmt.Errorf("%s: %w", sec.name, err)
		}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("%s: %w", sec.name, err)
	}
	return nil
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
