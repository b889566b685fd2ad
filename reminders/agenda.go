package reminders

// The coordinators' jobs of the reminder pass (SPEC §4): the automatic
// agenda post at 09:00 a team-set number of working days before each meeting
// (agenda_lead_workdays, default 2), and a DM to the meeting's creator at
// 09:00 on the working day before the meeting while its agenda is empty
// (not to a creator who has left the team or was deactivated in Mattermost).
// Both go through the Deliverer, so each happens once.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kimbot-nrw/kimbot/inert"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// Kinds and key prefixes of the agenda deliveries.
const (
	agendaPostKind     = "agenda-post"
	agendaReminderKind = "agenda-reminder"
	// agendaFailedKind is the DM to a meeting's creator that its automatic
	// agenda post was refused by Mattermost, or did not go out before the
	// meeting began.
	agendaFailedKind = "agenda-failed"
	// agendaLookback is how long after a meeting began a pass still tells
	// its creator that the agenda never went out.
	agendaLookback = 7 * 24 * time.Hour
	// agendaHorizon is how far ahead a pass looks for meetings: 20 working
	// days (the largest lead) plus weekends and holidays.
	agendaHorizon = 45 * 24 * time.Hour
	// agendaHour is the local hour of both agenda jobs.
	agendaHour = 9
)

// MeetingSource is what the agenda jobs read and record (*store.Store
// implements it).
type MeetingSource interface {
	// UpcomingMeetings returns the meetings that start between from and until.
	UpcomingMeetings(ctx context.Context, from, until time.Time) ([]store.AgendaMeeting, error)
	// Meeting returns meeting n of a team with its agenda.
	Meeting(ctx context.Context, teamID string, n int) (kim.Meeting, error)
	// BarrierSummary returns the barriers the agenda of m shows, and where
	// transitions stall on day today.
	BarrierSummary(ctx context.Context, m kim.Meeting, today kim.Date) (kim.BarrierSummary, error)
	// AgendaPosted records that the agenda of a meeting was posted.
	AgendaPosted(ctx context.Context, a kim.Actor, meetingID int64, postID string, at time.Time, items int, lastBarrier int64, revision int) error
}

// agendaActor is who the audit log names for the automatic post.
const agendaActor = "kimbot"

func init() {
	Register(Job{Name: agendaPostKind, Run: agendaPosts})
	Register(Job{Name: agendaReminderKind, Run: agendaReminders})
}

// at9 returns 09:00 of day d in loc.
func at9(d kim.Date, loc *time.Location) time.Time {
	return time.Date(d.Y, time.Month(d.M), d.D, agendaHour, 0, 0, 0, loc)
}

// AgendaPostTime returns when the agenda of m is posted automatically:
// 09:00 in the meeting's time zone, lead working days (NRW) before the
// meeting's day, or on the day itself for lead 0.
func AgendaPostTime(m kim.Meeting, lead int) time.Time {
	day := m.Day()
	if lead > 0 {
		day = kim.AddWorkdays(day, -lead)
	}
	return at9(day, m.Location())
}

// AgendaReminderTime returns when the creator of m is reminded of an empty
// agenda: 09:00 on the working day before the meeting.
func AgendaReminderTime(m kim.Meeting) time.Time {
	return at9(kim.AddWorkdays(m.Day(), -1), m.Location())
}

// meetingKey is the delivery key of a meeting's message of kind: once per
// revision of the meeting (store.EditMeeting), the first one's key without
// it as before meetings could be corrected.
func meetingKey(kind string, m kim.Meeting) string {
	if m.Revision == 0 {
		return fmt.Sprintf("%s:%d", kind, m.ID)
	}
	return fmt.Sprintf("%s:%d:r%d", kind, m.ID, m.Revision)
}

// agendaPosts posts the agenda of every meeting whose post time has come,
// once: the agenda as it stands then, unless exactly that was posted already
// (by hand, or by an earlier pass), and not for a meeting made after that
// time. It is given up when the meeting begins.
func agendaPosts(ctx context.Context, p *Pass) error {
	list, err := p.Meetings.UpcomingMeetings(ctx, p.Now.Add(-agendaLookback), p.Now.Add(agendaHorizon))
	if err != nil {
		return err
	}
	for _, x := range list {
		m := x.Meeting
		due := AgendaPostTime(m, x.LeadWorkdays)
		if p.Now.Before(due) || m.CreatedAt.After(due) || (m.AgendaPostedAt != nil && !m.AgendaPostedAt.Before(due)) {
			continue
		}
		key := meetingKey(agendaPostKind, m)
		if !m.StartsAt.After(p.Now) {
			agendaExpired(ctx, p, x, key)
			continue
		}
		var posted kim.Meeting
		var sum kim.BarrierSummary
		today := kim.DateOf(p.Now.In(m.Location()))
		o, err := p.Deliver(ctx, Delivery{
			Key:       key,
			Kind:      agendaPostKind,
			Target:    kim.Target{ChannelID: m.ChannelID},
			Day:       kim.DateOf(due),
			MeetingID: m.ID,
			Expires:   m.StartsAt,
			Build: func(ctx context.Context) (kim.Message, error) {
				var err error
				if posted, err = p.Meetings.Meeting(ctx, m.TeamID, m.N); err != nil {
					return kim.Message{}, err
				}
				if sum, err = p.Meetings.BarrierSummary(ctx, posted, today); err != nil {
					return kim.Message{}, err
				}
				if !kim.AgendaChanged(posted, sum) {
					return kim.Message{}, nil // what is in the channel is current
				}
				return kim.Message{Text: render.Agenda(posted, sum)}, nil
			},
			OnSent: func(ctx context.Context, postID string) error {
				a := kim.Actor{TeamID: m.TeamID, UserID: agendaActor, Today: today}
				if posted.ID == 0 { // found after a crash: record what stands now
					var err error
					if posted, err = p.Meetings.Meeting(ctx, m.TeamID, m.N); err != nil {
						return err
					}
					if sum, err = p.Meetings.BarrierSummary(ctx, posted, today); err != nil {
						return err
					}
				}
				return p.Meetings.AgendaPosted(ctx, a, m.ID, postID, p.Now, len(posted.Items), sum.LastID, posted.Revision)
			},
		})
		if refused := (*kim.PostRefused)(nil); o == Failed && errors.As(err, &refused) {
			agendaFailed(ctx, p, x, "agenda.auto_refused", refused.Reason)
		}
	}
	return nil
}

// agendaExpired tells the creator of a meeting that has begun when its
// automatic agenda post never went out (it expired after failing).
func agendaExpired(ctx context.Context, p *Pass, x store.AgendaMeeting, key string) {
	rec, err := p.DeliveryRecord(ctx, key)
	if err != nil || rec.Status != store.DeliveryExpired || rec.Attempts == 0 {
		return
	}
	reason := rec.LastError
	if reason == "" {
		reason = "–"
	}
	agendaFailed(ctx, p, x, "agenda.auto_expired", reason)
}

// agendaFailed sends the creator of a meeting, once, the message id about
// its automatic agenda post, with Mattermost's reason.
func agendaFailed(ctx context.Context, p *Pass, x store.AgendaMeeting, id, reason string) {
	m, lang := x.Meeting, x.CreatorLang
	p.Deliver(ctx, Delivery{
		Key:       meetingKey(agendaFailedKind, m),
		Kind:      agendaFailedKind,
		Target:    kim.Target{UserID: m.CreatedBy},
		Day:       kim.DateOf(p.Now.In(m.Location())),
		MeetingID: m.ID,
		Expires:   m.StartsAt.Add(agendaLookback),
		Build: func(ctx context.Context) (kim.Message, error) {
			if !p.member(ctx, m.TeamID, m.CreatedBy) {
				return kim.Message{}, nil
			}
			return kim.Message{Text: messages.T(lang, id, map[string]any{"Title": m.Title, "Ref": m.Ref(),
				"When": render.MeetingTime(lang, m), "Channel": m.ChannelName, "Reason": inert.Inline(clipReason(reason))})}, nil
		},
	})
}

// member reports whether the user is still an active member of the team in
// Mattermost, for a DM about the team's meetings: a coordinator removed from
// the team (or deactivated) gets none, and the delivery is settled as empty.
// Without Members, or when Mattermost does not answer (the DM would fail as
// well and be retried), it says yes.
func (p *Pass) member(ctx context.Context, teamID, userID string) bool {
	if p.svc.Members == nil {
		return true
	}
	in, err := p.svc.Members.TeamMembers(ctx, teamID, []string{userID})
	if err != nil {
		p.Log.Warn("reminders: unable to check team membership; the DM goes out unchecked", "err", err)
		return true
	}
	return in[userID]
}

// clipReason keeps a reason short enough for a DM.
func clipReason(s string) string {
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}

// agendaReminders reminds the creator of each meeting whose agenda is still
// empty on the working day before it, while they are an active member of the
// meeting's team.
func agendaReminders(ctx context.Context, p *Pass) error {
	list, err := p.Meetings.UpcomingMeetings(ctx, p.Now, p.Now.Add(agendaHorizon))
	if err != nil {
		return err
	}
	for _, x := range list {
		m, lang := x.Meeting, x.CreatorLang
		due := AgendaReminderTime(m)
		if p.Now.Before(due) || m.ItemCount > 0 || m.CreatedAt.After(due) {
			continue
		}
		p.Deliver(ctx, Delivery{
			Key:       meetingKey(agendaReminderKind, m),
			Kind:      agendaReminderKind,
			Target:    kim.Target{UserID: m.CreatedBy},
			Day:       kim.DateOf(due),
			MeetingID: m.ID,
			Expires:   m.StartsAt,
			Build: func(ctx context.Context) (kim.Message, error) {
				cur, err := p.Meetings.Meeting(ctx, m.TeamID, m.N)
				if err != nil || len(cur.Items) > 0 || !p.member(ctx, m.TeamID, m.CreatedBy) {
					return kim.Message{}, err
				}
				return kim.Message{Text: messages.T(lang, "agenda.reminder", map[string]any{
					"Title": cur.Title, "Ref": cur.Ref(), "When": render.MeetingTime(lang, cur)})}, nil
			},
		})
	}
	return nil
}
