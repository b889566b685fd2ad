package commands

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Corrections of a case's records: a contact corrected and deleted (the
// next monitoring date recomputed from what remains), assessments deleted
// (the next re-assessment recomputed, the card's scores from what remains),
// a goal changed and deleted; deletes ask first and change nothing until
// confirmed; each change audited without content; other coaches, unknown
// numbers and empty corrections refused with nothing changed.
func TestCorrections(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB group=refugee consent=ja datum=02.11.2026", "K-2026-0001", "30.11.2026", "16.11.2026")
	w.ok("anna", "kontakt K-2026-0001 telefon datum=10.11.2026 erster Anruf", "08.12.2026")
	w.ok("anna", "kontakt K-2026-0001 hausbesuch datum=20.11.2026 Wohnung besichtigt", "18.12.2026")
	next := func() string {
		var s string
		if err := w.st.Pool().QueryRow(t.Context(), `SELECT to_char(next_monitoring, 'DD.MM.YYYY') || ' ' || to_char(next_assessment, 'DD.MM.YYYY')
			FROM cases WHERE ref = 'K-2026-0001'`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	// Deleting the latest contact: first what would happen, nothing changed.
	snap := w.snapshot()
	w.ok("anna", "kontakt löschen K-2026-0001 2", "Gelöscht würde Kontakt 2 von **K-2026-0001**", "Hausbesuch am 20.11.2026",
		"Wohnung besichtigt", "nächste Monitoring wäre dann am 08.12.2026", "Noch ist nichts geändert",
		"/kim kontakt löschen K-2026-0001 2 bestätigen")
	if w.snapshot() != snap {
		t.Fatal("an unconfirmed delete changed something")
	}
	// Other people's cases, unknown numbers, empty corrections: nothing changes.
	w.want("teamA", "ben", "contact delete K-2026-0001 2 confirm", kim.ENOTFOUND, "K-2026-0001")
	w.want("teamA", "kora", "kontakt loeschen K-2026-0001 2 bestaetigen", kim.EFORBIDDEN)
	w.want("teamA", "anna", "kontakt loeschen K-2026-0001 9 bestaetigen", kim.ENOTFOUND, "keinen Kontakt 9", "/kim kontakte K-2026-0001")
	w.want("teamA", "anna", "kontakt aendern K-2026-0001 1", kim.EINVALID, "Was soll sich an Kontakt 1")
	w.want("teamA", "anna", "kontakt aendern K-2026-0001 1 Notiz\x00mit NUL", kim.EINVALID, "Steuerzeichen")
	w.want("teamA", "anna", "kontakt aendern K-2026-0001 1 datum=01.11.2026", kim.EINVALID)
	if w.snapshot() != snap {
		t.Fatal("a refused correction changed something")
	}
	w.ok("anna", "kontakt loeschen K-2026-0001 2 bestätigen", "Kontakt 2 von **K-2026-0001** gelöscht", "Monitoring: 08.12.2026")
	if got := next(); got != "08.12.2026 16.11.2026" {
		t.Errorf("dates after the delete: %s", got)
	}
	w.ok("anna", "kontakt ändern K-2026-0001 1 datum=12.11.2026 art=persönlich minuten=30 Termin im Büro",
		"Kontakt 1 von **K-2026-0001** korrigiert: persönlich, 12.11.2026, 30 Minuten", "Monitoring: 10.12.2026")
	w.ok("anna", "kontakte K-2026-0001", "Termin im Büro", "12.11.2026")
	w.ok("anna", "kontakt loeschen K-2026-0001 1 bestaetigen", "gelöscht", "Monitoring: 30.11.2026")

	// Assessments: the next re-assessment from the latest that remains.
	w.ok("anna", "einschaetzung K-2026-0001 language=2 work=1 date=15.11.2026", "18.05.2027") // Saturday 15.05., Pfingstmontag 17.05.
	w.ok("anna", "einschaetzung K-2026-0001 language=4 date=20.11.2026", "20.05.2027")
	snap = w.snapshot()
	w.ok("anna", "einschätzung löschen K-2026-0001 2", "Gelöscht würde Einschätzung 2 von **K-2026-0001** vom 20.11.2026",
		"am 18.05.2027 fällig", "Noch ist nichts geändert")
	if w.snapshot() != snap {
		t.Fatal("an unconfirmed delete changed something")
	}
	w.want("teamA", "anna", "einschaetzung loeschen K-2026-0001 5 bestaetigen", kim.ENOTFOUND, "keine Einschätzung 5")
	w.ok("anna", "einschaetzung loeschen K-2026-0001 2 bestaetigen", "Einschätzung 2 von **K-2026-0001** vom 20.11.2026 gelöscht",
		"Einschätzung: 18.05.2027")
	w.ok("anna", "zeige K-2026-0001", "| Sprache | 2 |")
	w.ok("anna", "einschaetzung loeschen K-2026-0001 1 bestaetigen", "Einschätzung: **16.11.2026**")
	if n := w.count(`SELECT count(*) FROM assessment_scores`); n != 0 {
		t.Errorf("scores left: %d", n)
	}

	// Goals.
	w.ok("anna", "ziel neu K-2026-0001 arbeit Praktikum finden", "Ziel 1")
	w.ok("anna", "ziel neu K-2026-0001 sprache B1-Kurs", "Ziel 2")
	w.ok("anna", "ziel ändern K-2026-0001 1 Praktikum im Handwerk finden", "Ziel 1 von **K-2026-0001** (Arbeit) geändert: Praktikum im Handwerk finden")
	w.want("teamA", "ben", "goal edit K-2026-0001 1 fremd", kim.ENOTFOUND)
	w.want("teamA", "anna", "ziel aendern K-2026-0001 7 x", kim.ENOTFOUND, "kein Ziel 7")
	// The due date of a goal moves (a plan: not into the past); the text stays.
	w.ok("anna", "ziel ändern K-2026-0001 2 fällig=31.7.", "Ziel 2 von **K-2026-0001** (Sprache) geändert: B1-Kurs – bis 31.07.2027")
	w.ok("anna", "ziel ändern K-2026-0001 2 B1-Kurs an der VHS bis 30.6.27", "geändert: B1-Kurs an der VHS – bis 30.06.2027")
	snap = w.snapshot()
	w.want("teamA", "anna", "ziel ändern K-2026-0001 2 fällig=01.11.2026", kim.EINVALID, "Vergangenheit")
	w.want("teamA", "anna", "ziel ändern K-2026-0001 2", kim.EINVALID, "Was soll sich an Ziel 2 von **K-2026-0001** ändern?", "`feld=<handlungsfeld>`")
	w.want("teamA", "anna", "ziel ändern K-2026-0001 2 feld=Sprache", kim.EINVALID, "Was soll sich an Ziel 2") // the field it has
	w.want("teamA", "ben", "goal edit K-2026-0001 2 due=2027-01-01", kim.ENOTFOUND)
	if w.snapshot() != snap {
		t.Fatal("a refused goal edit changed something")
	}
	// A goal put under the wrong life field moves to another; its text and date stay.
	w.ok("anna", "ziel ändern K-2026-0001 1 feld=Bildung", "Ziel 1 von **K-2026-0001** (Bildung/Ausbildung) geändert: Praktikum im Handwerk finden (ohne Frist)")
	w.ok("anna", "ziel korrigieren K-2026-0001 1 feld Arbeit", "(Arbeit) geändert")
	w.ok("anna", "zeige K-2026-0001", "| 1 | Arbeit | Praktikum im Handwerk finden |")
	if n := w.count(`SELECT count(*) FROM goals WHERE n = 2 AND due_on = '2027-06-30'`); n != 1 {
		t.Errorf("goal 2 due on 30.06.2027: %d rows", n)
	}
	// … and is removed.
	w.ok("anna", "ziel ändern K-2026-0001 2 fällig=keine", "geändert: B1-Kurs an der VHS (ohne Frist)")
	if n := w.count(`SELECT count(*) FROM goals WHERE n = 2 AND due_on IS NULL`); n != 1 {
		t.Errorf("goal 2 without a due date: %d rows", n)
	}
	w.ok("anna", "zeige K-2026-0001", "| 2 | Sprache | B1-Kurs an der VHS | – | offen |")
	snap = w.snapshot()
	w.ok("anna", "ziel loeschen K-2026-0001 1", "Gelöscht würde Ziel 1 von **K-2026-0001** (Arbeit): Praktikum im Handwerk finden", "Noch ist nichts geändert")
	if w.snapshot() != snap {
		t.Fatal("an unconfirmed delete changed something")
	}
	w.ok("anna", "ziel löschen K-2026-0001 1 bestätigen", "Ziel 1 von **K-2026-0001** gelöscht")
	w.ok("anna", "zeige K-2026-0001", "B1-Kurs")
	w.ok("anna", "ziel neu K-2026-0001 wohnen Wohnung finden", "Ziel 3")

	// Referral outcomes: the latest corrected without a new history entry, or deleted.
	w.ok("anna", "einwilligung K-2026-0001 erteilen jobcenter", "Jobcenter")
	w.ok("anna", "verweis K-2026-0001 jobcenter Antrag auf Bürgergeld", "Verweis 1")
	w.want("teamA", "anna", "ergebnis loeschen K-2026-0001 1", kim.ENOTFOUND, "noch kein Ergebnis")
	w.ok("anna", "ergebnis K-2026-0001 1 angenommen Termin steht", "angenommen")
	w.ok("anna", "ergebnis K-2026-0001 1 abgelehnt", "abgelehnt")
	w.ok("anna", "ergebnis ändern K-2026-0001 1 nicht-erschienen \"kam nicht\"", "korrigiert: nicht erschienen")
	if n := w.count(`SELECT count(*) FROM referral_outcomes`); n != 2 {
		t.Errorf("outcome history after a correction: %d entries", n)
	}
	w.ok("anna", "zeige K-2026-0001", "angenommen („Termin steht“) → 23.11.2026 nicht erschienen („kam nicht“)")
	snap = w.snapshot()
	w.ok("anna", "ergebnis löschen K-2026-0001 1", "Gelöscht würde das letzte Ergebnis von Verweis 1 an Jobcenter", "nicht erschienen vom 23.11.2026",
		"stünde dann auf angenommen", "Noch ist nichts geändert")
	w.want("teamA", "ben", "outcome delete K-2026-0001 1 confirm", kim.ENOTFOUND)
	w.want("teamA", "anna", "ergebnis loeschen K-2026-0001 4 bestaetigen", kim.ENOTFOUND, "keinen Verweis 4")
	if w.snapshot() != snap || w.count(`SELECT count(*) FROM referral_outcomes`) != 2 {
		t.Fatal("an unconfirmed delete changed something")
	}
	w.ok("anna", "ergebnis loeschen K-2026-0001 1 bestaetigen", "der Verweis steht auf angenommen")
	w.ok("anna", "ergebnis loeschen K-2026-0001 1 bestaetigen", "der Verweis steht auf offen, Nachfassen am 07.12.2026")
	if n := w.count(`SELECT count(*) FROM referrals WHERE outcome = 'pending' AND followup_on = '2026-12-07' AND outcome_on IS NULL`); n != 1 {
		t.Errorf("the referral is not pending again: %d", n)
	}

	// Each change is audited: kind, case, who; the log has no content columns.
	for action, n := range map[string]int{"contact.delete": 2, "contact.edit": 1, "assessment.delete": 2, "goal.edit": 6, "goal.delete": 1,
		"referral.outcome-edit": 1, "referral.outcome-delete": 2} {
		if got := w.count(`SELECT count(*) FROM audit_log l JOIN cases c ON c.id = l.case_id
			WHERE l.action = $1 AND l.actor_id = 'id-anna' AND l.case_ref = 'K-2026-0001' AND c.ref = 'K-2026-0001'`, action); got != n {
			t.Errorf("audit rows %s: %d, want %d", action, got, n)
		}
	}
	w.ok("root", "admin protokoll K-2026-0001", "Kontakt gelöscht", "Kontakt korrigiert", "Einschätzung gelöscht", "Ziel geändert", "Ziel gelöscht",
		"Verweisergebnis korrigiert", "Verweisergebnis gelöscht")
	w.ok("anna", "hilfe kontakt", "/kim kontakt ändern <fall> <nr>", "/kim kontakt löschen <fall> <nr>")
}

// A coordinator corrects and deletes agenda items and action items: deletes
// ask first, the items after a deleted agenda item move up, each change is
// audited; coaches are refused; unknown numbers are refused.
func TestMeetingCorrections(t *testing.T) {
	w := newWorld(t)
	w.svc.Channels = newChannels("netz", "town-square")
	w.ok("kora", "treffen neu 03.12.2026 14:00 Netzwerktreffen channel=~netz", "M-1")
	w.ok("kora", "tagesordnung neu M-1 Wartezeiten Jobcenter", "Punkt 1")
	w.ok("kora", "tagesordnung neu M-1 Wohnraum", "Punkt 2")
	w.ok("kora", "tagesordnung neu M-1 Sprachkurse", "Punkt 3")
	w.ok("kora", "tagesordnung ändern M-1 2 Wohnraum für Großfamilien", "Punkt 2 der Tagesordnung von M-1 geändert: Wohnraum für Großfamilien",
		"Vorher stand da: „Wohnraum“ – falls der falsche Eintrag: `/kim tagesordnung ändern M-1 2 \"Wohnraum\"`")
	w.want("teamA", "anna", "tagesordnung aendern M-1 2 x", kim.EFORBIDDEN)
	w.want("teamA", "kora", "tagesordnung loeschen M-1 9", kim.ENOTFOUND, "keinen Tagesordnungspunkt 9")
	before := w.count(`SELECT count(*) FROM agenda_items`)
	w.ok("kora", "tagesordnung löschen M-1 1", "Gelöscht würde Punkt 1 der Tagesordnung von M-1: Wartezeiten Jobcenter", "rücken eine Nummer vor",
		"Noch ist nichts geändert", "/kim tagesordnung löschen M-1 1 bestätigen")
	if n := w.count(`SELECT count(*) FROM agenda_items`); n != before {
		t.Fatalf("an unconfirmed delete changed the agenda: %d items", n)
	}
	w.ok("kora", "tagesordnung loeschen M-1 1 bestaetigen", "Punkt 1 der Tagesordnung von M-1 gelöscht")
	w.ok("kora", "treffen zeige M-1", "1. Wohnraum für Großfamilien\n2. Sprachkurse")

	w.ok("kora", "aufgabe neu M-1 @ben Termin vereinbaren faellig=18.12.2026", "A-1")
	w.ok("kora", "aufgabe ändern A-1 faellig=08.01.2027", "Aufgabe A-1 für @ben geändert: „Termin vereinbaren“, Frist 08.01.2027")
	w.ok("kora", "aufgabe aendern A-1 Termin mit dem Jobcenter vereinbaren", "„Termin mit dem Jobcenter vereinbaren“, Frist 08.01.2027")
	w.want("teamA", "kora", "aufgabe aendern A-1", kim.EINVALID, "Was soll sich an A-1 ändern?")
	w.want("teamA", "kora", "aufgabe aendern A-1 faellig=01.01.2026", kim.EINVALID, "Vergangenheit")
	w.want("teamA", "ben", "aufgabe loeschen A-1 bestaetigen", kim.EFORBIDDEN)
	w.want("teamA", "kora", "aufgabe loeschen A-9 bestaetigen", kim.ENOTFOUND, "Keine Aufgabe A-9")
	w.ok("kora", "aufgabe löschen A-1", "Gelöscht würde Aufgabe A-1 aus M-1 für @ben", "Noch ist nichts geändert")
	if n := w.count(`SELECT count(*) FROM actions`); n != 1 {
		t.Fatalf("an unconfirmed delete changed the actions: %d", n)
	}
	w.ok("kora", "aufgabe loeschen A-1 bestätigen", "Aufgabe A-1 („Termin mit dem Jobcenter vereinbaren“, aus M-1) gelöscht")
	if n := w.count(`SELECT count(*) FROM actions`); n != 0 {
		t.Errorf("actions left: %d", n)
	}
	w.wantAudits(`actor_id = 'id-kora' AND case_id IS NULL`, map[string]int{"agenda.edit": 1, "agenda.delete": 1, "action.edit": 2, "action.delete": 1})
}

// An assessment corrected (issue 9, point 4): its scores per field, its day
// within the rules of recording (not before the intake or the assessment
// before it, not after the one after it, not in the future), its note. The
// answer shows the change against the assessment before it; the card's
// latest score per field and its change, and the next re-assessment (only
// when the latest assessment moves) are computed again; each correction is
// audited without content; refusals change nothing.
func TestAssessmentCorrection(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB group=refugee consent=ja datum=02.11.2026", "K-2026-0001")
	w.ok("anna", "einschaetzung K-2026-0001 sprache=2 arbeit=1 datum=05.11.2026", "05.05.2027")
	w.ok("anna", "einschaetzung K-2026-0001 sprache=3 datum=15.11.2026", "Re-Assessment 2", "18.05.2027")
	next := func() string {
		var s string
		if err := w.st.Pool().QueryRow(t.Context(), `SELECT to_char(next_assessment, 'DD.MM.YYYY') FROM cases WHERE ref = 'K-2026-0001'`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	snap := w.snapshot()
	w.want("teamA", "anna", "einschaetzung aendern K-2026-0001 2", kim.EINVALID, "Was soll sich an Einschätzung 2 von **K-2026-0001** ändern?")
	w.want("teamA", "anna", "einschaetzung aendern K-2026-0001 2 datum=01.11.2026", kim.EINVALID, "01.11.2026")
	w.want("teamA", "anna", "einschaetzung aendern K-2026-0001 2 datum=04.11.2026", kim.EINVALID, "vor der letzten Einschätzung am 05.11.2026")
	w.want("teamA", "anna", "einschaetzung aendern K-2026-0001 1 datum=16.11.2026", kim.EINVALID,
		"liegt nach Einschätzung 2 vom 15.11.2026", "nicht hinter die folgende")
	w.want("teamA", "anna", "einschaetzung aendern K-2026-0001 2 datum=24.11.2026", kim.EINVALID, "24.11.2026")
	w.want("teamA", "anna", "einschaetzung aendern K-2026-0001 2 sprache=6", kim.EINVALID, "Sprache")
	w.want("teamA", "anna", "einschaetzung aendern K-2026-0001 2 zauber=3", kim.EINVALID, "zauber")
	w.want("teamA", "anna", "einschaetzung aendern K-2026-0001 9 sprache=3", kim.ENOTFOUND, "keine Einschätzung 9")
	w.want("teamA", "ben", "assess edit K-2026-0001 2 language=4", kim.ENOTFOUND, "K-2026-0001")
	w.want("teamA", "kora", "einschaetzung aendern K-2026-0001 2 sprache=4", kim.EFORBIDDEN)
	if w.snapshot() != snap {
		t.Fatal("a refused correction changed something")
	}

	// The latest assessment: scores changed and added, its day moved.
	w.ok("anna", "einschätzung ändern K-2026-0001 2 sprache=4 wohnen=3 datum=18.11.2026",
		"Einschätzung 2 von **K-2026-0001** korrigiert (18.11.2026); Veränderung seit Einschätzung 1 vom 05.11.2026:",
		"| Sprache | 2 | 4 | +2 ↑ |", "| Wohnen | – | 3 | neu |", "Nächstes Re-Assessment: 18.05.2027", "Einschätzung: 18.05.2027")
	if got := next(); got != "18.05.2027" {
		t.Errorf("next re-assessment after moving the latest: %s", got)
	}
	w.ok("anna", "zeige K-2026-0001", "zuletzt Re-Assessment 2 vom 18.11.2026", "| Sprache | 4 | 18.11.2026 | +2 ↑ |",
		"| Arbeit | 1 | 05.11.2026 | – |", "| Wohnen | 3 | 18.11.2026 | – |")

	// An earlier one: the change shown for the later one follows; the next
	// re-assessment stays with the latest.
	w.ok("anna", "einschaetzung aendern K-2026-0001 1 sprache=1 arbeit=2 datum=10.11.2026 notiz=\"mit Dolmetscherin\"",
		"Einschätzung 1 von **K-2026-0001** korrigiert (10.11.2026):", "| Sprache | 1 |", "| Arbeit | 2 |", "Nächstes Re-Assessment: 18.05.2027")
	if got := next(); got != "18.05.2027" {
		t.Errorf("next re-assessment after correcting an earlier one: %s", got)
	}
	w.ok("anna", "zeige K-2026-0001", "| Sprache | 4 | 18.11.2026 | +3 ↑ |", "| Arbeit | 2 | 10.11.2026 | – |",
		"Einschätzungen: Nr. 1 vom 10.11.2026 · Nr. 2 vom 18.11.2026")
	var note []byte
	if err := w.st.Pool().QueryRow(t.Context(), `SELECT note_enc FROM assessments WHERE seq = 1`).Scan(&note); err != nil || len(note) == 0 {
		t.Errorf("the note was not kept (sealed): %v", err)
	}
	if n := w.count(`SELECT count(*) FROM assessment_scores`); n != 4 {
		t.Errorf("scores: %d, want 4", n)
	}

	// English, another coach's own case.
	w.want("teamA", "ben", "open XY group=eu consent=yes", "ok", "K-2026-0002")
	w.want("teamA", "ben", "assess K-2026-0002 language=2", "ok")
	w.want("teamA", "ben", "assess edit K-2026-0002 1 language=3", "ok", "Assessment 1 of **K-2026-0002** corrected (2026-11-23):", "| Language | 3 |")
	for i := 0; i < 5; i++ {
		w.want("teamA", "ben", "assess K-2026-0002 work=2", "ok")
	}
	w.want("teamA", "ben", "show K-2026-0002", "ok", "Assessments: … (1 earlier), no. 2 of 2026-11-23 · no. 3 of 2026-11-23", "no. 6 of 2026-11-23")

	if got := w.count(`SELECT count(*) FROM audit_log l JOIN cases c ON c.id = l.case_id
		WHERE l.action = 'assessment.edit' AND l.actor_id = 'id-anna' AND l.case_ref = 'K-2026-0001' AND c.ref = 'K-2026-0001'`); got != 2 {
		t.Errorf("audit rows assessment.edit: %d, want 2", got)
	}
	w.ok("root", "admin protokoll K-2026-0001", "Einschätzung korrigiert")
	w.ok("anna", "hilfe einschaetzung", "/kim einschätzung ändern <fall> <nr>", "einschätzung ändern K-2026-0042 2 sprache=3")
}

// Numbers of a case's contacts, assessments, goals, barriers and referrals,
// and of a team's action items, are never given twice: after the newest is
// deleted the next record gets a new number, so "Kontakt 2" in an audit row
// or a note never comes to mean another contact (migrations 00016, 00021).
func TestRecordNumbersNeverReused(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB group=refugee consent=ja datum=02.11.2026", "K-2026-0001")
	numbers := func(sql string) string {
		t.Helper()
		var s string
		if err := w.st.Pool().QueryRow(t.Context(), `SELECT coalesce(string_agg(x::text, ',' ORDER BY x), '') FROM (`+sql+`) q(x)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	w.ok("anna", "kontakt K-2026-0001 telefon datum=10.11.2026 erster Anruf")
	w.ok("anna", "kontakt K-2026-0001 telefon datum=12.11.2026 zweiter Anruf")
	w.ok("anna", "kontakt loeschen K-2026-0001 2 bestaetigen", "Kontakt 2")
	w.ok("anna", "kontakt K-2026-0001 hausbesuch datum=20.11.2026 Wohnung besichtigt")
	w.ok("anna", "kontakte K-2026-0001", "| 3 | 20.11.2026 | Hausbesuch |", "| 1 | 10.11.2026 | Telefon |")
	if got := numbers(`SELECT n FROM contacts`); got != "1,3" {
		t.Errorf("contact numbers: %s, want 1,3", got)
	}
	w.want("teamA", "anna", "kontakt loeschen K-2026-0001 2 bestaetigen", kim.ENOTFOUND, "keinen Kontakt 2")

	w.ok("anna", "einschaetzung K-2026-0001 sprache=2 datum=05.11.2026")
	w.ok("anna", "einschaetzung K-2026-0001 sprache=3 datum=15.11.2026", "Re-Assessment 2")
	w.ok("anna", "einschaetzung loeschen K-2026-0001 2 bestaetigen", "Einschätzung 2")
	w.ok("anna", "einschaetzung K-2026-0001 sprache=4 datum=20.11.2026", "Re-Assessment 3 von **K-2026-0001**", "| Sprache | 2 | 4 | +2 ↑ |")
	w.ok("anna", "einschaetzung loeschen K-2026-0001 1 bestaetigen", "Einschätzung 1")
	w.ok("anna", "zeige K-2026-0001", "zuletzt Ersteinschätzung (Nr. 3) vom 20.11.2026")
	if got := numbers(`SELECT seq FROM assessments`); got != "3" {
		t.Errorf("assessment numbers: %s, want 3", got)
	}

	w.ok("anna", "ziel neu K-2026-0001 arbeit Praktikum finden", "Ziel 1")
	w.ok("anna", "ziel neu K-2026-0001 sprache B1-Kurs", "Ziel 2")
	w.ok("anna", "ziel loeschen K-2026-0001 2 bestaetigen", "Ziel 2")
	w.ok("anna", "ziel neu K-2026-0001 wohnen Wohnung finden", "Ziel 3 von **K-2026-0001**")
	if got := numbers(`SELECT n FROM goals`); got != "1,3" {
		t.Errorf("goal numbers: %s, want 1,3", got)
	}

	w.ok("anna", "hindernis K-2026-0001 wohnen Keine Wohnungen unter der Mietobergrenze", "Strukturhinweis 1")
	w.ok("anna", "hindernis loeschen K-2026-0001 1 bestaetigen", "ist gelöscht")
	w.ok("anna", "hindernis K-2026-0001 jobcenter Termine erst nach acht Wochen", "Strukturhinweis 2")
	if got := numbers(`SELECT n FROM barriers`); got != "2" {
		t.Errorf("barrier numbers: %s, want 2", got)
	}

	w.ok("anna", "einwilligung K-2026-0001 erteilen jobcenter")
	w.ok("anna", "verweis K-2026-0001 jobcenter Antrag auf Bürgergeld", "Verweis 1")
	w.ok("anna", "verweis K-2026-0001 jobcenter Bewerbungstraining", "Verweis 2")
	w.ok("anna", "verweis loeschen K-2026-0001 2 bestaetigen", "Verweis 2")
	w.ok("anna", "verweis K-2026-0001 jobcenter Bewerbungstraining", "Verweis 3")
	if got := numbers(`SELECT n FROM referrals`); got != "1,3" {
		t.Errorf("referral numbers: %s, want 1,3", got)
	}

	// Action items of the team.
	w.svc.Channels = newChannels("netz", "town-square")
	w.ok("kora", "treffen neu 03.12.2026 14:00 Netzwerktreffen channel=~netz", "M-1")
	w.ok("kora", "aufgabe neu M-1 @ben Termin vereinbaren", "A-1")
	w.ok("kora", "aufgabe loeschen A-1 bestaetigen", "A-1")
	w.ok("kora", "aufgabe neu M-1 @ben Wohnungsmarkt-Daten besorgen", "**A-2**")
	w.want("teamA", "kora", "aufgabe erledigt A-1", kim.ENOTFOUND, "A-1")

	// Another case and another team count on their own.
	w.ok("anna", "neu CD group=eu consent=ja", "K-2026-0002")
	w.ok("anna", "ziel neu K-2026-0002 arbeit Bewerbung", "Ziel 1 von **K-2026-0002**")
	w.want("teamB", "bea", "open XY group=other consent=yes", "ok", "K-2026-0001")
	w.want("teamB", "bea", "kontakt K-2026-0001 telefon Anruf", "ok")
	if got := numbers(`SELECT k.n FROM contacts k JOIN cases c ON c.id = k.case_id WHERE c.team_id = 'teamB'`); got != "1" {
		t.Errorf("contact numbers of another team's case: %s, want 1", got)
	}
}

// A next monitoring or re-assessment date set by hand (/kim termin) stays
// when a contact or an assessment is deleted or its day corrected, unless
// the latest that remains is then on or after that date (what it asked for
// has happened); a new contact or assessment replaces it as before.
func TestManualDateSurvivesCorrection(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB group=refugee consent=ja datum=02.11.2026", "K-2026-0001")
	w.ok("anna", "kontakt K-2026-0001 telefon datum=10.11.2026 erster Anruf", "08.12.2026")
	w.ok("anna", "kontakt K-2026-0001 hausbesuch datum=20.11.2026 Wohnung besichtigt", "18.12.2026")
	dates := func() string {
		var s string
		if err := w.st.Pool().QueryRow(t.Context(), `SELECT to_char(next_monitoring, 'DD.MM.YYYY') || ' ' || to_char(next_assessment, 'DD.MM.YYYY')
			FROM cases WHERE ref = 'K-2026-0001'`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	w.ok("anna", "termin K-2026-0001 monitoring 15.01.2027", "15.01.2027")
	w.ok("anna", "kontakt löschen K-2026-0001 2", "Das nächste Monitoring wäre dann am 15.01.2027")
	w.ok("anna", "kontakt löschen K-2026-0001 2 bestätigen", "Monitoring: 15.01.2027")
	w.ok("anna", "kontakt ändern K-2026-0001 1 datum=12.11.2026", "Monitoring: 15.01.2027")
	if got := dates(); got != "15.01.2027 16.11.2026" {
		t.Errorf("dates after corrections under a date by hand: %s", got)
	}

	// A contact corrected to a day on or after the date by hand: the
	// monitoring it asked for has happened, the date is computed again.
	w.ok("anna", "termin K-2026-0001 monitoring 25.11.2026", "25.11.2026")
	w.at(2026, 11, 27)
	w.ok("anna", "kontakt ändern K-2026-0001 1 datum=26.11.2026", "Monitoring: 24.12.2026")
	// A new contact replaces a date by hand, and a later correction does not bring it back.
	w.ok("anna", "termin K-2026-0001 monitoring 15.01.2027", "15.01.2027")
	w.ok("anna", "kontakt K-2026-0001 telefon Rückruf", "28.12.2026") // four weeks on is Weihnachtstag
	w.ok("anna", "kontakt loeschen K-2026-0001 3 bestaetigen", "Monitoring: 24.12.2026")

	// Re-assessment dates by hand alike.
	w.ok("anna", "einschaetzung K-2026-0001 sprache=2 datum=20.11.2026", "20.05.2027")
	w.ok("anna", "einschaetzung K-2026-0001 sprache=3 datum=25.11.2026", "25.05.2027")
	w.ok("anna", "termin K-2026-0001 einschaetzung 01.03.2027", "01.03.2027")
	w.ok("anna", "einschaetzung loeschen K-2026-0001 2 bestaetigen", "Einschätzung: 01.03.2027")
	w.ok("anna", "einschaetzung aendern K-2026-0001 1 datum=22.11.2026", "Nächstes Re-Assessment: 01.03.2027")
	if got := dates(); got != "24.12.2026 01.03.2027" {
		t.Errorf("dates after assessment corrections under a date by hand: %s", got)
	}
	w.ok("anna", "einschaetzung K-2026-0001 sprache=4", "28.05.2027")                            // 27.05.2027 is Fronleichnam
	w.ok("anna", "einschaetzung loeschen K-2026-0001 3 bestaetigen", "Einschätzung: 24.05.2027") // 22.05.2027 is a Saturday
}

// A case's own data corrected: pseudonym, target group, legal domain at the
// opening, intake day (the first dates that count from it and the consent
// given with the opening move along; a date set by hand stays). Refused,
// with nothing changed: nothing to change, an intake after a recorded day,
// in the future or too far back, the opening's legal domain once a
// Rechtskreiswechsel is recorded, another coach's case.
func TestCaseCorrection(t *testing.T) {
	w := newWorld(t) // Monday 23.11.2026
	w.ok("anna", "neu AB gruppe=eu einwilligung=ja", "K-2026-0001", "07.12.2026", "21.12.2026")
	w.ok("anna", `fall ändern K-2026-1 pseudonym="A. B." gruppe=Geflüchtete`,
		"Fall **K-2026-0001** korrigiert: A. B. · Zielgruppe: Geflüchtete · Rechtskreis: keiner · Aufnahme am 23.11.2026.")
	w.ok("anna", `zeige "A. B."`, "K-2026-0001 · A. B.", "Zielgruppe: Geflüchtete")
	w.ok("anna", "fall korrigieren K-2026-1 aufnahme=16.11.2026 rechtskreis=SGB II", "Rechtskreis: SGB II · Aufnahme am 16.11.2026",
		"Monitoring: 14.12.2026", "Einschätzung: 30.11.2026")
	w.ok("anna", "zeige K-2026-1", "Rechtskreis: SGB II", "Verarbeitung (schriftlich, 16.11.2026)", "Monitoring 14.12.2026 · Einschätzung 30.11.2026")
	if n := w.count(`SELECT count(*) FROM domain_changes`) + w.count(`SELECT count(*) FROM transition_steps`); n != 0 {
		t.Errorf("a corrected opening domain made %d Rechtskreiswechsel rows or steps", n)
	}

	// Refusals change nothing.
	w.ok("anna", "kontakt K-2026-1 telefon datum=18.11.2026 Anruf", "18.11.2026")
	w.ok("anna", "termin K-2026-1 einschätzung 10.12.2026", "10.12.2026")
	snap := w.snapshot()
	w.want("teamA", "anna", "fall ändern K-2026-1", kim.EINVALID, "Was soll sich an **K-2026-0001** ändern?", "`datum=`")
	w.want("teamA", "anna", "fall ändern K-2026-1 datum=20.11.2026", kim.EINVALID, "kann nicht nach dem 18.11.2026 liegen")
	w.want("teamA", "anna", "fall ändern K-2026-1 datum=01.08.2026", kim.EINVALID, "mehr als 90 Tage")
	w.want("teamA", "anna", "fall ändern K-2026-1 datum=morgen", kim.EINVALID, "in der Zukunft")
	w.want("teamA", "anna", "fall ändern K-2026-1 pseudonym=K-2026-0002", kim.EINVALID, "sieht wie ein Aktenzeichen aus", "mit einem Buchstaben")
	w.want("teamA", "ben", "fall ändern K-2026-1 gruppe=eu", kim.ENOTFOUND, "K-2026-0001")
	w.want("teamA", "kora", "fall ändern K-2026-1 gruppe=eu", kim.EFORBIDDEN)
	if w.snapshot() != snap {
		t.Fatal("a refused case correction changed something")
	}
	// An earlier intake: the monitoring counts from the contact, the date by hand stays.
	w.ok("anna", "fall ändern K-2026-1 datum=10.11.2026", "Aufnahme am 10.11.2026", "Monitoring: 16.12.2026", "Einschätzung: 10.12.2026")
	w.ok("anna", "rechtskreis K-2026-1 SGB3 seit 20.11.2026", "SGB II → SGB III")
	w.want("teamA", "anna", "fall ändern K-2026-1 rechtskreis=SGB XII", kim.ECONFLICT, "schon ein Rechtskreiswechsel erfasst")
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'case.edit'`); n != 3 {
		t.Errorf("case.edit audit rows: %d, want 3", n)
	}
	w.ok("anna", "help fall", "/kim fall ändern <fall>", "pseudonym=", "gruppe=", "datum=")
	// Its one sub-verb by its usage on the overview.
	w.ok("anna", "hilfe", "- `/kim fall ändern <fall> [pseudonym=<pseudonym>]", "Aufnahmedatum korrigieren")
	// A reference after the verb means ändern.
	w.ok("anna", "fall K-2026-1 gruppe=eu", "Zielgruppe: Unionsbürger")
}

// A meeting corrected until it begins (day, time, title, channel) and called
// off after a dry run: the channel that had its agenda is told; nothing is
// added to it, and no agenda goes out for it.
func TestMeetingEditAndCancel(t *testing.T) {
	w := newWorld(t)
	chs := newChannels("netz", "lenkung")
	w.svc.Channels = chs
	w.ok("kora", "treffen neu 03.12.2026 14:00 Netzwerktreffen channel=~netz", "M-1")
	w.ok("kora", "tagesordnung neu M-1 Wartezeiten Jobcenter", "Punkt 1")
	w.ok("kora", "tagesordnung posten M-1", "gepostet")

	snap := w.snapshot()
	w.want("teamA", "kora", "treffen ändern M-1", kim.EINVALID, "Was soll sich an M-1 ändern?", "`datum=`")
	w.want("teamA", "kora", "treffen ändern M-1 datum=01.11.2026", kim.EINVALID, "in der Vergangenheit")
	w.want("teamA", "kora", "treffen ändern M-1 uhrzeit=14 Uhr", kim.EINVALID, "ändert sich damit nichts")
	w.want("teamA", "kora", "treffen ändern M-1 kanal=~nirgends", kim.ENOTFOUND, "~nirgends")
	w.want("teamA", "kora", "treffen ändern M-9 uhrzeit=10:00", kim.ENOTFOUND, "Kein Treffen M-9")
	w.want("teamA", "anna", "treffen ändern M-1 uhrzeit=10:00", kim.EFORBIDDEN)
	w.want("teamA", "anna", "treffen absagen M-1 bestätigen", kim.EFORBIDDEN)
	if w.snapshot() != snap {
		t.Fatal("a refused meeting correction changed something")
	}

	w.ok("kora", "treffen verschieben M-1 datum=10.12. uhrzeit=10 Uhr kanal=~lenkung",
		"Treffen **M-1** geändert: „Netzwerktreffen“ am Do., 10.12.2026, 10:00 Uhr in ~lenkung.",
		"Die Tagesordnung in ~netz zeigt noch den alten Stand", "`/kim tagesordnung posten M-1`")
	if n := w.count(`SELECT count(*) FROM meetings WHERE revision = 1 AND agenda_posted_revision = 0 AND channel_id = 'ch-lenkung'
		AND starts_at = '2026-12-10 10:00 Europe/Berlin'`); n != 1 {
		t.Fatal("the correction is not stored as a new revision with its agenda out of date")
	}
	w.ok("kora", "treffen zeige M-1", "Do., 10.12.2026, 10:00 Uhr · ~lenkung")
	// As it is said: verschieben auf … um …
	w.ok("kora", "treffen verschieben M-1 auf 11.12. um 9:30 Uhr", "am Fr., 11.12.2026, 09:30 Uhr in ~lenkung")
	w.ok("kora", "treffen verschieben M-1 auf Donnerstag", "am Do., 26.11.2026, 09:30 Uhr")
	w.ok("kora", "treffen verschieben M-1 9.12. 15 Uhr", "am Mi., 09.12.2026, 15:00 Uhr in ~lenkung") // the day and time alone
	w.ok("kora", "treffen verschieben M-1 am 10.12. um 10", "am Do., 10.12.2026, 10:00 Uhr in ~lenkung")
	w.svc.AgendaPostTime = func(m kim.Meeting, lead int) time.Time { return m.StartsAt.Add(-49 * time.Hour) }
	w.ok("kora", "treffen zeige M-1", "Die gepostete Tagesordnung zeigt noch den alten Stand; kimbot postet sie am 08.12.2026 um 09:00 Uhr automatisch neu")
	w.svc.AgendaPostTime = nil

	w.ok("kora", "treffen löschen M-1", "Absagen würde das Treffen **M-1**", "Noch ist nichts geändert") // as said, asked first
	q := w.ok("kora", "treffen absagen M-1", "Absagen würde das Treffen **M-1**", "kimbot schreibt in ~lenkung, dass es ausfällt",
		"Noch ist nichts geändert", "`/kim treffen absagen M-1 bestätigen`").Text
	if strings.Contains(q, "Aufgaben") {
		t.Errorf("the question names action items the meeting has not:\n%s", q)
	}
	if w.count(`SELECT count(*) FROM meetings WHERE cancelled_at IS NOT NULL`) != 0 || chs.last("ch-lenkung") != "" {
		t.Fatal("an unconfirmed cancel changed something")
	}
	w.ok("kora", "treffen absagen M-1 bestätigen", "Das Treffen **M-1** „Netzwerktreffen“ am Do., 10.12.2026, 10:00 Uhr ist abgesagt.",
		"In ~lenkung steht jetzt, dass es ausfällt.")
	if got := chs.last("ch-lenkung"); got != "**Abgesagt:** Das Netzwerktreffen „Netzwerktreffen“ am Do., 10.12.2026, 10:00 Uhr fällt aus." {
		t.Errorf("the channel's notice: %q", got)
	}
	snap = w.snapshot()
	w.want("teamA", "kora", "tagesordnung neu M-1 Wohnraum", kim.ECONFLICT, "M-1 ist abgesagt")
	w.want("teamA", "kora", "tagesordnung ändern M-1 1 Wohnraum", kim.ECONFLICT, "M-1 ist abgesagt")
	w.want("teamA", "kora", "tagesordnung posten M-1", kim.ECONFLICT, "M-1 ist abgesagt")
	w.want("teamA", "kora", "treffen ändern M-1 uhrzeit=11:00", kim.ECONFLICT, "M-1 ist abgesagt")
	w.want("teamA", "kora", "treffen absagen M-1 bestätigen", kim.ECONFLICT, "M-1 ist abgesagt")
	w.want("teamA", "kora", "aufgabe neu M-1 @ben Protokoll verschicken", kim.ECONFLICT, "M-1 ist abgesagt")
	if w.snapshot() != snap {
		t.Fatal("a called-off meeting was changed")
	}
	w.ok("kora", "treffen liste", "~~M-1~~", "| abgesagt |")
	w.ok("kora", "treffen", "~~M-1~~", "| abgesagt |") // the verb alone is its list
	w.ok("kora", "treffen zeige M-1", "**Abgesagt** am 23.11.2026")
	up, err := w.st.UpcomingMeetings(context.Background(), testNow, testNow.AddDate(0, 2, 0))
	if err != nil || len(up) != 0 {
		t.Errorf("a called-off meeting is still scheduled for its agenda: %v, %v", up, err)
	}
	w.wantAudits(`actor_id = 'id-kora'`, map[string]int{"meeting.edit": 5, "meeting.cancel": 1})
}

// A referral corrected (its partner — only one with consent, only while no
// outcome is recorded — or its reason) and deleted with its outcomes after
// a dry run; its number is never given again.
func TestReferralCorrection(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB gruppe=eu einwilligung=ja", "K-2026-0001")
	w.ok("anna", "einwilligung K-2026-1 erteilen jobcenter schriftlich", "Jobcenter")
	w.ok("anna", "einwilligung K-2026-1 erteilen arbeitsagentur schriftlich", "Agentur für Arbeit")
	w.ok("anna", "verweis K-2026-1 jobcenter Antrag Bürgergeld", "Verweis 1")
	w.ok("anna", "verweis K-2026-1 jobcenter Bewerbungstraining", "Verweis 2")
	w.ok("anna", "ergebnis K-2026-1 1 angenommen", "angenommen")

	snap := w.snapshot()
	w.want("teamA", "anna", "verweis ändern K-2026-1 2", kim.EINVALID, "Was soll sich an Verweis 2 von **K-2026-0001** ändern?")
	w.want("teamA", "anna", "verweis ändern K-2026-1 2 partner=jmd", kim.EFORBIDDEN, "keine Einwilligung", "jmd")
	w.want("teamA", "anna", "verweis ändern K-2026-1 1 partner=arbeitsagentur", kim.ECONFLICT, "hat schon ein Ergebnis von Jobcenter")
	w.want("teamA", "anna", "verweis ändern K-2026-1 9 Anlass", kim.ENOTFOUND, "keinen Verweis 9")
	w.want("teamA", "anna", "verweis ändern K-2026-1 2 partner=steuerberatung", kim.EINVALID, "nicht im Partnerverzeichnis")
	w.want("teamA", "ben", "verweis ändern K-2026-1 2 Anlass", kim.ENOTFOUND)
	w.want("teamA", "ben", "verweis löschen K-2026-1 2 bestätigen", kim.ENOTFOUND)
	w.ok("anna", "verweis löschen K-2026-1 1", "Gelöscht würde Verweis 1 von **K-2026-0001** an Jobcenter vom 23.11.2026 („Antrag Bürgergeld“) mit seinem Ergebnis.",
		"Noch ist nichts geändert", "`/kim verweis löschen K-2026-1 1 bestätigen`")
	if w.snapshot() != snap {
		t.Fatal("a refused or unconfirmed referral correction changed something")
	}

	w.ok("anna", "verweis ändern K-2026-1 2 Bewerbungstraining und Lebenslauf partner=arbeitsagentur",
		"Verweis 2 von **K-2026-0001** korrigiert: an Agentur für Arbeit, Anlass „Bewerbungstraining und Lebenslauf“.")
	w.ok("anna", "verweis löschen K-2026-1 1 bestätigen", "Verweis 1 von **K-2026-0001** an Jobcenter gelöscht.")
	card := w.ok("anna", "zeige K-2026-1", "| 2 | Agentur für Arbeit | 23.11.2026 | Bewerbungstraining und Lebenslauf | offen |").Text
	if strings.Contains(card, "Antrag Bürgergeld") {
		t.Errorf("the deleted referral is on the card:\n%s", card)
	}
	if n := w.count(`SELECT count(*) FROM referral_outcomes`); n != 0 {
		t.Errorf("%d outcomes of the deleted referral left", n)
	}
	w.ok("anna", "verweis K-2026-1 jobcenter Antrag Bürgergeld", "Verweis 3") // 1 is not given again
	w.wantAudits(`case_ref = 'K-2026-0001'`, map[string]int{"referral.edit": 1, "referral.delete": 1})
}

// A consent corrected (form, day — not after a referral made under it) and
// one recorded by mistake deleted after a dry run — not while a referral
// relies on it, never the consent to processing.
func TestConsentCorrection(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB gruppe=eu einwilligung=ja datum=16.11.2026", "K-2026-0001")
	w.ok("anna", "einwilligung K-2026-1 erteilen jobcenter schriftlich datum=18.11.2026", "Jobcenter")
	w.ok("anna", "einwilligung K-2026-1 erteilen jugendamt schriftlich", "Jugendamt")
	w.ok("anna", "verweis K-2026-1 jobcenter Antrag Bürgergeld", "Verweis 1") // on 23.11.

	snap := w.snapshot()
	w.want("teamA", "anna", "einwilligung ändern K-2026-1 jobcenter", kim.EINVALID, "`form=` oder `datum=`")
	w.want("teamA", "anna", "einwilligung ändern K-2026-1 jobcenter datum=24.11.2026", kim.EINVALID, "in der Zukunft")
	w.want("teamA", "anna", "einwilligung ändern K-2026-1 jobcenter datum=10.11.2026", kim.EINVALID, "vor der Eröffnung")
	w.want("teamA", "anna", "einwilligung ändern K-2026-1 verarbeitung datum=20.11.2026", kim.EINVALID, "`/kim fall ändern K-2026-0001 datum=…`")
	w.want("teamA", "anna", "einwilligung ändern K-2026-1 mbe form=mündlich", kim.ECONFLICT, "keine Einwilligung")
	w.want("teamA", "anna", "einwilligung löschen K-2026-1 jobcenter bestätigen", kim.ECONFLICT, "stützt sich Verweis 1", "`/kim verweis löschen K-2026-0001 1`")
	w.want("teamA", "anna", "einwilligung löschen K-2026-1 verarbeitung bestätigen", kim.ECONFLICT, "Ohne Einwilligung in die Verarbeitung")
	w.want("teamA", "ben", "einwilligung löschen K-2026-1 jugendamt bestätigen", kim.ENOTFOUND)
	w.ok("anna", "einwilligung löschen K-2026-1 jugendamt", "Gelöscht würde die Einwilligung für Jugendamt", "Noch ist nichts geändert",
		"`/kim einwilligung löschen K-2026-1 jugendamt bestätigen`")
	if w.snapshot() != snap {
		t.Fatal("a refused or unconfirmed consent correction changed something")
	}

	w.ok("anna", "einwilligung ändern K-2026-1 jobcenter form=mündlich datum=20.11.2026",
		"Einwilligung in **K-2026-0001** korrigiert: Jobcenter (mündlich, 20.11.2026).")
	w.ok("anna", "einwilligung ändern K-2026-1 verarbeitung form=mündlich", "korrigiert: Verarbeitung (mündlich, 16.11.2026)")
	w.ok("anna", "einwilligung löschen K-2026-1 jugendamt bestätigen", "Einwilligung für Jugendamt in **K-2026-0001** gelöscht.")
	card := w.ok("anna", "zeige K-2026-1", "Einwilligung: Verarbeitung (mündlich, 16.11.2026); Jobcenter (mündlich, 20.11.2026)").Text
	if strings.Contains(card, "Jugendamt") {
		t.Errorf("the deleted consent is on the card:\n%s", card)
	}
	w.want("teamA", "anna", "verweis K-2026-1 jugendamt Kita-Platz", kim.EFORBIDDEN, "keine Einwilligung")
	w.wantAudits(`case_ref = 'K-2026-0001'`, map[string]int{"consent.edit": 2, "consent.delete": 1})
}

// The day of the latest Rechtskreiswechsel corrected by the rules of
// recording one; its open steps move by as many days, its done ones stay,
// and a step done before the new day refuses it.
func TestDomainChangeMove(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB gruppe=Geflüchtete rechtskreis=AsylbLG einwilligung=ja datum=02.11.2026", "K-2026-0001")
	w.ok("anna", "rechtskreis K-2026-1 SGB II seit 16.11.2026", "AsylbLG → SGB II seit 16.11.2026")
	w.ok("anna", "schritt K-2026-1 1 erledigt datum=18.11.2026", "erledigt")
	dues := func() string {
		t.Helper()
		var s string
		if err := w.st.Pool().QueryRow(t.Context(), `SELECT string_agg(n || ':' || status || ':' || due_on, ' ' ORDER BY n)
			FROM transition_steps`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := dues()

	snap := w.snapshot()
	w.want("teamA", "anna", "rechtskreis ändern K-2026-1", kim.EINVALID, "`seit=<datum>`")
	w.want("teamA", "anna", "rechtskreis ändern K-2026-1 seit=16.11.2026", kim.EINVALID, "schon vom 16.11.2026")
	w.want("teamA", "anna", "rechtskreis ändern K-2026-1 seit=20.11.2026", kim.EINVALID, "Schritt 1 von **K-2026-0001** ist am 18.11.2026 erledigt")
	w.want("teamA", "anna", "rechtskreis ändern K-2026-1 seit=01.11.2026", kim.EINVALID, "vor der Aufnahme", "`/kim rechtskreis löschen K-2026-0001`", "`/kim fall ändern K-2026-0001 rechtskreis=SGB II`")
	w.want("teamA", "anna", "rechtskreis ändern K-2026-1 seit=morgen", kim.EINVALID, "in der Zukunft")
	w.want("teamA", "ben", "rechtskreis ändern K-2026-1 seit=09.11.2026", kim.ENOTFOUND)
	if w.snapshot() != snap || dues() != before {
		t.Fatal("a refused correction of the change's day changed something")
	}

	w.ok("anna", "rechtskreis ändern K-2026-1 seit 09.11.2026",
		"Rechtskreiswechsel von **K-2026-0001** (AsylbLG → SGB II) korrigiert: seit 09.11.2026 statt 16.11.2026.", "Die offenen Schritte (7) rücken mit")
	want := []string{}
	for i, f := range strings.Fields(before) {
		p := strings.Split(f, ":")
		d, err := time.Parse("2006-01-02", p[2])
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 { // step 1 is done: it stays
			d = d.AddDate(0, 0, -7)
		}
		want = append(want, p[0]+":"+p[1]+":"+d.Format("2006-01-02"))
	}
	if got := dues(); got != strings.Join(want, " ") {
		t.Errorf("steps after the correction:\n%s\nwant\n%s", got, strings.Join(want, " "))
	}
	w.ok("anna", "zeige K-2026-1", "AsylbLG → SGB II seit 09.11.2026")
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'domain.edit'`); n != 1 {
		t.Errorf("domain.edit audit rows: %d, want 1", n)
	}
}

// A goal checked off by mistake, reached or dropped, is open again: in the
// digest's due items and the report's counts as before, audited.
func TestGoalReopen(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("anna", "ziel AB Sprache B1-Kurs fällig=15.12.2026", "Ziel 1")
	w.ok("anna", "ziel AB Arbeit Praktikum", "Ziel 2")
	if rep := w.ok("anna", "ziel erreicht AB 1", "Ziel 1 von **K-2026-0001** erreicht"); strings.Contains(rep.Text, "abschließen") {
		t.Errorf("goal 2 is open, yet the answer suggests closing the case:\n%s", rep.Text)
	}
	w.want("teamA", "anna", "ziel erreicht AB 1", kim.ECONFLICT, "schon erreicht", "Wieder öffnen: `/kim ziel offen K-2026-0001 1`")
	if n := w.count(`SELECT count(*) FROM goals WHERE status = 'done' AND closed_on IS NOT NULL`); n != 1 {
		t.Fatalf("reached goals: %d", n)
	}
	w.ok("anna", "ziel offen AB 1", "Ziel 1 von **K-2026-0001** ist wieder offen: B1-Kurs")
	if n := w.count(`SELECT count(*) FROM goals WHERE n = 1 AND status = 'open' AND closed_on IS NULL AND due_on = '2026-12-15'`); n != 1 {
		t.Fatalf("goal 1 not open again with its due date")
	}
	w.want("teamA", "anna", "ziel offen AB 1", kim.ECONFLICT, "Ziel 1 von **K-2026-0001** ist offen.")
	w.ok("anna", "ziel verwerfen AB 2", "verworfen")
	w.want("teamA", "ben", "goal drop K-2026-0001 2", kim.ENOTFOUND) // not ben's case
	w.want("teamA", "ben", "goal reopen K-2026-0001 2", kim.ENOTFOUND)
	w.want("teamA", "anna", "goal drop K-2026-0001 2", kim.ECONFLICT, "Versehentlich? Wieder öffnen: `/kim ziel offen K-2026-0001 2`")
	w.ok("anna", "ziel öffnen AB 2", "wieder offen")
	w.ok("anna", "show AB", "| 1 | Sprache | B1-Kurs | 15.12.2026 | offen |", "| 2 | Arbeit | Praktikum | – | offen |")
	w.wantAudits("true", map[string]int{"goal.done": 1, "goal.drop": 1, "goal.reopen": 2})

	// Several goals in one line: all or none.
	w.ok("anna", "ziel erreicht AB 1 und 2", "Ziel 1 von **K-2026-0001** erreicht", "Ziel 2 von **K-2026-0001** erreicht",
		"Damit ist kein Ziel mehr offen", "`/kim abschließen K-2026-0001 ziele erreicht`")
	w.ok("anna", "ziel neu AB Wohnen Wohnung suchen", "Ziel 3")
	snap := w.snapshot()
	w.want("teamA", "anna", "ziel erreicht K-2026-0001 3, 2", kim.ECONFLICT, "Ziel 2 ist schon erreicht", "Keines der Ziele 2 und 3 ist geändert.")
	w.want("teamA", "anna", "ziel verwerfen K-2026-0001 3 4", kim.ENOTFOUND, "Keines der Ziele 3 und 4 ist geändert.")
	if w.snapshot() != snap {
		t.Fatal("a refused list of goals changed something")
	}
	w.ok("anna", "ziel offen AB 1-2", "Ziel 1 von **K-2026-0001** ist wieder offen", "Ziel 2 von **K-2026-0001** ist wieder offen")
	w.wantAudits("true", map[string]int{"goal.done": 2, "goal.drop": 1, "goal.reopen": 3})
}

// A correction shows the text it replaced, with the line that puts it back:
// a correction of the wrong record loses nothing.
func TestCorrectionShowsWhatItReplaced(t *testing.T) {
	w := newWorld(t)
	const k = "K-2026-0001"
	w.ok("anna", "open AB group=eu consent=yes datum=20.11.2026", k)
	w.ok("anna", "kontakt AB telefon Anruf wegen Kita", "Kontakt 1")
	w.ok("anna", "kontakt AB telefon Termin passt", "Kontakt 2")
	rep := w.ok("anna", "kontakt ändern AB 1 Neuer Text", "Vorher stand da: „Anruf wegen Kita“",
		"falls der falsche Eintrag: `/kim kontakt ändern "+k+" 1 \"Anruf wegen Kita\"`")
	undo := regexp.MustCompile("`(/kim [^`]*)`").FindStringSubmatch(rep.Text[strings.Index(rep.Text, "Vorher"):])[1]
	w.ok("anna", strings.TrimPrefix(undo, "/kim "), "Vorher stand da: „Neuer Text“")
	if n := w.count(`SELECT count(*) FROM contacts WHERE n = 1`); n != 1 {
		t.Fatal("contact 1 gone")
	}
	w.ok("anna", "zeige AB", "Anruf wegen Kita")
	w.ok("anna", "kontakt ändern AB 2 Termin passt nicht", "Vorher stand da: „Termin passt“")
	w.ok("anna", "kontakt ändern AB 2 minuten=15", "Kontakt 2")
	if rep := w.ok("anna", "kontakt ändern AB 2 Termin passt nicht", "Kontakt 2"); strings.Contains(rep.Text, "Vorher") {
		t.Errorf("the same note again replaced nothing:\n%s", rep.Text)
	}
	w.ok("anna", "ziel AB Arbeit Praktikum finden", "Ziel 1")
	w.ok("anna", "ziel ändern AB 1 Ausbildung finden", "Vorher stand da: „Praktikum finden“", "`/kim ziel ändern "+k+" 1 \"Praktikum finden\"`")
	w.ok("anna", "einwilligung AB erteilen jobcenter", "Jobcenter")
	w.ok("anna", "verweis AB jobcenter Antrag Bürgergeld", "Verweis 1")
	w.ok("anna", "verweis ändern AB 1 Antrag auf Bürgergeld", "Vorher stand da: „Antrag Bürgergeld“", "`/kim verweis ändern "+k+" 1 \"Antrag Bürgergeld\"`")
	w.ok("anna", `einschätzung AB sprache=2 notiz="Kurs fehlt"`, "Einschätzung")
	w.ok("anna", "einschätzung ändern AB 1 notiz Kurs gefunden", "Vorher stand da: „Kurs fehlt“", "`/kim einschätzung ändern "+k+" 1 notiz=\"Kurs fehlt\"`")
	w.ok("ben", "open CD group=eu consent=yes", "K-2026-0002")
	w.ok("ben", "contact K-2026-0002 phone Call", "Contact 1")
	w.ok("ben", "contact edit K-2026-0002 1 Called back", "It said before: “Call”", "`/kim contact edit K-2026-0002 1 \"Call\"`")
}

// A replaced text is offered back in quotes it can be typed in, or not at all.
func TestQuotedText(t *testing.T) {
	for in, want := range map[string]string{`Anruf`: `"Anruf"`, `Sagt: "ok"`: `„Sagt: "ok"“`, "a `b`": "", `„x“ und "y"`: "",
		"zwei\nZeilen": "", strings.Repeat("x", 1001): ""} {
		if got, ok := quotedText(in); got != want || ok != (want != "") {
			t.Errorf("quotedText(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// wantAudits checks the number of audit rows per action among those the
// SQL condition where selects.
func (w *world) wantAudits(where string, want map[string]int) {
	w.t.Helper()
	for action, n := range want {
		if got := w.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND `+where, action); got != n {
			w.t.Errorf("audit rows %s: %d, want %d", action, got, n)
		}
	}
}

// The line an answer offers as a button (Reply.Run) is exactly the line it
// shows: the confirmation of a delete or a handover, the suggested line of
// a refusal. Erasing a case (directly, by revoking the consent to
// processing, or by a shorter retention) is confirmed only by typing; a
// suggestion too long to be shown whole offers none.
func TestRunOffered(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes datum=01.11.2026")
	w.run("teamA", "anna", "abschliessen AB verzogen")
	w.ok("anna", "wiederaufnehmen AB")
	w.ok("anna", "kontakt AB telefon Rückruf")
	for line, want := range map[string]string{
		"kontakt löschen AB 1":                    "kontakt löschen K-2026-0001 1 bestätigen",
		"übergeben AB @ben":                       "übergeben K-2026-0001 @ben bestätigen",
		"transfer AB @ben":                        "transfer K-2026-0001 @ben bestätigen", // the confirming word of the caller's language
		"schritt erledigt AB 1":                   "schritt AB 1 erledigt",
		"erase AB":                                "",
		"löschen AB":                              "",
		"einwilligung AB verarbeitung widerrufen": "",
		"kontakt AB telefon Rückruf":              "",
		"anruf AB " + strings.Repeat("sehr lange Notiz ", 6): "",                           // shown clipped: no button
		"kontakt AB telfon Rückruf":                          "kontakt AB Telefon Rückruf", // a slip of a choice
		"kontak AB telefon Rückruf":                          "kontakt AB telefon Rückruf", // a slip of the verb
		"kontakt löschen AB 1 bestätgen":                     "",                           // suggested, but a confirmation: asked first, no button
		"kontakt AB 1 löschen bestätigen":                    "",
	} {
		rep := w.run("teamA", "anna", line)
		if got := offered(rep); got != want {
			t.Errorf("%s: offers %q, want %q (%s)", line, got, want, rep.Text)
		}
		if want != "" && !strings.Contains(rep.Text, want) {
			t.Errorf("%s: offers %q, which the answer does not show:\n%s", line, want, rep.Text)
		}
	}
	w.ok("anna", "open CD group=eu consent=yes datum=01.09.2026")
	w.ok("anna", "abschliessen CD verzogen")
	if _, err := w.st.Pool().Exec(context.Background(), `UPDATE cases SET closed_on = '2026-09-01' WHERE ref = 'K-2026-0002'`); err != nil {
		t.Fatal(err)
	}
	// A shorter retention that erases the case closed long ago: asked, and confirmed only by typing.
	if rep := w.ok("root", "admin vorgaben aufbewahrung=1m", "`/kim admin vorgaben aufbewahrung=1m bestätigen`"); len(rep.Offers) != 0 {
		t.Errorf("a shorter retention offers a button: %q", rep.Offers)
	}
	// A question with two answers offers both.
	w.ok("anna", "open EF group=refugee domain=AsylbLG consent=yes")
	w.ok("anna", "rechtskreis EF SGB II", "8 Schritte")
	rep := w.ok("anna", "rechtskreis EF SGB III", "Noch ist nichts geändert")
	if len(rep.Offers) != 2 || rep.Offers[0].Line != "rechtskreis EF SGB III bestätigen" || rep.Offers[1].Line != "rechtskreis EF SGB III behalten" ||
		!strings.Contains(rep.Offers[0].Label, "schließen") || !strings.Contains(rep.Offers[1].Label, "behalten") {
		t.Errorf("the open steps' question offers %+v:\n%s", rep.Offers, rep.Text)
	}
	for _, o := range rep.Offers {
		if !strings.Contains(rep.Text, "`/kim "+o.Line+"`") {
			t.Errorf("offers %q, which the answer does not show:\n%s", o.Line, rep.Text)
		}
	}
	// A barrier's draft: confirm it as shown, or discard it (which asks first), in either language.
	for user, want := range map[string][2]string{
		"anna": {"hindernis bestätigen K-2026-0001 1", "hindernis löschen K-2026-0001 1"},
		"ben":  {"barrier confirm K-2026-0004 1", "barrier delete K-2026-0004 1"},
	} {
		if user == "ben" {
			w.ok("ben", "open GH group=eu consent=yes", "K-2026-0004")
		}
		ref := map[string]string{"anna": "AB", "ben": "GH"}[user]
		rep := w.ok(user, "hindernis "+ref+" jobcenter Termine erst nach 8 Wochen", "Termine erst nach 8 Wochen")
		if len(rep.Offers) != 2 || rep.Offers[0].Line != want[0] || rep.Offers[1].Line != want[1] {
			t.Errorf("%s: the draft offers %+v, want %q", user, rep.Offers, want)
		}
		for _, o := range rep.Offers {
			if !strings.Contains(rep.Text, "`/kim "+o.Line+"`") {
				t.Errorf("%s: offers %q, which the draft does not show:\n%s", user, o.Line, rep.Text)
			}
		}
	}
}

// offered is the line of an answer's one offer, "" when it has none.
func offered(rep Reply) string {
	if len(rep.Offers) == 0 {
		return ""
	}
	return rep.Offers[0].Line
}
