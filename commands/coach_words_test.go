package commands

import (
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// A coach's day typed as coaches type it: a shortened reference, the
// partner's name with its umlauts, dates as "gestern" and 31.3.27, a form
// word without its option name, an option without its "=", a goal without
// "neu". Each is stored as meant, which the card shows afterwards.
func TestCoachesOwnWords(t *testing.T) {
	w := newWorld(t) // Monday 23.11.2026
	w.ok("anna", "neu AB gruppe=Geflüchtete einwilligung=ja datum 16.11.2026", "K-2026-0001")

	w.ok("anna", "zeige K-2026-1", "K-2026-0001 · AB")
	w.ok("anna", "kontakt k-2026-1 telefon Termin beim Jobcenter besprochen datum gestern minuten 20",
		"Kontakt zu **K-2026-0001** gespeichert: Telefon, 22.11.2026, 20 Minuten.")
	w.ok("anna", "einwilligung K-2026-1 erteilen Ausländerbehörde mündlich", "Ausländerbehörde (mündlich, 23.11.2026)")
	w.ok("anna", "verweis K-2026-1 Ausländerbehörde Aufenthaltstitel verlängern", "Verweis 1 von **K-2026-0001** an Ausländerbehörde")
	w.ok("anna", "einwilligung K-2026-1 erteilen Jugendmigrationsdienst schriftlich", "Jugendmigrationsdienst (JMD) (schriftlich")
	w.want("teamA", "anna", "verweis K-2026-1 Agentur Beratung zur Arbeitssuche", kim.EFORBIDDEN, "Für Agentur für Arbeit ist in K-2026-0001 keine Einwilligung")
	w.ok("anna", "ziel K-2026-1 Wohnung eigene Wohnung finden bis 31.3.27", "Ziel 1 von **K-2026-0001** (Wohnen): eigene Wohnung finden – bis 31.03.2027")
	w.ok("anna", "ziel erledigt K-2026-1 1", "Ziel 1 von **K-2026-0001** erreicht")
	w.ok("anna", "rechtskreis K-2026-1 Bürgergeld seit 17.11.2026", "keiner → SGB II seit 17.11.2026")
	w.ok("anna", "termin K-2026-1 monitoring morgen", "24.11.2026")

	card := w.ok("anna", "zeige K-2026-0001").Text
	for _, want := range []string{"| 22.11.2026 | Telefon | 20 | Termin beim Jobcenter besprochen |", "Ausländerbehörde", "eigene Wohnung finden",
		"Rechtskreis: SGB II", "Monitoring 24.11.2026"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	if n := w.count(`SELECT count(*) FROM referrals r JOIN partners p ON p.id = r.partner_id WHERE p.key = 'auslaenderbehoerde'`); n != 1 {
		t.Errorf("referrals to auslaenderbehoerde: %d", n)
	}
	if n := w.count(`SELECT count(*) FROM consents k JOIN partners p ON p.id = k.partner_id WHERE p.key = 'auslaenderbehoerde' AND k.form = 'oral'`); n != 1 {
		t.Errorf("oral consents for auslaenderbehoerde: %d", n)
	}

	// What is still not a value is refused and changes nothing.
	before := w.snapshot()
	w.want("teamA", "anna", "verweis K-2026-1 Ausländeramt Termin", kim.EINVALID, "auslaenderbehoerde")
	w.want("teamA", "anna", "termin K-2026-1 monitoring nächste Woche", kim.EINVALID)
	w.want("teamA", "anna", "zeige K-26-1", kim.EINVALID, "kein Aktenzeichen")
	if w.snapshot() != before {
		t.Fatal("a refused line changed the database")
	}
}
