package commands

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// A Rechtskreiswechsel AsylbLG → SGB II creates the team's steps with
// their dates; done and snooze change exactly their step; an edited
// template applies to the next change (a holiday moves to the next working
// day); a change back asks first and closes the open steps only when
// confirmed; the report counts the transition with its median.
func TestTransitionSteps(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const k = "K-2026-0001"
	w.ok("anna", "open AB group=refugee domain=AsylbLG consent=yes", k)
	w.ok("anna", "consent "+k+" grant jobcenter")
	w.ok("anna", "rechtskreis "+k+" SGB2 since=23.11.2026", "AsylbLG → SGB II", "8 Schritte", "keine Rechtsberatung",
		"Bürgergeld beim Jobcenter beantragen", "23.11.2026", "30.11.2026", "07.12.2026", "21.12.2026",
		"Einwilligung fehlt", "/kim einwilligung "+k+" erteilen sozialamt", "/kim verweis "+k+" jobcenter")
	if n := w.count(`SELECT count(*) FROM transition_steps WHERE status = 'open'`); n != 8 {
		t.Fatalf("%d open steps, want 8", n)
	}

	a := kim.Actor{TeamID: "teamA", UserID: w.users["anna"].ID, Today: kim.DateOf(testNow)}
	item := func(n int) kim.ItemRef {
		return kim.ItemRef{Kind: kim.ItemTransition, TeamID: "teamA", CaseRef: k, N: n}
	}
	for _, ch := range []store.ItemChange{
		{Item: item(1), Expected: kim.Date{Y: 2026, M: 11, D: 23}, Done: true},
		{Item: item(2), Expected: kim.Date{Y: 2026, M: 11, D: 30}, Done: true},
		{Item: item(3), Expected: kim.Date{Y: 2026, M: 12, D: 7}, Until: kim.Date{Y: 2026, M: 12, D: 14}},
	} {
		if _, err := w.st.ChangeItem(ctx, a, ch); err != nil {
			t.Fatal(err)
		}
	}
	// A repeated press changes nothing.
	if _, err := w.st.ChangeItem(ctx, a, store.ItemChange{Item: item(1), Expected: kim.Date{Y: 2026, M: 11, D: 23}, Done: true}); err == nil {
		t.Error("a second done on step 1 was accepted")
	}
	if got := w.count(`SELECT count(*) FROM transition_steps WHERE status = 'done' AND closed_on = '2026-11-23' AND n IN (1, 2)`); got != 2 {
		t.Errorf("%d steps done, want 2", got)
	}
	if got := w.count(`SELECT count(*) FROM transition_steps WHERE n = 3 AND status = 'open' AND due_on = '2026-12-14'`); got != 1 {
		t.Error("step 3 was not moved to 14.12.2026")
	}
	if got := w.count(`SELECT count(*) FROM transition_steps WHERE n > 3 AND status = 'open' AND due_on IN ('2026-12-07', '2026-12-21')`); got != 5 {
		t.Errorf("%d untouched steps, want 5", got)
	}
	w.ok("anna", "zeige "+k, "Rechtskreiswechsel AsylbLG → SGB II seit 23.11.2026: 2 erledigt · 6 offen · 0 überfällig",
		"14.12.2026", "und ein weiterer offener Schritt")

	// Refusals: bad input, other people's cases and templates, roles.
	w.want("teamA", "root", "admin uebergang neu AsylbLG SGB2 "+strings.Repeat("x", 201), kim.EINVALID)
	w.want("teamA", "root", "admin uebergang neu AsylbLG AsylbLG Text", kim.EINVALID, "kein Rechtskreiswechsel",
		"(AsylbLG, SGB II, SGB III, SGB VIII, SGB XII oder keiner)")
	w.want("teamA", "root", "admin uebergang neu AsylbLG SGB9 Text", kim.EINVALID)
	w.want("teamA", "root", "admin uebergang aendern AsylbLG SGB2 1 tage=400", kim.EINVALID)
	w.want("teamA", "root", "admin uebergang aendern AsylbLG SGB2 1 tage=-1", kim.EINVALID)
	w.want("teamA", "root", "admin uebergang entfernen SGB3 SGB8 1", kim.ENOTFOUND, "Die Vorlage SGB III → SGB VIII hat keinen Schritt 1.")
	w.want("teamA", "root", "admin uebergang entfernen keiner SGB2 1", kim.ENOTFOUND, "Die Vorlage keiner → SGB II hat keinen Schritt 1.")
	w.want("teamA", "root", "admin uebergang neu AsylbLG SGB2 Text partner=niemand", kim.EINVALID)
	w.want("teamA", "anna", "admin uebergang neu AsylbLG SGB2 Text", kim.EFORBIDDEN)
	w.want("teamA", "ben", "rechtskreis "+k+" SGB3", kim.ENOTFOUND)
	w.want("teamB", "bea", "rechtskreis "+k+" SGB3", kim.ENOTFOUND)
	w.want("teamB", "bea", "open KL group=eu domain=keiner consent=yes", "ok", k)
	w.want("teamB", "bea", "rechtskreis "+k+" keiner", kim.ECONFLICT, "Fall "+k+" hat schon keinen Rechtskreis.")
	if n := w.count(`SELECT count(*) FROM transition_templates WHERE team_id = 'teamA' AND from_domain = 'AsylbLG' AND to_domain = 'SGB2'`); n != 8 {
		t.Fatalf("refused template changes changed the template: %d steps", n)
	}

	// The admin edits the template; the next change uses it. 23.11. + 32
	// days is the 25.12. (a holiday): the step is due on Monday 28.12.
	// Their answers name the domains as people write them (SGB II), never
	// as kimbot keeps them (SGB2).
	var answers []string
	admin := func(line string, fragments ...string) {
		t.Helper()
		answers = append(answers, w.ok("root", line, fragments...).Text)
	}
	admin("admin uebergang liste AsylbLG SGB2", "**AsylbLG → SGB II** (8 Schritte)", "Bürgergeld", "Vorschlag", "keine Rechtsberatung")
	admin("admin übergang ändern AsylbLG SGB II 1 \"Bürgergeld beantragen (Jobcenter Nord)\" tage=32",
		"Schritt 1 der Vorlage AsylbLG → SGB II geändert", "Jobcenter Nord", "32 Tage")
	// Removing a step asks first and changes nothing until confirmed.
	snap := w.snapshot()
	admin("admin uebergang entfernen AsylbLG SGB II 8", "Entfernt würde Schritt 8 („", "aus der Vorlage AsylbLG → SGB II", "Noch ist nichts geändert",
		"`/kim admin uebergang entfernen AsylbLG SGB II 8 bestätigen`")
	if w.snapshot() != snap || w.count(`SELECT count(*) FROM audit_log WHERE action = 'transition.template.remove'`) != 0 {
		t.Fatal("a removal that was not confirmed changed something")
	}
	admin("admin uebergang entfernen AsylbLG SGB2 8 bestätigen", "aus der Vorlage AsylbLG → SGB II entfernt")
	if n := w.count(`SELECT count(*) FROM transition_templates WHERE team_id = 'teamA' AND from_domain = 'AsylbLG' AND to_domain = 'SGB2'`); n != 7 {
		t.Fatalf("after the confirmed removal: %d steps, want 7", n)
	}
	admin("admin uebergang neu AsylbLG SGB2 \"Bankkonto klären\" tage=3", "Schritt 8 in die Vorlage AsylbLG → SGB II aufgenommen")
	admin("admin uebergang neu SGB12 keiner \"Abmeldung beim Sozialamt\" partner=sozialamt", "Schritt 1 in die Vorlage SGB XII → keiner aufgenommen")
	admin("admin uebergang entfernen SGB12 none 1 bestaetigen", "aus der Vorlage SGB XII → keiner entfernt")
	for _, a := range answers {
		if m := regexp.MustCompile(`SGB\d|\bnone\b`).FindString(a); m != "" {
			t.Errorf("a template answer shows the key %q:\n%s", m, a)
		}
	}
	w.ok("anna", "open CD group=refugee domain=AsylbLG consent=yes", "K-2026-0002")
	rep := w.ok("anna", "rechtskreis K-2026-0002 SGB2 since=23.11.2026", "8 Schritte", "Bürgergeld beantragen (Jobcenter Nord)", "28.12.2026",
		"Bankkonto klären", "26.11.2026")
	if strings.Contains(rep.Text, "Auszug aus der Gemeinschaftsunterkunft") {
		t.Error("the removed step was created")
	}
	// Steps already created keep the old text.
	if n := w.count(`SELECT count(*) FROM transition_steps s JOIN cases c ON c.id = s.case_id
		WHERE c.ref = $1 AND s.n = 1 AND s.text LIKE 'Bürgergeld beim Jobcenter beantragen%'`, k); n != 1 {
		t.Error("a step already created took the edited template's text")
	}

	// A change back asks first and changes nothing; confirmed, it closes
	// the six open steps as no longer needed.
	before := w.snapshot()
	w.ok("anna", "rechtskreis "+k+" AsylbLG", "6 Schritte", "Gelten sie nach dem Wechsel SGB II → AsylbLG noch?", "nicht mehr nötig",
		"bestätigen", "behalten", "Noch ist nichts geändert")
	if after := w.snapshot(); after != before {
		t.Fatal("the unconfirmed change back changed data")
	}
	w.ok("anna", "rechtskreis "+k+" AsylbLG bestätigen", "SGB II → AsylbLG", "3, 4, 5, 6, 7, 8")
	if got := w.count(`SELECT count(*) FROM transition_steps s JOIN cases c ON c.id = s.case_id WHERE c.ref = $1 AND s.status = 'dropped'`, k); got != 6 {
		t.Errorf("%d steps dropped, want 6", got)
	}
	w.ok("anna", "zeige "+k, "nicht mehr nötig")
	// Keeping them: the steps stay open.
	w.ok("anna", "rechtskreis K-2026-0002 AsylbLG behalten", "bleiben offen")
	if got := w.count(`SELECT count(*) FROM transition_steps s JOIN cases c ON c.id = s.case_id WHERE c.ref = 'K-2026-0002' AND s.status = 'open'`); got != 8 {
		t.Errorf("%d steps open after keeping, want 8", got)
	}

	// The report: five transitions whose steps were all done 10 days after
	// the change give a median of 10; the others stay below five cases.
	for i := 3; i <= 7; i++ {
		ref := "K-2026-000" + string(rune('0'+i))
		w.ok("anna", "open P"+ref[len(ref)-1:]+" group=refugee domain=AsylbLG consent=yes", ref)
		w.ok("anna", "rechtskreis "+ref+" SGB2 since=23.11.2026", "8 Schritte")
	}
	if _, err := w.st.Pool().Exec(ctx, `UPDATE transition_steps s SET status = 'done', closed_on = '2026-12-03'
		FROM cases c WHERE c.id = s.case_id AND c.ref BETWEEN 'K-2026-0003' AND 'K-2026-0007'`); err != nil {
		t.Fatal(err)
	}
	w.at(2026, 12, 31)
	rep = w.ok("kora", "bericht 2026", "AsylbLG → SGB II", "Tage bis alle Schritte erledigt")
	line := ""
	for _, l := range strings.Split(rep.Text, "\n") {
		if strings.Contains(l, "AsylbLG → SGB II") {
			line = l
		}
	}
	// The 7 are withheld: with the overview's total they would reveal the
	// changes back (below five cases); their median stays.
	if !strings.Contains(line, "| • | 10,0 |") || !strings.Contains(rep.Text, "| SGB II → AsylbLG | <5 Fälle |") {
		t.Errorf("report line %q, want the 7 changes withheld and a median of 10,0", line)
	}
}

// The agenda's Strukturhinweise show where transitions stall: per template
// step and partner, in how many open cases of the team the step is overdue
// on the day of the post; a step overdue in fewer than five cases is not
// named (small numbers suppressed); nothing of a case is shown (no
// reference, no pseudonym, not even one an admin wrote into a template).
// Done steps, closed cases, steps not yet due and another team's cases do
// not count.
func TestAgendaTransitionStalls(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	chs := newChannels("netz")
	w.svc.Channels = chs
	names := []string{"Amira", "Bilal", "Chiara", "Dawit", "Elif", "Farid", "Goran", "Zora"}
	// No transition yet: the section says so.
	w.ok("kora", "meeting new 2026-12-10 14:00 Netzwerk channel=~netz", "**M-1**")
	w.ok("kora", "meeting show M-1", "Rechtskreiswechsel: wo Übergänge stocken", "Stand 23.11.2026: Kein Schritt")

	w.ok("root", `admin uebergang neu AsylbLG SGB2 "Termin mit Zora beim Jobcenter abstimmen" partner=jobcenter tage=0`, "Schritt 9")
	for i, name := range names[:7] {
		ref := fmt.Sprintf("K-2026-%04d", i+1)
		w.ok("anna", "open "+name+" group=refugee domain=AsylbLG consent=yes", ref)
		w.ok("anna", "rechtskreis "+ref+" SGB2 since=23.11.2026", "9 Schritte")
	}
	w.ok("anna", "open Zora group=refugee domain=SGB2 consent=yes", "K-2026-0008")
	w.ok("anna", "rechtskreis K-2026-0008 SGB III since=23.11.2026", "4 Schritte")
	w.want("teamB", "bea", "open Yara group=refugee domain=AsylbLG consent=yes", "ok")
	w.want("teamB", "bea", "rechtskreis K-2026-0001 SGB II since=23.11.2026", "ok", "8 Schritte")
	a := kim.Actor{TeamID: "teamA", UserID: w.users["anna"].ID, Today: kim.DateOf(testNow)}
	if _, err := w.st.ChangeItem(ctx, a, store.ItemChange{Item: kim.ItemRef{Kind: kim.ItemTransition, TeamID: "teamA", CaseRef: "K-2026-0001", N: 1},
		Expected: kim.Date{Y: 2026, M: 11, D: 23}, Done: true}); err != nil {
		t.Fatal(err)
	}
	w.ok("anna", "abschliessen K-2026-0007 verzogen")

	// On Tuesday 08.12.2026 the steps due 23.11., 30.11. and 07.12. are
	// overdue; those due 21.12. are not.
	w.at(2026, 12, 8)
	w.ok("kora", "agenda post M-1", "~netz")
	post := chs.last("ch-netz")
	rows := map[string]string{}
	for _, l := range strings.Split(post, "\n") {
		if strings.HasPrefix(l, "| ") && strings.Contains(l, " → ") {
			cells := strings.Split(strings.Trim(l, "| "), " | ")
			rows[cells[0]+" · "+strings.ReplaceAll(cells[1], `\`, "")] = cells[2] + " | " + cells[3]
		}
	}
	want := map[string]string{
		"AsylbLG → SGB II · Bürgergeld beim Jobcenter beantragen (Leistung ab dem Monat der Antragstellung)": "Jobcenter | 5",
		"AsylbLG → SGB II · AsylbLG-Leistungen beim Sozialamt beenden (Abmeldung, keine Doppelzahlung)":      "Sozialamt | 6",
		"AsylbLG → SGB II · Gesetzliche Krankenversicherung: Mitgliedschaft bei einer Krankenkasse anmelden": "– | 6",
		"AsylbLG → SGB II · Aufenthaltserlaubnis bei der Ausländerbehörde beantragen":                        "Ausländerbehörde | 6",
		"AsylbLG → SGB II · Wohnsitzauflage (§ 12a AufenthG) prüfen":                                         "Ausländerbehörde | 6",
		"AsylbLG → SGB II · Termin mit […] beim Jobcenter abstimmen":                                         "Jobcenter | 6",
	}
	for step, cells := range want {
		if got, ok := rows[step]; !ok || got != cells {
			t.Errorf("stall row %q: %q, want %q", step, got, cells)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d stall rows, want %d (the steps of SGB II → SGB III, overdue in one case, not named):\n%s", len(rows), len(want), post)
	}
	for _, want := range []string{"**Rechtskreiswechsel: wo Übergänge stocken**", "Stand 08.12.2026",
		"| Wechsel | Schritt | Partner | Fälle |", "Schritte, die in weniger als 5 Fällen überfällig sind, werden nicht einzeln genannt.",
		"where changes of legal domain stall"} {
		if !strings.Contains(post, want) {
			t.Errorf("agenda post lacks %q:\n%s", want, post)
		}
	}
	// Rows in order: most cases first.
	if i, j := strings.Index(post, "| Sozialamt | 6 |"), strings.Index(post, "| Jobcenter | 5 |"); i < 0 || j < i {
		t.Errorf("rows not ordered by cases:\n%s", post)
	}
	for _, leak := range append([]string{"K-2026", "@anna", "Kindergeld", "Gemeinschaftsunterkunft", "SGB III", "Arbeitslos"}, names...) {
		if strings.Contains(post, leak) {
			t.Errorf("agenda post holds %q:\n%s", leak, post)
		}
	}
	// The coordinator's preview shows what the network sees.
	w.ok("kora", "meeting show M-1", "Stand 08.12.2026", "| Jobcenter | 5 |", "nicht einzeln genannt")

	// Only small numbers: no step is named. Five of the six cases close.
	for i := 2; i <= 6; i++ {
		w.ok("anna", fmt.Sprintf("abschliessen K-2026-%04d verzogen", i))
	}
	w.ok("kora", "agenda post M-1", "~netz")
	post = chs.last("ch-netz")
	if !strings.Contains(post, "Stand 08.12.2026: Überfällige Schritte beim Rechtskreiswechsel gibt es nur in weniger als 5 Fällen je Schritt") ||
		strings.Contains(post, "| Wechsel |") || strings.Contains(post, "Sozialamt") {
		t.Errorf("agenda with small numbers only:\n%s", post)
	}
}

// A coach checks a step off when it is done, not only from the digest on its
// day: done (today or an earlier day since the change), open again after a
// slip, closed as no longer needed; each exactly that step, audited, and
// refused without change when it makes no sense.
func TestStepByHand(t *testing.T) {
	w := newWorld(t) // 23.11.2026
	const k = "K-2026-0001"
	w.ok("anna", "open AB group=refugee domain=AsylbLG consent=yes datum=16.11.2026", k)
	w.ok("anna", "rechtskreis "+k+" SGB2 seit=18.11.2026", "8 Schritte")

	w.ok("anna", "schritt K-2026-1 6", "Schritt 6 von **"+k+"** erledigt am 23.11.2026: Integrationskurs",
		"AsylbLG → SGB II seit 18.11.2026: 1 erledigt · 7 offen · 1 überfällig") // step 1 was due 18.11.
	w.ok("anna", "schritt "+k+" 1 erledigt datum gestern", "Schritt 1 von **"+k+"** erledigt am 22.11.2026", "2 erledigt · 6 offen · 0 überfällig")
	w.ok("anna", "schritt "+k+" 6 offen", "Schritt 6 von **"+k+"** ist wieder offen, fällig am 16.12.2026")
	w.ok("anna", "step "+k+" 7 nicht mehr nötig", "als nicht mehr nötig geschlossen: Kindergeld")
	if got := w.count(`SELECT count(*) FROM transition_steps WHERE (n = 1 AND status = 'done' AND closed_on = '2026-11-22')
		OR (n = 6 AND status = 'open' AND closed_on IS NULL) OR (n = 7 AND status = 'dropped' AND closed_on = '2026-11-23')
		OR (n NOT IN (1, 6, 7) AND status = 'open')`); got != 8 {
		t.Errorf("%d steps as set, want 8", got)
	}
	if got := w.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'transition.step.%'`); got != 4 {
		t.Errorf("%d audit rows of steps, want 4", got)
	}
	w.ok("anna", "zeige "+k, "1 erledigt · 6 offen · 0 überfällig", "… und ein weiterer offener Schritt (alle: `/kim schritte "+k+"`)")

	// The whole checklist: every step, done and dropped ones too.
	list := w.ok("anna", "schritte AB", "**Schritte von "+k+": Rechtskreiswechsel AsylbLG → SGB II seit 18.11.2026** (1 erledigt · 6 offen · 0 überfällig)",
		"| 1 | Bürgergeld", "erledigt 22.11.2026", "| 7 | Kindergeld", "nicht mehr nötig", "Abhaken: `/kim schritt "+k+" <nr>`").Text
	if n := strings.Count(list, "\n| "); n != 8+2 { // the head, its rule and eight steps
		t.Errorf("the checklist has %d rows, want 8 steps:\n%s", n-2, list)
	}
	w.wantAudits("true", map[string]int{"transition.list": 1})                             // the checklist read, not the whole card
	w.want("teamA", "ben", "schritte "+k, kim.ENOTFOUND)                                   // not ben's case
	w.want("teamA", "anna", "schritt AB", kim.EINVALID, "Meinten Sie `/kim schritte AB`?") // no number: the checklist
	w.want("teamA", "anna", "step AB", kim.EINVALID, "`/kim steps AB`")
	w.want("teamA", "anna", "schritt AB erledigt", kim.EINVALID, "„erledigt“ ist keine Zahl") // a number left out: not the checklist
	w.ok("anna", "neu CD gruppe=eu einwilligung=ja", "K-2026-0002")
	w.ok("anna", "schritte CD", "Zu **K-2026-0002** gibt es keinen Rechtskreiswechsel mit Schritten")

	before := w.snapshot()
	for _, tc := range []struct{ line, outcome, want string }{
		{"schritt " + k + " 1", kim.ECONFLICT, "schon erledigt (22.11.2026)"},
		{"schritt " + k + " 2 offen", kim.ECONFLICT, "schon offen"},
		{"schritt " + k + " 9", kim.ENOTFOUND, "keinen Schritt 9"},
		{"schritt " + k + " 2 datum=17.11.2026", kim.EINVALID, "vor dem Rechtskreiswechsel am 18.11.2026"},
		{"schritt " + k + " 2 datum=morgen", kim.EINVALID, "oder nach heute"},
		{"schritt " + k + " 2 vielleicht", kim.EINVALID, "erledigt, offen, nicht mehr nötig"},
	} {
		w.want("teamA", "anna", tc.line, tc.outcome, tc.want)
	}
	// A list is all or nothing: one step refused, none changed.
	w.want("teamA", "anna", "schritt "+k+" 2, 1 und 3", kim.ECONFLICT, "Schritt 1 von "+k+" ist schon erledigt (22.11.2026)", "Keiner der Schritte 1, 2 und 3 ist geändert.")
	w.want("teamA", "anna", "schritt "+k+" 2 3 9", kim.ENOTFOUND, "keinen Schritt 9", "Keiner der Schritte 2, 3 und 9 ist geändert.")
	w.want("teamA", "anna", "schritt "+k+" 3-2", kim.EINVALID, "„3-2“ ist keine Zahl von 1 bis 1000 (auch mehrere")
	w.want("teamA", "anna", "schritt "+k+" 1-400", kim.EINVALID, "keine Zahl")
	w.want("teamA", "anna", "schritt "+k+" 2 3 fällig=gestern", kim.EINVALID, "Keiner der Schritte 2 und 3 ist geändert.")
	w.want("teamA", "ben", "schritt "+k+" 2", kim.ENOTFOUND) // not ben's case
	if w.snapshot() != before {
		t.Fatal("a refused step command changed the database")
	}

	// Several steps at once, as they are listed.
	w.ok("anna", "schritt "+k+" 2 und 3 erledigt", "Schritt 2 von **"+k+"** erledigt am 23.11.2026", "Schritt 3 von **"+k+"** erledigt am 23.11.2026", "3 erledigt")
	w.ok("anna", "schritt "+k+" 2, 3 offen", "Schritt 2 von **"+k+"** ist wieder offen", "Schritt 3 von **"+k+"** ist wieder offen", "1 erledigt")
	w.ok("anna", "schritt "+k+" 2-4 fällig=15.01.2027", "Schritt 4 von **"+k+"** ist fällig am 15.01.2027")
	w.ok("anna", "schritt "+k+" 5 fällig=16.01.2027", "Der 16.01.2027 ist ein Samstag; die Tagesübersicht bringt den Termin am nächsten Arbeitstag, dem 18.01.2027.")
	if n := w.count(`SELECT count(*) FROM transition_steps WHERE due_on = '2027-01-15' AND n IN (2, 3, 4)`); n != 3 {
		t.Errorf("%d steps due on 15.01.2027, want 3", n)
	}
}

// A Rechtskreiswechsel recorded by mistake is deleted, the latest first,
// with its steps: asked first with nothing changed, then the case's legal
// domain is the one before again and the steps the change had closed as no
// longer needed are open again; step numbers are not given twice; other
// coaches find nothing; each delete is audited.
func TestDomainChangeDelete(t *testing.T) {
	w := newWorld(t) // Monday 23.11.2026
	const k = "K-2026-0001"
	w.ok("anna", "neu AB gruppe=Geflüchtete rechtskreis=AsylbLG einwilligung=ja datum=16.11.2026", k)
	w.ok("anna", "rechtskreis "+k+" SGB II seit 20.11.2026", "AsylbLG → SGB II", "8 Schritte")
	w.ok("anna", "schritt "+k+" 1 erledigt", "erledigt")
	w.ok("anna", "rechtskreis "+k+" SGB III bestätigen", "SGB II → SGB III", "Die offenen Schritte 2, 3, 4, 5, 6, 7, 8 des früheren Wechsels")
	mistaken := w.count(`SELECT count(*) FROM transition_steps s JOIN domain_changes d ON d.id = s.change_id WHERE d.to_domain = 'SGB3'`)
	if mistaken == 0 {
		t.Fatal("the change to SGB III made no steps")
	}

	snap := w.snapshot()
	w.ok("anna", "rechtskreis löschen "+k, "Gelöscht würde der Rechtskreiswechsel SGB II → SGB III seit 23.11.2026 von **"+k+"**",
		"Der Rechtskreis wäre wieder SGB II", "die Schritte 2, 3, 4, 5, 6, 7, 8 des Wechsels davor", "Noch ist nichts geändert",
		"`/kim rechtskreis löschen "+k+" bestätigen`")
	w.want("teamA", "ben", "rechtskreis loeschen "+k+" bestaetigen", kim.ENOTFOUND, k)
	w.want("teamA", "kora", "rechtskreis loeschen "+k+" bestaetigen", kim.EFORBIDDEN)
	if w.snapshot() != snap {
		t.Fatal("an unconfirmed or refused delete changed something")
	}
	w.ok("anna", "rechtskreis löschen "+k+" bestätigen", "Rechtskreiswechsel SGB II → SGB III seit 23.11.2026 von **"+k+"** gelöscht",
		"Rechtskreis: SGB II.", "Wieder offen: Schritte 2, 3, 4, 5, 6, 7, 8.")
	w.ok("anna", "zeige "+k, "Rechtskreis: SGB II", "Rechtskreiswechsel AsylbLG → SGB II seit 20.11.2026: 1 erledigt · 7 offen")
	if n := w.count(`SELECT count(*) FROM transition_steps WHERE status = 'open' AND closed_on IS NULL AND dropped_by IS NULL`); n != 7 {
		t.Errorf("%d open steps, want 7", n)
	}
	if n := w.count(`SELECT count(*) FROM domain_changes`); n != 1 {
		t.Errorf("%d changes left, want 1", n)
	}

	// Recorded again: its steps count on after the deleted ones.
	w.ok("anna", "rechtskreis "+k+" SGB III bestätigen", "SGB II → SGB III")
	if n := w.count(`SELECT min(s.n) FROM transition_steps s JOIN domain_changes d ON d.id = s.change_id WHERE d.to_domain = 'SGB3'`); n != 9+mistaken {
		t.Errorf("the new change's first step is %d, want %d (numbers of deleted steps given again)", n, 9+mistaken)
	}
	w.ok("anna", "rechtskreis löschen "+k+" bestätigen", "gelöscht", "Rechtskreis: SGB II.")
	w.ok("anna", "rechtskreis löschen "+k, "AsylbLG → SGB II seit 20.11.2026", "mit seinen 8 Schritten (davon erledigt: 1)", "wieder AsylbLG")
	w.ok("anna", "rechtskreis entfernen "+k+" bestätigen", "gelöscht", "Rechtskreis: AsylbLG.")
	w.want("teamA", "anna", "rechtskreis löschen "+k, kim.ENOTFOUND, "Für **"+k+"** ist kein Rechtskreiswechsel erfasst.")
	if n := w.count(`SELECT count(*) FROM transition_steps`) + w.count(`SELECT count(*) FROM domain_changes`); n != 0 {
		t.Errorf("%d steps and changes left, want none", n)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'domain.delete'`); n != 3 {
		t.Errorf("domain.delete audit rows: %d, want 3", n)
	}
	// The opening's legal domain can be corrected again once no change is left.
	w.ok("anna", "fall ändern "+k+" rechtskreis=SGB XII", "Rechtskreis: SGB XII")
}

// A step's day set by hand (an appointment the partner gave): only for an
// open step, from today on, alone; the digest and the card follow it.
func TestStepDue(t *testing.T) {
	w := newWorld(t) // 23.11.2026
	const k = "K-2026-0001"
	w.ok("anna", "open AB group=refugee domain=AsylbLG consent=yes datum=16.11.2026", k)
	w.ok("anna", "rechtskreis "+k+" SGB2 seit=18.11.2026", "8 Schritte")
	w.ok("anna", "schritt "+k+" 2 erledigt", "erledigt am 23.11.2026")

	before := w.snapshot()
	for _, tc := range []struct{ line, outcome, want string }{
		{"schritt " + k + " 2 fällig=15.01.2027", kim.ECONFLICT, "schon geschlossen"},
		{"schritt " + k + " 1 fällig=01.11.2026", kim.EINVALID, "Vergangenheit"},
		{"schritt " + k + " 1 erledigt fällig=15.01.2027", kim.EINVALID, "steht allein"},
		{"schritt " + k + " 9 fällig=15.01.2027", kim.ENOTFOUND, "keinen Schritt 9"},
	} {
		w.want("teamA", "anna", tc.line, tc.outcome, tc.want)
	}
	w.want("teamA", "ben", "schritt "+k+" 1 fällig=15.01.2027", kim.ENOTFOUND)
	if w.snapshot() != before {
		t.Fatal("a refused step day changed something")
	}
	w.ok("anna", "schritt "+k+" 1 fällig 15.1.", "Schritt 1 von **"+k+"** ist fällig am 15.01.2027: Bürgergeld",
		"1 erledigt · 7 offen · 0 überfällig") // it was due 18.11.
	if n := w.count(`SELECT count(*) FROM transition_steps WHERE n = 1 AND status = 'open' AND due_on = '2027-01-15'`); n != 1 {
		t.Error("the step's day is not stored")
	}
	w.wantAudits(`case_ref = '`+k+`'`, map[string]int{"transition.step.due": 1})
}
