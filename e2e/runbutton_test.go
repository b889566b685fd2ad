package e2e

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// TestRunButtons: an answer that suggests the line meant ("Meinten Sie …?") or asks for a
// confirmation offers that line as a button. Pressed in Mattermost, it runs exactly that line as
// its caller, once: the consent is recorded, the contact deleted; a second press and another
// user's press of the same button are refused and change nothing.
func TestRunButtons(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	other := env.newUser(t, "other", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, other, "coach", "org=DRK")
	ref := caseRefRE.FindString(coach.kimOK(t, "neu AB group=refugee consent=ja"))
	if ref == "" {
		t.Fatal("no case opened")
	}
	db := env.kimbotDB(t)
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(ctxT(t), sql, ref, env.Team.Id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	consents := `SELECT count(*) FROM consents k JOIN cases c ON c.id = k.case_id JOIN partners p ON p.id = k.partner_id
		WHERE c.ref = $1 AND c.team_id = $2 AND p.key = 'jobcenter' AND k.revoked_on IS NULL`
	contacts := `SELECT count(*) FROM contacts k JOIN cases c ON c.id = k.case_id WHERE c.ref = $1 AND c.team_id = $2`
	coach.listen(t)
	other.listen(t)
	press := func(u *user, p *model.Post, key string) {
		t.Helper()
		if err := u.PressEphemeral(ctxT(t), p, key); err != nil {
			t.Fatal(err)
		}
	}

	// A suggestion: the consent typed without its action. Nothing is recorded until the press.
	coach.kim(t, "einwilligung AB jobcenter mündlich")
	meant := coach.waitEphemeral(t, "Meinten Sie `/kim einwilligung AB erteilen jobcenter mündlich`?")
	if count(consents) != 0 {
		t.Fatal("the suggestion recorded a consent")
	}
	press(other, meant, "So ausführen") // the cookie replayed by someone else
	other.waitEphemeral(t, "gehört zur Antwort an eine andere Person")
	if count(consents) != 0 {
		t.Fatal("another user's press recorded a consent")
	}
	press(coach, meant, "So ausführen")
	coach.waitEphemeral(t, "Einwilligung in **"+ref+"** erfasst: Jobcenter (mündlich")
	press(coach, meant, "So ausführen")
	coach.waitEphemeral(t, "Das wurde schon ausgeführt")
	if n := count(consents); n != 1 {
		t.Fatalf("%d consents for the jobcenter after two presses, want 1", n)
	}

	// A confirmation: deleting a contact asks first; the button confirms it.
	coach.kimOK(t, "kontakt AB telefon Rückruf", "Kontakt 1 zu **"+ref+"**")
	coach.kim(t, "kontakt löschen AB 1")
	question := coach.waitEphemeral(t, "Wirklich löschen? Dann: `/kim kontakt löschen "+ref+" 1 bestätigen`")
	if count(contacts) != 1 {
		t.Fatal("the question deleted the contact")
	}
	press(coach, question, "Bestätigen")
	coach.waitEphemeral(t, "Kontakt 1 von **"+ref+"** gelöscht")
	if n := count(contacts); n != 0 {
		t.Fatalf("%d contacts after the confirmation, want 0", n)
	}

	// A question with two answers: a button for each; the one pressed runs, the other is spent.
	other.kimOK(t, "neu CD group=refugee domain=AsylbLG consent=ja")
	other.kimOK(t, "rechtskreis CD SGB II", "Schritte für AsylbLG → SGB II")
	other.kim(t, "rechtskreis CD SGB III")
	steps := other.waitEphemeral(t, "Noch ist nichts geändert.\n- Sie sind „nicht mehr nötig“")
	press(other, steps, "behalten")
	other.waitEphemeral(t, "SGB II → SGB III")
	press(other, steps, "schließen")
	other.waitEphemeral(t, "Das wurde schon ausgeführt")
	var open int
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM transition_steps s JOIN cases c ON c.id = s.case_id
		WHERE c.team_id = $1 AND c.owner_id = $2 AND s.status = 'open'`, env.Team.Id, other.UserID()).Scan(&open); err != nil {
		t.Fatal(err)
	}
	if open < 8 {
		t.Errorf("%d open steps: the first change's steps were closed, not kept", open)
	}
}
