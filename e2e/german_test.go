package e2e

import (
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// TestGermanInput (issue 9, point 1): through Mattermost, a German coach types the words
// kimbot itself writes — umlauts or transcribed, upper case, "SGB II" in two words and the
// other spellings of practitioners — through a case's whole cycle, and gets German answers
// and German labels on the card; an unknown word lists the German values. An English coach
// sees the English labels and values.
func TestGermanInput(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	english := env.newUser(t, "english", "en")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, english, "coach", "org=DRK")

	text := coach.kimOK(t, `neu "Frau Ü." gruppe=Geflüchtete rechtskreis=ASYLBLG einwilligung=JA form=mündlich`, "ist angelegt")
	ref := caseRefRE.FindString(text)
	if ref == "" {
		t.Fatalf("no case reference in %q", text)
	}
	for _, tc := range []struct{ line, want string }{
		{"kontakt " + ref + " PERSÖNLICH minuten=30 Erstgespräch", "persönlich"},
		{"kontakt " + ref + " persoenlich Rückfrage", "persönlich"},
		{"kontakt " + ref + " Hausbesuch datum=" + remToday().German() + " Wohnung angesehen", "Hausbesuch"},
		{"kontakt " + ref + " telefonisch Termin vereinbart", "Telefon"},
		{"einschätzung " + ref + " Aufenthalt=2 SPRACHE=3 ausbildung=2 Kinder=4 leistungen=1 Teilhabe=3 notiz=Erstgespräch", "Aufenthalt"},
		{"einschaetzung " + ref + " sprache=4 Wohnen=2", "Re-Assessment 2"},
		{"ziel neu " + ref + " Wohnen Wohnung finden fällig=" + remDay().German(), "Wohnen"},
		{"ziel neu " + ref + " bildung B1-Kurs", "Bildung/Ausbildung"},
		{"einwilligung " + ref + " ERTEILEN jobcenter form=muendlich", "Jobcenter (mündlich"},
		{"einwilligung " + ref + " erteilen jmd form=Schriftlich", "schriftlich"},
		{"verweis " + ref + " jobcenter Antrag auf Bürgergeld nachfassen=10d", "Verweis 1"},
		{"verweis " + ref + " jmd Beratung", "Verweis 2"},
		{"ergebnis " + ref + " 1 nicht erschienen kam nicht", "nicht erschienen"},
		{"ergebnis " + ref + " 2 Angenommen", "angenommen"},
		{"rechtskreis " + ref + " SGB II", "AsylbLG → SGB II"},
		{"rechtskreis " + ref + " sgb-3 bestätigen", "SGB II → SGB III"},
		{"rechtskreis " + ref + " SGB 2 bestaetigen", "SGB III → SGB II"},
		{"termin " + ref + " Einschätzung " + remDay().German(), "Nächste Einschätzung"},
		{"bericht nach=Rechtskreis", "Nach Rechtskreis"},
		{"bericht nach=handlungsfeld format=Tabelle", "Bildung/Ausbildung"},
	} {
		coach.kimOK(t, tc.line, tc.want)
	}
	// The card in German labels: group, legal domain, partner names, kinds, fields, outcomes.
	card := coach.kimOK(t, "zeige "+ref, "Zielgruppe: Geflüchtete · Rechtskreis: SGB II", "Verarbeitung (mündlich",
		"Jobcenter (mündlich", "Jugendmigrationsdienst (JMD) (schriftlich", "| Aufenthalt | 2 |", "| Bildung/Ausbildung | 2 |",
		"| Familie/Kinder | 4 |", "| Finanzen/Leistungen | 1 |", "| Soziale Teilhabe | 3 |", "| Sprache | 4 |",
		"nicht erschienen", "angenommen", "Hausbesuch", "Telefon")
	for _, english := range []string{"SGB2", "in-person", "no-show", "refugee", "jobcenter (", "oral"} {
		if strings.Contains(card, english) {
			t.Errorf("the German card shows %q:\n%s", english, card)
		}
	}
	// Refusals list the German values and name the field in German.
	for _, tc := range []struct{ line, want string }{
		{"kontakt " + ref + " fax Hallo", "Art: „fax“ geht nicht; möglich: persönlich, Telefon, Video, Nachricht, Hausbesuch. Richtig: `/kim kontakt <fall>"},
		{"rechtskreis " + ref + " SGB 9", "möglich: AsylbLG, SGB II, SGB III, SGB VIII, SGB XII, keiner"},
		{"rechtskreis " + ref + " SGB II", "schon im Rechtskreis SGB II"},
		{"neu AB gruppe=Marsianer einwilligung=ja", "Gruppe: „Marsianer“ geht nicht; möglich: Geflüchtete, Unionsbürger, Drittstaatsangehörige, Sonstige"},
		{"einschaetzung " + ref + " Laune=2", "Felder: Aufenthalt, Sprache, Arbeit, Bildung, Gesundheit, Wohnen, Familie, Finanzen, Teilhabe"},
		{"kontakt " + ref + " Telefon", "Es fehlt: Notiz"},
		{"bericht nach=farbe", "möglich: organisation, gruppe, rechtskreis, handlungsfeld, partner"},
	} {
		coach.kimOK(t, tc.line, tc.want)
	}
	coach.kimOK(t, "hilfe kontakt", "`/kim kontakt <fall> <persönlich|Telefon|Video|Nachricht|Hausbesuch> <notiz> [minuten=<minuten>] [datum=<datum>]`")
	coach.kimOK(t, "hilfe rechtskreis", "<AsylbLG|SGB II|SGB III|SGB VIII|SGB XII|keiner>")
	coach.kimOK(t, "abschließen "+ref+" Ziele erreicht Arbeit gefunden", "ist abgeschlossen (Ziele erreicht")
	coach.kimOK(t, "zeige "+ref, "Abgeschlossen", "(Ziele erreicht)")

	// The English coach: English labels and values, German words still understood.
	text = english.kimOK(t, "open AB group=refugee domain=SGB2 consent=yes form=oral", "is open")
	eref := caseRefRE.FindString(text)
	english.kimOK(t, "contact "+eref+" Hausbesuch visited", "home visit")
	english.kimOK(t, "domain "+eref+" keiner", "SGB II → none")
	english.kimOK(t, "show "+eref, "Legal domain: none", "processing (oral")
	english.kimOK(t, "contact "+eref+" fax Hi", "Kind: “fax” is not possible; choose: in-person, phone, video, message, home-visit",
		"`/kim contact <case> <in-person|phone|video|message|home-visit> <note>")
	english.kimOK(t, "domain "+eref+" SGB9", "choose: AsylbLG, SGB2, SGB3, SGB8, SGB12, none")
}

// TestCoachesShorthand: through Mattermost, a coach types as coaches write: the case by its
// pseudonym or its number without its zeros, "gestern" for the date and an option without "=" at the end, the partner
// by its German name, the consent form without "form=", a goal without "neu". Each is stored
// as meant, and the card shows it.
func TestCoachesShorthand(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	env.grant(t, coach, "coach", "org=Caritas")

	ref := caseRefRE.FindString(coach.kimOK(t, "neu AB gruppe=Geflüchtete einwilligung=ja datum vorgestern", "ist angelegt"))
	if ref == "" {
		t.Fatal("no case reference")
	}
	year, number, _ := strings.Cut(strings.TrimPrefix(ref, "K-"), "-")
	short := "k-" + year + "-" + strings.TrimLeft(number, "0") // K-2026-0001 as k-2026-1
	yesterday := remToday().AddDays(-1).German()
	coach.kimOK(t, "kontakt "+short+" Telefon Termin abgesprochen datum gestern minuten 15",
		"Kontakt 1 zu **"+ref+"** gespeichert: Telefon, "+yesterday+", 15 Minuten.")
	coach.kimOK(t, "einwilligung "+short+" erteilen Ausländerbehörde mündlich", "Ausländerbehörde (mündlich")
	coach.kimOK(t, "verweis "+short+" Ausländerbehörde Aufenthaltstitel verlängern", "an Ausländerbehörde gespeichert")
	coach.kimOK(t, "ziel "+short+" Wohnung eigene Wohnung finden bis "+remDay().German(), "(Wohnen): eigene Wohnung finden – bis "+remDay().German())
	endJan := kim.Date{Y: remToday().Y, M: 1, D: 31}
	if endJan.Before(remToday()) {
		endJan.Y++
	}
	coach.kimOK(t, "ziel "+short+" Arbeit Praktikum finden bis Ende Januar", "(Arbeit): Praktikum finden – bis "+endJan.German())
	coach.kimOK(t, "zeige ab", "#### "+ref+" · AB") // the case by its pseudonym
	coach.kimOK(t, "zeige "+short, "| "+yesterday+" | Telefon | 15 | Termin abgesprochen |", "| 1 | Ausländerbehörde |",
		"| 1 | Wohnen | eigene Wohnung finden | "+remDay().German()+" | offen |")

	// A pseudonym of initials unquoted, the sub-verb left out before it, the
	// participle of a consent, minutes with their unit.
	k := caseRefRE.FindString(coach.kimOK(t, "neu Frau K. gruppe=Flüchtlinge einwilligung=ja", "(Frau K.) ist angelegt"))
	coach.kimOK(t, "ziel Frau K. Sprache B1-Kurs anmelden", "Ziel 1 von **"+k+"** (Sprache): B1-Kurs anmelden.")
	coach.kimOK(t, "einwilligung Frau K. erteilt Jobcenter schriftlich", "Einwilligung in **"+k+"** erfasst: Jobcenter (schriftlich")
	coach.kimOK(t, "kontakt Frau K. Telefonat Rückruf minuten=1,5 Std", "Kontakt 1 zu **"+k+"** gespeichert: Telefon, "+remToday().German()+", 90 Minuten.")
	coach.kimOK(t, `rechtskreis schritt "Frau K." 1 erledigt`, "Meinten Sie `/kim schritt \"Frau K.\" 1 erledigt`?")
	coach.kimOK(t, "neu "+k+" gruppe=eu einwilligung=ja", "sieht wie ein Aktenzeichen aus")
	coach.kimOK(t, "fälle alle", "| "+k+" | Frau K. |")
	if text := coach.kimOK(t, "fälle alle"); strings.Count(text, "| K-") != 2 {
		t.Errorf("a refused line opened a case:\n%s", text)
	}

	// The admin corrects a partner's name; the card shows it.
	env.Admin.kimOK(t, `admin partner ändern jobcenter name="Jobcenter Musterstadt"`, "Partner `jobcenter` korrigiert: Jobcenter Musterstadt")
	coach.kimOK(t, "zeige Frau K.", "Jobcenter Musterstadt (schriftlich")
}
