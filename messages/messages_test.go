package messages

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Every text exists in both languages.
func TestCataloguesComplete(t *testing.T) {
	ids := IDs()
	for id := range ids["de"] {
		if !ids["en"][id] {
			t.Errorf("%s has no English text", id)
		}
	}
	for id := range ids["en"] {
		if !ids["de"][id] {
			t.Errorf("%s has no German text", id)
		}
	}
	if len(ids["de"]) == 0 {
		t.Fatal("no German texts loaded")
	}
}

func TestFallbackAndTemplates(t *testing.T) {
	if got := T("de", "err.case_not_found", map[string]any{"Ref": "K-2026-0001"}); got == "err.case_not_found" || !strings.Contains(got, "K-2026-0001") {
		t.Fatalf("template not filled: %q", got)
	}
	if got := T("xx", "err.case_not_found", map[string]any{"Ref": "K"}); got != T("de", "err.case_not_found", map[string]any{"Ref": "K"}) {
		t.Fatalf("unknown language should fall back to German, got %q", got)
	}
	if got := T("de", "no.such.message", nil); got != "no.such.message" {
		t.Fatalf("missing message: %q", got)
	}
}

// Dates in a message's data are formatted for its language, and the data
// stays as it was.
func TestDatesPerLanguage(t *testing.T) {
	d := kim.Date{Y: 2026, M: 11, D: 3}
	data := map[string]any{"Ref": "A-1", "Date": d}
	if got := T("de", "action.already_done", data); !strings.Contains(got, "03.11.2026") {
		t.Errorf("German: %q", got)
	}
	if got := T("en", "action.already_done", data); !strings.Contains(got, "2026-11-03") || strings.Contains(got, "03.11.2026") {
		t.Errorf("English: %q", got)
	}
	if _, ok := data["Date"].(kim.Date); !ok {
		t.Errorf("T changed its data: %v", data)
	}
	var none *kim.Date
	for _, tc := range []struct {
		lang string
		date *kim.Date
		want string
	}{{"en", &d, "2026-11-03"}, {"de", &d, "03.11.2026"}, {"en", none, "–"}} {
		if got := T(tc.lang, "assess.next", map[string]any{"Date": tc.date}); !strings.Contains(got, tc.want) {
			t.Errorf("%s %v: %q, want %q", tc.lang, tc.date, got, tc.want)
		}
	}
}

func TestOr(t *testing.T) {
	for _, tc := range []struct {
		lang string
		xs   []string
		want string
	}{
		{"de", nil, ""}, {"en", []string{"@a"}, "@a"}, {"de", []string{"@a", "@b"}, "@a oder @b"},
		{"de", []string{"a", "b", "c"}, "a, b oder c"}, {"en", []string{"a", "b", "c"}, "a, b or c"},
	} {
		if got := Or(tc.lang, tc.xs); got != tc.want {
			t.Errorf("Or(%s, %q) = %q, want %q", tc.lang, tc.xs, got, tc.want)
		}
	}
}

func TestRefList(t *testing.T) {
	refs := make([]string, MaxListedRefs+2)
	for i := range refs {
		refs[i] = fmt.Sprintf("K-2026-%04d", i+1)
	}
	if got := RefList(refs[:2]).Local("de"); got != "K-2026-0001, K-2026-0002" {
		t.Errorf("two refs: %q", got)
	}
	de, en := RefList(refs).Local("de"), RefList(refs).Local("en")
	if !strings.HasSuffix(de, "K-2026-0050 und 2 weitere") || !strings.HasSuffix(en, "K-2026-0050 and 2 more") || strings.Contains(de, "K-2026-0051") {
		t.Errorf("52 refs: %q / %q", de, en)
	}
}

// A count of one takes the singular, in both languages.
func TestCountsAgree(t *testing.T) {
	for _, c := range []struct {
		lang, id string
		data     map[string]any
		want     string
	}{
		{"de", "cases.no_page", map[string]any{"Page": 2, "Filter": "offen", "N": 1, "Pages": 1}, "hat 1 Fall auf 1 Seite"},
		{"de", "cases.no_page", map[string]any{"Page": 3, "Filter": "offen", "N": 12, "Pages": 2}, "hat 12 Fälle auf 2 Seiten"},
		{"en", "cases.no_page", map[string]any{"Page": 2, "Filter": "open", "N": 1, "Pages": 1}, "has 1 case on 1 page"},
		{"de", "audit.title", map[string]any{"Ref": "K-2026-0001", "N": 1}, "(1 Eintrag, ohne Inhalte)"},
		{"de", "transition.days", map[string]any{"N": 1}, "1 Tag"},
		{"de", "transition.days", map[string]any{"N": 14}, "14 Tage"},
		{"de", "domain.open_question", map[string]any{"Ref": "K-2026-0001", "N": 1, "From": "AsylbLG", "To": "SGB II"}, "ist noch ein Schritt des letzten Rechtskreiswechsels offen"},
		{"de", "domain.open_question", map[string]any{"Ref": "K-2026-0001", "N": 1, "From": "AsylbLG", "To": "SGB II"}, "Gilt er nach dem Wechsel"},
		{"de", "domain.open_question", map[string]any{"Ref": "K-2026-0001", "N": 3, "From": "AsylbLG", "To": "SGB II"}, "Gelten sie nach dem Wechsel"},
		{"en", "domain.open_question", map[string]any{"Ref": "K-2026-0001", "N": 1, "From": "AsylbLG", "To": "SGB2"}, "Does it still apply"},
		{"de", "contact.saved", map[string]any{"Ref": "K-2026-0001", "N": 1, "Kind": "Telefon", "Minutes": 1}, ", 1 Minute."},
	} {
		if got := T(c.lang, c.id, c.data); !strings.Contains(got, c.want) {
			t.Errorf("%s %s %v: %q lacks %q", c.lang, c.id, c.data, got, c.want)
		}
	}
}
