package kim

import (
	"fmt"
	"unicode"
)

// ControlChar returns the first control character of s that kimbot does
// not store in a text: NUL and the other C0 and C1 controls, DEL, and the
// bidi embeddings, overrides and isolates that make text read otherwise
// than it is stored. Tab, line feed and carriage return are allowed when
// lines is true (a note may have several lines), refused otherwise (a
// pseudonym, a key). ok is false when there is none.
func ControlChar(s string, lines bool) (r rune, ok bool) {
	for _, c := range s {
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			if !lines {
				return c, true
			}
		case unicode.IsControl(c), c >= '\u202a' && c <= '\u202e', c >= '\u2066' && c <= '\u2069':
			return c, true
		}
	}
	return 0, false
}

// CharName returns a character as people can look it up: "U+0000".
func CharName(r rune) string { return fmt.Sprintf("U+%04X", r) }
