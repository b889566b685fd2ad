package commands

import "github.com/kimbot-nrw/kimbot/kim"

// refer refers a case to a partner (the form of `/kim refer <case>` is
// referDialog).
func (r *Runner) refer(a *Args) (Reply, error) {
	var followup *kim.Date
	if s, ok := a.Span("followup"); ok { // a duration: the date is computed, on a working day
		followup = kim.Workday(s.From(r.Today)).Ptr()
	}
	c, f, err := r.svc.Store.AddReferral(r.ctx, r.Actor(), a.Str("case"), a.Str("partner"), a.Str("reason"), followup)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("refer.saved", map[string]any{"Ref": c.Ref, "N": f.N, "Partner": f.Partner.Name,
		"Followup": f.Followup}) + "\n" + r.caseLine(c)}, nil
}

// outcome records the result of a referral.
func (r *Runner) outcome(a *Args) (Reply, error) {
	o := a.Str("outcome")
	c, f, err := r.svc.Store.SetOutcome(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), o, a.Str("note"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("outcome.saved", map[string]any{"Ref": c.Ref, "N": f.N, "Partner": f.Partner.Name,
		"Outcome": r.Name("outcome", o), "Pending": o == "pending", "Followup": f.Followup}) + "\n" + r.caseLine(c)}, nil
}
