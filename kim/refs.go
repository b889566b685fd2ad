package kim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// CaseRef is the reference of the seq-th case a team opened in year:
// K-2026-0042, K-2026-10000 (four digits at least).
func CaseRef(year, seq int) string { return fmt.Sprintf("K-%04d-%04d", year, seq) }

// caseRefRE is a case reference as typed: any case, the dash after the K
// optional, the number with any leading zeros (k2026-42). Never without its
// K: 2026-10 is a month.
var caseRefRE = regexp.MustCompile(`^(?i)K-?(\d{4})-(\d{1,6})$`)

// Undecorated returns a reference as typed without the Markdown or
// punctuation copied or typed around it (**K-2026-0042**, `M-3`,
// (K-2026-0042), A-7:), and without surrounding spaces.
func Undecorated(raw string) string {
	return strings.TrimRight(strings.TrimLeft(strings.TrimSpace(raw), "*_`([„\"'»"), "*_`)]“\"'«.,:;!?")
}

// ParseCaseRef returns the reference raw names as CaseRef writes it, so
// K-2026-42, k-2026-0042 and K2026-42 all name K-2026-0042 (no two
// references differ only in leading zeros), also as copied from an answer
// with its Markdown or typed in a sentence (**K-2026-0042**, `K-2026-0042`,
// (K-2026-0042), K-2026-0042:); false when raw is no reference.
func ParseCaseRef(raw string) (string, bool) {
	m := caseRefRE.FindStringSubmatch(Undecorated(raw))
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	return CaseRef(y, n), true
}

// caseNumberRE is a case's number typed without its year: 42, 0042, K-42,
// k42.
var caseNumberRE = regexp.MustCompile(`^(?i)(?:K-?)?0*([1-9]\d{0,5})$`)

// ParseCaseNumber returns the number of a case typed without its year (the
// 42 of K-2026-0042, as 42, 0042 or K-42); false when raw is no such number.
// Which case it names depends on whose cases are looked at: a number names a
// case only when exactly one of the caller's cases has it.
func ParseCaseNumber(raw string) (int, bool) {
	m := caseNumberRE.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	return n, true
}
