package kim

import (
	"fmt"
	"time"
)

// Meeting is a network meeting of the coordination (M-n per team).
type Meeting struct {
	ID          int64
	TeamID      string
	N           int
	Title       string
	StartsAt    time.Time
	ChannelID   string
	ChannelName string
	CreatedBy   string
	CreatorName string
	// CreatorTZ is the creator's IANA time zone ("" means Europe/Berlin); the
	// meeting's dates are shown and scheduled in it.
	CreatorTZ      string
	CreatedAt      time.Time
	AgendaPostedAt *time.Time
	AgendaPostID   string
	// PostedItems, PostedBarrier and PostedRevision are what the last agenda
	// post showed: its number of items, the id of the newest barrier in it
	// and the meeting's revision.
	PostedItems    int
	PostedBarrier  int64
	PostedRevision int
	// Revision counts the corrections of what the agenda post shows (day,
	// time, title, channel); CancelledAt is when the meeting was called off.
	Revision    int
	CancelledAt *time.Time
	Items       []AgendaItem // in order; filled by single-meeting reads
	Actions     []ActionItem // filled by single-meeting reads
	ItemCount   int          // filled by lists
	OpenActions int          // filled by lists
}

// Ref returns the meeting's reference, e.g. "M-3".
func (m Meeting) Ref() string { return fmt.Sprintf("M-%d", m.N) }

// Location returns the time zone the meeting is scheduled in.
func (m Meeting) Location() *time.Location { return User{TimeZone: m.CreatorTZ}.Location() }

// CheckOpen refuses a change to the meeting (an agenda item, an action
// item, a correction) once it is called off, and, unless afterwards, once
// it has begun at now (action items come out of a meeting that took place).
func (m Meeting) CheckOpen(now time.Time, afterwards bool) error {
	switch {
	case m.CancelledAt != nil:
		return Errorf(ECONFLICT, "meeting.cancelled", map[string]any{"Ref": m.Ref()})
	case !afterwards && !m.StartsAt.After(now):
		return Errorf(ECONFLICT, "meeting.begun", map[string]any{"Ref": m.Ref()})
	}
	return nil
}

// Day returns the calendar day of the meeting in its time zone.
func (m Meeting) Day() Date { return DateOf(m.StartsAt.In(m.Location())) }

// AgendaItem is one point of a meeting's agenda.
type AgendaItem struct {
	Position int
	Text     string
}

// ActionItem is a follow-up task from a meeting (A-n per team).
type ActionItem struct {
	ID        int64
	N         int
	MeetingN  int
	OwnerID   string
	OwnerName string
	Text      string
	Due       *Date
	DoneOn    *Date
}

// Ref returns the action's reference, e.g. "A-7".
func (a ActionItem) Ref() string { return fmt.Sprintf("A-%d", a.N) }

// Channel is a Mattermost channel the bot can post into.
type Channel struct {
	ID          string
	TeamID      string
	Name        string
	DisplayName string
}

// BarrierGroup is the barriers of one partner or topic in a period: a count
// and the texts coaches wrote for the network, never a case reference.
type BarrierGroup struct {
	Partner string // partner name; "" for a topic
	Topic   string // free topic; "" for a partner
	Count   int
	// Texts are the distinct barrier texts with how often each was written,
	// most frequent first.
	Texts []BarrierText
}

// Label returns the partner name or the topic.
func (g BarrierGroup) Label() string {
	if g.Partner != "" {
		return g.Partner
	}
	return g.Topic
}

// BarrierText is a barrier text and how often it was recorded.
type BarrierText struct {
	Text  string
	Count int
}

// BarrierSummary is what an agenda post shows of the case findings.
type BarrierSummary struct {
	Since  *Date // the previous meeting's day; nil when there was none
	Until  Date  // the meeting's day
	Total  int
	Groups []BarrierGroup
	// LastID is the id of the newest barrier in the summary (0 for none).
	LastID int64
	// Stalls are the transition steps overdue on day StallsOn in the team's
	// open cases, by template step, the most cases first.
	Stalls   []StepStall
	StallsOn Date
	// Title and Items are the meeting's title and agenda items as the
	// network sees them, masked like the barrier texts with the pseudonyms
	// of all the team's cases as they are now: the agenda post shows these,
	// never the meeting's own.
	Title string
	Items []AgendaItem
}

// AgendaChanged reports whether the agenda of m with the summary differs
// from what was last posted (true when it was never posted).
func AgendaChanged(m Meeting, sum BarrierSummary) bool {
	return m.AgendaPostedAt == nil || m.PostedOutdated() || len(m.Items) != m.PostedItems || sum.LastID != m.PostedBarrier
}

// PostedOutdated reports whether the meeting was corrected (its day, time,
// title or channel) after its agenda was last posted.
func (m Meeting) PostedOutdated() bool {
	return m.AgendaPostedAt != nil && m.PostedRevision != m.Revision
}

// Open reports whether the action item is not done yet.
func (a ActionItem) Open() bool { return a.DoneOn == nil }

// ActionDone returns action item x done on day today. An item that is done
// already is refused. /kim action done and the reminder's done button both
// complete action items with it.
func ActionDone(x ActionItem, today Date) (ActionItem, error) {
	if !x.Open() {
		return x, Errorf(ECONFLICT, "action.already_done", map[string]any{"Ref": x.Ref(), "Date": *x.DoneOn})
	}
	x.DoneOn = &today
	return x, nil
}

// ActionReopen returns action x open again, checked off by mistake.
func ActionReopen(x ActionItem) (ActionItem, error) {
	if x.Open() {
		return x, Errorf(ECONFLICT, "action.open", map[string]any{"Ref": x.Ref()})
	}
	x.DoneOn = nil
	return x, nil
}
