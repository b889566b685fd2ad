package commands

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// notes records the DMs of staff changes.
type notes struct {
	mu  sync.Mutex
	dms map[string][]string // user id → messages
}

func (n *notes) SendDM(_ context.Context, userID, message string) (string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.dms == nil {
		n.dms = map[string][]string{}
	}
	n.dms[userID] = append(n.dms[userID], message)
	return "post", nil
}

func (n *notes) to(userID string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return strings.Join(n.dms[userID], "\n---\n")
}

func staffWorld(t *testing.T) (*world, *notes) {
	w := newWorld(t)
	n := &notes{}
	w.svc.Notify = n
	return w, n
}

func (w *world) owner(ref string) string {
	w.t.Helper()
	var id string
	if err := w.st.Pool().QueryRow(context.Background(), `SELECT owner_id FROM cases WHERE team_id = 'teamA' AND ref = $1`, ref).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// Taking the coach role from a coach with open cases is refused, naming how
// many and both ways to hand them over, and changes nothing; the combined
// step asks first, then hands the cases over (audited per case, DM to the
// coach who takes over) and changes the role in one go.
func TestRoleChangeWithOpenCases(t *testing.T) {
	w, n := staffWorld(t)
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("anna", "open CD group=eu consent=yes")
	w.ok("anna", "open EF group=eu consent=yes")
	w.ok("anna", "close K-2026-0003 moved")
	before := w.snapshot()
	w.want("teamA", "root", "admin rolle @anna keine", kim.ECONFLICT, "@anna hat noch 2 offene Fälle",
		"`/kim admin übergabe @anna @<coach>`", "`/kim admin rolle @anna keine übergabe=@<coach>`")
	w.want("teamA", "root", "admin role @anna coordinator", kim.ECONFLICT, "2 offene Fälle", "rolle @anna koordination übergabe=")
	w.want("teamA", "root", "admin rolle @anna keine uebergabe=@kora", kim.EINVALID, "@kora ist in diesem Team kein Coach")
	w.want("teamA", "root", "admin rolle @anna keine uebergabe=@anna", kim.ECONFLICT, "dieselbe")
	w.ok("root", "admin rolle @anna keine uebergabe=@ben", "K-2026-0001, K-2026-0002", "`/kim admin rolle @anna keine uebergabe=@ben bestätigen`")
	if after := w.snapshot(); after != before {
		t.Fatal("a refused or unconfirmed role change changed the database")
	}
	if n.to("id-ben") != "" {
		t.Fatal("a DM before the confirmation")
	}
	w.ok("root", "admin rolle @anna keine uebergabe=@ben bestaetigen", "@anna hat jetzt keine kimbot-Rolle mehr",
		"2 Fälle von @anna gehören jetzt @ben: K-2026-0001, K-2026-0002")
	if w.owner("K-2026-0001") != "id-ben" || w.owner("K-2026-0002") != "id-ben" || w.owner("K-2026-0003") != "id-anna" {
		t.Fatal("the open cases were not handed over (or the closed one was)")
	}
	if c := w.count(`SELECT count(*) FROM audit_log WHERE action = 'case.handover' AND actor_id = 'id-root'`); c != 2 {
		t.Fatalf("%d handover audit rows, want one per case", c)
	}
	if c := w.count(`SELECT count(*) FROM memberships WHERE user_id = 'id-anna'`); c != 0 {
		t.Fatal("the role stayed")
	}
	// ben is English.
	if dm := n.to("id-ben"); !strings.Contains(dm, "handed 2 cases of @anna to you in team teama: K-2026-0001, K-2026-0002") {
		t.Fatalf("DM to ben: %q", dm)
	}
	w.ok("ben", "show K-2026-0002", "K-2026-0002")
	w.ok("root", "admin audit K-2026-0001", "Fall von einem Admin übergeben")
	// Without open cases the role goes at once.
	w.ok("root", "admin role @ben coach org=DRK")
	w.ok("root", "admin role @kora none", "@kora hat jetzt keine kimbot-Rolle mehr")
}

// An admin hands all open cases of a coach who leaves to another coach,
// after confirmation, also when the coach has left the team in Mattermost.
func TestHandover(t *testing.T) {
	w, n := staffWorld(t)
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("anna", "open CD group=eu consent=yes")
	w.ok("ben", "open GH group=eu consent=yes")
	delete(w.dir, "teamA/anna") // anna has left the team
	before := w.snapshot()
	w.ok("root", "admin uebergabe @anna @ben", "@anna hat 2 offene Fälle: K-2026-0001, K-2026-0002", "`/kim admin uebergabe @anna @ben bestätigen`")
	w.want("teamA", "root", "admin uebergabe @anna @kora", kim.EINVALID, "@kora ist in diesem Team kein Coach")
	w.want("teamA", "root", "admin uebergabe @ben @ben", kim.ECONFLICT, "dieselbe")
	w.want("teamA", "root", "admin uebergabe @ghost @ben", kim.ENOTFOUND, "@ghost ist kein Mitglied")
	w.want("teamA", "root", "admin uebergabe @ben @anna", kim.ENOTFOUND, "@anna ist kein Mitglied") // a coach who left takes nothing over
	w.want("teamA", "anna", "admin uebergabe @anna @ben", kim.EFORBIDDEN, "Admin")
	if w.snapshot() != before {
		t.Fatal("unconfirmed or refused handovers changed the database")
	}
	w.ok("root", "admin handover @anna @ben confirm", "2 Fälle von @anna gehören jetzt @ben: K-2026-0001, K-2026-0002")
	if w.owner("K-2026-0001") != "id-ben" || w.owner("K-2026-0002") != "id-ben" {
		t.Fatal("not handed over")
	}
	if dm := n.to("id-ben"); !strings.Contains(dm, "K-2026-0001, K-2026-0002") || strings.Contains(dm, "K-2026-0003") {
		t.Fatalf("DM to ben: %q", dm)
	}
	w.ok("root", "admin uebergabe @anna @ben", "@anna hat in diesem Team keine offenen Fälle")
	// Now anna's role can go, although she has left the team.
	w.ok("root", "admin rolle @anna keine", "@anna hat jetzt keine kimbot-Rolle mehr")
}

// An admin transfers one case, open or closed; erased cases, unknown cases
// and targets that are no coach are refused.
func TestAdminTransfer(t *testing.T) {
	w, n := staffWorld(t)
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("anna", "open CD group=eu consent=yes")
	w.ok("anna", "close K-2026-0002 other")
	w.ok("anna", "open EF group=eu consent=yes")
	w.ok("anna", "erase K-2026-0003 confirm")
	w.want("teamB", "bea", "open XY group=eu consent=yes", "ok") // K-2026-0001 of teamB
	before := w.snapshot()
	w.want("teamA", "root", "admin uebergeben K-2026-0003 @ben", kim.ECONFLICT, "gelöscht")
	w.want("teamA", "root", "admin uebergeben K-2026-0099 @ben", kim.ENOTFOUND, "Im Team gibt es keinen Fall K-2026-0099")
	w.want("teamA", "root", "admin uebergeben K-2026-0001 @kora", kim.EINVALID, "@kora ist in diesem Team kein Coach")
	w.want("teamA", "root", "admin uebergeben K-2026-0001 @anna", kim.ECONFLICT, "gehört dieser Person schon")
	w.want("teamA", "kora", "admin transfer K-2026-0001 @ben", kim.EFORBIDDEN, "Admin")
	if w.snapshot() != before {
		t.Fatal("refused transfers changed the database")
	}
	w.ok("root", "admin uebergeben k-2026-0001 @ben", "Fall **K-2026-0001** (bisher @anna) ginge an @ben", "Noch ist nichts geändert",
		"/kim admin uebergeben k-2026-0001 @ben bestätigen")
	if w.snapshot() != before || w.owner("K-2026-0001") != "id-anna" {
		t.Fatal("an unconfirmed transfer changed the database")
	}
	w.ok("root", "admin uebergeben k-2026-0001 @ben bestätigen", "Fall **K-2026-0001** gehört jetzt @ben (bisher @anna)")
	w.ok("root", "admin transfer K-2026-0002 @ben confirm", "K-2026-0002")
	if w.owner("K-2026-0001") != "id-ben" || w.owner("K-2026-0002") != "id-ben" {
		t.Fatal("not transferred")
	}
	if dm := n.to("id-ben"); !strings.Contains(dm, "a case of @anna to you in team teama: K-2026-0001") {
		t.Fatalf("DM to ben: %q", dm)
	}
	w.want("teamA", "anna", "show K-2026-0001", kim.ENOTFOUND, "Keinen Fall")
	w.ok("ben", "reopen K-2026-0002")
}

// away refuses a deputy who is not a coach; a deputy who loses the coach
// role ends the deputyships (current ones yesterday, planned ones dropped),
// and each absent coach gets a DM.
func TestDeputyLosesRole(t *testing.T) {
	w, n := staffWorld(t)
	w.want("teamA", "anna", "abwesend 01.12.2026 05.12.2026 deputy=@kora", kim.EINVALID, "Die Vertretung muss ein Coach dieses Teams sein; @kora ist es nicht")
	w.ok("anna", "open AB group=eu consent=yes")
	w.ok("anna", "abwesend 24.11.2026 30.11.2026 deputy=@ben")
	w.ok("anna", "abwesend 10.12.2026 12.12.2026 deputy=@ben")
	w.at(2026, 11, 25)
	w.ok("ben", "show K-2026-0001")
	w.ok("root", "admin role @ben coordinator", "@ben hat jetzt die Rolle Koordination", "@ben vertritt niemanden mehr: 2 Vertretungen sind beendet")
	if c := w.count(`SELECT count(*) FROM absences WHERE deputy_id = 'id-ben' AND ends_on >= '2026-11-25'`); c != 0 {
		t.Fatalf("%d deputyships left", c)
	}
	if c := w.count(`SELECT count(*) FROM absences WHERE deputy_id = 'id-ben' AND ends_on = '2026-11-24'`); c != 1 {
		t.Fatal("the current absence did not end yesterday")
	}
	dm := n.to("id-anna")
	for _, want := range []string{"@ben ist im Team teama kein Coach mehr", "Ihre Abwesenheit vom 24.11.2026 bis 30.11.2026 ist beendet",
		"Ihre geplante Abwesenheit vom 10.12.2026 bis 12.12.2026 ist gestrichen", "/kim abwesend"} {
		if !strings.Contains(dm, want) {
			t.Errorf("DM to anna lacks %q:\n%s", want, dm)
		}
	}
	w.ok("root", "admin role @ben coach")
	w.want("teamA", "ben", "show K-2026-0001", kim.ENOTFOUND, "No case")
}

// Admins see who has which role, with the open cases of each coach (a
// handover is planned from it); nobody else does; a long list is paged.
func TestAdminRoleList(t *testing.T) {
	w := newWorld(t)
	w.ok("anna", "open AB group=refugee consent=yes")
	w.ok("anna", "open CD group=eu consent=yes")
	w.ok("ben", "open EF group=eu consent=yes")
	w.ok("anna", "abschliessen CD verzogen")
	before := w.snapshot()
	for _, line := range []string{"admin rollen", "admin rolle", "admin team"} {
		w.ok("root", line, "**Rollen in diesem Team (3)**", "| Person | Rolle | Organisation | offene Fälle |",
			"| @kora | Koordination | – | – |\n| @anna | Coach | Caritas | 1 |\n| @ben | Coach | DRK | 1 |", "`/kim admin übergabe @alt @neu`")
	}
	w.want("teamA", "anna", "admin rollen", kim.EFORBIDDEN)
	w.want("teamA", "kora", "admin rollen", kim.EFORBIDDEN)
	w.want("teamA", "root", "admin rollen seite=2", kim.EINVALID, "es sind 1")
	// „admin“ left out: answered with the line, never run.
	w.want("teamA", "root", "rolle @kora coach", kim.EINVALID, "Meinten Sie `/kim admin rolle @kora coach`?")
	w.want("teamA", "root", "rollen", kim.EINVALID, "Meinten Sie `/kim admin rollen`?")
	w.want("teamA", "root", "erledigt AB 1", kim.EINVALID, "Unbekannter Befehl „erledigt“") // a goal's or a step's: not guessed
	if w.snapshot() != before {
		t.Fatal("listing the roles changed something")
	}
	ctx := context.Background()
	for i := range 55 {
		u := kim.User{ID: fmt.Sprintf("id-c%02d", i), Username: fmt.Sprintf("c%02d", i)}
		if _, err := w.st.SyncUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := w.st.SetRole(ctx, "teamA", u.ID, kim.RoleCoach, "", "id-root"); err != nil {
			t.Fatal(err)
		}
	}
	first := w.ok("root", "admin rollen", "(58)", "Seite 1 von 2. Weiter: `/kim admin rollen seite=2`").Text
	second := w.ok("root", "admin rollen seite=2", "(58)", "@c54").Text
	if strings.Count(first, "\n| @") != 50 || strings.Count(second, "\n| @") != 8 || strings.Contains(second, "Weiter") {
		t.Errorf("pages of 50 and 8:\n%s\n---\n%s", first, second)
	}
}
