package commands

// Corrections (issue 9, point 4): `/kim kontakt ändern|löschen`,
// `/kim einschaetzung ändern|löschen`, `/kim ziel ändern|löschen`, addressed by the
// number the card and the lists show. One grammar for every record kind, as
// for barriers: <verb> ändern <case> <n> …, <verb> löschen <case> <n>
// [bestätigen]. Deleting says first exactly what would be deleted and which
// dates would move, and changes nothing (a dry run) until confirmed.

import (
	"fmt"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// correctionStore returns the store, or a dry run of it when the delete is
// not yet confirmed.
func (r *Runner) correctionStore(a *Args) *store.Store {
	if a.Has("confirm") {
		return r.svc.Store
	}
	return r.svc.Store.DryRun()
}

// contactEdit corrects a contact: its note, kind, minutes or date.
func (r *Runner) contactEdit(a *Args) (Reply, error) {
	ch := store.ContactChange{Note: a.OptStr("note"), Kind: a.OptStr("kind"), Minutes: a.OptInt("minutes"), On: a.Date("date")}
	c, k, was, err := r.svc.Store.EditContact(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), ch)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("contact.edited", map[string]any{"Ref": c.Ref, "N": k.N, "Kind": r.Name("kind", k.Kind), "Date": k.On,
		"Minutes": max(k.Minutes, 0)}) + r.wasLine(a, c.Ref, k.N, "", was) + "\n" + r.caseLine(c)}, nil
}

// wasLine shows the text a correction replaced (was; "" when none), with
// the line that puts it back when it can be typed as one quoted text:
// option names it (notiz=) when the text is an option, "" when it is the
// last parameter. A correction of the wrong record so loses nothing.
func (r *Runner) wasLine(a *Args, ref string, n int, option, was string) string {
	if was == "" {
		return ""
	}
	line := ""
	if q, ok := quotedText(was); ok {
		line = fmt.Sprintf("/kim %s %s %d %s%s", a.Verb.PathIn(r.Lang), ref, n, option, q)
	}
	return "\n" + r.T("correct.was", map[string]any{"Was": render.Cell(render.Clip(was, 300)), "Line": line})
}

// quotedText returns text in quotes as it can be typed again: "…", or „…“
// when it holds a straight quote; false when it holds both kinds, a
// backtick or a line break, or is too long to retype.
func quotedText(text string) (string, bool) {
	switch {
	case strings.ContainsAny(text, "`\n") || len([]rune(text)) > 1000:
		return "", false
	case !strings.Contains(text, `"`):
		return `"` + text + `"`, true
	case !strings.ContainsAny(text, "„“"):
		return "„" + text + "“", true
	}
	return "", false
}

// contactDelete deletes a contact once confirmed.
func (r *Runner) contactDelete(a *Args) (Reply, error) {
	c, k, err := r.correctionStore(a).DeleteContact(r.ctx, r.Actor(), a.Str("case"), a.Int("n"))
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": c.Ref, "N": k.N, "Kind": r.Name("kind", k.Kind), "Date": k.On,
		"Note": render.Cell(render.Clip(render.OneLine(k.Note), 80)), "Monitoring": r.Due(c.NextMonitoring)}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("contact.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("contact.deleted", data) + "\n" + r.caseLine(c)}, nil
}

// assessEdit corrects an assessment: scores per field, its date, its note.
// The answer shows its scores against the assessment before it, as a
// re-assessment does.
func (r *Runner) assessEdit(a *Args) (Reply, error) {
	ch := store.AssessmentChange{Scores: a.Scores(), Note: a.OptStr("note"), On: a.Date("date")}
	c, x, prev, was, err := r.svc.Store.EditAssessment(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), ch)
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": c.Ref, "N": x.Seq, "Date": x.On}
	key := "assessment.edited_first"
	if prev != nil {
		key, data["Prev"], data["PrevN"] = "assessment.edited", prev.On, prev.Seq
	}
	return Reply{Text: r.T(key, data) + "\n" + r.scoreTable(prev, x) + "\n" +
		r.T("assess.next", map[string]any{"Date": c.NextAssessment}) + r.wasLine(a, c.Ref, x.Seq, "notiz=", was) + "\n" + r.caseLine(c)}, nil
}

// assessDelete deletes an assessment once confirmed.
func (r *Runner) assessDelete(a *Args) (Reply, error) {
	c, x, err := r.correctionStore(a).DeleteAssessment(r.ctx, r.Actor(), a.Str("case"), a.Int("n"))
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": c.Ref, "N": x.Seq, "Date": x.On, "Assessment": r.Due(c.NextAssessment)}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("assessment.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("assessment.deleted", data) + "\n" + r.caseLine(c)}, nil
}

// caseEdit corrects a case's own data: pseudonym, target group, legal
// domain at the opening, intake day.
func (r *Runner) caseEdit(a *Args) (Reply, error) {
	ch := store.CaseChange{Pseudonym: a.OptStr("pseudonym"), Group: a.OptStr("group"), Domain: a.OptStr("domain"), OpenedOn: a.Date("date")}
	c, err := r.svc.Store.EditCase(r.ctx, r.Actor(), a.Str("case"), ch)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("case.edited", map[string]any{"Ref": c.Ref, "Pseudonym": render.Cell(c.Pseudonym),
		"Group": r.Name("group", c.Group), "Domain": r.Name("legal", c.Domain), "Opened": c.OpenedOn}) + r.fullNameHint(c) + "\n" + r.caseLine(c)}, nil
}

// goalEdit changes the text or the due date of a goal.
func (r *Runner) goalEdit(a *Args) (Reply, error) {
	c, g, was, err := r.svc.Store.EditGoal(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), store.GoalChange{Text: a.OptStr("text"), Due: a.Date("due"),
		NoDue: a.Word("due") == "none", Field: kim.LifeField(a.Str("field"))})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("goal.edited", map[string]any{"Ref": c.Ref, "N": g.N, "Field": r.Name("field", string(g.Field)), "Text": render.Cell(g.Text), "Due": g.Due, "HasDue": g.Due != nil}) +
		r.wasLine(a, c.Ref, g.N, "", was)}, nil
}

// goalDelete deletes a goal once confirmed.
func (r *Runner) goalDelete(a *Args) (Reply, error) {
	c, g, err := r.correctionStore(a).DeleteGoal(r.ctx, r.Actor(), a.Str("case"), a.Int("n"))
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": c.Ref, "N": g.N, "Field": r.Name("field", string(g.Field)), "Text": render.Cell(render.Clip(g.Text, 80))}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("goal.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("goal.deleted", data) + "\n" + r.caseLine(c)}, nil
}

// outcomeEdit corrects the latest outcome of a referral.
func (r *Runner) outcomeEdit(a *Args) (Reply, error) {
	o := a.Str("outcome")
	c, f, err := r.svc.Store.EditOutcome(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), o, a.Str("note"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("outcome.edited", map[string]any{"Ref": c.Ref, "N": f.N, "Partner": f.Partner.Name,
		"Outcome": r.Name("outcome", o), "Pending": o == "pending", "Followup": f.Followup}) + "\n" + r.caseLine(c)}, nil
}

// outcomeDelete deletes the latest outcome of a referral once confirmed.
func (r *Runner) outcomeDelete(a *Args) (Reply, error) {
	c, f, gone, err := r.correctionStore(a).DeleteOutcome(r.ctx, r.Actor(), a.Str("case"), a.Int("n"))
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": c.Ref, "N": f.N, "Partner": f.Partner.Name, "Gone": r.Name("outcome", gone.Outcome), "Date": gone.On,
		"Outcome": r.Name("outcome", f.Outcome), "Pending": f.Outcome == "pending", "Followup": f.Followup}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("outcome.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("outcome.deleted", data) + "\n" + r.caseLine(c)}, nil
}

// referralEdit corrects a referral's partner or reason.
func (r *Runner) referralEdit(a *Args) (Reply, error) {
	c, f, was, err := r.svc.Store.EditReferral(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), store.ReferralChange{Partner: a.OptStr("partner"), Reason: a.OptStr("reason")})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("referral.edited", map[string]any{"Ref": c.Ref, "N": f.N, "Partner": f.Partner.Name,
		"Reason": render.Cell(render.Clip(f.Reason, 120))}) + r.wasLine(a, c.Ref, f.N, "", was) + "\n" + r.caseLine(c)}, nil
}

// referralDelete deletes a referral with its outcomes after a dry run.
func (r *Runner) referralDelete(a *Args) (Reply, error) {
	c, f, outcomes, err := r.correctionStore(a).DeleteReferral(r.ctx, r.Actor(), a.Str("case"), a.Int("n"))
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": c.Ref, "N": f.N, "Partner": f.Partner.Name, "Date": f.On,
		"Reason": render.Cell(render.Clip(f.Reason, 120)), "Outcomes": outcomes}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("referral.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("referral.deleted", data) + "\n" + r.caseLine(c)}, nil
}

// consentEdit corrects the form or the day of an active consent.
func (r *Runner) consentEdit(a *Args) (Reply, error) {
	c, k, p, err := r.svc.Store.EditConsent(r.ctx, r.Actor(), a.Str("case"), a.Str("scope"), store.ConsentChange{Form: a.OptStr("form"), On: a.Date("date")})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("consent.edited", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Processing": p.Name == "",
		"Form": r.Name("form", k.Form), "Date": k.GrantedOn})}, nil
}

// consentDelete deletes a partner's consent recorded by mistake, after a
// dry run.
func (r *Runner) consentDelete(a *Args) (Reply, error) {
	c, k, p, err := r.correctionStore(a).DeleteConsent(r.ctx, r.Actor(), a.Str("case"), a.Str("scope"))
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": c.Ref, "Partner": p.Name, "Form": r.Name("form", k.Form), "Date": k.GrantedOn}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("consent.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("consent.deleted", data)}, nil
}
