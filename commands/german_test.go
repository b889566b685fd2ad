package commands

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Every choice accepts its German words — with umlauts or transcribed, in
// any case, as practitioners write them (SGB II in two words, sgb-2, SGB2) —
// and parses to the value kimbot keeps.
func TestGermanChoices(t *testing.T) {
	const k = "K-2026-0042"
	for _, tc := range []struct {
		line, param, want string
	}{
		// contact kinds
		{"kontakt " + k + " persönlich Gespräch", "kind", "in-person"},
		{"kontakt " + k + " PERSÖNLICH Gespräch", "kind", "in-person"},
		{"kontakt " + k + " persoenlich Gespräch", "kind", "in-person"},
		{"kontakt " + k + " Hausbesuch Gespräch", "kind", "home-visit"},
		{"kontakt " + k + " Telefon Gespräch", "kind", "phone"},
		{"kontakt " + k + " telefonisch Gespräch", "kind", "phone"},
		{"kontakt " + k + " Video Gespräch", "kind", "video"},
		{"kontakt " + k + " Nachricht Gespräch", "kind", "message"},
		{"contact " + k + " in-person talk", "kind", "in-person"},
		// consent form, in open and in consent
		{"neu AB gruppe=eu einwilligung=ja form=mündlich", "form", "oral"},
		{"neu AB gruppe=eu einwilligung=ja form=MUENDLICH", "form", "oral"},
		{"neu AB gruppe=eu einwilligung=ja form=Schriftlich", "form", "written"},
		{"einwilligung " + k + " erteilen jobcenter form=mündlich", "form", "oral"},
		{"einwilligung " + k + " erteilen jobcenter form=muendlich", "form", "oral"},
		{"neu AB gruppe=eu einwilligung=JA", "consent", "yes"},
		// target groups
		{"neu AB gruppe=Geflüchtete einwilligung=ja", "group", "refugee"},
		{"neu AB gruppe=gefluechtete einwilligung=ja", "group", "refugee"},
		{"neu AB gruppe=Unionsbürger einwilligung=ja", "group", "eu"},
		{"neu AB gruppe=unionsbuergerinnen einwilligung=ja", "group", "eu"},
		{"neu AB gruppe=EU einwilligung=ja", "group", "eu"},
		{"neu AB gruppe=Drittstaatsangehörige einwilligung=ja", "group", "third-country"},
		{"neu AB gruppe=drittstaaten einwilligung=ja", "group", "third-country"},
		{"neu AB gruppe=andere einwilligung=ja", "group", "other"},
		{"neu AB gruppe=Sonstige einwilligung=ja", "group", "other"},
		{"open AB group=refugee consent=yes", "group", "refugee"},
		// legal domains
		{"rechtskreis " + k + " SGB II", "domain", "SGB2"},
		{"rechtskreis " + k + " SGB 2", "domain", "SGB2"},
		{"rechtskreis " + k + " SGB2", "domain", "SGB2"},
		{"rechtskreis " + k + " sgb-ii", "domain", "SGB2"},
		{"rechtskreis " + k + " \"SGB II\" seit=01.11.2026", "domain", "SGB2"},
		{"rechtskreis " + k + " SGB III", "domain", "SGB3"},
		{"rechtskreis " + k + " sgb3", "domain", "SGB3"},
		{"rechtskreis " + k + " SGB VIII", "domain", "SGB8"},
		{"rechtskreis " + k + " SGB 8", "domain", "SGB8"},
		{"rechtskreis " + k + " SGB XII", "domain", "SGB12"},
		{"rechtskreis " + k + " sgb-12", "domain", "SGB12"},
		{"rechtskreis " + k + " AsylbLG", "domain", "AsylbLG"},
		{"rechtskreis " + k + " asylblg", "domain", "AsylbLG"},
		{"rechtskreis " + k + " keiner", "domain", "none"},
		{"rechtskreis " + k + " kein", "domain", "none"},
		{"neu AB gruppe=eu rechtskreis=SGB II einwilligung=ja", "domain", "SGB2"},
		{"neu AB gruppe=eu rechtskreis=sgb-ii einwilligung=ja", "domain", "SGB2"},
		{"admin partner neu bamf BAMF rechtskreis=keiner", "domain", "none"},
		// life fields in goals
		{"ziel neu " + k + " Aufenthalt Titel klären", "field", "residence"},
		{"ziel neu " + k + " sprache B1", "field", "language"},
		{"ziel neu " + k + " Arbeit Praktikum", "field", "work"},
		{"ziel neu " + k + " Bildung Schule", "field", "education"},
		{"ziel neu " + k + " Ausbildung Lehre", "field", "education"},
		{"ziel neu " + k + " Gesundheit Arzt", "field", "health"},
		{"ziel neu " + k + " Wohnen Wohnung", "field", "housing"},
		{"ziel neu " + k + " Familie Kita", "field", "family"},
		{"ziel neu " + k + " Kinder Kita", "field", "family"},
		{"ziel neu " + k + " Finanzen Antrag", "field", "finances"},
		{"ziel neu " + k + " Leistungen Antrag", "field", "finances"},
		{"ziel neu " + k + " Teilhabe Verein", "field", "social"},
		{"ziel neu " + k + " soziales Verein", "field", "social"},
		// outcomes and close reasons
		{"ergebnis " + k + " 1 angenommen", "outcome", "accepted"},
		{"ergebnis " + k + " 1 Abgelehnt", "outcome", "rejected"},
		{"ergebnis " + k + " 1 offen", "outcome", "pending"},
		{"ergebnis " + k + " 1 nicht erschienen kam nicht", "outcome", "no-show"},
		{"ergebnis " + k + " 1 nicht-erschienen", "outcome", "no-show"},
		{"ergebnis " + k + " 1 abgeschlossen", "outcome", "completed"},
		{"ergebnis " + k + " 1 erledigt", "outcome", "completed"},
		{"abschliessen " + k + " Ziele erreicht Arbeit gefunden", "reason", "goals-met"},
		{"abschließen " + k + " ziele-erreicht", "reason", "goals-met"},
		{"abschliessen " + k + " verzogen", "reason", "moved"},
		{"abschliessen " + k + " zurückgezogen", "reason", "withdrawn"},
		{"abschliessen " + k + " übergeben", "reason", "transferred"},
		{"abschliessen " + k + " anderes", "reason", "other"},
		{"abschliessen " + k + " anderer Grund", "reason", "other"},
		// report dimensions and formats
		{"bericht 2026 nach=organisation", "by", "org"},
		{"bericht 2026 nach=Gruppe", "by", "group"},
		{"bericht 2026 nach=zielgruppe", "by", "group"},
		{"bericht 2026 nach=rechtskreis", "by", "domain"},
		{"bericht 2026 nach=handlungsfeld", "by", "field"},
		{"bericht 2026 nach=partner", "by", "partner"},
		{"bericht 2026 by=org", "by", "org"},
		{"bericht 2026 format=tabelle", "format", "table"},
		{"bericht 2026 format=Diagramm", "format", "chart"},
		{"bericht 2026 format=grafik", "format", "chart"},
		// roles
		{"admin rolle @anna koordination", "role", "coordinator"},
		{"admin rolle @anna Koordinator", "role", "coordinator"},
		{"admin rolle @anna koordinatorin", "role", "coordinator"},
		{"admin rolle @anna admin", "role", "admin"},
		{"admin rolle @anna keine", "role", "none"},
		// dates by hand, filters, consent actions, confirmation
		{"termin " + k + " einschätzung 15.01.2027", "which", "reassessment"},
		{"termin " + k + " Monitoring 15.01.2027", "which", "monitoring"},
		{"faelle fällig", "filter", "due"},
		{"einwilligung " + k + " Erteilen jobcenter", "action", "grant"},
		{"loeschen " + k + " bestätigen", "confirm", "confirm"},
		// the words practitioners use besides the labels
		{"kontakt " + k + " Anruf Termin", "kind", "phone"},
		{"kontakt " + k + " SMS Termin", "kind", "message"},
		{"kontakt " + k + " WhatsApp Termin", "kind", "message"},
		{"kontakt " + k + " tel. Rückruf", "kind", "phone"},
		{"kontakt " + k + " Tel Rückruf", "kind", "phone"},
		{"kontakt " + k + " Sprechstunde Unterlagen", "kind", "in-person"},
		{"kontakt " + k + " Zoom Termin", "kind", "video"},
		{"ziel neu " + k + " Wohnung eigene Wohnung", "field", "housing"},
		{"ziel neu " + k + " Deutsch B1-Kurs", "field", "language"},
		{"ziel neu " + k + " Sprachkurs B1", "field", "language"},
		{"ziel neu " + k + " Beruf Praktikum", "field", "work"},
		{"ziel neu " + k + " Job Praktikum", "field", "work"},
		{"ziel neu " + k + " Schule Anmeldung", "field", "education"},
		{"ziel neu " + k + " Schulden Beratung", "field", "finances"},
		{"ziel neu " + k + " Aufenthaltsstatus klären", "field", "residence"},
		{"rechtskreis " + k + " Bürgergeld", "domain", "SGB2"},
		{"rechtskreis " + k + " ALG II", "domain", "SGB2"},
		{"rechtskreis " + k + " alg2", "domain", "SGB2"},
		{"rechtskreis " + k + " ALG I", "domain", "SGB3"},
		{"rechtskreis " + k + " Sozialhilfe", "domain", "SGB12"},
		{"rechtskreis " + k + " Jugendhilfe", "domain", "SGB8"},
		{"abschliessen " + k + " umgezogen nach Köln", "reason", "moved"},
		{"abschliessen " + k + " weggezogen", "reason", "moved"},
		{"abschliessen " + k + " abgebrochen", "reason", "withdrawn"},
		{"ergebnis " + k + " 1 nicht gekommen", "outcome", "no-show"},
		{"einstellungen sprache=deutsch", "lang", "de"},
		{"kontakt " + k + " Telefonat Termin", "kind", "phone"},
		{"kontakt " + k + " vor Ort Termin", "kind", "in-person"},
		{"kontakt " + k + " Büro Termin", "kind", "in-person"},
		{"kontakt " + k + " online Termin", "kind", "video"},
		{"einwilligung " + k + " erteilt jobcenter", "action", "grant"},
		{"einwilligung " + k + " liegt vor jobcenter", "action", "grant"},
		{"einwilligung " + k + " gegeben jobcenter schriftlich", "action", "grant"},
		{"einwilligung " + k + " zurückgezogen jobcenter", "action", "revoke"},
		{"einwilligung " + k + " Widerruf jobcenter", "action", "revoke"},
		{"ergebnis " + k + " 1 bewilligt", "outcome", "accepted"},
		{"ergebnis " + k + " 1 zugesagt", "outcome", "accepted"},
		{"ergebnis " + k + " 1 in Bearbeitung", "outcome", "pending"},
		{"ergebnis " + k + " 1 nicht wahrgenommen", "outcome", "no-show"},
		{"abschliessen " + k + " ausgereist", "reason", "moved"},
		{"abschliessen " + k + " weitergeleitet", "reason", "transferred"},
		{"abschliessen " + k + " kein Interesse", "reason", "withdrawn"},
		{"neu AB gruppe=Flüchtlinge einwilligung=ja", "group", "refugee"},
		{"neu AB gruppe=EU-Bürgerin einwilligung=ja", "group", "eu"},
		{"neu AB gruppe=Drittstaatler einwilligung=ja", "group", "third-country"},
		{"faelle geschlossen", "filter", "closed"},
		{"einstellungen sprache=Englisch", "lang", "en"},
	} {
		a, err := Parse(tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if got := a.Str(tc.param); got != tc.want {
			t.Errorf("%q: %s = %q, want %q", tc.line, tc.param, got, tc.want)
		}
	}
	// Life fields as assessment scores, German names in any spelling.
	a, err := Parse("einschätzung " + k + " Aufenthalt=2 sprache=3 ARBEIT=1 ausbildung=4 Gesundheit=5 wohnen=2 kinder=3 leistungen=1 teilhabe=2")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(a.Scores()); got != "map[education:4 family:3 finances:1 health:5 housing:2 language:3 residence:2 social:2 work:1]" {
		t.Errorf("scores %s", got)
	}
	// German option names for every option.
	for _, line := range []string{
		"kontakt " + k + " telefon minuten=20 datum=20.11.2026 Anruf", "einschaetzung " + k + " sprache=2 notiz=gut datum=20.11.2026",
		"ziel neu " + k + " sprache B1 faellig=30.06.2027", "verweis " + k + " jmd Beratung nachfassen=10d",
		"einwilligung " + k + " erteilen jmd form=muendlich datum=20.11.2026", "rechtskreis " + k + " SGB II seit=01.11.2026",
		"abwesend 21.12.2026 03.01.2027 vertretung=@ben", "einstellungen übersicht=07:30 sprache=en",
		"treffen neu 03.12.2026 9:30 Lenkungsgruppe kanal=~netz", "aufgabe neu M-3 @jonas Daten fällig=18.12.2026",
		"bericht 2026 nach=partner format=csv", "admin rolle @anna coach organisation=Caritas", "kontakte " + k + " seite=2",
		"neu AB gruppe=eu rechtskreis=SGB2 einwilligung=ja form=mündlich datum=02.11.2026",
	} {
		if _, err := Parse(line); err != nil {
			t.Errorf("%q: %v", line, err)
		}
	}
	// Every option of the table has a German name, unless the word is the
	// same in German (form=, format=, monitoring=, reassessment=, partner=).
	same := map[string]bool{"form": true, "format": true, "monitoring": true, "reassessment": true, "partner": true, "pseudonym": true, "name": true}
	for _, top := range Verbs() {
		walk(top, func(v *Verb) {
			for _, o := range v.Options {
				if o.Alias == "" && !same[o.Name] {
					t.Errorf("%s: option %s= has no German name", v.Path(), o.Name)
				}
			}
		})
	}
}

// No German word of a parameter names two of its values.
func TestGermanWordsUnambiguous(t *testing.T) {
	check := func(where string, p Param) {
		seen := map[string]string{}
		add := func(w, key string) {
			s := squash(w)
			if s == "" {
				return
			}
			if k, ok := seen[s]; ok && k != key {
				t.Errorf("%s: %q names %s and %s", where, w, k, key)
			}
			seen[s] = key
		}
		for i, c := range p.Choices {
			add(c, c)
			if i < len(p.De) {
				add(p.De[i], c)
			}
			if l := p.germanLabel(c); l != "" {
				add(l, c)
				for _, part := range strings.Split(l, "/") {
					add(part, c)
				}
			}
		}
		for _, x := range p.Or {
			add(x, x)
		}
		for w, key := range p.Aliases {
			add(w, key)
		}
		if len(p.De) > 0 && len(p.De) != len(p.Choices) {
			t.Errorf("%s: %d German words for %d choices", where, len(p.De), len(p.Choices))
		}
	}
	for _, top := range Verbs() {
		walk(top, func(v *Verb) {
			for _, p := range append(append([]Param{}, v.Params...), v.Options...) {
				check(v.Path()+" "+p.Name, p)
			}
		})
	}
}

// Usage lines and error lists show German verbs, names and values to German
// readers and English ones to English readers; errors name the field in the
// reader's language. Each refusal here replaces one that listed English
// values to German readers or refused a German word.
func TestGermanUsageAndErrors(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "neu AB gruppe=Geflüchtete rechtskreis=SGB II einwilligung=ja form=mündlich", "K-2026-0001")
	const k = "K-2026-0001"
	for _, tc := range []struct {
		user, line, outcome string
		want, not           []string
	}{
		{"anna", "kontakt " + k + " fax Hallo", kim.EINVALID, []string{"Art: „fax“ geht nicht; möglich: persönlich, Telefon, Video, Nachricht, Hausbesuch.",
			"Richtig: `/kim kontakt <fall> <persönlich|Telefon|Video|Nachricht|Hausbesuch> <notiz> [minuten=<minuten>] [datum=<datum>]`"}, []string{"in-person", "kind"}},
		{"ben", "contact " + k + " fax Hello", kim.EINVALID, []string{"Kind: “fax” is not possible; choose: in-person, phone, video, message, home-visit.",
			"`/kim contact <case> <in-person|phone|video|message|home-visit> <note> [minutes=<minutes>] [date=<date>]`"}, []string{"persönlich"}},
		{"anna", "kontakt " + k, kim.EINVALID, []string{"Es fehlt: Art."}, []string{"kind"}},
		{"anna", "zeige", kim.EINVALID, []string{"Es fehlt: Fall.", "`/kim zeige <fall>`"}, []string{"case"}},
		{"ben", "show", kim.EINVALID, []string{"Missing: Case.", "`/kim show <case>`"}, nil},
		{"anna", "rechtskreis " + k + " SGB9", kim.EINVALID, []string{"Rechtskreis: „SGB9“ geht nicht; möglich: AsylbLG, SGB II, SGB III, SGB VIII, SGB XII, keiner."}, []string{"SGB2", "none"}},
		{"ben", "domain " + k + " SGB9", kim.EINVALID, []string{"choose: AsylbLG, SGB2, SGB3, SGB8, SGB12, none."}, nil},
		{"anna", "neu CD gruppe=marsianer einwilligung=ja", kim.EINVALID, []string{"Gruppe: „marsianer“ geht nicht; möglich: Geflüchtete, Unionsbürger, Drittstaatsangehörige, Sonstige."}, []string{"refugee"}},
		{"anna", "neu CD gruppe=eu einwilligung=ja form=fax", kim.EINVALID, []string{"Form: „fax“ geht nicht; möglich: schriftlich, mündlich."}, []string{"oral"}},
		{"anna", "einschaetzung " + k + " laune=3", kim.EINVALID, []string{"Unbekanntes Handlungsfeld „laune“. Felder: Aufenthalt, Sprache, Arbeit, Bildung, Gesundheit, Wohnen, Familie, Finanzen, Teilhabe.",
			"`/kim einschätzung <fall> <feld=1..5 …> [notiz=<notiz>] [datum=<datum>]`"}, []string{"residence"}},
		{"ben", "assess " + k + " mood=3", kim.EINVALID, []string{"residence, language, work"}, []string{"Aufenthalt"}},
		{"anna", "ergebnis " + k + " 1 vielleicht", kim.EINVALID, []string{"möglich: angenommen, abgelehnt, offen, nicht erschienen, abgeschlossen."}, []string{"no-show"}},
		{"anna", "abschliessen " + k + " gefeuert", kim.EINVALID, []string{"möglich: Ziele erreicht, verzogen, zurückgezogen, übergeben, anderes."}, []string{"goals-met"}},
		{"anna", "bericht 2026 nach=farbe", kim.EINVALID, []string{"Nach: „farbe“ geht nicht; möglich: organisation, gruppe, rechtskreis, handlungsfeld, partner."}, []string{"by="}},
		{"root", "admin rolle @anna chef", kim.EINVALID, []string{"Rolle: „chef“ geht nicht; möglich: Coach, Koordination, Admin, keine."}, []string{"coordinator"}},
		{"anna", "ziel", kim.EINVALID, []string{"Was soll `/kim ziel` tun? Richtig: `/kim ziel <neu|erreicht|verwerfen|offen|ändern|löschen> …`"}, nil},
		{"anna", "abwesend aus vertretung=@ben", kim.EINVALID, []string{"`/kim abwesend aus`"}, []string{"off"}},
		{"anna", "kontakt " + k + " telefon minuten=viel Hallo", kim.EINVALID, []string{"Minuten: „viel“ ist keine Dauer von 0 bis 1440 Minuten"}, []string{"minutes"}},
		// Help shows the German sub-commands and values.
		{"anna", "hilfe ziel", "ok", []string{"**/kim ziel** (goal)", "`/kim ziel neu <fall> <Aufenthalt|Sprache|Arbeit|Bildung|Gesundheit|Wohnen|Familie|Finanzen|Teilhabe> <text> [fällig=<datum>]`"}, nil},
		{"anna", "hilfe rechtskreis", "ok", []string{"`/kim rechtskreis <fall> <AsylbLG|SGB II|SGB III|SGB VIII|SGB XII|keiner> [<bestätigen|behalten>] [seit=<datum>]`"}, nil},
		{"anna", "hilfe einwilligung", "ok", []string{"`/kim einwilligung <fall> <erteilen|widerrufen> <partner>|verarbeitung [<bestätigen>] [form=<schriftlich|mündlich>] [datum=<datum>]`"}, nil},
		// Examples in the reader's language.
		{"anna", "hilfe kontakt", "ok", []string{"`/kim kontakt " + "K-2026-0042 Hausbesuch", "`/kim kontakt löschen K-2026-0042 3 bestätigen`"}, []string{"/kim contact"}},
		{"ben", "help contact", "ok", []string{"`/kim contact K-2026-0042 phone", "`/kim contact delete K-2026-0042 3`"}, []string{"/kim kontakt"}},
		{"root", "hilfe admin", "ok", []string{"`/kim admin übergeben K-2026-0042 @ben bestätigen`", "`/kim admin protokoll K-2026-0042`", "`/kim admin partner neu bamf"}, []string{"/kim admin transfer", "/kim admin audit", "/kim admin partner add", "`/kim admin partner list`"}},
		{"ben", "help goal", "ok", []string{"**/kim goal** (ziel)", "`/kim goal add <case> <residence|language|work|education|health|housing|family|finances|social> <text> [due=<date>]`"}, nil},
		{"root", "hilfe bericht", "ok", []string{"[nach=<organisation|gruppe|rechtskreis|handlungsfeld|partner>] [format=<tabelle|csv|diagramm>]"}, nil},
		{"root", "hilfe admin", "ok", []string{"`/kim admin rolle <person> <Coach|Koordination|Admin|keine> [<bestätigen>]"}, nil},
		// Answers in German labels.
		{"anna", "zeige " + k, "ok", []string{"Zielgruppe: Geflüchtete · Rechtskreis: SGB II", "Verarbeitung (mündlich"}, nil},
		{"anna", "rechtskreis " + k + " SGB II", kim.ECONFLICT, []string{"schon im Rechtskreis SGB II"}, []string{"SGB2"}},
		{"anna", "rechtskreis " + k + " keiner seit=23.11.2026", "ok", []string{"SGB II → keiner seit 23.11.2026"}, nil},
		{"anna", "einwilligung " + k + " erteilen jobcenter form=mündlich", "ok", []string{"Jobcenter (mündlich"}, nil},
		{"anna", "zeige " + k, "ok", []string{"Rechtskreis: keiner", "Jobcenter (mündlich, 23.11.2026)"}, []string{"jobcenter (", "none"}},
		{"root", "admin partner liste", "ok", []string{"| `jobcenter` | Jobcenter | SGB II |", "| `jmd` | Jugendmigrationsdienst (JMD) | – |"}, []string{"SGB2"}},
	} {
		rep := w.want("teamA", tc.user, tc.line, tc.outcome, tc.want...)
		for _, f := range tc.not {
			if strings.Contains(rep.Text, f) {
				t.Errorf("%s: %q: answer has %q:\n%s", tc.user, tc.line, f, rep.Text)
			}
		}
	}
}

// The words coaches type for a verb besides its name and alias.
func TestVerbWordsCoachesType(t *testing.T) {
	const k = "K-2026-0042"
	for _, tc := range []struct{ line, verb string }{
		{"zeig " + k, "show"}, {"Fallkarte " + k, "show"}, {"anzeigen " + k, "show"},
		{"anlegen AB gruppe=eu einwilligung=ja", "open"}, {"eröffnen AB gruppe=eu einwilligung=ja", "open"},
		{"liste", "cases"}, {"fälle überfällig", "cases"},
		{"einschätzen " + k + " Sprache 2", "assess"}, {"verweisen " + k + " jobcenter Antrag", "refer"},
		{"Abschluss " + k + " verzogen", "close"}, {"schließen " + k + " verzogen", "close"},
		{"Strukturhinweis " + k + " jobcenter Wartezeiten", "barrier"},
		{"Urlaub 22.12.2026 02.01.2027 vertretung=@ben", "away"}, {"Abwesenheit aus", "away"},
		{"Statistik 2026", "report"}, {"Auswertung 2026-Q3 nach=rechtskreis", "report"},
		{"einstellung sprache=englisch", "settings"},
	} {
		a, err := Parse(tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if a.Verb.Path() != tc.verb {
			t.Errorf("%q: verb %s, want %s", tc.line, a.Verb.Path(), tc.verb)
		}
	}
}
