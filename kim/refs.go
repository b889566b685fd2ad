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
// optional, the number with any leading zeros (k2026-42).
var caseRefRE = regexp.MustCompile(`^(?i)K-?(\d{4})-(\d{1,6})$`)

// ParseCaseRef returns the reference raw names as CaseRef writes it, so
// K-2026-42, k-2026-0042 and K2026-42 all name K-2026-0042 (no two
// references differ only in leading zeros); false when raw is no reference.
func ParseCaseRef(raw string) (string, bool) {
	m := caseRefRE.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	return CaseRef(y, n), true
}
