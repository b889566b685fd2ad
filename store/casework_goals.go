package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// AddGoal adds a goal to the Integrationsvereinbarung of the case and
// returns the case and the goal with its number, one more than any the case
// has given (a deleted goal's number stays unused).
func (s *Store) AddGoal(ctx context.Context, a kim.Actor, ref string, g kim.Goal) (kim.Case, kim.Goal, error) {
	c, err := s.caseWrite(ctx, a, ref, "goal.add", "unable to add goal", func(tx pgx.Tx, c kim.Case) error {
		var have int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM goals WHERE case_id = $1`, c.ID).Scan(&have); err != nil {
			return err
		}
		var err error
		if g, err = kim.NewGoal(g, have, a.Today); err != nil {
			return err
		}
		// The next number of the case's counter: a deleted goal's number is
		// never given again (migration 00016).
		return tx.QueryRow(ctx, `WITH k AS (UPDATE cases SET last_goal_n = greatest(last_goal_n,
				(SELECT coalesce(max(n), 0) FROM goals WHERE case_id = $1)) + 1 WHERE id = $1 RETURNING last_goal_n)
			INSERT INTO goals (case_id, n, field, text_enc, due_on, created_on, created_by)
			SELECT $1, k.last_goal_n, $2, $3, $4, $5, $6 FROM k RETURNING n`,
			c.ID, string(g.Field), s.seal(g.Text, GoalText), dateArg(g.Due), a.Today.UTC(), a.UserID).Scan(&g.N)
	})
	return c, g, err
}

// GoalsClosed is the goals CloseGoal changed and how many of the case's
// goals are open after it.
type GoalsClosed struct {
	Goals []kim.Goal
	Open  int
}

// CloseGoal marks the case's open goals ns as done or dropped, or closed
// ones open again (status "open": reached or dropped by mistake), and
// returns the case and the goals; all or none.
func (s *Store) CloseGoal(ctx context.Context, a kim.Actor, ref string, ns []int, status string) (kim.Case, GoalsClosed, error) {
	var out GoalsClosed
	c, err := s.caseWrite(ctx, a, ref, "goal."+map[string]string{"done": "done", "dropped": "drop", "open": "reopen"}[status], "unable to change goal",
		func(tx pgx.Tx, c kim.Case) error {
			for _, n := range ns {
				g, err := s.closeGoal(ctx, tx, c, n, status, a.Today)
				if err != nil {
					return err
				}
				out.Goals = append(out.Goals, g)
			}
			return tx.QueryRow(ctx, `SELECT count(*) FROM goals WHERE case_id = $1 AND status = 'open'`, c.ID).Scan(&out.Open)
		})
	return c, out, err
}

// closeGoal sets goal n of case c to status (CloseGoal).
func (s *Store) closeGoal(ctx context.Context, tx pgx.Tx, c kim.Case, n int, status string, today kim.Date) (kim.Goal, error) {
	g, err := s.goalFor(ctx, tx, c, n)
	if err != nil {
		return g, err
	}
	if status == "open" {
		g, err = kim.ReopenGoal(g)
	} else {
		g, err = kim.CloseGoal(g, status, today)
	}
	if e := (*kim.Error)(nil); errors.As(err, &e) && e.Args != nil {
		e.Args["Ref"] = c.Ref // the line that undoes it names the case
	}
	if err != nil {
		return g, err
	}
	_, err = tx.Exec(ctx, `UPDATE goals SET status = $3, closed_on = $4 WHERE case_id = $1 AND n = $2`, c.ID, n, g.Status, dateArg(g.ClosedOn))
	return g, err
}
