package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot"
	"github.com/kimbot-nrw/kimbot/store"
)

// keyBotToken is the installation key of the bot token; its value is the
// bot's user id.
const keyBotToken = "bot_token"

// CommandPath is where Mattermost posts slash commands.
const CommandPath = "/mattermost/command"

// Provisioner applies manifest.json to a Mattermost server with an admin token.
type Provisioner struct {
	API       *model.Client4
	Store     *store.Store
	PublicURL string
	Log       *slog.Logger
}

// NewProvisioner returns a provisioner talking to url with the admin token.
func NewProvisioner(url, adminToken, publicURL string, s *store.Store, log *slog.Logger) *Provisioner {
	api := model.NewAPIv4Client(strings.TrimRight(url, "/"))
	api.SetToken(adminToken)
	return &Provisioner{API: api, Store: s, PublicURL: strings.TrimRight(publicURL, "/"), Log: log}
}

// Run creates or updates the bot, its token and the slash command in each
// team. Running it again changes nothing; it returns what it changed.
func (p *Provisioner) Run(ctx context.Context, m kimbot.Manifest, teams []string) ([]string, error) {
	var changes []string
	botID, changed, err := p.ensureBot(ctx, m)
	if err != nil {
		return nil, err
	}
	if changed != "" {
		changes = append(changes, changed)
	}
	if c, err := p.ensureToken(ctx, botID); err != nil {
		return nil, err
	} else if c != "" {
		changes = append(changes, c)
	}
	for _, name := range teams {
		c, err := p.ensureTeam(ctx, m, botID, name)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c...)
	}
	return changes, nil
}

func (p *Provisioner) ensureBot(ctx context.Context, m kimbot.Manifest) (string, string, error) {
	u, resp, err := p.API.GetUserByUsername(ctx, m.Bot.Username, "")
	if err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
		return "", "", fmt.Errorf("provision: look up bot: %w", err)
	}
	if err != nil {
		b, _, err := p.API.CreateBot(ctx, &model.Bot{Username: m.Bot.Username, DisplayName: m.Bot.DisplayName, Description: m.Bot.Description})
		if err != nil {
			return "", "", fmt.Errorf("provision: create bot (is EnableBotAccountCreation on?): %w", err)
		}
		return b.UserId, "created bot @" + m.Bot.Username, nil
	}
	if !u.IsBot {
		return "", "", fmt.Errorf("provision: @%s exists and is not a bot; choose another bot.username in manifest.json", m.Bot.Username)
	}
	b, _, err := p.API.GetBot(ctx, u.Id, "")
	if err != nil {
		// A disabled bot is only visible with include_deleted; enable it.
		if b, _, err = p.API.EnableBot(ctx, u.Id); err != nil {
			return "", "", fmt.Errorf("provision: read bot: %w", err)
		}
	}
	change := ""
	if b.DeleteAt != 0 {
		if _, _, err := p.API.EnableBot(ctx, u.Id); err != nil {
			return "", "", fmt.Errorf("provision: enable bot: %w", err)
		}
		change = "enabled bot"
	}
	if b.DisplayName != m.Bot.DisplayName || b.Description != m.Bot.Description {
		if _, _, err := p.API.PatchBot(ctx, u.Id, &model.BotPatch{DisplayName: &m.Bot.DisplayName, Description: &m.Bot.Description}); err != nil {
			return "", "", fmt.Errorf("provision: update bot: %w", err)
		}
		change = "updated bot @" + m.Bot.Username
	}
	return u.Id, change, nil
}

// ensureToken keeps a working bot token, creating one only when the stored
// one is missing or no longer accepted.
func (p *Provisioner) ensureToken(ctx context.Context, botID string) (string, error) {
	storedID, token, err := p.Store.Installation(ctx, keyBotToken)
	if err == nil && storedID == botID && token != "" {
		c := NewClient(p.API.URL, token, botID)
		if me, _, err := c.api.GetMe(ctx, ""); err == nil && me.Id == botID {
			return "", nil
		}
	}
	t, _, err := p.API.CreateUserAccessToken(ctx, botID, "kimbot (provisioned)")
	if err != nil {
		return "", fmt.Errorf("provision: create bot token (are user access tokens enabled?): %w", err)
	}
	if err := p.Store.SetInstallation(ctx, keyBotToken, botID, t.Token); err != nil {
		return "", err
	}
	return "created bot token", nil
}

func (p *Provisioner) ensureTeam(ctx context.Context, m kimbot.Manifest, botID, name string) ([]string, error) {
	var changes []string
	team, _, err := p.API.GetTeamByName(ctx, name, "")
	if err != nil {
		return nil, fmt.Errorf("provision: team %q: %w", name, err)
	}
	if _, _, err := p.API.GetTeamMember(ctx, team.Id, botID, ""); err != nil {
		if _, _, err := p.API.AddTeamMember(ctx, team.Id, botID); err != nil {
			return nil, fmt.Errorf("provision: add bot to team %q: %w", name, err)
		}
		changes = append(changes, "added bot to team "+name)
	}
	want := &model.Command{
		TeamId: team.Id, Trigger: m.Command.Trigger, Method: model.CommandMethodPost, URL: p.PublicURL + CommandPath,
		DisplayName: m.Command.DisplayName, Description: m.Command.Description, AutoComplete: m.Command.AutoComplete,
		AutoCompleteDesc: m.Command.AutoCompleteDesc, AutoCompleteHint: m.Command.AutoCompleteHint, Username: m.Bot.Username,
	}
	cmds, _, err := p.API.ListCommands(ctx, team.Id, true)
	if err != nil {
		return nil, fmt.Errorf("provision: list commands of %q: %w", name, err)
	}
	var cmd *model.Command
	for _, c := range cmds {
		if c.Trigger == want.Trigger && c.DeleteAt == 0 {
			cmd = c
		}
	}
	switch {
	case cmd == nil:
		if cmd, _, err = p.API.CreateCommand(ctx, want); err != nil {
			return nil, fmt.Errorf("provision: register /%s in %q: %w", want.Trigger, name, err)
		}
		changes = append(changes, "registered /"+want.Trigger+" in "+name)
	case cmd.URL != want.URL || cmd.Method != want.Method || cmd.DisplayName != want.DisplayName || cmd.Description != want.Description ||
		cmd.AutoComplete != want.AutoComplete || cmd.AutoCompleteDesc != want.AutoCompleteDesc || cmd.AutoCompleteHint != want.AutoCompleteHint ||
		cmd.Username != want.Username:
		want.Id, want.Token, want.CreatorId, want.CreateAt = cmd.Id, cmd.Token, cmd.CreatorId, cmd.CreateAt
		if cmd, _, err = p.API.UpdateCommand(ctx, want); err != nil {
			return nil, fmt.Errorf("provision: update /%s in %q: %w", want.Trigger, name, err)
		}
		changes = append(changes, "updated /"+want.Trigger+" in "+name)
	}
	changed, err := p.Store.UpsertTeam(ctx, team.Id, team.Name, cmd.Id, cmd.Token)
	if err != nil {
		return nil, err
	}
	if changed {
		changes = append(changes, "saved team "+name)
	}
	return changes, nil
}

// LoadBot returns a client acting as the provisioned bot.
func LoadBot(ctx context.Context, s *store.Store, url string) (*Client, error) {
	botID, token, err := s.Installation(ctx, keyBotToken)
	if err != nil {
		return nil, fmt.Errorf("bot: no bot token stored; run `kimbot provision` first: %w", err)
	}
	return NewClient(url, token, botID), nil
}
