package kim

import "testing"

func TestPhaseOf(t *testing.T) {
	today := Date{2026, 11, 23}
	later, earlier := today.AddDays(10).Ptr(), today.AddDays(-1).Ptr()
	for _, tc := range []struct {
		name string
		f    PhaseFacts
		want string
	}{
		{"closed wins", PhaseFacts{Closed: true, Assessments: 2, NextAssessment: earlier}, "closed"},
		{"new case", PhaseFacts{NextAssessment: later}, "intake"},
		{"first assessment due", PhaseFacts{NextAssessment: today.Ptr()}, "assessment"},
		{"assessed, no goals", PhaseFacts{Assessments: 1, NextAssessment: later}, "planning"},
		{"goals agreed", PhaseFacts{Assessments: 1, OpenGoals: 2, LastPlanChange: today, NextAssessment: later}, "linking"},
		{"contact before the goals", PhaseFacts{Assessments: 1, OpenGoals: 1, LastPlanChange: today, LastContact: today.AddDays(-3), NextAssessment: later}, "linking"},
		{"contact after the goals", PhaseFacts{Assessments: 1, OpenGoals: 1, LastPlanChange: today.AddDays(-3), LastContact: today, NextAssessment: later}, "monitoring"},
		{"contact the same day", PhaseFacts{Assessments: 1, OpenGoals: 1, LastPlanChange: today, LastContact: today, NextAssessment: later}, "monitoring"},
		{"referral waiting", PhaseFacts{Assessments: 1, OpenGoals: 1, PendingReferrals: 1, LastContact: today, NextAssessment: later}, "linking"},
		{"referral waiting, no goals", PhaseFacts{Assessments: 1, PendingReferrals: 1, NextAssessment: later}, "linking"},
		{"referral came back", PhaseFacts{Assessments: 1, OpenGoals: 1, ResolvedReferrals: 1, LastPlanChange: today, NextAssessment: later}, "monitoring"},
		{"all goals reached", PhaseFacts{Assessments: 1, ResolvedReferrals: 3, LastContact: today, NextAssessment: later}, "planning"},
		{"re-assessment due", PhaseFacts{Assessments: 1, OpenGoals: 1, ResolvedReferrals: 1, NextAssessment: earlier}, "reassessment"},
		{"re-assessment due while planning", PhaseFacts{Assessments: 2, NextAssessment: today.Ptr()}, "reassessment"},
		{"no date at all", PhaseFacts{Assessments: 1, OpenGoals: 1, LastPlanChange: today}, "linking"},
	} {
		tc.f.Today = today
		if got := PhaseOf(tc.f); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestPhaseOn(t *testing.T) {
	today := Date{2027, 6, 1}
	due, notDue := today.Ptr(), today.AddDays(1).Ptr()
	for _, tc := range []struct {
		stored string
		next   *Date
		want   string
	}{
		{"intake", notDue, "intake"}, {"intake", due, "assessment"}, {"assessment", notDue, "intake"},
		{"planning", due, "reassessment"}, {"linking", due, "reassessment"}, {"monitoring", due, "reassessment"},
		{"monitoring", notDue, "monitoring"}, {"monitoring", nil, "monitoring"}, {"reassessment", due, "reassessment"},
		{"closed", due, "closed"},
	} {
		if got := PhaseOn(tc.stored, tc.next, today); got != tc.want {
			t.Errorf("PhaseOn(%s, %v) = %s, want %s", tc.stored, tc.next, got, tc.want)
		}
	}
}

func TestChanges(t *testing.T) {
	prev := &Assessment{Scores: map[LifeField]int{"language": 2, "work": 1, "housing": 3}}
	cur := Assessment{Scores: map[LifeField]int{"housing": 2, "language": 4, "health": 3}}
	got := Changes(prev, cur)
	want := []ScoreChange{{"language", 2, 4}, {"health", 0, 3}, {"housing", 3, 2}}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %v, want %v", i, got[i], want[i])
		}
	}
	if first := Changes(nil, cur); first[0].Before != 0 || len(first) != 3 {
		t.Errorf("first assessment: %v", first)
	}
}
