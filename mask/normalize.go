// Package mask makes a barrier text fit for the network (SPEC §3, §5). What a
// coach writes about a barrier found in a case goes to the coordination's
// channel, where nothing may point to a person. Mask normalises the text
// (NFKC, invisible characters removed, every digit as ASCII, white space
// collapsed) and replaces with "[…]" whatever looks like a case reference in
// any dash, separator or digit form, the pseudonyms of the team's cases as
// words and word stems (declined, spelled with ae/oe/ue or ss, with look-alike
// letters or digits, split up or repeated), common name patterns (Frau/Herr
// with a name or an initial, Familie X), phone and file numbers, dates of
// birth and e-mail addresses. What it cannot be sure of it replaces as well
// and reports as unsure, so that the coach sees it before anything is kept.
//
// Pure logic with one job: no SQL, no Mattermost, no formatting for a post
// (package inert makes text inert for Mattermost).
package mask

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Marker replaces what the network must not see.
const Marker = "[…]"

// Normalize returns s as Mask reads it: NFKC-normalised, without invisible
// characters (zero-width characters, soft hyphens, bidi controls, variation
// selectors and other default-ignorable code points), with every decimal
// digit as an ASCII digit and every run of white space or control characters
// as one space, trimmed. Markers of an earlier Mask stay as they are.
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case invisible(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2800' || r == '\u3164':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r > unicode.MaxASCII && unicode.IsDigit(r) {
			r = '0' + digitValue(r)
		}
		b.WriteRune(r)
	}
	// Removing an invisible character can leave a base letter next to its
	// combining mark (a decomposed umlaut): compose again.
	return strings.ReplaceAll(norm.NFKC.String(b.String()), "[...]", Marker)
}

// invisible reports whether r shows nothing by itself: format characters
// (Cf: zero-width space, joiners, soft hyphen, bidi controls, word joiner,
// BOM, tags), other default-ignorable code points and variation selectors.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.Is(unicode.Variation_Selector, r) || r == '\u115f' || r == '\u1160' || r == '\uffa0'
}

// digitValue returns the value of a decimal digit of any script: decimal
// digits come in runs of ten from zero (several runs in a row cycle).
func digitValue(r rune) rune {
	n := rune(0)
	for unicode.IsDigit(r - n - 1) {
		n++
	}
	return n % 10
}

// lookalike maps letters of other scripts that look like Latin ones to
// those (Cyrillic and Greek capitals and small letters, a few Latin
// variants), so that "Мohamed" with a Cyrillic М is still Mohamed.
var lookalike = map[rune]rune{
	// Cyrillic
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
	'Х': 'X', 'У': 'Y', 'Ѕ': 'S', 'І': 'I', 'Ј': 'J', 'Ԁ': 'D', 'Ԛ': 'Q', 'Ԝ': 'W', 'Ү': 'Y', 'Һ': 'H', 'Ӏ': 'I',
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'х': 'x', 'у': 'y', 'ѕ': 's', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ү': 'y', 'һ': 'h', 'ӏ': 'l',
	// Greek
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P',
	'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p',
	'τ': 't', 'υ': 'u', 'χ': 'x', 'ς': 's', 'μ': 'u', 'η': 'n',
	// Latin variants
	'ı': 'i', 'ɑ': 'a', 'ɡ': 'g', 'ɩ': 'i', 'ʟ': 'L', 'ᴀ': 'A', 'ᴋ': 'K',
}

// latin returns r with a look-alike of another script as its Latin letter.
func latin(r rune) rune {
	if l, ok := lookalike[r]; ok {
		return l
	}
	return r
}

// cyrillic transliterates Cyrillic letters (Russian and Ukrainian) for
// comparing names: "Олена" is compared as "olena".
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'ё': "e", 'є': "je", 'ж': "zh", 'з': "z",
	'и': "i", 'і': "i", 'ї': "ji", 'й': "j", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "ch", 'ц': "z", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y",
	'ь': "", 'э': "e", 'ю': "ju", 'я': "ja",
}

// latinScript reports whether r is a letter of the Latin script (or no
// letter at all).
func latinScript(r rune) bool {
	return !unicode.IsLetter(r) || unicode.Is(unicode.Latin, r)
}
