package kim

// The day checks of the case cycle: a day that happened already (a contact,
// an assessment, a consent, a Rechtskreiswechsel) lies neither in the
// future nor before the case was opened; a day that is planned (a due date,
// a follow-up) lies neither in the past nor more than three years ahead.

// How far ahead a date set by hand may lie: three years, counted
// generously as 3 × 366 days.
const (
	MaxAheadYears = 3
	MaxAheadDays  = MaxAheadYears * 366
)

// LatestAhead returns the last day a date set on day today may lie on.
func LatestAhead(today Date) Date { return today.AddDays(MaxAheadDays) }

// CheckNotFuture refuses a day after today (casework.date_future).
func CheckNotFuture(field string, d, today Date) error {
	if d.After(today) {
		return Errorf(EINVALID, "casework.date_future", map[string]any{"Field": field, "Date": d})
	}
	return nil
}

// CheckPastDay refuses a day after today or before case c was opened.
func CheckPastDay(field string, d Date, c Case, today Date) error {
	if err := CheckNotFuture(field, d, today); err != nil {
		return err
	}
	if d.Before(c.OpenedOn) {
		return Errorf(EINVALID, "casework.date_before_open", map[string]any{"Field": field, "Ref": c.Ref, "Date": d, "Opened": c.OpenedOn})
	}
	return nil
}

// CheckFutureDay refuses a planned day before today or after
// LatestAhead(today).
func CheckFutureDay(field string, d, today Date) error {
	if d.Before(today) {
		return Errorf(EINVALID, "casework.date_past", map[string]any{"Field": field, "Date": d})
	}
	if d.After(LatestAhead(today)) {
		return Errorf(EINVALID, "casework.date_far", map[string]any{"Field": field, "Date": d})
	}
	return nil
}

// checkNotBefore refuses day d before the day last of an earlier record
// (key names the refusal, name the earlier day's template field).
func checkNotBefore(key, field string, d Date, name string, last Date) error {
	if d.Before(last) {
		return Errorf(EINVALID, key, map[string]any{"Field": field, "Date": d, name: last})
	}
	return nil
}
