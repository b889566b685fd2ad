// Package commands parses `/kim …` text into typed arguments and runs the
// verbs. One literal table of verbs (verbs.go) drives the parser, the usage
// lines in error messages and the help, so help can never drift from what
// is parsed. No HTTP and no Mattermost types here.
package commands

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
)

// Kind is the type of a parameter.
type Kind int

// Parameter kinds.
const (
	Word     Kind = iota // one token
	CaseRef              // K-2026-0042
	Choice               // one of Choices
	Date                 // YYYY-MM-DD or DD.MM.YYYY
	Duration             // 14d, 6w, 3m
	Int                  // a number between Min and Max
	User                 // @username
	Channel              // ~channel-name
	Text                 // the rest of the line (or one option value)
	Scores               // field=1..5, one or more
	Clock                // HH:MM
	Meeting              // M-3
	Action
	Period               // 2026, 2026-Q3, 2026-10
	// Pseudonym is a Word that cannot be read as a case reference (K-…, or a
	// digit first): a case is found by its pseudonym where a reference goes.
	Pseudonym
	// Minutes is an Int of minutes, also typed with its unit: 20 min, 1 Std,
	// 1,5 h.
	Minutes
	// Numbers are one or more Ints between Min and Max, as they are listed:
	// 2, 1 3, 1,3, 1, 3 und 5, 2-4, 2 bis 4 (Args.Ints).
	Numbers
)

// Param is a positional parameter or a name=value option of a verb. It is
// required unless Optional (or the verb is typed in its bare form).
type Param struct {
	Name string
	// Alias is the German name: shown to German readers in usage lines and
	// errors, and for an option also accepted as typed (seite=2 for page=2).
	Alias   string
	Kind    Kind
	Choices []string // for Choice: the values (keys), shown to English readers
	// De are the German words of Choices, one per choice in their order,
	// folded (kim.Fold): accepted as typed and shown to German readers,
	// spelt as the catalogue's label (Label) spells them ("persönlich").
	De []string
	// Label is the catalogue prefix of the choices' labels ("kind" for
	// kind.in-person); the labels' German words are accepted as well.
	Label string
	// Or are words accepted instead of a value of Kind (a date or "off");
	// Args.Word returns the one given.
	Or []string
	// Also are further names of an option (folded), accepted as typed and
	// never shown: bis= for faellig=.
	Also []string
	// Aliases are other accepted words (folded) → a choice or an Or word;
	// German readers see the first (in sort order) of an Or word's.
	Aliases map[string]string
	// Alone: an Or word given for this parameter is the whole command;
	// nothing may follow it (`/kim away off`), and the parameters after it
	// are not required.
	Alone bool
	// Ahead: a date typed without its year (5.1.) is the next such day from
	// today on (a due date, an absence, a meeting); without Ahead it is the
	// latest up to today (a contact, an intake, a consent).
	Ahead bool
	// After: the value may also follow the next parameter's, as it is said
	// (einwilligung AB jobcenter erteilt); taken so only when the word in
	// its place is none of its values and the one after it is.
	After bool
	// Fillers are the little words said before the value (verweis AB an
	// jobcenter): dropped there when a value follows.
	Fillers []string
	// Named: an option only ever taken as name=value, never from a bare
	// value (Verb.choiceOption): consent is documented, not inferred from
	// a "ja".
	Named    bool
	Optional bool
	Min, Max int // Int bounds; for Text and Word the maximum length (0: default)

	// known keeps accepted() once made (withWords; nil: made on each lookup).
	known *acceptedWords
}

// acceptedWords is a parameter's accepted(), made on its first lookup.
type acceptedWords struct {
	once sync.Once
	m    map[string]string
}

// withWords returns p with its accepted words kept once made; the verb
// table's parameters get it from link.
func withWords(p Param) Param {
	p.known = &acceptedWords{}
	return p
}

// Verb is one node of the /kim command tree: a verb, or a sub-verb at any
// depth (`admin partner add`).
type Verb struct {
	Name  string
	Alias string // German alias
	// Also are further words accepted for the verb (folded), never shown:
	// what people type for it besides its name and alias (ziel erledigt).
	Also []string
	// Defaults are the sub-verbs meant, the first that fits, when the word
	// after the verb is none of its sub-verbs but a value of that sub-verb's
	// first parameter (`/kim ziel K-2026-0042 Arbeit …` is `ziel neu`,
	// `/kim treffen M-3` is `treffen zeige`).
	Defaults []string
	// Alone is the sub-verb meant when the verb is typed with nothing
	// after it: a list that changes nothing (`/kim treffen`).
	Alone   string
	Params  []Param
	Options []Param
	Subs    []*Verb
	// Roles that may run the verb; nil: those of the parent verb (nil at
	// the top: everybody, with or without role).
	Roles []kim.Role
	Run   func(*Runner, *Args) (Reply, error)
	// Bare is the verb's short form: typed with only its first BareArgs
	// parameters and nothing else, it runs Bare instead of Run (a dialog,
	// a list). BareDialog says it opens a dialog, which needs the request's
	// trigger id; without one the line is parsed as the full form.
	Bare       func(*Runner, *Args) (Reply, error)
	BareArgs   int
	BareDialog bool
	Examples   []string
	parent     *Verb
}

// Path is the verb's full name, e.g. "goal add".
func (v *Verb) Path() string {
	if v.parent == nil || v.parent.parent == nil {
		return v.Name
	}
	return v.parent.Path() + " " + v.Name
}

// key is the message-id form of the path, e.g. "goal.add".
func (v *Verb) key() string { return strings.ReplaceAll(v.Path(), " ", ".") }

// roles returns who may run the verb: its own Roles or its parent's.
func (v *Verb) roles() []kim.Role {
	for x := v; x != nil; x = x.parent {
		if x.Roles != nil {
			return x.Roles
		}
	}
	return nil
}

// top returns the root of v's command tree.
func (v *Verb) top() *Verb {
	for v.parent != nil {
		v = v.parent
	}
	return v
}

// sub finds a sub-verb by name or alias, in any case, with umlauts or their
// transcriptions (ä or ae, ß or ss).
func (v *Verb) sub(word string) *Verb {
	w := kim.Fold(word)
	for _, s := range v.Subs {
		if s.Name == w || (s.Alias != "" && s.Alias == w) || slices.Contains(s.Also, w) {
			return s
		}
	}
	return nil
}

// word is the verb's own word in lang: its German alias for German
// readers, its name otherwise.
func (v *Verb) word(lang string) string {
	if lang == "de" && v.Alias != "" {
		return german(v.Alias)
	}
	return v.Name
}

// PathIn is the verb's full name as a reader of lang types it, e.g.
// "ziel neu" in German.
func (v *Verb) PathIn(lang string) string {
	if v.parent == nil || v.parent.parent == nil {
		return v.word(lang)
	}
	return v.parent.PathIn(lang) + " " + v.word(lang)
}

// local is text of the table rendered once the reader's language is known
// (messages.Localized): usage lines and names in errors made by the parser.
type local func(lang string) string

// Local renders the text in lang.
func (f local) Local(lang string) string { return f(lang) }

// Usage returns the full form of the verb in lang, e.g.
// "/kim goal add <case> <field> <text> [due=<date>]" or
// "/kim ziel neu <fall> <Aufenthalt|…> <text> [fällig=<datum>]", or its
// sub-verbs.
func (v *Verb) Usage(lang string) string {
	if v.Run == nil && len(v.Subs) > 0 {
		names := make([]string, len(v.Subs))
		for i, s := range v.Subs {
			names[i] = s.word(lang)
		}
		return "/kim " + v.PathIn(lang) + " <" + strings.Join(names, "|") + "> …"
	}
	return v.form(len(v.Params), "", true, lang)
}

// usage is the verb's usage line for an error (rendered in the reader's
// language).
func (v *Verb) usage() local { return func(lang string) string { return v.Usage(lang) } }

// path is the verb's full name for an error.
func (v *Verb) path() local { return v.PathIn }

// Usages returns every form of the verb in lang: the full one, one per
// word that stands alone (`/kim away off`) and the bare one (`/kim contact
// <case>`).
func (v *Verb) Usages(lang string) []string {
	out := []string{v.Usage(lang)}
	if v.Run == nil {
		return out
	}
	for i, p := range v.Params {
		if p.Alone {
			for _, w := range p.shownOr(lang) {
				out = append(out, v.form(i, w, false, lang))
			}
		}
	}
	if v.Bare != nil {
		out = append(out, v.form(v.BareArgs, "", false, lang))
	}
	return out
}

// form renders the verb in lang with its first n parameters, then word,
// then (when options) the options.
func (v *Verb) form(n int, word string, options bool, lang string) string {
	parts := []string{"/kim " + v.PathIn(lang)}
	for _, p := range v.Params[:n] {
		parts = append(parts, p.wrap("<"+p.placeholder(lang)+">"+p.words(lang)))
	}
	if word != "" {
		parts = append(parts, word)
	}
	if options {
		for _, o := range v.Options {
			parts = append(parts, o.wrap(o.label(lang)+"=<"+o.valueHint(lang)+">"+o.words(lang)))
		}
	}
	return strings.Join(parts, " ")
}

func (p Param) wrap(s string) string {
	if p.Optional {
		return "[" + s + "]"
	}
	return s
}

// label is the parameter's name in lang: its German name for German
// readers, when it has one.
func (p Param) label(lang string) string {
	if lang == "de" && p.Alias != "" {
		return german(p.Alias)
	}
	return p.Name
}

// named is the parameter's name for an error, as an option ("datum=…")
// or as a positional parameter.
func (p Param) named(option bool) local {
	return func(lang string) string {
		if option {
			return p.label(lang) + "=<" + p.valueHint(lang) + ">"
		}
		return p.label(lang)
	}
}

// missing is how an answer names p when it is not given: a positional
// parameter by its label as a noun (Es fehlt: Notiz), an option as it is
// typed (Es fehlt: `vertretung=<vertretung>`).
func (p Param) missing(option bool) local {
	return func(lang string) string {
		if option {
			return "`" + p.named(true)(lang) + "`"
		}
		label := p.label(lang)
		r, n := utf8.DecodeRuneInString(label)
		return string(unicode.ToUpper(r)) + label[n:]
	}
}

func (p Param) placeholder(lang string) string {
	switch p.Kind {
	case Choice:
		return strings.Join(p.shown(lang), "|")
	case Scores:
		return scoresPlaceholder(lang)
	}
	return p.label(lang)
}

// valueHint is the placeholder of an option's value: what to type for a
// date or a time of day (seit=<datum>, uebersicht=<HH:MM>), else as for a
// positional parameter.
func (p Param) valueHint(lang string) string {
	switch {
	case p.Kind == Date && lang == "de":
		return "datum"
	case p.Kind == Date:
		return "date"
	case p.Kind == Clock:
		return "HH:MM"
	}
	return p.placeholder(lang)
}

// scoresPlaceholder is the form of the field=score pairs in lang.
func scoresPlaceholder(lang string) string { return fieldParam.label(lang) + "=1..5 …" }

// words are the Or words shown after the placeholder ("|off"); those that
// stand alone have a form of their own.
func (p Param) words(lang string) string {
	if p.Alone || len(p.Or) == 0 {
		return ""
	}
	return "|" + strings.Join(p.shownOr(lang), "|")
}

// shown returns the choices as a reader of lang sees them: the keys in
// English, the German words in German, spelt as their labels spell them
// (persönlich, Hausbesuch, SGB II).
func (p Param) shown(lang string) []string {
	out := make([]string, len(p.Choices))
	for i, c := range p.Choices {
		out[i] = p.show(c, lang)
	}
	return out
}

// show returns one choice or Or word as a reader of lang sees it.
func (p Param) show(key, lang string) string {
	if lang != "de" {
		return key
	}
	for i, c := range p.Choices {
		if c == key && i < len(p.De) && p.De[i] != "" {
			return spelt(p.De[i], p.germanLabel(c))
		}
	}
	var aliases []string
	for w, k := range p.Aliases {
		if k == key {
			aliases = append(aliases, w)
		}
	}
	if len(aliases) == 0 {
		return key
	}
	sort.Strings(aliases)
	return german(aliases[0])
}

// shownOr returns the Or words as a reader of lang sees them.
func (p Param) shownOr(lang string) []string {
	out := make([]string, len(p.Or))
	for i, w := range p.Or {
		out[i] = p.show(w, lang)
	}
	return out
}

// germanLabel is the catalogue's German label of a choice; "" when the
// parameter has no labels or the catalogue none for it.
func (p Param) germanLabel(choice string) string {
	if p.Label == "" {
		return ""
	}
	s, _ := messages.Lookup("de", p.Label+"."+choice)
	return s
}

// spelt returns the folded word as the label spells it: the label, one of
// its parts or words (Bildung of Bildung/Ausbildung, Teilhabe of soziale
// Teilhabe) or the beginning of one (Unionsbürger of Unionsbürger*innen)
// that folds to word; else word.
func spelt(word, label string) string {
	var parts []string
	for _, part := range strings.Split(label, "/") {
		parts = append(parts, part)
		if words := strings.Fields(part); len(words) > 1 {
			parts = append(parts, words...) // Teilhabe of soziale Teilhabe
		}
	}
	for _, part := range parts {
		for j := len(part); j > 0; j-- {
			if j == len(part) || utf8.RuneStart(part[j]) {
				if kim.Fold(part[:j]) == word {
					return strings.TrimSpace(part[:j])
				}
			}
		}
	}
	return german(word)
}

// spellings are the German spellings of the transcribed words of the
// grammar (verbs, parameter names, choices without a catalogue label), for
// what a German reader sees: usage lines, help, the commands kimbot asks to
// type. The parser folds what is typed (kim.Fold), so both are accepted.
var spellings = map[string]string{
	"abschliessen": "abschließen", "aendern": "ändern", "bestaetigen": "bestätigen",
	"einschaetzung": "einschätzung", "ersteinschaetzung": "ersteinschätzung", "faelle": "fälle",
	"faellig": "fällig", "kuerzel": "kürzel", "loeschen": "löschen", "uebergabe": "übergabe",
	"uebergang": "übergang", "uebergeben": "übergeben", "uebersicht": "übersicht", "zurueck": "zurück",
}

// german returns the German spelling of a transcribed word of the grammar,
// or the word itself.
func german(word string) string {
	if s, ok := spellings[word]; ok {
		return s
	}
	return word
}

// accepted returns every word accepted for the parameter's choices and Or
// words, mapped to the choice or Or word: the keys, the German words, the
// words of the German labels and the aliases.
func (p Param) accepted() map[string]string {
	out := map[string]string{}
	add := func(w, key string) {
		if s := squash(w); s != "" {
			if _, dup := out[s]; !dup {
				out[s] = key
			}
		}
	}
	for i, c := range p.Choices {
		add(c, c)
		if i < len(p.De) {
			add(p.De[i], c)
		}
	}
	for _, x := range p.Or {
		add(x, x)
	}
	for w, k := range p.Aliases {
		add(w, k)
	}
	for _, c := range p.Choices {
		if l := p.germanLabel(c); l != "" {
			add(l, c)
			for _, part := range strings.Split(l, "/") {
				add(part, c)
			}
		}
	}
	return out
}

// lookup returns the choice or Or word that raw names, in any case, with
// umlauts or transcribed, with spaces or hyphens or neither (SGB II, sgb-2,
// SGB2).
func (p Param) lookup(raw string) (string, bool) {
	known := p.known
	if known == nil {
		known = &acceptedWords{}
	}
	known.once.Do(func() { known.m = p.accepted() })
	k, ok := known.m[squash(raw)]
	if !ok { // abgelehnt, Unterlagen fehlen: the value with a comma after it
		k, ok = known.m[squash(strings.TrimRight(raw, ",;:"))]
	}
	return k, ok
}

// nameKind says how raw names one of p's values: by its key (nameKey), by
// its German word or label (nameGerman), or by a word coaches use for it
// (nameOther: Wohnung for housing).
func (p Param) nameKind(raw string) int {
	w := squash(raw)
	for i, c := range p.Choices {
		if w == squash(c) {
			return nameKey
		}
		if i < len(p.De) && w == squash(p.De[i]) {
			return nameGerman
		}
		if l := p.germanLabel(c); l != "" && (w == squash(l) || slices.ContainsFunc(strings.Split(l, "/"), func(part string) bool { return w == squash(part) })) {
			return nameGerman
		}
	}
	return nameOther
}

// How a word names a value (Param.nameKind).
const (
	nameOther = iota
	nameKey
	nameGerman
)

// squash is the form words are compared in: folded, without spaces and
// hyphens.
func squash(s string) string { return unspaced.Replace(kim.Fold(s)) }

var unspaced = strings.NewReplacer(" ", "", "-", "", "\u00a0", "")

// link sets the parents in the tree below v and refuses a name or alias
// used twice among siblings; it returns v.
func link(v *Verb) *Verb {
	for i := range v.Params {
		v.Params[i] = withWords(v.Params[i])
	}
	for i := range v.Options {
		v.Options[i] = withWords(v.Options[i])
	}
	seen := map[string]bool{}
	for _, s := range v.Subs {
		for _, k := range append([]string{s.Name, s.Alias}, s.Also...) {
			if k == "" {
				continue
			}
			if seen[k] {
				panic("commands: verb " + k + " twice under " + v.Name)
			}
			seen[k] = true
		}
		if s.BareArgs > len(s.Params) {
			panic("commands: " + s.Name + ": BareArgs beyond its parameters")
		}
		s.parent = v
		link(s)
	}
	if a := v.sub(v.Alone); v.Alone != "" && (a == nil || len(a.Params) > 0 && !a.Params[0].Optional) {
		panic("commands: " + v.Name + ": Alone is no sub-verb that runs without arguments")
	}
	return v
}

// Verbs returns the top-level verbs in help order.
func Verbs() []*Verb { return kimVerbs.Subs }
