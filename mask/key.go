package mask

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// key returns the form under which words are compared: look-alike letters of
// other scripts as Latin ones (or, with translit, Cyrillic transliterated),
// lower case, without accents and umlaut dots, ß as ss, ae/oe/ue as a/o/u,
// digits that stand for letters in a word as those letters (M0hamed), a few
// spellings of the same sound as one (ph/f, th/t, dt/t, ck/k, c/k, y/i) and
// doubled letters once. Müller, Mueller, MÜLLER and Muller have one key, so
// have Mohammed and Mohamed, Meyer and Meier.
func key(word string, translit bool) string {
	hasLetter := false
	for _, r := range word {
		if unicode.IsLetter(r) {
			hasLetter = true
			break
		}
	}
	var b strings.Builder
	for _, r := range word {
		if !translit || !unicode.Is(unicode.Cyrillic, r) {
			r = latin(r)
		}
		r = unicode.ToLower(r)
		if s, ok := cyrillic[r]; ok {
			b.WriteString(s)
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			continue
		case 'æ':
			b.WriteString("ae")
			continue
		case 'œ':
			b.WriteString("oe")
			continue
		case 'þ':
			b.WriteString("th")
			continue
		case 'ø':
			r = 'o'
		case 'ł':
			r = 'l'
		case 'đ', 'ð':
			r = 'd'
		}
		if hasLetter {
			if l, ok := leet[r]; ok {
				r = l
			}
		}
		b.WriteRune(r)
	}
	var c strings.Builder
	for _, r := range norm.NFD.String(b.String()) {
		if !unicode.Is(unicode.Mn, r) {
			c.WriteRune(r)
		}
	}
	s := spellings.Replace(c.String())
	var out strings.Builder
	var last rune
	for i, r := range s {
		if i > 0 && r == last {
			continue
		}
		out.WriteRune(r)
		last = r
	}
	return out.String()
}

// leet maps digits written for letters inside a word.
var leet = map[rune]rune{'0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b'}

var spellings = strings.NewReplacer("ae", "a", "oe", "o", "ue", "u", "ph", "f", "th", "t", "dt", "t", "ck", "k",
	"ch", "ch", "c", "k", "y", "i")

// keys returns the keys of a word: the look-alike one and, for a word with
// Cyrillic letters, the transliterated one.
func keys(word string) []string {
	k := key(word, false)
	for _, r := range word {
		if unicode.Is(unicode.Cyrillic, r) {
			if t := key(word, true); t != k {
				return []string{k, t}
			}
			break
		}
	}
	return []string{k}
}

// keySet returns the keys of the words.
func keySet(words ...string) map[string]bool {
	out := map[string]bool{}
	for _, w := range words {
		out[key(w, false)] = true
	}
	return out
}

// suffixes are the endings a name takes in German text (genitive, plural,
// declension, "die Yilmazsche Wohnung"), as keys.
var suffixes = []string{"s", "es", "n", "en", "ns", "ens", "e", "er", "ern", "sche", "schen", "scher", "schem", "is"}

// near reports whether a and b differ by one edit: a letter changed, added,
// removed, or two neighbours swapped.
func near(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) > len(y) {
		x, y = y, x
	}
	switch len(y) - len(x) {
	case 0:
		diff := -1
		for i := range x {
			if x[i] == y[i] {
				continue
			}
			if diff >= 0 {
				return diff == i-1 && x[diff] == y[i] && x[i] == y[diff] && string(x[i+1:]) == string(y[i+1:])
			}
			diff = i
		}
		return true
	case 1:
		i := 0
		for i < len(x) && x[i] == y[i] {
			i++
		}
		return string(x[i:]) == string(y[i+1:])
	}
	return false
}
