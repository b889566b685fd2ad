// Package inert makes people's text inert in a Mattermost post. Shown as
// written, it mentions nobody (no @user, @group, @channel, @here or @all),
// embeds no image, links nowhere (no Markdown link or image, no autolink,
// no link preview) and starts no formatting. kimbot's channel posts put
// every text that comes from people through Inline.
//
// How, and why so (checked against the Mattermost server and its web app):
//   - "@" becomes the full-width "＠" (U+FF20). Mattermost finds mentions in
//     the text of the Markdown after escapes are resolved, on the server
//     (notifications) and in the web app (highlighting), and only with an
//     ASCII "@": a backslash before "@" would still mention, a zero-width
//     character after it would depend on how each client splits words.
//     "~" (channel links) becomes "～" (U+FF5E) for the same reason.
//   - Words that are or look like addresses (a scheme such as https: or
//     mailto:, "www.", a domain) become code spans: neither the server (link
//     previews, image embedding) nor the clients look for links or mentions
//     inside code.
//   - Every other ASCII character that can start Markdown ([ ] ( ) ! < > *
//     _ ` | # $ & { } ^ \ and the like) is escaped with a backslash: no
//     image, link, emphasis, table cell, entity (&#64;) or LaTeX.
//   - Line breaks become spaces; control and format characters (bidi
//     overrides, zero-width characters) are dropped.
//
// Pure logic; the tests check it with Mattermost's own Markdown parser, and
// the end-to-end tests on the post as Mattermost stores it.
package inert

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Inline returns s as inert Markdown for one line of a post (a list item, a
// table cell, a title). Clip s before, never after: a cut could open a code
// span or an escape.
func Inline(s string) string {
	var fields []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			fields = append(fields, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			flush()
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	for i, f := range fields {
		if addressLike(f) {
			fields[i] = code(f)
		} else {
			fields[i] = escape(f)
		}
	}
	// A list marker at the start ("- x", "1. x") is text too.
	if len(fields) > 0 {
		if f := fields[0]; strings.HasPrefix(f, "-") {
			fields[0] = "\\" + f
		} else if m := listNumber.FindStringIndex(f); m != nil {
			fields[0] = f[:m[1]-1] + "\\" + f[m[1]-1:]
		}
	}
	return strings.Join(fields, " ")
}

// marker is what package mask puts where it removed something.
const marker = "[…]"

// active are the ASCII characters that can start Markdown or an entity.
const active = "\\`*_[](){}<>!|#$&^+="

// escape backslash-escapes Markdown and replaces "@" and "~".
func escape(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); {
		r, n := utf8.DecodeRuneInString(f[i:])
		switch {
		case strings.HasPrefix(f[i:], marker) && !strings.HasPrefix(f[i+len(marker):], "(") &&
			!strings.HasPrefix(f[i+len(marker):], "["):
			// The masking's marker stays readable: without "(" or "["
			// after it, it cannot open a link.
			b.WriteString(marker)
			i += len(marker)
			continue
		case r == '@':
			b.WriteRune('＠')
		case r == '~':
			b.WriteRune('～')
		case strings.ContainsRune(active, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// code returns f as a code span (a backtick inside becomes "ˋ").
func code(f string) string {
	f = strings.NewReplacer("`", "ˋ", "@", "＠").Replace(f)
	return "`" + f + "`"
}

var (
	listNumber = regexp.MustCompile(`^\d+[.)]`)
	scheme     = regexp.MustCompile(`(?i)(^|[^\pL\pN])(https?|ftps?|sftp|mailto|tel|sms|callto|file|data|javascript|vbscript|` +
		`xmpp|irc|ircs|magnet|ssh|git|svn|smb|webcal|news|nntp|ldap|s3|mattermost|slack|teams|zoommtg|skype|whatsapp|` +
		`signal|tg|steam|spotify|market|intent|about|blob|chrome|view-source|ws|wss)\s*:`)
	www    = regexp.MustCompile(`(?i)(^|[^\pL\pN])www\d{0,3}\.`)
	domain = regexp.MustCompile(`(?i)[\pL\pN-]{2,}(\.[\pL\pN-]+)*\.[a-z]{2,24}($|[/:?#)\]},;.!"'“”’»«])`)
)

// addressLike reports whether a word is, or could be read as, an address:
// it has "://", a scheme, "www." or a domain, or an "@" (an e-mail address).
func addressLike(f string) bool {
	return strings.Contains(f, "://") || scheme.MatchString(f) || www.MatchString(f) || domain.MatchString(f) ||
		strings.ContainsRune(f, '@') && strings.ContainsRune(f, '.')
}
