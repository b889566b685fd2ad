package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
)

// profile is what the bot hands Execute: the user as Mattermost knows them,
// without kimbot's own settings.
func (w *world) profile(user string) kim.User {
	u := w.users[user]
	return kim.User{ID: u.ID, Username: u.Username, Locale: u.Locale, TimeZone: u.TimeZone, SysAdmin: u.SysAdmin}
}

// runAs executes a command with the caller's Mattermost profile only.
func (w *world) runAs(team string, p kim.User, line string) Reply {
	return w.svc.Execute(context.Background(), Request{TeamID: team, User: p, Text: line})
}

// A command makes one round trip to Postgres, two when it writes (the
// second carries the commit): the caller's settings and role are read in
// the first, with the command's own work. A card's audit row goes beside
// its reads on a connection of its own (store.Card), which this pool of one
// connection takes in turn: two.
func TestCommandRoundTrips(t *testing.T) {
	var trips testenv.RoundTrips
	w := newWorld(t, trips.Option())
	w.run("teamA", "anna", "open AB group=refugee consent=yes")
	for _, tc := range []struct {
		line string
		max  int
		want string
	}{
		{"show K-2026-0001", 2, "K-2026-0001 · AB"},
		{"zeige K-2026-0001", 2, "K-2026-0001 · AB"},
		{"cases", 1, "K-2026-0001"},
		{"faelle faellig", 1, "Nichts fällig"},
		{"contact K-2026-0001 phone minutes=20 Termin vorbereitet", 2, "K-2026-0001"},
		{"help", 1, "/kim"},
	} {
		w.runAs("teamA", w.profile("anna"), tc.line) // prepares the statements on the connection
		var rep Reply
		n := trips.During(func() { rep = w.runAs("teamA", w.profile("anna"), tc.line) })
		if rep.Outcome != "ok" || !strings.Contains(rep.Text, tc.want) {
			t.Errorf("%q: %+v", tc.line, rep)
		}
		if n > tc.max {
			t.Errorf("%q: %d round trips, want at most %d", tc.line, n, tc.max)
		}
	}
}

// kimbot's own settings come from the database with the command, not from
// the profile: a language chosen with /kim settings applies at once, and a
// refusal of a folded verb is the refusal of any other verb.
func TestCallerSettingsAndRefusalsFromTheDatabase(t *testing.T) {
	w := newWorld(t)
	w.run("teamA", "anna", "open AB group=refugee consent=yes")
	if rep := w.runAs("teamA", w.profile("anna"), "settings lang=en"); rep.Outcome != "ok" {
		t.Fatalf("settings: %+v", rep)
	}
	for _, line := range []string{"show K-2099-0001", "contact K-2099-0001 phone x", "cases closed"} {
		if rep := w.runAs("teamA", w.profile("anna"), line); !strings.Contains(rep.Text, "No case") && !strings.Contains(rep.Text, "closed cases") {
			t.Errorf("%q: not in the language of the settings: %q", line, rep.Text)
		}
	}
	for _, tc := range []struct{ user, line, want string }{
		{"kora", "show K-2026-0001", "ist nur für Coaches"},
		{"kora", "contact K-2026-0001 phone x", "ist nur für Coaches"},
		{"nobody", "cases", "keine kimbot-Rolle"},
		{"root", "show K-2026-0001", "ist nur für Coaches"}, // a system admin is no coach
	} {
		before := w.count(`SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM contacts)`)
		if rep := w.runAs("teamA", w.profile(tc.user), tc.line); rep.Outcome != kim.EFORBIDDEN || !strings.Contains(rep.Text, tc.want) {
			t.Errorf("%s %q: %+v", tc.user, tc.line, rep)
		}
		if after := w.count(`SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM contacts)`); after != before {
			t.Errorf("%s %q wrote %d rows", tc.user, tc.line, after-before)
		}
	}
	// A profile that changed in Mattermost reaches the users row with the command.
	p := w.profile("ben")
	p.Locale, p.TimeZone = "de", "Europe/Vienna"
	w.runAs("teamA", p, "cases")
	if u, err := w.st.User(context.Background(), p.ID); err != nil || u.Locale != "de" || u.TimeZone != "Europe/Vienna" {
		t.Fatalf("users row after a changed profile: %+v, %v", u, err)
	}
}
