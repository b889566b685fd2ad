// Package opsfixture fills a kimbot database through the /kim commands so
// that every sealed column (store.Sealed) holds known texts: the data of the
// key-rotation, backup and upgrade tests, which then check that each text
// still reads back through kimbot.
//
// This file uses only what the previous release (2606729) offers as well:
// scripts/upgrade-fixture compiles it into that release to make the upgrade
// test's database. Labels are the sealing labels of store.Sealed, as strings.
package opsfixture

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// Now is the commands' clock: Monday 23.11.2026, 10:00 in Berlin.
var Now = time.Date(2026, 11, 23, 10, 0, 0, 0, kim.Berlin)

// The team, its people and the installation secret the fixture makes.
const (
	TeamID, TeamName, CommandToken = "team-ops", "ops", "command-token-of-team-ops"
	BotTokenKey, BotID, BotToken   = "bot_token", "bot-ops", "bot-token-sealed-by-provision"
	AdminID, CoachID               = "id-root", "id-anna"
)

// Fixture is a filled database: two cases of coach anna, one closed, and
// the texts each sealed column holds, by label.
type Fixture struct {
	Service *commands.Service `json:"-"`
	// Closed is closed with a note; Open stays open.
	Closed, Open string
	// Texts are the plaintexts of each column's values, by SealedColumn.LabelOf.
	Texts map[string][]string
}

// directory resolves @names of the fixture's team.
type directory map[string]kim.User

func (d directory) UserByName(_ context.Context, _, name string) (kim.User, error) {
	if u, ok := d[name]; ok {
		return u, nil
	}
	return kim.User{}, kim.Errorf(kim.ENOTFOUND, "err.user_not_found", map[string]any{"User": name})
}

// Users are the fixture's people.
var Users = directory{
	"root": {ID: AdminID, Username: "root", SysAdmin: true, Locale: "de"},
	"anna": {ID: CoachID, Username: "anna", Locale: "de"},
}

// NewService returns the commands service on st with the fixture's clock and people.
func NewService(st *store.Store) *commands.Service {
	return &commands.Service{Store: st, Dir: Users, Clock: func() time.Time { return Now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// Fill provisions the team (as `kimbot provision` would store it) and works
// two cases through the commands so that every sealed column holds a value.
func Fill(t testing.TB, st *store.Store) Fixture {
	t.Helper()
	ctx := context.Background()
	if _, err := st.UpsertTeam(ctx, TeamID, TeamName, "cmd-ops", CommandToken); err != nil {
		t.Fatal(err)
	}
	if err := st.SetInstallation(ctx, BotTokenKey, BotID, BotToken); err != nil {
		t.Fatal(err)
	}
	for _, u := range Users {
		if _, err := st.SyncUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	f := Fixture{Service: NewService(st), Texts: map[string][]string{
		"installation." + BotTokenKey: {BotToken},
		"team.command_token":          {CommandToken},
	}}
	text := func(label, s string) string {
		f.Texts[label] = append(f.Texts[label], s)
		return fmt.Sprintf("%q", s)
	}
	Run(t, f.Service, "root", "admin role @anna coach org=Caritas")
	f.Closed = Ref(t, Run(t, f.Service, "anna", "open "+text("case.pseudonym", "Frau Ö. (geschlossen)")+" group=refugee domain=SGB2 consent=yes"))
	f.Open = Ref(t, Run(t, f.Service, "anna", "open "+text("case.pseudonym", "Herr Ü. (offen)")+" group=eu consent=yes"))
	for j, ref := range []string{f.Closed, f.Open} {
		for i := 1; i <= 3; i++ {
			Run(t, f.Service, "anna", fmt.Sprintf("contact %s phone minutes=%d %s", ref, 10*i, text("contact.note", fmt.Sprintf("Kontakt %d zu %s: Wohnung, Kita", i, ref))))
		}
		Run(t, f.Service, "anna", "assess "+ref+" language=2 work=3 note="+text("assessment.note", "Einschätzung "+ref+": Sprachkurs fehlt"))
		Run(t, f.Service, "anna", "goal add "+ref+" language "+text("goal.text", "B1-Kurs "+ref+" abschließen"))
		Run(t, f.Service, "anna", "consent "+ref+" grant jobcenter")
		Run(t, f.Service, "anna", "refer "+ref+" jobcenter "+text("referral.reason", "Bürgergeld-Antrag "+ref))
		Run(t, f.Service, "anna", "outcome "+ref+" 1 accepted "+text("referral.outcome_note", "bewilligt "+ref))
		Run(t, f.Service, "anna", "barrier "+ref+" jobcenter "+text("barrier.text", fmt.Sprintf("Wartezeit beim Jobcenter: %d Wochen", 8+2*j)))
	}
	Run(t, f.Service, "anna", "close "+f.Closed+" moved "+text("case.close_note", "nach Köln verzogen"))
	return f
}

// Run executes a command line as one of the fixture's people and fails the
// test unless it succeeds; it returns the answer.
func Run(t testing.TB, svc *commands.Service, user, line string) string {
	t.Helper()
	u, err := svc.Store.User(context.Background(), Users[user].ID)
	if err != nil {
		t.Fatal(err)
	}
	rep := svc.Execute(context.Background(), commands.Request{TeamID: TeamID, User: u, Text: line})
	if rep.Outcome != "ok" {
		t.Fatalf("/kim %s: %s: %s", line, rep.Outcome, rep.Text)
	}
	return rep.Text
}

// Ref returns the case reference in an answer.
func Ref(t testing.TB, answer string) string {
	t.Helper()
	i := strings.Index(answer, "K-2026-")
	if i < 0 {
		t.Fatalf("no case reference in %q", answer)
	}
	return answer[i : i+len("K-2026-0000")]
}
