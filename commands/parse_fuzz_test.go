package commands

import (
	"errors"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
)

// FuzzParse: whatever is typed, parsing never panics, and a line it refuses
// is refused with an application error whose message exists in both
// languages. The seeds are every example of the verb table and the
// shorthand coaches type; `go test -fuzz FuzzParse ./commands/` searches
// further.
func FuzzParse(f *testing.F) {
	for _, top := range Verbs() {
		walk(top, func(v *Verb) {
			for _, e := range v.Examples {
				f.Add(e[len("/kim "):])
			}
		})
	}
	for _, s := range []string{"ziel K-2026-1 Wohnung finden bis 31.3.27", "schritt K-2026-1 2 nicht mehr nötig datum gestern",
		"einschätzung K-2026-1 Sprache 2 Arbeit", "kontakt k2026-1 telefon x minuten 20 datum", "treffen M-1", "einwilligung K-2026-1 erteilen jmd mündlich bestätigen",
		"rechtskreis K-2026-1 ALG II seit", "neu „A“ Geflüchtete ja", `ziel "K-2026-1" Arbeit x`, "aufgabe M-1 @a b bis morgen bis morgen",
		"einschätzung K-2026-1 sprache 2 notiz x, y datum vor 3 Tagen", "fall ändern M. K. gruppe=eu datum=Ende Oktober", "termin K-2026-1 monitoring in 2 Wochen",
		"ziel K-2026-1 Arbeit x bis Ende Januar 2027", "abwesend Anfang Februar Ende Februar vertretung=@b", "rechtskreis löschen K-2026-1 bestätigen",
		"ziel ändern K-2026-1 1 fällig=keine", "verweis K-2026-1 jobcenter x nachfassen=2 Wochen", "zeige Frau Ue.",
		"kontakt K-2026-1 telefon datum vor 2 Tagen minuten 5 x", "ziel K-2026-1 Arbeit bis Ende März 2027 x"} {
		f.Add(s)
	}
	today := kim.Date{Y: 2026, M: 12, D: 3}
	f.Fuzz(func(t *testing.T, line string) {
		a, err := parse(line, true, today)
		if err == nil {
			if a == nil || a.Verb == nil {
				t.Fatalf("%q: no verb and no error", line)
			}
			return
		}
		var e *kim.Error
		if !errors.As(err, &e) {
			t.Fatalf("%q: %T %v is no application error", line, err, err)
		}
		for _, lang := range []string{"de", "en"} {
			if _, ok := messages.Lookup(lang, e.Key); !ok {
				t.Fatalf("%q: message %s missing in %s", line, e.Key, lang)
			}
		}
	})
}
