package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
)

// TestRecordKeepsEverything (issue 9, point 3): through Mattermost, a referral's outcomes are
// all kept — on the card with day and note, and in the export; the card shows the referral's
// reason, the latest score of every life field with its day (a partial re-assessment hides
// none), the newest contacts and the way to all of them, which `/kim kontakte` pages through;
// the digest says what each item is (pseudonym, goal text, partner) and goes to the coach only.
func TestRecordKeepsEverything(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	coach := env.newUser(t, "coach", "de")
	other := env.newUser(t, "other", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, other, "coach", "org=DRK")
	today, day := remToday(), remDay()
	ref := coach.remOpen(t, "Frau Ö.")

	coach.kimOK(t, "einwilligung "+ref+" erteilen jobcenter", ref)
	coach.kimOK(t, "verweis "+ref+" jobcenter \"Antrag auf Bürgergeld\" followup=30d", "Verweis 1")
	coach.kimOK(t, "ergebnis "+ref+" 1 angenommen \"Termin am 02.12.\"", "angenommen")
	coach.kimOK(t, "ergebnis "+ref+" 1 nicht-erschienen", "nicht erschienen")
	coach.kimOK(t, "ergebnis "+ref+" 1 erledigt \"Bescheid liegt vor\"", "abgeschlossen")
	coach.kimOK(t, "einschaetzung "+ref+" language=2 work=1 housing=3", "Einschätzung von **"+ref+"**")
	coach.kimOK(t, "einschaetzung "+ref+" work=2", "Re-Assessment 2")
	for i := 1; i <= 12; i++ {
		coach.kimOK(t, fmt.Sprintf("kontakt %s telefon minutes=%d Anruf %d", ref, i, i), "Kontakt zu **"+ref+"** gespeichert")
	}
	coach.kimOK(t, "ziel neu "+ref+" language \"B1-Kurs abschließen\" due="+day.German(), "Ziel 1")

	d := today.German()
	card := coach.kimOK(t, "zeige "+ref,
		"| 1 | Jobcenter | "+d+" | Antrag auf Bürgergeld | abgeschlossen | – |",
		"Verlauf Verweis 1: "+d+" angenommen („Termin am 02.12.“) → "+d+" nicht erschienen → "+d+" abgeschlossen („Bescheid liegt vor“)",
		"zuletzt Re-Assessment 2 vom "+d, "| Sprache | 2 | "+d+" | – |", "| Arbeit | 2 | "+d+" | +1 ↑ |", "| Wohnen | 3 | "+d+" | – |",
		"**Letzte Kontakte** (3 von 12; alle: `/kim kontakte "+ref+"`)", "| 12 | "+d+" | Telefon | 12 | Anruf 12 |")
	if strings.Contains(card, "Anruf 9 ") {
		t.Errorf("the card shows more than the newest contacts:\n%s", card)
	}
	coach.kimOK(t, "kontakte "+ref, "1–10 von 12 (Seite 1 von 2)", "| 3 | "+d+" | Telefon | 3 | Anruf 3 |", "seite=2")
	page2 := coach.kimOK(t, "kontakte "+ref+" seite=2", "11–12 von 12 (Seite 2 von 2)", "| 2 | "+d+" | Telefon | 2 | Anruf 2 |",
		"| 1 | "+d+" | Telefon | 1 | Anruf 1 |")
	if strings.Contains(page2, "Anruf 3 ") {
		t.Errorf("page 2 repeats page 1:\n%s", page2)
	}
	other.kimOK(t, "kontakte "+ref, "Keinen Fall "+ref)

	// The export holds the whole history.
	coach.kimOK(t, "auskunft "+ref, "kimbot-"+ref+".json")
	_, data, _ := coach.reportFile(t, "kimbot-"+ref+".json")
	var x kim.Export
	if err := json.Unmarshal(data, &x); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if len(x.Referrals) != 1 || len(x.Referrals[0].Outcomes) != 3 || x.Referrals[0].Outcomes[0].Note != "Termin am 02.12." ||
		x.Referrals[0].Outcomes[1].Outcome != "no-show" || x.Referrals[0].Reason != "Antrag auf Bürgergeld" || len(x.Contacts) != 12 ||
		x.Contacts[11].N != 12 {
		t.Fatalf("export lacks the history: %+v", x.Referrals)
	}

	// The digest names the case's pseudonym and the goal's text; only the coach gets it.
	env.remindNow(t, remAt(day, 8, 0))
	dm := coach.remExpect(t, 2)[1] // the export's DM came first
	text := devstack.PostText(dm)
	for _, want := range []string{ref + " · Frau Ö.", "**Ziel 1 (Sprache): B1-Kurs abschließen** – heute fällig"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if n := other.remCount(t); n != 0 {
		t.Errorf("another coach got %d DMs", n)
	}
}
