package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/secret"
)

// Dialog submissions. Mattermost posts them to DialogPath without any
// authentication and hands the dialog (state included) to the user's client,
// so a submission counts only if its state carries kimbot's signature over
// ("dialog", callback id, user, team) and that user and team are the
// submitter's. A state is good for one successful submission (within its
// hour); refused input may be corrected and sent again. The answer of a successful submission
// goes to the user ephemerally through the slash command's response_url.
//
// A dialog opened by a digest's "done" button has no response_url: its
// answer comes as a DM from the bot. Its state is bound to the button as
// well (post id, action id, delivery key), and saving it settles the item
// in the digest (settleFormItem). The web client submits with the team it
// shows, which for a DM may be another of the user's teams: the state's team
// counts then, once Mattermost confirms the user is still its member.

// dialogReplyTTL is how long the response_url of a slash command that opened
// a dialog is kept (Mattermost accepts it for 30 minutes).
const dialogReplyTTL = 30 * time.Minute

// stateStatus is the result of checking a dialog state.
type stateStatus int

const (
	stateForged stateStatus = iota
	stateExpired
	stateValid
)

// checkState verifies a state made by SignFields: its fields and MAC, and
// whether it is forged, expired or valid at now.
func checkState(keys *secret.Keys, signed string, now time.Time) (fields []string, mac string, st stateStatus) {
	i := strings.LastIndexByte(signed, '|')
	if i < 0 || !keys.Verify(signed[:i], signed[i+1:]) {
		return nil, "", stateForged
	}
	parts := strings.Split(signed[:i], "|")
	exp, err := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	if err != nil {
		return nil, "", stateForged
	}
	fields, mac = parts[:len(parts)-1], signed[i+1:]
	if now.Unix() > exp {
		return fields, mac, stateExpired
	}
	return fields, mac, stateValid
}

// submissionValues turns the submitted values into text as a person would
// have typed them.
func submissionValues(sub map[string]any) map[string]string {
	out := make(map[string]string, len(sub))
	for k, v := range sub {
		switch x := v.(type) {
		case nil:
			out[k] = ""
		case string:
			out[k] = x
		case bool:
			out[k] = strconv.FormatBool(x)
		case float64:
			out[k] = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			out[k] = fmt.Sprint(x)
		}
	}
	return out
}

// dialogSubmit answers POST /mattermost/dialog.
func (s *Server) dialogSubmit(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var req model.SubmitDialogRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.UserId == "" {
		s.refuse(w, r, "dialog", "malformed", http.StatusBadRequest)
		return
	}
	fields, mac, st := checkState(s.Store.Keys(), req.State, s.clock().Now())
	button := len(fields) == 7 // "dialog", callback, user, team, post, action, delivery key
	if st == stateForged || (len(fields) != 4 && !button) || fields[0] != "dialog" || fields[1] != req.CallbackId ||
		fields[2] != req.UserId || (fields[3] != req.TeamId && !button) {
		s.refuse(w, r, "dialog", "signature", http.StatusUnauthorized)
		return
	}
	teamID := fields[3]
	if req.Cancelled {
		writeJSON(w, &model.SubmitDialogResponse{})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	u, err := s.caller(ctx, req.UserId)
	lang := u.Language()
	general := func(outcome, key string) {
		commandsTotal.WithLabelValues("dialog", outcome).Inc()
		writeJSON(w, &model.SubmitDialogResponse{Error: messages.T(lang, key, nil)})
	}
	switch {
	case st == stateExpired:
		refusedTotal.WithLabelValues("dialog", "expired").Inc()
		general(kim.EINVALID, "dialog.expired")
		return
	case err != nil:
		s.Log.Error("bot: unable to resolve dialog submitter", "err", err)
		general(kim.EUNAVAILABLE, s.unreachable(err))
		return
	}
	if teamID != req.TeamId {
		// Mattermost checked the membership of the team the client sent.
		member, err := s.Bot.TeamMember(ctx, teamID, req.UserId)
		switch {
		case err != nil:
			s.Log.Error("bot: unable to check the submitter's team membership", "err", err)
			general(kim.EUNAVAILABLE, "remind.button_unavailable")
			return
		case !member:
			refusedTotal.WithLabelValues("dialog", "member").Inc()
			general(kim.EFORBIDDEN, "staff.button_not_member")
			return
		}
	}
	if !s.RateLimit.Allow(ctx, "cmd:"+u.ID) {
		general(kim.ERATELIMITED, "err.rate_limited")
		return
	}
	// One successful submission per state: a lock against concurrent
	// doubles, and a mark once it succeeded.
	doneKey := "dialog-done:" + mac
	lock, free, err := s.Redis.TryLock(ctx, "dialog:"+mac, 30*time.Second)
	if err != nil {
		s.Log.Warn("bot: dialog idempotency unavailable, allowing", "err", err)
	} else if !free {
		refusedTotal.WithLabelValues("dialog", "replay").Inc()
		general(kim.ECONFLICT, "dialog.used")
		return
	} else {
		defer lock.Unlock(context.WithoutCancel(ctx))
	}
	if done, err := s.Redis.GetShort(ctx, doneKey); err == nil && done != nil {
		refusedTotal.WithLabelValues("dialog", "replay").Inc()
		general(kim.ECONFLICT, "dialog.used")
		return
	}
	ans := s.Commands.SubmitDialog(ctx, commands.Request{TeamID: teamID, ChannelID: req.ChannelId, User: u},
		req.CallbackId, submissionValues(req.Submission))
	commandsTotal.WithLabelValues(ans.Verb, ans.Outcome).Inc()
	commandSeconds.Observe(time.Since(start).Seconds())
	s.Log.Info("dialog", "verb", ans.Verb, "outcome", ans.Outcome, "ms", time.Since(start).Milliseconds())
	if !ans.OK() {
		writeJSON(w, &model.SubmitDialogResponse{Error: ans.Error, Errors: ans.Errors})
		return
	}
	if err := s.Redis.PutShort(ctx, doneKey, []byte("1"), 2*time.Hour); err != nil {
		s.Log.Warn("bot: unable to mark dialog as used", "err", err)
	}
	if button {
		s.settleFormItem(ctx, lang, u.ID, req.CallbackId, fields[4], fields[5], fields[6])
	}
	s.deliverDialogAnswer(ctx, u.ID, req.CallbackId, ans.Text)
	writeJSON(w, &model.SubmitDialogResponse{})
}

// rememberDialog keeps the response_url of the slash command that opened a
// dialog, sealed, so that the answer to its submission can be shown
// ephemerally in the same channel.
func (s *Server) rememberDialog(ctx context.Context, userID, callbackID, responseURL string) {
	if responseURL == "" {
		return
	}
	sealed := s.Store.Keys().Seal(responseURL, "dialog.response_url")
	if err := s.Redis.PutShort(ctx, dialogReplyKey(userID, callbackID), sealed, dialogReplyTTL); err != nil {
		s.Log.Warn("bot: unable to keep dialog response url", "err", err)
	}
}

func dialogReplyKey(userID, callbackID string) string {
	return "dialog-reply:" + userID + ":" + callbackID
}

// deliverDialogAnswer shows text to the user: ephemerally through the
// remembered response_url, else as a DM from the bot.
func (s *Server) deliverDialogAnswer(ctx context.Context, userID, callbackID, text string) {
	sealed, err := s.Redis.GetShort(ctx, dialogReplyKey(userID, callbackID))
	if err != nil {
		s.Log.Warn("bot: unable to read dialog response url", "err", err)
	}
	if len(sealed) > 0 {
		url, err := s.Store.Keys().Open(sealed, "dialog.response_url")
		if err == nil {
			if err = postResponse(ctx, url, text); err == nil {
				return
			}
		}
		s.Log.Warn("bot: unable to answer through response url, sending a DM", "err", err)
	}
	ch, resp, err := s.Bot.api.CreateDirectChannel(ctx, s.Bot.BotID, userID)
	if err != nil {
		s.Log.Error("bot: unable to answer a dialog", "err", apiErr("direct channel", resp, err))
		return
	}
	if _, resp, err := s.Bot.api.CreatePost(ctx, &model.Post{ChannelId: ch.Id, Message: text}); err != nil {
		s.Log.Error("bot: unable to answer a dialog", "err", apiErr("post", resp, err))
	}
}

// postResponse posts an ephemeral command response to a response_url.
func postResponse(ctx context.Context, url, text string) error {
	body, err := json.Marshal(&model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: text, SkipSlackParsing: true})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("response url: HTTP %d", resp.StatusCode)
	}
	return nil
}
