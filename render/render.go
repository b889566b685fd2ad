// Package render formats kimbot's domain for people in their language: the
// case card, a meeting's time and agenda post, Markdown tables and cells.
// The commands and the reminders both show what it renders, so a card or
// an agenda looks the same wherever it appears. Pure logic: no SQL, no
// HTTP, no Mattermost.
package render

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
)

// View renders for one reader: in their language, on their day (which
// dates count as due).
type View struct {
	Lang  string
	Today kim.Date
}

// T returns a text in the view's language.
func (v View) T(id string, data map[string]any) string { return messages.T(v.Lang, id, data) }

// Date formats an optional date ("–" when unset).
func (v View) Date(d *kim.Date) string {
	if d == nil {
		return "–"
	}
	return d.Format(v.Lang)
}

// Due formats an optional date and marks it when it is today or past.
func (v View) Due(d *kim.Date) string {
	if d == nil {
		return "–"
	}
	s := d.Format(v.Lang)
	if !d.After(v.Today) {
		s = "**" + s + "** ⏰"
	}
	return s
}

// Name returns the label of an enumerated value, e.g. Name("group",
// "refugee"); "–" for none.
func (v View) Name(kind, value string) string {
	if value == "" {
		return "–"
	}
	return v.T(kind+"."+value, nil)
}

// Label is Name as the first cell of a table's row or a form's field
// label: its first letter in upper case (Soziale Teilhabe, Language).
func (v View) Label(kind, value string) string { return messages.Capital(v.Name(kind, value)) }

// Heads returns the texts of table heads.
func (v View) Heads(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = v.T(id, nil)
	}
	return out
}

// Pseudonym returns the case's pseudonym for a table or card, or a marker
// once the case is erased.
func (v View) Pseudonym(c kim.Case) string {
	if c.Erased {
		return v.T("card.erased", nil)
	}
	return Cell(c.Pseudonym)
}

// Table renders a Markdown table.
func Table(head []string, rows [][]string) string {
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

// Cell makes user text safe for a Markdown table cell.
func Cell(s string) string {
	s = strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ").Replace(s)
	return Clip(s, 120)
}

// OneLine makes user text fit one Markdown list line.
func OneLine(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ").Replace(s)), " ")
}

// Clip shortens text to n characters, marking the cut with "…".
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Minutes renders a duration in minutes ("–" for none).
func Minutes(n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprint(n)
}
