package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/devstack"
)

// TestSmoke: /kim help answers through Mattermost, and kimbot refuses a forged slash command.
func TestSmoke(t *testing.T) {
	env := newTeamEnv(t)
	u := env.newUser(t, "smoke", "en")

	t.Run("help through Mattermost", func(t *testing.T) {
		resp := u.kim(t, "help")
		text := devstack.ResponseText(resp)
		if text == "" {
			t.Fatalf("/kim help gave an empty answer: %+v", resp)
		}
		t.Logf("/kim help:\n%s", devstack.Tail(text, 5))
		if resp.ResponseType != "" && resp.ResponseType != "ephemeral" {
			t.Errorf("/kim help response_type = %q, want ephemeral", resp.ResponseType)
		}
	})

	t.Run("forged command with a wrong token is refused", func(t *testing.T) {
		form := url.Values{
			"token":        {"not-the-command-token"},
			"team_id":      {env.Team.Id},
			"team_domain":  {env.Team.Name},
			"channel_id":   {env.TownSquareID},
			"channel_name": {"town-square"},
			"user_id":      {u.UserID()},
			"user_name":    {u.Username()},
			"command":      {"/kim"},
			"text":         {"help"},
		}
		req, err := http.NewRequestWithContext(ctxT(t), http.MethodPost, kimbotURL()+"/mattermost/command", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Token not-the-command-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("forged command: HTTP %d, want 401", resp.StatusCode)
		}
	})
}

// TestServeRestart: kimbot serve exits cleanly on SIGTERM, survives a crash, and answers again
// on the same address either way; Mattermost going away and coming back changes nothing.
func TestServeRestart(t *testing.T) {
	env := newTeamEnv(t)
	u := env.newUser(t, "restart", "en")
	for _, step := range []struct {
		name string
		do   func(t *testing.T)
	}{
		{"SIGTERM", func(t *testing.T) { restartServe(t, false) }},
		{"crash", func(t *testing.T) { restartServe(t, true) }},
		{"Mattermost restart", func(t *testing.T) { mattermostDown(t); mattermostUp(t) }},
	} {
		t.Run(step.name, func(t *testing.T) {
			step.do(t)
			if text := u.kimText(t, "help"); text == "" {
				t.Fatal("empty /kim help after restart")
			}
		})
	}
}
