package commands

import (
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Report periods typed as coordinators say them.
func TestPeriodWords(t *testing.T) {
	dec, jan := kim.Date{Y: 2026, M: 12, D: 4}, kim.Date{Y: 2027, M: 1, D: 15}
	for _, c := range []struct {
		today kim.Date
		in    string
		want  string // the period's label; "" refused
	}{
		{dec, "Dezember", "2026-12"},
		{jan, "Dezember", "2026-12"}, // the latest December that has begun
		{dec, "Nov.", "2026-11"},
		{dec, "März 2025", "2025-03"},
		{dec, "maerz", "2026-03"},
		{dec, "12/2025", "2025-12"},
		{dec, "7.2026", "2026-07"},
		{dec, "Q3", "2026-Q3"},
		{jan, "Q4", "2026-Q4"},
		{dec, "q2 2025", "2025-Q2"},
		{dec, "Q2/2025", "2025-Q2"},
		{dec, "3. Quartal", "2026-Q3"},
		{dec, "1. Quartal 2026", "2026-Q1"},
		{dec, "dieses Jahr", "2026"},
		{dec, "letztes Jahr", "2025"},
		{dec, "Vorjahr", "2025"},
		{dec, "diesen Monat", "2026-12"},
		{jan, "letzten Monat", "2026-12"},
		{jan, "Vormonat", "2026-12"},
		{jan, "letztes Quartal", "2026-Q4"},
		{dec, "dieses Quartal", "2026-Q4"},
		{dec, "last month", "2026-11"},
		{jan, "letzter Monat", "2026-12"}, // as a coach says it, not as the form asks
		{dec, "dieser Monat", "2026-12"},
		{dec, "voriges Jahr", "2025"},
		{jan, "vergangener Monat", "2026-12"},
		{dec, "Monat", ""},
		{dec, "13/2026", ""},
		{dec, "5. Quartal", ""},
		{dec, "letzten Vormonat", ""},
		{dec, "Dienstag", ""},
	} {
		p, ok := periodWords(c.in, c.today)
		if got := map[bool]string{true: p.Label}[ok]; got != c.want {
			t.Errorf("%s, %q: %q, want %q", c.today, c.in, got, c.want)
		}
	}
}

// The report command takes them, of one word or several, before its options.
func TestReportPeriodInWords(t *testing.T) {
	w := newWorld(t)
	w.clockAt(testNow) // 23.11.2026
	w.ok("kora", "bericht November nach rechtskreis", "Bericht 2026-11")
	w.ok("kora", "bericht Oktober 2026", "Bericht 2026-10")
	w.ok("kora", "bericht 3. Quartal 2026 nach partner", "Bericht 2026-Q3")
	w.ok("kora", "bericht letzten Monat", "Bericht 2026-10")
	w.want("teamA", "kora", "bericht Dezember 2026", kim.EINVALID) // has not begun
	w.want("teamA", "kora", "bericht Sommer", kim.EINVALID, "kein Zeitraum")
}
