package commands

import (
	"testing"

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
		"/kim kontakt löschen K-2026-0001 2 bestaetigen")
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
	w.ok("anna", "einschaetzung K-2026-0001 language=2 work=1 date=15.11.2026", "15.05.2027")
	w.ok("anna", "einschaetzung K-2026-0001 language=4 date=20.11.2026", "20.05.2027")
	snap = w.snapshot()
	w.ok("anna", "einschätzung löschen K-2026-0001 2", "Gelöscht würde Einschätzung 2 von **K-2026-0001** vom 20.11.2026",
		"am 15.05.2027 fällig", "Noch ist nichts geändert")
	if w.snapshot() != snap {
		t.Fatal("an unconfirmed delete changed something")
	}
	w.want("teamA", "anna", "einschaetzung loeschen K-2026-0001 5 bestaetigen", kim.ENOTFOUND, "keine Einschätzung 5")
	w.ok("anna", "einschaetzung loeschen K-2026-0001 2 bestaetigen", "Einschätzung 2 von **K-2026-0001** vom 20.11.2026 gelöscht",
		"Einschätzung: 15.05.2027")
	w.ok("anna", "zeige K-2026-0001", "| Sprache | 2 |")
	w.ok("anna", "einschaetzung loeschen K-2026-0001 1 bestaetigen", "Einschätzung: **16.11.2026**")
	if n := w.count(`SELECT count(*) FROM assessment_scores`); n != 0 {
		t.Errorf("scores left: %d", n)
	}

	// Goals.
	w.ok("anna", "ziel neu K-2026-0001 arbeit Praktikum finden", "Ziel 1")
	w.ok("anna", "ziel neu K-2026-0001 sprache B1-Kurs", "Ziel 2")
	w.ok("anna", "ziel ändern K-2026-0001 1 Praktikum im Handwerk finden", "Ziel 1 von **K-2026-0001** geändert: Praktikum im Handwerk finden")
	w.want("teamA", "ben", "goal edit K-2026-0001 1 fremd", kim.ENOTFOUND)
	w.want("teamA", "anna", "ziel aendern K-2026-0001 7 x", kim.ENOTFOUND, "kein Ziel 7")
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
	for action, n := range map[string]int{"contact.delete": 2, "contact.edit": 1, "assessment.delete": 2, "goal.edit": 1, "goal.delete": 1,
		"referral.outcome-edit": 1, "referral.outcome-delete": 2} {
		if got := w.count(`SELECT count(*) FROM audit_log l JOIN cases c ON c.id = l.case_id
			WHERE l.action = $1 AND l.actor_id = 'id-anna' AND l.case_ref = 'K-2026-0001' AND c.ref = 'K-2026-0001'`, action); got != n {
			t.Errorf("audit rows %s: %d, want %d", action, got, n)
		}
	}
	w.ok("root", "admin protokoll K-2026-0001", "Kontakt gelöscht", "Kontakt korrigiert", "Einschätzung gelöscht", "Ziel geändert", "Ziel gelöscht",
		"Verweisergebnis korrigiert", "Verweisergebnis gelöscht")
	w.ok("anna", "hilfe kontakt", "/kim kontakt aendern <fall> <nr>", "/kim kontakt loeschen <fall> <nr>")
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
	w.ok("kora", "tagesordnung ändern M-1 2 Wohnraum für Großfamilien", "Punkt 2 der Tagesordnung von M-1 geändert: Wohnraum für Großfamilien")
	w.want("teamA", "anna", "tagesordnung aendern M-1 2 x", kim.EFORBIDDEN)
	w.want("teamA", "kora", "tagesordnung loeschen M-1 9", kim.ENOTFOUND, "keinen Tagesordnungspunkt 9")
	before := w.count(`SELECT count(*) FROM agenda_items`)
	w.ok("kora", "tagesordnung löschen M-1 1", "Gelöscht würde Punkt 1 der Tagesordnung von M-1: Wartezeiten Jobcenter", "rücken eine Nummer vor",
		"Noch ist nichts geändert", "/kim tagesordnung löschen M-1 1 bestaetigen")
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
	for action, n := range map[string]int{"agenda.edit": 1, "agenda.delete": 1, "action.edit": 2, "action.delete": 1} {
		if got := w.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = 'id-kora' AND case_id IS NULL`, action); got != n {
			t.Errorf("audit rows %s: %d, want %d", action, got, n)
		}
	}
}
