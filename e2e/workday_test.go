package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
)

// TestRecordKeepsEverything (issue 9, point 3): through Mattermost, a referral's outcomes are
// all kept — on the card with day and note, and in the export; the card shows the referral's
// reason, the latest score of every life field with its day (a partial re-assessment hides
// none), the newest contacts and the way to all of them, which `/kim kontakte` pages through;
// the digest says what each item is (pseudonym, goal text, partner) and goes to the coach only.
func TestRecordKeepsEverything(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	coach := env.newUser(t, "coach", "de")
	other := env.newUser(t, "other", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, other, "coach", "org=DRK")
	today, day := remToday(), remDay()
	ref := coach.remOpen(t, "Frau Ö.")

	coach.kimOK(t, "einwilligung "+ref+" erteilen jobcenter", ref)
	coach.kimOK(t, "verweis "+ref+" jobcenter \"Antrag auf Bürgergeld\" followup=30d", "Verweis 1")
	coach.kimOK(t, "ergebnis "+ref+" 1 angenommen \"Termin am 02.12.\"", "angenommen")
	coach.kimOK(t, "ergebnis "+ref+" 1 nicht-erschienen", "nicht erschienen")
	coach.kimOK(t, "ergebnis "+ref+" 1 erledigt \"Bescheid liegt vor\"", "abgeschlossen")
	coach.kimOK(t, "einschaetzung "+ref+" language=2 work=1 housing=3", "Einschätzung von **"+ref+"**")
	coach.kimOK(t, "einschaetzung "+ref+" work=2", "Re-Assessment 2")
	for i := 1; i <= 12; i++ {
		coach.kimOK(t, fmt.Sprintf("kontakt %s telefon minutes=%d Anruf %d", ref, i, i), fmt.Sprintf("Kontakt %d zu **%s** gespeichert", i, ref))
	}
	coach.kimOK(t, "ziel neu "+ref+" language \"B1-Kurs abschließen\" due="+day.German(), "Ziel 1")

	d := today.German()
	card := coach.kimOK(t, "zeige "+ref,
		"| 1 | Jobcenter | "+d+" | Antrag auf Bürgergeld | abgeschlossen | – |",
		"Verlauf Verweis 1: "+d+" angenommen („Termin am 02.12.“) → "+d+" nicht erschienen → "+d+" abgeschlossen („Bescheid liegt vor“)",
		"zuletzt Re-Assessment 2 vom "+d, "| Sprache | 2 | "+d+" | – |", "| Arbeit | 2 | "+d+" | +1 ↑ |", "| Wohnen | 3 | "+d+" | – |",
		"**Letzte Kontakte** (3 von 12; alle: `/kim kontakte "+ref+"`)", "| 12 | "+d+" | Telefon | 12 | Anruf 12 |")
	if strings.Contains(card, "Anruf 9 ") {
		t.Errorf("the card shows more than the newest contacts:\n%s", card)
	}
	coach.kimOK(t, "kontakte "+ref, "1–10 von 12 (Seite 1 von 2)", "| 3 | "+d+" | Telefon | 3 | Anruf 3 |", "seite=2")
	page2 := coach.kimOK(t, "kontakte "+ref+" seite=2", "11–12 von 12 (Seite 2 von 2)", "| 2 | "+d+" | Telefon | 2 | Anruf 2 |",
		"| 1 | "+d+" | Telefon | 1 | Anruf 1 |")
	if strings.Contains(page2, "Anruf 3 ") {
		t.Errorf("page 2 repeats page 1:\n%s", page2)
	}
	other.kimOK(t, "kontakte "+ref, "Keinen Fall "+ref)

	// The export holds the whole history.
	coach.kimOK(t, "auskunft "+ref, "Download-Link")
	_, link := coach.exportLink(t, ref, 1)
	_, data := fetch(t, link)
	var x kim.Export
	if err := json.Unmarshal(data, &x); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if len(x.Referrals) != 1 || len(x.Referrals[0].Outcomes) != 3 || x.Referrals[0].Outcomes[0].Note != "Termin am 02.12." ||
		x.Referrals[0].Outcomes[1].Outcome != "no-show" || x.Referrals[0].Reason != "Antrag auf Bürgergeld" || len(x.Contacts) != 12 ||
		x.Contacts[11].N != 12 {
		t.Fatalf("export lacks the history: %+v", x.Referrals)
	}

	// The digest names the case's pseudonym and the goal's text; only the coach gets it.
	env.remindNow(t, remAt(day, 8, 0))
	dm := coach.remExpect(t, 2)[1] // the export's DM came first
	text := devstack.PostText(dm)
	for _, want := range []string{ref + " · Frau Ö.", "**Ziel 1 (Sprache): B1-Kurs abschließen** – heute fällig"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if n := other.remCount(t); n != 0 {
		t.Errorf("another coach got %d DMs", n)
	}
}

// TestBackdatedIntake (issue 9, point 5): a coach opens a case with its real intake date, by
// command and by the dialog; contacts and assessments from that day on are accepted, earlier
// ones refused; the first dates count from the intake, so the overdue first assessment is in
// the next digest. An intake more than 90 days back is refused and stores nothing.
func TestBackdatedIntake(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	coach := env.newUser(t, "coach", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	db := env.kimbotDB(t)
	today := remToday()
	intake := today.AddDays(-30)
	tooEarly := today.AddDays(-91)

	coach.kimOK(t, "neu AB group=refugee consent=ja datum="+tooEarly.German(), "mehr als 90 Tage zurück", today.AddDays(-90).German())
	coach.kimOK(t, "neu AB group=refugee consent=ja date="+today.AddDays(1).German(), "Zukunft")
	var n int
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM cases WHERE team_id = $1`, env.Team.Id).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused opens stored %d cases (%v)", n, err)
	}
	text := coach.kimOK(t, "neu AB group=refugee consent=ja datum="+intake.German(), "Aufnahme am "+intake.German(),
		"Erste Einschätzung fällig am "+kim.Workday(intake.AddDays(14)).German(), "Monitoring am "+kim.Workday(intake.AddDays(28)).German())
	ref := caseRefRE.FindString(text)
	coach.kimOK(t, "zeige "+ref, "Phase: Einschätzung", "Verarbeitung (schriftlich, "+intake.German()+")")
	coach.kimOK(t, "kontakt "+ref+" telefon date="+intake.AddDays(-1).German()+" davor", "vor der Eröffnung")
	coach.kimOK(t, "kontakt "+ref+" persoenlich date="+intake.German()+" Erstgespräch", "Monitoring: **"+kim.Workday(intake.AddDays(28)).German()+"** ⏰")
	var opened, granted time.Time
	if err := db.QueryRow(ctxT(t), `SELECT c.opened_on, k.granted_on FROM cases c JOIN consents k ON k.case_id = c.id
		WHERE c.team_id = $1 AND c.ref = $2`, env.Team.Id, ref).Scan(&opened, &granted); err != nil {
		t.Fatal(err)
	}
	if kim.DateOf(opened) != intake || kim.DateOf(granted) != intake {
		t.Fatalf("stored intake %s, consent %s; want %s", opened, granted, intake)
	}

	// The dialog takes the intake date too, and names it in its errors.
	d := coach.kimDialog(t, "neu")
	resp := coach.submitDialog(t, d, map[string]any{"pseudonym": "CD", "group": "eu", "consent": true, "date": tooEarly.German()})
	if !strings.Contains(resp.Errors["date"], "90 Tage") {
		t.Fatalf("dialog with too early an intake: %+v", resp)
	}
	resp = coach.submitDialog(t, d, map[string]any{"pseudonym": "CD", "group": "eu", "consent": true, "date": today.AddDays(-20).German()})
	if resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("dialog: %+v", resp)
	}
	ref2 := caseRefRE.FindString(devstack.PostText(coach.waitEphemeral(t, "Aufnahme am "+today.AddDays(-20).German())))

	// Both first assessments are overdue in the next digest, counted from the intakes.
	day := kim.Workday(today)
	env.remindNow(t, remAt(day, 8, 0))
	dm := devstack.PostText(coach.remExpect(t, 1)[0])
	for _, want := range []string{ref + " · AB", "Ersteinschätzung** – fällig seit " + kim.Workday(kim.Workday(intake.AddDays(14))).German(),
		ref2 + " · CD", "Ersteinschätzung** – fällig seit " + kim.Workday(today.AddDays(-6)).German()} {
		if !strings.Contains(dm, want) {
			t.Errorf("digest lacks %q:\n%s", want, dm)
		}
	}
}

// TestIrreversibleStepsAsk (issue 9, point 2): revoking consent to processing, erasing and
// handing a case over say what will happen and change nothing until confirmed (with the line
// to confirm, in the coach's language); confirmed, they happen. Outsiders get the same
// refusals as before, also for the preview.
func TestIrreversibleStepsAsk(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	ben := env.newUser(t, "ben", "en")
	outsider := env.newUser(t, "outsider", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, ben, "coach", "org=DRK")
	env.grant(t, outsider, "coach", "org=DRK")
	db := env.kimbotDB(t)
	ref := coach.remOpen(t, "Herr Ü.")
	coach.kimOK(t, "kontakt "+ref+" telefon \"Termin vereinbart\"", ref)
	state := func() string {
		t.Helper()
		var owner, phase string
		var erased bool
		var consents int
		if err := db.QueryRow(ctxT(t), `SELECT u.username, c.phase, c.erased_at IS NOT NULL,
			(SELECT count(*) FROM consents k WHERE k.case_id = c.id AND k.revoked_on IS NULL)
			FROM cases c JOIN users u ON u.id = c.owner_id WHERE c.team_id = $1 AND c.ref = $2`, env.Team.Id, ref).
			Scan(&owner, &phase, &erased, &consents); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s %s erased=%v consents=%d", owner, phase, erased, consents)
	}
	before := state()

	outsider.kimOK(t, "einwilligung "+ref+" widerrufen verarbeitung", "Keinen Fall "+ref)
	outsider.kimOK(t, "uebergeben "+ref+" "+outsider.mention(), "Keinen Fall "+ref)
	coach.kimOK(t, "einwilligung "+ref+" widerrufen verarbeitung", "löscht **"+ref+"** sofort und endgültig", "Noch ist nichts geändert",
		"`/kim einwilligung "+ref+" widerrufen verarbeitung bestätigen`")
	coach.kimOK(t, "loeschen "+ref, "nicht rückgängig", "`/kim loeschen "+ref+" bestätigen`")
	coach.kimOK(t, "uebergeben "+ref+" "+ben.mention(), "geht an "+ben.mention(), "`/kim uebergeben "+ref+" "+ben.mention()+" bestätigen`")
	coach.kimOK(t, "uebergeben "+ref+" "+env.Admin.mention(), "kein Coach") // refused in the preview already
	if after := state(); after != before {
		t.Fatalf("a preview changed the case: %s, then %s", before, after)
	}
	coach.kimOK(t, "zeige "+ref, "Herr Ü.", "Termin vereinbart")

	coach.kimOK(t, "uebergeben "+ref+" "+ben.mention()+" bestaetigen", "gehört jetzt "+ben.mention())
	ben.kimOK(t, "consent "+ref+" revoke processing", "erases **"+ref+"** at once", "Nothing has changed yet",
		"`/kim consent "+ref+" revoke processing confirm`")
	if s := state(); !strings.HasPrefix(s, ben.Username()+" ") || strings.Contains(s, "erased=true") {
		t.Fatalf("after the handover and a preview: %s", s)
	}
	ben.kimOK(t, "consent "+ref+" revoke processing confirm", "personal data erased")
	if s := state(); s != ben.Username()+" closed erased=true consents=0" {
		t.Fatalf("after the confirmed revocation: %s", s)
	}
}
