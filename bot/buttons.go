package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
)

// ButtonHandler acts on a verified button press (the reminders implement
// it): the signature, the post and the presser have been checked; it checks
// its own permissions and answers.
type ButtonHandler interface {
	Press(ctx context.Context, p kim.Press) kim.PressResult
}

// pressFields are the signed fields every button context starts with (see
// Messenger.signButton): "btn", action id, recipient, team, verb.
const pressFields = 5

// buttonPress answers POST /mattermost/action. Mattermost posts button
// presses without any authentication (mattermost#16191), so a press counts
// only if its context carries a valid signature made for this user, the post
// is the bot's and holds that action with that very context. Refusals get a
// short ephemeral answer (shown by Mattermost) and change nothing.
func (s *Server) buttonPress(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var req model.PostActionIntegrationRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.UserId == "" || req.PostId == "" {
		s.refuse(w, r, "action", "malformed", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	lang := "de"
	if u, err := s.Store.User(ctx, req.UserId); err == nil {
		lang = u.Language()
	}
	answer := func(reason, key string) {
		refusedTotal.WithLabelValues("action", reason).Inc()
		s.Log.Warn("button press refused", "reason", reason)
		writeJSON(w, &model.PostActionIntegrationResponse{EphemeralText: messages.T(lang, key, nil), SkipSlackParsing: true})
	}
	signed, _ := req.Context["s"].(string)
	fields, ok := VerifyFields(s.Store.Keys(), signed, time.Now())
	if !ok || len(fields) < pressFields || fields[0] != "btn" {
		answer("signature", "remind.button_invalid")
		return
	}
	actionID, userID, teamID, verb := fields[1], fields[2], fields[3], fields[4]
	if userID != req.UserId {
		answer("user", "remind.button_not_yours")
		return
	}
	post, resp, err := s.Bot.api.GetPost(ctx, req.PostId, "")
	if err != nil {
		if resp != nil && resp.StatusCode >= 400 && resp.StatusCode < 500 {
			answer("post", "remind.button_invalid")
		} else {
			s.Log.Error("bot: unable to read pressed post", "err", apiErr("get post", resp, err))
			answer("unavailable", "remind.button_unavailable")
		}
		return
	}
	action := post.GetAction(actionID)
	if post.UserId != s.Bot.BotID || post.ChannelId != req.ChannelId || post.DeleteAt != 0 || action == nil ||
		action.Integration == nil || action.Integration.Context["s"] != signed {
		answer("post", "remind.button_invalid")
		return
	}
	if s.Buttons == nil {
		answer("unsupported", "remind.button_invalid")
		return
	}
	res := s.Buttons.Press(ctx, kim.Press{
		UserID: req.UserId, PostID: req.PostId, ChannelID: req.ChannelId, ActionID: actionID,
		Verb: verb, TeamID: teamID, Fields: fields[pressFields:], Signed: signed,
	})
	out := &model.PostActionIntegrationResponse{EphemeralText: res.Ephemeral, SkipSlackParsing: true}
	if res.Status != "" {
		out.Update = s.settledPost(post, actionID, res)
	}
	s.Log.Info("button press", "verb", verb, "settled", res.Status != "", "ms", time.Since(start).Milliseconds())
	writeJSON(w, out)
}

// settledPost returns the post with the pressed item settled: the status line
// is added to the item's attachment, and its buttons go except those whose
// verb the handler keeps. Every other attachment stays as it was.
func (s *Server) settledPost(post *model.Post, actionID string, res kim.PressResult) *model.Post {
	atts := post.Attachments()
	for _, a := range atts {
		if !slices.ContainsFunc(a.Actions, func(x *model.PostAction) bool { return x != nil && x.Id == actionID }) {
			continue
		}
		a.Text = strings.TrimSpace(a.Text + "\n" + res.Status)
		a.Color = "#3db887"
		a.Actions = slices.DeleteFunc(a.Actions, func(x *model.PostAction) bool {
			if x == nil || x.Integration == nil {
				return true
			}
			signed, _ := x.Integration.Context["s"].(string)
			f, ok := VerifyFields(s.Store.Keys(), signed, time.Now())
			return !ok || len(f) < pressFields || !slices.Contains(res.Keep, f[4])
		})
	}
	props := model.StringInterface{}
	for k, v := range post.GetProps() {
		props[k] = v
	}
	props[model.PostPropsAttachments] = atts
	up := &model.Post{Id: post.Id, ChannelId: post.ChannelId, UserId: post.UserId, RootId: post.RootId, Message: post.Message, Type: post.Type}
	up.SetProps(props)
	return up
}
