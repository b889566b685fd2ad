package e2e

import (
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/reminders"
)

// A case moves AsylbLG → SGB II through Mattermost: the card lists the
// team's steps with their dates, the digest of a later working day brings
// the steps due by then with their buttons, and done on two steps and
// +1 week on a third change exactly those.
func TestTransitionThroughMattermost(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	coach := env.newUser(t, "coach", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	today, day := remToday(), remDay()

	text := coach.kimOK(t, `neu "T. W." gruppe=geflüchtete rechtskreis=AsylbLG einwilligung=ja`)
	k := caseRefRE.FindString(text)
	coach.kimOK(t, "rechtskreis "+k+" SGB II seit="+today.German(), "AsylbLG → SGB II", "8 Schritte",
		"Bürgergeld beim Jobcenter beantragen", reminders.NextWorkday(today).German(), reminders.NextWorkday(today.AddDays(7)).German(), reminders.NextWorkday(today.AddDays(28)).German())
	coach.kimOK(t, "zeige "+k, "Rechtskreiswechsel AsylbLG → SGB II seit "+today.German()+": 0 erledigt · 8 offen")

	env.remindNow(t, remAt(day, 8, 0))
	dm := coach.remExpect(t, 1)[0]
	digest := devstack.PostText(dm)
	for _, want := range []string{"Übergangsschritt 1: Bürgergeld", "Übergangsschritt 2: AsylbLG-Leistungen", "Übergangsschritt 3: Gesetzliche Krankenversicherung"} {
		if !strings.Contains(digest, want) {
			t.Errorf("digest lacks %q:\n%s", want, digest)
		}
	}
	if strings.Contains(digest, "Übergangsschritt 6") {
		t.Errorf("a step due in four weeks is in the digest of day 16:\n%s", digest)
	}

	coach.listen(t)
	p := coach.press(t, dm, remItem(t, dm, k, "Übergangsschritt 1:", "done").Id)
	coach.waitEphemeral(t, "Schritt 1 von "+k+" ist erledigt")
	p = coach.press(t, p, remItem(t, p, k, "Übergangsschritt 2:", "done").Id)
	coach.waitEphemeral(t, "Schritt 2 von "+k+" ist erledigt")
	// Snooze: one week after the later of the due date and today.
	until := reminders.NextWorkday(today.AddDays(14)).AddDays(7).German()
	coach.press(t, p, remItem(t, p, k, "Übergangsschritt 3:", "snooze").Id)
	coach.waitEphemeral(t, "Verschoben auf "+until)

	coach.kimOK(t, "zeige "+k, "2 erledigt · 6 offen", until)
	var done, moved, untouched int
	db := env.kimbotDB(t)
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FILTER (WHERE s.status = 'done' AND s.n IN (1, 2)),
			count(*) FILTER (WHERE s.n = 3 AND s.status = 'open' AND s.due_on = $2::date),
			count(*) FILTER (WHERE s.n > 3 AND s.status = 'open' AND s.due_on IN ($3::date, $4::date) AND s.closed_on IS NULL)
		FROM transition_steps s JOIN cases c ON c.id = s.case_id WHERE c.ref = $1 AND c.team_id = $5`,
		k, reminders.NextWorkday(today.AddDays(14)).AddDays(7).String(), reminders.NextWorkday(today.AddDays(14)).String(), reminders.NextWorkday(today.AddDays(28)).String(), env.Team.Id).Scan(&done, &moved, &untouched); err != nil {
		t.Fatal(err)
	}
	if done != 2 || moved != 1 || untouched != 5 {
		t.Errorf("steps done %d (want 2), step 3 moved %d (want 1), others untouched %d (want 5)", done, moved, untouched)
	}
}
