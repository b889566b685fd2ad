package commands

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
)

// TestEveryLineAnswers: every example of the verb table — whole, cut off
// after each of its words, with one word broken, with an absurd date and a
// huge text in it — run by a case's owner, another coach, a coordinator, an
// admin and a user without a role, against the real store, gets an answer
// that is no internal error and has every message filled in. A handler that
// panics or fails on half a line, or a message whose template lacks a
// value, fails here. Each example runs on a case and a meeting of its own,
// with a contact, an assessment, goals, consents, referrals and an outcome,
// so corrections and deletions reach their records.
func TestEveryLineAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs thousands of commands")
	}
	w := newWorld(t)
	w.svc.Channels = newChannels("netz", "kim-netzwerk", "town-square")
	w.svc.Files = &files{}
	w.svc.AgendaPostTime = func(m kim.Meeting, lead int) time.Time { return testNow.Add(48 * time.Hour) }
	for _, name := range []string{"lena", "jonas"} { // the examples' other coaches
		u := kim.User{ID: "id-" + name, Username: name, Locale: "de"}
		w.users[name], w.dir["teamA/"+name] = u, u
		if _, err := w.st.SyncUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		w.run("teamA", "root", "admin role @"+name+" coach org=Caritas")
	}
	refRe, meetingRe, actionRe := regexp.MustCompile(`K-\d{4}-\d{4}`), regexp.MustCompile(`M-\d+`), regexp.MustCompile(`A-\d+`)
	first := func(re *regexp.Regexp, rep Reply, line string) string {
		s := re.FindString(rep.Text)
		if s == "" {
			t.Fatalf("%q: no reference in %q", line, rep.Text)
		}
		return s
	}
	// fixture makes the records one example works on and returns how its
	// references are replaced.
	fixture := func() *strings.Replacer {
		line := "neu X gruppe=geflüchtete rechtskreis=AsylbLG einwilligung=ja datum=02.11.2026"
		ref := first(refRe, w.ok("anna", line), line)
		for _, l := range []string{"kontakt " + ref + " telefon Rückruf datum=03.11.2026", "kontakt " + ref + " persönlich Termin datum=04.11.2026",
			"kontakt " + ref + " video Nachfrage datum=05.11.2026",
			"einschätzung " + ref + " sprache=2 arbeit=3 datum=06.11.2026", "einschätzung " + ref + " sprache=3 arbeit=3 datum=07.11.2026",
			"ziel " + ref + " Arbeit Praktikum finden", "ziel " + ref + " Sprache B1-Kurs", "ziel " + ref + " Wohnen Wohnung suchen",
			"einwilligung " + ref + " jobcenter erteilt", "einwilligung " + ref + " jmd erteilt", "einwilligung " + ref + " arbeitsagentur erteilt",
			"verweis " + ref + " jmd Ausbildung", "verweis " + ref + " jobcenter Antrag", "ergebnis " + ref + " 2 in Bearbeitung",
			"rechtskreis " + ref + " SGB2 seit=10.11.2026", "hindernis " + ref + " jobcenter Termine erst nach acht Wochen"} {
			w.ok("anna", l)
		}
		line = "treffen neu 17.12.2026 9:30 Netzwerk kanal=~netz"
		m := first(meetingRe, w.ok("kora", line), line)
		line = "aufgabe neu " + m + " @anna Daten besorgen"
		a := first(actionRe, w.ok("kora", line), line)
		w.ok("kora", "tagesordnung neu "+m+" Wartezeiten")
		// The examples' people are the two extra coaches, so that an
		// example that takes a role or hands a case over leaves the
		// callers as they are.
		return strings.NewReplacer("K-2026-0042", ref, "k-2026-0042", strings.ToLower(ref), "M-3", m, "A-7", a, "@anna", "@lena", "@ben", "@jonas")
	}
	outcomes := map[string]int{}
	var last string
	examples, whole := 0, 0
	check := func(user, line string) {
		t.Helper()
		rep := w.run("teamA", user, line)
		outcomes[rep.Outcome]++
		last = rep.Outcome
		switch {
		case rep.Outcome == kim.EINTERNAL:
			t.Errorf("%s: %q: internal error", user, line)
		case strings.TrimSpace(rep.Text) == "":
			t.Errorf("%s: %q: empty answer", user, line)
		case strings.Contains(rep.Text, "<no value>") || strings.Contains(rep.Text, "%!") || strings.Contains(rep.Text, "{{"):
			t.Errorf("%s: %q: a message not filled in:\n%s", user, line, rep.Text)
		}
	}
	huge := strings.Repeat("Wohnung gesucht, ", 1000)
	users := []string{"anna", "ben", "kora", "root", "nobody"}
	n := 0
	for _, top := range Verbs() {
		walk(top, func(v *Verb) {
			for _, e := range v.Examples {
				refs := fixture()
				words := strings.Fields(refs.Replace(strings.TrimPrefix(e, "/kim ")))
				var lines []string
				for i := 1; i <= len(words); i++ {
					lines = append(lines, strings.Join(words[:i], " "))
				}
				for i := 1; i < len(words); i++ {
					for _, odd := range []string{"ß?", "31.02.2027", "K-2026-9999", "99999999999999999999", "=", `"`, huge} {
						mutated := append(append(append([]string{}, words[:i]...), odd), words[i+1:]...)
						lines = append(lines, strings.Join(mutated, " "))
					}
				}
				// Those who may not run it first, then one who may, the
				// whole line last: it may close or erase the case.
				main := "anna"
				if roles := v.roles(); roles != nil && !slices.Contains(roles, kim.RoleCoach) {
					main = map[bool]string{true: "kora", false: "root"}[slices.Contains(roles, kim.RoleCoordinator)]
				}
				for _, u := range users {
					if u != main {
						for _, l := range lines {
							check(u, l)
						}
					}
				}
				for _, l := range append(lines[len(words):], lines[:len(words)]...) {
					check(main, l)
				}
				n += len(lines) * len(users)
				examples++
				if last == "ok" {
					whole++
				}
			}
		})
	}
	t.Logf("%d lines, outcomes %v; %d of %d examples ran whole", n, outcomes, whole, examples)
	if whole < examples*2/3 { // the rest find their work done by a broken line before, or are forms without their dialog
		t.Errorf("only %d of %d examples ran whole: the fixture does not fit them", whole, examples)
	}
}
