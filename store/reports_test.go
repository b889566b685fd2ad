package store_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reports"
	"github.com/kimbot-nrw/kimbot/store"
)

// normalise orders a report's rows so that two reports compare equal.
func normalise(d *kim.ReportData) {
	sort.Slice(d.Rows, func(i, j int) bool { return d.Rows[i].Dim < d.Rows[j].Dim })
	sort.Slice(d.Referrals, func(i, j int) bool { return d.Referrals[i].Partner < d.Referrals[j].Partner })
	sort.Slice(d.DomainChanges, func(i, j int) bool {
		return d.DomainChanges[i].From+d.DomainChanges[i].To < d.DomainChanges[j].From+d.DomainChanges[j].To
	})
	sort.Slice(d.Barriers, func(i, j int) bool { return d.Barriers[i].Label < d.Barriers[j].Label })
	for i := range d.Referrals {
		for _, o := range kim.ReferralOutcomes {
			if _, ok := d.Referrals[i].ByOutcome[o]; !ok {
				d.Referrals[i].ByOutcome[o] = kim.Count{}
			}
		}
	}
}

// compare reports every difference between the store's and the expected figures.
func compare(t *testing.T, name string, got, want kim.ReportData) {
	t.Helper()
	normalise(&got)
	normalise(&want)
	diff := func(what string, g, w any) {
		t.Helper()
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("%s: %s = %v, want %v", name, what, g, w)
		}
	}
	stat := func(what string, g, w kim.Stat) {
		t.Helper()
		if g.Cases != w.Cases || math.Abs(g.Value-w.Value) > 1e-9 {
			t.Errorf("%s: %s = %+v, want %+v", name, what, g, w)
		}
	}
	diff("period/as-of/team/by", []any{got.Period, got.AsOf, got.Team, got.By}, []any{want.Period, want.AsOf, want.Team, want.By})
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("%s: %d rows, want %d: %+v", name, len(got.Rows), len(want.Rows), got.Rows)
	}
	for i := range want.Rows {
		g, w := got.Rows[i], want.Rows[i]
		diff("row "+w.Dim, g, w)
	}
	for i, w := range want.Fields {
		g := got.Fields[i]
		diff("field "+string(w.Field)+" goals", []kim.Count{g.GoalsSet, g.GoalsDone}, []kim.Count{w.GoalsSet, w.GoalsDone})
		stat("field "+string(w.Field)+" change", g.Change, w.Change)
	}
	if len(got.Referrals) != len(want.Referrals) {
		t.Fatalf("%s: referrals to %d partners, want %d", name, len(got.Referrals), len(want.Referrals))
	}
	for i, w := range want.Referrals {
		g := got.Referrals[i]
		diff("referrals "+w.Partner, []any{g.Name, g.Total, g.ByOutcome}, []any{w.Name, w.Total, w.ByOutcome})
		stat("median days "+w.Partner, g.MedianDays, w.MedianDays)
	}
	diff("domain changes", got.DomainChanges, want.DomainChanges)
	diff("barriers", got.Barriers, want.Barriers)
}

// The report's figures equal those computed in Go from the same case work,
// for the team and for one coach, by every dimension and for a year, a
// quarter and a month; the other team's cases never count.
func TestReportFigures(t *testing.T) {
	s := testenv.Store(t)
	ctx := context.Background()
	teams := []teamFixture{
		{team: "t1", coaches: map[string]string{"anna": "Caritas", "ben": "DRK", "cem": "Caritas", "dana": ""}},
		{team: "t2", coaches: map[string]string{"eva": "Diakonie"}},
	}
	fx := seedFixture(t, s, 7, benchToday, teams, fixtureSize{Cases: 600, Contacts: 6000, Referrals: 900})
	if err := s.SetRole(ctx, "t1", "kora", kim.RoleCoordinator, "", "admin"); err == nil {
		t.Log("coordinator without user row accepted")
	}
	for _, tc := range []struct {
		period, by, owner string
	}{
		{"2026", "", ""},
		{"2026", kim.ByOrg, ""},
		{"2026", kim.ByGroup, ""},
		{"2026", kim.ByDomain, ""},
		{"2026", kim.ByField, ""},
		{"2026", kim.ByPartner, ""},
		{"2025", "", ""},
		{"2025-Q4", kim.ByGroup, ""},
		{"2026-Q3", kim.ByOrg, ""},
		{"2026-11", "", ""},
		{"2026", "", "ben"},
		{"2026-Q2", kim.ByDomain, "anna"},
	} {
		name := strings.Join([]string{tc.period, "by=" + tc.by, "owner=" + tc.owner}, " ")
		p, err := reports.ParsePeriod(tc.period, benchToday)
		if err != nil {
			t.Fatal(err)
		}
		q := store.ReportQuery{Actor: kim.Actor{TeamID: "t1", UserID: "kora", Today: benchToday}, Period: p, By: tc.by, Owner: tc.owner}
		got, err := s.Report(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		compare(t, name, got, fx.expect(q))
	}
	// Sanity of the fixture itself: the comparisons above compared something.
	q := store.ReportQuery{Actor: kim.Actor{TeamID: "t1", UserID: "kora", Today: benchToday}, Period: kim.Period{From: kim.Date{Y: 2026, M: 1, D: 1}, To: kim.Date{Y: 2026, M: 12, D: 31}, Label: "2026"}}
	got, _ := s.Report(ctx, q)
	r := got.Rows[0]
	if r.New.N < 100 || r.Contacts.N < 1000 || r.Closed.N == 0 || r.Reassessments.N == 0 || len(got.Referrals) < 5 || len(got.Barriers) < 3 || len(got.DomainChanges) == 0 {
		t.Fatalf("fixture too thin to test anything: %+v", got)
	}
	var n int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'report.read' AND case_id IS NULL AND team_id = 't1'`).Scan(&n)
	if n == 0 {
		t.Error("reports are not audited")
	}
}

// Small numbers: a coach with three cases sees "<5 Fälle" for them, and the
// median of four referral outcomes is suppressed too.
func TestReportSmallCellsSuppressed(t *testing.T) {
	s := testenv.Store(t)
	ctx := context.Background()
	fx := seedFixture(t, s, 3, benchToday, []teamFixture{{team: "t1", coaches: map[string]string{"anna": "Caritas"}}}, fixtureSize{})
	_ = fx
	a := kim.Actor{TeamID: "t1", UserID: "anna", Today: benchToday}
	for i := 0; i < 3; i++ {
		if _, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: fmt.Sprint("P", i), Group: "eu", Domain: "none"}); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := reports.ParsePeriod("2026", benchToday)
	d, err := s.Report(ctx, store.ReportQuery{Actor: a, Period: p, Owner: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Rows[0].New != (kim.Count{N: 3, Cases: 3}) {
		t.Fatalf("new = %+v", d.Rows[0].New)
	}
	md := reports.Build(d, "de").Markdown(func(s string) string { return s })
	if !strings.Contains(md, "| Neue Fälle | <5 Fälle |") || strings.Contains(md, "| Neue Fälle | 3 |") {
		t.Fatalf("three new cases are not suppressed:\n%s", md)
	}
}
