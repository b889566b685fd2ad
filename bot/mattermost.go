// Package bot speaks Mattermost: the HTTP endpoint for slash commands,
// button actions and dialogs (each verified), the REST client, provisioning
// from manifest.json and posting DMs.
package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Client is kimbot's REST client, acting as the bot account.
type Client struct {
	api   *model.Client4
	BotID string
}

// NewClient returns a client of the server at url with the bot's token. Its
// connections are kept for reuse (up to maxIdleConns): Go's default keeps
// two per host, so that the reminder pass's parallel posts and concurrent
// commands would open a new connection for most requests.
func NewClient(url, token, botID string) *Client {
	api := model.NewAPIv4Client(strings.TrimRight(url, "/"))
	api.SetToken(token)
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = maxIdleConns, maxIdleConns
	api.HTTPClient = &http.Client{Transport: t}
	return &Client{api: api, BotID: botID}
}

// maxIdleConns is how many idle connections to Mattermost a client keeps.
const maxIdleConns = 32

// userOf converts a Mattermost user into kimbot's view of it.
func userOf(u *model.User) kim.User {
	tz := u.GetPreferredTimezone()
	return kim.User{ID: u.Id, Username: u.Username, Locale: u.Locale, TimeZone: tz, SysAdmin: u.IsSystemAdmin()}
}

// User returns a Mattermost user by id.
func (c *Client) User(ctx context.Context, id string) (kim.User, error) {
	u, resp, err := c.api.GetUser(ctx, id, "")
	if err != nil {
		return kim.User{}, apiErr("get user", resp, err)
	}
	return userOf(u), nil
}

// UserByName returns the member of the team with that username.
func (c *Client) UserByName(ctx context.Context, teamID, username string) (kim.User, error) {
	u, resp, err := c.api.GetUserByUsername(ctx, strings.TrimPrefix(username, "@"), "")
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return kim.User{}, kim.Errorf(kim.ENOTFOUND, "err.user_not_found", map[string]any{"User": username})
		}
		return kim.User{}, apiErr("get user by name", resp, err)
	}
	m, resp, err := c.api.GetTeamMember(ctx, teamID, u.Id, "")
	if err != nil || m.DeleteAt != 0 || u.DeleteAt != 0 {
		if resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden) || err == nil {
			return kim.User{}, kim.Errorf(kim.ENOTFOUND, "err.user_not_found", map[string]any{"User": username})
		}
		return kim.User{}, apiErr("get team member", resp, err)
	}
	return userOf(u), nil
}

// apiErr wraps a REST error; connection failures become EUNAVAILABLE.
func apiErr(what string, resp *model.Response, err error) error {
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	e := fmt.Errorf("bot: mattermost %s (status %d): %w", what, status, err)
	if status == 0 || status >= 500 {
		return &kim.Error{Code: kim.EUNAVAILABLE, Key: "err.mattermost_unavailable", Err: e}
	}
	return e
}

// IsUnavailable reports whether err means Mattermost could not be reached.
func IsUnavailable(err error) bool {
	var e *kim.Error
	return errors.As(err, &e) && e.Code == kim.EUNAVAILABLE
}
