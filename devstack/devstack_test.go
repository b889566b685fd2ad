package devstack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// TestStack checks this package against a real Mattermost: users, slash commands, a bot DM
// with a button, ephemeral answers, dialogs, and stopping and starting the server. A fake
// integration (an httptest server) stands in for kimbot.
func TestStack(t *testing.T) {
	env := map[string]string{}
	for _, name := range []string{"KIMBOT_TEST_DATABASE_URL", "KIMBOT_TEST_MATTERMOST_BIN", "KIMBOT_TEST_MATTERMOST_ASSETS"} {
		if env[name] = os.Getenv(name); env[name] == "" {
			t.Fatalf("%s is not set: run the tests with scripts/test", name)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	mm, err := StartMattermost(ctx, MattermostConfig{
		Bin: env["KIMBOT_TEST_MATTERMOST_BIN"], Assets: env["KIMBOT_TEST_MATTERMOST_ASSETS"],
		PostgresAdminURL: env["KIMBOT_TEST_DATABASE_URL"], DefaultLocale: "de",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := mm.Close(); err != nil {
			t.Error(err)
		}
	}()

	admin, err := mm.CreateFirstAdmin(ctx, "sysadmin", RandomPassword())
	if err != nil {
		t.Fatal(err)
	}
	team, err := admin.NewTeam(ctx, "devstack", "")
	if err != nil {
		t.Fatal(err)
	}
	alice, err := admin.NewUser(ctx, UserSpec{Username: "alice", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := admin.NewUser(ctx, UserSpec{Username: "bob", Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*Client{alice, bob} {
		if err := admin.AddToTeam(ctx, team.Id, u.UserID()); err != nil {
			t.Fatal(err)
		}
	}
	if alice.User.Locale != "de" || bob.User.Locale != "en" {
		t.Errorf("locales: alice %q (want the default de), bob %q (want en)", alice.User.Locale, bob.User.Locale)
	}
	if tz := alice.User.Timezone["manualTimezone"]; tz != "Europe/Berlin" || alice.User.Timezone["useAutomaticTimezone"] != "false" {
		t.Errorf("alice's time zone = %v", alice.User.Timezone)
	}
	townSquare, err := alice.TownSquareID(ctx, team.Id)
	if err != nil {
		t.Fatal(err)
	}

	// The bot and the fake integration.
	bot, _, err := admin.CreateBot(ctx, &model.Bot{Username: "fakebot", DisplayName: "Fake"})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := admin.CreateUserAccessToken(ctx, bot.UserId, "devstack test")
	if err != nil {
		t.Fatal(err)
	}
	botClient := model.NewAPIv4Client(mm.URL)
	botClient.SetToken(tok.Token)
	if err := admin.AddToTeam(ctx, team.Id, bot.UserId); err != nil {
		t.Fatal(err)
	}
	fake := &fakeIntegration{api: botClient, t: t}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cmd, _, err := admin.CreateCommand(ctx, &model.Command{TeamId: team.Id, Trigger: "fake", Method: model.CommandMethodPost, URL: srv.URL + "/command"})
	if err != nil {
		t.Fatal(err)
	}
	fake.token = cmd.Token

	t.Run("slash command", func(t *testing.T) {
		resp, err := alice.ExecuteCommand(ctx, team.Id, townSquare, "/fake hello there")
		if err != nil {
			t.Fatal(err)
		}
		if got := ResponseText(resp); got != "you said: hello there\nCard\nField: 42\n[Go]" {
			t.Errorf("ResponseText = %q", got)
		}
	})

	t.Run("bot DM, button and ephemeral answer", func(t *testing.T) {
		dm, _, err := botClient.CreateDirectChannel(ctx, bot.UserId, alice.UserID())
		if err != nil {
			t.Fatal(err)
		}
		post := &model.Post{ChannelId: dm.Id, Message: "Reminder"}
		post.AddProp(model.PostPropsAttachments, []*model.SlackAttachment{{
			Text: "K-2026-0001 monitoring due",
			Actions: []*model.PostAction{{Id: "done", Name: "Erledigt", Type: model.PostActionTypeButton,
				Integration: &model.PostActionIntegration{URL: srv.URL + "/action", Context: map[string]any{"item": "7"}}}},
		}})
		if _, _, err := botClient.CreatePost(ctx, post); err != nil {
			t.Fatal(err)
		}
		posts, err := alice.DirectPostsFrom(ctx, "fakebot")
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != 1 || PostText(posts[0]) != "Reminder\nK-2026-0001 monitoring due\n[Erledigt]" {
			t.Fatalf("DMs = %d, first %q", len(posts), PostText(posts[0]))
		}
		if a := FindAction(posts[0], "erledigt"); a == nil || a.Id != "done" {
			t.Fatalf("FindAction by name = %+v", a)
		}
		ev, err := alice.Listen(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer ev.Close()
		if err := alice.PressButton(ctx, posts[0].Id, "done"); err != nil {
			t.Fatal(err)
		}
		if got := fake.lastAction(); got.UserId != alice.UserID() || got.Context["item"] != "7" {
			t.Errorf("integration got %+v", got)
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if _, err := ev.WaitEphemeral(wctx, "pressed"); err != nil {
			t.Fatal(err)
		}
		if first, err := ev.Next(wctx, 0); err != nil || first.Ephemeral == nil || first.Ephemeral.Message != "pressed" || first.Dialog != nil {
			t.Errorf("Next(0) = %+v, %v; want the ephemeral answer", first, err)
		}
		if err := bob.PressButton(ctx, posts[0].Id, "done"); err == nil {
			t.Error("bob pressed a button in alice's DM")
		}
	})

	t.Run("dialog", func(t *testing.T) {
		ev, err := alice.Listen(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer ev.Close()
		if _, err := alice.ExecuteCommand(ctx, team.Id, townSquare, "/fake dialog"); err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		d, err := ev.WaitDialog(wctx)
		if err != nil {
			t.Fatal(err)
		}
		if first, err := ev.Next(wctx, 0); err != nil || first.Dialog == nil || first.Dialog.Dialog.Title != "Neuer Fall" {
			t.Errorf("Next(0) = %+v, %v; want the dialog", first, err)
		}
		resp, err := alice.SubmitDialog(ctx, d, townSquare, team.Id, map[string]any{"pseudonym": ""})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Errors["pseudonym"] == "" {
			t.Errorf("want a field error, got %+v", resp)
		}
		if _, err := alice.SubmitDialog(ctx, d, townSquare, team.Id, map[string]any{"pseudonym": "AB"}); err != nil {
			t.Fatal(err)
		}
		if got := fake.lastDialog(); got.Submission["pseudonym"] != "AB" || got.State != "signed-state" || got.UserId != alice.UserID() {
			t.Errorf("integration got %+v", got)
		}
	})

	t.Run("stop and start", func(t *testing.T) {
		start := time.Now()
		if err := mm.Stop(); err != nil {
			t.Fatal(err)
		}
		t.Logf("stopped in %s", time.Since(start).Round(time.Millisecond))
		if _, _, err := alice.GetMe(ctx, ""); err == nil {
			t.Fatal("Mattermost still answers after Stop")
		}
		start = time.Now()
		if err := mm.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Logf("started in %s", time.Since(start).Round(time.Millisecond))
		if _, _, err := alice.GetMe(ctx, ""); err != nil {
			t.Fatalf("session lost over a restart: %v", err)
		}
	})
}

// fakeIntegration answers Mattermost's calls the way kimbot does, and records them.
type fakeIntegration struct {
	t     *testing.T
	api   *model.Client4
	token string

	mu     sync.Mutex
	action model.PostActionIntegrationRequest
	dialog model.SubmitDialogRequest
}

func (f *fakeIntegration) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/command":
		if r.Header.Get("Authorization") != "Token "+f.token {
			http.Error(w, "bad token", http.StatusUnauthorized)
			return
		}
		_ = r.ParseForm()
		if r.FormValue("text") == "dialog" {
			err := f.openDialog(r.Context(), r.FormValue("trigger_id"), "http://"+r.Host+"/dialog")
			if err != nil {
				f.t.Errorf("open dialog: %v", err)
			}
			_ = json.NewEncoder(w).Encode(model.CommandResponse{})
			return
		}
		_ = json.NewEncoder(w).Encode(model.CommandResponse{
			ResponseType: model.CommandResponseTypeEphemeral, Text: "you said: " + r.FormValue("text"),
			Attachments: []*model.SlackAttachment{{Title: "Card", Fields: []*model.SlackAttachmentField{{Title: "Field", Value: "42"}},
				Actions: []*model.PostAction{{Id: "go", Name: "Go", Type: model.PostActionTypeButton}}}},
		})
	case "/action":
		f.mu.Lock()
		_ = json.NewDecoder(r.Body).Decode(&f.action)
		f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(model.PostActionIntegrationResponse{EphemeralText: "pressed"})
	case "/dialog":
		var req model.SubmitDialogRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		if s, _ := req.Submission["pseudonym"].(string); strings.TrimSpace(s) == "" {
			_ = json.NewEncoder(w).Encode(model.SubmitDialogResponse{Errors: map[string]string{"pseudonym": "required"}})
			return
		}
		f.mu.Lock()
		f.dialog = req
		f.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeIntegration) openDialog(ctx context.Context, triggerID, url string) error {
	_, err := f.api.OpenInteractiveDialog(ctx, model.OpenDialogRequest{
		TriggerId: triggerID, URL: url,
		Dialog: model.Dialog{CallbackId: "open", Title: "Neuer Fall", State: "signed-state",
			Elements: []model.DialogElement{{DisplayName: "Pseudonym", Name: "pseudonym", Type: "text"}}},
	})
	return err
}

func (f *fakeIntegration) lastAction() model.PostActionIntegrationRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.action
}

func (f *fakeIntegration) lastDialog() model.SubmitDialogRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dialog
}
