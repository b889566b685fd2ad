package kim

import (
	"strings"
	"unicode/utf8"
)

// Lückenloser Rechtskreiswechsel (SPEC §3): a change of legal domain
// creates the steps of that (from, to) pair from the team's templates as
// dated items of the case. Teams start with DefaultTransitions, suggestions
// for the team to check, not legal advice.

// Limits of transition templates.
const (
	MaxStepText   = 200 // characters of a step's text
	MaxStepOffset = 365 // days from the change a step may fall due
	MaxSteps      = 50  // steps of one pair
)

// Step statuses of a case's transition steps.
const (
	StepOpen    = "open"
	StepDone    = "done"
	StepDropped = "dropped" // closed as no longer needed after a further change
)

// StepTemplate is one step of a team's template for a pair: its position N,
// text, partner (zero Key: none) and due offset in days from the change.
type StepTemplate struct {
	ID      int64
	N       int
	Text    string
	Partner Partner
	// PartnerRemoved: the partner was taken out of the directory; a new
	// change creates the step without it.
	PartnerRemoved bool
	Days           int
	Suggested      bool // kimbot's default, unchanged since
}

// TransitionTemplate is a pair with its steps in order.
type TransitionTemplate struct {
	From, To string
	Steps    []StepTemplate
}

// CaseStep is a transition step of a case: the numbered item the digest
// reminds of.
type CaseStep struct {
	N        int
	Text     string
	Partner  Partner
	Due      Date
	Status   string
	ClosedOn *Date
}

// Open reports whether the step is still to be done.
func (s CaseStep) Open() bool { return s.Status == StepOpen }

// Overdue reports whether the open step was due before today.
func (s CaseStep) Overdue(today Date) bool { return s.Open() && s.Due.Before(today) }

// CaseTransition is one Rechtskreiswechsel of a case with its steps.
type CaseTransition struct {
	From, To string
	Since    Date
	Steps    []CaseStep
}

// Counts returns how many steps are done, open (overdue included) and
// overdue on day today; dropped steps count in none.
func (t CaseTransition) Counts(today Date) (done, open, overdue int) {
	for _, s := range t.Steps {
		switch {
		case s.Status == StepDone:
			done++
		case s.Open():
			open++
			if s.Overdue(today) {
				overdue++
			}
		}
	}
	return done, open, overdue
}

// StepDue returns the due day of a step days after the change on since: a
// day that is not a working day moves to the next working day.
func StepDue(since Date, days int) Date { return Workday(since.AddDays(days)) }

// NewSteps returns the case steps of template t for a change on since,
// numbered from first on.
func NewSteps(t []StepTemplate, since Date, first int) []CaseStep {
	out := make([]CaseStep, len(t))
	for i, s := range t {
		out[i] = CaseStep{N: first + i, Text: s.Text, Partner: s.Partner, Due: StepDue(since, s.Days), Status: StepOpen}
	}
	return out
}

// CheckStep refuses a template step whose text is empty, too long or holds
// control characters, or whose offset is out of bounds.
func CheckStep(text string, days int) error {
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return Errorf(EINVALID, "transition.text_empty", map[string]any{"Field": "text"})
	case n > MaxStepText:
		return Errorf(EINVALID, "transition.text_long", map[string]any{"Field": "text", "N": n, "Max": MaxStepText})
	}
	if r, bad := ControlChar(text, false); bad {
		return Errorf(EINVALID, "transition.text_control", map[string]any{"Field": "text", "Char": CharName(r)})
	}
	if days < 0 || days > MaxStepOffset {
		return Errorf(EINVALID, "transition.bad_days", map[string]any{"Field": "days", "Days": days, "Max": MaxStepOffset})
	}
	return nil
}

// CheckPair refuses a pair whose domains are unknown or equal.
func CheckPair(from, to string) error {
	known := func(d string) bool {
		for _, x := range LegalDomains {
			if x == d {
				return true
			}
		}
		return false
	}
	if !known(from) || !known(to) || from == to {
		return Errorf(EINVALID, "transition.bad_pair", map[string]any{"From": from, "To": to})
	}
	return nil
}

// DefaultStep is a step of kimbot's default templates; PartnerKey names a
// partner of the default directory.
type DefaultStep struct {
	Text       string
	PartnerKey string
	Days       int
}

// DefaultTransition is one pair of the default templates.
type DefaultTransition struct {
	From, To string
	Steps    []DefaultStep
}

// DefaultTransitions are the templates every team starts with: the common
// transitions in NRW, as suggestions for the team to check (not legal
// advice). Admins change them with /kim admin uebergang.
var DefaultTransitions = []DefaultTransition{
	{From: "AsylbLG", To: "SGB2", Steps: []DefaultStep{
		{"Bürgergeld beim Jobcenter beantragen (Leistung ab dem Monat der Antragstellung)", "jobcenter", 0},
		{"AsylbLG-Leistungen beim Sozialamt beenden (Abmeldung, keine Doppelzahlung)", "sozialamt", 7},
		{"Gesetzliche Krankenversicherung: Mitgliedschaft bei einer Krankenkasse anmelden", "", 14},
		{"Aufenthaltserlaubnis bei der Ausländerbehörde beantragen", "auslaenderbehoerde", 14},
		{"Wohnsitzauflage (§ 12a AufenthG) prüfen", "auslaenderbehoerde", 14},
		{"Integrationskurs: Berechtigung oder Verpflichtung klären", "integrationskurs", 28},
		{"Kindergeld bei der Familienkasse beantragen (wenn Kinder im Haushalt leben)", "", 28},
		{"Unterkunftskosten klären, Auszug aus der Gemeinschaftsunterkunft planen", "jobcenter", 28},
	}},
	{From: "SGB2", To: "SGB3", Steps: []DefaultStep{
		{"Arbeitslosmeldung bei der Agentur für Arbeit (spätestens am ersten Tag der Arbeitslosigkeit)", "arbeitsagentur", 0},
		{"Arbeitslosengeld bei der Agentur für Arbeit beantragen", "arbeitsagentur", 0},
		{"Jobcenter informieren, ergänzendes Bürgergeld prüfen", "jobcenter", 7},
		{"Krankenversicherung über den Leistungsbezug prüfen", "", 14},
	}},
	{From: "SGB2", To: "SGB12", Steps: []DefaultStep{
		{"Grundsicherung im Alter oder bei Erwerbsminderung beim Sozialamt beantragen", "sozialamt", 0},
		{"Bürgergeld beim Jobcenter lückenlos beenden (Übergang abstimmen)", "jobcenter", 7},
		{"Erwerbsminderung feststellen lassen (Gutachten, Rentenversicherung)", "", 14},
		{"Krankenversicherung klären", "", 14},
	}},
	{From: "SGB8", To: "SGB2", Steps: []DefaultStep{
		{"Ende der Hilfe für junge Volljährige mit dem Jugendamt klären", "jugendamt", 0},
		{"Bürgergeld beim Jobcenter beantragen (Leistung ab dem Monat der Antragstellung)", "jobcenter", 0},
		{"Wohnung und Unterkunftskosten klären", "jobcenter", 14},
		{"Krankenversicherung klären", "", 14},
		{"Schule oder Ausbildung: Förderung prüfen (BAB, BAföG)", "arbeitsagentur", 28},
	}},
	{From: "AsylbLG", To: "SGB12", Steps: []DefaultStep{
		{"Sozialhilfe oder Grundsicherung beim Sozialamt beantragen", "sozialamt", 0},
		{"AsylbLG-Leistungen beenden (keine Doppelzahlung)", "sozialamt", 7},
		{"Aufenthaltserlaubnis bei der Ausländerbehörde beantragen", "auslaenderbehoerde", 14},
		{"Wohnsitzauflage (§ 12a AufenthG) prüfen", "auslaenderbehoerde", 14},
		{"Krankenversicherung klären", "", 14},
		{"Unterkunftskosten klären, Auszug aus der Gemeinschaftsunterkunft planen", "sozialamt", 28},
	}},
}

// StepStall is where transitions stall (the agenda's Strukturhinweise): the
// steps of one template step of a pair, by its text and partner, that are
// overdue in the team's open cases. It holds only the admins' step text,
// the partner's name and counts, never a case.
type StepStall struct {
	From, To string
	Text     string
	Partner  string // the partner's name; "" for none
	Count    Count  // overdue steps and the distinct cases behind them
}
