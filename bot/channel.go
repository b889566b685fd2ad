package bot

import (
	"context"
	"errors"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Channel returns the team's channel named name (or with id when name is
// "") and makes sure the bot is a member, joining it if it is public. A
// channel the bot cannot see, of another team, a direct or group message,
// an archived channel or a private one without the bot is refused with an
// application error that says what to do. It implements commands.Channels.
func (c *Client) Channel(ctx context.Context, teamID, name, id string) (kim.Channel, error) {
	var ch *model.Channel
	var resp *model.Response
	var err error
	if name != "" {
		ch, resp, err = c.api.GetChannelByName(ctx, name, teamID, "")
	} else {
		ch, resp, err = c.api.GetChannel(ctx, id, "")
	}
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden) {
			if name == "" {
				return kim.Channel{}, kim.Errorf(kim.EFORBIDDEN, "meeting.channel_here", nil)
			}
			return kim.Channel{}, kim.Errorf(kim.ENOTFOUND, "meeting.channel_not_found", map[string]any{"Channel": name})
		}
		return kim.Channel{}, apiErr("get channel", resp, err)
	}
	if ch.TeamId != teamID || (ch.Type != model.ChannelTypeOpen && ch.Type != model.ChannelTypePrivate) {
		return kim.Channel{}, kim.Errorf(kim.EINVALID, "meeting.channel_not_team", nil)
	}
	out := kim.Channel{ID: ch.Id, TeamID: ch.TeamId, Name: ch.Name, DisplayName: ch.DisplayName}
	noAccess := kim.Errorf(kim.EFORBIDDEN, "meeting.channel_no_access", map[string]any{"Channel": ch.Name})
	if ch.DeleteAt != 0 {
		return out, noAccess
	}
	_, resp, err = c.api.GetChannelMember(ctx, ch.Id, c.BotID, "")
	switch {
	case err == nil:
		return out, nil
	case resp == nil || (resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden):
		return out, apiErr("get channel member", resp, err)
	case ch.Type != model.ChannelTypeOpen:
		return out, noAccess
	}
	if _, resp, err := c.api.AddChannelMember(ctx, ch.Id, c.BotID); err != nil {
		if resp != nil && resp.StatusCode >= 400 && resp.StatusCode < 500 {
			return out, noAccess
		}
		return out, apiErr("join channel", resp, err)
	}
	return out, nil
}

// PostToChannel posts message into the channel as the bot and returns the
// post's id; a refusal by Mattermost (the bot may not post there) is an
// application error. It implements commands.Channels.
func (c *Client) PostToChannel(ctx context.Context, channelID, message string) (string, error) {
	p, resp, err := c.api.CreatePost(ctx, &model.Post{ChannelId: channelID, Message: message})
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound) {
			name := channelID
			if ch, _, e := c.api.GetChannel(ctx, channelID, ""); e == nil {
				name = ch.Name
			}
			return "", kim.Errorf(kim.EFORBIDDEN, "meeting.channel_no_access", map[string]any{"Channel": name})
		}
		if r := (*kim.PostRefused)(nil); errors.As(postErr(resp, err), &r) {
			return "", &kim.Error{Code: kim.EINVALID, Key: "agenda.post_refused", Args: map[string]any{"Reason": r.Reason}, Err: r}
		}
		return "", apiErr("create post", resp, err)
	}
	return p.Id, nil
}
