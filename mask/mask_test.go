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
		{"Mohamad wartet", "[…] wartet", []Kind{Unsure}},
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
		// Numbers and addresses.
		{"Tel. 0251 1234567", "Tel. […]", []Kind{Number}},
		{"BG-Nummer 12345BG0012345", "BG-Nummer […]", []Kind{Ref}},
		{"Kundennummer ABC123456", "Kundennummer […]", []Kind{Number}},
		{"geb. 01.02.1990", "geb. […]", []Kind{Number}},
		{"schreibt an mo.k@example.org", "schreibt an […]", []Kind{Email}},
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
	if r := Text("Mohamed wartet"); r.Text != "Mohamed wartet" {
		t.Errorf("without pseudonyms: %q", r.Text)
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
