package commands

import (
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
)

// maxAbsenceDays is the longest absence one command records.
const maxAbsenceDays = 366

func init() {
	register(&Verb{
		Name: "away", Alias: "abwesend", Roles: coach,
		Params: []Param{
			{Name: "from", Kind: Word, Max: 10},
			{Name: "to", Kind: Date, Optional: true},
		},
		Options: []Param{{Name: "deputy", Kind: User, Optional: true}},
		Run:     (*Runner).away,
		Bare:    (*Runner).awayList,
		Examples: []string{"/kim away 2026-12-21 2027-01-03 deputy=@ben", "/kim abwesend 21.12.2026 03.01.2027 deputy=@ben",
			"/kim away off", "/kim abwesend aus", "/kim away"},
	})
}

// away records an absence with a deputy, or ends the current one ("off").
func (r *Runner) away(a *Args) (Reply, error) {
	if w := strings.ToLower(a.Str("from")); w == "off" || w == "aus" {
		if a.Has("to") || a.Has("deputy") {
			return Reply{}, usageErr("err.extra", a.Verb, map[string]any{"Token": w})
		}
		n, err := r.svc.Store.EndAbsences(r.ctx, r.Actor())
		if err != nil {
			return Reply{}, err
		}
		if n == 0 {
			return Reply{Text: r.T("away.none", nil)}, nil
		}
		return Reply{Text: r.T("away.ended", nil)}, nil
	}
	x, err := convert(Param{Name: "from", Kind: Date}, a.Str("from"), a.Verb)
	if err != nil {
		return Reply{}, err
	}
	from := x.(kim.Date)
	if !a.Has("to") {
		return Reply{}, usageErr("err.missing", a.Verb, map[string]any{"Name": "to"})
	}
	if !a.Has("deputy") {
		return Reply{}, usageErr("err.missing", a.Verb, map[string]any{"Name": "deputy=…"})
	}
	to := *a.Date("to")
	switch {
	case from.Before(r.today):
		return Reply{}, usageErr("away.from_past", a.Verb, nil)
	case to.Before(from):
		return Reply{}, usageErr("away.to_before_from", a.Verb, nil)
	case from.DaysUntil(to) >= maxAbsenceDays:
		return Reply{}, usageErr("away.too_long", a.Verb, map[string]any{"Max": maxAbsenceDays})
	case from.After(r.today.AddDays(maxAbsenceDays)):
		return Reply{}, usageErr("away.too_far", a.Verb, nil)
	}
	u, err := r.svc.Dir.UserByName(r.ctx, r.req.TeamID, a.Str("deputy"))
	if err != nil {
		return Reply{}, err
	}
	ab, err := r.svc.Store.SetAbsence(r.ctx, r.Actor(), from, to, u.ID)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("away.saved", map[string]any{"From": ab.From.Format(r.lang), "To": ab.To.Format(r.lang), "Deputy": ab.DeputyName})}, nil
}

// awayList shows the caller's current and planned absences.
func (r *Runner) awayList() (Reply, error) {
	list, err := r.svc.Store.CoachAbsences(r.ctx, r.Actor())
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: r.T("away.list_none", nil)}, nil
	}
	rows := make([][]string, len(list))
	for i, ab := range list {
		rows[i] = []string{ab.From.Format(r.lang), ab.To.Format(r.lang), "@" + ab.DeputyName}
	}
	return Reply{Text: r.T("away.list", nil) + "\n" + table(r.heads("away.head_from", "away.head_to", "away.head_deputy"), rows)}, nil
}
