package commands

import (
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// BenchmarkParse is the parsing of the load driver's commands (bench/load),
// which runs on every slash command.
func BenchmarkParse(b *testing.B) {
	lines := []string{"show K-2026-0042", "cases", "contact K-2026-0042 phone minutes=10 Anruf wegen Termin"}
	n := 0
	for b.Loop() {
		if _, err := parse(lines[n%len(lines)], true, kim.Date{Y: 2026, M: 12, D: 3}); err != nil {
			b.Fatal(err)
		}
		n++
	}
}
