package commands

// Staff changes (SPEC §3): an admin grants and removes roles, hands one case
// or every open case of a coach to another coach, and a role change that
// takes the coach role away is refused while the coach owns open cases — or
// hands them over in the same step, after confirmation. The coach who takes
// over, and every absent coach whose deputy lost the role, get a DM.

import (
	"context"
	"errors"
	"fmt"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// Notifier sends direct messages as the bot (bot.Client implements it).
type Notifier interface {
	// SendDM posts message into the bot's direct channel with the user.
	SendDM(ctx context.Context, userID, message string) (string, error)
}

// staffUser resolves a user an admin names: a member of the team in
// Mattermost or, when left is set, a user kimbot knows in the team who has
// left it (so their role and cases can still be dealt with).
func (r *Runner) staffUser(name string, left bool) (kim.User, bool, error) {
	u, err := r.svc.Dir.UserByName(r.ctx, r.req.TeamID, name)
	if err == nil || !left || kim.ErrorCode(err) != kim.ENOTFOUND {
		return u, true, err
	}
	u, err = r.svc.Store.KnownUser(r.ctx, r.req.TeamID, name)
	return u, false, err
}

// coachTarget returns the member of the team named to take cases over,
// refusing (staff.not_coach) one who is not a coach of the team.
func (r *Runner) coachTarget(name string) (kim.User, error) {
	u, err := r.svc.Dir.UserByName(r.ctx, r.req.TeamID, name)
	if err != nil {
		return u, err
	}
	m, err := r.svc.Store.Member(r.ctx, r.req.TeamID, u.ID)
	if err != nil {
		return u, err
	}
	if m.Role != kim.RoleCoach {
		return u, kim.Errorf(kim.EINVALID, "staff.not_coach", map[string]any{"User": u.Username, "Field": "user"})
	}
	return u, nil
}

// notify sends each user their DM in their language (text builds it) and
// returns the line that names those who could not be told, or "".
func (r *Runner) notify(dms map[string]func(lang string) string, names map[string]string) string {
	if r.svc.Notify == nil || len(dms) == 0 {
		return ""
	}
	var failed []string
	for id, text := range dms {
		lang := "de"
		if u, err := r.svc.Store.User(r.ctx, id); err == nil {
			lang = u.Language()
		}
		if _, err := r.svc.Notify.SendDM(r.ctx, id, text(lang)); err != nil {
			r.svc.Log.Error("commands: unable to send a staff-change DM", "err", err)
			failed = append(failed, "@"+names[id])
		}
	}
	if len(failed) == 0 {
		return ""
	}
	return "\n" + r.T("staff.dm_failed", map[string]any{"Users": messages.Or(r.Lang, failed)})
}

// casesDM is the DM to a coach who took over refs from the user from.
func (r *Runner) casesDM(refs []string, from, team string) func(string) string {
	return func(lang string) string {
		return messages.T(lang, "staff.dm_cases", map[string]any{"Admin": r.req.User.Username, "From": from, "Team": team,
			"N": len(refs), "Refs": messages.RefList(refs)})
	}
}

// adminTransfer hands one case of the team to a coach.
func (r *Runner) adminTransfer(a *Args) (Reply, error) {
	to, err := r.coachTarget(a.Str("user"))
	if err != nil {
		return Reply{}, err
	}
	st := r.svc.Store
	if !a.Has("confirm") {
		st = st.DryRun() // as the handover: say what would happen first
	}
	res, prev, err := st.AdminTransfer(r.ctx, r.Actor(), a.Str("case"), to.ID)
	if err != nil {
		return Reply{}, r.namedTarget(err, to)
	}
	if !a.Has("confirm") {
		return Reply{Text: r.T("staff.transfer_confirm", map[string]any{"Ref": res.Moved[0], "User": to.Username, "Prev": prev,
			"Line": r.confirmLine()})}, nil
	}
	text := r.T("staff.transferred", map[string]any{"Ref": res.Moved[0], "User": to.Username, "Prev": prev})
	text += r.notify(map[string]func(string) string{to.ID: r.casesDM(res.Moved, prev, res.TeamName)}, map[string]string{to.ID: to.Username})
	return Reply{Text: text}, nil
}

// adminHandover hands every open case of a coach to another coach, after
// confirmation.
func (r *Runner) adminHandover(a *Args) (Reply, error) {
	from, _, err := r.staffUser(a.Str("from"), true)
	if err != nil {
		return Reply{}, err
	}
	to, err := r.coachTarget(a.Str("to"))
	if err != nil {
		return Reply{}, err
	}
	st := r.svc.Store
	if !a.Has("confirm") {
		st = st.DryRun() // many cases change hands: say which first
	}
	res, err := st.HandOver(r.ctx, r.Actor(), from.ID, to.ID)
	if err != nil {
		return Reply{}, r.namedTarget(err, to)
	}
	data := map[string]any{"From": from.Username, "To": to.Username, "N": len(res.Moved), "Refs": messages.RefList(res.Moved),
		"Line": r.confirmLine()}
	if len(res.Moved) == 0 {
		return Reply{Text: r.T("staff.handover_none", data)}, nil
	}
	if !a.Has("confirm") {
		return Reply{Text: r.T("staff.handover_confirm", data)}, nil
	}
	text := r.T("staff.handed_over", data)
	if len(res.Moved) > 0 {
		text += r.notify(map[string]func(string) string{to.ID: r.casesDM(res.Moved, from.Username, res.TeamName)},
			map[string]string{to.ID: to.Username})
	}
	return Reply{Text: text}, nil
}

// adminRole grants or removes a role in the team. Taking the coach role from
// a coach who owns open cases is refused, naming how many and how to hand
// them over, unless handover= names the coach who takes them over; that
// combined step asks for confirmation first.
func (r *Runner) adminRole(a *Args) (Reply, error) {
	role := kim.Role(a.Str("role"))
	if role == "none" {
		role = kim.RoleNone
	}
	u, inTeam, err := r.staffUser(a.Str("user"), role == kim.RoleNone)
	if err != nil {
		return Reply{}, err
	}
	if inTeam {
		if _, err := r.svc.Store.SyncUser(r.ctx, u); err != nil {
			return Reply{}, err
		}
	}
	if u.ID == r.req.User.ID && role != kim.RoleAdmin && !r.req.User.SysAdmin {
		return Reply{}, kim.Errorf(kim.ECONFLICT, "admin.not_self", nil)
	}
	var to kim.User
	if a.Has("handover") {
		if to, err = r.coachTarget(a.Str("handover")); err != nil {
			return Reply{}, err
		}
	}
	data := map[string]any{"User": u.Username, "To": to.Username, "RoleWord": r.T("staff.role_word."+a.Str("role"), nil)}
	ch := store.RoleChange{UserID: u.ID, Role: role, Org: a.Str("org"), HandoverTo: to.ID}
	if to.ID != "" && !a.Has("confirm") {
		// Cases change hands: say which first (nothing changes in a dry run).
		prev, err := r.svc.Store.DryRun().ChangeRole(r.ctx, r.Actor(), ch)
		if err != nil {
			return Reply{}, r.namedTarget(err, to)
		}
		if len(prev.Moved) > 0 {
			data["N"], data["Refs"], data["Line"] = len(prev.Moved), messages.RefList(prev.Moved), r.confirmLine()
			return Reply{Text: r.T("staff.role_confirm", data)}, nil
		}
	}
	res, err := r.svc.Store.ChangeRole(r.ctx, r.Actor(), ch)
	if err != nil {
		if e := (*kim.Error)(nil); errors.As(err, &e) && e.Key == "staff.role_open_cases" {
			data["N"] = e.Args["N"]
			return Reply{}, kim.Errorf(e.Code, e.Key, data)
		}
		return Reply{}, r.namedTarget(err, to)
	}
	var text string
	if role == kim.RoleNone {
		text = r.T("admin.role_removed", map[string]any{"User": u.Username})
	} else {
		text = r.T("admin.role_set", map[string]any{"User": u.Username, "Role": r.Name("role", string(role)), "Org": a.Str("org")})
	}
	dms := map[string]func(string) string{}
	names := map[string]string{}
	if len(res.Moved) > 0 {
		text += "\n" + r.T("staff.handed_over", map[string]any{"From": u.Username, "To": to.Username, "N": len(res.Moved),
			"Refs": messages.RefList(res.Moved)})
		dms[to.ID], names[to.ID] = r.casesDM(res.Moved, u.Username, res.TeamName), to.Username
	}
	if len(res.Ended) > 0 {
		text += "\n" + r.T("staff.deputyships_ended", map[string]any{"User": u.Username, "N": len(res.Ended)})
	}
	for _, e := range res.Ended {
		prev := dms[e.OwnerID]
		dms[e.OwnerID] = func(lang string) string {
			s := messages.T(lang, "staff.dm_deputy_ended", map[string]any{"Deputy": u.Username, "Team": res.TeamName,
				"From": e.Absence.From, "To": e.Absence.To, "Dropped": e.Dropped})
			if prev != nil {
				s = prev(lang) + "\n" + s
			}
			return s
		}
		if names[e.OwnerID] == "" {
			if o, err := r.svc.Store.User(r.ctx, e.OwnerID); err == nil {
				names[e.OwnerID] = o.Username
			}
		}
	}
	text += r.notify(dms, names)
	return Reply{Text: text}, nil
}

// namedTarget fills in the username of a refused target coach.
func (r *Runner) namedTarget(err error, to kim.User) error {
	if e := (*kim.Error)(nil); errors.As(err, &e) && e.Key == "staff.not_coach" {
		return kim.Errorf(e.Code, e.Key, map[string]any{"User": to.Username, "Field": "user"})
	}
	return err
}

// adminRoles lists who has which role in the team, with the open cases of
// each coach (for planning a handover).
func (r *Runner) adminRoles(a *Args) (Reply, error) {
	list, err := r.svc.Store.TeamRoles(r.ctx, r.req.TeamID)
	if err != nil {
		return Reply{}, err
	}
	page, pages := max(a.Int("page"), 1), max((len(list)+rolesPage-1)/rolesPage, 1)
	if page > pages {
		return Reply{}, kim.Errorf(kim.EINVALID, "staff.roles_no_page", map[string]any{"Pages": pages})
	}
	all := len(list)
	list = list[(page-1)*rolesPage : min(page*rolesPage, all)]
	rows := make([][]string, len(list))
	for i, m := range list {
		open := "–"
		if m.Role == kim.RoleCoach {
			open = fmt.Sprint(m.OpenCases)
		}
		org := "–"
		if m.Organisation != "" {
			org = render.Cell(m.Organisation)
		}
		rows[i] = []string{"@" + m.Username, r.Name("role", string(m.Role)), org, open}
	}
	text := r.T("staff.roles", map[string]any{"N": all}) + "\n" +
		render.Table(r.Heads("staff.head_person", "staff.head_role", "staff.head_org", "staff.head_open"), rows)
	if page < pages {
		text += "\n" + r.T("staff.roles_next", map[string]any{"Page": page, "Pages": pages, "Next": page + 1})
	}
	return Reply{Text: text + "\n" + r.T("staff.roles_hint", nil)}, nil
}

// rolesPage is how many people a page of /kim admin rollen shows.
const rolesPage = 50
