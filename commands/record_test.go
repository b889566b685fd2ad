package commands

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// The card keeps the whole record: every outcome of a referral with its
// day and note, the referral's reason, the newest contacts with a way to
// all of them, which /kim kontakte pages through.
func TestCardRecord(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes", "K-2026-0001")
	w.ok("anna", "einwilligung K-2026-0001 erteilen jobcenter")
	w.ok("anna", "verweis K-2026-0001 jobcenter \"Antrag auf Bürgergeld\"")
	w.ok("anna", "ergebnis K-2026-0001 1 angenommen \"Termin am 02.12.\"")
	w.at(2026, 11, 25)
	w.ok("anna", "ergebnis K-2026-0001 1 nicht-erschienen")
	w.at(2026, 11, 26)
	w.ok("anna", "ergebnis K-2026-0001 1 erledigt bewilligt")
	w.at(2026, 12, 1)
	for i := 1; i <= 12; i++ {
		w.ok("anna", fmt.Sprintf("kontakt K-2026-0001 telefon minutes=%d date=%02d.11.2026 Anruf %d", i, 23+i/2, i))
	}
	w.ok("anna", "zeige K-2026-0001", "| 1 | Jobcenter | 23.11.2026 | Antrag auf Bürgergeld | abgeschlossen | – |",
		"Verlauf Verweis 1: 23.11.2026 angenommen („Termin am 02.12.“) → 25.11.2026 nicht erschienen → 26.11.2026 abgeschlossen („bewilligt“)",
		"**Letzte Kontakte** (3 von 12; alle: `/kim kontakte K-2026-0001`)", "| 12 | 29.11.2026 | Telefon | 12 | Anruf 12 |",
		"| 11 | 28.11.2026 | Telefon | 11 | Anruf 11 |")
	rep := w.ok("anna", "kontakte K-2026-0001", "**Kontakte von K-2026-0001**, neueste zuerst: 1–10 von 12 (Seite 1 von 2)",
		"| 12 | 29.11.2026 |", "Weiter: `/kim kontakte K-2026-0001 seite=2`")
	if strings.Contains(rep.Text, "| 1 | 23.11.2026") {
		t.Errorf("page 1 shows the oldest contact:\n%s", rep.Text)
	}
	rep = w.ok("anna", "kontakte K-2026-0001 seite=2", "11–12 von 12 (Seite 2 von 2)", "| 2 | 24.11.2026 | Telefon | 2 | Anruf 2 |",
		"| 1 | 23.11.2026 | Telefon | 1 | Anruf 1 |")
	if strings.Contains(rep.Text, "Weiter") {
		t.Errorf("the last page offers a next one:\n%s", rep.Text)
	}
	w.want("teamA", "anna", "kontakte K-2026-0001 seite=3", kim.EINVALID, "Seite 3 gibt es nicht", "12 Kontakte auf 2 Seiten")
	w.want("teamA", "ben", "contacts K-2026-0001", kim.ENOTFOUND)
	w.ok("ben", "open CD group=eu consent=yes", "K-2026-0002")
	w.ok("ben", "contacts K-2026-0002 page=1", "No contact of **K-2026-0002** yet")

	// A partial re-assessment hides nothing: every field keeps its latest score and day.
	w.ok("anna", "einschaetzung K-2026-0001 language=2 work=1 health=3 date=24.11.2026")
	w.at(2026, 12, 3)
	w.ok("anna", "einschaetzung K-2026-0001 work=2", "Re-Assessment 2")
	w.ok("anna", "zeige K-2026-0001", "zuletzt Re-Assessment 2 vom 03.12.2026", "| Sprache | 2 | 24.11.2026 | – |",
		"| Arbeit | 2 | 03.12.2026 | +1 ↑ |", "| Gesundheit | 3 | 24.11.2026 | – |")
}

// A case opened with its real intake date (up to 90 days back) accepts
// contacts, assessments and consents from that day on, and its first dates
// count from it; an intake further back or in the future is refused and
// opens nothing.
func TestBackdatedIntake(t *testing.T) {
	w := newWorld(t)
	w.want("teamA", "anna", "neu AB group=refugee consent=ja date=24.08.2026", kim.EINVALID,
		"Das Aufnahmedatum 24.08.2026 liegt mehr als 90 Tage zurück; frühestens 25.08.2026.")
	w.want("teamA", "anna", "neu AB group=refugee consent=ja datum=24.11.2026", kim.EINVALID, "24.11.2026", "Zukunft")
	if n := w.count(`SELECT count(*) FROM cases`); n != 0 {
		t.Fatalf("refused opens stored %d cases", n)
	}
	w.ok("anna", "neu AB group=refugee consent=ja datum=02.11.2026", "Fall **K-2026-0001** (AB) ist angelegt, Aufnahme am 02.11.2026",
		"Erste Einschätzung fällig am 16.11.2026, Monitoring am 30.11.2026")
	w.ok("anna", "zeige K-2026-0001", "Phase: Einschätzung", "Monitoring 30.11.2026", "Einschätzung **16.11.2026** ⏰",
		"Verarbeitung (schriftlich, 02.11.2026)")
	w.ok("anna", "faelle faellig", "K-2026-0001")
	w.want("teamA", "anna", "kontakt K-2026-0001 telefon date=01.11.2026 vorher", kim.EINVALID, "vor der Eröffnung", "02.11.2026")
	w.ok("anna", "kontakt K-2026-0001 persoenlich date=02.11.2026 Erstgespräch", "Monitoring: 30.11.2026")
	w.ok("anna", "einschaetzung K-2026-0001 language=2 date=05.11.2026", "Nächstes Re-Assessment: 05.05.2027")
	w.ok("anna", "einwilligung K-2026-0001 erteilen jobcenter date=03.11.2026", "Jobcenter")
	// The reference counts in the year of the intake.
	w.at(2027, 1, 10)
	w.ok("anna", "neu CD group=eu consent=ja date=30.12.2026", "K-2026-0002", "Aufnahme am 30.12.2026")
	w.ok("anna", "neu EF group=eu consent=ja", "K-2027-0001", "ist angelegt. Erste")
}
