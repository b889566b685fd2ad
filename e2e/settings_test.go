package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
)

// TestTeamSettingsAsPeople: an admin sees every setting of the team with German labels, sets
// the agenda lead and the retention by command (German option names), and both take effect:
// the automatic agenda post comes at the new lead, and a shorter retention asks first — nothing
// is erased until it is confirmed — and then erases the closed case at the next reminder pass.
func TestTeamSettingsAsPeople(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot()) // its reminder passes must touch no other test's team
	admin := env.newUser(t, "verwaltung", "de")
	coord := env.newUser(t, "koordination", "de")
	coach := env.newUser(t, "coach", "de")
	env.grant(t, admin, "admin")
	env.grant(t, coord, "coordinator")
	env.grant(t, coach, "coach")
	netz := env.newChannel(t, "netzwerk", coord)

	admin.kimOK(t, "admin vorgaben", "**Vorgaben des Teams**",
		"Monitoring: alle 28 Tage nach dem letzten Kontakt", "Ersteinschätzung: 14 Tage nach der Eröffnung",
		"Re-Assessment: 6 Monate nach der letzten Einschätzung", "Nachfassen: 14 Tage nach einem Verweis",
		"Aufbewahrung: abgeschlossene Fälle werden 6 Monate nach dem Abschluss gelöscht", "(`aufbewahrung=`)",
		"Tagesordnung: automatisch gepostet 2 Arbeitstage vor dem Treffen um 09:00 Uhr", "(`vorlauf=`)")
	admin.kimOK(t, "admin vorgaben vorlauf=5 aufbewahrung=12m", "Gespeichert", "5 Arbeitstage vor dem Treffen",
		"12 Monate nach dem Abschluss")
	admin.kimOK(t, "admin vorgaben vorlauf=21", "„21“ ist keine Zahl von 0 bis 20")
	coord.kimOK(t, "admin vorgaben", "ist nur für Admins")

	// The agenda lead: the automatic post comes five working days before the meeting.
	day := meetingDay(3)
	m := kim.Meeting{StartsAt: time.Date(day.Y, time.Month(day.M), day.D, 14, 0, 0, 0, kim.Berlin)}
	due := reminders.AgendaPostTime(m, 5)
	coord.kimOK(t, fmt.Sprintf("treffen neu %s 14:00 Netzwerktreffen channel=~%s", day.German(), netz.Name),
		"automatisch am "+kim.DateOf(due).German()+" um 09:00")
	coord.kimOK(t, "tagesordnung neu M-1 Wartezeiten", "Punkt 1")
	env.remindNow(t, due.Add(-time.Minute))
	if n := len(coord.botPosts(t, netz.Id)); n != 0 {
		t.Fatalf("agenda posted before the lead of 5 working days: %d posts", n)
	}
	env.remindNow(t, due)
	if posts := coord.botPosts(t, netz.Id); len(posts) != 1 || !strings.Contains(posts[0].Message, "1. Wartezeiten") {
		t.Fatalf("automatic post at the lead of 5 working days:\n%s", postsText(posts))
	}

	// The retention: a case closed 200 days ago is kept by 12 months, erased by 6 only once confirmed.
	ref := caseRefRE.FindString(coach.kimOK(t, "neu Amira group=refugee consent=ja", "ist angelegt"))
	coach.kimOK(t, "abschliessen "+ref+" verzogen", "abgeschlossen")
	db := env.kimbotDB(t)
	if _, err := db.Exec(ctxT(t), `UPDATE cases SET opened_on = opened_on - 200, closed_on = closed_on - 200
		WHERE team_id = $1 AND ref = $2`, env.Team.Id, ref); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	env.remindNow(t, now)
	coach.kimOK(t, "zeige "+ref, "Amira")
	admin.kimOK(t, "admin vorgaben aufbewahrung=6m", "von 1 abgeschlossenen Fall endgültig", "Noch ist nichts geändert",
		"`/kim admin vorgaben aufbewahrung=6m bestätigen`")
	env.remindNow(t, now.Add(time.Minute))
	coach.kimOK(t, "zeige "+ref, "Amira")
	admin.kimOK(t, "admin vorgaben aufbewahrung=6m bestaetigen", "Gespeichert", "6 Monate nach dem Abschluss")
	env.remindNow(t, now.Add(2*time.Minute))
	if card := coach.kimOK(t, "zeige "+ref, "(gelöscht)"); strings.Contains(card, "Amira") {
		t.Fatalf("the retention did not erase the case:\n%s", card)
	}
}
