package kim

import "testing"

func TestParseCaseRef(t *testing.T) {
	for raw, want := range map[string]string{"K-2026-0042": "K-2026-0042", "k-2026-42": "K-2026-0042", "K2026-1": "K-2026-0001",
		" K-2026-10000 ": "K-2026-10000", "K-2026-000042": "K-2026-0042",
		// copied from an answer with its Markdown, or typed in a sentence
		"**K-2026-0042**": "K-2026-0042", "`K-2026-0042`": "K-2026-0042", "(K-2026-0042)": "K-2026-0042",
		"K-2026-0042,": "K-2026-0042", "K-2026-0042:": "K-2026-0042", "„K-2026-0042“": "K-2026-0042"} {
		if got, ok := ParseCaseRef(raw); !ok || got != want {
			t.Errorf("ParseCaseRef(%q) = %q, %v; want %q", raw, got, ok, want)
		}
	}
	for _, raw := range []string{"", "AB", "K-26-1", "K-2026-", "K-2026-1234567", "M-3", "K-2026-42x", "2026-10", "2026-0042", "*K-2026-42x*"} {
		if got, ok := ParseCaseRef(raw); ok {
			t.Errorf("ParseCaseRef(%q) = %q, want no reference", raw, got)
		}
	}
	if got := CaseRef(2026, 42); got != "K-2026-0042" {
		t.Errorf("CaseRef(2026, 42) = %q", got)
	}
}
