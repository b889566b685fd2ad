package e2e

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/kim"
)

// tally is a figure the test counts itself while it creates the data: how many, and of how
// many distinct cases.
type tally struct {
	n     int
	cases map[string]bool
}

func (x *tally) add(ref string, n int) {
	if x.cases == nil {
		x.cases = map[string]bool{}
	}
	x.n += n
	x.cases[ref] = true
}

// shown is how the report must show the figure: "<5 Fälle" when it rests on 1 to 4 cases.
func (x *tally) shown() string {
	if c := len(x.cases); c > 0 && c < 5 {
		return "<5 Fälle"
	}
	return fmt.Sprint(x.n)
}

// figures are the report's key figures for one scope (team, a coach, an organisation).
type figures struct {
	new, open, closed, moved, contacts, minutes, assessments, reassessments tally
	goalsSet, goalsDone, referrals, domainChanges, barriers                 tally
}

// reportFile finds the bot's DM post to u with a file named name and returns the file's info
// and content.
func (u *user) reportFile(t *testing.T, name string) (*model.FileInfo, []byte, *model.Post) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		for _, p := range u.botDMs(t) {
			if len(p.FileIds) == 0 {
				continue
			}
			infos, _, err := u.GetFileInfosForPost(ctxT(t), p.Id, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, fi := range infos {
				if fi.Name == name {
					data, _, err := u.GetFile(ctxT(t), fi.Id)
					if err != nil {
						t.Fatal(err)
					}
					return fi, data, p
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no file %s in %s's DM with the bot:\n%s", name, u.Username(), postsText(u.botDMs(t)))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestReports: two coaches of two organisations work cases through Mattermost; the test counts
// every figure itself as it goes. The coordinator's team report, the report by organisation and
// each coach's own report show exactly those figures, with every figure of fewer than five cases
// as "<5 Fälle"; the CSV and the PNG chart arrive as files in the caller's DM with the bot.
func TestReports(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	anna := env.newUser(t, "anna", "de")
	ben := env.newUser(t, "ben", "de")
	coord := env.newUser(t, "koordination", "de")
	env.grant(t, anna, "coach", "org=Caritas")
	env.grant(t, ben, "coach", "org=DRK")
	env.grant(t, coord, "coordinator")

	team := &figures{}
	own := map[*user]*figures{anna: {}, ben: {}}
	count := func(u *user, f func(*figures) *tally, ref string, n int) {
		f(team).add(ref, n)
		f(own[u]).add(ref, n)
	}
	open := func(u *user, pseudonym, group string) string {
		ref := caseRefRE.FindString(u.kimOK(t, "open "+pseudonym+" group="+group+" consent=yes"))
		if ref == "" {
			t.Fatalf("%s could not open a case", u.Username())
		}
		count(u, func(x *figures) *tally { return &x.new }, ref, 1)
		return ref
	}
	var a, b []string
	for i := 1; i <= 6; i++ {
		a = append(a, open(anna, fmt.Sprintf("A%d", i), "refugee"))
	}
	for i := 1; i <= 3; i++ {
		b = append(b, open(ben, fmt.Sprintf("B%d", i), "eu"))
	}
	// Contacts: one of 30 minutes for each of anna's cases, two of 20 for ben's first.
	for _, ref := range a {
		anna.kimOK(t, "contact "+ref+" phone minutes=30 Erstkontakt")
		count(anna, func(x *figures) *tally { return &x.contacts }, ref, 1)
		count(anna, func(x *figures) *tally { return &x.minutes }, ref, 30)
	}
	for i := 0; i < 2; i++ {
		ben.kimOK(t, "kontakt "+b[0]+" persoenlich minutes=20 Beratung")
		count(ben, func(x *figures) *tally { return &x.contacts }, b[0], 1)
		count(ben, func(x *figures) *tally { return &x.minutes }, b[0], 20)
	}
	// Assessments of five cases, one re-assessment; five goals, one achieved.
	for _, ref := range a[:5] {
		anna.kimOK(t, "assess "+ref+" language=2 work=1")
		count(anna, func(x *figures) *tally { return &x.assessments }, ref, 1)
		anna.kimOK(t, "goal add "+ref+" language B1-Kurs")
		count(anna, func(x *figures) *tally { return &x.goalsSet }, ref, 1)
	}
	anna.kimOK(t, "assess "+a[0]+" language=3 work=2")
	count(anna, func(x *figures) *tally { return &x.reassessments }, a[0], 1)
	anna.kimOK(t, "goal done "+a[0]+" 1")
	count(anna, func(x *figures) *tally { return &x.goalsDone }, a[0], 1)
	// Referrals of five cases to the Jobcenter, four with an outcome (median over 4: "<5 Fälle").
	for i, ref := range a[:5] {
		anna.kimOK(t, "consent "+ref+" grant jobcenter")
		anna.kimOK(t, "refer "+ref+" jobcenter Bürgergeld-Antrag")
		count(anna, func(x *figures) *tally { return &x.referrals }, ref, 1)
		if i < 4 {
			anna.kimOK(t, "outcome "+ref+" 1 accepted")
		}
	}
	anna.kimOK(t, "domain "+a[1]+" SGB2")
	count(anna, func(x *figures) *tally { return &x.domainChanges }, a[1], 1)
	anna.kimOK(t, `barrier `+a[2]+` jobcenter "Termine erst nach 8 Wochen"`)
	anna.kimOK(t, "barrier confirm "+a[2]+" 1")
	count(anna, func(x *figures) *tally { return &x.barriers }, a[2], 1)
	ben.kimOK(t, `barrier `+b[1]+` jobcenter "Rückruf dauert"`)
	ben.kimOK(t, "barrier confirm "+b[1]+" 1")
	count(ben, func(x *figures) *tally { return &x.barriers }, b[1], 1)
	anna.kimOK(t, "close "+a[5]+" moved")
	count(anna, func(x *figures) *tally { return &x.closed }, a[5], 1)
	count(anna, func(x *figures) *tally { return &x.moved }, a[5], 1)
	for _, f := range []*figures{team, own[anna], own[ben]} {
		f.open = tally{}
	}
	for _, ref := range a[:5] {
		count(anna, func(x *figures) *tally { return &x.open }, ref, 1)
	}
	for _, ref := range b {
		count(ben, func(x *figures) *tally { return &x.open }, ref, 1)
	}

	today := kim.DateOf(time.Now().In(kim.Berlin))
	year := fmt.Sprint(today.Y)
	lines := func(f *figures) []string {
		return []string{
			"| Neue Fälle | " + f.new.shown() + " |",
			"| Offene Fälle am " + today.German() + " | " + f.open.shown() + " |",
			"| Abgeschlossene Fälle | " + f.closed.shown() + " |",
			"| – verzogen | " + f.moved.shown() + " |",
			"| Kontakte | " + f.contacts.shown() + " |",
			"| Kontaktminuten | " + f.minutes.shown() + " |",
			"| Ersteinschätzungen | " + f.assessments.shown() + " |",
			"| Re-Assessments | " + f.reassessments.shown() + " |",
			"| Ziele vereinbart | " + f.goalsSet.shown() + " |",
			"| Ziele erreicht | " + f.goalsDone.shown() + " |",
			"| Verweise | " + f.referrals.shown() + " |",
			"| Rechtskreiswechsel | " + f.domainChanges.shown() + " |",
			"| Strukturhinweise | " + f.barriers.shown() + " |",
		}
	}
	// The team's figures, as the coordinator sees them.
	coord.kimOK(t, "report "+year, append([]string{"Bericht " + year + " · Team"}, lines(team)...)...)
	// Sanity: both sides of the threshold are really tested.
	if team.new.shown() != "9" || team.closed.shown() != "<5 Fälle" || team.contacts.shown() != "8" || team.minutes.shown() != "220" {
		t.Fatalf("the test's own figures are off: %+v", team)
	}
	// Referrals per partner: 5 referrals; the 4 accepted, the 1 pending and the median over 4 are
	// "<5 Fälle" (a bare "<5" in the median's column would read as days).
	coord.kimOK(t, "report "+year+" by=partner", "| Jobcenter | 5 | <5 Fälle | 0 | <5 Fälle | 0 | 0 | <5 Fälle |",
		"| Jobcenter | <5 Fälle |")
	// Each coach's own.
	anna.kimOK(t, "bericht", append([]string{"Bericht " + year + " · eigene Fälle"}, lines(own[anna])...)...)
	ben.kimOK(t, "bericht "+year, append([]string{"eigene Fälle"}, lines(own[ben])...)...)
	// By organisation: Caritas (anna) and DRK (ben), in three tables narrow enough for a chat window.
	// The two add up to the team's figure: where one is "<5 Fälle" and the team's is shown, the
	// other is withheld ("•"), or the team's figure minus it would reveal the small one.
	cols := func(f *figures) []tally {
		return []tally{f.new, f.open, f.closed, f.contacts, f.minutes, f.assessments, f.reassessments,
			f.goalsSet, f.goalsDone, f.referrals, f.domainChanges, f.barriers}
	}
	teamCols, caritas, drk := cols(team), cols(own[anna]), cols(own[ben])
	shownOrg := [2][]string{}
	for i := range teamCols {
		c, d := caritas[i].shown(), drk[i].shown()
		small := func(x tally) bool { return x.shown() == "<5 Fälle" }
		if !small(teamCols[i]) && small(caritas[i]) != small(drk[i]) {
			if small(drk[i]) && caritas[i].n > 0 {
				c = "•"
			} else if small(caritas[i]) && drk[i].n > 0 {
				d = "•"
			}
		}
		shownOrg[0], shownOrg[1] = append(shownOrg[0], c), append(shownOrg[1], d)
	}
	if shownOrg[0][0] != "•" {
		t.Fatalf("the test's own figures no longer withhold Caritas's new cases: %q", shownOrg[0])
	}
	var wantOrg []string
	for i, name := range []string{"Caritas", "DRK"} {
		v := shownOrg[i]
		for _, part := range [][]string{v[0:3], v[3:7], v[7:12]} {
			wantOrg = append(wantOrg, "| "+name+" | "+strings.Join(part, " | ")+" |")
		}
	}
	byOrg := coord.kimOK(t, "report "+year+" by=org", append([]string{"**Nach Organisation: Fälle**",
		"**Nach Organisation: Kontakte und Einschätzungen**", "**Nach Organisation: Ziele, Verweise und Hinweise**"}, wantOrg...)...)
	for _, line := range strings.Split(byOrg, "\n") {
		if n := strings.Count(line, "|") - 1; n > 6 {
			t.Errorf("by=org table of %d columns, too wide for a chat window: %s", n, line)
		}
	}

	// The CSV in the coordinator's DM.
	coord.kimOK(t, "report "+year+" format=csv", "kimbot-bericht-"+year+".csv")
	fi, data, post := coord.reportFile(t, "kimbot-bericht-"+year+".csv")
	if fi.Extension != "csv" || fi.Size == 0 || !strings.Contains(post.Message, "Bericht "+year+" · Team") {
		t.Errorf("CSV file info %+v, post %q", fi, post.Message)
	}
	rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	rd.Comma = ';'
	recs, err := rd.ReadAll()
	if err != nil || len(recs) < 2 || strings.Join(recs[0], ";") != "Zeitraum;Bereich;Abschnitt;Zeile;Spalte;Wert" {
		t.Fatalf("CSV: %v\n%q", err, data)
	}
	want := map[string]string{"Neue Fälle": team.new.shown(), "Kontakte": team.contacts.shown(), "Kontaktminuten": team.minutes.shown(),
		"– verzogen": team.moved.shown(), "Re-Assessments": team.reassessments.shown()}
	for _, r := range recs[1:] {
		if w, ok := want[r[3]]; ok && r[2] == "Kennzahlen" {
			if r[5] != w {
				t.Errorf("CSV %s = %q, want %q", r[3], r[5], w)
			}
			delete(want, r[3])
		}
	}
	if len(want) > 0 {
		t.Errorf("CSV lacks %v", want)
	}
	// The chart in anna's DM: a PNG a person can look at.
	anna.kimOK(t, "report "+year+" by=field format=chart", "kimbot-bericht-"+year+"-field.png")
	fi, data, _ = anna.reportFile(t, "kimbot-bericht-"+year+"-field.png")
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil || fi.MimeType != "image/png" || img.Bounds().Dx() < 600 || img.Bounds().Dy() < 300 {
		t.Fatalf("chart: %v, %+v", err, fi)
	}
	if fs := coord.botDMs(t); len(fs) == 0 {
		t.Fatal("no DM to the coordinator")
	}
	// Nobody else got the files: ben's DM with the bot has none.
	for _, p := range ben.botDMs(t) {
		if len(p.FileIds) > 0 {
			t.Errorf("ben got a file: %s", devstackPost(p))
		}
	}
}

func devstackPost(p *model.Post) string { return fmt.Sprintf("%s %v", p.Message, p.FileIds) }
