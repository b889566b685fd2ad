package inert

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/shared/markdown"
)

// hostile are texts people could put into a channel post of kimbot's.
var hostile = []string{
	"@channel bitte alle lesen", "@here", "@all", "@ALL!", "Hallo @koordination und @coach-t1.", "(@channel)", "@channel:",
	`\@channel`, "&#64;channel", "&commat;here", "@\u200bchannel", "＠channel", "mail an mo.k@example.org",
	"![](https://evil.example/x.png)", "![bild](http://evil.example/track.gif?u=1)", "[hier klicken](https://evil.example)",
	"<https://evil.example>", "https://evil.example/a_b_c", "http://evil.example", "www.evil.example/x", "evil.example",
	"jobcenter.de/termine", "mailto:x@example.org", "javascript:alert(1)", "tel:+49251123456", "ftp://x.example/y",
	"[a][1]\n\n[1]: https://evil.example", "**fett** _kursiv_ ~~weg~~ `code` ``x``", "| a | b |", "# Überschrift",
	"> Zitat", "- Liste", "1. Liste", "~town-square ~off-topic", "$x^2$ $$y$$", "<b>html</b>", "a\\b", "`https://evil.example`",
	":smile: #hashtag", "Zeile 1\nZeile 2\r\nZeile 3", "\u202eevil\u202c", "Termine erst nach 8 Wochen (Jobcenter)",
	"Kita-Plätze fehlen, z.B. in Nord.", "ca. 5 Wochen, usw.", "[…](https://evil.example) […][1] ![…](x) […] wartet",
}

// visible returns what Mattermost shows and what its mention parser reads of
// a post: the text of the Markdown (escapes resolved), without code spans, and
// the code spans apart; links, images and autolinks are reported.
func visible(t *testing.T, post string) (text, code string, active []string) {
	t.Helper()
	var b, c strings.Builder
	markdown.Inspect(post, func(n any) bool {
		switch n := n.(type) {
		case *markdown.Text:
			b.WriteString(n.Text)
		case *markdown.Emoji:
			b.WriteString(":" + n.Name + ":")
		case *markdown.CodeSpan:
			c.WriteString(n.Code)
			b.WriteString(" ")
		case *markdown.InlineLink, *markdown.InlineImage, *markdown.ReferenceLink, *markdown.ReferenceImage, *markdown.Autolink:
			active = append(active, strings.TrimPrefix(strings.TrimPrefix(typeName(n), "*"), "markdown."))
		}
		return true
	})
	return b.String(), c.String(), active
}

func typeName(n any) string {
	switch n.(type) {
	case *markdown.InlineLink:
		return "link"
	case *markdown.InlineImage:
		return "image"
	case *markdown.ReferenceLink:
		return "reference link"
	case *markdown.ReferenceImage:
		return "reference image"
	}
	return "autolink"
}

func TestInline(t *testing.T) {
	for _, s := range hostile {
		got := Inline(s)
		for _, post := range []string{got, "- „" + got + "“ (2×)", "| " + got + " | 3 |", "**" + got + "**"} {
			text, code, active := visible(t, post)
			if len(active) > 0 {
				t.Errorf("Inline(%q) = %q: Mattermost finds %v in %q", s, got, active, post)
			}
			if strings.ContainsAny(text+code, "@~") {
				t.Errorf("Inline(%q) = %q: an ASCII @ or ~ in the text Mattermost reads: %q %q", s, got, text, code)
			}
			if strings.Contains(post, "\n") {
				t.Errorf("Inline(%q) = %q spans lines", s, got)
			}
		}
		// Shown as written: the visible characters are the input's, @ and ~
		// as their full-width forms, without invisible characters.
		text, code, _ := visible(t, got)
		want := strings.NewReplacer("@", "", "~", "", "\u202e", "", "\u202c", "", "\u200b", "", "＠", "", " ", "", "\n", "", "\r", "").Replace(s)
		shown := strings.NewReplacer("＠", "", "～", "", "ˋ", "`", " ", "").Replace(text + code)
		if !sameRunes(shown, want) {
			t.Errorf("Inline(%q) = %q shows %q, want the characters of %q", s, got, text+code, want)
		}
	}
}

// sameRunes reports whether a and b hold the same characters (the order of
// text and code parts differs in visible).
func sameRunes(a, b string) bool {
	count := map[rune]int{}
	for _, r := range a {
		count[r]++
	}
	for _, r := range b {
		count[r]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestInlineExamples(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"@channel bitte", "＠channel bitte"},
		{"![x](https://e.example/a.png)", "`![x](https://e.example/a.png)`"},
		{"Termine erst nach 8 Wochen", "Termine erst nach 8 Wochen"},
		{"siehe jobcenter.de, danke", "siehe `jobcenter.de,` danke"},
		{"a | b", "a \\| b"},
		{"[…] wartet ([…], […])", "[…] wartet \\([…], […]\\)"},
		{"[…](x)", "\\[…\\]\\(x\\)"},
		{"Zeile\n2", "Zeile 2"},
	} {
		if got := Inline(tc.in); got != tc.want {
			t.Errorf("Inline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
