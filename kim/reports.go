package kim

// Report dimensions of /kim report by=….
const (
	ByNone    = ""
	ByOrg     = "org"
	ByGroup   = "group"
	ByDomain  = "domain"
	ByField   = "field"
	ByPartner = "partner"
)

// ReportBys lists the by= choices.
var ReportBys = []string{ByOrg, ByGroup, ByDomain, ByField, ByPartner}

// Period is a reporting period of whole days, From and To included.
type Period struct {
	From, To Date
	Label    string // as typed and normalised: 2026, 2026-Q3, 2026-10
}

// Count is a figure with the number of distinct cases behind it; reports
// suppress it when Cases is small.
type Count struct {
	N     int64
	Cases int64
}

// Add returns the sum of two counts (cases summed, an upper bound).
func (c Count) Add(o Count) Count { return Count{c.N + o.N, c.Cases + o.Cases} }

// Stat is a derived figure (a median or a mean) over Cases cases; Cases 0
// means there is no value.
type Stat struct {
	Value float64
	Cases int64
}

// ReportData is what the store computes for one report: raw counts with
// their case numbers, before any suppression.
type ReportData struct {
	Period Period
	AsOf   Date   // the day "open" is measured on: the period's end or today
	Team   bool   // team-wide (coordinators, admins) or the caller's own cases
	By     string // one of ReportBys or ByNone
	// Rows are the case figures per value of By (org, group, domain); one
	// row with Dim "" otherwise.
	Rows          []CaseRow
	Fields        []FieldRow    // goals and re-assessment change per life field
	Referrals     []ReferralRow // per partner
	DomainChanges []DomainChangeRow
	Barriers      []BarrierRow // per partner or topic
}

// CaseRow is the case figures of one value of the report's dimension.
type CaseRow struct {
	Dim           string
	New           Count
	Open          Count
	Closed        Count
	ClosedBy      map[string]Count // by close reason
	Contacts      Count
	Minutes       Count
	Assessments   Count // first assessments
	Reassessments Count
	GoalsSet      Count
	GoalsDone     Count
	Referrals     Count
	DomainChanges Count
	Barriers      Count
}

// FieldRow is the figures of one life field.
type FieldRow struct {
	Field     LifeField
	GoalsSet  Count
	GoalsDone Count
	// Change is the mean change of the field's score at re-assessments in
	// the period against the assessment before (positive: better).
	Change Stat
}

// ReferralRow is the referrals to one partner in the period.
type ReferralRow struct {
	Partner   string // key
	Name      string
	Total     Count
	ByOutcome map[string]Count
	// MedianDays is the median number of days from referral to outcome of
	// the referrals that have one.
	MedianDays Stat
}

// DomainChangeRow counts one kind of Rechtskreiswechsel.
type DomainChangeRow struct {
	From, To string
	Count    Count
	// MedianDays is the median number of days from the change until its
	// last step was done, over the changes of the period whose steps were
	// all done by the as-of day.
	MedianDays Stat
	// Overdue is the steps of this pair that were due before the as-of day
	// and still open on it (in cases open then), whenever the change was.
	Overdue Count
}

// BarrierRow counts the barriers of one partner or topic.
type BarrierRow struct {
	Label string
	Topic bool
	Count Count
}
