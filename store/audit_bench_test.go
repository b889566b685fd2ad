package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
)

// BenchmarkAuditDigests is the audit part of a reminder pass of 500 digests
// of 40 cases each (issue 12): one row per digest naming its cases (now),
// against one row per case (before), both as the pass writes them, one
// statement per digest. The figure is the time of the whole pass's audit.
func BenchmarkAuditDigests(b *testing.B) {
	const digests, perDigest = 500, 40
	s := testenv.Store(b)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO teams (id, name) VALUES ('t1', 'team-one')`,
		fmt.Sprintf(`INSERT INTO users (id, username) SELECT 'coach' || u, 'coach' || u FROM generate_series(1, %d) u`, digests),
		fmt.Sprintf(`INSERT INTO cases (team_id, ref, owner_id, target_group, legal_domain, phase, opened_on)
			SELECT 't1', 'K-2026-' || lpad(i::text, 5, '0'), 'coach' || ((i - 1) / %d + 1), 'refugee', 'none', 'monitoring', DATE '2026-06-01'
			FROM generate_series(1, %d) i`, perDigest, digests*perDigest),
	} {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	rows, err := s.Pool().Query(ctx, `SELECT id, ref, owner_id FROM cases ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	byCoach := map[string][]kim.DueItem{}
	var coaches []string
	for rows.Next() {
		var it kim.DueItem
		if err := rows.Scan(&it.CaseID, &it.CaseRef, &it.RecipientID); err != nil {
			b.Fatal(err)
		}
		it.TeamID, it.Kind = "t1", kim.ItemMonitoring
		if byCoach[it.RecipientID] == nil {
			coaches = append(coaches, it.RecipientID)
		}
		byCoach[it.RecipientID] = append(byCoach[it.RecipientID], it)
	}
	count := func() (n int) {
		s.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n)
		return n
	}
	perCase := func(items []kim.DueItem) error { // the statement of AuditDigest before issue 12
		var teams, actors, refs []string
		var ids []int64
		for _, it := range items {
			teams, actors, ids, refs = append(teams, it.TeamID), append(actors, it.RecipientID), append(ids, it.CaseID), append(refs, it.CaseRef)
		}
		_, err := s.Pool().Exec(ctx, `
			INSERT INTO audit_log (team_id, actor_id, action, case_id, case_ref)
			SELECT t, a, 'reminder.digest', c, r FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS x(t, a, c, r)`,
			teams, actors, ids, refs)
		return err
	}
	for _, v := range []struct {
		name  string
		write func([]kim.DueItem) error
	}{{"per-digest", func(items []kim.DueItem) error { return s.AuditDigest(ctx, items) }}, {"per-case-before", perCase}} {
		b.Run(v.name, func(b *testing.B) {
			before := count()
			passes := 0
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				for _, c := range coaches {
					if err := v.write(byCoach[c]); err != nil {
						b.Fatal(err)
					}
				}
				total += time.Since(start)
				passes++
			}
			b.ReportMetric(float64(count()-before)/float64(passes), "rows/pass")
			b.ReportMetric(float64(total.Microseconds())/1000/float64(passes), "ms/pass")
		})
	}
}
