package reminders

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

// pressKeyTTL is how long a settled press is remembered in Redis; the
// conditional update on the item's date refuses repeats after that too.
const pressKeyTTL = 90 * 24 * time.Hour

// parseItem reads the signed fields of a digest button.
func parseItem(teamID string, f []string) (kim.ItemRef, kim.Date, bool) {
	if len(f) != 4 {
		return kim.ItemRef{}, kim.Date{}, false
	}
	kind := kim.ItemKind(f[0])
	n, err := strconv.Atoi(f[2])
	t, err2 := time.Parse("2006-01-02", f[3])
	if !kim.ValidItemKind(kind) || err != nil || err2 != nil || (kind != kim.ItemAction) == (f[1] == "") {
		return kim.ItemRef{}, kim.Date{}, false
	}
	return kim.ItemRef{Kind: kind, TeamID: teamID, CaseRef: f[1], N: n}, kim.DateOf(t), true
}

// Press answers a verified press of a digest button (the bot has checked the
// signature, the post and that the presser is the digest's recipient). It
// checks kimbot's own permissions (owner, or deputy today) and changes the
// item only if its date is still the one the button was made for, so a
// repeated or stale press changes nothing.
func (s *Service) Press(ctx context.Context, p kim.Press) kim.PressResult {
	lang := "de"
	u, err := s.Store.User(ctx, p.UserID)
	if err == nil {
		lang = u.Language()
	}
	now := s.Clock()
	today := kim.DateOf(now.In(u.Location()))
	fail := func(err error) kim.PressResult {
		var e *kim.Error
		if errors.As(err, &e) && e.Code != kim.EINTERNAL {
			return kim.PressResult{Ephemeral: messages.T(lang, e.Key, e.Args)}
		}
		s.Log.Error("reminders: button press failed", "verb", p.Verb, "err", err)
		return kim.PressResult{Ephemeral: messages.T(lang, "err.internal", nil)}
	}
	if err != nil {
		return fail(err)
	}
	item, due, ok := parseItem(p.TeamID, p.Fields)
	if !ok {
		return kim.PressResult{Ephemeral: messages.T(lang, "remind.button_invalid", nil)}
	}
	actor := kim.Actor{TeamID: p.TeamID, UserID: p.UserID, Today: today}

	if p.Verb == VerbOpen {
		if item.Kind == kim.ItemAction {
			return kim.PressResult{Ephemeral: messages.T(lang, "remind.button_invalid", nil)}
		}
		card, err := s.Store.Card(ctx, actor, item.CaseRef)
		if err != nil {
			return fail(err)
		}
		return kim.PressResult{Ephemeral: commands.CardText(lang, today, card)}
	}
	if p.Verb != VerbDone && p.Verb != VerbSnooze {
		return kim.PressResult{Ephemeral: messages.T(lang, "remind.button_invalid", nil)}
	}

	// A Redis idempotency key stops concurrent and repeated presses early;
	// the conditional update below decides in any case (also without Redis).
	sum := sha256.Sum256([]byte(p.UserID + "|" + p.PostID + "|" + p.ActionID + "|" + p.Signed))
	onceKey := "press:" + hex.EncodeToString(sum[:16])
	remembered := false
	if s.Redis != nil && s.Deliverer.redisUp() {
		first, err := s.Redis.Once(ctx, onceKey, pressKeyTTL)
		switch {
		case err != nil:
			s.Deliverer.redisFailed(err)
		case !first:
			return kim.PressResult{Ephemeral: messages.T(lang, "remind.button_repeated", nil)}
		default:
			remembered = true
		}
	}
	ch := store.ItemChange{Item: item, Expected: due, Done: p.Verb == VerbDone, Until: SnoozeUntil(due, today)}
	out, err := s.Store.ChangeItem(ctx, actor, ch)
	if err != nil {
		if remembered {
			// Nothing changed: a later press may still do it.
			if ferr := s.Redis.Forget(context.WithoutCancel(ctx), onceKey); ferr != nil {
				s.Deliverer.redisFailed(ferr)
			}
		}
		return fail(err)
	}
	data := map[string]any{"Ref": item.CaseRef, "N": item.N}
	if out.Next != nil {
		data["Date"] = out.Next.Format(lang)
	}
	res := kim.PressResult{Keep: []string{VerbOpen}}
	if p.Verb == VerbSnooze {
		res.Ephemeral = messages.T(lang, "remind.snoozed", data)
		res.Status = messages.T(lang, "remind.status.snoozed", data)
		return res
	}
	key := "remind.done." + string(item.Kind)
	if item.Kind == kim.ItemReassessment {
		key = "remind.done.assessment"
	}
	res.Ephemeral = messages.T(lang, key, data)
	res.Status = messages.T(lang, "remind.status.done", data)
	return res
}
