package bot

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/messages"
)

// A command's answer may offer lines to run at a press of a button
// (commands.Reply.Offers): the line a refusal suggests ("Meinten Sie …?"),
// the confirmation a question asks for ("Wirklich löschen? Dann: …
// bestätigen"), or each answer to a question (the open steps of a
// Rechtskreiswechsel: close them or keep them). A button runs exactly its
// line as its caller, as if they had typed it: every check of the command
// applies again, nothing is run that the answer did not show whole. The
// buttons of one answer share their nonce, so one of them runs, once.
//
// The answer is ephemeral, so Mattermost keeps the button's integration in
// an encrypted cookie on the client rather than in a stored post; the press
// therefore cannot be checked against the post, and the signed context
// carries everything instead: "run", the caller, the team, a nonce and the
// line, valid for RunTTL, and run at most once (the nonce, in Redis).

// RunTTL is how long a run button stays valid.
const RunTTL = 15 * time.Minute

// runFields are the signed fields of a run button: "run", user, team,
// nonce, line (base64, so that it may hold any character).
const runFields = 5

// runAttachments returns the attachment with a button for each line reply
// offers, for userID in teamID; nil when it offers none.
func (s *Server) runAttachments(userID, teamID string, reply commands.Reply) []*model.SlackAttachment {
	if len(reply.Offers) == 0 {
		return nil
	}
	now, nonce := s.clock().Now(), model.NewId()
	a := &model.SlackAttachment{}
	for i, o := range reply.Offers {
		signed := SignFields(s.Store.Keys(), now, RunTTL, "run", userID, teamID, nonce, base64.RawURLEncoding.EncodeToString([]byte(o.Line)))
		style := "primary"
		if i > 0 {
			style = "default"
		}
		a.Actions = append(a.Actions, &model.PostAction{Id: fmt.Sprintf("run%d", i), Name: o.Label, Type: model.PostActionTypeButton, Style: style,
			Integration: &model.PostActionIntegration{URL: s.PublicURL + ActionPath, Context: map[string]any{"s": signed}}})
		a.Fallback = strings.TrimSpace(a.Fallback + " " + o.Label)
	}
	return []*model.SlackAttachment{a}
}

// runPress answers the press of a run button whose verified fields are
// fields: the presser must be the caller, still a member of the team, and
// the button unused; then the line runs as a command of theirs and its
// answer is the press's ephemeral answer.
func (s *Server) runPress(ctx context.Context, w http.ResponseWriter, req model.PostActionIntegrationRequest, fields []string, lang string,
	answer func(reason, key string)) {
	start := time.Now()
	if len(fields) != runFields {
		answer("signature", "remind.button_invalid")
		return
	}
	userID, teamID, nonce := fields[1], fields[2], fields[3]
	line, err := base64.RawURLEncoding.DecodeString(fields[4])
	switch {
	case err != nil:
		answer("signature", "remind.button_invalid")
		return
	case userID != req.UserId:
		answer("user", "run.not_yours")
		return
	case req.TeamId != "" && req.TeamId != teamID:
		answer("team", "remind.button_invalid")
		return
	}
	if !s.pressByMember(ctx, teamID, userID, answer) {
		return
	}
	first, err := s.Redis.Once(ctx, "run:"+nonce, RunTTL+time.Minute)
	if err != nil {
		s.Log.Error("bot: unable to mark a run button as used", "err", err)
		answer("unavailable", "remind.button_unavailable")
		return
	}
	if !first {
		answer("replay", "run.already")
		return
	}
	reply := s.run(ctx, nil, userID, commands.Request{TeamID: teamID, ChannelID: req.ChannelId, TriggerID: req.TriggerId, Text: string(line)})
	text := reply.Text
	if reply.Dialog != nil {
		if err := s.openDialog(ctx, req.TriggerId, userID, teamID, reply.Dialog); err != nil {
			s.Log.Error("bot: unable to open dialog", "err", err)
			text = messages.T(lang, "err.dialog_failed", nil)
		}
	}
	commandsTotal.WithLabelValues(reply.Verb, reply.Outcome).Inc()
	s.Log.Info("run button", "verb", reply.Verb, "outcome", reply.Outcome, "ms", time.Since(start).Milliseconds())
	writeJSON(w, &model.PostActionIntegrationResponse{EphemeralText: text, SkipSlackParsing: true})
}
