package reminders_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
	"github.com/kimbot-nrw/kimbot/store"
)

// passWorld is a team with coaches in two time zones, a coordinator with an
// action item, and a coach with the digest off.
type passWorld struct {
	t     *testing.T
	s     *store.Store
	mm    *fakeMattermost
	clock *testenv.Clock // set to each pass's time
	svc   *reminders.Service
	ctx   context.Context
}

func newPassWorld(t *testing.T) *passWorld {
	t.Helper()
	clock := newClock()
	w := &passWorld{t: t, s: testenv.Store(t), mm: &fakeMattermost{clock: clock}, clock: clock, ctx: context.Background()}
	r := testenv.Redis(t)
	w.svc = &reminders.Service{Sources: reminders.Sources{Due: w.s, Meetings: w.s, Retention: w.s, Items: w.s}, Locks: r, Log: quiet,
		Deliverer: deliverer(w.s, r, w.mm, "test", clock), Clock: clock}
	if _, err := w.s.UpsertTeam(w.ctx, "t1", "essen", "c1", "tok"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []kim.User{
		{ID: "anna", Username: "anna", Locale: "de"},
		{ID: "ben", Username: "ben", Locale: "en"},
		{ID: "nora", Username: "nora", TimeZone: "America/New_York"},
		{ID: "dora", Username: "dora"},
		{ID: "kora", Username: "kora"},
	} {
		if _, err := w.s.SyncUser(w.ctx, u); err != nil {
			t.Fatal(err)
		}
		role := kim.RoleCoach
		if u.ID == "kora" {
			role = kim.RoleCoordinator
		}
		if err := w.s.SetRole(w.ctx, "t1", u.ID, role, "", "root"); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.s.SetDigestTime(w.ctx, "ben", "07:30"); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetDigestTime(w.ctx, "dora", ""); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *passWorld) exec(sql string, args ...any) {
	w.t.Helper()
	if _, err := w.s.Pool().Exec(w.ctx, sql, args...); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
}

// open opens a case on Monday 2026-11-23 (first assessment due 2026-12-07,
// monitoring 2026-12-21) and optionally sets the monitoring date.
func (w *passWorld) open(owner, monitoring string) kim.Case {
	w.t.Helper()
	c, err := w.s.OpenCase(w.ctx, kim.Actor{TeamID: "t1", UserID: owner, Today: kim.Date{Y: 2026, M: 11, D: 23}},
		store.NewCase{Pseudonym: "P", Group: "refugee", Domain: "AsylbLG"})
	if err != nil {
		w.t.Fatal(err)
	}
	if monitoring != "" {
		w.exec(`UPDATE cases SET next_monitoring = $2 WHERE id = $1`, c.ID, monitoring)
	}
	return c
}

func berlin(mo, d, h, mi int) time.Time {
	return time.Date(2026, time.Month(mo), d, h, mi, 0, 0, kim.Berlin)
}

// pass runs a pass as if it were now (the clock too) and returns its report.
func (w *passWorld) pass(now time.Time) *reminders.Report {
	w.t.Helper()
	w.clock.Set(now)
	rep, err := w.svc.RunPass(w.ctx, now)
	if err != nil {
		w.t.Fatalf("pass at %s: %v", now, err)
	}
	return rep
}

// text flattens a digest: its text and every block.
func text(p fakePost) string {
	var b strings.Builder
	b.WriteString(p.Msg.Text)
	for _, bl := range p.Msg.Blocks {
		b.WriteString("\n" + bl.Title + " | " + bl.Text)
	}
	return b.String()
}

func (w *passWorld) expectPosts(user string, n int) []fakePost {
	w.t.Helper()
	posts := w.mm.postsTo(user)
	if len(posts) != n {
		var all []string
		for _, p := range posts {
			all = append(all, p.Key+": "+text(p))
		}
		w.t.Fatalf("%s has %d digests, want %d:\n%s", user, len(posts), n, strings.Join(all, "\n\n"))
	}
	return posts
}

func mustContain(t *testing.T, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("missing %q in:\n%s", p, s)
		}
	}
}

// A week of digests: digest times and zones, weekend items on Monday, each
// digest once however many passes run, absences, a digest that could not be
// sent on its day is not sent later, and holidays.
func TestDigestWeek(t *testing.T) {
	w := newPassWorld(t)
	a1 := w.open("anna", "2026-12-05") // monitoring falls due on a Saturday
	b1 := w.open("ben", "2026-12-08")
	n1 := w.open("nora", "2026-12-07")
	w.open("dora", "2026-12-01")
	w.exec(`INSERT INTO meetings (team_id, n, title, starts_at, channel_id, created_by) VALUES ('t1', 1, 'Netzwerk', '2026-11-20T09:00:00Z', 'ch', 'kora')`)
	w.exec(`INSERT INTO actions (team_id, n, meeting_id, owner_id, text, due_on, created_by)
		SELECT 't1', 1, id, 'kora', 'Kontakt zur Ausländerbehörde', '2026-12-04', 'kora' FROM meetings`)
	w.exec(`INSERT INTO absences (team_id, user_id, deputy_id, starts_on, ends_on) VALUES ('t1', 'ben', 'anna', '2026-12-08', '2026-12-09')`)

	// Saturday and Sunday: nothing.
	w.pass(berlin(12, 5, 9, 0))
	w.pass(berlin(12, 6, 9, 0))
	if w.mm.count() != 0 {
		t.Fatalf("%d digests on a weekend", w.mm.count())
	}

	// Monday 07:59: only ben (07:30) is due.
	w.pass(berlin(12, 7, 7, 59))
	ben := w.expectPosts("ben", 1)[0]
	mustContain(t, text(ben), "Daily digest for 2026-12-07", b1.Ref, "First assessment** – due today")
	w.expectPosts("anna", 0)

	// Monday 08:00 and again 08:01: anna and kora once each; nora (New York) not yet.
	w.pass(berlin(12, 7, 8, 0))
	rep := w.pass(berlin(12, 7, 8, 1))
	if rep.Count("digest", reminders.Sent) != 0 {
		t.Fatalf("second pass sent again: %s", rep)
	}
	anna := w.expectPosts("anna", 1)[0]
	mustContain(t, text(anna), "Tagesübersicht für 07.12.2026", "2 Termine", a1.Ref+" · P | **Ersteinschätzung** – heute fällig",
		"**Monitoring-Kontakt** – fällig seit 05.12.2026 (2 Tage)")
	if strings.Contains(text(anna), b1.Ref) {
		t.Errorf("anna got ben's case before his absence:\n%s", text(anna))
	}
	mustContain(t, text(w.expectPosts("kora", 1)[0]), "Aufgabe A-1: Kontakt zur Ausländerbehörde** – fällig seit 04.12.2026 (3 Tage)")
	w.expectPosts("nora", 0)
	w.expectPosts("dora", 0) // digest off

	// 08:00 in New York.
	w.pass(time.Date(2026, 12, 7, 8, 0, 0, 0, mustZone(t, "America/New_York")))
	mustContain(t, text(w.expectPosts("nora", 1)[0]), n1.Ref, "Monitoring-Kontakt** – heute fällig")

	// Tuesday: ben is away; anna holds his items, marked as such; ben's own digest is empty.
	w.pass(berlin(12, 8, 8, 0))
	anna = w.expectPosts("anna", 2)[1]
	mustContain(t, text(anna), "4 Termine", "in Vertretung halten: @ben", b1.Ref+" · P · Vertretung für @ben | **Ersteinschätzung** – fällig seit 07.12.2026 (1 Tag)",
		"**Monitoring-Kontakt** – heute fällig")
	w.expectPosts("ben", 1)
	if st, _ := w.s.DeliveryStatuses(w.ctx, []string{reminders.DigestKey("ben", kim.Date{Y: 2026, M: 12, D: 8})}); len(st) != 1 || st[reminders.DigestKey("ben", kim.Date{Y: 2026, M: 12, D: 8})] != "empty" {
		t.Fatalf("ben's empty digest is not recorded: %v", st)
	}

	// Wednesday: Mattermost is down all day; the passes fail and retry.
	w.mm.setDown(true)
	for _, h := range []int{8, 12, 18} {
		w.clock.Set(berlin(12, 9, h, 0)) // hours apart: each pass retries
		if rep, _ := w.svc.RunPass(w.ctx, berlin(12, 9, h, 0)); rep.Failed() == 0 || rep.Count("digest", reminders.Sent) > 0 {
			t.Fatalf("pass at %d:00 with Mattermost down: %s", h, rep)
		}
	}
	w.mm.setDown(false)
	// Thursday: Wednesday's digest is not sent late; Thursday's is, with the items overdue.
	rep = w.pass(berlin(12, 10, 8, 0))
	posts := w.expectPosts("anna", 3)
	mustContain(t, posts[2].Key, "2026-12-10")
	mustContain(t, text(posts[2]), "Tagesübersicht für 10.12.2026", a1.Ref, "fällig seit 05.12.2026 (5 Tage)")
	if strings.Contains(text(posts[2]), b1.Ref) {
		t.Errorf("ben is back; anna still got his case:\n%s", text(posts[2]))
	}
	if st, _ := w.s.DeliveryStatuses(w.ctx, []string{reminders.DigestKey("anna", kim.Date{Y: 2026, M: 12, D: 9})}); st[reminders.DigestKey("anna", kim.Date{Y: 2026, M: 12, D: 9})] != "expired" {
		t.Fatalf("Wednesday's digest: %v (report %s)", st, rep)
	}

	// Christmas: Friday 25 and the weekend have no digest; what fell due then comes on Monday 28.
	w.exec(`UPDATE cases SET next_monitoring = '2026-12-26', next_assessment = '2027-06-01' WHERE id = $1`, a1.ID)
	w.pass(berlin(12, 25, 9, 0))
	w.expectPosts("anna", 3)
	w.pass(berlin(12, 28, 8, 0))
	mustContain(t, text(w.expectPosts("anna", 4)[3]), "28.12.2026", a1.Ref+" · P | **Monitoring-Kontakt** – fällig seit 26.12.2026 (2 Tage)")
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Button presses through the service: snooze changes the case, done on an
// assessment names its form, repeats and strangers change nothing, "open"
// shows the card.
func TestPressDigestButtons(t *testing.T) {
	w := newPassWorld(t)
	a1 := w.open("anna", "2026-12-01")
	w.pass(berlin(12, 7, 8, 0))
	w.clock.Set(berlin(12, 7, 9, 0))
	post := w.expectPosts("anna", 1)[0]
	find := func(verb, kind string) kim.Button {
		for _, b := range post.Msg.Blocks {
			for _, btn := range b.Buttons {
				if btn.Verb == verb && btn.Fields[0] == kind {
					return btn
				}
			}
		}
		t.Fatalf("no %s button for %s", verb, kind)
		return kim.Button{}
	}
	press := func(user string, b kim.Button) kim.PressResult {
		return w.svc.Press(w.ctx, kim.Press{UserID: user, PostID: post.ID, ActionID: b.ID, Verb: b.Verb, TeamID: b.TeamID,
			Fields: b.Fields, Signed: strings.Join(append([]string{b.ID}, b.Fields...), "|")})
	}
	dates := func() (string, string) {
		var m, a string
		w.s.Pool().QueryRow(w.ctx, `SELECT next_monitoring::text, next_assessment::text FROM cases WHERE id = $1`, a1.ID).Scan(&m, &a)
		return m, a
	}

	// Snooze the overdue monitoring: one week after today.
	res := press("anna", find("snooze", "monitoring"))
	if m, _ := dates(); m != "2026-12-14" || !strings.Contains(res.Ephemeral, "14.12.2026") || !strings.Contains(res.Status, "verschoben") {
		t.Fatalf("snooze: monitoring %s, %+v", m, res)
	}
	// The same press again changes nothing.
	if res := press("anna", find("snooze", "monitoring")); !strings.Contains(res.Ephemeral, "bereits erledigt") || res.Status != "" {
		t.Fatalf("repeated press: %+v", res)
	}
	if m, _ := dates(); m != "2026-12-14" {
		t.Fatalf("repeated press moved the date to %s", m)
	}
	// Ben may not act on anna's case, even with her button.
	if res := press("ben", find("snooze", "assessment")); res.Status != "" || !strings.Contains(res.Ephemeral, "not exist for you") {
		t.Fatalf("stranger: %+v", res)
	}
	// Done on the assessment names the assessment form (the commands check
	// the presser then) and moves nothing: the form's save does.
	res = press("anna", find("done", "assessment"))
	if _, a := dates(); a != "2026-12-07" || res.Form == nil || res.Form.Verb != kim.FormAssess || res.Status != "" {
		t.Fatalf("done: assessment %s, %+v", a, res)
	}
	// Open the card.
	res = press("anna", find("open", "monitoring"))
	mustContain(t, res.Ephemeral, a1.Ref, "Monitoring")
	// A malformed button.
	if res := w.svc.Press(w.ctx, kim.Press{UserID: "anna", Verb: "done", TeamID: "t1", Fields: []string{"monitoring"}}); !strings.Contains(res.Ephemeral, "ungültig") {
		t.Fatalf("malformed: %+v", res)
	}
}
