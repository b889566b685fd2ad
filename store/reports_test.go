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

// The differencing leak: 7 Rechtskreiswechsel in the overview, 6 AsylbLG →
// SGB II and 1 SGB II → AsylbLG in the table of changes; 7 minus 6 would
// reveal the one that is shown as "<5 Fälle". The same shape (7 = 6 + 1) in
// every breakdown of the report: referrals per partner (and the Jobcenter's
// 6, all accepted, per outcome), barriers per partner or topic, goals per
// life field, and the overview's figures per organisation, target group
// and legal domain. In no report of the period, by no dimension, does a
// total and its parts, as shown, leave exactly one figure unknown; the
// hidden 1 is nowhere to be worked out.
func TestReportWithholdsWhatDifferencingReveals(t *testing.T) {
	s := testenv.Store(t)
	ctx := context.Background()
	orgs := map[string]string{"anna": "Caritas", "ben": "DRK"}
	base := seedFixture(t, s, 3, benchToday, []teamFixture{{team: "t1", coaches: orgs}}, fixtureSize{})
	fx := &fixture{partners: base.partners, partnerName: base.partnerName, orgs: base.orgs}
	on, out := kim.Date{Y: 2026, M: 3, D: 2}, kim.Date{Y: 2026, M: 3, D: 20}
	for i := int64(1); i <= 7; i++ {
		owner, group, field, partner, from, to := "anna", "refugee", kim.LifeField("language"), "jobcenter", "AsylbLG", "SGB2"
		b := fxBarrier{id: i, team: "t1", caseID: i, partner: "jobcenter", on: on}
		if i == 7 {
			owner, group, field, partner, from, to = "ben", "eu", "work", "sozialamt", "SGB2", "AsylbLG"
			b.partner, b.topic = "", "Wohnen"
		}
		fx.cases = append(fx.cases, &fxCase{id: i, team: "t1", owner: owner, org: orgs[owner], group: group, domain: to, opened: on})
		fx.contacts = append(fx.contacts, fxContact{caseID: i, on: on, minutes: 30})
		fx.assessments = append(fx.assessments, fxAssessment{id: i, caseID: i, seq: 1, on: on})
		fx.goals = append(fx.goals, fxGoal{caseID: i, n: 1, field: field, created: on})
		fx.referrals = append(fx.referrals, fxReferral{caseID: i, n: 1, partner: partner, on: on, outcome: "accepted", outcomeOn: &out})
		fx.changes = append(fx.changes, fxChange{caseID: i, from: from, to: to, since: on})
		fx.barriers = append(fx.barriers, b)
	}
	fx.insert(t, s)
	// Each change's step done after 10 days; the first case has a second
	// step, overdue (so its change is not complete).
	if _, err := s.Pool().Exec(ctx, `INSERT INTO transition_steps (case_id, change_id, n, pos, text, due_on, status, closed_on)
		SELECT case_id, id, 1, 1, 'Schritt', since + 7, 'done', since + 10 FROM domain_changes
		UNION ALL SELECT case_id, id, 2, 2, 'Schritt', since + 7, 'open', NULL FROM domain_changes WHERE case_id = 1`); err != nil {
		t.Fatal(err)
	}

	p, _ := reports.ParsePeriod("2026", benchToday)
	a := kim.Actor{TeamID: "t1", UserID: "kora", Today: benchToday}
	report := func(t *testing.T, by string) map[string]testenv.ReportTable {
		t.Helper()
		d, err := s.Report(ctx, store.ReportQuery{Actor: a, Period: p, By: by})
		if err != nil {
			t.Fatal(err)
		}
		md := reports.Build(d, "de").Markdown(func(s string) string { return s })
		t.Logf("by=%s:\n%s", by, md)
		return testenv.ReportTables(md)
	}
	main := report(t, "")
	overview := main["Kennzahlen"].Rows
	figure := func(label string) string {
		if v, ok := overview[label]; ok {
			return v[0]
		}
		return "(the overview lacks " + label + ")"
	}
	// Sanity: the situation is the leaking one.
	for _, label := range []string{"Neue Fälle", "Rechtskreiswechsel", "Verweise", "Strukturhinweise", "Ziele vereinbart", "Kontakte"} {
		if figure(label) != "7" {
			t.Fatalf("%s = %q, want 7", label, figure(label))
		}
	}
	if got := main["Rechtskreiswechsel"].Rows["SGB II → AsylbLG"]; len(got) == 0 || got[0] != "<5 Fälle" {
		t.Fatalf("SGB II → AsylbLG = %q, want <5 Fälle", got)
	}
	check := func(t *testing.T, what, total string, parts []string) {
		t.Helper()
		if len(parts) < 2 {
			t.Fatalf("%s: %d parts: %q", what, len(parts), parts)
		}
		if testenv.Revealed(total, parts) {
			t.Errorf("%s: %s with %q reveals the hidden figure by difference", what, total, parts)
		}
	}
	t.Run("transitions", func(t *testing.T) {
		check(t, "changes per pair", figure("Rechtskreiswechsel"), main["Rechtskreiswechsel"].Column(0))
		// The six keep their median (over the five complete, it tells nothing
		// of the one); the one's median is "<5 Fälle".
		if got := fmt.Sprint(main["Rechtskreiswechsel"].Rows["AsylbLG → SGB II"]); got != "[• 10,0 <5 Fälle]" {
			t.Errorf("AsylbLG → SGB II = %s, want its count withheld, its median shown", got)
		}
		if got := fmt.Sprint(main["Rechtskreiswechsel"].Rows["SGB II → AsylbLG"]); got != "[<5 Fälle <5 Fälle 0]" {
			t.Errorf("SGB II → AsylbLG = %s, want all suppressed", got)
		}
	})
	t.Run("referrals", func(t *testing.T) {
		check(t, "referrals per partner", figure("Verweise"), main["Verweise nach Partner"].Column(0))
		// The Jobcenter's 6, withheld, would follow from its 6 accepted.
		for partner, cells := range main["Verweise nach Partner"].Rows {
			check(t, "outcomes of "+partner, cells[0], cells[1:len(cells)-1])
		}
	})
	t.Run("barriers", func(t *testing.T) {
		check(t, "barriers per partner or topic", figure("Strukturhinweise"), main["Strukturhinweise nach Partner oder Thema"].Column(0))
	})
	t.Run("fields", func(t *testing.T) {
		check(t, "goals agreed per field", figure("Ziele vereinbart"), main["Ziele nach Handlungsfeld"].Column(0))
	})
	// by=field and by=partner show those tables withheld alike.
	for by, titles := range map[string][]string{kim.ByField: {"Ziele nach Handlungsfeld"},
		kim.ByPartner: {"Verweise nach Partner", "Strukturhinweise nach Partner oder Thema"}} {
		r := report(t, by)
		for _, title := range titles {
			if fmt.Sprint(r[title]) != fmt.Sprint(main[title]) {
				t.Errorf("by=%s: %s is %v, without by= %v", by, title, r[title], main[title])
			}
		}
	}
	// Each figure of the overview per organisation, target group and legal
	// domain (each splits 6 + 1).
	for by, title := range map[string]string{kim.ByOrg: "Nach Organisation", kim.ByGroup: "Nach Zielgruppe", kim.ByDomain: "Nach Rechtskreis"} {
		t.Run("by="+by, func(t *testing.T) {
			r := report(t, by)
			n := 0
			for _, part := range []string{"Fälle", "Kontakte und Einschätzungen", "Ziele, Verweise und Hinweise"} {
				tab, ok := r[title+": "+part]
				if !ok {
					t.Fatalf("by=%s lacks %s", by, title+": "+part)
				}
				for col, head := range tab.Head[1:] {
					label := map[string]string{"Neu": "Neue Fälle", "Offen": "Offene Fälle am 23.11.2026", "Abgeschlossen": "Abgeschlossene Fälle",
						"Kontakte": "Kontakte", "Minuten": "Kontaktminuten", "Einschätzungen": "Ersteinschätzungen", "Re-Assessments": "Re-Assessments",
						"Ziele vereinbart": "Ziele vereinbart", "Ziele erreicht": "Ziele erreicht", "Verweise": "Verweise",
						"Rechtskreiswechsel": "Rechtskreiswechsel", "Strukturhinweise": "Strukturhinweise"}[head]
					if label == "" {
						t.Fatalf("by=%s: column %q has no overview figure", by, head)
					}
					check(t, fmt.Sprintf("by=%s %s", by, head), figure(label), tab.Column(col))
					n++
				}
			}
			if n != 12 {
				t.Errorf("by=%s: %d columns checked, want 12", by, n)
			}
		})
	}
}

// Assessment numbers have gaps once one is deleted (a number is never given
// again). The report counts the earliest remaining assessment of a case as
// its first and compares each re-assessment with the next lower number that
// remains — never with number n−1 or number 1 as such.
func TestReportAssessmentNumberGaps(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	opened := a.Today.AddDays(-40)
	assess := func(ref string, daysAgo int, scores map[kim.LifeField]int) {
		t.Helper()
		if _, _, _, err := s.AddAssessment(ctx, a, ref, kim.Assessment{On: a.Today.AddDays(-daysAgo), Scores: scores}); err != nil {
			t.Fatal(err)
		}
	}
	// x: 1, 2, 3 with 2 deleted (3 is compared with 1); y: 1, 2, 3 with 1
	// deleted (2 is the first, 3 is compared with 2).
	x, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none", OpenedOn: &opened})
	if err != nil {
		t.Fatal(err)
	}
	y, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "CD", Group: "eu", Domain: "none", OpenedOn: &opened})
	if err != nil {
		t.Fatal(err)
	}
	assess(x.Ref, 30, map[kim.LifeField]int{"language": 2, "work": 1})
	assess(x.Ref, 20, map[kim.LifeField]int{"language": 5, "work": 5})
	assess(x.Ref, 10, map[kim.LifeField]int{"language": 3, "work": 2})
	assess(y.Ref, 30, map[kim.LifeField]int{"language": 2, "housing": 1})
	assess(y.Ref, 20, map[kim.LifeField]int{"language": 4, "housing": 3})
	assess(y.Ref, 10, map[kim.LifeField]int{"language": 1})
	if _, _, err := s.DeleteAssessment(ctx, a, x.Ref, 2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DeleteAssessment(ctx, a, y.Ref, 1); err != nil {
		t.Fatal(err)
	}
	var seqs string
	s.Pool().QueryRow(ctx, `SELECT string_agg(c.ref || '#' || a.seq, ',' ORDER BY c.ref, a.seq) FROM assessments a JOIN cases c ON c.id = a.case_id`).Scan(&seqs)
	if seqs != x.Ref+"#1,"+x.Ref+"#3,"+y.Ref+"#2,"+y.Ref+"#3" {
		t.Fatalf("assessment numbers: %s", seqs)
	}

	p, err := reports.ParsePeriod("2026", a.Today)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Report(ctx, store.ReportQuery{Actor: a, Period: p})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Rows) != 1 {
		t.Fatalf("rows: %+v", d.Rows)
	}
	// First assessments: x#1 and y#2; re-assessments: x#3 and y#3.
	if r := d.Rows[0]; r.Assessments != (kim.Count{N: 2, Cases: 2}) || r.Reassessments != (kim.Count{N: 2, Cases: 2}) {
		t.Errorf("first assessments %+v, re-assessments %+v; want 2 of 2 cases each", r.Assessments, r.Reassessments)
	}
	// Language: x 2→3 (+1), y 4→1 (−3): mean −1 over 2 cases. Work: x 1→2
	// (+1), not against the deleted 5. Housing: y#3 has no housing score.
	want := map[kim.LifeField]kim.Stat{"language": {Value: -1, Cases: 2}, "work": {Value: 1, Cases: 1}, "housing": {}}
	for _, f := range d.Fields {
		w, ok := want[f.Field]
		if !ok {
			continue
		}
		delete(want, f.Field)
		if f.Change.Cases != w.Cases || math.Abs(f.Change.Value-w.Value) > 1e-9 {
			t.Errorf("change of %s: %+v, want %+v", f.Field, f.Change, w)
		}
	}
	if len(want) != 0 {
		t.Errorf("fields missing from the report: %v", want)
	}
}
