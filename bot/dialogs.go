package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/secret"
)

// Signed contexts: Mattermost posts button presses and dialog submissions
// back unauthenticated (mattermost#16191). Integration.Context stays on the
// server; Dialog.State travels to the user's client and back. Both carry an
// HMAC over their fields (who, what, until when), checked on return, so
// neither can be forged or altered; neither holds anything secret.

// SignFields returns the fields joined with "|" plus an expiry (now + ttl)
// and a MAC.
func SignFields(keys *secret.Keys, now time.Time, ttl time.Duration, fields ...string) string {
	payload := strings.Join(append(fields, strconv.FormatInt(now.Add(ttl).Unix(), 10)), "|")
	return payload + "|" + keys.Sign(payload)
}

// VerifyFields checks a value made by SignFields and returns its fields;
// ok is false when it was altered, forged or has expired.
func VerifyFields(keys *secret.Keys, signed string, now time.Time) ([]string, bool) {
	i := strings.LastIndexByte(signed, '|')
	if i < 0 || !keys.Verify(signed[:i], signed[i+1:]) {
		return nil, false
	}
	parts := strings.Split(signed[:i], "|")
	exp, err := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	if err != nil || now.Unix() > exp {
		return nil, false
	}
	return parts[:len(parts)-1], true
}

// openDialog opens a dialog for the user with a state signed for them. A
// dialog opened by a digest button is bound to the button (post id, action
// id, delivery key; see dialogSubmit): its state carries them as well.
func (s *Server) openDialog(ctx context.Context, triggerID, userID, teamID string, d *commands.Dialog, button ...string) error {
	els := make([]model.DialogElement, len(d.Elements))
	for i, e := range d.Elements {
		el := model.DialogElement{DisplayName: e.Label, Name: e.Name, Type: e.Type, Optional: e.Optional,
			Default: e.Default, HelpText: e.Help, MaxLength: e.MaxLen}
		if e.Type == "textarea" || e.Type == "text" {
			if el.MaxLength == 0 {
				el.MaxLength = commands.MaxText
			}
		}
		for _, o := range e.Options {
			el.Options = append(el.Options, &model.PostActionOptions{Text: o.Text, Value: o.Value})
		}
		els[i] = el
	}
	req := model.OpenDialogRequest{
		TriggerId: triggerID,
		URL:       s.PublicURL + DialogPath,
		Dialog: model.Dialog{
			CallbackId: d.CallbackID, Title: d.Title, IntroductionText: d.Intro, SubmitLabel: d.SubmitLabel, Elements: els,
			State: SignFields(s.Store.Keys(), s.clock().Now(), time.Hour, append([]string{"dialog", d.CallbackID, userID, teamID}, button...)...),
		},
	}
	resp, err := s.Bot.api.OpenInteractiveDialog(ctx, req)
	if err != nil {
		return apiErr(fmt.Sprintf("open dialog %s", d.CallbackID), resp, err)
	}
	return nil
}
