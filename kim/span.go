package kim

// Span is kimbot's one duration: a number of days, weeks or calendar
// months, as typed in "14d", "6w" or "3m". A month is always a calendar
// month (Date.AddMonths), never 30 or 31 days.
type Span struct {
	N    int
	Unit byte // 'd', 'w', 'm'
}

// Span units.
const (
	Days   byte = 'd'
	Weeks  byte = 'w'
	Months byte = 'm'
)

// From returns the day the span ends when it starts on d.
func (s Span) From(d Date) Date {
	switch s.Unit {
	case Weeks:
		return d.AddDays(7 * s.N)
	case Months:
		return d.AddMonths(s.N)
	}
	return d.AddDays(s.N)
}

// Days returns the number of days the span covers when it starts on d (a
// month from 23.11. is 30 days, from 23.12. 31).
func (s Span) Days(from Date) int { return from.DaysUntil(s.From(from)) }

// maxSpan is the largest N per unit whose span, from any day, ends no
// later than LatestAhead of that day: 36 calendar months are at most 1096
// days, 156 weeks 1092.
var maxSpan = map[byte]int{Days: MaxAheadDays, Weeks: MaxAheadDays / 7, Months: MaxAheadYears * 12}

// Valid reports whether s is a known unit, at least one of it, and at
// most three years ahead wherever it starts.
func (s Span) Valid() bool { return s.N >= 1 && s.N <= maxSpan[s.Unit] }
