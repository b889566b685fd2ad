package commands

import (
	"fmt"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
)

// cell makes user text safe for a Markdown table cell.
func cell(s string) string {
	s = strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ").Replace(s)
	return clip(s, 120)
}

// date formats an optional date in the caller's language ("–" when unset).
func (r *Runner) date(d *kim.Date) string {
	if d == nil {
		return "–"
	}
	return d.Format(r.lang)
}

// dueDate formats a date and marks it when it is today or past.
func (r *Runner) dueDate(d *kim.Date) string {
	if d == nil {
		return "–"
	}
	s := d.Format(r.lang)
	if !d.After(r.today) {
		s = "**" + s + "** ⏰"
	}
	return s
}

// name returns the caller-language label of an enumerated value, e.g.
// r.name("group", "refugee").
func (r *Runner) name(kind, value string) string {
	if value == "" {
		return "–"
	}
	return r.T(kind+"."+value, nil)
}

// table renders a Markdown table.
func table(head []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
	for range head {
		b.WriteString(" --- |")
	}
	for _, row := range rows {
		b.WriteString("\n| " + strings.Join(row, " | ") + " |")
	}
	return b.String()
}

// pseudonym returns the case's pseudonym for a table or card, or a marker
// once the case is erased.
func (r *Runner) pseudonym(c kim.Case) string {
	if c.Erased {
		return r.T("card.erased", nil)
	}
	return cell(c.Pseudonym)
}

// cardText renders the case card: one screen, sections only when filled.
func (r *Runner) cardText(card kim.Card) string {
	c := card.Case
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s · %s\n", c.Ref, r.pseudonym(c))
	fmt.Fprintf(&b, "%s: %s · %s: %s · %s: %s · %s: @%s\n",
		r.T("card.group", nil), r.name("group", c.Group), r.T("card.domain", nil), c.Domain,
		r.T("card.phase", nil), r.name("phase", c.Phase), r.T("card.owner", nil), c.OwnerName)
	if !c.Open() {
		fmt.Fprintf(&b, "%s: %s (%s)\n", r.T("card.closed", nil), r.date(c.ClosedOn), r.name("reason", c.CloseReason))
	} else {
		fmt.Fprintf(&b, "%s: %s %s · %s %s\n", r.T("card.next", nil),
			r.T("due.monitoring", nil), r.dueDate(c.NextMonitoring), r.T("due.assessment", nil), r.dueDate(c.NextAssessment))
	}
	var consents []string
	for _, k := range card.Consents {
		what := r.T("consent.processing", nil)
		if k.Scope == "partner" {
			what = k.Partner
		}
		consents = append(consents, fmt.Sprintf("%s (%s, %s)", what, r.name("form", k.Form), k.GrantedOn.Format(r.lang)))
	}
	if len(consents) == 0 {
		consents = []string{r.T("card.none", nil)}
	}
	fmt.Fprintf(&b, "%s: %s\n", r.T("card.consent", nil), strings.Join(consents, "; "))
	if n := len(card.Assessments); n > 0 {
		latest := card.Assessments[n-1]
		var prev *kim.Assessment
		if n > 1 {
			prev = &card.Assessments[n-2]
		}
		fmt.Fprintf(&b, "\n**%s** %s\n%s\n", r.T("card.assessment", map[string]any{"Seq": latest.Seq}),
			latest.On.Format(r.lang), r.scoreLine(latest, prev))
	}
	if len(card.Goals) > 0 {
		rows := make([][]string, len(card.Goals))
		for i, g := range card.Goals {
			rows[i] = []string{fmt.Sprint(g.N), r.name("field", string(g.Field)), cell(g.Text), r.date(g.Due), r.name("goal", g.Status)}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", r.T("card.goals", nil), table(r.heads("head.n", "head.field", "head.goal", "head.due", "head.status"), rows))
	}
	if len(card.Referrals) > 0 {
		rows := make([][]string, len(card.Referrals))
		for i, f := range card.Referrals {
			followup := "–"
			if f.Outcome == "pending" {
				followup = r.dueDate(f.Followup)
			}
			rows[i] = []string{fmt.Sprint(f.N), cell(f.Partner.Name), f.On.Format(r.lang), r.name("outcome", f.Outcome), followup}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", r.T("card.referrals", nil), table(r.heads("head.n", "head.partner", "head.since", "head.outcome", "head.followup"), rows))
	}
	if len(card.Contacts) > 0 {
		rows := make([][]string, len(card.Contacts))
		for i, k := range card.Contacts {
			rows[i] = []string{k.On.Format(r.lang), r.name("kind", k.Kind), minutes(k.Minutes), cell(k.Note)}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", r.T("card.contacts", nil), table(r.heads("head.date", "head.kind", "head.minutes", "head.note"), rows))
	}
	return strings.TrimRight(b.String(), "\n")
}

// scoreLine lists the scores of an assessment, with the change against the
// previous one where there is one.
func (r *Runner) scoreLine(a kim.Assessment, prev *kim.Assessment) string {
	var parts []string
	for _, f := range kim.LifeFields {
		n, ok := a.Scores[f]
		if !ok {
			continue
		}
		s := fmt.Sprintf("%s %d", r.name("field", string(f)), n)
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

func (r *Runner) heads(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = r.T(id, nil)
	}
	return out
}

func minutes(n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprint(n)
}
