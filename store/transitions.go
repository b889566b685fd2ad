package store

// Lückenloser Rechtskreiswechsel (issue 11): the team's transition
// templates and the steps a change of legal domain creates from them.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// domainOrder orders pairs by kim.LegalDomains.
const domainOrder = `array_position(ARRAY['AsylbLG', 'SGB2', 'SGB3', 'SGB8', 'SGB12', 'none'], %s)`

// seedTransitions gives a team kimbot's default templates, once: a team
// whose admins removed a default step does not get it back.
func seedTransitions(ctx context.Context, tx pgx.Tx, teamID string) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE teams SET transitions_seeded = true WHERE id = $1 AND NOT transitions_seeded`, teamID)
	if err != nil || tag.RowsAffected() == 0 {
		return false, err
	}
	var from, to, texts, keys []string
	var ns, days []int32
	for _, t := range kim.DefaultTransitions {
		for i, s := range t.Steps {
			from, to, texts, keys = append(from, t.From), append(to, t.To), append(texts, s.Text), append(keys, s.PartnerKey)
			ns, days = append(ns, int32(i+1)), append(days, int32(s.Days))
		}
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO transition_templates (team_id, from_domain, to_domain, n, text, partner_id, offset_days, suggested)
		SELECT $1, x.f, x.t, x.n, x.text, p.id, x.d, true
		FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[]) AS x(f, t, n, text, k, d)
			LEFT JOIN partners p ON p.team_id = $1 AND p.key = x.k`, teamID, from, to, ns, texts, keys, days)
	return true, err
}

// templateColumns are the columns scanTemplate reads (alias t, partner p).
const templateColumns = `t.id, t.n, t.text, coalesce(p.id, 0), coalesce(p.key, ''), coalesce(p.name, ''), p.removed_at IS NOT NULL,
	t.offset_days, t.suggested`

func scanTemplate(r pgx.CollectableRow) (kim.StepTemplate, error) {
	var s kim.StepTemplate
	var removed *bool
	err := r.Scan(&s.ID, &s.N, &s.Text, &s.Partner.ID, &s.Partner.Key, &s.Partner.Name, &removed, &s.Days, &s.Suggested)
	s.PartnerRemoved = removed != nil && *removed
	return s, err
}

// templateSteps returns the team's steps of the pair from → to in order;
// current: as a new change copies them, without a partner taken out of the
// directory (the step's text stays; no consent or referral can name it).
func templateSteps(ctx context.Context, tx pgx.Tx, teamID, from, to string, current bool) ([]kim.StepTemplate, error) {
	rows, err := tx.Query(ctx, `SELECT `+templateColumns+` FROM transition_templates t
		LEFT JOIN partners p ON p.id = t.partner_id AND (NOT $4 OR p.removed_at IS NULL)
		WHERE t.team_id = $1 AND t.from_domain = $2 AND t.to_domain = $3 ORDER BY t.n`, teamID, from, to, current)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanTemplate)
}

// TransitionTemplates returns the team's templates, every pair that has
// steps in the order of kim.LegalDomains, or only the pair from → to when
// from is set (also without steps).
func (s *Store) TransitionTemplates(ctx context.Context, a kim.Actor, from, to string) ([]kim.TransitionTemplate, error) {
	var out []kim.TransitionTemplate
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := seedTransitions(ctx, tx, a.TeamID); err != nil {
			return err
		}
		if from != "" {
			if err := kim.CheckPair(from, to); err != nil {
				return err
			}
			steps, err := templateSteps(ctx, tx, a.TeamID, from, to, false)
			out = []kim.TransitionTemplate{{From: from, To: to, Steps: steps}}
			return err
		}
		rows, err := tx.Query(ctx, `SELECT t.from_domain, t.to_domain, `+templateColumns+`
			FROM transition_templates t LEFT JOIN partners p ON p.id = t.partner_id WHERE t.team_id = $1
			ORDER BY `+fmt.Sprintf(domainOrder, "t.from_domain")+`, `+fmt.Sprintf(domainOrder, "t.to_domain")+`, t.n`, a.TeamID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f, t string
			var st kim.StepTemplate
			var removed *bool
			if err := rows.Scan(&f, &t, &st.ID, &st.N, &st.Text, &st.Partner.ID, &st.Partner.Key, &st.Partner.Name, &removed, &st.Days, &st.Suggested); err != nil {
				return err
			}
			st.PartnerRemoved = removed != nil && *removed
			if n := len(out); n == 0 || out[n-1].From != f || out[n-1].To != t {
				out = append(out, kim.TransitionTemplate{From: f, To: t})
			}
			out[len(out)-1].Steps = append(out[len(out)-1].Steps, st)
		}
		return rows.Err()
	})
	return out, wrap("unable to read transition templates", err)
}

// StepEdit is a change of a template step; nil fields stay. Partner ""
// removes the partner.
type StepEdit struct {
	Text    *string
	Partner *string
	Days    *int
}

// templateWrite runs fn on the team's (seeded) templates of a checked pair
// and audits action without a case.
func (s *Store) templateWrite(ctx context.Context, a kim.Actor, from, to, action string, fn func(tx pgx.Tx) error) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := kim.CheckPair(from, to); err != nil {
			return err
		}
		if _, err := seedTransitions(ctx, tx, a.TeamID); err != nil {
			return err
		}
		// One writer per team's templates at a time (numbers stay dense).
		if _, err := tx.Exec(ctx, `SELECT 1 FROM teams WHERE id = $1 FOR UPDATE`, a.TeamID); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		return audit(ctx, tx, a, action, 0, "")
	})
	return wrap("unable to change transition template", err)
}

// partnerOrNone returns the partner of key, or none for "".
func partnerOrNone(ctx context.Context, tx pgx.Tx, teamID, key string) (*int64, kim.Partner, error) {
	if key == "" {
		return nil, kim.Partner{}, nil
	}
	p, err := partnerByKey(ctx, tx, teamID, key)
	if err != nil {
		return nil, p, err
	}
	return &p.ID, p, nil
}

// AddTemplateStep appends a step to the team's template of the pair and
// returns it.
func (s *Store) AddTemplateStep(ctx context.Context, a kim.Actor, from, to, text, partnerKey string, days int) (kim.StepTemplate, error) {
	st := kim.StepTemplate{Text: text, Days: days}
	err := s.templateWrite(ctx, a, from, to, "transition.template.add", func(tx pgx.Tx) error {
		if err := kim.CheckStep(text, days); err != nil {
			return err
		}
		id, p, err := partnerOrNone(ctx, tx, a.TeamID, partnerKey)
		if err != nil {
			return err
		}
		st.Partner = p
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(n), 0) + 1 FROM transition_templates WHERE team_id = $1 AND from_domain = $2 AND to_domain = $3`,
			a.TeamID, from, to).Scan(&st.N); err != nil {
			return err
		}
		if st.N > kim.MaxSteps {
			return kim.Errorf(kim.EINVALID, "transition.too_many", map[string]any{"Max": kim.MaxSteps, "From": from, "To": to})
		}
		return tx.QueryRow(ctx, `INSERT INTO transition_templates (team_id, from_domain, to_domain, n, text, partner_id, offset_days)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, a.TeamID, from, to, st.N, st.Text, id, days).Scan(&st.ID)
	})
	return st, err
}

// lockTemplateStep returns step n of the pair, locked; a typed refusal if
// there is none.
func lockTemplateStep(ctx context.Context, tx pgx.Tx, teamID, from, to string, n int) (kim.StepTemplate, error) {
	rows, err := tx.Query(ctx, `SELECT `+templateColumns+` FROM transition_templates t LEFT JOIN partners p ON p.id = t.partner_id
		WHERE t.team_id = $1 AND t.from_domain = $2 AND t.to_domain = $3 AND t.n = $4 FOR UPDATE OF t`, teamID, from, to, n)
	if err != nil {
		return kim.StepTemplate{}, err
	}
	st, err := pgx.CollectExactlyOneRow(rows, scanTemplate)
	if err == pgx.ErrNoRows {
		return st, kim.Errorf(kim.ENOTFOUND, "transition.no_step", map[string]any{"From": from, "To": to, "N": n, "Field": "n"})
	}
	return st, err
}

// EditTemplateStep changes step n of the team's template of the pair and
// returns it as it is now (no longer a suggestion of kimbot's).
func (s *Store) EditTemplateStep(ctx context.Context, a kim.Actor, from, to string, n int, e StepEdit) (kim.StepTemplate, error) {
	var st kim.StepTemplate
	err := s.templateWrite(ctx, a, from, to, "transition.template.edit", func(tx pgx.Tx) error {
		var err error
		if st, err = lockTemplateStep(ctx, tx, a.TeamID, from, to, n); err != nil {
			return err
		}
		if e.Text != nil {
			st.Text = *e.Text
		}
		if e.Days != nil {
			st.Days = *e.Days
		}
		if err := kim.CheckStep(st.Text, st.Days); err != nil {
			return err
		}
		id := &st.Partner.ID
		if st.Partner.ID == 0 {
			id = nil
		}
		if e.Partner != nil {
			if id, st.Partner, err = partnerOrNone(ctx, tx, a.TeamID, *e.Partner); err != nil {
				return err
			}
		}
		st.Suggested = false
		_, err = tx.Exec(ctx, `UPDATE transition_templates SET text = $2, partner_id = $3, offset_days = $4, suggested = false, updated_at = now()
			WHERE id = $1`, st.ID, st.Text, id, st.Days)
		return err
	})
	return st, err
}

// RemoveTemplateStep removes step n of the team's template of the pair; the
// steps after it move up. Cases keep the steps they already have.
func (s *Store) RemoveTemplateStep(ctx context.Context, a kim.Actor, from, to string, n int) (kim.StepTemplate, error) {
	var st kim.StepTemplate
	err := s.templateWrite(ctx, a, from, to, "transition.template.remove", func(tx pgx.Tx) error {
		var err error
		if st, err = lockTemplateStep(ctx, tx, a.TeamID, from, to, n); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM transition_templates WHERE id = $1`, st.ID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE transition_templates SET n = n - 1 WHERE team_id = $1 AND from_domain = $2 AND to_domain = $3 AND n > $4`,
			a.TeamID, from, to, n)
		return err
	})
	return st, err
}

// openSteps returns the open transition steps of case id in order, locked.
func openSteps(ctx context.Context, tx pgx.Tx, caseID int64) ([]kim.CaseStep, error) {
	rows, err := tx.Query(ctx, `SELECT `+stepColumns+` FROM transition_steps s LEFT JOIN partners p ON p.id = s.partner_id
		WHERE s.case_id = $1 AND s.status = 'open' ORDER BY s.n FOR UPDATE OF s`, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanStep)
}

func scanStep(r pgx.CollectableRow) (kim.CaseStep, error) {
	var s kim.CaseStep
	var due, closed pgtypeDate
	err := r.Scan(&s.N, &s.Text, &s.Partner.ID, &s.Partner.Key, &s.Partner.Name, &due, &s.Status, &closed)
	s.Due, s.ClosedOn = kim.DateOf(due.Time), dateOf(&closed)
	return s, err
}

// What a Rechtskreiswechsel does with open steps of an earlier change.
const (
	OpenRefuse = iota // refuse the change while there are any (ask first)
	OpenDrop          // close them as no longer needed (dropped)
	OpenKeep          // keep them open
)

// DomainChange is a Rechtskreiswechsel to record: the case, the new domain
// and since when, and what happens to open steps of an earlier change
// (Open). Steps fall due on working days (kim.StepDue).
type DomainChange struct {
	Ref, Domain string
	Since       kim.Date
	Open        int
}

// DomainChanged is a recorded Rechtskreiswechsel: the case, the previous
// domain, the steps it created, the open steps of an earlier change (closed
// with OpenDrop, kept with OpenKeep) and the case's active consents.
type DomainChanged struct {
	Case     kim.Case
	From     string
	Steps    []kim.CaseStep
	Dropped  []kim.CaseStep
	Consents []kim.Consent
}

// ChangeDomain records a Rechtskreiswechsel of the case and creates the
// steps of the team's template for the pair, each due its offset after the
// change on a working day. Open steps of an earlier change are closed as
// no longer needed (OpenDrop, audited as transition.drop) or kept
// (OpenKeep); with OpenRefuse the change is refused while there are any
// (commands ask the coach first, on a dry run).
func (s *Store) ChangeDomain(ctx context.Context, a kim.Actor, ch DomainChange) (DomainChanged, error) {
	var out DomainChanged
	c, err := s.caseWrite(ctx, a, ch.Ref, "domain.change", "unable to change legal domain", func(tx pgx.Tx, c kim.Case) error {
		out.From = c.Domain
		var last pgtypeDate
		if err := tx.QueryRow(ctx, `SELECT max(since) FROM domain_changes WHERE case_id = $1`, c.ID).Scan(&last); err != nil {
			return err
		}
		changed, err := kim.ChangeDomain(c, ch.Domain, ch.Since, dateOf(&last), a.Today)
		if err != nil {
			return err
		}
		if out.Dropped, err = openSteps(ctx, tx, c.ID); err != nil {
			return err
		}
		if len(out.Dropped) > 0 && ch.Open == OpenRefuse {
			return kim.Errorf(kim.ECONFLICT, "domain.open_steps", map[string]any{"Ref": c.Ref, "N": len(out.Dropped)})
		}
		var changeID int64
		if err := tx.QueryRow(ctx, `INSERT INTO domain_changes (case_id, from_domain, to_domain, since, created_by) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, c.ID, out.From, changed.Domain, ch.Since.UTC(), a.UserID).Scan(&changeID); err != nil {
			return err
		}
		if len(out.Dropped) > 0 && ch.Open == OpenDrop {
			// dropped_by: deleting this change opens them again.
			if _, err := tx.Exec(ctx, `UPDATE transition_steps SET status = 'dropped', closed_on = $2, dropped_by = $3
				WHERE case_id = $1 AND status = 'open'`, c.ID, a.Today.UTC(), changeID); err != nil {
				return err
			}
			if err := audit(ctx, tx, a, "transition.drop", c.ID, c.Ref); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET legal_domain = $2 WHERE id = $1`, c.ID, changed.Domain); err != nil {
			return err
		}
		if _, err := seedTransitions(ctx, tx, a.TeamID); err != nil {
			return err
		}
		if out.Consents, err = activeConsents(ctx, tx, c.ID); err != nil {
			return err
		}
		tpl, err := templateSteps(ctx, tx, a.TeamID, out.From, changed.Domain, true)
		if err != nil || len(tpl) == 0 {
			return err
		}
		// Step numbers are never given twice, not even those of a deleted
		// change (migration 00018).
		var first int
		if err := tx.QueryRow(ctx, `UPDATE cases SET last_step_n = greatest(last_step_n,
				(SELECT coalesce(max(n), 0) FROM transition_steps WHERE case_id = $1)) + $2
			WHERE id = $1 RETURNING last_step_n - $2 + 1`, c.ID, len(tpl)).Scan(&first); err != nil {
			return err
		}
		out.Steps = kim.NewSteps(tpl, ch.Since, first)
		ns, texts, partners, dues := make([]int32, len(tpl)), make([]string, len(tpl)), make([]*int64, len(tpl)), make([]time.Time, len(tpl))
		for i, st := range out.Steps {
			ns[i], texts[i], dues[i] = int32(st.N), st.Text, st.Due.UTC()
			if st.Partner.ID != 0 {
				partners[i] = &out.Steps[i].Partner.ID
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO transition_steps (case_id, change_id, n, pos, text, partner_id, due_on)
			SELECT $1, $2, x.n, x.ord, x.text, x.p, x.d FROM unnest($3::int[], $4::text[], $5::bigint[], $6::date[]) WITH ORDINALITY AS x(n, text, p, d, ord)`,
			c.ID, changeID, ns, texts, partners, dues)
		if err != nil {
			return err
		}
		return audit(ctx, tx, a, "transition.steps", c.ID, c.Ref)
	})
	out.Case = c
	return out, err
}

// DomainUndone is a Rechtskreiswechsel deleted: the case as it is now, the
// change, its steps (deleted with it) and the steps of the change before
// that it had closed as no longer needed (open again).
type DomainUndone struct {
	Case     kim.Case
	From, To string
	Since    kim.Date
	Steps    []kim.CaseStep
	Reopened []kim.CaseStep
}

// stepColumns are the columns scanStep reads (alias s, partner p).
const stepColumns = `s.n, s.text, coalesce(p.id, 0), coalesce(p.key, ''), coalesce(p.name, ''), s.due_on, s.status, s.closed_on`

// DeleteDomainChange deletes the case's latest Rechtskreiswechsel (one
// recorded by mistake) with its steps, done or not. The case's legal domain
// is the one before it again, and the steps of the change before that it
// closed as no longer needed are open again. Only the latest: an earlier
// change is where a later one started from.
func (s *Store) DeleteDomainChange(ctx context.Context, a kim.Actor, ref string) (DomainUndone, error) {
	var out DomainUndone
	c, err := s.caseWrite(ctx, a, ref, "domain.delete", "unable to delete legal domain change", func(tx pgx.Tx, c kim.Case) error {
		var id int64
		var since pgtypeDate
		err := tx.QueryRow(ctx, `SELECT id, from_domain, to_domain, since FROM domain_changes WHERE case_id = $1
			ORDER BY since DESC, id DESC LIMIT 1 FOR UPDATE`, c.ID).Scan(&id, &out.From, &out.To, &since)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ENOTFOUND, "domain.none", map[string]any{"Ref": c.Ref})
		}
		if err != nil {
			return err
		}
		out.Since = kim.DateOf(since.Time)
		rows, err := tx.Query(ctx, `SELECT `+stepColumns+` FROM transition_steps s LEFT JOIN partners p ON p.id = s.partner_id
			WHERE s.change_id = $1 ORDER BY s.pos`, id)
		if err != nil {
			return err
		}
		if out.Steps, err = pgx.CollectRows(rows, scanStep); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `WITH s AS (UPDATE transition_steps SET status = 'open', closed_on = NULL, dropped_by = NULL
				WHERE dropped_by = $1 AND status = 'dropped' RETURNING *)
			SELECT `+stepColumns+` FROM s LEFT JOIN partners p ON p.id = s.partner_id ORDER BY s.n`, id)
		if err != nil {
			return err
		}
		if out.Reopened, err = pgx.CollectRows(rows, scanStep); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM transition_steps WHERE change_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM domain_changes WHERE id = $1`, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE cases SET legal_domain = $2 WHERE id = $1`, c.ID, out.From)
		return err
	})
	out.Case = c
	return out, err
}

// DomainMoved is a Rechtskreiswechsel whose day was corrected: the change,
// its old and new day, and how many of its open steps moved with it.
type DomainMoved struct {
	Case     kim.Case
	From, To string
	Old, New kim.Date
	Moved    int
}

// MoveDomainChange corrects the day of the case's latest Rechtskreiswechsel
// (recorded with the wrong day) by the rules of recording one; its open
// steps move by the same number of days (to a working day), its done
// ones stay — refused when one was done before the new day.
func (s *Store) MoveDomainChange(ctx context.Context, a kim.Actor, ref string, since kim.Date) (DomainMoved, error) {
	var out DomainMoved
	c, err := s.caseWrite(ctx, a, ref, "domain.edit", "unable to correct legal domain change", func(tx pgx.Tx, c kim.Case) error {
		var id int64
		var old, prev pgtypeDate
		err := tx.QueryRow(ctx, `SELECT id, from_domain, to_domain, since,
				(SELECT max(since) FROM domain_changes p WHERE p.case_id = d.case_id AND p.id <> d.id)
			FROM domain_changes d WHERE case_id = $1 ORDER BY since DESC, id DESC LIMIT 1 FOR UPDATE`, c.ID).
			Scan(&id, &out.From, &out.To, &old, &prev)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ENOTFOUND, "domain.none", map[string]any{"Ref": c.Ref})
		}
		if err != nil {
			return err
		}
		out.Old, out.New = kim.DateOf(old.Time), since
		if since == out.Old {
			return kim.Errorf(kim.EINVALID, "domain.move_same", map[string]any{"Ref": c.Ref, "Date": since, "Field": "since"})
		}
		if err := kim.MoveChange(c, out.To, since, dateOf(&prev), a.Today); err != nil {
			return err
		}
		var n int
		var closed pgtypeDate
		err = tx.QueryRow(ctx, `SELECT n, closed_on FROM transition_steps WHERE change_id = $1 AND status = 'done' AND closed_on < $2
			ORDER BY closed_on, n LIMIT 1`, id, since.UTC()).Scan(&n, &closed)
		if err == nil {
			return kim.Errorf(kim.EINVALID, "domain.move_after_step", map[string]any{"Ref": c.Ref, "N": n, "Date": kim.DateOf(closed.Time), "Field": "since"})
		}
		if err != pgx.ErrNoRows {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, due_on FROM transition_steps WHERE change_id = $1 AND status = 'open' ORDER BY pos`, id)
		if err != nil {
			return err
		}
		type due struct {
			id int64
			on pgtypeDate
		}
		dues, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (due, error) { var d due; return d, r.Scan(&d.id, &d.on) })
		if err != nil {
			return err
		}
		delta := out.Old.DaysUntil(since)
		ids, days := make([]int64, len(dues)), make([]time.Time, len(dues))
		for i, d := range dues {
			ids[i], days[i] = d.id, kim.StepDue(kim.DateOf(d.on.Time), delta).UTC()
		}
		if _, err := tx.Exec(ctx, `UPDATE transition_steps s SET due_on = x.due FROM unnest($1::bigint[], $2::date[]) x(id, due)
			WHERE s.id = x.id`, ids, days); err != nil {
			return err
		}
		out.Moved = len(dues)
		_, err = tx.Exec(ctx, `UPDATE domain_changes SET since = $2 WHERE id = $1`, id, since.UTC())
		return err
	})
	out.Case = c
	return out, err
}

// CaseSteps returns a case visible to the actor with its transitions that
// have steps (oldest first) and its active consents, and audits the read
// (transition.list): the checklist, without the rest of the card.
func (s *Store) CaseSteps(ctx context.Context, a kim.Actor, ref string) (kim.Case, []kim.CaseTransition, []kim.Consent, error) {
	var c kim.Case
	var list []kim.CaseTransition
	var consents []kim.Consent
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = s.caseFor(ctx, tx, a, ref, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, caseTransitionsQuery("$1"), c.ID)
		if err != nil {
			return err
		}
		if list, err = scanCaseTransitions(rows); err != nil {
			return err
		}
		if consents, err = activeConsents(ctx, tx, c.ID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "transition.list", c.ID, c.Ref)
	})
	return c, list, consents, wrap("unable to read steps", err)
}

// caseTransitionsQuery selects the transitions with steps of the case whose
// id is the SQL expression caseID, oldest first (scanCaseTransitions).
func caseTransitionsQuery(caseID string) string {
	return `SELECT d.id, d.from_domain, d.to_domain, d.since,
			s.n, s.text, coalesce(p.id, 0), coalesce(p.key, ''), coalesce(p.name, ''), s.due_on, s.status, s.closed_on
		FROM transition_steps s JOIN domain_changes d ON d.id = s.change_id LEFT JOIN partners p ON p.id = s.partner_id
		WHERE s.case_id = ` + caseID + ` ORDER BY d.since, d.id, s.pos`
}

// scanCaseTransitions reads the rows of caseTransitionsQuery.
func scanCaseTransitions(rows pgx.Rows) ([]kim.CaseTransition, error) {
	defer rows.Close()
	var out []kim.CaseTransition
	var lastID int64
	for rows.Next() {
		var id int64
		var t kim.CaseTransition
		var since, due, closed pgtypeDate
		var st kim.CaseStep
		if err := rows.Scan(&id, &t.From, &t.To, &since, &st.N, &st.Text, &st.Partner.ID, &st.Partner.Key, &st.Partner.Name,
			&due, &st.Status, &closed); err != nil {
			return nil, err
		}
		st.Due, st.ClosedOn = kim.DateOf(due.Time), dateOf(&closed)
		if id != lastID || len(out) == 0 {
			t.Since = kim.DateOf(since.Time)
			out = append(out, t)
			lastID = id
		}
		out[len(out)-1].Steps = append(out[len(out)-1].Steps, st)
	}
	return out, rows.Err()
}
