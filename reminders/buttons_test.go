package reminders

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

// Every kind has its texts in both languages and only buttons it can have.
func TestItemSpecs(t *testing.T) {
	ids := messages.IDs()
	seen := map[kim.ItemKind]bool{}
	for i, spec := range kim.ItemSpecs {
		if seen[spec.Kind] {
			t.Errorf("%s defined twice", spec.Kind)
		}
		seen[spec.Kind] = true
		if got, rank, ok := kim.ItemSpecOf(spec.Kind); !ok || rank != i || got.Kind != spec.Kind {
			t.Errorf("ItemSpecOf(%s) = %+v %d %v", spec.Kind, got, rank, ok)
		}
		keys := []string{spec.Text}
		switch spec.Form {
		case "":
			keys = append(keys, spec.Done)
		case kim.FormAssess, kim.FormContact:
			keys = append(keys, "remind.status.saved."+spec.Form, "remind.form_failed."+spec.Form)
			if spec.Done != "" || !spec.Case {
				t.Errorf("%s: a form and a done text %q (case %v)", spec.Kind, spec.Done, spec.Case)
			}
		default:
			t.Errorf("%s: unknown form %q", spec.Kind, spec.Form)
		}
		if !spec.Case {
			keys = append(keys, spec.Group)
		}
		for _, v := range spec.Verbs {
			keys = append(keys, "remind.btn."+v)
		}
		for _, lang := range []string{"de", "en"} {
			for _, k := range keys {
				if !ids[lang][k] {
					t.Errorf("%s: no %s text %q", spec.Kind, lang, k)
				}
			}
		}
		if !spec.Has(kim.VerbDone) || !spec.Has(kim.VerbSnooze) || spec.Has(kim.VerbOpen) != spec.Case {
			t.Errorf("%s: buttons %v (a case to open: %v)", spec.Kind, spec.Verbs, spec.Case)
		}
	}
	if _, _, ok := kim.ItemSpecOf("bogus"); ok {
		t.Error("an unknown kind has a definition")
	}
}

// fakeItems stands in for the store behind the buttons: it records changes.
type fakeItems struct {
	changes []store.ItemChange
	next    *kim.Date
}

func (f *fakeItems) User(ctx context.Context, id string) (kim.User, error) {
	return kim.User{ID: id, Username: id, Locale: "de"}, nil
}

func (f *fakeItems) Card(ctx context.Context, a kim.Actor, ref string) (kim.Card, error) {
	return kim.Card{Case: kim.Case{Ref: ref, Pseudonym: "P"}}, nil
}

func (f *fakeItems) ChangeItem(ctx context.Context, a kim.Actor, ch store.ItemChange) (store.ItemOutcome, error) {
	f.changes = append(f.changes, ch)
	return store.ItemOutcome{Next: f.next}, nil
}

// A press does what its kind defines: a button the kind does not have
// changes nothing; done answers with the kind's text; the clock decides
// today (and so the snooze date).
func TestPressByKind(t *testing.T) {
	items := &fakeItems{}
	clock := testenv.NewClock(time.Date(2026, 12, 7, 9, 0, 0, 0, kim.Berlin))
	s := &Service{Sources: Sources{Items: items}, Deliverer: &Deliverer{}, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	press := func(verb string, fields ...string) kim.PressResult {
		return s.Press(context.Background(), kim.Press{UserID: "anna", Verb: verb, TeamID: "t1", Fields: fields})
	}
	if res := press(kim.VerbOpen, "action", "", "4", "2026-12-04"); !strings.Contains(res.Ephemeral, "ungültig") || len(items.changes) != 0 {
		t.Fatalf("open on an action item: %+v", res)
	}
	if res := press("close", "monitoring", "K-2026-0001", "0", "2026-12-01"); !strings.Contains(res.Ephemeral, "ungültig") || len(items.changes) != 0 {
		t.Fatalf("an unknown verb: %+v", res)
	}
	if res := press(kim.VerbOpen, "goal", "K-2026-0001", "2", "2026-12-01"); !strings.Contains(res.Ephemeral, "K-2026-0001") || res.Status != "" {
		t.Fatalf("open: %+v", res)
	}
	// Done on a (re-)assessment or a monitoring date names its form and changes nothing.
	for kind, form := range map[string]string{"reassessment": kim.FormAssess, "assessment": kim.FormAssess, "monitoring": kim.FormContact} {
		res := press(kim.VerbDone, kind, "K-2026-0001", "0", "2026-12-01")
		want := kim.ItemForm{Verb: form, Kind: kim.ItemKind(kind), CaseRef: "K-2026-0001", Due: kim.Date{Y: 2026, M: 12, D: 1}}
		if res.Form == nil || *res.Form != want || res.Status != "" || res.Ephemeral != "" || len(items.changes) != 0 {
			t.Fatalf("done on %s: %+v (changes %+v)", kind, res, items.changes)
		}
	}
	next := kim.Date{Y: 2027, M: 6, D: 7}
	items.next = &next
	res := press(kim.VerbDone, "goal", "K-2026-0001", "2", "2026-12-01")
	if want := messages.T("de", "remind.done.goal", map[string]any{"Ref": "K-2026-0001", "N": 2, "Date": "07.06.2027"}); res.Ephemeral != want ||
		!strings.Contains(res.Status, "07.06.2027") || len(res.Keep) != 1 || res.Keep[0] != kim.VerbOpen || res.Form != nil {
		t.Fatalf("done on a goal: %+v", res)
	}
	clock.Set(time.Date(2026, 12, 9, 9, 0, 0, 0, kim.Berlin))
	items.next = nil
	press(kim.VerbSnooze, "action", "", "4", "2026-12-04")
	want := store.ItemChange{Item: kim.ItemRef{Kind: kim.ItemAction, TeamID: "t1", N: 4}, Expected: kim.Date{Y: 2026, M: 12, D: 4},
		Until: kim.Date{Y: 2026, M: 12, D: 16}}
	if len(items.changes) != 2 || items.changes[0].Item.Kind != kim.ItemGoal || !items.changes[0].Done || items.changes[1] != want {
		t.Fatalf("changes %+v", items.changes)
	}
}
