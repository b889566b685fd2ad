package render

import (
	"fmt"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Card renders the case card as /kim show answers it: one screen,
// sections only when filled.
func (v View) Card(card kim.Card) string {
	c := card.Case
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s · %s\n", c.Ref, v.Pseudonym(c))
	fmt.Fprintf(&b, "%s: %s · %s: %s · %s: %s · %s: @%s\n",
		v.T("card.group", nil), v.Name("group", c.Group), v.T("card.domain", nil), c.Domain,
		v.T("card.phase", nil), v.Name("phase", c.Phase), v.T("card.owner", nil), c.OwnerName)
	if !c.Open() {
		fmt.Fprintf(&b, "%s: %s (%s)\n", v.T("card.closed", nil), v.Date(c.ClosedOn), v.Name("reason", c.CloseReason))
	} else {
		fmt.Fprintf(&b, "%s: %s %s · %s %s\n", v.T("card.next", nil),
			v.T("due.monitoring", nil), v.Due(c.NextMonitoring), v.T("due.assessment", nil), v.Due(c.NextAssessment))
	}
	var consents []string
	for _, k := range card.Consents {
		what := v.T("consent.processing", nil)
		if k.Scope == "partner" {
			what = k.Partner
		}
		consents = append(consents, fmt.Sprintf("%s (%s, %s)", what, v.Name("form", k.Form), k.GrantedOn.Format(v.Lang)))
	}
	if len(consents) == 0 {
		consents = []string{v.T("card.none", nil)}
	}
	fmt.Fprintf(&b, "%s: %s\n", v.T("card.consent", nil), strings.Join(consents, "; "))
	if n := len(card.Assessments); n > 0 {
		latest := card.Assessments[n-1]
		var prev *kim.Assessment
		if n > 1 {
			prev = &card.Assessments[n-2]
		}
		fmt.Fprintf(&b, "\n**%s** %s\n%s\n", v.T("card.assessment", map[string]any{"Seq": latest.Seq}),
			latest.On.Format(v.Lang), v.scoreLine(latest, prev))
	}
	if len(card.Goals) > 0 {
		rows := make([][]string, len(card.Goals))
		for i, g := range card.Goals {
			rows[i] = []string{fmt.Sprint(g.N), v.Name("field", string(g.Field)), Cell(g.Text), v.Date(g.Due), v.Name("goal", g.Status)}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", v.T("card.goals", nil), Table(v.Heads("head.n", "head.field", "head.goal", "head.due", "head.status"), rows))
	}
	if len(card.Referrals) > 0 {
		rows := make([][]string, len(card.Referrals))
		for i, f := range card.Referrals {
			followup := "–"
			if f.Outcome == "pending" {
				followup = v.Due(f.Followup)
			}
			rows[i] = []string{fmt.Sprint(f.N), Cell(f.Partner.Name), f.On.Format(v.Lang), v.Name("outcome", f.Outcome), followup}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", v.T("card.referrals", nil), Table(v.Heads("head.n", "head.partner", "head.since", "head.outcome", "head.followup"), rows))
	}
	if len(card.Contacts) > 0 {
		rows := make([][]string, len(card.Contacts))
		for i, k := range card.Contacts {
			rows[i] = []string{k.On.Format(v.Lang), v.Name("kind", k.Kind), Minutes(k.Minutes), Cell(k.Note)}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", v.T("card.contacts", nil), Table(v.Heads("head.date", "head.kind", "head.minutes", "head.note"), rows))
	}
	return strings.TrimRight(b.String(), "\n")
}

// scoreLine lists the scores of an assessment, with the change against the
// previous one where there is one.
func (v View) scoreLine(a kim.Assessment, prev *kim.Assessment) string {
	var parts []string
	for _, f := range kim.LifeFields {
		n, ok := a.Scores[f]
		if !ok {
			continue
		}
		s := fmt.Sprintf("%s %d", v.Name("field", string(f)), n)
		if prev != nil {
			if p, ok := prev.Scores[f]; ok && p != n {
				s += fmt.Sprintf(" (%+d)", n-p)
			} else if ok {
				s += " (±0)"
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " · ")
}
