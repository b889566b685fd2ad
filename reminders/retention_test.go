package reminders

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// The retention job erases a case closed more than six months before the
// pass, keeps one closed recently, and purges old delivery records only.
func TestRetentionJob(t *testing.T) {
	s := testenv.Store(t)
	ctx := context.Background()
	s.UpsertTeam(ctx, "t1", "team-one", "c1", "tok")
	s.SyncUser(ctx, kim.User{ID: "u1", Username: "anna"})
	s.SetRole(ctx, "t1", "u1", kim.RoleCoach, "", "admin")
	a := kim.Actor{TeamID: "t1", UserID: "u1", Today: kim.Date{Y: 2026, M: 1, D: 5}}
	old, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Alt", Group: "eu", Domain: "none"})
	s.CloseCase(ctx, a, old.Ref, "moved", "")
	a.Today = kim.Date{Y: 2026, M: 11, D: 2}
	recent, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Neu", Group: "eu", Domain: "none"})
	s.CloseCase(ctx, a, recent.Ref, "moved", "")
	for _, day := range []string{"2026-06-01", "2026-11-01"} {
		if _, err := s.Pool().Exec(ctx, `INSERT INTO reminder_deliveries (key, kind, user_id, day, status) VALUES ($1, 'digest', 'u1', $2, 'expired')`, "k"+day, day); err != nil {
			t.Fatal(err)
		}
	}
	p := &Pass{Now: time.Date(2026, 11, 23, 8, 0, 0, 0, kim.Berlin), Sources: Sources{Retention: s}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := retention(ctx, p); err != nil {
		t.Fatal(err)
	}
	var erased []string
	rows, _ := s.Pool().Query(ctx, `SELECT ref FROM cases WHERE erased_at IS NOT NULL`)
	for rows.Next() {
		var r string
		rows.Scan(&r)
		erased = append(erased, r)
	}
	if len(erased) != 1 || erased[0] != old.Ref {
		t.Fatalf("erased %v, want only %s", erased, old.Ref)
	}
	var left int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM reminder_deliveries`).Scan(&left)
	if left != 1 {
		t.Fatalf("%d delivery records left, want 1 (the recent one)", left)
	}
}
