package mask

import (
	_ "embed"
	"regexp"
	"strings"
	"unicode"
)

var (
	//go:embed firstnames.txt
	firstNamesText string
	//go:embed surnames.txt
	surnamesText string

	// firstNames and surnames are the keys of the names in the lists.
	firstNames = nameList(firstNamesText)
	surnames   = nameList(surnamesText)
)

// nameList returns the keys of the names of a list: words separated by
// white space, lines starting with # left out.
func nameList(text string) map[string]bool {
	var words []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			words = append(words, strings.Fields(line)...)
		}
	}
	return keySet(words...)
}

// isName reports whether the key is a name of the list, or one with the
// "s" of the German genitive (Ahmads Antrag, Petrovics Termin).
func isName(list map[string]bool, k string) bool {
	return list[k] || len(k) > 3 && strings.HasSuffix(k, "s") && list[k[:len(k)-1]]
}

// surnameEnding is how family names of Eastern Europe, Turkey, Iran and
// Armenia end, and German words do not: Shevchenko, Kovalchuk, Jovanović,
// Popescu, Karaoğlu, Hosseinzadeh, Rahimpour, Petrosyan, Nowakowski,
// Ivanova.
var surnameEnding = regexp.MustCompile(`(?:enko|chuk|czuk|ovi[cć]|evi[cć]|o[gğ]lu|escu|zadeh?|pour|ski|ska|sky|yan|ov|ova|ev|eva)$`)

// arabicParticles join the parts of a name: Hassan al-Rashid, Abu Bakr.
var arabicParticles = keySet("al", "el", "abu", "bin", "ibn", "abd")

// knownNames marks the names of the lists (mask/firstnames.txt,
// mask/surnames.txt) and family names by their ending: a first name with
// the capitalised words or the initial that follow it (Mehmet Yilmaz,
// Sabine W.), a family name of the list, and one by its ending, each with a
// capitalised word before it (Blerina Krasniqi). In a text written all in
// lower case a first name is unsure ("fatima wartet"; elsewhere lower-case
// words are German ones: nasser, hellen); so is a family name known only by
// its ending.
func (x *text) knownNames() {
	for i := 0; i < len(x.toks); i++ {
		t := x.toks[i]
		w := x.word(t)
		first := x.look[t.from]
		upper := unicode.IsUpper(first)
		k := key(w, false)
		switch {
		case isName(firstNames, k) && (upper || x.lower && len([]rune(w)) >= 4):
			kind := Name
			if !upper {
				kind = Unsure
			}
			x.set(t.from, t.to, kind)
			if firstNames[k] { // not Ahmads Antrag
				i = x.nameAfter(i, kind)
			}
		case isName(surnames, k) && upper:
			x.set(t.from, t.to, Name)
			x.nameBefore(i, Name)
			x.genitive(i)
		case upper && len([]rune(w)) >= 6 && surnameEnding.MatchString(strings.ToLower(w)):
			x.set(t.from, t.to, Unsure)
			x.nameBefore(i, Unsure)
		}
	}
}

// nameAfter marks, after the first name at token i, the capitalised word
// (or the initial and its dot, or an Arabic particle and the word after it)
// that stands with it as one name — after further first names, up to three —
// and returns the last token marked.
func (x *text) nameAfter(i int, kind Kind) int {
	if x.genitive(i) {
		return i
	}
	for n := 0; n < 3 && i+1 < len(x.toks) && nameGap(x.gap(i), false); n++ {
		next := x.toks[i+1]
		w := x.word(next)
		if arabicParticles[key(w, false)] && i+2 < len(x.toks) && nameGap(x.gap(i+1), false) &&
			unicode.IsUpper(x.look[x.toks[i+2].from]) {
			x.set(next.from, x.toks[i+2].to, kind)
			i += 2
			continue
		}
		if !unicode.IsUpper(x.look[next.from]) || function[key(w, false)] || titles[key(w, false)] {
			break
		}
		x.set(next.from, next.to, kind)
		i++
		if next.to-next.from == 1 { // Sabine W.
			if next.to < len(x.rs) && x.rs[next.to] == '.' {
				x.set(next.to, next.to+1, kind)
			}
			break
		}
		// After the family name only another name: Sabine Maria Schmidt,
		// not Zoran Petrovics Antrag.
		if x.genitive(i) || !isName(firstNames, key(w, false)) {
			break
		}
	}
	return i
}

// nameBefore marks the capitalised word right before the family name at
// token i (Blerina Krasniqi), unless it is a title, a degree or a word of a
// sentence's grammar.
func (x *text) nameBefore(i int, kind Kind) {
	if i == 0 || x.gap(i-1) != " " {
		return
	}
	p := x.toks[i-1]
	k := key(x.word(p), false)
	if unicode.IsUpper(x.look[p.from]) && !titles[k] && !degrees[k] && !function[k] && p.to-p.from > 1 {
		x.set(p.from, p.to, kind)
	}
}

// FullName reports whether s reads as a person's full name — a first name
// or a family name of the lists with another name word beside it, not
// initials (Mehmet Yilmaz, Oksana Shevchenko; not "M. Y.", "Frau Y.",
// "Fatima") — and returns its initials ("M. Y."): a case needs only a
// pseudonym (data minimisation).
func FullName(s string) (string, bool) {
	for _, x := range Text(s).Replaced {
		if x.Kind != Name {
			continue
		}
		rs := []rune(x.Text)
		var initials []string
		full := 0
		for _, t := range tokens(rs) {
			initials = append(initials, strings.ToUpper(string(rs[t.from]))+".")
			if t.to-t.from >= 2 {
				full++
			}
		}
		if full >= 2 {
			return strings.Join(initials, " "), true
		}
	}
	return "", false
}
