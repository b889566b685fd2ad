package commands

import (
	"fmt"
	"strings"

	"github.com/kimbot-nrw/kimbot/render"
)

// help lists all verbs, or explains one with its usage and examples. It
// finds the table through its own verb (kimVerbs refers to help).
func (r *Runner) help(a *Args) (Reply, error) {
	top := a.Verb.top()
	if name := a.Str("verb"); name != "" {
		v := top.sub(name)
		if v == nil {
			return Reply{}, usageErr("err.unknown_verb", nil, map[string]any{"Verb": render.Clip(name, 30)})
		}
		return Reply{Text: r.verbHelp(v)}, nil
	}
	var b strings.Builder
	b.WriteString(r.T("help.title", map[string]any{"Role": r.Name("role", string(r.Role()))}) + "\n\n")
	for _, v := range top.Subs {
		alias := ""
		if v.Alias != "" {
			alias = " (" + v.Alias + ")"
		}
		fmt.Fprintf(&b, "- %s%s — %s\n", usageLine(v), alias, r.T("verb."+v.key(), nil))
	}
	b.WriteString("\n" + r.T("help.footer", nil))
	return Reply{Text: b.String()}, nil
}

// verbHelp explains one verb: description, the forms of it or of each of
// its sub-verbs, examples.
func (r *Runner) verbHelp(v *Verb) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**/kim %s**", v.Name)
	if v.Alias != "" {
		fmt.Fprintf(&b, " (%s)", v.Alias)
	}
	fmt.Fprintf(&b, " — %s\n", r.T("verb."+v.key(), nil))
	var ex []string
	walk(v, func(x *Verb) {
		ex = append(ex, x.Examples...)
		if x.Run == nil {
			return
		}
		b.WriteString("- " + usageLine(x))
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

// usageLine is every form of a verb, each as code.
func usageLine(v *Verb) string {
	forms := v.Usages()
	for i, f := range forms {
		forms[i] = "`" + f + "`"
	}
	return strings.Join(forms, " · ")
}

// walk calls f for v and every verb below it, in table order.
func walk(v *Verb, f func(*Verb)) {
	f(v)
	for _, s := range v.Subs {
		walk(s, f)
	}
}
