package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Limits count characters, never bytes; control characters are refused in
// every text field, with the field named; case references grow past
// K-YYYY-9999. Nothing is stored for a refusal.
func TestLimits(t *testing.T) {
	w := newWorld(t)
	w.svc.Channels = newChannels("netz")
	const k = "K-2026-0001"
	w.ok("anna", "open AB group=refugee consent=yes", k)
	w.ok("kora", "meeting new 2026-12-03 14:00 Netzwerktreffen channel=~netz")

	// 2000 umlauts typed decomposed (a + combining diaeresis: 4000 code
	// points) are 2000 characters, and are kept composed.
	nfd := strings.Repeat("a\u0308", MaxText)
	w.ok("anna", "contact "+k+" phone "+nfd, " zu **"+k+"** gespeichert")
	// 2000 emoji are 8000 bytes but 2000 characters, in a line of 2024.
	w.ok("anna", "contact "+k+" phone "+strings.Repeat("😀", MaxText), "gespeichert")
	if card := w.ok("anna", "show "+k).Text; strings.Contains(card, "a\u0308") || !strings.Contains(card, "ääää") {
		t.Errorf("the note was not kept composed:\n%s", card)
	}
	// The whole line counts characters too.
	w.want("teamA", "anna", "contact "+k+" phone "+strings.Repeat("ä", MaxInputSize), kim.EINVALID,
		"Der Befehl ist zu lang: 8026 Zeichen, höchstens 8000")

	before := w.snapshot()
	for _, tc := range []struct {
		user, line string
		want       []string
	}{
		{"anna", "contact " + k + " phone Termin\x00vereinbart", []string{"Notiz enthält ein Steuerzeichen (U+0000)", "`/kim kontakt"}},
		{"anna", "contact " + k + " phone \"Termin\x1b[31m\"", []string{"Notiz enthält ein Steuerzeichen (U+001B)"}},
		{"anna", "open \"A\x00B\" group=eu consent=yes", []string{"Pseudonym enthält ein Steuerzeichen (U+0000)"}},
		{"anna", "open \"A\nB\" group=eu consent=yes", []string{"Pseudonym enthält ein Steuerzeichen (U+000A)"}},
		{"anna", "open A\u202eB group=eu consent=yes", []string{"Pseudonym enthält ein Steuerzeichen (U+202E)"}},
		{"anna", "assess " + k + " work=2 note=\"gut\x07\"", []string{"Notiz enthält ein Steuerzeichen (U+0007)"}},
		{"anna", "goal add " + k + " work Praktikum\x7f finden", []string{"Text enthält ein Steuerzeichen (U+007F)"}},
		{"anna", "refer " + k + " jobcenter Antrag\u0085stellen", []string{"Anlass enthält ein Steuerzeichen (U+0085)"}},
		{"anna", "barrier " + k + " jobcenter Wartezeit\x00", []string{"Text enthält ein Steuerzeichen (U+0000)"}},
		{"anna", "close " + k + " other Umzug\x00", []string{"Notiz enthält ein Steuerzeichen"}},
		{"kora", "agenda add M-1 Punkt\x00eins", []string{"Text enthält ein Steuerzeichen (U+0000)"}},
		{"kora", "meeting new 2026-12-10 10:00 Titel\x00", []string{"Titel enthält ein Steuerzeichen"}},
		{"kora", "action add M-1 @ben Aufgabe\x00", []string{"Text enthält ein Steuerzeichen"}},
		{"root", "admin partner add steuer Finanz\x00amt", []string{"Name enthält ein Steuerzeichen"}},
		{"root", "admin role @ben coach org=DRK\x00", []string{"Organisation enthält ein Steuerzeichen"}},
		// Outside a text: the line is refused as such, without echoing it.
		{"anna", "show K-2026-0001\x00", []string{"Der Befehl enthält ein Steuerzeichen (U+0000)"}},
		{"anna", "kon\x00takt " + k + " phone Hallo", []string{"Der Befehl enthält ein Steuerzeichen (U+0000)"}},
		{"ben", "contact " + k + " phone Hi\x00", []string{"Note contains a control character (U+0000)"}},
		{"anna", "show \xff", []string{"kein gültiger Text"}},
	} {
		rep := w.want("teamA", tc.user, tc.line, kim.EINVALID, tc.want...)
		if strings.ContainsRune(rep.Text, 0) {
			t.Errorf("%q: the answer echoes the NUL: %q", tc.line, rep.Text)
		}
	}
	if after := w.snapshot(); after != before {
		t.Errorf("a refused line changed the database")
	}
}

// The 10 000th case of a team and year is K-YYYY-10000 and reads back.
func TestCaseReferenceGrows(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes", "K-2026-0001")
	if _, err := w.st.Pool().Exec(context.Background(), `UPDATE case_counters SET last = 9998 WHERE team_id = 'teamA'`); err != nil {
		t.Fatal(err)
	}
	w.ok("anna", "open CD group=eu consent=yes", "K-2026-9999")
	w.ok("anna", "open EF group=eu consent=yes", "K-2026-10000")
	w.ok("anna", "open GH group=eu consent=yes", "K-2026-10001")
	w.ok("anna", "show k-2026-10000", "K-2026-10000 · EF")
	w.ok("anna", "contact K-2026-10001 phone Hallo", "K-2026-10001")
	w.want("teamA", "anna", "show K-2026-1000000", kim.EINVALID, "kein Aktenzeichen")
	// The list sorts by year and number, not as text.
	w.ok("anna", "close K-2026-10001 other")
	for _, filter := range []string{"", " alle"} {
		list := w.ok("anna", "faelle"+filter).Text
		last := -1
		for _, ref := range []string{"K-2026-0001 ", "K-2026-9999 ", "K-2026-10000 "} {
			i := strings.Index(list, ref)
			if i < 0 || i < last {
				t.Fatalf("faelle%s: %s is not after the reference before it:\n%s", filter, ref, list)
			}
			last = i
		}
	}
}

// With the database down, the answer names the database.
func TestDatabaseDown(t *testing.T) {
	w := newWorld(t)
	w.st.Close()
	rep := w.svc.Execute(context.Background(), Request{TeamID: "teamA", User: w.users["anna"], Text: "faelle"})
	if rep.Outcome != kim.EUNAVAILABLE || !strings.Contains(rep.Text, "Die Datenbank von kimbot antwortet gerade nicht") {
		t.Fatalf("database down: %+v", rep)
	}
	rep = w.svc.Execute(context.Background(), Request{TeamID: "teamA", User: w.users["ben"], Text: "cases"})
	if !strings.Contains(rep.Text, "kimbot's database is not answering") {
		t.Fatalf("database down, English: %+v", rep)
	}
}

// Every setting of the team is shown with German labels and the option that
// changes it; retention and agenda lead are set by command within clear
// bounds; a retention that erases cases asks first and changes nothing
// until confirmed.
func TestTeamSettings(t *testing.T) {
	w := newWorld(t)
	w.ok("root", "admin vorgaben",
		"**Vorgaben des Teams**",
		"- Monitoring: alle 28 Tage nach dem letzten Kontakt (`monitoring=`)",
		"- Ersteinschätzung: 14 Tage nach der Eröffnung (`ersteinschätzung=`)",
		"- Re-Assessment: 6 Monate nach der letzten Einschätzung (`reassessment=`)",
		"- Nachfassen: 14 Tage nach einem Verweis (`nachfassen=`)",
		"- Aufbewahrung: abgeschlossene Fälle werden 6 Monate nach dem Abschluss gelöscht (die anonyme Statistik bleibt) (`aufbewahrung=`)",
		"- Tagesordnung: automatisch gepostet 2 Arbeitstage vor dem Treffen um 09:00 Uhr (`vorlauf=`)",
		"Aufbewahrung 1m bis 36m, Vorlauf 0 bis 20 Arbeitstage")
	w.ok("root", "admin vorgaben aufbewahrung=12m vorlauf=3", "Gespeichert", "12 Monate nach dem Abschluss", "3 Arbeitstage vor dem Treffen")
	w.ok("root", "admin defaults retention=24m agenda=0 followup=1d", "24 Monate", "am Tag des Treffens", "Nachfassen: 1 Tag nach")
	set, err := w.st.TeamSettings(context.Background(), "teamA")
	if err != nil || set.RetentionMonths != 24 || set.AgendaLeadWorkdays != 0 || set.FollowupDays != 1 {
		t.Fatalf("stored settings: %+v (%v)", set, err)
	}
	if set, _ := w.st.TeamSettings(context.Background(), "teamB"); set != kim.DefaultTeamSettings {
		t.Fatalf("team B changed: %+v", set)
	}
	w.ok("root", "settings lang=en")
	w.want("teamA", "root", "admin defaults", "ok", "**Team settings**", "- Retention: closed cases are erased 24 months after closure",
		"(`retention=`)", "(`agenda=`)", "on the day of the meeting")
	w.ok("root", "settings lang=de")

	before := w.snapshot()
	for _, tc := range []struct{ user, line, outcome, want string }{
		{"root", "admin defaults retention=0m", kim.EINVALID, "Aufbewahrung: „0m“ ist keine Dauer"},
		{"root", "admin defaults aufbewahrung=37m", kim.EINVALID, "Aufbewahrung: „37m“ ist keine Dauer wie 14d (14 Tage), 6w (6 Wochen) oder 3m (3 Monate), höchstens 3 Jahre"},
		{"root", "admin defaults retention=90d", kim.EINVALID, "Aufbewahrung in Monaten, 1m bis 36m"},
		{"root", "admin defaults agenda=21", kim.EINVALID, "Vorlauf: „21“ ist keine Zahl von 0 bis 20"},
		{"root", "admin defaults vorlauf=-1", kim.EINVALID, "keine Zahl von 0 bis 20"},
		{"root", "admin defaults vorlauf=2d", kim.EINVALID, "keine Zahl von 0 bis 20"},
		{"root", "admin defaults reassessment=25m", kim.EINVALID, "Reassessment in Monaten, 1m bis 24m"},
		{"root", "admin defaults bestaetigen", kim.EINVALID, "nur eine kürzere Aufbewahrung"},
		{"ben", "admin defaults retention=12m", kim.EFORBIDDEN, "is only for admins"},
		{"kora", "admin vorgaben", kim.EFORBIDDEN, "`/kim admin vorgaben`"},
	} {
		w.want("teamA", tc.user, tc.line, tc.outcome, tc.want)
	}
	if w.snapshot() != before {
		t.Fatalf("a refused setting changed the database")
	}

	// Two cases closed 200 days ago: a retention of 6 months erases them.
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("anna", "open CD group=eu consent=yes")
	w.ok("anna", "open EF group=eu consent=yes")
	w.ok("anna", "close K-2026-0001 moved")
	w.ok("anna", "close K-2026-0002 moved")
	if _, err := w.st.Pool().Exec(context.Background(), `UPDATE cases SET closed_on = closed_on - 200, opened_on = opened_on - 200
		WHERE team_id = 'teamA' AND closed_on IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	before = w.snapshot()
	w.ok("root", "admin vorgaben aufbewahrung=6m", "Mit 6 Monaten Aufbewahrung löscht kimbot", "von 2 abgeschlossenen Fällen endgültig",
		"Noch ist nichts geändert", "`/kim admin vorgaben aufbewahrung=6m bestätigen`")
	w.ok("root", "admin vorgaben aufbewahrung=7m vorlauf=5", "Gespeichert", "7 Monate") // keeps them: nothing to confirm
	if w.snapshot() == before {
		t.Fatalf("a retention that erases nothing was not saved")
	}
	w.ok("root", "admin vorgaben aufbewahrung=6m bestaetigen", "Gespeichert", "6 Monate")
	if n, err := w.st.EraseExpired(context.Background(), kim.DateOf(testNow)); err != nil || n != 2 {
		t.Fatalf("erased %d (%v), want the 2 cases", n, err)
	}
	w.want("teamA", "anna", "show K-2026-0003", "ok", "EF")
}
