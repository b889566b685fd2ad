package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// TestRegeneratedCommandToken (issue 10 point 7): an admin regenerates the /kim command token
// in Mattermost. kimbot refuses the new token with a log line naming the step
// (`kimbot provision`); after that step the command works again through Mattermost, a second
// replica takes the new token within its refresh interval, and a request signed with the old
// token straight to either replica is refused.
func TestRegeneratedCommandToken(t *testing.T) {
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	coach.kimOK(t, "hilfe", "kimbot")
	ctx := ctxT(t)
	cmds, _, err := stack.admin.ListCommands(ctx, env.Team.Id, true)
	if err != nil {
		t.Fatal(err)
	}
	var cmd *model.Command
	for _, c := range cmds {
		if c.Trigger == "kim" {
			cmd = c
		}
	}
	if cmd == nil {
		t.Fatal("no /kim command in the team")
	}
	old := cmd.Token
	_, replicaURL := startReplica(t)
	// forged posts a slash request for the coach straight to a replica with the given token.
	forged := func(base, token string) int {
		t.Helper()
		form := url.Values{"text": {"hilfe"}, "user_id": {coach.UserID()}, "team_id": {env.Team.Id},
			"channel_id": {env.TownSquareID}, "token": {token}}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/mattermost/command", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Token "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, base := range []string{kimbotURL(), replicaURL} {
		for deadline := time.Now().Add(15 * time.Second); forged(base, old) != http.StatusOK; time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s refuses the current token", base)
			}
		}
	}

	regen, _, err := stack.admin.RegenCommandToken(ctx, cmd.Id)
	if err != nil {
		t.Fatal(err)
	}
	if regen == "" || regen == old {
		t.Fatalf("token not regenerated: %q", regen)
	}
	// Mattermost now sends the new token, which kimbot does not know yet: refused, with the step.
	if _, err := coach.run(t, "/kim hilfe"); err == nil {
		t.Fatal("a command with the unprovisioned new token was answered")
	}
	// The process's output is read asynchronously: wait a moment for the line.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(serveOutput(), "run `kimbot provision`"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no log line names the step:\n%s", serveOutput())
		}
	}

	env.provision(t)
	// Within the refresh interval both replicas take the new token and refuse the old one.
	for _, base := range []string{kimbotURL(), replicaURL} {
		deadline := time.Now().Add(3 * 10 * time.Second) // 3 × bot.TokenMaxAge
		for forged(base, regen) != http.StatusOK || forged(base, old) != http.StatusUnauthorized {
			if time.Now().After(deadline) {
				t.Fatalf("%s: new token %d, old token %d after provision", base, forged(base, regen), forged(base, old))
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	coach.kimOK(t, "hilfe", "kimbot")
}
