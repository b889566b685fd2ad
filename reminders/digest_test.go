package reminders

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

func day(y, m, d int) kim.Date { return kim.Date{Y: y, M: m, D: d} }

func routeStrings(rs []store.Route) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%s:%s→%s@%s", r.TeamID, r.OwnerID, r.RecipientID, r.Day)
	}
	sort.Strings(out)
	return out
}

// Items go to the deputy while the owner is away in that team; the owner
// keeps the items of other teams; one hop only.
func TestRouteDigests(t *testing.T) {
	mon := day(2026, 12, 7)
	due := []dueDigest{
		{User: kim.User{ID: "anna"}, Teams: []string{"t1", "t2"}, Day: mon},
		{User: kim.User{ID: "ben"}, Teams: []string{"t1"}, Day: mon},
		{User: kim.User{ID: "dora"}, Teams: []string{"t1"}, Day: day(2026, 12, 8)}, // another zone, already Tuesday
	}
	abs := []store.AbsenceSpan{
		{ID: 1, TeamID: "t1", UserID: "anna", DeputyID: "ben", From: day(2026, 12, 1), To: day(2026, 12, 11)},
		{ID: 2, TeamID: "t1", UserID: "carl", DeputyID: "ben", From: day(2026, 12, 7), To: day(2026, 12, 7)},  // carl has no digest himself
		{ID: 3, TeamID: "t1", UserID: "erik", DeputyID: "zoe", From: day(2026, 12, 1), To: day(2026, 12, 31)}, // zoe's digest is not due
		{ID: 4, TeamID: "t1", UserID: "fred", DeputyID: "ben", From: day(2026, 12, 8), To: day(2026, 12, 9)},  // not yet
		{ID: 5, TeamID: "t1", UserID: "gina", DeputyID: "ben", From: day(2026, 12, 1), To: day(2026, 12, 31)},
		{ID: 6, TeamID: "t1", UserID: "gina", DeputyID: "dora", From: day(2026, 12, 7), To: day(2026, 12, 9)}, // the later one wins
	}
	got := routeStrings(routeDigests(due, abs, nil))
	want := []string{
		"t1:anna→ben@2026-12-07",
		"t1:ben→ben@2026-12-07",
		"t1:carl→ben@2026-12-07",
		"t1:dora→dora@2026-12-08",
		"t1:gina→dora@2026-12-08",
		"t2:anna→anna@2026-12-07",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("routes\n got %q\nwant %q", got, want)
	}
}

// A user removed from a team gets none of its items, neither their own nor
// as deputy; the owner whose deputy was removed keeps their items. Teams
// that were not checked count everyone.
func TestRouteDigestsMembers(t *testing.T) {
	mon := day(2026, 12, 7)
	due := []dueDigest{
		{User: kim.User{ID: "anna"}, Teams: []string{"t1", "t2"}, Day: mon},
		{User: kim.User{ID: "ben"}, Teams: []string{"t1"}, Day: mon},
		{User: kim.User{ID: "carl"}, Teams: []string{"t1", "t3"}, Day: mon},
	}
	abs := []store.AbsenceSpan{
		{ID: 1, TeamID: "t1", UserID: "anna", DeputyID: "ben", From: day(2026, 12, 1), To: day(2026, 12, 11)},
		{ID: 2, TeamID: "t1", UserID: "dora", DeputyID: "carl", From: day(2026, 12, 1), To: day(2026, 12, 11)},
	}
	members := memberSet{
		"t1": {"anna": true, "dora": true}, // ben and carl were removed from t1
		"t2": {"anna": true},
	}
	got := routeStrings(routeDigests(due, abs, members))
	want := []string{
		"t1:anna→anna@2026-12-07", // her deputy left the team
		"t2:anna→anna@2026-12-07",
		"t3:carl→carl@2026-12-07", // t3 unchecked
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("routes\n got %q\nwant %q", got, want)
	}
}

func item(kind kim.ItemKind, ref string, n int, due kim.Date) kim.DueItem {
	return kim.DueItem{Kind: kind, TeamID: "t1", TeamName: "essen", CaseRef: ref, N: n, OwnerID: "anna", OwnerName: "anna",
		RecipientID: "anna", Due: due}
}

// The digest is grouped by case (own cases first, then those held as deputy,
// action items last), each item one short line with three buttons.
func TestRenderDigest(t *testing.T) {
	mon := day(2026, 12, 7)
	held := item(kim.ItemMonitoring, "K-2026-0003", 0, day(2026, 12, 5))
	held.OwnerID, held.OwnerName = "carl", "carl"
	action := item(kim.ItemAction, "", 4, day(2026, 12, 4))
	action.Label = "Termin mit\nJobcenter vereinbaren"
	goal := item(kim.ItemGoal, "K-2026-0002", 2, mon)
	goal.Label, goal.Text, goal.Pseudonym = "work", "Praktikum\nfinden", "Herr Ü."
	fu := item(kim.ItemFollowup, "K-2026-0001", 1, day(2026, 12, 6))
	fu.Label = "Jobcenter"
	items := []kim.DueItem{action, held, goal, fu,
		item(kim.ItemMonitoring, "K-2026-0001", 0, day(2026, 12, 1)),
		item(kim.ItemReassessment, "K-2026-0001", 0, mon)}

	msg := RenderDigest("de", mon, items)
	if !strings.Contains(msg.Text, "07.12.2026") || !strings.Contains(msg.Text, "6 Termine") || !strings.Contains(msg.Text, "@carl") {
		t.Errorf("title: %q", msg.Text)
	}
	var lines []string
	ids := map[string]bool{}
	for _, b := range msg.Blocks {
		lines = append(lines, b.Title+" | "+b.Text)
		for _, btn := range b.Buttons {
			if ids[btn.ID] {
				t.Errorf("button id %s twice", btn.ID)
			}
			ids[btn.ID] = true
		}
	}
	want := []string{
		"K-2026-0001 | **Re-Assessment** – heute fällig",
		" | **Monitoring-Kontakt** – fällig seit 01.12.2026 (6 Tage)",
		" | **Rückmeldung zu Verweis 1 (Jobcenter)** – fällig seit 06.12.2026 (1 Tag)",
		"K-2026-0002 · Herr Ü. | **Ziel 2 (Arbeit): Praktikum finden** – heute fällig",
		"Aufgaben aus Netzwerktreffen | **Aufgabe A-4: Termin mit Jobcenter vereinbaren** – fällig seit 04.12.2026 (3 Tage)",
		"K-2026-0003 · Vertretung für @carl | **Monitoring-Kontakt** – fällig seit 05.12.2026 (2 Tage)",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("blocks\n got %q\nwant %q", lines, want)
	}
	b := msg.Blocks[1]
	if len(b.Buttons) != 3 || b.Buttons[0].Verb != kim.VerbDone || b.Buttons[1].Verb != kim.VerbSnooze || b.Buttons[2].Verb != kim.VerbOpen ||
		b.Buttons[0].ID != "done1" || b.Buttons[0].Style != "primary" || b.Buttons[1].Label != "+1 Woche" {
		t.Fatalf("buttons: %+v", b.Buttons)
	}
	if f := b.Buttons[1].Fields; !reflect.DeepEqual(f, []string{"monitoring", "K-2026-0001", "0", "2026-12-01"}) || b.Buttons[1].TeamID != "t1" {
		t.Fatalf("signed fields: %q", f)
	}
	if len(msg.Blocks[4].Buttons) != 2 {
		t.Errorf("an action item has no case to open: %+v", msg.Blocks[4].Buttons)
	}
	if msg.Blocks[0].Color == msg.Blocks[1].Color {
		t.Error("due today and overdue look the same")
	}

	en := RenderDigest("en", mon, items[:1])
	if !strings.Contains(en.Text, "2026-12-07") || !strings.Contains(en.Blocks[0].Text, "due since 2026-12-04 (3 days)") ||
		en.Blocks[0].Buttons[1].Label != "+1 week" {
		t.Errorf("English: %q / %+v", en.Text, en.Blocks[0])
	}
	if !RenderDigest("de", mon, nil).Empty() {
		t.Error("no items must give an empty message")
	}
}

// A long digest keeps its buttons for the first items and counts the rest.
func TestRenderDigestLong(t *testing.T) {
	var items []kim.DueItem
	for i := 1; i <= 45; i++ {
		items = append(items, item(kim.ItemMonitoring, fmt.Sprintf("K-2026-%04d", i), 0, day(2026, 12, 1)))
	}
	msg := RenderDigest("en", day(2026, 12, 7), items)
	if len(msg.Blocks) != maxButtonItems+1 || !strings.Contains(msg.Blocks[maxButtonItems].Text, "15 more") {
		t.Fatalf("%d blocks, last %q", len(msg.Blocks), msg.Blocks[len(msg.Blocks)-1].Text)
	}
	if !strings.Contains(msg.Text, "45 dates") {
		t.Errorf("title counts all items: %q", msg.Text)
	}
}

// Several teams: the team names the group.
func TestRenderDigestTeams(t *testing.T) {
	a := item(kim.ItemMonitoring, "K-2026-0001", 0, day(2026, 12, 7))
	b := a
	b.TeamID, b.TeamName = "t2", "bochum"
	msg := RenderDigest("de", day(2026, 12, 7), []kim.DueItem{a, b})
	if msg.Blocks[0].Title != "K-2026-0001 (bochum)" || msg.Blocks[1].Title != "K-2026-0001 (essen)" {
		t.Fatalf("titles %q %q", msg.Blocks[0].Title, msg.Blocks[1].Title)
	}
}

func TestReportString(t *testing.T) {
	r := &Report{}
	if r.String() != "nothing due" {
		t.Errorf("empty report: %q", r.String())
	}
	r.add("digest", Sent, 2)
	r.add("digest", Empty, 1)
	r.add("agenda-post", Failed, 1)
	if got := r.String(); got != "agenda-post: 1 failed; digest: 2 sent, 1 empty" || r.Failed() != 1 || r.Count("digest", Sent) != 2 {
		t.Errorf("report: %q", got)
	}
}
