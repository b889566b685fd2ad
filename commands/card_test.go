package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

// The reminders' "open case" button (render.View.Card) shows exactly the
// card of /kim show.
func TestCardTextIsShow(t *testing.T) {
	w := newWorld(t)
	ref := caseRefIn(t, w.run("teamA", "anna", `open "Z. Y." group=refugee consent=yes`).Text)
	show := w.run("teamA", "anna", "show "+ref).Text
	today := kim.DateOf(testNow.In(kim.Berlin))
	card, err := w.st.Card(context.Background(), kim.Actor{TeamID: "teamA", UserID: w.users["anna"].ID, Today: today}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got := (render.View{Lang: "de", Today: today}).Card(card); got != show || !strings.Contains(got, ref+" · Z. Y.") {
		t.Fatalf("render.View.Card differs from /kim show:\n%s\n---\n%s", got, show)
	}
}

func caseRefIn(t *testing.T, s string) string {
	t.Helper()
	i := strings.Index(s, "K-")
	if i < 0 || len(s) < i+11 {
		t.Fatalf("no case reference in %q", s)
	}
	return s[i : i+11]
}
