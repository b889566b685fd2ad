package commands

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

// channels stands in for Mattermost's channels: these tests check the
// commands; the bot's side is tested end to end (e2e/meetings_test.go).
type channels struct {
	mu    sync.Mutex
	known map[string]kim.Channel // by name
	posts map[string][]string    // channel id → messages
}

func newChannels(names ...string) *channels {
	c := &channels{known: map[string]kim.Channel{}, posts: map[string][]string{}}
	for _, n := range names {
		c.known[n] = kim.Channel{ID: "ch-" + n, TeamID: "teamA", Name: n}
	}
	return c
}

func (c *channels) Channel(_ context.Context, teamID, name, id string) (kim.Channel, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range c.known {
		if (name != "" && ch.Name == name || name == "" && ch.ID == id) && ch.TeamID == teamID {
			return ch, nil
		}
	}
	if name == "" {
		return kim.Channel{}, kim.Errorf(kim.EFORBIDDEN, "meeting.channel_here", nil)
	}
	return kim.Channel{}, kim.Errorf(kim.ENOTFOUND, "meeting.channel_not_found", map[string]any{"Channel": name})
}

func (c *channels) PostToChannel(_ context.Context, channelID, message string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.posts[channelID] = append(c.posts[channelID], message)
	return "post-" + channelID, nil
}

func (c *channels) last(channelID string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.posts[channelID]
	if len(p) == 0 {
		return ""
	}
	return p[len(p)-1]
}

func (w *world) clockAt(t time.Time) { w.svc.Clock = func() time.Time { return t } }

func (w *world) mustSay(team, user, line string, wants ...string) string {
	w.t.Helper()
	rep := w.run(team, user, line)
	if rep.Outcome != "ok" {
		w.t.Fatalf("%s: %q failed: %s", user, line, rep.Text)
	}
	for _, want := range wants {
		if !strings.Contains(rep.Text, want) {
			w.t.Errorf("%s: %q answer lacks %q:\n%s", user, line, want, rep.Text)
		}
	}
	return rep.Text
}

func TestMeetingsAgendaAndActions(t *testing.T) {
	w := newWorld(t)
	chs := newChannels("netz", "town-square")
	w.svc.Channels = chs
	w.svc.AgendaPostTime = func(m kim.Meeting, lead int) time.Time {
		return time.Date(2026, 12, 1, 9, 0, 0, 0, kim.Berlin) // what reminders computes for 03.12.2026
	}
	w.run("teamA", "root", "admin role @nobody coordinator")

	// Coaches find barriers in their cases.
	w.mustSay("teamA", "anna", "open AB group=refugee consent=yes", "K-2026-0001")
	w.mustSay("teamA", "ben", "open XY group=eu consent=yes", "K-2026-0002")
	w.mustSay("teamA", "anna", `barrier K-2026-0001 jobcenter "Termine erst nach 8 Wochen"`)
	w.mustSay("teamA", "anna", "barrier confirm K-2026-0001 1")
	w.mustSay("teamA", "ben", `barrier K-2026-0002 jobcenter "Termine erst nach 8 Wochen"`)
	w.mustSay("teamA", "ben", "hindernis bestaetigen K-2026-0002 1")
	w.mustSay("teamA", "anna", `barrier K-2026-0001 wohnen "AB findet keine Wohnung, siehe K-2026-0001"`)
	w.mustSay("teamA", "anna", "barrier confirm K-2026-0001 2")

	w.mustSay("teamA", "kora", "meeting new 2026-12-03 14:00 Netzwerktreffen Integration channel=~netz",
		"**M-1**", "Do., 03.12.2026, 14:00 Uhr", "~netz", "01.12.2026 um 09:00")
	w.mustSay("teamA", "kora", "treffen neu 17.12.2026 9:30 \"Lenkungsgruppe\" channel=~netz", "**M-2**", "Do., 17.12.2026, 09:30 Uhr")
	w.mustSay("teamA", "kora", "agenda add M-1 Wartezeiten Jobcenter", "Punkt 1", "M-1")
	w.mustSay("teamA", "kora", "treffen zeige **M-2**", "Lenkungsgruppe") // as copied from an answer
	w.mustSay("teamA", "kora", "tagesordnung neu m-1 \"Wohnraum für Großfamilien\"", "Punkt 2")
	// A sub-verb of the meeting typed after the agenda: the line that works, not
	// the case card of a pseudonym "M-1".
	w.want("teamA", "kora", "tagesordnung zeige M-1", kim.EINVALID, "Meinten Sie `/kim treffen zeige M-1`?")
	w.want("teamA", "kora", "agenda show M-1", kim.EINVALID, "`/kim meeting show M-1`")
	w.want("teamA", "kora", "zeige m-1", kim.EINVALID, "**M-1** ist ein Treffen, kein Fall: `/kim treffen zeige M-1`.")
	w.want("teamA", "anna", "zeige M-1", kim.ENOTFOUND) // a coach: no meetings to show, no case M-1

	w.mustSay("teamA", "kora", "agenda post M-1", "~netz", "Punkte: 2", "Strukturhinweise ohne Fallbezug: 3")
	post := chs.last("ch-netz")
	for _, want := range []string{
		"#### Tagesordnung: Netzwerktreffen Integration (M-1)", "Do., 03.12.2026, 14:00 Uhr",
		"1. Wartezeiten Jobcenter", "2. Wohnraum für Großfamilien",
		"##### Strukturhinweise aus dem Case Management", "3 Hinweise von Coaches bis zu diesem ersten Treffen",
		"| Jobcenter | 2 |", "| Thema: Wohnen | 1 |", "„Termine erst nach 8 Wochen“ (2×)", "English: agenda of",
	} {
		if !strings.Contains(post, want) {
			t.Errorf("agenda post lacks %q:\n%s", want, post)
		}
	}
	for _, leak := range []string{"K-2026", "AB ", "@anna", "@ben"} {
		if strings.Contains(post, leak) {
			t.Errorf("agenda post leaks %q:\n%s", leak, post)
		}
	}
	if !strings.Contains(post, "[…] findet keine Wohnung, siehe […]") {
		t.Errorf("pseudonym and case reference not scrubbed from the barrier text:\n%s", post)
	}
	w.mustSay("teamA", "kora", "meeting show M-1", "M-1 · Netzwerktreffen Integration", "Tagesordnung gepostet am 23.11.2026",
		"1. Wartezeiten Jobcenter", "3 Hinweise bis zu diesem ersten Treffen: Jobcenter 2 · Thema: Wohnen 1")

	// The next meeting sees only what was recorded since M-1.
	w.clockAt(time.Date(2026, 12, 8, 10, 0, 0, 0, kim.Berlin))
	w.mustSay("teamA", "ben", `hindernis K-2026-0002 auslaenderbehoerde "Keine Termine online buchbar"`)
	w.mustSay("teamA", "ben", "hindernis bestätigen K-2026-0002 2")
	w.mustSay("teamA", "kora", "agenda post M-2", "Strukturhinweise ohne Fallbezug: 1")
	post = chs.last("ch-netz")
	if !strings.Contains(post, "seit dem letzten Treffen am 03.12.2026") || !strings.Contains(post, "| Ausländerbehörde | 1 |") ||
		strings.Contains(post, "Jobcenter") || !strings.Contains(post, "Noch keine Punkte") {
		t.Errorf("second agenda:\n%s", post)
	}

	// Action items: an owner and a due date; only the owner or the coordination completes them.
	w.clockAt(testNow)
	w.mustSay("teamA", "kora", `action add M-1 @ben "Termin mit dem Jobcenter vereinbaren" due=18.12.2026`, "**A-1**", "@ben", "18.12.2026")
	w.mustSay("teamA", "nobody", "aufgabe neu M-1 @anna Wohnungsmarkt-Daten besorgen", "**A-2**", "17.12.2026") // meeting day + 14
	if rep := w.run("teamA", "anna", "action done A-1"); rep.Outcome != kim.EFORBIDDEN || !strings.Contains(rep.Text, "@ben") {
		t.Errorf("anna completes ben's action: %+v", rep)
	}
	w.mustSay("teamA", "ben", "action done a-1", "A-1", "done")
	if rep := w.run("teamA", "ben", "action done A-1"); rep.Outcome != kim.ECONFLICT {
		t.Errorf("done twice: %+v", rep)
	}
	w.mustSay("teamA", "kora", "aufgabe erledigt A-2", "A-2", "erledigt")
	if n := w.count(`SELECT count(*) FROM actions WHERE done_on = '2026-11-23'`); n != 2 {
		t.Errorf("%d actions done, want 2", n)
	}
	w.mustSay("teamA", "kora", "meeting list", "M-1", "M-2", "~netz")
	w.mustSay("teamA", "kora", "meeting show M-1", "A-1", "@ben", "✓ 23.11.2026")

	// Checked off by mistake: open again, by the owner or the coordination only.
	if rep := w.run("teamA", "kora", "aufgabe erledigt A-2"); rep.Outcome != kim.ECONFLICT || !strings.Contains(rep.Text, "Wieder öffnen: `/kim aufgabe offen A-2`") {
		t.Errorf("done twice, no line to undo it: %+v", rep)
	}
	if rep := w.run("teamA", "anna", "action reopen A-1"); rep.Outcome != kim.EFORBIDDEN {
		t.Errorf("anna reopens ben's action: %+v", rep)
	}
	w.mustSay("teamA", "ben", "action reopen A-1", "A-1", "open again")
	w.mustSay("teamA", "kora", "aufgabe offen A-2", "A-2", "wieder offen")
	if rep := w.run("teamA", "kora", "aufgabe offen A-2"); rep.Outcome != kim.ECONFLICT || !strings.Contains(rep.Text, "A-2 ist offen") {
		t.Errorf("reopened twice: %+v", rep)
	}
	if n := w.count(`SELECT count(*) FROM actions WHERE done_on IS NULL`); n != 2 {
		t.Errorf("%d actions open again, want 2", n)
	}
	w.mustSay("teamA", "kora", "meeting show M-1", "A-1", "@ben", "18.12.2026")
}

// Refusals change nothing and say what was wrong.
func TestMeetingRefusals(t *testing.T) {
	w := newWorld(t)
	chs := newChannels("netz")
	w.svc.Channels = chs
	w.mustSay("teamA", "kora", "meeting new 2026-12-03 14:00 Netzwerktreffen channel=~netz")
	before := w.count(`SELECT (SELECT count(*) FROM meetings) + (SELECT count(*) FROM agenda_items) + (SELECT count(*) FROM actions)`)
	for _, tc := range []struct{ user, line, want, outcome string }{
		{"anna", "meeting new 2026-12-03 14:00 X channel=~netz", "ist nur für die Koordination oder Admins", kim.EFORBIDDEN},
		{"anna", "agenda add M-1 X", "ist nur für die Koordination oder Admins", kim.EFORBIDDEN},
		{"anna", "agenda post M-1", "ist nur für die Koordination oder Admins", kim.EFORBIDDEN},
		{"anna", "report 2026 by=org", "", "ok"}, // coaches may report, but only their own figures
		{"nobody", "meeting list", "keine kimbot-Rolle", kim.EFORBIDDEN},
		{"kora", "meeting new 2026-11-20 10:00 Rückblick channel=~netz", "liegt in der Vergangenheit", kim.EINVALID},
		{"kora", "meeting new 2026-11-23 09:59 Heute früh channel=~netz", "liegt in der Vergangenheit", kim.EINVALID},
		{"kora", "meeting new 2029-01-10 10:00 Fern channel=~netz", "zwei Jahre", kim.EINVALID},
		{"kora", "meeting new 31.02.2027 10:00 X channel=~netz", "kein gültiges Datum", kim.EINVALID},
		{"kora", "meeting new 2026-12-03 25:00 X channel=~netz", "keine Uhrzeit", kim.EINVALID},
		{"kora", "meeting new 2026-12-03 14:00", "Es fehlt: Titel", kim.EINVALID},
		{"kora", "meeting new 2026-12-03 14:00 X channel=~geheim", "~geheim gibt es in diesem Team nicht", kim.ENOTFOUND},
		{"kora", "meeting new 2026-12-03 14:00 X", "In diesem Kanal kann kimbot nicht posten", kim.EFORBIDDEN},
		{"kora", "meeting new 2026-12-03 14:00 " + strings.Repeat("x", 201) + " channel=~netz", "zu lang", kim.EINVALID},
		{"kora", "agenda add M-9 X", "Kein Treffen M-9", kim.ENOTFOUND},
		{"kora", "agenda add 9 X", "kein Treffen wie M-3", kim.EINVALID},
		{"kora", "agenda add M-1 " + strings.Repeat("y", 301), "zu lang", kim.EINVALID},
		{"kora", "agenda post M-2", "Kein Treffen M-2", kim.ENOTFOUND},
		{"kora", "action add M-1 @ghost Tun", "@ghost ist kein Mitglied", kim.ENOTFOUND},
		{"kora", "action add M-1 @ben Tun due=2026-11-01", "in der Vergangenheit", kim.EINVALID},
		{"kora", "action add M-1 ben Tun", "keine Person wie @name", kim.EINVALID},
		{"kora", "action done A-5", "Keine Aufgabe A-5", kim.ENOTFOUND},
		{"kora", "action add M-1 @nobody Tun", "@nobody hat in diesem Team keine kimbot-Rolle", kim.EINVALID},
		{"bea", "meeting show M-1", "", kim.EFORBIDDEN}, // bea is a coach of team B
	} {
		team := "teamA"
		if tc.user == "bea" {
			team = "teamB"
		}
		rep := w.run(team, tc.user, tc.line)
		if !strings.Contains(rep.Text, tc.want) || rep.Outcome != tc.outcome {
			t.Errorf("%s %q: got %q (%s), want %q (%s)", tc.user, render.Clip(tc.line, 60), rep.Text, rep.Outcome, tc.want, tc.outcome)
		}
	}
	if after := w.count(`SELECT (SELECT count(*) FROM meetings) + (SELECT count(*) FROM agenda_items) + (SELECT count(*) FROM actions)`); after != before {
		t.Fatalf("refused commands changed meetings: %d rows before, %d after", before, after)
	}
	// A meeting that has begun takes no more items and no post.
	w.clockAt(time.Date(2026, 12, 3, 14, 0, 0, 0, kim.Berlin))
	for _, line := range []string{"agenda add M-1 Spät", "agenda post M-1"} {
		if rep := w.run("teamA", "kora", line); rep.Outcome != kim.ECONFLICT || !strings.Contains(rep.Text, "schon begonnen") {
			t.Errorf("%q after the start: %+v", line, rep)
		}
	}
	// Meetings are the team's: another team's coordinator does not see M-1.
	w.run("teamB", "root", "admin role @bea coordinator")
	if rep := w.run("teamB", "bea", "meeting show M-1"); rep.Outcome != kim.ENOTFOUND {
		t.Errorf("team B sees team A's meeting: %+v", rep)
	}
}

// The meeting's time is the coordinator's local time.
func TestMeetingTimeZone(t *testing.T) {
	w := newWorld(t)
	w.svc.Channels = newChannels("netz")
	ctx := context.Background()
	u := w.users["kora"]
	u.TimeZone = "Europe/London"
	if _, err := w.st.SyncUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	w.mustSay("teamA", "kora", "meeting new 2026-12-03 14:00 London channel=~netz", "14:00 Uhr (Europe/London)")
	var starts time.Time
	if err := w.st.Pool().QueryRow(ctx, `SELECT starts_at FROM meetings`).Scan(&starts); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 3, 15, 0, 0, 0, kim.Berlin); !starts.Equal(want) {
		t.Errorf("starts at %s, want %s", starts, want)
	}
}

// A coordinator's texts reach the channel as a barrier's do: the title and
// the items are masked when typed (the answer shows what the channel will
// show and what was replaced; the agenda keeps it so) and again when posted,
// with the pseudonyms of cases opened since.
func TestAgendaTextsMasked(t *testing.T) {
	w := newWorld(t)
	chs := newChannels("netz")
	w.svc.Channels = chs
	w.mustSay("teamA", "anna", "open Yilmaz group=refugee consent=yes", "K-2026-0001")

	w.mustSay("teamA", "kora", "treffen neu 03.12.2026 14:00 Fallbesprechung Frau Yilmaz channel=~netz",
		"„Fallbesprechung Frau […]“", "Im Kanal steht: „Fallbesprechung Frau […]“", "„Yilmaz“")
	w.mustSay("teamA", "kora", "tagesordnung M-1 Fall K-2026-0001 von Herrn Demir besprechen",
		"Punkt 1", "Im Kanal steht: „Fall […] von Herrn […] besprechen“", "„K-2026-0001“ (Fallnummer)", "„Demir“ (Name)")
	w.mustSay("teamA", "kora", "tagesordnung neu M-1 Wohnraum für Großfamilien", "Punkt 2")
	w.mustSay("teamA", "kora", "tagesordnung neu M-1 Rückmeldung an Zora geben", "Punkt 3")
	w.mustSay("teamA", "kora", "tagesordnung aendern M-1 2 Wohnraum für Familie Okafor", "Im Kanal steht: „Wohnraum für Familie […]“")
	if n := w.count(`SELECT count(*) FROM agenda_items WHERE text ~ 'K-2026|Demir|Okafor'`); n != 0 {
		t.Errorf("%d agenda items kept a name or a reference", n)
	}
	if n := w.count(`SELECT count(*) FROM meetings WHERE title ~ 'Yilmaz'`); n != 0 {
		t.Error("the meeting title kept the name")
	}

	// A case opened since with the pseudonym an item holds: the post masks it.
	w.mustSay("teamA", "ben", "open Zora group=eu consent=yes", "K-2026-0002")
	w.mustSay("teamA", "kora", "agenda post M-1", "~netz")
	post := chs.last("ch-netz")
	for _, want := range []string{"Fallbesprechung Frau […] (M-1)", "1. Fall […] von Herrn […] besprechen", "2. Wohnraum für Familie […]",
		"3. Rückmeldung an […] geben"} {
		if !strings.Contains(post, want) {
			t.Errorf("agenda post lacks %q:\n%s", want, post)
		}
	}
	for _, leak := range []string{"Yilmaz", "Demir", "Okafor", "Zora", "K-2026"} {
		if strings.Contains(post, leak) {
			t.Errorf("agenda post leaks %q:\n%s", leak, post)
		}
	}
}
