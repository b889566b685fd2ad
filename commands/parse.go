package commands

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/reports"
)

// Limits of free text, in characters (code points after NFC composition,
// so "ä" counts once however it was typed), never in bytes.
const (
	MaxText      = 2000 // a note, a reason, a goal
	MaxWord      = 80   // a pseudonym, a topic
	MaxInputSize = 8000 // the whole command line
)

// Args are the typed arguments of one parsed command.
type Args struct {
	Verb   *Verb
	values map[string]any
	typed  map[string]string // the words typed for positional choices
	// QuotedText: the text parameter was typed in quotes.
	QuotedText bool
	// Bare: the verb was typed in its bare form (see Verb.Bare).
	Bare bool
}

// Str returns a Word, Text, Choice, User (without @), Channel (without ~)
// or CaseRef value; "" when absent.
func (a *Args) Str(name string) string { s, _ := a.values[name].(string); return s }

// Typed returns the words typed for a positional choice parameter (Wohnung
// for the field housing); "" when absent.
func (a *Args) Typed(name string) string { return a.typed[name] }

// Has reports whether the parameter or option was given.
func (a *Args) Has(name string) bool { _, ok := a.values[name]; return ok }

// Word returns the Or word given for the parameter (e.g. "off"); "" when
// it was absent or a value of its kind.
func (a *Args) Word(name string) string { w, _ := a.values[name].(word); return string(w) }

// Date returns a date value; nil when absent.
func (a *Args) Date(name string) *kim.Date {
	if d, ok := a.values[name].(kim.Date); ok {
		return &d
	}
	return nil
}

// Period returns a report period; nil when absent.
func (a *Args) Period(name string) *kim.Period {
	if p, ok := a.values[name].(kim.Period); ok {
		return &p
	}
	return nil
}

// Clock returns a time-of-day value; nil when absent.
func (a *Args) Clock(name string) *TimeOfDay {
	if t, ok := a.values[name].(TimeOfDay); ok {
		return &t
	}
	return nil
}

// Int returns an Int value, or the number of a Meeting (M-3) or Action
// 0 when absent.
func (a *Args) Int(name string) int { n, _ := a.values[name].(int); return n }

// Ints returns a Numbers value, ascending and each once; nil when absent.
func (a *Args) Ints(name string) []int { n, _ := a.values[name].([]int); return n }

// OptStr returns a pointer to a Word/Text/Choice value, nil when absent: the
// fields a partial edit changes.
func (a *Args) OptStr(name string) *string {
	if !a.Has(name) {
		return nil
	}
	s := a.Str(name)
	return &s
}

// OptInt returns a pointer to an Int value, nil when absent.
func (a *Args) OptInt(name string) *int {
	if !a.Has(name) {
		return nil
	}
	n := a.Int(name)
	return &n
}

// Span returns a Duration value; ok is false when absent.
func (a *Args) Span(name string) (kim.Span, bool) { s, ok := a.values[name].(kim.Span); return s, ok }

// Scores returns the field=score pairs.
func (a *Args) Scores() map[kim.LifeField]int {
	m, _ := a.values["scores"].(map[kim.LifeField]int)
	return m
}

// word is an Or word given instead of a value.
type word string

// caseQuery is a pseudonym, or a case's number without its year (2 for
// K-2026-0002), typed where a case reference goes; the runner replaces it
// with the reference of the one case it names (Runner.findCases) before the
// verb runs. Args.Str never returns it.
type caseQuery string

// MaxPseudonym is the longest pseudonym /kim neu takes.
const MaxPseudonym = 40

// TimeOfDay is a Clock value.
type TimeOfDay struct{ H, M int }

// String returns HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.H, t.M) }

// token is one word of the command line; quoted words are never options.
type token struct {
	text   string
	quoted bool
}

var quotePairs = map[rune]rune{'"': '"', '„': '“', '“': '”', '»': '«', '«': '»'}

// tokenize splits the line at spaces, keeping quoted parts together.
func tokenize(line string) ([]token, error) {
	var out []token
	var cur strings.Builder
	in, quoted, started := rune(0), false, false
	flush := func() {
		if started {
			out = append(out, token{cur.String(), quoted})
		}
		cur.Reset()
		quoted, started = false, false
	}
	for _, r := range line {
		switch {
		case in != 0:
			if r == in {
				in = 0
			} else {
				cur.WriteRune(r)
			}
		case quotePairs[r] != 0:
			in, quoted, started = quotePairs[r], true, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0':
			flush()
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	if in != 0 {
		return nil, usageErr("err.unclosed_quote", nil, nil)
	}
	flush()
	return out, nil
}

var optionRE = regexp.MustCompile(`^(\pL[\pL-]*)=(.*)$`)

// Parse turns the text after /kim into a verb and typed arguments. Errors are
// application errors that name what was wrong and carry the verb's usage.
// Relative dates (heute, gestern) are read against today in Europe/Berlin.
func Parse(text string) (*Args, error) {
	return parse(text, true, kim.DateOf(time.Now().In(kim.Berlin)))
}

// parse is Parse; dialogs says whether a bare form that opens a dialog may
// be chosen (a slash command has a trigger id, a dialog's submission not);
// today is the caller's day, which relative dates count from.
func parse(text string, dialogs bool, today kim.Date) (*Args, error) {
	if !utf8.ValidString(text) {
		return nil, usageErr("err.bad_encoding", nil, nil)
	}
	text = norm.NFC.String(text)
	if n := utf8.RuneCountInString(text); n > MaxInputSize {
		return nil, usageErr("err.input_too_long", nil, map[string]any{"Max": MaxInputSize, "Len": n})
	}
	a, err := parseLine(text, dialogs, today)
	if e, ok := err.(*kim.Error); err != nil && (!ok || e.Key != "err.control_char") {
		// A control character outside a text (in a verb, a reference, a
		// choice) is answered as such, not as the value it spoiled.
		if c, ok := kim.ControlChar(text, true); ok {
			return nil, usageErr("err.control_char_line", nil, map[string]any{"Char": kim.CharName(c)})
		}
	}
	return a, err
}

// helpAsked returns the help line for a verb asked about as people ask
// (kontakt?, kontakt hilfe, wie geht kontakt); nil otherwise.
func helpAsked(toks []token) []token {
	if slices.ContainsFunc(toks, func(t token) bool { return t.quoted }) {
		return nil
	}
	help := []token{{text: kimVerbs.sub("help").word("de")}}
	verb := func(w string) bool { v := kimVerbs.sub(w); return v != nil && v.Name != "help" }
	switch w := kim.Fold(toks[len(toks)-1].text); {
	case len(toks) == 1 && strings.HasSuffix(w, "?") && verb(strings.TrimRight(w, "?")): // kontakt?
		return append(help, token{text: strings.TrimRight(toks[0].text, "?")})
	case len(toks) == 2 && (w == "hilfe" || w == "help" || w == "?") && verb(toks[0].text): // kontakt hilfe
		return append(help, toks[0])
	case len(toks) == 3 && kim.Fold(toks[0].text) == "wie" && slices.Contains([]string{"geht", "funktioniert"}, kim.Fold(toks[1].text)) &&
		verb(strings.TrimRight(w, "?")): // wie geht kontakt?
		return append(help, token{text: strings.TrimRight(toks[2].text, "?")})
	}
	return nil
}

// spokenLines are whole lines said as a question or a sentence (folded,
// without a question mark) and the line they mean.
var spokenLines = map[string]string{
	"ich bin wieder da": "abwesend zurück", "bin wieder da": "abwesend zurück", "wieder da": "abwesend zurück",
	"was ist faellig": "heute", "was ist heute faellig": "heute", "was steht an": "heute", "was steht heute an": "heute",
	"was liegt an": "heute", "was liegt heute an": "heute",
	"termine heute": "heute", "faellige termine": "heute", "meine termine": "heute", "termine": "heute",
	"i'm back": "away back", "i am back": "away back", "im back": "away back",
	"what's due": "today", "whats due": "today", "what is due": "today", "what's due today": "today", "what is due today": "today",
}

// spokenLine returns the line a whole line of spokenLines means; nil
// otherwise. No such line has more than four words, so a longer one is not
// folded (every command passes here).
func spokenLine(toks []token) []token {
	if len(toks) > 4 || slices.ContainsFunc(toks, func(t token) bool { return t.quoted }) {
		return nil
	}
	line, ok := spokenLines[strings.TrimRight(kim.Fold(joinTexts(toks)), "?! ")]
	if !ok {
		return nil
	}
	var out []token
	for _, w := range strings.Fields(line) {
		out = append(out, token{text: w})
	}
	return out
}

// caseAdjectives are the words before „Fälle“ that name a filter of the
// case list (offene Fälle, meine abgeschlossenen Fälle): its German word.
var caseAdjectives = map[string]string{"offene": "offen", "offenen": "offen", "abgeschlossene": "abgeschlossen",
	"abgeschlossenen": "abgeschlossen", "geschlossene": "abgeschlossen", "geschlossenen": "abgeschlossen",
	"faellige": "faellig", "faelligen": "faellig", "ueberfaellige": "faellig", "ueberfaelligen": "faellig", "alle": "alle",
	"open": "open", "closed": "closed", "due": "due", "all": "all"}

// spokenVerb reads a verb said in two words as the verb: „meine fälle“ as
// „fälle“, „wieder öffnen“ or „wieder aufnehmen“ as „wiederaufnehmen“; after
// the verb „fallen lassen“ as „fallenlassen“ (ziel fallen lassen) and
// „wieder öffnen“ as „wiedereröffnen“ (ziel wieder öffnen); and the lines of
// spokenLines: „(ich bin) wieder da“ ends the caller's current absence
// (abwesend zurück), „was steht heute an?“ is heute.
func spokenVerb(toks []token) []token {
	if line := spokenLine(toks); line != nil {
		return line
	}
	if line := helpAsked(toks); line != nil {
		return line
	}
	if len(toks) < 2 || toks[0].quoted || toks[1].quoted {
		return toks
	}
	reopen := []string{"oeffnen", "eroeffnen", "aufnehmen", "aufmachen"}
	if rest := toks; len(rest) >= 2 { // (meine) offenen Fälle: fälle offen
		if w := kim.Fold(rest[0].text); (w == "meine" || w == "my") && len(rest) >= 3 {
			rest = rest[1:]
		}
		if filter, ok := caseAdjectives[kim.Fold(rest[0].text)]; ok && !rest[1].quoted && kimVerbs.sub(rest[1].text) == kimVerbs.sub("cases") {
			return append([]token{rest[1], {text: filter}}, rest[2:]...)
		}
	}
	switch first, second := kim.Fold(toks[0].text), kim.Fold(toks[1].text); {
	case (first == "meine" || first == "mein" || first == "my") && kimVerbs.sub(toks[1].text) != nil:
		return toks[1:]
	case first == "wieder" && slices.Contains(reopen, second):
		return append([]token{{text: "wiederaufnehmen"}}, toks[2:]...)
	case slices.Contains([]string{"neuer", "neuen", "new"}, first) && (second == "fall" || second == "case"): // neuer Fall AB …
		rest := toks[2:]
		if len(rest) > 0 && !rest[0].quoted && slices.Contains([]string{"anlegen", "eroeffnen", "aufnehmen"}, kim.Fold(rest[0].text)) {
			rest = rest[1:] // neuen Fall anlegen AB …
		}
		return append([]token{{text: kimVerbs.sub("open").word(map[bool]string{true: "en", false: "de"}[first == "new"])}}, rest...)
	case first == "fall" && slices.Contains([]string{"anlegen", "eroeffnen", "aufnehmen"}, second): // Fall anlegen AB …
		return append([]token{{text: kimVerbs.sub("open").word("de")}}, toks[2:]...)
	case len(toks) > 2 && !toks[2].quoted && kimVerbs.sub(toks[0].text) != nil:
		switch third := kim.Fold(toks[2].text); {
		case second == "fallen" && third == "lassen":
			return slices.Concat(toks[:1], []token{{text: "fallenlassen"}}, toks[3:])
		case second == "wieder" && slices.Contains(reopen, third):
			return slices.Concat(toks[:1], []token{{text: "wiedereroeffnen"}}, toks[3:])
		}
	}
	return toks
}

// parseLine parses a valid, composed line of at most MaxInputSize characters.
func parseLine(text string, dialogs bool, today kim.Date) (*Args, error) {
	toks, err := tokenize(text)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return &Args{Verb: kimVerbs.sub("help"), values: map[string]any{}}, nil
	}
	toks = spokenVerb(toks)
	a, err := descend(toks, dialogs, today)
	// hindernis AB 1 bestätigen, tagesordnung M-1 2 ändern Neuer Text parse
	// (the number as the partner or the start of the item's text, the
	// sub-verb in the text), but mean the sub-verb.
	top := kimVerbs.sub(toks[0].text)
	numberThenSub := len(toks) >= 4 && numberRE.MatchString(toks[2].text) && !toks[3].quoted && !toks[0].quoted &&
		top != nil && top.sub(toks[3].text) != nil
	if err != nil && top == nil && !toks[0].quoted {
		if line := kindAsVerb(toks, today); line != nil { // anruf AB Rückruf …: a contact
			return nil, meantErr(line)
		}
		if noteVerbs[kim.Fold(toks[0].text)] {
			return nil, usageErr("err.note_verb", kimVerbs.sub("contact"), nil)
		}
		if undoWords[kim.Fold(toks[0].text)] { // rückgängig: how a record is corrected
			return nil, usageErr("err.undo", nil, nil)
		}
		if line := renameMeant(toks, today); line != nil { // umbenennen AB in CD
			return nil, meantErr(line)
		}
		if line := verbLeftOut(toks, today); line != nil { // rolle @ben coach: admin rolle …
			return nil, meantErr(line)
		}
		if path, ok := pluralWords[kim.Fold(toks[0].text)]; ok { // ziele AB: the card shows them
			lang := "de"
			if slices.Contains([]string{"goals", "referrals", "barriers", "absences"}, kim.Fold(toks[0].text)) {
				lang = "en"
			}
			var line []token
			for v, i := kimVerbs, 0; i < len(path); i++ {
				v = v.sub(path[i])
				line = append(line, token{text: v.word(lang)})
			}
			line = append(line, toks[1:]...)
			if _, e := descend(line, false, today); e == nil {
				return nil, meantErr(line)
			}
		}
	}
	if err != nil && top == kimVerbs.sub("consent") {
		if line := grantMeant(toks, today); line != nil { // einwilligung AB jobcenter mündlich
			return nil, meantErr(line)
		}
	}
	if err != nil && top == kimVerbs.sub("step") {
		if line := checklistMeant(toks, today); line != nil { // schritt AB: no number
			return nil, meantErr(line)
		}
	}
	if err != nil || numberThenSub {
		if line := otherVerb(toks, today); line != nil {
			return nil, meantErr(line)
		}
	}
	if err != nil && !toks[0].quoted {
		if line := slipMeant(toks, today); line != nil { // kontak AB telefon …
			return nil, meantErr(line)
		}
		if line := choiceSlip(toks, err, today); line != nil { // kontakt AB telfon …
			return nil, meantErr(line)
		}
	}
	if numberThenSub && len(toks) == 4 { // tagesordnung M-1 2 ändern: what the sub-verb still needs
		if _, e := descend([]token{toks[0], toks[3], toks[1], toks[2]}, false, today); e != nil {
			return nil, e
		}
	}
	return a, err
}

// meantErr answers a line refused with the line meant (err.other_verb):
// answered, never run.
func meantErr(line []token) error { return usageErr("err.other_verb", nil, meantArgs(line)) }

// meantArgs are the message arguments of a line an answer suggests: Line as
// shown, and Run, the line its button runs (Service.fail) — only when the
// answer shows it whole, and never a line that confirms: a step that asks
// first is asked first.
func meantArgs(line []token) map[string]any {
	typed := quoteTexts(line)
	shown := render.Clip(typed, 80)
	args := map[string]any{"Line": "/kim " + shown}
	if a, err := descend(line, false, kim.Date{}); shown == typed && (err != nil || !a.Has("confirm")) {
		args["Run"] = typed
	}
	return args
}

// slipOf returns the one of words that word is a slip of: a word of six
// letters or more without digits (SGB9 is a book of its own, not a slip of
// SGB2), within one typing error per four letters; "" when none is.
func slipOf(word string, words []string) string {
	w := kim.Fold(word)
	best, bestD := "", 0
	for _, c := range words {
		n := utf8.RuneCountInString(c)
		if n < 6 || strings.ContainsFunc(c, unicode.IsDigit) {
			continue
		}
		if d := editDistance(w, kim.Fold(c)); d > 0 && d <= n/4 && (best == "" || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// typedIn is the language a verb was typed in: English when its name was
// typed, German otherwise; suggested lines name their verbs so.
func typedIn(word string, v *Verb) string {
	if strings.EqualFold(word, v.Name) {
		return "en"
	}
	return "de"
}

// checklistMeant returns the checklist's line (schritte AB) for a step typed
// with its case and nothing after it (schritt AB): the steps the coach may
// be after; nil otherwise.
func checklistMeant(toks []token, today kim.Date) []token {
	if len(toks) < 2 || initialWords(toks[2:]) != len(toks)-2 {
		return nil
	}
	line := append([]token{{text: kimVerbs.sub("steps").word(typedIn(toks[0].text, kimVerbs.sub("step")))}}, toks[1:]...)
	return parses(line, today)
}

// pluralWords are plurals typed as if they were verbs, and the verb meant:
// what the case card shows (ziele AB, verweise AB), a case's barriers, the
// caller's absences.
var pluralWords = map[string][]string{"ziele": {"show"}, "verweise": {"show"}, "termine": {"show"}, "einschaetzungen": {"show"},
	"einwilligungen": {"show"}, "akte": {"show"}, "fallakte": {"show"}, "goals": {"show"}, "referrals": {"show"},
	"hindernisse": {"barrier", "list"}, "strukturhinweise": {"barrier", "list"}, "barriers": {"barrier", "list"},
	"abwesenheiten": {"away"}, "absences": {"away"}}

// grantMeant returns the consent line with its action, „erteilen“, when it
// was left out (einwilligung AB jobcenter mündlich) and the line then
// parses; nil otherwise. A consent is recorded only as typed, so this is
// answered, never run.
func grantMeant(toks []token, today kim.Date) []token {
	consent := kimVerbs.sub("consent")
	if len(toks) < 3 {
		return nil
	}
	i := 2 // after the case: a reference, or a pseudonym and its initials
	if _, ref := kim.ParseCaseRef(toks[1].text); !ref && !toks[1].quoted {
		i += initialWords(toks[2:])
	}
	if len(toks) <= i {
		return nil
	}
	if _, ok := consent.Params[1].lookup(toks[i].text); ok {
		return nil
	}
	grant := consent.Params[1].show("grant", typedIn(toks[0].text, consent))
	line := slices.Concat(toks[:i], []token{{text: grant}}, toks[i:])
	return parses(line, today)
}

// undoWords are words for taking back the last command, which kimbot does
// not do as such: the answer says how each record is corrected or deleted.
var undoWords = map[string]bool{"rueckgaengig": true, "undo": true, "zuruecknehmen": true, "zuruecksetzen": true}

// verbLeftOut returns the line with „admin“ in front when the first word,
// no verb, is one of admin's sub-verbs and the line parses so (rolle @ben
// coach, protokoll K-…, partner neu …); nil otherwise. Only admin's: a
// sub-verb of the casework (erledigt AB 1) could be a goal's or a step's.
// It is answered, never run.
func verbLeftOut(toks []token, today kim.Date) []token {
	admin := kimVerbs.sub("admin")
	s := admin.sub(toks[0].text)
	if s == nil {
		return nil
	}
	line := append([]token{{text: admin.word(typedIn(toks[0].text, s))}}, toks...)
	return parses(line, today)
}

// renameMeant returns the correction of a case's pseudonym typed as a
// verb of its own (umbenennen AB CD, umbenennen AB in CD, pseudonym ändern
// AB CD): fall ändern AB pseudonym=CD; nil when it is not that or does not
// parse. It is answered, never run.
func renameMeant(toks []token, today kim.Date) []token {
	rest := toks[1:]
	switch w := kim.Fold(toks[0].text); {
	case w == "umbenennen" || w == "rename":
	case w == "pseudonym" && len(rest) > 0 && kimVerbs.sub("case").sub(rest[0].text) != nil:
		rest = rest[1:]
	default:
		return nil
	}
	i := 1 // after the case: a reference, or a pseudonym and its initials
	if len(rest) > 0 && !rest[0].quoted {
		if _, ref := kim.ParseCaseRef(rest[0].text); !ref {
			i += initialWords(rest[1:])
		}
	}
	if len(rest) <= i {
		return nil
	}
	name := rest[i:]
	if len(name) > 1 && !name[0].quoted && slices.Contains([]string{"in", "zu", "to"}, kim.Fold(name[0].text)) {
		name = name[1:]
	}
	fall, lang := kimVerbs.sub("case"), "de"
	if kim.Fold(toks[0].text) == "rename" {
		lang = "en"
	}
	line := slices.Concat([]token{{text: fall.word(lang)}, {text: fall.sub("edit").word(lang)}}, rest[:i],
		[]token{{text: "pseudonym=" + joinTexts(name), quoted: len(name) > 1 || name[0].quoted}})
	return parses(line, today)
}

// noteVerbs are words a coach may begin a note with as if it were a verb:
// kimbot keeps notes with contacts.
var noteVerbs = map[string]bool{"notiz": true, "vermerk": true, "note": true, "notizen": true, "aktennotiz": true}

// kindAsVerb returns the contact meant when the first word, no verb, is a
// kind of contact (anruf AB Rückruf wegen Termin: kontakt AB anruf …), the
// kind after the case; nil when no such line parses. It is answered, never
// run.
func kindAsVerb(toks []token, today kim.Date) []token {
	contact := kimVerbs.sub("contact")
	kind, ok := contact.Params[1].lookup(toks[0].text)
	if !ok || len(toks) < 3 {
		return nil
	}
	verb := contact.word("de")
	if w := kim.Fold(toks[0].text); w == kind && !slices.Contains(kindDe, w) { // phone, home-visit: the English key
		verb = contact.Name
	}
	i := 2 // after the case: a reference, or a pseudonym and its initials (S. T.)
	if _, ref := kim.ParseCaseRef(toks[1].text); !ref && !toks[1].quoted {
		i += initialWords(toks[2:])
	}
	if i >= len(toks) {
		return nil
	}
	line := slices.Concat([]token{{text: verb}}, toks[1:i], toks[:1], toks[i:])
	return parses(line, today)
}

// otherVerb returns the line meant when toks, refused, name a verb and then
// another that takes the rest: typed before it (rechtskreis schritt AB 1
// erledigt, fall zeige AB) or after the case (rechtskreis AB schritt 1
// erledigt), or the verb's sub-verb typed after the case or the number
// (ziel AB 1 erreicht); nil when there is none. It is answered, never run.
func otherVerb(toks []token, today kim.Date) []token {
	top := kimVerbs.sub(toks[0].text)
	if top == nil {
		return nil
	}
	other := func(t token) bool {
		o := kimVerbs.sub(t.text)
		return !t.quoted && o != nil && o != top && o.Name != "help"
	}
	var tries [][]token
	if len(toks) > 2 && other(toks[1]) {
		tries = append(tries, toks[1:])
	}
	// A sub-verb of another verb typed after this one (tagesordnung zeige M-1
	// is treffen zeige M-1), named as the verb typed was: German or English.
	// Not a sub-verb about a case: schritt erledigt AB 1 is no goal's.
	if len(toks) > 2 && !toks[1].quoted && top.sub(toks[1].text) == nil {
		lang := typedIn(toks[0].text, top)
		for _, v := range kimVerbs.Subs {
			if s := v.sub(toks[1].text); v != top && s != nil && (len(s.Params) == 0 || s.Params[0].Kind != CaseRef) {
				tries = append(tries, append([]token{{text: v.word(lang)}}, toks[1:]...))
			}
		}
	}
	if len(toks) > 3 && other(toks[2]) {
		tries = append(tries, append([]token{toks[2], toks[1]}, toks[3:]...))
	}
	// The sub-verb after the case or the number (ziel AB 1 erreicht,
	// kontakt AB 2 löschen): the line with it in its place.
	for j := 2; j < len(toks) && j <= 3 && len(top.Subs) > 0; j++ {
		if toks[j].quoted || top.sub(toks[j].text) == nil {
			continue
		}
		line := append([]token{toks[0], toks[j]}, toks[1:j]...)
		tries = append(tries, append(line, toks[j+1:]...))
	}
	// A word of the line typed before the case (einwilligung widerrufen AB
	// jobcenter, schritt erledigt AB 1): after the case, or at the end.
	if len(toks) > 3 && top.sub(toks[1].text) == nil && !toks[1].quoted && !toks[2].quoted && top.choiceWord(toks[1].text) {
		tries = append(tries, slices.Concat(toks[:1], toks[2:3], toks[1:2], toks[3:]),
			slices.Concat(toks[:1], toks[2:], toks[1:2]))
	}
	for _, line := range tries {
		if a, err := descend(line, false, today); err == nil && !meetingAsCase(a) {
			return line
		}
	}
	return nil
}

// choiceWord reports whether word is a value of one of v's choices after
// its first parameter (widerrufen, erledigt): a word that may have been
// typed before the case.
func (v *Verb) choiceWord(word string) bool {
	for i, p := range v.Params {
		if _, ok := p.lookup(word); i > 0 && p.Kind == Choice && ok {
			return true
		}
	}
	return false
}

// meetingAsCase reports whether a parse took a meeting's or a task's
// reference (M-1, A-2) for a case's pseudonym: no line to suggest.
func meetingAsCase(a *Args) bool {
	q, ok := a.values["case"].(caseQuery)
	u := kim.Undecorated(string(q))
	return ok && (meetingRE.MatchString(u) || actionRE.MatchString(u))
}

// meetingTyped returns the meeting reference a parse took for a case's
// pseudonym (zeige M-1), in capitals; false when there is none.
func meetingTyped(a *Args) (string, bool) {
	q, ok := a.values["case"].(caseQuery)
	m := meetingRE.FindStringSubmatch(kim.Undecorated(string(q)))
	if !ok || m == nil {
		return "", false
	}
	n, _ := strconv.Atoi(m[1])
	return "M-" + strconv.Itoa(n), true
}

var numberRE = regexp.MustCompile(`^\d{1,4}$`)

// quoteTexts returns the tokens as they would be typed: quoted ones in quotes.
func quoteTexts(toks []token) string {
	words := make([]string, len(toks))
	for i, t := range toks {
		switch m := optionRE.FindStringSubmatch(t.text); {
		case !t.quoted:
			words[i] = t.text
		case m != nil:
			words[i] = m[1] + `="` + m[2] + `"`
		default:
			words[i] = `"` + t.text + `"`
		}
	}
	return strings.Join(words, " ")
}

// descend finds the verb of toks, the first word a verb of /kim, and parses
// its arguments.
func descend(toks []token, dialogs bool, today kim.Date) (*Args, error) {
	v := kimVerbs
	for len(v.Subs) > 0 {
		var s *Verb
		if len(toks) > 0 && !toks[0].quoted {
			s = v.sub(toks[0].text)
		}
		if s != nil {
			v, toks = s, toks[1:]
			continue
		}
		if d := v.defaultFor(toks, today); d != nil {
			v = d
			continue
		}
		if len(toks) > 1 && isFiller(toks[0]) {
			if d := v.defaultFor(toks[1:], today); d != nil { // treffen am 18.12. …
				v, toks = d, toks[1:]
				continue
			}
		}
		if len(toks) == 0 && v.Alone != "" {
			v = v.sub(v.Alone)
			continue
		}
		switch {
		case v == kimVerbs:
			return nil, usageErr("err.unknown_verb", nil, map[string]any{"Verb": render.Clip(toks[0].text, 30), "Near": v.near(toks[0].text)})
		case v.Run != nil:
		case len(toks) == 0:
			return nil, usageErr("err.missing_sub", v, nil)
		default:
			err := usageErr("err.unknown_sub", v, map[string]any{"Sub": render.Clip(toks[0].text, 30), "Near": v.near(toks[0].text)})
			return nil, v.maybeCase(toks, err, today)
		}
		break
	}
	return v.parseArgs(toks, dialogs, today)
}

// near returns the sub-verb of v that word is a slip of — its name, German
// alias or another word of it within one typing error per four letters (kontak, zeig,
// einschätzng) — as the reader of the answer types it; "" when none is.
func (v *Verb) near(word string) local {
	best, _ := v.nearest(word)
	return func(lang string) string {
		if best == nil {
			return ""
		}
		return best.PathIn(lang)
	}
}

// nearest returns the sub-verb of v that word is a slip of, and the name
// of it that word is nearest to; nil when there is none.
func (v *Verb) nearest(word string) (*Verb, string) {
	w := kim.Fold(word)
	var best *Verb
	var bestName string
	bestD := 0
	subs := v.Subs
	if utf8.RuneCountInString(w) > 30 {
		subs = nil // no verb is that long
	}
	for _, s := range subs {
		for _, name := range append([]string{s.Name, s.Alias}, s.Also...) {
			if name == "" {
				continue
			}
			d := editDistance(w, name)
			if d <= max(1, len([]rune(name))/4) && (best == nil || d < bestD) {
				best, bestName, bestD = s, name, d
			}
		}
	}
	return best, bestName
}

// slipMeant returns the line with its slip of a verb or a sub-verb
// corrected (kontak AB telefon …, ziel erledgt AB 1) when the line then
// parses; nil otherwise. It is answered, never run (a button may run it).
func slipMeant(toks []token, today kim.Date) []token {
	fix := func(v *Verb, i int) []token {
		if i >= len(toks) || toks[i].quoted || v.sub(toks[i].text) != nil {
			return nil
		}
		s, name := v.nearest(toks[i].text)
		if s == nil {
			return nil
		}
		line := slices.Concat(toks[:i], []token{{text: german(name)}}, toks[i+1:])
		return parses(line, today)
	}
	if top := kimVerbs.sub(toks[0].text); top == nil {
		return fix(kimVerbs, 0)
	} else if len(top.Subs) > 0 {
		return fix(top, 1)
	}
	return nil
}

// choiceSlip returns the line with the value a choice refused (err.bad_choice)
// replaced by the one word of a choice of the line's verb it is a slip of
// (kontakt AB telfon …: Telefon), when the line then parses; nil otherwise.
// It is answered, never run (a button may run it).
func choiceSlip(toks []token, err error, today kim.Date) []token {
	var e *kim.Error
	if !errors.As(err, &e) || e.Key != "err.bad_choice" {
		return nil
	}
	value, _ := e.Args["Value"].(string)
	top := kimVerbs.sub(toks[0].text)
	if top == nil || value == "" {
		return nil
	}
	// the value alone (telfon), or an option's (gruppe=gefluchtete)
	i := slices.IndexFunc(toks[1:], func(t token) bool { return !t.quoted && (t.text == value || strings.HasSuffix(t.text, "="+value)) })
	if i < 0 {
		return nil
	}
	i++
	prefix := strings.TrimSuffix(toks[i].text, value)
	var words []string
	walk(top, func(v *Verb) {
		for _, p := range slices.Concat(v.Params, v.Options) {
			if p.Kind == Choice {
				for _, c := range p.Choices {
					words = append(words, p.show(c, "de"), c)
				}
			}
		}
	})
	best := slipOf(value, words)
	if best == "" || strings.Contains(best, " ") {
		return nil
	}
	return parses(slices.Concat(toks[:i], []token{{text: prefix + best}}, toks[i+1:]), today)
}

// parses returns line when it parses, nil otherwise.
func parses(line []token, today kim.Date) []token {
	if _, err := descend(line, false, today); err != nil {
		return nil
	}
	return line
}

// partnerMeant adds to a partner not found in the directory (partner.unknown)
// the line with the known key the typed word is a slip of (jobcenetr:
// jobcenter; slipOf), when the line then parses; other errors stay as they
// are. It is answered, never run (a button may run it).
func (r *Runner) partnerMeant(err error) error {
	var e *kim.Error
	if r == nil || !errors.As(err, &e) || e.Key != "partner.unknown" {
		return err
	}
	typed, _ := e.Args["Key"].(string)
	keys, _ := e.Args["Keys"].(string)
	near := slipOf(typed, strings.Split(keys, ", "))
	toks, terr := tokenize(r.req.Text)
	if near == "" || terr != nil {
		return err
	}
	i := slices.IndexFunc(toks, func(t token) bool { return !t.quoted && kim.Fold(t.text) == kim.Fold(typed) })
	if i < 1 {
		return err
	}
	line := parses(slices.Concat(toks[:i], []token{{text: near}}, toks[i+1:]), r.Today)
	if line == nil {
		return err
	}
	args := maps.Clone(e.Args)
	maps.Copy(args, meantArgs(line))
	return &kim.Error{Code: e.Code, Key: e.Key, Args: args, Err: e.Err}
}

// editDistance is the edit distance of a and b in runes, a swap of two
// neighbours counting as one edit (shwo for show): optimal string alignment.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// defaultFor returns the first of v's default sub-verbs whose first
// parameter takes the first of toks; nil when none does. A pseudonym in a
// reference's place (`/kim ziel AB Sprache …`) stands for the sub-verb only
// when it is no slip of one of v's sub-verbs and the whole line parses so:
// `/kim ziel erreich AB 1` is answered as a mistyped sub-verb.
func (v *Verb) defaultFor(toks []token, today kim.Date) *Verb {
	if len(toks) == 0 {
		return nil
	}
	for _, name := range v.Defaults {
		d := v.sub(name)
		if d == nil || len(d.Params) == 0 {
			continue
		}
		if _, ok := kim.ParseCaseRef(toks[0].text); d.Params[0].Kind == CaseRef && !ok {
			if v.near(toks[0].text)("de") != "" || kimVerbs.sub(toks[0].text) != nil {
				continue // a slip of a sub-verb, or another verb (fall zeige AB)
			}
			if _, err := d.parseArgs(toks, false, today); err != nil {
				continue
			}
			return d
		}
		if toks[0].quoted {
			continue
		}
		if _, err := convert(d.Params[0], toks[0].text, d, today); err == nil {
			return d
		}
	}
	return nil
}

// bareDayAndTime reads the words left after the parameters (treffen
// verschieben M-1 17.12. 15 Uhr, einwilligung AB erteilen jobcenter 20.11.)
// as the values of v's one date option and its one time option not given
// yet, when v has no text the words could belong to and they are all such
// values; it returns nil and true then, the words as they are and false
// otherwise.
func (v *Verb) bareDayAndTime(a *Args, positional []token, today kim.Date) ([]token, bool) {
	if len(positional) == 0 || v.takesText() || slices.ContainsFunc(positional, func(t token) bool { return t.quoted }) {
		return positional, false
	}
	only := func(k Kind) *Param {
		var found *Param
		for i := range v.Options {
			if o := &v.Options[i]; o.Kind == k {
				if found != nil {
					return nil
				}
				found = o
			}
		}
		if found == nil || a.Has(found.Name) {
			return nil
		}
		return found
	}
	values := map[string]any{}
	rest := positional
	for _, o := range []*Param{only(Date), only(Clock)} {
		for w := min(3, len(rest)); o != nil && w >= 1; w-- {
			if x, err := convert(*o, joinTexts(rest[:w]), v, today); err == nil {
				values[o.Name], rest = x, rest[w:]
				break
			}
		}
	}
	if len(rest) > 0 {
		return positional, false
	}
	maps.Copy(a.values, values)
	return nil, true
}

// userOption returns v's one option that names a person, not given yet,
// when v has no other place for an @name (a positional person or a text);
// nil otherwise.
func (v *Verb) userOption(a *Args) *Param {
	for _, p := range v.Params {
		if p.Kind == User || p.Kind == Text {
			return nil
		}
	}
	var found *Param
	for i := range v.Options {
		if o := &v.Options[i]; o.Kind == User {
			if found != nil || a.Has(o.Name) {
				return nil
			}
			found = o
		}
	}
	return found
}

// bareNamed returns the option not given yet that is only ever named
// (Param.Named: the consent of /kim neu) of which raw is a value; nil when
// there is none.
func (v *Verb) bareNamed(a *Args, raw string) *Param {
	for i := range v.Options {
		o := &v.Options[i]
		if o.Named && !a.Has(o.Name) {
			if _, ok := o.lookup(raw); ok {
				return o
			}
		}
	}
	return nil
}

// subOrCase is the refusal of a word that is no sub-verb (unknown) and may
// be the pseudonym of one of the caller's cases: then the line meant the
// verb's default sub-verb (ziel AB Kita-Platz finden is ziel neu) and
// asCase says what is wrong with it. Only the store knows; the Runner
// decides (Runner.caseOrSub).
type subOrCase struct {
	unknown error
	word    string
	asCase  error
}

func (e *subOrCase) Error() string { return e.unknown.Error() }
func (e *subOrCase) Unwrap() error { return e.unknown }

// maybeCase returns unknown, or a subOrCase when toks could name a case by
// its pseudonym for one of v's default sub-verbs, whose refusal of the line
// it keeps.
func (v *Verb) maybeCase(toks []token, unknown error, today kim.Date) error {
	if v.near(toks[0].text)("de") != "" {
		return unknown
	}
	if _, ref := kim.ParseCaseRef(toks[0].text); ref {
		return unknown
	}
	for _, name := range v.Defaults {
		if d := v.sub(name); d != nil && len(d.Params) > 0 && d.Params[0].Kind == CaseRef {
			if _, err := d.parseArgs(toks, false, today); err != nil {
				word := toks[0].text
				if k := initialWords(toks[1:]); !toks[0].quoted && k > 0 { // ziel Frau S. …
					word = joinTexts(toks[:k+1])
				}
				return &subOrCase{unknown: unknown, word: word, asCase: err}
			}
		}
	}
	return unknown
}

// trailingOptions turns options typed at the end of the line without their
// "=" (seit 01.11.2026, faellig 30.6.27, minuten 20, nach partner,
// rechtskreis SGB II, bis Ende Januar 2027) into name=value tokens
// (optionValue). Only the end of the line is read so, and the words before
// a text (leadingOptions), never a word inside a text ("seit 2 Wochen
// krank" stays a note).
func (v *Verb) trailingOptions(toks []token, today kim.Date) []token {
	var opts []token
	for {
		n, taken := len(toks), false
		for w := 1; w <= 3 && w < n; w++ {
			if opt, ok := v.optionValue(toks[n-1-w], toks[n-w:], today); ok {
				opts, toks, taken = append(opts, opt), toks[:n-1-w], true
				break
			}
		}
		if !taken {
			return append(toks[:n:n], opts...)
		}
	}
}

// optionValue returns name=value when name names an option of v that
// takes a date, a number, a duration, a time of day or a choice, and vals
// are such a value: one word, two for a choice, a duration, a time or a date
// (SGB II, 2 Wochen, 10 Uhr, Ende Januar), three for a date (Ende Januar 2027, vor 3
// Tagen); every word unquoted and without "=".
func (v *Verb) optionValue(name token, vals []token, today kim.Date) (token, bool) {
	plain := func(t token) bool { return !t.quoted && !strings.Contains(t.text, "=") }
	if !plain(name) || !slices.ContainsFunc(vals, plain) || slices.ContainsFunc(vals, func(t token) bool { return !plain(t) }) {
		return token{}, false
	}
	o := v.option(kim.Fold(name.text))
	if o != nil && o.Kind == User && len(vals) == 2 && fillers[kim.Fold(vals[0].text)] == User { // vertretung durch @ben
		vals = vals[1:]
	}
	if o != nil && o.Kind == User && len(vals) == 1 && strings.HasPrefix(vals[0].text, "@") { // vertretung @ben
		return token{text: name.text + "=" + vals[0].text}, true
	}
	if o == nil || (o.Kind != Date && o.Kind != Int && o.Kind != Minutes && o.Kind != Duration && o.Kind != Clock && o.Kind != Choice) ||
		(len(vals) == 2 && o.Kind != Choice && o.Kind != Duration && o.Kind != Date && o.Kind != Minutes && o.Kind != Clock) || (len(vals) == 3 && o.Kind != Date) || len(vals) > 3 {
		return token{}, false
	}
	val := joinTexts(vals)
	if _, err := convert(*o, val, v, today); err != nil {
		return token{}, false
	}
	return token{text: name.text + "=" + val}, true
}

// leadingOptions takes the options typed without their "=" at the front of
// a text (kontakt … telefon datum gestern Rückruf; verweis … jobcenter
// nachfassen 2 Wochen Antrag), as optionValue reads them, the longest value
// first, unless given already; it returns the rest of the text.
func (v *Verb) leadingOptions(a *Args, positional []token, options *[]string, today kim.Date) []token {
	for {
		taken := false
		for w := min(3, len(positional)-1); w >= 1 && !taken; w-- {
			opt, ok := v.optionValue(positional[0], positional[1:1+w], today)
			if !ok {
				continue
			}
			m := optionRE.FindStringSubmatch(opt.text)
			o := v.option(kim.Fold(m[1]))
			if a.Has(o.Name) {
				return positional
			}
			a.values[o.Name], _ = convert(*o, m[2], v, today)
			*options = append(*options, opt.text)
			positional, taken = positional[1+w:], true
		}
		if !taken {
			return positional
		}
	}
}

// choiceOption returns the option of kind Choice, not given yet, that raw
// is a value of (mündlich for form=); nil when there is none. A word that
// no positional parameter takes at its place is read as such an option.
func (v *Verb) choiceOption(a *Args, raw string) *Param {
	for i := range v.Options {
		o := &v.Options[i]
		if o.Kind != Choice || o.Named || a.Has(o.Name) {
			continue
		}
		if _, ok := o.lookup(raw); ok {
			return o
		}
	}
	return nil
}

// takeOptionWords reads the words at the front of positional that are
// values of a choice option not given yet (choiceOption) as that option,
// until one that keep claims for the parameter at hand, and returns the
// rest; options gets the words as typed.
func (v *Verb) takeOptionWords(a *Args, positional []token, keep func(string) bool, options *[]string, today kim.Date) []token {
	for len(positional) > 0 && !positional[0].quoted && !keep(positional[0].text) {
		raw, n := positional[0].text, 1
		o := v.choiceOption(a, raw)
		if o == nil && len(positional) > 1 && !positional[1].quoted { // neu AB Geflüchtete SGB II …
			if raw2 := raw + " " + positional[1].text; v.choiceOption(a, raw2) != nil {
				o, raw, n = v.choiceOption(a, raw2), raw2, 2
			}
		}
		if o == nil {
			break
		}
		x, _ := convert(*o, raw, v, today)
		a.values[o.Name] = x
		*options = append(*options, raw)
		positional = positional[n:]
	}
	return positional
}

// parseArgs reads the parameters and options of v.
func (v *Verb) parseArgs(toks []token, dialogs bool, today kim.Date) (*Args, error) {
	a := &Args{Verb: v, values: map[string]any{}, typed: map[string]string{}}
	toks = v.trailingOptions(toks, today)
	var positional []token
	var options []string // as typed, for err.extra
	var scoresParam *Param
	for i := range v.Params {
		if v.Params[i].Kind == Scores {
			scoresParam = &v.Params[i]
		}
	}
	for ti := 0; ti < len(toks); ti++ {
		t := toks[ti]
		m := optionRE.FindStringSubmatch(t.text)
		if scoresParam != nil && !t.quoted && m == nil && ti+1 < len(toks) && !toks[ti+1].quoted {
			// Scores typed without "=": Sprache 2 Arbeit 1, or as a list:
			// Sprache: 2, Arbeit: 1.
			field, score := strings.TrimSuffix(t.text, ":"), strings.TrimRight(toks[ti+1].text, ",;")
			if _, ok := fieldParam.lookup(field); ok && scoreRE.MatchString(score) {
				if err := a.addScore(field, score, v); err != nil {
					return nil, err
				}
				options = append(options, field+"="+score)
				ti++
				continue
			}
		}
		if o := v.option(kim.Fold(strings.TrimSuffix(t.text, ":"))); !t.quoted && m == nil && o != nil && o.Kind == Text && !a.Has(o.Name) && !v.takesText() {
			// notiz Rücken, kann nicht heben; Bemerkung: Kurs läuft: a text
			// option typed without its "=" takes the words after it, up to
			// the next option.
			j := v.textEnd(toks, ti+1, scoresParam != nil)
			if j > ti+1 {
				x, err := convert(*o, joinTexts(toks[ti+1:j]), v, today)
				if err != nil {
					return nil, err
				}
				a.values[o.Name] = x
				options = append(options, t.text+"=")
				ti = j - 1
				continue
			}
		}
		if t.quoted && !strings.Contains(t.text, "=") || m == nil {
			positional = append(positional, t)
			continue
		}
		name, val := kim.Fold(m[1]), m[2] // option names are transcribed like verbs: Ersteinschätzung=
		if o := v.option(name); o != nil {
			if _, dup := a.values[o.Name]; dup {
				return nil, usageErr("err.duplicate_option", v, map[string]any{"Name": o.named(false)})
			}
			if ti+1 < len(toks) && joins(*o, val, toks[ti+1]) { // rechtskreis=SGB II, nachfassen=2 Wochen
				ti++
				val += " " + toks[ti].text
			}
			if o.Kind == Date { // fällig=Ende Januar 2027, datum=vor 3 Tagen
				for k := dateWords(val, toks[ti+1:]); k > 0; k-- {
					ti++
					val += " " + toks[ti].text
				}
			}
			if o.Kind == Text && !t.quoted && !v.takesText() { // notiz=erste Einschätzung, unquoted
				j := v.textEnd(toks, ti+1, scoresParam != nil)
				val = joinTexts(append([]token{{text: val}}, toks[ti+1:j]...))
				ti = j - 1
			}
			if o.Kind == Pseudonym && !t.quoted { // pseudonym=S. T., pseudonym=Frau K.
				for k := initialWords(toks[ti+1:]); k > 0; k-- {
					ti++
					val += " " + toks[ti].text
				}
			}
			x, err := convert(*o, val, v, today)
			if err != nil {
				return nil, err
			}
			a.values[o.Name] = x
			options = append(options, t.text)
			continue
		}
		if scoresParam != nil {
			if err := a.addScore(name, strings.TrimRight(val, ",;"), v); err != nil { // sprache=2, arbeit=1
				return nil, err
			}
			options = append(options, t.text)
			continue
		}
		if p := v.textParam(); p != nil && (name == p.Name || name == p.Alias || slices.Contains(p.Also, name)) && val != "" {
			// kontakt AB telefon notiz=Rückruf morgen: the note typed as
			// an option is the text
			positional = append(positional, token{text: val, quoted: t.quoted})
			continue
		}
		if t.quoted {
			positional = append(positional, t)
			continue
		}
		return nil, usageErr("err.unknown_option", v, map[string]any{"Name": render.Clip(m[1], 30)})
	}
	n := len(v.Params)
	if v.Bare != nil && (dialogs || !v.BareDialog) && len(positional) == v.BareArgs && len(options) == 0 {
		a.Bare, n = true, v.BareArgs
	}
	lastQuoted := false // the parameter before was typed in quotes
	for i, p := range v.Params[:n] {
		if p.Kind == Scores {
			if len(a.Scores()) == 0 && !p.Optional {
				return nil, usageErr("err.missing", v, map[string]any{"Shown": local(func(lang string) string { return "`" + strings.TrimSuffix(scoresPlaceholder(lang), " …") + "`" })})
			}
			continue
		}
		if p.Kind == Text { // datum gestern Rückruf …: options typed before the text
			positional = v.leadingOptions(a, positional, &options, today)
		}
		if len(positional) == 0 {
			if !p.Optional {
				return nil, usageErr("err.missing", v, map[string]any{"Name": p.named(false), "Shown": p.missing(false)})
			}
			continue
		}
		if p.Optional && p.Kind != Text { // einwilligung … jobcenter mündlich [bestaetigen]; bericht csv
			positional = v.takeOptionWords(a, positional, func(w string) bool { _, err := convert(p, w, v, today); return err == nil }, &options, today)
			if len(positional) == 0 {
				continue
			}
			if _, err := convert(p, positional[0].text, v, today); err != nil && p.Kind == Choice {
				if rest, ok := v.bareDayAndTime(a, positional, today); ok { // einwilligung … jobcenter 20.11.
					positional = rest
					continue
				}
			}
		}
		positional = fillerBefore(p, positional, v, today)
		if len(positional) > 1 && !positional[0].quoted && slices.Contains(p.Fillers, kim.Fold(positional[0].text)) {
			positional = positional[1:] // verweis AB an jobcenter …, einwilligung AB für jobcenter erteilt
		}
		if p.Kind == Date {
			positional = dateRange(v.Params[:n], i, positional)
		}
		if p.Kind == Choice && !p.Optional {
			positional = v.dayBefore(a, p, positional, &options, today)
		}
		if p.After {
			positional = valueAfter(p, positional, v, today)
		}
		raw, quoted := positional[0].text, positional[0].quoted
		_, ref := kim.ParseCaseRef(raw)
		if p.Kind == Text || (p.Kind == CaseRef && i == n-1 && !ref && !slices.ContainsFunc(positional, func(t token) bool { return t.quoted })) {
			// A text takes the rest of the line; so does the case as the
			// last parameter when its pseudonym is typed in words (zeige M. K.).
			raw, positional = joinTexts(positional), nil
		} else if k := v.caseInitials(i, positional, today); (p.Kind == CaseRef || p.Kind == Pseudonym) && !ref && !positional[0].quoted && k > 0 {
			// kontakt S. T. telefon …, neu Frau K. gruppe=…: a pseudonym of initials, unquoted.
			raw, positional = joinTexts(positional[:k+1]), positional[k+1:]
		} else if k := numberList(positional); p.Kind == Numbers && k > 1 { // 1, 3 und 5
			raw, positional = joinTexts(positional[:k]), positional[k:]
		} else if k := dateWords(raw, positional[1:]); p.Kind == Date && k > 0 { // Anfang Februar, in 2 Wochen
			raw, positional = joinTexts(positional[:k+1]), positional[k+1:]
		} else if len(positional) > 2 && p.Kind == Period && joins(p, raw+" "+positional[1].text, positional[2]) { // 3. Quartal 2026
			raw, positional = raw+" "+positional[1].text+" "+positional[2].text, positional[3:]
		} else if len(positional) > 1 && joins(p, raw, positional[1]) { // SGB II, nicht erschienen
			raw, positional = raw+" "+positional[1].text, positional[2:]
		} else if len(positional) > 2 && joins(p, raw+" "+positional[1].text, positional[2]) { // nicht mehr nötig
			raw, positional = raw+" "+positional[1].text+" "+positional[2].text, positional[3:]
		} else {
			positional = positional[1:]
		}
		x, err := convert(p, raw, v, today)
		if err != nil {
			if q, ok := a.values[v.Params[max(i-1, 0)].Name].(caseQuery); ok && i > 0 && !lastQuoted && (strings.HasSuffix(string(q), ".") || strings.HasSuffix(raw, ".")) {
				// termin M. K. monitoring …: the pseudonym's words taken apart.
				return nil, usageErr("err.pseudonym_words", v, map[string]any{"Words": render.Clip(string(q)+" "+raw, 50)})
			}
			return nil, err
		}
		a.values[p.Name], lastQuoted = x, quoted
		if p.Kind == Choice {
			a.typed[p.Name] = raw
		}
		a.QuotedText = a.QuotedText || p.Kind == Text && quoted
		if w, ok := x.(word); ok && p.Alone {
			// The word is the whole command: nothing may follow it.
			extra := options
			for _, t := range positional {
				extra = append(extra, t.text)
			}
			if len(extra) > 0 {
				return nil, &kim.Error{Code: kim.EINVALID, Key: "err.extra", Args: map[string]any{
					"Token": render.Clip(extra[0], 30), "Verb": v.path(),
					"Usage": local(func(lang string) string { return v.form(i, p.show(string(w), lang), false, lang) })}}
			}
			return a, nil
		}
	}
	positional = v.takeOptionWords(a, positional, func(string) bool { return false }, &options, today)
	if o := v.userOption(a); o != nil && len(positional) == 1 && !positional[0].quoted && strings.HasPrefix(positional[0].text, "@") {
		// abwesend 21.12. bis 8.1. @ben: the one person the verb asks for.
		x, err := convert(*o, positional[0].text, v, today)
		if err != nil {
			return nil, err
		}
		a.values[o.Name], positional = x, nil
	}
	if rest, ok := v.bareDayAndTime(a, positional, today); ok { // treffen verschieben M-1 17.12. 15 Uhr
		positional = rest
	}
	if len(positional) > 0 {
		if o := v.bareNamed(a, positional[0].text); o != nil { // neu AB Geflüchtete ja
			key, _ := o.lookup(positional[0].text)
			return nil, usageErr("err.named_only", v, map[string]any{"Token": render.Clip(positional[0].text, 30),
				"Named": local(func(lang string) string { return o.label(lang) + "=" + o.show(key, lang) })})
		}
		if q := a.Str("pseudonym"); len(v.Params) > 0 && v.Params[0].Kind == Pseudonym && q != "" && !lastQuoted && shortNameRE.MatchString(positional[0].text) {
			// neu Frau K gruppe=…: the pseudonym's words taken apart.
			return nil, usageErr("err.pseudonym_words", v, map[string]any{"Words": render.Clip(q+" "+joinTexts(positional), 50)})
		}
		return nil, usageErr("err.extra", v, map[string]any{"Token": render.Clip(positional[0].text, 30)})
	}
	if a.Bare {
		return a, nil
	}
	for _, o := range v.Options {
		if !o.Optional && !a.Has(o.Name) {
			return nil, usageErr("err.missing", v, map[string]any{"Name": o.named(true), "Shown": o.missing(true)})
		}
	}
	return a, nil
}

// valueAfter returns the positional tokens with p's value, typed after the
// next parameter's (jobcenter erteilt, jobcenter liegt vor, jobcenter
// mündlich erteilt), in its place (erteilt jobcenter); as they are when the
// first token is a value of p or none of the next three is.
func valueAfter(p Param, positional []token, v *Verb, today kim.Date) []token {
	fits := func(toks []token) bool {
		for _, t := range toks {
			if t.quoted {
				return false
			}
		}
		_, err := convert(p, joinTexts(toks), v, today)
		return err == nil
	}
	if len(positional) < 2 || fits(positional[:1]) || fits(positional[:2]) {
		return positional
	}
	// The value a word or two further on (jobcenter mündlich erteilt), of
	// two words first (liegt vor).
	for i := 1; i < len(positional) && i <= 3; i++ {
		for k := 2; k >= 1; k-- {
			if i+k <= len(positional) && fits(positional[i:i+k]) {
				return slices.Concat(positional[i:i+k], positional[:i], positional[i+k:])
			}
		}
	}
	return positional
}

// initialWords returns how many of the tokens, from the first, are
// initials (T., Ue., at most three letters and a full stop), at most three:
// the rest of a pseudonym typed without quotes.
func initialWords(toks []token) int {
	n := 0
	for n < len(toks) && n < 3 && !toks[n].quoted && initialRE.MatchString(toks[n].text) && !slices.Contains(recordNumberWords, kim.Fold(toks[n].text)) {
		n++
	}
	return n
}

// fillers are the words said before a date (am 18.12.), a time of day
// (um 10 Uhr) or a person (übergeben AB an @ben, admin übergabe von
// @anna an @ben, vertretung durch @ben).
var fillers = map[string]Kind{"am": Date, "on": Date, "um": Clock, "at": Clock,
	"an": User, "to": User, "von": User, "from": User, "durch": User, "by": User}

// isFiller reports whether t is an unquoted filler word.
func isFiller(t token) bool {
	_, ok := fillers[kim.Fold(t.text)]
	return ok && !t.quoted
}

// fillerBefore drops such a word before the value of p when what follows
// it is that value (one word or two: um 10 Uhr).
func fillerBefore(p Param, positional []token, v *Verb, today kim.Date) []token {
	if len(positional) < 2 || !isFiller(positional[0]) || fillers[kim.Fold(positional[0].text)] != p.Kind {
		return positional
	}
	for w := 1; w <= 2 && w < len(positional); w++ {
		if _, err := convert(p, joinTexts(positional[1:1+w]), v, today); err == nil {
			return positional[1:]
		}
	}
	return positional
}

// caseInitials is how many words after positional[0] continue a pseudonym
// of initials for parameter i (S. T., Frau K.): initialWords, short of a
// last one that is a word of the choice after the case (kontakt AB tel.
// Rückruf: „tel.“ is the telephone).
func (v *Verb) caseInitials(i int, positional []token, today kim.Date) int {
	k := initialWords(positional[1:])
	if k > 0 && i+1 < len(v.Params) && v.Params[i+1].Kind == Choice {
		if _, err := convert(v.Params[i+1], positional[k].text, v, today); err == nil {
			k--
		}
	}
	return k
}

// dayBefore reads a day typed before a choice it does not fit (kontakt AB
// gestern telefon …, kontakt AB am 20.11. telefon …) as the verb's date=
// option, when the word after it is that choice; it returns the rest.
func (v *Verb) dayBefore(a *Args, p Param, positional []token, options *[]string, today kim.Date) []token {
	o := v.option("date")
	if o == nil || o.Kind != Date || a.Has(o.Name) || len(positional) < 2 || positional[0].quoted {
		return positional
	}
	if len(positional) > 2 && isFiller(positional[0]) && fillers[kim.Fold(positional[0].text)] == Date {
		if rest := v.dayBefore(a, p, positional[1:], options, today); len(rest) < len(positional)-1 {
			return rest
		}
	}
	if _, err := convert(p, positional[0].text, v, today); err == nil {
		return positional
	}
	if _, err := convert(p, positional[1].text, v, today); err != nil {
		return positional
	}
	d, err := convert(*o, positional[0].text, v, today)
	if err != nil {
		return positional
	}
	a.values[o.Name] = d
	*options = append(*options, o.Name+"="+positional[0].text)
	return positional[1:]
}

// dateRange reads the words of a span of two dates, the i-th and the next
// of params, as people type them (abwesend vom 22.12. bis 2.1., 22.12.–2.1.):
// it returns positional without "vom", "von" or "ab" before the first date
// and "bis" or a dash before the second, and with a range typed as one word
// split in two.
func dateRange(params []Param, i int, positional []token) []token {
	first := i+1 < len(params) && params[i+1].Kind == Date
	second := i > 0 && params[i-1].Kind == Date
	if !first && !second || len(positional) == 0 || positional[0].quoted {
		return positional
	}
	w := strings.ToLower(positional[0].text)
	if first {
		if m := dayRangeRE.FindStringSubmatch(w); m != nil {
			return append([]token{{text: m[1]}, {text: m[2]}}, positional[1:]...)
		}
	}
	if len(positional) > 1 && (first && (w == "vom" || w == "von" || w == "ab" || w == "from") ||
		second && (w == "bis" || w == "-" || w == "–" || w == "to" || w == "until" || w == "till")) {
		return positional[1:]
	}
	return positional
}

// dayRangeRE is two days without their year, or with it, a dash between
// them: 22.12.-2.1., 22.12.2026–02.01.2027.
var dayRangeRE = regexp.MustCompile(`^(\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?)[-–](\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?)$`)

// shortNameRE is a short word that may be part of a name (K, Ue, Mo).
var shortNameRE = regexp.MustCompile(`^\p{Lu}\pL{0,2}\.?$`)

// initialRE is one initial of a name: T., Ue., Ch.
var initialRE = regexp.MustCompile(`^\pL{1,3}\.$`)

// joinTexts returns the tokens' texts, a space apart.
func joinTexts(toks []token) string {
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.text
	}
	return strings.Join(words, " ")
}

// takesText reports whether a positional parameter of v is a text.
func (v *Verb) takesText() bool { return v.textParam() != nil }

// textParam returns v's positional text parameter; nil when it has none.
func (v *Verb) textParam() *Param {
	for i := range v.Params {
		if v.Params[i].Kind == Text {
			return &v.Params[i]
		}
	}
	return nil
}

// textEnd returns where a text option's words that begin at toks[i] end:
// at the next option, or with scores at the next life field's score
// (Sprache 2).
func (v *Verb) textEnd(toks []token, i int, scores bool) int {
	for ; i < len(toks) && !v.isOption(toks[i], scores); i++ {
		if scores && i+1 < len(toks) && !toks[i].quoted && !toks[i+1].quoted {
			if _, ok := fieldParam.lookup(strings.TrimSuffix(toks[i].text, ":")); ok && scoreRE.MatchString(strings.TrimRight(toks[i+1].text, ",;")) {
				break
			}
		}
	}
	return i
}

// isOption reports whether t is typed as an option of v (name=value), or,
// with scores, as a life field's score (wohnen=3).
func (v *Verb) isOption(t token, scores bool) bool {
	m := optionRE.FindStringSubmatch(t.text)
	if t.quoted && !strings.Contains(t.text, "=") || m == nil {
		return false
	}
	if v.option(kim.Fold(m[1])) != nil {
		return true
	}
	_, field := fieldParam.lookup(m[1])
	return scores && field
}

func (v *Verb) option(name string) *Param {
	for i := range v.Options {
		if v.Options[i].Name == name || (v.Options[i].Alias != "" && v.Options[i].Alias == name) || slices.Contains(v.Options[i].Also, name) {
			return &v.Options[i]
		}
	}
	return nil
}

// joins reports whether a Choice value (SGB II) or a duration (2 Wochen)
// is typed as two words: the first alone is no value, both together are.
// Three words (nicht mehr nötig) are the first two joined with the third.
// Dates in words have dateWords.
func joins(p Param, first string, next token) bool {
	if next.quoted || strings.Contains(next.text, "=") {
		return false
	}
	switch p.Kind {
	case Choice:
		if _, ok := p.lookup(first); ok {
			return false
		}
		_, ok := p.lookup(first + " " + next.text)
		return ok
	case Duration:
		return !spanRE.MatchString(foldWords(first)) && spanRE.MatchString(foldWords(first+" "+next.text))
	case Minutes: // 20 min, 1,5 Std
		_, ok := parseMinutes(first + " " + next.text)
		return ok
	case Period: // Dezember 2025, Q3 2026, letzten Monat
		_, ok := periodWords(first+" "+next.text, kim.Date{Y: 2026, M: 12, D: 31}) // the form only: any day will do
		return ok
	case Clock: // 10 Uhr, 9:30 Uhr
		_, ok := parseClock(first)
		return ok && strings.EqualFold(next.text, "uhr")
	}
	return false
}

func (a *Args) addScore(field, val string, v *Verb) error {
	key, ok := fieldParam.lookup(field)
	if !ok {
		return usageErr("err.unknown_field", v, map[string]any{"Name": render.Clip(field, 30), "Fields": fieldList()})
	}
	f := kim.LifeField(key)
	n, err := strconv.Atoi(val)
	if err != nil || n < 1 || n > 5 {
		return usageErr("err.bad_score", v, map[string]any{"Name": fieldName(key), "Value": render.Clip(val, 10)})
	}
	m := a.Scores()
	if m == nil {
		m = map[kim.LifeField]int{}
		a.values["scores"] = m
	}
	if _, dup := m[f]; dup {
		return usageErr("err.duplicate_option", v, map[string]any{"Name": fieldName(key)})
	}
	m[f] = n
	return nil
}

var (
	refLikeRE = regexp.MustCompile(`^(?i)(K-?)?\d`) // a reference, if mistyped, or its number
	scoreRE   = regexp.MustCompile(`^\d$`)
	// a meeting's or a task's reference, matched kim.Undecorated: also as
	// copied from an answer (**M-3**) or typed in a sentence (M-3:)
	meetingRE = regexp.MustCompile(`^(?i)M-(\d{1,6})$`)
	actionRE  = regexp.MustCompile(`^(?i)A-(\d{1,6})$`)
	userRE    = regexp.MustCompile(`^@?([a-z0-9][a-z0-9._-]{0,63})$`)
	channelRE = regexp.MustCompile(`^~?([a-z0-9][a-z0-9_-]{0,63})$`)
	clockRE   = regexp.MustCompile(`^([01]?\d|2[0-3]):([0-5]\d)$`)
	spanRE    = regexp.MustCompile(`(?i)^(\d{1,3}) ?(d|w|m|t|tage?n?|wochen?|monate?n?|days?|weeks?|months?)$`) // 14d, 14 Tage, 2 Wochen, 3 months (matched on foldWords: zwei Wochen)
)

// numberListRE is a token of a list of numbers: 3, 1,3, 2-4, 3, (a comma after it).
var numberListRE = regexp.MustCompile(`^\d+(?:\s*[,;/–-]\s*\d+)*[,;]?$`)

// listWords join the numbers of a list (1 und 3, 2 bis 4).
var listWords = map[string]bool{"und": true, "and": true, "sowie": true, "bis": true, "to": true, "-": true, "–": true, ",": true, "&": true}

// numberList returns how many tokens at the front of toks are a list of
// numbers (1 3, 1, 3 und 5, 2 bis 4), ending with a number; 0 when the
// first is none.
func numberList(toks []token) int {
	n := 0
	for i, t := range toks {
		if t.quoted || strings.Contains(t.text, "=") {
			break
		}
		if numberListRE.MatchString(t.text) {
			n = i + 1
			continue
		}
		if i == 0 || !listWords[kim.Fold(t.text)] {
			break
		}
	}
	return n
}

// rangeDashRE is a range's dash with the spaces around it (2 - 4).
var rangeDashRE = regexp.MustCompile(`\s*-\s*`)

// maxNumbers is the most numbers one list may name.
const maxNumbers = 50

// parseNumbers reads a list of numbers between lo and hi (hi 0: no
// bound): 2; 1 3; 1,3; 1, 3 und 5; 2-4; 2 bis 4. It returns them ascending,
// each once; false when anything else is in it, a range runs backwards, or
// it names more than maxNumbers.
func parseNumbers(raw string, lo, hi int) ([]int, bool) {
	s := " " + strings.NewReplacer(",", " ", ";", " ", "&", " ", "–", "-", "/", " ").Replace(kim.Fold(raw)) + " "
	for _, w := range []string{"und", "and", "sowie"} {
		s = strings.ReplaceAll(s, " "+w+" ", " ")
	}
	for _, w := range []string{"bis", "to"} {
		s = strings.ReplaceAll(s, " "+w+" ", "-")
	}
	s = rangeDashRE.ReplaceAllString(s, "-")
	seen := map[int]bool{}
	var out []int
	add := func(n int) bool {
		if n < lo || (hi != 0 && n > hi) || len(out) >= maxNumbers {
			return false
		}
		if !seen[n] {
			seen[n], out = true, append(out, n)
		}
		return true
	}
	for _, f := range strings.Fields(s) {
		a, b, isRange := strings.Cut(f, "-")
		x, err := strconv.Atoi(a)
		if err != nil {
			return nil, false
		}
		y := x
		if isRange {
			if y, err = strconv.Atoi(b); err != nil || y < x || y-x >= maxNumbers {
				return nil, false
			}
		}
		for n := x; n <= y; n++ {
			if !add(n) {
				return nil, false
			}
		}
	}
	slices.Sort(out)
	return out, len(out) > 0
}

// parseMinutes reads a number of minutes as people type it: 20, 20 min, 20
// Minuten, 1 Std, 1,5 h, 2 Stunden; a part of an hour only in tenths.
func parseMinutes(raw string) (int, bool) {
	m := minutesRE.FindStringSubmatch(strings.ToLower(strings.TrimSpace(raw)))
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	hours := strings.HasPrefix(m[3], "h") || strings.HasPrefix(m[3], "st")
	switch {
	case hours && m[2] != "":
		return n*60 + int(m[2][0]-'0')*6, true
	case hours:
		return n * 60, true
	case m[2] != "":
		return 0, false // 1,5 min
	}
	return n, true
}

var minutesRE = regexp.MustCompile(`^(\d{1,4})(?:[.,](\d))? ?(min|minuten|minute|m|h|std|stunde|stunden)?\.?$`)

// parseClock reads a time of day as people type it: 08:00, 8:30, 8.30, 8,
// 8 Uhr, 8:30 Uhr, 8h.
func parseClock(raw string) (TimeOfDay, bool) {
	s := strings.ToLower(strings.TrimSpace(raw))
	for _, unit := range []string{"uhr", "h"} {
		if c, ok := strings.CutSuffix(s, unit); ok {
			s = strings.TrimSpace(c)
			break
		}
	}
	s = strings.Replace(s, ".", ":", 1)
	if !strings.Contains(s, ":") {
		s += ":00"
	}
	m := clockRE.FindStringSubmatch(s)
	if m == nil {
		return TimeOfDay{}, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	return TimeOfDay{H: h, M: mi}, true
}

// convert checks one raw value against its parameter.
func convert(p Param, raw string, v *Verb, today kim.Date) (any, error) {
	bad := func(key string, extra map[string]any) error {
		data := map[string]any{"Name": p.named(false), "Value": render.Clip(raw, 30)}
		for k, x := range extra {
			data[k] = x
		}
		return usageErr(key, v, data)
	}
	// Words are compared folded: löschen, loeschen, LÖSCHEN; SGB II, sgb-2.
	w, known := p.lookup(raw)
	for _, x := range p.Or {
		if known && x == w {
			return word(x), nil
		}
	}
	switch p.Kind {
	case Word, Text, Pseudonym:
		max := p.Max
		if max == 0 {
			max = map[Kind]int{Word: MaxWord, Text: MaxText, Pseudonym: MaxPseudonym}[p.Kind]
		}
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return nil, bad("err.missing", map[string]any{"Shown": p.missing(false)})
		}
		if c, ok := kim.ControlChar(raw, p.Kind == Text); ok {
			return nil, bad("err.control_char", map[string]any{"Char": kim.CharName(c)})
		}
		if n := utf8.RuneCountInString(raw); n > max {
			return nil, bad("err.too_long", map[string]any{"Max": max, "Len": n})
		}
		if p.Kind == Pseudonym && refLikeRE.MatchString(raw) {
			return nil, bad("err.pseudonym_ref", nil)
		}
		return raw, nil
	case CaseRef:
		if ref, ok := kim.ParseCaseRef(raw); ok {
			return ref, nil
		}
		// Not a reference: the number or the pseudonym of one of the
		// caller's cases, found by the runner (caseQuery), unless it is a
		// reference mistyped.
		if _, ok := kim.ParseCaseNumber(raw); ok {
			return caseQuery(strings.TrimSpace(raw)), nil
		}
		if refLikeRE.MatchString(raw) || utf8.RuneCountInString(raw) > MaxPseudonym || strings.TrimSpace(raw) == "" {
			return nil, bad("err.bad_case_ref", nil)
		}
		if c, ok := kim.ControlChar(raw, false); ok {
			return nil, bad("err.control_char", map[string]any{"Char": kim.CharName(c)})
		}
		return caseQuery(strings.TrimSpace(raw)), nil
	case Choice:
		if known {
			return w, nil
		}
		return nil, bad("err.bad_choice", map[string]any{"Choices": local(func(lang string) string {
			return strings.Join(p.shown(lang), ", ")
		})})
	case Date:
		d, ok := parseDateFrom(raw, today, p.Ahead)
		switch {
		case !ok && vagueDateRE.MatchString(foldWords(raw)):
			return nil, bad("err.vague_date", nil)
		case !ok:
			return nil, bad("err.bad_date", nil)
		}
		return d, nil
	case Duration:
		s, ok := parseSpan(raw)
		if !ok {
			return nil, bad("err.bad_duration", nil)
		}
		return s, nil
	case Int:
		n, err := strconv.Atoi(strings.TrimRight(strings.TrimPrefix(raw, "#"), ".,:;")) // #1, 1., 1:
		if err != nil || n < p.Min || (p.Max != 0 && n > p.Max) {
			return nil, bad("err.bad_int", map[string]any{"Min": p.Min, "Max": p.Max})
		}
		return n, nil
	case Numbers:
		ns, ok := parseNumbers(raw, p.Min, p.Max)
		if !ok {
			return nil, bad("err.bad_numbers", map[string]any{"Min": p.Min, "Max": p.Max})
		}
		return ns, nil
	case Minutes:
		n, ok := parseMinutes(raw)
		if !ok || n < p.Min || (p.Max != 0 && n > p.Max) {
			return nil, bad("err.bad_minutes", map[string]any{"Min": p.Min, "Max": p.Max})
		}
		return n, nil
	case User:
		m := userRE.FindStringSubmatch(strings.ToLower(raw))
		if m == nil || !strings.HasPrefix(raw, "@") {
			return nil, bad("err.bad_user", nil)
		}
		return m[1], nil
	case Channel:
		m := channelRE.FindStringSubmatch(strings.ToLower(raw))
		if m == nil {
			return nil, bad("err.bad_channel", nil)
		}
		return m[1], nil
	case Clock:
		t, ok := parseClock(raw)
		if !ok {
			return nil, bad("err.bad_clock", nil)
		}
		return t, nil
	case Meeting, Action:
		re := map[Kind]*regexp.Regexp{Meeting: meetingRE, Action: actionRE}[p.Kind]
		m := re.FindStringSubmatch(kim.Undecorated(raw))
		if m == nil {
			return nil, bad(map[Kind]string{Meeting: "err.bad_meeting_ref", Action: "err.bad_action_ref"}[p.Kind], nil)
		}
		n, _ := strconv.Atoi(m[1])
		return n, nil
	case Period:
		p, ok := reports.PeriodOf(raw)
		if !ok {
			p, ok = periodWords(raw, today) // Dezember, 3. Quartal, letzten Monat
		}
		if !ok {
			return nil, bad("err.bad_period", nil)
		}
		return p, nil
	}
	return nil, bad("err.bad_value", nil)
}

// dateForms are the forms of ParseDate: ISO, German with four digits of
// the year, German with two (30.6.27).
var dateForms = []string{"2006-01-02", "2.1.2006", "2.1.06"}

// ParseDate reads YYYY-MM-DD or DD.MM.YYYY, day and month with one digit
// or two, the year also with two (30.6.27 is 30.06.2027); impossible days
// (31.02.) and years outside 2000–2099 are refused.
func ParseDate(s string) (kim.Date, bool) {
	for _, f := range dateForms {
		t, err := time.Parse(f, s)
		if err == nil && t.Year() >= 2000 && t.Year() <= 2099 {
			return kim.DateOf(t), true
		}
	}
	return kim.Date{}, false
}

// relativeDays are the words for a day near today, folded, as days from
// today.
var relativeDays = map[string]int{
	"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "uebermorgen": 2,
	"yesterday": -1, "today": 0, "tomorrow": 1,
}

// parseDateFrom is ParseDate, and also reads against today the words of
// relativeDays (gestern, heute, morgen) and a day and month without the
// year (30.6. or 30.6): the next such day from today on when ahead, else
// the latest up to today. A day the year does not have (29.2.) is refused.
func parseDateFrom(s string, today kim.Date, ahead bool) (kim.Date, bool) {
	if rest, ok := afterDateFiller(s); ok { // am 15.1., zum Monatsende: the date after it
		return parseDateFrom(rest, today, ahead)
	}
	if today.IsZero() {
		return ParseDate(s)
	}
	if n, ok := relativeDays[kim.Fold(s)]; ok {
		return today.AddDays(n), true
	}
	if d, ok := monthPhrase(s, today, ahead); ok {
		return d, true
	}
	if d, ok := partPhrase(s, today); ok {
		return d, true
	}
	if d, ok := calendarWeek(s, today, ahead); ok {
		return d, true
	}
	if sp, ok := relSpan(s); ok {
		return sp.From(today), true
	}
	if d, ok := namedWeekday(s, today); ok {
		return d, true
	}
	if wd, ok := weekdays[strings.TrimSuffix(kim.Fold(s), ".")]; ok { // Freitag, Fr.: as 30.6., the next or the latest such day
		step := -1
		if ahead {
			step = 1
		}
		return stepTo(today, wd, step), true
	}
	if m := dayMonthRE.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y := today.Y
		if c := (kim.Date{Y: y, M: mo, D: d}); ahead && c.Before(today) {
			y++
		} else if !ahead && c.After(today) {
			y--
		}
		return ParseDate(fmt.Sprintf("%d.%d.%d", d, mo, y))
	}
	return ParseDate(s)
}

// monthPhraseRE is a day named by the part of a month, folded: Anfang
// Januar (the 1st), Mitte Februar (the 15th), Ende März 2027 (the last),
// also "Ende Feb." and in English (end of march).
var monthPhraseRE = regexp.MustCompile(`^(anfang|mitte|ende|beginning of|mid|end of) ([a-z]+)\.?(?: (\d{4}))?$`)

// months are the months' names and usual abbreviations, folded.
var months = map[string]int{
	"januar": 1, "jan": 1, "january": 1, "februar": 2, "feb": 2, "february": 2, "maerz": 3, "mrz": 3, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "mai": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
	"august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "october": 10, "oct": 10,
	"november": 11, "nov": 11, "dezember": 12, "dez": 12, "december": 12, "dec": 12,
}

// foldWords is s folded (kim.Fold), its words one space apart, a small
// number in words given in digits (zwei Wochen: 2 wochen; vor einer Woche:
// vor 1 woche).
func foldWords(s string) string {
	f := strings.Fields(kim.Fold(s))
	for i, w := range f {
		if d, ok := numberWords[w]; ok {
			f[i] = d
		}
	}
	return strings.Join(f, " ")
}

// numberWords are the small numbers in words, folded, that a duration or a
// day counted from today may be typed with.
var numberWords = map[string]string{
	"ein": "1", "eine": "1", "einer": "1", "einem": "1", "einen": "1", "one": "1", "zwei": "2", "two": "2",
	"drei": "3", "three": "3", "vier": "4", "four": "4", "fuenf": "5", "five": "5", "sechs": "6", "six": "6",
	"sieben": "7", "seven": "7", "acht": "8", "eight": "8", "zehn": "10", "ten": "10", "vierzehn": "14", "fourteen": "14",
}

// namedWeekday reads "nächsten Freitag" (the first Friday after today) and
// "letzten Freitag" (the last one before today), whatever the date is for.
func namedWeekday(s string, today kim.Date) (kim.Date, bool) {
	wd, step, ok := weekdayPhrase(s)
	if !ok {
		return kim.Date{}, false
	}
	return stepTo(today.AddDays(step), wd, step), true
}

// stepTo returns the first day on weekday wd from d on, stepping step days
// (1 forward, -1 back).
func stepTo(d kim.Date, wd time.Weekday, step int) kim.Date {
	for d.UTC().Weekday() != wd {
		d = d.AddDays(step)
	}
	return d
}

// weekdayPhrase splits "nächsten Freitag" into the day and the direction to
// step in from today (1 or -1).
func weekdayPhrase(s string) (time.Weekday, int, bool) {
	w := strings.Fields(kim.Fold(s))
	if len(w) != 2 {
		return 0, 0, false
	}
	wd, ok := weekdays[strings.TrimSuffix(w[1], ".")]
	switch {
	case !ok:
	case slices.Contains([]string{"naechsten", "naechster", "naechste", "kommenden", "kommender", "next"}, w[0]):
		return wd, 1, true
	case slices.Contains([]string{"letzten", "letzter", "letzte", "vergangenen", "vergangener", "vorigen", "voriger", "last"}, w[0]):
		return wd, -1, true
	}
	return 0, 0, false
}

// weekdays are the days of the week by name, folded.
var weekdays = map[string]time.Weekday{
	"montag": time.Monday, "dienstag": time.Tuesday, "mittwoch": time.Wednesday, "donnerstag": time.Thursday,
	"freitag": time.Friday, "samstag": time.Saturday, "sonnabend": time.Saturday, "sonntag": time.Sunday,
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	// as calendars abbreviate them (Fr, Fr.)
	"mo": time.Monday, "di": time.Tuesday, "mi": time.Wednesday, "do": time.Thursday, "fr": time.Friday, "sa": time.Saturday, "so": time.Sunday,
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
}

// monthPhrase reads a day of monthPhraseRE; without the year it is the
// next such day from today on when ahead, else the latest up to today.
func monthPhrase(s string, today kim.Date, ahead bool) (kim.Date, bool) {
	m := monthPhraseRE.FindStringSubmatch(foldWords(s))
	if m == nil {
		return kim.Date{}, false
	}
	mo, ok := months[m[2]]
	if !ok {
		return kim.Date{}, false
	}
	day := func(y int) kim.Date {
		switch m[1] {
		case "anfang", "beginning of":
			return kim.Date{Y: y, M: mo, D: 1}
		case "mitte", "mid":
			return kim.Date{Y: y, M: mo, D: 15}
		}
		return kim.DateOf(time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC))
	}
	if m[3] != "" {
		y, _ := strconv.Atoi(m[3])
		if y < 2000 || y > 2099 {
			return kim.Date{}, false
		}
		return day(y), true
	}
	d := day(today.Y)
	if ahead && d.Before(today) {
		d = day(today.Y + 1)
	} else if !ahead && d.After(today) {
		d = day(today.Y - 1)
	}
	return d, true
}

// partPhraseRE is a day named by the part of this or the next week or
// month, folded: Anfang nächster Woche (its Monday), Mitte der Woche (this
// week's Wednesday), Ende des Monats (its last day), Anfang nächsten Monats,
// end of next week.
var partPhraseRE = regexp.MustCompile(`^(anfang|mitte|ende|beginning of|middle of|end of) (?:(der|dieser|des|dieses|the|this)|(naechster|kommender|der naechsten|der kommenden|naechsten|kommenden|des naechsten|des kommenden|next)) (woche|monats|week|month)$`)

// partPhrase reads a day of partPhraseRE: the week's Monday, Wednesday or
// Friday, the month's first, 15th or last day.
func partPhrase(s string, today kim.Date) (kim.Date, bool) {
	m := partPhraseRE.FindStringSubmatch(foldWords(s))
	if m == nil {
		return kim.Date{}, false
	}
	part, next := m[1], m[3] != ""
	if m[4] == "woche" || m[4] == "week" {
		monday := today.AddDays(-((int(today.UTC().Weekday()) + 6) % 7))
		if next {
			monday = monday.AddDays(7)
		}
		switch part {
		case "anfang", "beginning of":
			return monday, true
		case "mitte", "middle of":
			return monday.AddDays(2), true
		}
		return monday.AddDays(4), true // Friday: the end of a working week
	}
	first := kim.Date{Y: today.Y, M: today.M, D: 1}
	if next {
		first = first.AddMonths(1)
	}
	switch part {
	case "anfang", "beginning of":
		return first, true
	case "mitte", "middle of":
		return first.AddDays(14), true
	}
	return first.AddMonths(1).AddDays(-1), true
}

// calendarWeekRE is a calendar week as offices name it, folded: KW 3,
// KW3, KW 03/2027, Kalenderwoche 3, week 3.
var calendarWeekRE = regexp.MustCompile(`^(?:kw|kalenderwoche|week) ?(\d{1,2})(?:[ /](\d{4}))?\.?$`)

// calendarWeek reads a week of calendarWeekRE as its Monday (ISO 8601
// weeks). Without its year it is the next such week for a date ahead (today
// when that week has begun) and the latest one otherwise.
func calendarWeek(s string, today kim.Date, ahead bool) (kim.Date, bool) {
	m := calendarWeekRE.FindStringSubmatch(foldWords(s))
	if m == nil {
		return kim.Date{}, false
	}
	w, _ := strconv.Atoi(m[1])
	monday := func(y int) (kim.Date, bool) {
		jan4 := kim.Date{Y: y, M: 1, D: 4}
		d := jan4.AddDays(-((int(jan4.UTC().Weekday()) + 6) % 7) + (w-1)*7)
		iy, iw := d.UTC().ISOWeek()
		return d, iy == y && iw == w
	}
	if m[2] != "" {
		y, _ := strconv.Atoi(m[2])
		if y < 2000 || y > 2099 {
			return kim.Date{}, false
		}
		return monday(y)
	}
	y, _ := today.UTC().ISOWeek()
	d, ok := monday(y)
	switch {
	case ahead && ok && d.AddDays(6).Before(today), ahead && !ok:
		d, ok = monday(y + 1)
	case ahead && d.Before(today):
		d = today // the week has begun
	case !ahead && (!ok || d.After(today)):
		d, ok = monday(y - 1)
	}
	return d, ok
}

// dateFillers are the words said before a day: am 15.1., zum 31.3., on
// Friday.
var dateFillers = map[string]bool{"am": true, "zum": true, "on": true}

// anyDay is a today for asking whether a word is a date, not which.
var anyDay = kim.Date{Y: 2026, M: 1, D: 1}

// afterDateFiller returns the date after a filler word (am Freitag:
// Freitag), and whether s starts with one.
func afterDateFiller(s string) (string, bool) {
	w, rest, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok || !dateFillers[kim.Fold(w)] {
		return "", false
	}
	return rest, true
}

// dateWords returns how many of the tokens after first belong to a date
// typed in words with it: Ende Januar (1), Ende Januar 2027, in 2 Wochen,
// vor 3 Tagen (2), or to a time that is no day (nächste Woche, vor ein paar
// Tagen: refused whole, vagueDateRE); 0 when none.
func dateWords(first string, rest []token) int {
	if dateFillers[kim.Fold(first)] && len(rest) > 0 && !rest[0].quoted {
		// am 15.1., am Freitag, zum Ende März: the filler and the date.
		if _, ok := parseDateFrom(rest[0].text, anyDay, true); ok {
			return 1 + dateWords(rest[0].text, rest[1:])
		}
		if k := dateWords(rest[0].text, rest[1:]); k > 0 {
			return 1 + k
		}
		return 0
	}
	n, words := 0, first
	for k := 0; k < 3 && k < len(rest); k++ { // vor ein paar Tagen
		t := rest[k]
		if t.quoted || strings.Contains(t.text, "=") {
			break
		}
		words += " " + t.text
		_, span := relSpan(words)
		_, _, day := weekdayPhrase(words)
		f := foldWords(words)
		if span || day || monthPhraseRE.MatchString(f) || partPhraseRE.MatchString(f) || calendarWeekRE.MatchString(f) || vagueDateRE.MatchString(f) {
			n = k + 1
		}
	}
	return n
}

// vagueDateRE is a time people say that is no day (nächste Woche, in ein
// paar Tagen): read as one value, so the answer names it whole and asks
// for a day.
var vagueDateRE = regexp.MustCompile(`^((ueber)?(naechste|naechsten|kommende|kommenden)|diese|diesen|letzte|letzten|vergangene|vergangenen) (woche|monat|jahr)$|^(in|vor) (ein|1) paar (tagen|wochen)$|^(bald|demnaechst)$|^(next|this|last) (week|month|year)$|^in a few (days|weeks)$|^a few (days|weeks) ago$|^soon$`)

// parseSpan reads a duration of spanRE, as foldWords gives it (14d, 14
// Tage, zwei Wochen, 3 months); false when it is none or not Valid.
func parseSpan(raw string) (kim.Span, bool) {
	m := spanRE.FindStringSubmatch(foldWords(raw))
	if m == nil {
		return kim.Span{}, false
	}
	n, _ := strconv.Atoi(m[1])
	unit := m[2][0]
	if unit == 't' { // German "Tage"
		unit = kim.Days
	}
	s := kim.Span{N: n, Unit: unit}
	return s, s.Valid()
}

// relSpan reads a day counted from today in words, in or vor and a
// duration (in 2 Wochen, in zehn Tagen, vor einer Woche; in English also
// 2 weeks ago), as the span from today to it (negative before today).
func relSpan(s string) (kim.Span, bool) {
	if span, ok := strings.CutSuffix(foldWords(s), " ago"); ok {
		sp, ok := parseSpan(span)
		sp.N = -sp.N
		return sp, ok
	}
	dir, span, _ := strings.Cut(foldWords(s), " ")
	if dir != "in" && dir != "vor" {
		return kim.Span{}, false
	}
	sp, ok := parseSpan(span)
	if ok && dir == "vor" {
		sp.N = -sp.N
	}
	return sp, ok
}

// dayMonthRE is a date without its year: 30.6. or 30.6.
var dayMonthRE = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.?$`)

// fieldList lists the life fields for an error, in the reader's language.
func fieldList() local {
	return func(lang string) string { return strings.Join(fieldParam.shown(lang), ", ") }
}

// fieldName is a life field for an error, in the reader's language.
func fieldName(key string) local {
	return func(lang string) string { return fieldParam.show(key, lang) }
}

// usageErr is an EINVALID error whose text ends with the verb's usage.
func usageErr(key string, v *Verb, data map[string]any) error {
	if data == nil {
		data = map[string]any{}
	}
	if v != nil {
		data["Usage"] = v.usage()
		data["Verb"] = v.path()
	}
	return &kim.Error{Code: kim.EINVALID, Key: key, Args: data}
}
