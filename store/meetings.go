package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/mask"
)

// Limits of meetings.
const (
	MaxAgendaItems = 50
	maxListed      = 50
)

const meetingColumns = `m.id, m.team_id, m.n, m.title, m.starts_at, m.channel_id, m.channel_name, m.created_by,
	coalesce(u.username, ''), coalesce(u.timezone, ''), m.created_at, m.agenda_posted_at, coalesce(m.agenda_post_id, ''),
	m.agenda_posted_items, m.agenda_posted_barrier, m.agenda_posted_revision, m.revision, m.cancelled_at,
	(SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id),
	(SELECT count(*) FROM actions x WHERE x.meeting_id = m.id AND x.done_on IS NULL)`

const meetingFrom = `meetings m LEFT JOIN users u ON u.id = m.created_by`

func scanMeeting(r pgx.Row) (kim.Meeting, error) {
	var m kim.Meeting
	err := r.Scan(&m.ID, &m.TeamID, &m.N, &m.Title, &m.StartsAt, &m.ChannelID, &m.ChannelName, &m.CreatedBy,
		&m.CreatorName, &m.CreatorTZ, &m.CreatedAt, &m.AgendaPostedAt, &m.AgendaPostID, &m.PostedItems, &m.PostedBarrier,
		&m.PostedRevision, &m.Revision, &m.CancelledAt, &m.ItemCount, &m.OpenActions)
	return m, err
}

// lockTeamCounter serialises numbering (M-n, A-n) within a team for the
// rest of the transaction.
func lockTeamCounter(ctx context.Context, tx pgx.Tx, what, teamID string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "kimbot."+what+":"+teamID)
	return err
}

// CreateMeeting records a meeting of the actor's team, numbered M-n per
// team, and returns it. The caller checks the role and the time.
func (s *Store) CreateMeeting(ctx context.Context, a kim.Actor, in kim.Meeting) (kim.Meeting, error) {
	var m kim.Meeting
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := teamSettings(ctx, tx, a.TeamID); err != nil {
			return err
		}
		if err := lockTeamCounter(ctx, tx, "meetings", a.TeamID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO meetings (team_id, n, title, starts_at, channel_id, channel_name, created_by, created_at)
			SELECT $1, coalesce(max(n), 0) + 1, $2, $3, $4, $5, $6, $7 FROM meetings WHERE team_id = $1
			RETURNING id`, a.TeamID, in.Title, in.StartsAt, in.ChannelID, in.ChannelName, a.UserID, in.CreatedAt).Scan(&id)
		if err != nil {
			return err
		}
		m, err = scanMeeting(tx.QueryRow(ctx, `SELECT `+meetingColumns+` FROM `+meetingFrom+` WHERE m.id = $1`, id))
		return err
	})
	return m, wrap("unable to create meeting", err)
}

// Meetings returns the team's meetings from now on (at most 50) and the
// latest past ones (at most past), in time order.
func (s *Store) Meetings(ctx context.Context, teamID string, now time.Time, past int) ([]kim.Meeting, error) {
	rows, err := s.pool.Query(ctx, `
		(SELECT `+meetingColumns+` FROM `+meetingFrom+` WHERE m.team_id = $1 AND m.starts_at >= $2 ORDER BY m.starts_at, m.n LIMIT $3)
		UNION ALL
		(SELECT `+meetingColumns+` FROM `+meetingFrom+` WHERE m.team_id = $1 AND m.starts_at < $2 ORDER BY m.starts_at DESC, m.n DESC LIMIT $4)`,
		teamID, now, maxListed, past)
	if err != nil {
		return nil, wrap("unable to list meetings", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.Meeting, error) { return scanMeeting(r) })
	sort.Slice(out, func(i, j int) bool {
		if !out[i].StartsAt.Equal(out[j].StartsAt) {
			return out[i].StartsAt.Before(out[j].StartsAt)
		}
		return out[i].N < out[j].N
	})
	return out, wrap("unable to list meetings", err)
}

// Meeting returns meeting M-n of the team with its agenda and actions;
// an ENOTFOUND error when there is none.
func (s *Store) Meeting(ctx context.Context, teamID string, n int) (kim.Meeting, error) {
	var m kim.Meeting
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		m, err = s.meeting(ctx, tx, teamID, n, false)
		return err
	})
	return m, wrap("unable to read meeting", err)
}

// meeting reads M-n with items and actions, optionally locking its row.
func (s *Store) meeting(ctx context.Context, tx pgx.Tx, teamID string, n int, lock bool) (kim.Meeting, error) {
	sql := `SELECT ` + meetingColumns + ` FROM ` + meetingFrom + ` WHERE m.team_id = $1 AND m.n = $2`
	if lock {
		sql += ` FOR UPDATE OF m`
	}
	m, err := scanMeeting(tx.QueryRow(ctx, sql, teamID, n))
	if err == pgx.ErrNoRows {
		return m, kim.Errorf(kim.ENOTFOUND, "meeting.not_found", map[string]any{"Ref": kim.Meeting{N: n}.Ref()})
	}
	if err != nil {
		return m, err
	}
	rows, err := tx.Query(ctx, `SELECT position, text FROM agenda_items WHERE meeting_id = $1 ORDER BY position`, m.ID)
	if err != nil {
		return m, err
	}
	m.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.AgendaItem, error) {
		var it kim.AgendaItem
		return it, r.Scan(&it.Position, &it.Text)
	})
	if err != nil {
		return m, err
	}
	rows, err = tx.Query(ctx, `SELECT `+actionColumns+` FROM `+actionFrom+` WHERE x.meeting_id = $1 ORDER BY x.n`, m.ID)
	if err != nil {
		return m, err
	}
	m.Actions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.ActionItem, error) { return scanAction(r) })
	return m, err
}

// openMeeting returns meeting M-n, locked, as long as it can be changed:
// ECONFLICT once it has begun or when it is called off.
func (s *Store) openMeeting(ctx context.Context, tx pgx.Tx, teamID string, n int, now time.Time) (kim.Meeting, error) {
	m, err := s.meeting(ctx, tx, teamID, n, true)
	if err != nil {
		return m, err
	}
	return m, m.CheckOpen(now, false)
}

// AddAgendaItem appends an item to the agenda of M-n and returns the
// meeting with its agenda. A meeting that has begun or a full agenda is
// refused.
func (s *Store) AddAgendaItem(ctx context.Context, a kim.Actor, n int, text string, now time.Time) (kim.Meeting, error) {
	var m kim.Meeting
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if m, err = s.openMeeting(ctx, tx, a.TeamID, n, now); err != nil {
			return err
		}
		if len(m.Items) >= MaxAgendaItems {
			return kim.Errorf(kim.ECONFLICT, "agenda.full", map[string]any{"Ref": m.Ref(), "Max": MaxAgendaItems})
		}
		pos := len(m.Items) + 1
		if _, err := tx.Exec(ctx, `INSERT INTO agenda_items (meeting_id, position, text, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
			m.ID, pos, text, a.UserID, now); err != nil {
			return err
		}
		m.Items = append(m.Items, kim.AgendaItem{Position: pos, Text: text})
		m.ItemCount = len(m.Items)
		return nil
	})
	return m, wrap("unable to add agenda item", err)
}

// AgendaPosted records that the agenda of a meeting was posted (post id,
// time, and what it showed: items, newest barrier and the meeting's
// revision), marks the barriers it
// showed as posted (from now on they cannot be changed) and writes the audit
// row of the barrier read.
func (s *Store) AgendaPosted(ctx context.Context, a kim.Actor, meetingID int64, postID string, at time.Time, items int, lastBarrier int64, revision int) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		m, err := scanMeeting(tx.QueryRow(ctx, `SELECT `+meetingColumns+` FROM `+meetingFrom+` WHERE m.id = $1 AND m.team_id = $2
			FOR UPDATE OF m`, meetingID, a.TeamID))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET agenda_posted_at = $2, agenda_post_id = $3, agenda_posted_items = $4,
			agenda_posted_barrier = $5, agenda_posted_revision = $6 WHERE id = $1`, m.ID, at, postID, items, lastBarrier, revision); err != nil {
			return err
		}
		since, until, err := barrierWindow(ctx, tx, m)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE barriers SET posted_at = $5 WHERE team_id = $1 AND NOT draft AND posted_at IS NULL
			AND ($2::date IS NULL OR recorded_on >= $2) AND recorded_on <= $3 AND id <= $4`,
			m.TeamID, since, until, lastBarrier, at); err != nil {
			return err
		}
		return audit(ctx, tx, a, "agenda.post", 0, "")
	})
	return wrap("unable to record agenda post", err)
}

// barrierWindow returns the days whose barriers the agenda of m shows: from
// the day of the team's meeting before m (nil for none) to m's day.
func barrierWindow(ctx context.Context, tx pgx.Tx, m kim.Meeting) (since *time.Time, until time.Time, err error) {
	var prev time.Time
	err = tx.QueryRow(ctx, `SELECT starts_at FROM meetings WHERE team_id = $1 AND starts_at < $2 AND id <> $3
		ORDER BY starts_at DESC LIMIT 1`, m.TeamID, m.StartsAt, m.ID).Scan(&prev)
	switch {
	case err == pgx.ErrNoRows:
		err = nil
	case err != nil:
		return nil, until, err
	default:
		d := kim.DateOf(prev.In(m.Location())).UTC()
		since = &d
	}
	return since, m.Day().UTC(), err
}

// BarrierSummary returns what the agenda post of m shows besides its time:
// m's title and items, and the team's confirmed barriers recorded from the
// day of the meeting before m up to m's day, grouped by partner or topic,
// every text masked again with the pseudonyms of all the team's cases (a
// case opened since may have one that a text holds), and where transitions
// stall on day today (transitionStalls). It never returns which case a
// barrier or a step came from.
func (s *Store) BarrierSummary(ctx context.Context, m kim.Meeting, today kim.Date) (kim.BarrierSummary, error) {
	sum := kim.BarrierSummary{Until: m.Day(), StallsOn: today}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		since, until, err := barrierWindow(ctx, tx, m)
		if err != nil {
			return err
		}
		if since != nil {
			d := kim.DateOf(*since)
			sum.Since = &d
		}
		masker, err := s.teamMasker(ctx, tx, m.TeamID)
		if err != nil {
			return err
		}
		// The coordinators' texts too: stored masked, masked again with the
		// pseudonyms as they are now (a case opened since).
		sum.Title = masker.Mask(m.Title).Text
		for _, it := range m.Items {
			it.Text = masker.Mask(it.Text).Text
			sum.Items = append(sum.Items, it)
		}
		rows, err := tx.Query(ctx, `
			SELECT b.id, coalesce(p.name, ''), coalesce(t.name, ''), b.text_enc
			FROM barriers b LEFT JOIN partners p ON p.id = b.partner_id LEFT JOIN barrier_topics t ON t.id = b.topic_id
			WHERE b.team_id = $1 AND NOT b.draft AND ($2::date IS NULL OR b.recorded_on >= $2) AND b.recorded_on <= $3
			ORDER BY b.id`, m.TeamID, since, until)
		if err != nil {
			return err
		}
		defer rows.Close()
		groups := map[string]*kim.BarrierGroup{}
		texts := map[string]map[string]int{}
		var order []string
		for rows.Next() {
			var id int64
			var partner, topic string
			var textEnc []byte
			if err := rows.Scan(&id, &partner, &topic, &textEnc); err != nil {
				return err
			}
			sum.LastID = max(sum.LastID, id)
			key := "p:" + partner
			if partner == "" {
				if topic == "" {
					topic = otherTopic
				}
				key = "t:" + topic
			}
			g := groups[key]
			if g == nil {
				g = &kim.BarrierGroup{Partner: partner, Topic: topic}
				if partner != "" {
					g.Topic = ""
				}
				groups[key], texts[key] = g, map[string]int{}
				order = append(order, key)
			}
			g.Count++
			sum.Total++
			var text string
			if textEnc != nil {
				if t := s.open(textEnc, BarrierText); t != "⚠" {
					text = masker.Mask(t).Text
				}
			}
			if text != "" {
				if texts[key][text] == 0 {
					g.Texts = append(g.Texts, kim.BarrierText{Text: text})
				}
				texts[key][text]++
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range order {
			g := groups[k]
			for i := range g.Texts {
				g.Texts[i].Count = texts[k][g.Texts[i].Text]
			}
			sort.SliceStable(g.Texts, func(i, j int) bool { return g.Texts[i].Count > g.Texts[j].Count })
			sum.Groups = append(sum.Groups, *g)
		}
		sort.SliceStable(sum.Groups, func(i, j int) bool {
			if sum.Groups[i].Count != sum.Groups[j].Count {
				return sum.Groups[i].Count > sum.Groups[j].Count
			}
			return strings.ToLower(sum.Groups[i].Label()) < strings.ToLower(sum.Groups[j].Label())
		})
		sum.Stalls, err = transitionStalls(ctx, tx, m.TeamID, today, masker)
		return err
	})
	return sum, wrap("unable to summarise barriers", err)
}

// transitionStalls returns the transition steps overdue on day today in the
// team's open cases, counted per pair, step text and partner, the most
// cases first: only the text of the admins' template (masked with the
// team's pseudonyms all the same), the partner's name and counts, never a
// case. Steps closed as done or no longer needed, and those of closed or
// erased cases, do not count.
func transitionStalls(ctx context.Context, tx pgx.Tx, teamID string, today kim.Date, masker *mask.Masker) ([]kim.StepStall, error) {
	rows, err := tx.Query(ctx, `
		SELECT d.from_domain, d.to_domain, s.text, coalesce(p.name, ''), count(*), count(DISTINCT s.case_id)
		FROM transition_steps s JOIN cases c ON c.id = s.case_id JOIN domain_changes d ON d.id = s.change_id
			LEFT JOIN partners p ON p.id = s.partner_id
		WHERE c.team_id = $1 AND c.closed_on IS NULL AND s.status = 'open' AND s.due_on < $2 AND s.text <> ''
		GROUP BY d.from_domain, d.to_domain, s.text, p.name
		ORDER BY 6 DESC, 5 DESC, `+fmt.Sprintf(domainOrder, "d.from_domain")+`, `+fmt.Sprintf(domainOrder, "d.to_domain")+`, min(s.pos), s.text`,
		teamID, today.UTC())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.StepStall, error) {
		var x kim.StepStall
		err := r.Scan(&x.From, &x.To, &x.Text, &x.Partner, &x.Count.N, &x.Count.Cases)
		x.Text = masker.Mask(x.Text).Text
		return x, err
	})
}

const actionColumns = `x.id, x.n, m.n, x.owner_id, coalesce(u.username, ''), x.text, x.due_on, x.done_on`

const actionFrom = `actions x JOIN meetings m ON m.id = x.meeting_id LEFT JOIN users u ON u.id = x.owner_id`

func scanAction(r pgx.Row) (kim.ActionItem, error) {
	var x kim.ActionItem
	var due, done pgtypeDate
	err := r.Scan(&x.ID, &x.N, &x.MeetingN, &x.OwnerID, &x.OwnerName, &x.Text, &due, &done)
	x.Due, x.DoneOn = dateOf(&due), dateOf(&done)
	return x, err
}

// AddAction records a follow-up task of meeting M-n for owner (a user kimbot
// knows), numbered A-n per team (a deleted action's number is never given
// again), and returns it.
func (s *Store) AddAction(ctx context.Context, a kim.Actor, meetingN int, ownerID, text string, due kim.Date) (kim.ActionItem, error) {
	var x kim.ActionItem
	err := s.tx(ctx, func(tx pgx.Tx) error {
		m, err := s.meeting(ctx, tx, a.TeamID, meetingN, false)
		if err != nil {
			return err
		}
		if err := lockTeamCounter(ctx, tx, "actions", a.TeamID); err != nil {
			return err
		}
		var id int64
		// The next number of the team's counter: a deleted action's number
		// is never given again (migration 00016).
		if err := tx.QueryRow(ctx, `
			WITH k AS (UPDATE teams SET last_action_n = greatest(last_action_n,
				(SELECT coalesce(max(n), 0) FROM actions WHERE team_id = $1)) + 1 WHERE id = $1 RETURNING last_action_n)
			INSERT INTO actions (team_id, n, meeting_id, owner_id, text, due_on, created_by)
			SELECT $1, k.last_action_n, $2, $3, $4, $5, $6 FROM k
			RETURNING id`, a.TeamID, m.ID, ownerID, text, due.UTC(), a.UserID).Scan(&id); err != nil {
			return err
		}
		x, err = scanAction(tx.QueryRow(ctx, `SELECT `+actionColumns+` FROM `+actionFrom+` WHERE x.id = $1`, id))
		return err
	})
	return x, wrap("unable to add action", err)
}

// DoneAction marks action A-n of the team done on the actor's day, or with
// done false open again (checked off by mistake). Only its owner may, unless
// anyone is set (coordinators and admins); an action that is done already
// (or open) is a conflict.
func (s *Store) DoneAction(ctx context.Context, a kim.Actor, n int, anyone, done bool) (kim.ActionItem, error) {
	var x kim.ActionItem
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		x, err = scanAction(tx.QueryRow(ctx, `SELECT `+actionColumns+` FROM `+actionFrom+`
			WHERE x.team_id = $1 AND x.n = $2 FOR UPDATE OF x`, a.TeamID, n))
		if err == pgx.ErrNoRows {
			return kim.Errorf(kim.ENOTFOUND, "action.not_found", map[string]any{"Ref": kim.ActionItem{N: n}.Ref()})
		}
		if err != nil {
			return err
		}
		if !anyone && x.OwnerID != a.UserID {
			return kim.Errorf(kim.EFORBIDDEN, "action.not_yours", map[string]any{"Ref": x.Ref(), "Owner": x.OwnerName})
		}
		if done {
			x, err = kim.ActionDone(x, a.Today)
		} else {
			x, err = kim.ActionReopen(x)
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE actions SET done_on = $2 WHERE id = $1`, x.ID, dateArg(x.DoneOn))
		return err
	})
	return x, wrap("unable to complete action", err)
}

// AgendaMeeting is a coming meeting as the reminder pass sees it.
type AgendaMeeting struct {
	kim.Meeting
	// LeadWorkdays is the team's agenda_lead_workdays.
	LeadWorkdays int
	// CreatorLang is the language of the meeting's creator ("de", "en").
	CreatorLang string
}

// UpcomingMeetings returns the meetings of all teams that start after from
// and no later than until, in time order, with their team's agenda lead and
// their creator's language (at most 2000).
func (s *Store) UpcomingMeetings(ctx context.Context, from, until time.Time) ([]AgendaMeeting, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+meetingColumns+`, t.agenda_lead_workdays, coalesce(u.lang, ''), coalesce(u.locale, '')
		FROM `+meetingFrom+` JOIN teams t ON t.id = m.team_id
		WHERE m.starts_at > $1 AND m.starts_at <= $2 AND m.cancelled_at IS NULL ORDER BY m.starts_at, m.id LIMIT 2000`, from, until)
	if err != nil {
		return nil, wrap("unable to list coming meetings", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AgendaMeeting, error) {
		var x AgendaMeeting
		var lang, locale string
		err := r.Scan(&x.ID, &x.TeamID, &x.N, &x.Title, &x.StartsAt, &x.ChannelID, &x.ChannelName, &x.CreatedBy,
			&x.CreatorName, &x.CreatorTZ, &x.CreatedAt, &x.AgendaPostedAt, &x.AgendaPostID, &x.PostedItems, &x.PostedBarrier,
			&x.PostedRevision, &x.Revision, &x.CancelledAt, &x.ItemCount, &x.OpenActions,
			&x.LeadWorkdays, &lang, &locale)
		x.CreatorLang = kim.User{Lang: lang, Locale: locale}.Language()
		return x, err
	})
	return out, wrap("unable to list coming meetings", err)
}
