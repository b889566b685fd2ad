package messages

import (
	"strings"
	"testing"
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
