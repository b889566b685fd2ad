package e2e

import (
	"strings"
	"testing"
)

// TestHelpFitsRoleAsPeople: through Mattermost, each role's `/kim help` lists what that role may
// use and not the verbs it may not (a coordinator sees meetings, not case verbs; a coach no
// meetings; an admin administration, not case verbs); a verb's help for someone who may not use
// it says who may; a user without a role gets the short answer naming who grants one.
func TestHelpFitsRoleAsPeople(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "en")
	coord := env.newUser(t, "koordination", "en")
	admin := env.newUser(t, "verwaltung", "en")
	nobody := env.newUser(t, "neu", "de")
	env.grant(t, coach, "coach")
	env.grant(t, coord, "coordinator")
	env.grant(t, admin, "admin")

	for _, tc := range []struct {
		who       *user
		want, not []string
	}{
		{coach, []string{"(your role: coach)", "`/kim open <pseudonym>", "`/kim contact <case>", "`/kim action done <action>`"},
			[]string{"/kim meeting", "/kim agenda", "/kim admin role", "/kim admin defaults"}},
		{coord, []string{"(your role: coordinator)", "`/kim meeting <new|list|show|edit|cancel> …`", "`/kim agenda <add|post|edit|delete> …`",
			"`/kim admin partner list`"}, []string{"/kim open", "/kim show", "/kim contact", "/kim goal", "/kim admin role"}},
		{admin, []string{"(your role: admin)", "`/kim admin <", "`/kim meeting <new|list|show|edit|cancel> …`",
			"administration: roles, handovers, team settings, partners, topics, transition templates for changes of legal domain, audit log"},
			[]string{"/kim open", "/kim show", "/kim contact", "/kim goal"}},
	} {
		text := tc.who.kimOK(t, "help", tc.want...)
		for _, f := range tc.not {
			if strings.Contains(text, f) {
				t.Errorf("%s's help lists %q, which their role cannot use:\n%s", tc.who.Username(), f, text)
			}
		}
	}
	coord.kimOK(t, "help show", "`/kim show` is only for coaches; your role: coordinator.")
	if text := coord.kimOK(t, "help admin", "`/kim admin partner list`"); strings.Contains(text, "/kim admin role") {
		t.Errorf("the coordinator's help of admin lists admin-only forms:\n%s", text)
	}
	text := nobody.kimOK(t, "hilfe", "noch keine kimbot-Rolle", admin.mention(), "`/kim admin rolle @Ihr-Name coach`")
	if strings.Contains(text, "/kim neu") || strings.Contains(text, "/kim open") {
		t.Errorf("the no-role help lists verbs:\n%s", text)
	}
}
