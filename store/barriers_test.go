package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/mask"
	"github.com/kimbot-nrw/kimbot/store"
)

// Every team starts with the German topic list; a barrier is grouped by a
// partner or a topic as people type them, never by free text.
func TestBarrierGroups(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	topics, err := s.Topics(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range topics {
		names = append(names, x.Name)
	}
	if got := strings.Join(names, "|"); got != "Wohnen|Sprache und Kurse|Gesundheit|Aufenthalt und Papiere|"+
		"Arbeit und Anerkennung|Kita und Schule|Digitales|Mobilität|Sonstiges" {
		t.Fatalf("topics = %s", got)
	}
	c, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "AB", Group: "eu", Domain: "none"})
	for about, want := range map[string]string{
		"jobcenter": "Jobcenter", "JOBCENTER": "Jobcenter", "Ausländerbehörde": "Ausländerbehörde", "auslaenderbehoerde": "Ausländerbehörde",
		"wohnen": "Wohnen", "Mobilität": "Mobilität", "mobilitaet": "Mobilität", "MOBILITÄT": "Mobilität", "kurse": "Sprache und Kurse",
		"Papiere": "Aufenthalt und Papiere", "kita-schule": "Kita und Schule", "Kita": "Kita und Schule", "sonstiges": "Sonstiges",
		"Arbeit-und-Anerkennung": "Arbeit und Anerkennung",
	} {
		_, b, _, err := s.DraftBarrier(ctx, a, c.Ref, about, "Wartezeiten")
		if err != nil || b.Group() != want || !b.Draft {
			t.Errorf("DraftBarrier(%q) = %+v, %v; want group %s", about, b, err, want)
		}
	}
	for _, about := range []string{"Mohamed", "Wohnraum", "und", ""} {
		_, _, _, err := s.DraftBarrier(ctx, a, c.Ref, about, "Wartezeiten")
		e, ok := err.(*kim.Error)
		if !ok || e.Key != "barrier.unknown_group" || !strings.Contains(e.Args["Topics"].(string), "mobilitaet") ||
			!strings.Contains(e.Args["Partners"].(string), "jobcenter") {
			t.Errorf("DraftBarrier(%q): err = %v, want barrier.unknown_group with the lists", about, err)
		}
	}
	var free int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM barriers WHERE topic IS NOT NULL`).Scan(&free)
	if free != 0 {
		t.Errorf("%d barriers with a free topic", free)
	}

	// Admins keep the list; a name that would point to a case is refused.
	if _, err := s.AddTopic(ctx, a, kim.Topic{Key: "finanzen", Name: "Finanzen und Leistungen"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTopic(ctx, a, kim.Topic{Key: "finanzen", Name: "Geld"}); kim.ErrorCode(err) != kim.ECONFLICT {
		t.Errorf("a taken key: %v", err)
	}
	if _, err := s.AddTopic(ctx, a, kim.Topic{Key: "ab", Name: "Fall AB"}); kim.ErrorCode(err) != kim.EINVALID {
		t.Errorf("a topic named after a pseudonym: %v", err)
	}
	if _, err := s.AddTopic(ctx, a, kim.Topic{Key: "frau-x", Name: "Frau Schmidt"}); kim.ErrorCode(err) != kim.EINVALID {
		t.Errorf("a topic with a name: %v", err)
	}
	if _, err := s.RemoveTopic(ctx, a, "Digitales"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.DraftBarrier(ctx, a, c.Ref, "digitales", "x"); kim.ErrorCode(err) != kim.EINVALID {
		t.Errorf("a removed topic still groups: %v", err)
	}
	if _, err := s.RemoveTopic(ctx, a, "digitales"); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Errorf("removing twice: %v", err)
	}
	if _, err := s.AddTopic(ctx, a, kim.Topic{Key: "digitales", Name: "Digitales und Online-Termine"}); err != nil {
		t.Errorf("bringing a topic back: %v", err)
	}
	if _, err := s.UpsertTeam(ctx, "t1", "team-one", "c1", "secret-token"); err != nil {
		t.Fatal(err)
	}
	if topics, _ := s.Topics(ctx, "t1"); len(topics) != 10 {
		t.Errorf("a second provision changed the list: %+v", topics)
	}
}

// A barrier text is masked with the pseudonyms of all the team's cases, kept
// sealed as a draft until confirmed, changed or deleted until an agenda post
// showed it, and erased with its case.
func TestBarrierLifecycle(t *testing.T) {
	s, a := setup(t)
	ctx := context.Background()
	mine, _ := s.OpenCase(ctx, a, store.NewCase{Pseudonym: "Mohamed", Group: "refugee", Domain: "AsylbLG"})
	s.SyncUser(ctx, kim.User{ID: "u2", Username: "ben"})
	s.SetRole(ctx, "t1", "u2", kim.RoleCoach, "DRK", "admin")
	ben := kim.Actor{TeamID: "t1", UserID: "u2", Today: a.Today}
	other, _ := s.OpenCase(ctx, ben, store.NewCase{Pseudonym: "Олена", Group: "refugee", Domain: "AsylbLG"})

	text := "Mohameds und Olenas Termin (" + mine.Ref + ", " + strings.ReplaceAll(other.Ref, "-", "–") + ") bei Frau A. dauert"
	_, b, r, err := s.DraftBarrier(ctx, a, mine.Ref, "jobcenter", text)
	if err != nil {
		t.Fatal(err)
	}
	want := "[…] und […] Termin ([…], […]) bei Frau […] dauert"
	if b.Text != want || r.Text != want || r.Count(mask.Ref) != 2 || r.Count(mask.Pseudonym) != 2 || r.Count(mask.Name) != 1 || b.N != 1 {
		t.Fatalf("draft = %+v, %+v", b, r.Replaced)
	}
	var enc []byte
	s.Pool().QueryRow(ctx, `SELECT text_enc FROM barriers WHERE case_id = $1`, mine.ID).Scan(&enc)
	if len(enc) == 0 || bytes.Contains(enc, []byte("Termin")) {
		t.Fatalf("barrier text not sealed: %q", enc)
	}
	if _, _, _, err := s.DraftBarrier(ctx, a, mine.Ref, "wohnen", "Mohamed K-2026-0001"); kim.ErrorCode(err) != kim.EINVALID {
		t.Errorf("a text of nothing but a name and a reference: %v", err)
	}

	day := time.Date(2026, 12, 3, 14, 0, 0, 0, kim.Berlin)
	m, err := s.CreateMeeting(ctx, a, kim.Meeting{Title: "Netzwerk", StartsAt: day, ChannelID: "ch", ChannelName: "netz", CreatedAt: day.Add(-240 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	summary := func() kim.BarrierSummary {
		t.Helper()
		sum, err := s.BarrierSummary(ctx, m, a.Today)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if sum := summary(); sum.Total != 0 {
		t.Fatalf("a draft is in the summary: %+v", sum)
	}
	if _, _, err := s.ConfirmBarrier(ctx, ben, mine.Ref, 1); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Errorf("another coach confirms: %v", err)
	}
	if _, b, err = s.ConfirmBarrier(ctx, a, mine.Ref, 1); err != nil || b.Draft {
		t.Fatalf("confirm: %+v %v", b, err)
	}
	if _, _, err := s.ConfirmBarrier(ctx, a, mine.Ref, 1); kim.ErrorCode(err) != kim.ECONFLICT {
		t.Errorf("confirm twice: %v", err)
	}
	if sum := summary(); sum.Total != 1 || sum.Groups[0].Partner != "Jobcenter" || sum.Groups[0].Texts[0].Text != want {
		t.Fatalf("summary = %+v", sum)
	}

	// A case opened later with a pseudonym an earlier text holds: masked in
	// the summary as well.
	_, b2, _, err := s.DraftBarrier(ctx, a, mine.Ref, "Wohnen", "Keine Wohnung für Zelko")
	if err != nil || b2.Text != "Keine Wohnung für Zelko" || b2.N != 2 {
		t.Fatalf("second draft: %+v %v", b2, err)
	}
	s.ConfirmBarrier(ctx, a, mine.Ref, 2)
	s.OpenCase(ctx, ben, store.NewCase{Pseudonym: "Zelko", Group: "eu", Domain: "none"})
	sum := summary()
	if sum.Total != 2 || sum.Groups[1].Topic != "Wohnen" || sum.Groups[1].Texts[0].Text != "Keine Wohnung für […]" {
		t.Fatalf("summary = %+v", sum)
	}

	// Changed (a draft again) and deleted until posted.
	newText := "Keine Wohnungen unter der Mietobergrenze"
	if _, b2, _, err = s.EditBarrier(ctx, a, mine.Ref, 2, store.BarrierChange{Text: &newText}); err != nil || !b2.Draft || b2.Group() != "Wohnen" {
		t.Fatalf("edit: %+v %v", b2, err)
	}
	if sum := summary(); sum.Total != 1 {
		t.Errorf("an edited barrier counts before it is confirmed again: %+v", sum)
	}
	s.ConfirmBarrier(ctx, a, mine.Ref, 2)
	_, b3, _, _ := s.DraftBarrier(ctx, a, mine.Ref, "sonstiges", "Dolmetscher fehlen")

	// The partner or topic changes as it is recorded (a partner or a topic
	// of the team, as people type them); the text stays unless given.
	group := func() string {
		t.Helper()
		var g string
		if err := s.Pool().QueryRow(ctx, `SELECT coalesce(p.key, '') || '/' || coalesce(t.key, '') || '/' || b.draft FROM barriers b
			LEFT JOIN partners p ON p.id = b.partner_id LEFT JOIN barrier_topics t ON t.id = b.topic_id
			WHERE b.case_id = $1 AND b.n = $2`, mine.ID, b3.N).Scan(&g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	about := "AUSLÄNDERBEHOERDE"
	if _, x, r, err := s.EditBarrier(ctx, a, mine.Ref, b3.N, store.BarrierChange{About: &about}); err != nil || x.Group() != "Ausländerbehörde" ||
		x.Text != "Dolmetscher fehlen" || r.Text != "Dolmetscher fehlen" || !x.Draft {
		t.Fatalf("partner changed: %+v %v", x, err)
	} else if g := group(); g != "auslaenderbehoerde//true" {
		t.Errorf("stored group after the partner change: %s", g)
	}
	about, newText = "Kurse", "Dolmetscher für Mohamed fehlen"
	if _, x, r, err := s.EditBarrier(ctx, a, mine.Ref, b3.N, store.BarrierChange{About: &about, Text: &newText}); err != nil ||
		x.Group() != "Sprache und Kurse" || x.Text != "Dolmetscher für […] fehlen" || r.Count(mask.Pseudonym) != 1 {
		t.Fatalf("topic and text changed: %+v %v", x, err)
	} else if g := group(); g != "/sprache/true" {
		t.Errorf("stored group after the topic change: %s", g)
	}
	for _, ch := range []store.BarrierChange{{About: ptr("Mohamed")}, {About: ptr("mobil")}, {}, {About: ptr("jobcenter"), Text: ptr("Mohamed")}} {
		if _, _, _, err := s.EditBarrier(ctx, a, mine.Ref, b3.N, ch); kim.ErrorCode(err) != kim.EINVALID {
			t.Errorf("change %+v: %v", ch, err)
		}
	}
	if g := group(); g != "/sprache/true" {
		t.Errorf("a refused change changed the group: %s", g)
	}
	if _, _, _, err := s.EditBarrier(ctx, ben, mine.Ref, b3.N, store.BarrierChange{About: ptr("jobcenter")}); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Errorf("another coach changes the group: %v", err)
	}

	// A delete as a dry run (what /kim hindernis löschen answers before it
	// is confirmed) changes nothing and leaves no audit row.
	audits := func() int {
		t.Helper()
		var n int
		s.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'barrier.delete' AND case_id = $1`, mine.ID).Scan(&n)
		return n
	}
	if _, x, err := s.DryRun().DeleteBarrier(ctx, a, mine.Ref, b3.N); err != nil || x.N != b3.N || x.Group() != "Sprache und Kurse" {
		t.Fatalf("dry run: %+v %v", x, err)
	}
	if g := group(); g != "/sprache/true" || audits() != 0 {
		t.Fatalf("a dry run deleted: %s, %d audit rows", g, audits())
	}
	if _, _, err := s.DeleteBarrier(ctx, a, mine.Ref, b3.N); err != nil || audits() != 1 {
		t.Fatal(err, audits())
	}
	if _, _, err := s.DeleteBarrier(ctx, a, mine.Ref, b3.N); kim.ErrorCode(err) != kim.ENOTFOUND {
		t.Errorf("delete twice: %v", err)
	}
	sum = summary()
	if err := s.AgendaPosted(ctx, a, m.ID, "post1", day.Add(-48*time.Hour), 0, sum.LastID, m.Revision); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.EditBarrier(ctx, a, mine.Ref, 1, store.BarrierChange{Text: ptr("neu")}); kim.ErrorCode(err) != kim.ECONFLICT {
		t.Errorf("edit after the agenda post: %v", err)
	}
	if _, _, _, err := s.EditBarrier(ctx, a, mine.Ref, 1, store.BarrierChange{About: ptr("wohnen")}); kim.ErrorCode(err) != kim.ECONFLICT {
		t.Errorf("edit after the agenda post: %v", err)
	}
	if _, _, err := s.DeleteBarrier(ctx, a, mine.Ref, 2); kim.ErrorCode(err) != kim.ECONFLICT {
		t.Errorf("delete after the agenda post: %v", err)
	}
	_, list, err := s.Barriers(ctx, a, mine.Ref)
	if err != nil || len(list) != 2 || list[0].PostedAt == nil || list[1].PostedAt == nil {
		t.Fatalf("barriers = %+v, %v", list, err)
	}

	// A free topic a replica of the previous release wrote: shown as
	// Sonstiges, cleared by the erasure.
	if _, err := s.Pool().Exec(ctx, `INSERT INTO barriers (team_id, case_id, topic, text_enc, recorded_on, created_by)
		VALUES ('t1', $1, 'Mohamed', NULL, '2026-11-23', 'u1')`, mine.ID); err != nil {
		t.Fatal(err)
	}
	if sum := summary(); sum.Total != 3 || !hasGroup(sum, "Sonstiges") || hasGroup(sum, "Mohamed") {
		t.Errorf("legacy topic: %+v", sum)
	}
	if _, err := s.EraseCase(ctx, a, mine.Ref); err != nil {
		t.Fatal(err)
	}
	var texts, topics int
	s.Pool().QueryRow(ctx, `SELECT count(text_enc), count(topic) FROM barriers WHERE case_id = $1`, mine.ID).Scan(&texts, &topics)
	if texts != 0 || topics != 0 {
		t.Errorf("after erasure: %d texts, %d free topics", texts, topics)
	}
	if sum := summary(); sum.Total != 3 || len(sum.Groups[0].Texts) != 0 {
		t.Errorf("after erasure the counts stay, the texts go: %+v", sum)
	}

	// Unconfirmed drafts go after a day.
	_, d, _, _ := s.DraftBarrier(ctx, ben, other.Ref, "wohnen", "Wartezeit")
	if n, err := s.PurgeBarrierDrafts(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("purge of a fresh draft: %d %v", n, err)
	}
	if n, err := s.PurgeBarrierDrafts(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("purge: %d %v (draft %d)", n, err, d.N)
	}
}

func hasGroup(sum kim.BarrierSummary, label string) bool {
	for _, g := range sum.Groups {
		if g.Label() == label {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }
