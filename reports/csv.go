package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
)

// CSVHeader is the header row of the CSV export: one figure per line, so
// every section has the same shape and a spreadsheet can pivot it.
var CSVHeader = []string{"Zeitraum", "Bereich", "Abschnitt", "Zeile", "Spalte", "Wert"}

// CSV renders the report as a CSV file for German spreadsheets: UTF-8 with
// a byte-order mark, ";" as separator, decimal comma, suppressed cells as
// "<5". Build the report with lang "de" for German labels.
func (r Report) CSV() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	scope := r.ScopeLabel
	if err := w.Write(CSVHeader); err != nil {
		return nil, err
	}
	for _, tab := range r.Tables {
		for _, row := range tab.Rows {
			for i, c := range row.Cells {
				if err := w.Write([]string{r.Period.Label, scope, tab.Title, row.Label, tab.Head[i+1], c.Text(r.Lang)}); err != nil {
					return nil, err
				}
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("reports: csv: %w", err)
	}
	return buf.Bytes(), nil
}

// FileName returns the file name of the report's CSV or PNG (ext without dot).
func (r Report) FileName(ext string) string {
	name := "kimbot-bericht-" + r.Period.Label
	if r.By != "" {
		name += "-" + r.By
	}
	return name + "." + ext
}
