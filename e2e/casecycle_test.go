package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/devstack"
)

var caseRefRE = regexp.MustCompile(`K-\d{4}-\d{4,6}`)

// kimOK runs `/kim <args>`, requires an ephemeral answer containing every fragment and returns it.
func (u *user) kimOK(t testing.TB, args string, fragments ...string) string {
	t.Helper()
	resp := u.kim(t, args)
	text := devstack.ResponseText(resp)
	if resp.ResponseType != "" && resp.ResponseType != model.CommandResponseTypeEphemeral {
		t.Errorf("/kim %s: response_type %q, want ephemeral", args, resp.ResponseType)
	}
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("/kim %s as %s: answer lacks %q:\n%s", clipArgs(args), u.Username(), f, text)
		}
	}
	return text
}

func clipArgs(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// kimbotDB connects to the database of the team's kimbot (read-only use in tests).
func (e *teamEnv) kimbotDB(t testing.TB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), e.Kimbot.Env["KIMBOT_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestCaseCycle drives one case through the whole KIM cycle as a coach, through Mattermost:
// opening by dialog, assessment, goals, a contact by dialog, a Rechtskreiswechsel, a referral
// refused without consent and allowed after it, an outcome, a re-assessment with visible
// change, closure, and the audit log an admin sees.
func TestCaseCycle(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	db := env.kimbotDB(t)

	// Open the case through the dialog of `/kim neu`, as the web app would.
	d := coach.kimDialog(t, "neu")
	if d.Dialog.Title != "Neuer Fall" || d.Dialog.CallbackId != "open" || len(d.Dialog.Elements) != 6 {
		t.Fatalf("open dialog: %+v", d.Dialog)
	}
	resp := coach.submitDialog(t, d, map[string]any{"pseudonym": "A. K.", "group": "refugee", "domain": "AsylbLG", "form": "written", "consent": false})
	if !strings.Contains(resp.Errors["consent"], "Einwilligung") || resp.Errors["consent"] == "" {
		t.Fatalf("open without consent: %+v", resp)
	}
	resp = coach.submitDialog(t, d, map[string]any{"pseudonym": "A. K.", "group": "martian", "domain": "AsylbLG", "form": "written", "consent": true})
	if !strings.Contains(resp.Errors["group"], "martian") {
		t.Fatalf("open with a bad group: %+v", resp)
	}
	var n int
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM cases WHERE team_id = $1`, env.Team.Id).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused dialog submissions stored %d cases (%v)", n, err)
	}
	resp = coach.submitDialog(t, d, map[string]any{"pseudonym": "A. K.", "group": "refugee", "domain": "AsylbLG", "form": "written", "consent": true})
	if resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("open dialog submission: %+v", resp)
	}
	opened := devstack.PostText(coach.waitEphemeral(t, "ist angelegt"))
	ref := caseRefRE.FindString(opened)
	if ref == "" || !strings.Contains(opened, "A. K.") {
		t.Fatalf("answer to the open dialog: %q", opened)
	}
	// The same dialog again is refused: one case per dialog.
	if resp := coach.submitDialog(t, d, map[string]any{"pseudonym": "A. K.", "group": "refugee", "consent": true}); !strings.Contains(resp.Error, "schon abgeschickt") {
		t.Fatalf("replayed dialog: %+v", resp)
	}
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM cases WHERE team_id = $1`, env.Team.Id).Scan(&n); err != nil || n != 1 {
		t.Fatalf("cases after open and replay: %d (%v)", n, err)
	}
	coach.kimOK(t, "show "+ref, ref+" · A. K.", "Geflüchtete", "AsylbLG", "Erstgespräch", "Verarbeitung (schriftlich")

	// Assessment and the Integrationsvereinbarung.
	coach.kimOK(t, "einschaetzung "+ref+" language=2 work=1 housing=3 note=\"Kurs A2 läuft\"",
		"Einschätzung von **"+ref+"** gespeichert", "| Sprache | 2 |", "Nächstes Re-Assessment", "Phase: Planung")
	coach.kimOK(t, "ziel neu "+ref+" language \"B1-Kurs abschließen\"", "Ziel 1 von **"+ref+"** (Sprache)", "Phase: Vermittlung")
	coach.kimOK(t, "goal add "+ref+" work Praktikum finden", "Ziel 2")

	// A contact through the dialog of `/kim kontakt <case>`.
	d = coach.kimDialog(t, "kontakt "+ref)
	if d.Dialog.CallbackId != "contact "+ref || !strings.Contains(d.Dialog.Title, ref) {
		t.Fatalf("contact dialog: %+v", d.Dialog)
	}
	resp = coach.submitDialog(t, d, map[string]any{"kind": "phone", "minutes": "2000", "note": "Telefonat"})
	if !strings.Contains(resp.Errors["minutes"], "1440") {
		t.Fatalf("contact with 2000 minutes: %+v", resp)
	}
	resp = coach.submitDialog(t, d, map[string]any{"kind": "phone", "minutes": "20", "date": "", "note": "Telefonat wegen Jobcenter-Termin"})
	if resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("contact dialog submission: %+v", resp)
	}
	coach.waitEphemeral(t, "Kontakt 1 zu **"+ref+"** gespeichert: Telefon")

	// Rechtskreiswechsel.
	coach.kimOK(t, "rechtskreis "+ref+" SGB2", "AsylbLG → SGB II")
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM domain_changes d JOIN cases c ON c.id = d.case_id
		WHERE c.team_id = $1 AND d.from_domain = 'AsylbLG' AND d.to_domain = 'SGB2'`, env.Team.Id).Scan(&n); err != nil || n != 1 {
		t.Fatalf("domain_changes: %d (%v)", n, err)
	}

	// A referral: refused without consent (typed and in the dialog), allowed after it.
	coach.kimOK(t, "verweis "+ref+" jobcenter Antrag auf Bürgergeld", "Verweis abgelehnt", "keine Einwilligung", "/kim einwilligung "+ref+" erteilen jobcenter form=schriftlich")
	d = coach.kimDialog(t, "verweis "+ref)
	resp = coach.submitDialog(t, d, map[string]any{"partner": "jobcenter", "reason": "Antrag auf Bürgergeld", "followup": "10d"})
	if !strings.Contains(resp.Errors["partner"], "Verweis abgelehnt") {
		t.Fatalf("referral dialog without consent: %+v", resp)
	}
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.team_id = $1`, env.Team.Id).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused referrals stored: %d (%v)", n, err)
	}
	coach.kimOK(t, "einwilligung "+ref+" erteilen jobcenter form=schriftlich", "Jobcenter (schriftlich")
	resp = coach.submitDialog(t, d, map[string]any{"partner": "jobcenter", "reason": "Antrag auf Bürgergeld", "followup": "10d"})
	if resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("referral dialog after consent: %+v", resp)
	}
	coach.waitEphemeral(t, "Verweis 1 von **"+ref+"** an Jobcenter gespeichert")
	coach.kimOK(t, "ergebnis "+ref+" 1 angenommen \"Termin steht\"", "Verweis 1 von **"+ref+"** an Jobcenter: angenommen", "Phase: Monitoring")

	// Re-assessment: the answer shows the change per life field.
	coach.kimOK(t, "assess "+ref+" language=4 work=1 housing=2 health=3", "Re-Assessment 2 von **"+ref+"**",
		"| Sprache | 2 | 4 | +2 ↑ |", "| Arbeit | 1 | 1 | ±0 |", "| Wohnen | 3 | 2 | −1 ↓ |", "| Gesundheit | – | 3 | neu |")
	coach.kimOK(t, "ziel erreicht "+ref+" 2", "erreicht: Praktikum finden")
	coach.kimOK(t, "hindernis "+ref+" jobcenter \"Termine erst nach 8 Wochen\"", "Strukturhinweis 1 von "+ref+", wie das Netzwerk ihn sieht", "unter Jobcenter")
	coach.kimOK(t, "hindernis bestätigen "+ref+" 1", "(Jobcenter) ist gespeichert")
	card := coach.kimOK(t, "zeige "+ref, "Rechtskreis: SGB II", "Re-Assessment 2", "| Sprache | 4 | "+remToday().German()+" | +2 ↑ |", "B1-Kurs abschließen", "Jobcenter",
		"angenommen", "Telefonat wegen Jobcenter-Termin", "Jobcenter (schriftlich")
	if strings.Count(card, "\n") > 40 {
		t.Errorf("the case card does not fit a screen: %d lines", strings.Count(card, "\n"))
	}

	// Closure.
	coach.kimOK(t, "abschliessen "+ref+" ziele-erreicht \"Arbeit gefunden\"", "Fall **"+ref+"** ist abgeschlossen (Ziele erreicht")
	coach.kimOK(t, "kontakt "+ref+" telefon Nachfrage", "ist abgeschlossen", "/kim wiederaufnehmen "+ref)
	coach.kimOK(t, "faelle abgeschlossen", ref)
	coach.kimOK(t, "show "+ref, "Abgeschlossen")

	// The admin sees who did what, never the content; the database holds no plaintext.
	audit := env.Admin.kimOK(t, "admin audit "+ref, "Zugriffsprotokoll "+ref, "@"+coach.Username(), "Fall eröffnet",
		"Einschätzung erfasst", "Kontakt erfasst", "Rechtskreiswechsel erfasst", "Verweis erfasst", "Fall abgeschlossen")
	for _, secret := range []string{"A. K.", "Bürgergeld", "Praktikum", "Telefonat"} {
		if strings.Contains(audit, secret) {
			t.Errorf("the audit answer shows case content %q", secret)
		}
	}
	env.Admin.kimOK(t, "show "+ref, "ist nur für Coaches")
	var dump string
	if err := db.QueryRow(ctxT(t), `SELECT concat_ws('|', (SELECT string_agg(t::text, ',') FROM cases t WHERE team_id = $1),
		(SELECT string_agg(t::text, ',') FROM contacts t), (SELECT string_agg(t::text, ',') FROM goals t),
		(SELECT string_agg(t::text, ',') FROM referrals t), (SELECT string_agg(t::text, ',') FROM barriers t))`, env.Team.Id).Scan(&dump); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"A. K.", "Bürgergeld", "Praktikum", "Telefonat", "8 Wochen"} {
		if strings.Contains(dump, secret) {
			t.Errorf("plaintext %q in kimbot's database", secret)
		}
	}
}

// TestDialogForgery: a dialog state is the user's own and unforgeable; kimbot refuses
// submissions with another user, team, callback or a tampered state, and nothing is stored.
func TestDialogForgery(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "en")
	other := env.newUser(t, "other", "de")
	env.grant(t, coach, "coach")
	env.grant(t, other, "coach")
	db := env.kimbotDB(t)
	d := coach.kimDialog(t, "open")
	if d.Dialog.Title != "New case" {
		t.Fatalf("English dialog title: %q", d.Dialog.Title)
	}
	values := map[string]any{"pseudonym": "XY", "group": "eu", "consent": true}
	try := func(who *user, mutate func(*model.OpenDialogRequest)) error {
		t.Helper()
		dd := *d
		dd.Dialog = d.Dialog
		mutate(&dd)
		_, err := who.SubmitDialog(ctxT(t), &dd, env.TownSquareID, env.Team.Id, values)
		return err
	}
	for name, tc := range map[string]struct {
		who    *user
		mutate func(*model.OpenDialogRequest)
	}{
		"another user": {other, func(*model.OpenDialogRequest) {}},
		"tampered state": {coach, func(x *model.OpenDialogRequest) {
			x.Dialog.State = strings.Replace(x.Dialog.State, coach.UserID(), other.UserID(), 1)
		}},
		"forged signature": {coach, func(x *model.OpenDialogRequest) { x.Dialog.State = alterTail(x.Dialog.State) }},
		"other callback":   {coach, func(x *model.OpenDialogRequest) { x.Dialog.CallbackId = "contact K-2026-0001" }},
	} {
		if err := try(tc.who, tc.mutate); err == nil {
			t.Errorf("%s: submission accepted", name)
		}
	}
	var n int
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM cases WHERE team_id = $1`, env.Team.Id).Scan(&n); err != nil || n != 0 {
		t.Fatalf("forged submissions stored %d cases (%v)", n, err)
	}
	// The genuine submission still works, and its answer is in English.
	if resp := coach.submitDialog(t, d, values); resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("genuine submission: %+v", resp)
	}
	coach.waitEphemeral(t, "is open")
}

// alterTail returns s with its last four characters (of the signature)
// replaced by four that certainly differ.
func alterTail(s string) string {
	tail := "0000"
	if s[len(s)-4:] == tail {
		tail = "1111"
	}
	return s[:len(s)-4] + tail
}
