package commands

import (
	"regexp"
	"strings"
	"sync"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

var admin = []kim.Role{kim.RoleAdmin}

// maxAudit is how many audit rows one answer lists.
const maxAudit = 50

var partnerKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

func init() {
	extend("admin", &Verb{
		Name: "defaults", Alias: "vorgaben", Roles: admin,
		Options: []Param{
			{Name: "monitoring", Kind: Duration, Optional: true},
			{Name: "assessment", Kind: Duration, Optional: true},
			{Name: "reassessment", Kind: Duration, Optional: true},
			{Name: "followup", Kind: Duration, Optional: true},
		},
		Run:      (*Runner).adminDefaults,
		Examples: []string{"/kim admin defaults", "/kim admin defaults monitoring=4w assessment=14d reassessment=6m followup=10d"},
	}, &Verb{
		Name: "partner", Roles: []kim.Role{kim.RoleAdmin, kim.RoleCoach, kim.RoleCoordinator},
		Params: []Param{
			{Name: "action", Kind: Choice, Choices: []string{"add", "list"}, Aliases: map[string]string{"neu": "add", "liste": "list"}},
			{Name: "key", Kind: Word, Max: 40, Optional: true},
			{Name: "name", Kind: Text, Max: 120, Optional: true},
		},
		Options: []Param{{Name: "domain", Kind: Choice, Choices: kim.LegalDomains, Optional: true}},
		Run:     (*Runner).adminPartner,
		Examples: []string{"/kim admin partner list", "/kim admin partner add schuldnerberatung \"Schuldnerberatung der Diakonie\"",
			"/kim admin partner add bamf \"BAMF Außenstelle\" domain=none"},
	}, &Verb{
		Name: "audit", Alias: "protokoll", Roles: admin,
		Params:   []Param{{Name: "case", Kind: CaseRef}},
		Run:      (*Runner).adminAudit,
		Examples: []string{"/kim admin audit K-2026-0042"},
	})
}

// adminDefaults shows or changes the team's intervals.
func (r *Runner) adminDefaults(a *Args) (Reply, error) {
	var ch store.DefaultsChange
	changed := false
	days := func(name string, max int) (*int, error) {
		s, ok := a.Span(name)
		if !ok {
			return nil, nil
		}
		changed = true
		n := s.Days(r.today)
		if n < 1 || n > max {
			return nil, usageErr("defaults.bad_days", a.Verb, map[string]any{"Name": name, "Max": max})
		}
		return &n, nil
	}
	var err error
	if ch.MonitoringDays, err = days("monitoring", 365); err != nil {
		return Reply{}, err
	}
	if ch.FirstAssessmentDays, err = days("assessment", 365); err != nil {
		return Reply{}, err
	}
	if ch.FollowupDays, err = days("followup", 365); err != nil {
		return Reply{}, err
	}
	if s, ok := a.Span("reassessment"); ok {
		changed = true
		if s.Unit != kim.Months || s.N < 1 || s.N > 24 {
			return Reply{}, usageErr("defaults.bad_months", a.Verb, map[string]any{"Name": "reassessment", "Max": 24})
		}
		ch.ReassessmentMonths = &s.N
	}
	var set kim.TeamSettings
	if changed {
		set, err = r.svc.Store.SetTeamDefaults(r.ctx, r.Actor(), ch)
	} else {
		set, err = r.svc.Store.TeamSettings(r.ctx, r.req.TeamID)
	}
	if err != nil {
		return Reply{}, err
	}
	key := "defaults.show"
	if changed {
		key = "defaults.saved"
	}
	return Reply{Text: r.T(key, map[string]any{"Monitoring": set.MonitoringDays, "Assessment": set.FirstAssessmentDays,
		"Reassessment": set.ReassessmentMonths, "Followup": set.FollowupDays})}, nil
}

// adminPartner lists the partner directory or adds a partner (admins only).
func (r *Runner) adminPartner(a *Args) (Reply, error) {
	switch a.Str("action") {
	case "list":
		if a.Has("key") || a.Has("domain") {
			return Reply{}, usageErr("err.extra", a.Verb, map[string]any{"Token": a.Str("key") + a.Str("domain")})
		}
		list, err := r.svc.Store.Partners(r.ctx, r.req.TeamID)
		if err != nil {
			return Reply{}, err
		}
		rows := make([][]string, len(list))
		for i, p := range list {
			d := p.Domain
			if d == "" {
				d = "–"
			}
			rows[i] = []string{"`" + p.Key + "`", cell(p.Name), d}
		}
		return Reply{Text: r.T("partner.list", map[string]any{"N": len(list)}) + "\n" +
			table(r.heads("partner.head_key", "head.partner", "card.domain"), rows)}, nil
	}
	if !r.has(kim.RoleAdmin) {
		return Reply{}, kim.Errorf(kim.EFORBIDDEN, "err.role_required", map[string]any{
			"Verb": "admin partner add", "Roles": r.T("role.admin", nil), "Role": r.T("role."+string(r.Role()), nil)})
	}
	if !a.Has("key") {
		return Reply{}, usageErr("err.missing", a.Verb, map[string]any{"Name": "key"})
	}
	if !a.Has("name") {
		return Reply{}, usageErr("err.missing", a.Verb, map[string]any{"Name": "name"})
	}
	key := a.Str("key")
	if !partnerKeyRE.MatchString(key) {
		return Reply{}, usageErr("partner.bad_key", a.Verb, map[string]any{"Value": clip(key, 40)})
	}
	p, err := r.svc.Store.AddPartner(r.ctx, r.Actor(), kim.Partner{Key: key, Name: a.Str("name"), Domain: a.Str("domain")})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("partner.saved", map[string]any{"Key": p.Key, "Name": cell(p.Name)})}, nil
}

// adminAudit shows who did what to a case, and when; never any content.
func (r *Runner) adminAudit(a *Args) (Reply, error) {
	ref := a.Str("case")
	list, err := r.svc.Store.AuditLog(r.ctx, r.req.TeamID, ref, maxAudit+1)
	if err != nil {
		return Reply{}, err
	}
	if err := r.svc.Store.Audit(r.ctx, r.Actor(), "audit.read", 0, ref); err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: r.T("audit.none", map[string]any{"Ref": ref})}, nil
	}
	more := len(list) > maxAudit
	if more {
		list = list[len(list)-maxAudit:]
	}
	loc := r.req.User.Location()
	rows := make([][]string, len(list))
	for i, e := range list {
		who := "@" + e.Actor
		if e.Actor == "" {
			who = e.ActorID
		}
		at := e.At.In(loc)
		rows[i] = []string{kim.DateOf(at).Format(r.lang) + " " + at.Format("15:04"), who, r.auditName(e.Action)}
	}
	text := r.T("audit.title", map[string]any{"Ref": ref, "N": len(list)}) + "\n" + table(r.heads("audit.head_at", "audit.head_who", "audit.head_what"), rows)
	if more {
		text += "\n" + r.T("audit.more", map[string]any{"N": maxAudit})
	}
	return Reply{Text: text}, nil
}

// auditIDs are the message ids there are texts for.
var auditIDs = sync.OnceValue(func() map[string]bool { return messages.IDs()["de"] })

// auditName labels an audit action ("contact.add" → "Kontakt erfasst"),
// falling back to the action itself.
func (r *Runner) auditName(action string) string {
	if id := "audit.action." + action; auditIDs()[id] {
		return r.T(id, nil)
	}
	return "`" + strings.ReplaceAll(action, "`", "") + "`"
}
