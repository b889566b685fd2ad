package main

import (
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
)

// openDialog is a dialog like kimbot's "Neuer Fall".
func openDialog() *model.OpenDialogRequest {
	return &model.OpenDialogRequest{URL: "http://kimbot/dialog", Dialog: model.Dialog{
		CallbackId: "open", Title: "Neuer Fall", SubmitLabel: "Anlegen", State: "signed",
		Elements: []model.DialogElement{
			{DisplayName: "Pseudonym", Name: "pseudonym", Type: "text", MaxLength: 5, HelpText: "Kein voller Name"},
			{DisplayName: "Zielgruppe", Name: "group", Type: "select", Options: []*model.PostActionOptions{
				{Text: "Geflüchtete", Value: "refugee"}, {Text: "Unionsbürger*innen", Value: "eu"}}},
			{DisplayName: "Rechtskreis", Name: "domain", Type: "select", Optional: true, Default: "none", Options: []*model.PostActionOptions{
				{Text: "SGB2", Value: "SGB2"}, {Text: "keiner", Value: "none"}}},
			{DisplayName: "Einwilligung", Name: "consent", Type: "bool", Optional: true},
			{DisplayName: "Notiz", Name: "note", Type: "textarea", Optional: true},
		},
	}}
}

func TestFormRender(t *testing.T) {
	var b strings.Builder
	newForm("coach", openDialog()).render(&b)
	got := b.String()
	for _, want := range []string{
		`form "Neuer Fall" for coach`,
		"1. Pseudonym* (text; at most 5 characters)",
		"Kein voller Name",
		"2. Zielgruppe* (choose: 1 Geflüchtete · 2 Unionsbürger*innen)",
		"3. Rechtskreis (choose: 1 SGB2 · 2 keiner; default: keiner)",
		"4. Einwilligung (yes/no)",
		"5. Notiz (text (one line here))",
		"/cancel closes the form",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("render lacks %q:\n%s", want, got)
		}
	}
}

// TestFormFill fills the dialog as a person at the prompt would, including wrong answers, and
// checks the values that would be submitted.
func TestFormFill(t *testing.T) {
	f := newForm("coach", openDialog())
	steps := []struct{ question, line, problem string }{
		{"  Pseudonym*: ", "", "required"},
		{"  Pseudonym*: ", "ABCDEF", "at most 5 characters (this is 6)"},
		{"  Pseudonym*: ", "  AB ", ""},
		{"  Zielgruppe* [1-2]: ", "3", "choose a number from 1 to 2"},
		{"  Zielgruppe* [1-2]: ", "sgb", "not an option: choose a number from 1 to 2"},
		{"  Zielgruppe* [1-2]: ", "unionsbürger*innen", ""},
		{"  Rechtskreis [1-2] (keiner): ", "", ""},
		{"  Einwilligung [yes/no]: ", "vielleicht", "answer yes or no"},
		{"  Einwilligung [yes/no]: ", "ja", ""},
		{"  Notiz: ", "", ""},
	}
	for i, s := range steps {
		if f.done() {
			t.Fatalf("step %d: form done early", i)
		}
		if q := f.question(); q != s.question {
			t.Errorf("step %d: question %q, want %q", i, q, s.question)
		}
		if p := f.answer(s.line); p != s.problem {
			t.Errorf("step %d: answer %q: problem %q, want %q", i, s.line, p, s.problem)
		}
	}
	if !f.done() {
		t.Fatal("form not done after every element")
	}
	want := map[string]any{"pseudonym": "AB", "group": "eu", "domain": "none", "consent": true, "note": ""}
	for k, v := range want {
		if f.values[k] != v {
			t.Errorf("value %s = %#v, want %#v", k, f.values[k], v)
		}
	}

	// kimbot refuses a field: only that one is asked again, with the complaint.
	if !f.retry(map[string]string{"consent": "Ohne Einwilligung kein Fall"}) {
		t.Fatal("retry found nothing to ask")
	}
	if q := f.question(); q != "  ! Einwilligung: Ohne Einwilligung kein Fall\n  Einwilligung [yes/no]: " {
		t.Errorf("question after refusal = %q", q)
	}
	if p := f.answer("n"); p != "" || !f.done() || f.values["consent"] != false || f.values["pseudonym"] != "AB" {
		t.Errorf("after the second answer: problem %q, done %v, values %v", p, f.done(), f.values)
	}
	if f.retry(map[string]string{"other": "x"}) {
		t.Error("retry asks again for an error that names no element")
	}
}

func TestParseRemindTime(t *testing.T) {
	now := time.Date(2026, 12, 1, 21, 30, 0, 0, time.UTC) // 22:30 in Berlin
	for in, want := range map[string]string{
		"2026-03-02 08:00":          "2026-03-02T08:00:00+01:00",
		"2026-07-01 08:00":          "2026-07-01T08:00:00+02:00",
		"02.03.2026 7:30":           "2026-03-02T07:30:00+01:00",
		"02.03.2026 07:30":          "2026-03-02T07:30:00+01:00",
		"2026-03-29":                "2026-03-29T08:00:00+02:00", // the clocks go forward that night
		"2.3.2026":                  "2026-03-02T08:00:00+01:00",
		"2026-03-02T06:00:00Z":      "2026-03-02T07:00:00+01:00",
		"+14d":                      "2026-12-15T08:00:00+01:00",
		"+1d 09:15":                 "2026-12-02T09:15:00+01:00",
		"2026-02-30 08:00":          "",
		"tomorrow":                  "",
		"2026-03-02T08:00:00+01:00": "2026-03-02T08:00:00+01:00",
	} {
		got, err := parseRemindTime(in, now)
		switch {
		case want == "" && err == nil:
			t.Errorf("parseRemindTime(%q) = %s, want an error", in, got)
		case want != "" && err != nil:
			t.Errorf("parseRemindTime(%q): %v", in, err)
		case want != "" && (got.Format(time.RFC3339) != want || got.Location() != kim.Berlin):
			t.Errorf("parseRemindTime(%q) = %s in %s, want %s in Europe/Berlin", in, got.Format(time.RFC3339), got.Location(), want)
		}
	}
}

func TestSuggestRemind(t *testing.T) {
	for now, want := range map[time.Time]string{
		// Tuesday 1 December: 14 days later is Tuesday 15 December.
		time.Date(2026, 12, 1, 12, 0, 0, 0, kim.Berlin): "2026-12-15T08:00:00+01:00",
		// 23:30 UTC on Friday 11 December is already Saturday 12 December in Berlin; 14 days
		// later is Saturday 26 December (a holiday as well), so Monday 28 December.
		time.Date(2026, 12, 11, 23, 30, 0, 0, time.UTC): "2026-12-28T08:00:00+01:00",
		// 14 days after Friday 11 December is Christmas Day, then Boxing Day and Sunday.
		time.Date(2026, 12, 11, 12, 0, 0, 0, kim.Berlin): "2026-12-28T08:00:00+01:00",
		// 14 days after 15 March 2026 is Sunday 29 March (the clocks change): Monday at 08:00 CEST.
		time.Date(2026, 3, 15, 12, 0, 0, 0, kim.Berlin): "2026-03-30T08:00:00+02:00",
	} {
		if got := suggestRemind(now).Format(time.RFC3339); got != want {
			t.Errorf("suggestRemind(%s) = %s, want %s", now, got, want)
		}
	}
}

// TestAnswerPosts: the texts recorded for a slash command's answer are the texts of the ephemeral
// posts Mattermost makes of it, so that their WebSocket copies are recognised.
func TestAnswerPosts(t *testing.T) {
	resp := &model.CommandResponse{
		Text:           "Fall **K-2026-0001**",
		Attachments:    []*model.SlackAttachment{{Title: "Karte", Fields: []*model.SlackAttachmentField{{Title: "Phase", Value: "Erstgespräch"}}}},
		ExtraResponses: []*model.CommandResponse{{Text: "zweite"}, {ResponseType: model.CommandResponseTypeInChannel, Text: "public"}},
	}
	got := answerPosts(resp)
	p := &model.Post{Message: resp.Text}
	model.ParseSlackAttachment(p, resp.Attachments)
	want := []string{devstack.PostText(p), "zweite"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("answerPosts = %q, want %q", got, want)
	}
	if got := answerPosts(&model.CommandResponse{}); len(got) != 0 {
		t.Errorf("an empty answer makes no post, got %q", got)
	}
}

// TestShellSkipsCopies: an ephemeral post that repeats a printed slash answer is not printed
// again; the same text once more (e.g. an answer to a dialog) is.
func TestShellSkipsCopies(t *testing.T) {
	var b strings.Builder
	s := newShell(t.Context(), &b, "team", "channel", nil, devstack.Kimbot{})
	s.shown["coach\x00Fall K-2026-0001"] = 1
	copyOf := userEvent{user: "coach", ev: devstack.Event{Ephemeral: &model.Post{Message: "Fall K-2026-0001"}}}
	if s.event(copyOf) || b.Len() != 0 {
		t.Errorf("the copy of a printed answer was printed: %q", b.String())
	}
	if !s.event(copyOf) || !strings.Contains(b.String(), "(only coach sees this)\n    Fall K-2026-0001") {
		t.Errorf("a second ephemeral post with the same text: %q", b.String())
	}
	b.Reset()
	if !s.event(userEvent{user: "coach", ev: devstack.Event{Dialog: openDialog()}}) || s.form == nil || !strings.Contains(b.String(), `form "Neuer Fall"`) {
		t.Errorf("a dialog was not opened as a form: %q", b.String())
	}
	if !s.event(userEvent{user: "coach", ev: devstack.Event{Dialog: openDialog()}}) || len(s.queue) != 1 {
		t.Errorf("a second dialog was not queued: %d queued", len(s.queue))
	}
}
