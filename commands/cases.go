package commands

import (
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/mask"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// open opens a case with recorded consent and answers its reference.
func (r *Runner) open(a *Args) (Reply, error) {
	if a.Str("consent") != "yes" {
		return Reply{}, usageErr("err.consent_required", a.Verb, nil)
	}
	domain := a.Str("domain")
	if domain == "" {
		domain = "none"
	}
	c, err := r.svc.Store.OpenCase(r.ctx, r.Actor(), store.NewCase{
		Pseudonym: a.Str("pseudonym"), Group: a.Str("group"), Domain: domain, ConsentForm: a.Str("form"), OpenedOn: a.Date("date"),
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("case.opened", map[string]any{"Ref": c.Ref, "Pseudonym": render.Cell(c.Pseudonym),
		"Assessment": c.NextAssessment, "Monitoring": c.NextMonitoring, "Opened": c.OpenedOn, "Backdated": c.OpenedOn != r.Today}) +
		r.fullNameHint(c)}, nil
}

// fullNameHint asks for a pseudonym when the case's reads as a person's
// full name (data minimisation: kimbot needs no names), with the line that
// puts the initials in its place; "" otherwise.
func (r *Runner) fullNameHint(c kim.Case) string {
	initials, ok := mask.FullName(c.Pseudonym)
	if !ok {
		return ""
	}
	return "\n" + r.T("case.full_name", map[string]any{"Ref": c.Ref, "Pseudonym": render.Cell(c.Pseudonym), "Initials": initials})
}

// maxListed is how many cases one answer lists: a page of /kim cases.
const maxListed = 50

// cases lists the caller's cases with phase and next dates, a page of
// maxListed at a time.
func (r *Runner) cases(a *Args) (Reply, error) {
	f := store.CaseFilter(a.Str("filter"))
	if f == "" {
		f = store.FilterOpen
	}
	page := max(a.Int("page"), 1)
	list, err := r.svc.Store.Cases(r.ctx, r.Actor(), f, (page-1)*maxListed, maxListed)
	if err != nil {
		return Reply{}, err
	}
	if list.Total == 0 {
		return Reply{Text: r.T("cases.none."+string(f), nil)}, nil
	}
	pages := (list.Total + maxListed - 1) / maxListed
	data := map[string]any{"N": list.Total, "Page": page, "Pages": pages, "Filter": filterWord(a.Verb, f),
		"From": (page-1)*maxListed + 1, "To": (page-1)*maxListed + len(list.Cases)}
	if len(list.Cases) == 0 {
		return Reply{}, kim.Errorf(kim.EINVALID, "cases.no_page", data)
	}
	rows := make([][]string, len(list.Cases))
	for i, c := range list.Cases {
		owner := ""
		if c.OwnerID != r.req.User.ID {
			owner = " " + r.T("cases.deputy_for", map[string]any{"Owner": c.OwnerName})
		}
		mon, ass := r.Due(c.NextMonitoring), r.Due(c.NextAssessment)
		if !c.Open() {
			mon, ass = "–", "–"
		}
		rows[i] = []string{c.Ref + owner, r.Pseudonym(c), r.Name("phase", c.Phase), mon, ass}
	}
	text := r.T("cases.title."+string(f), data)
	if pages > 1 {
		text += " " + r.T("cases.page", data)
	}
	text += "\n" + render.Table(r.Heads("head.case", "head.pseudonym", "head.phase", "due.monitoring", "due.assessment"), rows)
	if page < pages {
		data["Next"] = page + 1
		text += "\n" + r.T("cases.next", data)
	}
	return Reply{Text: text}, nil
}

// filterWord is the filter as the reader types it ("offen", "open").
func filterWord(v *Verb, f store.CaseFilter) local {
	return func(lang string) string { return v.Params[0].show(string(f), lang) }
}

// show answers the case card.
func (r *Runner) show(a *Args) (Reply, error) {
	card, err := r.svc.Store.Card(r.ctx, r.Actor(), a.Str("case"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.Card(card)}, nil
}

// contactsPage is how many contacts /kim contacts shows at once.
const contactsPage = 10

// contacts pages through all contacts of a case, newest first.
func (r *Runner) contacts(a *Args) (Reply, error) {
	page := max(a.Int("page"), 1)
	p, err := r.svc.Store.Contacts(r.ctx, r.Actor(), a.Str("case"), (page-1)*contactsPage, contactsPage)
	if err != nil {
		return Reply{}, err
	}
	pages := max((p.Total+contactsPage-1)/contactsPage, 1)
	data := map[string]any{"Ref": p.Case.Ref, "Total": p.Total, "Page": page, "Pages": pages,
		"From": (page-1)*contactsPage + 1, "To": (page-1)*contactsPage + len(p.Contacts)}
	if p.Total == 0 {
		return Reply{Text: r.T("contacts.none", data)}, nil
	}
	if len(p.Contacts) == 0 {
		return Reply{}, kim.Errorf(kim.EINVALID, "contacts.no_page", data)
	}
	text := r.T("contacts.title", data) + "\n" + r.ContactTable(p.Contacts)
	if page < pages {
		data["Next"] = page + 1
		text += "\n" + r.T("contacts.next", data)
	}
	return Reply{Text: text}, nil
}
