package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// TestPrivacyExportErase: a coach exports a case (DSGVO Art. 15) and gets the whole case as a
// JSON file in the DM with the bot; another coach can neither export nor erase it; erasure
// (Art. 17) asks for confirmation first, then removes the pseudonym and every note from
// kimbot's database while the anonymous structure stays.
func TestPrivacyExportErase(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	other := env.newUser(t, "other", "en")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, other, "coach", "org=DRK")
	ref := caseRefRE.FindString(coach.kimOK(t, "open \"Frau Q.\" group=refugee domain=SGB2 consent=yes", "K-"))
	coach.kimOK(t, "kontakt "+ref+" phone minutes=20 \"Termin beim Jobcenter vereinbart\"", ref)
	coach.kimOK(t, "einschaetzung "+ref+" work=2 language=3 note=\"spricht etwas Deutsch\"", ref)

	// Outsiders are refused and get no file.
	other.kimOK(t, "export "+ref, "No case "+ref)
	other.kimOK(t, "erase "+ref+" confirm", "No case "+ref)
	if n := len(other.botDMs(t)); n != 0 {
		t.Fatalf("outsider got %d DMs from the bot", n)
	}

	coach.kimOK(t, "auskunft "+ref, "kimbot-"+ref+".json")
	_, data, post := coach.reportFile(t, "kimbot-"+ref+".json")
	var x kim.Export
	if err := json.Unmarshal(data, &x); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, data)
	}
	if x.Ref != ref || x.Pseudonym != "Frau Q." || len(x.Contacts) != 1 || x.Contacts[0].Note != "Termin beim Jobcenter vereinbart" ||
		x.Contacts[0].Minutes != 20 || len(x.Assessments) != 1 || x.Assessments[0].Scores["work"] != 2 || len(x.Consents) != 1 {
		t.Fatalf("export incomplete: %+v", x)
	}
	if !strings.Contains(post.Message, "Art. 15") {
		t.Errorf("export post lacks its purpose: %q", post.Message)
	}

	// Without confirmation nothing happens.
	coach.kimOK(t, "loeschen "+ref, "bestaetigen")
	coach.kimOK(t, "zeige "+ref, "Frau Q.")
	coach.kimOK(t, "loeschen "+ref+" bestaetigen", "gelöscht")
	card := coach.kimOK(t, "zeige "+ref, "(gelöscht)", "abgeschlossen")
	if strings.Contains(card, "Frau Q.") || strings.Contains(card, "Jobcenter vereinbart") {
		t.Fatalf("erased card still shows personal data:\n%s", card)
	}
	coach.kimOK(t, "kontakt "+ref+" phone nochmal", "gelöscht")

	db := env.kimbotDB(t)
	var pseud, notes int
	var erased bool
	if err := db.QueryRow(ctxT(t), `SELECT (pseudonym_enc IS NOT NULL)::int, erased_at IS NOT NULL,
		(SELECT count(*) FROM contacts WHERE case_id = c.id AND note_enc IS NOT NULL) +
		(SELECT count(*) FROM assessments WHERE case_id = c.id AND note_enc IS NOT NULL)
		FROM cases c WHERE team_id = $1 AND ref = $2`, env.Team.Id, ref).Scan(&pseud, &erased, &notes); err != nil {
		t.Fatal(err)
	}
	if pseud != 0 || notes != 0 || !erased {
		t.Fatalf("after erasure: pseudonym stored %d, notes stored %d, erased %v", pseud, notes, erased)
	}
	var contacts int
	db.QueryRow(ctxT(t), `SELECT count(*) FROM contacts k JOIN cases c ON c.id = k.case_id WHERE c.team_id = $1 AND c.ref = $2`,
		env.Team.Id, ref).Scan(&contacts)
	if contacts != 1 {
		t.Fatalf("anonymous structure lost: %d contacts", contacts)
	}
}
