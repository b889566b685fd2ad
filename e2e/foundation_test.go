package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestProvisionTwiceChangesNothing: a second `kimbot provision` for a provisioned team reports
// nothing to change, and the /kim command keeps its id and verification token in Mattermost.
func TestProvisionTwiceChangesNothing(t *testing.T) {
	env := newTeamEnv(t)
	before, _, err := env.Admin.ListCommands(ctxT(t), env.Team.Id, true)
	if err != nil {
		t.Fatal(err)
	}
	out := env.provision(t)
	if !strings.Contains(out, "nothing to change") {
		t.Fatalf("second provision changed something:\n%s", out)
	}
	after, _, err := env.Admin.ListCommands(ctxT(t), env.Team.Id, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 1 || len(after) != 1 || before[0].Id != after[0].Id || before[0].Token != after[0].Token || after[0].Trigger != "kim" {
		t.Fatalf("commands before %+v, after %+v", before, after)
	}
}

// TestServeEndpoints: health, readiness (Postgres and Redis) and Prometheus metrics that count
// the commands by verb and outcome, never by content.
func TestServeEndpoints(t *testing.T) {
	env := newTeamEnv(t)
	u := env.newUser(t, "metrics", "de")
	u.kimText(t, "zeige K-2026-9999")
	for path, want := range map[string]string{
		"/healthz": "ok",
		"/readyz":  "ready",
		"/metrics": `kimbot_commands_total{outcome="forbidden",verb="show"}`,
	} {
		resp, err := http.Get(kimbotURL() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, body lacks %q", path, resp.StatusCode, want)
		}
		if strings.Contains(string(body), "K-2026-9999") {
			t.Errorf("GET %s exposes command text", path)
		}
	}
}

// TestFoundationAsPeople: through Mattermost, a system admin grants roles, a coach opens and
// sees cases, and each refusal of the foundation issue reaches the right person in their
// language: no role (naming who grants one), another coach's case, a case of another team, a
// coordinator asking for case content, a malformed command; and nothing is stored for any.
func TestFoundationAsPeople(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	other := newTeamEnv(t)
	coach := env.newUser(t, "anna", "de")
	colleague := env.newUser(t, "ben", "en")
	coord := env.newUser(t, "kora", "de")
	nobody := env.newUser(t, "neu", "de")
	foreign := other.newUser(t, "bea", "de")
	for _, g := range []struct {
		env  *teamEnv
		u    *user
		role string
		want string
	}{
		{env, coach, "coach org=Caritas", "hat jetzt die Rolle Coach (Caritas)"},
		{env, colleague, "coach org=DRK", "hat jetzt die Rolle Coach (DRK)"},
		{env, coord, "coordinator", "hat jetzt die Rolle Koordination"},
		{other, foreign, "coach", "hat jetzt die Rolle Coach"},
	} {
		if got := g.env.grant(t, g.u, g.role); !strings.Contains(got, g.want) {
			t.Fatalf("grant %s: %q", g.role, got)
		}
	}
	ref := caseRefRE.FindString(coach.kimOK(t, "neu AB group=refugee domain=SGB2 consent=yes", "ist angelegt"))
	if ref == "" {
		t.Fatal("no case reference in the answer")
	}
	coach.kimOK(t, "faelle", ref, "AB", "Erstgespräch")
	coach.kimOK(t, "zeige "+strings.ToLower(ref), "#### "+ref+" · AB", "Geflüchtete", "Rechtskreis: SGB II")

	db := env.kimbotDB(t)
	count := func() int {
		var n int
		// Only these two teams: other tests run in parallel on the same database.
		if err := db.QueryRow(ctxT(t), `SELECT (SELECT count(*) FROM cases WHERE team_id IN ($1, $2))
			+ (SELECT count(*) FROM memberships WHERE team_id IN ($1, $2))`, env.Team.Id, other.Team.Id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for _, tc := range []struct {
		who  *user
		line string
		want string
	}{
		{nobody, "neu XY group=eu consent=ja", "keine kimbot-Rolle"},
		{nobody, "faelle", "Systemadministration"},
		{colleague, "show " + ref, "No case " + ref + " that you own"},
		{foreign, "zeige " + ref, "Keinen Fall " + ref},
		{coord, "zeige " + ref, "ist nur für Coaches"},
		{coach, "admin role " + nobody.mention() + " coach", "ist nur für Admins"},
		{coach, "neu XY group=eu", "Es fehlt: `einwilligung=<ja|nein>`."},
		{coach, "neu XY group=aliens consent=ja", "möglich: Geflüchtete, Unionsbürger, Drittstaatsangehörige, Sonstige"},
		{coach, "zeige 42x", "kein Aktenzeichen"},
		{coach, "zeige 42", "Keiner Ihrer Fälle hat die Nummer 42"},
		{colleague, "frobnicate", "Unknown command"},
	} {
		tc.who.kimOK(t, tc.line, tc.want)
	}
	if after := count(); after != before {
		t.Fatalf("refused commands stored something: %d rows before, %d after", before, after)
	}
	// An explicit language choice beats the Mattermost locale.
	coach.kimOK(t, "einstellungen lang=en", "Saved")
	coach.kimOK(t, "zeige K-2099-0001", "No case K-2099-0001")
}
