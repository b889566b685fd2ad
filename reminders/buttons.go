package reminders

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// ItemSource is what the digest's buttons read and change (*store.Store
// implements it).
type ItemSource interface {
	// User returns the presser's settings (language, time zone).
	User(ctx context.Context, id string) (kim.User, error)
	// Card returns the case card of ref for the actor.
	Card(ctx context.Context, a kim.Actor, ref string) (kim.Card, error)
	// ChangeItem marks an item done or snoozes it (see store.ChangeItem).
	ChangeItem(ctx context.Context, a kim.Actor, ch store.ItemChange) (store.ItemOutcome, error)
}

// pressKeyTTL is how long a settled press is remembered in Redis; the
// conditional update on the item's date refuses repeats after that too.
const pressKeyTTL = 90 * 24 * time.Hour

// parseItem reads the signed fields of a digest button: the item, its due
// date and its kind.
func parseItem(teamID string, f []string) (kim.ItemRef, kim.Date, kim.ItemSpec, bool) {
	if len(f) != 4 {
		return kim.ItemRef{}, kim.Date{}, kim.ItemSpec{}, false
	}
	spec, _, ok := kim.ItemSpecOf(kim.ItemKind(f[0]))
	n, err := strconv.Atoi(f[2])
	t, err2 := time.Parse("2006-01-02", f[3])
	if !ok || err != nil || err2 != nil || spec.Case == (f[1] == "") {
		return kim.ItemRef{}, kim.Date{}, kim.ItemSpec{}, false
	}
	return kim.ItemRef{Kind: spec.Kind, TeamID: teamID, CaseRef: f[1], N: n}, kim.DateOf(t), spec, true
}

// Press answers a verified press of a digest button (the bot has checked the
// signature, the post and that the presser is the digest's recipient). It
// checks kimbot's own permissions (owner, or deputy today) and changes the
// item only if its date is still the one the button was made for, so a
// repeated or stale press changes nothing. "Done" on a kind with a form
// (kim.ItemSpec.Form) changes nothing and names the form to open instead.
func (s *Service) Press(ctx context.Context, p kim.Press) kim.PressResult {
	lang := "de"
	u, err := s.Items.User(ctx, p.UserID)
	if err == nil {
		lang = u.Language()
	}
	now := kim.ClockOr(s.Clock).Now()
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
	item, due, spec, ok := parseItem(p.TeamID, p.Fields)
	if !ok || !spec.Has(p.Verb) {
		return kim.PressResult{Ephemeral: messages.T(lang, "remind.button_invalid", nil)}
	}
	actor := kim.Actor{TeamID: p.TeamID, UserID: p.UserID, Today: today}

	if p.Verb == kim.VerbOpen {
		card, err := s.Items.Card(ctx, actor, item.CaseRef)
		if err != nil {
			return fail(err)
		}
		return kim.PressResult{Ephemeral: render.View{Lang: lang, Today: today}.Card(card)}
	}

	// "Done" on an item that asks for a record (an assessment, a contact)
	// opens its form: the bot does, with the press's trigger id, after the
	// commands have checked the case and that the item's date is still the
	// button's. Nothing changes here, and a later press may open it again.
	if p.Verb == kim.VerbDone && spec.Form != "" {
		return kim.PressResult{Form: &kim.ItemForm{Verb: spec.Form, Kind: item.Kind, CaseRef: item.CaseRef, Due: due}}
	}

	// A Redis idempotency key stops concurrent and repeated presses early;
	// the conditional update below decides in any case (also without Redis).
	sum := sha256.Sum256([]byte(p.UserID + "|" + p.PostID + "|" + p.ActionID + "|" + p.Signed))
	onceKey := "press:" + hex.EncodeToString(sum[:16])
	remembered := false
	if s.Locks != nil && s.Deliverer.redisUp() {
		first, err := s.Locks.Once(ctx, onceKey, pressKeyTTL)
		switch {
		case err != nil:
			s.Deliverer.redisFailed(err)
		case !first:
			return kim.PressResult{Ephemeral: messages.T(lang, "remind.button_repeated", nil)}
		default:
			remembered = true
		}
	}
	ch := store.ItemChange{Item: item, Expected: due, Done: p.Verb == kim.VerbDone, Until: SnoozeUntil(due, today)}
	out, err := s.Items.ChangeItem(ctx, actor, ch)
	if err != nil {
		if remembered {
			// Nothing changed: a later press may still do it.
			if ferr := s.Locks.Forget(context.WithoutCancel(ctx), onceKey); ferr != nil {
				s.Deliverer.redisFailed(ferr)
			}
		}
		return fail(err)
	}
	data := map[string]any{"Ref": item.CaseRef, "N": item.N}
	if out.Next != nil {
		data["Date"] = out.Next.Format(lang)
	}
	res := kim.PressResult{Keep: []string{kim.VerbOpen}}
	if p.Verb == kim.VerbSnooze {
		res.Ephemeral = messages.T(lang, "remind.snoozed", data)
		res.Status = messages.T(lang, "remind.status.snoozed", data)
		return res
	}
	res.Ephemeral = messages.T(lang, spec.Done, data)
	res.Status = messages.T(lang, "remind.status.done", data)
	return res
}
