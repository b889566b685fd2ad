package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reports"
	"github.com/kimbot-nrw/kimbot/store"
)

// largeMunicipality is one year of a large municipality's KIM: 10 000
// cases (opened from December of the year before), 300 000 contacts and
// 40 000 referrals, with assessments, goals, Rechtskreiswechsel and barriers,
// worked by 60 coaches of 8 organisations.
func largeMunicipality(b *testing.B) (*store.Store, *fixture) {
	b.Helper()
	s := testenv.Store(b)
	coaches := map[string]string{}
	for i := 0; i < 60; i++ {
		coaches[fmt.Sprintf("coach%02d", i)] = fmt.Sprintf("Träger %d", i%8)
	}
	start := time.Now()
	fx := seedFixture(b, s, 1, benchToday, []teamFixture{{team: "gross", coaches: coaches}},
		fixtureSize{Cases: 10000, Contacts: 300000, Referrals: 40000, Since: kim.Date{Y: benchToday.Y - 1, M: 12, D: 1}})
	b.Logf("seeded %d cases, %d contacts, %d referrals, %d assessments, %d goals, %d barriers in %s",
		len(fx.cases), len(fx.contacts), len(fx.referrals), len(fx.assessments), len(fx.goals), len(fx.barriers), time.Since(start).Round(time.Millisecond))
	return s, fx
}

// BenchmarkReportLargeMunicipality measures /kim report over the year of a
// large municipality: the team's figures (coordinator), by each dimension,
// and one coach's own. The median report must answer in under a second.
func BenchmarkReportLargeMunicipality(b *testing.B) {
	s, _ := largeMunicipality(b)
	ctx := context.Background()
	year, err := reports.ParsePeriod(fmt.Sprint(benchToday.Y), benchToday)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, by, owner string }{
		{"team", "", ""},
		{"team-by-org", kim.ByOrg, ""},
		{"team-by-partner", kim.ByPartner, ""},
		{"team-by-field", kim.ByField, ""},
		{"coach-own", "", "coach07"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q := store.ReportQuery{Actor: kim.Actor{TeamID: "gross", UserID: "kora", Today: benchToday}, Period: year, By: bc.by, Owner: bc.owner}
			var d kim.ReportData
			var took []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if d, err = s.Report(ctx, q); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t0))
			}
			slices.Sort(took)
			median, slowest := took[len(took)/2], took[len(took)-1]
			if median > time.Second {
				b.Errorf("the median report took %s, want under a second", median)
			}
			b.ReportMetric(float64(median.Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(slowest.Microseconds())/1000, "slowest-ms")
			if bc.owner == "" && bc.by == "" {
				var contacts int64
				for _, r := range d.Rows {
					contacts += r.Contacts.N
				}
				if contacts < 250000 {
					b.Fatalf("the report covers %d contacts: the year is not the fixture's", contacts)
				}
			}
		})
	}
}
