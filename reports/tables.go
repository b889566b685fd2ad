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
	// hidden is set by secondary suppression (a figure that, with the
	// others shown, would reveal a suppressed one).
	hidden bool
	// small marks a median or mean of a group whose count is suppressed:
	// shown as Suppressed whatever its own number of cases.
	small bool
}

// countCell returns the cell of a count.
func countCell(c kim.Count) Cell { return Cell{N: float64(c.N), Cases: c.Cases} }

// statCell returns the cell of a median or mean.
func statCell(s kim.Stat, k Kind) Cell { return Cell{N: s.Value, Cases: s.Cases, Kind: k} }

// primary reports whether the cell is shown as Suppressed: it rests on 1 to
// MinCases-1 cases (or is the median of such a group).
func (c Cell) primary() bool { return !c.Empty() && (c.small || (c.Cases > 0 && c.Cases < MinCases)) }

// Hidden reports whether the cell must not be shown: it rests on 1 to
// MinCases-1 cases, or it would reveal such a cell.
func (c Cell) Hidden() bool { return c.hidden || c.primary() }

// Empty reports whether the cell has no value (a median over no case).
func (c Cell) Empty() bool { return c.Kind != KindCount && c.Cases == 0 }

// Text returns the cell as shown in lang: the number, Suppressed(lang), or "–".
func (c Cell) Text(lang string) string {
	switch {
	case c.Empty():
		return "–"
	case c.primary():
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

// sumGroup is a figure shown with the parts it is the sum of: a total of
// the overview with its breakdown (per close reason, partner, life field,
// pair of legal domains, partner or topic, organisation, target group or
// legal domain), or a partner's referrals with their outcomes. The total
// may be a figure of another report (by=org shows the parts of the
// overview's totals).
type sumGroup struct {
	total *Cell
	parts []*Cell
}

// protect applies secondary suppression to one total and its parts.
func protect(total *Cell, parts ...*Cell) { protectAll([]sumGroup{{total, parts}}) }

// protectAll applies secondary suppression to every group until none leaks:
// a group with exactly one hidden figure (a part or the total) would
// reveal it by difference, so its smallest other shown part with cases is
// withheld as well (or the total, when it has no such part). A withheld
// figure may be a part or the total of another group (a partner's
// referrals are a part of the overview's and the total of its outcomes),
// so this runs until nothing changes. The report's groups form a tree (no
// figure is broken down two ways in one table, no table crosses two
// breakdowns), and for a tree "no group with exactly one hidden figure"
// means no hidden figure follows from the shown ones.
func protectAll(groups []sumGroup) {
	for changed := true; changed; {
		changed = false
		for _, g := range groups {
			hidden := 0
			if g.total.Hidden() {
				hidden++
			}
			for _, p := range g.parts {
				if p.Hidden() {
					hidden++
				}
			}
			if hidden != 1 {
				continue
			}
			var smallest *Cell
			for _, p := range g.parts {
				if !p.Hidden() && p.Cases > 0 && (smallest == nil || p.N < smallest.N) {
					smallest = p
				}
			}
			switch {
			case smallest != nil:
				smallest.hidden = true
			case !g.total.Hidden() && g.total.Cases > 0:
				g.total.hidden = true
			default:
				continue
			}
			changed = true
		}
	}
}

// suppressWith shows a median or mean of a group as Suppressed when the
// group's count is (a median over fewer cases than its group is never
// shown beside a suppressed count).
func (c *Cell) suppressWith(count Cell) {
	if count.primary() && !c.Empty() {
		c.small = true
	}
}

// Row is one line of a table.
type Row struct {
	Label string
	Cells []Cell
	// key names the figure of an overview row (new, closed, referrals, …,
	// reason.<reason>), which the by=org|group|domain columns break down.
	key string
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

// Build makes the tables and the chart of a report in lang. Every report
// makes all of the tables its figures may be compared with (the overview's
// totals, the breakdowns), applies secondary suppression to them together,
// and then shows those of its by=: so each figure is withheld alike in every
// report of the same period and scope, and no two reports together reveal
// one.
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
	overview, fields, referrals, domains, barriers := overviewTable(d, lang), fieldTable(d, lang), referralTable(d, lang),
		domainTable(d, lang), barrierTable(d, lang)
	var by []Table
	if d.By == kim.ByOrg || d.By == kim.ByGroup || d.By == kim.ByDomain {
		by = byTables(d, lang)
	}
	suppress(overview, fields, referrals, domains, barriers, by)
	switch d.By {
	case kim.ByOrg, kim.ByGroup, kim.ByDomain:
		r.Tables = by
		r.Chart = tableChart(r.Tables[0], chartTitle(lang, messages.T(lang, "report.section.by."+d.By, nil), d),
			messages.T(lang, "report.chart.n_cases", nil), 3) // new, open, closed
	case kim.ByField:
		r.Tables = []Table{fields}
		r.Chart = tableChart(r.Tables[0], chartTitle(lang, messages.T(lang, "report.section.fields", nil), d),
			messages.T(lang, "report.chart.n_goals", nil), 2) // set, achieved
	case kim.ByPartner:
		r.Tables = []Table{referrals, barriers}
		r.Chart = partnerChart(referrals, barriers, lang, d)
	default:
		r.Tables = []Table{overview, fields, referrals, domains, barriers}
		r.Chart = overviewChart(overview, lang, d)
	}
	return r
}

// suppress applies secondary suppression to the tables of a report (by
// holds the by=org|group|domain tables, if any): every breakdown of a figure
// of the overview, and each partner's outcomes, is a group of parts with
// their total (see protectAll). A median beside a count shown as
// Suppressed is suppressed too.
func suppress(overview, fields, referrals, domains, barriers Table, by []Table) {
	figure := map[string]*Cell{}
	for i := range overview.Rows {
		figure[overview.Rows[i].key] = &overview.Rows[i].Cells[0]
	}
	column := func(tab Table, col int) []*Cell {
		out := make([]*Cell, len(tab.Rows))
		for i := range tab.Rows {
			out[i] = &tab.Rows[i].Cells[col]
		}
		return out
	}
	var reasons []*Cell
	for _, reason := range kim.CloseReasons {
		reasons = append(reasons, figure["reason."+reason])
	}
	groups := []sumGroup{
		{figure["closed"], reasons},
		{figure["goals_set"], column(fields, 0)},
		{figure["goals_done"], column(fields, 1)},
		{figure["referrals"], column(referrals, 0)},
		{figure["domain_changes"], column(domains, 0)},
		{figure["barriers"], column(barriers, 0)},
	}
	for i := range referrals.Rows {
		row := referrals.Rows[i].Cells
		outcomes := make([]*Cell, len(kim.ReferralOutcomes))
		for j := range kim.ReferralOutcomes {
			outcomes[j] = &row[1+j]
		}
		groups = append(groups, sumGroup{&row[0], outcomes})
	}
	for p, tab := range by {
		for j, c := range byParts[p].cols {
			groups = append(groups, sumGroup{figure[strings.TrimPrefix(c.key, "report.col.")], column(tab, j)})
		}
	}
	protectAll(groups)
	for i := range referrals.Rows {
		row := referrals.Rows[i].Cells
		row[len(row)-1].suppressWith(row[0])
	}
	for i := range domains.Rows {
		row := domains.Rows[i].Cells
		row[1].suppressWith(row[0])
	}
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
	add := func(key, label string, c Cell) {
		tab.Rows = append(tab.Rows, Row{Label: label, Cells: []Cell{c}, key: key})
	}
	add("new", t("report.new", nil), countCell(x.New))
	add("open", t("report.open", map[string]any{"AsOf": d.AsOf.Format(lang)}), countCell(x.Open))
	add("closed", t("report.closed", nil), countCell(x.Closed))
	for _, reason := range kim.CloseReasons {
		add("reason."+reason, "– "+messages.T(lang, "reason."+reason, nil), countCell(x.ClosedBy[reason]))
	}
	// Without by= there is one row; with it the rows' cases add up to the
	// team's (each case has one organisation, group and domain).
	sum := func(f func(kim.CaseRow) kim.Count) Cell {
		var c kim.Count
		for _, r := range d.Rows {
			c = c.Add(f(r))
		}
		return countCell(c)
	}
	for _, key := range []string{"contacts", "minutes", "assessments", "reassessments", "goals_set", "goals_done", "referrals",
		"domain_changes", "barriers"} {
		add(key, t("report."+key, nil), sum(byColumns[key]))
	}
	return tab
}

// byColumn is a column of a by=org|group|domain table.
type byColumn struct {
	key string
	get func(kim.CaseRow) kim.Count
}

// byColumns are the figures of a case row by the key of their overview row.
var byColumns = map[string]func(kim.CaseRow) kim.Count{}

func init() {
	for _, part := range byParts {
		for _, c := range part.cols {
			byColumns[strings.TrimPrefix(c.key, "report.col.")] = c.get
		}
	}
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
		return messages.Capital(messages.T(lang, "group."+v, nil))
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
		tab.Rows = append(tab.Rows, Row{Label: messages.Capital(messages.T(lang, "field."+string(f.Field), nil)),
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
