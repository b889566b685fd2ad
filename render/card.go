package render

import (
	"fmt"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
)

// cardAssessments is how many assessments the card lists by number.
const cardAssessments = 5

// Card renders the case card as /kim show answers it: one screen,
// sections only when filled.
func (v View) Card(card kim.Card) string {
	c := card.Case
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s · %s\n", c.Ref, v.Pseudonym(c))
	fmt.Fprintf(&b, "%s: %s · %s: %s · %s: %s · %s: @%s\n",
		v.T("card.group", nil), v.Name("group", c.Group), v.T("card.domain", nil), v.Name("legal", c.Domain),
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
			what = Cell(k.PartnerName) // the partner's name, as everywhere else on the card
		}
		consents = append(consents, fmt.Sprintf("%s (%s, %s)", what, v.Name("form", k.Form), k.GrantedOn.Format(v.Lang)))
	}
	if len(consents) == 0 {
		consents = []string{v.T("card.none", nil)}
	}
	fmt.Fprintf(&b, "%s: %s\n", v.T("card.consent", nil), strings.Join(consents, "; "))
	if n := len(card.Assessments); n > 0 {
		// The latest is the first when it is the only one (numbers are never
		// given twice, so the first of a case need not be number 1).
		latest := card.Assessments[n-1]
		rows := [][]string{}
		for _, f := range kim.LatestScores(card.Assessments) {
			change := "–"
			if f.Prev > 0 {
				change = Trend(f.Score - f.Prev)
			}
			rows = append(rows, []string{v.Label("field", string(f.Field)), fmt.Sprint(f.Score), f.On.Format(v.Lang), change})
		}
		fmt.Fprintf(&b, "\n%s\n%s\n", v.T("card.scores", map[string]any{"Seq": latest.Seq, "First": n == 1, "Date": latest.On}),
			Table(v.Heads("head.field", "head.score", "head.scored_on", "head.change"), rows))
		if latest.Note != "" {
			fmt.Fprintf(&b, "%s\n", v.T("card.assessment_note", map[string]any{"Note": Cell(Clip(OneLine(latest.Note), 200))}))
		}
		if n > 1 {
			// The numbers to correct or delete one by (they may have gaps):
			// the latest few, oldest first.
			from := max(0, n-cardAssessments)
			list := make([]string, 0, n-from)
			for _, x := range card.Assessments[from:] {
				list = append(list, v.T("card.assessment", map[string]any{"N": x.Seq, "Date": x.On}))
			}
			fmt.Fprintf(&b, "%s\n", v.T("card.assessments", map[string]any{"List": strings.Join(list, " · "), "More": from}))
		}
	}
	if len(card.Goals) > 0 {
		rows := make([][]string, len(card.Goals))
		for i, g := range card.Goals {
			rows[i] = []string{fmt.Sprint(g.N), v.Label("field", string(g.Field)), Cell(g.Text), v.Date(g.Due), v.Name("goal", g.Status)}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", v.T("card.goals", nil), Table(v.Heads("head.n", "head.field", "head.goal", "head.due", "head.status"), rows))
	}
	if len(card.Referrals) > 0 {
		rows := make([][]string, len(card.Referrals))
		var history []string
		for i, f := range card.Referrals {
			followup := "–"
			if f.Outcome == "pending" {
				followup = v.Due(f.Followup)
			}
			rows[i] = []string{fmt.Sprint(f.N), Cell(f.Partner.Name), f.On.Format(v.Lang), Clip(Cell(f.Reason), 60), v.Name("outcome", f.Outcome), followup}
			if len(f.History) > 1 || (len(f.History) == 1 && f.History[0].Note != "") {
				history = append(history, v.outcomeHistory(f))
			}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", v.T("card.referrals", nil),
			Table(v.Heads("head.n", "head.partner", "head.since", "head.reason", "head.outcome", "head.followup"), rows))
		for _, h := range history {
			b.WriteString(h + "\n")
		}
	}
	b.WriteString(v.transitions(c, card.Transitions, card.Consents))
	if len(card.Contacts) > 0 {
		fmt.Fprintf(&b, "\n%s\n%s\n", v.T("card.contacts", map[string]any{"N": len(card.Contacts), "Total": card.ContactCount, "Ref": c.Ref}),
			v.ContactTable(card.Contacts))
	}
	return strings.TrimRight(b.String(), "\n")
}

// outcomeHistory is the line of every outcome recorded for a referral,
// oldest first, each with its day and note.
func (v View) outcomeHistory(f kim.Referral) string {
	steps := make([]string, len(f.History))
	for i, o := range f.History {
		steps[i] = o.On.Format(v.Lang) + " " + v.Name("outcome", o.Outcome)
		if o.Note != "" {
			steps[i] += " („" + Clip(OneLine(o.Note), 80) + "“)"
		}
	}
	return v.T("card.outcome_history", map[string]any{"N": f.N, "Steps": strings.Join(steps, " → ")})
}

// ContactTable renders contacts, one row each with its number.
func (v View) ContactTable(contacts []kim.Contact) string {
	rows := make([][]string, len(contacts))
	for i, k := range contacts {
		rows[i] = []string{fmt.Sprint(k.N), k.On.Format(v.Lang), v.Name("kind", k.Kind), Minutes(k.Minutes), Cell(k.Note)}
	}
	return Table(v.Heads("head.n", "head.date", "head.kind", "head.minutes", "head.note"), rows)
}

// Trend renders a score change: +1 ↑, −2 ↓ or ±0.
func Trend(d int) string {
	switch {
	case d > 0:
		return fmt.Sprintf("+%d ↑", d)
	case d < 0:
		return fmt.Sprintf("−%d ↓", -d)
	}
	return "±0"
}
