package reminders_test

import (
	"context"
	"errors"
	"testing"

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
