package commands

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

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

// partnerMeant adds to a partner not found in the directory (partner.unknown)
// the line with the one known key the typed word is a slip of (jobcenetr:
// jobcenter; six letters or more), when the line then parses; other errors
// stay as they are. It is answered, never run (a button may run it).
func (r *Runner) partnerMeant(err error) error {
	var e *kim.Error
	if r == nil || !errors.As(err, &e) || e.Key != "partner.unknown" {
		return err
	}
	typed, _ := e.Args["Key"].(string)
	keys, _ := e.Args["Keys"].(string)
	w := kim.Fold(typed)
	near, nearD := "", 0
	for _, k := range strings.Split(keys, ", ") {
		if n := utf8.RuneCountInString(k); n >= 6 {
			if d := editDistance(w, kim.Fold(k)); d > 0 && d <= n/4 && (near == "" || d < nearD) {
				near, nearD = k, d
			}
		}
	}
	toks, terr := tokenize(r.req.Text)
	i := slices.IndexFunc(toks, func(t token) bool { return !t.quoted && kim.Fold(t.text) == w })
	if near == "" || terr != nil || i < 1 {
		return err
	}
	line := slices.Concat(toks[:i], []token{{text: near}}, toks[i+1:])
	if _, perr := descend(line, false, r.Today); perr != nil {
		return err
	}
	args := maps.Clone(e.Args)
	args["Line"] = "/kim " + render.Clip(quoteTexts(line), 80)
	if typed := quoteTexts(line); render.Clip(typed, 80) == typed {
		args["Run"] = typed
	}
	return &kim.Error{Code: e.Code, Key: e.Key, Args: args, Err: e.Err}
}
