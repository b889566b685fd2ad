package kim

import "testing"

func TestCheckRoleChange(t *testing.T) {
	for _, tc := range []struct {
		cur, next Role
		open      int
		handover  bool
		refused   bool
	}{
		{RoleCoach, RoleNone, 2, false, true},
		{RoleCoach, RoleCoordinator, 1, false, true},
		{RoleCoach, RoleAdmin, 1, false, true},
		{RoleCoach, RoleNone, 2, true, false},
		{RoleCoach, RoleNone, 0, false, false},
		{RoleCoach, RoleCoach, 5, false, false}, // a new organisation
		{RoleCoordinator, RoleNone, 3, false, false},
	} {
		err := CheckRoleChange(tc.cur, tc.next, tc.open, tc.handover)
		if (err != nil) != tc.refused {
			t.Errorf("%s→%s with %d open cases (handover %v): %v", tc.cur, tc.next, tc.open, tc.handover, err)
		}
	}
	if CheckHandover("a", "a") == nil || CheckHandover("a", "b") != nil {
		t.Error("CheckHandover")
	}
}

func TestEndDeputyship(t *testing.T) {
	today := Date{Y: 2026, M: 11, D: 25}
	for _, tc := range []struct {
		from, to      Date
		drop, changed bool
		newTo         Date
	}{
		{Date{2026, 11, 20}, Date{2026, 11, 30}, false, true, Date{2026, 11, 24}}, // current: ends yesterday
		{Date{2026, 11, 25}, Date{2026, 11, 30}, true, true, Date{2026, 11, 30}},  // begins today: dropped
		{Date{2026, 12, 1}, Date{2026, 12, 5}, true, true, Date{2026, 12, 5}},     // planned: dropped
		{Date{2026, 11, 1}, Date{2026, 11, 24}, false, false, Date{2026, 11, 24}}, // over
	} {
		out, drop, changed := EndDeputyship(Absence{From: tc.from, To: tc.to}, today)
		if drop != tc.drop || changed != tc.changed || out.To != tc.newTo {
			t.Errorf("%s–%s: to %s drop %v changed %v", tc.from, tc.to, out.To, drop, changed)
		}
	}
}
