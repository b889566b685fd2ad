package mask

import (
	"strings"
	"testing"
)

// team is the pseudonyms of the cases of the test's team.
var team = []string{"Mohamed", "Müller", "A. M.", "AB", "Yilmaz", "Олена", "Jo", "Anna Berger"}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Mo\u200bha\u00admed", "Mohamed"},                 // zero-width space, soft hyphen
		{"Mo\u200dham\u200ced\u2060", "Mohamed"},           // joiners, word joiner
		{"\u202eMohamed\u202c \u2066x\u2069", "Mohamed x"}, // bidi override, isolate
		{"Mu\u0308ller", "Müller"},                         // decomposed umlaut
		{"Mu\u200b\u0308ller", "Müller"},                   // an invisible between letter and mark
		{"K\uff0d２０２６\uff0d０００１", "K-2026-0001"},           // full-width forms
		{"٢٠٢٦ ۰۰۰۱ २०२६", "2026 0001 2026"},               // Arabic-Indic, Persian, Devanagari digits
		{"①②", "12"},
		{"  a \t\n b\u00a0\u3000c \x00 d ", "a b c d"},
		{"x\ufe0fy\U000e0041z", "xyz"}, // variation selector, tag character
		{"Termin […] verschoben", "Termin […] verschoben"},
		{"Ｍｏｈａｍｅｄ", "Mohamed"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	for _, group := range [][]string{
		{"Müller", "Mueller", "MÜLLER", "Muller", "müller"},
		{"Mohamed", "Mohammed", "MOHAMED", "M0hamed", "Моhamed"},
		{"Meier", "Meyer"},
		{"Strauß", "Strauss", "STRAUSS"},
		{"Philipp", "Filip"},
		{"Olena", "Олена"},
	} {
		want := key(group[0], false)
		for _, w := range group[1:] {
			found := false
			for _, k := range keys(w) {
				found = found || k == want
			}
			if !found {
				t.Errorf("keys(%q) = %v, want %q as key(%q)", w, keys(w), want, group[0])
			}
		}
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		kinds    []Kind // kinds of the replacements, in text order
	}{
		// Case references in every form.
		{"Fall K-2026-0001 wartet", "Fall […] wartet", []Kind{Ref}},
		{"Fall k-2026-0001 wartet", "Fall […] wartet", []Kind{Ref}},
		{"siehe K–2026–0001.", "siehe […].", []Kind{Ref}},
		{"siehe K—2026—0001", "siehe […]", []Kind{Ref}},
		{"siehe K−2026−0001", "siehe […]", []Kind{Ref}},
		{"siehe K‐2026‐0001", "siehe […]", []Kind{Ref}},
		{"siehe K 2026/0001", "siehe […]", []Kind{Ref}},
		{"siehe K-2026/0001", "siehe […]", []Kind{Ref}},
		{"siehe K_2026_0001", "siehe […]", []Kind{Ref}},
		{"siehe K.2026.0001", "siehe […]", []Kind{Ref}},
		{"siehe K20260001", "siehe […]", []Kind{Ref}},
		{"siehe K-26-1", "siehe […]", []Kind{Ref}},
		{"siehe K-42", "siehe […]", []Kind{Ref}},
		{"siehe Ｋ－２０２６－０００１", "siehe […]", []Kind{Ref}},
		{"siehe К-2026-0001", "siehe […]", []Kind{Ref}}, // Cyrillic К
		{"siehe K-2\u200b026-00\u00ad01", "siehe […]", []Kind{Ref}},
		{"siehe 2026-0001", "siehe […]", []Kind{Ref}},
		{"(K-2026-0001)", "([…])", []Kind{Ref}},
		{"Fall 42 und Fall Nr. 7", "Fall […] und Fall Nr. […]", []Kind{Ref, Ref}},
		{"Az. 12/3456", "Az. […]", []Kind{Ref}},
		// Pseudonyms as words and stems.
		{"Mohamed findet keine Wohnung", "[…] findet keine Wohnung", []Kind{Pseudonym}},
		{"Mohameds Antrag liegt", "[…] Antrag liegt", []Kind{Pseudonym}},
		{"Mohamed's Antrag", "[…] Antrag", []Kind{Pseudonym}},
		{"mohamed MOHAMED Mohamed", "[…]", []Kind{Pseudonym}},
		{"Mo\u200bhamed", "[…]", []Kind{Pseudonym}},
		{"Mo-ha-med wartet", "[…] wartet", []Kind{Pseudonym}},
		{"M o h a m e d wartet", "[…] wartet", []Kind{Pseudonym}},
		{"M0hamed wartet", "[…] wartet", []Kind{Pseudonym}},
		{"Моhamed wartet", "[…] wartet", []Kind{Pseudonym}}, // Cyrillic М and о
		{"Mohammed wartet", "[…] wartet", []Kind{Pseudonym}},
		{"Mohamad wartet", "[…] wartet", []Kind{Name}}, // one letter off the pseudonym, and a first name
		{"die Mohamedfamilie wartet", "die […] wartet", []Kind{Unsure}},
		{"Mu\u0308ller wartet", "[…] wartet", []Kind{Pseudonym}},
		{"Muellers warten", "[…] warten", []Kind{Pseudonym}},
		{"die Yilmazsche Wohnung", "die […] Wohnung", []Kind{Pseudonym}},
		{"Olena braucht einen Kurs", "[…] braucht einen Kurs", []Kind{Pseudonym}},
		{"Berger und Anna", "[…] und […]", []Kind{Pseudonym, Pseudonym}},
		{"Jo wartet, jo", "[…] wartet, jo", []Kind{Pseudonym}},
		{"AB wartet ab Montag", "[…] wartet ab Montag", []Kind{Pseudonym}},
		{"A.B. wartet", "[…] wartet", []Kind{Pseudonym}},
		{"A. M. wartet", "[…] wartet", []Kind{Pseudonym}},
		{"A.M. wartet", "[…] wartet", []Kind{Pseudonym}},
		// Name patterns.
		{"Frau A. wartet", "Frau […] wartet", []Kind{Name}},
		{"Frau A wartet", "Frau […] wartet", []Kind{Name}},
		{"Herr Schmidt wartet", "Herr […] wartet", []Kind{Name}},
		{"Herrn Dr. Schmidt", "Herrn Dr. […]", []Kind{Name}},
		{"Fr. Schmidt-Weber und Hr. K.", "Fr. […] und Hr. […]", []Kind{Name, Name}},
		{"Familie Schmidt sucht", "Familie […] sucht", []Kind{Name}},
		{"Frau Anna Maria Schmidt", "Frau […]", []Kind{Pseudonym}},
		{"Frau A.s Antrag", "Frau […] Antrag", []Kind{Name}},
		{"frau schmidt wartet", "frau […] wartet", []Kind{Unsure}},
		{"die Frau hat keinen Termin", "die Frau hat keinen Termin", nil},
		{"Familie mit drei Kindern", "Familie mit drei Kindern", nil},
		{"X. Y. hat angerufen", "[…] hat angerufen", []Kind{Unsure}},
		// Names of the lists (mask/firstnames.txt, mask/surnames.txt), and by their ending.
		{"Antrag von Mehmet Demir liegt", "Antrag von […] liegt", []Kind{Name}},
		{"Antrag von Mehmet Öztürk liegt", "Antrag von […] liegt", []Kind{Name}},
		{"Antrag von Mehmet Yilmaz liegt", "Antrag von […] liegt", []Kind{Pseudonym}}, // the pseudonym's kind is the stronger
		{"Fatima wartet seit Oktober", "[…] wartet seit Oktober", []Kind{Name}},
		{"fatima wartet", "[…] wartet", []Kind{Unsure}},
		{"Im nasser Keller, hellen Räumen", "Im nasser Keller, hellen Räumen", nil}, // lower case is a German word when capitals are used
		{"Sabine W. vom Jobcenter", "[…] vom Jobcenter", []Kind{Name}},
		{"Hassan al-Rashid wartet", "[…] wartet", []Kind{Name}},
		{"Oksana Shevchenko und Iryna", "[…] und […]", []Kind{Name, Name}},
		{"Anna Maria Schmidt", "[…]", []Kind{Pseudonym}},
		{"Sabine Maria Schmidt Jobcenter", "[…] Jobcenter", []Kind{Name}}, // two first names and the family name
		{"Blerina Krasniqi sucht", "[…] sucht", []Kind{Name}},
		{"bei Kovalchuk nachfragen", "bei […] nachfragen", []Kind{Name}},
		{"bei Hryhorenko nachfragen", "bei […] nachfragen", []Kind{Unsure}},
		{"Zoran Petrovics Antrag", "[…] Antrag", []Kind{Name}},
		{"Ahmads Antrag", "[…] Antrag", []Kind{Name}},
		{"Sachbearbeiterin Sabine Krüger ruft nicht zurück", "Sachbearbeiterin […] ruft nicht zurück", []Kind{Name}},
		{"Anträge von Mohammad und Zahra Hosseini", "Anträge von […] und […]", []Kind{Name, Name}},
		// Numbers and addresses.
		{"Tel. 0251 1234567", "Tel. […]", []Kind{Number}},
		{"BG-Nummer 12345BG0012345", "BG-Nummer […]", []Kind{Ref}},
		{"Kundennummer ABC123456", "Kundennummer […]", []Kind{Number}},
		{"geb. 01.02.1990", "geb. […]", []Kind{Number}},
		{"schreibt an mo.k@example.org", "schreibt an […]", []Kind{Email}},
		{"wohnt Hauptstraße 12, zweiter Stock", "wohnt […], zweiter Stock", []Kind{Address}},
		{"Kölner Str. 3a und Lindenweg 7", "[…] und […]", []Kind{Address, Address}},
		{"Arbeitsweg 45 Minuten, Schulweg 2 km", "Arbeitsweg 45 Minuten, Schulweg 2 km", nil},
		{"schreibt an mo(at)example.org", "schreibt an […]", []Kind{Email}},
		// Other scripts.
		{"Антон wartet", "[…] wartet", []Kind{Unsure}},
		// What stays.
		{"Termine erst nach 8 Wochen", "Termine erst nach 8 Wochen", nil},
		{"Seit 01.03.2026 keine Termine, Schuljahr 2026/2027", "Seit 01.03.2026 keine Termine, Schuljahr 2026/2027", nil},
		{"Kita-Plätze fehlen, B1-Kurs voll", "Kita-Plätze fehlen, B1-Kurs voll", nil},
		{"Wartezeit 2026-03-02 bis 2026-04-01", "Wartezeit 2026-03-02 bis 2026-04-01", nil},
		{"Annahme der Anträge dauert", "Annahme der Anträge dauert", nil},
		{"Termin […] verschoben", "Termin […] verschoben", nil},
		// Words of the lists' neighbours that are no names.
		{"Nur ein Kurs, Max. 12 Plätze, Mark und Kim", "Nur ein Kurs, Max. 12 Plätze, Mark und Kim", nil},
		{"Das Jobcenter Essen bewilligt Anträge erst nach 8 Wochen", "Das Jobcenter Essen bewilligt Anträge erst nach 8 Wochen", nil},
		{"Wohnungen fehlen, Vermieter lehnen ab; Mietobergrenze zu niedrig", "Wohnungen fehlen, Vermieter lehnen ab; Mietobergrenze zu niedrig", nil},
		{"Integrationskurse ausgebucht bis Jan. 2027, Roman lesen hilft nicht", "Integrationskurse ausgebucht bis Jan. 2027, Roman lesen hilft nicht", nil},
		{"Völker und Kulturen, Ärztinnen ohne Dolmetscher", "Völker und Kulturen, Ärztinnen ohne Dolmetscher", nil},
	} {
		got := Text(tc.in, team...)
		var kinds []Kind
		for _, r := range got.Replaced {
			kinds = append(kinds, r.Kind)
		}
		if got.Text != tc.want || strings.Join(kindStrings(kinds), ",") != strings.Join(kindStrings(tc.kinds), ",") {
			t.Errorf("Mask(%q) = %q %v, want %q %v", tc.in, got.Text, got.Replaced, tc.want, tc.kinds)
		}
		// Masking a masked text changes nothing.
		if again := Text(got.Text, team...); again.Text != got.Text || len(again.Replaced) != 0 {
			t.Errorf("Mask(Mask(%q)) = %q %v, want it unchanged", tc.in, again.Text, again.Replaced)
		}
	}
}

func kindStrings(ks []Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

func TestResult(t *testing.T) {
	r := Text("Frau A. und Mohamedfamilie, K-2026-0001", team...)
	if got := r.Unsure(); len(got) != 1 || got[0] != "Mohamedfamilie" {
		t.Errorf("Unsure() = %q", got)
	}
	if r.Count(Ref) != 1 || r.Count(Name) != 1 || r.Count(Pseudonym) != 0 {
		t.Errorf("counts: %+v", r.Replaced)
	}
	if r := Text("", team...); r.Text != "" || len(r.Replaced) != 0 {
		t.Errorf("empty: %+v", r)
	}
	if r := Text("Zaphod wartet"); r.Text != "Zaphod wartet" {
		t.Errorf("without pseudonyms: %q", r.Text)
	}
	if r := Text("Mohamed wartet"); r.Text != "[…] wartet" || r.Count(Name) != 1 {
		t.Errorf("a first name without pseudonyms: %q %v", r.Text, r.Replaced)
	}
}

func TestNear(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"mohamed", "mohamad", true}, {"mohamed", "mohaemd", true}, {"mohamed", "mohamedx", true},
		{"mohamed", "ohamed", true}, {"mohamed", "mohamed", true}, {"mohamed", "mahamad", false}, {"abc", "abcde", false},
	} {
		if got := near(tc.a, tc.b); got != tc.want {
			t.Errorf("near(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

// Every name of the lists is masked, as a word of a sentence.
func TestNameLists(t *testing.T) {
	for _, list := range []string{firstNamesText, surnamesText} {
		n := 0
		for _, line := range strings.Split(list, "\n") {
			if strings.HasPrefix(line, "#") {
				continue
			}
			for _, name := range strings.Fields(line) {
				n++
				if got := Text("Seit Oktober wartet " + name + " auf den Bescheid"); got.Text != "Seit Oktober wartet […] auf den Bescheid" {
					t.Errorf("%q: %q %v", name, got.Text, got.Replaced)
				}
			}
		}
		if n < 100 {
			t.Errorf("a list of %d names", n)
		}
	}
}

// What coaches write about the system keeps its words: the names of the
// lists hide no ordinary German word.
func TestBarrierTextsStay(t *testing.T) {
	for _, s := range []string{
		"Wartezeiten beim Jobcenter Essen über acht Wochen, Anträge bleiben liegen",
		"Keine Wohnungen unter der Mietobergrenze, Vermieter lehnen Bürgergeld ab",
		"Integrationskurse in der Stadt bis März ausgebucht, Kinderbetreuung fehlt",
		"Die Ausländerbehörde vergibt Termine nur online, ohne Dolmetscher",
		"Anerkennung ausländischer Abschlüsse dauert Monate, Unterlagen gehen verloren",
		"Kita-Plätze fehlen im Stadtteil, Eltern können den Sprachkurs nicht besuchen",
		"Krankenversicherung nach dem Rechtskreiswechsel ungeklärt, Ärzte behandeln nicht",
		"Schulen nehmen Seiteneinsteiger erst nach den Ferien auf",
		"Bescheide nur auf Deutsch, Widerspruchsfristen werden verpasst",
		"Beratung der Familienkasse zum Kindergeld nur telefonisch, Warteschleife eine Stunde",
		"Digitale Anträge ohne Hilfe kaum möglich, Bibliothek hat keine Rechner mehr",
		"Busverbindung zur Gemeinschaftsunterkunft fällt abends aus",
		"Sprachmittler fehlen für Tigrinya, Dari und Kurmandschi",
		"Die Wohnsitzauflage verhindert den Umzug zur Arbeitsstelle",
		"Mobilität: Deutschlandticket wird vom Sozialamt nicht übernommen",
		"Gesundheitsamt: Impftermine für Kinder erst im neuen Jahr",
		"Arbeitgeber warten auf die Beschäftigungserlaubnis, Stelle wird anders besetzt",
		"Nur wenige Praxen nehmen neue Patienten, Psychotherapie Wartezeit ein Jahr",
		"Max. zwei Termine pro Monat, Mark verlangt, Kosten nicht übernommen",
		"Schuldnerberatung überlastet, Erstgespräch im Februar",
	} {
		if got := Text(s, team...); got.Text != s {
			t.Errorf("Mask(%q) = %q %v", s, got.Text, got.Replaced)
		}
	}
}

func TestFullName(t *testing.T) {
	for in, want := range map[string]string{"Mehmet Yilmaz": "M. Y.", "Frau Oksana Shevchenko": "O. S.", "Blerina Krasniqi": "B. K.",
		"M. Y.": "", "Frau Y.": "", "Fatima": "", "AB": "", "Herr A.": "", "Mehmet Y.": "", "Frau Yilmaz": ""} {
		got, ok := FullName(in)
		if got != want || ok != (want != "") {
			t.Errorf("FullName(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// FuzzMask: masking never fails, a masked text masks to itself, and no word
// of the team's pseudonyms stays in it.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"Antrag von Mehmet Demir liegt", "Frau A. wartet", "K-2026-0001", "Mo\u200bhamed", "wohnt Hauptstraße 12",
		"Hassan al-Rashid", "Ahmads Antrag", "geb. 01.02.1990", "mo(at)example.org", "Олена"} {
		f.Add(s)
	}
	m := New(team...)
	f.Fuzz(func(t *testing.T, s string) {
		got := m.Mask(s)
		if again := m.Mask(got.Text); again.Text != got.Text {
			t.Fatalf("Mask(%q) = %q, masked again %q", s, got.Text, again.Text)
		}
		rs := []rune(got.Text)
		for _, tk := range tokens(rs) {
			w := string(rs[tk.from:tk.to])
			for _, p := range []string{"mohamed", "muller", "yilmaz", "olena"} {
				if key(w, false) == p {
					t.Fatalf("Mask(%q) = %q keeps %q", s, got.Text, w)
				}
			}
		}
	})
}
