package commands

import (
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

// errKey returns the message key of a parse error ("" for none).
func errKey(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*kim.Error); ok {
		return e.Key
	}
	return err.Error()
}

func TestParseAccepts(t *testing.T) {
	for _, tc := range []struct {
		line  string
		verb  string
		check func(*Args) bool
	}{
		{"", "help", func(a *Args) bool { return !a.Has("verb") }},
		{"hilfe open", "help", func(a *Args) bool { return a.Str("verb") == "open" }},
		{"open AB group=refugee consent=yes", "open", func(a *Args) bool {
			return a.Str("pseudonym") == "AB" && a.Str("group") == "refugee" && !a.Has("domain")
		}},
		{`NEU "M. K." group=EU domain=sgb2 consent=ja`, "open", func(a *Args) bool {
			return a.Str("pseudonym") == "M. K." && a.Str("group") == "eu" && a.Str("domain") == "SGB2"
		}},
		{"open „Frau A“ consent=yes group=other", "open", func(a *Args) bool { return a.Str("pseudonym") == "Frau A" }},
		{"show k-2026-0042", "show", func(a *Args) bool { return a.Str("case") == "K-2026-0042" }},
		{"faelle faellig", "cases", func(a *Args) bool { return a.Str("filter") == "due" }},
		{"admin role @Anna.M coach org=\"Caritas Köln\"", "admin role", func(a *Args) bool {
			return a.Str("user") == "anna.m" && a.Str("role") == "coach" && a.Str("org") == "Caritas Köln"
		}},
		{"settings digest=07:30 lang=en", "settings", func(a *Args) bool { return a.Clock("digest").String() == "07:30" && a.Str("lang") == "en" }},
		{"admin vorgaben Ersteinschätzung=3w AUFBEWAHRUNG=12m", "admin defaults", func(a *Args) bool {
			x, _ := a.Span("assessment")
			y, _ := a.Span("retention")
			return x == kim.Span{N: 3, Unit: 'w'} && y == kim.Span{N: 12, Unit: 'm'}
		}},
	} {
		a, err := Parse(tc.line)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.line, err)
			continue
		}
		if a.Verb.Path() != tc.verb || !tc.check(a) {
			t.Errorf("Parse(%q) = %s %v", tc.line, a.Verb.Path(), a.values)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	long := strings.Repeat("x", 41)
	for _, tc := range []struct{ line, key string }{
		{"frobnicate", "err.unknown_verb"},
		{"open group=eu consent=yes", "err.missing"},            // pseudonym missing; bare "open" opens the dialog
		{"open AB consent=yes", "err.missing"},                  // group missing
		{"open AB group=martian consent=yes", "err.bad_choice"}, // unknown group
		{"open AB group=eu consent=yes colour=red", "err.unknown_option"},
		{"open AB CD group=eu consent=yes", "err.extra"},
		{"open " + long + " group=eu consent=yes", "err.too_long"},
		{"open AB group=eu group=eu consent=yes", "err.duplicate_option"},
		{`open "AB group=eu consent=yes`, "err.unclosed_quote"},
		{"show 42", "err.bad_case_ref"},
		{"show", "err.missing"},
		{"cases maybe", "err.bad_choice"},
		{"admin", "err.missing_sub"},
		{"admin crown @x", "err.unknown_sub"},
		{"admin role anna coach", "err.bad_user"},
		{"admin role @anna king", "err.bad_choice"},
		{strings.Repeat("a", MaxInputSize+1), "err.input_too_long"},
	} {
		_, err := Parse(tc.line)
		if got := errKey(err); got != tc.key {
			t.Errorf("Parse(%.40q) error = %q, want %q", tc.line, got, tc.key)
		}
	}
}

func TestParseDate(t *testing.T) {
	for s, want := range map[string]string{"2026-11-23": "2026-11-23", "23.11.2026": "2026-11-23", "1.2.2027": "2027-02-01"} {
		d, ok := ParseDate(s)
		if !ok || d.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, ok)
		}
	}
	for _, s := range []string{"31.02.2026", "2026-02-30", "2026-13-01", "1899-01-01", "3026-01-01", "morgen", "23/11/2026"} {
		if _, ok := ParseDate(s); ok {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

func TestConvertKinds(t *testing.T) {
	v := &Verb{Name: "x"}
	for _, tc := range []struct {
		p    Param
		raw  string
		want any
		ok   bool
	}{
		{Param{Kind: Duration}, "14d", kim.Span{N: 14, Unit: 'd'}, true},
		{Param{Kind: Duration}, "6w", kim.Span{N: 6, Unit: 'w'}, true},
		{Param{Kind: Duration}, "3m", kim.Span{N: 3, Unit: 'm'}, true},
		{Param{Kind: Duration}, "0d", nil, false},
		{Param{Kind: Duration}, "99m", nil, false},
		{Param{Kind: Clock}, "7:30", TimeOfDay{7, 30}, true},
		{Param{Kind: Clock}, "24:00", nil, false},
		{Param{Kind: Meeting}, "m-03", 3, true},
		{Param{Kind: Action}, "A-x", nil, false},
		{Param{Kind: Period}, "2026-q3", kim.Period{From: kim.Date{Y: 2026, M: 7, D: 1}, To: kim.Date{Y: 2026, M: 9, D: 30}, Label: "2026-Q3"}, true},
		{Param{Kind: Period}, "1999", nil, false},
		{Param{Kind: Period}, "2026-13", nil, false},
		{Param{Kind: Int, Min: 0, Max: 1440}, "1441", nil, false},
		{Param{Kind: Channel}, "~netzwerk-treffen", "netzwerk-treffen", true},
	} {
		got, err := convert(tc.p, tc.raw, v)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("convert(%v, %q) = %v, %v", tc.p.Kind, tc.raw, got, err)
		}
	}
}

// Help lists every verb with a description in both languages, and every
// verb's examples parse back to it.
func TestHelpCoversEveryVerb(t *testing.T) {
	help, err := Parse("help")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		// Each role's help lists what that role may use; together, every verb.
		var rep Reply
		for _, role := range kim.Roles {
			r := &Runner{View: render.View{Lang: lang}, member: kim.Member{Role: role}}
			one, err := r.help(help)
			if err != nil {
				t.Fatal(err)
			}
			rep.Text += one.Text
		}
		r := &Runner{View: render.View{Lang: lang}}
		for _, v := range Verbs() {
			if !strings.Contains(rep.Text, "/kim "+v.word(lang)) {
				t.Errorf("%s help lacks %s", lang, v.word(lang))
			}
			walk(v, func(x *Verb) {
				if d := r.T("verb."+x.key(), nil); d == "verb."+x.key() {
					t.Errorf("no %s description for %s", lang, x.Path())
				}
				for _, ex := range x.Examples {
					a, err := Parse(strings.TrimPrefix(ex, "/kim "))
					if err != nil || a.Verb != x {
						t.Errorf("example %q of %s does not parse to it: %v", ex, x.Path(), err)
					}
				}
			})
		}
	}
}
