package commands

import (
	"errors"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// maxAbsenceDays is the longest absence one command records.
const maxAbsenceDays = 366

// away records an absence with a deputy, or ends the current one ("off").
func (r *Runner) away(a *Args) (Reply, error) {
	if w := a.Word("from"); w == "off" || w == "back" {
		back := w == "back" // the current absence ends, planned ones stay
		n, err := r.svc.Store.EndAbsences(r.ctx, r.Actor(), !back)
		switch {
		case err != nil:
			return Reply{}, err
		case n == 0 && back:
			return Reply{Text: r.T("away.not_away", nil)}, nil
		case n == 0:
			return Reply{Text: r.T("away.none", nil)}, nil
		case back:
			return Reply{Text: r.T("away.back", nil)}, nil
		}
		return Reply{Text: r.T("away.ended", nil)}, nil
	}
	from, to := *a.Date("from"), *a.Date("to")
	switch {
	case from.Before(r.Today):
		return Reply{}, usageErr("away.from_past", a.Verb, nil)
	case to.Before(from):
		return Reply{}, usageErr("away.to_before_from", a.Verb, nil)
	case from.DaysUntil(to) >= maxAbsenceDays:
		return Reply{}, usageErr("away.too_long", a.Verb, map[string]any{"Max": maxAbsenceDays})
	case from.After(r.Today.AddDays(maxAbsenceDays)):
		return Reply{}, usageErr("away.too_far", a.Verb, nil)
	}
	u, err := r.svc.Dir.UserByName(r.ctx, r.req.TeamID, a.Str("deputy"))
	if err != nil {
		return Reply{}, err
	}
	ab, err := r.svc.Store.SetAbsence(r.ctx, r.Actor(), from, to, u.ID)
	if e := (*kim.Error)(nil); errors.As(err, &e) && e.Key == "away.deputy_not_coach" {
		return Reply{}, kim.Errorf(e.Code, e.Key, map[string]any{"Field": "deputy", "User": u.Username})
	}
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("away.saved", map[string]any{"From": ab.From, "To": ab.To, "Deputy": ab.DeputyName})}, nil
}

// awayEdit changes the caller's current or next absence: its end, its
// start while it has not begun, or its deputy.
func (r *Runner) awayEdit(a *Args) (Reply, error) {
	ch := store.AbsenceChange{From: a.Date("from"), To: a.Date("to")}
	if ch.From == nil && ch.To == nil && !a.Has("deputy") {
		return Reply{}, usageErr("away.edit_nothing", a.Verb, nil)
	}
	if a.Has("deputy") {
		u, err := r.svc.Dir.UserByName(r.ctx, r.req.TeamID, a.Str("deputy"))
		if err != nil {
			return Reply{}, err
		}
		ch.DeputyID = u.ID
	}
	ab, err := r.svc.Store.EditAbsence(r.ctx, r.Actor(), ch, maxAbsenceDays)
	if e := (*kim.Error)(nil); errors.As(err, &e) && e.Args != nil {
		e.Args["Usage"] = a.Verb.usage() // the refusals of away's dates end with the form
	}
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("away.edited", map[string]any{"From": ab.From, "To": ab.To, "Deputy": ab.DeputyName})}, nil
}

// awayList shows the caller's current and planned absences.
func (r *Runner) awayList(*Args) (Reply, error) {
	list, err := r.svc.Store.CoachAbsences(r.ctx, r.Actor())
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: r.T("away.list_none", nil)}, nil
	}
	rows := make([][]string, len(list))
	for i, ab := range list {
		rows[i] = []string{ab.From.Format(r.Lang), ab.To.Format(r.Lang), "@" + ab.DeputyName}
	}
	return Reply{Text: r.T("away.list", nil) + "\n" + render.Table(r.Heads("away.head_from", "away.head_to", "away.head_deputy"), rows)}, nil
}
