package commands

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"
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
	w.mustSay("teamA", "kora", "bericht 2026-Q4 by=group", "Nach Zielgruppe: Fälle", "| Geflüchtete | 6 | 5 | <5 Fälle |",
		"| Unionsbürger*innen | <5 Fälle | <5 Fälle | 0 |")
	w.mustSay("teamA", "kora", "report 2026-11 by=org", "| Caritas | 6 |", "| DRK | <5 Fälle |")
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
