package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
)

// digestHour is the default digest time of a coach (08:00); a date without a time means it.
const digestHour = 8

// remindLayouts are the forms remind accepts, read in Europe/Berlin.
var remindLayouts = []string{
	"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05",
	"02.01.2006 15:04", "2.1.2006 15:04",
}

var relativeDays = regexp.MustCompile(`^\+(\d{1,4})d(?:\s+(\d{1,2}:\d{2}))?$`)

// parseRemindTime reads the time of a reminder pass: a date and time in Europe/Berlin
// ("2026-03-02 08:00", "02.03.2026 08:00"), a date alone (08:00 that day), "+14d [HH:MM]" (days
// after today in Berlin, 08:00 unless given), or an RFC 3339 time. The result is in Europe/Berlin.
func parseRemindTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(kim.Berlin), nil
	}
	if m := relativeDays.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		day := kim.DateOf(now.In(kim.Berlin)).AddDays(n)
		if m[2] == "" {
			return at(day, digestHour), nil
		}
		return parseRemindTime(fmt.Sprintf("%04d-%02d-%02d %s", day.Y, day.M, day.D, m[2]), now)
	}
	for _, layout := range remindLayouts {
		if t, err := time.ParseInLocation(layout, s, kim.Berlin); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err := time.ParseInLocation(layout, s, kim.Berlin); err == nil {
			return at(kim.DateOf(t), digestHour), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time like 2026-03-02 08:00, 02.03.2026 08:00, 2026-03-02 or +14d", s)
}

// suggestRemind is a reminder pass worth trying at now: 08:00 in Berlin on the first working day
// in NRW at least 14 days ahead, when a case opened today has its first assessment due.
func suggestRemind(now time.Time) time.Time {
	day := kim.Workday(kim.DateOf(now.In(kim.Berlin)).AddDays(14))
	return at(day, digestHour)
}

// at is the full hour h of day d in Europe/Berlin (midnight plus h hours is not, on the days the
// clocks change).
func at(d kim.Date, h int) time.Time {
	return time.Date(d.Y, time.Month(d.M), d.D, h, 0, 0, 0, kim.Berlin)
}
