// Package opsfixture fills a kimbot database through the /kim commands so
// that every sealed column (store.Sealed) holds known texts: the data of the
// key-rotation, backup and upgrade tests, which then check that each text
// still reads back through kimbot.
package opsfixture

import (
	"context"
	"encoding/json"
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
	Service *commands.Service
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
		store.InstallationSecret.LabelOf(BotTokenKey): {BotToken},
		store.TeamCommandToken.Label:                  {CommandToken},
	}}
	text := func(c store.SealedColumn, s string) string {
		f.Texts[c.Label] = append(f.Texts[c.Label], s)
		return fmt.Sprintf("%q", s)
	}
	Run(t, f.Service, "root", "admin role @anna coach org=Caritas")
	f.Closed = Ref(t, Run(t, f.Service, "anna", "open "+text(store.CasePseudonym, "Frau Ö. (geschlossen)")+" group=refugee domain=SGB2 consent=yes"))
	f.Open = Ref(t, Run(t, f.Service, "anna", "open "+text(store.CasePseudonym, "Herr Ü. (offen)")+" group=eu consent=yes"))
	for _, ref := range []string{f.Closed, f.Open} {
		for i := 1; i <= 3; i++ {
			Run(t, f.Service, "anna", fmt.Sprintf("contact %s phone minutes=%d %s", ref, 10*i, text(store.ContactNote, fmt.Sprintf("Kontakt %d zu %s: Wohnung, Kita", i, ref))))
		}
		Run(t, f.Service, "anna", "assess "+ref+" language=2 work=3 note="+text(store.AssessmentNote, "Einschätzung "+ref+": Sprachkurs fehlt"))
		Run(t, f.Service, "anna", "goal add "+ref+" language "+text(store.GoalText, "B1-Kurs "+ref+" abschließen"))
		Run(t, f.Service, "anna", "consent "+ref+" grant jobcenter")
		Run(t, f.Service, "anna", "refer "+ref+" jobcenter "+text(store.ReferralReason, "Bürgergeld-Antrag "+ref))
		Run(t, f.Service, "anna", "outcome "+ref+" 1 accepted "+text(store.ReferralNote, "bewilligt "+ref))
		Run(t, f.Service, "anna", "barrier "+ref+" jobcenter "+text(store.BarrierText, "Wartezeit beim Jobcenter "+ref))
	}
	Run(t, f.Service, "anna", "close "+f.Closed+" moved "+text(store.CaseCloseNote, "nach Köln verzogen"))
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

// Actor is coach anna of the fixture's team, today.
func Actor() kim.Actor { return kim.Actor{TeamID: TeamID, UserID: CoachID, Today: kim.DateOf(Now)} }

// Read returns everything kimbot reads back of the fixture's sealed values:
// the Art. 15 export of both cases, as JSON, the team's command token and
// the bot token, through the store's own reading paths.
func Read(t testing.TB, st *store.Store, f Fixture) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	a := Actor()
	for _, ref := range []string{f.Closed, f.Open} {
		x, err := st.ExportCase(ctx, a, ref)
		if err != nil {
			t.Fatalf("export %s: %v", ref, err)
		}
		j, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	tokens, err := st.CommandTokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, bot, err := st.Installation(ctx, BotTokenKey)
	if err != nil {
		t.Fatalf("bot token: %v", err)
	}
	fmt.Fprintf(&b, "command token: %s\nbot token: %s\n", tokens[TeamID], bot)
	return b.String()
}

// Check fails the test unless every text of the fixture reads back through
// kimbot (Read), and the fixture covers every sealed column of store.Sealed.
func Check(t testing.TB, st *store.Store, f Fixture) {
	t.Helper()
	got := Read(t, st, f)
	for _, c := range store.Sealed {
		if len(f.Texts[c.LabelOf(BotTokenKey)]) == 0 { // the installation secret the fixture seals is the bot token
			t.Errorf("the fixture puts nothing into %s.%s: extend opsfixture.Fill", c.Table, c.Column)
		}
	}
	for label, texts := range f.Texts {
		for _, s := range texts {
			j, _ := json.Marshal(s)
			if !strings.Contains(got, s) && !strings.Contains(got, string(j[1:len(j)-1])) {
				t.Errorf("%s: %q does not read back; kimbot read:\n%s", label, s, got)
			}
		}
	}
}
