package commands

import (
	"github.com/kimbot-nrw/kimbot/kim"
)

var outcomeAliases = map[string]string{"angenommen": "accepted", "abgelehnt": "rejected", "offen": "pending",
	"nicht-erschienen": "no-show", "erledigt": "completed"}

func init() {
	register(&Verb{
		Name: "refer", Alias: "verweis", Roles: coach,
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "partner", Kind: Word, Max: 40, Optional: true},
			{Name: "reason", Kind: Text, Optional: true},
		},
		Options: []Param{{Name: "followup", Kind: Duration, Optional: true}},
		Run:     (*Runner).refer,
		Examples: []string{"/kim refer K-2026-0042 jobcenter \"Antrag auf Bürgergeld\" followup=10d",
			"/kim verweis K-2026-0042 jmd Unterstützung bei der Ausbildungssuche", "/kim refer K-2026-0042"},
	}, &Verb{
		Name: "outcome", Alias: "ergebnis", Roles: coach,
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "n", Kind: Int, Min: 1, Max: 1000},
			{Name: "outcome", Kind: Choice, Choices: kim.ReferralOutcomes, Aliases: outcomeAliases},
			{Name: "note", Kind: Text, Optional: true},
		},
		Run:      (*Runner).outcome,
		Examples: []string{"/kim outcome K-2026-0042 1 accepted \"Termin am 02.12.\"", "/kim ergebnis K-2026-0042 2 nicht-erschienen"},
	})
}

// refer refers a case to a partner, or opens the referral form when only
// the case is given.
func (r *Runner) refer(a *Args) (Reply, error) {
	if !a.Has("partner") && !a.Has("reason") && !a.Has("followup") && r.req.TriggerID != "" {
		return r.referDialog(a.Str("case"))
	}
	if !a.Has("partner") {
		return Reply{}, usageErr("err.missing", a.Verb, map[string]any{"Name": "partner"})
	}
	if !a.Has("reason") {
		return Reply{}, usageErr("err.missing", a.Verb, map[string]any{"Name": "reason"})
	}
	var followup *kim.Date
	if s, ok := a.Span("followup"); ok {
		followup = s.From(r.today).Ptr()
	}
	c, f, err := r.svc.Store.AddReferral(r.ctx, r.Actor(), a.Str("case"), a.Str("partner"), a.Str("reason"), followup)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("refer.saved", map[string]any{"Ref": c.Ref, "N": f.N, "Partner": f.Partner.Name,
		"Followup": r.date(f.Followup)}) + "\n" + r.caseLine(c)}, nil
}

// outcome records the result of a referral.
func (r *Runner) outcome(a *Args) (Reply, error) {
	o := a.Str("outcome")
	c, f, err := r.svc.Store.SetOutcome(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), o, a.Str("note"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("outcome.saved", map[string]any{"Ref": c.Ref, "N": f.N, "Partner": f.Partner.Name,
		"Outcome": r.name("outcome", o), "Pending": o == "pending", "Followup": r.date(f.Followup)}) + "\n" + r.caseLine(c)}, nil
}
