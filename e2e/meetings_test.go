package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
)

// botPosts returns the bot's posts in a channel as u sees them, oldest first.
func (u *user) botPosts(t testing.TB, channelID string) []*model.Post {
	t.Helper()
	botID, err := u.UserIDByName(ctxT(t), botUsername)
	if err != nil {
		t.Fatal(err)
	}
	var out []*model.Post
	for _, p := range u.channelPosts(t, channelID) {
		if p.UserId == botID {
			out = append(out, p)
		}
	}
	return out
}

// meetingDay is a working day two weeks or more from today, so that the meeting and its
// automatic agenda post lie in the future whenever the test runs.
func meetingDay(weeks int) kim.Date {
	return kim.Workday(kim.DateOf(time.Now().In(kim.Berlin)).AddDays(7 * weeks))
}

// noCaseData fails if an agenda post names a case or a pseudonym.
func noCaseData(t *testing.T, post string, refs, pseudonyms []string) {
	t.Helper()
	if m := caseRefRE.FindString(post); m != "" {
		t.Errorf("agenda post contains the case reference %s:\n%s", m, post)
	}
	for _, r := range refs {
		if strings.Contains(strings.ToUpper(post), r) {
			t.Errorf("agenda post contains %s:\n%s", r, post)
		}
	}
	for _, p := range pseudonyms {
		if regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(p) + `($|[^\pL])`).MatchString(post) {
			t.Errorf("agenda post contains the pseudonym %q:\n%s", p, post)
		}
	}
}

// TestMeetingAgenda: two coaches record barriers in their cases; a coordinator makes a
// network meeting in a channel kimbot is not a member of yet, adds an item and posts the
// agenda; a coach records another barrier and the coordinator adds an item, and the automatic
// post (`kimbot remind --now` at its time) brings the current agenda, once. Both posts are read
// from the channel through the REST API: one message each, the barriers grouped by partner or
// topic with counts, and no case reference or pseudonym anywhere. The coordinator of a meeting
// with an empty agenda is reminded the working day before it; a private channel without the bot
// is refused with an answer that says what to do.
func TestMeetingAgenda(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot()) // its reminder passes must touch no other test's team
	coach1 := env.newUser(t, "coach1", "de")
	coach2 := env.newUser(t, "coach2", "en")
	coord := env.newUser(t, "koordination", "de")
	env.grant(t, coach1, "coach", "org=Caritas")
	env.grant(t, coach2, "coach", "org=DRK")
	env.grant(t, coord, "coordinator")
	netz := env.newChannel(t, "netzwerk", coord, coach1)

	// Barriers found in cases; one text even names its case and pseudonym.
	ref1 := caseRefRE.FindString(coach1.kimOK(t, "open Amira group=refugee consent=yes"))
	ref2 := caseRefRE.FindString(coach2.kimOK(t, "open Jovan group=eu consent=yes"))
	if ref1 == "" || ref2 == "" {
		t.Fatalf("no case references: %q %q", ref1, ref2)
	}
	refs, pseudonyms := []string{ref1, ref2}, []string{"Amira", "Jovan"}
	coach1.kimOK(t, `barrier `+ref1+` jobcenter "Termine erst nach 8 Wochen"`)
	coach1.kimOK(t, "barrier confirm "+ref1+" 1")
	coach2.kimOK(t, `barrier `+ref2+` jobcenter "Termine erst nach 8 Wochen"`)
	coach2.kimOK(t, "barrier confirm "+ref2+" 1")
	coach2.kimOK(t, `hindernis `+ref2+` auslaenderbehoerde "Keine Online-Termine für Verlängerungen"`)
	coach2.kimOK(t, "hindernis bestaetigen "+ref2+" 2")
	coach1.kimOK(t, `barrier `+ref1+` Wohnen "Amira findet keine Wohnung (`+ref1+`)"`)
	coach1.kimOK(t, "barrier confirm "+ref1+" 2")

	// A private channel without the bot: a clear refusal, nothing stored.
	priv, _, err := stack.admin.CreateChannel(ctxT(t), &model.Channel{TeamId: env.Team.Id, Name: "vertraulich-" + env.suffix,
		DisplayName: "vertraulich", Type: model.ChannelTypePrivate})
	if err != nil {
		t.Fatal(err)
	}
	day := meetingDay(2)
	coord.kimOK(t, fmt.Sprintf("meeting new %s 14:00 Geheimrunde channel=~%s", day, priv.Name),
		"~"+priv.Name, "kimbot sieht ihn nicht (privat)", "/invite @kimbot")
	coord.kimOK(t, "meeting list", "Noch keine Treffen")
	// Dates in the past are refused.
	coord.kimOK(t, fmt.Sprintf("meeting new %s 14:00 Rückblick channel=~%s", kim.DateOf(time.Now().In(kim.Berlin)).AddDays(-1), netz.Name),
		"liegt in der Vergangenheit")

	// The meeting, in a public channel the bot joins.
	ans := coord.kimOK(t, fmt.Sprintf("treffen neu %s 14:00 Netzwerktreffen Integration channel=~%s", day.German(), netz.Name),
		"**M-1**", "~"+netz.Name, day.German()+", 14:00 Uhr")
	m := kim.Meeting{StartsAt: time.Date(day.Y, time.Month(day.M), day.D, 14, 0, 0, 0, kim.Berlin)}
	due := reminders.AgendaPostTime(m, 2)
	if !strings.Contains(ans, "automatisch am "+kim.DateOf(due).German()+" um 09:00") {
		t.Errorf("the answer does not name the automatic post on %s:\n%s", kim.DateOf(due).German(), ans)
	}
	coord.kimOK(t, "agenda add M-1 Wartezeiten beim Jobcenter", "Punkt 1")
	coord.kimOK(t, "agenda post M-1", "~"+netz.Name, "Punkte: 1", "Strukturhinweise ohne Fallbezug: 4")

	posts := coord.botPosts(t, netz.Id)
	if len(posts) != 1 {
		t.Fatalf("%d bot posts in ~%s after agenda post, want 1:\n%s", len(posts), netz.Name, postsText(posts))
	}
	first := posts[0].Message
	for _, want := range []string{
		"Tagesordnung: Netzwerktreffen Integration (M-1)", "1. Wartezeiten beim Jobcenter",
		"Strukturhinweise aus dem Case Management", "4 Hinweise von Coaches",
		"| Jobcenter | 2 |", "| Ausländerbehörde | 1 |", "| Thema: Wohnen | 1 |",
		"„Termine erst nach 8 Wochen“ (2×)", "English: agenda of",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("agenda post lacks %q:\n%s", want, first)
		}
	}
	noCaseData(t, first, refs, pseudonyms)

	// The agenda changes; the automatic post brings it once at its time.
	coach2.kimOK(t, `barrier `+ref2+` jobcenter "Rückruf dauert drei Wochen"`)
	coach2.kimOK(t, "barrier confirm "+ref2+" 3")
	coord.kimOK(t, `tagesordnung neu M-1 "Wohnraum für Geflüchtete"`, "Punkt 2")
	// A coordinator's item that names a case and a person reaches the channel masked.
	coord.kimOK(t, "tagesordnung neu M-1 Rückmeldung zu "+ref2+" an Jovan und Frau Petrović", "Punkt 3",
		"Im Kanal steht: „Rückmeldung zu […] an […] und Frau […]“")
	out := env.remindNow(t, due.Add(-time.Minute))
	if n := len(coord.botPosts(t, netz.Id)); n != 1 {
		t.Fatalf("agenda posted before its time (%s): %d posts\n%s", due, n, out)
	}
	out = env.remindNow(t, due)
	env.remindNow(t, due.Add(2*time.Minute)) // a later pass: nothing again
	posts = coord.botPosts(t, netz.Id)
	if len(posts) != 2 {
		t.Fatalf("%d bot posts after the automatic post, want 2:\n%s\nremind: %s", len(posts), postsText(posts), out)
	}
	auto := posts[1].Message
	for _, want := range []string{
		"Tagesordnung: Netzwerktreffen Integration (M-1)", "1. Wartezeiten beim Jobcenter", "2. Wohnraum für Geflüchtete",
		"3. Rückmeldung zu […] an […] und Frau […]",
		"Strukturhinweise aus dem Case Management", "5 Hinweise von Coaches",
		"| Jobcenter | 3 |", "| Ausländerbehörde | 1 |", "| Thema: Wohnen | 1 |",
	} {
		if !strings.Contains(auto, want) {
			t.Errorf("automatic agenda post lacks %q:\n%s", want, auto)
		}
	}
	noCaseData(t, auto, refs, append(pseudonyms, "Petrović"))
	for _, p := range posts {
		if len(p.FileIds) > 0 || p.RootId != "" {
			t.Errorf("agenda post %s is not one plain message: %+v", p.Id, p)
		}
	}

	// A second meeting with an empty agenda: its creator is reminded the working day before.
	day2 := kim.Workday(day.AddDays(7))
	coord.kimOK(t, fmt.Sprintf("meeting new %s 10:00 Lenkungsgruppe channel=~%s", day2, netz.Name), "**M-2**")
	m2 := kim.Meeting{StartsAt: time.Date(day2.Y, time.Month(day2.M), day2.D, 10, 0, 0, 0, kim.Berlin)}
	before := len(coord.botDMs(t))
	env.remindNow(t, reminders.AgendaReminderTime(m2))
	env.remindNow(t, reminders.AgendaReminderTime(m2).Add(time.Minute))
	dms := coord.botDMs(t)
	if len(dms) != before+1 || !strings.Contains(dms[len(dms)-1].Message, "Lenkungsgruppe** (M-2)") ||
		!strings.Contains(dms[len(dms)-1].Message, "noch leer") {
		t.Errorf("empty-agenda reminder: %d new DMs:\n%s", len(dms)-before, postsText(dms))
	}
	// M-2's own automatic post (due before the reminder) shows no barriers since M-1.
	posts = coord.botPosts(t, netz.Id)
	if len(posts) != 3 || !strings.Contains(posts[2].Message, "(M-2)") ||
		!strings.Contains(posts[2].Message, "Keine Strukturhinweise seit dem letzten Treffen am "+day.German()) {
		t.Errorf("M-2's automatic post:\n%s", postsText(posts))
	}

	// Action items: owner and due date, done by the owner only.
	coord.kimOK(t, fmt.Sprintf("action add M-1 %s \"Termin mit dem Jobcenter vereinbaren\" due=%s", coach1.mention(), day2),
		"**A-1**", coach1.mention())
	coach2.kimOK(t, "action done A-1", "only "+coach1.mention())
	coach1.kimOK(t, "aufgabe erledigt A-1", "A-1", "erledigt")
	coord.kimOK(t, "meeting show M-1", "A-1", "✓")

	// A meeting moved, then called off after its agenda was posted by hand:
	// the channel is told, and no automatic post follows.
	day3 := kim.Workday(day2.AddDays(7))
	coord.kimOK(t, fmt.Sprintf("treffen neu %s 10:00 Sondertreffen kanal=~%s", day3.German(), netz.Name), "**M-3**")
	coord.kimOK(t, "tagesordnung posten M-3", "~"+netz.Name)
	coord.kimOK(t, "treffen verschieben M-3 uhrzeit=11 Uhr", "Treffen **M-3** geändert: „Sondertreffen“", day3.German()+", 11:00 Uhr",
		"zeigt noch den alten Stand")
	coord.kimOK(t, "treffen absagen M-3", "Absagen würde", "Noch ist nichts geändert")
	n := len(coord.botPosts(t, netz.Id))
	coord.kimOK(t, "treffen absagen M-3 bestätigen", "ist abgesagt", "steht jetzt, dass es ausfällt")
	posts = coord.botPosts(t, netz.Id)
	if len(posts) != n+1 || !strings.HasPrefix(posts[n].Message, "**Abgesagt:** Das Netzwerktreffen „Sondertreffen“ am ") ||
		!strings.Contains(posts[n].Message, day3.German()+", 11:00 Uhr fällt aus.") {
		t.Fatalf("the channel after M-3 was called off:\n%s", postsText(posts[n-1:]))
	}
	m3 := kim.Meeting{StartsAt: time.Date(day3.Y, time.Month(day3.M), day3.D, 11, 0, 0, 0, kim.Berlin)}
	env.remindNow(t, reminders.AgendaPostTime(m3, 2))
	if got := len(coord.botPosts(t, netz.Id)); got != n+1 {
		t.Errorf("a called-off meeting's agenda was posted: %d posts", got)
	}
	coord.kimOK(t, "tagesordnung neu M-3 Nachtrag", "M-3 ist abgesagt")
	t.Logf("agenda post:\n%s", devstack.Tail(auto, 40))
}
