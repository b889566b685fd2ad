package commands

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// directory is a fixed username lookup standing in for Mattermost's user
// list; these tests check the commands, not the lookup.
type directory map[string]kim.User

func (d directory) UserByName(_ context.Context, teamID, name string) (kim.User, error) {
	if u, ok := d[teamID+"/"+name]; ok {
		return u, nil
	}
	return kim.User{}, kim.Errorf(kim.ENOTFOUND, "err.user_not_found", map[string]any{"User": name})
}

// world is a store with two provisioned teams and their people.
type world struct {
	t     *testing.T
	svc   *Service
	st    *store.Store
	dir   directory
	users map[string]kim.User
}

var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, kim.Berlin)

func newWorld(t *testing.T, opts ...store.Option) *world {
	t.Helper()
	st := testenv.Store(t, opts...)
	ctx := context.Background()
	w := &world{t: t, st: st, dir: directory{}, users: map[string]kim.User{}}
	w.svc = &Service{Store: st, Dir: w.dir, Clock: func() time.Time { return testNow }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, team := range []string{"teamA", "teamB"} {
		if _, err := st.UpsertTeam(ctx, team, strings.ToLower(team), "cmd-"+team, "tok-"+team); err != nil {
			t.Fatal(err)
		}
	}
	add := func(team, name string, sysadmin bool, locale string) {
		u := kim.User{ID: "id-" + name, Username: name, SysAdmin: sysadmin, Locale: locale}
		w.users[name] = u
		w.dir[team+"/"+name] = u
		if _, err := st.SyncUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	add("teamA", "root", true, "de")
	add("teamA", "anna", false, "de")
	add("teamA", "ben", false, "en")
	add("teamA", "kora", false, "de")
	add("teamA", "nobody", false, "de")
	add("teamB", "bea", false, "de")
	add("teamB", "root", true, "de")
	w.run("teamA", "root", "admin role @anna coach org=Caritas")
	w.run("teamA", "root", "admin role @ben coach org=DRK")
	w.run("teamA", "root", "admin role @kora coordinator")
	w.run("teamB", "root", "admin role @bea coach")
	return w
}

// run executes a command line as a user of a team.
func (w *world) run(team, user, line string) Reply {
	w.t.Helper()
	u, err := w.st.User(context.Background(), w.users[user].ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.svc.Execute(context.Background(), Request{TeamID: team, User: u, Text: line})
}

func (w *world) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.st.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func TestFoundationCommands(t *testing.T) {
	w := newWorld(t)
	rep := w.run("teamA", "anna", "open AB group=refugee domain=SGB2 consent=yes")
	if rep.Outcome != "ok" || !strings.Contains(rep.Text, "K-2026-0001") {
		t.Fatalf("open: %+v", rep)
	}
	if rep := w.run("teamA", "anna", "neu \"C. D.\" group=eu consent=ja"); !strings.Contains(rep.Text, "K-2026-0002") {
		t.Fatalf("second open: %q", rep.Text)
	}
	if rep := w.run("teamB", "bea", "open XY group=other consent=yes"); !strings.Contains(rep.Text, "K-2026-0001") {
		t.Fatalf("numbering is per team: %q", rep.Text)
	}
	rep = w.run("teamA", "anna", "faelle")
	if !strings.Contains(rep.Text, "K-2026-0001") || !strings.Contains(rep.Text, "C. D.") || !strings.Contains(rep.Text, "Erstgespräch") {
		t.Fatalf("cases: %q", rep.Text)
	}
	rep = w.run("teamA", "anna", "zeige k-2026-0001")
	for _, want := range []string{"K-2026-0001 · AB", "Geflüchtete", "Rechtskreis: SGB II", "Erstgespräch", "Verarbeitung (schriftlich, 23.11.2026)", "07.12.2026", "21.12.2026"} {
		if !strings.Contains(rep.Text, want) {
			t.Errorf("card lacks %q:\n%s", want, rep.Text)
		}
	}
	if rep := w.run("teamA", "ben", "show K-2026-0001"); rep.Outcome != kim.ENOTFOUND || !strings.Contains(rep.Text, "No case K-2026-0001") {
		t.Fatalf("ben (English) sees anna's case or gets a German answer: %q", rep.Text)
	}
}

// Refusals: each gets a clear answer in the user's language, and nothing is stored.
func TestFoundationRefusals(t *testing.T) {
	w := newWorld(t)
	w.run("teamA", "anna", "open AB group=refugee consent=yes")
	before := w.count(`SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM memberships)`)
	for _, tc := range []struct {
		team, user, line, want, outcome string
	}{
		{"teamA", "nobody", "open AB group=eu consent=yes", "keine kimbot-Rolle", kim.EFORBIDDEN},
		{"teamA", "nobody", "cases", "keine kimbot-Rolle", kim.EFORBIDDEN},
		{"teamA", "ben", "show K-2026-0001", "No case K-2026-0001 that you own", kim.ENOTFOUND},
		{"teamB", "bea", "show K-2026-0001", "Keinen Fall K-2026-0001", kim.ENOTFOUND},
		{"teamA", "kora", "show K-2026-0001", "ist nur für Coaches", kim.EFORBIDDEN},
		{"teamA", "kora", "open AB group=eu consent=yes", "ist nur für Coaches", kim.EFORBIDDEN},
		{"teamA", "anna", "admin role @ben none", "ist nur für Admins", kim.EFORBIDDEN},
		{"teamA", "anna", "open AB group=eu", "Es fehlt: `einwilligung=<ja|nein>`.", kim.EINVALID},
		{"teamA", "anna", "open AB group=eu consent=no", "Einwilligung", kim.EINVALID},
		{"teamA", "anna", "open AB group=alien consent=yes", "möglich: Geflüchtete, Unionsbürger, Drittstaatsangehörige, Sonstige", kim.EINVALID},
		{"teamA", "anna", "show K-42-1", "kein Aktenzeichen", kim.EINVALID},
		{"teamA", "anna", "zaubere", "Unbekannter Befehl", kim.EINVALID},
		{"teamA", "ben", "zaubere", "Unknown command", kim.EINVALID},
		{"teamA", "root", "admin role @ghost coach", "@ghost ist kein Mitglied", kim.ENOTFOUND},
	} {
		rep := w.run(tc.team, tc.user, tc.line)
		if !strings.Contains(rep.Text, tc.want) || rep.Outcome != tc.outcome {
			t.Errorf("%s@%s %q: got %q (%s), want %q (%s)", tc.user, tc.team, tc.line, rep.Text, rep.Outcome, tc.want, tc.outcome)
		}
	}
	if after := w.count(`SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM memberships)`); after != before {
		t.Fatalf("refused commands changed the database: %d rows before, %d after", before, after)
	}
}

func TestRolesAndSettings(t *testing.T) {
	w := newWorld(t)
	if rep := w.run("teamA", "root", "admin role @nobody coordinator"); !strings.Contains(rep.Text, "@nobody hat jetzt die Rolle Koordination") {
		t.Fatalf("grant: %q", rep.Text)
	}
	if rep := w.run("teamA", "nobody", "help"); !strings.Contains(rep.Text, "Ihre Rolle: Koordination") {
		t.Fatalf("help shows role: %q", rep.Text)
	}
	w.run("teamA", "root", "admin role @nobody none")
	if rep := w.run("teamA", "nobody", "cases"); !strings.Contains(rep.Text, "keine kimbot-Rolle") {
		t.Fatalf("role not removed: %q", rep.Text)
	}
	// A team admin is named as the person to ask.
	w.run("teamA", "root", "admin role @kora admin")
	if rep := w.run("teamA", "nobody", "cases"); !strings.Contains(rep.Text, "@kora") {
		t.Fatalf("no-role answer should name the admin: %q", rep.Text)
	}
	if rep := w.run("teamA", "anna", "settings lang=en digest=7:15"); !strings.Contains(rep.Text, "Saved. Daily digest 07:15") {
		t.Fatalf("settings: %q", rep.Text)
	}
	if rep := w.run("teamA", "anna", "show K-2099-0001"); !strings.Contains(rep.Text, "No case") {
		t.Fatalf("lang=en not applied: %q", rep.Text)
	}
	if rep := w.run("teamA", "anna", "settings digest=aus lang=de"); !strings.Contains(rep.Text, "Tagesübersicht aus") {
		t.Fatalf("digest off: %q", rep.Text)
	}
	if rep := w.run("teamA", "anna", "settings digest=25:00"); rep.Outcome != kim.EINVALID {
		t.Fatalf("bad digest time accepted: %q", rep.Text)
	}
}
