package commands

// The case-management cycle of SPEC §3: contacts, assessments, the
// Rechtskreiswechsel, dates by hand, closure, reopening, transfer and
// barriers. Goals, referrals, consent, absences and the admin verbs of the
// cycle live in the other casework_*.go files.

import (
	"errors"
	"fmt"

	"github.com/kimbot-nrw/kimbot/kim"
)

// German (and short) aliases of enumerated values, mapped to their keys.
var (
	kindAliases = map[string]string{"persoenlich": "in-person", "telefon": "phone",
		"nachricht": "message", "hausbesuch": "home-visit"}
	closeAliases = map[string]string{"ziele-erreicht": "goals-met", "verzogen": "moved", "zurueckgezogen": "withdrawn",
		"uebergeben": "transferred", "anderes": "other"}
	dueAliases = map[string]string{"assessment": "reassessment", "einschaetzung": "reassessment", "wiedervorlage": "monitoring"}
)

func init() {
	register(&Verb{
		Name: "contact", Alias: "kontakt", Roles: coach,
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "kind", Kind: Choice, Choices: kim.ContactKinds, Aliases: kindAliases, Optional: true},
			{Name: "note", Kind: Text, Optional: true},
		},
		Options: []Param{
			{Name: "minutes", Kind: Int, Min: 0, Max: 1440, Optional: true},
			{Name: "date", Kind: Date, Optional: true},
		},
		Run: (*Runner).contact,
		Examples: []string{"/kim contact K-2026-0042 phone minutes=20 \"Termin beim Jobcenter vorbereitet\"",
			"/kim kontakt K-2026-0042 hausbesuch date=20.11.2026 Wohnung besichtigt", "/kim contact K-2026-0042"},
	}, &Verb{
		Name: "assess", Alias: "einschaetzung", Roles: coach,
		Params: []Param{{Name: "case", Kind: CaseRef}, {Name: "scores", Kind: Scores}},
		Options: []Param{
			{Name: "note", Kind: Text, Optional: true},
			{Name: "date", Kind: Date, Optional: true},
		},
		Run: (*Runner).assess,
		Examples: []string{"/kim assess K-2026-0042 language=2 work=1 housing=3 note=\"Sprachkurs B1 läuft\"",
			"/kim einschaetzung K-2026-0042 language=3 work=2 date=2026-11-20"},
	}, &Verb{
		Name: "domain", Alias: "rechtskreis", Roles: coach,
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "domain", Kind: Choice, Choices: kim.LegalDomains}},
		Options:  []Param{{Name: "since", Kind: Date, Optional: true}},
		Run:      (*Runner).domain,
		Examples: []string{"/kim domain K-2026-0042 SGB2 since=01.11.2026", "/kim rechtskreis K-2026-0042 sgb3"},
	}, &Verb{
		Name: "due", Alias: "termin", Roles: coach,
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "which", Kind: Choice, Choices: []string{"monitoring", "reassessment"}, Aliases: dueAliases},
			{Name: "date", Kind: Date},
		},
		Run:      (*Runner).due,
		Examples: []string{"/kim due K-2026-0042 monitoring 2026-12-01", "/kim termin K-2026-0042 einschaetzung 15.01.2027"},
	}, &Verb{
		Name: "close", Alias: "abschliessen", Roles: coach,
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "reason", Kind: Choice, Choices: kim.CloseReasons, Aliases: closeAliases},
			{Name: "note", Kind: Text, Optional: true},
		},
		Run:      (*Runner).closeCase,
		Examples: []string{"/kim close K-2026-0042 goals-met \"Arbeit gefunden, Wohnung stabil\"", "/kim abschliessen K-2026-0042 verzogen"},
	}, &Verb{
		Name: "reopen", Alias: "wiederaufnehmen", Roles: coach,
		Params:   []Param{{Name: "case", Kind: CaseRef}},
		Run:      (*Runner).reopen,
		Examples: []string{"/kim reopen K-2026-0042", "/kim wiederaufnehmen K-2026-0042"},
	}, &Verb{
		Name: "transfer", Alias: "uebergeben", Roles: coach,
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "user", Kind: User}},
		Run:      (*Runner).transfer,
		Examples: []string{"/kim transfer K-2026-0042 @ben", "/kim uebergeben K-2026-0042 @ben"},
	}, &Verb{
		Name: "barrier", Alias: "hindernis", Roles: coach,
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "about", Kind: Word, Max: 80},
			{Name: "text", Kind: Text},
		},
		Run: (*Runner).barrier,
		Examples: []string{"/kim barrier K-2026-0042 jobcenter \"Termine erst nach 8 Wochen\"",
			"/kim hindernis K-2026-0042 Wohnungsmarkt Keine Wohnungen unter der Mietobergrenze"},
	})
}

// caseLine is the short status after a write: phase and next dates.
func (r *Runner) caseLine(c kim.Case) string {
	if !c.Open() {
		return r.T("casework.line_closed", map[string]any{"Phase": r.name("phase", c.Phase)})
	}
	return r.T("casework.line", map[string]any{"Phase": r.name("phase", c.Phase),
		"Monitoring": r.dueDate(c.NextMonitoring), "Assessment": r.dueDate(c.NextAssessment)})
}

// dayOr returns the date option name, or today when it is absent.
func (r *Runner) dayOr(a *Args, name string) kim.Date {
	if d := a.Date(name); d != nil {
		return *d
	}
	return r.today
}

// contact logs a contact, or opens the contact form when only the case is given.
func (r *Runner) contact(a *Args) (Reply, error) {
	if !a.Has("kind") && !a.Has("note") && !a.Has("minutes") && !a.Has("date") && r.req.TriggerID != "" {
		return r.contactDialog(a.Str("case"))
	}
	if !a.Has("kind") {
		return Reply{}, usageErr("err.missing", a.Verb, map[string]any{"Name": "kind"})
	}
	if !a.Has("note") {
		return Reply{}, usageErr("err.missing", a.Verb, map[string]any{"Name": "note"})
	}
	k := kim.Contact{Kind: a.Str("kind"), Minutes: -1, On: r.dayOr(a, "date"), Note: a.Str("note")}
	if a.Has("minutes") {
		k.Minutes = a.Int("minutes")
	}
	c, err := r.svc.Store.AddContact(r.ctx, r.Actor(), a.Str("case"), k)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("contact.saved", map[string]any{"Ref": c.Ref, "Kind": r.name("kind", k.Kind), "Date": k.On.Format(r.lang),
		"Minutes": max(k.Minutes, 0)}) + "\n" + r.caseLine(c)}, nil
}

// assess records an assessment; a re-assessment shows the change per field.
func (r *Runner) assess(a *Args) (Reply, error) {
	c, prev, cur, err := r.svc.Store.AddAssessment(r.ctx, r.Actor(), a.Str("case"),
		kim.Assessment{On: r.dayOr(a, "date"), Scores: a.Scores(), Note: a.Str("note")})
	if err != nil {
		return Reply{}, err
	}
	var rows [][]string
	for _, ch := range kim.Changes(prev, cur) {
		row := []string{r.name("field", string(ch.Field))}
		if prev != nil {
			before, delta := "–", r.T("assess.new", nil)
			if ch.Before > 0 {
				before, delta = fmt.Sprint(ch.Before), trend(ch.After-ch.Before)
			}
			row = append(row, before, fmt.Sprint(ch.After), delta)
		} else {
			row = append(row, fmt.Sprint(ch.After))
		}
		rows = append(rows, row)
	}
	var text string
	if prev == nil {
		text = r.T("assess.saved_first", map[string]any{"Ref": c.Ref, "Date": cur.On.Format(r.lang)}) + "\n" +
			table(r.heads("head.field", "assess.head_score"), rows)
	} else {
		text = r.T("assess.saved_again", map[string]any{"Ref": c.Ref, "Seq": cur.Seq, "Date": cur.On.Format(r.lang),
			"Prev": prev.On.Format(r.lang)}) + "\n" +
			table(r.heads("head.field", "assess.head_before", "assess.head_now", "assess.head_change"), rows)
	}
	return Reply{Text: text + "\n" + r.T("assess.next", map[string]any{"Date": r.date(c.NextAssessment)}) + "\n" + r.caseLine(c)}, nil
}

// trend renders a score change: +1 ↑, −2 ↓ or ±0.
func trend(d int) string {
	switch {
	case d > 0:
		return fmt.Sprintf("+%d ↑", d)
	case d < 0:
		return fmt.Sprintf("−%d ↓", -d)
	}
	return "±0"
}

// domain records a Rechtskreiswechsel.
func (r *Runner) domain(a *Args) (Reply, error) {
	since := r.dayOr(a, "since")
	c, from, err := r.svc.Store.ChangeDomain(r.ctx, r.Actor(), a.Str("case"), a.Str("domain"), since)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("domain.saved", map[string]any{"Ref": c.Ref, "From": from, "To": c.Domain, "Date": since.Format(r.lang)}) +
		"\n" + r.caseLine(c)}, nil
}

// due sets the next monitoring or (re-)assessment date by hand.
func (r *Runner) due(a *Args) (Reply, error) {
	which := map[string]string{"monitoring": "monitoring", "reassessment": "assessment"}[a.Str("which")]
	c, err := r.svc.Store.SetDue(r.ctx, r.Actor(), a.Str("case"), which, *a.Date("date"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("due.saved."+which, map[string]any{"Ref": c.Ref, "Date": a.Date("date").Format(r.lang)}) + "\n" + r.caseLine(c)}, nil
}

// closeCase closes a case with a reason.
func (r *Runner) closeCase(a *Args) (Reply, error) {
	reason := a.Str("reason")
	c, err := r.svc.Store.CloseCase(r.ctx, r.Actor(), a.Str("case"), reason, a.Str("note"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("close.saved", map[string]any{"Ref": c.Ref, "Reason": r.name("reason", reason), "Date": r.date(c.ClosedOn)})}, nil
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
	c, err := r.svc.Store.TransferCase(r.ctx, r.Actor(), a.Str("case"), func() (string, error) {
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
	return Reply{Text: r.T("transfer.saved", map[string]any{"Ref": c.Ref, "User": to.Username})}, nil
}

// barrier records a Strukturhinweis for the network.
func (r *Runner) barrier(a *Args) (Reply, error) {
	c, p, err := r.svc.Store.AddBarrier(r.ctx, r.Actor(), a.Str("case"), a.Str("about"), a.Str("text"))
	if err != nil {
		return Reply{}, err
	}
	if p.ID != 0 {
		return Reply{Text: r.T("barrier.saved_partner", map[string]any{"Ref": c.Ref, "Partner": p.Name})}, nil
	}
	return Reply{Text: r.T("barrier.saved_topic", map[string]any{"Ref": c.Ref, "Topic": cell(a.Str("about"))})}, nil
}
