package kim

import (
	"errors"
	"testing"
)

var (
	cycleToday = Date{2026, 11, 23}
	cycleSet   = TeamSettings{MonitoringDays: 28, FirstAssessmentDays: 14, ReassessmentMonths: 6, FollowupDays: 10}
)

func openCase() Case {
	return Case{ID: 7, Ref: "K-2026-0007", OwnerID: "anna", Domain: "SGB2", Phase: "monitoring", OpenedOn: Date{2026, 9, 1},
		NextMonitoring: Date{2026, 12, 1}.Ptr(), NextAssessment: Date{2027, 3, 1}.Ptr()}
}

func closedCase() Case {
	c := openCase()
	c.ClosedOn, c.CloseReason, c.CloseNote, c.Phase = Date{2026, 10, 1}.Ptr(), "moved", "nach Köln", "closed"
	c.NextMonitoring, c.NextAssessment = nil, nil
	return c
}

func sameDate(a, b *Date) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func TestTeamIntervals(t *testing.T) {
	from := Date{2026, 8, 31}
	for _, tc := range []struct {
		name      string
		got, want Date
	}{
		{"monitoring", cycleSet.NextMonitoring(from), Date{2026, 9, 28}},
		{"first assessment", cycleSet.FirstAssessment(from), Date{2026, 9, 14}},
		{"re-assessment in calendar months", cycleSet.NextReassessment(from), Date{2027, 3, 3}},
		{"follow-up", cycleSet.NextFollowup(from), Date{2026, 9, 10}},
		// A computed date that is no working day is the next working day.
		{"monitoring on Neujahr", cycleSet.NextMonitoring(Date{2026, 12, 4}), Date{2027, 1, 4}},
		{"first assessment on a Saturday", cycleSet.FirstAssessment(Date{2026, 12, 5}), Date{2026, 12, 21}},
		{"re-assessment on a Sunday", cycleSet.NextReassessment(Date{2026, 11, 23}), Date{2027, 5, 24}},
		{"re-assessment on Fronleichnam", cycleSet.NextReassessment(Date{2026, 11, 27}), Date{2027, 5, 28}},
		{"follow-up on Weihnachtstag", cycleSet.NextFollowup(Date{2026, 12, 15}), Date{2026, 12, 28}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, tc.got, tc.want)
		}
	}
	c, err := NewCase(cycleSet, cycleToday, cycleToday)
	if err != nil || c.Phase != "intake" || c.OpenedOn != cycleToday || !sameDate(c.NextMonitoring, Date{2026, 12, 21}.Ptr()) ||
		!sameDate(c.NextAssessment, Date{2026, 12, 7}.Ptr()) || !c.Open() {
		t.Errorf("NewCase: %+v, %v", c, err)
	}
}

// A case opened with its real intake date, up to 90 days back, has its
// first dates counted from the intake; later or earlier days are refused.
func TestNewCaseBackdated(t *testing.T) {
	for _, tc := range []struct {
		opened           Date
		want             string
		monitoring, assm Date
	}{
		{Date{2026, 11, 2}, "", Date{2026, 11, 30}, Date{2026, 11, 16}},
		{cycleToday.AddDays(-90), "", Date{2026, 9, 22}, Date{2026, 9, 8}},
		{cycleToday.AddDays(-91), "invalid open.date_too_early", Date{}, Date{}},
		{cycleToday.AddDays(1), "invalid casework.date_future", Date{}, Date{}},
	} {
		c, err := NewCase(cycleSet, tc.opened, cycleToday)
		if got := refusal(err); got != tc.want {
			t.Errorf("opened %s: %q, want %q", tc.opened, got, tc.want)
			continue
		}
		if err == nil && (c.OpenedOn != tc.opened || *c.NextMonitoring != tc.monitoring || *c.NextAssessment != tc.assm) {
			t.Errorf("opened %s: %+v", tc.opened, c)
		}
	}
}

func TestClose(t *testing.T) {
	for _, tc := range []struct {
		name   string
		c      Case
		today  Date
		want   string
		closed Date
	}{
		{"open case", openCase(), cycleToday, "", cycleToday},
		{"never before it was opened", openCase(), Date{2026, 8, 31}, "", Date{2026, 9, 1}},
		{"closed already", closedCase(), cycleToday, "conflict casework.closed", Date{}},
	} {
		got, err := Close(tc.c, "goals-met", "alles erreicht", tc.today)
		if refusal(err) != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, refusal(err), tc.want)
			continue
		}
		if err != nil {
			if got.CloseReason != "moved" {
				t.Errorf("%s: a refused close changed the case: %+v", tc.name, got)
			}
			continue
		}
		if !sameDate(got.ClosedOn, &tc.closed) || got.CloseReason != "goals-met" || got.CloseNote != "alles erreicht" ||
			got.Phase != "closed" || got.NextMonitoring != nil || got.NextAssessment != nil || got.Open() {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

func TestReopen(t *testing.T) {
	for _, tc := range []struct {
		name       string
		c          Case
		last       *Date
		want       string
		assessment Date
	}{
		{"assessed before", closedCase(), Date{2026, 8, 31}.Ptr(), "", Date{2027, 3, 3}},
		{"never assessed", closedCase(), nil, "", Date{2026, 12, 7}},
		{"open", openCase(), nil, "conflict reopen.not_closed", Date{}},
	} {
		got, err := Reopen(tc.c, tc.last, cycleSet, cycleToday)
		if refusal(err) != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, refusal(err), tc.want)
			continue
		}
		if err != nil {
			continue
		}
		if !got.Open() || got.CloseReason != "" || got.CloseNote != "" || got.Phase != "intake" ||
			!sameDate(got.NextMonitoring, Date{2026, 12, 21}.Ptr()) || !sameDate(got.NextAssessment, &tc.assessment) {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

func TestChangeDomain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		domain string
		since  Date
		last   *Date
		want   string
	}{
		{"first change", "SGB12", Date{2026, 10, 1}, nil, ""},
		{"after the last", "SGB12", Date{2026, 10, 1}, Date{2026, 10, 1}.Ptr(), ""},
		{"same domain", "SGB2", Date{2026, 10, 1}, nil, "conflict domain.same"},
		{"in the future", "SGB12", cycleToday.AddDays(1), nil, "invalid casework.date_future"},
		{"before the case", "SGB12", Date{2026, 8, 1}, nil, "invalid domain.before_open"},
		{"before the last", "SGB12", Date{2026, 10, 1}, Date{2026, 10, 2}.Ptr(), "invalid domain.before_last"},
	} {
		got, err := ChangeDomain(openCase(), tc.domain, tc.since, tc.last, cycleToday)
		if refusal(err) != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, refusal(err), tc.want)
		}
		if err == nil && got.Domain != tc.domain {
			t.Errorf("%s: domain %s", tc.name, got.Domain)
		}
	}
	var e *Error
	if _, err := ChangeDomain(openCase(), "SGB12", Date{2026, 10, 1}, Date{2026, 10, 2}.Ptr(), cycleToday); !errors.As(err, &e) ||
		e.Args["Field"] != "since" || e.Args["Last"] != (Date{2026, 10, 2}) {
		t.Errorf("before the last: %#v", e)
	}
}

func TestSetDue(t *testing.T) {
	on := Date{2027, 1, 15}
	for _, tc := range []struct {
		which      string
		on         Date
		want       string
		monitoring *Date
		assessment *Date
	}{
		{"monitoring", on, "", &on, openCase().NextAssessment},
		{"assessment", on, "", openCase().NextMonitoring, &on},
		{"monitoring", cycleToday.AddDays(-1), "invalid casework.date_past", nil, nil},
		{"assessment", LatestAhead(cycleToday).AddDays(1), "invalid casework.date_far", nil, nil},
		{"goal", on, "invalid err.bad_value", nil, nil},
	} {
		got, err := SetDue(openCase(), tc.which, tc.on, cycleToday)
		if refusal(err) != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.which, tc.on, refusal(err), tc.want)
			continue
		}
		if err == nil && (!sameDate(got.NextMonitoring, tc.monitoring) || !sameDate(got.NextAssessment, tc.assessment)) {
			t.Errorf("%s: %v %v", tc.which, got.NextMonitoring, got.NextAssessment)
		}
	}
}

func TestCheckTransfer(t *testing.T) {
	for _, tc := range []struct{ actor, to, want string }{
		{"anna", "bert", ""},
		{"anna", "anna", "conflict transfer.self"},
		{"dora", "anna", "conflict transfer.same"}, // a deputy hands the case to its owner
		{"dora", "bert", ""},
	} {
		if got := refusal(CheckTransfer(openCase(), tc.actor, tc.to)); got != tc.want {
			t.Errorf("%s → %s: %q, want %q", tc.actor, tc.to, got, tc.want)
		}
	}
}

func TestLogContact(t *testing.T) {
	for _, tc := range []struct {
		name   string
		on     Date
		latest *Date
		want   string
		next   Date
	}{
		{"first contact", Date{2026, 11, 20}, nil, "", Date{2026, 12, 18}},
		{"the latest counts", Date{2026, 11, 1}, Date{2026, 11, 20}.Ptr(), "", Date{2026, 12, 18}},
		{"newer than the latest", cycleToday, Date{2026, 11, 20}.Ptr(), "", Date{2026, 12, 21}},
		{"in the future", cycleToday.AddDays(1), nil, "invalid casework.date_future", Date{}},
		{"before the case", Date{2026, 8, 31}, nil, "invalid casework.date_before_open", Date{}},
	} {
		next, err := LogContact(openCase(), Contact{Kind: "phone", On: tc.on}, tc.latest, cycleSet, cycleToday)
		if refusal(err) != tc.want || next != tc.next {
			t.Errorf("%s: %s %q, want %s %q", tc.name, next, refusal(err), tc.next, tc.want)
		}
	}
}

func TestNewAssessment(t *testing.T) {
	scores := map[LifeField]int{"work": 2}
	prev := &Assessment{Seq: 2, On: Date{2026, 10, 1}}
	for _, tc := range []struct {
		name string
		prev *Assessment
		x    Assessment
		want string
		next Date
	}{
		{"first", nil, Assessment{On: Date{2026, 11, 20}, Scores: scores}, "", Date{2027, 5, 20}},
		{"re-assessment", prev, Assessment{On: Date{2026, 10, 1}, Scores: scores}, "", Date{2027, 4, 1}},
		{"no scores", nil, Assessment{On: cycleToday}, "invalid assess.no_scores", Date{}},
		{"in the future", nil, Assessment{On: cycleToday.AddDays(1), Scores: scores}, "invalid casework.date_future", Date{}},
		{"before the case", nil, Assessment{On: Date{2026, 8, 31}, Scores: scores}, "invalid casework.date_before_open", Date{}},
		{"before the last", prev, Assessment{On: Date{2026, 9, 30}, Scores: scores}, "invalid assess.before_last", Date{}},
	} {
		x, next, err := NewAssessment(openCase(), tc.prev, tc.x, cycleSet, cycleToday)
		if refusal(err) != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, refusal(err), tc.want)
			continue
		}
		if err == nil && (x.Seq != tc.x.Seq || next != tc.next || x.On != tc.x.On) {
			t.Errorf("%s: seq %d next %s", tc.name, x.Seq, next)
		}
	}
}

func TestHasConsent(t *testing.T) {
	consents := []Consent{
		{Scope: "processing", Form: "written"},
		{Scope: "partner", Partner: "mbe", Form: "oral"},
		{Scope: "partner", Partner: "jc", RevokedOn: Date{2026, 11, 1}.Ptr()},
	}
	for key, want := range map[string]bool{"mbe": true, "jc": false, "bamf": false, "": false} {
		if got := HasConsent(consents, key); got != want {
			t.Errorf("HasConsent(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestRevoke(t *testing.T) {
	for _, tc := range []struct {
		name    string
		c       Case
		partner bool
		on      Date
		want    string
	}{
		{"partner", openCase(), true, cycleToday, ""},
		{"processing of a closed case", closedCase(), false, cycleToday, ""},
		{"partner of a closed case", closedCase(), true, cycleToday, "conflict casework.closed"},
		{"in the future", openCase(), true, cycleToday.AddDays(1), "invalid casework.date_future"},
	} {
		if got := refusal(CheckRevoke(tc.c, tc.partner, tc.on, cycleToday)); got != tc.want {
			t.Errorf("CheckRevoke %s: %q, want %q", tc.name, got, tc.want)
		}
	}
	k := Consent{Scope: "partner", Partner: "mbe", GrantedOn: Date{2026, 10, 5}}
	if got, err := Revoke(k, Date{2026, 10, 5}); err != nil || !sameDate(got.RevokedOn, Date{2026, 10, 5}.Ptr()) {
		t.Errorf("revoke on the day of the grant: %+v %v", got, err)
	}
	var e *Error
	if got, err := Revoke(k, Date{2026, 10, 4}); !errors.As(err, &e) || e.Key != "consent.revoke_before_grant" ||
		e.Args["Granted"] != (Date{2026, 10, 5}) || e.Args["Date"] != (Date{2026, 10, 4}) || got.RevokedOn != nil {
		t.Errorf("revoke before the grant: %+v %v", got, err)
	}
}

func TestNewGoal(t *testing.T) {
	for _, tc := range []struct {
		name string
		due  *Date
		have int
		want string
	}{
		{"no due date", nil, 0, ""},
		{"due date", Date{2027, 6, 30}.Ptr(), 2, ""},
		{"the last one allowed", nil, MaxGoals - 1, ""},
		{"too many", nil, MaxGoals, "conflict goal.too_many"},
		{"due in the past", cycleToday.AddDays(-1).Ptr(), 0, "invalid casework.date_past"},
		{"due too far ahead", LatestAhead(cycleToday).AddDays(1).Ptr(), 0, "invalid casework.date_far"},
	} {
		g, err := NewGoal(Goal{Field: "work", Text: "Praktikum", Due: tc.due}, tc.have, cycleToday)
		if refusal(err) != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, refusal(err), tc.want)
		}
		if err == nil && (!g.Open() || g.Text != "Praktikum") {
			t.Errorf("%s: %+v", tc.name, g)
		}
	}
}

func TestCloseGoal(t *testing.T) {
	for _, tc := range []struct {
		from, to, want string
	}{
		{"open", "done", ""},
		{"open", "dropped", ""},
		{"done", "done", "conflict goal.not_open.done"},
		{"dropped", "done", "conflict goal.not_open.dropped"},
		{"done", "dropped", "conflict goal.not_open.done"},
	} {
		g, err := CloseGoal(Goal{N: 2, Status: tc.from}, tc.to, cycleToday)
		if refusal(err) != tc.want {
			t.Errorf("%s → %s: %q, want %q", tc.from, tc.to, refusal(err), tc.want)
			continue
		}
		if err == nil && (g.Status != tc.to || !sameDate(g.ClosedOn, &cycleToday) || g.Open()) {
			t.Errorf("%s → %s: %+v", tc.from, tc.to, g)
		}
		if err != nil && (g.Status != tc.from || g.ClosedOn != nil) {
			t.Errorf("%s → %s: a refusal changed the goal: %+v", tc.from, tc.to, g)
		}
	}
}

func TestNewReferral(t *testing.T) {
	mbe := Partner{ID: 3, Key: "mbe", Name: "Migrationsberatung"}
	consents := []Consent{{Scope: "processing"}, {Scope: "partner", Partner: "mbe"}}
	for _, tc := range []struct {
		name     string
		consents []Consent
		followup *Date
		n        int
		want     string
		due      Date
	}{
		{"team interval", consents, nil, 1, "", Date{2026, 12, 3}},
		{"follow-up given", consents, Date{2027, 1, 8}.Ptr(), 2, "", Date{2027, 1, 8}},
		{"no consent", consents[:1], nil, 1, "forbidden refer.no_consent", Date{}},
		{"consent revoked", []Consent{{Scope: "partner", Partner: "mbe", RevokedOn: &cycleToday}}, nil, 1, "forbidden refer.no_consent", Date{}},
		{"no consent comes first", nil, cycleToday.AddDays(-1).Ptr(), MaxReferrals + 1, "forbidden refer.no_consent", Date{}},
		{"follow-up in the past", consents, cycleToday.AddDays(-1).Ptr(), 1, "invalid casework.date_past", Date{}},
		{"follow-up too far", consents, LatestAhead(cycleToday).AddDays(1).Ptr(), 1, "invalid casework.date_far", Date{}},
		{"too many", consents, nil, MaxReferrals + 1, "conflict refer.too_many", Date{}},
	} {
		f, err := NewReferral(openCase(), mbe, tc.consents, "Beratung", tc.followup, tc.n, cycleSet, cycleToday)
		if refusal(err) != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, refusal(err), tc.want)
			continue
		}
		if err == nil && (f.N != tc.n || f.Partner != mbe || f.Reason != "Beratung" || f.On != cycleToday ||
			!sameDate(f.Followup, &tc.due) || f.Outcome != "pending" || f.OutcomeOn != nil) {
			t.Errorf("%s: %+v", tc.name, f)
		}
	}
	var e *Error
	if _, err := NewReferral(openCase(), mbe, nil, "x", nil, 1, cycleSet, cycleToday); !errors.As(err, &e) ||
		e.Args["Partner"] != mbe.Name || e.Args["Key"] != "mbe" || e.Args["Ref"] != "K-2026-0007" || e.Args["Field"] != "partner" {
		t.Errorf("no consent: %#v", e)
	}
}

func TestSetOutcome(t *testing.T) {
	f := Referral{N: 1, On: Date{2026, 11, 1}, Followup: Date{2026, 11, 15}.Ptr(), Outcome: "pending"}
	got := SetOutcome(f, "accepted", "Termin am 02.12.", cycleSet, cycleToday)
	if got.Outcome != "accepted" || got.Note != "Termin am 02.12." || !sameDate(got.OutcomeOn, &cycleToday) || !sameDate(got.Followup, f.Followup) {
		t.Errorf("accepted: %+v", got)
	}
	again := SetOutcome(got, "pending", "", cycleSet, cycleToday)
	if again.Outcome != "pending" || again.OutcomeOn != nil || !sameDate(again.Followup, Date{2026, 12, 3}.Ptr()) {
		t.Errorf("pending again: %+v", again)
	}
}

func TestActionDone(t *testing.T) {
	open := ActionItem{N: 4, Due: Date{2026, 12, 1}.Ptr()}
	x, err := ActionDone(open, cycleToday)
	if err != nil || !sameDate(x.DoneOn, &cycleToday) || x.Open() || !open.Open() {
		t.Errorf("open action: %+v %v", x, err)
	}
	var e *Error
	again, err := ActionDone(x, cycleToday.AddDays(2))
	if !errors.As(err, &e) || e.Code != ECONFLICT || e.Key != "action.already_done" || e.Args["Ref"] != "A-4" ||
		e.Args["Date"] != cycleToday || !sameDate(again.DoneOn, &cycleToday) {
		t.Errorf("done again: %+v %v", again, err)
	}
}
