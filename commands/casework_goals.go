package commands

import (
	"regexp"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
)

// goalAdd adds a goal to the Integrationsvereinbarung.
func (r *Runner) goalAdd(a *Args) (Reply, error) {
	c, g, err := r.svc.Store.AddGoal(r.ctx, r.Actor(), a.Str("case"),
		kim.Goal{Field: kim.LifeField(a.Str("field")), Text: a.Str("text"), Due: a.Date("due")})
	if err != nil {
		return Reply{}, err
	}
	text := r.T("goal.saved", map[string]any{"Ref": c.Ref, "N": g.N, "Field": r.Name("field", string(g.Field)),
		"Text": render.Cell(g.Text), "Due": g.Due, "HasDue": g.Due != nil})
	if m := textDueRE.FindStringSubmatch(g.Text); m != nil && g.Due == nil {
		// "… bis zum Sommer": a time in the text that is no date kimbot reads; the goal has no due date.
		text += "\n" + r.T("goal.due_in_text", map[string]any{"Ref": c.Ref, "N": g.N, "Words": render.Cell(render.Clip(m[1], 40))})
	}
	return Reply{Text: text + "\n" + r.caseLine(c)}, nil
}

// textDueRE is a time at the end of a goal's text (bis zum Sommer, until
// May), which a coach may have meant as its due date.
var textDueRE = regexp.MustCompile(`(?i)(?:^|\s)((?:bis|until|by)\s+\S.*)$`)

// goalDone marks a goal as reached.
func (r *Runner) goalDone(a *Args) (Reply, error) { return r.goalClose(a, "done") }

// goalDrop drops a goal.
func (r *Runner) goalDrop(a *Args) (Reply, error) { return r.goalClose(a, "dropped") }

func (r *Runner) goalClose(a *Args, status string) (Reply, error) {
	c, g, err := r.svc.Store.CloseGoal(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), status)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("goal.closed."+status, map[string]any{"Ref": c.Ref, "N": g.N, "Text": render.Cell(g.Text)}) + "\n" + r.caseLine(c)}, nil
}
