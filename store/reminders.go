package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// DigestRecipient is a user whose daily digest is on, with the teams in
// which they hold a role.
type DigestRecipient struct {
	User  kim.User
	Teams []string
}

// DigestRecipients returns every user with a digest time and a role in at
// least one team.
func (s *Store) DigestRecipients(ctx context.Context) ([]DigestRecipient, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.id, u.username, u.locale, coalesce(u.lang, ''), u.timezone, to_char(u.digest_time, 'HH24:MI'), u.sysadmin,
			array_agg(m.team_id ORDER BY m.team_id)
		FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE u.digest_time IS NOT NULL
		GROUP BY u.id ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read digest recipients: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DigestRecipient, error) {
		var d DigestRecipient
		u := &d.User
		err := r.Scan(&u.ID, &u.Username, &u.Locale, &u.Lang, &u.TimeZone, &u.DigestTime, &u.SysAdmin, &d.Teams)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read digest recipients: %w", err)
	}
	return out, nil
}

// AbsenceSpan is an absence as reminders route it: from the user to the
// deputy, in one team, for a span of days.
type AbsenceSpan struct {
	ID       int64
	TeamID   string
	UserID   string
	DeputyID string
	From, To kim.Date
}

// AbsencesBetween returns the absences that overlap the days from..to.
func (s *Store) AbsencesBetween(ctx context.Context, from, to kim.Date) ([]AbsenceSpan, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, team_id, user_id, deputy_id, starts_on, ends_on FROM absences
		WHERE ends_on >= $1 AND starts_on <= $2 ORDER BY id`, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: unable to read absences: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AbsenceSpan, error) {
		var a AbsenceSpan
		var f, t pgtypeDate
		err := r.Scan(&a.ID, &a.TeamID, &a.UserID, &a.DeputyID, &f, &t)
		a.From, a.To = kim.DateOf(f.Time), kim.DateOf(t.Time)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read absences: %w", err)
	}
	return out, nil
}

// Route says that the items of an owner in a team that are due on or before
// Day go to the recipient's digest (the owner, or the deputy while the owner
// is away).
type Route struct {
	TeamID      string
	OwnerID     string
	RecipientID string
	Day         kim.Date
}

// itemKind is where the dates of one kind of reminder item live: the
// branch of the due query that finds the due ones, and what done and snooze
// change. kim.ItemSpecs defines the rest of the kind (buttons, texts); both
// name the same kinds, or the package does not start (see dueQuery).
type itemKind struct {
	// with, if set, is a common table expression of the due query that the
	// branch reads ("name AS MATERIALIZED (…)"), e.g. to read a table once
	// by its due-date index up to @last, the latest day of all routes.
	with string
	// due is the kind's branch of the due query after SELECT <kind>: the
	// columns team_id, team_name, case id (0 without a case), case ref,
	// number (0 if none), label, owner id, owner name, recipient id, due
	// date, the case's sealed pseudonym and the item's sealed text (a goal's;
	// both NULL where there is none) of the open dates due on or before their route's day, from the
	// routes r (team_id, owner_id, recipient_id, day, team_name, owner_name,
	// and coach: whether the recipient is a coach of the team, as every case
	// query requires). "" for a kind whose dates another kind's branch
	// finds (see kind).
	due string
	// kind, if set, is the SQL expression of the branch's kind column, for a
	// branch that finds the dates of several kinds; by default the kind.
	kind string
	// change marks the item done or snoozes it (x.ch.Done, x.ch.Until) if
	// its date is still x.ch.Expected, and sets x.next. ChangeItem has locked
	// and checked the case of a case item (x.c) and audits the change.
	change func(ctx context.Context, tx pgx.Tx, x *itemTx) error
}

// itemTx is one item's change inside ChangeItem's transaction.
type itemTx struct {
	a   kim.Actor
	ch  ItemChange
	c   kim.Case         // the item's case, locked and writable (case items only)
	set kim.TeamSettings // the team's defaults (case items only)
	// next is the item's new date; nil when it has none any more (a goal
	// reached, an action done, a follow-up made).
	next *kim.Date
}

// itemKinds holds every kind's dates. What done means per kind (the digest's
// "done" on monitoring and (re)assessment dates opens the contact or
// assessment form instead, kim.ItemSpec.Form, whose save moves the date):
//
//	monitoring      the contact took place: next date = today + the team's monitoring interval
//	(re)assessment  it was carried out: next date = today + the team's re-assessment interval
//	followup        the follow-up was made: the referral keeps its outcome, the date is cleared
//	goal            the goal is reached (status done), as /kim goal done
//	action          the action item is done (done_on = today)
//	transition      the step of the Rechtskreiswechsel is done (status done, closed_on = today)
//
// Case dates are read per routed owner from the (team, owner, date)
// indexes; follow-ups and goals once from their due-date indexes and matched
// to the routes by hash (see BENCHMARKS.md).
var itemKinds = map[kim.ItemKind]itemKind{
	kim.ItemMonitoring: {
		due: `r.team_id, r.team_name, c.id, c.ref, 0, '', c.owner_id, r.owner_name, r.recipient_id, c.next_monitoring,
				c.pseudonym_enc, NULL::bytea
			FROM r JOIN cases c ON c.owner_id = r.owner_id AND c.team_id = r.team_id AND c.closed_on IS NULL AND c.next_monitoring <= r.day
			WHERE r.coach`,
		change: changeCaseDate("next_monitoring", func(c kim.Case) *kim.Date { return c.NextMonitoring },
			func(x *itemTx) kim.Date { return x.set.NextMonitoring(x.a.Today) }),
	},
	kim.ItemAssessment: {
		// One scan of next_assessment for both kinds: once a case has an
		// assessment, the date is its re-assessment.
		kind: `CASE WHEN EXISTS (SELECT 1 FROM assessments a WHERE a.case_id = c.id) THEN 'reassessment' ELSE 'assessment' END`,
		due: `r.team_id, r.team_name, c.id, c.ref, 0, '', c.owner_id, r.owner_name, r.recipient_id, c.next_assessment,
				c.pseudonym_enc, NULL::bytea
			FROM r JOIN cases c ON c.owner_id = r.owner_id AND c.team_id = r.team_id AND c.closed_on IS NULL AND c.next_assessment <= r.day
			WHERE r.coach`,
		change: changeAssessment,
	},
	kim.ItemReassessment: {change: changeAssessment}, // found by the assessment branch
	kim.ItemFollowup: {
		with: `followups AS MATERIALIZED (
			SELECT c.team_id, c.id, c.ref, c.owner_id, f.n, p.name, f.followup_on, c.pseudonym_enc
			FROM referrals f JOIN cases c ON c.id = f.case_id JOIN partners p ON p.id = f.partner_id
			WHERE f.outcome = 'pending' AND f.followup_on <= @last AND c.closed_on IS NULL)`,
		due: `r.team_id, r.team_name, d.id, d.ref, d.n, d.name, d.owner_id, r.owner_name, r.recipient_id, d.followup_on,
				d.pseudonym_enc, NULL::bytea
			FROM followups d JOIN r ON r.owner_id = d.owner_id AND r.team_id = d.team_id AND d.followup_on <= r.day
			WHERE r.coach`,
		change: changeFollowup,
	},
	kim.ItemGoal: {
		with: `goals_due AS MATERIALIZED (
			SELECT c.team_id, c.id, c.ref, c.owner_id, g.n, g.field, g.due_on, c.pseudonym_enc, g.text_enc
			FROM goals g JOIN cases c ON c.id = g.case_id
			WHERE g.status = 'open' AND g.due_on <= @last AND c.closed_on IS NULL)`,
		due: `r.team_id, r.team_name, d.id, d.ref, d.n, d.field, d.owner_id, r.owner_name, r.recipient_id, d.due_on,
				d.pseudonym_enc, d.text_enc
			FROM goals_due d JOIN r ON r.owner_id = d.owner_id AND r.team_id = d.team_id AND d.due_on <= r.day
			WHERE r.coach`,
		change: changeGoal,
	},
	kim.ItemTransition: {
		with: `steps_due AS MATERIALIZED (
			SELECT c.team_id, c.id, c.ref, c.owner_id, s.n, coalesce(p.name, '') AS name, s.due_on, c.pseudonym_enc,
				convert_to(s.text, 'UTF8') AS text
			FROM transition_steps s JOIN cases c ON c.id = s.case_id LEFT JOIN partners p ON p.id = s.partner_id
			WHERE s.status = 'open' AND s.due_on <= @last AND c.closed_on IS NULL)`,
		due: `r.team_id, r.team_name, d.id, d.ref, d.n, d.name, d.owner_id, r.owner_name, r.recipient_id, d.due_on,
				d.pseudonym_enc, d.text
			FROM steps_due d JOIN r ON r.owner_id = d.owner_id AND r.team_id = d.team_id AND d.due_on <= r.day
			WHERE r.coach`,
		change: changeStep,
	},
	kim.ItemAction: {
		due: `r.team_id, r.team_name, 0, '', a.n, a.text, a.owner_id, r.owner_name, r.recipient_id, a.due_on,
				NULL::bytea, NULL::bytea
			FROM actions a JOIN r ON r.owner_id = a.owner_id AND r.team_id = a.team_id AND a.due_on <= r.day
			WHERE a.done_on IS NULL AND a.due_on <= @last`,
		change: changeAction,
	},
}

// dueQuery is the one set-based query of a reminder pass: for every route
// (@teams, @owners, @recipients, @days: team, owner, recipient, day), the
// owner's open dates due on or before the route's day, one UNION branch per
// kind in the order of kim.ItemSpecs. Case items need the recipient to be a
// coach of the team (as every case query does), action items only the
// route. Rows come unordered; the digest sorts each recipient's items.
var dueQuery = buildDueQuery()

func buildDueQuery() string {
	withs := []string{`r AS (
	SELECT x.team_id, x.owner_id, x.recipient_id, x.day, t.name AS team_name, coalesce(o.username, '') AS owner_name,
		coalesce(m.role = 'coach', false) AS coach
	FROM unnest(@teams::text[], @owners::text[], @recipients::text[], @days::date[]) AS x(team_id, owner_id, recipient_id, day)
		JOIN teams t ON t.id = x.team_id
		LEFT JOIN users o ON o.id = x.owner_id
		LEFT JOIN memberships m ON m.team_id = x.team_id AND m.user_id = x.recipient_id
)`}
	var branches []string
	for _, spec := range kim.ItemSpecs {
		k, ok := itemKinds[spec.Kind]
		if !ok {
			panic("store: reminder item kind " + string(spec.Kind) + " has no entry in itemKinds")
		}
		if k.with != "" {
			withs = append(withs, k.with)
		}
		if k.due == "" {
			continue
		}
		kind := k.kind
		if kind == "" {
			kind = "'" + string(spec.Kind) + "'"
		}
		branches = append(branches, "SELECT "+kind+", "+k.due)
	}
	if len(itemKinds) != len(kim.ItemSpecs) {
		panic("store: itemKinds has a kind that kim.ItemSpecs does not define")
	}
	return "WITH " + strings.Join(withs, ",\n") + "\n" + strings.Join(branches, "\nUNION ALL\n")
}

// dueArgs are the named parameters of dueQuery for the routes.
func dueArgs(routes []Route) pgx.NamedArgs {
	teams, owners, recips, days := make([]string, len(routes)), make([]string, len(routes)), make([]string, len(routes)), make([]time.Time, len(routes))
	var last time.Time
	for i, r := range routes {
		teams[i], owners[i], recips[i], days[i] = r.TeamID, r.OwnerID, r.RecipientID, r.Day.UTC()
		if days[i].After(last) {
			last = days[i]
		}
	}
	return pgx.NamedArgs{"teams": teams, "owners": owners, "recipients": recips, "days": days, "last": last}
}

// DueItems returns, in one query, every open date of the routed owners that
// is due on or before its route's day, in no particular order, with the
// case's pseudonym and a goal's text. Action item and goal texts are
// clipped to 200 characters.
func (s *Store) DueItems(ctx context.Context, routes []Route) ([]kim.DueItem, error) {
	if len(routes) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, dueQuery, dueArgs(routes))
	if err != nil {
		return nil, fmt.Errorf("store: unable to read due items: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.DueItem, error) {
		var it kim.DueItem
		var kind string
		var due pgtypeDate
		var pseud, text []byte
		err := r.Scan(&kind, &it.TeamID, &it.TeamName, &it.CaseID, &it.CaseRef, &it.N, &it.Label, &it.OwnerID, &it.OwnerName,
			&it.RecipientID, &due, &pseud, &text)
		if err != nil {
			return it, err
		}
		it.Kind, it.Due = kim.ItemKind(kind), kim.DateOf(due.Time)
		it.Pseudonym = s.open(pseud, CasePseudonym)
		if it.Kind == kim.ItemTransition {
			it.Text = clip200(string(text)) // a team template's text, not sealed
		} else {
			it.Text = clip200(s.open(text, GoalText))
		}
		it.Label = clip200(it.Label)
		return it, nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read due items: %w", err)
	}
	if err := s.stepPartners(ctx, out); err != nil {
		return nil, fmt.Errorf("store: unable to read due items: %w", err)
	}
	return out, nil
}

// stepPartners sets the partner key of the due transition steps that have
// a partner, and whether their case has consent for it, in one query.
func (s *Store) stepPartners(ctx context.Context, items []kim.DueItem) error {
	var cases []int64
	var ns []int32
	at := map[[2]int64][]int{}
	for i, it := range items {
		if it.Kind == kim.ItemTransition && it.Label != "" {
			k := [2]int64{it.CaseID, int64(it.N)}
			if at[k] == nil {
				cases, ns = append(cases, it.CaseID), append(ns, int32(it.N))
			}
			at[k] = append(at[k], i)
		}
	}
	if len(cases) == 0 {
		return nil
	}
	rows, err := s.pool.Query(ctx, `
		SELECT s.case_id, s.n, p.key, EXISTS (SELECT 1 FROM consents k WHERE k.case_id = s.case_id AND k.partner_id = s.partner_id
			AND k.scope = 'partner' AND k.revoked_on IS NULL)
		FROM unnest($1::bigint[], $2::int[]) AS x(c, n) JOIN transition_steps s ON s.case_id = x.c AND s.n = x.n
			JOIN partners p ON p.id = s.partner_id`, cases, ns)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int32
		var key string
		var consent bool
		if err := rows.Scan(&id, &n, &key, &consent); err != nil {
			return err
		}
		for _, i := range at[[2]int64{id, int64(n)}] {
			items[i].PartnerKey, items[i].Consent = key, consent
		}
	}
	return rows.Err()
}

// clip200 shortens a text of a digest item to 200 characters.
func clip200(s string) string {
	if rs := []rune(s); len(rs) > 200 {
		return string(rs[:199]) + "…"
	}
	return s
}

// AuditDigest records in the audit log that a digest showed the cases of
// these items to their recipient: one row per recipient and team (a digest
// has one recipient; its items may come from more than one team) naming
// the cases in case_ids, in one statement.
func (s *Store) AuditDigest(ctx context.Context, items []kim.DueItem) error {
	var teams, actors []string
	var ids []int64
	for _, it := range items {
		if it.CaseID != 0 {
			teams, actors, ids = append(teams, it.TeamID), append(actors, it.RecipientID), append(ids, it.CaseID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO audit_log (team_id, actor_id, action, case_ids)
		SELECT t, a, 'reminder.digest', array_agg(DISTINCT c ORDER BY c)
		FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(t, a, c) GROUP BY t, a ORDER BY t, a`,
		teams, actors, ids)
	if err != nil {
		return fmt.Errorf("store: unable to write audit log: %w", err)
	}
	return nil
}

// ItemChange is what a button press does to a due item: done, or snoozed
// to Until; Expected is the due date the button was made for, so a stale or
// repeated press changes nothing.
type ItemChange struct {
	Item     kim.ItemRef
	Expected kim.Date
	Done     bool
	Until    kim.Date
}

// ItemOutcome is the state of an item after a change.
type ItemOutcome struct {
	// Next is the item's new date; nil when the item has none any more
	// (a goal reached, an action done, a follow-up made).
	Next *kim.Date
}

// Errors of ChangeItem.
var (
	errItemChanged = kim.Errorf(kim.ECONFLICT, "remind.item_changed", nil)
	errItemGone    = kim.Errorf(kim.ENOTFOUND, "remind.item_gone", nil)
)

// ChangeItem marks a due item done or snoozes it (what that means per kind:
// itemKinds), for an actor who owns it or holds it as deputy today, if its
// date is still the expected one; it audits the change (case items as
// reminder.done or reminder.snooze of the case, items without a case as
// reminder.<kind>-done or -snooze) and settles the case's phase.
func (s *Store) ChangeItem(ctx context.Context, a kim.Actor, ch ItemChange) (ItemOutcome, error) {
	spec, _, ok := kim.ItemSpecOf(ch.Item.Kind)
	k, ok2 := itemKinds[ch.Item.Kind]
	if !ok || !ok2 {
		return ItemOutcome{}, errItemGone
	}
	verb := kim.VerbSnooze
	if ch.Done {
		verb = kim.VerbDone
	}
	x := &itemTx{a: a, ch: ch}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if !spec.Case {
			if err := k.change(ctx, tx, x); err != nil {
				return err
			}
			return audit(ctx, tx, a, "reminder."+string(spec.Kind)+"-"+verb, 0, "")
		}
		c, err := s.writable(ctx, tx, a, ch.Item.CaseRef)
		if code := kim.ErrorCode(err); code == kim.ENOTFOUND || code == kim.ECONFLICT {
			return errItemGone // not the actor's (any more), closed or erased
		}
		if err != nil {
			return err
		}
		x.c = c
		if x.set, err = teamSettings(ctx, tx, a.TeamID); err != nil {
			return err
		}
		if err := k.change(ctx, tx, x); err != nil {
			return err
		}
		if err := audit(ctx, tx, a, "reminder."+verb, c.ID, c.Ref); err != nil {
			return err
		}
		_, err = s.settle(ctx, tx, a, c.ID) // the phase follows the new dates
		return err
	})
	return ItemOutcome{Next: x.next}, wrap("unable to change reminder item", err)
}

// changeCaseDate returns the change of a date column of the case whose
// value is cur: done sets it to next(x), snooze to the snooze date.
func changeCaseDate(col string, cur func(kim.Case) *kim.Date, next func(x *itemTx) kim.Date) func(context.Context, pgx.Tx, *itemTx) error {
	return func(ctx context.Context, tx pgx.Tx, x *itemTx) error {
		if d := cur(x.c); d == nil || *d != x.ch.Expected {
			return errItemChanged
		}
		d := x.ch.Until
		if x.ch.Done {
			d = next(x)
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET `+col+` = $2, updated_at = now() WHERE id = $1`, x.c.ID, d.UTC()); err != nil {
			return err
		}
		x.next = &d
		return nil
	}
}

// changeAssessment: the first assessment and re-assessments share the date.
var changeAssessment = changeCaseDate("next_assessment", func(c kim.Case) *kim.Date { return c.NextAssessment },
	func(x *itemTx) kim.Date { return x.set.NextReassessment(x.a.Today) })

// changeFollowup: done clears the referral's follow-up date (its outcome
// stays pending), snooze moves it.
func changeFollowup(ctx context.Context, tx pgx.Tx, x *itemTx) error {
	var id int64
	var due pgtypeDate
	var outcome string
	err := tx.QueryRow(ctx, `SELECT id, followup_on, outcome FROM referrals WHERE case_id = $1 AND n = $2 FOR UPDATE`,
		x.c.ID, x.ch.Item.N).Scan(&id, &due, &outcome)
	if err == pgx.ErrNoRows || (err == nil && outcome != "pending") {
		return errItemGone
	}
	if err != nil {
		return err
	}
	if d := dateOf(&due); d == nil || *d != x.ch.Expected {
		return errItemChanged
	}
	var next *kim.Date
	if !x.ch.Done {
		next = x.ch.Until.Ptr()
	}
	if _, err := tx.Exec(ctx, `UPDATE referrals SET followup_on = $2 WHERE id = $1`, id, dateArg(next)); err != nil {
		return err
	}
	x.next = next
	return nil
}

// changeGoal: done reaches the goal, snooze moves its due date.
func changeGoal(ctx context.Context, tx pgx.Tx, x *itemTx) error {
	a, ch := x.a, x.ch
	var id int64
	var due pgtypeDate
	g := kim.Goal{N: ch.Item.N}
	err := tx.QueryRow(ctx, `SELECT id, due_on, status FROM goals WHERE case_id = $1 AND n = $2 FOR UPDATE`,
		x.c.ID, ch.Item.N).Scan(&id, &due, &g.Status)
	if err == pgx.ErrNoRows || (err == nil && !g.Open()) {
		return errItemGone
	}
	if err != nil {
		return err
	}
	if d := dateOf(&due); d == nil || *d != ch.Expected {
		return errItemChanged
	}
	if ch.Done {
		if g, err = kim.CloseGoal(g, "done", a.Today); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE goals SET status = $2, closed_on = $3 WHERE id = $1`, id, g.Status, dateArg(g.ClosedOn))
	} else {
		_, err = tx.Exec(ctx, `UPDATE goals SET due_on = $2 WHERE id = $1`, id, ch.Until.UTC())
		x.next = ch.Until.Ptr()
	}
	return err
}

// changeAction marks a meeting action item done or moves its due date, for
// its owner or the owner's deputy today.
func changeAction(ctx context.Context, tx pgx.Tx, x *itemTx) error {
	a, ch := x.a, x.ch
	var it kim.ActionItem
	var due, done pgtypeDate
	err := tx.QueryRow(ctx, `
		SELECT x.id, x.due_on, x.done_on FROM actions x
		WHERE x.team_id = $1 AND x.n = $2 AND (x.owner_id = $3 OR EXISTS (SELECT 1 FROM absences b WHERE b.team_id = x.team_id
			AND b.user_id = x.owner_id AND b.deputy_id = $3 AND $4::date BETWEEN b.starts_on AND b.ends_on))
		FOR UPDATE OF x`, a.TeamID, ch.Item.N, a.UserID, a.Today.UTC()).Scan(&it.ID, &due, &done)
	it.N, it.Due, it.DoneOn = ch.Item.N, dateOf(&due), dateOf(&done)
	if err == pgx.ErrNoRows || (err == nil && !it.Open()) {
		return errItemGone
	}
	if err != nil {
		return err
	}
	if it.Due == nil || *it.Due != ch.Expected {
		return errItemChanged
	}
	if ch.Done {
		if it, err = kim.ActionDone(it, a.Today); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE actions SET done_on = $2 WHERE id = $1`, it.ID, dateArg(it.DoneOn))
	} else {
		_, err = tx.Exec(ctx, `UPDATE actions SET due_on = $2 WHERE id = $1`, it.ID, ch.Until.UTC())
		x.next = ch.Until.Ptr()
	}
	return err
}

// changeStep: done closes the transition step with today's day, snooze
// moves its due date.
func changeStep(ctx context.Context, tx pgx.Tx, x *itemTx) error {
	var id int64
	var due pgtypeDate
	var status string
	err := tx.QueryRow(ctx, `SELECT id, due_on, status FROM transition_steps WHERE case_id = $1 AND n = $2 FOR UPDATE`,
		x.c.ID, x.ch.Item.N).Scan(&id, &due, &status)
	if err == pgx.ErrNoRows || (err == nil && status != kim.StepOpen) {
		return errItemGone
	}
	if err != nil {
		return err
	}
	if d := dateOf(&due); d == nil || *d != x.ch.Expected {
		return errItemChanged
	}
	if x.ch.Done {
		_, err = tx.Exec(ctx, `UPDATE transition_steps SET status = 'done', closed_on = $2, dropped_by = NULL WHERE id = $1`, id, x.a.Today.UTC())
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE transition_steps SET due_on = $2 WHERE id = $1`, id, x.ch.Until.UTC())
	x.next = x.ch.Until.Ptr()
	return err
}

// TodayItems returns what the actor's digest would hold on their today in
// the actor's team: their own items due on or before it, and those of the
// team's coaches who are away today and named them deputy. The read is
// audited before it is returned (reminder.today, one row naming the cases);
// nothing is marked delivered.
func (s *Store) TodayItems(ctx context.Context, a kim.Actor) ([]kim.DueItem, error) {
	routes := []Route{{TeamID: a.TeamID, OwnerID: a.UserID, RecipientID: a.UserID, Day: a.Today}}
	rows, err := s.pool.Query(ctx, `
		SELECT DISTINCT user_id FROM absences
		WHERE team_id = $1 AND deputy_id = $2 AND user_id <> $2 AND starts_on <= $3 AND ends_on >= $3 ORDER BY user_id`,
		a.TeamID, a.UserID, a.Today.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: unable to read absences: %w", err)
	}
	owners, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: unable to read absences: %w", err)
	}
	for _, o := range owners {
		routes = append(routes, Route{TeamID: a.TeamID, OwnerID: o, RecipientID: a.UserID, Day: a.Today})
	}
	items, err := s.DueItems(ctx, routes)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, it := range items {
		if it.CaseID != 0 && !slices.Contains(ids, it.CaseID) {
			ids = append(ids, it.CaseID)
		}
	}
	if len(ids) > 0 && !s.dry {
		slices.Sort(ids)
		if _, err := s.pool.Exec(ctx, `INSERT INTO audit_log (team_id, actor_id, action, case_ids) VALUES ($1, $2, 'reminder.today', $3)`,
			a.TeamID, a.UserID, ids); err != nil {
			return nil, fmt.Errorf("store: unable to write audit log: %w", err)
		}
	}
	return items, nil
}
