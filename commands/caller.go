package commands

import (
	"errors"

	"github.com/kimbot-nrw/kimbot/kim"
)

// The caller of a command (kimbot's settings of the user and their role in
// the team) is resolved in the command's first round trip to the database:
// for the hot verbs below by the store call of the handler itself, which
// runs the role check on what it read before it writes anything; for all
// others on its own before the role check, as one statement.

// folded are the verbs whose handler's first store call resolves the caller.
// Their store calls read only what caseAccess lets a coach of the team see
// and audit only that, so a refused caller reads and writes nothing.
var folded = map[string]bool{"show": true, "cases": true, "contact": true}

// errRefused ends a folded store call whose caller may not run the verb;
// Execute answers it with the refusal of allowed.
var errRefused = errors.New("commands: the caller may not run this verb")

// resolve resolves a pending caller on its own.
func (r *Runner) resolve() error {
	if !r.caller.Pending() {
		return nil
	}
	r.caller.Check = func(u kim.User, m kim.Member) error {
		r.setCaller(u, m)
		return nil
	}
	return r.svc.Store.ResolveCaller(r.ctx, r.req.TeamID, r.caller)
}

// foldCheck makes the handler's first store call check the caller's roles
// for v.
func (r *Runner) foldCheck(v *Verb) {
	r.caller.Check = func(u kim.User, m kim.Member) error {
		r.setCaller(u, m)
		if !r.permits(v) {
			return errRefused
		}
		return nil
	}
}

// setCaller takes a resolved caller into the runner.
func (r *Runner) setCaller(u kim.User, m kim.Member) {
	r.req.User, r.member, r.Lang = u, m, u.Language()
}

// permits reports whether the caller holds one of v's roles.
func (r *Runner) permits(v *Verb) bool {
	roles := v.roles()
	return roles == nil || r.has(roles...)
}
