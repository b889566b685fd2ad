package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// A report fixture: a team's case work generated at random (with a fixed
// seed), inserted with COPY, and the figures computed from it in Go, apart
// from the store's SQL.

type fxCase struct {
	id               int64
	team, owner, org string
	group, domain    string
	opened           kim.Date
	closed           *kim.Date
	reason           string
}

type fxContact struct {
	caseID  int64
	on      kim.Date
	minutes int
}

type fxAssessment struct {
	id, caseID int64
	seq        int
	on         kim.Date
	scores     map[kim.LifeField]int
}

type fxGoal struct {
	caseID  int64
	n       int
	field   kim.LifeField
	created kim.Date
	done    *kim.Date
	dropped bool
}

type fxReferral struct {
	caseID    int64
	n         int
	partner   string // key
	on        kim.Date
	outcome   string
	outcomeOn *kim.Date
}

type fxChange struct {
	caseID   int64
	from, to string
	since    kim.Date
}

type fxBarrier struct {
	id      int64
	team    string
	caseID  int64
	partner string // key, or "" for a topic
	topic   string
	on      kim.Date
}

type fixture struct {
	cases       []*fxCase
	contacts    []fxContact
	assessments []fxAssessment
	goals       []fxGoal
	referrals   []fxReferral
	changes     []fxChange
	barriers    []fxBarrier
	partners    map[string]map[string]int64 // team → key → id
	partnerName map[string]string           // key → name
	orgs        map[string]int64            // team/org → id
}

// fixtureSize is how much case work a fixture has.
type fixtureSize struct {
	Cases, Contacts, Referrals int
	// Since, if set, is the first day cases open on (all of them then open
	// between Since and yesterday).
	Since kim.Date
}

// teamFixture is a team and its coaches for a fixture.
type teamFixture struct {
	team    string
	coaches map[string]string // user id → organisation ("" for none)
}

func randDate(r *rand.Rand, from, to kim.Date) kim.Date {
	return from.AddDays(r.IntN(from.DaysUntil(to) + 1))
}

// seedFixture creates the teams and coaches, generates the case work and
// inserts it. Cases open between 2025-01-01 and the day before today.
func seedFixture(t testing.TB, s *store.Store, seed uint64, today kim.Date, teams []teamFixture, size fixtureSize) *fixture {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 42))
	fx := &fixture{partners: map[string]map[string]int64{}, partnerName: map[string]string{}, orgs: map[string]int64{}}
	for _, tf := range teams {
		if _, err := s.UpsertTeam(ctx, tf.team, tf.team, "c-"+tf.team, "tok-"+tf.team); err != nil {
			t.Fatal(err)
		}
		for _, u := range sortedIDs(tf.coaches) {
			if _, err := s.SyncUser(ctx, kim.User{ID: u, Username: u}); err != nil {
				t.Fatal(err)
			}
			if err := s.SetRole(ctx, tf.team, u, kim.RoleCoach, tf.coaches[u], "admin"); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := s.Pool().Query(ctx, `SELECT key, id, name FROM partners WHERE team_id = $1`, tf.team)
		if err != nil {
			t.Fatal(err)
		}
		fx.partners[tf.team] = map[string]int64{}
		for rows.Next() {
			var key, name string
			var id int64
			if err := rows.Scan(&key, &id, &name); err != nil {
				t.Fatal(err)
			}
			fx.partners[tf.team][key], fx.partnerName[key] = id, name
		}
		rows.Close()
		rows, _ = s.Pool().Query(ctx, `SELECT name, id FROM organisations WHERE team_id = $1`, tf.team)
		for rows.Next() {
			var name string
			var id int64
			_ = rows.Scan(&name, &id)
			fx.orgs[tf.team+"/"+name] = id
		}
		rows.Close()
	}
	partnerKeys := make([]string, 0, len(store.DefaultPartners))
	for _, p := range store.DefaultPartners {
		partnerKeys = append(partnerKeys, p.Key)
	}
	start, last := kim.Date{Y: 2025, M: 1, D: 1}, today.AddDays(-1)
	var id int64
	for i := 0; i < size.Cases; i++ {
		tf := teams[r.IntN(len(teams))]
		owners := sortedIDs(tf.coaches)
		owner := owners[r.IntN(len(owners))]
		id++
		c := &fxCase{id: id, team: tf.team, owner: owner, org: tf.coaches[owner],
			group: kim.TargetGroups[r.IntN(len(kim.TargetGroups))], domain: kim.LegalDomains[r.IntN(len(kim.LegalDomains))]}
		// Most cases of a large municipality are this year's.
		if !size.Since.IsZero() {
			c.opened = randDate(r, size.Since, last)
		} else if r.IntN(10) < 7 {
			c.opened = randDate(r, kim.Date{Y: today.Y, M: 1, D: 1}, last)
		} else {
			c.opened = randDate(r, start, last)
		}
		if r.IntN(3) == 0 {
			d := randDate(r, c.opened, last)
			c.closed, c.reason = &d, kim.CloseReasons[r.IntN(len(kim.CloseReasons))]
		}
		fx.cases = append(fx.cases, c)
	}
	end := func(c *fxCase) kim.Date {
		if c.closed != nil {
			return *c.closed
		}
		return last
	}
	for i := 0; i < size.Contacts; i++ {
		c := fx.cases[r.IntN(len(fx.cases))]
		fx.contacts = append(fx.contacts, fxContact{caseID: c.id, on: randDate(r, c.opened, end(c)), minutes: r.IntN(121)})
	}
	var assessmentID int64
	for _, c := range fx.cases {
		on := c.opened
		for seq := 1; seq <= r.IntN(4); seq++ {
			on = randDate(r, on, end(c))
			assessmentID++
			a := fxAssessment{id: assessmentID, caseID: c.id, seq: seq, on: on, scores: map[kim.LifeField]int{}}
			for _, f := range kim.LifeFields {
				if r.IntN(3) > 0 {
					a.scores[f] = 1 + r.IntN(5)
				}
			}
			fx.assessments = append(fx.assessments, a)
		}
		for n := 1; n <= r.IntN(4); n++ {
			g := fxGoal{caseID: c.id, n: n, field: kim.LifeFields[r.IntN(len(kim.LifeFields))], created: randDate(r, c.opened, end(c))}
			switch r.IntN(3) {
			case 0:
				d := randDate(r, g.created, end(c))
				g.done = &d
			case 1:
				if r.IntN(3) == 0 {
					d := randDate(r, g.created, end(c))
					g.done, g.dropped = &d, true
				}
			}
			fx.goals = append(fx.goals, g)
		}
		if r.IntN(8) == 0 {
			from := c.domain
			to := kim.LegalDomains[r.IntN(len(kim.LegalDomains))]
			if to != from {
				fx.changes = append(fx.changes, fxChange{caseID: c.id, from: from, to: to, since: randDate(r, c.opened, end(c))})
			}
		}
		if r.IntN(4) == 0 {
			b := fxBarrier{id: int64(len(fx.barriers) + 1), team: c.team, caseID: c.id, on: randDate(r, c.opened, end(c))}
			if r.IntN(3) == 0 {
				b.topic = []string{"Wohnen", "Kita und Schule", "Sonstiges"}[r.IntN(3)]
			} else {
				b.partner = partnerKeys[r.IntN(4)+3] // sozialamt … mbe: a few partners
			}
			fx.barriers = append(fx.barriers, b)
		}
	}
	perCase := map[int64]int{}
	for i := 0; i < size.Referrals; i++ {
		c := fx.cases[r.IntN(len(fx.cases))]
		perCase[c.id]++
		f := fxReferral{caseID: c.id, n: perCase[c.id], partner: partnerKeys[r.IntN(len(partnerKeys))], on: randDate(r, c.opened, end(c))}
		f.outcome = kim.ReferralOutcomes[r.IntN(len(kim.ReferralOutcomes))]
		if f.outcome != "pending" || r.IntN(4) == 0 {
			d := f.on.AddDays(r.IntN(60))
			f.outcomeOn = &d
		}
		fx.referrals = append(fx.referrals, f)
	}
	fx.insert(t, s)
	return fx
}

func sortedIDs(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func dateOrNil(d *kim.Date) any {
	if d == nil {
		return nil
	}
	return d.UTC()
}

// insert writes the fixture with COPY.
func (fx *fixture) insert(t testing.TB, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	copyRows := func(table string, cols []string, n int, row func(i int) []any) {
		t.Helper()
		_, err := s.Pool().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) { return row(i), nil }))
		if err != nil {
			t.Fatalf("copy %s: %v", table, err)
		}
	}
	seq := map[string]int{}
	copyRows("cases", []string{"id", "team_id", "ref", "owner_id", "organisation_id", "target_group", "legal_domain", "phase",
		"opened_on", "closed_on", "close_reason"}, len(fx.cases), func(i int) []any {
		c := fx.cases[i]
		k := fmt.Sprintf("%s/%d", c.team, c.opened.Y)
		seq[k]++
		var org any
		if c.org != "" {
			org = fx.orgs[c.team+"/"+c.org]
		}
		phase, reason := "monitoring", any(nil)
		if c.closed != nil {
			phase, reason = "closed", c.reason
		}
		return []any{c.id, c.team, fmt.Sprintf("K-%04d-%04d", c.opened.Y, seq[k]), c.owner, org, c.group, c.domain, phase,
			c.opened.UTC(), dateOrNil(c.closed), reason}
	})
	copyRows("contacts", []string{"case_id", "kind", "minutes", "contact_on", "created_by"}, len(fx.contacts), func(i int) []any {
		k := fx.contacts[i]
		return []any{k.caseID, "phone", k.minutes, k.on.UTC(), "fixture"}
	})
	copyRows("assessments", []string{"id", "case_id", "seq", "assessed_on", "created_by"}, len(fx.assessments), func(i int) []any {
		a := fx.assessments[i]
		return []any{a.id, a.caseID, a.seq, a.on.UTC(), "fixture"}
	})
	var scores [][]any
	for _, a := range fx.assessments {
		for _, f := range kim.LifeFields {
			if v, ok := a.scores[f]; ok {
				scores = append(scores, []any{a.id, string(f), int16(v)})
			}
		}
	}
	copyRows("assessment_scores", []string{"assessment_id", "field", "score"}, len(scores), func(i int) []any { return scores[i] })
	copyRows("goals", []string{"case_id", "n", "field", "status", "created_on", "closed_on", "created_by"}, len(fx.goals), func(i int) []any {
		g := fx.goals[i]
		status := "open"
		if g.done != nil {
			status = "done"
			if g.dropped {
				status = "dropped"
			}
		}
		return []any{g.caseID, g.n, string(g.field), status, g.created.UTC(), dateOrNil(g.done), "fixture"}
	})
	team := map[int64]string{}
	for _, c := range fx.cases {
		team[c.id] = c.team
	}
	copyRows("referrals", []string{"case_id", "n", "partner_id", "referred_on", "outcome", "outcome_on", "created_by"}, len(fx.referrals), func(i int) []any {
		f := fx.referrals[i]
		return []any{f.caseID, f.n, fx.partners[team[f.caseID]][f.partner], f.on.UTC(), f.outcome, dateOrNil(f.outcomeOn), "fixture"}
	})
	copyRows("domain_changes", []string{"case_id", "from_domain", "to_domain", "since", "created_by"}, len(fx.changes), func(i int) []any {
		x := fx.changes[i]
		return []any{x.caseID, x.from, x.to, x.since.UTC(), "fixture"}
	})
	topicIDs := map[[2]string]int64{}
	rows, err := s.Pool().Query(ctx, `SELECT team_id, name, id FROM barrier_topics`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var team, name string
		var id int64
		if err := rows.Scan(&team, &name, &id); err != nil {
			t.Fatal(err)
		}
		topicIDs[[2]string{team, name}] = id
	}
	rows.Close()
	copyRows("barriers", []string{"id", "team_id", "case_id", "partner_id", "topic_id", "recorded_on", "created_by"}, len(fx.barriers), func(i int) []any {
		b := fx.barriers[i]
		var partner, topic any
		if b.partner != "" {
			partner = fx.partners[b.team][b.partner]
		} else {
			topic = topicIDs[[2]string{b.team, b.topic}]
		}
		return []any{b.id, b.team, b.caseID, partner, topic, b.on.UTC(), "fixture"}
	})
	for _, tbl := range []string{"cases", "assessments", "barriers"} {
		if _, err := s.Pool().Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT max(id) FROM %[1]s))`, tbl)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Pool().Exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
}

// in reports whether d lies in the period.
func in(d kim.Date, p kim.Period) bool { return !d.Before(p.From) && !d.After(p.To) }

// counter collects a count with its distinct cases.
type counter struct {
	n     int64
	cases map[int64]bool
}

func (c *counter) add(caseID int64, n int64) {
	if c.cases == nil {
		c.cases = map[int64]bool{}
	}
	c.n += n
	c.cases[caseID] = true
}

func (c *counter) count() kim.Count {
	if c == nil {
		return kim.Count{}
	}
	return kim.Count{N: c.n, Cases: int64(len(c.cases))}
}

// median is percentile_cont(0.5).
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// expect computes what Report must return for the query, from the fixture.
func (fx *fixture) expect(q store.ReportQuery) kim.ReportData {
	p := q.Period
	asOf := p.To
	if q.Actor.Today.Before(asOf) {
		asOf = q.Actor.Today
	}
	d := kim.ReportData{Period: p, AsOf: asOf, Team: q.Owner == "", By: q.By}
	sel := map[int64]*fxCase{}
	dim := map[int64]string{}
	for _, c := range fx.cases {
		if c.team != q.Actor.TeamID || (q.Owner != "" && c.owner != q.Owner) {
			continue
		}
		sel[c.id] = c
		switch q.By {
		case kim.ByOrg:
			dim[c.id] = c.org
		case kim.ByGroup:
			dim[c.id] = c.group
		case kim.ByDomain:
			dim[c.id] = c.domain
		default:
			dim[c.id] = ""
		}
	}
	type rowCounters struct {
		nw, open, closed, contacts, minutes, ass, reass, gset, gdone, refs, changes, barriers counter
		closedBy                                                                              map[string]*counter
	}
	rows := map[string]*rowCounters{}
	row := func(id int64) *rowCounters {
		k := dim[id]
		if rows[k] == nil {
			rows[k] = &rowCounters{closedBy: map[string]*counter{}}
		}
		return rows[k]
	}
	for _, c := range sel {
		x := row(c.id)
		if in(c.opened, p) {
			x.nw.add(c.id, 1)
		}
		if !c.opened.After(asOf) && (c.closed == nil || c.closed.After(asOf)) {
			x.open.add(c.id, 1)
		}
		if c.closed != nil && in(*c.closed, p) {
			x.closed.add(c.id, 1)
			if x.closedBy[c.reason] == nil {
				x.closedBy[c.reason] = &counter{}
			}
			x.closedBy[c.reason].add(c.id, 1)
		}
	}
	for _, k := range fx.contacts {
		if sel[k.caseID] != nil && in(k.on, p) {
			row(k.caseID).contacts.add(k.caseID, 1)
			row(k.caseID).minutes.add(k.caseID, int64(k.minutes))
		}
	}
	prev := map[[2]int64]fxAssessment{}
	for _, a := range fx.assessments {
		prev[[2]int64{a.caseID, int64(a.seq)}] = a
	}
	change := map[kim.LifeField]*struct {
		sum, n float64
		cases  map[int64]bool
	}{}
	for _, a := range fx.assessments {
		if sel[a.caseID] == nil || !in(a.on, p) {
			continue
		}
		if a.seq == 1 {
			row(a.caseID).ass.add(a.caseID, 1)
			continue
		}
		row(a.caseID).reass.add(a.caseID, 1)
		before := prev[[2]int64{a.caseID, int64(a.seq - 1)}]
		for f, v := range a.scores {
			if pv, ok := before.scores[f]; ok {
				if change[f] == nil {
					change[f] = &struct {
						sum, n float64
						cases  map[int64]bool
					}{cases: map[int64]bool{}}
				}
				change[f].sum += float64(v - pv)
				change[f].n++
				change[f].cases[a.caseID] = true
			}
		}
	}
	fieldSet, fieldDone := map[kim.LifeField]*counter{}, map[kim.LifeField]*counter{}
	for _, f := range kim.LifeFields {
		fieldSet[f], fieldDone[f] = &counter{}, &counter{}
	}
	for _, g := range fx.goals {
		if sel[g.caseID] == nil {
			continue
		}
		if in(g.created, p) {
			row(g.caseID).gset.add(g.caseID, 1)
			fieldSet[g.field].add(g.caseID, 1)
		}
		if g.done != nil && !g.dropped && in(*g.done, p) {
			row(g.caseID).gdone.add(g.caseID, 1)
			fieldDone[g.field].add(g.caseID, 1)
		}
	}
	for _, f := range kim.LifeFields {
		fr := kim.FieldRow{Field: f, GoalsSet: fieldSet[f].count(), GoalsDone: fieldDone[f].count()}
		if c := change[f]; c != nil {
			fr.Change = kim.Stat{Value: c.sum / c.n, Cases: int64(len(c.cases))}
		}
		d.Fields = append(d.Fields, fr)
	}
	type refAgg struct {
		total     counter
		byOutcome map[string]*counter
		days      []float64
		dayCases  map[int64]bool
	}
	refs := map[string]*refAgg{}
	for _, f := range fx.referrals {
		if sel[f.caseID] == nil || !in(f.on, p) {
			continue
		}
		row(f.caseID).refs.add(f.caseID, 1)
		a := refs[f.partner]
		if a == nil {
			a = &refAgg{byOutcome: map[string]*counter{}, dayCases: map[int64]bool{}}
			for _, o := range kim.ReferralOutcomes {
				a.byOutcome[o] = &counter{}
			}
			refs[f.partner] = a
		}
		a.total.add(f.caseID, 1)
		a.byOutcome[f.outcome].add(f.caseID, 1)
		if f.outcome != "pending" && f.outcomeOn != nil {
			a.days = append(a.days, float64(f.on.DaysUntil(*f.outcomeOn)))
			a.dayCases[f.caseID] = true
		}
	}
	for key, a := range refs {
		r := kim.ReferralRow{Partner: key, Name: fx.partnerName[key], Total: a.total.count(), ByOutcome: map[string]kim.Count{}}
		for o, c := range a.byOutcome {
			r.ByOutcome[o] = c.count()
		}
		if len(a.days) > 0 {
			r.MedianDays = kim.Stat{Value: median(a.days), Cases: int64(len(a.dayCases))}
		}
		d.Referrals = append(d.Referrals, r)
	}
	sort.Slice(d.Referrals, func(i, j int) bool { return d.Referrals[i].Name < d.Referrals[j].Name })
	changes := map[[2]string]*counter{}
	for _, x := range fx.changes {
		if sel[x.caseID] == nil || !in(x.since, p) {
			continue
		}
		row(x.caseID).changes.add(x.caseID, 1)
		k := [2]string{x.from, x.to}
		if changes[k] == nil {
			changes[k] = &counter{}
		}
		changes[k].add(x.caseID, 1)
	}
	for k, c := range changes {
		d.DomainChanges = append(d.DomainChanges, kim.DomainChangeRow{From: k[0], To: k[1], Count: c.count()})
	}
	barriers := map[string]*counter{}
	topic := map[string]bool{}
	for _, b := range fx.barriers {
		if b.team != q.Actor.TeamID || sel[b.caseID] == nil || !in(b.on, p) {
			continue
		}
		row(b.caseID).barriers.add(b.caseID, 1)
		label := b.topic
		if b.partner != "" {
			label = fx.partnerName[b.partner]
		}
		topic[label] = b.partner == ""
		if barriers[label] == nil {
			barriers[label] = &counter{}
		}
		barriers[label].add(b.caseID, 1)
	}
	for label, c := range barriers {
		d.Barriers = append(d.Barriers, kim.BarrierRow{Label: label, Topic: topic[label], Count: c.count()})
	}
	for k, x := range rows {
		r := kim.CaseRow{Dim: k, New: x.nw.count(), Open: x.open.count(), Closed: x.closed.count(), ClosedBy: map[string]kim.Count{},
			Contacts: x.contacts.count(), Minutes: x.minutes.count(), Assessments: x.ass.count(), Reassessments: x.reass.count(),
			GoalsSet: x.gset.count(), GoalsDone: x.gdone.count(), Referrals: x.refs.count(), DomainChanges: x.changes.count(),
			Barriers: x.barriers.count()}
		for reason, c := range x.closedBy {
			r.ClosedBy[reason] = c.count()
		}
		d.Rows = append(d.Rows, r)
	}
	return d
}

// benchToday is the day of the report fixtures.
var benchToday = kim.Date{Y: 2026, M: 11, D: 23}
