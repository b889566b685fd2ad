package kim

import "testing"

func TestControlChar(t *testing.T) {
	for _, tc := range []struct {
		s     string
		lines bool
		want  rune
		found bool
	}{
		{"Termin beim Jobcenter", false, 0, false},
		{"Grüße, ß, „Zitat“, 😀", false, 0, false},
		{"a\x00b", true, 0x00, true},
		{"a\x07b", true, 0x07, true},
		{"a\x1bb", true, 0x1b, true},
		{"a\x7fb", true, 0x7f, true},
		{"a\u0085b", true, 0x85, true}, // C1: next line
		{"a\u202eb", true, 0x202e, true},
		{"a\u2067b", true, 0x2067, true},
		{"zwei\nZeilen\r\n\tmit Tab", true, 0, false},
		{"A\nB", false, '\n', true},
		{"A\tB", false, '\t', true},
		{"\u200d\u00ad", true, 0, false}, // joiners and soft hyphens are text
	} {
		r, ok := ControlChar(tc.s, tc.lines)
		if ok != tc.found || r != tc.want {
			t.Errorf("ControlChar(%q, %v) = %U, %v; want %U", tc.s, tc.lines, r, ok, tc.want)
		}
	}
	if got := CharName(0); got != "U+0000" {
		t.Errorf("CharName(0) = %q", got)
	}
	if got := CharName(0x202e); got != "U+202E" {
		t.Errorf("CharName(0x202e) = %q", got)
	}
}
