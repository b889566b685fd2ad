package opsfixture

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// New makes a fresh database, migrates it, fills it (Fill) sealing with the
// master key, and returns its URL, the store on it and the fixture.
func New(t testing.TB, key string) (string, *store.Store, Fixture) {
	t.Helper()
	url := testenv.NewDatabase(t)
	st := testenv.OpenStore(t, url, key, "")
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return url, st, Fill(t, st)
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
// kimbot (Read) and the fixture holds values of each column of cover
// (store.Sealed for a fixture of this release).
func Check(t testing.TB, st *store.Store, f Fixture, cover []store.SealedColumn) {
	t.Helper()
	got := Read(t, st, f)
	for _, c := range cover {
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
