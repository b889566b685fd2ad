package kim

// Phase rules of the Regelkreis (SPEC §2). The stored phase of a case is
// recomputed by every write from the facts below; PhaseOn applies the one
// change that comes with time alone (an assessment falling due), so a read
// on any later day tells the truth without a write.
//
//	closed        the case is closed
//	intake        no assessment yet                      → assessment once the first assessment is due
//	planning      assessed, no open goal, no referral waiting for its outcome
//	linking       a referral waits for its outcome, or goals are agreed and nothing has happened since
//	monitoring    open goals, no referral waiting, and a referral came back or a contact
//	              was logged on or after the latest goal or referral
//	reassessment  assessed and the re-assessment is due (overrides planning, linking, monitoring)

// PhaseFacts are what the phase of a case depends on.
type PhaseFacts struct {
	Closed            bool
	Assessments       int   // number of assessments so far
	OpenGoals         int   // goals with status open
	PendingReferrals  int   // referrals without an outcome
	ResolvedReferrals int   // referrals with an outcome other than pending
	LastPlanChange    Date  // latest day a goal was added or a referral made (zero: none)
	LastContact       Date  // latest contact day (zero: none)
	NextAssessment    *Date // first assessment or re-assessment due date
	Today             Date
}

// PhaseOf returns the phase of a case with these facts on f.Today.
func PhaseOf(f PhaseFacts) string {
	if f.Closed {
		return "closed"
	}
	var base string
	switch {
	case f.Assessments == 0:
		base = "intake"
	case f.PendingReferrals > 0:
		base = "linking"
	case f.OpenGoals == 0:
		base = "planning"
	case f.ResolvedReferrals > 0 || (!f.LastContact.IsZero() && !f.LastContact.Before(f.LastPlanChange)):
		base = "monitoring"
	default:
		base = "linking"
	}
	return PhaseOn(base, f.NextAssessment, f.Today)
}

// PhaseOn returns the phase a case with stored phase has on day today: an
// assessment that has fallen due turns intake into assessment and planning,
// linking or monitoring into reassessment.
func PhaseOn(stored string, nextAssessment *Date, today Date) string {
	due := nextAssessment != nil && !nextAssessment.After(today)
	switch stored {
	case "intake", "assessment":
		if due {
			return "assessment"
		}
		return "intake"
	case "planning", "linking", "monitoring", "reassessment":
		if due {
			return "reassessment"
		}
		if stored == "reassessment" {
			return "monitoring" // only reachable if a date moved without a write
		}
	}
	return stored
}

// Absence is a coach's absence with the deputy who holds their cases.
type Absence struct {
	ID         int64
	From, To   Date
	DeputyID   string
	DeputyName string
}

// ScoreChange is one life field of a re-assessment compared with the
// previous assessment; Before is 0 when the field was not assessed then.
type ScoreChange struct {
	Field  LifeField
	Before int
	After  int
}

// Changes compares an assessment with the previous one (nil for the first)
// and returns one entry per field of cur, in the order of LifeFields.
func Changes(prev *Assessment, cur Assessment) []ScoreChange {
	var out []ScoreChange
	for _, f := range LifeFields {
		n, ok := cur.Scores[f]
		if !ok {
			continue
		}
		c := ScoreChange{Field: f, After: n}
		if prev != nil {
			c.Before = prev.Scores[f]
		}
		out = append(out, c)
	}
	return out
}

// FieldScore is the latest score of one life field: from which assessment
// (its number and day), and the field's score in the assessment before
// that one that scored it (Prev 0: none).
type FieldScore struct {
	Field LifeField
	Score int
	On    Date
	Seq   int
	Prev  int
}

// LatestScores returns, for every life field that any of the assessments
// (oldest first) scored, its latest score, in the order of LifeFields. A
// re-assessment that scores only some fields leaves the others at their
// earlier score and day.
func LatestScores(assessments []Assessment) []FieldScore {
	latest := map[LifeField]FieldScore{}
	for _, a := range assessments {
		for f, n := range a.Scores {
			prev := 0
			if old, ok := latest[f]; ok {
				prev = old.Score
			}
			latest[f] = FieldScore{Field: f, Score: n, On: a.On, Seq: a.Seq, Prev: prev}
		}
	}
	var out []FieldScore
	for _, f := range LifeFields {
		if s, ok := latest[f]; ok {
			out = append(out, s)
		}
	}
	return out
}
