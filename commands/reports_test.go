package commands

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
)

// files stands in for Mattermost's file upload into a DM.
type files struct {
	mu   sync.Mutex
	sent []sentFile
}

type sentFile struct {
	user, name, message string
	data                []byte
}

func (f *files) SendFile(_ context.Context, userID, name string, data []byte, message string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, sentFile{userID, name, message, data})
	return "post", nil
}

func TestReportCommand(t *testing.T) {
	w := newWorld(t)
	fs := &files{}
	w.svc.Files = fs
	// Anna has six cases, Ben three: the team has nine.
	for i := 0; i < 6; i++ {
		w.mustSay("teamA", "anna", "open A"+string(rune('a'+i))+" group=refugee consent=yes")
	}
	for i := 0; i < 3; i++ {
		w.mustSay("teamA", "ben", "open B"+string(rune('a'+i))+" group=eu consent=yes")
	}
	w.mustSay("teamA", "anna", "close K-2026-0001 moved")

	w.mustSay("teamA", "kora", "report", "Bericht 2026 · Team", "| Neue Fälle | 9 |", "| Offene Fälle am 23.11.2026 | 8 |",
		"| – verzogen | <5 Fälle |", "| Abgeschlossene Fälle | <5 Fälle |")
	// 9 new cases, 8 open: the refugees' 6 and 5 would reveal the three and
	// the three open of the EU citizens, so they are withheld.
	w.mustSay("teamA", "kora", "bericht 2026-Q4 by=group", "Nach Zielgruppe: Fälle", "| Geflüchtete | • | • | <5 Fälle |",
		"| Unionsbürger*innen | <5 Fälle | <5 Fälle | 0 |")
	w.mustSay("teamA", "kora", "report 2026-11 by=org", "| Caritas | • |", "| DRK | <5 Fälle |")
	// A coach sees their own figures only.
	w.mustSay("teamA", "anna", "report", "Bericht 2026 · eigene Fälle", "| Neue Fälle | 6 |", "| Offene Fälle am 23.11.2026 | 5 |")
	w.mustSay("teamA", "ben", "report 2026", "Report 2026 · own cases", "| New cases | <5 cases |", "| Open cases on 2026-11-23 | <5 cases |")
	if rep := w.run("teamA", "kora", "report 2026-10"); !strings.Contains(rep.Text, "| Neue Fälle | 0 |") {
		t.Errorf("October has no cases:\n%s", rep.Text)
	}

	// CSV and chart go into the caller's DM.
	w.mustSay("teamA", "kora", "report 2026 format=csv", "kimbot-bericht-2026.csv", "Direktnachricht")
	w.mustSay("teamA", "anna", "bericht 2026 by=field format=diagramm", "kimbot-bericht-2026-field.png")
	if len(fs.sent) != 2 {
		t.Fatalf("%d files sent, want 2", len(fs.sent))
	}
	c := fs.sent[0]
	if c.user != "id-kora" || c.name != "kimbot-bericht-2026.csv" || !strings.Contains(c.message, "Bericht 2026 · Team") {
		t.Errorf("csv sent %+v", c)
	}
	rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(c.data, []byte("\ufeff"))))
	rd.Comma = ';'
	recs, err := rd.ReadAll()
	if err != nil || len(recs) < 20 || strings.Join(recs[0], ";") != "Zeitraum;Bereich;Abschnitt;Zeile;Spalte;Wert" {
		t.Fatalf("csv: %v %q", err, recs[:min(len(recs), 2)])
	}
	if !containsRecord(recs, "2026;Team;Kennzahlen;Neue Fälle;Anzahl;9") || !containsRecord(recs, "2026;Team;Kennzahlen;– verzogen;Anzahl;<5 Fälle") {
		t.Errorf("csv lacks the figures:\n%q", recs)
	}
	p := fs.sent[1]
	if p.user != "id-anna" {
		t.Errorf("chart went to %s", p.user)
	}
	if img, err := png.Decode(bytes.NewReader(p.data)); err != nil || img.Bounds().Dx() < 600 {
		t.Errorf("chart is not a readable PNG: %v", err)
	}

	// Bad periods and options change nothing and say why.
	for _, tc := range []struct{ user, line, want string }{
		{"kora", "report 2027", "hat noch nicht begonnen"},
		{"kora", "report 2026-13", "kein Zeitraum"},
		{"kora", "report 1999", "kein Zeitraum"},
		{"kora", "report 2026 by=colour", "möglich: organisation, gruppe, rechtskreis, handlungsfeld, partner"},
		{"kora", "report 2026 format=pdf", "möglich: tabelle, csv, diagramm"},
		{"nobody", "report", "keine kimbot-Rolle"},
	} {
		if rep := w.run("teamA", tc.user, tc.line); rep.Outcome == "ok" || !strings.Contains(rep.Text, tc.want) {
			t.Errorf("%s %q: %q (%s), want %q", tc.user, tc.line, rep.Text, rep.Outcome, tc.want)
		}
	}
	w.svc.Files = nil
	if rep := w.run("teamA", "kora", "report format=csv"); rep.Outcome != "unavailable" {
		t.Errorf("without file upload: %+v", rep)
	}
}

// The differencing leak through /kim: 7 Rechtskreiswechsel, 6 of anna's
// cases AsylbLG → SGB II and one of ben's SGB II → AsylbLG; 7 referrals, 6
// to the Jobcenter (accepted), 1 to the Sozialamt. Neither the table nor the
// CSV lets the one be worked out as 7 - 6, nor by=org as 7 new cases - 6.
func TestReportWithholdsWhatDifferencingReveals(t *testing.T) {
	w := newWorld(t)
	fs := &files{}
	w.svc.Files = fs
	for i := 1; i <= 7; i++ {
		user, domain, to, partner := "anna", "AsylbLG", "SGB2", "jobcenter"
		if i == 7 {
			user, domain, to, partner = "ben", "SGB2", "AsylbLG", "sozialamt"
		}
		ref := fmt.Sprintf("K-2026-%04d", i)
		w.mustSay("teamA", user, fmt.Sprintf("open P%d group=refugee domain=%s consent=yes", i, domain), ref)
		w.mustSay("teamA", user, "domain "+ref+" "+to)
		w.mustSay("teamA", user, "consent "+ref+" grant "+partner)
		w.mustSay("teamA", user, "refer "+ref+" "+partner+" Antrag")
		w.mustSay("teamA", user, "outcome "+ref+" 1 accepted")
	}
	md := w.mustSay("teamA", "kora", "bericht 2026", "| Rechtskreiswechsel | 7 |", "| Verweise | 7 |", "| SGB II → AsylbLG | <5 Fälle |")
	tabs := testenv.ReportTables(md)
	overview := tabs["Kennzahlen"].Rows
	for _, g := range []struct {
		what, total string
		parts       []string
	}{
		{"changes per pair", overview["Rechtskreiswechsel"][0], tabs["Rechtskreiswechsel"].Column(0)},
		{"referrals per partner", overview["Verweise"][0], tabs["Verweise nach Partner"].Column(0)},
		{"the Jobcenter's outcomes", tabs["Verweise nach Partner"].Rows["Jobcenter"][0], tabs["Verweise nach Partner"].Rows["Jobcenter"][1:6]},
	} {
		if len(g.parts) < 2 || testenv.Revealed(g.total, g.parts) {
			t.Errorf("%s: %s with %q reveals the hidden figure:\n%s", g.what, g.total, g.parts, md)
		}
	}
	byOrg := testenv.ReportTables(w.mustSay("teamA", "kora", "bericht 2026 nach=organisation", "| DRK | <5 Fälle |"))
	if parts := byOrg["Nach Organisation: Fälle"].Column(0); len(parts) != 2 || testenv.Revealed(overview["Neue Fälle"][0], parts) {
		t.Errorf("new cases by organisation %q with %s in all", parts, overview["Neue Fälle"][0])
	}
	// The CSV shows the same figures.
	w.mustSay("teamA", "kora", "bericht 2026 format=csv", "kimbot-bericht-2026.csv")
	rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(fs.sent[0].data, []byte("\ufeff"))))
	rd.Comma = ';'
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var total string
	var pairs []string
	for _, r := range recs[1:] {
		switch {
		case r[2] == "Kennzahlen" && r[3] == "Rechtskreiswechsel":
			total = r[5]
		case r[2] == "Rechtskreiswechsel" && r[4] == "Anzahl":
			pairs = append(pairs, r[5])
		}
	}
	if total != "7" || len(pairs) != 2 || testenv.Revealed(total, pairs) {
		t.Errorf("CSV: %s changes with pairs %q", total, pairs)
	}
}

func containsRecord(recs [][]string, want string) bool {
	for _, r := range recs {
		if strings.Join(r, ";") == want {
			return true
		}
	}
	return false
}

// exports is a commands.Exports that records the link posts.
type exports struct{ files }

func (e *exports) URL(userID, id string, _ time.Time) string {
	return "https://kimbot.test/export/" + userID + "." + id
}
func (e *exports) Post(ctx context.Context, userID, ref, message string) (string, error) {
	return e.SendFile(ctx, userID, ref, nil, message)
}
func (e *exports) Clean(context.Context) error { return nil }
