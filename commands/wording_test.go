package commands

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

// Every action the audit log records about a case has a label in both
// languages, and `/kim admin audit` shows labels, never action names.
func TestAuditLabels(t *testing.T) {
	w := newWorld(t)
	w.svc.Files = &files{}
	w.svc.Exports = &exports{}
	const k = "K-2026-0001"
	for _, line := range []string{
		"open AB group=refugee consent=yes date=2026-11-02", "show " + k, "cases", "contact " + k + " phone Hallo", "contacts " + k,
		"assess " + k + " work=2", "goal add " + k + " work Praktikum", "goal done " + k + " 1", "goal add " + k + " work Kurs",
		"goal drop " + k + " 2", "goal reopen " + k + " 2", "consent " + k + " grant jobcenter", "refer " + k + " jobcenter Antrag",
		"refer edit " + k + " 1 Antrag auf Bürgergeld", "consent " + k + " grant jugendamt", "consent edit " + k + " jugendamt form=oral",
		"consent delete " + k + " jugendamt confirm", "refer " + k + " jobcenter Zweitantrag", "refer delete " + k + " 2 confirm",
		"outcome " + k + " 1 accepted", "consent " + k + " revoke jobcenter", "domain " + k + " SGB2 since=2026-11-10",
		"domain edit " + k + " since=2026-11-12", "steps " + k, "case edit " + k + " group=eu",
		"barrier " + k + " jobcenter Wartezeit", "export " + k, "close " + k + " moved", "reopen " + k,
		"due " + k + " monitoring 2026-12-20", "transfer " + k + " @ben confirm",
	} {
		w.ok("anna", line)
	}
	w.ok("ben", "open CD group=eu consent=yes")
	w.ok("ben", "erase K-2026-0002 confirm")
	ctx := context.Background()
	a := kim.Actor{TeamID: "teamA", UserID: w.users["ben"].ID, Today: kim.DateOf(testNow)}
	if err := w.st.AuditDigest(ctx, []kim.DueItem{{Kind: kim.ItemMonitoring, TeamID: "teamA", CaseID: 1, CaseRef: k,
		RecipientID: a.UserID}}); err != nil {
		t.Fatal(err)
	}
	item := kim.ItemRef{Kind: kim.ItemMonitoring, TeamID: "teamA", CaseRef: k}
	if _, err := w.st.ChangeItem(ctx, a, store.ItemChange{Item: item, Expected: kim.Date{Y: 2026, M: 12, D: 20}, Until: kim.Date{Y: 2026, M: 12, D: 27}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.ChangeItem(ctx, a, store.ItemChange{Item: item, Expected: kim.Date{Y: 2026, M: 12, D: 27}, Done: true}); err != nil {
		t.Fatal(err)
	}
	w.ok("ben", "close "+k+" moved")
	if _, err := w.st.Pool().Exec(ctx, `UPDATE cases SET closed_on = closed_on - 400, opened_on = opened_on - 400 WHERE ref = $1`, k); err != nil {
		t.Fatal(err)
	}
	if n, err := w.st.EraseExpired(ctx, kim.DateOf(testNow)); err != nil || n != 1 {
		t.Fatalf("retention erased %d (%v)", n, err)
	}
	w.ok("root", "admin audit "+k)

	rows, err := w.st.Pool().Query(ctx, `SELECT DISTINCT action FROM audit_log WHERE case_ref IS NOT NULL OR case_ids IS NOT NULL ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, s)
	}
	ids := messages.IDs()
	for _, act := range actions {
		for _, lang := range messages.Languages {
			if !ids[lang]["audit.action."+act] {
				t.Errorf("audit action %s has no %s label (audit.action.%s)", act, lang, act)
			}
		}
	}
	for _, want := range []string{"reminder.digest", "reminder.done", "reminder.snooze", "case.erase.retention", "case.transfer"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("the scenario did not record %s: %v", want, actions)
		}
	}
	rep := w.ok("root", "admin protokoll "+k, "in der Tagesübersicht gezeigt", "Erinnerung als erledigt markiert", "Erinnerung um eine Woche verschoben",
		"nach Ablauf der Aufbewahrungsfrist gelöscht")
	if strings.Contains(rep.Text, "`") {
		t.Errorf("the audit log shows raw action names:\n%s", rep.Text)
	}
}

// German answers read right to a German social worker (issue 9, "Wording
// seen"), and English ones say the same.
func TestWording(t *testing.T) {
	w := newWorld(t)
	w.svc.Channels = newChannels("netz")
	const k = "K-2026-0001"
	w.ok("anna", "open AB group=refugee consent=yes")
	for _, tc := range []struct {
		user, line string
		want, not  []string
	}{
		// Suggested commands use the German option names and values.
		{"anna", "neu XY gruppe=eu einwilligung=nein", []string{"einwilligung=ja angeben", "`/kim neu <pseudonym> gruppe="}, []string{"consent=yes"}},
		{"anna", "einstellungen", []string{"`/kim einstellungen übersicht=07:30 sprache=en` oder `übersicht=aus`"}, []string{"digest="}},
		{"anna", "abwesend", []string{"`/kim abwesend 21.12.2026 03.01.2027 vertretung=@name`"}, []string{"deputy="}},
		{"kora", "treffen liste", []string{"`/kim treffen neu 03.12.2026 14:00 Netzwerktreffen kanal=~kanal`"}, []string{"channel=", "2026-12-03"}},
		{"kora", "treffen neu 03.12.2026 14:00 Netzwerk kanal=~fehlt", nil, []string{"channel="}},
		{"nobody", "faelle", []string{"`/kim admin rolle @Ihr-Name coach`"}, nil},
		{"anna", "kontakt " + k + " telefon minutes=10 Termin", []string{"Telefon, 23.11.2026, 10 Minuten."}, []string{"Min.."}},
		{"ben", "open CD group=eu consent=yes", nil, nil},
		{"ben", "contact K-2026-0002 phone minutes=10 Call", []string{"phone, 2026-11-23, 10 minutes."}, []string{"min."}},
		{"anna", "zeige 2x", []string{"„2x“ ist kein Aktenzeichen; ein Aktenzeichen sieht so aus: K-2026-0042, kurz auch 42 oder K-42."}, []string{"es sieht aus wie"}},
		{"ben", "show 2x", []string{"“2x” is not a case reference; a case reference looks like K-2026-0042, or for short 42 or K-42."}, []string{"it looks like"}},
		{"kora", "zeige " + k, []string{"`/kim zeige` ist nur für Coaches; Ihre Rolle: Koordination."}, []string{"dürfen nur Coach"}},
		{"anna", "treffen liste", []string{"ist nur für die Koordination oder Admins; Ihre Rolle: Coach."}, nil},
		{"ben", "admin audit " + k, []string{"`/kim admin audit` is only for admins; your role: coach."}, nil},
		{"root", "admin rolle @nobody coordinator", []string{"@nobody hat jetzt die Rolle Koordination."}, []string{"ist jetzt"}},
		{"anna", "verweis " + k + " jobcenter Antrag", []string{"`/kim einwilligung " + k + " erteilen jobcenter form=schriftlich`"}, []string{"/kim consent"}},
		{"anna", "einwilligung " + k + " erteilen jobcenter form=schriftlich", []string{"Einwilligung in **" + k + "** erfasst"}, nil},
		{"anna", "verweis " + k + " jobcenter Antrag", []string{"`/kim ergebnis " + k + " 1 …`"}, []string{"/kim outcome"}},
		{"anna", "ziel erreicht " + k + " 9", []string{"`/kim zeige " + k + "`"}, []string{"/kim show"}},
		{"anna", "ergebnis " + k + " 9 angenommen", []string{"`/kim zeige " + k + "`"}, []string{"/kim show"}},
		{"anna", "abschliessen " + k + " verzogen", []string{"`/kim wiederaufnehmen " + k + "`"}, []string{"/kim reopen"}},
		{"anna", "kontakt " + k + " telefon Hallo", []string{"`/kim wiederaufnehmen " + k + "`"}, []string{"/kim reopen"}},
		{"anna", "hilfe", []string{"Antworten zu Fällen sehen nur Sie."}, []string{"Ihr Konto"}},
	} {
		rep := w.run("teamA", tc.user, tc.line)
		for _, f := range tc.want {
			if !strings.Contains(rep.Text, f) {
				t.Errorf("%s: %q: answer lacks %q:\n%s", tc.user, tc.line, f, rep.Text)
			}
		}
		for _, f := range tc.not {
			if strings.Contains(rep.Text, f) {
				t.Errorf("%s: %q: answer has %q:\n%s", tc.user, tc.line, f, rep.Text)
			}
		}
	}
}

// Every command a text suggests (`/kim …`) names verbs that exist.
func TestSuggestedCommandsExist(t *testing.T) {
	names, err := filepath.Glob("../messages/catalog/*.json")
	if err != nil || len(names) == 0 {
		t.Fatal("no catalogues", err)
	}
	cmd := regexp.MustCompile("`(/kim [^`]*)`")
	tmpl := regexp.MustCompile(`\{\{[^}]*\}\}`)
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for id, text := range m {
			for _, c := range cmd.FindAllStringSubmatch(text, -1) {
				words := strings.Fields(tmpl.ReplaceAllString(c[1], "X"))[1:]
				if len(words) == 0 || words[0] == "X" { // a verb filled in: checked where it is made
					continue
				}
				v := kimVerbs
				for len(v.Subs) > 0 && len(words) > 0 {
					s := v.sub(words[0])
					if s == nil {
						break
					}
					v, words = s, words[1:]
				}
				if v == kimVerbs || (v.Run == nil && !strings.HasPrefix(strings.Join(words, " "), "<")) {
					t.Errorf("%s %s suggests %q: no such verb", filepath.Base(n), id, c[1])
				}
			}
		}
	}
}

// Help fits the role: each role's overview lists what that role may use and
// nothing it may not; a verb's help shows the forms the caller may use, or
// says who may; a user without a role gets the short answer that says who
// grants one.
func TestHelpFitsRole(t *testing.T) {
	w := newWorld(t)
	w.ok("kora", "settings lang=en")
	w.ok("root", "settings lang=en")
	for _, tc := range []struct {
		user      string
		want, not []string
	}{
		{"ben", []string{"(your role: coach)", "`/kim open <pseudonym>", "`/kim contact <case>", "`/kim goal <add|done|drop|reopen|edit|delete> …`",
			"`/kim report", "`/kim settings", "`/kim action done <action>`", "`/kim admin partner list`"},
			[]string{"/kim meeting", "/kim agenda", "/kim action add", "/kim admin role", "/kim admin defaults", "/kim admin audit",
				"/kim admin partner add", "/kim admin <"}},
		{"kora", []string{"(your role: coordinator)", "`/kim meeting <new|list|show|edit|cancel> …`", "`/kim agenda <add|post|edit|delete> …`",
			"`/kim action <add|done|reopen|edit|delete> …`", "`/kim report", "`/kim admin partner list`", "`/kim settings"},
			[]string{"/kim open", "/kim show", "/kim contact", "/kim goal", "/kim cases", "/kim erase", "/kim admin role", "/kim admin <"}},
		{"root", []string{"(your role: admin)", "`/kim admin <", "`/kim meeting <new|list|show|edit|cancel> …`", "`/kim report"},
			[]string{"/kim open", "/kim show", "/kim contact", "/kim goal", "/kim cases"}},
	} {
		rep := w.want("teamA", tc.user, "help", "ok", tc.want...)
		for _, f := range tc.not {
			if strings.Contains(rep.Text, f) {
				t.Errorf("%s's help lists %q, which their role cannot use:\n%s", tc.user, f, rep.Text)
			}
		}
	}
	// One verb: the caller's forms only, or who may use it.
	rep := w.want("teamA", "kora", "help admin", "ok", "`/kim admin partner list`")
	for _, f := range []string{"/kim admin role", "/kim admin partner add", "/kim admin audit"} {
		if strings.Contains(rep.Text, f) {
			t.Errorf("kora's help of admin lists %q:\n%s", f, rep.Text)
		}
	}
	w.want("teamA", "kora", "help show", "ok", "`/kim show` is only for coaches; your role: coordinator.", "`/kim show <case>`")
	w.want("teamA", "anna", "hilfe treffen", "ok", "ist nur für die Koordination oder Admins; Ihre Rolle: Coach.")
	w.want("teamA", "root", "help goal", "ok", "is only for coaches; your role: admin.")
	// No role: who grants one, nothing else.
	rep = w.want("teamA", "nobody", "hilfe", "ok", "noch keine kimbot-Rolle", "`/kim einstellungen`",
		"Eine Rolle vergibt ein kimbot-Admin oder eine Systemadministration mit `/kim admin rolle @Ihr-Name coach`.")
	if strings.Contains(rep.Text, "/kim neu") || strings.Contains(rep.Text, "/kim open") || strings.Count(rep.Text, "\n") > 1 {
		t.Errorf("the no-role help is not the short answer:\n%s", rep.Text)
	}
	w.run("teamA", "nobody", "settings lang=en") // an English reader: the sentence starts with a capital
	w.want("teamA", "nobody", "help", "ok", "A role is granted by a kimbot admin or a system administrator with `/kim admin role @your-name coach`.")
	w.want("teamA", "nobody", "show K-2026-0001", kim.EFORBIDDEN, "You have no kimbot role in this team. A role is granted by a kimbot admin")
	w.run("teamA", "nobody", "settings lang=de")
	w.ok("root", "admin role @kora admin")
	w.want("teamA", "nobody", "hilfe neu", "ok", "Eine Rolle vergibt @kora")
}
