// Package commands parses `/kim …` text into typed arguments and runs the
// verbs. One literal table of verbs (verbs.go) drives the parser, the usage
// lines in error messages and the help, so help can never drift from what
// is parsed. No HTTP and no Mattermost types here.
package commands

import (
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
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
)

// Param is a positional parameter or a name=value option of a verb. It is
// required unless Optional (or the verb is typed in its bare form).
type Param struct {
	Name string
	// Alias is the German name of an option (seite=2 for page=2).
	Alias   string
	Kind    Kind
	Choices []string // for Choice: the words accepted, shown in usage
	// Or are words accepted instead of a value of Kind (a date or "off");
	// Args.Word returns the one given.
	Or []string
	// Aliases are other accepted words (e.g. German) → a choice or an Or
	// word; never shown in usage.
	Aliases map[string]string
	// Alone: an Or word given for this parameter is the whole command;
	// nothing may follow it (`/kim away off`), and the parameters after it
	// are not required.
	Alone    bool
	Optional bool
	Min, Max int // Int bounds; for Text and Word the maximum length (0: default)
}

// Verb is one node of the /kim command tree: a verb, or a sub-verb at any
// depth (`admin partner add`).
type Verb struct {
	Name    string
	Alias   string // German alias
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
		if s.Name == w || (s.Alias != "" && s.Alias == w) {
			return s
		}
	}
	return nil
}

// Usage returns the full form of the verb, e.g.
// "/kim goal add <case> <field> <text> [due=<date>]", or its sub-verbs.
func (v *Verb) Usage() string {
	if v.Run == nil && len(v.Subs) > 0 {
		names := make([]string, len(v.Subs))
		for i, s := range v.Subs {
			names[i] = s.Name
		}
		return "/kim " + v.Path() + " <" + strings.Join(names, "|") + "> …"
	}
	return v.form(len(v.Params), "", true)
}

// Usages returns every form of the verb: the full one, one per word that
// stands alone (`/kim away off`) and the bare one (`/kim contact <case>`).
func (v *Verb) Usages() []string {
	out := []string{v.Usage()}
	if v.Run == nil {
		return out
	}
	for i, p := range v.Params {
		if p.Alone {
			for _, w := range p.Or {
				out = append(out, v.form(i, w, false))
			}
		}
	}
	if v.Bare != nil {
		out = append(out, v.form(v.BareArgs, "", false))
	}
	return out
}

// form renders the verb with its first n parameters, then word, then
// (when options) the options.
func (v *Verb) form(n int, word string, options bool) string {
	parts := []string{"/kim " + v.Path()}
	for _, p := range v.Params[:n] {
		parts = append(parts, p.wrap("<"+p.placeholder()+">"+p.words()))
	}
	if word != "" {
		parts = append(parts, word)
	}
	if options {
		for _, o := range v.Options {
			parts = append(parts, o.wrap(o.Name+"=<"+o.placeholder()+">"+o.words()))
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

func (p Param) placeholder() string {
	switch p.Kind {
	case Choice:
		return strings.Join(p.Choices, "|")
	case Scores:
		return "field=1..5 …"
	}
	return p.Name
}

// words are the Or words shown after the placeholder ("|off"); those that
// stand alone have a form of their own.
func (p Param) words() string {
	if p.Alone || len(p.Or) == 0 {
		return ""
	}
	return "|" + strings.Join(p.Or, "|")
}

// link sets the parents in the tree below v and refuses a name or alias
// used twice among siblings; it returns v.
func link(v *Verb) *Verb {
	seen := map[string]bool{}
	for _, s := range v.Subs {
		for _, k := range []string{s.Name, s.Alias} {
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
	return v
}

// Verbs returns the top-level verbs in help order.
func Verbs() []*Verb { return kimVerbs.Subs }
