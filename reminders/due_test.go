package reminders

import (
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
)

func utc(y, mo, d, h, mi int) time.Time {
	return time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC)
}

// The digest is due at the digest time in the user's zone, on working days,
// across daylight-saving changes.
func TestDigestDue(t *testing.T) {
	berlin := kim.User{ID: "u", DigestTime: "08:00"}
	ny := kim.User{ID: "n", DigestTime: "07:30", TimeZone: "America/New_York"}
	early := kim.User{ID: "e", DigestTime: "06:15", TimeZone: "Europe/Berlin"}
	off := kim.User{ID: "o"}
	bogus := kim.User{ID: "b", DigestTime: "08:00", TimeZone: "Mars/Olympus"}
	for _, c := range []struct {
		u       kim.User
		now     time.Time
		due     bool
		day     kim.Date
		why     string
		expires time.Time
	}{
		{berlin, utc(2026, 3, 27, 6, 59), false, day(2026, 3, 27), "Friday 07:59 CET", time.Time{}},
		{berlin, utc(2026, 3, 27, 7, 0), true, day(2026, 3, 27), "Friday 08:00 CET", utc(2026, 3, 27, 23, 0)},
		{berlin, utc(2026, 3, 30, 5, 59), false, day(2026, 3, 30), "Monday after the change to summer time, 07:59 CEST", time.Time{}},
		{berlin, utc(2026, 3, 30, 6, 0), true, day(2026, 3, 30), "Monday 08:00 CEST", utc(2026, 3, 30, 22, 0)},
		{berlin, utc(2026, 10, 26, 6, 30), false, day(2026, 10, 26), "Monday after the change to winter time, 07:30 CET", time.Time{}},
		{berlin, utc(2026, 10, 26, 7, 0), true, day(2026, 10, 26), "Monday 08:00 CET", time.Time{}},
		{berlin, utc(2026, 3, 28, 12, 0), false, day(2026, 3, 28), "Saturday", time.Time{}},
		{berlin, utc(2026, 6, 4, 12, 0), false, day(2026, 6, 4), "Fronleichnam", time.Time{}},
		{berlin, utc(2026, 11, 23, 22, 59), true, day(2026, 11, 23), "late evening, still the same day", time.Time{}},
		{berlin, utc(2026, 11, 23, 23, 0), false, day(2026, 11, 24), "after midnight: Tuesday, before 08:00", time.Time{}},
		{early, utc(2026, 11, 24, 5, 15), true, day(2026, 11, 24), "06:15 CET", time.Time{}},
		{ny, utc(2026, 3, 9, 11, 29), false, day(2026, 3, 9), "New York 07:29 EDT (their change came on 8 March)", time.Time{}},
		{ny, utc(2026, 3, 9, 11, 30), true, day(2026, 3, 9), "New York 07:30 EDT", utc(2026, 3, 10, 4, 0)},
		{ny, utc(2026, 3, 10, 3, 0), true, day(2026, 3, 9), "New York 23:00, still Monday there", time.Time{}},
		{off, utc(2026, 11, 23, 12, 0), false, day(2026, 11, 23), "digest off", time.Time{}},
		{bogus, utc(2026, 11, 23, 7, 0), true, day(2026, 11, 23), "unknown zone falls back to Berlin", time.Time{}},
	} {
		d, exp, due := DigestDue(c.u, c.now)
		if due != c.due || d != c.day {
			t.Errorf("%s: DigestDue = %s %v, want %s %v", c.why, d, due, c.day, c.due)
		}
		if !c.expires.IsZero() && !exp.Equal(c.expires) {
			t.Errorf("%s: expires %s, want %s", c.why, exp.UTC(), c.expires)
		}
	}
}

func TestSnoozeUntil(t *testing.T) {
	today := day(2026, 12, 7)
	for _, c := range []struct{ due, want kim.Date }{
		{day(2026, 11, 30), day(2026, 12, 14)}, // overdue: a week from today
		{day(2026, 12, 7), day(2026, 12, 14)},  // due today
		{day(2026, 12, 10), day(2026, 12, 17)}, // not yet due: a week after its date
		{day(2026, 12, 28), day(2027, 1, 4)},   // across the year
		{day(2026, 12, 18), day(2026, 12, 28)}, // a week on is Weihnachtstag: the next working day
	} {
		if got := SnoozeUntil(c.due, today); got != c.want {
			t.Errorf("SnoozeUntil(%s) = %s, want %s", c.due, got, c.want)
		}
	}
}

func TestParseItem(t *testing.T) {
	ref, due, spec, ok := parseItem("t1", []string{"goal", "K-2026-0001", "2", "2026-12-07"})
	if !ok || ref != (kim.ItemRef{Kind: kim.ItemGoal, TeamID: "t1", CaseRef: "K-2026-0001", N: 2}) || due != day(2026, 12, 7) ||
		spec.Kind != kim.ItemGoal || !spec.LabelField {
		t.Fatalf("parseItem = %+v %s %+v %v", ref, due, spec, ok)
	}
	for _, f := range [][]string{
		{"goal", "K-2026-0001", "2"},
		{"bogus", "K-2026-0001", "0", "2026-12-07"},
		{"monitoring", "", "0", "2026-12-07"},        // a case item needs a case
		{"action", "K-2026-0001", "3", "2026-12-07"}, // an action item has none
		{"monitoring", "K-2026-0001", "x", "2026-12-07"},
		{"monitoring", "K-2026-0001", "0", "07.12.2026"},
	} {
		if _, _, _, ok := parseItem("t1", f); ok {
			t.Errorf("parseItem(%q) accepted", f)
		}
	}
}
