package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
)

// MinCases is the smallest number of cases a figure may rest on; a figure
// over 1 to MinCases-1 cases is shown as Suppressed(lang), so nobody can be
// singled out. A figure over no case at all is shown as 0 (or "–" for a
// median or mean, which then has no value).
const MinCases = 5

// Suppressed returns how a figure over fewer than MinCases cases is shown
// in lang: "<5 Fälle", never a bare "<5", which in a column of days or
// minutes would read as a value.
func Suppressed(lang string) string {
	return messages.T(lang, "report.suppressed", map[string]any{"Min": MinCases})
}

// Withheld is how a figure is shown that is withheld only because, with a
// shown total, it would reveal a suppressed one (secondary suppression).
const Withheld = "•"

// Kind is how a cell's number is shown.
type Kind int

// Cell kinds.
const (
	KindCount  Kind = iota // a whole number
	KindStat               // a median or mean with one decimal; "–" without cases
	KindSigned             // a mean change with sign and one decimal
)

// Cell is one figure of a table, with the number of distinct cases it rests on.
type Cell struct {
	N     float64
	Cases int64
	Kind  Kind
	// hidden is set by secondary suppression (a total that would reveal a
	// suppressed part).
	hidden bool
}

// countCell returns the cell of a count.
func countCell(c kim.Count) Cell { return Cell{N: float64(c.N), Cases: c.Cases} }

// statCell returns the cell of a median or mean.
func statCell(s kim.Stat, k Kind) Cell { return Cell{N: s.Value, Cases: s.Cases, Kind: k} }

// Hidden reports whether the cell must not be shown: it rests on 1 to
// MinCases-1 cases, or it would reveal such a cell.
func (c Cell) Hidden() bool { return c.hidden || (c.Cases > 0 && c.Cases < MinCases) }

// Empty reports whether the cell has no value (a median over no case).
func (c Cell) Empty() bool { return c.Kind != KindCount && c.Cases == 0 }

// Text returns the cell as shown in lang: the number, Suppressed(lang), or "–".
func (c Cell) Text(lang string) string {
	switch {
	case c.Empty():
		return "–"
	case c.Cases > 0 && c.Cases < MinCases:
		return Suppressed(lang)
	case c.hidden:
		return Withheld
	case c.Kind == KindCount:
		return strconv.FormatInt(int64(c.N), 10)
	}
	s := strconv.FormatFloat(c.N, 'f', 1, 64)
	if c.Kind == KindSigned && c.N > 0 {
		s = "+" + s
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Value returns the number to plot: 0 for a hidden or empty cell.
func (c Cell) Value() float64 {
	if c.Hidden() || c.Empty() {
		return 0
	}
	return c.N
}

// protect applies secondary suppression to parts that add up to a shown
// total: when exactly one part is hidden, the total minus the others would
// reveal it, so the smallest other non-zero part is hidden as well (or the
// total, when there is no such part).
func protect(total *Cell, parts ...*Cell) {
	if total.Hidden() {
		return
	}
	hidden := 0
	for _, p := range parts {
		if p.Hidden() {
			hidden++
		}
	}
	if hidden != 1 {
		return
	}
	var smallest *Cell
	for _, p := range parts {
		if !p.Hidden() && p.N > 0 && (smallest == nil || p.N < smallest.N) {
			smallest = p
		}
	}
	if smallest == nil {
		total.hidden = true
		return
	}
	smallest.hidden = true
}

// Row is one line of a table.
type Row struct {
	Label string
	Cells []Cell
}

// Table is one section of a report.
type Table struct {
	Key   string // section id: overview, by, fields, referrals, domains, barriers
	Title string
	Head  []string // the label column first
	Rows  []Row
}

// Report is a report ready to render.
type Report struct {
	Lang     string
	Title    string // e.g. "Bericht 2026 · Team"
	Subtitle string // period, as-of day, suppression note
	// ScopeLabel says whose cases the figures are of (team, own cases).
	ScopeLabel string
	Period     kim.Period
	By         string
	Tables     []Table
	Chart      Chart
}

// Build makes the tables and the chart of a report in lang.
func Build(d kim.ReportData, lang string) Report {
	t := func(id string, data map[string]any) string { return messages.T(lang, id, data) }
	scope := t("report.scope.own", nil)
	if d.Team {
		scope = t("report.scope.team", nil)
	}
	r := Report{
		Lang: lang, ScopeLabel: scope,
		Title:  t("report.title", map[string]any{"Period": d.Period.Label, "Scope": scope}),
		Period: d.Period, By: d.By,
		Subtitle: t("report.subtitle", map[string]any{"From": d.Period.From.Format(lang), "To": d.Period.To.Format(lang),
			"AsOf": d.AsOf.Format(lang), "Min": MinCases}),
	}
	switch d.By {
	case kim.ByOrg, kim.ByGroup, kim.ByDomain:
		r.Tables = byTables(d, lang)
		r.Chart = tableChart(r.Tables[0], chartTitle(lang, messages.T(lang, "report.section.by."+d.By, nil), d),
			messages.T(lang, "report.chart.n_cases", nil), 3) // new, open, closed
	case kim.ByField:
		r.Tables = []Table{fieldTable(d, lang)}
		r.Chart = tableChart(r.Tables[0], chartTitle(lang, messages.T(lang, "report.section.fields", nil), d),
			messages.T(lang, "report.chart.n_goals", nil), 2) // set, achieved
	case kim.ByPartner:
		r.Tables = []Table{referralTable(d, lang), barrierTable(d, lang)}
		r.Chart = partnerChart(d, lang)
	default:
		r.Tables = []Table{overviewTable(d, lang), fieldTable(d, lang), referralTable(d, lang), domainTable(d, lang), barrierTable(d, lang)}
		r.Chart = overviewChart(r.Tables[0], lang, d)
	}
	return r
}

// total sums the case rows (a report without by= has exactly one).
func total(d kim.ReportData) kim.CaseRow {
	if len(d.Rows) == 1 {
		return d.Rows[0]
	}
	var x kim.CaseRow
	x.ClosedBy = map[string]kim.Count{}
	for _, r := range d.Rows {
		x.New, x.Open, x.Closed = x.New.Add(r.New), x.Open.Add(r.Open), x.Closed.Add(r.Closed)
		for k, v := range r.ClosedBy {
			x.ClosedBy[k] = x.ClosedBy[k].Add(v)
		}
	}
	return x
}

func overviewTable(d kim.ReportData, lang string) Table {
	t := func(id string, data map[string]any) string { return messages.T(lang, id, data) }
	x := total(d)
	tab := Table{Key: "overview", Title: t("report.section.overview", nil), Head: []string{t("report.head.figure", nil), t("report.head.value", nil)}}
	add := func(label string, c Cell) *Cell {
		tab.Rows = append(tab.Rows, Row{Label: label, Cells: []Cell{c}})
		return &tab.Rows[len(tab.Rows)-1].Cells[0]
	}
	add(t("report.new", nil), countCell(x.New))
	add(t("report.open", map[string]any{"AsOf": d.AsOf.Format(lang)}), countCell(x.Open))
	closedAt := len(tab.Rows)
	add(t("report.closed", nil), countCell(x.Closed))
	for _, reason := range kim.CloseReasons {
		add("– "+messages.T(lang, "reason."+reason, nil), countCell(x.ClosedBy[reason]))
	}
	parts := make([]*Cell, len(kim.CloseReasons))
	for i := range kim.CloseReasons {
		parts[i] = &tab.Rows[closedAt+1+i].Cells[0]
	}
	protect(&tab.Rows[closedAt].Cells[0], parts...)
	sum := func(f func(kim.CaseRow) kim.Count) Cell {
		var c kim.Count
		for _, r := range d.Rows {
			c = c.Add(f(r))
		}
		return countCell(c)
	}
	add(t("report.contacts", nil), sum(func(r kim.CaseRow) kim.Count { return r.Contacts }))
	add(t("report.minutes", nil), sum(func(r kim.CaseRow) kim.Count { return r.Minutes }))
	add(t("report.assessments", nil), sum(func(r kim.CaseRow) kim.Count { return r.Assessments }))
	add(t("report.reassessments", nil), sum(func(r kim.CaseRow) kim.Count { return r.Reassessments }))
	add(t("report.goals_set", nil), sum(func(r kim.CaseRow) kim.Count { return r.GoalsSet }))
	add(t("report.goals_done", nil), sum(func(r kim.CaseRow) kim.Count { return r.GoalsDone }))
	add(t("report.referrals", nil), sum(func(r kim.CaseRow) kim.Count { return r.Referrals }))
	add(t("report.domain_changes", nil), sum(func(r kim.CaseRow) kim.Count { return r.DomainChanges }))
	add(t("report.barriers", nil), sum(func(r kim.CaseRow) kim.Count { return r.Barriers }))
	return tab
}

// byColumn is a column of a by=org|group|domain table.
type byColumn struct {
	key string
	get func(kim.CaseRow) kim.Count
}

// byParts are the tables of a by=org|group|domain report, each a few
// columns wide so that it fits a chat window: the cases first (the chart
// shows them), then the work on them, then what came of it.
var byParts = []struct {
	key  string // report.part.<key>
	cols []byColumn
}{
	{"cases", []byColumn{
		{"report.col.new", func(r kim.CaseRow) kim.Count { return r.New }},
		{"report.col.open", func(r kim.CaseRow) kim.Count { return r.Open }},
		{"report.col.closed", func(r kim.CaseRow) kim.Count { return r.Closed }},
	}},
	{"work", []byColumn{
		{"report.col.contacts", func(r kim.CaseRow) kim.Count { return r.Contacts }},
		{"report.col.minutes", func(r kim.CaseRow) kim.Count { return r.Minutes }},
		{"report.col.assessments", func(r kim.CaseRow) kim.Count { return r.Assessments }},
		{"report.col.reassessments", func(r kim.CaseRow) kim.Count { return r.Reassessments }},
	}},
	{"results", []byColumn{
		{"report.col.goals_set", func(r kim.CaseRow) kim.Count { return r.GoalsSet }},
		{"report.col.goals_done", func(r kim.CaseRow) kim.Count { return r.GoalsDone }},
		{"report.col.referrals", func(r kim.CaseRow) kim.Count { return r.Referrals }},
		{"report.col.domain_changes", func(r kim.CaseRow) kim.Count { return r.DomainChanges }},
		{"report.col.barriers", func(r kim.CaseRow) kim.Count { return r.Barriers }},
	}},
}

// dimLabel names a value of the report's dimension in lang.
func dimLabel(by, v, lang string) string {
	switch {
	case v == "" && by == kim.ByOrg:
		return messages.T(lang, "report.no_org", nil)
	case v == "":
		return "–"
	case by == kim.ByGroup:
		return messages.T(lang, "group."+v, nil)
	case by == kim.ByDomain:
		return messages.T(lang, "legal."+v, nil)
	}
	return v
}

// byTables are the tables of a by=org|group|domain report, one per part.
func byTables(d kim.ReportData, lang string) []Table {
	var out []Table
	for _, part := range byParts {
		tab := Table{Key: "by." + part.key, Title: messages.T(lang, "report.section.by."+d.By, nil) + ": " +
			messages.T(lang, "report.part."+part.key, nil), Head: []string{messages.T(lang, "report.head."+d.By, nil)}}
		for _, c := range part.cols {
			tab.Head = append(tab.Head, messages.T(lang, c.key, nil))
		}
		for _, r := range d.Rows {
			row := Row{Label: dimLabel(d.By, r.Dim, lang)}
			for _, c := range part.cols {
				row.Cells = append(row.Cells, countCell(c.get(r)))
			}
			tab.Rows = append(tab.Rows, row)
		}
		out = append(out, tab)
	}
	return out
}

func fieldTable(d kim.ReportData, lang string) Table {
	t := func(id string) string { return messages.T(lang, id, nil) }
	tab := Table{Key: "fields", Title: t("report.section.fields"),
		Head: []string{t("report.head.field"), t("report.col.goals_set"), t("report.col.goals_done"), t("report.col.change")}}
	for _, f := range d.Fields {
		tab.Rows = append(tab.Rows, Row{Label: messages.T(lang, "field."+string(f.Field), nil),
			Cells: []Cell{countCell(f.GoalsSet), countCell(f.GoalsDone), statCell(f.Change, KindSigned)}})
	}
	return tab
}

func referralTable(d kim.ReportData, lang string) Table {
	t := func(id string) string { return messages.T(lang, id, nil) }
	tab := Table{Key: "referrals", Title: t("report.section.referrals"), Head: []string{t("report.head.partner"), t("report.col.referrals")}}
	for _, o := range kim.ReferralOutcomes {
		tab.Head = append(tab.Head, t("outcome."+o))
	}
	tab.Head = append(tab.Head, t("report.col.median_days"))
	for _, r := range d.Referrals {
		row := Row{Label: r.Name, Cells: []Cell{countCell(r.Total)}}
		for _, o := range kim.ReferralOutcomes {
			row.Cells = append(row.Cells, countCell(r.ByOutcome[o]))
		}
		row.Cells = append(row.Cells, statCell(r.MedianDays, KindStat))
		parts := make([]*Cell, len(kim.ReferralOutcomes))
		for i := range kim.ReferralOutcomes {
			parts[i] = &row.Cells[1+i]
		}
		protect(&row.Cells[0], parts...)
		tab.Rows = append(tab.Rows, row)
	}
	return tab
}

func domainTable(d kim.ReportData, lang string) Table {
	t := func(id string) string { return messages.T(lang, id, nil) }
	tab := Table{Key: "domains", Title: t("report.section.domains"), Head: []string{t("report.head.change"), t("report.head.value"),
		t("report.col.steps_median"), t("report.col.steps_overdue")}}
	for _, x := range d.DomainChanges {
		tab.Rows = append(tab.Rows, Row{Label: messages.T(lang, "legal."+x.From, nil) + " → " + messages.T(lang, "legal."+x.To, nil),
			Cells: []Cell{countCell(x.Count), statCell(x.MedianDays, KindStat), countCell(x.Overdue)}})
	}
	return tab
}

func barrierTable(d kim.ReportData, lang string) Table {
	t := func(id string) string { return messages.T(lang, id, nil) }
	tab := Table{Key: "barriers", Title: t("report.section.barriers"), Head: []string{t("report.head.partner_topic"), t("report.head.value")}}
	for _, b := range d.Barriers {
		label := b.Label
		if b.Topic {
			label = messages.T(lang, "report.topic", map[string]any{"Topic": b.Label})
		}
		tab.Rows = append(tab.Rows, Row{Label: label, Cells: []Cell{countCell(b.Count)}})
	}
	return tab
}

// Markdown renders the report as chat text; userText escapes labels that
// come from people (organisation names, topics).
func (r Report) Markdown(userText func(string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s\n%s\n", r.Title, r.Subtitle)
	for _, tab := range r.Tables {
		fmt.Fprintf(&b, "\n**%s**\n", tab.Title)
		if len(tab.Rows) == 0 {
			b.WriteString(messages.T(r.Lang, "report.none", nil) + "\n")
			continue
		}
		b.WriteString("| " + strings.Join(tab.Head, " | ") + " |\n|")
		for i := range tab.Head {
			if i == 0 {
				b.WriteString(" --- |")
			} else {
				b.WriteString(" ---: |")
			}
		}
		for _, row := range tab.Rows {
			b.WriteString("\n| " + userText(row.Label))
			for _, c := range row.Cells {
				b.WriteString(" | " + c.Text(r.Lang))
			}
			b.WriteString(" |")
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
