// Package reports turns the raw figures of a report into what people read:
// tables with small cells suppressed, a CSV file and a PNG chart. Pure
// logic: no SQL, no HTTP, no Mattermost.
package reports

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
)

var periodRE = regexp.MustCompile(`^(\d{4})(?:-(?:[Qq]([1-4])|(\d{2})))?$`)

// ParsePeriod reads a report period: "" (the current year), "2026" (a
// year), "2026-Q3" (a quarter) or "2026-10" (a month). Years outside
// 2000–2099, months outside 1–12 and periods that begin after today are
// refused with an application error.
func ParsePeriod(s string, today kim.Date) (kim.Period, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Begun(nil, today)
	}
	p, ok := PeriodOf(s)
	if !ok {
		return kim.Period{}, kim.Errorf(kim.EINVALID, "report.bad_period", map[string]any{"Value": clip(s, 20)})
	}
	return Begun(&p, today)
}

// PeriodOf reads "2026" (a year), "2026-Q3" (a quarter) or "2026-10" (a
// month); ok is false for anything else, years outside 2000–2099 and
// months outside 1–12.
func PeriodOf(s string) (p kim.Period, ok bool) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil {
		return p, false
	}
	y, _ := strconv.Atoi(m[1])
	if y < 2000 || y > 2099 {
		return p, false
	}
	switch {
	case m[2] != "":
		q, _ := strconv.Atoi(m[2])
		p.From = kim.Date{Y: y, M: 3*q - 2, D: 1}
		p.To = p.From.AddMonths(3).AddDays(-1)
		p.Label = fmt.Sprintf("%04d-Q%d", y, q)
	case m[3] != "":
		mo, _ := strconv.Atoi(m[3])
		if mo < 1 || mo > 12 {
			return p, false
		}
		p.From = kim.Date{Y: y, M: mo, D: 1}
		p.To = p.From.AddMonths(1).AddDays(-1)
		p.Label = fmt.Sprintf("%04d-%02d", y, mo)
	default:
		p.From, p.To, p.Label = kim.Date{Y: y, M: 1, D: 1}, kim.Date{Y: y, M: 12, D: 31}, fmt.Sprintf("%04d", y)
	}
	return p, true
}

// Begun returns p, or the current year when p is nil; a period that begins
// after today is refused with an application error.
func Begun(p *kim.Period, today kim.Date) (kim.Period, error) {
	if p == nil {
		y, _ := PeriodOf(strconv.Itoa(today.Y))
		p = &y
	}
	if p.From.After(today) {
		return kim.Period{}, kim.Errorf(kim.EINVALID, "report.future_period", map[string]any{"Value": p.Label, "Today": today})
	}
	return *p, nil
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
