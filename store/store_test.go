package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

func setup(t *testing.T, opts ...store.Option) (*store.Store, kim.Actor) {
	t.Helper()
	s := testenv.Store(t, opts...)
	ctx := context.Background()
	if _, err := s.UpsertTeam(ctx, "t1", "team-one", "c1", "secret-token"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncUser(ctx, kim.User{ID: "u1", Username: "anna"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, "t1", "u1", kim.RoleCoach, "Caritas", "admin"); err != nil {
		t.Fatal(err)
	}
	return s, kim.Actor{TeamID: "t1", UserID: "u1", Today: kim.Date{Y: 2026, M: 11, D: 23}}
}

// The database alone reveals no pseudonym and no command token.
func TestPersonalDataEncryptedAtRest(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Zainab Q.", Group: "refugee", Domain: "AsylbLG"})
	if err != nil {
		t.Fatal(err)
	}
	var raw, tok []byte
	if err := s.Pool().QueryRow(ctx, `SELECT pseudonym_enc FROM cases WHERE id = $1`, c.ID).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) == 0 || bytes.Contains(raw, []byte("Zainab")) {
		t.Fatalf("pseudonym stored in the clear: %q", raw)
	}
	s.Pool().QueryRow(ctx, `SELECT command_token_enc FROM teams WHERE id = 't1'`).Scan(&tok)
	if bytes.Contains(tok, []byte("secret-token")) {
		t.Fatal("command token stored in the clear")
	}
	card, err := s.Card(ctx, a, strings.ToLower(c.Ref))
	if err != nil || card.Case.Pseudonym != "Zainab Q." || card.Case.Organisation != "Caritas" {
		t.Fatalf("card = %+v, %v", card.Case, err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if _, err := s.Card(ctx, a, c.Ref); err != nil {
		t.Fatal(err)
	}
	log, err := s.AuditLog(ctx, "t1", c.Ref, 10)
	if err != nil || len(log) != 2 || log[0].Action != "case.open" || log[1].Action != "case.read" || log[1].Actor != "anna" {
		t.Fatalf("audit log = %+v, %v", log, err)
	}
	for _, sql := range []string{`UPDATE audit_log SET actor_id = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := s.Pool().Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v", sql, err)
		}
	}
}

// References are unique per team, counted per year, and concurrent opens
// never collide.
func TestCaseNumbering(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	refs := make(chan string, 20)
	for i := 0; i < 20; i++ {
		go func() {
			c, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "X", Group: "other", Domain: "none"})
			if err != nil {
				t.Error(err)
			}
			refs <- c.Ref
		}()
	}
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		r := <-refs
		if seen[r] {
			t.Fatalf("duplicate reference %s", r)
		}
		seen[r] = true
	}
	if !seen["K-2026-0001"] || !seen["K-2026-0020"] {
		t.Fatalf("refs = %v", seen)
	}
	a.Today = kim.Date{Y: 2027, M: 1, D: 2}
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Y", Group: "other", Domain: "none"})
	if c.Ref != "K-2027-0001" {
		t.Fatalf("new year starts at 1: %s", c.Ref)
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE cases SET ref = 'K-2026-0001' WHERE ref = 'K-2026-0002'`); err == nil {
		t.Fatal("duplicate reference accepted by the database")
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE cases SET target_group = 'martians' WHERE ref = 'K-2026-0002'`); err == nil {
		t.Fatal("unknown target group accepted by the database")
	}
}

// A deputy sees the owner's cases only during the absence.
func TestDeputyAccess(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	s.SyncUser(ctx, kim.User{ID: "u2", Username: "ben"})
	s.SetRole(ctx, "t1", "u2", kim.RoleCoach, "", "admin")
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	ben := kim.Actor{TeamID: "t1", UserID: "u2", Today: a.Today}
	if _, err := s.Card(ctx, ben, c.Ref); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("ben sees anna's case without absence: %v", err)
	}
	if _, err := s.Pool().Exec(ctx, `INSERT INTO absences (team_id, user_id, deputy_id, starts_on, ends_on) VALUES ('t1', 'u1', 'u2', '2026-11-20', '2026-11-30')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Card(ctx, ben, c.Ref); err != nil {
		t.Fatalf("deputy refused during absence: %v", err)
	}
	ben.Today = kim.Date{Y: 2026, M: 12, D: 1}
	if _, err := s.Card(ctx, ben, c.Ref); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("deputy still sees the case after the absence: %v", err)
	}
}

// TestCardCaseStaysInItsBatch: a card finds its case through caseAccess
// once and keeps the id for its own transaction; on the same connection the
// next card of someone who may not see that case reads and audits nothing.
func TestCardCaseStaysInItsBatch(t *testing.T) {
	s, anna := setup(t, store.MaxConns(1))
	ctx := context.Background()
	s.SyncUser(ctx, kim.User{ID: "u2", Username: "ben"})
	s.SetRole(ctx, "t1", "u2", kim.RoleCoach, "", "admin")
	c, err := s.OpenCase(ctx, anna, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		t.Fatal(err)
	}
	ben := kim.Actor{TeamID: "t1", UserID: "u2", Today: anna.Today}
	for i, who := range []kim.Actor{anna, ben, anna, ben} {
		card, err := s.Card(ctx, who, c.Ref)
		if who == anna && (err != nil || card.Case.Ref != c.Ref) {
			t.Fatalf("read %d: anna's own card: %v", i, err)
		}
		if who == ben && (kim.ErrorCode(err) != kim.ENOTFOUND || card.Case.Ref != "") {
			t.Fatalf("read %d: ben read anna's case right after her: %+v, %v", i, card.Case, err)
		}
	}
	var annas, bens int
	if err := s.Pool().QueryRow(ctx, `SELECT count(*) FILTER (WHERE actor_id = 'u1'), count(*) FILTER (WHERE actor_id = 'u2')
		FROM audit_log WHERE action = 'case.read' AND case_id = $1`, c.ID).Scan(&annas, &bens); err != nil {
		t.Fatal(err)
	}
	if annas != 2 || bens != 0 {
		t.Fatalf("audit rows of the reads: anna %d (want 2), ben %d (want 0)", annas, bens)
	}
}

// TestCardWritesNothingToTheCase: reading a card writes its audit row and
// leaves the case row as it was — no row lock (a foreign key from the audit
// row to the case locked it FOR KEY SHARE on every read: a page and WAL
// write per /kim show, migration 00017).
func TestCardWritesNothingToTheCase(t *testing.T) {
	s, anna := setup(t)
	ctx := context.Background()
	c, err := s.OpenCase(ctx, anna, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		t.Fatal(err)
	}
	row := func() (xmax string) {
		if err := s.Pool().QueryRow(ctx, `SELECT xmax::text FROM cases WHERE id = $1`, c.ID).Scan(&xmax); err != nil {
			t.Fatal(err)
		}
		return xmax
	}
	before := row()
	if _, err := s.Card(ctx, anna, c.Ref); err != nil {
		t.Fatal(err)
	}
	if after := row(); after != before {
		t.Errorf("the case row's xmax went from %s to %s: reading the card locked it", before, after)
	}
	if reads := caseReads(t, s, c.ID); reads != 1 {
		t.Errorf("%d audit rows for one read", reads)
	}
}

// caseReads counts the audit rows of card reads of case id.
func caseReads(t *testing.T, s *store.Store, id int64) (n int) {
	t.Helper()
	if err := s.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'case.read' AND case_id = $1`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCardAuditsBesideItsReads: a card's audit row is written beside its
// reads, not after them (the reads are done while the row waits), the card
// comes back only once the row is committed, and a read whose access ends
// while its audit row waits shows nothing and leaves no row.
func TestCardAuditsBesideItsReads(t *testing.T) {
	s, anna := setup(t)
	ctx := context.Background()
	c, err := s.OpenCase(ctx, anna, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Card(ctx, anna, c.Ref); err != nil { // prepares the statements
		t.Fatal(err)
	}
	reads := func() int { return caseReads(t, s, c.ID) }
	type result struct {
		card kim.Card
		err  error
	}
	// read holds back inserts into the audit log, starts a card and returns
	// once its reads are done and its audit row waits, with a release that
	// lets the row in and returns what the card returned.
	read := func() (release func() result) {
		tx, err := s.Pool().Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tx.Rollback(ctx) }) // lets a waiting card end when the test fails
		if _, err := tx.Exec(ctx, `LOCK TABLE audit_log IN SHARE MODE`); err != nil {
			t.Fatal(err)
		}
		poll, err := s.Pool().Acquire(ctx) // taken before the card, so never the card's connection
		if err != nil {
			t.Fatal(err)
		}
		defer poll.Release()
		acquired := s.Pool().Stat().AcquireCount()
		done := make(chan result, 1)
		go func() {
			card, err := s.Card(ctx, anna, c.Ref)
			done <- result{card, err}
		}()
		// The reads are done when the card has acquired two connections (its
		// reads' and its audit row's) and released one of them while the row
		// waits for the lock. (pg_stat_activity's state_change did not tell:
		// on a loaded machine a batch on an idle connection left it unchanged.)
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			var waiting bool
			if err := poll.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
				AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO ' || 'audit_log%')`).Scan(&waiting); err != nil {
				t.Fatal(err)
			}
			st := s.Pool().Stat()
			readsDone := st.AcquireCount() >= acquired+2 && st.AcquiredConns() == 3 // the lock's, poll and the waiting audit row's
			if waiting && readsDone {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 10 s: audit row waiting %v, reads done %v (the reads wait for the audit row); pool: %d acquires since the lock, %d acquired now",
					waiting, readsDone, st.AcquireCount()-acquired, st.AcquiredConns())
			}
		}
		select {
		case r := <-done:
			t.Fatalf("the card came back while its audit row waited: %+v", r)
		default:
		}
		return func() result {
			if err := tx.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
			return <-done
		}
	}
	before := reads()
	if r := read()(); r.err != nil || r.card.Case.Ref != c.Ref {
		t.Fatalf("card after its audit row: %+v, %v", r.card.Case, r.err)
	}
	if n := reads(); n != before+1 {
		t.Fatalf("%d audit rows for one read", n-before)
	}
	release := read()
	if _, err := s.Pool().Exec(ctx, `UPDATE memberships SET role = 'coordinator' WHERE team_id = 't1' AND user_id = 'u1'`); err != nil {
		t.Fatal(err)
	}
	if r := release(); kim.ErrorCode(r.err) != kim.ENOTFOUND || r.card.Case.Ref != "" {
		t.Fatalf("a read whose access ended before its audit row: %+v, %v", r.card.Case, r.err)
	}
	if n := reads(); n != before+1 {
		t.Fatalf("the refused read left %d audit rows", n-before-1)
	}
}

func TestRedisLockRateLimitOnce(t *testing.T) {
	r := testenv.Redis(t)
	ctx := context.Background()
	l, ok, err := r.TryLock(ctx, "pass", time.Minute)
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	if _, ok, _ := r.TryLock(ctx, "pass", time.Minute); ok {
		t.Fatal("lock taken twice")
	}
	l.Unlock(ctx)
	if _, ok, _ := r.TryLock(ctx, "pass", time.Minute); !ok {
		t.Fatal("lock not released")
	}
	for i := 1; i <= 4; i++ {
		ok, err := r.Allow(ctx, "u1", 3, time.Minute)
		if err != nil || ok != (i <= 3) {
			t.Fatalf("event %d allowed=%v err=%v", i, ok, err)
		}
	}
	if ok, _ := r.Allow(ctx, "u2", 1, time.Second); !ok {
		t.Fatal("u2's first event refused")
	}
	if ok, _ := r.Allow(ctx, "u2", 1, time.Second); ok {
		t.Fatal("u2's second event in the same second allowed")
	}
	time.Sleep(time.Until(store.RateWindowEnd(time.Now(), time.Second)))
	if ok, _ := r.Allow(ctx, "u2", 1, time.Second); !ok {
		t.Fatal("u2 refused once the window ended (RateWindowEnd)")
	}
	if first, _ := r.Once(ctx, "press-1", time.Minute); !first {
		t.Fatal("first use refused")
	}
	if again, _ := r.Once(ctx, "press-1", time.Minute); again {
		t.Fatal("second use accepted")
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	s := testenv.Store(t)
	applied, err := s.Migrate(context.Background())
	if err != nil || len(applied) != 0 {
		t.Fatalf("second migrate applied %v, %v", applied, err)
	}
}

// TestContactUpdatesTheCaseOnce: logging a contact writes the case row once
// (its number, next date and phase in one statement), not once for the
// number and once more for the date. A trigger of the test counts the
// updates of the row.
func TestContactUpdatesTheCaseOnce(t *testing.T) {
	s, anna := setup(t)
	ctx := context.Background()
	c, err := s.OpenCase(ctx, anna, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`CREATE TABLE case_updates (case_id bigint)`,
		`CREATE FUNCTION count_case_update() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN INSERT INTO case_updates VALUES (NEW.id); RETURN NEW; END $$`,
		`CREATE TRIGGER count_case_update AFTER UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION count_case_update()`,
	} {
		if _, err := s.Pool().Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2 {
		if _, _, err := s.AddContact(ctx, anna, c.Ref, kim.Contact{Kind: "phone", Minutes: -1, On: anna.Today, Note: "Anruf"}); err != nil {
			t.Fatal(err)
		}
		var updates, n int
		if err := s.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM case_updates WHERE case_id = $1), (SELECT max(n) FROM contacts WHERE case_id = $1)`,
			c.ID).Scan(&updates, &n); err != nil {
			t.Fatal(err)
		}
		if updates != i+1 || n != i+1 {
			t.Errorf("after contact %d: %d updates of the case row, contact number %d", i+1, updates, n)
		}
	}
}

// A reference reaches the store as typed or as kimbot writes it: k-2026-1
// and K2026-0001 name K-2026-0001 in every read and write (NormalizeRef).
func TestRefAsTyped(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil || c.Ref != "K-2026-0001" {
		t.Fatalf("open: %v %v", c.Ref, err)
	}
	for _, ref := range []string{"k-2026-1", " K2026-0001 "} {
		if card, err := s.Card(ctx, a, ref); err != nil || card.Case.Ref != "K-2026-0001" {
			t.Errorf("Card(%q): %q, %v", ref, card.Case.Ref, err)
		}
	}
	if _, _, err := s.AddContact(ctx, a, "k-2026-01", kim.Contact{Kind: "phone", Minutes: -1, On: a.Today, Note: "Anruf"}); err != nil {
		t.Errorf("AddContact(k-2026-01): %v", err)
	}
}
