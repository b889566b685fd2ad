package commands

import (
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// A barrier as a coach writes it: shown as the network will see it with what
// was replaced, kept only when confirmed, changed and deleted until posted;
// German sub-verbs with umlauts or transcriptions; admins keep the topics.
func TestBarrierCommands(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open Mohamed group=refugee consent=yes", "K-2026-0001")
	w.ok("ben", "open Olena group=refugee consent=yes", "K-2026-0002")
	before := w.count(`SELECT count(*) FROM barriers`)
	rep := w.ok("anna", `hindernis K-2026-0001 Wohnen "Mohameds und Olenas Vermieter (K-2026-0002) @channel ![x](https://evil.example/x.png) Frau A. fragen"`,
		"So sieht das Netzwerk Strukturhinweis 1 von K-2026-0001", "unter Thema: Wohnen",
		"„[…] und […] Vermieter \\([…]\\) ＠channel `![x](https://evil.example/x.png)` Frau […] fragen“",
		"„Mohameds“ (Pseudonym eines Falls)", "„Olenas“ (Pseudonym eines Falls)", "„K-2026-0002“ (Fallnummer)", "„A.“ (Name)",
		"/kim hindernis bestaetigen K-2026-0001 1")
	if strings.Contains(rep.Text, "@channel") {
		t.Errorf("the preview mentions the channel:\n%s", rep.Text)
	}
	if n := w.count(`SELECT count(*) FROM barriers WHERE draft`); n != before+1 {
		t.Errorf("drafts: %d", n)
	}
	w.ok("anna", "hindernis ändern K-2026-0001 1 Vermieter antworten nicht, die Mohamedfamilie wartet",
		"„Vermieter antworten nicht, die […] wartet“", "Nicht sicher", "„Mohamedfamilie“")
	w.ok("anna", "HINDERNIS BESTÄTIGEN K-2026-0001 1", "Strukturhinweis 1 von K-2026-0001 (Thema: Wohnen) ist gespeichert")
	w.want("teamA", "anna", "hindernis bestaetigen K-2026-0001 1", kim.ECONFLICT, "schon bestätigt")
	w.want("teamA", "ben", "hindernis bestaetigen K-2026-0001 1", kim.ENOTFOUND, "K-2026-0001")
	w.ok("anna", "barrier K-2026-0001 jobcenter Termine erst nach 8 Wochen", "Strukturhinweis 2")
	w.ok("anna", "hindernis liste K-2026-0001", "Strukturhinweise von K-2026-0001 (2)", "gespeichert am 23.11.2026",
		"Entwurf (nicht bestätigt)", "Termine erst nach 8 Wochen")
	w.ok("anna", "hindernis löschen K-2026-0001 2", "Strukturhinweis 2 von K-2026-0001 ist gelöscht")
	w.want("teamA", "anna", "hindernis loeschen K-2026-0001 2", kim.ENOTFOUND, "keinen Strukturhinweis 2")

	// Never a free topic; never a text of nothing but a name.
	w.want("teamA", "anna", "barrier K-2026-0001 Mohamed Wartezeit", kim.EINVALID, "weder ein Partner noch ein Thema", "mobilitaet", "jobcenter")
	w.want("teamA", "anna", "barrier K-2026-0001 wohnen Mohamed", kim.EINVALID, "nichts übrig")
	// Control characters and NUL are refused before anything is read.
	snap := w.snapshot()
	for _, line := range []string{"barrier K-2026-0001 wohnen Miete\x00zu hoch", "contact K-2026-0001 phone Notiz\x07", "barrier K-2026-0001\x1b wohnen x"} {
		w.want("teamA", "anna", line, kim.EINVALID, "Steuerzeichen")
	}
	if w.snapshot() != snap {
		t.Error("a refused line changed something")
	}

	// Topics: everybody reads the list, admins keep it.
	w.ok("kora", "admin thema liste", "Themen der Strukturhinweise (9)", "`mobilitaet`", "Sprache und Kurse")
	w.want("teamA", "kora", "admin thema neu finanzen Finanzen", kim.EFORBIDDEN)
	w.ok("root", "admin thema neu Finanzen \"Finanzen und Leistungen\"", "Thema `finanzen`")
	w.want("teamA", "root", "admin topic add schmidt \"Frau Schmidt\"", kim.EINVALID, "keinen Namen")
	w.ok("root", "admin thema entfernen Mobilität", "`mobilitaet`", "aus der Liste")
	w.want("teamA", "anna", "barrier K-2026-0001 mobilitaet Busse fahren selten", kim.EINVALID, "weder")
	w.ok("anna", "barrier K-2026-0001 finanzen Bescheide kommen spät", "unter Thema: Finanzen und Leistungen")
	w.ok("root", "help barrier", "/kim hindernis bestaetigen <fall> <nr>", "/kim hindernis aendern <fall> <nr> <text>")
}
