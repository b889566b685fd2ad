package commands

import (
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// A barrier as a coach writes it: shown as the network will see it with what
// was replaced, kept only when confirmed, changed (text, partner or topic)
// and deleted (asked first) until posted; German sub-verbs with umlauts or
// transcriptions; admins keep the topics.
func TestBarrierCommands(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open Mohamed group=refugee consent=yes", "K-2026-0001")
	w.ok("ben", "open Olena group=refugee consent=yes", "K-2026-0002")
	before := w.count(`SELECT count(*) FROM barriers`)
	rep := w.ok("anna", `hindernis K-2026-0001 Wohnen "Mohameds und Olenas Vermieter (K-2026-0002) @channel ![x](https://evil.example/x.png) Frau A. fragen"`,
		"Strukturhinweis 1 von K-2026-0001, wie das Netzwerk ihn sieht", "unter Thema: Wohnen",
		"„[…] und […] Vermieter \\([…]\\) ＠channel `![x](https://evil.example/x.png)` Frau […] fragen“",
		"„Mohameds“ (Pseudonym eines Falls)", "„Olenas“ (Pseudonym eines Falls)", "„K-2026-0002“ (Fallnummer)", "„A.“ (Name)",
		"/kim hindernis bestätigen K-2026-0001 1")
	if strings.Contains(rep.Text, "@channel") {
		t.Errorf("the preview mentions the channel:\n%s", rep.Text)
	}
	if n := w.count(`SELECT count(*) FROM barriers WHERE draft`); n != before+1 {
		t.Errorf("drafts: %d", n)
	}
	w.ok("anna", "hindernis ändern K-2026-0001 1 Vermieter antworten nicht, die Mohamedfamilie wartet",
		"„Vermieter antworten nicht, die […] wartet“", "Nicht sicher", "„Mohamedfamilie“")

	// A correction changes the partner or topic as well (a partner or a topic
	// of the team, German words with umlauts or transcribed), the text only
	// when one is given; it is a draft again, audited.
	group := func() string {
		t.Helper()
		var g string
		if err := w.st.Pool().QueryRow(t.Context(), `SELECT coalesce(p.key, '') || '/' || coalesce(tp.key, '') || '/' || b.draft FROM barriers b
			JOIN cases c ON c.id = b.case_id LEFT JOIN partners p ON p.id = b.partner_id LEFT JOIN barrier_topics tp ON tp.id = b.topic_id
			WHERE c.ref = 'K-2026-0001' AND c.team_id = 'teamA' AND b.n = 1`).Scan(&g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	edits := func() int {
		return w.count(`SELECT count(*) FROM audit_log WHERE action = 'barrier.edit' AND actor_id = 'id-anna' AND case_ref = 'K-2026-0001'`)
	}
	w.ok("anna", "hindernis bestätigen K-2026-0001 1")
	w.ok("anna", "hindernis ändern K-2026-0001 1 bezug=Ausländerbehörde", "Strukturhinweis 1 von K-2026-0001, wie das Netzwerk ihn sieht** (unter Ausländerbehörde",
		"„Vermieter antworten nicht, die […] wartet“", "Noch nicht für das Netzwerk gespeichert")
	if g := group(); g != "auslaenderbehoerde//true" {
		t.Errorf("after bezug=Ausländerbehörde: %s", g)
	}
	w.ok("anna", "hindernis aendern K-2026-0001 1 bezug=auslaenderbehoerde", "unter Ausländerbehörde")
	w.ok("anna", "Hindernis Ändern K-2026-0001 1 bezug=KITA Kita-Plätze nur mit Meldebescheinigung", "(unter Thema: Kita und Schule",
		"„Kita-Plätze nur mit Meldebescheinigung“")
	if g := group(); g != "/kita-schule/true" {
		t.Errorf("after bezug=KITA: %s", g)
	}
	w.ok("anna", "barrier edit K-2026-0001 1 about=MOBILITAET", "(unter Thema: Mobilität")
	w.ok("anna", "hindernis ändern K-2026-0001 1 bezug=Mobilität", "unter Thema: Mobilität")
	if g, n := group(), edits(); g != "/mobilitaet/true" || n != 6 {
		t.Errorf("after bezug=Mobilität: %s, %d audit rows barrier.edit (want 6)", g, n)
	}
	snap := w.snapshot()
	w.want("teamA", "anna", "hindernis ändern K-2026-0001 1 bezug=Mohamed", kim.EINVALID, "weder ein Partner noch ein Thema", "jobcenter", "wohnen")
	w.want("teamA", "anna", "hindernis ändern K-2026-0001 1 bezug=Caritas Wartezeit", kim.EINVALID, "weder ein Partner noch ein Thema")
	w.want("teamA", "anna", "hindernis ändern K-2026-0001 1", kim.EINVALID, "Was soll sich an Strukturhinweis 1 von **K-2026-0001** ändern?", "`bezug=`")
	w.want("teamA", "anna", "hindernis ändern K-2026-0001 1 bezug=wohnen Mohamed", kim.EINVALID, "nichts übrig")
	w.want("teamA", "ben", "hindernis ändern K-2026-0001 1 bezug=wohnen", kim.ENOTFOUND, "K-2026-0001")
	if w.snapshot() != snap {
		t.Error("a refused correction changed something")
	}
	w.ok("anna", "hindernis ändern K-2026-0001 1 bezug=wohnen Vermieter antworten nicht", "(unter Thema: Wohnen", "„Vermieter antworten nicht“")
	w.ok("anna", "HINDERNIS BESTÄTIGEN K-2026-0001 1", "Strukturhinweis 1 von K-2026-0001 (Thema: Wohnen) ist gespeichert")
	w.want("teamA", "anna", "hindernis bestaetigen K-2026-0001 1", kim.ECONFLICT, "schon bestätigt")
	w.want("teamA", "ben", "hindernis bestaetigen K-2026-0001 1", kim.ENOTFOUND, "K-2026-0001")
	w.ok("anna", "barrier K-2026-0001 jobcenter Termine erst nach 8 Wochen", "Strukturhinweis 2")
	w.ok("anna", "hindernis liste K-2026-0001", "Strukturhinweise von K-2026-0001 (2)", "gespeichert am 23.11.2026",
		"Entwurf (nicht bestätigt)", "Termine erst nach 8 Wochen")

	// A delete asks first and changes nothing (not even the audit log)
	// until confirmed; then it is gone, audited.
	deletes := func() int {
		return w.count(`SELECT count(*) FROM audit_log WHERE action = 'barrier.delete' AND actor_id = 'id-anna' AND case_ref = 'K-2026-0001'`)
	}
	snap = w.snapshot()
	w.ok("anna", "hindernis löschen K-2026-0001 2", "Gelöscht würde der Entwurf von Strukturhinweis 2 von **K-2026-0001** (unter Jobcenter): „Termine erst nach 8 Wochen“",
		"Noch ist nichts geändert", "`/kim hindernis löschen K-2026-0001 2 bestätigen`")
	w.ok("anna", "Hindernis Loeschen K-2026-0001 1", "Gelöscht würde Strukturhinweis 1 von **K-2026-0001** (unter Thema: Wohnen): „Vermieter antworten nicht“",
		"Noch ist nichts geändert")
	w.want("teamA", "ben", "hindernis löschen K-2026-0001 1 bestätigen", kim.ENOTFOUND, "K-2026-0001")
	w.want("teamA", "anna", "hindernis löschen K-2026-0001 9 bestätigen", kim.ENOTFOUND, "keinen Strukturhinweis 9")
	w.want("teamA", "anna", "hindernis löschen K-2026-0001 2 ja", kim.EINVALID)
	if w.snapshot() != snap || deletes() != 0 {
		t.Fatal("a delete that was not confirmed changed something")
	}
	w.ok("anna", "hindernis löschen K-2026-0001 2 bestätigen", "Strukturhinweis 2 von K-2026-0001 ist gelöscht")
	if n := w.count(`SELECT count(*) FROM barriers b JOIN cases c ON c.id = b.case_id WHERE c.ref = 'K-2026-0001' AND c.team_id = 'teamA'`); n != 1 || deletes() != 1 {
		t.Errorf("after the confirmed delete: %d barriers, %d audit rows (want 1, 1)", n, deletes())
	}
	w.want("teamA", "anna", "hindernis loeschen K-2026-0001 2", kim.ENOTFOUND, "keinen Strukturhinweis 2")
	w.ok("root", "admin protokoll K-2026-0001", "Strukturhinweis gelöscht", "Strukturhinweis geändert")

	// Never a free topic; never a text of nothing but a name.
	w.want("teamA", "anna", "barrier K-2026-0001 Mohamed Wartezeit", kim.EINVALID, "weder ein Partner noch ein Thema", "mobilitaet", "jobcenter")
	w.want("teamA", "anna", "barrier K-2026-0001 wohnen Mohamed", kim.EINVALID, "nichts übrig")
	// Control characters and NUL are refused before anything is read.
	snap = w.snapshot()
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
	// A topic renamed: its barriers show the new name; a name that is not neutral, a coach and an unknown key are refused.
	snap = w.snapshot()
	w.want("teamA", "root", "admin thema ändern finanzen \"Frau Schmidt\"", kim.EINVALID, "keinen Namen")
	w.want("teamA", "root", "admin thema ändern mobilitaet Verkehr", kim.ENOTFOUND, "steht nicht in der Liste")
	w.want("teamA", "anna", "admin thema ändern finanzen Geld", kim.EFORBIDDEN)
	if w.snapshot() != snap {
		t.Fatal("a refused rename changed something")
	}
	w.ok("root", "admin thema ändern Finanzen Finanzen und Sozialleistungen", "Thema `finanzen` heißt jetzt Finanzen und Sozialleistungen")
	w.ok("anna", "hindernis liste K-2026-0001", "Finanzen und Sozialleistungen")
	w.ok("root", "help barrier", "/kim hindernis bestätigen <fall> <nr>", "/kim hindernis ändern <fall> <nr> [<text>] [bezug=<bezug>]", "/kim hindernis löschen <fall> <nr> [<bestätigen>]")
}
