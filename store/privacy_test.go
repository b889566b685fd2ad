package store_test

import (
	"context"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// Closed cases are erased once the team's retention period after closure
// has ended, and only then; open cases never.
func TestEraseExpired(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	old, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Alt", Group: "eu", Domain: "none"})
	recent, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Neu", Group: "eu", Domain: "none"})
	open, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Offen", Group: "eu", Domain: "none"})
	for _, c := range []kim.Case{old, recent} {
		if _, err := s.CloseCase(ctx, a, c.Ref, "goals-met", "Notiz"); err != nil {
			t.Fatal(err)
		}
	}
	s.Pool().Exec(ctx, `UPDATE cases SET opened_on = '2026-01-02', closed_on = '2026-05-22' WHERE id = $1`, old.ID)
	// 23.11.2026: 6 months after 22.05. ended on 22.11.; the recent case closed today.
	n, err := s.EraseExpired(ctx, a.Today)
	if err != nil || n != 1 {
		t.Fatalf("EraseExpired = %d, %v", n, err)
	}
	if n, _ := s.EraseExpired(ctx, a.Today); n != 0 {
		t.Fatalf("second sweep erased %d again", n)
	}
	for _, tc := range []struct {
		c      kim.Case
		erased bool
	}{{old, true}, {recent, false}, {open, false}} {
		card, err := s.Card(ctx, a, tc.c.Ref)
		if err != nil || card.Case.Erased != tc.erased || (card.Case.Pseudonym == "") != tc.erased {
			t.Errorf("%s: erased=%v pseudonym=%q err=%v, want erased=%v", tc.c.Ref, card.Case.Erased, card.Case.Pseudonym, err, tc.erased)
		}
	}
	log, _ := s.AuditLog(ctx, "t1", old.Ref, 10)
	if last := log[len(log)-2]; last.Action != "case.erase.retention" || last.ActorID != store.SystemActor {
		t.Fatalf("retention erasure not audited: %+v", log)
	}
}

// The export holds everything and is audited; another coach gets nothing.
func TestExportCase(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Frau Q.", Group: "refugee", Domain: "SGB2"})
	x, err := s.ExportCase(ctx, a, c.Ref)
	if err != nil || x.Pseudonym != "Frau Q." || x.Team != "team-one" || len(x.Consents) != 1 || x.Consents[0].Scope != "processing" {
		t.Fatalf("export = %+v, %v", x, err)
	}
	s.SyncUser(ctx, kim.User{ID: "u2", Username: "ben"})
	s.SetRole(ctx, "t1", "u2", kim.RoleCoach, "", "admin")
	if _, err := s.ExportCase(ctx, kim.Actor{TeamID: "t1", UserID: "u2", Today: a.Today}, c.Ref); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("other coach exported: %v", err)
	}
	log, _ := s.AuditLog(ctx, "t1", c.Ref, 10)
	if log[len(log)-1].Action != "case.export" {
		t.Fatalf("export not audited: %+v", log)
	}
}
