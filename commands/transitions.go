package commands

// Lückenloser Rechtskreiswechsel: `/kim domain` with the steps of the
// transition, and the admins' templates (`/kim admin transition`).

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// Words of the domain verb's last parameter: close the open steps of an
// earlier change as no longer needed, or keep them.
const (
	openDrop = "confirm"
	openKeep = "keep"
)

// domainOpenParam is the last parameter of /kim domain: what happens to
// open steps of an earlier change (asked first when there are any).
var domainOpenParam = Param{Name: "open", Alias: "schritte", Kind: Choice, Choices: []string{openDrop, openKeep},
	Aliases: map[string]string{"bestaetigen": openDrop, "behalten": openKeep}, Optional: true}

// domainAs is the legal-domain parameter under another name (the two
// domains of a transition template).
func domainAs(name, alias string) Param {
	p := domainParam
	p.Name, p.Alias = name, alias
	return p
}

// domain records a Rechtskreiswechsel and creates the steps of the team's
// template for the pair. While steps of an earlier change are open it asks
// first, on a dry run, whether they still apply: `bestaetigen` closes them
// as no longer needed, `behalten` keeps them; without either nothing
// changes.
func (r *Runner) domain(a *Args) (Reply, error) {
	ch := store.DomainChange{Ref: a.Str("case"), Domain: a.Str("domain"), Since: r.dayOr(a, "since")}
	switch a.Str("open") {
	case openDrop:
		ch.Open = store.OpenDrop
	case openKeep:
		ch.Open = store.OpenKeep
	default:
		ch.Open = store.OpenDrop
		dry, err := r.svc.Store.DryRun().ChangeDomain(r.ctx, r.Actor(), ch)
		if err != nil {
			return Reply{}, legalErr(err)
		}
		if len(dry.Dropped) > 0 {
			return Reply{Text: r.domainQuestion(dry)}, nil
		}
		ch.Open = store.OpenRefuse
	}
	res, err := r.svc.Store.ChangeDomain(r.ctx, r.Actor(), ch)
	if err != nil {
		return Reply{}, legalErr(err)
	}
	c := res.Case
	text := r.T("domain.saved", map[string]any{"Ref": c.Ref, "From": r.Name("legal", res.From), "To": r.Name("legal", c.Domain), "Date": ch.Since})
	if ch.Open == store.OpenDrop && len(res.Dropped) > 0 {
		text += "\n" + r.T("domain.dropped", map[string]any{"N": len(res.Dropped), "Steps": stepNumbers(res.Dropped)})
	}
	if ch.Open == store.OpenKeep && len(res.Dropped) > 0 {
		text += "\n" + r.T("domain.kept", map[string]any{"N": len(res.Dropped), "Steps": stepNumbers(res.Dropped)})
	}
	if len(res.Steps) > 0 {
		text += "\n\n" + r.T("domain.steps", map[string]any{"N": len(res.Steps), "From": r.Name("legal", res.From), "To": r.Name("legal", c.Domain)}) + "\n" +
			r.StepTable(c.Ref, res.Steps, res.Consents)
	} else {
		text += "\n" + r.T("domain.no_steps", map[string]any{"From": r.Name("legal", res.From), "To": r.Name("legal", c.Domain)})
	}
	return Reply{Text: text + "\n" + r.caseLine(c)}, nil
}

// legalErr names the legal domains of a refusal (its From, To and Domain)
// as people write them, SGB II and keiner, not as kimbot keeps them (SGB2,
// none), in the reader's language.
func legalErr(err error) error {
	e := (*kim.Error)(nil)
	if !errors.As(err, &e) {
		return err
	}
	var args map[string]any
	for _, k := range []string{"From", "To", "Domain"} {
		if d, ok := e.Args[k].(string); ok && slices.Contains(kim.LegalDomains, d) {
			if args == nil {
				args = maps.Clone(e.Args)
			}
			args[k] = legalName(d)
			if d == "none" {
				args["None"] = true // "hat keinen Rechtskreis", not "im Rechtskreis keiner"
			}
		}
	}
	if args == nil {
		return err
	}
	return &kim.Error{Code: e.Code, Key: e.Key, Args: args, Err: e.Err}
}

// legalName is a legal domain's label (SGB II, keiner), rendered in the
// reader's language.
func legalName(d string) local {
	return func(lang string) string { return messages.T(lang, "legal."+d, nil) }
}

// domainQuestion asks whether the open steps of an earlier change still
// apply; nothing has changed yet.
func (r *Runner) domainQuestion(dry store.DomainChanged) string {
	var list []string
	for _, s := range dry.Dropped {
		list = append(list, fmt.Sprintf("%d. %s (%s)", s.N, render.Clip(render.OneLine(s.Text), 80), r.Due(&s.Due)))
	}
	base := "/kim " + strings.Join(strings.Fields(r.req.Text), " ")
	drop, keep := base+" "+r.T("confirm.word", nil), base+" "+r.T("domain.keep_word", nil)
	r.offer(drop, r.T("run.drop_steps", map[string]any{"N": len(dry.Dropped)}))
	r.offer(keep, r.T("run.keep_steps", map[string]any{"N": len(dry.Dropped)}))
	return r.T("domain.open_question", map[string]any{"Ref": dry.Case.Ref, "N": len(dry.Dropped), "From": r.Name("legal", dry.From),
		"To":    r.Name("legal", dry.Case.Domain),
		"Steps": "- " + strings.Join(list, "\n- "), "Drop": drop, "Keep": keep})
}

// domainDelete deletes the case's latest Rechtskreiswechsel with its steps
// once confirmed; first it says, on a dry run, what would go and what would
// be open again.
func (r *Runner) domainDelete(a *Args) (Reply, error) {
	res, err := r.correctionStore(a).DeleteDomainChange(r.ctx, r.Actor(), a.Str("case"))
	if err != nil {
		return Reply{}, err
	}
	done := 0
	for _, st := range res.Steps {
		if st.Status == kim.StepDone {
			done++
		}
	}
	data := map[string]any{"Ref": res.Case.Ref, "From": r.Name("legal", res.From), "To": r.Name("legal", res.To), "Date": res.Since,
		"N": len(res.Steps), "Done": done, "Reopened": len(res.Reopened), "ReopenedSteps": stepNumbers(res.Reopened)}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("domain.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("domain.deleted", data) + "\n" + r.caseLine(res.Case)}, nil
}

// domainEdit corrects the day of the latest Rechtskreiswechsel.
func (r *Runner) domainEdit(a *Args) (Reply, error) {
	if !a.Has("since") {
		return Reply{}, usageErr("domain.edit_nothing", a.Verb, nil)
	}
	res, err := r.svc.Store.MoveDomainChange(r.ctx, r.Actor(), a.Str("case"), *a.Date("since"))
	if err != nil {
		return Reply{}, legalErr(err)
	}
	return Reply{Text: r.T("domain.edited", map[string]any{"Ref": res.Case.Ref, "From": r.Name("legal", res.From), "To": r.Name("legal", res.To),
		"Old": res.Old, "Date": res.New, "Moved": res.Moved}) + "\n" + r.caseLine(res.Case)}, nil
}

// stepNumbers lists the numbers of steps: "3, 4, 7".
func stepNumbers(steps []kim.CaseStep) string {
	ns := make([]string, len(steps))
	for i, s := range steps {
		ns[i] = fmt.Sprint(s.N)
	}
	return strings.Join(ns, ", ")
}

// noPartner are the words that remove a template step's partner.
var noPartner = map[string]bool{"none": true, "keiner": true, "kein": true, "-": true}

// transitionList shows the team's templates: every pair, or one.
func (r *Runner) transitionList(a *Args) (Reply, error) {
	from, to := a.Str("from"), a.Str("to")
	if from != "" && to == "" {
		return Reply{}, usageErr("transition.pair_half", a.Verb, nil)
	}
	list, err := r.svc.Store.TransitionTemplates(r.ctx, r.Actor(), from, to)
	if err != nil {
		return Reply{}, legalErr(err)
	}
	var b strings.Builder
	b.WriteString(r.T("transition.list", map[string]any{"N": len(list)}))
	for _, t := range list {
		fmt.Fprintf(&b, "\n\n%s\n", r.T("transition.pair", map[string]any{"From": r.Name("legal", t.From), "To": r.Name("legal", t.To), "N": len(t.Steps)}))
		if len(t.Steps) == 0 {
			b.WriteString(r.T("transition.pair_empty", nil))
			continue
		}
		b.WriteString(r.templateTable(t.Steps))
	}
	b.WriteString("\n\n" + r.T("transition.list_footer", nil))
	return Reply{Text: b.String()}, nil
}

// templateTable renders template steps: number, text, partner, offset and
// whether it is kimbot's unchanged suggestion.
func (r *Runner) templateTable(steps []kim.StepTemplate) string {
	rows := make([][]string, len(steps))
	for i, s := range steps {
		partner, mark := "–", ""
		if s.Partner.Key != "" {
			partner = render.Cell(s.Partner.Name) + " (`" + s.Partner.Key + "`)"
		}
		if s.PartnerRemoved {
			partner += " " + r.T("transition.partner_removed", nil)
		}
		if s.Suggested {
			mark = r.T("transition.suggested", nil)
		}
		rows[i] = []string{fmt.Sprint(s.N), render.Cell(s.Text), partner, r.T("transition.days", map[string]any{"N": s.Days}), mark}
	}
	return render.Table(r.Heads("head.n", "step.head", "head.partner", "transition.head_days", "transition.head_source"), rows)
}

// templateAnswer is the answer to a change of a template step.
func (r *Runner) templateAnswer(key, from, to string, st kim.StepTemplate) (Reply, error) {
	return Reply{Text: r.T(key, map[string]any{"From": r.Name("legal", from), "To": r.Name("legal", to), "N": st.N}) + "\n" +
		r.templateTable([]kim.StepTemplate{st})}, nil
}

// transitionAdd appends a step to a pair's template.
func (r *Runner) transitionAdd(a *Args) (Reply, error) {
	days := 14
	if a.Has("days") {
		days = a.Int("days")
	}
	partner := a.Str("partner")
	if noPartner[kim.Fold(partner)] {
		partner = ""
	}
	st, err := r.svc.Store.AddTemplateStep(r.ctx, r.Actor(), a.Str("from"), a.Str("to"), a.Str("text"), partner, days)
	if err != nil {
		return Reply{}, legalErr(err)
	}
	return r.templateAnswer("transition.added", a.Str("from"), a.Str("to"), st)
}

// transitionEdit changes the text, partner or offset of a template step.
func (r *Runner) transitionEdit(a *Args) (Reply, error) {
	e := store.StepEdit{Text: a.OptStr("text"), Partner: a.OptStr("partner"), Days: a.OptInt("days")}
	if e.Partner != nil && noPartner[kim.Fold(*e.Partner)] {
		*e.Partner = ""
	}
	if e.Text == nil && e.Partner == nil && e.Days == nil {
		return Reply{}, usageErr("transition.edit_nothing", a.Verb, nil)
	}
	st, err := r.svc.Store.EditTemplateStep(r.ctx, r.Actor(), a.Str("from"), a.Str("to"), a.Int("n"), e)
	if err != nil {
		return Reply{}, legalErr(err)
	}
	return r.templateAnswer("transition.edited", a.Str("from"), a.Str("to"), st)
}

// transitionRemove removes a step from a pair's template once confirmed:
// first it says which step would go and changes nothing (its text and place
// cannot be brought back).
func (r *Runner) transitionRemove(a *Args) (Reply, error) {
	st, err := r.correctionStore(a).RemoveTemplateStep(r.ctx, r.Actor(), a.Str("from"), a.Str("to"), a.Int("n"))
	if err != nil {
		return Reply{}, legalErr(err)
	}
	data := map[string]any{"From": r.Name("legal", a.Str("from")), "To": r.Name("legal", a.Str("to")), "N": st.N, "Text": render.Cell(st.Text)}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("transition.remove_confirm", data)}, nil
	}
	return Reply{Text: r.T("transition.removed", data)}, nil
}

// step checks a transition step off (done, the default), opens it again or
// closes it as no longer needed.
// steps shows every step of the case's newest Rechtskreiswechsel with its
// state, as a checklist, and the lines that check one off.
func (r *Runner) steps(a *Args) (Reply, error) {
	c, list, consents, err := r.svc.Store.CaseSteps(r.ctx, r.Actor(), a.Str("case"))
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: r.T("steps.none", map[string]any{"Ref": c.Ref})}, nil
	}
	t := list[len(list)-1]
	done, open, overdue := t.Counts(r.Today)
	text := r.T("steps.title", map[string]any{"Ref": c.Ref, "From": r.Name("legal", t.From), "To": r.Name("legal", t.To), "Since": t.Since,
		"Done": done, "Open": open, "Overdue": overdue}) + "\n" + r.StepTable(c.Ref, t.Steps, consents)
	if open > 0 {
		text += "\n" + r.T("steps.hint", map[string]any{"Ref": c.Ref})
	}
	if len(list) > 1 {
		text += "\n" + r.T("steps.earlier", map[string]any{"N": len(list) - 1})
	}
	return Reply{Text: text}, nil
}

func (r *Runner) step(a *Args) (Reply, error) {
	status, ns := a.Str("status"), a.Ints("n")
	var c kim.Case
	var set store.StepSet
	var err error
	switch {
	case a.Has("due") && (status != "" || a.Has("date")):
		return Reply{}, usageErr("step.due_with_status", a.Verb, nil)
	case a.Has("due"):
		c, set, err = r.svc.Store.SetStepDue(r.ctx, r.Actor(), a.Str("case"), ns, *a.Date("due"))
		status = "due" // the answer step.set.due
	default:
		if status == "" {
			status = kim.StepDone
		}
		c, set, err = r.svc.Store.SetStep(r.ctx, r.Actor(), a.Str("case"), ns, status, r.dayOr(a, "date"))
	}
	if err != nil {
		return Reply{}, listRefused(err, ns, "step.list_refused")
	}
	var lines []string
	for _, st := range set.Steps {
		lines = append(lines, r.T("step.set."+status, map[string]any{"Ref": c.Ref, "N": st.N, "Text": render.Cell(st.Text), "Date": st.ClosedOn, "Due": st.Due}))
	}
	if status == "due" {
		if note := r.workdayNote(*a.Date("due")); note != "" {
			lines = append(lines, note[1:])
		}
	}
	progress := r.T("step.progress", map[string]any{"From": r.Name("legal", set.From), "To": r.Name("legal", set.To),
		"Since": set.Since, "Done": set.Done, "Open": set.Open, "Overdue": set.Overdue})
	return Reply{Text: strings.Join(lines, "\n") + "\n" + progress + "\n" + r.caseLine(c)}, nil
}
