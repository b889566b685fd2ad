package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
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
		"Bürgergeld beim Jobcenter beantragen", kim.Workday(today).German(), kim.Workday(today.AddDays(7)).German(), kim.Workday(today.AddDays(28)).German())
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
	untilDay := kim.Workday(kim.Workday(today.AddDays(14)).AddDays(7)) // a working day, like every date kimbot computes
	until := untilDay.German()
	coach.press(t, p, remItem(t, p, k, "Übergangsschritt 3:", "snooze").Id)
	coach.waitEphemeral(t, "Verschoben auf "+until)

	coach.kimOK(t, "zeige "+k, "2 erledigt · 6 offen", until, "(alle: `/kim schritte "+k+"`)")
	// The whole checklist: the two done through the digest's buttons among the eight.
	coach.kimOK(t, "schritte T. W.", "Schritte von "+k+": Rechtskreiswechsel AsylbLG → SGB II", "(2 erledigt · 6 offen",
		"| 1 | Bürgergeld beim Jobcenter beantragen", "| 8 | Unterkunftskosten", "Abhaken: `/kim schritt "+k+" <nr>`")
	var done, moved, untouched int
	db := env.kimbotDB(t)
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FILTER (WHERE s.status = 'done' AND s.n IN (1, 2)),
			count(*) FILTER (WHERE s.n = 3 AND s.status = 'open' AND s.due_on = $2::date),
			count(*) FILTER (WHERE s.n > 3 AND s.status = 'open' AND s.due_on IN ($3::date, $4::date) AND s.closed_on IS NULL)
		FROM transition_steps s JOIN cases c ON c.id = s.case_id WHERE c.ref = $1 AND c.team_id = $5`,
		k, untilDay.String(), kim.Workday(today.AddDays(14)).String(), kim.Workday(today.AddDays(28)).String(), env.Team.Id).Scan(&done, &moved, &untouched); err != nil {
		t.Fatal(err)
	}
	if done != 2 || moved != 1 || untouched != 5 {
		t.Errorf("steps done %d (want 2), step 3 moved %d (want 1), others untouched %d (want 5)", done, moved, untouched)
	}

	// A step checked off by hand before its day does not come in that day's digest.
	coach.kimOK(t, "schritt "+k+" 6", "Schritt 6 von **"+k+"** erledigt am "+today.German(), "3 erledigt · 5 offen")
	late := kim.Workday(today.AddDays(28))
	env.remindNow(t, remAt(late, 8, 0))
	posts := coach.remExpect(t, 2) // the digest of day 16 and this one
	if digest := devstack.PostText(posts[len(posts)-1]); !strings.Contains(digest, "Übergangsschritt 7") || strings.Contains(digest, "Übergangsschritt 6") {
		t.Errorf("the digest of %s after step 6 was done by hand:\n%s", late.German(), digest)
	}

	// A change recorded by mistake is deleted with its steps, after asking; the steps it closed as
	// no longer needed are open again.
	coach.kimOK(t, "rechtskreis "+k+" SGB III bestätigen", "SGB II → SGB III", "Die offenen Schritte 3, 4, 5, 7, 8 des früheren Wechsels")
	coach.kimOK(t, "rechtskreis löschen "+k, "Gelöscht würde der Rechtskreiswechsel SGB II → SGB III", "Noch ist nichts geändert")
	coach.kimOK(t, "zeige "+k, "Rechtskreis: SGB III")
	coach.kimOK(t, "rechtskreis löschen "+k+" bestätigen", "gelöscht", "Rechtskreis: SGB II.", "Wieder offen: Schritte 3, 4, 5, 7, 8.")
	if card := coach.kimOK(t, "zeige "+k, "Rechtskreis: SGB II", "3 erledigt · 5 offen"); strings.Contains(card, "SGB III") {
		t.Errorf("the deleted change is still on the card:\n%s", card)
	}
	// An open step's day from the partner's appointment; the change's day not before the intake.
	appt := today.AddDays(30)
	coach.kimOK(t, "schritt "+k+" 3 fällig="+appt.German(), "Schritt 3 von **"+k+"** ist fällig am "+appt.German())
	coach.kimOK(t, "rechtskreis ändern "+k+" seit=gestern", "vor der Aufnahme von **"+k+"**", "/kim rechtskreis löschen "+k, "/kim fall ändern "+k+" rechtskreis=SGB II")
}

// An admin edits the AsylbLG → SGB II template through Mattermost and the next changes use the
// edited steps; the network meeting's agenda, read from its channel, shows where these steps
// stall (per step and partner, counts of five cases or more only, no case); done on every step of five cases through
// the digest gives the report's median; a change back while steps are open asks first, changes
// nothing unconfirmed, and closes the open steps as "nicht mehr nötig" only after bestaetigen.
func TestTransitionTemplateAgendaReportThroughMattermost(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot()) // its reminder pass must touch no other test's team
	admin := env.newUser(t, "verwaltung", "de")
	coach := env.newUser(t, "coach", "de")
	coord := env.newUser(t, "koordination", "de")
	// The shared admin grants one role; the team's own admin the others (the shared admin's
	// commands are rate limited across the tests running in parallel).
	env.grant(t, admin, "admin")
	admin.kimOK(t, "admin rolle "+coach.mention()+" coach organisation=Caritas", coach.mention())
	admin.kimOK(t, "admin rolle "+coord.mention()+" koordination", coord.mention())
	netz := env.newChannel(t, "netzwerk", coord)
	today := remToday()

	// The admin edits the template: step 1 changed, steps 3 to 8 removed, one added. The
	// answers name the domains as people write them.
	admin.kimOK(t, "admin uebergang liste AsylbLG SGB II", "**AsylbLG → SGB II** (8 Schritte)", "Vorschlag (ungeprüft)")
	admin.kimOK(t, `admin übergang ändern AsylbLG SGB II 1 "Bürgergeld beim Jobcenter Nord beantragen" tage=2`,
		"Schritt 1 der Vorlage AsylbLG → SGB II geändert", "Jobcenter Nord", "2 Tage")
	admin.kimOK(t, "admin uebergang entfernen AsylbLG SGB II 3", "Entfernt würde Schritt 3", "Noch ist nichts geändert")
	admin.kimOK(t, "admin uebergang liste AsylbLG SGB II", "(8 Schritte)")
	for i := 0; i < 6; i++ {
		admin.kimOK(t, "admin uebergang entfernen AsylbLG SGB II 3 bestätigen", "aus der Vorlage AsylbLG → SGB II entfernt")
	}
	admin.kimOK(t, `admin uebergang neu AsylbLG SGB II "Bankkonto für die Leistungen klären" tage=3`,
		"Schritt 3 in die Vorlage AsylbLG → SGB II aufgenommen")
	admin.kimOK(t, "admin uebergang liste AsylbLG SGB II", "(3 Schritte)", "Bürgergeld beim Jobcenter Nord beantragen",
		"AsylbLG-Leistungen beim Sozialamt beenden", "Bankkonto für die Leistungen klären")

	// Five cases change AsylbLG → SGB II, 8 to 16 days ago (within this year, so that the
	// report of this year holds them); each change brings the three edited steps.
	names := []string{"Amira", "Bilal", "Chiara", "Dawit", "Elif"}
	var refs []string
	var since []kim.Date
	for i, name := range names {
		d := today.AddDays(-8 - 2*i)
		if d.Y != today.Y {
			d = kim.Date{Y: today.Y, M: 1, D: 1}
		}
		ref := caseRefRE.FindString(coach.kimOK(t, fmt.Sprintf(`neu %s gruppe=geflüchtete rechtskreis=AsylbLG einwilligung=ja datum=%s`, name, d.German())))
		text := coach.kimOK(t, "rechtskreis "+ref+" SGB II seit="+d.German(), "AsylbLG → SGB II", "3 Schritte",
			"Bürgergeld beim Jobcenter Nord beantragen", kim.Workday(d.AddDays(2)).German(),
			"Bankkonto für die Leistungen klären", kim.Workday(d.AddDays(3)).German())
		if strings.Contains(text, "Gesetzliche Krankenversicherung") {
			t.Errorf("a step removed from the template was created:\n%s", text)
		}
		refs, since = append(refs, ref), append(since, d)
	}

	// The agenda in the network's channel: per step and partner the number of cases in which
	// it is overdue today, and nothing of a case.
	day := meetingDay(2)
	coord.kimOK(t, fmt.Sprintf("treffen neu %s 14:00 Netzwerktreffen kanal=~%s", day.German(), netz.Name), "**M-1**")
	coord.kimOK(t, "tagesordnung posten M-1", "~"+netz.Name)
	posts := coord.botPosts(t, netz.Id)
	if len(posts) != 1 {
		t.Fatalf("%d bot posts in ~%s, want 1:\n%s", len(posts), netz.Name, postsText(posts))
	}
	post := posts[0].Message
	for _, step := range []struct {
		text, partner string
		days          int
	}{
		{"Bürgergeld beim Jobcenter Nord beantragen", "Jobcenter", 2},
		{"AsylbLG-Leistungen beim Sozialamt beenden", "Sozialamt", 7},
		{"Bankkonto für die Leistungen klären", "–", 3},
	} {
		n := 0
		for _, d := range since {
			if kim.Workday(d.AddDays(step.days)).Before(today) {
				n++
			}
		}
		line := ""
		for _, l := range strings.Split(post, "\n") {
			if strings.HasPrefix(l, "| AsylbLG → SGB II | "+step.text) {
				line = l
			}
		}
		// A step overdue in fewer than five cases is not named.
		if want := fmt.Sprintf("| %s | %d |", step.partner, n); n >= 5 && !strings.HasSuffix(line, want) || n < 5 && line != "" {
			t.Errorf("stall row of %q: %q, want it to end in %q (%d cases; none under 5):\n%s", step.text, line, want, n, post)
		}
	}
	for _, want := range []string{"**Rechtskreiswechsel: wo Übergänge stocken**", "Stand " + today.German(), "| Wechsel | Schritt | Partner | Fälle |"} {
		if !strings.Contains(post, want) {
			t.Errorf("agenda post lacks %q:\n%s", want, post)
		}
	}
	noCaseData(t, post, refs, names)
	t.Logf("agenda post:\n%s", devstack.Tail(post, 20))

	// Done on every step of the five cases through the digest of a later working day.
	env.remindNow(t, remAt(kim.Workday(today.AddDays(5)), 8, 0))
	p := coach.remExpect(t, 1)[0]
	for _, ref := range refs {
		for n := 1; n <= 3; n++ {
			p = coach.press(t, p, remItem(t, p, ref, fmt.Sprintf("Übergangsschritt %d:", n), "done").Id)
		}
	}
	db := env.kimbotDB(t)
	var done int
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM transition_steps s JOIN cases c ON c.id = s.case_id
		WHERE c.team_id = $1 AND c.ref = ANY($2) AND s.status = 'done' AND s.closed_on = $3::date`,
		env.Team.Id, refs, today.String()).Scan(&done); err != nil {
		t.Fatal(err)
	}
	if done != 15 {
		t.Fatalf("%d steps done today, want 15", done)
	}

	// A change back while steps are open asks first and changes nothing.
	six := caseRefRE.FindString(coach.kimOK(t, `neu Farid gruppe=geflüchtete rechtskreis=AsylbLG einwilligung=ja`))
	coach.kimOK(t, "rechtskreis "+six+" SGB II", "3 Schritte")
	state := func() (domain string, open, dropped, changes int) {
		t.Helper()
		if err := db.QueryRow(ctxT(t), `SELECT c.legal_domain,
				(SELECT count(*) FROM transition_steps s WHERE s.case_id = c.id AND s.status = 'open'),
				(SELECT count(*) FROM transition_steps s WHERE s.case_id = c.id AND s.status = 'dropped' AND s.closed_on = $3::date),
				(SELECT count(*) FROM domain_changes d WHERE d.case_id = c.id)
			FROM cases c WHERE c.team_id = $1 AND c.ref = $2`, env.Team.Id, six, today.String()).Scan(&domain, &open, &dropped, &changes); err != nil {
			t.Fatal(err)
		}
		return
	}
	coach.kimOK(t, "rechtskreis "+six+" AsylbLG", "noch 3 Schritte des letzten Rechtskreiswechsels offen",
		"Gelten sie nach dem Wechsel SGB II → AsylbLG noch?", "Noch ist nichts geändert", "`/kim rechtskreis "+six+" AsylbLG bestätigen`")
	if d, open, dropped, changes := state(); d != "SGB2" || open != 3 || dropped != 0 || changes != 1 {
		t.Fatalf("the unconfirmed change back changed the case: domain %s, %d open, %d dropped, %d changes", d, open, dropped, changes)
	}
	coach.kimOK(t, "zeige "+six, "Rechtskreiswechsel AsylbLG → SGB II seit "+today.German()+": 0 erledigt · 3 offen")
	coach.kimOK(t, "rechtskreis "+six+" AsylbLG bestätigen", "SGB II → AsylbLG", "Die offenen Schritte 1, 2, 3 des früheren Wechsels sind als „nicht mehr nötig“ geschlossen")
	if d, open, dropped, changes := state(); d != "AsylbLG" || open != 0 || dropped != 3 || changes != 2 {
		t.Errorf("the confirmed change back: domain %s, %d open, %d dropped today (want 3), %d changes", d, open, dropped, changes)
	}
	coach.kimOK(t, "zeige "+six, "3 nicht mehr nötig")

	// The report of the year counts six changes AsylbLG → SGB II, with the median days until
	// all steps were done over the five complete ones, and no overdue step. The overview's 7
	// changes minus those 6 would reveal the one SGB II → AsylbLG ("<5 Fälle"), so the six are
	// withheld ("•"); their median is shown (it tells nothing about the one).
	days := make([]int, len(since))
	for i, d := range since {
		days[i] = d.DaysUntil(today)
	}
	slices.Sort(days)
	rep := coord.kimOK(t, fmt.Sprintf("bericht %d", today.Y), "Tage bis alle Schritte erledigt (Median)")
	for _, want := range []string{fmt.Sprintf("| AsylbLG → SGB II | • | %d,0 | 0 |", days[2]), "| Rechtskreiswechsel | 7 |", "| SGB II → AsylbLG | <5 Fälle |"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
	t.Logf("report:\n%s", devstack.Tail(rep, 30))
}
