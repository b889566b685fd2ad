package commands

import (
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

var coach = []kim.Role{kim.RoleCoach}

func init() {
	register(&Verb{
		Name: "open", Alias: "neu", Roles: coach,
		Params: []Param{{Name: "pseudonym", Kind: Word, Max: 40}},
		Options: []Param{
			{Name: "group", Kind: Choice, Choices: kim.TargetGroups},
			{Name: "domain", Kind: Choice, Choices: kim.LegalDomains, Optional: true},
			{Name: "consent", Kind: Word, Max: 10},
			{Name: "form", Kind: Choice, Choices: []string{"written", "oral"}, Optional: true},
		},
		Run:      (*Runner).open,
		Bare:     (*Runner).openDialog, // commands/casework_dialogs.go
		Examples: []string{"/kim open AB group=refugee domain=AsylbLG consent=yes", "/kim neu \"M. K.\" group=eu consent=ja form=oral"},
	}, &Verb{
		Name: "cases", Alias: "faelle", Roles: coach,
		Params:   []Param{{Name: "filter", Kind: Choice, Optional: true, Choices: []string{"open", "closed", "due", "all", "offen", "abgeschlossen", "faellig", "alle"}}},
		Run:      (*Runner).cases,
		Examples: []string{"/kim cases", "/kim faelle faellig", "/kim cases all"},
	}, &Verb{
		Name: "show", Alias: "zeige", Roles: coach,
		Params:   []Param{{Name: "case", Kind: CaseRef}},
		Run:      (*Runner).show,
		Examples: []string{"/kim show K-2026-0042", "/kim zeige k-2026-0042"},
	})
}

// open opens a case with recorded consent and answers its reference.
func (r *Runner) open(a *Args) (Reply, error) {
	if c := strings.ToLower(a.Str("consent")); c != "yes" && c != "ja" {
		return Reply{}, usageErr("err.consent_required", a.Verb, nil)
	}
	domain := a.Str("domain")
	if domain == "" {
		domain = "none"
	}
	c, err := r.svc.Store.OpenCase(r.ctx, r.Actor(), store.NewCase{
		Pseudonym: a.Str("pseudonym"), Group: a.Str("group"), Domain: domain, ConsentForm: a.Str("form"),
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("case.opened", map[string]any{
		"Ref": c.Ref, "Pseudonym": cell(c.Pseudonym), "Assessment": r.date(c.NextAssessment), "Monitoring": r.date(c.NextMonitoring)})}, nil
}

var filterAliases = map[string]store.CaseFilter{
	"": store.FilterOpen, "open": store.FilterOpen, "offen": store.FilterOpen,
	"closed": store.FilterClosed, "abgeschlossen": store.FilterClosed,
	"due": store.FilterDue, "faellig": store.FilterDue, "all": store.FilterAll, "alle": store.FilterAll,
}

// maxListed is how many cases one answer lists.
const maxListed = 50

// cases lists the caller's cases with phase and next dates.
func (r *Runner) cases(a *Args) (Reply, error) {
	f := filterAliases[a.Str("filter")]
	list, err := r.svc.Store.Cases(r.ctx, r.Actor(), f, maxListed+1)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: r.T("cases.none."+string(f), nil)}, nil
	}
	more := len(list) > maxListed
	if more {
		list = list[:maxListed]
	}
	rows := make([][]string, len(list))
	for i, c := range list {
		owner := ""
		if c.OwnerID != r.req.User.ID {
			owner = " " + r.T("cases.deputy_for", map[string]any{"Owner": c.OwnerName})
		}
		mon, ass := r.dueDate(c.NextMonitoring), r.dueDate(c.NextAssessment)
		if !c.Open() {
			mon, ass = "–", "–"
		}
		rows[i] = []string{c.Ref + owner, r.pseudonym(c), r.name("phase", c.Phase), mon, ass}
	}
	text := r.T("cases.title."+string(f), map[string]any{"N": len(list)}) + "\n" +
		table(r.heads("head.case", "head.pseudonym", "head.phase", "due.monitoring", "due.assessment"), rows)
	if more {
		text += "\n" + r.T("cases.more", map[string]any{"N": maxListed})
	}
	return Reply{Text: text}, nil
}

// show answers the case card.
func (r *Runner) show(a *Args) (Reply, error) {
	card, err := r.svc.Store.Card(r.ctx, r.Actor(), a.Str("case"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.cardText(card)}, nil
}
