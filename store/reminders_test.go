package store_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// remWorld is a store with two teams: anna and ben coach in t1 (anna also in
// t2), kora coordinates t1.
type remWorld struct {
	t   *testing.T
	s   *store.Store
	ctx context.Context
}

var remToday = kim.Date{Y: 2026, M: 11, D: 23}

func newRemWorld(t *testing.T) *remWorld {
	t.Helper()
	w := &remWorld{t: t, s: testenv.Store(t), ctx: context.Background()}
	for _, team := range []string{"t1", "t2"} {
		if _, err := w.s.UpsertTeam(w.ctx, team, "team-"+team, "c-"+team, "tok-"+team); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{"anna", "ben", "kora"} {
		if _, err := w.s.SyncUser(w.ctx, kim.User{ID: u, Username: u}); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range [][3]string{{"t1", "anna", "coach"}, {"t1", "ben", "coach"}, {"t1", "kora", "coordinator"}, {"t2", "anna", "coach"}} {
		if err := w.s.SetRole(w.ctx, m[0], m[1], kim.Role(m[2]), "", "root"); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *remWorld) exec(sql string, args ...any) {
	w.t.Helper()
	if _, err := w.s.Pool().Exec(w.ctx, sql, args...); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
}

// open opens a case of owner in team and sets its two dates (nil: none).
func (w *remWorld) open(team, owner string, monitoring, assessment string) kim.Case {
	w.t.Helper()
	c, err := w.s.OpenCase(w.ctx, kim.Actor{TeamID: team, UserID: owner, Today: remToday}, store.NewCase{Pseudonym: "X", Group: "other", Domain: "none"})
	if err != nil {
		w.t.Fatal(err)
	}
	w.exec(`UPDATE cases SET next_monitoring = nullif($2, '')::date, next_assessment = nullif($3, '')::date WHERE id = $1`, c.ID, monitoring, assessment)
	return c
}

func (w *remWorld) referral(c kim.Case, n int, partner, followup, outcome string) {
	w.t.Helper()
	w.exec(`INSERT INTO referrals (case_id, n, partner_id, referred_on, followup_on, outcome, created_by)
		SELECT $1, $2, p.id, '2026-11-23', $4, $5, 'x' FROM partners p WHERE p.team_id = $6 AND p.key = $3`, c.ID, n, partner, followup, outcome, c.TeamID)
}

func (w *remWorld) goal(c kim.Case, n int, field, due, status string) {
	w.t.Helper()
	closed := any(nil)
	if status != "open" {
		closed = "2026-11-30"
	}
	w.exec(`INSERT INTO goals (case_id, n, field, due_on, status, created_on, closed_on, created_by) VALUES ($1, $2, $3, $4, $5, '2026-11-23', $6, 'x')`,
		c.ID, n, field, due, status, closed)
}

func (w *remWorld) action(team string, n int, owner, due string, done bool) {
	w.t.Helper()
	w.exec(`INSERT INTO meetings (team_id, n, title, starts_at, channel_id, created_by) VALUES ($1, 1, 'Netzwerk', '2026-11-20T09:00:00Z', 'ch', 'kora')
		ON CONFLICT DO NOTHING`, team)
	doneOn := any(nil)
	if done {
		doneOn = "2026-11-30"
	}
	w.exec(`INSERT INTO actions (team_id, n, meeting_id, owner_id, text, due_on, done_on, created_by)
		SELECT $1, $2, m.id, $3, 'Liste der Sprachkurse verschicken', $4, $5, 'kora' FROM meetings m WHERE m.team_id = $1 AND m.n = 1`,
		team, n, owner, due, doneOn)
}

func itemStrings(items []kim.DueItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = fmt.Sprintf("%s %s/%s#%d owner=%s to=%s due=%s %s", it.Kind, it.TeamName, it.CaseRef, it.N, it.OwnerName, it.RecipientID, it.Due, it.Label)
	}
	sort.Strings(out)
	return out
}

// One query returns every open date due by each route's day, of every kind,
// for owners routed to recipients who may see them.
func TestDueItems(t *testing.T) {
	w := newRemWorld(t)
	a1 := w.open("t1", "anna", "2026-12-01", "2026-12-07")
	w.exec(`INSERT INTO assessments (case_id, seq, assessed_on, created_by) VALUES ($1, 1, '2026-11-23', 'anna')`, a1.ID)
	w.referral(a1, 1, "jobcenter", "2026-12-05", "pending")
	w.referral(a1, 2, "jugendamt", "2026-12-01", "completed") // has an outcome
	w.referral(a1, 3, "mbe", "2026-12-09", "pending")         // not yet due
	w.goal(a1, 1, "work", "2026-12-07", "open")
	w.goal(a1, 2, "housing", "2026-12-01", "done") // reached
	w.goal(a1, 3, "language", "2026-12-20", "open")
	a2 := w.open("t1", "anna", "2026-11-01", "2026-11-01")
	w.exec(`UPDATE cases SET closed_on = '2026-11-30', close_reason = 'moved', phase = 'closed' WHERE id = $1`, a2.ID)
	a3 := w.open("t1", "anna", "2027-01-01", "2026-12-07") // first assessment
	b1 := w.open("t1", "ben", "2026-12-02", "")
	w.open("t2", "anna", "2026-12-03", "2027-02-01")
	w.action("t1", 1, "kora", "2026-12-04", false)
	w.action("t1", 2, "kora", "2026-12-01", true)
	w.action("t1", 3, "anna", "2026-12-07", false)

	day := kim.Date{Y: 2026, M: 12, D: 7}
	items, err := w.s.DueItems(w.ctx, []store.Route{
		{TeamID: "t1", OwnerID: "anna", RecipientID: "anna", Day: day},
		{TeamID: "t1", OwnerID: "ben", RecipientID: "anna", Day: day}, // ben is away, anna holds his cases
		{TeamID: "t1", OwnerID: "kora", RecipientID: "kora", Day: day},
		{TeamID: "t1", OwnerID: "ben", RecipientID: "kora", Day: day}, // kora is no coach: sees no cases
		{TeamID: "t2", OwnerID: "anna", RecipientID: "anna", Day: kim.Date{Y: 2026, M: 12, D: 2}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := itemStrings(items)
	want := []string{
		"action team-t1/#1 owner=kora to=kora due=2026-12-04 Liste der Sprachkurse verschicken",
		"action team-t1/#3 owner=anna to=anna due=2026-12-07 Liste der Sprachkurse verschicken",
		fmt.Sprintf("assessment team-t1/%s#0 owner=anna to=anna due=2026-12-07 ", a3.Ref),
		fmt.Sprintf("followup team-t1/%s#1 owner=anna to=anna due=2026-12-05 Jobcenter", a1.Ref),
		fmt.Sprintf("goal team-t1/%s#1 owner=anna to=anna due=2026-12-07 work", a1.Ref),
		fmt.Sprintf("monitoring team-t1/%s#0 owner=anna to=anna due=2026-12-01 ", a1.Ref),
		fmt.Sprintf("monitoring team-t1/%s#0 owner=ben to=anna due=2026-12-02 ", b1.Ref),
		fmt.Sprintf("reassessment team-t1/%s#0 owner=anna to=anna due=2026-12-07 ", a1.Ref),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("due items\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, it := range items {
		if it.CaseRef != "" && it.CaseID == 0 {
			t.Errorf("case item without case id: %+v", it)
		}
	}
	if none, err := w.s.DueItems(w.ctx, nil); err != nil || len(none) != 0 {
		t.Fatalf("no routes: %v %v", none, err)
	}
}

func (w *remWorld) change(a kim.Actor, kind kim.ItemKind, ref string, n int, expected string, done bool, until string) (store.ItemOutcome, error) {
	w.t.Helper()
	ch := store.ItemChange{Item: kim.ItemRef{Kind: kind, TeamID: a.TeamID, CaseRef: ref, N: n}, Expected: mustDate(w.t, expected), Done: done}
	if until != "" {
		ch.Until = mustDate(w.t, until)
	}
	return w.s.ChangeItem(w.ctx, a, ch)
}

func mustDate(t *testing.T, s string) kim.Date {
	var d kim.Date
	if _, err := fmt.Sscanf(s, "%d-%d-%d", &d.Y, &d.M, &d.D); err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

func (w *remWorld) dates(c kim.Case) (string, string) {
	w.t.Helper()
	var m, a *string
	if err := w.s.Pool().QueryRow(w.ctx, `SELECT next_monitoring::text, next_assessment::text FROM cases WHERE id = $1`, c.ID).Scan(&m, &a); err != nil {
		w.t.Fatal(err)
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return deref(m), deref(a)
}

// Done and snooze change an item only for its owner (or deputy today) and
// only while it still has the date the button was made for.
func TestChangeItem(t *testing.T) {
	w := newRemWorld(t)
	c := w.open("t1", "anna", "2026-12-01", "2026-12-07")
	w.referral(c, 1, "jobcenter", "2026-12-05", "pending")
	w.goal(c, 1, "work", "2026-12-07", "open")
	w.action("t1", 1, "anna", "2026-12-04", false)
	anna := kim.Actor{TeamID: "t1", UserID: "anna", Today: kim.Date{Y: 2026, M: 12, D: 7}}
	ben := kim.Actor{TeamID: "t1", UserID: "ben", Today: anna.Today}

	// Monitoring done: the next date moves by the team's interval (28 days).
	out, err := w.change(anna, kim.ItemMonitoring, c.Ref, 0, "2026-12-01", true, "")
	if err != nil || out.Next == nil || out.Next.String() != "2027-01-04" {
		t.Fatalf("monitoring done: %+v %v", out, err)
	}
	if m, _ := w.dates(c); m != "2027-01-04" {
		t.Fatalf("next monitoring %s", m)
	}
	// The same press again: the date is no longer the expected one.
	if _, err := w.change(anna, kim.ItemMonitoring, c.Ref, 0, "2026-12-01", true, ""); kim.ErrorCode(err) != kim.ECONFLICT {
		t.Fatalf("repeated press: %v", err)
	}
	// Another coach may not touch it.
	if _, err := w.change(ben, kim.ItemAssessment, c.Ref, 0, "2026-12-07", false, "2026-12-14"); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("ben changed anna's case: %v", err)
	}
	// Snooze the assessment.
	if out, err := w.change(anna, kim.ItemAssessment, c.Ref, 0, "2026-12-07", false, "2026-12-14"); err != nil || out.Next.String() != "2026-12-14" {
		t.Fatalf("snooze: %+v %v", out, err)
	}
	if _, a := w.dates(c); a != "2026-12-14" {
		t.Fatalf("next assessment %s", a)
	}
	// Assessment done: six months on.
	if out, err := w.change(anna, kim.ItemAssessment, c.Ref, 0, "2026-12-14", true, ""); err != nil || out.Next.String() != "2027-06-07" {
		t.Fatalf("assessment done: %+v %v", out, err)
	}
	// Follow-up done: the date is cleared, the outcome stays pending.
	if out, err := w.change(anna, kim.ItemFollowup, c.Ref, 1, "2026-12-05", true, ""); err != nil || out.Next != nil {
		t.Fatalf("follow-up done: %+v %v", out, err)
	}
	var fu *string
	var outcome string
	w.s.Pool().QueryRow(w.ctx, `SELECT followup_on::text, outcome FROM referrals WHERE case_id = $1 AND n = 1`, c.ID).Scan(&fu, &outcome)
	if fu != nil || outcome != "pending" {
		t.Fatalf("referral after follow-up: %v %s", fu, outcome)
	}
	// Ben as deputy during anna's absence: the goal is reached.
	w.exec(`INSERT INTO absences (team_id, user_id, deputy_id, starts_on, ends_on) VALUES ('t1', 'anna', 'ben', '2026-12-07', '2026-12-11')`)
	if _, err := w.change(ben, kim.ItemGoal, c.Ref, 1, "2026-12-07", true, ""); err != nil {
		t.Fatalf("deputy goal done: %v", err)
	}
	var status string
	w.s.Pool().QueryRow(w.ctx, `SELECT status FROM goals WHERE case_id = $1 AND n = 1`, c.ID).Scan(&status)
	if status != "done" {
		t.Fatalf("goal status %s", status)
	}
	if _, err := w.change(ben, kim.ItemGoal, c.Ref, 1, "2026-12-07", false, "2026-12-14"); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("snooze of a reached goal: %v", err)
	}
	// The deputy may act on the absent owner's action item too, but not after the absence.
	if _, err := w.change(ben, kim.ItemAction, "", 1, "2026-12-04", false, "2026-12-14"); err != nil {
		t.Fatalf("deputy snoozed action: %v", err)
	}
	later := ben
	later.Today = kim.Date{Y: 2026, M: 12, D: 14}
	if _, err := w.change(later, kim.ItemAction, "", 1, "2026-12-14", true, ""); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("deputy after the absence: %v", err)
	}
	if _, err := w.change(anna, kim.ItemAction, "", 1, "2026-12-14", true, ""); err != nil {
		t.Fatalf("action done: %v", err)
	}
	if _, err := w.change(anna, kim.ItemAction, "", 1, "2026-12-14", true, ""); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("action done twice: %v", err)
	}
	// Every change is in the audit log, without content.
	log, err := w.s.AuditLog(w.ctx, "t1", c.Ref, 50)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		if strings.HasPrefix(e.Action, "reminder.") {
			actions = append(actions, e.Actor+":"+e.Action)
		}
	}
	if strings.Join(actions, ",") != "anna:reminder.done,anna:reminder.snooze,anna:reminder.done,anna:reminder.done,ben:reminder.done" {
		t.Fatalf("audit: %v", actions)
	}
	// A closed case has nothing to remind of.
	w.exec(`UPDATE cases SET closed_on = '2026-12-07', close_reason = 'moved', phase = 'closed' WHERE id = $1`, c.ID)
	if _, err := w.change(anna, kim.ItemMonitoring, c.Ref, 0, "2027-01-04", false, "2027-01-11"); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("closed case: %v", err)
	}
}

// A digest writes one audit row per team of its recipient, naming the
// cases it showed (issue 12: not one row per case), and the admin's audit
// of each case shows that row.
func TestAuditDigest(t *testing.T) {
	w := newRemWorld(t)
	c := w.open("t1", "anna", "2026-12-01", "2026-12-07")
	d := w.open("t1", "anna", "2026-12-02", "2026-12-08")
	e := w.open("t2", "anna", "2026-12-02", "2026-12-08")
	items := []kim.DueItem{
		{Kind: kim.ItemMonitoring, TeamID: "t1", CaseID: c.ID, CaseRef: c.Ref, RecipientID: "anna"},
		{Kind: kim.ItemAssessment, TeamID: "t1", CaseID: c.ID, CaseRef: c.Ref, RecipientID: "anna"},
		{Kind: kim.ItemMonitoring, TeamID: "t1", CaseID: d.ID, CaseRef: d.Ref, RecipientID: "anna"},
		{Kind: kim.ItemAction, TeamID: "t1", N: 1, RecipientID: "anna"},
		{Kind: kim.ItemMonitoring, TeamID: "t2", CaseID: e.ID, CaseRef: e.Ref, RecipientID: "anna"},
	}
	if err := w.s.AuditDigest(w.ctx, items); err != nil {
		t.Fatal(err)
	}
	rows, err := w.s.Pool().Query(w.ctx, `SELECT team_id, actor_id, case_ids::text, case_id IS NULL AND case_ref IS NULL
		FROM audit_log WHERE action = 'reminder.digest' ORDER BY team_id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var team, actor, ids string
		var bare bool
		if err := rows.Scan(&team, &actor, &ids, &bare); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %s %v", team, actor, ids, bare))
	}
	want := []string{fmt.Sprintf("t1 anna {%d,%d} true", c.ID, d.ID), fmt.Sprintf("t2 anna {%d} true", e.ID)}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("digest audit rows:\n got %q\nwant %q", got, want)
	}
	for _, x := range []kim.Case{c, d} {
		log, _ := w.s.AuditLog(w.ctx, "t1", x.Ref, 10)
		n := 0
		for _, e := range log {
			if e.Action == "reminder.digest" && e.ActorID == "anna" && e.CaseRef == x.Ref {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d digest rows in its audit, want 1: %+v", x.Ref, n, log)
		}
	}
	// t2's case has the same reference as c: its audit shows t2's row only.
	log, _ := w.s.AuditLog(w.ctx, "t2", e.Ref, 10)
	if n := len(log); n != 2 || log[1].Action != "reminder.digest" {
		t.Errorf("%s of t2: audit %+v, want its opening and one digest row", e.Ref, log)
	}
}
