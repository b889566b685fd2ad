package kim

import "testing"

func day(y, m, d int) Date { return Date{Y: y, M: m, D: d} }

// Working days are Monday to Friday without the public holidays of NRW
// (and only those of NRW).
func TestIsWorkdayNRW(t *testing.T) {
	for _, c := range []struct {
		d    Date
		want bool
		why  string
	}{
		{day(2026, 11, 23), true, "Monday"},
		{day(2026, 11, 28), false, "Saturday"},
		{day(2026, 11, 29), false, "Sunday"},
		{day(2026, 12, 24), true, "Heiligabend is no public holiday"},
		{day(2026, 12, 25), false, "Weihnachtstag"},
		{day(2027, 1, 1), false, "Neujahr"},
		{day(2026, 4, 3), false, "Karfreitag"},
		{day(2026, 4, 6), false, "Ostermontag"},
		{day(2026, 5, 1), false, "Tag der Arbeit"},
		{day(2026, 5, 14), false, "Christi Himmelfahrt"},
		{day(2026, 5, 25), false, "Pfingstmontag"},
		{day(2026, 6, 4), false, "Fronleichnam (NRW)"},
		{day(2027, 11, 1), false, "Allerheiligen (NRW), a Monday"},
		{day(2025, 10, 31), true, "Reformationstag is not a holiday in NRW"},
		{day(2026, 11, 18), true, "Buß- und Bettag is only a holiday in Saxony"},
		{day(2026, 1, 6), true, "Heilige Drei Könige is not a holiday in NRW"},
		{day(2026, 10, 3), false, "Tag der Deutschen Einheit (a Saturday anyway)"},
	} {
		if got := IsWorkday(c.d); got != c.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", c.d, got, c.want, c.why)
		}
	}
	if h := Holiday(day(2026, 6, 4)); h != "Fronleichnam" {
		t.Errorf("Holiday(2026-06-04) = %q", h)
	}
}

func TestNextAndAddWorkdays(t *testing.T) {
	for _, c := range []struct {
		got, want Date
	}{
		{Workday(day(2026, 12, 24)), day(2026, 12, 24)},
		{Workday(day(2026, 12, 25)), day(2026, 12, 28)},
		{Workday(day(2026, 11, 28)), day(2026, 11, 30)},
		{AddWorkdays(day(2026, 12, 28), -2), day(2026, 12, 23)},
		{AddWorkdays(day(2026, 6, 5), -2), day(2026, 6, 2)}, // over Fronleichnam
		{AddWorkdays(day(2026, 12, 23), 2), day(2026, 12, 28)},
		{AddWorkdays(day(2026, 11, 29), 0), day(2026, 11, 30)},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}
