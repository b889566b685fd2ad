package kim

import "time"

// Clock is kimbot's one source of the current time. cmd/kimbot builds it
// once and passes it to commands, reminders and bot; tests pass one they set
// (internal/testenv.Clock). As in riverqueue/river, queries that write or
// compare a wall-clock time take NowOrNil as a parameter and fall back to
// the database's now() when it is nil, so that in production every replica
// measures leases and backoffs by the same clock.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NowOrNil returns the time for the database to use: nil in production
	// (the database's now() decides), the set time in tests.
	NowOrNil() *time.Time
}

// SystemClock is the production clock: time.Now, and the database's now().
var SystemClock Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time       { return time.Now() }
func (systemClock) NowOrNil() *time.Time { return nil }

// ClockOr returns c, or SystemClock when c is nil.
func ClockOr(c Clock) Clock {
	if c == nil {
		return SystemClock
	}
	return c
}
