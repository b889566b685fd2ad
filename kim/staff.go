package kim

// Staff changes (SPEC §3: "admins hand a case, or all open cases of a coach
// who leaves, to another coach"): the rules of role changes, handovers and
// the deputyships they end, as pure functions the store's transactions call.

// LeavesCoaching reports whether a role change from cur to next takes the
// coach role away (to another role or none).
func LeavesCoaching(cur, next Role) bool { return cur == RoleCoach && next != RoleCoach }

// CheckRoleChange refuses taking the coach role from a member who still owns
// open cases unless they are handed over in the same step (handover).
func CheckRoleChange(cur, next Role, openCases int, handover bool) error {
	if LeavesCoaching(cur, next) && openCases > 0 && !handover {
		return Errorf(ECONFLICT, "staff.role_open_cases", map[string]any{"N": openCases})
	}
	return nil
}

// CheckHandover refuses handing cases from a user to the same user.
func CheckHandover(fromID, toID string) error {
	if fromID == toID {
		return Errorf(ECONFLICT, "staff.handover_same", nil)
	}
	return nil
}

// EndDeputyship ends absence ab of an owner whose deputy can no longer act
// as of today: a planned absence (from today on) goes (drop), a current one
// ends yesterday, so the owner's cases and reminders are theirs again today.
// An absence that ended before today is left as it is (changed is false).
func EndDeputyship(ab Absence, today Date) (out Absence, drop, changed bool) {
	switch {
	case ab.To.Before(today):
		return ab, false, false
	case !ab.From.Before(today):
		return ab, true, true
	}
	ab.To = today.AddDays(-1)
	return ab, false, true
}
