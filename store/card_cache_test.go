package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// TestKeptCard: a card shown again is shown from memory after one round
// trip that still audits the read and checks access; a change made through
// another replica (a second store on the same database) is shown at once,
// read in that same round trip;
// a coach whose access ended sees nothing and leaves no audit row; and a
// store that keeps no cards reads every time.
func TestKeptCard(t *testing.T) {
	ctx := context.Background()
	var trips testenv.RoundTrips
	s, anna := setup(t, trips.Option())
	other := testenv.Replica(t, s, store.CardCache(0))
	today := anna.Today
	ben := kim.Actor{TeamID: "t1", UserID: "u2", Today: today}
	if _, err := s.SyncUser(ctx, kim.User{ID: "u2", Username: "ben"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, "t1", "u2", kim.RoleCoach, "Caritas", "admin"); err != nil {
		t.Fatal(err)
	}
	c, err := s.OpenCase(ctx, anna, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if err != nil {
		t.Fatal(err)
	}
	show := func(s *store.Store, a kim.Actor) (kim.Card, int, error) {
		var card kim.Card
		var err error
		n := trips.During(func() { card, err = s.Card(ctx, a, c.Ref) })
		return card, n, err
	}
	first, readTrips, err := show(s, anna)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := show(s, anna); err != nil { // prepares the kept card's statement
		t.Fatal(err)
	}
	reads := caseReads(t, s, c.ID)
	again, keptTrips, err := show(s, anna)
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Fatalf("kept card = %+v, %v; want %+v", again, err, first)
	}
	if keptTrips != 1 || readTrips < 2 {
		t.Errorf("round trips: %d for the read, %d for the kept card (want 1)", readTrips, keptTrips)
	}
	if n := caseReads(t, s, c.ID); n != reads+1 {
		t.Errorf("the kept card's read wrote %d audit rows, want 1", n-reads)
	}

	// Another replica logs a contact: the next card shows it.
	if _, _, err := other.AddContact(ctx, anna, c.Ref, kim.Contact{Kind: "phone", Minutes: 5, On: today, Note: "Rückruf"}); err != nil {
		t.Fatal(err)
	}
	card, changedTrips, err := show(s, anna)
	if err != nil || len(card.Contacts) != 1 || card.Contacts[0].Note != "Rückruf" || card.ContactCount != 1 {
		t.Fatalf("after another replica's contact: %+v, %v", card.Contacts, err)
	}
	if changedTrips != 1 {
		t.Errorf("a changed card took %d round trips, want 1", changedTrips)
	}
	// The card the caller got is its own: changing it leaves the kept one.
	card.Contacts[0].Note = "geändert"
	if card, _, _ := show(s, anna); card.Contacts[0].Note != "Rückruf" {
		t.Errorf("a caller's change reached the kept card: %q", card.Contacts[0].Note)
	}

	// Handed to ben by the other replica: anna's kept card is not shown,
	// and her try is not audited.
	if _, err := other.TransferCase(ctx, anna, c.Ref, func() (string, error) { return "u2", nil }); err != nil {
		t.Fatal(err)
	}
	reads = caseReads(t, s, c.ID)
	if _, _, err := show(s, anna); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("anna after the transfer: %v, want not found", err)
	}
	if n := caseReads(t, s, c.ID); n != reads {
		t.Errorf("a refused read wrote %d audit rows", n-reads)
	}
	if card, _, err := show(s, ben); err != nil || card.Case.OwnerName != "ben" {
		t.Fatalf("ben's card: owner %q, %v", card.Case.OwnerName, err)
	}

	// What the card shows of rows other cases share: the owner's username
	// and the organisation's name.
	for _, sql := range []string{`UPDATE users SET username = 'ben.k' WHERE id = 'u2'`,
		`UPDATE organisations SET name = 'Caritas Kreis' WHERE team_id = 't1' AND name = 'Caritas'`} {
		if _, err := other.Pool().Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if card, _, err := show(s, ben); err != nil || card.Case.OwnerName != "ben.k" || card.Case.Organisation != "Caritas Kreis" {
		t.Fatalf("after the renames: owner %q of %q, %v", card.Case.OwnerName, card.Case.Organisation, err)
	}

	// A store that keeps no cards reads every time.
	other.Card(ctx, ben, c.Ref)
	var n int
	if err := other.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE case_id = $1 AND action = 'case.read'`, c.ID).Scan(&n); err != nil || n == 0 {
		t.Fatalf("the other replica's read: %d rows, %v", n, err)
	}
}

// TestCardVersionTriggers: every table with a case_id whose rows the card
// shows counts the case's card version on insert, update and delete; a
// table added later that the card reads must get them too (or be listed
// here as not shown).
func TestCardVersionTriggers(t *testing.T) {
	s, _ := setup(t)
	notShown := map[string]bool{"audit_log": true, "barriers": true, "export_links": true}
	rows, err := s.Pool().Query(context.Background(), `
		SELECT c.table_name, array(SELECT tg.event_manipulation::text FROM information_schema.triggers tg
			WHERE tg.event_object_table = c.table_name AND tg.action_statement LIKE '%card_%changed()' ORDER BY 1)
		FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.column_name = 'case_id' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for rows.Next() {
		var table string
		var events []string
		if err := rows.Scan(&table, &events); err != nil {
			t.Fatal(err)
		}
		seen++
		if want := []string{"DELETE", "INSERT", "UPDATE"}; !notShown[table] && !reflect.DeepEqual(events, want) {
			t.Errorf("%s counts the card version on %v, want %v", table, events, want)
		}
	}
	if err := rows.Err(); err != nil || seen < 10 {
		t.Fatalf("%d tables with a case_id, %v", seen, err)
	}
}
