package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/secret"
)

// DeliveryProp is the post prop that carries a reminder's delivery key, so
// that a post can be found again after a crash.
const DeliveryProp = "kimbot_delivery"

// ButtonTTL is how long a button's signature stays valid.
const ButtonTTL = 60 * 24 * time.Hour

// Messenger posts kimbot's messages as the bot: DMs to users and posts in
// channels, with buttons whose contexts are signed for their recipient. It
// implements reminders.Sender.
type Messenger struct {
	Client    *Client
	Keys      *secret.Keys
	PublicURL string    // where Mattermost reaches kimbot's action endpoint
	Clock     kim.Clock // the time buttons are signed at (nil: kim.SystemClock)

	dms sync.Map // user id → direct channel id
}

// channelFor returns the channel of a target: the user's direct channel with
// the bot, or the channel itself.
func (m *Messenger) channelFor(ctx context.Context, to kim.Target) (string, error) {
	if to.ChannelID != "" {
		return to.ChannelID, nil
	}
	if id, ok := m.dms.Load(to.UserID); ok {
		return id.(string), nil
	}
	ch, resp, err := m.Client.api.CreateDirectChannel(ctx, m.Client.BotID, to.UserID)
	if err != nil {
		return "", apiErr("direct channel", resp, err)
	}
	m.dms.Store(to.UserID, ch.Id)
	return ch.Id, nil
}

// ButtonsProp is the post prop that lists each button's verb, team and fields
// by action id. Mattermost strips the integrations (and so the signed
// contexts) from every post it hands out, also to the bot; with this list
// the bot signs the remaining buttons again when it updates the post. It is
// not secret: the same facts are in the post's text.
const ButtonsProp = "kimbot_buttons"

// buttonSpec is what a button's context is signed over besides its action
// id, recipient and delivery key: verb, team, fields.
func buttonSpec(b kim.Button) []string { return append([]string{b.Verb, b.TeamID}, b.Fields...) }

// signButton returns the integration of a button: kimbot's action URL and a
// context signed at now over "btn", the action id, the recipient, the team,
// the verb, the delivery key and the button's fields.
func signButton(keys *secret.Keys, now time.Time, url, actionID, userID, key string, spec []string) (*model.PostActionIntegration, error) {
	if len(spec) < 2 {
		return nil, fmt.Errorf("bot: button %s has no verb and team", actionID)
	}
	fields := append([]string{"btn", actionID, userID, spec[1], spec[0], key}, spec[2:]...)
	for _, f := range fields {
		if strings.Contains(f, "|") {
			return nil, fmt.Errorf("bot: button field %q contains |", f)
		}
	}
	return &model.PostActionIntegration{URL: url, Context: map[string]any{"s": SignFields(keys, now, ButtonTTL, fields...)}}, nil
}

// attachments converts the message's blocks into Mattermost attachments with
// signed buttons, and returns the button list for ButtonsProp.
func (m *Messenger) attachments(msg kim.Message, userID, key string) ([]*model.SlackAttachment, map[string][]string, error) {
	var out []*model.SlackAttachment
	specs := map[string][]string{}
	now := kim.ClockOr(m.Clock).Now()
	for _, b := range msg.Blocks {
		a := &model.SlackAttachment{Title: b.Title, Text: b.Text, Color: b.Color, Fallback: b.Text}
		for _, btn := range b.Buttons {
			if _, dup := specs[btn.ID]; dup || btn.ID == "" {
				return nil, nil, fmt.Errorf("bot: button id %q empty or used twice", btn.ID)
			}
			specs[btn.ID] = buttonSpec(btn)
			in, err := signButton(m.Keys, now, m.PublicURL+ActionPath, btn.ID, userID, key, specs[btn.ID])
			if err != nil {
				return nil, nil, err
			}
			a.Actions = append(a.Actions, &model.PostAction{Id: btn.ID, Name: btn.Label, Type: model.PostActionTypeButton, Style: btn.Style, Integration: in})
		}
		out = append(out, a)
	}
	return out, specs, nil
}

// Post posts msg to the target with the delivery key in its props and
// returns the post id.
func (m *Messenger) Post(ctx context.Context, to kim.Target, key string, msg kim.Message) (string, error) {
	chID, err := m.channelFor(ctx, to)
	if err != nil {
		return "", err
	}
	p, err := m.NewPost(chID, to, key, msg)
	if err != nil {
		return "", err
	}
	created, resp, err := m.Client.api.CreatePost(ctx, p)
	// A direct channel just created by another replica (or by us a moment
	// ago) can be refused with 403 until Mattermost's channel-member cache
	// has caught up; a DM is posted again after a short wait.
	for wait := dmRetryFirst; err != nil && to.ChannelID == "" && resp != nil && resp.StatusCode == http.StatusForbidden && wait <= dmRetryLast; wait *= 2 {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(wait):
		}
		created, resp, err = m.Client.api.CreatePost(ctx, p)
	}
	if err != nil {
		return "", postErr(resp, err)
	}
	return created.Id, nil
}

// NewPost returns the post that Post sends to the target in channel chID:
// the message's text, its blocks as attachments with buttons signed for the
// target's user, the button list and the delivery key in its props.
func (m *Messenger) NewPost(chID string, to kim.Target, key string, msg kim.Message) (*model.Post, error) {
	atts, specs, err := m.attachments(msg, to.UserID, key)
	if err != nil {
		return nil, err
	}
	p := &model.Post{ChannelId: chID, Message: msg.Text}
	if len(atts) > 0 {
		p.AddProp(model.PostPropsAttachments, atts)
	}
	if len(specs) > 0 {
		p.AddProp(ButtonsProp, specs)
	}
	if key != "" {
		p.AddProp(DeliveryProp, key)
	}
	return p, nil
}

// The waits before a DM refused with 403 is posted again: 100 ms doubling
// up to 1.6 s, 3.1 s in all.
const (
	dmRetryFirst = 100 * time.Millisecond
	dmRetryLast  = 1600 * time.Millisecond
)

// postErr is the error of a failed CreatePost: a *kim.PostRefused with
// Mattermost's reason when it refused the post (4xx other than 429), which a
// retry will not change, else the REST error.
func postErr(resp *model.Response, err error) error {
	if resp == nil || resp.StatusCode < 400 || resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return apiErr("create post", resp, err)
	}
	reason := err.Error()
	var ae *model.AppError
	if errors.As(err, &ae) {
		reason = ae.Message
		if ae.Id != "" && ae.Id != ae.Message {
			reason += " (" + ae.Id + ")"
		}
	}
	return &kim.PostRefused{Status: resp.StatusCode, Reason: reason, Err: err}
}

// FindPost returns the id of the bot's post to the target that carries the
// delivery key and was created at or after since; "" if there is none.
func (m *Messenger) FindPost(ctx context.Context, to kim.Target, key string, since time.Time) (string, error) {
	chID, err := m.channelFor(ctx, to)
	if err != nil {
		return "", err
	}
	list, resp, err := m.Client.api.GetPostsSince(ctx, chID, since.UnixMilli(), false)
	if err != nil {
		return "", apiErr("posts since", resp, err)
	}
	for _, id := range list.Order {
		p := list.Posts[id]
		if p != nil && p.DeleteAt == 0 && p.UserId == m.Client.BotID && p.GetProp(DeliveryProp) == key {
			return p.Id, nil
		}
	}
	return "", nil
}
