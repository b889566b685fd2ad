package commands

import (
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Bad input for every case command: a clear answer in the user's language,
// and not one row changed (the audit log included).
func TestCaseworkRefusals(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee domain=AsylbLG consent=yes")
	w.ok("anna", "assess K-2026-0001 language=2")
	w.ok("anna", "goal add K-2026-0001 language Kurs")
	w.ok("anna", "consent K-2026-0001 grant jmd")
	w.ok("anna", "refer K-2026-0001 jmd Beratung")
	w.ok("anna", "open CD group=eu consent=yes")
	w.ok("anna", "close K-2026-0002 other")
	w.ok("anna", "away 2026-12-01 2026-12-05 deputy=@ben")

	const k = "K-2026-0001"
	huge := strings.Repeat("x", 20000)
	long := strings.Repeat("y", MaxText+1)
	before := w.snapshot()
	for _, tc := range []struct {
		user, line, outcome string
		want                []string
	}{
		// contact
		{"anna", "contact " + k, kim.EINVALID, []string{"Es fehlt: Art", "/kim kontakt <fall>"}},
		{"anna", "contact " + k + " phone", kim.EINVALID, []string{"Es fehlt: Notiz"}},
		{"anna", "contact " + k + " fax Hallo", kim.EINVALID, []string{"Art: „fax“ geht nicht", "persönlich, Telefon, Video, Nachricht, Hausbesuch"}},
		{"anna", "contact " + k + " phone minutes=1441 Hallo", kim.EINVALID, []string{"Minuten: „1441“ ist keine Dauer von 0 bis 1440 Minuten"}},
		{"anna", "contact " + k + " phone minutes=-5 Hallo", kim.EINVALID, []string{"minuten"}},
		{"anna", "contact " + k + " phone date=31.02.2026 Hallo", kim.EINVALID, []string{"„31.02.2026“ ist kein gültiges Datum"}},
		{"anna", "contact " + k + " phone date=24.12.2026 Hallo", kim.EINVALID, []string{"24.12.2026 liegt in der Zukunft"}},
		{"anna", "contact " + k + " phone date=2026-11-01 Hallo", kim.EINVALID, []string{"vor der Eröffnung von K-2026-0001 am 23.11.2026"}},
		{"ben", "contact " + k + " phone date=2026-11-01 Hallo", kim.ENOTFOUND, []string{"No case K-2026-0001"}},
		{"anna", "contact " + k + " phone " + huge, kim.EINVALID, []string{"zu lang: 20026 Zeichen, höchstens 8000"}},
		{"anna", "contact " + k + " phone " + long, kim.EINVALID, []string{"Notiz ist zu lang (2001 Zeichen, höchstens 2000)"}},
		{"anna", "contact " + k + " phone colour=red Hallo", kim.EINVALID, []string{"Unbekannte Option „colour=“"}},
		{"anna", "contact " + k + " phone Größe=3 Hallo", kim.EINVALID, []string{"Unbekannte Option „Größe=“"}}, // as typed, not folded
		{"anna", "contact K-2026-0002 phone Hallo", kim.ECONFLICT, []string{"K-2026-0002 ist abgeschlossen", "/kim wiederaufnehmen K-2026-0002"}},
		{"anna", "contact K-2026-0099 phone Hallo", kim.ENOTFOUND, []string{"Keinen Fall K-2026-0099"}},
		{"anna", "contact 42x phone Hallo", kim.EINVALID, []string{"kein Aktenzeichen"}},
		// assess
		{"anna", "assess " + k, kim.EINVALID, []string{"Es fehlt: `feld=1..5`. Richtig"}},
		{"anna", "assess " + k + " mood=3", kim.EINVALID, []string{"Unbekanntes Handlungsfeld „mood“", "Aufenthalt, Sprache, Arbeit, Bildung"}},
		{"anna", "assess " + k + " language=7", kim.EINVALID, []string{"Sprache=7: Werte gehen von 1", "bis 5"}},
		{"anna", "assess " + k + " language=0", kim.EINVALID, []string{"Sprache=0"}},
		{"anna", "assess " + k + " language=gut", kim.EINVALID, []string{"Sprache=gut"}},
		{"anna", "assess " + k + " language=2 language=3", kim.EINVALID, []string{"„Sprache“ ist doppelt"}},
		{"anna", "assess " + k + " language=2 date=2027-01-01", kim.EINVALID, []string{"in der Zukunft"}},
		{"anna", "assess " + k + " language=2 note=" + long, kim.EINVALID, []string{"zu lang"}},
		{"ben", "assess " + k + " language=7", kim.EINVALID, []string{"language=7: scores go from 1"}},
		// goals
		{"anna", "goal add " + k, kim.EINVALID, []string{"Es fehlt: Feld"}},
		{"anna", "goal add " + k + " fun Spaß haben", kim.EINVALID, []string{"Feld: „fun“ geht nicht"}},
		{"anna", "goal add " + k + " language", kim.EINVALID, []string{"Es fehlt: Text"}},
		{"anna", "goal add " + k + " language Kurs due=31.02.2027", kim.EINVALID, []string{"kein gültiges Datum"}},
		{"anna", "goal add " + k + " language Kurs due=01.01.2026", kim.EINVALID, []string{"01.01.2026 liegt in der Vergangenheit"}},
		{"anna", "goal add " + k + " language Kurs due=01.01.2099", kim.EINVALID, []string{"mehr als drei Jahre"}},
		{"anna", "goal add " + k + " language " + long, kim.EINVALID, []string{"Text ist zu lang"}},
		{"anna", "goal done " + k + " 9", kim.ENOTFOUND, []string{"kein Ziel 9"}},
		{"anna", "goal done " + k + " 0", kim.EINVALID, []string{"keine Zahl von 1 bis 1000"}},
		{"anna", "goal done " + k, kim.EINVALID, []string{"Es fehlt: Nr"}},
		{"anna", "goal finish " + k + " 1", kim.EINVALID, []string{"„finish“ gibt es hier nicht"}},
		{"anna", "goal", kim.EINVALID, []string{"/kim ziel <neu|erreicht|verwerfen|offen|ändern|löschen>"}},
		// refer and outcome
		{"anna", "refer " + k + " finanzamt Steuer", kim.EINVALID, []string{"„finanzamt“ steht nicht im Partnerverzeichnis", "jobcenter"}},
		{"anna", "refer " + k + " jobcenter Antrag", kim.EFORBIDDEN, []string{"Verweis abgelehnt", "Jobcenter", "keine Einwilligung"}},
		{"anna", "refer " + k + " jmd", kim.EINVALID, []string{"Es fehlt: Anlass"}},
		{"anna", "refer " + k, kim.EINVALID, []string{"Es fehlt: Partner"}},
		{"anna", "refer " + k + " jmd Beratung followup=0d", kim.EINVALID, []string{"keine Dauer"}},
		{"anna", "refer " + k + " jmd Beratung followup=99m", kim.EINVALID, []string{"keine Dauer"}},
		{"anna", "refer " + k + " jmd " + long, kim.EINVALID, []string{"Anlass ist zu lang"}},
		{"anna", "outcome " + k + " 9 accepted", kim.ENOTFOUND, []string{"keinen Verweis 9"}},
		{"anna", "outcome " + k + " 1 maybe", kim.EINVALID, []string{"Ergebnis: „maybe“ geht nicht; möglich: angenommen, abgelehnt, offen, nicht erschienen, abgeschlossen"}},
		{"anna", "outcome " + k + " eins accepted", kim.EINVALID, []string{"Nr: „eins“"}},
		// consent
		{"anna", "consent " + k + " grant finanzamt", kim.EINVALID, []string{"nicht im Partnerverzeichnis"}},
		{"anna", "consent " + k + " grant processing", kim.ECONFLICT, []string{"Verarbeitung ist für K-2026-0001 schon erfasst"}},
		{"anna", "consent " + k + " grant jmd", kim.ECONFLICT, []string{"schon eine Einwilligung"}},
		{"anna", "consent " + k + " maybe jmd", kim.EINVALID, []string{"Aktion: „maybe“ geht nicht; möglich: erteilen, widerrufen"}},
		{"anna", "consent " + k + " revoke jobcenter", kim.ECONFLICT, []string{"keine Einwilligung erfasst"}},
		{"anna", "consent " + k + " grant jobcenter form=fax", kim.EINVALID, []string{"Form: „fax“ geht nicht; möglich: schriftlich, mündlich"}},
		{"anna", "consent " + k + " grant jobcenter date=2027-01-01", kim.EINVALID, []string{"in der Zukunft"}},
		{"anna", "consent " + k + " grant jobcenter date=31.02.2026", kim.EINVALID, []string{"kein gültiges Datum"}},
		{"anna", "consent " + k + " revoke jmd form=oral", kim.EINVALID, []string{"form= gibt es nur beim Erteilen"}},
		{"anna", "consent " + k + " revoke jmd date=2026-11-01", kim.EINVALID, []string{"vor der Einwilligung am 23.11.2026"}},
		{"anna", "consent K-2026-0002 grant jmd", kim.ECONFLICT, []string{"abgeschlossen"}},
		// domain
		{"anna", "domain " + k + " SGB9", kim.EINVALID, []string{"Rechtskreis: „SGB9“ geht nicht", "AsylbLG, SGB II, SGB III, SGB VIII, SGB XII, keiner"}},
		{"anna", "domain " + k + " AsylbLG", kim.ECONFLICT, []string{"schon im Rechtskreis AsylbLG"}},
		{"anna", "domain " + k + " SGB2 since=2027-01-01", kim.EINVALID, []string{"in der Zukunft"}},
		{"anna", "domain " + k + " SGB2 since=01.11.2026", kim.EINVALID, []string{"vor der Aufnahme von **K-2026-0001**", "`/kim fall ändern K-2026-0001 rechtskreis=SGB II`"}},
		{"anna", "domain " + k + " SGB2 since=31.02.2026", kim.EINVALID, []string{"kein gültiges Datum"}},
		{"anna", "domain " + k, kim.EINVALID, []string{"Es fehlt: Rechtskreis"}},
		// due
		{"anna", "due " + k + " monitoring 2026-01-01", kim.EINVALID, []string{"in der Vergangenheit"}},
		{"anna", "due " + k + " monitoring 2099-01-01", kim.EINVALID, []string{"mehr als drei Jahre"}},
		{"anna", "due " + k + " later 2026-12-01", kim.EINVALID, []string{"Termin: „later“ geht nicht"}},
		{"anna", "due " + k + " monitoring 31.02.2027", kim.EINVALID, []string{"kein gültiges Datum"}},
		{"anna", "due " + k + " monitoring", kim.EINVALID, []string{"Es fehlt: Datum"}},
		// close and reopen
		{"anna", "close " + k, kim.EINVALID, []string{"Es fehlt: Grund"}},
		{"anna", "close " + k + " fired", kim.EINVALID, []string{"Grund: „fired“ geht nicht", "Ziele erreicht, verzogen, zurückgezogen, übergeben, anderes"}},
		{"anna", "close " + k + " other " + long, kim.EINVALID, []string{"Notiz ist zu lang"}},
		{"anna", "close K-2026-0002 other", kim.ECONFLICT, []string{"abgeschlossen"}},
		{"anna", "reopen " + k, kim.ECONFLICT, []string{"ist nicht abgeschlossen"}},
		// transfer
		{"anna", "transfer " + k + " @kora", kim.EINVALID, []string{"@kora ist in diesem Team kein Coach"}},
		{"anna", "transfer " + k + " @ghost", kim.ENOTFOUND, []string{"@ghost ist kein Mitglied"}},
		{"anna", "transfer " + k + " @anna", kim.ECONFLICT, []string{"gehört schon Ihnen"}},
		{"anna", "transfer " + k + " ben", kim.EINVALID, []string{"keine Person wie @name"}},
		{"anna", "transfer " + k + " @bea", kim.ENOTFOUND, []string{"@bea ist kein Mitglied"}},
		// barrier
		{"anna", "barrier " + k, kim.EINVALID, []string{"Es fehlt: Bezug"}},
		{"anna", "barrier " + k + " jobcenter", kim.EINVALID, []string{"Es fehlt: Text"}},
		{"anna", "barrier " + k + " jobcenter " + long, kim.EINVALID, []string{"Text ist zu lang"}},
		{"anna", "barrier " + k + " " + strings.Repeat("t", 81) + " Text", kim.EINVALID, []string{"Bezug ist zu lang"}},
		// away
		{"anna", "away 2026-11-01 2026-11-05 deputy=@ben", kim.EINVALID, []string{"Beginn liegt in der Vergangenheit"}},
		{"anna", "away 2026-12-10 2026-12-08 deputy=@ben", kim.EINVALID, []string{"Ende liegt vor dem Beginn"}},
		{"anna", "away 2026-12-10 2027-12-31 deputy=@ben", kim.EINVALID, []string{"höchstens 366 Tage"}},
		{"anna", "away 2026-12-10 2026-12-12 deputy=@kora", kim.EINVALID, []string{"Vertretung muss ein Coach"}},
		{"anna", "away 2026-12-10 2026-12-12 deputy=@anna", kim.EINVALID, []string{"nicht selbst vertreten"}},
		{"anna", "away 2026-12-10 2026-12-12", kim.EINVALID, []string{"Es fehlt: `vertretung=<vertretung>`."}},
		{"anna", "away 2026-12-10", kim.EINVALID, []string{"Es fehlt: Bis"}},
		{"anna", "away 31.02.2027 01.03.2027 deputy=@ben", kim.EINVALID, []string{"Von: „31.02.2027“ ist kein gültiges Datum"}},
		{"anna", "away 2026-12-03 2026-12-04 deputy=@ben", kim.ECONFLICT, []string{"schon eine Abwesenheit"}},
		{"anna", "away off 2026-12-04", kim.EINVALID, []string{"Zu viel angegeben"}},
		{"kora", "away 2026-12-10 2026-12-12 deputy=@ben", kim.EFORBIDDEN, []string{"ist nur für Coaches"}},
		// admin
		{"anna", "admin defaults monitoring=7d", kim.EFORBIDDEN, []string{"ist nur für Admins"}},
		{"root", "admin defaults monitoring=400d", kim.EINVALID, []string{"höchstens 365 Tage"}},
		{"root", "admin defaults reassessment=14d", kim.EINVALID, []string{"in Monaten"}},
		{"root", "admin defaults reassessment=25m", kim.EINVALID, []string{"in Monaten, 1m bis 24m"}},
		{"root", "admin defaults reassessment=37m", kim.EINVALID, []string{"keine Dauer"}},
		{"root", "admin defaults followup=soon", kim.EINVALID, []string{"keine Dauer"}},
		{"root", "admin defaults colour=red", kim.EINVALID, []string{"Unbekannte Option"}},
		{"anna", "admin partner add steuer Finanzamt", kim.EFORBIDDEN, []string{"`/kim admin partner neu` ist nur für Admins"}},
		{"kora", "admin partner add steuer Finanzamt", kim.EFORBIDDEN, []string{"ist nur für Admins"}},
		{"root", "admin partner add J Finanzamt", kim.EINVALID, []string{"„J“ geht nicht als Kürzel"}},
		{"root", "admin partner add Steuer! Finanzamt", kim.EINVALID, []string{"geht nicht als Kürzel"}},
		{"root", "admin partner add jobcenter Jobcenter", kim.ECONFLICT, []string{"„jobcenter“ gibt es schon"}},
		{"root", "admin partner add steuer", kim.EINVALID, []string{"Es fehlt: Name"}},
		{"root", "admin partner add steuer Finanzamt domain=SGB9", kim.EINVALID, []string{"Rechtskreis: „SGB9“ geht nicht"}},
		{"root", "admin partner abschaffen jobcenter", kim.EINVALID, []string{"„abschaffen“ gibt es hier nicht", "/kim admin partner <neu|ändern|entfernen|liste>"}},
		{"nobody", "admin partner list", kim.EFORBIDDEN, []string{"keine kimbot-Rolle"}},
		{"anna", "admin audit " + k, kim.EFORBIDDEN, []string{"ist nur für Admins"}},
		{"kora", "admin audit " + k, kim.EFORBIDDEN, []string{"ist nur für Admins"}},
		{"root", "admin audit 42x", kim.EINVALID, []string{"kein Aktenzeichen"}},
	} {
		rep := w.run("teamA", tc.user, tc.line)
		if rep.Outcome != tc.outcome {
			t.Errorf("%s: %.80q: outcome %s, want %s: %s", tc.user, tc.line, rep.Outcome, tc.outcome, rep.Text)
			continue
		}
		for _, f := range tc.want {
			if !strings.Contains(rep.Text, f) {
				t.Errorf("%s: %.80q: answer lacks %q: %s", tc.user, tc.line, f, rep.Text)
			}
		}
		if len(rep.Text) > 1500 {
			t.Errorf("%s: %.80q: answer too long (%d)", tc.user, tc.line, len(rep.Text))
		}
		if after := w.snapshot(); after != before {
			t.Fatalf("%s: %.80q changed the database", tc.user, tc.line)
		}
	}
}

// Every case command, tried on anna's case by everybody else: refused, and
// nothing changes.
func TestCaseworkOutsiders(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes")
	w.ok("anna", "assess K-2026-0001 language=2")
	w.ok("anna", "goal add K-2026-0001 language Kurs")
	w.ok("anna", "consent K-2026-0001 grant jmd")
	w.ok("anna", "refer K-2026-0001 jmd Beratung")
	const k = "K-2026-0001"
	lines := []string{
		"show " + k, "contact " + k + " phone Hallo", "assess " + k + " language=3", "goal add " + k + " work Job",
		"goal done " + k + " 1", "goal drop " + k + " 1", "refer " + k + " jmd Noch mal", "outcome " + k + " 1 accepted",
		"consent " + k + " grant jobcenter", "consent " + k + " revoke jmd", "consent " + k + " revoke processing",
		"domain " + k + " SGB2", "due " + k + " monitoring 2026-12-01", "close " + k + " other", "reopen " + k,
		"transfer " + k + " @ben", "barrier " + k + " jmd Text", "admin audit " + k,
	}
	before := w.snapshot()
	for _, who := range []struct{ team, user, outcome, want string }{
		{"teamA", "ben", kim.ENOTFOUND, "No case K-2026-0001"},
		{"teamB", "bea", kim.ENOTFOUND, "Keinen Fall K-2026-0001"},
		{"teamA", "kora", kim.EFORBIDDEN, "ist nur für"},
		{"teamA", "nobody", kim.EFORBIDDEN, "keine kimbot-Rolle"},
	} {
		for _, line := range lines {
			rep := w.run(who.team, who.user, line)
			want, outcome := who.want, who.outcome
			if strings.HasPrefix(line, "admin") && who.outcome == kim.ENOTFOUND {
				want, outcome = "dmin", kim.EFORBIDDEN
			}
			if rep.Outcome != outcome || !strings.Contains(rep.Text, want) {
				t.Errorf("%s@%s %q: %s %q, want %s %q", who.user, who.team, line, rep.Outcome, rep.Text, outcome, want)
			}
			if strings.Contains(rep.Text, "AB") && !strings.Contains(line, "AB") {
				t.Errorf("%s@%s %q leaks the pseudonym: %q", who.user, who.team, line, rep.Text)
			}
		}
	}
	// The case's contact and referral forms are refused too.
	for _, who := range []struct{ team, user string }{{"teamA", "ben"}, {"teamB", "bea"}, {"teamA", "kora"}, {"teamA", "nobody"}} {
		for _, line := range []string{"contact " + k, "refer " + k} {
			rep := w.exec(who.team, who.user, line, "trigger")
			if rep.Dialog != nil || rep.Outcome == "ok" {
				t.Errorf("%s@%s %q got a form: %+v", who.user, who.team, line, rep)
			}
		}
	}
	if w.snapshot() != before {
		t.Fatal("outsiders changed the database")
	}
	// Admins see the audit log but never the case itself.
	w.want("teamA", "root", "show "+k, kim.EFORBIDDEN, "ist nur für Coaches")
	w.want("teamA", "root", "contact "+k+" phone Hallo", kim.EFORBIDDEN, "ist nur für Coaches")
}
