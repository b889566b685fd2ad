package mask

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Kind is why a part of a text was replaced.
type Kind string

// Kinds of replacement, from the least to the most certain.
const (
	Unsure    Kind = "unsure"    // might point to a person; kimbot cannot be sure
	Name      Kind = "name"      // a name after Frau, Herr, Familie, …
	Pseudonym Kind = "pseudonym" // a pseudonym of one of the team's cases
	Number    Kind = "number"    // a phone or file number, a date of birth
	Address   Kind = "address"   // a street with its house number
	Email     Kind = "email"     // an e-mail address
	Ref       Kind = "ref"       // a case reference
)

var rank = map[Kind]int{Unsure: 1, Name: 2, Pseudonym: 3, Number: 4, Address: 4, Email: 5, Ref: 6}

// Replaced is one part of a text that the network does not see.
type Replaced struct {
	Kind Kind
	// Text is what stood there (normalised), for the coach's eyes only.
	Text string
}

// Result is a masked text.
type Result struct {
	// Text is the text as the network sees it.
	Text string
	// Replaced lists what was replaced by Marker, in text order.
	Replaced []Replaced
}

// Unsure returns the parts kimbot replaced without being sure they point to
// a person.
func (r Result) Unsure() []string {
	var out []string
	for _, x := range r.Replaced {
		if x.Kind == Unsure {
			out = append(out, x.Text)
		}
	}
	return out
}

// Count returns how many parts of kind k were replaced.
func (r Result) Count(k Kind) int {
	n := 0
	for _, x := range r.Replaced {
		if x.Kind == k {
			n++
		}
	}
	return n
}

// Masker masks texts of one team: it knows the pseudonyms of its cases.
// It is safe for concurrent use.
type Masker struct {
	words    map[string]bool // keys of pseudonym words of three letters or more
	long     []string        // those keys of four runes or more (found inside words, or one edit away)
	short    map[string]bool // pseudonym words of two letters, as written and in capitals (matched by case)
	initials [][]rune        // capital letters of pseudonyms made of initials ("A. M.", "AB")
}

// New returns a masker for the pseudonyms of a team's cases.
func New(pseudonyms ...string) *Masker {
	m := &Masker{words: map[string]bool{}, short: map[string]bool{}}
	for _, p := range pseudonyms {
		m.add(p)
	}
	sort.Strings(m.long)
	return m
}

// pseudonymStop are words of pseudonyms that alone point to nobody.
var pseudonymStop = keySet("frau", "herr", "herrn", "familie", "fam", "und", "von", "van", "der", "die", "das", "den",
	"dem", "de", "da", "di", "del", "la", "le", "al", "el", "bin", "ben", "ibn", "abu", "mr", "mrs", "ms", "dr", "fall",
	"kind", "sohn", "tochter", "test")

func (m *Masker) add(p string) {
	s := Normalize(p)
	if s == "" || s == "⚠" {
		return
	}
	rs := []rune(s)
	toks := tokens(rs)
	var letters []rune
	single := len(toks) > 0
	for _, t := range toks {
		w := rs[t.from:t.to]
		if len(w) != 1 {
			single = false
		}
		letters = append(letters, w...)
	}
	if upper := []rune(strings.ToUpper(string(letters))); len(letters) >= 2 && (single ||
		(len(toks) == 1 && len(letters) <= 3 && string(letters) == string(upper))) {
		m.initials = append(m.initials, upper)
	}
	for _, t := range toks {
		w := string(rs[t.from:t.to])
		if len(rs[t.from:t.to]) < 2 || pseudonymStop[key(w, false)] {
			continue
		}
		if len([]rune(w)) == 2 {
			m.short[w] = true
			m.short[strings.ToUpper(w)] = true
			continue
		}
		for _, k := range keys(w) {
			if len(k) < 3 || m.words[k] {
				continue
			}
			m.words[k] = true
			if len([]rune(k)) >= 4 {
				m.long = append(m.long, k)
			}
		}
	}
}

// Mask returns the text as the network may see it, and what it replaced.
func (m *Masker) Mask(text string) Result {
	x := newText(Normalize(text))
	x.refs()
	x.numbers()
	x.names()
	x.knownNames()
	m.pseudonyms(x)
	x.scripts()
	return x.result()
}

// Text masks text for a team with these pseudonyms.
func Text(text string, pseudonyms ...string) Result { return New(pseudonyms...).Mask(text) }

// span is a token: the runes [from, to) of the text.
type span struct{ from, to int }

// tokens returns the words of rs: runs of letters, marks and digits.
func tokens(rs []rune) []span {
	var out []span
	start := -1
	for i, r := range rs {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, span{start, len(rs)})
	}
	return out
}

// text is a normalised text being masked.
type text struct {
	rs   []rune
	look []rune // rs with look-alike letters as Latin ones, case kept
	low  string // look in lower case, for the patterns
	at   []int  // rune index of each byte offset of low
	toks []span
	mark []Kind // per rune: why it is replaced ("" for kept)
	// lower: the text has no capital letter (typed all in lower case) and
	// no marker.
	lower bool
}

func newText(s string) *text {
	x := &text{rs: []rune(s)}
	x.look = make([]rune, len(x.rs))
	x.mark = make([]Kind, len(x.rs))
	var b strings.Builder
	for i, r := range x.rs {
		x.look[i] = latin(r)
		n := b.Len()
		b.WriteRune(unicode.ToLower(x.look[i]))
		for range b.Len() - n {
			x.at = append(x.at, i)
		}
	}
	x.at = append(x.at, len(x.rs))
	x.low = b.String()
	// A marker stands for what an earlier pass replaced, capitals perhaps:
	// the text is not taken for one typed in lower case (masking a masked
	// text changes nothing).
	x.lower = !strings.ContainsFunc(s, unicode.IsUpper) && !strings.Contains(s, Marker)
	x.toks = tokens(x.rs)
	return x
}

// set marks the runes [from, to) with k unless they have a stronger kind.
func (x *text) set(from, to int, k Kind) {
	for i := from; i < to && i < len(x.mark); i++ {
		if rank[k] > rank[x.mark[i]] {
			x.mark[i] = k
		}
	}
}

// setBytes marks the byte range [from, to) of low.
func (x *text) setBytes(from, to int, k Kind) { x.set(x.at[from], x.at[to], k) }

// word returns the runes of token t as written.
func (x *text) word(t span) string { return string(x.rs[t.from:t.to]) }

// gap returns what stands between tokens i and i+1.
func (x *text) gap(i int) string {
	if i+1 >= len(x.toks) {
		return string(x.rs[x.toks[i].to:])
	}
	return string(x.rs[x.toks[i].to:x.toks[i+1].from])
}

// sep is a character between the parts of a case reference: white space,
// any dash, and the separators people put into numbers.
const sep = `[\s\p{Pd}\x{2212}\x{2043}\x{02D7}\x{2796}\x{23AF}\x{2500}\x{2501}\x{2E3A}\x{2E3B}\x{30FC}/._:\\|#·,+*~=]`

var (
	// K-2026-0042 in every form: K, separators, a year of two or four
	// digits and the number, or one run of digits (K-42, K20260042).
	refK = regexp.MustCompile(`(?:^|[^\pL\pN])(k` + sep + `*(?:nr\.?` + sep + `*)?(?:\d{2,4}` + sep + `*\d{1,6}|\d{2,10}))(?:$|[^\pN])`)
	// 2026-0042 without the K (not a range of years like 2026/2027).
	refYear = regexp.MustCompile(`(?:^|[^\pL\pN])((19|20)\d\d` + sep + `+(\d{4,6}))(?:$|[^\pN])`)
	// A number after a word that makes it a reference: Fall 42, Az. 12/3.
	refWord = regexp.MustCompile(`(?:^|[^\pL\pN])(?:fall|akte|az|aktenzeichen|vorgang|vorgangsnummer|kundennummer|kundennr|kd|bg|bgnr|` +
		`nummer|nr|no|case|file|id|ref)\.?` + sep + `*(?:nr|no|nummer)?\.?` + sep + `*(\d(?:[\d/-]*\d)?)`)
	// Phone numbers and other long numbers: seven digits or more.
	longNumber = regexp.MustCompile(`\+?\d[\d /()-]{5,}\d`)
	isoDate    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$|^(19|20)\d\d[ /-](19|20)\d\d$`)
	// A date of birth.
	birth = regexp.MustCompile(`(?:geb|geboren|geburtsdatum|geburtstag|dob|born)\.?(?:\s*(?:am|on))?\s*[:.]?\s*` +
		`(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|(?:19|20)\d\d)`)
	// A street with its house number: Hauptstraße 12, Kölner Str. 3a,
	// Am Lindenweg 7 (not Arbeitsweg 45 Minuten: a unit after the number).
	street    = regexp.MustCompile(`(?:^|[^\pL])(\pL[\pL-]{2,}\s?(?:straße|strasse|str\.|str|weg|allee|platz|gasse|ring|damm|ufer|chaussee|pfad|steig)\s?\d{1,4}(?:\s?[a-z])?)(?:$|[^\pL\pN])`)
	unitAfter = regexp.MustCompile(`^\s*(?:min|minuten|std|stunden|h|km|m|meter|wochen|woche|tage|tagen|monate|monaten|jahre|jahren|euro|eur|€|%|uhr|plätze|plätzen)\b`)
	email     = regexp.MustCompile(`[\pL\pN._%+-]+\s?(?:@|\(at\)|\[at\])\s?[\pL\pN-]+(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\pL\pN-]+)+`)
)

// refs marks case references.
func (x *text) refs() {
	for _, loc := range refK.FindAllStringSubmatchIndex(x.low, -1) {
		x.setBytes(loc[2], loc[3], Ref)
	}
	for _, loc := range refYear.FindAllStringSubmatchIndex(x.low, -1) {
		year, seq := x.low[loc[4]:loc[4]+4], x.low[loc[6]:loc[7]]
		if len(seq) == 4 && (seq == year || seq == nextYear(year)) {
			continue // 2026/2027
		}
		x.setBytes(loc[2], loc[3], Ref)
	}
	for _, loc := range refWord.FindAllStringSubmatchIndex(x.low, -1) {
		x.setBytes(loc[2], loc[3], Ref)
	}
}

func nextYear(y string) string {
	b := []byte(y)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return string(b)
}

// numbers marks phone and file numbers, dates of birth, codes with many
// digits and e-mail addresses.
func (x *text) numbers() {
	for _, loc := range longNumber.FindAllStringIndex(x.low, -1) {
		m := x.low[loc[0]:loc[1]]
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits >= 7 && !isoDate.MatchString(m) {
			x.setBytes(loc[0], loc[1], Number)
		}
	}
	for _, loc := range birth.FindAllStringSubmatchIndex(x.low, -1) {
		x.setBytes(loc[2], loc[3], Number)
	}
	for _, t := range x.toks {
		letters, digits := 0, 0
		for _, r := range x.rs[t.from:t.to] {
			if unicode.IsDigit(r) {
				digits++
			} else {
				letters++
			}
		}
		if letters > 0 && digits >= 5 {
			x.set(t.from, t.to, Number)
		}
	}
	for _, loc := range street.FindAllStringSubmatchIndex(x.low, -1) {
		if !unitAfter.MatchString(x.low[loc[3]:]) {
			x.setBytes(loc[2], loc[3], Address)
		}
	}
	for _, loc := range email.FindAllStringIndex(x.low, -1) {
		x.setBytes(loc[0], loc[1], Email)
	}
}

var (
	// titles are words a name follows.
	titles = keySet("herr", "herrn", "hr", "frau", "fr", "familie", "fam", "ehepaar", "eheleute", "geschwister", "mr",
		"mrs", "ms", "miss", "sohn", "tochter", "bruder", "schwester", "ehemann", "ehefrau", "vater", "mutter", "klient",
		"klientin", "kind", "enkel", "enkelin", "onkel", "tante", "nichte", "neffe", "witwe", "witwer", "madame", "monsieur")
	// degrees stand between a title and the name (Frau Dr. Müller).
	degrees = keySet("dr", "prof", "dipl", "ing", "med", "mag")
	// function words follow a title in a sentence without a name.
	function = keySet("der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "und",
		"oder", "aber", "mit", "im", "in", "am", "an", "auf", "aus", "bei", "für", "von", "vom", "zu", "zum", "zur", "nach",
		"über", "unter", "vor", "ist", "hat", "war", "wird", "wurde", "kann", "muss", "soll", "hatte", "sind", "haben",
		"hier", "dort", "noch", "schon", "nicht", "kein", "keine", "wie", "als", "auch", "so", "sehr", "sowie", "bzw",
		"ohne", "seit", "wegen", "braucht", "sucht", "wartet", "bekommt", "erhält", "lebt", "wohnt", "the", "and", "of")
)

// names marks names after a title (Frau A., Herrn Mohamed, Familie Yilmaz)
// and runs of initials (A. M.).
func (x *text) names() {
	for i := 0; i < len(x.toks); i++ {
		t := x.toks[i]
		tk := key(x.word(t), false)
		if !titles[tk] || !(x.gap(i) == " " || abbreviations[tk] && (x.gap(i) == "." || x.gap(i) == ". ")) {
			continue
		}
		title := x.look[t.from]
		j := i + 1
		for j < len(x.toks) && degrees[key(x.word(x.toks[j]), false)] && nameGap(x.gap(j), true) {
			j++
		}
		for n := 0; j < len(x.toks) && n < 3; n++ {
			w := x.toks[j]
			first, initial := x.look[w.from], w.to-w.from == 1
			if degrees[key(x.word(w), false)] {
				break
			}
			if unicode.IsUpper(first) || initial && unicode.IsLetter(first) {
				x.set(w.from, w.to, Name)
				if x.genitive(j) {
					break
				}
				if initial && w.to < len(x.rs) && x.rs[w.to] == '.' {
					x.set(w.to, w.to+1, Name)
				}
			} else {
				if unicode.IsLower(title) && !function[key(x.word(w), false)] && !unicode.IsDigit(first) {
					// "frau müller": nothing written in capitals, so a
					// lower-case word may well be a name.
					x.set(w.from, w.to, Unsure)
				}
				break
			}
			if !nameGap(x.gap(j), initial) {
				break
			}
			j++
			// Go on only to a capitalised word or an initial.
			if j < len(x.toks) && !unicode.IsUpper(x.look[x.toks[j].from]) && x.toks[j].to-x.toks[j].from > 1 {
				break
			}
		}
	}
	// Initials: two or more single capitals, each followed by a dot.
	for i := 0; i < len(x.toks); i++ {
		j := i
		for j < len(x.toks) && x.toks[j].to-x.toks[j].from == 1 && unicode.IsUpper(x.look[x.toks[j].from]) &&
			strings.HasPrefix(x.gap(j), ".") && strings.TrimSpace(x.gap(j)) == "." {
			j++
		}
		if j-i >= 2 {
			x.set(x.toks[i].from, x.toks[j-1].to+1, Unsure)
			i = j - 1
		}
	}
}

// abbreviations are titles written short, followed by a dot.
var abbreviations = keySet("hr", "fr", "fam", "mr", "mrs", "ms")

// nameGap reports whether the text between two words lets the second be
// part of a name with the first: a space or a hyphen, and after an initial
// or a degree a dot.
func nameGap(g string, dot bool) bool {
	switch g {
	case " ", "-":
		return true
	case ".", ". ":
		return dot
	}
	return false
}

// genitive extends the mark of token j over a following "'s", "’s" or
// ".s" and reports whether it did.
func (x *text) genitive(j int) bool {
	if j+1 >= len(x.toks) {
		return false
	}
	g, next := x.gap(j), x.word(x.toks[j+1])
	if (g == "'" || g == "’" || g == "." || g == "`") && (next == "s" || next == "n" || next == "ns") {
		x.set(x.toks[j].to, x.toks[j+1].to, x.mark[x.toks[j].from])
		return true
	}
	return false
}

// joinGap reports whether two parts of one word may stand apart like this
// (M-o-h-a-m-e-d, Mo hamed, Mo.hamed).
func joinGap(g string) bool {
	if g == "" || len([]rune(g)) > 3 {
		return false
	}
	return strings.Trim(g, " -._'’/*·+~|") == ""
}

// pseudonyms marks the pseudonyms of the team's cases: as words, with the
// endings of German declension, inside longer words and one letter off
// (unsure), spelled apart, and as initials.
func (m *Masker) pseudonyms(x *text) {
	for i, t := range x.toks {
		w := x.word(t)
		if m.short[w] {
			x.set(t.from, t.to, Pseudonym)
			x.genitive(i)
			continue
		}
		if k := m.match(keys(w)); k != "" {
			x.set(t.from, t.to, k)
			x.genitive(i)
		}
		// The same word spelled apart over the next tokens.
		joined := w
		for j := i + 1; j < len(x.toks) && j <= i+8 && joinGap(x.gap(j-1)); j++ {
			joined += x.word(x.toks[j])
			if m.exact(keys(joined)) {
				x.set(t.from, x.toks[j].to, Pseudonym)
				x.genitive(j)
			}
		}
		for _, in := range m.initials {
			if end := x.initialsAt(i, in); end > 0 {
				x.set(t.from, end, Pseudonym)
			}
		}
	}
}

// exact reports whether a key is a pseudonym word, or one with an ending.
func (m *Masker) exact(ks []string) bool {
	for _, k := range ks {
		if m.words[k] {
			return true
		}
		for _, s := range suffixes {
			if len(k) > len(s)+2 && strings.HasSuffix(k, s) && m.words[k[:len(k)-len(s)]] {
				return true
			}
		}
	}
	return false
}

// match returns Pseudonym for a word that is a pseudonym word (or one with
// an ending), Unsure for one that holds a longer pseudonym word or is one
// letter off it, "" otherwise.
func (m *Masker) match(ks []string) Kind {
	if m.exact(ks) {
		return Pseudonym
	}
	for _, k := range ks {
		n := len([]rune(k))
		for _, p := range m.long {
			if strings.Contains(k, p) {
				return Unsure
			}
			pn := len([]rune(p))
			if n >= 5 && pn >= 5 && n-pn <= 1 && pn-n <= 1 && k[0] == p[0] && near(k, p) {
				return Unsure
			}
		}
	}
	return ""
}

// initialsAt returns the end of the initials in (by case) at token i: one
// token ("AB") or single letters with dots and spaces between (A. B.), and a
// dot after the last; 0 when they do not stand there.
func (x *text) initialsAt(i int, in []rune) int {
	t := x.toks[i]
	if string(x.look[t.from:t.to]) == string(in) {
		return t.to
	}
	for n, r := range in {
		j := i + n
		if j >= len(x.toks) {
			return 0
		}
		u := x.toks[j]
		if u.to-u.from != 1 || x.look[u.from] != r {
			return 0
		}
		if n < len(in)-1 && !(x.gap(j) != "" && strings.Trim(x.gap(j), " .") == "" && len([]rune(x.gap(j))) <= 3) {
			return 0
		}
	}
	end := x.toks[i+len(in)-1].to
	if end < len(x.rs) && x.rs[end] == '.' {
		end++
	}
	return end
}

// scripts marks words in another script than Latin, or that mix scripts:
// kimbot cannot tell whether they are names.
func (x *text) scripts() {
	for _, t := range x.toks {
		for _, r := range x.rs[t.from:t.to] {
			if !latinScript(r) {
				x.set(t.from, t.to, Unsure)
				break
			}
		}
	}
}

// result replaces each run of marked runes by Marker. Runs with nothing but
// a space, dot, hyphen or apostrophe between them are one. A word marked in
// part is marked whole (no half word stays to be read, or to be read as a
// name once its other half is gone).
func (x *text) result() Result {
	for _, t := range x.toks {
		k := Kind("")
		for i := t.from; i < t.to; i++ {
			if rank[x.mark[i]] > rank[k] {
				k = x.mark[i]
			}
		}
		if k != "" {
			x.set(t.from, t.to, k)
		}
	}
	var out Result
	var b strings.Builder
	i := 0
	for i < len(x.rs) {
		if x.mark[i] == "" {
			b.WriteRune(x.rs[i])
			i++
			continue
		}
		from, k := i, x.mark[i]
		for {
			for i < len(x.rs) && x.mark[i] != "" {
				if rank[x.mark[i]] > rank[k] {
					k = x.mark[i]
				}
				i++
			}
			j := i
			for j < len(x.rs) && j-i < 2 && strings.ContainsRune(" .-'’", x.rs[j]) {
				j++
			}
			if j > i && j < len(x.rs) && x.mark[j] != "" {
				i = j
				continue
			}
			break
		}
		out.Replaced = append(out.Replaced, Replaced{Kind: k, Text: string(x.rs[from:i])})
		b.WriteString(Marker)
	}
	out.Text = b.String()
	return out
}
