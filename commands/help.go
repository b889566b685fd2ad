package commands

import (
	"fmt"
	"strings"
)

func init() {
	register(&Verb{
		Name: "help", Alias: "hilfe",
		Params:   []Param{{Name: "verb", Kind: Word, Optional: true, Max: 30}},
		Run:      (*Runner).help,
		Examples: []string{"/kim help", "/kim hilfe open", "/kim help goal"},
	})
}

// help lists all verbs, or explains one with its usage and examples.
func (r *Runner) help(a *Args) (Reply, error) {
	if name := a.Str("verb"); name != "" {
		v := lookup(name)
		if v == nil {
			return Reply{}, usageErr("err.unknown_verb", nil, map[string]any{"Verb": clip(name, 30)})
		}
		return Reply{Text: r.verbHelp(v)}, nil
	}
	var b strings.Builder
	b.WriteString(r.T("help.title", map[string]any{"Role": r.name("role", string(r.Role()))}) + "\n\n")
	for _, v := range Verbs() {
		alias := ""
		if v.Alias != "" {
			alias = " (" + v.Alias + ")"
		}
		fmt.Fprintf(&b, "- `%s`%s — %s\n", v.Usage(), alias, r.T("verb."+v.key(), nil))
	}
	b.WriteString("\n" + r.T("help.footer", nil))
	return Reply{Text: b.String()}, nil
}

// verbHelp explains one verb: description, usage of it or its sub-verbs,
// examples.
func (r *Runner) verbHelp(v *Verb) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**/kim %s**", v.Name)
	if v.Alias != "" {
		fmt.Fprintf(&b, " (%s)", v.Alias)
	}
	fmt.Fprintf(&b, " — %s\n", r.T("verb."+v.key(), nil))
	all := append([]*Verb{v}, v.Subs...)
	for _, x := range all {
		if x == v && len(v.Subs) > 0 {
			continue
		}
		fmt.Fprintf(&b, "- `%s`", x.Usage())
		if x != v {
			fmt.Fprintf(&b, " — %s", r.T("verb."+x.key(), nil))
		}
		b.WriteString("\n")
	}
	var ex []string
	for _, x := range all {
		ex = append(ex, x.Examples...)
	}
	if len(ex) > 0 {
		b.WriteString(r.T("help.examples", nil) + "\n")
		for _, e := range ex {
			fmt.Fprintf(&b, "`%s`\n", e)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
