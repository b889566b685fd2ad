package commands

import (
	"strings"
)

var (
	consentActions = map[string]string{"erteilen": "grant", "widerrufen": "revoke"}
	formAliases    = map[string]string{"schriftlich": "written", "muendlich": "oral"}
)

func init() {
	register(&Verb{
		Name: "consent", Alias: "einwilligung", Roles: coach,
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "action", Kind: Choice, Choices: []string{"grant", "revoke"}, Aliases: consentActions},
			{Name: "scope", Kind: Word, Max: 40},
		},
		Options: []Param{
			{Name: "form", Kind: Choice, Choices: []string{"written", "oral"}, Aliases: formAliases, Optional: true},
			{Name: "date", Kind: Date, Optional: true},
		},
		Run: (*Runner).consent,
		Examples: []string{"/kim consent K-2026-0042 grant jobcenter form=written", "/kim einwilligung K-2026-0042 erteilen jugendamt form=muendlich date=20.11.2026",
			"/kim consent K-2026-0042 revoke jobcenter", "/kim einwilligung K-2026-0042 widerrufen verarbeitung"},
	})
}

// consent records or revokes consent to processing or for one partner.
func (r *Runner) consent(a *Args) (Reply, error) {
	action := a.Str("action")
	scope := strings.ToLower(a.Str("scope"))
	partner := scope
	if scope == "processing" || scope == "verarbeitung" {
		partner = ""
	}
	on := r.dayOr(a, "date")
	if action == "revoke" {
		if a.Has("form") {
			return Reply{}, usageErr("consent.form_on_revoke", a.Verb, nil)
		}
		c, p, err := r.svc.Store.RevokeConsent(r.ctx, r.Actor(), a.Str("case"), partner, on)
		if err != nil {
			return Reply{}, err
		}
		if partner == "" {
			return Reply{Text: r.T("consent.revoked_processing", map[string]any{"Ref": c.Ref})}, nil
		}
		return Reply{Text: r.T("consent.revoked_partner", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Date": on.Format(r.lang)})}, nil
	}
	form := a.Str("form")
	if form == "" {
		form = "written"
	}
	c, p, err := r.svc.Store.GrantConsent(r.ctx, r.Actor(), a.Str("case"), partner, form, on)
	if err != nil {
		return Reply{}, err
	}
	what := r.T("consent.processing", nil)
	if partner != "" {
		what = p.Name
	}
	return Reply{Text: r.T("consent.granted", map[string]any{"Ref": c.Ref, "What": what, "Form": r.name("form", form),
		"Date": on.Format(r.lang)})}, nil
}
