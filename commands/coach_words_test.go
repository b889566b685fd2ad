package commands

import (
	"fmt"
	"regexp"
	"strconv"
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
		"Kontakt 1 zu **K-2026-0001** gespeichert: Telefon, 22.11.2026, 20 Minuten.")
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
	// A duration at the start of the note is only text; the answer says how it counts.
	if rep := w.ok("anna", "kontakt K-2026-1 telefon 20min Rückruf wegen Termin", "Kontakt 2 zu", "Die Dauer steht nur in der Notiz", "`minuten=20`",
		"`/kim kontakt ändern K-2026-0001 2 minuten=20`"); strings.Contains(rep.Text, "20 Minuten") {
		t.Errorf("minutes counted from the note:\n%s", rep.Text)
	}
	if rep := w.ok("anna", "kontakt K-2026-1 telefon 20min Rückruf minuten 20", "20 Minuten"); strings.Contains(rep.Text, "nur in der Notiz") {
		t.Errorf("the hint although the minutes were given:\n%s", rep.Text)
	}
	// A follow-up in words at the end of the line: 2 Wochen, 10 Tage; inside the reason it stays text.
	w.ok("anna", "verweis K-2026-1 Ausländerbehörde Termin zur Verlängerung nachfassen 10 Tage", "Verweis 2", "Nachfassen am 03.12.2026")
	w.ok("anna", "verweis K-2026-1 Ausländerbehörde Unterlagen nachreichen nachfassen 2 Wochen", "Verweis 3", "Nachfassen am 07.12.2026")
	w.ok("anna", "verweis K-2026-1 Ausländerbehörde seit 2 Wochen kein Termin", "Verweis 4")
	// … and with its "=", in the middle of the line too.
	w.ok("anna", "verweis K-2026-1 Ausländerbehörde nachfassen=2 Wochen Aufenthaltserlaubnis", "Verweis 5", "Nachfassen am 07.12.2026")
	w.ok("anna", "verweis K-2026-1 Ausländerbehörde Fiktionsbescheinigung nachfassen=3 Tage", "Verweis 6", "Nachfassen am 26.11.2026")
	card = w.ok("anna", "zeige K-2026-1").Text
	for _, want := range []string{"| Termin zur Verlängerung | offen | 03.12.2026 |", "| Unterlagen nachreichen | offen | 07.12.2026 |", "| seit 2 Wochen kein Termin |",
		"| Aufenthaltserlaubnis | offen | 07.12.2026 |", "| Fiktionsbescheinigung | offen | 26.11.2026 |"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	// A day at the start of the note is only text too: the contact is dated today, the answer says how to date it.
	rep := w.ok("anna", "kontakt K-2026-1 telefon Gestern, Rückruf der Schule", "Kontakt 4 zu", "Telefon, 23.11.2026", "„gestern“ steht nur in der Notiz",
		"`datum=gestern`", "`/kim kontakt ändern K-2026-0001 4 datum=gestern`")
	if strings.Contains(rep.Text, "22.11.2026") {
		t.Errorf("the contact dated from the note:\n%s", rep.Text)
	}
	// The correction it suggests, typed as shown, dates that very contact.
	w.ok("anna", "kontakt ändern K-2026-0001 4 datum=gestern", "Kontakt 4 von **K-2026-0001** korrigiert: Telefon, 22.11.2026")
	w.ok("anna", "kontakte K-2026-1", "22.11.2026", "Gestern, Rückruf der Schule")
	for _, line := range []string{"kontakt K-2026-1 telefon gestern Rückruf datum gestern", "kontakt K-2026-1 telefon Gesternabend besprochen"} {
		if rep := w.ok("anna", line, "gespeichert"); strings.Contains(rep.Text, "nur in der Notiz") {
			t.Errorf("%s: the hint although the date was given or the note has no day:\n%s", line, rep.Text)
		}
	}
	// Dates in words: Ende Januar, Mitte Februar 2027, Anfang Februar; a time in a goal's text
	// that is no date stays text, and the answer says the goal has no due date.
	w.ok("anna", "ziel K-2026-1 Gesundheit Termin beim Facharzt bis Ende Januar", "(Gesundheit): Termin beim Facharzt – bis 31.01.2027.")
	w.ok("anna", "ziel K-2026-1 Sprache B1-Kurs anmelden fällig=Mitte Februar 2027", "B1-Kurs anmelden – bis 15.02.2027.")
	w.ok("anna", "termin K-2026-1 monitoring Anfang nächster Woche", "Monitoring: 30.11.2026")
	w.ok("anna", "termin K-2026-1 einschätzung KW 3", "Einschätzung: 18.01.2027")
	if rep := w.ok("anna", "termin K-2026-1 einschätzung 19.1.", "Einschätzung: 19.01.2027"); strings.Contains(rep.Text, "Arbeitstag") {
		t.Errorf("a Tuesday taken for no working day:\n%s", rep.Text)
	}
	// A date by hand on no working day says when the digest brings it.
	w.ok("anna", "termin K-2026-1 monitoring 10.1.", "Der 10.01.2027 ist ein Sonntag; die Tagesübersicht bringt den Termin am nächsten Arbeitstag, dem 11.01.2027.")
	w.ok("anna", "termin K-2026-1 monitoring 25.12.", "Der 25.12.2026 ist ein Feiertag in NRW (Weihnachtstag)", "dem 28.12.2026")
	if rep := w.ok("anna", "ziel K-2026-1 Arbeit Praktikum finden bis zum Sommer", "Ziel 4", "Praktikum finden bis zum Sommer.",
		"„bis zum Sommer“ steht nur im Text", "`/kim ziel ändern K-2026-0001 4 fällig=<datum>`"); strings.Contains(rep.Text, "– bis") {
		t.Errorf("a due date read from „bis zum Sommer“:\n%s", rep.Text)
	}
	w.ok("anna", "ziel ändern K-2026-1 4 fällig=Ende Juni", "Praktikum finden bis zum Sommer – bis 30.06.2027")
	if rep := w.ok("anna", "ziel K-2026-1 Sprache Deutschkurs bis B1", "Deutschkurs bis B1."); strings.Contains(rep.Text, "steht nur im Text") {
		t.Errorf("a level taken for a time:\n%s", rep.Text) // bis B1 is a level, not a date
	}
	w.ok("ben", "abwesend Anfang Februar Ende Februar vertretung=@anna", "2027-02-01", "2027-02-28") // ben reads English
	w.want("teamA", "anna", "ziel K-2026-1 Arbeit Bewerbung fällig=Ende Smarch", kim.EINVALID, "kein gültiges Datum")
	w.ok("anna", "termin K-2026-1 monitoring in 2 Wochen", "Monitoring: 07.12.2026")
	w.ok("anna", "ziel K-2026-1 Arbeit bis Freitag Lebenslauf schreiben", "Lebenslauf schreiben – bis 27.11.2026.")
	w.ok("anna", "verweis K-2026-1 Ausländerbehörde nachfassen zwei Wochen Passersatz", "Nachfassen am 07.12.2026")
	w.ok("anna", "kontakt K-2026-1 telefon Rückruf der Schule datum vor 3 Tagen", "Telefon, 20.11.2026")
	w.ok("anna", "kontakt K-2026-1 telefon datum=vor 1 Woche Elterngespräch", "Telefon, 16.11.2026")
	// A note typed without its "=": the words after it, up to the next option.
	w.ok("anna", "einschätzung K-2026-1 sprache 3 wohnen 2 notiz Kurs läuft, Prüfung im März datum gestern", "gespeichert (22.11.2026)", "| Wohnen | 2 |")
	stored, err := w.st.Card(t.Context(), kim.Actor{TeamID: "teamA", UserID: w.users["anna"].ID, Today: kim.DateOf(testNow)}, "K-2026-0001")
	if err != nil || len(stored.Assessments) == 0 || stored.Assessments[0].Note != "Kurs läuft, Prüfung im März" {
		t.Errorf("the assessment's note: %+v %v", stored.Assessments, err)
	}
	w.ok("anna", "zeige K-2026-1", "(zuletzt Ersteinschätzung vom 22.11.2026)", "Notiz dazu: „Kurs läuft, Prüfung im März“")

	// Without the year: a contact's day is the latest up to today, an absence's the next ones.
	w.ok("anna", "kontakt K-2026-1 persönlich Gespräch im Büro datum 20.11.", "Kontakt 9 zu **K-2026-0001** gespeichert: persönlich, 20.11.2026")
	w.ok("anna", "abwesend 21.12. 2.1. vertretung=@ben", "21.12.2026", "02.01.2027")
	// Options without their "=" before the text, as coaches say it: "Telefon, vor zwei Tagen, Rückruf …".
	w.ok("anna", "kontakt K-2026-1 telefon datum vor 2 Tagen Rückruf wegen Kita", "Kontakt 10 zu", "Telefon, 21.11.2026.")
	w.ok("anna", "kontakt K-2026-1 hausbesuch minuten 45 datum gestern Wohnung angeschaut", "Hausbesuch, 22.11.2026, 45 Minuten.")
	w.ok("anna", "kontakt K-2026-1 telefon Datum für Termin vereinbart", "Telefon, 23.11.2026.") // "für" is no date: all of it is the note
	w.ok("anna", "verweis K-2026-1 Ausländerbehörde nachfassen 3 Wochen Termin zur Vorsprache", "Verweis 8", "Nachfassen am 14.12.2026")
	w.ok("anna", "ziel K-2026-1 Arbeit bis Ende März Bewerbungen schreiben", "(Arbeit): Bewerbungen schreiben – bis 31.03.2027.")
	card = w.ok("anna", "kontakte K-2026-1").Text + w.ok("anna", "zeige K-2026-1").Text
	for _, want := range []string{"| 21.11.2026 | Telefon | – | Rückruf wegen Kita |", "| 22.11.2026 | Hausbesuch | 45 | Wohnung angeschaut |",
		"| 23.11.2026 | Telefon | – | Datum für Termin vereinbart |", "| Termin zur Vorsprache | offen | 14.12.2026 |"} {
		if !strings.Contains(card, want) {
			t.Errorf("contacts and card lack %q:\n%s", want, card)
		}
	}
	if n := w.count(`SELECT count(*) FROM referrals r JOIN partners p ON p.id = r.partner_id WHERE p.key = 'auslaenderbehoerde'`); n != 8 { // the first and the seven with follow-ups in words
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
	// A slip of a verb is answered with the line it is near, offered as a button; alone, with the verb.
	for line, want := range map[string]string{
		"kontak K-2026-1 telefon Anruf": "kontakt K-2026-1 telefon Anruf",
		"ziel erledgt K-2026-1 1":       "ziel erledigt K-2026-1 1",
	} {
		if rep := w.want("teamA", "anna", line, kim.EINVALID, "Meinten Sie `/kim "+want+"`?"); offered(rep) != want {
			t.Errorf("%s: offers %q", line, offered(rep))
		}
	}
	w.want("teamA", "ben", "shwo K-2026-1", kim.EINVALID, "Did you mean `/kim show K-2026-1`?")
	w.want("teamA", "anna", "kontak", kim.EINVALID, "Unbekannter Befehl „kontak“. Meinten Sie `/kim kontakt`?")
	w.want("teamA", "anna", "hilfe kontackt", kim.EINVALID, "Meinten Sie `/kim kontakt`?")
	w.ok("anna", "hilfe", "Statt des Aktenzeichens geht auch das Pseudonym")
	if rep := w.run("teamA", "kora", "hilfe"); strings.Contains(rep.Text, "Pseudonym eines Ihrer Fälle") {
		t.Errorf("a coordinator is told about pseudonyms of cases: %s", rep.Text)
	}
	if rep := w.run("teamA", "anna", "xylophon K-2026-1"); strings.Contains(rep.Text, "Meinten Sie") {
		t.Errorf("a suggestion for a word near no verb: %s", rep.Text)
	}
	if w.snapshot() != before {
		t.Fatal("a refused line changed the database")
	}
}

// A coach names a case by its pseudonym where a reference goes — only one
// of the cases they may see, only when exactly one has it, in any spelling
// (ab, Frau Ue.); the lookup is audited for the case found. A pseudonym
// that names none or several changes nothing and says so; a question before
// an irreversible step confirms with the reference, never the pseudonym.
func TestCaseByPseudonym(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB gruppe=eu einwilligung=ja", "K-2026-0001")
	w.ok("anna", `neu "Frau Ü." gruppe=eu einwilligung=ja`, "K-2026-0002")
	w.want("teamA", "ben", "neu AB gruppe=eu einwilligung=ja", "ok", "K-2026-0003")

	w.ok("anna", "zeige ab", "#### K-2026-0001 · AB")
	w.ok("anna", `kontakt "Frau Ue." telefon Anruf wegen Termin`, "Kontakt 1 zu **K-2026-0002** gespeichert")
	w.ok("ben", "zeige AB", "#### K-2026-0003 · AB") // his own, not anna's
	// A pseudonym of several words where the case is the last word of the line, unquoted.
	w.ok("anna", "zeige Frau Ue.", "#### K-2026-0002 · Frau Ü.")
	w.ok("anna", "termin Frau Ue. monitoring in 2 Wochen", "Monitoring: 07.12.2026") // initials after it belong to the pseudonym
	w.want("teamA", "anna", "termin M. K monitoring in 2 Wochen", kim.EINVALID, "Ist „M. K“ das Pseudonym?", "`\"M. K\"`")
	w.ok("anna", `termin "Frau Ue." monitoring in 2 Wochen`, "Monitoring: 07.12.2026")
	w.want("teamA", "anna", "termin AB monitorin 12.12.", kim.EINVALID, "Meinten Sie `/kim termin AB monitoring 12.12.`?") // a slip, no pseudonym hint
	w.ok("anna", "fall ändern Frau ü. gruppe=Drittstaaten", "Fall **K-2026-0002** korrigiert: Frau Ü. · Zielgruppe: Drittstaatsangehörige")
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'case.find' AND case_ref IN ('K-2026-0001', 'K-2026-0002', 'K-2026-0003')`); n != 7 {
		t.Errorf("%d case.find audit rows, want 7", n)
	}

	w.ok("anna", "neu ab gruppe=eu einwilligung=ja", "K-2026-0004")
	before := w.snapshot()
	w.want("teamA", "anna", "zeige AB", kim.EINVALID, "mehrere Ihrer Fälle: K-2026-0001, K-2026-0004", "Aktenzeichen angeben")
	w.want("teamA", "anna", "kontakt XY telefon Anruf", kim.ENOTFOUND, "weder ein Aktenzeichen (wie K-2026-0042) noch das Pseudonym eines Ihrer Fälle")
	w.want("teamA", "ben", `zeige "Frau Ü."`, kim.ENOTFOUND, "is neither a case reference") // anna's case, not ben's
	w.want("teamA", "kora", "zeige AB", kim.EFORBIDDEN)
	w.want("teamA", "anna", "zeige 42x", kim.EINVALID, "kein Aktenzeichen")
	w.want("teamA", "anna", "ziel AB Arbeit Praktikum", kim.EINVALID, "mehrere Ihrer Fälle")             // ziel neu, the pseudonym ambiguous
	w.want("teamA", "anna", "ziel erreich AB 1", kim.EINVALID, "Meinten Sie `/kim ziel erreicht AB 1`?") // a slip of a sub-verb, no pseudonym
	w.want("teamA", "anna", `rechtskreis schritt "Frau Ue." 1 erledigt`, kim.EINVALID, "Meinten Sie `/kim schritt \"Frau Ue.\" 1 erledigt`?")
	w.want("teamA", "anna", "fall zeige Frau Ue.", kim.EINVALID, "Meinten Sie `/kim zeige Frau Ue.`?")
	w.want("teamA", "anna", `ziel "Frau Ue." 1 erreicht`, kim.EINVALID, "Meinten Sie `/kim ziel erreicht \"Frau Ue.\" 1`?")
	w.want("teamA", "anna", `rechtskreis "Frau Ue." schritt 3 erledigt`, kim.EINVALID, "Meinten Sie `/kim schritt \"Frau Ue.\" 3 erledigt`?")
	// No sub-verb, and the line no goal either: for a pseudonym of the
	// caller's, what is wrong with it as ziel neu; for any other word (or
	// another coach's pseudonym, which is not revealed) that it is no sub-verb.
	w.want("teamA", "anna", `ziel "Frau Ue." Kita-Platz finden`, kim.EINVALID, "Feld: „Kita-Platz“ geht nicht", "`/kim ziel neu <fall>")
	w.want("teamA", "anna", "ziel XY Kita-Platz finden", kim.EINVALID, "„XY“ gibt es hier nicht")
	w.want("teamA", "ben", `ziel "Frau Ü." Kita-Platz finden`, kim.EINVALID, "There is no “Frau Ü.” here")
	if w.snapshot() != before {
		t.Fatal("a refused pseudonym changed the database")
	}

	w.ok("anna", "neu Zed gruppe=eu einwilligung=ja", "K-2026-0005")
	w.ok("anna", "ziel Zed Sprache B1-Kurs anmelden", "Ziel 1 von **K-2026-0005** (Sprache): B1-Kurs anmelden.") // the sub-verb left out before a pseudonym
	w.ok("anna", "fall Zed gruppe=Drittstaaten", "Zielgruppe: Drittstaatsangehörige")
	q := w.ok("anna", "loeschen zed", "Löschen von **K-2026-0005**", "`/kim loeschen K-2026-0005 bestätigen`").Text
	if strings.Contains(q, "loeschen zed bestaetigen") {
		t.Errorf("the confirmation names the pseudonym:\n%s", q)
	}
	w.ok("anna", "loeschen K-2026-0005 bestaetigen", "K-2026-0005 sind gelöscht")
	w.want("teamA", "anna", "zeige Zed", kim.ENOTFOUND) // an erased case has no pseudonym

	// Initials after the first word belong to the pseudonym, unquoted.
	w.ok("anna", `neu "S. T." gruppe=eu einwilligung=ja`, "K-2026-0006")
	w.ok("anna", "kontakt S. T. telefon Rückruf", "Kontakt 1 zu **K-2026-0006** gespeichert")
	w.ok("anna", "einwilligung S. T. erteilen jobcenter mündlich", "Jobcenter (mündlich")
	// The partner before the action, as it is said: "Jugendamt erteilt".
	w.ok("anna", "einwilligung S. T. Jugendamt erteilt schriftlich", "Einwilligung in **K-2026-0006** erfasst: Jugendamt (schriftlich")
	w.ok("anna", "einwilligung S. T. sozialamt liegt vor", "Sozialamt (schriftlich")
	w.ok("anna", "einwilligung S. T. Integrationskurs mündlich erteilt", "Integrationskursträger (mündlich")
	w.ok("anna", "einwilligung K-2026-0006 Jugendamt widerrufen", "Jugendamt", "widerrufen")
	w.ok("anna", "einwilligung K-2026-0006 verarbeitung widerrufen", "Noch ist nichts geändert", "`/kim einwilligung K-2026-0006 verarbeitung widerrufen bestätigen`")
	w.want("teamA", "anna", "einwilligung K-2026-0006 jobcenter", kim.EINVALID, "Meinten Sie `/kim einwilligung K-2026-0006 erteilen jobcenter`?")
	w.ok("anna", "verweis S. T. jobcenter nachfassen zwei Wochen Antrag", "Verweis 1 von **K-2026-0006**", "Nachfassen am 07.12.2026")
}

// The word that names a goal's field is part of its text where it is a word
// of the goal (Wohnung for Wohnen) or the text goes on in lower case after
// it (Arbeit finden); after a field's name and a capitalised text, after the
// English key and in quotes the text is what follows the field.
func TestGoalFieldWord(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB gruppe=eu einwilligung=ja", "K-2026-0001")
	for _, c := range []struct{ line, field, text string }{
		{"ziel AB Wohnung finden", "Wohnen", "Wohnung finden"},
		{"ziel AB Deutschkurs B1 abschließen", "Sprache", "Deutschkurs B1 abschließen"},
		{"ziel AB Job als Fahrer", "Arbeit", "Job als Fahrer"},
		{"ziel AB Kita-Platz finden", "", ""}, // no field: refused
		{"ziel AB Kita Platz für Leyla", "Familie/Kinder", "Kita Platz für Leyla"},
		{"ziel AB Arbeit finden", "Arbeit", "Arbeit finden"},
		{"ziel AB Ausbildung als Elektrikerin", "Bildung/Ausbildung", "Ausbildung als Elektrikerin"},
		{"ziel AB Arbeit Praktikum finden", "Arbeit", "Praktikum finden"},
		{"ziel AB Sprache B1", "Sprache", "B1"},
		{"goal add AB work find a job", "Arbeit", "find a job"},
		{`ziel AB Arbeit "finden"`, "Arbeit", "finden"},
	} {
		before := w.count(`SELECT count(*) FROM goals`)
		rep := w.run("teamA", "anna", c.line)
		if c.field == "" {
			if rep.Outcome != kim.EINVALID || w.count(`SELECT count(*) FROM goals`) != before {
				t.Errorf("%q: %s, a goal stored: %s", c.line, rep.Outcome, rep.Text)
			}
			continue
		}
		if rep.Outcome != "ok" {
			t.Errorf("%q: %s", c.line, rep.Text)
			continue
		}
		if want := "(" + c.field + "): " + c.text + "."; !strings.Contains(rep.Text, want) {
			t.Errorf("%q: answer lacks %q:\n%s", c.line, want, rep.Text)
		}
	}
	w.ok("anna", "fälle heute", "Nichts fällig")                                              // today's: the due filter
	w.ok("anna", "ziel AB Wohnung eigene Wohnung finden", "(Wohnen): eigene Wohnung finden.") // the word is in the text already
}

// A case's number without its year names the one case of the caller's
// with that number; several in different years are listed, another coach's
// case is not found, and a confirmation typed with a number alone asks
// again with the whole reference.
func TestCaseByNumber(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB gruppe=eu einwilligung=ja", "K-2026-0001")
	// A case of last year, numbered 1 as well (intake can be backdated by 90 days only).
	if _, err := w.st.Pool().Exec(t.Context(), `UPDATE cases SET ref = 'K-2025-0001' WHERE ref = 'K-2026-0001'`); err != nil {
		t.Fatal(err)
	}
	w.ok("anna", "neu CD gruppe=eu einwilligung=ja", "K-2026-0002")
	w.ok("anna", "neu EF gruppe=eu einwilligung=ja", "K-2026-0003")
	w.want("teamA", "ben", "neu GH gruppe=eu einwilligung=ja", "ok", "K-2026-0004")
	if _, err := w.st.Pool().Exec(t.Context(), `UPDATE cases SET ref = 'K-2026-0001' WHERE ref = 'K-2026-0002'`); err != nil {
		t.Fatal(err)
	}

	w.ok("anna", "zeige 3", "#### K-2026-0003 · EF")
	w.ok("anna", "kontakt K-3 telefon Rückruf wegen Kita", "Kontakt 1 zu **K-2026-0003** gespeichert")
	w.ok("anna", "termin 0003 monitoring am 15.1.", "Monitoring: 15.01.2027")
	w.ok("ben", "show k4", "#### K-2026-0004 · GH")
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'case.find_number' AND case_ref IN ('K-2026-0003', 'K-2026-0004')`); n != 4 {
		t.Errorf("%d case.find_number audit rows, want 4", n)
	}

	before := w.snapshot()
	w.want("teamA", "anna", "zeige 1", kim.EINVALID, "Die Nummer 1 haben mehrere Ihrer Fälle: K-2025-0001, K-2026-0001", "ganze Aktenzeichen")
	w.want("teamA", "anna", "kontakt 4 telefon Anruf", kim.ENOTFOUND, "Keiner Ihrer Fälle hat die Nummer 4") // ben's case
	w.want("teamA", "ben", "show 3", kim.ENOTFOUND, "None of your cases has the number 3")
	w.want("teamA", "kora", "zeige 3", kim.EFORBIDDEN)
	if w.snapshot() != before {
		t.Fatal("a number that names no case changed the database")
	}
	q := w.ok("anna", "loeschen 3 bestaetigen", "Löschen von **K-2026-0003**", "`/kim loeschen K-2026-0003 bestätigen`").Text
	if strings.Contains(q, "bestaetigen bestätigen") {
		t.Errorf("the confirmation repeats the confirming word:\n%s", q)
	}
	if n := w.count(`SELECT count(*) FROM cases WHERE ref = 'K-2026-0003' AND erased_at IS NULL AND pseudonym_enc IS NOT NULL`); n != 1 {
		t.Fatal("a confirmation typed with the case's number alone erased it")
	}
	w.ok("anna", "loeschen K-2026-0003 bestaetigen", "K-2026-0003 sind gelöscht")
}

// A full name as the pseudonym is taken (it is sealed and seen only by the
// coach), with a hint and the line that puts initials in its place.
func TestFullNameAsPseudonym(t *testing.T) {
	w := newWorld(t)
	rep := w.ok("anna", `neu "Mehmet Demir" gruppe=Geflüchtete einwilligung=ja`, "K-2026-0001", "sieht aus wie ein vollständiger Name")
	line := regexp.MustCompile("`/kim ([^`]*)`").FindAllStringSubmatch(rep.Text, -1)
	if len(line) == 0 || line[len(line)-1][1] != "fall ändern K-2026-0001 pseudonym=„M. D.“" {
		t.Fatalf("no line with the initials:\n%s", rep.Text)
	}
	if rep := w.ok("anna", line[len(line)-1][1], "M. D."); strings.Contains(rep.Text, "vollständiger Name") {
		t.Fatalf("initials are no full name:\n%s", rep.Text)
	}
	w.ok("anna", "zeige M. D.", "K-2026-0001 · M. D.")
	for _, p := range []string{"Fatima", "\"Frau Y.\"", "AB"} {
		if rep := w.ok("anna", "neu "+p+" gruppe=eu einwilligung=ja", "ist angelegt"); strings.Contains(rep.Text, "vollständiger Name") {
			t.Errorf("%s: hint for a pseudonym:\n%s", p, rep.Text)
		}
	}
	w.ok("anna", `fall ändern AB pseudonym="Oksana Shevchenko"`, "sieht aus wie ein vollständiger Name", "pseudonym=„O. S.“")
	w.ok("ben", `open "Zahra Hosseini" group=eu consent=yes`, "looks like a full name", `pseudonym="Z. H."`)
}

// A kind of contact typed as the verb is answered with the contact's line;
// a note as the verb with the contact's form. Neither is run.
func TestKindAsVerb(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", `neu "S. T." gruppe=eu einwilligung=ja`, "K-2026-0001")
	before := w.snapshot()
	w.want("teamA", "anna", "anruf S. T. Rückruf wegen Termin", kim.EINVALID, "Meinten Sie `/kim kontakt S. T. anruf Rückruf wegen Termin`?")
	w.want("teamA", "anna", "Hausbesuch K-2026-1 Wohnung angeschaut", kim.EINVALID, "Meinten Sie `/kim kontakt K-2026-1 Hausbesuch Wohnung angeschaut`?")
	w.want("teamA", "ben", "phone K-2026-1 Called back", kim.EINVALID, "Did you mean `/kim contact K-2026-1 phone Called back`?")
	w.want("teamA", "anna", "notiz S. T. Mutter hat angerufen", kim.EINVALID, "Notizen stehen bei kimbot an einem Kontakt", "`/kim kontakt <fall> <persönlich|Telefon")
	w.want("teamA", "anna", "anruf", kim.EINVALID, "Unbekannter Befehl „anruf“")
	if w.snapshot() != before {
		t.Fatal("a kind as the verb changed the database")
	}
	w.ok("anna", "kontakt S. T. anruf Rückruf wegen Termin", "Kontakt 1 zu **K-2026-0001** gespeichert: Telefon")
	w.ok("anna", "zeigen S. T.", "K-2026-0001 · S. T.") // the infinitive, as said
}

// The deputy of an absence as coaches type it: the option without its "=",
// or the @name alone where the verb asks for no other person; two people
// are refused, and nothing is stored for them.
func TestAwayDeputyAsSaid(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "abwesend 21.12. bis 8.1. vertretung @ben", "Abwesend vom 21.12.2026 bis 08.01.2027; @ben vertritt Sie")
	w.ok("anna", "abwesend aus")
	w.ok("anna", "urlaub vom 21.12. bis 8.1. @ben", "@ben vertritt Sie")
	w.run("teamA", "root", "admin role @nobody coach")
	w.ok("anna", "abwesend ändern @nobody", "@nobody")
	before := w.snapshot()
	w.want("teamA", "anna", "abwesend 22.12. 8.1. @ben @kora", kim.EINVALID, "Zu viel angegeben: „@ben“")
	w.want("teamA", "anna", "abwesend 22.12. 8.1. vertretung=@ben @kora", kim.EINVALID, "Zu viel angegeben: „@kora“")
	if w.snapshot() != before {
		t.Fatal("a refused absence changed the database")
	}
}

// „Wieder da“ ends the absence the coach is in and keeps the planned ones;
// „abwesend beenden“, like „abwesend aus“, drops those too.
func TestBackFromAbsence(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes")
	w.ok("anna", "abwesend heute bis 4.12. vertretung durch @ben", "Abwesend vom 23.11.2026 bis 04.12.2026; @ben vertritt Sie")
	w.ok("anna", "abwesend 21.12. bis 8.1. vertretung an @ben", "Abwesend vom 21.12.2026 bis 08.01.2027")
	w.ok("ben", "zeige AB", "K-2026-0001 · AB") // the deputy holds the case
	w.ok("anna", "Ich bin wieder da", "Willkommen zurück", "Geplante Abwesenheiten bleiben")
	if n := w.count(`SELECT count(*) FROM absences WHERE user_id = 'id-anna'`); n != 1 {
		t.Fatalf("%d absences after „wieder da“, want the planned one", n)
	}
	w.want("teamA", "ben", "zeige AB", kim.ENOTFOUND)
	w.ok("anna", "wieder da", "nicht als abwesend eingetragen")
	w.ok("anna", "abwesend", "21.12.2026", "08.01.2027")
	w.ok("anna", "abwesend beenden", "Abwesenheit beendet")
	if n := w.count(`SELECT count(*) FROM absences WHERE user_id = 'id-anna'`); n != 0 {
		t.Fatalf("%d absences after „abwesend beenden“, want none", n)
	}
	w.ok("ben", "away back", "not recorded as away")
}

// The little words said before a person (an, von, durch) and the nouns
// coaches use for two verbs (Übergabe, Rechtskreiswechsel).
func TestWordsBeforeAPerson(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee domain=AsylbLG consent=yes")
	w.ok("anna", "open CD group=eu consent=yes")
	w.ok("anna", "rechtskreiswechsel AB Bürgergeld", "AsylbLG → SGB II seit 23.11.2026")
	w.ok("anna", "übergabe AB an @ben", "geht an @ben", "Noch ist nichts geändert", "`/kim übergabe K-2026-0001 an @ben bestätigen`")
	w.ok("anna", "übergabe AB an @ben bestätigen")
	w.ok("ben", "zeige AB", "Coach: @ben")
	w.want("teamA", "root", "admin übergabe von @anna an @kora", kim.EINVALID, "@kora ist in diesem Team kein Coach")
	w.ok("root", "admin übergabe von @anna an @ben bestätigen")
	w.ok("ben", "zeige CD", "Coach: @ben")
}

// A note typed as coaches type it: notiz= without quotes takes the words up
// to the next option or score, „Bemerkung:“ is the note too, and notiz= on a
// verb whose note is its text is that text.
func TestNoteAsSaid(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes")
	w.ok("anna", "einschätzung AB sprache 2 arbeit 3 notiz=erste Einschätzung im Büro", "| Sprache | 2 |", "| Arbeit | 3 |")
	w.ok("anna", "zeige AB", "Notiz dazu: „erste Einschätzung im Büro“")
	w.ok("anna", "einschätzung AB notiz=Kurs läuft gut Sprache 3 Arbeit: 4", "| Sprache | 2 | 3 | +1 ↑ |", "| Arbeit | 3 | 4 | +1 ↑ |")
	w.ok("anna", "zeige AB", "Notiz dazu: „Kurs läuft gut“")
	w.ok("anna", "einschätzung AB Sprache=3 Bemerkung: Prüfung im März", "| Sprache | 3 | 3 | ±0 |")
	w.ok("anna", "zeige AB", "Notiz dazu: „Prüfung im März“")
	w.ok("anna", "kontakt AB telefon minuten=20 notiz=Rückruf wegen Termin", "Telefon, 23.11.2026, 20 Minuten")
	w.ok("anna", "kontakte AB", "| 1 | 23.11.2026 | Telefon | 20 | Rückruf wegen Termin |")
	before := w.snapshot()
	w.want("teamA", "anna", "einschätzung AB notiz=nur eine Notiz", kim.EINVALID, "Es fehlt")
	if w.snapshot() != before {
		t.Fatal("a refused assessment changed the database")
	}
}

// A contact's note that begins with a date before today (20.11., am 20.11.,
// letzten Montag, vor 3 Tagen) is only text, as „gestern“ is: the contact is
// dated today and the answer names the day and the line that dates it. A
// date typed with „am“ before the kind is the contact's date.
func TestContactDateInNote(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes datum=01.11.2026")
	for i, c := range []struct{ line, typed, day string }{
		{"kontakt AB telefon am 20.11. Rückruf wegen Termin", "am 20.11.", "20.11.2026"},
		{"kontakt AB telefon 20.11.2026: Rückruf", "20.11.2026", "20.11.2026"},
		{"kontakt AB hausbesuch letzten Freitag Wohnung angeschaut", "letzten Freitag", "20.11.2026"},
		{"kontakt AB persönlich vor 3 Tagen angerufen", "vor 3 Tagen", "20.11.2026"},
	} {
		n := strconv.Itoa(i + 1)
		w.ok("anna", c.line, "Kontakt "+n+" zu", "23.11.2026", "„"+c.typed+"“ steht nur in der Notiz",
			"War er am "+c.day+": `datum="+c.day+"`", "`/kim kontakt ändern K-2026-0001 "+n+" datum="+c.day+"`")
	}
	for _, line := range []string{"kontakt AB persönlich 3 Kinder in der Kita", "kontakt AB persönlich in 2 Wochen Termin beim Amt",
		"kontakt AB persönlich heute Beratung", "kontakt AB persönlich 1. Termin wahrgenommen"} {
		if rep := w.ok("anna", line, "gespeichert: persönlich, 23.11.2026"); strings.Contains(rep.Text, "nur in der Notiz") {
			t.Errorf("%s: a hint although the note begins with no day before today:\n%s", line, rep.Text)
		}
	}
	w.ok("anna", "kontakt AB am 20.11. telefon Rückruf", "Telefon, 20.11.2026")
	w.ok("anna", "kontakte AB", "| 9 | 20.11.2026 | Telefon | – | Rückruf |")
}

// Word orders and little words of coaches: an action typed before the
// case is answered with the line that works, never with another verb's
// (schritt erledigt AB 1 is no goal's); a consent without its action is
// answered with „erteilen“ in it; „an“/„zum“ before a partner and „für“
// before a consent's partner are dropped; the plurals of what the card
// shows ask for the card; „Was steht heute an?“ is the day's overview.
func TestWordOrderAsSaid(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee domain=AsylbLG consent=yes datum=01.11.2026")
	w.ok("anna", "rechtskreis AB SGB II seit 20.11.")
	w.ok("anna", "ziel AB Wohnen Wohnung finden")
	before := w.snapshot()
	for line, want := range map[string]string{
		"schritt erledigt AB 1":                "Meinten Sie `/kim schritt AB 1 erledigt`?",
		"einwilligung widerrufen AB jobcenter": "Meinten Sie `/kim einwilligung AB widerrufen jobcenter`?",
		"einwilligung AB jobcenter mündlich":   "Meinten Sie `/kim einwilligung AB erteilen jobcenter mündlich`?",
		"ziele AB":                             "Meinten Sie `/kim zeige AB`?",
		"verweise AB":                          "Meinten Sie `/kim zeige AB`?",
		"termine AB":                           "Meinten Sie `/kim zeige AB`?",
		"ziel liste AB":                        "„liste“ gibt es hier nicht",
	} {
		if rep := w.want("teamA", "anna", line, kim.EINVALID, want); strings.Contains(rep.Text, "ziel erledigt") || strings.Contains(rep.Text, "hindernis") {
			t.Errorf("%s: another verb suggested: %s", line, rep.Text)
		}
	}
	if w.snapshot() != before {
		t.Fatal("a line answered with a suggestion changed the database")
	}
	w.ok("anna", "einwilligung AB für jobcenter erteilt", "Einwilligung in **K-2026-0001** erfasst: Jobcenter")
	w.ok("anna", "verweis AB an jobcenter Bürgergeld beantragen", "Verweis 1 von **K-2026-0001** an Jobcenter gespeichert")
	w.ok("anna", "zeige AB", "| Jobcenter | 23.11.2026 | Bürgergeld beantragen |")
	w.ok("anna", "Was steht heute an?", "Tagesübersicht für 23.11.2026")
	w.want("teamA", "anna", "hindernisse AB", kim.EINVALID, "Meinten Sie `/kim hindernis liste AB`?")
	// A bare day where the verb has one date option and no text: the consent's day, the assessment's.
	w.ok("anna", "einwilligung AB erteilen sozialamt mündlich 20.11.", "Sozialamt (mündlich, 20.11.2026)")
	w.ok("anna", "einschätzung AB sprache 2 arbeit 3 gestern", "gespeichert (22.11.2026)")
	w.want("teamA", "anna", "schritt AB 1 20.11.", kim.EINVALID, "Status: „20.11.“ geht nicht") // a day done or due: not guessed
}

// What a coach types in a moment of doubt: „?“ is the help, „rückgängig“
// says how records are corrected, „umbenennen“ is answered with the line
// that corrects the pseudonym; nothing changes for any of them.
func TestUndoAndRename(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", `open "S. T." group=refugee consent=yes`)
	before := w.snapshot()
	w.ok("anna", "?", "kimbot – Kommunales Integrationsmanagement im Chat")
	w.want("teamA", "anna", "rückgängig", kim.EINVALID, "Einen ganzen Befehl nimmt kimbot nicht zurück", "`/kim kontakt löschen <fall> <nr>`")
	w.want("teamA", "ben", "undo", kim.EINVALID, "kimbot does not take back a whole command")
	w.want("teamA", "anna", "umbenennen S. T. in S. U.", kim.EINVALID, "Meinten Sie `/kim fall ändern S. T. pseudonym=\"S. U.\"`?")
	w.want("teamA", "anna", "pseudonym ändern K-2026-0001 XY", kim.EINVALID, "Meinten Sie `/kim fall ändern K-2026-0001 pseudonym=XY`?")
	w.want("teamA", "anna", "rename K-2026-0001 XY", kim.EINVALID, "`/kim case edit K-2026-0001 pseudonym=XY`")
	w.want("teamA", "anna", "umbenennen XY", kim.EINVALID, "Unbekannter Befehl „umbenennen“")
	if w.snapshot() != before {
		t.Fatal("an answered line changed the database")
	}
	w.ok("anna", `fall ändern S. T. pseudonym="S. U."`, "S. U.")
}

// A case opened as coaches say it: „neuer Fall“, „Fall anlegen“, the
// consent as „liegt vor“ or „Zustimmung“, the intake day as „aufnahme=“ or
// „seit …“. The consent is still taken only where it is named.
func TestOpenAsSaid(t *testing.T) {
	w := newWorld(t)
	for line, want := range map[string]string{
		"neu AB gruppe geflüchtet einwilligung liegt vor":    "(AB) ist angelegt",
		"neuer Fall CD gruppe=eu einwilligung=ja":            "(CD) ist angelegt",
		"neuen Fall anlegen EF gruppe=eu einwilligung=ja":    "(EF) ist angelegt",
		"Fall anlegen GH gruppe=eu zustimmung=ja":            "(GH) ist angelegt",
		"neu IJ gruppe=eu einverständnis=ja seit 01.11.2026": "(IJ) ist angelegt, Aufnahme am 01.11.2026",
		"neu KL gruppe=eu einwilligung=ja aufnahme=2.11.":    "(KL) ist angelegt, Aufnahme am 02.11.2026",
	} {
		w.ok("anna", line, want)
	}
	before := w.snapshot()
	w.want("teamA", "anna", "neu MN gruppe=eu einwilligung fehlt", kim.EINVALID)
	w.want("teamA", "anna", "neu MN gruppe=eu liegt vor", kim.EINVALID)
	if w.snapshot() != before {
		t.Fatal("a case was opened without its consent named")
	}
	// The verb of consent by the other names coaches give it.
	w.ok("anna", "Schweigepflichtentbindung AB erteilen jobcenter", "** erfasst: Jobcenter") // the cases above opened in any order
	w.ok("anna", "zustimmung AB widerrufen jobcenter", "Einwilligung für Jobcenter in **K-2026-")
}

// Lists as coaches ask for them: „offene Fälle“, „meine abgeschlossenen
// Fälle“, „Termine heute“, „Übersicht“; a count of one takes the singular.
func TestListsAsSaid(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes")
	w.ok("anna", "meine offenen Fälle", "**Ihre offenen Fälle (1)**")
	w.ok("anna", "offene fälle", "**Ihre offenen Fälle (1)**")
	w.ok("anna", "alle Fälle", "**Alle Ihre Fälle (1)**")
	w.ok("anna", "abgeschlossene Fälle", "keine abgeschlossenen Fälle")
	w.ok("anna", "überfällige Fälle", "Nichts fällig")
	for _, line := range []string{"Termine heute", "termine", "fällige Termine"} {
		w.ok("anna", line, "Heute (23.11.2026) ist nichts fällig oder überfällig")
	}
	w.ok("anna", "Übersicht", "kimbot – Kommunales Integrationsmanagement im Chat")
	w.want("teamA", "anna", "fälle alle seite=2", kim.EINVALID, "hat 1 Fall auf 1 Seite")
	w.ok("anna", "kontakt AB telefon minuten=1 kurz", "Telefon, 23.11.2026, 1 Minute.")
	w.want("teamA", "anna", "kontakte AB seite=2", kim.EINVALID, "hat 1 Kontakt auf 1 Seite")
}

// A reference copied from kimbot's own answer keeps its Markdown (Mattermost
// copies the text as written: **K-2026-0001**) or comes with punctuation;
// a pseudonym of initials may be typed without its spaces.
func TestReferenceAsCopied(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", `open "Ö. K." group=refugee consent=yes`)
	for _, line := range []string{"zeige **K-2026-0001**", "zeige `K-2026-0001`", "zeige (K-2026-0001)", "zeige K-2026-0001.", "zeige Ö.K.", "zeige OE.K."} {
		w.ok("anna", line, "#### K-2026-0001 · Ö. K.")
	}
	w.ok("anna", "kontakt K-2026-0001: telefon Rückruf", "Kontakt 1 zu **K-2026-0001** gespeichert")
	w.want("teamA", "anna", "zeige 2026-0001", kim.EINVALID, "ist kein Aktenzeichen") // without its K it is no reference
}

// A referral's outcome as coaches type it: the number as „Nr. 1“, „#1“,
// „1:“ or „Verweis 1“, the outcome with a comma before the note.
func TestOutcomeAsSaid(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes")
	w.ok("anna", "einwilligung AB erteilen jobcenter")
	for i := range 5 {
		w.ok("anna", "verweis AB jobcenter Antrag", fmt.Sprintf("Verweis %d von", i+1))
	}
	w.ok("anna", "ergebnis AB Nr. 1 angenommen", "Verweis 1 von **K-2026-0001** an Jobcenter: angenommen.")
	w.ok("anna", "ergebnis AB #2 bewilligt", "Verweis 2 von **K-2026-0001** an Jobcenter: angenommen.")
	w.ok("anna", "ergebnis AB 3: nicht erschienen", "Verweis 3 von **K-2026-0001** an Jobcenter: nicht erschienen.")
	w.ok("anna", "ergebnis AB Verweis 4 abgelehnt, Unterlagen fehlen", "Verweis 4 von **K-2026-0001** an Jobcenter: abgelehnt.")
	if n := w.count(`SELECT count(*) FROM referral_outcomes WHERE outcome = 'rejected' AND note_enc IS NOT NULL`); n != 1 {
		t.Errorf("the rejection's note: %d rows", n)
	}
	w.want("teamA", "anna", "ergebnis AB Nr. 9 angenommen", kim.ENOTFOUND, "keinen Verweis 9")
}

// Help asked for as people ask: „hilfe zu kontakt“, „kontakt?“, „kontakt
// hilfe“, „wie geht kontakt?“.
func TestHelpAsAsked(t *testing.T) {
	w := newWorld(t)
	for _, line := range []string{"hilfe zu kontakt", "hilfe für kontakt", "kontakt?", "kontakt hilfe", "kontakt ?", "wie geht kontakt?", "Wie funktioniert kontakt"} {
		w.ok("anna", line, "**/kim kontakt** (contact) — Kontakt erfassen")
	}
	w.ok("ben", "contact help", "**/kim contact** (kontakt)")
}

// English as English-speaking coaches say it (their Mattermost locale).
func TestEnglishAsSaid(t *testing.T) {
	w := newWorld(t)
	w.ok("ben", "new case AB group=refugee consent=yes", "Case **K-2026-0001** (AB) is open")
	w.ok("ben", "goal add AB housing find a flat by end of March", "Goal 1 of **K-2026-0001** (housing): find a flat – by 2027-03-31.")
	w.ok("ben", "away from 21.12. to 4.1. deputy @anna", "Away from 2026-12-21 to 2027-01-04; @anna deputises")
	w.ok("ben", "I'm back", "planned absences stay")
	w.ok("ben", "What's due?", "Nothing is due or overdue today")
	w.ok("ben", "open cases", "**Your open cases (1)**")
}

// A slip of a partner's key is answered with the line it is near, and its
// button; a word near none is answered with the keys alone; nothing changes
// (the case named by its reference: a pseudonym's lookup is audited).
func TestPartnerSlip(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes")
	w.ok("anna", "einwilligung AB erteilen jobcenter")
	before := w.snapshot()
	rep := w.want("teamA", "anna", "verweis K-2026-0001 jobcenetr Antrag", kim.EINVALID, "„jobcenetr“ steht nicht im Partnerverzeichnis. Meinten Sie `/kim verweis K-2026-0001 jobcenter Antrag`?")
	if offered(rep) != "verweis K-2026-0001 jobcenter Antrag" {
		t.Errorf("offers %+v", rep.Offers)
	}
	w.want("teamA", "anna", "einwilligung K-2026-0001 erteilen jugendmat", kim.EINVALID, "Meinten Sie `/kim einwilligung K-2026-0001 erteilen jugendamt`?")
	if rep := w.want("teamA", "anna", "verweis K-2026-0001 jbo Antrag", kim.EINVALID, "Bekannt: "); strings.Contains(rep.Text, "Meinten") || len(rep.Offers) != 0 {
		t.Errorf("a short word is guessed: %s", rep.Text)
	}
	if w.snapshot() != before {
		t.Fatal("a refused referral changed the database")
	}
}
