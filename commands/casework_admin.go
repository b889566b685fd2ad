package commands

import (
	"regexp"
	"strings"
	"sync"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// maxAudit is how many audit rows one answer lists.
const maxAudit = 50

var partnerKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

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
		n := s.Days(r.Today)
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

// partnerList lists the team's partner directory.
func (r *Runner) partnerList(a *Args) (Reply, error) {
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
		rows[i] = []string{"`" + p.Key + "`", render.Cell(p.Name), d}
	}
	return Reply{Text: r.T("partner.list", map[string]any{"N": len(list)}) + "\n" +
		render.Table(r.Heads("partner.head_key", "head.partner", "card.domain"), rows)}, nil
}

// partnerAdd adds a partner to the team's directory.
func (r *Runner) partnerAdd(a *Args) (Reply, error) {
	key := a.Str("key")
	if !partnerKeyRE.MatchString(key) {
		return Reply{}, usageErr("partner.bad_key", a.Verb, map[string]any{"Value": render.Clip(key, 40)})
	}
	p, err := r.svc.Store.AddPartner(r.ctx, r.Actor(), kim.Partner{Key: key, Name: a.Str("name"), Domain: a.Str("domain")})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("partner.saved", map[string]any{"Key": p.Key, "Name": render.Cell(p.Name)})}, nil
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
		rows[i] = []string{kim.DateOf(at).Format(r.Lang) + " " + at.Format("15:04"), who, r.auditName(e.Action)}
	}
	text := r.T("audit.title", map[string]any{"Ref": ref, "N": len(list)}) + "\n" + render.Table(r.Heads("audit.head_at", "audit.head_who", "audit.head_what"), rows)
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
