package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// An export link works once, only for its coach and a team member, until it expires; erasure
// by retention makes it fail and queues the DM of the coach for the Mattermost cleanup.
func TestExportLinks(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Frau Q.", Group: "refugee", Domain: "SGB2"})
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	member := func(context.Context, string, string) (bool, error) { return true, nil }
	gone := func(context.Context, string, string) (bool, error) { return false, nil }
	for _, id := range []string{"once", "late", "left", "kept"} {
		if _, err := s.CreateExportLink(ctx, a, c.Ref, id, now.Add(15*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FetchExport(ctx, "once", "someone-else", now, a.Today, member); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("another user's fetch: %v", err)
	}
	if x, err := s.FetchExport(ctx, "once", a.UserID, now, a.Today, member); err != nil || x.Pseudonym != "Frau Q." {
		t.Fatalf("fetch = %+v, %v", x, err)
	}
	if _, err := s.FetchExport(ctx, "once", a.UserID, now, a.Today, member); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("second fetch: %v", err)
	}
	if _, err := s.FetchExport(ctx, "late", a.UserID, now.Add(16*time.Minute), a.Today, member); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("expired fetch: %v", err)
	}
	if _, err := s.FetchExport(ctx, "left", a.UserID, now, a.Today, gone); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("fetch after leaving the team: %v", err)
	}
	if ok, err := s.ExportLinkValid(ctx, "kept", a.UserID, now); !ok || err != nil {
		t.Fatalf("kept link valid = %v, %v", ok, err)
	}

	if _, err := s.CloseCase(ctx, a, c.Ref, "goals-met", ""); err != nil {
		t.Fatal(err)
	}
	s.Pool().Exec(ctx, `UPDATE cases SET opened_on = '2026-01-02', closed_on = '2026-05-22' WHERE id = $1`, c.ID)
	if n, err := s.EraseExpired(ctx, a.Today); err != nil || n != 1 {
		t.Fatalf("EraseExpired = %d, %v", n, err)
	}
	if ok, _ := s.ExportLinkValid(ctx, "kept", a.UserID, now); ok {
		t.Fatal("link still valid after erasure")
	}
	if _, err := s.FetchExport(ctx, "kept", a.UserID, now, a.Today, member); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("fetch after erasure: %v", err)
	}
	list, err := s.ExportCleanups(ctx, 10)
	if err != nil || len(list) != 1 || list[0].Ref != c.Ref || list[0].UserID != a.UserID {
		t.Fatalf("cleanups = %+v, %v", list, err)
	}
	s.SettleExportCleanup(ctx, list[0], false)
	if list, _ := s.ExportCleanups(ctx, 10); len(list) != 1 || list[0].Attempts != 1 {
		t.Fatalf("failed cleanup not counted: %+v", list)
	}
	s.SettleExportCleanup(ctx, list[0], true)
	if list, _ := s.ExportCleanups(ctx, 10); len(list) != 0 {
		t.Fatalf("settled cleanup left: %+v", list)
	}
}
