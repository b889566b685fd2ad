package reminders

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

// DigestKind is the delivery kind of the daily digest.
const DigestKind = "digest"

// maxButtonItems is how many items of one digest get their own buttons;
// the rest are counted in a closing line.
const maxButtonItems = 30

// digestWorkers is how many digests one pass posts at the same time (see
// Deliverer.DeliverAll: their claims and records are batched).
const digestWorkers = 4

func init() { Register(Job{Name: DigestKind, Run: runDigests}) }

// DueSource is what the digest reads and records (*store.Store implements
// it).
type DueSource interface {
	// DigestRecipients returns every user whose digest is on, with their teams.
	DigestRecipients(ctx context.Context) ([]store.DigestRecipient, error)
	// AbsencesBetween returns the absences that overlap the days from..to.
	AbsencesBetween(ctx context.Context, from, to kim.Date) ([]store.AbsenceSpan, error)
	// DueItems returns every open date of the routed owners due by its route's day.
	DueItems(ctx context.Context, routes []store.Route) ([]kim.DueItem, error)
}

// Members says who is a member of a team in Mattermost (bot.Client
// implements it). A user removed from a team keeps their kimbot role, but the
// team's items leave their digest at once.
type Members interface {
	// TeamMembers returns which of the users are members of the team.
	TeamMembers(ctx context.Context, teamID string, userIDs []string) (map[string]bool, error)
}

// memberSet is who is a member of each team checked in a pass; a team that
// was not checked (no Members, or the check failed) counts everyone.
type memberSet map[string]map[string]bool

func (m memberSet) has(team, user string) bool {
	in, checked := m[team]
	return !checked || in[user]
}

// memberships checks, with one request per team, whether the due recipients
// and the deputies of the absences are still members of their teams. A
// failed check (Mattermost unreachable) leaves that team unchecked: its
// posts would fail as well, and are retried.
func (p *Pass) memberships(ctx context.Context, due []dueDigest, abs []store.AbsenceSpan) memberSet {
	out := memberSet{}
	if p.svc.Members == nil {
		return out
	}
	ids := map[string][]string{}
	seen := map[[2]string]bool{}
	add := func(team, user string) {
		if k := [2]string{team, user}; !seen[k] {
			seen[k] = true
			ids[team] = append(ids[team], user)
		}
	}
	for _, d := range due {
		for _, team := range d.Teams {
			add(team, d.User.ID)
		}
	}
	for _, a := range abs {
		if _, ok := ids[a.TeamID]; ok {
			add(a.TeamID, a.DeputyID)
		}
	}
	teams := make([]string, 0, len(ids))
	for team := range ids {
		teams = append(teams, team)
	}
	sort.Strings(teams)
	for _, team := range teams {
		in, err := p.svc.Members.TeamMembers(ctx, team, ids[team])
		if err != nil {
			p.Log.Warn("reminders: unable to check team membership; the team's digests go out unchecked", "err", err)
			continue
		}
		out[team] = in
	}
	return out
}

// DigestKey returns the delivery key of a user's digest of a day.
func DigestKey(userID string, day kim.Date) string { return "digest:" + userID + ":" + day.String() }

// dueDigest is a recipient whose digest of their local day is due.
type dueDigest struct {
	User    kim.User
	Teams   []string
	Day     kim.Date
	Key     string
	Expires time.Time // the end of Day in the user's time zone
}

// DigestDue reports whether the digest of u's local day is due at now: the
// day is an NRW working day and now is at or after the digest time in u's
// time zone. It returns the day and when the day ends there (after which the
// digest is not sent any more).
func DigestDue(u kim.User, now time.Time) (day kim.Date, expires time.Time, due bool) {
	loc := u.Location()
	local := now.In(loc)
	day = kim.DateOf(local)
	expires = day.AddDays(1).Time(loc)
	if u.DigestTime == "" || !kim.IsWorkday(day) {
		return day, expires, false
	}
	h, m, ok := parseClock(u.DigestTime)
	if !ok {
		h, m = 8, 0
	}
	at := time.Date(day.Y, time.Month(day.M), day.D, h, m, 0, 0, loc)
	return day, expires, !local.Before(at)
}

func parseClock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(s, ":")
	if !found {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	return h, m, err1 == nil && err2 == nil && h >= 0 && h < 24 && m >= 0 && m < 60
}

// dueDigests returns the recipients whose digest is due at now and not yet
// settled (sent, empty or expired) according to statuses.
func dueDigests(now time.Time, recips []store.DigestRecipient) []dueDigest {
	var out []dueDigest
	for _, r := range recips {
		day, expires, ok := DigestDue(r.User, now)
		if !ok {
			continue
		}
		out = append(out, dueDigest{User: r.User, Teams: r.Teams, Day: day, Key: DigestKey(r.User.ID, day), Expires: expires})
	}
	return out
}

// activeAbsence returns the absence of user in team on day (the latest made
// if several overlap), or nil.
func activeAbsence(abs []store.AbsenceSpan, team, user string, day kim.Date) *store.AbsenceSpan {
	var best *store.AbsenceSpan
	for i := range abs {
		a := &abs[i]
		if a.TeamID == team && a.UserID == user && !day.Before(a.From) && !day.After(a.To) && (best == nil || a.ID > best.ID) {
			best = a
		}
	}
	return best
}

// routeDigests says whose items go into which due digest: a recipient's own
// items of every team they are a member of and not away in that day, and the
// items of every owner who is away that day and named them deputy. One hop
// only, as case access works: the deputy holds the items even if away as
// well. A deputy who has left the team holds nothing: the owner keeps their
// items.
func routeDigests(due []dueDigest, abs []store.AbsenceSpan, members memberSet) []store.Route {
	var routes []store.Route
	seen := map[store.Route]bool{}
	add := func(r store.Route) {
		if !seen[r] {
			seen[r] = true
			routes = append(routes, r)
		}
	}
	byUser := make(map[string]dueDigest, len(due))
	for _, d := range due {
		byUser[d.User.ID] = d
		for _, team := range d.Teams {
			if !members.has(team, d.User.ID) {
				continue
			}
			if a := activeAbsence(abs, team, d.User.ID, d.Day); a == nil || !members.has(team, a.DeputyID) {
				add(store.Route{TeamID: team, OwnerID: d.User.ID, RecipientID: d.User.ID, Day: d.Day})
			}
		}
	}
	for i := range abs {
		a := &abs[i]
		d, ok := byUser[a.DeputyID]
		if !ok || a.DeputyID == a.UserID || activeAbsence(abs, a.TeamID, a.UserID, d.Day) != a || !members.has(a.TeamID, a.DeputyID) {
			continue
		}
		add(store.Route{TeamID: a.TeamID, OwnerID: a.UserID, RecipientID: a.DeputyID, Day: d.Day})
	}
	return routes
}

// runDigests is the digest job: one DM per coach and working day with the
// dates due that day or earlier.
func runDigests(ctx context.Context, p *Pass) error {
	recips, err := p.Due.DigestRecipients(ctx)
	if err != nil {
		return err
	}
	due := dueDigests(p.Now, recips)
	if len(due) == 0 {
		return nil
	}
	keys := make([]string, len(due))
	for i, d := range due {
		keys[i] = d.Key
	}
	statuses, err := p.DeliveryStatuses(ctx, keys)
	if err != nil {
		return err
	}
	open := due[:0]
	for _, d := range due {
		if st, ok := statuses[d.Key]; !ok || st == store.DeliveryClaimed {
			open = append(open, d)
		}
	}
	if len(open) == 0 {
		return nil
	}
	from, to := open[0].Day, open[0].Day
	for _, d := range open {
		if d.Day.Before(from) {
			from = d.Day
		}
		if d.Day.After(to) {
			to = d.Day
		}
	}
	abs, err := p.Due.AbsencesBetween(ctx, from, to)
	if err != nil {
		return err
	}
	items, err := p.Due.DueItems(ctx, routeDigests(open, abs, p.memberships(ctx, open, abs)))
	if err != nil {
		return err
	}
	byRecipient := map[string][]kim.DueItem{}
	for _, it := range items {
		byRecipient[it.RecipientID] = append(byRecipient[it.RecipientID], it)
	}

	xs := make([]Delivery, len(open))
	for i, d := range open {
		its, lang, day := byRecipient[d.User.ID], d.User.Language(), d.Day
		xs[i] = Delivery{
			Key: d.Key, Kind: DigestKind, Target: kim.Target{UserID: d.User.ID}, Day: d.Day, Expires: d.Expires,
			Build: func(context.Context) (kim.Message, error) { return RenderDigest(lang, day, its), nil },
			Audit: its,
		}
	}
	p.DeliverAll(ctx, xs, digestWorkers)
	return ctx.Err()
}

// SortItems orders a digest as RenderDigest shows it: own items before
// those held as deputy (by owner), then by team, cases by reference (action
// items last), and within a case by kind, number and date.
func SortItems(items []kim.DueItem) {
	sort.SliceStable(items, func(a, b int) bool {
		x, y := items[a], items[b]
		switch {
		case x.Deputy() != y.Deputy():
			return !x.Deputy()
		case x.OwnerName != y.OwnerName:
			return x.OwnerName < y.OwnerName
		case x.TeamName != y.TeamName:
			return x.TeamName < y.TeamName
		case (x.CaseRef == "") != (y.CaseRef == ""):
			return x.CaseRef != ""
		case x.CaseRef != y.CaseRef:
			return x.CaseRef < y.CaseRef
		case x.Kind != y.Kind:
			_, rx, _ := kim.ItemSpecOf(x.Kind)
			_, ry, _ := kim.ItemSpecOf(y.Kind)
			return rx < ry
		case x.N != y.N:
			return x.N < y.N
		}
		return x.Due.Before(y.Due)
	})
}

// ItemText is the short line of a due item: what is due and since when,
// e.g. "Monitoring-Kontakt – fällig seit 03.12.2026 (4 Tage)".
func ItemText(lang string, day kim.Date, it kim.DueItem) string {
	spec, _, _ := kim.ItemSpecOf(it.Kind)
	label := it.Label
	if spec.LabelField {
		label = messages.T(lang, "field."+label, nil)
	}
	what := messages.T(lang, spec.Text, map[string]any{"N": it.N, "Label": oneLine(label, 80), "Text": oneLine(it.Text, 80)})
	since := messages.T(lang, "remind.due_today", nil)
	if it.Due.Before(day) {
		since = messages.T(lang, "remind.overdue", map[string]any{"Date": it.Due.Format(lang), "Days": it.Due.DaysUntil(day)})
	}
	return "**" + what + "** – " + since
}

// stepHint is the line under a transition step tied to a partner: the
// referral to make, or the consent it still needs (as /kim refer refuses
// without it).
func stepHint(lang string, it kim.DueItem) string {
	if it.Kind != kim.ItemTransition || it.PartnerKey == "" {
		return ""
	}
	data := map[string]any{"Ref": it.CaseRef, "Key": it.PartnerKey, "Partner": oneLine(it.Label, 80)}
	if !it.Consent {
		return "\n" + messages.T(lang, "remind.transition.consent", data)
	}
	return "\n" + messages.T(lang, "remind.transition.refer", data)
}

// oneLine makes a text of a digest line one line of at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if rs := []rune(s); len(rs) > n {
		s = string(rs[:n-1]) + "…"
	}
	return s
}

// itemFields are the signed fields of an item's buttons: kind, case
// reference, number and the due date the button is made for.
func itemFields(it kim.DueItem) []string {
	return []string{string(it.Kind), it.CaseRef, strconv.Itoa(it.N), it.Due.String()}
}

// verbStyles are the button styles of the item verbs ("" is the default).
var verbStyles = map[string]string{kim.VerbDone: "primary"}

// RenderDigest returns the digest of items for a recipient whose language is
// lang on day: a title line, then one block per item, grouped by case (the
// case reference titles its group) with the buttons of its kind.
// No items give an empty message.
func RenderDigest(lang string, day kim.Date, items []kim.DueItem) kim.Message {
	if len(items) == 0 {
		return kim.Message{}
	}
	items = append([]kim.DueItem(nil), items...)
	SortItems(items)
	teams := map[string]bool{}
	var owners []string
	seenOwner := map[string]bool{}
	for _, it := range items {
		teams[it.TeamID] = true
		if it.Deputy() && !seenOwner[it.OwnerName] {
			seenOwner[it.OwnerName] = true
			owners = append(owners, "@"+it.OwnerName)
		}
	}
	msg := kim.Message{Text: messages.T(lang, "remind.digest.title", map[string]any{"Date": day.Format(lang), "N": len(items)})}
	if len(owners) > 0 {
		msg.Text += "\n" + messages.T(lang, "remind.digest.deputy", map[string]any{"Owners": strings.Join(owners, ", ")})
	}
	group := ""
	for i, it := range items {
		if i == maxButtonItems {
			msg.Blocks = append(msg.Blocks, kim.Block{Text: messages.T(lang, "remind.digest.more", map[string]any{"N": len(items) - i})})
			break
		}
		spec, _, _ := kim.ItemSpecOf(it.Kind)
		b := kim.Block{Text: ItemText(lang, day, it) + stepHint(lang, it), Color: "#ffbc1f"}
		if it.Due.Before(day) {
			b.Color = "#d24b4e"
		}
		key := fmt.Sprintf("%s|%s|%s", it.OwnerID, it.TeamID, it.CaseRef)
		if key != group {
			group = key
			b.Title = it.CaseRef
			if it.Pseudonym != "" {
				b.Title = messages.T(lang, "remind.group.case", map[string]any{"Ref": it.CaseRef, "Pseudonym": oneLine(it.Pseudonym, 40)})
			}
			if !spec.Case {
				b.Title = messages.T(lang, spec.Group, nil)
			}
			if len(teams) > 1 {
				b.Title = messages.T(lang, "remind.group.team", map[string]any{"Title": b.Title, "Team": it.TeamName})
			}
			if it.Deputy() {
				b.Title = messages.T(lang, "remind.group.deputy", map[string]any{"Title": b.Title, "Owner": it.OwnerName})
			}
		}
		fields := itemFields(it)
		for _, verb := range spec.Verbs {
			b.Buttons = append(b.Buttons, kim.Button{ID: fmt.Sprintf("%s%d", verb, i), Label: messages.T(lang, "remind.btn."+verb, nil),
				Style: verbStyles[verb], Verb: verb, TeamID: it.TeamID, Fields: fields})
		}
		msg.Blocks = append(msg.Blocks, b)
	}
	return msg
}

// SnoozeUntil returns the date a snoozed item moves to: one week after the
// later of its due date and today, or the working day after that when it is
// a public holiday.
func SnoozeUntil(due, today kim.Date) kim.Date { return kim.Workday(kim.Later(due, today).AddDays(7)) }
