package commands

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

// goalAdd adds a goal to the Integrationsvereinbarung.
func (r *Runner) goalAdd(a *Args) (Reply, error) {
	c, g, err := r.svc.Store.AddGoal(r.ctx, r.Actor(), a.Str("case"),
		kim.Goal{Field: kim.LifeField(a.Str("field")), Text: goalText(a.Typed("field"), a.Str("text"), a.QuotedText), Due: a.Date("due")})
	if err != nil {
		return Reply{}, err
	}
	text := r.T("goal.saved", map[string]any{"Ref": c.Ref, "N": g.N, "Field": r.Name("field", string(g.Field)),
		"Text": render.Cell(g.Text), "Due": g.Due, "HasDue": g.Due != nil})
	if m := textDueRE.FindStringSubmatch(g.Text); m != nil && g.Due == nil && timeWordRE.MatchString(kim.Fold(m[1])) {
		// "… bis zum Sommer": a time in the text that is no date kimbot reads; the goal has no due date.
		text += "\n" + r.T("goal.due_in_text", map[string]any{"Ref": c.Ref, "N": g.N, "Words": render.Cell(render.Clip(m[1], 40))})
	}
	return Reply{Text: text + "\n" + r.caseLine(c)}, nil
}

// goalText returns the text of a goal typed as field and text. The word
// that gave the field begins the text too when it is a word of the goal
// rather than the field's name (ziel AB Wohnung finden: Wohnen, "Wohnung
// finden"), or when it is the German name and the text goes on in lower
// case, as German does after a noun of the phrase (ziel AB Arbeit finden:
// "Arbeit finden", not "finden"; "Ausbildung als Elektriker"). After the
// field's key (language, work) the text stays as typed: English writes
// its nouns in lower case too; so does a text typed in quotes or one that
// has the word already.
func goalText(field, text string, quoted bool) string {
	if quoted || strings.Contains(kim.Fold(text), kim.Fold(field)) { // ziel AB Wohnung eigene Wohnung finden
		return text
	}
	first, _ := utf8.DecodeRuneInString(text)
	switch fieldParam.nameKind(field) {
	case nameOther:
		if field != "" {
			return field + " " + text
		}
	case nameGerman:
		if unicode.IsLower(first) {
			return field + " " + text
		}
	}
	return text
}

// textDueRE is what follows bis or until at the end of a goal's text;
// with a word of time in it (timeWordRE: bis zum Sommer, until May) a
// coach may have meant it as the due date, unlike "bis B1".
var textDueRE = regexp.MustCompile(`(?i)(?:^|\s)((?:bis|until)\s+\S.*)$`)

// timeWordRE finds a word of time, folded: a month, a season, a holiday, a
// part of the year or a unit of time.
var timeWordRE = regexp.MustCompile(`\b(januar|februar|maerz|april|mai|juni|juli|august|september|oktober|november|dezember|` +
	`january|february|march|may|june|july|october|december|sommer|herbst|winter|fruehjahr|fruehling|summer|autumn|spring|` +
	`ostern|weihnachten|ferien|jahresende|jahresbeginn|ende|anfang|mitte|woche|wochen|monat|monate|monaten|jahr|jahres|` +
	`quartal|kw|week|weeks|month|months|year|end)\b`)

// goalDone marks a goal as reached.
func (r *Runner) goalDone(a *Args) (Reply, error) { return r.goalClose(a, "done") }

// goalDrop drops a goal.
func (r *Runner) goalDrop(a *Args) (Reply, error) { return r.goalClose(a, "dropped") }

// goalReopen opens a goal reached or dropped by mistake again.
func (r *Runner) goalReopen(a *Args) (Reply, error) { return r.goalClose(a, "open") }

func (r *Runner) goalClose(a *Args, status string) (Reply, error) {
	ns := a.Ints("n")
	c, closed, err := r.svc.Store.CloseGoal(r.ctx, r.Actor(), a.Str("case"), ns, status)
	if err != nil {
		return Reply{}, listRefused(err, ns, "goal.list_refused")
	}
	var b strings.Builder
	for _, g := range closed.Goals {
		b.WriteString(r.T("goal.closed."+status, map[string]any{"Ref": c.Ref, "N": g.N, "Text": render.Cell(g.Text)}) + "\n")
	}
	if status == "done" && closed.Open == 0 && c.Open() {
		// The last open goal reached: the closure is a line away.
		b.WriteString(r.T("goal.all_reached", map[string]any{"Ref": c.Ref}) + "\n")
	}
	return Reply{Text: b.String() + r.caseLine(c)}, nil
}
