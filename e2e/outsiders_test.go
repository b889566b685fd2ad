package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
)

// caseRows is a digest of everything kimbot keeps of the teams' cases (the audit log included):
// equal digests mean nothing changed.
func caseRows(t testing.TB, e *teamEnv, teamIDs ...string) string {
	t.Helper()
	var s string
	err := e.kimbotDB(t).QueryRow(ctxT(t), `SELECT md5(concat_ws('|',
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM cases x WHERE team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM contacts x JOIN cases c ON c.id = x.case_id WHERE c.team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM assessments x JOIN cases c ON c.id = x.case_id WHERE c.team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM goals x JOIN cases c ON c.id = x.case_id WHERE c.team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM referrals x JOIN cases c ON c.id = x.case_id WHERE c.team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM consents x JOIN cases c ON c.id = x.case_id WHERE c.team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM domain_changes x JOIN cases c ON c.id = x.case_id WHERE c.team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM barriers x WHERE team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM absences x WHERE team_id = ANY($1)),
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM memberships x WHERE team_id = ANY($1)),
		(SELECT count(*) FROM audit_log WHERE team_id = ANY($1))::text))`, teamIDs).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestOutsiders tries every case command on one coach's case as a coach of the same team, a
// coach of another team (in their team and in this one), a coordinator and a user without a
// role: each is refused with a clear answer, no form opens, and nothing changes.
func TestOutsiders(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	envB := newTeamEnv(t)
	owner := env.newUser(t, "owner", "de")
	outsider := env.newUser(t, "outsider", "de")
	coord := env.newUser(t, "coord", "en")
	nobody := env.newUser(t, "nobody", "de")
	coachB := envB.newUser(t, "coachb", "de")
	env.grant(t, owner, "coach", "org=Caritas")
	env.grant(t, outsider, "coach", "org=DRK")
	env.grant(t, coord, "coordinator")
	envB.grant(t, coachB, "coach")
	if err := stack.admin.AddToTeam(ctxT(t), env.Team.Id, coachB.UserID()); err != nil {
		t.Fatal(err)
	}
	coachBinA := &user{Client: coachB.Client, env: env}

	ref := caseRefRE.FindString(owner.kimOK(t, "open ZZ group=refugee domain=AsylbLG consent=yes", "ZZ"))
	owner.kimOK(t, "assess "+ref+" language=2 work=1", "gespeichert")
	owner.kimOK(t, "goal add "+ref+" language Kurs", "Ziel 1")
	owner.kimOK(t, "consent "+ref+" grant jmd", "erfasst")
	owner.kimOK(t, "refer "+ref+" jmd Beratung", "Verweis 1")
	owner.kimOK(t, "contact "+ref+" phone Telefonat", "gespeichert")
	ownerDialog := owner.kimDialog(t, "contact "+ref)

	today := kim.DateOf(time.Now().In(kim.Berlin))
	commands := []string{
		"zeige " + ref,
		"contact " + ref + " phone Hallo", "kontakt " + ref + " hausbesuch date=" + today.German() + " Besuch", "contact " + ref,
		"assess " + ref + " language=5", "einschaetzung " + ref + " work=3",
		"goal add " + ref + " work Job", "ziel neu " + ref + " housing Wohnung", "goal done " + ref + " 1", "goal drop " + ref + " 1",
		"refer " + ref + " jmd Noch einmal", "verweis " + ref, "outcome " + ref + " 1 accepted", "ergebnis " + ref + " 1 abgelehnt",
		"consent " + ref + " grant jobcenter", "consent " + ref + " revoke jmd", "einwilligung " + ref + " widerrufen verarbeitung",
		"domain " + ref + " SGB2", "rechtskreis " + ref + " SGB3 since=" + today.String(),
		"due " + ref + " monitoring " + today.AddDays(7).String(), "termin " + ref + " einschaetzung " + today.AddDays(30).German(),
		"abschliessen " + ref + " verzogen", "reopen " + ref,
		"transfer " + ref + " " + outsider.mention(), "uebergeben " + ref + " " + coord.mention(),
		"barrier " + ref + " jmd Wartezeit", "hindernis " + ref + " wohnen zu teuer",
		"hindernis bestaetigen " + ref + " 1",
		"admin audit " + ref,
	}
	actors := []struct {
		name       string
		u          *user
		want       string // the refusal of case commands
		wantAdmin  string // the refusal of admin audit
		listenForm bool
	}{
		{"coach of the same team", outsider, "Keinen Fall " + ref, "ist nur für Admins", true},
		{"coach of another team, in their team", coachB, "Keinen Fall " + ref, "ist nur für Admins", true},
		{"coach of another team, in this team", coachBinA, "keine kimbot-Rolle", "keine kimbot-Rolle", false},
		{"coordinator", coord, "is only for coaches", "is only for admins", true},
		{"user without a role", nobody, "keine kimbot-Rolle", "keine kimbot-Rolle", true},
	}
	cardBefore := owner.kimOK(t, "show "+ref, ref+" · ZZ")
	before := caseRows(t, env, env.Team.Id, envB.Team.Id)
	for _, a := range actors {
		if a.listenForm {
			a.u.listen(t)
		}
		for _, line := range commands {
			want := a.want
			if strings.HasPrefix(line, "admin") {
				want = a.wantAdmin
			}
			resp := a.u.kim(t, line)
			text := devstack.ResponseText(resp)
			if !strings.Contains(text, want) {
				t.Errorf("%s: /kim %s: answer %q, want %q", a.name, line, text, want)
			}
			if resp.ResponseType != "" && resp.ResponseType != "ephemeral" {
				t.Errorf("%s: /kim %s: response_type %q", a.name, line, resp.ResponseType)
			}
			for _, secret := range []string{"ZZ", "Kurs", "Beratung", "Telefonat"} {
				if strings.Contains(text, secret) {
					t.Errorf("%s: /kim %s: the answer shows case content %q: %q", a.name, line, secret, text)
				}
			}
		}
		if a.listenForm {
			ctx, cancel := context.WithTimeout(ctxT(t), 2*time.Second)
			if d, err := a.u.events.WaitDialog(ctx); err == nil {
				t.Errorf("%s got a form: %s", a.name, d.Dialog.Title)
			}
			cancel()
		}
	}
	// The owner's contact form, submitted by another coach, is refused by kimbot.
	if _, err := outsider.SubmitDialog(ctxT(t), ownerDialog, env.TownSquareID, env.Team.Id,
		map[string]any{"kind": "phone", "note": "fremd"}); err == nil {
		t.Error("another coach submitted the owner's contact form")
	}
	if after := caseRows(t, env, env.Team.Id, envB.Team.Id); after != before {
		t.Fatal("refused commands changed kimbot's data")
	}
	if cardAfter := owner.kimOK(t, "show "+ref); cardAfter != cardBefore {
		t.Fatalf("the owner's case card changed:\nbefore:\n%s\nafter:\n%s", cardBefore, cardAfter)
	}
	// The owner still can, and the admin sees in the log that nobody else touched the case.
	owner.kimOK(t, "contact "+ref+" phone \"Alles gut\"", "gespeichert")
	audit := env.Admin.kimOK(t, "admin audit "+ref, "@"+owner.Username())
	for _, u := range []*user{outsider, coord, nobody, coachB} {
		if strings.Contains(audit, "@"+u.Username()) {
			t.Errorf("the audit log names %s:\n%s", u.Username(), audit)
		}
	}
}
