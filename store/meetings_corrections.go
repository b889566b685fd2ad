package store

// Corrections of meetings (issue 9, point 4): coordinators correct a
// meeting or call it off, change or delete agenda items (until the meeting
// begins) and action items. Each change is audited (what kind, who, when;
// no content).

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
)

// MeetingChange is a correction of a meeting: what is not nil changes.
// StartsAt is checked by the caller (ahead, not too far).
type MeetingChange struct {
	StartsAt           *time.Time
	Title              *string
	ChannelID, Channel string // "" keeps the channel
}

// EditMeeting corrects meeting M-n until it begins and returns it as it
// was and as it is. A change counts a revision: an agenda posted of an
// earlier one is out of date (Meeting.PostedOutdated), so the automatic
// post goes out (again) for the meeting as it is.
func (s *Store) EditMeeting(ctx context.Context, a kim.Actor, n int, ch MeetingChange, now time.Time) (before, after kim.Meeting, err error) {
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if before, err = s.openMeeting(ctx, tx, a.TeamID, n, now); err != nil {
			return err
		}
		after = before
		if ch.StartsAt != nil {
			after.StartsAt = *ch.StartsAt
		}
		if ch.Title != nil {
			after.Title = *ch.Title
		}
		if ch.ChannelID != "" {
			after.ChannelID, after.ChannelName = ch.ChannelID, ch.Channel
		}
		if after.StartsAt.Equal(before.StartsAt) && after.Title == before.Title && after.ChannelID == before.ChannelID {
			return kim.Errorf(kim.EINVALID, "meeting.unchanged", map[string]any{"Ref": before.Ref()})
		}
		after.Revision++
		if _, err := tx.Exec(ctx, `UPDATE meetings SET starts_at = $2, title = $3, channel_id = $4, channel_name = $5,
			revision = $6 WHERE id = $1`, before.ID, after.StartsAt, after.Title, after.ChannelID, after.ChannelName, after.Revision); err != nil {
			return err
		}
		return audit(ctx, tx, a, "meeting.edit", 0, "")
	})
	return before, after, wrap("unable to change meeting", err)
}

// CancelMeeting calls meeting M-n off until it begins: no agenda goes out
// for it, nothing is added to it; its action items stay.
func (s *Store) CancelMeeting(ctx context.Context, a kim.Actor, n int, now time.Time) (kim.Meeting, error) {
	var m kim.Meeting
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if m, err = s.openMeeting(ctx, tx, a.TeamID, n, now); err != nil {
			return err
		}
		m.CancelledAt = &now
		if _, err := tx.Exec(ctx, `UPDATE meetings SET cancelled_at = $2 WHERE id = $1`, m.ID, now); err != nil {
			return err
		}
		return audit(ctx, tx, a, "meeting.cancel", 0, "")
	})
	return m, wrap("unable to call off meeting", err)
}

// agendaItemFor returns meeting M-n (locked) and its item at position pos;
// ENOTFOUND when there is none, ECONFLICT once the meeting has begun.
func (s *Store) agendaItemFor(ctx context.Context, tx pgx.Tx, a kim.Actor, n, pos int, now time.Time) (kim.Meeting, kim.AgendaItem, error) {
	m, err := s.openMeeting(ctx, tx, a.TeamID, n, now)
	if err != nil {
		return m, kim.AgendaItem{}, err
	}
	for _, it := range m.Items {
		if it.Position == pos {
			return m, it, nil
		}
	}
	return m, kim.AgendaItem{}, kim.Errorf(kim.ENOTFOUND, "agenda.item_not_found", map[string]any{"Ref": m.Ref(), "N": pos, "Field": "n"})
}

// EditAgendaItem replaces the text of item pos of the agenda of M-n and
// returns the meeting, the item and the text it replaced ("": the same).
func (s *Store) EditAgendaItem(ctx context.Context, a kim.Actor, n, pos int, text string, now time.Time) (kim.Meeting, kim.AgendaItem, string, error) {
	var m kim.Meeting
	var it kim.AgendaItem
	var was string
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if m, it, err = s.agendaItemFor(ctx, tx, a, n, pos, now); err != nil {
			return err
		}
		was, it.Text = replaced(it.Text, text), text
		if _, err := tx.Exec(ctx, `UPDATE agenda_items SET text = $3 WHERE meeting_id = $1 AND position = $2`, m.ID, pos, text); err != nil {
			return err
		}
		return audit(ctx, tx, a, "agenda.edit", 0, "")
	})
	return m, it, was, wrap("unable to change agenda item", err)
}

// DeleteAgendaItem deletes item pos of the agenda of M-n; the items after it
// move up one place. It returns the meeting and the deleted item.
func (s *Store) DeleteAgendaItem(ctx context.Context, a kim.Actor, n, pos int, now time.Time) (kim.Meeting, kim.AgendaItem, error) {
	var m kim.Meeting
	var it kim.AgendaItem
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if m, it, err = s.agendaItemFor(ctx, tx, a, n, pos, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM agenda_items WHERE meeting_id = $1 AND position = $2`, m.ID, pos); err != nil {
			return err
		}
		// Two steps: positions are unique at every row.
		if _, err := tx.Exec(ctx, `UPDATE agenda_items SET position = position + 100000 WHERE meeting_id = $1 AND position > $2`, m.ID, pos); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE agenda_items SET position = position - 100001 WHERE meeting_id = $1 AND position > 100000`, m.ID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "agenda.delete", 0, "")
	})
	return m, it, wrap("unable to delete agenda item", err)
}

// actionFor returns action A-n of the team, locked; ENOTFOUND when there is none.
func actionFor(ctx context.Context, tx pgx.Tx, teamID string, n int) (kim.ActionItem, error) {
	x, err := scanAction(tx.QueryRow(ctx, `SELECT `+actionColumns+` FROM `+actionFrom+`
		WHERE x.team_id = $1 AND x.n = $2 FOR UPDATE OF x`, teamID, n))
	if err == pgx.ErrNoRows {
		return x, kim.Errorf(kim.ENOTFOUND, "action.not_found", map[string]any{"Ref": kim.ActionItem{N: n}.Ref()})
	}
	return x, err
}

// EditAction changes the text (text != "") and the due date (due != nil)
// of action A-n of the team and returns it.
func (s *Store) EditAction(ctx context.Context, a kim.Actor, n int, text string, due *kim.Date) (kim.ActionItem, error) {
	var x kim.ActionItem
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if x, err = actionFor(ctx, tx, a.TeamID, n); err != nil {
			return err
		}
		if text != "" {
			x.Text = text
		}
		if due != nil {
			x.Due = due
		}
		if _, err := tx.Exec(ctx, `UPDATE actions SET text = $2, due_on = $3 WHERE id = $1`, x.ID, x.Text, dateArg(x.Due)); err != nil {
			return err
		}
		return audit(ctx, tx, a, "action.edit", 0, "")
	})
	return x, wrap("unable to change action", err)
}

// DeleteAction deletes action A-n of the team and returns it. The numbers
// of the other actions stay.
func (s *Store) DeleteAction(ctx context.Context, a kim.Actor, n int) (kim.ActionItem, error) {
	var x kim.ActionItem
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if x, err = actionFor(ctx, tx, a.TeamID, n); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM actions WHERE id = $1`, x.ID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "action.delete", 0, "")
	})
	return x, wrap("unable to delete action", err)
}
