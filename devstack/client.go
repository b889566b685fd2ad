package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Client is a logged-in Mattermost user with a REST client. The embedded *model.Client4 offers
// the whole API; the methods below are what kimbot's tests and demo need most.
type Client struct {
	*model.Client4
	// User is the logged-in user.
	User *model.User
	// Password is the user's password.
	Password string

	mu      sync.Mutex
	userIDs map[string]string // username -> id
	dms     map[string]string // other user's id -> direct channel id
}

// UserSpec describes a user to create. Only Username is required.
type UserSpec struct {
	Username string
	// Password defaults to a random one (kept in the returned Client).
	Password string
	// Email defaults to <username>@kimbot.test.
	Email     string
	FirstName string
	LastName  string
	// Locale is the user's language, e.g. "de" or "en"; "" means the server's default.
	Locale string
	// TimeZone is an IANA zone set as the user's manual time zone, e.g. "Europe/Berlin";
	// "" leaves Mattermost's default (automatic, unset).
	TimeZone string
}

// Login logs username in on the server at serverURL and returns the user's client.
func Login(ctx context.Context, serverURL, username, password string) (*Client, error) {
	c := newClient(serverURL)
	u, _, err := c.Login(ctx, username, password)
	if err != nil {
		return nil, fmt.Errorf("devstack: log in %s: %w", username, err)
	}
	c.User, c.Password = u, password
	return c, nil
}

func newClient(serverURL string) *Client {
	return &Client{Client4: model.NewAPIv4Client(serverURL), userIDs: map[string]string{}, dms: map[string]string{}}
}

// CreateFirstAdmin creates the server's first user (who becomes system admin) and logs in.
// It fails if the server already has users, since then the new user would not be an admin.
func (m *Mattermost) CreateFirstAdmin(ctx context.Context, username, password string) (*Client, error) {
	anon := m.Client()
	_, _, err := anon.CreateUser(ctx, &model.User{Username: username, Password: password, Email: username + "@kimbot.test", EmailVerified: true})
	if err != nil {
		return nil, fmt.Errorf("devstack: create first user %s: %w", username, err)
	}
	c, err := Login(ctx, m.URL, username, password)
	if err != nil {
		return nil, err
	}
	if !c.User.IsSystemAdmin() {
		return nil, fmt.Errorf("devstack: %s is not a system admin: the server already had users", username)
	}
	return c, nil
}

// Login logs username in on this server.
func (m *Mattermost) Login(ctx context.Context, username, password string) (*Client, error) {
	return Login(ctx, m.URL, username, password)
}

// UserID returns the logged-in user's id.
func (c *Client) UserID() string { return c.User.Id }

// Username returns the logged-in user's username.
func (c *Client) Username() string { return c.User.Username }

// NewTeam creates an open team and returns it (the caller becomes its admin and a member).
func (c *Client) NewTeam(ctx context.Context, name, displayName string) (*model.Team, error) {
	if displayName == "" {
		displayName = name
	}
	t, _, err := c.Client4.CreateTeam(ctx, &model.Team{Name: name, DisplayName: displayName, Type: model.TeamOpen})
	if err != nil {
		return nil, fmt.Errorf("devstack: create team %s: %w", name, err)
	}
	return t, nil
}

// NewUser creates a user (as this client, normally a system admin) and logs them in.
func (c *Client) NewUser(ctx context.Context, spec UserSpec) (*Client, error) {
	if spec.Password == "" {
		spec.Password = RandomPassword()
	}
	if spec.Email == "" {
		spec.Email = spec.Username + "@kimbot.test"
	}
	u := &model.User{
		Username: spec.Username, Password: spec.Password, Email: spec.Email, EmailVerified: true,
		FirstName: spec.FirstName, LastName: spec.LastName, Locale: spec.Locale,
	}
	if spec.TimeZone != "" {
		u.Timezone = model.StringMap{"useAutomaticTimezone": "false", "manualTimezone": spec.TimeZone, "automaticTimezone": ""}
	}
	if _, _, err := c.Client4.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("devstack: create user %s: %w", spec.Username, err)
	}
	uc, err := Login(ctx, c.URL, spec.Username, spec.Password)
	if err != nil {
		return nil, err
	}
	if spec.TimeZone != "" && uc.User.Timezone["manualTimezone"] != spec.TimeZone {
		// Older servers ignore the time zone on creation; set it explicitly.
		if _, _, err := uc.PatchUser(ctx, uc.UserID(), &model.UserPatch{Timezone: u.Timezone}); err != nil {
			return nil, fmt.Errorf("devstack: set time zone of %s: %w", spec.Username, err)
		}
	}
	return uc, nil
}

// AddToTeam adds the user userID to team teamID (no error if already a member).
func (c *Client) AddToTeam(ctx context.Context, teamID, userID string) error {
	if _, _, err := c.AddTeamMember(ctx, teamID, userID); err != nil {
		return fmt.Errorf("devstack: add user %s to team %s: %w", userID, teamID, err)
	}
	return nil
}

// TownSquareID returns the id of the team's town-square channel.
func (c *Client) TownSquareID(ctx context.Context, teamID string) (string, error) {
	ch, _, err := c.GetChannelByName(ctx, model.DefaultChannelName, teamID, "")
	if err != nil {
		return "", fmt.Errorf("devstack: town-square of team %s: %w", teamID, err)
	}
	return ch.Id, nil
}

// ExecuteCommand runs a slash command line (e.g. "/kim help") in a channel as this user, exactly
// as if typed, and returns the integration's response.
func (c *Client) ExecuteCommand(ctx context.Context, teamID, channelID, text string) (*model.CommandResponse, error) {
	resp, _, err := c.ExecuteCommandWithTeam(ctx, channelID, teamID, text)
	if err != nil {
		return nil, fmt.Errorf("devstack: %s as %s: %w", text, c.Username(), err)
	}
	return resp, nil
}

// UserIDByName returns the id of the user with the given username (cached).
func (c *Client) UserIDByName(ctx context.Context, username string) (string, error) {
	username = strings.TrimPrefix(username, "@")
	c.mu.Lock()
	id, ok := c.userIDs[username]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	u, _, err := c.GetUserByUsername(ctx, username, "")
	if err != nil {
		return "", fmt.Errorf("devstack: user %s: %w", username, err)
	}
	c.mu.Lock()
	c.userIDs[username] = u.Id
	c.mu.Unlock()
	return u.Id, nil
}

// DirectChannelID returns the id of the direct channel between this user and otherUserID.
func (c *Client) DirectChannelID(ctx context.Context, otherUserID string) (string, error) {
	c.mu.Lock()
	id, ok := c.dms[otherUserID]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	ch, _, err := c.CreateDirectChannel(ctx, c.UserID(), otherUserID) // idempotent
	if err != nil {
		return "", fmt.Errorf("devstack: direct channel with %s: %w", otherUserID, err)
	}
	c.mu.Lock()
	c.dms[otherUserID] = ch.Id
	c.mu.Unlock()
	return ch.Id, nil
}

// DirectPostsFrom returns the posts that the user `username` (e.g. the bot "kimbot") wrote in
// the direct channel with this user, oldest first.
func (c *Client) DirectPostsFrom(ctx context.Context, username string) ([]*model.Post, error) {
	other, err := c.UserIDByName(ctx, username)
	if err != nil {
		return nil, err
	}
	chID, err := c.DirectChannelID(ctx, other)
	if err != nil {
		return nil, err
	}
	posts, err := c.ChannelPosts(ctx, chID)
	// A DM channel that the bot creates at the same moment as we do can be
	// refused for a moment (Mattermost's membership cache): try again briefly.
	for i := 0; i < 10 && isForbidden(err); i++ {
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(200 * time.Millisecond):
		}
		posts, err = c.ChannelPosts(ctx, chID)
	}
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(posts, func(p *model.Post) bool { return p.UserId != other }), nil
}

// ChannelPosts returns the channel's posts (no system messages), oldest first.
func (c *Client) ChannelPosts(ctx context.Context, channelID string) ([]*model.Post, error) {
	const perPage = 200
	var all []*model.Post
	for page := 0; ; page++ {
		list, _, err := c.GetPostsForChannel(ctx, channelID, page, perPage, "", false, false)
		if err != nil {
			return nil, fmt.Errorf("devstack: posts of channel %s: %w", channelID, err)
		}
		for _, id := range list.Order { // newest first
			if p := list.Posts[id]; p != nil && !p.IsSystemMessage() {
				all = append(all, p)
			}
		}
		if len(list.Order) < perPage {
			break
		}
	}
	slices.Reverse(all)
	return all, nil
}

// PressButton presses the button actionID of post postID as this user, as a click would; Mattermost
// then calls the integration. The post's updated form can be read with GetPost.
func (c *Client) PressButton(ctx context.Context, postID, actionID string) error {
	return c.pressWith(ctx, postID, actionID, "")
}

// PressEphemeral presses button key (an action id or a part of its name)
// of ephemeral post p, as the web app does: with the action's cookie,
// since Mattermost keeps no copy of an ephemeral post.
func (c *Client) PressEphemeral(ctx context.Context, p *model.Post, key string) error {
	a := FindAction(p, key)
	if a == nil {
		return fmt.Errorf("devstack: ephemeral post %s has no button %q:\n%s", p.Id, key, PostText(p))
	}
	if a.Cookie == "" {
		return fmt.Errorf("devstack: button %q of ephemeral post %s has no cookie", key, p.Id)
	}
	return c.pressWith(ctx, p.Id, a.Id, a.Cookie)
}

// pressWith presses actionID of postID, with cookie when it is not "".
func (c *Client) pressWith(ctx context.Context, postID, actionID, cookie string) error {
	var resp *model.Response
	var err error
	if cookie == "" {
		resp, err = c.DoPostAction(ctx, postID, actionID)
	} else {
		resp, err = c.DoPostActionWithCookie(ctx, postID, actionID, "", cookie)
	}
	if err != nil {
		return fmt.Errorf("devstack: press %s on post %s as %s: %w", actionID, postID, c.Username(), err)
	}
	if resp != nil && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("devstack: press %s on post %s: HTTP %d", actionID, postID, resp.StatusCode)
	}
	return nil
}

// StatusCode returns the HTTP status of a Mattermost API error (0 if err carries none).
func StatusCode(err error) int {
	var appErr *model.AppError
	if errors.As(err, &appErr) {
		return appErr.StatusCode
	}
	return 0
}

// RandomPassword returns a password that meets Mattermost's default rules.
func RandomPassword() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return "Kim-" + hex.EncodeToString(b) + "!"
}

// isForbidden reports whether err is Mattermost's 403.
func isForbidden(err error) bool {
	var app *model.AppError
	return errors.As(err, &app) && app.StatusCode == http.StatusForbidden
}
