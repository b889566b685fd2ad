package testenv

import (
	"strconv"
	"strings"
)

// ReportTable is one table of a report as the chat shows it.
type ReportTable struct {
	Head []string
	Rows map[string][]string // by row label: the cells after the label
}

// Column returns the cells of column col (0 is the first after the label)
// of every row.
func (t ReportTable) Column(col int) []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, r[col])
	}
	return out
}

// ReportTables parses a report's Markdown into its tables by title.
func ReportTables(md string) map[string]ReportTable {
	out := map[string]ReportTable{}
	title := ""
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "**") && strings.HasSuffix(line, "**"):
			title = strings.Trim(line, "*")
		case strings.HasPrefix(line, "| ---"):
		case strings.HasPrefix(line, "| "):
			cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ")
			tab, ok := out[title]
			if !ok {
				out[title] = ReportTable{Head: cells, Rows: map[string][]string{}}
				continue
			}
			tab.Rows[cells[0]] = cells[1:]
		}
	}
	return out
}

// Revealed reports whether a figure of a total and its parts, as shown,
// can be worked out from the others: exactly one of them is not a number
// ("<5 Fälle", "•").
func Revealed(total string, parts []string) bool {
	unknown := 0
	for _, s := range append([]string{total}, parts...) {
		if _, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err != nil {
			unknown++
		}
	}
	return unknown == 1
}
