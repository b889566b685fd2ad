package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// TestCaseListReadsOnlyTheCoachsCases checks the plan of a coach's case
// list as Postgres runs it after five executions of the prepared statement
// (a generic plan): in a team of 2 000 cases it reads the rows of the coach
// and of the colleague they stand in for, not every case of the team (the
// list took 34 ms at 20 000 cases when caseAccess made it filter all of
// them; issue 12).
func TestCaseListReadsOnlyTheCoachsCases(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	today := kim.DateOf(time.Date(2026, 12, 2, 12, 0, 0, 0, kim.Berlin))
	for _, q := range []string{
		`INSERT INTO teams (id, name) VALUES ('t1', 'team-one')`,
		`INSERT INTO users (id, username) SELECT 'coach' || u, 'coach' || u FROM generate_series(1, 40) u`,
		`INSERT INTO memberships (team_id, user_id, role, granted_by) SELECT 't1', id, 'coach', 'admin' FROM users`,
		// coach1 stands in for coach2 today; coach3's absence is over.
		`INSERT INTO absences (team_id, user_id, deputy_id, starts_on, ends_on) VALUES
			('t1', 'coach2', 'coach1', DATE '2026-11-30', DATE '2026-12-11'),
			('t1', 'coach3', 'coach1', DATE '2026-11-01', DATE '2026-11-20')`,
		`INSERT INTO cases (team_id, ref, owner_id, target_group, legal_domain, phase, opened_on, next_monitoring)
			SELECT 't1', 'K-2026-' || lpad(i::text, 4, '0'), 'coach' || (i % 40 + 1), 'refugee', 'none', 'monitoring',
				DATE '2026-06-01', DATE '2026-12-01' + i % 30
			FROM generate_series(1, 2000) i`,
		`ANALYZE`,
	} {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	a := kim.Actor{TeamID: "t1", UserID: "coach1", Today: today}
	list, err := s.Cases(ctx, a, store.FilterOpen, 0, 500)
	if err != nil || len(list.Cases) != 100 || list.Total != 100 { // 50 of their own and 50 of coach2
		t.Fatalf("Cases: %d cases of %d, %v", len(list.Cases), list.Total, err)
	}

	q, args, err := store.CasesQuery(a, store.FilterOpen, 500)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := s.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET plan_cache_mode = force_generic_plan`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `PREPARE list AS `+q); err != nil {
		t.Fatal(err)
	}
	execute := "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE list("
	for i, v := range args {
		if i > 0 {
			execute += ", "
		}
		switch v := v.(type) {
		case time.Time:
			execute += fmt.Sprintf("'%s'", v.Format("2006-01-02"))
		case string:
			execute += fmt.Sprintf("'%s'", v)
		default:
			execute += fmt.Sprint(v)
		}
	}
	var plan []struct{ Plan planNode }
	var raw []byte
	if err := conn.QueryRow(ctx, execute+")").Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &plan); err != nil || len(plan) != 1 {
		t.Fatalf("plan %s: %v", raw, err)
	}
	read := plan[0].Plan.casesRead()
	if read < 100 || read > 150 {
		t.Errorf("the list read %.0f rows of cases for 100 cases of the coach and their absent colleague; plan:\n%s", read, raw)
	}
}

// planNode is a node of a plan of EXPLAIN (ANALYZE, FORMAT JSON).
type planNode struct {
	Relation string     `json:"Relation Name"`
	Rows     float64    `json:"Actual Rows"`
	Loops    float64    `json:"Actual Loops"`
	Filtered float64    `json:"Rows Removed by Filter"`
	Rechecks float64    `json:"Rows Removed by Index Recheck"`
	Plans    []planNode `json:"Plans"`
}

// casesRead is how many rows of cases the nodes under n read: what they
// returned and what their filters removed, over all their loops.
func (n planNode) casesRead() float64 {
	sum := 0.0
	if n.Relation == "cases" {
		sum = (n.Rows + n.Filtered + n.Rechecks) * n.Loops
	}
	for _, c := range n.Plans {
		sum += c.casesRead()
	}
	return sum
}
