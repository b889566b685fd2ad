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
	w.ok("anna", "contact "+k+" phone "+nfd, "Kontakt zu **"+k+"** gespeichert")
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
		{"anna", "contact " + k + " phone Termin\x00vereinbart", []string{"note enthält ein Steuerzeichen (U+0000)", "`/kim contact"}},
		{"anna", "contact " + k + " phone \"Termin\x1b[31m\"", []string{"note enthält ein Steuerzeichen (U+001B)"}},
		{"anna", "open \"A\x00B\" group=eu consent=yes", []string{"pseudonym enthält ein Steuerzeichen (U+0000)"}},
		{"anna", "open \"A\nB\" group=eu consent=yes", []string{"pseudonym enthält ein Steuerzeichen (U+000A)"}},
		{"anna", "open A\u202eB group=eu consent=yes", []string{"pseudonym enthält ein Steuerzeichen (U+202E)"}},
		{"anna", "assess " + k + " work=2 note=\"gut\x07\"", []string{"note enthält ein Steuerzeichen (U+0007)"}},
		{"anna", "goal add " + k + " work Praktikum\x7f finden", []string{"text enthält ein Steuerzeichen (U+007F)"}},
		{"anna", "refer " + k + " jobcenter Antrag\u0085stellen", []string{"reason enthält ein Steuerzeichen (U+0085)"}},
		{"anna", "barrier " + k + " jobcenter Wartezeit\x00", []string{"text enthält ein Steuerzeichen (U+0000)"}},
		{"anna", "close " + k + " other Umzug\x00", []string{"note enthält ein Steuerzeichen"}},
		{"kora", "agenda add M-1 Punkt\x00eins", []string{"text enthält ein Steuerzeichen (U+0000)"}},
		{"kora", "meeting new 2026-12-10 10:00 Titel\x00", []string{"title enthält ein Steuerzeichen"}},
		{"kora", "action add M-1 @ben Aufgabe\x00", []string{"text enthält ein Steuerzeichen"}},
		{"root", "admin partner add steuer Finanz\x00amt", []string{"name enthält ein Steuerzeichen"}},
		{"root", "admin role @ben coach org=DRK\x00", []string{"org enthält ein Steuerzeichen"}},
		// Outside a text: the line is refused as such, without echoing it.
		{"anna", "show K-2026-0001\x00", []string{"Der Befehl enthält ein Steuerzeichen (U+0000)"}},
		{"anna", "kon\x00takt " + k + " phone Hallo", []string{"Der Befehl enthält ein Steuerzeichen (U+0000)"}},
		{"ben", "contact " + k + " phone Hi\x00", []string{"note contains a control character (U+0000)"}},
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
