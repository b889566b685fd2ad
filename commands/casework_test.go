package commands

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
)

// snapshot is a digest of every table a case command may touch, the audit
// log included: equal digests mean nothing changed.
func (w *world) snapshot() string {
	w.t.Helper()
	var parts []string
	for _, table := range []string{"cases", "consents", "contacts", "assessments", "assessment_scores", "goals", "referrals",
		"domain_changes", "transition_steps", "transition_templates", "barriers", "absences", "partners", "teams", "memberships", "audit_log"} {
		var s string
		if err := w.st.Pool().QueryRow(context.Background(),
			`SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM `+table+` t`).Scan(&s); err != nil {
			w.t.Fatal(err)
		}
		parts = append(parts, table+":"+s)
	}
	return strings.Join(parts, " ")
}

// at sets the service clock to a day (10:00 in Berlin).
func (w *world) at(y, m, d int) {
	now := time.Date(y, time.Month(m), d, 10, 0, 0, 0, kim.Berlin)
	w.svc.Clock = func() time.Time { return now }
}

// want runs a line and fails unless the answer has outcome and every fragment.
func (w *world) want(team, user, line, outcome string, fragments ...string) Reply {
	w.t.Helper()
	rep := w.run(team, user, line)
	if rep.Outcome != outcome {
		w.t.Errorf("%s: %q: outcome %s, want %s; answer:\n%s", user, line, rep.Outcome, outcome, rep.Text)
		return rep
	}
	for _, f := range fragments {
		if !strings.Contains(rep.Text, f) {
			w.t.Errorf("%s: %q: answer lacks %q:\n%s", user, line, f, rep.Text)
		}
	}
	return rep
}

func (w *world) ok(user, line string, fragments ...string) Reply {
	w.t.Helper()
	return w.want("teamA", user, line, "ok", fragments...)
}

// One case through the whole cycle, with the phase and next dates after each step.
func TestCaseCycle(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee domain=AsylbLG consent=yes", "K-2026-0001", "07.12.2026", "21.12.2026")
	w.ok("anna", "show K-2026-0001", "Erstgespräch")

	w.ok("anna", "einschaetzung K-2026-0001 language=2 work=1 housing=3 note=\"Kurs läuft\"",
		"Einschätzung von **K-2026-0001** gespeichert (23.11.2026)", "| Sprache | 2 |", "| Arbeit | 1 |",
		"Nächstes Re-Assessment: 24.05.2027", "Phase: Planung") // six months on is Sunday 23.05.2027
	w.ok("anna", "goal add K-2026-0001 language \"B1-Kurs abschließen\" due=30.06.2027",
		"Ziel 1 von **K-2026-0001** (Sprache): B1-Kurs abschließen – bis 30.06.2027", "Phase: Vermittlung")
	w.ok("anna", "ziel neu K-2026-0001 work Praktikum finden", "Ziel 2", "Phase: Vermittlung")

	w.at(2026, 11, 25)
	w.ok("anna", "kontakt K-2026-0001 telefon minutes=20 Termin beim Jobcenter vorbereitet",
		"Kontakt 1 zu **K-2026-0001** gespeichert: Telefon, 25.11.2026, 20 Minuten.", "Monitoring: 23.12.2026", "Phase: Monitoring")
	// A contact logged for an earlier day does not move the date back.
	w.ok("anna", "contact K-2026-0001 in-person date=24.11.2026 \"Erstgespräch nachgetragen\"", "24.11.2026", "Monitoring: 23.12.2026")

	w.ok("anna", "rechtskreis K-2026-0001 SGB2", "AsylbLG → SGB II seit 25.11.2026")
	if n := w.count(`SELECT count(*) FROM domain_changes WHERE from_domain = 'AsylbLG' AND to_domain = 'SGB2'`); n != 1 {
		t.Fatalf("domain_changes rows: %d", n)
	}

	// Referral: refused without consent, allowed after it.
	before := w.snapshot()
	w.want("teamA", "anna", "verweis K-2026-0001 jobcenter Antrag auf Bürgergeld", kim.EFORBIDDEN,
		"Verweis abgelehnt", "keine Einwilligung", "/kim einwilligung K-2026-0001 erteilen jobcenter form=schriftlich")
	if w.snapshot() != before {
		t.Fatal("a refused referral changed the database")
	}
	w.ok("anna", "einwilligung K-2026-0001 erteilen jobcenter form=muendlich", "Jobcenter (mündlich, 25.11.2026)")
	w.ok("anna", "refer K-2026-0001 jobcenter \"Antrag auf Bürgergeld\"",
		"Verweis 1 von **K-2026-0001** an Jobcenter gespeichert. Nachfassen am 09.12.2026", "Phase: Vermittlung")
	w.ok("anna", "refer K-2026-0001 jobcenter Zweiter Termin followup=3w", "Verweis 2", "16.12.2026")
	w.ok("anna", "ergebnis K-2026-0001 1 angenommen \"Termin am 02.12.\"", "Verweis 1 von **K-2026-0001** an Jobcenter: angenommen", "Phase: Vermittlung")
	w.ok("anna", "outcome K-2026-0001 2 no-show", "nicht erschienen", "Phase: Monitoring")
	w.ok("anna", "outcome K-2026-0001 2 pending", "offen, neues Nachfassen am 09.12.2026", "Phase: Vermittlung")
	w.ok("anna", "outcome K-2026-0001 2 completed", "abgeschlossen", "Phase: Monitoring")
	w.ok("anna", "ziel erreicht K-2026-0001 2", "Ziel 2 von **K-2026-0001** erreicht: Praktikum finden")
	w.ok("anna", "goal drop K-2026-0001 1", "verworfen", "Phase: Planung")
	w.ok("anna", "goal add K-2026-0001 housing Wohnung suchen", "Ziel 3", "Phase: Monitoring")
	w.ok("anna", "hindernis K-2026-0001 jobcenter \"Termine erst nach 8 Wochen\"", "Strukturhinweis 1 von K-2026-0001, wie das Netzwerk ihn sieht",
		"unter Jobcenter", "„Termine erst nach 8 Wochen“", "/kim hindernis bestätigen K-2026-0001 1")
	w.ok("anna", "hindernis bestätigen K-2026-0001 1", "Strukturhinweis 1 von K-2026-0001 (Jobcenter) ist gespeichert", "ohne Bezug")
	w.ok("anna", "barrier K-2026-0001 Wohnen Keine Wohnungen unter der Mietobergrenze", "unter Thema: Wohnen")
	w.ok("anna", "barrier confirm K-2026-0001 2", "(Thema: Wohnen) ist gespeichert")
	if n := w.count(`SELECT count(*) FROM barriers WHERE case_id IS NOT NULL AND text_enc IS NOT NULL AND topic IS NULL AND num_nonnulls(partner_id, topic_id) = 1 AND NOT draft`); n != 2 {
		t.Fatalf("barriers: %d", n)
	}
	w.ok("anna", "termin K-2026-0001 monitoring 2026-12-01", "Nächstes Monitoring von **K-2026-0001** am 01.12.2026", "Monitoring: 01.12.2026")

	// The card tells the truth.
	w.ok("anna", "show K-2026-0001", "Rechtskreis: SGB II", "Monitoring", "Jobcenter (mündlich, 25.11.2026)", "| Sprache | 2 | 23.11.2026 | – |",
		"B1-Kurs abschließen", "verworfen", "angenommen", "Telefon", "01.12.2026")

	// Six months later the re-assessment is due: the phase says so on read.
	w.at(2027, 6, 1)
	w.ok("anna", "cases", "Re-Assessment", "**24.05.2027** ⏰")
	w.ok("anna", "cases due", "K-2026-0001")
	w.ok("anna", "assess K-2026-0001 language=4 work=1 housing=2 health=3",
		"Re-Assessment 2 von **K-2026-0001** gespeichert (01.06.2027); Veränderung seit 23.11.2026",
		"| Sprache | 2 | 4 | +2 ↑ |", "| Arbeit | 1 | 1 | ±0 |", "| Wohnen | 3 | 2 | −1 ↓ |", "| Gesundheit | – | 3 | neu |",
		"Nächstes Re-Assessment: 01.12.2027", "Phase: Monitoring")
	w.ok("anna", "show K-2026-0001", "Re-Assessment 2", "| Sprache | 4 | 01.06.2027 | +2 ↑ |", "| Wohnen | 2 | 01.06.2027 | −1 ↓ |")

	// English answers for an English coach.
	w.ok("root", "admin role @ben coach")
	w.ok("anna", "uebergeben K-2026-0001 @ben", "geht an @ben", "Noch ist nichts geändert", "`/kim uebergeben K-2026-0001 @ben bestätigen`")
	w.ok("anna", "show K-2026-0001", "Coach: @anna")
	w.ok("anna", "uebergeben K-2026-0001 @ben bestaetigen", "gehört jetzt @ben")
	w.want("teamA", "anna", "show K-2026-0001", kim.ENOTFOUND, "Keinen Fall K-2026-0001")
	w.ok("ben", "show K-2026-0001", "Coach: @ben")
	if n := w.count(`SELECT count(*) FROM cases c JOIN memberships m ON m.user_id = c.owner_id AND m.team_id = c.team_id
		JOIN organisations o ON o.id = m.organisation_id WHERE c.ref = 'K-2026-0001' AND c.organisation_id = o.id AND o.name = 'DRK'`); n != 1 {
		t.Fatal("transfer did not move the case to the new owner's organisation")
	}
	w.ok("ben", "consent K-2026-0001 revoke jobcenter", "Consent for Jobcenter in **K-2026-0001** revoked (2027-06-01)")
	w.want("teamA", "ben", "refer K-2026-0001 jobcenter again", kim.EFORBIDDEN, "Referral refused")
	w.ok("ben", "close K-2026-0001 goals-met \"Arbeit gefunden\"", "Case **K-2026-0001** is closed (goals met, 2027-06-01)")
	w.want("teamA", "ben", "contact K-2026-0001 phone hi", kim.ECONFLICT, "is closed", "/kim reopen K-2026-0001")
	w.ok("ben", "cases closed", "K-2026-0001")
	w.ok("ben", "reopen K-2026-0001", "open again", "Phase: monitoring", "2027-06-29", "2027-12-01")
	w.ok("ben", "close K-2026-0001 moved", "moved")

	// Revoking consent to processing erases the personal data, the structure stays.
	w.ok("ben", "consent K-2026-0001 revoke processing", "erases **K-2026-0001** at once", "Nothing has changed yet",
		"`/kim consent K-2026-0001 revoke processing confirm`")
	w.ok("ben", "show K-2026-0001", "K-2026-0001 · AB")
	w.ok("ben", "consent K-2026-0001 revoke processing confirm", "personal data erased")
	var erased, pseud, notes int
	if err := w.st.Pool().QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE erased_at IS NOT NULL),
		count(*) FILTER (WHERE pseudonym_enc IS NOT NULL OR close_note_enc IS NOT NULL) FROM cases WHERE ref = 'K-2026-0001'`).Scan(&erased, &pseud); err != nil {
		t.Fatal(err)
	}
	notes = w.count(`SELECT (SELECT count(*) FROM contacts WHERE note_enc IS NOT NULL) + (SELECT count(*) FROM assessments WHERE note_enc IS NOT NULL)
		+ (SELECT count(*) FROM goals WHERE text_enc IS NOT NULL) + (SELECT count(*) FROM referrals WHERE reason_enc IS NOT NULL OR outcome_note_enc IS NOT NULL)
		+ (SELECT count(*) FROM barriers WHERE text_enc IS NOT NULL)`)
	if erased != 1 || pseud != 0 || notes != 0 {
		t.Fatalf("erasure: erased=%d sealed pseudonym/close note=%d sealed texts=%d", erased, pseud, notes)
	}
	if n := w.count(`SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM goals) + (SELECT count(*) FROM referrals) + (SELECT count(*) FROM assessment_scores)`); n != 2+3+2+7 {
		t.Fatalf("the anonymous structure must stay: %d rows", n)
	}
	if n := w.count(`SELECT count(*) FROM consents WHERE revoked_on IS NULL`); n != 0 {
		t.Fatalf("%d consents still active after revoking processing", n)
	}
	w.want("teamA", "ben", "reopen K-2026-0001", kim.ECONFLICT, "erased")

	// Every change wrote an audit row naming the case; an admin sees them without content.
	rep := w.ok("root", "admin audit K-2026-0001", "Zugriffsprotokoll K-2026-0001", "| wer |", "@anna", "@ben",
		"Kontakt erfasst", "Einschätzung erfasst", "Rechtskreiswechsel erfasst", "Verweis erfasst", "Einwilligung widerrufen",
		"Personenbezogene Daten gelöscht", "Fall übergeben", "Fall abgeschlossen")
	for _, secret := range []string{"AB", "Bürgergeld", "Praktikum", "Kurs läuft"} {
		if strings.Contains(rep.Text, secret) {
			t.Errorf("audit answer shows case content %q", secret)
		}
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE case_ref = 'K-2026-0001' AND action = 'contact.add'`); n != 2 {
		t.Errorf("contact audit rows: %d", n)
	}
}

// The sealed columns hold ciphertext: the database alone reveals nothing.
func TestCaseworkSealedAtRest(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open Zeynep group=refugee consent=yes")
	w.ok("anna", "assess K-2026-0001 language=2 note=Geheimnotiz1")
	w.ok("anna", "goal add K-2026-0001 work Geheimziel2")
	w.ok("anna", "contact K-2026-0001 phone Geheimkontakt3")
	w.ok("anna", "consent K-2026-0001 grant jmd")
	w.ok("anna", "refer K-2026-0001 jmd Geheimgrund4")
	w.ok("anna", "outcome K-2026-0001 1 accepted Geheimergebnis5")
	w.ok("anna", "barrier K-2026-0001 jmd Geheimhindernis6")
	w.ok("anna", "close K-2026-0001 other Geheimabschluss7")
	var dump string
	if err := w.st.Pool().QueryRow(context.Background(), `SELECT concat_ws('|',
		(SELECT string_agg(t::text, ',') FROM cases t), (SELECT string_agg(t::text, ',') FROM contacts t),
		(SELECT string_agg(t::text, ',') FROM assessments t), (SELECT string_agg(t::text, ',') FROM goals t),
		(SELECT string_agg(t::text, ',') FROM referrals t), (SELECT string_agg(t::text, ',') FROM barriers t),
		(SELECT string_agg(t::text, ',') FROM audit_log t))`).Scan(&dump); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Zeynep", "Geheim"} {
		if strings.Contains(dump, s) {
			t.Errorf("plaintext %q in the database", s)
		}
	}
	w.ok("anna", "show K-2026-0001", "Zeynep", "Geheimziel2", "Geheimkontakt3")
}

// Absences: the deputy holds the owner's cases during the absence, and only then.
func TestAwayDeputy(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("anna", "away", "Keine Abwesenheit")
	w.ok("anna", "abwesend 01.12.2026 05.12.2026 deputy=@ben", "Abwesend vom 01.12.2026 bis 05.12.2026; @ben vertritt")
	w.ok("anna", "away", "| 01.12.2026 | 05.12.2026 | @ben |")
	if n := w.count(`SELECT count(*) FROM absences WHERE user_id = 'id-anna' AND deputy_id = 'id-ben'`); n != 1 {
		t.Fatalf("absences: %d", n)
	}
	w.want("teamA", "ben", "show K-2026-0001", kim.ENOTFOUND, "No case")
	w.want("teamA", "anna", "away 2026-12-03 2026-12-10 deputy=@ben", kim.ECONFLICT, "schon eine Abwesenheit vom 01.12.2026 bis 05.12.2026")
	w.at(2026, 12, 2)
	w.ok("ben", "show K-2026-0001", "K-2026-0001")
	w.ok("ben", "cases", "(deputy for @anna)")
	w.ok("ben", "contact K-2026-0001 phone \"Vertretung: kurz nachgefragt\"", "saved")
	w.want("teamA", "kora", "show K-2026-0001", kim.EFORBIDDEN, "Coach")
	w.ok("anna", "away off", "Abwesenheit beendet")
	w.want("teamA", "ben", "show K-2026-0001", kim.ENOTFOUND, "No case")
	w.at(2026, 12, 6)
	w.ok("anna", "away off", "keine Abwesenheit")
	// The current absence extended, its deputy changed; its start stays.
	w.at(2026, 12, 2)
	w.ok("anna", "abwesend 02.12.2026 04.12.2026 vertretung=@ben", "Abwesend vom 02.12.2026 bis 04.12.2026")
	w.want("teamA", "anna", "abwesend 03.12.2026 10.12.2026 vertretung=@ben", kim.ECONFLICT, "Verlängern oder ändern: `/kim abwesend ändern bis=<datum>`")
	w.ok("anna", "abwesend verlängern bis 11.12.", "Abwesenheit geändert: vom 02.12.2026 bis 11.12.2026; @ben vertritt Sie.")
	w.want("teamA", "anna", "abwesend ändern von=05.12.2026", kim.ECONFLICT, "hat am 02.12.2026 schon begonnen")
	w.want("teamA", "anna", "abwesend ändern bis=01.12.2026", kim.EINVALID, "in der Vergangenheit")
	w.want("teamA", "anna", "abwesend ändern bis=10.12.2027", kim.EINVALID, "höchstens 366 Tage. Richtig: `/kim abwesend ändern [von=<datum>] [bis=<datum>] [vertretung=<vertretung>]`")
	w.want("teamA", "anna", "abwesend ändern vertretung=@anna", kim.EINVALID, "nicht selbst vertreten")
	w.want("teamA", "anna", "abwesend ändern vertretung=@kora", kim.EINVALID, "Coach dieses Teams")
	w.want("teamA", "anna", "abwesend ändern", kim.EINVALID, "Was soll sich an der Abwesenheit ändern?")
	w.ok("anna", "away", "| 02.12.2026 | 11.12.2026 | @ben |")
	w.at(2026, 12, 10)
	w.ok("ben", "show K-2026-0001", "K-2026-0001") // the deputy holds the case in the longer absence
	w.ok("anna", "away off", "Abwesenheit beendet")
	w.want("teamA", "anna", "abwesend ändern bis=20.12.2026", kim.ENOTFOUND, "keine laufende oder geplante Abwesenheit")
	w.wantAudits("true", map[string]int{"absence.edit": 1})
	// A planned absence is dropped by "off".
	w.ok("anna", "away 2027-01-04 2027-01-08 deputy=@ben")
	w.ok("anna", "abwesend ändern von=05.01.2027", "vom 05.01.2027 bis 08.01.2027") // not begun: its start moves
	w.ok("anna", "abwesend aus", "beendet")
	if n := w.count(`SELECT count(*) FROM absences WHERE starts_on >= '2027-01-01'`); n != 0 {
		t.Fatalf("planned absence not dropped")
	}
}

// A coach's list goes page by page: every case can be reached, and a page
// that does not exist is named with how many there are.
func TestCaseListPages(t *testing.T) {
	w := newWorld(t)
	for i := range 53 {
		w.ok("anna", fmt.Sprintf("open P%02d group=eu consent=yes", i), "K-2026-")
	}
	rows := func(rep Reply) int { return strings.Count(rep.Text, "\n| K-2026-") }
	first := w.ok("anna", "cases", "**Ihre offenen Fälle (53)** – 1–50, Seite 1 von 2", "Weiter: `/kim fälle offen seite=2`")
	second := w.ok("anna", "fälle offen seite 2", "– 51–53, Seite 2 von 2")
	if rows(first) != 50 || rows(second) != 3 || strings.Contains(second.Text, "Weiter") {
		t.Fatalf("pages of 50 and 3 rows, the last without a next line:\n%s\n%s", first.Text, second.Text)
	}
	seen := map[string]bool{}
	for _, rep := range []Reply{first, second} {
		for _, line := range strings.Split(rep.Text, "\n") {
			if ref, ok := strings.CutPrefix(line, "| K-2026-"); ok {
				seen[ref[:4]] = true
			}
		}
	}
	if len(seen) != 53 {
		t.Fatalf("the two pages name %d different cases, want 53", len(seen))
	}
	w.want("teamA", "anna", "fälle seite=3", kim.EINVALID, "Seite 3 gibt es nicht: Ihre Liste „offen“ hat 53 Fälle auf 2 Seiten.")
	w.ok("anna", "fälle alle seite=2", "**Alle Ihre Fälle (53)** – 51–53")
	one := w.ok("anna", "fälle fällig", "Nichts fällig")
	if strings.Contains(one.Text, "Seite") {
		t.Fatalf("an empty list has no pages:\n%s", one.Text)
	}
	w.ok("ben", "open Q group=eu consent=yes")
	if rep := w.ok("ben", "cases"); strings.Contains(rep.Text, "page") {
		t.Fatalf("one page is not numbered:\n%s", rep.Text)
	}
	w.want("teamA", "ben", "cases all page=2", kim.EINVALID, "There is no page 2: your list “all” has 1 case on 1 page.")
}

// Admin: team defaults move the next dates; the partner directory grows.
func TestAdminDefaultsAndPartners(t *testing.T) {
	w := newWorld(t)
	w.ok("root", "admin defaults", "Monitoring: alle 28 Tage", "Re-Assessment: 6 Monate", "Nachfassen: 14 Tage")
	w.ok("root", "admin vorgaben monitoring=2w assessment=7d reassessment=3m followup=1m", "Monitoring: alle 14 Tage",
		"Ersteinschätzung: 7 Tage", "Re-Assessment: 3 Monate", "Nachfassen: 30 Tage")
	w.ok("anna", "open AB group=eu consent=yes", "Erste Einschätzung fällig am 30.11.2026, Monitoring am 07.12.2026")
	w.ok("anna", "assess K-2026-0001 work=2", "Nächstes Re-Assessment: 23.02.2027")
	w.ok("anna", "contact K-2026-0001 video Videoanruf", "Monitoring: 07.12.2026")
	w.ok("anna", "consent K-2026-0001 grant mbe")
	w.ok("anna", "refer K-2026-0001 mbe Beratung", "Nachfassen am 23.12.2026")
	// Team B keeps its own defaults.
	w.want("teamB", "bea", "open XY group=eu consent=yes", "ok", "07.12.2026", "21.12.2026")

	w.ok("root", "admin partner add schuldnerberatung \"Schuldnerberatung der Diakonie\"", "`schuldnerberatung`")
	w.ok("root", "admin partner add bamf BAMF Außenstelle domain=none", "BAMF Außenstelle")
	w.ok("anna", "admin partner list", "`jobcenter`", "`schuldnerberatung`", "| `bamf` | BAMF Außenstelle | keiner |", "(11)")
	w.want("teamB", "bea", "admin partner list", "ok", "(9)")
	w.ok("anna", "consent K-2026-0001 grant schuldnerberatung form=written")
	w.ok("anna", "refer K-2026-0001 schuldnerberatung Schulden klären", "Schuldnerberatung der Diakonie")
	w.want("teamB", "bea", "consent K-2026-0001 grant schuldnerberatung", kim.EINVALID, "nicht im Partnerverzeichnis")
}

// Admin: a partner's name or domain is corrected, a partner taken out of
// the directory and brought back; what names it stays.
func TestPartnerCorrection(t *testing.T) {
	w := newWorld(t)
	w.ok("root", `admin partner neu schuldnerberatung "Schuldnerbertung der Diakonie"`, "`schuldnerberatung`")
	w.ok("anna", "neu AB gruppe=eu einwilligung=ja", "K-2026-0001")
	w.ok("anna", "einwilligung K-2026-1 erteilen schuldnerberatung schriftlich", "Schuldnerbertung der Diakonie")
	w.ok("anna", "verweis K-2026-1 schuldnerberatung Schulden klären", "Verweis 1")

	before := w.snapshot()
	w.want("teamA", "anna", `admin partner ändern schuldnerberatung name="Schuldnerberatung"`, kim.EFORBIDDEN, "nur für Admins")
	w.want("teamA", "root", "admin partner ändern schuldnerberatung", kim.EINVALID, "Was soll sich am Partner „schuldnerberatung“ ändern?", "`name=`")
	w.want("teamA", "root", `admin partner ändern steuer name="Finanzamt"`, kim.EINVALID, "nicht im Partnerverzeichnis")
	w.want("teamA", "root", `admin partner ändern schuldnerberatung name="Frau Schmidt"`, kim.EINVALID, "keinen Namen einer Person")
	w.want("teamA", "root", `admin partner neu beratung-ab "Beratung für AB"`, kim.EINVALID, "kein Pseudonym") // a case's pseudonym
	w.want("teamA", "root", "admin partner entfernen steuer", kim.EINVALID, "nicht im Partnerverzeichnis")
	w.want("teamB", "bea", "admin partner list", "ok", "(9)")
	if w.snapshot() != before {
		t.Fatal("a refused partner correction changed something")
	}

	w.ok("root", `admin partner ändern Schuldnerbertung der Diakonie name="Schuldnerberatung der Diakonie" rechtskreis=keiner`,
		"Partner `schuldnerberatung` korrigiert: Schuldnerberatung der Diakonie · Rechtskreis: keiner")
	card := w.ok("anna", "zeige K-2026-1", "Schuldnerberatung der Diakonie").Text
	if strings.Contains(card, "Schuldnerbertung") {
		t.Errorf("the card shows the old name:\n%s", card)
	}

	w.ok("root", "admin partner entfernen schuldnerberatung", "nicht mehr im Verzeichnis")
	w.ok("root", "admin partner löschen MBE", "`mbe`") // a default partner
	if _, err := w.st.UpsertTeam(context.Background(), "teamA", "teama", "cmd-teamA", "tok-teamA"); err != nil {
		t.Fatal(err) // provisioning again brings no default partner back
	}
	list := w.ok("anna", "admin partner liste", "(8)").Text
	if strings.Contains(list, "schuldnerberatung") || strings.Contains(list, "`mbe`") {
		t.Errorf("a removed partner is listed:\n%s", list)
	}
	before = w.snapshot()
	w.want("teamA", "anna", "verweis K-2026-1 schuldnerberatung Ratenplan", kim.EINVALID, "nicht im Partnerverzeichnis")
	w.want("teamA", "anna", "hindernis K-2026-1 schuldnerberatung lange Wartezeit", kim.EINVALID, "schuldnerberatung")
	w.want("teamA", "anna", "einwilligung K-2026-1 erteilen Schuldnerberatung", kim.EINVALID, "nicht im Partnerverzeichnis")
	if w.snapshot() != before {
		t.Fatal("a removed partner was named by a new record")
	}
	w.ok("anna", "zeige K-2026-1", "Schuldnerberatung der Diakonie") // the referral keeps it
	w.ok("anna", "einwilligung K-2026-1 widerrufen schuldnerberatung", "widerrufen")

	w.ok("root", `admin partner neu schuldnerberatung "Schuldnerberatung der Caritas"`, "ist im Verzeichnis")
	w.ok("anna", "admin partner liste", "(9)", "Schuldnerberatung der Caritas")
	w.ok("anna", "admin partner", "(9)", "Schuldnerberatung der Caritas")
	w.want("teamA", "anna", "treffen", kim.EFORBIDDEN, "nur für die Koordination")
	w.ok("anna", "einwilligung K-2026-1 erteilen schuldnerberatung", "Schuldnerberatung der Caritas")
	// The default templates name the Jobcenter: the answer says so.
	w.ok("anna", "rechtskreis K-2026-1 SGB II", "gespeichert") // seeds the team's default templates
	w.ok("root", "admin partner entfernen jobcenter", "nicht mehr im Verzeichnis", "Übergangsvorlagen nennen ihn noch in", "ohne ihn an")
	// A new change creates the templates' steps without the removed partner;
	// their texts stay.
	w.ok("anna", "neu CD gruppe=Geflüchtete rechtskreis=AsylbLG einwilligung=ja", "K-2026-0002")
	w.ok("anna", "rechtskreis K-2026-2 SGB II", "Bürgergeld")
	steps := `SELECT count(*) FROM transition_steps s JOIN cases c ON c.id = s.case_id WHERE c.ref = 'K-2026-0002'`
	if n := w.count(steps); n == 0 {
		t.Fatal("no steps for the change")
	}
	if n := w.count(steps + ` AND s.partner_id IN (SELECT id FROM partners WHERE key = 'jobcenter')`); n != 0 {
		t.Errorf("%d new steps name the removed partner", n)
	}
	// The template still shows it, marked, for the admin to adapt.
	w.ok("root", "admin übergang liste AsylbLG SGB II", "Jobcenter (`jobcenter`) – nicht mehr im Verzeichnis, neue Wechsel legen den Schritt ohne ihn an")
	if rep := w.ok("root", "admin übergang liste AsylbLG SGB II", "Sozialamt (`sozialamt`)"); strings.Count(rep.Text, "nicht mehr im Verzeichnis") != 2 {
		t.Errorf("two steps name the removed Jobcenter, want both marked and no other:\n%s", rep.Text)
	}
	w.ok("root", "admin übergang liste", "nicht mehr im Verzeichnis") // every pair at once
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'admin.partner'`); n != 6 {
		t.Errorf("admin.partner audit rows: %d, want 6", n)
	}
}
