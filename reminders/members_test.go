package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
)

// fakeMembers says who is a member of each team; down makes every check fail.
type fakeMembers struct {
	removed map[string]bool // team/user
	down    bool
	calls   int
}

func (f *fakeMembers) TeamMembers(_ context.Context, teamID string, ids []string) (map[string]bool, error) {
	f.calls++
	if f.down {
		return nil, errors.New("mattermost unreachable")
	}
	out := map[string]bool{}
	for _, id := range ids {
		if !f.removed[teamID+"/"+id] {
			out[id] = true
		}
	}
	return out, nil
}

// A coach removed from the team gets no digest from the next pass on (the day
// is recorded as empty, so later passes do not ask again), while the others
// get theirs after one membership request for the team; a failed check lets
// the digests go out.
func TestDigestRemovedMember(t *testing.T) {
	w := newPassWorld(t)
	w.open("anna", "2026-12-01")
	w.open("ben", "2026-12-01")
	m := &fakeMembers{removed: map[string]bool{"t1/anna": true}}
	w.svc.Members = m
	rep := w.pass(berlin(12, 7, 8, 0))
	w.expectPosts("anna", 0)
	w.expectPosts("ben", 1)
	if m.calls != 1 {
		t.Errorf("%d membership requests for one team, want 1", m.calls)
	}
	key := reminders.DigestKey("anna", kim.Date{Y: 2026, M: 12, D: 7})
	if st, _ := w.s.DeliveryStatuses(w.ctx, []string{key}); st[key] != "empty" {
		t.Fatalf("anna's digest: %v (report %s)", st, rep)
	}
	w.pass(berlin(12, 7, 8, 30))
	if m.calls != 1 {
		t.Errorf("a later pass asked again: %d requests", m.calls)
	}

	// The next day Mattermost cannot answer the check: the digests go out unchecked.
	m.down = true
	w.pass(berlin(12, 8, 8, 0))
	w.expectPosts("anna", 1)
}

// A coordinator removed from the team (or deactivated: bot.Client.TeamMembers
// counts them out alike) gets no empty-agenda reminder; the delivery is
// settled as empty, so later passes do not ask again. Another coordinator's
// meeting the same day is reminded.
func TestAgendaReminderRemovedCreator(t *testing.T) {
	w := newPassWorld(t)
	m := &fakeMembers{removed: map[string]bool{"t1/kora": true}}
	w.svc.Members = m
	created := time.Date(2026, 11, 23, 10, 0, 0, 0, kim.Berlin)
	var meetings []kim.Meeting
	for _, by := range []string{"kora", "anna"} {
		x, err := w.s.CreateMeeting(w.ctx, kim.Actor{TeamID: "t1", UserID: by}, kim.Meeting{Title: "Treffen von " + by,
			StartsAt: berlin(12, 3, 14, 0), ChannelID: "ch-netz", ChannelName: "netz", CreatedAt: created})
		if err != nil {
			t.Fatal(err)
		}
		meetings = append(meetings, x)
	}
	w.pass(berlin(12, 2, 9, 0)) // the working day before: both agendas are empty
	w.pass(berlin(12, 2, 9, 1))
	w.expectPosts("kora", 0)
	if dm := w.expectPosts("anna", 1)[0]; !strings.Contains(text(dm), "Treffen von anna") {
		t.Errorf("anna's reminder: %s", text(dm))
	}
	key := fmt.Sprintf("agenda-reminder:%d", meetings[0].ID)
	if rec, err := w.s.Delivery(w.ctx, key, nil); err != nil || rec.Status != "empty" {
		t.Errorf("the removed coordinator's reminder: %+v %v", rec, err)
	}
	calls := m.calls
	w.pass(berlin(12, 2, 10, 0))
	if m.calls != calls {
		t.Errorf("a later pass asked again: %d requests", m.calls-calls)
	}
}
