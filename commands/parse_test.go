package commands

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

// errKey returns the message key of a parse error ("" for none).
func errKey(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*kim.Error); ok {
		return e.Key
	}
	return err.Error()
}

func TestParseAccepts(t *testing.T) {
	for _, tc := range []struct {
		line  string
		verb  string
		check func(*Args) bool
	}{
		{"", "help", func(a *Args) bool { return !a.Has("verb") }},
		{"hilfe open", "help", func(a *Args) bool { return a.Str("verb") == "open" }},
		{"open AB group=refugee consent=yes", "open", func(a *Args) bool {
			return a.Str("pseudonym") == "AB" && a.Str("group") == "refugee" && !a.Has("domain")
		}},
		{`NEU "M. K." group=EU domain=sgb2 consent=ja`, "open", func(a *Args) bool {
			return a.Str("pseudonym") == "M. K." && a.Str("group") == "eu" && a.Str("domain") == "SGB2"
		}},
		{"open „Frau A“ consent=yes group=other", "open", func(a *Args) bool { return a.Str("pseudonym") == "Frau A" }},
		{"neu Frau K. gruppe=eu einwilligung=ja", "open", func(a *Args) bool { return a.Str("pseudonym") == "Frau K." }}, // initials join unquoted
		{"neu CD geflüchtet einwilligung=ja", "open", func(a *Args) bool { return a.Str("group") == "refugee" }},
		{"ziel fallen lassen AB 1", "goal drop", func(a *Args) bool { return a.values["case"] == caseQuery("AB") }},
		{"ziel wieder öffnen K-2026-0042 1", "goal reopen", func(a *Args) bool { return a.Str("case") == "K-2026-0042" }},
		{"einwilligung K-2026-0042 jobcenter zurückgenommen", "consent", func(a *Args) bool { return a.Str("action") == "revoke" }},
		{"treffen am 18.12.2026 um 10 Uhr Netzwerk Jobcenter", "meeting new", func(a *Args) bool { // the words said before a date and a time
			return a.Date("date").String() == "2026-12-18" && a.Clock("time") != nil && a.Clock("time").String() == "10:00" && a.Str("title") == "Netzwerk Jobcenter"
		}},
		{"treffen neu 18.12.2026 um 9:30 Netzwerk", "meeting new", func(a *Args) bool { return a.Clock("time").String() == "09:30" && a.Str("title") == "Netzwerk" }},
		{"termin K-2026-0042 monitoring am 10.12.2026", "due", func(a *Args) bool { return a.Date("date").String() == "2026-12-10" }},
		{"treffen neu 18.12.2026 10:00 um Neun", "meeting new", func(a *Args) bool { return a.Str("title") == "um Neun" }}, // no time after it: the title's
		{"meine fälle", "cases", func(a *Args) bool { return true }},
		{"Meine Fälle fällig", "cases", func(a *Args) bool { return a.Str("filter") == "due" }},
		{"wieder öffnen AB", "reopen", func(a *Args) bool { return a.values["case"] == caseQuery("AB") }},
		{"wieder aufnehmen K-2026-0042", "reopen", func(a *Args) bool { return a.Str("case") == "K-2026-0042" }},
		{"kontakt AB Telefongespräch Kita-Platz", "contact", func(a *Args) bool { return a.Str("kind") == "phone" }},
		{"kontakt S. T. telefon Rückruf", "contact", func(a *Args) bool { return a.values["case"] == caseQuery("S. T.") && a.Str("kind") == "phone" }},
		{"kontakt AB tel. Rückruf wegen Kita", "contact", func(a *Args) bool { // „tel.“ is the telephone, not an initial
			return a.values["case"] == caseQuery("AB") && a.Str("kind") == "phone" && a.Str("note") == "Rückruf wegen Kita"
		}},
		{"neu M. K. gruppe=eu einwilligung=ja", "open", func(a *Args) bool { return a.Str("pseudonym") == "M. K." }},
		{"fall ändern K-2026-1 pseudonym=S. T.", "case edit", func(a *Args) bool { return a.Str("pseudonym") == "S. T." }},
		{"show k-2026-0042", "show", func(a *Args) bool { return a.Str("case") == "K-2026-0042" }},
		{"faelle faellig", "cases", func(a *Args) bool { return a.Str("filter") == "due" }},
		{"admin role @Anna.M coach org=\"Caritas Köln\"", "admin role", func(a *Args) bool {
			return a.Str("user") == "anna.m" && a.Str("role") == "coach" && a.Str("org") == "Caritas Köln"
		}},
		{"settings digest=07:30 lang=en", "settings", func(a *Args) bool { return a.Clock("digest").String() == "07:30" && a.Str("lang") == "en" }},
		{"admin vorgaben Ersteinschätzung=3w AUFBEWAHRUNG=12m", "admin defaults", func(a *Args) bool {
			x, _ := a.Span("assessment")
			y, _ := a.Span("retention")
			return x == kim.Span{N: 3, Unit: 'w'} && y == kim.Span{N: 12, Unit: 'm'}
		}},
		// what coaches type for a sub-verb besides its name and alias
		{"ziel erledigt K-2026-42 1", "goal done", func(a *Args) bool { return a.Str("case") == "K-2026-0042" && slices.Equal(a.Ints("n"), []int{1}) }},
		{"ziel geschafft K-2026-0042 2", "goal done", func(a *Args) bool { return slices.Equal(a.Ints("n"), []int{2}) }},
		{"ziel erreicht K-2026-0042 3, 1 und 2", "goal done", func(a *Args) bool { return slices.Equal(a.Ints("n"), []int{1, 2, 3}) }},
		{"kontakt korrigieren K-2026-0042 3 minuten=45", "contact edit", func(a *Args) bool { return *a.OptInt("minutes") == 45 }},
		{"kontakt korrigieren K-2026-0042 3 minuten=1,5 Std", "contact edit", func(a *Args) bool { return *a.OptInt("minutes") == 90 }},
		{"kontakt K-2026-0042 gestern telefon Rückruf", "contact", func(a *Args) bool { // a day before the kind
			return a.Str("kind") == "phone" && *a.Date("date") == today().AddDays(-1) && a.Str("note") == "Rückruf"
		}},
		{"kontakt K-2026-0042 telefon heute Rückruf", "contact", func(a *Args) bool { return !a.Has("date") && a.Str("note") == "heute Rückruf" }},
		{"kontakt K-2026-0042 telefon minuten 20 min Rückruf", "contact", func(a *Args) bool { return a.Int("minutes") == 20 && a.Str("note") == "Rückruf" }},
		{"kontakt K-2026-0042 hausbesuch Wohnung angeschaut minuten 1 h", "contact", func(a *Args) bool {
			return a.Int("minutes") == 60 && a.Str("note") == "Wohnung angeschaut"
		}},
		{"kontakt K-2026-0042 telefon Rückruf minuten=45min", "contact", func(a *Args) bool { return a.Int("minutes") == 45 }},
		{"ziel bearbeiten K-2026-0042 1 B2-Kurs", "goal edit", func(a *Args) bool { return a.Str("text") == "B2-Kurs" }},
		{"kontakt entfernen K-2026-0042 3", "contact delete", func(a *Args) bool { return !a.Has("confirm") }},
		{"hindernis entfernen K-2026-0042 1", "barrier delete", func(a *Args) bool { return a.Int("n") == 1 }},
		// a verb's default sub-verb when a case or meeting follows it
		{"ziel K-2026-42 Wohnung eigene Wohnung finden bis 31.3.27", "goal add", func(a *Args) bool {
			return a.Str("field") == "housing" && a.Str("text") == "eigene Wohnung finden" && a.Date("due").String() == "2027-03-31"
		}},
		{"tagesordnung M-3 Wohnungsmarkt", "agenda add", func(a *Args) bool { return a.Int("meeting") == 3 && a.Str("text") == "Wohnungsmarkt" }},
		{"treffen 10.12.2026 14:00 Netzwerk", "meeting new", func(a *Args) bool { return a.Str("title") == "Netzwerk" }},
		{"tagesordnung M-1 2 Posten im Haushalt", "agenda add", func(a *Args) bool { return a.Str("text") == "2 Posten im Haushalt" }},
		{"treffen neu 10.12.2026 14 Uhr Netzwerk", "meeting new", func(a *Args) bool { return a.Clock("time").String() == "14:00" && a.Str("title") == "Netzwerk" }},
		{"treffen neu 10.12.2026 9.30 Netzwerk", "meeting new", func(a *Args) bool { return a.Clock("time").String() == "09:30" && a.Str("title") == "Netzwerk" }},
		{"einstellungen übersicht=7 Uhr", "settings", func(a *Args) bool { return a.Clock("digest").String() == "07:00" }},
		{"einstellungen übersicht=7.45", "settings", func(a *Args) bool { return a.Clock("digest").String() == "07:45" }},
		{"einstellungen übersicht=8h", "settings", func(a *Args) bool { return a.Clock("digest").String() == "08:00" }},
		{"abwesend vom 22.12.2026 bis 02.01.2027 vertretung=@ben", "away", func(a *Args) bool {
			return a.Date("from").String() == "2026-12-22" && a.Date("to").String() == "2027-01-02" && a.Str("deputy") == "ben"
		}},
		{"abwesend 22.12.2026–2.1.2027 vertretung=@ben", "away", func(a *Args) bool {
			return a.Date("from").String() == "2026-12-22" && a.Date("to").String() == "2027-01-02"
		}},
		{"abwesend ab 22.12.2026 - 2.1.2027 vertretung=@ben", "away", func(a *Args) bool {
			return a.Date("from").String() == "2026-12-22" && a.Date("to").String() == "2027-01-02"
		}},
		{"termin K-2026-0001 monitoring nächsten Freitag", "due", func(a *Args) bool { return a.Date("date") != nil }},
		{"kontakt K-2026-0001 telefon datum letzten Freitag Rückruf", "contact", func(a *Args) bool { return a.Date("date") != nil && a.Str("note") == "Rückruf" }},
		{"abwesend Ende Dezember 2026 bis Anfang Januar 2027 vertretung=@ben", "away", func(a *Args) bool {
			return a.Date("from").String() == "2026-12-31" && a.Date("to").String() == "2027-01-01"
		}},
		{"treffen M-3", "meeting show", func(a *Args) bool { return a.Int("meeting") == 3 }},
		{"aufgabe M-3 @anna Liste schicken bis 18.12.2026", "action add", func(a *Args) bool {
			return a.Str("text") == "Liste schicken" && a.Date("due").String() == "2026-12-18"
		}},
		{"einschätzung K-2026-0042 Sprache 2 Arbeit 1 wohnen=3", "assess", func(a *Args) bool {
			return fmt.Sprint(a.Scores()) == "map[housing:3 language:2 work:1]"
		}},
		{"einschätzung K-2026-0042 Sprache: 2, Arbeit: 1, wohnen=3, gesundheit=4", "assess", func(a *Args) bool { // as a list
			return fmt.Sprint(a.Scores()) == "map[health:4 housing:3 language:2 work:1]"
		}},
		{"einstellungen zusammenfassung=7:30", "settings", func(a *Args) bool { return a.Clock("digest") != nil && a.Clock("digest").String() == "07:30" }},
		{"einstellungen erinnerung 7 Uhr", "settings", func(a *Args) bool { return a.Clock("digest") != nil && a.Clock("digest").String() == "07:00" }},
		// options typed at the end without their "="
		{"rechtskreis K-2026-0042 SGB 2 seit 1.11.2026", "domain", func(a *Args) bool {
			return a.Str("domain") == "SGB2" && a.Date("since").String() == "2026-11-01"
		}},
		{"kontakt K-2026-0042 telefon Termin verschoben minuten 20 datum gestern", "contact", func(a *Args) bool {
			return a.Str("note") == "Termin verschoben" && a.Int("minutes") == 20 && *a.Date("date") == today().AddDays(-1)
		}},
		{"kontakt K-2026-0042 telefon seit 2 Wochen krank", "contact", func(a *Args) bool { return a.Str("note") == "seit 2 Wochen krank" }},
		{"kontakt K-2026-0042 telefon Termin datum 12.12.", "contact", func(a *Args) bool { return a.Str("note") == "Termin" && a.Has("date") }},
		{"kontakt K-2026-0042 telefon Termin datum 12.12.x", "contact", func(a *Args) bool { return a.Str("note") == "Termin datum 12.12.x" && !a.Has("date") }},
		{"kontakt K-2026-0042 telefon Termin minuten 20 Uhr", "contact", func(a *Args) bool { return a.Str("note") == "Termin minuten 20 Uhr" }},
		{`ziel neu K-2026-0042 Arbeit "Praktikum bis 31.3.27"`, "goal add", func(a *Args) bool { return a.Str("text") == "Praktikum bis 31.3.27" && !a.Has("due") }},
		// a value of a choice option where no positional parameter takes it
		{"einwilligung K-2026-0042 erteilen jobcenter mündlich", "consent", func(a *Args) bool {
			return a.Str("form") == "oral" && !a.Has("confirm")
		}},
		{"neu AB Geflüchtete einwilligung=ja mündlich", "open", func(a *Args) bool {
			return a.Str("group") == "refugee" && a.Str("consent") == "yes" && a.Str("form") == "oral"
		}},
		{"bericht csv", "report", func(a *Args) bool { return a.Str("format") == "csv" && a.Period("period") == nil }},
		{"bericht 2026 nach partner", "report", func(a *Args) bool { return a.Str("by") == "partner" && a.Period("period") != nil }},
		{"neu AB gruppe eu einwilligung ja rechtskreis SGB II", "open", func(a *Args) bool {
			return a.Str("group") == "eu" && a.Str("consent") == "yes" && a.Str("domain") == "SGB2" && a.Str("pseudonym") == "AB"
		}},
		{"einstellungen uebersicht aus sprache englisch", "settings", func(a *Args) bool { return a.Word("digest") == "off" && a.Str("lang") == "en" }},
		{"einwilligung K-2026-0042 erteilen jobcenter form mündlich", "consent", func(a *Args) bool { return a.Str("form") == "oral" }},
		{"ziel neu K-2026-0042 Arbeit Bewerbung nach Vorlage", "goal add", func(a *Args) bool { return a.Str("text") == "Bewerbung nach Vorlage" }},
		{"bericht Diagramm handlungsfeld", "report", func(a *Args) bool { return a.Str("format") == "chart" && a.Str("by") == "field" }},
		{"einwilligung K-2026-0042 widerrufen verarbeitung bestätigen", "consent", func(a *Args) bool { return a.Str("confirm") == "confirm" && !a.Has("form") }},
	} {
		a, err := Parse(tc.line)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.line, err)
			continue
		}
		if a.Verb.Path() != tc.verb || !tc.check(a) {
			t.Errorf("Parse(%q) = %s %v", tc.line, a.Verb.Path(), a.values)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	long := strings.Repeat("x", 41)
	for _, tc := range []struct{ line, key string }{
		{"frobnicate", "err.unknown_verb"},
		{"open group=eu consent=yes", "err.missing"},            // pseudonym missing; bare "open" opens the dialog
		{"open AB consent=yes", "err.missing"},                  // group missing
		{"open AB group=martian consent=yes", "err.bad_choice"}, // unknown group
		{"open AB group=eu consent=yes colour=red", "err.unknown_option"},
		{"open AB CD group=eu consent=yes", "err.pseudonym_words"}, // quote a pseudonym of two words
		{"open " + long + " group=eu consent=yes", "err.too_long"},
		{"open K-2026-0005 group=eu consent=yes", "err.pseudonym_ref"}, // would be read as a reference
		{"neu 2B gruppe=eu einwilligung=ja", "err.pseudonym_ref"},
		{"fall ändern K-2026-1 pseudonym=k2026", "err.pseudonym_ref"},
		{"open AB group=eu group=eu consent=yes", "err.duplicate_option"},
		{`open "AB group=eu consent=yes`, "err.unclosed_quote"},
		{"show 42x", "err.bad_case_ref"},
		{"show K-2026-", "err.bad_case_ref"},
		{`rechtskreis schritt "H. M." 1 erledigt`, "err.other_verb"}, // a verb before the verb meant
		{"fall zeige AB", "err.other_verb"},
		{"tagesordnung zeige M-1", "err.other_verb"}, // treffen zeige M-1, not a case "M-1"
		{"rechtskreis AB schritt 1 erledigt", "err.other_verb"},
		{"ziel AB 1 erreicht", "err.other_verb"},
		{"kontakt K-2026-0042 2 löschen", "err.other_verb"},
		{"hindernis K-2026-0042 1 bestätigen", "err.other_verb"}, // parses, but means the sub-verb
		{"tagesordnung M-1 2 löschen", "err.other_verb"},         // not an item "2 löschen"
		{"tagesordnung M-1 2 ändern", "err.missing"},             // nor "2 ändern": the new text is missing
		{"tagesordnung M-1 2 ändern Wohnraum für Familien", "err.other_verb"},
		{"treffen M-1 ändern datum=10.12.2026", "err.other_verb"},
		{"aufgabe A-1 erledigt", "err.other_verb"},
		{`termin "M. K." monitorin 12.12.`, "err.other_verb"}, // quoted: no pseudonym taken apart; the slip answered with the line
		{"einstellungen übersicht=25 Uhr", "err.bad_clock"},
		{"kontakt K-2026-0042 gestern Gespräch Rückruf", "err.bad_choice"}, // no kind after the day
		{"kontakt K-2026-0042 telefon Rückruf minuten=1,5 min", "err.bad_minutes"},
		{"kontakt K-2026-0042 telefon Rückruf minuten=25 Std", "err.bad_minutes"}, // over a day
		{"einstellungen übersicht=7.75", "err.bad_clock"},
		{"abwesend bis 2.1.2027 vertretung=@ben", "err.bad_date"}, // the first day missing
		{"termin K-2026-0042 monitoring nächste Woche", "err.vague_date"},
		{"termin K-2026-0042 monitoring übernächste Woche", "err.vague_date"},
		{"kontakt K-2026-0042 telefon Rückruf datum=vor ein paar Tagen", "err.vague_date"},
		{"ziel neu K-2026-0042 Arbeit Praktikum fällig=bald", "err.vague_date"},
		{"contact K-2026-0042 phone Call date=a few days ago", "err.vague_date"},
		{"due K-2026-0042 monitoring in a few weeks", "err.vague_date"},
		{"show", "err.missing"},
		{"cases maybe", "err.bad_choice"},
		{"admin", "err.missing_sub"},
		{"admin crown @x", "err.unknown_sub"},
		{"admin role anna coach", "err.bad_user"},
		{"admin role @anna king", "err.bad_choice"},
		{"einschätzung K-2026-0042 Sprache 7", "err.bad_score"},
		{"neu AB Geflüchtete ja", "err.named_only"}, // consent is never read from a bare word, and the answer says so
		{"neu AB Geflüchtete SGB II nein", "err.named_only"},
		{"neu AB Geflüchtete einwilligung=ja ja", "err.extra"}, // named already: one word too many
		{"neu Frau K gruppe=eu einwilligung=ja", "err.pseudonym_words"},
		{"einschätzung K-2026-0042 Sprache 2 Sprache 3", "err.duplicate_option"},
		{strings.Repeat("a", MaxInputSize+1), "err.input_too_long"},
	} {
		_, err := Parse(tc.line)
		if got := errKey(err); got != tc.key {
			t.Errorf("Parse(%.40q) error = %q, want %q", tc.line, got, tc.key)
		}
	}
}

func TestParseDate(t *testing.T) {
	for s, want := range map[string]string{"2026-11-23": "2026-11-23", "23.11.2026": "2026-11-23", "1.2.2027": "2027-02-01",
		"30.6.27": "2027-06-30", "30.06.27": "2027-06-30", "01.12.00": "2000-12-01"} {
		d, ok := ParseDate(s)
		if !ok || d.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, ok)
		}
	}
	for _, s := range []string{"31.02.2026", "2026-02-30", "2026-13-01", "1899-01-01", "3026-01-01", "morgen", "23/11/2026",
		"30.6.", "30.6.270", "31.2.27", "1.1.99"} {
		if _, ok := ParseDate(s); ok {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

func TestConvertKinds(t *testing.T) {
	v := &Verb{Name: "x"}
	for _, tc := range []struct {
		p    Param
		raw  string
		want any
		ok   bool
	}{
		{Param{Kind: Duration}, "14d", kim.Span{N: 14, Unit: 'd'}, true},
		{Param{Kind: Duration}, "6w", kim.Span{N: 6, Unit: 'w'}, true},
		{Param{Kind: Duration}, "3m", kim.Span{N: 3, Unit: 'm'}, true},
		{Param{Kind: Duration}, "0d", nil, false},
		{Param{Kind: Duration}, "99m", nil, false},
		{Param{Kind: Clock}, "7:30", TimeOfDay{7, 30}, true},
		{Param{Kind: Clock}, "24:00", nil, false},
		{Param{Kind: Meeting}, "m-03", 3, true},
		{Param{Kind: Action}, "A-x", nil, false},
		{Param{Kind: Period}, "2026-q3", kim.Period{From: kim.Date{Y: 2026, M: 7, D: 1}, To: kim.Date{Y: 2026, M: 9, D: 30}, Label: "2026-Q3"}, true},
		{Param{Kind: Period}, "1999", nil, false},
		{Param{Kind: Period}, "2026-13", nil, false},
		{Param{Kind: Int, Min: 0, Max: 1440}, "1441", nil, false},
		{Param{Kind: Channel}, "~netzwerk-treffen", "netzwerk-treffen", true},
		// dates near the caller's today (31.12.2026 here), in words
		{Param{Kind: Date}, "heute", kim.Date{Y: 2026, M: 12, D: 31}, true},
		{Param{Kind: Date}, "Gestern", kim.Date{Y: 2026, M: 12, D: 30}, true},
		{Param{Kind: Date}, "vorgestern", kim.Date{Y: 2026, M: 12, D: 29}, true},
		{Param{Kind: Date}, "morgen", kim.Date{Y: 2027, M: 1, D: 1}, true},
		{Param{Kind: Date}, "übermorgen", kim.Date{Y: 2027, M: 1, D: 2}, true},
		{Param{Kind: Date}, "uebermorgen", kim.Date{Y: 2027, M: 1, D: 2}, true},
		{Param{Kind: Date}, "tomorrow", kim.Date{Y: 2027, M: 1, D: 1}, true},
		{Param{Kind: Date}, "nächste woche", nil, false},
		// a day and month without the year: the latest up to today, or ahead the next from today on
		{Param{Kind: Date}, "30.6.", kim.Date{Y: 2026, M: 6, D: 30}, true},
		{Param{Kind: Date}, "31.12", kim.Date{Y: 2026, M: 12, D: 31}, true},
		{Param{Kind: Date}, "1.1.", kim.Date{Y: 2026, M: 1, D: 1}, true},
		{Param{Kind: Date, Ahead: true}, "5.1.", kim.Date{Y: 2027, M: 1, D: 5}, true},
		{Param{Kind: Date, Ahead: true}, "31.12.", kim.Date{Y: 2026, M: 12, D: 31}, true},
		{Param{Kind: Date, Ahead: true}, "29.2.", nil, false},
		{Param{Kind: Date}, "32.1.", nil, false},
		{Param{Kind: Date}, "1.13.", nil, false},
		// case references as people shorten them
		{Param{Kind: CaseRef}, "K-2026-0042", "K-2026-0042", true},
		{Param{Kind: CaseRef}, "k-2026-42", "K-2026-0042", true},
		{Param{Kind: CaseRef}, "K2026-42", "K-2026-0042", true},
		{Param{Kind: CaseRef}, "K-2026-1", "K-2026-0001", true},
		{Param{Kind: CaseRef}, "K-2026-10000", "K-2026-10000", true},
		{Param{Kind: CaseRef}, "K-2026-010000", "K-2026-10000", true},
		{Param{Kind: CaseRef}, "K-26-42", nil, false},
		{Param{Kind: CaseRef}, "K-2026-", nil, false},
		{Param{Kind: CaseRef}, "K-2026-1234567", nil, false},
		{Param{Kind: CaseRef}, "2026-0042", nil, false},
	} {
		got, err := convert(tc.p, tc.raw, v, kim.Date{Y: 2026, M: 12, D: 31})
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("convert(%v, %q) = %v, %v", tc.p.Kind, tc.raw, got, err)
		}
	}
}

// Help lists every verb with a description in both languages, and every
// verb's examples parse back to it.
func TestHelpCoversEveryVerb(t *testing.T) {
	help, err := Parse("help")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		// Each role's help lists what that role may use; together, every verb.
		var rep Reply
		for _, role := range kim.Roles {
			r := &Runner{View: render.View{Lang: lang}, member: kim.Member{Role: role}}
			one, err := r.help(help)
			if err != nil {
				t.Fatal(err)
			}
			rep.Text += one.Text
		}
		r := &Runner{View: render.View{Lang: lang}}
		for _, v := range Verbs() {
			if !strings.Contains(rep.Text, "/kim "+v.word(lang)) {
				t.Errorf("%s help lacks %s", lang, v.word(lang))
			}
			walk(v, func(x *Verb) {
				if d := r.T("verb."+x.key(), nil); d == "verb."+x.key() {
					t.Errorf("no %s description for %s", lang, x.Path())
				}
				for _, ex := range x.Examples {
					a, err := Parse(strings.TrimPrefix(ex, "/kim "))
					if err != nil || a.Verb != x {
						t.Errorf("example %q of %s does not parse to it: %v", ex, x.Path(), err)
					}
				}
			})
		}
	}
}

// today is the day Parse reads relative dates against.
func today() kim.Date { return kim.DateOf(time.Now().In(kim.Berlin)) }

// Dates named by the part of a month, against Monday 23.11.2026: ahead the
// next such day (a due date), else the latest up to today (a contact); and
// days counted from today (in 2 Wochen, vor einer Woche) and weekdays
// (Freitag) by the same next-or-latest rule.
func TestMonthPhrases(t *testing.T) {
	today := kim.Date{Y: 2026, M: 11, D: 23}
	for _, c := range []struct {
		in    string
		ahead bool
		want  string // "" : no date
	}{
		{"Ende Januar", true, "2027-01-31"},
		{"ende januar", false, "2026-01-31"},
		{"Mitte November", true, "2027-11-15"},
		{"Mitte November", false, "2026-11-15"},
		{"Ende November", true, "2026-11-30"},
		{"Anfang März", true, "2027-03-01"},
		{"Anfang Maerz", true, "2027-03-01"},
		{"Ende Feb.", true, "2027-02-28"},
		{"Ende Februar 2028", true, "2028-02-29"},
		{"end of march", true, "2027-03-31"},
		{"Ende  Dez", true, "2026-12-31"},
		{"Ende Smarch", true, ""},
		{"Ende Januar 1999", true, ""},
		{"Ende", true, ""},
		// the part of this or the next week or month (Monday 23.11.2026)
		{"Anfang nächster Woche", true, "2026-11-30"},
		{"Mitte der nächsten Woche", true, "2026-12-02"},
		{"Ende nächster Woche", true, "2026-12-04"},
		{"Ende der Woche", true, "2026-11-27"},
		{"Ende dieser Woche", true, "2026-11-27"},
		{"Ende des Monats", true, "2026-11-30"},
		{"Anfang nächsten Monats", true, "2026-12-01"},
		{"Mitte des nächsten Monats", true, "2026-12-15"},
		{"end of next week", true, "2026-12-04"},
		{"end of the month", true, "2026-11-30"},
		{"Ende übernächster Woche", true, ""},
		// calendar weeks (ISO 8601), as offices name them
		{"KW 3", true, "2027-01-18"},
		{"KW3", true, "2027-01-18"},
		{"kw 03/2027", true, "2027-01-18"},
		{"Kalenderwoche 50", true, "2026-12-07"},
		{"KW 48", true, "2026-11-23"},
		{"KW 47", true, "2027-11-22"},
		{"KW 47", false, "2026-11-16"},
		{"KW 50", false, "2025-12-08"},
		{"KW 53", true, "2026-12-28"},
		{"KW 53/2027", true, ""},
		{"KW 0", true, ""},
		{"week 2", true, "2027-01-11"},
		{"in 2 Wochen", true, "2026-12-07"},
		{"in 10 Tagen", true, "2026-12-03"},
		{"in 3 Monaten", true, "2027-02-23"},
		{"vor 3 Tagen", false, "2026-11-20"},
		{"vor 1 Woche", false, "2026-11-16"},
		{"in 14d", true, "2026-12-07"},
		{"vor einer Woche", false, "2026-11-16"},
		{"in zwei Wochen", true, "2026-12-07"},
		{"in einem Monat", true, "2026-12-23"},
		{"2 weeks ago", false, "2026-11-09"},
		{"am 15.1.", true, "2027-01-15"},
		{"am Freitag", true, "2026-11-27"},
		{"zum Ende März", true, "2027-03-31"},
		{"am", true, ""},
		{"3 days ago", false, "2026-11-20"},
		{"ago", false, ""},
		{"Freitag", true, "2026-11-27"},
		{"freitag", false, "2026-11-20"},
		{"Montag", true, "2026-11-23"},
		{"Montag", false, "2026-11-23"},
		{"Sonntag", true, "2026-11-29"},
		{"Donnerstag", false, "2026-11-19"},
		{"Fr", true, "2026-11-27"},
		{"Fr.", false, "2026-11-20"},
		{"do", false, "2026-11-19"},
		{"So", true, "2026-11-29"},
		{"fri", true, "2026-11-27"},
		{"Fre", true, ""},
		{"nächsten Montag", true, "2026-11-30"}, // today is Monday 23.11.2026: not today
		{"nächsten Montag", false, "2026-11-30"},
		{"kommenden Fr", true, "2026-11-27"},
		{"letzten Montag", false, "2026-11-16"},
		{"vergangenen Freitag", true, "2026-11-20"},
		{"nächste Woche", true, ""},
		{"vor ein paar Tagen", false, ""},
	} {
		d, ok := parseDateFrom(c.in, today, c.ahead)
		if got := map[bool]string{true: d.String(), false: ""}[ok]; got != c.want {
			t.Errorf("%q (ahead %v) = %q, want %q", c.in, c.ahead, got, c.want)
		}
	}
	for _, c := range []struct {
		line string
		want int
	}{{"Ende Januar", 1}, {"Ende Januar 2027", 2}, {"Ende Januar Termin", 1}, {"Ende Januar 2027 Termin", 2}, {"bis Januar", 0},
		{"30.1. 2027", 0}, {"in 2 Wochen", 2}, {"in 2 Wochen anrufen", 2}, {"vor 3 Tagen", 2}, {"in 14d", 1}, {"in der Woche", 0}, {"Ende", 0}, {"vor einer Woche", 2}, {"in zwei Wochen anrufen", 2}, {"2 weeks ago", 2}, {"3 days ago called", 2}, {"am 15.1.", 1}, {"am 15.1. anrufen", 1}, {"am Freitag", 1}, {"zum Ende März", 2}, {"am Telefon", 0}} {
		f := strings.Fields(c.line)
		rest := make([]token, len(f)-1)
		for i, w := range f[1:] {
			rest[i] = token{text: w}
		}
		if got := dateWords(f[0], rest); got != c.want {
			t.Errorf("dateWords(%q) = %d, want %d", c.line, got, c.want)
		}
	}
}

func TestParseMinutes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"20", 20, true}, {"20 min", 20, true}, {"20min", 20, true}, {"20 Minuten", 20, true}, {"20 Min.", 20, true},
		{"1 Std", 60, true}, {"1,5 Std.", 90, true}, {"1.5 h", 90, true}, {"2 Stunden", 120, true}, {"1h", 60, true},
		{"1,5 min", 0, false}, {"zwanzig", 0, false}, {"20 Tage", 0, false}, {"", 0, false}, {"-5", 0, false},
	} {
		n, ok := parseMinutes(c.in)
		if n != c.want || ok != c.ok {
			t.Errorf("parseMinutes(%q) = %d, %v; want %d, %v", c.in, n, ok, c.want, c.ok)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	for raw, want := range map[string][]int{
		"2": {2}, "1 3": {1, 3}, "1,3": {1, 3}, "1, 3 und 5": {1, 3, 5}, "2-4": {2, 3, 4}, "2 bis 4": {2, 3, 4},
		"2 – 4": {2, 3, 4}, "3 1 3": {1, 3}, "1 and 2": {1, 2}, "1;2": {1, 2},
		"": nil, "x": nil, "3-2": nil, "0": nil, "1001": nil, "1-60": nil, "-2": nil,
	} {
		got, ok := parseNumbers(raw, 1, 1000)
		if !slices.Equal(got, want) || ok != (want != nil) {
			t.Errorf("parseNumbers(%q) = %v, %v; want %v", raw, got, ok, want)
		}
	}
}
