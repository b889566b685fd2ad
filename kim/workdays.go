package kim

import (
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/de"
)

// nrw is the working-day calendar of North Rhine-Westphalia: Monday to
// Friday without the public holidays of Nordrhein-Westfalen. It is not
// cacheable, so concurrent use only reads.
var nrw = func() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(de.HolidaysNW...)
	return c
}()

// IsWorkday reports whether d is a working day in NRW (Monday to Friday, no
// public holiday).
func IsWorkday(d Date) bool { return nrw.IsWorkday(d.UTC()) }

// Holiday returns the name of the NRW public holiday on d, or "".
func Holiday(d Date) string {
	if _, obs, h := nrw.IsHoliday(d.UTC()); obs && h != nil {
		return h.Name
	}
	return ""
}

// Workday returns the first working day on or after d: where kimbot
// computes a date (the next monitoring, an assessment, a follow-up, a
// transition step, a snooze), a weekend or holiday moves to it.
func Workday(d Date) Date {
	for !IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkdays returns the working day n working days after d (before it for
// negative n); AddWorkdays(d, 0) is Workday(d). For example, the agenda
// of a meeting on day m is due on AddWorkdays(m, -2).
func AddWorkdays(d Date, n int) Date {
	if n == 0 {
		return Workday(d)
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if IsWorkday(d) {
			n--
		}
	}
	return d
}
