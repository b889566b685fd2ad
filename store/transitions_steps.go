package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// StepSet is the transition steps after SetStep or SetStepDue, with the
// state of the Rechtskreiswechsel of the last of them.
type StepSet struct {
	Steps               []kim.CaseStep
	From, To            string
	Done, Open, Overdue int // the steps of the change, overdue on the actor's today
	Since               kim.Date
}

// stepActions are the audit actions of SetStep by the status it sets.
var stepActions = map[string]string{kim.StepDone: "transition.step.done", kim.StepOpen: "transition.step.open", kim.StepDropped: "transition.step.drop"}

// SetStep sets the case's transition steps ns to status: done on day on,
// dropped ("nicht mehr nötig") on day on, or open again. The day lies
// between the change and today. All or none: a step already in that
// status is refused, and so is a step the case does not have.
func (s *Store) SetStep(ctx context.Context, a kim.Actor, ref string, ns []int, status string, on kim.Date) (kim.Case, StepSet, error) {
	var out StepSet
	action := stepActions[status]
	if action == "" {
		return kim.Case{}, out, kim.Errorf(kim.EINVALID, "step.bad_status", nil)
	}
	c, err := s.caseWrite(ctx, a, ref, action, "unable to change step", func(tx pgx.Tx, c kim.Case) error {
		var change int64
		for _, n := range ns {
			id, ch, st, err := stepFor(ctx, tx, c, n, &out)
			if err != nil {
				return err
			}
			if st.Status == status {
				return kim.Errorf(kim.ECONFLICT, "step.already."+status, map[string]any{"Ref": c.Ref, "N": n, "Date": st.ClosedOn})
			}
			st.Status, st.ClosedOn = status, nil
			if status != kim.StepOpen {
				if on.Before(out.Since) || on.After(a.Today) {
					return kim.Errorf(kim.EINVALID, "step.bad_date", map[string]any{"Date": on, "Since": out.Since, "Field": "date"})
				}
				st.ClosedOn = &on
			}
			if _, err := tx.Exec(ctx, `UPDATE transition_steps SET status = $2, closed_on = $3, dropped_by = NULL WHERE id = $1`, id, status, dateArg(st.ClosedOn)); err != nil {
				return err
			}
			out.Steps, change = append(out.Steps, st), ch
		}
		return stepCounts(ctx, tx, change, a.Today, &out)
	})
	return c, out, err
}

// SetStepDue sets the day the case's open transition steps ns are due (an
// appointment the partner gave), a day from today on; all or none.
func (s *Store) SetStepDue(ctx context.Context, a kim.Actor, ref string, ns []int, due kim.Date) (kim.Case, StepSet, error) {
	var out StepSet
	c, err := s.caseWrite(ctx, a, ref, "transition.step.due", "unable to set the step's day", func(tx pgx.Tx, c kim.Case) error {
		if err := kim.CheckFutureDay("due", due, a.Today); err != nil {
			return err
		}
		var change int64
		for _, n := range ns {
			id, ch, st, err := stepFor(ctx, tx, c, n, &out)
			if err != nil {
				return err
			}
			if st.Status != kim.StepOpen {
				return kim.Errorf(kim.ECONFLICT, "step.due_closed", map[string]any{"Ref": c.Ref, "N": n, "Date": st.ClosedOn})
			}
			st.Due = due
			if _, err := tx.Exec(ctx, `UPDATE transition_steps SET due_on = $2 WHERE id = $1`, id, due.UTC()); err != nil {
				return err
			}
			out.Steps, change = append(out.Steps, st), ch
		}
		return stepCounts(ctx, tx, change, a.Today, &out)
	})
	return c, out, err
}

// stepFor reads transition step n of case c, locked, with the ids of it
// and its change, and the change's direction and day into out; ENOTFOUND
// when there is none.
func stepFor(ctx context.Context, tx pgx.Tx, c kim.Case, n int, out *StepSet) (id, change int64, st kim.CaseStep, err error) {
	var due, closed, since pgtypeDate
	err = tx.QueryRow(ctx, `
		SELECT t.id, t.change_id, t.n, t.text, coalesce(p.id, 0), coalesce(p.key, ''), coalesce(p.name, ''), t.due_on, t.status, t.closed_on,
			d.from_domain, d.to_domain, d.since
		FROM transition_steps t JOIN domain_changes d ON d.id = t.change_id LEFT JOIN partners p ON p.id = t.partner_id
		WHERE t.case_id = $1 AND t.n = $2 FOR UPDATE OF t`, c.ID, n).
		Scan(&id, &change, &st.N, &st.Text, &st.Partner.ID, &st.Partner.Key, &st.Partner.Name, &due, &st.Status, &closed,
			&out.From, &out.To, &since)
	if err == pgx.ErrNoRows {
		return 0, 0, st, kim.Errorf(kim.ENOTFOUND, "step.not_found", map[string]any{"Ref": c.Ref, "N": n, "Field": "n"})
	}
	if err != nil {
		return 0, 0, st, err
	}
	st.Due, st.ClosedOn, out.Since = kim.DateOf(due.Time), dateOf(&closed), kim.DateOf(since.Time)
	return id, change, st, nil
}

// stepCounts counts the done, open and (on today) overdue steps of the
// change into out.
func stepCounts(ctx context.Context, tx pgx.Tx, change int64, today kim.Date, out *StepSet) error {
	return tx.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status = 'open'),
			count(*) FILTER (WHERE status = 'open' AND due_on < $2)
		FROM transition_steps WHERE change_id = $1`, change, today.UTC()).Scan(&out.Done, &out.Open, &out.Overdue)
}
