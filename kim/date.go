package kim

import (
	"fmt"
	"time"
)

// Date is a calendar day without time zone.
type Date struct{ Y, M, D int }

// DateOf returns the calendar day of t in its own location.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return Date{y, int(m), d} }

// Time returns midnight of the day in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, loc)
}

// UTC returns midnight UTC of the day (for storage as a date).
func (d Date) UTC() time.Time { return d.Time(time.UTC) }

// AddDays returns the day n days later.
func (d Date) AddDays(n int) Date { return DateOf(d.UTC().AddDate(0, 0, n)) }

// AddMonths returns the day n months later (normalised like time.AddDate).
func (d Date) AddMonths(n int) Date { return DateOf(d.UTC().AddDate(0, n, 0)) }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.UTC().Before(o.UTC()) }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.UTC().After(o.UTC()) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// DaysUntil returns the number of days from d to o (negative if o is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.UTC().Sub(d.UTC()).Hours() / 24) }

// String returns YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Y, d.M, d.D) }

// German returns DD.MM.YYYY.
func (d Date) German() string { return fmt.Sprintf("%02d.%02d.%04d", d.D, d.M, d.Y) }

// Format returns the date in the usual form of the language.
func (d Date) Format(lang string) string {
	if lang == "en" {
		return d.String()
	}
	return d.German()
}

// Later returns the later of two dates.
func Later(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}

// Ptr returns a pointer to a copy of d.
func (d Date) Ptr() *Date { return &d }
