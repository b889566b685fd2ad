package e2e

// End-to-end tests of staff changes (issue 9, point 7): an admin hands a case, or every open
// case of a coach who leaves, to another coach; a role change is refused while the coach owns
// open cases, or hands them over in the same step; a deputy who loses the coach role ends the
// deputyship; a user removed from the Mattermost team loses buttons and digests at once, and so
// does a user deactivated there; a coordinator who has left gets no agenda reminders.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
)

// lastDM waits for the user's n-th DM from the bot and returns its text.
func (u *user) lastDM(t testing.TB, n int) string {
	t.Helper()
	posts := u.waitBotDMs(t, n)
	return devstack.PostText(posts[len(posts)-1])
}

// handovers counts the audit rows of cases handed over by an admin in the team.
func (e *teamEnv) handovers(t testing.TB) int {
	t.Helper()
	var n int
	if err := e.kimbotDB(t).QueryRow(ctxT(t), `SELECT count(*) FROM audit_log WHERE team_id = $1 AND action = 'case.handover'`,
		e.Team.Id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStaffHandover: an admin hands one case, then every open case of a coach who leaves, to
// another coach — after a confirmation that changes nothing — each case audited; the coach who
// takes over gets a DM naming the references; the one who left no longer sees the cases.
func TestStaffHandover(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	alt := env.newUser(t, "alt", "de")
	neu := env.newUser(t, "neu", "de")
	koord := env.newUser(t, "koord", "de")
	env.grant(t, alt, "coach", "org=Caritas")
	env.grant(t, neu, "coach", "org=DRK")
	env.grant(t, koord, "coordinator")
	k1 := alt.remOpen(t, "A. B.")
	k2 := alt.remOpen(t, "C. D.")
	k3 := alt.remOpen(t, "E. F.")
	k4 := alt.remOpen(t, "G. H.")
	alt.kimOK(t, "abschliessen "+k4+" verzogen")
	admin := env.Admin

	// Refusals: no admin, no coach to take over, nothing confirmed yet.
	alt.kimOK(t, fmt.Sprintf("admin uebergabe %s %s", alt.mention(), neu.mention()), "ist nur für Admins")
	admin.kimOK(t, fmt.Sprintf("admin uebergabe %s %s", alt.mention(), koord.mention()), koord.mention()+" ist in diesem Team kein Coach")
	ask := admin.kimOK(t, fmt.Sprintf("admin uebergabe %s %s", alt.mention(), neu.mention()),
		"hat 3 offene Fälle: "+k1+", "+k2+", "+k3, "bestätigen")
	if strings.Contains(ask, k4) {
		t.Errorf("the closed case is offered for handover:\n%s", ask)
	}
	alt.kimOK(t, "zeige "+k1, k1+" · A. B.")
	if n := len(neu.botDMs(t)); n != 0 || env.handovers(t) != 0 {
		t.Fatalf("an unconfirmed handover sent %d DMs or wrote audit rows", n)
	}

	// One case: asked first, as the handover.
	admin.kimOK(t, fmt.Sprintf("admin uebergeben %s %s", k1, neu.mention()), "Fall **"+k1+"** (bisher "+alt.mention()+") ginge an "+neu.mention(),
		"Noch ist nichts geändert")
	alt.kimOK(t, "zeige "+k1, k1+" · A. B.")
	admin.kimOK(t, fmt.Sprintf("admin uebergeben %s %s bestaetigen", k1, neu.mention()), "Fall **"+k1+"** gehört jetzt "+neu.mention()+" (bisher "+alt.mention()+")")
	if dm := neu.lastDM(t, 1); !strings.Contains(dm, "einen Fall von "+alt.mention()+" übergeben: "+k1) || strings.Contains(dm, "A. B.") {
		t.Errorf("DM to the new coach: %s", dm)
	}
	neu.kimOK(t, "zeige "+k1, k1+" · A. B.", "Coach: "+neu.mention())
	var org string
	if err := env.kimbotDB(t).QueryRow(ctxT(t), `SELECT o.name FROM cases c JOIN organisations o ON o.id = c.organisation_id
		WHERE c.team_id = $1 AND c.ref = $2`, env.Team.Id, k1).Scan(&org); err != nil || org != "DRK" {
		t.Errorf("the case's organisation after the transfer: %q (%v), want the new coach's", org, err)
	}
	alt.kimOK(t, "zeige "+k1, "Keinen Fall "+k1)

	// All the others: alt leaves.
	admin.kimOK(t, fmt.Sprintf("admin uebergabe %s %s bestaetigen", alt.mention(), neu.mention()),
		"2 Fälle von "+alt.mention()+" gehören jetzt "+neu.mention()+": "+k2+", "+k3)
	dm := neu.lastDM(t, 2)
	if !strings.Contains(dm, "2 Fälle von "+alt.mention()+" übergeben: "+k2+", "+k3) || strings.Contains(dm, k4) || strings.Contains(dm, "C. D.") {
		t.Errorf("DM to the new coach: %s", dm)
	}
	neu.kimOK(t, "faelle", k1, k2, k3)
	alt.kimOK(t, "faelle offen", "keine")
	if n := env.handovers(t); n != 3 {
		t.Errorf("%d handover audit rows, want 3 (one per case)", n)
	}
	admin.kimOK(t, "admin protokoll "+k2, "Fall von einem Admin übergeben")
	// Nothing left: the role can go now.
	admin.kimOK(t, fmt.Sprintf("admin rolle %s keine", alt.mention()), alt.mention()+" hat jetzt keine kimbot-Rolle mehr")
}

// TestStaffRoleChange: taking the coach role from a coach with open cases is refused, naming
// how many and the commands that hand them over, and the coach keeps working; the combined step
// asks first and then hands the cases over and changes the role at once.
func TestStaffRoleChange(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	anna := env.newUser(t, "anna", "de")
	ben := env.newUser(t, "ben", "en")
	env.grant(t, anna, "coach")
	env.grant(t, ben, "coach")
	k1 := anna.remOpen(t, "G. H.")
	k2 := anna.remOpen(t, "I. J.")
	admin := env.Admin

	admin.kimOK(t, fmt.Sprintf("admin rolle %s keine", anna.mention()), anna.mention()+" hat noch 2 offene Fälle",
		fmt.Sprintf("`/kim admin übergabe %s @<coach>`", anna.mention()), fmt.Sprintf("`/kim admin rolle %s keine übergabe=@<coach>`", anna.mention()))
	admin.kimOK(t, fmt.Sprintf("admin role %s coordinator", anna.mention()), "2 offene Fälle")
	anna.kimOK(t, "zeige "+k1, k1) // still her coach role and her cases
	admin.kimOK(t, fmt.Sprintf("admin rolle %s keine uebergabe=%s", anna.mention(), ben.mention()),
		k1+", "+k2, fmt.Sprintf("`/kim admin rolle %s keine uebergabe=%s bestätigen`", anna.mention(), ben.mention()))
	anna.kimOK(t, "zeige "+k2, k2)
	if len(ben.botDMs(t)) != 0 {
		t.Fatal("a DM before the confirmation")
	}

	admin.kimOK(t, fmt.Sprintf("admin rolle %s keine uebergabe=%s bestaetigen", anna.mention(), ben.mention()),
		anna.mention()+" hat jetzt keine kimbot-Rolle mehr", "2 Fälle von "+anna.mention()+" gehören jetzt "+ben.mention())
	if dm := ben.lastDM(t, 1); !strings.Contains(dm, "handed 2 cases of "+anna.mention()+" to you") || !strings.Contains(dm, k1) || !strings.Contains(dm, k2) {
		t.Errorf("DM to ben (English): %s", dm)
	}
	anna.kimOK(t, "faelle", "keine kimbot-Rolle")
	ben.kimOK(t, "show "+k2, k2+" · I. J.")
	if n := env.handovers(t); n != 2 {
		t.Errorf("%d handover audit rows, want 2", n)
	}
}

// TestStaffDeputy: away refuses a deputy who is not a coach of the team; a deputy who loses
// the coach role ends the deputyship, and the absent coach gets a DM.
func TestStaffDeputy(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	anna := env.newUser(t, "anna", "de")
	ben := env.newUser(t, "ben", "de")
	kora := env.newUser(t, "kora", "de")
	env.grant(t, anna, "coach")
	env.grant(t, ben, "coach")
	env.grant(t, kora, "coordinator")
	today := remToday()
	from, to := today.AddDays(1).German(), today.AddDays(5).German()

	anna.kimOK(t, fmt.Sprintf("abwesend %s %s deputy=%s", from, to, kora.mention()),
		"Die Vertretung muss ein Coach dieses Teams sein; "+kora.mention()+" ist es nicht")
	anna.kimOK(t, "abwesend", "Keine Abwesenheit")
	anna.kimOK(t, fmt.Sprintf("abwesend %s %s deputy=%s", from, to, ben.mention()), ben.mention()+" vertritt Sie")
	// Extended before it begins: the same absence, a later end.
	to = today.AddDays(8).German()
	anna.kimOK(t, "abwesend verlängern bis "+to, "Abwesenheit geändert: vom "+from+" bis "+to)
	anna.kimOK(t, "abwesend", "| "+from+" | "+to+" | "+ben.mention()+" |")

	env.Admin.kimOK(t, fmt.Sprintf("admin rolle %s koordination", ben.mention()), ben.mention()+" hat jetzt die Rolle Koordination",
		ben.mention()+" vertritt niemanden mehr")
	dm := anna.lastDM(t, 1)
	for _, want := range []string{ben.mention() + " ist im Team", "kein Coach mehr", "Ihre geplante Abwesenheit vom " + from + " bis " + to + " ist gestrichen", "/kim abwesend"} {
		if !strings.Contains(dm, want) {
			t.Errorf("DM to the absent coach lacks %q:\n%s", want, dm)
		}
	}
	anna.kimOK(t, "abwesend", "Keine Abwesenheit")
}

// TestStaffTeamRemoval: a coach removed from the Mattermost team loses access at once: a button
// of an old digest is refused (it worked before), and the next pass sends them no digest while
// the other coach still gets theirs. An admin then hands the cases of the coach who left over.
func TestStaffTeamRemoval(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	gone := env.newUser(t, "gone", "de")
	stays := env.newUser(t, "stays", "de")
	env.grant(t, gone, "coach")
	env.grant(t, stays, "coach")
	kg := gone.remOpen(t, "K. L.")
	stays.remOpen(t, "M. N.")
	day := remDay()

	env.remindNow(t, remAt(day, 8, 0))
	dm := gone.remExpect(t, 1)[0]
	stays.remExpect(t, 1)
	gone.listen(t)
	gone.press(t, dm, remItem(t, dm, kg, "Ersteinschätzung", "open").Id)
	gone.waitEphemeral(t, kg+" · K. L.") // the button works while a member

	if _, err := stack.admin.RemoveTeamMember(ctxT(t), env.Team.Id, gone.UserID()); err != nil {
		t.Fatal(err)
	}
	before := devstack.PostText(dm)
	gone.press(t, dm, remItem(t, dm, kg, "Ersteinschätzung", "open").Id)
	refusal := gone.waitEphemeral(t, "nicht mehr Mitglied dieses Teams")
	if strings.Contains(refusal.Message, "K. L.") {
		t.Fatalf("the refusal shows the case: %s", refusal.Message)
	}
	after := gone.press(t, dm, remItem(t, dm, kg, "Ersteinschätzung", "done").Id)
	if devstack.PostText(after) != before {
		t.Errorf("a press of a removed user changed the digest:\n%s", devstack.PostText(after))
	}

	next := kim.Workday(day.AddDays(1))
	env.remindNow(t, remAt(next, 8, 0))
	stays.remExpect(t, 2)
	gone.remExpect(t, 1)

	// The admin hands the cases of the coach who left over, and removes the role.
	env.Admin.kimOK(t, fmt.Sprintf("admin uebergabe %s %s bestaetigen", gone.mention(), stays.mention()),
		"Ein Fall von "+gone.mention()+" gehört jetzt "+stays.mention()+": "+kg)
	env.Admin.kimOK(t, fmt.Sprintf("admin rolle %s keine", gone.mention()), gone.mention()+" hat jetzt keine kimbot-Rolle mehr")
	stays.kimOK(t, "zeige "+kg, kg+" · K. L.")
}

// TestStaffDeactivated: a coach deactivated in Mattermost stays a member of the team there, but
// gets no digest from the next pass on, while the other coach still gets theirs.
func TestStaffDeactivated(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	gone := env.newUser(t, "gone", "de")
	stays := env.newUser(t, "stays", "de")
	env.grant(t, gone, "coach")
	env.grant(t, stays, "coach")
	gone.remOpen(t, "K. L.")
	stays.remOpen(t, "M. N.")
	day := remDay()

	env.remindNow(t, remAt(day, 8, 0))
	dm := gone.remExpect(t, 1)[0] // a digest while active
	stays.remExpect(t, 1)

	ctx := ctxT(t)
	if _, err := stack.admin.UpdateUserActive(ctx, gone.UserID(), false); err != nil {
		t.Fatal(err)
	}
	if m, _, err := stack.admin.GetTeamMember(ctx, env.Team.Id, gone.UserID(), ""); err != nil || m.DeleteAt != 0 {
		t.Fatalf("the deactivated coach is no team member in Mattermost any more (%v): the test proves nothing", err)
	}
	next := kim.Workday(day.AddDays(1))
	out := env.remindNow(t, remAt(next, 8, 0))
	stays.remExpect(t, 2)
	time.Sleep(time.Second) // a digest to the deactivated coach would arrive now
	posts, err := stack.admin.ChannelPosts(ctx, dm.ChannelId)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 {
		t.Fatalf("the deactivated coach's DM has %d posts, want the first digest only:\n%s\nremind: %s", len(posts), postsText(posts), out)
	}
}

// TestStaffCoordinatorRemoved: a coordinator removed from the Mattermost team gets no reminder of
// the empty agenda of the meeting they made; the other coordinator's meeting that day is reminded.
func TestStaffCoordinatorRemoved(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	gone := env.newUser(t, "gone", "de")
	stays := env.newUser(t, "stays", "de")
	env.grant(t, gone, "coordinator")
	env.grant(t, stays, "coordinator")
	netz := env.newChannel(t, "netzwerk", gone, stays)
	day := meetingDay(2)
	gone.kimOK(t, fmt.Sprintf("treffen neu %s 10:00 Lenkungsgruppe channel=~%s", day.German(), netz.Name), "**M-1**")
	stays.kimOK(t, fmt.Sprintf("treffen neu %s 14:00 Netzwerktreffen channel=~%s", day.German(), netz.Name), "**M-2**")
	goneBefore, staysBefore := len(gone.botDMs(t)), len(stays.botDMs(t))

	if _, err := stack.admin.RemoveTeamMember(ctxT(t), env.Team.Id, gone.UserID()); err != nil {
		t.Fatal(err)
	}
	at := reminders.AgendaReminderTime(kim.Meeting{StartsAt: time.Date(day.Y, time.Month(day.M), day.D, 10, 0, 0, 0, kim.Berlin)})
	env.remindNow(t, at)
	env.remindNow(t, at.Add(time.Minute))
	dms := stays.waitBotDMs(t, staysBefore+1)
	if len(dms) != staysBefore+1 || !strings.Contains(dms[len(dms)-1].Message, "Netzwerktreffen** (M-2)") {
		t.Fatalf("the other coordinator's reminder:\n%s", postsText(dms))
	}
	time.Sleep(time.Second)
	if after := gone.botDMs(t); len(after) != goneBefore {
		t.Fatalf("the removed coordinator got %d DMs:\n%s", len(after)-goneBefore, postsText(after))
	}
}
