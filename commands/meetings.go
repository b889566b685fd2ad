package commands

// Network meetings of the coordination (SPEC §3): meetings, their agendas
// with the barriers coaches recorded since the previous meeting, and the
// action items that come out of them.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kimbot-nrw/kimbot/inert"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// Channels posts into a team's channels as the bot (bot.Client implements it).
type Channels interface {
	// Channel returns the team's channel with that name (without "~"), or
	// with id when name is "", after making sure the bot is a member (it
	// joins a public channel). Its errors are application errors that say
	// what to do (meeting.channel_*).
	Channel(ctx context.Context, teamID, name, id string) (kim.Channel, error)
	// PostToChannel posts message as the bot and returns the post's id.
	PostToChannel(ctx context.Context, channelID, message string) (string, error)
}

// Limits of meetings.
const (
	maxMeetingTitle = 200
	maxAgendaText   = 300
	maxActionText   = 500
	maxMeetingAhead = 2 * 366 * 24 * time.Hour
	pastListed      = 5
)

// channels returns the channel poster or an "unavailable" error.
func (r *Runner) channels() (Channels, error) {
	if r.svc.Channels == nil {
		return nil, kim.Errorf(kim.EUNAVAILABLE, "err.mattermost_unavailable", nil)
	}
	return r.svc.Channels, nil
}

// autoPost returns when the agenda of m will be posted automatically, and
// whether that is still ahead (it is not for a meeting made after it).
func (r *Runner) autoPost(m kim.Meeting) (time.Time, bool) {
	if r.svc.AgendaPostTime == nil {
		return time.Time{}, false
	}
	set, err := r.svc.Store.TeamSettings(r.ctx, r.req.TeamID)
	if err != nil {
		return time.Time{}, false
	}
	at := r.svc.AgendaPostTime(m, set.AgendaLeadWorkdays)
	return at, !at.Before(m.CreatedAt) && at.Before(m.StartsAt)
}

// autoPostLine says when the agenda was posted and when (or that no
// longer) it is posted automatically.
func (r *Runner) autoPostLine(m kim.Meeting) string {
	var lines []string
	if m.AgendaPostedAt != nil {
		t := m.AgendaPostedAt.In(m.Location())
		lines = append(lines, r.T("agenda.posted_at", map[string]any{"At": kim.DateOf(t), "Time": t.Format("15:04"), "Ref": m.Ref()}))
	}
	at, ok := r.autoPost(m)
	switch {
	case at.IsZero():
	case ok && at.After(r.now):
		t := at.In(m.Location())
		key := "agenda.auto_at"
		switch {
		case m.PostedOutdated(): // the meeting was corrected since (store.EditMeeting)
			key = "agenda.auto_renew"
		case m.AgendaPostedAt != nil:
			key = "agenda.auto_again"
		}
		lines = append(lines, r.T(key, map[string]any{"Date": kim.DateOf(t), "Time": t.Format("15:04"), "Ref": m.Ref()}))
	case m.AgendaPostedAt == nil:
		lines = append(lines, r.T("agenda.auto_none", map[string]any{"Ref": m.Ref()}))
	}
	return strings.Join(lines, "\n")
}

// meetingNew creates a meeting in the caller's time zone.
func (r *Runner) meetingNew(a *Args) (Reply, error) {
	start, err := r.meetingStart(a, *a.Date("date"), *a.Clock("time"), r.req.User.Location())
	if err != nil {
		return Reply{}, err
	}
	chs, err := r.channels()
	if err != nil {
		return Reply{}, err
	}
	var ch kim.Channel
	if name := a.Str("channel"); name != "" {
		ch, err = chs.Channel(r.ctx, r.req.TeamID, name, "")
	} else {
		ch, err = chs.Channel(r.ctx, r.req.TeamID, "", r.req.ChannelID)
	}
	if err != nil {
		return Reply{}, err
	}
	title, notes, err := r.forNetwork(a.Str("title"), maxMeetingTitle)
	if err != nil {
		return Reply{}, err
	}
	m, err := r.svc.Store.CreateMeeting(r.ctx, r.Actor(), kim.Meeting{
		Title: title, StartsAt: start, ChannelID: ch.ID, ChannelName: ch.Name, CreatedAt: r.now})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("meeting.created", map[string]any{"Ref": m.Ref(), "Title": render.Cell(m.Title),
		"When": render.MeetingTime(r.Lang, m), "Channel": m.ChannelName}) + notes + "\n" + r.autoPostLine(m)}, nil
}

// forNetwork returns a coordinator's text for a meeting's channel (a title,
// an agenda item) masked as barriers are, clipped to max characters, and,
// when the masking replaced something, the lines that show the text as the
// channel will and say what was replaced. It is kept so: what the
// coordinator sees on the agenda is what the network sees (the post masks
// it again with the pseudonyms as they are then).
func (r *Runner) forNetwork(text string, max int) (string, string, error) {
	text = render.OneLine(text)
	m, err := r.svc.Store.Mask(r.ctx, r.req.TeamID, text)
	if err != nil {
		return "", "", err
	}
	if len(m.Replaced) == 0 {
		return text, "", nil
	}
	out := render.Clip(m.Text, max-1)
	lines := append([]string{r.T("agenda.as_posted", map[string]any{"Text": inert.Inline(out)})}, r.maskNotes(m, "agenda.unsure")...)
	return out, "\n" + strings.Join(lines, "\n"), nil
}

// meetingList lists the coming meetings and the last ones.
func (r *Runner) meetingList(a *Args) (Reply, error) {
	list, err := r.svc.Store.Meetings(r.ctx, r.req.TeamID, r.now, pastListed)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: r.T("meeting.none", nil)}, nil
	}
	rows := make([][]string, len(list))
	for i, m := range list {
		posted := "–"
		if m.AgendaPostedAt != nil {
			posted = "✓ " + kim.DateOf(m.AgendaPostedAt.In(m.Location())).Format(r.Lang)
		}
		ref := m.Ref()
		if !m.StartsAt.After(r.now) || m.CancelledAt != nil {
			ref = "~~" + ref + "~~"
		}
		if m.CancelledAt != nil {
			posted = r.T("meeting.cancelled_mark", nil)
		}
		rows[i] = []string{ref, render.MeetingTime(r.Lang, m), render.Cell(m.Title), "~" + m.ChannelName, fmt.Sprint(m.ItemCount), posted, fmt.Sprint(m.OpenActions)}
	}
	return Reply{Text: r.T("meeting.list_title", map[string]any{"N": len(list)}) + "\n" +
		render.Table(r.Heads("meeting.head.ref", "meeting.head.when", "meeting.head.title", "meeting.head.channel",
			"meeting.head.items", "meeting.head.posted", "meeting.head.actions"), rows)}, nil
}

// meetingShow shows a meeting with its agenda, the barrier preview, where
// transitions stall and its actions.
func (r *Runner) meetingShow(a *Args) (Reply, error) {
	m, err := r.svc.Store.Meeting(r.ctx, r.req.TeamID, a.Int("meeting"))
	if err != nil {
		return Reply{}, err
	}
	sum, err := r.svc.Store.BarrierSummary(r.ctx, m, r.Today)
	if err != nil {
		return Reply{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s · %s\n%s · ~%s · %s\n", m.Ref(), render.Cell(m.Title), render.MeetingTime(r.Lang, m), m.ChannelName,
		r.T("meeting.by", map[string]any{"User": m.CreatorName}))
	if m.CancelledAt != nil {
		b.WriteString(r.T("meeting.cancelled_line", map[string]any{"Date": kim.DateOf(m.CancelledAt.In(m.Location()))}) + "\n")
	} else if line := r.autoPostLine(m); line != "" {
		b.WriteString(line + "\n")
	}
	fmt.Fprintf(&b, "\n**%s**\n", r.T("agenda.title", nil))
	if len(m.Items) == 0 {
		b.WriteString(r.T("agenda.empty", map[string]any{"Ref": m.Ref()}) + "\n")
	}
	for _, it := range m.Items {
		fmt.Fprintf(&b, "%d. %s\n", it.Position, render.OneLine(it.Text))
	}
	fmt.Fprintf(&b, "\n**%s**\n%s\n", r.T("agenda.barriers_title", nil), r.barrierPreview(sum))
	fmt.Fprintf(&b, "\n**%s**\n%s\n", r.T("agenda.stalls_title", nil), render.Stalls(r.Lang, sum))
	if len(m.Actions) > 0 {
		rows := make([][]string, len(m.Actions))
		for i, x := range m.Actions {
			status := r.Due(x.Due)
			if x.DoneOn != nil {
				status = "✓ " + r.Date(x.DoneOn)
			}
			rows[i] = []string{x.Ref(), "@" + x.OwnerName, render.Cell(x.Text), status}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", r.T("action.title", nil),
			render.Table(r.Heads("meeting.head.ref", "action.head.owner", "action.head.text", "action.head.due"), rows))
	}
	return Reply{Text: strings.TrimRight(b.String(), "\n")}, nil
}

// meetingStart returns the start of a meeting on day d at clock in loc,
// refused when it is not ahead or too far ahead.
func (r *Runner) meetingStart(a *Args, d kim.Date, clock TimeOfDay, loc *time.Location) (time.Time, error) {
	start := time.Date(d.Y, time.Month(d.M), d.D, clock.H, clock.M, 0, 0, loc)
	if !start.After(r.now) {
		return start, kim.Errorf(kim.EINVALID, "meeting.in_past", map[string]any{
			"When": kim.DateOf(start).Format(r.Lang) + " " + clock.String(), "Usage": a.Verb.usage()})
	}
	if start.Sub(r.now) > maxMeetingAhead {
		return start, kim.Errorf(kim.EINVALID, "meeting.too_far", map[string]any{"Usage": a.Verb.usage()})
	}
	return start, nil
}

// meetingEdit corrects a meeting's day, time, title or channel until it
// begins; the automatic agenda post follows (store.EditMeeting).
func (r *Runner) meetingEdit(a *Args) (Reply, error) {
	if !a.Has("date") && !a.Has("time") && !a.Has("title") && !a.Has("channel") {
		return Reply{}, usageErr("meeting.edit_nothing", a.Verb, map[string]any{"Ref": kim.Meeting{N: a.Int("meeting")}.Ref()})
	}
	m, err := r.svc.Store.Meeting(r.ctx, r.req.TeamID, a.Int("meeting"))
	if err != nil {
		return Reply{}, err
	}
	var ch store.MeetingChange
	var notes string
	if a.Has("date") || a.Has("time") {
		loc := m.Location()
		at := m.StartsAt.In(loc)
		d, clock := kim.DateOf(at), TimeOfDay{H: at.Hour(), M: at.Minute()}
		if x := a.Date("date"); x != nil {
			d = *x
		}
		if a.Has("time") {
			clock = *a.Clock("time")
		}
		start, err := r.meetingStart(a, d, clock, loc)
		if err != nil {
			return Reply{}, err
		}
		ch.StartsAt = &start
	}
	if a.Has("title") {
		title, n, err := r.forNetwork(a.Str("title"), maxMeetingTitle)
		if err != nil {
			return Reply{}, err
		}
		ch.Title, notes = &title, n
	}
	if a.Has("channel") {
		chs, err := r.channels()
		if err != nil {
			return Reply{}, err
		}
		c, err := chs.Channel(r.ctx, r.req.TeamID, a.Str("channel"), "")
		if err != nil {
			return Reply{}, err
		}
		ch.ChannelID, ch.Channel = c.ID, c.Name
	}
	before, after, err := r.svc.Store.EditMeeting(r.ctx, r.Actor(), a.Int("meeting"), ch, r.now)
	if err != nil {
		return Reply{}, err
	}
	text := r.T("meeting.edited", map[string]any{"Ref": after.Ref(), "Title": render.Cell(after.Title),
		"When": render.MeetingTime(r.Lang, after), "Channel": after.ChannelName}) + notes
	if at, ok := r.autoPost(after); before.AgendaPostedAt != nil && !(ok && at.After(r.now)) {
		text += "\n" + r.T("meeting.edited_posted", map[string]any{"Ref": after.Ref(), "Channel": before.ChannelName})
	}
	if line := r.autoPostLine(after); line != "" {
		text += "\n" + line
	}
	return Reply{Text: text}, nil
}

// meetingCancel calls a meeting off after a dry run; when its agenda was
// posted, the channel is told that the meeting does not take place.
func (r *Runner) meetingCancel(a *Args) (Reply, error) {
	st := r.svc.Store
	if !a.Has("confirm") {
		st = st.DryRun()
	}
	m, err := st.CancelMeeting(r.ctx, r.Actor(), a.Int("meeting"), r.now)
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": m.Ref(), "Title": render.Cell(m.Title), "When": render.MeetingTime(r.Lang, m),
		"Channel": m.ChannelName, "Posted": m.AgendaPostedAt != nil, "Actions": m.OpenActions}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("meeting.cancel_confirm", data)}, nil
	}
	failed := false
	if m.AgendaPostedAt != nil {
		if err := r.postCancelNotice(m); err != nil {
			r.svc.Log.Warn("commands: the notice of a called-off meeting was not posted", "meeting", m.ID, "err", err)
			failed = true
		}
	}
	data["Noticed"], data["Failed"] = m.AgendaPostedAt != nil && !failed, failed
	return Reply{Text: r.T("meeting.cancelled_now", data)}, nil
}

// postCancelNotice tells the meeting's channel that it is called off, with
// its title masked as its agenda post was.
func (r *Runner) postCancelNotice(m kim.Meeting) error {
	chs, err := r.channels()
	if err != nil {
		return err
	}
	title, err := r.svc.Store.Mask(r.ctx, m.TeamID, m.Title)
	if err != nil {
		return err
	}
	_, err = chs.PostToChannel(r.ctx, m.ChannelID, r.T("meeting.cancel_notice", map[string]any{
		"Title": inert.Inline(title.Text), "When": render.MeetingTime(r.Lang, m)}))
	return err
}

// barrierPreview lists the barrier groups with counts (no texts) for the
// coordinator's own view.
func (r *Runner) barrierPreview(sum kim.BarrierSummary) string {
	since := r.T("agenda.since_start", nil)
	if sum.Since != nil {
		since = r.T("agenda.since", map[string]any{"Date": sum.Since.Format(r.Lang)})
	}
	if sum.Total == 0 {
		return r.T("agenda.no_barriers", map[string]any{"Since": since})
	}
	parts := make([]string, len(sum.Groups))
	for i, g := range sum.Groups {
		parts[i] = fmt.Sprintf("%s %d", render.Cell(render.GroupLabel(r.Lang, g)), g.Count)
	}
	return r.T("agenda.barrier_count", map[string]any{"N": sum.Total, "Since": since}) + " " + strings.Join(parts, " · ")
}

// agendaAdd appends an item to a meeting's agenda.
func (r *Runner) agendaAdd(a *Args) (Reply, error) {
	item, notes, err := r.forNetwork(a.Str("text"), maxAgendaText)
	if err != nil {
		return Reply{}, err
	}
	m, err := r.svc.Store.AddAgendaItem(r.ctx, r.Actor(), a.Int("meeting"), item, r.now)
	if err != nil {
		return Reply{}, err
	}
	text := r.T("agenda.added", map[string]any{"Ref": m.Ref(), "N": len(m.Items), "Title": render.Cell(m.Title)}) + notes
	if m.AgendaPostedAt != nil {
		text += "\n" + r.T("agenda.repost_hint", map[string]any{"Ref": m.Ref()})
	} else if line := r.autoPostLine(m); line != "" {
		text += "\n" + line
	}
	return Reply{Text: text}, nil
}

// agendaPost posts the agenda into the meeting's channel now.
func (r *Runner) agendaPost(a *Args) (Reply, error) {
	m, err := r.svc.Store.Meeting(r.ctx, r.req.TeamID, a.Int("meeting"))
	if err != nil {
		return Reply{}, err
	}
	if err := m.CheckOpen(r.now, false); err != nil {
		return Reply{}, err
	}
	chs, err := r.channels()
	if err != nil {
		return Reply{}, err
	}
	// The bot may have been removed from the channel since the meeting was made.
	if _, err := chs.Channel(r.ctx, r.req.TeamID, "", m.ChannelID); err != nil {
		return Reply{}, err
	}
	sum, err := r.svc.Store.BarrierSummary(r.ctx, m, r.Today)
	if err != nil {
		return Reply{}, err
	}
	postID, err := chs.PostToChannel(r.ctx, m.ChannelID, render.Agenda(m, sum))
	if err != nil {
		if kim.ErrorCode(err) == kim.EINTERNAL {
			r.svc.Log.Error("commands: agenda post failed", "meeting", m.ID, "err", err)
			return Reply{}, kim.Errorf(kim.EUNAVAILABLE, "agenda.post_failed", map[string]any{"Channel": m.ChannelName})
		}
		return Reply{}, err
	}
	if err := r.svc.Store.AgendaPosted(r.ctx, r.Actor(), m.ID, postID, r.now, len(m.Items), sum.LastID, m.Revision); err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("agenda.posted", map[string]any{"Ref": m.Ref(), "Channel": m.ChannelName,
		"Items": len(m.Items), "Barriers": sum.Total})}, nil
}

// actionAdd records a follow-up task of a meeting for a member of the team.
func (r *Runner) actionAdd(a *Args) (Reply, error) {
	m, err := r.svc.Store.Meeting(r.ctx, r.req.TeamID, a.Int("meeting"))
	if err != nil {
		return Reply{}, err
	}
	if err := m.CheckOpen(r.now, true); err != nil {
		return Reply{}, err
	}
	due := a.Date("due")
	if due == nil {
		set, err := r.svc.Store.TeamSettings(r.ctx, r.req.TeamID)
		if err != nil {
			return Reply{}, err
		}
		d := kim.Later(m.Day(), r.Today).AddDays(set.FollowupDays)
		due = &d
	}
	if due.Before(r.Today) {
		return Reply{}, kim.Errorf(kim.EINVALID, "action.due_past", map[string]any{"Date": *due, "Usage": a.Verb.usage()})
	}
	if due.After(kim.LatestAhead(r.Today)) {
		return Reply{}, kim.Errorf(kim.EINVALID, "action.due_far", map[string]any{"Date": *due, "Usage": a.Verb.usage()})
	}
	u, err := r.svc.Dir.UserByName(r.ctx, r.req.TeamID, a.Str("owner"))
	if err != nil {
		return Reply{}, err
	}
	if _, err := r.svc.Store.SyncUser(r.ctx, u); err != nil {
		return Reply{}, err
	}
	// Action items are reminded in the owner's daily digest, which only
	// people with a kimbot role in the team get.
	if mem, err := r.svc.Store.Member(r.ctx, r.req.TeamID, u.ID); err != nil {
		return Reply{}, err
	} else if mem.Role == kim.RoleNone {
		return Reply{}, kim.Errorf(kim.EINVALID, "action.owner_no_role", map[string]any{"User": u.Username, "Admins": r.adminList()})
	}
	x, err := r.svc.Store.AddAction(r.ctx, r.Actor(), m.N, u.ID, render.OneLine(a.Str("text")), *due)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("action.added", map[string]any{"Ref": x.Ref(), "Meeting": m.Ref(), "Owner": u.Username,
		"Text": render.Cell(x.Text), "Due": x.Due})}, nil
}

// actionDone completes an action: its owner, a coordinator or an admin.
func (r *Runner) actionDone(a *Args) (Reply, error) { return r.actionMark(a, true) }

// actionReopen opens an action checked off by mistake again.
func (r *Runner) actionReopen(a *Args) (Reply, error) { return r.actionMark(a, false) }

func (r *Runner) actionMark(a *Args, done bool) (Reply, error) {
	x, err := r.svc.Store.DoneAction(r.ctx, r.Actor(), a.Int("action"), r.has(coordination...), done)
	if err != nil {
		return Reply{}, err
	}
	key := map[bool]string{true: "action.done", false: "action.reopened"}[done]
	return Reply{Text: r.T(key, map[string]any{"Ref": x.Ref(), "Text": render.Cell(x.Text), "Meeting": fmt.Sprintf("M-%d", x.MeetingN)})}, nil
}

// agendaEdit replaces the text of an agenda item (commands/corrections.go
// has the case records' corrections).
func (r *Runner) agendaEdit(a *Args) (Reply, error) {
	item, notes, err := r.forNetwork(a.Str("text"), maxAgendaText)
	if err != nil {
		return Reply{}, err
	}
	m, it, was, err := r.svc.Store.EditAgendaItem(r.ctx, r.Actor(), a.Int("meeting"), a.Int("n"), item, r.now)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("agenda.edited", map[string]any{"Ref": m.Ref(), "N": it.Position, "Text": render.Cell(it.Text)}) + notes +
		r.wasLine(a, m.Ref(), it.Position, "", was) + r.agendaHint(m)}, nil
}

// agendaDelete deletes an agenda item once confirmed.
func (r *Runner) agendaDelete(a *Args) (Reply, error) {
	st := r.svc.Store
	if !a.Has("confirm") {
		st = st.DryRun()
	}
	m, it, err := st.DeleteAgendaItem(r.ctx, r.Actor(), a.Int("meeting"), a.Int("n"), r.now)
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": m.Ref(), "N": it.Position, "Text": render.Cell(render.Clip(it.Text, 120)), "Later": len(m.Items) > it.Position}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("agenda.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("agenda.deleted", data) + r.agendaHint(m)}, nil
}

// agendaHint is the line after a change of an agenda: how it gets posted.
func (r *Runner) agendaHint(m kim.Meeting) string {
	if m.AgendaPostedAt != nil {
		return "\n" + r.T("agenda.repost_hint", map[string]any{"Ref": m.Ref()})
	}
	if line := r.autoPostLine(m); line != "" {
		return "\n" + line
	}
	return ""
}

// actionEdit changes the text or the due date of an action item.
func (r *Runner) actionEdit(a *Args) (Reply, error) {
	due := a.Date("due")
	if due == nil && !a.Has("text") {
		return Reply{}, kim.Errorf(kim.EINVALID, "action.edit_nothing", map[string]any{"Ref": kim.ActionItem{N: a.Int("action")}.Ref(), "Usage": a.Verb.usage()})
	}
	if due != nil && due.Before(r.Today) {
		return Reply{}, kim.Errorf(kim.EINVALID, "action.due_past", map[string]any{"Date": *due, "Usage": a.Verb.usage()})
	}
	if due != nil && due.After(kim.LatestAhead(r.Today)) {
		return Reply{}, kim.Errorf(kim.EINVALID, "action.due_far", map[string]any{"Date": *due, "Usage": a.Verb.usage()})
	}
	x, err := r.svc.Store.EditAction(r.ctx, r.Actor(), a.Int("action"), render.OneLine(a.Str("text")), due)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("action.edited", map[string]any{"Ref": x.Ref(), "Owner": x.OwnerName, "Text": render.Cell(x.Text), "Due": x.Due})}, nil
}

// actionDelete deletes an action item once confirmed.
func (r *Runner) actionDelete(a *Args) (Reply, error) {
	st := r.svc.Store
	if !a.Has("confirm") {
		st = st.DryRun()
	}
	x, err := st.DeleteAction(r.ctx, r.Actor(), a.Int("action"))
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": x.Ref(), "Owner": x.OwnerName, "Text": render.Cell(render.Clip(x.Text, 120)), "Meeting": fmt.Sprintf("M-%d", x.MeetingN)}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("action.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("action.deleted", data)}, nil
}
