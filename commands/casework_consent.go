package commands

// consent records or revokes consent to processing or for one partner.
func (r *Runner) consent(a *Args) (Reply, error) {
	action := a.Str("action")
	partner := a.Str("scope") // "" for processing
	on := r.dayOr(a, "date")
	if action == "revoke" {
		if a.Has("form") {
			return Reply{}, usageErr("consent.form_on_revoke", a.Verb, nil)
		}
		st := r.svc.Store
		if partner == "" && !a.Has("confirm") {
			st = st.DryRun() // it erases the case: say so first
		}
		c, p, err := st.RevokeConsent(r.ctx, r.Actor(), a.Str("case"), partner, on)
		if err != nil {
			return Reply{}, err
		}
		if partner == "" && !a.Has("confirm") {
			return Reply{Text: r.T("consent.revoke_processing_confirm", map[string]any{"Ref": c.Ref, "Line": r.typedConfirmLine()})}, nil
		}
		if partner == "" {
			r.cleanExports()
			return Reply{Text: r.T("consent.revoked_processing", map[string]any{"Ref": c.Ref})}, nil
		}
		return Reply{Text: r.T("consent.revoked_partner", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Date": on})}, nil
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
	return Reply{Text: r.T("consent.granted", map[string]any{"Ref": c.Ref, "What": what, "Form": r.Name("form", form),
		"Date": on})}, nil
}
