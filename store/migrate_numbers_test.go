package store_test

import (
	"context"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// Migration 00016 starts each case's counters at the highest number its
// contacts, assessments, goals and barriers hold, and each team's at its
// highest action number: after the newest record of a database of the
// previous release is deleted, the next one gets a new number — also a
// contact inserted without a number, as the previous release does during a
// rolling upgrade.
func TestMigrationRecordNumbers(t *testing.T) {
	ctx := context.Background()
	s, exec := previousRelease(t, 15)
	one := `(SELECT id FROM cases WHERE ref = 'K-2026-0001')`
	for _, on := range []string{"2026-11-02", "2026-11-03", "2026-11-04"} {
		exec(`INSERT INTO contacts (case_id, kind, contact_on, created_by) VALUES (`+one+`, 'phone', $1, 'u1')`, on)
	}
	for n := 1; n <= 2; n++ {
		exec(`INSERT INTO goals (case_id, n, field, created_on, created_by) VALUES (`+one+`, $1, 'work', '2026-11-02', 'u1')`, n)
		exec(`INSERT INTO assessments (case_id, seq, assessed_on, created_by) VALUES (`+one+`, $1::int, '2026-11-01'::date + $1::int, 'u1')`, n)
		exec(`INSERT INTO assessment_scores (assessment_id, field, score) SELECT id, 'language', 2 FROM assessments WHERE seq = $1`, n)
		exec(`INSERT INTO barriers (team_id, case_id, partner_id, text_enc, recorded_on, created_by)
			SELECT 't1', `+one+`, id, $1, '2026-11-02', 'u1' FROM partners`, s.Seal("Wartezeit", store.BarrierText))
	}
	exec(`INSERT INTO meetings (team_id, n, title, starts_at, channel_id, created_by) VALUES ('t1', 1, 'Netzwerk', '2026-12-03 14:00+01', 'ch', 'u1')`)
	for n := 1; n <= 2; n++ {
		exec(`INSERT INTO actions (team_id, n, meeting_id, owner_id, text, created_by) SELECT 't1', $1, id, 'u1', 'Termin', 'u1' FROM meetings`, n)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var counters string
	if err := s.Pool().QueryRow(ctx, `SELECT string_agg(concat_ws(' ', ref, last_contact_n, last_assessment_n, last_goal_n, last_barrier_n), '; ' ORDER BY ref)
		|| '; ' || (SELECT last_action_n FROM teams WHERE id = 't1') FROM cases`).Scan(&counters); err != nil {
		t.Fatal(err)
	}
	if counters != "K-2026-0001 3 2 2 2; K-2026-0002 0 0 0 0; 2" {
		t.Fatalf("counters after the migration: %s", counters)
	}

	if err := s.SetRole(ctx, "t1", "u1", kim.RoleCoach, "", "root"); err != nil {
		t.Fatal(err)
	}
	a := kim.Actor{TeamID: "t1", UserID: "u1", Today: kim.Date{Y: 2026, M: 11, D: 23}}
	if _, _, err := s.DeleteContact(ctx, a, "K-2026-0001", 3); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO contacts (case_id, kind, contact_on, created_by) VALUES (` + one + `, 'video', '2026-11-10', 'u1')`)
	if _, _, err := s.AddContact(ctx, a, "K-2026-0001", kim.Contact{Kind: "phone", Minutes: -1, On: a.Today}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DeleteGoal(ctx, a, "K-2026-0001", 2); err != nil {
		t.Fatal(err)
	}
	_, g, err := s.AddGoal(ctx, a, "K-2026-0001", kim.Goal{Field: "language", Text: "B1"})
	if err != nil || g.N != 3 {
		t.Fatalf("goal after deleting the newest: %+v %v", g, err)
	}
	if _, _, err := s.DeleteAssessment(ctx, a, "K-2026-0001", 2); err != nil {
		t.Fatal(err)
	}
	_, _, x, err := s.AddAssessment(ctx, a, "K-2026-0001", kim.Assessment{On: a.Today, Scores: map[kim.LifeField]int{"work": 3}})
	if err != nil || x.Seq != 3 {
		t.Fatalf("assessment after deleting the newest: %+v %v", x, err)
	}
	if _, _, err := s.DeleteBarrier(ctx, a, "K-2026-0001", 2); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.DraftBarrier(ctx, a, "K-2026-0001", "jobcenter", "Termine erst nach acht Wochen"); err != nil {
		t.Fatal(err)
	}
	exec(`DELETE FROM actions WHERE n = 2`)
	act, err := s.AddAction(ctx, a, 1, "u1", "Daten besorgen", kim.Date{Y: 2026, M: 12, D: 18})
	if err != nil || act.N != 3 {
		t.Fatalf("action after deleting the newest: %+v %v", act, err)
	}
	var numbers string
	if err := s.Pool().QueryRow(ctx, `SELECT (SELECT string_agg(n::text, ',' ORDER BY n) FROM contacts) || ' ' ||
		(SELECT string_agg(n::text, ',' ORDER BY n) FROM barriers)`).Scan(&numbers); err != nil {
		t.Fatal(err)
	}
	if numbers != "1,2,4,5 1,3" {
		t.Fatalf("contact and barrier numbers: %s, want 1,2,4,5 1,3", numbers)
	}
}

// Migration 00018 starts each case's step counter at the highest step
// number it holds: deleting the newest Rechtskreiswechsel of a database of
// the previous release deletes its steps, and the next change's steps do
// not take their numbers again.
func TestMigrationStepNumbers(t *testing.T) {
	ctx := context.Background()
	s, exec := previousRelease(t, 17)
	one := `(SELECT id FROM cases WHERE ref = 'K-2026-0001')`
	exec(`INSERT INTO domain_changes (case_id, from_domain, to_domain, since, created_by) VALUES (` + one + `, 'AsylbLG', 'SGB2', '2026-11-02', 'u1')`)
	for n := 1; n <= 3; n++ {
		exec(`INSERT INTO transition_steps (case_id, change_id, n, pos, text, due_on) SELECT `+one+`, id, $1::int, $1::int, 'Schritt', '2026-11-20' FROM domain_changes`, n)
	}
	exec(`UPDATE cases SET legal_domain = 'SGB2' WHERE id = ` + one)
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var counters string
	if err := s.Pool().QueryRow(ctx, `SELECT string_agg(ref || ' ' || last_step_n, '; ' ORDER BY ref) FROM cases`).Scan(&counters); err != nil {
		t.Fatal(err)
	}
	if counters != "K-2026-0001 3; K-2026-0002 0" {
		t.Fatalf("step counters after the migration: %s", counters)
	}

	if err := s.SetRole(ctx, "t1", "u1", kim.RoleCoach, "", "root"); err != nil {
		t.Fatal(err)
	}
	a := kim.Actor{TeamID: "t1", UserID: "u1", Today: kim.Date{Y: 2026, M: 11, D: 23}}
	undone, err := s.DeleteDomainChange(ctx, a, "K-2026-0001")
	if err != nil || undone.Case.Domain != "AsylbLG" || len(undone.Steps) != 3 {
		t.Fatalf("deleting the change: %+v %v", undone, err)
	}
	ch, err := s.ChangeDomain(ctx, a, store.DomainChange{Ref: "K-2026-0001", Domain: "SGB2", Since: a.Today})
	if err != nil || len(ch.Steps) == 0 || ch.Steps[0].N != 4 {
		t.Fatalf("the next change's steps: %+v %v", ch.Steps, err)
	}
}
