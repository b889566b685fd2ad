package commands

import (
	"github.com/kimbot-nrw/kimbot/kim"
)

// adminRole grants or removes a role in the team.
func (r *Runner) adminRole(a *Args) (Reply, error) {
	u, err := r.svc.Dir.UserByName(r.ctx, r.req.TeamID, a.Str("user"))
	if err != nil {
		return Reply{}, err
	}
	if _, err := r.svc.Store.SyncUser(r.ctx, u); err != nil {
		return Reply{}, err
	}
	role := kim.Role(a.Str("role"))
	if role == "none" {
		role = kim.RoleNone
	}
	if u.ID == r.req.User.ID && role != kim.RoleAdmin && !r.req.User.SysAdmin {
		return Reply{}, kim.Errorf(kim.ECONFLICT, "admin.not_self", nil)
	}
	if err := r.svc.Store.SetRole(r.ctx, r.req.TeamID, u.ID, role, a.Str("org"), r.req.User.ID); err != nil {
		return Reply{}, err
	}
	if err := r.svc.Store.Audit(r.ctx, r.Actor(), "admin.role", 0, ""); err != nil {
		return Reply{}, err
	}
	if role == kim.RoleNone {
		return Reply{Text: r.T("admin.role_removed", map[string]any{"User": u.Username})}, nil
	}
	return Reply{Text: r.T("admin.role_set", map[string]any{"User": u.Username, "Role": r.Name("role", string(role)), "Org": a.Str("org")})}, nil
}
