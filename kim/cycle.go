package kim

// The steps of the case cycle as pure rules. A store transaction locks what
// a step depends on, calls the step's function here, and writes what it
// returns; the refusals (code and message id) are the ones users see.

// Limits of one case.
const (
	MaxGoals     = 50  // goals of the Integrationsvereinbarung
	MaxReferrals = 100 // referrals
)

// The dates kimbot computes fall on working days (Workday): a date that
// would be a weekend or an NRW public holiday is the next working day, the
// day the coach's digest brings it. Dates set by hand stay as typed.

// NextMonitoring returns the monitoring date after a contact (or an
// opening) on day from.
func (t TeamSettings) NextMonitoring(from Date) Date { return Workday(from.AddDays(t.MonitoringDays)) }

// FirstAssessment returns the due date of the first assessment of a case
// opened on day from.
func (t TeamSettings) FirstAssessment(from Date) Date {
	return Workday(from.AddDays(t.FirstAssessmentDays))
}

// NextReassessment returns the re-assessment date after an assessment on
// day from (calendar months).
func (t TeamSettings) NextReassessment(from Date) Date {
	return Workday(from.AddMonths(t.ReassessmentMonths))
}

// NextFollowup returns the follow-up date of a referral made (or set
// pending again) on day from.
func (t TeamSettings) NextFollowup(from Date) Date { return Workday(from.AddDays(t.FollowupDays)) }

// MaxBackdateDays is how far back a case may be opened with its real
// intake date.
const MaxBackdateDays = 90

// NewCase returns the dates and phase of a case opened on day opened (its
// real intake date), recorded on day today: the first monitoring and the
// first assessment fall due counted from the intake. An intake date in the
// future or more than MaxBackdateDays before today is refused.
func NewCase(set TeamSettings, opened, today Date) (Case, error) {
	if err := checkIntake(opened, today); err != nil {
		return Case{}, err
	}
	return Case{Phase: "intake", OpenedOn: opened, NextMonitoring: set.NextMonitoring(opened).Ptr(),
		NextAssessment: set.FirstAssessment(opened).Ptr()}, nil
}

// checkIntake refuses an intake day in the future or more than
// MaxBackdateDays before today.
func checkIntake(opened, today Date) error {
	if err := CheckNotFuture("date", opened, today); err != nil {
		return err
	}
	if earliest := today.AddDays(-MaxBackdateDays); opened.Before(earliest) {
		return Errorf(EINVALID, "open.date_too_early",
			map[string]any{"Field": "date", "Max": MaxBackdateDays, "Date": opened, "Earliest": earliest})
	}
	return nil
}

// MoveIntake returns case c with its intake day corrected to on, as
// NewCase would take it (checkIntake) and not after first, the earliest day
// already recorded in the case (nil: none). Its dates are the store's to
// recompute.
func MoveIntake(c Case, on Date, first *Date, today Date) (Case, error) {
	if err := checkIntake(on, today); err != nil {
		return c, err
	}
	if first != nil && on.After(*first) {
		return c, Errorf(EINVALID, "case.intake_after_record", map[string]any{"Field": "date", "Ref": c.Ref, "Date": on, "First": *first})
	}
	c.OpenedOn = on
	return c, nil
}

// Close returns case c closed on day today (never before it was opened)
// with reason and note: phase closed, no next dates. A closed case is
// refused.
func Close(c Case, reason, note string, today Date) (Case, error) {
	if !c.Open() {
		return c, Errorf(ECONFLICT, "casework.closed", map[string]any{"Ref": c.Ref})
	}
	c.ClosedOn, c.CloseReason, c.CloseNote, c.Phase = Later(today, c.OpenedOn).Ptr(), reason, note, "closed"
	c.NextMonitoring, c.NextAssessment = nil, nil
	return c, nil
}

// Reopen returns closed case c reopened on day today: monitoring is due
// after the team's interval, the re-assessment after the last assessment
// (lastAssessed), or the first assessment as for a new case when there is
// none. An open case is refused.
func Reopen(c Case, lastAssessed *Date, set TeamSettings, today Date) (Case, error) {
	if c.Open() {
		return c, Errorf(ECONFLICT, "reopen.not_closed", map[string]any{"Ref": c.Ref})
	}
	next := set.FirstAssessment(today)
	if lastAssessed != nil {
		next = set.NextReassessment(*lastAssessed)
	}
	c.ClosedOn, c.CloseReason, c.CloseNote, c.Phase = nil, "", "", "intake"
	c.NextMonitoring, c.NextAssessment = set.NextMonitoring(today).Ptr(), &next
	return c, nil
}

// ChangeDomain returns case c in legal domain domain since day since (a
// Rechtskreiswechsel); last is the day of the previous change (nil: none).
func ChangeDomain(c Case, domain string, since Date, last *Date, today Date) (Case, error) {
	if c.Domain == domain {
		return c, Errorf(ECONFLICT, "domain.same", map[string]any{"Ref": c.Ref, "Domain": domain})
	}
	// Mostly a case opened in the old domain after the change: the opening
	// is to be corrected (case edit), not a change recorded.
	if err := checkChangeDay(c, domain, since, last, today, "domain.before_open"); err != nil {
		return c, err
	}
	c.Domain = domain
	return c, nil
}

// MoveChange checks since as the corrected day of case c's latest change
// of legal domain, into domain; last is the day of the change before it
// (nil: none). Before the intake, the change is to be deleted and the
// opening corrected (case edit refuses while a change exists).
func MoveChange(c Case, domain string, since Date, last *Date, today Date) error {
	return checkChangeDay(c, domain, since, last, today, "domain.move_before_open")
}

// checkChangeDay refuses a day of a change of legal domain into domain in
// the future, before the change before it (last), or, for the first,
// before the intake (the error beforeOpen).
func checkChangeDay(c Case, domain string, since Date, last *Date, today Date, beforeOpen string) error {
	if last == nil && since.Before(c.OpenedOn) {
		return Errorf(EINVALID, beforeOpen, map[string]any{"Field": "since", "Ref": c.Ref, "Date": since, "Opened": c.OpenedOn, "Domain": domain})
	}
	if err := CheckPastDay("since", since, c, today); err != nil {
		return err
	}
	if last != nil {
		return checkNotBefore("domain.before_last", "since", since, "Last", *last)
	}
	return nil
}

// SetDue returns case c with its next monitoring ("monitoring") or
// assessment ("assessment") date set by hand to day on.
func SetDue(c Case, which string, on, today Date) (Case, error) {
	if which != "monitoring" && which != "assessment" {
		return c, Errorf(EINVALID, "err.bad_value", map[string]any{"Name": "which", "Value": which})
	}
	if err := CheckFutureDay("date", on, today); err != nil {
		return c, err
	}
	if which == "monitoring" {
		c.NextMonitoring = &on
	} else {
		c.NextAssessment = &on
	}
	return c, nil
}

// CheckTransfer refuses handing case c from actor to its own owner.
func CheckTransfer(c Case, actorID, toUserID string) error {
	if toUserID != c.OwnerID {
		return nil
	}
	if toUserID == actorID {
		return Errorf(ECONFLICT, "transfer.self", nil)
	}
	return Errorf(ECONFLICT, "transfer.same", map[string]any{"Ref": c.Ref})
}

// LogContact checks contact k of case c and returns the next monitoring
// date: the team's interval after the latest contact, which is k or
// latest (the latest contact before k; nil: none).
func LogContact(c Case, k Contact, latest *Date, set TeamSettings, today Date) (Date, error) {
	if err := CheckPastDay("date", k.On, c, today); err != nil {
		return Date{}, err
	}
	last := k.On
	if latest != nil {
		last = Later(last, *latest)
	}
	return set.NextMonitoring(last), nil
}

// KeepsByHand reports whether a next date set by hand (byHand; nil: none)
// stands after a contact or an assessment was corrected or deleted: the
// case's date (current) is still that one, and the latest contact or
// assessment that remains (latest; nil: none) lies before it, so what the
// date asks for is still to come. Otherwise the date is computed again.
func KeepsByHand(current, byHand, latest *Date) bool {
	return byHand != nil && current != nil && *current == *byHand && (latest == nil || latest.Before(*byHand))
}

// NewAssessment checks assessment x of case c after prev (nil: x is the
// first) and returns it with the next re-assessment date. Its number is the
// store's: one more than any the case has given.
func NewAssessment(c Case, prev *Assessment, x Assessment, set TeamSettings, today Date) (Assessment, Date, error) {
	if len(x.Scores) == 0 {
		return x, Date{}, Errorf(EINVALID, "assess.no_scores", map[string]any{"Field": "scores"})
	}
	if err := CheckPastDay("date", x.On, c, today); err != nil {
		return x, Date{}, err
	}
	if prev != nil {
		if err := checkNotBefore("assess.before_last", "date", x.On, "Last", prev.On); err != nil {
			return x, Date{}, err
		}
	}
	return x, set.NextReassessment(x.On), nil
}

// CorrectAssessment checks a correction of assessment x of case c, which
// lies between prev and next (nil: none), and returns x changed: scores
// replaced or added per field, the note when note is not nil, the day when
// on is not nil — within the rules of recording (not in the future, not
// before the intake, not before prev) and not after next, so the
// assessments stay in the order of their numbers.
func CorrectAssessment(c Case, prev, next *Assessment, x Assessment, scores map[LifeField]int, note *string, on *Date, today Date) (Assessment, error) {
	if len(scores) == 0 && note == nil && on == nil {
		return x, Errorf(EINVALID, "assessment.nothing", map[string]any{"Ref": c.Ref, "N": x.Seq})
	}
	if on != nil {
		if err := CheckPastDay("date", *on, c, today); err != nil {
			return x, err
		}
		if prev != nil {
			if err := checkNotBefore("assess.before_last", "date", *on, "Last", prev.On); err != nil {
				return x, err
			}
		}
		if next != nil && on.After(next.On) {
			return x, Errorf(EINVALID, "assess.after_next", map[string]any{"Field": "date", "Date": *on, "N": next.Seq, "Next": next.On})
		}
		x.On = *on
	}
	merged := make(map[LifeField]int, len(x.Scores)+len(scores))
	for f, n := range x.Scores {
		merged[f] = n
	}
	for f, n := range scores {
		merged[f] = n
	}
	x.Scores = merged
	if note != nil {
		x.Note = *note
	}
	return x, nil
}

// HasConsent reports whether consents hold an unrevoked consent for the
// partner with key partnerKey.
func HasConsent(consents []Consent, partnerKey string) bool {
	for _, k := range consents {
		if k.Scope == "partner" && k.Partner == partnerKey && k.RevokedOn == nil {
			return true
		}
	}
	return false
}

// CheckRevoke refuses a revocation of consent on day on for case c: a
// partner consent (partner set) of a closed case, or a day in the future.
// Revoking consent to processing is possible on a closed case (it erases it).
func CheckRevoke(c Case, partner bool, on, today Date) error {
	if partner && !c.Open() {
		return Errorf(ECONFLICT, "casework.closed", map[string]any{"Ref": c.Ref})
	}
	return CheckNotFuture("date", on, today)
}

// Revoke returns consent k revoked on day on, which must not be before it
// was granted.
func Revoke(k Consent, on Date) (Consent, error) {
	if err := checkNotBefore("consent.revoke_before_grant", "date", on, "Granted", k.GrantedOn); err != nil {
		return k, err
	}
	k.RevokedOn = &on
	return k, nil
}

// NewGoal checks goal g, to be added to the have goals of the case, and
// returns it open (its number is the store's: never one given before).
func NewGoal(g Goal, have int, today Date) (Goal, error) {
	if g.Due != nil {
		if err := CheckFutureDay("due", *g.Due, today); err != nil {
			return g, err
		}
	}
	if have >= MaxGoals {
		return g, Errorf(ECONFLICT, "goal.too_many", map[string]any{"Max": MaxGoals})
	}
	g.Status = "open"
	return g, nil
}

// Open reports whether the goal is neither reached nor dropped.
func (g Goal) Open() bool { return g.Status == "open" }

// CloseGoal returns goal g reached (status "done") or dropped ("dropped")
// on day today. A goal that is not open any more is refused. /kim goal and
// the reminder's done button both close goals with it.
func CloseGoal(g Goal, status string, today Date) (Goal, error) {
	if !g.Open() {
		return g, Errorf(ECONFLICT, "goal.not_open."+g.Status, map[string]any{"N": g.N})
	}
	g.Status, g.ClosedOn = status, &today
	return g, nil
}

// ReopenGoal returns goal g open again, reached or dropped by mistake.
func ReopenGoal(g Goal) (Goal, error) {
	if g.Open() {
		return g, Errorf(ECONFLICT, "goal.already_open", map[string]any{"N": g.N})
	}
	g.Status, g.ClosedOn = "open", nil
	return g, nil
}

// NewReferral returns the referral of case c to partner p, to be the case's
// referral number n, made on day today. It is refused without consent for
// p among consents (the case's unrevoked ones). followup nil means the
// team's follow-up interval from today.
func NewReferral(c Case, p Partner, consents []Consent, reason string, followup *Date, n int, set TeamSettings, today Date) (Referral, error) {
	if !HasConsent(consents, p.Key) {
		return Referral{}, Errorf(EFORBIDDEN, "refer.no_consent", map[string]any{"Ref": c.Ref, "Partner": p.Name, "Key": p.Key, "Field": "partner"})
	}
	if followup == nil {
		followup = set.NextFollowup(today).Ptr()
	} else if err := CheckFutureDay("followup", *followup, today); err != nil {
		return Referral{}, err
	}
	if n > MaxReferrals {
		return Referral{}, Errorf(ECONFLICT, "refer.too_many", map[string]any{"Max": MaxReferrals})
	}
	return Referral{N: n, Partner: p, Reason: reason, On: today, Followup: followup, Outcome: "pending"}, nil
}

// SetOutcome returns referral f with outcome and note recorded on day
// today. "pending" again clears the outcome day and sets a new follow-up
// after the team's interval; any other outcome keeps the follow-up date.
func SetOutcome(f Referral, outcome, note string, set TeamSettings, today Date) Referral {
	f.Outcome, f.Note = outcome, note
	if outcome == "pending" {
		f.OutcomeOn, f.Followup = nil, set.NextFollowup(today).Ptr()
		return f
	}
	f.OutcomeOn = &today
	return f
}
