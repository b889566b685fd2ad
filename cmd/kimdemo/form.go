package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"
)

// form is an interactive dialog being filled in at the prompt, one element after the other, as
// Mattermost's clients would show it: kimbot opened it for user with a slash command's trigger id,
// Mattermost pushed it over the user's WebSocket, and the values go back through
// POST /api/v4/actions/dialogs/submit.
type form struct {
	user       string
	req        *model.OpenDialogRequest
	values     map[string]any
	todo       []int             // indexes of the elements still to ask, in order
	errors     map[string]string // what the integration said about each element last time
	fromButton bool              // opened by a digest button: kimbot answers the saved form in a DM
}

// cancelWord closes a form without submitting it.
const cancelWord = "/cancel"

func newForm(user string, req *model.OpenDialogRequest) *form {
	f := &form{user: user, req: req, values: map[string]any{}, errors: map[string]string{}}
	for i := range req.Dialog.Elements {
		f.todo = append(f.todo, i)
	}
	return f
}

// render writes the dialog: its title, introduction and a line per element with what it accepts.
func (f *form) render(w io.Writer) {
	d := f.req.Dialog
	fmt.Fprintf(w, "\n  ┌ form %q for %s (a dialog kimbot opened; Mattermost's clients show it as a window)\n", d.Title, f.user)
	if d.IntroductionText != "" {
		fmt.Fprintf(w, "  │ %s\n", strings.ReplaceAll(d.IntroductionText, "\n", "\n  │ "))
	}
	for i, el := range d.Elements {
		fmt.Fprintf(w, "  │ %d. %s\n", i+1, describe(el))
		if el.HelpText != "" {
			fmt.Fprintf(w, "  │      %s\n", el.HelpText)
		}
	}
	fmt.Fprintf(w, "  └ * required. Answer each field below; an empty line keeps the default, %s closes the form.\n", cancelWord)
}

// describe says in one line what an element is and accepts.
func describe(el model.DialogElement) string {
	var b strings.Builder
	b.WriteString(label(el))
	var notes []string
	switch el.Type {
	case "select", "radio":
		var opts []string
		for i, o := range el.Options {
			opts = append(opts, fmt.Sprintf("%d %s", i+1, o.Text))
		}
		notes = append(notes, "choose: "+strings.Join(opts, " · "))
	case "bool":
		notes = append(notes, "yes/no")
	case "textarea":
		notes = append(notes, "text (one line here)")
	case "date":
		notes = append(notes, "date YYYY-MM-DD")
	case "datetime":
		notes = append(notes, "date and time")
	default:
		notes = append(notes, "text")
	}
	if el.MaxLength > 0 && (el.Type == "text" || el.Type == "textarea" || el.Type == "") {
		notes = append(notes, fmt.Sprintf("at most %d characters", el.MaxLength))
	}
	if d := shownDefault(el); d != "" {
		notes = append(notes, "default: "+d)
	}
	fmt.Fprintf(&b, " (%s)", strings.Join(notes, "; "))
	return b.String()
}

// label is the element's name as a person sees it, with * when it is required.
func label(el model.DialogElement) string {
	if el.Optional {
		return el.DisplayName
	}
	return el.DisplayName + "*"
}

// shownDefault is the element's default as a person reads it ("" if none).
func shownDefault(el model.DialogElement) string {
	if el.Default == "" {
		return ""
	}
	for _, o := range el.Options {
		if o.Value == el.Default {
			return o.Text
		}
	}
	if el.Type == "bool" {
		if b, err := strconv.ParseBool(el.Default); err == nil {
			return yesNo(b)
		}
	}
	return el.Default
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// done reports whether every element has a value.
func (f *form) done() bool { return len(f.todo) == 0 }

// current returns the element asked for now.
func (f *form) current() model.DialogElement { return f.req.Dialog.Elements[f.todo[0]] }

// question is the prompt for the current element, with the integration's complaint about it, if any.
func (f *form) question() string {
	el := f.current()
	q := "  " + label(el)
	switch el.Type {
	case "select", "radio":
		q += fmt.Sprintf(" [1-%d]", len(el.Options))
	case "bool":
		q += " [yes/no]"
	}
	if d := shownDefault(el); d != "" {
		q += " (" + d + ")"
	}
	if msg := f.errors[el.Name]; msg != "" {
		q = fmt.Sprintf("  ! %s: %s\n%s", el.DisplayName, msg, q)
	}
	return q + ": "
}

// answer takes the line typed for the current element. It returns what is wrong with it (and then
// asks the same element again), or "" when the value was taken.
func (f *form) answer(line string) (problem string) {
	el := f.current()
	v, problem := parseValue(el, line)
	if problem != "" {
		return problem
	}
	f.values[el.Name] = v
	delete(f.errors, el.Name)
	f.todo = f.todo[1:]
	return ""
}

// retry prepares the form for another round after the integration refused the submission: the
// elements it complained about are asked again. It reports whether there is anything to ask
// (false when no complaint names an element of the form).
func (f *form) retry(errs map[string]string) bool {
	f.errors = map[string]string{}
	f.todo = nil
	for i, el := range f.req.Dialog.Elements {
		if msg, ok := errs[el.Name]; ok {
			f.errors[el.Name] = msg
			f.todo = append(f.todo, i)
		}
	}
	return len(f.todo) > 0
}

// parseValue turns a typed line into the value Mattermost's clients submit for el: a string for
// text and select elements (the option's value), a bool for bool elements.
func parseValue(el model.DialogElement, line string) (any, string) {
	s := strings.TrimSpace(line)
	if s == "" {
		switch {
		case el.Default != "":
			s = el.Default
		case el.Optional && el.Type == "bool":
			return false, ""
		case el.Optional:
			return "", ""
		default:
			return nil, "required"
		}
	}
	switch el.Type {
	case "select", "radio":
		if n, err := strconv.Atoi(s); err == nil {
			if n < 1 || n > len(el.Options) {
				return nil, fmt.Sprintf("choose a number from 1 to %d", len(el.Options))
			}
			return el.Options[n-1].Value, ""
		}
		for _, o := range el.Options {
			if strings.EqualFold(s, o.Value) || strings.EqualFold(s, o.Text) {
				return o.Value, ""
			}
		}
		return nil, fmt.Sprintf("not an option: choose a number from 1 to %d", len(el.Options))
	case "bool":
		switch strings.ToLower(s) {
		case "y", "yes", "j", "ja", "true", "1", "on":
			return true, ""
		case "n", "no", "nein", "false", "0", "off":
			return false, ""
		}
		return nil, "answer yes or no"
	default:
		n := utf8.RuneCountInString(s)
		if el.MaxLength > 0 && n > el.MaxLength {
			return nil, fmt.Sprintf("at most %d characters (this is %d)", el.MaxLength, n)
		}
		if el.MinLength > 0 && n < el.MinLength {
			return nil, fmt.Sprintf("at least %d characters", el.MinLength)
		}
		return s, ""
	}
}
