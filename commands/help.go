package commands

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

// help lists the verbs the caller's role may use, or explains one with its
// usage and examples; a caller without a role learns who grants one. It
// finds the table through its own verb (kimVerbs refers to help).
func (r *Runner) help(a *Args) (Reply, error) {
	top := a.Verb.top()
	if r.Role() == kim.RoleNone {
		return Reply{Text: r.T("help.no_role", map[string]any{"Admins": r.adminList()})}, nil
	}
	if name := a.Str("verb"); name != "" {
		v := top.sub(name)
		if v == nil {
			return Reply{}, usageErr("err.unknown_verb", nil, map[string]any{"Verb": render.Clip(name, 30), "Near": top.near(name)})
		}
		return Reply{Text: r.verbHelp(v)}, nil
	}
	var b strings.Builder
	b.WriteString(r.T("help.title", map[string]any{"Role": r.Name("role", string(r.Role()))}) + "\n\n")
	for _, v := range top.Subs {
		mine := r.usable(v)
		if len(mine) == 0 {
			continue // nothing of it for this role
		}
		if len(mine) < len(runnable(v)) || (len(mine) == 1 && v.Run == nil) { // only some sub-verbs, or one: those, each on its line
			for _, x := range mine {
				fmt.Fprintf(&b, "- %s — %s\n", usageLine(x, r.Lang), r.T("verb."+x.key(), nil))
			}
			continue
		}
		fmt.Fprintf(&b, "- %s%s — %s\n", usageLine(v, r.Lang), otherName(v, r.Lang), r.T("verb."+v.key(), nil))
	}
	b.WriteString("\n" + r.T("help.footer", nil))
	if r.Role() == kim.RoleCoach {
		b.WriteString(" " + r.T("help.footer_coach", nil))
	}
	return Reply{Text: b.String()}, nil
}

// verbHelp explains one verb: description, the forms of it or of each of
// its sub-verbs, examples.
func (r *Runner) verbHelp(v *Verb) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**/kim %s**%s — %s\n", v.word(r.Lang), otherName(v, r.Lang), r.T("verb."+v.key(), nil))
	// The forms the caller may use; all of them, with who may, when none.
	mine := map[*Verb]bool{}
	for _, x := range r.usable(v) {
		mine[x] = true
	}
	if len(mine) == 0 {
		b.WriteString(r.roleNote(v) + "\n")
	}
	var ex []string
	walk(v, func(x *Verb) {
		if x.Run != nil && len(mine) > 0 && !mine[x] {
			return
		}
		ex = append(ex, examplesIn(x, r.Lang)...)
		if x.Run == nil {
			return
		}
		b.WriteString("- " + usageLine(x, r.Lang))
		if x != v {
			fmt.Fprintf(&b, " — %s", r.T("verb."+x.key(), nil))
		}
		b.WriteString("\n")
	})
	if len(ex) > 0 {
		b.WriteString(r.T("help.examples", nil) + "\n")
		for _, e := range ex {
			fmt.Fprintf(&b, "`%s`\n", e)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// examplesIn returns the verb's examples typed in lang, or all of them
// when none is.
func examplesIn(v *Verb, lang string) []string {
	if mine := slices.DeleteFunc(slices.Clone(v.Examples), func(e string) bool { return !exampleIn(v, e, lang) }); len(mine) > 0 {
		return mine
	}
	return v.Examples
}

// exampleIn reports whether an example is typed in lang: its first verb
// word that differs between the languages is lang's (/kim kontakt … is
// German, /kim contact … English, /kim admin partner add … English); an
// example with none is in both.
func exampleIn(v *Verb, ex, lang string) bool {
	for v.parent != nil {
		v = v.parent // the table
	}
	for _, w := range strings.Fields(strings.TrimPrefix(ex, "/kim ")) {
		if v = v.sub(w); v == nil {
			break
		}
		if v.Alias != "" && v.Alias != v.Name {
			return (kim.Fold(w) == v.Name) == (lang != "de")
		}
	}
	return true
}

// otherName is the verb's word in the other language, " (open)" beside
// "neu" for German readers and " (neu)" beside "open" for English ones; ""
// when it has one word only.
func otherName(v *Verb, lang string) string {
	if v.Alias == "" {
		return ""
	}
	if lang == "de" {
		return " (" + v.Name + ")"
	}
	return " (" + german(v.Alias) + ")"
}

// usageLine is every form of a verb in lang, each as code.
func usageLine(v *Verb, lang string) string {
	forms := v.Usages(lang)
	for i, f := range forms {
		forms[i] = "`" + f + "`"
	}
	return strings.Join(forms, " · ")
}

// runnable returns v or the verbs below it that run something, in table
// order.
func runnable(v *Verb) []*Verb {
	var out []*Verb
	walk(v, func(x *Verb) {
		if x.Run != nil {
			out = append(out, x)
		}
	})
	return out
}

// usable returns the runnable verbs at or below v the caller may use.
func (r *Runner) usable(v *Verb) []*Verb {
	var out []*Verb
	for _, x := range runnable(v) {
		if roles := x.roles(); roles == nil || r.has(roles...) {
			out = append(out, x)
		}
	}
	return out
}

// roleNote says who may use v and the caller's role.
func (r *Runner) roleNote(v *Verb) string {
	if e := r.allowed(v); e != nil {
		return r.svc.errorText(r, e)
	}
	return ""
}

// walk calls f for v and every verb below it, in table order.
func walk(v *Verb, f func(*Verb)) {
	f(v)
	for _, s := range v.Subs {
		walk(s, f)
	}
}
