package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
)

// StepStatus is a transition step's state as shown: open, overdue, done on
// its day, or no longer needed.
func (v View) StepStatus(s kim.CaseStep) string {
	switch {
	case s.Status == kim.StepDone:
		return v.T("step.status.done", map[string]any{"Date": s.ClosedOn})
	case s.Status == kim.StepDropped:
		return v.T("step.status.dropped", nil)
	case s.Overdue(v.Today):
		return v.T("step.status.overdue", nil)
	}
	return v.T("step.status.open", nil)
}

// StepTable renders the steps of a transition of case ref: number, text,
// partner (with a missing consent named), due day and state; below it the
// lines that refer an open step's partner or record the missing consent.
func (v View) StepTable(ref string, steps []kim.CaseStep, consents []kim.Consent) string {
	return v.stepTable(ref, steps, consents, true)
}

// stepTable is StepTable, with the referral and consent lines below only
// when hints is set.
func (v View) stepTable(ref string, steps []kim.CaseStep, consents []kim.Consent, hints bool) string {
	rows := make([][]string, len(steps))
	var refer, missing []string
	seen := map[string]bool{}
	for i, s := range steps {
		partner := "–"
		if s.Partner.Key != "" {
			partner = Cell(s.Partner.Name)
			consent := kim.HasConsent(consents, s.Partner.Key)
			if s.Open() && !consent {
				partner += " (" + v.T("step.no_consent", nil) + ")"
			}
			if s.Open() && !seen[s.Partner.Key] {
				seen[s.Partner.Key] = true
				if consent {
					refer = append(refer, "`/kim verweis "+ref+" "+s.Partner.Key+" …`")
				} else {
					missing = append(missing, "`/kim einwilligung "+ref+" erteilen "+s.Partner.Key+"`")
				}
			}
		}
		due := s.Due.Format(v.Lang)
		if s.Open() {
			due = v.Due(&s.Due)
		}
		rows[i] = []string{fmt.Sprint(s.N), Cell(s.Text), partner, due, v.StepStatus(s)}
	}
	out := Table(v.Heads("head.n", "step.head", "head.partner", "head.due", "head.status"), rows)
	if !hints {
		return out
	}
	if len(refer) > 0 {
		out += "\n" + v.T("step.refer", map[string]any{"Lines": strings.Join(refer, " · ")})
	}
	if len(missing) > 0 {
		out += "\n" + v.T("step.consent_missing", map[string]any{"Lines": strings.Join(missing, " · ")})
	}
	return out
}

// cardSteps is how many open steps the card shows.
const cardSteps = 5

// transitions is the card's section of the Rechtskreiswechsel with steps:
// the newest with its steps, earlier ones as a line each.
func (v View) transitions(c kim.Case, list []kim.CaseTransition, consents []kim.Consent) string {
	if len(list) == 0 {
		return ""
	}
	var b strings.Builder
	line := func(t kim.CaseTransition) string {
		done, open, overdue := t.Counts(v.Today)
		dropped := len(t.Steps) - done - open
		return v.T("card.transition", map[string]any{"From": v.Name("legal", t.From), "To": v.Name("legal", t.To), "Date": t.Since,
			"Done": done, "Open": open, "Overdue": overdue, "Dropped": dropped, "N": len(t.Steps)})
	}
	// The card fits a screen: the newest transition's next open steps
	// (soonest first), the rest counted; done ones are in the count line.
	last := list[len(list)-1]
	var open []kim.CaseStep
	for _, s := range last.Steps {
		if s.Open() {
			open = append(open, s)
		}
	}
	slices.SortStableFunc(open, func(a, b kim.CaseStep) int { return a.Due.UTC().Compare(b.Due.UTC()) })
	more := 0
	if len(open) > cardSteps {
		open, more = open[:cardSteps], len(open)-cardSteps
	}
	fmt.Fprintf(&b, "\n**%s**\n", line(last))
	if len(open) > 0 {
		b.WriteString(v.stepTable(c.Ref, open, consents, false) + "\n")
	}
	if more > 0 {
		b.WriteString(v.T("card.transition_more", map[string]any{"N": more, "Ref": c.Ref}) + "\n")
	}
	for i := len(list) - 2; i >= 0; i-- {
		b.WriteString(v.T("card.transition_earlier", map[string]any{"Line": line(list[i])}) + "\n")
	}
	return b.String()
}
