package bot

import (
	"context"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"
)

// Team membership in Mattermost ends access to kimbot: a user removed from a
// team keeps their kimbot role in the database, but their button presses are
// refused (buttons.go) and the digest pass leaves the team out of their digest
// (reminders.Members). Slash commands and dialog submissions need no check:
// Mattermost takes them only from members of the team. A user deactivated in
// Mattermost stays a member of their teams there, but counts as none: they
// get no digests and no agenda reminders (TeamMembers), and cannot log in to
// press or type anything.

// membersBatch is how many user ids one request of TeamMembers asks about.
const membersBatch = 200

// TeamMember reports whether the user is a member of the team in
// Mattermost (not removed from it).
func (c *Client) TeamMember(ctx context.Context, teamID, userID string) (bool, error) {
	m, resp, err := c.api.GetTeamMember(ctx, teamID, userID, "")
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return false, nil
		}
		return false, apiErr("get team member", resp, err)
	}
	return m.DeleteAt == 0, nil
}

// TeamMembers returns which of the users are active members of the team in
// Mattermost (not removed from it, not deactivated), two requests per 200
// users. It implements reminders.Members.
func (c *Client) TeamMembers(ctx context.Context, teamID string, userIDs []string) (map[string]bool, error) {
	out := make(map[string]bool, len(userIDs))
	for start := 0; start < len(userIDs); start += membersBatch {
		ids := userIDs[start:min(start+membersBatch, len(userIDs))]
		list, resp, err := c.api.GetTeamMembersByIds(ctx, teamID, ids)
		if err != nil {
			return nil, apiErr("team members by ids", resp, err)
		}
		var members []string
		for _, m := range list {
			if m != nil && m.DeleteAt == 0 {
				members = append(members, m.UserId)
			}
		}
		if len(members) == 0 {
			continue
		}
		users, resp, err := c.api.GetUsersByIds(ctx, members)
		if err != nil {
			return nil, apiErr("users by ids", resp, err)
		}
		for _, u := range users {
			if u != nil && u.DeleteAt == 0 {
				out[u.Id] = true
			}
		}
	}
	return out, nil
}

// SendDM posts message into the bot's direct channel with the user and
// returns the post's id. It implements commands.Notifier.
func (c *Client) SendDM(ctx context.Context, userID, message string) (string, error) {
	dm, resp, err := c.api.CreateDirectChannel(ctx, c.BotID, userID)
	if err != nil {
		return "", apiErr("direct channel", resp, err)
	}
	p, resp, err := c.api.CreatePost(ctx, &model.Post{ChannelId: dm.Id, Message: message})
	if err != nil {
		return "", apiErr("create post", resp, err)
	}
	return p.Id, nil
}
