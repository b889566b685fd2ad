package commands

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reports"
)

// Report periods as coordinators name them, besides 2026, 2026-Q3 and
// 2026-10 (reports.PeriodOf), folded (foldWords):
var (
	// a month by name, with or without its year: Dezember, Nov. 2026
	periodMonthRE = regexp.MustCompile(`^([a-z]+)\.?(?: (\d{4}))?$`)
	// a month by number: 12/2026, 12.2026
	periodMonthNumRE = regexp.MustCompile(`^(\d{1,2})[/.](\d{4})$`)
	// a quarter: Q3, Q3 2026, Q3/2026, 3. Quartal, 3. Quartal 2026
	periodQuarterRE = regexp.MustCompile(`^(?:q([1-4])|([1-4])\. ?quartal)(?:[ /](\d{4}))?$`)
	// this or the last year, quarter or month: dieses Jahr, letzten Monat, Vorquartal
	periodRelRE = regexp.MustCompile(`^(?:(dieses|diesen|diese|dieser|laufendes|laufenden|laufender|aktuelles|aktuellen|aktueller|this|current|letztes|letzten|letzte|letzter|vergangenes|vergangenen|vergangene|vergangener|voriges|vorigen|vorige|voriger|last|previous) )?(jahr|monat|quartal|year|month|quarter|vorjahr|vormonat|vorquartal)$`)
)

// periodWords reads a report period typed in words (the forms above). A
// month or a quarter without its year is the latest one that has begun by
// today: "Dezember" typed in January is the December before.
func periodWords(s string, today kim.Date) (kim.Period, bool) {
	s = foldWords(s)
	year := func(y string, month int) int {
		if y != "" {
			n, _ := strconv.Atoi(y)
			return n
		}
		if month > today.M {
			return today.Y - 1
		}
		return today.Y
	}
	month := func(y, mo int) (kim.Period, bool) { return reports.PeriodOf(fmt.Sprintf("%04d-%02d", y, mo)) }
	quarter := func(y, q int) (kim.Period, bool) { return reports.PeriodOf(fmt.Sprintf("%04d-Q%d", y, q)) }
	if m := periodMonthRE.FindStringSubmatch(s); m != nil {
		if mo, ok := months[m[1]]; ok {
			return month(year(m[2], mo), mo)
		}
	}
	if m := periodMonthNumRE.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		return month(y, mo)
	}
	if m := periodQuarterRE.FindStringSubmatch(s); m != nil {
		q, _ := strconv.Atoi(m[1] + m[2])
		return quarter(year(m[3], 3*q-2), q)
	}
	m := periodRelRE.FindStringSubmatch(s)
	if m == nil {
		return kim.Period{}, false
	}
	unit, last := m[2], false
	switch m[1] {
	case "":
		switch unit {
		case "vorjahr", "vormonat", "vorquartal":
			unit, last = map[string]string{"vorjahr": "jahr", "vormonat": "monat", "vorquartal": "quartal"}[unit], true
		default:
			return kim.Period{}, false // "Monat" alone names none
		}
	case "letztes", "letzten", "letzte", "letzter", "vergangenes", "vergangenen", "vergangene", "vergangener",
		"voriges", "vorigen", "vorige", "voriger", "last", "previous":
		last = true
	}
	if m[1] != "" && (unit == "vorjahr" || unit == "vormonat" || unit == "vorquartal") {
		return kim.Period{}, false
	}
	switch unit {
	case "jahr", "year":
		y := today.Y
		if last {
			y--
		}
		return reports.PeriodOf(strconv.Itoa(y))
	case "monat", "month":
		d := kim.Date{Y: today.Y, M: today.M, D: 1}
		if last {
			d = d.AddMonths(-1)
		}
		return month(d.Y, d.M)
	default: // quarter
		d := kim.Date{Y: today.Y, M: 3*((today.M-1)/3) + 1, D: 1}
		if last {
			d = d.AddMonths(-3)
		}
		return quarter(d.Y, (d.M-1)/3+1)
	}
}
