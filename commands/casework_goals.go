package commands

import (
	"github.com/kimbot-nrw/kimbot/kim"
)

func fieldChoices() []string {
	out := make([]string, len(kim.LifeFields))
	for i, f := range kim.LifeFields {
		out[i] = string(f)
	}
	return out
}

func init() {
	register(&Verb{Name: "goal", Alias: "ziel", Roles: coach, Subs: []*Verb{{
		Name: "add", Alias: "neu", Roles: coach,
		Params: []Param{
			{Name: "case", Kind: CaseRef},
			{Name: "field", Kind: Choice, Choices: fieldChoices()},
			{Name: "text", Kind: Text},
		},
		Options:  []Param{{Name: "due", Kind: Date, Optional: true}},
		Run:      (*Runner).goalAdd,
		Examples: []string{"/kim goal add K-2026-0042 language \"B1-Kurs abschließen\" due=30.06.2027", "/kim ziel neu K-2026-0042 work Praktikum finden"},
	}, {
		Name: "done", Alias: "erreicht", Roles: coach,
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "n", Kind: Int, Min: 1, Max: 1000}},
		Run:      (*Runner).goalDone,
		Examples: []string{"/kim goal done K-2026-0042 1", "/kim ziel erreicht K-2026-0042 2"},
	}, {
		Name: "drop", Alias: "verwerfen", Roles: coach,
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "n", Kind: Int, Min: 1, Max: 1000}},
		Run:      (*Runner).goalDrop,
		Examples: []string{"/kim goal drop K-2026-0042 2", "/kim ziel verwerfen K-2026-0042 1"},
	}}})
}

// goalAdd adds a goal to the Integrationsvereinbarung.
func (r *Runner) goalAdd(a *Args) (Reply, error) {
	c, g, err := r.svc.Store.AddGoal(r.ctx, r.Actor(), a.Str("case"),
		kim.Goal{Field: kim.LifeField(a.Str("field")), Text: a.Str("text"), Due: a.Date("due")})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("goal.saved", map[string]any{"Ref": c.Ref, "N": g.N, "Field": r.name("field", string(g.Field)),
		"Text": cell(g.Text), "Due": r.date(g.Due), "HasDue": g.Due != nil}) + "\n" + r.caseLine(c)}, nil
}

// goalDone marks a goal as reached.
func (r *Runner) goalDone(a *Args) (Reply, error) { return r.goalClose(a, "done") }

// goalDrop drops a goal.
func (r *Runner) goalDrop(a *Args) (Reply, error) { return r.goalClose(a, "dropped") }

func (r *Runner) goalClose(a *Args, status string) (Reply, error) {
	c, g, err := r.svc.Store.CloseGoal(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), status)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("goal.closed."+status, map[string]any{"Ref": c.Ref, "N": g.N, "Text": cell(g.Text)}) + "\n" + r.caseLine(c)}, nil
}
