package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// exec runs a line as a user with a trigger id (as from a slash command).
func (w *world) exec(team, user, line, trigger string) Reply {
	w.t.Helper()
	u, err := w.st.User(context.Background(), w.users[user].ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.svc.Execute(context.Background(), Request{TeamID: team, User: u, Text: line, TriggerID: trigger})
}

// submit submits a dialog as a user.
func (w *world) submit(team, user, callback string, values map[string]string) DialogAnswer {
	w.t.Helper()
	u, err := w.st.User(context.Background(), w.users[user].ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.svc.SubmitDialog(context.Background(), Request{TeamID: team, User: u}, callback, values)
}

// Mattermost limits dialog titles and labels to 24 bytes.
func TestDialogLabelsFit(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("root", "admin role @ben coach")
	for _, user := range []string{"anna", "ben"} { // de, en
		for _, line := range []string{"open", "contact K-2026-0001", "refer K-2026-0001", "assess K-2026-0001"} {
			if user == "ben" && line != "open" {
				continue // anna's case
			}
			rep := w.exec("teamA", user, line, "trigger")
			d := rep.Dialog
			if d == nil {
				t.Fatalf("%s %q: no dialog: %+v", user, line, rep)
			}
			if len(d.Title) > 24 || d.Title == "" || len(d.SubmitLabel) > 24 {
				t.Errorf("%s %q: title %q / submit %q too long", user, line, d.Title, d.SubmitLabel)
			}
			for _, e := range d.Elements {
				if len(e.Label) > 24 || e.Label == "" || len(e.Help) > 150 {
					t.Errorf("%s %q: element %s label %q (%d bytes) help %d bytes", user, line, e.Name, e.Label, len(e.Label), len(e.Help))
				}
			}
		}
	}
}

func TestOpenDialog(t *testing.T) {
	w := newWorld(t)
	rep := w.exec("teamA", "anna", "neu", "trigger")
	if rep.Dialog == nil || rep.Dialog.CallbackID != DialogOpen || rep.Text != "" {
		t.Fatalf("bare open: %+v", rep)
	}
	if rep := w.exec("teamA", "kora", "open", "trigger"); rep.Dialog != nil || rep.Outcome != kim.EFORBIDDEN {
		t.Fatalf("a coordinator got the open form: %+v", rep)
	}
	before := w.snapshot()
	for _, tc := range []struct {
		values map[string]string
		field  string // "" for a general error
		want   string
	}{
		{map[string]string{"pseudonym": "AB", "group": "eu", "consent": "false"}, "consent", "Ohne dokumentierte Einwilligung"},
		{map[string]string{"pseudonym": "AB", "group": "martian", "consent": "true"}, "group", "„martian“ geht nicht"},
		{map[string]string{"pseudonym": "", "group": "eu", "consent": "true"}, "pseudonym", "Bitte ausfüllen"},
		{map[string]string{"pseudonym": strings.Repeat("p", 41), "group": "eu", "consent": "true"}, "pseudonym", "zu lang"},
		{map[string]string{"pseudonym": "K-2026-0001", "group": "eu", "consent": "true"}, "pseudonym", "wie ein Aktenzeichen"},
		{map[string]string{"pseudonym": "AB", "group": "eu", "domain": "SGB9", "consent": "true"}, "domain", "„SGB9“"},
		{map[string]string{"pseudonym": "AB", "group": "eu", "form": "fax", "consent": "true"}, "form", "„fax“"},
		{map[string]string{"pseudonym": `"“”»«`, "group": "eu", "consent": "true"}, "pseudonym", "Anführungszeichen"},
		{map[string]string{"pseudonym": "group=eu", "group": "eu", "consent": "true"}, "pseudonym", "umformulieren"},
	} {
		ans := w.submit("teamA", "anna", DialogOpen, tc.values)
		got := ans.Error
		if tc.field != "" {
			got = ans.Errors[tc.field]
		}
		if ans.OK() || !strings.Contains(got, tc.want) || strings.Contains(got, "Richtig:") {
			t.Errorf("%v: %+v, want %q on %q", tc.values, ans, tc.want, tc.field)
		}
	}
	if w.snapshot() != before {
		t.Fatal("refused submissions changed the database")
	}
	ans := w.submit("teamA", "anna", DialogOpen, map[string]string{"pseudonym": `Frau "K." group=eu`, "group": "third-country",
		"domain": "SGB12", "form": "oral", "consent": "true"})
	if !ans.OK() || !strings.Contains(ans.Text, "K-2026-0001") || ans.Outcome != "ok" {
		t.Fatalf("open submission: %+v", ans)
	}
	w.ok("anna", "show K-2026-0001", `Frau "K." group=eu`, "Drittstaatsangehörige", "Rechtskreis: SGB XII", "Verarbeitung (mündlich")
	// A date in words fits the form's field.
	if e := rep.Dialog.Elements[len(rep.Dialog.Elements)-1]; e.Name != "date" || e.MaxLen < len("Ende Februar 2027") {
		t.Fatalf("the form's date field: %+v", e)
	}
	ans = w.submit("teamA", "anna", DialogOpen, map[string]string{"pseudonym": "CD", "group": "eu", "consent": "true", "date": "vor einer Woche"})
	if !ans.OK() || !strings.Contains(ans.Text, "Aufnahme am 16.11.2026") {
		t.Fatalf("open submission with a date in words: %+v", ans)
	}
	// Outsiders submitting the same form are refused like typing it.
	if ans := w.submit("teamA", "kora", DialogOpen, map[string]string{"pseudonym": "X", "group": "eu", "consent": "true"}); ans.OK() || !strings.Contains(ans.Error, "ist nur für Coaches") {
		t.Fatalf("coordinator submission: %+v", ans)
	}
	if ans := w.submit("teamA", "anna", "frobnicate", map[string]string{}); ans.OK() || ans.Error == "" {
		t.Fatalf("unknown callback: %+v", ans)
	}
}

func TestContactAndReferDialogs(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=eu consent=yes")
	rep := w.exec("teamA", "anna", "kontakt k-2026-0001", "trigger")
	if rep.Dialog == nil || rep.Dialog.CallbackID != "contact K-2026-0001" {
		t.Fatalf("contact form: %+v", rep)
	}
	rep = w.exec("teamA", "anna", "refer K-2026-0001", "trigger")
	if rep.Dialog == nil || rep.Dialog.CallbackID != "refer K-2026-0001" || len(rep.Dialog.Elements[0].Options) != 9 {
		t.Fatalf("refer form: %+v", rep)
	}
	w.ok("anna", "close K-2026-0001 other")
	if rep := w.exec("teamA", "anna", "contact K-2026-0001", "trigger"); rep.Dialog != nil || rep.Outcome != kim.ECONFLICT {
		t.Fatalf("form for a closed case: %+v", rep)
	}
	w.ok("anna", "reopen K-2026-0001")

	before := w.snapshot()
	cb := "contact K-2026-0001"
	for _, tc := range []struct {
		values      map[string]string
		field, want string
	}{
		{map[string]string{"kind": "phone", "note": "x", "minutes": "1441"}, "minutes", "0 bis 1440"},
		{map[string]string{"kind": "phone", "note": "x", "date": "31.02.2026"}, "date", "kein gültiges Datum"},
		{map[string]string{"kind": "phone", "note": "x", "date": "24.12.2026"}, "date", "in der Zukunft"},
		{map[string]string{"kind": "phone", "note": "x", "date": "2026-01-01"}, "date", "vor der Eröffnung"},
		{map[string]string{"kind": "fax", "note": "x"}, "kind", "„fax“"},
		{map[string]string{"kind": "phone", "note": ""}, "note", "Bitte ausfüllen"},
		{map[string]string{"kind": "phone", "note": strings.Repeat("n", MaxText+1)}, "note", "zu lang"},
		{map[string]string{"kind": "phone", "note": "minutes=5 war kurz"}, "note", "umformulieren"},
	} {
		ans := w.submit("teamA", "anna", cb, tc.values)
		if ans.OK() || !strings.Contains(ans.Errors[tc.field], tc.want) {
			t.Errorf("%v: %+v, want %q on %s", tc.values, ans, tc.want, tc.field)
		}
	}
	// Another coach's, another team's case: a general refusal.
	if ans := w.submit("teamA", "ben", cb, map[string]string{"kind": "phone", "note": "x"}); ans.OK() || !strings.Contains(ans.Error, "No case K-2026-0001") {
		t.Fatalf("other coach: %+v", ans)
	}
	if ans := w.submit("teamB", "bea", cb, map[string]string{"kind": "phone", "note": "x"}); ans.OK() || !strings.Contains(ans.Error, "Keinen Fall") {
		t.Fatalf("other team: %+v", ans)
	}
	if ans := w.submit("teamA", "anna", "contact K-42", map[string]string{"kind": "phone", "note": "x"}); ans.OK() {
		t.Fatalf("bad case in callback: %+v", ans)
	}
	// Referral form: no consent is a field error on the partner.
	ans := w.submit("teamA", "anna", "refer K-2026-0001", map[string]string{"partner": "jobcenter", "reason": "Antrag"})
	if ans.OK() || !strings.Contains(ans.Errors["partner"], "Verweis abgelehnt") {
		t.Fatalf("refer without consent: %+v", ans)
	}
	ans = w.submit("teamA", "anna", "refer K-2026-0001", map[string]string{"partner": "finanzamt", "reason": "Steuer"})
	if ans.OK() || !strings.Contains(ans.Errors["partner"], "nicht im Partnerverzeichnis") {
		t.Fatalf("unknown partner: %+v", ans)
	}
	ans = w.submit("teamA", "anna", "refer K-2026-0001", map[string]string{"partner": "jmd", "reason": "x", "followup": "soon"})
	if ans.OK() || !strings.Contains(ans.Errors["followup"], "keine Dauer") {
		t.Fatalf("bad followup: %+v", ans)
	}
	if w.snapshot() != before {
		t.Fatal("refused submissions changed the database")
	}

	ans = w.submit("teamA", "anna", cb, map[string]string{"kind": "home-visit", "minutes": "45", "date": "2026-11-23",
		"note": "Wohnung „angesehen“\nzweite Zeile"})
	if !ans.OK() || !strings.Contains(ans.Text, "Hausbesuch, 23.11.2026, 45 Minuten.") {
		t.Fatalf("contact submission: %+v", ans)
	}
	w.ok("anna", "consent K-2026-0001 grant jobcenter")
	ans = w.submit("teamA", "anna", "refer K-2026-0001", map[string]string{"partner": "jobcenter", "reason": "Antrag \"Bürgergeld\"", "followup": "10d"})
	if !ans.OK() || !strings.Contains(ans.Text, "Nachfassen am 03.12.2026") {
		t.Fatalf("refer submission: %+v", ans)
	}
	w.ok("anna", "show K-2026-0001", "Hausbesuch", "Wohnung „angesehen“ zweite Zeile", "Jobcenter")
}

// The assessment form: a score per life field (optional each, at least
// one), a note and the day; its submission is `/kim assess` as typed, with
// the same refusals per field, and a saved one sets the next re-assessment.
func TestAssessDialog(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=eu consent=yes")
	rep := w.exec("teamA", "anna", "einschaetzung k-2026-0001", "trigger")
	d := rep.Dialog
	if d == nil || d.CallbackID != "assess K-2026-0001" || len(d.Elements) != len(kim.LifeFields)+2 {
		t.Fatalf("assessment form: %+v", rep)
	}
	if e := d.Elements[1]; e.Name != "language" || e.Label != "Sprache" || !e.Optional || len(e.Options) != 5 ||
		e.Options[0] != (Option{"1 – akuter Bedarf", "1"}) || e.Options[4] != (Option{"5 – Ressource", "5"}) {
		t.Fatalf("language element: %+v", e)
	}
	// Without a trigger id (no form possible) the scores are missing, as before.
	if rep := w.run("teamA", "anna", "assess K-2026-0001"); rep.Dialog != nil || !strings.Contains(rep.Text, "Es fehlt") {
		t.Fatalf("bare assess without a trigger: %+v", rep)
	}
	if rep := w.exec("teamA", "kora", "assess K-2026-0001", "trigger"); rep.Dialog != nil || rep.Outcome != kim.EFORBIDDEN {
		t.Fatalf("a coordinator got the assessment form: %+v", rep)
	}

	before := w.snapshot()
	cb := "assess K-2026-0001"
	for _, tc := range []struct {
		values      map[string]string
		field, want string // field "" for a general error
	}{
		{map[string]string{"note": "nichts bewertet"}, "", "mindestens ein Handlungsfeld"},
		{map[string]string{"language": "7"}, "language", "1 (akuter Bedarf) bis 5"},
		{map[string]string{"language": "2", "date": "24.12.2026"}, "date", "in der Zukunft"},
		{map[string]string{"language": "2", "note": `"“”»«`}, "note", "Anführungszeichen"},
	} {
		ans := w.submit("teamA", "anna", cb, tc.values)
		got := ans.Error
		if tc.field != "" {
			got = ans.Errors[tc.field]
		}
		if ans.OK() || !strings.Contains(got, tc.want) {
			t.Errorf("%v: %+v, want %q on %q", tc.values, ans, tc.want, tc.field)
		}
	}
	if ans := w.submit("teamA", "ben", cb, map[string]string{"language": "2"}); ans.OK() || !strings.Contains(ans.Error, "No case K-2026-0001") {
		t.Fatalf("other coach: %+v", ans)
	}
	if w.snapshot() != before {
		t.Fatal("refused submissions changed the database")
	}
	ans := w.submit("teamA", "anna", cb, map[string]string{"language": "2", "work": "1", "health": "", "note": "Kurs „A2“ läuft, work=1 heißt Minijob"})
	if !ans.OK() || !strings.Contains(ans.Text, "Einschätzung von **K-2026-0001** gespeichert (23.11.2026)") ||
		!strings.Contains(ans.Text, "| Sprache | 2 |") || !strings.Contains(ans.Text, "| Arbeit | 1 |") || strings.Contains(ans.Text, "Gesundheit") ||
		!strings.Contains(ans.Text, "Nächstes Re-Assessment: 24.05.2027") {
		t.Fatalf("assessment submission: %+v", ans)
	}
	card, err := w.st.Card(context.Background(), kim.Actor{TeamID: "teamA", UserID: w.users["anna"].ID, Today: kim.DateOf(testNow)}, "K-2026-0001")
	if err != nil || len(card.Assessments) != 1 || card.Assessments[0].Note != "Kurs „A2“ läuft, work=1 heißt Minijob" ||
		len(card.Assessments[0].Scores) != 2 || card.Assessments[0].Scores[kim.LifeField("work")] != 1 {
		t.Fatalf("the saved assessment: %+v %v", card.Assessments, err)
	}
}

// The assessment form shows each life field's latest score and its day in
// the field's help (nothing for a field never scored), in the reader's
// language and within Mattermost's limits; the scores are the owner's read,
// audited, and nobody else's form opens or reads them.
func TestAssessDialogLatestScores(t *testing.T) {
	w := newWorld(t)
	w.at(2026, 6, 1)
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("ben", "open CD group=eu consent=yes")
	help := func(user, ref string) map[string]string {
		t.Helper()
		rep := w.exec("teamA", user, "assess "+ref, "trigger")
		if rep.Dialog == nil {
			t.Fatalf("%s: no assessment form for %s: %+v", user, ref, rep)
		}
		if want := "Einschätzung für **" + ref + "**: nur die Felder wählen, die Sie eingeschätzt haben"; user == "anna" && !strings.HasPrefix(rep.Dialog.Intro, want) {
			t.Errorf("the form's introduction is %q, want it to start %q", rep.Dialog.Intro, want)
		}
		out := map[string]string{}
		for _, e := range rep.Dialog.Elements {
			if len(e.Help) > 150 {
				t.Errorf("%s: help of %s is %d bytes: %q", user, e.Name, len(e.Help), e.Help)
			}
			out[e.Name] = e.Help
		}
		return out
	}
	if h := help("anna", "K-2026-0001"); h["residence"] != "" || h["language"] != "" || h["work"] != "" {
		t.Fatalf("never assessed: %q", h)
	}

	w.at(2026, 6, 2)
	w.ok("anna", "assess K-2026-0001 residence=5 language=3 work=2")
	w.ok("ben", "assess K-2026-0002 residence=5 language=5 work=5 education=5 health=5 housing=5 family=5 finances=5 social=5")
	w.at(2026, 9, 15)
	w.ok("anna", "einschaetzung K-2026-0001 sprache=4")
	w.at(2026, 11, 23)
	audited := func(action string) int {
		return w.count(`SELECT count(*) FROM audit_log WHERE case_ref = 'K-2026-0001' AND action = $1`, action)
	}
	reads, forms := audited("assessment.list"), audited("case.form")
	h := help("anna", "K-2026-0001")
	for field, want := range map[string]string{
		"residence": "Zuletzt 5 am 02.06.2026.",
		"language":  "Zuletzt 4 am 15.09.2026.", // the re-assessment
		"work":      "Zuletzt 2 am 02.06.2026.", // left unscored by it: the earlier score and day
		"health":    "",
		"note":      "",
	} {
		if h[field] != want {
			t.Errorf("help of %s: %q, want %q", field, h[field], want)
		}
	}
	if audited("assessment.list") != reads+1 || audited("case.form") != forms+1 {
		t.Errorf("the form's read is not audited: assessment.list %d → %d, case.form %d → %d",
			reads, audited("assessment.list"), forms, audited("case.form"))
	}

	// English (every field scored 5).
	if h := help("ben", "K-2026-0002"); h["residence"] != "Last 5 on 2026-06-02." ||
		h["social"] != "Last 5 on 2026-06-02." {
		t.Errorf("English help: %q", h)
	}
	w.ok("anna", "assess K-2026-0001 residence=5 language=5 work=5 education=5 health=5 housing=5 family=5 finances=5 social=5")
	help("anna", "K-2026-0001") // checks the limit

	// Nobody else opens the form, reads the scores or leaves a read in the log.
	reads = audited("assessment.list")
	for _, user := range []string{"ben", "kora", "nobody"} {
		if rep := w.exec("teamA", user, "assess K-2026-0001", "trigger"); rep.Dialog != nil || strings.Contains(rep.Text, "5") && strings.Contains(rep.Text, "2026") {
			t.Errorf("%s got the form or scores of anna's case: %+v", user, rep)
		}
	}
	if u, err := w.st.User(context.Background(), w.users["bea"].ID); err != nil {
		t.Fatal(err)
	} else if rep := w.svc.Execute(context.Background(), Request{TeamID: "teamB", User: u, Text: "assess K-2026-0001", TriggerID: "trigger"}); rep.Dialog != nil {
		t.Errorf("another team's coach got a form: %+v", rep)
	}
	if audited("assessment.list") != reads {
		t.Errorf("refused forms audited a read of the scores")
	}
}

// A digest's "done" opens the form of its item (Request.Item) only for the
// case's owner and while the item's date is still the button's.
func TestItemForm(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=eu consent=yes") // assessment due 07.12., monitoring 21.12.
	form := func(user, verb string, kind kim.ItemKind, due kim.Date) Reply {
		t.Helper()
		u, err := w.st.User(context.Background(), w.users[user].ID)
		if err != nil {
			t.Fatal(err)
		}
		return w.svc.Execute(context.Background(), Request{TeamID: "teamA", User: u, TriggerID: "trigger", Text: verb + " K-2026-0001",
			Item: &kim.ItemForm{Verb: verb, Kind: kind, CaseRef: "K-2026-0001", Due: due}})
	}
	assessDue, monitoringDue := kim.Date{Y: 2026, M: 12, D: 7}, kim.Date{Y: 2026, M: 12, D: 21}
	if rep := form("anna", "assess", kim.ItemAssessment, assessDue); rep.Dialog == nil || rep.Dialog.CallbackID != "assess K-2026-0001" {
		t.Fatalf("assessment item: %+v", rep)
	}
	if rep := form("anna", "contact", kim.ItemMonitoring, monitoringDue); rep.Dialog == nil || rep.Dialog.CallbackID != "contact K-2026-0001" {
		t.Fatalf("monitoring item: %+v", rep)
	}
	if rep := form("anna", "contact", kim.ItemMonitoring, assessDue); rep.Dialog != nil || !strings.Contains(rep.Text, "inzwischen geändert") {
		t.Fatalf("a stale monitoring item: %+v", rep)
	}
	if rep := form("ben", "assess", kim.ItemAssessment, assessDue); rep.Dialog != nil || !strings.Contains(rep.Text, "does not exist for you") {
		t.Fatalf("another coach's item: %+v", rep)
	}
	// Once assessed, the button made for 07.12. is stale.
	w.ok("anna", "assess K-2026-0001 language=3", "24.05.2027") // 23.05.2027 is a Sunday
	if rep := form("anna", "assess", kim.ItemReassessment, assessDue); rep.Dialog != nil || rep.Outcome != kim.ECONFLICT {
		t.Fatalf("a stale assessment item: %+v", rep)
	}
	if rep := form("anna", "assess", kim.ItemReassessment, kim.Date{Y: 2027, M: 5, D: 24}); rep.Dialog == nil {
		t.Fatalf("the re-assessment item: %+v", rep)
	}
	w.ok("anna", "close K-2026-0001 other")
	if rep := form("anna", "contact", kim.ItemMonitoring, monitoringDue); rep.Dialog != nil || !strings.Contains(rep.Text, "gibt es für Sie nicht") {
		t.Fatalf("an item of a closed case: %+v", rep)
	}
}
