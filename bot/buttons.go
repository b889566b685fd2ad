package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/commands"
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
// signButton): "btn", action id, recipient, team, verb, delivery key.
const pressFields = 6

// buttonPress answers POST /mattermost/action. Mattermost posts button
// presses without any authentication (mattermost#16191), so a press counts
// only if its context carries a valid signature made for this user and this
// post (its delivery key), and the post is the bot's, in the request's
// channel, and still holds that action. Refusals get a short ephemeral
// answer (shown by Mattermost) and change nothing.
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
	fields, ok := VerifyFields(s.Store.Keys(), signed, s.clock().Now())
	if ok && len(fields) > 0 && fields[0] == "run" { // a line an answer offered (bot/runbutton.go)
		s.runPress(ctx, w, req, fields, lang, answer)
		return
	}
	if !ok || len(fields) < pressFields || fields[0] != "btn" {
		answer("signature", "remind.button_invalid")
		return
	}
	actionID, userID, teamID, verb, key := fields[1], fields[2], fields[3], fields[4], fields[5]
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
	// Mattermost hands out posts without their integrations, so the context
	// is bound to the post through its delivery key instead.
	postKey, _ := post.GetProp(DeliveryProp).(string)
	if post.UserId != s.Bot.BotID || post.ChannelId != req.ChannelId || post.DeleteAt != 0 || post.GetAction(actionID) == nil ||
		key == "" || postKey != key {
		answer("post", "remind.button_invalid")
		return
	}
	if s.Buttons == nil {
		answer("unsupported", "remind.button_invalid")
		return
	}
	if !s.pressByMember(ctx, teamID, userID, answer) {
		return
	}
	res := s.Buttons.Press(ctx, kim.Press{
		UserID: req.UserId, PostID: req.PostId, ChannelID: req.ChannelId, ActionID: actionID,
		Verb: verb, TeamID: teamID, Fields: fields[pressFields:], Signed: signed,
	})
	if res.Form != nil {
		text := s.openItemForm(ctx, lang, req, actionID, teamID, key, *res.Form)
		s.Log.Info("button press", "verb", verb, "form", res.Form.Verb, "ms", time.Since(start).Milliseconds())
		writeJSON(w, &model.PostActionIntegrationResponse{EphemeralText: text, SkipSlackParsing: true})
		return
	}
	out := &model.PostActionIntegrationResponse{EphemeralText: res.Ephemeral, SkipSlackParsing: true}
	if res.Status != "" {
		up, err := s.settledPost(post, actionID, userID, key, res, false)
		if err != nil {
			s.Log.Error("bot: unable to update the pressed post", "err", err)
		} else {
			out.Update = up
		}
	}
	s.Log.Info("button press", "verb", verb, "settled", res.Status != "", "ms", time.Since(start).Milliseconds())
	writeJSON(w, out)
}

// openItemForm opens the form a digest item's "done" stands for (an
// assessment, a contact) with the press's trigger id, as `/kim <verb> <case>`
// would, and returns the presser's answer. The commands check the caller's
// role, the case and that the item's date is still the button's; the dialog
// is bound to the button, so that saving it settles the item in the post
// (dialogSubmit). Nothing changes until then.
func (s *Server) openItemForm(ctx context.Context, lang string, req model.PostActionIntegrationRequest, actionID, teamID, key string, f kim.ItemForm) string {
	failed := messages.T(lang, "remind.form_failed."+f.Verb, map[string]any{"Ref": f.CaseRef})
	if req.TriggerId == "" {
		return failed
	}
	reply := s.run(ctx, nil, req.UserId, commands.Request{TeamID: teamID, ChannelID: req.ChannelId, TriggerID: req.TriggerId,
		Text: f.Verb + " " + f.CaseRef, Item: &f})
	commandsTotal.WithLabelValues("button "+reply.Verb, reply.Outcome).Inc()
	if reply.Dialog == nil {
		return reply.Text
	}
	if err := s.openDialog(ctx, req.TriggerId, req.UserId, teamID, reply.Dialog, req.PostId, actionID, key); err != nil {
		s.Log.Error("bot: unable to open the form of a digest item", "err", err)
		return failed
	}
	return messages.T(lang, "remind.form_opened", nil)
}

// settleFormItem settles the digest item whose button opened a form once the
// form was saved: the item's buttons go (but "open"), a status line says what
// was recorded. An item snoozed while its form was open is settled as saved
// all the same, its snooze line replaced: the saved record decides its date
// now. A post that has changed otherwise since (the post gone) stays as it is.
func (s *Server) settleFormItem(ctx context.Context, lang, userID, callbackID, postID, actionID, key string) {
	post, resp, err := s.Bot.api.GetPost(ctx, postID, "")
	if err != nil {
		s.Log.Warn("bot: unable to read the digest of a saved form", "err", apiErr("get post", resp, err))
		return
	}
	postKey, _ := post.GetProp(DeliveryProp).(string)
	if post.UserId != s.Bot.BotID || post.DeleteAt != 0 || postKey != key {
		return
	}
	replace := false
	if post.GetAction(actionID) == nil {
		// Snoozed meanwhile: the item kept only its "open" button (the
		// digest numbers an item's buttons alike: done3, snooze3, open3).
		open := kim.VerbOpen + strings.TrimPrefix(actionID, kim.VerbDone)
		if open == kim.VerbOpen+actionID || !snoozedItem(post, open) {
			return
		}
		actionID, replace = open, true
	}
	form, _, _ := strings.Cut(callbackID, " ")
	up, err := s.settledPost(post, actionID, userID, key, kim.PressResult{
		Status: messages.T(lang, "remind.status.saved."+form, nil), Keep: []string{kim.VerbOpen}}, replace)
	if err == nil {
		if _, resp, err = s.Bot.api.UpdatePost(ctx, post.Id, up); err != nil {
			err = apiErr("update post", resp, err)
		}
	}
	if err != nil {
		s.Log.Warn("bot: unable to settle the digest item of a saved form", "err", err)
	}
}

// snoozedItem reports whether the item of post whose attachment holds the
// button actionID was settled by a snooze: its last line is the snooze status
// (remind.status.snoozed, in any language).
func snoozedItem(post *model.Post, actionID string) bool {
	for _, a := range post.Attachments() {
		if !slices.ContainsFunc(a.Actions, func(x *model.PostAction) bool { return x != nil && x.Id == actionID }) {
			continue
		}
		last := a.Text[strings.LastIndexByte(a.Text, '\n')+1:]
		return slices.ContainsFunc(snoozedPrefixes, func(p string) bool { return p != "" && strings.HasPrefix(last, p) })
	}
	return false
}

// snoozedPrefixes are the snooze status lines up to their date, per language.
var snoozedPrefixes = func() []string {
	var out []string
	mark := kim.Date{Y: 1999, M: 12, D: 31}
	for _, lang := range messages.Languages {
		text := messages.T(lang, "remind.status.snoozed", map[string]any{"Date": mark})
		if i := strings.Index(text, mark.Format(lang)); i > 0 {
			out = append(out, text[:i])
		}
	}
	return out
}()

// postButtons reads ButtonsProp of a post: action id → verb, team, fields.
func postButtons(p *model.Post) map[string][]string {
	out := map[string][]string{}
	raw, _ := p.GetProp(ButtonsProp).(map[string]any)
	for id, v := range raw {
		list, _ := v.([]any)
		spec := make([]string, 0, len(list))
		for _, x := range list {
			str, _ := x.(string)
			spec = append(spec, str)
		}
		out[id] = spec
	}
	return out
}

// settledPost returns the post with the pressed item settled: the status line
// is added to the item's attachment (replacing its last line, an earlier
// status, if replace) and its buttons go, except those whose verb the handler
// keeps; every remaining button is signed again (Mattermost gave the post out
// without its integrations, and an update replaces them).
func (s *Server) settledPost(post *model.Post, actionID, userID, key string, res kim.PressResult, replace bool) (*model.Post, error) {
	specs := postButtons(post)
	atts := post.Attachments()
	now := s.clock().Now()
	for _, a := range atts {
		if !slices.ContainsFunc(a.Actions, func(x *model.PostAction) bool { return x != nil && x.Id == actionID }) {
			continue
		}
		if replace {
			a.Text = a.Text[:max(strings.LastIndexByte(a.Text, '\n'), 0)]
		}
		a.Text = strings.TrimSpace(a.Text + "\n" + res.Status)
		a.Color = "#3db887"
		a.Actions = slices.DeleteFunc(a.Actions, func(x *model.PostAction) bool {
			if x == nil {
				return true
			}
			if spec := specs[x.Id]; len(spec) == 0 || !slices.Contains(res.Keep, spec[0]) {
				delete(specs, x.Id)
				return true
			}
			return false
		})
	}
	for _, a := range atts {
		for _, x := range a.Actions {
			if x == nil {
				continue
			}
			in, err := signButton(s.Store.Keys(), now, s.PublicURL+ActionPath, x.Id, userID, key, specs[x.Id])
			if err != nil {
				return nil, err
			}
			x.Integration = in
		}
	}
	props := model.StringInterface{}
	for k, v := range post.GetProps() {
		props[k] = v
	}
	props[model.PostPropsAttachments] = atts
	props[ButtonsProp] = specs
	up := &model.Post{Id: post.Id, ChannelId: post.ChannelId, UserId: post.UserId, RootId: post.RootId, Message: post.Message, Type: post.Type}
	up.SetProps(props)
	return up, nil
}

// pressByMember reports whether userID is still a member of teamID, and
// answers the press otherwise. A press does not imply membership (the DM
// and its buttons stay after the user was removed from the team): removal
// ends access at once.
func (s *Server) pressByMember(ctx context.Context, teamID, userID string, answer func(reason, key string)) bool {
	member, err := s.Bot.TeamMember(ctx, teamID, userID)
	if err != nil {
		s.Log.Error("bot: unable to check the presser's team membership", "err", err)
		answer("unavailable", "remind.button_unavailable")
		return false
	}
	if !member {
		answer("member", "staff.button_not_member")
		return false
	}
	return true
}
