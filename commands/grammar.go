// Package commands parses `/kim …` text into typed arguments and runs the
// verbs. One table of verbs (registered by each file with register) drives
// the parser, the usage lines in error messages and the help, so help can
// never drift from what is parsed. No HTTP and no Mattermost types here.
package commands

import (
	"sort"
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

// Param is a positional parameter or a name=value option of a verb.
type Param struct {
	Name     string
	Kind     Kind
	Choices  []string
	Aliases  map[string]string // for Choice: accepted words (e.g. German) → choice; not shown in usage
	Optional bool
	Min, Max int // Int bounds; for Text and Word the maximum length (0: default)
}

// Verb is one command (or sub-command) of /kim.
type Verb struct {
	Name    string
	Alias   string // German alias
	Params  []Param
	Options []Param
	Subs    []*Verb
	// Roles that may run the verb; nil means everybody, with or without role.
	Roles []kim.Role
	Run   func(*Runner, *Args) (Reply, error)
	// Bare runs when the verb is typed without any argument (e.g. a dialog).
	Bare     func(*Runner) (Reply, error)
	Examples []string
	parent   *Verb
	// placeholder marks a verb created by extend before its registration.
	placeholder bool
}

// Path is the verb's full name, e.g. "goal add".
func (v *Verb) Path() string {
	if v.parent != nil {
		return v.parent.Name + " " + v.Name
	}
	return v.Name
}

// key is the message-id form of the path, e.g. "goal.add".
func (v *Verb) key() string { return strings.ReplaceAll(v.Path(), " ", ".") }

// Usage returns the correct form of the verb, e.g.
// "/kim goal add <case> <field> <text> [due=<date>]".
func (v *Verb) Usage() string {
	if len(v.Subs) > 0 {
		names := make([]string, len(v.Subs))
		for i, s := range v.Subs {
			names[i] = s.Name
		}
		return "/kim " + v.Name + " <" + strings.Join(names, "|") + "> …"
	}
	parts := []string{"/kim " + v.Path()}
	for _, p := range v.Params {
		parts = append(parts, wrapOpt(p, "<"+p.placeholder()+">"))
	}
	for _, o := range v.Options {
		parts = append(parts, wrapOpt(o, o.Name+"=<"+o.placeholder()+">"))
	}
	return strings.Join(parts, " ")
}

func wrapOpt(p Param, s string) string {
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

var verbs = map[string]*Verb{} // by name and alias, top level

// register adds top-level verbs to the table. A verb that extend created
// first keeps the sub-verbs added to it.
func register(vs ...*Verb) {
	for _, v := range vs {
		if old := verbs[v.Name]; old != nil && old.placeholder {
			subs := append(v.Subs, old.Subs...)
			*old = *v
			old.Subs = subs
			for _, s := range old.Subs {
				s.parent = old
			}
			if v.Alias != "" {
				verbs[v.Alias] = old
			}
			continue
		}
		for _, s := range v.Subs {
			s.parent = v
		}
		for _, k := range []string{v.Name, v.Alias} {
			if k == "" {
				continue
			}
			if _, dup := verbs[k]; dup {
				panic("commands: verb registered twice: " + k)
			}
			verbs[k] = v
		}
	}
}

// extend adds sub-verbs to the top-level verb name, whichever file
// registers it (files of a package initialise in name order).
func extend(name string, subs ...*Verb) {
	v := verbs[name]
	if v == nil {
		v = &Verb{Name: name, placeholder: true}
		verbs[name] = v
	}
	for _, s := range subs {
		s.parent = v
		v.Subs = append(v.Subs, s)
	}
}

// Verbs returns the registered top-level verbs in help order.
func Verbs() []*Verb {
	seen := map[*Verb]bool{}
	var out []*Verb
	for _, v := range verbs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	rank := func(v *Verb) int {
		for i, n := range helpOrder {
			if n == v.Name {
				return i
			}
		}
		return len(helpOrder)
	}
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// helpOrder is the order of SPEC §3.
var helpOrder = []string{"help", "open", "cases", "show", "contact", "assess", "goal", "refer", "outcome", "consent",
	"domain", "due", "close", "reopen", "transfer", "barrier", "away", "settings", "meeting", "agenda", "action",
	"report", "export", "erase", "admin"}

// lookup finds a top-level verb by name or alias.
func lookup(word string) *Verb { return verbs[strings.ToLower(word)] }

// sub finds a sub-verb by name or alias.
func (v *Verb) sub(word string) *Verb {
	w := strings.ToLower(word)
	for _, s := range v.Subs {
		if s.Name == w || (s.Alias != "" && s.Alias == w) {
			return s
		}
	}
	return nil
}
