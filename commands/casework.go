package commands

// The case-management cycle of SPEC §3: contacts, assessments, dates by
// hand, closure, reopening, transfer and barriers (the Rechtskreiswechsel
// is in transitions.go). Goals, referrals, consent, absences and the admin verbs of the
// cycle live in the other casework_*.go files.

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

// caseLine is the short status after a write: phase and next dates.
func (r *Runner) caseLine(c kim.Case) string {
	if !c.Open() {
		return r.T("casework.line_closed", map[string]any{"Phase": r.Name("phase", c.Phase)})
	}
	return r.T("casework.line", map[string]any{"Phase": r.Name("phase", c.Phase),
		"Monitoring": r.Due(c.NextMonitoring), "Assessment": r.Due(c.NextAssessment)})
}

// dayOr returns the date option name, or today when it is absent.
func (r *Runner) dayOr(a *Args, name string) kim.Date {
	if d := a.Date(name); d != nil {
		return *d
	}
	return r.Today
}

// contact logs a contact (the form of `/kim contact <case>` is contactDialog).
func (r *Runner) contact(a *Args) (Reply, error) {
	k := kim.Contact{Kind: a.Str("kind"), Minutes: -1, On: r.dayOr(a, "date"), Note: a.Str("note")}
	if a.Has("minutes") {
		k.Minutes = a.Int("minutes")
	}
	c, n, err := r.svc.Store.AddContact(r.ctx, r.Actor(), a.Str("case"), k)
	if err != nil {
		return Reply{}, err
	}
	text := r.T("contact.saved", map[string]any{"Ref": c.Ref, "N": n, "Kind": r.Name("kind", k.Kind), "Date": k.On, "Minutes": max(k.Minutes, 0)})
	if m := noteMinutesRE.FindStringSubmatch(k.Note); m != nil && k.Minutes < 0 {
		// "20min Termin …": the duration is only in the note; say how it counts.
		text += "\n" + r.T("contact.minutes_in_note", map[string]any{"Ref": c.Ref, "Contact": n, "N": m[1]})
	}
	if typed, day, ok := noteDay(k.Note, r.Today); ok && !a.Has("date") {
		// "gestern angerufen", "am 20.11. Rückruf": the day is only in the
		// note; the contact is dated today.
		key := "contact.date_in_note"
		if _, rel := relativeDays[kim.Fold(typed)]; rel {
			key = "contact.day_in_note"
		}
		text += "\n" + r.T(key, map[string]any{"Ref": c.Ref, "Contact": n, "Word": strings.ToLower(typed), "Typed": typed, "Day": day, "Date": k.On})
	}
	return Reply{Text: text + "\n" + r.caseLine(c)}, nil
}

// noteDay returns the words a contact's note begins with when they name a
// day before today (gestern, 20.11., am Freitag, vor 3 Tagen), which a coach
// may have meant as the contact's date, and that day; false otherwise.
func noteDay(note string, today kim.Date) (string, kim.Date, bool) {
	words := strings.Fields(note)
	for w := min(4, len(words)); w >= 1; w-- {
		typed := strings.TrimRight(strings.Join(words[:w], " "), ",;:")
		if d, ok := parseDateFrom(typed, today, false); ok && d.Before(today) {
			return typed, d, true
		}
	}
	return "", kim.Date{}, false
}

// noteMinutesRE is a duration at the start of a contact's note (20min,
// 45 Minuten, 30 min.), which a coach may have meant as its minutes.
var noteMinutesRE = regexp.MustCompile(`(?i)^\s*(\d{1,3})\s?(?:min\.?|minuten|minutes)(?:$|[\s,.;:])`)

// assess records an assessment; a re-assessment shows the change per field.
func (r *Runner) assess(a *Args) (Reply, error) {
	c, prev, cur, err := r.svc.Store.AddAssessment(r.ctx, r.Actor(), a.Str("case"),
		kim.Assessment{On: r.dayOr(a, "date"), Scores: a.Scores(), Note: a.Str("note")})
	if err != nil {
		return Reply{}, err
	}
	var text string
	if prev == nil {
		text = r.T("assess.saved_first", map[string]any{"Ref": c.Ref, "Date": cur.On})
	} else {
		text = r.T("assess.saved_again", map[string]any{"Ref": c.Ref, "Seq": cur.Seq, "Date": cur.On, "Prev": prev.On})
	}
	return Reply{Text: text + "\n" + r.scoreTable(prev, cur) + "\n" + r.T("assess.next", map[string]any{"Date": c.NextAssessment}) +
		"\n" + r.caseLine(c)}, nil
}

// scoreTable shows the scores of assessment cur, with the score before, now
// and the change per field when there is an assessment before it (prev).
func (r *Runner) scoreTable(prev *kim.Assessment, cur kim.Assessment) string {
	var rows [][]string
	for _, ch := range kim.Changes(prev, cur) {
		row := []string{r.Label("field", string(ch.Field))}
		if prev != nil {
			before, delta := "–", r.T("assess.new", nil)
			if ch.Before > 0 {
				before, delta = fmt.Sprint(ch.Before), render.Trend(ch.After-ch.Before)
			}
			row = append(row, before, fmt.Sprint(ch.After), delta)
		} else {
			row = append(row, fmt.Sprint(ch.After))
		}
		rows = append(rows, row)
	}
	if prev == nil {
		return render.Table(r.Heads("head.field", "assess.head_score"), rows)
	}
	return render.Table(r.Heads("head.field", "assess.head_before", "assess.head_now", "assess.head_change"), rows)
}

// due sets the next monitoring or (re-)assessment date by hand.
func (r *Runner) due(a *Args) (Reply, error) {
	which := map[string]string{"monitoring": "monitoring", "reassessment": "assessment"}[a.Str("which")]
	c, err := r.svc.Store.SetDue(r.ctx, r.Actor(), a.Str("case"), which, *a.Date("date"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("due.saved."+which, map[string]any{"Ref": c.Ref, "Date": a.Date("date")}) + r.workdayNote(*a.Date("date")) + "\n" + r.caseLine(c)}, nil
}

// workdayNote is the line that says a date set by hand is no working day
// in NRW (a weekend, a public holiday) and when the digest brings it; ""
// for a working day.
func (r *Runner) workdayNote(d kim.Date) string {
	if kim.IsWorkday(d) {
		return ""
	}
	day := r.T(fmt.Sprintf("due.weekday.%d", d.UTC().Weekday()), nil)
	if h := kim.Holiday(d); h != "" {
		day = r.T("due.holiday", map[string]any{"Name": h})
	}
	return "\n" + r.T("due.not_workday", map[string]any{"Date": d, "Day": day, "Next": kim.Workday(d)})
}

// closeCase closes a case with a reason.
func (r *Runner) closeCase(a *Args) (Reply, error) {
	reason := a.Str("reason")
	c, err := r.svc.Store.CloseCase(r.ctx, r.Actor(), a.Str("case"), reason, a.Str("note"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("close.saved", map[string]any{"Ref": c.Ref, "Reason": r.Name("reason", reason), "Date": c.ClosedOn})}, nil
}

// reopen reopens a closed case.
func (r *Runner) reopen(a *Args) (Reply, error) {
	c, err := r.svc.Store.ReopenCase(r.ctx, r.Actor(), a.Str("case"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("reopen.saved", map[string]any{"Ref": c.Ref}) + "\n" + r.caseLine(c)}, nil
}

// transfer hands a case to another coach of the team. The case is checked
// first, so nobody learns about people of the team through it.
func (r *Runner) transfer(a *Args) (Reply, error) {
	var to kim.User
	st := r.svc.Store
	if !a.Has("confirm") {
		st = st.DryRun() // the caller loses the case: say so first
	}
	c, err := st.TransferCase(r.ctx, r.Actor(), a.Str("case"), func() (string, error) {
		u, err := r.svc.Dir.UserByName(r.ctx, r.req.TeamID, a.Str("user"))
		to = u
		return u.ID, err
	})
	if err != nil {
		if e := (*kim.Error)(nil); errors.As(err, &e) && e.Key == "transfer.not_coach" {
			return Reply{}, kim.Errorf(kim.EINVALID, "transfer.not_coach", map[string]any{"User": to.Username})
		}
		return Reply{}, err
	}
	if !a.Has("confirm") {
		return Reply{Text: r.T("transfer.confirm", map[string]any{"Ref": c.Ref, "User": to.Username, "Line": r.confirmLine()})}, nil
	}
	return Reply{Text: r.T("transfer.saved", map[string]any{"Ref": c.Ref, "User": to.Username})}, nil
}
