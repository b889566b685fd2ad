package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// TestCorrections (issue 9, point 4): through Mattermost, a coach corrects and deletes a contact,
// deletes and corrects assessments, changes and deletes a goal and corrects (partner or topic) and
// deletes a barrier of their case. A delete first says exactly what
// would go and which date would move, and nothing changes until it is confirmed; the next monitoring
// and re-assessment dates are recomputed from what remains; each change leaves an audit row (kind,
// case, actor; the log has no content) that the admin's protocol names in German; another coach and
// unknown numbers are refused with nothing changed.
func TestCorrections(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	other := env.newUser(t, "other", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, other, "coach", "org=DRK")
	today := remToday()
	opened, c1, c2 := today.AddDays(-20), today.AddDays(-15), today.AddDays(-5)
	text := coach.kimOK(t, "neu Frau-K group=refugee consent=ja datum="+opened.German())
	ref := caseRefRE.FindString(text)
	if ref == "" {
		t.Fatalf("no reference in %q", text)
	}
	coach.kimOK(t, "kontakt "+ref+" telefon datum="+c1.German()+" erster Anruf", "Monitoring: "+kim.Workday(c1.AddDays(28)).German())
	coach.kimOK(t, "kontakt "+ref+" hausbesuch datum="+c2.German()+" Wohnung besichtigt", "Monitoring: "+kim.Workday(c2.AddDays(28)).German())
	db := env.kimbotDB(t)
	dates := func() string {
		t.Helper()
		var s string
		if err := db.QueryRow(ctxT(t), `SELECT to_char(next_monitoring, 'DD.MM.YYYY') || ' ' || to_char(next_assessment, 'DD.MM.YYYY') || ' ' ||
			(SELECT count(*) FROM contacts k WHERE k.case_id = c.id) || ' ' || (SELECT count(*) FROM assessments a WHERE a.case_id = c.id) || ' ' ||
			(SELECT count(*) FROM goals g WHERE g.case_id = c.id) FROM cases c WHERE c.ref = $1 AND c.team_id = $2`, ref, env.Team.Id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	audits := func(action string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM audit_log l JOIN cases c ON c.id = l.case_id
			WHERE l.team_id = $1 AND l.action = $2 AND l.actor_id = $3 AND l.case_ref = $4 AND c.ref = $4`,
			env.Team.Id, action, coach.UserID(), ref).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Deleting the latest contact: first exactly what would go, nothing changed.
	before := dates()
	coach.kimOK(t, "kontakt löschen "+ref+" 2", "Gelöscht würde Kontakt 2 von **"+ref+"**: Hausbesuch am "+c2.German(),
		"Wohnung besichtigt", "nächste Monitoring wäre dann am "+kim.Workday(c1.AddDays(28)).German(), "Noch ist nichts geändert",
		"/kim kontakt löschen "+ref+" 2 bestätigen")
	other.kimOK(t, "kontakt loeschen "+ref+" 2 bestaetigen", "Keinen Fall "+ref)
	coach.kimOK(t, "kontakt loeschen "+ref+" 7 bestaetigen", "keinen Kontakt 7")
	coach.kimOK(t, "kontakt aendern "+ref+" 1 "+strings.Repeat("x", 5000), "zu lang")
	if got := dates(); got != before || audits("contact.delete") != 0 || audits("contact.edit") != 0 {
		t.Fatalf("nothing confirmed, yet the case changed: %s, was %s", got, before)
	}
	coach.kimOK(t, "kontakt loeschen "+ref+" 2 bestätigen", "Kontakt 2 von **"+ref+"** gelöscht", "Monitoring: "+kim.Workday(c1.AddDays(28)).German())
	coach.kimOK(t, "kontakt ändern "+ref+" 1 datum="+c2.German()+" minuten=30 Termin im Büro",
		"Kontakt 1 von **"+ref+"** korrigiert: Telefon, "+c2.German()+", 30 Minuten", "Monitoring: "+kim.Workday(c2.AddDays(28)).German())
	coach.kimOK(t, "kontakte "+ref, "| 1 | "+c2.German()+" | Telefon | 30 | Termin im Büro |")
	coach.kimOK(t, "kontakt loeschen "+ref+" 1 bestaetigen", "gelöscht", "Monitoring: "+kim.Workday(opened.AddDays(28)).German())

	// The case's own data: pseudonym, target group and intake day; the monitoring counts from the
	// new intake (no contact is left), another coach finds nothing.
	other.kimOK(t, "fall ändern "+ref+" gruppe=eu", "Keinen Fall "+ref)
	coach.kimOK(t, "fall ändern "+ref+" datum="+today.AddDays(1).German(), "in der Zukunft")
	if audits("case.edit") != 0 {
		t.Fatal("a refused case correction was audited")
	}
	intake := opened.AddDays(-3)
	coach.kimOK(t, `fall ändern `+ref+` pseudonym="Frau K." gruppe=Unionsbürger datum=`+intake.German(),
		"Fall **"+ref+"** korrigiert: Frau K. · Zielgruppe: Unionsbürger", "Aufnahme am "+intake.German(), "Monitoring: "+kim.Workday(intake.AddDays(28)).German())
	coach.kimOK(t, `zeige "Frau K."`, "#### "+ref+" · Frau K.", "Verarbeitung (schriftlich, "+intake.German()+")")
	if audits("case.edit") != 1 {
		t.Errorf("case.edit audit rows: %d, want 1", audits("case.edit"))
	}

	// Assessments: the next re-assessment and the card's scores from what remains.
	a1, a2 := today.AddDays(-10), today.AddDays(-2)
	coach.kimOK(t, "einschaetzung "+ref+" language=2 work=1 date="+a1.German(), kim.Workday(a1.AddMonths(6)).German())
	coach.kimOK(t, "einschaetzung "+ref+" language=4 date="+a2.German(), kim.Workday(a2.AddMonths(6)).German())
	before = dates()
	coach.kimOK(t, "einschätzung löschen "+ref+" 2", "Gelöscht würde Einschätzung 2 von **"+ref+"** vom "+a2.German(),
		"am "+kim.Workday(a1.AddMonths(6)).German()+" fällig", "Noch ist nichts geändert")
	other.kimOK(t, "einschaetzung loeschen "+ref+" 2 bestaetigen", "Keinen Fall "+ref)
	if got := dates(); got != before {
		t.Fatalf("nothing confirmed, yet the case changed: %s, was %s", got, before)
	}
	coach.kimOK(t, "einschaetzung loeschen "+ref+" 2 bestaetigen", "Einschätzung 2 von **"+ref+"** vom "+a2.German()+" gelöscht",
		"Einschätzung: "+kim.Workday(a1.AddMonths(6)).German())
	coach.kimOK(t, "zeige "+ref, "| Sprache | 2 | "+a1.German())

	// Correcting an assessment: its scores and day within the rules of recording; the next
	// re-assessment, the card's latest score per field and the change per field follow. The new
	// re-assessment gets number 3: the deleted one's number is not given again.
	coach.kimOK(t, "einschaetzung "+ref+" sprache=3 date="+a2.German(), "Re-Assessment 3 von **"+ref+"**", kim.Workday(a2.AddMonths(6)).German())
	before = dates()
	other.kimOK(t, "einschaetzung aendern "+ref+" 3 sprache=5", "Keinen Fall "+ref)
	coach.kimOK(t, "einschätzung ändern "+ref+" 3 datum="+a1.AddDays(-1).German(), "vor der letzten Einschätzung am "+a1.German())
	coach.kimOK(t, "einschätzung ändern "+ref+" 1 datum="+a2.AddDays(1).German(), "liegt nach Einschätzung 3 vom "+a2.German())
	coach.kimOK(t, "einschätzung ändern "+ref+" 3", "Was soll sich an Einschätzung 3")
	if got := dates(); got != before || audits("assessment.edit") != 0 {
		t.Fatalf("refused corrections changed the case: %s, was %s", got, before)
	}
	a3 := today.AddDays(-4)
	coach.kimOK(t, "einschätzung ändern "+ref+" 3 sprache=4 wohnen=2 datum="+a3.German(),
		"Einschätzung 3 von **"+ref+"** korrigiert ("+a3.German()+"); Veränderung seit Einschätzung 1 vom "+a1.German(),
		"| Sprache | 2 | 4 | +2 ↑ |", "| Wohnen | – | 2 | neu |", "Nächstes Re-Assessment: "+kim.Workday(a3.AddMonths(6)).German())
	coach.kimOK(t, "zeige "+ref, "zuletzt Re-Assessment 3 vom "+a3.German(), "| Sprache | 4 | "+a3.German()+" | +2 ↑ |",
		"| Arbeit | 1 | "+a1.German()+" | – |", "Einschätzung "+kim.Workday(a3.AddMonths(6)).German())

	// Goals.
	coach.kimOK(t, "ziel neu "+ref+" arbeit Praktikum finden", "Ziel 1")
	coach.kimOK(t, "ziel ändern "+ref+" 1 Praktikum im Handwerk finden", "Ziel 1 von **"+ref+"** (Arbeit) geändert",
		"Vorher stand da: „Praktikum finden“ – falls der falsche Eintrag: `/kim ziel ändern "+ref+" 1 \"Praktikum finden\"`")
	other.kimOK(t, "ziel aendern "+ref+" 1 fremd", "Keinen Fall "+ref)
	before = dates()
	coach.kimOK(t, "ziel loeschen "+ref+" 1", "Gelöscht würde Ziel 1 von **"+ref+"** (Arbeit): Praktikum im Handwerk finden", "Noch ist nichts geändert")
	if got := dates(); got != before {
		t.Fatalf("nothing confirmed, yet the case changed: %s, was %s", got, before)
	}
	coach.kimOK(t, "ziel löschen "+ref+" 1 bestätigen", "Ziel 1 von **"+ref+"** gelöscht")
	if got := dates(); !strings.HasSuffix(got, " 2 0") {
		t.Errorf("after the deletes: %s", got)
	}

	// Barriers: a correction changes the partner or topic as well; a delete asks first, with
	// nothing changed (not even the audit log), and deletes once confirmed.
	barriers := func() string {
		t.Helper()
		var s string
		if err := db.QueryRow(ctxT(t), `SELECT coalesce(string_agg(b.n || ':' || coalesce(p.key, '') || coalesce(tp.key, '') || ':' || b.draft, ',' ORDER BY b.n), '')
			FROM barriers b JOIN cases c ON c.id = b.case_id LEFT JOIN partners p ON p.id = b.partner_id
			LEFT JOIN barrier_topics tp ON tp.id = b.topic_id WHERE c.ref = $1 AND c.team_id = $2`, ref, env.Team.Id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	coach.kimOK(t, "hindernis "+ref+" jobcenter Termine erst nach acht Wochen", "Strukturhinweis 1 von "+ref+", wie das Netzwerk ihn sieht", "unter Jobcenter")
	coach.kimOK(t, "hindernis bestätigen "+ref+" 1", "ist gespeichert")
	coach.kimOK(t, "hindernis ändern "+ref+" 1 bezug=Ausländerbehörde", "unter Ausländerbehörde", "„Termine erst nach acht Wochen“",
		"Noch nicht für das Netzwerk gespeichert")
	coach.kimOK(t, "hindernis ändern "+ref+" 1 bezug=Frau-K Wartezeit", "weder ein Partner noch ein Thema")
	coach.kimOK(t, "hindernis bestaetigen "+ref+" 1", "(Ausländerbehörde) ist gespeichert")
	if got := barriers(); got != "1:auslaenderbehoerde:false" {
		t.Fatalf("barrier after the correction: %s", got)
	}
	coach.kimOK(t, "hindernis löschen "+ref+" 1", "Gelöscht würde Strukturhinweis 1 von **"+ref+"** (unter Ausländerbehörde): „Termine erst nach acht Wochen“",
		"Noch ist nichts geändert", "/kim hindernis löschen "+ref+" 1 bestätigen")
	other.kimOK(t, "hindernis loeschen "+ref+" 1 bestaetigen", "Keinen Fall "+ref)
	if got := barriers(); got != "1:auslaenderbehoerde:false" || audits("barrier.delete") != 0 {
		t.Fatalf("nothing confirmed, yet the barrier changed: %s, %d audit rows", got, audits("barrier.delete"))
	}
	coach.kimOK(t, "hindernis loeschen "+ref+" 1 bestätigen", "Strukturhinweis 1 von "+ref+" ist gelöscht")
	if got := barriers(); got != "" {
		t.Errorf("after the confirmed delete: %s", got)
	}
	coach.kimOK(t, "hindernis liste "+ref, "keine Strukturhinweise")

	// Consents and referrals: a mistaken consent deleted (not while a referral relies on it), a
	// referral's partner corrected and a mistaken one deleted.
	coach.kimOK(t, "einwilligung "+ref+" erteilen jobcenter schriftlich", "Jobcenter (schriftlich")
	coach.kimOK(t, "einwilligung "+ref+" erteilen jugendamt schriftlich", "Jugendamt (schriftlich")
	coach.kimOK(t, "verweis "+ref+" jugendamt Antrag Bürgergeld", "Verweis 1")
	coach.kimOK(t, "einwilligung löschen "+ref+" jugendamt bestätigen", "stützt sich Verweis 1")
	coach.kimOK(t, "verweis ändern "+ref+" 1 partner=jobcenter", "Verweis 1 von **"+ref+"** korrigiert: an Jobcenter")
	coach.kimOK(t, "einwilligung löschen "+ref+" jugendamt", "Gelöscht würde die Einwilligung für Jugendamt", "Noch ist nichts geändert")
	coach.kimOK(t, "einwilligung löschen "+ref+" jugendamt bestätigen", "Einwilligung für Jugendamt in **"+ref+"** gelöscht.")
	coach.kimOK(t, "verweis "+ref+" jobcenter Doppelt erfasst", "Verweis 2")
	coach.kimOK(t, "verweis löschen "+ref+" 2 bestätigen", "Verweis 2 von **"+ref+"** an Jobcenter gelöscht.")
	if card := coach.kimOK(t, "zeige "+ref, "| 1 | Jobcenter |"); strings.Contains(card, "Jugendamt") || strings.Contains(card, "Doppelt erfasst") {
		t.Errorf("the card after the deletes:\n%s", card)
	}

	for action, n := range map[string]int{"contact.delete": 2, "contact.edit": 1, "assessment.delete": 1, "assessment.edit": 1, "goal.edit": 1,
		"goal.delete": 1, "barrier.edit": 1, "barrier.delete": 1, "consent.delete": 1, "referral.edit": 1, "referral.delete": 1} {
		if got := audits(action); got != n {
			t.Errorf("audit rows %s by the coach on %s: %d, want %d", action, ref, got, n)
		}
	}
	env.Admin.kimOK(t, "admin protokoll "+ref, "Kontakt gelöscht", "Kontakt korrigiert", "Einschätzung gelöscht", "Einschätzung korrigiert",
		"Ziel geändert", "Ziel gelöscht", "Strukturhinweis geändert", "Strukturhinweis gelöscht", "irrtümlich erfasste Einwilligung gelöscht",
		"Verweis korrigiert", "Verweis gelöscht")
}

// TestMeetingCorrections (issue 9, point 4): through Mattermost, a coordinator changes and deletes
// agenda items and action items; a delete asks first with nothing changed; the items after a deleted
// agenda item move up; each change leaves an audit row of the coordinator; a coach is refused.
func TestMeetingCorrections(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	coord := env.newUser(t, "koordination", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, coord, "coordinator")
	netz := env.newChannel(t, "netzwerk", coord, coach)
	day := remToday().AddDays(10)
	ans := coord.kimOK(t, "treffen neu "+day.German()+" 14:00 Netzwerktreffen channel=~"+netz.Name, "**M-")
	m := regexp.MustCompile(`M-\d+`).FindString(ans)
	coord.kimOK(t, "tagesordnung neu "+m+" Wartezeiten Jobcenter", "Punkt 1")
	coord.kimOK(t, "tagesordnung neu "+m+" Wohnraum", "Punkt 2")
	coord.kimOK(t, "tagesordnung ändern "+m+" 2 Wohnraum für Großfamilien", "Punkt 2 der Tagesordnung von "+m+" geändert")
	coach.kimOK(t, "tagesordnung loeschen "+m+" 1 bestaetigen", "nur für die Koordination")
	coord.kimOK(t, "tagesordnung löschen "+m+" 1", "Gelöscht würde Punkt 1 der Tagesordnung von "+m+": Wartezeiten Jobcenter", "Noch ist nichts geändert")
	coord.kimOK(t, "treffen zeige "+m, "1. Wartezeiten Jobcenter\n2. Wohnraum für Großfamilien")
	coord.kimOK(t, "tagesordnung loeschen "+m+" 1 bestaetigen", "Punkt 1 der Tagesordnung von "+m+" gelöscht")
	coord.kimOK(t, "treffen zeige "+m, "1. Wohnraum für Großfamilien")

	ans = coord.kimOK(t, "aufgabe neu "+m+" "+coach.mention()+" Termin vereinbaren", "**A-")
	x := regexp.MustCompile(`A-\d+`).FindString(ans)
	due := day.AddDays(30).German()
	coord.kimOK(t, "aufgabe ändern "+x+" faellig="+due, "Aufgabe "+x+" für "+coach.mention()+" geändert: „Termin vereinbaren“, Frist "+due)
	coach.kimOK(t, "aufgabe loeschen "+x+" bestaetigen", "nur für die Koordination")
	coord.kimOK(t, "aufgabe löschen "+x, "Gelöscht würde Aufgabe "+x, "Noch ist nichts geändert")
	coord.kimOK(t, "treffen zeige "+m, x, "Termin vereinbaren", due)
	coord.kimOK(t, "aufgabe loeschen "+x+" bestätigen", "Aufgabe "+x+" („Termin vereinbaren“, aus "+m+") gelöscht")
	if text := coord.kimOK(t, "treffen zeige "+m); strings.Contains(text, "Termin vereinbaren") {
		t.Errorf("the deleted action is still shown:\n%s", text)
	}
	db := env.kimbotDB(t)
	for action, n := range map[string]int{"agenda.edit": 1, "agenda.delete": 1, "action.edit": 1, "action.delete": 1} {
		var got int
		if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM audit_log WHERE team_id = $1 AND action = $2 AND actor_id = $3 AND case_id IS NULL`,
			env.Team.Id, action, coord.UserID()).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Errorf("audit rows %s: %d, want %d", action, got, n)
		}
	}
}
