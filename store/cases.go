package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// caseAccess is the WHERE condition that limits a case query (alias c) to
// the actor's team (@team) and to the cases the actor (@actor) owns or holds
// as deputy on day @today, as long as the actor is a coach of the team. Its
// parameters come from accessArgs. The owners are a list (the actor and
// whoever the actor stands in for), so that a list of cases reads them
// from the index on (team_id, owner_id); a condition "owner is the actor OR
// an absence exists" read every case of the team.
const caseAccess = `c.team_id = @team
	AND EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = c.team_id AND m.user_id = @actor AND m.role = 'coach')
	AND c.owner_id IN (SELECT @actor::text UNION ALL SELECT a.user_id FROM absences a WHERE a.team_id = @team
		AND a.deputy_id = @actor AND @today::date BETWEEN a.starts_on AND a.ends_on)`

// accessArgs returns the parameters of caseAccess for actor a together with
// the query's own (which must not reuse team, actor or today).
func accessArgs(a kim.Actor, more pgx.StrictNamedArgs) pgx.StrictNamedArgs {
	args := pgx.StrictNamedArgs{"team": a.TeamID, "actor": a.UserID, "today": a.Today.UTC()}
	for k, v := range more {
		args[k] = v
	}
	return args
}

const caseColumns = `c.id, c.team_id, c.ref, c.owner_id, coalesce(u.username, ''), coalesce(o.name, ''), c.pseudonym_enc,
	c.target_group, c.legal_domain, c.phase, c.opened_on, c.closed_on, coalesce(c.close_reason, ''), c.close_note_enc,
	c.next_monitoring, c.next_assessment, c.erased_at IS NOT NULL`

const caseFrom = `cases c JOIN users u ON u.id = c.owner_id LEFT JOIN organisations o ON o.id = c.organisation_id`

func (s *Store) scanCase(r pgx.Row) (kim.Case, error) {
	var c kim.Case
	var pseud, note []byte
	var opened pgtypeDate
	var closed, mon, ass pgtypeDate
	err := r.Scan(&c.ID, &c.TeamID, &c.Ref, &c.OwnerID, &c.OwnerName, &c.Organisation, &pseud, &c.Group, &c.Domain, &c.Phase,
		&opened, &closed, &c.CloseReason, &note, &mon, &ass, &c.Erased)
	if err != nil {
		return c, err
	}
	c.Pseudonym = s.open(pseud, CasePseudonym)
	c.CloseNote = s.open(note, CaseCloseNote)
	c.OpenedOn = kim.DateOf(opened.Time)
	c.ClosedOn, c.NextMonitoring, c.NextAssessment = dateOf(&closed), dateOf(&mon), dateOf(&ass)
	return c, nil
}

// NewCase is what opening a case needs.
type NewCase struct {
	Pseudonym   string
	Group       string
	Domain      string
	ConsentForm string // written or oral
	// OpenedOn is the real intake date (nil: today); consent to processing
	// is recorded on it and the first dates count from it.
	OpenedOn *kim.Date
}

// OpenCase opens a case owned by the actor with recorded consent to
// processing, numbering it K-<year>-<seq> per team, and returns it.
func (s *Store) OpenCase(ctx context.Context, a kim.Actor, in NewCase) (kim.Case, error) {
	var c kim.Case
	err := s.tx(ctx, func(tx pgx.Tx) error {
		set, err := teamSettings(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		opened := a.Today
		if in.OpenedOn != nil {
			opened = *in.OpenedOn
		}
		nc, err := kim.NewCase(set, opened, a.Today)
		if err != nil {
			return err
		}
		var seq int
		err = tx.QueryRow(ctx, `
			INSERT INTO case_counters (team_id, year, last) VALUES ($1, $2, 1)
			ON CONFLICT (team_id, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last`, a.TeamID, opened.Y).Scan(&seq)
		if err != nil {
			return err
		}
		ref := kim.CaseRef(opened.Y, seq)
		var id int64
		err = tx.QueryRow(ctx, `
			INSERT INTO cases (team_id, ref, owner_id, organisation_id, pseudonym_enc, target_group, legal_domain, phase,
				opened_on, next_monitoring, next_assessment)
			SELECT $1, $2, $3, m.organisation_id, $4, $5, $6, $7, $8, $9, $10
			FROM memberships m WHERE m.team_id = $1 AND m.user_id = $3 AND m.role = 'coach'
			RETURNING id`,
			a.TeamID, ref, a.UserID, s.seal(in.Pseudonym, CasePseudonym), in.Group, in.Domain, nc.Phase, nc.OpenedOn.UTC(),
			dateArg(nc.NextMonitoring), dateArg(nc.NextAssessment)).Scan(&id)
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.EFORBIDDEN, "err.no_role", nil)
		}
		if err != nil {
			return err
		}
		form := in.ConsentForm
		if form == "" {
			form = "written"
		}
		if _, err := tx.Exec(ctx, `INSERT INTO consents (case_id, scope, form, granted_on, granted_by) VALUES ($1, 'processing', $2, $3, $4)`,
			id, form, opened.UTC(), a.UserID); err != nil {
			return err
		}
		if err := audit(ctx, tx, a, "case.open", id, ref); err != nil {
			return err
		}
		c, err = s.scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM `+caseFrom+` WHERE c.id = $1`, id))
		return err
	})
	if err != nil {
		return c, wrap("unable to open case", err)
	}
	return c, nil
}

// NormalizeRef returns a case reference as kimbot writes it
// (kim.ParseCaseRef: k-2026-42 is K-2026-0042); what is no reference, in
// upper case, which matches no case.
func NormalizeRef(ref string) string {
	if r, ok := kim.ParseCaseRef(ref); ok {
		return r
	}
	return strings.ToUpper(strings.TrimSpace(ref))
}

// caseFor returns the case ref visible to the actor, locked for update when
// lock is set; kim.ErrNotFound when it does not exist for the actor.
func (s *Store) caseFor(ctx context.Context, q pgx.Tx, a kim.Actor, ref string, lock bool) (kim.Case, error) {
	sql := `SELECT ` + caseColumns + ` FROM ` + caseFrom + ` WHERE ` + caseAccess + ` AND c.ref = @ref`
	if lock {
		sql += ` FOR UPDATE OF c`
	}
	c, err := s.scanCase(q.QueryRow(ctx, sql, accessArgs(a, pgx.StrictNamedArgs{"ref": NormalizeRef(ref)})))
	if err == pgx.ErrNoRows {
		return c, kim.Errorf(kim.ENOTFOUND, "err.case_not_found", map[string]any{"Ref": NormalizeRef(ref)})
	}
	c.Phase = kim.PhaseOn(c.Phase, c.NextAssessment, a.Today) // a due assessment changes the phase by time alone
	return c, err
}

// CaseFilter selects the cases of /kim cases.
type CaseFilter string

// Case filters.
const (
	FilterOpen   CaseFilter = "open"
	FilterClosed CaseFilter = "closed"
	FilterDue    CaseFilter = "due"
	FilterAll    CaseFilter = "all"
)

// caseFilters are the conditions of the case filters.
var caseFilters = map[CaseFilter]string{
	FilterOpen:   `c.closed_on IS NULL`,
	FilterClosed: `c.closed_on IS NOT NULL`,
	FilterDue:    `c.closed_on IS NULL AND (c.next_monitoring <= @today OR c.next_assessment <= @today)`,
	FilterAll:    `true`,
}

// casesQuery selects the cases of @team that caseAccess lets @actor see and
// cond admits, in the order of Cases, at most @limit.
func casesQuery(cond string) string {
	return `SELECT ` + caseColumns + ` FROM ` + caseFrom + ` WHERE ` + caseAccess + ` AND ` + cond + `
		ORDER BY c.closed_on IS NOT NULL, least(c.next_monitoring, c.next_assessment) NULLS LAST,
			split_part(c.ref, '-', 2), length(c.ref), c.ref OFFSET @offset LIMIT @limit`
}

// CaseList is one page of a coach's case list and how many cases the
// filter admits in all.
type CaseList struct {
	Cases []kim.Case
	Total int
}

// Cases returns a page of the cases the actor owns or holds as deputy
// (skipping offset, at most limit), open ones first, by their next date,
// then by year and number of the reference (K-2026-9999 before
// K-2026-10000), and how many the filter admits in all.
// FilterDue returns open cases with a monitoring or assessment date on or
// before today.
func (s *Store) Cases(ctx context.Context, a kim.Actor, f CaseFilter, offset, limit int) (CaseList, error) {
	var out CaseList
	cond := caseFilters[f]
	if cond == "" {
		return out, fmt.Errorf("store: unknown case filter %q", f)
	}
	scan := &scanErr{}
	args := accessArgs(a, pgx.StrictNamedArgs{"offset": offset, "limit": limit})
	b := &pgx.Batch{}
	who := queueCaller(b, a)
	queue(b, `SELECT count(*) FROM cases c WHERE `+caseAccess+` AND `+cond, accessArgs(a, nil)).
		QueryRow(func(row pgx.Row) error { return scan.keep(row.Scan(&out.Total)) })
	queue(b, casesQuery(cond), args).
		Query(func(rows pgx.Rows) (err error) {
			out.Cases, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.Case, error) {
				c, err := s.scanCase(r)
				c.Phase = kim.PhaseOn(c.Phase, c.NextAssessment, a.Today)
				return c, err
			})
			return scan.keep(err)
		})
	// The list is audited for a coach of the team, the only one it can show cases to.
	if !s.dry {
		queue(b, `INSERT INTO audit_log (team_id, actor_id, action) SELECT @team, @actor, 'case.list'
			WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = @team AND m.user_id = @actor AND m.role = 'coach')`,
			pgx.StrictNamedArgs{"team": a.TeamID, "actor": a.UserID})
	}
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return CaseList{}, fmt.Errorf("store: unable to list cases: %w", err)
	}
	if err := who.done(); err != nil {
		return CaseList{}, err
	}
	if scan.err != nil {
		return CaseList{}, fmt.Errorf("store: unable to list cases: %w", scan.err)
	}
	return out, nil
}

// Card returns the case card of a case visible to the actor and audits the
// read. The reads are one round trip: a batch (one implicit transaction)
// that, after the resolution of a pending caller (kim.Caller), finds the
// case through caseAccess once and keeps its id for the transaction
// (cardCase), then reads the case row and the parts of the card by that id.
// A case the actor may not see leaves the id empty: every later statement
// reads nothing. The audit row is written at the same time on another
// connection (auditCardRead), and the card returned only once it is
// committed.
func (s *Store) Card(ctx context.Context, a kim.Actor, ref string) (kim.Card, error) {
	var card kim.Card
	found := false
	ref = NormalizeRef(ref)
	audit := s.auditCardRead(ctx, a, ref)
	scan := &scanErr{}
	keep := scan.keep
	none := pgx.StrictNamedArgs{} // the statements after the first read the id it kept
	b := &pgx.Batch{}
	who := queueCaller(b, a)
	queue(b, `SELECT set_config('`+cardCaseSetting+`', coalesce((SELECT c.id FROM cases c WHERE `+caseAccess+` AND c.ref = @ref)::text, ''), true)`,
		accessArgs(a, pgx.StrictNamedArgs{"ref": ref}))
	queue(b, `SELECT `+caseColumns+` FROM `+caseFrom+` WHERE c.id = `+cardCase, none).QueryRow(func(row pgx.Row) error {
		c, err := s.scanCase(row)
		if err == pgx.ErrNoRows {
			return nil
		}
		found, card.Case = err == nil, c
		card.Case.Phase = kim.PhaseOn(c.Phase, c.NextAssessment, a.Today) // a due assessment changes the phase by time alone
		return keep(err)
	})
	queue(b, consentsQuery(cardCase), none).Query(func(rows pgx.Rows) (err error) {
		card.Consents, err = pgx.CollectRows(rows, scanConsent)
		return keep(err)
	})
	queue(b, assessmentsQuery(cardCase), pgx.StrictNamedArgs{"n": maxAssessments}).Query(func(rows pgx.Rows) (err error) {
		card.Assessments, err = pgx.CollectRows(rows, s.scanAssessment)
		return keep(err)
	})
	queue(b, `SELECT n, field, text_enc, due_on, status FROM goals WHERE case_id = `+cardCase+` ORDER BY n`, none).Query(func(rows pgx.Rows) (err error) {
		card.Goals, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.Goal, error) {
			var g kim.Goal
			var enc []byte
			var due pgtypeDate
			err := r.Scan(&g.N, &g.Field, &enc, &due, &g.Status)
			g.Text, g.Due = s.open(enc, GoalText), dateOf(&due)
			return g, err
		})
		return keep(err)
	})
	queue(b, `
		SELECT r.id, r.n, p.id, p.key, p.name, coalesce(p.legal_domain, ''), r.reason_enc, r.referred_on, r.followup_on, r.outcome,
			r.outcome_on, r.outcome_note_enc
		FROM referrals r JOIN partners p ON p.id = r.partner_id WHERE r.case_id = `+cardCase+` ORDER BY r.n`, none).Query(func(rows pgx.Rows) (err error) {
		card.Referrals, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.Referral, error) {
			var f kim.Referral
			var reason, note []byte
			var on, fu, oo pgtypeDate
			err := r.Scan(&f.ID, &f.N, &f.Partner.ID, &f.Partner.Key, &f.Partner.Name, &f.Partner.Domain, &reason, &on, &fu, &f.Outcome, &oo, &note)
			f.Reason, f.Note = s.open(reason, ReferralReason), s.open(note, ReferralNote)
			f.On, f.Followup, f.OutcomeOn = kim.DateOf(on.Time), dateOf(&fu), dateOf(&oo)
			return f, err
		})
		return keep(err)
	})
	queue(b, outcomeHistoryQuery(cardCase), none).Query(func(rows pgx.Rows) error {
		return keep(s.scanOutcomeHistory(rows, card.Referrals)) // the referrals came before
	})
	queue(b, contactsQuery(cardCase), pgx.StrictNamedArgs{"offset": 0, "limit": kim.CardContacts}).Query(func(rows pgx.Rows) (err error) {
		card.Contacts, err = pgx.CollectRows(rows, s.scanContact)
		return keep(err)
	})
	queue(b, `SELECT count(*) FROM contacts WHERE case_id = `+cardCase, none).QueryRow(func(row pgx.Row) error {
		return keep(row.Scan(&card.ContactCount))
	})
	queue(b, caseTransitionsQuery(cardCase), none).Query(func(rows pgx.Rows) (err error) {
		card.Transitions, err = scanCaseTransitions(rows)
		return keep(err)
	})
	err := s.pool.SendBatch(ctx, b).Close()
	audited, auditErr := audit() // waits for the audit row's commit
	switch {
	case err != nil:
		return kim.Card{}, fmt.Errorf("store: unable to read case: %w", err)
	case auditErr != nil:
		return kim.Card{}, auditErr
	}
	if err := who.done(); err != nil {
		return kim.Card{}, err
	}
	if scan.err != nil {
		return kim.Card{}, fmt.Errorf("store: unable to read case: %w", scan.err)
	}
	if !found || (!s.dry && audited != card.Case.ID) {
		return kim.Card{}, kim.Errorf(kim.ENOTFOUND, "err.case_not_found", map[string]any{"Ref": ref})
	}
	return card, nil
}

// auditCardRead writes the audit row of a card read on a connection of its
// own while the card's batch reads on another, and returns a function that
// waits for the row's commit and gives the id of the case it names (0 when
// the actor may not see the case ref, or in a dry run, which writes none).
//
// The reads need no flush of the write-ahead log and the audit row's commit
// does; after an idle gap each takes about as long as the other, so side by
// side a card takes the longer of the two instead of their sum. Card shows
// the case only when the audit row names it: the row is durable before
// anything of the case leaves the store, and a read whose access changed
// between the two statements shows nothing. The reverse (the audit row
// written, the case then not found by the reads) records a read that showed
// nothing, which only an access change in the same millisecond can cause.
func (s *Store) auditCardRead(ctx context.Context, a kim.Actor, ref string) func() (int64, error) {
	if s.dry {
		return func() (int64, error) { return 0, nil }
	}
	type result struct {
		id  int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.err = s.pool.QueryRow(ctx, `INSERT INTO audit_log (team_id, actor_id, action, case_id, case_ref)
			SELECT @team, @actor, 'case.read', c.id, c.ref FROM cases c WHERE `+caseAccess+` AND c.ref = @ref
			RETURNING case_id`, accessArgs(a, pgx.StrictNamedArgs{"ref": ref})).Scan(&r.id)
		if r.err == pgx.ErrNoRows {
			r.err = nil
		} else if r.err != nil {
			r.err = fmt.Errorf("store: unable to audit the read: %w", r.err)
		}
		done <- r
	}()
	return func() (int64, error) {
		r := <-done
		return r.id, r.err
	}
}

// cardCaseSetting holds, for the transaction of a Card batch only, the id
// of the case it reads (empty when the actor may not see it); cardCase is
// that id in SQL (NULL when empty, so no row matches). set_config(…, true)
// ends with the transaction, so no later batch on the connection sees it.
const (
	cardCaseSetting = "kimbot.card_case"
	cardCase        = `nullif(current_setting('` + cardCaseSetting + `'), '')::bigint`
)

// maxAssessments bounds the assessments a card reads (one every six months
// makes two a year).
const maxAssessments = 200

// contactsQuery selects contacts of the case whose id is the SQL expression
// caseID, newest first, skipping @offset, at most @limit (scanContact reads
// a row).
func contactsQuery(caseID string) string {
	return `SELECT id, n, kind, coalesce(minutes, 0), contact_on, note_enc FROM contacts
		WHERE case_id = ` + caseID + ` ORDER BY contact_on DESC, n DESC OFFSET @offset LIMIT @limit`
}

func (s *Store) scanContact(r pgx.CollectableRow) (kim.Contact, error) {
	var k kim.Contact
	var on pgtypeDate
	var enc []byte
	err := r.Scan(&k.ID, &k.N, &k.Kind, &k.Minutes, &on, &enc)
	k.On, k.Note = kim.DateOf(on.Time), s.open(enc, ContactNote)
	return k, err
}

// contacts returns contacts of a case, newest first, skipping offset.
func (s *Store) contacts(ctx context.Context, tx pgx.Tx, caseID int64, offset, limit int) ([]kim.Contact, error) {
	rows, err := tx.Query(ctx, contactsQuery("@case"), pgx.StrictNamedArgs{"case": caseID, "offset": offset, "limit": limit})
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, s.scanContact)
}

// outcomeHistoryQuery selects the recorded outcomes of the referrals of the
// case whose id is the SQL expression caseID (scanOutcomeHistory reads them).
func outcomeHistoryQuery(caseID string) string {
	return `SELECT referral_id, id, outcome, outcome_on, note_enc FROM referral_outcomes
		WHERE case_id = ` + caseID + ` ORDER BY id`
}

// scanOutcomeHistory fills the outcome history of refs from rows of
// outcomeHistoryQuery.
func (s *Store) scanOutcomeHistory(rows pgx.Rows, refs []kim.Referral) error {
	byID := map[int64]*kim.Referral{}
	for i := range refs {
		byID[refs[i].ID] = &refs[i]
	}
	var rid int64
	_, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct{}, error) {
		var o kim.OutcomeEntry
		var on pgtypeDate
		var enc []byte
		err := r.Scan(&rid, &o.ID, &o.Outcome, &on, &enc)
		o.On, o.Note = kim.DateOf(on.Time), s.open(enc, ReferralOutcomeNote)
		if f := byID[rid]; f != nil && err == nil {
			f.History = append(f.History, o)
		}
		return struct{}{}, err
	})
	return err
}

// ContactPage is one page of a case's contacts, newest first.
type ContactPage struct {
	Case     kim.Case
	Contacts []kim.Contact
	Total    int
}

// Contacts returns the contacts of a case visible to the actor, newest
// first, skipping offset, and audits the read.
func (s *Store) Contacts(ctx context.Context, a kim.Actor, ref string, offset, limit int) (ContactPage, error) {
	var p ContactPage
	err := s.tx(ctx, func(tx pgx.Tx) error {
		c, err := s.caseFor(ctx, tx, a, ref, false)
		if err != nil {
			return err
		}
		p.Case = c
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM contacts WHERE case_id = $1`, c.ID).Scan(&p.Total); err != nil {
			return err
		}
		if p.Contacts, err = s.contacts(ctx, tx, c.ID, offset, limit); err != nil {
			return err
		}
		return audit(ctx, tx, a, "contact.list", c.ID, c.Ref)
	})
	return p, wrap("unable to read contacts", err)
}

// consentsQuery selects the unrevoked consents of the case whose id is the
// SQL expression caseID, oldest first (scanConsent reads a row).
func consentsQuery(caseID string) string {
	return `SELECT k.scope, coalesce(p.key, ''), coalesce(p.name, ''), k.form, k.granted_on, k.revoked_on FROM consents k
		LEFT JOIN partners p ON p.id = k.partner_id WHERE k.case_id = ` + caseID + ` AND k.revoked_on IS NULL ORDER BY k.id`
}

func scanConsent(r pgx.CollectableRow) (kim.Consent, error) {
	var k kim.Consent
	var g, rv pgtypeDate
	err := r.Scan(&k.Scope, &k.Partner, &k.PartnerName, &k.Form, &g, &rv)
	k.GrantedOn, k.RevokedOn = kim.DateOf(g.Time), dateOf(&rv)
	return k, err
}

// activeConsents returns the unrevoked consents of a case, oldest first.
func activeConsents(ctx context.Context, tx pgx.Tx, caseID int64) ([]kim.Consent, error) {
	rows, err := tx.Query(ctx, consentsQuery("@case"), pgx.StrictNamedArgs{"case": caseID})
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanConsent)
}

// assessmentsQuery selects the latest @n assessments of the case whose id is
// the SQL expression caseID, oldest first (scanAssessment reads a row).
func assessmentsQuery(caseID string) string {
	return `SELECT a.id, a.seq, a.assessed_on, a.note_enc,
			coalesce(json_object_agg(sc.field, sc.score) FILTER (WHERE sc.field IS NOT NULL), '{}')
		FROM (SELECT * FROM assessments WHERE case_id = ` + caseID + ` ORDER BY seq DESC LIMIT @n) a
		LEFT JOIN assessment_scores sc ON sc.assessment_id = a.id
		GROUP BY a.id, a.seq, a.assessed_on, a.note_enc ORDER BY a.seq`
}

func (s *Store) scanAssessment(r pgx.CollectableRow) (kim.Assessment, error) {
	var x kim.Assessment
	var on pgtypeDate
	var enc []byte
	err := r.Scan(&x.ID, &x.Seq, &on, &enc, &x.Scores)
	x.On, x.Note = kim.DateOf(on.Time), s.open(enc, AssessmentNote)
	return x, err
}

// assessments returns the latest n assessments of a case, oldest first.
func (s *Store) assessments(ctx context.Context, tx pgx.Tx, caseID int64, n int) ([]kim.Assessment, error) {
	rows, err := tx.Query(ctx, assessmentsQuery("@case"), pgx.StrictNamedArgs{"case": caseID, "n": n})
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, s.scanAssessment)
}

// teamSettingsQuery selects the defaults of team @team (scanTeamSettings
// reads them).
const teamSettingsQuery = `SELECT monitoring_days, first_assessment_days, reassessment_months, followup_days,
	agenda_lead_workdays, retention_months FROM teams WHERE id = @team`

func scanTeamSettings(row pgx.Row) (kim.TeamSettings, error) {
	var t kim.TeamSettings
	err := row.Scan(&t.MonitoringDays, &t.FirstAssessmentDays, &t.ReassessmentMonths, &t.FollowupDays, &t.AgendaLeadWorkdays, &t.RetentionMonths)
	if err == pgx.ErrNoRows {
		return t, kim.Errorf(kim.ENOTFOUND, "err.team_not_provisioned", nil)
	}
	return t, err
}

// teamSettings reads the team's defaults inside a transaction.
func teamSettings(ctx context.Context, tx querier, teamID string) (kim.TeamSettings, error) {
	return scanTeamSettings(tx.QueryRow(ctx, teamSettingsQuery, pgx.StrictNamedArgs{"team": teamID}))
}

// wrap adds the store prefix to infrastructure errors and passes
// application errors through unchanged.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	if kim.ErrorCode(err) != kim.EINTERNAL {
		return err
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
