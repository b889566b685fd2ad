package commands

import "github.com/kimbot-nrw/kimbot/kim"

// CardText renders a case card in lang as /kim show does on day today (for
// the "open case" button of the reminders).
func CardText(lang string, today kim.Date, card kim.Card) string {
	r := &Runner{lang: lang, today: today}
	return r.cardText(card)
}
