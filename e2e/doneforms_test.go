package e2e

// "Erledigt" in a digest means what it says (issue 9, point 6): on a monitoring date it opens
// the contact form, on a (re-)assessment the assessment form, through the trigger id Mattermost
// sends with the press; the date moves only when the form is saved.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
)

// pressForm presses a button that opens a form and returns the dialog Mattermost tells the user's
// client to open (over the WebSocket). The press's own answer says the form is open and claims
// nothing done.
func (u *user) pressForm(t testing.TB, post *model.Post, actionID string) *model.OpenDialogRequest {
	t.Helper()
	ev := u.listen(t)
	seen := len(ev.Ephemeral())
	u.press(t, post, actionID)
	ctx, cancel := context.WithTimeout(ctxT(t), 15*time.Second)
	defer cancel()
	d, err := ev.WaitDialog(ctx)
	if err != nil {
		t.Fatalf("the press opened no form: %v; answers:\n%s", err, postsText(ev.Ephemeral()[seen:]))
	}
	// Answers to earlier slash commands may still arrive over the WebSocket meanwhile.
	opened := func() (n int) {
		for _, p := range ev.Ephemeral()[seen:] {
			if strings.Contains(p.Message, "Formular geöffnet") {
				n++
			}
		}
		return n
	}
	for opened() == 0 && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
	}
	answers := ev.Ephemeral()[seen:]
	if opened() != 1 {
		t.Fatalf("the answer to the press:\n%s", postsText(answers))
	}
	for _, p := range answers {
		if strings.Contains(p.Message, "✅") || strings.Contains(p.Message, "Erledigt –") {
			t.Fatalf("the press claims the item done before the form is saved:\n%s", postsText(answers))
		}
	}
	return d
}

// submitFormIn submits a form opened in channelID (the DM of a digest) with the values, failing
// on any error the form shows.
func (u *user) submitFormIn(t testing.TB, d *model.OpenDialogRequest, channelID string, values map[string]any) {
	t.Helper()
	resp, err := u.SubmitDialog(ctxT(t), d, channelID, u.env.Team.Id, values)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Error != "" || len(resp.Errors) > 0 {
		t.Fatalf("form %s refused %v: %q %v", d.Dialog.CallbackId, values, resp.Error, resp.Errors)
	}
}

// TestReminderDoneForms: a case with its monitoring and re-assessment due on the digest's day.
// "Erledigt" on the monitoring item opens the contact form and leaves the date (the press alone
// moved it by 28 days before); a second press opens the form again; saving it records the contact,
// moves the monitoring date to 28 days after the contact and settles the item in the digest. The
// re-assessment item opens the assessment form with a score per life field; saving records the
// scores and moves the date six months. Refused input in the form changes nothing.
func TestReminderDoneForms(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	coach := env.newUser(t, "coach", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	today, day := remToday(), remDay()
	k := coach.remOpen(t, "R. S.")
	coach.kimOK(t, "einschaetzung "+k+" sprache=2 arbeit=1", "Einschätzung von **"+k+"**")
	coach.kimOK(t, "termin "+k+" monitoring "+day.String(), k)
	coach.kimOK(t, "termin "+k+" reassessment "+day.String(), k)
	due := "Als Nächstes: Monitoring " + day.German() + " · Einschätzung " + day.German()
	coach.kimOK(t, "zeige "+k, due)

	env.remindNow(t, remAt(day, 8, 0))
	dm := coach.remExpect(t, 1)[0]
	text := devstack.PostText(dm)
	if !strings.Contains(text, "**Monitoring-Kontakt** – heute fällig") || !strings.Contains(text, "**Re-Assessment** – heute fällig") {
		t.Fatalf("digest:\n%s", text)
	}

	// Monitoring: the contact form.
	done := remItem(t, dm, k, "Monitoring-Kontakt", "done").Id
	d := coach.pressForm(t, dm, done)
	if d.Dialog.CallbackId != "contact "+k || !strings.Contains(d.Dialog.Title, k) {
		t.Fatalf("the monitoring item opened %q (%q)", d.Dialog.CallbackId, d.Dialog.Title)
	}
	coach.kimOK(t, "zeige "+k, due) // nothing moved on the press
	if p, _, err := coach.GetPost(ctxT(t), dm.Id, ""); err != nil || devstack.PostText(p) != text {
		t.Fatalf("the press changed the digest (%v):\n%s", err, devstack.PostText(p))
	}
	d = coach.pressForm(t, dm, done) // closed without saving: the button opens it again
	resp, err := coach.SubmitDialog(ctxT(t), d, dm.ChannelId, env.Team.Id, map[string]any{"kind": "phone", "note": ""})
	if err != nil || resp.Errors["note"] == "" {
		t.Fatalf("a contact without a note: %+v %v", resp, err)
	}
	coach.kimOK(t, "zeige "+k, due)
	coach.submitFormIn(t, d, dm.ChannelId, map[string]any{"kind": "phone", "minutes": "20", "note": "Telefonat wegen Kita-Platz"})
	monitoring := kim.Workday(today.AddDays(28)).German()
	coach.kimOK(t, "zeige "+k, "Als Nächstes: Monitoring "+monitoring+" · Einschätzung "+day.German(), "Telefon")
	answer := coach.waitBotDMs(t, 2)[1]
	if !strings.Contains(answer.Message, k) || !strings.Contains(answer.Message, monitoring) {
		t.Errorf("the answer to the saved contact:\n%s", answer.Message)
	}
	p, _, err := coach.GetPost(ctxT(t), dm.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	a := remAttachment(p, "Monitoring-Kontakt")
	if a == nil || !strings.Contains(a.Text, "erledigt – Kontakt gespeichert") || len(a.Actions) != 1 || !strings.HasPrefix(a.Actions[0].Id, "open") {
		t.Fatalf("the digest does not show the saved contact:\n%s", devstack.PostText(p))
	}
	if a := remAttachment(p, "Re-Assessment"); a == nil || len(a.Actions) != 3 {
		t.Fatalf("the re-assessment item changed as well:\n%s", devstack.PostText(p))
	}

	// Re-assessment: the assessment form, a score per life field.
	d = coach.pressForm(t, p, remItem(t, p, k, "Re-Assessment", "done").Id)
	if d.Dialog.CallbackId != "assess "+k {
		t.Fatalf("the re-assessment item opened %q", d.Dialog.CallbackId)
	}
	if d.Dialog.Title != "Einschätzung" || !strings.HasPrefix(d.Dialog.IntroductionText, "Einschätzung für **"+k+"**: nur die Felder wählen") {
		t.Errorf("the assessment form's title %q and introduction %q", d.Dialog.Title, d.Dialog.IntroductionText)
	}
	labels, help := map[string]string{}, map[string]string{}
	for _, e := range d.Dialog.Elements {
		labels[e.Name], help[e.Name] = e.DisplayName, e.HelpText
		if e.Type == "select" && (len(e.Options) != 5 || e.Options[0].Text != "1 – akuter Bedarf") {
			t.Errorf("element %s: %+v", e.Name, e.Options)
		}
	}
	for name, label := range map[string]string{"language": "Sprache", "work": "Arbeit", "housing": "Wohnen", "residence": "Aufenthalt", "social": "Soziale Teilhabe"} {
		if labels[name] != label {
			t.Errorf("the form has %q for %s, want %q (all: %v)", labels[name], name, label, labels)
		}
	}
	// Each field's help shows its latest score and day; a field never scored shows none.
	scored := "Zuletzt %d am " + today.German() + "."
	for name, want := range map[string]string{"language": fmt.Sprintf(scored, 2), "work": fmt.Sprintf(scored, 1), "housing": "",
		"residence": ""} {
		if help[name] != want {
			t.Errorf("the form's help for %s is %q, want %q", name, help[name], want)
		}
	}
	coach.kimOK(t, "zeige "+k, "Einschätzung "+day.German())
	if resp, err := coach.SubmitDialog(ctxT(t), d, dm.ChannelId, env.Team.Id, map[string]any{"note": "ohne Werte"}); err != nil || resp.Error == "" {
		t.Fatalf("an assessment without scores: %+v %v", resp, err)
	}
	coach.submitFormIn(t, d, dm.ChannelId, map[string]any{"language": "3", "work": "2", "housing": "4"})
	reassessment := kim.Workday(today.AddMonths(6)).German()
	coach.kimOK(t, "zeige "+k, "Einschätzung "+reassessment, "| Sprache | 3 |", "| Arbeit | 2 |", "| Wohnen | 4 |")
	answer = coach.waitBotDMs(t, 3)[2]
	if !strings.Contains(answer.Message, "Re-Assessment 2 von **"+k+"**") || !strings.Contains(answer.Message, reassessment) {
		t.Errorf("the answer to the saved assessment:\n%s", answer.Message)
	}
	p, _, err = coach.GetPost(ctxT(t), dm.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	if a := remAttachment(p, "Re-Assessment"); a == nil || !strings.Contains(a.Text, "erledigt – Einschätzung gespeichert") || len(a.Actions) != 1 {
		t.Fatalf("the digest does not show the saved assessment:\n%s", devstack.PostText(p))
	}
	// The card button that stays still works (signed again with the update).
	coach.press(t, p, remItem(t, p, k, "Re-Assessment", "open").Id)
	coach.waitEphemeral(t, k+" · R. S.")
}

// TestReminderFormOtherTeam: the web client submits a dialog with the team it shows, which for the
// DM with kimbot may be another of the coach's teams. A form from a digest counts for the digest's
// team while the coach is a member of it, and is refused, changing nothing, once they have left it.
func TestReminderFormOtherTeam(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	coach := env.newUser(t, "coach", "de")
	env.grant(t, coach, "coach")
	ctx := ctxT(t)
	other, err := stack.admin.NewTeam(ctx, env.suffix+"-zweites-team", "Zweites Team")
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.admin.AddToTeam(ctx, other.Id, coach.UserID()); err != nil {
		t.Fatal(err)
	}
	k1 := coach.remOpen(t, "T. U.")
	k2 := coach.remOpen(t, "V. W.")
	first := kim.Workday(remToday().AddDays(14)).German()

	env.remindNow(t, remAt(remDay(), 8, 0))
	dm := coach.remExpect(t, 1)[0]
	d := coach.pressForm(t, dm, remItem(t, dm, k1, "Ersteinschätzung", "done").Id)
	resp, err := coach.SubmitDialog(ctx, d, dm.ChannelId, other.Id, map[string]any{"language": "2"})
	if err != nil || resp.Error != "" || len(resp.Errors) > 0 {
		t.Fatalf("the form submitted with another of the coach's teams: %+v %v", resp, err)
	}
	coach.kimOK(t, "zeige "+k1, "Einschätzung "+kim.Workday(remToday().AddMonths(6)).German(), "| Sprache | 2 |")

	// A form opened while a member, submitted after leaving the team: refused.
	d = coach.pressForm(t, dm, remItem(t, dm, k2, "Ersteinschätzung", "done").Id)
	if _, err := stack.admin.RemoveTeamMember(ctx, env.Team.Id, coach.UserID()); err != nil {
		t.Fatal(err)
	}
	resp, err = coach.SubmitDialog(ctx, d, dm.ChannelId, other.Id, map[string]any{"language": "4"})
	if err != nil || !strings.Contains(resp.Error, "nicht mehr Mitglied") {
		t.Fatalf("a form of a team the coach has left: %+v %v", resp, err)
	}
	if err := stack.admin.AddToTeam(ctx, env.Team.Id, coach.UserID()); err != nil {
		t.Fatal(err)
	}
	coach.kimOK(t, "zeige "+k2, "Einschätzung "+first)
}

// TestReminderFormSnoozedMeanwhile: a coach opens an item's form from the digest, snoozes the item
// while the form is open, then saves the form: the digest settles the item as saved (the snooze
// line replaced, only "open" left), as the saved assessment decides its date now.
func TestReminderFormSnoozedMeanwhile(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	coach := env.newUser(t, "coach", "de")
	env.grant(t, coach, "coach")
	k := coach.remOpen(t, "X. Y.")
	env.remindNow(t, remAt(remDay(), 8, 0))
	dm := coach.remExpect(t, 1)[0]
	d := coach.pressForm(t, dm, remItem(t, dm, k, "Ersteinschätzung", "done").Id)
	p := coach.press(t, dm, remItem(t, dm, k, "Ersteinschätzung", "snooze").Id)
	if a := remAttachment(p, "Ersteinschätzung"); a == nil || !strings.Contains(a.Text, "verschoben auf") {
		t.Fatalf("the snoozed item:\n%s", devstack.PostText(p))
	}
	coach.submitFormIn(t, d, dm.ChannelId, map[string]any{"language": "2"})
	coach.kimOK(t, "zeige "+k, "Einschätzung "+kim.Workday(remToday().AddMonths(6)).German(), "| Sprache | 2 |")
	coach.waitBotDMs(t, 2) // the answer to the saved form comes after the digest is settled
	p, _, err := coach.GetPost(ctxT(t), dm.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	a := remAttachment(p, "Ersteinschätzung")
	if a == nil || !strings.Contains(a.Text, "erledigt – Einschätzung gespeichert") || strings.Contains(a.Text, "verschoben") ||
		len(a.Actions) != 1 || !strings.HasPrefix(a.Actions[0].Id, "open") {
		t.Fatalf("the digest does not show the saved assessment:\n%s", devstack.PostText(p))
	}
	// The card button that stays still works (signed again with the update).
	coach.listen(t)
	coach.press(t, p, a.Actions[0].Id)
	coach.waitEphemeral(t, k+" · X. Y.")
}
