package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// A referral keeps every outcome recorded for it, on the card and in the
// export; the referral itself shows the latest.
func TestOutcomeHistory(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	if _, _, err := s.GrantConsent(ctx, a, c.Ref, "jobcenter", "written", a.Today); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddReferral(ctx, a, c.Ref, "jobcenter", "Bürgergeld-Antrag", nil); err != nil {
		t.Fatal(err)
	}
	steps := []struct{ outcome, note string }{{"accepted", "Termin am 02.12."}, {"no-show", "nicht erschienen"}, {"pending", ""}, {"completed", "bewilligt"}}
	for i, st := range steps {
		day := a
		day.Today = a.Today.AddDays(i)
		if _, _, err := s.SetOutcome(ctx, day, c.Ref, 1, st.outcome, st.note); err != nil {
			t.Fatal(err)
		}
	}
	card, err := s.Card(ctx, a, c.Ref)
	if err != nil || len(card.Referrals) != 1 {
		t.Fatalf("card: %+v, %v", card.Referrals, err)
	}
	f := card.Referrals[0]
	if f.Reason != "Bürgergeld-Antrag" || f.Outcome != "completed" || f.Note != "bewilligt" || len(f.History) != len(steps) {
		t.Fatalf("referral on the card: %+v", f)
	}
	for i, st := range steps {
		h := f.History[i]
		if h.Outcome != st.outcome || h.Note != st.note || h.On != a.Today.AddDays(i) {
			t.Errorf("history[%d] = %+v, want %v on %s", i, h, st, a.Today.AddDays(i))
		}
	}
	x, err := s.ExportCase(ctx, a, c.Ref)
	if err != nil || len(x.Referrals) != 1 || len(x.Referrals[0].Outcomes) != len(steps) {
		t.Fatalf("export: %+v, %v", x.Referrals, err)
	}
	if o := x.Referrals[0].Outcomes[1]; o.Outcome != "no-show" || o.Note != "nicht erschienen" || o.On != a.Today.AddDays(1).String() {
		t.Fatalf("exported outcome 2: %+v", o)
	}
	if _, err := s.EraseCase(ctx, a, c.Ref); err != nil {
		t.Fatal(err)
	}
	var notes int
	if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM referral_outcomes WHERE note_enc IS NOT NULL`).Scan(&notes); err != nil || notes != 0 {
		t.Fatalf("outcome notes after erasure: %d (%v)", notes, err)
	}
}

// The card shows the latest score of every life field with its day, also
// of fields a later partial re-assessment did not score, and the newest
// contacts with their number and the count of all; Contacts pages through
// all of them, newest first.
func TestCardKeepsEverything(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	first, later := a.Today, a.Today.AddDays(3)
	if _, _, _, err := s.AddAssessment(ctx, a, c.Ref, kim.Assessment{On: first, Scores: map[kim.LifeField]int{"language": 2, "work": 1, "housing": 3}}); err != nil {
		t.Fatal(err)
	}
	b := a
	b.Today = later
	if _, _, _, err := s.AddAssessment(ctx, b, c.Ref, kim.Assessment{On: later, Scores: map[kim.LifeField]int{"work": 2}}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 7; i++ {
		if _, _, err := s.AddContact(ctx, b, c.Ref, kim.Contact{Kind: "phone", Minutes: i, On: first.AddDays(i % 4), Note: fmt.Sprint("Kontakt ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	card, err := s.Card(ctx, b, c.Ref)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(kim.LatestScores(card.Assessments))
	want := fmt.Sprint([]kim.FieldScore{{Field: "language", Score: 2, On: first, Seq: 1}, {Field: "work", Score: 2, On: later, Seq: 2, Prev: 1},
		{Field: "housing", Score: 3, On: first, Seq: 1}})
	if got != want {
		t.Errorf("latest scores = %s, want %s", got, want)
	}
	// Contacts by day, newest first: day 3 (3, 7), day 2 (2, 6), day 1 (1, 5), day 0 (4).
	if card.ContactCount != 7 || len(card.Contacts) != kim.CardContacts || card.Contacts[0].N != 7 || card.Contacts[1].N != 3 || card.Contacts[2].N != 6 {
		t.Fatalf("contacts on the card: %d, %+v", card.ContactCount, card.Contacts)
	}
	p, err := s.Contacts(ctx, b, c.Ref, 5, 5)
	if err != nil || p.Total != 7 || len(p.Contacts) != 2 || p.Contacts[0].N != 1 || p.Contacts[1].N != 4 || p.Contacts[1].Note != "Kontakt 4" {
		t.Fatalf("contacts page 2: %+v, %v", p, err)
	}
	log, _ := s.AuditLog(ctx, "t1", c.Ref, 1)
	if log[0].Action != "contact.list" {
		t.Fatalf("contact list not audited: %+v", log)
	}
	s.SyncUser(ctx, kim.User{ID: "u2", Username: "ben"})
	s.SetRole(ctx, "t1", "u2", kim.RoleCoach, "", "admin")
	if _, err := s.Contacts(ctx, kim.Actor{TeamID: "t1", UserID: "u2", Today: b.Today}, c.Ref, 0, 5); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Fatalf("another coach read the contacts: %v", err)
	}
}

// A digest item says what it is: the case's pseudonym, a goal's text and a
// follow-up's partner.
func TestDueItemsSayWhat(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Frau Ö.", Group: "eu", Domain: "none"})
	due := a.Today.AddDays(2)
	if _, _, err := s.AddGoal(ctx, a, c.Ref, kim.Goal{Field: "language", Text: "B1-Kurs abschließen", Due: &due}); err != nil {
		t.Fatal(err)
	}
	s.GrantConsent(ctx, a, c.Ref, "jobcenter", "written", a.Today)
	if _, _, err := s.AddReferral(ctx, a, c.Ref, "jobcenter", "Antrag", &due); err != nil {
		t.Fatal(err)
	}
	items, err := s.DueItems(ctx, []store.Route{{TeamID: "t1", OwnerID: "u1", RecipientID: "u1", Day: due}})
	if err != nil || len(items) != 2 {
		t.Fatalf("due items: %+v, %v", items, err)
	}
	for _, it := range items {
		if it.Pseudonym != "Frau Ö." {
			t.Errorf("%s: pseudonym %q", it.Kind, it.Pseudonym)
		}
		switch it.Kind {
		case kim.ItemGoal:
			if it.Text != "B1-Kurs abschließen" || it.Label != "language" {
				t.Errorf("goal item: %+v", it)
			}
		case kim.ItemFollowup:
			if it.Label != "Jobcenter" || it.Text != "" {
				t.Errorf("follow-up item: %+v", it)
			}
		}
	}
}
