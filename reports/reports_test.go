package reports

import (
	"bytes"
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

var today = kim.Date{Y: 2026, M: 11, D: 23}

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in, label string
		from, to  kim.Date
	}{
		{"", "2026", kim.Date{Y: 2026, M: 1, D: 1}, kim.Date{Y: 2026, M: 12, D: 31}},
		{"2025", "2025", kim.Date{Y: 2025, M: 1, D: 1}, kim.Date{Y: 2025, M: 12, D: 31}},
		{"2026-Q3", "2026-Q3", kim.Date{Y: 2026, M: 7, D: 1}, kim.Date{Y: 2026, M: 9, D: 30}},
		{"2026-q1", "2026-Q1", kim.Date{Y: 2026, M: 1, D: 1}, kim.Date{Y: 2026, M: 3, D: 31}},
		{"2026-Q4", "2026-Q4", kim.Date{Y: 2026, M: 10, D: 1}, kim.Date{Y: 2026, M: 12, D: 31}},
		{"2026-02", "2026-02", kim.Date{Y: 2026, M: 2, D: 1}, kim.Date{Y: 2026, M: 2, D: 28}},
		{"2024-02", "2024-02", kim.Date{Y: 2024, M: 2, D: 1}, kim.Date{Y: 2024, M: 2, D: 29}},
		{"2026-11", "2026-11", kim.Date{Y: 2026, M: 11, D: 1}, kim.Date{Y: 2026, M: 11, D: 30}},
	} {
		p, err := ParsePeriod(tc.in, today)
		if err != nil || p.Label != tc.label || p.From != tc.from || p.To != tc.to {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %s %s–%s", tc.in, p, err, tc.label, tc.from, tc.to)
		}
	}
	for _, in := range []string{"2026-13", "2026-00", "2026-Q5", "1999", "2100", "26", "2026-1", "Q3", "2026-Q3x", "2027", "2026-12"} {
		if p, err := ParsePeriod(in, today); err == nil {
			t.Errorf("ParsePeriod(%q) = %+v, want an error", in, p)
		} else if kim.ErrorCode(err) != kim.EINVALID {
			t.Errorf("ParsePeriod(%q): %v is not EINVALID", in, err)
		}
	}
}

func TestCellSuppression(t *testing.T) {
	for _, tc := range []struct {
		c      Cell
		de, en string
	}{
		{Cell{N: 0, Cases: 0}, "0", "0"},
		{Cell{N: 1, Cases: 1}, "<5 Fälle", "<5 cases"},
		{Cell{N: 4, Cases: 4}, "<5 Fälle", "<5 cases"},
		{Cell{N: 5, Cases: 5}, "5", "5"},
		{Cell{N: 120, Cases: 3}, "<5 Fälle", "<5 cases"}, // 120 contacts of 3 cases
		{Cell{N: 120, Cases: 7}, "120", "120"},
		{Cell{N: 10.5, Cases: 4, Kind: KindStat}, "<5 Fälle", "<5 cases"}, // a median over 4 cases
		{Cell{N: 10.5, Cases: 5, Kind: KindStat}, "10,5", "10.5"},
		{Cell{N: 0, Cases: 0, Kind: KindStat}, "–", "–"},
		{Cell{N: 0.75, Cases: 6, Kind: KindSigned}, "+0,8", "+0.8"},
		{Cell{N: -1.25, Cases: 6, Kind: KindSigned}, "-1,2", "-1.2"},
	} {
		if got := tc.c.Text("de"); got != tc.de {
			t.Errorf("%+v de = %q, want %q", tc.c, got, tc.de)
		}
		if got := tc.c.Text("en"); got != tc.en {
			t.Errorf("%+v en = %q, want %q", tc.c, got, tc.en)
		}
	}
	if v := (Cell{N: 3, Cases: 3}).Value(); v != 0 {
		t.Errorf("a hidden cell plots as %v, want 0", v)
	}
}

func TestSecondarySuppression(t *testing.T) {
	cells := func(ns ...int64) []*Cell {
		out := make([]*Cell, len(ns))
		for i, n := range ns {
			out[i] = &Cell{N: float64(n), Cases: n}
		}
		return out
	}
	texts := func(total *Cell, parts []*Cell) string {
		s := []string{total.Text("de")}
		for _, p := range parts {
			s = append(s, p.Text("de"))
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		total int64
		parts []int64
		want  string
	}{
		{20, []int64{12, 8, 0}, "20 12 8 0"},         // nothing hidden
		{15, []int64{12, 3, 0}, "15 • <5 Fälle 0"},   // 3 would be 15-12: withhold 12 too
		{18, []int64{6, 9, 3}, "18 • 9 <5 Fälle"},    // withhold the smallest other (6)
		{6, []int64{3, 3}, "6 <5 Fälle <5 Fälle"},    // two hidden: nothing to reveal
		{3, []int64{3, 0}, "<5 Fälle <5 Fälle 0"},    // total hidden itself
		{7, []int64{0, 0, 2, 5}, "7 0 0 <5 Fälle •"}, // the only other non-zero part
	} {
		total := &Cell{N: float64(tc.total), Cases: tc.total}
		parts := cells(tc.parts...)
		protect(total, parts...)
		if got := texts(total, parts); got != tc.want {
			t.Errorf("protect(%d, %v) = %q, want %q", tc.total, tc.parts, got, tc.want)
		}
	}
}

// A withheld total is itself hidden: when its parts would all be shown,
// one of them is withheld too (a partner's referrals withheld for the
// overview's total, with all its outcomes shown, would add up again).
func TestSecondarySuppressionCascades(t *testing.T) {
	c := func(n int64) *Cell { return &Cell{N: float64(n), Cases: n} }
	grand, jc, other := c(7), c(6), c(1)
	accepted, pending := c(5), c(1)
	groups := []sumGroup{{grand, []*Cell{jc, other}}, {jc, []*Cell{accepted, pending, c(0)}}}
	protectAll(groups)
	if got := strings.Join([]string{grand.Text("de"), jc.Text("de"), other.Text("de"), accepted.Text("de"), pending.Text("de")}, " "); got != "7 • <5 Fälle 5 <5 Fälle" {
		t.Errorf("with a small outcome: %q", got)
	}
	grand, jc, other, accepted = c(7), c(6), c(1), c(6)
	protectAll([]sumGroup{{grand, []*Cell{jc, other}}, {jc, []*Cell{accepted, c(0)}}})
	if got := strings.Join([]string{grand.Text("de"), jc.Text("de"), other.Text("de"), accepted.Text("de")}, " "); got != "7 • <5 Fälle •" {
		t.Errorf("with all outcomes shown: %q (6 accepted would give the 6 referrals, and 7 - 6 the one)", got)
	}
}

// A median beside a suppressed count is suppressed, whatever its own
// number of cases; beside a withheld count it stays (it tells nothing about
// the hidden figure).
func TestMedianOfSuppressedGroup(t *testing.T) {
	d := sample("")
	d.Rows[0].DomainChanges = kim.Count{N: 12, Cases: 11}
	d.DomainChanges = []kim.DomainChangeRow{
		{From: "AsylbLG", To: "SGB2", Count: kim.Count{N: 3, Cases: 3}, MedianDays: kim.Stat{Value: 9, Cases: 6}, Overdue: kim.Count{N: 7, Cases: 6}},
		{From: "SGB2", To: "SGB3", Count: kim.Count{N: 9, Cases: 8}, MedianDays: kim.Stat{Value: 20, Cases: 7}},
	}
	d.Referrals[1].MedianDays = kim.Stat{Value: 40, Cases: 5}
	md := Build(d, "de").Markdown(func(s string) string { return s })
	for _, want := range []string{"| AsylbLG → SGB II | <5 Fälle | <5 Fälle | 7 |", "| SGB II → SGB III | • | 20,0 | 0 |",
		"| Ausländerbehörde | <5 Fälle | 0 | 0 | <5 Fälle | 0 | 0 | <5 Fälle |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// The partner chart shows the figures as the tables do, withheld ones too.
func TestPartnerChartWithholds(t *testing.T) {
	r := Build(sample(kim.ByPartner), "de")
	var got []string
	for _, s := range r.Chart.Series {
		for i, c := range s.Cells {
			got = append(got, r.Chart.Categories[i]+"="+c.Text("de"))
		}
	}
	if strings.Join(got, " ") != "Jobcenter=• Ausländerbehörde=<5 Fälle Thema: Wohnraum=0 Jobcenter=0 Ausländerbehörde=• Thema: Wohnraum=<5 Fälle" {
		t.Errorf("partner chart %q", got)
	}
}

// sample is a small team report with cells on both sides of the threshold.
func sample(by string) kim.ReportData {
	c := func(n, cases int64) kim.Count { return kim.Count{N: n, Cases: cases} }
	d := kim.ReportData{
		Period: kim.Period{From: kim.Date{Y: 2026, M: 1, D: 1}, To: kim.Date{Y: 2026, M: 12, D: 31}, Label: "2026"},
		AsOf:   today, Team: true, By: by,
		Rows: []kim.CaseRow{{
			New: c(42, 42), Open: c(35, 35), Closed: c(11, 11),
			ClosedBy: map[string]kim.Count{"goals-met": c(6, 6), "moved": c(3, 3), "withdrawn": c(2, 2)},
			Contacts: c(610, 40), Minutes: c(21400, 40), Assessments: c(40, 40), Reassessments: c(12, 12),
			GoalsSet: c(80, 38), GoalsDone: c(25, 19), Referrals: c(51, 33), DomainChanges: c(4, 4), Barriers: c(9, 7),
		}},
		Referrals: []kim.ReferralRow{
			{Partner: "jobcenter", Name: "Jobcenter", Total: c(30, 22), MedianDays: kim.Stat{Value: 12.5, Cases: 18},
				ByOutcome: map[string]kim.Count{"accepted": c(10, 9), "completed": c(8, 8), "pending": c(9, 8), "rejected": c(3, 3)}},
			{Partner: "auslaenderbehoerde", Name: "Ausländerbehörde", Total: c(6, 4), MedianDays: kim.Stat{Value: 40, Cases: 3},
				ByOutcome: map[string]kim.Count{"pending": c(6, 4)}},
		},
		DomainChanges: []kim.DomainChangeRow{{From: "AsylbLG", To: "SGB2", Count: c(4, 4)}},
		Barriers:      []kim.BarrierRow{{Label: "Ausländerbehörde", Count: c(6, 5)}, {Label: "Wohnraum", Topic: true, Count: c(3, 2)}},
	}
	for _, f := range kim.LifeFields {
		d.Fields = append(d.Fields, kim.FieldRow{Field: f, GoalsSet: c(9, 8), GoalsDone: c(2, 2), Change: kim.Stat{Value: 0.6, Cases: 6}})
	}
	if by == kim.ByOrg {
		d.Rows = []kim.CaseRow{
			{Dim: "Caritas", New: c(30, 30), Open: c(25, 25), Closed: c(8, 8), Contacts: c(400, 28)},
			{Dim: "DRK", New: c(12, 12), Open: c(10, 10), Closed: c(3, 3), Contacts: c(210, 12)},
			{Dim: "", New: c(2, 2)},
		}
	}
	return d
}

func TestMarkdownSuppressesSmallCells(t *testing.T) {
	r := Build(sample(""), "de")
	md := r.Markdown(func(s string) string { return s })
	for _, want := range []string{
		"#### Bericht 2026 · Team",
		"| Neue Fälle | 42 |",
		"| Abgeschlossene Fälle | 11 |",
		"| – Ziele erreicht | 6 |",
		"| – verzogen | <5 Fälle |",
		"| – zurückgezogen | <5 Fälle |",
		"| Kontaktminuten | 21400 |",
		// 51 referrals: the Jobcenter's 30 would reveal the Ausländerbehörde's
		// <5; withheld, its row has two unknowns (total and the 3 rejected).
		"| Jobcenter | • | 10 | <5 Fälle | 9 | 0 | 8 | 12,5 |",
		"| Ausländerbehörde | <5 Fälle | 0 | 0 | <5 Fälle | 0 | 0 | <5 Fälle |", // median over 3 cases suppressed
		"| AsylbLG → SGB II | <5 Fälle |",
		"| Thema: Wohnraum | <5 Fälle |",
		"| Ausländerbehörde | • |", // 9 barriers - 6 would reveal the topic's 3
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	for _, leak := range []string{"| 3 |", "| 2 |", "40,0", "| 4 |", "| Ausländerbehörde | 6 |", "| Jobcenter | 30 |"} {
		if strings.Contains(md, leak) {
			t.Errorf("markdown shows a small figure %q:\n%s", leak, md)
		}
	}
	by := Build(sample(kim.ByOrg), "en").Markdown(func(s string) string { return s })
	// Three narrow tables instead of one of 13 columns.
	for _, want := range []string{"**By organisation: cases**", "| Caritas | 30 | 25 | • |", "| DRK | • | 10 | <5 cases |",
		"| no organisation | <5 cases | 0 | 0 |", "**By organisation: contacts and assessments**", "| DRK | 210 |",
		"**By organisation: goals, referrals and notes**"} {
		if !strings.Contains(by, want) {
			t.Errorf("by=org lacks %q:\n%s", want, by)
		}
	}
	for _, line := range strings.Split(by, "\n") {
		if n := strings.Count(line, "|"); n > 7 {
			t.Errorf("by=org has a table of %d columns, too wide for a chat window: %s", n-1, line)
		}
	}
}

func TestCSVShape(t *testing.T) {
	r := Build(sample(""), "de")
	b, err := r.CSV()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeffZeitraum;Bereich;Abschnitt;Zeile;Spalte;Wert\r\n")) {
		t.Fatalf("CSV header: %q", b[:min(len(b), 80)])
	}
	rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	rd.Comma = ';'
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cells := 0
	for _, tab := range r.Tables {
		for _, row := range tab.Rows {
			cells += len(row.Cells)
		}
	}
	if len(recs) != cells+1 {
		t.Fatalf("CSV has %d lines, want %d figures + header", len(recs), cells)
	}
	find := func(section, row, col string) string {
		for _, rec := range recs[1:] {
			if len(rec) != 6 {
				t.Fatalf("record with %d fields: %q", len(rec), rec)
			}
			if rec[0] != "2026" || rec[1] != "Team" {
				t.Fatalf("period/scope: %q", rec)
			}
			if rec[2] == section && rec[3] == row && rec[4] == col {
				return rec[5]
			}
		}
		t.Fatalf("CSV lacks %s / %s / %s", section, row, col)
		return ""
	}
	if v := find("Kennzahlen", "Neue Fälle", "Anzahl"); v != "42" {
		t.Errorf("new cases = %q", v)
	}
	if v := find("Kennzahlen", "– verzogen", "Anzahl"); v != "<5 Fälle" {
		t.Errorf("moved = %q", v)
	}
	if v := find("Verweise nach Partner", "Jobcenter", "Tage bis Ergebnis (Median)"); v != "12,5" {
		t.Errorf("median = %q", v)
	}
	if v := find("Verweise nach Partner", "Ausländerbehörde", "Tage bis Ergebnis (Median)"); v != "<5 Fälle" {
		t.Errorf("small median = %q", v)
	}
	if r.FileName("csv") != "kimbot-bericht-2026.csv" {
		t.Errorf("file name %q", r.FileName("csv"))
	}
}

func TestChartPNG(t *testing.T) {
	for _, by := range []string{"", kim.ByOrg, kim.ByField, kim.ByPartner} {
		r := Build(sample(by), "de")
		b, err := r.Chart.PNG("de")
		if err != nil {
			t.Fatalf("by=%q: %v", by, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("by=%q: not a PNG: %v", by, err)
		}
		if sz := img.Bounds().Size(); sz.X < 600 || sz.Y < 200 {
			t.Errorf("by=%q: image %v is too small to read", by, sz)
		}
		if len(r.Chart.Categories) == 0 || r.Chart.Title == "" || r.Chart.ValueLabel == "" {
			t.Errorf("by=%q: chart without categories, title or axis label: %+v", by, r.Chart)
		}
		if dir := os.Getenv("KIMBOT_CHART_DIR"); dir != "" { // to look at them
			_ = os.WriteFile(filepath.Join(dir, r.FileName("png")), b, 0o644)
		}
	}
	// A suppressed bar is drawn without length but labelled "<5 Fälle".
	c := Build(sample(""), "de").Chart
	var labels []string
	for _, cell := range c.Series[0].Cells {
		labels = append(labels, cell.Text("de"))
	}
	if got := strings.Join(labels, " "); got != "42 35 11 6 <5 Fälle <5 Fälle 0 0" {
		t.Errorf("overview chart values %q", got)
	}
}
