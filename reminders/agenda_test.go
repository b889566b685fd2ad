package reminders_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
	"github.com/kimbot-nrw/kimbot/store"
)

func TestAgendaTimes(t *testing.T) {
	at := func(y, mo, d, h, mi int, tz string) kim.Meeting {
		loc := kim.User{TimeZone: tz}.Location()
		return kim.Meeting{StartsAt: time.Date(y, time.Month(mo), d, h, mi, 0, 0, loc), CreatorTZ: tz}
	}
	for _, tc := range []struct {
		name           string
		m              kim.Meeting
		lead           int
		post, reminder time.Time
	}{
		{"Thursday, 2 working days", at(2026, 12, 3, 14, 0, ""), 2,
			time.Date(2026, 12, 1, 9, 0, 0, 0, kim.Berlin), time.Date(2026, 12, 2, 9, 0, 0, 0, kim.Berlin)},
		{"Monday: Thursday and Friday before", at(2026, 12, 7, 10, 0, ""), 2,
			time.Date(2026, 12, 3, 9, 0, 0, 0, kim.Berlin), time.Date(2026, 12, 4, 9, 0, 0, 0, kim.Berlin)},
		{"after Easter (Good Friday, Easter Monday)", at(2027, 3, 30, 10, 0, ""), 2,
			time.Date(2027, 3, 24, 9, 0, 0, 0, kim.Berlin), time.Date(2027, 3, 25, 9, 0, 0, 0, kim.Berlin)},
		{"after Corpus Christi (NRW)", at(2027, 5, 28, 10, 0, ""), 1,
			time.Date(2027, 5, 26, 9, 0, 0, 0, kim.Berlin), time.Date(2027, 5, 26, 9, 0, 0, 0, kim.Berlin)},
		{"lead 0: the day itself", at(2026, 12, 3, 14, 0, ""), 0,
			time.Date(2026, 12, 3, 9, 0, 0, 0, kim.Berlin), time.Date(2026, 12, 2, 9, 0, 0, 0, kim.Berlin)},
		{"a coordinator in London", at(2026, 12, 3, 14, 0, "Europe/London"), 2,
			time.Date(2026, 12, 1, 10, 0, 0, 0, kim.Berlin), time.Date(2026, 12, 2, 10, 0, 0, 0, kim.Berlin)},
	} {
		if got := reminders.AgendaPostTime(tc.m, tc.lead); !got.Equal(tc.post) {
			t.Errorf("%s: post at %s, want %s", tc.name, got, tc.post)
		}
		if got := reminders.AgendaReminderTime(tc.m); !got.Equal(tc.reminder) {
			t.Errorf("%s: reminder at %s, want %s", tc.name, got, tc.reminder)
		}
	}
}

// The automatic agenda post and the empty-agenda reminder: each once, at
// their time, not for meetings posted by hand or made too late, and with the
// barriers but no case reference.
func TestAgendaJobs(t *testing.T) {
	w := newPassWorld(t)
	created := time.Date(2026, 11, 23, 10, 0, 0, 0, kim.Berlin)
	meeting := func(day, hour int, title string) kim.Meeting {
		t.Helper()
		m, err := w.s.CreateMeeting(w.ctx, kim.Actor{TeamID: "t1", UserID: "kora"}, kim.Meeting{Title: title,
			StartsAt: berlin(12, day, hour, 0), ChannelID: "ch-netz", ChannelName: "netz", CreatedAt: created})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a := kim.Actor{TeamID: "t1", UserID: "anna", Today: kim.Date{Y: 2026, M: 11, D: 23}}
	c := w.open("anna", "")
	if _, _, err := w.s.AddBarrier(w.ctx, a, c.Ref, "jobcenter", "Termine erst nach 8 Wochen ("+c.Ref+")"); err != nil {
		t.Fatal(err)
	}
	m1 := meeting(3, 14, "Netzwerktreffen") // post Tue 01.12. 09:00, reminder Wed 02.12. 09:00
	m2 := meeting(4, 10, "Lenkungsgruppe")  // has an item: no reminder
	m3 := meeting(10, 10, "Schon gepostet") // posted by hand
	if _, err := w.s.AddAgendaItem(w.ctx, kim.Actor{TeamID: "t1", UserID: "kora"}, m2.N, "Haushalt 2027", created); err != nil {
		t.Fatal(err)
	}
	m4 := meeting(11, 10, "Geändert") // posted by hand, changed afterwards
	for _, m := range []kim.Meeting{m3, m4} {
		sum, err := w.s.BarrierSummary(w.ctx, m, kim.DateOf(created))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.s.AgendaPosted(w.ctx, kim.Actor{TeamID: "t1", UserID: "kora"}, m.ID, "manual", created, 0, sum.LastID, m.Revision); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.s.AddAgendaItem(w.ctx, kim.Actor{TeamID: "t1", UserID: "kora"}, m4.N, "Nachtrag", created); err != nil {
		t.Fatal(err)
	}
	channelPosts := func() []fakePost {
		w.mm.mu.Lock()
		defer w.mm.mu.Unlock()
		var out []fakePost
		for _, p := range w.mm.posts {
			if p.Target.ChannelID != "" {
				out = append(out, p)
			}
		}
		return out
	}

	w.pass(berlin(11, 30, 9, 0))
	w.pass(berlin(12, 1, 8, 59))
	if n := len(channelPosts()); n != 0 {
		t.Fatalf("%d agenda posts before their time", n)
	}
	// Tuesday 09:00 by two replicas at once: M-1's agenda once.
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); w.svc.RunPass(w.ctx, berlin(12, 1, 9, 0)) }()
	}
	wg.Wait()
	w.pass(berlin(12, 1, 9, 5))
	posts := channelPosts()
	if len(posts) != 1 || posts[0].Target.ChannelID != "ch-netz" || posts[0].Key != "agenda-post:"+strconv.FormatInt(m1.ID, 10) {
		t.Fatalf("agenda posts after Tuesday 09:00: %+v", posts)
	}
	post := posts[0].Msg.Text
	mustContain(t, post, "Tagesordnung: Netzwerktreffen (M-1)", "Strukturhinweise aus dem Case Management", "| Jobcenter | 1 |",
		"„Termine erst nach 8 Wochen \\([…]\\)“", "Noch keine Punkte",
		// Where transitions stall, on the day of the pass.
		"Rechtskreiswechsel: wo Übergänge stocken", "Stand 01.12.2026: Kein Schritt")
	if strings.Contains(post, c.Ref) || strings.Contains(post, "K-2026") {
		t.Errorf("agenda post names the case:\n%s", post)
	}
	if m, _ := w.s.Meeting(w.ctx, "t1", m1.N); m.AgendaPostedAt == nil || m.AgendaPostID != posts[0].ID {
		t.Errorf("the automatic post is not recorded: %+v", m)
	}
	// M-2's post is due Wednesday 09:00; M-1's empty agenda is reminded then too, once.
	w.pass(berlin(12, 2, 9, 0))
	w.pass(berlin(12, 2, 9, 1))
	if n := len(channelPosts()); n != 2 {
		t.Errorf("%d agenda posts after Wednesday 09:00, want 2 (M-1, M-2)", n)
	}
	dm := w.expectPosts("kora", 1)[0]
	mustContain(t, text(dm), "Tagesordnung für **Netzwerktreffen** (M-1)", "Do., 03.12.2026, 14:00 Uhr", "noch leer")
	// No automatic post for M-3 (posted by hand, unchanged); M-4 changed
	// after its post by hand, so its current agenda is posted on Wednesday.
	for _, d := range []int{7, 8, 9} {
		w.pass(berlin(12, d, 9, 0))
	}
	posts = channelPosts()
	if len(posts) != 3 || !strings.Contains(posts[2].Msg.Text, "Geändert (M-4)") || !strings.Contains(posts[2].Msg.Text, "1. Nachtrag") {
		t.Errorf("agenda posts up to 09.12.: want M-1, M-2 and M-4 (changed), got %d", len(posts))
		for _, p := range posts {
			t.Log(p.Key)
		}
	}
	// M-3's agenda is still empty the working day before it: reminded.
	mustContain(t, text(w.expectPosts("kora", 2)[1]), "Schon gepostet** (M-3)")

	// A meeting made after its posting time is not posted automatically.
	late, err := w.s.CreateMeeting(w.ctx, kim.Actor{TeamID: "t1", UserID: "kora"}, kim.Meeting{Title: "Kurzfristig",
		StartsAt: berlin(12, 11, 10, 0), ChannelID: "ch-netz", ChannelName: "netz", CreatedAt: berlin(12, 10, 12, 0)})
	if err != nil {
		t.Fatal(err)
	}
	w.pass(berlin(12, 10, 12, 5))
	if n := len(channelPosts()); n != 3 {
		t.Errorf("meeting %s made after its posting time was posted", late.Ref())
	}
}

// An automatic agenda post that Mattermost refuses is reported to the
// meeting's creator at once, with Mattermost's reason, once; one that could
// not go out before the meeting began (Mattermost unreachable for that
// channel) is reported after it began. Neither expires silently.
func TestAgendaPostFailures(t *testing.T) {
	w := newPassWorld(t)
	created := time.Date(2026, 11, 23, 10, 0, 0, 0, kim.Berlin)
	kora := kim.Actor{TeamID: "t1", UserID: "kora"}
	refused, err := w.s.CreateMeeting(w.ctx, kora, kim.Meeting{Title: "Archiviert", StartsAt: berlin(12, 3, 14, 0),
		ChannelID: "ch-archived", ChannelName: "alt", CreatedAt: created})
	if err != nil {
		t.Fatal(err)
	}
	unreachable, err := w.s.CreateMeeting(w.ctx, kora, kim.Meeting{Title: "Unerreichbar", StartsAt: berlin(12, 4, 14, 0),
		ChannelID: "ch-down", ChannelName: "weg", CreatedAt: created})
	if err != nil {
		t.Fatal(err)
	}
	w.mm.mu.Lock()
	w.mm.failing = map[string]error{
		"ch-archived": &kim.PostRefused{Status: 403, Reason: "Cannot post to an archived channel @channel"},
		"ch-down":     errDown,
	}
	w.mm.mu.Unlock()

	w.pass(berlin(12, 1, 9, 0)) // M-1's post is due and refused
	dm := w.expectPosts("kora", 1)[0]
	mustContain(t, text(dm), "automatische Tagesordnung für **Archiviert** (M-1)", "~alt",
		"Cannot post to an archived channel ＠channel", "/kim tagesordnung posten M-1")
	for _, h := range []int{10, 11, 12} {
		w.pass(berlin(12, 1, h, 0)) // retried, not reported again
	}
	w.pass(berlin(12, 2, 9, 0)) // M-2's post is due; Mattermost does not answer for its channel
	w.pass(berlin(12, 3, 13, 0))
	w.expectPosts("kora", 3)     // + the empty-agenda reminders of M-1 and M-2
	w.pass(berlin(12, 4, 15, 0)) // both meetings have begun: M-2's post expired unsent
	w.pass(berlin(12, 4, 16, 0))
	posts := w.expectPosts("kora", 4)
	mustContain(t, text(posts[3]), "Tagesordnung für **Unerreichbar** (M-2)", "nicht in ~weg erschienen", "connection refused")
	for _, m := range []kim.Meeting{refused, unreachable} {
		if rec, err := w.s.Delivery(w.ctx, "agenda-post:"+strconv.FormatInt(m.ID, 10), nil); err != nil || rec.Status != "expired" {
			t.Errorf("%s: delivery %+v %v", m.Ref(), rec, err)
		}
	}
}

// A meeting moved after its agenda went out gets the automatic post again
// for its new day (a delivery of its new revision), and the reminder of an
// empty agenda for that day; a meeting called off gets neither.
func TestAgendaAfterMeetingMoved(t *testing.T) {
	w := newPassWorld(t)
	kora := kim.Actor{TeamID: "t1", UserID: "kora"}
	created := time.Date(2026, 11, 23, 10, 0, 0, 0, kim.Berlin)
	meeting := func(day int, title string) kim.Meeting {
		t.Helper()
		m, err := w.s.CreateMeeting(w.ctx, kora, kim.Meeting{Title: title, StartsAt: berlin(12, day, 14, 0),
			ChannelID: "ch-netz", ChannelName: "netz", CreatedAt: created})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	moved, off := meeting(3, "Netzwerktreffen"), meeting(4, "Lenkungsgruppe")
	if _, err := w.s.CancelMeeting(w.ctx, kora, off.N, created); err != nil {
		t.Fatal(err)
	}
	keys := func() []string {
		w.mm.mu.Lock()
		defer w.mm.mu.Unlock()
		var out []string
		for _, p := range w.mm.posts {
			out = append(out, p.Key)
		}
		return out
	}
	w.pass(berlin(12, 1, 9, 0)) // moved's post time; off's is Wednesday
	id := strconv.FormatInt(moved.ID, 10)
	if k := keys(); len(k) != 1 || k[0] != "agenda-post:"+id {
		t.Fatalf("deliveries on Tuesday: %v", k)
	}
	start := berlin(12, 10, 14, 0)
	if _, _, err := w.s.EditMeeting(w.ctx, kora, moved.N, store.MeetingChange{StartsAt: &start}, berlin(12, 1, 10, 0)); err != nil {
		t.Fatal(err)
	}
	for _, d := range []int{2, 3, 4, 7, 8, 9} {
		w.pass(berlin(12, d, 9, 0))
	}
	k := keys()
	want := []string{"agenda-post:" + id, "agenda-post:" + id + ":r1", "agenda-reminder:" + id + ":r1"}
	if strings.Join(k, " ") != strings.Join(want, " ") {
		t.Fatalf("deliveries up to 09.12.: %v, want %v", k, want)
	}
	w.mm.mu.Lock()
	again := w.mm.posts[1].Msg.Text
	w.mm.mu.Unlock()
	mustContain(t, again, "Netzwerktreffen (M-1)", "10.12.2026")
}
