package commands

import (
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// /kim heute shows what the digest would hold now — the caller's own items
// and those held as deputy, grouped by case — audits the cases it shows and
// marks nothing delivered.
func TestToday(t *testing.T) {
	w := newWorld(t) // Monday 23.11.2026
	w.ok("anna", "heute", "Heute (23.11.2026) ist nichts fällig oder überfällig.")
	w.ok("anna", "neu AB gruppe=eu einwilligung=ja datum=26.10.2026", "K-2026-0001") // first assessment overdue since 09.11.
	w.ok("anna", "ziel neu AB Arbeit Praktikum suchen fällig=heute", "Ziel 1")
	w.ok("ben", "neu CD gruppe=eu einwilligung=ja datum=01.11.2026", "K-2026-0002")
	w.ok("ben", "abwesend 23.11.2026 27.11.2026 vertretung=@anna")

	rep := w.ok("anna", "heute", "**Tagesübersicht für 23.11.2026**", "**K-2026-0001 · AB**", "**Ersteinschätzung** – fällig seit 09.11.2026 (14 Tage)",
		"**Ziel 1 (Arbeit): Praktikum suchen** – heute fällig · `/kim ziel erreicht K-2026-0001 1`",
		"(14 Tage) · `/kim einschätzung K-2026-0001`", "**K-2026-0002 · CD · Vertretung für @ben**", "`/kim zeige <fall>`")
	if strings.Index(rep.Text, "K-2026-0001") > strings.Index(rep.Text, "K-2026-0002") {
		t.Errorf("own items come first:\n%s", rep.Text)
	}
	w.ok("ben", "today", "**K-2026-0002 · CD**", "**First assessment** – due since 2026-11-16 (7 days)") // away, he still sees his own
	w.want("teamB", "bea", "heute", "ok", "nichts fällig")                                               // another team's cases never
	w.want("teamA", "nobody", "heute", kim.EFORBIDDEN)

	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'reminder.today' AND actor_id = 'id-anna'
		AND case_ids = ARRAY(SELECT id FROM cases WHERE ref IN ('K-2026-0001', 'K-2026-0002') ORDER BY id)`); n != 1 {
		t.Errorf("%d audit rows naming both cases for anna's view, want 1", n)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'reminder.today' AND actor_id <> 'id-anna'`); n != 1 {
		t.Errorf("%d audit rows for the others' views, want ben's one (the first view and bea's showed no case)", n)
	}
	if n := w.count(`SELECT count(*) FROM reminder_deliveries`); n != 0 {
		t.Errorf("the view marked %d deliveries", n)
	}
}
