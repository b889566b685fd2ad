package kim

import "testing"

func TestSpanFrom(t *testing.T) {
	for _, tc := range []struct {
		s    Span
		from Date
		want Date
		days int
	}{
		{Span{14, Days}, Date{2026, 11, 23}, Date{2026, 12, 7}, 14},
		{Span{6, Weeks}, Date{2026, 11, 23}, Date{2027, 1, 4}, 42},
		{Span{1, Months}, Date{2026, 11, 23}, Date{2026, 12, 23}, 30},
		{Span{1, Months}, Date{2026, 12, 23}, Date{2027, 1, 23}, 31},
		{Span{1, Months}, Date{2027, 2, 1}, Date{2027, 3, 1}, 28},
		{Span{1, Months}, Date{2026, 1, 31}, Date{2026, 3, 3}, 31}, // normalised like time.AddDate
		{Span{6, Months}, Date{2026, 8, 31}, Date{2027, 3, 3}, 184},
		{Span{36, Months}, Date{2027, 3, 1}, Date{2030, 3, 1}, 1096},
	} {
		if got := tc.s.From(tc.from); got != tc.want {
			t.Errorf("%v from %s = %s, want %s", tc.s, tc.from, got, tc.want)
		}
		if got := tc.s.Days(tc.from); got != tc.days {
			t.Errorf("%v from %s covers %d days, want %d", tc.s, tc.from, got, tc.days)
		}
	}
}

func TestSpanValid(t *testing.T) {
	for _, tc := range []struct {
		s    Span
		want bool
	}{
		{Span{1, Days}, true}, {Span{0, Days}, false}, {Span{MaxAheadDays, Days}, true}, {Span{MaxAheadDays + 1, Days}, false},
		{Span{156, Weeks}, true}, {Span{157, Weeks}, false},
		{Span{3, Months}, true}, {Span{36, Months}, true}, {Span{37, Months}, false}, {Span{99, Months}, false},
		{Span{3, 'y'}, false},
	} {
		if got := tc.s.Valid(); got != tc.want {
			t.Errorf("%v valid = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// A valid span ends no later than LatestAhead from every day it may start
// on, and the next larger span of its unit does not from some day: Valid is
// "at most three years ahead", not a guess at a month's length.
func TestSpanValidMeansThreeYearsAhead(t *testing.T) {
	for _, unit := range []byte{Days, Weeks, Months} {
		largest := Span{maxSpan[unit], unit}
		beyond := Span{maxSpan[unit] + 1, unit}
		fitsAlways, beyondSometimes := true, false
		for d := (Date{2024, 1, 1}); d.Before(Date{2032, 1, 1}); d = d.AddDays(1) {
			fitsAlways = fitsAlways && !largest.From(d).After(LatestAhead(d))
			beyondSometimes = beyondSometimes || beyond.From(d).After(LatestAhead(d))
		}
		if !fitsAlways || !beyondSometimes {
			t.Errorf("unit %c: %v always fits %v, %v sometimes beyond %v", unit, largest, fitsAlways, beyond, beyondSometimes)
		}
	}
}
