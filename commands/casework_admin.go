package commands

import (
	"fmt"
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

// adminDefaults shows or changes the team's settings: the intervals of the
// case cycle, the retention of closed cases and the agenda's lead time. A
// retention that erases cases the current one keeps asks first.
func (r *Runner) adminDefaults(a *Args) (Reply, error) {
	var ch store.DefaultsChange
	changed := false
	days := func(name string) (*int, error) {
		s, ok := a.Span(name)
		if !ok {
			return nil, nil
		}
		changed = true
		n := s.Days(r.Today)
		if n < 1 || n > kim.MaxIntervalDays {
			return nil, usageErr("defaults.bad_days", a.Verb, map[string]any{"Name": a.Verb.option(name).named(false), "Max": kim.MaxIntervalDays})
		}
		return &n, nil
	}
	months := func(name string, min, max int) (*int, error) {
		s, ok := a.Span(name)
		if !ok {
			return nil, nil
		}
		changed = true
		if s.Unit != kim.Months || s.N < min || s.N > max {
			return nil, usageErr("defaults.bad_months", a.Verb, map[string]any{"Name": a.Verb.option(name).named(false), "Min": min, "Max": max})
		}
		return &s.N, nil
	}
	var err error
	if ch.MonitoringDays, err = days("monitoring"); err != nil {
		return Reply{}, err
	}
	if ch.FirstAssessmentDays, err = days("assessment"); err != nil {
		return Reply{}, err
	}
	if ch.FollowupDays, err = days("followup"); err != nil {
		return Reply{}, err
	}
	if ch.ReassessmentMonths, err = months("reassessment", 1, kim.MaxReassessmentMonths); err != nil {
		return Reply{}, err
	}
	if ch.RetentionMonths, err = months("retention", kim.MinRetentionMonths, kim.MaxRetentionMonths); err != nil {
		return Reply{}, err
	}
	if a.Has("agenda") {
		n := a.Int("agenda")
		ch.AgendaLeadWorkdays, changed = &n, true
	}
	if a.Has("confirm") && ch.RetentionMonths == nil {
		return Reply{}, usageErr("defaults.confirm_alone", a.Verb, nil)
	}
	if ch.RetentionMonths != nil && !a.Has("confirm") {
		n, err := r.svc.Store.RetentionErases(r.ctx, r.req.TeamID, *ch.RetentionMonths, r.Today)
		if err != nil {
			return Reply{}, err
		}
		if n > 0 {
			return Reply{Text: r.T("defaults.retention_confirm", map[string]any{"Months": *ch.RetentionMonths, "N": n,
				"Line": r.typedConfirmLine()})}, nil // it erases cases: typed, never one click
		}
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
	head := "defaults.show"
	if changed {
		head = "defaults.saved"
	}
	return Reply{Text: r.T(head, nil) + "\n" + r.settingsList(a.Verb, set) + "\n\n" + r.T("defaults.change", nil)}, nil
}

// settingsList lists every setting of the team with the option that
// changes it (its German name to German readers).
func (r *Runner) settingsList(v *Verb, set kim.TeamSettings) string {
	values := map[string]int{"monitoring": set.MonitoringDays, "assessment": set.FirstAssessmentDays,
		"reassessment": set.ReassessmentMonths, "followup": set.FollowupDays, "retention": set.RetentionMonths,
		"agenda": set.AgendaLeadWorkdays}
	var b strings.Builder
	for _, o := range v.Options {
		fmt.Fprintf(&b, "- %s (`%s=`)\n", r.T("defaults.line."+o.Name, map[string]any{"N": values[o.Name]}), o.label(r.Lang))
	}
	return strings.TrimRight(b.String(), "\n")
}

// partnerList lists the team's partner directory.
func (r *Runner) partnerList(a *Args) (Reply, error) {
	list, err := r.svc.Store.Partners(r.ctx, r.req.TeamID)
	if err != nil {
		return Reply{}, err
	}
	rows := make([][]string, len(list))
	for i, p := range list {
		rows[i] = []string{"`" + p.Key + "`", render.Cell(p.Name), r.Name("legal", p.Domain)}
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
	p, err := r.svc.Store.AddPartner(r.ctx, r.Actor(), kim.Partner{Key: key, Name: render.OneLine(a.Str("name")), Domain: a.Str("domain")})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("partner.saved", map[string]any{"Key": p.Key, "Name": render.Cell(p.Name)})}, nil
}

// partnerEdit corrects a partner's name or legal domain.
func (r *Runner) partnerEdit(a *Args) (Reply, error) {
	ch := store.PartnerChange{Domain: a.OptStr("domain")}
	if n := a.OptStr("name"); n != nil {
		one := render.OneLine(*n)
		ch.Name = &one
	}
	if ch.Name == nil && ch.Domain == nil {
		return Reply{}, usageErr("partner.edit_nothing", a.Verb, map[string]any{"Key": render.Clip(a.Str("key"), 40)})
	}
	p, err := r.svc.Store.EditPartner(r.ctx, r.Actor(), a.Str("key"), ch)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("partner.edited", map[string]any{"Key": p.Key, "Name": render.Cell(p.Name), "Domain": r.Name("legal", p.Domain)})}, nil
}

// partnerRemove takes a partner out of the team's directory.
func (r *Runner) partnerRemove(a *Args) (Reply, error) {
	p, steps, err := r.svc.Store.RemovePartner(r.ctx, r.Actor(), a.Str("key"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("partner.removed", map[string]any{"Key": p.Key, "Name": render.Cell(p.Name), "Steps": steps})}, nil
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
