package store_test

import (
	"context"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

// Migration 00006 keeps what a database of the previous release holds: each
// referral's outcome and note become its first history entry (still
// readable), and existing contacts are numbered per case in the order they
// were logged; a contact inserted without a number (as the previous release
// does during a rolling upgrade) gets the next one.
func TestMigrationRecord(t *testing.T) {
	ctx := context.Background()
	s, exec := previousRelease(t, 5)
	exec(`INSERT INTO referrals (case_id, n, partner_id, referred_on, outcome, outcome_on, outcome_note_enc, created_by)
		SELECT c.id, 1, p.id, '2026-11-02', 'accepted', '2026-11-05', $1, 'u1' FROM cases c, partners p WHERE c.ref = 'K-2026-0001'`,
		s.Seal("bewilligt", store.ReferralNote))
	exec(`INSERT INTO referrals (case_id, n, partner_id, referred_on, created_by) SELECT c.id, 2, p.id, '2026-11-02', 'u1' FROM cases c, partners p WHERE c.ref = 'K-2026-0001'`)
	for _, x := range []struct{ ref, on string }{{"K-2026-0001", "2026-11-09"}, {"K-2026-0002", "2026-11-03"}, {"K-2026-0001", "2026-11-04"}} {
		exec(`INSERT INTO contacts (case_id, kind, contact_on, created_by) SELECT id, 'phone', $2, 'u1' FROM cases WHERE ref = $1`, x.ref, x.on)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO contacts (case_id, kind, contact_on, created_by) SELECT id, 'video', '2026-11-10', 'u1' FROM cases WHERE ref = 'K-2026-0001'`)

	if err := s.SetRole(ctx, "t1", "u1", kim.RoleCoach, "", "root"); err != nil {
		t.Fatal(err)
	}
	card, err := s.Card(ctx, kim.Actor{TeamID: "t1", UserID: "u1", Today: kim.Date{Y: 2026, M: 11, D: 23}}, "K-2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	if len(card.Referrals) != 2 || len(card.Referrals[0].History) != 1 || len(card.Referrals[1].History) != 0 {
		t.Fatalf("referrals after the migration: %+v", card.Referrals)
	}
	if h := card.Referrals[0].History[0]; h.Outcome != "accepted" || h.Note != "bewilligt" || h.On != (kim.Date{Y: 2026, M: 11, D: 5}) {
		t.Fatalf("history of referral 1: %+v", h)
	}
	var ns []int
	for _, k := range card.Contacts {
		ns = append(ns, k.N)
	}
	if len(ns) != 3 || ns[0] != 3 || ns[1] != 1 || ns[2] != 2 {
		t.Fatalf("contact numbers (newest first): %v", ns)
	}
}

// previousRelease returns a store migrated only to version, as a database of
// an earlier release stands, holding team t1, user u1, partner jobcenter and
// the cases K-2026-0001 and K-2026-0002 (written with SQL of that version),
// and a helper that runs a statement on it.
func previousRelease(t *testing.T, version int64) (*store.Store, func(sql string, args ...any)) {
	t.Helper()
	ctx := context.Background()
	keys, err := secret.ParseKey(secret.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, testenv.NewDatabase(t), keys)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.MigrateTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := s.Pool().Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO teams (id, name) VALUES ('t1', 'one')`)
	exec(`INSERT INTO users (id, username) VALUES ('u1', 'anna')`)
	exec(`INSERT INTO partners (team_id, key, name) VALUES ('t1', 'jobcenter', 'Jobcenter')`)
	for _, ref := range []string{"K-2026-0001", "K-2026-0002"} {
		exec(`INSERT INTO cases (team_id, ref, owner_id, target_group, legal_domain, phase, opened_on) VALUES ('t1', $1, 'u1', 'eu', 'none', 'intake', '2026-11-01')`, ref)
	}
	return s, exec
}
