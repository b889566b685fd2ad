package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
)

// Chart is a grouped horizontal bar chart: one group per category, one bar
// per series, each bar labelled with its value (Suppressed for a hidden
// cell, which is drawn with no length).
type Chart struct {
	Title      string
	ValueLabel string // the value axis
	Categories []string
	Series     []Series
}

// Series is one bar colour of a chart.
type Series struct {
	Name  string
	Cells []Cell // one per category
}

// palette is colour-blind safe (Okabe–Ito).
var palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{230, 159, 0, 255},   // orange
	color.RGBA{0, 158, 115, 255},   // green
	color.RGBA{204, 121, 167, 255}, // purple
	color.RGBA{86, 180, 233, 255},  // sky
	color.RGBA{213, 94, 0, 255},    // vermilion
}

// PNG renders the chart as a PNG image sized to its content: the title and
// the legend in a strip at the top, the bars below with their values.
func (c Chart) PNG(lang string) ([]byte, error) {
	if len(c.Categories) == 0 || len(c.Series) == 0 {
		c.Categories = []string{messages.T(lang, "report.none", nil)}
		c.Series = []Series{{Name: "–", Cells: []Cell{{}}}}
	}
	p := plot.New()
	p.X.Label.Text = c.ValueLabel
	p.X.Label.TextStyle.Font.Size = vg.Points(11)
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.X.Tick.Marker = wholeTicks{}
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	p.Add(plotter.NewGrid())
	legend := plot.NewLegend()
	legend.Top, legend.Left = true, true
	legend.TextStyle.Font.Size = vg.Points(11)
	legend.Padding = vg.Points(4)
	legend.ThumbnailWidth = vg.Points(18)

	n, k := len(c.Categories), len(c.Series)
	barWidth := vg.Points(14)
	if k == 1 {
		barWidth = vg.Points(18)
	}
	max := 0.0
	// The first category is drawn on top: gonum counts from the bottom.
	at := func(i int) int { return n - 1 - i }
	for si, s := range c.Series {
		vals := make(plotter.Values, n)
		var xys plotter.XYs
		var labels []string
		for i := range c.Categories {
			cell := Cell{}
			if i < len(s.Cells) {
				cell = s.Cells[i]
			}
			vals[at(i)] = cell.Value()
			max = math.Max(max, cell.Value())
			xys = append(xys, plotter.XY{X: cell.Value(), Y: float64(at(i))})
			labels = append(labels, cell.Text(lang))
		}
		bars, err := plotter.NewBarChart(vals, barWidth)
		if err != nil {
			return nil, fmt.Errorf("reports: chart: %w", err)
		}
		bars.Horizontal = true
		bars.Color = palette[si%len(palette)]
		bars.LineStyle.Width = 0
		// Bars of a group sit side by side, the first series on top.
		offset := (vg.Length(k-1)/2 - vg.Length(si)) * barWidth
		bars.Offset = offset
		p.Add(bars)
		legend.Add(s.Name, bars)
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return nil, fmt.Errorf("reports: chart: %w", err)
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i].Font.Size = vg.Points(10)
			lab.TextStyle[i].YAlign = draw.YCenter
		}
		lab.Offset = vg.Point{X: vg.Points(4), Y: offset}
		p.Add(lab)
	}
	p.NominalY(reversed(c.Categories)...)
	p.X.Min = 0
	// Room for the value labels right of the longest bar.
	p.X.Max = math.Max(4, max*1.12)

	titleH := vg.Points(30)
	legendH := vg.Length(k)*(vg.Points(11)+legend.Padding) + vg.Points(8)
	w := vg.Points(720)
	footH := vg.Points(20)
	h := titleH + legendH + footH + vg.Points(60) + vg.Length(n)*(vg.Length(k)*barWidth+vg.Points(16))
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	title := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(15)), XAlign: draw.XCenter,
		YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
	dc.FillText(title, vg.Point{X: w / 2, Y: h - vg.Points(8)}, c.Title)
	legend.Draw(draw.Crop(dc, vg.Points(12), 0, h-titleH-legendH, -titleH))
	note := title
	note.Font = font.From(plot.DefaultFont, vg.Points(9))
	note.XAlign, note.YAlign = draw.XLeft, draw.YBottom
	note.Color = color.Gray{Y: 80}
	dc.FillText(note, vg.Point{X: vg.Points(12), Y: vg.Points(6)}, messages.T(lang, "report.chart.note", map[string]any{"Min": MinCases}))
	p.Draw(draw.Crop(dc, vg.Points(4), -vg.Points(12), footH, -(titleH + legendH)))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("reports: chart: %w", err)
	}
	return buf.Bytes(), nil
}

// wholeTicks marks the value axis with whole numbers only.
type wholeTicks struct{}

// Ticks returns the default ticks with labels only at whole numbers.
func (wholeTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label == "" {
			continue
		}
		if v := ticks[i].Value; v == math.Trunc(v) {
			ticks[i].Label = strconv.FormatFloat(v, 'f', 0, 64)
		} else {
			ticks[i].Label = ""
		}
	}
	return ticks
}

func reversed(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

// chartTitle is the chart's title: what, period, whose.
func chartTitle(lang, what string, d kim.ReportData) string {
	scope := messages.T(lang, "report.scope.own", nil)
	if d.Team {
		scope = messages.T(lang, "report.scope.team", nil)
	}
	return messages.T(lang, "report.chart.title", map[string]any{"What": what, "Period": d.Period.Label, "Scope": scope})
}

// overviewChart shows the cases: new, open, closed by reason.
func overviewChart(tab Table, lang string, d kim.ReportData) Chart {
	c := Chart{Title: chartTitle(lang, messages.T(lang, "report.chart.cases", nil), d), ValueLabel: messages.T(lang, "report.chart.n_cases", nil)}
	s := Series{Name: messages.T(lang, "report.chart.cases", nil)}
	// new, open, closed and its reasons are the first rows of the overview.
	for _, row := range tab.Rows[:3+len(kim.CloseReasons)] {
		c.Categories = append(c.Categories, row.Label)
		s.Cells = append(s.Cells, row.Cells[0])
	}
	c.Series = []Series{s}
	return c
}

// tableChart charts the first n columns of a table, one series per column
// and one bar group per row (cases per organisation, group or domain; goals
// per life field).
func tableChart(tab Table, title, valueLabel string, n int) Chart {
	c := Chart{Title: title, ValueLabel: valueLabel}
	for i := 0; i < n; i++ {
		s := Series{Name: tab.Head[1+i]}
		for _, row := range tab.Rows {
			s.Cells = append(s.Cells, row.Cells[i])
		}
		c.Series = append(c.Series, s)
	}
	for _, row := range tab.Rows {
		c.Categories = append(c.Categories, row.Label)
	}
	return c
}

// partnerChart shows referrals and barriers per partner, with the cells of
// their tables (suppressed alike).
func partnerChart(referrals, barriers Table, lang string, d kim.ReportData) Chart {
	c := Chart{Title: chartTitle(lang, messages.T(lang, "report.chart.partners", nil), d), ValueLabel: messages.T(lang, "report.chart.n", nil)}
	index := map[string]int{}
	refs := Series{Name: messages.T(lang, "report.col.referrals", nil)}
	bars := Series{Name: messages.T(lang, "report.col.barriers", nil)}
	add := func(name string) int {
		if i, ok := index[name]; ok {
			return i
		}
		index[name] = len(c.Categories)
		c.Categories = append(c.Categories, name)
		refs.Cells, bars.Cells = append(refs.Cells, Cell{}), append(bars.Cells, Cell{})
		return index[name]
	}
	for _, r := range referrals.Rows {
		refs.Cells[add(r.Label)] = r.Cells[0]
	}
	for _, b := range barriers.Rows {
		bars.Cells[add(b.Label)] = b.Cells[0]
	}
	c.Series = []Series{refs, bars}
	return c
}
