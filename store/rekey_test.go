package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/opsfixture"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

// Rows sealed with the old key read during the rotation, writes go on while
// rekey runs, an interrupted run is started again, and afterwards every
// value reads with the new key alone and none with the old one.
func TestRekey(t *testing.T) {
	ctx := context.Background()
	oldKey, newKey := secret.NewKey(), secret.NewKey()
	url, _, f := opsfixture.New(t, oldKey)

	rotating := testenv.OpenStore(t, url, newKey, oldKey)
	opsfixture.Check(t, rotating, f, store.Sealed) // everything reads while both keys are configured

	// The first run is interrupted after its first batch; meanwhile kimbot
	// serves with both keys and logs a contact.
	svc := opsfixture.NewService(rotating)
	stop, cancelled := context.WithCancel(ctx)
	batches := 0
	_, err := rotating.Rekey(stop, store.RekeyOptions{Batch: 2, Progress: func(n store.SealedCount) {
		if batches++; batches == 1 {
			f.Texts[store.ContactNote.Label] = append(f.Texts[store.ContactNote.Label], "während der Umschlüsselung")
			opsfixture.Run(t, svc, "anna", "contact "+f.Open+" video \"während der Umschlüsselung\"")
			cancelled()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted rekey: %v", err)
	}
	counts, err := rotating.Rekey(ctx, store.RekeyOptions{Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	resealed := 0
	for _, n := range counts {
		if n.Unreadable != 0 || n.Current+n.Resealed == 0 {
			t.Errorf("%s.%s: %+v", n.Column.Table, n.Column.Column, n)
		}
		resealed += n.Resealed
	}
	if resealed == 0 {
		t.Fatal("the second run re-sealed nothing")
	}
	again, err := rotating.Rekey(ctx, store.RekeyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range again {
		if n.Resealed != 0 {
			t.Errorf("a finished rekey re-seals %s.%s again: %+v", n.Column.Table, n.Column.Column, n)
		}
	}

	after := testenv.OpenStore(t, url, newKey, "")
	opsfixture.Check(t, after, f, store.Sealed)
	check, err := after.Rekey(ctx, store.RekeyOptions{Check: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range check {
		if n.Resealed != 0 || n.Unreadable != 0 {
			t.Errorf("with the new key alone, %s.%s: %+v", n.Column.Table, n.Column.Column, n)
		}
	}
	stale := testenv.OpenStore(t, url, oldKey, "")
	if x, err := stale.ExportCase(ctx, opsfixture.Actor(), f.Open); err != nil || x.Pseudonym == "Herr Ü. (offen)" {
		t.Fatalf("the old key still opens the pseudonym: %q, %v", x.Pseudonym, err)
	}
	if _, err := stale.CommandTokens(ctx); err == nil {
		t.Fatal("the old key still opens the command tokens")
	}
}
