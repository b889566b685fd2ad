package commands

// Interactive dialogs for what coaches do most: opening a case (`/kim open`
// without arguments), logging a contact, assessing and making a referral
// (`/kim contact <case>` / `/kim assess <case>` / `/kim refer <case>` without
// more; the first two also open from a digest's "done" button, see
// Request.Item). A submission is turned
// into the command line the user could have typed and runs through the same
// parser and handler, so validation is identical; errors come back per field.

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
)

// maxDateField is the length of a form's date field: enough for a date in
// words (Ende Februar 2027, vor einer Woche).
const maxDateField = 20

// Callback ids of the dialogs; contact, assess and refer carry the case: "contact K-2026-0042".
const (
	DialogOpen    = "open"
	DialogContact = "contact"
	DialogAssess  = "assess"
	DialogRefer   = "refer"
)

// DialogAnswer is what a dialog submission gets back.
type DialogAnswer struct {
	// Text is the answer after success (shown ephemerally).
	Text string
	// Error is a general error; the dialog stays open.
	Error string
	// Errors are errors per element name; the dialog stays open.
	Errors map[string]string
	// Verb and Outcome as in Reply.
	Verb, Outcome string
}

// OK reports whether the submission succeeded.
func (d DialogAnswer) OK() bool { return d.Error == "" && len(d.Errors) == 0 }

// openDialog is the form of `/kim open` without arguments.
func (r *Runner) openDialog(*Args) (Reply, error) {
	groups := make([]Option, len(kim.TargetGroups))
	for i, g := range kim.TargetGroups {
		groups[i] = Option{Text: r.Name("group", g), Value: g}
	}
	return Reply{Dialog: &Dialog{
		CallbackID: DialogOpen, Title: r.T("dialog.open.title", nil), SubmitLabel: r.T("dialog.open.submit", nil),
		Elements: []Element{
			{Name: "pseudonym", Label: r.T("dialog.open.pseudonym", nil), Type: "text", MaxLen: MaxPseudonym, Help: r.T("dialog.open.pseudonym_help", nil)},
			{Name: "group", Label: r.T("card.group", nil), Type: "select", Options: groups},
			{Name: "domain", Label: r.T("card.domain", nil), Type: "select", Options: r.domainOptions(), Default: "none", Optional: true},
			{Name: "form", Label: r.T("dialog.open.form", nil), Type: "select", Default: "written", Optional: true,
				Options: []Option{{r.Name("form", "written"), "written"}, {r.Name("form", "oral"), "oral"}}},
			{Name: "consent", Label: r.T("dialog.open.consent", nil), Type: "bool", Optional: true, Help: r.T("dialog.open.consent_help", nil)},
			{Name: "date", Label: r.T("dialog.open.date", nil), Type: "text", MaxLen: maxDateField, Optional: true, Help: r.T("dialog.open.date_help", nil)},
		},
	}}, nil
}

func (r *Runner) domainOptions() []Option {
	out := make([]Option, len(kim.LegalDomains))
	for i, d := range kim.LegalDomains {
		out[i] = Option{Text: r.Name("legal", d), Value: d}
	}
	return out
}

// formCase checks, before a form of case ref opens, that the caller may
// write the case (audited as case.form). A form opened by a digest button
// (Request.Item) needs the item's date to be still the button's, as the
// button itself would: otherwise the press changes nothing.
func (r *Runner) formCase(ref string) error {
	c, err := r.svc.Store.CheckCase(r.ctx, r.Actor(), ref, "case.form")
	return r.formItem(c, err)
}

// formItem finishes formCase's check on the case c (or err) that the form's
// read returned.
func (r *Runner) formItem(c kim.Case, err error) error {
	it := r.req.Item
	if it == nil {
		return err
	}
	if code := kim.ErrorCode(err); code == kim.ENOTFOUND || code == kim.ECONFLICT {
		return kim.Errorf(kim.ENOTFOUND, "remind.item_gone", nil) // not the caller's (any more), or closed
	} else if err != nil {
		return err
	}
	cur := c.NextAssessment
	if it.Kind == kim.ItemMonitoring {
		cur = c.NextMonitoring
	}
	if cur == nil || *cur != it.Due {
		return kim.Errorf(kim.ECONFLICT, "remind.item_changed", nil)
	}
	return nil
}

// contactDialog is the form of `/kim contact <case>`.
func (r *Runner) contactDialog(a *Args) (Reply, error) {
	ref := a.Str("case")
	if err := r.formCase(ref); err != nil {
		return Reply{}, err
	}
	kinds := make([]Option, len(kim.ContactKinds))
	for i, k := range kim.ContactKinds {
		kinds[i] = Option{Text: r.Name("kind", k), Value: k}
	}
	return Reply{Dialog: &Dialog{
		CallbackID: DialogContact + " " + ref, Title: r.T("dialog.contact.title", map[string]any{"Ref": ref}),
		SubmitLabel: r.T("dialog.save", nil),
		Elements: []Element{
			{Name: "kind", Label: r.T("dialog.contact.kind", nil), Type: "select", Options: kinds},
			{Name: "minutes", Label: r.T("dialog.contact.minutes", nil), Type: "text", MaxLen: 12, Optional: true, Help: r.T("dialog.contact.minutes_help", nil)},
			{Name: "date", Label: r.T("dialog.date", nil), Type: "text", MaxLen: maxDateField, Optional: true, Help: r.T("dialog.date_help", nil)},
			{Name: "note", Label: r.T("head.note", nil), Type: "textarea", MaxLen: MaxText},
		},
	}}, nil
}

// assessDialog is the form of `/kim assess <case>`: a score per life field
// (each optional, at least one, its latest score and day in its help), a
// note and the day. The scores are the caller's read of the case, checked
// as formCase checks and audited (store.AssessForm).
func (r *Runner) assessDialog(a *Args) (Reply, error) {
	ref := a.Str("case")
	c, past, err := r.svc.Store.AssessForm(r.ctx, r.Actor(), ref)
	if err := r.formItem(c, err); err != nil {
		return Reply{}, err
	}
	latest := map[kim.LifeField]kim.FieldScore{}
	for _, f := range kim.LatestScores(past) {
		latest[f.Field] = f
	}
	scores := make([]Option, 5)
	for i := range scores {
		scores[i] = Option{Text: r.T("dialog.assess.score", map[string]any{"N": i + 1}), Value: strconv.Itoa(i + 1)}
	}
	var els []Element
	for _, f := range kim.LifeFields {
		e := Element{Name: string(f), Label: r.Label("field", string(f)), Type: "select", Options: scores, Optional: true}
		var help []string
		if s, ok := latest[f]; ok {
			help = append(help, r.T("dialog.assess.latest", map[string]any{"Score": s.Score, "Date": s.On}))
		}
		e.Help = strings.Join(help, " ")
		els = append(els, e)
	}
	els = append(els,
		Element{Name: "note", Label: r.T("head.note", nil), Type: "textarea", MaxLen: MaxText, Optional: true},
		Element{Name: "date", Label: r.T("dialog.date", nil), Type: "text", MaxLen: maxDateField, Optional: true, Help: r.T("dialog.date_help", nil)})
	return Reply{Dialog: &Dialog{
		CallbackID: DialogAssess + " " + ref, Title: r.T("dialog.assess.title", map[string]any{"Ref": ref}),
		Intro:       r.T("dialog.assess.intro", map[string]any{"Ref": ref}),
		SubmitLabel: r.T("dialog.save", nil), Elements: els,
	}}, nil
}

// referDialog is the form of `/kim refer <case>`.
func (r *Runner) referDialog(a *Args) (Reply, error) {
	ref := a.Str("case")
	if err := r.formCase(ref); err != nil {
		return Reply{}, err
	}
	partners, err := r.svc.Store.Partners(r.ctx, r.req.TeamID)
	if err != nil {
		return Reply{}, err
	}
	opts := make([]Option, len(partners))
	for i, p := range partners {
		opts[i] = Option{Text: p.Name, Value: p.Key}
	}
	return Reply{Dialog: &Dialog{
		CallbackID: DialogRefer + " " + ref, Title: r.T("dialog.refer.title", map[string]any{"Ref": ref}),
		SubmitLabel: r.T("dialog.refer.submit", nil),
		Elements: []Element{
			{Name: "partner", Label: r.T("head.partner", nil), Type: "select", Options: opts, Help: r.T("dialog.refer.partner_help", nil)},
			{Name: "reason", Label: r.T("dialog.refer.reason", nil), Type: "textarea", MaxLen: MaxText},
			{Name: "followup", Label: r.T("dialog.refer.followup", nil), Type: "text", MaxLen: 4, Optional: true, Help: r.T("dialog.refer.followup_help", nil)},
		},
	}}, nil
}

// dialogSpec says how a dialog's values become a command line.
type dialogSpec struct {
	required []string // elements that must not be empty
	oneOf    []string // elements of which at least one must be set
	noneKey  string   // the general error when none of oneOf is
	texts    []string // free-text elements checked to come back unchanged
	fields   []string // all elements
	build    func(b *lineBuilder, ref string, v map[string]string)
	keyField map[string]string // error keys that belong to a field
}

var dialogSpecs = map[string]dialogSpec{
	DialogOpen: {
		required: []string{"pseudonym", "group"},
		texts:    []string{"pseudonym"},
		fields:   []string{"pseudonym", "group", "domain", "form", "consent", "date"},
		build: func(b *lineBuilder, _ string, v map[string]string) {
			b.word("open")
			b.arg("pseudonym", v["pseudonym"])
			b.opt("group", v["group"])
			b.opt("domain", v["domain"])
			consent := "no"
			switch strings.ToLower(strings.TrimSpace(v["consent"])) {
			case "true", "yes", "ja", "1", "on":
				consent = "yes"
			}
			b.opt("consent", consent)
			b.opt("form", v["form"])
			b.opt("date", v["date"])
		},
		keyField: map[string]string{"err.consent_required": "consent"},
	},
	DialogContact: {
		required: []string{"kind", "note"},
		texts:    []string{"note"},
		fields:   []string{"kind", "minutes", "date", "note"},
		build: func(b *lineBuilder, ref string, v map[string]string) {
			b.word("contact")
			b.word(ref)
			b.arg("kind", v["kind"])
			b.opt("minutes", v["minutes"])
			b.opt("date", v["date"])
			b.arg("note", v["note"])
		},
	},
	DialogAssess: {
		oneOf:   lifeFieldNames(),
		noneKey: "dialog.assess.no_scores",
		texts:   []string{"note"},
		fields:  append(lifeFieldNames(), "note", "date"),
		build: func(b *lineBuilder, ref string, v map[string]string) {
			b.word("assess")
			b.word(ref)
			for _, f := range kim.LifeFields {
				b.opt(string(f), v[string(f)])
			}
			b.opt("note", v["note"])
			b.opt("date", v["date"])
		},
	},
	DialogRefer: {
		required: []string{"partner", "reason"},
		texts:    []string{"reason"},
		fields:   []string{"partner", "reason", "followup"},
		build: func(b *lineBuilder, ref string, v map[string]string) {
			b.word("refer")
			b.word(ref)
			b.arg("partner", v["partner"])
			b.arg("reason", v["reason"])
			b.opt("followup", v["followup"])
		},
	},
}

// lifeFieldNames returns the names of the life fields (the assessment
// form's elements).
func lifeFieldNames() []string {
	out := make([]string, len(kim.LifeFields))
	for i, f := range kim.LifeFields {
		out[i] = string(f)
	}
	return out
}

// lineBuilder assembles a command line from dialog values, quoting each.
type lineBuilder struct {
	parts []string
	bad   string // a field whose value cannot be quoted
}

// closers are the quote pairs of the tokenizer, by closing character.
var closers = [][2]string{{`"`, `"`}, {"„", "“"}, {"“", "”"}, {"»", "«"}, {"«", "»"}}

func (b *lineBuilder) quote(field, s string) string {
	for _, q := range closers {
		if !strings.Contains(s, q[1]) {
			return q[0] + s + q[1]
		}
	}
	if b.bad == "" {
		b.bad = field
	}
	return ""
}

func (b *lineBuilder) word(w string) { b.parts = append(b.parts, w) }

// arg adds a positional value (skipped when empty).
func (b *lineBuilder) arg(field, v string) {
	if v = strings.TrimSpace(v); v != "" {
		b.parts = append(b.parts, b.quote(field, v))
	}
}

// opt adds name=value (skipped when empty).
func (b *lineBuilder) opt(name, v string) {
	if v = strings.TrimSpace(v); v != "" {
		b.parts = append(b.parts, b.quote(name, name+"="+v))
	}
}

// SubmitDialog runs a submitted dialog as the caller: callbackID says which
// (as made by the form), values are the submitted elements as text.
func (s *Service) SubmitDialog(ctx context.Context, req Request, callbackID string, values map[string]string) (ans DialogAnswer) {
	ans.Verb = "dialog"
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("commands: panic in dialog", "panic", p)
			ans = DialogAnswer{Error: messages.T(req.User.Language(), "err.internal", nil), Verb: "dialog", Outcome: kim.EINTERNAL}
		}
		if ans.Outcome == "" {
			ans.Outcome = "ok"
		}
	}()
	r, err := s.runner(ctx, req)
	if err != nil {
		return s.dialogFail(r, err, dialogSpec{})
	}
	kind, ref, _ := strings.Cut(callbackID, " ")
	spec, ok := dialogSpecs[kind]
	if _, isRef := kim.ParseCaseRef(ref); !ok || (kind != DialogOpen && !isRef) {
		return s.dialogFail(r, kim.Errorf(kim.EINVALID, "dialog.unknown", nil), spec)
	}
	ans.Verb = "dialog " + kind
	for _, f := range spec.required {
		if strings.TrimSpace(values[f]) == "" {
			return DialogAnswer{Errors: map[string]string{f: r.T("dialog.required", nil)}, Verb: ans.Verb, Outcome: kim.EINVALID}
		}
	}
	if len(spec.oneOf) > 0 && !slices.ContainsFunc(spec.oneOf, func(f string) bool { return strings.TrimSpace(values[f]) != "" }) {
		return DialogAnswer{Error: r.T(spec.noneKey, nil), Verb: ans.Verb, Outcome: kim.EINVALID}
	}
	// A free text that reads like an option of the verb would be taken for one.
	for _, f := range spec.texts {
		if m := optionRE.FindStringSubmatch(strings.TrimSpace(values[f])); m != nil && kimVerbs.sub(kind).option(strings.ToLower(m[1])) != nil {
			return DialogAnswer{Errors: map[string]string{f: r.T("dialog.text_option", nil)}, Verb: ans.Verb, Outcome: kim.EINVALID}
		}
	}
	b := &lineBuilder{}
	spec.build(b, strings.ToUpper(ref), values)
	if b.bad != "" {
		return DialogAnswer{Errors: map[string]string{b.bad: r.T("dialog.quotes", nil)}, Verb: ans.Verb, Outcome: kim.EINVALID}
	}
	a, err := parse(strings.Join(b.parts, " "), false, r.Today) // a submission never opens another dialog
	if err != nil {
		return s.dialogFail(r, err, spec)
	}
	for _, f := range spec.texts {
		if v := strings.TrimSpace(values[f]); v != "" && a.Str(f) != v {
			return DialogAnswer{Errors: map[string]string{f: r.T("dialog.text_option", nil)}, Verb: ans.Verb, Outcome: kim.EINVALID}
		}
	}
	if err := r.allowed(a.Verb); err != nil {
		return s.dialogFail(r, err, spec)
	}
	rep, err := a.Verb.Run(r, a)
	if err != nil {
		return s.dialogFail(r, err, spec)
	}
	ans.Text = rep.Text
	return ans
}

// dialogFail maps an error to the field it is about, or a general error.
func (s *Service) dialogFail(r *Runner, err error, spec dialogSpec) DialogAnswer {
	out := DialogAnswer{Verb: "dialog", Outcome: kim.ErrorCode(err)}
	var e *kim.Error
	if !errors.As(err, &e) || e.Code == kim.EINTERNAL {
		out.Error = s.errorText(r, err)
		return out
	}
	text := r.shortText(e)
	field := spec.keyField[e.Key]
	if field == "" {
		if f, ok := e.Args["Field"].(string); ok {
			field = f
		} else if n, ok := e.Args["Name"].(string); ok {
			field = strings.TrimSuffix(n, "=…")
		} else if n, ok := e.Args["Name"].(messages.Localized); ok {
			field = strings.TrimSuffix(n.Local("en"), "=…") // the parameter's own name
		}
	}
	if e.Key == "err.missing" {
		text = r.T("dialog.required", nil)
	}
	for _, f := range spec.fields {
		if f == field {
			out.Errors = map[string]string{f: text}
			return out
		}
	}
	out.Error = text
	return out
}

// usageMark stands in for the usage line when an error is shown in a form.
const usageMark = "\x00usage\x00"

// shortText renders an error without the trailing usage line.
func (r *Runner) shortText(e *kim.Error) string {
	args := make(map[string]any, len(e.Args))
	for k, v := range e.Args {
		args[k] = v
	}
	if _, ok := args["Usage"]; !ok {
		return r.T(e.Key, args)
	}
	args["Usage"] = usageMark
	s := r.T(e.Key, args)
	if i := strings.Index(s, usageMark); i >= 0 {
		s = s[:i]
		if j := strings.LastIndex(s, ". "); j >= 0 {
			s = s[:j+1]
		} else {
			s = strings.TrimRight(s, " `:")
		}
	}
	return strings.TrimSpace(s)
}
